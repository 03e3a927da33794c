//! Closing the loop: what to change, drawn from the figures. A rule AI-written code breaks more
//! often than people do, with nothing that tells an agent what to write instead; a rule
//! suppressed more than it is fixed; rules that never fired.

use crate::figures::{Report, Suggestion};

/// Findings on AI-written lines a rule needs before it is worth a suggestion.
const MIN_AI: usize = 2;
/// Never-firing rules named in the suggestion.
const MAX_NAMED: usize = 10;

/// `loaded`: the rules (not review rules) for the languages the history has.
pub fn suggest(report: &Report, loaded: usize) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for r in &report.ai_vs_human {
        let rule = report.rules.iter().find(|x| x.id == r.rule);
        if r.ai < MIN_AI || r.ai_per_kloc <= r.human_per_kloc {
            continue;
        }
        let text = if rule.is_some_and(|x| !x.has_instead) {
            format!(
                "AI-written lines broke `{}` {} times ({} per 1,000 lines, against {} in \
                 other lines), and the rule does not tell an agent what to write: add `instead` \
                 (or a `sanctioned` library or a fix), then `gavel agents-md --write AGENTS.md`.",
                r.rule, r.ai, r.ai_per_kloc, r.human_per_kloc
            )
        } else {
            format!(
                "AI-written lines broke `{}` {} times ({} per 1,000 lines, against {} in \
                 other lines) although the rule says what to write instead: check that the \
                 agents' instructions carry it (`gavel agents-md --check AGENTS.md`) and that \
                 agents run the post-edit hook.",
                r.rule, r.ai, r.ai_per_kloc, r.human_per_kloc
            )
        };
        out.push(Suggestion {
            kind: if rule.is_some_and(|x| !x.has_instead) {
                "add-instead".into()
            } else {
                "ai-breaks-often".into()
            },
            rules: vec![r.rule.clone()],
            text,
        });
    }
    for n in &report.noisy {
        let reasons = report
            .suppressed
            .iter()
            .find(|w| w.rule == n.rule)
            .map(|w| {
                w.reasons
                    .iter()
                    .take(3)
                    .map(|r| {
                        format!(
                            "\"{}\"",
                            if r.reason.is_empty() {
                                "(none)"
                            } else {
                                &r.reason
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        out.push(Suggestion {
            kind: "suppressed-more-than-fixed".into(),
            rules: vec![n.rule.clone()],
            text: format!(
                "`{}` is suppressed {} times and was fixed {} times: read the reasons ({reasons}) \
                 and narrow its matcher, add the sanctioned way the reasons point to, or lower \
                 its severity.",
                n.rule, n.suppressed, n.fixed
            ),
        });
    }
    if !report.never_fired.is_empty() {
        let named: Vec<String> = report
            .never_fired
            .iter()
            .take(MAX_NAMED)
            .map(|r| format!("`{r}`"))
            .collect();
        let more = report.never_fired.len().saturating_sub(MAX_NAMED);
        let rest = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        out.push(Suggestion {
            kind: "never-fires".into(),
            rules: report.never_fired.clone(),
            text: format!(
                "{} of {loaded} rules for the languages seen never fired in {} commits: {}{rest}. Check that each still \
                 matches what it bans (`gavel test` runs its examples), or retire it.",
                report.never_fired.len(),
                report.commits.checked,
                named.join(", ")
            ),
        });
    }
    out
}
