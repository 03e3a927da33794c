//! The bridge to ast-grep-core, which gives gavel structural patterns with metavariables.
//!
//! `$` is not an identifier character in Python or Rust, so, as ast-grep does, metavariables are
//! rewritten to the expando character `µ` before a pattern is parsed.

use std::borrow::Cow;

use ast_grep_core::{
    Language, Pattern, PatternError,
    matcher::PatternBuilder,
    tree_sitter::{LanguageExt, StrDoc, TSLanguage},
};

use crate::Lang;

const EXPANDO: char = 'µ';

/// A [`Lang`] as an ast-grep language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SgLang(pub Lang);

impl SgLang {
    /// Compile a pattern, or say why it is not one.
    pub fn pattern(self, src: &str) -> Result<Pattern, PatternError> {
        Pattern::try_new(src, self)
    }
}

impl Language for SgLang {
    fn pre_process_pattern<'q>(&self, query: &'q str) -> Cow<'q, str> {
        if query.contains('$') {
            Cow::Owned(query.replace('$', &EXPANDO.to_string()))
        } else {
            Cow::Borrowed(query)
        }
    }

    fn expando_char(&self) -> char {
        EXPANDO
    }

    fn kind_to_id(&self, kind: &str) -> u16 {
        self.get_ts_language().id_for_node_kind(kind, true)
    }

    fn field_to_id(&self, field: &str) -> Option<u16> {
        self.get_ts_language()
            .field_id_for_name(field)
            .map(|f| f.get())
    }

    fn build_pattern(&self, builder: &PatternBuilder) -> Result<Pattern, PatternError> {
        builder.build(|src| StrDoc::try_new(src, *self))
    }
}

impl LanguageExt for SgLang {
    fn get_ts_language(&self) -> TSLanguage {
        self.0.ts_language()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ast_grep_core::{matcher::MatcherExt, tree_sitter::LanguageExt};

    fn matches(lang: Lang, pattern: &str, src: &str) -> Vec<String> {
        let pattern = SgLang(lang).pattern(pattern).unwrap();
        let root = SgLang(lang).ast_grep(src);
        root.root()
            .dfs()
            .filter_map(|n| pattern.match_node(n))
            .map(|m| m.get_node().text().to_string())
            .collect()
    }

    #[test]
    fn metavariables_in_both_languages() {
        assert_eq!(
            matches(Lang::Python, "eval($X)", "eval(a + 1)\nprint(eval(b))\n"),
            ["eval(a + 1)", "eval(b)"]
        );
        assert_eq!(
            matches(
                Lang::Rust,
                "$X.unwrap()",
                "fn f() { a.unwrap(); b.expect(\"x\"); }"
            ),
            ["a.unwrap()"]
        );
        assert_eq!(
            matches(Lang::Python, "f($$$A)", "f()\nf(1, 2)\n"),
            ["f()", "f(1, 2)"]
        );
    }
}
