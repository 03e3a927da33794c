//! A reviewer command (`[review] command`): the request as one JSON line on stdin, the answer as
//! JSON on stdout, within the timeout (then it is killed). Only a user's config, or a workspace
//! the user trusts, can name one (see [`crate::settings`]).

use std::{
    io::{Read, Write},
    process::{Child, Stdio},
    time::{Duration, Instant},
};

use super::{Answer, AskError, Reviewer, parse_answer};
use crate::item::Request;

pub struct Command {
    argv: Vec<String>,
    timeout: Duration,
}

impl Command {
    pub fn new(argv: &[String], timeout: Duration) -> Command {
        Command {
            argv: argv.to_vec(),
            timeout,
        }
    }

    fn run(&self, input: &[u8]) -> Result<String, String> {
        let name = &self.argv[0];
        let mut child = std::process::Command::new(name)
            .args(&self.argv[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run the reviewer command `{name}`: {e}"))?;
        let mut stdin = child.stdin.take().expect("piped");
        let input = input.to_vec();
        // Written on a thread: a command that answers before reading must not deadlock us.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = reader(child.stdout.take().expect("piped"));
        let err = reader(child.stderr.take().expect("piped"));
        let status = wait(&mut child, self.timeout).map_err(|e| format!("`{name}` {e}"))?;
        let _ = writer.join();
        let stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
        if !status.success() {
            let first = stderr.lines().next().unwrap_or_default();
            return Err(format!(
                "the reviewer command `{name}` failed ({status}): {first}"
            ));
        }
        Ok(stdout)
    }
}

fn reader(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = r.by_ref().take(1 << 20).read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn wait(child: &mut Child, timeout: Duration) -> Result<std::process::ExitStatus, String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not answer within {} s", timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

impl Reviewer for Command {
    fn ask(&self, request: &Request) -> Result<Answer, AskError> {
        let mut line = serde_json::to_vec(request).expect("a request serializes");
        line.push(b'\n');
        let out = self.run(&line).map_err(AskError::Unreachable)?;
        parse_answer(&out)
    }
}
