//! Checking one file of a past commit: the config the work tree has today for that path (the
//! report shows what today's rules say about the history), the result cache keyed by content,
//! and fingerprints on the path the file was first seen at.

use std::path::{Path, PathBuf};

use gavel_engine::Waived;
use gavel_syntax::{Lang, LineIndex};
use gavel_workspace::{Configs, cache::Cache, report::fingerprint::fingerprints};

use crate::state::{FileState, Tracked};

/// Where and how files are checked.
pub struct Target<'a> {
    pub configs: &'a Configs,
    pub workdir: PathBuf,
    pub cache: Option<&'a Cache>,
}

/// One file's check.
pub struct FileCheck {
    pub findings: Vec<Tracked>,
    pub waived: Vec<Waived>,
}

impl Target<'_> {
    /// Does the walk follow the file at `path` (relative to the repository): Python or Rust,
    /// and not excluded by its config?
    pub fn follows(&self, path: &str) -> bool {
        let abs = self.workdir.join(path);
        Lang::from_path(Path::new(path)).is_some() && !self.configs.for_file(&abs).is_excluded(&abs)
    }

    /// Check `state`'s text as the file at `path`.
    pub fn check(&self, path: &str, state: &FileState) -> FileCheck {
        let abs = self.workdir.join(path);
        let Some(lang) = Lang::from_path(Path::new(path)) else {
            return FileCheck {
                findings: Vec::new(),
                waived: Vec::new(),
            };
        };
        let config = self.configs.for_file(&abs);
        let text = &state.text;
        let run = || config.check_text(&abs, lang, text);
        let report = match self.cache {
            Some(cache) => cache.check(&config, &config.rel_path(&abs), text, run),
            None => run(),
        };
        let identity = config.rel_path(&self.workdir.join(&state.identity));
        let prints = fingerprints(report.findings.iter(), &identity, text);
        let index = LineIndex::new(text);
        let findings = report
            .findings
            .iter()
            .zip(prints)
            .map(|(f, print)| Tracked {
                print,
                rule: f.rule_id.clone(),
                severity: f.severity,
                ai: state.ai_line(index.line_of(f.range.start)),
            })
            .collect();
        FileCheck {
            findings,
            waived: report.waived,
        }
    }
}
