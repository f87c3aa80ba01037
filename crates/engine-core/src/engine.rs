//! The session manager: starts sessions, takes answers, expires idle sessions.
//!
//! Each session owns one browser [`Page`]. Calls on one session are serialized by a per-
//! session async mutex, so two answer calls never interleave; different sessions run
//! independently. The latest [`SessionState`] is also kept behind a plain mutex so reads
//! (`state`, `info`) never wait for a browser.
//!
//! Statuses only change through [`machine::next`]; this module does the I/O around it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use base64::Engine as _;
use tokio::time::Instant;
use tracing::{Instrument, info_span, warn};
use url::Url;
use uuid::Uuid;

use crate::answers::check_answers;
use crate::driver::{Driver, DriverError, DriverErrorKind, FillPlan, FillStep, FillValue, Page};
use crate::machine::{self, Event, PageOutcome, TransitionError};
use crate::page::{Control, ControlKind, Detector, PageAnalysis, PageKind, Snapshot};
use crate::url_policy::{UrlError, UrlPolicy};
use crate::wire::{
    AnswerValue, AnswersRequest, Field, FieldType, RunState, SessionInfo, SessionMode,
    SessionState, SessionStatus, ValidationError,
};

/// Which local file paths an answer may name for an upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalFiles {
    /// Any readable file (the embedded library: the caller is trusted).
    Any,
    /// Only files inside this directory (servers with an upload directory).
    Within(PathBuf),
    /// None: uploads must come inline as `{filename, content_base64}`.
    Refused,
}

/// How the engine behaves.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Most sessions open at once (pending or running).
    pub max_sessions: usize,
    /// A session with no call for this long is ended with status `expired`.
    pub idle_timeout: Duration,
    /// Which URLs may be opened.
    pub url_policy: UrlPolicy,
    /// How long to wait for a script-rendered form, or for the outcome of a click.
    pub settle_timeout: Duration,
    /// How often to look again while waiting.
    pub poll_interval: Duration,
    /// Which local paths uploads may use.
    pub local_files: LocalFiles,
    /// Largest inline upload accepted, in bytes.
    pub max_upload_bytes: u64,
    /// The mode reported in session metadata.
    pub mode: SessionMode,
    /// How long ended sessions stay readable before they are forgotten.
    pub retain_ended: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            max_sessions: 8,
            idle_timeout: Duration::from_secs(15 * 60),
            url_policy: UrlPolicy::public_only(),
            settle_timeout: Duration::from_secs(15),
            poll_interval: Duration::from_millis(150),
            local_files: LocalFiles::Any,
            max_upload_bytes: 10 * 1024 * 1024,
            mode: SessionMode::Interactive,
            retain_ended: Duration::from_secs(60 * 60),
        }
    }
}

/// Why an engine call was refused. The session, if any, keeps its state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The URL failed the policy.
    #[error(transparent)]
    InvalidUrl(#[from] UrlError),
    /// No session has this id (never existed, or ended and forgotten).
    #[error("no session with id {0}: start a new session")]
    NotFound(Uuid),
    /// The session has ended and accepts no answers.
    #[error(transparent)]
    Terminal(#[from] TransitionError),
    /// Too many sessions are open.
    #[error(
        "at capacity: {open} sessions are open and the limit is {limit}; end a session or retry later"
    )]
    AtCapacity {
        /// Sessions open now.
        open: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The browser pool had no free browser.
    #[error("no browser is free: {0}; retry later")]
    BrowserBusy(String),
}

/// Runs application sessions over a [`Driver`] and a [`Detector`].
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    driver: Arc<dyn Driver>,
    detector: Arc<dyn Detector>,
    config: EngineConfig,
    sessions: Mutex<HashMap<Uuid, Arc<Session>>>,
}

struct Session {
    id: Uuid,
    job_url: String,
    started_at: time::OffsetDateTime,
    /// What readers see; updated at the end of every step.
    shown: Mutex<Shown>,
    /// The browser side; held for the whole of a call.
    work: tokio::sync::Mutex<Work>,
}

struct Shown {
    state: SessionState,
    run: RunState,
    completed_at: Option<time::OffsetDateTime>,
    last_activity: Instant,
}

#[derive(Default)]
struct Work {
    page: Option<Box<dyn Page>>,
    analysis: Option<PageAnalysis>,
    /// Fields answered on the current page, by id.
    answered: HashSet<String>,
    /// Private directory for inline uploads; removed when the session ends.
    uploads: Option<tempfile::TempDir>,
}

impl Engine {
    /// An engine over `driver` and `detector`.
    ///
    /// Inside a tokio runtime it also starts a background task that expires idle sessions;
    /// elsewhere call [`Engine::expire_idle`] yourself.
    pub fn new(
        driver: Arc<dyn Driver>,
        detector: Arc<dyn Detector>,
        config: EngineConfig,
    ) -> Engine {
        let engine = Engine {
            inner: Arc::new(Inner {
                driver,
                detector,
                config,
                sessions: Mutex::new(HashMap::new()),
            }),
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            let weak = Arc::downgrade(&engine.inner);
            let every = (engine.inner.config.idle_timeout / 4)
                .clamp(Duration::from_millis(50), Duration::from_secs(30));
            tokio::spawn(reap_idle(weak, every));
        }
        engine
    }

    /// The engine's configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// Starts a session at `url`: checks the URL, opens it, analyses the first page.
    ///
    /// Browser failures do not make this fail: the session comes back with status `error`
    /// and a message. Only a refused URL or a full engine is an `Err`.
    pub async fn start(&self, url: &str) -> Result<SessionState, EngineError> {
        let policy = &self.inner.config.url_policy;
        let url = policy.check(url)?;
        policy.check_resolved(&url).await?;
        let session = self.inner.admit(&url)?;
        let span = info_span!("session", id = %session.id);
        let mut work = session.work.lock().await;
        let result = self
            .inner
            .open(&session, &mut work, &url)
            .instrument(span)
            .await;
        drop(work);
        if let Err(err) = result {
            self.inner.forget(session.id);
            return Err(err);
        }
        Ok(session.state())
    }

    /// Fills the current page with `request.answers` and, with `advance`, clicks Next or Submit.
    ///
    /// Answers that fail the checks, or that the page or ATS rejects, come back as
    /// `validation_errors` with the status unchanged.
    pub async fn answer(
        &self,
        id: Uuid,
        request: AnswersRequest,
    ) -> Result<SessionState, EngineError> {
        let session = self.inner.session(id)?;
        let span = info_span!("session", id = %id);
        let mut work = session.work.lock().await;
        self.inner
            .answer(&session, &mut work, request)
            .instrument(span)
            .await?;
        Ok(session.state())
    }

    /// The session's current state.
    pub fn state(&self, id: Uuid) -> Result<SessionState, EngineError> {
        Ok(self.inner.session(id)?.state())
    }

    /// The session's metadata.
    pub fn info(&self, id: Uuid) -> Result<SessionInfo, EngineError> {
        Ok(self.inner.session(id)?.info(self.inner.config.mode.clone()))
    }

    /// Ends the session and releases its browser; the session is forgotten, so later calls
    /// with its id get [`EngineError::NotFound`].
    pub async fn end(&self, id: Uuid) -> Result<(), EngineError> {
        let session = self.inner.session(id)?;
        let mut work = session.work.lock().await;
        release(&mut work).await;
        let mut shown = lock(&session.shown);
        if shown.completed_at.is_none() {
            shown.completed_at = Some(time::OffsetDateTime::now_utc());
        }
        shown.run = RunState::Closed;
        drop(shown);
        drop(work);
        self.inner.forget(id);
        Ok(())
    }

    /// Ends every session that has been idle longer than the idle timeout, with status
    /// `expired`. Returns how many were ended.
    pub async fn expire_idle(&self) -> usize {
        self.inner.expire_idle().await
    }

    /// How many sessions are open (pending or running).
    pub fn open_sessions(&self) -> usize {
        self.inner.open_count()
    }

    /// Ends every session and releases every browser.
    pub async fn shutdown(&self) {
        let ids: Vec<Uuid> = lock(&self.inner.sessions).keys().copied().collect();
        for id in ids {
            // A session that vanished meanwhile is already ended.
            let _ = self.end(id).await;
        }
    }
}

async fn reap_idle(inner: Weak<Inner>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        inner.expire_idle().await;
        inner.forget_old_ended();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not take every session down with it.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn release(work: &mut Work) {
    if let Some(page) = work.page.take() {
        page.close().await;
    }
    // Dropping the TempDir deletes the uploads written for this session.
    work.uploads = None;
}

impl Inner {
    fn session(&self, id: Uuid) -> Result<Arc<Session>, EngineError> {
        lock(&self.sessions)
            .get(&id)
            .cloned()
            .ok_or(EngineError::NotFound(id))
    }

    fn open_count(&self) -> usize {
        lock(&self.sessions)
            .values()
            .filter(|s| matches!(lock(&s.shown).run, RunState::Pending | RunState::Running))
            .count()
    }

    /// Registers a new pending session, unless the engine is full.
    fn admit(&self, url: &Url) -> Result<Arc<Session>, EngineError> {
        let mut sessions = lock(&self.sessions);
        let open = sessions
            .values()
            .filter(|s| matches!(lock(&s.shown).run, RunState::Pending | RunState::Running))
            .count();
        let limit = self.config.max_sessions;
        if open >= limit {
            return Err(EngineError::AtCapacity { open, limit });
        }
        let id = Uuid::new_v4();
        let session = Arc::new(Session {
            id,
            job_url: url.to_string(),
            started_at: time::OffsetDateTime::now_utc(),
            shown: Mutex::new(Shown {
                state: SessionState {
                    id,
                    provider_id: None,
                    provider_name: None,
                    status: machine::INITIAL,
                    is_terminal: false,
                    error: None,
                    current_url: Some(url.to_string()),
                    validation_errors: Vec::new(),
                    fields: Vec::new(),
                    redirect_url: None,
                    redirect_provider_id: None,
                },
                run: RunState::Pending,
                completed_at: None,
                last_activity: Instant::now(),
            }),
            work: tokio::sync::Mutex::new(Work::default()),
        });
        sessions.insert(id, session.clone());
        Ok(session)
    }

    fn forget(&self, id: Uuid) {
        lock(&self.sessions).remove(&id);
    }

    fn forget_old_ended(&self) {
        let keep = self.config.retain_ended;
        lock(&self.sessions).retain(|_, s| {
            let shown = lock(&s.shown);
            !shown.state.is_terminal || shown.last_activity.elapsed() < keep
        });
    }

    async fn open(&self, session: &Session, work: &mut Work, url: &Url) -> Result<(), EngineError> {
        let page = match self.driver.open(url).await {
            Ok(page) => page,
            Err(err) if err.kind() == DriverErrorKind::AtCapacity => {
                return Err(EngineError::BrowserBusy(err.message().to_owned()));
            }
            Err(err) => {
                session.fail(format!("opening {url} failed: {err}"));
                return Ok(());
            }
        };
        work.page = Some(page);
        match self.settle(work, None).await {
            Ok((snapshot, analysis)) => {
                let outcome = session.apply_page(&snapshot, &analysis, &work.answered, &[]);
                work.analysis = Some(analysis);
                if outcome.is_terminal() {
                    release(work).await;
                }
            }
            Err(err) => {
                session.fail(format!("reading the first page failed: {err}"));
                release(work).await;
            }
        }
        Ok(())
    }

    async fn answer(
        &self,
        session: &Session,
        work: &mut Work,
        request: AnswersRequest,
    ) -> Result<(), EngineError> {
        let status = session.status();
        machine::next(&status, Event::AnswersReceived)?;
        session.touch();
        let (Some(analysis), true) = (work.analysis.clone(), work.page.is_some()) else {
            session.fail("the session has no open page: start a new session".to_owned());
            return Ok(());
        };
        let mut problems = check_answers(
            &analysis.fields,
            &request.answers,
            request.advance,
            &work.answered,
        );
        let mut plan = FillPlan {
            frame: analysis.form_frame,
            steps: Vec::new(),
        };
        if problems.is_empty() {
            for answer in &request.answers {
                let Some(field) = analysis
                    .fields
                    .iter()
                    .find(|f| f.field_id == answer.field_id)
                else {
                    continue;
                };
                match self.fill_value(work, field, &answer.value) {
                    Ok(value) => plan.steps.push(FillStep {
                        field: field.clone(),
                        value,
                        typeahead_selection: answer.typeahead_selection.clone(),
                        clear_first: answer.clear_first,
                    }),
                    Err(message) => problems.push(ValidationError::field(&field.field_id, message)),
                }
            }
        }
        if !problems.is_empty() {
            session.reject(problems);
            return Ok(());
        }

        let Some(page) = work.page.as_mut() else {
            return Ok(());
        };
        let report = match page.fill(&plan).await {
            Ok(report) => report,
            Err(err) => {
                session.fail(format!("filling the page failed: {err}"));
                release(work).await;
                return Ok(());
            }
        };
        for step in &plan.steps {
            if !report
                .problems
                .iter()
                .any(|p| p.field_id.as_deref() == Some(&step.field.field_id))
            {
                work.answered.insert(step.field.field_id.clone());
            }
        }
        if !report.problems.is_empty() {
            session.reject(report.problems);
            return Ok(());
        }

        // Answers can reveal conditional questions: read the page again before going on.
        let before = analysis;
        let (snapshot, now) = match self.read(work).await {
            Ok(read) => read,
            Err(err) => {
                session.fail(format!("reading the page after filling it failed: {err}"));
                release(work).await;
                return Ok(());
            }
        };
        let revealed: Vec<ValidationError> = now
            .fields
            .iter()
            .filter(|f| f.is_required && !before.fields.iter().any(|b| b.field_id == f.field_id))
            .map(|f| {
                ValidationError::field(
                    &f.field_id,
                    format!(
                        "`{}` appeared after your answers and is required: answer it to continue",
                        f.label
                    ),
                )
            })
            .collect();
        let revealed_any = now.fields.len() != before.fields.len() || !revealed.is_empty();
        if !request.advance || !revealed.is_empty() || now.kind != PageKind::Form {
            let outcome = session.apply_page(&snapshot, &now, &work.answered, &revealed);
            work.analysis = Some(now);
            if outcome.is_terminal() {
                release(work).await;
            }
            return Ok(());
        }
        if revealed_any {
            // New optional questions only: keep them in view, and go on.
            work.analysis = Some(now.clone());
        }

        let control = now
            .controls
            .next
            .clone()
            .or_else(|| now.controls.submit.clone());
        let Some(control) = control else {
            session.reject(vec![ValidationError::page(
                "the answers were filled in, but this page has no Next or Submit control the engine recognises",
            )]);
            work.analysis = Some(now);
            return Ok(());
        };
        self.advance(session, work, &control, &now, &snapshot).await;
        Ok(())
    }

    /// Clicks `control` and reads where it led. A Submit is clicked once, whatever happens.
    async fn advance(
        &self,
        session: &Session,
        work: &mut Work,
        control: &Control,
        before: &PageAnalysis,
        before_snapshot: &Snapshot,
    ) {
        let submitting = control.kind == ControlKind::Submit;
        let Some(page) = work.page.as_mut() else {
            return;
        };
        if let Err(err) = page.click(control, before.form_frame).await {
            if err.kind() == DriverErrorKind::ElementMissing {
                // Nothing was clicked, so nothing was sent: the session can go on.
                session.reject(vec![ValidationError::page(format!(
                    "the `{}` control was not found on the page, so it was not clicked and nothing was sent ({err})",
                    control.text
                ))]);
                return;
            }
            let message = if submitting {
                format!(
                    "the Submit control was clicked but its outcome could not be determined ({err}); it was not clicked again, to avoid a second submission: check with the employer before applying again"
                )
            } else {
                format!("clicking `{}` failed: {err}", control.text)
            };
            session.fail(message);
            release(work).await;
            return;
        }
        let moved = |snapshot: &Snapshot, analysis: &PageAnalysis| {
            analysis.kind != PageKind::Form
                || !analysis.errors.is_empty()
                || snapshot.url != before_snapshot.url
                || field_ids(&analysis.fields) != field_ids(&before.fields)
        };
        let read = self.settle(work, Some(&moved)).await;
        let (snapshot, analysis) = match read {
            Ok(read) => read,
            Err(err) => {
                let message = if submitting {
                    format!(
                        "the Submit control was clicked but the page after it could not be read ({err}); it was not clicked again, to avoid a second submission"
                    )
                } else {
                    format!("reading the page after `{}` failed: {err}", control.text)
                };
                session.fail(message);
                release(work).await;
                return;
            }
        };
        if !moved(&snapshot, &analysis) {
            if submitting {
                session.fail(format!(
                    "the Submit control was clicked but within {}s the page neither confirmed the application nor showed errors; it was not clicked again, to avoid a second submission",
                    self.config.settle_timeout.as_secs()
                ));
                release(work).await;
            } else {
                session.reject(vec![ValidationError::page(format!(
                    "clicking `{}` did not lead to another page; check the answers and try again",
                    control.text
                ))]);
            }
            return;
        }
        let same_page = analysis.kind == PageKind::Form
            && field_ids(&analysis.fields) == field_ids(&before.fields);
        if !same_page {
            work.answered.clear();
        }
        let errors = analysis.errors.clone();
        let outcome = session.apply_page(&snapshot, &analysis, &work.answered, &errors);
        work.analysis = Some(analysis);
        if outcome.is_terminal() {
            release(work).await;
        }
    }

    /// Snapshots and analyses the page, looking again while it is still rendering (and, with
    /// `until`, until the condition holds) up to the settle timeout.
    async fn settle(
        &self,
        work: &mut Work,
        until: Option<&SettledWhen<'_>>,
    ) -> Result<(Snapshot, PageAnalysis), DriverError> {
        let deadline = Instant::now() + self.config.settle_timeout;
        loop {
            let (snapshot, analysis) = self.read(work).await?;
            let done = analysis.kind != PageKind::Loading
                && until.is_none_or(|until| until(&snapshot, &analysis));
            if done || Instant::now() >= deadline {
                return Ok((snapshot, analysis));
            }
            if let Some(page) = work.page.as_mut() {
                page.pause(self.config.poll_interval).await;
            }
        }
    }

    async fn read(&self, work: &mut Work) -> Result<(Snapshot, PageAnalysis), DriverError> {
        let page = work.page.as_mut().ok_or_else(|| {
            DriverError::new(DriverErrorKind::SessionLost, "the session has no open page")
        })?;
        let snapshot = page.snapshot().await?;
        let analysis = self.detector.analyse(&snapshot);
        Ok((snapshot, analysis))
    }

    /// Turns an answer's value into what the driver fills, writing inline files to disk.
    fn fill_value(
        &self,
        work: &mut Work,
        field: &Field,
        value: &AnswerValue,
    ) -> Result<FillValue, String> {
        if field.field_type != FieldType::File {
            return Ok(FillValue::Text(
                value.as_text().unwrap_or_default().to_owned(),
            ));
        }
        match value {
            AnswerValue::Text(path) => self.local_file(Path::new(path)).map(FillValue::File),
            AnswerValue::File(file) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(file.content_base64.as_bytes())
                    .map_err(|err| format!("content_base64 is not valid base64 ({err})"))?;
                if bytes.len() as u64 > self.config.max_upload_bytes {
                    return Err(format!(
                        "the file is {} bytes; uploads are limited to {} bytes",
                        bytes.len(),
                        self.config.max_upload_bytes
                    ));
                }
                if work.uploads.is_none() {
                    let dir = tempfile::Builder::new()
                        .prefix("autoapply-uploads-")
                        .tempdir()
                        .map_err(|err| format!("the upload could not be stored ({err}); retry"))?;
                    work.uploads = Some(dir);
                }
                let dir = work
                    .uploads
                    .as_ref()
                    .map(|d| d.path().to_owned())
                    .unwrap_or_default();
                // The name must stay a name: never a path out of the upload directory.
                let mut parts = Path::new(&file.filename).components();
                let plain = matches!(
                    (parts.next(), parts.next()),
                    (Some(std::path::Component::Normal(_)), None)
                );
                if !plain {
                    return Err(
                        "the file name must be a plain name like resume.pdf, not a path".to_owned(),
                    );
                }
                // One sub-directory per field keeps the caller's file name without clashes.
                let slot = dir.join(format!("{:x}", fxhash(&field.field_id)));
                std::fs::create_dir_all(&slot)
                    .and_then(|()| std::fs::write(slot.join(&file.filename), &bytes))
                    .map_err(|err| format!("the upload could not be stored ({err}); retry"))?;
                Ok(FillValue::File(slot.join(&file.filename)))
            }
        }
    }

    fn local_file(&self, path: &Path) -> Result<PathBuf, String> {
        let refuse = || {
            "local file paths are not accepted here: send the file as {filename, content_base64}"
                .to_owned()
        };
        let canonical = match &self.config.local_files {
            LocalFiles::Refused => return Err(refuse()),
            _ => path.canonicalize().map_err(|_| {
                "the file does not exist or cannot be read: give the path of a readable file"
                    .to_owned()
            })?,
        };
        if !canonical.is_file() {
            return Err("the path is not a file: give the path of a readable file".to_owned());
        }
        if let LocalFiles::Within(dir) = &self.config.local_files {
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            if !canonical.starts_with(&dir) {
                return Err(format!(
                    "local files must be inside the upload directory {}: move the file there or send it as {{filename, content_base64}}",
                    dir.display()
                ));
            }
        }
        Ok(canonical)
    }

    async fn expire_idle(&self) -> usize {
        let idle = self.config.idle_timeout;
        let candidates: Vec<Arc<Session>> = lock(&self.sessions)
            .values()
            .filter(|s| {
                let shown = lock(&s.shown);
                !shown.state.is_terminal && shown.last_activity.elapsed() >= idle
            })
            .cloned()
            .collect();
        let mut expired = 0;
        for session in candidates {
            // A session busy with a call is not idle.
            let Ok(mut work) = session.work.try_lock() else {
                continue;
            };
            if session.apply_event(Event::IdleTimeout).is_ok() {
                release(&mut work).await;
                expired += 1;
            }
        }
        expired
    }
}

/// A condition on a freshly read page that ends a wait.
type SettledWhen<'a> = dyn Fn(&Snapshot, &PageAnalysis) -> bool + Sync + 'a;

fn field_ids(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.field_id.as_str()).collect()
}

/// A small stable hash for naming upload slots (not for security).
fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a page analysis means for the state machine, given which fields are answered.
pub fn page_outcome(analysis: &PageAnalysis, answered: &HashSet<String>) -> PageOutcome {
    match &analysis.kind {
        PageKind::Form => {
            let complete = analysis
                .fields
                .iter()
                .filter(|f| f.is_required)
                .all(|f| answered.contains(&f.field_id) || f.shows_answer());
            let has_errors = !analysis.errors.is_empty();
            match (&analysis.controls.next, &analysis.controls.submit) {
                _ if !complete || has_errors => PageOutcome::FormIncomplete,
                (Some(_), _) => PageOutcome::FormWithNext,
                (None, Some(_)) => PageOutcome::FormWithSubmit,
                (None, None) => PageOutcome::FormIncomplete,
            }
        }
        PageKind::Loading | PageKind::AtsError { .. } => PageOutcome::Unrecognised,
        PageKind::Confirmation => PageOutcome::Confirmation,
        PageKind::Expired => PageOutcome::Expired,
        PageKind::LoginWall => PageOutcome::LoginWall,
        PageKind::Captcha => PageOutcome::Captcha,
        PageKind::Handoff { .. } => PageOutcome::Handoff,
        PageKind::NoApplication => PageOutcome::NoApplication,
    }
}

impl PageOutcome {
    fn is_terminal(self) -> bool {
        !matches!(
            self,
            PageOutcome::FormWithNext | PageOutcome::FormWithSubmit | PageOutcome::FormIncomplete
        )
    }
}

impl Session {
    fn state(&self) -> SessionState {
        lock(&self.shown).state.clone()
    }

    fn status(&self) -> SessionStatus {
        lock(&self.shown).state.status.clone()
    }

    fn touch(&self) {
        lock(&self.shown).last_activity = Instant::now();
    }

    fn info(&self, mode: SessionMode) -> SessionInfo {
        let shown = lock(&self.shown);
        SessionInfo {
            id: self.id,
            state: shown.run.clone(),
            mode,
            job_url: self.job_url.clone(),
            provider_id: shown.state.provider_id.clone(),
            provider_name: shown.state.provider_name.clone(),
            current_url: shown.state.current_url.clone(),
            started_at: self.started_at,
            completed_at: shown.completed_at,
        }
    }

    /// Moves the status through the state machine and updates what readers see.
    fn apply_event(&self, event: Event) -> Result<SessionStatus, TransitionError> {
        let mut shown = lock(&self.shown);
        let status = machine::next(&shown.state.status, event)?;
        shown.state.is_terminal = status.is_terminal();
        shown.run = match &status {
            s if !s.is_terminal() => RunState::Running,
            SessionStatus::Error => RunState::Failed,
            SessionStatus::Expired if event == Event::IdleTimeout => RunState::Closed,
            _ => RunState::Completed,
        };
        if status.is_terminal() && shown.completed_at.is_none() {
            shown.completed_at = Some(time::OffsetDateTime::now_utc());
        }
        shown.state.status = status.clone();
        shown.last_activity = Instant::now();
        Ok(status)
    }

    /// Ends the session in `error` with `message`.
    fn fail(&self, message: String) {
        warn!(%message, "session failed");
        if self.apply_event(Event::Failed).is_ok() {
            let mut shown = lock(&self.shown);
            shown.state.error = Some(message);
            shown.state.validation_errors.clear();
        }
    }

    /// Keeps the page and status, reporting `problems`.
    fn reject(&self, problems: Vec<ValidationError>) {
        if self.apply_event(Event::AtsRejected).is_ok() {
            lock(&self.shown).state.validation_errors = problems;
        }
    }

    /// Applies a freshly analysed page: status, fields, provider, URL and problems.
    fn apply_page(
        &self,
        snapshot: &Snapshot,
        analysis: &PageAnalysis,
        answered: &HashSet<String>,
        problems: &[ValidationError],
    ) -> PageOutcome {
        let outcome = page_outcome(analysis, answered);
        let event = if analysis.kind == PageKind::Form && !analysis.errors.is_empty() {
            Event::AtsRejected
        } else {
            Event::PageAnalysed(outcome)
        };
        // Rejections keep the status; the page's completeness still decides which active
        // status it is.
        let event = match event {
            Event::AtsRejected => Event::PageAnalysed(PageOutcome::FormIncomplete),
            other => other,
        };
        if self.apply_event(event).is_err() {
            return outcome;
        }
        let mut shown = lock(&self.shown);
        let state = &mut shown.state;
        state.current_url = Some(snapshot.url.clone());
        if let Some(provider) = &analysis.provider {
            state.provider_name = Some(provider.display_name().to_owned());
            state.provider_id = Some(provider.clone());
        }
        state.validation_errors = problems.to_vec();
        state.fields = analysis.fields.clone();
        state.redirect_url = None;
        state.redirect_provider_id = None;
        state.error = None;
        match &analysis.kind {
            PageKind::Handoff { url, provider } => {
                state.redirect_url = Some(url.clone());
                state.redirect_provider_id = provider.clone();
            }
            PageKind::NoApplication => {
                state.redirect_url = Some(snapshot.url.clone());
            }
            PageKind::Loading => {
                state.error = Some(format!(
                    "the page at {} did not finish rendering its application form in time; retry, or check the url in a browser",
                    snapshot.url
                ));
            }
            PageKind::AtsError { message } => {
                state.error = Some(format!("the ATS answered with an error page: {message}"));
            }
            _ => {}
        }
        if !matches!(analysis.kind, PageKind::Form) {
            state.fields.clear();
        }
        outcome
    }
}
