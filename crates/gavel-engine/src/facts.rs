//! Facts: the nodes the matchers need, gathered from every unit: gavel's own (calls, imports,
//! ...) by one cursor walk ([`crate::walk`]), and the matches of the rules' `query` patterns by
//! one combined tree-sitter query per language, dispatched by pattern index.

use std::ops::Range;

use gavel_syntax::{Lang, tree_sitter::Query};
use typed_arena::Arena;

use crate::{
    needles::{MacroWords, Renames},
    unit::{SNode, Unit, expand_macro},
    walk::{WalkPlan, walk_unit},
};

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
    /// A qualified path (Rust's `a::b`): a reference too, gathered alone when only `import`
    /// rules look at references (they look at paths written in code).
    QualifiedPath,
    LocalDef,
    Attribute,
}

impl FactKind {
    pub const ALL: [FactKind; 10] = [
        FactKind::Call,
        FactKind::Macro,
        FactKind::Import,
        FactKind::Comment,
        FactKind::String,
        FactKind::Function,
        FactKind::Reference,
        FactKind::QualifiedPath,
        FactKind::LocalDef,
        FactKind::Attribute,
    ];
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
    /// The whole file's tree when the region checked was parsed on its own: where the file's
    /// top-level items and the known nodes outside the region are.
    pub outline: Option<&'a Unit<'a>>,
    pub calls: Vec<SNode<'a>>,
    pub macros: Vec<SNode<'a>>,
    pub imports: Vec<SNode<'a>>,
    pub comments: Vec<SNode<'a>>,
    pub strings: Vec<SNode<'a>>,
    pub functions: Vec<SNode<'a>>,
    pub references: Vec<SNode<'a>>,
    pub local_defs: Vec<SNode<'a>>,
    pub attributes: Vec<SNode<'a>>,
    /// Nodes of the kinds that pattern rules may match at.
    pub pattern_nodes: Vec<SNode<'a>>,
    pub query_hits: Vec<QueryHit<'a>>,
}

/// How to gather a language's facts: the walk, and the rules' queries combined.
pub(crate) struct QueryPlan {
    pub walk: WalkPlan,
    /// The rules' query patterns in one query, if there are any.
    pub query: Option<Query>,
    /// Index of the rule query each pattern of `query` comes from.
    pub user_patterns: Vec<usize>,
    pub match_capture: Option<u32>,
    /// The words that make a macro worth parsing.
    pub macro_words: MacroWords,
}

impl QueryPlan {
    /// Plan the walk for the needed gavel facts and the kinds pattern rules may match at, and
    /// combine the rules' queries (which were each validated on their own).
    pub fn new(
        lang: Lang,
        needed: &[FactKind],
        pattern_kinds: Option<Option<Vec<u16>>>,
        user_queries: &[&str],
    ) -> Result<QueryPlan, String> {
        let walk = WalkPlan::new(lang, needed, pattern_kinds);
        if user_queries.is_empty() {
            return Ok(QueryPlan {
                walk,
                query: None,
                user_patterns: Vec::new(),
                match_capture: None,
                macro_words: MacroWords::default(),
            });
        }
        // Where each rule's query starts in the combined text: a pattern belongs to the last
        // query starting at or before it (compiling each query again to count its patterns
        // would double the cost of building the plan, which is mostly tree-sitter's analysis).
        let mut text = String::new();
        let mut starts = Vec::new();
        for q in user_queries {
            starts.push(text.len());
            text.push_str(q);
            text.push('\n');
        }
        let query =
            Query::new(&lang.ts_language(), &text).map_err(|e| format!("combined query: {e}"))?;
        let user_patterns = (0..query.pattern_count())
            .map(|p| starts.partition_point(|&s| s <= query.start_byte_for_pattern(p)) - 1)
            .collect();
        let match_capture = query.capture_index_for_name("match");
        Ok(QueryPlan {
            walk,
            query: Some(query),
            user_patterns,
            match_capture,
            macro_words: MacroWords::default(),
        })
    }

    fn needs(&self, kind: FactKind) -> bool {
        self.walk.needs(kind)
    }
}

/// Gather the facts of a file's own tree. With a `region` (sorted, disjoint byte ranges of the
/// file), only nodes that start in it are gathered.
pub(crate) fn gather<'a>(
    plan: &QueryPlan,
    file: &'a Unit<'a>,
    region: Option<&[Range<usize>]>,
) -> Facts<'a> {
    let mut facts = Facts::default();
    facts.units.push(file);
    match region {
        Some(ranges) => {
            for r in ranges {
                gather_unit(plan, file, Some(r), &mut facts);
            }
        }
        None => gather_unit(plan, file, None, &mut facts),
    }
    facts
}

/// Parse the arguments of the gathered Rust macros as Rust, into units held by `arena`, and
/// gather their facts, macros inside them included. Only macros worth it are parsed
/// ([`crate::needles`]); one passed over is tried again when an import found inside another
/// macro renames a name or is a glob.
pub(crate) fn expand_macros<'a>(
    plan: &QueryPlan,
    facts: &mut Facts<'a>,
    arena: &'a Arena<Unit<'static>>,
) {
    if !plan.needs(FactKind::Macro) {
        return;
    }
    let mut renames = Renames::default();
    for i in &facts.imports {
        renames.add(i.text(), &plan.macro_words);
    }
    let mut pending: Vec<&'a Unit<'a>> = Vec::new();
    let mut passed_over = Vec::new();
    let mut considered = 0;
    let mut renames_seen = renames.size();
    loop {
        for &mac in &facts.macros[considered..] {
            if plan.macro_words.wants(mac.text(), &renames) {
                pending.extend(expand_macro(mac).map(|sub| &*arena.alloc(sub)));
            } else {
                passed_over.push(mac);
            }
        }
        considered = facts.macros.len();
        if let Some(unit) = pending.pop() {
            facts.units.push(unit);
            let first_import = facts.imports.len();
            gather_unit(plan, unit, None, facts);
            for i in &facts.imports[first_import..] {
                renames.add(i.text(), &plan.macro_words);
            }
            continue;
        }
        if renames.size() == renames_seen {
            return;
        }
        renames_seen = renames.size();
        passed_over.retain(|&mac| {
            let wanted = plan.macro_words.wants(mac.text(), &renames);
            if wanted {
                pending.extend(expand_macro(mac).map(|sub| &*arena.alloc(sub)));
            }
            !wanted
        });
    }
}

fn gather_unit<'a>(
    plan: &QueryPlan,
    unit: &'a Unit<'a>,
    range: Option<&Range<usize>>,
    facts: &mut Facts<'a>,
) {
    let depth = walk_unit(&plan.walk, unit, range, facts);
    if let Some(query) = &plan.query {
        crate::query_bands::query_unit(plan, query, unit, range, depth, facts);
    }
}
