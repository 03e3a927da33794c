//! `pattern = "eval($X)"`: ast-grep structural patterns, with `inside`/`not_inside` tested on
//! every ancestor. The facts walk collected the nodes any pattern may match at (by kind); each
//! is only tried against the patterns whose root kind it can be.

use std::borrow::Cow;

use ast_grep_core::{Doc, Matcher, Node, Pattern, matcher::MatcherExt, tree_sitter::StrDoc};
use gavel_policy::{MatchKind, PatternMatch};
use gavel_syntax::SgLang;

use super::{Ctx, Hit};
use crate::{ruleset::LangIndex, unit::Unit};

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<(usize, &PatternMatch)> = cx
        .targets(index, "pattern")
        .filter_map(|(r, m)| match &m.kind {
            MatchKind::Pattern(p) => Some((r, p)),
            _ => None,
        })
        .collect();
    if targets.is_empty() {
        return;
    }
    let kinds: Vec<_> = targets
        .iter()
        .map(|(_, p)| p.pattern.potential_kinds())
        .collect();
    // The walk collected the nodes of the kinds these patterns may match at, unit by unit.
    let nodes = &cx.facts.pattern_nodes;
    let mut i = 0;
    while i < nodes.len() {
        let unit = nodes[i].unit;
        let end = i + nodes[i..]
            .iter()
            .take_while(|n| std::ptr::eq(n.unit, unit))
            .count();
        let root = ast_grep_core::AstGrep::doc(StrDoc {
            src: unit.text.to_string(),
            lang: SgLang(cx.lang),
            tree: unit.tree.clone().into_owned(),
        });
        for candidate in &nodes[i..end] {
            let node = root.adopt(candidate.node);
            let kind = node.kind_id() as usize;
            for (t, (rule, p)) in targets.iter().enumerate() {
                if kinds[t].as_ref().is_some_and(|k| !k.contains(kind)) {
                    continue;
                }
                if let Some(hit) = try_match(*rule, p, node.clone(), unit) {
                    hits.push(hit);
                }
            }
        }
        i = end;
    }
}

fn try_match<'a, D: Doc<Source = String>>(
    rule: usize,
    p: &PatternMatch,
    node: Node<'_, D>,
    unit: &Unit<'_>,
) -> Option<Hit<'a>> {
    let m = p.pattern.match_node(node.clone())?;
    let range = m.get_node().range();
    if range.start < unit.inner.start || range.end > unit.inner.end {
        return None;
    }
    let inside = |list: &[Pattern]| {
        list.iter()
            .any(|q| node.ancestors().any(|a| q.match_node(a).is_some()))
    };
    if !p.inside.is_empty() && !inside(&p.inside) {
        return None;
    }
    if inside(&p.not_inside) {
        return None;
    }
    let map = |b: usize| (b as isize + unit.delta) as usize;
    let mut hit = Hit::new(rule, map(range.start)..map(range.end));
    let env = m.get_env();
    for var in p.pattern.defined_vars() {
        let text = match env.get_match(var) {
            Some(n) => Cow::Owned(n.text().to_string()),
            None => {
                let many = env.get_multiple_matches(var);
                match (many.first(), many.last()) {
                    (Some(a), Some(b)) => {
                        Cow::Owned(unit.text[a.range().start..b.range().end].to_string())
                    }
                    _ => Cow::Borrowed(""),
                }
            }
        };
        hit.vars.push((var.to_string(), text));
    }
    Some(hit)
}
