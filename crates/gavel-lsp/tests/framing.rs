//! Malformed frames never stop the server (SPEC 6: it never dies): each bad frame gets a
//! JSON-RPC error response with id null where JSON-RPC asks for one, the frames after it are
//! served, and no document loses its text. Lone UTF-16 surrogates, as JavaScript clients escape
//! them, are repaired to U+FFFD rather than dropping the edit.

mod common;

use common::{Client, Setup, project, range};
use serde_json::{Value, json};

/// One malformed input: the raw bytes, the error code answered (if any), and the document's
/// text once a good edit (inserting `# ok\n` at the top) has followed them.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    error: Option<i64>,
    text: &'static str,
}

fn framed(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn with_length(length: &str, body: &str) -> Vec<u8> {
    format!("Content-Length: {length}\r\n\r\n{body}").into_bytes()
}

/// A `didChange` (version 1) inserting `text` (raw JSON string contents) at the top.
fn insert_v1(uri: &str, text: &str) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":1}},"contentChanges":[{{"range":{{"start":{{"line":0,"character":0}},"end":{{"line":0,"character":0}}}},"text":"{text}"}}]}}}}"#
    )
}

fn cases(uri: &str) -> Vec<Case> {
    let change = insert_v1(uri, "# lost\\n");
    let recovered = insert_v1(uri, "# recovered\\n");
    let surrogate = insert_v1(uri, "s = '\\ud83d'\\n");
    let plain = "# ok\nx = 1\n";
    vec![
        Case {
            name: "invalid JSON",
            bytes: framed(r#"{"jsonrpc": "2.0", "method": }"#),
            error: Some(-32700),
            text: plain,
        },
        Case {
            name: "truncated JSON (Content-Length too short)",
            bytes: with_length("20", &change),
            error: Some(-32700),
            text: plain,
        },
        Case {
            name: "a JSON-RPC batch",
            bytes: framed(r#"[{"jsonrpc":"2.0","id":90,"method":"shutdown"}]"#),
            error: Some(-32600),
            text: plain,
        },
        Case {
            name: "a float id",
            bytes: framed(r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#),
            error: Some(-32600),
            text: plain,
        },
        Case {
            name: "no Content-Length",
            bytes: format!(
                "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{change}"
            )
            .into_bytes(),
            error: Some(-32700),
            text: plain,
        },
        Case {
            name: "a Content-Length that is not a number",
            bytes: with_length("lots", &change),
            error: Some(-32700),
            text: plain,
        },
        Case {
            name: "a Content-Length of 4e9",
            bytes: with_length("4000000000", &change),
            error: Some(-32700),
            text: plain,
        },
        Case {
            name: "garbage between frames",
            bytes: b"hello there\r\n\r\n".to_vec(),
            error: Some(-32700),
            text: plain,
        },
        Case {
            name: "a Content-Length too long: the message is recovered",
            bytes: with_length(&(recovered.len() + 300).to_string(), &recovered),
            error: None,
            text: "# ok\n# recovered\nx = 1\n",
        },
        Case {
            name: "a lone surrogate in document text: repaired, not dropped",
            bytes: framed(&surrogate),
            error: None,
            text: "# ok\ns = '\u{fffd}'\nx = 1\n",
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_frame_gets_an_error_and_the_server_goes_on() {
    let dir = project();
    let path = dir.path().join("app.py");
    let uri = common::uri(&path);
    for case in cases(&uri) {
        eprintln!("case: {}", case.name);
        let mut client = Client::start(dir.path(), Setup::default()).await;
        client.open(&path, "x = 1\n").await;
        client.send_raw(&case.bytes).await;
        if let Some(code) = case.error {
            let answer = client.next_response().await;
            assert_eq!(answer["id"], Value::Null, "{}: {answer}", case.name);
            assert_eq!(answer["error"]["code"], code, "{}: {answer}", case.name);
        }
        client
            .change(
                &uri,
                5,
                json!([{ "range": range(0, 0, 0, 0), "text": "# ok\n" }]),
            )
            .await;
        let state = client.state(&uri).await;
        assert_eq!(state["version"], 5, "{}: {state}", case.name);
        assert_eq!(state["text"], case.text, "{}", case.name);
        let extra: Vec<&Value> = client
            .seen
            .iter()
            .filter(|m| m.get("method").is_none())
            .collect();
        assert!(extra.is_empty(), "{}: more answers: {extra:?}", case.name);
        client.shutdown().await;
    }
}
