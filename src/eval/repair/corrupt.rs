//! The corruptions: the seeded generator ([`Rng`], one per text and kind),
//! the encoding misreadings and the typo generator, which
//! [`corpus`](fn@super::corpus) applies to each clean text, kind by kind.

use super::Kind;
use crate::repair::Repairer;

/// One word in this many eligible ones gets a typo (on average).
pub const TYPO_EVERY: u64 = 50;

/// Random edits tried per chosen word before giving up on it.
const TYPO_TRIES: usize = 20;

/// Shortest lowercase word that gets a typo (the "5+ letters").
const TYPO_MIN_LEN: usize = 5;

/// Share of known words that makes a text English for the typo generator.
const ENGLISH_MIN_SHARE: f64 = 0.9;

/// splitmix64: a small, well-known generator; the same seed gives the same
/// corpus on every machine.
#[derive(Debug, Clone)]
pub(super) struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0; the modulo bias is negligible here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n.max(1))
    }

    /// A lowercase ASCII letter.
    fn letter(&mut self) -> u8 {
        b'a' + self.below(26) as u8
    }
}

/// The generator for one text and kind: seeded from the corpus seed, the
/// text's id and the kind, so adding texts or kinds leaves the others alone.
pub(super) fn rng_for(seed: u64, id: &str, kind: Kind) -> Rng {
    // FNV-1a over the id and kind name.
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in id.bytes().chain([0]).chain(kind.name().bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    Rng(seed ^ h)
}

/// The windows-1252 characters of bytes 0x80–0x9F as browsers decode them
/// (the five undefined bytes become the C1 control of the same value).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// UTF-8 bytes of `s` read as windows-1252 (`cp1252`) or latin-1.
pub(super) fn misread(s: &str, cp1252: bool) -> String {
    s.bytes()
        .map(|b| match b {
            0x80..=0x9F if cp1252 => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Text saved as windows-1252 and read as latin-1: each character of
/// windows-1252's 0x80–0x9F range becomes the C1 control of its byte.
pub(super) fn c1_leftovers(s: &str) -> String {
    s.chars()
        .map(|c| match CP1252_HIGH.iter().position(|&x| x == c) {
            Some(i) if !c.is_control() => char::from(0x80 + i as u8),
            _ => c,
        })
        .collect()
}

/// Some lines (and spans of words within lines) misread, the first line right.
pub(super) fn broken_runs(s: &str, rng: &mut Rng) -> String {
    let mut out = Vec::new();
    for (i, line) in s.split('\n').enumerate() {
        let cp1252 = rng.below(2) == 0;
        let roll = rng.below(4);
        if i == 0 || roll == 3 {
            out.push(line.to_owned());
        } else if roll < 2 {
            out.push(misread(line, cp1252));
        } else {
            let words: Vec<&str> = line.split(' ').collect();
            let a = rng.below(words.len());
            let b = a + 1 + rng.below(words.len() - a);
            let mut parts: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
            for p in &mut parts[a..b] {
                *p = misread(p, cp1252);
            }
            out.push(parts.join(" "));
        }
    }
    out.join("\n")
}

/// The lowercase core of a token, as `(start, end)` byte offsets, if the
/// token is a word that may get a typo: leading and trailing punctuation
/// aside, 5+ ASCII lowercase letters and nothing else.
fn typo_core(token: &str) -> Option<(usize, usize)> {
    let is_punct = |c: char| {
        matches!(
            c,
            '"' | '\''
                | '('
                | ')'
                | ','
                | '.'
                | ';'
                | ':'
                | '!'
                | '?'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '—'
                | '–'
                | '['
                | ']'
        )
    };
    let core = token.trim_matches(is_punct);
    let start = token.len() - token.trim_start_matches(is_punct).len();
    let ok = core.len() >= TYPO_MIN_LEN && core.bytes().all(|b| b.is_ascii_lowercase());
    // `e.g.`-like or domain-like tokens: a dot inside the trimmed part.
    ok.then_some((start, start + core.len()))
}

/// Whether a text is English enough for the typo generator.
pub(super) fn is_english(text: &str, r: &Repairer) -> bool {
    let (mut known, mut total) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()) {
            total += 1;
            known += usize::from(r.knows(w));
        }
    }
    total > 0 && known as f64 >= total as f64 * ENGLISH_MIN_SHARE
}

/// One typo of `kind` in `word`, or `None` if the edit is impossible.
fn typo(word: &str, kind: Kind, rng: &mut Rng) -> Option<String> {
    let mut b = word.as_bytes().to_vec();
    let n = b.len();
    match kind {
        Kind::TypoDropFirst => {
            b.remove(0);
        }
        Kind::TypoDeletion => {
            b.remove(1 + rng.below(n - 1));
        }
        Kind::TypoInsertion => {
            let c = rng.letter();
            b.insert(rng.below(n + 1), c);
        }
        Kind::TypoSubstitution => {
            let i = rng.below(n);
            let c = rng.letter();
            if c == b[i] {
                return None;
            }
            b[i] = c;
        }
        Kind::TypoTransposition => {
            let i = rng.below(n - 1);
            if b[i] == b[i + 1] {
                return None;
            }
            b.swap(i, i + 1);
        }
        _ => return None,
    }
    String::from_utf8(b).ok()
}

/// Injects typos of `kind` into an English text.
pub(super) fn typos(s: &str, kind: Kind, rng: &mut Rng, r: &Repairer) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (li, line) in s.split('\n').enumerate() {
        if li > 0 {
            out.push('\n');
        }
        for (ti, token) in line.split(' ').enumerate() {
            if ti > 0 {
                out.push(' ');
            }
            let Some((a, e)) = typo_core(token) else {
                out.push_str(token);
                continue;
            };
            if !rng.one_in(TYPO_EVERY) {
                out.push_str(token);
                continue;
            }
            let word = &token[a..e];
            let bad = (0..TYPO_TRIES)
                .filter_map(|_| typo(word, kind, rng))
                .find(|t| !r.knows(t));
            match bad {
                Some(t) => {
                    out.push_str(&token[..a]);
                    out.push_str(&t);
                    out.push_str(&token[e..]);
                }
                None => out.push_str(token),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_kinds_make_the_edit_they_name() {
        let mut rng = Rng(1);
        assert_eq!(
            typo("reiterated", Kind::TypoDropFirst, &mut rng).as_deref(),
            Some("eiterated")
        );
        for kind in [
            Kind::TypoDeletion,
            Kind::TypoInsertion,
            Kind::TypoSubstitution,
            Kind::TypoTransposition,
        ] {
            for _ in 0..50 {
                if let Some(t) = typo("continuously", kind, &mut rng) {
                    let d = t.len() as i64 - 12;
                    assert_eq!(
                        d,
                        match kind {
                            Kind::TypoDeletion => -1,
                            Kind::TypoInsertion => 1,
                            _ => 0,
                        }
                    );
                    assert!(t.starts_with('c') || kind != Kind::TypoDeletion);
                }
            }
        }
    }

    #[test]
    fn eligible_words() {
        assert_eq!(typo_core("(government),"), Some((1, 11)));
        assert_eq!(typo_core("four"), None);
        assert_eq!(typo_core("Government"), None);
        assert_eq!(typo_core("co-sponsored"), None);
        assert_eq!(typo_core("example.com/page"), None);
        assert_eq!(typo_core("e.g.,"), None);
    }
}
