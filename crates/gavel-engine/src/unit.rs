//! Source units: the file itself, plus one re-parsed unit per Rust macro invocation whose
//! arguments tree-sitter left as a token tree. Matchers see every unit; positions are mapped back
//! to the file by each unit's byte delta.

use std::{borrow::Cow, ops::Range};

use gavel_syntax::{
    Lang, parse,
    tree_sitter::{Node, Tree},
};

/// A parsed piece of source: the file, or the arguments of a macro wrapped to parse as Rust.
pub(crate) struct Unit<'a> {
    pub lang: Lang,
    pub text: Cow<'a, str>,
    pub tree: Cow<'a, Tree>,
    /// Add to a byte offset in `text` to get the offset in the file.
    pub delta: isize,
    /// 0 for the file itself.
    pub depth: u32,
    /// The part of `text` that comes from the file (the rest is the wrapper).
    pub inner: Range<usize>,
}

impl<'a> Unit<'a> {
    pub fn file(lang: Lang, text: &'a str, tree: &'a Tree) -> Unit<'a> {
        Unit {
            lang,
            text: Cow::Borrowed(text),
            tree: Cow::Borrowed(tree),
            delta: 0,
            depth: 0,
            inner: 0..text.len(),
        }
    }

    pub fn is_file(&self) -> bool {
        self.depth == 0
    }

    /// Does `node` come from the file, not from a wrapper?
    pub fn owns(&self, node: Node<'_>) -> bool {
        let r = node.byte_range();
        r.start >= self.inner.start && r.end <= self.inner.end
    }
}

/// A node together with the unit it belongs to.
#[derive(Clone, Copy)]
pub(crate) struct SNode<'a> {
    pub node: Node<'a>,
    pub unit: &'a Unit<'a>,
}

impl<'a> SNode<'a> {
    pub fn new(node: Node<'a>, unit: &'a Unit<'a>) -> SNode<'a> {
        SNode { node, unit }
    }

    /// The range in the file.
    pub fn range(&self) -> Range<usize> {
        let r = self.node.byte_range();
        self.map(r.start)..self.map(r.end)
    }

    fn map(&self, b: usize) -> usize {
        (b as isize + self.unit.delta).max(0) as usize
    }

    pub fn text(&self) -> &'a str {
        &self.unit.text[self.node.byte_range()]
    }

    pub fn kind(&self) -> &'a str {
        self.node.kind()
    }

    pub fn field(&self, name: &str) -> Option<SNode<'a>> {
        let id = self.unit.lang.field_id(name)?;
        self.node.child_by_field_id(id.get()).map(|n| self.with(n))
    }

    pub fn with(&self, node: Node<'a>) -> SNode<'a> {
        SNode {
            node,
            unit: self.unit,
        }
    }

    pub fn parent(&self) -> Option<SNode<'a>> {
        self.node.parent().map(|n| self.with(n))
    }

    pub fn named_children(&self) -> Vec<SNode<'a>> {
        let mut cursor = self.node.walk();
        self.node
            .named_children(&mut cursor)
            .map(|n| self.with(n))
            .collect()
    }

    pub fn children(&self) -> Vec<SNode<'a>> {
        let mut cursor = self.node.walk();
        self.node
            .children(&mut cursor)
            .map(|n| self.with(n))
            .collect()
    }
}

/// Wrappers that make a macro's arguments parse as Rust: an expression in parentheses, an
/// array, a block. Each is (prefix, suffix).
const PAREN: (&str, &str) = ("fn __gavel__(){(", ");}");
const BRACKET: (&str, &str) = ("fn __gavel__(){[", "];}");
const BLOCK: (&str, &str) = ("fn __gavel__(){", "\n}");

/// The wrappers to try, in order, by the macro's delimiter: `name!{ .. }` mostly holds items
/// or statements, `name![ .. ]` a list. The first without a syntax error wins, else the block
/// (the last tried, or the first for braces). Trying a block first for braces matters: the
/// parse of a long body as an expression fails only after error recovery, which costs several
/// times a clean parse.
///
/// The others are tried only when they could read `inner` differently: a block or an array
/// (`[x; n]`) where an expression list failed only if it holds a `;` or a `{` (statements,
/// items); an expression list where a block failed only if it holds a `,`. Otherwise every
/// wrapper fails at the same token (`Foo: Send`, `#x`), each failure costs a parse with error
/// recovery, and the first parse, errors and all, is the unit.
fn wrappers(delimiter: u8, inner: &str) -> &'static [(&'static str, &'static str)] {
    let others = match delimiter {
        b'{' => inner.contains(','),
        _ => inner.contains(';') || inner.contains('{'),
    };
    match (delimiter, others) {
        (b'{', true) => &[BLOCK, PAREN, BRACKET],
        (b'{', false) => &[BLOCK],
        (b'[', true) => &[BRACKET, PAREN, BLOCK],
        (b'[', false) => &[BRACKET],
        (_, true) => &[PAREN, BRACKET, BLOCK],
        (_, false) => &[PAREN],
    }
}

/// Macros nested deeper than this inside macro arguments are not parsed again: their calls are
/// not seen. Real code nests three or four (`assert_eq!(format!(..), vec![..])`).
pub(crate) const MAX_MACRO_DEPTH: u32 = 8;

/// Parse the arguments of a macro invocation as Rust, if they could hold a call or a path.
pub(crate) fn expand_macro(mac: SNode<'_>) -> Option<Unit<'static>> {
    // Each level of nesting parses the text of the levels inside it again: past this depth the
    // cost would grow with the square of the text (2,000 nested `vec![` took 35 s and 2.6 GB).
    if mac.unit.depth >= MAX_MACRO_DEPTH {
        return None;
    }
    let tt = mac
        .node
        .children(&mut mac.node.walk())
        .find(|c| c.kind() == "token_tree")?;
    let range = tt.byte_range();
    let bytes = mac.unit.text.as_bytes();
    if range.len() < 2 || !matches!(bytes[range.start], b'(' | b'[' | b'{') {
        return None;
    }
    // An unclosed token tree (`m!(a é` at the end of a broken file) ends without its closing
    // delimiter, maybe inside a multi-byte character: only a delimiter is cut off.
    let end = match bytes[range.end - 1] {
        b')' | b']' | b'}' => range.end - 1,
        _ => range.end,
    };
    let inner_range = range.start + 1..end;
    let inner = &mac.unit.text[inner_range.clone()];
    if !(inner.contains('(') || inner.contains("::") || inner.contains('!')) {
        return None;
    }
    let mut fallback = None;
    let wrappers = wrappers(mac.unit.text.as_bytes()[range.start], inner);
    for &(prefix, suffix) in wrappers {
        let text = format!("{prefix}{inner}{suffix}");
        let tree = parse(Lang::Rust, &text);
        let ok = !tree.root_node().has_error();
        let delta = mac.unit.delta + inner_range.start as isize - prefix.len() as isize;
        let inner = prefix.len()..prefix.len() + inner.len();
        let unit = Unit {
            lang: Lang::Rust,
            text: Cow::Owned(text),
            tree: Cow::Owned(tree),
            delta,
            depth: mac.unit.depth + 1,
            inner,
        };
        if ok {
            return Some(unit);
        }
        if prefix == BLOCK.0 || wrappers.len() == 1 {
            fallback = Some(unit);
        }
    }
    fallback
}
