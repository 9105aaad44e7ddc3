//! The records pith writes, as types: one [`Line`] per page of `--jsonl`
//! output, one [`Entry`] per page of a text folder's `manifest.jsonl`, and
//! the [`Response`] that `pith fetch --raw` keeps beside each page. The
//! sinks write these and read them back (a resumed folder's manifest, a kept
//! page's response), and a caller can read pith's output with them.
//!
//! Keys are written in alphabetical order. An absent value is `null`; a key
//! that does not apply to a page (an error on a page that was extracted, the
//! fetch fields of a file) is left out, except in the manifest, where every
//! line of one outcome has the same keys.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::page::{Article, Failure, FetchInfo, Metadata, Origin, Page, Repair, Stage};

/// How a page ended, as the manifest (and a fetched page's JSONL line) names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its text was written.
    Ok,
    /// Deliberately left out: robots.txt disallows it, or it is not HTML.
    Skipped,
    /// It failed; the line says at which stage and why.
    Failed,
}

impl Status {
    /// The status of a page's result.
    pub fn of(result: &Result<Article, Failure>) -> Self {
        match result {
            Ok(_) => Status::Ok,
            Err(f) if matches!(*f.error, Error::Skipped { .. }) => Status::Skipped,
            Err(_) => Status::Failed,
        }
    }
}

/// What a fetched page's records add: how its fetch went.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fetch {
    /// The URL of the last response (after redirects), when one came.
    pub final_url: Option<String>,
    /// The HTTP status of the last response.
    pub http_status: Option<u16>,
    /// The `Content-Type` header of the last response.
    pub content_type: Option<String>,
    /// Body bytes received, after content decoding.
    pub bytes: u64,
    /// Milliseconds from the first request to the last byte.
    pub fetch_ms: u64,
    /// Requests made (1 + retries).
    pub attempts: u32,
    /// Milliseconds the pipeline took (`null` for a page that failed).
    pub process_ms: Option<f64>,
}

/// The fetch record of a fetched page (its URL as listed, and [`Fetch`]).
fn fetched(page: &Page, result: &Result<Article, Failure>) -> Option<(String, Fetch)> {
    let origin = match result {
        Err(f) => &f.origin,
        Ok(_) => &page.origin,
    };
    let Origin::Fetched(f) = origin else {
        return None;
    };
    let process = result.as_ref().ok().and_then(|a| a.process_time);
    let fetch = Fetch {
        final_url: f.final_url.clone(),
        http_status: f.status,
        content_type: f.content_type.clone(),
        bytes: f.bytes,
        fetch_ms: f.elapsed.as_millis() as u64,
        attempts: f.attempts,
        process_ms: process.map(|d| d.as_micros() as f64 / 1000.0),
    };
    Some((f.url.clone(), fetch))
}

/// What a failed page's records say of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failed {
    /// The stage it failed at.
    pub stage: Stage,
    /// Why, in words.
    pub error: String,
}

impl Failed {
    fn of(f: &Failure) -> Self {
        Failed {
            stage: f.stage,
            error: f.error.to_string(),
        }
    }
}

/// An extracted page in a JSONL line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    /// Its metadata.
    #[serde(flatten)]
    pub meta: Metadata,
    /// The WHATWG name of the encoding its bytes were decoded from.
    pub encoding: Option<String>,
    /// The clean body text (see [`Article::text`]).
    pub text: String,
    /// The body as Markdown, when the run asked for it (`--format markdown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// The body as an HTML document, when the run asked for it (`--format html`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Every repair made to the text.
    pub repairs: Vec<Repair>,
    /// How many blocks were removed, by reason.
    pub removed: BTreeMap<String, usize>,
}

/// One line of `--jsonl` output: the page's id, then what it became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The page's id.
    pub id: String,
    /// For a fetched page: how it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The page's address (for a fetched page, as listed): `Some` on the
    /// lines that have the key (every extracted or fetched page), whose value
    /// may be `null`; `None` on a failed page read from a file.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub url: Option<Option<String>>,
    /// Why it was not extracted, when it failed or was skipped.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<Failed>,
    /// The page, when it was extracted.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub extracted: Option<Extracted>,
    /// How its fetch went, for a fetched page.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<Fetch>,
}

impl Line {
    /// The line of a page's result.
    pub fn of(page: &Page, result: &Result<Article, Failure>) -> Self {
        let fetched = fetched(page, result);
        let listed = fetched.as_ref().map(|(url, _)| url.clone());
        let mut line = Line {
            id: page.id.clone(),
            status: fetched.as_ref().map(|_| Status::of(result)),
            url: None,
            extracted: None,
            failed: None,
            fetch: fetched.map(|(_, f)| f),
        };
        match result {
            Ok(a) => {
                line.url = Some(listed.or_else(|| a.url.clone().or_else(|| page.url.clone())));
                line.extracted = Some(Extracted {
                    meta: a.meta.clone(),
                    encoding: a.encoding.as_ref().map(|e| e.name.clone()),
                    text: a.text(),
                    markdown: None,
                    html: None,
                    repairs: a.repairs.clone(),
                    removed: a.removed.clone(),
                })
            }
            Err(f) => {
                line.url = listed.map(Some);
                line.failed = Some(Failed::of(f));
            }
        }
        line
    }
}

/// A key that is there, whatever its value (`null` too): `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A page whose text was written, in its manifest line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Written {
    /// Its metadata.
    #[serde(flatten)]
    pub meta: Metadata,
    /// The WHATWG name of the encoding its bytes were decoded from.
    pub encoding: Option<String>,
    /// Which rule chose the encoding (`bom`, `http`, `meta`, …).
    pub encoding_rule: Option<String>,
    /// Characters in the `.txt`.
    pub chars: usize,
    /// Always `null`: a written page has no error (the key is there so
    /// that every manifest line has one).
    pub error: Option<String>,
    /// Every repair made to the text.
    pub repairs: Vec<Repair>,
    /// How many blocks were removed, by reason.
    pub removed: BTreeMap<String, usize>,
}

/// One line of a text folder's `manifest.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The page's id (its `.txt` is named by [`file_stem`](crate::sink::file_stem)).
    pub id: String,
    /// Where the page came from: a path, `-`, or the URL as listed.
    pub source: String,
    /// How it ended.
    pub status: Status,
    /// The page's address, when known (for a fetched page, as listed).
    pub url: Option<String>,
    /// Why its text was not written, when it was not. (Read before
    /// `written`, whose `error` key is always `null`.)
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<Failed>,
    /// The page, when its text was written.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub written: Option<Written>,
    /// How its fetch went, for a fetched page.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<Fetch>,
}

impl Entry {
    /// The manifest line of a page's result; `text` is the written text of
    /// an extracted page.
    pub fn of(page: &Page, result: &Result<Article, Failure>, text: &str) -> Self {
        let fetched = fetched(page, result);
        let listed = fetched.as_ref().map(|(url, _)| url.clone());
        let source = match &page.origin {
            Origin::File(p) => p.display().to_string(),
            other => other.to_string(),
        };
        let mut entry = Entry {
            id: page.id.clone(),
            source,
            status: Status::of(result),
            url: None,
            failed: None,
            written: None,
            fetch: fetched.map(|(_, f)| f),
        };
        match result {
            Ok(a) => {
                entry.url = listed.or_else(|| a.url.clone().or_else(|| page.url.clone()));
                entry.written = Some(Written {
                    meta: a.meta.clone(),
                    encoding: a.encoding.as_ref().map(|e| e.name.clone()),
                    encoding_rule: a.encoding.as_ref().map(|e| e.rule.clone()),
                    chars: text.chars().count(),
                    error: None,
                    repairs: a.repairs.clone(),
                    removed: a.removed.clone(),
                })
            }
            Err(f) => {
                entry.url = listed.or_else(|| f.url.clone());
                entry.failed = Some(Failed::of(f));
            }
        }
        entry
    }
}

/// The response record `pith fetch --raw DIR` keeps as `DIR/<id>.http.json`
/// beside the page's body, so that extracting the kept page later decodes
/// and dates it as the fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The URL as listed.
    pub url: String,
    /// The URL of the last response (after redirects).
    pub final_url: Option<String>,
    /// The HTTP status.
    pub status: Option<u16>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `Content-Language` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_language: Option<String>,
}

impl Response {
    /// The record of a fetch.
    pub fn of(info: &FetchInfo) -> Self {
        Response {
            url: info.url.clone(),
            final_url: info.final_url.clone(),
            status: info.status,
            content_type: info.content_type.clone(),
            content_language: info.content_language.clone(),
        }
    }
}

/// `value` as one line of JSON (keys in alphabetical order) and a newline.
pub fn to_line(value: &impl Serialize) -> Result<Vec<u8>, Error> {
    // Through a `Value`, whose maps keep their keys sorted: the records'
    // flattened parts then interleave as one alphabetical object.
    let mut bytes = serde_json::to_vec(&serde_json::to_value(value)?)?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn article() -> Article {
        let mut a = Article {
            url: Some("https://example.com/a".into()),
            meta: Metadata {
                title: Some("A title".into()),
                lang: Some("en".into()),
                page_type: Some(crate::page::PageType::Forum),
                ..Metadata::default()
            },
            blocks: vec![crate::page::Block::new(
                crate::page::BlockKind::Paragraph,
                "Body text.",
            )],
            ..Article::default()
        };
        a.removed.insert("navigation".into(), 2);
        a
    }

    fn fetched_page() -> Page {
        let mut info = FetchInfo::new("https://example.com/listed");
        info.final_url = Some("https://example.com/final".into());
        info.status = Some(200);
        info.bytes = 10;
        info.elapsed = Duration::from_millis(12);
        info.attempts = 1;
        Page::html("001_x", "<p>x</p>").with_origin(Origin::Fetched(Box::new(info)))
    }

    fn json(v: &impl Serialize) -> String {
        String::from_utf8(to_line(v).unwrap()).unwrap()
    }

    #[test]
    fn lines_have_the_keys_of_their_outcome_in_order() {
        let page = Page::html("p", "<p>x</p>");
        let ok = json(&Line::of(&page, &Ok(article())));
        assert_eq!(
            ok,
            "{\"author\":null,\"canonical\":null,\"description\":null,\"encoding\":null,\
             \"id\":\"p\",\"lang\":\"en\",\"lang_source\":null,\"page_type\":\"forum\",\"published\":null,\
             \"removed\":{\"navigation\":2},\"repairs\":[],\"site\":null,\"text\":\"Body text.\\n\",\"title\":\"A title\",\
             \"url\":\"https://example.com/a\"}\n"
        );
        let failed = Failure::of(&page, Stage::Extract, Error::Extract("none".into()));
        assert_eq!(
            json(&Line::of(&page, &Err(failed))),
            "{\"error\":\"extract: none\",\"id\":\"p\",\"stage\":\"extract\"}\n"
        );
    }

    #[test]
    fn a_fetched_page_names_its_listed_url_and_its_fetch() {
        let page = fetched_page();
        let line = Line::of(&page, &Ok(article()));
        assert_eq!(line.url, Some(Some("https://example.com/listed".into())));
        assert_eq!(line.status, Some(Status::Ok));
        let fetch = line.fetch.as_ref().unwrap();
        assert_eq!((fetch.http_status, fetch.fetch_ms), (Some(200), 12));
        let failed = Failure::of(&page, Stage::Fetch, Error::Extract("x".into()));
        let entry = Entry::of(&page, &Err(failed), "");
        assert_eq!(entry.url.as_deref(), Some("https://example.com/listed"));
        assert_eq!(entry.status, Status::Failed);
    }

    #[test]
    fn records_read_back_as_written() {
        let pages = [Page::html("p", "<p>x</p>"), fetched_page()];
        for page in &pages {
            let failure = Failure::of(page, Stage::Decode, Error::Extract("bad".into()));
            for result in [Ok(article()), Err(failure)] {
                let line = Line::of(page, &result);
                let back: Line = serde_json::from_slice(&to_line(&line).unwrap()).unwrap();
                assert_eq!(back, line);
                let entry = Entry::of(page, &result, "Body text.\n");
                let back: Entry = serde_json::from_slice(&to_line(&entry).unwrap()).unwrap();
                assert_eq!(back, entry);
            }
        }
        let r = Response::of(&FetchInfo::new("https://example.com/"));
        let back: Response = serde_json::from_slice(&to_line(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
