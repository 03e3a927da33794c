//! OpenAI Codex's `PostToolUse` hook (<https://developers.openai.com/codex/hooks>; the input
//! and output schemas are `codex-rs/hooks/schema/generated/post-tool-use.command.*.json`).
//!
//! Codex edits files with `apply_patch`; its `PostToolUse` payload has `cwd`,
//! `tool_name: "apply_patch"` and the patch in `tool_input.command`:
//!
//! ```text
//! *** Begin Patch
//! *** Update File: src/app.py
//! @@ def handler():
//! -    return requests.get(url)
//! +    return acme_http.get(url)
//! *** Add File: src/new.py
//! +import requests
//! *** End Patch
//! ```
//!
//! An added file counts whole; an updated one counts its `+` lines, placed in the file by the
//! hunk's context lines (`*** Move to:` renames it first); a deleted one is not checked. Hooks
//! configured with the matcher `Edit` or `Write` fire for `apply_patch` too.
//!
//! Answer: `{"decision": "block", "reason": ...}` on stdout with exit 0, which Codex feeds to
//! the model with the tool's result.

use std::path::PathBuf;

use serde_json::Value;

use super::{
    Event, Reply, cwd_root,
    lines::{Change, Piece},
    report::EditedFile,
    str_at,
};

pub fn event(payload: &Value) -> Result<Event, String> {
    let tool = str_at(payload, &["tool_name"]).unwrap_or("");
    if tool != "apply_patch" {
        return Ok(Event::Ignore);
    }
    let patch = str_at(payload, &["tool_input", "command"])
        .or_else(|| str_at(payload, &["tool_input", "input"]))
        .or_else(|| str_at(payload, &["tool_input"]))
        .ok_or("the payload has no `tool_input.command` string holding the patch")?;
    Ok(Event::Check {
        roots: cwd_root(payload),
        files: parse_patch(patch),
        reply: Reply::Block,
    })
}

/// The file being read from the patch.
enum Current {
    None,
    Added(PathBuf),
    Updated { path: PathBuf, hunks: Vec<Hunk> },
}

/// One hunk's new side: its lines, and which of them are new.
#[derive(Default)]
struct Hunk {
    lines: Vec<String>,
    changed: Vec<usize>,
    /// Lines were removed just before the next new-side line.
    removed: bool,
}

impl Hunk {
    fn push(&mut self, line: &str, added: bool) {
        let removed = std::mem::take(&mut self.removed);
        if added || removed {
            self.changed.push(self.lines.len());
        }
        self.lines.push(line.to_string());
    }

    /// The hunk as a piece of the new file; a removal at its end marks its last line.
    fn into_piece(mut self) -> Option<Piece> {
        if self.removed && !self.lines.is_empty() {
            self.changed.push(self.lines.len() - 1);
        }
        if self.lines.is_empty() {
            return None;
        }
        self.changed.dedup();
        Some(Piece {
            text: self.lines.join("\n"),
            changed: self.changed.iter().map(|&i| (i, i + 1)).collect(),
            lines: true,
        })
    }
}

/// The files a patch adds or updates, and what changed in each.
fn parse_patch(patch: &str) -> Vec<EditedFile> {
    let mut files = Vec::new();
    let mut current = Current::None;
    for line in patch.lines() {
        let header = line.trim();
        if let Some(path) = header.strip_prefix("*** Add File: ") {
            finish(
                &mut files,
                std::mem::replace(&mut current, Current::Added(path.trim().into())),
            );
        } else if let Some(path) = header.strip_prefix("*** Update File: ") {
            let next = Current::Updated {
                path: path.trim().into(),
                hunks: Vec::new(),
            };
            finish(&mut files, std::mem::replace(&mut current, next));
        } else if header.starts_with("*** Delete File: ") || header == "*** End Patch" {
            finish(&mut files, std::mem::replace(&mut current, Current::None));
        } else if let Some(to) = header.strip_prefix("*** Move to: ") {
            if let Current::Updated { path, .. } = &mut current {
                *path = to.trim().into();
            }
        } else if header.starts_with("***") {
            // `*** Begin Patch`, `*** End of File`.
        } else if let Current::Updated { hunks, .. } = &mut current {
            hunk_line(hunks, line);
        }
    }
    finish(&mut files, current);
    files
}

/// A line inside an updated file: `@@` starts a hunk, ` `/`+`/`-` belong to the current one.
fn hunk_line(hunks: &mut Vec<Hunk>, line: &str) {
    if line.starts_with("@@") {
        hunks.push(Hunk::default());
        return;
    }
    if hunks.is_empty() {
        hunks.push(Hunk::default());
    }
    let hunk = hunks.last_mut().expect("just pushed");
    match line.chars().next() {
        Some('+') => hunk.push(&line[1..], true),
        Some('-') => hunk.removed = true,
        Some(' ') => hunk.push(&line[1..], false),
        _ => hunk.push(line, false),
    }
}

fn finish(files: &mut Vec<EditedFile>, current: Current) {
    match current {
        Current::None => {}
        Current::Added(path) => files.push(EditedFile {
            path,
            change: Change::Whole,
        }),
        Current::Updated { path, hunks } => {
            let pieces: Vec<Piece> = hunks.into_iter().filter_map(Hunk::into_piece).collect();
            let change = if pieces.is_empty() {
                Change::Whole
            } else {
                Change::Pieces(pieces)
            };
            files.push(EditedFile { path, change });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_gives_each_file_and_its_new_lines() {
        let patch = "*** Begin Patch\n*** Update File: a.py\n@@ def f():\n     x = 1\n-    y = 2\n+    y = 3\n+    z = 4\n     return x\n*** Add File: b.py\n+import os\n*** Delete File: c.py\n*** Update File: d.py\n*** Move to: e.py\n@@\n a\n-b\n c\n*** End Patch\n";
        let files = parse_patch(patch);
        assert_eq!(files.len(), 3);
        assert_eq!(files[0].path, PathBuf::from("a.py"));
        assert_eq!(
            files[0].change,
            Change::Pieces(vec![Piece {
                text: "    x = 1\n    y = 3\n    z = 4\n    return x".into(),
                changed: vec![(1, 2), (2, 3)],
                lines: true,
            }])
        );
        assert_eq!(files[1].path, PathBuf::from("b.py"));
        assert_eq!(files[1].change, Change::Whole);
        assert_eq!(files[2].path, PathBuf::from("e.py"));
        assert_eq!(
            files[2].change,
            Change::Pieces(vec![Piece {
                text: "a\nc".into(),
                changed: vec![(1, 2)],
                lines: true,
            }])
        );
    }
}
