//! Watching policy files ourselves, for clients that do not watch files for servers (Neovim on
//! Linux): poll the size and modification time of every policy file in use, and which
//! `gavel.toml` applies to each open document's directory, and reload when either changes.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use gavel_workspace::find_config;

use crate::{from_proto, policy_state, session::Session};

type Signature = Vec<(PathBuf, Option<(SystemTime, u64)>)>;

pub fn start(session: &Arc<Session>) {
    let session = session.clone();
    tokio::spawn(async move {
        let interval = Duration::from_millis(session.settings().watch_interval_ms.max(50));
        let mut last = signature_of(&session).await;
        loop {
            tokio::time::sleep(interval).await;
            let now = signature_of(&session).await;
            if now != last {
                tracing::info!("policy files changed on disk; reloading");
                last = now;
                policy_state::reload(&session);
            }
        }
    });
}

async fn signature_of(session: &Arc<Session>) -> Signature {
    let policies = session.policies();
    let mut dirs: Vec<PathBuf> = session
        .docs
        .iter()
        .filter_map(|e| from_proto::path(e.key()))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    dirs.push(policies.default_dir().to_path_buf());
    tokio::task::spawn_blocking(move || signature(&policies.files(), dirs))
        .await
        .unwrap_or_default()
}

fn signature(files: &[PathBuf], mut dirs: Vec<PathBuf>) -> Signature {
    dirs.sort();
    dirs.dedup();
    let mut paths: Vec<PathBuf> = files.to_vec();
    paths.extend(dirs.iter().filter_map(|d| find_config(d)));
    // New packs in a pack directory.
    for f in files {
        if let Some(dir) = f.parent()
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            paths.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "toml")),
            );
        }
    }
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let stamp = meta.and_then(|m| Some((m.modified().ok()?, m.len())));
            (p, stamp)
        })
        .collect()
}
