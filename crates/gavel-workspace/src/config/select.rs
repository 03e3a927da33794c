//! `--select` and `--ignore` (SPEC 5, as ruff has them): keep only, or drop, rules by id, glob
//! over ids (`py.*`), pack id or category. A rule left out is `off`: it never runs (so its
//! fixes are not applied either), and suppressions naming it are not "unknown".
//!
//! A selection is also for `check` or for `review` (SPEC 9): review rules run only in a
//! review, and a review runs nothing else (not gavel's own suppression rules either).

use gavel_policy::Rule;
use globset::{Glob, GlobMatcher};

/// The command line's selection; the default keeps every rule.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    select: Vec<Item>,
    ignore: Vec<Item>,
    review: bool,
}

#[derive(Debug, Clone)]
struct Item {
    text: String,
    glob: Option<GlobMatcher>,
}

impl Item {
    fn new(text: &str) -> Result<Item, String> {
        let glob = if text.contains(['*', '?', '[']) {
            let g = Glob::new(text)
                .map_err(|e| format!("`{text}` is not a valid glob ({e}); write e.g. `py.*`"))?;
            Some(g.compile_matcher())
        } else {
            None
        };
        Ok(Item {
            text: text.to_string(),
            glob,
        })
    }

    /// A rule id (of a pack's rule or one of gavel's own), and for a pack's rule its pack and
    /// category.
    fn matches(&self, id: &str, rule: Option<&Rule>) -> bool {
        match &self.glob {
            Some(g) => g.is_match(id),
            None => {
                self.text == id
                    || rule.is_some_and(|r| r.pack == self.text || r.category == self.text)
            }
        }
    }
}

impl Selection {
    /// From the flags' values (comma-separated lists, repeated flags appended).
    pub fn new(select: &[String], ignore: &[String]) -> Result<Selection, String> {
        let items = |flag: &str, values: &[String]| -> Result<Vec<Item>, String> {
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| Item::new(v).map_err(|e| format!("{flag}: {e}")))
                .collect()
        };
        Ok(Selection {
            select: items("--select", select)?,
            ignore: items("--ignore", ignore)?,
            review: false,
        })
    }

    /// The same selection for `gavel review`: review rules only.
    pub fn for_review(mut self) -> Selection {
        self.review = true;
        self
    }

    pub fn is_review(&self) -> bool {
        self.review
    }

    pub fn is_everything(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// Does the rule run? Selected (or nothing selected) and not ignored.
    pub fn keeps(&self, id: &str, rule: Option<&Rule>) -> bool {
        let is_review = rule.is_some_and(|r| r.review.is_some());
        if is_review != self.review {
            return false;
        }
        (self.select.is_empty() || self.select.iter().any(|i| i.matches(id, rule)))
            && !self.ignore.iter().any(|i| i.matches(id, rule))
    }

    /// Items that name no rule, pack or category among `rules` (and gavel's own rule ids), with
    /// the flag they came from: a typo would otherwise select nothing, silently.
    pub fn unmatched<'a>(
        &'a self,
        rules: &'a [&'a Rule],
        builtin_ids: &'a [&'a str],
    ) -> impl Iterator<Item = (&'static str, &'a str)> + 'a {
        let flagged = self
            .select
            .iter()
            .map(|i| ("--select", i))
            .chain(self.ignore.iter().map(|i| ("--ignore", i)));
        flagged
            .filter(move |(_, item)| {
                !rules.iter().any(|r| item.matches(&r.id, Some(r)))
                    && !builtin_ids.iter().any(|id| item.matches(id, None))
            })
            .map(|(flag, item)| (flag, item.text.as_str()))
    }
}
