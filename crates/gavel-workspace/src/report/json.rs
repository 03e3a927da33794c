//! `--format json` (SPEC 5): one object, findings sorted by path then position, 1-based lines
//! and columns in Unicode scalar values. Typed views of the report, serialized in field order.

use serde::Serialize;

use super::{Located, Pos, Report, ReportError};

pub fn render(report: &Report) -> String {
    let out = Output {
        version: 1,
        findings: report
            .findings()
            .map(|(file, f)| finding(&file.path, f))
            .collect(),
        summary: Summary {
            files: report.files.len(),
            findings: report.finding_count(),
            suppressed: report.suppressed(),
            baselined: report.baselined,
            approved: report.approved.len(),
            errors: report.errors.len(),
            provenance: Counts {
                ai: report.on_ai_lines(),
                changed: report.with_changed(Some(true)),
                unchanged: report.with_changed(Some(false)),
                unknown: report.with_changed(None),
            },
        },
        errors: &report.errors,
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&out).expect("the report serializes")
    )
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    findings: Vec<Finding<'a>>,
    summary: Summary,
    /// Config, pack and file errors: a report with any is incomplete (SPEC 5).
    errors: &'a [ReportError],
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    suppressed: usize,
    /// Left out because the baseline knows them; absent without a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    baselined: Option<usize>,
    /// Waived by an approval (SPEC 9.3).
    #[serde(skip_serializing_if = "is_zero")]
    approved: usize,
    errors: usize,
    provenance: Counts,
}

/// Two facts counted apart (SPEC 4): `ai` findings are on AI-written lines, whether changed or
/// not; `changed`, `unchanged` and `unknown` (outside a repository) add up to all findings.
#[derive(Serialize)]
struct Counts {
    ai: usize,
    changed: usize,
    unchanged: usize,
    unknown: usize,
}

#[derive(Serialize)]
pub struct Finding<'a> {
    rule: &'a str,
    severity: &'a str,
    category: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    instead: Option<&'a str>,
    path: &'a str,
    start: Point,
    end: Point,
    provenance: &'a str,
    /// Its lines changed since the base; absent outside a repository (SPEC 4).
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<bool>,
    url: Option<&'a str>,
    fixes: Vec<Fix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sanctioned: Option<Sanctioned<'a>>,
    /// Stable when lines move (SPEC 8).
    fingerprint: &'a str,
    /// `new` or `unchanged`, when a baseline is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct Point {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Fix<'a> {
    title: &'a str,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Edit<'a> {
    path: &'a str,
    start: Point,
    end: Point,
    text: &'a str,
}

#[derive(Serialize)]
struct Sanctioned<'a> {
    name: &'a str,
    docs: Option<&'a str>,
}

fn point(p: Pos) -> Point {
    Point {
        line: p.line,
        column: p.column,
    }
}

/// One finding as `--format json` prints it (SPEC 5).
pub fn finding<'a>(path: &'a str, located: &'a Located) -> Finding<'a> {
    let f = &located.finding;
    let fixes = f
        .fixes
        .iter()
        .zip(&located.edits)
        .map(|(fix, positions)| Fix {
            title: &fix.title,
            edits: fix
                .edits
                .iter()
                .zip(positions)
                .map(|(e, (start, end))| Edit {
                    path,
                    start: point(*start),
                    end: point(*end),
                    text: &e.text,
                })
                .collect(),
        })
        .collect();
    Finding {
        rule: &f.rule_id,
        severity: f.severity.as_str(),
        category: &f.category,
        message: &f.message,
        instead: f.instead.as_deref(),
        path,
        start: point(located.start),
        end: point(located.end),
        provenance: f.provenance.as_str(),
        changed: f.changed,
        url: f.url(),
        fixes,
        sanctioned: f.sanctioned().map(|s| Sanctioned {
            name: &s.name,
            docs: s.docs.as_deref(),
        }),
        fingerprint: &located.fingerprint,
        baseline: located.baseline.map(|b| b.as_str()),
    }
}
