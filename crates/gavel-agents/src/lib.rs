//! gavel for coding agents (SPEC 7.3 and 7.4).
//!
//! - [`hook`]: `gavel hook AGENT`. Reads an agent's post-edit hook payload, checks the edited
//!   file, keeps only the findings on the lines the edit changed, and answers in that agent's
//!   own contract (one module per agent).
//! - [`agents_md`]: `gavel agents-md`. The loaded house rules as a Markdown section for
//!   AGENTS.md, CLAUDE.md or a Cursor rule, and the `--write` / `--check` upkeep of that
//!   section in a file.
//! - [`explain`]: one rule told in full (`gavel explain`, the MCP tool `gavel_explain`).

pub mod agents_md;
mod check;
pub mod explain;
pub mod hook;
