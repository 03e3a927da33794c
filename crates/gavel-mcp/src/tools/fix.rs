//! `gavel_fix`: the preferred fixes of a file's findings (all rules, or `rules`), applied until
//! none is left, as `gavel check --fix` does; returns the fixed text and what was fixed. Writes
//! the file only with `write = true`, and then atomically and only if the file is still what
//! was read.

use gavel_engine::{FileReport, fix_text};
use gavel_workspace::{Fixed, Outcome, Source, read_source, write_fixed};
use rmcp::{model::CallToolResult, schemars};
use serde::Deserialize;
use serde_json::json;

use super::Ctx;
use crate::reply::{fail, ok};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars", transform = super::portable)]
pub struct Args {
    /// The file to fix, relative to the workspace root or absolute inside it.
    pub path: String,
    /// An unsaved buffer of that file, fixed instead of the file on disk (then `write` is not
    /// allowed: the buffer is the editor's to save).
    #[serde(default)]
    #[schemars(with = "String")]
    pub text: Option<String>,
    /// Only these rules' fixes (ids); all rules' when absent.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub rules: Option<Vec<String>>,
    /// Write the fixed text over the file (default false: only return it).
    #[serde(default)]
    pub write: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> CallToolResult {
    if args.write && args.text.is_some() {
        return fail(
            "`write` fixes the file on disk, and `text` is a buffer: drop `text` to fix the \
             file, or drop `write` and put the returned text in the buffer",
        );
    }
    let path = match ctx.roots.resolve(&args.path) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    // The bytes on disk, to write only over what was read.
    let disk = if args.write {
        std::fs::read(&path).ok()
    } else {
        None
    };
    let original = match &args.text {
        Some(t) => t.clone(),
        None => match read_source(&path) {
            Ok(gavel_workspace::SourceText::Text(t)) => t,
            Ok(gavel_workspace::SourceText::Decoded { encoding, .. }) => {
                return fail(format!(
                    "{}: it is {}, and gavel writes fixes to UTF-8 files only",
                    args.path,
                    encoding.name()
                ));
            }
            Ok(
                gavel_workspace::SourceText::Skipped(why)
                | gavel_workspace::SourceText::Refused(why),
            ) => {
                return fail(format!("{}: not fixed: {why}", args.path));
            }
            Err(e) => return fail(e.to_string()),
        },
    };
    let checker = ctx.checker();
    let only = args.rules.clone();
    let mut applied = Vec::new();
    let mut problems = Vec::new();
    let outcome = checker.check_with(&path, Some(original.clone()), |source, text, report| {
        let keep = |mut r: FileReport| {
            if let Some(ids) = &only {
                r.findings.retain(|f| ids.contains(&f.rule_id));
            }
            r
        };
        applied = fixable(&keep(report.clone()));
        let check = |t: &str| keep(source.config.check_text(source.path, source.lang, t));
        let done = fix_text(source.lang, &text, keep(report), check);
        problems = done.problems;
        let report = full_report(source, &done.text);
        Fixed {
            text: done.text,
            report,
            fixed: done.fixed,
            error: None,
        }
    });
    let checked = match outcome {
        Outcome::Checked(c) => *c,
        Outcome::Skipped(why) => return fail(why),
        Outcome::Excluded => return fail(format!("{}: excluded by the config", args.path)),
        Outcome::Failed(e) => return fail(e),
    };
    if let Some(ids) = &args.rules {
        let config = checker.configs().for_file(&path);
        if let Some(unknown) = ids.iter().find(|id| config.rules.get(id).is_none()) {
            return fail(format!(
                "no loaded rule is called `{unknown}`; gavel_rules lists them"
            ));
        }
    }
    let changed = checked.text != original;
    let mut written = false;
    if args.write && changed {
        let read = disk.unwrap_or_default();
        if let Err(e) = write_fixed(&path, &read, &checked.text) {
            return fail(format!("{}: not written: {e}", args.path));
        }
        written = true;
    }
    let remaining: Vec<serde_json::Value> = checked
        .file
        .findings
        .iter()
        .map(|l| super::finding_json(&checked.file.path, l))
        .collect();
    let text = describe(
        &checked.file.path,
        checked.file.fixed,
        written,
        &problems,
        &checked.file.findings,
        &checked.text,
    );
    ok(
        text,
        json!({
            "path": checked.file.path,
            "fixed": checked.file.fixed,
            "fixable": applied,
            "changed": changed,
            "written": written,
            "problems": problems,
            "remaining": remaining,
            "text": checked.text,
        }),
    )
}

/// The fixes the findings offered before fixing: rule, title and line.
fn fixable(report: &FileReport) -> Vec<serde_json::Value> {
    report
        .findings
        .iter()
        .filter_map(|f| {
            f.fixes
                .first()
                .map(|fix| json!({"rule": f.rule_id, "title": fix.title}))
        })
        .collect()
}

/// Every rule's findings in the fixed text (`rules` narrows what is fixed, not what is told).
fn full_report(source: &Source<'_>, text: &str) -> FileReport {
    source.config.check_text(source.path, source.lang, text)
}

fn describe(
    path: &str,
    fixed: usize,
    written: bool,
    problems: &[String],
    remaining: &[gavel_workspace::report::Located],
    text: &str,
) -> String {
    let mut out = match (fixed, written) {
        (0, _) => format!("{path}: nothing to fix\n"),
        (n, true) => format!("{path}: {n} fix(es) applied and written\n"),
        (n, false) => format!(
            "{path}: {n} fix(es) applied; not written (pass write = true to write them), \
             the fixed text is below\n"
        ),
    };
    for p in problems {
        out.push_str(&format!("warning: {p}\n"));
    }
    for l in remaining {
        out.push_str(&format!(
            "left: {path}:{}:{}: {}: {}\n",
            l.start.line,
            l.start.column,
            l.finding.severity,
            l.finding.agent_message()
        ));
    }
    if fixed > 0 && !written {
        out.push_str("--- fixed text\n");
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
