//! Sets of node kinds by id, for walks that test the kind of every node: comparing a `u16` is
//! much cheaper than `Node::kind`, which validates the kind's name as UTF-8 on every call.

use gavel_syntax::{Lang, tree_sitter::Node};

/// Named node kinds, looked up by kind id. A name may have several ids in a grammar (aliases);
/// every one of them is in the set.
pub(crate) struct KindSet(Vec<bool>);

impl KindSet {
    pub fn new(lang: Lang, names: &[&str]) -> KindSet {
        let ts = lang.ts_language();
        let ids = (0..ts.node_kind_count() as u16)
            .map(|id| {
                ts.node_kind_is_named(id)
                    && ts.node_kind_for_id(id).is_some_and(|k| names.contains(&k))
            })
            .collect();
        KindSet(ids)
    }

    /// Is this a named node of one of the kinds?
    pub fn has(&self, node: Node<'_>) -> bool {
        node.is_named()
            && self
                .0
                .get(node.kind_id() as usize)
                .copied()
                .unwrap_or(false)
    }
}
