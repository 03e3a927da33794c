//! Python: every matcher and alias form.

mod common;
use common::check;
use expect_test::expect;

const SUBPROCESS_SHELL: &str = r#"
[[rule]]
id = "py.shell"
language = "python"
message = "$NAME with shell=True"
[rule.match]
call = ["subprocess.*"]
kwargs = { shell = "True" }
"#;

#[test]
fn call_through_every_alias_form() {
    check(
        SUBPROCESS_SHELL,
        "app.py",
        r#"import subprocess
import subprocess as sp
from subprocess import run as r, Popen
subprocess.run(cmd, shell=True)
sp.call(cmd, shell = True)
r(cmd, shell=True)
Popen(cmd, shell=True)
subprocess.run(["ls"], shell=False)
def f():
    from subprocess import check_output as co
    co("x", shell=True)
co("x", shell=True)
"#,
        expect![[r#"
            4:1-4:32 warning py.shell: subprocess.run with shell=True
            5:1-5:27 warning py.shell: subprocess.call with shell=True
            6:1-6:19 warning py.shell: subprocess.run with shell=True
            7:1-7:23 warning py.shell: subprocess.Popen with shell=True
            11:5-11:24 warning py.shell: subprocess.check_output with shell=True
        "#]],
    );
}

#[test]
fn dotted_name_without_import_and_shadowing() {
    check(
        r#"
[[rule]]
id = "py.mktemp"
language = "python"
message = "mktemp is racy"
[rule.match]
call = ["tempfile.mktemp", "eval", "os.path.join"]
"#,
        "app.py",
        r#"tempfile.mktemp()
eval(x)
from os import path
path.join("a", "b")
def g(eval):
    eval(1)
def h():
    tempfile = make()
    tempfile.mktemp()
import os
os = None
os.path.join("a")
"#,
        expect![[r#"
            1:1-1:18 warning py.mktemp: mktemp is racy
            2:1-2:8 warning py.mktemp: mktemp is racy
            4:1-4:20 warning py.mktemp: mktemp is racy
        "#]],
    );
}

#[test]
fn module_import_binds_functions_above_it_and_star_imports() {
    check(
        r#"
[[rule]]
id = "py.system"
language = "python"
message = "os.system"
[rule.match]
call = ["os.system"]
"#,
        "app.py",
        r#"def early():
    o.system("a")
import os as o
from os import *
system("b")
"#,
        expect![[r#"
            2:5-2:18 warning py.system: os.system
            5:1-5:12 warning py.system: os.system
        "#]],
    );
}

#[test]
fn imports_whole_segments_relative_and_dynamic() {
    check(
        r#"
[[rule]]
id = "py.requests"
language = "python"
message = "use acme_http, not $MODULE"
[rule.match]
import = ["requests", "acme.legacy.db"]
"#,
        "src/acme/api/views.py",
        r#"import requests
import requests.adapters as ra
import requests_oauthlib
from requests import Session, get
from ..legacy import db
from ..legacy.db import connect
import importlib
importlib.import_module("requests.auth")
__import__("requests")
"#,
        expect![[r#"
            1:8-1:16 warning py.requests: use acme_http, not requests
            2:8-2:31 warning py.requests: use acme_http, not requests.adapters
            4:1-4:34 warning py.requests: use acme_http, not requests.Session
            5:22-5:24 warning py.requests: use acme_http, not acme.legacy.db
            6:1-6:32 warning py.requests: use acme_http, not acme.legacy.db.connect
            8:1-8:41 warning py.requests: use acme_http, not requests.auth
            9:1-9:23 warning py.requests: use acme_http, not requests
        "#]],
    );
}

#[test]
fn missing_kwargs_positions_and_splat() {
    check(
        r#"
[[rule]]
id = "py.yaml-load"
language = "python"
message = "yaml.load without a Loader"
[rule.match]
call = ["yaml.load"]
missing_kwargs = ["Loader"]
positions = { Loader = 1 }

[[rule]]
id = "py.timeout"
language = "python"
message = "no timeout"
[rule.match]
call = ["requests.get"]
missing_kwargs = ["timeout"]
"#,
        "app.py",
        r#"import yaml, requests
yaml.load(data)
yaml.load(data, Loader=yaml.SafeLoader)
yaml.load(data, yaml.SafeLoader)
requests.get(u)
requests.get(u, timeout=5)
requests.get(u, **opts)
"#,
        expect![[r#"
            2:1-2:16 warning py.yaml-load: yaml.load without a Loader
            5:1-5:16 warning py.timeout: no timeout
        "#]],
    );
}

#[test]
fn arg_regex_and_arg_not_literal() {
    check(
        r#"
[[rule]]
id = "py.sql"
language = "python"
message = "SQL built with an f-string"
[rule.match]
method = ["execute"]
arg_regex = { 0 = "^f[\"']" }

[[rule]]
id = "py.eval"
language = "python"
message = "eval of a non-literal"
[rule.match]
call = ["eval"]
arg_not_literal = [0]
"#,
        "app.py",
        r#"cur.execute(f"SELECT * FROM t WHERE id = {i}")
cur.execute("SELECT 1")
eval("1 + 1")
eval(user_input)
eval(f"{x}")
"#,
        expect![[r#"
            1:5-1:47 warning py.sql: SQL built with an f-string
            4:1-4:17 warning py.eval: eval of a non-literal
            5:1-5:13 warning py.eval: eval of a non-literal
        "#]],
    );
}

#[test]
fn reference_called_or_not() {
    check(
        r#"
[[rule]]
id = "py.sslv2"
language = "python"
message = "$NAME is broken"
[rule.match]
reference = ["ssl.PROTOCOL_SSLv2", "paramiko.AutoAddPolicy"]
"#,
        "app.py",
        r#"import ssl
from paramiko import AutoAddPolicy as Auto
ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv2)
client.set_missing_host_key_policy(Auto())
client.set_missing_host_key_policy(Auto)
x.PROTOCOL_SSLv2
"#,
        expect![[r#"
            3:22-3:40 warning py.sslv2: ssl.PROTOCOL_SSLv2 is broken
            4:36-4:40 warning py.sslv2: Auto is broken
            5:36-5:40 warning py.sslv2: Auto is broken
        "#]],
    );
}

#[test]
fn pattern_with_inside_and_not_inside() {
    check(
        r#"
[[rule]]
id = "py.assert"
language = "python"
message = "assert $X outside tests"
[rule.match]
pattern = "assert $X"
not_inside = "with pytest.raises($E): $$$BODY"

[[rule]]
id = "py.open-in-loop"
language = "python"
message = "open() in a loop"
[rule.match]
pattern = "open($$$ARGS)"
inside = ["for $A in $B: $$$C", "while $A: $$$C"]
"#,
        "app.py",
        r#"assert x > 0
with pytest.raises(ValueError):
    assert y
for f in files:
    if f:
        open(f)
open(g)
"#,
        expect![[r#"
            1:1-1:13 warning py.assert: assert x > 0 outside tests
            6:9-6:16 warning py.open-in-loop: open() in a loop
        "#]],
    );
}

#[test]
fn query_regex_and_metrics() {
    check(
        r#"
[[rule]]
id = "py.bare-except"
language = "python"
message = "bare except"
[rule.match]
query = "(except_clause . \":\") @match"

[[rule]]
id = "py.aws-key"
language = "python"
message = "AWS key $MATCH"
[rule.match]
regex = "AKIA[0-9A-Z]{16}"
regex_in = "string"

[[rule]]
id = "py.todo"
language = "python"
message = "todo comment"
[rule.match]
regex = "^# TODO"
regex_in = "comment"

[[rule]]
id = "py.params"
language = "python"
message = "$FUNCTION takes $VALUE parameters (max $MAX)"
[rule.match]
metric = "function_params"
max = 2

[[rule]]
id = "py.nesting"
language = "python"
message = "$FUNCTION nests $VALUE deep"
[rule.match]
metric = "nesting_depth"
max = 2
"#,
        "app.py",
        r#"key = "AKIAABCDEFGHIJKLMNOP"  # AKIAABCDEFGHIJKLMNOP not in a string
# TODO: fix
x = 1  # TODO later
def f(self, a, b, *args, **kw):
    try:
        for x in a:
            if x:
                while b:
                    pass
    except:
        pass
"#,
        expect![[r#"
            1:8-1:28 warning py.aws-key: AWS key AKIAABCDEFGHIJKLMNOP
            2:1-2:7 warning py.todo: todo comment
            3:8-3:14 warning py.todo: todo comment
            7:13-7:15 warning py.nesting: f nests 4 deep
            10:5-11:13 warning py.bare-except: bare except
        "#]],
    );
}

#[test]
fn files_with_syntax_errors_are_checked_where_the_tree_is_sound() {
    check(
        SUBPROCESS_SHELL,
        "app.py",
        r#"import subprocess
def broken(:
    pass
subprocess.run(cmd, shell=True)
"#,
        expect![[r#"
            4:1-4:32 warning py.shell: subprocess.run with shell=True
        "#]],
    );
}
