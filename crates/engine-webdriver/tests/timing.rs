//! One-script fill against WebDriver send-keys, through a `Connect` endpoint; both must give
//! the same values. Timings are printed for the record (run with `--nocapture`), never
//! asserted.

#![allow(clippy::unwrap_used)] // tests may panic on setup failures

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::response::Html;
use axum::routing::get;
use common::{chrome_config, field, serve, text_step};
use engine_core::{FieldType, FillPlan, Page};
use engine_webdriver::{Browser, Endpoint, WebDriver, WebDriverConfig};
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use url::Url;

const FIELDS: usize = 20;
const ANSWER: &str = "Twenty characters ok";

fn form() -> String {
    let inputs: String = (0..FIELDS)
        .map(|i| format!(r#"<label for="f{i}">Q{i}</label><input id="f{i}" name="f{i}">"#))
        .collect();
    format!("<!doctype html><html><body><form>{inputs}</form></body></html>")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_script_fill_and_send_keys_give_the_same_values() {
    let Some(local) = chrome_config() else { return };
    let Endpoint::Launch { program, .. } = &local.endpoint else {
        unreachable!()
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let scratch = tempfile::tempdir().unwrap();
    let mut chromedriver = tokio::process::Command::new(program)
        .arg(format!("--port={port}"))
        .env("TMPDIR", scratch.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let endpoint = Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let mut config = WebDriverConfig::new(Endpoint::Connect {
        url: endpoint.clone(),
        browser: Browser::Chrome,
    });
    config.browser_binary = local.browser_binary.clone();
    config.pool.warm = 0;
    // chromedriver needs a moment before it accepts sessions.
    let driver = loop {
        match WebDriver::start(config.clone()).await {
            Ok(driver) => break driver,
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };

    let html = form();
    let base =
        serve(axum::Router::new().route("/form", get(move || async move { Html(html) }))).await;
    let url = base.join("form").unwrap();

    let mut page = driver.open_page(&url).await.unwrap();
    let plan = FillPlan {
        frame: None,
        steps: (0..FIELDS)
            .map(|i| {
                text_step(
                    field(&format!("f{i}"), FieldType::Text, &format!("#f{i}")),
                    ANSWER,
                )
            })
            .collect(),
    };
    let before = page.round_trips();
    let started = Instant::now();
    let report = page.fill(&plan).await.unwrap();
    let script_time = started.elapsed();
    let script_trips = page.round_trips() - before;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(script_trips, 1);
    Box::new(page).close().await;

    let mut caps = serde_json::Map::new();
    let mut options = json!({ "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    if let Some(binary) = &local.browser_binary {
        options["binary"] = json!(binary.display().to_string());
    }
    caps.insert("goog:chromeOptions".into(), options);
    let client = ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps)
        .connect(endpoint.as_str())
        .await
        .unwrap();
    client.goto(url.as_str()).await.unwrap();
    let started = Instant::now();
    for i in 0..FIELDS {
        let input = client.find(Locator::Css(&format!("#f{i}"))).await.unwrap();
        input.send_keys(ANSWER).await.unwrap();
    }
    let keys_time = started.elapsed();
    let values = client
        .execute(
            "return Array.from(document.querySelectorAll('input')).map(i => i.value);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(values, json!(vec![ANSWER; FIELDS]));
    client.close().await.unwrap();

    eprintln!(
        "fill of {FIELDS} text fields of {} chars: one script {:?} ({script_trips} round trip) vs find+send_keys {:?} ({} round trips)",
        ANSWER.len(),
        script_time,
        keys_time,
        FIELDS * 2
    );
    driver.shutdown().await;
    chromedriver.kill().await.unwrap();
}
