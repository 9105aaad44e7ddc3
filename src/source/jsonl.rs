//! `--input jsonl`: pages as JSON lines, one object per line, read lazily
//! (a line becomes a page as soon as it has arrived, before the input ends),
//! so that `pith extract --input jsonl -` can sit behind Spark's `RDD.pipe`,
//! Hadoop streaming or GNU parallel and answer each line as it comes.
//!
//! A line is `{"id", "url", "html" | "html_b64" | "text", "content_type",
//! "content_language"}`. Only the body is required (one of `html`, its
//! base64 `html_b64`, or `text`, a name that reads better for `pith clean`);
//! `id` (a string or a number) defaults to the line's number, counted from 1
//! over all the inputs of the run in order; other keys are ignored. Every
//! line, blank and malformed ones too, yields exactly one item: a [`Page`],
//! or a [`Failure`] at [`Stage::Read`] that names the line (by its id when
//! that could be read, else by its number), so that the output has one line
//! per input line.

use std::io::{self, BufRead, BufReader};
use std::path::PathBuf;

use base64::Engine as _;
use futures::Stream;
use serde::Deserialize;

use super::{Overrides, MAX_INPUT_BYTES};
use crate::error::Error;
use crate::page::{Failure, Format, Origin, Page, Stage};

/// Longest input line read: room for a page of [`MAX_INPUT_BYTES`] with its
/// JSON escapes or base64. A longer line is skipped (without being held in
/// memory) and is that line's failure.
pub const MAX_LINE_BYTES: u64 = 2 * MAX_INPUT_BYTES;

/// One input line, as its keys are read.
#[derive(Debug, Deserialize)]
struct Request {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    html_b64: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    content_language: Option<String>,
}

/// The id a line names, if it names a usable one.
fn id_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The id of a line that is not a well-formed request, if one can be read
/// from it at all (a line of invalid UTF-8 is read with replacement characters).
fn salvage_id(line: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(line);
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("id").and_then(id_of)
}

/// Where line `number` of `input` came from, for failure messages and the
/// manifest's `source`: `FILE:N`, or `<stdin>:N`.
fn origin(input: &Option<PathBuf>, number: u64) -> Origin {
    let name = match input {
        Some(p) => p.display().to_string(),
        None => "<stdin>".to_owned(),
    };
    Origin::File(PathBuf::from(format!("{name}:{number}")))
}

/// Turns one input line (without its line break) into a page. `number` is
/// the line's number in the run and `origin` where it came from.
pub fn parse_line(
    line: &[u8],
    number: u64,
    origin: Origin,
    format: Format,
) -> Result<Page, Failure> {
    let fail = |id: Option<String>, message: String| Failure {
        id: id.unwrap_or_else(|| number.to_string()),
        origin: origin.clone(),
        url: None,
        stage: Stage::Read,
        error: Box::new(Error::BadLine { number, message }),
    };
    if line.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(None, "blank line (expected a JSON object)".into()));
    }
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            return Err(fail(
                salvage_id(line),
                format!("invalid UTF-8 at byte {at} of the line"),
            ));
        }
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| fail(None, format!("not JSON ({e})")))?;
    let id = value.get("id").and_then(id_of);
    if !value.is_object() {
        return Err(fail(None, "not a JSON object".into()));
    }
    let r: Request =
        serde_json::from_value(value).map_err(|e| fail(id.clone(), format!("bad key: {e}")))?;
    if r.id.as_ref().is_some_and(|v| !v.is_null() && id.is_none()) {
        return Err(fail(
            None,
            "id must be a non-empty string or a number".into(),
        ));
    }
    let body = match (r.html, r.html_b64, r.text) {
        (Some(h), None, None) | (None, None, Some(h)) => h.into_bytes(),
        (None, Some(b), None) => base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .map_err(|e| fail(id.clone(), format!("html_b64 is not base64 ({e})")))?,
        (None, None, None) => {
            return Err(fail(
                id,
                "no page: give one of html, html_b64 or text".into(),
            ))
        }
        _ => {
            return Err(fail(
                id,
                "more than one page: give only one of html, html_b64 and text".into(),
            ))
        }
    };
    if body.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(
            id,
            format!(
                "page of {} bytes, over the limit of {MAX_INPUT_BYTES}",
                body.len()
            ),
        ));
    }
    Ok(Page {
        id: id.unwrap_or_else(|| number.to_string()),
        url: r.url,
        body,
        content_type: r.content_type,
        content_language: r.content_language,
        format,
        origin,
    })
}

/// What reading the next line found.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// The input has ended.
    End,
    /// A line, without its `\n` (or `\r\n`).
    Line(Vec<u8>),
    /// A line longer than the cap, skipped; its length.
    TooLong(u64),
}

/// Reads up to the next `\n`, holding at most `cap` bytes: the rest of a
/// longer line is read and dropped.
fn next_line(r: &mut dyn BufRead, cap: u64) -> io::Result<Next> {
    let mut line = Vec::new();
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, newline) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        len += take as u64;
        if len <= cap {
            line.extend_from_slice(&chunk[..take]);
        } else if !line.is_empty() {
            line = Vec::new();
        }
        r.consume(take + usize::from(newline));
        if newline {
            break;
        }
    }
    if !any {
        return Ok(Next::End);
    }
    if len > cap {
        return Ok(Next::TooLong(len));
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Next::Line(line))
}

/// The reading state: the inputs still to open, the one being read, and the
/// number of the last line read.
struct Reader {
    inputs: std::vec::IntoIter<Option<PathBuf>>,
    current: Option<(Option<PathBuf>, Box<dyn BufRead + Send>)>,
    number: u64,
    format: Format,
    overrides: Overrides,
    cap: u64,
}

impl Reader {
    /// The next item, or `None` when every input has ended. A file that
    /// cannot be opened, or fails while being read, is one failure (then
    /// the next input is read).
    fn next(&mut self) -> Option<Result<Page, Failure>> {
        loop {
            let Some((path, reader)) = self.current.as_mut() else {
                let path = self.inputs.next()?;
                match open(&path) {
                    Ok(r) => self.current = Some((path, r)),
                    Err(e) => return Some(Err(self.input_failure(&path, e))),
                }
                continue;
            };
            match next_line(reader.as_mut(), self.cap) {
                Ok(Next::End) => self.current = None,
                Ok(Next::Line(line)) => {
                    self.number += 1;
                    let origin = origin(path, self.number);
                    let mut r = parse_line(&line, self.number, origin, self.format);
                    if let Ok(page) = &mut r {
                        self.overrides.apply(page);
                    }
                    return Some(r);
                }
                Ok(Next::TooLong(len)) => {
                    self.number += 1;
                    return Some(Err(Failure {
                        id: self.number.to_string(),
                        origin: origin(path, self.number),
                        url: None,
                        stage: Stage::Read,
                        error: Box::new(Error::BadLine {
                            number: self.number,
                            message: format!("line of {len} bytes, over the limit of {}", self.cap),
                        }),
                    }));
                }
                Err(e) => {
                    let path = path.clone();
                    self.current = None;
                    return Some(Err(self.input_failure(&path, e)));
                }
            }
        }
    }

    /// The failure of an input that cannot be opened or read further.
    fn input_failure(&mut self, path: &Option<PathBuf>, e: io::Error) -> Failure {
        self.number += 1;
        let name = path.clone().unwrap_or_else(|| PathBuf::from("-"));
        Failure {
            id: self.number.to_string(),
            origin: origin(path, self.number),
            url: None,
            stage: Stage::Read,
            error: Box::new(Error::io(name, e)),
        }
    }
}

/// Opens one input: a file (gunzipped if it ends in `.gz`), or standard input.
fn open(path: &Option<PathBuf>) -> io::Result<Box<dyn BufRead + Send>> {
    Ok(match path {
        None => Box::new(BufReader::new(io::stdin())),
        Some(p) => {
            let f = std::fs::File::open(p)?;
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
                Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
            } else {
                Box::new(BufReader::new(f))
            }
        }
    })
}

/// The pages of JSONL `inputs` (files, or `None` for standard input) as a
/// lazy stream: each line is read on a blocking thread when the pipeline
/// asks for the next page, and comes out as soon as its `\n` has arrived.
/// `overrides` set their fields on every page (over the line's own).
pub fn stream(
    inputs: Vec<Option<PathBuf>>,
    format: Format,
    overrides: Overrides,
) -> impl Stream<Item = Result<Page, Failure>> + Send {
    let reader = Reader {
        inputs: inputs.into_iter(),
        current: None,
        number: 0,
        format,
        overrides,
        cap: MAX_LINE_BYTES,
    };
    futures::stream::unfold(Some(reader), |state| async move {
        let mut reader = state?;
        let (reader, item) = tokio::task::spawn_blocking(move || {
            let item = reader.next();
            (reader, item)
        })
        .await
        .ok()?;
        item.map(|item| (item, Some(reader)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Page, Failure> {
        parse_line(line.as_bytes(), 7, Origin::Memory, Format::Html)
    }

    fn error(line: &[u8]) -> (String, String) {
        let f = parse_line(line, 7, Origin::Memory, Format::Html).unwrap_err();
        assert_eq!(f.stage, Stage::Read);
        (f.id, f.error.to_string())
    }

    #[test]
    fn a_line_is_a_page() {
        let p = parse(
            r#"{"id":"a","url":"https://x.org/","html":"<p>é</p>","content_type":"text/html; charset=utf-8","content_language":"fr","extra":1}"#,
        )
        .unwrap();
        assert_eq!(p.id, "a");
        assert_eq!(p.url.as_deref(), Some("https://x.org/"));
        assert_eq!(p.body, "<p>é</p>".as_bytes());
        assert_eq!(p.content_type.as_deref(), Some("text/html; charset=utf-8"));
        assert_eq!(p.content_language.as_deref(), Some("fr"));
        // base64 carries any bytes (here Latin-1); a number is an id; no id is the line number.
        let p = parse(r#"{"id":12,"html_b64":"PHA+6TwvcD4="}"#).unwrap();
        assert_eq!(
            (p.id.as_str(), p.body.as_slice()),
            ("12", &b"<p>\xe9</p>"[..])
        );
        assert_eq!(parse(r#"{"text":"plain"}"#).unwrap().id, "7");
    }

    #[test]
    fn a_malformed_line_is_that_lines_failure() {
        let e = error(b"");
        assert_eq!(e.0, "7");
        assert!(e.1.contains("line 7: blank line"), "{}", e.1);
        assert!(error(b"<html>").1.contains("not JSON"));
        assert!(error(b"[1,2]").1.contains("not a JSON object"));
        assert_eq!(
            error(br#"{"id":"a"}"#),
            (
                "a".into(),
                "input line 7: no page: give one of html, html_b64 or text".into()
            )
        );
        assert!(error(br#"{"id":"a","html":"x","text":"y"}"#)
            .1
            .contains("only one"));
        let e = error(br#"{"id":"b","html_b64":"%%%"}"#);
        assert_eq!(e.0, "b");
        assert!(e.1.contains("not base64"), "{}", e.1);
        let e = error(b"{\"id\":\"c\",\"html\":\"\xff\xfe\"}");
        assert_eq!(e.0, "c");
        assert!(e.1.contains("invalid UTF-8 at byte 18"), "{}", e.1);
        assert!(error(br#"{"id":"d","html":5}"#).1.contains("bad key"));
        assert!(error(br#"{"id":[1],"html":"x"}"#).1.contains("id must be"));
        assert!(error(br#"{"id":"e","html":"\ud800"}"#)
            .1
            .contains("not JSON"));
    }

    #[test]
    fn lines_are_read_one_at_a_time_and_capped() {
        let mut r: &[u8] = b"one\r\ntwo\n\nfar too long a line\nlast";
        let mut got = Vec::new();
        loop {
            match next_line(&mut r, 8).unwrap() {
                Next::End => break,
                n => got.push(n),
            }
        }
        assert_eq!(
            got,
            vec![
                Next::Line(b"one".to_vec()),
                Next::Line(b"two".to_vec()),
                Next::Line(Vec::new()),
                Next::TooLong(19),
                Next::Line(b"last".to_vec()),
            ]
        );
    }

    #[test]
    fn numbers_run_over_the_inputs_and_a_missing_file_is_one_failure() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.jsonl");
        std::fs::write(&a, "{\"html\":\"<p>x</p>\"}\n\n").unwrap();
        let mut r = Reader {
            inputs: vec![
                Some(a.clone()),
                Some(dir.path().join("none.jsonl")),
                Some(a),
            ]
            .into_iter(),
            current: None,
            number: 0,
            format: Format::Html,
            overrides: Overrides::default(),
            cap: 100,
        };
        let ids: Vec<(String, bool)> = std::iter::from_fn(|| r.next())
            .map(|i| match i {
                Ok(p) => (p.id, true),
                Err(f) => (f.id, false),
            })
            .collect();
        let want = [
            ("1", true),
            ("2", false),
            ("3", false),
            ("4", true),
            ("5", false),
        ];
        let want: Vec<(String, bool)> = want.iter().map(|(i, ok)| (i.to_string(), *ok)).collect();
        assert_eq!(ids, want);
    }
}
