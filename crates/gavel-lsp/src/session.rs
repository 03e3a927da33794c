//! The server's state: negotiated capabilities, settings, policies and open documents, and the
//! snapshots that checks run on.

use std::{
    path::PathBuf,
    sync::{Arc, RwLock},
    time::Duration,
};

use dashmap::DashMap;
use gavel_engine::Incremental;
use gavel_syntax::{Lang, WideEncoding, ropey::Rope, tree_sitter::Tree};
use gavel_workspace::LoadedConfig;
use serde::Deserialize;
use tower_lsp_server::{
    Client,
    ls_types::{Diagnostic, Uri},
};

use crate::{
    caps::Caps,
    document::{Body, DocEntry, Limits},
    policies::Policies,
};

/// `initializationOptions`, all optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// An explicit `gavel.toml` for every file (the `gavel.config` setting).
    pub config: Option<PathBuf>,
    /// Larger documents are not parsed or checked.
    pub max_file_bytes: usize,
    /// `false` reparses from scratch at every change (the benchmark's baseline).
    pub incremental: bool,
    /// A parse that takes longer is abandoned until the next change.
    pub parse_timeout_ms: u64,
    /// How long a change waits for its incremental reparse before the chunks it touched are
    /// checked on their own (provisionally) while the reparse finishes on another thread.
    pub reparse_budget_ms: u64,
    /// How often the server polls policy files when the client does not watch them.
    pub watch_interval_ms: u64,
    /// Accept the `gavel.debug.*` commands (for tests of the server's robustness).
    pub debug_commands: bool,
    /// `false` leaves every finding's provenance unknown (the benchmark's baseline).
    pub provenance: bool,
    /// Offer "Suppress ID on this line" (like ruff's `codeAction.disableRuleComment`).
    pub suppress_action: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            config: None,
            max_file_bytes: gavel_workspace::source::MAX_FILE_BYTES as usize,
            incremental: true,
            parse_timeout_ms: 2000,
            reparse_budget_ms: 3,
            watch_interval_ms: 1000,
            debug_commands: false,
            provenance: true,
            suppress_action: true,
        }
    }
}

impl Settings {
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_file_bytes,
            incremental: self.incremental,
            parse_timeout: Duration::from_millis(self.parse_timeout_ms),
            reparse_budget: Duration::from_millis(
                self.reparse_budget_ms.min(self.parse_timeout_ms),
            ),
        }
    }
}

/// Everything a check of one document version needs, taken without waiting.
pub struct Snapshot {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub version: i32,
    pub lang: Lang,
    pub rope: Rope,
    /// `None` while the last parse timed out.
    pub tree: Option<Tree>,
    /// While `tree` is `None`: the previous tree edited to match the text, for a provisional
    /// check of the chunks the edits touched.
    pub edited: Option<Tree>,
    pub config: Arc<LoadedConfig>,
    pub enc: WideEncoding,
    pub generation: u64,
    /// The previous incremental check's cache; `None` to check the whole file.
    pub prev: Option<Arc<Incremental>>,
    /// Check incrementally (the `incremental` setting).
    pub incremental: bool,
    /// Lines edit bursts marked AI-written.
    pub ai: crate::provenance::AiMarks,
    /// git, unless the `provenance` setting is off.
    pub git: Option<Arc<crate::provenance::State>>,
    /// The baseline beside the file's config: its findings are hints.
    pub baseline: Option<Arc<gavel_workspace::baseline::Baseline>>,
    /// The approvals beside the file's config: the findings they waive are hints.
    pub approvals: Option<Arc<gavel_review::approvals::Approvals>>,
    /// The config's review rules, if it has any, and the document's review requests: cached
    /// verdicts are shown.
    pub review: Option<(Arc<crate::review::Rules>, Arc<crate::review::Memo>)>,
}

pub struct Session {
    pub client: Client,
    pub docs: DashMap<Uri, DocEntry>,
    caps: RwLock<Caps>,
    settings: RwLock<Settings>,
    policies: RwLock<Arc<Policies>>,
    /// Policy files that diagnostics were last published on.
    pub policy_diagnostic_files: std::sync::Mutex<Vec<Uri>>,
    /// Files whose findings `gavel.scanWorkspace` pushed.
    pub scanned: DashMap<Uri, ()>,
    /// git per open file, for provenance.
    pub git: Arc<crate::provenance::State>,
    /// Counts finished (or abandoned) reparses, for pulls waiting on one ([`crate::finish`]).
    pub reparsed: tokio::sync::watch::Sender<u64>,
    /// The named policy paths the client's file watchers were registered for.
    pub watched: std::sync::Mutex<Option<Vec<crate::named::Named>>>,
    pub baselines: crate::baseline::Baselines,
    pub approvals: crate::approvals::ApprovalFiles,
    pub reviews: crate::review::Reviews,
}

impl Session {
    pub fn new(client: Client) -> Session {
        let cwd = std::env::current_dir().unwrap_or_default();
        Session {
            client,
            docs: DashMap::new(),
            caps: RwLock::default(),
            settings: RwLock::default(),
            policies: RwLock::new(Arc::new(Policies::new(None, cwd))),
            policy_diagnostic_files: std::sync::Mutex::default(),
            scanned: DashMap::new(),
            git: Arc::default(),
            reparsed: tokio::sync::watch::Sender::new(0),
            watched: std::sync::Mutex::default(),
            baselines: Default::default(),
            approvals: Default::default(),
            reviews: Default::default(),
        }
    }

    pub fn caps(&self) -> Caps {
        *self.caps.read().expect("not poisoned")
    }

    pub fn settings(&self) -> Settings {
        self.settings.read().expect("not poisoned").clone()
    }

    pub fn policies(&self) -> Arc<Policies> {
        self.policies.read().expect("not poisoned").clone()
    }

    /// Set up from `initialize`.
    pub fn configure(&self, caps: Caps, settings: Settings, root: PathBuf) {
        *self.policies.write().expect("not poisoned") =
            Arc::new(Policies::new(settings.config.clone(), root));
        *self.caps.write().expect("not poisoned") = caps;
        *self.settings.write().expect("not poisoned") = settings;
    }

    /// The diagnostic a document gavel does not check gets ([`crate::notice`]), with its version.
    pub fn notice(&self, uri: &Uri) -> Option<(Diagnostic, i32)> {
        let max = self.settings().max_file_bytes;
        let entry = self.docs.get(uri)?;
        crate::notice::notice(&entry, max).map(|d| (d, entry.version()))
    }

    /// A snapshot of a checked document: O(1) clones of its rope and tree.
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let path = self.docs.get(uri)?.path.clone();
        // Loading a config can read files: do it before taking the document's lock.
        let policies = self.policies();
        let config = policies.for_file(path.as_deref());
        let baseline = self.baselines.for_config(&config);
        let approvals = self.approvals.for_config(&config);
        let review = self.reviews.for_config(&config, policies.generation());
        let entry = self.docs.get(uri)?;
        let Body::Source(doc) = &entry.body else {
            return None;
        };
        if entry.out_of_sync.is_some() {
            return None;
        }
        Some(Snapshot {
            uri: uri.clone(),
            path,
            version: doc.version(),
            lang: doc.lang(),
            rope: doc.rope().clone(),
            tree: doc.tree().cloned(),
            edited: doc.edited_tree().cloned(),
            config,
            enc: self.caps().encoding,
            generation: policies.generation(),
            prev: entry.cache.clone(),
            incremental: self.settings().incremental,
            ai: entry.ai.clone(),
            git: self.settings().provenance.then(|| self.git.clone()),
            baseline,
            approvals,
            review: review.map(|r| (r, entry.review.clone())),
        })
    }
}
