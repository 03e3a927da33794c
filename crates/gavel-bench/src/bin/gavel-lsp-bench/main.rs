//! `gavel-lsp-bench`: drive language servers over stdio the way an editor does, and print how long
//! diagnostics take to follow typing, and how much memory open files cost.
//!
//! ```text
//! gavel-lsp-bench [--gavel PATH [--config GAVEL_TOML] [--no-baseline] [--gavel-variant NAME=JSON]...]
//!                 [--server NAME=COMMAND]...
//!                 [--edits N] [--baseline-edits N] [--pace-ms MS] [--wait-ms MS]
//!                 [--open N] [--open-dir DIR] [--json FILE] [--trace FILE] FILE... [-- OPEN_DIR]
//! ```
//!
//! Servers: `--gavel PATH` measures `PATH lsp` twice, incremental parsing and checking on
//! ("gavel") and off ("gavel, full reparse": `initializationOptions.incremental = false`, a full
//! reparse and check per change, the baseline); `--config` is passed to it as
//! `initializationOptions.config`. `--server NAME=COMMAND` measures any other server (the command
//! is split on spaces), e.g. `--server "ast-grep=ast-grep lsp -c sgconfig.yml"`.
//! `--gavel-variant NAME=JSON` adds a gavel run with more `initializationOptions`, e.g.
//! `--gavel-variant 'provenance off={"provenance":false}'`.
//!
//! For each FILE (a 10,000-line Python or Rust file) and each server, in a fresh server: open it,
//! wait for its diagnostics, then type N characters at typing pace (one every `--pace-ms`) in the
//! middle of the file (before a top-level definition), one didChange each: a ranged change when
//! the server asks for incremental sync, the whole text when it asks for full sync. The latency of
//! an edit is the time from sending its didChange to the first diagnostics published for that
//! version or a later one; a server that publishes without a version gets the first publication
//! received after the didChange was sent. It prints p50, p90, p99 and max.
//!
//! A server that falls behind typing is bounded: after the last edit the harness waits at most
//! `--wait-ms` (default 10 s) more. An edit whose diagnostics have not come by then counts as the
//! time waited, a lower bound: such percentiles print as `>=`, and the `late` column counts them.
//! `--baseline-edits` (default: `--edits`) types fewer characters into the full-reparse baseline.
//!
//! With `--open-dir DIR` (or `-- DIR`), it also opens the first `--open` Python and Rust files
//! under DIR (2 KB to 100 KB each) in one server of each kind (the baseline excepted), waits for
//! all their diagnostics, and prints the server's resident memory.
//!
//! `--json FILE` also writes every figure as one JSON object per line, for `bench/run.sh`;
//! `--trace FILE` writes every edit's latency (server, file, edit number, the character typed,
//! ms, late) as tab-separated lines, to see which edits are slow.

use std::{
    collections::HashSet,
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

/// How to start one language server.
mod server;

use server::{Server, Spec, published, uri};

fn language(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("rs") => "rust",
        _ => "python",
    }
}

/// Where to type: the start of a top-level definition near the middle of the file, and what.
fn typing_point(text: &str, lang: &str) -> (usize, &'static str) {
    let lines: Vec<&str> = text.lines().collect();
    let starts: &[&str] = if lang == "rust" {
        &["fn ", "pub fn ", "impl", "pub struct", "struct "]
    } else {
        &["def ", "class "]
    };
    let mid = lines.len() / 2;
    let line = (mid..lines.len())
        .chain(0..mid)
        .find(|&i| starts.iter().any(|s| lines[i].starts_with(s)))
        .unwrap_or(mid);
    let snippet = if lang == "rust" {
        "fn typed(a: u32, b: u32) -> u32 {\n    let total = a + b;\n    total.checked_mul(2).unwrap()\n}\n"
    } else {
        "def typed(a, b):\n    total = a + b\n    return eval(str(total))\n\n"
    };
    (line, snippet)
}

/// One edit's latency in ms; `late` when its diagnostics never came and `ms` is a lower bound.
#[derive(Clone, Copy)]
struct Sample {
    ms: f64,
    late: bool,
    /// The character typed.
    typed: char,
}

/// Type `edits` characters into `file` in a fresh server and return each edit's latency.
fn latency(
    spec: &Spec,
    file: &Path,
    edits: usize,
    pace: Duration,
    wait: Duration,
) -> Result<Vec<Sample>, String> {
    let mut text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let root = file.parent().expect("a file has a parent");
    let mut server = Server::start(spec, root)?;
    let uri = uri(file);
    let lang = language(file);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": lang, "version": 0, "text": text}}),
    );
    let mut seen = Vec::new();
    if !server.wait_published(
        &uri,
        0,
        Instant::now() + Duration::from_secs(120),
        &mut seen,
    ) {
        server.stop();
        return Err(format!(
            "{}: no diagnostics for {} within 120 s of opening it",
            spec.name,
            file.display()
        ));
    }
    seen.clear();
    let (mut line, snippet) = typing_point(&text, lang);
    let mut offset: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut col = 0u32;
    let mut sent: Vec<Instant> = Vec::with_capacity(edits);
    let chars: Vec<char> = snippet.chars().cycle().take(edits).collect();
    for (i, ch) in chars.iter().enumerate() {
        let version = i as i64 + 1;
        text.insert(offset, *ch);
        offset += ch.len_utf8();
        let change = if server.full_sync {
            json!({"text": text})
        } else {
            json!({
                "range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}},
                "text": ch.to_string(),
            })
        };
        let at = server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [change],
            }),
        );
        sent.push(at);
        if *ch == '\n' {
            line += 1;
            col = 0;
        } else {
            col += ch.len_utf16() as u32;
        }
        // Collect what arrives meanwhile, until it is time for the next keystroke.
        let next = at + pace;
        while let Some(left) = next.checked_duration_since(Instant::now()) {
            match server.recv(left) {
                Ok((t, m)) => seen.extend(published(t, &m)),
                Err(_) => break,
            }
        }
    }
    let deadline = Instant::now() + wait;
    server.wait_published(&uri, edits as i64, deadline, &mut seen);
    let gave_up = Instant::now();
    server.stop();
    let samples = sent
        .iter()
        .zip(&chars)
        .enumerate()
        .map(|(i, (at, typed))| {
            let v = i as i64 + 1;
            match seen
                .iter()
                .find(|p| p.uri == uri && p.at >= *at && p.version.is_none_or(|pv| pv >= v))
            {
                Some(p) => Sample {
                    ms: p.at.duration_since(*at).as_secs_f64() * 1000.0,
                    late: false,
                    typed: *typed,
                },
                None => Sample {
                    ms: gave_up.duration_since(*at).as_secs_f64() * 1000.0,
                    late: true,
                    typed: *typed,
                },
            }
        })
        .collect();
    Ok(samples)
}

fn percentile(sorted: &[Sample], p: f64) -> Sample {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn show(s: Sample) -> String {
    if s.late {
        format!(">={:.1}", s.ms)
    } else {
        format!("{:.2}", s.ms)
    }
}

/// Print one table row and its JSON line.
fn report(out: &mut Output, file: &str, server: &str, mut ms: Vec<Sample>) {
    if let Some(t) = &mut out.trace {
        for (i, s) in ms.iter().enumerate() {
            let _ = writeln!(
                t,
                "{server}\t{file}\t{}\t{:?}\t{:.3}\t{}",
                i + 1,
                s.typed,
                s.ms,
                s.late
            );
        }
    }
    ms.sort_by(|a, b| a.ms.total_cmp(&b.ms));
    let (p50, p90, p99, max) = (
        percentile(&ms, 0.5),
        percentile(&ms, 0.9),
        percentile(&ms, 0.99),
        ms[ms.len() - 1],
    );
    let late = ms.iter().filter(|s| s.late).count();
    println!(
        "| {file} | {server} | {} | {} | {} | {} | {} | {late} |",
        ms.len(),
        show(p50),
        show(p90),
        show(p99),
        show(max)
    );
    out.line(json!({
        "kind": "latency", "file": file, "server": server, "edits": ms.len(),
        "p50": p50.ms, "p90": p90.ms, "p99": p99.ms, "max": max.ms,
        "p50_late": p50.late, "p90_late": p90.late, "p99_late": p99.late, "late": late,
    }));
}

fn open_files(dir: &Path, count: usize) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if !p.ends_with("site-packages") {
                    stack.push(p);
                }
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("py" | "rs")) {
                files.push(p);
            }
        }
    }
    // Typical files: between 2 KB and 100 KB, valid UTF-8.
    files.retain(|p| {
        std::fs::metadata(p).is_ok_and(|m| (2_000..100_000).contains(&m.len()))
            && std::fs::read_to_string(p).is_ok()
    });
    files.truncate(count);
    files
}

fn memory(out: &mut Output, spec: &Spec, dir: &Path, files: &[PathBuf]) -> Result<(), String> {
    let mut server = Server::start(spec, dir)?;
    std::thread::sleep(Duration::from_millis(200));
    let idle = server.rss_kib().0;
    let mut bytes = 0;
    let mut pending: HashSet<String> = HashSet::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        bytes += text.len();
        pending.insert(uri(f));
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(f), "languageId": language(f), "version": 0, "text": text}}),
        );
    }
    let opened = pending.len();
    let deadline = Instant::now() + Duration::from_secs(600);
    while !pending.is_empty() && Instant::now() < deadline {
        if let Ok((_, m)) = server.recv(Duration::from_secs(60))
            && m["method"] == "textDocument/publishDiagnostics"
        {
            pending.remove(m["params"]["uri"].as_str().unwrap_or_default());
        }
    }
    let (rss, peak) = server.rss_kib();
    let missing = pending.len();
    println!(
        "| {} | {opened} | {:.1} | {:.1} | {:.1} | {:.1} | {missing} |",
        spec.name,
        bytes as f64 / 1e6,
        rss as f64 / 1024.0,
        idle as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    out.line(json!({
        "kind": "memory", "server": spec.name, "files": opened, "bytes": bytes,
        "rss_kib": rss, "idle_kib": idle, "peak_kib": peak, "missing": missing,
    }));
    server.stop();
    Ok(())
}

/// Where the JSON lines and the per-edit trace go, if anywhere.
struct Output {
    json: Option<std::fs::File>,
    trace: Option<std::fs::File>,
}

impl Output {
    fn line(&mut self, v: Value) {
        if let Some(f) = &mut self.json {
            let _ = writeln!(f, "{v}");
        }
    }
}

struct Args {
    specs: Vec<Spec>,
    edits: usize,
    baseline_edits: Option<usize>,
    pace: Duration,
    wait: Duration,
    open: usize,
    open_dir: Option<PathBuf>,
    json: Option<PathBuf>,
    trace: Option<PathBuf>,
    files: Vec<PathBuf>,
}

const USAGE: &str = "usage: gavel-lsp-bench [--gavel PATH [--config GAVEL_TOML] [--no-baseline] [--gavel-variant NAME=JSON]...] \
[--server NAME=COMMAND]... [--edits N] [--baseline-edits N] [--pace-ms MS] [--wait-ms MS] \
[--open N] [--open-dir DIR] [--json FILE] [--trace FILE] FILE... [-- OPEN_DIR]";

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut gavel, mut config, mut baseline) = (None::<PathBuf>, None::<PathBuf>, true);
    let mut others = Vec::new();
    let mut variants: Vec<(String, Value)> = Vec::new();
    let mut a = Args {
        specs: Vec::new(),
        edits: 1000,
        baseline_edits: None,
        pace: Duration::from_millis(30),
        wait: Duration::from_secs(10),
        open: 200,
        open_dir: None,
        json: None,
        trace: None,
        files: Vec::new(),
    };
    let number = |flag: &str, v: Option<String>| -> Result<u64, String> {
        v.and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--gavel" => gavel = Some(args.next().ok_or("--gavel needs a path")?.into()),
            "--config" => config = Some(args.next().ok_or("--config needs a path")?.into()),
            "--no-baseline" => baseline = false,
            "--gavel-variant" => {
                let s = args.next().ok_or("--gavel-variant needs NAME=JSON")?;
                let (name, options) = s
                    .split_once('=')
                    .ok_or_else(|| format!("--gavel-variant wants NAME=JSON, not `{s}`"))?;
                let options: Value = serde_json::from_str(options)
                    .map_err(|e| format!("--gavel-variant {name}: {e}"))?;
                variants.push((name.to_string(), options));
            }
            "--server" => {
                let s = args.next().ok_or("--server needs NAME=COMMAND")?;
                let (name, command) = s
                    .split_once('=')
                    .ok_or_else(|| format!("--server wants NAME=COMMAND, not `{s}`"))?;
                others.push(Spec {
                    name: name.to_string(),
                    command: command.split_whitespace().map(String::from).collect(),
                    options: json!({}),
                    baseline: false,
                });
            }
            "--edits" => a.edits = number("--edits", args.next())? as usize,
            "--baseline-edits" => {
                a.baseline_edits = Some(number("--baseline-edits", args.next())? as usize);
            }
            "--pace-ms" => a.pace = Duration::from_millis(number("--pace-ms", args.next())?),
            "--wait-ms" => a.wait = Duration::from_millis(number("--wait-ms", args.next())?),
            "--open" => a.open = number("--open", args.next())? as usize,
            "--open-dir" | "--" => {
                a.open_dir = Some(args.next().ok_or("--open-dir needs a directory")?.into());
            }
            "--json" => a.json = Some(args.next().ok_or("--json needs a path")?.into()),
            "--trace" => a.trace = Some(args.next().ok_or("--trace needs a path")?.into()),
            "-h" | "--help" => return Err(String::new()),
            f if f.starts_with("--") => return Err(format!("unknown option `{f}`")),
            f => a
                .files
                .push(std::fs::canonicalize(f).map_err(|e| format!("FILE `{f}`: {e}"))?),
        }
    }
    if let Some(g) = gavel {
        let mut options = json!({});
        if let Some(c) = config {
            let c = std::fs::canonicalize(&c).map_err(|e| format!("--config: {e}"))?;
            options["config"] = json!(c);
        }
        let g = std::fs::canonicalize(&g).map_err(|e| format!("--gavel {}: {e}", g.display()))?;
        let command = vec![g.display().to_string(), "lsp".to_string()];
        let mut inc = options.clone();
        inc["incremental"] = json!(true);
        for (name, extra) in &variants {
            let mut options = inc.clone();
            for (k, v) in extra.as_object().into_iter().flatten() {
                options[k] = v.clone();
            }
            a.specs.push(Spec {
                name: name.clone(),
                command: command.clone(),
                options,
                baseline: false,
            });
        }
        a.specs.insert(
            0,
            Spec {
                name: "gavel".into(),
                command: command.clone(),
                options: inc,
                baseline: false,
            },
        );
        if baseline {
            let mut full = options;
            full["incremental"] = json!(false);
            a.specs.push(Spec {
                name: "gavel, full reparse".into(),
                command,
                options: full,
                baseline: true,
            });
        }
    }
    a.specs.extend(others);
    if a.specs.is_empty() {
        return Err("no server: give --gavel PATH and/or --server NAME=COMMAND".into());
    }
    if a.edits == 0 || a.baseline_edits == Some(0) {
        return Err("--edits and --baseline-edits want at least 1".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gavel-lsp-bench: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let create = |p: &Option<PathBuf>| {
        p.as_ref().and_then(|p| {
            std::fs::File::create(p)
                .map_err(|e| eprintln!("gavel-lsp-bench: {}: {e}", p.display()))
                .ok()
        })
    };
    let mut out = Output {
        json: create(&a.json),
        trace: create(&a.trace),
    };
    let mut failed = false;
    if !a.files.is_empty() {
        println!(
            "{} single-character edits per file ({} for the full-reparse baseline), one every {} ms; \
             after the last edit, late diagnostics are awaited for at most {} ms.",
            a.edits,
            a.baseline_edits.unwrap_or(a.edits),
            a.pace.as_millis(),
            a.wait.as_millis()
        );
        println!();
        println!("| file | server | edits | p50 ms | p90 ms | p99 ms | max ms | late |");
        println!("|---|---|---|---|---|---|---|---|");
    }
    for f in &a.files {
        let lines = std::fs::read_to_string(f)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        let name = format!(
            "{} ({lines} lines)",
            f.file_name().unwrap_or_default().to_string_lossy()
        );
        for spec in &a.specs {
            let edits = if spec.baseline {
                a.baseline_edits.unwrap_or(a.edits)
            } else {
                a.edits
            };
            match latency(spec, f, edits, a.pace, a.wait) {
                Ok(samples) => report(&mut out, &name, &spec.name, samples),
                Err(e) => {
                    eprintln!("gavel-lsp-bench: {e}");
                    println!("| {name} | {} | failed: {e} | | | | | |", spec.name);
                    failed = true;
                }
            }
        }
    }
    if let Some(dir) = &a.open_dir {
        let files = open_files(dir, a.open);
        println!();
        println!(
            "Memory with the first {} files of {} open (2-100 KB each), after their diagnostics:",
            files.len(),
            dir.display()
        );
        println!();
        println!(
            "| server | files | MB of source | RSS MiB | idle RSS MiB | peak RSS MiB | no diagnostics |"
        );
        println!("|---|---|---|---|---|---|---|");
        for spec in a.specs.iter().filter(|s| !s.baseline) {
            if let Err(e) = memory(&mut out, spec, dir, &files) {
                eprintln!("gavel-lsp-bench: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
