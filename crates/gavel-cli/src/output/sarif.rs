//! `--format sarif`: SARIF 2.1.0, with every loaded rule (and its `helpUri`), and results with
//! their fixes. Columns are Unicode code points, declared by `columnKind`.

use std::{collections::BTreeMap, sync::Arc};

use gavel_engine::BUILTIN_RULES;
use gavel_policy::{Rule, Severity};
use gavel_workspace::LoadedConfig;
use serde_json::{Value, json};

use super::{Located, Pos, Report};

pub fn render(report: &Report, configs: &[Arc<LoadedConfig>]) -> String {
    let mut rules: BTreeMap<String, Value> = BTreeMap::new();
    for config in configs {
        for active in &config.rules.rules {
            rules
                .entry(active.rule.id.clone())
                .or_insert_with(|| rule(&active.rule, active.severity));
        }
    }
    for (id, severity, message) in BUILTIN_RULES {
        rules.insert(id.to_string(), json!({"id": id, "shortDescription": {"text": message}, "defaultConfiguration": {"level": level(*severity)}}));
    }
    let index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut results = Vec::new();
    for (file, f) in report.findings() {
        results.push(result(
            &file.path,
            f,
            index.get(f.finding.rule_id.as_str()).copied(),
        ));
    }
    // Approved findings (SPEC 9.3) are results suppressed outside the code, with who and why.
    for (path, f) in &report.approved {
        let mut r = result(path, f, index.get(f.finding.rule_id.as_str()).copied());
        if let Some(a) = &f.approved {
            r["suppressions"] = json!([{
                "kind": "external",
                "status": "accepted",
                "justification": a.reason,
                "properties": {"approver": a.approver, "expires": a.expires},
            }]);
        }
        results.push(r);
    }
    let out = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gavel",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "invocations": [invocation(report)],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&out).expect("JSON values serialize")
    )
}

/// Whether the run succeeded, with each error as a notification (SPEC 5): a SARIF upload after
/// a broken config shows a failed run, not a clean one.
fn invocation(report: &Report) -> Value {
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let mut n = json!({"level": "error", "message": {"text": e.message}});
            if let Some(path) = &e.path {
                let mut location = json!({"artifactLocation": {"uri": path}});
                if let (Some(line), Some(column)) = (e.line, e.column) {
                    location["region"] = json!({"startLine": line, "startColumn": column});
                }
                n["locations"] = json!([{"physicalLocation": location}]);
            }
            n
        })
        .collect();
    json!({
        "executionSuccessful": report.errors.is_empty(),
        "toolExecutionNotifications": notifications,
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
        Severity::Off => "none",
    }
}

fn rule(r: &Rule, severity: Severity) -> Value {
    let mut v = json!({
        "id": r.id,
        "shortDescription": {"text": r.message},
        "defaultConfiguration": {"level": level(severity), "enabled": severity != Severity::Off},
        "properties": {"category": r.category, "language": r.language.name(), "pack": r.pack},
    });
    if let Some(note) = &r.note {
        v["fullDescription"] = json!({"text": note});
        v["help"] = json!({"text": note, "markdown": note});
    }
    if let Some(url) = r.url.as_deref().filter(|u| u.contains("://")) {
        v["helpUri"] = json!(url);
    }
    if let Some(s) = &r.sanctioned {
        v["properties"]["sanctioned"] = json!(s.name);
    }
    v
}

fn region(start: Pos, end: Pos) -> Value {
    json!({"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column})
}

fn result(path: &str, located: &Located, rule_index: Option<usize>) -> Value {
    let f = &located.finding;
    let location = json!({"physicalLocation": {
        "artifactLocation": {"uri": path},
        "region": region(located.start, located.end),
    }});
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .zip(&located.edits)
        .map(|(fix, positions)| {
            let replacements: Vec<Value> = fix
                .edits
                .iter()
                .zip(positions)
                .map(|(e, (start, end))| json!({"deletedRegion": region(*start, *end), "insertedContent": {"text": e.text}}))
                .collect();
            json!({"description": {"text": fix.title}, "artifactChanges": [{"artifactLocation": {"uri": path}, "replacements": replacements}]})
        })
        .collect();
    let mut v = json!({
        "ruleId": f.rule_id,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [location],
        "properties": {"provenance": f.provenance.as_str(), "category": f.category},
    });
    if let Some(changed) = f.changed {
        v["properties"]["changed"] = json!(changed);
    }
    // GitHub code scanning tracks an alert across line moves by its partial fingerprints.
    v["partialFingerprints"] = json!({"gavel/v1": located.fingerprint});
    if let Some(b) = located.baseline {
        v["baselineState"] = json!(b.as_str());
    }
    if let Some(i) = rule_index {
        v["ruleIndex"] = json!(i);
    }
    if !fixes.is_empty() {
        v["fixes"] = json!(fixes);
    }
    v
}
