//! The history walk: every commit of the first-parent chain is diffed against the one before
//! it (git's tree diff through gix, with renames), so each file's lines keep their author; at
//! the commits a report checks, only the files changed since the last check are checked (with
//! the result cache), the rest is reused. No checkout, no work tree: blobs are read with gix.

use std::collections::{BTreeSet, HashMap};

use gix::{ObjectId, bstr::ByteSlice, object::tree::diff::ChangeDetached};
use rayon::prelude::*;

use crate::{
    check::{FileCheck, Target},
    commits::Commit,
    events::{Events, Sample},
    state::FileState,
};

/// Blobs larger than this are not checked (as `gavel check` skips such files).
const MAX_BLOB: usize = 8 << 20;

/// What walking the history found.
pub struct Walked {
    pub events: Events,
    /// The files at the last commit checked, by path.
    pub files: HashMap<String, FileState>,
    /// File checks run (the rest were reused from the commit before).
    pub checks: usize,
}

/// Walk `chain`, checking the commits at `checked` (sorted indices into `chain`); `tick` is
/// called once per commit walked.
pub fn walk(
    repo: &gix::Repository,
    chain: &[Commit],
    checked: &[usize],
    target: &Target<'_>,
    tick: &(dyn Fn() + Sync),
) -> Result<Walked, String> {
    let mut files: HashMap<String, FileState> = HashMap::new();
    let mut dirty: BTreeSet<String> = BTreeSet::new();
    let mut events = Events::default();
    let mut checks = 0;
    let first_checked = checked.first().copied().unwrap_or(chain.len());
    events.starts_mid_history = first_checked > 0;
    let mut next = checked.iter().copied().peekable();
    let mut before: Option<ObjectId> = None;
    for (i, commit) in chain.iter().enumerate() {
        let in_range = i >= first_checked;
        for change in tree_changes(repo, before, commit.tree)? {
            apply(
                repo,
                target,
                change,
                commit,
                in_range,
                &mut files,
                &mut dirty,
                &mut events,
            );
        }
        before = Some(commit.tree);
        if next.peek() == Some(&i) {
            next.next();
            checks += dirty.len();
            check_dirty(target, &mut files, &mut dirty, commit, &mut events);
            events.sample(Sample::of(commit, &files));
        }
        tick();
    }
    Ok(Walked {
        events,
        files,
        checks,
    })
}

/// The blob changes from `before` (none: the empty tree) to `after`, renames detected.
fn tree_changes(
    repo: &gix::Repository,
    before: Option<ObjectId>,
    after: ObjectId,
) -> Result<Vec<ChangeDetached>, String> {
    let read = |id: ObjectId| {
        repo.find_tree(id)
            .map_err(|e| format!("cannot read tree {id}: {e}"))
    };
    let old = before.map(read).transpose()?;
    let new = read(after)?;
    let options = gix::diff::Options::default().with_rewrites(Some(gix::diff::Rewrites::default()));
    repo.diff_tree_to_tree(old.as_ref(), Some(&new), Some(options))
        .map_err(|e| format!("cannot diff trees at {after}: {e}"))
}

/// Apply one change of `commit` to the files the walk follows.
#[allow(clippy::too_many_arguments)]
fn apply(
    repo: &gix::Repository,
    target: &Target<'_>,
    change: ChangeDetached,
    commit: &Commit,
    in_range: bool,
    files: &mut HashMap<String, FileState>,
    dirty: &mut BTreeSet<String>,
    events: &mut Events,
) {
    let followed = |path: &str| target.follows(path);
    match change {
        ChangeDetached::Addition {
            entry_mode,
            id,
            location,
            ..
        } => {
            let path = location.to_str_lossy().into_owned();
            if entry_mode.is_blob() && followed(&path) {
                add(repo, path, id, commit, in_range, files, dirty, events);
            }
        }
        ChangeDetached::Deletion { location, .. } => {
            let path = location.to_str_lossy().into_owned();
            remove(&path, files, dirty, events);
        }
        ChangeDetached::Modification {
            entry_mode,
            id,
            location,
            ..
        } => {
            let path = location.to_str_lossy().into_owned();
            if !entry_mode.is_blob() {
                remove(&path, files, dirty, events);
            } else if files.contains_key(&path) {
                modify(repo, &path, id, commit, in_range, files, dirty, events);
            } else if followed(&path) {
                add(repo, path, id, commit, in_range, files, dirty, events);
            }
        }
        ChangeDetached::Rewrite {
            source_location,
            entry_mode,
            id,
            location,
            copy,
            ..
        } => {
            let from = source_location.to_str_lossy().into_owned();
            let to = location.to_str_lossy().into_owned();
            let keep = entry_mode.is_blob() && followed(&to);
            let moved = if copy { None } else { files.remove(&from) };
            dirty.remove(&from);
            match moved {
                Some(state) if keep => {
                    files.insert(to.clone(), state);
                    dirty.insert(to.clone());
                    modify(repo, &to, id, commit, in_range, files, dirty, events);
                }
                moved => {
                    if let Some(state) = moved {
                        events.removed_with_file(&state);
                    }
                    if keep {
                        add(repo, to, id, commit, in_range, files, dirty, events);
                    }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn add(
    repo: &gix::Repository,
    path: String,
    id: ObjectId,
    commit: &Commit,
    in_range: bool,
    files: &mut HashMap<String, FileState>,
    dirty: &mut BTreeSet<String>,
    events: &mut Events,
) {
    let Some(text) = blob_text(repo, &path, id) else {
        events.skipped += 1;
        return;
    };
    events
        .languages
        .extend(gavel_syntax::Lang::from_path(std::path::Path::new(&path)));
    let state = FileState::added(path.clone(), id, text, commit.ai);
    if in_range {
        events.wrote(commit.ai, state.written());
    }
    files.insert(path.clone(), state);
    dirty.insert(path);
}

#[allow(clippy::too_many_arguments)]
fn modify(
    repo: &gix::Repository,
    path: &str,
    id: ObjectId,
    commit: &Commit,
    in_range: bool,
    files: &mut HashMap<String, FileState>,
    dirty: &mut BTreeSet<String>,
    events: &mut Events,
) {
    let Some(state) = files.get_mut(path) else {
        return;
    };
    if state.blob == id {
        return;
    }
    let Some(text) = blob_text(repo, path, id) else {
        remove(path, files, dirty, events);
        events.skipped += 1;
        return;
    };
    let written = state.change(id, text, commit.ai);
    if in_range {
        events.wrote(commit.ai, written);
    }
    dirty.insert(path.to_string());
}

fn remove(
    path: &str,
    files: &mut HashMap<String, FileState>,
    dirty: &mut BTreeSet<String>,
    events: &mut Events,
) {
    if let Some(state) = files.remove(path) {
        events.removed_with_file(&state);
    }
    dirty.remove(path);
}

/// A blob's text, decoded as `gavel check` decodes the file; `None` for a huge one.
fn blob_text(repo: &gix::Repository, path: &str, id: ObjectId) -> Option<String> {
    let mut blob = repo.find_blob(id).ok()?;
    if blob.data.len() > MAX_BLOB {
        return None;
    }
    Some(gavel_workspace::source::decode_lossy(
        std::path::Path::new(path),
        blob.take_data(),
    ))
}

/// Check the files changed since the last check, in parallel, and record what appeared and
/// what went.
fn check_dirty(
    target: &Target<'_>,
    files: &mut HashMap<String, FileState>,
    dirty: &mut BTreeSet<String>,
    commit: &Commit,
    events: &mut Events,
) {
    let todo: Vec<(&String, &FileState)> = dirty
        .iter()
        .filter_map(|p| files.get_key_value(p))
        .collect();
    let results: Vec<(String, FileCheck)> = todo
        .par_iter()
        .map(|(path, state)| ((*path).clone(), target.check(path, state)))
        .collect();
    for (path, result) in results {
        let Some(state) = files.get_mut(&path) else {
            continue;
        };
        events.compare(&state.identity, &state.findings, &result.findings, commit);
        state.findings = result.findings;
        state.waived = result.waived;
    }
    dirty.clear();
}
