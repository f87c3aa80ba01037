//! How to reach a browser, and how many, and how patiently.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Map, Value as Json, json};
use url::Url;

/// The browser behind the WebDriver endpoint; decides the capabilities sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// Chrome or Chromium, through chromedriver.
    Chrome,
    /// Firefox, through geckodriver.
    Firefox,
}

impl Browser {
    /// The usual name of this browser's WebDriver program, for messages.
    pub fn driver_name(self) -> &'static str {
        match self {
            Browser::Chrome => "chromedriver",
            Browser::Firefox => "geckodriver",
        }
    }
}

/// Where the WebDriver endpoint is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// A running endpoint: chromedriver, geckodriver or a Selenium Grid.
    Connect {
        /// Its URL, e.g. `http://127.0.0.1:9515/` or `http://grid:4444/wd/hub/`.
        url: Url,
        /// The browser to ask it for.
        browser: Browser,
    },
    /// Start a local driver program on a free port, and end it with the [`crate::WebDriver`].
    Launch {
        /// The driver program (`chromedriver` or `geckodriver`).
        program: PathBuf,
        /// The browser it drives.
        browser: Browser,
    },
}

impl Endpoint {
    /// The browser this endpoint drives.
    pub fn browser(&self) -> Browser {
        match self {
            Endpoint::Connect { browser, .. } | Endpoint::Launch { browser, .. } => *browser,
        }
    }
}

/// How many browser sessions to keep and to allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// Sessions kept alive, idle or in use: while fewer are open, `open` starts one in the
    /// background, and a closed page's session goes back to the pool while fewer are idle.
    pub warm: usize,
    /// Sessions in use at once, at most.
    pub max: usize,
    /// How long `open` waits for a session to be freed when `max` are in use, before it gives
    /// up with `AtCapacity`. Zero fails at once.
    pub acquire_timeout: Duration,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            warm: 1,
            max: 4,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// How long each kind of browser work may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// A page load (navigation) before it is `Timeout`.
    pub page_load: Duration,
    /// One script before it is `Timeout`.
    pub script: Duration,
    /// Waiting for an element or a widget (e.g. a typeahead's options) to appear.
    pub action: Duration,
    /// After a click, how long to watch for a navigation or a DOM change.
    pub settle_after_click: Duration,
    /// How long to wait for a launched driver program to answer `/status`.
    pub driver_start: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            page_load: Duration::from_secs(30),
            script: Duration::from_secs(15),
            action: Duration::from_secs(5),
            settle_after_click: Duration::from_secs(5),
            driver_start: Duration::from_secs(15),
        }
    }
}

/// Everything a [`crate::WebDriver`] needs to know. The browser always runs headless.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebDriverConfig {
    /// Where the WebDriver endpoint is, or which program to launch.
    pub endpoint: Endpoint,
    /// The browser binary, when not the driver's default (e.g. `/usr/bin/chromium`).
    pub browser_binary: Option<PathBuf>,
    /// Pool sizes.
    pub pool: PoolConfig,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// The browser window's size in CSS pixels (width, height).
    pub window_size: (u32, u32),
}

impl WebDriverConfig {
    /// A config with the given endpoint and defaults for everything else.
    pub fn new(endpoint: Endpoint) -> Self {
        WebDriverConfig {
            endpoint,
            browser_binary: None,
            pool: PoolConfig::default(),
            timeouts: Timeouts::default(),
            window_size: (1280, 900),
        }
    }

    /// Launch `chromedriver` (from `PATH`, else `/usr/bin/chromedriver`) driving the Chromium
    /// or Chrome found the same way. `None` when no chromedriver is installed.
    pub fn local_chrome() -> Option<Self> {
        let program = find_program(&["chromedriver"], &["/usr/bin/chromedriver"])?;
        let mut config = WebDriverConfig::new(Endpoint::Launch {
            program,
            browser: Browser::Chrome,
        });
        config.browser_binary = Self::chrome_binary();
        Some(config)
    }

    /// Chromium or Chrome: the first of their usual names on `PATH`, else `/usr/bin/chromium`.
    pub fn chrome_binary() -> Option<PathBuf> {
        find_program(
            &[
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ],
            &["/usr/bin/chromium"],
        )
    }

    /// Launch `geckodriver` from `PATH` driving Firefox. `None` when geckodriver is missing.
    ///
    /// geckodriver serves one session at a time, so the pool is one session wide; use a
    /// Selenium Grid ([`Endpoint::Connect`]) for parallel Firefox sessions.
    pub fn local_firefox() -> Option<Self> {
        let program = find_program(&["geckodriver"], &[])?;
        let mut config = WebDriverConfig::new(Endpoint::Launch {
            program,
            browser: Browser::Firefox,
        });
        config.browser_binary = find_program(&["firefox-esr", "firefox"], &[]);
        config.pool.max = 1;
        config.pool.warm = 1;
        Some(config)
    }

    /// The capabilities of a new session. `profile_dir` is a fresh Chrome profile directory
    /// (local launches only; a remote endpoint makes its own).
    pub(crate) fn capabilities(&self, profile_dir: Option<&Path>) -> Map<String, Json> {
        let mut caps = Map::new();
        let timeouts = json!({
            "script": millis(self.timeouts.script),
            "pageLoad": millis(self.timeouts.page_load),
            "implicit": 0,
        });
        caps.insert("timeouts".into(), timeouts);
        caps.insert("pageLoadStrategy".into(), json!("normal"));
        // An unexpected alert would otherwise fail every later command.
        caps.insert("unhandledPromptBehavior".into(), json!("dismiss"));
        match self.endpoint.browser() {
            Browser::Chrome => {
                let (width, height) = self.window_size;
                caps.insert("browserName".into(), json!("chrome"));
                let mut args: Vec<String> =
                    CHROME_FLAGS.iter().map(|flag| (*flag).to_owned()).collect();
                args.push(format!("--window-size={width},{height}"));
                if let Some(dir) = profile_dir {
                    args.push(format!("--user-data-dir={}", dir.display()));
                }
                let mut options = Map::new();
                options.insert("args".into(), json!(args));
                if let Some(binary) = &self.browser_binary {
                    options.insert("binary".into(), json!(binary.display().to_string()));
                }
                caps.insert("goog:chromeOptions".into(), Json::Object(options));
            }
            Browser::Firefox => {
                caps.insert("browserName".into(), json!("firefox"));
                let mut options = Map::new();
                // The window is sized once the session runs (no size flag works in every
                // Firefox version).
                options.insert("args".into(), json!(["-headless"]));
                options.insert("prefs".into(), firefox_prefs());
                if let Some(binary) = &self.browser_binary {
                    options.insert("binary".into(), json!(binary.display().to_string()));
                }
                caps.insert("moz:firefoxOptions".into(), Json::Object(options));
            }
        }
        caps
    }
}

/// Chrome flags for a headless browser in a container, possibly as root: no sandbox (it
/// needs user namespaces), no GPU, no /dev/shm (small in containers), and nothing that talks
/// to Google in the background.
const CHROME_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--mute-audio",
];

fn firefox_prefs() -> Json {
    json!({
        "app.update.enabled": false,
        "app.update.auto": false,
        "browser.shell.checkDefaultBrowser": false,
        "browser.startup.homepage_override.mstone": "ignore",
        "datareporting.policy.dataSubmissionEnabled": false,
        "datareporting.healthreport.uploadEnabled": false,
        "toolkit.telemetry.enabled": false,
        "extensions.update.enabled": false,
        "browser.safebrowsing.malware.enabled": false,
        "browser.safebrowsing.phishing.enabled": false,
        "network.captive-portal-service.enabled": false,
        "network.connectivity-service.enabled": false,
        "browser.newtabpage.enabled": false,
        "media.autoplay.default": 5,
    })
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The first of `names` found on `PATH`, else the first of `fallbacks` that exists.
fn find_program(names: &[&str], fallbacks: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    fallbacks
        .iter()
        .map(PathBuf::from)
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn chrome_capabilities_are_headless_with_profile_and_timeouts() {
        let mut config = WebDriverConfig::new(Endpoint::Launch {
            program: PathBuf::from("/usr/bin/chromedriver"),
            browser: Browser::Chrome,
        });
        config.browser_binary = Some(PathBuf::from("/usr/bin/chromium"));
        config.timeouts.page_load = Duration::from_secs(7);
        let caps = config.capabilities(Some(Path::new("/tmp/profile-x")));
        let args = caps["goog:chromeOptions"]["args"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let args: Vec<&str> = args.iter().filter_map(Json::as_str).collect();
        assert!(args.contains(&"--headless=new"));
        assert!(args.contains(&"--no-sandbox"));
        assert!(args.contains(&"--user-data-dir=/tmp/profile-x"));
        assert!(args.contains(&"--window-size=1280,900"));
        assert_eq!(caps["goog:chromeOptions"]["binary"], "/usr/bin/chromium");
        assert_eq!(caps["timeouts"]["pageLoad"], 7000);
    }

    #[test]
    fn firefox_capabilities_are_headless() {
        let config = WebDriverConfig::new(Endpoint::Connect {
            url: Url::parse("http://127.0.0.1:4444/").unwrap(),
            browser: Browser::Firefox,
        });
        let caps = config.capabilities(None);
        assert_eq!(caps["browserName"], "firefox");
        assert_eq!(caps["moz:firefoxOptions"]["args"][0], "-headless");
        assert_eq!(
            caps["moz:firefoxOptions"]["prefs"]["app.update.enabled"],
            false
        );
        assert!(caps.get("goog:chromeOptions").is_none());
    }
}
