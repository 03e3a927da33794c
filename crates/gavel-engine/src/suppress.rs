//! Suppressions (SPEC 3): `gavel: allow(ID[, ID...]) REASON` at the end of the finding's first
//! line or alone on the line above, and `gavel: allow-file(...) REASON` before the first line
//! of code. Also gavel's own findings about suppressions.

use std::{ops::Range, sync::LazyLock};

use gavel_policy::{AppliesTo, Severity};
use gavel_syntax::LineIndex;
use regex::Regex;

use crate::{
    facts::Facts,
    finding::{Edit, Finding, Fix, Provenance, Waived},
    ruleset::{BUILTIN_RULES, RuleSet},
};

static ALLOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"gavel:\s*(allow-file|allow)\s*\(([^)]*)\)(.*)").expect("valid regex")
});

struct Suppression {
    comment: Range<usize>,
    /// Each id with its range in the file.
    ids: Vec<(String, Range<usize>)>,
    used: Vec<bool>,
    /// Ids that named a finding of a `requires_approval` rule, which the comment cannot waive.
    refused: Vec<bool>,
    reason: String,
    file_level: bool,
    /// Lines (0-based) whose findings it covers.
    lines: Vec<usize>,
    /// Nothing but whitespace precedes the comment on its line.
    own_line: bool,
}

/// Drop suppressed findings and add gavel's own findings. Returns what was suppressed.
pub(crate) fn apply(
    rules: &RuleSet,
    source: &str,
    index: &LineIndex,
    facts: &Facts<'_>,
    findings: &mut Vec<Finding>,
) -> Vec<Waived> {
    let first_code = first_code_offset(facts);
    let mut sups: Vec<Suppression> = facts
        .comments
        .iter()
        .filter_map(|c| parse(source, index, c.range(), c.text(), first_code))
        .collect();
    if sups.is_empty() {
        return Vec::new();
    }
    let mut waived = Vec::new();
    findings.retain(|f| {
        let line = index.line_of(f.range.start);
        for s in &mut sups {
            if !(s.file_level || s.lines.contains(&line)) {
                continue;
            }
            if let Some(i) = s.ids.iter().position(|(id, _)| *id == f.rule_id) {
                s.used[i] = true;
                if f.rule.as_ref().is_some_and(|r| r.requires_approval) {
                    s.refused[i] = true;
                    return true;
                }
                waived.push(Waived {
                    rule_id: f.rule_id.clone(),
                    reason: s.reason.clone(),
                    line,
                });
                return false;
            }
        }
        true
    });
    for s in &sups {
        report(rules, source, index, s, findings);
    }
    waived
}

fn first_code_offset(facts: &Facts<'_>) -> usize {
    let Some(unit) = facts.outline.or(facts.units.first().copied()) else {
        return 0;
    };
    let root = unit.tree.root_node();
    let mut cursor = root.walk();
    let first = root
        .named_children(&mut cursor)
        .find(|n| !n.kind().contains("comment") && n.kind() != "inner_attribute_item");
    first.map_or(usize::MAX, |n| n.start_byte())
}

fn parse(
    source: &str,
    index: &LineIndex,
    range: Range<usize>,
    text: &str,
    first_code: usize,
) -> Option<Suppression> {
    let caps = ALLOW.captures(text)?;
    let list = caps.get(2)?;
    let base = range.start + list.start();
    let mut ids = Vec::new();
    let mut offset = 0;
    for part in list.as_str().split(',') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let start = base + offset + (part.len() - part.trim_start().len());
            ids.push((trimmed.to_string(), start..start + trimmed.len()));
        }
        offset += part.len() + 1;
    }
    // Prose that only mentions the syntax (`allow(ID[, ID...])`) is not a suppression.
    let is_id = |id: &str| {
        id.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    if ids.is_empty() || !ids.iter().all(|(id, _)| is_id(id)) || is_doc_comment(text) {
        return None;
    }
    let reason = caps
        .get(3)
        .map_or("", |m| m.as_str())
        .trim()
        .trim_end_matches("*/")
        .trim()
        .to_string();
    let line = index.line_of(range.start);
    let line_start = index.line_start(line);
    let own_line = source[line_start..range.start].trim().is_empty();
    let is_file_form = &caps[1] == "allow-file";
    let file_level = is_file_form && range.start < first_code;
    // A misplaced allow-file suppresses nothing (and is reported as unused).
    let lines = match (is_file_form, own_line) {
        (true, _) => Vec::new(),
        (false, true) => vec![line, line + 1],
        (false, false) => vec![line],
    };
    Some(Suppression {
        comment: range,
        used: vec![false; ids.len()],
        refused: vec![false; ids.len()],
        ids,
        reason,
        file_level,
        lines,
        own_line,
    })
}

/// Rust doc comments document code; they never suppress.
fn is_doc_comment(text: &str) -> bool {
    ["///", "//!", "/**", "/*!"]
        .iter()
        .any(|p| text.starts_with(p))
}

fn report(
    rules: &RuleSet,
    source: &str,
    index: &LineIndex,
    s: &Suppression,
    findings: &mut Vec<Finding>,
) {
    let mut push = |id: &str, range: Range<usize>, message: String, fixes: Vec<Fix>| {
        let severity = rules.builtin_severity(id);
        if severity == Severity::Off {
            return;
        }
        findings.push(Finding {
            rule_id: id.to_string(),
            rule: None,
            severity,
            category: "suppression".into(),
            message,
            instead: None,
            remedy: Default::default(),
            range,
            fixes,
            provenance: Provenance::Unknown,
            changed: None,
            applies_to: AppliesTo::All,
        });
    };
    if rules.options.require_reason && s.reason.is_empty() {
        push(BUILTIN_RULES[0].0, s.comment.clone(), "This suppression gives no reason: write why after the closing parenthesis, e.g. `gavel: allow(ID) the input is a constant`".into(), Vec::new());
    }
    // A rule that is off (by the config, or left out by `--select`/`--ignore`) did not run: its
    // suppressions cannot be judged, and must never be removed as unused.
    let unused: Vec<usize> = (0..s.ids.len())
        .filter(|&i| !s.used[i] && rules.is_known(&s.ids[i].0) && !rules.is_off(&s.ids[i].0))
        .collect();
    for (i, (id, range)) in s.ids.iter().enumerate() {
        if s.refused[i] {
            push(
                BUILTIN_RULES[3].0,
                range.clone(),
                format!(
                    "`{id}` requires an approval: a comment cannot waive it; a code owner runs `gavel approve {id} PATH:LINE --reason TEXT`"
                ),
                Vec::new(),
            );
        } else if !rules.is_known(id) {
            let known = rules.rules.iter().map(|r| r.rule.id.as_str());
            let hint = gavel_policy::did_you_mean(id, known)
                .map(|b| format!(": did you mean `{b}`?"))
                .unwrap_or_else(|| ": check the id with `gavel rules`".into());
            push(
                BUILTIN_RULES[2].0,
                range.clone(),
                format!("Unknown rule `{id}` in suppression{hint}"),
                Vec::new(),
            );
        } else if unused.contains(&i) {
            let all_unused = unused.len() == s.ids.len();
            let fix = Fix {
                title: format!("Remove unused suppression of `{id}`"),
                edits: vec![if all_unused {
                    remove_comment(source, index, s)
                } else {
                    remove_id(s, i)
                }],
            };
            let message = if s.lines.is_empty() && !s.file_level {
                format!(
                    "Unused suppression: `allow-file({id})` only works in a comment before the first line of code"
                )
            } else {
                format!("Unused suppression: `{id}` reports nothing here")
            };
            push(BUILTIN_RULES[1].0, range.clone(), message, vec![fix]);
        }
    }
}

/// Remove the whole comment, with its line when it stands alone, else with the space before it.
fn remove_comment(source: &str, index: &LineIndex, s: &Suppression) -> Edit {
    let line = index.line_of(s.comment.start);
    if s.own_line {
        let start = index.line_start(line);
        let end = index.line_start(line + 1).max(s.comment.end);
        return Edit {
            range: start..end,
            text: String::new(),
        };
    }
    let before = source[..s.comment.start]
        .trim_end_matches([' ', '\t'])
        .len();
    Edit {
        range: before..s.comment.end,
        text: String::new(),
    }
}

/// Remove one id from the list, with its comma.
fn remove_id(s: &Suppression, i: usize) -> Edit {
    let range = s.ids[i].1.clone();
    let range = if i + 1 < s.ids.len() {
        range.start..s.ids[i + 1].1.start
    } else {
        s.ids[i - 1].1.end..range.end
    };
    Edit {
        range,
        text: String::new(),
    }
}
