//! Where a run's results go, opened by the library: an [`Output`] is a
//! [`Sink`] chosen by a [`Target`] (a folder of `.txt` files with its
//! manifest, a JSONL file, or standard output) together with what an
//! earlier run already did there (its resume state). The binary names the
//! target, filters its inputs with [`Output::is_done`] and hands
//! [`Output::sink`] to the pipeline; a new kind of output (WARC) is one more
//! [`Target`] variant.

use std::collections::HashSet;
use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::error::Error;
use crate::page::Article;
use crate::render::Form;
use crate::repair::Vocabulary;
use crate::sink::{Jsonl, JsonlFile, Sink, Text, TxtDir};

/// Which output a run writes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// One `DIR/<id>.txt` per page plus `DIR/manifest.jsonl`; with `resume`,
    /// the pages the manifest records as ok are done already.
    TextDir {
        /// The folder.
        dir: PathBuf,
        /// Whether to keep (and skip) what an earlier run finished.
        resume: bool,
    },
    /// One JSON object per page, to a file or (`-`) standard output.
    Jsonl(PathBuf),
    /// The clean text alone on standard output (for one page).
    Stdout,
}

impl fmt::Display for Target {
    /// Where the results went, for a run's closing summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::TextDir { dir, .. } => {
                write!(f, "manifest {}", dir.join("manifest.jsonl").display())
            }
            Target::Jsonl(p) if p.as_os_str() == "-" => f.write_str("JSONL on standard output"),
            Target::Jsonl(p) => write!(f, "JSONL {}", p.display()),
            Target::Stdout => f.write_str("standard output"),
        }
    }
}

/// An opened [`Target`] and its resume state.
pub struct Output {
    sink: Box<dyn Sink>,
    done: HashSet<String>,
    vocabulary: Vocabulary,
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Output")
            .field("done", &self.done.len())
            .finish_non_exhaustive()
    }
}

impl Output {
    /// Opens `target` (creating the folder or the temporary file; reading
    /// and compacting a manifest to resume from).
    pub fn open(target: &Target) -> Result<Self, Error> {
        Self::open_as(target, Form::Text)
    }

    /// Like [`open`](Self::open), writing each body in `form`: `.md` or
    /// `.html` files in a folder, a `markdown` or `html` field beside `text`
    /// in JSONL, that form alone on standard output.
    pub fn open_as(target: &Target, form: Form) -> Result<Self, Error> {
        let mut out = Output {
            sink: Box::new(Text::new(io::BufWriter::new(io::stdout())).with_form(form)),
            done: HashSet::new(),
            vocabulary: Vocabulary::new(),
        };
        match target {
            Target::TextDir { dir, resume } => {
                let s = TxtDir::create_as(dir, *resume, form)?;
                out.vocabulary = s.done_vocabulary();
                out.done = s.done().clone();
                out.sink = Box::new(s);
            }
            Target::Jsonl(p) if p.as_os_str() == "-" => {
                // Line by line: standard output is a pipe to whatever reads
                // the lines as they come (a flush a page costs nothing beside
                // processing it).
                let jsonl = Jsonl::new(io::BufWriter::new(io::stdout()), "-");
                out.sink = Box::new(jsonl.with_form(form).flush_each_line());
            }
            Target::Jsonl(p) => out.sink = Box::new(JsonlFile::create_as(p, form)?),
            Target::Stdout => {}
        }
        Ok(out)
    }

    /// The ids an earlier run already finished (empty unless resuming).
    pub fn done(&self) -> &HashSet<String> {
        &self.done
    }

    /// Whether an earlier run already finished the page with this id.
    pub fn is_done(&self, id: &str) -> bool {
        self.done.contains(id)
    }

    /// The typo repair's batch vocabulary of the pages already done (for
    /// [`Pipeline::run_in_batch`](crate::Pipeline::run_in_batch)), taken
    /// out (an empty one is left).
    pub fn take_vocabulary(&mut self) -> Vocabulary {
        std::mem::take(&mut self.vocabulary)
    }

    /// Wraps the sink: every page goes through `wrap`'s sink first (e.g.
    /// [`RawDir`](crate::fetch::RawDir), keeping the raw responses).
    pub fn wrap<S: Sink + 'static>(
        &mut self,
        wrap: impl FnOnce(Box<dyn Sink>) -> Result<S, Error>,
    ) -> Result<(), Error> {
        let inner = std::mem::replace(&mut self.sink, Box::new(Text::new(io::sink())));
        self.sink = Box::new(wrap(inner)?);
        Ok(())
    }

    /// The sink the pipeline writes to.
    pub fn sink(&mut self) -> &mut dyn Sink {
        self.sink.as_mut()
    }
}

/// The text of `pith extract --explain`: the decoding, the title, every
/// removal with its stage and reason, the kept blocks and the repairs, one a
/// line, each text cut to 100 characters.
pub fn explain(a: &Article) -> String {
    use std::fmt::Write as _;
    let clip = |s: &str| -> String {
        let mut t: String = s.chars().take(100).collect();
        if s.chars().count() > 100 {
            t.push('…');
        }
        t
    };
    let mut out = String::new();
    if let Some(e) = &a.encoding {
        let _ = writeln!(out, "decoded  {} (rule: {})", e.name, e.rule);
    }
    let _ = writeln!(out, "title    {}", a.meta.title.as_deref().unwrap_or("-"));
    for d in &a.decisions {
        // The page's type and its features decide nothing removed: their own lines, whole.
        match d.reason.as_str() {
            "page-type" => {
                let _ = writeln!(out, "type     {}", d.what);
                continue;
            }
            "page-features" => {
                let _ = writeln!(out, "features {}", d.what);
                continue;
            }
            _ => {}
        }
        let _ = writeln!(
            out,
            "removed  {:<8} {:<16} {}",
            d.stage,
            d.reason,
            clip(&d.what)
        );
    }
    for b in &a.blocks {
        let kind = format!("{:?}", b.kind).to_lowercase();
        let _ = writeln!(out, "kept     {kind:<25} {}", clip(&b.text));
    }
    for r in &a.repairs {
        let _ = writeln!(out, "repaired {:<25} {} → {}", r.kind, r.from, r.to);
    }
    out
}
