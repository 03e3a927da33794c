//! GitHub Copilot CLI's hooks
//! (<https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference>).
//!
//! `postToolUse` gives `sessionId`, `cwd`, `toolName`, `toolArgs` (an object, or a JSON string
//! in older releases) and `toolResult.resultType`; the file tools are `edit`
//! (`toolArgs.{path, old_str, new_str}`) and `create` (`toolArgs.{path, file_text}`, the whole
//! file counts). Hooks configured with PascalCase names (`PostToolUse`, `Stop`) get the VS Code
//! form instead: `hook_event_name`, `session_id`, `tool_name`, `tool_input`, `tool_result`.
//! Both are read.
//!
//! A command hook's `postToolUse` output is not read, so that event records the findings on the
//! edited lines (under `.gavel/hooks/copilot/`, by session), and `agentStop` (`stopReason`)
//! re-checks the recorded files and answers with the findings still there as
//! `{"decision": "block", "reason": ...}`, which makes the agent take another turn with the
//! reason as its prompt. A failed edit is not checked, nor are other tools.

use serde_json::Value;

use super::{Event, Reply, at, cwd_root, replaced, str_at, whole};

pub fn event(payload: &Value) -> Result<Event, String> {
    let name = str_at(payload, &["hook_event_name"]).unwrap_or("");
    let session = str_at(payload, &["sessionId"])
        .or_else(|| str_at(payload, &["session_id"]))
        .unwrap_or("default")
        .to_string();
    let roots = cwd_root(payload);
    let tool = str_at(payload, &["toolName"]).or_else(|| str_at(payload, &["tool_name"]));
    if let Some(tool) = tool
        && !matches!(name, "preToolUse" | "PreToolUse")
    {
        if !matches!(tool, "edit" | "create") || failed(payload) {
            return Ok(Event::Ignore);
        }
        let args = tool_args(payload)?;
        let path = str_at(&args, &["path"])
            .or_else(|| str_at(&args, &["file_path"]))
            .ok_or("the payload's tool arguments have no `path` string")?;
        let file = if tool == "create" {
            whole(path)
        } else {
            let new = str_at(&args, &["new_str"]).or_else(|| str_at(&args, &["new_string"]));
            replaced(path, new.into_iter().collect())
        };
        return Ok(Event::Record {
            roots,
            session,
            files: vec![file],
        });
    }
    let stop = matches!(name, "agentStop" | "Stop")
        || payload.get("stopReason").is_some()
        || payload.get("stop_reason").is_some();
    if stop {
        return Ok(Event::Stop {
            roots,
            session,
            reply: Reply::Block,
        });
    }
    Ok(Event::Ignore)
}

/// The tool's arguments: `toolArgs` or `tool_input`, an object or a JSON string of one.
fn tool_args(payload: &Value) -> Result<Value, String> {
    let args = payload
        .get("toolArgs")
        .or_else(|| payload.get("tool_input"))
        .ok_or("the payload has no `toolArgs`")?;
    match args {
        Value::String(s) => serde_json::from_str(s)
            .map_err(|e| format!("the payload's `toolArgs` string is not JSON ({e})")),
        other => Ok(other.clone()),
    }
}

fn failed(payload: &Value) -> bool {
    let kind = at(payload, &["toolResult", "resultType"])
        .or_else(|| at(payload, &["tool_result", "result_type"]))
        .and_then(Value::as_str);
    kind.is_some_and(|k| k != "success")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::hook::lines::Change;

    #[test]
    fn tool_args_as_a_string_or_an_object_and_both_field_styles() {
        for payload in [
            json!({"sessionId": "s", "cwd": "/p", "toolName": "create",
                   "toolArgs": "{\"path\": \"a.py\", \"file_text\": \"x\"}",
                   "toolResult": {"resultType": "success"}}),
            json!({"hook_event_name": "PostToolUse", "session_id": "s", "cwd": "/p",
                   "tool_name": "create", "tool_input": {"path": "a.py", "file_text": "x"},
                   "tool_result": {"result_type": "success"}}),
        ] {
            let Ok(Event::Record { session, files, .. }) = event(&payload) else {
                panic!("recorded: {payload}");
            };
            assert_eq!(session, "s");
            assert_eq!(files[0].change, Change::Whole);
        }
    }

    #[test]
    fn failed_edits_and_pre_tool_use_are_ignored_and_stops_are_stops() {
        let failed = json!({"toolName": "edit", "toolArgs": {"path": "a.py"},
                            "toolResult": {"resultType": "failure"}});
        assert!(matches!(event(&failed), Ok(Event::Ignore)));
        let pre = json!({"hook_event_name": "preToolUse", "toolName": "edit", "toolArgs": {}});
        assert!(matches!(event(&pre), Ok(Event::Ignore)));
        let stop = json!({"sessionId": "s", "cwd": "/p", "stopReason": "end_turn"});
        assert!(matches!(event(&stop), Ok(Event::Stop { .. })));
        let bad = json!({"toolName": "edit", "toolArgs": "{not json"});
        assert!(event(&bad).is_err());
    }
}
