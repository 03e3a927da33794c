//! The body of an incoming frame: checked the way tower-lsp-server's decoder reads it (a
//! response or a request), so that only messages it accepts reach it; repaired where that loses
//! nothing a client meant (invalid UTF-8 and lone UTF-16 surrogate escapes become U+FFFD);
//! otherwise answered with the JSON-RPC error a client can act on.

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Exactly what tower-lsp-server's transport decodes a body into (its `Message`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Incoming {
    Response(#[allow(dead_code)] Response),
    Request(Request),
}

/// What to do with a body.
#[derive(Debug, PartialEq)]
pub enum Checked {
    /// Pass these bytes on (the body, or its repair); `true` for a `shutdown` request.
    Forward(Vec<u8>, bool),
    /// Answer this error response; pass nothing on.
    Answer(Value),
    /// A malformed response to one of the server's requests: log it, answer nothing.
    Drop(String),
}

/// JSON-RPC's code for text that is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's code for JSON that is not a request.
pub const INVALID_REQUEST: i64 = -32600;

/// Check (and if need be repair) a frame's body.
pub fn check(body: Vec<u8>) -> Checked {
    let mut text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            tracing::warn!("a message is not UTF-8; invalid bytes replaced with U+FFFD");
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let first = match serde_json::from_str::<Incoming>(&text) {
        Ok(m) => return Checked::Forward(text.into_bytes(), is_shutdown(&m)),
        Err(e) => e,
    };
    let repaired = repair_lone_surrogates(&mut text);
    if repaired > 0
        && let Ok(m) = serde_json::from_str::<Incoming>(&text)
    {
        tracing::warn!("a message held {repaired} lone UTF-16 surrogate(s); replaced with U+FFFD");
        return Checked::Forward(text.into_bytes(), is_shutdown(&m));
    }
    refuse(&text, &first)
}

fn is_shutdown(m: &Incoming) -> bool {
    matches!(m, Incoming::Request(r) if r.method() == "shutdown" && r.id().is_some())
}

/// The answer to a body the transport would not accept.
fn refuse(text: &str, err: &serde_json::Error) -> Checked {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Checked::Answer(error(
            PARSE_ERROR,
            format!("Parse error: {err}"),
            Value::Null,
        ));
    };
    if value.is_array() {
        let why =
            "Invalid Request: LSP has no JSON-RPC batches; send each message in its own frame";
        return Checked::Answer(error(INVALID_REQUEST, why.into(), Value::Null));
    }
    let is_response = value.get("method").is_none()
        && (value.get("result").is_some() || value.get("error").is_some());
    if is_response {
        return Checked::Drop(format!("a malformed response from the client: {err}"));
    }
    // JSON-RPC: answer with the request's id when it can be read, else null.
    let id = match value.get("id") {
        Some(id @ Value::String(_)) => id.clone(),
        Some(id) if id.is_i64() => id.clone(),
        _ => Value::Null,
    };
    Checked::Answer(error(
        INVALID_REQUEST,
        format!("Invalid Request: {err}"),
        id,
    ))
}

/// A JSON-RPC error response.
pub fn error(code: i64, message: String, id: Value) -> Value {
    json!({ "jsonrpc": "2.0", "error": { "code": code, "message": message }, "id": id })
}

/// Replace every `\uXXXX` escape of a lone UTF-16 surrogate with `\ufffd`, in place (both are
/// six bytes and one UTF-16 unit, so positions the client computes stay right). Returns how
/// many were replaced.
pub fn repair_lone_surrogates(text: &mut String) -> usize {
    let mut bytes = std::mem::take(text).into_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape_at(&bytes, i) else {
            i += 2;
            continue;
        };
        let high = (0xD800..0xDC00).contains(&unit);
        let low = (0xDC00..0xE000).contains(&unit);
        let paired =
            high && escape_at(&bytes, i + 6).is_some_and(|u| (0xDC00..0xE000).contains(&u));
        if paired {
            i += 12;
        } else {
            if high || low {
                bytes[i..i + 6].copy_from_slice(b"\\ufffd");
                count += 1;
            }
            i += 6;
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    *text = String::from_utf8(bytes).expect("still UTF-8");
    count
}

/// The UTF-16 unit of a `\uXXXX` escape starting at `at`.
fn escape_at(bytes: &[u8], at: usize) -> Option<u32> {
    let esc = bytes.get(at..at + 6)?;
    if esc[0] != b'\\' || esc[1] != b'u' {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(&esc[2..]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_are_repaired_pairs_and_escaped_backslashes_kept() {
        let cases = [
            (r#""\ud83d""#, r#""\ufffd""#, 1),
            (r#""\ude00x""#, r#""\ufffdx""#, 1),
            (r#""\ud83d\ude00""#, r#""\ud83d\ude00""#, 0),
            (r#""\\ud83d""#, r#""\\ud83d""#, 0),
            (r#""\ud83d\ud83d\ude00""#, r#""\ufffd\ud83d\ude00""#, 1),
            (r#""\u00e9\n""#, r#""\u00e9\n""#, 0),
        ];
        for (input, want, n) in cases {
            let mut text = input.to_string();
            assert_eq!(repair_lone_surrogates(&mut text), n, "{input}");
            assert_eq!(text, want, "{input}");
        }
    }

    #[test]
    fn bodies_are_forwarded_or_answered() {
        let code = |body: &str| match check(body.as_bytes().to_vec()) {
            Checked::Forward(..) => 0,
            Checked::Answer(v) => v["error"]["code"].as_i64().unwrap(),
            Checked::Drop(_) => 1,
        };
        let cases = [
            (r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#, 0),
            (r#"{"jsonrpc":"2.0","id":"a","result":null}"#, 0),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"t":"\udc00"}}"#,
                0,
            ),
            (r#"{"jsonrpc":"2.0","#, PARSE_ERROR),
            (
                r#"[{"jsonrpc":"2.0","id":1,"method":"x"}]"#,
                INVALID_REQUEST,
            ),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                INVALID_REQUEST,
            ),
            (r#"{"jsonrpc":"1.0","id":1,"method":"x"}"#, INVALID_REQUEST),
            (r#"{"jsonrpc":"2.0","id":1.5,"result":1}"#, 1),
        ];
        for (body, want) in cases {
            assert_eq!(code(body), want, "{body}");
        }
        let Checked::Answer(v) = check(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#.to_vec()) else {
            panic!("answered");
        };
        assert_eq!(v["id"], 7);
    }
}
