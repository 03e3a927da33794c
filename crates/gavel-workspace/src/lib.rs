//! All of gavel's IO: finding and merging `gavel.toml` ([`config`]), loading policy packs from
//! files, directories and the built-ins ([`packs`]) only inside the [`roots`] a config may name
//! and only from regular files of a bounded size (`read`), writing fixed files atomically
//! ([`write_fixed`]), walking files while honouring
//! `.gitignore` for untracked files ([`walk`]), reading sources as their language decodes them
//! ([`source`]), and git: tracked files, and provenance from base blobs, diffs and blame
//! ([`git`]). [`Checker`] checks one file the way `gavel check` does, for every front end, and
//! [`report`] is what it found, located, with the JSON views they share; [`baseline`] is the
//! accepted findings of SPEC 8.

pub mod baseline;
pub mod cache;
mod checker;
pub mod config;
mod error;
pub mod git;
pub mod packs;
mod read;
pub mod report;
pub mod roots;
pub mod source;
pub mod walk;
mod write;

pub use checker::{Checked, Checker, Fixed, Outcome, Source, display_path};
pub use config::{Configs, LoadedConfig, Selection, find_config, load_config};
pub use error::WorkspaceError;
pub use source::{SourceText, read_source};
pub use walk::walk;
pub use write::{WriteError, write_fixed};
