//! The engine driven through whole flows on a replayed site (no browser).

use std::sync::Arc;
use std::time::Duration;

use engine_core::fake::{FakeCall, FakeDriver, FakePage, FakeSite, form_analysis};
use engine_core::{
    Answer, AnswerValue, AnswersRequest, DriverError, DriverErrorKind, Engine, EngineConfig,
    EngineError, Field, FieldType, FillValue, InlineFile, LocalFiles, PageAnalysis, PageKind,
    ProviderId, RunState, SessionStatus, UrlPolicy,
};

const START: &str = "https://jobs.example.com/apply";

fn required(id: &str, field_type: FieldType) -> Field {
    let mut field = Field::new(id, field_type, id);
    field.is_required = true;
    field
}

fn form(fields: Vec<Field>, next: Option<&str>, submit: Option<&str>) -> PageAnalysis {
    form_analysis(Some(ProviderId::Generic), fields, next, submit)
}

fn page(url: &str, analysis: PageAnalysis) -> FakePage {
    FakePage::analysed(url, analysis)
}

/// One page asking a required name, with a Submit control `#submit` (no target page).
fn one_page_site() -> FakeSite {
    let site = FakeSite::new();
    site.page(
        "form",
        page(
            START,
            form(
                vec![required("name", FieldType::Text)],
                None,
                Some("#submit"),
            ),
        ),
    );
    site
}

/// A two-page application: contact details, then a resume and a question, then thanks.
fn two_page_site() -> FakeSite {
    let site = FakeSite::new();
    site.page(
        "contact",
        page(
            START,
            form(
                vec![
                    required("name", FieldType::Text),
                    Field::new("phone", FieldType::Text, "Phone"),
                ],
                Some("#next"),
                None,
            ),
        ),
    )
    .page(
        "documents",
        page(
            "https://jobs.example.com/apply/2",
            form(
                vec![
                    required("resume", FieldType::File),
                    required("why", FieldType::Textarea),
                ],
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
    .click("contact", "#next", "documents")
    .click("documents", "#submit", "thanks");
    site
}

fn config() -> EngineConfig {
    EngineConfig {
        // The test machine has no DNS; the fake site's host is trusted by name.
        url_policy: UrlPolicy {
            allow_private_targets: false,
            allowed_hosts: vec!["jobs.example.com".into()],
        },
        settle_timeout: Duration::from_millis(200),
        poll_interval: Duration::from_millis(1),
        ..EngineConfig::default()
    }
}

fn engine(site: &FakeSite, config: EngineConfig) -> Engine {
    let driver: FakeDriver = site.driver();
    Engine::new(Arc::new(driver), Arc::new(site.detector()), config)
}

fn request(answers: Vec<Answer>, advance: bool) -> AnswersRequest {
    AnswersRequest { answers, advance }
}

fn resume() -> AnswerValue {
    AnswerValue::File(InlineFile {
        filename: "resume.pdf".into(),
        content_base64: "JVBERi0xLjQ=".into(),
    })
}

#[tokio::test]
async fn multi_page_flow_reaches_submitted() {
    let site = two_page_site();
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    assert_eq!(state.status, SessionStatus::FormReady);
    assert_eq!(state.provider_id, Some(ProviderId::Generic));
    assert_eq!(state.fields.len(), 2);
    assert_eq!(
        engine.info(state.id).expect("info").state,
        RunState::Running
    );

    // Review first: filled, not advanced.
    let reviewed = engine
        .answer(
            state.id,
            request(vec![Answer::new("name", "Ada Lovelace")], false),
        )
        .await
        .expect("answers");
    assert_eq!(reviewed.status, SessionStatus::NextAvailable);
    assert!(site.clicks().is_empty(), "advance: false clicks nothing");

    let second = engine
        .answer(
            state.id,
            request(vec![Answer::new("phone", "+44 20 7946 0000")], true),
        )
        .await
        .expect("answers");
    assert_eq!(second.status, SessionStatus::FormReady);
    assert_eq!(
        second.current_url.as_deref(),
        Some("https://jobs.example.com/apply/2")
    );
    let ids: Vec<_> = second.fields.iter().map(|f| f.field_id.as_str()).collect();
    assert_eq!(ids, ["resume", "why"]);

    let done = engine
        .answer(
            state.id,
            request(
                vec![
                    Answer::new("resume", resume()),
                    Answer::new("why", "Engines."),
                ],
                true,
            ),
        )
        .await
        .expect("answers");
    assert_eq!(done.status, SessionStatus::Submitted);
    assert!(done.is_terminal);
    assert!(done.fields.is_empty());
    assert_eq!(
        site.clicks(),
        [
            ("contact".to_owned(), "#next".to_owned()),
            ("documents".to_owned(), "#submit".to_owned())
        ]
    );
    let info = engine.info(state.id).expect("info");
    assert_eq!(info.state, RunState::Completed);
    assert!(info.completed_at.is_some());
    assert_eq!(site.open_pages(), 0, "the browser is released at the end");

    // The inline resume went to disk for the upload, and is gone once the session ended.
    let uploaded = site.log().into_iter().find_map(|call| match call {
        FakeCall::Fill(_, id, FillValue::File(path)) if id == "resume" => Some(path),
        _ => None,
    });
    let uploaded = uploaded.expect("the resume was filled as a file");
    assert_eq!(
        uploaded.file_name().and_then(|n| n.to_str()),
        Some("resume.pdf")
    );
    assert!(
        !uploaded.exists(),
        "upload temp file removed after the session"
    );

    let refused = engine
        .answer(state.id, request(vec![Answer::new("why", "again")], true))
        .await;
    assert!(
        matches!(refused, Err(EngineError::Terminal(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn bad_answers_never_touch_the_browser() {
    let site = two_page_site();
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let rejected = engine
        .answer(state.id, request(vec![Answer::new("nope", "x")], true))
        .await
        .expect("answers");
    assert_eq!(rejected.status, SessionStatus::FormReady);
    let ids: Vec<_> = rejected
        .validation_errors
        .iter()
        .map(|e| e.field_id.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        ids,
        ["nope", "name"],
        "unknown field and missing required one"
    );
    assert!(
        !site
            .log()
            .iter()
            .any(|c| matches!(c, FakeCall::Fill(..) | FakeCall::Click(..)))
    );
}

#[tokio::test]
async fn a_value_the_page_does_not_keep_is_a_validation_error() {
    let site = two_page_site();
    site.refuse("phone");
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let after = engine
        .answer(
            state.id,
            request(
                vec![Answer::new("name", "Ada"), Answer::new("phone", "12")],
                true,
            ),
        )
        .await
        .expect("answers");
    assert_eq!(after.status, SessionStatus::FormReady);
    assert_eq!(after.validation_errors.len(), 1);
    assert_eq!(
        after.validation_errors[0].field_id.as_deref(),
        Some("phone")
    );
    assert!(
        site.clicks().is_empty(),
        "no advance after a fill that did not take"
    );
}

#[tokio::test]
async fn conditional_questions_come_back_before_advancing() {
    let site = two_page_site();
    let mut with_visa = form(
        vec![
            required("name", FieldType::Text),
            Field::new("phone", FieldType::Text, "Phone"),
            required("visa", FieldType::Text),
        ],
        Some("#next"),
        None,
    );
    with_visa.fields[2].label = "Which visa?".into();
    site.page("contact+visa", page(START, with_visa))
        .reveal("contact", "phone", "contact+visa")
        .click("contact+visa", "#next", "documents");
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let after = engine
        .answer(
            state.id,
            request(
                vec![Answer::new("name", "Ada"), Answer::new("phone", "1")],
                true,
            ),
        )
        .await
        .expect("answers");
    assert_eq!(after.status, SessionStatus::FormReady);
    assert_eq!(after.fields.len(), 3, "the new question is returned");
    assert_eq!(after.validation_errors.len(), 1);
    assert_eq!(after.validation_errors[0].field_id.as_deref(), Some("visa"));
    assert!(site.clicks().is_empty());
    let next = engine
        .answer(state.id, request(vec![Answer::new("visa", "H-1B")], true))
        .await
        .expect("answers");
    assert_eq!(
        next.current_url.as_deref(),
        Some("https://jobs.example.com/apply/2")
    );
}

#[tokio::test]
async fn concurrent_answers_are_serialized_and_submit_is_clicked_once() {
    let site = one_page_site();
    site.page(
        "thanks",
        page(
            "https://jobs.example.com/thanks",
            PageAnalysis::of_kind(PageKind::Confirmation),
        ),
    )
    .click("form", "#submit", "thanks")
    .fill_delay(Duration::from_millis(30));
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let answer = || request(vec![Answer::new("name", "Ada")], true);
    let (a, b) = tokio::join!(
        engine.answer(state.id, answer()),
        engine.answer(state.id, answer())
    );
    let results = [a, b];
    let submitted = results
        .iter()
        .filter(|r| matches!(r, Ok(s) if s.status == SessionStatus::Submitted))
        .count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(EngineError::Terminal(_))))
        .count();
    assert_eq!((submitted, refused), (1, 1), "{results:?}");
    assert_eq!(site.clicks().len(), 1, "one submit click");
    let fills = site
        .log()
        .iter()
        .filter(|c| matches!(c, FakeCall::Fill(..)))
        .count();
    assert_eq!(fills, 1, "the second call never reached the browser");
}

#[tokio::test]
async fn a_failed_submit_click_ends_in_error_and_is_not_retried() {
    let site = one_page_site();
    site.fail_click(
        "form",
        "#submit",
        DriverError::new(
            DriverErrorKind::Timeout,
            "the page did not answer within 30s",
        ),
    );
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let after = engine
        .answer(state.id, request(vec![Answer::new("name", "Ada")], true))
        .await
        .expect("answers");
    assert_eq!(after.status, SessionStatus::Error);
    let message = after.error.expect("an error message");
    assert!(message.contains("not clicked again"), "{message}");
    assert_eq!(site.clicks().len(), 1);
    assert_eq!(engine.info(state.id).expect("info").state, RunState::Failed);
}

#[tokio::test]
async fn a_missing_submit_control_keeps_the_session_and_sends_nothing() {
    let site = one_page_site();
    site.fail_click(
        "form",
        "#submit",
        DriverError::new(
            DriverErrorKind::ElementMissing,
            "no element matches `#submit`",
        ),
    );
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let after = engine
        .answer(state.id, request(vec![Answer::new("name", "Ada")], true))
        .await
        .expect("answers");
    assert!(!after.is_terminal, "{after:?}");
    assert_eq!(after.validation_errors.len(), 1);
    assert!(after.validation_errors[0].message.contains("not clicked"));
}

#[tokio::test]
async fn a_submit_with_no_visible_outcome_ends_in_error() {
    let site = one_page_site();
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let after = engine
        .answer(state.id, request(vec![Answer::new("name", "Ada")], true))
        .await
        .expect("answers");
    assert_eq!(after.status, SessionStatus::Error);
    assert!(
        after
            .error
            .unwrap_or_default()
            .contains("neither confirmed")
    );
    assert_eq!(site.clicks().len(), 1);
}

#[tokio::test]
async fn ats_errors_keep_the_session_active() {
    let site = two_page_site();
    let mut rejected = form(vec![required("name", FieldType::Text)], Some("#next"), None);
    rejected.errors = vec![engine_core::ValidationError::field(
        "name",
        "Please enter your full name",
    )];
    site.page("contact-rejected", page(START, rejected)).click(
        "contact",
        "#next",
        "contact-rejected",
    );
    // Same URL and fields as before, but errors shown: the ATS said no.
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    let after = engine
        .answer(state.id, request(vec![Answer::new("name", "A")], true))
        .await
        .expect("answers");
    assert!(!after.is_terminal);
    assert_eq!(after.status, SessionStatus::FormReady);
    assert_eq!(
        after.validation_errors[0].message,
        "Please enter your full name"
    );
}

#[tokio::test]
async fn client_rendered_forms_are_waited_for() {
    let site = two_page_site();
    site.loading("contact", 3);
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    assert_eq!(state.status, SessionStatus::FormReady);
    assert_eq!(state.fields.len(), 2);
}

#[tokio::test]
async fn a_form_that_never_renders_is_an_error_saying_so() {
    let site = two_page_site();
    site.loading("contact", usize::MAX);
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("starts");
    assert_eq!(state.status, SessionStatus::Error);
    assert!(
        state
            .error
            .unwrap_or_default()
            .contains("did not finish rendering")
    );
    assert_eq!(site.open_pages(), 0);
}

#[tokio::test]
async fn terminal_pages_map_to_their_statuses() {
    let cases = [
        (PageKind::Expired, SessionStatus::Expired),
        (PageKind::LoginWall, SessionStatus::LoginRequired),
        (PageKind::Captcha, SessionStatus::CaptchaRequired),
        (PageKind::NoApplication, SessionStatus::Redirected),
        (
            PageKind::Handoff {
                url: "https://jobs.lever.co/acme/1/apply".into(),
                provider: Some(ProviderId::Lever),
            },
            SessionStatus::RedirectRequired,
        ),
        (
            PageKind::AtsError {
                message: "Internal Server Error".into(),
            },
            SessionStatus::Error,
        ),
    ];
    for (kind, status) in cases {
        let site = FakeSite::new();
        site.page("only", page(START, PageAnalysis::of_kind(kind.clone())));
        let engine = engine(&site, config());
        let state = engine.start(START).await.expect("starts");
        assert_eq!(state.status, status, "{kind:?}");
        assert!(state.is_terminal);
        assert_eq!(site.open_pages(), 0, "browser released on a terminal page");
        if status == SessionStatus::RedirectRequired {
            assert_eq!(
                state.redirect_url.as_deref(),
                Some("https://jobs.lever.co/acme/1/apply")
            );
            assert_eq!(state.redirect_provider_id, Some(ProviderId::Lever));
        }
        if status == SessionStatus::Redirected {
            assert_eq!(state.redirect_url.as_deref(), Some(START));
        }
        if status == SessionStatus::Error {
            assert!(
                state
                    .error
                    .unwrap_or_default()
                    .contains("Internal Server Error")
            );
        }
    }
}

#[tokio::test]
async fn an_unavailable_browser_gives_an_error_session() {
    let site = two_page_site();
    site.unavailable();
    let engine = engine(&site, config());
    let state = engine.start(START).await.expect("a session, in error");
    assert_eq!(state.status, SessionStatus::Error);
    assert!(
        state
            .error
            .unwrap_or_default()
            .contains("no WebDriver endpoint")
    );
}

#[tokio::test]
async fn capacity_is_enforced_and_freed_by_ending_sessions() {
    let site = two_page_site();
    let engine = engine(
        &site,
        EngineConfig {
            max_sessions: 2,
            ..config()
        },
    );
    let a = engine.start(START).await.expect("first");
    engine.start(START).await.expect("second");
    let third = engine.start(START).await;
    match third {
        Err(err @ EngineError::AtCapacity { open: 2, limit: 2 }) => {
            assert!(err.to_string().contains("retry later"));
        }
        other => panic!("expected at capacity, got {other:?}"),
    }
    engine.end(a.id).await.expect("ends");
    assert!(matches!(engine.state(a.id), Err(EngineError::NotFound(_))));
    engine.start(START).await.expect("room again");
}

#[tokio::test(start_paused = true)]
async fn idle_sessions_expire_and_release_the_browser() {
    let site = two_page_site();
    let engine = engine(
        &site,
        EngineConfig {
            idle_timeout: Duration::from_secs(60),
            ..config()
        },
    );
    let state = engine.start(START).await.expect("starts");
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_eq!(engine.expire_idle().await, 0);
    tokio::time::advance(Duration::from_secs(31)).await;
    assert_eq!(engine.expire_idle().await, 1);
    let expired = engine.state(state.id).expect("still readable");
    assert_eq!(expired.status, SessionStatus::Expired);
    assert!(expired.is_terminal);
    assert_eq!(engine.info(state.id).expect("info").state, RunState::Closed);
    assert_eq!(site.open_pages(), 0);
    let late = engine.answer(state.id, request(vec![], false)).await;
    assert!(matches!(late, Err(EngineError::Terminal(_))));
}

#[tokio::test]
async fn urls_are_checked_before_any_browser_work() {
    let site = two_page_site();
    let engine = engine(&site, config());
    for bad in [
        "http://127.0.0.1/apply",
        "ftp://jobs.example.com",
        "not a url",
    ] {
        assert!(
            matches!(engine.start(bad).await, Err(EngineError::InvalidUrl(_))),
            "{bad}"
        );
    }
    assert!(site.log().is_empty());
    let local = engine_with_policy(&site);
    assert!(local.start("http://127.0.0.1/apply").await.is_ok());
}

fn engine_with_policy(site: &FakeSite) -> Engine {
    engine(
        site,
        EngineConfig {
            url_policy: UrlPolicy::allow_local(),
            ..config()
        },
    )
}

#[tokio::test]
async fn local_file_paths_follow_the_upload_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inside = dir.path().join("cv.pdf");
    std::fs::write(&inside, b"%PDF").expect("writes");
    let outside = tempfile::NamedTempFile::new().expect("temp file");
    for (policy, path, ok) in [
        (
            LocalFiles::Within(dir.path().to_owned()),
            inside.clone(),
            true,
        ),
        (
            LocalFiles::Within(dir.path().to_owned()),
            outside.path().to_owned(),
            false,
        ),
        (LocalFiles::Refused, inside.clone(), false),
        (LocalFiles::Any, outside.path().to_owned(), true),
    ] {
        let site = two_page_site();
        let engine = engine(
            &site,
            EngineConfig {
                local_files: policy.clone(),
                ..config()
            },
        );
        let state = engine.start(START).await.expect("starts");
        engine
            .answer(state.id, request(vec![Answer::new("name", "Ada")], true))
            .await
            .expect("first page");
        let after = engine
            .answer(
                state.id,
                request(vec![Answer::new("resume", path.clone())], false),
            )
            .await
            .expect("answers");
        assert_eq!(
            after.validation_errors.is_empty(),
            ok,
            "{policy:?} {path:?}: {after:?}"
        );
    }
}
