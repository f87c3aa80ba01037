//! What a browser sees of a page, and what a detector makes of it.
//!
//! A [`Snapshot`] is raw material (URL and HTML); a [`PageAnalysis`] is the detector's
//! reading of it. Both are plain owned data, so they cross threads and `.await`s freely.

use serde::{Deserialize, Serialize};

use crate::wire::{Field, ProviderId, ValidationError};

/// The HTML of a page and of its frames, as a browser rendered them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The page's final URL, after redirects.
    pub url: String,
    /// The serialized DOM of the top document.
    pub html: String,
    /// Frames that hold a form (e.g. a Greenhouse embed), in document order.
    #[serde(default)]
    pub frames: Vec<FrameSnapshot>,
}

impl Snapshot {
    /// A snapshot of one document with no frames.
    pub fn new(url: impl Into<String>, html: impl Into<String>) -> Self {
        Snapshot {
            url: url.into(),
            html: html.into(),
            frames: Vec::new(),
        }
    }
}

/// One frame of a page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameSnapshot {
    /// The frame's position among the top document's frames (`window.frames[index]`).
    pub index: usize,
    /// The frame's URL (its `src`, resolved).
    pub url: String,
    /// The frame document's serialized DOM.
    pub html: String,
}

/// The role of a clickable control that moves the application along.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    /// Goes to the next page of a multi-page form.
    Next,
    /// Sends the application.
    Submit,
    /// Goes to the previous page.
    Back,
}

/// A button or link the engine can click.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    /// What clicking it does.
    pub kind: ControlKind,
    /// A CSS selector that finds it.
    pub selector: String,
    /// Its visible text, for messages.
    pub text: String,
}

/// The form's controls found on a page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controls {
    /// The Next control, on an intermediate page.
    pub next: Option<Control>,
    /// The Submit control, on the last page.
    pub submit: Option<Control>,
    /// The Back control, if any.
    pub back: Option<Control>,
}

/// What kind of page a snapshot shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageKind {
    /// An application form (fields and controls in the analysis).
    Form,
    /// The page is still being rendered by script (e.g. Ashby's shell): look again shortly.
    Loading,
    /// The ATS confirmed the application ("thank you for applying").
    Confirmation,
    /// The posting is closed or missing.
    Expired,
    /// The ATS wants the applicant to sign in.
    LoginWall,
    /// A captcha challenge a person must solve.
    Captcha,
    /// The application continues elsewhere, e.g. an embedded or linked ATS form.
    Handoff {
        /// Where to continue.
        url: String,
        /// The ATS there, when known.
        provider: Option<ProviderId>,
    },
    /// A page with no application and no known ATS (e.g. a homepage after a redirect).
    NoApplication,
    /// The ATS shows an error page (e.g. a server error).
    AtsError {
        /// What the page says, for a person to read.
        message: String,
    },
}

/// How sure a detector is, and what it noticed along the way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// What was noticed, e.g. "combobox question_123 has no options in the snapshot".
    pub message: String,
}

/// A detector's reading of a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageAnalysis {
    /// The ATS, when recognised.
    pub provider: Option<ProviderId>,
    /// What kind of page this is.
    pub kind: PageKind,
    /// The questions on the page, once each, in page order.
    pub fields: Vec<Field>,
    /// The Next/Submit/Back controls.
    pub controls: Controls,
    /// Errors the ATS shows on the page (after a rejected submit), mapped to fields where possible.
    pub errors: Vec<ValidationError>,
    /// The frame holding the form, when it is not the top document.
    pub form_frame: Option<usize>,
    /// Things the detector noticed and could not resolve; never fatal.
    pub diagnostics: Vec<Diagnostic>,
}

impl PageAnalysis {
    /// An analysis of the given kind with nothing else found.
    pub fn of_kind(kind: PageKind) -> Self {
        PageAnalysis {
            provider: None,
            kind,
            fields: Vec::new(),
            controls: Controls::default(),
            errors: Vec::new(),
            form_frame: None,
            diagnostics: Vec::new(),
        }
    }
}

/// Turns a snapshot into a page analysis.
///
/// Detectors are synchronous and do no I/O. They never fail: a strange page gives what was
/// found plus diagnostics.
pub trait Detector: Send + Sync {
    /// Reads one snapshot.
    fn analyse(&self, snapshot: &Snapshot) -> PageAnalysis;
}
