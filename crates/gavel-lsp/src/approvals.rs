//! Approved findings in the editor (SPEC 9.3): a finding that a valid approval in
//! `.gavel/approvals.toml` waives is shown as a hint that says who approved it, until when and
//! why. An expired approval waives nothing: the finding is shown as it is. The file is the one
//! beside the file's config (where `gavel approve` writes it when run there), read again when
//! its modification time or size changes ([`crate::stamped`]); a broken one is logged and
//! ignored.

use std::{path::Path, sync::Arc};

use gavel_engine::Finding;
use gavel_policy::Severity;
use gavel_review::approvals::{APPROVALS_FILE, Approvals};
use gavel_workspace::{LoadedConfig, report::fingerprint::fingerprints};

use crate::stamped::Stamped;

/// The approvals read so far, by file.
#[derive(Default)]
pub struct ApprovalFiles {
    files: Stamped<Approvals>,
}

impl ApprovalFiles {
    /// The approvals beside `config`, if there is a readable file with any.
    pub fn for_config(&self, config: &LoadedConfig) -> Option<Arc<Approvals>> {
        let approvals =
            self.files.get(
                config.dir.join(APPROVALS_FILE),
                |path| match Approvals::load(path, &path.display().to_string()) {
                    Ok(a) => Some(a),
                    Err(e) => {
                        tracing::warn!("{e}");
                        None
                    }
                },
            )?;
        (!approvals.entries.is_empty()).then_some(approvals)
    }
}

/// Make the findings a valid approval waives hints; for each finding, what to add to its
/// message (`" (approved by WHO until DATE: REASON)"`), if anything. `path` is the file's,
/// `rel` its path relative to its config directory (as fingerprints take it). Findings that are
/// `off` are counted for the fingerprints (they are the rule's other matches) but never marked.
pub fn mark(
    findings: &mut [Finding],
    approvals: &Approvals,
    path: &Path,
    rel: &str,
    text: &str,
) -> Vec<Option<String>> {
    let mut notes = vec![None; findings.len()];
    // Fingerprints count equal texts in position order.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (findings[i].range.start, findings[i].range.end));
    let prints = fingerprints(order.iter().map(|&i| &findings[i]), rel, text);
    let today = gavel_review::approvals::today();
    for (i, print) in order.into_iter().zip(prints) {
        let f = &mut findings[i];
        if f.severity == Severity::Off {
            continue;
        }
        if let Some(Ok(a)) = approvals.find(&f.rule_id, path, &print, today) {
            f.severity = Severity::Hint;
            notes[i] = Some(format!(
                " (approved by {} until {}: {})",
                a.approver, a.expires, a.reason
            ));
        }
    }
    notes
}
