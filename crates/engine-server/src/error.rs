//! The one error shape of the API: `{"error": {"code", "message"}}` with a fitting status.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use engine_core::EngineError;
use serde_json::json;

/// Seconds a caller should wait before starting a session again when the engine is full.
const RETRY_AT_CAPACITY_SECS: u32 = 30;
/// Seconds a caller should wait when no browser is free (browsers free up quickly).
const RETRY_BROWSER_BUSY_SECS: u32 = 5;

/// An error answer: status, stable machine-readable code, and a message for a person.
///
/// Messages say what is wrong and what to do; they never carry internals (a 500 says only
/// that something failed) and never repeat an applicant's answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code, e.g. `invalid_url`.
    pub code: &'static str,
    /// What went wrong, for a person to read.
    pub message: String,
    /// Seconds to wait before retrying, sent as `Retry-After`.
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// An error with no `Retry-After`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(crate) fn unauthorized(message: &str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub(crate) fn session_not_found(id: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "session_not_found",
            format!(
                "no session with id `{id}`: it never existed, or it ended and was forgotten; start a new session"
            ),
        )
    }

    pub(crate) fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to handle the request; retry, and report it if it persists",
        )
    }
}

impl From<EngineError> for ApiError {
    fn from(err: EngineError) -> Self {
        match &err {
            EngineError::InvalidUrl(url_error) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_url",
                url_error.to_string(),
            ),
            EngineError::NotFound(id) => ApiError::session_not_found(&id.to_string()),
            EngineError::Terminal(_) => {
                ApiError::new(StatusCode::CONFLICT, "session_ended", err.to_string())
            }
            EngineError::AtCapacity { .. } => ApiError {
                retry_after: Some(RETRY_AT_CAPACITY_SECS),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "at_capacity",
                    err.to_string(),
                )
            },
            EngineError::BrowserBusy(_) => ApiError {
                retry_after: Some(RETRY_BROWSER_BUSY_SECS),
                ..ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "browser_busy",
                    err.to_string(),
                )
            },
            // The enum is open: whatever a newer engine adds is logged, not shown.
            _ => {
                tracing::error!(error = %err, "unexpected engine error");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::debug!(
            status = self.status.as_u16(),
            code = self.code,
            "request refused"
        );
        let body = json!({"error": {"code": self.code, "message": self.message}});
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
