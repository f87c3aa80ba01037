//! [`WebPage`]: one browser session on one application, as an engine-core [`Page`].

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use engine_core::{
    ClickOutcome, Control, DriverError, DriverErrorKind, FieldType, FillPlan, FillReport, FillStep,
    FillValue, FrameSnapshot, Page, Snapshot, ValidationError,
};
use fantoccini::Client;
use fantoccini::elements::{Element, ElementRef};
use fantoccini::error::CmdError;
use serde::Deserialize;
use serde_json::{Value as Json, json};
use tokio::sync::OwnedSemaphorePermit;
use tracing::Instrument;

use crate::commands::{ChromeCdp, Navigate, SwitchToTop};
use crate::config::Browser;
use crate::driver::{Inner, Returning, Session};
use crate::errors::{Failure, classify, command_error, describe};
use crate::scripts;

/// The key under which WebDriver serializes element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// An open page in a pooled browser session.
///
/// Every WebDriver command it sends counts as one round trip ([`WebPage::round_trips`]);
/// the driver keeps a total too ([`crate::WebDriver::stats`]).
pub struct WebPage {
    client: Client,
    session: Option<Session>,
    inner: Arc<Inner>,
    _permit: OwnedSemaphorePermit,
    round_trips: AtomicU64,
    lost: AtomicBool,
    /// A frame was entered and not surely left: cleaning must switch to the top first.
    in_frame: AtomicBool,
    origins: BTreeSet<String>,
}

impl std::fmt::Debug for WebPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebPage")
            .field("round_trips", &self.round_trips())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct RawSnapshot {
    url: String,
    html: String,
    #[serde(default)]
    frames: Vec<RawFrame>,
}

#[derive(Deserialize)]
struct RawFrame {
    index: usize,
    url: String,
    html: String,
}

#[derive(Deserialize)]
struct FieldResult {
    status: String,
    #[serde(default)]
    detail: String,
}

/// What `CLICK_PREPARE` found: the element and where a mouse would click it.
#[derive(Deserialize)]
struct ClickTarget {
    el: Json,
    #[serde(default)]
    x: f64,
    #[serde(default)]
    y: f64,
    #[serde(default)]
    hit: bool,
}

#[derive(Deserialize)]
struct ClickState {
    same: bool,
    changed: bool,
    ready: String,
}

#[derive(Deserialize)]
struct TypeaheadShown {
    shown: bool,
    twin: Option<bool>,
}

impl WebPage {
    pub(crate) fn new(session: Session, inner: Arc<Inner>, permit: OwnedSemaphorePermit) -> Self {
        WebPage {
            client: session.client.clone(),
            session: Some(session),
            inner,
            _permit: permit,
            round_trips: AtomicU64::new(0),
            lost: AtomicBool::new(false),
            in_frame: AtomicBool::new(false),
            origins: BTreeSet::new(),
        }
    }

    /// Swaps in another session (the old one is closed), for a retry on a fresh browser.
    pub(crate) async fn replace_session(&mut self, session: Session) {
        self.client = session.client.clone();
        if let Some(old) = self.session.replace(session) {
            self.inner.discard(old).await;
        }
        self.lost.store(false, Ordering::Relaxed);
    }

    /// Ends the session without cleaning it (after a failed first load, whose page may
    /// still be loading: cleaning would wait for it).
    pub(crate) async fn abandon(mut self) {
        if let Some(session) = self.session.take() {
            self.inner.discard(session).await;
        }
    }

    /// WebDriver commands this page has sent so far (each is one HTTP round trip).
    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }

    /// Sends one command, counts it, bounds it in time and maps its error. A lost session is
    /// remembered: later calls fail at once.
    async fn run<T>(
        &self,
        step: &str,
        command: impl Future<Output = Result<T, CmdError>>,
    ) -> Result<T, DriverError> {
        self.run_raw(step, command)
            .await?
            .map_err(|(error, failure)| command_error(&error, failure, step))
    }

    /// Like [`WebPage::run`], but hands page-level failures (missing element, script error…)
    /// back to the caller to handle; session-level ones are errors.
    async fn run_raw<T>(
        &self,
        step: &str,
        command: impl Future<Output = Result<T, CmdError>>,
    ) -> Result<Result<T, (CmdError, Failure)>, DriverError> {
        if self.lost.load(Ordering::Relaxed) {
            return Err(DriverError::new(
                DriverErrorKind::SessionLost,
                format!("{step}: the browser session was lost earlier"),
            ));
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        self.inner.count_round_trip();
        let limit = self.inner.command_limit();
        let outcome = tokio::time::timeout(limit, command)
            .instrument(tracing::debug_span!("webdriver_command", step))
            .await;
        let result = match outcome {
            Ok(result) => result,
            Err(_) => {
                self.lost.store(true, Ordering::Relaxed);
                return Err(DriverError::new(
                    DriverErrorKind::Timeout,
                    format!(
                        "{step}: the WebDriver endpoint did not answer within {}s; the browser or driver hangs",
                        limit.as_secs()
                    ),
                ));
            }
        };
        match result {
            Ok(value) => Ok(Ok(value)),
            Err(error) => {
                let failure = classify(&error);
                match failure {
                    Failure::Connection | Failure::SessionGone => {
                        self.lost.store(true, Ordering::Relaxed);
                        let what = self.inner.describe_loss(failure, &describe(&error)).await;
                        tracing::warn!(step, "browser session lost");
                        Err(DriverError::new(
                            DriverErrorKind::SessionLost,
                            format!("{step}: {what}"),
                        ))
                    }
                    _ => Ok(Err((error, failure))),
                }
            }
        }
    }

    async fn script(&self, step: &str, script: &str, args: Vec<Json>) -> Result<Json, DriverError> {
        self.run(step, self.client.execute(script, args)).await
    }

    /// Loads `url` in this page (the first navigation, done by the driver's `open`).
    pub(crate) async fn load(&mut self, url: &url::Url) -> Result<(), DriverError> {
        self.remember_origin(url.as_str());
        let client = self.client.clone();
        let step = "load the page";
        match self
            .run_raw(step, client.issue_cmd(Navigate(url.to_string())))
            .await?
        {
            Ok(_) => Ok(()),
            Err((_, Failure::Timeout)) => Err(DriverError::new(
                DriverErrorKind::Timeout,
                format!(
                    "page did not finish loading within {}s",
                    self.inner.config.timeouts.page_load.as_secs()
                ),
            )),
            Err((error, failure)) => Err(command_error(&error, failure, step)),
        }
    }

    fn remember_origin(&mut self, url: &str) {
        if let Ok(url) = url::Url::parse(url)
            && matches!(url.scheme(), "http" | "https")
        {
            self.origins.insert(url.origin().ascii_serialization());
        }
    }

    fn element(&self, value: &Json) -> Option<Element> {
        let id = value.get(ELEMENT_KEY)?.as_str()?;
        Some(Element::from_element_id(
            self.client.clone(),
            ElementRef::from(id.to_owned()),
        ))
    }

    async fn enter_frame(&self, frame: usize, step: &str) -> Result<(), DriverError> {
        let index = u16::try_from(frame).map_err(|_| {
            DriverError::new(
                DriverErrorKind::ElementMissing,
                format!("{step}: frame {frame} does not exist"),
            )
        })?;
        self.in_frame.store(true, Ordering::Relaxed);
        self.run(
            &format!("{step} (enter frame {frame})"),
            self.client.enter_frame(index),
        )
        .await
    }

    async fn leave_frame(&self) -> Result<(), DriverError> {
        let client = self.client.clone();
        self.run("return to the top document", client.issue_cmd(SwitchToTop))
            .await?;
        self.in_frame.store(false, Ordering::Relaxed);
        Ok(())
    }

    async fn fill_in_document(&self, plan: &FillPlan) -> Result<FillReport, DriverError> {
        let mut report = FillReport::default();
        let mut plain: Vec<&FillStep> = Vec::new();
        let mut special: Vec<&FillStep> = Vec::new();
        for step in &plan.steps {
            match (&step.value, &step.field.field_type) {
                (FillValue::File(_), _) | (_, FieldType::File) => special.push(step),
                _ => plain.push(step),
            }
        }
        let mut promoted: Vec<&FillStep> = Vec::new();
        if !plain.is_empty() {
            let descriptions: Vec<Json> = plain.iter().map(|step| describe_step(step)).collect();
            let started = Instant::now();
            let reply = self
                .script(
                    "fill the plain fields",
                    &scripts::fill_plain(),
                    vec![Json::Array(descriptions)],
                )
                .await?;
            tracing::debug!(
                fields = plain.len(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "plain fields filled"
            );
            let results: Vec<FieldResult> = serde_json::from_value(reply).map_err(|error| {
                DriverError::new(
                    DriverErrorKind::ActionFailed,
                    format!("fill the plain fields: unexpected reply from the page: {error}"),
                )
            })?;
            for (step, result) in plain.iter().zip(results) {
                let field = &step.field;
                let message = match result.status.as_str() {
                    "ok" => continue,
                    "needs_typeahead" => {
                        promoted.push(step);
                        continue;
                    }
                    "not_taken" => format!(
                        "{} did not take the answer: the page shows something else after filling it",
                        field_name(step)
                    ),
                    "missing" => format!(
                        "{} is not on the page (selector {})",
                        field_name(step),
                        selector_text(step)
                    ),
                    "no_option" => format!(
                        "{} has no option matching the answer: {}",
                        field_name(step),
                        result.detail
                    ),
                    "disabled" => {
                        format!("{} cannot be changed: {}", field_name(step), result.detail)
                    }
                    _ => format!(
                        "{} could not be filled: {}",
                        field_name(step),
                        result.detail
                    ),
                };
                report
                    .problems
                    .push(ValidationError::field(field.field_id.clone(), message));
            }
        }
        // Typeaheads come back from the script as `needs_typeahead` (unless they turned out
        // to be native selects) and get real key events here.
        for step in special.into_iter().chain(promoted) {
            let problem = match &step.value {
                FillValue::File(path) => self.fill_file(step, path).await?,
                FillValue::Text(text) if step.field.field_type == FieldType::File => {
                    self.fill_file(step, std::path::Path::new(text)).await?
                }
                FillValue::Text(text) => self.fill_typeahead(step, text).await?,
            };
            report.problems.extend(problem);
        }
        Ok(report)
    }

    /// Fills a typeahead; a multi-select one (answer `a,b`) picks each value in turn.
    async fn fill_typeahead(
        &self,
        step: &FillStep,
        text: &str,
    ) -> Result<Option<ValidationError>, DriverError> {
        if step.field.field_type != FieldType::Multiselect {
            let selection = step.typeahead_selection.as_deref();
            return self.pick_in_typeahead(step, text, selection).await;
        }
        for value in text.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            if let Some(problem) = self.pick_in_typeahead(step, value, None).await? {
                return Ok(Some(problem));
            }
        }
        Ok(None)
    }

    /// Opens the widget, types like a person, picks the option and checks what it shows.
    async fn pick_in_typeahead(
        &self,
        step: &FillStep,
        text: &str,
        selection: Option<&str>,
    ) -> Result<Option<ValidationError>, DriverError> {
        let name = field_name(step);
        let field_id = step.field.field_id.clone();
        let started = Instant::now();
        let found = self
            .script(
                &format!("find typeahead {}", step.field.field_id),
                &scripts::typeahead_prepare(),
                vec![describe_step(step)],
            )
            .await?;
        let Some(input) = self.element(&found) else {
            return Ok(Some(ValidationError::field(
                field_id,
                format!(
                    "{name} is not on the page (selector {})",
                    selector_text(step)
                ),
            )));
        };
        let step_name = format!("open typeahead {}", step.field.field_id);
        if let Err((_, failure)) = self.run_raw(&step_name, input.click()).await? {
            if !matches!(failure, Failure::Intercepted | Failure::NotInteractable) {
                return Ok(Some(ValidationError::field(
                    field_id,
                    format!("{name} could not be opened"),
                )));
            }
            self.script(&step_name, scripts::JS_CLICK, vec![found.clone()])
                .await?;
        }
        // A select promoted to a typeahead (e.g. a React combobox) is answered with an
        // option value; a person types and picks the option's text.
        let option_text = step
            .field
            .options
            .iter()
            .find(|option| option.value == text && !option.text.is_empty())
            .map(|option| option.text.as_str());
        let typed = option_text.unwrap_or(text);
        let step_name = format!("type into typeahead {}", step.field.field_id);
        if let Err((_, _)) = self.run_raw(&step_name, input.send_keys(typed)).await? {
            return Ok(Some(ValidationError::field(
                field_id,
                format!("{name} does not accept typing"),
            )));
        }
        let want = selection.unwrap_or(typed);
        let wait_ms =
            u64::try_from(self.inner.config.timeouts.action.as_millis()).unwrap_or(u64::MAX);
        let option = self
            .script(
                &format!("wait for options of typeahead {}", step.field.field_id),
                &scripts::typeahead_pick(),
                vec![found.clone(), json!(want), json!(wait_ms)],
            )
            .await?;
        let Some(option) = self.element(&option) else {
            if selection.is_none() {
                // No suggestion to pick and none asked for: a free-text location field
                // (Lever's) keeps what was typed; a strict one (Ashby's) clears it on blur.
                let kept = self
                    .script(
                        &format!("keep free text in typeahead {}", step.field.field_id),
                        scripts::TYPEAHEAD_KEEP_TEXT,
                        vec![found.clone()],
                    )
                    .await?;
                if kept.as_str() == Some(typed) {
                    return Ok(None);
                }
            }
            return Ok(Some(ValidationError::field(
                field_id,
                format!(
                    "{name} offered no option matching the answer within {}s",
                    self.inner.config.timeouts.action.as_secs()
                ),
            )));
        };
        let step_name = format!("choose an option of typeahead {}", step.field.field_id);
        let mut option = option;
        let mut chosen = false;
        for attempt in 0..2 {
            match self.run_raw(&step_name, option.click()).await? {
                Ok(()) => chosen = true,
                Err((_, Failure::NoSuchElement)) if attempt == 0 => {
                    // The list was rendered again (a late answer to an earlier keystroke):
                    // find the option anew.
                    let again = self
                        .script(
                            &format!("wait for options of typeahead {}", step.field.field_id),
                            &scripts::typeahead_pick(),
                            vec![found.clone(), json!(want), json!(wait_ms)],
                        )
                        .await?;
                    if let Some(fresh) = self.element(&again) {
                        option = fresh;
                        continue;
                    }
                }
                Err(_) => {
                    // Covered or not interactable: a script click.
                    let option_json = serde_json::to_value(&option).unwrap_or(Json::Null);
                    let script = self.client.execute(scripts::JS_CLICK, vec![option_json]);
                    chosen = self.run_raw(&step_name, script).await?.is_ok();
                }
            }
            break;
        }
        if !chosen {
            return Ok(Some(ValidationError::field(
                field_id,
                format!("{name}: the chosen option could not be clicked (the list kept changing)"),
            )));
        }
        let shown = self
            .script(
                &format!("check typeahead {}", step.field.field_id),
                &scripts::typeahead_verify(),
                vec![found],
            )
            .await?;
        let shown: TypeaheadShown = serde_json::from_value(shown).unwrap_or(TypeaheadShown {
            shown: false,
            twin: None,
        });
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "typeahead filled"
        );
        if !shown.shown {
            return Ok(Some(ValidationError::field(
                field_id,
                format!("{name} did not take the chosen option: the control does not show it"),
            )));
        }
        if shown.twin == Some(false) {
            return Ok(Some(ValidationError::field(
                field_id,
                format!("{name} shows the option but its hidden required value stayed empty"),
            )));
        }
        Ok(None)
    }

    /// Types the path into the file input (hidden or not) and checks the browser took it.
    async fn fill_file(
        &self,
        step: &FillStep,
        path: &std::path::Path,
    ) -> Result<Option<ValidationError>, DriverError> {
        let name = field_name(step);
        let field_id = step.field.field_id.clone();
        let Some(file_name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Ok(Some(ValidationError::field(
                field_id,
                format!("{name}: the upload path names no file"),
            )));
        };
        if !path.is_file() {
            return Ok(Some(ValidationError::field(
                field_id,
                format!("{name}: the file to upload does not exist on this machine"),
            )));
        }
        let found = self
            .script(
                &format!("find file input {}", step.field.field_id),
                &scripts::file_prepare(),
                vec![describe_step(step)],
            )
            .await?;
        let Some(input) = self.element(&found) else {
            return Ok(Some(ValidationError::field(
                field_id,
                format!(
                    "{name} has no file input on the page (selector {})",
                    selector_text(step)
                ),
            )));
        };
        let path_text = path.to_string_lossy();
        let step_name = format!("upload into {}", step.field.field_id);
        if let Err((_, failure)) = self
            .run_raw(&step_name, input.send_keys(&path_text))
            .await?
        {
            if failure != Failure::NotInteractable {
                return Ok(Some(ValidationError::field(
                    field_id,
                    format!("{name} refused the file"),
                )));
            }
            self.script(&step_name, scripts::FILE_UNHIDE, vec![found.clone()])
                .await?;
            if self
                .run_raw(&step_name, input.send_keys(&path_text))
                .await?
                .is_err()
            {
                return Ok(Some(ValidationError::field(
                    field_id,
                    format!("{name} refused the file"),
                )));
            }
        }
        let verdict = self
            .script(
                &format!("check upload {}", step.field.field_id),
                scripts::FILE_VERIFY,
                vec![found, json!(file_name)],
            )
            .await?;
        match verdict.as_str() {
            Some("ok") => Ok(None),
            Some("empty") => Ok(Some(ValidationError::field(
                field_id,
                format!("{name} holds no file after the upload"),
            ))),
            _ => Ok(Some(ValidationError::field(
                field_id,
                format!("{name} holds a different file after the upload"),
            ))),
        }
    }

    async fn click_in_document(&self, control: &Control) -> Result<ClickOutcome, DriverError> {
        let token = uuid::Uuid::new_v4().to_string();
        let step = format!("click {:?} ({})", control.text, control.selector);
        let found = self
            .script(
                &step,
                scripts::CLICK_PREPARE,
                vec![json!(control.selector), json!(token)],
            )
            .await?;
        let target: Option<ClickTarget> = serde_json::from_value(found).map_err(|error| {
            DriverError::new(
                DriverErrorKind::ActionFailed,
                format!("{step}: unexpected reply from the page: {error}"),
            )
        })?;
        let Some((target, element)) =
            target.and_then(|target| self.element(&target.el).map(|element| (target, element)))
        else {
            return Err(DriverError::new(
                DriverErrorKind::ElementMissing,
                format!("{step}: no element matches the selector"),
            ));
        };
        // Trusted mouse events at the element's centre when nothing covers it: a person's
        // click, without WebDriver's element click and its wait (chromedriver's is slower).
        // Anything else takes the WebDriver click, which reports an intercepted click.
        if target.hit && self.mouse_click(target.x, target.y, &step).await? {
            return self.settle(&token, &step).await;
        }
        match self.run_raw(&step, element.click()).await? {
            Ok(()) => {}
            Err((_, Failure::Intercepted | Failure::NotInteractable)) => {
                self.script(
                    &format!("{step} by script"),
                    scripts::JS_CLICK,
                    vec![target.el],
                )
                .await?;
            }
            Err((_, Failure::NoSuchElement | Failure::NoSuchFrame)) => {
                // The element went away during the click: the page navigated or re-rendered.
            }
            Err((error, failure)) => return Err(command_error(&error, failure, &step)),
        }
        self.settle(&token, &step).await
    }

    /// A left click at `(x, y)` (CSS pixels, top-level viewport) with DevTools mouse events,
    /// on Chrome. `false` when the endpoint does not pass DevTools commands through (e.g. a
    /// Grid that does not); then it is not tried again on this driver.
    async fn mouse_click(&self, x: f64, y: f64, step: &str) -> Result<bool, DriverError> {
        if self.inner.config.endpoint.browser() != Browser::Chrome
            || self.inner.no_devtools_input.load(Ordering::Relaxed)
        {
            return Ok(false);
        }
        let event = |kind: &str, buttons: u8| ChromeCdp {
            command: "Input.dispatchMouseEvent",
            params: json!({
                "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1,
            }),
        };
        let client = self.client.clone();
        let press = self
            .run_raw(
                &format!("{step} (mouse press)"),
                client.issue_cmd(event("mousePressed", 1)),
            )
            .await?;
        if let Err((error, _)) = press {
            tracing::debug!(error = %describe(&error), "no DevTools mouse events; using WebDriver clicks");
            self.inner.no_devtools_input.store(true, Ordering::Relaxed);
            return Ok(false);
        }
        let client = self.client.clone();
        let release_step = format!("{step} (mouse release)");
        // Pressed but not released would be half a click: an error, never a second click.
        self.run(&release_step, client.issue_cmd(event("mouseReleased", 0)))
            .await?;
        Ok(true)
    }

    /// Watches the page after a click until it navigated, changed, or the settle time ran out.
    async fn settle(&self, token: &str, step: &str) -> Result<ClickOutcome, DriverError> {
        let deadline = Instant::now() + self.inner.config.timeouts.settle_after_click;
        // Most clicks have navigated by the first look; the others mostly soon after (a
        // form's POST being answered), so look again quickly, then less often.
        let mut poll = Duration::from_millis(10);
        let mut changed_since: Option<Instant> = None;
        loop {
            let reply = self
                .run_raw(
                    &format!("{step}: watch the page"),
                    self.client.execute(scripts::CLICK_POLL, vec![json!(token)]),
                )
                .await?;
            let state = match reply {
                Ok(value) => serde_json::from_value::<ClickState>(value).ok(),
                // The document (or frame) holding the token is gone.
                Err((_, Failure::NoSuchFrame | Failure::NoSuchElement | Failure::Other)) => None,
                Err((error, failure)) => return Err(command_error(&error, failure, step)),
            };
            match state {
                None => return Ok(ClickOutcome::Navigated),
                Some(state) if !state.same => {
                    if state.ready != "complete" {
                        self.wait_loaded(step).await?;
                    }
                    return Ok(ClickOutcome::Navigated);
                }
                Some(state) if state.changed => {
                    // A change may be a "sending…" spinner before a navigation: look twice more.
                    let since = *changed_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= Duration::from_millis(150) || Instant::now() >= deadline {
                        return Ok(ClickOutcome::Changed);
                    }
                }
                Some(_) => {
                    if Instant::now() >= deadline {
                        return Ok(ClickOutcome::Unchanged);
                    }
                }
            }
            tokio::time::sleep(poll).await;
            poll = (poll * 2).min(Duration::from_millis(60));
        }
    }

    async fn wait_loaded(&self, step: &str) -> Result<(), DriverError> {
        let deadline = Instant::now() + self.inner.config.timeouts.page_load;
        loop {
            let ready = self
                .script(
                    &format!("{step}: wait for the new page"),
                    "return document.readyState;",
                    Vec::new(),
                )
                .await?;
            if ready.as_str() == Some("complete") {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(DriverError::new(
                    DriverErrorKind::Timeout,
                    format!(
                        "page did not finish loading within {}s",
                        self.inner.config.timeouts.page_load.as_secs()
                    ),
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Leaves the session as a fresh one: no cookies, no storage, one tab on about:blank.
    async fn clean(&self) -> Result<(), DriverError> {
        if self.in_frame.load(Ordering::Relaxed) {
            self.leave_frame().await?;
        }
        let windows = self.run("list windows", self.client.windows()).await?;
        if windows.len() > 1 {
            let keep = self.run("current window", self.client.window()).await?;
            for window in windows.into_iter().filter(|w| *w != keep) {
                self.run(
                    "switch to an extra window",
                    self.client.switch_to_window(window),
                )
                .await?;
                self.run("close an extra window", self.client.close_window())
                    .await?;
            }
            self.run(
                "switch back to the main window",
                self.client.switch_to_window(keep),
            )
            .await?;
        }
        self.script("clear web storage", scripts::CLEAR_STORAGE, Vec::new())
            .await?;
        let client = self.client.clone();
        let blank = || client.issue_cmd(Navigate("about:blank".into()));
        if self.inner.config.endpoint.browser() == Browser::Chrome {
            // Leave the page first, so what its unload handlers save (a draft in local
            // storage, a cookie) is cleared too: DevTools clears by origin, from anywhere.
            self.run("go to about:blank", blank()).await?;
            let client = self.client.clone();
            self.run(
                "clear cookies",
                client.issue_cmd(ChromeCdp {
                    command: "Network.clearBrowserCookies",
                    params: json!({}),
                }),
            )
            .await?;
            for origin in &self.origins {
                let client = self.client.clone();
                let params = json!({ "origin": origin, "storageTypes": "all" });
                self.run(
                    "clear site data",
                    client.issue_cmd(ChromeCdp {
                        command: "Storage.clearDataForOrigin",
                        params,
                    }),
                )
                .await?;
            }
        } else {
            // WebDriver deletes the current document's cookies only: before leaving it.
            self.run("clear cookies", self.client.delete_all_cookies())
                .await?;
            self.run("go to about:blank", blank()).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl Page for WebPage {
    async fn snapshot(&mut self) -> Result<Snapshot, DriverError> {
        let span = tracing::debug_span!("snapshot");
        let reply = self
            .script("snapshot the page", scripts::SNAPSHOT, Vec::new())
            .instrument(span)
            .await?;
        let raw: RawSnapshot = serde_json::from_value(reply).map_err(|error| {
            DriverError::new(
                DriverErrorKind::ActionFailed,
                format!("snapshot the page: unexpected reply: {error}"),
            )
        })?;
        self.remember_origin(&raw.url);
        for frame in &raw.frames {
            self.remember_origin(&frame.url);
        }
        Ok(Snapshot {
            url: raw.url,
            html: raw.html,
            frames: raw
                .frames
                .into_iter()
                .map(|f| FrameSnapshot {
                    index: f.index,
                    url: f.url,
                    html: f.html,
                })
                .collect(),
        })
    }

    async fn fill(&mut self, plan: &FillPlan) -> Result<FillReport, DriverError> {
        let span = tracing::debug_span!("fill", fields = plan.steps.len(), frame = plan.frame);
        async {
            if let Some(frame) = plan.frame {
                self.enter_frame(frame, "fill").await?;
            }
            let result = self.fill_in_document(plan).await;
            if plan.frame.is_some() && !self.lost.load(Ordering::Relaxed) {
                let back = self.leave_frame().await;
                if result.is_ok() {
                    back?;
                }
            }
            result
        }
        .instrument(span)
        .await
    }

    async fn click(
        &mut self,
        control: &Control,
        frame: Option<usize>,
    ) -> Result<ClickOutcome, DriverError> {
        let span = tracing::debug_span!("click", kind = ?control.kind, frame);
        async {
            if let Some(frame) = frame {
                self.enter_frame(frame, "click").await?;
            }
            let result = self.click_in_document(control).await;
            if frame.is_some() && !self.lost.load(Ordering::Relaxed) {
                let back = self.leave_frame().await;
                if result.is_ok() {
                    back?;
                }
            }
            result
        }
        .instrument(span)
        .await
    }

    async fn close(mut self: Box<Self>) {
        let span = tracing::debug_span!("close_page", round_trips = self.round_trips());
        let Some(session) = self.session.take() else {
            return;
        };
        let reusable = !self.lost.load(Ordering::Relaxed) && self.inner.wants_back(&session);
        if !reusable {
            self.inner.discard(session).instrument(span).await;
            return;
        }
        // Cleaning takes several round trips the caller need not wait for. The page (and
        // so its pool permit) lives until the session is back in the pool: an `open` that
        // needs this session waits for it, as for any session in use.
        let inner = self.inner.clone();
        let stopping = inner.stopping();
        let returning = Returning::new(&inner);
        let cleanup = async move {
            let page = self;
            let cleaned = tokio::select! {
                result = page.clean() => match result {
                    Ok(()) => true,
                    Err(error) => {
                        tracing::debug!(%error, "session not clean; discarding it");
                        false
                    }
                },
                () = stopping => false,
            };
            if cleaned {
                page.inner.put_back(session).await;
            } else {
                page.inner.discard(session).await;
            }
            drop(page);
            // After the session is back: an `open` waiting for it finds it.
            drop(returning);
        }
        .instrument(span);
        if let Some(cleanup) = inner.spawn_cleanup(cleanup) {
            // Shutting down: the cleanup sees it and closes the session, on this path.
            cleanup.await;
        }
    }
}

impl Drop for WebPage {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            // Dropped without `close`: the session cannot be cleaned here, so it is ended.
            self.inner.discard_in_background(session);
        }
    }
}

/// What the fill scripts need to know of a step. The value is personal data: it goes to the
/// page and nowhere else.
fn describe_step(step: &FillStep) -> Json {
    let field = &step.field;
    let value = match &step.value {
        FillValue::Text(text) => text.clone(),
        FillValue::File(path) => path.to_string_lossy().into_owned(),
    };
    let options: Vec<Json> = field
        .options
        .iter()
        .map(|o| json!({ "value": o.value, "text": o.text }))
        .collect();
    json!({
        "id": field.field_id,
        "type": field.field_type.as_str(),
        "selector": field.selector,
        "name": field.name,
        "value": value,
        "clear": step.clear_first,
        "has_selection": step.typeahead_selection.is_some(),
        "options": options,
    })
}

fn field_name(step: &FillStep) -> String {
    format!("field {}", step.field.field_id)
}

fn selector_text(step: &FillStep) -> String {
    step.field
        .selector
        .clone()
        .unwrap_or_else(|| format!("#{}", step.field.field_id))
}
