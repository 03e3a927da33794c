//! `call = ["mod.fn"]`: call sites whose callee resolves through the file's imports and aliases
//! to a listed name.

use gavel_policy::MatchKind;

use super::{Args, Ctx, Hit, args_text, match_names};
use crate::{ruleset::LangIndex, unit::SNode};

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<_> = cx.targets(index, "call").collect();
    if targets.is_empty() {
        return;
    }
    for &call in &cx.facts.calls {
        let Some(callee) = callee(call) else { continue };
        if matches!(callee.kind(), "field_expression") {
            continue;
        }
        let names = cx.resolve(callee);
        if names.is_empty() {
            continue;
        }
        let mut args = None;
        for &(rule, m) in &targets {
            let MatchKind::Call(patterns) = &m.kind else {
                continue;
            };
            let Some((matched, name)) = match_names(&names, patterns) else {
                continue;
            };
            let args = args.get_or_insert_with(|| Args::of_call(call));
            if !args.satisfy(&m.constraints) {
                continue;
            }
            hits.push(call_hit(rule, call, callee, name, matched));
        }
    }
}

/// The callee of a call, looking through Rust turbofish (`f::<T>(..)`).
pub(crate) fn callee(call: SNode<'_>) -> Option<SNode<'_>> {
    let f = call.field("function")?;
    if f.kind() == "generic_function" {
        f.field("function")
    } else {
        Some(f)
    }
}

pub(crate) fn call_hit<'a>(
    rule: usize,
    call: SNode<'a>,
    callee: SNode<'a>,
    name: &[String],
    matched: Vec<String>,
) -> Hit<'a> {
    let mut hit = Hit::new(rule, call.range());
    let inner = args_text(call);
    let sep = if callee.kind().starts_with("scoped")
        || callee.kind() == "identifier" && call.kind() == "call_expression"
    {
        "::"
    } else {
        "."
    };
    hit.vars = vec![
        ("CALLEE".into(), callee.text().into()),
        ("ARGS".into(), inner.into()),
        ("NAME".into(), name.join(sep).into()),
    ];
    hit.call = Some(call);
    hit.callee = Some(callee);
    hit.matched = Some(matched);
    hit
}
