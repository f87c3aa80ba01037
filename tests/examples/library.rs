//! The README's library example, compiled with the tests so it cannot rot.
//!
//! `cargo run -p autoapply-e2e --example library -- URL` applies with two answers and prints
//! the state (it needs chromedriver; local URLs such as the mock ATS are allowed here).

use std::sync::Arc;

use engine_core::{Answer, AnswersRequest, Engine, EngineConfig, UrlPolicy};
use engine_webdriver::{WebDriver, WebDriverConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: library <application url>")?;
    let config = WebDriverConfig::local_chrome().ok_or("install chromium and chromium-driver")?;
    let driver = WebDriver::start(config).await?;
    let engine = Engine::new(
        Arc::new(driver.clone()),
        Arc::new(detectors::AtsDetector::new()),
        EngineConfig {
            url_policy: UrlPolicy::allow_local(),
            ..EngineConfig::default()
        },
    );
    let state = engine.start(&url).await?;
    for field in &state.fields {
        println!(
            "{:<28} {:<10} required={} {}",
            field.field_id, field.field_type, field.is_required, field.label
        );
    }
    let answers = vec![
        Answer::new("first_name", "Ada"),
        Answer::new("last_name", "Lovelace"),
    ];
    let state = engine
        .answer(
            state.id,
            AnswersRequest {
                answers,
                advance: false,
            },
        )
        .await?;
    println!("{} {:?}", state.status, state.validation_errors);
    engine.shutdown().await;
    driver.shutdown().await;
    Ok(())
}
