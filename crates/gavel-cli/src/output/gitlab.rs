//! `--format gitlab`: GitLab's code quality report (the Code Climate subset GitLab reads), for
//! the merge request widget: one object per finding with its description (the agent message),
//! rule as `check_name`, the SPEC 8 fingerprint, a severity GitLab knows, and the path and
//! 1-based lines.

use serde::Serialize;

use super::Report;
use gavel_policy::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: &'a str,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

/// GitLab's levels: info, minor, major, critical, blocker.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        _ => "info",
    }
}

pub fn render(report: &Report) -> String {
    let issues: Vec<Issue<'_>> = report
        .findings()
        .map(|(file, l)| Issue {
            description: l.finding.agent_message(),
            check_name: &l.finding.rule_id,
            fingerprint: &l.fingerprint,
            severity: severity(l.finding.severity),
            location: Location {
                path: &file.path,
                lines: Lines {
                    begin: l.start.line,
                    end: l.end.line,
                },
            },
        })
        .collect();
    format!(
        "{}\n",
        serde_json::to_string_pretty(&issues).expect("the report serializes")
    )
}
