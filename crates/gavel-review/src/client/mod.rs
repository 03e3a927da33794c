//! The reviewers (SPEC 9.1): an OpenAI-compatible chat-completions client ([`openai`]) and a
//! command that reads the request on stdin ([`command`]). Both give the answer's text; reading
//! it as a verdict ([`parse_answer`]) is shared.

pub mod command;
pub mod openai;

use serde::{Deserialize, Serialize};

use crate::{
    item::Request,
    settings::{Settings, Via},
};

/// What the reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Unsure,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Unsure => "unsure",
        }
    }
}

/// A readable answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub verdict: Verdict,
    #[serde(default)]
    pub reason: String,
}

/// Why a reviewer gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskError {
    /// It could not be reached, or failed, after retries: the run's error.
    Unreachable(String),
    /// It answered, but not with a verdict: this item's `info` finding.
    Unreadable(String),
}

/// A reviewer: one request in, the answer's text out.
pub trait Reviewer: Sync {
    fn ask(&self, request: &Request) -> Result<Answer, AskError>;
}

/// The reviewer the settings name; `None` when none is configured.
pub fn from_settings(settings: &Settings) -> Option<Box<dyn Reviewer + '_>> {
    match settings.via.as_ref()? {
        Via::Http { endpoint, key } => Some(Box::new(openai::OpenAi::new(
            endpoint,
            &settings.model,
            key.as_ref(),
            settings.timeout,
        ))),
        Via::Command(argv) => Some(Box::new(command::Command::new(argv, settings.timeout))),
    }
}

/// The instructions every reviewer gets.
pub const SYSTEM: &str = "You review code against one house rule of a company. Read the rule's \
question and the code, then answer with JSON only, no prose around it: {\"verdict\": \"pass\" | \
\"fail\" | \"unsure\", \"reason\": \"one sentence\"}. pass: the code satisfies the rule. fail: it \
breaks the rule. unsure: the code shown is not enough to tell.";

/// The request as one message for a chat model.
pub fn user_message(r: &Request) -> String {
    format!(
        "Rule {}: {}\nA fail means: {}\nFile {} ({}), lines {}-{}, context: {}\n```{}\n{}\n```",
        r.rule,
        r.prompt,
        r.message,
        r.path,
        r.language,
        r.range.start.line,
        r.range.end.line,
        r.context,
        r.language,
        r.code
    )
}

/// Read an answer: the JSON object itself, or one inside a code fence or prose (small models
/// add both).
pub fn parse_answer(text: &str) -> Result<Answer, AskError> {
    let trimmed = text.trim();
    if let Ok(a) = serde_json::from_str::<Answer>(trimmed) {
        return Ok(a);
    }
    let inner = match (trimmed.find('{'), trimmed.rfind('}')) {
        (Some(a), Some(b)) if a < b => &trimmed[a..=b],
        _ => trimmed,
    };
    serde_json::from_str::<Answer>(inner).map_err(|_| {
        let shown: String = trimmed.chars().take(200).collect();
        AskError::Unreadable(format!(
            "the reviewer's answer is not a verdict (want {{\"verdict\": \"pass\"|\"fail\"|\"unsure\", \"reason\": ...}}): {shown:?}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_from_json_fences_and_prose() {
        let check = |text: &str, want: Option<Verdict>| {
            assert_eq!(parse_answer(text).ok().map(|a| a.verdict), want, "{text}");
        };
        check(
            r#"{"verdict":"fail","reason":"no authz"}"#,
            Some(Verdict::Fail),
        );
        check(
            "```json\n{\"verdict\": \"pass\", \"reason\": \"ok\"}\n```",
            Some(Verdict::Pass),
        );
        check(
            "Sure! {\"verdict\":\"unsure\"} hope it helps",
            Some(Verdict::Unsure),
        );
        check(r#"{"verdict":"maybe","reason":"?"}"#, None);
        check("I think it passes.", None);
    }
}
