//! Filling every field kind in headless Chrome, checked by what the server receives.

#![allow(clippy::unwrap_used)] // tests may panic on setup failures

mod common;

use common::form::{Received, fill_every_kind_and_submit, router};
use common::{chrome, field, serve, text_step};
use engine_core::{FieldType, FillPlan, Page};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fills_every_field_kind_and_the_server_receives_it() {
    let Some(driver) = chrome().await else { return };
    fill_every_kind_and_submit(&driver).await;
    driver.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_that_do_not_take_are_validation_errors() {
    let Some(driver) = chrome().await else { return };
    let base = serve(router(Received::default())).await;
    let mut page = driver.open_page(&base.join("form").unwrap()).await.unwrap();
    let mut city = text_step(field("city", FieldType::Typeahead, "#city"), "Paris");
    city.typeahead_selection = Some("Paris, France".into());
    let plan = FillPlan {
        frame: None,
        steps: vec![
            text_step(field("shouty", FieldType::Text, "#shouty"), "hello"),
            text_step(field("country", FieldType::Select, "#country"), "fr"),
            text_step(field("ghost", FieldType::Text, "#not-there"), "x"),
            text_step(field("name", FieldType::Text, "#name"), "Grace"),
            city,
        ],
    };
    let report = page.fill(&plan).await.unwrap();
    let ids: Vec<&str> = report
        .problems
        .iter()
        .filter_map(|p| p.field_id.as_deref())
        .collect();
    assert_eq!(ids, vec!["shouty", "country", "ghost", "city"]);
    for problem in &report.problems {
        // Answers are personal data: messages never echo them.
        assert!(!problem.message.contains("hello"), "{}", problem.message);
        assert!(!problem.message.contains("Paris"), "{}", problem.message);
    }
    assert!(
        report.problems[0].message.contains("did not take"),
        "{}",
        report.problems[0].message
    );
    Box::new(page).close().await;
    driver.shutdown().await;
}
