//! The end-to-end harness: a mock ATS, a real browser, the engine with the real detectors,
//! and a small language for "what to answer" and "what the ATS must have received".

#![allow(dead_code)] // Each test file uses its own part of the harness.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use engine_core::{
    Answer, AnswerValue, AnswersRequest, Engine, EngineConfig, Field, InlineFile, LocalFiles,
    SessionState, SessionStatus, UrlPolicy,
};
use engine_webdriver::{WebDriver, WebDriverConfig};
use mock_ats::{MockAts, Submission};

/// The browsers to run the suite in: Chromium always (CI installs it), Firefox where
/// geckodriver is installed. A missing browser is said loudly, never silently passed.
pub fn browsers() -> Vec<(&'static str, WebDriverConfig)> {
    let mut found = Vec::new();
    match WebDriverConfig::local_chrome() {
        Some(config) => found.push(("chromium", config)),
        None => eprintln!(
            "!!! chromedriver not found: the Chromium end-to-end tests did NOT run (apt-get install -y chromium chromium-driver)"
        ),
    }
    match WebDriverConfig::local_firefox() {
        Some(config) => found.push(("firefox", config)),
        None => eprintln!("note: geckodriver not found: the Firefox run of this suite is skipped"),
    }
    found
}

/// Tighter timeouts than a deployment's, so a hung page fails in seconds, yet loose enough
/// for a cold browser's first page on a loaded two-core CI machine (6 s was not: a fresh
/// Chromium started beside two others missed it once).
pub fn test_driver_config(mut config: WebDriverConfig) -> WebDriverConfig {
    config.timeouts.page_load = Duration::from_secs(15);
    config.timeouts.settle_after_click = Duration::from_secs(5);
    config.pool.acquire_timeout = Duration::from_secs(30);
    config
}

/// The engine as a local setup runs it: local targets allowed, local files accepted.
pub fn engine_config() -> EngineConfig {
    EngineConfig {
        url_policy: UrlPolicy::allow_local(),
        local_files: LocalFiles::Any,
        settle_timeout: Duration::from_secs(10),
        ..EngineConfig::default()
    }
}

/// A running mock ATS and an engine on a real browser.
pub struct Harness {
    pub mock: MockAts,
    pub driver: WebDriver,
    pub engine: Engine,
}

impl Harness {
    pub async fn start(config: WebDriverConfig) -> Harness {
        let mock = MockAts::start().await.expect("the mock ATS starts");
        let driver = WebDriver::start(test_driver_config(config))
            .await
            .expect("the browser starts");
        let engine = Engine::new(
            Arc::new(driver.clone()),
            Arc::new(detectors::AtsDetector::new()),
            engine_config(),
        );
        Harness {
            mock,
            driver,
            engine,
        }
    }

    pub async fn stop(self) {
        self.engine.shutdown().await;
        self.driver.shutdown().await;
        self.mock.shutdown().await;
    }
}

/// What to answer a field with.
#[derive(Clone, Debug)]
pub enum Want {
    /// Type this text.
    Text(&'static str),
    /// Choose the option with this visible text (select, radio, combobox, yes/no).
    Pick(&'static str),
    /// Choose the options with these texts (checkbox group, multiselect).
    Picks(&'static [&'static str]),
    /// Type the first text into a typeahead, then pick the option with the second.
    Typeahead(&'static str, &'static str),
    /// Tick (or untick) a single checkbox.
    Tick(bool),
    /// Upload a file sent inline as base64, as a remote caller does.
    Inline(&'static str, &'static [u8]),
}

/// Builds the answer for `field` from `want`, using the option values the engine reported.
pub fn answer(field: &Field, want: &Want) -> Answer {
    let option_value = |text: &str| {
        field
            .options
            .iter()
            .find(|o| o.text.trim().eq_ignore_ascii_case(text))
            .map(|o| o.value.clone())
            // Options only rendered by script: the engine picks by text in the widget.
            .unwrap_or_else(|| text.to_owned())
    };
    let mut answer = match want {
        Want::Text(text) => Answer::new(&field.field_id, *text),
        Want::Pick(text) => {
            let mut answer = Answer::new(&field.field_id, option_value(text));
            answer.typeahead_selection = Some((*text).to_owned());
            answer
        }
        Want::Picks(texts) => Answer::new(
            &field.field_id,
            texts
                .iter()
                .map(|t| option_value(t))
                .collect::<Vec<_>>()
                .join(","),
        ),
        Want::Typeahead(typed, pick) => {
            let mut answer = Answer::new(&field.field_id, *typed);
            answer.typeahead_selection = Some((*pick).to_owned());
            answer
        }
        Want::Tick(on) => Answer::new(&field.field_id, if *on { "true" } else { "false" }),
        Want::Inline(name, bytes) => Answer::new(
            &field.field_id,
            AnswerValue::File(InlineFile {
                filename: (*name).to_owned(),
                content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
            }),
        ),
    };
    answer.clear_first = true;
    answer
}

/// Answers for a page: each wanted field must be on it.
pub fn answers_for(state: &SessionState, wants: &[(&str, Want)]) -> Vec<Answer> {
    wants
        .iter()
        .map(|(id, want)| {
            let field = state
                .fields
                .iter()
                .find(|f| f.field_id == *id)
                .unwrap_or_else(|| {
                    panic!("field `{id}` is not on the page; fields: {:?}", ids(state))
                });
            answer(field, want)
        })
        .collect()
}

/// The page's field ids, in order.
pub fn ids(state: &SessionState) -> Vec<String> {
    state.fields.iter().map(|f| f.field_id.clone()).collect()
}

/// Sends answers and returns the new state.
pub async fn send(
    engine: &Engine,
    state: &SessionState,
    answers: Vec<Answer>,
    advance: bool,
) -> SessionState {
    engine
        .answer(state.id, AnswersRequest { answers, advance })
        .await
        .expect("the engine takes the answers")
}

/// Asserts a state's status, showing the whole state when it is not.
pub fn assert_status(state: &SessionState, want: SessionStatus) {
    assert_eq!(
        state.status,
        want,
        "error: {:?}; validation errors: {:?}; url: {:?}; fields: {:?}",
        state.error,
        state.validation_errors,
        state.current_url,
        ids(state)
    );
}

/// What the ATS must have received under a name.
#[derive(Clone, Debug)]
pub enum Posted {
    /// Exactly this value.
    Value(&'static str),
    /// Exactly these values, in order.
    Values(&'static [&'static str]),
    /// A file with this name and these bytes.
    File(&'static str, &'static [u8]),
}

/// Asserts that `submission` holds every expected value.
pub fn assert_posted(submission: &Submission, expected: &[(&str, Posted)]) {
    for (name, posted) in expected {
        match posted {
            Posted::Value(value) => assert_eq!(submission.field(name), Some(*value), "`{name}`"),
            Posted::Values(values) => assert_eq!(submission.values(name), *values, "`{name}`"),
            Posted::File(filename, bytes) => {
                let file = submission
                    .file(name)
                    .unwrap_or_else(|| panic!("no file posted as `{name}`"));
                assert_eq!(file.filename, *filename, "`{name}` file name");
                assert!(file.content == *bytes, "`{name}` file bytes differ");
            }
        }
    }
}

/// A small PDF-like file with bytes that survive only an exact upload.
pub const RESUME: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nAda Lovelace resume\x00\x01\x02\r\n--boundary-like line\r\n%%EOF\n";

/// The custom question card on the mock's Lever form.
pub const LEVER_CARD: &str = "cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c]";

/// Answers to the required questions of the mock's Lever form, and nothing else.
pub fn lever_required_answers(state: &SessionState) -> Vec<Answer> {
    let radio = format!("{LEVER_CARD}[field0]");
    let essay = format!("{LEVER_CARD}[field2]");
    let wants = [
        ("resume-upload-input", Want::Inline("resume.pdf", RESUME)),
        ("name", Want::Text("Grace Hopper")),
        ("email", Want::Text("grace@example.com")),
        (radio.as_str(), Want::Pick("No")),
        (essay.as_str(), Want::Text("Compilers.")),
    ];
    answers_for(state, &wants)
}

/// Runs the Lever flow to `submitted`: the "other session" that must complete while a fault
/// ends a session beside it.
pub async fn complete_lever(h: &Harness) {
    let first = h
        .engine
        .start(h.mock.url(mock_ats::Flow::Lever).as_str())
        .await
        .expect("starts");
    assert_status(&first, SessionStatus::FormReady);
    let done = send(&h.engine, &first, lever_required_answers(&first), true).await;
    assert_status(&done, SessionStatus::Submitted);
}
