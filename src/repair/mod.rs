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
//!    *and* look like mojibake are decoded (see `mojibake::fix_cluster` for the
//!    rules), and the run is kept only if it then holds fewer mojibake markers
//!    than before. A second, lenient pass over a text run that had mojibake
//!    also decodes lone two-byte letters (`Ð²` → `в`). C1 controls left by
//!    windows-1252 text read as latin-1 (`\u{92}`) become their characters
//!    (`’`). Correct text (`naïve`, `Café`, `Ångström`, `€5`, `São Paulo`,
//!    `Œuvre`, `Fuß”`, Cyrillic, Japanese) never re-encodes to such sequences
//!    and is left alone. The idea follows the Python library ftfy; the code is
//!    our own and far smaller. Work is per text run (block or metadata line),
//!    so a page mixing correct and broken runs comes out right.
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
//!    (page language `en…`; a page that declares none must read as English,
//!    see [`reads_as_english`]), never in code blocks. A word is a
//!    candidate only if it is all lower-case ASCII letters, at least one
//!    letter shorter than [`Options::typo_min_len`] (a deletion typo in a word
//!    of that length), not glued to digits, capitals, `/`, `_`, `@`, `#`, a
//!    domain-like `.` or a hyphenated capitalised word, not inside a
//!    contraction or before an apostrophe (`keepin'`), not in the dictionary
//!    (SCOWL: US, UK, Canadian and Australian spellings with inflections,
//!    proper names and abbreviations, ~500k words) and not in
//!    [`Options::known_words`]. Its candidates are the words one edit away
//!    (insertion, deletion, substitution, transposition) that are at least
//!    `typo_min_len` long and either used elsewhere on the page or *common*
//!    (SCOWL size ≤ 50, 65,041 words). A small noisy-channel model decides:
//!    each candidate scores its frequency (`data/en_freq.fst`), how well it
//!    fits the words right before and after each occurrence (pointwise
//!    mutual information from the word-pair counts of `data/en_bigrams.fst`),
//!    whether the page uses it, and how likely the edit is (a lost first
//!    letter most, then a dropped or swapped letter, then an inserted or
//!    substituted one). The word as written scores the evidence that it is
//!    deliberate: used again on the page, an inflection of a common word or
//!    of a word on the page, a derived form or compound of common words, a
//!    block that does not read as English (many unknown words, or no English
//!    function word in 12+ words), a page full of identifiers and file names
//!    (jargon). Scores are log probabilities; the best candidate is applied
//!    only if it holds 96% of the probability. Pages where many words are
//!    unknown (foreign text, code listings) are skipped as a whole.
//!
//! The dictionary is `data/en_words.fst` (an [`fst::Map`] from word to SCOWL
//! size level, 0 for "correct but never suggested"), built by
//! `scripts/build_dict.sh` and read in place from the binary, so
//! [`Repairer::new`] costs tens of nanoseconds (28 ns measured, release).

use std::collections::HashSet;

use fst::Map;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::page::{Block, BlockKind, Repair};

mod entities;
mod mojibake;
mod typo;

use entities::decode_entities;
use mojibake::{fix_c1, fix_mojibake};
pub use typo::{reads_as_english, Vocabulary};
use typo::{EN_BIGRAMS, EN_FREQ, EN_WORDS};

/// Passes of entity decoding, mojibake fixing and invisible removal at most
/// (each pass undoes one more layer of escaping or encoding; three covers
/// triple-escaped text, and stopping keeps the work bounded).
const MAX_LAYERS: usize = 4;

/// How the repairs are configured: the `[repair]` table of the pipeline file.
/// Every repair kind is on by default and can be switched off.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// In a batch (`pith extract` over many pages, [`crate::Pipeline::run`]),
    /// let the typo repair weigh the words of the batch's earlier pages as
    /// evidence (see [`Vocabulary`]).
    pub batch_vocabulary: bool,
    /// Shortest word the typo repair corrects to (default 5: shorter words
    /// have many one-edit neighbours and are often abbreviations, slang or
    /// foreign function words; chosen by hand, checked on the 311
    /// human-written benchmark articles, `bench/*/truth.jsonl`: 12
    /// corrections, 8 of them real typos); unknown words one letter shorter
    /// are considered, for deletions.
    pub typo_min_len: usize,
}

impl Default for Options {
    /// The `[repair]` table of `pipelines/default.toml`.
    fn default() -> Self {
        crate::config::defaults().repair.clone()
    }
}

/// The repairs compiled from [`Options`]: immutable, `Send + Sync`, cheap to
/// build (the dictionary is read in place from the binary) and to share.
#[derive(Debug, Clone)]
pub struct Repairer {
    opts: Options,
    known: HashSet<String>,
    dict: Option<Map<&'static [u8]>>,
    freq: Option<Map<&'static [u8]>>,
    bigrams: Option<Map<&'static [u8]>>,
}

impl Repairer {
    /// Whether a batch's typo repair weighs the words of its earlier pages
    /// ([`Options::batch_vocabulary`]).
    pub fn batch_vocabulary(&self) -> bool {
        self.opts.typos && self.opts.batch_vocabulary
    }

    /// Builds a repairer. If the embedded dictionary were unreadable, typo
    /// repair would be silently disabled (a unit test guards against that).
    pub fn new(opts: &Options) -> Repairer {
        let known = opts
            .known_words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let (dict, freq, bigrams) = if opts.typos {
            (
                Map::new(EN_WORDS).ok(),
                Map::new(EN_FREQ).ok(),
                Map::new(EN_BIGRAMS).ok(),
            )
        } else {
            (None, None, None)
        };
        Repairer {
            opts: opts.clone(),
            known,
            dict,
            freq,
            bigrams,
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
                changed |= {
                    let new = fix_c1(&text, log);
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
}

/// Which repairs one call of [`Repairer::repair`] makes. A page of a batch
/// is repaired in two passes: [`Pass::AllButTypos`] on a worker, then
/// [`Pass::Typos`] in page order with the batch's vocabulary.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pass<'a> {
    /// Every repair; the typo repair weighs the page's own words, and the
    /// batch's when one is given.
    All(Option<&'a Vocabulary>),
    /// Every repair but the typo repair.
    AllButTypos,
    /// The typo repair alone, with the evidence of the batch's earlier pages.
    Typos(&'a Vocabulary),
}

impl Repairer {
    /// Repairs a page's title and blocks in place (the title first, then the
    /// blocks in order) and returns one [`Repair`] per change that is not pure
    /// whitespace. `lang` is the page's language; typo repair runs only when
    /// it is English (see [`reads_as_english`] for pages that declare none).
    pub(crate) fn repair(
        &self,
        title: Option<&mut String>,
        blocks: &mut [Block],
        lang: Option<&str>,
        pass: Pass<'_>,
    ) -> Vec<Repair> {
        let mut log = Vec::new();
        let (basic, batch) = match pass {
            Pass::All(batch) => (true, Some(batch)),
            Pass::AllButTypos => (true, None),
            Pass::Typos(v) => (false, Some(Some(v))),
        };
        if let Some(t) = title {
            if basic {
                *t = self.basic(t, BlockKind::Paragraph, &mut log);
            }
            if let Some(batch) = batch {
                if self.typos_for(lang) {
                    self.typos(&mut [(t, BlockKind::Paragraph)], batch, &mut log);
                }
            }
        }
        if basic {
            for b in blocks.iter_mut() {
                b.text = self.basic(&b.text, b.kind, &mut log);
            }
        }
        if let Some(batch) = batch {
            if self.typos_for(lang) {
                let mut texts: Vec<(&mut String, BlockKind)> =
                    blocks.iter_mut().map(|b| (&mut b.text, b.kind)).collect();
                let mut typo_log = Vec::new();
                self.typos(&mut texts, batch, &mut typo_log);
                log.append(&mut typo_log);
            }
        }
        log
    }
}

/// Decodes the HTML character references left in a text (`&amp;`,
/// `&percnt;`, `&#8217;`), as the entity repair does: the evaluation's normal
/// form, so that a reference text quoting one literally is not counted as
/// changed; and the form of a metadata value that was escaped twice.
pub(crate) fn decode_references(s: &str) -> String {
    decode_entities(s, &mut Vec::new()).unwrap_or_else(|| s.to_owned())
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
    let out = crate::text::collapse_by(s, is_space);
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

    /// One string repaired as a title is.
    fn line(s: &str, r: &Repairer, lang: Option<&str>, log: &mut Vec<Repair>) -> String {
        let mut t = s.to_owned();
        log.extend(r.repair(Some(&mut t), &mut [], lang, Pass::All(None)));
        t
    }

    /// Blocks repaired as a page's are.
    fn text(blocks: &mut [Block], r: &Repairer, lang: Option<&str>, log: &mut Vec<Repair>) {
        log.extend(r.repair(None, blocks, lang, Pass::All(None)));
    }

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
        assert_eq!(fix("bell\u{7}s and \u{81}c1").0, "bells and c1");
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
        // Used twice on the page, with weak context: deliberate.
        let once = "Our new sensor, the ontinuous one, works.";
        assert_eq!(fix(once).0, once.replace("ontinuous", "continuous"));
        same("Our new sensor, the ontinuous one, works. We sold the ontinuous model too.");
    }

    #[test]
    fn typos_weigh_context() {
        // A repeated typo whose neighbours fit one candidate well is still
        // a typo (a drop cap or a clipped span loses the same letter twice).
        let s = "The irst step is the hardest, and the irst time is always the worst.";
        let (out, log) = fix(s);
        assert_eq!(out, s.replace("irst", "first"));
        assert_eq!(log.len(), 2);
        // `ather` is one edit from `father`, `other`, `rather`, `bather`,
        // `lather`: `than` after it leaves only `rather`.
        assert_eq!(
            fix("He said it would be better ather than later.").0,
            "He said it would be better rather than later."
        );
        // On a page with identifiers and file names, jargon one edit from a
        // word (`stdout`: `stout`) is taken as written.
        same(
            "Call readFile() from node:fs and pipe the result to stdout so the shell can read it.",
        );
        // A block with no English function word is not English prose.
        same("Clique no link para ver o video completo da final e da semifinal");
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
        let file = "[repair]\ntypos = false\nknown_words = [\"pith\"]\n";
        let o = crate::PipelineFile::parse(file, "<t>").unwrap().repair;
        assert!(!o.typos && o.nfc && o.known_words == ["pith"]);
        assert_eq!(o.typo_min_len, 5, "the value in pipelines/default.toml");
        assert!(crate::PipelineFile::parse("[repair]\ntypo = false\n", "<t>").is_err());
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

    #[test]
    fn undeclared_language_is_judged_by_its_words() {
        let en = "The council said on Tuesday that the ferry would run again from the end of the month, and that tickets bought for the cancelled crossings are still valid. It was the first time in nine days that the island had a service, and the operator said it had been a hard week for the crew and for the people who live there.";
        let es = "Una solución no violenta para la cuestión mapuche es posible, dijo el ministro, que pidió a las comunidades y al gobierno que vuelvan a la mesa de diálogo. La propuesta incluye la devolución de tierras y un fondo para el desarrollo de la región, según informó la agencia oficial en un comunicado difundido el martes por la noche.";
        assert!(super::reads_as_english([en].into_iter()));
        assert!(!super::reads_as_english([es].into_iter()));
        assert!(super::reads_as_english(["Too short to tell"].into_iter()));
    }
}
