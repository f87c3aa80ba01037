//! Requests are traced, and neither answers nor API keys reach the logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_carry_no_answers_and_no_keys() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Global, not scoped to this thread: with a scoped subscriber, tracing's per-callsite
    // interest cache, filled concurrently by the other tests' threads (which have none), can
    // make this test miss events. Only this test installs a subscriber in this binary; other
    // tests' logs may land in the buffer too and must not hold these secrets either.
    tracing::subscriber::set_global_default(subscriber).expect("only this test sets a subscriber");

    let site = site();
    let server = serve(&site).await;
    let state = server.start(START).await;
    let answers = format!("{SESSIONS}/{}/answers", state["id"].as_str().expect("id"));
    let secret_name = "Zebediah-Quux";
    let secret_file = "U2VjcmV0IHJlc3VtZSBvZiBaZWJlZGlhaA==";
    let reply = server
        .post_json(
            &answers,
            &json!({"answers": [
                {"field_id": "first_name", "value": secret_name},
                {"field_id": "resume", "value": {"filename": "zebediah.pdf", "content_base64": secret_file}}
            ]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // Refused bodies are not logged either.
    let reply = server
        .post_json(
            &answers,
            &json!({"answers": [{"field_id": "first_name", "value": [secret_name]}]}),
        )
        .await;
    assert_eq!(reply.status, 400);
    let reply = server
        .send_with_key(
            "GET",
            SESSIONS,
            Some("wrong-key-Zebediah"),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(reply.status, 401);

    let logs = String::from_utf8_lossy(&captured.0.lock().expect("log buffer")).into_owned();
    assert!(
        logs.contains("/answers"),
        "requests are not traced:\n{logs}"
    );
    for secret in [secret_name, "Zebediah", secret_file, "zebediah.pdf", KEY] {
        assert!(!logs.contains(secret), "`{secret}` is in the logs:\n{logs}");
    }
}
