//! `autoapply fields`: the analysis of one page, as JSON on stdout.
//!
//! The status is what a session opened on the page would report first: the page outcome
//! with nothing answered yet, through the state machine from its initial status.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use engine_core::engine::page_outcome;
use engine_core::machine::{self, Event};
use engine_core::{Driver as _, PageAnalysis, PageKind, SessionStatus, Snapshot, UrlPolicy};
use serde_json::{Value, json};

use crate::FieldsArgs;
use crate::browser;
use crate::error::CliError;

/// How long a live page may take to render its form.
const RENDER_TIMEOUT: Duration = Duration::from_secs(15);

pub async fn run(args: FieldsArgs) -> Result<ExitCode, CliError> {
    let is_url = args.target.starts_with("http://") || args.target.starts_with("https://");
    let snapshot = if is_url {
        live_snapshot(&args).await?
    } else {
        let path = Path::new(&args.target);
        let bytes = std::fs::read(path).map_err(|source| CliError::Read {
            path: path.to_owned(),
            source,
        })?;
        let url = args.url.clone().unwrap_or_else(|| file_url(path));
        Snapshot::new(url, String::from_utf8_lossy(&bytes).into_owned())
    };
    let analysis = detectors::analyse(&snapshot);
    let report = report(&snapshot, &analysis);
    let mut text = serde_json::to_string_pretty(&report).map_err(|err| CliError::Output(err.to_string()))?;
    text.push('\n');
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|err| CliError::Output(err.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

fn file_url(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    url::Url::from_file_path(&absolute).map_or_else(|()| String::new(), |url| url.to_string())
}

/// Opens the URL in the browser and snapshots it once its form has rendered.
async fn live_snapshot(args: &FieldsArgs) -> Result<Snapshot, CliError> {
    // The person at the terminal may look at local pages.
    let url = UrlPolicy::allow_local().check(&args.target)?;
    let mut config = browser::config(&args.browser, 1)?;
    config.pool.warm = 0;
    let driver = browser::start(config).await?;
    let result = async {
        let mut page = driver.open(&url).await?;
        let deadline = tokio::time::Instant::now() + RENDER_TIMEOUT;
        let snapshot = loop {
            let snapshot = page.snapshot().await?;
            let loading = detectors::analyse(&snapshot).kind == PageKind::Loading;
            if !loading || tokio::time::Instant::now() >= deadline {
                break snapshot;
            }
            page.pause(Duration::from_millis(200)).await;
        };
        page.close().await;
        Ok::<_, CliError>(snapshot)
    }
    .await;
    driver.shutdown().await;
    result
}

/// The JSON printed for a page: what a session would report, plus the detector's extras.
pub fn report(snapshot: &Snapshot, analysis: &PageAnalysis) -> Value {
    let outcome = page_outcome(analysis, &HashSet::new());
    let status = machine::next(&machine::INITIAL, Event::PageAnalysed(outcome)).unwrap_or(SessionStatus::Error);
    let (redirect_url, redirect_provider_id, error) = match &analysis.kind {
        PageKind::Handoff { url, provider } => (Some(url.clone()), provider.clone(), None),
        PageKind::NoApplication => (Some(snapshot.url.clone()), None, None),
        PageKind::Loading => (None, None, Some("the page did not finish rendering its application form".to_owned())),
        PageKind::AtsError { message } => (None, None, Some(format!("the ATS answered with an error page: {message}"))),
        _ => (None, None, None),
    };
    let fields = if analysis.kind == PageKind::Form {
        analysis.fields.clone()
    } else {
        Vec::new()
    };
    let kind = serde_json::to_value(&analysis.kind)
        .ok()
        .and_then(|value| value.get("kind").cloned())
        .unwrap_or(Value::Null);
    let diagnostics: Vec<&str> = analysis.diagnostics.iter().map(|d| d.message.as_str()).collect();
    json!({
        "url": snapshot.url,
        "provider_id": analysis.provider,
        "provider_name": analysis.provider.as_ref().map(|p| p.display_name().to_owned()),
        "status": status,
        "is_terminal": status.is_terminal(),
        "page_kind": kind,
        "error": error,
        "redirect_url": redirect_url,
        "redirect_provider_id": redirect_provider_id,
        "validation_errors": analysis.errors,
        "fields": fields,
        "controls": analysis.controls,
        "form_frame": analysis.form_frame,
        "diagnostics": diagnostics,
    })
}
