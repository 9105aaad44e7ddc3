//! A guard against pathological nesting, run on the text before parsing.
//!
//! html5ever checks "is there a `<p>` in scope?" by walking its stack of open
//! elements, so a document nested 100,000 `<div>`s deep parses in quadratic
//! time (tens of seconds). Real pages nest a few dozen levels. This pass
//! estimates nesting with a light tag scanner (void elements, self-closing
//! tags, the common implied end tags, and raw-text elements such as `<script>`
//! are understood); only when the estimate exceeds the limit does it copy the
//! text, dropping the start tags opened past the limit and their end tags.
//! The words are all kept; only structure below the limit is flattened.

use std::borrow::Cow;
use std::collections::HashMap;

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame", "basefont", "bgsound", "image",
];

/// Elements whose start tag closes an open element of the same name nearby.
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "option", "tr", "td", "th", "rt", "rp", "optgroup",
];

/// How far down the open-element stack an implied end tag looks.
const IMPLIED_END_REACH: usize = 3;

/// Elements an implied end tag never reaches across: a `<td>` inside a nested
/// table does not close the outer table's cell, nor an `<li>` the outer item.
const SCOPE_BOUNDARIES: &[&str] = &["table", "ol", "ul", "dl", "menu", "select", "div"];

/// Elements whose content is raw text (no tags inside).
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// One tag found by the scanner.
struct Tag<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    closing: bool,
    self_closing: bool,
}

/// Scans `html` for tags, calling `f` for each; comments, doctypes,
/// processing instructions and raw-text content are skipped.
fn scan<'a>(html: &'a str, mut f: impl FnMut(&Tag<'a>)) {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = b
        .get(i..)
        .and_then(|rest| rest.iter().position(|&c| c == b'<'))
    {
        let start = i + off;
        let mut j = start + 1;
        if b[j..].starts_with(b"!--") {
            i = find(b, j + 3, b"-->").map_or(b.len(), |k| k + 3);
            continue;
        }
        if j < b.len() && (b[j] == b'!' || b[j] == b'?') {
            i = b[j..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |k| j + k + 1);
            continue;
        }
        let closing = j < b.len() && b[j] == b'/';
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        if j == name_start || !b[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = &html[name_start..j];
        // to the end of the tag, stepping over quoted attribute values
        let mut quote = 0u8;
        while j < b.len() {
            let c = b[j];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                break;
            }
            j += 1;
        }
        let end = (j + 1).min(b.len());
        let self_closing = j > 0 && j <= b.len() && b.get(j - 1) == Some(&b'/');
        let tag = Tag {
            start,
            end,
            name,
            closing,
            self_closing,
        };
        f(&tag);
        i = end;
        if !closing && RAW_TEXT.iter().any(|r| name.eq_ignore_ascii_case(r)) {
            // skip to the matching end tag
            let mut k = end;
            loop {
                match find(b, k, b"</") {
                    Some(p)
                        if b.len() >= p + 2 + name.len()
                            && b[p + 2..p + 2 + name.len()]
                                .eq_ignore_ascii_case(name.as_bytes()) =>
                    {
                        i = p;
                        break;
                    }
                    Some(p) => k = p + 2,
                    None => {
                        i = b.len();
                        break;
                    }
                }
            }
        }
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Returns `html` unchanged when its estimated nesting stays within
/// `max_depth`, else a copy with the start tags opened past the limit (and
/// their end tags) removed.
pub(crate) fn limit(html: &str, max_depth: usize) -> Cow<'_, str> {
    let is = |set: &[&str], name: &str| set.iter().any(|v| v.eq_ignore_ascii_case(name));
    let mut drops: Vec<(usize, usize)> = Vec::new();
    // Open elements as names borrowed from the text (no copies on the common path).
    let mut stack: Vec<&str> = Vec::new();
    let mut dropped: HashMap<String, usize> = HashMap::new();
    scan(html, |t| {
        let name = t.name;
        if is(VOID, name) {
            return;
        }
        if t.closing {
            let key = (!dropped.is_empty()).then(|| name.to_ascii_lowercase());
            if let Some(n) = key.and_then(|k| dropped.get_mut(&k)).filter(|n| **n > 0) {
                *n -= 1;
                drops.push((t.start, t.end));
            } else if let Some(pos) = stack.iter().rposition(|s| s.eq_ignore_ascii_case(name)) {
                stack.truncate(pos);
            }
            return;
        }
        if t.self_closing {
            return;
        }
        if is(SELF_CLOSING_SIBLINGS, name) {
            let reach = stack.len().saturating_sub(IMPLIED_END_REACH);
            let open = stack[reach..]
                .iter()
                .rev()
                .take_while(|s| !is(SCOPE_BOUNDARIES, s))
                .position(|s| s.eq_ignore_ascii_case(name));
            if let Some(back) = open {
                stack.truncate(stack.len() - back - 1);
            }
        }
        if stack.len() >= max_depth {
            *dropped.entry(name.to_ascii_lowercase()).or_default() += 1;
            drops.push((t.start, t.end));
            return;
        }
        stack.push(name);
    });
    if drops.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (s, e) in drops {
        out.push_str(&html[at..s]);
        at = e;
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_not_copied() {
        let html = "<html><body><p>a<p>b<br><img src=x><div><span>c</span></div></body></html>";
        assert!(matches!(limit(html, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_flattened_keeping_the_words() {
        let html = format!(
            "<body>{}deep words{}</body>",
            "<div>".repeat(50),
            "</div>".repeat(50)
        );
        let out = limit(&html, 10);
        assert_eq!(out.matches("<div>").count(), 9);
        assert_eq!(out.matches("</div>").count(), 9);
        assert!(out.contains("deep words"));
    }

    #[test]
    fn scripts_comments_and_quotes_are_skipped() {
        let html = r#"<body><script>var s = "<div><div><div>";</script><!-- <div><div> --><a title="x>y">t</a></body>"#;
        assert!(matches!(limit(html, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn nested_tables_and_lists_count_as_depth() {
        let tables = format!("<body>{}x</body>", "<table><tr><td>".repeat(50));
        assert!(matches!(limit(&tables, 20), Cow::Owned(_)));
        let lists = format!("<body>{}x</body>", "<ol><li>".repeat(50));
        assert!(matches!(limit(&lists, 20), Cow::Owned(_)));
        let flat = format!(
            "<body><table>{}</table></body>",
            "<tr><td>a<td>b".repeat(50)
        );
        assert!(matches!(limit(&flat, 20), Cow::Borrowed(_)));
    }

    #[test]
    fn unclosed_paragraphs_do_not_count_as_depth() {
        let html = format!("<body>{}</body>", "<p>line".repeat(100));
        assert!(matches!(limit(&html, 5), Cow::Borrowed(_)));
    }
}
