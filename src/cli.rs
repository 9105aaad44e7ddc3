//! Command-line definitions (clap): subcommands, flags and their `--help` text.
//! The pipeline file says what happens to a page; these flags describe the run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use pith::output::Target;

/// pith: clean article text from scraped web pages.
///
/// Exit codes: 0 every page ok; 1 some pages failed (each recorded, the others
/// written); 2 usage, configuration or I/O error.
#[derive(Debug, Parser)]
#[command(name = "pith", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract clean article text from HTML pages.
    ///
    /// INPUT is an HTML file, a folder (every *.html, *.htm, *.xhtml, also
    /// gzipped, recursively) or `-` for standard input (the default). One page
    /// and neither --out nor --jsonl: the text goes to standard output.
    Extract(RunArgs),
    /// Clean text an older scraper already produced (*.txt files or folders).
    ///
    /// Drops leftover lines (date labels, captions, headline and dateline,
    /// related/popular/ranking lists, breadcrumbs, "Back to …" links), brings
    /// the layout to pith's output format and repairs the text.
    Clean(RunArgs),
    /// Fetch a list of URLs and extract each page's article text.
    ///
    /// URLS_FILE holds one URL a line (blank lines and `#` comments skipped;
    /// `-` or nothing reads standard input). Each page goes through the same
    /// pipeline as `pith extract` and is written as DIR/<NNN>_<hash16>.txt (NNN
    /// the URL's position in the list, hash16 from the SHA-256 of the URL) with
    /// a record in DIR/manifest.jsonl. Running the same command again skips the
    /// pages already ok and redoes the rest. Exit 1 if some URL failed; skipped
    /// URLs (robots.txt, not HTML) do not count as failures.
    #[cfg(feature = "fetch")]
    Fetch(FetchArgs),
    /// Check, bless or add golden cases (folders with input, expected.txt, case.toml).
    #[command(subcommand)]
    Golden(GoldenCommand),
    /// Score extraction on evaluation sets and hold it to the pinned floors.
    ///
    /// Every folder under ROOT with truth.jsonl and pages/ is a set. Scores are
    /// computed as ../shared/bench/score.py computes them. Exit 1 when a score
    /// falls below its floor in the floors file.
    ///
    /// With --repair: score the repair stage instead. Every `text` of
    /// ROOT/*/truth.jsonl is corrupted by a seeded generator (mojibake of
    /// several kinds, typos of five kinds), repaired, and compared with the
    /// clean text; the clean texts are also repaired untouched (every change
    /// is a false positive). Prints per kind: texts, restored exactly,
    /// corrections right/wrong, missed, precision, recall.
    Eval(EvalArgs),
}

/// `pith eval …`
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The folder holding the evaluation sets.
    #[arg(default_value = "../shared/bench")]
    pub root: PathBuf,
    /// The floors file.
    #[arg(long, default_value = "quality.toml")]
    pub floors: PathBuf,
    /// Raise the floors to the scores measured now (never lowers them).
    #[arg(long)]
    pub raise: bool,
    /// With --raise: also lower floors to the scores measured now.
    #[arg(long, requires = "raise")]
    pub allow_regression: bool,
    /// List this many worst pages of each set (with --meta: also this many
    /// pages each metadata field got wrong).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub worst: usize,
    /// Report title, author, language, published date and site as a table:
    /// on pages whose truth has a value, how many pith matches (case and
    /// whitespace ignored, titles also without a site name before or after,
    /// authors as sets of people, dates as YYYY-MM-DD); on pages whose truth
    /// has none, how many pith gives one anyway.
    #[arg(long, conflicts_with = "repair")]
    pub meta: bool,
    /// Pipeline: a NAME (pipelines/NAME.toml) or a PATH to a .toml file.
    #[arg(long, value_name = "NAME|PATH", default_value = "default")]
    pub pipeline: String,
    /// Score the repair stage on corrupted clean texts (see above).
    #[arg(long, conflicts_with_all = ["raise", "allow_regression"])]
    pub repair: bool,
    /// With --repair: the generator's seed.
    #[arg(long, requires = "repair", default_value_t = pith::eval::repair::DEFAULT_SEED)]
    pub seed: u64,
    /// With --repair: repair each kind's texts as one batch, in set order,
    /// each with the vocabulary of the texts before it (as `pith extract`
    /// does over a folder) instead of each text alone.
    #[arg(long, requires = "repair")]
    pub batch: bool,
    /// With --repair: also write the corrupted set to PATH as JSONL
    /// (`id, kind, input, reference`), for scripts/compare_ftfy.py.
    #[arg(long, value_name = "PATH", requires = "repair")]
    pub dump_corpus: Option<PathBuf>,
}

/// `pith golden …`
#[derive(Debug, Subcommand)]
pub enum GoldenCommand {
    /// Run every case in DIR (default `golden/`) and compare with expected.txt
    /// (and expected.md where a case has one).
    ///
    /// A mismatch prints the changed text's shingle F1 against expected.txt and
    /// a unified diff, and writes expected.txt.new beside the case (not when the
    /// CI environment variable is set); the last line counts the cases and gives
    /// the mean and worst F1 of those that changed. Exit 1 if any case fails.
    Check {
        /// The golden folder.
        #[arg(default_value = "golden")]
        dir: PathBuf,
        /// Do not write expected.txt.new files.
        #[arg(long)]
        no_new: bool,
        /// Also write a JUnit XML report of the run to FILE (for CI systems).
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
    },
    /// Make a new case DIR/CASE of PAGE and bless its current output.
    ///
    /// PAGE is an HTML file (raw bytes, any charset), a `.txt` of scraped
    /// text, or `-` for standard input. Writes input.html|input.txt,
    /// case.toml (url, why, an empty `without` list to fill in),
    /// expected.txt and expected.md. Refuses a case that exists already.
    Add {
        /// The golden folder (created if missing).
        dir: PathBuf,
        /// The new case's folder name.
        case: String,
        /// The page: a file, or `-` for standard input.
        page: PathBuf,
        /// The page's URL (resolves links; some rules read its path).
        #[arg(long)]
        url: Option<String>,
        /// Why the case exists, for whoever sees it fail.
        #[arg(long, default_value = "pinned with pith golden add")]
        why: String,
    },
    /// Accept the current output as expected.txt and expected.md for the named cases (all if none).
    ///
    /// Usage: `pith golden bless [DIR] [CASE]...`. The first argument is taken
    /// as DIR when it is a folder holding cases; DIR defaults to `golden/`.
    /// Refuses an output that contains one of the case's `without` strings.
    Bless {
        /// [DIR] then [CASE]...
        args: Vec<String>,
    },
}

/// When to draw a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Progress {
    /// When standard error is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options shared by `extract` and `clean`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Files, folders, or `-` for standard input.
    pub inputs: Vec<PathBuf>,
    /// What the inputs hold: `auto`, one page a file (folders walked by
    /// extension), or `jsonl`, one page a line, `{"id", "url", "html" |
    /// "html_b64", "content_type", "content_language"}`, read as it comes,
    /// answered by one JSONL line each, in order, flushed (on standard
    /// output unless --out or --jsonl); implies --independent.
    #[arg(long, value_enum, default_value = "auto", value_name = "KIND")]
    pub input: InputKind,
    /// Write one DIR/<id>.txt per page plus DIR/manifest.jsonl.
    #[arg(long, value_name = "DIR", conflicts_with = "jsonl")]
    pub out: Option<PathBuf>,
    /// Write one JSON object per page to PATH (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub jsonl: Option<PathBuf>,
    /// The body's form: `text` (plain, the default), `markdown` (`#`
    /// headings, lists, GitHub tables, fenced code, `>` quotes) or `html`.
    /// With --out the files are <id>.txt, <id>.md or <id>.html; JSONL keeps
    /// `text` and adds a `markdown` or `html` field.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutForm,
    /// The page's URL (one input only): used for metadata.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// An HTTP Content-Type header value, used as a charset hint.
    #[arg(long, value_name = "VALUE")]
    pub content_type: Option<String>,
    /// An HTTP Content-Language header value (`de`, `en-GB`): the pages'
    /// language where their markup declares none.
    #[arg(long, value_name = "LANG")]
    pub content_language: Option<String>,
    /// The pipeline and the flags that set its keys for this run.
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Pages processed at once (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// With --out: skip pages the manifest already records as ok.
    #[arg(long)]
    pub resume: bool,
    /// Progress bar on standard error.
    #[arg(long, value_enum, default_value = "auto")]
    pub progress: Progress,
    /// Print pages, MB, seconds, pages/s and peak RSS to standard error at the end.
    #[arg(long)]
    pub stats: bool,
    /// Do not report failed pages on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// For one page: list what was removed, by whom and why, then the kept blocks.
    #[arg(long)]
    pub explain: bool,
}

/// The `--input` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Files (or standard input) of one page each; folders walked.
    Auto,
    /// JSON lines of one page each.
    Jsonl,
}

/// The `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutForm {
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// A small HTML document.
    Html,
}

impl From<OutForm> for pith::render::Form {
    fn from(f: OutForm) -> Self {
        match f {
            OutForm::Text => pith::render::Form::Text,
            OutForm::Markdown => pith::render::Form::Markdown,
            OutForm::Html => pith::render::Form::Html,
        }
    }
}

/// The pipeline of a run and the flags that set its keys for that run only
/// (`extract`, `clean` and `fetch`).
#[derive(Debug, Clone, Args)]
pub struct PipelineArgs {
    /// Pipeline: a NAME (pipelines/NAME.toml) or a PATH to a .toml file.
    #[arg(long, value_name = "NAME|PATH", default_value = "default")]
    pub pipeline: String,
    /// Milliseconds one page may take to process; a slower page fails with
    /// "time budget exceeded" and the batch goes on. 0: no limit (pipeline
    /// key limits.page_time_ms, default 30000).
    #[arg(long, value_name = "MS")]
    pub time_budget: Option<u64>,
    /// Keep photo captions and credits (pipeline key extract.keep_captions).
    #[arg(long)]
    pub keep_captions: bool,
    /// Keep comment sections (pipeline key extract.keep_comments).
    #[arg(long)]
    pub keep_comments: bool,
    /// Keep data tables (pipeline key extract.keep_tables; already on in the
    /// default pipeline, for pipelines that turn it off).
    #[arg(long)]
    pub keep_tables: bool,
    /// With --format markdown|html: keep links inline, as `[text](absolute
    /// URL)` or `<a href>` (pipeline key extract.keep_links).
    #[arg(long)]
    pub links: bool,
    /// With --format markdown|html: keep the images of the text, as
    /// `![alt](absolute URL)` or `<img>` (pipeline key extract.keep_images).
    #[arg(long)]
    pub images: bool,
    /// Keep only pages in these languages (two-letter codes, comma-separated:
    /// `en,de`); others are recorded as skipped, with their language
    /// (pipeline key limits.langs).
    #[arg(long, value_delimiter = ',', value_name = "LANGS")]
    pub lang: Vec<String>,
    /// Each page's output depends on that page alone, not on the pages run
    /// before it in the batch (so not on how a job is split): the typo
    /// repair weighs no batch vocabulary (pipeline key
    /// repair.batch_vocabulary = false). On by default with --input jsonl;
    /// `--independent=false` turns it off there.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub independent: Option<bool>,
}

/// The output `--out DIR` / `--jsonl PATH` names, if any (clap lets at most
/// one through).
pub fn target(out: &Option<PathBuf>, jsonl: &Option<PathBuf>, resume: bool) -> Option<Target> {
    match (out, jsonl) {
        (Some(dir), _) => Some(Target::TextDir {
            dir: dir.clone(),
            resume,
        }),
        (None, Some(p)) => Some(Target::Jsonl(p.clone())),
        (None, None) => None,
    }
}

impl PipelineArgs {
    /// Only `--pipeline`, no key set.
    pub fn named(pipeline: &str) -> Self {
        PipelineArgs {
            pipeline: pipeline.to_owned(),
            time_budget: None,
            keep_captions: false,
            keep_comments: false,
            keep_tables: false,
            links: false,
            images: false,
            lang: Vec::new(),
            independent: None,
        }
    }
}

/// `pith fetch …`
#[cfg(feature = "fetch")]
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Files of URLs, one a line, or `-` for standard input (the default).
    #[arg(value_name = "URLS_FILE|-")]
    pub lists: Vec<PathBuf>,
    /// Write DIR/<id>.txt per page plus DIR/manifest.jsonl; a rerun resumes.
    #[arg(
        long,
        value_name = "DIR",
        conflicts_with = "jsonl",
        required_unless_present = "jsonl"
    )]
    pub out: Option<PathBuf>,
    /// Write one JSON object per page to PATH (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub jsonl: Option<PathBuf>,
    /// The body's form: `text` (plain, the default), `markdown` (`#`
    /// headings, lists, GitHub tables, fenced code, `>` quotes) or `html`.
    /// With --out the files are <id>.txt, <id>.md or <id>.html; JSONL keeps
    /// `text` and adds a `markdown` or `html` field.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutForm,
    /// Keep each response: DIR/<id>.html and DIR/<id>.http.json (URL,
    /// status, Content-Type), for `pith extract DIR` later.
    #[arg(long, value_name = "DIR")]
    pub raw: Option<PathBuf>,
    /// Requests in flight at once, overall.
    #[arg(long, value_name = "N", default_value_t = fetch_defaults().concurrency)]
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    #[arg(long, value_name = "N", default_value_t = fetch_defaults().per_host)]
    pub per_host: usize,
    /// Least time between two request starts on one host (`250ms`, `1s`, `0`).
    #[arg(long, value_name = "TIME", default_value_t = Time(fetch_defaults().host_delay), value_parser = duration)]
    pub delay: Time,
    /// Time allowed to connect.
    #[arg(long, value_name = "TIME", default_value_t = Time(fetch_defaults().connect_timeout), value_parser = duration)]
    pub connect_timeout: Time,
    /// Time allowed from request to response headers.
    #[arg(long, value_name = "TIME", default_value_t = Time(fetch_defaults().first_byte_timeout), value_parser = duration)]
    pub first_byte_timeout: Time,
    /// Time allowed for a whole response.
    #[arg(long, value_name = "TIME", default_value_t = Time(fetch_defaults().timeout), value_parser = duration)]
    pub timeout: Time,
    /// Largest body accepted, in bytes after decompression.
    #[arg(long, value_name = "BYTES", default_value_t = fetch_defaults().max_bytes)]
    pub max_bytes: u64,
    /// Redirects followed for one URL.
    #[arg(long, value_name = "N", default_value_t = fetch_defaults().max_redirects)]
    pub max_redirects: usize,
    /// Retries of connect errors, resets, 408, 429 and 5xx.
    #[arg(long, value_name = "N", default_value_t = fetch_defaults().retries)]
    pub retries: u32,
    /// Backoff before the first retry; doubled for each next one, with jitter.
    #[arg(long, value_name = "TIME", default_value_t = Time(fetch_defaults().retry_base), value_parser = duration)]
    pub retry_base: Time,
    /// Longest Retry-After waited for; a longer one fails the URL.
    #[arg(long, value_name = "TIME", default_value_t = Time(fetch_defaults().max_retry_after), value_parser = duration)]
    pub max_retry_after: Time,
    /// Do not fetch or obey robots.txt.
    #[arg(long)]
    pub ignore_robots: bool,
    /// Refuse URLs and redirects that resolve to loopback, private, link-local
    /// or metadata addresses.
    #[arg(long)]
    pub deny_private: bool,
    /// The User-Agent header (its first word is the robots.txt token).
    #[arg(long, value_name = "STRING", default_value_t = fetch_defaults().user_agent)]
    pub user_agent: String,
    /// The pipeline and the flags that set its keys for this run.
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Pages processed at once (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Progress bar on standard error.
    #[arg(long, value_enum, default_value = "auto")]
    pub progress: Progress,
    /// Print only errors: no per-URL failures, no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The fetch options' defaults: the `[default: …]` of every fetch flag.
#[cfg(feature = "fetch")]
fn fetch_defaults() -> pith::fetch::Options {
    pith::fetch::Options::default()
}

#[cfg(feature = "fetch")]
impl FetchArgs {
    /// The fetch options these flags set.
    pub fn options(&self) -> pith::fetch::Options {
        let mut o = pith::fetch::Options::default();
        o.concurrency = self.concurrency;
        o.per_host = self.per_host;
        o.host_delay = self.delay.0;
        o.connect_timeout = self.connect_timeout.0;
        o.first_byte_timeout = self.first_byte_timeout.0;
        o.timeout = self.timeout.0;
        o.max_bytes = self.max_bytes;
        o.max_redirects = self.max_redirects;
        o.retries = self.retries;
        o.retry_base = self.retry_base.0;
        o.max_retry_after = self.max_retry_after.0;
        o.robots = !self.ignore_robots;
        o.deny_private = self.deny_private;
        o.user_agent = self.user_agent.clone();
        o
    }
}

/// A duration flag's value, shown in `--help` as `250ms` or `10s`.
#[cfg(feature = "fetch")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time(pub std::time::Duration);

#[cfg(feature = "fetch")]
impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = self.0.as_millis();
        if ms.is_multiple_of(1000) {
            write!(f, "{}s", ms / 1000)
        } else {
            write!(f, "{ms}ms")
        }
    }
}

/// Parses a duration: a number with `ms`, `s` or `m` (a bare number is seconds).
#[cfg(feature = "fetch")]
fn duration(text: &str) -> Result<Time, String> {
    let t = text.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (e.g. 250ms, 2s, 1.5s, 1m)"))?;
    std::time::Duration::try_from_secs_f64(v * scale)
        .map(Time)
        .map_err(|e| format!("{text:?}: {e}"))
}
