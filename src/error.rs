//! Errors, grouped in one place. Every variant names what it is about (a path,
//! a URL, a pipeline key) so a message read in a log is enough to act on.

use std::path::PathBuf;

/// Everything that can go wrong in pith, as one `#[non_exhaustive]` enum.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed. The message already holds the cause
    /// (it is what manifests record), so it is not repeated as a `source()`.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// A pipeline file could not be read, parsed or compiled.
    #[error("pipeline {origin}: {message}")]
    Config {
        /// The file (or `<default>` / `<string>`) the pipeline came from.
        origin: String,
        /// What is wrong, naming the key where there is one.
        message: String,
    },
    /// The bytes could not be turned into text.
    #[error("decode: {0}")]
    Decode(#[from] crate::decode::DecodeError),
    /// No article text could be found.
    #[error("extract: {0}")]
    Extract(String),
    /// Fetching a URL failed.
    #[error("fetch {url}: {message}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why it failed.
        message: String,
    },
    /// A URL was deliberately not fetched or not processed: robots.txt
    /// disallows it, or the response is not HTML. Recorded as `skipped`, not
    /// as a failure.
    #[error("skipped {url}: {reason}")]
    Skipped {
        /// The URL (without credentials).
        url: String,
        /// Why.
        reason: String,
    },
    /// A golden case is malformed.
    #[error("golden case {}: {message}", path.display())]
    Golden {
        /// The case folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A page took longer than `[limits] page_time_ms`.
    #[error("time budget exceeded: over {limit_ms} ms (pipeline key limits.page_time_ms)")]
    TimeBudget {
        /// The budget, in milliseconds.
        limit_ms: u64,
    },
    /// A page is bigger than `[limits] max_page_bytes`.
    #[error("page too large: {bytes} bytes, over the limit of {limit} (pipeline key limits.max_page_bytes)")]
    TooLarge {
        /// The page's size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The inputs of a run cannot be used as given: they hold no pages, or
    /// name standard input twice.
    #[error("{0}")]
    Inputs(String),
    /// A line of `--input jsonl` is not a page: not JSON, not an object, no
    /// body, bad base64, invalid UTF-8, blank, or too long.
    #[error("input line {number}: {message}")]
    BadLine {
        /// The line's number in the run, from 1.
        number: u64,
        /// What is wrong with it.
        message: String,
    },
    /// Another run is writing the output this run would write.
    #[error("{}: {holder}; this run leaves it alone (wait for that run to end, or choose another output)", path.display())]
    Locked {
        /// The output (a folder or a file).
        path: std::path::PathBuf,
        /// Who holds it, as its lock file says.
        holder: String,
    },
    /// A bug: processing the page panicked. The page fails, the batch goes on.
    #[error("internal error: {0}")]
    Internal(String),
    /// Writing JSON failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause: source,
        }
    }
}
