//! Claude Code's `PostToolUse` hook (<https://code.claude.com/docs/en/hooks>).
//!
//! Payload: `cwd`, `tool_name`, `tool_input` and `tool_response`. `Edit` gives
//! `tool_input.{file_path, old_string, new_string, replace_all}`, `MultiEdit`
//! `tool_input.{file_path, edits: [{old_string, new_string}]}`, `Write`
//! `tool_input.{file_path, content}`. When `tool_response.structuredPatch` is there (the hunks
//! Claude Code applied, with their line numbers in the new file) it gives the changed lines
//! exactly, deletions included; otherwise each `new_string` is found in the file.
//!
//! Answer: `{"decision": "block", "reason": ...}` on stdout with exit 0, which puts the reason
//! next to the tool result for Claude (with `continueOnBlock: true` in the hook's config the
//! turn goes on). Other tools are not checked.

use serde_json::Value;

use super::{Event, Reply, cwd_root, lines::Change, replaced, required, str_at, whole};

pub fn event(payload: &Value) -> Result<Event, String> {
    let tool = str_at(payload, &["tool_name"]).unwrap_or("");
    if !matches!(tool, "Edit" | "MultiEdit" | "Write") {
        return Ok(Event::Ignore);
    }
    let path = required(payload, &["tool_input", "file_path"])?;
    let mut file = match tool {
        "Write" => whole(path),
        "Edit" => replaced(
            path,
            str_at(payload, &["tool_input", "new_string"])
                .into_iter()
                .collect(),
        ),
        _ => replaced(path, multi_edit_texts(payload)),
    };
    if tool != "Write"
        && let Some(spans) = patch_lines(payload)
    {
        file.change = Change::Lines(spans);
    }
    Ok(Event::Check {
        roots: cwd_root(payload),
        files: vec![file],
        reply: Reply::Block,
    })
}

fn multi_edit_texts(payload: &Value) -> Vec<&str> {
    payload
        .pointer("/tool_input/edits")
        .and_then(Value::as_array)
        .map(|edits| {
            edits
                .iter()
                .filter_map(|e| e.get("new_string").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// The new file's changed lines from `tool_response.structuredPatch`: each hunk's `newStart`,
/// then its `lines` (` ` context, `+` added, `-` removed). A removal marks the line that now
/// stands where the removed one was.
fn patch_lines(payload: &Value) -> Option<Vec<(u32, u32)>> {
    let hunks = payload
        .pointer("/tool_response/structuredPatch")?
        .as_array()?;
    let mut spans = Vec::new();
    for hunk in hunks {
        let mut line = u32::try_from(hunk.get("newStart")?.as_u64()?).ok()?.max(1);
        for l in hunk.get("lines")?.as_array()? {
            match l.as_str()?.chars().next() {
                Some('+') => {
                    spans.push((line, line));
                    line += 1;
                }
                Some('-') => spans.push((line, line)),
                _ => line += 1,
            }
        }
    }
    (!spans.is_empty()).then_some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_patch_gives_added_and_deleted_lines() {
        let payload = serde_json::json!({"tool_response": {"structuredPatch": [
            {"oldStart": 3, "oldLines": 3, "newStart": 3, "newLines": 3,
             "lines": [" a", "-b", "+c", " d", "-e", " f"]}
        ]}});
        assert_eq!(patch_lines(&payload), Some(vec![(4, 4), (4, 4), (6, 6)]));
    }

    #[test]
    fn other_tools_are_ignored() {
        let payload = serde_json::json!({"tool_name": "Bash", "tool_input": {"command": "ls"}});
        assert!(matches!(event(&payload), Ok(Event::Ignore)));
    }
}
