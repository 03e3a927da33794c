//! Fingerprints (SPEC 8): a finding's identity that survives lines added or removed above it. It
//! hashes the rule, the file's path (relative to its config's directory, with `/`), the text the
//! finding covers with whitespace runs made one space, and its occurrence number among the
//! findings of that rule with that same text in the file. SHA-256, the first 16 hex digits.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use gavel_engine::Finding;

use super::Located;

/// Fill in each finding's fingerprint; `findings` are one file's, in position order.
pub fn assign(findings: &mut [Located], rel_path: &str, text: &str) {
    let prints = fingerprints(findings.iter().map(|l| &l.finding), rel_path, text);
    for (l, p) in findings.iter_mut().zip(prints) {
        l.fingerprint = p;
    }
}

/// The fingerprint of each of one file's findings (in position order), `rel_path` relative to
/// the file's config directory.
pub fn fingerprints<'a>(
    findings: impl Iterator<Item = &'a Finding>,
    rel_path: &str,
    text: &str,
) -> Vec<String> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    findings
        .map(|f| {
            let start = f.range.start.min(text.len());
            let end = f.range.end.clamp(start, text.len());
            let covered = text.get(start..end).unwrap_or("");
            let normal = covered.split_whitespace().collect::<Vec<_>>().join(" ");
            let n = seen.entry((f.rule_id.clone(), normal.clone())).or_insert(0);
            *n += 1;
            of(&f.rule_id, rel_path, &normal, *n)
        })
        .collect()
}

fn of(rule: &str, path: &str, text: &str, occurrence: usize) -> String {
    let mut h = Sha256::new();
    for part in [rule, path, text, &occurrence.to_string()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_across_moves_distinct_across_repeats() {
        let a = of("r", "a.py", "eval(x)", 1);
        assert_eq!(a, of("r", "a.py", "eval(x)", 1));
        assert_eq!(a.len(), 16);
        assert_ne!(a, of("r", "a.py", "eval(x)", 2));
        assert_ne!(a, of("r", "b.py", "eval(x)", 1));
        assert_ne!(a, of("s", "a.py", "eval(x)", 1));
        // The parts are separated: "ab"+"c" is not "a"+"bc".
        assert_ne!(of("ab", "c", "", 1), of("a", "bc", "", 1));
    }
}
