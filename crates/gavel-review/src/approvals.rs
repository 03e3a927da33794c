//! Human approval (SPEC 9.3): `.gavel/approvals.toml` beside the nearest `gavel.toml` records
//! who waived which finding, why, and until when. An approval matches a finding by rule, path
//! and fingerprint (SPEC 8), so it lapses when the code changes, and it lapses when it expires;
//! then the finding is back. Unlike a comment it also waives a `requires_approval` rule. Keep
//! the file under CODEOWNERS: an agent can write a comment, but cannot approve.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use gavel_workspace::{
    display_path, find_config,
    report::{Approved, Report},
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub const APPROVALS_FILE: &str = ".gavel/approvals.toml";
/// An approvals file is at most this big.
const MAX_BYTES: u64 = 4 << 20;
/// How long an approval lasts unless `--expires` says otherwise.
pub const DEFAULT_DAYS: i64 = 90;

const HEADER: &str = "# Approvals of gavel findings (SPEC 9.3), written by `gavel approve`.\n\
# Keep this file under CODEOWNERS so that only code owners can approve: an agent can write a\n\
# suppression comment, but not an approval.\n\n";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "approval")]
    approvals: Vec<Approval>,
}

/// One approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub rule: String,
    /// Relative to the directory that holds `.gavel/`, with `/`.
    pub path: String,
    pub fingerprint: String,
    /// Where the finding was when approved (for people; the fingerprint decides).
    #[serde(default)]
    pub line: Option<u32>,
    pub reason: String,
    /// git `user.email` of who approved.
    pub approver: String,
    pub date: Date,
    pub expires: Date,
}

/// The approvals of one workspace.
#[derive(Debug, Default)]
pub struct Approvals {
    /// The directory paths are relative to.
    dir: PathBuf,
    pub entries: Vec<Approval>,
    /// Entries by fingerprint.
    by_print: HashMap<String, Vec<usize>>,
}

/// What applying approvals did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub approved: usize,
    /// Approvals that match a finding but have expired: the finding is back.
    pub expired: usize,
}

/// Where the approvals are: `.gavel/approvals.toml` beside the nearest `gavel.toml` from
/// `cwd`, or in `cwd`.
pub fn default_path(cwd: &Path) -> PathBuf {
    let dir = find_config(cwd)
        .and_then(|c| c.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| cwd.to_path_buf());
    dir.join(APPROVALS_FILE)
}

/// Today, in the local time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The date `days` after `from`.
pub fn after(from: Date, days: i64) -> Date {
    from.checked_add(jiff::Span::new().days(days))
        .unwrap_or(from)
}

impl Approvals {
    /// Load `path` (none yet is no approvals); `shown` names it in errors.
    pub fn load(path: &Path, shown: &str) -> Result<Approvals, String> {
        let dir = base_dir(path);
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Ok(Approvals::new(dir, Vec::new()));
        };
        // The repository brings this file: never follow it elsewhere, block on it, or read a
        // huge one.
        if !meta.is_file() {
            return Err(format!(
                "{shown}: not a regular file (a symlink, a directory or a device); approvals are a TOML file in the repository"
            ));
        }
        if meta.len() > MAX_BYTES {
            return Err(format!(
                "{shown}: larger than {} MB; approvals are a small TOML file",
                MAX_BYTES >> 20
            ));
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read it: {e}"))?;
        let file: File = toml::from_str(&text).map_err(|e| {
            let at = e.span().map_or(String::new(), |s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before
                    .rsplit('\n')
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .count()
                    + 1;
                format!("{line}:{col}: ")
            });
            format!(
                "{shown}:{at}{}; fix the entry or run `gavel approve` again",
                e.message()
            )
        })?;
        Ok(Approvals::new(dir, file.approvals))
    }

    fn new(dir: PathBuf, entries: Vec<Approval>) -> Approvals {
        let mut by_print: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in entries.iter().enumerate() {
            by_print.entry(a.fingerprint.clone()).or_default().push(i);
        }
        Approvals {
            dir,
            entries,
            by_print,
        }
    }

    /// The approval of a finding of `rule` at `path` (relative to the working directory `cwd`)
    /// with `fingerprint`, valid on `day`; `Err` with the expired one.
    pub fn find(
        &self,
        rule: &str,
        path: &Path,
        fingerprint: &str,
        day: Date,
    ) -> Option<Result<&Approval, &Approval>> {
        // Fingerprints are hashes: looked up first, so a report's findings cost one probe each.
        let at = self.by_print.get(fingerprint)?;
        let rel = display_path(path, &self.dir);
        let mut matching = at
            .iter()
            .map(|&i| &self.entries[i])
            .filter(|a| a.rule == rule && a.path == rel)
            .peekable();
        let first = *matching.peek()?;
        Some(matching.find(|a| a.expires >= day).ok_or(first))
    }

    /// Move the approved findings of `report` (paths relative to `cwd`) to `report.approved`.
    pub fn apply(&self, report: &mut Report, cwd: &Path, day: Date) -> Applied {
        let mut applied = Applied::default();
        for file in &mut report.files {
            let path = cwd.join(&file.path);
            let mut kept = Vec::new();
            for mut l in std::mem::take(&mut file.findings) {
                match self.find(&l.finding.rule_id, &path, &l.fingerprint, day) {
                    Some(Ok(a)) => {
                        applied.approved += 1;
                        l.approved = Some(Approved {
                            approver: a.approver.clone(),
                            reason: a.reason.clone(),
                            expires: a.expires.to_string(),
                        });
                        report.approved.push((file.path.clone(), l));
                    }
                    Some(Err(_)) => {
                        applied.expired += 1;
                        kept.push(l);
                    }
                    None => kept.push(l),
                }
            }
            // A comment that tried to waive an approved finding has nothing left to say.
            let waived: Vec<(u32, String)> = report
                .approved
                .iter()
                .filter(|(p, _)| *p == file.path)
                .map(|(_, l)| (l.start.line, format!("`{}` ", l.finding.rule_id)))
                .collect();
            kept.retain(|l| {
                l.finding.rule_id != "gavel.approval-required"
                    || !waived.iter().any(|(line, id)| {
                        (l.start.line == *line || l.start.line + 1 == *line)
                            && l.finding.message.starts_with(id.as_str())
                    })
            });
            file.findings = kept;
        }
        applied
    }

    /// The path an approval of a file at `path` records.
    pub fn rel_path(&self, path: &Path) -> String {
        display_path(path, &self.dir)
    }

    /// Add `approval` (replacing one of the same finding) and write the file atomically.
    pub fn add(mut self, file: &Path, approval: Approval) -> Result<(), String> {
        self.entries.retain(|a| {
            !(a.rule == approval.rule
                && a.path == approval.path
                && a.fingerprint == approval.fingerprint)
        });
        self.entries.push(approval);
        self.entries
            .sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
        let body = toml::to_string(&File {
            approvals: self.entries,
        })
        .map_err(|e| e.to_string())?;
        let fail = |e: std::io::Error| format!("{}: cannot write approvals: {e}", file.display());
        let dir = file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(fail)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
        std::io::Write::write_all(&mut tmp, format!("{HEADER}{body}").as_bytes()).map_err(fail)?;
        tmp.persist(file).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// Who approves: git's `user.email` in `cwd`.
pub fn approver(cwd: &Path) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .args(["config", "user.email"])
        .current_dir(cwd)
        .output()
        .map_err(|e| format!("cannot run git to read user.email: {e}"))?;
    let email = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if email.is_empty() {
        return Err("git has no user.email here: an approval records who approved; set it with `git config user.email you@example.com`".into());
    }
    Ok(email)
}

/// The directory that holds `.gavel/` for an approvals file at `path`.
fn base_dir(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let gavel_dir = abs.parent().unwrap_or(Path::new("/"));
    let base = if gavel_dir.file_name().is_some_and(|n| n == ".gavel") {
        gavel_dir.parent().unwrap_or(gavel_dir)
    } else {
        gavel_dir
    };
    base.to_path_buf()
}
