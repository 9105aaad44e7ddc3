//! # pith
//!
//! pith turns scraped web pages into clean article text. A [`Page`] goes
//! through four stages, always in this order; each is configured by one table
//! of a pipeline file, whose type is in [`options`]:
//!
//! - **decode** ([`options::DecodeOptions`], `[decode]`) — the raw bytes become
//!   UTF-8: byte-order mark, then the HTTP charset, then the HTML `<meta>`
//!   prescan as browsers do it, then statistical sniffing (chardetng). Valid
//!   UTF-8 that a header mislabels is believed. The encoding and the rule
//!   that chose it are recorded ([`Encoding`]); a page that cannot be decoded
//!   fails with a [`DecodeError`].
//! - **extract** ([`options::ExtractOptions`], `[extract]`) — the HTML is parsed with
//!   html5ever, boilerplate subtrees (navigation, share bars, captions,
//!   comments, …) are removed by tag and class/id rules, every container is
//!   scored by its content text against its link text and noise, and the best
//!   container becomes a list of [`Block`]s: paragraphs, headings, list items
//!   with their numbers, quotes, code and table rows. Title, author, date,
//!   site and language go to [`Metadata`].
//! - **strip** ([`options::StripRules`], `[strip]`) — leftover blocks are dropped:
//!   headline and dateline repeats, "Related coverage" and "Read more" link
//!   runs, popular and ranking lists, caption and credit lines, "Back to …"
//!   links.
//! - **repair** ([`options::RepairOptions`], `[repair]`) — per text run: Unicode
//!   NFC, whitespace, stray entities, soft hyphens and zero-width characters,
//!   mojibake, and conservative dictionary typo repair. Every change is listed
//!   in [`Article::repairs`].
//!
//! What one page may cost is [`options::Limits`] (`[limits]`). A page that
//! fails becomes a [`Failure`] naming its [`Stage`]; the batch goes on.
//!
//! Every rule and threshold is data in a pipeline file
//! (`pipelines/default.toml` is built in); [`Pipeline`] compiles it once.
//!
//! ```
//! let html = br#"<html><head><title>Heavy rain swells the river | Daily</title></head><body>
//!   <nav><a href="/">Home</a> <a href="/news">News</a></nav>
//!   <article><h1>Heavy rain swells the river</h1>
//!     <p>It rained all day in the valley, and the river rose by a metre before dusk.</p>
//!     <p>Farmers said the water would help the late crops after a dry summer.</p>
//!   </article>
//!   <footer>Copyright Daily</footer></body></html>"#;
//! let article = pith::clean_html(html, Some("https://example.com/rain"))?;
//! assert_eq!(article.meta.title.as_deref(), Some("Heavy rain swells the river"));
//! assert_eq!(article.text(), "It rained all day in the valley, and the river rose by a metre before dusk.\n\n\
//!                   Farmers said the water would help the late crops after a dry summer.\n");
//! # Ok::<(), pith::Error>(())
//! ```
//!
//! For many pages, build one [`Pipeline`] and call [`Pipeline::process`] (or
//! the async [`Pipeline::run`] with a [`Sink`]). The library never prints,
//! exits, reads environment variables or keeps mutable global state.
//!
//! Around the pipeline: [`source`] lists and reads input files, `fetch` (feature
//! `fetch`) fetches URL lists, [`sink`] and [`output`] write results, and
//! [`record`] types the lines they write. The quality tools `eval` and
//! `golden` are behind the default feature `tools`.

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod budget;
mod config;
mod decode;
mod error;
#[cfg(feature = "tools")]
pub mod eval;
mod extract;
#[cfg(feature = "fetch")]
pub mod fetch;
#[cfg(feature = "tools")]
pub mod golden;
mod lang;
pub mod output;
mod page;
mod pipeline;
pub mod record;
pub mod render;
mod repair;
pub mod resolve;
pub mod sink;
pub mod source;
mod strip;
mod text;

pub use config::{PipelineFile, BUILTIN};
pub use decode::DecodeError;
pub use error::Error;
pub use page::{
    Article, Block, BlockKind, Decision, Encoding, Failure, FetchInfo, Format, Link, Metadata,
    Origin, Page, PageType, Repair, Stage,
};
pub use pipeline::{Pipeline, Report};
pub use repair::Vocabulary;
pub use sink::{Jsonl, JsonlFile, Sink, Text, TxtDir};

/// Options of the individual stages, as they appear in a pipeline file (one
/// table each, named by the stage).
pub mod options {
    pub use crate::config::Limits;
    pub use crate::decode::Options as DecodeOptions;
    pub use crate::extract::{Options as ExtractOptions, RemoveRule};
    pub use crate::repair::Options as RepairOptions;
    pub use crate::strip::Rules as StripRules;
}

/// Entry points for the fuzz targets in `fuzz/` (not a stable API): the
/// stages that have no public function of their own.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::decode::{to_utf8 as decode, Decoded, Rule};
}

/// Cleans one HTML page with the built-in pipeline: bytes in, an [`Article`]
/// out (its [`text`](Article::text) is the clean body; title, author, date,
/// site and language are beside it).
///
/// `url` is the page's address, when known. For more than one page, build a
/// [`Pipeline`] once and call [`Pipeline::process`]: this function compiles
/// the pipeline on every call.
pub fn clean_html(bytes: &[u8], url: Option<&str>) -> Result<Article, Error> {
    let mut page = Page::html("page", bytes.to_vec());
    page.url = url.map(str::to_owned);
    Pipeline::builtin()?.process(&page).map_err(|f| *f.error)
}
