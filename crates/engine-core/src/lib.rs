//! The core of autoapply: the session state machine, the wire types and the boundaries.
//!
//! A session is a browser page on a job application plus a status from a small open enum.
//! [`machine`] decides the next status from the current one and an event, as a pure
//! function; [`engine::Engine`] runs sessions around it and does the I/O through two traits:
//! a [`driver::Driver`] (a browser) and a [`page::Detector`] (a reader of page snapshots).
//! This crate knows no browser and no HTML parser: those live in `engine-webdriver` and
//! `detectors`, so the whole engine can be tested here with a fake driver.
//!
//! [`wire`] owns the JSON of the public sessions API; nothing else defines a wire shape.

#![deny(missing_docs)]

pub mod answers;
pub mod driver;
pub mod engine;
#[cfg(any(test, feature = "fake"))]
pub mod fake;
pub mod machine;
pub mod page;
pub mod url_policy;
pub mod wire;

pub use driver::{
    ClickOutcome, Driver, DriverError, DriverErrorKind, FillPlan, FillReport, FillStep, FillValue,
    Page,
};
pub use engine::{Engine, EngineConfig, EngineError, LocalFiles};
pub use page::{
    Control, ControlKind, Controls, Detector, Diagnostic, FrameSnapshot, PageAnalysis, PageKind,
    Snapshot,
};
pub use url_policy::{UrlError, UrlPolicy};
pub use wire::{
    Answer, AnswerValue, AnswersRequest, Constraints, Field, FieldOption, FieldType, InlineFile,
    ProviderId, RunState, SessionInfo, SessionMode, SessionState, SessionStatus, ValidationError,
};
