//! `gavel check`: walk, check in parallel, optionally fix, print, and pick the exit code.

use std::{collections::BTreeSet, path::Path};

use gavel_engine::{Finding, LineMarks, ProvenanceOptions, apply_provenance};
use gavel_policy::AppliesTo;
use gavel_syntax::Lang;
use gavel_workspace::{Configs, LoadedConfig, SourceText, git::GitCache, read_source, walk};
use rayon::prelude::*;

use crate::{
    cli::{CheckArgs, Format},
    cmd::check_fix,
    output::{self, CheckedFile, Located, Positions, Report},
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
    let configs = Configs::new(args.config.config.clone(), cwd.clone());
    let (files, walk_errors) = walk(&args.paths);
    let run = Run {
        configs: &configs,
        git: GitCache::new(args.base.clone()),
        cwd: &cwd,
        fix: args.fix,
        scope: args.scope.applies_to(),
    };
    let outcomes: Vec<Outcome> = files.par_iter().map(|f| run.check_file(f)).collect();
    let mut report = Report::default();
    let mut errors: Vec<String> = walk_errors.iter().map(ToString::to_string).collect();
    let mut config_errors = BTreeSet::new();
    for config in configs.all() {
        config_errors.extend(config.errors.iter().map(ToString::to_string));
    }
    errors.extend(config_errors);
    for o in outcomes {
        match o {
            Outcome::Checked(file, note, error) => {
                report.files.push(file);
                report.notes.extend(note);
                errors.extend(error);
            }
            Outcome::Skipped(note) => report.notes.push(note),
            Outcome::Excluded => {}
            Outcome::Failed(e) => errors.push(e),
        }
    }
    let mut seen = BTreeSet::new();
    errors.retain(|e| seen.insert(e.clone()));
    for e in &errors {
        eprintln!("error: {e}");
    }
    report.notes.sort();
    report.notes.dedup();
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    if args.fix {
        say_fixed(&report);
    }
    output::emit(&match args.format {
        Format::Text => output::text::render(&report),
        Format::Json => output::json::render(&report),
        Format::Sarif => output::sarif::render(&report, &configs.all()),
    });
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
    /// With a note when git could not tell everything, and an error when a fixed file could
    /// not be written (its findings are still reported).
    Checked(CheckedFile, Option<String>, Option<String>),
    Skipped(String),
    Excluded,
    Failed(String),
}

/// What every file of one `gavel check` shares.
struct Run<'a> {
    configs: &'a Configs,
    git: GitCache,
    cwd: &'a Path,
    fix: bool,
    scope: AppliesTo,
}

impl Run<'_> {
    fn check_file(&self, path: &Path) -> Outcome {
        let (configs, cwd, fix) = (self.configs, self.cwd, self.fix);
        let config = configs.for_file(path);
        if config.is_excluded(path) {
            return Outcome::Excluded;
        }
        let display = display_path(path, cwd);
        let (mut text, fix) = match read_source(path) {
            Ok(SourceText::Text(t)) => (t, fix),
            Ok(SourceText::Decoded { text, encoding }) => {
                if fix {
                    eprintln!(
                        "note: {display}: not fixed: it is {}, and gavel writes fixes to UTF-8 \
                         files only",
                        encoding.name()
                    );
                }
                (text, false)
            }
            Ok(SourceText::Skipped(why)) => {
                return Outcome::Skipped(format!("{display}: skipped: {why}"));
            }
            Ok(SourceText::Refused(why)) => {
                return Outcome::Failed(format!("{display}: not checked: {why}"));
            }
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let lang = Lang::from_path(path).expect("walk keeps known languages");
        let check = |text: &str| config.check_text(path, lang, text);
        let mut report = check(&text);
        let (mut fixed, mut write_error) = (0, None);
        if fix {
            let done = check_fix::fix_file(path, &display, lang, text, check, report);
            (text, report, fixed, write_error) = (done.text, done.report, done.fixed, done.error);
        }
        let mut findings = report.findings;
        let note = match self.provenance(&config, path, &display, &text, &mut findings) {
            Ok(note) => note,
            Err(e) => return Outcome::Failed(e),
        };
        let positions = Positions::new(&text);
        let findings = findings
            .into_iter()
            .map(|f| Located::new(f, &positions))
            .collect();
        Outcome::Checked(
            CheckedFile {
                path: display,
                findings,
                suppressed: report.suppressed,
                fixed,
            },
            note,
            write_error,
        )
    }

    /// Give findings their provenance from git and keep those in scope (SPEC 4). Git is read
    /// only for files with findings.
    fn provenance(
        &self,
        config: &LoadedConfig,
        path: &Path,
        display: &str,
        text: &str,
        findings: &mut Vec<Finding>,
    ) -> Result<Option<String>, String> {
        if findings.is_empty() {
            return Ok(None);
        }
        let options = ProvenanceOptions {
            scope: self.scope,
            ai_min_severity: config.provenance.ai_min_severity,
        };
        let (marks, note) = match self.git.repo(config, path) {
            None if self.scope != AppliesTo::All => {
                return Err(format!(
                    "{display}: --scope needs a git repository, and this file is in none; \
                     run gavel inside the repository or use --scope all"
                ));
            }
            None => (LineMarks::unknown(), None),
            Some(Err(e)) => return Err(e),
            Some(Ok(repo)) => match repo.rel_path(path) {
                Some(rel) => {
                    let history = repo.history(&rel, text);
                    let note = repo.note.clone().or(history.note.clone());
                    (history.marks(text, |_| false), note)
                }
                None => (LineMarks::unknown(), None),
            },
        };
        apply_provenance(findings, text, &marks, options);
        Ok(note)
    }
}

/// Which files `--fix` changed, then `N fixed, M remaining` (SPEC 5), on stderr so that JSON
/// and SARIF on stdout stay one document.
fn say_fixed(report: &Report) {
    let mut files: Vec<&CheckedFile> = report.files.iter().filter(|f| f.fixed > 0).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for f in &files {
        let s = if f.fixed == 1 { "" } else { "es" };
        eprintln!("fixed: {} ({} fix{s})", f.path, f.fixed);
    }
    let fixed: usize = report.files.iter().map(|f| f.fixed).sum();
    eprintln!("{fixed} fixed, {} remaining", report.finding_count());
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
