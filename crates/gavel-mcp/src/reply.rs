//! Tool results (SPEC 7.2): a text an agent reads, and the same facts as structured content.
//! A tool that cannot do what it was asked answers with an error result (`isError: true`)
//! saying what to change, never a protocol error, so the model sees it and can retry.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

/// A successful result: `text` for the model, `value` as structured content.
pub fn ok(text: String, value: Value) -> CallToolResult {
    let mut result = CallToolResult::structured(value);
    result.content = vec![ContentBlock::text(text)];
    result
}

/// An error result: `message` as text, and `{"error": message}` as structured content.
pub fn fail(message: impl Into<String>) -> CallToolResult {
    let message = message.into();
    let mut result = CallToolResult::structured_error(serde_json::json!({ "error": message }));
    result.content = vec![ContentBlock::text(format!("error: {message}"))];
    result
}
