//! Checking a snapshot, caching the result per document, and the push worker that keeps pushed
//! diagnostics up to date without ever publishing an older version's.
//!
//! Diagnostics come from [`RuleSet::check_incremental`], which re-checks only the top-level
//! items that changed since the document's previous check. Code actions need fixes, which can
//! reach across the file, so they use a full [`RuleSet::check`] of the same version.
//!
//! While a change's reparse runs past its budget ([`crate::finish`]), the snapshot has no tree:
//! the chunks the change touched are parsed on their own and checked
//! ([`RuleSet::check_partial`]), and that **provisional** result is published. The finished
//! reparse is checked again and published for the same version; a provisional result is never
//! served from the cache once the tree is up to date.

use std::sync::Arc;

use gavel_engine::{FileInput, FileReport, Finding, Incremental, IncrementalStats, LineMarks};
use gavel_policy::Severity;
use gavel_syntax::{LineIndex, WideEncoding, parse_rope_range};
use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::{
    session::{Session, Snapshot},
    to_proto::{self, Positions},
};

/// The findings of one version of a document, with what is needed to place them.
pub struct CheckResult {
    pub version: i32,
    pub generation: u64,
    pub text: String,
    pub index: LineIndex,
    pub enc: WideEncoding,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    /// How much of the file an incremental check re-checked.
    pub stats: Option<IncrementalStats>,
    /// Each line's provenance.
    pub marks: LineMarks,
    /// Checked while the reparse was still running: the touched chunks parsed on their own.
    pub provisional: bool,
}

impl CheckResult {
    pub fn positions(&self) -> Positions<'_> {
        Positions {
            text: &self.text,
            index: &self.index,
            enc: self.enc,
        }
    }
}

/// How to check a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Findings without fixes, reusing the previous check where the text did not change.
    Incremental,
    /// Findings with their fixes, from the whole file.
    Full,
}

/// Check a snapshot. `None` when its tree is stale (a parse timed out) and no provisional check
/// could be made: the previous diagnostics stay rather than vanish.
pub fn run(s: &Snapshot, mode: Mode) -> Option<(CheckResult, Option<Incremental>)> {
    let provisional = s.tree.is_none();
    let tree = s.tree.as_ref().or(s.edited.as_ref())?;
    // One allocation of the right size (`to_string` grows the string chunk by chunk).
    let text = String::from(&s.rope);
    let excluded = s.path.as_ref().is_some_and(|p| s.config.is_excluded(p));
    let rel = match &s.path {
        Some(p) => s.config.rel_path(p),
        None => String::new(),
    };
    let input = FileInput {
        source: &text,
        tree,
        lang: s.lang,
        path: &rel,
    };
    let (mut findings, cache, stats) = if excluded {
        (Vec::new(), None, None)
    } else if provisional {
        if mode != Mode::Incremental || !s.incremental {
            return None;
        }
        let (report, cache, stats) = check_provisional(s, &input)?;
        (report.findings, Some(cache), Some(stats))
    } else if mode == Mode::Incremental && s.incremental {
        let (report, cache, stats) = s.config.rules.check_incremental(&input, s.prev.as_deref());
        (report.findings, Some(cache), Some(stats))
    } else {
        (s.config.rules.check(&input).findings, None, None)
    };
    let marks = match &s.git {
        Some(git) => git.apply(&s.config, s.path.as_deref(), &text, &s.ai, &mut findings),
        None => LineMarks::unknown(),
    };
    if let Some(b) = &s.baseline {
        crate::baseline::mark(&mut findings, b, &rel, &text);
    }
    // Cached verdicts need the current tree: a provisional check shows none.
    let mut reviewed = match (&s.review, &s.tree) {
        (Some((rules, memo)), Some(tree)) if !excluded => {
            crate::review::findings(rules, memo, s.lang, tree, &text, &rel)
        }
        _ => Vec::new(),
    };
    let (mut notes, mut review_notes) = match (&s.approvals, &s.path) {
        (Some(a), Some(path)) => (
            crate::approvals::mark(&mut findings, a, path, &rel, &text),
            crate::approvals::mark(&mut reviewed, a, path, &rel, &text),
        ),
        _ => (vec![None; findings.len()], vec![None; reviewed.len()]),
    };
    for (f, note) in reviewed.into_iter().zip(review_notes.drain(..)) {
        if f.severity != Severity::Off {
            findings.push(f);
            notes.push(note);
        }
    }
    let index = LineIndex::new(&text);
    let pos = Positions {
        text: &text,
        index: &index,
        enc: s.enc,
    };
    let diagnostics = findings
        .iter()
        .zip(notes)
        .map(|(f, note)| {
            let mut d = to_proto::diagnostic(f, &pos);
            if let Some(note) = note {
                d.message.push_str(&note);
            }
            d
        })
        .collect();
    let result = CheckResult {
        version: s.version,
        generation: s.generation,
        text,
        index,
        enc: s.enc,
        findings,
        diagnostics,
        stats,
        marks,
        provisional,
    };
    Some((result, cache))
}

/// Check the chunks the pending edits touched, parsed on their own; `input`'s tree is the
/// previous one, edited to match the text.
fn check_provisional(
    s: &Snapshot,
    input: &FileInput<'_>,
) -> Option<(FileReport, Incremental, IncrementalStats)> {
    let Some(prev) = s.prev.as_deref() else {
        tracing::debug!("no provisional check: no previous check");
        return None;
    };
    let start = std::time::Instant::now();
    let plan = s.config.rules.plan_partial(input, prev)?;
    let planned = start.elapsed();
    let part = parse_rope_range(s.lang, &s.rope, plan.region());
    let parsed = start.elapsed();
    let result = s.config.rules.check_partial(input, &part, &plan, prev);
    tracing::debug!(
        "provisional check of bytes {:?}: {} (plan {planned:?}, parse {:?}, check {:?})",
        plan.region(),
        match result {
            Some(_) => "done",
            None => "its bindings changed the rest of the file; waiting for the reparse",
        },
        parsed - planned,
        start.elapsed() - parsed,
    );
    result
}

/// Whether `new` may replace `old` in the cache: a later version or policies, or the same ones
/// checked on the finished tree rather than provisionally.
fn is_newer(old: Option<&Arc<CheckResult>>, new: &CheckResult) -> bool {
    let key = |r: &CheckResult| (r.generation, r.version, !r.provisional);
    old.is_none_or(|old| key(old) <= key(new))
}

impl Session {
    /// The diagnostics-grade result for a snapshot: the cached one if it is for the same version
    /// and policies, else an incremental check on a blocking thread (cached if still newest).
    pub async fn result(&self, snap: Snapshot) -> Option<Arc<CheckResult>> {
        self.result_in(snap, Mode::Incremental).await
    }

    /// A result with fixes, for code actions.
    pub async fn full_result(&self, snap: Snapshot) -> Option<Arc<CheckResult>> {
        self.result_in(snap, Mode::Full).await
    }

    async fn result_in(&self, snap: Snapshot, mode: Mode) -> Option<Arc<CheckResult>> {
        if let Some(entry) = self.docs.get(&snap.uri) {
            let cached = match mode {
                Mode::Incremental => &entry.result,
                Mode::Full => &entry.full,
            };
            if let Some(r) = cached
                && r.version == snap.version
                && r.generation == snap.generation
                && (!r.provisional || snap.tree.is_none())
            {
                return Some(r.clone());
            }
        }
        let uri = snap.uri.clone();
        let (result, cache) = match tokio::task::spawn_blocking(move || run(&snap, mode)).await {
            Ok(r) => r?,
            Err(e) => {
                tracing::error!("checking {} failed: {e}", uri.as_str());
                return None;
            }
        };
        let result = Arc::new(result);
        if let Some(mut entry) = self.docs.get_mut(&uri) {
            let slot = match mode {
                Mode::Incremental => &mut entry.result,
                Mode::Full => &mut entry.full,
            };
            if is_newer(slot.as_ref(), &result) {
                *slot = Some(result.clone());
                if let Some(cache) = cache {
                    entry.cache = Some(Arc::new(cache));
                }
            }
        }
        Some(result)
    }

    /// Is `r` still for the document's current version and policies?
    pub fn is_current(&self, uri: &Uri, version: i32, generation: u64) -> bool {
        self.docs.get(uri).is_some_and(|e| e.version() == version)
            && self.policies().generation() == generation
    }
}

/// Push diagnostics for a document once checked (push clients only). At most one worker runs
/// per document; it loops until it has published the current version.
pub fn schedule_push(session: &Arc<Session>, uri: &Uri) {
    if session.caps().pull {
        return;
    }
    {
        let Some(mut entry) = session.docs.get_mut(uri) else {
            return;
        };
        if entry.checking {
            return;
        }
        entry.checking = true;
    }
    let session = session.clone();
    let uri = uri.clone();
    tokio::spawn(async move {
        loop {
            let Some(snap) = session.snapshot(&uri) else {
                let notice = session.notice(&uri);
                if let Some(mut e) = session.docs.get_mut(&uri) {
                    e.checking = false;
                }
                if let Some((d, version)) = notice {
                    session
                        .client
                        .publish_diagnostics(uri.clone(), vec![d], Some(version))
                        .await;
                }
                return;
            };
            let (version, generation) = (snap.version, snap.generation);
            let provisional = snap.tree.is_none();
            let result = session.result(snap).await;
            if let Some(r) = result
                && session.is_current(&uri, version, generation)
            {
                session
                    .client
                    .publish_diagnostics(uri.clone(), r.diagnostics.clone(), Some(r.version))
                    .await;
            }
            let Some(mut entry) = session.docs.get_mut(&uri) else {
                return;
            };
            // Done, unless a reparse finished since this snapshot was taken without a tree.
            let reparsed = provisional && !entry.is_stale();
            if entry.version() == version
                && session.policies().generation() == generation
                && !reparsed
            {
                entry.checking = false;
                return;
            }
        }
    });
}
