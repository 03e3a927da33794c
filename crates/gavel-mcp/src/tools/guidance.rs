//! `gavel_guidance`: before writing code about a topic ("http client", "logging", "sql"), the
//! sanctioned libraries and rules that match it, so an agent asks before it writes. A rule
//! matches by the topic's words in its id, category, message, note, `instead`, sanctioned
//! library and the names it flags; "python" or "rust" among the words picks the language.

use std::{collections::BTreeMap, sync::Arc};

use gavel_policy::{Rule, Severity};
use gavel_syntax::Lang;
use rmcp::{model::CallToolResult, schemars};
use serde::Deserialize;
use serde_json::json;

use super::{Ctx, config_errors, rule_line, rule_summary};
use crate::reply::{fail, ok};

/// At most this many rules in one answer.
const MAX_RULES: usize = 20;

/// Words that say nothing about a topic.
const STOP: &[&str] = &[
    "a", "an", "and", "the", "to", "for", "of", "in", "on", "with", "how", "do", "i", "we", "use",
    "using", "what", "which", "should", "make", "call", "or", "my", "our", "is", "it", "code",
    "write", "library", "lib", "way", "best", "from", "into",
];

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars", transform = super::portable)]
pub struct Args {
    /// What the code is about to do, in a few words: "http client", "logging", "run a
    /// subprocess", "sql query".
    pub topic: String,
    /// The file the code goes in: only rules for its language and path.
    #[serde(default)]
    #[schemars(with = "String")]
    pub path: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> CallToolResult {
    let path = match args.path.as_deref().map(|p| ctx.roots.resolve(p)) {
        Some(Err(e)) => return fail(e),
        Some(Ok(p)) => Some(p),
        None => None,
    };
    let (words, lang) = topic_words(&args.topic);
    if words.is_empty() {
        return fail(
            "`topic` has no words to look for; say what the code does, e.g. \"http client\"",
        );
    }
    let config = ctx.config_for(path.as_deref());
    let rows: Vec<(Arc<Rule>, Severity)> = match &path {
        Some(p) => {
            let rel = config.rel_path(p);
            match Lang::from_path(p) {
                Some(l) => config
                    .rules
                    .rules_for(l, &rel)
                    .map(|r| (r.rule.clone(), r.severity))
                    .collect(),
                None => Vec::new(),
            }
        }
        None => config
            .rules
            .rules
            .iter()
            .filter(|r| r.severity != Severity::Off)
            .filter(|r| lang.is_none_or(|l| r.rule.language == l))
            .map(|r| (r.rule.clone(), r.severity))
            .collect(),
    };
    let mut scored: Vec<(usize, &(Arc<Rule>, Severity))> = rows
        .iter()
        .map(|row| (score(&row.0, &words), row))
        .filter(|(s, _)| *s > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.0.id.cmp(&b.1.0.id)));
    let more = scored.len().saturating_sub(MAX_RULES);
    scored.truncate(MAX_RULES);
    let libraries = libraries(scored.iter().map(|(_, row)| &row.0));
    let text = describe(&args.topic, &libraries, &scored, more, &rows);
    ok(
        text,
        json!({
            "topic": args.topic,
            "libraries": libraries.iter().map(|(name, l)| json!({
                "name": name,
                "docs": l.docs,
                "replaces": l.replaces,
                "instead": l.instead,
                "rules": l.rules,
            })).collect::<Vec<_>>(),
            "rules": scored.iter().map(|(_, (r, s))| rule_summary(r, *s)).collect::<Vec<_>>(),
            "more": more,
            "errors": config_errors(&config),
        }),
    )
}

/// The topic's words, lowercase, without stop words; and the language it names, if any.
fn topic_words(topic: &str) -> (Vec<String>, Option<Lang>) {
    let mut lang = None;
    let mut words = Vec::new();
    for w in topic
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty())
    {
        match w.as_str() {
            "python" | "py" => lang = Some(Lang::Python),
            "rust" | "rs" => lang = Some(Lang::Rust),
            _ if STOP.contains(&w.as_str()) => {}
            _ if !words.contains(&w) => words.push(w),
            _ => {}
        }
    }
    (words, lang)
}

/// How many of the words the rule's text holds.
fn score(r: &Rule, words: &[String]) -> usize {
    let mut hay = format!(
        "{} {} {} {} {} {}",
        r.id,
        r.category,
        r.message,
        r.note.as_deref().unwrap_or(""),
        r.instead.as_deref().unwrap_or(""),
        gavel_agents::agents_md::flagged(r).unwrap_or_default(),
    );
    if let Some(s) = &r.sanctioned {
        hay.push(' ');
        hay.push_str(&s.name);
    }
    let hay = hay.to_lowercase();
    words.iter().filter(|w| hay.contains(w.as_str())).count()
}

#[derive(Default)]
struct Library {
    docs: Option<String>,
    replaces: Vec<String>,
    instead: Vec<String>,
    rules: Vec<String>,
}

/// The sanctioned libraries of `rules`, by name: what each replaces and how to call it.
fn libraries<'a>(rules: impl Iterator<Item = &'a Arc<Rule>>) -> BTreeMap<String, Library> {
    let mut out: BTreeMap<String, Library> = BTreeMap::new();
    for r in rules {
        let Some(s) = &r.sanctioned else { continue };
        let l = out.entry(s.name.clone()).or_default();
        l.docs = l.docs.take().or_else(|| s.docs.clone());
        if let Some(f) = gavel_agents::agents_md::flagged(r)
            && !l.replaces.contains(&f)
        {
            l.replaces.push(f);
        }
        if let Some(i) = &r.instead
            && !l.instead.contains(i)
        {
            l.instead.push(i.clone());
        }
        l.rules.push(r.id.clone());
    }
    out
}

fn describe(
    topic: &str,
    libraries: &BTreeMap<String, Library>,
    scored: &[(usize, &(Arc<Rule>, Severity))],
    more: usize,
    all: &[(Arc<Rule>, Severity)],
) -> String {
    let mut out = String::new();
    if scored.is_empty() {
        let mut names: Vec<&str> = all
            .iter()
            .filter_map(|(r, _)| r.sanctioned.as_ref().map(|s| s.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        out.push_str(&format!(
            "No house rule or sanctioned library matches \"{topic}\"."
        ));
        if !names.is_empty() {
            out.push_str(&format!(
                " The sanctioned libraries are: {}.",
                names.join(", ")
            ));
        }
        out.push_str(" gavel_rules lists every rule.\n");
        return out;
    }
    if !libraries.is_empty() {
        out.push_str(&format!("Sanctioned libraries for \"{topic}\":\n"));
        for (name, l) in libraries {
            let docs = l
                .docs
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            out.push_str(&format!("- {name}{docs}"));
            if !l.replaces.is_empty() {
                out.push_str(&format!(": instead of {}", l.replaces.join("; ")));
            }
            out.push('\n');
            for i in &l.instead {
                out.push_str(&format!("  write: {i}\n"));
            }
        }
    }
    out.push_str(&format!("Rules about \"{topic}\":\n"));
    for (_, (r, s)) in scored {
        out.push_str(&format!("- {}\n", rule_line(r, *s)));
    }
    if more > 0 {
        out.push_str(&format!(
            "{more} more rule(s) match; use more precise words\n"
        ));
    }
    out
}
