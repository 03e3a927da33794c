//! Checking one file the way `gavel check` does, for every front end (the CLI, `--stdin-filename`,
//! hooks, the MCP server): its config, its source read as its language decodes it (or a buffer
//! given as text), the engine's check, an optional fix step, then provenance from git and the
//! `--scope` filter, with positions resolved.

use std::path::{Path, PathBuf};

use gavel_engine::{FileReport, Finding, LineMarks, ProvenanceOptions, apply_provenance};
use gavel_policy::AppliesTo;
use gavel_syntax::Lang;

use crate::{
    Configs, LoadedConfig, SourceText,
    git::GitCache,
    read_source,
    report::{CheckedFile, Located, Positions, fingerprint},
};

/// What every file of one run shares. `Sync`: files are checked in parallel.
pub struct Checker {
    configs: Configs,
    git: GitCache,
    cwd: PathBuf,
    scope: AppliesTo,
    /// The result cache, when on (`gavel check` without `--no-cache`).
    cache: Option<crate::cache::Cache>,
}

/// What checking one file gave.
pub enum Outcome {
    Checked(Box<Checked>),
    /// Not checked, with a note (binary, not UTF-8, not Python or Rust).
    Skipped(String),
    /// Excluded by the config.
    Excluded,
    /// An error: the file could not be read or checked as asked.
    Failed(String),
}

/// A checked file, its text (as checked, or as fixed) and what could not be told.
pub struct Checked {
    pub file: CheckedFile,
    pub text: String,
    pub lang: Lang,
    /// Git could not tell everything (provenance is partial).
    pub note: Option<String>,
    /// The fix step could not write the file (its findings are still reported).
    pub error: Option<String>,
}

/// A source about to be checked, for the fix step.
pub struct Source<'a> {
    pub path: &'a Path,
    /// The path as reports show it.
    pub display: &'a str,
    pub lang: Lang,
    pub config: &'a LoadedConfig,
    /// The encoding the file was decoded from, when it is not UTF-8 (fixes are not written
    /// back to such files).
    pub decoded_from: Option<&'static str>,
}

/// What a fix step gave: the text now checked, its report, how many fixes it applied, and
/// an error when it could not write.
pub struct Fixed {
    pub text: String,
    pub report: FileReport,
    pub fixed: usize,
    pub error: Option<String>,
}

impl Fixed {
    /// No fix step: the text and its report as they are.
    pub fn unchanged(text: String, report: FileReport) -> Fixed {
        Fixed {
            text,
            report,
            fixed: 0,
            error: None,
        }
    }
}

impl Source<'_> {
    /// The engine's fix loop on `text` (whose check is `report`), in memory, each new text
    /// checked under this source's config.
    pub fn fix(&self, text: &str, report: FileReport) -> gavel_engine::FixOutcome {
        let check = |t: &str| self.config.check_text(self.path, self.lang, t);
        gavel_engine::fix_text(self.lang, text, report, check)
    }
}

impl Checker {
    /// `config`: `--config`, else the nearest `gavel.toml` of each file; `base`: `--base`.
    pub fn new(
        config: Option<PathBuf>,
        cwd: PathBuf,
        base: Option<String>,
        scope: AppliesTo,
    ) -> Checker {
        Checker {
            configs: Configs::new(config, cwd.clone()),
            git: GitCache::new(base),
            cwd,
            scope,
            cache: None,
        }
    }

    /// Keep and reuse results in `.gavel_cache/` ([`crate::cache`]).
    pub fn with_cache(mut self) -> Checker {
        self.cache = Some(crate::cache::Cache::default());
        self
    }

    /// Cache hits and misses so far: `None` without a cache.
    pub fn cache_stats(&self) -> Option<(usize, usize)> {
        use std::sync::atomic::Ordering::Relaxed;
        self.cache
            .as_ref()
            .map(|c| (c.hits.load(Relaxed), c.misses.load(Relaxed)))
    }

    /// Apply `--select`/`--ignore` to every file's rules.
    pub fn with_selection(mut self, selection: crate::Selection) -> Checker {
        self.configs = self.configs.with_selection(selection);
        self
    }

    pub fn configs(&self) -> &Configs {
        &self.configs
    }

    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Check the file at `path`: its contents on disk, or `text`, an unsaved buffer checked as
    /// if it were at `path` (that path's config, language and provenance).
    pub fn check(&self, path: &Path, text: Option<String>) -> Outcome {
        self.check_with(path, text, |_, text, report| Fixed::unchanged(text, report))
    }

    /// [`Checker::check`] with a fix step between the check and provenance.
    pub fn check_with(
        &self,
        path: &Path,
        text: Option<String>,
        fix: impl FnOnce(&Source<'_>, String, FileReport) -> Fixed,
    ) -> Outcome {
        let config = self.configs.for_file(path);
        if config.is_excluded(path) {
            return Outcome::Excluded;
        }
        let display = display_path(path, &self.cwd);
        let Some(lang) = Lang::from_path(path) else {
            return Outcome::Skipped(format!(
                "{display}: skipped: gavel checks Python (.py) and Rust (.rs) files"
            ));
        };
        let (text, decoded_from) = match text {
            Some(t) => (t, None),
            None => match read_source(path) {
                Ok(SourceText::Text(t)) => (t, None),
                Ok(SourceText::Decoded { text, encoding }) => (text, Some(encoding.name())),
                Ok(SourceText::Skipped(why)) => {
                    return Outcome::Skipped(format!("{display}: skipped: {why}"));
                }
                Ok(SourceText::Refused(why)) => {
                    return Outcome::Failed(format!("{display}: not checked: {why}"));
                }
                Err(e) => return Outcome::Failed(e.to_string()),
            },
        };
        let report = match &self.cache {
            Some(cache) => cache.check(&config, &config.rel_path(path), &text, || {
                config.check_text(path, lang, &text)
            }),
            None => config.check_text(path, lang, &text),
        };
        let source = Source {
            path,
            display: &display,
            lang,
            config: &config,
            decoded_from,
        };
        let done = fix(&source, text, report);
        let mut findings = done.report.findings;
        let note = match self.provenance(&config, path, &display, &done.text, &mut findings) {
            Ok(note) => note,
            Err(e) => return Outcome::Failed(e),
        };
        let positions = Positions::new(&done.text);
        let mut findings: Vec<Located> = findings
            .into_iter()
            .map(|f| Located::new(f, &positions))
            .collect();
        fingerprint::assign(&mut findings, &config.rel_path(path), &done.text);
        Outcome::Checked(Box::new(Checked {
            file: CheckedFile {
                path: display,
                findings,
                suppressed: done.report.suppressed,
                fixed: done.fixed,
            },
            text: done.text,
            lang,
            note,
            error: done.error,
        }))
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
pub fn display_path(path: &Path, cwd: &Path) -> String {
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
