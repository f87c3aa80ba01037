//! The JSON shapes of the public auto-apply sessions API.
//!
//! This module owns the wire format: every type here serializes byte-compatibly with the
//! public API (`../shared/API.md`). The enums a client reads from outside are open: an
//! unknown string deserializes into `Unknown(String)`, keeps its text and serializes back
//! unchanged, so a newer server never breaks an older client or the other way round.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// Declares an open string enum: known variants with their wire text, plus `Unknown(String)`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know; the original text is kept.
            Unknown(String),
        }

        impl $name {
            /// Every known variant, in declaration order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The wire text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Unknown(text) => text,
                }
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(match text {
                    $( $text => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text.parse() {
                    Ok(value) => value,
                    Err(never) => match never {},
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok($name::from(text.as_str()))
            }
        }
    };
}

open_enum! {
    /// Where a session stands. `form_ready`, `next_available` and `submit_ready` are active;
    /// every other known value is terminal.
    SessionStatus {
        /// A form page that still misses required answers, or whose controls are unknown.
        FormReady => "form_ready",
        /// A form page whose required answers are in and which has a Next control.
        NextAvailable => "next_available",
        /// The last form page, complete, with a Submit control.
        SubmitReady => "submit_ready",
        /// The ATS confirmed the application.
        Submitted => "submitted",
        /// The ATS wants the applicant to sign in first.
        LoginRequired => "login_required",
        /// The ATS shows a captcha challenge a person must solve.
        CaptchaRequired => "captcha_required",
        /// The posting is closed or missing, or the session sat idle too long.
        Expired => "expired",
        /// The browser was sent to a page with no application and no known ATS.
        Redirected => "redirected",
        /// The application continues on another ATS at `redirect_url`.
        RedirectRequired => "redirect_required",
        /// Something went wrong; `error` says what.
        Error => "error",
    }
}

impl SessionStatus {
    /// Whether the session is over: no more answers are accepted.
    ///
    /// An unknown status counts as terminal, since this version cannot act on it.
    pub fn is_terminal(&self) -> bool {
        !matches!(
            self,
            SessionStatus::FormReady | SessionStatus::NextAvailable | SessionStatus::SubmitReady
        )
    }
}

open_enum! {
    /// The kind of control a field is, which decides how an answer is filled in.
    FieldType {
        /// One-line input (text, email, tel, url).
        Text => "text",
        /// Multi-line input.
        Textarea => "textarea",
        /// Dropdown with one choice.
        Select => "select",
        /// Multi-select or token picker.
        Multiselect => "multiselect",
        /// Radio group.
        Radio => "radio",
        /// One checkbox, or a group of them.
        Checkbox => "checkbox",
        /// File upload.
        File => "file",
        /// Date input or picker.
        Date => "date",
        /// Numeric input.
        Number => "number",
        /// Autocomplete, combobox or location picker.
        Typeahead => "typeahead",
        /// Switch.
        Toggle => "toggle",
        /// Rich text (contenteditable) editor.
        Richtext => "richtext",
    }
}

open_enum! {
    /// The ATS behind a page.
    ProviderId {
        /// Greenhouse (job-boards, boards and embeds).
        Greenhouse => "greenhouse",
        /// Lever.
        Lever => "lever",
        /// Ashby.
        Ashby => "ashby",
        /// Workday.
        Workday => "workday",
        /// SmartRecruiters.
        SmartRecruiters => "smartrecruiters",
        /// Workable.
        Workable => "workable",
        /// BambooHR.
        BambooHr => "bamboohr",
        /// JazzHR.
        JazzHr => "jazzhr",
        /// Jobvite.
        Jobvite => "jobvite",
        /// Any other HTML form, parsed by the generic detector.
        Generic => "generic",
    }
}

impl ProviderId {
    /// The provider's display name, e.g. `Greenhouse`.
    pub fn display_name(&self) -> &str {
        match self {
            ProviderId::Greenhouse => "Greenhouse",
            ProviderId::Lever => "Lever",
            ProviderId::Ashby => "Ashby",
            ProviderId::Workday => "Workday",
            ProviderId::SmartRecruiters => "SmartRecruiters",
            ProviderId::Workable => "Workable",
            ProviderId::BambooHr => "BambooHR",
            ProviderId::JazzHr => "JazzHR",
            ProviderId::Jobvite => "Jobvite",
            ProviderId::Generic => "Generic",
            ProviderId::Unknown(text) => text,
        }
    }
}

/// A problem with an answer or a page, as the API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// The field it concerns; `None` for page-level problems.
    pub field_id: Option<String>,
    /// What is wrong, for a person to read.
    pub message: String,
}

impl ValidationError {
    /// A problem with one field.
    pub fn field(field_id: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError {
            field_id: Some(field_id.into()),
            message: message.into(),
        }
    }

    /// A problem with the page as a whole.
    pub fn page(message: impl Into<String>) -> Self {
        ValidationError {
            field_id: None,
            message: message.into(),
        }
    }
}

/// One choice of a select, radio group, checkbox group or typeahead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOption {
    /// The value to send in an answer.
    pub value: String,
    /// The text a person sees.
    pub text: String,
    /// Whether the page shows it chosen.
    #[serde(default)]
    pub is_selected: bool,
}

/// Limits the page puts on a field's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraints {
    /// Longest accepted answer, in characters.
    #[serde(default)]
    pub max_length: Option<u32>,
    /// Accepted file types for uploads, as the page lists them (e.g. `.pdf`, `application/pdf`).
    #[serde(default)]
    pub accepted_file_types: Vec<String>,
    /// Largest accepted upload, in bytes.
    #[serde(default)]
    pub max_file_size_bytes: Option<u64>,
}

impl Constraints {
    /// Whether there is no constraint at all.
    pub fn is_empty(&self) -> bool {
        self.max_length.is_none()
            && self.accepted_file_types.is_empty()
            && self.max_file_size_bytes.is_none()
    }
}

/// One question on the current page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Stable id for the page: the element's id, else its name.
    pub field_id: String,
    /// How the field is filled in.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// The question as the page shows it, cleaned of markers and button text.
    pub label: String,
    /// Whether the ATS requires an answer.
    pub is_required: bool,
    /// The choices, for selects, radios, checkbox groups and known typeahead options.
    #[serde(default)]
    pub options: Vec<FieldOption>,
    /// What the field means (`email`, `resume`, `eeo-gender`…), when known.
    #[serde(default)]
    pub handler_type: Option<String>,
    /// What the page shows in it now.
    #[serde(default)]
    pub current_value: Option<String>,
    /// The form control's `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// The placeholder text.
    #[serde(default)]
    pub placeholder: Option<String>,
    /// Help text shown with the field.
    #[serde(default)]
    pub description: Option<String>,
    /// The heading of the part of the form it is in (e.g. "Voluntary Self-Identification").
    #[serde(default)]
    pub section: Option<String>,
    /// Limits on the answer.
    #[serde(default)]
    pub constraints: Constraints,
    /// A CSS selector that finds the element (for groups, the group's first control).
    #[serde(default)]
    pub selector: Option<String>,
}

impl Field {
    /// Whether the page already shows an answer in this field: a non-blank value, and for a
    /// single checkbox or a toggle, a ticked one (`"false"` is no answer to a required box).
    pub fn shows_answer(&self) -> bool {
        self.current_value
            .as_deref()
            .is_some_and(|value| !self.is_no_answer(value))
    }

    /// Whether `value` leaves this field unanswered: blank, or `"false"` for a single
    /// checkbox or a toggle.
    pub fn is_no_answer(&self, value: &str) -> bool {
        let value = value.trim();
        value.is_empty() || (self.is_boolean() && value == "false")
    }

    /// Whether the field takes `"true"`/`"false"`: a toggle or a single checkbox.
    pub fn is_boolean(&self) -> bool {
        self.field_type == FieldType::Toggle
            || (self.field_type == FieldType::Checkbox && self.options.len() <= 1)
    }

    /// A field with the given id, type and label; everything else empty.
    pub fn new(
        field_id: impl Into<String>,
        field_type: FieldType,
        label: impl Into<String>,
    ) -> Self {
        Field {
            field_id: field_id.into(),
            field_type,
            label: label.into(),
            is_required: false,
            options: Vec::new(),
            handler_type: None,
            current_value: None,
            name: None,
            placeholder: None,
            description: None,
            section: None,
            constraints: Constraints::default(),
            selector: None,
        }
    }
}

/// An uploaded file sent inline by a remote caller.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineFile {
    /// The file name the ATS will see.
    pub filename: String,
    /// The file's bytes, base64 (standard alphabet).
    pub content_base64: String,
}

impl fmt::Debug for InlineFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content is personal data: only its size is shown.
        f.debug_struct("InlineFile")
            .field("filename", &"<redacted>")
            .field("content_base64_len", &self.content_base64.len())
            .finish()
    }
}

/// The value of an answer: text (also a local path for file fields) or an inline file.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    /// A string: the text, option value(s), `"true"`/`"false"`, or a local path for uploads.
    Text(String),
    /// A file sent inline, for remote callers.
    File(InlineFile),
}

impl AnswerValue {
    /// The text, if this is not an inline file.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            AnswerValue::Text(text) => Some(text),
            AnswerValue::File(_) => None,
        }
    }
}

impl fmt::Debug for AnswerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerValue::Text(text) => {
                write!(f, "Text(<redacted, {} chars>)", text.chars().count())
            }
            AnswerValue::File(file) => file.fmt(f),
        }
    }
}

impl From<&str> for AnswerValue {
    fn from(text: &str) -> Self {
        AnswerValue::Text(text.to_owned())
    }
}

impl From<String> for AnswerValue {
    fn from(text: String) -> Self {
        AnswerValue::Text(text)
    }
}

impl From<PathBuf> for AnswerValue {
    fn from(path: PathBuf) -> Self {
        AnswerValue::Text(path.to_string_lossy().into_owned())
    }
}

/// One answer from the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The field it answers.
    pub field_id: String,
    /// The answer itself; personal data, never logged.
    pub value: AnswerValue,
    /// The field type the caller expects (informational).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub field_type: Option<FieldType>,
    /// For typeaheads: the option text to pick after typing `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typeahead_selection: Option<String>,
    /// The semantic meaning the caller gives it (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_type: Option<String>,
    /// Clear the field before filling it in.
    #[serde(default)]
    pub clear_first: bool,
}

impl Answer {
    /// An answer with a value and no options.
    pub fn new(field_id: impl Into<String>, value: impl Into<AnswerValue>) -> Self {
        Answer {
            field_id: field_id.into(),
            value: value.into(),
            field_type: None,
            typeahead_selection: None,
            handler_type: None,
            clear_first: false,
        }
    }
}

fn default_true() -> bool {
    true
}

/// The body of `POST /sessions/{id}/answers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswersRequest {
    /// The answers for the current page.
    pub answers: Vec<Answer>,
    /// Fill and then click Next or Submit (default); `false` fills and verifies only.
    #[serde(default = "default_true")]
    pub advance: bool,
}

/// The state of a session, as every session route returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// The session's id.
    pub id: Uuid,
    /// The ATS, `None` while unknown.
    pub provider_id: Option<ProviderId>,
    /// The ATS's display name.
    pub provider_name: Option<String>,
    /// Where the session stands.
    pub status: SessionStatus,
    /// Whether `status` is terminal.
    pub is_terminal: bool,
    /// What went wrong, when `status` is `error`.
    pub error: Option<String>,
    /// The page the browser is on.
    pub current_url: Option<String>,
    /// Problems with the last answers, from our checks or from the ATS.
    pub validation_errors: Vec<ValidationError>,
    /// The current page's fields.
    pub fields: Vec<Field>,
    /// Where to continue, when `status` is `redirect_required` (or where the browser went).
    pub redirect_url: Option<String>,
    /// The ATS at `redirect_url`.
    pub redirect_provider_id: Option<ProviderId>,
}

open_enum! {
    /// The life-cycle state in session metadata.
    RunState {
        /// Created; the first page is not analysed yet.
        Pending => "pending",
        /// Active: waiting for or processing answers.
        Running => "running",
        /// Ended with a definite outcome (submitted, or a terminal page such as a login wall).
        Completed => "completed",
        /// Ended in `error`.
        Failed => "failed",
        /// Ended by the caller or by idle expiry; the browser is released.
        Closed => "closed",
    }
}

open_enum! {
    /// How a session is driven.
    SessionMode {
        /// A caller answers page by page.
        Interactive => "interactive",
        /// Answers come from a prepared profile with no person in the loop.
        Automated => "automated",
    }
}

/// Session metadata, as `GET /sessions/{id}` returns it (no fields).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The session's id.
    pub id: Uuid,
    /// Its life-cycle state.
    pub state: RunState,
    /// How it is driven.
    pub mode: SessionMode,
    /// The URL the session was started with.
    pub job_url: String,
    /// The ATS, `None` while unknown.
    pub provider_id: Option<ProviderId>,
    /// The ATS's display name.
    pub provider_name: Option<String>,
    /// The page the browser is on.
    pub current_url: Option<String>,
    /// When the session started (RFC 3339, UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: time::OffsetDateTime,
    /// When it ended (RFC 3339, UTC), `None` while open.
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<time::OffsetDateTime>,
}
