//! The active rules, indexed per language and per matcher family, with one combined query per
//! language.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use ast_grep_core::Matcher;
use gavel_policy::{AppliesTo, MatchKind, RegexIn, Rule, Severity};
use gavel_syntax::Lang;

use crate::{
    facts::{FactKind, QueryPlan},
    needles::MacroWords,
};

/// A loaded rule with its effective settings after `[rules]` overrides.
#[derive(Debug, Clone)]
pub struct ActiveRule {
    pub rule: Arc<Rule>,
    pub severity: Severity,
    pub applies_to: AppliesTo,
}

impl ActiveRule {
    pub fn new(rule: Arc<Rule>) -> ActiveRule {
        ActiveRule {
            severity: rule.severity,
            applies_to: rule.applies_to,
            rule,
        }
    }
}

/// Settings that are not per rule.
#[derive(Debug, Clone)]
pub struct Options {
    /// `[suppressions] require_reason`.
    pub require_reason: bool,
    /// Severity overrides for gavel's own rules (`gavel.unused-suppression`, ...).
    pub builtin_severity: HashMap<String, Severity>,
    /// Ignore rules' `files`/`exclude` globs (for rule examples).
    pub ignore_file_globs: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            require_reason: true,
            builtin_severity: HashMap::new(),
            ignore_file_globs: false,
        }
    }
}

/// gavel's own rules about suppressions: id, default severity, message.
pub const BUILTIN_RULES: &[(&str, Severity, &str)] = &[
    (
        "gavel.suppression-without-reason",
        Severity::Warning,
        "A suppression must say why: write the reason after the closing parenthesis",
    ),
    (
        "gavel.unused-suppression",
        Severity::Hint,
        "This suppression suppresses nothing",
    ),
    (
        "gavel.unknown-rule",
        Severity::Warning,
        "This suppression names a rule that is not loaded",
    ),
    (
        "gavel.approval-required",
        Severity::Warning,
        "This rule requires an approval: a suppression comment cannot waive it",
    ),
];

/// The (rule, matcher) pairs of one matcher family.
pub(crate) type Targets = Vec<(usize, usize)>;

/// Everything needed to check files of one language.
pub(crate) struct LangIndex {
    pub plan: QueryPlan,
    pub by_kind: HashMap<&'static str, Targets>,
    /// The (rule, matcher) of each rule query, in the order of the plan's user patterns.
    pub queries: Targets,
    /// The qualified names of the `import`, `call` and `reference` rules: what a glob import
    /// must be able to reach to be worth resolving through.
    pub qual_targets: Vec<Vec<String>>,
}

/// The compiled, active rules.
pub struct RuleSet {
    /// Unique per rule set built, so cached results can tell which rules made them.
    pub(crate) id: u64,
    pub rules: Vec<ActiveRule>,
    pub options: Options,
    pub(crate) langs: Vec<(Lang, LangIndex)>,
    known: HashSet<String>,
}

impl RuleSet {
    /// Index the rules. Rules whose severity is `off` are kept (so suppressions naming them
    /// are not "unknown") but never run.
    pub fn new(rules: Vec<ActiveRule>, options: Options) -> Result<RuleSet, String> {
        let known = rules
            .iter()
            .map(|r| r.rule.id.clone())
            .chain(BUILTIN_RULES.iter().map(|b| b.0.to_string()))
            .collect();
        // Building a plan is mostly tree-sitter's analysis of the combined query: one thread
        // per language.
        let rules_ref = &rules;
        let langs = std::thread::scope(|s| {
            let handles: Vec<_> = Lang::ALL
                .into_iter()
                .map(|lang| s.spawn(move || index_language(lang, rules_ref).map(|i| (lang, i))))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect::<Result<Vec<_>, String>>()
        })?;
        static IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(RuleSet {
            id: IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            rules,
            options,
            langs,
            known,
        })
    }

    pub(crate) fn index(&self, lang: Lang) -> &LangIndex {
        &self
            .langs
            .iter()
            .find(|(l, _)| *l == lang)
            .expect("every language is indexed")
            .1
    }

    /// Is this rule id loaded (or one of gavel's own)?
    pub fn is_known(&self, id: &str) -> bool {
        self.known.contains(id)
    }

    /// Is this loaded rule switched off (by the config or the command line's selection)?
    pub fn is_off(&self, id: &str) -> bool {
        self.get(id).is_some_and(|r| r.severity == Severity::Off)
    }

    pub fn get(&self, id: &str) -> Option<&ActiveRule> {
        self.rules.iter().find(|r| r.rule.id == id)
    }

    pub(crate) fn builtin_severity(&self, id: &str) -> Severity {
        self.options
            .builtin_severity
            .get(id)
            .copied()
            .unwrap_or_else(|| {
                BUILTIN_RULES
                    .iter()
                    .find(|b| b.0 == id)
                    .map_or(Severity::Warning, |b| b.1)
            })
    }
}

fn index_language(lang: Lang, rules: &[ActiveRule]) -> Result<LangIndex, String> {
    let mut by_kind: HashMap<&'static str, Targets> = HashMap::new();
    let mut queries = Vec::new();
    let mut user_queries = Vec::new();
    let mut needs_references = false;
    let mut needs_strings = false;
    let mut qual_targets = Vec::new();
    // The kind ids pattern rules may match at; `Some(None)`: any kind.
    let mut pattern_kinds: Option<Option<Vec<u16>>> = None;
    for (ri, active) in rules.iter().enumerate() {
        let rule = &active.rule;
        if rule.language != lang || active.severity == Severity::Off {
            continue;
        }
        needs_references |= rule.fixes.iter().any(|f| f.rename_to.is_some());
        for (mi, m) in rule.matchers.iter().enumerate() {
            needs_strings |= matches!(&m.kind, MatchKind::Regex(r) if r.within == RegexIn::String);
            if let MatchKind::Import(q) | MatchKind::Call(q) | MatchKind::Reference(q) = &m.kind {
                qual_targets.extend(q.iter().map(|p| p.segments.clone()));
            }
            if let MatchKind::Query(q) = &m.kind {
                queries.push((ri, mi));
                user_queries.push(q.source.as_str());
            }
            if let MatchKind::Pattern(p) = &m.kind {
                let kinds = p.pattern.potential_kinds();
                let ids = kinds.map(|k| k.iter().map(|id| id as u16).collect());
                add_pattern_kinds(&mut pattern_kinds, ids);
            }
            by_kind.entry(m.kind.key()).or_default().push((ri, mi));
        }
    }
    let has = |k: &str| by_kind.contains_key(k);
    let mut needed = vec![
        FactKind::Import,
        FactKind::Comment,
        FactKind::LocalDef,
        FactKind::Attribute,
    ];
    // Calls are gathered for call, method and reference rules, and to find `__import__`.
    if has("call") || has("method") || has("reference") || has("import") || lang == Lang::Rust {
        needed.push(FactKind::Call);
    }
    if lang == Lang::Rust {
        needed.push(FactKind::Macro);
    }
    // String literals are searched by `regex_in = "string"` rules only.
    if needs_strings {
        needed.push(FactKind::String);
    }
    // Functions are scopes for Python names, test functions, and metrics.
    needed.push(FactKind::Function);
    // Import rules look at the qualified paths written in Rust code (`reqwest::get(..)`).
    if has("reference") || needs_references {
        needed.extend([FactKind::Reference, FactKind::QualifiedPath]);
    } else if lang == Lang::Rust && has("import") {
        needed.push(FactKind::QualifiedPath);
    }
    let mut plan = QueryPlan::new(lang, &needed, pattern_kinds, &user_queries)?;
    plan.macro_words = MacroWords::of(
        rules
            .iter()
            .filter(|r| r.rule.language == lang && r.severity != Severity::Off)
            .map(|r| &*r.rule),
    );
    Ok(LangIndex {
        plan,
        by_kind,
        queries,
        qual_targets,
    })
}

/// Add a pattern's kinds (`None`: any kind) to those of the language's pattern rules.
fn add_pattern_kinds(all: &mut Option<Option<Vec<u16>>>, kinds: Option<Vec<u16>>) {
    let known = all.get_or_insert_with(|| Some(Vec::new()));
    match (known.as_mut(), kinds) {
        (Some(ids), Some(kinds)) => ids.extend(kinds),
        _ => *known = None,
    }
}
