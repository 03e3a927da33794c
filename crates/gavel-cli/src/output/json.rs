//! `--format json` (SPEC 5): one object, findings sorted by path then position, 1-based lines
//! and columns in Unicode scalar values.

use gavel_engine::Provenance;
use serde_json::{Value, json};

use super::{Located, Pos, Report};

pub fn render(report: &Report) -> String {
    let findings: Vec<Value> = report
        .findings()
        .map(|(file, f)| finding(&file.path, f))
        .collect();
    let out = json!({
        "version": 1,
        "findings": findings,
        "summary": {
            "files": report.files.len(),
            "findings": report.finding_count(),
            "suppressed": report.suppressed(),
            "provenance": {
                "ai": report.with_provenance(Provenance::Ai),
                "changed": report.with_provenance(Provenance::Changed),
                "unchanged": report.with_provenance(Provenance::Unchanged),
                "unknown": report.with_provenance(Provenance::Unknown),
            },
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

fn finding(path: &str, located: &Located) -> Value {
    let f = &located.finding;
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .zip(&located.edits)
        .map(|(fix, positions)| {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .zip(positions)
                .map(|(e, (start, end))| json!({"path": path, "start": point(*start), "end": point(*end), "text": e.text}))
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
        "start": point(located.start),
        "end": point(located.end),
        "provenance": f.provenance.as_str(),
        "url": f.url(),
        "fixes": fixes,
    });
    if let Some(s) = f.sanctioned() {
        v["sanctioned"] = json!({"name": s.name, "docs": s.docs});
    }
    v
}
