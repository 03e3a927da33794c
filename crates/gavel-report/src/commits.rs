//! The commits a report walks: HEAD's first-parent chain, oldest first, each with its tree, its
//! time and whether it is AI-written (its message or author matches `ai_commit_patterns`; a
//! merge also when a commit it brings in from its other parents does), and which of them to
//! check: those since `--since`, at most `--max-commits` of them spread evenly, always HEAD.

use std::collections::HashSet;

use gavel_workspace::git::brings_ai;
use gix::{ObjectId, bstr::ByteSlice};
use regex::Regex;

/// One commit of the first-parent chain.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: ObjectId,
    pub tree: ObjectId,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    pub ai: bool,
}

/// HEAD's first-parent chain, oldest first.
pub fn first_parent(repo: &gix::Repository, patterns: &[Regex]) -> Result<Vec<Commit>, String> {
    let head = repo
        .head_id()
        .map_err(|e| format!("the repository has no commit to report on: {e}"))?
        .detach();
    let mut chain = Vec::new();
    let mut next = Some(head);
    let mut parents_of = Vec::new();
    while let Some(id) = next {
        let commit = repo
            .find_commit(id)
            .map_err(|e| format!("cannot read commit {id}: {e}"))?;
        let parents: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
        let tree = commit
            .tree_id()
            .map_err(|e| format!("cannot read the tree of {id}: {e}"))?
            .detach();
        let time = commit.time().map(|t| t.seconds).unwrap_or(0);
        chain.push(Commit {
            id,
            tree,
            time,
            ai: is_ai(&commit, patterns),
        });
        next = parents.first().copied();
        parents_of.push(parents);
    }
    if !patterns.is_empty() && parents_of.iter().any(|p| p.len() > 1) {
        let ai = all_ai(repo, head, patterns);
        for (commit, parents) in chain.iter_mut().zip(&parents_of) {
            commit.ai = commit.ai || brings_ai(repo, parents, &ai);
        }
    }
    chain.reverse();
    Ok(chain)
}

/// Every AI-written commit reachable from `head`, merged branches included (as `gavel check`'s
/// provenance counts a merge that brings one in as AI-written).
fn all_ai(repo: &gix::Repository, head: ObjectId, patterns: &[Regex]) -> HashSet<ObjectId> {
    let Ok(walk) = repo.rev_walk([head]).all() else {
        return HashSet::new();
    };
    walk.flatten()
        .filter(|info| info.object().is_ok_and(|c| is_ai(&c, patterns)))
        .map(|info| info.id)
        .collect()
}

fn is_ai(commit: &gix::Commit<'_>, patterns: &[Regex]) -> bool {
    if patterns.is_empty() {
        return false;
    }
    let message = commit.message_raw_sloppy().to_str_lossy();
    let author = commit
        .author()
        .map(|a| format!("{} <{}>", a.name, a.email))
        .unwrap_or_default();
    patterns
        .iter()
        .any(|p| p.is_match(&message) || p.is_match(&author))
}

/// The indices of `chain` to check: those at or after `since` (seconds), at most `max` of
/// them spread evenly over that range, the last one always among them.
pub fn sample(chain: &[Commit], since: Option<i64>, max: usize) -> Vec<usize> {
    let first = since.map_or(0, |s| chain.partition_point(|c| c.time < s));
    let range: Vec<usize> = (first..chain.len()).collect();
    if range.len() <= max || max == 0 {
        return range;
    }
    if max == 1 {
        return vec![chain.len() - 1];
    }
    // `max` points from the first to the last, evenly: i * (n - 1) / (max - 1).
    let n = range.len();
    let mut picked: Vec<usize> = (0..max).map(|i| range[i * (n - 1) / (max - 1)]).collect();
    picked.dedup();
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(times: &[i64]) -> Vec<Commit> {
        times
            .iter()
            .map(|&time| Commit {
                id: ObjectId::null(gix::hash::Kind::Sha1),
                tree: ObjectId::null(gix::hash::Kind::Sha1),
                time,
                ai: false,
            })
            .collect()
    }

    #[test]
    fn samples_spread_evenly_and_keep_the_last() {
        let c = chain(&(0..10).collect::<Vec<_>>());
        assert_eq!(sample(&c, None, 100), (0..10).collect::<Vec<_>>());
        assert_eq!(sample(&c, None, 4), vec![0, 3, 6, 9]);
        assert_eq!(sample(&c, None, 1), vec![9]);
        assert_eq!(sample(&c, Some(7), 100), vec![7, 8, 9]);
        assert_eq!(sample(&c, Some(100), 100), Vec::<usize>::new());
    }
}
