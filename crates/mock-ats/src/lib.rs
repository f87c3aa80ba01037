//! A local applicant tracking system for end-to-end tests, benchmarks and demos.
//!
//! [`MockAts`] runs an axum server on a local port that serves small pages modelled on the
//! real ATS markup in the corpus: a Greenhouse job-boards form (React-like comboboxes, upload
//! widget, EEO section, server-side validation), a Lever form (card questions, EEO selects,
//! invisible hCaptcha) and a variant whose submit shows an hCaptcha challenge, an Ashby
//! client-rendered form (an empty shell filled in by script after a delay, submitted with
//! `fetch`), a generic three-step form with a conditional question, and the pages an engine
//! must recognise without filling anything (expired posting, login wall, an embedded
//! Greenhouse iframe, a link to another ATS, a redirect to the home page, a server error and
//! a page that never finishes loading).
//!
//! Design choices:
//! - Every page is written here by hand, small, with inline vanilla JS. Ids, names, classes
//!   and aria attributes follow the real pages so detectors written against real captures
//!   recognise these pages too. No external resource is ever loaded (captcha iframes point
//!   at local paths that merely contain `hcaptcha.com`), so a browser without network access
//!   renders every page completely.
//! - Only accepted applications are [`Submission`]s (the ones answered with a confirmation);
//!   posts refused by validation are kept apart in [`MockState::rejected`], and the captcha,
//!   login and server-error flows record nothing. Values are recorded exactly as received.
//! - The state lives in [`MockState`] so [`router`] can be mounted in another server; the
//!   never-loading page watches the state's shutdown signal so a graceful shutdown finishes.
#![deny(missing_docs)]

mod html;
mod pages;
mod record;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use pages::router;

/// One of the application flows the mock ATS serves.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flow {
    /// Greenhouse job-boards form: comboboxes, upload widget, EEO, server-side validation.
    Greenhouse,
    /// Lever form with card questions, EEO selects and invisible hCaptcha.
    Lever,
    /// The Lever form, but submitting it shows an hCaptcha challenge and records nothing.
    LeverCaptcha,
    /// Ashby: an empty shell rendered by script after a delay, submitted with `fetch`.
    Ashby,
    /// A plain three-step form (Next/Back) with a conditional question.
    Generic,
    /// A closed Greenhouse posting ("no longer open").
    Expired,
    /// A Workday-like "Sign In" page in front of the application.
    LoginWall,
    /// A company careers page embedding the Greenhouse form in `iframe#grnhse_iframe`.
    EmbeddedGreenhouse,
    /// A company careers page whose apply link leads to jobs.lever.co.
    LinkToOtherAts,
    /// A posting URL that redirects (302) to the company home page.
    RedirectHome,
    /// A simple form whose submit answers HTTP 500.
    ServerError,
    /// A page whose response never completes.
    NeverLoads,
}

impl Flow {
    /// Every flow, in a stable order.
    pub const ALL: &[Flow] = &[
        Flow::Greenhouse,
        Flow::Lever,
        Flow::LeverCaptcha,
        Flow::Ashby,
        Flow::Generic,
        Flow::Expired,
        Flow::LoginWall,
        Flow::EmbeddedGreenhouse,
        Flow::LinkToOtherAts,
        Flow::RedirectHome,
        Flow::ServerError,
        Flow::NeverLoads,
    ];

    /// The start path of the flow (path and query, relative to the server root).
    pub fn path(self) -> &'static str {
        match self {
            Flow::Greenhouse => pages::greenhouse::START_PATH,
            Flow::Lever => pages::lever::START_PATH,
            Flow::LeverCaptcha => pages::lever::CAPTCHA_START_PATH,
            Flow::Ashby => pages::ashby::START_PATH,
            Flow::Generic => pages::generic::START_PATH,
            Flow::Expired => pages::misc::EXPIRED_PATH,
            Flow::LoginWall => pages::misc::LOGIN_WALL_PATH,
            Flow::EmbeddedGreenhouse => pages::greenhouse::EMBED_PARENT_PATH,
            Flow::LinkToOtherAts => pages::misc::LINK_TO_OTHER_ATS_PATH,
            Flow::RedirectHome => pages::misc::REDIRECT_HOME_PATH,
            Flow::ServerError => pages::misc::SERVER_ERROR_PATH,
            Flow::NeverLoads => pages::misc::NEVER_LOADS_PATH,
        }
    }

    /// A short kebab-case name (`"lever-captcha"`), stable, for command lines and reports.
    pub fn name(self) -> &'static str {
        match self {
            Flow::Greenhouse => "greenhouse",
            Flow::Lever => "lever",
            Flow::LeverCaptcha => "lever-captcha",
            Flow::Ashby => "ashby",
            Flow::Generic => "generic",
            Flow::Expired => "expired",
            Flow::LoginWall => "login-wall",
            Flow::EmbeddedGreenhouse => "embedded-greenhouse",
            Flow::LinkToOtherAts => "link-to-other-ats",
            Flow::RedirectHome => "redirect-home",
            Flow::ServerError => "server-error",
            Flow::NeverLoads => "never-loads",
        }
    }

    /// The flow whose [`name`](Flow::name) is `name`, if any.
    pub fn from_name(name: &str) -> Option<Flow> {
        Flow::ALL.iter().copied().find(|flow| flow.name() == name)
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An application the mock ATS received, exactly as posted.
#[derive(Clone, PartialEq, Eq)]
pub struct Submission {
    /// The flow whose form was posted.
    pub flow: Flow,
    /// Every non-file form part, in the order received (empty values included).
    pub fields: Vec<(String, String)>,
    /// Every uploaded file, in the order received. File inputs left empty are not included.
    pub files: Vec<UploadedFile>,
}

impl Submission {
    /// The first value posted under `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value posted under `name`, in order (checkbox groups post several).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The first file uploaded under `field`.
    pub fn file(&self, field: &str) -> Option<&UploadedFile> {
        self.files.iter().find(|file| file.field == field)
    }
}

// Answers are personal data: Debug shows names and sizes, never values.
impl fmt::Debug for Submission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted<'a>(&'a [(String, String)]);
        impl fmt::Debug for Redacted<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list()
                    .entries(
                        self.0
                            .iter()
                            .map(|(name, value)| (name, format!("<{} bytes>", value.len()))),
                    )
                    .finish()
            }
        }
        f.debug_struct("Submission")
            .field("flow", &self.flow)
            .field("fields", &Redacted(&self.fields))
            .field("files", &self.files)
            .finish()
    }
}

/// A file uploaded with a submission.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// The form field name the file was posted under.
    pub field: String,
    /// The file name the browser sent.
    pub filename: String,
    /// The file's bytes.
    pub content: Vec<u8>,
}

impl fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadedFile")
            .field("field", &self.field)
            .field("filename", &format_args!("<{} bytes>", self.filename.len()))
            .field("content", &format_args!("<{} bytes>", self.content.len()))
            .finish()
    }
}

/// The mock's shared state: the recorded submissions and the shutdown signal.
///
/// Cheap to clone; clones share the same records.
#[derive(Clone)]
pub struct MockState {
    inner: Arc<Inner>,
}

struct Inner {
    records: Mutex<Records>,
    closing: watch::Sender<bool>,
}

#[derive(Default)]
struct Records {
    accepted: Vec<Submission>,
    rejected: Vec<Submission>,
}

impl Default for MockState {
    fn default() -> Self {
        MockState::new()
    }
}

impl fmt::Debug for MockState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let records = self.records();
        f.debug_struct("MockState")
            .field("submissions", &records.accepted.len())
            .field("rejected", &records.rejected.len())
            .finish()
    }
}

impl MockState {
    /// An empty state.
    pub fn new() -> MockState {
        let (closing, _) = watch::channel(false);
        MockState {
            inner: Arc::new(Inner {
                records: Mutex::new(Records::default()),
                closing,
            }),
        }
    }

    /// Every accepted application, in the order received.
    pub fn submissions(&self) -> Vec<Submission> {
        self.records().accepted.clone()
    }

    /// Every post refused by server-side validation (re-rendered with errors), in order.
    pub fn rejected(&self) -> Vec<Submission> {
        self.records().rejected.clone()
    }

    /// Forgets every recorded submission (accepted and rejected).
    pub fn clear(&self) {
        let mut records = self.records();
        records.accepted.clear();
        records.rejected.clear();
    }

    /// Ends the responses that never finish (the [`Flow::NeverLoads`] page), now and for
    /// later requests, so that a graceful shutdown of the server hosting [`router`] can
    /// complete.
    pub fn shutdown(&self) {
        self.inner.closing.send_replace(true);
    }

    pub(crate) fn record(&self, submission: Submission) {
        self.records().accepted.push(submission);
    }

    pub(crate) fn record_rejected(&self, submission: Submission) {
        self.records().rejected.push(submission);
    }

    pub(crate) fn closing(&self) -> watch::Receiver<bool> {
        self.inner.closing.subscribe()
    }

    fn records(&self) -> MutexGuard<'_, Records> {
        // A panic while holding the lock cannot leave the vectors half-written.
        self.inner
            .records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running mock ATS server. Stops when dropped or with [`MockAts::shutdown`].
pub struct MockAts {
    addr: SocketAddr,
    base_url: url::Url,
    state: MockState,
    stop: Option<watch::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for MockAts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockAts")
            .field("addr", &self.addr)
            .field("state", &self.state)
            .finish()
    }
}

/// How long [`MockAts::shutdown`] waits for open connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

impl MockAts {
    /// Starts a server on `127.0.0.1` on a free port.
    pub async fn start() -> std::io::Result<MockAts> {
        MockAts::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts a server on `addr` (port 0 picks a free port).
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<MockAts> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let base_url = url::Url::parse(&format!("http://{addr}/")).map_err(|err| {
            std::io::Error::other(format!("cannot build a url for address {addr}: {err}"))
        })?;
        let state = MockState::new();
        let app = router(state.clone());
        let (stop, mut stopped) = watch::channel(());
        let task = tokio::spawn(async move {
            let signal = async move {
                // Resolves when the sender sends or is dropped.
                let _ = stopped.changed().await;
            };
            // Serving only fails on accept errors it cannot retry; the mock then stops.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await;
        });
        Ok(MockAts {
            addr,
            base_url,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The server's root URL, `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> url::Url {
        self.base_url.clone()
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The start URL of `flow`.
    pub fn url(&self, flow: Flow) -> url::Url {
        let mut url = self.base_url.clone();
        let (path, query) = match flow.path().split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (flow.path(), None),
        };
        url.set_path(path);
        url.set_query(query);
        url
    }

    /// Every accepted application, in the order received.
    pub fn submissions(&self) -> Vec<Submission> {
        self.state.submissions()
    }

    /// Every post refused by server-side validation, in the order received.
    pub fn rejected(&self) -> Vec<Submission> {
        self.state.rejected()
    }

    /// The shared state (for clearing records between tests).
    pub fn state(&self) -> &MockState {
        &self.state
    }

    /// Stops accepting connections, ends never-finishing responses and waits (briefly) for
    /// open connections to close.
    pub async fn shutdown(mut self) {
        self.signal_stop();
        let Some(mut task) = self.task.take() else {
            return;
        };
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }

    fn signal_stop(&mut self) {
        self.state.shutdown();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for MockAts {
    fn drop(&mut self) {
        // The listener closes as soon as the serve loop sees the signal; connections still
        // open close on their own (idle ones at once, the never-loading one on `closing`).
        self.signal_stop();
    }
}
