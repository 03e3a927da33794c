//! Fixes: rename_to (import and every reference), replace templates, add_imports without
//! duplicates and in the right place, remove_kwargs. Each fix is shown applied to the file.

mod common;
use common::check;
use expect_test::expect;

#[test]
fn rename_import_and_every_reference() {
    check(
        r#"
[[rule]]
id = "acme.requests"
language = "python"
message = "use acme_http"
[rule.match]
import = ["requests"]
[[rule.fix]]
title = "Switch to acme_http"
rename_to = "acme_http"
"#,
        "app.py",
        r#"import requests
requests.get(u, timeout=3)
def f(session):
    return requests.post(u).json(), x.requests
"#,
        expect![[r#"
            1:8-1:16 warning acme.requests: use acme_http
              fix* Switch to acme_http
                | import acme_http
                | acme_http.get(u, timeout=3)
                | def f(session):
                |     return acme_http.post(u).json(), x.requests
        "#]],
    );
}

#[test]
fn rename_aliased_and_from_imports_keeps_local_names() {
    check(
        r#"
[[rule]]
id = "acme.requests"
language = "python"
message = "use acme_http"
[rule.match]
import = ["requests"]
[[rule.fix]]
title = "Switch to acme_http"
rename_to = "acme_http"
"#,
        "app.py",
        "import requests.adapters as ra\nfrom requests import Session\nra.X(Session())\n",
        expect![[r#"
            1:8-1:31 warning acme.requests: use acme_http
              fix* Switch to acme_http
                | import acme_http.adapters as ra
                | from requests import Session
                | ra.X(Session())
            2:1-2:29 warning acme.requests: use acme_http
              fix* Switch to acme_http
                | import requests.adapters as ra
                | from acme_http import Session
                | ra.X(Session())
        "#]],
    );
}

#[test]
fn rename_rust_use_and_paths() {
    check(
        r#"
[[rule]]
id = "acme.reqwest"
language = "rust"
message = "use acme_http"
[rule.match]
import = ["reqwest"]
[[rule.fix]]
title = "Switch to acme_http"
rename_to = "acme_http"
"#,
        "src/lib.rs",
        "use reqwest::Client;\nfn f() { reqwest::get(\"u\"); }\n",
        expect![[r#"
            1:1-1:21 warning acme.reqwest: use acme_http
              fix* Switch to acme_http
                | use acme_http::Client;
                | fn f() { reqwest::get("u"); }
            2:10-2:22 warning acme.reqwest: use acme_http
              fix* Switch to acme_http
                | use reqwest::Client;
                | fn f() { acme_http::get("u"); }
        "#]],
    );
}

#[test]
fn replace_with_add_imports_after_docstring_and_future() {
    check(
        r#"
[[rule]]
id = "acme.getenv"
language = "python"
message = "use acme_config"
[rule.match]
call = ["os.getenv"]
[[rule.fix]]
title = "Use acme_config.get"
replace = "acme_config.get($ARGS)"
add_imports = ["import acme_config"]
"#,
        "app.py",
        r#""""Service settings."""
from __future__ import annotations
from os import getenv
A = getenv("A")
B = getenv("B", "x")
"#,
        expect![[r#"
            4:5-4:16 warning acme.getenv: use acme_config
              fix* Use acme_config.get
                | """Service settings."""
                | from __future__ import annotations
                | from os import getenv
                | import acme_config
                | A = acme_config.get("A")
                | B = getenv("B", "x")
            5:5-5:21 warning acme.getenv: use acme_config
              fix* Use acme_config.get
                | """Service settings."""
                | from __future__ import annotations
                | from os import getenv
                | import acme_config
                | A = getenv("A")
                | B = acme_config.get("B", "x")
        "#]],
    );
}

#[test]
fn add_imports_is_not_duplicated_and_goes_after_rust_uses() {
    check(
        r#"
[[rule]]
id = "acme.env"
language = "rust"
message = "use acme_config::get"
[rule.match]
call = ["std::env::var"]
[[rule.fix]]
title = "Use acme_config::get"
replace = "get($ARGS)"
add_imports = ["use acme_config::get;"]
"#,
        "src/main.rs",
        "//! Service.\nuse std::env;\nuse acme_config::get;\nfn main() { env::var(\"A\"); }\n",
        expect![[r#"
            4:13-4:26 warning acme.env: use acme_config::get
              fix* Use acme_config::get
                | //! Service.
                | use std::env;
                | use acme_config::get;
                | fn main() { get("A"); }
        "#]],
    );
    check(
        r#"
[[rule]]
id = "acme.env"
language = "rust"
message = "use acme_config::get"
[rule.match]
call = ["std::env::var"]
[[rule.fix]]
title = "Use acme_config::get"
replace = "acme_config::get($ARGS)"
add_imports = ["use acme_config;"]
"#,
        "src/main.rs",
        "//! Service.\n\nfn main() { std::env::var(\"A\"); }\n",
        expect![[r#"
            3:13-3:31 warning acme.env: use acme_config::get
              fix* Use acme_config::get
                | //! Service.
                | use acme_config;
                | 
                | fn main() { acme_config::get("A"); }
        "#]],
    );
}

#[test]
fn remove_kwargs_and_call_rename_with_implied_import() {
    check(
        r#"
[[rule]]
id = "py.verify"
language = "python"
message = "verify=False"
[rule.match]
call = ["requests.*"]
kwargs = { verify = "False" }
[[rule.fix]]
title = "Verify certificates"
remove_kwargs = ["verify"]
[[rule.fix]]
title = "Use acme_http.get"
rename_to = "acme_http.get"
"#,
        "app.py",
        "import requests\nrequests.get(u, verify=False, timeout=3)\nrequests.get(u, timeout=3, verify=False)\n",
        expect![[r#"
            2:1-2:41 warning py.verify: verify=False
              fix* Verify certificates
                | import requests
                | requests.get(u, timeout=3)
                | requests.get(u, timeout=3, verify=False)
              fix Use acme_http.get
                | import requests
                | import acme_http
                | acme_http.get(u, verify=False, timeout=3)
                | requests.get(u, timeout=3, verify=False)
            3:1-3:41 warning py.verify: verify=False
              fix* Verify certificates
                | import requests
                | requests.get(u, verify=False, timeout=3)
                | requests.get(u, timeout=3)
              fix Use acme_http.get
                | import requests
                | import acme_http
                | requests.get(u, verify=False, timeout=3)
                | acme_http.get(u, timeout=3, verify=False)
        "#]],
    );
}

#[test]
fn a_fix_that_breaks_the_syntax_is_refused() {
    check(
        r#"
[[rule]]
id = "py.eval"
language = "python"
message = "eval"
[rule.match]
call = ["eval"]
[[rule.fix]]
title = "Break it"
replace = "eval(("
"#,
        "app.py",
        "eval(x)\n",
        expect![[r#"
            1:1-1:8 warning py.eval: eval
              fix* Break it
                refused: fix "Break it" was not applied: the fixed code would not parse
                | eval(x)
        "#]],
    );
}
