//! Where results go. [`Sink`] is push-model: the pipeline hands it each page's
//! result in input order. Two sinks ship: [`TxtDir`] (one `<id>.txt` per page
//! plus `manifest.jsonl`, resumable) and [`Jsonl`] (one JSON object per page).
//! Crawlers embedding pith can write their own.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::page::{Article, Failure, Page};
use crate::record::{to_line, Entry, Line, Status};
use crate::render::Form;
use crate::repair::Vocabulary;

mod lock;
pub use lock::{lock_output, lock_path, OutputLock};

/// Receives every page's result, in input order.
pub trait Sink: Send {
    /// Records one page's result. An error here stops the run (it means the
    /// output itself is broken, e.g. a full disk), unlike a page's own failure.
    fn write(&mut self, page: &Page, result: &Result<Article, Failure>) -> Result<(), Error>;

    /// Called once after the last page.
    fn finish(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

impl<S: Sink + ?Sized> Sink for Box<S> {
    fn write(&mut self, page: &Page, result: &Result<Article, Failure>) -> Result<(), Error> {
        (**self).write(page, result)
    }

    fn finish(&mut self) -> Result<(), Error> {
        (**self).finish()
    }
}

/// The temporary file that `path` is written through: hidden, beside it (so
/// the rename stays on one file system), named by this process.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    parent(path).join(format!(".{name}.{}.tmp", std::process::id()))
}

/// The folder `path` is in (`.` for a bare file name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Removes temporary files that a killed run left in `dir`: names of the
/// [`temp_beside`] form whose process is gone (on Linux; elsewhere, every
/// one not ours). `only` restricts it to the temp files of one target name.
fn remove_stale_temps(dir: &Path, only: Option<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id().to_string();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((target, pid)) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once('.'))
        else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) || pid == me {
            continue;
        }
        if only.is_some_and(|o| o != target) {
            continue;
        }
        let proc = Path::new("/proc");
        if proc.is_dir() && proc.join(pid).exists() {
            continue; // another pith is writing here right now
        }
        let _ = fs::remove_file(entry.path());
    }
}

/// The file name a page id is written under: the id itself when it is a
/// plain name, else the id with every `/`, `\`, control character and
/// leading `.` replaced by `_`, cut to fit file-name limits, and suffixed
/// with a hash of the whole id (so two ids never share a file). No id, from
/// a file name, a URL or a library caller, can name a path outside the folder.
pub fn file_stem(id: &str) -> String {
    /// Longest stem kept whole: with `_`, a 16-digit hash and `.txt` the name
    /// stays under the 255-byte limit of common file systems.
    const MAX_STEM_BYTES: usize = 200;
    let plain = !id.is_empty()
        && id.len() <= MAX_STEM_BYTES
        && !id.starts_with('.')
        && !id
            .chars()
            .any(|c| matches!(c, '/' | '\\') || c.is_control());
    if plain {
        return id.to_owned();
    }
    let mut s: String = id
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.starts_with('.') {
        s.replace_range(..1, "_");
    }
    let mut cut = s.len().min(MAX_STEM_BYTES);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    format!(
        "{s}_{:016x}",
        crate::text::fnv1a(crate::text::FNV_OFFSET, id.as_bytes())
    )
}

/// Writes `path` atomically: the bytes go to a temporary file beside it, which
/// is then renamed over `path`, so no reader ever sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = temp_beside(path);
    let res = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_data()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// One `<id>.txt` per page in a folder (see [`file_stem`] for ids that are not
/// plain names), plus `manifest.jsonl` with one line per page. Every file is
/// written then renamed into place. With `resume`, pages the manifest already
/// records as `ok` (and whose `.txt` exists) are skipped, and the manifest is
/// first rewritten to hold only those pages, once each: a run killed at any
/// point and then resumed leaves exactly one line per page.
#[derive(Debug)]
pub struct TxtDir {
    dir: PathBuf,
    manifest: File,
    done: HashSet<String>,
    form: Form,
    /// Held while the folder is written: one run per folder.
    _lock: OutputLock,
}

impl TxtDir {
    /// Opens (creating) `dir`. Without `resume` an existing manifest is started
    /// afresh; with it, the manifest is read and appended to.
    /// Another run writing `dir` ([`lock_output`]) is an [`Error::Locked`].
    pub fn create(dir: &Path, resume: bool) -> Result<Self, Error> {
        Self::create_as(dir, resume, Form::Text)
    }

    /// Like [`create`](Self::create), writing each page in `form`: `<id>.txt`,
    /// `<id>.md` or `<id>.html` (resume looks for files of that form).
    pub fn create_as(dir: &Path, resume: bool, form: Form) -> Result<Self, Error> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let lock = lock_output(dir)?;
        remove_stale_temps(dir, None);
        let path = dir.join("manifest.jsonl");
        let mut done = HashSet::new();
        if resume {
            done = compact_manifest(dir, &path, form.extension())?;
        }
        let manifest = OpenOptions::new()
            .create(true)
            .append(resume)
            .write(true)
            .truncate(!resume)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Ok(TxtDir {
            dir: dir.to_owned(),
            manifest,
            done,
            form,
            _lock: lock,
        })
    }

    /// Whether a page with this id was already written by an earlier run.
    pub fn is_done(&self, id: &str) -> bool {
        self.done.contains(id)
    }

    /// The ids an earlier run finished (empty without `resume`).
    pub fn done(&self) -> &HashSet<String> {
        &self.done
    }

    /// The typo repair's batch vocabulary of the pages an earlier run
    /// finished, read back from their files (for
    /// [`Pipeline::run_in_batch`](crate::Pipeline::run_in_batch)): a resumed
    /// run then repairs the rest as one uninterrupted run would have. A file
    /// that cannot be read adds nothing.
    pub fn done_vocabulary(&self) -> Vocabulary {
        let mut v = Vocabulary::new();
        for id in &self.done {
            let file = format!("{}.{}", file_stem(id), self.form.extension());
            if let Ok(text) = fs::read_to_string(self.dir.join(file)) {
                v.add_page([text.as_str()]);
            }
        }
        v
    }
}

/// Rewrites the manifest (through a temporary file and a rename, so a kill
/// leaves either the old or the new one) keeping one record per page that is
/// done: the last `ok` record of each id whose `.txt` exists. Failed and
/// skipped records go (those pages are redone and recorded again), and so does
/// a torn last line from a killed run. Returns the ids kept.
fn compact_manifest(dir: &Path, path: &Path, ext: &str) -> Result<HashSet<String>, Error> {
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut order: Vec<String> = Vec::new();
    let mut last: std::collections::HashMap<String, String> = Default::default();
    let mut dropped = false;
    for line in BufReader::new(f).split(b'\n') {
        let line = line.map_err(|e| Error::io(path, e))?;
        let id = serde_json::from_slice::<Entry>(&line)
            .ok()
            .filter(|e| e.status == Status::Ok)
            .map(|e| e.id)
            .filter(|id| dir.join(format!("{}.{ext}", file_stem(id))).exists());
        let Some(id) = id else {
            dropped = true;
            continue;
        };
        let text = String::from_utf8_lossy(&line).into_owned();
        if last.insert(id.clone(), text).is_some() {
            dropped = true;
        } else {
            order.push(id);
        }
    }
    // A last line without its line break (a run killed in the middle of a
    // write) would have the next record appended to it: rewrite then too.
    if !ends_with_newline(path)? {
        dropped = true;
    }
    if dropped {
        let mut bytes = Vec::new();
        for id in &order {
            bytes.extend_from_slice(last[id].as_bytes());
            bytes.push(b'\n');
        }
        write_atomic(path, &bytes)?;
    }
    Ok(order.into_iter().collect())
}

/// Whether the file is empty or its last byte is `\n`.
fn ends_with_newline(path: &Path) -> Result<bool, Error> {
    use std::io::{Seek, SeekFrom};
    let io_err = |e| Error::io(path, e);
    let mut f = File::open(path).map_err(io_err)?;
    let len = f.metadata().map_err(io_err)?.len();
    if len == 0 {
        return Ok(true);
    }
    let mut last = [0u8];
    f.seek(SeekFrom::Start(len - 1)).map_err(io_err)?;
    io::Read::read_exact(&mut f, &mut last).map_err(io_err)?;
    Ok(last[0] == b'\n')
}

impl Sink for TxtDir {
    fn write(&mut self, page: &Page, result: &Result<Article, Failure>) -> Result<(), Error> {
        let text = match result {
            Ok(a) => {
                let text = self.form.render(a);
                let file = format!("{}.{}", file_stem(&page.id), self.form.extension());
                write_atomic(&self.dir.join(file), text.as_bytes())?;
                text
            }
            Err(_) => String::new(),
        };
        let bytes = to_line(&Entry::of(page, result, &text))?;
        let path = self.dir.join("manifest.jsonl");
        // One write per line, so a killed run leaves at most one torn last line.
        self.manifest
            .write_all(&bytes)
            .map_err(|e| Error::io(&path, e))
    }

    fn finish(&mut self) -> Result<(), Error> {
        let path = self.dir.join("manifest.jsonl");
        self.manifest.sync_data().map_err(|e| Error::io(&path, e))
    }
}

/// One JSON object per page on any writer, a [`record::Line`](crate::record::Line):
/// `id, url, title, published, author, site, lang, canonical, description,
/// encoding, text, repairs, removed`; a failed page is `{id, error, stage}`.
/// A fetched page also has `status` and the fetch fields of the manifest
/// (`final_url`, `http_status`, `content_type`, `bytes`, `fetch_ms`,
/// `process_ms`, `attempts`), and `url` is the URL as listed.
pub struct Jsonl<W: Write + Send> {
    out: W,
    name: PathBuf,
    form: Form,
    flush_lines: bool,
}

impl<W: Write + Send> Jsonl<W> {
    /// Writes to `out`; `name` (a path, or `-`) is used in error messages.
    pub fn new(out: W, name: impl Into<PathBuf>) -> Self {
        Jsonl {
            out,
            name: name.into(),
            form: Form::Text,
            flush_lines: false,
        }
    }

    /// Flushes `out` after every line, so that a reader at the other end of
    /// a pipe (`RDD.pipe`, GNU parallel) has each page's line as soon as it
    /// is written, not when a buffer fills.
    pub fn flush_each_line(mut self) -> Self {
        self.flush_lines = true;
        self
    }

    /// Also gives each extracted page's body in `form`, as the line's
    /// `markdown` or `html` field (the `text` field stays plain text).
    pub fn with_form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }
}

impl<W: Write + Send> std::fmt::Debug for Jsonl<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jsonl").field("name", &self.name).finish()
    }
}

impl<W: Write + Send> Sink for Jsonl<W> {
    fn write(&mut self, page: &Page, result: &Result<Article, Failure>) -> Result<(), Error> {
        let mut line = Line::of(page, result);
        if let (Ok(a), Some(e)) = (result, line.extracted.as_mut()) {
            match self.form {
                Form::Text => {}
                Form::Markdown => e.markdown = Some(self.form.render(a)),
                Form::Html => e.html = Some(self.form.render(a)),
            }
        }
        let bytes = to_line(&line)?;
        self.out
            .write_all(&bytes)
            .map_err(|e| Error::io(&self.name, e))?;
        if self.flush_lines {
            self.out.flush().map_err(|e| Error::io(&self.name, e))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.out.flush().map_err(|e| Error::io(&self.name, e))
    }
}

/// A JSONL file written to a temporary name and renamed into place by
/// [`finish`](Sink::finish), so an interrupted run never leaves half a file.
/// A path that exists and is not a regular file (a pipe, `/dev/stdout`, a
/// device) is written directly, a line at a time (each flushed): there is
/// nothing to rename over.
#[derive(Debug)]
pub struct JsonlFile {
    inner: Jsonl<io::BufWriter<File>>,
    /// The temporary file, when writing through one.
    tmp: Option<PathBuf>,
    path: PathBuf,
    /// Held while the file is written (dropped after the temporary file).
    _lock: OutputLock,
}

impl JsonlFile {
    /// Starts writing `path` (through a temporary file beside it). Another
    /// run writing `path` ([`lock_output`]) is an [`Error::Locked`].
    pub fn create(path: &Path) -> Result<Self, Error> {
        Self::create_as(path, Form::Text)
    }

    /// Like [`create`](Self::create), each line also giving the body in `form`
    /// (see [`Jsonl::with_form`]).
    pub fn create_as(path: &Path, form: Form) -> Result<Self, Error> {
        let special = fs::metadata(path).is_ok_and(|m| !m.is_file());
        let lock = lock_output(path)?;
        let (f, tmp) = if special {
            let f = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            (f, None)
        } else {
            let name = path.file_name().map(|n| n.to_string_lossy());
            remove_stale_temps(parent(path), Some(name.as_deref().unwrap_or_default()));
            let tmp = temp_beside(path);
            let f = File::create(&tmp).map_err(|e| Error::io(path, e))?;
            (f, Some(tmp))
        };
        let mut inner = Jsonl::new(io::BufWriter::new(f), path).with_form(form);
        if special {
            inner = inner.flush_each_line();
        }
        Ok(JsonlFile {
            inner,
            tmp,
            path: path.to_owned(),
            _lock: lock,
        })
    }
}

impl Sink for JsonlFile {
    fn write(&mut self, page: &Page, result: &Result<Article, Failure>) -> Result<(), Error> {
        self.inner.write(page, result)
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.inner.finish()?;
        if let Some(tmp) = &self.tmp {
            let f = self.inner.out.get_ref();
            f.sync_data().map_err(|e| Error::io(&self.path, e))?;
            fs::rename(tmp, &self.path).map_err(|e| Error::io(&self.path, e))?;
            self.tmp = None;
        }
        Ok(())
    }
}

impl Drop for JsonlFile {
    fn drop(&mut self) {
        // Only still there if finish() never ran or failed: the run was cut short.
        if let Some(tmp) = &self.tmp {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Writes each page's clean text, back to back, to a writer (stdout for one page).
pub struct Text<W: Write + Send> {
    out: W,
    form: Form,
}

impl<W: Write + Send> Text<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        Text {
            out,
            form: Form::Text,
        }
    }

    /// Writes each page's body in `form` instead of plain text.
    pub fn with_form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }
}

impl<W: Write + Send> Sink for Text<W> {
    fn write(&mut self, _page: &Page, result: &Result<Article, Failure>) -> Result<(), Error> {
        if let Ok(a) = result {
            self.out
                .write_all(self.form.render(a).as_bytes())
                .map_err(|e| Error::io("-", e))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.out.flush().map_err(|e| Error::io("-", e))
    }
}
