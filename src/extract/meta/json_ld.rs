//! JSON-LD: the `<script type="application/ld+json">` blocks of a page, their
//! article objects (also inside `@graph` and arrays) and the fields pith reads
//! from them ([`json_ld`]).

use scraper::{ElementRef, Html};
use serde_json::Value;

use super::{document_title, Meta, ARTICLE_TYPES};
use crate::extract::date::{date, DatePatterns};
use crate::text::{collapse, coverage};

/// Strips the `<![CDATA[ … ]]>` wrapper some pages put around JSON-LD.
fn without_cdata(raw: &str) -> &str {
    let t = raw.trim();
    let t = t.strip_prefix("<![CDATA[").unwrap_or(t);
    let t = t.strip_suffix("]]>").unwrap_or(t);
    t.trim()
}

/// Whether a JSON-LD `@type` names an article: `Article` and its kinds
/// (`NewsArticle`, `TechArticle` …), a blog or live-blog posting, a report.
/// A `DiscussionForumPosting` or `SocialMediaPosting` is a post, not an
/// article.
fn is_article_type(t: &str) -> bool {
    t.ends_with("Article") || matches!(t, "BlogPosting" | "LiveBlogPosting" | "Report")
}

/// Metadata from JSON-LD: article objects first, then web pages and sites.
pub(super) fn json_ld(doc: &Html, p: &DatePatterns) -> Meta {
    let mut m = Meta::default();
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
        let Ok(v) = serde_json::from_str::<Value>(without_cdata(&raw)) else {
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
            m.types.extend(t.iter().cloned());
            m.declares_article |= t.iter().any(|t| is_article_type(t));
            m.declares_thread |= t
                .iter()
                .any(|t| matches!(t.as_str(), "DiscussionForumPosting" | "QAPage"));
            if t.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                let article = !t.iter().any(|t| t == "WebPage");
                if article {
                    Meta::fill(&mut m.page.title, ld_title(doc, o));
                    Meta::fill(&mut m.page.author, o.get("author").and_then(names));
                    if m.body.is_none() {
                        m.body = str_field(o, "articleBody")
                            .filter(|b| !b.contains('<') && !b.trim().is_empty());
                    }
                }
                Meta::fill(
                    &mut m.page.published,
                    str_field(o, "datePublished").and_then(|d| date(p, &d)),
                );
                Meta::fill(&mut m.page.lang, str_field(o, "inLanguage"));
                Meta::fill(&mut m.page.description, str_field(o, "description"));
                if let Some(p) = o.get("publisher") {
                    Meta::fill(&mut m.page.site, names(p));
                }
            } else if t.iter().any(|t| t == "WebSite") {
                Meta::fill(&mut m.page.site, str_field(o, "name"));
            }
        }
    }
    m
}

/// An article object's title: its `name`, or its `headline` when only the
/// headline resembles the page's `<title>` (some sites put the section or
/// a short slug in `name`).
fn ld_title(doc: &Html, o: &Value) -> Option<String> {
    /// Share of a title's words that must also be in the candidate.
    const SIMILAR: f64 = 0.75;
    let field = |k| {
        str_field(o, k)
            .map(|s| collapse(&s))
            .filter(|s| !s.is_empty())
    };
    match (field("name"), field("headline")) {
        (Some(n), Some(h)) if n != h => {
            let title = doc
                .root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().name() == "title")
                .map(|e| document_title(doc, &e.text().collect::<String>()))
                .unwrap_or_default();
            if coverage(&h, &title) > SIMILAR && coverage(&n, &title) <= SIMILAR {
                Some(h)
            } else {
                Some(n)
            }
        }
        (n, h) => n.or(h),
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
