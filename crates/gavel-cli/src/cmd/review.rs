//! `gavel review` (SPEC 9): check with the review rules only (their matches on changed lines by
//! default), let gavel-review ask the reviewer, apply approvals, then print and exit as `check`
//! does. What it did goes on stderr: items, asked, cached, verdicts, time.

use gavel_workspace::{Outcome, report::ReportError, walk};
use rayon::prelude::*;

use crate::{
    cli::{CheckArgs, ReviewArgs},
    cmd::{approve, check},
};

pub fn run(args: ReviewArgs) -> u8 {
    let checker = match super::checker(
        args.config.config.as_ref(),
        (&args.select, &args.ignore),
        args.base.clone(),
        args.scope.applies_to(),
        true,
    ) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let checker = if args.no_cache {
        checker
    } else {
        checker.with_cache()
    };
    let (files, walk_errors) = walk(&args.paths);
    let mut outcomes: Vec<_> = files
        .into_par_iter()
        .map(|f| {
            let o: Outcome = checker.check(&f, None);
            (f, o)
        })
        .collect();
    let env = |k: &str| std::env::var(k).ok();
    let options = gavel_review::run::Options {
        cache: !args.no_cache,
        env: &env,
    };
    let summary = gavel_review::review(&checker, &mut outcomes, &options);
    let mut report = check::collect(&checker, outcomes, &walk_errors);
    approve::use_approvals(checker.cwd(), &mut report);
    report.notes.extend(summary.notes.iter().cloned());
    for e in &summary.errors {
        if args.fail_on_review_error {
            report.errors.push(ReportError::general(e.clone()));
        } else {
            eprintln!("error: {e}");
        }
    }
    let as_check = as_check_args(&args);
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    if !args.quiet {
        for n in &report.notes {
            eprintln!("note: {n}");
        }
        eprintln!("{}", gavel_review::run::describe(&summary));
    }
    crate::output::emit(&check::render(&as_check, &checker, &report));
    check::exit_code(&as_check, &report)
}

/// The check arguments that printing and the exit code read.
fn as_check_args(args: &ReviewArgs) -> CheckArgs {
    CheckArgs {
        paths: args.paths.clone(),
        config: crate::cli::ConfigArgs {
            config: args.config.config.clone(),
        },
        format: args.format,
        scope: args.scope,
        base: args.base.clone(),
        fix: false,
        diff: false,
        fail_on: args.fail_on,
        stdin_filename: None,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        statistics: false,
        quiet: args.quiet,
        color: args.color,
        baseline: None,
        no_baseline: true,
        no_cache: args.no_cache,
    }
}
