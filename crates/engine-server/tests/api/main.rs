//! The sessions API over real TCP, on a replayed site (no browser).

mod auth;
mod errors;
mod flow;
mod logging;
mod openapi;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use engine_core::fake::{FakePage, FakeSite, form_analysis};
use engine_core::{
    Detector, Driver, Engine, EngineConfig, Field, FieldOption, FieldType, LocalFiles,
    PageAnalysis, PageKind, ProviderId, UrlPolicy,
};
use engine_server::ServerConfig;
use serde_json::Value;

pub const KEY: &str = "test-key-0123456789abcdef";
pub const START: &str = "https://jobs.example.com/apply";
pub const CLOSED: &str = "https://jobs.example.com/closed";
pub const SESSIONS: &str = "/api/auto-apply/sessions";

/// A running server and a client for it.
pub struct Server {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
}

/// An answer: status, headers and JSON body (`Value::Null` when empty or not JSON).
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// The error code, asserting the error shape.
    pub fn error_code(&self) -> &str {
        let message = self.body["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "no error message in {}", self.text);
        assert!(
            !message.ends_with('.'),
            "message ends with a period: {message}"
        );
        self.body["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {}", self.text))
    }

    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or_default()
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends a request with the API key; `body` as raw bytes with `content_type`.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        self.send_with_key(method, path, Some(KEY), content_type, body)
            .await
    }

    pub async fn send_with_key(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.client.request(method, self.url(path));
        if let Some(key) = key {
            request = request.header("X-Api-Key", key);
        }
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        if !body.is_empty() {
            request = request.body(body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(
            "POST",
            path,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None, Vec::new()).await
    }

    /// Starts a session at `url`, asserting 201.
    pub async fn start(&self, url: &str) -> Value {
        let reply = self
            .post_json(SESSIONS, &serde_json::json!({"url": url}))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body
    }

    /// Asserts the server still answers (no panic took it down).
    pub async fn assert_alive(&self) {
        let reply = self
            .send_with_key("GET", "/healthz", None, None, Vec::new())
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.body["status"], "ok");
    }
}

pub fn required(id: &str, field_type: FieldType, label: &str) -> Field {
    let mut field = Field::new(id, field_type, label);
    field.is_required = true;
    field
}

fn form(fields: Vec<Field>, next: Option<&str>, submit: Option<&str>) -> PageAnalysis {
    form_analysis(Some(ProviderId::Greenhouse), fields, next, submit)
}

fn page(url: &str, analysis: PageAnalysis) -> FakePage {
    FakePage::analysed(url, analysis)
}

/// Two form pages (contact + resume, then a question and a choice), then a confirmation;
/// and a closed posting.
pub fn site() -> FakeSite {
    let mut country = required("country", FieldType::Select, "Country");
    country.options = ["US", "DE"]
        .iter()
        .map(|v| FieldOption {
            value: (*v).into(),
            text: (*v).into(),
            is_selected: false,
        })
        .collect();
    let site = FakeSite::new();
    site.page(
        "contact",
        page(
            START,
            form(
                vec![
                    required("first_name", FieldType::Text, "First name"),
                    required("resume", FieldType::File, "Resume"),
                ],
                Some("#next"),
                None,
            ),
        ),
    )
    .page(
        "questions",
        page(
            "https://jobs.example.com/apply/2",
            form(
                vec![required("why", FieldType::Textarea, "Why us?"), country],
                None,
                Some("#submit"),
            ),
        ),
    )
    .page(
        "thanks",
        page(
            "https://jobs.example.com/thanks",
            PageAnalysis::of_kind(PageKind::Confirmation),
        ),
    )
    .page(
        "closed",
        page(CLOSED, PageAnalysis::of_kind(PageKind::Expired)),
    )
    .click("contact", "#next", "questions")
    .click("questions", "#submit", "thanks");
    site
}

pub fn engine_config() -> EngineConfig {
    EngineConfig {
        // The test machine may have no DNS; the fake site's host is trusted by name.
        url_policy: UrlPolicy {
            allow_private_targets: false,
            allowed_hosts: vec!["jobs.example.com".into()],
        },
        settle_timeout: Duration::from_millis(200),
        poll_interval: Duration::from_millis(1),
        local_files: LocalFiles::Refused,
        max_upload_bytes: 1024,
        ..EngineConfig::default()
    }
}

pub fn server_config() -> ServerConfig {
    ServerConfig {
        body_limit: 64 * 1024,
        ..ServerConfig::new(vec![KEY.to_owned(), "second-key".to_owned()])
    }
}

/// Serves the router over `driver` and `detector` on a free port.
pub async fn serve_with(
    driver: Arc<dyn Driver>,
    detector: Arc<dyn Detector>,
    engine_config: EngineConfig,
    server_config: ServerConfig,
) -> Server {
    let engine = Engine::new(driver, detector, engine_config);
    let app = engine_server::router(engine, server_config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server {
        addr,
        client: reqwest::Client::new(),
    }
}

/// Serves the fake `site` with the default test configs.
pub async fn serve(site: &FakeSite) -> Server {
    serve_with(
        Arc::new(site.driver()),
        Arc::new(site.detector()),
        engine_config(),
        server_config(),
    )
    .await
}
