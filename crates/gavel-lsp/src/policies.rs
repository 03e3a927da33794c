//! The loaded policies, per `gavel.toml`, with "last good stays active": a reload whose config
//! or packs have errors keeps the rules that last loaded cleanly, and reports the errors.

use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

use gavel_workspace::{LoadedConfig, WorkspaceError, find_config, load_config};

use crate::named::Named;

/// One config (a `gavel.toml`, or `None` for the built-in defaults).
struct Slot {
    /// The rules in use.
    active: Arc<LoadedConfig>,
    /// The errors of the latest load (empty when it loaded cleanly).
    errors: Vec<WorkspaceError>,
    /// Every file the latest load read.
    files: Vec<PathBuf>,
    /// Every path the config names, read or not ([`crate::named`]).
    named: Vec<Named>,
}

/// Every config in use, keyed by its `gavel.toml`.
pub struct Policies {
    explicit: Option<PathBuf>,
    default_dir: PathBuf,
    by_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    slots: RwLock<BTreeMap<Option<PathBuf>, Slot>>,
    generation: AtomicU64,
}

impl Policies {
    pub fn new(explicit: Option<PathBuf>, default_dir: PathBuf) -> Policies {
        Policies {
            explicit,
            default_dir,
            by_dir: Mutex::default(),
            slots: RwLock::default(),
            generation: AtomicU64::new(1),
        }
    }

    /// Increases at every reload, so cached results can tell they are out of date.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The config that applies to a file (`None`: an unsaved buffer, which gets the config of
    /// the workspace root).
    pub fn for_file(&self, path: Option<&Path>) -> Arc<LoadedConfig> {
        let key = self.config_of(path);
        if let Some(slot) = self.slots.read().expect("not poisoned").get(&key) {
            return slot.active.clone();
        }
        let loaded = Arc::new(load_config(key.as_deref(), &self.default_dir));
        let named = key.as_deref().map(crate::named::paths).unwrap_or_default();
        let mut slots = self.slots.write().expect("not poisoned");
        let slot = slots.entry(key).or_insert_with(|| Slot {
            errors: loaded.errors.clone(),
            files: loaded.files.clone(),
            named,
            active: loaded,
        });
        slot.active.clone()
    }

    fn config_of(&self, path: Option<&Path>) -> Option<PathBuf> {
        if let Some(f) = &self.explicit {
            return Some(f.clone());
        }
        let dir = match path.and_then(Path::parent) {
            Some(d) => d.to_path_buf(),
            None => self.default_dir.clone(),
        };
        let mut by_dir = self.by_dir.lock().expect("not poisoned");
        by_dir
            .entry(dir.clone())
            .or_insert_with(|| find_config(&dir))
            .clone()
    }

    /// Load every config again (without holding the lock while reading files), keeping the
    /// last good rules of a config whose new load has errors.
    pub fn reload(&self) {
        self.by_dir.lock().expect("not poisoned").clear();
        let keys: Vec<Option<PathBuf>> = self
            .slots
            .read()
            .expect("not poisoned")
            .keys()
            .cloned()
            .collect();
        let fresh: Vec<_> = keys
            .into_iter()
            .map(|key| {
                let loaded = load_config(key.as_deref(), &self.default_dir);
                let named = key.as_deref().map(crate::named::paths).unwrap_or_default();
                (key, (loaded, named))
            })
            .collect();
        let mut slots = self.slots.write().expect("not poisoned");
        for (key, (fresh, named)) in fresh {
            let Some(slot) = slots.get_mut(&key) else {
                continue;
            };
            slot.named = named;
            slot.errors = fresh.errors.clone();
            slot.files = fresh.files.clone();
            if fresh.errors.is_empty() || !slot.active.errors.is_empty() {
                slot.active = Arc::new(fresh);
            } else {
                tracing::warn!(
                    "policies for {} have errors; the last good policies stay active",
                    key.as_deref()
                        .map_or("the defaults".into(), |p| p.display().to_string())
                );
            }
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The errors of the latest load of every config, without duplicates.
    pub fn errors(&self) -> Vec<WorkspaceError> {
        let slots = self.slots.read().expect("not poisoned");
        let mut seen = std::collections::HashSet::new();
        slots
            .values()
            .flat_map(|s| s.errors.iter())
            .filter(|e| seen.insert(e.to_string()))
            .cloned()
            .collect()
    }

    /// Every config and pack file read by the latest loads.
    pub fn files(&self) -> Vec<PathBuf> {
        let slots = self.slots.read().expect("not poisoned");
        let mut files: Vec<PathBuf> = slots
            .keys()
            .flatten()
            .cloned()
            .chain(slots.values().flat_map(|s| s.files.iter().cloned()))
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Every path the configs in use name, read or not.
    pub fn named(&self) -> Vec<Named> {
        let slots = self.slots.read().expect("not poisoned");
        let mut named: Vec<Named> = slots
            .values()
            .flat_map(|s| s.named.iter().cloned())
            .collect();
        named.sort();
        named.dedup();
        named
    }

    /// Does a change to this path change the policies: a `gavel.toml`, a file in use, a path a
    /// config names (or a directory holding one), a new `.toml` in a named pack directory, or
    /// one beside a pack in use?
    pub fn is_policy_file(&self, path: &Path) -> bool {
        if crate::named::touches(&self.named(), path) {
            return true;
        }
        if path
            .file_name()
            .is_some_and(|n| n == gavel_workspace::config::CONFIG_FILE)
        {
            return true;
        }
        let files = self.files();
        files.iter().any(|f| f == path)
            || path.extension().is_some_and(|e| e == "toml")
                && files.iter().any(|f| {
                    f.parent() == path.parent()
                        && f.file_name()
                            .is_none_or(|n| n != gavel_workspace::config::CONFIG_FILE)
                })
    }

    /// How many rules are active, over every config.
    pub fn rule_count(&self) -> usize {
        let slots = self.slots.read().expect("not poisoned");
        let mut ids: Vec<&str> = slots
            .values()
            .flat_map(|s| s.active.rules.rules.iter())
            .filter(|r| r.severity != gavel_policy::Severity::Off)
            .map(|r| r.rule.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    pub fn default_dir(&self) -> &Path {
        &self.default_dir
    }
}
