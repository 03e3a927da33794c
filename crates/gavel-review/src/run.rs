//! A review (SPEC 9): the checked files' matches of review rules (already narrowed to the run's
//! `--scope` by the checker) become requests; each is answered from the verdict cache or by the
//! reviewer, at most `max_items` asked per run, in parallel; then `pass` drops the finding,
//! `fail` keeps it with the reviewer's reason, and `unsure`, an unreadable answer and an item
//! not reviewed become `info` findings, never a pass.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use gavel_policy::Severity;
use gavel_workspace::{Checker, Outcome, report::Located};
use rayon::prelude::*;

use crate::{
    client::{self, Answer, AskError, Verdict},
    item::{self, Request},
    settings::{self, Settings},
    verdicts,
};

/// What a review did, for the line it prints and the exit code.
#[derive(Debug, Default)]
pub struct Summary {
    /// Matches of review rules in scope.
    pub items: usize,
    pub cached: usize,
    pub asked: usize,
    pub passed: usize,
    pub failed: usize,
    pub unsure: usize,
    /// Answers that were no verdict, items over `max_items`, and items no reviewer could take.
    pub not_reviewed: usize,
    /// The reviewer could not be reached or is not configured: the run's error.
    pub errors: Vec<String>,
    pub notes: Vec<String>,
    pub elapsed: Duration,
}

/// Why an item was not asked: its reviewer failed on an earlier one.
const SKIPPED: &str = "the reviewer did not answer earlier items";

/// How to review.
pub struct Options<'a> {
    /// Use and fill the verdict cache.
    pub cache: bool,
    /// The environment (a parameter, so tests can give their own).
    pub env: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// What one item got.
enum Got {
    Answer(Answer),
    NotReviewed(String),
}

struct Item {
    file: usize,
    finding: usize,
    request: Request,
    dir: PathBuf,
    settings: Arc<Settings>,
}

/// Review the checked files in `outcomes`, in place.
pub fn review(
    checker: &Checker,
    outcomes: &mut [(PathBuf, Outcome)],
    options: &Options<'_>,
) -> Summary {
    let start = Instant::now();
    let mut summary = Summary::default();
    let mut by_dir: HashMap<PathBuf, Arc<Settings>> = HashMap::new();
    let mut items = Vec::new();
    for (fi, (path, outcome)) in outcomes.iter().enumerate() {
        let Outcome::Checked(checked) = outcome else {
            continue;
        };
        let config = checker.configs().for_file(path);
        let settings = by_dir
            .entry(config.dir.clone())
            .or_insert_with(|| Arc::new(settings::resolve(&config, &|k| (options.env)(k))))
            .clone();
        // Parsed once per file, and only for a file with matches.
        let mut tree = None;
        for (li, located) in checked.file.findings.iter().enumerate() {
            let tree = tree.get_or_insert_with(|| gavel_syntax::parse(checked.lang, &checked.text));
            if let Some(request) = item::request(
                located,
                &checked.file.path,
                checked.lang,
                &checked.text,
                tree,
            ) {
                items.push(Item {
                    file: fi,
                    finding: li,
                    request,
                    dir: config.dir.clone(),
                    settings: settings.clone(),
                });
            }
        }
    }
    for s in by_dir.values() {
        summary.notes.extend(s.notes.iter().cloned());
    }
    summary.items = items.len();
    let answers = answer_all(&items, options, &mut summary);
    apply(outcomes, &items, answers, &mut summary);
    summary.notes.sort();
    summary.notes.dedup();
    summary.elapsed = start.elapsed();
    summary
}

/// An outcome per item: cached, asked (at most `max_items` per workspace), or not reviewed.
fn answer_all(items: &[Item], options: &Options<'_>, summary: &mut Summary) -> Vec<Got> {
    let mut out: Vec<Option<Got>> = items
        .iter()
        .map(|i| {
            let cached = options
                .cache
                .then(|| verdicts::load(&i.dir, &i.settings.model, &i.request))
                .flatten();
            cached.map(Got::Answer)
        })
        .collect();
    summary.cached = out.iter().filter(|o| o.is_some()).count();
    // Per workspace: its reviewer, whether it is down, and how many it may still take.
    let mut budget: HashMap<&PathBuf, usize> = HashMap::new();
    let mut to_ask = Vec::new();
    for (n, i) in items.iter().enumerate() {
        if out[n].is_some() {
            continue;
        }
        if i.settings.via.is_none() {
            out[n] = Some(Got::NotReviewed("no reviewer is configured".into()));
            continue;
        }
        let left = budget.entry(&i.dir).or_insert(i.settings.max_items);
        if *left == 0 {
            out[n] = Some(Got::NotReviewed(format!(
                "over [review] max_items ({}) this run",
                i.settings.max_items
            )));
            continue;
        }
        *left -= 1;
        to_ask.push(n);
    }
    if out
        .iter()
        .any(|o| matches!(o, Some(Got::NotReviewed(w)) if w.starts_with("no reviewer")))
    {
        summary.errors.push(
            "no reviewer is configured: set [review] endpoint and model (or command) in your own \
             config, ~/.config/gavel/gavel.toml, or GAVEL_REVIEW_ENDPOINT and GAVEL_REVIEW_MODEL"
                .into(),
        );
    }
    summary.asked = to_ask.len();
    let asked = ask(items, &to_ask);
    let mut errors = Vec::new();
    for (n, result) in to_ask.into_iter().zip(asked) {
        out[n] = Some(match result {
            Ok(a) => {
                if options.cache {
                    verdicts::store(
                        &items[n].dir,
                        &items[n].settings.model,
                        &items[n].request,
                        &a,
                    );
                }
                Got::Answer(a)
            }
            Err(AskError::Unreadable(why)) => Got::NotReviewed(why),
            Err(AskError::Unreachable(why)) if why == SKIPPED => Got::NotReviewed(why),
            Err(AskError::Unreachable(why)) => {
                errors.push(format!("the reviewer could not be reached: {why}"));
                Got::NotReviewed(why)
            }
        });
    }
    errors.sort();
    errors.dedup();
    summary.errors.extend(errors);
    out.into_iter()
        .map(|o| o.expect("every item has an outcome"))
        .collect()
}

/// Ask the reviewers in parallel; once one is unreachable, the rest of its items are not asked.
fn ask(items: &[Item], to_ask: &[usize]) -> Vec<Result<Answer, AskError>> {
    let mut reviewers = HashMap::new();
    for &n in to_ask {
        let s = &items[n].settings;
        reviewers
            .entry(&items[n].dir)
            .or_insert_with(|| (client::from_settings(s), AtomicBool::new(false)));
    }
    to_ask
        .par_iter()
        .map(|&n| {
            let (reviewer, down) = &reviewers[&items[n].dir];
            let reviewer = reviewer.as_ref().expect("a reviewer is configured");
            if down.load(Ordering::Relaxed) {
                return Err(AskError::Unreachable(
                    "it did not answer earlier items".into(),
                ));
            }
            let r = reviewer.ask(&items[n].request);
            if matches!(r, Err(AskError::Unreachable(_))) {
                down.store(true, Ordering::Relaxed);
            }
            r
        })
        .collect()
}

/// Turn verdicts into findings.
fn apply(
    outcomes: &mut [(PathBuf, Outcome)],
    items: &[Item],
    answers: Vec<Got>,
    summary: &mut Summary,
) {
    let mut drop: HashMap<usize, Vec<usize>> = HashMap::new();
    for (item, answer) in items.iter().zip(answers) {
        let Outcome::Checked(checked) = &mut outcomes[item.file].1 else {
            continue;
        };
        let l: &mut Located = &mut checked.file.findings[item.finding];
        let f = &mut l.finding;
        match answer {
            Got::Answer(a) => {
                match a.verdict {
                    Verdict::Pass => summary.passed += 1,
                    Verdict::Fail => summary.failed += 1,
                    Verdict::Unsure => summary.unsure += 1,
                }
                if !show_verdict(f, &a) {
                    drop.entry(item.file).or_default().push(item.finding);
                }
            }
            Got::NotReviewed(why) => {
                summary.not_reviewed += 1;
                f.severity = f.severity.min(Severity::Info);
                f.message = format!("{} (not reviewed: {why})", f.message);
            }
        }
    }
    for (file, mut gone) in drop {
        let Outcome::Checked(checked) = &mut outcomes[file].1 else {
            continue;
        };
        gone.sort_unstable();
        for i in gone.into_iter().rev() {
            checked.file.findings.remove(i);
        }
    }
}

/// A review rule's finding as its verdict leaves it, for `gavel review` and the editor alike:
/// `fail` adds the reason, `unsure` lowers it to `info` and says so; false for `pass`, which
/// shows nothing.
pub fn show_verdict(f: &mut gavel_engine::Finding, answer: &Answer) -> bool {
    let reason = match answer.reason.trim() {
        "" => "no reason given",
        r => r,
    };
    match answer.verdict {
        Verdict::Pass => return false,
        Verdict::Fail => f.message = format!("{}: {reason}", f.message),
        Verdict::Unsure => {
            f.severity = f.severity.min(Severity::Info);
            f.message = format!("{} (the reviewer is unsure: {reason})", f.message);
        }
    }
    true
}

/// The line a review prints on stderr.
pub fn describe(s: &Summary) -> String {
    format!(
        "review: {} item{}: {} asked, {} cached; {} failed, {} passed, {} unsure, {} not reviewed; {:.1} s",
        s.items,
        if s.items == 1 { "" } else { "s" },
        s.asked,
        s.cached,
        s.failed,
        s.passed,
        s.unsure,
        s.not_reviewed,
        s.elapsed.as_secs_f64()
    )
}
