//! Baselined findings in the editor (SPEC 8): a finding the baseline knows is shown as a hint,
//! so legacy code does not drown what is new. The baseline is `.gavel-baseline.json` in the
//! file's config directory (where `gavel baseline` writes it when run there), read again when
//! its modification time or size changes; a broken one is logged and ignored.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::SystemTime,
};

use gavel_engine::Finding;
use gavel_policy::Severity;
use gavel_workspace::{
    LoadedConfig,
    baseline::{BASELINE_FILE, Baseline},
    report::fingerprint::fingerprints,
};

type Stamp = (SystemTime, u64);

/// A file's stamp when read, and the baseline it held (`None`: missing or broken).
type Entry = (Option<Stamp>, Option<Arc<Baseline>>);

/// The baselines read so far, by file.
#[derive(Default)]
pub struct Baselines {
    cache: Mutex<HashMap<PathBuf, Entry>>,
}

impl Baselines {
    /// The baseline beside `config`, if there is a readable one.
    pub fn for_config(&self, config: &LoadedConfig) -> Option<Arc<Baseline>> {
        let path = config.dir.join(BASELINE_FILE);
        let stamp = std::fs::metadata(&path)
            .ok()
            .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        let mut cache = self.cache.lock().expect("not poisoned");
        if let Some((seen, baseline)) = cache.get(&path)
            && *seen == stamp
        {
            return baseline.clone();
        }
        let baseline =
            stamp.and_then(
                |_| match Baseline::load(&path, &path.display().to_string()) {
                    Ok(b) => Some(Arc::new(b)),
                    Err(e) => {
                        tracing::warn!("{e}");
                        None
                    }
                },
            );
        cache.insert(path, (stamp, baseline.clone()));
        baseline
    }
}

/// Make the findings the baseline knows hints. `rel` is the file's path relative to its config
/// directory, as fingerprints take it.
pub fn mark(findings: &mut [Finding], baseline: &Baseline, rel: &str, text: &str) {
    // Fingerprints count equal texts in position order.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (findings[i].range.start, findings[i].range.end));
    let prints = fingerprints(order.iter().map(|&i| &findings[i]), rel, text);
    for (i, print) in order.into_iter().zip(prints) {
        if baseline.contains(&print) {
            findings[i].severity = Severity::Hint;
        }
    }
}
