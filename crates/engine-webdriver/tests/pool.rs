//! The session pool, cleaning, capacity, and a driver process that dies.

#![allow(clippy::unwrap_used)] // tests may panic on setup failures

mod common;

use std::time::Duration;

use axum::Router;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use common::{chrome_config, serve};
use engine_core::{Driver, DriverErrorKind};
use engine_webdriver::WebDriver;

const SET: &str = r#"<!doctype html><html><body><p>set</p>
<script>localStorage.setItem('draft', 'kept'); sessionStorage.setItem('step', '2');</script></body></html>"#;

/// A page that saves a draft and a cookie when it is left, as application forms do.
const SAVE_ON_LEAVE: &str = r#"<!doctype html><html><body><p>saves on leave</p>
<script>addEventListener('pagehide', () => {
  localStorage.setItem('draft', 'saved on leave');
  document.cookie = 'applicant=ada; path=/';
});</script></body></html>"#;

fn router() -> Router {
    Router::new()
        .route(
            "/set",
            get(|| async { ([("set-cookie", "applicant=ada; Path=/")], Html(SET)).into_response() }),
        )
        .route("/leave", get(|| async { Html(SAVE_ON_LEAVE) }))
        .route(
            "/show",
            get(|headers: HeaderMap| async move {
                let cookie = headers.get("cookie").and_then(|v| v.to_str().ok()).unwrap_or("none").to_owned();
                Html(format!(
                    r#"<!doctype html><html><body><p id="server-cookie">cookie={cookie}</p><p id="storage"></p>
<script>document.getElementById('storage').textContent = 'storage=' + localStorage.getItem('draft') + '/' + sessionStorage.getItem('step');</script>
</body></html>"#
                ))
            }),
        )
}

/// Live (not zombie) processes in process group `pgid`.
fn live_in_group(pgid: u32) -> usize {
    let output = std::process::Command::new("ps")
        .args(["-eo", "pgid=,stat="])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| {
            let mut parts = line.split_whitespace();
            parts.next() == Some(&pgid.to_string()) && !parts.next().unwrap_or("Z").starts_with('Z')
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_returned_session_is_clean_for_the_next_page() {
    let Some(mut config) = chrome_config() else {
        return;
    };
    config.pool.warm = 1;
    config.pool.max = 1;
    let driver = WebDriver::start(config).await.unwrap();
    assert_eq!(
        driver.stats().sessions_created,
        1,
        "one warm session at start"
    );
    let base = serve(router()).await;

    let mut page = driver.open(&base.join("set").unwrap()).await.unwrap();
    page.snapshot().await.unwrap();
    page.close().await;
    let mut page = driver.open(&base.join("show").unwrap()).await.unwrap();
    let html = page.snapshot().await.unwrap().html;
    assert!(html.contains("cookie=none"), "{html}");
    assert!(html.contains("storage=null/null"), "{html}");
    page.close().await;
    // What a page saves as it is left is cleaned too.
    let mut page = driver.open(&base.join("leave").unwrap()).await.unwrap();
    page.snapshot().await.unwrap();
    page.close().await;
    let mut page = driver.open(&base.join("show").unwrap()).await.unwrap();
    let html = page.snapshot().await.unwrap().html;
    assert!(html.contains("cookie=none"), "{html}");
    assert!(html.contains("storage=null/null"), "{html}");
    page.close().await;
    // `close` returns before the session is cleaned and back in the pool.
    driver.wait_for_cleaning().await;
    let stats = driver.stats();
    assert_eq!(
        stats.sessions_created, 1,
        "the warm session was reused: {stats:?}"
    );
    assert_eq!(stats.sessions_reused, 4, "{stats:?}");
    assert_eq!(stats.idle, 1);
    driver.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_capacity_open_waits_then_fails_clearly() {
    let Some(mut config) = chrome_config() else {
        return;
    };
    config.pool.max = 1;
    config.pool.acquire_timeout = Duration::from_millis(300);
    let driver = WebDriver::start(config).await.unwrap();
    let base = serve(router()).await;
    let url = base.join("show").unwrap();

    let first = driver.open(&url).await.unwrap();
    let error = driver.open(&url).await.err().unwrap();
    assert_eq!(error.kind(), DriverErrorKind::AtCapacity);
    assert!(
        error
            .message()
            .contains("all 1 browser sessions are in use"),
        "{error}"
    );

    // A waiter gets the session as soon as it is given back.
    let waiting = {
        let driver = WebDriver::clone(&driver);
        let url = url.clone();
        tokio::spawn(async move { driver.open(&url).await.map(|_page| ()) })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    first.close().await;
    let result = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .unwrap()
        .unwrap();
    // 300 ms may be too short on a busy machine; either outcome must be the clear one.
    if let Err(error) = result {
        assert_eq!(error.kind(), DriverErrorKind::AtCapacity, "{error}");
    }
    driver.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_driver_loses_the_session_and_restarts_on_the_next_open() {
    let Some(config) = chrome_config() else {
        return;
    };
    let driver = WebDriver::start(config).await.unwrap();
    let base = serve(router()).await;
    let url = base.join("show").unwrap();
    let mut page = driver.open(&url).await.unwrap();
    page.snapshot().await.unwrap();

    let pid = driver.driver_pid().await.unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(200)).await;

    let error = page.snapshot().await.unwrap_err();
    assert_eq!(error.kind(), DriverErrorKind::SessionLost, "{error}");
    eprintln!("session lost: {error}");
    assert!(
        error.message().contains("chromedriver"),
        "names what died: {error}"
    );
    let again = page.snapshot().await.unwrap_err();
    assert_eq!(again.kind(), DriverErrorKind::SessionLost);
    page.close().await;

    let mut page = driver.open(&url).await.unwrap();
    assert!(page.snapshot().await.unwrap().html.contains("cookie=none"));
    page.close().await;
    assert_eq!(driver.stats().driver_restarts, 1);
    assert_ne!(driver.driver_pid().await, Some(pid));
    assert_eq!(
        live_in_group(pid),
        0,
        "the dead driver's browsers were killed with it"
    );

    let new_pid = driver.driver_pid().await.unwrap();
    driver.shutdown().await;
    assert_eq!(
        live_in_group(new_pid),
        0,
        "shutdown leaves no driver or browser process"
    );
    let error = driver.open(&url).await.err().unwrap();
    assert_eq!(error.kind(), DriverErrorKind::Unavailable);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_browser_loses_the_session_and_the_next_open_gets_a_new_one() {
    let Some(config) = chrome_config() else {
        return;
    };
    let driver = WebDriver::start(config).await.unwrap();
    let base = serve(router()).await;
    let url = base.join("show").unwrap();
    let mut page = driver.open(&url).await.unwrap();
    page.snapshot().await.unwrap();

    // Kill the browser (the driver's children), not the driver.
    let pid = driver.driver_pid().await.unwrap();
    let children = std::process::Command::new("ps")
        .args(["-o", "pid=", "--ppid", &pid.to_string()])
        .output()
        .unwrap();
    let children: Vec<String> = String::from_utf8_lossy(&children.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert!(!children.is_empty(), "chromedriver started a browser");
    for child in &children {
        std::process::Command::new("kill")
            .args(["-KILL", child])
            .status()
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let error = page.snapshot().await.unwrap_err();
    eprintln!("session lost: {error}");
    assert_eq!(error.kind(), DriverErrorKind::SessionLost, "{error}");
    assert!(error.message().contains("browser"), "{error}");
    page.close().await;

    let mut page = driver.open(&url).await.unwrap();
    assert!(page.snapshot().await.unwrap().html.contains("cookie=none"));
    page.close().await;
    assert_eq!(
        driver.stats().driver_restarts,
        0,
        "the driver itself lived on"
    );
    driver.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_right_after_close_leaves_no_process_behind() {
    let Some(mut config) = chrome_config() else {
        return;
    };
    config.pool.warm = 2;
    config.pool.max = 2;
    let driver = WebDriver::start(config).await.unwrap();
    let base = serve(router()).await;
    let mut first = driver.open(&base.join("set").unwrap()).await.unwrap();
    let mut second = driver.open(&base.join("show").unwrap()).await.unwrap();
    first.snapshot().await.unwrap();
    second.snapshot().await.unwrap();
    let pid = driver.driver_pid().await.unwrap();
    // Both sessions are still being cleaned (in the background) when shutdown begins.
    first.close().await;
    second.close().await;
    driver.shutdown().await;
    assert_eq!(
        live_in_group(pid),
        0,
        "shutdown leaves no driver or browser process"
    );
    let error = driver
        .open(&base.join("show").unwrap())
        .await
        .err()
        .unwrap();
    assert_eq!(error.kind(), DriverErrorKind::Unavailable);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_being_cleaned_is_given_to_the_next_open_once_clean() {
    let Some(mut config) = chrome_config() else {
        return;
    };
    config.pool.warm = 1;
    // Room for a second session: `open` could start one, but waiting for the session being
    // cleaned is quicker than starting a browser.
    config.pool.max = 2;
    let driver = WebDriver::start(config).await.unwrap();
    let base = serve(router()).await;
    let page = driver.open(&base.join("set").unwrap()).await.unwrap();
    page.close().await;
    // No wait: the session is still being cleaned; `open` waits for it.
    let mut page = driver.open(&base.join("show").unwrap()).await.unwrap();
    let html = page.snapshot().await.unwrap().html;
    assert!(html.contains("cookie=none"), "{html}");
    assert!(html.contains("storage=null/null"), "{html}");
    page.close().await;
    let stats = driver.stats();
    assert_eq!(stats.sessions_created, 1, "{stats:?}");
    assert_eq!(stats.sessions_reused, 2, "{stats:?}");
    driver.shutdown().await;
}
