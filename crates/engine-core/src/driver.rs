//! The boundary to a browser: a [`Driver`] opens [`Page`]s.
//!
//! `engine-webdriver` implements it with WebDriver; [`crate::fake::FakeDriver`] replays saved
//! pages for tests. The engine only ever talks to a browser through these two traits.

use std::fmt;
use std::path::PathBuf;

use async_trait::async_trait;
use url::Url;

use crate::page::{Control, Snapshot};
use crate::wire::{Field, ValidationError};

/// What went wrong in a driver, broadly; the message says the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DriverErrorKind {
    /// No browser could be had: the WebDriver endpoint is down or refused a session.
    Unavailable,
    /// The browser pool is full.
    AtCapacity,
    /// A page load, script or action took longer than its timeout.
    Timeout,
    /// The browser session died or the page went away.
    SessionLost,
    /// An element the plan names is not on the page.
    ElementMissing,
    /// The page refused an action (not interactable, script error…).
    ActionFailed,
}

/// A driver failure: its kind plus a message a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DriverError {
    kind: DriverErrorKind,
    message: String,
}

impl DriverError {
    /// A new error of the given kind.
    pub fn new(kind: DriverErrorKind, message: impl Into<String>) -> Self {
        DriverError {
            kind,
            message: message.into(),
        }
    }

    /// What broadly went wrong.
    pub fn kind(&self) -> DriverErrorKind {
        self.kind
    }

    /// The message alone.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error with `context` put in front of its message.
    pub fn context(self, context: impl fmt::Display) -> Self {
        DriverError {
            kind: self.kind,
            message: format!("{context}: {}", self.message),
        }
    }
}

/// The value to put into one field, already checked against the field.
#[derive(Clone, PartialEq, Eq)]
pub enum FillValue {
    /// Text, option value(s) (comma-separated for groups), or `"true"`/`"false"`.
    Text(String),
    /// A file on local disk to upload.
    File(PathBuf),
}

impl fmt::Debug for FillValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Answers are personal data: never shown.
        match self {
            FillValue::Text(_) => f.write_str("Text(<redacted>)"),
            FillValue::File(_) => f.write_str("File(<redacted>)"),
        }
    }
}

/// One field to fill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FillStep {
    /// The field as the detector reported it (type, selector, options).
    pub field: Field,
    /// What to put in it.
    pub value: FillValue,
    /// For typeaheads: the option text to pick after typing `value`.
    pub typeahead_selection: Option<String>,
    /// Clear the field before filling it in.
    pub clear_first: bool,
}

/// Everything to fill on one page, in page order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FillPlan {
    /// The frame holding the form, when it is not the top document.
    pub frame: Option<usize>,
    /// The fields to fill.
    pub steps: Vec<FillStep>,
}

/// What a fill achieved: each field that did not take, with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FillReport {
    /// Fields whose value read back differently from the answer, or that could not be filled.
    pub problems: Vec<ValidationError>,
}

/// What a click did to the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClickOutcome {
    /// The browser loaded a new document.
    Navigated,
    /// The document stayed but its content changed.
    Changed,
    /// Nothing visible changed within the driver's wait.
    Unchanged,
}

/// A browser that opens pages.
#[async_trait]
pub trait Driver: Send + Sync {
    /// Opens `url` in a browser session of its own and waits for it to load.
    async fn open(&self, url: &Url) -> Result<Box<dyn Page>, DriverError>;
}

/// One open browser page, owned by one session.
#[async_trait]
pub trait Page: Send {
    /// The page's URL and HTML, plus the HTML of frames that hold a form.
    async fn snapshot(&mut self) -> Result<Snapshot, DriverError>;

    /// Fills the plan's fields and reads each back.
    async fn fill(&mut self, plan: &FillPlan) -> Result<FillReport, DriverError>;

    /// Clicks a control (in `frame` when given) and waits for the page to navigate or change.
    async fn click(
        &mut self,
        control: &Control,
        frame: Option<usize>,
    ) -> Result<ClickOutcome, DriverError>;

    /// Waits a little for script-rendered content before the next snapshot.
    async fn pause(&mut self, duration: std::time::Duration) {
        tokio::time::sleep(duration).await;
    }

    /// Releases the browser session (back to a pool, or closed).
    async fn close(self: Box<Self>);
}
