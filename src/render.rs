//! Output forms rendered from an article's blocks: plain text (what
//! [`Article::text`] gives), Markdown and a small HTML document.
//!
//! Everything here reads only pith's own [`Block`]s, never the page again, so
//! every form holds the same content in the same order; only the markup
//! differs. Lists nest by each item's [`Block::depth`]; links and images
//! are written only when the pipeline kept them ([`Block::links`],
//! [`Block::images`]), else links are their text and images absent.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::page::{Article, Block, BlockKind, Image, Link};

/// Which form a page's body is written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Form {
    /// Plain text: one block a line, a blank line between blocks.
    #[default]
    Text,
    /// Markdown: `#` headings, `-` and `1.` lists, GitHub tables, fenced
    /// code kept verbatim, `>` quotes.
    Markdown,
    /// A small HTML document: `<h1>`…, `<p>`, `<ul>`/`<ol>`, `<table>`,
    /// `<pre><code>`, `<blockquote>`.
    Html,
}

impl Form {
    /// The file extension of this form, without the dot (`txt`, `md`, `html`).
    pub fn extension(self) -> &'static str {
        match self {
            Form::Text => "txt",
            Form::Markdown => "md",
            Form::Html => "html",
        }
    }

    /// The body of `article` in this form.
    pub fn render(self, article: &Article) -> String {
        match self {
            Form::Text => article.text(),
            Form::Markdown => markdown(&article.blocks),
            Form::Html => html(article),
        }
    }
}

/// The text after an ordered list item's number (`3. text` → `text`), if it has one.
fn ordered_item(text: &str) -> Option<&str> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    text[digits..].strip_prefix(". ")
}

/// Whether `b` continues the list or table that `prev` is part of (no blank line between).
fn continues(prev: &Block, b: &Block) -> bool {
    match (prev.kind, b.kind) {
        (BlockKind::ListItem, BlockKind::ListItem) => prev.list == b.list,
        (BlockKind::TableRow, BlockKind::TableRow) => true,
        _ => false,
    }
}

/// Backslash-escapes what would turn running text into Markdown markup: a
/// line-starting `#`, `>`, list marker, fence or rule, and the characters of
/// [`escape_chars`] (CommonMark lets any ASCII punctuation be escaped).
fn escape_inline(text: &str, out: &mut String) {
    let trimmed = text.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") ")) {
        // `12. ` would start a list: escape its `.` or `)` (a digit cannot be).
        let cut = text.len() - trimmed.len() + digits;
        out.push_str(&text[..cut]);
        out.push('\\');
        escape_chars(&text[cut..], false, out);
        return;
    }
    let starts_block = trimmed.starts_with(['#', '>'])
        || ["- ", "+ ", "---", "===", "~~~"]
            .iter()
            .any(|m| trimmed.starts_with(m))
        || trimmed == "-";
    if starts_block {
        out.push('\\');
    }
    escape_chars(text, false, out);
}

/// Escapes, anywhere in `text`: `\`, `` ` ``, `*`, `<`; `_` unless inside a
/// word (CommonMark leaves `snake_case` alone); `[` only when the text holds
/// `](`, `][` or `]:`, the only ways brackets become links; `|` in cells.
fn escape_chars(text: &str, cell: bool, out: &mut String) {
    let links = text.contains("](") || text.contains("][") || text.contains("]:");
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let escape = match c {
            '\\' | '`' | '*' | '<' => true,
            '_' => {
                let inside = prev.is_some_and(char::is_alphanumeric)
                    && chars.peek().is_some_and(|n| n.is_alphanumeric());
                !inside
            }
            '[' => links,
            '|' => cell,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
}

/// `text` as Markdown, its `links` (found in order by their anchor text; one
/// not found is left as text) written `[anchor](href)`.
fn inline(text: &str, links: &[Link], out: &mut String) {
    let mut rest = text;
    let mut first = true;
    for link in links {
        let Some(at) = rest.find(link.text.as_str()) else {
            continue;
        };
        let (before, after) = rest.split_at(at);
        if first {
            escape_inline(before, out);
        } else {
            escape_chars(before, false, out);
        }
        first = false;
        target(&link.text, &link.href, out);
        rest = &after[link.text.len()..];
    }
    if first {
        escape_inline(rest, out);
    } else {
        escape_chars(rest, false, out);
    }
}

/// `[text](href)`, the text's brackets and emphasis escaped, the target's
/// parentheses escaped and spaces encoded.
fn target(text: &str, href: &str, out: &mut String) {
    out.push('[');
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '<' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("](");
    for c in href.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' ' => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out.push(')');
}

/// A block's images in Markdown, `![alt](src)` each: inline after a list
/// item's text (so the list goes on), else as a paragraph of their own
/// after the block.
fn images_md(images: &[Image], inline: bool, out: &mut String) {
    for image in images {
        out.push_str(if inline { " " } else { "\n\n" });
        out.push('!');
        target(&image.alt, &image.src, out);
    }
}

/// A block's images as `<img>` elements, one after another.
fn images_html(images: &[Image], out: &mut String) {
    for image in images {
        out.push_str("<img src=\"");
        escape_html(&image.src, out);
        out.push_str("\" alt=\"");
        escape_html(&image.alt, out);
        out.push_str("\">");
    }
}

/// `text` as HTML, its `links` (found in order by their anchor text) as `<a href>`.
fn inline_html(text: &str, links: &[Link], out: &mut String) {
    let mut rest = text;
    for link in links {
        let Some(at) = rest.find(link.text.as_str()) else {
            continue;
        };
        let (before, after) = rest.split_at(at);
        escape_html(before, out);
        out.push_str("<a href=\"");
        escape_html(&link.href, out);
        out.push_str("\">");
        escape_html(&link.text, out);
        out.push_str("</a>");
        rest = &after[link.text.len()..];
    }
    escape_html(rest, out);
}

/// The cells of a table row (tab-separated in the block).
fn cells(b: &Block) -> Vec<&str> {
    b.text.split('\t').map(str::trim).collect()
}

/// Markdown of `blocks`, ending in one newline (empty for no blocks).
pub fn markdown(blocks: &[Block]) -> String {
    let mut out = String::with_capacity(blocks.iter().map(|b| b.text.len() + 4).sum());
    let mut prev: Option<&Block> = None;
    let mut item_depth = 0u8;
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        if b.text.is_empty() {
            i += 1;
            continue;
        }
        if let Some(p) = prev {
            if !continues(p, b) {
                out.push('\n');
            }
        }
        match b.kind {
            BlockKind::Heading(level) => {
                for _ in 0..level.clamp(1, 6) {
                    out.push('#');
                }
                out.push(' ');
                inline(&b.text, &b.links, &mut out);
            }
            BlockKind::Paragraph => inline(&b.text, &b.links, &mut out),
            BlockKind::ListItem => {
                // Four spaces a level: past the content column of a parent
                // `- ` or `10. ` item, short of an indented code block. An
                // item never sits deeper than one below the item before it.
                let parent = prev.filter(|p| p.kind == BlockKind::ListItem && p.list == b.list);
                let depth = match parent {
                    Some(_) => b.depth.min(item_depth.saturating_add(1)),
                    None => 0,
                };
                item_depth = depth;
                for _ in 0..depth {
                    out.push_str("    ");
                }
                match ordered_item(&b.text) {
                    Some(rest) => {
                        out.push_str(&b.text[..b.text.len() - rest.len()]);
                        inline(rest, &b.links, &mut out);
                    }
                    None => {
                        out.push_str("- ");
                        inline(&b.text, &b.links, &mut out);
                    }
                }
            }
            BlockKind::Quote => {
                out.push_str("> ");
                inline(&b.text, &b.links, &mut out);
            }
            BlockKind::Code => {
                let longest = longest_run(&b.text, '`');
                let fence = "`".repeat(longest.max(2) + 1);
                out.push_str(&fence);
                out.push('\n');
                out.push_str(&b.text);
                out.push('\n');
                out.push_str(&fence);
            }
            BlockKind::TableRow => {
                // A run of rows is one table; its first row is the header.
                let start = i;
                while i + 1 < blocks.len() && blocks[i + 1].kind == BlockKind::TableRow {
                    i += 1;
                }
                table(&blocks[start..=i], &mut out);
                for row in &blocks[start..=i] {
                    images_md(&row.images, false, &mut out);
                }
                prev = Some(&blocks[i]);
                out.push('\n');
                i += 1;
                continue;
            }
        }
        images_md(&b.images, b.kind == BlockKind::ListItem, &mut out);
        out.push('\n');
        prev = Some(b);
        i += 1;
    }
    out
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// A GitHub table of `rows` (every row padded to the widest), no final newline.
fn table(rows: &[Block], out: &mut String) {
    let rows: Vec<Vec<&str>> = rows.iter().map(cells).collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push('|');
        for k in 0..width {
            out.push(' ');
            escape_cell(row.get(k).copied().unwrap_or(""), out);
            out.push_str(" |");
        }
        if n == 0 {
            out.push_str("\n|");
            for _ in 0..width {
                out.push_str(" --- |");
            }
        }
    }
}

/// A table cell's text: inline escapes, nothing that would start a block.
fn escape_cell(text: &str, out: &mut String) {
    escape_chars(text, true, out);
}

/// `text` with `&`, `<`, `>` and `"` as entities.
fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// A small HTML5 document of `article`: its title and language in the head,
/// its blocks in an `<article>`; ends in a newline.
pub fn html(article: &Article) -> String {
    let blocks = &article.blocks;
    let mut out =
        String::with_capacity(blocks.iter().map(|b| b.text.len() + 16).sum::<usize>() + 128);
    out.push_str("<!DOCTYPE html>\n<html");
    if let Some(lang) = &article.meta.lang {
        out.push_str(" lang=\"");
        escape_html(lang, &mut out);
        out.push('"');
    }
    out.push_str(">\n<head>\n<meta charset=\"utf-8\">\n");
    if let Some(title) = &article.meta.title {
        out.push_str("<title>");
        escape_html(title, &mut out);
        out.push_str("</title>\n");
    }
    out.push_str("</head>\n<body>\n<article>\n");
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        if b.text.is_empty() {
            i += 1;
            continue;
        }
        match b.kind {
            BlockKind::Heading(level) => {
                let level = level.clamp(1, 6);
                let _ = write!(out, "<h{level}>");
                inline_html(&b.text, &b.links, &mut out);
                let _ = writeln!(out, "</h{level}>");
                figure(&b.images, &mut out);
            }
            BlockKind::Paragraph => {
                element("p", &b.text, &b.links, &[], &mut out);
                figure(&b.images, &mut out);
            }
            BlockKind::Quote => {
                element("blockquote", &b.text, &b.links, &[], &mut out);
                figure(&b.images, &mut out);
            }
            BlockKind::Code => {
                out.push_str("<pre><code>");
                escape_html(&b.text, &mut out);
                out.push_str("</code></pre>\n");
                figure(&b.images, &mut out);
            }
            BlockKind::ListItem => {
                let start = i;
                while i + 1 < blocks.len() && continues(&blocks[i], &blocks[i + 1]) {
                    i += 1;
                }
                let items = &blocks[start..=i];
                let ordered = items.iter().all(|b| ordered_item(&b.text).is_some());
                let tag = if ordered { "ol" } else { "ul" };
                let _ = writeln!(out, "<{tag}>");
                for item in items {
                    let text = if ordered {
                        ordered_item(&item.text).unwrap_or(&item.text)
                    } else {
                        &item.text
                    };
                    element("li", text, &item.links, &item.images, &mut out);
                }
                let _ = writeln!(out, "</{tag}>");
            }
            BlockKind::TableRow => {
                out.push_str("<table>\n");
                let start = i;
                while i < blocks.len() && blocks[i].kind == BlockKind::TableRow {
                    out.push_str("<tr>");
                    for cell in cells(&blocks[i]) {
                        out.push_str("<td>");
                        escape_html(cell, &mut out);
                        out.push_str("</td>");
                    }
                    out.push_str("</tr>\n");
                    i += 1;
                }
                out.push_str("</table>\n");
                for row in &blocks[start..i] {
                    figure(&row.images, &mut out);
                }
                continue;
            }
        }
        i += 1;
    }
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

/// `<tag>text</tag>` (with its links, then its `images` inline) and a newline.
fn element(tag: &str, text: &str, links: &[Link], images: &[Image], out: &mut String) {
    let _ = write!(out, "<{tag}>");
    inline_html(text, links, out);
    if !images.is_empty() {
        out.push(' ');
        images_html(images, out);
    }
    let _ = writeln!(out, "</{tag}>");
}

/// A block's images as a paragraph of their own after it (nothing for none).
fn figure(images: &[Image], out: &mut String) {
    if !images.is_empty() {
        out.push_str("<p>");
        images_html(images, out);
        out.push_str("</p>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(kind: BlockKind, text: &str, list: u32) -> Block {
        let mut b = Block::new(kind, text);
        b.list = Some(list);
        b
    }

    fn sample() -> Vec<Block> {
        vec![
            Block::new(BlockKind::Heading(1), "A title"),
            Block::new(BlockKind::Paragraph, "Some *text* with <b> and 3 > 2."),
            list(BlockKind::ListItem, "first", 1),
            list(BlockKind::ListItem, "second", 1),
            list(BlockKind::ListItem, "1. one", 2),
            list(BlockKind::ListItem, "2. two", 2),
            Block::new(BlockKind::Quote, "Quoted."),
            Block::new(BlockKind::Code, "fn main() {\n    println!(\"```\");\n}"),
            Block::new(BlockKind::TableRow, "Name\tAge"),
            Block::new(BlockKind::TableRow, "Ann|B\t30\textra"),
            Block::new(BlockKind::Paragraph, "# not a heading"),
        ]
    }

    #[test]
    fn markdown_keeps_structure_and_escapes_text() {
        let md = markdown(&sample());
        let want = "# A title\n\
                    \n\
                    Some \\*text\\* with \\<b> and 3 > 2.\n\
                    \n\
                    - first\n\
                    - second\n\
                    \n\
                    1. one\n\
                    2. two\n\
                    \n\
                    > Quoted.\n\
                    \n\
                    ````\nfn main() {\n    println!(\"```\");\n}\n````\n\
                    \n\
                    | Name | Age |  |\n\
                    | --- | --- | --- |\n\
                    | Ann\\|B | 30 | extra |\n\
                    \n\
                    \\# not a heading\n";
        assert_eq!(md, want);
    }

    #[test]
    fn nested_items_are_indented_one_level_at_a_time() {
        let item = |text: &str, depth: u8| {
            let mut b = list(BlockKind::ListItem, text, 1);
            b.depth = depth;
            b
        };
        let md = markdown(&[
            item("top", 0),
            item("1. child", 1),
            item("grandchild", 2),
            item("back", 0),
            // a list opened inside a list with no item of its own between
            item("too deep", 3),
        ]);
        assert_eq!(
            md,
            "- top\n    1. child\n        - grandchild\n- back\n    - too deep\n"
        );
        let alone = markdown(&[item("first of its list", 2)]);
        assert_eq!(alone, "- first of its list\n");
    }

    fn linked(text: &str, links: &[(&str, &str)]) -> Block {
        let mut b = Block::new(BlockKind::Paragraph, text);
        b.links = links
            .iter()
            .map(|(t, h)| Link {
                text: (*t).to_owned(),
                href: (*h).to_owned(),
            })
            .collect();
        b
    }

    #[test]
    fn links_are_written_inline_in_order() {
        let b = linked(
            "See the report and the [draft] report (PDF).",
            &[
                ("report", "https://x.example/r(1)"),
                ("missing", "https://x.example/gone"),
                ("[draft] report", "https://x.example/d a"),
            ],
        );
        assert_eq!(
            markdown(std::slice::from_ref(&b)),
            "See the [report](https://x.example/r\\(1\\)) and the \
             [\\[draft\\] report](https://x.example/d%20a) (PDF).\n"
        );
        let a = Article {
            blocks: vec![b],
            ..Article::default()
        };
        assert!(html(&a).contains(
            "<p>See the <a href=\"https://x.example/r(1)\">report</a> and the \
             <a href=\"https://x.example/d a\">[draft] report</a> (PDF).</p>"
        ));
    }

    #[test]
    fn a_link_at_the_start_is_not_escaped_as_a_list() {
        let b = linked("- not a list", &[("not", "/n")]);
        assert_eq!(markdown(&[b]), "\\- [not](/n) a list\n");
    }

    #[test]
    fn markdown_of_nothing_is_empty() {
        assert_eq!(markdown(&[]), "");
        assert_eq!(markdown(&[Block::new(BlockKind::Paragraph, "")]), "");
    }

    #[test]
    fn list_markers_in_running_text_are_escaped() {
        let md = markdown(&[
            Block::new(BlockKind::Paragraph, "- dash"),
            Block::new(BlockKind::Paragraph, "12. twelve"),
            Block::new(BlockKind::Paragraph, "3) three"),
            Block::new(BlockKind::Paragraph, "2026 was a year"),
        ]);
        assert_eq!(
            md,
            "\\- dash\n\n12\\. twelve\n\n3\\) three\n\n2026 was a year\n"
        );
    }

    #[test]
    fn html_is_a_document_of_the_blocks() {
        let mut a = Article::default();
        a.meta.title = Some("T & U".into());
        a.meta.lang = Some("en".into());
        a.blocks = sample();
        let h = html(&a);
        assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"));
        assert!(h.contains("<title>T &amp; U</title>"));
        assert!(h.contains("<p>Some *text* with &lt;b&gt; and 3 &gt; 2.</p>\n"));
        assert!(h.contains("<ul>\n<li>first</li>\n<li>second</li>\n</ul>\n"));
        assert!(h.contains("<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"));
        assert!(h.contains("<tr><td>Ann|B</td><td>30</td><td>extra</td></tr>\n"));
        assert!(
            h.contains("<pre><code>fn main() {\n    println!(&quot;```&quot;);\n}</code></pre>")
        );
        assert!(h.ends_with("</article>\n</body>\n</html>\n"));
    }

    #[test]
    fn text_form_is_the_plain_text() {
        let a = Article {
            blocks: sample(),
            ..Article::default()
        };
        assert_eq!(Form::Text.render(&a), a.text());
        assert_eq!(Form::Markdown.extension(), "md");
    }
}
