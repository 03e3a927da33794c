//! Baselined findings in the editor (SPEC 8): a finding the baseline knows is shown as a hint,
//! so legacy code does not drown what is new. The baseline is `.gavel-baseline.json` in the
//! file's config directory (where `gavel baseline` writes it when run there), read again when
//! its modification time or size changes ([`crate::stamped`]); a broken one is logged and
//! ignored.

use std::sync::Arc;

use gavel_engine::Finding;
use gavel_policy::Severity;
use gavel_workspace::{
    LoadedConfig,
    baseline::{BASELINE_FILE, Baseline},
    report::fingerprint::fingerprints,
};

use crate::stamped::Stamped;

/// The baselines read so far, by file.
#[derive(Default)]
pub struct Baselines {
    files: Stamped<Baseline>,
}

impl Baselines {
    /// The baseline beside `config`, if there is a readable one.
    pub fn for_config(&self, config: &LoadedConfig) -> Option<Arc<Baseline>> {
        self.files
            .get(config.dir.join(BASELINE_FILE), |path| match Baseline::load(
                path,
                &path.display().to_string(),
            ) {
                Ok(b) => Some(b),
                Err(e) => {
                    tracing::warn!("{e}");
                    None
                }
            })
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
