//! The report as one self-contained HTML page: no script, no font, no request; charts as inline
//! SVG ([`svg`]), the figures also embedded as JSON (`#gavel-report-data`) for whoever wants
//! them. Each chart says in a sentence what it shows.

mod svg;

use std::fmt::Write;

use svg::Series;

use crate::figures::{Report, Waivers};

const CSS: &str = include_str!("report.css");

const ERROR: &str = "#c62828";
const WARNING: &str = "#ef8f00";
const INFO: &str = "#1e88e5";
const HINT: &str = "#9e9e9e";
const AI: &str = "#7e57c2";
const HUMAN: &str = "#26a69a";
const FIXED: &str = "#43a047";
const INTRODUCED: &str = "#e53935";

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let title = format!("gavel report: {}", r.repository);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body><main>",
        esc(&title)
    );
    header(&mut out, r);
    errors(&mut out, r);
    stats(&mut out, r);
    over_time(&mut out, r);
    weekly(&mut out, r);
    ai_vs_human(&mut out, r);
    waivers(
        &mut out,
        "suppressed",
        "Most suppressed rules",
        "How many findings of each rule suppression comments waive at the last commit, with the reasons they give.",
        &r.suppressed,
        "suppressions",
    );
    waivers(
        &mut out,
        "approved",
        "Most approved rules",
        "How many findings of each rule a code owner approved in .gavel/approvals.toml, with their reasons.",
        &r.approved,
        "approvals",
    );
    top_files(&mut out, r);
    review(&mut out, r);
    never_fired(&mut out, r);
    suggestions(&mut out, r);
    let json = serde_json::to_string(r)
        .unwrap_or_default()
        .replace("</", "<\\/");
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"gavel-report-data\">{json}</script>\
         </main></body></html>"
    );
    out
}

fn header(out: &mut String, r: &Report) {
    let _ = write!(
        out,
        "<header><h1>gavel report: {}</h1><p class=\"sub\">HEAD {} · {} to {} · {} commits walked, \
         {} checked in {} s ({} commits/s)</p></header>",
        esc(&r.repository),
        esc(&r.head),
        esc(&r.from),
        esc(&r.to),
        r.commits.walked,
        r.commits.checked,
        r.commits.seconds,
        r.commits.per_second
    );
}

fn errors(out: &mut String, r: &Report) {
    if r.errors.is_empty() {
        return;
    }
    out.push_str("<section class=\"errors\" id=\"errors\"><h2>Problems</h2><p>This report was made despite these problems; figures may be incomplete.</p><ul>");
    for e in &r.errors {
        let _ = write!(out, "<li>{}</li>", esc(e));
    }
    out.push_str("</ul></section>");
}

fn stat(out: &mut String, key: &str, value: &str, label: &str) {
    let _ = write!(
        out,
        "<div class=\"stat\"><div class=\"num\" data-key=\"{key}\">{}</div><div class=\"what\">{}</div></div>",
        esc(value),
        esc(label)
    );
}

fn stats(out: &mut String, r: &Report) {
    out.push_str("<section class=\"stats\" id=\"stats\">");
    let median = r
        .fixes
        .median_days_to_fix
        .map_or("n/a".to_string(), |d| d.to_string());
    stat(
        out,
        "commits.checked",
        &r.commits.checked.to_string(),
        "commits checked",
    );
    stat(
        out,
        "commits.ai",
        &r.commits.ai.to_string(),
        "AI-written commits",
    );
    stat(
        out,
        "lines_written.ai",
        &r.lines_written.ai.to_string(),
        "lines written by AI commits",
    );
    stat(
        out,
        "lines_written.human",
        &r.lines_written.human.to_string(),
        "lines written by others",
    );
    stat(
        out,
        "fixes.introduced",
        &r.fixes.introduced.to_string(),
        "findings introduced",
    );
    stat(
        out,
        "fixes.fixed",
        &r.fixes.fixed.to_string(),
        "findings fixed",
    );
    stat(
        out,
        "fixes.median_days_to_fix",
        &median,
        "median days to fix",
    );
    stat(
        out,
        "fixes.open",
        &r.fixes.open.to_string(),
        "findings open now",
    );
    out.push_str("</section>");
}

fn figure(
    out: &mut String,
    id: &str,
    title: &str,
    sentence: &str,
    body: &str,
    legend: &[(&str, &str)],
) {
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"chart-{id}\" data-chart=\"{id}\"><h2>{}</h2><figcaption>{}</figcaption>",
        esc(title),
        esc(sentence)
    );
    if !legend.is_empty() {
        out.push_str("<div class=\"legend\">");
        for (name, color) in legend {
            let _ = write!(
                out,
                "<span><i style=\"background:{color}\"></i>{}</span>",
                esc(name)
            );
        }
        out.push_str("</div>");
    }
    out.push_str(body);
    out.push_str("</figure>");
}

fn empty(out: &mut String, id: &str, title: &str, sentence: &str, none: &str) {
    let _ = write!(
        out,
        "<figure class=\"chart empty\" id=\"chart-{id}\" data-chart=\"{id}\" data-empty=\"true\"><h2>{}</h2><figcaption>{}</figcaption><p class=\"none\">{}</p></figure>",
        esc(title),
        esc(sentence),
        esc(none)
    );
}

fn over_time(out: &mut String, r: &Report) {
    let labels: Vec<String> = r.timeline.iter().map(|p| p.date.clone()).collect();
    let col = |f: fn(&crate::figures::Point) -> usize| -> Vec<f64> {
        r.timeline.iter().map(|p| f(p) as f64).collect()
    };
    let by_severity = [
        Series {
            name: "error",
            color: ERROR,
            values: col(|p| p.error),
        },
        Series {
            name: "warning",
            color: WARNING,
            values: col(|p| p.warning),
        },
        Series {
            name: "info",
            color: INFO,
            values: col(|p| p.info),
        },
        Series {
            name: "hint",
            color: HINT,
            values: col(|p| p.hint),
        },
    ];
    let title = "Findings over time, by severity";
    let sentence = "How many findings today's rules report at each commit checked, by severity.";
    let legend: Vec<(&str, &str)> = by_severity.iter().map(|s| (s.name, s.color)).collect();
    figure(
        out,
        "severity",
        title,
        sentence,
        &svg::lines("severity", title, &labels, &by_severity),
        &legend,
    );
    let by_origin = [
        Series {
            name: "AI-written lines",
            color: AI,
            values: col(|p| p.ai),
        },
        Series {
            name: "other lines",
            color: HUMAN,
            values: col(|p| p.human),
        },
    ];
    let title = "Findings over time, AI-written or not";
    let sentence = "The same findings, split by who wrote their line: an AI-written commit (ai_commit_patterns) or anyone else.";
    let legend: Vec<(&str, &str)> = by_origin.iter().map(|s| (s.name, s.color)).collect();
    figure(
        out,
        "provenance",
        title,
        sentence,
        &svg::lines("provenance", title, &labels, &by_origin),
        &legend,
    );
}

fn weekly(out: &mut String, r: &Report) {
    let title = "Introduced and fixed per week";
    let sentence = format!(
        "Findings that appeared (up) and went away while their file stayed (down), per week; {} fixed, median time to fix {}.",
        r.fixes.fixed,
        r.fixes
            .median_days_to_fix
            .map_or("unknown".to_string(), |d| format!("{d} days"))
    );
    if r.weeks.iter().all(|w| w.introduced + w.fixed == 0) {
        return empty(
            out,
            "weeks",
            title,
            &sentence,
            "No finding appeared or went in the commits checked.",
        );
    }
    let labels: Vec<String> = r.weeks.iter().map(|w| w.week.clone()).collect();
    let up = Series {
        name: "introduced",
        color: INTRODUCED,
        values: r.weeks.iter().map(|w| w.introduced as f64).collect(),
    };
    let down = Series {
        name: "fixed",
        color: FIXED,
        values: r.weeks.iter().map(|w| w.fixed as f64).collect(),
    };
    let body = svg::updown("weeks", title, &labels, &up, &down);
    figure(
        out,
        "weeks",
        title,
        &sentence,
        &body,
        &[("introduced", INTRODUCED), ("fixed", FIXED)],
    );
}

fn ai_vs_human(out: &mut String, r: &Report) {
    let title = "Rules AI-written code breaks most";
    let sentence = format!(
        "Findings introduced per 1,000 lines written, by AI-written commits ({} lines) and by others ({} lines): a rate, not a raw count.",
        r.lines_written.ai, r.lines_written.human
    );
    if r.ai_vs_human.is_empty() {
        return empty(
            out,
            "ai-vs-human",
            title,
            &sentence,
            "No finding was introduced in the commits checked.",
        );
    }
    let labels: Vec<String> = r.ai_vs_human.iter().map(|x| x.rule.clone()).collect();
    let series = [
        Series {
            name: "AI-written, per 1,000 lines",
            color: AI,
            values: r.ai_vs_human.iter().map(|x| x.ai_per_kloc).collect(),
        },
        Series {
            name: "others, per 1,000 lines",
            color: HUMAN,
            values: r.ai_vs_human.iter().map(|x| x.human_per_kloc).collect(),
        },
    ];
    let legend: Vec<(&str, &str)> = series.iter().map(|s| (s.name, s.color)).collect();
    figure(
        out,
        "ai-vs-human",
        title,
        &sentence,
        &svg::hbars("ai-vs-human", title, &labels, &series),
        &legend,
    );
}

fn waivers(out: &mut String, id: &str, title: &str, sentence: &str, items: &[Waivers], noun: &str) {
    if items.is_empty() {
        return empty(out, id, title, sentence, &format!("No {noun}."));
    }
    let labels: Vec<String> = items.iter().map(|w| w.rule.clone()).collect();
    let series = [Series {
        name: noun,
        color: WARNING,
        values: items.iter().map(|w| w.count as f64).collect(),
    }];
    let mut body = svg::hbars(id, title, &labels, &series);
    body.push_str(
        "<table class=\"reasons\"><tr><th>rule</th><th>count</th><th>reasons given</th></tr>",
    );
    for w in items {
        let reasons: Vec<String> = w
            .reasons
            .iter()
            .map(|r| {
                let why = if r.reason.is_empty() {
                    "(no reason)"
                } else {
                    &r.reason
                };
                format!("{} ×{}", esc(why), r.count)
            })
            .collect();
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&w.rule),
            w.count,
            reasons.join("<br>")
        );
    }
    body.push_str("</table>");
    figure(out, id, title, sentence, &body, &[]);
}

fn top_files(out: &mut String, r: &Report) {
    let title = "Files with the most findings";
    let sentence = "Findings open at the last commit checked, per file, and how many of them are on AI-written lines.";
    if r.top_files.is_empty() {
        return empty(
            out,
            "top-files",
            title,
            sentence,
            "No finding at the last commit checked.",
        );
    }
    let labels: Vec<String> = r.top_files.iter().map(|f| f.path.clone()).collect();
    let series = [
        Series {
            name: "findings",
            color: INFO,
            values: r.top_files.iter().map(|f| f.findings as f64).collect(),
        },
        Series {
            name: "on AI-written lines",
            color: AI,
            values: r.top_files.iter().map(|f| f.ai as f64).collect(),
        },
    ];
    let legend: Vec<(&str, &str)> = series.iter().map(|s| (s.name, s.color)).collect();
    figure(
        out,
        "top-files",
        title,
        sentence,
        &svg::hbars("top-files", title, &labels, &series),
        &legend,
    );
}

fn review(out: &mut String, r: &Report) {
    if r.review.is_empty() {
        return;
    }
    let title = "Review verdicts";
    let sentence = "The verdicts the review layer keeps (gavel review), per review rule.";
    let labels: Vec<String> = r.review.iter().map(|v| v.rule.clone()).collect();
    let series = [
        Series {
            name: "fail",
            color: ERROR,
            values: r.review.iter().map(|v| v.fail as f64).collect(),
        },
        Series {
            name: "pass",
            color: FIXED,
            values: r.review.iter().map(|v| v.pass as f64).collect(),
        },
        Series {
            name: "unsure",
            color: HINT,
            values: r.review.iter().map(|v| v.unsure as f64).collect(),
        },
    ];
    let legend: Vec<(&str, &str)> = series.iter().map(|s| (s.name, s.color)).collect();
    figure(
        out,
        "review",
        title,
        sentence,
        &svg::hbars("review", title, &labels, &series),
        &legend,
    );
}

fn never_fired(out: &mut String, r: &Report) {
    let _ = write!(
        out,
        "<section class=\"list\" id=\"never-fired\"><h2>Rules that never fired</h2><p>{} loaded rules had no finding at any commit checked.</p><p class=\"ids\">",
        r.never_fired.len()
    );
    for id in &r.never_fired {
        let _ = write!(out, "<code>{}</code> ", esc(id));
    }
    out.push_str("</p></section>");
}

fn suggestions(out: &mut String, r: &Report) {
    out.push_str("<section class=\"list\" id=\"suggestions\"><h2>Suggestions</h2>");
    if r.suggestions.is_empty() {
        out.push_str("<p>Nothing to suggest from these figures.</p>");
    } else {
        out.push_str("<ol>");
        for s in &r.suggestions {
            let _ = write!(
                out,
                "<li data-kind=\"{}\">{}</li>",
                esc(&s.kind),
                code_spans(&s.text)
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</section>");
}

/// Escaped text with `` `code` `` spans.
fn code_spans(text: &str) -> String {
    esc(text)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}
