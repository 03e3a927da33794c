//! Which reviewer to ask (SPEC 9.1). A repository you clone must not be able to send your code,
//! or a secret, to a server of its choosing, nor run a program: a workspace's `[review]` may
//! set the model, `max_items` and `timeout_s`, but its `endpoint`, `api_key_env` and `command`
//! count only when the user trusts that workspace, in their own config
//! (`~/.config/gavel/gavel.toml`, `[review] trusted_workspaces`) or with `GAVEL_REVIEW_TRUST`
//! (directories, separated by `:`). The environment comes first: `GAVEL_REVIEW_ENDPOINT`,
//! `GAVEL_REVIEW_MODEL`; then a trusted workspace; then the user's config.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use gavel_policy::{SourceFile, config::ReviewSettings, parse_config};
use gavel_workspace::LoadedConfig;

use crate::secret::ApiKey;

/// The key's variable when no config names one.
pub const DEFAULT_KEY_ENV: &str = "GAVEL_REVIEW_API_KEY";
pub const DEFAULT_MAX_ITEMS: usize = 50;
pub const DEFAULT_TIMEOUT_S: u64 = 60;

/// How to reach the reviewer.
#[derive(Debug)]
pub enum Via {
    /// OpenAI-compatible chat completions at `endpoint` (`.../v1`).
    Http {
        endpoint: String,
        key: Option<ApiKey>,
    },
    /// A program that reads the request on stdin and answers on stdout.
    Command(Vec<String>),
}

/// The reviewer settings in effect for one workspace.
#[derive(Debug)]
pub struct Settings {
    /// `None`: no reviewer is configured (the run says how to set one).
    pub via: Option<Via>,
    /// Part of the verdict cache's key: a new model asks again.
    pub model: String,
    pub max_items: usize,
    pub timeout: Duration,
    /// What was not used, and why (an untrusted workspace's endpoint, a broken user config).
    pub notes: Vec<String>,
}

/// Where the user's own config is: `$XDG_CONFIG_HOME/gavel/gavel.toml`, else
/// `$HOME/.config/gavel/gavel.toml`.
pub fn user_config_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("gavel").join("gavel.toml"))
}

/// The settings for the workspace of `config`.
pub fn resolve(config: &LoadedConfig, env: &dyn Fn(&str) -> Option<String>) -> Settings {
    let mut notes = Vec::new();
    let (user, user_shown) = read_user_config(env, &mut notes);
    let trusted = is_trusted(&config.dir, user.trusted_workspaces.as_deref(), env);
    let mut workspace = config.review.clone();
    if workspace.trusted_workspaces.take().is_some() {
        notes.push(
            "[review] trusted_workspaces counts only in your own config, never in a workspace's"
                .into(),
        );
    }
    if !trusted {
        let asked: Vec<&str> = [
            ("endpoint", workspace.endpoint.take().is_some()),
            ("api_key_env", workspace.api_key_env.take().is_some()),
            ("command", workspace.command.take().is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect();
        if !asked.is_empty() {
            notes.push(format!(
                "the workspace's [review] {} is not used: a repository cannot choose where its \
                 code is sent; if you trust {}, add it to `trusted_workspaces` under [review] in \
                 {user_shown}, or set GAVEL_REVIEW_TRUST to it",
                asked.join(", "),
                config.dir.display()
            ));
        }
    }
    let from_env = ReviewSettings {
        endpoint: env("GAVEL_REVIEW_ENDPOINT").filter(|v| !v.is_empty()),
        model: env("GAVEL_REVIEW_MODEL").filter(|v| !v.is_empty()),
        ..ReviewSettings::default()
    };
    let s = from_env.or(workspace).or(user);
    let model = s.model.clone();
    let via = match (s.command, s.endpoint) {
        (Some(argv), _) => Some(Via::Command(argv)),
        (None, Some(endpoint)) => {
            let name = s.api_key_env.unwrap_or_else(|| DEFAULT_KEY_ENV.into());
            let key = env(&name).filter(|k| !k.is_empty()).map(ApiKey::new);
            Some(Via::Http { endpoint, key })
        }
        (None, None) => None,
    };
    let model = match (&via, model) {
        (_, Some(m)) => m,
        (Some(Via::Command(argv)), None) => argv.join(" "),
        (_, None) => String::new(),
    };
    Settings {
        via,
        model,
        max_items: s.max_items.unwrap_or(DEFAULT_MAX_ITEMS),
        timeout: Duration::from_secs(s.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S)),
        notes,
    }
}

/// The user's `[review]`, and how to name the file in advice.
fn read_user_config(
    env: &dyn Fn(&str) -> Option<String>,
    notes: &mut Vec<String>,
) -> (ReviewSettings, String) {
    let Some(path) = user_config_path(env) else {
        return (
            ReviewSettings::default(),
            "~/.config/gavel/gavel.toml".into(),
        );
    };
    let shown = path.display().to_string();
    if !path.is_file() {
        return (ReviewSettings::default(), shown);
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            notes.push(format!("{shown}: cannot read it: {e}"));
            return (ReviewSettings::default(), shown);
        }
    };
    match parse_config(&SourceFile::new(shown.clone(), text)) {
        Ok(c) => (c.review, shown),
        Err(errors) => {
            notes.extend(
                errors
                    .iter()
                    .map(|e| format!("your config is not used: {e}")),
            );
            (ReviewSettings::default(), shown)
        }
    }
}

/// Is the workspace at `dir` (or a directory above it) one the user trusts?
fn is_trusted(
    dir: &Path,
    from_user: Option<&[String]>,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let Some(dir) = real(dir) else { return false };
    let from_env = env("GAVEL_REVIEW_TRUST").unwrap_or_default();
    let listed = from_env
        .split(':')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .chain(from_user.unwrap_or_default().iter().cloned());
    listed
        .filter_map(|p| real(&expand_home(&p, env)))
        .any(|t| dir.starts_with(t))
}

fn expand_home(p: &str, env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    match (p.strip_prefix("~/"), env("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(p),
    }
}
