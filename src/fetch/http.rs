//! HTTP helpers of the fetcher: headers, `Retry-After` and HTTP dates,
//! retry backoff, transport errors as messages, URLs as they may be shown.

use std::time::Duration;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::Url;

use super::private::Refused;
use super::{Hop, MAX_BACKOFF};
use crate::error::Error;

/// A header's value as text, if it is text.
pub(super) fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
}

pub(super) fn secs(d: Duration) -> String {
    format!("{}", d.as_secs_f64())
}

/// Whether a `Content-Type` names an HTML document.
pub(super) fn is_html(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media.is_empty() || media == "text/html" || media == "application/xhtml+xml"
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = header(headers, RETRY_AFTER)?;
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let at = http_date(&v)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(super) fn http_date(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| x == month)? as i64 + 1;
    let d: i64 = day.parse().ok()?;
    let y: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let [h, mi, se] = hms.as_slice() else {
        return None;
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y2, m2) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + mi * 60 + se).ok()
}

/// Exponential backoff with jitter: for the n-th retry, a random wait between
/// half and all of `base × 2^(n-1)`, at most [`MAX_BACKOFF`].
pub(super) fn backoff(base: Duration, retry: u32) -> Duration {
    let full = base
        .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let mut h = RandomState::new().build_hasher();
    h.write_u32(retry);
    let unit = (h.finish() % 1001) as f64 / 1000.0;
    full / 2 + full.mul_f64(0.5 * unit)
}

/// A transport error as a hop outcome: refused addresses fail, connect
/// errors and resets are retried, the rest fail.
pub(super) fn transport_error(e: reqwest::Error, shown: &str) -> Hop {
    let refused = source_chain(&e).find_map(|s| s.downcast_ref::<Refused>());
    if let Some(r) = refused {
        return Hop::Fail(Error::Fetch {
            url: shown.to_owned(),
            message: r.0.clone(),
        });
    }
    let transient = e.is_connect()
        || e.is_request()
        || e.is_body()
        || source_chain(&e).any(|s| {
            s.downcast_ref::<std::io::Error>().is_some_and(|io| {
                use std::io::ErrorKind::*;
                matches!(
                    io.kind(),
                    ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof | NotConnected
                )
            })
        });
    let message = describe(e);
    if transient {
        Hop::Retry(message, None)
    } else {
        Hop::Fail(Error::Fetch {
            url: shown.to_owned(),
            message,
        })
    }
}

pub(super) fn source_chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |e| e.source())
}

/// An error's message and its causes, without the URL (which may hold credentials).
pub(super) fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut parts: Vec<String> = Vec::new();
    for s in source_chain(&e) {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// A URL as it may be shown: without user name and password.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => (&url[..i + 3], &url[i + 3..]),
        None => ("", url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}{}{}", &rest[at + 1..end], &rest[end..]),
        None => url.to_owned(),
    }
}

pub(super) fn redact_url(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}
