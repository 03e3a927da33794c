//! `gavel baseline [PATH...]` (SPEC 8): check as `gavel check` does (every line, every rule) and
//! write the findings to the baseline file, so that `check` then reports only new ones. A check
//! with errors writes nothing: a baseline missing a broken pack's findings would hide nothing
//! today and flood tomorrow.

use gavel_policy::AppliesTo;
use gavel_workspace::{Checker, Fixed, baseline};

use crate::{cli::BaselineArgs, cmd::check::scan};

pub fn run(args: BaselineArgs) -> u8 {
    if !super::config_flag_ok(args.config.config.as_ref()) {
        return 2;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let checker = Checker::new(
        args.config.config.clone(),
        cwd.clone(),
        None,
        AppliesTo::All,
    );
    let report = scan(
        &checker,
        &args.paths,
        &|_, text, report| Fixed::unchanged(text, report),
        false,
    );
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    if !report.errors.is_empty() {
        eprintln!("error: the baseline was not written: fix the errors above, then run it again");
        return 2;
    }
    let path = args
        .baseline
        .clone()
        .unwrap_or_else(|| baseline::default_path(&cwd));
    match baseline::Baseline::write(&path, &report, &cwd) {
        Ok(n) => {
            let shown = gavel_workspace::display_path(&path, &cwd);
            let s = if n == 1 { "" } else { "s" };
            eprintln!(
                "gavel: wrote {n} finding{s} to {shown}; `gavel check` now reports only new ones"
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
