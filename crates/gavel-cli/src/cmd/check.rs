//! `gavel check`: walk, check in parallel, optionally fix, print, and pick the exit code.

use std::{collections::BTreeSet, path::Path};

use gavel_engine::{Finding, LineMarks, ProvenanceOptions, apply_fixes, apply_provenance};
use gavel_policy::AppliesTo;
use gavel_syntax::Lang;
use gavel_workspace::{Configs, LoadedConfig, SourceText, git::GitCache, read_source, walk};
use rayon::prelude::*;

use crate::{
    cli::{CheckArgs, Format},
    output::{self, CheckedFile, Located, Positions, Report},
};

/// At most this many rounds of fixing per file.
const FIX_ROUNDS: usize = 8;

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
            Outcome::Checked(file, note) => {
                report.files.push(file);
                report.notes.extend(note);
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
    /// With a note when git could not tell everything.
    Checked(CheckedFile, Option<String>),
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
            },
            note,
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
