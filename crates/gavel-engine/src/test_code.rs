//! Test code (SPEC 1.3), for rules with `skip_tests = true`: Python `test_*.py`, `*_test.py`,
//! files under `tests/` and `test_*` functions; Rust `tests/` directories, `#[test]` functions
//! and items under any `#[cfg(..)]` whose predicate involves `test`.

use std::ops::Range;

use gavel_syntax::Lang;

use crate::facts::Facts;

/// Is the whole file test code, by its path?
pub fn is_test_path(lang: Lang, path: &str) -> bool {
    let mut parts = path.split('/');
    let file = parts.next_back().unwrap_or_default();
    let in_tests = path
        .split('/')
        .rev()
        .skip(1)
        .any(|d| d == "tests" || (lang == Lang::Python && d == "test"));
    in_tests
        || match lang {
            Lang::Python => {
                (file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py")
                    && file.ends_with(".py")
            }
            Lang::Rust => false,
        }
}

/// The byte ranges of test functions and test-only items in a file.
pub(crate) fn test_ranges(lang: Lang, facts: &Facts<'_>) -> Vec<Range<usize>> {
    match lang {
        Lang::Python => facts
            .functions
            .iter()
            .filter(|f| {
                f.field("name")
                    .is_some_and(|n| n.text().starts_with("test_"))
            })
            .map(|f| f.range())
            .collect(),
        Lang::Rust => facts
            .attributes
            .iter()
            .filter(|a| a.unit.is_file() && is_test_attribute(a.text()))
            .filter_map(|a| {
                if a.kind() == "inner_attribute_item" {
                    return a.parent().map(|p| p.range());
                }
                // The item an outer attribute belongs to is its next non-attribute sibling.
                let mut next = a.node.next_named_sibling();
                while let Some(n) = next {
                    if !matches!(
                        n.kind(),
                        "attribute_item" | "line_comment" | "block_comment"
                    ) {
                        return Some(a.range().start..a.with(n).range().end);
                    }
                    next = n.next_named_sibling();
                }
                None
            })
            .collect(),
    }
}

fn is_test_attribute(text: &str) -> bool {
    let inner: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = inner.trim_start_matches("#!").trim_start_matches('#');
    let inner = inner.trim_start_matches('[').trim_end_matches(']');
    if inner == "test" || inner.ends_with("::test") || inner == "rstest" {
        return true;
    }
    if let Some(pred) = inner.strip_prefix("cfg(") {
        return has_word(pred, "test") && !pred.contains("not(test)");
    }
    false
}

fn has_word(s: &str, word: &str) -> bool {
    s.match_indices(word).any(|(i, _)| {
        let before = s[..i].chars().next_back();
        let after = s[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths_and_attributes() {
        assert!(is_test_path(Lang::Python, "tests/api.py"));
        assert!(is_test_path(Lang::Python, "pkg/test_api.py"));
        assert!(is_test_path(Lang::Python, "pkg/api_test.py"));
        assert!(!is_test_path(Lang::Python, "pkg/contest.py"));
        assert!(is_test_path(Lang::Rust, "tests/it.rs"));
        assert!(!is_test_path(Lang::Rust, "src/testing.rs"));
        assert!(is_test_attribute("#[test]"));
        assert!(is_test_attribute("#[tokio::test]"));
        assert!(is_test_attribute("#[cfg(all(test, unix))]"));
        assert!(!is_test_attribute("#[cfg(not(test))]"));
        assert!(!is_test_attribute("#[cfg(feature = \"testing\")]"));
    }
}
