//! Everything that ends a command early, each with a message saying what to do.

use std::path::PathBuf;

/// The one line an install hint always says.
pub const INSTALL_HINT: &str = "install Chromium and chromedriver with `sudo apt-get install -y chromium chromium-driver` (or run scripts/install-browser.sh)";

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// A file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No chromedriver anywhere.
    #[error("no chromedriver found on PATH: {INSTALL_HINT}, or pass --webdriver URL")]
    NoDriver,
    /// `--browser firefox` without geckodriver.
    #[error(
        "no geckodriver found on PATH: install it with `cargo install geckodriver` (and Firefox with `sudo apt-get install -y firefox-esr`), or pass --webdriver URL"
    )]
    NoGeckodriver,
    /// geckodriver is there but no Firefox for it.
    #[error(
        "geckodriver is installed but no Firefox was found: install it with `sudo apt-get install -y firefox-esr`"
    )]
    NoFirefox,
    /// `--chromedriver` given with `--browser firefox`.
    #[error(
        "--chromedriver drives Chromium: drop it for --browser firefox, or use --browser chrome"
    )]
    ChromedriverForFirefox,
    /// chromedriver is there but no browser for it.
    #[error("chromedriver is installed but no Chromium or Chrome was found: {INSTALL_HINT}")]
    NoBrowser,
    /// The browser did not start or the endpoint refused a session.
    #[error("the browser could not be started ({0}): {INSTALL_HINT}, or pass --webdriver URL")]
    BrowserStart(String),
    /// No API keys for `serve`.
    #[error(
        "no API keys: set AUTOAPPLY_API_KEYS to one or more comma-separated keys, e.g. `AUTOAPPLY_API_KEYS=$(openssl rand -hex 24) autoapply serve`"
    )]
    NoApiKeys,
    /// A socket could not be bound or served.
    #[error("cannot listen on {addr}: {source}; pick another address with --listen")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Serving stopped with an error.
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    /// A URL the command cannot open.
    #[error("{0}")]
    Url(#[from] engine_core::UrlError),
    /// The engine refused a call.
    #[error("{0}")]
    Engine(#[from] engine_core::EngineError),
    /// The browser failed outside a session.
    #[error("the browser failed: {0}")]
    Driver(#[from] engine_core::DriverError),
    /// The answers file is not what `session --answers` reads.
    #[error("the answers file `{path}` is not usable: {reason}")]
    AnswersFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A page asks something the answers file does not answer.
    #[error("{0}")]
    MissingAnswers(String),
    /// The ATS keeps refusing the answers.
    #[error("{0}")]
    Rejected(String),
    /// An interactive prompt failed (e.g. the terminal went away).
    #[error("the prompt failed ({0}): run in a terminal, or pass --answers FILE")]
    Prompt(String),
    /// Interactive use without a terminal.
    #[error(
        "standard input is not a terminal: answer in a terminal, or pass --answers FILE for an unattended run"
    )]
    NotATerminal,
    /// Output could not be written.
    #[error("cannot write the output: {0}")]
    Output(String),
    /// `demo --flow` names no flow.
    #[error("{0}")]
    UnknownFlow(String),
    /// A temporary file for the demo could not be made.
    #[error("cannot create the demo's sample files: {0}")]
    SampleFiles(std::io::Error),
}
