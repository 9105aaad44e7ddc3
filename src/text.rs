//! What several stages mean by a sentence end, a headline, a similarity and a
//! collapsed string, kept once; and the reader that turns plain text into blocks.
//!
//! Extract and strip grew their own copies of these rules and the copies drifted
//! (extract counts `…`, `:` and `;` as ending a block, strip does not; strip knows
//! `؟`, `।` and `．`, extract does not). Changing either would change the output on
//! real pages, so where the copies differ the difference is now a named parameter
//! with the reason each caller wants its variant, rather than a second copy.

use crate::page::{Block, BlockKind};

/// Characters that end a sentence (after closing quotes and brackets are set aside).
pub(crate) const SENTENCE_END: &[char] = &['.', '!', '?', '。', '！', '？', '．', '؟', '।', '॥'];

/// Characters that end a statement. Headlines may end in `?` or `!`, almost never in a
/// full stop, so only these mark a line as prose inside a list of headlines.
pub(crate) const FULL_STOP: &[char] = &['.', '。', '．', '।', '॥'];

/// Characters after which extract takes a block for finished text (its headline, edge
/// trim and prose cross-checks): [`SENTENCE_END`]'s Latin and CJK marks plus `…`, `:`
/// and `;`, without `؟ । ॥ ．`. The two sets drifted apart; each stage's thresholds were
/// tuned with its own, and aligning them would change the output, so both are kept.
pub(crate) const CLAUSE_END: &[char] =
    &['.', '!', '?', '…', '。', '！', '？', ':', ';', '：', '；'];

/// How the end of a line is found before its last character is tested (see [`ends_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closing {
    /// Extract's reading: whitespace and the closers `" ' ” ’ » ) ] 」 』 ）`, in any mix,
    /// are set aside. Extract looks at blocks straight from the DOM, where a closing
    /// bracket ends the text itself.
    Plain,
    /// Strip's reading: trailing whitespace, then the wider set of [`CLOSERS`], are set
    /// aside, and a short bracketed tag after the sentence ("… Raimondo. (Kyodo)") is
    /// looked past. Strip also reads scraped plain text, where agency tags are common.
    TagAware,
}

/// Closing quotes and brackets set aside by [`Closing::TagAware`].
const CLOSERS: &[char] = &[
    '"', '\'', '”', '’', '»', '›', ')', ']', '」', '』', '）', '】', '*',
];

/// Closing quotes and brackets set aside by [`Closing::Plain`].
const PLAIN_CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '」', '』', '）'];

/// Longest bracketed tag after a sentence's full stop that [`Closing::TagAware`] looks
/// past: agency tags such as "(Kyodo)" or "(Reuters)" are under 15 characters; 20 leaves
/// room while a real parenthetical remark is longer.
const TRAILING_TAG_MAX_CHARS: usize = 20;

/// Whether `s`, its end read as `closing` says, ends in one of `set`.
pub(crate) fn ends_with(s: &str, set: &[char], closing: Closing) -> bool {
    if closing == Closing::Plain {
        let t = s.trim_end_matches(|c: char| c.is_whitespace() || PLAIN_CLOSERS.contains(&c));
        return t.ends_with(set);
    }
    let last_is = |t: &str| {
        t.trim_end()
            .trim_end_matches(CLOSERS)
            .chars()
            .next_back()
            .is_some_and(|c| set.contains(&c))
    };
    let t = s.trim_end();
    if last_is(t) {
        return true;
    }
    if t.ends_with([')', '）']) {
        if let Some(open) = t.rfind(['(', '（']) {
            if char_len(&t[open..]) <= TRAILING_TAG_MAX_CHARS {
                return last_is(&t[..open]);
            }
        }
    }
    false
}

/// Length in characters.
pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Whether a line reads as a sentence rather than a headline: at least
/// `min_words` words, and no more than two thirds of them capitalised ("Sync stalls
/// when the laptop wakes", not "Here's Where Landers Will Land").
pub(crate) fn is_sentence(s: &str, min_words: usize) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    words.len() >= min_words && capitalised * 3 <= words.len() * 2
}

/// The lists (see [`Block::list`]) that hold prose: as many of their items are
/// finished sentences of `min_words`+ words that are not link-heavy (link
/// density at most `max_density`) as are link-heavy. The link-heavy items of
/// such a list belong to the text, as in a changelog ("mconley fixed <a>an
/// AsyncShutdown hang</a>"); a menu, a breadcrumb trail or a "More stories"
/// list is mostly links.
pub(crate) fn prose_lists(blocks: &[Block], min_words: usize, max_density: f32) -> Vec<u32> {
    let mut out = Vec::new();
    if min_words == 0 {
        return out;
    }
    // (list, prose items, link-heavy items), lists in page order
    let mut tally: Vec<(u32, usize, usize)> = Vec::new();
    for b in blocks {
        let Some(list) = b.list else { continue };
        if tally.last().is_none_or(|t| t.0 != list) {
            tally.push((list, 0, 0));
        }
        let t = tally.last_mut().expect("pushed above");
        if b.link_density() > max_density {
            t.2 += 1;
        } else if ends_with(b.text.trim(), SENTENCE_END, Closing::TagAware)
            && is_sentence(&b.text, min_words)
        {
            t.1 += 1;
        }
    }
    out.extend(
        tally
            .into_iter()
            .filter(|&(_, prose, links)| prose > 0 && prose >= links)
            .map(|t| t.0),
    );
    out
}

/// How many leading blocks each stage compares with the title to find the headline.
///
/// The two stages look for different things, so each has its own window:
/// - extract ([`Headline::Extract`], 8) drops the headline *and* the kicker, section
///   name, date and byline above it, so it looks deeper into the container;
/// - strip ([`Headline::Strip`], 5) drops a block that repeats the title; the headline
///   sits at the very top, possibly after a kicker, a breadcrumb and a date line, and 5
///   covers every layout seen while keeping a later block that happens to repeat the title.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Headline {
    /// Extract's headline cut (title match by letters, kicker lines above it).
    Extract,
    /// Strip's headline step (title match by [`similarity`] against a configured threshold).
    Strip,
}

impl Headline {
    /// How many leading (non-empty, unremoved) blocks are compared with the title.
    pub(crate) fn window(self) -> usize {
        match self {
            Headline::Extract => 8,
            Headline::Strip => 5,
        }
    }
}

/// Lowercase letters and digits only, for comparing a block with the title
/// (extract's headline match).
pub(crate) fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lower-case words of `s`, punctuation folded to spaces, for title comparison
/// (strip's headline match; see [`similarity`]).
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Similarity of two [`normalize`]d strings, 0–1: containment ratio or word-set Dice,
/// whichever is higher ("Headline | Site" contains "Headline"; a re-punctuated title
/// shares its words). Symmetric: strip asks whether a block *is* the title.
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let contained = if long.contains(short) {
        char_len(short) as f32 / char_len(long) as f32
    } else {
        0.0
    };
    let (wa, wb) = (word_set(a), word_set(b));
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < wa.len() && j < wb.len() {
        match wa[i].cmp(wb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let dice = 2.0 * common as f32 / (wa.len() + wb.len()) as f32;
    contained.max(dice)
}

/// The distinct words of a normalized string, sorted.
fn word_set(s: &str) -> Vec<&str> {
    let mut w: Vec<&str> = s.split(' ').collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// How much of `b`'s text is made of words also in `a` (1.0 = all of it), by the
/// characters of `b`'s words. Not symmetric, unlike [`similarity`]: metadata asks how
/// much of a candidate title the `<title>` already covers, and was tuned with this.
pub(crate) fn coverage(a: &str, b: &str) -> f64 {
    let tokens = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let unique: Vec<&str> = tb
        .iter()
        .filter(|t| !ta.contains(t))
        .map(String::as_str)
        .collect();
    1.0 - unique.join(" ").len() as f64 / tb.join(" ").len() as f64
}

/// Collapses whitespace runs to single spaces and trims (Unicode whitespace).
pub(crate) fn collapse(s: &str) -> String {
    collapse_by(s, char::is_whitespace)
}

/// Collapses runs of the characters `space` accepts to single plain spaces, dropping
/// them at both ends. Metadata collapses all Unicode whitespace ([`collapse`]); repair
/// only ASCII whitespace and the no-break space, so that other spaces inside a line
/// (thin, ideographic) keep their meaning.
pub(crate) fn collapse_by(s: &str, space: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// FNV-1a offset basis: the state [`fnv1a`] starts from.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, 64 bits, continued from `state` over `bytes` (start from [`FNV_OFFSET`]
/// for the standard hash): the same in every run and on every machine.
pub(crate) fn fnv1a(state: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(state, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `blocks_from_text`: a line only continues the previous one when that line is at least
/// this long. Hard-wrapped text is wrapped at 60–80 columns; a shorter previous line is a
/// label or heading even when the next line starts in lower case.
const HARD_WRAP_MIN_CHARS: usize = 40;

/// `blocks_from_text`: longest list number ("1." … "999."); a longer run of digits
/// followed by a dot is a year or an amount starting a sentence.
const MAX_LIST_NUMBER_DIGITS: usize = 3;

/// Bullets that `blocks_from_text` drops from list items (they must be followed by a space,
/// or stand alone on their line, in which case the next line is the item). Dashes are not
/// bullets: "— " opens dialogue in several languages.
const BULLETS: &[char] = &['-', '*', '•', '◦', '▪', '●', '‣', '・'];

/// Lines consisting of one of these alone are separators: dropped, the next line is a list
/// item (old scrapers put the bullet of a link list on its own line).
const BARE_MARKERS: &[char] = &['-', '*', '•', '◦', '▪', '●', '‣', '・', '–', '—'];

/// Split scraped plain text into blocks.
///
/// - Paragraphs are separated by blank lines or by single newlines: every non-empty line is
///   its own block, except a *hard-wrapped continuation*, which is joined to the line
///   before with a space (or directly after a word-breaking hyphen). A line continues the
///   previous one only when all of these hold: no blank line between them, the previous
///   line is at least 40 characters long and ends without sentence punctuation or a colon,
///   and the line starts with a lower-case letter. Anything less clear stays separate
///   (old scrapers emit one paragraph per line far more often than wrapped text).
/// - List items become [`BlockKind::ListItem`]: `1. ` / `12) ` keep their number
///   (`"1. …"`, the space after it normalized to one), bullets (`- `, `* `, `• `, …) are
///   dropped. A bullet alone on its line makes the next line an item.
/// - Everything is trimmed; `\n`, `\r\n` and old Mac `\r` line ends are
///   accepted, mixed in one text too.
pub(crate) fn blocks_from_text(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false; // the last block may take a continuation line
    let mut pending_bullet = false;
    let lines = text
        .split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'));
    for raw in lines {
        let line = raw.trim();
        if line.is_empty() {
            open = false;
            pending_bullet = false;
            continue;
        }
        let mut chars = line.chars();
        if chars.next().is_some_and(|c| BARE_MARKERS.contains(&c)) && chars.next().is_none() {
            pending_bullet = true;
            open = false;
            continue;
        }
        if let Some(item) = list_item(line) {
            out.push(Block::new(BlockKind::ListItem, item));
        } else if pending_bullet {
            out.push(Block::new(BlockKind::ListItem, line));
        } else if let Some(last) = out.last_mut().filter(|l| open && continues(&l.text, line)) {
            if !last.text.ends_with('-') {
                last.text.push(' ');
            }
            last.text.push_str(line);
        } else {
            out.push(Block::new(BlockKind::Paragraph, line));
        }
        open = true;
        pending_bullet = false;
    }
    out
}

/// The item text of a list line: `"1. text"` kept with its number, bullets dropped.
fn list_item(line: &str) -> Option<String> {
    let mut chars = line.char_indices();
    let (_, first) = chars.next()?;
    if BULLETS.contains(&first) {
        let rest = &line[first.len_utf8()..];
        return rest
            .starts_with(char::is_whitespace)
            .then(|| rest.trim_start().to_string())
            .filter(|r| !r.is_empty());
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > MAX_LIST_NUMBER_DIGITS {
        return None;
    }
    let sep = line[digits..].chars().next()?;
    // Slice past the separator only once it is known to be one byte: a digit
    // run followed by a multi-byte character panicked here (found by fuzzing).
    if !matches!(sep, '.' | ')') {
        return None;
    }
    let rest = &line[digits + 1..];
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    (!rest.is_empty()).then(|| format!("{}{sep} {rest}", &line[..digits]))
}

/// Whether `line` is a hard-wrapped continuation of `prev` (see [`blocks_from_text`]).
fn continues(prev: &str, line: &str) -> bool {
    char_len(prev) >= HARD_WRAP_MIN_CHARS
        && !ends_with(prev, SENTENCE_END, Closing::TagAware)
        && !prev.ends_with([':', '：'])
        && line.chars().next().is_some_and(char::is_lowercase)
}
