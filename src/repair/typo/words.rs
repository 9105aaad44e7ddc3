//! Reading text for typo repair: splitting it into words ([`words`]), telling
//! technical tokens (URLs, paths, identifiers) from prose, and telling
//! whether text or a language tag is English.

use crate::page::BlockKind;

/// The commonest English function words: prose in other languages (and code,
/// and word lists) has few or none of them.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "of", "to", "is", "in", "that", "for", "it", "with", "was", "on", "as", "are",
    "be", "this", "by", "at", "have", "from", "not", "but", "or", "they", "he", "she", "we", "you",
    "his", "her", "their", "which", "has", "had", "were", "been",
];

/// Whether text with no declared language reads as English: at least one
/// word in `ENGLISH_SHARE` is one of the commonest English function words.
/// Spanish, French or German prose scores far below (their own function
/// words differ), and so do code listings and word lists.
pub fn reads_as_english<'a>(texts: impl Iterator<Item = &'a str>) -> bool {
    /// One word in this many, at least, is a common English function word.
    const ENGLISH_SHARE: usize = 12;
    /// Enough words to judge; below this the text is given the benefit of the doubt.
    const MIN_WORDS: usize = 40;
    let mut words = 0usize;
    let mut function = 0usize;
    for t in texts {
        for w in t
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            if is_function_word(w) {
                function += 1;
            }
        }
    }
    words < MIN_WORDS || function * ENGLISH_SHARE >= words
}

/// Whether a word (any case) is one of [`FUNCTION_WORDS`].
pub(super) fn is_function_word(w: &str) -> bool {
    w.len() <= 5 && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w))
}

/// Whether a BCP 47 tag names English (`en`, `en-GB`, `EN_us`).
pub(super) fn is_english(lang: &str) -> bool {
    let l = lang.trim();
    l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
        && matches!(l.as_bytes().get(2), None | Some(b'-' | b'_'))
}

/// Share of a page's whitespace-separated tokens (outside code blocks) that
/// look technical: URLs, paths, identifiers and markup ([`is_techy`], an
/// inner `.`), letters mixed with digits (`utf8`, `x86`), or a capital after
/// a lower-case letter (`readFile`, `JavaScript`).
pub(super) fn tech_share(texts: &[(&mut String, BlockKind)]) -> f64 {
    let (mut techy, mut total) = (0usize, 0usize);
    for (t, kind) in texts {
        if *kind == BlockKind::Code {
            continue;
        }
        for chunk in t.split_whitespace() {
            total += 1;
            techy += usize::from(is_tech_token(chunk));
        }
    }
    techy as f64 / total.max(1) as f64
}

/// Whether a whitespace-separated token looks technical: a URL, path,
/// identifier or markup ([`is_techy`], an inner `.`), letters mixed with
/// digits (`utf8`, `x86`), or a capital after a lower-case letter
/// (`readFile`, `JavaScript`).
fn is_tech_token(chunk: &str) -> bool {
    let mixed =
        chunk.chars().any(|c| c.is_ascii_digit()) && chunk.chars().any(|c| c.is_ascii_alphabetic());
    let camel = chunk
        .chars()
        .zip(chunk.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    mixed || camel || chunk.chars().any(is_techy) || has_inner_dot(chunk)
}

/// Characters that make a whitespace-delimited chunk look like a URL, path,
/// address, handle, identifier or markup: its words are never corrected.
fn is_techy(c: char) -> bool {
    matches!(
        c,
        '/' | '\\'
            | '@'
            | '_'
            | '='
            | '<'
            | '>'
            | '{'
            | '}'
            | '|'
            | '~'
            | '`'
            | '^'
            | '*'
            | '+'
            | '%'
            | '$'
            | '#'
            | '['
            | ']'
            | '&'
    )
}

/// Splits text into words: maximal runs of letters and digits (an apostrophe
/// between two letters joins them, as in `don't`). Yields `(start, end,
/// eligible)`, where `eligible` is false for words that typo repair must not
/// touch: those with digits, capitals, non-ASCII letters or apostrophes, and
/// every word of a chunk that looks like a URL, address, handle or domain.
pub(super) fn words(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut chunk_start = 0;
    for chunk in text.split_inclusive(char::is_whitespace) {
        let techy = chunk.chars().any(is_techy) || has_inner_dot(chunk);
        let chars: Vec<(usize, char)> = chunk.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].1.is_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            let mut plain = true;
            while i < chars.len() {
                let c = chars[i].1;
                if c.is_alphanumeric() {
                    plain &= c.is_ascii_lowercase();
                    i += 1;
                } else if (c == '\'' || c == '\u{2019}')
                    && i > start
                    && chars.get(i + 1).is_some_and(|(_, n)| n.is_alphabetic())
                {
                    plain = false;
                    i += 1;
                } else {
                    break;
                }
            }
            // A word hyphenated to a capitalised one is part of a name or a
            // broken identifier (`ntent-Type`).
            let hyphen_cap = |j: Option<usize>, k: Option<usize>| {
                j.and_then(|j| chars.get(j)).is_some_and(|&(_, c)| c == '-')
                    && k.and_then(|k| chars.get(k))
                        .is_some_and(|&(_, c)| c.is_uppercase())
            };
            if hyphen_cap(Some(i), Some(i + 1))
                || hyphen_cap(start.checked_sub(1), start.checked_sub(2))
            {
                plain = false;
            }
            // A word that ends in an apostrophe is a dropped-letter spelling
            // (`keepin'`, `nothin’`), written so on purpose.
            if chars
                .get(i)
                .is_some_and(|&(_, c)| c == '\'' || c == '\u{2019}')
            {
                plain = false;
            }
            let s = chunk_start + chars[start].0;
            let e = chunk_start + chars.get(i).map_or(chunk.len(), |(o, _)| *o);
            out.push((s, e, plain && !techy));
        }
        chunk_start += chunk.len();
    }
    out
}

/// Whether a chunk has a `.` followed by a letter (domains, `e.g.`, file
/// names, sentences glued together).
fn has_inner_dot(chunk: &str) -> bool {
    let mut prev_dot = false;
    for c in chunk.chars() {
        if prev_dot && c.is_alphabetic() {
            return true;
        }
        prev_dot = c == '.';
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn technical_share() {
        let mut prose = "The council met on Tuesday and agreed.".to_owned();
        let mut code = "Call readFile() on config.json with utf8 and x86 builds.".to_owned();
        assert_eq!(tech_share(&[(&mut prose, BlockKind::Paragraph)]), 0.0);
        let share = tech_share(&[(&mut code, BlockKind::Paragraph)]);
        assert!((share - 4.0 / 9.0).abs() < 1e-9, "{share}");
        assert_eq!(tech_share(&[(&mut code, BlockKind::Code)]), 0.0);
    }
}
