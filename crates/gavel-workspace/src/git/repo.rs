//! One git repository read in process with gix: the base tree that "changed" is measured
//! against, HEAD, the set of AI-written commits, and per file its base blob, its HEAD blob and
//! which HEAD lines blame gives to an AI-written commit ([`super::annotate`]).

use std::{
    collections::HashSet,
    path::{Path, PathBuf},
    sync::{Mutex, OnceLock},
};

use gix::{ObjectId, bstr::ByteSlice};
use regex::Regex;

use super::{
    annotate::{AiLines, ai_lines},
    history::FileHistory,
    rename::best_rename,
};

/// A repository opened for one `base` and one set of `ai_commit_patterns`. Shared by threads.
pub struct Repo {
    repo: gix::ThreadSafeRepository,
    /// Thread-local handles returned after use, with their object caches: making one per file
    /// cost more than reading the file's blobs.
    locals: Mutex<Vec<gix::Repository>>,
    workdir: PathBuf,
    /// The base revision's tree; `None` when HEAD is unborn (every file is new).
    base_tree: Option<ObjectId>,
    head: Option<ObjectId>,
    /// HEAD's tree, often the base tree itself.
    head_tree: Option<ObjectId>,
    ai_commits: HashSet<ObjectId>,
    /// Files of the base and HEAD trees that no longer exist in the work tree: rename sources.
    gone_from_base: OnceLock<Vec<(String, ObjectId)>>,
    gone_from_head: OnceLock<Vec<(String, ObjectId)>>,
    /// The paths the index holds: a file git does not know is untracked, never a rename.
    index: OnceLock<HashSet<String>>,
    /// Per HEAD file, its AI-written lines; read on first use.
    ai_lines: OnceLock<Result<AiLines, String>>,
    /// Set when the history could not be read in full (a shallow clone, say).
    pub note: Option<String>,
}

impl Repo {
    /// The repository containing `dir`, or `Ok(None)` when there is none (or it is bare).
    pub fn discover(dir: &Path) -> Option<gix::ThreadSafeRepository> {
        let repo = gix::discover(dir).ok()?;
        repo.workdir()?;
        Some(repo.into_sync())
    }

    /// Open `repo` against `base` (a revision; `HEAD` when `None`). A base that does not
    /// resolve is an error, except `HEAD` on an unborn branch, where every file is new.
    pub fn open(
        repo: gix::ThreadSafeRepository,
        base: Option<&str>,
        patterns: &[Regex],
    ) -> Result<Repo, String> {
        let local = repo.to_thread_local();
        let workdir = local.workdir().map(Path::to_path_buf).unwrap_or_default();
        let workdir = std::path::absolute(&workdir).unwrap_or(workdir);
        let head = local.head_id().ok().map(|id| id.detach());
        let base_tree = match base {
            None | Some("HEAD") if head.is_none() => None,
            _ => Some(tree_of(&local, base.unwrap_or("HEAD")).map_err(|e| {
                format!(
                    "provenance base `{}` is not a commit in {}: {e}; pass --base (or set \
                     [provenance] base) to an existing commit, branch or tag",
                    base.unwrap_or("HEAD"),
                    workdir.display()
                )
            })?),
        };
        let (ai_commits, note) = match head {
            Some(head) if !patterns.is_empty() => ai_commits(&local, head, patterns),
            _ => (HashSet::new(), None),
        };
        Ok(Repo {
            repo,
            locals: Mutex::new(Vec::new()),
            workdir,
            base_tree,
            head,
            head_tree: head.and_then(|h| commit_tree(&local, h)),
            ai_commits,
            gone_from_base: OnceLock::new(),
            gone_from_head: OnceLock::new(),
            index: OnceLock::new(),
            ai_lines: OnceLock::new(),
            note,
        })
    }

    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The path of `file` inside the work tree, with `/`, or `None` when it is outside.
    pub fn rel_path(&self, file: &Path) -> Option<String> {
        let abs = std::path::absolute(file).ok()?;
        let rel = abs.strip_prefix(&self.workdir).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        Some(parts.join("/"))
    }

    /// What git knows about `rel` (a path from [`Repo::rel_path`]) whose text is now `current`.
    /// A file the index holds but a tree does not is looked for as a rename in that tree.
    pub fn history(&self, rel: &str, current: &str) -> FileHistory {
        let repo = self.local();
        let history = self.history_with(&repo, rel, current);
        if let Ok(mut locals) = self.locals.lock() {
            locals.push(repo);
        }
        history
    }

    /// A thread-local handle: one returned by an earlier call, or a new one with an object
    /// cache (the trees above a file are read again for every file).
    fn local(&self) -> gix::Repository {
        let pooled = self.locals.lock().ok().and_then(|mut l| l.pop());
        pooled.unwrap_or_else(|| {
            let mut repo = self.repo.to_thread_local();
            repo.object_cache_size_if_unset(4 << 20);
            repo
        })
    }

    fn history_with(&self, repo: &gix::Repository, rel: &str, current: &str) -> FileHistory {
        let tracked = self.index(repo).contains(rel);
        let find = |tree: Option<ObjectId>, gone: &OnceLock<Vec<(String, ObjectId)>>| {
            let tree = tree?;
            if let Some(text) = blob_at(repo, tree, rel) {
                return Some((rel.to_string(), text));
            }
            let gone = gone.get_or_init(|| self.vanished(repo, tree));
            tracked
                .then(|| best_rename(rel, current, gone, |id| blob_text(repo, id, rel)))
                .flatten()
        };
        let base = find(self.base_tree, &self.gone_from_base);
        // With the usual base, HEAD, the two are one blob: read it once.
        let head = if self.head_tree == self.base_tree {
            base.clone()
        } else {
            find(self.head_tree, &self.gone_from_head)
        };
        let head_ai = match (&head, self.head) {
            (Some((path, _)), Some(commit)) if !self.ai_commits.is_empty() => self
                .ai_lines
                .get_or_init(|| ai_lines(repo, commit, &self.ai_commits))
                .as_ref()
                .map(|all| all.get(path).cloned().unwrap_or_default())
                .map_err(Clone::clone),
            _ => Ok(Vec::new()),
        };
        let (head_ai, note) = match head_ai {
            Ok(lines) => (lines, None),
            Err(e) => (Vec::new(), Some(format!("git blame failed: {e}"))),
        };
        FileHistory {
            base: base.map(|(_, t)| t),
            head: head.map(|(_, t)| t),
            head_ai,
            note,
        }
    }

    fn index(&self, repo: &gix::Repository) -> &HashSet<String> {
        self.index.get_or_init(|| match repo.index_or_empty() {
            Ok(index) => index
                .entries()
                .iter()
                .map(|e| e.path(&index).to_string())
                .collect(),
            Err(_) => HashSet::new(),
        })
    }

    /// The files of `tree` that are not in the work tree any more.
    fn vanished(&self, repo: &gix::Repository, tree: ObjectId) -> Vec<(String, ObjectId)> {
        let Ok(tree) = repo.find_tree(tree) else {
            return Vec::new();
        };
        let mut recorder = gix::traverse::tree::Recorder::default();
        if tree.traverse().breadthfirst(&mut recorder).is_err() {
            return Vec::new();
        }
        recorder
            .records
            .into_iter()
            .filter(|e| e.mode.is_blob())
            .map(|e| (e.filepath.to_string(), e.oid))
            .filter(|(p, _)| !self.workdir.join(p).exists())
            .collect()
    }
}

/// Commits reachable from `head` whose message or author matches a pattern. A history that
/// ends early (a shallow clone) keeps what was read, with a note.
fn ai_commits(
    repo: &gix::Repository,
    head: ObjectId,
    patterns: &[Regex],
) -> (HashSet<ObjectId>, Option<String>) {
    let mut found = HashSet::new();
    let walk = match repo.rev_walk([head]).all() {
        Ok(w) => w,
        Err(e) => return (found, Some(format!("cannot walk the history: {e}"))),
    };
    for info in walk {
        let info = match info {
            Ok(i) => i,
            Err(e) => return (found, Some(format!("history read in part: {e}"))),
        };
        let Ok(commit) = info.object() else { continue };
        let message = commit.message_raw_sloppy().to_str_lossy();
        let author = commit
            .author()
            .map(|a| format!("{} <{}>", a.name, a.email))
            .unwrap_or_default();
        if patterns
            .iter()
            .any(|p| p.is_match(&message) || p.is_match(&author))
        {
            found.insert(info.id);
        }
    }
    (found, None)
}

fn tree_of(repo: &gix::Repository, rev: &str) -> Result<ObjectId, String> {
    let id = repo
        .rev_parse_single(rev.as_bytes().as_bstr())
        .map_err(|e| e.to_string())?;
    let commit = id
        .object()
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| e.to_string())?;
    commit
        .tree_id()
        .map(|t| t.detach())
        .map_err(|e| e.to_string())
}

fn commit_tree(repo: &gix::Repository, commit: ObjectId) -> Option<ObjectId> {
    let commit = repo.find_commit(commit).ok()?;
    commit.tree_id().ok().map(|t| t.detach())
}

fn blob_at(repo: &gix::Repository, tree: ObjectId, rel: &str) -> Option<String> {
    let tree = repo.find_tree(tree).ok()?;
    let entry = tree.lookup_entry_by_path(rel).ok()??;
    if !entry.mode().is_blob() {
        return None;
    }
    blob_text(repo, entry.object_id(), rel)
}

/// A blob's text decoded as the work tree's file at `rel` is (a PEP 263 coding line), so that
/// lines compare equal to the current text.
fn blob_text(repo: &gix::Repository, id: ObjectId, rel: &str) -> Option<String> {
    let mut blob = repo.find_blob(id).ok()?;
    Some(crate::source::decode_lossy(
        Path::new(rel),
        blob.take_data(),
    ))
}
