//! `metric = "function_lines" | "function_params" | "nesting_depth" | "cyclomatic"` with
//! `max = N`: one finding per function over the limit, at its name (for nesting, at the first
//! block that goes too deep). Nested functions count on their own.

use gavel_policy::{MatchKind, Metric};

use super::{Ctx, Hit};
use crate::{ruleset::LangIndex, unit::SNode};

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<_> = cx.targets(index, "metric").collect();
    if targets.is_empty() {
        return;
    }
    for &f in &cx.facts.functions {
        let Some(name) = f.field("name") else {
            continue;
        };
        for &(rule, m) in &targets {
            let MatchKind::Metric(metric) = &m.kind else {
                continue;
            };
            let (value, at) = match metric.metric {
                Metric::FunctionLines => (line_count(f.text()), name),
                Metric::FunctionParams => (params(f), name),
                Metric::Cyclomatic => (1 + decisions(f), name),
                Metric::NestingDepth => {
                    let mut deepest = (0, None);
                    nesting(f, 0, metric.max, &mut deepest);
                    (deepest.0, deepest.1.unwrap_or(name))
                }
            };
            if value <= metric.max {
                continue;
            }
            let range = match at.children().first() {
                Some(first) if at.node != name.node => first.range(),
                _ => at.range(),
            };
            let mut hit = Hit::new(rule, range);
            hit.vars = vec![
                ("FUNCTION".into(), name.text().to_string()),
                ("VALUE".into(), value.to_string()),
                ("MAX".into(), metric.max.to_string()),
                ("METRIC".into(), metric.metric.name().to_string()),
            ];
            hits.push(hit);
        }
    }
}

fn line_count(text: &str) -> u32 {
    gavel_syntax::LineIndex::new(text).line_count() as u32
}

fn params(f: SNode<'_>) -> u32 {
    let Some(params) = f.field("parameters") else {
        return 0;
    };
    params
        .named_children()
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            let self_like = *i == 0 && matches!(p.text(), "self" | "cls");
            let splat_or_sep = matches!(
                p.kind(),
                "list_splat_pattern"
                    | "dictionary_splat_pattern"
                    | "keyword_separator"
                    | "positional_separator"
                    | "self_parameter"
                    | "variadic_parameter"
                    | "attribute_item"
                    | "line_comment"
                    | "block_comment"
                    | "comment"
            );
            !self_like && !splat_or_sep
        })
        .count() as u32
}

fn is_nested_function(n: SNode<'_>) -> bool {
    matches!(n.kind(), "function_definition" | "function_item")
}

fn is_decision(n: SNode<'_>) -> bool {
    match n.kind() {
        "if_statement"
        | "elif_clause"
        | "for_statement"
        | "while_statement"
        | "except_clause"
        | "conditional_expression"
        | "boolean_operator"
        | "for_in_clause"
        | "if_clause"
        | "case_clause" => true,
        "if_expression" | "while_expression" | "for_expression" | "match_arm"
        | "try_expression" => true,
        "binary_expression" => n
            .field("operator")
            .is_some_and(|o| matches!(o.text(), "&&" | "||")),
        _ => false,
    }
}

fn decisions(f: SNode<'_>) -> u32 {
    let Some(body) = f.field("body") else {
        return 0;
    };
    let (mut decisions, mut matches) = (0u32, 0u32);
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if is_nested_function(n) {
            continue;
        }
        decisions += u32::from(is_decision(n));
        matches += u32::from(n.kind() == "match_expression");
        stack.extend(n.named_children());
    }
    // A match with N arms counts N arms above, but adds only N-1 decisions.
    decisions.saturating_sub(matches)
}

fn is_block(n: SNode<'_>, parent_kind: &str) -> bool {
    match n.kind() {
        "if_statement" | "for_statement" | "while_statement" | "try_statement"
        | "with_statement" | "match_statement" => true,
        "for_expression" | "while_expression" | "loop_expression" | "match_expression" => true,
        // `else if` continues the chain rather than nesting.
        "if_expression" => parent_kind != "else_clause",
        _ => false,
    }
}

fn nesting<'a>(n: SNode<'a>, depth: u32, max: u32, deepest: &mut (u32, Option<SNode<'a>>)) {
    for child in n.named_children() {
        if is_nested_function(child) {
            continue;
        }
        let d = depth + u32::from(is_block(child, n.kind()));
        if d > deepest.0 {
            deepest.0 = d;
            if d == max + 1 {
                deepest.1 = Some(child);
            }
        }
        nesting(child, d, max, deepest);
    }
}
