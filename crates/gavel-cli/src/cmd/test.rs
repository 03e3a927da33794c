//! `gavel test [PATH...]`: run every loaded rule's examples; prints `N passed, M failed`.

use std::sync::Arc;

use gavel_policy::{Pack, Rule};
use gavel_workspace::packs::{Loaded, load_entry};

use crate::cli::TestArgs;

pub fn run(args: TestArgs) -> u8 {
    let (packs, errors) = if args.paths.is_empty() {
        match super::cwd_config(args.config.config.as_ref()) {
            Ok(c) => (c.packs, c.errors.iter().map(ToString::to_string).collect()),
            Err(code) => return code as u8,
        }
    } else {
        let mut loaded = Loaded::default();
        let cwd = std::env::current_dir().unwrap_or_default();
        for p in &args.paths {
            load_entry(&p.to_string_lossy(), &cwd, None, &mut loaded);
        }
        (
            loaded.packs,
            loaded
                .errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )
    };
    for e in &errors {
        eprintln!("error: {e}");
    }
    let (passed, failed) = run_packs(&packs);
    println!("{passed} passed, {failed} failed");
    if !errors.is_empty() {
        2
    } else {
        u8::from(failed > 0)
    }
}

/// Run the examples of every rule; print each failure. Returns (passed, failed) examples.
fn run_packs(packs: &[Pack]) -> (usize, usize) {
    let rules: Vec<&Arc<Rule>> = packs.iter().flat_map(|p| &p.rules).collect();
    let mut passed = 0;
    let mut failed = 0;
    for rule in rules {
        let total = rule.examples.bad.len() + rule.examples.good.len() + rule.examples.fixed.len();
        let failures = gavel_engine::test_rule(rule);
        for f in &failures {
            println!(
                "FAIL {}:{}: {}: {}",
                rule.origin.file, f.line, rule.id, f.message
            );
        }
        failed += failures.len();
        passed += total.saturating_sub(failures.len());
    }
    (passed, failed)
}
