//! `gavel rules`: the loaded rules, one per line: id, language, severity, category, pack.

use crate::cli::ConfigArgs;

pub fn run(args: ConfigArgs) -> u8 {
    let config = match super::cwd_config(args.config.as_ref()) {
        Ok(c) => c,
        Err(code) => return code as u8,
    };
    let failed = super::report_config_errors(&config);
    let rows: Vec<[String; 5]> = config
        .rules
        .rules
        .iter()
        .map(|r| {
            [
                r.rule.id.clone(),
                r.rule.language.to_string(),
                r.severity.to_string(),
                r.rule.category.clone(),
                r.rule.pack.clone(),
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
    if failed { 2 } else { 0 }
}
