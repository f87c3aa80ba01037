//! The auto-apply sessions REST API, as an axum [`Router`] other services can mount.
//!
//! [`router`] puts an [`Engine`] behind the public sessions contract (`shared/API.md`):
//!
//! | route | answers |
//! |---|---|
//! | `POST /api/auto-apply/sessions` | `201`, `Location`, the session state |
//! | `POST /api/auto-apply/sessions/{id}/answers` | `200`, the session state |
//! | `GET /api/auto-apply/sessions/{id}` | `200`, the session metadata |
//! | `DELETE /api/auto-apply/sessions/{id}` | `204` |
//! | `GET /healthz` | `200`, no key needed |
//! | `GET /openapi.json` | `200`, the OpenAPI 3.1 document, no key needed |
//!
//! Design choices:
//! - Every path under `/api/auto-apply/` needs a valid `X-Api-Key`, checked before routing,
//!   so a caller without a key learns nothing (not even which ids exist or which methods a
//!   route takes). Keys are compared in constant time.
//! - Every error, including axum's own (bad JSON, body too large, wrong method, no route)
//!   and a panic in a handler, is answered as `{"error": {"code", "message"}}`; a 500 never
//!   carries internals. A malformed session id in the path is a 404, like an unknown one: it
//!   names no session.
//! - Inline files are checked here (plain file name, valid base64, size) so a bad upload is
//!   a 400/413 before any browser work; local paths in file answers are refused unless they
//!   are inside the configured upload directory (checked here and again by the engine when
//!   it is built with [`ServerConfig::local_files`]).
//! - Requests are traced (method, path, status, latency), never their bodies: bodies hold
//!   applicants' answers.
//! - Engine calls may take seconds (a browser works); handlers simply await them.

#![deny(missing_docs)]

mod body;
mod error;
mod openapi;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequestParts, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use engine_core::{
    AnswerValue, AnswersRequest, Engine, FieldType, LocalFiles, SessionInfo, SessionState,
};
use serde_json::json;
use subtle::ConstantTimeEq;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::body::{AnswersBody, JsonBody, StartRequest};
pub use crate::error::ApiError;

/// The prefix of every session route.
pub const SESSIONS_PATH: &str = "/api/auto-apply/sessions";

/// Paths under this prefix need an API key.
const PROTECTED_PREFIX: &str = "/api/auto-apply/";

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// How the server behaves, beyond the engine's own configuration.
#[derive(Clone)]
pub struct ServerConfig {
    /// The API keys accepted in `X-Api-Key`. Empty keys are ignored; with none, every session
    /// route answers 401.
    pub api_keys: Vec<String>,
    /// The largest request body accepted, in bytes (413 beyond it). It must leave room for
    /// inline files: base64 makes them a third bigger.
    pub body_limit: usize,
    /// The directory local file paths in answers must be inside; `None` refuses local paths
    /// (remote callers send files inline).
    pub upload_dir: Option<PathBuf>,
}

impl ServerConfig {
    /// A config with these keys, a 16 MiB body limit and no local uploads.
    pub fn new(api_keys: Vec<String>) -> Self {
        ServerConfig {
            api_keys,
            body_limit: 16 * 1024 * 1024,
            upload_dir: None,
        }
    }

    /// The engine's [`LocalFiles`] rule that matches this config; build the engine with it.
    pub fn local_files(&self) -> LocalFiles {
        match &self.upload_dir {
            Some(dir) => LocalFiles::Within(dir.clone()),
            None => LocalFiles::Refused,
        }
    }
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Keys are secrets: only their number is shown.
        f.debug_struct("ServerConfig")
            .field(
                "api_keys",
                &format_args!("<{} redacted>", self.api_keys.len()),
            )
            .field("body_limit", &self.body_limit)
            .field("upload_dir", &self.upload_dir)
            .finish()
    }
}

struct AppState {
    engine: Engine,
    upload_dir: Option<PathBuf>,
}

type Shared = Arc<AppState>;

/// The sessions API over `engine`, with health and OpenAPI routes.
///
/// Build the engine with `local_files: config.local_files()` so it enforces the same upload
/// rule as the server.
pub fn router(engine: Engine, config: ServerConfig) -> Router {
    let keys: Arc<Vec<Vec<u8>>> = Arc::new(
        config
            .api_keys
            .iter()
            .map(|key| key.trim())
            .filter(|key| !key.is_empty())
            .map(|key| key.as_bytes().to_vec())
            .collect(),
    );
    if keys.is_empty() {
        tracing::warn!("no API keys are configured: every session route will answer 401");
    }
    if engine.config().local_files != config.local_files() {
        // The server checks paths itself, but only the engine sees the page an answer lands on.
        tracing::warn!(
            "the engine's local_files rule differs from the server's upload_dir: build the engine with ServerConfig::local_files()"
        );
    }
    let state = Arc::new(AppState {
        engine,
        upload_dir: config.upload_dir,
    });
    Router::new()
        .route(SESSIONS_PATH, post(start_session))
        .route(
            &format!("{SESSIONS_PATH}/{{id}}"),
            get(session_info).delete(end_session),
        )
        .route(
            &format!("{SESSIONS_PATH}/{{id}}/answers"),
            post(answer_session),
        )
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi_document))
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(middleware::from_fn_with_state(keys, require_api_key))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

async fn require_api_key(
    State(keys): State<Arc<Vec<Vec<u8>>>>,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with(PROTECTED_PREFIX) {
        return next.run(request).await;
    }
    let Some(given) = request.headers().get(API_KEY_HEADER) else {
        return ApiError::unauthorized(
            "the request has no `X-Api-Key` header: send your API key in it",
        )
        .into_response();
    };
    // Every key is compared, in constant time for keys of the same length.
    let valid = keys.iter().fold(subtle::Choice::from(0), |any, key| {
        any | key.as_slice().ct_eq(given.as_bytes())
    });
    if bool::from(valid) {
        next.run(request).await
    } else {
        ApiError::unauthorized(
            "the API key in `X-Api-Key` is not valid: check it, or ask for a new one",
        )
        .into_response()
    }
}

/// A session id from the path; a malformed one is a 404, since it names no session.
struct SessionId(Uuid);

impl<S: Send + Sync> FromRequestParts<S> for SessionId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::session_not_found("?"))?;
        Uuid::parse_str(&raw)
            .map(SessionId)
            .map_err(|_| ApiError::session_not_found(&shorten(&raw)))
    }
}

/// Keeps error messages short when a caller sends something huge.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 64 {
        return text.to_owned();
    }
    let head: String = text.chars().take(64).collect();
    format!("{head}…")
}

async fn start_session(
    State(state): State<Shared>,
    JsonBody(request): JsonBody<StartRequest>,
) -> Result<Response, ApiError> {
    let session = state.engine.start(&request.url).await?;
    let location = format!("{SESSIONS_PATH}/{}", session.id);
    let mut response = (StatusCode::CREATED, Json(session)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

async fn answer_session(
    State(state): State<Shared>,
    SessionId(id): SessionId,
    JsonBody(body): JsonBody<AnswersBody>,
) -> Result<Json<SessionState>, ApiError> {
    let current = state.engine.state(id)?;
    let request = AnswersRequest {
        answers: body
            .answers
            .into_iter()
            .map(body::AnswerBody::into_answer)
            .collect(),
        advance: body.advance,
    };
    let max_upload = state.engine.config().max_upload_bytes;
    for (index, answer) in request.answers.iter().enumerate() {
        match &answer.value {
            AnswerValue::File(file) => {
                check_inline_file(index, &file.filename, &file.content_base64, max_upload)?
            }
            AnswerValue::Text(text) => {
                let is_file_field = current
                    .fields
                    .iter()
                    .any(|f| f.field_id == answer.field_id && f.field_type == FieldType::File);
                if is_file_field && !text.trim().is_empty() {
                    check_local_path(
                        index,
                        &answer.field_id,
                        Path::new(text),
                        state.upload_dir.as_deref(),
                    )?;
                }
            }
        }
    }
    Ok(Json(state.engine.answer(id, request).await?))
}

fn check_inline_file(
    index: usize,
    filename: &str,
    content: &str,
    max_bytes: u64,
) -> Result<(), ApiError> {
    let invalid = |what: &str| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_file",
            format!("`answers[{index}].value`: {what}"),
        )
    };
    let plain = !filename.trim().is_empty()
        && filename.len() <= 255
        && filename != "."
        && filename != ".."
        && !filename.contains(['/', '\\', '\0']);
    if !plain {
        return Err(invalid(
            "`filename` must be a plain file name such as `resume.pdf` (no directories, at most 255 bytes)",
        ));
    }
    // Decoded size from the encoded length: refuses a huge file before decoding it.
    let estimated = (content.len() as u64 / 4) * 3;
    if estimated > max_bytes + 3 {
        return Err(file_too_large(index, max_bytes));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.as_bytes())
        .map_err(|err| invalid(&format!("`content_base64` is not valid base64 ({err}): encode the file with the standard alphabet and padding")))?;
    if bytes.is_empty() {
        return Err(invalid(
            "the file is empty: send the file's content in `content_base64`",
        ));
    }
    if bytes.len() as u64 > max_bytes {
        return Err(file_too_large(index, max_bytes));
    }
    Ok(())
}

fn file_too_large(index: usize, max_bytes: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        format!(
            "`answers[{index}].value`: the file is larger than the {max_bytes} bytes accepted: send a smaller file"
        ),
    )
}

fn check_local_path(
    index: usize,
    field_id: &str,
    path: &Path,
    upload_dir: Option<&Path>,
) -> Result<(), ApiError> {
    let refuse = |what: String| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "local_file_refused",
            format!("`answers[{index}]` (field `{field_id}`): {what}"),
        )
    };
    let Some(dir) = upload_dir else {
        return Err(refuse(
            "local file paths are not accepted by this server: send the file as {\"filename\", \"content_base64\"}".to_owned(),
        ));
    };
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
    let inside = path
        .canonicalize()
        .is_ok_and(|canonical| canonical.starts_with(&dir) && canonical.is_file());
    if inside {
        Ok(())
    } else {
        Err(refuse(format!(
            "the path is not a readable file inside the upload directory {}: put the file there, or send it as {{\"filename\", \"content_base64\"}}",
            dir.display()
        )))
    }
}

async fn session_info(
    State(state): State<Shared>,
    SessionId(id): SessionId,
) -> Result<Json<SessionInfo>, ApiError> {
    Ok(Json(state.engine.info(id)?))
}

async fn end_session(
    State(state): State<Shared>,
    SessionId(id): SessionId,
) -> Result<StatusCode, ApiError> {
    state.engine.end(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn healthz(State(state): State<Shared>) -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "open_sessions": state.engine.open_sessions()}))
}

async fn openapi_document() -> Json<serde_json::Value> {
    Json(openapi::document())
}

async fn no_route(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no route for {method} {}: the API is under {SESSIONS_PATH}; see /openapi.json",
            shorten(uri.path())
        ),
    )
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{method} is not allowed on {}: the `Allow` header lists the methods; see /openapi.json",
            shorten(uri.path())
        ),
    )
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The payload may name internals; it stays out of the answer and the log.
    tracing::error!("a request handler panicked");
    ApiError::internal().into_response()
}
