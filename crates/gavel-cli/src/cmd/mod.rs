//! One module per subcommand.

pub mod agents_md;
pub mod approve;
pub mod baseline;
pub mod check;
mod check_diff;
mod check_fix;
mod check_stdin;
pub mod explain;
pub mod hook;
pub mod lsp;
pub mod mcp;
mod progress;
pub mod report;
pub mod review;
pub mod rules;
pub mod schema;
pub mod test;

use std::path::PathBuf;

use gavel_workspace::{LoadedConfig, find_config, load_config};

/// The config for commands that are not about particular files: `--config`, or the nearest
/// `gavel.toml` from the working directory, or the defaults.
pub fn cwd_config(explicit: Option<&PathBuf>) -> Result<LoadedConfig, i32> {
    let cwd = std::env::current_dir().unwrap_or_default();
    if !config_flag_ok(explicit) {
        return Err(2);
    }
    let file = explicit.cloned().or_else(|| find_config(&cwd));
    Ok(load_config(file.as_deref(), &cwd))
}

/// The checker of `check` and `review`: `--config`, `--select`/`--ignore` (review rules only
/// for `review`), `--base` and `--scope`; else the exit code, after saying what is wrong.
pub fn checker(
    config: Option<&PathBuf>,
    (select, ignore): (&[String], &[String]),
    base: Option<String>,
    scope: gavel_policy::AppliesTo,
    review: bool,
) -> Result<gavel_workspace::Checker, u8> {
    if !config_flag_ok(config) {
        return Err(2);
    }
    let selection = match gavel_workspace::Selection::new(select, ignore) {
        Ok(s) if review => s.for_review(),
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(2);
        }
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    Ok(gavel_workspace::Checker::new(config.cloned(), cwd, base, scope).with_selection(selection))
}

/// `--config FILE` names a file (or is not given); else says so on stderr.
pub fn config_flag_ok(explicit: Option<&PathBuf>) -> bool {
    match explicit {
        Some(f) if !f.is_file() => {
            eprintln!(
                "error: --config {}: no such file; pass the path of a gavel.toml",
                f.display()
            );
            false
        }
        _ => true,
    }
}

/// Print config errors; true when there were any.
pub fn report_config_errors(config: &LoadedConfig) -> bool {
    for e in &config.errors {
        eprintln!("error: {e}");
    }
    !config.errors.is_empty()
}
