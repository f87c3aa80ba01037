//! The routes and pages of the mock ATS.

pub(crate) mod ashby;
pub(crate) mod generic;
pub(crate) mod greenhouse;
pub(crate) mod lever;
pub(crate) mod misc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::record::{read_multipart, read_urlencoded};
use crate::{Flow, MockState, Submission};

/// Uploads bigger than this are refused (413); resumes are far smaller.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The mock ATS's routes, for mounting in another server. `state` records the submissions.
pub fn router(state: MockState) -> Router {
    Router::new()
        .merge(misc::routes())
        .merge(greenhouse::routes())
        .merge(lever::routes())
        .merge(ashby::routes())
        .merge(generic::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Reads a posted form (multipart or urlencoded) into a submission for `flow`.
pub(crate) async fn read_form(flow: Flow, request: Request) -> Result<Submission, Response> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    if is_multipart {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(IntoResponse::into_response)?;
        read_multipart(flow, multipart)
            .await
            .map_err(|err| bad_request(&format!("could not read the form: {}", err.body_text())))
    } else {
        let body = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
            .await
            .map_err(|err| bad_request(&format!("could not read the form: {err}")))?;
        Ok(read_urlencoded(flow, &body))
    }
}

fn bad_request(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(crate::html::document(
            "Bad request",
            "",
            &format!(
                "<body><h1>Bad request</h1><p>{}</p></body>",
                crate::html::esc(message)
            ),
        )),
    )
        .into_response()
}

/// A `303 See Other` to `location` (the answer to a successful POST).
pub(crate) fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// What a form page is rendered with: the values posted last time and the errors to show.
pub(crate) struct Posted<'a> {
    pub(crate) values: Option<&'a Submission>,
    pub(crate) errors: Vec<(&'static str, &'static str)>,
}

impl Posted<'_> {
    /// A blank form.
    pub(crate) fn empty() -> Posted<'static> {
        Posted {
            values: None,
            errors: Vec::new(),
        }
    }

    /// The value posted under `name`, empty when none.
    pub(crate) fn value(&self, name: &str) -> &str {
        self.values
            .and_then(|values| values.field(name))
            .unwrap_or_default()
    }

    /// Whether `value` was among the values posted under `name`.
    pub(crate) fn has_value(&self, name: &str, value: &str) -> bool {
        self.values
            .is_some_and(|values| values.values(name).contains(&value))
    }

    /// The error message for field `id`.
    pub(crate) fn error(&self, id: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(field, _)| *field == id)
            .map(|(_, message)| *message)
    }
}
