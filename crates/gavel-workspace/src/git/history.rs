//! A file's git history as far as provenance needs it, and the diff ([`super::line_map`])
//! that turns it into [`LineMarks`] for the file's current text: lines that differ from the base
//! are `changed`, lines that blame gives to an AI-written commit are `ai`.

use super::line_map::{self, line_map};
use gavel_engine::{LineFacts, LineMarks};

/// What git knows about one file.
#[derive(Debug, Clone, Default)]
pub struct FileHistory {
    /// The file at the base revision (or the file it was renamed from); `None`: a new or
    /// untracked file, every line changed.
    pub base: Option<String>,
    /// The file at HEAD, which blame describes.
    pub head: Option<String>,
    /// Per HEAD line: last touched by an AI-written commit.
    pub head_ai: Vec<bool>,
    /// Why part of the history could not be read, if it could not.
    pub note: Option<String>,
}

impl FileHistory {
    /// The provenance of each line of `current`; `burst(line)` adds the editor's AI marks.
    pub fn marks(&self, current: &str, burst: impl Fn(usize) -> bool) -> LineMarks {
        let count = line_count(current);
        let to_base = self
            .base
            .as_deref()
            .map(|base| line_map(base.as_bytes(), current.as_bytes()));
        let changed: Vec<bool> = match &to_base {
            Some(map) => map.iter().map(Option::is_none).collect(),
            None => vec![true; count],
        };
        let ai: Vec<bool> = match &self.head {
            Some(head) if self.head_ai.contains(&true) => {
                // Usually the base is HEAD: one diff serves both.
                let to_head = match (&to_base, &self.base) {
                    (Some(map), Some(base)) if base == head => map.clone(),
                    _ => line_map(head.as_bytes(), current.as_bytes()),
                };
                to_head
                    .iter()
                    .map(|h| h.is_some_and(|h| self.head_ai.get(h).copied().unwrap_or(false)))
                    .collect()
            }
            _ => vec![false; count],
        };
        LineMarks::from_facts(
            (0..count)
                .map(|i| LineFacts {
                    changed: Some(changed[i]),
                    ai: ai[i] || burst(i),
                })
                .collect(),
        )
    }
}

/// Marks for a file outside any repository: `ai` where the editor saw a burst, else unknown.
pub fn marks_without_git(current: &str, burst: impl Fn(usize) -> bool) -> LineMarks {
    LineMarks::from_facts(
        (0..line_count(current))
            .map(|i| LineFacts {
                changed: None,
                ai: burst(i),
            })
            .collect(),
    )
}

/// Lines as gavel counts them: `a\n` has two, the second empty.
fn line_count(text: &str) -> usize {
    line_map::lines(text.as_bytes()) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(history: FileHistory, current: &str, expect: &str) {
        let marks = history.marks(current, |l| l == 99);
        let got: String = (0..line_count(current))
            .map(|i| match marks.facts(i) {
                LineFacts {
                    ai: true,
                    changed: Some(true),
                } => 'X',
                LineFacts { ai: true, .. } => 'A',
                LineFacts {
                    changed: Some(true),
                    ..
                } => 'C',
                LineFacts {
                    changed: Some(false),
                    ..
                } => '.',
                LineFacts { changed: None, .. } => '?',
            })
            .collect();
        assert_eq!(got, expect);
    }

    fn history(base: Option<&str>, head: Option<&str>, head_ai: &[bool]) -> FileHistory {
        FileHistory {
            base: base.map(str::to_string),
            head: head.map(str::to_string),
            head_ai: head_ai.to_vec(),
            note: None,
        }
    }

    #[test]
    fn changed_lines_are_those_the_diff_adds() {
        check(
            history(Some("a\nb\nc\n"), None, &[]),
            "a\nB\nc\nd\n",
            ".C.C.",
        );
        check(history(None, None, &[]), "a\nb", "CC");
        check(history(Some("a\nb\n"), None, &[]), "a\nb\n", "...");
    }

    #[test]
    fn ai_lines_follow_blame_through_uncommitted_edits() {
        // HEAD: x, ai1, ai2, y; the work tree adds a line on top and edits ai2.
        let head = "x\nai1\nai2\ny\n";
        check(
            history(Some(head), Some(head), &[false, true, true, false]),
            "new\nx\nai1\nAI2\ny\n",
            "C.AC..",
        );
    }
}
