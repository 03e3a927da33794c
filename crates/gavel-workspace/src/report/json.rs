//! `--format json` (SPEC 5): one object, findings sorted by path then position, 1-based lines
//! and columns in Unicode scalar values. Typed views of the report, serialized in field order.

use gavel_engine::Provenance;
use serde::Serialize;

use super::{Located, Pos, Report};

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
            provenance: Counts {
                ai: report.with_provenance(Provenance::Ai),
                changed: report.with_provenance(Provenance::Changed),
                unchanged: report.with_provenance(Provenance::Unchanged),
                unknown: report.with_provenance(Provenance::Unknown),
            },
        },
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&out).expect("the report serializes")
    )
}

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    findings: Vec<Finding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    suppressed: usize,
    provenance: Counts,
}

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
    url: Option<&'a str>,
    fixes: Vec<Fix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sanctioned: Option<Sanctioned<'a>>,
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
        url: f.url(),
        fixes,
        sanctioned: f.sanctioned().map(|s| Sanctioned {
            name: &s.name,
            docs: s.docs.as_deref(),
        }),
    }
}
