//! Page metadata: title, author, published date, site name, language,
//! canonical URL and description.
//!
//! Sources are read in order of trust: JSON-LD (`NewsArticle`, `Article`,
//! `BlogPosting`, … including `@graph`), then OpenGraph / Twitter / Dublin Core
//! `<meta>` tags, then `<time datetime>`, `<html lang>`, `<title>` and the URL.
//! The first source that has a value wins, field by field.

use regex::Regex;
use scraper::{ElementRef, Html};
use serde_json::Value;

/// Metadata found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub site: Option<String>,
    pub lang: Option<String>,
    pub canonical: Option<String>,
    pub description: Option<String>,
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
const ARTICLE_TYPES: &[&str] = &[
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

/// Reads the metadata of a parsed document.
pub(crate) fn read(doc: &Html, url: Option<&str>, p: &DatePatterns) -> Meta {
    let mut m = Meta::default();
    json_ld(doc, &mut m, p);
    meta_tags(doc, &mut m, p);
    let root = doc.root_element();
    if m.lang.is_none() {
        Meta::fill(&mut m.lang, root.value().attr("lang").map(str::to_owned));
        Meta::fill(
            &mut m.lang,
            root.value().attr("xml:lang").map(str::to_owned),
        );
    }
    let mut raw_title: Option<String> = None;
    for el in root.descendants().filter_map(ElementRef::wrap) {
        match el.value().name() {
            "time" if m.published.is_none() => {
                let v = el.value().attr("datetime").map(str::to_owned);
                Meta::fill(&mut m.published, v.and_then(|d| date(p, &d)));
            }
            "title" if raw_title.is_none() => raw_title = Some(el.text().collect::<String>()),
            "link"
                if m.canonical.is_none()
                    && el
                        .value()
                        .attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                Meta::fill(&mut m.canonical, el.value().attr("href").map(str::to_owned));
            }
            _ => {}
        }
    }
    if let Some(raw) = raw_title {
        let (head, suffix) = split_site_suffix(&raw, m.site.as_deref());
        Meta::fill(&mut m.title, Some(head));
        // The title's suffix names the site; when it is a fuller form of the
        // name the metadata gave ("The Japan News by The Yomiuri Shimbun" for
        // "The Japan News"), it is the better one.
        if let Some(suffix) = suffix {
            let fuller = m.site.as_ref().is_none_or(|s| {
                suffix.len() > s.len() && suffix.to_lowercase().contains(&s.to_lowercase())
            });
            if fuller {
                m.site = Some(suffix);
            }
        }
    }
    m.lang = m.lang.as_deref().and_then(primary_language);
    headline(doc, &mut m);
    if m.published.is_none() {
        m.published = url.and_then(|u| date_in_url(p, u));
    }
    if m.site.is_none() {
        m.site = url
            .and_then(host)
            .map(|h| h.trim_start_matches("www.").to_owned());
    }
    m
}

/// The visible headline refines the title: when an `<h1>` is the title with a
/// site name appended ("Headline - Site"), the `<h1>` is the headline. With no
/// title at all, the first `<h1>` is it.
fn headline(doc: &Html, m: &mut Meta) {
    /// How many `<h1>`s are considered.
    const H1_LIMIT: usize = 3;
    let key = super::letters;
    let h1s = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "h1")
        .take(H1_LIMIT)
        .map(|e| collapse(&e.text().collect::<String>()))
        .filter(|h| !h.is_empty());
    for h in h1s {
        let Some(t) = &m.title else {
            m.title = Some(h);
            return;
        };
        let (hk, tk) = (key(&h), key(t));
        if hk.len() < tk.len() && hk.len() * 5 >= tk.len() * 2 && tk.starts_with(&hk) {
            m.title = Some(h);
            return;
        }
    }
}

fn json_ld(doc: &Html, m: &mut Meta, p: &DatePatterns) {
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        if el.value().name() != "script"
            || !el
                .value()
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        {
            continue;
        }
        let raw: String = el.text().collect();
        let Ok(v) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        let mut objects = Vec::new();
        collect_objects(&v, &mut objects, 0);
        // Article-like objects first, then pages, so an article's headline beats a page's name.
        objects.sort_by_key(|o| {
            let t = types(o);
            if t.iter()
                .any(|t| t.ends_with("Article") || t.ends_with("Posting"))
            {
                0
            } else if t.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                1
            } else {
                2
            }
        });
        for o in objects {
            let t = types(o);
            if t.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                let article = !t.iter().any(|t| t == "WebPage");
                if article {
                    Meta::fill(&mut m.title, str_field(o, "headline"));
                    Meta::fill(&mut m.author, o.get("author").and_then(names));
                }
                Meta::fill(
                    &mut m.published,
                    str_field(o, "datePublished").and_then(|d| date(p, &d)),
                );
                Meta::fill(&mut m.lang, str_field(o, "inLanguage"));
                Meta::fill(&mut m.description, str_field(o, "description"));
                if let Some(p) = o.get("publisher") {
                    Meta::fill(&mut m.site, names(p));
                }
            } else if t.iter().any(|t| t == "WebSite") {
                Meta::fill(&mut m.site, str_field(o, "name"));
            }
        }
    }
}

/// Gathers every JSON object reachable through arrays and `@graph`, to a bounded depth.
fn collect_objects<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    const MAX_DEPTH: usize = 4;
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect_objects(x, out, depth + 1)),
        Value::Object(o) => {
            out.push(v);
            if let Some(g) = o.get("@graph") {
                collect_objects(g, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn types(o: &Value) -> Vec<String> {
    match o.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn str_field(o: &Value, key: &str) -> Option<String> {
    match o.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.first().and_then(|x| x.as_str()).map(str::to_owned),
        _ => None,
    }
}

/// A person or organisation as a name; arrays become a comma-separated list.
fn names(v: &Value) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        let s = collapse(s);
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    match v {
        Value::String(s) => push(s),
        Value::Object(o) => {
            if let Some(Value::String(s)) = o.get("name") {
                push(s);
            }
        }
        Value::Array(a) => {
            for x in a {
                match x {
                    Value::String(s) => push(s),
                    Value::Object(o) => {
                        if let Some(Value::String(s)) = o.get("name") {
                            push(s);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    (!out.is_empty()).then(|| out.join(", "))
}

fn meta_tags(doc: &Html, m: &mut Meta, p: &DatePatterns) {
    let mut og = Meta::default();
    let mut plain = Meta::default();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        if el.value().name() != "meta" {
            continue;
        }
        let v = el.value();
        let key = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"))
            .or_else(|| v.attr("http-equiv"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(content) = v.attr("content").map(str::to_owned) else {
            continue;
        };
        match key.as_str() {
            "og:title" | "twitter:title" => Meta::fill(&mut og.title, Some(content)),
            "og:site_name" | "application-name" => Meta::fill(&mut og.site, Some(content)),
            "og:locale" | "content-language" | "dc.language" | "language" => {
                Meta::fill(&mut plain.lang, Some(content.replace('_', "-")))
            }
            "og:description" | "description" | "twitter:description" | "dc.description" => {
                Meta::fill(&mut og.description, Some(content))
            }
            "article:published_time"
            | "og:published_time"
            | "datepublished"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.created"
            | "dcterms.date"
            | "sailthru.date"
            | "parsely-pub-date" => Meta::fill(&mut og.published, date(p, &content)),
            "author" | "article:author" | "dc.creator" | "byl" | "parsely-author"
            | "sailthru.author"
                if !content.starts_with("http") =>
            {
                Meta::fill(
                    &mut og.author,
                    Some(content.trim_start_matches("By ").to_owned()),
                )
            }
            "dc.title" => Meta::fill(&mut plain.title, Some(content)),
            _ => {}
        }
    }
    for (slot, a, b) in [
        (&mut m.title, og.title, plain.title),
        (&mut m.author, og.author, plain.author),
        (&mut m.published, og.published, plain.published),
        (&mut m.site, og.site, plain.site),
        (&mut m.lang, plain.lang, og.lang),
        (&mut m.description, og.description, plain.description),
    ] {
        Meta::fill(slot, a);
        Meta::fill(slot, b);
    }
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

/// Collapses whitespace runs to single spaces and trims.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The date patterns, compiled once per pipeline.
#[derive(Debug, Clone)]
pub(crate) struct DatePatterns {
    iso: Regex,
    word: Regex,
    url: Regex,
}

impl DatePatterns {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Ok(DatePatterns {
            iso: Regex::new(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")?,
            word: Regex::new(
                r"(?i)\b(?:(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]{3,9})\.?,?\s+(\d{4})|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
            )?,
            url: Regex::new(
                r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)",
            )?,
        })
    }
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Normalises a date written in common machine or English forms to `YYYY-MM-DD`.
pub(crate) fn date(p: &DatePatterns, s: &str) -> Option<String> {
    let ymd = |y: &str, m: u32, d: &str| -> Option<String> {
        let y: u32 = y.parse().ok()?;
        let d: u32 = d.parse().ok()?;
        ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
            .then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    if let Some(c) = p.iso.captures(s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    let c = p.word.captures(s)?;
    let month = |name: &str| {
        let n = name.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| n.starts_with(m))
            .map(|i| i as u32 + 1)
    };
    if let (Some(d), Some(mo), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
        return ymd(y.as_str(), month(mo.as_str())?, d.as_str());
    }
    if let (Some(mo), Some(d), Some(y)) = (c.get(4), c.get(5), c.get(6)) {
        return ymd(y.as_str(), month(mo.as_str())?, d.as_str());
    }
    None
}

fn date_in_url(p: &DatePatterns, url: &str) -> Option<String> {
    let c = p.url.captures(url)?;
    Some(format!("{}-{}-{}", &c[1], &c[2], &c[3]))
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
    fn dates_in_many_forms() {
        let p = DatePatterns::new().unwrap();
        let date = |s| date(&p, s);
        assert_eq!(
            date("2024-01-13T07:39:00+09:00").as_deref(),
            Some("2024-01-13")
        );
        assert_eq!(date("2024/1/3").as_deref(), Some("2024-01-03"));
        assert_eq!(
            date("15:15 JST, January 13, 2024").as_deref(),
            Some("2024-01-13")
        );
        assert_eq!(date("19 September 2023").as_deref(), Some("2023-09-19"));
        assert_eq!(date("Sept. 9th, 2023").as_deref(), Some("2023-09-09"));
        assert_eq!(date("yesterday"), None);
        assert_eq!(date("2024-13-40"), None);
    }

    #[test]
    fn url_dates_and_hosts() {
        let p = DatePatterns::new().unwrap();
        let date_in_url = |s| date_in_url(&p, s);
        assert_eq!(
            date_in_url("https://x.com/2023/09/19/slug/").as_deref(),
            Some("2023-09-19")
        );
        assert_eq!(
            date_in_url("https://x.com/20240113-161874/"),
            Some("2024-01-13".into())
        );
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
        assert_eq!(m.title.as_deref(), Some("LD title"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee, Bo Chan"));
        assert_eq!(m.published.as_deref(), Some("2023-09-19"));
        assert_eq!(m.site.as_deref(), Some("LD Pub"));
        assert_eq!(m.lang.as_deref(), Some("en"));
    }
}
