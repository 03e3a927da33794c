//! `gavel_check`: findings for files or directories (`paths`), or for an unsaved buffer
//! (`path` + `text`), as `gavel check --format json` gives them, each with its agent message
//! (SPEC 7.1); at most `limit` (default 50), with a count of the rest.

use std::path::PathBuf;

use gavel_workspace::Outcome;
use rayon::prelude::*;
use rmcp::{model::CallToolResult, schemars};
use serde::Deserialize;
use serde_json::json;

use super::Ctx;
use crate::reply::{fail, ok};

/// At most this many findings unless the call asks for another `limit`.
pub const DEFAULT_LIMIT: usize = 50;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars", transform = super::portable)]
pub struct Args {
    /// Files or directories to check, relative to the workspace root or absolute inside it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub paths: Option<Vec<String>>,
    /// The file an unsaved buffer belongs to (with `text`): it is checked as if it were there.
    #[serde(default)]
    #[schemars(with = "String")]
    pub path: Option<String>,
    /// The buffer's contents, checked instead of the file on disk.
    #[serde(default)]
    #[schemars(with = "String")]
    pub text: Option<String>,
    /// At most this many findings (default 50); the result says how many more there are.
    #[serde(default)]
    #[schemars(with = "usize")]
    pub limit: Option<usize>,
}

pub fn run(ctx: &Ctx, args: Args) -> CallToolResult {
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
    let (targets, text) = match (&args.paths, &args.path, args.text) {
        (Some(_), Some(_), _) => return fail("give `paths`, or `path` with `text`, not both"),
        (None, None, Some(_)) => {
            return fail("`text` needs `path`: the file the buffer belongs to");
        }
        (None, None, None) => {
            return fail("give `paths` (files or directories) or `path` with `text` (a buffer)");
        }
        (Some(paths), None, None) => (paths.clone(), None),
        (Some(_), None, Some(_)) => return fail("`text` goes with `path`, not with `paths`"),
        (None, Some(path), text) => (vec![path.clone()], text),
    };
    let mut resolved = Vec::new();
    for p in &targets {
        match ctx.roots.resolve(p) {
            Ok(r) => resolved.push(r),
            Err(e) => return fail(e),
        }
    }
    let checker = ctx.checker();
    let mut errors: Vec<String> = Vec::new();
    let outcomes: Vec<(PathBuf, Outcome)> = match text {
        Some(text) => {
            let path = resolved.remove(0);
            vec![(path.clone(), checker.check(&path, Some(text)))]
        }
        None => {
            let (files, walk_errors) = gavel_workspace::walk(&resolved);
            errors.extend(walk_errors.iter().map(ToString::to_string));
            files
                .into_par_iter()
                .map(|f| {
                    let outcome = checker.check(&f, None);
                    (f, outcome)
                })
                .collect()
        }
    };
    let mut checked = Vec::new();
    let mut notes = Vec::new();
    for (path, outcome) in outcomes {
        match outcome {
            Outcome::Checked(c) => checked.push(*c),
            Outcome::Skipped(why) if targets.len() == 1 => notes.push(why),
            Outcome::Skipped(_) => {}
            Outcome::Excluded if targets.len() == 1 => {
                notes.push(format!(
                    "{}: excluded by the config; not checked",
                    gavel_workspace::display_path(&path, checker.cwd())
                ));
            }
            Outcome::Excluded => {}
            Outcome::Failed(e) => errors.push(e),
        }
    }
    for config in checker.configs().all() {
        errors.extend(config.errors.iter().map(ToString::to_string));
    }
    errors.sort();
    errors.dedup();
    let total: usize = checked.iter().map(|c| c.file.findings.len()).sum();
    let mut lines = Vec::new();
    let mut findings = Vec::new();
    for c in &checked {
        for l in &c.file.findings {
            if findings.len() == limit {
                break;
            }
            lines.push(finding_line(&c.file.path, l));
            findings.push(super::finding_json(&c.file.path, l));
        }
    }
    let more = total - findings.len();
    let text = summary(checked.len(), total, more, &lines, &notes, &errors);
    ok(
        text,
        json!({
            "findings": findings,
            "total": total,
            "more": more,
            "files": checked.len(),
            "notes": notes,
            "errors": errors,
        }),
    )
}

/// `path:line:col: severity: agent message`, then the preferred fix when there is one.
fn finding_line(path: &str, l: &gavel_workspace::report::Located) -> String {
    let f = &l.finding;
    let mut line = format!(
        "{path}:{}:{}: {}: {}",
        l.start.line,
        l.start.column,
        f.severity,
        f.agent_message()
    );
    if let Some(fix) = f.fixes.first() {
        line.push_str(&format!("\n  fix: {} (gavel_fix applies it)", fix.title));
    }
    line
}

fn summary(
    files: usize,
    total: usize,
    more: usize,
    lines: &[String],
    notes: &[String],
    errors: &[String],
) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    if more > 0 {
        out.push_str(&format!(
            "{more} more finding(s) not shown: check fewer paths, or pass a larger `limit`\n"
        ));
    }
    for n in notes {
        out.push_str(&format!("note: {n}\n"));
    }
    for e in errors {
        out.push_str(&format!("error: {e}\n"));
    }
    let s = if files == 1 { "" } else { "s" };
    out.push_str(&match total {
        0 => format!("gavel: no findings in {files} file{s}"),
        n => format!("gavel: {n} finding(s) in {files} file{s}"),
    });
    if !errors.is_empty() {
        out.push_str(&format!(
            "; {} error(s) (above): this report is incomplete",
            errors.len()
        ));
    }
    out.push('\n');
    out
}
