//! Which Rust macro invocations are worth parsing. tree-sitter leaves a macro's arguments as a
//! token tree, and gavel parses them again as Rust to find the calls written inside; that
//! parse costs as much as the file's own. A macro whose arguments hold none of the words a rule
//! could match there is skipped.
//!
//! The words, per rule: the last segment of each `call`, `reference` and `import` name (what a
//! call site or path writes, unless an import renames it), the `method` and `macro` names, and
//! the longest word of a `pattern` outside its metavariables (every word of a pattern must be
//! written in the code it matches). A rule with no such word (`query`, `metric`, a `call` with
//! `*`) makes every macro worth parsing. Always wanted: `use` and `extern` (imports inside a
//! macro bind names for the whole file), and every name an import of the file renames with
//! `as` (`use std::mem::transmute as t;` makes `t(..)` a call of `transmute`). A glob import
//! (`use a::*;`) has every macro parsed when an `import` rule names `a` or a module above it:
//! any name written may then resolve below the rule's path. A glob of a module below the rule's
//! path, or beside it, needs no more than the words: a name resolving below the rule's path
//! through it still writes the rule's last segment. Whether a glob reaches a rule is told from
//! its text (it writes every segment of the rule's path after the first; `self`, `super` and
//! `crate` reach the rules on `crate::` paths). A rule with a `rename_to` fix also makes every
//! macro worth parsing: the fix renames every use.

use std::collections::HashSet;

use gavel_policy::{MatchKind, QualPattern, Rule};

/// The words that make a macro worth parsing, or `None`: every macro is.
#[derive(Debug, Default)]
pub(crate) struct MacroWords {
    words: Option<HashSet<String>>,
    /// The paths of the `import` rules. A glob import (`use a::*;`) binds every name it does
    /// not know, so that any path may resolve below `a`.
    import_paths: Vec<Vec<String>>,
}

/// What a file's imports add: the names they rename, and whether one is a glob.
#[derive(Default)]
pub(crate) struct Renames {
    pub names: HashSet<String>,
    pub glob: bool,
}

impl Renames {
    pub fn add(&mut self, import_text: &str, words: &MacroWords) {
        self.names.extend(renamed(import_text).map(str::to_string));
        self.glob |= import_text.contains('*') && words.glob_may_reach(import_text);
    }

    /// A size that grows whenever something is added.
    pub fn size(&self) -> usize {
        self.names.len() + usize::from(self.glob)
    }
}

impl MacroWords {
    /// The words of a language's active rules.
    pub fn of<'r>(rules: impl IntoIterator<Item = &'r Rule>) -> MacroWords {
        let every = MacroWords {
            words: None,
            import_paths: Vec::new(),
        };
        let mut words: HashSet<String> = ["use", "extern"].map(String::from).into();
        let mut import_paths = Vec::new();
        for rule in rules {
            // A rename fix rewrites every use of the name, in macros too.
            if rule.fixes.iter().any(|f| f.rename_to.is_some()) {
                return every;
            }
            for m in &rule.matchers {
                if let MatchKind::Import(paths) = &m.kind {
                    import_paths.extend(paths.iter().map(|p| p.segments.clone()));
                }
                match rule_words(&m.kind) {
                    Some(w) => words.extend(w),
                    None => return every,
                }
            }
        }
        MacroWords {
            words: Some(words),
            import_paths,
        }
    }

    /// Could the glob import `import_text` bind names below an `import` rule's path: does it
    /// name that path or a module above it?
    fn glob_may_reach(&self, import_text: &str) -> bool {
        let written: HashSet<&str> = identifiers(import_text).collect();
        let relative = ["self", "super", "crate"]
            .iter()
            .any(|w| written.contains(w));
        self.import_paths
            .iter()
            .any(|path| match path.split_first() {
                None => true,
                Some((root, rest)) => {
                    (root == "crate" && relative)
                        || rest.is_empty()
                        || rest.iter().all(|s| written.contains(s.as_str()))
                }
            })
    }

    /// Does `text` (a macro invocation) hold a wanted word, or a name the file's imports
    /// rename?
    pub fn wants(&self, text: &str, renames: &Renames) -> bool {
        let Some(words) = &self.words else {
            return true;
        };
        if renames.glob {
            return true;
        }
        identifiers(text).any(|w| words.contains(w) || renames.names.contains(w))
    }
}

/// The words one matcher could match inside a macro's arguments; `None`: it could match
/// anything.
fn rule_words(kind: &MatchKind) -> Option<Vec<String>> {
    let last_segments = |patterns: &[QualPattern], any_below_ok: bool| {
        patterns
            .iter()
            .map(|p| {
                if p.any_below && !any_below_ok {
                    return None;
                }
                p.segments.last().filter(|s| !s.is_empty()).cloned()
            })
            .collect::<Option<Vec<_>>>()
    };
    match kind {
        // An import is matched by prefix: a path below it still writes its last segment.
        MatchKind::Import(p) => last_segments(p, true),
        MatchKind::Call(p) | MatchKind::Reference(p) => last_segments(p, false),
        MatchKind::Method(names) | MatchKind::Macro(names) => Some(names.clone()),
        MatchKind::Pattern(p) => pattern_word(&p.source).map(|w| vec![w]),
        // Regexes search the file's text, strings and comments, never macro units.
        MatchKind::Regex(_) => Some(Vec::new()),
        MatchKind::Query(_) | MatchKind::Metric(_) => None,
    }
}

/// The longest identifier of a pattern that is not a metavariable (`$X`, `$$$ARGS`, `$_`).
fn pattern_word(source: &str) -> Option<String> {
    let bytes = source.as_bytes();
    identifiers_at(source)
        .filter(|(start, _)| *start == 0 || bytes[start - 1] != b'$')
        .map(|(_, w)| w)
        .max_by_key(|w| w.len())
        .map(str::to_string)
}

/// The names an import renames with `as`: `use a::b as c;`, `extern crate d as e;`.
fn renamed(import_text: &str) -> impl Iterator<Item = &str> {
    let mut words = identifiers(import_text);
    std::iter::from_fn(move || {
        loop {
            if words.next()? == "as" {
                return words.next();
            }
        }
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    identifiers_at(text).map(|(_, w)| w)
}

/// Maximal runs of identifier characters (any non-ASCII character counts as one), with where
/// each starts.
fn identifiers_at(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_word_byte(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && is_word_byte(bytes[i]) {
            i += 1;
        }
        // Word bytes never split a UTF-8 character: every byte of one is >= 0x80.
        Some((start, &text[start..i]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_words_skip_metavariables() {
        assert_eq!(pattern_word("$X.len() == 0").as_deref(), Some("len"));
        assert_eq!(
            pattern_word("unsafe { $$$BODY }").as_deref(),
            Some("unsafe")
        );
        assert_eq!(pattern_word("$A == $B"), None);
    }

    #[test]
    fn renamed_names() {
        let names: Vec<_> = renamed("use std::{mem::transmute as t, fmt::Result as R};").collect();
        assert_eq!(names, ["t", "R"]);
        assert_eq!(
            renamed("extern crate serde as s;").collect::<Vec<_>>(),
            ["s"]
        );
    }

    #[test]
    fn words_match_whole_identifiers() {
        let w = MacroWords {
            words: Some(["new".to_string()].into()),
            import_paths: vec![vec!["a".to_string()]],
        };
        let mut renames = Renames::default();
        assert!(w.wants("vec![Foo::new()]", &renames));
        assert!(!w.wants("println!(\"{}\", renew)", &renames));
        renames.add("use a::f as t;", &w);
        assert!(w.wants("f!(t(x))", &renames));
        assert!(!w.wants("f!(u(x))", &renames));
        renames.add("use a::*;", &w);
        assert!(w.wants("f!(u(x))", &renames));
    }

    /// A glob reaches an `import` rule when it names the rule's module or one above it.
    #[test]
    fn globs_reaching_import_rules() {
        let w = |paths: &[&str]| MacroWords {
            words: Some(HashSet::new()),
            import_paths: paths
                .iter()
                .map(|p| p.split("::").map(str::to_string).collect())
                .collect(),
        };
        let sync = w(&["std::sync"]);
        assert!(sync.glob_may_reach("use std::sync::*;"));
        assert!(sync.glob_may_reach("use std::sync::atomic::*;"));
        assert!(sync.glob_may_reach("use core::{sync::*, fmt};"));
        assert!(!sync.glob_may_reach("use super::*;"));
        assert!(!sync.glob_may_reach("use std::io::*;"));
        let local = w(&["crate::legacy::db"]);
        assert!(local.glob_may_reach("use super::*;"));
        assert!(local.glob_may_reach("use self::inner::*;"));
        assert!(!local.glob_may_reach("use tokio::io::*;"));
        assert!(w(&["reqwest"]).glob_may_reach("use anything::*;"));
        assert!(!w(&[]).glob_may_reach("use std::sync::*;"));
    }
}
