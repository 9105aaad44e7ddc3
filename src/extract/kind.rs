//! The page's type (`article`, `forum`, `product`, `collection`, `listing`,
//! `documentation`, `service`): [`features`] reads cheap signals from the
//! page itself — its JSON-LD and microdata `@type`s, `og:type`, the shape of
//! its URL (path segments, extension, dates, depth), the words of its title,
//! site name, headings and buttons, and counts of its structure
//! (`<article>`s, code share, prices, forms, repeated sibling cards,
//! headings, link density) — and [`classify`] weighs them with the
//! linear model in `data/page_type.json`.
//!
//! The model (a multinomial logistic regression) and the word lists its
//! features use are data, trained by `scripts/train_page_type.py` on the wcxb
//! pages whose id is not divisible by 5; the script's docstring says how to
//! retrain it. Nothing here names a site.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};
use serde::Deserialize;

use super::measure::IdHasher;
use super::Meta;
use crate::page::PageType;

/// The model file, embedded at build.
const MODEL_JSON: &str = include_str!("../../data/page_type.json");

/// The linear model and the word lists of its features (see `data/README.md`).
#[derive(Debug, Deserialize)]
pub(crate) struct Model {
    /// The class names, in the order of `weights` and `bias`.
    classes: Vec<String>,
    /// `ld_<group>` is 1 when the page declares one of the group's `@type`s.
    ld_groups: BTreeMap<String, Vec<String>>,
    /// `url_<group>` is 1 when a path segment (its extension aside), a slug
    /// word or the host's first label is one of the group's words;
    /// `title_<group>` when the title or site name has one; `heading_<group>`
    /// is log(1 + the headings' and buttons' words that are).
    url_groups: BTreeMap<String, Vec<String>>,
    /// `n_<group>` is log(1 + the elements of the group's tags).
    tag_groups: BTreeMap<String, Vec<String>>,
    /// `cls_<group>` is log(1 + the elements whose class or id contains one of the group's words).
    class_groups: BTreeMap<String, Vec<String>>,
    /// `class_groups`' words in one automaton, so an element's class and id
    /// are searched once for all of them, with each word's group.
    #[serde(skip)]
    class_words: Option<(AhoCorasick, Vec<usize>)>,
    /// The features the weights read, in their order.
    features: Vec<String>,
    /// Each feature's mean on the training pages (for `--explain`'s signals).
    mean: Vec<f32>,
    /// One row of weights per class, over `features`.
    weights: Vec<Vec<f32>>,
    /// One intercept per class.
    bias: Vec<f32>,
}

/// The embedded model, parsed once.
pub(crate) fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let mut m: Model = serde_json::from_str(MODEL_JSON).expect("data/page_type.json parses");
        let (mut words, mut group) = (Vec::new(), Vec::new());
        for (g, ws) in m.class_groups.values().enumerate() {
            for w in ws {
                words.push(w.clone());
                group.push(g);
            }
        }
        assert!(
            m.class_groups.len() <= 64,
            "data/page_type.json: at most 64 class groups"
        );
        let ac = AhoCorasick::new(&words).expect("data/page_type.json class words compile");
        m.class_words = Some((ac, group));
        m
    })
}

/// What extraction already decided about the page.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Facts {
    /// Extract took it as a listing (its items kept).
    pub items: bool,
    /// Extract took it as a forum thread (URL segment or JSON-LD).
    pub thread: bool,
    /// Bytes of text extract kept.
    pub found: usize,
}

/// The feature values of a page, by name.
pub(crate) type Features = BTreeMap<String, f32>;

/// Counts `n` as the model reads counts.
fn log(n: usize) -> f32 {
    (n as f32).ln_1p()
}

/// Reads the signals of a parsed page (see the module doc).
pub(crate) fn features(
    doc: &Html,
    url: Option<&str>,
    meta: &Meta,
    facts: Facts,
    m: &Model,
) -> Features {
    let mut f = Features::new();
    let mut tags: HashMap<&str, usize, BuildHasherDefault<IdHasher>> = HashMap::default();
    let mut classes = vec![0usize; m.class_groups.len()];
    let mut types: Vec<String> = meta.types.clone();
    let (mut og_type, mut og_url) = (String::new(), None);
    let (mut text, mut link, mut code, mut prices) = (0usize, 0usize, 0usize, 0usize);
    // Text in `<p>`s, the paragraphs open now (their text so far), and the long ones.
    let (mut p_text, mut open_p, mut long_p) = (0usize, Vec::new(), 0usize);
    let (mut tel, mut mailto) = (0usize, 0usize);
    // Links in `<nav>` and `<aside>` (a sidebar, a table of contents).
    let (mut in_nav, mut nav_links) = (0usize, 0usize);
    // The words of the headings and buttons (`Our services`, `Add to cart`).
    let (mut in_heading, mut headings) = (0usize, String::new());
    // Depths inside links, code and elements that are never text.
    let (mut in_link, mut in_code, mut skip) = (0usize, 0usize, 0usize);
    // An element's custom name, class and id, lowercased (one buffer for all).
    let mut names = String::new();
    // What each element is or holds, for `repeated_cards` (see `Holds`).
    let (mut holds, mut open) = (Holds::default(), vec![0u8]);
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    open.push(0);
                    let name = e.name();
                    *tags.entry(name).or_default() += 1;
                    match name {
                        "nav" | "aside" => in_nav += 1,
                        "h1" | "h2" | "h3" | "button" => in_heading += 1,
                        "a" => {
                            in_link += 1;
                            nav_links += usize::from(in_nav > 0);
                            let href = e.attr("href").unwrap_or("").trim();
                            tel += usize::from(href.starts_with("tel:"));
                            mailto += usize::from(href.starts_with("mailto:"));
                        }
                        "p" => open_p.push(0usize),
                        "pre" | "code" => in_code += 1,
                        "script" | "style" | "noscript" | "template" | "svg" => skip += 1,
                        "meta" => match e.attr("property").or(e.attr("name")) {
                            Some("og:type") => {
                                og_type = e.attr("content").unwrap_or("").trim().to_lowercase();
                            }
                            Some("og:url") => og_url = e.attr("content"),
                            _ => {}
                        },
                        // Another language's copy of the page: its path has the same shape.
                        "link"
                            if og_url.is_none()
                                && e.attr("hreflang").is_some()
                                && e.attr("href").is_some_and(|h| h.starts_with("http")) =>
                        {
                            og_url = e.attr("href");
                        }
                        _ => {}
                    }
                    if let Some(t) = e.attr("itemtype") {
                        let last = t.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                        types.push(last.to_owned());
                    }
                    // A custom element's name is read as a class (`<shreddit-comment>`).
                    let custom = if name.contains('-') { name } else { "" };
                    let (class, id) = (e.attr("class").unwrap_or(""), e.attr("id").unwrap_or(""));
                    if custom.len() + class.len() + id.len() > 0 {
                        names.clear();
                        for (i, part) in [custom, class, id].into_iter().enumerate() {
                            if i > 0 {
                                names.push(' ');
                            }
                            names.push_str(part);
                        }
                        names.make_ascii_lowercase();
                        if let Some((ac, group)) = &m.class_words {
                            // Each group counts an element once (the model
                            // has at most 64 groups: see `model`).
                            let mut hit = 0u64;
                            for w in ac.find_overlapping_iter(names.as_str()) {
                                hit |= 1 << group[w.pattern().as_usize()];
                            }
                            for (g, count) in classes.iter_mut().enumerate() {
                                *count += usize::from(hit & (1 << g) != 0);
                            }
                        }
                    }
                }
                Node::Text(t) if skip == 0 => {
                    let n = t.trim().len();
                    text += n;
                    if in_link > 0 {
                        link += n;
                    }
                    if in_code > 0 {
                        code += n;
                    }
                    if in_heading > 0 {
                        headings.push(' ');
                        headings.push_str(&t.to_lowercase());
                    }
                    if let Some(p) = open_p.last_mut() {
                        *p += n;
                        p_text += n;
                    }
                    prices += count_prices(t);
                }
                _ => {}
            },
            Edge::Close(n) => {
                if let Some(e) = n.value().as_element() {
                    let mine = open.pop().unwrap_or(0) | holding(e.name());
                    // Only elements holding a link can be cards.
                    if mine & LINK != 0 {
                        holds.insert(n.id(), mine);
                    }
                    if let Some(parent) = open.last_mut() {
                        *parent |= mine;
                    }
                    match e.name() {
                        "a" => in_link = in_link.saturating_sub(1),
                        "nav" | "aside" => in_nav = in_nav.saturating_sub(1),
                        "h1" | "h2" | "h3" | "button" => in_heading = in_heading.saturating_sub(1),
                        "p" => {
                            long_p += usize::from(open_p.pop().is_some_and(|n| n >= LONG_P_BYTES))
                        }
                        "pre" | "code" => in_code = in_code.saturating_sub(1),
                        "script" | "style" | "noscript" | "template" | "svg" => {
                            skip = skip.saturating_sub(1);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    for (k, names) in &m.tag_groups {
        let n = names
            .iter()
            .map(|t| tags.get(t.as_str()).copied().unwrap_or(0))
            .sum();
        f.insert(format!("n_{k}"), log(n));
    }
    let share = |n: usize| {
        if text == 0 {
            0.0
        } else {
            n as f32 / text as f32
        }
    };
    f.insert("text".into(), log(text));
    f.insert("link_share".into(), share(link));
    f.insert("code_share".into(), share(code));
    f.insert("prices".into(), log(prices));
    let [cards, pictured, dated] = repeated_cards(doc, &holds);
    f.insert("cards".into(), log(cards));
    f.insert("cards_img".into(), log(pictured));
    f.insert("cards_time".into(), log(dated));
    f.insert("nav_links".into(), log(nav_links));
    f.insert("p_share".into(), share(p_text));
    f.insert("long_p".into(), log(long_p));
    f.insert("tel".into(), log(tel));
    f.insert("mailto".into(), log(mailto));
    let flag = |b: bool| f32::from(u8::from(b));
    f.insert("has_author".into(), flag(meta.page.author.is_some()));
    f.insert("has_date".into(), flag(meta.page.published.is_some()));
    f.insert("found".into(), log(facts.found));
    f.insert("found_share".into(), share(facts.found).min(1.0));
    f.insert("items".into(), f32::from(u8::from(facts.items)));
    f.insert("thread".into(), f32::from(u8::from(facts.thread)));
    f.insert(
        "declares_article".into(),
        f32::from(u8::from(meta.declares_article)),
    );
    for t in ["article", "product", "website", "other"] {
        let hit = match t {
            "other" => {
                !og_type.is_empty() && !["article", "product", "website"].contains(&&*og_type)
            }
            _ => og_type.starts_with(t),
        };
        f.insert(format!("og_{t}"), f32::from(u8::from(hit)));
    }
    for (g, words) in &m.ld_groups {
        let hit = types.iter().any(|t| words.contains(t));
        f.insert(format!("ld_{g}"), f32::from(u8::from(hit)));
    }
    for ((g, _), n) in m.class_groups.iter().zip(&classes) {
        f.insert(format!("cls_{g}"), log(*n));
    }
    // The title's and the site name's words, as the URL groups' words.
    let title = format!(
        "{} {}",
        meta.page.title.as_deref().unwrap_or(""),
        meta.page.site.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let title: Vec<&str> = title.split(|c: char| !c.is_alphanumeric()).collect();
    for (g, words) in &m.url_groups {
        let hit = words
            .iter()
            .any(|w| w.len() >= SLUG_WORD_MIN && title.contains(&w.as_str()));
        f.insert(format!("title_{g}"), f32::from(u8::from(hit)));
    }
    let heads: Vec<&str> = headings.split(|c: char| !c.is_alphanumeric()).collect();
    for (g, words) in &m.url_groups {
        let hits = heads
            .iter()
            .filter(|h| h.len() >= SLUG_WORD_MIN && words.iter().any(|w| w == *h))
            .count();
        f.insert(format!("heading_{g}"), log(hits));
    }
    let url = url.or(meta.page.canonical.as_deref()).or(og_url);
    url_features(url, m, &mut f);
    f
}

/// The URL's signals: its groups' words, depth, date, slug length, extension, ids.
fn url_features(url: Option<&str>, m: &Model, f: &mut Features) {
    let url = url.unwrap_or("").to_lowercase();
    let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let stem = |s: &str| s.split_once('.').map_or(s, |(a, _)| a).to_owned();
    let first_label = host.split('.').next().unwrap_or("");
    // A slug's words (`cybersecurity-consulting-services`) match the group
    // words of `SLUG_WORD_MIN` letters or more.
    let slug: Vec<&str> = segs
        .iter()
        .flat_map(|s| s.split(['-', '_', '.']))
        .filter(|w| w.len() >= SLUG_WORD_MIN)
        .collect();
    for (g, words) in &m.url_groups {
        let hit = words.iter().any(|w| {
            w == first_label || segs.iter().any(|s| *w == stem(s)) || slug.contains(&w.as_str())
        });
        f.insert(format!("url_{g}"), f32::from(u8::from(hit)));
    }
    let flag = |b: bool| f32::from(u8::from(b));
    let year = |s: &&str| {
        s.len() == 4 && s.starts_with(['1', '2']) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let last = segs.last().copied().unwrap_or("");
    let ext = last.rsplit_once('.').map_or("", |(_, e)| e);
    f.insert("url_none".into(), flag(host.is_empty()));
    f.insert("url_depth".into(), log(segs.len()));
    f.insert("url_root".into(), flag(!host.is_empty() && segs.is_empty()));
    f.insert("url_year".into(), flag(segs.iter().any(year)));
    let words = segs
        .iter()
        .map(|s| s.split(['-', '_']).count())
        .max()
        .unwrap_or(0);
    f.insert("url_slug".into(), log(words));
    f.insert(
        "url_page_ext".into(),
        flag(["html", "htm", "php", "aspx", "asp", "shtml"].contains(&ext)),
    );
    let digits = segs
        .iter()
        .any(|s| s.len() >= 3 && s.bytes().all(|b| b.is_ascii_digit()));
    f.insert("url_id".into(), flag(digits));
}

/// Price-like text: a currency sign next to a digit (`$12.99`, `12,99 €`).
fn count_prices(t: &str) -> usize {
    if !t.contains(['$', '€', '£', '¥', '₹']) {
        return 0;
    }
    let chars: Vec<char> = t.chars().collect();
    let digit_near = |i: usize, step: isize| {
        let mut j = i as isize + step;
        while j >= 0 && (j as usize) < chars.len() && chars[j as usize] == ' ' {
            j += step;
        }
        j >= 0 && (j as usize) < chars.len() && chars[j as usize].is_ascii_digit()
    };
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            matches!(c, '$' | '€' | '£' | '¥' | '₹') && (digit_near(*i, 1) || digit_near(*i, -1))
        })
        .count()
}

/// Letters a slug's word needs to match a URL group's word (`p`, `t` match whole segments only).
const SLUG_WORD_MIN: usize = 4;

/// Bytes of text that make a `<p>` a long paragraph (running prose).
const LONG_P_BYTES: usize = 300;

/// Of a link, an image and a `<time>`, which an element is or holds
/// (`LINK | IMAGE | TIME` bits), by node, for the elements that hold a link:
/// filled in the one post-order pass of [`features`], so no element's
/// subtree is searched twice.
type Holds = HashMap<NodeId, u8, BuildHasherDefault<IdHasher>>;
const LINK: u8 = 1;
const IMAGE: u8 = 2;
const TIME: u8 = 4;

/// The bit an element of this tag sets in [`Holds`].
fn holding(tag: &str) -> u8 {
    match tag {
        "a" => LINK,
        "img" => IMAGE,
        "time" => TIME,
        _ => 0,
    }
}

/// The largest run of sibling elements with the same tag and class that
/// each hold a link (the cards of a listing, the posts of a thread), of
/// those that also hold an image (a shop's product tiles), and of those that
/// also hold a `<time>` (dated posts).
fn repeated_cards(doc: &Html, holds: &Holds) -> [usize; 3] {
    let mut best = [0; 3];
    for parent in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let mut groups: HashMap<(&str, &str), [usize; 3]> = HashMap::new();
        for child in parent.children().filter_map(ElementRef::wrap) {
            let h = holds.get(&child.id()).copied().unwrap_or(0);
            if h & LINK != 0 {
                let e = child.value();
                let g = groups
                    .entry((e.name(), e.attr("class").unwrap_or("")))
                    .or_default();
                g[0] += 1;
                g[1] += usize::from(h & IMAGE != 0);
                g[2] += usize::from(h & TIME != 0);
                for (b, n) in best.iter_mut().zip(g.iter()) {
                    *b = (*b).max(*n);
                }
            }
        }
    }
    best
}

/// The page's type from its features, and the signals that weighed most for it.
pub(crate) fn classify(f: &Features, m: &Model) -> (PageType, String) {
    let x: Vec<f32> = m
        .features
        .iter()
        .map(|k| f.get(k).copied().unwrap_or(0.0))
        .collect();
    let scores: Vec<f32> = m
        .weights
        .iter()
        .zip(&m.bias)
        .map(|(w, b)| b + w.iter().zip(&x).map(|(w, x)| w * x).sum::<f32>())
        .collect();
    let (best, top) =
        scores.iter().enumerate().fold(
            (0, f32::MIN),
            |(bi, bs), (i, &s)| if s > bs { (i, s) } else { (bi, bs) },
        );
    let total: f32 = scores.iter().map(|s| (s - top).exp()).sum();
    let name = &m.classes[best];
    let kind = PageType::ALL
        .into_iter()
        .find(|t| t.as_str() == name)
        .unwrap_or(PageType::Other);
    let mut why: Vec<(f32, usize)> = m.weights[best]
        .iter()
        .zip(x.iter().zip(&m.mean))
        .map(|(w, (x, mean))| w * (x - mean))
        .enumerate()
        .map(|(i, c)| (c, i))
        .filter(|(c, _)| *c > 0.0)
        .collect();
    why.sort_by(|a, b| b.0.total_cmp(&a.0));
    let signals: Vec<String> = why
        .iter()
        .take(4)
        .map(|&(_, i)| format!("{}={:.2}", m.features[i], x[i]))
        .collect();
    (
        kind,
        format!("{kind} (p {:.2}): {}", 1.0 / total, signals.join(", ")),
    )
}

/// Every feature of a page as `name=value`, for `--explain` (and the model's training).
pub(crate) fn describe(f: &Features) -> String {
    f.iter()
        .map(|(k, v)| format!("{k}={v:.4}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The type of `html` at `url` with the JSON-LD `types`, and whether extract took it as a thread.
    fn kind(html: &str, url: &str, types: &[&str], thread: bool) -> PageType {
        let doc = Html::parse_document(html);
        let meta = Meta {
            types: types.iter().map(|t| (*t).to_owned()).collect(),
            declares_article: types.iter().any(|t| t.ends_with("Article")),
            ..Meta::default()
        };
        let facts = Facts {
            thread,
            found: html.len() / 2,
            ..Facts::default()
        };
        classify(&features(&doc, Some(url), &meta, facts, model()), model()).0
    }

    #[test]
    fn the_model_reads_only_features_kind_computes() {
        let m = model();
        let f = features(
            &Html::parse_document("<p>x</p>"),
            None,
            &Meta::default(),
            Facts::default(),
            m,
        );
        for name in &m.features {
            assert!(f.contains_key(name), "{name} is not computed");
        }
        assert_eq!(
            (m.weights.len(), m.bias.len()),
            (m.classes.len(), m.classes.len())
        );
        for c in &m.classes {
            assert!(PageType::ALL.iter().any(|t| t.as_str() == c), "{c}");
        }
    }

    #[test]
    fn signals_decide_the_type() {
        let prose = "<p>".to_owned() + &"A sentence of the story goes on. ".repeat(20) + "</p>";
        let article = format!(
            "<html><body><article><h1>Title</h1>{}</article></body></html>",
            prose.repeat(6)
        );
        let url = "https://news.example.com/2024/05/01/a-long-story-about-the-things-that-happened";
        assert_eq!(
            kind(&article, url, &["NewsArticle"], false),
            PageType::Article
        );
        let product = "<html><head><meta property=\"og:type\" content=\"product\"></head><body>\
            <h1>Wool runner</h1><p class=\"price\">$98.00</p><form><select></select>\
            <button class=\"add-to-cart\">Add to cart</button></form><p>Soft wool.</p></body></html>";
        let url = "https://shop.example.com/products/wool-runner";
        assert_eq!(
            kind(product, url, &["Product", "Offer"], false),
            PageType::Product
        );
        let post = "<div class=\"post\"><a href=\"/u/a\">ann</a><time>2024</time><p>I think so too, it works.</p></div>";
        let thread = format!("<html><body><h1>Q</h1>{}</body></html>", post.repeat(8));
        let url = "https://forum.example.com/t/how-do-i-do-this/12345";
        assert_eq!(
            kind(&thread, url, &["DiscussionForumPosting"], true),
            PageType::Forum
        );
        let code = "<pre><code>let x = compute(1, 2);\nprintln!(\"{x}\");</code></pre>";
        let docs = format!(
            "<html><body><nav class=\"sidebar toc\"><a href=\"a\">A</a></nav><h1>Quickstart</h1>\
             <p>Install it first.</p>{}<h2>Usage</h2>{}</body></html>",
            code.repeat(3),
            code.repeat(3)
        );
        let url = "https://docs.example.org/en/latest/quickstart.html";
        assert_eq!(
            kind(&docs, url, &["TechArticle"], false),
            PageType::Documentation
        );
    }

    #[test]
    fn prices_are_a_currency_sign_beside_a_digit() {
        assert_eq!(count_prices("Now $12.99, was 15 € and £ 3"), 3);
        assert_eq!(count_prices("US$ and $ alone, 5 dollars"), 0);
    }
}
