//! The result cache of `gavel check` (as ruff has one): a file's findings before provenance,
//! kept under `.gavel_cache/` in its config's directory (with a `.gitignore` of its own), keyed
//! by gavel's version, the rules in effect (every config and pack file read, by path, size and
//! modification time; each rule's severity and `applies_to`; the options), the file's path and
//! the **hash of its content**
//! (never its mtime: a fresh checkout changes every mtime). Provenance is not cached: git is read
//! again each run, and only for files with findings. A warm run over an unchanged tree parses
//! nothing.
//!
//! Entries are written atomically (a temporary file renamed into place); a broken or foreign
//! entry is a miss. The directory is kept under [`MAX_BYTES`]: past it, the oldest entries go
//! until half is left.

use std::{
    collections::HashMap,
    ops::Range,
    path::{Path, PathBuf},
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use gavel_engine::{Edit, FileReport, Finding, Fix, Provenance, Remedy, Waived};
use gavel_policy::{AppliesTo, Severity};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::LoadedConfig;

pub const CACHE_DIR: &str = ".gavel_cache";

/// The cache directory's size bound.
pub const MAX_BYTES: u64 = 64 << 20;

/// The caches of one run, by directory.
#[derive(Default)]
pub struct Cache {
    /// Directories set up (or that failed: `false`), and pruned, this run.
    dirs: Mutex<HashMap<PathBuf, bool>>,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    suppressed: usize,
    findings: Vec<Cached>,
    /// What suppressions removed: rule, reason, line.
    waived: Vec<(String, String, usize)>,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    rule: String,
    severity: Severity,
    category: String,
    message: String,
    instead: Option<String>,
    remedy: u8,
    range: Range<usize>,
    fixes: Vec<(String, Vec<CachedEdit>)>,
    applies_to: AppliesTo,
}

/// A fix's edit: the bytes it replaces and the new text.
type CachedEdit = (Range<usize>, String);

/// What decides a config's results, hashed once when it is loaded. Config and pack files are
/// known by their path, size and modification time (to the nanosecond), read from their
/// metadata: hashing never opens a file, so a config naming a FIFO, a device or a file outside
/// the repository (which loading refused) cannot make it block or read.
pub fn rules_key(config: &LoadedConfig) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // The entries' format.
    h.update(b"entry/2");
    let mut files = config.files.clone();
    files.sort();
    for f in &files {
        h.update(f.to_string_lossy().as_bytes());
        if let Ok(m) = std::fs::metadata(f) {
            let when = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            h.update(format!(":{}:{when}", m.len()).as_bytes());
        }
        h.update([0]);
    }
    for r in &config.rules.rules {
        h.update(format!("{}:{:?}:{:?};", r.rule.id, r.severity, r.applies_to).as_bytes());
    }
    let o = &config.rules.options;
    let mut builtin: Vec<_> = o.builtin_severity.iter().collect();
    builtin.sort();
    h.update(format!("{}:{}:{builtin:?}", o.require_reason, o.ignore_file_globs).as_bytes());
    hex(&h.finalize())
}

impl Cache {
    /// The findings of `text` at `rel` under `config`, from the cache or from `check` (and then
    /// kept).
    pub fn check(
        &self,
        config: &LoadedConfig,
        rel: &str,
        text: &str,
        check: impl FnOnce() -> FileReport,
    ) -> FileReport {
        let dir = config.dir.join(CACHE_DIR);
        let key = {
            let mut h = Sha256::new();
            for part in [config.rules_key.as_str(), rel, text] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            hex(&h.finalize())
        };
        let file = dir.join(&key[..2]).join(&key[2..]);
        if let Some(report) = read(&file, config) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return report;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let report = check();
        if self.ready(&dir) {
            write(&file, &report);
        }
        report
    }

    /// Set up `dir` once per run (create it with its `.gitignore`, prune it); false when it
    /// cannot be written.
    fn ready(&self, dir: &Path) -> bool {
        let mut dirs = self.dirs.lock().expect("not poisoned");
        *dirs.entry(dir.to_path_buf()).or_insert_with(|| {
            // A `.gavel_cache` the repository brings as a symlink could point anywhere: never
            // write through it.
            let made = make_dir(dir);
            if made {
                prune(dir);
            }
            made
        })
    }
}

/// Create the cache directory with its `.gitignore`, never through a symlink.
fn make_dir(dir: &Path) -> bool {
    !is_symlink(dir)
        && std::fs::create_dir_all(dir).is_ok()
        && !is_symlink(dir)
        && std::fs::write(dir.join(".gitignore"), "# gavel's result cache\n*\n").is_ok()
}

/// The entry file of a value of `kind` keyed by `parts`, in the cache beside `config_dir`.
fn value_file(config_dir: &Path, kind: &str, parts: &[&str]) -> PathBuf {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    for part in parts {
        h.update([0]);
        h.update(part.as_bytes());
    }
    let key = hex(&h.finalize());
    let dir = config_dir.join(CACHE_DIR);
    dir.join(format!("{kind}{}", &key[..2])).join(&key[2..])
}

/// A small value another part of gavel keeps in the cache (the review layer's verdicts), keyed
/// by `parts`: the same guarantees as the result cache's entries (regular files, bounded, never
/// through a symlink).
pub fn load_value(config_dir: &Path, kind: &str, parts: &[&str]) -> Option<Vec<u8>> {
    let file = value_file(config_dir, kind, parts);
    let shard = file.parent()?;
    if is_symlink(shard) || is_symlink(&file) || is_symlink(shard.parent()?) {
        return None;
    }
    crate::read::read_regular(&file, MAX_ENTRY_BYTES).ok()
}

/// Every value of `kind` kept for the config in `config_dir` (at most `limit`, each bounded as
/// [`load_value`] reads them), in no particular order.
pub fn values(config_dir: &Path, kind: &str, limit: usize) -> Vec<Vec<u8>> {
    let dir = config_dir.join(CACHE_DIR);
    if is_symlink(&dir) {
        return Vec::new();
    }
    let Ok(shards) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let is_shard = |name: &str| {
        name.strip_prefix(kind)
            .is_some_and(|rest| rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let mut out = Vec::new();
    for shard in shards.flatten() {
        let name = shard.file_name();
        if !is_shard(&name.to_string_lossy()) || is_symlink(&shard.path()) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(shard.path()) else {
            continue;
        };
        for file in files.flatten() {
            if out.len() >= limit {
                return out;
            }
            if is_symlink(&file.path()) {
                continue;
            }
            if let Ok(bytes) = crate::read::read_regular(&file.path(), MAX_ENTRY_BYTES) {
                out.push(bytes);
            }
        }
    }
    out
}

/// Keep a value for [`load_value`]; a cache that cannot be written only costs time.
pub fn store_value(config_dir: &Path, kind: &str, parts: &[&str], bytes: &[u8]) {
    let file = value_file(config_dir, kind, parts);
    let Some(shard) = file.parent() else { return };
    let Some(dir) = shard.parent() else { return };
    if !make_dir(dir) || is_symlink(shard) || std::fs::create_dir_all(shard).is_err() {
        return;
    }
    if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(shard)
        && std::io::Write::write_all(&mut tmp, bytes).is_ok()
    {
        let _ = tmp.persist(&file);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// An entry is at most this big (a larger one is a miss).
const MAX_ENTRY_BYTES: u64 = 16 << 20;

fn read(file: &Path, config: &LoadedConfig) -> Option<FileReport> {
    // Regular files only, bounded: an entry the repository planted as a FIFO or a link to a
    // device is a miss, not a hang.
    let shard = file.parent()?;
    if is_symlink(shard) || is_symlink(file) || is_symlink(shard.parent()?) {
        return None;
    }
    let bytes = crate::read::read_regular(file, MAX_ENTRY_BYTES).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    let findings = entry
        .findings
        .into_iter()
        .map(|c| {
            let rule = config.rules.get(&c.rule).map(|r| r.rule.clone());
            Finding {
                rule_id: c.rule,
                rule,
                severity: c.severity,
                category: c.category,
                message: c.message,
                instead: c.instead,
                remedy: remedy_of(c.remedy),
                range: c.range,
                fixes: c
                    .fixes
                    .into_iter()
                    .map(|(title, edits)| Fix {
                        title,
                        edits: edits
                            .into_iter()
                            .map(|(range, text)| Edit { range, text })
                            .collect(),
                    })
                    .collect(),
                provenance: Provenance::Unknown,
                changed: None,
                applies_to: c.applies_to,
            }
        })
        .collect();
    Some(FileReport {
        findings,
        suppressed: entry.suppressed,
        waived: entry
            .waived
            .into_iter()
            .map(|(rule_id, reason, line)| Waived {
                rule_id,
                reason,
                line,
            })
            .collect(),
    })
}

fn write(file: &Path, report: &FileReport) {
    let entry = Entry {
        suppressed: report.suppressed,
        waived: report
            .waived
            .iter()
            .map(|w| (w.rule_id.clone(), w.reason.clone(), w.line))
            .collect(),
        findings: report
            .findings
            .iter()
            .map(|f| Cached {
                rule: f.rule_id.clone(),
                severity: f.severity,
                category: f.category.clone(),
                message: f.message.clone(),
                instead: f.instead.clone(),
                remedy: remedy_code(f.remedy),
                range: f.range.clone(),
                fixes: f
                    .fixes
                    .iter()
                    .map(|x| {
                        let edits = x.edits.iter().map(|e| (e.range.clone(), e.text.clone()));
                        (x.title.clone(), edits.collect())
                    })
                    .collect(),
                applies_to: f.applies_to,
            })
            .collect(),
    };
    let Some(dir) = file.parent() else { return };
    if is_symlink(dir) || std::fs::create_dir_all(dir).is_err() || is_symlink(dir) {
        return;
    }
    let Ok(json) = serde_json::to_vec(&entry) else {
        return;
    };
    // A cache that cannot be written only costs time: nothing to report.
    if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir)
        && std::io::Write::write_all(&mut tmp, &json).is_ok()
    {
        let _ = tmp.persist(file);
    }
}

fn remedy_code(r: Remedy) -> u8 {
    match r {
        Remedy::None => 0,
        Remedy::Instead => 1,
        Remedy::FixTitle => 2,
        Remedy::UseSanctioned => 3,
    }
}

fn remedy_of(code: u8) -> Remedy {
    match code {
        1 => Remedy::Instead,
        2 => Remedy::FixTitle,
        3 => Remedy::UseSanctioned,
        _ => Remedy::None,
    }
}

/// Past [`MAX_BYTES`], remove the oldest entries until half is left.
fn prune(dir: &Path) {
    let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for shard in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if !shard.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        for e in std::fs::read_dir(shard.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Ok(m) = e.metadata() {
                let when = m.modified().unwrap_or(std::time::UNIX_EPOCH);
                entries.push((when, m.len(), e.path()));
            }
        }
    }
    let mut total: u64 = entries.iter().map(|e| e.1).sum();
    if total <= MAX_BYTES {
        return;
    }
    entries.sort();
    for (_, len, path) in entries {
        if total <= MAX_BYTES / 2 {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}
