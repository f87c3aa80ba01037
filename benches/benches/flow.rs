//! A whole application through the real engine, in headless Chromium, against the mock ATS:
//! start, fill page 1, Next, fill page 2, Next, fill page 3, Submit (the mock's generic
//! flow, three pages), timed phase by phase with the WebDriver round trips of each.
//!
//! ```text
//! cargo bench -p autoapply-benches --bench flow              # 10 runs after 1 warm-up
//! FLOW_RUNS=30 cargo bench -p autoapply-benches --bench flow
//! bash benches/compare_flow.sh                               # beside Python Playwright
//! ```
//!
//! A plain `main` rather than criterion: one sample is a multi-second browser flow made of
//! phases, and what matters is each phase's median and p90 and its round trips, not a
//! statistical model of a nanosecond loop.
//!
//! The engine gets its driver and detector through thin wrappers that time every `Page`
//! call and every analysis, and read the driver's round-trip counter around each call, so
//! the phases are cut where the engine actually is, not guessed:
//! - `start`: `Engine::start`: a pooled (warm) session loads the URL, snapshot, analysis;
//! - `fill N`: `Engine::answer` up to the click: the fill with its read-back, then the
//!   snapshot and analysis that look for conditional questions;
//! - `next N` / `submit`: the click, waiting for the new page, its snapshot and analysis;
//! - `close`: the session cleaned and given back to the pool (cookies, storage, about:blank).
//!
//! Environment:
//! - `FLOW_RUNS` (10), `FLOW_WARMUP` (1): timed runs and untimed warm-up runs;
//! - `MOCK_URL`: the root URL of a mock ATS already running (`cargo run -p mock-ats --example
//!   serve`), instead of one started in-process; its submissions are then checked from the
//!   confirmation page only;
//! - `FLOW_OUT`: where the JSON result goes (`target/flow-bench/autoapply.json`);
//! - `FLOW_POLL_MS`, `FLOW_SETTLE_MS`: the engine's `poll_interval` and `settle_timeout`,
//!   for experiments;
//! - `FLOW_BACKGROUND_CLOSE` (set to anything): an experiment: the page's `close` (cleaning
//!   the session for the pool, 6 round trips) runs in a background task, as it would if the
//!   engine released sessions off the caller's path; the pool then holds two sessions,
//!   and each run starts once the previous clean-up is over.
//!
//! Without `--bench` (as `cargo test --benches` runs it) it makes one untimed pass when
//! chromedriver is installed, checks what the mock received, writes nothing, and is quick.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use engine_core::{
    Answer, AnswersRequest, ClickOutcome, Control, Detector, Driver, DriverError, Engine,
    EngineConfig, FillPlan, FillReport, LocalFiles, Page, PageAnalysis, SessionState,
    SessionStatus, Snapshot, UrlPolicy,
};
use engine_webdriver::{WebDriver, WebDriverConfig};
use mock_ats::{Flow, MockAts};
use serde_json::{Value as Json, json};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// What to answer a field with.
enum Want {
    Text(&'static str),
    /// The radio option with this visible text.
    Pick(&'static str),
    Tick,
    /// The résumé file written for the run.
    Resume,
}

/// The answers, page by page. `playwright_flow.py` fills the same fields with the same values.
const PAGES: &[&[(&str, Want)]] = &[
    &[
        ("first_name", Want::Text("Ada")),
        ("last_name", Want::Text("Lovelace")),
        ("email", Want::Text("ada@example.com")),
        ("phone", Want::Text("+1 555 010 0199")),
    ],
    &[
        ("work_authorized", Want::Pick("Yes")),
        ("visa_sponsorship", Want::Pick("No")),
        ("start_date", Want::Text("2027-03-01")),
    ],
    &[
        ("resume", Want::Resume),
        ("cover_letter", Want::Text("Dear team,\nhello.")),
        ("privacy_consent", Want::Tick),
    ],
];

/// The résumé's bytes, checked byte for byte on the mock's side.
const RESUME: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nAda Lovelace resume\x00\x01\x02\r\n%%EOF\n";

/// What the engine asked of the browser or the detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Open,
    Snapshot,
    Analyse,
    Fill,
    Click,
    Pause,
    Close,
}

impl Op {
    const ALL: [Op; 7] = [
        Op::Open,
        Op::Snapshot,
        Op::Analyse,
        Op::Fill,
        Op::Click,
        Op::Pause,
        Op::Close,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::Open => "open",
            Op::Snapshot => "snapshot",
            Op::Analyse => "analyse",
            Op::Fill => "fill",
            Op::Click => "click",
            Op::Pause => "pause",
            Op::Close => "close",
        }
    }
}

struct Call {
    op: Op,
    started: Instant,
    took: Duration,
    round_trips: u64,
}

/// Every call the engine made, in order, and the closes left running in the background;
/// shared by the wrappers.
#[derive(Clone, Default)]
struct Calls {
    calls: Arc<Mutex<Vec<Call>>>,
    closing: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Calls {
    fn push(&self, call: Call) {
        lock(&self.calls).push(call);
    }

    fn take(&self) -> Vec<Call> {
        std::mem::take(&mut *lock(&self.calls))
    }

    /// Waits for the closes running in the background.
    async fn closed(&self) {
        let closing = std::mem::take(&mut *lock(&self.closing));
        for task in closing {
            let _ = task.await;
        }
    }
}

/// Times an async browser call and counts the round trips it sent.
async fn timed<T>(driver: &WebDriver, calls: &Calls, op: Op, call: impl Future<Output = T>) -> T {
    let before = driver.stats().round_trips;
    let started = Instant::now();
    let out = call.await;
    calls.push(Call {
        op,
        started,
        took: started.elapsed(),
        round_trips: driver.stats().round_trips.saturating_sub(before),
    });
    out
}

struct TimedDriver {
    driver: WebDriver,
    calls: Calls,
    /// The `FLOW_BACKGROUND_CLOSE` experiment: see [`TimedPage::close`].
    background_close: bool,
}

#[async_trait]
impl Driver for TimedDriver {
    async fn open(&self, url: &url::Url) -> std::result::Result<Box<dyn Page>, DriverError> {
        let page = timed(&self.driver, &self.calls, Op::Open, self.driver.open(url)).await?;
        Ok(Box::new(TimedPage {
            page,
            driver: self.driver.clone(),
            calls: self.calls.clone(),
            background_close: self.background_close,
        }))
    }
}

struct TimedPage {
    page: Box<dyn Page>,
    driver: WebDriver,
    calls: Calls,
    background_close: bool,
}

#[async_trait]
impl Page for TimedPage {
    async fn snapshot(&mut self) -> std::result::Result<Snapshot, DriverError> {
        timed(
            &self.driver,
            &self.calls,
            Op::Snapshot,
            self.page.snapshot(),
        )
        .await
    }

    async fn fill(&mut self, plan: &FillPlan) -> std::result::Result<FillReport, DriverError> {
        timed(&self.driver, &self.calls, Op::Fill, self.page.fill(plan)).await
    }

    async fn click(
        &mut self,
        control: &Control,
        frame: Option<usize>,
    ) -> std::result::Result<ClickOutcome, DriverError> {
        timed(
            &self.driver,
            &self.calls,
            Op::Click,
            self.page.click(control, frame),
        )
        .await
    }

    async fn pause(&mut self, duration: Duration) {
        timed(
            &self.driver,
            &self.calls,
            Op::Pause,
            self.page.pause(duration),
        )
        .await;
    }

    async fn close(self: Box<Self>) {
        let TimedPage {
            page,
            driver,
            calls,
            background_close,
        } = *self;
        if background_close {
            // What the engine would see if releasing a session (cleaning it for the pool)
            // happened off the caller's path: the answer returns at once.
            calls.push(Call {
                op: Op::Close,
                started: Instant::now(),
                took: Duration::ZERO,
                round_trips: 0,
            });
            let task = tokio::spawn(page.close());
            lock(&calls.closing).push(task);
            return;
        }
        timed(&driver, &calls, Op::Close, page.close()).await;
    }
}

struct TimedDetector {
    detector: detectors::AtsDetector,
    calls: Calls,
}

impl Detector for TimedDetector {
    fn analyse(&self, snapshot: &Snapshot) -> PageAnalysis {
        let started = Instant::now();
        let analysis = self.detector.analyse(snapshot);
        self.calls.push(Call {
            op: Op::Analyse,
            started,
            took: started.elapsed(),
            round_trips: 0,
        });
        analysis
    }
}

/// One phase of one run.
#[derive(Clone, Debug, Default)]
struct Phase {
    took: Duration,
    round_trips: u64,
    /// Per kind of call: how many, and how long in all.
    ops: BTreeMap<Op, (u32, Duration)>,
}

impl Phase {
    /// The phase spanning `from..to`, made of `calls`.
    fn of(from: Instant, to: Instant, calls: &[&Call]) -> Phase {
        let mut phase = Phase {
            took: to.saturating_duration_since(from),
            ..Phase::default()
        };
        for call in calls {
            phase.round_trips += call.round_trips;
            let entry = phase.ops.entry(call.op).or_default();
            entry.0 += 1;
            entry.1 += call.took;
        }
        phase
    }
}

/// The phase names for a flow of `pages` pages.
fn phase_names(pages: usize) -> Vec<String> {
    let mut names = vec!["start".to_owned()];
    for page in 1..=pages {
        names.push(format!("fill {page}"));
        names.push(if page == pages {
            "submit".to_owned()
        } else {
            format!("next {page}")
        });
    }
    names.push("close".to_owned());
    names
}

struct Bench {
    engine: Engine,
    driver: WebDriver,
    calls: Calls,
    start_url: url::Url,
    mock: Option<MockAts>,
    resume: tempfile::NamedTempFile,
}

impl Bench {
    /// One application from start to the confirmation, cut into phases (see [`phase_names`]).
    async fn run(&self) -> Result<(Vec<Phase>, Duration)> {
        let before = self
            .mock
            .as_ref()
            .map_or(0, |mock| mock.submissions().len());
        // Applications do not come back to back in real use: the previous session's
        // background clean-up (the driver's, and FLOW_BACKGROUND_CLOSE's) is finished before
        // the clock starts.
        self.calls.closed().await;
        self.driver.wait_for_cleaning().await;
        self.calls.take();
        let mut phases = Vec::new();
        let flow_started = Instant::now();
        let mut state = self.engine.start(self.start_url.as_str()).await?;
        let started_done = Instant::now();
        let calls = self.calls.take();
        phases.push(Phase::of(
            flow_started,
            started_done,
            &calls.iter().collect::<Vec<_>>(),
        ));
        expect_status(&state, &SessionStatus::FormReady, "after start")?;

        let mut close = None;
        for (index, wants) in PAGES.iter().enumerate() {
            let answers = self.answers(&state, wants)?;
            let began = Instant::now();
            state = self
                .engine
                .answer(
                    state.id,
                    AnswersRequest {
                        answers,
                        advance: true,
                    },
                )
                .await?;
            let ended = Instant::now();
            let calls = self.calls.take();
            // The fill is everything before the click; the click and what follows is the
            // move to the next page; closing the session is its own phase.
            let click_at = calls
                .iter()
                .find(|c| c.op == Op::Click)
                .map_or(ended, |c| c.started);
            let close_at = calls
                .iter()
                .find(|c| c.op == Op::Close)
                .map_or(ended, |c| c.started);
            let (fill, rest): (Vec<&Call>, Vec<&Call>) =
                calls.iter().partition(|c| c.started < click_at);
            let (next, closing): (Vec<&Call>, Vec<&Call>) =
                rest.into_iter().partition(|c| c.op != Op::Close);
            phases.push(Phase::of(began, click_at, &fill));
            phases.push(Phase::of(click_at, close_at, &next));
            if !closing.is_empty() {
                close = Some(Phase::of(close_at, ended, &closing));
            }
            let want = if index + 1 == PAGES.len() {
                SessionStatus::Submitted
            } else {
                SessionStatus::FormReady
            };
            expect_status(&state, &want, &format!("after page {}", index + 1))?;
        }
        let total = flow_started.elapsed();
        phases.push(close.ok_or("the engine did not release the browser after the submission")?);
        self.check_received(before, &state)?;
        Ok((phases, total))
    }

    fn answers(&self, state: &SessionState, wants: &[(&str, Want)]) -> Result<Vec<Answer>> {
        wants
            .iter()
            .map(|(id, want)| {
                let field = state
                    .fields
                    .iter()
                    .find(|f| f.field_id == *id)
                    .ok_or_else(|| format!("field `{id}` is not on the page"))?;
                let mut answer = match want {
                    Want::Text(text) => Answer::new(*id, *text),
                    Want::Pick(text) => {
                        let option = field
                            .options
                            .iter()
                            .find(|o| o.text.trim().eq_ignore_ascii_case(text))
                            .ok_or_else(|| format!("field `{id}` has no option `{text}`"))?;
                        let mut answer = Answer::new(*id, option.value.clone());
                        answer.typeahead_selection = Some((*text).to_owned());
                        answer
                    }
                    Want::Tick => Answer::new(*id, "true"),
                    Want::Resume => Answer::new(*id, self.resume.path().to_path_buf()),
                };
                answer.clear_first = true;
                Ok(answer)
            })
            .collect()
    }

    /// The mock got exactly one more application, with the answers given.
    fn check_received(&self, before: usize, state: &SessionState) -> Result<()> {
        let Some(mock) = &self.mock else {
            let url = state.current_url.as_deref().unwrap_or_default();
            if !url.contains("/confirmation") {
                return Err(format!("submitted, but the browser is on {url}").into());
            }
            return Ok(());
        };
        let submissions = mock.submissions();
        if submissions.len() != before + 1 {
            return Err(format!(
                "the mock received {} applications in this run, not 1",
                submissions.len() - before
            )
            .into());
        }
        let got = &submissions[before];
        let expected = [
            ("first_name", "Ada"),
            ("last_name", "Lovelace"),
            ("email", "ada@example.com"),
            ("phone", "+1 555 010 0199"),
            ("start_date", "2027-03-01"),
            ("cover_letter", "Dear team,\r\nhello."),
        ];
        for (name, value) in expected {
            if got.field(name) != Some(value) {
                return Err(format!("the mock received a different `{name}`").into());
            }
        }
        for (name, value) in [("work_authorized", "yes"), ("visa_sponsorship", "no")] {
            if !got
                .field(name)
                .is_some_and(|v| v.eq_ignore_ascii_case(value))
            {
                return Err(format!("the mock received a different `{name}`").into());
            }
        }
        if got.field("privacy_consent").is_none() {
            return Err("the mock received no privacy consent".into());
        }
        if got.file("resume").map(|f| f.content.as_slice()) != Some(RESUME) {
            return Err("the mock did not receive the résumé byte for byte".into());
        }
        Ok(())
    }
}

fn expect_status(state: &SessionState, want: &SessionStatus, when: &str) -> Result<()> {
    if state.status == *want {
        return Ok(());
    }
    let problems: Vec<String> = state
        .validation_errors
        .iter()
        .map(|e| format!("{:?}: {}", e.field_id, e.message))
        .collect();
    Err(format!(
        "{when}: status {} instead of {}; error: {:?}; problems: {problems:?}",
        state.status.as_str(),
        want.as_str(),
        state.error
    )
    .into())
}

fn env_number(name: &str, default: u64) -> Result<u64> {
    match std::env::var(name) {
        Ok(text) => Ok(text
            .trim()
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not `{text}`"))?),
        Err(_) => Ok(default),
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The value at quantile `q` (nearest rank) of `values`, sorted here.
fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // The two middle values; the same one when the count is odd.
    let n = sorted.len();
    (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0
}

/// Prints the table and builds the JSON result (same shape as `playwright_flow.py`'s).
fn report(names: &[String], samples: &[(Vec<Phase>, Duration)], warmup: u64, info: Json) -> Json {
    let column = |index: usize| -> Vec<f64> {
        samples
            .iter()
            .map(|(phases, _)| millis(phases[index].took))
            .collect()
    };
    let totals: Vec<f64> = samples.iter().map(|(_, total)| millis(*total)).collect();
    println!(
        "\nautoapply engine, mock ATS generic flow ({} pages), {} runs after {warmup} warm-up",
        PAGES.len(),
        samples.len()
    );
    print!(
        "{:<8} {:>9} {:>9} {:>7}",
        "phase", "median ms", "p90 ms", "trips"
    );
    for op in Op::ALL {
        print!(" {:>11}", format!("{} ms", op.name()));
    }
    println!();
    let mut summary = serde_json::Map::new();
    for (index, name) in names.iter().enumerate() {
        let times = column(index);
        let trips: Vec<f64> = samples
            .iter()
            .map(|(phases, _)| phases[index].round_trips as f64)
            .collect();
        let mut ops = serde_json::Map::new();
        print!(
            "{name:<8} {:>9.1} {:>9.1} {:>7}",
            median(&times),
            quantile(&times, 0.9),
            median(&trips)
        );
        for op in Op::ALL {
            let spent: Vec<f64> = samples
                .iter()
                .map(|(phases, _)| phases[index].ops.get(&op).map_or(0.0, |o| millis(o.1)))
                .collect();
            let count: Vec<f64> = samples
                .iter()
                .map(|(phases, _)| phases[index].ops.get(&op).map_or(0.0, |o| f64::from(o.0)))
                .collect();
            let spent = median(&spent);
            let count = median(&count);
            if count > 0.0 {
                print!(" {:>11}", format!("{spent:.1} ({count})"));
                ops.insert(
                    op.name().to_owned(),
                    json!({ "count": count, "median_ms": round(spent) }),
                );
            } else {
                print!(" {:>11}", "");
            }
        }
        println!();
        summary.insert(
            name.clone(),
            json!({
                "median_ms": round(median(&times)),
                "p90_ms": round(quantile(&times, 0.9)),
                "round_trips": median(&trips),
                "ops": ops,
            }),
        );
    }
    let trips_total: Vec<f64> = samples
        .iter()
        .map(|(phases, _)| phases.iter().map(|p| p.round_trips as f64).sum())
        .collect();
    println!(
        "{:<8} {:>9.1} {:>9.1} {:>7}",
        "total",
        median(&totals),
        quantile(&totals, 0.9),
        median(&trips_total)
    );
    println!("(ops: median time in that kind of call, and how many; trips: WebDriver round trips)");
    print!("round trips per page (fill + next):");
    for page in 0..PAGES.len() {
        let trips: Vec<f64> = samples
            .iter()
            .map(|(phases, _)| {
                (phases[1 + 2 * page].round_trips + phases[2 + 2 * page].round_trips) as f64
            })
            .collect();
        print!(" page {} = {}", page + 1, median(&trips));
    }
    println!();
    summary.insert(
        "total".to_owned(),
        json!({
            "median_ms": round(median(&totals)),
            "p90_ms": round(quantile(&totals, 0.9)),
            "round_trips": median(&trips_total),
        }),
    );
    let runs: Vec<Json> = samples
        .iter()
        .map(|(phases, total)| {
            let mut ms = serde_json::Map::new();
            let mut trips = serde_json::Map::new();
            let mut ops = serde_json::Map::new();
            for (name, phase) in names.iter().zip(phases) {
                ms.insert(name.clone(), json!(round(millis(phase.took))));
                trips.insert(name.clone(), json!(phase.round_trips));
                let by_op: serde_json::Map<String, Json> = phase
                    .ops
                    .iter()
                    .map(|(op, (count, spent))| {
                        let entry = json!({ "count": count, "ms": round(millis(*spent)) });
                        (op.name().to_owned(), entry)
                    })
                    .collect();
                ops.insert(name.clone(), Json::Object(by_op));
            }
            json!({
                "phases_ms": ms,
                "round_trips": trips,
                "ops": ops,
                "total_ms": round(millis(*total)),
            })
        })
        .collect();
    json!({
        "tool": "autoapply",
        "flow": Flow::Generic.name(),
        "pages": PAGES.len(),
        "warmup": warmup,
        "phases": names,
        "info": info,
        "runs": runs,
        "summary": summary,
    })
}

fn round(ms: f64) -> f64 {
    (ms * 100.0).round() / 100.0
}

/// `target/flow-bench/autoapply.json`, unless `FLOW_OUT` says otherwise.
fn out_path() -> PathBuf {
    if let Some(path) = std::env::var_os("FLOW_OUT") {
        return PathBuf::from(path);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    target.join("flow-bench").join("autoapply.json")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let Some(mut driver_config) = WebDriverConfig::local_chrome() else {
        if benching {
            return Err(
                "chromedriver is not installed: apt-get install -y chromium chromium-driver".into(),
            );
        }
        eprintln!("flow bench: chromedriver not found, nothing to check");
        return Ok(());
    };
    // As `cargo test --benches` runs it: one untimed pass to show the flow still works.
    let (runs, warmup) = if benching {
        (
            env_number("FLOW_RUNS", 10)?.max(1),
            env_number("FLOW_WARMUP", 1)?,
        )
    } else {
        (1, 0)
    };
    let background_close = benching && std::env::var_os("FLOW_BACKGROUND_CLOSE").is_some();
    // One session, reused and cleaned between runs; two when cleaning runs in the background,
    // so the next run need not wait for it.
    let sessions = if background_close { 2 } else { 1 };
    driver_config.pool.warm = sessions;
    driver_config.pool.max = sessions;

    let mut engine_config = EngineConfig {
        url_policy: UrlPolicy::allow_local(),
        local_files: LocalFiles::Any,
        ..EngineConfig::default()
    };
    if let Ok(ms) = std::env::var("FLOW_POLL_MS") {
        engine_config.poll_interval = Duration::from_millis(ms.trim().parse()?);
    }
    if let Ok(ms) = std::env::var("FLOW_SETTLE_MS") {
        engine_config.settle_timeout = Duration::from_millis(ms.trim().parse()?);
    }

    let (mock, root) = match std::env::var("MOCK_URL") {
        Ok(root) => (None, url::Url::parse(&root)?),
        Err(_) => {
            let mock = MockAts::start().await?;
            let root = mock.base_url();
            (Some(mock), root)
        }
    };
    let start_url = root.join(Flow::Generic.path())?;

    let mut resume = tempfile::Builder::new().suffix(".pdf").tempfile()?;
    std::io::Write::write_all(&mut resume, RESUME)?;

    let browser_started = Instant::now();
    let driver = WebDriver::start(driver_config).await?;
    let browser_start_ms = millis(browser_started.elapsed());
    let calls = Calls::default();
    let engine = Engine::new(
        Arc::new(TimedDriver {
            driver: driver.clone(),
            calls: calls.clone(),
            background_close,
        }),
        Arc::new(TimedDetector {
            detector: detectors::AtsDetector::new(),
            calls: calls.clone(),
        }),
        engine_config.clone(),
    );
    let bench = Bench {
        engine,
        driver: driver.clone(),
        calls,
        start_url,
        mock,
        resume,
    };

    let mut samples = Vec::new();
    let mut failure = None;
    for index in 0..warmup + runs {
        match bench.run().await {
            Ok(sample) if index >= warmup => samples.push(sample),
            Ok(_) => {}
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    let stats = driver.stats();
    let external_mock = bench.mock.is_none();
    bench.engine.shutdown().await;
    driver.shutdown().await;
    if let Some(mock) = bench.mock {
        mock.shutdown().await;
    }
    if let Some(error) = failure {
        return Err(format!("the flow failed: {error}").into());
    }
    if !benching {
        eprintln!(
            "flow bench: one pass through {} pages submitted and checked ({} round trips); run `cargo bench -p autoapply-benches --bench flow` to time it",
            PAGES.len(),
            stats.round_trips
        );
        return Ok(());
    }

    let names = phase_names(PAGES.len());
    let info = json!({
        "browser": "chromium (headless=new) via chromedriver",
        "browser_start_ms": round(browser_start_ms),
        "mock": if external_mock { "external" } else { "in-process" },
        "engine_poll_interval_ms": engine_config.poll_interval.as_millis() as u64,
        "engine_settle_timeout_ms": engine_config.settle_timeout.as_millis() as u64,
        "background_close": background_close,
        "sessions_created": stats.sessions_created,
        "sessions_reused": stats.sessions_reused,
    });
    let result = report(&names, &samples, warmup, info);
    let path = out_path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, serde_json::to_string_pretty(&result)? + "\n")?;
    println!("wrote {}", path.display());
    Ok(())
}
