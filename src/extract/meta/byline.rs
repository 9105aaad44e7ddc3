//! The byline a page shows in its text, when its markup declares none: an
//! element marked or classed as the author's ([`visible_byline`]), cleaned of
//! its "By" and its date.

use scraper::{ElementRef, Html};

use super::DatePatterns;
use crate::text::collapse;

/// The byline a page shows: the first element marked as the author (`rel`,
/// `itemprop`) or classed as a byline, with short text. When it holds an
/// `itemprop="name"` element, that is the name.
pub(super) fn visible_byline(doc: &Html, p: &DatePatterns) -> Option<String> {
    /// Longer text than this is an author bio or a whole card, not a byline.
    const BYLINE_MAX_CHARS: usize = 100;
    let body = doc
        .root_element()
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")?;
    for el in body.descendants().filter_map(ElementRef::wrap) {
        let v = el.value();
        if matches!(v.name(), "script" | "style" | "meta" | "link" | "noscript") {
            continue;
        }
        let marked = v.attr("rel").is_some_and(|r| r == "author")
            || v.attr("itemprop").is_some_and(|i| i.contains("author"));
        let classed = || {
            let names = format!(
                "{} {}",
                v.attr("class").unwrap_or(""),
                v.attr("id").unwrap_or("")
            )
            .to_ascii_lowercase();
            names
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(byline_word)
        };
        if !(marked || classed()) {
            continue;
        }
        let text = collapse(&el.text().collect::<String>());
        if text.is_empty() || text.chars().count() >= BYLINE_MAX_CHARS {
            continue;
        }
        let name = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| {
                e.value()
                    .attr("itemprop")
                    .is_some_and(|i| i.contains("name"))
            })
            .map(|e| collapse(&e.text().collect::<String>()))
            .filter(|n| !n.is_empty());
        let mut byline = clean_byline(name.as_deref().unwrap_or(&text));
        // What follows the name on the same line is a date or a role.
        let cut = [p.word_date_start(&byline)]
            .into_iter()
            .flatten()
            .chain([" • ", " | ", " · "].iter().filter_map(|s| byline.find(s)))
            .min();
        if let Some(cut) = cut {
            byline = clean_byline(&byline[..cut]);
        }
        if !byline.is_empty() {
            return Some(byline);
        }
    }
    None
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
    rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '·' | '-'))
        .to_owned()
}
