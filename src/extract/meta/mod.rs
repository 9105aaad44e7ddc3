//! Page metadata: title, author, published date, site name, language,
//! canonical URL and description.
//!
//! Sources are read in order of trust: JSON-LD (`NewsArticle`, `Article`,
//! `BlogPosting`, … including `@graph`), then OpenGraph / Twitter / Dublin Core
//! `<meta>` tags, then `<time datetime>`, `<html lang>`, `<title>` and the URL.
//! The first source that has a value wins, field by field.

use std::collections::HashMap;

use super::date::{date, date_in_url, DatePatterns};
use scraper::{ElementRef, Html};

use crate::page::Metadata;
use crate::text::{collapse, letters};

mod byline;
mod json_ld;

use byline::{person, visible_byline, visible_date};
use json_ld::json_ld;

/// Metadata found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Meta {
    /// What the page says of itself, as the article carries it.
    pub page: Metadata,
    /// The article's text as its JSON-LD gives it (`articleBody`), lines kept;
    /// only when it holds no markup.
    pub body: Option<String>,
    /// The page declares itself an article: `og:type` `article`, or a
    /// JSON-LD object of an article type (`NewsArticle`, `BlogPosting`,
    /// `Report` …; not a forum or social posting, not a `WebPage`).
    pub declares_article: bool,
    /// The page declares itself a forum thread or a question with its
    /// answers: a JSON-LD `DiscussionForumPosting` or `QAPage`.
    pub declares_thread: bool,
    /// Every JSON-LD `@type` the page declares (also inside `@graph` and
    /// arrays): signals of its page type ([`kind`](super::kind)).
    pub types: Vec<String>,
    /// The author came from what the page shows (a byline element), not
    /// from its JSON-LD or `<meta>` tags.
    pub author_shown: bool,
    /// The published date came from a `<time>` element or the URL, not
    /// from its JSON-LD or `<meta>` tags.
    pub published_shown: bool,
    /// The published date was read from the page's text (a date-classed
    /// element), which only a story or a thread is trusted with.
    pub published_in_text: bool,
}

impl Meta {
    fn fill(slot: &mut Option<String>, value: Option<String>) {
        if slot.is_none() {
            if let Some(v) = value {
                let v = collapse(&v);
                if !v.is_empty() {
                    *slot = Some(v);
                }
            }
        }
    }
}

/// JSON-LD `@type`s whose fields describe the article itself.
pub(super) const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "LiveBlogPosting",
    "Review",
    "SocialMediaPosting",
    "WebPage",
];

/// `<meta>` keys that give the title, in order of trust (the order reader
/// modes use: Dublin Core, then OpenGraph, then the rest).
const TITLE_KEYS: &[&str] = &[
    "dc:title",
    "dcterm:title",
    "dcterms:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
];

/// `<meta>` keys that name the author, in order of trust.
const AUTHOR_KEYS: &[&str] = &[
    "dc:creator",
    "dcterm:creator",
    "dcterms:creator",
    "author",
    "parsely-author",
    "article:author",
    "og:article:author",
    "byl",
    "sailthru:author",
];

/// `<meta>` keys that give the publication date, in order of trust.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "parsely-pub-date",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc:date:issued",
    "dcterms:issued",
    "dcterms:created",
    "citation_publication_date",
    "citation_date",
    "rnews:datepublished",
    "article_date_original",
    "article:created",
    "cxenseparse:recs:publishtime",
    "original-publish-date",
    "publication_date",
    "published_date",
    "dc:date",
    "dcterms:date",
    "date",
    "sailthru:date",
];

/// `<meta>` keys that name the site, in order of trust.
const SITE_KEYS: &[&str] = &["og:site_name", "application-name"];

/// `<meta>` keys that give the language, in order of trust.
const LANG_KEYS: &[&str] = &["og:locale", "content-language", "dc:language", "language"];

/// `<meta>` keys that describe the page, in order of trust.
const DESCRIPTION_KEYS: &[&str] = &[
    "dc:description",
    "dcterm:description",
    "og:description",
    "description",
    "twitter:description",
];

/// Reads the metadata of a parsed document.
///
/// Each field takes the first value found in this order: JSON-LD, `<meta>`
/// tags (in the key orders above), then what the page shows (`<time>`,
/// `<title>`, a byline element, `<html lang>`) and last the URL.
pub(crate) fn read(doc: &Html, url: Option<&str>, p: &DatePatterns) -> Meta {
    let ld = json_ld(doc, p);
    let tags = meta_tags(doc);
    let tag = |keys: &[&str]| keys.iter().find_map(|k| tags.get(*k).cloned());
    let root = doc.root_element();
    let mut raw_title: Option<String> = None;
    let mut time: Option<String> = None;
    let mut canonical: Option<String> = None;
    for el in root.descendants().filter_map(ElementRef::wrap) {
        let v = el.value();
        match v.name() {
            "time" if time.is_none() => time = v.attr("datetime").and_then(|d| date(p, d)),
            "title" if raw_title.is_none() => raw_title = Some(el.text().collect::<String>()),
            "link"
                if canonical.is_none()
                    && v.attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                canonical = v.attr("href").map(str::to_owned);
            }
            _ => {}
        }
    }

    let mut m = Meta::default();
    Meta::fill(&mut m.page.title, ld.page.title);
    Meta::fill(&mut m.page.title, tag(TITLE_KEYS));
    if m.page.title.is_none() {
        Meta::fill(
            &mut m.page.title,
            raw_title.as_deref().map(|t| document_title(doc, t)),
        );
    }
    Meta::fill(&mut m.page.title, first_h1(doc));

    Meta::fill(
        &mut m.page.author,
        ld.page.author.and_then(|a| person(&a, p)),
    );
    for k in AUTHOR_KEYS {
        let v = tags.get(*k).filter(|v| !v.starts_with("http"));
        Meta::fill(&mut m.page.author, v.and_then(|v| person(v, p)));
    }
    // The page's byline elements are searched only when nothing declares
    // an author.
    if m.page.author.is_none() {
        m.page.author = visible_byline(doc, p);
        m.author_shown = m.page.author.is_some();
    }

    Meta::fill(&mut m.page.published, ld.page.published);
    for k in PUBLISHED_KEYS {
        Meta::fill(&mut m.page.published, tags.get(*k).and_then(|v| date(p, v)));
    }
    m.published_shown = m.page.published.is_none();
    Meta::fill(&mut m.page.published, time);
    if m.page.published.is_none() {
        m.page.published = visible_date(doc, p);
        m.published_in_text = m.page.published.is_some();
    }
    if m.page.published.is_none() {
        m.page.published = url.and_then(|u| date_in_url(p, u));
    }
    m.published_shown &= m.page.published.is_some();

    Meta::fill(&mut m.page.site, ld.page.site);
    Meta::fill(&mut m.page.site, tag(SITE_KEYS));
    if let Some(suffix) = raw_title.and_then(|t| split_site_suffix(&t, m.page.site.as_deref()).1) {
        // The title's suffix names the site; when it is a fuller form of the
        // name the metadata gave ("The Japan News by The Yomiuri Shimbun" for
        // "The Japan News"), it is the better one.
        let fuller = m.page.site.as_ref().is_none_or(|s| {
            suffix.len() > s.len() && suffix.to_lowercase().contains(&s.to_lowercase())
        });
        if fuller {
            m.page.site = Some(suffix);
        }
    }
    if m.page.site.is_none() {
        m.page.site = url
            .and_then(host)
            .map(|h| h.trim_start_matches("www.").to_owned());
    }

    Meta::fill(&mut m.page.lang, ld.page.lang);
    Meta::fill(
        &mut m.page.lang,
        tag(LANG_KEYS).map(|l| l.replace('_', "-")),
    );
    Meta::fill(
        &mut m.page.lang,
        root.value().attr("lang").map(str::to_owned),
    );
    Meta::fill(
        &mut m.page.lang,
        root.value().attr("xml:lang").map(str::to_owned),
    );
    m.page.lang = m.page.lang.as_deref().and_then(primary_language);

    Meta::fill(&mut m.page.canonical, canonical);
    Meta::fill(&mut m.page.description, ld.page.description);
    m.body = ld.body;
    m.declares_thread = ld.declares_thread;
    m.types = ld.types;
    m.declares_article = ld.declares_article
        || tags
            .get("og:type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("article"));
    Meta::fill(&mut m.page.description, tag(DESCRIPTION_KEYS));
    m
}

/// The headline from a `<title>` alone, the way reader modes read it: a
/// trailing " | Site" or " - Site" part is dropped when at least three words
/// remain; a leading "Site: " part is dropped when the page has no heading
/// that repeats the whole title; and a title that would shrink to four words
/// or fewer is kept whole (even when an `<h1>` reads just those words: a
/// page's "About us" heading is not the headline of "About us | Site").
pub(super) fn document_title(doc: &Html, raw: &str) -> String {
    /// Fewer words than this left after dropping a part means the wrong part was dropped.
    const MIN_WORDS: usize = 3;
    /// Titles of this many words or fewer are kept whole.
    const SHORT_TITLE_WORDS: usize = 4;
    /// More words than this before a colon: the colon is part of the headline.
    const PREFIX_MAX_WORDS: usize = 5;
    let orig = collapse(raw);
    let words = |s: &str| s.split_whitespace().count();
    let is_sep = |c: char| matches!(c, '|' | '-' | '–' | '—' | '\\' | '/' | '>' | '»');
    // Separators are single characters with a space on each side.
    let seps: Vec<usize> = orig
        .char_indices()
        .filter(|&(i, c)| {
            is_sep(c) && orig[..i].ends_with(' ') && orig[i + c.len_utf8()..].starts_with(' ')
        })
        .map(|(i, _)| i)
        .collect();
    let hierarchical = seps
        .iter()
        .any(|&i| orig[i..].starts_with(['\\', '/', '>', '»']));
    let mut cur = orig.clone();
    if let Some(&last) = seps.last() {
        cur = orig[..last].trim().to_owned();
        if words(&cur) < MIN_WORDS {
            let first = seps[0];
            let c = orig[first..].chars().next().map_or(1, char::len_utf8);
            cur = orig[first + c..].trim().to_owned();
        }
    } else if let Some(colon) = orig.find(": ") {
        if !heading_is(doc, &orig) {
            let last = orig.rfind(':').unwrap_or(colon);
            cur = orig[last + 1..].trim().to_owned();
            if words(&cur) < MIN_WORDS {
                cur = orig[colon + 1..].trim().to_owned();
            } else if words(&orig[..colon]) > PREFIX_MAX_WORDS {
                cur = orig.clone();
            }
        }
    }
    let n = words(&cur);
    let without_seps = orig.split(is_sep).collect::<Vec<_>>().join(" ");
    if n <= SHORT_TITLE_WORDS && (!hierarchical || n + 1 != words(&without_seps)) {
        cur = orig;
    }
    cur
}

/// Whether an `<h1>` or `<h2>` on the page reads exactly `text`.
fn heading_is(doc: &Html, text: &str) -> bool {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| matches!(e.value().name(), "h1" | "h2"))
        .any(|e| collapse(&e.text().collect::<String>()) == text)
}

/// The headline as the article shows it, for finding it in the text: an
/// `<h1>` that begins the title ("Headline" in "Headline - Site") is it;
/// otherwise the title is.
pub(crate) fn headline(doc: &Html, title: Option<&str>) -> Option<String> {
    /// How many `<h1>`s are considered.
    const H1_LIMIT: usize = 3;
    let title = title?;
    let tk = letters(title);
    let h1 = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "h1")
        .take(H1_LIMIT)
        .flat_map(|e| {
            // An `<h1>` may carry a second line (a byline or a dek after a
            // `<br>`): its first line alone may be the headline.
            let whole = collapse(&e.text().collect::<String>());
            let first = collapse(&first_line(e));
            let split = !first.is_empty() && first != whole;
            [Some(whole), split.then_some(first)]
        })
        .flatten()
        .find(|h| {
            let hk = letters(h);
            !hk.is_empty()
                && hk.len() < tk.len()
                && hk.len() * 5 >= tk.len() * 2
                && tk.starts_with(&hk)
        });
    Some(h1.unwrap_or_else(|| title.to_owned()))
}

/// The text of an element up to its first `<br>`.
fn first_line(e: ElementRef<'_>) -> String {
    let mut out = String::new();
    for edge in e.traverse() {
        if let ego_tree::iter::Edge::Open(n) = edge {
            match n.value() {
                scraper::Node::Element(el) if el.name() == "br" => break,
                scraper::Node::Text(t) => out.push_str(t),
                _ => {}
            }
        }
    }
    out
}

/// The first non-empty `<h1>`, for pages with no title at all.
fn first_h1(doc: &Html) -> Option<String> {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "h1")
        .map(|e| collapse(&e.text().collect::<String>()))
        .find(|h| !h.is_empty())
}

/// Every `<meta>` tag's content by key, the first value of each key kept;
/// a `property` tag (RDFa, as OpenGraph specifies) beats a `name` tag.
///
/// Keys come from `property` (a space-separated list: `"dc:creator
/// twitter:site_name"`), `name`, `itemprop` or `http-equiv`, lowercased, with
/// `.` read as `:` (`DC.creator` is `dc:creator`).
fn meta_tags(doc: &Html) -> HashMap<String, String> {
    let mut by_property = HashMap::new();
    let mut by_name = HashMap::new();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let v = el.value();
        if v.name() != "meta" {
            continue;
        }
        let Some(content) = v.attr("content").map(collapse).filter(|c| !c.is_empty()) else {
            continue;
        };
        let keys = |attrs: &[&str]| -> Vec<String> {
            attrs
                .iter()
                .filter_map(|a| v.attr(a))
                .flat_map(str::split_whitespace)
                .map(|k| k.to_ascii_lowercase().replace('.', ":"))
                .collect()
        };
        for k in keys(&["property"]) {
            by_property.entry(k).or_insert_with(|| content.clone());
        }
        for k in keys(&["name", "itemprop", "http-equiv"]) {
            by_name.entry(k).or_insert_with(|| content.clone());
        }
    }
    for (k, v) in by_name {
        by_property.entry(k).or_insert(v);
    }
    by_property
}

/// Drops a trailing " | Site", " - Site" or " – Site" from a `<title>`.
/// Splits a `<title>` into the headline and a trailing site name, if it has one.
fn split_site_suffix(title: &str, site: Option<&str>) -> (String, Option<String>) {
    /// A suffix of more words than this is part of the headline, not a site name.
    const SITE_MAX_WORDS: usize = 8;
    let t = collapse(title);
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some(i) = t.rfind(sep) {
            let (head, tail) = (&t[..i], &t[i + sep.len()..]);
            let looks_like_site = site.is_some_and(|s| tail.eq_ignore_ascii_case(s))
                || tail.split_whitespace().count() <= SITE_MAX_WORDS && head.len() >= tail.len();
            if looks_like_site && !head.is_empty() && !tail.is_empty() {
                return (head.to_owned(), Some(tail.to_owned()));
            }
        }
    }
    (t, None)
}

/// The primary language subtag of a language tag, lowercased: `en-GB` → `en`,
/// `pt_BR` → `pt`. Tags that are not language codes give `None`.
fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

/// The host part of an absolute URL.
pub(crate) fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host("https://www.a.com:80/x?y"), Some("www.a.com"));
        assert_eq!(host("nonsense"), None);
    }

    #[test]
    fn title_suffix() {
        let strip_site_suffix = |t: &str, s: Option<&str>| split_site_suffix(t, s).0;
        assert_eq!(strip_site_suffix("Big news | The Site", None), "Big news");
        let long = "Rock - Paper - Scissors game rules explained in detail";
        assert_eq!(strip_site_suffix(long, Some("C")), long);
    }

    #[test]
    fn language_tags_become_primary_subtags() {
        assert_eq!(primary_language("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_language("pt_BR").as_deref(), Some("pt"));
        assert_eq!(primary_language(" JA ").as_deref(), Some("ja"));
        assert_eq!(primary_language("x"), None);
        assert_eq!(primary_language("english"), None);
    }

    #[test]
    fn dates_from_less_common_keys_and_forms() {
        let read_date = |head: &str| {
            let html = format!("<html><head>{head}</head><body></body></html>");
            read(
                &Html::parse_document(&html),
                None,
                &DatePatterns::new().unwrap(),
            )
            .page
            .published
        };
        assert_eq!(
            read_date(r#"<meta name="article_date_original" content="Saturday, December 27, 2014, 12:06 PM">"#)
                .as_deref(),
            Some("2014-12-27")
        );
        assert_eq!(
            read_date(
                r#"<meta name="cXenseParse:recs:publishtime" content="2018-06-18T10:01:00.000Z">"#
            )
            .as_deref(),
            Some("2018-06-18")
        );
        assert_eq!(
            read_date(r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"20180619T055000+0900"}</script>"#)
                .as_deref(),
            Some("2018-06-19")
        );
    }

    #[test]
    fn json_ld_beats_meta() {
        let html = r#"<html lang="en-GB"><head>
        <meta property="og:title" content="OG title"><meta property="og:site_name" content="OG site">
        <script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Graph Site"},
          {"@type":"NewsArticle","headline":"LD title","datePublished":"2023-09-19T09:12:00+01:00",
           "author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chan"}],"publisher":{"name":"LD Pub"}}]}</script>
        </head><body></body></html>"#;
        let m = read(
            &Html::parse_document(html),
            None,
            &DatePatterns::new().unwrap(),
        );
        assert_eq!(m.page.title.as_deref(), Some("LD title"));
        assert_eq!(m.page.author.as_deref(), Some("Ann Lee, Bo Chan"));
        assert_eq!(m.page.published.as_deref(), Some("2023-09-19"));
        assert_eq!(m.page.site.as_deref(), Some("LD Pub"));
        assert_eq!(m.page.lang.as_deref(), Some("en"));
    }

    fn meta_of(html: &str) -> Meta {
        read(
            &Html::parse_document(html),
            None,
            &DatePatterns::new().unwrap(),
        )
    }

    #[test]
    fn titles_read_like_reader_modes() {
        let doc = Html::parse_document("<h1>Other</h1>");
        let t = |s| document_title(&doc, s);
        assert_eq!(
            t("Big news about the harbour | The Site"),
            "Big news about the harbour"
        );
        assert_eq!(
            t("Lorem ipsum dolor sit amet – My website"),
            "Lorem ipsum dolor sit amet"
        );
        // Four words or fewer left: the whole title stays.
        assert_eq!(
            t("Evolve: Shared Mutable History — evolve extension for Mercurial"),
            "Evolve: Shared Mutable History — evolve extension for Mercurial"
        );
        assert_eq!(
            t("Site: The headline of the story"),
            "The headline of the story"
        );
        // A middle dot is part of the title, not a separator.
        assert_eq!(t("Outside the web · V8"), "Outside the web · V8");
    }

    #[test]
    fn property_tags_beat_name_tags_and_keys_are_lists() {
        let m = meta_of(
            r#"<head><title>Title Element</title>
            <meta name="DC.title" content="Name title">
            <meta property="x:title dc:title" content="Property title">
            <meta property="dc:creator twitter:site_name" content="Creator Name">
            <meta name="author" content="Someone Else"></head>"#,
        );
        assert_eq!(m.page.title.as_deref(), Some("Property title"));
        assert_eq!(m.page.author.as_deref(), Some("Creator Name"));
    }

    #[test]
    fn json_ld_in_cdata_is_read() {
        let m = meta_of(
            r#"<script type="application/ld+json"><![CDATA[
            {"@context":"https://schema.org","@type":"Article","name":"LD name",
             "datePublished":"2018-04-05T06:00","author":{"name":"Ann Lee"}}]]></script>"#,
        );
        assert_eq!(m.page.title.as_deref(), Some("LD name"));
        assert_eq!(m.page.published.as_deref(), Some("2018-04-05"));
        assert_eq!(m.page.author.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn visible_bylines_lose_lead_ins_dates_and_widgets() {
        let author = |body: &str| meta_of(&format!("<body>{body}</body>")).page.author;
        assert_eq!(
            author(r#"<div class="FeatureByline"> By <b>Nathan Willis</b> March 25, 2015</div>"#)
                .as_deref(),
            Some("Nathan Willis")
        );
        assert_eq!(
            author(r#"<span class="byline">by <span itemprop="name">Ann Lee</span> • 8h</span>"#)
                .as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(author(r#"<div id="authorization">Sign in</div>"#), None);
        assert_eq!(author(r#"<div class="followauthor">Follow</div>"#), None);
        // A linked name is the name; the role beside it is not.
        assert_eq!(
            author(r#"<div class="author">Written by<a href="/u/sj">Stephen Jesudunsin</a><span>AI Writer, Embarque</span></div>"#)
                .as_deref(),
            Some("Stephen Jesudunsin")
        );
        // Lead-ins before "by", and forum furniture after the name.
        assert_eq!(
            author(r#"<span class="byline">Posted by BeauHD on Friday</span>"#).as_deref(),
            Some("BeauHD")
        );
        assert_eq!(
            author(
                r#"<div class="author">Vader<span>6,796</span><span>88 gold badges</span></div>"#
            )
            .as_deref(),
            Some("Vader")
        );
        assert_eq!(
            author(
                r#"<div class="post-author">KumikoGoingCrAzY Posts: 116 Joined: Feb 2019</div>"#
            )
            .as_deref(),
            Some("KumikoGoingCrAzY")
        );
        // A date-classed element's date, when nothing declares one; a date
        // in running text is not read.
        let published = |body: &str| meta_of(&format!("<body>{body}</body>")).page.published;
        assert_eq!(
            published(r#"<div class="entry-meta"><span class="post-date">Posted March 3, 2025</span></div>"#)
                .as_deref(),
            Some("2025-03-03")
        );
        assert_eq!(
            published("<p>The council met on March 3, 2025 to vote.</p>"),
            None
        );
        // Labels and form fields are not names.
        assert_eq!(author(r#"<div class="author">Author</div>"#), None);
        assert_eq!(
            author(r#"<label class="comment-author">Name *</label>"#),
            None
        );
        // A value escaped twice is decoded.
        let m = meta_of(r#"<head><meta name="author" content="Maria &amp;amp; Katerina"></head>"#);
        assert_eq!(m.page.author.as_deref(), Some("Maria & Katerina"));
        let bio = "x".repeat(120);
        assert_eq!(author(&format!(r#"<div class="author">{bio}</div>"#)), None);
    }
}
