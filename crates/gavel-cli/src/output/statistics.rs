//! `--statistics` (SPEC 5, as ruff has it): one line per rule instead of the findings: how many,
//! the rule id, `[*]` when its findings can be fixed with `--fix`, and the rule's message; most
//! frequent first, then by id. With `--format json`, the same as an array.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Report;

#[derive(Serialize)]
struct Row<'a> {
    count: usize,
    rule: &'a str,
    fixable: bool,
    message: &'a str,
}

fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut by_rule: BTreeMap<&str, Row<'_>> = BTreeMap::new();
    for (_, l) in report.findings() {
        let f = &l.finding;
        let message = f
            .rule
            .as_ref()
            .map_or(f.message.as_str(), |r| r.message.as_str());
        let row = by_rule.entry(&f.rule_id).or_insert(Row {
            count: 0,
            rule: &f.rule_id,
            fixable: false,
            message,
        });
        row.count += 1;
        row.fixable |= !f.fixes.is_empty();
    }
    let mut rows: Vec<Row<'_>> = by_rule.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    rows
}

pub fn text(report: &Report) -> String {
    let rows = rows(report);
    let count_w = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let rule_w = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let fix = if r.fixable { "[*]" } else { "   " };
        out.push_str(&format!(
            "{:>count_w$}  {:<rule_w$}  {fix}  {}\n",
            r.count,
            r.rule,
            r.message.lines().next().unwrap_or("")
        ));
    }
    if rows.iter().any(|r| r.fixable) {
        out.push_str("[*] fixable with --fix\n");
    }
    out
}

pub fn json(report: &Report) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(&rows(report)).expect("statistics serialize")
    )
}
