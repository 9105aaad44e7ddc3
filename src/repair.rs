//! Repair: the last text stage before writing. It fixes damage that scraping and
//! careless publishing leave in otherwise good text, conservatively, one block
//! (or one metadata line) at a time, and records every change that is not
//! pure whitespace as a [`Repair`].
//!
//! The repairs run in this order on each text run (each can be switched off in
//! [`Options`], the `[repair]` table of the pipeline file):
//!
//! 1. **entities** (`"entity"`): HTML character references left in text
//!    (`&amp;`, `&quot;`, `&#039;`, `&#8217;`, `&nbsp;`, double escaped
//!    `&amp;quot;`) are decoded. Only well-formed references (with their `;`)
//!    whose name is known are touched; a lone `&` or `AT&T` stays. Numeric
//!    references to 0x80–0x9F are read as windows-1252, as browsers do. Not run
//!    on code blocks, which may legitimately show markup.
//! 2. **mojibake** (`"mojibake"`): UTF-8 text that was decoded as windows-1252
//!    or latin-1 (`â€™` → `’`, `Ã©` → `é`, `Â ` → ` `), also twice (`Ã¢â‚¬â„¢` →
//!    `’`). Each maximal run of non-ASCII characters that windows-1252 (with
//!    the latin-1 fallback for its five undefined bytes) can encode is
//!    re-encoded to bytes; only the byte sequences in it that form valid UTF-8
//!    *and* look like mojibake are decoded (see [`fix_cluster`] for the rules),
//!    and the run is kept only if it then holds fewer mojibake markers than
//!    before. Correct text (`naïve`, `Café`, `Ångström`, `€5`, `São Paulo`,
//!    `Œuvre`, `Fuß”`, Cyrillic, Japanese) never re-encodes to such sequences
//!    and is left alone. The idea follows the Python library ftfy; the code is
//!    our own and far smaller.
//! 3. **invisible** (`"invisible"`): soft hyphens, zero-width spaces, word
//!    joiners and byte-order marks are removed, as are C0/C1 control
//!    characters (tab, newline and carriage return are whitespace and left to
//!    the whitespace repair). ZWJ and ZWNJ are kept: they matter in emoji and
//!    in Persian and Indic scripts.
//! 4. **nfc** (`"nfc"`): Unicode NFC normalisation, recorded per changed word.
//! 5. **whitespace** (not recorded): outside code blocks, runs of spaces, tabs,
//!    newlines and no-break spaces become one space, the ends are trimmed and a
//!    lone no-break space between two letters or digits becomes a plain space
//!    (one before punctuation, as in French `prix :`, stays). Table rows keep
//!    their tab cell separators. Code blocks only get `\r\n` → `\n`. Nothing
//!    else changes: no quote straightening, no dash changes.
//! 6. **typos** (`"typo"`): conservative dictionary correction, English only
//!    (page language `None` or `en…`), never in code blocks. A word is a
//!    candidate only if it is all lower-case ASCII letters, at least
//!    [`Options::typo_min_len`] long, not glued to digits, capitals, `/`, `_`,
//!    `@`, `#` or a domain-like `.`, not inside a contraction, not in the
//!    dictionary (SCOWL: US, UK, Canadian and Australian spellings with
//!    inflections, proper names and abbreviations, ~500k words), not in
//!    [`Options::known_words`], not a known word plus a common prefix or
//!    suffix, not two known words run together, and not used twice on the
//!    page (a repeated spelling is deliberate). It is replaced only when
//!    exactly one *common* word (SCOWL size ≤ 50, 65,041 words) is one edit
//!    away (insertion, deletion, substitution, transposition), or when one
//!    such word is much more common than all others (see
//!    [`DOMINANT_MAX_LEVEL`]). Blocks where many words are unknown (foreign
//!    text, jargon) are skipped as a whole.
//!
//! The dictionary is `data/en_words.fst` (an [`fst::Map`] from word to SCOWL
//! size level, 0 for "correct but never suggested"), built by
//! `scripts/build_dict.sh` and read in place from the binary, so
//! [`Repairer::new`] costs tens of nanoseconds (28 ns measured, release).

use std::collections::{HashMap, HashSet};

use fst::Map;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::page::{Block, BlockKind, Repair};

/// The English dictionary: lower-case ASCII words mapped to their SCOWL size
/// level when they are common enough to be suggested (10 … 50), else 0.
static EN_WORDS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_words.fst"));

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

/// When several common words are one edit away, the most common one still wins
/// if its SCOWL level is at most this (levels 10/20: the ~12,000 most common
/// English words) …
const DOMINANT_MAX_LEVEL: u64 = 20;

/// … and every other neighbour's level is at least this (level 50: the rarest
/// common words), i.e. at least three SCOWL steps apart. Deliberately strict:
/// SCOWL levels are coarse frequency bands, so only a wide gap counts as
/// "clearly dominates".
const DOMINATED_MIN_LEVEL: u64 = 50;

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

/// Prefixes whose removal leaving a known word makes an unknown word count as
/// a derived form of a real word (`reupload`, `nonbinary`, `cyberattacks`).
const KNOWN_PREFIXES: &[&str] = &[
    "un", "re", "non", "pre", "post", "over", "under", "anti", "counter", "dis", "mis", "sub",
    "super", "inter", "multi", "semi", "mega", "micro", "cyber", "hyper", "co", "de", "self",
    "mid", "out", "up",
];

/// Shortest stem accepted by the prefix/suffix and compound rules.
const AFFIX_MIN_STEM: usize = 3;

/// Passes of entity decoding, mojibake fixing and invisible removal at most
/// (each pass undoes one more layer of escaping or encoding; three covers
/// triple-escaped text, and stopping keeps the work bounded).
const MAX_LAYERS: usize = 4;

/// How the repairs are configured: the `[repair]` table of the pipeline file.
/// Every repair kind is on by default and can be switched off.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Unicode NFC normalisation.
    pub nfc: bool,
    /// Collapse and trim whitespace (outside code blocks).
    pub whitespace: bool,
    /// Remove soft hyphens, zero-width spaces, BOMs and control characters.
    pub invisible: bool,
    /// Decode HTML entities left in the text.
    pub entities: bool,
    /// Fix UTF-8 text that was decoded as windows-1252 or latin-1.
    pub mojibake: bool,
    /// Correct obvious typos in English text.
    pub typos: bool,
    /// Extra words the typo repair must treat as correct (site names, jargon);
    /// compared case-insensitively.
    pub known_words: Vec<String>,
    /// Shortest word the typo repair considers (default
    /// `DEFAULT_TYPO_MIN_LEN`).
    pub typo_min_len: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            nfc: true,
            whitespace: true,
            invisible: true,
            entities: true,
            mojibake: true,
            typos: true,
            known_words: Vec::new(),
            typo_min_len: DEFAULT_TYPO_MIN_LEN,
        }
    }
}

/// The repairs compiled from [`Options`]: immutable, `Send + Sync`, cheap to
/// build (the dictionary is read in place from the binary) and to share.
#[derive(Debug, Clone)]
pub struct Repairer {
    opts: Options,
    known: HashSet<String>,
    dict: Option<Map<&'static [u8]>>,
}

impl Repairer {
    /// Builds a repairer. If the embedded dictionary were unreadable, typo
    /// repair would be silently disabled (a unit test guards against that).
    pub fn new(opts: &Options) -> Repairer {
        let known = opts
            .known_words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let dict = if opts.typos {
            Map::new(EN_WORDS).ok()
        } else {
            None
        };
        Repairer {
            opts: opts.clone(),
            known,
            dict,
        }
    }

    /// Every repair except typos, on one text run.
    fn basic(&self, s: &str, kind: BlockKind, log: &mut Vec<Repair>) -> String {
        let code = kind == BlockKind::Code;
        let mut text = s.to_owned();
        for _ in 0..MAX_LAYERS {
            let mut changed = false;
            if self.opts.entities && !code {
                changed |= {
                    let new = decode_entities(&text, log);
                    replace_with(&mut text, new)
                };
            }
            if self.opts.mojibake {
                changed |= {
                    let new = fix_mojibake(&text, log);
                    replace_with(&mut text, new)
                };
            }
            if self.opts.invisible {
                changed |= {
                    let new = remove_invisible(&text, log);
                    replace_with(&mut text, new)
                };
            }
            if !changed {
                break;
            }
        }
        if self.opts.nfc {
            {
                let new = nfc(&text, log);
                replace_with(&mut text, new)
            };
        }
        if self.opts.whitespace {
            {
                let new = whitespace(&text, kind);
                replace_with(&mut text, new)
            };
        }
        text
    }

    /// Dictionary value of a lower-case word: `None` if unknown, `Some(0)` if
    /// correct but rare, `Some(level)` for common words.
    fn lookup(&self, word: &str) -> Option<u64> {
        self.dict.as_ref().and_then(|d| d.get(word))
    }

    /// Whether a lower-case ASCII word counts as correct.
    fn is_known(&self, word: &str) -> bool {
        self.lookup(word).is_some() || self.known.contains(word)
    }

    /// Whether an unknown word is still plausibly a real one: a known word
    /// with a common prefix or suffix, or two known words run together.
    fn is_derived(&self, word: &str) -> bool {
        let ok = |stem: &str| stem.len() >= AFFIX_MIN_STEM && self.is_known(stem);
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

    /// The correction for an unknown lower-case ASCII word, if it is clear.
    fn correction(&self, word: &str) -> Option<String> {
        if self.is_derived(word) {
            return None;
        }
        let mut found: Vec<(u64, String)> = Vec::new();
        // A candidate made by deleting the first letter is never used: a
        // letter glued to a real word is far more often an identifier or brand
        // (`fopen`, `pthreads`, `xbox`) than a typo.
        let beheaded = word.get(1..).unwrap_or_default();
        for cand in edits1(word).filter(|c| c != beheaded) {
            if let Some(level) = self.lookup(&cand) {
                if (1..=COMMON_MAX_LEVEL).contains(&level) && !found.iter().any(|(_, w)| *w == cand)
                {
                    found.push((level, cand));
                }
            }
        }
        found.sort();
        match found.as_slice() {
            [(_, only)] => Some(only.clone()),
            [(best, w), rest @ ..]
                if *best <= DOMINANT_MAX_LEVEL
                    && rest.iter().all(|(l, _)| *l >= DOMINATED_MIN_LEVEL) =>
            {
                Some(w.clone())
            }
            _ => None,
        }
    }

    /// Whether typo repair applies for this page language.
    fn typos_for(&self, lang: Option<&str>) -> bool {
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
            if eligible && w.len() >= self.opts.typo_min_len && w.len() <= TYPO_MAX_LEN {
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
    fn typos(&self, texts: &mut [(&mut String, BlockKind)], log: &mut Vec<Repair>) {
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
        // How often each unknown word occurs anywhere on the page, in any
        // case and in any context (URLs, code, `stdio.h` count too).
        let mut counts: HashMap<String, usize> = HashMap::new();
        for ((t, _), ranges) in texts.iter().zip(&found) {
            for &(s, e) in ranges {
                counts.insert(t[s..e].to_owned(), 0);
            }
        }
        for (t, _) in texts.iter() {
            for (s, e, _) in words(t) {
                let w = &t[s..e];
                if w.len() >= self.opts.typo_min_len && w.len() <= TYPO_MAX_LEN {
                    if let Some(n) = counts.get_mut(&w.to_ascii_lowercase()) {
                        *n += 1;
                    }
                }
            }
        }
        let mut fixes: HashMap<String, Option<String>> = HashMap::new();
        for (word, n) in counts {
            let fix = if n >= REPEATS_MEAN_DELIBERATE {
                None
            } else {
                self.correction(&word)
            };
            fixes.insert(word, fix);
        }
        for ((t, _), ranges) in texts.iter_mut().zip(&found) {
            // Replace back to front so earlier ranges stay valid.
            for &(s, e) in ranges.iter().rev() {
                if let Some(Some(to)) = fixes.get(&t[s..e]) {
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

/// Repairs every block's text in place, appending one [`Repair`] per change
/// that is not pure whitespace. `lang` is the page's declared language; typo
/// repair runs only when it is `None` or English.
pub fn text(blocks: &mut [Block], r: &Repairer, lang: Option<&str>, log: &mut Vec<Repair>) {
    for b in blocks.iter_mut() {
        let fixed = r.basic(&b.text, b.kind, log);
        b.text = fixed;
    }
    if r.typos_for(lang) {
        let mut texts: Vec<(&mut String, BlockKind)> =
            blocks.iter_mut().map(|b| (&mut b.text, b.kind)).collect();
        let mut typo_log = Vec::new();
        r.typos(&mut texts, &mut typo_log);
        log.append(&mut typo_log);
    }
}

/// Repairs one string (a title or other metadata) the same way as a paragraph
/// and returns the result.
pub fn line(s: &str, r: &Repairer, lang: Option<&str>, log: &mut Vec<Repair>) -> String {
    let mut out = r.basic(s, BlockKind::Paragraph, log);
    if r.typos_for(lang) {
        r.typos(&mut [(&mut out, BlockKind::Paragraph)], log);
    }
    out
}

/// Whether a BCP 47 tag names English (`en`, `en-GB`, `EN_us`).
fn is_english(lang: &str) -> bool {
    let l = lang.trim();
    l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
        && matches!(l.as_bytes().get(2), None | Some(b'-' | b'_'))
}

/// Puts `new` into `text` if present; tells whether it did.
fn replace_with(text: &mut String, new: Option<String>) -> bool {
    match new {
        Some(n) if n != *text => {
            *text = n;
            true
        }
        _ => false,
    }
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

// ---------------------------------------------------------------- entities

/// Decodes well-formed HTML character references; `None` if there are none.
fn decode_entities(s: &str, log: &mut Vec<Repair>) -> Option<String> {
    if !s.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut changed = false;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        match parse_entity(tail) {
            Some((len, c)) => {
                log.push(Repair {
                    kind: "entity".into(),
                    from: tail[..len].to_owned(),
                    to: c.to_string(),
                });
                out.push(c);
                rest = &tail[len..];
                changed = true;
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Parses a reference at the start of `s` (which starts with `&`): its byte
/// length including `;` and the character it stands for.
fn parse_entity(s: &str) -> Option<(usize, char)> {
    let body_end = s.get(1..)?.find(';')? + 1;
    if body_end > 33 {
        return None;
    }
    let body = s.get(1..body_end)?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex)
                if !hex.is_empty()
                    && hex.len() <= 6
                    && hex.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                u32::from_str_radix(hex, 16).ok()?
            }
            None if !num.is_empty()
                && num.len() <= 7
                && num.bytes().all(|b| b.is_ascii_digit()) =>
            {
                num.parse().ok()?
            }
            _ => return None,
        };
        let c = match code {
            0x80..=0x9F => cp1252_char(code as u8)?,
            _ => char::from_u32(code)?,
        };
        if c.is_control() && !matches!(c, '\t' | '\n') {
            return None;
        }
        c
    } else {
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        named_entity(body)?
    };
    Some((body_end + 1, c))
}

/// The character of a named HTML entity (the Latin-1 set plus the common
/// typographic ones; other names stay undecoded).
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "iexcl" => '¡',
        "cent" => '¢',
        "pound" => '£',
        "curren" => '¤',
        "yen" => '¥',
        "brvbar" => '¦',
        "sect" => '§',
        "uml" => '¨',
        "copy" | "COPY" => '©',
        "ordf" => 'ª',
        "laquo" => '«',
        "not" => '¬',
        "shy" => '\u{AD}',
        "reg" | "REG" => '®',
        "macr" => '¯',
        "deg" => '°',
        "plusmn" => '±',
        "sup2" => '²',
        "sup3" => '³',
        "acute" => '´',
        "micro" => 'µ',
        "para" => '¶',
        "middot" => '·',
        "cedil" => '¸',
        "sup1" => '¹',
        "ordm" => 'º',
        "raquo" => '»',
        "frac14" => '¼',
        "frac12" => '½',
        "frac34" => '¾',
        "iquest" => '¿',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "AElig" => 'Æ',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Euml" => 'Ë',
        "Igrave" => 'Ì',
        "Iacute" => 'Í',
        "Icirc" => 'Î',
        "Iuml" => 'Ï',
        "ETH" => 'Ð',
        "Ntilde" => 'Ñ',
        "Ograve" => 'Ò',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Otilde" => 'Õ',
        "Ouml" => 'Ö',
        "times" => '×',
        "Oslash" => 'Ø',
        "Ugrave" => 'Ù',
        "Uacute" => 'Ú',
        "Ucirc" => 'Û',
        "Uuml" => 'Ü',
        "Yacute" => 'Ý',
        "THORN" => 'Þ',
        "szlig" => 'ß',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "auml" => 'ä',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "igrave" => 'ì',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "eth" => 'ð',
        "ntilde" => 'ñ',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ouml" => 'ö',
        "divide" => '÷',
        "oslash" => 'ø',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yacute" => 'ý',
        "thorn" => 'þ',
        "yuml" => 'ÿ',
        "OElig" => 'Œ',
        "oelig" => 'œ',
        "Scaron" => 'Š',
        "scaron" => 'š',
        "Yuml" => 'Ÿ',
        "fnof" => 'ƒ',
        "circ" => 'ˆ',
        "tilde" => '˜',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "hyphen" | "dash" => '‐',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "dagger" => '†',
        "Dagger" => '‡',
        "bull" => '•',
        "hellip" => '…',
        "permil" => '‰',
        "prime" => '′',
        "Prime" => '″',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "euro" => '€',
        "trade" | "TRADE" => '™',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "minus" => '−',
        "infin" => '∞',
        "ne" => '≠',
        "le" => '≤',
        "ge" => '≥',
        "asymp" => '≈',
        "percnt" => '%',
        "num" => '#',
        "dollar" => '$',
        "commat" => '@',
        "excl" => '!',
        "quest" => '?',
        "lpar" => '(',
        "rpar" => ')',
        "ast" => '*',
        "plus" => '+',
        "comma" => ',',
        "period" => '.',
        "sol" => '/',
        "bsol" => '\\',
        "colon" => ':',
        "semi" => ';',
        "equals" => '=',
        "lsqb" | "lbrack" => '[',
        "rsqb" | "rbrack" => ']',
        "lowbar" => '_',
        "grave" => '`',
        "lcub" | "lbrace" => '{',
        "rcub" | "rbrace" => '}',
        "verbar" | "vert" => '|',
        _ => return None,
    })
}

// ---------------------------------------------------------------- mojibake

/// The windows-1252 characters of bytes 0x80–0x9F (`None` for the five
/// undefined bytes, which latin-1 maps to C1 controls instead).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The character windows-1252 decodes a byte 0x80–0x9F to.
fn cp1252_char(b: u8) -> Option<char> {
    CP1252_HIGH
        .get(usize::from(b.checked_sub(0x80)?))
        .copied()
        .flatten()
}

/// The byte a character came from if it was decoded as windows-1252, with
/// latin-1 as the fallback (so C1 controls map back to themselves).
fn cp1252_byte(c: char) -> Option<u8> {
    let u = u32::from(c);
    if u < 0x100 {
        return u8::try_from(u).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|&x| x == Some(c))
        .and_then(|i| u8::try_from(i + 0x80).ok())
}

/// How many bytes a UTF-8 sequence starting with `b` has (0 if `b` cannot
/// start a multi-byte sequence).
fn utf8_len(b: u8) -> usize {
    match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Whether a byte is a UTF-8 continuation byte.
fn is_cont(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// Mojibake markers in a run of bytes: a UTF-8 lead byte directly followed by
/// a continuation byte (`Ã©`, `â€`, `Ð¿`).
fn markers(bytes: &[u8]) -> usize {
    bytes
        .windows(2)
        .filter(|w| utf8_len(w[0]) > 0 && is_cont(w[1]))
        .count()
}

/// Fixes mojibake runs; `None` when there is nothing to fix.
fn fix_mojibake(s: &str, log: &mut Vec<Repair>) -> Option<String> {
    // Fast path: every UTF-8 lead byte decodes to U+00C2..U+00F4.
    if !s.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c)) {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if cp1252_byte(c).is_none_or(|b| b < 0x80) {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && cp1252_byte(chars[i]).is_some_and(|b| b >= 0x80) {
            i += 1;
        }
        let run = &chars[start..i];
        let next = chars.get(i).copied();
        let prev = start.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let mut fixed = fix_layers(run, next);
        // `Â` + space: a no-break space (C2 A0) whose A0 became a plain space.
        let mut eat_next = false;
        if fixed.is_none()
            && run == ['Â']
            && next == Some(' ')
            && !prev.is_some_and(char::is_uppercase)
        {
            fixed = Some(String::new());
        }
        // A lost third byte after `â€` left U+FFFD: swallow it with the quote.
        if next == Some('\u{FFFD}')
            && fixed.as_deref().is_some_and(|f| f.ends_with('”'))
            && run.ends_with(&['â', '€'])
        {
            eat_next = true;
        }
        match fixed {
            Some(f) => {
                let mut from: String = run.iter().collect();
                if eat_next {
                    from.push('\u{FFFD}');
                    i += 1;
                }
                if run == ['Â'] {
                    from.push(' ');
                    log.push(Repair {
                        kind: "mojibake".into(),
                        from,
                        to: " ".into(),
                    });
                } else {
                    log.push(Repair {
                        kind: "mojibake".into(),
                        from,
                        to: f.clone(),
                    });
                }
                out.push_str(&f);
                changed = true;
            }
            None => out.extend(run),
        }
    }
    changed.then_some(out)
}

/// Undoes one or more layers of mis-decoding on a run of encodable non-ASCII
/// characters; `None` if nothing was clearly mojibake.
fn fix_layers(run: &[char], next: Option<char>) -> Option<String> {
    let mut cur: Vec<char> = run.to_vec();
    let mut any = false;
    for _ in 0..MAX_LAYERS {
        match fix_cluster(&cur, if any { None } else { next }) {
            Some(f) => {
                any = true;
                let done = !f.chars().any(|c| cp1252_byte(c).is_some_and(|b| b >= 0x80));
                cur = f.chars().collect();
                if done {
                    break;
                }
            }
            None => break,
        }
    }
    any.then(|| cur.into_iter().collect())
}

/// One layer of mojibake repair on a run of characters that all encode to
/// bytes ≥ 0x80. Rules for a byte sequence that is valid UTF-8:
/// - 2 bytes led by C2/C3 (`Â`, `Ã`: decodes to U+0080..U+00FF): fixed;
/// - 2 bytes led by C4..DF (`Ä`..`ß`: Latin Extended, Greek, Cyrillic, Hebrew,
///   Arabic): fixed only next to another fixed sequence, so `Ð¿Ñ€` becomes `пр`
///   while a lone `ß”` or `Ö‘` (correct German before a quote) stays;
/// - 3 and 4 bytes (`â€™`, `ã‚¢`, `ðŸ˜€`): fixed;
/// - `â€` with nothing valid after it (the third byte was lost, almost always
///   the undefined 0x9D of `”`): becomes `”`.
///
/// The result is accepted only if it has fewer mojibake markers.
fn fix_cluster(run: &[char], next: Option<char>) -> Option<String> {
    let bytes: Vec<u8> = run.iter().filter_map(|&c| cp1252_byte(c)).collect();
    if bytes.len() != run.len() {
        return None;
    }
    // (start, end, decoded, strong)
    let mut segs: Vec<(usize, usize, Option<char>, bool)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let n = utf8_len(bytes[i]);
        let decoded =
            (n > 0 && i + n <= bytes.len() && bytes[i + 1..i + n].iter().all(|&b| is_cont(b)))
                .then(|| {
                    std::str::from_utf8(&bytes[i..i + n])
                        .ok()
                        .and_then(|s| s.chars().next())
                })
                .flatten();
        if let Some(d) = decoded {
            let strong = n > 2 || bytes[i] <= 0xC3;
            segs.push((i, i + n, Some(d), strong));
            i += n;
        } else if bytes[i] == 0xE2
            && bytes.get(i + 1) == Some(&0x80)
            && i + 2 == bytes.len()
            && !next.is_some_and(char::is_alphanumeric)
        {
            segs.push((i, i + 2, Some('”'), true));
            i += 2;
        } else {
            segs.push((i, i + 1, None, false));
            i += 1;
        }
    }
    let mut out = String::new();
    let mut changed = false;
    for (k, &(s, e, d, strong)) in segs.iter().enumerate() {
        let neighbour =
            |j: Option<usize>| j.and_then(|j| segs.get(j)).is_some_and(|x| x.2.is_some());
        let accept =
            d.is_some() && (strong || neighbour(k.checked_sub(1)) || neighbour(Some(k + 1)));
        match d {
            Some(c) if accept => {
                out.push(c);
                changed = true;
            }
            _ => out.extend(&run[s..e]),
        }
    }
    if !changed {
        return None;
    }
    let after: Vec<u8> = out.chars().filter_map(cp1252_byte).collect();
    (markers(&after) < markers(&bytes)).then_some(out)
}

// ---------------------------------------------------------------- invisible

/// Characters removed by the invisible repair.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
        || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Removes invisible characters, logging each changed word.
fn remove_invisible(s: &str, log: &mut Vec<Repair>) -> Option<String> {
    if !s.chars().any(is_invisible) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for tok in s.split_inclusive(char::is_whitespace) {
        if tok.chars().any(is_invisible) {
            let clean: String = tok.chars().filter(|&c| !is_invisible(c)).collect();
            log.push(Repair {
                kind: "invisible".into(),
                from: tok.trim_end().to_owned(),
                to: clean.trim_end().to_owned(),
            });
            out.push_str(&clean);
        } else {
            out.push_str(tok);
        }
    }
    Some(out)
}

// ---------------------------------------------------------------- nfc

/// NFC-normalises, logging each changed word.
fn nfc(s: &str, log: &mut Vec<Repair>) -> Option<String> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    for tok in s.split_inclusive(char::is_whitespace) {
        let n: String = tok.nfc().collect();
        if n != tok {
            changed = true;
            log.push(Repair {
                kind: "nfc".into(),
                from: tok.trim_end().to_owned(),
                to: n.trim_end().to_owned(),
            });
        }
        out.push_str(&n);
    }
    changed.then_some(out)
}

// ---------------------------------------------------------------- whitespace

/// Whitespace the repair collapses.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{B}' | '\u{C}' | '\u{A0}')
}

/// Whitespace repair for one block kind; `None` if nothing changes.
fn whitespace(s: &str, kind: BlockKind) -> Option<String> {
    let out = match kind {
        BlockKind::Code => {
            if !s.contains('\r') {
                return None;
            }
            s.replace("\r\n", "\n").replace('\r', "\n")
        }
        BlockKind::TableRow => s
            .split('\t')
            .map(collapse)
            .collect::<Vec<_>>()
            .join("\t")
            .trim_matches(|c: char| c.is_whitespace() && c != '\t')
            .to_owned(),
        _ => collapse(s),
    };
    (out != s).then_some(out)
}

/// Collapses whitespace runs (no-break spaces included) to one plain space and
/// trims. Output is plain text: a no-break space has no layout to protect there,
/// and readers of the text (search, diff, tokenizers) expect a space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        if !is_space(c) {
            out.push(c);
            prev = Some(c);
            continue;
        }
        while chars.peek().copied().is_some_and(is_space) {
            chars.next();
        }
        let next = chars.peek().copied();
        if prev.is_none() || next.is_none() {
            continue; // leading or trailing: trimmed
        }
        out.push(' ');
        prev = Some(c);
    }
    let trimmed = out.trim_matches(char::is_whitespace);
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep() -> Repairer {
        Repairer::new(&Options::default())
    }

    fn fix(s: &str) -> (String, Vec<Repair>) {
        let mut log = Vec::new();
        let out = line(s, &rep(), Some("en"), &mut log);
        (out, log)
    }

    fn same(s: &str) {
        let (out, log) = fix(s);
        assert_eq!(out, s, "changed: {s:?} -> {out:?} ({log:?})");
        assert!(log.is_empty(), "logged for {s:?}: {log:?}");
    }

    fn para(s: &str) -> Block {
        Block::new(BlockKind::Paragraph, s)
    }

    #[test]
    fn dictionary_loads() {
        let r = rep();
        assert!(r.dict.is_some());
        assert!(r.lookup("reiterated").is_some_and(|l| l > 0));
        assert!(r.lookup("colour").is_some());
        assert_eq!(r.lookup("eiterated"), None);
    }

    #[test]
    fn entities() {
        assert_eq!(fix("Tom &amp; Jerry").0, "Tom & Jerry");
        assert_eq!(fix("&quot;Hi&quot; it&#039;s").0, "\"Hi\" it's");
        assert_eq!(fix("don&#8217;t &#x2014; ok").0, "don’t — ok");
        assert_eq!(fix("say &amp;quot;x&amp;quot;").0, "say \"x\"");
        assert_eq!(fix("a&nbsp;%").0, "a %");
        assert_eq!(fix("a&nbsp;b").0, "a b");
        assert_eq!(fix("it&#146;s").0, "it’s");
        let (_, log) = fix("Tom &amp; Jerry");
        assert_eq!(
            log,
            vec![Repair {
                kind: "entity".into(),
                from: "&amp;".into(),
                to: "&".into()
            }]
        );
        for s in [
            "AT&T",
            "a & b",
            "&copy 2020",
            "&bogus;",
            "&#;",
            "&#xZZ;",
            "&#0;",
            "&#99999999;",
            "&",
        ] {
            same(s);
        }
        let mut b = vec![Block::new(BlockKind::Code, "x &amp;&amp; y")];
        text(&mut b, &rep(), None, &mut Vec::new());
        assert_eq!(b[0].text, "x &amp;&amp; y");
    }

    #[test]
    fn mojibake_single_and_double() {
        assert_eq!(fix("It’s").0, "It’s");
        assert_eq!(fix("It\u{e2}\u{80}\u{99}s").0, "It’s"); // latin-1 decoded
        assert_eq!(fix("Café").0, "Café");
        assert_eq!(fix("â€œQuoteâ€\u{9d} end").0, "“Quote” end");
        assert_eq!(fix("â€œQuoteâ€ end").0, "“Quote” end");
        assert_eq!(fix("â€œQuoteâ€\u{FFFD} end").0, "“Quote” end");
        assert_eq!(fix("10Â km and Â£5").0, "10 km and £5");
        assert_eq!(fix("a\u{C2}\u{A0}b").0, "a b");
        assert_eq!(fix("Itâ€™s — no").0, "It’s — no");
        assert_eq!(fix("Itâ€™s").1[0].kind, "mojibake");
        assert_eq!(fix("ItÃ¢â‚¬â„¢s").0, "It’s");
        assert_eq!(fix("Ð¿Ñ€Ð¸Ð²ÐµÑ‚").0, "привет");
        assert_eq!(fix("ã‚¢ãƒ‹ãƒ¡").0, "アニメ");
        assert_eq!(fix("ðŸ˜€ smile").0, "😀 smile");
        assert_eq!(fix("SÃ£o Paulo").0, "São Paulo");
    }

    #[test]
    fn mojibake_leaves_correct_text() {
        for s in [
            "naïve Café Ångström €5 São Paulo Œuvre",
            "Fuß” und „Grüße“ aus Köln: Äpfel, Öl, Übermaß",
            "Le cœur « français » à l’été, déjà vu",
            "Zażółć gęślą jaźń, Łódź",
            "Привет, как дела?",
            "日本語のテキストです。",
            "CHÂTEAU ÂGE",
            "Ça va? Où? È vero. Ñandú",
            "Dvořák — “Symphony” ‘No. 9’ … ™ ©",
        ] {
            same(s);
        }
    }

    #[test]
    fn mojibake_mixed_with_correct() {
        let (out, log) = fix("Café’s owner said itâ€™s naïve");
        assert_eq!(out, "Café’s owner said it’s naïve");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].from, "â€™");
    }

    #[test]
    fn invisible() {
        assert_eq!(fix("co\u{AD}operate").0, "cooperate");
        assert_eq!(
            fix("zero\u{200B}width \u{FEFF}bom wo\u{2060}rd").0,
            "zerowidth bom word"
        );
        assert_eq!(fix("bell\u{7}s and \u{85}c1").0, "bells and c1");
        assert_eq!(fix("co\u{AD}operate").1[0].kind, "invisible");
        same("👩\u{200D}💻 and می\u{200C}خواهم");
        let mut b = vec![Block::new(BlockKind::Code, "a\tb\n\u{1}c\r\nd")];
        text(&mut b, &rep(), None, &mut Vec::new());
        assert_eq!(b[0].text, "a\tb\nc\nd");
    }

    #[test]
    fn nfc() {
        let (out, log) = fix("cafe\u{301} ok");
        assert_eq!(out, "café ok");
        assert_eq!(
            log,
            vec![Repair {
                kind: "nfc".into(),
                from: "cafe\u{301}".into(),
                to: "café".into()
            }]
        );
        same("café ok");
    }

    #[test]
    fn whitespace() {
        let (out, log) = fix("  a \t b\n\nc\u{A0}d  ");
        assert_eq!(out, "a b c d");
        assert!(log.is_empty());
        assert_eq!(fix("prix\u{A0}: 5\u{A0}€ « mot »").0, "prix : 5 € « mot »");
        same("He said \"no\" -- and 'yes' - fine");
        let mut b = vec![
            Block::new(BlockKind::TableRow, " a  b \t c\t d "),
            Block::new(BlockKind::Code, "  fn x() {\n    y  }"),
        ];
        text(&mut b, &rep(), None, &mut Vec::new());
        assert_eq!(b[0].text, "a b\tc\td");
        assert_eq!(b[1].text, "  fn x() {\n    y  }");
    }

    #[test]
    fn seed_typos_fixed() {
        let (out, log) = fix("Furthermore, the two ministers eiterated the importance of peace.");
        assert_eq!(
            out,
            "Furthermore, the two ministers reiterated the importance of peace."
        );
        assert_eq!(
            log,
            vec![Repair {
                kind: "typo".into(),
                from: "eiterated".into(),
                to: "reiterated".into()
            }]
        );
        let (out, _) = fix("The company has ontinuously improved its products over the years.");
        assert_eq!(
            out,
            "The company has continuously improved its products over the years."
        );
    }

    #[test]
    fn typos_leave_real_words() {
        for s in [
            "She emphasised that we must fulfil our honourable duty to the organisation.",
            "The colour of the programme centre: we analyse and travelled far.",
            "He emphasized the color of the center; they analyzed and traveled.",
            "Honourable Eiterated Ontinuously",
            "Visit https://example.com/eiterated or mail eiterated@example.com #eiterated @eiterated",
            "see eiterated.com and foo_eiterated or a/eiterated",
            "Numbers 12345 and 3rd and abc123 and x86",
            "e.g. i.e. etc. approx. govt. dept.",
            "Blinken and Kamikawa met in Washington with Kishida.",
            "They were tweeting and livestreamed the reupload.",
        ] {
            same(s);
        }
    }

    #[test]
    fn typos_respect_language_options_and_repeats() {
        let mut log = Vec::new();
        let s = "the two ministers eiterated the importance";
        assert_eq!(line(s, &rep(), Some("ja"), &mut log), s);
        assert_eq!(
            line(s, &rep(), Some("en-GB"), &mut log),
            s.replace("eiterated", "reiterated")
        );
        let opts = Options {
            known_words: vec!["Eiterated".into()],
            ..Options::default()
        };
        assert_eq!(line(s, &Repairer::new(&opts), None, &mut log), s);
        let opts = Options {
            typos: false,
            ..Options::default()
        };
        assert_eq!(line(s, &Repairer::new(&opts), None, &mut log), s);
        // Used twice on the page: deliberate.
        let mut b = vec![para(s), para("and they eiterated it again")];
        text(&mut b, &rep(), None, &mut log);
        assert_eq!(b[0].text, s);
    }

    #[test]
    fn all_kinds_can_be_switched_off() {
        let opts = Options {
            nfc: false,
            whitespace: false,
            invisible: false,
            entities: false,
            mojibake: false,
            typos: false,
            ..Options::default()
        };
        let s = " a&amp;b  itâ€™s co\u{AD}op cafe\u{301} eiterated ";
        let mut log = Vec::new();
        assert_eq!(line(s, &Repairer::new(&opts), None, &mut log), s);
        assert!(log.is_empty());
    }

    #[test]
    fn options_from_toml_shape() {
        let o: Options =
            serde_json::from_str(r#"{"typos": false, "known_words": ["pith"]}"#).unwrap();
        assert!(!o.typos && o.nfc && o.known_words == ["pith"]);
        assert!(serde_json::from_str::<Options>(r#"{"typo": false}"#).is_err());
    }

    #[test]
    fn odd_input_does_not_panic() {
        let long = "a".repeat(10_000);
        let longer = format!("x{}", "q".repeat(40));
        for s in [
            "",
            " ",
            "\u{301}\u{301}\u{308}",
            "\u{FFFD}\u{FFFD}\u{FFFD}",
            "â€",
            "Â",
            "Ã",
            "&",
            "&#",
            "&#x;",
            "\u{0}\u{1F}\u{9F}",
            long.as_str(),
            longer.as_str(),
            "ð\u{9F}",
            "🙂🙂 \u{200D}",
        ] {
            let mut log = Vec::new();
            let once = line(s, &rep(), None, &mut log);
            let twice = line(&once, &rep(), None, &mut log);
            assert_eq!(once, twice, "not idempotent on {s:?}");
        }
    }

    #[test]
    fn idempotent() {
        let s = "  Itâ€™s a &amp;quot;co\u{AD}op&amp;quot; — ItÃ¢â‚¬â„¢s cafe\u{301}, eiterated the importance.  ";
        let r = rep();
        let mut log = Vec::new();
        let once = line(s, &r, None, &mut log);
        let mut log2 = Vec::new();
        let twice = line(&once, &r, None, &mut log2);
        assert_eq!(once, twice);
        assert!(log2.is_empty(), "{log2:?}");
        assert_eq!(
            once,
            "It’s a \"coop\" — It’s café, reiterated the importance."
        );
    }

    #[test]
    fn repairer_is_send_sync_and_cheap() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Repairer>();
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            let _ = Repairer::new(&Options::default());
        }
        // Generous bound for debug builds on slow CI: 1000 constructions < 1 s.
        assert!(t.elapsed().as_secs_f64() < 1.0);
    }
}
