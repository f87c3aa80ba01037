//! The same checks in headless Firefox, where geckodriver is installed.

#![allow(clippy::unwrap_used)] // tests may panic on setup failures

mod common;

use common::form::fill_every_kind_and_submit;
use common::{pages, serve};
use engine_core::{ClickOutcome, Control, ControlKind, Driver};
use engine_webdriver::{WebDriver, WebDriverConfig};

async fn firefox() -> Option<WebDriver> {
    let Some(config) = WebDriverConfig::local_firefox() else {
        eprintln!(
            "!!!!!!!! geckodriver not found on PATH: SKIPPING the Firefox browser tests !!!!!!!!"
        );
        return None;
    };
    Some(WebDriver::start(config).await.expect("geckodriver starts"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firefox_fills_every_field_kind_clicks_and_reuses_a_clean_session() {
    let Some(driver) = firefox().await else {
        return;
    };
    fill_every_kind_and_submit(&driver).await;

    let base = serve(pages(&[
        (
            "/a",
            r#"<!doctype html><html><body><a id="go" href="/b">Next</a></body></html>"#,
        ),
        (
            "/b",
            "<!doctype html><html><body><h1>Page B</h1></body></html>",
        ),
    ]))
    .await;
    let mut page = driver.open(&base.join("a").unwrap()).await.unwrap();
    let next = Control {
        kind: ControlKind::Next,
        selector: "#go".into(),
        text: "Next".into(),
    };
    assert_eq!(
        page.click(&next, None).await.unwrap(),
        ClickOutcome::Navigated
    );
    assert!(page.snapshot().await.unwrap().html.contains("Page B"));
    page.close().await;

    // Cleaned before reuse: the cookie and the storage of the last page are gone.
    let router = axum::Router::new()
        .route(
            "/set",
            axum::routing::get(|| async {
                (
                    [("set-cookie", "applicant=ada; Path=/")],
                    axum::response::Html("<html><body><script>localStorage.setItem('k', 'v');</script></body></html>"),
                )
            }),
        )
        .route(
            "/show",
            axum::routing::get(|headers: axum::http::HeaderMap| async move {
                let cookie = headers.get("cookie").and_then(|v| v.to_str().ok()).unwrap_or("none").to_owned();
                axum::response::Html(format!(
                    "<html><body><p>cookie={cookie}</p><p id=s></p><script>document.getElementById('s').textContent = 'storage=' + localStorage.getItem('k');</script></body></html>"
                ))
            }),
        );
    let base = serve(router).await;
    let page = driver.open(&base.join("set").unwrap()).await.unwrap();
    page.close().await;
    let mut page = driver.open(&base.join("show").unwrap()).await.unwrap();
    let html = page.snapshot().await.unwrap().html;
    assert!(html.contains("cookie=none"), "{html}");
    assert!(html.contains("storage=null"), "{html}");
    page.close().await;
    let stats = driver.stats();
    assert_eq!(
        stats.sessions_created, 1,
        "geckodriver's one session is reused: {stats:?}"
    );
    driver.shutdown().await;
}
