//! Gemini CLI's `AfterTool` hook (<https://geminicli.com/docs/hooks/reference>; tools in
//! <https://geminicli.com/docs/tools/file-system>).
//!
//! Payload: `cwd`, `hook_event_name: "AfterTool"`, `tool_name`, `tool_input` and
//! `tool_response` (`llmContent`, `returnDisplay`, `error`). `write_file` gives
//! `tool_input.{file_path, content}` (the whole file counts); `replace` gives
//! `tool_input.{file_path, old_string, new_string}` (an empty `old_string` creates the file).
//! A failed tool call is not checked, nor are other tools.
//!
//! Answer: `{"decision": "deny", "reason": ...}` on stdout with exit 0: the reason replaces the
//! tool's result sent to the model, so it starts with that result (`Successfully modified
//! file: ...`) and goes on with the findings.

use serde_json::Value;

use super::{Event, Reply, at, cwd_root, replaced, required, str_at, whole};

pub fn event(payload: &Value) -> Result<Event, String> {
    if str_at(payload, &["hook_event_name"]).is_some_and(|e| e != "AfterTool") {
        return Ok(Event::Ignore);
    }
    let tool = str_at(payload, &["tool_name"]).unwrap_or("");
    if !matches!(tool, "write_file" | "replace") {
        return Ok(Event::Ignore);
    }
    if at(payload, &["tool_response", "error"]).is_some_and(|e| !e.is_null()) {
        return Ok(Event::Ignore);
    }
    let path = required(payload, &["tool_input", "file_path"])?;
    let created = str_at(payload, &["tool_input", "old_string"]).is_some_and(str::is_empty);
    let file = if tool == "write_file" || created {
        whole(path)
    } else {
        replaced(
            path,
            str_at(payload, &["tool_input", "new_string"])
                .into_iter()
                .collect(),
        )
    };
    let result = str_at(payload, &["tool_response", "llmContent"]).map(str::to_string);
    Ok(Event::Check {
        roots: cwd_root(payload),
        files: vec![file],
        reply: Reply::Deny { result },
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::hook::lines::Change;

    #[test]
    fn failed_calls_and_other_tools_are_ignored_and_a_created_file_counts_whole() {
        let failed = json!({"hook_event_name": "AfterTool", "tool_name": "replace",
                            "tool_input": {"file_path": "a.py"},
                            "tool_response": {"error": {"message": "0 occurrences"}}});
        assert!(matches!(event(&failed), Ok(Event::Ignore)));
        let read = json!({"hook_event_name": "AfterTool", "tool_name": "read_file"});
        assert!(matches!(event(&read), Ok(Event::Ignore)));
        let created = json!({"hook_event_name": "AfterTool", "tool_name": "replace",
                             "tool_input": {"file_path": "a.py", "old_string": "", "new_string": "x"},
                             "tool_response": {"llmContent": "Created new file", "error": null}});
        let Ok(Event::Check { files, .. }) = event(&created) else {
            panic!("checked");
        };
        assert_eq!(files[0].change, Change::Whole);
    }
}
