//! `--format json` (SPEC 5): one object, findings sorted by path then position, 1-based lines
//! and columns in Unicode scalar values.

use gavel_engine::Finding;
use serde_json::{Value, json};

use super::{Pos, Positions, Report};

pub fn render(report: &Report) -> String {
    let mut findings = Vec::new();
    let mut current: Option<(&str, Positions<'_>)> = None;
    for (file, f) in report.findings() {
        if current.as_ref().is_none_or(|(p, _)| *p != file.path) {
            current = Some((&file.path, Positions::new(&file.source)));
        }
        let (_, pos) = current.as_ref().expect("set above");
        findings.push(finding(&file.path, pos, f));
    }
    let out = json!({
        "version": 1,
        "findings": findings,
        "summary": {
            "files": report.files.len(),
            "findings": report.finding_count(),
            "suppressed": report.suppressed(),
        },
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&out).expect("JSON values serialize")
    )
}

fn point(p: Pos) -> Value {
    json!({"line": p.line, "column": p.column})
}

fn finding(path: &str, pos: &Positions<'_>, f: &Finding) -> Value {
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .map(|fix| {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| json!({"path": path, "start": point(pos.at(e.range.start)), "end": point(pos.at(e.range.end)), "text": e.text}))
                .collect();
            json!({"title": fix.title, "edits": edits})
        })
        .collect();
    let mut v = json!({
        "rule": f.rule_id,
        "severity": f.severity.as_str(),
        "category": f.category,
        "message": f.message,
        "path": path,
        "start": point(pos.at(f.range.start)),
        "end": point(pos.at(f.range.end)),
        "provenance": f.provenance.as_str(),
        "url": f.url(),
        "fixes": fixes,
    });
    if let Some(s) = f.sanctioned() {
        v["sanctioned"] = json!({"name": s.name, "docs": s.docs});
    }
    v
}
