//! gavel's review layer (SPEC 9), above the workspace: what the deterministic rules cannot
//! decide goes to a reviewer, and what only a person may waive needs an approval.
//!
//! - [`settings`]: which reviewer to ask, from the user's own config, the environment and (only
//!   when the user trusts it) the workspace's `[review]`;
//! - [`item`]: a review rule's match as a [`item::Request`] with its context;
//! - [`client`]: the reviewers, an OpenAI-compatible HTTP client and a command;
//! - [`verdicts`]: the verdict cache, beside the result cache;
//! - [`run`]: a review of checked files, turning verdicts into findings;
//! - [`approvals`]: `.gavel/approvals.toml` (SPEC 9.3).

pub mod approvals;
pub mod client;
pub mod item;
pub mod run;
mod secret;
pub mod settings;
pub mod verdicts;

pub use run::{Summary, review};
pub use secret::ApiKey;
pub use settings::Settings;
