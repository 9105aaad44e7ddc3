//! Golden cases: folders with fixed file names that pin pith's output.
//!
//! ```text
//! golden/<case>/
//!   input.html | input.txt   raw bytes as served (any charset) or scraped text
//!   expected.txt             the blessed output, UTF-8, ending in "\n"
//!   expected.md              the blessed Markdown (`--format markdown`), checked when present
//!   case.toml                url, content_type, pipeline, why, without = [...]
//! ```
//!
//! One implementation serves both front-ends: `tests/golden.rs` (one named test
//! per case) and `pith golden check|bless`. A mismatch yields a unified diff;
//! the caller decides whether to write `expected.txt.new` beside the old file
//! (never under CI). Blessing is explicit and refuses an output that contains
//! one of the case's `without` strings, so the reason for a case survives
//! re-blessing.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::page::{Format, Origin, Page};
use crate::pipeline::Pipeline;
use crate::sink::write_atomic;

/// `case.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    url: Option<String>,
    content_type: Option<String>,
    pipeline: Option<String>,
    why: Option<String>,
    #[serde(default)]
    without: Vec<String>,
}

/// One golden case, loaded from its folder.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder name.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// `input.html` or `input.txt`.
    pub input: PathBuf,
    /// HTML or already-scraped text, from the input's name.
    pub format: Format,
    /// The page's URL.
    pub url: Option<String>,
    /// An HTTP `Content-Type` header to pass as a charset hint.
    pub content_type: Option<String>,
    /// The pipeline name (`pipelines/<name>.toml` next to the golden folder) or `default`.
    pub pipeline: String,
    /// Why the case exists.
    pub why: String,
    /// Strings that must never appear in the output.
    pub without: Vec<String>,
}

/// The result of checking one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The output equals `expected.txt` and contains no forbidden string.
    Pass,
    /// The output differs from `expected.txt`; the unified diff, expected → actual.
    Mismatch {
        /// The diff.
        diff: String,
    },
    /// The output contains strings listed in `without`.
    Forbidden {
        /// The strings found.
        strings: Vec<String>,
    },
    /// There is no `expected.txt` yet.
    Missing,
}

impl Case {
    /// Loads the case in `dir`.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let bad = |message: String| Error::Golden {
            path: dir.to_owned(),
            message,
        };
        let toml_path = dir.join("case.toml");
        let file: CaseFile = match fs::read_to_string(&toml_path) {
            Ok(t) => toml::from_str(&t).map_err(|e| bad(format!("case.toml: {}", e.message())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => CaseFile::default(),
            Err(e) => return Err(Error::io(toml_path, e)),
        };
        let (input, format) = if dir.join("input.html").exists() {
            (dir.join("input.html"), Format::Html)
        } else if dir.join("input.txt").exists() {
            (dir.join("input.txt"), Format::Text)
        } else {
            return Err(bad("no input.html or input.txt".into()));
        };
        Ok(Case {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            dir: dir.to_owned(),
            input,
            format,
            url: file.url,
            content_type: file.content_type,
            pipeline: file.pipeline.unwrap_or_else(|| "default".into()),
            why: file.why.unwrap_or_default(),
            without: file.without,
        })
    }

    /// The page this case feeds to the pipeline.
    pub fn page(&self) -> Result<Page, Error> {
        let body = fs::read(&self.input).map_err(|e| Error::io(&self.input, e))?;
        Ok(Page {
            id: self.name.clone(),
            url: self.url.clone(),
            body,
            content_type: self.content_type.clone(),
            content_language: None,
            format: self.format,
            origin: Origin::File(self.input.clone()),
        })
    }

    /// The blessed output, if any.
    pub fn expected(&self) -> Result<Option<String>, Error> {
        let p = self.dir.join("expected.txt");
        match fs::read_to_string(&p) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(p, e)),
        }
    }
}

/// Loads every case folder in `dir`, sorted by name. A folder with no cases is an error.
pub fn load_all(dir: &Path) -> Result<Vec<Case>, Error> {
    let mut cases = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        // Hidden folders (`.git`, a case `golden add` is still building) are no cases.
        if entry.path().is_dir() && !entry.file_name().to_string_lossy().starts_with('.') {
            cases.push(Case::load(&entry.path())?);
        }
    }
    if cases.is_empty() {
        return Err(Error::Golden {
            path: dir.to_owned(),
            message: "no cases found (an empty golden folder checks nothing)".into(),
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// Compiled pipelines by name, so cases sharing one compile it once.
#[derive(Debug, Default)]
pub struct Pipelines {
    cache: HashMap<String, Pipeline>,
}

impl Pipelines {
    /// The pipeline a case names, resolved by [`resolve::pipeline`](crate::resolve::pipeline)
    /// with the golden folder's parent as the root: `pipelines/<name>.toml`
    /// there, else for `default` the built-in one.
    pub fn get(&mut self, case: &Case) -> Result<Pipeline, Error> {
        if let Some(p) = self.cache.get(&case.pipeline) {
            return Ok(p.clone());
        }
        let root = case
            .dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        let (text, origin) = crate::resolve::pipeline(&case.pipeline, root)?;
        let p = Pipeline::from_toml(&text, &origin)?;
        self.cache.insert(case.pipeline.clone(), p.clone());
        Ok(p)
    }
}

/// What pith outputs for a case: its plain text and its Markdown (both
/// empty for a failed page, so a case can pin a failure).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// The plain text, compared with `expected.txt`.
    pub text: String,
    /// The `--format markdown` form, compared with `expected.md`.
    pub markdown: String,
}

impl Output {
    /// Processes `page` once with `pipeline` and renders both forms.
    pub fn of(pipeline: &Pipeline, page: &Page) -> Self {
        match pipeline.process(page) {
            Ok(a) => Output {
                markdown: crate::render::Form::Markdown.render(&a),
                text: a.text(),
            },
            Err(_) => Output::default(),
        }
    }
}

/// Runs a case with its pipeline.
pub fn run(case: &Case, pipelines: &mut Pipelines) -> Result<Output, Error> {
    let pipeline = pipelines.get(case)?;
    Ok(Output::of(&pipeline, &case.page()?))
}

/// The unified diff from `expected` (named `name`) to `actual`.
fn unified_diff(expected: &str, actual: &str, name: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header(name, "actual")
        .to_string()
}

/// Checks a case's Markdown against its `expected.md`. A case without one
/// pins its text only: the outcome is `Pass`.
pub fn check_markdown(case: &Case, actual: &str) -> Result<Outcome, Error> {
    let p = case.dir.join("expected.md");
    let expected = match fs::read_to_string(&p) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Outcome::Pass),
        Err(e) => return Err(Error::io(&p, e)),
    };
    if expected == actual {
        return Ok(Outcome::Pass);
    }
    Ok(Outcome::Mismatch {
        diff: unified_diff(&expected, actual, "expected.md"),
    })
}

/// Accepts `actual` as the case's `expected.md`.
pub fn bless_markdown(case: &Case, actual: &str) -> Result<(), Error> {
    write_atomic(&case.dir.join("expected.md"), actual.as_bytes())
}

/// Checks a case's output against `expected.txt` and its `without` list.
pub fn check(case: &Case, actual: &str) -> Result<Outcome, Error> {
    let found: Vec<String> = case
        .without
        .iter()
        .filter(|w| actual.contains(w.as_str()))
        .cloned()
        .collect();
    let Some(expected) = case.expected()? else {
        return Ok(Outcome::Missing);
    };
    if expected != actual {
        return Ok(Outcome::Mismatch {
            diff: unified_diff(&expected, actual, "expected.txt"),
        });
    }
    if !found.is_empty() {
        return Ok(Outcome::Forbidden { strings: found });
    }
    Ok(Outcome::Pass)
}

/// Writes `actual` beside `expected.txt` as `expected.txt.new` for review.
pub fn write_new(case: &Case, actual: &str) -> Result<PathBuf, Error> {
    let p = case.dir.join("expected.txt.new");
    write_atomic(&p, actual.as_bytes())?;
    Ok(p)
}

/// Accepts `actual` as the case's `expected.txt` (and removes any `.new`).
/// Refuses when it contains one of the case's `without` strings.
pub fn bless(case: &Case, actual: &str) -> Result<(), Error> {
    if let Some(w) = case.without.iter().find(|w| actual.contains(w.as_str())) {
        return Err(Error::Golden {
            path: case.dir.clone(),
            message: format!("refusing to bless: output contains forbidden {w:?}"),
        });
    }
    write_atomic(&case.dir.join("expected.txt"), actual.as_bytes())?;
    let _ = fs::remove_file(case.dir.join("expected.txt.new"));
    Ok(())
}

/// Accepts both forms of `out` as the case's `expected.txt` and `expected.md`
/// (refused, with nothing written, when the text has a `without` string).
pub fn bless_output(case: &Case, out: &Output) -> Result<(), Error> {
    bless(case, &out.text)?;
    bless_markdown(case, &out.markdown)
}

/// `pith golden bless [DIR] [CASE…]`: `args` is an optional first folder of
/// cases (else `golden/`) and the case names to bless (else all of them).
/// Each blessed case is handed to `line` as `blessed NAME`. A name that is
/// not a case of the folder is an error, before anything is written.
pub fn bless_all(
    args: &[String],
    mut line: impl FnMut(&str) -> std::io::Result<()>,
) -> Result<(), Error> {
    let (dir, names) = match args.split_first() {
        Some((first, rest)) if Path::new(first).is_dir() && load_all(Path::new(first)).is_ok() => {
            (PathBuf::from(first), rest)
        }
        _ => (PathBuf::from("golden"), args),
    };
    let cases = load_all(&dir)?;
    if let Some(n) = names.iter().find(|n| !cases.iter().any(|c| &c.name == *n)) {
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, format!("no case {n:?}"));
        return Err(Error::io(&dir, missing));
    }
    let mut pipelines = Pipelines::default();
    for case in cases
        .iter()
        .filter(|c| names.is_empty() || names.contains(&c.name))
    {
        bless_output(case, &run(case, &mut pipelines)?)?;
        line(&format!("blessed {}", case.name)).map_err(|e| Error::io("-", e))?;
    }
    Ok(())
}

/// `pith golden add DIR CASE PAGE`: makes `DIR/CASE` a case of `body` (the
/// page's bytes; `text` for already-scraped text, written as `input.txt`)
/// with `url` and `why` in its `case.toml`, and blesses its current output
/// as `expected.txt` and `expected.md`. The case is built in a hidden folder
/// beside it and renamed into place, so a failed add leaves nothing behind.
/// Refuses a name that is not a plain folder name or is already a case.
pub fn add(
    dir: &Path,
    name: &str,
    body: &[u8],
    text: bool,
    url: Option<&str>,
    why: &str,
) -> Result<(Case, String), Error> {
    let bad = |message: String| Error::Golden {
        path: dir.join(name),
        message,
    };
    if name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(bad(format!(
            "{name:?} is not a case name (a plain folder name)"
        )));
    }
    let target = dir.join(name);
    if target.exists() {
        return Err(bad("the case exists already (bless it to update it)".into()));
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = dir.join(format!(".{name}.adding-{}", std::process::id()));
    let built = (|| {
        fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let input = if text { "input.txt" } else { "input.html" };
        write_atomic(&tmp.join(input), body)?;
        let mut toml = String::new();
        if let Some(u) = url {
            toml.push_str(&format!("url = {}\n", toml::Value::String(u.to_owned())));
        }
        toml.push_str(&format!("why = {}\n", toml::Value::String(why.to_owned())));
        toml.push_str("without = []\n");
        write_atomic(&tmp.join("case.toml"), toml.as_bytes())?;
        let case = Case::load(&tmp)?;
        let out = run(&case, &mut Pipelines::default())?;
        bless_output(&case, &out)?;
        fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
        Ok(out.text)
    })();
    match built {
        Ok(actual) => Ok((Case::load(&target)?, actual)),
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// One case's result in a `golden check` run.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The case name.
    pub name: String,
    /// Its outcome (a Markdown mismatch is reported when the text passes).
    pub outcome: Outcome,
    /// `" (Markdown)"` when the outcome is about `expected.md`, else empty.
    pub form: &'static str,
    /// For a changed text: its shingle F1 against `expected.txt`.
    pub f1: Option<f64>,
}

/// `pith golden check`: runs every case in `dir` and hands `line` what to
/// print for each (`ok`, `MISSING`, `FORBID` or `DIFF` with the shingle F1
/// of the changed text against `expected.txt` and the diff; a case's
/// `expected.md`, when it has one, is compared once its text passes; and
/// `wrote …` for a new `expected.txt.new`), then the closing count and, when
/// texts changed, their mean and worst F1. With `write_new`, a missing or
/// mismatching case's output is written as `expected.txt.new`. With `junit`,
/// a JUnit XML report of the run is written there. Returns the number of
/// failed cases. An error from `line` (a closed standard output) stops the run.
pub fn check_all(
    dir: &Path,
    write_new_files: bool,
    junit: Option<&Path>,
    mut line: impl FnMut(&str) -> std::io::Result<()>,
) -> Result<usize, Error> {
    let cases = load_all(dir)?;
    let scorer = crate::eval::Scorer::new()?;
    let mut pipelines = Pipelines::default();
    let mut say = |s: String| line(&s).map_err(|e| Error::io("-", e));
    let mut results = Vec::new();
    for case in &cases {
        let Output {
            text: actual,
            markdown,
        } = run(case, &mut pipelines)?;
        let mut outcome = check(case, &actual)?;
        let mut form = "";
        let mut f1 = None;
        if matches!(outcome, Outcome::Pass) {
            outcome = check_markdown(case, &markdown)?;
            if !matches!(outcome, Outcome::Pass) {
                form = " (Markdown)";
            }
        } else if let (Outcome::Mismatch { .. }, Some(expected)) = (&outcome, case.expected()?) {
            f1 = Some(scorer.shingle_f1(&expected, &actual));
        }
        match &outcome {
            Outcome::Pass => say(format!("ok      {}", case.name))?,
            Outcome::Missing => {
                say(format!("MISSING {} (no expected.txt; bless it)", case.name))?;
                if write_new_files {
                    write_new(case, &actual)?;
                }
            }
            Outcome::Forbidden { strings } => {
                say(format!(
                    "FORBID  {}: output contains {strings:?}",
                    case.name
                ))?;
            }
            Outcome::Mismatch { diff } => {
                let score = f1.map(|f| format!(" (F1 {f:.3})")).unwrap_or_default();
                say(format!("DIFF    {}{form}{score}\n{diff}", case.name))?;
                if write_new_files && form.is_empty() {
                    let p = write_new(case, &actual)?;
                    say(format!("        wrote {}", p.display()))?;
                }
            }
        }
        results.push(Checked {
            name: case.name.clone(),
            outcome,
            form,
            f1,
        });
    }
    let bad = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Pass))
        .count();
    let mut summary = format!("{} passed, {bad} failed", cases.len() - bad);
    let scored: Vec<(&str, f64)> = results
        .iter()
        .filter_map(|r| r.f1.map(|f| (r.name.as_str(), f)))
        .collect();
    if let Some(&(worst_name, worst)) = scored.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
        let mean = scored.iter().map(|s| s.1).sum::<f64>() / scored.len() as f64;
        summary.push_str(&format!(
            "; {} changed, shingle F1 mean {mean:.3}, worst {worst:.3} ({worst_name})",
            scored.len()
        ));
    }
    say(summary)?;
    if let Some(path) = junit {
        write_atomic(path, junit_xml(dir, &results).as_bytes())?;
    }
    Ok(bad)
}

/// A JUnit XML report of a check run: one `<testcase>` per case, a
/// `<failure>` with the reason and diff for each failed one.
pub fn junit_xml(dir: &Path, results: &[Checked]) -> String {
    fn esc(s: &str) -> String {
        let mut o = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '&' => o.push_str("&amp;"),
                '<' => o.push_str("&lt;"),
                '>' => o.push_str("&gt;"),
                '"' => o.push_str("&quot;"),
                '\'' => o.push_str("&apos;"),
                // Characters XML 1.0 cannot carry at all.
                c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => o.push('\u{FFFD}'),
                c => o.push(c),
            }
        }
        o
    }
    let suite = esc(&dir.display().to_string());
    let failures = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Pass))
        .count();
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{n}\" failures=\"{failures}\">\n<testsuite name=\"{suite}\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\">\n",
        n = results.len()
    );
    for r in results {
        let name = esc(&r.name);
        let (message, body) = match &r.outcome {
            Outcome::Pass => {
                x.push_str(&format!(
                    "<testcase classname=\"golden\" name=\"{name}\"/>\n"
                ));
                continue;
            }
            Outcome::Missing => ("no expected.txt".to_owned(), String::new()),
            Outcome::Forbidden { strings } => (
                format!("output contains forbidden {strings:?}"),
                String::new(),
            ),
            Outcome::Mismatch { diff } => {
                let score =
                    r.f1.map(|f| format!(", shingle F1 {f:.3}"))
                        .unwrap_or_default();
                (format!("output differs{}{score}", r.form), diff.clone())
            }
        };
        x.push_str(&format!(
            "<testcase classname=\"golden\" name=\"{name}\"><failure message=\"{}\">{}</failure></testcase>\n",
            esc(message.trim()),
            esc(&body)
        ));
    }
    x.push_str("</testsuite>\n</testsuites>\n");
    x
}
