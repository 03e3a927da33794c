//! The vibe loop (issue 15, item 6): code as an assistant writes it against ACME's house rules
//! (`tests/vibe/`), driven through the loop an agent runs: check the buffer (`gavel check
//! --stdin-filename`, the same findings `gavel_check` and the hooks give), apply what gavel says
//! (the preferred fix's edits, or the rendered `instead` where it is code that parses in place
//! of the finding), check again. Asserts what the agent ends with, the share of findings that
//! named a concrete replacement, and the rounds each file took.

mod common;

use std::{fmt::Write, path::Path};

use common::run_stdin;
use expect_test::{Expect, expect};
use gavel_syntax::{Lang, parse};
use serde_json::Value;

/// A replacement: start and end byte, new text.
type Edit = (usize, usize, String);

/// At most this many rounds of check-and-apply per file.
const MAX_ROUNDS: usize = 5;

/// One file's loop.
#[derive(Default)]
struct Loop {
    rounds: usize,
    findings: usize,
    /// Findings whose agent message names what to write (an `instead`, a fix, a sanctioned
    /// library).
    named: usize,
    by_fix: usize,
    by_instead: usize,
    text: String,
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

/// A project with the acme packs (or none: the built-in packs), the case at `rel`.
fn project(acme: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if acme {
        let packs = dir.path().join("policies");
        std::fs::create_dir_all(&packs).unwrap();
        for pack in ["acme-python.toml", "acme-rust.toml"] {
            let from = repo().join("policies/examples/acme").join(pack);
            std::fs::copy(from, packs.join(pack)).unwrap();
        }
        std::fs::write(
            dir.path().join("gavel.toml"),
            "policies = [\"policies/\"]\n",
        )
        .unwrap();
    }
    dir
}

fn check_json(dir: &Path, rel: &str, text: &str) -> Vec<Value> {
    let args = [
        "check",
        "--stdin-filename",
        rel,
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    let out = run_stdin(dir, &args, text.as_bytes());
    let json = out
        .split_once("--- stdout\n")
        .map(|(_, rest)| rest.split("--- stderr").next().unwrap_or(rest))
        .unwrap_or_else(|| panic!("{out}"));
    let report: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {out}"));
    report["findings"].as_array().cloned().unwrap_or_default()
}

/// Byte offset of a 1-based line and column (Unicode scalars).
fn offset(text: &str, p: &Value) -> usize {
    let (line, col) = (p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap());
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    rest.char_indices()
        .nth(col as usize - 1)
        .map_or(text.len(), |(i, _)| start + i)
}

/// What a literal-minded agent does with one finding: the fix's edits, or the `instead` text in
/// place of the finding when it has no `...` placeholder and the file still parses; `None` when
/// it needs judgment.
fn edits_for(lang: Lang, text: &str, f: &Value) -> Option<(Vec<Edit>, bool)> {
    let edit = |e: &Value| {
        (
            offset(text, &e["start"]),
            offset(text, &e["end"]),
            e["text"].as_str().unwrap().to_string(),
        )
    };
    if let Some(fix) = f["fixes"].as_array().and_then(|f| f.first()) {
        return Some((fix["edits"].as_array()?.iter().map(edit).collect(), true));
    }
    // An `instead` with a placeholder (`...`) is a shape to follow, not code to paste.
    let instead = f["instead"].as_str().filter(|i| !i.contains("..."))?;
    let (start, end) = (offset(text, &f["start"]), offset(text, &f["end"]));
    let tried = format!("{}{instead}{}", &text[..start], &text[end..]);
    let parses = !parse(lang, &tried).root_node().has_error();
    parses.then(|| (vec![(start, end, instead.to_string())], false))
}

fn drive(dir: &Path, rel: &str, text: String) -> Loop {
    let lang = Lang::from_path(Path::new(rel)).unwrap();
    let mut l = Loop {
        text,
        ..Loop::default()
    };
    while l.rounds < MAX_ROUNDS {
        let findings = check_json(dir, rel, &l.text);
        if l.rounds == 0 {
            l.findings = findings.len();
            l.named = findings.iter().filter(|f| names_replacement(f)).count();
        }
        l.rounds += 1;
        let mut chosen: Vec<Edit> = Vec::new();
        for f in &findings {
            let Some((edits, by_fix)) = edits_for(lang, &l.text, f) else {
                continue;
            };
            let overlaps = edits
                .iter()
                .any(|(s, e, _)| chosen.iter().any(|(cs, ce, _)| s < ce && cs < e));
            if overlaps {
                continue;
            }
            *(if by_fix {
                &mut l.by_fix
            } else {
                &mut l.by_instead
            }) += 1;
            chosen.extend(edits);
        }
        if chosen.is_empty() {
            break;
        }
        chosen.sort_by_key(|(s, e, _)| (*s, *e));
        for (s, e, t) in chosen.into_iter().rev() {
            l.text.replace_range(s..e, &t);
        }
    }
    l
}

fn names_replacement(f: &Value) -> bool {
    f["instead"].is_string()
        || f["fixes"].as_array().is_some_and(|f| !f.is_empty())
        || f["sanctioned"].is_object()
}

/// Drive every case under `tests/vibe/` and compare the summary and the final files.
fn check(acme: bool, expect: Expect) {
    let dir = project(acme);
    let mut cases: Vec<_> = ["python", "rust"]
        .iter()
        .flat_map(|d| std::fs::read_dir(repo().join("tests/vibe").join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut out = String::new();
    let (mut findings, mut named) = (0, 0);
    for case in cases {
        let rel = format!("src/{}", case.file_name().unwrap().to_str().unwrap());
        let l = drive(dir.path(), &rel, std::fs::read_to_string(&case).unwrap());
        (findings, named) = (findings + l.findings, named + l.named);
        let left = run_stdin(
            dir.path(),
            &["check", "--stdin-filename", &rel],
            l.text.as_bytes(),
        );
        let _ = writeln!(
            out,
            "== {rel}: {} findings, {} named a replacement; {} rounds; {} by fix, {} by instead",
            l.findings, l.named, l.rounds, l.by_fix, l.by_instead
        );
        out.push_str(&l.text);
        let severities = ["error: ", "warning: ", "info: ", "hint: "];
        for line in left
            .lines()
            .filter(|l| severities.iter().any(|s| l.starts_with(s)))
        {
            let _ = writeln!(out, "   left: {line}");
        }
    }
    let _ = writeln!(out, "== {named} of {findings} findings named a replacement");
    // The summary lines, for `bench/vibe-loop.sh` (shown with `--nocapture`).
    let packs = if acme { "acme packs" } else { "built-in packs" };
    for line in out.lines().filter(|l| l.starts_with("== ")) {
        println!("vibe[{packs}] {line}");
    }
    expect.assert_eq(&out);
}

#[test]
fn acme_packs() {
    check(
        true,
        expect![[r#"
        == src/order_repo.py: 2 findings, 2 named a replacement; 2 rounds; 2 by fix, 0 by instead
        """Order lookups."""
        import os

        import psycopg2
        import acme_config
        import acme_db

        DSN = acme_config.get("DATABASE_URL")


        def find(conn, order_id):
            cur = conn.cursor()
            acme_db.query("SELECT * FROM orders WHERE id = %s", (order_id,))
            return cur.fetchone()


        def connect():
            return psycopg2.connect(DSN)
        == src/report_job.py: 3 findings, 3 named a replacement; 2 rounds; 2 by fix, 0 by instead
        """Nightly report job."""
        import logging
        import subprocess
        import acme_log
        import acme.proc

        acme_log.setup(level=logging.INFO)


        def export(path):
            acme.proc.run(f"pg_dump orders > {path}")
            logging.info("exported to %s", path)


        def disk_usage(path):
            out = subprocess.check_output(f"du -sh {path}", shell=True)
            return out.decode()
           left: error: Use acme.proc.run([...]), not subprocess.check_output(..., shell=True). Instead: acme.proc.run(["prog", arg, ...]).stdout, an argument list and no shell=True [acme.subprocess-shell-other]
        == src/weather_client.py: 3 findings, 3 named a replacement; 2 rounds; 3 by fix, 0 by instead
        """Fetch the weather for a city (written by an assistant asked for "a weather client")."""
        import os

        import acme_http
        import acme_config
        import acme_log

        API_URL = acme_config.get("WEATHER_API_URL", "https://api.weather.example")


        def current(city):
            acme_log.info(f"fetching weather for {city}")
            resp = acme_http.get(f"{API_URL}/current", params={"q": city}, timeout=5)
            resp.raise_for_status()
            return resp.json()
        == src/webhook.py: 2 findings, 2 named a replacement; 2 rounds; 2 by fix, 0 by instead
        """Send order events to a partner's webhook."""
        import acme_http
        import acme_log


        def send(url, event):
            acme_log.info("sending", event["id"])
            with acme_http.Client() as client:
                client.post(url, json=event)
        == src/fetch.rs: 4 findings, 4 named a replacement; 2 rounds; 4 by fix, 0 by instead
        //! Fetch a price from the pricing service.
        use std::env;

        pub async fn price(sku: &str) -> Result<f64, acme_http::Error> {
            let base = acme_config::get("PRICING_URL").unwrap_or_default();
            tracing::info!("fetching price for {sku}");
            let body: serde_json::Value = acme_http::get(format!("{base}/price/{sku}"))
                .await?
                .json()
                .await?;
            Ok(body["price"].as_f64().unwrap_or(0.0))
        }
        == src/worker.rs: 2 findings, 2 named a replacement; 2 rounds; 2 by fix, 0 by instead
        //! A background worker.
        pub fn run(jobs: Vec<String>) {
            for job in jobs {
                if let Err(e) = handle(&job) {
                    tracing::error!("job {job} failed: {e}");
                }
            }
        }

        fn handle(job: &str) -> Result<(), String> {
            tracing::info!("handling {job}");
            Ok(())
        }
        == 16 of 16 findings named a replacement
    "#]],
    );
}

#[test]
fn built_in_packs() {
    check(
        false,
        expect![[r#"
        == src/order_repo.py: 1 findings, 1 named a replacement; 1 rounds; 0 by fix, 0 by instead
        """Order lookups."""
        import os

        import psycopg2

        DSN = os.environ["DATABASE_URL"]


        def find(conn, order_id):
            cur = conn.cursor()
            cur.execute(f"SELECT * FROM orders WHERE id = {order_id}")
            return cur.fetchone()


        def connect():
            return psycopg2.connect(DSN)
           left: error: SQL built with string formatting is open to SQL injection. Instead: pass the values as parameters: cur.execute("... WHERE id = %s", (value,)) [py.sql-injection]
        == src/report_job.py: 2 findings, 2 named a replacement; 1 rounds; 0 by fix, 0 by instead
        """Nightly report job."""
        import logging
        import subprocess

        logging.basicConfig(level=logging.INFO)


        def export(path):
            subprocess.run(f"pg_dump orders > {path}", shell=True)
            logging.info("exported to %s", path)


        def disk_usage(path):
            out = subprocess.check_output(f"du -sh {path}", shell=True)
            return out.decode()
           left: error: subprocess.run runs a dynamically built command through the shell (shell=True). Instead: subprocess.run(["prog", arg, ...]), an argument list and no shell=True [py.subprocess-shell]
           left: error: subprocess.check_output runs a dynamically built command through the shell (shell=True). Instead: subprocess.check_output(["prog", arg, ...]), an argument list and no shell=True [py.subprocess-shell]
        == src/weather_client.py: 1 findings, 1 named a replacement; 1 rounds; 0 by fix, 0 by instead
        """Fetch the weather for a city (written by an assistant asked for "a weather client")."""
        import os

        import requests

        API_URL = os.getenv("WEATHER_API_URL", "https://api.weather.example")


        def current(city):
            print(f"fetching weather for {city}")
            resp = requests.get(f"{API_URL}/current", params={"q": city}, timeout=5)
            resp.raise_for_status()
            return resp.json()
           left: info: print() in library code: use logging. Instead: logging.getLogger(__name__).info(...) [py.print-used]
        == src/webhook.py: 1 findings, 1 named a replacement; 1 rounds; 0 by fix, 0 by instead
        """Send order events to a partner's webhook."""
        import httpx


        def send(url, event):
            print("sending", event["id"])
            with httpx.Client() as client:
                client.post(url, json=event)
           left: info: print() in library code: use logging. Instead: logging.getLogger(__name__).info(...) [py.print-used]
        == src/fetch.rs: 1 findings, 1 named a replacement; 1 rounds; 0 by fix, 0 by instead
        //! Fetch a price from the pricing service.
        use std::env;

        pub async fn price(sku: &str) -> Result<f64, reqwest::Error> {
            let base = env::var("PRICING_URL").unwrap_or_default();
            println!("fetching price for {sku}");
            let body: serde_json::Value = reqwest::get(format!("{base}/price/{sku}"))
                .await?
                .json()
                .await?;
            Ok(body["price"].as_f64().unwrap_or(0.0))
        }
           left: info: println! in library code: use a logging crate. Instead: tracing::info!(...) or log::info!(...), or return the value to the caller [rs.print-in-library]
        == src/worker.rs: 2 findings, 2 named a replacement; 1 rounds; 0 by fix, 0 by instead
        //! A background worker.
        pub fn run(jobs: Vec<String>) {
            for job in jobs {
                if let Err(e) = handle(&job) {
                    eprintln!("job {job} failed: {e}");
                }
            }
        }

        fn handle(job: &str) -> Result<(), String> {
            println!("handling {job}");
            Ok(())
        }
           left: info: eprintln! in library code: use a logging crate. Instead: tracing::info!(...) or log::info!(...), or return the value to the caller [rs.print-in-library]
           left: info: println! in library code: use a logging crate. Instead: tracing::info!(...) or log::info!(...), or return the value to the caller [rs.print-in-library]
        == 8 of 8 findings named a replacement
    "#]],
    );
}
