//! The example organisation: ACME's packs (`policies/examples/acme/`) on its sample service
//! (`examples/acme-service/`). Both are copied to a temp dir first, laid out as in the
//! repository (the service's gavel.toml extends `../../policies/examples/acme/gavel.toml`), so the
//! tests never change the repository's files.

#[allow(dead_code)]
mod common;

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use expect_test::expect;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for path in ["examples/acme-service", "policies/examples/acme"] {
        copy_dir(&repo().join(path), &dir.path().join(path));
    }
    // The service's config extends the organisation's, elsewhere in the same repository: a
    // config names files only inside its repository (docs/config.md).
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .expect("git");
    assert!(init.success());
    dir
}

/// `path:line:column rule`, one line per finding of a `--format json` report.
fn findings(json: &str) -> String {
    let report: serde_json::Value = serde_json::from_str(json).expect("json report");
    let mut out = String::new();
    for f in report["findings"].as_array().unwrap() {
        out.push_str(&format!(
            "{}:{}:{} {}\n",
            f["path"].as_str().unwrap(),
            f["start"]["line"],
            f["start"]["column"],
            f["rule"].as_str().unwrap()
        ));
    }
    out
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join("examples/acme-service").join(path)).unwrap()
}

#[test]
fn the_sample_service_breaks_every_acme_rule() {
    let dir = sample();
    let json = common::stdout(
        dir.path(),
        &["check", "--format", "json", "examples/acme-service"],
    );
    let found = findings(&json);
    expect![[r#"
        examples/acme-service/python/orders/billing.py:2:8 acme.http-client
        examples/acme-service/python/orders/billing.py:8:5 acme.print
        examples/acme-service/python/orders/billing.py:9:12 py.requests-no-timeout
        examples/acme-service/python/orders/domain/order.py:4:1 acme.domain-imports-infra
        examples/acme-service/python/orders/domain/order.py:6:1 acme.domain-imports-infra
        examples/acme-service/python/orders/infra/db.py:12:5 acme.db-query
        examples/acme-service/python/orders/infra/db.py:17:5 acme.db-raw-sql
        examples/acme-service/python/orders/jobs.py:6:5 acme.subprocess-shell
        examples/acme-service/python/orders/jobs.py:7:12 acme.subprocess-shell-other
        examples/acme-service/python/orders/notify.py:2:8 acme.http-client
        examples/acme-service/python/orders/settings.py:5:1 acme.logging-basicconfig
        examples/acme-service/python/orders/settings.py:7:16 acme.os-environ
        examples/acme-service/python/orders/settings.py:8:15 acme.os-getenv
        examples/acme-service/python/orders/settings.py:9:14 acme.os-getenv
        examples/acme-service/python/orders/settings.py:10:17 acme.os-getenv
        examples/acme-service/rust/src/billing.rs:3:1 acme.rs-reqwest
        examples/acme-service/rust/src/billing.rs:5:62 acme.rs-reqwest
        examples/acme-service/rust/src/domain/mod.rs:3:1 acme.rs-domain-imports-infra
        examples/acme-service/rust/src/main.rs:11:16 acme.rs-env-var
        examples/acme-service/rust/src/main.rs:12:23 acme.rs-env-var
        examples/acme-service/rust/src/main.rs:13:5 acme.rs-println
        examples/acme-service/rust/src/main.rs:15:9 acme.rs-eprintln
    "#]]
    .assert_eq(&found);

    // Every rule of ACME's packs shows up, and the service's override applies.
    let rules = common::stdout(
        dir.path(),
        &["rules", "--config", "examples/acme-service/gavel.toml"],
    );
    // Review rules report in `gavel review` only (SPEC 9).
    let review: Vec<&str> = rules
        .lines()
        .filter(|l| l.contains("(review)"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(review, ["acme.endpoint-authz", "acme.retry-loop"]);
    let acme: BTreeSet<&str> = rules
        .lines()
        .filter(|l| !l.contains("(review)"))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| id.starts_with("acme."))
        .collect();
    let reported: BTreeSet<&str> = found
        .lines()
        .filter_map(|l| l.split(' ').nth(1))
        .filter(|id| id.starts_with("acme."))
        .collect();
    assert_eq!(acme.len(), 15, "ACME's packs have 15 rules:\n{rules}");
    assert_eq!(acme, reported, "rules the sample service does not break");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let http = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "acme.http-client")
        .unwrap();
    assert_eq!(
        http["severity"], "error",
        "the service raises acme.http-client"
    );
}

#[test]
fn fix_moves_the_sample_service_to_the_sanctioned_libraries() {
    let dir = sample();
    let json = common::stdout(
        dir.path(),
        &[
            "check",
            "--fix",
            "--format",
            "json",
            "examples/acme-service",
        ],
    );
    // What is left has no automatic fix.
    expect![[r#"
        examples/acme-service/python/orders/domain/order.py:4:1 acme.domain-imports-infra
        examples/acme-service/python/orders/domain/order.py:6:1 acme.domain-imports-infra
        examples/acme-service/python/orders/infra/db.py:18:5 acme.db-raw-sql
        examples/acme-service/python/orders/jobs.py:8:12 acme.subprocess-shell-other
        examples/acme-service/rust/src/domain/mod.rs:3:1 acme.rs-domain-imports-infra
    "#]]
    .assert_eq(&findings(&json));

    expect![[r#"
        """Settings of the orders service."""
        import logging
        import os
        import acme_log
        import acme_config

        acme_log.setup(level=logging.INFO)

        DATABASE_URL = acme_config.get("DATABASE_URL")
        BILLING_URL = acme_config.get("BILLING_URL", "https://billing.internal")
        NOTIFY_URL = acme_config.get("NOTIFY_URL", "https://notify.internal")
        TIMEOUT = float(acme_config.get("HTTP_TIMEOUT", "5"))
    "#]]
    .assert_eq(&read(dir.path(), "python/orders/settings.py"));

    expect![[r#"
        """Calls to the billing service."""
        import acme_http

        from orders import settings
        import acme_log


        def charge(order_id, amount):
            acme_log.info("charging order", order_id)
            resp = acme_http.post(f"{settings.BILLING_URL}/charges", json={"order": order_id, "amount": amount})
            resp.raise_for_status()
            return resp.json()


        def refund(charge_id):
            resp = acme_http.post(f"{settings.BILLING_URL}/charges/{charge_id}/refund", timeout=settings.TIMEOUT)
            return resp.json()
    "#]]
    .assert_eq(&read(dir.path(), "python/orders/billing.py"));

    expect![[r#"
        """Database access for orders (raw psycopg2, before the move to acme_db)."""
        import psycopg2

        from orders import settings
        import acme_db


        def connect():
            return psycopg2.connect(settings.DATABASE_URL)


        def find_order(cursor, order_id):
            acme_db.query("SELECT * FROM orders WHERE id = %s", (order_id,))
            return cursor.fetchone()


        def find_by_customer(cursor, customer, status):
            cursor.execute(f"SELECT * FROM orders WHERE customer = '{customer}' AND status = {status}")
            return cursor.fetchall()
    "#]]
    .assert_eq(&read(dir.path(), "python/orders/infra/db.py"));

    expect![[r#"
        """Nightly jobs."""
        import subprocess as sp
        import acme.proc


        def export(day, bucket):
            acme.proc.run(f"pg_dump --file=/backups/orders-{day}.sql orders", check=True)
            return sp.check_output(f"aws s3 cp /backups/orders-{day}.sql s3://{bucket}/", shell=True)
    "#]]
    .assert_eq(&read(dir.path(), "python/orders/jobs.py"));

    expect![[r#"
        //! ACME's orders service.

        mod billing;
        mod domain;
        mod infra;

        use std::env;

        #[tokio::main]
        async fn main() {
            let port = acme_config::get("PORT").unwrap_or_else(|_| "8080".to_string());
            let billing_url = acme_config::get("BILLING_URL").expect("BILLING_URL is set");
            tracing::info!("orders listening on :{port}");
            if let Err(e) = billing::charge(&billing_url, 42).await {
                tracing::error!("charge failed: {e}");
            }
        }
    "#]]
    .assert_eq(&read(dir.path(), "rust/src/main.rs"));

    expect![[r#"
        //! Calls to the billing service.

        use acme_http::Client;

        pub async fn charge(base: &str, order_id: u64) -> Result<(), acme_http::Error> {
            let client = Client::new();
            client
                .post(format!("{base}/charges"))
                .json(&serde_json::json!({ "order": order_id }))
                .send()
                .await?
                .error_for_status()?;
            Ok(())
        }
    "#]]
    .assert_eq(&read(dir.path(), "rust/src/billing.rs"));

    // Files without findings are left alone.
    assert_eq!(
        read(dir.path(), "rust/src/infra/db.rs"),
        fs::read_to_string(repo().join("examples/acme-service/rust/src/infra/db.rs")).unwrap()
    );
}

#[test]
fn acme_pack_examples_pass() {
    let dir = sample();
    expect![[r#"
        exit: 0
        --- stdout
        80 passed, 0 failed
    "#]]
    .assert_eq(&common::run(
        dir.path(),
        &["test", "policies/examples/acme"],
    ));
}
