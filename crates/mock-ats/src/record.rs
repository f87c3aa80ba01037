//! Reading posted forms into [`Submission`]s exactly as received.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;

use crate::{Flow, Submission, UploadedFile};

/// Reads every part of a multipart body, in order. Empty file inputs (no file name and no
/// bytes, which browsers send for a file input left blank) are skipped.
pub(crate) async fn read_multipart(
    flow: Flow,
    mut multipart: Multipart,
) -> Result<Submission, MultipartError> {
    let mut submission = Submission {
        flow,
        fields: Vec::new(),
        files: Vec::new(),
    };
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await?;
        match filename {
            Some(filename) => {
                if filename.is_empty() && bytes.is_empty() {
                    continue;
                }
                submission.files.push(UploadedFile {
                    field: name,
                    filename,
                    content: bytes.to_vec(),
                });
            }
            None => {
                let value = String::from_utf8_lossy(&bytes).into_owned();
                submission.fields.push((name, value));
            }
        }
    }
    Ok(submission)
}

/// Reads an `application/x-www-form-urlencoded` body (forms posted without files).
pub(crate) fn read_urlencoded(flow: Flow, body: &[u8]) -> Submission {
    Submission {
        flow,
        fields: url::form_urlencoded::parse(body).into_owned().collect(),
        files: Vec::new(),
    }
}

impl Submission {
    /// The trimmed first value of `name`, empty when absent.
    pub(crate) fn text(&self, name: &str) -> &str {
        self.field(name).map(str::trim).unwrap_or_default()
    }

    /// Whether a non-empty file was posted under `name`.
    pub(crate) fn has_file(&self, name: &str) -> bool {
        self.files.iter().any(|file| {
            file.field == name && !(file.filename.is_empty() && file.content.is_empty())
        })
    }
}
