//! `gavel check`: walk, check in parallel (gavel-workspace's `Checker`), optionally fix, print,
//! and pick the exit code.

use std::{collections::BTreeSet, path::PathBuf};

use gavel_workspace::{Checker, Outcome, WorkspaceError, display_path, report::ReportError, walk};
use rayon::prelude::*;

use crate::{
    cli::{CheckArgs, Format},
    cmd::{check_fix, check_stdin},
    output::{self, CheckedFile, Report},
};

pub fn run(args: CheckArgs) -> u8 {
    if let Some(f) = &args.config.config
        && !f.is_file()
    {
        eprintln!(
            "error: --config {}: no such file; pass the path of a gavel.toml",
            f.display()
        );
        return 2;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let checker = Checker::new(
        args.config.config.clone(),
        cwd,
        args.base.clone(),
        args.scope.applies_to(),
    );
    if let Some(path) = &args.stdin_filename {
        return check_stdin::run(&args, &checker, path);
    }
    let (files, walk_errors) = walk(&args.paths);
    let outcomes: Vec<(PathBuf, Outcome)> = files
        .into_par_iter()
        .map(|f| {
            let outcome = if args.fix {
                checker.check_with(&f, None, check_fix::fix_file)
            } else {
                checker.check(&f, None)
            };
            (f, outcome)
        })
        .collect();
    let report = collect(&checker, outcomes, &walk_errors);
    finish(&args, &checker, &report)
}

/// The report of a run with its errors (the walk's, then the configs', then the files', each
/// once).
pub fn collect(
    checker: &Checker,
    outcomes: Vec<(PathBuf, Outcome)>,
    walk_errors: &[WorkspaceError],
) -> Report {
    let mut report = Report::default();
    let mut errors: Vec<ReportError> = walk_errors.iter().map(ReportError::from).collect();
    let mut config_errors = BTreeSet::new();
    for config in checker.configs().all() {
        config_errors.extend(config.errors.iter().map(ReportError::from));
    }
    errors.extend(config_errors);
    for (path, o) in outcomes {
        let about = |e: &str| ReportError::about(&display_path(&path, checker.cwd()), e);
        match o {
            Outcome::Checked(checked) => {
                errors.extend(checked.error.as_deref().map(about));
                report.files.push(checked.file);
                report.notes.extend(checked.note);
            }
            Outcome::Skipped(note) => report.notes.push(note),
            Outcome::Excluded => {}
            Outcome::Failed(e) => errors.push(about(&e)),
        }
    }
    // Paths as findings show them: relative to the working directory.
    for e in &mut errors {
        if let Some(p) = &e.path {
            e.path = Some(display_path(std::path::Path::new(p), checker.cwd()));
        }
    }
    let mut seen = BTreeSet::new();
    errors.retain(|e| seen.insert(e.clone()));
    report.errors = errors;
    report.notes.sort();
    report.notes.dedup();
    report
}

/// Print errors, notes and the report; the exit code.
fn finish(args: &CheckArgs, checker: &Checker, report: &Report) -> u8 {
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    if args.fix {
        say_fixed(report);
    }
    output::emit(&match args.format {
        Format::Text => output::text::render(report),
        Format::Json => output::json::render(report),
        Format::Sarif => output::sarif::render(report, &checker.configs().all()),
    });
    exit_code(args, report)
}

/// 2 after an error, 1 with findings at or above `--fail-on`, else 0.
pub fn exit_code(args: &CheckArgs, report: &Report) -> u8 {
    if !report.errors.is_empty() {
        return 2;
    }
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| report.findings().any(|(_, f)| f.finding.severity >= t));
    u8::from(failing)
}

/// Which files `--fix` changed, then `N fixed, M remaining` (SPEC 5), on stderr so that JSON
/// and SARIF on stdout stay one document.
pub fn say_fixed(report: &Report) {
    let mut files: Vec<&CheckedFile> = report.files.iter().filter(|f| f.fixed > 0).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for f in &files {
        let s = if f.fixed == 1 { "" } else { "es" };
        eprintln!("fixed: {} ({} fix{s})", f.path, f.fixed);
    }
    let fixed: usize = report.files.iter().map(|f| f.fixed).sum();
    eprintln!("{fixed} fixed, {} remaining", report.finding_count());
}
