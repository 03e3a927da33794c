//! All of gavel's IO: finding and merging `gavel.toml` ([`config`]), loading policy packs from
//! files, directories and the built-ins ([`packs`]), walking files while honouring `.gitignore`
//! ([`walk`]), and reading sources safely ([`source`]), and git provenance: base blobs, diffs and
//! blame ([`git`]).

pub mod config;
mod error;
pub mod git;
pub mod packs;
mod read;
pub mod roots;
pub mod source;
pub mod walk;

pub use config::{Configs, LoadedConfig, find_config, load_config};
pub use error::WorkspaceError;
pub use source::{SourceText, read_source};
pub use walk::walk;
