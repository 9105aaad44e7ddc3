//! What HTML elements are, for the walk: which start a block, which are inline
//! words of the text around them, which may be the article's container, which
//! are hidden; how much text a string weighs; which class words describe a
//! state rather than a part; which `<a>` is a link.

/// Elements that start a new block of text.
pub(super) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "ul"
            | "caption"
            | "html"
            | "legend"
            | "option"
            | "frameset"
            | "frame"
    )
}

/// Inline (phrasing) elements that carry words of the surrounding text.
pub(super) fn is_phrasing(name: &str) -> bool {
    matches!(
        name,
        "span"
            | "a"
            | "b"
            | "i"
            | "em"
            | "strong"
            | "small"
            | "time"
            | "font"
            | "abbr"
            | "cite"
            | "q"
            | "mark"
            | "u"
            | "s"
            | "sub"
            | "sup"
            | "code"
            | "kbd"
            | "var"
            | "bdi"
            | "bdo"
    )
}

/// Elements whose content is one run of text: a paragraph, item, heading or cell.
pub(super) fn is_text_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "dd"
            | "dt"
            | "pre"
            | "blockquote"
            | "td"
            | "th"
            | "caption"
            | "address"
    )
}

/// Elements that may be chosen as the article container.
pub(super) fn is_container(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "section"
            | "article"
            | "main"
            | "body"
            | "td"
            | "th"
            | "center"
            | "form"
            | "blockquote"
            | "dd"
            | "font"
            | "span"
    ) || name.contains('-')
}

/// Most characters an initial letter's element may hold: the letter and an
/// opening quote before it.
const INITIAL_MAX_CHARS: usize = 2;

/// Whether an element is an initial letter (a drop cap, `<span
/// class="dropcap" aria-hidden="true">T</span>he`): its text is one capital
/// letter, after an opening quote at most, and the text right after it goes
/// on with a lower-case letter, the rest of the word. Its letter is part of
/// the text even when the element is hidden from screen readers or classed
/// as decoration; without it the first word loses its first letter.
pub(super) fn is_initial_letter(n: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    let mut text = String::new();
    for d in n.descendants() {
        if let scraper::Node::Text(t) = d.value() {
            text.push_str(t);
            if text.chars().count() > INITIAL_MAX_CHARS + 2 {
                return false;
            }
        }
    }
    is_initial(text.trim()) && continues_word(n)
}

/// The `alt` letter of an image that is an initial letter (`<img
/// alt="O">ne resident said`), as [`is_initial_letter`] reads a drop cap.
pub(super) fn initial_alt(n: ego_tree::NodeRef<'_, scraper::Node>) -> Option<&str> {
    let alt = n.value().as_element()?.attr("alt")?.trim();
    (is_initial(alt) && continues_word(n)).then_some(alt)
}

/// One capital letter, after an opening quote at most.
fn is_initial(s: &str) -> bool {
    let mut chars = s.chars().rev();
    let (Some(letter), rest) = (chars.next(), chars.collect::<String>()) else {
        return false;
    };
    letter.is_uppercase()
        && rest.chars().count() < INITIAL_MAX_CHARS
        && rest
            .chars()
            .all(|c| matches!(c, '"' | '\'' | '“' | '‘' | '«' | '„'))
}

/// Whether the first text after a node (in document order, outside it) starts
/// with a lower-case letter, glued to the node.
fn continues_word(n: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    let mut at = Some(n);
    while let Some(node) = at {
        if let Some(next) = node.next_sibling() {
            for d in next.descendants() {
                match d.value() {
                    scraper::Node::Text(t) if !t.is_empty() => {
                        return t.chars().next().is_some_and(char::is_lowercase);
                    }
                    scraper::Node::Element(e) if is_block(e.name()) || e.name() == "br" => {
                        return false;
                    }
                    _ => {}
                }
            }
            at = Some(next);
        } else {
            at = node
                .parent()
                .filter(|p| p.value().as_element().is_some_and(|e| !is_block(e.name())));
        }
    }
    false
}

pub(super) fn is_hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() || e.attr("aria-hidden").is_some_and(|v| v == "true") {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Counts characters, CJK (and other wide scripts) double: one such character
/// carries about as much text as two Latin letters.
pub(super) fn weight(s: &str) -> usize {
    s.chars()
        .map(|ch| match ch as u32 {
            0x1100..=0x11FF
            | 0x2E80..=0x9FFF
            | 0xAC00..=0xD7AF
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFFEF => 2,
            _ => 1,
        })
        .sum()
}

/// Class words that describe a state or a layout rather than name a part:
/// `no-caption`, `has-sidebar`, `with-comments`, `without-ads`. An element
/// classed `no_caption` is not a caption; a wrapper classed `has-sidebar` is
/// not the sidebar.
pub(super) fn without_state_words(hay: &str) -> String {
    const STATE_PREFIXES: &[&str] = &[
        "no-", "no_", "has-", "has_", "with-", "with_", "without-", "without_",
    ];
    hay.split_whitespace()
        .filter(|w| !STATE_PREFIXES.iter().any(|p| w.starts_with(p)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether an `<a>` is a link: one without an `href` (a placeholder, an
/// accordion's toggle with `role="button"`, a named anchor) or whose `href`
/// is a `javascript:` that does nothing (`javascript:`, `javascript:void(0)`,
/// `javascript:;`) only wraps text, and that text counts as plain text.
pub(super) fn is_link(e: &scraper::node::Element) -> bool {
    let Some(h) = e.attr("href") else {
        return false;
    };
    let h = h.trim();
    let Some(code) = h
        .get(..11)
        .filter(|p| p.eq_ignore_ascii_case("javascript:"))
        .map(|_| h[11..].trim())
    else {
        return true;
    };
    !matches!(code, "" | ";" | "void(0)" | "void(0);" | "void 0" | "//")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `test` on the first `name` element of the fragment `html`.
    fn on_first(
        html: &str,
        name: &str,
        test: impl Fn(ego_tree::NodeRef<'_, scraper::Node>) -> bool,
    ) -> bool {
        let doc = scraper::Html::parse_fragment(html);
        let node = doc
            .tree
            .root()
            .descendants()
            .find(|n| n.value().as_element().is_some_and(|e| e.name() == name))
            .unwrap();
        test(node)
    }

    fn first_span(html: &str) -> bool {
        on_first(html, "span", is_initial_letter)
    }

    fn first_a_is_link(html: &str) -> bool {
        on_first(html, "a", |n| n.value().as_element().is_some_and(is_link))
    }

    #[test]
    fn links_need_a_target() {
        assert!(first_a_is_link(r#"<a href="/story">Story</a>"#));
        assert!(first_a_is_link(
            r#"<a href="javascript:openMenu()">Menu</a>"#
        ));
        assert!(!first_a_is_link(
            r#"<a role="button" aria-controls="p1">Step 1</a>"#
        ));
        assert!(!first_a_is_link(r#"<a name="top">Top</a>"#));
        assert!(!first_a_is_link(
            r#"<a href="javascript:void(0)">Step 1</a>"#
        ));
    }

    #[test]
    fn initial_letters() {
        assert!(is_initial("T") && is_initial("“T") && is_initial("É"));
        assert!(!is_initial("t") && !is_initial("Th") && !is_initial("★") && !is_initial(""));
        assert!(first_span("<p><span>T</span>he council</p>"));
        assert!(first_span("<p><b><span>M</span></b>embers</p>"));
        // Not glued to a lower-case rest of the word.
        assert!(!first_span("<p><span>T</span> he council</p>"));
        assert!(!first_span(
            "<p><span>S</span><span>Some</span> councillors</p>"
        ));
        assert!(!first_span("<p><span>A</span></p><p>nother paragraph</p>"));
        assert!(!first_span("<p><span>Tip</span>s and tricks</p>"));
    }
}
