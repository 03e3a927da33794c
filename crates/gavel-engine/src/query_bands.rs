//! Running the rules' combined tree-sitter query over a unit. tree-sitter's query cursor keeps
//! a state for every ancestor where a pattern began and still waits for a later step, so on a
//! deeply nested tree (a chain of 8,000 method calls, 8,000 nested calls) each node costs as
//! much as its depth: quadratic. A deep tree is therefore queried in bands: the cursor starts
//! patterns only in the top `BAND` levels below a band's root, and the nodes just below are the
//! roots of the next bands. Every pattern still starts at every node, once; a band's cursor goes
//! deeper only where a started pattern needs it.

use std::ops::Range;

use gavel_syntax::tree_sitter::{Node, Query, QueryCursor, QueryMatch, StreamingIterator};

use crate::{
    facts::{Facts, QueryHit, QueryPlan},
    unit::{SNode, Unit},
};

/// How many levels one band spans; trees no deeper than this are queried in one go.
const BAND: usize = 48;

/// Run `query` over `unit` (the nodes in `range`, when given), adding its hits. `depth` is how
/// deep the facts walk went.
pub(crate) fn query_unit<'a>(
    plan: &QueryPlan,
    query: &Query,
    unit: &'a Unit<'a>,
    range: Option<&Range<usize>>,
    depth: usize,
    facts: &mut Facts<'a>,
) {
    let mut cursor = QueryCursor::new();
    if let Some(r) = range {
        cursor.set_byte_range(r.clone());
    }
    let root = unit.tree.root_node();
    if depth <= BAND {
        run(plan, query, &mut cursor, root, unit, range, facts);
        return;
    }
    cursor.set_max_start_depth(Some(BAND as u32));
    let mut roots = vec![root];
    while let Some(top) = roots.pop() {
        run(plan, query, &mut cursor, top, unit, range, facts);
        band_roots(top, range, &mut roots);
    }
}

fn run<'a>(
    plan: &QueryPlan,
    query: &Query,
    cursor: &mut QueryCursor,
    node: Node<'a>,
    unit: &'a Unit<'a>,
    range: Option<&Range<usize>>,
    facts: &mut Facts<'a>,
) {
    let mut matches = cursor.matches(query, node, unit.text.as_bytes());
    while let Some(m) = matches.next() {
        record(plan, query, m, unit, range, facts);
    }
}

/// The nodes `BAND + 1` levels below `top` (that can reach `range`): the next bands' roots.
fn band_roots<'a>(top: Node<'a>, range: Option<&Range<usize>>, out: &mut Vec<Node<'a>>) {
    let mut cursor = top.walk();
    let mut depth = 0;
    let reaches =
        |n: Node<'_>| range.is_none_or(|r| n.start_byte() < r.end && n.end_byte() > r.start);
    loop {
        let node = cursor.node();
        if depth == BAND + 1 {
            if reaches(node) {
                out.push(node);
            }
        } else if reaches(node) && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            depth -= 1;
        }
    }
}

fn record<'a>(
    plan: &QueryPlan,
    query: &Query,
    m: &QueryMatch<'_, 'a>,
    unit: &'a Unit<'a>,
    range: Option<&Range<usize>>,
    facts: &mut Facts<'a>,
) {
    // Matches that merely intersect the range belong to a neighbouring region.
    if let Some(r) = range
        && m.captures()
            .first()
            .is_some_and(|c| !r.contains(&c.node.start_byte()))
    {
        return;
    }
    let user = plan.user_patterns[m.pattern_index];
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
            captures.push((query.capture_names()[c.index as usize].to_string(), s));
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
