//! Command-line definitions (clap): subcommands, flags and their `--help` text.
//! The pipeline file says what happens to a page; these flags describe the run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Check or bless golden cases (folders with input, expected.txt, case.toml).
    #[command(subcommand)]
    Golden(GoldenCommand),
    /// Score extraction on evaluation sets and hold it to the pinned floors.
    ///
    /// Every folder under ROOT with truth.jsonl and pages/ is a set. Scores are
    /// computed as ../shared/bench/score.py computes them. Exit 1 when a score
    /// falls below its floor in the floors file.
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
    /// List this many worst pages of each set.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub worst: usize,
    /// Pipeline: a NAME (pipelines/NAME.toml) or a PATH to a .toml file.
    #[arg(long, value_name = "NAME|PATH", default_value = "default")]
    pub pipeline: String,
}

/// `pith golden …`
#[derive(Debug, Subcommand)]
pub enum GoldenCommand {
    /// Run every case in DIR (default `golden/`) and compare with expected.txt.
    ///
    /// A mismatch prints a unified diff and writes expected.txt.new beside the
    /// case (not when the CI environment variable is set). Exit 1 if any case fails.
    Check {
        /// The golden folder.
        #[arg(default_value = "golden")]
        dir: PathBuf,
        /// Do not write expected.txt.new files.
        #[arg(long)]
        no_new: bool,
    },
    /// Accept the current output as expected.txt for the named cases (all if none).
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
    /// Write one DIR/<id>.txt per page plus DIR/manifest.jsonl.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write one JSON object per page to PATH (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub jsonl: Option<PathBuf>,
    /// The page's URL (one input only): used for metadata.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// An HTTP Content-Type header value, used as a charset hint.
    #[arg(long, value_name = "VALUE")]
    pub content_type: Option<String>,
    /// Pipeline: a NAME (pipelines/NAME.toml) or a PATH to a .toml file.
    #[arg(long, value_name = "NAME|PATH", default_value = "default")]
    pub pipeline: String,
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
    /// Milliseconds one page may take; a slower page fails with "time budget
    /// exceeded" and the batch goes on. 0: no limit (pipeline key
    /// limits.page_time_ms, default 30000).
    #[arg(long, value_name = "MS")]
    pub time_budget: Option<u64>,
    /// Keep photo captions and credits (pipeline key extract.keep_captions).
    #[arg(long)]
    pub keep_captions: bool,
    /// Keep comment sections (pipeline key extract.keep_comments).
    #[arg(long)]
    pub keep_comments: bool,
}
