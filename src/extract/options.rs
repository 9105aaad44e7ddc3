//! The `[extract]` table of a pipeline file ([`Options`], with its
//! boilerplate rules, [`RemoveRule`]) and its compiled form ([`Compiled`]):
//! regexes built, tag lists hashed, once per pipeline.

use std::collections::{HashMap, HashSet};

use regex::{Regex, RegexSet};
use serde::Deserialize;

use super::DatePatterns;
use crate::page::Block;

/// One boilerplate rule: elements with one of `tags`, or whose `class`/`id`
/// matches `names`, are removed with their subtree and counted under `reason`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveRule {
    /// The reason recorded in `removed` counts (`navigation`, `caption`, …).
    pub reason: String,
    /// Element names removed outright (lowercase).
    #[serde(default)]
    pub tags: Vec<String>,
    /// A regex matched against the lowercased `class` and `id` attributes.
    #[serde(default)]
    pub names: Option<String>,
    /// Matches may hold more text than the story itself (a 50-slide gallery
    /// of captions): the wrapper guard does not protect them. A page that is
    /// only such a block still comes back through the retry without class rules.
    #[serde(default)]
    pub outgrows_story: bool,
    /// A match by `names` holding at least this many characters of `<p>`
    /// prose stays: a story section whose class names the table of contents
    /// or sidebar laid out beside it (`…-toc-content-sidebar`), not a widget.
    /// 0 (the default) never keeps a match.
    #[serde(default)]
    pub prose_keeps: u32,
}

/// The `[extract]` table of a pipeline file.
///
/// Every key is required after the merge with `pipelines/default.toml`, which
/// holds the defaults; there is no second copy of them in code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Below this many characters of body text the page fails at the extract stage.
    pub min_chars: usize,
    /// Titles of error and block pages ("404 Not Found", "Access denied",
    /// "Just a moment..."): regexes over the page's title.
    pub error_titles: Vec<String>,
    /// A page whose title matches `error_titles` and whose text is shorter
    /// than this fails as an error page instead of giving its footer or
    /// menu. 0 turns the check off.
    pub error_page_max_chars: usize,
    /// Elements that never hold article text; skipped without counting as noise.
    pub drop_tags: Vec<String>,
    /// A regex over lowercased `class`/`id` that marks a likely article container.
    pub content_names: String,
    /// A regex over lowercased `class`/`id` that marks a post embedded in the
    /// story (a tweet, an Instagram post): an element so named that holds a
    /// `<blockquote>` is quoted text of the article, never removed by a
    /// class/id rule (its wrapper is often classed `social`).
    pub embed_names: String,
    /// How much a container matching `content_names` (or `<article>`,
    /// `<main>`, `itemprop=articleBody`) has its content score multiplied by.
    pub content_bonus: f32,
    /// How much each noise character costs against one content character when
    /// containers are compared.
    pub penalty: f32,
    /// Blocks whose share of link text is above this are dropped from the article.
    pub link_density_max: f32,
    /// Blocks shorter than this (in characters; CJK characters count double)
    /// add nothing to a container's content score.
    pub min_block_chars: usize,
    /// An element holding an image and at most this many characters of text,
    /// in a child element of its own, is a caption.
    pub caption_max_chars: usize,
    /// Lines above the headline inside the article container that are at
    /// most this long are kicker, section, date or byline lines, and go with it.
    pub kicker_max_chars: usize,
    /// Short lines that are not sentences, before the article's first
    /// sentence and at most this long, are bylines, dates or standfirsts.
    pub lead_line_max_chars: usize,
    /// Short lines that are not sentences at the article's end, at most this
    /// long, are counters and buttons ("412 views", "Like").
    pub tail_line_max_chars: usize,
    /// A container inside the best one that keeps at least this share of its
    /// content is taken instead: what the outer one adds is page frame.
    pub shrink_share: f32,
    /// A container of at most this many characters whose heading is a link
    /// elsewhere is a teaser card: its title and blurb are not the article.
    pub teaser_max_chars: u32,
    /// A run of at least this many sibling elements of one tag and class, each
    /// holding a `<time>`, is a comment thread or a listing (0 turns it off).
    pub dated_units_min: usize,
    /// Keep a link-heavy block that sits between two sentences of plain text.
    pub keep_isolated_links: bool,
    /// A run of link-heavy list items inside the text, each of at least this
    /// many words, is kept (with `keep_isolated_links`): a list of link-led
    /// sentences, not a link list. 0 turns the rule off.
    pub link_item_min_words: usize,
    /// When the article found has fewer characters than this, the page is
    /// walked again without the class/id rules and the longer result wins.
    pub retry_below_chars: usize,
    /// When the article found has fewer characters than this, the page is
    /// taken as a listing: its items are the teaser cards and link lines the
    /// article rules drop (a news index, a shop category, a job board), and
    /// every block the walk kept is its text. 0 turns the fallback off.
    pub listing_below_chars: usize,
    /// The same limit, higher, for a page that does not declare itself an
    /// article (no `og:type` `article`, no JSON-LD article) and whose
    /// article has no paragraph of `listing_paragraph_chars` or more.
    pub undeclared_listing_below_chars: usize,
    /// See `undeclared_listing_below_chars`: a paragraph this long makes the
    /// page an article whatever it declares.
    pub listing_paragraph_chars: usize,
    /// Under the higher limit, the items must add at least this many blocks
    /// to the article …
    pub listing_min_items: usize,
    /// … and come to at least this many times its characters.
    pub listing_min_ratio: f32,
    /// The page's JSON-LD `articleBody` replaces the text found when it has at
    /// least this many characters and the text found is shorter than
    /// `ld_body_share` of it (a page whose HTML is a script-filled shell).
    pub ld_body_min_chars: usize,
    /// See `ld_body_min_chars`: the share of the `articleBody` below which the
    /// text found is taken as missing. 0 turns the fallback off.
    pub ld_body_share: f32,
    /// A boilerplate rule does not remove an element that holds at least this
    /// share of the page's text: it is a wrapper, not a widget.
    pub wrapper_share: f32,
    /// The choice is checked against the page's prose (blocks that are
    /// finished sentences of `prose_min_words`+ words, not link-heavy, not
    /// teasers): when the page holds at least `widen_min_prose` characters of
    /// it and the chosen container less than this share, the selection
    /// widens (see `widen_to_share`). 0 turns the check off.
    pub widen_below_share: f32,
    /// See `widen_below_share`: pages with less prose than this (characters)
    /// are not checked.
    pub widen_min_prose: usize,
    /// See `widen_below_share`: the selection widens to the smallest container
    /// around it that holds this share of the page's prose …
    pub widen_to_share: f32,
    /// … provided that, of the characters it adds, at least this share is
    /// prose (an intro and the items of a list article, not the page frame).
    pub widen_added_prose: f32,
    /// Fewest words of a prose block, for the widening check.
    pub prose_min_words: usize,
    /// When runs of blocks that repeat an earlier run word for word and in
    /// order (see `drop_copies`: 3+ blocks, 500+ characters) make up at least
    /// this share of the article's characters, the page holds its text twice
    /// (a desktop and a mobile copy, a builder's hidden variant) and the
    /// copies go. 0 turns it off.
    pub copy_min_share: f32,
    /// Keep photo captions and credits (`caption` rules are skipped).
    pub keep_captions: bool,
    /// Keep comment sections (`comments` rules are skipped).
    pub keep_comments: bool,
    /// Path segments of a forum thread's URL (`/t/…`, `/threads/…`,
    /// `viewtopic.php`): a page at such a URL, or one whose JSON-LD is a
    /// `DiscussionForumPosting` or `QAPage`, is a thread, and its replies are
    /// walked as content, as with `keep_comments`. Empty: only JSON-LD says.
    pub thread_url_segments: Vec<String>,
    /// Keep data tables (as tab-separated rows).
    pub keep_tables: bool,
    /// Record each block's links ([`Block::links`]), for Markdown and HTML
    /// output; the text is the same either way.
    pub keep_links: bool,
    /// Record the images of each block ([`Block::images`]), for Markdown and
    /// HTML output; the text is the same either way.
    pub keep_images: bool,
    /// The boilerplate rules, in order; the first that matches names the reason.
    pub remove: Vec<RemoveRule>,
}

/// Options compiled for use: regexes built, tag lists hashed.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(super) opts: Options,
    pub(super) drop_tags: HashSet<String>,
    pub(super) tag_reason: HashMap<String, usize>,
    pub(super) names: RegexSet,
    pub(super) name_reason: Vec<usize>,
    pub(super) reasons: Vec<String>,
    pub(super) content: Regex,
    pub(super) embed: Regex,
    /// The index of the `caption` rule, whose reason image-bound text is counted under.
    pub(super) caption_reason: Option<usize>,
    /// The index of the `comments` rule, for threads found by their shape.
    pub(super) comments_reason: Option<usize>,
    pub(crate) dates: DatePatterns,
    pub(super) error_titles: RegexSet,
    /// A thread's URL: one of `thread_url_segments` followed by `/` or `.`.
    pub(super) thread_url: Option<Regex>,
    /// These options with `keep_comments`, for forum threads; compiled on
    /// the first thread.
    threads: std::sync::OnceLock<Box<Compiled>>,
    /// These are the options of a forum thread ([`Compiled::for_threads`]):
    /// a run of sibling `<article>`s is its posts, not a listing of others.
    pub(super) thread: bool,
}

impl Compiled {
    /// Whether the finished text (after strip and repair) is an article:
    /// at least `min_chars` characters, and not an error or block page (a
    /// short text under a title such as "404 Not Found", see
    /// `Options::error_titles`). `Err` says why not.
    pub(crate) fn judge(&self, title: Option<&str>, blocks: &[Block]) -> Result<(), String> {
        let chars: usize = blocks.iter().map(|b| b.text.chars().count()).sum();
        if let Some(title) = title.filter(|t| {
            chars < self.opts.error_page_max_chars && self.error_titles.is_match(t.trim())
        }) {
            return Err(format!(
                "error page: the title says {title:?} ({chars} characters of text)"
            ));
        }
        let min = self.opts.min_chars.max(1);
        if chars < min {
            return Err(format!(
                "no article text found ({chars} characters, minimum {min})"
            ));
        }
        Ok(())
    }

    /// Compiles the options; the error names the offending key.
    pub(crate) fn new(opts: &Options) -> Result<Self, String> {
        let mut tag_reason = HashMap::new();
        let mut patterns = Vec::new();
        let mut name_reason = Vec::new();
        let mut reasons = Vec::new();
        for (i, r) in opts.remove.iter().enumerate() {
            let skipped = (opts.keep_captions && r.reason == "caption")
                || (opts.keep_comments && r.reason == "comments");
            reasons.push(r.reason.clone());
            if skipped {
                continue;
            }
            for t in &r.tags {
                tag_reason.entry(t.to_ascii_lowercase()).or_insert(i);
            }
            if let Some(n) = &r.names {
                Regex::new(n).map_err(|e| format!("extract.remove[{i}].names: {e}"))?;
                patterns.push(n.clone());
                name_reason.push(i);
            }
        }
        let names = RegexSet::new(&patterns).map_err(|e| format!("extract.remove: {e}"))?;
        let content =
            Regex::new(&opts.content_names).map_err(|e| format!("extract.content_names: {e}"))?;
        let embed =
            Regex::new(&opts.embed_names).map_err(|e| format!("extract.embed_names: {e}"))?;
        let dates = DatePatterns::new().map_err(|e| format!("date patterns: {e}"))?;
        let error_titles =
            RegexSet::new(&opts.error_titles).map_err(|e| format!("extract.error_titles: {e}"))?;
        let thread_url = if opts.thread_url_segments.is_empty() {
            None
        } else {
            let words: Vec<String> = opts
                .thread_url_segments
                .iter()
                .map(|w| regex::escape(w))
                .collect();
            let pattern = format!("(?i)/(?:{})[/.]", words.join("|"));
            Some(Regex::new(&pattern).map_err(|e| format!("extract.thread_url_segments: {e}"))?)
        };
        let caption_reason = if opts.keep_captions {
            None
        } else {
            opts.remove.iter().position(|r| r.reason == "caption")
        };
        let comments_reason = if opts.keep_comments {
            None
        } else {
            opts.remove.iter().position(|r| r.reason == "comments")
        };
        Ok(Compiled {
            caption_reason,
            comments_reason,
            opts: opts.clone(),
            drop_tags: opts
                .drop_tags
                .iter()
                .map(|t| t.to_ascii_lowercase())
                .collect(),
            tag_reason,
            names,
            name_reason,
            reasons,
            embed,
            content,
            dates,
            error_titles,
            thread_url,
            threads: std::sync::OnceLock::new(),
            thread: false,
        })
    }

    /// The options for a forum thread: the same with `keep_comments` (the
    /// replies are the content) and `thread` (sibling `<article>`s are its
    /// posts), also when these keep comments already.
    pub(super) fn for_threads(&self) -> &Compiled {
        self.threads.get_or_init(|| {
            let mut opts = self.opts.clone();
            opts.keep_comments = true;
            // The options compiled once already; with one rule fewer they
            // compile again.
            let mut c = Compiled::new(&opts).unwrap_or_else(|_| self.clone());
            c.thread = true;
            Box::new(c)
        })
    }

    /// Whether `url` has the shape of a forum thread's (`thread_url_segments`).
    pub(super) fn is_thread_url(&self, url: &str) -> bool {
        self.thread_url.as_ref().is_some_and(|r| r.is_match(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_urls_by_their_path_segments() {
        let c = Compiled::new(&crate::config::defaults().extract).unwrap();
        for url in [
            "https://community.example/t/stuck-on-start/724779",
            "https://forum.example/threads/squad-2025.49320/",
            "https://example.org/forum/viewtopic.php?t=12",
            "https://qa.example/questions/21553327/why",
        ] {
            assert!(c.is_thread_url(url), "{url}");
        }
        for url in [
            "https://news.example/2025/03/harbour-wall-repairs",
            "https://shop.example/t-shirts/blue",
            "https://blog.example/the-forum-of-rome",
        ] {
            assert!(!c.is_thread_url(url), "{url}");
        }
        assert!(std::ptr::eq(c.for_threads(), c.for_threads()));
        assert!(c.for_threads().opts.keep_comments);
        assert!(c.for_threads().thread && !c.thread);
        // Comments kept by the user: a thread's posts are still its posts.
        let mut opts = crate::config::defaults().extract.clone();
        opts.keep_comments = true;
        let kept = Compiled::new(&opts).unwrap();
        assert!(kept.for_threads().thread && !kept.thread);
    }
}
