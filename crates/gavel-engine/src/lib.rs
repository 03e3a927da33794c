//! gavel's engine: (document, compiled policies) → findings and fixes.
//!
//! [`RuleSet::check`] gathers the facts of a file with one cursor walk per tree ([`walk`]) and
//! the rules' queries combined into one per language ([`facts`]), resolves imports and aliases once ([`resolve`]), runs every matcher
//! family over the facts ([`matchers`]), builds fixes ([`fix`]), drops test code where rules
//! ask ([`test_code`]) and applies suppressions ([`suppress`]). No IO, no LSP.

mod apply;
mod check;
mod examples;
mod facts;
mod finding;
mod fix;
mod fix_loop;
mod incremental;
mod kinds;
mod matchers;
mod needles;
mod provenance;
mod query_bands;
mod resolve;
mod ruleset;
mod suppress;
mod template;
mod test_code;
mod unit;
mod walk;

pub use apply::{FixError, apply_edits, apply_fixes};
pub use check::FileInput;
pub use examples::{ExampleFailure, test_rule};
pub use finding::{Edit, FileReport, Finding, Fix, Provenance, Remedy, Waived};
pub use fix_loop::{FIX_ROUNDS, FixOutcome, fix_text};
pub use incremental::{Incremental, IncrementalStats, PartialPlan};
pub use provenance::{LineFacts, LineMarks, ProvenanceOptions, apply_provenance, in_scope};
pub use ruleset::{ActiveRule, BUILTIN_RULES, Options, RuleSet};
pub use test_code::is_test_path;
