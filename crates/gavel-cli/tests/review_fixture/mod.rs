//! The project the review and approval tests share: a pack with a review rule and a
//! `requires_approval` rule, two Flask handlers, the workspace's `gavel.toml` and the user's
//! own config; and running gavel in it with that user's config home.

#![allow(dead_code)]

use std::path::Path;

use crate::common::{project, run_env};

pub const PACK: &str = r#"
//- ws/policies/acme.toml
[pack]
id = "acme"

[[rule]]
id = "acme.endpoint-authz"
language = "python"
severity = "error"
message = "This endpoint does not check the caller's permission"
[rule.match]
pattern = "@app.route($$$A)\ndef $F($$$P): $$$B"
[rule.review]
prompt = "Does this handler call acme_authz.require() before touching data? Fail if not."
context = "function"

[[rule]]
id = "acme.no-eval"
language = "python"
severity = "error"
message = "eval runs arbitrary code"
requires_approval = true
[rule.match]
call = ["eval"]
//- ws/app.py
from flask import Flask
app = Flask(__name__)

@app.route("/a")
def a():
    acme_authz.require("read")
    return db.get()

@app.route("/b")
def b():
    return db.get()
"#;

/// The workspace's `gavel.toml` and the user's own config (empty strings: none).
pub fn layout(workspace: &str, user: &str) -> tempfile::TempDir {
    let mut fixture = format!("{PACK}//- ws/gavel.toml\npolicies = [\"policies\"]\n{workspace}\n");
    if !user.is_empty() {
        fixture.push_str(&format!("//- home/gavel/gavel.toml\n{user}\n"));
    }
    project(&fixture)
}

/// Run gavel in the workspace with the user's config home and `env`; the server's address
/// shows as `$URL`.
pub fn gavel(dir: &Path, args: &[&str], env: &[(&str, &str)], url: &str) -> String {
    let home = dir.join("home");
    let home = home.to_str().unwrap();
    let mut all = vec![("XDG_CONFIG_HOME", home), ("HOME", home)];
    all.extend_from_slice(env);
    let out = run_env(&dir.join("ws"), args, &all);
    let out = if url.is_empty() {
        out
    } else {
        out.replace(url, "$URL")
    };
    // Times vary: `; 0.3 s` on the summary line.
    out.lines()
        .map(|l| match l.rfind("; ") {
            Some(i) if l.starts_with("review:") && l.ends_with(" s") => format!("{}; T s", &l[..i]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
