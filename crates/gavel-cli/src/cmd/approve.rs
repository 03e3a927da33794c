//! `gavel approve ID PATH:LINE --reason TEXT [--expires DATE]` (SPEC 9.3): find that finding
//! (of a check rule, or a review rule's match), and record its approval, by git's `user.email`,
//! in `.gavel/approvals.toml`. Also [`use_approvals`], which `check` and `review` run.

use std::path::{Path, PathBuf};

use gavel_policy::AppliesTo;
use gavel_review::approvals::{self, Approval, Approvals};
use gavel_workspace::{
    Checker, Outcome, Selection, display_path,
    report::{Located, Report, ReportError},
};

use crate::cli::ApproveArgs;

pub fn run(args: ApproveArgs) -> u8 {
    match approve(&args) {
        Ok(said) => {
            println!("{said}");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn approve(args: &ApproveArgs) -> Result<String, String> {
    if std::env::var_os("CLAUDECODE").is_some() {
        return Err(
            "gavel approve is for people: it does not run in an AI agent's shell \
                    (CLAUDECODE is set); ask a code owner to approve"
                .into(),
        );
    }
    if !super::config_flag_ok(args.config.config.as_ref()) {
        return Err("see above".into());
    }
    let (path, line) = parse_at(&args.at)?;
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err("--reason is empty: say why this finding is acceptable".into());
    }
    let today = approvals::today();
    let expires = match &args.expires {
        None => approvals::after(today, approvals::DEFAULT_DAYS),
        Some(d) => d.parse().map_err(|_| {
            format!(
                "--expires {d}: not a date; write YYYY-MM-DD, e.g. {}",
                approvals::after(today, 30)
            )
        })?,
    };
    if expires < today {
        return Err(format!("--expires {expires} is in the past"));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let located = find(args, &cwd, &path, line)?;
    let file = approvals::default_path(&cwd);
    let shown = display_path(&file, &cwd);
    let existing = Approvals::load(&file, &shown)?;
    let approver = approvals::approver(&cwd)?;
    let approval = Approval {
        rule: args.id.clone(),
        path: existing.rel_path(&path),
        fingerprint: located.fingerprint.clone(),
        line: Some(located.start.line),
        reason: reason.to_string(),
        approver: approver.clone(),
        date: today,
        expires,
    };
    existing.add(&file, approval)?;
    Ok(format!(
        "approved: {} at {}:{} by {approver} until {expires} (in {shown})",
        args.id,
        display_path(&path, &cwd),
        located.start.line
    ))
}

/// `src/app.py:12` as a path and a line.
fn parse_at(at: &str) -> Result<(PathBuf, u32), String> {
    let bad = || format!("`{at}`: write the finding's place as PATH:LINE, e.g. app/views.py:12");
    let (path, line) = at.rsplit_once(':').ok_or_else(bad)?;
    let line: u32 = line.parse().map_err(|_| bad())?;
    let path = PathBuf::from(path);
    if !path.is_file() {
        return Err(format!("{}: no such file", path.display()));
    }
    Ok((path, line))
}

/// The finding of the rule on that line: a check rule's, else a review rule's match.
fn find(args: &ApproveArgs, cwd: &Path, path: &Path, line: u32) -> Result<Located, String> {
    let mut seen = Vec::new();
    for selection in [Selection::default(), Selection::default().for_review()] {
        let checker = Checker::new(
            args.config.config.clone(),
            cwd.to_path_buf(),
            None,
            AppliesTo::All,
        )
        .with_selection(selection);
        match checker.check(path, None) {
            Outcome::Checked(c) => {
                for l in c.file.findings {
                    if l.start.line <= line && line <= l.end.line {
                        if l.finding.rule_id == args.id {
                            return Ok(l);
                        }
                        seen.push(l.finding.rule_id.clone());
                    }
                }
            }
            Outcome::Failed(e) | Outcome::Skipped(e) => return Err(e),
            Outcome::Excluded => return Err(format!("{}: excluded by the config", path.display())),
        }
    }
    let shown = display_path(path, cwd);
    Err(if seen.is_empty() {
        format!(
            "no finding of `{}` at {shown}:{line}: run `gavel check {shown}` to see where it is",
            args.id
        )
    } else {
        format!(
            "no finding of `{}` at {shown}:{line}; that line has: {}",
            args.id,
            seen.join(", ")
        )
    })
}

/// Move the findings that an approval waives out of `report` (SPEC 9.3); say how many expired.
pub fn use_approvals(cwd: &Path, report: &mut Report) {
    let file = approvals::default_path(cwd);
    if !file.exists() {
        return;
    }
    match Approvals::load(&file, &display_path(&file, cwd)) {
        Ok(a) => {
            let applied = a.apply(report, cwd, approvals::today());
            if applied.expired > 0 {
                report.notes.push(format!(
                    "{} approval{} expired: those findings are back; approve them again or fix them",
                    applied.expired,
                    if applied.expired == 1 { "" } else { "s" }
                ));
            }
        }
        Err(e) => report.errors.push(ReportError::general(e)),
    }
}
