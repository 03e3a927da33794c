//! Cursor's agent hooks (<https://cursor.com/docs/agent/hooks>).
//!
//! Every payload has `hook_event_name`, `conversation_id`, `generation_id` and
//! `workspace_roots`. `afterFileEdit` adds `file_path` and `edits: [{old_string, new_string}]`,
//! and cannot answer: its output is not read. So that event records the findings on the edited
//! lines (under `.gavel/hooks/cursor/`, by conversation), and `stop` (with `status` and
//! `loop_count`) re-checks the recorded files and answers with the findings still there as
//! `{"followup_message": ...}`, which Cursor sends as the next user message (up to the hook's
//! `loop_limit`). A stop whose `status` is not `completed` (aborted, error) keeps the record
//! for the next one. Other events are not checked.

use std::path::PathBuf;

use serde_json::Value;

use super::{Event, Reply, replaced, required, str_at};

pub fn event(payload: &Value) -> Result<Event, String> {
    let roots = workspace_roots(payload);
    let session = str_at(payload, &["conversation_id"])
        .unwrap_or("default")
        .to_string();
    match str_at(payload, &["hook_event_name"]).unwrap_or("") {
        "afterFileEdit" => {
            let path = required(payload, &["file_path"])?;
            let texts = payload
                .get("edits")
                .and_then(Value::as_array)
                .map(|edits| {
                    edits
                        .iter()
                        .filter_map(|e| e.get("new_string").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default();
            Ok(Event::Record {
                roots,
                session,
                files: vec![replaced(path, texts)],
            })
        }
        "stop" if str_at(payload, &["status"]).is_none_or(|s| s == "completed") => {
            Ok(Event::Stop {
                roots,
                session,
                reply: Reply::Followup,
            })
        }
        _ => Ok(Event::Ignore),
    }
}

fn workspace_roots(payload: &Value) -> Vec<PathBuf> {
    payload
        .get("workspace_roots")
        .and_then(Value::as_array)
        .map(|roots| {
            roots
                .iter()
                .filter_map(Value::as_str)
                .filter(|r| !r.is_empty())
                .map(PathBuf::from)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_a_completed_stop_answers() {
        let stop = |status: &str| json!({"hook_event_name": "stop", "status": status});
        assert!(matches!(event(&stop("completed")), Ok(Event::Stop { .. })));
        assert!(matches!(event(&stop("aborted")), Ok(Event::Ignore)));
        assert!(matches!(event(&stop("error")), Ok(Event::Ignore)));
        let other = json!({"hook_event_name": "beforeShellExecution", "command": "ls"});
        assert!(matches!(event(&other), Ok(Event::Ignore)));
    }
}
