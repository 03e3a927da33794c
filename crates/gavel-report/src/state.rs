//! What the walk knows of one file at the current commit: its text, which of its lines an
//! AI-written commit wrote (carried through every commit's diff with imara-diff, so a line keeps
//! its author while lines around it change), and its findings when last checked.

use gavel_engine::Waived;
use gavel_policy::Severity;
use gavel_workspace::git::line_map;
use gix::ObjectId;

/// One file as the walk last saw it.
pub struct FileState {
    /// The path its findings' fingerprints use: where it was first seen (a rename keeps it, so
    /// a moved finding is not fixed and introduced again).
    pub identity: String,
    pub blob: ObjectId,
    pub text: String,
    /// Per line (`\n`-separated), whether an AI-written commit wrote it.
    pub ai: Vec<bool>,
    /// Its findings when last checked.
    pub findings: Vec<Tracked>,
    /// What its suppressions removed when last checked.
    pub waived: Vec<Waived>,
}

/// A finding the walk follows from commit to commit by its fingerprint.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub print: String,
    pub rule: String,
    pub severity: Severity,
    /// Its first line was written by an AI-written commit.
    pub ai: bool,
}

impl FileState {
    /// A file added by a commit: every line is that commit's.
    pub fn added(identity: String, blob: ObjectId, text: String, ai: bool) -> FileState {
        let lines = line_count(&text);
        FileState {
            identity,
            blob,
            text,
            ai: vec![ai; lines],
            findings: Vec::new(),
            waived: Vec::new(),
        }
    }

    /// The file changed to `text` in a commit (`ai`: an AI-written one): unchanged lines keep
    /// their author, the others are the commit's. Returns how many lines the commit wrote.
    pub fn change(&mut self, blob: ObjectId, text: String, ai: bool) -> usize {
        let map = line_map(self.text.as_bytes(), text.as_bytes());
        let mut written = 0;
        // The empty piece after a final newline is not a line a commit wrote (git counts so).
        let last = (text.is_empty() || text.ends_with('\n'))
            .then(|| map.len().checked_sub(1))
            .flatten();
        self.ai = map
            .iter()
            .enumerate()
            .map(|(i, m)| match m.and_then(|old| self.ai.get(old)) {
                Some(&flag) => flag,
                None => {
                    written += usize::from(Some(i) != last);
                    ai
                }
            })
            .collect();
        self.blob = blob;
        self.text = text;
        written
    }

    /// Lines as git counts them (`a\n` has one): what adding the file wrote.
    pub fn written(&self) -> usize {
        let pieces = self.ai.len();
        if self.text.is_empty() || self.text.ends_with('\n') {
            pieces.saturating_sub(1)
        } else {
            pieces
        }
    }

    /// Was line `line` (0-based) written by an AI-written commit?
    pub fn ai_line(&self, line: usize) -> bool {
        self.ai.get(line).copied().unwrap_or(false)
    }
}

/// Lines of `text` as [`line_map`] counts them (`a\n` has two).
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> ObjectId {
        ObjectId::null(gix::hash::Kind::Sha1)
    }

    #[test]
    fn lines_keep_their_author_through_changes() {
        let mut f = FileState::added("a.py".into(), id(), "a\nb\nc\n".into(), false);
        assert_eq!(f.ai, vec![false; 4]);
        assert_eq!(f.written(), 3);
        // An AI-written commit inserts a line and rewrites `c`.
        let written = f.change(id(), "a\nnew\nb\nC\n".into(), true);
        assert_eq!(written, 2);
        assert_eq!(f.ai, vec![false, true, false, true, false]);
        // A human commit removes the first line: the AI-written lines stay AI-written.
        let written = f.change(id(), "new\nb\nC\n".into(), false);
        assert_eq!(written, 0);
        assert_eq!(f.ai, vec![true, false, true, false]);
    }
}
