//! The `[strip]` table ([`Rules`]), its defaults, and [`Compiled`]: the rules
//! with every pattern compiled, and the line predicates [`super::boilerplate`]
//! asks them.

use std::fmt;

use regex::Regex;
use serde::Deserialize;

use super::{
    any, char_len, count, ends_with, Closing, ADVERT, BYLINE, COMMENTS, COPYRIGHT, COUNTER, DATE,
    FULL_STOP, LOGIN, NAVIGATION, PAGER, POPULAR, RELATED, SENTENCE_END, SHARE, SOURCE, SUBSCRIBE,
    TAGS,
};
use crate::page::{Block, BlockKind};

/// The `[strip]` table: thresholds and patterns (Rust `regex` syntax) as data.
///
/// [`Default`] gives the shipped rules, the `[strip]` table of
/// `pipelines/default.toml`. Lengths are counted in
/// characters, densities are shares of a block's characters inside links.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Longest label line (advert, share, navigation, byline, date, back-to, section heading).
    pub label_max_chars: usize,
    /// Longest block that can be a caption or credit.
    pub caption_max_chars: usize,
    /// Longest item of a related/popular list, and longest inline "Read more: …" line.
    pub list_item_max_chars: usize,
    /// Plain text: longest unpunctuated line above the first paragraph that is dropped.
    pub lead_line_max_chars: usize,
    /// Plain text: more unpunctuated lines than this above the first paragraph are kept.
    pub max_lead_lines: usize,
    /// Similarity (0–1) to the title at which a block is the headline.
    pub title_similarity: f32,
    /// Link density at which a block is link-only.
    pub link_heavy_density: f32,
    /// Link density at which a block counts as an item of a link list.
    pub link_item_density: f32,
    /// Link-only blocks longer than this are kept.
    pub link_block_max_chars: usize,
    /// Consecutive link items that make a link list.
    pub min_link_run: usize,
    /// A run of link-heavy list items followed by running text, each item a
    /// sentence of at least this many words (not a Title Case headline), is a
    /// list of link-led sentences inside the text and stays (0 = off).
    pub link_sentence_min_words: usize,
    /// Field labels glued in front of a block; the match is cut off.
    pub date_label: Vec<String>,
    /// Date and time expressions.
    pub date: Vec<String>,
    /// Words allowed around a date on a date line.
    pub date_filler: Vec<String>,
    /// Strong caption/credit forms (one suffices).
    pub caption: Vec<String>,
    /// Weak caption hints (two suffice, or one above the first paragraph).
    pub caption_hint: Vec<String>,
    /// Related-section lead-ins, matched at the start of a line.
    pub related: Vec<String>,
    /// Popular/ranking section words.
    pub popular: Vec<String>,
    /// Advertising and promotion labels.
    pub advert: Vec<String>,
    /// Share-bar lines.
    pub share: Vec<String>,
    /// Byline forms.
    pub byline: Vec<String>,
    /// "Back to …" prefixes; the rest of the line names a section.
    pub back_to: Vec<String>,
    /// Breadcrumbs and skip links.
    pub navigation: Vec<String>,
    /// Longest furniture line (the classes below); such a line goes only at an
    /// edge of the body, above its first paragraph or below its last.
    pub furniture_max_chars: usize,
    /// Furniture: counters (reading time, views, comment counts); the whole
    /// line must be counters, dates and bylines between separators.
    pub counter: Vec<String>,
    /// Furniture: newsletter and subscription prompts.
    pub subscribe: Vec<String>,
    /// Furniture: source and reposting notes.
    pub source: Vec<String>,
    /// Furniture: copyright and reproduction notices.
    pub copyright: Vec<String>,
    /// Furniture: tag lists.
    pub tags: Vec<String>,
    /// Furniture: previous/next and back-to-top links.
    pub pager: Vec<String>,
    /// Furniture: comment prompts and notices.
    pub comments: Vec<String>,
    /// Furniture: log-in prompts.
    pub login: Vec<String>,
    /// Most blocks after a `bio` label for the label and them to go.
    pub bio_max_blocks: usize,
    /// Labels of a closing box about the author, reviewer or site.
    pub bio: Vec<String>,
}

impl Default for Rules {
    /// The shipped rules: the `[strip]` table of `pipelines/default.toml`.
    fn default() -> Self {
        crate::config::defaults().strip.clone()
    }
}

/// Why [`Compiled::new`] rejected a [`Rules`] value.
#[derive(Debug)]
#[non_exhaustive]
pub enum StripError {
    /// A pattern is not a valid regular expression.
    Pattern {
        /// The `[strip]` field holding it.
        field: &'static str,
        /// Its position in that list, from 0.
        index: usize,
        /// The pattern as written.
        pattern: String,
        /// What the regex compiler said.
        source: regex::Error,
    },
    /// A threshold is out of range.
    Threshold {
        /// The `[strip]` field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for StripError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StripError::Pattern {
                field,
                index,
                pattern,
                source,
            } => write!(
                f,
                "[strip] {field}[{index}]: invalid pattern {pattern:?}: {source}"
            ),
            StripError::Threshold { field, message } => write!(f, "[strip] {field}: {message}"),
        }
    }
}

impl std::error::Error for StripError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StripError::Pattern { source, .. } => Some(source),
            StripError::Threshold { .. } => None,
        }
    }
}

/// [`Rules`] with every pattern compiled, built once and shared; immutable, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(super) rules: Rules,
    pub(super) date_label: Vec<Regex>,
    pub(super) date: Vec<Regex>,
    pub(super) date_filler: Vec<Regex>,
    pub(super) caption: Vec<Regex>,
    pub(super) caption_hint: Vec<Regex>,
    pub(super) related: Vec<Regex>,
    pub(super) popular: Vec<Regex>,
    pub(super) advert: Vec<Regex>,
    pub(super) share: Vec<Regex>,
    pub(super) byline: Vec<Regex>,
    pub(super) back_to: Vec<Regex>,
    pub(super) navigation: Vec<Regex>,
    pub(super) bio: Vec<Regex>,
    /// The furniture classes in the order they are tried: reason, patterns.
    pub(super) furniture: Vec<(&'static str, Vec<Regex>)>,
}

/// A line with a popular/ranking word that reads as a sentence of this many
/// words or more ("Good deals on popular titles", a pros-and-cons item) is
/// text, not a section heading ("Most Popular", "Trending now").
const POPULAR_SENTENCE_WORDS: usize = 4;

/// Whether `s` is nothing but matches of `patterns` (and punctuation and
/// spaces): every match is blanked in turn and no letter or digit is left.
fn nothing_but<'r>(s: &str, patterns: impl Iterator<Item = &'r Regex>) -> bool {
    let mut rest = s.to_string();
    for r in patterns {
        rest = r.replace_all(&rest, " ").into_owned();
    }
    !rest.chars().any(char::is_alphanumeric)
}

/// What separates the parts of a meta line ("date · 3 min read · By …").
const META_SEPARATORS: &[char] = &['·', '•', '|', '–', '—', '⋅', '∙'];

fn compile(field: &'static str, patterns: &[String]) -> Result<Vec<Regex>, StripError> {
    patterns
        .iter()
        .enumerate()
        .map(|(index, p)| {
            Regex::new(p).map_err(|source| StripError::Pattern {
                field,
                index,
                pattern: p.clone(),
                source,
            })
        })
        .collect()
}

fn check_fraction(field: &'static str, value: f32) -> Result<(), StripError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(StripError::Threshold {
            field,
            message: format!("must be between 0 and 1, got {value}"),
        })
    }
}

impl Compiled {
    /// Validates the thresholds and compiles every pattern; the error names the first bad one.
    pub fn new(rules: &Rules) -> Result<Compiled, StripError> {
        check_fraction("title_similarity", rules.title_similarity)?;
        check_fraction("link_heavy_density", rules.link_heavy_density)?;
        check_fraction("link_item_density", rules.link_item_density)?;
        if rules.min_link_run == 0 {
            return Err(StripError::Threshold {
                field: "min_link_run",
                message: "must be at least 1".to_string(),
            });
        }
        Ok(Compiled {
            rules: rules.clone(),
            date_label: compile("date_label", &rules.date_label)?,
            date: compile("date", &rules.date)?,
            date_filler: compile("date_filler", &rules.date_filler)?,
            caption: compile("caption", &rules.caption)?,
            caption_hint: compile("caption_hint", &rules.caption_hint)?,
            related: compile("related", &rules.related)?,
            popular: compile("popular", &rules.popular)?,
            advert: compile("advert", &rules.advert)?,
            share: compile("share", &rules.share)?,
            byline: compile("byline", &rules.byline)?,
            back_to: compile("back_to", &rules.back_to)?,
            navigation: compile("navigation", &rules.navigation)?,
            bio: compile("bio", &rules.bio)?,
            furniture: vec![
                (COUNTER, compile("counter", &rules.counter)?),
                (COPYRIGHT, compile("copyright", &rules.copyright)?),
                (SOURCE, compile("source", &rules.source)?),
                (TAGS, compile("tags", &rules.tags)?),
                (PAGER, compile("pager", &rules.pager)?),
                (COMMENTS, compile("comments", &rules.comments)?),
                (LOGIN, compile("login", &rules.login)?),
                (SUBSCRIBE, compile("subscribe", &rules.subscribe)?),
            ],
        })
    }

    /// End of a date label at the start of `s`, if any.
    pub(super) fn date_label_end(&self, s: &str) -> Option<usize> {
        self.date_label
            .iter()
            .find_map(|r| r.find(s).filter(|m| m.start() == 0).map(|m| m.end()))
    }

    /// A line made of nothing but dates, times and filler words.
    pub(super) fn is_date_line(&self, s: &str) -> bool {
        if !any(&self.date, s) {
            return false;
        }
        nothing_but(s, self.date.iter().chain(&self.date_filler))
    }

    /// A caption or credit by form alone: one strong form, or two hints.
    pub(super) fn is_caption(&self, s: &str, len: usize) -> bool {
        len <= self.rules.caption_max_chars
            && (any(&self.caption, s) || count(&self.caption_hint, s) >= 2)
    }

    /// Reason for a short self-evident label line, wherever it stands.
    pub(super) fn label_reason(&self, s: &str, len: usize) -> Option<&'static str> {
        if len > self.rules.label_max_chars {
            return None;
        }
        if any(&self.advert, s) {
            Some(ADVERT)
        } else if any(&self.share, s) {
            Some(SHARE)
        } else if any(&self.navigation, s) {
            Some(NAVIGATION)
        } else if !ends_with(s, FULL_STOP, Closing::TagAware) && any(&self.byline, s) {
            Some(BYLINE)
        } else if self.is_date_line(s) {
            Some(DATE)
        } else {
            None
        }
    }

    /// Reason for a section heading ("Related coverage:", "JN ACCESS RANKING"), if `b` is one.
    pub(super) fn section_reason(&self, b: &Block) -> Option<&'static str> {
        let s = b.text.trim();
        if s.is_empty() || ends_with(s, FULL_STOP, Closing::TagAware) {
            return None;
        }
        let len = char_len(s);
        // Longer than a label, a related lead-in must introduce a title after a colon or
        // arrow ("Also read: <headline>"); "Related to this, …" is prose.
        let related = self
            .related
            .iter()
            .find_map(|r| r.find(s))
            .is_some_and(|m| {
                len <= self.rules.label_max_chars
                    || (len <= self.rules.list_item_max_chars
                        && s[m.end()..]
                            .trim_start()
                            .starts_with([':', '：', '|', '»', '›']))
            });
        if related {
            Some(RELATED)
        } else if len <= self.rules.label_max_chars
            && any(&self.popular, s)
            && !s.contains([':', '：'])
            && !super::is_sentence(s, POPULAR_SENTENCE_WORDS)
        {
            Some(POPULAR)
        } else {
            None
        }
    }

    /// An item of a related/popular list: short, title-like or link-only.
    pub(super) fn is_list_like(&self, b: &Block) -> bool {
        let s = b.text.trim();
        let len = char_len(s);
        if len == 0 || len > self.rules.list_item_max_chars {
            return false;
        }
        if b.link_density() >= self.rules.link_item_density {
            return true;
        }
        match b.kind {
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::TableRow => {
                !ends_with(s, FULL_STOP, Closing::TagAware)
            }
            BlockKind::Heading(_) => self.section_reason(b).is_some(),
            _ => false,
        }
    }

    /// An item of a link list (HTML): mostly link text, short.
    pub(super) fn is_link_item(&self, b: &Block) -> bool {
        b.link_density() >= self.rules.link_item_density
            && char_len(&b.text) <= self.rules.list_item_max_chars
    }

    /// The furniture class of a short line, by its form alone (where it stands
    /// is [`super::boilerplate`]'s to check). Counters must make up the whole
    /// line with dates and bylines; tag lists and pager links must not end
    /// like a sentence; the other classes may ("Comments are closed.").
    pub(super) fn furniture_reason(&self, s: &str, len: usize) -> Option<&'static str> {
        if len == 0 || len > self.rules.furniture_max_chars {
            return None;
        }
        let (reason, _) = self
            .furniture
            .iter()
            .find(|(reason, res)| any(res, s) && self.furniture_form(reason, res, s))?;
        Some(reason)
    }

    fn furniture_form(&self, reason: &str, res: &[Regex], s: &str) -> bool {
        match reason {
            COUNTER => self.is_meta_line(res, s),
            TAGS | PAGER => !ends_with(s, FULL_STOP, Closing::TagAware),
            _ => true,
        }
    }

    /// A line made of nothing but `counters`, dates and bylines, between
    /// separators ("March 15, 2022 · 3 min read · By Ann Lee").
    fn is_meta_line(&self, counters: &[Regex], s: &str) -> bool {
        if char_len(s) > self.rules.label_max_chars {
            return false;
        }
        s.split(META_SEPARATORS).all(|part| {
            let part = part.trim();
            if part.is_empty() || any(&self.byline, part) {
                return true;
            }
            nothing_but(
                part,
                counters.iter().chain(&self.date).chain(&self.date_filler),
            )
        })
    }

    /// Running text: ends like a sentence or is too long for a label or title.
    pub(super) fn is_body(&self, b: &Block) -> bool {
        let s = b.text.trim();
        !matches!(b.kind, BlockKind::Heading(_))
            && !s.is_empty()
            && (ends_with(s, SENTENCE_END, Closing::TagAware)
                || char_len(s) > self.rules.list_item_max_chars)
    }
}
