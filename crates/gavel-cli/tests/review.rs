//! The review layer (SPEC 9) through the real binary: `gavel review` against an
//! OpenAI-compatible server on loopback (real HTTP, [`fake_llm`]) and a reviewer command; what
//! a workspace's config may and may not choose; the verdict cache. Approvals are in
//! `approvals.rs`.

mod common;
mod fake_llm;
mod review_fixture;

use expect_test::expect;
use fake_llm::{Server, verdict};
use review_fixture::{gavel, layout};

/// Fail the handler that does not call `acme_authz.require()`.
fn judge(body: &str) -> (u16, String) {
    if body.contains("acme_authz.require(\\\"read\\\")") {
        (200, verdict("pass", "it calls acme_authz.require()"))
    } else {
        (
            200,
            verdict("fail", "b() reads db without acme_authz.require()"),
        )
    }
}

const KEY: &str = "sk-test-1234567890";

fn user_http(url: &str) -> String {
    format!(
        "[review]\nendpoint = \"{url}\"\nmodel = \"test-model\"\napi_key_env = \"TEST_REVIEW_API_KEY\"\n"
    )
}

#[test]
fn fail_verdicts_are_findings_with_the_reason_and_verdicts_are_cached() {
    let server = Server::start(judge);
    let dir = layout("", &user_http(&server.url));
    let env = [("TEST_REVIEW_API_KEY", KEY)];
    let first = gavel(dir.path(), &["review", "--scope", "all"], &env, &server.url);
    let second = gavel(dir.path(), &["review", "--scope", "all"], &env, &server.url);
    expect![[r#"
        exit: 1
        --- stdout
        error: This endpoint does not check the caller's permission: b() reads db without acme_authz.require() [acme.endpoint-authz]
         --> app.py:9:1
          |
        9 | @app.route("/b")
          | ^^^^^^^^^^^^^^^^ (to line 11)

        1 finding in 1 file checked
        --- stderr
        review: 2 items: 2 asked, 0 cached; 1 failed, 1 passed, 0 unsure, 0 not reviewed; T s
    "#]]
    .assert_eq(&first);
    assert_eq!(
        second,
        first.replace("2 asked, 0 cached", "0 asked, 2 cached")
    );
    let seen = server.requests();
    assert_eq!(seen.len(), 2, "the second run asked nothing");
    let req = &seen[0];
    assert!(
        req.head.starts_with("POST /v1/chat/completions "),
        "{}",
        req.head
    );
    assert!(req.head.contains(&format!("Bearer {KEY}")), "{}", req.head);
    let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["response_format"]["type"], "json_schema");
    let schema = &body["response_format"]["json_schema"]["schema"];
    assert_eq!(
        schema["properties"]["verdict"]["enum"],
        serde_json::json!(["pass", "fail", "unsure"])
    );
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.contains("Rule acme.endpoint-authz: Does this handler call"),
        "{user}"
    );
    assert!(user.contains("File app.py (python)"), "{user}");
    let all = format!("{first}{second}");
    assert!(!all.contains(KEY));
}

#[test]
fn a_server_that_refuses_response_format_is_asked_again_without_it() {
    let server = Server::start(|body| {
        if body.contains("response_format") {
            (
                400,
                r#"{"error":"response_format is not supported"}"#.into(),
            )
        } else {
            judge(body)
        }
    });
    let dir = layout("", &user_http(&server.url));
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--quiet"],
        &[],
        &server.url,
    );
    assert!(
        out.contains("b() reads db without acme_authz.require()"),
        "{out}"
    );
    let seen = server.requests();
    let plain = seen
        .iter()
        .filter(|s| !s.body.contains("response_format"))
        .count();
    assert_eq!(plain, 2, "both items asked without the schema: {seen:?}");
}

#[test]
fn a_server_that_takes_only_json_object_gets_the_schema_that_way() {
    // llama-cpp-python answers OpenAI's `json_schema` with a 500 and takes `json_object`
    // with a `schema`.
    let server = Server::start(|body| {
        if body.contains("\"json_schema\"") {
            (
                500,
                r#"{"error":"Input should be 'text' or 'json_object'"}"#.into(),
            )
        } else {
            judge(body)
        }
    });
    let dir = layout("", &user_http(&server.url));
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--quiet"],
        &[],
        &server.url,
    );
    assert!(
        out.contains("b() reads db without acme_authz.require()"),
        "{out}"
    );
    let answered: Vec<serde_json::Value> = server
        .requests()
        .iter()
        .map(|s| serde_json::from_str(&s.body).unwrap())
        .filter(|b: &serde_json::Value| b["response_format"]["type"] == "json_object")
        .collect();
    assert_eq!(answered.len(), 2, "both items asked with json_object");
    let schema = &answered[0]["response_format"]["schema"];
    let order: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    assert_eq!(
        order,
        ["reason", "verdict"],
        "the reason is written before the verdict"
    );
}

#[test]
fn an_unreachable_reviewer_is_an_error_notice_and_info_findings_never_a_pass() {
    let server = Server::start(|_| (500, format!(r#"{{"error":"key {KEY} rejected"}}"#)));
    let dir = layout("", &user_http(&server.url));
    let env = [("TEST_REVIEW_API_KEY", KEY)];
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--format", "json"],
        &env,
        &server.url,
    );
    assert!(!out.contains(KEY), "the key leaked: {out}");
    let stderr = out.split("--- stderr\n").nth(1).unwrap();
    expect![[r#"
        error: the reviewer could not be reached: $URL/chat/completions answered 500: {"error":"key [key] rejected"}
        review: 2 items: 2 asked, 0 cached; 0 failed, 0 passed, 0 unsure, 2 not reviewed; T s
    "#]]
    .assert_eq(stderr);
    let json: serde_json::Value = serde_json::from_str(
        out.split("--- stdout\n")
            .nth(1)
            .unwrap()
            .split("--- stderr")
            .next()
            .unwrap(),
    )
    .unwrap();
    let severities: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["info", "info"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(server.requests().len() >= 3, "retried");
    let strict = gavel(
        dir.path(),
        &[
            "review",
            "--scope",
            "all",
            "--quiet",
            "--fail-on-review-error",
        ],
        &env,
        &server.url,
    );
    assert!(strict.starts_with("exit: 2"), "{strict}");
    assert!(!strict.contains(KEY));
}

#[test]
fn unsure_and_unreadable_answers_are_info() {
    let server = Server::start(|body| {
        if body.contains("acme_authz.require(\\\"read\\\")") {
            (200, verdict("unsure", "cannot see what db.get reads"))
        } else {
            (200, fake_llm::completion("I think this is probably fine."))
        }
    });
    let dir = layout("", &user_http(&server.url));
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--fail-on", "info"],
        &[],
        &server.url,
    );
    expect![[r#"
        exit: 1
        --- stdout
        info: This endpoint does not check the caller's permission (the reviewer is unsure: cannot see what db.get reads) [acme.endpoint-authz]
         --> app.py:4:1
          |
        4 | @app.route("/a")
          | ^^^^^^^^^^^^^^^^ (to line 7)

        info: This endpoint does not check the caller's permission (not reviewed: the reviewer's answer is not a verdict (want {"verdict": "pass"|"fail"|"unsure", "reason": ...}): "I think this is probably fine.") [acme.endpoint-authz]
         --> app.py:9:1
          |
        9 | @app.route("/b")
          | ^^^^^^^^^^^^^^^^ (to line 11)

        2 findings in 1 file checked
        --- stderr
        review: 2 items: 2 asked, 0 cached; 0 failed, 0 passed, 1 unsure, 1 not reviewed; T s
    "#]]
    .assert_eq(&out);
}

#[test]
fn a_workspace_cannot_choose_the_endpoint_the_key_or_a_command() {
    let server = Server::start(judge);
    let workspace = format!(
        "[review]\nendpoint = \"{}\"\nmodel = \"m\"\napi_key_env = \"WS_API_KEY\"\ncommand = [\"sh\", \"-c\", \"touch pwned\"]\n",
        server.url
    );
    let dir = layout(&workspace, "");
    let env = [("WS_API_KEY", KEY)];
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--quiet"],
        &env,
        &server.url,
    );
    expect![[r#"
        exit: 0
        --- stdout
        info: This endpoint does not check the caller's permission (not reviewed: no reviewer is configured) [acme.endpoint-authz]
         --> app.py:4:1
          |
        4 | @app.route("/a")
          | ^^^^^^^^^^^^^^^^ (to line 7)

        info: This endpoint does not check the caller's permission (not reviewed: no reviewer is configured) [acme.endpoint-authz]
         --> app.py:9:1
          |
        9 | @app.route("/b")
          | ^^^^^^^^^^^^^^^^ (to line 11)

        --- stderr
        error: no reviewer is configured: set [review] endpoint and model (or command) in your own config, ~/.config/gavel/gavel.toml, or GAVEL_REVIEW_ENDPOINT and GAVEL_REVIEW_MODEL
    "#]]
    .assert_eq(&out);
    let noted = gavel(dir.path(), &["review", "--scope", "all"], &env, &server.url);
    assert!(noted.contains("note: the workspace's [review] endpoint, api_key_env, command is not used: a repository cannot choose where its code is sent"), "{noted}");
    assert!(server.requests().is_empty(), "nothing was sent");
    assert!(!dir.path().join("ws/pwned").exists(), "no command ran");
    // The user trusts the workspace: now its settings count (the command first).
    let ws = dir.path().join("ws");
    let trust = [
        ("WS_API_KEY", KEY),
        ("GAVEL_REVIEW_TRUST", ws.to_str().unwrap()),
    ];
    gavel(
        dir.path(),
        &["review", "--scope", "all", "--quiet"],
        &trust,
        &server.url,
    );
    assert!(
        dir.path().join("ws/pwned").exists(),
        "the trusted command ran"
    );
}

#[test]
fn a_trusted_workspace_chooses_its_endpoint_and_key() {
    let server = Server::start(judge);
    let workspace = format!(
        "[review]\nendpoint = \"{}\"\nmodel = \"m\"\napi_key_env = \"WS_API_KEY\"\n",
        server.url
    );
    let dir = layout(&workspace, "");
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(dir.path().join("home/gavel")).unwrap();
    let user = format!(
        "[review]\ntrusted_workspaces = [{:?}]\n",
        ws.to_str().unwrap()
    );
    std::fs::write(dir.path().join("home/gavel/gavel.toml"), user).unwrap();
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--quiet"],
        &[("WS_API_KEY", KEY)],
        &server.url,
    );
    assert!(out.starts_with("exit: 1"), "{out}");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].head.contains(&format!("Bearer {KEY}")));
}

#[test]
fn api_key_env_must_name_an_api_key_variable() {
    let dir = layout("[review]\napi_key_env = \"AWS_SECRET_ACCESS_KEY\"\n", "");
    expect![[r#"
        exit: 2
        --- stderr
        error: gavel.toml:2:1: [review] api_key_env = "AWS_SECRET_ACCESS_KEY": name an environment variable that ends in `_API_KEY` (e.g. "GAVEL_REVIEW_API_KEY"); other variables are never sent to a reviewer
    "#]]
    .assert_eq(&gavel(dir.path(), &["check", "--quiet"], &[], ""));
}

#[test]
fn max_items_caps_what_is_asked_and_the_rest_is_not_reviewed() {
    let server = Server::start(judge);
    let dir = layout("[review]\nmax_items = 1\n", &user_http(&server.url));
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--format", "json"],
        &[],
        &server.url,
    );
    assert!(
        out.contains("(not reviewed: over [review] max_items (1) this run)"),
        "{out}"
    );
    assert!(out.contains("review: 2 items: 1 asked, 0 cached"), "{out}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_reviewer_command_reads_the_request_on_stdin() {
    let dir = layout("", "");
    let script = dir.path().join("reviewer.py");
    std::fs::write(
        &script,
        "import json, sys\nreq = json.loads(sys.stdin.readline())\nopen(sys.argv[1], 'a').write(json.dumps(req) + '\\n')\n\
         ok = 'acme_authz.require' in req['code']\nprint(json.dumps({'verdict': 'pass' if ok else 'fail', 'reason': 'seen ' + req['context']}))\n",
    )
    .unwrap();
    let log = dir.path().join("requests.jsonl");
    let user = format!(
        "[review]\ncommand = [\"python3\", {:?}, {:?}]\n",
        script.to_str().unwrap(),
        log.to_str().unwrap()
    );
    std::fs::create_dir_all(dir.path().join("home/gavel")).unwrap();
    std::fs::write(dir.path().join("home/gavel/gavel.toml"), user).unwrap();
    let out = gavel(
        dir.path(),
        &["review", "--scope", "all", "--quiet"],
        &[],
        "",
    );
    assert!(
        out.contains("error: This endpoint does not check the caller's permission: seen function"),
        "{out}"
    );
    let mut requests: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    requests.sort_by_key(|r| r["range"]["start"]["line"].as_u64());
    expect![[r#"
        {
          "rule": "acme.endpoint-authz",
          "prompt": "Does this handler call acme_authz.require() before touching data? Fail if not.",
          "message": "This endpoint does not check the caller's permission",
          "path": "app.py",
          "language": "python",
          "context": "function",
          "code": "@app.route(\"/a\")\ndef a():\n    acme_authz.require(\"read\")\n    return db.get()",
          "range": {
            "start": {
              "line": 4,
              "column": 1
            },
            "end": {
              "line": 7,
              "column": 20
            }
          }
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&requests[0]).unwrap());
}

#[test]
fn review_scope_changed_asks_only_about_changed_code() {
    let server = Server::start(judge);
    let dir = layout("", &user_http(&server.url));
    let ws = dir.path().join("ws");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&ws)
            .output()
            .unwrap();
        assert!(ok.status.success(), "{ok:?}");
    };
    git(&["init", "-q"]);
    git(&[
        "-c",
        "user.email=a@example.com",
        "-c",
        "user.name=A",
        "add",
        "-A",
    ]);
    git(&[
        "-c",
        "user.email=a@example.com",
        "-c",
        "user.name=A",
        "commit",
        "-qm",
        "init",
    ]);
    let text = std::fs::read_to_string(ws.join("app.py")).unwrap();
    std::fs::write(
        ws.join("app.py"),
        text.replace(
            "return db.get()\n\n@app",
            "return db.get()  # edited\n\n@app",
        ),
    )
    .unwrap();
    let out = gavel(dir.path(), &["review"], &[], &server.url);
    assert!(out.contains("review: 1 item: 1 asked"), "{out}");
    assert_eq!(server.requests().len(), 1);
    assert!(server.requests()[0].body.contains("# edited"));
}
