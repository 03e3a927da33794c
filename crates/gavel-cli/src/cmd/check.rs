//! `gavel check`: walk, check in parallel, optionally fix, print, and pick the exit code.

use std::{collections::BTreeSet, path::Path};

use gavel_engine::{Finding, apply_fixes};
use gavel_syntax::Lang;
use gavel_workspace::{Configs, SourceText, read_source, walk};
use rayon::prelude::*;

use crate::{
    cli::{CheckArgs, Format, Scope},
    output::{self, CheckedFile, Located, Positions, Report},
};

/// At most this many rounds of fixing per file.
const FIX_ROUNDS: usize = 8;

pub fn run(args: CheckArgs) -> u8 {
    if args.scope != Scope::All || args.base.is_some() {
        eprintln!(
            "error: --scope changed|ai and --base need git provenance, which this build does not support yet; use --scope all"
        );
        return 2;
    }
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
    let configs = Configs::new(args.config.config.clone(), cwd.clone());
    let (files, walk_errors) = walk(&args.paths);
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|f| check_file(&configs, f, &cwd, args.fix))
        .collect();
    let mut report = Report::default();
    let mut errors: Vec<String> = walk_errors.iter().map(ToString::to_string).collect();
    let mut config_errors = BTreeSet::new();
    for config in configs.all() {
        config_errors.extend(config.errors.iter().map(ToString::to_string));
    }
    errors.extend(config_errors);
    for o in outcomes {
        match o {
            Outcome::Checked(file) => report.files.push(file),
            Outcome::Skipped(note) => report.notes.push(note),
            Outcome::Excluded => {}
            Outcome::Failed(e) => errors.push(e),
        }
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    print!(
        "{}",
        match args.format {
            Format::Text => output::text::render(&report),
            Format::Json => output::json::render(&report),
            Format::Sarif => output::sarif::render(&report, &configs.all()),
        }
    );
    if !errors.is_empty() {
        return 2;
    }
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| report.findings().any(|(_, f)| f.finding.severity >= t));
    u8::from(failing)
}

enum Outcome {
    Checked(CheckedFile),
    Skipped(String),
    Excluded,
    Failed(String),
}

fn check_file(configs: &Configs, path: &Path, cwd: &Path, fix: bool) -> Outcome {
    let config = configs.for_file(path);
    if config.is_excluded(path) {
        return Outcome::Excluded;
    }
    let display = display_path(path, cwd);
    let mut text = match read_source(path) {
        Ok(SourceText::Text(t)) => t,
        Ok(SourceText::Skipped(why)) => {
            return Outcome::Skipped(format!("{display}: skipped: {why}"));
        }
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let lang = Lang::from_path(path).expect("walk keeps known languages");
    let check = |text: &str| config.check_text(path, lang, text);
    let mut report = check(&text);
    let mut warnings = Vec::new();
    if fix {
        let original = text.clone();
        for _ in 0..FIX_ROUNDS {
            let fixes: Vec<_> = report
                .findings
                .iter()
                .filter_map(|f: &Finding| f.fixes.first())
                .collect();
            let (new, applied, refused) = apply_fixes(lang, &text, &fixes);
            warnings.extend(refused.iter().map(|e| format!("{display}: {e}")));
            if applied == 0 {
                break;
            }
            text = new;
            report = check(&text);
        }
        if text != original
            && let Err(e) = std::fs::write(path, &text)
        {
            return Outcome::Failed(format!("{display}: cannot write the fixed file: {e}"));
        }
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let positions = Positions::new(&text);
    let findings = report
        .findings
        .into_iter()
        .map(|f| Located::new(f, &positions))
        .collect();
    Outcome::Checked(CheckedFile {
        path: display,
        findings,
        suppressed: report.suppressed,
    })
}

/// A path relative to the working directory when it is inside it, with `/`.
fn display_path(path: &Path, cwd: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match abs.strip_prefix(cwd) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => abs.to_string_lossy().replace('\\', "/"),
    }
}
