//! `gavel check --stdin-filename PATH` (SPEC 5, as ruff has it): the source comes on standard
//! input and is checked as if it were PATH (PATH's config, language and provenance): the
//! integration point for editors and agents that hold an unsaved buffer. With `--fix` the
//! fixed source goes to stdout and the findings that remain to stderr.

use std::{io::Read, path::Path};

use gavel_workspace::{Checker, Fixed, Outcome};

use crate::{
    cli::CheckArgs,
    cmd::check::{collect, exit_code, render, say_fixed, use_baseline},
    output,
};

pub fn run(args: &CheckArgs, checker: &Checker, path: &Path) -> u8 {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("error: cannot read standard input: {e}");
        return 2;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!(
            "error: standard input is not UTF-8; gavel reads a buffer given with \
             --stdin-filename as UTF-8"
        );
        return 2;
    };
    let outcome = if args.fix {
        checker.check_with(path, Some(text.clone()), |source, text, report| {
            let done = source.fix(&text, report);
            for p in &done.problems {
                eprintln!("warning: {}: {p}", source.display);
            }
            Fixed {
                text: done.text,
                report: done.report,
                fixed: done.fixed,
                error: None,
            }
        })
    } else {
        checker.check(path, Some(text.clone()))
    };
    let fixed_text = match &outcome {
        Outcome::Checked(c) => c.text.clone(),
        _ => text,
    };
    let mut report = collect(checker, vec![(path.to_path_buf(), outcome)], &[]);
    use_baseline(args, checker.cwd(), &mut report);
    super::approve::use_approvals(checker.cwd(), &mut report);
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    let rendered = render(args, checker, &report);
    if args.fix {
        // The fixed source is the output; what remains is told on stderr, as ruff does.
        output::emit(&fixed_text);
        eprint!("{rendered}");
        say_fixed(&report);
    } else {
        output::emit(&rendered);
    }
    exit_code(args, &report)
}
