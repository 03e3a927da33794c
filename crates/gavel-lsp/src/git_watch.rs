//! Watching git for provenance: poll `HEAD`, the branch it points to, `packed-refs` and the
//! index of each repository whose history was read, against their stamps from just before it
//! was read, and when one moves (a commit, a checkout, a
//! `git add`) forget the cached blobs and blame and re-check every open document. A keystroke
//! never reads git; this loop does, at the policy watch interval.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use crate::{policy_state, session::Session};

pub type Stamps = Vec<Option<(SystemTime, u64)>>;

pub fn start(session: &Arc<Session>) {
    let session = session.clone();
    tokio::spawn(async move {
        let interval = Duration::from_millis(session.settings().watch_interval_ms.max(50));
        loop {
            tokio::time::sleep(interval).await;
            // The stamps each repository had when its history was read (before reading).
            let read: Vec<(PathBuf, Stamps)> = session
                .git
                .stamps
                .iter()
                .map(|e| (e.key().clone(), e.value().clone()))
                .collect();
            let moved = tokio::task::spawn_blocking(move || {
                read.iter().any(|(dir, old)| &stamps(dir) != old)
            })
            .await
            .unwrap_or(false);
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

/// The stamps of the files of `git_dir` that move with HEAD and the index.
pub fn stamps(git_dir: &Path) -> Stamps {
    watched(git_dir).iter().map(|p| stamp(p)).collect()
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
pub fn git_dir(dir: &Path) -> Option<PathBuf> {
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
