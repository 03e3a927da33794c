//! The languages gavel checks, and how to recognise their files.

use std::{collections::HashMap, fmt, num::NonZeroU16, path::Path, sync::OnceLock};

/// A language gavel can parse and check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Python,
    Rust,
}

impl Lang {
    /// Every supported language.
    pub const ALL: [Lang; 2] = [Lang::Python, Lang::Rust];

    /// The language of a file, by its extension.
    pub fn from_path(path: &Path) -> Option<Lang> {
        match path.extension()?.to_str()? {
            "py" | "pyi" => Some(Lang::Python),
            "rs" => Some(Lang::Rust),
            _ => None,
        }
    }

    /// The language named in a policy (`"python"`, `"rust"`).
    pub fn from_name(name: &str) -> Option<Lang> {
        match name {
            "python" => Some(Lang::Python),
            "rust" => Some(Lang::Rust),
            _ => None,
        }
    }

    /// The name used in policies and output.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::Rust => "rust",
        }
    }

    /// The tree-sitter grammar.
    pub fn ts_language(self) -> tree_sitter::Language {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
        }
    }

    /// The id of a field of the grammar, by name: what `Node::child_by_field_name` looks up
    /// on every call by comparing the name with each field's, here a hash lookup.
    pub fn field_id(self, name: &str) -> Option<NonZeroU16> {
        static FIELDS: [OnceLock<HashMap<String, NonZeroU16>>; 2] =
            [OnceLock::new(), OnceLock::new()];
        FIELDS[self as usize]
            .get_or_init(|| {
                let ts = self.ts_language();
                (1..=ts.field_count() as u16)
                    .filter_map(|id| {
                        Some((ts.field_name_for_id(id)?.to_owned(), NonZeroU16::new(id)?))
                    })
                    .collect()
            })
            .get(name)
            .copied()
    }

    /// The marker that starts a line comment.
    pub fn line_comment(self) -> &'static str {
        match self {
            Lang::Python => "#",
            Lang::Rust => "//",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Canonical form of a qualified name: for Rust, `core::`/`alloc::` are `std::`, and
/// `std::collections::hash_map::HashMap` is `std::collections::HashMap`. For Python,
/// `builtins.eval` is `eval`.
pub fn canonical_path(lang: Lang, mut path: Vec<String>) -> Vec<String> {
    if lang == Lang::Python && path.len() > 1 && path[0] == "builtins" {
        path.remove(0);
    }
    if lang == Lang::Rust {
        if matches!(path.first().map(String::as_str), Some("core" | "alloc")) {
            path[0] = "std".into();
        }
        if path.len() >= 4 && path[0] == "std" && path[1] == "collections" {
            let inner = path[2].as_str();
            if matches!(
                inner,
                "hash_map"
                    | "hash_set"
                    | "btree_map"
                    | "btree_set"
                    | "vec_deque"
                    | "binary_heap"
                    | "linked_list"
            ) && path[3].chars().next().is_some_and(char::is_uppercase)
            {
                path.remove(2);
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ABI mismatch between tree-sitter and a grammar only shows at runtime.
    #[test]
    fn every_grammar_loads() {
        for lang in Lang::ALL {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&lang.ts_language())
                .unwrap_or_else(|e| panic!("{lang}: {e}"));
            let tree = parser.parse("x", None).expect("parse");
            assert!(tree.root_node().child_count() > 0, "{lang}");
        }
    }

    /// Every field name maps to the id tree-sitter gives it.
    #[test]
    fn field_ids_are_tree_sitters() {
        for lang in Lang::ALL {
            let ts = lang.ts_language();
            for id in 1..=ts.field_count() as u16 {
                let name = ts.field_name_for_id(id).expect("name");
                assert_eq!(
                    lang.field_id(name),
                    ts.field_id_for_name(name),
                    "{lang} {name}"
                );
            }
            assert_eq!(lang.field_id("no_such_field"), None);
        }
    }

    #[test]
    fn languages_by_path() {
        assert_eq!(Lang::from_path(Path::new("a/b.py")), Some(Lang::Python));
        assert_eq!(Lang::from_path(Path::new("lib.rs")), Some(Lang::Rust));
        assert_eq!(Lang::from_path(Path::new("README.md")), None);
    }
}
