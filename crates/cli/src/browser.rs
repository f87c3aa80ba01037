//! The local browser behind the commands: which WebDriver, started how.

use engine_webdriver::{Browser, Endpoint, WebDriver, WebDriverConfig};

use crate::error::CliError;
use crate::{BrowserArgs, BrowserKind};

/// The WebDriver config the flags ask for, with at most `max` browser sessions.
pub fn config(args: &BrowserArgs, max: usize) -> Result<WebDriverConfig, CliError> {
    let browser = match args.browser {
        BrowserKind::Chrome => Browser::Chrome,
        BrowserKind::Firefox => Browser::Firefox,
    };
    let mut config = if let Some(url) = &args.webdriver {
        WebDriverConfig::new(Endpoint::Connect {
            url: url.clone(),
            browser,
        })
    } else if browser == Browser::Firefox {
        if args.chromedriver.is_some() {
            return Err(CliError::ChromedriverForFirefox);
        }
        let config = WebDriverConfig::local_firefox().ok_or(CliError::NoGeckodriver)?;
        if config.browser_binary.is_none() {
            return Err(CliError::NoFirefox);
        }
        config
    } else {
        // Both ways look the browser up with `WebDriverConfig::chrome_binary`.
        let config = match &args.chromedriver {
            Some(program) => {
                let mut config = WebDriverConfig::new(Endpoint::Launch {
                    program: program.clone(),
                    browser: Browser::Chrome,
                });
                config.browser_binary = WebDriverConfig::chrome_binary();
                config
            }
            None => WebDriverConfig::local_chrome().ok_or(CliError::NoDriver)?,
        };
        if config.browser_binary.is_none() {
            return Err(CliError::NoBrowser);
        }
        config
    };
    // A locally launched geckodriver serves one session: keep its pool one wide.
    let local_firefox = browser == Browser::Firefox && args.webdriver.is_none();
    config.pool.max = if local_firefox { 1 } else { max.max(1) };
    config.pool.warm = config.pool.warm.min(config.pool.max);
    Ok(config)
}

/// Starts the browser driver, turning a failure into a message saying what to install.
pub async fn start(config: WebDriverConfig) -> Result<WebDriver, CliError> {
    WebDriver::start(config)
        .await
        .map_err(|err| CliError::BrowserStart(err.to_string()))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn args(
        browser: BrowserKind,
        webdriver: Option<&str>,
        chromedriver: Option<&str>,
    ) -> BrowserArgs {
        BrowserArgs {
            browser,
            webdriver: webdriver.map(|u| url::Url::parse(u).expect("a URL")),
            chromedriver: chromedriver.map(PathBuf::from),
        }
    }

    #[test]
    fn a_remote_endpoint_is_asked_for_the_chosen_browser() {
        for (kind, browser) in [
            (BrowserKind::Chrome, Browser::Chrome),
            (BrowserKind::Firefox, Browser::Firefox),
        ] {
            let config = config(&args(kind, Some("http://grid:4444/wd/hub"), None), 4)
                .expect("a remote config");
            assert!(matches!(
                config.endpoint,
                Endpoint::Connect { browser: b, .. } if b == browser
            ));
            assert_eq!(config.pool.max, 4);
        }
    }

    #[test]
    fn local_firefox_launches_geckodriver_one_session_wide_or_says_what_to_install() {
        match config(&args(BrowserKind::Firefox, None, None), 4) {
            Ok(config) => {
                assert!(matches!(
                    config.endpoint,
                    Endpoint::Launch {
                        browser: Browser::Firefox,
                        ..
                    }
                ));
                assert_eq!(config.pool.max, 1);
            }
            Err(err) => assert!(
                matches!(err, CliError::NoGeckodriver | CliError::NoFirefox),
                "{err}"
            ),
        }
        assert!(matches!(
            config(
                &args(BrowserKind::Firefox, None, Some("/usr/bin/chromedriver")),
                1
            ),
            Err(CliError::ChromedriverForFirefox)
        ));
    }
}
