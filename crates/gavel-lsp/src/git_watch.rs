//! Watching git for provenance: poll `HEAD`, the branch it points to, `packed-refs` and the
//! index of each repository with open documents, and when one moves (a commit, a checkout, a
//! `git add`) forget the cached blobs and blame and re-check every open document. A keystroke
//! never reads git; this loop does, at the policy watch interval.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use crate::{from_proto, policy_state, session::Session};

type Stamps = Vec<Option<(SystemTime, u64)>>;

pub fn start(session: &Arc<Session>) {
    let session = session.clone();
    tokio::spawn(async move {
        let interval = Duration::from_millis(session.settings().watch_interval_ms.max(50));
        let mut last: HashMap<PathBuf, Stamps> = HashMap::new();
        loop {
            tokio::time::sleep(interval).await;
            let files: Vec<PathBuf> = session
                .docs
                .iter()
                .filter_map(|e| from_proto::path(e.key()))
                .collect();
            let now = tokio::task::spawn_blocking(move || stamps(&files))
                .await
                .unwrap_or_default();
            let moved = now
                .iter()
                .any(|(dir, s)| last.get(dir).is_some_and(|old| old != s));
            last = now;
            if moved {
                tracing::info!("git HEAD or index moved; re-reading provenance");
                session.git.refresh();
                // Cached results carry the old provenance; the incremental caches stay valid.
                for mut entry in session.docs.iter_mut() {
                    entry.result = None;
                    entry.full = None;
                }
                policy_state::recheck_all(&session);
                if session.caps().pull && !session.caps().refresh {
                    // Such clients (Neovim 0.11) re-pull when `gavel/status` arrives.
                    policy_state::announce(&session);
                }
            }
        }
    });
}

fn stamps(files: &[PathBuf]) -> HashMap<PathBuf, Stamps> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.parent().and_then(git_dir))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs.into_iter()
        .map(|d| {
            let s = watched(&d).iter().map(|p| stamp(p)).collect();
            (d, s)
        })
        .collect()
}

/// The files whose change means HEAD or the index moved.
fn watched(git_dir: &Path) -> Vec<PathBuf> {
    let head = git_dir.join("HEAD");
    let mut files = vec![head.clone(), git_dir.join("index")];
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or_else(|_| git_dir.to_path_buf());
    files.push(common.join("packed-refs"));
    if let Ok(text) = std::fs::read_to_string(&head)
        && let Some(r) = text.trim().strip_prefix("ref: ")
    {
        files.push(common.join(r));
    }
    files
}

/// The `.git` directory of the repository containing `dir` (following a worktree's `.git`
/// file).
fn git_dir(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find_map(|d| {
        let dot = d.join(".git");
        if dot.is_dir() {
            Some(dot)
        } else {
            let text = std::fs::read_to_string(&dot).ok()?;
            let target = text.trim().strip_prefix("gitdir: ")?;
            Some(d.join(target))
        }
    })
}

fn stamp(p: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(p).ok()?;
    Some((m.modified().ok()?, m.len()))
}
