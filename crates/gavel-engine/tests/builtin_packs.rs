//! The built-in packs (`policies/*.toml`): every pack compiles, every rule's `bad`, `good` and
//! `fixed` examples behave as written (what `gavel test policies/` checks), and every rule is
//! documented well enough to ship.

use gavel_engine::test_rule;
use gavel_policy::{Pack, SourceFile, builtin::PACKS, parse_pack};

/// The fewest rules each pack must have.
const MINIMUM_RULES: &[(&str, usize)] = &[
    ("python-security", 30),
    ("python-quality", 8),
    ("rust-security", 15),
    ("rust-quality", 6),
];

fn packs() -> Vec<Pack> {
    PACKS
        .iter()
        .map(|(name, text)| {
            let file = SourceFile::new(format!("builtin:{name}"), *text);
            parse_pack(&file).unwrap_or_else(|errors| {
                panic!(
                    "builtin:{name} does not compile:\n{}",
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            })
        })
        .collect()
}

#[test]
fn every_example_behaves_as_written() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for pack in packs() {
        for rule in &pack.rules {
            checked += 1;
            for f in test_rule(rule) {
                failures.push(format!(
                    "{}:{}: [{}] {}",
                    pack.origin, f.line, rule.id, f.message
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example failure(s) in {checked} rules:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn pack_ids_and_rule_counts() {
    let packs = packs();
    let ids: Vec<&str> = packs.iter().map(|p| p.id.as_str()).collect();
    let names: Vec<&str> = PACKS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        ids, names,
        "a built-in pack's id must equal its `builtin:NAME`"
    );
    for (name, min) in MINIMUM_RULES {
        let pack = packs
            .iter()
            .find(|p| p.id == *name)
            .unwrap_or_else(|| panic!("no built-in pack `{name}`"));
        assert!(
            pack.rules.len() >= *min,
            "builtin:{name} has {} rules, expected at least {min}",
            pack.rules.len()
        );
    }
}

#[test]
fn every_rule_is_documented_and_exemplified() {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for pack in packs() {
        let prefix = if pack.id.starts_with("python-") {
            "py."
        } else {
            "rs."
        };
        for rule in &pack.rules {
            let mut p =
                |what: String| problems.push(format!("{} [{}]: {what}", pack.origin, rule.id));
            if !seen.insert(rule.id.clone()) {
                p("rule id is used by another built-in pack".into());
            }
            let name = rule.id.strip_prefix(prefix).unwrap_or_default();
            let kebab = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.starts_with('-')
                && !name.ends_with('-')
                && !name.contains("--");
            if !kebab {
                p(format!("rule id should be `{prefix}kebab-case`"));
            }
            if rule.message.trim().is_empty() {
                p("empty message".into());
            }
            if rule.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                p("no note".into());
            }
            if rule.category.is_empty() || rule.category == "general" {
                p("no category".into());
            }
            if let Some(url) = &rule.url
                && !url.starts_with("https://")
            {
                p(format!("url `{url}` is not https"));
            }
            if rule.examples.bad.len() < 2 {
                p(format!(
                    "{} bad example(s), expected at least 2",
                    rule.examples.bad.len()
                ));
            }
            if rule.examples.good.len() < 2 {
                p(format!(
                    "{} good example(s), expected at least 2",
                    rule.examples.good.len()
                ));
            }
            if !rule.fixes.is_empty() && rule.examples.fixed.is_empty() {
                p("has a fix but no [[rule.examples.fixed]]".into());
            }
            if rule.fixes.is_empty() && !rule.examples.fixed.is_empty() {
                p("has a fixed example but no fix".into());
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
