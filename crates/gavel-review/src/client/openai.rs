//! An OpenAI-compatible chat-completions client (OpenAI, Ollama, vLLM, llama.cpp's server, LM
//! Studio all serve `POST {endpoint}/chat/completions`). It asks for the verdict with a JSON
//! schema: OpenAI's `response_format` `json_schema` first, then the `json_object` with a
//! `schema` that llama-cpp-python takes (it answers `json_schema` with a 500), then none,
//! stepping down when a server refuses one (400, 422 or 500 while a format is asked); it
//! retries what may pass (no connection, 429, 5xx) with back-off, and gives up after
//! [`ATTEMPTS`]. The key goes in the `Authorization` header only, and is redacted from every
//! message a server sends back.

use std::{
    sync::atomic::{AtomicU8, Ordering},
    time::Duration,
};

use serde_json::{Value, json};

use super::{Answer, AskError, Reviewer, SYSTEM, parse_answer, user_message};
use crate::{item::Request, secret::ApiKey};

pub const ATTEMPTS: u32 = 3;

pub struct OpenAi<'a> {
    agent: ureq::Agent,
    url: String,
    model: String,
    key: Option<&'a ApiKey>,
    /// Which `response_format` to ask for: 0 `json_schema`, 1 `json_object` with a schema, 2
    /// none; raised when the server refuses one.
    format: AtomicU8,
    backoff: Duration,
}

impl<'a> OpenAi<'a> {
    pub fn new(endpoint: &str, model: &str, key: Option<&'a ApiKey>, timeout: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        OpenAi {
            agent,
            url: format!("{}/chat/completions", endpoint.trim_end_matches('/')),
            model: model.to_string(),
            key,
            format: AtomicU8::new(0),
            backoff: Duration::from_millis(500),
        }
    }

    fn body(&self, request: &Request, level: u8) -> Value {
        let mut body = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": user_message(request)},
            ],
        });
        match level {
            0 => {
                body["response_format"] = json!({
                    "type": "json_schema",
                    "json_schema": {"name": "verdict", "strict": true, "schema": schema()},
                })
            }
            1 => body["response_format"] = json!({"type": "json_object", "schema": schema()}),
            _ => {}
        }
        body
    }

    fn redact(&self, text: &str) -> String {
        self.key
            .map_or_else(|| text.to_string(), |k| k.redact(text))
    }

    /// One POST: the status and the body's text.
    fn post(&self, body: &Value) -> Result<(u16, String), String> {
        let mut req = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/json");
        if let Some(key) = self.key {
            req = req.header("Authorization", format!("Bearer {}", key.expose()));
        }
        let mut resp = req
            .send(body.to_string())
            .map_err(|e| self.redact(&e.to_string()))?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .read_to_string()
            .map_err(|e| self.redact(&e.to_string()))?;
        Ok((status, text))
    }
}

/// The verdict's JSON Schema. `reason` comes first: constrained decoders write fields in the
/// schema's order, and a small model that must give its verdict before its reasoning judges
/// worse (measured with Qwen2.5-Coder-0.5B under llama-cpp-python: "pass" on failing code).
pub fn schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "reason": {"type": "string"},
            "verdict": {"type": "string", "enum": ["pass", "fail", "unsure"]},
        },
        "required": ["reason", "verdict"],
        "additionalProperties": false,
    })
}

impl Reviewer for OpenAi<'_> {
    fn ask(&self, request: &Request) -> Result<Answer, AskError> {
        let mut last = String::new();
        let mut attempt = 0;
        while attempt < ATTEMPTS {
            let level = self.format.load(Ordering::Relaxed);
            let body = self.body(request, level);
            match self.post(&body) {
                Ok((200..=299, text)) => return answer_of(&text).map_err(|e| self.redact_err(e)),
                // A server that does not take this `response_format` says so with a 400 or
                // 422 (llama-cpp-python: a 500): ask again with the next one (this does not
                // count as an attempt).
                Ok((400 | 422 | 500, _)) if level < 2 => {
                    self.format.fetch_max(level + 1, Ordering::Relaxed);
                    continue;
                }
                Ok((status, text)) => {
                    let shown: String = self.redact(&text).chars().take(200).collect();
                    last = format!("{} answered {status}: {shown}", self.url);
                    if !(status == 429 || status >= 500) {
                        break;
                    }
                }
                Err(e) => last = format!("cannot reach {}: {e}", self.url),
            }
            attempt += 1;
            if attempt < ATTEMPTS {
                std::thread::sleep(self.backoff * 2u32.pow(attempt - 1));
            }
        }
        Err(AskError::Unreachable(last))
    }
}

impl OpenAi<'_> {
    fn redact_err(&self, e: AskError) -> AskError {
        match e {
            AskError::Unreadable(m) => AskError::Unreadable(self.redact(&m)),
            AskError::Unreachable(m) => AskError::Unreachable(self.redact(&m)),
        }
    }
}

/// The verdict in a chat completion's first choice.
fn answer_of(body: &str) -> Result<Answer, AskError> {
    let v: Value = serde_json::from_str(body).map_err(|_| {
        AskError::Unreadable("the reviewer's response is not a chat completion (not JSON)".into())
    })?;
    let content = v
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            AskError::Unreadable("the reviewer's response has no choices[0].message.content".into())
        })?;
    parse_answer(content)
}
