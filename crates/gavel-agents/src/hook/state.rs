//! Findings kept between hook runs, for agents whose after-edit hook cannot answer (Cursor's
//! `afterFileEdit`, Copilot CLI's `postToolUse`): each edit records the findings on its lines,
//! and the agent's stop hook re-checks those files and answers with the findings still there.
//!
//! A record is a JSON file under the project's `.gavel/hooks/AGENT/`, one per conversation or
//! session id; `.gavel/` gets a `.gitignore` of `*` so it is never committed. A finding is
//! recognised again by its rule and the text it covers, so edits that move it keep it, and an
//! edit that fixes it drops it.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use gavel_policy::Severity;
use serde::{Deserialize, Serialize};

use super::{project::Project, report::Reported};
use crate::check::{Checker, FileOutcome};

/// The findings recorded for one session: by file (canonical path), rule and text.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    version: u32,
    files: BTreeMap<PathBuf, BTreeSet<(String, String)>>,
}

/// Where one agent's records are kept.
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(project_root: &Path, agent: &str) -> Store {
        Store {
            dir: project_root.join(".gavel").join("hooks").join(agent),
        }
    }

    /// Add the findings of one edit to the session's record.
    pub fn add(&self, session: &str, found: &[Reported]) -> Result<(), String> {
        if found.is_empty() {
            return Ok(());
        }
        let path = self.path(session);
        let mut record = read(&path)?.unwrap_or_default();
        record.version = 1;
        for r in found {
            record
                .files
                .entry(r.path.clone())
                .or_default()
                .insert((r.hit.rule.clone(), r.hit.matched.clone()));
        }
        self.write(&path, &record)
    }

    /// The session's record, removed: each stop answers once for what was recorded before it.
    pub fn take(&self, session: &str) -> Result<Option<Record>, String> {
        let path = self.path(session);
        let record = read(&path)?;
        if record.is_some() {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(record)
    }

    fn path(&self, session: &str) -> PathBuf {
        self.dir.join(format!("{}.json", file_name(session)))
    }

    fn write(&self, path: &Path, record: &Record) -> Result<(), String> {
        let gavel_dir = self
            .dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(&self.dir);
        let fresh = !gavel_dir.exists();
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        if fresh {
            let ignore = gavel_dir.join(".gitignore");
            std::fs::write(&ignore, "*\n").map_err(|e| format!("{}: {e}", ignore.display()))?;
        }
        let json = serde_json::to_string_pretty(record).map_err(|e| e.to_string())?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json + "\n").map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Re-check the files of a record and keep the recorded findings that are still there.
pub fn recheck(
    checker: &Checker,
    project: &Project,
    record: &Record,
    threshold: Severity,
) -> Result<Vec<Reported>, String> {
    let mut out = Vec::new();
    for (path, wanted) in &record.files {
        let Some(file) = project.file(path)? else {
            continue;
        };
        let hits = match checker.check(&file.path) {
            FileOutcome::Checked { hits, .. } => hits,
            FileOutcome::Skipped => continue,
            FileOutcome::Failed(e) => return Err(e),
        };
        out.extend(
            hits.into_iter()
                .filter(|h| h.severity >= threshold)
                .filter(|h| wanted.contains(&(h.rule.clone(), h.matched.clone())))
                .map(|hit| Reported {
                    file: file.display.clone(),
                    path: file.path.clone(),
                    hit,
                }),
        );
    }
    out.sort_by(|a, b| (&a.file, a.hit.start).cmp(&(&b.file, b.hit.start)));
    Ok(out)
}

fn read(path: &Path) -> Result<Option<Record>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            format!(
                "{}: not a gavel hook record ({e}); delete it",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// A file name for a session id: its safe characters, and a hash of all of it so that two ids
/// never share a file.
fn file_name(session: &str) -> String {
    let safe: String = session
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect();
    // FNV-1a: stable across runs and platforms.
    let hash = session.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{safe}-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Hit, Pos};

    fn reported(path: &Path, rule: &str, matched: &str) -> Reported {
        let at = Pos { line: 1, column: 1 };
        Reported {
            file: "a.py".into(),
            path: path.to_path_buf(),
            hit: Hit {
                rule: rule.into(),
                severity: Severity::Error,
                start: at,
                end: at,
                message: String::new(),
                fix: Vec::new(),
                matched: matched.into(),
            },
        }
    }

    #[test]
    fn records_merge_are_taken_once_and_stay_out_of_git() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path(), "cursor");
        let file = dir.path().join("a.py");
        store.add("c1", &[reported(&file, "r1", "x")]).unwrap();
        store.add("c1", &[reported(&file, "r2", "y")]).unwrap();
        store.add("c2", &[]).unwrap();
        let ignore = std::fs::read_to_string(dir.path().join(".gavel/.gitignore")).unwrap();
        assert_eq!(ignore, "*\n");
        let record = store.take("c1").unwrap().unwrap();
        let wanted: Vec<_> = record.files[&file].iter().cloned().collect();
        assert_eq!(
            wanted,
            vec![("r1".into(), "x".into()), ("r2".into(), "y".into())]
        );
        assert!(store.take("c1").unwrap().is_none());
        assert!(store.take("c2").unwrap().is_none());
    }

    #[test]
    fn session_ids_make_safe_distinct_file_names() {
        assert_eq!(
            file_name("conv-123"),
            format!("conv-123-{:016x}", {
                "conv-123".bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                })
            })
        );
        assert!(!file_name("../../etc/passwd").contains('/'));
        assert_ne!(file_name("a/b"), file_name("a.b"));
    }
}
