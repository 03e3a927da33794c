//! A document whose parse passed its deadline: its edited tree for a provisional check, and a
//! reparse finished away from it (on another thread) and installed if no change came meanwhile.

use std::time::Instant;

use ropey::Rope;
use tree_sitter::Tree;

use super::Document;
use crate::{Lang, ParseError, parse::parse_rope};

/// A reparse that passed its deadline, to finish elsewhere: the text, and the tree to reuse.
#[derive(Debug, Clone)]
pub struct PendingParse {
    lang: Lang,
    version: i32,
    rope: Rope,
    /// The previous tree edited to match `rope`, when every edit was described to it.
    edited: Option<Tree>,
}

impl PendingParse {
    /// The version this parse is for.
    pub fn version(&self) -> i32 {
        self.version
    }

    /// Parse, reusing the edited tree if there is one, giving up at `deadline`.
    pub fn run(&self, deadline: Option<Instant>) -> Result<Tree, ParseError> {
        parse_rope(self.lang, &self.rope, self.edited.as_ref(), deadline)
    }
}

impl Document {
    /// While the tree is stale: the previous tree, edited to match the text. Its nodes outside
    /// the edits are where they now are; those inside are out of date. `None` when it is not
    /// stale, or when an edit could not be described to it (a full change).
    pub fn edited_tree(&self) -> Option<&Tree> {
        self.stale
            .as_ref()
            .filter(|s| s.tree_edited)
            .map(|_| &self.tree)
    }

    /// The reparse to finish while the tree is stale (O(1) clones of the rope and tree).
    pub fn pending(&self) -> Option<PendingParse> {
        let stale = self.stale.as_ref()?;
        Some(PendingParse {
            lang: self.lang,
            version: self.version,
            rope: self.rope.clone(),
            edited: stale.tree_edited.then(|| self.tree.clone()),
        })
    }

    /// Install the tree `parse` produced, if the document is still at its version and stale.
    /// Returns whether it was installed.
    pub fn finish(&mut self, parse: &PendingParse, tree: Tree) -> bool {
        if self.version != parse.version || self.stale.is_none() {
            return false;
        }
        self.tree = tree;
        self.stale = None;
        true
    }
}
