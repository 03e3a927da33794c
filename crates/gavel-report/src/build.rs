//! From what the walk recorded to the figures of a report.

use std::collections::{BTreeMap, HashMap};

use gavel_review::client::Verdict;

use crate::{
    events::Events,
    figures::{
        FileCount, Fixes, Lines, Noisy, Point, Rate, Reason, Report, RuleFigures, Verdicts,
        Waivers, Week,
    },
    walk::Walked,
};

/// A loaded rule, as the report needs it.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub severity: String,
    pub category: String,
    pub has_instead: bool,
    /// A review rule (SPEC 9): it fires only in `gavel review`.
    pub review: bool,
    pub language: gavel_syntax::Lang,
}

/// What the report knows besides the walk.
pub struct Context {
    pub repository: String,
    pub head: String,
    pub rules: Vec<RuleInfo>,
    /// `(rule, reason)` of every approval in `.gavel/approvals.toml`.
    pub approvals: Vec<(String, String)>,
    pub verdicts: Vec<(String, Verdict)>,
    pub errors: Vec<String>,
    pub commits_walked: usize,
    pub ai_commits: usize,
    pub seconds: f64,
}

/// How many rules the AI-against-human chart shows, and files the top-files chart.
const TOP: usize = 12;

pub fn build(walked: &Walked, cx: Context) -> Report {
    let ev = &walked.events;
    let timeline: Vec<Point> = ev.samples.iter().map(point).collect();
    let suppressed = waivers(
        walked
            .files
            .values()
            .flat_map(|f| &f.waived)
            .map(|w| (w.rule_id.as_str(), w.reason.as_str())),
    );
    let approved = waivers(
        cx.approvals
            .iter()
            .map(|(r, why)| (r.as_str(), why.as_str())),
    );
    let rules = rule_figures(walked, &cx, &suppressed, &approved);
    let ai_vs_human = rates(&rules, ev);
    let never_fired: Vec<String> = cx
        .rules
        .iter()
        .filter(|r| !r.review && ev.languages.contains(&r.language) && !ev.fired.contains(&r.id))
        .filter(|r| !suppressed.iter().any(|w| w.rule == r.id))
        .map(|r| r.id.clone())
        .collect();
    let noisy: Vec<Noisy> = rules
        .iter()
        .filter(|r| r.suppressed > r.fixed)
        .map(|r| Noisy {
            rule: r.id.clone(),
            suppressed: r.suppressed,
            fixed: r.fixed,
        })
        .collect();
    let checked = ev.samples.len();
    let mut report = Report {
        version: 1,
        repository: cx.repository,
        head: cx.head,
        from: timeline.first().map(|p| p.date.clone()).unwrap_or_default(),
        to: timeline.last().map(|p| p.date.clone()).unwrap_or_default(),
        commits: crate::figures::Commits {
            walked: cx.commits_walked,
            checked,
            ai: cx.ai_commits,
            file_checks: walked.checks,
            seconds: round(cx.seconds, 2),
            per_second: round(cx.commits_walked as f64 / cx.seconds.max(1e-3), 1),
        },
        lines_written: Lines {
            ai: ev.lines_ai,
            human: ev.lines_human,
        },
        errors: cx.errors,
        weeks: weeks(ev),
        fixes: fixes(ev),
        timeline,
        ai_vs_human,
        never_fired,
        noisy,
        top_files: top_files(walked),
        review: verdicts(&cx.verdicts),
        suppressed,
        approved,
        rules,
        suggestions: Vec::new(),
    };
    if ev.skipped > 0 {
        report.errors.push(format!(
            "{} file versions were not checked: larger than 8 MB",
            ev.skipped
        ));
    }
    let loaded = cx
        .rules
        .iter()
        .filter(|r| !r.review && ev.languages.contains(&r.language))
        .count();
    report.suggestions = crate::suggest::suggest(&report, loaded);
    report
}

fn point(s: &crate::events::Sample) -> Point {
    Point {
        commit: s.commit.clone(),
        date: date(s.time),
        time: s.time,
        ai_commit: s.ai_commit,
        error: s.by_severity[0],
        warning: s.by_severity[1],
        info: s.by_severity[2],
        hint: s.by_severity[3],
        total: s.total(),
        ai: s.ai,
        human: s.human,
        files: s.files,
    }
}

/// `YYYY-MM-DD` of a time, in UTC.
pub fn date(time: i64) -> String {
    civil(time).to_string()
}

fn civil(time: i64) -> jiff::civil::Date {
    jiff::Timestamp::from_second(time)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

/// The Monday that starts the week of `time` (UTC).
fn monday(time: i64) -> jiff::civil::Date {
    let d = civil(time);
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
}

/// Every week from the first commit checked to the last, empty ones too.
fn weeks(ev: &Events) -> Vec<Week> {
    let (Some(first), Some(last)) = (ev.samples.first(), ev.samples.last()) else {
        return Vec::new();
    };
    let mut by_week: BTreeMap<jiff::civil::Date, Week> = BTreeMap::new();
    let mut day = monday(first.time);
    let end = monday(last.time);
    while day <= end {
        by_week.insert(
            day,
            Week {
                week: day.to_string(),
                introduced: 0,
                introduced_ai: 0,
                fixed: 0,
            },
        );
        day = match day.checked_add(jiff::Span::new().days(7)) {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    for i in &ev.introduced {
        if let Some(w) = by_week.get_mut(&monday(i.time)) {
            w.introduced += 1;
            w.introduced_ai += usize::from(i.ai);
        }
    }
    for f in &ev.fixed {
        if let Some(w) = by_week.get_mut(&monday(f.time)) {
            w.fixed += 1;
        }
    }
    by_week.into_values().collect()
}

fn fixes(ev: &Events) -> Fixes {
    let mut days: Vec<f64> = ev
        .fixed
        .iter()
        .filter_map(|f| f.since.map(|s| (f.time - s).max(0) as f64 / 86_400.0))
        .collect();
    days.sort_by(f64::total_cmp);
    let median = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        n => Some((days[n / 2 - 1] + days[n / 2]) / 2.0),
    };
    Fixes {
        introduced: ev.introduced.len(),
        fixed: ev.fixed.len(),
        median_days_to_fix: median.map(|m| round(m, 1)),
        open: ev.open().count(),
        removed_with_file: ev.removed,
    }
}

fn waivers<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Waivers> {
    let mut by_rule: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (rule, reason) in items {
        *by_rule.entry(rule).or_default().entry(reason).or_default() += 1;
    }
    let mut out: Vec<Waivers> = by_rule
        .into_iter()
        .map(|(rule, reasons)| {
            let mut reasons: Vec<Reason> = reasons
                .into_iter()
                .map(|(reason, count)| Reason {
                    reason: reason.to_string(),
                    count,
                })
                .collect();
            reasons.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
            Waivers {
                rule: rule.to_string(),
                count: reasons.iter().map(|r| r.count).sum(),
                reasons,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));
    out
}

fn rule_figures(
    walked: &Walked,
    cx: &Context,
    suppressed: &[Waivers],
    approved: &[Waivers],
) -> Vec<RuleFigures> {
    let mut by_id: BTreeMap<String, RuleFigures> = BTreeMap::new();
    let info: HashMap<&str, &RuleInfo> = cx.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    let blank = |id: &str| {
        let r = info.get(id);
        RuleFigures {
            id: id.to_string(),
            severity: r.map_or("warning", |r| &r.severity).to_string(),
            category: r.map_or("gavel", |r| &r.category).to_string(),
            introduced_ai: 0,
            introduced_human: 0,
            fixed: 0,
            open: 0,
            suppressed: 0,
            approved: 0,
            has_instead: r.is_some_and(|r| r.has_instead),
        }
    };
    fn entry<'m>(
        map: &'m mut BTreeMap<String, RuleFigures>,
        id: &str,
        blank: &dyn Fn(&str) -> RuleFigures,
    ) -> &'m mut RuleFigures {
        map.entry(id.to_string()).or_insert_with(|| blank(id))
    }
    let ev = &walked.events;
    for i in &ev.introduced {
        let e = entry(&mut by_id, &i.rule, &blank);
        if i.ai {
            e.introduced_ai += 1;
        } else {
            e.introduced_human += 1;
        }
    }
    for f in &ev.fixed {
        entry(&mut by_id, &f.rule, &blank).fixed += 1;
    }
    for f in walked.files.values().flat_map(|f| &f.findings) {
        entry(&mut by_id, &f.rule, &blank).open += 1;
    }
    for w in suppressed {
        entry(&mut by_id, &w.rule, &blank).suppressed = w.count;
    }
    for w in approved {
        entry(&mut by_id, &w.rule, &blank).approved = w.count;
    }
    let mut out: Vec<RuleFigures> = by_id.into_values().collect();
    out.sort_by(|a, b| {
        (b.introduced_ai + b.introduced_human, b.open)
            .cmp(&(a.introduced_ai + a.introduced_human, a.open))
            .then(a.id.cmp(&b.id))
    });
    out
}

fn rates(rules: &[RuleFigures], ev: &Events) -> Vec<Rate> {
    let per_kloc = |n: usize, lines: usize| {
        if lines == 0 {
            0.0
        } else {
            round(n as f64 * 1000.0 / lines as f64, 2)
        }
    };
    let mut out: Vec<Rate> = rules
        .iter()
        .filter(|r| r.introduced_ai + r.introduced_human > 0)
        .map(|r| Rate {
            rule: r.id.clone(),
            ai: r.introduced_ai,
            human: r.introduced_human,
            ai_per_kloc: per_kloc(r.introduced_ai, ev.lines_ai),
            human_per_kloc: per_kloc(r.introduced_human, ev.lines_human),
        })
        .collect();
    out.sort_by(|a, b| {
        b.ai_per_kloc
            .total_cmp(&a.ai_per_kloc)
            .then(b.human_per_kloc.total_cmp(&a.human_per_kloc))
            .then(a.rule.cmp(&b.rule))
    });
    out.truncate(TOP);
    out
}

fn top_files(walked: &Walked) -> Vec<FileCount> {
    let mut out: Vec<FileCount> = walked
        .files
        .iter()
        .filter(|(_, f)| !f.findings.is_empty())
        .map(|(path, f)| FileCount {
            path: path.clone(),
            findings: f.findings.len(),
            ai: f.findings.iter().filter(|x| x.ai).count(),
        })
        .collect();
    out.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.path.cmp(&b.path)));
    out.truncate(TOP);
    out
}

fn verdicts(all: &[(String, Verdict)]) -> Vec<Verdicts> {
    let mut by_rule: BTreeMap<&str, Verdicts> = BTreeMap::new();
    for (rule, verdict) in all {
        let v = by_rule.entry(rule).or_insert_with(|| Verdicts {
            rule: rule.clone(),
            pass: 0,
            fail: 0,
            unsure: 0,
        });
        match verdict {
            Verdict::Pass => v.pass += 1,
            Verdict::Fail => v.fail += 1,
            Verdict::Unsure => v.unsure += 1,
        }
    }
    by_rule.into_values().collect()
}

pub fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}
