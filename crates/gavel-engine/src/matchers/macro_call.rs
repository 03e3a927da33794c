//! `macro = ["println"]`: Rust macro invocations by name (`println!`, `std::println!`),
//! including macros nested in other macros' arguments.

use gavel_policy::MatchKind;

use super::{Ctx, Hit};
use crate::ruleset::LangIndex;

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<_> = cx.targets(index, "macro").collect();
    if targets.is_empty() {
        return;
    }
    for &mac in &cx.facts.macros {
        let Some(path) = mac.field("macro") else {
            continue;
        };
        let name = path.text().rsplit("::").next().unwrap_or_default().trim();
        for &(rule, m) in &targets {
            let MatchKind::Macro(names) = &m.kind else {
                continue;
            };
            if names.iter().any(|n| n == name) {
                let mut hit = Hit::new(rule, mac.range());
                let tt = mac
                    .named_children()
                    .into_iter()
                    .find(|c| c.kind() == "token_tree");
                let inner = inner(tt.map(|t| t.text()).unwrap_or_default());
                hit.vars = vec![("MACRO".into(), name.into()), ("ARGS".into(), inner.into())];
                hits.push(hit);
            }
        }
    }
}

/// A token tree's text without its delimiters (`$ARGS`). A tree cut short by a syntax error
/// keeps its last character: `m!(a é` has no closing delimiter, and `é` is two bytes.
fn inner(tree: &str) -> &str {
    let mut chars = tree.chars();
    let close = match chars.next() {
        Some('(') => ')',
        Some('[') => ']',
        Some('{') => '}',
        _ => return tree,
    };
    let rest = chars.as_str();
    rest.strip_suffix(close).unwrap_or(rest)
}
