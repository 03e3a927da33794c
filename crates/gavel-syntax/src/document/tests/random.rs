//! Random edit sequences: the rope against a `String` model and the tree against a fresh parse.

use super::*;

/// A tiny deterministic PRNG (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PYTHON_SEED: &str = "import os\r\n\r\ndef greet(name):\r\n    \"\"\"Say 😀 hi.\"\"\"\r\n    \
    if name:\r\n        return f\"hi {name}\"  # é\r\n    return None\r\n\r\nclass A:\r\n    \
    x = [1, 2,\r\n         3]\r\n";

const RUST_SEED: &str = "use std::fmt;\n\n/// Docs 😀.\nfn main() {\n    let s = \"é😀\";\n    \
    if s.is_empty() {\n        println!(\"{}\", s);\n    }\n}\n\nstruct P { x: i32 }\n";

const PIECES: &[&str] = &[
    "x",
    "1",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "é",
    "(",
    ")",
    ":",
    ",",
    "\"",
    "'",
    "#",
    "//",
    "{",
    "}",
    ";",
    "    ",
    "/* c */",
    "def f(a):\n    return a\n",
    "fn g() -> u8 { 1 }\r\n",
    "if x:\r\n    pass\n",
    "let s = \"😀\";\n",
    "# note 😀\n",
    "class B:\n    y = 2\n",
];

fn random_text(rng: &mut Rng, max_pieces: usize) -> String {
    (0..rng.below(max_pieces + 1))
        .map(|_| *rng.pick(PIECES))
        .collect()
}

/// A position, sometimes past the end of its line or of the text, or inside a character.
fn random_pos(rng: &mut Rng, text: &str, enc: WideEncoding) -> LineCol {
    let index = LineIndex::new(text);
    let line = rng.below(index.line_count() + 2);
    let width = match line < index.line_count() {
        true => {
            index
                .line_col(text, index.line_range(text, line).end, enc)
                .col as usize
        }
        false => 0,
    };
    at(line as u32, rng.below(width + 3) as u32)
}

/// Make a random change to `model` and return it.
fn random_change(
    rng: &mut Rng,
    model: &mut String,
    enc: WideEncoding,
) -> (Option<[LineCol; 2]>, String) {
    if rng.below(25) == 0 {
        let text = random_text(rng, 8);
        model.clone_from(&text);
        return (None, text);
    }
    let index = LineIndex::new(model);
    let (start, end) = (random_pos(rng, model, enc), random_pos(rng, model, enc));
    let end = if rng.below(3) == 0 { start } else { end };
    let (a, b) = (
        index.offset(model, start, enc),
        index.offset(model, end, enc),
    );
    let text = random_text(rng, 3);
    model.replace_range(a.min(b)..a.max(b), &text);
    (Some([start, end]), text)
}

/// The tree-sitter point of a byte offset, counted on a string.
fn naive_point(text: &str, byte: usize) -> Point {
    let before = &text.as_bytes()[..byte];
    let row_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Point {
        row: before.iter().filter(|&&b| b == b'\n').count(),
        column: byte - row_start,
    }
}

fn check_report(before: &str, after: &str, applied: &Applied) {
    let edited = &applied.edited;
    assert!(
        edited.windows(2).all(|w| w[0].end < w[1].start),
        "{edited:?}"
    );
    if let (Some(first), Some(last)) = (edited.first(), edited.last()) {
        assert_eq!(
            after[..first.start],
            before[..first.start],
            "text before the first edit"
        );
        let suffix = &after[last.end..];
        assert!(before.ends_with(suffix) && before.len() - suffix.len() >= first.start);
    }
    for span in &applied.changes {
        assert!(span.bytes.start <= span.bytes.end && span.bytes.end <= after.len());
        assert!(
            edited
                .iter()
                .any(|e| e.start <= span.bytes.start && span.bytes.end <= e.end)
        );
    }
}

/// Nodes that an edit leaves alone keep correct points once the edits are described to the
/// tree: this checks the points given to `Tree::edit`, which a fresh-parse comparison can't see.
fn check_edited_tree_points(doc: &Document, changes: &[Change<'_>], enc: WideEncoding) {
    if changes.iter().any(|c| matches!(c, Change::Full(_))) || doc.is_stale() {
        return;
    }
    let mut probe = doc.clone();
    for change in changes {
        probe.apply_change(change, enc, true);
    }
    let text = probe.text();
    let mut cursor = probe.tree.walk();
    loop {
        let node = cursor.node();
        if !node.has_changes() {
            assert_eq!(
                node.start_position(),
                naive_point(&text, node.start_byte()),
                "{node:?}"
            );
            assert_eq!(
                node.end_position(),
                naive_point(&text, node.end_byte()),
                "{node:?}"
            );
        }
        if (node.has_changes() && cursor.goto_first_child()) || cursor.goto_next_sibling() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// A random batch of 1 to 3 changes, made to `model` too.
fn random_batch(
    rng: &mut Rng,
    model: &mut String,
    enc: WideEncoding,
) -> Vec<(Option<[LineCol; 2]>, String)> {
    (0..1 + rng.below(3))
        .map(|_| random_change(rng, model, enc))
        .collect()
}

fn as_changes(owned: &[(Option<[LineCol; 2]>, String)]) -> Vec<Change<'_>> {
    owned
        .iter()
        .map(|(range, text)| match range {
            Some([start, end]) => Change::Ranged {
                start: *start,
                end: *end,
                text,
            },
            None => Change::Full(text),
        })
        .collect()
}

/// Random batches of changes keep the rope equal to a `String` edited the same way (positions
/// resolved by `LineIndex`), and the incremental tree equal to a fresh parse.
#[test]
fn random_edits_match_a_string_model_and_a_fresh_parse() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // `GAVEL_DIFF_SEQUENCES` runs more (`scripts/differential.sh`).
    let sequences = std::env::var("GAVEL_DIFF_SEQUENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let (mut checked, mut recovered_differently) = (0, 0);
    for sequence in 0..sequences {
        let (lang, seed) = match sequence % 2 {
            0 => (Lang::Python, PYTHON_SEED),
            _ => (Lang::Rust, RUST_SEED),
        };
        let mut doc = Document::new(lang, seed, 0);
        let mut model = seed.to_string();
        for version in 1..=4 {
            let enc = *rng.pick(&[Utf8, Utf16, Scalar]);
            let before = model.clone();
            let owned = random_batch(&mut rng, &mut model, enc);
            let changes = as_changes(&owned);
            let incremental = rng.below(8) != 0;
            check_edited_tree_points(&doc, &changes, enc);
            let applied = doc
                .apply(version, &changes, enc, incremental, None)
                .unwrap();
            let context = format!("sequence {sequence} version {version}: {changes:?}");
            assert_eq!(doc.text(), model, "{context}");
            recovered_differently += usize::from(!matches_fresh_parse(&doc, false));
            checked += 1;
            check_report(&before, &model, &applied);
            let scratch = !incremental || owned.iter().any(|(range, _)| range.is_none());
            assert_eq!(
                applied.reparse == Reparse::FromScratch,
                scratch,
                "{context}"
            );
            let lone = model
                .match_indices('\r')
                .filter(|(i, _)| !model[i + 1..].starts_with('\n'));
            assert_eq!(doc.lone_crs, lone.count(), "{context}");
            let mut byte = rng.below(model.len() + 1);
            while !model.is_char_boundary(byte) {
                byte -= 1;
            }
            assert_eq!(doc.point(byte), naive_point(&model, byte), "{context}");
        }
    }
    println!(
        "{checked} trees compared with a fresh parse; {recovered_differently} broken ones \
         recovered differently"
    );
    // Error recovery differing is rare; a sound tree differing is a failure above.
    assert!(
        recovered_differently * 200 <= checked,
        "{recovered_differently} of {checked}"
    );
}
