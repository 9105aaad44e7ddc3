//! Typo repair: the dictionary, candidate words, and corrections.

use std::collections::HashMap;

use super::Repairer;
use crate::page::{BlockKind, Repair};

/// The English dictionary: lower-case ASCII words mapped to their SCOWL size
/// level when they are common enough to be suggested (10 … 50), else 0.
pub(super) static EN_WORDS: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_words.fst"));

/// English word frequencies: lower-case ASCII words mapped to
/// `floor(8 × log2(count))` of their Google Books count (SymSpell's list; see
/// `data/README.md`), used to rank candidates.
pub(super) static EN_FREQ: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_freq.fst"));

/// Default for [`Options::typo_min_len`]. Shorter words have many one-edit
/// neighbours and are often abbreviations, slang or foreign function words;
/// chosen by hand, checked on the 311 human-written benchmark articles
/// (`bench/*/truth.jsonl`: 12 corrections, 8 of them real typos).
pub const DEFAULT_TYPO_MIN_LEN: usize = 5;

/// Words longer than this are never corrected (they are URLs, identifiers or
/// chemical names, and the edit search grows with length).
const TYPO_MAX_LEN: usize = 30;

/// Highest SCOWL size level a suggestion may have: the build script stores a
/// non-zero level only for words at levels 10–50 (the usual "medium"
/// spell-checker dictionary), so this is the definition of a "common" word.
const COMMON_MAX_LEVEL: u64 = 50;

/// When several candidates are one edit away, the most frequent wins only if
/// it is at least this much more frequent than the next (on the log scale of
/// `data/en_freq.fst`, eight steps per doubling: 24 = 8 times as frequent).
const FREQ_MARGIN: u64 = 24;

/// A candidate that restores a lost first letter still wins when the most
/// frequent candidate is at most this much more frequent (log scale: 12 =
/// 2.8 times).
const FRONT_MARGIN: u64 = 12;

/// Among candidates the page uses, the most used wins if it is used at least
/// this many times as often as the next.
const PAGE_DOMINANCE: usize = 2;

/// A word that occurs this many times on one page is taken as a deliberate
/// spelling (a name, a term) and never corrected.
const REPEATS_MEAN_DELIBERATE: usize = 2;

/// A block is treated as English prose, and typo repair runs in it, only if at
/// most this share of its lower-case words (3+ letters) is unknown. Foreign
/// quotes, code-like text and word lists fail this and are left alone.
const MAX_UNKNOWN_SHARE: f64 = 0.12;

/// Typo repair is skipped on a whole page when more than this share of its
/// lower-case words (3+ letters) is unknown: such pages are not English prose
/// (undeclared foreign languages, code listings); it is what keeps the
/// Italian and French articles of the benchmark sets untouched when they are
/// (wrongly) declared English.
const MAX_UNKNOWN_SHARE_PAGE: f64 = 0.08;

/// Lower-case words (3+ letters) a page needs before
/// [`MAX_UNKNOWN_SHARE_PAGE`] applies (shorter texts rely on the block rule).
const PAGE_SHARE_MIN_WORDS: usize = 50;

/// Lower-case words (3+ letters) a block needs before [`MAX_UNKNOWN_SHARE`]
/// applies; shorter blocks may contain at most one unknown word.
const SHARE_MIN_WORDS: usize = 8;

/// Suffixes whose removal leaving a known word (of [`AFFIX_MIN_STEM`]+
/// letters) makes an unknown word count as an inflection of a real word
/// (`tweeting`, `googled`, `rewatches`).
const KNOWN_SUFFIXES: &[&str] = &[
    "s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "ness", "ment", "ments", "ful", "less",
    "able", "ism", "isms", "ist", "ists", "ise", "ize", "ised", "ized", "ising", "izing", "ity",
    "y", "ish",
];

/// Inflectional endings: an unknown word that is a known word (of any
/// SCOWL level, names included) plus one of these is taken as written.
/// (Not a bare `d`: `reportd` is a typo far more often than a real word.)
const INFLECTIONS: &[&str] = &["s", "es", "ed", "ing", "er", "ers"];

/// Prefixes whose removal leaving a known word makes an unknown word count as
/// a derived form of a real word (`reupload`, `nonbinary`, `cyberattacks`).
const KNOWN_PREFIXES: &[&str] = &[
    "un", "re", "non", "pre", "post", "over", "under", "anti", "counter", "dis", "mis", "sub",
    "super", "inter", "multi", "semi", "mega", "micro", "cyber", "hyper", "co", "de", "self",
    "mid", "out", "up",
];

/// Shortest stem accepted by the prefix/suffix and compound rules.
const AFFIX_MIN_STEM: usize = 4;

impl Repairer {
    /// Dictionary value of a lower-case word: `None` if unknown, `Some(0)` if
    /// correct but rare, `Some(level)` for common words.
    pub(super) fn lookup(&self, word: &str) -> Option<u64> {
        self.dict.as_ref().and_then(|d| d.get(word))
    }

    /// Whether a lower-case ASCII word is in the dictionary (for the
    /// evaluation's typo generator).
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.lookup(word).is_some()
    }

    /// Whether a lower-case ASCII word counts as correct.
    fn is_known(&self, word: &str) -> bool {
        self.lookup(word).is_some() || self.known.contains(word)
    }

    /// Whether an unknown word is still plausibly a real one: a common word
    /// with a common prefix or suffix, or two common words run together.
    /// Stems must be common words (not rare words, names or abbreviations)
    /// of [`AFFIX_MIN_STEM`]+ letters: with any known 3-letter stem half of
    /// all typos look like compounds (`matjer`: `mat` + `jer`).
    fn is_derived(&self, word: &str) -> bool {
        let ok = |stem: &str| {
            stem.len() >= AFFIX_MIN_STEM
                && (self
                    .lookup(stem)
                    .is_some_and(|l| (1..=COMMON_MAX_LEVEL).contains(&l))
                    || self.known.contains(stem))
        };
        if KNOWN_SUFFIXES.iter().any(|s| {
            word.strip_suffix(s)
                .is_some_and(|stem| ok(stem) || ok(&format!("{stem}e")))
        }) {
            return true;
        }
        if KNOWN_PREFIXES
            .iter()
            .any(|p| word.strip_prefix(p).is_some_and(ok))
        {
            return true;
        }
        (AFFIX_MIN_STEM..=word.len().saturating_sub(AFFIX_MIN_STEM))
            .any(|i| word.is_char_boundary(i) && ok(&word[..i]) && ok(&word[i..]))
    }

    /// Frequency of a lower-case word on a log scale (eight steps per
    /// doubling of its count in Google Books), 0 if it is not in the list.
    fn freq(&self, word: &str) -> u64 {
        self.freq.as_ref().and_then(|f| f.get(word)).unwrap_or(0)
    }

    /// The correction for an unknown lower-case ASCII word, if it is clear.
    /// `vocab` counts every word of the page (lower-cased, in any context).
    fn correction(&self, word: &str, vocab: &HashMap<String, usize>) -> Option<String> {
        // An inflection of a word the dictionary knows (at any level, names
        // included) or the page uses is taken as written: `datasheets`,
        // `rebased`, `grubers`.
        let real = |w: &str| self.is_known(w) || vocab.contains_key(w);
        if INFLECTIONS.iter().any(|s| {
            word.strip_suffix(s).is_some_and(|stem| {
                stem.len() >= AFFIX_MIN_STEM
                    && (real(stem) || (s.starts_with(['e', 'i']) && real(&format!("{stem}e"))))
            })
        }) {
            return None;
        }
        // (on the page, frequency, candidate)
        let mut found: Vec<(usize, u64, String)> = Vec::new();
        let beheaded = word.get(1..).unwrap_or_default();
        for cand in edits1(word) {
            if cand.len() < self.opts.typo_min_len || found.iter().any(|f| f.2 == cand) {
                continue;
            }
            let seen = vocab.get(&cand).copied().unwrap_or(0);
            let level = self.lookup(&cand);
            let common = level.is_some_and(|l| (1..=COMMON_MAX_LEVEL).contains(&l));
            // A word seen on the page is a candidate if it is a real word or
            // used deliberately (twice); other candidates must be common. A
            // letter glued to a real word (`fopen`, `fprintf`, `xbox`) is far
            // more often an identifier than a typo: the word without its
            // first letter is a candidate only if it is common and on the page.
            let ok = if cand == beheaded {
                seen > 0 && common
            } else if seen > 0 {
                level.is_some() || seen >= REPEATS_MEAN_DELIBERATE
            } else {
                common
            };
            if ok {
                let f = self.freq(&cand);
                found.push((seen, f, cand));
            }
        }
        // Candidates the page itself uses come first.
        let on_page: Vec<&(usize, u64, String)> = found.iter().filter(|f| f.0 > 0).collect();
        let pool: Vec<&(usize, u64, String)> = if on_page.is_empty() {
            found.iter().collect()
        } else {
            on_page
        };
        let mut ranked = pool;
        ranked.sort_by_key(|f| std::cmp::Reverse((f.0, f.1)));
        let best = match ranked.as_slice() {
            [] => return None,
            [only] => only,
            [best, second, ..] => {
                let clear = if best.0 > 0 {
                    best.0 >= PAGE_DOMINANCE * second.0 || best.1 >= second.1 + FREQ_MARGIN
                } else {
                    best.1 >= second.1 + FREQ_MARGIN
                };
                // A lost first letter (drop caps, a clipped span) is the most
                // common typo in scraped text: one candidate that only adds
                // a letter in front wins unless another is much more frequent.
                let front: Vec<&&(usize, u64, String)> = ranked
                    .iter()
                    .filter(|f| f.2.len() == word.len() + 1 && f.2.ends_with(word))
                    .collect();
                match front.as_slice() {
                    _ if clear => best,
                    [one] if one.0 == best.0 && one.1 + FRONT_MARGIN >= best.1 => one,
                    _ => return None,
                }
            }
        };
        // Without the page's own evidence, an unknown word that reads as a
        // derived form or compound of common words is taken as written.
        if best.0 == 0 && self.is_derived(word) {
            return None;
        }
        Some(best.2.clone())
    }

    /// Whether typo repair applies for this page language.
    pub(super) fn typos_for(&self, lang: Option<&str>) -> bool {
        self.opts.typos && self.dict.is_some() && lang.is_none_or(is_english)
    }

    /// The unknown candidate words of one text, with their byte ranges, or
    /// nothing when the text does not look like English prose; adds the
    /// text's lower-case word count and unknown count to `stats`.
    fn unknown_words(&self, text: &str, stats: &mut (usize, usize)) -> Vec<(usize, usize)> {
        let mut unknown = Vec::new();
        let (mut total, mut misses) = (0usize, 0usize);
        for (start, end, eligible) in words(text) {
            let w = &text[start..end];
            if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            total += 1;
            if self.is_known(w) {
                continue;
            }
            misses += 1;
            // One letter short of the shortest word corrected: a deletion
            // typo in it (the correction must still be long enough).
            if eligible && w.len() + 1 >= self.opts.typo_min_len && w.len() <= TYPO_MAX_LEN {
                unknown.push((start, end));
            }
        }
        stats.0 += total;
        stats.1 += misses;
        let english = if total < SHARE_MIN_WORDS {
            misses <= 1
        } else {
            misses as f64 <= total as f64 * MAX_UNKNOWN_SHARE
        };
        if english {
            unknown
        } else {
            Vec::new()
        }
    }

    /// Typo repair over several texts that form one page.
    pub(super) fn typos(&self, texts: &mut [(&mut String, BlockKind)], log: &mut Vec<Repair>) {
        let mut stats = (0, 0);
        let found: Vec<Vec<(usize, usize)>> = texts
            .iter()
            .map(|(t, kind)| {
                if *kind == BlockKind::Code {
                    Vec::new()
                } else {
                    self.unknown_words(t, &mut stats)
                }
            })
            .collect();
        if found.iter().all(Vec::is_empty)
            || (stats.0 >= PAGE_SHARE_MIN_WORDS
                && stats.1 as f64 > stats.0 as f64 * MAX_UNKNOWN_SHARE_PAGE)
        {
            return;
        }
        // Every word of the page, lower-cased, with its count, in any case
        // and in any context (URLs, code, `stdio.h` count too): a spelling
        // used twice is deliberate, and a candidate the page uses elsewhere
        // is the strongest evidence for a correction.
        let mut vocab: HashMap<String, usize> = HashMap::new();
        for (t, _) in texts.iter() {
            for (s, e, _) in words(t) {
                let w = &t[s..e];
                if w.len() + 1 >= self.opts.typo_min_len
                    && w.len() <= TYPO_MAX_LEN + 1
                    && w.bytes().all(|b| b.is_ascii_alphabetic())
                {
                    *vocab.entry(w.to_ascii_lowercase()).or_insert(0) += 1;
                }
            }
        }
        let mut fixes: HashMap<&str, Option<String>> = HashMap::new();
        for ((t, _), ranges) in texts.iter().zip(&found) {
            for &(s, e) in ranges {
                let word = &t[s..e];
                if fixes.contains_key(word) {
                    continue;
                }
                let fix = if vocab.get(word).copied().unwrap_or(0) >= REPEATS_MEAN_DELIBERATE {
                    None
                } else {
                    self.correction(word, &vocab)
                };
                fixes.insert(word, fix);
            }
        }
        let fixes: HashMap<String, String> = fixes
            .into_iter()
            .filter_map(|(w, f)| Some((w.to_owned(), f?)))
            .collect();
        for ((t, _), ranges) in texts.iter_mut().zip(&found) {
            // Replace back to front so earlier ranges stay valid.
            for &(s, e) in ranges.iter().rev() {
                if let Some(to) = fixes.get(&t[s..e]) {
                    log.push(Repair {
                        kind: "typo".into(),
                        from: t[s..e].to_owned(),
                        to: to.clone(),
                    });
                    t.replace_range(s..e, to);
                }
            }
        }
    }
}

/// Whether text with no declared language reads as English: at least one
/// word in [`ENGLISH_SHARE`] is one of the commonest English function words.
/// Spanish, French or German prose scores far below (their own function
/// words differ), and so do code listings and word lists.
pub fn reads_as_english<'a>(texts: impl Iterator<Item = &'a str>) -> bool {
    /// One word in this many, at least, is a common English function word.
    const ENGLISH_SHARE: usize = 12;
    /// Enough words to judge; below this the text is given the benefit of the doubt.
    const MIN_WORDS: usize = 40;
    const FUNCTION_WORDS: &[&str] = &[
        "the", "and", "of", "to", "is", "in", "that", "for", "it", "with", "was", "on", "as",
        "are", "be", "this", "by", "at", "have", "from", "not", "but", "or", "they", "he", "she",
        "we", "you", "his", "her", "their", "which", "has", "had", "were", "been",
    ];
    let mut words = 0usize;
    let mut function = 0usize;
    for t in texts {
        for w in t
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            if w.len() <= 5 && FUNCTION_WORDS.contains(&w.to_lowercase().as_str()) {
                function += 1;
            }
        }
    }
    words < MIN_WORDS || function * ENGLISH_SHARE >= words
}

/// Whether a BCP 47 tag names English (`en`, `en-GB`, `EN_us`).
fn is_english(lang: &str) -> bool {
    let l = lang.trim();
    l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
        && matches!(l.as_bytes().get(2), None | Some(b'-' | b'_'))
}

/// All strings one edit away from a lower-case ASCII word.
fn edits1(word: &str) -> impl Iterator<Item = String> + '_ {
    let b = word.as_bytes();
    let n = b.len();
    let letters = b'a'..=b'z';
    let deletes = (0..n).map(move |i| [&b[..i], &b[i + 1..]].concat());
    let transposes = (1..n).filter(move |&i| b[i - 1] != b[i]).map(move |i| {
        let mut v = b.to_vec();
        v.swap(i - 1, i);
        v
    });
    let subs = (0..n).flat_map(move |i| {
        letters.clone().filter(move |&c| c != b[i]).map(move |c| {
            let mut v = b.to_vec();
            v[i] = c;
            v
        })
    });
    let inserts = (0..=n).flat_map(move |i| {
        (b'a'..=b'z').map(move |c| {
            let mut v = Vec::with_capacity(n + 1);
            v.extend_from_slice(&b[..i]);
            v.push(c);
            v.extend_from_slice(&b[i..]);
            v
        })
    });
    deletes
        .chain(transposes)
        .chain(subs)
        .chain(inserts)
        .filter_map(|v| String::from_utf8(v).ok())
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
fn words(text: &str) -> Vec<(usize, usize, bool)> {
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
