//! `method = ["unwrap"]`: method calls by name, on any receiver. The finding spans from the
//! method name to the closing parenthesis.

use gavel_policy::MatchKind;

use super::{Args, Ctx, Hit, args_text};
use crate::{matchers::call::callee, ruleset::LangIndex};

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<_> = cx.targets(index, "method").collect();
    if targets.is_empty() {
        return;
    }
    for &call in &cx.facts.calls {
        let Some(callee) = callee(call) else { continue };
        let (receiver, name) = match callee.kind() {
            "attribute" => (callee.field("object"), callee.field("attribute")),
            "field_expression" => (callee.field("value"), callee.field("field")),
            _ => continue,
        };
        let (Some(receiver), Some(name)) = (receiver, name) else {
            continue;
        };
        let method = name.text();
        for &(rule, m) in &targets {
            let MatchKind::Method(names) = &m.kind else {
                continue;
            };
            if !names.iter().any(|n| n == method) || !Args::of_call(call).satisfy(&m.constraints) {
                continue;
            }
            let mut hit = Hit::new(rule, name.range().start..call.range().end);
            let inner = args_text(call);
            hit.vars = vec![
                ("METHOD".into(), method.into()),
                ("RECEIVER".into(), receiver.text().into()),
                ("ARGS".into(), inner.into()),
                ("CALLEE".into(), callee.text().into()),
            ];
            hit.call = Some(call);
            hits.push(hit);
        }
    }
}
