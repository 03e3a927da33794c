//! The baseline (SPEC 8): `.gavel-baseline.json` holds the findings a team accepted when it
//! turned gavel on, by fingerprint; `gavel check` then reports only findings the baseline does
//! not know, counts the others, and notes entries that no longer occur. Paths in the file are
//! relative to its directory, with `/`; they tell people where, the fingerprint decides.

use std::{
    collections::{BTreeSet, HashMap},
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{
    find_config,
    report::{BaselineState, Report},
};

pub const BASELINE_FILE: &str = ".gavel-baseline.json";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    rule: String,
    fingerprint: String,
}

/// A loaded baseline.
pub struct Baseline {
    dir: PathBuf,
    entries: Vec<Entry>,
    /// The entries' fingerprints, for [`Baseline::contains`] (the editor asks per finding).
    prints: std::collections::HashSet<String>,
}

/// What applying a baseline did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings left out: the baseline knows them.
    pub baselined: usize,
    /// Entries of the files checked that no finding matched: fixed since.
    pub stale: usize,
}

/// Where the baseline is by default: beside the nearest `gavel.toml` from `cwd`, or in `cwd`.
pub fn default_path(cwd: &Path) -> PathBuf {
    let dir = find_config(cwd)
        .and_then(|c| c.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| cwd.to_path_buf());
    dir.join(BASELINE_FILE)
}

impl Baseline {
    /// Read a baseline file (`shown` is its name in messages); a bad one is an error naming
    /// the file, line and column.
    pub fn load(path: &Path, shown: &str) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{shown}: cannot read the baseline ({e}); write one with `gavel baseline`, or \
                 pass --no-baseline"
            )
        })?;
        let file: File = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{shown}:{}:{}: not a gavel baseline: {e}; write it again with `gavel baseline`",
                e.line(),
                e.column()
            )
        })?;
        if file.version != 1 {
            return Err(format!(
                "{shown}: baseline version {} is not one this gavel reads (1); write it again \
                 with `gavel baseline`",
                file.version
            ));
        }
        let prints = file
            .findings
            .iter()
            .map(|e| e.fingerprint.clone())
            .collect();
        Ok(Baseline {
            dir: parent(path),
            entries: file.findings,
            prints,
        })
    }

    /// Does the baseline know a finding with this fingerprint? (The editor's question: it
    /// shows such findings as hints.)
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.prints.contains(fingerprint)
    }

    /// Write `report`'s findings (paths relative to `cwd`, as reports show them) to `path`,
    /// atomically; how many.
    pub fn write(path: &Path, report: &Report, cwd: &Path) -> Result<usize, String> {
        let dir = parent(path);
        let entries: BTreeSet<Entry> = report
            .findings()
            .map(|(file, l)| Entry {
                path: relative(&cwd.join(&file.path), &dir),
                rule: l.finding.rule_id.clone(),
                fingerprint: l.fingerprint.clone(),
            })
            .collect();
        let count = entries.len();
        let file = File {
            version: 1,
            findings: entries.into_iter().collect(),
        };
        let json = serde_json::to_string_pretty(&file).expect("a baseline serializes") + "\n";
        let fail =
            |e: std::io::Error| format!("{}: cannot write the baseline: {e}", path.display());
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
        std::io::Write::write_all(&mut tmp, json.as_bytes()).map_err(fail)?;
        tmp.persist(path).map_err(|e| fail(e.error))?;
        Ok(count)
    }

    /// Mark each finding new or unchanged, drop the unchanged ones from `report`, and count
    /// the entries of the checked files that nothing matched.
    pub fn apply(&self, report: &mut Report, cwd: &Path) -> Applied {
        let mut left: HashMap<&str, usize> = HashMap::new();
        for e in &self.entries {
            *left.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        let mut applied = Applied::default();
        let mut checked: BTreeSet<String> = BTreeSet::new();
        for file in &mut report.files {
            checked.insert(relative(&cwd.join(&file.path), &self.dir));
            for l in &mut file.findings {
                let known = left.get_mut(l.fingerprint.as_str()).filter(|n| **n > 0);
                l.baseline = Some(match known {
                    Some(n) => {
                        *n -= 1;
                        BaselineState::Unchanged
                    }
                    None => BaselineState::New,
                });
            }
            let before = file.findings.len();
            file.findings
                .retain(|l| l.baseline != Some(BaselineState::Unchanged));
            applied.baselined += before - file.findings.len();
        }
        // An entry is stale when its file was checked and no finding took it.
        let mut unmatched: HashMap<&str, usize> = left;
        for e in &self.entries {
            if let Some(n) = unmatched.get_mut(e.fingerprint.as_str())
                && *n > 0
            {
                *n -= 1;
                if checked.contains(&e.path) {
                    applied.stale += 1;
                }
            }
        }
        report.baselined = Some(applied.baselined);
        applied
    }
}

fn parent(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `path` relative to `dir`, with `/`; as given when it is not inside.
fn relative(path: &Path, dir: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let abs = normalize(&abs);
    let rel = abs.strip_prefix(normalize(dir)).unwrap_or(&abs);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
