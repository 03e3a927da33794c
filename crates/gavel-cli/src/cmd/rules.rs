//! `gavel rules [PATH...]`: the loaded rules, one per line: id, language, severity, category,
//! pack. With `--format markdown`, a reference page instead: per pack, per rule what it flags,
//! why, what to do instead, and its examples (`docs/rules.md` is generated this way).

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    sync::Arc,
};

use gavel_policy::{
    CallConstraints, KwargTest, MatchKind, Matcher, Pack, QualPattern, RegexIn, Rule, Severity,
};
use gavel_syntax::Lang;
use gavel_workspace::packs::{Loaded, load_entry};

use crate::cli::{RulesArgs, RulesFormat};

/// A loaded rule and its severity after the config's overrides.
type Row = (Arc<Rule>, Severity);

pub fn run(args: RulesArgs) -> u8 {
    let (rows, packs, failed): (Vec<Row>, Vec<Pack>, bool) = if args.paths.is_empty() {
        let config = match super::cwd_config(args.config.config.as_ref()) {
            Ok(c) => c,
            Err(code) => return code as u8,
        };
        let failed = super::report_config_errors(&config);
        let rows = config
            .rules
            .rules
            .iter()
            .map(|r| (r.rule.clone(), r.severity))
            .collect();
        (rows, config.packs, failed)
    } else {
        let mut loaded = Loaded::default();
        let cwd = std::env::current_dir().unwrap_or_default();
        for p in &args.paths {
            load_entry(&p.to_string_lossy(), &cwd, None, &mut loaded);
        }
        for e in &loaded.errors {
            eprintln!("error: {e}");
        }
        let rows = loaded
            .packs
            .iter()
            .flat_map(|p| &p.rules)
            .map(|r| (r.clone(), r.severity))
            .collect();
        (rows, loaded.packs, !loaded.errors.is_empty())
    };
    match args.format {
        RulesFormat::Text => print_table(&rows),
        RulesFormat::Markdown => {
            let cwd = std::env::current_dir().unwrap_or_default();
            crate::output::emit(&markdown(&packs, &rows, &cwd));
        }
    }
    if failed { 2 } else { 0 }
}

fn print_table(rows: &[Row]) {
    let rows: Vec<[String; 5]> = rows
        .iter()
        .map(|(r, severity)| {
            [
                r.id.clone(),
                r.language.to_string(),
                // A review rule is off in `check` and runs in `gavel review` (SPEC 9).
                match &r.review {
                    Some(_) => format!("{} (review)", r.severity),
                    None => severity.to_string(),
                },
                r.category.clone(),
                r.pack.clone(),
            ]
        })
        .collect();
    let header = ["ID", "LANGUAGE", "SEVERITY", "CATEGORY", "PACK"].map(String::from);
    let mut widths = [0; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

/// The reference page: an index of packs and rules, then one section per rule.
fn markdown(packs: &[Pack], rows: &[Row], cwd: &Path) -> String {
    let severity = |r: &Rule| {
        if r.review.is_some() {
            return r.severity;
        }
        rows.iter()
            .find(|(x, _)| x.id == r.id)
            .map_or(r.severity, |(_, s)| *s)
    };
    let mut out = String::new();
    let total: usize = packs.iter().map(|p| p.rules.len()).sum();
    out.push_str("# Rules\n\n");
    out.push_str(
        "<!-- Generated from the policy packs by `gavel rules --format markdown`; do not edit by hand. -->\n\n",
    );
    let _ = writeln!(
        out,
        "{total} rules in {} packs. Each section says what the rule flags, why it matters, what to \
         do instead, and shows the examples that `gavel test` checks. `gavel explain ID` prints \
         the same for one rule.\n",
        packs.len()
    );
    out.push_str("| Pack | Rules | Select with | Description |\n| --- | --- | --- | --- |\n");
    for p in packs {
        let _ = writeln!(
            out,
            "| [{}](#pack-{}) | {} | {} | {} |",
            p.id,
            p.id,
            p.rules.len(),
            select_with(p, cwd),
            cell(&p.description)
        );
    }
    out.push('\n');
    for p in packs {
        let _ = writeln!(out, "<a id=\"pack-{}\"></a>\n\n## Pack `{}`\n", p.id, p.id);
        if !p.description.is_empty() {
            let _ = writeln!(out, "{}\n", p.description.trim());
        }
        let _ = writeln!(out, "Select with {}.\n", select_with(p, cwd));
        out.push_str("| Rule | Severity | Category | Message |\n| --- | --- | --- | --- |\n");
        for r in &p.rules {
            let _ = writeln!(
                out,
                "| [`{}`](#{}) | {} | {} | {} |",
                r.id,
                r.id,
                severity(r),
                r.category,
                cell(&r.message)
            );
        }
        out.push('\n');
        for r in &p.rules {
            rule_section(&mut out, r, severity(r));
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

/// How a config selects a pack: `builtin:NAME`, or its path relative to the working directory.
fn select_with(p: &Pack, cwd: &Path) -> String {
    if let Some(name) = p.origin.strip_prefix("builtin:") {
        return format!("`builtin:{name}`");
    }
    if gavel_policy::builtin::get(&p.id).is_some() {
        return format!("`builtin:{}`", p.id);
    }
    let path = PathBuf::from(&p.origin);
    let rel = path.strip_prefix(cwd).unwrap_or(&path);
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("`{}`", rel.join("/"))
}

fn rule_section(out: &mut String, r: &Rule, severity: Severity) {
    let lang = fence_lang(r.language);
    let _ = writeln!(out, "<a id=\"{}\"></a>\n\n### `{}`\n", r.id, r.id);
    let mut facts = vec![
        format!("**{severity}**"),
        r.category.clone(),
        r.language.to_string(),
    ];
    if r.skip_tests {
        facts.push("not in tests".to_string());
    }
    if r.review.is_some() {
        facts.push("asked of the reviewer by `gavel review`".to_string());
    }
    if r.requires_approval {
        facts.push("only an approval waives it".to_string());
    }
    if let Some(url) = &r.url {
        facts.push(format!("[reference]({url})"));
    }
    let _ = writeln!(out, "{}\n", facts.join(" · "));

    let matches: Vec<String> = r.matchers.iter().map(|m| describe(m, r.language)).collect();
    let _ = writeln!(out, "**What.** Flags {}.\n", matches.join("; or "));
    if let Some(review) = &r.review {
        let _ = writeln!(
            out,
            "**Review.** For each match (with its {} as context): {}\n",
            review.context.as_str(),
            review.prompt
        );
    }
    let queries: Vec<&str> = r
        .matchers
        .iter()
        .filter_map(|m| match &m.kind {
            MatchKind::Query(q) => Some(q.source.trim()),
            _ => None,
        })
        .collect();
    if !queries.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>The tree-sitter {}</summary>\n",
            if queries.len() == 1 {
                "query"
            } else {
                "queries"
            }
        );
        for q in queries {
            let _ = writeln!(out, "```scheme\n{q}\n```\n");
        }
        out.push_str("</details>\n\n");
    }
    let _ = writeln!(out, "> {}\n", r.message.trim());

    let note = r.note.as_deref().unwrap_or("").trim();
    let mut paragraphs = note.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
    if let Some(why) = paragraphs.next() {
        let _ = writeln!(out, "**Why.** {why}\n");
    }
    let rest: Vec<&str> = paragraphs.collect();
    let mut instead = Vec::new();
    if let Some(i) = &r.instead {
        instead.push(format!("`{i}`"));
    }
    if !rest.is_empty() {
        instead.push(rest.join("\n\n"));
    }
    if let Some(s) = &r.sanctioned {
        instead.push(match &s.docs {
            Some(docs) => format!("Sanctioned library: [`{}`]({docs}).", s.name),
            None => format!("Sanctioned library: `{}`.", s.name),
        });
    }
    if !r.fixes.is_empty() {
        let titles: Vec<String> = r.fixes.iter().map(|f| format!("*{}*", f.title)).collect();
        instead.push(format!(
            "Quick fix: {} (`gavel check --fix` applies the first).",
            titles.join(", ")
        ));
    }
    if !instead.is_empty() {
        let _ = writeln!(out, "**Instead.** {}\n", instead.join("\n\n"));
    }

    let examples = &r.examples;
    if examples.bad.is_empty() && examples.good.is_empty() && examples.fixed.is_empty() {
        return;
    }
    out.push_str("**Examples.**\n\n");
    for (title, list) in [("Flagged", &examples.bad), ("Not flagged", &examples.good)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}:\n");
        for e in list {
            code_block(out, lang, &e.text);
        }
    }
    for f in &examples.fixed {
        out.push_str("Fixed, before:\n\n");
        code_block(out, lang, &f.before);
        out.push_str("after:\n\n");
        code_block(out, lang, &f.after);
    }
}

fn fence_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::Python => "python",
        Lang::Rust => "rust",
    }
}

/// A fenced code block; one longer than [`LONG_EXAMPLE`] lines is collapsed.
fn code_block(out: &mut String, lang: &str, text: &str) {
    let mut fence = "```".to_string();
    while text.contains(&fence) {
        fence.push('`');
    }
    let text = text.trim_end_matches('\n');
    let lines = text.lines().count();
    let long = lines > LONG_EXAMPLE;
    if long {
        let _ = writeln!(out, "<details><summary>{lines} lines</summary>\n");
    }
    let _ = writeln!(out, "{fence}{lang}\n{text}\n{fence}\n");
    if long {
        out.push_str("</details>\n\n");
    }
}

const LONG_EXAMPLE: usize = 30;

/// A table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// Inline code that survives backticks in the text.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn names(patterns: &[QualPattern], lang: Lang) -> String {
    let list: Vec<String> = patterns.iter().map(|p| code(&p.written(lang))).collect();
    list.join(", ")
}

/// One matcher in words: "calls to `subprocess.*` with `shell` = `True` or `1`".
fn describe(m: &Matcher, lang: Lang) -> String {
    let mut s = match &m.kind {
        MatchKind::Import(p) => format!("imports of {}", names(p, lang)),
        MatchKind::Call(p) => format!("calls to {}", names(p, lang)),
        MatchKind::Reference(p) => format!("uses of {}", names(p, lang)),
        MatchKind::Method(ms) => {
            let list: Vec<String> = ms.iter().map(|m| code(&format!(".{m}()"))).collect();
            format!("method calls {}", list.join(", "))
        }
        MatchKind::Macro(ms) => {
            let list: Vec<String> = ms.iter().map(|m| code(&format!("{m}!"))).collect();
            format!("invocations of {}", list.join(", "))
        }
        MatchKind::Pattern(p) => {
            let mut s = format!("code matching the pattern {}", code(p.source.trim()));
            if !p.inside.is_empty() {
                s.push_str(" inside given code");
            }
            if !p.not_inside.is_empty() {
                s.push_str(" (except inside given code)");
            }
            s
        }
        MatchKind::Query(_) => "code matching a tree-sitter query".to_string(),
        MatchKind::Regex(r) => {
            let within = match r.within {
                RegexIn::Any => "text",
                RegexIn::String => "string literals",
                RegexIn::Comment => "comments",
            };
            format!("{within} matching the regex {}", code(r.regex.as_str()))
        }
        MatchKind::Metric(m) => format!(
            "functions whose {} is over {}",
            code(m.metric.name()),
            m.max
        ),
    };
    s.push_str(&constraints(&m.constraints));
    s
}

fn constraints(c: &CallConstraints) -> String {
    let mut parts = Vec::new();
    for (name, test) in &c.kwargs {
        parts.push(match test {
            KwargTest::Present => format!("with {}", code(name)),
            KwargTest::OneOf(values) => {
                let values: Vec<String> = values.iter().map(|v| code(v)).collect();
                format!("with {} = {}", code(name), values.join(" or "))
            }
            KwargTest::Regex(r) => {
                format!("with {} matching {}", code(name), code(r.as_str()))
            }
        });
    }
    if !c.missing_kwargs.is_empty() {
        let list: Vec<String> = c.missing_kwargs.iter().map(|k| code(k)).collect();
        parts.push(format!("without {}", list.join(" or ")));
    }
    for (i, r) in &c.arg_regex {
        parts.push(format!("whose argument {i} matches {}", code(r.as_str())));
    }
    for i in &c.arg_not_literal {
        parts.push(format!("whose argument {i} is not a literal"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(", "))
    }
}
