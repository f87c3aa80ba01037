//! `autoapply serve`: the sessions REST API over a local or remote browser.

use std::process::ExitCode;
use std::sync::Arc;

use detectors::AtsDetector;
use engine_core::{Engine, EngineConfig, SessionMode, UrlPolicy};
use engine_server::ServerConfig;

use crate::ServeArgs;
use crate::browser;
use crate::error::CliError;

/// The variable that holds the API keys, comma-separated.
pub const KEYS_VARIABLE: &str = "AUTOAPPLY_API_KEYS";

/// The keys in `AUTOAPPLY_API_KEYS`; none is an error (the API would refuse everyone).
fn api_keys() -> Result<Vec<String>, CliError> {
    let raw = std::env::var(KEYS_VARIABLE).unwrap_or_default();
    let keys: Vec<String> = raw
        .split(',')
        .map(str::trim)
        .filter(|key| !key.is_empty())
        .map(str::to_owned)
        .collect();
    if keys.is_empty() {
        return Err(CliError::NoApiKeys);
    }
    Ok(keys)
}

pub async fn run(args: ServeArgs) -> Result<ExitCode, CliError> {
    // Configuration problems show before a browser starts.
    let keys = api_keys()?;
    let driver_config = browser::config(&args.browser, args.max_sessions)?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|source| CliError::Listen {
            addr: args.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| CliError::Listen {
        addr: args.listen,
        source,
    })?;
    let driver = browser::start(driver_config).await?;

    let server_config = ServerConfig {
        upload_dir: args.upload_dir.clone(),
        ..ServerConfig::new(keys)
    };
    let engine_config = EngineConfig {
        max_sessions: args.max_sessions.max(1),
        url_policy: if args.allow_local_targets {
            UrlPolicy::allow_local()
        } else {
            UrlPolicy::public_only()
        },
        local_files: server_config.local_files(),
        mode: SessionMode::Interactive,
        ..EngineConfig::default()
    };
    let engine = Engine::new(
        Arc::new(driver.clone()),
        Arc::new(AtsDetector::new()),
        engine_config,
    );
    let app = engine_server::router(engine.clone(), server_config);
    let local = if args.allow_local_targets {
        " (local and private targets allowed)"
    } else {
        ""
    };
    // In place before the banner says Ctrl-C stops: a Ctrl-C after it stops in order.
    let stop = crate::shutdown_signal();
    eprintln!(
        "autoapply: serving the sessions API on http://{addr}/api/auto-apply/sessions{local}; OpenAPI at http://{addr}/openapi.json; Ctrl-C or SIGTERM stops"
    );
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await;
    engine.shutdown().await;
    driver.shutdown().await;
    served.map_err(CliError::Serve)?;
    Ok(ExitCode::SUCCESS)
}
