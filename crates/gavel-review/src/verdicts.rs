//! The verdict cache: a reviewer's answer kept under `.gavel_cache/` beside the config (with the
//! result cache, [`gavel_workspace::cache`]), keyed by the rule, its prompt, the code sent and
//! the model, so that an unchanged item is never asked twice. Only verdicts are kept: an
//! unreadable answer or an unreachable reviewer is asked again next run.

use std::path::Path;

use gavel_workspace::cache::{load_value, store_value, values};
use serde::{Deserialize, Serialize};

use crate::{
    client::{Answer, Verdict},
    item::Request,
};

/// A kept verdict: the answer, and the rule it judged (for the feedback report).
#[derive(Serialize, Deserialize)]
struct Kept {
    #[serde(default)]
    rule: String,
    #[serde(flatten)]
    answer: Answer,
}

const KIND: &str = "v";

fn parts<'a>(model: &'a str, request: &'a Request) -> [&'a str; 5] {
    [
        "verdict/1",
        &request.rule,
        &request.prompt,
        &request.code,
        model,
    ]
}

/// The cached verdict of `request` under `model`, for the config in `config_dir`.
pub fn load(config_dir: &Path, model: &str, request: &Request) -> Option<Answer> {
    let bytes = load_value(config_dir, KIND, &parts(model, request))?;
    serde_json::from_slice::<Kept>(&bytes)
        .ok()
        .map(|k| k.answer)
}

/// Keep a verdict.
pub fn store(config_dir: &Path, model: &str, request: &Request, answer: &Answer) {
    let kept = Kept {
        rule: request.rule.clone(),
        answer: answer.clone(),
    };
    let bytes = serde_json::to_vec(&kept).expect("an answer serializes");
    store_value(config_dir, KIND, &parts(model, request), &bytes);
}

/// Every kept verdict of the config in `config_dir` (at most `limit`): its rule and verdict.
pub fn all(config_dir: &Path, limit: usize) -> Vec<(String, Verdict)> {
    values(config_dir, KIND, limit)
        .iter()
        .filter_map(|b| serde_json::from_slice::<Kept>(b).ok())
        .filter(|k| !k.rule.is_empty())
        .map(|k| (k.rule, k.answer.verdict))
        .collect()
}
