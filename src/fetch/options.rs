//! What a [`Fetcher`](super::Fetcher) is told: its [`Options`] (the one
//! place their defaults are written; `pith fetch`'s flags default from
//! them) and the [`Target`]s of a URL list.

use std::io::Read as _;
use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::Error;

/// How a [`Fetcher`](super::Fetcher) behaves. Start from [`Options::default`] and change fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Requests in flight at once, overall.
    pub concurrency: usize,
    /// Requests in flight at once to one host (host and port).
    pub per_host: usize,
    /// Least time between the starts of two requests to one host.
    pub host_delay: Duration,
    /// Time allowed to open a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed from sending a request to the response headers.
    pub first_byte_timeout: Duration,
    /// Time allowed for a whole response, body included.
    pub timeout: Duration,
    /// Largest body accepted, counted after content decoding.
    pub max_bytes: u64,
    /// Redirects followed for one URL.
    pub max_redirects: usize,
    /// Retries after the first attempt (connect errors, resets, 408, 429, 5xx).
    pub retries: u32,
    /// Backoff before the first retry; it doubles for each further one (with jitter).
    pub retry_base: Duration,
    /// Longest `Retry-After` waited for; a longer one fails the page instead.
    pub max_retry_after: Duration,
    /// Obey robots.txt.
    pub robots: bool,
    /// Refuse URLs and redirects to loopback, private, link-local and cloud
    /// metadata addresses (checked on the resolved addresses, on every hop).
    pub deny_private: bool,
    /// The `User-Agent` header. Its first word (before `/`) is the robots.txt token.
    pub user_agent: String,
}

/// The default `User-Agent`: pith, its version and where to read about it.
pub const USER_AGENT: &str = concat!(
    "pith/",
    env!("CARGO_PKG_VERSION"),
    " (+https://crates.io/crates/pith)"
);

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 32,
            per_host: 2,
            host_delay: Duration::from_millis(250),
            connect_timeout: Duration::from_secs(10),
            first_byte_timeout: Duration::from_secs(30),
            timeout: Duration::from_secs(60),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 10,
            retries: 3,
            retry_base: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            robots: true,
            deny_private: false,
            user_agent: USER_AGENT.to_owned(),
        }
    }
}

/// One URL to fetch and the page id its output is named by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `NNN_hash16`: the URL's position in its list, zero-padded to three
    /// digits, and the first 16 hex digits of the SHA-256 of the URL as listed.
    pub id: String,
    /// The URL as listed.
    pub url: String,
}

impl Target {
    /// The target for the URL at `index` (0-based) of a list.
    pub fn new(index: usize, url: &str) -> Self {
        let digest = Sha256::digest(url.as_bytes());
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Target {
            id: format!("{index:03}_{hash}"),
            url: url.to_owned(),
        }
    }

    /// The targets of a URL list: one URL a line, surrounding spaces trimmed,
    /// blank lines and `#` comments skipped. Lines are not checked here: an
    /// invalid URL fails when fetched, and is recorded.
    pub fn list(text: &str) -> Vec<Target> {
        Self::list_from(text, 0)
    }

    /// Like [`list`](Self::list), numbering from `first` (for a list read in parts).
    pub fn list_from(text: &str, first: usize) -> Vec<Target> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .enumerate()
            .map(|(i, url)| Target::new(first + i, url))
            .collect()
    }

    /// The targets of URL list files, in order and numbered across them (see
    /// [`list`](Self::list)); `-` is standard input, which can be named once.
    pub fn read_lists(paths: &[PathBuf]) -> Result<Vec<Target>, Error> {
        if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            return Err(Error::Inputs(
                "`-` (standard input) can be given only once".into(),
            ));
        }
        let mut targets = Vec::new();
        for p in paths {
            let bytes = if p.as_os_str() == "-" {
                let mut b = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut b)
                    .map_err(|e| Error::io("-", e))?;
                b
            } else {
                std::fs::read(p).map_err(|e| Error::io(p, e))?
            };
            let first = targets.len();
            targets.extend(Self::list_from(&String::from_utf8_lossy(&bytes), first));
        }
        Ok(targets)
    }
}
