//! The server's side of the wire: frames from tower-lsp-server's transport (read back from its
//! pipe, which it frames correctly) and the framing layer's own error responses, written to the
//! client whole, one frame at a time, never interleaved.

use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader},
    sync::mpsc,
};

/// Frame a message body.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Pass the transport's frames on, whole, until its output ends.
pub async fn pump(from: impl AsyncRead + Unpin, to: mpsc::Sender<Vec<u8>>) {
    let mut from = BufReader::new(from);
    loop {
        let mut len = None;
        loop {
            let mut line = String::new();
            match from.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse::<usize>().ok();
            }
        }
        let Some(len) = len else {
            tracing::error!("the transport wrote a frame without Content-Length");
            return;
        };
        let mut body = vec![0; len];
        if from.read_exact(&mut body).await.is_err() || to.send(frame(&body)).await.is_err() {
            return;
        }
    }
}

/// Write frames to the client until every sender is gone.
pub async fn write_all(mut rx: mpsc::Receiver<Vec<u8>>, output: impl AsyncWrite) {
    tokio::pin!(output);
    while let Some(frame) = rx.recv().await {
        let written = async {
            output.write_all(&frame).await?;
            output.flush().await
        };
        if let Err(e) = written.await {
            tracing::error!("writing to the client failed: {e}");
            return;
        }
    }
}
