//! `gavel-bench`: the measurements that `bench/` compares `gavel check` with.
//!
//! `gavel-bench parse-floor [--threads N] PATH...` walks the paths the way `gavel check` does
//! (the `ignore` crate, honouring `.gitignore` inside and outside a git repository and skipping
//! hidden entries; a file named directly is kept if its language is known), reads every file whose
//! language [`Lang::from_path`] recognises, and parses it with [`gavel_syntax::parse`] on a rayon
//! pool of `N` threads (default: rayon's choice, which honours `RAYON_NUM_THREADS` and otherwise
//! uses every core). It skips and counts what gavel skips: files that are not UTF-8, binary files
//! (a NUL byte in the first 8 KiB) and files over 8 MiB.
//!
//! The walk and the skip rules are written out here rather than taken from `gavel-workspace`, so
//! that the floor stays a fixed baseline when gavel's own IO changes.
//!
//! It prints one JSON line:
//!
//! ```text
//! {"files":1787,"skipped":4,"unreadable":0,"syntax_errors":3,"bytes":31512172,"threads":2,"seconds":1.786012}
//! ```
//!
//! `seconds` is wall time from before the walk to after the last parse: walking and reading are
//! included, as they are in `gavel check`. Nothing here is a check of speed; `bench/` prints the
//! figures next to gavel's, measured in the same run.

use std::{
    fs,
    iter::Sum,
    ops::Add,
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use gavel_syntax::Lang;
use ignore::WalkBuilder;
use rayon::prelude::*;

/// Files larger than this are skipped, as gavel skips them.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A NUL byte in this many leading bytes marks a binary file, as in gavel.
const BINARY_SNIFF_BYTES: usize = 8192;

const USAGE: &str = "usage: gavel-bench parse-floor [--threads N] PATH...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args).and_then(|floor| floor.run()) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("gavel-bench: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The `parse-floor` subcommand and its arguments.
#[derive(Debug, PartialEq, Eq)]
struct ParseFloor {
    /// Threads in the pool; `None` leaves the choice to rayon.
    threads: Option<usize>,
    paths: Vec<PathBuf>,
}

/// Read the command line (without the program name).
fn parse_args(args: &[String]) -> Result<ParseFloor, String> {
    let (command, rest) = args.split_first().ok_or("no subcommand given")?;
    if command != "parse-floor" {
        return Err(format!("unknown subcommand `{command}`"));
    }
    let mut floor = ParseFloor {
        threads: None,
        paths: Vec::new(),
    };
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        if let Some(value) = arg.strip_prefix("--threads=") {
            floor.threads = Some(parse_threads(value)?);
        } else if arg == "--threads" {
            let value = rest.next().ok_or("--threads needs a number")?;
            floor.threads = Some(parse_threads(value)?);
        } else if arg.starts_with("--") {
            return Err(format!("unknown option `{arg}`"));
        } else {
            floor.paths.push(PathBuf::from(arg));
        }
    }
    if floor.paths.is_empty() {
        return Err("no paths given".into());
    }
    Ok(floor)
}

fn parse_threads(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("--threads wants a positive number, not `{value}`")),
    }
}

impl ParseFloor {
    /// Walk, read and parse everything, and return the JSON line to print.
    fn run(&self) -> Result<String, String> {
        let mut pool = rayon::ThreadPoolBuilder::new();
        if let Some(n) = self.threads {
            pool = pool.num_threads(n);
        }
        let pool = pool.build().map_err(|e| e.to_string())?;

        let start = Instant::now();
        let (files, walk_errors) = collect_files(&self.paths);
        let parsed: Totals =
            pool.install(|| files.par_iter().map(|(p, l)| parse_file(p, *l)).sum());
        let seconds = start.elapsed().as_secs_f64();

        let totals = parsed
            + Totals {
                unreadable: walk_errors,
                ..Totals::default()
            };
        Ok(totals.to_json(pool.current_num_threads(), seconds))
    }
}

/// Every file under `paths` in a language gavel checks, sorted, and how many entries could not be
/// walked.
fn collect_files(paths: &[PathBuf]) -> (Vec<(PathBuf, Lang)>, u64) {
    let mut files = Vec::new();
    let mut errors = 0;
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_file() => files.extend(known_file(path.clone())),
            Ok(_) => errors += walk_dir(path, &mut files),
            Err(e) => {
                eprintln!("gavel-bench: {}: {e}", path.display());
                errors += 1;
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// Push the files under `dir` onto `files`; return how many entries could not be walked.
fn walk_dir(dir: &Path, files: &mut Vec<(PathBuf, Lang)>) -> u64 {
    let mut errors = 0;
    for entry in WalkBuilder::new(dir).require_git(false).build() {
        match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                files.extend(known_file(entry.into_path()));
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("gavel-bench: {e}");
                errors += 1;
            }
        }
    }
    errors
}

fn known_file(path: PathBuf) -> Option<(PathBuf, Lang)> {
    let lang = Lang::from_path(&path)?;
    Some((path, lang))
}

/// Read and parse one file; the tree is dropped at once.
fn parse_file(path: &Path, lang: Lang) -> Totals {
    let bytes = match read_file(path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Totals::one_skipped(),
        Err(e) => {
            eprintln!("gavel-bench: {}: {e}", path.display());
            return Totals {
                unreadable: 1,
                ..Totals::default()
            };
        }
    };
    let len = bytes.len() as u64;
    let Ok(text) = String::from_utf8(bytes) else {
        return Totals::one_skipped();
    };
    let tree = gavel_syntax::parse(lang, &text);
    Totals {
        files: 1,
        bytes: len,
        syntax_errors: u64::from(tree.root_node().has_error()),
        ..Totals::default()
    }
}

/// The bytes of `path`, or `None` for a file gavel skips unread (too large) or as binary.
fn read_file(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    if fs::metadata(path)?.len() > MAX_FILE_BYTES {
        return Ok(None);
    }
    let bytes = fs::read(path)?;
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    Ok((!head.contains(&0)).then_some(bytes))
}

/// What the run saw. `files` and `bytes` count only the files that were parsed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Totals {
    files: u64,
    /// Files that are not UTF-8, binary or too large.
    skipped: u64,
    /// Files or directories that could not be read.
    unreadable: u64,
    /// Parsed files whose tree has an error or missing node.
    syntax_errors: u64,
    bytes: u64,
}

impl Add for Totals {
    type Output = Totals;

    fn add(self, o: Totals) -> Totals {
        Totals {
            files: self.files + o.files,
            skipped: self.skipped + o.skipped,
            unreadable: self.unreadable + o.unreadable,
            syntax_errors: self.syntax_errors + o.syntax_errors,
            bytes: self.bytes + o.bytes,
        }
    }
}

impl Sum for Totals {
    fn sum<I: Iterator<Item = Totals>>(iter: I) -> Totals {
        iter.fold(Totals::default(), Add::add)
    }
}

impl Totals {
    fn one_skipped() -> Totals {
        Totals {
            skipped: 1,
            ..Totals::default()
        }
    }

    fn to_json(self, threads: usize, seconds: f64) -> String {
        format!(
            "{{\"files\":{},\"skipped\":{},\"unreadable\":{},\"syntax_errors\":{},\"bytes\":{},\
             \"threads\":{threads},\"seconds\":{seconds:.6}}}",
            self.files, self.skipped, self.unreadable, self.syntax_errors, self.bytes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_threads_and_paths() {
        let floor = parse_args(&args(&["parse-floor", "--threads", "3", "a", "b"])).unwrap();
        assert_eq!(floor.threads, Some(3));
        assert_eq!(floor.paths, [PathBuf::from("a"), PathBuf::from("b")]);
        let floor = parse_args(&args(&["parse-floor", "--threads=1", "a"])).unwrap();
        assert_eq!(floor.threads, Some(1));
    }

    #[test]
    fn rejects_bad_command_lines() {
        for bad in [
            &[][..],
            &["check", "a"],
            &["parse-floor"],
            &["parse-floor", "--threads", "0", "a"],
            &["parse-floor", "--threads"],
            &["parse-floor", "--fast", "a"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn counts_parsed_skipped_and_ignored_files_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join(".gitignore"), "ignored.py\n").unwrap();
        fs::write(root.join("ok.py"), "x = 1\n").unwrap();
        fs::write(root.join("broken.rs"), "fn (").unwrap();
        fs::write(root.join("latin1.py"), b"s = '\xe9'\n").unwrap();
        fs::write(root.join("ignored.py"), "y = 2\n").unwrap();
        fs::write(root.join("notes.txt"), "not code\n").unwrap();
        fs::write(root.join("blob.py"), b"x = 1\0\n").unwrap();
        fs::create_dir(root.join(".hidden")).unwrap();
        fs::write(root.join(".hidden/h.py"), "z = 3\n").unwrap();

        let floor = ParseFloor {
            threads: Some(1),
            // A file named as well as found by the walk counts once.
            paths: vec![root.to_path_buf(), root.join("ok.py")],
        };
        let line = floor.run().unwrap();
        assert!(
            line.starts_with(
                "{\"files\":2,\"skipped\":2,\"unreadable\":0,\"syntax_errors\":1,\"bytes\":10,\
                 \"threads\":1,\"seconds\":"
            ),
            "{line}"
        );
    }
}
