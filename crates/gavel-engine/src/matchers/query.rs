//! `query = "(...) @match"`: a rule's own tree-sitter query. Its patterns ran inside the
//! combined query; here each hit becomes a finding, other captures becoming metavariables.

use super::{Ctx, Hit};
use crate::ruleset::LangIndex;

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    for q in &cx.facts.query_hits {
        let (rule, _) = index.queries[q.user];
        if !cx.applicable[rule] {
            continue;
        }
        let mut hit = Hit::new(rule, q.node.range());
        hit.vars = q
            .captures
            .iter()
            .map(|(name, n)| (name.clone(), n.text().into()))
            .collect();
        hits.push(hit);
    }
}
