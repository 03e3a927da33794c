//! The gavel policy model.
//!
//! Policy packs and `gavel.toml` are parsed from TOML into raw serde structs that keep their
//! spans ([`raw`], [`config`]), then validated and compiled into [`Pack`]s of [`Rule`]s whose
//! regexes, globs, queries and patterns are ready to run. Every error carries the file, a line
//! and a column, and says what to change ([`PolicyError`]). The built-in packs are embedded from
//! the repository's `policies/` directory ([`builtin`]). No IO happens here.

pub mod builtin;
mod compile;
pub mod config;
mod error;
mod model;
mod one_or_many;
mod raw;
pub mod schema;
mod suggest;

pub use compile::parse_pack;
pub use config::{Config, RuleOverride, parse_config};
pub use error::{PolicyError, SourceFile};
pub use model::*;
pub use suggest::did_you_mean;
