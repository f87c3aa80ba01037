//! Snapshots, frames and clicks in headless Chrome.

#![allow(clippy::unwrap_used)] // tests may panic on setup failures

mod common;

use std::time::Duration;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use common::{chrome, chrome_config, field, pages, serve, text_step};
use engine_core::{ClickOutcome, Control, ControlKind, DriverErrorKind, FieldType, FillPlan, Page};
use engine_webdriver::WebDriver;

const HOST: &str = r#"<!doctype html><html><body>
<h1>Careers at Example</h1>
<iframe src="/empty" id="ad"></iframe>
<iframe src="/embed" id="embed"></iframe>
</body></html>"#;

const EMBED: &str = r#"<!doctype html><html><body>
<form id="application"><label for="email">Email</label><input id="email" name="email" type="email">
<button type="button" id="go" onclick="document.body.insertAdjacentHTML('beforeend', '<p id=done>sent</p>')">Send</button></form>
</body></html>"#;

const EMPTY: &str = "<!doctype html><html><body><p>nothing to see</p></body></html>";

const CLICKS: &str = r#"<!doctype html><html><body>
<a id="away" href="/landed">Next</a>
<button type="button" id="grow" onclick="setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<p>more</p>'), 100)">Grow</button>
<button type="button" id="noop">Nothing</button>
<div id="later" style="display:none">Step two</div>
<button type="button" id="reveal" onclick="document.getElementById('later').style.display='block'">Reveal</button>
<div style="position:relative; margin-top:40px; height:60px">
  <button type="button" id="covered" style="height:50px" onclick="document.body.insertAdjacentHTML('beforeend', '<p>covered button clicked</p>')">Covered</button>
  <div id="cover" style="position:absolute; inset:0; background:rgba(0,0,0,0.1)" onclick="document.body.insertAdjacentHTML('beforeend', '<p>overlay clicked</p>')"></div>
</div>
<div style="height:3000px"></div>
<button type="button" id="trusted" onclick="if (event.isTrusted) location.href = '/landed'">Below the fold, trusted clicks only</button>
</body></html>"#;

const LANDED: &str = "<!doctype html><html><body><h1>Landed</h1></body></html>";

fn router() -> Router {
    pages(&[
        ("/host", HOST),
        ("/embed", EMBED),
        ("/empty", EMPTY),
        ("/clicks", CLICKS),
        ("/landed", LANDED),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_includes_form_frames_and_fill_and_click_work_inside_them() {
    let Some(driver) = chrome().await else { return };
    let base = serve(router()).await;
    let mut page = driver.open_page(&base.join("host").unwrap()).await.unwrap();
    let before = page.round_trips();
    let snapshot = page.snapshot().await.unwrap();
    assert_eq!(
        page.round_trips() - before,
        1,
        "a snapshot is one round trip"
    );
    assert_eq!(snapshot.url, base.join("host").unwrap().as_str());
    assert!(snapshot.html.contains("Careers at Example"));
    assert_eq!(
        snapshot.frames.len(),
        1,
        "only the frame with a form: {:?}",
        snapshot.frames
    );
    let frame = &snapshot.frames[0];
    assert_eq!(frame.index, 1);
    assert_eq!(frame.url, base.join("embed").unwrap().as_str());
    assert!(frame.html.contains(r#"id="email""#));

    let plan = FillPlan {
        frame: Some(1),
        steps: vec![text_step(
            field("email", FieldType::Text, "#email"),
            "ada@example.com",
        )],
    };
    let report = page.fill(&plan).await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let send = Control {
        kind: ControlKind::Submit,
        selector: "#go".into(),
        text: "Send".into(),
    };
    assert_eq!(
        page.click(&send, Some(1)).await.unwrap(),
        ClickOutcome::Changed
    );
    // Back in the top document after a frame action.
    let snapshot = page.snapshot().await.unwrap();
    assert!(snapshot.html.contains("Careers at Example"));
    assert!(snapshot.frames[0].html.contains("sent"));
    Box::new(page).close().await;
    driver.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicks_tell_navigated_changed_and_unchanged_apart() {
    let Some(driver) = chrome().await else { return };
    let base = serve(router()).await;
    let mut page = driver
        .open_page(&base.join("clicks").unwrap())
        .await
        .unwrap();
    let control = |selector: &str| Control {
        kind: ControlKind::Next,
        selector: selector.into(),
        text: selector.into(),
    };

    assert_eq!(
        page.click(&control("#noop"), None).await.unwrap(),
        ClickOutcome::Unchanged
    );
    assert_eq!(
        page.click(&control("#grow"), None).await.unwrap(),
        ClickOutcome::Changed
    );
    assert_eq!(
        page.click(&control("#reveal"), None).await.unwrap(),
        ClickOutcome::Changed
    );
    // Under an overlay: the click reaches the button itself (the page's own handler runs),
    // never the overlay.
    assert_eq!(
        page.click(&control("#covered"), None).await.unwrap(),
        ClickOutcome::Changed
    );
    let html = page.snapshot().await.unwrap().html;
    assert!(html.contains("<p>covered button clicked</p>"), "{html}");
    assert!(!html.contains("<p>overlay clicked</p>"), "{html}");
    let missing = page.click(&control("#nope"), None).await.unwrap_err();
    assert_eq!(missing.kind(), DriverErrorKind::ElementMissing);
    assert!(missing.message().contains("#nope"), "{}", missing.message());
    assert_eq!(
        page.click(&control("#away"), None).await.unwrap(),
        ClickOutcome::Navigated
    );
    assert!(page.snapshot().await.unwrap().html.contains("Landed"));
    Box::new(page).close().await;
    driver.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_is_a_trusted_event_even_below_the_fold() {
    let Some(driver) = chrome().await else { return };
    let base = serve(router()).await;
    let mut page = driver
        .open_page(&base.join("clicks").unwrap())
        .await
        .unwrap();
    let trusted = Control {
        kind: ControlKind::Next,
        selector: "#trusted".into(),
        text: "Next".into(),
    };
    assert_eq!(
        page.click(&trusted, None).await.unwrap(),
        ClickOutcome::Navigated
    );
    assert!(page.snapshot().await.unwrap().html.contains("Landed"));
    Box::new(page).close().await;
    driver.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_never_loads_is_a_timeout() {
    let Some(mut config) = chrome_config() else {
        return;
    };
    config.timeouts.page_load = Duration::from_secs(2);
    let driver = WebDriver::start(config).await.unwrap();
    let router = Router::new()
        .route(
            "/hang",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Html("late")
            }),
        )
        .merge(router());
    let base = serve(router).await;
    let error = driver
        .open_page(&base.join("hang").unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), DriverErrorKind::Timeout, "{error}");
    assert!(
        error
            .message()
            .contains("page did not finish loading within 2s"),
        "{error}"
    );
    // The driver still serves the next page.
    let page = driver
        .open_page(&base.join("landed").unwrap())
        .await
        .unwrap();
    Box::new(page).close().await;
    driver.shutdown().await;
}
