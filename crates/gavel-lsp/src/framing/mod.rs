//! A tolerant framing layer between the client and tower-lsp-server's transport.
//!
//! tower-lsp-server reads its input with tokio-util's `FramedRead`, which ends the stream at its
//! first decode error: one malformed frame (invalid JSON, a batch, a float id, a bad
//! `Content-Length`, a lone surrogate in a JavaScript client's text) ended the server. So the
//! client's bytes go through [`read::FrameReader`], which always finds the next frame, and
//! [`body::check`], which passes on only what the transport accepts (repaired where nothing is
//! lost) and answers the rest with a JSON-RPC error response. Valid messages are re-framed into a
//! pipe that the transport reads; its output comes back through another pipe and is written to
//! the client together with those error responses ([`write`]).

mod body;
mod head;
mod read;
mod write;

use tokio::{
    io::{AsyncRead, AsyncWrite, AsyncWriteExt},
    sync::mpsc,
};

use body::Checked;
use read::{Frame, FrameReader};
use tower_lsp_server::{ClientSocket, LspService};

const PIPE_BYTES: usize = 1 << 16;

/// Serve `service`'s transport on `input`/`output` through the tolerant framing layer.
/// Returns whether the client sent `shutdown` before it left.
pub async fn serve<I, O>(
    input: I,
    output: O,
    service: LspService<crate::Server>,
    socket: ClientSocket,
) -> crate::Ended
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (to_inner, inner_in) = tokio::io::duplex(PIPE_BYTES);
    let (inner_out, from_inner) = tokio::io::duplex(PIPE_BYTES);
    let (tx, rx) = mpsc::channel(16);
    // The reader only answers errors: once the transport's output ends, so does the writer.
    let errors = tx.downgrade();
    let inner = tower_lsp_server::Server::new(inner_in, inner_out, socket).serve(service);
    let rest = async {
        tokio::join!(
            inner,
            write::pump(from_inner, tx),
            write::write_all(rx, output)
        )
    };
    let shut_down = std::sync::atomic::AtomicBool::new(false);
    tokio::pin!(rest);
    tokio::select! {
        _ = &mut rest => {}
        () = forward(input, to_inner, errors, &shut_down) => {
            // The input ended: the transport sees its end too and finishes.
            rest.await;
        }
    }
    match shut_down.load(std::sync::atomic::Ordering::Relaxed) {
        true => crate::Ended::Clean,
        false => crate::Ended::WithoutShutdown,
    }
}

/// Read the client's frames, pass valid messages on, answer the others.
async fn forward(
    input: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    errors: mpsc::WeakSender<Vec<u8>>,
    shut_down: &std::sync::atomic::AtomicBool,
) {
    let mut reader = FrameReader::new(input);
    let mut answered = false;
    while let Some(next) = reader.next().await {
        let answer = match next {
            Frame::Body(bytes) => match body::check(bytes) {
                Checked::Forward(bytes, shutdown) => {
                    answered = false;
                    if shutdown {
                        shut_down.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    if to.write_all(&write::frame(&bytes)).await.is_err() {
                        return;
                    }
                    continue;
                }
                Checked::Answer(answer) => answer,
                Checked::Drop(why) => {
                    tracing::error!("{why}; ignored");
                    continue;
                }
            },
            // A bad stretch of bytes right after a refused body is that body's rest.
            Frame::Bad(_) if answered => continue,
            Frame::Bad(why) => body::error(
                body::PARSE_ERROR,
                format!("Parse error: {why}"),
                serde_json::Value::Null,
            ),
        };
        tracing::error!(
            "refused a message from the client: {}",
            answer["error"]["message"]
        );
        answered = true;
        let Some(tx) = errors.upgrade() else { return };
        if tx
            .send(write::frame(answer.to_string().as_bytes()))
            .await
            .is_err()
        {
            return;
        }
    }
}
