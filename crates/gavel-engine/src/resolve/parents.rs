//! The parents of many nodes of one tree, found by one forward cursor walk. tree-sitter finds
//! a node's parent by walking down from the root over every earlier sibling, so asking for the
//! parent of each of a flat file's `use` items one by one costs the square of the file's size.

use gavel_syntax::tree_sitter::Node;

/// What a node's parent is, as the resolver needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParentOf {
    pub range: std::ops::Range<usize>,
    /// The parent is the root of its tree.
    pub is_root: bool,
}

/// The parent of each of `nodes` (of `root`'s tree, sorted by start, none inside another), in
/// their order; `None` for the root itself or a node not found under `root`.
pub(crate) fn parents_of(root: Node<'_>, nodes: &[Node<'_>]) -> Vec<Option<ParentOf>> {
    let mut cursor = root.walk();
    let mut out = Vec::with_capacity(nodes.len());
    for &target in nodes {
        out.push(seek(&mut cursor, target));
    }
    out
}

/// Move the cursor forward to `target` and say what its parent is. The cursor stays on the
/// target, so the next, later target is reached by going on from here.
fn seek(
    cursor: &mut gavel_syntax::tree_sitter::TreeCursor<'_>,
    target: Node<'_>,
) -> Option<ParentOf> {
    let contains =
        |n: Node<'_>| n.start_byte() <= target.start_byte() && target.end_byte() <= n.end_byte();
    loop {
        let node = cursor.node();
        if node.id() == target.id() {
            let mut up = cursor.clone();
            if !up.goto_parent() {
                return None;
            }
            let parent = up.node();
            return Some(ParentOf {
                range: parent.byte_range(),
                is_root: !up.goto_parent(),
            });
        }
        if !contains(node) && node.start_byte() > target.start_byte() {
            // Passed it: not in this tree. Later targets can still be found from here.
            return None;
        }
        if contains(node) && cursor.goto_first_child() {
            continue;
        }
        // Past this node: on to its next sibling, climbing out of lists that end before it.
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}
