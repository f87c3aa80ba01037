//! WebDriver commands fantoccini does not offer in the shape we need.
//!
//! - [`Navigate`]: fantoccini's `goto` first asks for the current URL (to resolve relative
//!   URLs), one round trip too many for absolute URLs.
//! - [`SwitchToTop`]: back to the top document from any frame depth.
//! - [`ChromeCdp`]: chromedriver's DevTools passthrough, to clear every cookie at once
//!   (the standard command only deletes the current document's cookies).

use fantoccini::wd::WebDriverCompatibleCommand;
use http::Method;
use serde_json::{Value as Json, json};
use url::{ParseError, Url};

fn session_url(base: &Url, session_id: Option<&str>, path: &str) -> Result<Url, ParseError> {
    // A command is only sent on an open session; an empty id gives a URL the server rejects.
    let id = session_id.unwrap_or_default();
    base.join(&format!("session/{id}/{path}"))
}

/// Navigate To an absolute URL; waits for the load like `goto`.
#[derive(Debug)]
pub(crate) struct Navigate(pub(crate) String);

impl WebDriverCompatibleCommand for Navigate {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, ParseError> {
        session_url(base_url, session_id, "url")
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "url": self.0 }).to_string()))
    }
}

/// Switch To Frame with a null id: the top-level browsing context.
#[derive(Debug)]
pub(crate) struct SwitchToTop;

impl WebDriverCompatibleCommand for SwitchToTop {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, ParseError> {
        session_url(base_url, session_id, "frame")
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "id": Json::Null }).to_string()))
    }
}

/// A Chrome DevTools Protocol command through chromedriver.
#[derive(Debug)]
pub(crate) struct ChromeCdp {
    pub(crate) command: &'static str,
    pub(crate) params: Json,
}

impl WebDriverCompatibleCommand for ChromeCdp {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, ParseError> {
        session_url(base_url, session_id, "goog/cdp/execute")
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (Method::POST, Some(body.to_string()))
    }
}
