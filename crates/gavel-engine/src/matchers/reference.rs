//! `reference = ["ssl.PROTOCOL_SSLv2"]`: any use of a name that resolves to a listed qualified
//! name, called or not. With call constraints, only calls of it count.

use gavel_policy::MatchKind;

use super::{Args, Ctx, Hit, match_names};
use crate::{ruleset::LangIndex, unit::SNode};

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<_> = cx.targets(index, "reference").collect();
    if targets.is_empty() {
        return;
    }
    let first = hits.len();
    for &node in &cx.facts.references {
        // Resolving is cheaper than `is_use_site` (which climbs to the parent), and few names
        // match: test the use only for those.
        let names = cx.resolve(node);
        if names.is_empty() {
            continue;
        }
        let mut use_site = None;
        for &(rule, m) in &targets {
            let MatchKind::Reference(patterns) = &m.kind else {
                continue;
            };
            let Some((matched, _)) = match_names(&names, patterns) else {
                continue;
            };
            if !*use_site.get_or_insert_with(|| is_use_site(cx, node)) {
                break;
            }
            let call = node.parent().filter(|p| {
                matches!(p.kind(), "call" | "call_expression")
                    && p.field("function").is_some_and(|f| f.node == node.node)
            });
            if !m.constraints.is_empty() {
                match call {
                    Some(call) if Args::of_call(call).satisfy(&m.constraints) => {}
                    _ => continue,
                }
            }
            let mut hit = Hit::new(rule, node.range());
            hit.vars = vec![("NAME".into(), node.text().into())];
            hit.callee = Some(node);
            hit.call = call;
            hit.matched = Some(matched);
            hits.push(hit);
        }
    }
    keep_outermost(hits, first);
}

/// Is this name a use, not a definition, an import or the member part of `a.b`?
pub(crate) fn is_use_site(cx: &Ctx<'_>, node: SNode<'_>) -> bool {
    if cx.in_import(&node.range()) {
        return false;
    }
    let Some(parent) = node.parent() else {
        return true;
    };
    let is_field = |f: &str| parent.field(f).is_some_and(|c| c.node == node.node);
    match parent.kind() {
        "attribute" => !is_field("attribute"),
        "keyword_argument" => !is_field("name"),
        "function_definition" | "class_definition" | "function_item" => !is_field("name"),
        "parameters"
        | "default_parameter"
        | "typed_parameter"
        | "typed_default_parameter"
        | "parameter" => false,
        "let_declaration" => !is_field("pattern"),
        _ => true,
    }
}

/// Of nested hits of one rule (`a.b` inside `a.b.c`), keep the outermost.
fn keep_outermost(hits: &mut Vec<Hit<'_>>, first: usize) {
    let ranges: Vec<_> = hits[first..]
        .iter()
        .map(|h| (h.rule, h.range.clone()))
        .collect();
    let mut i = first;
    hits.retain(|h| {
        let idx = i;
        i += 1;
        if idx < first {
            return true;
        }
        !ranges.iter().any(|(r, range)| {
            *r == h.rule
                && range != &h.range
                && range.start <= h.range.start
                && h.range.end <= range.end
        })
    });
}
