//! gavel's feedback report (SPEC 10), above the workspace and the review layer: what the rules
//! say about a repository's history, so that the teams that own them see what AI-written code
//! keeps getting wrong.
//!
//! - [`commits`]: HEAD's first-parent chain with each commit's authorship, and the sample to
//!   check;
//! - [`walk`]: tree diffs from commit to commit (gix, no checkout), each file's lines carried
//!   with their author ([`state`]), the changed files checked ([`check`]) and what appeared and
//!   went recorded ([`events`]);
//! - [`build`] and [`suggest`]: the [`figures`] (`--format json`);
//! - [`html`]: one self-contained page with inline SVG charts.

mod build;
mod check;
pub mod commits;
mod events;
pub mod figures;
pub mod html;
mod since;
mod state;
mod suggest;
mod walk;

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use gavel_policy::config::DEFAULT_AI_COMMIT_PATTERNS;
use gavel_workspace::{Configs, cache::Cache};
use regex::Regex;

pub use figures::Report;
pub use since::parse_since;

/// What to report on.
pub struct Options {
    /// A directory in the repository.
    pub dir: PathBuf,
    /// `--config`; else each file's nearest `gavel.toml` in today's work tree.
    pub config: Option<PathBuf>,
    /// Check only commits at or after this time (seconds since the epoch).
    pub since: Option<i64>,
    /// Check at most this many commits, spread evenly.
    pub max_commits: usize,
    /// Keep and reuse results in `.gavel_cache/`.
    pub cache: bool,
}

/// How far a report has come: commits walked of all to walk.
pub trait Progress: Sync {
    fn start(&self, commits: usize);
    fn tick(&self);
}

/// Walk the history and compute the figures. An error means there is nothing to report (no
/// repository, no commit); problems on the way are in [`Report::errors`].
pub fn report(options: &Options, progress: &dyn Progress) -> Result<Report, String> {
    let started = Instant::now();
    let mut repo = gix::discover(&options.dir).map_err(|e| {
        format!(
            "{}: not in a git repository ({e}); run gavel report inside one",
            options.dir.display()
        )
    })?;
    // Each changed blob is read twice (new at one commit, old at its next change).
    repo.object_cache_size_if_unset(64 << 20);
    let workdir = repo
        .workdir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| options.dir.clone());
    let workdir = std::path::absolute(&workdir).unwrap_or(workdir);
    let configs = Configs::new(options.config.clone(), workdir.clone());
    let root = configs.for_file(&workdir.join("gavel-report.py"));
    let patterns: Vec<Regex> = match &root.provenance.ai_commit_patterns {
        Some(p) => p.iter().filter_map(|p| Regex::new(p).ok()).collect(),
        None => DEFAULT_AI_COMMIT_PATTERNS
            .iter()
            .filter_map(|p| Regex::new(p).ok())
            .collect(),
    };
    let chain = commits::first_parent(&repo, &patterns)?;
    let checked = commits::sample(&chain, options.since, options.max_commits);
    let Some(&first) = checked.first() else {
        return Err(format!(
            "no commit since the date given: the last one is of {}; pass an earlier --since",
            build::date(chain.last().map_or(0, |c| c.time))
        ));
    };
    let cache = options.cache.then(Cache::default);
    let target = check::Target {
        configs: &configs,
        workdir: workdir.clone(),
        cache: cache.as_ref(),
    };
    progress.start(chain.len());
    let walked = walk::walk(&repo, &chain, &checked, &target, &|| progress.tick())?;
    let head = chain.last().map(|c| c.id.to_hex_with_len(10).to_string());
    let cx = context(
        &configs,
        &workdir,
        &chain[first..],
        started,
        chain.len(),
        head,
    );
    Ok(build::build(&walked, cx))
}

fn context(
    configs: &Configs,
    workdir: &Path,
    range: &[commits::Commit],
    started: Instant,
    walked: usize,
    head: Option<String>,
) -> build::Context {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut verdicts = Vec::new();
    for config in configs.all() {
        errors.extend(config.errors.iter().map(|e| e.to_string()));
        verdicts.extend(gavel_review::verdicts::all(&config.dir, 100_000));
        for r in &config.rules.rules {
            if r.severity == gavel_policy::Severity::Off && r.rule.review.is_none() {
                continue;
            }
            if rules.iter().any(|x: &build::RuleInfo| x.id == r.rule.id) {
                continue;
            }
            rules.push(build::RuleInfo {
                id: r.rule.id.clone(),
                severity: r.severity.as_str().to_string(),
                category: r.rule.category.clone(),
                has_instead: r.rule.instead.is_some()
                    || r.rule.sanctioned.is_some()
                    || !r.rule.fixes.is_empty(),
                review: r.rule.review.is_some(),
                language: r.rule.language,
            });
        }
    }
    let approvals_file = gavel_review::approvals::default_path(workdir);
    let approvals =
        match gavel_review::approvals::Approvals::load(&approvals_file, ".gavel/approvals.toml") {
            Ok(a) => a.entries.into_iter().map(|a| (a.rule, a.reason)).collect(),
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        };
    build::Context {
        repository: workdir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        head: head.unwrap_or_default(),
        rules,
        approvals,
        verdicts,
        errors,
        commits_walked: walked,
        ai_commits: range.iter().filter(|c| c.ai).count(),
        seconds: started.elapsed().as_secs_f64(),
    }
}
