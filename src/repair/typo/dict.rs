//! The dictionary side of typo repair: the word list, word frequencies and
//! word-pair counts embedded from `data/` (the FST statics), and the
//! [`Repairer`] lookups on them: whether a word is known, an inflection,
//! derived form or compound of known words, how frequent it is, and how well
//! it fits its neighbours.

use super::Place;
use crate::repair::Repairer;

/// The English dictionary: lower-case ASCII words mapped to their SCOWL size
/// level when they are common enough to be suggested (10 … 50), else 0.
pub(in crate::repair) static EN_WORDS: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_words.fst"));

/// English word frequencies: lower-case ASCII words mapped to
/// `floor(8 × log2(count))` of their Google Books count (SymSpell's list; see
/// `data/README.md`), used to rank candidates.
pub(in crate::repair) static EN_FREQ: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_freq.fst"));

/// English word bigrams: `first second` (two lower-case ASCII words joined
/// by one space) mapped to `floor(8 × log2(count))` of the pair's Google
/// Books count, the scale of [`EN_FREQ`] (SymSpell's bigram list; see
/// `data/README.md`). Every pair counted 6.4 million times or more among
/// SymSpell's words is there, so a missing pair is a rare one.
pub(in crate::repair) static EN_BIGRAMS: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_bigrams.fst"));

/// `8 × log2` of the total count of the words in [`EN_FREQ`]
/// (541,808,760,578): the corpus size on the frequency scale, to turn
/// counts into probabilities.
const LOG_TOTAL: i64 = 312;

/// `8 × log2` of the smallest count in [`EN_BIGRAMS`] (6,400,000, rounded
/// up): a pair missing from the list was counted fewer times than this.
const LOG_BIGRAM_FLOOR: i64 = 181;

/// Highest SCOWL size level a suggestion may have: the build script stores a
/// non-zero level only for words at levels 10–50 (the usual "medium"
/// spell-checker dictionary), so this is the definition of a "common" word.
pub(super) const COMMON_MAX_LEVEL: u64 = 50;

/// Frequency (the scale of [`EN_FREQ`]) assumed for a common word that
/// [`EN_FREQ`] lacks, by SCOWL level: the lower quartile of the words of that
/// level it has (measured over the whole dictionary).
const LEVEL_FREQ: [(u64, f64); 5] = [
    (10, 182.0),
    (20, 161.0),
    (35, 133.0),
    (40, 127.0),
    (50, 121.0),
];

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

/// Highest SCOWL level of a three-letter part of a compound in
/// [`Repairer::is_derived`] (`backend`: `back` + `end`): only the commonest
/// words, since with any short word half of all typos split into two words
/// (`matjer`: `mat` + `jer`). Level 20 cost recall and kept no more clean
/// words.
const SHORT_PART_MAX_LEVEL: u64 = 10;

/// Shortest stem accepted by the prefix/suffix and compound rules.
pub(super) const AFFIX_MIN_STEM: usize = 4;

impl Repairer {
    /// Dictionary value of a lower-case word: `None` if unknown, `Some(0)` if
    /// correct but rare, `Some(level)` for common words.
    pub(in crate::repair) fn lookup(&self, word: &str) -> Option<u64> {
        self.dict.as_ref().and_then(|d| d.get(word))
    }

    /// Whether a lower-case ASCII word is in the dictionary (for the
    /// evaluation's typo generator).
    #[cfg(feature = "tools")]
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.lookup(word).is_some()
    }

    /// Whether a lower-case ASCII word counts as correct.
    pub(super) fn is_known(&self, word: &str) -> bool {
        self.lookup(word).is_some() || self.known.contains(word)
    }

    /// Whether an unknown word is still plausibly a real one: a common word
    /// with a common prefix or suffix, or two common words run together.
    /// Stems must be common words (not rare words, names or abbreviations)
    /// of [`AFFIX_MIN_STEM`]+ letters; one part of a compound may be shorter
    /// if it is one of the commonest words ([`SHORT_PART_MAX_LEVEL`]).
    pub(super) fn is_derived(&self, word: &str) -> bool {
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
        // A part of three letters must be one of the commonest words
        // (`backend`, `payday`), and the other part a common word.
        let part = |p: &str| {
            ok(p)
                || (p.len() == 3
                    && self
                        .lookup(p)
                        .is_some_and(|l| (1..=SHORT_PART_MAX_LEVEL).contains(&l)))
        };
        (3..=word.len().saturating_sub(3)).any(|i| {
            word.is_char_boundary(i)
                && part(&word[..i])
                && part(&word[i..])
                && (ok(&word[..i]) || ok(&word[i..]))
        })
    }

    /// Whether an unknown word is the comparative or superlative of an
    /// adjective in `-y` (`barfier`, `glitchiest`): SCOWL lists those forms
    /// for common adjectives only, and the adjective (of any level) or the
    /// noun it is made from (a common one) is enough evidence.
    pub(super) fn is_comparative(&self, word: &str) -> bool {
        ["ier", "iest"].iter().any(|s| {
            word.strip_suffix(s).is_some_and(|stem| {
                stem.len() >= 3
                    && (self.lookup(&format!("{stem}y")).is_some()
                        || self
                            .lookup(stem)
                            .is_some_and(|l| (1..=COMMON_MAX_LEVEL).contains(&l)))
            })
        })
    }

    /// Frequency of a lower-case word on a log scale (eight steps per
    /// doubling of its count in Google Books), 0 if it is not in the list.
    fn freq(&self, word: &str) -> u64 {
        self.freq.as_ref().and_then(|f| f.get(word)).unwrap_or(0)
    }

    /// A candidate's frequency for ranking: its count in [`EN_FREQ`], or,
    /// for the common words that list lacks (12,540 of 65,041, among them
    /// US spellings such as `favorite` and `analyze`), the lower quartile of
    /// the counted words of the same SCOWL level ([`LEVEL_FREQ`]).
    pub(super) fn rank_freq(&self, word: &str, level: Option<u64>) -> f64 {
        match self.freq(word) {
            0 => LEVEL_FREQ
                .iter()
                .find(|(l, _)| Some(*l) == level)
                .map_or(0.0, |(_, f)| *f),
            f => f as f64,
        }
    }

    /// Count of a pair of lower-case words on the scale of [`Self::freq`],
    /// if the pair is common enough to be in the bigram list.
    fn bigram(&self, a: &str, b: &str) -> Option<i64> {
        let bi = self.bigrams.as_ref()?;
        let mut key = String::with_capacity(a.len() + b.len() + 1);
        key.push_str(a);
        key.push(' ');
        key.push_str(b);
        bi.get(key).map(|v| v as i64)
    }

    /// How well `b` follows `a`: their pointwise mutual information on the
    /// frequency scale (eight steps per doubling; 0 = as often as chance,
    /// positive = a usual pair), and whether the pair is in the bigram list.
    /// A pair missing from the list gets the highest value its absence
    /// allows (its count is below the list's floor), capped at 0: absence
    /// tells against a pair of frequent words only. `None` when either word
    /// has no frequency (rare words, names, other typos): no evidence.
    fn fit(&self, a: &str, b: &str) -> Option<(i64, bool)> {
        let (fa, fb) = (self.freq(a) as i64, self.freq(b) as i64);
        if fa == 0 || fb == 0 {
            return None;
        }
        Some(match self.bigram(a, b) {
            Some(joint) => (joint + LOG_TOTAL - fa - fb, true),
            None => ((LOG_BIGRAM_FLOOR + LOG_TOTAL - fa - fb).min(0), false),
        })
    }

    /// How well a candidate fits the places where the unknown word stands:
    /// the sum over its occurrences and both sides of [`Self::fit`], and the
    /// number of those pairs that are in the bigram list.
    pub(super) fn context_fit(&self, cand: &str, places: &[Place]) -> (i64, usize) {
        let (mut sum, mut seen) = (0i64, 0usize);
        for p in places {
            let sides = [
                p.left.as_deref().and_then(|l| self.fit(l, cand)),
                p.right.as_deref().and_then(|r| self.fit(cand, r)),
            ];
            for (v, known) in sides.into_iter().flatten() {
                sum += v;
                seen += usize::from(known);
            }
        }
        (sum, seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::Options;

    #[test]
    fn bigrams_load_and_fit() {
        let r = Repairer::new(&Options::default());
        assert!(r.bigrams.is_some());
        assert!(r.bigram("the", "first").is_some());
        assert_eq!(r.bigram("the", "irst"), None);
        // `first step` is a usual pair, `first than` is not one at all.
        let (usual, seen) = r.fit("first", "step").unwrap();
        assert!(seen && usual > 0, "{usual}");
        assert_eq!(r.fit("irst", "step"), None);
        let place = Place {
            left: Some("better".into()),
            right: Some("than".into()),
        };
        let rather = r.context_fit("rather", std::slice::from_ref(&place));
        let other = r.context_fit("other", std::slice::from_ref(&place));
        assert!(rather.0 > other.0 && rather.1 >= 1, "{rather:?} {other:?}");
    }

    #[test]
    fn common_words_missing_from_the_counts_still_rank() {
        let r = Repairer::new(&Options::default());
        assert_eq!(r.freq("favorite"), 0);
        let level = r.lookup("favorite");
        assert!(r.rank_freq("favorite", level) >= 121.0);
        assert_eq!(r.rank_freq("zzzq", None), 0.0);
    }

    #[test]
    fn compounds_with_a_very_common_short_part() {
        let r = Repairer::new(&Options::default());
        assert!(r.is_derived("backend") && r.is_derived("bedroom"));
        // A short part must be among the commonest words, and the other part
        // a common word of four or more letters.
        assert!(!r.is_derived("matjer") && !r.is_derived("thejer"));
    }
}
