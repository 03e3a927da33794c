//! `regex = "..."` with `regex_in = "any" | "string" | "comment"`. With `string` or `comment`,
//! each literal or comment node is searched on its own, quotes and markers included.

use gavel_policy::{MatchKind, RegexIn};

use super::{Ctx, Hit};
use crate::ruleset::LangIndex;

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    for (rule, m) in cx.targets(index, "regex") {
        let MatchKind::Regex(r) = &m.kind else {
            continue;
        };
        let nodes = match r.within {
            RegexIn::Any => {
                for found in r.regex.find_iter(cx.source) {
                    hits.push(with_text(Hit::new(rule, found.range()), found.as_str()));
                }
                continue;
            }
            RegexIn::String => &cx.facts.strings,
            RegexIn::Comment => &cx.facts.comments,
        };
        for node in nodes {
            let base = node.range().start;
            for found in r.regex.find_iter(node.text()) {
                let range = base + found.start()..base + found.end();
                hits.push(with_text(Hit::new(rule, range), found.as_str()));
            }
        }
    }
}

fn with_text<'a>(mut hit: Hit<'a>, text: &str) -> Hit<'a> {
    hit.vars.push(("MATCH".into(), text.to_string().into()));
    hit
}
