//! Whole sessions through the API, and the statuses the engine's refusals map to.

use std::sync::Arc;

use async_trait::async_trait;
use engine_core::fake::FakeCall;
use engine_core::{
    Driver, DriverError, DriverErrorKind, EngineConfig, FillValue, LocalFiles, Page, PageAnalysis,
    Snapshot,
};
use serde_json::json;

use crate::*;

fn field_ids(state: &serde_json::Value) -> Vec<&str> {
    state["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["field_id"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn multi_page_flow_reaches_submitted_then_delete_forgets_it() {
    let site = site();
    let server = serve(&site).await;

    let reply = server.post_json(SESSIONS, &json!({"url": START})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = reply.body["id"].as_str().expect("id").to_owned();
    let location = reply.headers["location"].to_str().expect("location");
    assert_eq!(location, format!("{SESSIONS}/{id}"));
    assert_eq!(reply.body["status"], "form_ready");
    assert_eq!(reply.body["is_terminal"], false);
    assert_eq!(reply.body["provider_id"], "greenhouse");
    assert_eq!(reply.body["provider_name"], "Greenhouse");
    assert_eq!(field_ids(&reply.body), ["first_name", "resume"]);

    let answers = format!("{SESSIONS}/{id}/answers");
    // Missing a required answer: 200 with validation errors, status unchanged.
    let reply = server
        .post_json(
            &answers,
            &json!({"answers": [{"field_id": "first_name", "value": "Ada"}]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["status"], "form_ready");
    assert_eq!(reply.body["validation_errors"][0]["field_id"], "resume");
    assert_eq!(field_ids(&reply.body), ["first_name", "resume"]);

    let reply = server
        .post_json(
            &answers,
            &json!({"answers": [
                {"field_id": "first_name", "value": "Ada", "handler_type": "first-name"},
                {"field_id": "resume", "value": {"filename": "resume.pdf", "content_base64": "JVBERi0xLjQK"}}
            ], "advance": true}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["status"], "form_ready", "{}", reply.text);
    assert_eq!(
        reply.body["current_url"],
        "https://jobs.example.com/apply/2"
    );
    assert_eq!(field_ids(&reply.body), ["why", "country"]);
    assert_eq!(reply.body["validation_errors"], json!([]));
    // The inline file reached the browser as a file named as sent.
    let uploaded = site.log().into_iter().find_map(|call| match call {
        FakeCall::Fill(_, field, FillValue::File(path)) if field == "resume" => Some(path),
        _ => None,
    });
    assert_eq!(
        uploaded
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .as_deref(),
        Some("resume.pdf")
    );

    let reply = server
        .post_json(
            &answers,
            &json!({"answers": [{"field_id": "why", "value": "Because."}, {"field_id": "country", "value": "DE"}]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["status"], "submitted", "{}", reply.text);
    assert_eq!(reply.body["is_terminal"], true);
    assert_eq!(reply.body["fields"], json!([]));

    let info = server.get(&format!("{SESSIONS}/{id}")).await;
    assert_eq!(info.status, 200, "{}", info.text);
    assert_eq!(info.body["id"], id.as_str());
    assert_eq!(info.body["state"], "completed");
    assert_eq!(info.body["mode"], "interactive");
    assert_eq!(info.body["job_url"], START);
    assert_eq!(info.body["provider_id"], "greenhouse");
    assert_eq!(info.body["current_url"], "https://jobs.example.com/thanks");
    assert!(
        info.body["started_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{}",
        info.text
    );
    assert!(info.body["completed_at"].is_string(), "{}", info.text);
    assert!(info.body.get("fields").is_none());

    // Answers to a submitted session: 409.
    let reply = server.post_json(&answers, &json!({"answers": []})).await;
    assert_eq!(reply.status, 409, "{}", reply.text);
    assert_eq!(reply.error_code(), "session_ended");
    assert!(reply.message().contains("submitted"), "{}", reply.message());

    let reply = server
        .send("DELETE", &format!("{SESSIONS}/{id}"), None, Vec::new())
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert!(reply.text.is_empty());
    assert_eq!(site.open_pages(), 0);
    let reply = server.get(&format!("{SESSIONS}/{id}")).await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    assert_eq!(reply.error_code(), "session_not_found");
    let reply = server
        .send("DELETE", &format!("{SESSIONS}/{id}"), None, Vec::new())
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "session_not_found");
}

#[tokio::test]
async fn delete_mid_flow_releases_the_browser() {
    let site = site();
    let server = serve(&site).await;
    let state = server.start(START).await;
    assert_eq!(site.open_pages(), 1);
    let id = state["id"].as_str().expect("id");
    let reply = server
        .send("DELETE", &format!("{SESSIONS}/{id}"), None, Vec::new())
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(site.open_pages(), 0);
    let reply = server
        .post_json(&format!("{SESSIONS}/{id}/answers"), &json!({"answers": []}))
        .await;
    assert_eq!(reply.status, 404);
}

#[tokio::test]
async fn advance_false_fills_without_clicking() {
    let site = site();
    let server = serve(&site).await;
    let state = server.start(START).await;
    let id = state["id"].as_str().expect("id");
    let reply = server
        .post_json(
            &format!("{SESSIONS}/{id}/answers"),
            &json!({"answers": [{"field_id": "first_name", "value": "Ada"}], "advance": false}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["current_url"], START);
    assert!(site.clicks().is_empty());
}

#[tokio::test]
async fn a_terminal_first_page_is_201_and_answers_to_it_are_409() {
    let site = site();
    let server = serve(&site).await;
    let state = server.start(CLOSED).await;
    assert_eq!(state["status"], "expired");
    assert_eq!(state["is_terminal"], true);
    let id = state["id"].as_str().expect("id");
    let reply = server
        .post_json(
            &format!("{SESSIONS}/{id}/answers"),
            &json!({"answers": [{"field_id": "x", "value": "y"}]}),
        )
        .await;
    assert_eq!(reply.status, 409, "{}", reply.text);
    assert_eq!(reply.error_code(), "session_ended");
    let info = server.get(&format!("{SESSIONS}/{id}")).await;
    assert_eq!(info.body["state"], "completed");
}

#[tokio::test]
async fn at_capacity_is_429_with_retry_after_until_a_session_ends() {
    let site = site();
    let config = EngineConfig {
        max_sessions: 1,
        ..engine_config()
    };
    let server = serve_with(
        Arc::new(site.driver()),
        Arc::new(site.detector()),
        config,
        server_config(),
    )
    .await;
    let first = server.start(START).await;
    let reply = server.post_json(SESSIONS, &json!({"url": START})).await;
    assert_eq!(reply.status, 429, "{}", reply.text);
    assert_eq!(reply.error_code(), "at_capacity");
    let retry: u64 = reply.headers["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry > 0);
    let id = first["id"].as_str().expect("id");
    assert_eq!(
        server
            .send("DELETE", &format!("{SESSIONS}/{id}"), None, Vec::new())
            .await
            .status,
        204
    );
    server.start(START).await;
}

/// A browser pool that never has a free browser.
struct BusyDriver;

#[async_trait]
impl Driver for BusyDriver {
    async fn open(&self, _url: &url::Url) -> Result<Box<dyn Page>, DriverError> {
        Err(DriverError::new(
            DriverErrorKind::AtCapacity,
            "all 4 browsers are in use",
        ))
    }
}

#[tokio::test]
async fn no_free_browser_is_503_with_retry_after() {
    let site = site();
    let server = serve_with(
        Arc::new(BusyDriver),
        Arc::new(site.detector()),
        engine_config(),
        server_config(),
    )
    .await;
    let reply = server.post_json(SESSIONS, &json!({"url": START})).await;
    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.error_code(), "browser_busy");
    assert!(reply.headers.contains_key("retry-after"));
    // The refused session does not count against capacity.
    let health = server
        .send_with_key("GET", "/healthz", None, None, Vec::new())
        .await;
    assert_eq!(health.body["open_sessions"], 0);
}

/// A detector with a bug.
struct PanickingDetector;

impl engine_core::Detector for PanickingDetector {
    fn analyse(&self, _snapshot: &Snapshot) -> PageAnalysis {
        panic!("boom: secret internal detail at src/detector.rs:42");
    }
}

#[tokio::test]
async fn a_panic_is_a_500_without_internals_and_the_server_lives_on() {
    let site = site();
    let server = serve_with(
        Arc::new(site.driver()),
        Arc::new(PanickingDetector),
        engine_config(),
        server_config(),
    )
    .await;
    let reply = server.post_json(SESSIONS, &json!({"url": START})).await;
    assert_eq!(reply.status, 500, "{}", reply.text);
    assert_eq!(reply.error_code(), "internal");
    assert!(
        !reply.text.contains("boom") && !reply.text.contains("src/"),
        "{}",
        reply.text
    );
    server.assert_alive().await;
}

#[tokio::test]
async fn local_paths_are_accepted_only_inside_the_upload_dir() {
    let uploads = tempfile::tempdir().expect("tempdir");
    let inside = uploads.path().join("resume.pdf");
    std::fs::write(&inside, b"%PDF-1.4").expect("write");
    let outside_dir = tempfile::tempdir().expect("tempdir");
    let outside = outside_dir.path().join("resume.pdf");
    std::fs::write(&outside, b"%PDF-1.4").expect("write");
    let sneaky = uploads
        .path()
        .join("..")
        .join(outside_dir.path().file_name().expect("name"))
        .join("resume.pdf");

    let site = site();
    let server_config = ServerConfig {
        upload_dir: Some(uploads.path().to_owned()),
        ..server_config()
    };
    let engine_config = EngineConfig {
        local_files: server_config.local_files(),
        ..engine_config()
    };
    assert_eq!(
        engine_config.local_files,
        LocalFiles::Within(uploads.path().to_owned())
    );
    let server = serve_with(
        Arc::new(site.driver()),
        Arc::new(site.detector()),
        engine_config,
        server_config,
    )
    .await;
    let state = server.start(START).await;
    let answers = format!("{SESSIONS}/{}/answers", state["id"].as_str().expect("id"));
    for refused in [
        outside.as_path(),
        sneaky.as_path(),
        std::path::Path::new("/etc/passwd"),
    ] {
        let reply = server
            .post_json(
                &answers,
                &json!({"answers": [{"field_id": "resume", "value": refused}], "advance": false}),
            )
            .await;
        assert_eq!(reply.status, 400, "{}: {}", refused.display(), reply.text);
        assert_eq!(reply.error_code(), "local_file_refused");
    }
    let reply = server
        .post_json(
            &answers,
            &json!({"answers": [{"field_id": "resume", "value": inside}], "advance": false}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["validation_errors"], json!([]), "{}", reply.text);
}
