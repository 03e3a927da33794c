//! Gathering gavel's own facts with one cursor walk per unit.
//!
//! Each node's kind id is looked up in a table of the fact kinds it is. Python's local
//! definitions are told by their parent's (and grandparent's) kind and their field, which the
//! walk keeps on a stack. The same walk collects the nodes that pattern rules may match at, so
//! the pattern matcher does not walk the tree again. This replaces a tree-sitter query with the
//! same patterns, which ran a state machine at every node and cost about half a parse.
//!
//! The walk does not descend where no fact can be: into a Rust comment (its children are doc
//! markers), and into a Rust token tree (a macro's arguments, as tokens; a third of the nodes of
//! macro-heavy code) whose text holds no `/` (nor `"`, when string literals are wanted), when
//! the rules need no identifiers or tokens there. A token tree's facts are then its comments
//! and strings, and every comment writes a `/`, every string a `"`. The calls written in macro arguments are found in the
//! macro's own unit ([`crate::unit::expand_macro`]), not in its tokens.

use std::ops::Range;

use gavel_syntax::{
    Lang,
    tree_sitter::{Language, Node},
};

use crate::{
    facts::{FactKind, Facts},
    unit::{SNode, Unit},
};

/// The kinds each fact is made of, per language.
fn fact_kinds(lang: Lang) -> &'static [(FactKind, &'static [&'static str])] {
    use FactKind::*;
    match lang {
        Lang::Python => &[
            (Call, &["call"]),
            (
                Import,
                &[
                    "import_statement",
                    "import_from_statement",
                    "future_import_statement",
                ],
            ),
            (Comment, &["comment"]),
            (String, &["string"]),
            (Function, &["function_definition"]),
            (Reference, &["identifier", "attribute"]),
        ],
        Lang::Rust => &[
            (Call, &["call_expression"]),
            (Macro, &["macro_invocation"]),
            (Import, &["use_declaration", "extern_crate_declaration"]),
            (Comment, &["line_comment", "block_comment"]),
            (String, &["string_literal", "raw_string_literal"]),
            (Function, &["function_item"]),
            (Reference, &["identifier", "type_identifier"]),
            (
                QualifiedPath,
                &["scoped_identifier", "scoped_type_identifier"],
            ),
            (Attribute, &["attribute_item", "inner_attribute_item"]),
        ],
    }
}

/// What a node's kind means for telling Python's local definitions.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Role {
    #[default]
    Other,
    Identifier,
    Assignment,
    For,
    Class,
    Function,
    Parameters,
    DefaultParameter,
    TypedParameter,
    TypedDefaultParameter,
}

const PY_ROLES: &[(Role, &str)] = &[
    (Role::Identifier, "identifier"),
    (Role::Assignment, "assignment"),
    (Role::For, "for_statement"),
    (Role::Class, "class_definition"),
    (Role::Function, "function_definition"),
    (Role::Parameters, "parameters"),
    (Role::DefaultParameter, "default_parameter"),
    (Role::TypedParameter, "typed_parameter"),
    (Role::TypedDefaultParameter, "typed_default_parameter"),
];

/// The named kinds that can be in a Rust token tree, at any depth.
const TOKEN_TREE_KINDS: &[&str] = &[
    "token_tree",
    "identifier",
    "metavariable",
    "mutable_specifier",
    "self",
    "super",
    "crate",
    "primitive_type",
    "string_literal",
    "raw_string_literal",
    "string_content",
    "escape_sequence",
    "char_literal",
    "boolean_literal",
    "integer_literal",
    "float_literal",
    "line_comment",
    "block_comment",
    "doc_comment",
    "outer_doc_comment_marker",
    "inner_doc_comment_marker",
];

/// The named kinds that can be in a Rust comment.
const COMMENT_CHILD_KINDS: &[&str] = &[
    "doc_comment",
    "outer_doc_comment_marker",
    "inner_doc_comment_marker",
];

/// The named kinds that can be in a Rust string literal.
const STRING_CHILD_KINDS: &[&str] = &["string_content", "escape_sequence"];

/// The named kinds that can be in a Rust `use` or `extern crate` declaration.
const USE_TREE_KINDS: &[&str] = &[
    "identifier",
    "scoped_identifier",
    "use_list",
    "scoped_use_list",
    "use_as_clause",
    "use_wildcard",
    "self",
    "super",
    "crate",
    "metavariable",
    "visibility_modifier",
    "line_comment",
    "block_comment",
    "doc_comment",
    "outer_doc_comment_marker",
    "inner_doc_comment_marker",
];

/// Whether the walk descends into a node of a kind.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Descend {
    Always,
    Never,
    /// Only when the node's text holds a `"` or a `/`.
    IfQuoteOrSlash,
    /// Only when the node's text holds a `/`.
    IfSlash,
}

/// How to walk a language's trees for the facts a rule set needs.
pub(crate) struct WalkPlan {
    /// Per kind id: the fact kinds (bits of `1 << FactKind`) of a named node of that kind.
    kinds: Vec<u16>,
    /// Per kind id: its role, when Python's local definitions are gathered.
    roles: Option<Vec<Role>>,
    left: u16,
    name: u16,
    /// Per kind id: may a pattern rule match a node of this kind? `None`: no pattern rules;
    /// every entry true: a pattern that may match any kind.
    pattern_kinds: Option<Vec<bool>>,
    /// Per kind id: whether to descend.
    descend: Vec<Descend>,
}

impl WalkPlan {
    /// `needed` fact kinds; `pattern_kinds` the kind ids pattern rules may match (`Some(None)`
    /// for a pattern that may match any node).
    pub fn new(lang: Lang, needed: &[FactKind], pattern_kinds: Option<Option<Vec<u16>>>) -> Self {
        let ts = lang.ts_language();
        let count = ts.node_kind_count();
        let mut kinds = vec![0u16; count];
        for (fact, names) in fact_kinds(lang) {
            if needed.contains(fact) {
                for id in ids_of(&ts, names) {
                    kinds[id as usize] |= bit(*fact);
                }
            }
        }
        let roles = (lang == Lang::Python && needed.contains(&FactKind::LocalDef)).then(|| {
            let mut roles = vec![Role::Other; count];
            for (role, name) in PY_ROLES {
                for id in ids_of(&ts, &[name]) {
                    roles[id as usize] = *role;
                }
            }
            roles
        });
        let field = |name| ts.field_id_for_name(name).map_or(0, |f| f.get());
        let pattern_kinds = pattern_kinds.map(|ids| match ids {
            None => vec![true; count],
            Some(ids) => {
                let mut v = vec![false; count];
                for id in ids {
                    if let Some(slot) = v.get_mut(id as usize) {
                        *slot = true;
                    }
                }
                v
            }
        });
        let descend = descend_plan(lang, &kinds, pattern_kinds.as_deref());
        WalkPlan {
            kinds,
            roles,
            left: field("left"),
            name: field("name"),
            pattern_kinds,
            descend,
        }
    }

    /// Should the walk visit `node`'s children?
    fn descends(&self, id: u16, node: Node<'_>, text: &str) -> bool {
        match self.descend.get(id as usize).copied() {
            None | Some(Descend::Always) => true,
            Some(Descend::Never) => false,
            Some(Descend::IfQuoteOrSlash) => text
                .as_bytes()
                .get(node.byte_range())
                .is_none_or(|t| memchr::memchr2(b'"', b'/', t).is_some()),
            Some(Descend::IfSlash) => text
                .as_bytes()
                .get(node.byte_range())
                .is_none_or(|t| memchr::memchr(b'/', t).is_some()),
        }
    }

    pub fn needs(&self, kind: FactKind) -> bool {
        if kind == FactKind::LocalDef {
            return self.roles.is_some();
        }
        self.kinds.iter().any(|k| k & bit(kind) != 0)
    }

    fn role(&self, id: u16) -> Role {
        self.roles
            .as_ref()
            .and_then(|r| r.get(id as usize).copied())
            .unwrap_or_default()
    }

    /// Is an identifier with this field, parent and grandparent a Python local definition?
    /// The same places as the patterns `(assignment left: (identifier))`, `(for_statement
    /// left: (identifier))`, the names of classes and functions, and parameters (plain,
    /// `name=default`, `name: type` and `name: type = default`).
    fn is_local_def(&self, field: u16, parent: Role, grandparent: Role) -> bool {
        match parent {
            Role::Assignment | Role::For => field == self.left,
            Role::Class | Role::Function => field == self.name,
            Role::Parameters => true,
            Role::TypedParameter => grandparent == Role::Parameters,
            Role::DefaultParameter | Role::TypedDefaultParameter => {
                field == self.name && grandparent == Role::Parameters
            }
            _ => false,
        }
    }
}

/// Where the walk may skip children: Rust comments, string literals, token trees and `use`
/// declarations, when no kind that can be inside them is a fact or a pattern's kind. The facts
/// a token tree can hold are its comments (a `/` in its text) and strings (a `"`); a `use`
/// declaration's are its comments, and its paths, which only `reference` rules and `rename_to`
/// fixes look at (`import` rules look at the declaration itself and at paths in code).
fn descend_plan(lang: Lang, kinds: &[u16], pattern_kinds: Option<&[bool]>) -> Vec<Descend> {
    let ts = lang.ts_language();
    let mut descend = vec![Descend::Always; ts.node_kind_count()];
    if lang != Lang::Rust {
        return descend;
    }
    // Is a kind of `names` a pattern's kind, or a fact other than those of `ignored`?
    let wanted = |names: &[&str], ignored: &[FactKind]| {
        let ignored = ignored.iter().fold(0, |m, &k| m | bit(k));
        ids_of(&ts, names).any(|id| {
            let fact = kinds.get(id as usize).copied().unwrap_or(0);
            let pattern =
                pattern_kinds.is_some_and(|p| p.get(id as usize).copied().unwrap_or(true));
            pattern || fact & !ignored != 0
        })
    };
    let mut set = |names: &[&str], how: Descend| {
        for id in ids_of(&ts, names) {
            descend[id as usize] = how;
        }
    };
    if !wanted(COMMENT_CHILD_KINDS, &[]) {
        set(&["line_comment", "block_comment"], Descend::Never);
    }
    if !wanted(STRING_CHILD_KINDS, &[]) {
        set(&["string_literal", "raw_string_literal"], Descend::Never);
    }
    let strings = ids_of(&ts, &["string_literal", "raw_string_literal"]).any(|id| {
        kinds
            .get(id as usize)
            .is_some_and(|k| k & bit(FactKind::String) != 0)
    });
    if !wanted(TOKEN_TREE_KINDS, &[FactKind::String, FactKind::Comment]) {
        let how = if strings {
            Descend::IfQuoteOrSlash
        } else {
            Descend::IfSlash
        };
        set(&["token_tree"], how);
    }
    if !wanted(
        USE_TREE_KINDS,
        &[FactKind::Comment, FactKind::QualifiedPath],
    ) {
        set(
            &["use_declaration", "extern_crate_declaration"],
            Descend::IfSlash,
        );
    }
    descend
}

fn bit(kind: FactKind) -> u16 {
    1 << kind as u16
}

/// Every id of the named kinds (a name may have several, through aliases).
fn ids_of<'n>(ts: &'n Language, names: &'n [&str]) -> impl Iterator<Item = u16> + 'n {
    (0..ts.node_kind_count() as u16).filter(move |&id| {
        ts.node_kind_is_named(id) && ts.node_kind_for_id(id).is_some_and(|k| names.contains(&k))
    })
}

/// Walk a unit (only the nodes that start in `range`, when given) and add its facts. Returns
/// the depth of the deepest node visited (subtrees the walk skips are not counted).
pub(crate) fn walk_unit<'a>(
    plan: &WalkPlan,
    unit: &'a Unit<'a>,
    range: Option<&Range<usize>>,
    facts: &mut Facts<'a>,
) -> usize {
    let mut cursor = unit.tree.walk();
    // The roles of the current node's ancestors, the root first.
    let mut roles: Vec<Role> = Vec::new();
    let in_file = unit.is_file();
    let mut deepest = 0;
    loop {
        let node = cursor.node();
        let mut descend = true;
        let mut wanted = in_file || unit.owns(node);
        if let Some(r) = range {
            let start = node.start_byte();
            if start >= r.end {
                // Everything after this node in the walk starts later still.
                return deepest;
            }
            wanted &= start >= r.start;
            descend = node.end_byte() > r.start;
        }
        let id = node.kind_id();
        descend = descend && plan.descends(id, node, &unit.text);
        if wanted {
            visit(plan, node, id, &roles, unit, in_file, facts, || {
                cursor.field_id().map_or(0, |f| f.get())
            });
        }
        if descend && cursor.goto_first_child() {
            roles.push(plan.role(id));
            deepest = deepest.max(roles.len());
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return deepest;
            }
            roles.pop();
        }
    }
}

/// Add the facts a node is. The kind table holds named kinds only; `field` is asked for
/// (it costs a lookup in the parent's field map) only for Python identifiers.
#[allow(clippy::too_many_arguments)]
fn visit<'a>(
    plan: &WalkPlan,
    node: Node<'a>,
    id: u16,
    roles: &[Role],
    unit: &'a Unit<'a>,
    in_file: bool,
    facts: &mut Facts<'a>,
    field: impl FnOnce() -> u16,
) {
    if let Some(p) = &plan.pattern_kinds
        && p.get(id as usize).copied().unwrap_or(false)
    {
        facts.pattern_nodes.push(SNode::new(node, unit));
    }
    let bits = plan.kinds.get(id as usize).copied().unwrap_or(0);
    if bits != 0 {
        for kind in FactKind::ALL {
            if bits & bit(kind) != 0 {
                push_fact(facts, kind, SNode::new(node, unit), in_file);
            }
        }
    }
    if plan.roles.is_some() && plan.role(id) == Role::Identifier {
        let parent = roles.last().copied().unwrap_or_default();
        let grandparent = roles.len().checked_sub(2).map_or(Role::Other, |i| roles[i]);
        if parent != Role::Other && plan.is_local_def(field(), parent, grandparent) {
            facts.local_defs.push(SNode::new(node, unit));
        }
    }
}

fn push_fact<'a>(facts: &mut Facts<'a>, kind: FactKind, node: SNode<'a>, in_file: bool) {
    let list = match kind {
        FactKind::Call => &mut facts.calls,
        FactKind::Macro => &mut facts.macros,
        FactKind::Import => &mut facts.imports,
        FactKind::Function => &mut facts.functions,
        FactKind::Reference | FactKind::QualifiedPath => &mut facts.references,
        FactKind::LocalDef => &mut facts.local_defs,
        FactKind::Attribute => &mut facts.attributes,
        // Strings and comments inside macro arguments are already tokens of the file's tree.
        FactKind::Comment if in_file => &mut facts.comments,
        FactKind::String if in_file => &mut facts.strings,
        FactKind::Comment | FactKind::String => return,
    };
    list.push(node);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A misspelt kind name would silently gather nothing: every name must exist.
    #[test]
    fn every_kind_name_exists_in_its_grammar() {
        for lang in Lang::ALL {
            let ts = lang.ts_language();
            let names = fact_kinds(lang).iter().flat_map(|(_, n)| n.iter());
            let roles = PY_ROLES
                .iter()
                .map(|(_, n)| n)
                .filter(|_| lang == Lang::Python);
            for name in names.chain(roles) {
                assert!(
                    ids_of(&ts, &[name]).next().is_some(),
                    "{lang:?} has no kind {name}"
                );
            }
            let pruning = TOKEN_TREE_KINDS
                .iter()
                .chain(COMMENT_CHILD_KINDS)
                .chain(STRING_CHILD_KINDS)
                .chain(USE_TREE_KINDS);
            for name in pruning.filter(|_| lang == Lang::Rust) {
                assert!(
                    ids_of(&ts, &[name]).next().is_some(),
                    "{lang:?} has no kind {name}"
                );
            }
            if lang == Lang::Python {
                for field in ["left", "name"] {
                    assert!(ts.field_id_for_name(field).is_some(), "no field {field}");
                }
            }
        }
    }
}
