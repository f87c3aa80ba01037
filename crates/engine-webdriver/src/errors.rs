//! From fantoccini's errors to engine-core's [`DriverError`] kinds.

use engine_core::{DriverError, DriverErrorKind};
use fantoccini::error::{CmdError, ErrorStatus, NewSessionError};

/// What a failed command means for the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The HTTP connection to the WebDriver endpoint failed: the driver is gone.
    Connection,
    /// The endpoint answered, but the browser session is gone (crashed, closed, deleted).
    SessionGone,
    /// A page load or script took longer than its timeout.
    Timeout,
    /// No element matched.
    NoSuchElement,
    /// No such frame, or the frame went away.
    NoSuchFrame,
    /// The element cannot be typed into or clicked.
    NotInteractable,
    /// Another element would receive the click.
    Intercepted,
    /// The page's script threw, or anything else the page refused.
    Other,
}

pub(crate) fn classify(error: &CmdError) -> Failure {
    match error {
        CmdError::Failed(_) | CmdError::FailedC(_) | CmdError::Lost(_) => Failure::Connection,
        CmdError::Standard(wd) => match wd.error {
            ErrorStatus::InvalidSessionId | ErrorStatus::NoSuchWindow => Failure::SessionGone,
            ErrorStatus::Timeout | ErrorStatus::ScriptTimeout => Failure::Timeout,
            ErrorStatus::NoSuchElement | ErrorStatus::StaleElementReference => {
                Failure::NoSuchElement
            }
            ErrorStatus::NoSuchFrame => Failure::NoSuchFrame,
            ErrorStatus::ElementNotInteractable | ErrorStatus::InvalidElementState => {
                Failure::NotInteractable
            }
            ErrorStatus::ElementClickIntercepted => Failure::Intercepted,
            _ => {
                // chromedriver reports a dead browser as an unknown error with these words.
                let message = wd.message.to_ascii_lowercase();
                if [
                    "not reachable",
                    "disconnected",
                    "session deleted",
                    "tab crashed",
                    "target window already closed",
                ]
                .iter()
                .any(|needle| message.contains(needle))
                {
                    Failure::SessionGone
                } else {
                    Failure::Other
                }
            }
        },
        _ => Failure::Other,
    }
}

/// A short, value-free description of the error from the driver (its first line).
pub(crate) fn describe(error: &CmdError) -> String {
    let text = match error {
        CmdError::Standard(wd) if wd.message.starts_with(wd.error().as_str()) => {
            wd.message.to_string()
        }
        CmdError::Standard(wd) => format!("{}: {}", wd.error(), wd.message),
        other => other.to_string(),
    };
    // chromedriver appends multi-line session info; the first line says what happened.
    let first = text.lines().next().unwrap_or_default().trim();
    first.chars().take(300).collect()
}

/// The error for a failed session creation at `endpoint`.
pub(crate) fn new_session_error(error: &NewSessionError, endpoint: &str) -> DriverError {
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default();
    DriverError::new(
        DriverErrorKind::Unavailable,
        format!(
            "could not start a browser session at {endpoint}: {first}; check that the WebDriver endpoint runs and its browser is installed"
        ),
    )
}

/// Maps a command error that is not about the session's life (those are handled by the
/// page, which knows what died) to a kind and a message naming the step.
pub(crate) fn command_error(error: &CmdError, failure: Failure, step: &str) -> DriverError {
    let detail = describe(error);
    let kind = match failure {
        Failure::Connection | Failure::SessionGone => DriverErrorKind::SessionLost,
        Failure::Timeout => DriverErrorKind::Timeout,
        Failure::NoSuchElement | Failure::NoSuchFrame => DriverErrorKind::ElementMissing,
        Failure::NotInteractable | Failure::Intercepted | Failure::Other => {
            DriverErrorKind::ActionFailed
        }
    };
    DriverError::new(kind, format!("{step} failed: {detail}"))
}

#[cfg(test)]
mod tests {
    use fantoccini::error::WebDriver;

    use super::*;

    fn standard(status: ErrorStatus, message: &'static str) -> CmdError {
        CmdError::Standard(WebDriver::new(status, message))
    }

    #[test]
    fn a_dead_browser_is_a_lost_session_whatever_the_status() {
        let gone = standard(
            ErrorStatus::UnknownError,
            "unknown error: chrome not reachable",
        );
        assert_eq!(classify(&gone), Failure::SessionGone);
        let invalid = standard(ErrorStatus::InvalidSessionId, "invalid session id");
        assert_eq!(classify(&invalid), Failure::SessionGone);
        let error = command_error(&invalid, classify(&invalid), "snapshot the page");
        assert_eq!(error.kind(), DriverErrorKind::SessionLost);
    }

    #[test]
    fn page_refusals_keep_their_kind_and_name_the_step() {
        let intercepted = standard(
            ErrorStatus::ElementClickIntercepted,
            "element click intercepted: other element",
        );
        assert_eq!(classify(&intercepted), Failure::Intercepted);
        let missing = standard(ErrorStatus::NoSuchElement, "no such element");
        let error = command_error(&missing, classify(&missing), "click \"Next\" (#next)");
        assert_eq!(error.kind(), DriverErrorKind::ElementMissing);
        assert_eq!(
            error.message(),
            "click \"Next\" (#next) failed: no such element"
        );
        let slow = standard(ErrorStatus::ScriptTimeout, "script timeout");
        assert_eq!(
            command_error(&slow, classify(&slow), "fill").kind(),
            DriverErrorKind::Timeout
        );
    }

    #[test]
    fn descriptions_keep_the_first_line_only() {
        let error = standard(
            ErrorStatus::UnknownError,
            "unknown error: net::ERR_CONNECTION_REFUSED\n  (Session info: chrome=156)",
        );
        assert_eq!(
            describe(&error),
            "unknown error: net::ERR_CONNECTION_REFUSED"
        );
    }
}
