//! `docs/rules.md` is generated from the packs by `gavel rules --format markdown`; this test fails
//! when a pack changed and the page was not regenerated.

use std::{path::Path, process::Command};

const REGENERATE: &str = "cargo run -q -p gavel-cli -- rules --format markdown policies/*.toml policies/examples/acme > docs/rules.md";

#[test]
fn docs_rules_md_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The same arguments as REGENERATE, with the shell's glob expanded (sorted, as bash does).
    let mut packs: Vec<String> = std::fs::read_dir(root.join("policies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("policies/{n}"))
        .collect();
    packs.sort();
    packs.push("policies/examples/acme".into());
    let out = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(["rules", "--format", "markdown"])
        .args(&packs)
        .current_dir(&root)
        .output()
        .expect("gavel runs");
    assert!(
        out.status.success(),
        "gavel rules --format markdown failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = String::from_utf8(out.stdout).expect("utf-8");
    let committed = std::fs::read_to_string(root.join("docs/rules.md")).unwrap_or_default();
    if generated != committed {
        let line = generated
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| generated.lines().count().min(committed.lines().count()));
        panic!(
            "docs/rules.md is out of date (first difference at line {}): regenerate it from the \
             repository root with\n\n    {REGENERATE}\n",
            line + 1
        );
    }
}

#[test]
fn markdown_documents_each_rule_with_what_why_instead_and_examples() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pack.toml"),
        r#"[pack]
id = "house"
description = "House rules"

[[rule]]
id = "house.getenv"
language = "python"
severity = "warning"
category = "architecture"
message = "Use acme_config.get, not $NAME"
note = """
Settings read with os.getenv bypass the config service.

Use `acme_config.get`.
"""
url = "https://wiki.example/config"
[rule.match]
call = ["os.getenv"]
missing_kwargs = ["default"]
[rule.sanctioned]
name = "acme_config"
docs = "https://wiki.example/acme-config"
[[rule.fix]]
title = "Use acme_config.get"
replace = "acme_config.get($ARGS)"
add_imports = ["import acme_config"]
[rule.examples]
bad = ["import os\nos.getenv('A')\n"]
good = ["import acme_config\nacme_config.get('A')\n"]
[[rule.examples.fixed]]
before = "import os\nos.getenv('A')\n"
after = "import os\nimport acme_config\nacme_config.get('A')\n"
"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(["rules", "--format", "markdown", "pack.toml"])
        .current_dir(dir.path())
        .output()
        .expect("gavel runs");
    assert!(out.status.success());
    expect_test::expect![[r#"
        # Rules

        <!-- Generated from the policy packs by `gavel rules --format markdown`; do not edit by hand. -->

        1 rules in 1 packs. Each section says what the rule flags, why it matters, what to do instead, and shows the examples that `gavel test` checks. `gavel explain ID` prints the same for one rule.

        | Pack | Rules | Select with | Description |
        | --- | --- | --- | --- |
        | [house](#pack-house) | 1 | `pack.toml` | House rules |

        <a id="pack-house"></a>

        ## Pack `house`

        House rules

        Select with `pack.toml`.

        | Rule | Severity | Category | Message |
        | --- | --- | --- | --- |
        | [`house.getenv`](#house.getenv) | warning | architecture | Use acme_config.get, not $NAME |

        <a id="house.getenv"></a>

        ### `house.getenv`

        **warning** · architecture · python · [reference](https://wiki.example/config)

        **What.** Flags calls to `os.getenv` without `default`.

        > Use acme_config.get, not $NAME

        **Why.** Settings read with os.getenv bypass the config service.

        **Instead.** Use `acme_config.get`.

        Sanctioned library: [`acme_config`](https://wiki.example/acme-config).

        Quick fix: *Use acme_config.get* (`gavel check --fix` applies the first).

        **Examples.**

        Flagged:

        ```python
        import os
        os.getenv('A')
        ```

        Not flagged:

        ```python
        import acme_config
        acme_config.get('A')
        ```

        Fixed, before:

        ```python
        import os
        os.getenv('A')
        ```

        after:

        ```python
        import os
        import acme_config
        acme_config.get('A')
        ```
    "#]]
    .assert_eq(&String::from_utf8(out.stdout).unwrap());
}
