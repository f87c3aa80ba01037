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
use engine_core::{
    Controls, Driver as _, Field, PageAnalysis, PageKind, ProviderId, SessionStatus, Snapshot,
    UrlPolicy, ValidationError,
};
use serde::Serialize;
use serde_json::Value;

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
        let html = String::from_utf8_lossy(&bytes).into_owned();
        let url = args
            .url
            .clone()
            .or_else(|| saved_url(&html))
            .unwrap_or_else(|| file_url(path));
        Snapshot::new(url, html)
    };
    let analysis = detectors::analyse(&snapshot);
    let report = report(&snapshot, &analysis);
    let mut text =
        serde_json::to_string_pretty(&report).map_err(|err| CliError::Output(err.to_string()))?;
    text.push('\n');
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|err| CliError::Output(err.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

/// The address a saved page records on its first line, `<!-- url: https://... -->` (the
/// convention of the repository's fixtures).
fn saved_url(html: &str) -> Option<String> {
    let first = html.trim_start().lines().next()?.trim();
    let url = first
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("url:")?
        .trim();
    (!url.is_empty()).then(|| url.to_owned())
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
pub fn report<'a>(snapshot: &'a Snapshot, analysis: &'a PageAnalysis) -> Report<'a> {
    let outcome = page_outcome(analysis, &HashSet::new());
    let status = machine::next(&machine::INITIAL, Event::PageAnalysed(outcome))
        .unwrap_or(SessionStatus::Error);
    let (redirect_url, redirect_provider_id, error) = match &analysis.kind {
        PageKind::Handoff { url, provider } => (Some(url.clone()), provider.clone(), None),
        PageKind::NoApplication => (Some(snapshot.url.clone()), None, None),
        PageKind::Loading => (
            None,
            None,
            Some("the page did not finish rendering its application form".to_owned()),
        ),
        PageKind::AtsError { message } => (
            None,
            None,
            Some(format!("the ATS answered with an error page: {message}")),
        ),
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
    let diagnostics: Vec<&str> = analysis
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    Report {
        provider_id: analysis.provider.as_ref(),
        provider_name: analysis.provider.as_ref().map(ProviderId::display_name),
        is_terminal: status.is_terminal(),
        status,
        page_kind: kind,
        url: &snapshot.url,
        error,
        redirect_url,
        redirect_provider_id,
        validation_errors: &analysis.errors,
        fields,
        controls: &analysis.controls,
        form_frame: analysis.form_frame,
        diagnostics,
    }
}

/// The printed shape, in reading order: what a session would say first, then the extras.
#[derive(Serialize)]
pub struct Report<'a> {
    provider_id: Option<&'a ProviderId>,
    provider_name: Option<&'a str>,
    status: SessionStatus,
    is_terminal: bool,
    page_kind: Value,
    url: &'a str,
    error: Option<String>,
    redirect_url: Option<String>,
    redirect_provider_id: Option<ProviderId>,
    validation_errors: &'a [ValidationError],
    fields: Vec<Field>,
    controls: &'a Controls,
    form_frame: Option<usize>,
    diagnostics: Vec<&'a str>,
}
