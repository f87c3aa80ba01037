//! [`WebDriver`]: the local driver process (if any) and the pool of browser sessions.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use engine_core::{Driver, DriverError, DriverErrorKind, Page};
use fantoccini::{Client, ClientBuilder};
use tempfile::TempDir;
use tokio::sync::{Mutex, Notify, Semaphore, watch};
use tokio::task::JoinSet;
use url::Url;

use crate::config::{Browser, Endpoint, WebDriverConfig};
use crate::errors::{Failure, new_session_error};
use crate::page::WebPage;
use crate::process::DriverProcess;

/// A browser session: a WebDriver client plus the profile directory it owns.
pub(crate) struct Session {
    pub(crate) client: Client,
    /// Removed when the session is dropped (after the browser quit).
    _profile: Option<TempDir>,
    /// The driver process generation it belongs to; older ones died with their driver.
    generation: u64,
}

struct EndpointState {
    url: Option<Url>,
    process: Option<DriverProcess>,
    generation: u64,
}

/// Counters over the driver's life, for benchmarks and health checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DriverStats {
    /// Browser sessions created.
    pub sessions_created: u64,
    /// `open` calls served by a warm, cleaned session.
    pub sessions_reused: u64,
    /// Sessions closed because they misbehaved, were lost, or were not wanted back.
    pub sessions_discarded: u64,
    /// Times the local driver process was restarted after it died.
    pub driver_restarts: u64,
    /// WebDriver commands sent by all pages (session creation not counted).
    pub round_trips: u64,
    /// Sessions idle in the pool now.
    pub idle: usize,
}

pub(crate) struct Inner {
    pub(crate) config: WebDriverConfig,
    endpoint: Mutex<EndpointState>,
    /// For a launched driver: the browsers' profiles and temporary files. Declared after
    /// `endpoint`, so it is removed after the process group was killed.
    scratch: Option<TempDir>,
    idle: std::sync::Mutex<Vec<Session>>,
    capacity: Arc<Semaphore>,
    closed: AtomicBool,
    /// Closed pages whose sessions are being cleaned for the pool, off the caller's path.
    cleanups: std::sync::Mutex<JoinSet<()>>,
    /// Set to `true` on shutdown: cleanups stop and close their session instead.
    stopping: watch::Sender<bool>,
    /// Cleanups under way (each meant to bring its session back to the pool).
    returning: AtomicUsize,
    /// Notified when one of those ends (its session back in the pool, or closed).
    returned: Notify,
    /// The endpoint refused a DevTools input command once: clicks use WebDriver's.
    pub(crate) no_devtools_input: AtomicBool,
    /// A copy of the endpoint's generation, readable without its lock.
    generation: AtomicU64,
    warming: AtomicUsize,
    sessions_created: AtomicU64,
    sessions_reused: AtomicU64,
    sessions_discarded: AtomicU64,
    driver_restarts: AtomicU64,
    round_trips: AtomicU64,
}

/// engine-core's [`Driver`] over WebDriver: a pool of headless browser sessions.
///
/// Cloning is cheap and shares the pool. Call [`WebDriver::shutdown`] when done; dropping
/// the last clone also kills a launched driver process and its browsers.
#[derive(Clone)]
pub struct WebDriver {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for WebDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebDriver")
            .field("endpoint", &self.inner.config.endpoint)
            .field("stats", &self.stats())
            .finish()
    }
}

impl WebDriver {
    /// Starts the driver program (for [`Endpoint::Launch`]) and opens `pool.warm` sessions.
    ///
    /// Fails with `Unavailable` when the program cannot start or the endpoint refuses a
    /// session, so a misconfiguration shows at start-up rather than on the first application.
    pub async fn start(config: WebDriverConfig) -> Result<Self, DriverError> {
        if config.pool.max == 0 {
            return Err(DriverError::new(
                DriverErrorKind::Unavailable,
                "the browser pool allows no session (pool.max is 0); set it to at least 1",
            ));
        }
        let url = match &config.endpoint {
            Endpoint::Connect { url, .. } => Some(with_trailing_slash(url)),
            Endpoint::Launch { .. } => None,
        };
        let scratch = match &config.endpoint {
            Endpoint::Launch { .. } => Some(
                tempfile::Builder::new()
                    .prefix("autoapply-webdriver-")
                    .tempdir()
                    .map_err(|error| {
                        DriverError::new(
                            DriverErrorKind::Unavailable,
                            format!(
                                "could not create a temporary directory for the browsers: {error}"
                            ),
                        )
                    })?,
            ),
            Endpoint::Connect { .. } => None,
        };
        let inner = Arc::new(Inner {
            scratch,
            capacity: Arc::new(Semaphore::new(config.pool.max)),
            config,
            endpoint: Mutex::new(EndpointState {
                url,
                process: None,
                generation: 0,
            }),
            idle: std::sync::Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            cleanups: std::sync::Mutex::new(JoinSet::new()),
            stopping: watch::Sender::new(false),
            returning: AtomicUsize::new(0),
            returned: Notify::new(),
            no_devtools_input: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            warming: AtomicUsize::new(0),
            sessions_created: AtomicU64::new(0),
            sessions_reused: AtomicU64::new(0),
            sessions_discarded: AtomicU64::new(0),
            driver_restarts: AtomicU64::new(0),
            round_trips: AtomicU64::new(0),
        });
        let (url, generation) = inner.endpoint().await?;
        for _ in 0..inner.config.pool.warm {
            let session = inner.create_session(&url, generation).await?;
            inner.lock_idle().push(session);
        }
        Ok(WebDriver { inner })
    }

    /// Opens `url` in a pooled session, like [`Driver::open`], returning the concrete page
    /// (with [`WebPage::round_trips`]).
    pub async fn open_page(&self, url: &Url) -> Result<WebPage, DriverError> {
        let inner = &self.inner;
        if inner.closed.load(Ordering::Relaxed) {
            return Err(DriverError::new(
                DriverErrorKind::Unavailable,
                "the browser driver was shut down",
            ));
        }
        let wait = inner.config.pool.acquire_timeout;
        let max = inner.config.pool.max;
        let permit = match tokio::time::timeout(wait, inner.capacity.clone().acquire_owned()).await
        {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => {
                return Err(DriverError::new(
                    DriverErrorKind::Unavailable,
                    "the browser driver was shut down",
                ));
            }
            Err(_) => {
                return Err(DriverError::new(
                    DriverErrorKind::AtCapacity,
                    format!(
                        "all {max} browser sessions are in use and none was freed within {}s; retry later or raise the pool maximum",
                        wait.as_secs()
                    ),
                ));
            }
        };
        let (endpoint_url, generation) = inner.endpoint().await?;
        let (session, reused) = match inner.take_idle_or_returning(generation).await {
            Some(session) => (session, true),
            None => (
                inner
                    .create_session_recovering(&endpoint_url, generation)
                    .await?,
                false,
            ),
        };
        let mut page = WebPage::new(session, inner.clone(), permit);
        let mut result = page.load(url).await;
        if reused && matches!(&result, Err(error) if error.kind() == DriverErrorKind::SessionLost) {
            // A warm session that died while idle (its browser crashed): use a fresh one.
            tracing::debug!("warm session was dead; opening a fresh one");
            let (endpoint_url, generation) = inner.endpoint().await?;
            let fresh = inner
                .create_session_recovering(&endpoint_url, generation)
                .await?;
            page.replace_session(fresh).await;
            result = page.load(url).await;
        } else if reused {
            inner.sessions_reused.fetch_add(1, Ordering::Relaxed);
        }
        match result {
            Ok(()) => {
                self.refill();
                Ok(page)
            }
            Err(error) => {
                page.abandon().await;
                Err(error.context(format!("open {}", url_for_message(url))))
            }
        }
    }

    /// Keeps `pool.warm` sessions alive (idle or in use), starting one in the background.
    fn refill(&self) {
        let inner = self.inner.clone();
        let want = inner.config.pool.warm;
        let in_use = inner
            .config
            .pool
            .max
            .saturating_sub(inner.capacity.available_permits());
        let have = inner.lock_idle().len() + inner.warming.load(Ordering::Relaxed) + in_use;
        if want <= have || inner.closed.load(Ordering::Relaxed) {
            return;
        }
        inner.warming.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            let result = async {
                let (url, generation) = inner.endpoint().await?;
                inner.create_session(&url, generation).await
            }
            .await;
            inner.warming.fetch_sub(1, Ordering::Relaxed);
            match result {
                Ok(session) => inner.put_back(session).await,
                Err(error) => tracing::debug!(%error, "could not warm a browser session"),
            }
        });
    }

    /// Closes every idle session and the driver process. Pages still open fail from now on
    /// and their sessions are closed when they are.
    ///
    /// Sessions still being cleaned after a `close` stop cleaning and are closed; this waits
    /// for them (at most 12 s, each close being bounded by 10 s) before it kills a launched
    /// driver process, which ends whatever is left.
    pub async fn shutdown(&self) {
        let inner = &self.inner;
        inner.closed.store(true, Ordering::Relaxed);
        inner.capacity.close();
        inner.stopping.send_replace(true);
        let mut cleanups = std::mem::take(&mut *inner.lock_cleanups());
        let joined = tokio::time::timeout(SHUTDOWN_CLEANUP_LIMIT, async {
            while cleanups.join_next().await.is_some() {}
        })
        .await;
        if joined.is_err() {
            tracing::warn!(
                left = cleanups.len(),
                "browser sessions still closing at shutdown; ending them with the driver"
            );
            cleanups.abort_all();
        }
        let idle: Vec<Session> = std::mem::take(&mut *inner.lock_idle());
        for session in idle {
            inner.discard(session).await;
        }
        let mut state = inner.endpoint.lock().await;
        if let Some(mut process) = state.process.take() {
            process.kill();
        }
    }

    /// Waits until the sessions of pages closed so far are cleaned and back in the pool (or
    /// closed). `close` returns before that; this is for callers that need the pool settled,
    /// e.g. a benchmark run or a test that inspects [`WebDriver::stats`].
    pub async fn wait_for_cleaning(&self) {
        let inner = &self.inner;
        loop {
            let returned = inner.returned.notified();
            tokio::pin!(returned);
            // Registered before looking, so an end in between is not missed.
            returned.as_mut().enable();
            if inner.returning.load(Ordering::Relaxed) == 0 {
                return;
            }
            returned.await;
        }
    }

    /// Counters since start.
    pub fn stats(&self) -> DriverStats {
        let inner = &self.inner;
        DriverStats {
            sessions_created: inner.sessions_created.load(Ordering::Relaxed),
            sessions_reused: inner.sessions_reused.load(Ordering::Relaxed),
            sessions_discarded: inner.sessions_discarded.load(Ordering::Relaxed),
            driver_restarts: inner.driver_restarts.load(Ordering::Relaxed),
            round_trips: inner.round_trips.load(Ordering::Relaxed),
            idle: inner.lock_idle().len(),
        }
    }

    /// The process id of the launched driver program, while it runs.
    pub async fn driver_pid(&self) -> Option<u32> {
        self.inner
            .endpoint
            .lock()
            .await
            .process
            .as_ref()
            .and_then(DriverProcess::pid)
    }

    /// The config this driver runs with.
    pub fn config(&self) -> &WebDriverConfig {
        &self.inner.config
    }
}

#[async_trait]
impl Driver for WebDriver {
    async fn open(&self, url: &Url) -> Result<Box<dyn Page>, DriverError> {
        let span = tracing::debug_span!("open_page");
        let page = tracing::Instrument::instrument(self.open_page(url), span).await?;
        Ok(Box::new(page))
    }
}

/// How long `open` waits for a session being cleaned before it starts a new one.
const RETURNING_WAIT: Duration = Duration::from_secs(1);

/// Counts a clean-up whose session is meant to come back to the pool, while it lives.
pub(crate) struct Returning(Arc<Inner>);

impl Returning {
    pub(crate) fn new(inner: &Arc<Inner>) -> Self {
        inner.returning.fetch_add(1, Ordering::Relaxed);
        Returning(inner.clone())
    }
}

impl Drop for Returning {
    fn drop(&mut self) {
        self.0.returning.fetch_sub(1, Ordering::Relaxed);
        self.0.returned.notify_waiters();
    }
}

/// How long [`WebDriver::shutdown`] waits for sessions still being cleaned: closing one
/// is bounded by 10 s.
const SHUTDOWN_CLEANUP_LIMIT: Duration = Duration::from_secs(12);

impl Inner {
    fn lock_cleanups(&self) -> std::sync::MutexGuard<'_, JoinSet<()>> {
        // A panic while holding this lock leaves a usable set behind.
        self.cleanups
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs a closed page's `cleanup` in the background, tracked for shutdown. After
    /// shutdown began it is handed back, for the caller to run itself.
    pub(crate) fn spawn_cleanup<F>(&self, cleanup: F) -> Option<F>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let mut cleanups = self.lock_cleanups();
        // Reap the finished ones, so the set does not grow with every page.
        while cleanups.try_join_next().is_some() {}
        // Checked under the lock `shutdown` takes after setting it: a cleanup is either in
        // the set shutdown waits for, or runs on the caller's path.
        if self.closed.load(Ordering::Relaxed) {
            return Some(cleanup);
        }
        cleanups.spawn(cleanup);
        None
    }

    /// Resolves once shutdown began.
    pub(crate) fn stopping(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut stopping = self.stopping.subscribe();
        async move {
            loop {
                if *stopping.borrow_and_update() {
                    return;
                }
                if stopping.changed().await.is_err() {
                    // The driver is gone; nothing will stop this any more.
                    std::future::pending::<()>().await;
                }
            }
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Session>> {
        // A panic while holding this lock leaves a plain Vec behind, still usable.
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The endpoint URL and generation, (re)starting the local driver when it is not running.
    async fn endpoint(&self) -> Result<(Url, u64), DriverError> {
        let mut state = self.endpoint.lock().await;
        if let Endpoint::Launch { program, browser } = &self.config.endpoint {
            let exited = match state.process.as_mut() {
                Some(process) => process.exit_status(),
                None => Some(String::from("not started")),
            };
            if let Some(status) = exited {
                if self.closed.load(Ordering::Relaxed) {
                    return Err(DriverError::new(
                        DriverErrorKind::Unavailable,
                        "the browser driver was shut down",
                    ));
                }
                if let Some(mut old) = state.process.take() {
                    tracing::warn!(driver = old.name(), %status, "driver process died; restarting it");
                    old.kill();
                    self.driver_restarts.fetch_add(1, Ordering::Relaxed);
                    // Its sessions died with it.
                    let stale: Vec<Session> = std::mem::take(&mut *self.lock_idle());
                    self.sessions_discarded
                        .fetch_add(stale.len() as u64, Ordering::Relaxed);
                }
                let scratch = self
                    .scratch
                    .as_ref()
                    .map_or_else(std::env::temp_dir, |dir| dir.path().to_owned());
                let timeout = self.config.timeouts.driver_start;
                let process = DriverProcess::start(program, *browser, timeout, &scratch).await?;
                state.url = Some(process.url().clone());
                state.process = Some(process);
                state.generation += 1;
                self.generation.store(state.generation, Ordering::Relaxed);
            }
        }
        match &state.url {
            Some(url) => Ok((url.clone(), state.generation)),
            None => Err(DriverError::new(
                DriverErrorKind::Unavailable,
                "no WebDriver endpoint is configured",
            )),
        }
    }

    /// Like `create_session`, but when a launched driver refuses the connection because it
    /// was just killed (its exit not yet visible when `endpoint` looked), waits briefly for
    /// the exit, restarts the driver and tries once more.
    async fn create_session_recovering(
        &self,
        url: &Url,
        generation: u64,
    ) -> Result<Session, DriverError> {
        match self.create_session(url, generation).await {
            Err(error)
                if error.kind() == DriverErrorKind::Unavailable
                    && matches!(self.config.endpoint, Endpoint::Launch { .. })
                    && self.driver_exited_within(Duration::from_secs(2)).await =>
            {
                let (url, generation) = self.endpoint().await?;
                self.create_session(&url, generation).await
            }
            other => other,
        }
    }

    /// Whether the launched driver process is seen to have exited within `wait`.
    async fn driver_exited_within(&self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let exited = {
                let mut state = self.endpoint.lock().await;
                state
                    .process
                    .as_mut()
                    .is_none_or(|process| process.exit_status().is_some())
            };
            if exited {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn create_session(&self, url: &Url, generation: u64) -> Result<Session, DriverError> {
        let local_chrome = matches!(
            self.config.endpoint,
            Endpoint::Launch {
                browser: Browser::Chrome,
                ..
            }
        );
        let profile = match (&self.scratch, local_chrome) {
            (Some(scratch), true) => {
                let dir = tempfile::Builder::new()
                    .prefix("chrome-profile-")
                    .tempdir_in(scratch.path())
                    .map_err(|error| {
                        DriverError::new(
                            DriverErrorKind::Unavailable,
                            format!("could not create a browser profile directory: {error}"),
                        )
                    })?;
                Some(dir)
            }
            _ => None,
        };
        let capabilities = self
            .config
            .capabilities(profile.as_ref().map(TempDir::path));
        let mut builder = ClientBuilder::rustls().map_err(|error| {
            DriverError::new(
                DriverErrorKind::Unavailable,
                format!("could not set up TLS for WebDriver: {error}"),
            )
        })?;
        builder.capabilities(capabilities);
        let connect = builder.connect(url.as_str());
        let limit = self.config.timeouts.driver_start + self.config.timeouts.page_load;
        let client = match tokio::time::timeout(limit, connect).await {
            Ok(Ok(client)) => client,
            Ok(Err(error)) => return Err(new_session_error(&error, url.as_str())),
            Err(_) => {
                return Err(DriverError::new(
                    DriverErrorKind::Unavailable,
                    format!(
                        "the WebDriver endpoint at {url} did not open a session within {}s",
                        limit.as_secs()
                    ),
                ));
            }
        };
        if self.config.endpoint.browser() == Browser::Firefox {
            let (width, height) = self.config.window_size;
            // Not fatal: the page still works at the default size.
            let _ = client.set_window_size(width, height).await;
        }
        self.sessions_created.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(generation, "browser session created");
        Ok(Session {
            client,
            _profile: profile,
            generation,
        })
    }

    /// An idle session, else one being cleaned after a `close` once it is back (a clean-up
    /// takes a fraction of a new browser's start), else `None`.
    async fn take_idle_or_returning(&self, generation: u64) -> Option<Session> {
        let deadline = tokio::time::Instant::now() + RETURNING_WAIT;
        loop {
            let returned = self.returned.notified();
            tokio::pin!(returned);
            // Registered before looking, so a return in between is not missed.
            returned.as_mut().enable();
            if let Some(session) = self.take_idle(generation) {
                return Some(session);
            }
            if self.returning.load(Ordering::Relaxed) == 0 {
                return None;
            }
            if tokio::time::timeout_at(deadline, returned).await.is_err() {
                return None;
            }
        }
    }

    fn take_idle(&self, generation: u64) -> Option<Session> {
        let mut idle = self.lock_idle();
        while let Some(session) = idle.pop() {
            if session.generation == generation {
                return Some(session);
            }
            self.sessions_discarded.fetch_add(1, Ordering::Relaxed);
        }
        None
    }

    /// Whether a session returned now would go back to the pool (else it is closed).
    pub(crate) fn wants_back(&self, session: &Session) -> bool {
        !self.closed.load(Ordering::Relaxed)
            && self.lock_idle().len() < self.config.pool.warm
            && self.generation.load(Ordering::Relaxed) == session.generation
    }

    pub(crate) async fn put_back(&self, session: Session) {
        let keep = {
            let mut idle = self.lock_idle();
            if !self.closed.load(Ordering::Relaxed) && idle.len() < self.config.pool.warm {
                idle.push(session);
                None
            } else {
                Some(session)
            }
        };
        if let Some(session) = keep {
            self.discard(session).await;
        }
    }

    pub(crate) async fn discard(&self, session: Session) {
        self.sessions_discarded.fetch_add(1, Ordering::Relaxed);
        let limit = Duration::from_secs(10);
        let Session {
            client, _profile, ..
        } = session;
        let _ = tokio::time::timeout(limit, client.close()).await;
        drop(_profile);
    }

    pub(crate) fn discard_in_background(self: &Arc<Self>, session: Session) {
        let inner = self.clone();
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move { inner.discard(session).await });
        }
    }

    pub(crate) fn count_round_trip(&self) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
    }

    /// The longest a single command may take before the driver is deemed hung.
    pub(crate) fn command_limit(&self) -> Duration {
        let timeouts = &self.config.timeouts;
        timeouts.page_load.max(timeouts.script).max(timeouts.action) + Duration::from_secs(10)
    }

    /// Names what died when a session was lost: the local driver, the endpoint, the browser.
    pub(crate) async fn describe_loss(&self, failure: Failure, detail: &str) -> String {
        let mut state = self.endpoint.lock().await;
        if let Some(process) = state.process.as_mut()
            && let Some(status) = process.exit_status()
        {
            let pid = process
                .pid()
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default();
            return format!(
                "the {} process{pid} died ({status}); the browser session is lost and the driver restarts on the next open",
                process.name()
            );
        }
        match failure {
            Failure::Connection => {
                let url = state.url.as_ref().map(Url::to_string).unwrap_or_default();
                format!("lost the connection to the WebDriver endpoint {url}: {detail}")
            }
            _ => format!("the browser session ended (the browser crashed or was closed): {detail}"),
        }
    }
}

fn with_trailing_slash(url: &Url) -> Url {
    let mut url = url.clone();
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

/// The URL without query or fragment, which can carry tokens.
fn url_for_message(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}
