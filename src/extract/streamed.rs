//! Content streamed out of order: put it where the page's script would.
//!
//! Streaming server rendering (React 18's `renderToPipeableStream`, used by
//! Next.js and others) sends a page's slow parts after the rest: where a part
//! belongs it writes a placeholder `<template id="B:n">` (inside a boundary of
//! comments `<!--$?-->` … `<!--/$-->` that also holds a fallback such as
//! "Loading…"), and at the end of the document the part itself in
//! `<div hidden id="S:n">`, with a script that swaps one for the other. A
//! reader without scripts sees the fallback where the text should be and the
//! text hidden at the bottom; on such pages the article is split into pieces,
//! most of them hidden. This pass does the swap on the parsed tree: each
//! hidden segment's children move to its placeholder, and the fallback
//! between the placeholder and the boundary's end goes.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{Html, Node};

/// Moves every streamed segment to its placeholder; returns how many moved.
pub(super) fn place(doc: &mut Html) -> usize {
    let mut placeholders: HashMap<String, NodeId> = HashMap::new();
    let mut segments: Vec<(String, NodeId)> = Vec::new();
    for n in doc.tree.nodes() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        match (e.name(), e.attr("id")) {
            ("template", Some(id)) => {
                if let Some(key) = id.strip_prefix("B:") {
                    placeholders.insert(key.to_owned(), n.id());
                }
            }
            ("div", Some(id)) if e.attr("hidden").is_some() => {
                if let Some(key) = id.strip_prefix("S:") {
                    segments.push((key.to_owned(), n.id()));
                }
            }
            _ => {}
        }
    }
    let moves: Vec<(NodeId, NodeId)> = segments
        .into_iter()
        .filter_map(|(key, seg)| placeholders.get(&key).map(|&at| (seg, at)))
        .filter(|&(seg, at)| {
            // Never move a segment into itself (a placeholder inside its own
            // segment is malformed; leave it as written).
            doc.tree
                .get(at)
                .is_some_and(|a| a.ancestors().all(|p| p.id() != seg))
        })
        .collect();
    for &(seg, at) in &moves {
        drop_fallback(doc, at);
        let children: Vec<NodeId> = doc
            .tree
            .get(seg)
            .map(|s| s.children().map(|c| c.id()).collect())
            .unwrap_or_default();
        for child in children {
            if let Some(mut place) = doc.tree.get_mut(at) {
                place.insert_id_before(child);
            }
        }
    }
    moves.len()
}

/// Whether `n` is the comment `text`, as React's boundary markers are written.
fn is_comment(doc: &Html, n: NodeId, text: &str) -> bool {
    doc.tree
        .get(n)
        .is_some_and(|n| matches!(n.value(), Node::Comment(c) if &**c == text))
}

/// Detaches the fallback after placeholder `at`: its siblings up to the
/// boundary's closing `<!--/$-->`, when the placeholder opens a boundary
/// (`<!--$?-->` right before it) and that closing comment is there.
fn drop_fallback(doc: &mut Html, at: NodeId) {
    let Some(place) = doc.tree.get(at) else {
        return;
    };
    if !place
        .prev_sibling()
        .is_some_and(|p| is_comment(doc, p.id(), "$?"))
    {
        return;
    }
    let mut fallback = Vec::new();
    let mut next = place.next_sibling();
    while let Some(n) = next {
        if is_comment(doc, n.id(), "/$") {
            for id in fallback {
                if let Some(mut f) = doc.tree.get_mut(id) {
                    f.detach();
                }
            }
            return;
        }
        fallback.push(n.id());
        next = n.next_sibling();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(doc: &Html) -> String {
        doc.root_element()
            .text()
            .filter(|t| !t.trim().is_empty())
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn segments_move_to_their_placeholders_and_fallbacks_go() {
        let mut doc = Html::parse_document(
            r#"<body><main><p>One</p><!--$?--><template id="B:0"></template><div>Loading…</div><!--/$--><p>Three</p></main>
            <div hidden id="S:0"><p>Two</p><p>Two more</p></div><script>$RC("B:0","S:0")</script></body>"#,
        );
        assert_eq!(place(&mut doc), 1);
        let t = text(&doc);
        assert!(t.starts_with("One|Two|Two more|Three"), "{t}");
        assert!(!t.contains("Loading"), "{t}");
    }

    #[test]
    fn pages_without_streaming_are_left_alone() {
        let src = r#"<body><template id="B:0"></template><div hidden id="x"><p>Menu</p></div><div hidden id="S:9"><p>Orphan</p></div></body>"#;
        let mut doc = Html::parse_document(src);
        assert_eq!(place(&mut doc), 0);
        assert_eq!(text(&doc), text(&Html::parse_document(src)));
    }
}
