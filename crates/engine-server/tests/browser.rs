//! The real router over TCP, driving headless Chromium through the mock Greenhouse flow.
//!
//! Skipped, with a loud line, when chromedriver is not installed (CI installs it).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use engine_core::{Engine, EngineConfig, UrlPolicy};
use engine_server::ServerConfig;
use engine_webdriver::{WebDriver, WebDriverConfig};
use mock_ats::{Flow, MockAts};
use serde_json::{Value, json};

const KEY: &str = "browser-test-key-7f3a9c";
const SESSIONS: &str = "/api/auto-apply/sessions";

/// A remote caller's answer to one field, chosen from what the field means.
fn answer(field: &Value) -> Option<Value> {
    let id = field["field_id"].as_str()?;
    let handler = field["handler_type"].as_str().unwrap_or("");
    let required = field["is_required"].as_bool().unwrap_or(false);
    let value = match (handler, field["type"].as_str().unwrap_or("")) {
        ("first-name", _) => json!("Ada"),
        ("last-name", _) => json!("Lovelace"),
        ("email", _) => json!("ada@example.com"),
        ("resume", _) => json!({
            "filename": "ada-resume.pdf",
            "content_base64": base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4\n%resume of Ada\n"),
        }),
        ("work-authorization", _) => json!("Yes"),
        (_, "checkbox" | "multiselect" | "select" | "radio") if required => {
            json!(field["options"][0]["value"].as_str().unwrap_or("Yes"))
        }
        (_, _) if required => json!("Yes"),
        _ => return None,
    };
    Some(json!({"field_id": id, "value": value}))
}

fn chromedriver_present() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join("chromedriver").is_file())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greenhouse_mock_flow_over_http_in_headless_chromium() {
    let config = match WebDriverConfig::local_chrome() {
        Some(config) if chromedriver_present() => config,
        _ => {
            println!(
                "SKIPPED greenhouse_mock_flow_over_http_in_headless_chromium: chromedriver is not on PATH (sudo apt-get install -y chromium chromium-driver)"
            );
            return;
        }
    };
    let mock = MockAts::start().await.expect("mock ATS");
    let driver = WebDriver::start(config).await.expect("browser starts");
    let server_config = ServerConfig::new(vec![KEY.to_owned()]);
    let engine = Engine::new(
        Arc::new(driver.clone()),
        Arc::new(detectors::AtsDetector::new()),
        EngineConfig {
            url_policy: UrlPolicy::allow_local(),
            local_files: server_config.local_files(),
            settle_timeout: Duration::from_secs(15),
            ..EngineConfig::default()
        },
    );
    let app = engine_server::router(engine.clone(), server_config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();

    let response = client
        .post(format!("{base}{SESSIONS}"))
        .header("X-Api-Key", KEY)
        .json(&json!({"url": mock.url(Flow::Greenhouse).as_str()}))
        .send()
        .await
        .expect("start");
    assert_eq!(response.status().as_u16(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let mut state: Value = response.json().await.expect("state");
    assert_eq!(state["provider_id"], "greenhouse", "{state}");
    assert_eq!(state["status"], "form_ready", "{state}");
    assert!(
        state["fields"].as_array().is_some_and(|f| f.len() >= 5),
        "{state}"
    );

    for _ in 0..4 {
        if state["is_terminal"] == true {
            break;
        }
        let answers: Vec<Value> = state["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter_map(answer)
            .collect();
        let response = client
            .post(format!("{base}{location}/answers"))
            .header("X-Api-Key", KEY)
            .json(&json!({"answers": answers, "advance": true}))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status().as_u16(), 200);
        state = response.json().await.expect("state");
    }
    assert_eq!(state["status"], "submitted", "{state}");

    let submissions = mock.submissions();
    assert_eq!(submissions.len(), 1);
    assert_eq!(submissions[0].field("first_name"), Some("Ada"));
    let resume = submissions[0]
        .file("resume")
        .expect("the resume was uploaded");
    assert_eq!(resume.filename, "ada-resume.pdf");
    assert_eq!(resume.content, b"%PDF-1.4\n%resume of Ada\n");

    let info: Value = client
        .get(format!("{base}{location}"))
        .header("X-Api-Key", KEY)
        .send()
        .await
        .expect("info")
        .json()
        .await
        .expect("json");
    assert_eq!(info["state"], "completed", "{info}");
    let deleted = client
        .delete(format!("{base}{location}"))
        .header("X-Api-Key", KEY)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status().as_u16(), 204);

    engine.shutdown().await;
    driver.shutdown().await;
    mock.shutdown().await;
}
