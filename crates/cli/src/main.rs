//! `autoapply`: job applications filled in by a real browser, from the terminal.
//!
//! Subcommands: `fields` (what a page asks), `session` (apply, interactively or from an
//! answers file), `serve` (the sessions REST API), `mock-ats` (the local mock ATS) and `demo`
//! (every mock flow end to end in a local headless browser).
//!
//! Errors end the program with one line on stderr, `autoapply: <what went wrong and what to
//! do>`, and a non-zero exit code. Logs go to stderr through `tracing` (`RUST_LOG`, default
//! `warn`); answers never appear in them.

mod browser;
mod demo;
mod error;
mod fields;
mod mock;
mod sample;
mod serve;
mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use url::Url;

use crate::error::CliError;

/// Fills in job applications in a real browser: Greenhouse, Lever, Ashby and other forms.
#[derive(Debug, Parser)]
#[command(name = "autoapply", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print what a page asks, as JSON: provider, status and fields of a saved page or a URL
    Fields(FieldsArgs),
    /// Apply to a job from the terminal, page by page (or unattended with --answers)
    Session(SessionArgs),
    /// Serve the auto-apply sessions REST API (keys from AUTOAPPLY_API_KEYS)
    Serve(ServeArgs),
    /// Serve the local mock ATS, to try things by hand
    MockAts(MockAtsArgs),
    /// Run every mock ATS flow in a local headless browser and check each outcome
    Demo(DemoArgs),
}

/// Where the browser comes from.
#[derive(Debug, Clone, Args)]
struct BrowserArgs {
    /// The browser: Chromium through chromedriver, or Firefox through geckodriver (from PATH,
    /// or the one behind --webdriver)
    #[arg(long, value_enum, default_value_t = BrowserKind::Chrome)]
    browser: BrowserKind,
    /// A running WebDriver endpoint (chromedriver, geckodriver, Selenium Grid), e.g.
    /// http://127.0.0.1:9515
    #[arg(long, value_name = "URL", conflicts_with = "chromedriver")]
    webdriver: Option<Url>,
    /// The chromedriver program to launch (default: chromedriver from PATH)
    #[arg(long, value_name = "PATH")]
    chromedriver: Option<PathBuf>,
}

/// The browsers the commands can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BrowserKind {
    /// Chromium or Chrome.
    Chrome,
    /// Firefox (one page at a time when launched locally: geckodriver serves one session).
    Firefox,
}

#[derive(Debug, Args)]
struct FieldsArgs {
    /// A saved HTML page, or an http(s) URL to open in the browser
    #[arg(value_name = "FILE|URL")]
    target: String,
    /// The address a saved page came from (helps recognise the ATS); default: the page's
    /// `<!-- url: ... -->` first line, else its file:// URL
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    #[command(flatten)]
    browser: BrowserArgs,
}

#[derive(Debug, Args)]
struct SessionArgs {
    /// The job application URL
    url: String,
    /// Answer from this JSON file, unattended: {"<field_id or handler_type>": "answer", ...}
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Refuse loopback and private addresses, as the server does by default
    #[arg(long)]
    public_only: bool,
    #[command(flatten)]
    browser: BrowserArgs,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Accept loopback and private target URLs (local testing only; refused by default)
    #[arg(long)]
    allow_local_targets: bool,
    /// A directory local file paths in answers may point into (default: inline files only)
    #[arg(long, value_name = "DIR")]
    upload_dir: Option<PathBuf>,
    /// Most sessions (and browsers) open at once
    #[arg(long, value_name = "N", default_value_t = 4)]
    max_sessions: usize,
    #[command(flatten)]
    browser: BrowserArgs,
}

#[derive(Debug, Args)]
struct MockAtsArgs {
    /// The address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Run only this flow (repeatable), e.g. --flow greenhouse; default: every flow
    #[arg(long, value_name = "NAME")]
    flow: Vec<String>,
    #[command(flatten)]
    browser: BrowserArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The demo reports every failed session itself; the engine's warnings would repeat it.
    let default_filter = match cli.command {
        Command::Demo(_) => "warn,engine_core::engine=error",
        _ => "warn",
    };
    init_logging(default_filter);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return fail(&CliError::Runtime(err)),
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Fields(args) => fields::run(args).await,
            Command::Session(args) => session::run(args).await,
            Command::Serve(args) => serve::run(args).await,
            Command::MockAts(args) => mock::run(args).await,
            Command::Demo(args) => demo::run(args).await,
        }
    });
    // Browser sessions and servers are shut down by the commands; what is left is killed.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(code) => code,
        Err(err) => fail(&err),
    }
}

fn fail(err: &CliError) -> ExitCode {
    let message = err.to_string().replace(['\n', '\r'], " ");
    eprintln!("autoapply: {message}");
    ExitCode::FAILURE
}

/// Registers the Ctrl-C and SIGTERM handlers now, and returns a future that completes on
/// either. Registering up front matters: until a handler is in place, the signal's default
/// action ends the process at once, so a command that says "Ctrl-C stops" and only then
/// awaits would lose its orderly stop to a prompt Ctrl-C.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        if let (Some(mut interrupt), Some(mut terminate)) = signals {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn init_logging(default_filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
