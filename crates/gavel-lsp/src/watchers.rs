//! The file watchers the server asks the client for: `**/*.toml` in the workspace folders, and
//! a relative pattern (a base URI and a glob) for every path a config names, wherever it is, so
//! that VS Code, which applies plain globs only inside workspace folders, also reports a pack
//! beside the workspace. Registered again when a reload changes what the configs name. Clients
//! without relative patterns are also polled ([`crate::watch`]).

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use serde_json::{Value, json};
use tower_lsp_server::ls_types::{Registration, Unregistration, Uri};

use crate::{named::Named, session::Session};

const ID: &str = "gavel-policy-files";

/// Register the watchers (again, when what the configs name changed). `false` if the client
/// refused.
pub async fn register(session: &Arc<Session>) -> bool {
    let named = session.policies().named();
    let first = {
        let mut last = session.watched.lock().expect("not poisoned");
        if last.as_ref() == Some(&named) {
            return true;
        }
        last.replace(named.clone()).is_none()
    };
    if !first {
        let gone = Unregistration {
            id: ID.into(),
            method: "workspace/didChangeWatchedFiles".into(),
        };
        if let Err(e) = session.client.unregister_capability(vec![gone]).await {
            tracing::warn!("could not drop the old file watchers: {e}");
        }
    }
    let registration = Registration {
        id: ID.into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: Some(
            json!({ "watchers": watchers(&named, session.caps().relative_patterns) }),
        ),
    };
    match session.client.register_capability(vec![registration]).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!("the client refused to watch policy files ({e})");
            false
        }
    }
}

fn watchers(named: &[Named], relative: bool) -> Vec<Value> {
    let mut out = vec![json!({ "globPattern": "**/*.toml" })];
    if !relative {
        return out;
    }
    for n in named {
        let target = match n.dir {
            true => n.path.clone(),
            false => n.path.parent().map(Path::to_path_buf).unwrap_or_default(),
        };
        let base = existing_ancestor(&target);
        let Some(base_uri) = Uri::from_file_path(&base) else {
            continue;
        };
        let rel = n.path.strip_prefix(&base).unwrap_or(&n.path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let pattern = match (n.dir, rel.is_empty()) {
            (true, true) => "*.toml".to_string(),
            (true, false) => format!("{rel}/*.toml"),
            (false, _) => rel,
        };
        out.push(json!({ "globPattern": { "baseUri": base_uri.as_str(), "pattern": pattern } }));
    }
    out
}

/// The nearest directory that exists (a watcher's base must exist).
fn existing_ancestor(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|a| a.is_dir())
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf)
}
