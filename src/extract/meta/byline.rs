//! The byline a page shows in its text, when its markup declares none: an
//! element marked or classed as the author's ([`visible_byline`]), cleaned of
//! its "By" and its date.

use scraper::{ElementRef, Html};

use super::DatePatterns;
use crate::text::collapse;

/// The elements inside `<body>`, in document order (none without a body).
fn body_elements(doc: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    doc.root_element()
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
        .into_iter()
        .flat_map(|body| body.descendants().filter_map(ElementRef::wrap))
}

/// Whether a word of the element's lowercased `class` and `id` (split at
/// every character that is not a letter or digit) passes `marks`.
fn named(el: ElementRef<'_>, marks: fn(&str) -> bool) -> bool {
    let v = el.value();
    let names = format!(
        "{} {}",
        v.attr("class").unwrap_or(""),
        v.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    names.split(|c: char| !c.is_ascii_alphanumeric()).any(marks)
}

/// The element's text, its text nodes kept apart: a name and its role in
/// sibling elements must not run together ("By" "Ann Lee" "Staff writer").
fn spaced_text(el: ElementRef<'_>) -> String {
    collapse(&el.text().collect::<Vec<_>>().join(" "))
}

/// The byline a page shows: the first element marked as the author (`rel`,
/// `itemprop`) or classed as a byline, with short text. When it holds an
/// `itemprop="name"` element, that is the name.
pub(super) fn visible_byline(doc: &Html, p: &DatePatterns) -> Option<String> {
    /// Longer text than this is an author bio or a whole card, not a byline.
    const BYLINE_MAX_CHARS: usize = 100;
    for el in body_elements(doc) {
        let v = el.value();
        if matches!(v.name(), "script" | "style" | "meta" | "link" | "noscript") {
            continue;
        }
        let marked = v.attr("rel").is_some_and(|r| r == "author")
            || v.attr("itemprop").is_some_and(|i| i.contains("author"));
        if !(marked || named(el, byline_word)) {
            continue;
        }
        let text = spaced_text(el);
        if text.is_empty() || text.chars().count() >= BYLINE_MAX_CHARS {
            continue;
        }
        // The name: an `itemprop="name"` element, else the byline's first
        // link (to the author's page; a role or date beside it is not linked).
        let inner = |pick: &dyn Fn(ElementRef<'_>) -> bool| {
            el.descendants()
                .filter_map(ElementRef::wrap)
                .filter(|e| pick(*e))
                .map(|e| collapse(&e.text().collect::<String>()))
                .find(|n| !n.is_empty())
        };
        let name = inner(&|e| {
            e.value()
                .attr("itemprop")
                .is_some_and(|i| i.contains("name"))
        })
        .or_else(|| inner(&|e| e.value().name() == "a"));
        if let Some(byline) = person(name.as_deref().unwrap_or(&text), p) {
            return Some(byline);
        }
    }
    None
}

/// The date a page shows, when its markup declares none: the first short
/// element classed or id'd as a date (`date`, `post-date`, `published`,
/// `posted-on`, `timestamp`) whose text reads as one ("March 3, 2025",
/// "3 March 2025", "2025-03-03").
pub(super) fn visible_date(doc: &Html, p: &DatePatterns) -> Option<String> {
    /// Longer text than this is a paragraph that mentions a date.
    const DATE_MAX_CHARS: usize = 80;
    for el in body_elements(doc) {
        let v = el.value();
        if matches!(v.name(), "script" | "style" | "noscript" | "template") || !named(el, date_word)
        {
            continue;
        }
        let text = spaced_text(el);
        if text.is_empty() || text.chars().count() > DATE_MAX_CHARS {
            continue;
        }
        if let Some(d) = super::date(p, &text) {
            return Some(d);
        }
    }
    None
}

/// Whether a class or id word marks a date: `date`, `pubdate`,
/// `postdate`, `dates`, `published`, `posted`, `timestamp`.
fn date_word(word: &str) -> bool {
    matches!(
        word,
        "date"
            | "dates"
            | "pubdate"
            | "postdate"
            | "published"
            | "posted"
            | "postedon"
            | "timestamp"
            | "publishdate"
            | "entrydate"
    )
}

/// Whether a class or id word marks a byline: `byline`, `author`,
/// `dateline`, `writtenby`, one of them with a short ending (`authors`,
/// `authorinfo`) or a word ending in `byline` (`featurebyline`), but not a
/// longer word that contains one (`authorization`, `followauthor`).
fn byline_word(word: &str) -> bool {
    /// Letters a marked word may carry after the keyword.
    const MAX_ENDING: usize = 4;
    ["byline", "author", "dateline", "writtenby"]
        .iter()
        .any(|k| {
            word.strip_prefix(k)
                .is_some_and(|rest| rest.len() <= MAX_ENDING)
        })
        || word.ends_with("byline")
        || word.ends_with("dateline")
}

/// A byline without its lead-in word ("By", "by:") and surrounding punctuation.
pub(super) fn clean_byline(s: &str) -> String {
    let s = collapse(s);
    let lower = s.to_lowercase();
    let rest = ["by:", "by "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(s.as_str(), |p| &s[p.len()..]);
    rest.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '|' | '·' | '-' | '&' | ':' | '*' | '"')
    })
    .to_owned()
}

/// Words of a byline's lead-in before "by" ("Written by", "This post was
/// written by", "Reviewed by"): at most this many.
const LEAD_IN_WORDS: usize = 5;

/// Words that end the name in a byline and start its furniture: what a
/// forum prints after a poster's name, "on" a day, "updated" a date.
const AFTER_NAME: &[&str] = &[
    "on",
    "wrote",
    "says",
    "says:",
    "said",
    "posts",
    "posts:",
    "reputation",
    "joined",
    "joined:",
    "members",
    "member",
    "offline",
    "online",
    "updated",
    "updated:",
    "published",
    "published:",
    "last",
    "»",
];

/// What a byline element or a metadata value holds instead of a name: its
/// label, a form field, a placeholder.
const NOT_A_NAME: &[&str] = &[
    "author",
    "authors",
    "by",
    "written by",
    "posted by",
    "name",
    "name *",
    "your name",
    "undefined",
    "null",
    "none",
    "updated",
    "sign in",
    "log in",
];

/// The person (or people) a byline names: character references decoded, the
/// lead-in up to "by" dropped ("Written by", "Posted by:"), and what follows
/// the name cut off: a date, a separator (`•`, `|`, `·`, ` - `), a word that
/// starts with a digit (post counts, reputation), or forum and update
/// furniture ("wrote", "on Friday", "Posts: 116"). `None` when nothing
/// name-like is left.
pub(super) fn person(s: &str, p: &DatePatterns) -> Option<String> {
    let decoded = crate::repair::decode_references(s);
    let mut s = collapse(&decoded);
    let words: Vec<&str> = s.split(' ').collect();
    if let Some(i) = words
        .iter()
        .take(LEAD_IN_WORDS + 1)
        .position(|w| matches!(w.to_lowercase().as_str(), "by" | "by:"))
    {
        s = words[i + 1..].join(" ");
    }
    let mut s = clean_byline(&s);
    let mut cut = [p.word_date_start(&s)]
        .into_iter()
        .flatten()
        .chain(
            [" • ", " | ", " · ", " - ", "| "]
                .iter()
                .filter_map(|sep| s.find(sep)),
        )
        .min()
        .unwrap_or(s.len());
    let mut at = 0;
    for w in s.split(' ') {
        if at >= cut {
            break;
        }
        let lower = w.to_lowercase();
        if at > 0
            && (w.starts_with(|c: char| c.is_ascii_digit()) || AFTER_NAME.contains(&lower.as_str()))
        {
            cut = cut.min(at);
            break;
        }
        at += w.len() + 1;
    }
    s = clean_byline(&s[..cut.min(s.len())]);
    let named =
        s.chars().any(char::is_alphabetic) && !NOT_A_NAME.contains(&s.to_lowercase().as_str());
    named.then_some(s)
}
