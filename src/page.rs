//! The data that flows through pith: a [`Page`] goes in, an [`Article`] (or a
//! [`Failure`]) comes out. Stages in between speak in [`Block`]s, the small
//! vocabulary of paragraph-level text that strip and repair work on.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// One input unit: the raw bytes of a page plus what is known about where it
/// came from. Built by [`Page::html`] and its `with_…` methods.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page {
    /// A stable identifier (file stem, or a hash of the URL); names the output file.
    pub id: String,
    /// The page's address, when known. Used for metadata and relative links.
    pub url: Option<String>,
    /// The raw bytes as served, never re-encoded.
    pub body: Vec<u8>,
    /// The HTTP `Content-Type` header, used only as a charset hint.
    pub content_type: Option<String>,
    /// The HTTP `Content-Language` header: the page's language when its
    /// markup declares none (`lang_source` `header`).
    pub content_language: Option<String>,
    /// Whether the bytes are an HTML page or already-scraped text.
    pub format: Format,
    /// Where the page came from, for failure reports and resume keys.
    pub origin: Origin,
}

impl Page {
    /// An HTML page held in memory, with no origin beyond the caller.
    pub fn html(id: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Page {
            id: id.into(),
            url: None,
            body: body.into(),
            content_type: None,
            content_language: None,
            format: Format::Html,
            origin: Origin::Memory,
        }
    }

    /// Sets the page's URL.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Sets the HTTP `Content-Type` header (a charset hint).
    pub fn with_content_type(mut self, value: impl Into<String>) -> Self {
        self.content_type = Some(value.into());
        self
    }

    /// Sets the input format.
    pub fn with_format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Sets the origin.
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }
}

/// What kind of bytes a [`Page`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// An HTML (or XHTML) document: decode, extract, strip, repair.
    #[default]
    Html,
    /// Text an older scraper already produced: decode, split into lines, strip, repair.
    Text,
}

/// Where a page came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// Built in memory by the caller.
    Memory,
    /// Read from a file.
    File(PathBuf),
    /// Read from standard input.
    Stdin,
    /// Fetched over HTTP (`pith fetch`, or [`fetch::Fetcher`](crate::fetch)).
    Fetched(Box<FetchInfo>),
}

/// What fetching one URL found out: the fields `pith fetch` adds to its manifest.
///
/// URLs here never hold a user name or password: they are removed before
/// anything is recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchInfo {
    /// The URL as listed.
    pub url: String,
    /// The URL of the last response (after redirects), when one came.
    pub final_url: Option<String>,
    /// The HTTP status of the last response.
    pub status: Option<u16>,
    /// The `Content-Type` header of the last response.
    pub content_type: Option<String>,
    /// The `Content-Language` header of the last response.
    pub content_language: Option<String>,
    /// Body bytes received, after content decoding (gzip, brotli, …).
    pub bytes: u64,
    /// From the first request sent to the last byte, retries and their waits included.
    pub elapsed: Duration,
    /// Requests made for the page (1 + retries; redirects not counted).
    pub attempts: u32,
}

impl FetchInfo {
    /// A record for `url` (already free of credentials) before any request.
    pub fn new(url: impl Into<String>) -> Self {
        FetchInfo {
            url: url.into(),
            ..FetchInfo::default()
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Memory => f.write_str("<memory>"),
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Stdin => f.write_str("<stdin>"),
            Origin::Fetched(info) => f.write_str(&info.url),
        }
    }
}

/// The kind of a [`Block`]: the small vocabulary every page is reduced to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockKind {
    /// A heading of level 1 to 6.
    Heading(u8),
    /// A paragraph of running text.
    Paragraph,
    /// One list item; its text already carries its number (`1. `) for ordered lists.
    ListItem,
    /// A block quotation.
    Quote,
    /// Preformatted text or code.
    Code,
    /// One table row, cells separated by tabs.
    TableRow,
}

/// One paragraph-level unit of text. Build one with [`Block::new`]; fields
/// may be added, so the struct is not built by its fields outside the crate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its text: one line, no leading or trailing whitespace (code keeps its newlines).
    pub text: String,
    /// Characters of `text` that sat inside links (0 for plain-text input).
    pub link_chars: usize,
    /// The outermost HTML list (`<ul>`, `<ol>`, …) the block sits in, numbered
    /// in page order from 1; `None` outside lists and for plain-text input.
    /// Link-heavy items of a list that also holds prose are part of the text.
    pub list: Option<u32>,
    /// How deep in nested lists the block sits: 0 outside lists and in a
    /// top-level list, 1 in a list inside a list item, and so on.
    pub depth: u8,
    /// The links in the block, in order, when the pipeline keeps them
    /// (`extract.keep_links`); empty otherwise.
    pub links: Vec<Link>,
    /// The images inside the block, or standing after it (a figure between
    /// paragraphs), in order, when the pipeline keeps them
    /// (`extract.keep_images`); empty otherwise. Not part of the text.
    pub images: Vec<Image>,
}

/// An image of a [`Block`]: its alternative text and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Image {
    /// The `alt` text (empty when the page gives none).
    pub alt: String,
    /// The `src`: absolute when the page's URL is known, else as written.
    pub src: String,
}

/// A link inside a [`Block`]: its anchor text, as it stands in the block's
/// text, and where it points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Link {
    /// The anchor text.
    pub text: String,
    /// The target: absolute when the page's URL is known, else as written.
    pub href: String,
}

impl Block {
    /// A block with no link text.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            link_chars: 0,
            list: None,
            depth: 0,
            links: Vec::new(),
            images: Vec::new(),
        }
    }

    /// Share of the text that sat inside links, 0.0 to 1.0.
    pub fn link_density(&self) -> f32 {
        let n = self.text.chars().count();
        if n == 0 {
            0.0
        } else {
            (self.link_chars as f32 / n as f32).min(1.0)
        }
    }
}

/// How the page's bytes were turned into text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Encoding {
    /// The WHATWG name of the encoding, e.g. `UTF-8`, `Shift_JIS`, `windows-1252`.
    pub name: String,
    /// Which rule chose it: `bom`, `http`, `meta`, `utf8-bytes`, `sniffed` or `default`.
    pub rule: String,
    /// Whether some bytes were invalid in that encoding (replaced by U+FFFD).
    pub malformed: bool,
}

/// One repair made to the text, for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// What kind of repair: `mojibake`, `typo`, `nfc`, `invisible`, `entity`.
    pub kind: String,
    /// The text before.
    pub from: String,
    /// The text after.
    pub to: String,
}

/// What a page says of itself: its headline, author, date, site, language,
/// canonical address and summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Metadata {
    /// The headline.
    pub title: Option<String>,
    /// The author(s), comma-separated.
    pub author: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// The site's name.
    pub site: Option<String>,
    /// The page's language, a two-letter code (`en`, `ja`): the primary
    /// subtag of its declared tag; when it declares none, its
    /// `Content-Language` header's, else the language its text is in.
    pub lang: Option<String>,
    /// Where `lang` came from: `markup` (`<html lang>`, `<meta>`, JSON-LD),
    /// `header` (HTTP `Content-Language`) or `text` (identified from the
    /// extracted text).
    pub lang_source: Option<String>,
    /// The canonical URL the page declares (`<link rel="canonical">`).
    pub canonical: Option<String>,
    /// The page's own summary (JSON-LD or `<meta>` description).
    pub description: Option<String>,
    /// What kind of page it is, decided from the page itself (`None` for text input).
    pub page_type: Option<PageType>,
}

/// The kind of a page, as [`Metadata::page_type`] gives it: decided from its
/// JSON-LD and `og:type`, the shape of its URL and counts of its structure,
/// by the small model in `data/page_type.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PageType {
    /// One story, post or essay.
    Article,
    /// A forum thread or a question with its answers.
    Forum,
    /// One product for sale.
    Product,
    /// A shop's category: many products.
    Collection,
    /// An index of items: news, courses, jobs, results.
    Listing,
    /// Reference or guide pages, often with code.
    Documentation,
    /// A business's page: what it offers, its sections, pricing, contact.
    Service,
    /// None of these.
    Other,
}

impl PageType {
    /// Whether pages of this type have an author and a publication date of
    /// their own. A product, a shop's category or a business's page does
    /// not: a name or date shown there belongs to a review, a widget or the
    /// site. (Listings are left out: news stories are taken for listings
    /// often enough that dropping their bylines costs more than it saves.)
    pub fn has_byline(self) -> bool {
        !matches!(
            self,
            PageType::Product | PageType::Collection | PageType::Service
        )
    }

    /// Every type, in the order the model file lists its classes.
    pub const ALL: [PageType; 8] = [
        PageType::Article,
        PageType::Forum,
        PageType::Product,
        PageType::Collection,
        PageType::Listing,
        PageType::Documentation,
        PageType::Service,
        PageType::Other,
    ];

    /// The type's name as JSONL writes it (`article`, `forum` …).
    pub fn as_str(self) -> &'static str {
        match self {
            PageType::Article => "article",
            PageType::Forum => "forum",
            PageType::Product => "product",
            PageType::Collection => "collection",
            PageType::Listing => "listing",
            PageType::Documentation => "documentation",
            PageType::Service => "service",
            PageType::Other => "other",
        }
    }
}

impl fmt::Display for PageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of processing one page: clean body text plus metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Article {
    /// The page's address.
    pub url: Option<String>,
    /// What the page says of itself: title, author, date, site, language,
    /// canonical URL, summary.
    #[serde(flatten)]
    pub meta: Metadata,
    /// How the bytes were decoded.
    pub encoding: Option<Encoding>,
    /// The body, block by block.
    #[serde(skip)]
    pub blocks: Vec<Block>,
    /// Every repair made to the text.
    pub repairs: Vec<Repair>,
    /// How many blocks were removed, by reason (`navigation`, `caption`, `related`, …).
    pub removed: BTreeMap<String, usize>,
    /// Each removal with its reason; filled only by [`Pipeline::explain`](crate::Pipeline::explain).
    #[serde(skip)]
    pub decisions: Vec<Decision>,
    /// How long processing took; set by [`Pipeline::run`](crate::Pipeline::run)
    /// (not by `process`, whose results stay comparable).
    #[serde(skip)]
    pub process_time: Option<Duration>,
}

impl Article {
    /// The clean body text: blocks in page order, one per line, a blank line
    /// between them, one final newline (empty string when there are no blocks).
    ///
    /// This is the only place blocks are joined into output text.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.blocks.iter().map(|b| b.text.len() + 2).sum());
        for b in &self.blocks {
            if b.text.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&b.text);
            out.push('\n');
        }
        out
    }
}

/// One thing removed from a page, and why: what `pith extract --explain` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The stage that decided: `extract` or `strip`.
    pub stage: &'static str,
    /// The rule's reason (`navigation`, `caption`, `links`, `related`, …).
    pub reason: String,
    /// What was removed: the block's text, or the element and the start of its text.
    pub what: String,
}

/// Removal counts by reason, and (when explaining) each removal itself.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub counts: BTreeMap<String, usize>,
    pub trace: Option<Vec<Decision>>,
}

impl Tally {
    /// A tally that also records each decision.
    pub fn tracing() -> Self {
        Tally {
            counts: BTreeMap::new(),
            trace: Some(Vec::new()),
        }
    }

    /// Counts one removal; `what` is only built when decisions are recorded.
    pub fn note(&mut self, stage: &'static str, reason: &str, what: impl FnOnce() -> String) {
        *self.counts.entry(reason.to_owned()).or_default() += 1;
        if let Some(t) = &mut self.trace {
            t.push(Decision {
                stage,
                reason: reason.to_owned(),
                what: what(),
            });
        }
    }

    /// Records a decision that removes nothing (the page's type, a listing, a thread) when
    /// decisions are recorded; it is not counted.
    pub fn explain(&mut self, stage: &'static str, reason: &str, what: impl FnOnce() -> String) {
        if let Some(t) = &mut self.trace {
            t.push(Decision {
                stage,
                reason: reason.to_owned(),
                what: what(),
            });
        }
    }

    /// Counts `n` removals at once, each described by `what(i)`.
    pub fn note_many(
        &mut self,
        stage: &'static str,
        reason: &str,
        n: usize,
        what: impl Fn(usize) -> String,
    ) {
        for i in 0..n {
            self.note(stage, reason, || what(i));
        }
    }
}

/// The stage at which a page failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stage {
    /// Reading the input.
    Read,
    /// Fetching over HTTP.
    Fetch,
    /// Turning bytes into text.
    Decode,
    /// Finding the main content.
    Extract,
    /// Dropping the leftover boilerplate blocks.
    Strip,
    /// Repairing the text.
    Repair,
    /// Writing the output.
    Write,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Read => "read",
            Stage::Fetch => "fetch",
            Stage::Decode => "decode",
            Stage::Extract => "extract",
            Stage::Strip => "strip",
            Stage::Repair => "repair",
            Stage::Write => "write",
        })
    }
}

/// A page that could not be processed, with where and why. Built by
/// [`Failure::of`] (a page in hand) or [`Failure::new`] (a page that never
/// arrived, e.g. a failed fetch in a caller's own stream).
#[derive(Debug)]
#[non_exhaustive]
pub struct Failure {
    /// The page's id.
    pub id: String,
    /// Where it came from.
    pub origin: Origin,
    /// Its URL, when known.
    pub url: Option<String>,
    /// The stage that failed.
    pub stage: Stage,
    /// Why (boxed: failures are the rare path, and a small `Failure` keeps
    /// every `Result<Article, Failure>` small).
    pub error: Box<Error>,
}

impl Failure {
    /// The failure at `stage` of the page with this id and origin (no URL;
    /// set [`url`](Self::url) when one is known).
    pub fn new(id: impl Into<String>, origin: Origin, stage: Stage, error: Error) -> Self {
        Failure {
            id: id.into(),
            origin,
            url: None,
            stage,
            error: Box::new(error),
        }
    }

    /// The failure of `page` at `stage`.
    pub fn of(page: &Page, stage: Stage, error: Error) -> Self {
        Failure {
            id: page.id.clone(),
            origin: page.origin.clone(),
            url: page.url.clone(),
            stage,
            error: Box::new(error),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} failed: {}", self.origin, self.stage, self.error)
    }
}
