//! Files the server reads beside a config (the baseline, the approvals) and reads again only
//! when their modification time or size changes: one `stat` per check, no watcher needed.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::SystemTime,
};

type Stamp = (SystemTime, u64);

/// A file's stamp when read, and what it held (`None`: missing, or not loaded).
type Entry<T> = (Option<Stamp>, Option<Arc<T>>);

/// What was read of each file so far.
pub struct Stamped<T> {
    cache: Mutex<HashMap<PathBuf, Entry<T>>>,
}

impl<T> Default for Stamped<T> {
    fn default() -> Stamped<T> {
        Stamped {
            cache: Mutex::default(),
        }
    }
}

impl<T> Stamped<T> {
    /// The file at `path` as `load` read it, read again when its stamp changed; `None` when it
    /// is missing or `load` gave nothing (a broken file, which `load` logs).
    pub fn get(&self, path: PathBuf, load: impl FnOnce(&Path) -> Option<T>) -> Option<Arc<T>> {
        let stamp = std::fs::metadata(&path)
            .ok()
            .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        let mut cache = self.cache.lock().expect("not poisoned");
        if let Some((seen, value)) = cache.get(&path)
            && *seen == stamp
        {
            return value.clone();
        }
        let value = stamp.and_then(|_| load(&path)).map(Arc::new);
        cache.insert(path, (stamp, value.clone()));
        value
    }
}
