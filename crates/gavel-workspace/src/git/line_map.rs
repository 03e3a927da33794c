//! Which lines of a new text are unchanged copies of which lines of an old one.
//!
//! An editor compares the whole buffer with the base blob at every keystroke, so the common
//! prefix and suffix (whole lines; like git's xdiff, which trims them too) are matched by a
//! byte comparison, and only the lines between go through imara-diff's histogram diff. Typing
//! into a 10,000-line file then diffs a line or two.

use imara_diff::{Algorithm, Diff, InternedInput};

/// For each line of `after` (`\n`-separated; `a\n` has two lines), the line of `before` it is
/// an unchanged copy of, or `None` when the diff adds it.
pub fn line_map(before: &[u8], after: &[u8]) -> Vec<Option<usize>> {
    let (b, a) = (before, after);
    let prefix = b.iter().zip(a).take_while(|(x, y)| x == y).count();
    // Whole lines only: up to and including the last newline of the common prefix.
    let prefix = b[..prefix]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let max_suffix = (b.len() - prefix).min(a.len() - prefix);
    let suffix = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    // Whole lines only: from just after the first newline of the common suffix.
    let suffix = match a[a.len() - suffix..].iter().position(|&c| c == b'\n') {
        Some(i) => suffix - i - 1,
        None => 0,
    };
    let before_mid = &before[prefix..before.len() - suffix];
    let after_mid = &after[prefix..after.len() - suffix];
    let first = lines(&b[..prefix]);
    let count = lines(a) + 1;
    let mut out: Vec<Option<usize>> = (0..first).map(Some).collect();
    out.extend(
        middle(before_mid, after_mid)
            .into_iter()
            .map(|m| m.map(|l| l + first)),
    );
    let (b_next, a_next) = (first + lines(before_mid), out.len());
    out.extend((a_next..count).map(|l| Some(b_next + (l - a_next))));
    out.truncate(count);
    out
}

/// Lines as gavel counts them, less one: the newlines.
pub fn lines(text: &[u8]) -> usize {
    text.iter().filter(|&&c| c == b'\n').count()
}

/// `line_map` of two texts without trimming, one entry per imara-diff token of `after`.
fn middle(before: &[u8], after: &[u8]) -> Vec<Option<usize>> {
    let input = InternedInput::new(before, after);
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut out = vec![None; input.after.len()];
    let (mut b, mut a) = (0u32, 0u32);
    let mut copy = |from: u32, to: u32, len: u32| {
        for k in 0..len {
            out[(to + k) as usize] = Some((from + k) as usize);
        }
    };
    for hunk in diff.hunks() {
        copy(b, a, hunk.before.start - b);
        b = hunk.before.end;
        a = hunk.after.end;
    }
    copy(b, a, input.after.len() as u32 - a);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The map as one char per line of `after`: the old line number, or `+` for an added line.
    fn check(before: &str, after: &str, expect: &str) {
        let got: String = line_map(before.as_bytes(), after.as_bytes())
            .iter()
            .map(|m| m.map_or('+', |l| char::from_digit(l as u32, 36).unwrap()))
            .collect();
        assert_eq!(got, expect, "{before:?} -> {after:?}");
    }

    #[test]
    fn maps_unchanged_lines_through_edits() {
        check("a\nb\nc\n", "a\nb\nc\n", "0123");
        check("a\nb\nc\n", "a\nB\nc\n", "0+23");
        check("a\nb\nc\n", "x\na\nb\nc\n", "+0123");
        check("a\nb\nc\n", "a\nb\nc\nd\n", "012+3");
        check("a\nb\nc\n", "a\nc\n", "023");
        check("a\nbc\nd\n", "a\nbXc\nd\n", "0+23");
        check("", "a\n", "+0");
        check("a\n", "", "1");
        check("ab\nab\n", "ab\nab\nab\n", "01+2");
        check("a\nb", "a\nbc", "0+");
    }
}
