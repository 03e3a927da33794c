//! `gavel explain ID`: a rule's message, note, sanctioned library and examples.

use crate::cli::ExplainArgs;

pub fn run(args: ExplainArgs) -> u8 {
    let config = match super::cwd_config(args.config.config.as_ref()) {
        Ok(c) => c,
        Err(code) => return code as u8,
    };
    let Some(active) = config.rules.get(&args.id) else {
        let ids = config.rules.rules.iter().map(|r| r.rule.id.as_str());
        let hint = gavel_policy::did_you_mean(&args.id, ids)
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        eprintln!(
            "error: no loaded rule is called `{}`: {hint}list them with `gavel rules`",
            args.id
        );
        return 2;
    };
    let r = &active.rule;
    println!(
        "{} ({}, {}, {})",
        r.id, r.language, active.severity, r.category
    );
    println!("pack: {} ({}:{})", r.pack, r.origin.file, r.origin.line);
    println!("\n{}", r.message);
    if let Some(note) = &r.note {
        println!("\n{}", note.trim_end());
    }
    if let Some(i) = &r.instead {
        println!("\nInstead: {i}");
    }
    if let Some(s) = &r.sanctioned {
        let docs = s
            .docs
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        println!("\nSanctioned: use {}{docs}", s.name);
    }
    if let Some(url) = &r.url {
        println!("More: {url}");
    }
    for fix in &r.fixes {
        println!("Fix: {}", fix.title);
    }
    let section = |title: &str, examples: &[gavel_policy::Example]| {
        if !examples.is_empty() {
            println!("\n{title}:");
            for e in examples {
                for line in e.text.lines() {
                    println!("    {line}");
                }
                println!();
            }
        }
    };
    section("Flagged", &r.examples.bad);
    section("Not flagged", &r.examples.good);
    for f in &r.examples.fixed {
        println!("\nFixed, before:");
        f.before.lines().for_each(|l| println!("    {l}"));
        println!("after:");
        f.after.lines().for_each(|l| println!("    {l}"));
    }
    0
}
