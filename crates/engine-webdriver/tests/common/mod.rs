//! Shared test helpers: a local page server on port 0 and a launched chromedriver.

#![allow(dead_code)]

pub mod form;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use engine_core::{Field, FieldOption, FieldType, FillStep, FillValue};
use engine_webdriver::{WebDriver, WebDriverConfig};
use url::Url;

/// Serves `router` on 127.0.0.1:0 and returns its base URL.
pub async fn serve(router: Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Url::parse(&format!("http://{addr}/")).unwrap()
}

/// A router serving fixed HTML at each path.
pub fn pages(pages: &[(&'static str, &'static str)]) -> Router {
    let mut router = Router::new();
    for (path, html) in pages {
        let html = *html;
        router = router.route(path, get(move || async move { Html(html) }));
    }
    router
}

/// A config for a local chromedriver with test-friendly timeouts, or `None` (with a loud
/// line) when chromedriver is not installed.
pub fn chrome_config() -> Option<WebDriverConfig> {
    // `RUST_LOG=engine_webdriver=debug` shows the driver's spans and timings.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let Some(mut config) = WebDriverConfig::local_chrome() else {
        eprintln!(
            "!!!!!!!! chromedriver not found on PATH or at /usr/bin/chromedriver: SKIPPING this browser test !!!!!!!!"
        );
        return None;
    };
    config.pool.warm = 0;
    config.pool.max = 2;
    config.timeouts.page_load = Duration::from_secs(20);
    config.timeouts.action = Duration::from_secs(5);
    config.timeouts.settle_after_click = Duration::from_secs(2);
    Some(config)
}

/// A started driver with [`chrome_config`], or `None` when chromedriver is missing.
pub async fn chrome() -> Option<WebDriver> {
    let config = chrome_config()?;
    Some(WebDriver::start(config).await.expect("chromedriver starts"))
}

/// A field found by `selector`.
pub fn field(id: &str, field_type: FieldType, selector: &str) -> Field {
    let mut field = Field::new(id, field_type, id);
    field.selector = Some(selector.to_owned());
    field
}

/// A field with options (value, text).
pub fn field_with_options(
    id: &str,
    field_type: FieldType,
    selector: &str,
    options: &[(&str, &str)],
) -> Field {
    let mut field = field(id, field_type, selector);
    field.options = options
        .iter()
        .map(|(value, text)| FieldOption {
            value: (*value).into(),
            text: (*text).into(),
            is_selected: false,
        })
        .collect();
    field
}

/// A step putting `value` into `field`.
pub fn text_step(field: Field, value: &str) -> FillStep {
    FillStep {
        field,
        value: FillValue::Text(value.into()),
        typeahead_selection: None,
        clear_first: false,
    }
}

/// Recorded requests of a test server.
pub type Log = Arc<Mutex<Vec<String>>>;
