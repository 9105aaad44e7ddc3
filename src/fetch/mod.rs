//! Fetching: a list of URLs becomes a stream of [`Page`]s for
//! [`Pipeline::run`](crate::Pipeline::run), so a crawler can embed fetch and
//! clean together (or only clean, feeding its own pages).
//!
//! [`Fetcher`] owns one HTTP client (rustls; gzip, brotli, deflate, zstd) and
//! the politeness state: a limit on requests in flight overall and per host, a
//! minimum delay between request starts on one host (raised by a `Retry-After`
//! or a robots.txt `Crawl-delay`), and robots.txt, fetched once per host.
//! Redirects are followed by hand, so every hop is checked again: scheme,
//! private addresses, robots.txt, loops. Bodies are read in chunks and capped
//! after decompression, so a gzip bomb stops at the cap. Connect errors,
//! resets, 408, 429 and 5xx are retried with exponential backoff and jitter.
//!
//! Every outcome is a `Result<Page, Failure>`: a failure carries the
//! [`FetchInfo`] of what happened, and a URL deliberately left alone (robots.txt,
//! not HTML) fails with [`Error::Skipped`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), pith::Error> {
//! use pith::fetch::{Fetcher, Options, Target};
//! let fetcher = Fetcher::new(Options::default())?;
//! let targets = Target::list("https://example.com/a\nhttps://example.com/b\n");
//! let mut out = pith::Jsonl::new(std::io::stdout(), "-");
//! let report = pith::Pipeline::default()
//!     .run(fetcher.stream(targets), &mut out, 4, |_, _| {})
//!     .await?;
//! # Ok(()) }
//! ```

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{Stream, StreamExt};
use reqwest::header::{CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::{StatusCode, Url};
use tokio::sync::{OnceCell, Semaphore, SemaphorePermit};
use tokio::time::Instant;

mod http;
mod options;
mod private;
mod raw;

pub use http::redact;
use http::{
    backoff, describe, header, is_html, redact_url, retry_after, secs, source_chain,
    transport_error,
};
pub use options::{Options, Target, USER_AGENT};
pub use private::is_private;
use private::{denied, PublicOnly, Refused};
pub use raw::RawDir;

use crate::error::Error;
use crate::page::{Failure, FetchInfo, Origin, Page, Stage};

/// Largest robots.txt read; the rest is ignored (Google reads 500 KiB).
const ROBOTS_MAX_BYTES: usize = 512 * 1024;
/// Redirects followed for robots.txt (RFC 9309 asks for at least five).
const ROBOTS_MAX_REDIRECTS: usize = 5;
/// Longest `Crawl-delay` obeyed; a site asking for more gets this.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);
/// Longest backoff between two retries, however many came before.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Fetch tasks alive at once per request slot: tasks waiting for a busy host
/// hold no slot, so others can use it, but their number stays bounded.
const WINDOW_PER_SLOT: usize = 4;

/// Fetches URLs politely; cheap to clone (clones share the client, the limits
/// and the per-host state).
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Shared>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("options", &self.inner.opts)
            .finish()
    }
}

struct Shared {
    client: reqwest::Client,
    opts: Options,
    /// The robots.txt product token: the user agent's first word, lowercased.
    agent_token: String,
    slots: Semaphore,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

/// What is known about one host (scheme, name and port).
struct Host {
    permits: Semaphore,
    pace: Mutex<Pace>,
    robots: OnceCell<Robots>,
}

struct Pace {
    /// The earliest start of the next request.
    next: Instant,
    /// The least gap between two request starts.
    delay: Duration,
}

enum Robots {
    /// No robots.txt (4xx), or robots are ignored.
    AllowAll,
    Rules(Box<texting_robots::Robot>),
    /// robots.txt could not be read (5xx, network error): the host's pages fail.
    Unavailable(String),
    /// The host is refused (`deny_private`): its pages fail with this reason.
    Refused(String),
}

/// How one request ended.
enum Hop {
    Done(Vec<u8>),
    Redirect(Url),
    /// Worth another try; the server may have said how long to wait.
    Retry(String, Option<Duration>),
    Fail(Error),
}

impl Fetcher {
    /// Builds the HTTP client. Proxy settings from the environment are not
    /// used (the library reads no environment variables).
    pub fn new(opts: Options) -> Result<Self, Error> {
        let config = |message: String| Error::Config {
            origin: "fetch options".to_owned(),
            message,
        };
        if opts.concurrency == 0 || opts.per_host == 0 {
            return Err(config(
                "concurrency and per-host limits must be at least 1".into(),
            ));
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(opts.connect_timeout)
            .no_proxy()
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .zstd(true);
        if opts.deny_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        let client = builder.build().map_err(|e| config(describe(e)))?;
        let agent_token = opts
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("pith")
            .to_ascii_lowercase();
        Ok(Fetcher {
            inner: Arc::new(Shared {
                client,
                slots: Semaphore::new(opts.concurrency),
                agent_token,
                opts,
                hosts: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.inner.opts
    }

    /// Fetches `targets` as a stream of pages, in the order they finish. Each
    /// fetch runs as its own task (so a slow consumer never stalls a body
    /// half-read); at most a few times `concurrency` are alive at once, so
    /// memory stays bounded however long the list. Must be polled inside a
    /// Tokio runtime.
    pub fn stream<I>(&self, targets: I) -> impl Stream<Item = Result<Page, Failure>> + Send
    where
        I: IntoIterator<Item = Target>,
        I::IntoIter: Send,
    {
        let me = self.clone();
        let window = self.inner.opts.concurrency.saturating_mul(WINDOW_PER_SLOT);
        futures::stream::iter(targets)
            .map(move |t| {
                let me = me.clone();
                async move {
                    let id = t.id.clone();
                    let shown = redact(&t.url);
                    match tokio::spawn(async move { me.fetch(&t).await }).await {
                        Ok(r) => r,
                        Err(e) => Err(Failure {
                            id,
                            origin: Origin::Fetched(Box::new(FetchInfo::new(shown.clone()))),
                            url: Some(shown.clone()),
                            stage: Stage::Fetch,
                            error: Box::new(Error::Fetch {
                                url: shown,
                                message: format!("internal error: {e}"),
                            }),
                        }),
                    }
                }
            })
            .buffer_unordered(window.max(1))
    }

    /// Fetches one URL: a page ready for [`Pipeline::process`](crate::Pipeline::process),
    /// or a failure saying what happened (a skipped URL fails with [`Error::Skipped`]).
    pub async fn fetch(&self, target: &Target) -> Result<Page, Failure> {
        let shown = redact(&target.url);
        let mut info = FetchInfo::new(shown.clone());
        let mut started = None;
        let result = self.get(&target.url, &shown, &mut info, &mut started).await;
        if let Some(t) = started {
            info.elapsed = t.elapsed();
        }
        match result {
            Ok(body) => {
                let mut page = Page::html(target.id.clone(), body);
                page.url = info.final_url.clone().or(Some(shown));
                page.content_type = info.content_type.clone();
                page.content_language = info.content_language.clone();
                Ok(page.with_origin(Origin::Fetched(Box::new(info))))
            }
            Err(error) => Err(Failure {
                id: target.id.clone(),
                origin: Origin::Fetched(Box::new(info)),
                url: Some(shown),
                stage: Stage::Fetch,
                error: Box::new(error),
            }),
        }
    }

    async fn get(
        &self,
        listed: &str,
        shown: &str,
        info: &mut FetchInfo,
        started: &mut Option<Instant>,
    ) -> Result<Vec<u8>, Error> {
        let o = &self.inner.opts;
        let fail = |message: String| Error::Fetch {
            url: shown.to_owned(),
            message,
        };
        let mut url = Url::parse(listed).map_err(|e| fail(format!("invalid URL: {e}")))?;
        let mut seen = HashSet::new();
        let mut retries = 0;
        for _hop in 0..=o.max_redirects {
            self.check(&url).map_err(fail)?;
            if !seen.insert(url.as_str().to_owned()) {
                return Err(fail(format!(
                    "redirect loop: {} was already visited",
                    redact_url(&url)
                )));
            }
            let host = self.host(&url);
            if o.robots {
                match self.robots(&host, &url).await {
                    Robots::AllowAll => {}
                    Robots::Rules(r) if r.allowed(url.as_str()) => {}
                    Robots::Rules(_) => {
                        return Err(Error::Skipped {
                            url: shown.to_owned(),
                            reason: format!("robots.txt disallows {}", redact_url(&url)),
                        })
                    }
                    Robots::Unavailable(why) => {
                        return Err(fail(format!("robots.txt unavailable: {why}")))
                    }
                    Robots::Refused(why) => return Err(fail(why.clone())),
                }
            }
            loop {
                let permits = self.acquire(&host).await;
                started.get_or_insert_with(Instant::now);
                info.attempts = retries + 1;
                match self.request(&url, &host, info).await {
                    Hop::Done(body) => return Ok(body),
                    Hop::Fail(e) => return Err(e),
                    Hop::Redirect(next) => {
                        url = next;
                        break;
                    }
                    Hop::Retry(why, _) if retries >= o.retries => {
                        return Err(fail(if o.retries == 0 {
                            why
                        } else {
                            format!("{why} (after {} retries)", o.retries)
                        }))
                    }
                    Hop::Retry(why, Some(wait)) if wait > o.max_retry_after => {
                        return Err(fail(format!(
                            "{why}: Retry-After {} s is longer than {} s",
                            wait.as_secs(),
                            o.max_retry_after.as_secs()
                        )))
                    }
                    Hop::Retry(_, after) => {
                        retries += 1;
                        let wait = backoff(o.retry_base, retries).max(after.unwrap_or_default());
                        drop(permits);
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        }
        Err(fail(format!("more than {} redirects", o.max_redirects)))
    }

    /// Whether a URL may be requested at all: scheme, and (with `deny_private`)
    /// an IP-literal host. Host names are checked when resolved.
    fn check(&self, url: &Url) -> Result<(), String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "only http and https are fetched, not {}:",
                url.scheme()
            ));
        }
        if self.inner.opts.deny_private {
            let Some(host) = url.host_str() else {
                return Err("no host in URL".to_owned());
            };
            let literal = host.trim_start_matches('[').trim_end_matches(']');
            if let Some(ip) = literal.parse::<IpAddr>().ok().filter(|ip| is_private(*ip)) {
                return Err(denied(&ip));
            }
        }
        Ok(())
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let key = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or_default()
        );
        let mut hosts = self
            .inner
            .hosts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let o = &self.inner.opts;
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Semaphore::new(o.per_host),
                    pace: Mutex::new(Pace {
                        next: Instant::now(),
                        delay: o.host_delay,
                    }),
                    robots: OnceCell::new(),
                })
            })
            .clone()
    }

    /// Waits for a request slot on `host` (its limit, then its pace) and overall.
    async fn acquire<'a>(
        &'a self,
        host: &'a Host,
    ) -> (Option<SemaphorePermit<'a>>, Option<SemaphorePermit<'a>>) {
        // The semaphores are never closed, so acquiring only ever waits.
        let permit = host.permits.acquire().await.ok();
        let wait = {
            let mut pace = host.pace.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let at = pace.next.max(now);
            pace.next = at + pace.delay;
            at - now
        };
        tokio::time::sleep(wait).await;
        let slot = self.inner.slots.acquire().await.ok();
        (permit, slot)
    }

    /// One request and, unless it redirects or fails, its body.
    async fn request(&self, url: &Url, host: &Host, info: &mut FetchInfo) -> Hop {
        let o = &self.inner.opts;
        let shown = info.url.clone();
        let fail = |message: String| {
            Hop::Fail(Error::Fetch {
                url: shown.clone(),
                message,
            })
        };
        let deadline = Instant::now() + o.timeout;
        let first_byte = o.first_byte_timeout.min(o.timeout);
        let send = self.inner.client.get(url.clone()).send();
        let resp = match tokio::time::timeout(first_byte, send).await {
            Err(_) => return fail(format!("no response within {} s", secs(first_byte))),
            Ok(Err(e)) => return transport_error(e, &shown),
            Ok(Ok(r)) => r,
        };
        let status = resp.status();
        info.status = Some(status.as_u16());
        info.final_url = Some(redact_url(url));
        info.content_type = header(resp.headers(), CONTENT_TYPE);
        info.content_language = header(resp.headers(), CONTENT_LANGUAGE);
        info.bytes = 0;
        if status.is_redirection() {
            let Some(location) = header(resp.headers(), LOCATION) else {
                return fail(format!("HTTP {status} without a Location"));
            };
            return match url.join(&location) {
                Ok(next) => Hop::Redirect(next),
                Err(e) => fail(format!("HTTP {status} to a bad Location: {e}")),
            };
        }
        if status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::REQUEST_TIMEOUT
            || status.is_server_error()
        {
            let after = retry_after(resp.headers());
            if let Some(wait) = after {
                // Honoured for the whole host, not only this URL.
                let mut pace = host.pace.lock().unwrap_or_else(|p| p.into_inner());
                pace.next = pace.next.max(Instant::now() + wait);
            }
            return Hop::Retry(format!("HTTP {status}"), after);
        }
        if !status.is_success() {
            return fail(format!("HTTP {status}"));
        }
        if let Some(ct) = &info.content_type {
            if !is_html(ct) {
                return Hop::Fail(Error::Skipped {
                    url: shown,
                    reason: format!("not HTML: {ct}"),
                });
            }
        }
        let declared = header(resp.headers(), CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > o.max_bytes) {
            return fail(format!(
                "body of {} bytes is over the limit of {} bytes",
                declared.unwrap_or_default(),
                o.max_bytes
            ));
        }
        let mut body = Vec::with_capacity(declared.unwrap_or(0).min(o.max_bytes) as usize);
        let mut resp = resp;
        loop {
            match tokio::time::timeout_at(deadline, resp.chunk()).await {
                Err(_) => {
                    return fail(format!(
                        "response not complete within {} s",
                        secs(o.timeout)
                    ))
                }
                Ok(Err(e)) => return transport_error(e, &shown),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => {
                    if (body.len() + chunk.len()) as u64 > o.max_bytes {
                        info.bytes = body.len() as u64;
                        return fail(format!("body over the limit of {} bytes", o.max_bytes));
                    }
                    body.extend_from_slice(&chunk);
                }
            }
        }
        info.bytes = body.len() as u64;
        Hop::Done(body)
    }

    /// The host's robots.txt rules, fetched on first use.
    async fn robots<'h>(&self, host: &'h Host, url: &Url) -> &'h Robots {
        host.robots
            .get_or_init(|| async {
                let robots = self.load_robots(host, url).await;
                if let Robots::Rules(r) = &robots {
                    if let Some(d) = r.delay.filter(|d| d.is_finite() && *d > 0.0) {
                        let d = Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY);
                        let mut pace = host.pace.lock().unwrap_or_else(|p| p.into_inner());
                        pace.delay = pace.delay.max(d);
                    }
                }
                robots
            })
            .await
    }

    async fn load_robots(&self, host: &Host, page: &Url) -> Robots {
        let Ok(mut url) = page.join("/robots.txt") else {
            return Robots::AllowAll;
        };
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let o = &self.inner.opts;
        for _ in 0..=ROBOTS_MAX_REDIRECTS {
            if let Err(e) = self.check(&url) {
                return Robots::Refused(e);
            }
            let (_permit, _slot) = self.acquire(host).await;
            let send = self.inner.client.get(url.clone()).send();
            let mut resp = match tokio::time::timeout(o.first_byte_timeout, send).await {
                Err(_) => return Robots::Unavailable("no response".to_owned()),
                Ok(Err(e)) => {
                    let refused = source_chain(&e)
                        .find_map(|s| s.downcast_ref::<Refused>())
                        .map(|r| r.0.clone());
                    return match refused {
                        Some(why) => Robots::Refused(why),
                        None => Robots::Unavailable(describe(e)),
                    };
                }
                Ok(Ok(r)) => r,
            };
            let status = resp.status();
            if status.is_redirection() {
                match header(resp.headers(), LOCATION).and_then(|l| url.join(&l).ok()) {
                    Some(next) => {
                        url = next;
                        continue;
                    }
                    None => return Robots::AllowAll,
                }
            }
            if status.is_client_error() {
                return Robots::AllowAll;
            }
            if !status.is_success() {
                return Robots::Unavailable(format!("HTTP {status}"));
            }
            let deadline = Instant::now() + o.timeout;
            let mut body = Vec::new();
            while body.len() < ROBOTS_MAX_BYTES {
                match tokio::time::timeout_at(deadline, resp.chunk()).await {
                    Ok(Ok(Some(c))) => body.extend_from_slice(&c),
                    Ok(Ok(None)) => break,
                    Ok(Err(e)) => return Robots::Unavailable(describe(e)),
                    Err(_) => return Robots::Unavailable("timed out".to_owned()),
                }
            }
            body.truncate(ROBOTS_MAX_BYTES);
            return match texting_robots::Robot::new(&self.inner.agent_token, &body) {
                Ok(r) => Robots::Rules(Box::new(r)),
                Err(_) => Robots::AllowAll,
            };
        }
        Robots::AllowAll
    }
}

#[cfg(test)]
mod tests {
    use super::http::http_date;
    use super::*;

    #[test]
    fn ids_are_position_and_url_hash() {
        let t = Target::list("# list\n\n  https://example.com/a  \nnot a url\n");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].url, "https://example.com/a");
        assert!(t[0].id.starts_with("000_"));
        assert_eq!(t[0].id.len(), 4 + 16);
        assert!(t[1].id.starts_with("001_"));
        assert_eq!(Target::new(1234, "x").id[..5], *"1234_");
        // SHA-256("abc") = ba7816bf8f01cfea…
        assert_eq!(Target::new(7, "abc").id, "007_ba7816bf8f01cfea");
    }

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(redact("https://u:p@h.example/a@b"), "https://h.example/a@b");
        assert_eq!(redact("http://h/x?u=a@b"), "http://h/x?u=a@b");
        assert_eq!(redact("ftp://me@h"), "ftp://h");
        assert_eq!(redact("u:secret@h/x"), "h/x");
        let u = Url::parse("http://u:secret@h.example:8080/p").unwrap();
        assert_eq!(redact_url(&u), "http://h.example:8080/p");
    }

    #[test]
    fn content_types() {
        assert!(is_html("text/html; charset=koi8-r"));
        assert!(is_html("Application/XHTML+xml"));
        assert!(is_html(""));
        assert!(!is_html("application/pdf"));
        assert!(!is_html("text/plain"));
    }

    #[test]
    fn http_dates_and_backoff() {
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(http_date("yesterday"), None);
        let base = Duration::from_millis(100);
        for n in 1..=5u32 {
            let d = backoff(base, n);
            let full = base * (1 << (n - 1));
            assert!(d >= full / 2 && d <= full, "{n}: {d:?}");
        }
        assert!(backoff(Duration::from_secs(10), 30) <= MAX_BACKOFF);
    }

    #[test]
    fn bad_options_are_config_errors() {
        let o = Options {
            per_host: 0,
            ..Options::default()
        };
        assert!(matches!(Fetcher::new(o), Err(Error::Config { .. })));
    }
}
