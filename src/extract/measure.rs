//! The measuring pass before the walk: how much text, and how much `<p>`
//! prose, sits under each element.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{Html, Node};

use super::Compiled;
use crate::budget::Budget;

/// Node ids are small integers: a multiplicative hash is all they need, and
/// the default SipHash showed up in profiles of the measuring pass.
#[derive(Default, Clone, Copy)]
pub(super) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = crate::text::fnv1a(self.0, bytes);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// How much text sits under one element.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Size {
    /// Characters of text (whitespace and dropped elements excluded).
    pub(super) chars: u32,
    /// Of those, characters inside `<p>` elements: running prose.
    pub(super) para: u32,
}

/// Text under each element, by node.
pub(super) type Sizes = HashMap<NodeId, Size, std::hash::BuildHasherDefault<IdHasher>>;

/// Characters of text under each element (whitespace excluded, dropped tags excluded).
pub(super) fn measure(doc: &Html, c: &Compiled, budget: &Budget) -> Sizes {
    let mut sizes = Sizes::with_capacity_and_hasher(doc.tree.nodes().len(), Default::default());
    let mut stack: Vec<Size> = vec![Size::default()];
    let mut skip: Option<NodeId> = None;
    for edge in doc.tree.root().traverse() {
        if budget.tick() {
            break;
        }
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Element(e) => {
                        if c.drop_tags.contains(e.name()) {
                            skip = Some(n.id());
                        } else {
                            stack.push(Size::default());
                        }
                    }
                    Node::Text(t) => {
                        let k = t.chars().filter(|ch| !ch.is_whitespace()).count() as u32;
                        if let Some(top) = stack.last_mut() {
                            top.chars += k;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    if skip == Some(n.id()) {
                        skip = None;
                        continue;
                    }
                    if skip.is_some() {
                        continue;
                    }
                    let mut mine = stack.pop().unwrap_or_default();
                    if e.name() == "p" {
                        mine.para = mine.chars;
                    }
                    sizes.insert(n.id(), mine);
                    if let Some(top) = stack.last_mut() {
                        top.chars += mine.chars;
                        top.para += mine.para;
                    }
                }
            }
        }
    }
    sizes
}
