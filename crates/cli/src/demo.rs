//! `autoapply demo`: every mock ATS flow, end to end, in a local headless browser.
//!
//! The mock ATS runs in-process on a free port; each flow is a real session through the
//! engine, answered with the built-in sample applicant (see [`crate::sample`]). The demo
//! passes when every flow ends in the status it is built to end in.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use detectors::AtsDetector;
use engine_core::{
    AnswersRequest, Engine, EngineConfig, LocalFiles, SessionMode, SessionState, SessionStatus,
    UrlPolicy,
};
use mock_ats::{Flow, MockAts};

use crate::DemoArgs;
use crate::browser;
use crate::error::CliError;
use crate::sample::{self, SampleFiles};

/// Steps a flow may take before it counts as stuck.
const MAX_STEPS: usize = 8;

/// The status each flow is built to end in.
pub fn expected(flow: Flow) -> Option<SessionStatus> {
    Some(match flow {
        Flow::Greenhouse | Flow::Lever | Flow::Ashby | Flow::Generic => SessionStatus::Submitted,
        Flow::LeverCaptcha => SessionStatus::CaptchaRequired,
        Flow::Expired => SessionStatus::Expired,
        Flow::LoginWall => SessionStatus::LoginRequired,
        Flow::EmbeddedGreenhouse | Flow::LinkToOtherAts => SessionStatus::RedirectRequired,
        Flow::RedirectHome => SessionStatus::Redirected,
        Flow::ServerError | Flow::NeverLoads => SessionStatus::Error,
        _ => return None,
    })
}

pub async fn run(args: DemoArgs) -> Result<ExitCode, CliError> {
    let mut flows = Vec::new();
    for name in &args.flow {
        let flow = Flow::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Flow::ALL.iter().map(|f| f.name()).collect();
            CliError::UnknownFlow(format!(
                "no mock flow is named `{name}`: use one of {}",
                names.join(", ")
            ))
        })?;
        flows.push(flow);
    }
    if flows.is_empty() {
        flows = Flow::ALL.to_vec();
    }
    let mut driver_config = browser::config(&args.browser, 2)?;
    // The never-loading flow should fail in seconds, not in the default half minute.
    driver_config.timeouts.page_load = Duration::from_secs(8);
    let files = SampleFiles::create().map_err(CliError::SampleFiles)?;
    let mock = MockAts::start().await.map_err(|source| CliError::Listen {
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        source,
    })?;
    let driver = browser::start(driver_config).await?;
    let engine = Engine::new(
        Arc::new(driver.clone()),
        Arc::new(AtsDetector::new()),
        EngineConfig {
            max_sessions: 2,
            // The mock ATS runs on this machine.
            url_policy: UrlPolicy::allow_local(),
            local_files: LocalFiles::Any,
            mode: SessionMode::Automated,
            settle_timeout: Duration::from_secs(10),
            ..EngineConfig::default()
        },
    );
    println!(
        "autoapply demo: mock ATS at {}, headless Chromium",
        mock.base_url()
    );
    let mut passed = 0;
    let mut failed = Vec::new();
    for flow in flows {
        let Some(want) = expected(flow) else {
            println!("\n{flow}: skipped (no expected outcome known)");
            continue;
        };
        println!("\n{flow} (expect {want})");
        let started = Instant::now();
        let before = mock.submissions().len();
        let got = run_flow(&engine, &mock, flow, &files).await;
        let seconds = started.elapsed().as_secs_f32();
        // The status alone is not enough: what the ATS received must agree with it.
        let recorded = mock.submissions().len() > before;
        match got {
            Ok(status) if status == want && recorded != (want == SessionStatus::Submitted) => {
                let what = if recorded {
                    "but the mock ATS recorded an application on the way"
                } else {
                    "but the mock ATS recorded no application"
                };
                println!("  ✗ ended {status} as expected, {what} ({seconds:.1}s)");
                failed.push(flow.name());
            }
            Ok(status) if status == want => {
                passed += 1;
                println!("  ✓ {status} ({seconds:.1}s)");
            }
            Ok(status) => {
                println!("  ✗ ended {status}, expected {want} ({seconds:.1}s)");
                failed.push(flow.name());
            }
            Err(message) => {
                println!("  ✗ {message} ({seconds:.1}s)");
                failed.push(flow.name());
            }
        }
    }
    engine.shutdown().await;
    driver.shutdown().await;
    let submitted = mock.submissions().len();
    mock.shutdown().await;
    let total = passed + failed.len();
    println!(
        "\n{passed}/{total} flows reached their expected status; the mock ATS received {submitted} application(s)"
    );
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        println!("failed: {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

fn show(state: &SessionState) {
    let provider = state.provider_name.as_deref().unwrap_or("-");
    let path = state
        .current_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    let mut line = format!("  {:<17} {provider:<11} {path}", state.status.as_str());
    if !state.fields.is_empty() {
        let required = state.fields.iter().filter(|f| f.is_required).count();
        line.push_str(&format!(
            "  {} fields ({required} required)",
            state.fields.len()
        ));
    }
    if let Some(url) = &state.redirect_url {
        line.push_str(&format!("  → {url}"));
    }
    if let Some(error) = &state.error {
        line.push_str(&format!("  ({error})"));
    }
    println!("{line}");
    for problem in &state.validation_errors {
        println!(
            "    ! {}: {}",
            problem.field_id.as_deref().unwrap_or("page"),
            problem.message
        );
    }
}

/// Runs one flow to its end; the final status, or what went wrong.
async fn run_flow(
    engine: &Engine,
    mock: &MockAts,
    flow: Flow,
    files: &SampleFiles,
) -> Result<SessionStatus, String> {
    let mut state = engine
        .start(mock.url(flow).as_str())
        .await
        .map_err(|err| format!("the session did not start: {err}"))?;
    let id = state.id;
    let result = async {
        let mut refusals = 0;
        for _ in 0..MAX_STEPS {
            show(&state);
            if state.is_terminal {
                return Ok(state.status.clone());
            }
            let answers = sample::answers(&state.fields, files);
            let before = state.validation_errors.clone();
            state = engine
                .answer(
                    id,
                    AnswersRequest {
                        answers,
                        advance: true,
                    },
                )
                .await
                .map_err(|err| format!("the answers were refused: {err}"))?;
            if !state.is_terminal && !state.validation_errors.is_empty() {
                refusals += 1;
                if refusals >= 2 && state.validation_errors == before {
                    show(&state);
                    return Err("stuck: the page refused the same answers twice".to_owned());
                }
            }
        }
        show(&state);
        Err(format!("not finished after {MAX_STEPS} steps"))
    }
    .await;
    // Frees the browser at once, whatever happened.
    let _ = engine.end(id).await;
    result
}
