//! `gavel schema pack|config` (issue 17): the committed schemas in `docs/schema/` are what the
//! binary prints; every shipped pack and config validates against them; and they reject what
//! gavel rejects on load: unknown keys, a severity that is not one of the five, a wrong type; and
//! each shipped file's `#:schema` line leads to its schema.

use std::{path::Path, process::Command};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

fn printed(kind: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(["schema", kind])
        .output()
        .expect("gavel runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn validator(kind: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&printed(kind)).unwrap();
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

/// The validation errors of a TOML text, one line each.
fn errors(v: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
    let value: serde_json::Value = toml::from_str(toml_text).expect("valid TOML");
    v.iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schemas_are_current() {
    for (kind, file) in [
        ("pack", "docs/schema/pack.json"),
        ("config", "docs/schema/gavel.json"),
    ] {
        let committed = std::fs::read_to_string(root().join(file)).unwrap_or_default();
        assert!(
            committed == printed(kind),
            "{file} is out of date: run `cargo run -q -p gavel-cli -- schema {kind} > {file}`"
        );
    }
}

#[test]
fn every_shipped_pack_and_config_validates() {
    let packs = validator("pack");
    let configs = validator("config");
    let mut seen = 0;
    for dir in [
        "policies",
        "policies/examples/acme",
        "examples/acme-service",
    ] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let is_config = path.file_name().is_some_and(|n| n == "gavel.toml");
            let v = if is_config { &configs } else { &packs };
            let found = errors(v, &text);
            assert!(found.is_empty(), "{}: {found:#?}", path.display());
            // The `#:schema` line taplo reads leads to the committed schema.
            let first = text.lines().next().unwrap_or_default();
            let target = first
                .strip_prefix("#:schema ")
                .map(|p| path.parent().unwrap().join(p));
            let want = if is_config { "gavel.json" } else { "pack.json" };
            assert!(
                target
                    .as_ref()
                    .is_some_and(|t| t.is_file() && t.ends_with(want)),
                "{}: the first line should be `#:schema <relative path to docs/schema/{want}>`",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 9, "only {seen} files");
}

#[test]
fn the_schemas_reject_what_gavel_rejects() {
    let packs = validator("pack");
    let rule = "[pack]\nid = \"p\"\n[[rule]]\nid = \"r\"\nlanguage = \"python\"\nmessage = \"m\"\n";
    let check = |extra: &str, want: &str| {
        let found = errors(&packs, &format!("{rule}{extra}"));
        assert!(
            found.iter().any(|e| e.contains(want)),
            "{extra:?}: want {want:?} in {found:#?}"
        );
    };
    check(
        "mesage = \"x\"\n[rule.match]\ncall = [\"eval\"]\n",
        "mesage",
    );
    check(
        "severity = 2\n[rule.match]\ncall = [\"eval\"]\n",
        "/rule/0/severity",
    );
    check(
        "severity = \"fatal\"\n[rule.match]\ncall = [\"eval\"]\n",
        "/rule/0/severity",
    );
    check("[rule.match]\ncall = \"eval\"\n", "/rule/0/match");
    check(
        "[rule.match]\ncall = [\"eval\"]\n[rule.review]\ncontext = \"function\"\n",
        "/rule/0/review",
    );
    assert!(errors(&packs, &format!("{rule}[rule.match]\ncall = [\"eval\"]\n")).is_empty());
    let configs = validator("config");
    assert!(!errors(&configs, "polices = [\"p\"]\n").is_empty());
    assert!(!errors(&configs, "[rules]\n\"py.eval\" = \"loud\"\n").is_empty());
    assert!(
        errors(
            &configs,
            "[rules]\n\"py.eval\" = \"off\"\n\"py.x\" = { severity = \"error\" }\n"
        )
        .is_empty()
    );
}
