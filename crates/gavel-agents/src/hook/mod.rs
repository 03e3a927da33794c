//! `gavel hook AGENT` (SPEC 7.3): an agent's post-edit hook.
//!
//! The payload (JSON on standard input) is read by the agent's module into an [`Event`]:
//! check these edits and answer now (Claude Code, Codex, Gemini CLI); record them for the stop
//! hook (Cursor's `afterFileEdit` and Copilot CLI's `postToolUse`, which cannot answer); or the
//! turn's end, answered with what was recorded ([`state`]). Only findings at or above
//! `--fail-on` on the lines the edit changed count ([`lines`], [`report`]); with none the hook
//! says nothing and exits 0. A payload that is not JSON, or that names a file outside the
//! project ([`project`]), is an error on stderr with exit 1, which every agent takes as a
//! non-blocking failure.

mod claude_code;
mod codex;
mod copilot;
mod cursor;
mod gemini;
mod lines;
mod project;
mod report;
mod state;

use std::path::{Path, PathBuf};

use gavel_policy::Severity;
use serde_json::{Value, json};

use crate::check::Checker;
use lines::Change;
use project::Project;
use report::{EditedFile, Reported};

/// The agents `gavel hook` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    ClaudeCode,
    Codex,
    Cursor,
    Copilot,
    Gemini,
}

impl Agent {
    pub const ALL: [Agent; 5] = [
        Agent::ClaudeCode,
        Agent::Codex,
        Agent::Cursor,
        Agent::Copilot,
        Agent::Gemini,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "claude-code",
            Agent::Codex => "codex",
            Agent::Cursor => "cursor",
            Agent::Copilot => "copilot",
            Agent::Gemini => "gemini",
        }
    }

    pub fn from_name(name: &str) -> Option<Agent> {
        Agent::ALL.into_iter().find(|a| a.name() == name)
    }

    fn event(self, payload: &Value) -> Result<Event, String> {
        match self {
            Agent::ClaudeCode => claude_code::event(payload),
            Agent::Codex => codex::event(payload),
            Agent::Cursor => cursor::event(payload),
            Agent::Copilot => copilot::event(payload),
            Agent::Gemini => gemini::event(payload),
        }
    }
}

/// The command line's choices.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--fail-on`; `None` for `never`.
    pub fail_on: Option<Severity>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// The process's working directory: the project when the payload names none.
    pub cwd: PathBuf,
}

/// What the hook prints, and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

impl Answer {
    fn quiet() -> Answer {
        Answer {
            stdout: String::new(),
            stderr: String::new(),
            code: 0,
        }
    }

    fn json(value: &Value) -> Answer {
        Answer {
            stdout: format!("{value}\n"),
            stderr: String::new(),
            code: 0,
        }
    }
}

/// What a payload asks of the hook.
#[derive(Debug)]
enum Event {
    /// Check these edits and answer now.
    Check {
        roots: Vec<PathBuf>,
        files: Vec<EditedFile>,
        reply: Reply,
    },
    /// Record the findings of these edits for the stop hook; say nothing.
    Record {
        roots: Vec<PathBuf>,
        session: String,
        files: Vec<EditedFile>,
    },
    /// The turn ends: answer with the recorded findings still in the files.
    Stop {
        roots: Vec<PathBuf>,
        session: String,
        reply: Reply,
    },
    /// Nothing to do: a tool that edits no file, a failed edit, an aborted turn.
    Ignore,
}

/// How an agent takes findings, each on stdout with exit 0.
#[derive(Debug)]
enum Reply {
    /// `{"decision": "block", "reason": ...}`: Claude Code's and Codex's `PostToolUse`, Copilot
    /// CLI's `agentStop`.
    Block,
    /// `{"decision": "deny", "reason": ...}`: Gemini CLI's `AfterTool`, whose reason replaces the
    /// tool's result, so it starts with that result.
    Deny { result: Option<String> },
    /// `{"followup_message": ...}`: Cursor's `stop`, sent as the next user message.
    Followup,
}

impl Reply {
    fn answer(&self, text: String) -> Answer {
        match self {
            Reply::Block => Answer::json(&json!({"decision": "block", "reason": text})),
            Reply::Deny { result } => {
                let reason = match result {
                    Some(r) if !r.trim().is_empty() => format!("{}\n\n{text}", r.trim_end()),
                    _ => text,
                };
                Answer::json(&json!({"decision": "deny", "reason": reason}))
            }
            Reply::Followup => Answer::json(&json!({"followup_message": text})),
        }
    }
}

/// Run the hook of `agent` on a payload.
pub fn run(agent: Agent, input: &str, options: &Options) -> Answer {
    match answer(agent, input, options) {
        Ok(a) => a,
        Err(e) => Answer {
            stdout: String::new(),
            stderr: format!("error: gavel hook {}: {e}\n", agent.name()),
            code: 1,
        },
    }
}

fn answer(agent: Agent, input: &str, options: &Options) -> Result<Answer, String> {
    let payload: Value = serde_json::from_str(input).map_err(|e| {
        format!("the payload on standard input is not JSON ({e}); run this command as the agent's hook, which sends one JSON object")
    })?;
    if !payload.is_object() {
        return Err("the payload on standard input is JSON but not an object; run this command as the agent's hook".into());
    }
    match agent.event(&payload)? {
        Event::Ignore => Ok(Answer::quiet()),
        Event::Check {
            roots,
            files,
            reply,
        } => {
            let (project, checker) = open(&roots, &files, options)?;
            let Some(threshold) = options.fail_on else {
                return Ok(Answer::quiet());
            };
            let found = report::findings(&checker, &project, &files, threshold)?;
            Ok(tell(&checker, &reply, &found, ""))
        }
        Event::Record {
            roots,
            session,
            files,
        } => {
            let (project, checker) = open(&roots, &files, options)?;
            let Some(threshold) = options.fail_on else {
                return Ok(Answer::quiet());
            };
            let found = report::findings(&checker, &project, &files, threshold)?;
            state::Store::new(project.root(), agent.name()).add(&session, &found)?;
            Ok(with_notes(&checker, Answer::quiet()))
        }
        Event::Stop {
            roots,
            session,
            reply,
        } => {
            let (project, checker) = open(&roots, &[], options)?;
            let Some(record) = state::Store::new(project.root(), agent.name()).take(&session)?
            else {
                return Ok(Answer::quiet());
            };
            let Some(threshold) = options.fail_on else {
                return Ok(Answer::quiet());
            };
            let found = state::recheck(&checker, &project, &record, threshold)?;
            Ok(tell(&checker, &reply, &found, " in this turn"))
        }
    }
}

/// The project, with every named file confirmed inside it, and a checker for it.
fn open(
    roots: &[PathBuf],
    files: &[EditedFile],
    options: &Options,
) -> Result<(Project, Checker), String> {
    let project = Project::new(roots, &options.cwd)?;
    for f in files {
        project.file(&f.path)?;
    }
    let checker = Checker::new(options.config.clone(), project.root().to_path_buf());
    Ok((project, checker))
}

fn tell(checker: &Checker, reply: &Reply, found: &[Reported], when: &str) -> Answer {
    if found.is_empty() {
        return with_notes(checker, Answer::quiet());
    }
    let text = report::render(&report::intro(found.len(), when), found);
    with_notes(checker, reply.answer(text))
}

/// Problems in the config go to stderr as warnings: the rules that loaded still apply.
fn with_notes(checker: &Checker, mut answer: Answer) -> Answer {
    for e in checker.config_errors() {
        answer.stderr.push_str(&format!("warning: {e}\n"));
    }
    answer
}

/// The value at a path of keys.
fn at<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().try_fold(value, |v, k| v.get(k))
}

/// The string at a path of keys.
fn str_at<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a str> {
    at(value, keys).and_then(Value::as_str)
}

/// The payload's `cwd`, as the project's one root, or none (the process's directory).
fn cwd_root(payload: &Value) -> Vec<PathBuf> {
    str_at(payload, &["cwd"])
        .filter(|c| !c.is_empty())
        .map(|c| vec![PathBuf::from(c)])
        .unwrap_or_default()
}

/// A required string field, or an error naming it.
fn required<'a>(value: &'a Value, keys: &[&str]) -> Result<&'a str, String> {
    str_at(value, keys).ok_or_else(|| {
        format!(
            "the payload has no `{}` string; this does not look like the agent's hook payload",
            keys.join(".")
        )
    })
}

/// One edited file whose change is the new texts of replacements (all of them changed).
fn replaced(path: &str, new_texts: Vec<&str>) -> EditedFile {
    EditedFile {
        path: Path::new(path).to_path_buf(),
        change: Change::Pieces(new_texts.into_iter().map(lines::Piece::all).collect()),
    }
}

/// One edited file that changed as a whole.
fn whole(path: &str) -> EditedFile {
    EditedFile {
        path: Path::new(path).to_path_buf(),
        change: Change::Whole,
    }
}
