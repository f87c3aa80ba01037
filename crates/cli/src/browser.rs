//! The local browser behind the commands: which WebDriver, started how.

use std::path::PathBuf;

use engine_webdriver::{Browser, Endpoint, WebDriver, WebDriverConfig};

use crate::BrowserArgs;
use crate::error::CliError;

/// The WebDriver config the flags ask for, with at most `max` browser sessions.
pub fn config(args: &BrowserArgs, max: usize) -> Result<WebDriverConfig, CliError> {
    let mut config = if let Some(url) = &args.webdriver {
        WebDriverConfig::new(Endpoint::Connect {
            url: url.clone(),
            browser: Browser::Chrome,
        })
    } else {
        let mut config = match &args.chromedriver {
            Some(program) => {
                let mut config = WebDriverConfig::new(Endpoint::Launch {
                    program: program.clone(),
                    browser: Browser::Chrome,
                });
                config.browser_binary = find_browser();
                config
            }
            None => WebDriverConfig::local_chrome().ok_or(CliError::NoDriver)?,
        };
        if config.browser_binary.is_none() {
            config.browser_binary = find_browser();
        }
        if config.browser_binary.is_none() {
            return Err(CliError::NoBrowser);
        }
        config
    };
    config.pool.max = max.max(1);
    config.pool.warm = config.pool.warm.min(config.pool.max);
    Ok(config)
}

/// Chromium or Chrome on PATH.
fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|candidate| candidate.is_file())
}

/// Starts the browser driver, turning a failure into a message saying what to install.
pub async fn start(config: WebDriverConfig) -> Result<WebDriver, CliError> {
    WebDriver::start(config)
        .await
        .map_err(|err| CliError::BrowserStart(err.to_string()))
}
