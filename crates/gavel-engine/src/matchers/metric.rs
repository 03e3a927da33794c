//! `metric = "function_lines" | "function_params" | "nesting_depth" | "cyclomatic"` with
//! `max = N`: one finding per function over the limit, at its name (for nesting, at the first
//! block that goes too deep). Nested functions count on their own.

use std::sync::OnceLock;

use gavel_policy::{MatchKind, Metric};
use gavel_syntax::{Lang, tree_sitter::Node};

use super::{Ctx, Hit};
use crate::{kinds::KindSet, ruleset::LangIndex, unit::SNode};

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<_> = cx.targets(index, "metric").collect();
    if targets.is_empty() {
        return;
    }
    let kinds = Kinds::of(cx.lang);
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
                Metric::Cyclomatic => (1 + decisions(kinds, f), name),
                Metric::NestingDepth => {
                    let (depth, at) = nesting(kinds, f, metric.max);
                    (depth, at.unwrap_or(name))
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
                ("FUNCTION".into(), name.text().into()),
                ("VALUE".into(), value.to_string().into()),
                ("MAX".into(), metric.max.to_string().into()),
                ("METRIC".into(), metric.metric.name().into()),
            ];
            hits.push(hit);
        }
    }
}

fn line_count(text: &str) -> u32 {
    gavel_syntax::LineIndex::count_lines(text) as u32
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

/// The node kinds the metrics look at, per language.
struct Kinds {
    function: KindSet,
    decision: KindSet,
    binary: KindSet,
    match_expr: KindSet,
    block: KindSet,
    /// `if_expression`: a block unless it continues an `else if` chain.
    if_expr: KindSet,
    else_clause: KindSet,
}

impl Kinds {
    fn of(lang: Lang) -> &'static Kinds {
        static PYTHON: OnceLock<Kinds> = OnceLock::new();
        static RUST: OnceLock<Kinds> = OnceLock::new();
        let cell = match lang {
            Lang::Python => &PYTHON,
            Lang::Rust => &RUST,
        };
        cell.get_or_init(|| Kinds::new(lang))
    }

    fn new(lang: Lang) -> Kinds {
        let set = |names: &[&str]| KindSet::new(lang, names);
        Kinds {
            function: set(&["function_definition", "function_item"]),
            decision: set(&[
                "if_statement",
                "elif_clause",
                "for_statement",
                "while_statement",
                "except_clause",
                "conditional_expression",
                "boolean_operator",
                "for_in_clause",
                "if_clause",
                "case_clause",
                "if_expression",
                "while_expression",
                "for_expression",
                "match_arm",
                "try_expression",
            ]),
            binary: set(&["binary_expression"]),
            match_expr: set(&["match_expression"]),
            block: set(&[
                "if_statement",
                "for_statement",
                "while_statement",
                "try_statement",
                "with_statement",
                "match_statement",
                "for_expression",
                "while_expression",
                "loop_expression",
                "match_expression",
            ]),
            if_expr: set(&["if_expression"]),
            else_clause: set(&["else_clause"]),
        }
    }

    fn is_decision(&self, n: SNode<'_>) -> bool {
        self.decision.has(n.node)
            || self.binary.has(n.node)
                && n.field("operator")
                    .is_some_and(|o| matches!(o.text(), "&&" | "||"))
    }

    fn is_block(&self, n: Node<'_>, parent: Node<'_>) -> bool {
        // `else if` continues the chain rather than nesting.
        self.block.has(n) || self.if_expr.has(n) && !self.else_clause.has(parent)
    }
}

/// Visit the named descendants of `root` in pre-order, skipping nested functions. `visit`
/// gets each node and the value its parent got (`init` for `root`'s children) and returns the
/// value for its children.
fn walk<'a, T: Copy>(
    kinds: &Kinds,
    root: SNode<'a>,
    init: T,
    mut visit: impl FnMut(SNode<'a>, Node<'a>, T) -> T,
) {
    let mut cursor = root.node.walk();
    let mut stack = vec![(init, root.node)];
    if !cursor.goto_first_child() {
        return;
    }
    loop {
        let node = cursor.node();
        if node.is_named() && !kinds.function.has(node) {
            let &(value, parent) = stack.last().expect("the root is on the stack");
            let value = visit(root.with(node), parent, value);
            if cursor.goto_first_child() {
                stack.push((value, node));
                continue;
            }
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
            stack.pop();
            if stack.is_empty() {
                return;
            }
        }
    }
}

fn decisions(kinds: &Kinds, f: SNode<'_>) -> u32 {
    let Some(body) = f.field("body") else {
        return 0;
    };
    let (mut decisions, mut matches) = (0u32, 0u32);
    let mut count = |n: SNode<'_>| {
        decisions += u32::from(kinds.is_decision(n));
        matches += u32::from(kinds.match_expr.has(n.node));
    };
    if !kinds.function.has(body.node) {
        count(body);
        walk(kinds, body, (), |n, _, ()| count(n));
    }
    // A match with N arms counts N arms above, but adds only N-1 decisions.
    decisions.saturating_sub(matches)
}

/// The deepest nesting of blocks in `f`, and the first block that goes deeper than `max`.
fn nesting<'a>(kinds: &Kinds, f: SNode<'a>, max: u32) -> (u32, Option<SNode<'a>>) {
    let mut deepest = (0, None);
    walk(kinds, f, 0, |n, parent, depth| {
        let d = depth + u32::from(kinds.is_block(n.node, parent));
        if d > deepest.0 {
            deepest.0 = d;
            if d == max + 1 {
                deepest.1 = Some(n);
            }
        }
        d
    });
    deepest
}
