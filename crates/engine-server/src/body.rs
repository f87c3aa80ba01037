//! Request bodies: our own JSON extractor and the request shapes as callers send them.
//!
//! axum's `Json` answers bad bodies in plain text; this extractor answers every problem in
//! the API's JSON error shape, naming the JSON path that is wrong (`answers[2].field_id`).
//! Unknown fields are ignored, so clients of the public API that send more keep working.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use engine_core::{Answer, AnswerValue, FieldType, InlineFile};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use crate::error::ApiError;

/// A JSON body of type `T`, or an [`ApiError`] saying what is wrong with it.
pub(crate) struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        check_content_type(req.headers().get(header::CONTENT_TYPE))?;
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is larger than this server accepts: send smaller files, or fewer at a time",
                )
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_body",
                    "the request body could not be read: send it again",
                )
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

fn check_content_type(value: Option<&header::HeaderValue>) -> Result<(), ApiError> {
    let refuse = |what: String| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("{what}: send the body as JSON with `Content-Type: application/json`"),
        )
    };
    let Some(value) = value else {
        return Err(refuse("the request has no content type".to_owned()));
    };
    let text = value.to_str().unwrap_or_default();
    let essence = text
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let is_json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if is_json {
        Ok(())
    } else {
        Err(refuse(format!("the content type `{text}` is not JSON")))
    }
}

/// Parses `bytes` as a `T`, with the path of the problem in the message.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "the request body is empty: send a JSON object",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        body_error(&path, &inner)
    })?;
    deserializer.end().map_err(|err| body_error(".", &err))?;
    Ok(value)
}

fn body_error(path: &str, err: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the request body is not valid JSON: {err}"),
        ),
        Category::Data => {
            let message = if path == "." || path.is_empty() {
                format!("the request body has the wrong shape: {err}")
            } else {
                format!("the request body has the wrong shape at `{path}`: {err}")
            };
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", message)
        }
    }
}

/// `POST /sessions`.
#[derive(Debug, Deserialize)]
#[serde(rename = "StartRequest")]
pub(crate) struct StartRequest {
    /// The application URL.
    pub url: String,
}

/// `POST /sessions/{id}/answers`, as sent.
#[derive(Deserialize)]
#[serde(rename = "AnswersRequest")]
pub(crate) struct AnswersBody {
    pub answers: Vec<AnswerBody>,
    #[serde(default = "default_true")]
    pub advance: bool,
}

fn default_true() -> bool {
    true
}

/// One answer, as sent. `value` is checked by hand so its error never echoes the answer.
#[derive(Deserialize)]
#[serde(rename = "Answer")]
pub(crate) struct AnswerBody {
    pub field_id: String,
    pub value: ValueBody,
    #[serde(default, rename = "type")]
    pub field_type: Option<FieldType>,
    #[serde(default)]
    pub typeahead_selection: Option<String>,
    #[serde(default)]
    pub handler_type: Option<String>,
    #[serde(default)]
    pub clear_first: Option<bool>,
}

impl AnswerBody {
    pub(crate) fn into_answer(self) -> Answer {
        Answer {
            field_id: self.field_id,
            value: self.value.0,
            field_type: self.field_type,
            typeahead_selection: self.typeahead_selection,
            handler_type: self.handler_type,
            clear_first: self.clear_first.unwrap_or(false),
        }
    }
}

/// An answer's value: a string (numbers and booleans are taken as their text), or an inline
/// file `{filename, content_base64}`.
pub(crate) struct ValueBody(pub AnswerValue);

impl<'de> Deserialize<'de> for ValueBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        let expected =
            "expected a string, or an object {\"filename\", \"content_base64\"} for a file";
        let value = Value::deserialize(deserializer)?;
        let text = |text: String| Ok(ValueBody(AnswerValue::Text(text)));
        match value {
            Value::String(s) => text(s),
            Value::Bool(b) => text(b.to_string()),
            Value::Number(n) => text(n.to_string()),
            Value::Null => Err(D::Error::custom(format!("the value is null; {expected}"))),
            Value::Array(_) => Err(D::Error::custom(format!(
                "the value is an array; {expected} (several choices go comma-separated in one string)"
            ))),
            Value::Object(mut map) => {
                let mut take = |key: &str| match map.remove(key) {
                    Some(Value::String(s)) => Ok(s),
                    Some(_) => Err(D::Error::custom(format!(
                        "`{key}` of a file must be a string"
                    ))),
                    None => Err(D::Error::custom(format!(
                        "a file value needs `{key}`; {expected}"
                    ))),
                };
                let filename = take("filename")?;
                let content_base64 = take("content_base64")?;
                Ok(ValueBody(AnswerValue::File(InlineFile {
                    filename,
                    content_base64,
                })))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_errors_name_the_path_and_never_echo_the_answer() {
        let err =
            parse::<AnswersBody>(br#"{"answers": [{"field_id": "a", "value": ["Secret Name"]}]}"#)
                .err()
                .map(|e| e.message)
                .unwrap_or_default();
        assert!(err.contains("answers[0].value"), "{err}");
        assert!(!err.contains("Secret"), "{err}");
    }

    #[test]
    fn content_types() {
        let ok = [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/merge+json",
        ];
        for text in ok {
            assert!(
                check_content_type(Some(&header::HeaderValue::from_static(text))).is_ok(),
                "{text}"
            );
        }
        let bad = [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "",
        ];
        for text in bad {
            assert!(
                check_content_type(Some(&header::HeaderValue::from_static(text))).is_err(),
                "{text}"
            );
        }
        assert!(check_content_type(None).is_err());
    }
}
