//! Watching policy files ourselves, for clients that do not watch files for servers (Neovim on
//! Linux): poll the size and modification time of every policy file in use, and which
//! `gavel.toml` applies to each open document's directory, and of every path a config names
//! (a pack directory's packs included, a missing file as missing), and reload when any changes.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use gavel_workspace::find_config;

use crate::{from_proto, named::Named, policy_state, session::Session};

pub type Signature = Vec<(PathBuf, Option<(SystemTime, u64)>)>;

/// Poll from `baseline`, the state the policies were loaded in ([`signature_of`]).
pub fn start(session: &Arc<Session>, baseline: Signature) {
    let session = session.clone();
    tokio::spawn(async move {
        let interval = Duration::from_millis(session.settings().watch_interval_ms.max(50));
        let mut last = baseline;
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

pub async fn signature_of(session: &Arc<Session>) -> Signature {
    let policies = session.policies();
    let mut dirs: Vec<PathBuf> = session
        .docs
        .iter()
        .filter_map(|e| from_proto::path(e.key()))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    dirs.push(policies.default_dir().to_path_buf());
    tokio::task::spawn_blocking(move || signature(&policies.files(), &policies.named(), dirs))
        .await
        .unwrap_or_default()
}

fn signature(files: &[PathBuf], named: &[Named], mut dirs: Vec<PathBuf>) -> Signature {
    dirs.sort();
    dirs.dedup();
    let mut paths: Vec<PathBuf> = files.to_vec();
    // What the configs name, existing or not, and the packs in named directories.
    for n in named {
        paths.push(n.path.clone());
        if n.dir {
            paths.extend(toml_files(&n.path));
        }
    }
    paths.extend(dirs.iter().filter_map(|d| find_config(d)));
    // New packs in a pack directory.
    for f in files {
        if let Some(dir) = f.parent() {
            paths.extend(toml_files(dir));
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

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect()
}
