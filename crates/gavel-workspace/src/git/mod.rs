//! git, read in process with gix: the files the index tracks ([`tracked_under`], for the walk),
//! and provenance (SPEC 4), diffed with imara-diff: which lines of
//! a file differ from the base revision and which were last touched by an AI-written commit.
//!
//! [`GitCache`] finds each file's repository once per directory and opens it once per
//! `(repository, base, ai_commit_patterns)`: resolving the base and collecting AI-written
//! commits happen then, never per file. Per file, [`Repo::history`] reads the base and HEAD
//! blobs; the first file that needs blame (only when the history has AI-written commits at all)
//! annotates every file in one pass over the history, which later files reuse.

mod annotate;
mod history;
mod line_map;
mod rename;
mod repo;
mod tracked;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
};

use gavel_policy::config::DEFAULT_AI_COMMIT_PATTERNS;
use regex::Regex;

pub use annotate::brings_ai;
pub use history::{FileHistory, marks_without_git};
pub use line_map::line_map;
pub use repo::Repo;
pub use tracked::tracked_under;

use crate::LoadedConfig;

type Opened = Arc<OnceLock<Result<Arc<Repo>, String>>>;

/// A work tree, a base and the patterns: one opened [`Repo`] each.
type RepoKey = (PathBuf, Option<String>, Vec<String>);

/// Repositories by directory and by settings, shared by the threads of a scan or a server.
#[derive(Default)]
pub struct GitCache {
    /// The command line's `--base`, over every config's `[provenance] base`.
    base_override: Option<String>,
    work_trees: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    repos: Mutex<HashMap<RepoKey, Opened>>,
}

impl GitCache {
    pub fn new(base_override: Option<String>) -> GitCache {
        GitCache {
            base_override,
            ..GitCache::default()
        }
    }

    /// The repository of `file` opened with `config`'s provenance settings: `None` when the
    /// file is in no repository, `Some(Err)` when the base does not resolve.
    pub fn repo(&self, config: &LoadedConfig, file: &Path) -> Option<Result<Arc<Repo>, String>> {
        let work_tree = self.work_tree(file)?;
        let base = self
            .base_override
            .clone()
            .or_else(|| config.provenance.base.clone());
        let patterns = config
            .provenance
            .ai_commit_patterns
            .clone()
            .unwrap_or_else(|| {
                DEFAULT_AI_COMMIT_PATTERNS
                    .iter()
                    .map(|p| p.to_string())
                    .collect()
            });
        let key = (work_tree.clone(), base.clone(), patterns.clone());
        let slot = self
            .repos
            .lock()
            .expect("not poisoned")
            .entry(key)
            .or_default()
            .clone();
        Some(
            slot.get_or_init(|| {
                let regexes: Vec<Regex> =
                    patterns.iter().filter_map(|p| Regex::new(p).ok()).collect();
                let repo =
                    gix::open(&work_tree).map_err(|e| format!("{}: {e}", work_tree.display()))?;
                Repo::open(repo.into_sync(), base.as_deref(), &regexes).map(Arc::new)
            })
            .clone(),
        )
    }

    /// Forget every opened repository (HEAD or the index moved); directories stay known.
    pub fn refresh(&self) {
        self.repos.lock().expect("not poisoned").clear();
    }

    fn work_tree(&self, file: &Path) -> Option<PathBuf> {
        let abs = std::path::absolute(file).ok()?;
        let dir = abs.parent()?.to_path_buf();
        let mut known = self.work_trees.lock().expect("not poisoned");
        known
            .entry(dir.clone())
            .or_insert_with(|| {
                let (path, _trust) = gix::discover::upwards(&dir).ok()?;
                let (_git_dir, work_tree) = path.into_repository_and_work_tree_directories();
                work_tree.map(|w| std::path::absolute(&w).unwrap_or(w))
            })
            .clone()
    }
}
