//! `gavel check`: walk, check in parallel (gavel-workspace's `Checker`), optionally fix, print,
//! and pick the exit code.

use std::{collections::BTreeSet, path::PathBuf};

use gavel_engine::FileReport;
use gavel_workspace::{
    Checker, Fixed, Outcome, Source, WorkspaceError, baseline, display_path, report::ReportError,
    walk,
};
use rayon::prelude::*;

use crate::{
    cli::{CheckArgs, Format},
    cmd::{check_diff, check_fix, check_stdin},
    output::{self, CheckedFile, Report},
};

pub fn run(args: CheckArgs) -> u8 {
    let checker = match super::checker(
        args.config.config.as_ref(),
        (&args.select, &args.ignore),
        args.base.clone(),
        args.scope.applies_to(),
        false,
    ) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(path) = &args.stdin_filename {
        return check_stdin::run(&args, &checker, path);
    }
    if args.diff {
        return diff(&args, &checker);
    }
    let checker = if args.no_cache {
        checker
    } else {
        checker.with_cache()
    };
    let mut report = if args.fix {
        scan(&checker, &args.paths, &check_fix::fix_file, args.quiet)
    } else {
        scan(
            &checker,
            &args.paths,
            &|_, text, report| Fixed::unchanged(text, report),
            args.quiet,
        )
    };
    use_baseline(&args, checker.cwd(), &mut report);
    super::approve::use_approvals(checker.cwd(), &mut report);
    say_cache(&checker);
    finish(&args, &checker, &report)
}

/// With `GAVEL_LOG=debug`: how many files the cache answered.
fn say_cache(checker: &Checker) {
    let debug = std::env::var("GAVEL_LOG").is_ok_and(|v| v.contains("debug"));
    if let (true, Some((hits, misses))) = (debug, checker.cache_stats()) {
        eprintln!("debug: cache: {hits} hits, {misses} misses");
    }
}

/// `--diff`: the fixes as a diff, nothing written; errors and notes on stderr.
fn diff(args: &CheckArgs, checker: &Checker) -> u8 {
    let diffs = check_diff::Diffs::default();
    let report = scan(
        checker,
        &args.paths,
        &|source, text, report| check_diff::diff_file(&diffs, source, text, report),
        args.quiet,
    );
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    let files = check_diff::print(diffs);
    if !args.quiet {
        let s = if files == 1 { "" } else { "s" };
        eprintln!("gavel: --fix would change {files} file{s}; nothing was written");
    }
    if !report.errors.is_empty() {
        2
    } else {
        u8::from(files > 0)
    }
}

/// A fix step of [`Checker::check_with`]: none, `--fix`'s or `--diff`'s.
pub type Step<'a> = dyn Fn(&Source<'_>, String, FileReport) -> Fixed + Sync + 'a;

/// Walk `paths` and check every file, `step` between check and provenance, in parallel; a bar
/// on a terminal when it takes long, unless `quiet`.
pub fn scan(checker: &Checker, paths: &[PathBuf], step: &Step<'_>, quiet: bool) -> Report {
    let (files, walk_errors) = walk(paths);
    let progress = super::progress::Progress::new(files.len(), quiet);
    let outcomes: Vec<(PathBuf, Outcome)> = files
        .into_par_iter()
        .map(|f| {
            let outcome = checker.check_with(&f, None, step);
            progress.tick();
            (f, outcome)
        })
        .collect();
    progress.finish();
    collect(checker, outcomes, &walk_errors)
}

/// Leave out what the baseline knows (SPEC 8): `--baseline FILE`, else the default file when it
/// exists, unless `--no-baseline`. A baseline that cannot be read is an error of the report.
pub fn use_baseline(args: &CheckArgs, cwd: &std::path::Path, report: &mut Report) {
    if args.no_baseline {
        return;
    }
    let path = match &args.baseline {
        Some(p) => p.clone(),
        None => {
            let p = baseline::default_path(cwd);
            if !p.is_file() {
                return;
            }
            p
        }
    };
    match baseline::Baseline::load(&path, &display_path(&path, cwd)) {
        Ok(b) => {
            let applied = b.apply(report, cwd);
            if applied.stale > 0 {
                report.notes.push(format!(
                    "{} fixed since the baseline; run `gavel baseline` to drop them",
                    applied.stale
                ));
            }
        }
        Err(e) => report.errors.push(ReportError::general(e)),
    }
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
    errors.extend(unmatched_selection(checker));
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

/// `--select`/`--ignore` items that name nothing loaded: an error, or a typo would select
/// nothing and pass.
fn unmatched_selection(checker: &Checker) -> Vec<ReportError> {
    let configs = checker.configs().all();
    let rules: Vec<&gavel_policy::Rule> = configs
        .iter()
        .flat_map(|c| c.rules.rules.iter().map(|r| r.rule.as_ref()))
        .collect();
    let builtin: Vec<&str> = gavel_engine::BUILTIN_RULES.iter().map(|b| b.0).collect();
    let ids = rules.iter().map(|r| r.id.as_str());
    checker
        .configs()
        .selection()
        .unmatched(&rules, &builtin)
        .map(|(flag, item)| {
            let hint = gavel_policy::did_you_mean(item, ids.clone())
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            ReportError::general(format!(
                "{flag} {item}: no loaded rule, pack or category is called that; {hint}\
                 see `gavel rules`"
            ))
        })
        .collect()
}

/// Print errors, notes and the report; the exit code.
fn finish(args: &CheckArgs, checker: &Checker, report: &Report) -> u8 {
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    if !args.quiet {
        for n in &report.notes {
            eprintln!("note: {n}");
        }
    }
    if args.fix {
        say_fixed(report);
    }
    output::emit(&render(args, checker, report));
    exit_code(args, report)
}

/// The report in the asked format (or its statistics).
pub fn render(args: &CheckArgs, checker: &Checker, report: &Report) -> String {
    let style = output::text::TextStyle {
        quiet: args.quiet,
        color: args.color.for_stdout(),
    };
    match (args.format, args.statistics) {
        (Format::Json, true) => output::statistics::json(report),
        (_, true) => output::statistics::text(report),
        (Format::Text, false) => output::text::render(report, style),
        (Format::Json, false) => output::json::render(report),
        (Format::Sarif, false) => output::sarif::render(report, &checker.configs().all()),
        (Format::Gitlab, false) => output::gitlab::render(report),
    }
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
