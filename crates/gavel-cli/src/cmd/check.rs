//! `gavel check`: walk, check in parallel (gavel-workspace's `Checker`), optionally fix, print,
//! and pick the exit code.

use std::collections::BTreeSet;

use gavel_workspace::{Checker, Outcome, walk};
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
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|f| {
            if args.fix {
                checker.check_with(f, None, check_fix::fix_file)
            } else {
                checker.check(f, None)
            }
        })
        .collect();
    let mut errors: Vec<String> = walk_errors.iter().map(ToString::to_string).collect();
    let report = collect(&checker, outcomes, &mut errors);
    finish(&args, &checker, &report, errors)
}

/// The report of a run, and its errors (config errors first, each once).
pub fn collect(checker: &Checker, outcomes: Vec<Outcome>, errors: &mut Vec<String>) -> Report {
    let mut report = Report::default();
    let mut config_errors = BTreeSet::new();
    for config in checker.configs().all() {
        config_errors.extend(config.errors.iter().map(ToString::to_string));
    }
    errors.extend(config_errors);
    for o in outcomes {
        match o {
            Outcome::Checked(checked) => {
                report.files.push(checked.file);
                report.notes.extend(checked.note);
                errors.extend(checked.error);
            }
            Outcome::Skipped(note) => report.notes.push(note),
            Outcome::Excluded => {}
            Outcome::Failed(e) => errors.push(e),
        }
    }
    let mut seen = BTreeSet::new();
    errors.retain(|e| seen.insert(e.clone()));
    report.notes.sort();
    report.notes.dedup();
    report
}

/// Print errors, notes and the report; the exit code.
fn finish(args: &CheckArgs, checker: &Checker, report: &Report, errors: Vec<String>) -> u8 {
    for e in &errors {
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
    exit_code(args, report, &errors)
}

/// 2 after an error, 1 with findings at or above `--fail-on`, else 0.
pub fn exit_code(args: &CheckArgs, report: &Report, errors: &[String]) -> u8 {
    if !errors.is_empty() {
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
