//! Facts: the nodes the matchers need, gathered from every unit in one pass of one combined
//! tree-sitter query per language. The query holds gavel's own patterns (calls, imports, ...)
//! first and the rules' `query` patterns after them; a match is dispatched by pattern index.

use std::ops::Range;

use gavel_syntax::{
    Lang,
    tree_sitter::{Query, QueryCursor, StreamingIterator},
};
use typed_arena::Arena;

use crate::unit::{SNode, Unit, expand_macro};

/// What a gavel pattern in the combined query collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FactKind {
    Call,
    Macro,
    Import,
    Comment,
    String,
    Function,
    Reference,
    LocalDef,
    Attribute,
}

/// The gavel patterns for a language, each with one `@gavel` capture.
pub(crate) fn fact_patterns(lang: Lang) -> &'static [(FactKind, &'static str)] {
    use FactKind::*;
    match lang {
        Lang::Python => &[
            (Call, "(call) @gavel"),
            (
                Import,
                "[(import_statement) (import_from_statement) (future_import_statement)] @gavel",
            ),
            (Comment, "(comment) @gavel"),
            (String, "(string) @gavel"),
            (Function, "(function_definition) @gavel"),
            (Reference, "[(identifier) (attribute)] @gavel"),
            (LocalDef, "(assignment left: (identifier) @gavel)"),
            (LocalDef, "(for_statement left: (identifier) @gavel)"),
            (LocalDef, "(class_definition name: (identifier) @gavel)"),
            (LocalDef, "(function_definition name: (identifier) @gavel)"),
            (
                LocalDef,
                "(parameters [(identifier) @gavel (default_parameter name: (identifier) @gavel) (typed_parameter (identifier) @gavel) (typed_default_parameter name: (identifier) @gavel)])",
            ),
        ],
        Lang::Rust => &[
            (Call, "(call_expression) @gavel"),
            (Macro, "(macro_invocation) @gavel"),
            (
                Import,
                "[(use_declaration) (extern_crate_declaration)] @gavel",
            ),
            (Comment, "[(line_comment) (block_comment)] @gavel"),
            (String, "[(string_literal) (raw_string_literal)] @gavel"),
            (Function, "(function_item) @gavel"),
            (
                Reference,
                "[(identifier) (scoped_identifier) (scoped_type_identifier) (type_identifier)] @gavel",
            ),
            (
                Attribute,
                "[(attribute_item) (inner_attribute_item)] @gavel",
            ),
        ],
    }
}

/// A match of a rule's own tree-sitter query.
pub(crate) struct QueryHit<'a> {
    /// Index into the language plan's user patterns.
    pub user: usize,
    pub node: SNode<'a>,
    pub captures: Vec<(String, SNode<'a>)>,
}

/// Everything gathered from one file.
#[derive(Default)]
pub(crate) struct Facts<'a> {
    pub units: Vec<&'a Unit<'a>>,
    pub calls: Vec<SNode<'a>>,
    pub macros: Vec<SNode<'a>>,
    pub imports: Vec<SNode<'a>>,
    pub comments: Vec<SNode<'a>>,
    pub strings: Vec<SNode<'a>>,
    pub functions: Vec<SNode<'a>>,
    pub references: Vec<SNode<'a>>,
    pub local_defs: Vec<SNode<'a>>,
    pub attributes: Vec<SNode<'a>>,
    pub query_hits: Vec<QueryHit<'a>>,
}

/// The compiled combined query and how to dispatch its patterns.
pub(crate) struct QueryPlan {
    pub query: Query,
    /// Fact kind of each gavel pattern; patterns from this index on belong to rules.
    pub facts: Vec<FactKind>,
    /// Number of rule query patterns before each rule's, to map a pattern to `user` index.
    pub user_patterns: Vec<usize>,
    pub match_capture: Option<u32>,
}

impl QueryPlan {
    /// Build the combined query from the needed gavel patterns and the rules' queries (which
    /// were each validated on their own).
    pub fn new(
        lang: Lang,
        needed: &[FactKind],
        user_queries: &[&str],
    ) -> Result<QueryPlan, String> {
        let mut text = String::new();
        let mut facts = Vec::new();
        for (kind, pattern) in fact_patterns(lang) {
            if needed.contains(kind) {
                text.push_str(pattern);
                text.push('\n');
                facts.push(*kind);
            }
        }
        // Where each rule's query starts in the combined text: a pattern belongs to the last
        // query starting at or before it (compiling each query again to count its patterns
        // would double the cost of building the plan, which is mostly tree-sitter's analysis).
        let mut starts = Vec::new();
        for q in user_queries {
            starts.push(text.len());
            text.push_str(q);
            text.push('\n');
        }
        let query =
            Query::new(&lang.ts_language(), &text).map_err(|e| format!("combined query: {e}"))?;
        let user_patterns = (facts.len()..query.pattern_count())
            .map(|p| starts.partition_point(|&s| s <= query.start_byte_for_pattern(p)) - 1)
            .collect();
        let match_capture = query.capture_index_for_name("match");
        Ok(QueryPlan {
            query,
            facts,
            user_patterns,
            match_capture,
        })
    }

    fn needs(&self, kind: FactKind) -> bool {
        self.facts.contains(&kind)
    }
}

/// Gather the facts of a file, expanding Rust macro arguments into units held by `arena`. With
/// a `region` (sorted, disjoint byte ranges of the file), only nodes of the file that start in
/// it are gathered, and only the macros among them are expanded.
pub(crate) fn gather<'a>(
    plan: &QueryPlan,
    file: &'a Unit<'a>,
    arena: &'a Arena<Unit<'static>>,
    region: Option<&[Range<usize>]>,
) -> Facts<'a> {
    let mut facts = Facts::default();
    let mut pending = vec![file];
    while let Some(unit) = pending.pop() {
        facts.units.push(unit);
        let first_macro = facts.macros.len();
        match region {
            Some(ranges) if unit.is_file() => {
                for r in ranges {
                    gather_unit(plan, unit, Some(r), &mut facts);
                }
            }
            _ => gather_unit(plan, unit, None, &mut facts),
        }
        if plan.needs(FactKind::Macro) {
            for &mac in &facts.macros[first_macro..] {
                if let Some(sub) = expand_macro(mac) {
                    pending.push(arena.alloc(sub));
                }
            }
        }
    }
    facts
}

fn gather_unit<'a>(
    plan: &QueryPlan,
    unit: &'a Unit<'a>,
    range: Option<&Range<usize>>,
    facts: &mut Facts<'a>,
) {
    let mut cursor = QueryCursor::new();
    if let Some(r) = range {
        cursor.set_byte_range(r.clone());
    }
    let root = unit.tree.root_node();
    let mut matches = cursor.matches(&plan.query, root, unit.text.as_bytes());
    while let Some(m) = matches.next() {
        let index = m.pattern_index;
        // Matches that merely intersect the range belong to a neighbouring region.
        if let Some(r) = range
            && m.captures()
                .first()
                .is_some_and(|c| !r.contains(&c.node.start_byte()))
        {
            continue;
        }
        if let Some(kind) = plan.facts.get(index) {
            for c in m.captures() {
                if unit.owns(c.node) {
                    push_fact(facts, *kind, SNode::new(c.node, unit), unit.is_file());
                }
            }
            continue;
        }
        let user = plan.user_patterns[index - plan.facts.len()];
        let mut node = None;
        let mut captures = Vec::new();
        for c in m.captures() {
            if !unit.owns(c.node) {
                continue;
            }
            let s = SNode::new(c.node, unit);
            if Some(c.index) == plan.match_capture {
                node.get_or_insert(s);
            } else {
                captures.push((plan.query.capture_names()[c.index as usize].to_string(), s));
            }
        }
        if let Some(node) = node {
            facts.query_hits.push(QueryHit {
                user,
                node,
                captures,
            });
        }
    }
}

fn push_fact<'a>(facts: &mut Facts<'a>, kind: FactKind, node: SNode<'a>, in_file: bool) {
    let list = match kind {
        FactKind::Call => &mut facts.calls,
        FactKind::Macro => &mut facts.macros,
        FactKind::Import => &mut facts.imports,
        FactKind::Function => &mut facts.functions,
        FactKind::Reference => &mut facts.references,
        FactKind::LocalDef => &mut facts.local_defs,
        FactKind::Attribute => &mut facts.attributes,
        // Strings and comments inside macro arguments are already tokens of the file's tree.
        FactKind::Comment if in_file => &mut facts.comments,
        FactKind::String if in_file => &mut facts.strings,
        FactKind::Comment | FactKind::String => return,
    };
    list.push(node);
}
