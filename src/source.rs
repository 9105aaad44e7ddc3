//! Where pages come from: files, folders (walked recursively, in sorted order)
//! and standard input. Listing is eager and cheap; reading happens lazily as
//! the pipeline pulls pages, so a batch of a million files never sits in memory.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use futures::Stream;

pub mod jsonl;

use crate::error::Error;
use crate::page::{Failure, Format, Origin, Page, Stage};

/// Largest input accepted after gunzip, so a compressed bomb cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// One input to read: a file (or stdin) and the id its output is named by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file, or `None` for standard input.
    pub path: Option<PathBuf>,
    /// The page id: the file name without its extensions.
    pub id: String,
}

/// File extensions a folder walk picks up for each format (each also with `.gz`).
fn extensions(format: Format) -> &'static [&'static str] {
    match format {
        Format::Html => &["html", "htm", "xhtml"],
        Format::Text => &["txt"],
    }
}

/// The id of a file: its name without `.gz` and the format's extension.
pub fn id_of(path: &Path, format: Format) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "page".to_owned());
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    for ext in extensions(format) {
        if let Some(stem) = name.strip_suffix(&format!(".{ext}")) {
            if !stem.is_empty() {
                return stem.to_owned();
            }
        }
    }
    name.to_owned()
}

fn wanted(path: &Path, format: Format) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase());
    let Some(name) = name else { return false };
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    extensions(format)
        .iter()
        .any(|e| name.ends_with(&format!(".{e}")))
}

/// Lists the inputs named on a command line: files as given, folders walked
/// recursively for the format's extensions, `-` for standard input. A path
/// that does not exist is an error, and so are inputs that hold no pages or
/// name `-` twice. Ids that repeat get a `~2`, `~3` suffix.
pub fn list(inputs: &[PathBuf], format: Format) -> Result<Vec<Input>, Error> {
    if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::Inputs(
            "`-` (standard input) can be given only once".into(),
        ));
    }
    let mut out = Vec::new();
    for p in inputs {
        if p.as_os_str() == "-" {
            out.push(Input {
                path: None,
                id: "stdin".to_owned(),
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(p, format, &mut files)?;
            files.sort();
            out.extend(files.into_iter().map(|f| Input {
                id: id_of(&f, format),
                path: Some(f),
            }));
        } else {
            out.push(Input {
                id: id_of(p, format),
                path: Some(p.clone()),
            });
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for i in &mut out {
        let n = seen.entry(i.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            i.id = format!("{}~{}", i.id, n);
        }
    }
    if out.is_empty() {
        return Err(Error::Inputs(format!(
            "no pages found in the inputs ({} files are read)",
            match format {
                Format::Html => "*.html, *.htm, *.xhtml and their .gz",
                Format::Text => "*.txt and *.txt.gz",
            }
        )));
    }
    Ok(out)
}

fn walk(dir: &Path, format: Format, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| Error::io(&d, e))? {
            let entry = entry.map_err(|e| Error::io(&d, e))?;
            let path = entry.path();
            let ty = entry.file_type().map_err(|e| Error::io(&path, e))?;
            if ty.is_dir() {
                stack.push(path);
            } else if wanted(&path, format) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Reads a file's bytes, gunzipping `.gz` files, capped at [`MAX_INPUT_BYTES`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    read_capped(f, gz).map_err(|e| Error::io(path, e))
}

fn read_capped(r: impl Read, gz: bool) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if gz {
        flate2::read::MultiGzDecoder::new(r)
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)?;
    } else {
        r.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf)?;
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(std::io::Error::other(format!(
            "input larger than {MAX_INPUT_BYTES} bytes"
        )));
    }
    Ok(buf)
}

/// The response record `pith fetch --raw DIR` keeps beside each page
/// (`<id>.http.json`): its final URL and its `Content-Type` and
/// `Content-Language` headers, so that extracting the kept page later
/// decodes, dates and names its language as the fetch did.
fn response_record(path: &Path) -> Overrides {
    let record = path
        .parent()
        .map(|dir| dir.join(format!("{}.http.json", id_of(path, Format::Html))));
    let Some(r) = record
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice::<crate::record::Response>(&b).ok())
    else {
        return Overrides::default();
    };
    Overrides {
        url: r.final_url.or(Some(r.url)),
        content_type: r.content_type,
        content_language: r.content_language,
    }
}

/// What a run says of every page over what its files say: `pith extract
/// --url`, `--content-type` and `--content-language`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The page's address, for dates, site names and relative links.
    pub url: Option<String>,
    /// The page's `Content-Type` header, for its charset.
    pub content_type: Option<String>,
    /// The page's `Content-Language` header, for its language.
    pub content_language: Option<String>,
}

impl Overrides {
    /// Sets the page's fields that these name.
    pub fn apply(&self, page: &mut Page) {
        if self.url.is_some() {
            page.url.clone_from(&self.url);
        }
        if self.content_type.is_some() {
            page.content_type.clone_from(&self.content_type);
        }
        if self.content_language.is_some() {
            page.content_language.clone_from(&self.content_language);
        }
    }
}

/// Reads one input into a [`Page`]; standard input is read whole. An HTML file
/// with a response record beside it (see `pith fetch --raw`) gets its URL and
/// `Content-Type` from there; `overrides` then set theirs.
pub fn read(input: &Input, format: Format, overrides: &Overrides) -> Result<Page, Failure> {
    let (body, origin) = match &input.path {
        Some(p) => (read_file(p), Origin::File(p.clone())),
        None => {
            let stdin = std::io::stdin();
            let lock = stdin.lock();
            (
                read_capped(lock, false).map_err(|e| Error::io("-", e)),
                Origin::Stdin,
            )
        }
    };
    let recorded = match (&input.path, format) {
        (Some(p), Format::Html) => response_record(p),
        _ => Overrides::default(),
    };
    match body {
        Ok(body) => {
            let mut page = Page {
                id: input.id.clone(),
                body,
                format,
                origin,
                ..Page::html("", Vec::new())
            };
            recorded.apply(&mut page);
            overrides.apply(&mut page);
            Ok(page)
        }
        Err(error) => Err(Failure {
            id: input.id.clone(),
            origin,
            url: None,
            stage: Stage::Read,
            error: Box::new(error),
        }),
    }
}

/// The inputs as a lazy stream of pages (each read on a blocking thread).
pub fn stream(
    inputs: Vec<Input>,
    format: Format,
    overrides: Overrides,
) -> impl Stream<Item = Result<Page, Failure>> + Send {
    futures::stream::iter(inputs).then(move |input| {
        let overrides = overrides.clone();
        async move {
            let fallback = input.clone();
            match tokio::task::spawn_blocking(move || read(&input, format, &overrides)).await {
                Ok(r) => r,
                Err(e) => Err(Failure {
                    id: fallback.id,
                    origin: fallback.path.map_or(Origin::Stdin, Origin::File),
                    url: None,
                    stage: Stage::Read,
                    error: Box::new(Error::io("-", std::io::Error::other(e.to_string()))),
                }),
            }
        }
    })
}

use futures::StreamExt as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_drop_known_extensions() {
        assert_eq!(id_of(Path::new("a/b/001.html"), Format::Html), "001");
        assert_eq!(id_of(Path::new("x.htm.gz"), Format::Html), "x");
        assert_eq!(id_of(Path::new("x.xhtml"), Format::Html), "x");
        assert_eq!(id_of(Path::new("000_7cf.txt"), Format::Text), "000_7cf");
        assert_eq!(id_of(Path::new("noext"), Format::Html), "noext");
    }

    #[test]
    fn gzip_is_read_transparently() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.html.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>hi</p>").unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        assert_eq!(read_file(&p).unwrap(), b"<p>hi</p>");
        let listed = list(&[dir.path().to_owned()], Format::Html).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, "p");
    }
}
