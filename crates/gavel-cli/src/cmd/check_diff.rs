//! `gavel check --diff` (SPEC 5, as ruff has it): the preferred fixes as a unified diff on
//! stdout, per file, and nothing written. Exit 1 when there is a diff.

use std::sync::Mutex;

use gavel_engine::FileReport;
use gavel_workspace::{Fixed, Source};
use imara_diff::{Algorithm, BasicLineDiffPrinter, Diff, InternedInput, UnifiedDiffConfig};

/// The diffs found so far: the file as reports show it, and its diff.
pub type Diffs = Mutex<Vec<(String, String)>>;

/// Fix `text` in memory and keep its diff in `diffs`; the file is left as it is, and the report
/// is of the text as it is (what `check` would say before `--fix`).
pub fn diff_file(diffs: &Diffs, source: &Source<'_>, text: String, report: FileReport) -> Fixed {
    let done = source.fix(&text, report.clone());
    for p in &done.problems {
        eprintln!("warning: {}: {p}", source.display);
    }
    if done.text != text {
        let diff = unified(source.display, &text, &done.text);
        diffs
            .lock()
            .expect("not poisoned")
            .push((source.display.to_string(), diff));
    }
    Fixed::unchanged(text, report)
}

/// `--- a/PATH`, `+++ b/PATH`, then the hunks with three lines of context.
pub fn unified(path: &str, before: &str, after: &str) -> String {
    let input = InternedInput::new(before, after);
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    let hunks = diff
        .unified_diff(
            &BasicLineDiffPrinter(&input.interner),
            UnifiedDiffConfig::default(),
            &input,
        )
        .to_string();
    format!("--- a/{path}\n+++ b/{path}\n{hunks}")
}

/// Print the diffs, sorted by file; how many files would change.
pub fn print(diffs: Diffs) -> usize {
    let mut all = diffs.into_inner().expect("not poisoned");
    all.sort();
    let out: String = all.iter().map(|(_, d)| d.as_str()).collect();
    crate::output::emit(&out);
    all.len()
}
