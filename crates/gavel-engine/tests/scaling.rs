//! Memory linear in the file's size for every construct that once cost the square of it:
//! each generated file is checked with every built-in rule at 1,000 and at 8,000 items, and the
//! heap a check takes beyond the syntax tree at its peak is counted by a counting allocator
//! (peak_alloc), which gives the same figures on every run. Time is measured by
//! `bench/scaling.sh`, which prints it.

use gavel_engine::{ActiveRule, FileInput, Options, RuleSet};
use gavel_policy::{SourceFile, builtin::PACKS, parse_pack};
use gavel_syntax::{Lang, parse};
use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// The constructs: a name, the language, and a generator of `n` items.
type Construct = (&'static str, Lang, fn(usize) -> String);

const CONSTRUCTS: &[Construct] = &[
    ("cfg glob uses", Lang::Rust, |n| {
        (0..n)
            .map(|i| format!("#[cfg(feature = \"f{i}\")]\npub use m{i}::*;\n"))
            .collect()
    }),
    ("glob uses", Lang::Rust, |n| {
        (0..n).map(|i| format!("use m{i}::*;\n")).collect()
    }),
    ("named uses and calls", Lang::Rust, |n| {
        let uses: String = (0..n).map(|i| format!("use a{i}::b{i}::c{i};\n")).collect();
        let calls: String = (0..n).map(|i| format!(" c{i}();")).collect();
        format!("{uses}fn f() {{{calls} }}\n")
    }),
    ("nested vec!", Lang::Rust, |n| {
        format!(
            "fn f() {{ let v = {}1{}; }}\n",
            "vec![".repeat(n),
            "]".repeat(n)
        )
    }),
    ("nested blocks", Lang::Rust, |n| {
        format!("fn f() {}{}\n", "{".repeat(n), "}".repeat(n))
    }),
    ("unwrap chain", Lang::Rust, |n| {
        format!("fn f() {{ x{}; }}\n", ".unwrap()".repeat(n))
    }),
    ("modules with use super::*", Lang::Rust, |n| {
        (0..n)
            .map(|i| format!("mod m{i} {{ use super::*; fn g() {{ x.unwrap(); }} }}\n"))
            .collect()
    }),
    ("macros with calls", Lang::Rust, |n| {
        let body: String = (0..n)
            .map(|i| format!("    println!(\"{{}}\", x{i}.unwrap());\n"))
            .collect();
        format!("fn f() {{\n{body}}}\n")
    }),
    ("eval on one line", Lang::Python, |n| {
        format!("{}\n", "eval(x);".repeat(n))
    }),
    ("nested eval", Lang::Python, |n| {
        format!("{}x{}\n", "eval(".repeat(n), ")".repeat(n))
    }),
    ("method chain", Lang::Python, |n| {
        format!("x{}\n", ".strip()".repeat(n))
    }),
    ("module-level names", Lang::Python, |n| {
        let defs: String = (0..n)
            .map(|i| format!("x{i} = os.getcwd()\ndef f{i}(a):\n    return x{i} + eval(a)\n"))
            .collect();
        format!("import os\n{defs}")
    }),
    ("star imports", Lang::Python, |n| {
        let stars: String = (0..n).map(|i| format!("from m{i} import *\n")).collect();
        format!("{stars}run(x)\n")
    }),
    ("imports and calls", Lang::Python, |n| {
        (0..n).map(|i| format!("import m{i}\nm{i}.f()\n")).collect()
    }),
    ("nested ifs", Lang::Python, |n| {
        let ifs: String = (0..n)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect();
        format!("{ifs}{}eval(x)\n", " ".repeat(n))
    }),
];

/// The peak heap a check took beyond the text and its tree, in bytes.
fn peak(rules: &RuleSet, lang: Lang, text: &str) -> usize {
    let tree = parse(lang, text);
    let path = match lang {
        Lang::Python => "pkg/mod.py",
        Lang::Rust => "src/lib.rs",
    };
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let report = rules.check(&FileInput {
        source: text,
        tree: &tree,
        lang,
        path,
    });
    let peak = HEAP.peak_usage().saturating_sub(base);
    drop(report);
    peak
}

/// Bytes per source byte a check may take at its peak, beyond the tree. Today's worst is about
/// 190 (a nested `eval(` per 6 bytes: a finding, a call fact and a resolved name each); the
/// issue's budget of 30 is not met yet, so this bound catches regressions, and the test's
/// output (`--nocapture`) gives every construct's figure.
const PEAK_PER_BYTE: usize = 256;

#[test]
fn memory_is_linear_in_the_file_for_every_construct() {
    let rules: Vec<ActiveRule> = PACKS
        .iter()
        .flat_map(|(name, text)| {
            let file = SourceFile::new(format!("builtin:{name}"), *text);
            parse_pack(&file).expect("built-in packs compile").rules
        })
        .map(ActiveRule::new)
        .collect();
    let rules = RuleSet::new(rules, Options::default()).expect("rule set");
    let mut report = String::new();
    let mut failed = false;
    for &(name, lang, make) in CONSTRUCTS {
        let (small, large) = (make(1_000), make(8_000));
        let (peak_s, peak_l) = (peak(&rules, lang, &small), peak(&rules, lang, &large));
        let per_byte = peak_l / large.len();
        // Linear: per source byte, 8 times the items may take at most 1.5 times as much as
        // 1,000 (room for growth by doubling); the square of the size would take 8 times.
        let ratio = (peak_l as f64 / large.len() as f64) / (peak_s as f64 / small.len() as f64);
        let ok = per_byte <= PEAK_PER_BYTE && ratio <= 1.5;
        failed |= !ok;
        report.push_str(&format!(
            "{} {name}: {} KB, peak {} KB beyond the tree ({per_byte} B per byte, {ratio:.2}x the 1,000-item file's)\n",
            if ok { "ok  " } else { "FAIL" },
            large.len() / 1024,
            peak_l / 1024,
        ));
    }
    assert!(!failed, "\n{report}");
    println!("{report}");
}
