//! Checking a caller's answers against the current page's fields, before any browser work.
//!
//! Every problem becomes a [`ValidationError`] naming the field, so the caller can fix all of
//! them at once. Messages never repeat the answer: answers are personal data.

use std::collections::HashSet;

use base64::Engine as _;

use crate::wire::{Answer, AnswerValue, Field, FieldType, ValidationError};

/// Checks `answers` against `fields`.
///
/// `answered` holds the ids of fields answered earlier on this page; when `advance` is set, a
/// required field with no answer now, no earlier answer and no value on the page is missing.
pub fn check_answers(
    fields: &[Field],
    answers: &[Answer],
    advance: bool,
    answered: &HashSet<String>,
) -> Vec<ValidationError> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for answer in answers {
        if !seen.insert(answer.field_id.as_str()) {
            problems.push(ValidationError::field(
                &answer.field_id,
                "the field is answered twice: send one answer per field",
            ));
            continue;
        }
        let Some(field) = fields.iter().find(|f| f.field_id == answer.field_id) else {
            problems.push(ValidationError::field(
                &answer.field_id,
                "no field with this id on the current page: use a field_id from `fields`",
            ));
            continue;
        };
        if let Err(message) = check_value(field, answer) {
            problems.push(ValidationError::field(&field.field_id, message));
        }
    }
    if advance {
        for field in fields.iter().filter(|f| f.is_required) {
            let given = answers
                .iter()
                .find(|a| a.field_id == field.field_id)
                .is_some_and(|a| match &a.value {
                    AnswerValue::Text(text) => !field.is_no_answer(text),
                    AnswerValue::File(file) => !file.content_base64.is_empty(),
                });
            let on_page = field.shows_answer();
            if !given && !on_page && !answered.contains(&field.field_id) {
                problems.push(ValidationError::field(
                    &field.field_id,
                    format!("`{}` is required: answer it before advancing", field.label),
                ));
            }
        }
    }
    problems
}

/// Checks one answer's value against its field; the error is the message.
fn check_value(field: &Field, answer: &Answer) -> Result<(), String> {
    if field.field_type == FieldType::File {
        return check_file(field, &answer.value);
    }
    let AnswerValue::Text(text) = &answer.value else {
        return Err(format!(
            "a file was sent for a `{}` field: send a string value",
            field.field_type
        ));
    };
    if text.is_empty() && !field.is_required {
        // An empty answer clears an optional field.
        return Ok(());
    }
    if let Some(max) = field.constraints.max_length {
        let len = text.chars().count();
        if len > max as usize {
            return Err(format!(
                "the answer is {len} characters long; this field takes at most {max}"
            ));
        }
    }
    match &field.field_type {
        FieldType::Select | FieldType::Radio => check_choice(field, text),
        FieldType::Multiselect => check_choices(field, text),
        _ if field.is_boolean() => check_boolean(field, text),
        FieldType::Checkbox => check_choices(field, text),
        FieldType::Date => check_date(text),
        FieldType::Number => check_number(text),
        _ => Ok(()),
    }
}

fn option_matches(field: &Field, choice: &str) -> bool {
    let choice = choice.trim();
    field
        .options
        .iter()
        .any(|o| o.value == choice || o.text.trim().eq_ignore_ascii_case(choice))
}

fn option_list(field: &Field) -> String {
    let mut values: Vec<&str> = field.options.iter().map(|o| o.value.as_str()).collect();
    if values.len() > 12 {
        values.truncate(12);
        values.push("…");
    }
    values.join(", ")
}

fn check_choice(field: &Field, text: &str) -> Result<(), String> {
    // Options unknown in the snapshot (filled in by script later): the browser decides.
    if field.options.is_empty() || option_matches(field, text) {
        Ok(())
    } else {
        Err(format!(
            "the answer is not one of this field's options: use one of {}",
            option_list(field)
        ))
    }
}

fn check_choices(field: &Field, text: &str) -> Result<(), String> {
    if field.options.is_empty() {
        return Ok(());
    }
    let unknown = text
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .filter(|part| !option_matches(field, part))
        .count();
    if unknown == 0 {
        Ok(())
    } else {
        Err(format!(
            "{unknown} of the comma-separated values are not options of this field: use values from {}",
            option_list(field)
        ))
    }
}

fn check_boolean(field: &Field, text: &str) -> Result<(), String> {
    let single_option = field.options.len() == 1 && option_matches(field, text);
    if matches!(text.trim(), "true" | "false") || single_option {
        Ok(())
    } else {
        Err(format!(
            "a `{}` field takes \"true\" or \"false\"",
            field.field_type
        ))
    }
}

fn check_date(text: &str) -> Result<(), String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), format)
        .map(|_| ())
        .map_err(|_| "the date is not a valid YYYY-MM-DD date".to_owned())
}

fn check_number(text: &str) -> Result<(), String> {
    match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(()),
        _ => Err("the answer is not a number: send digits, e.g. \"42\" or \"3.5\"".to_owned()),
    }
}

fn check_file(field: &Field, value: &AnswerValue) -> Result<(), String> {
    let (filename, size) = match value {
        AnswerValue::Text(path) => {
            if path.trim().is_empty() {
                return Ok(());
            }
            let name = std::path::Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, None)
        }
        AnswerValue::File(file) => {
            if file.filename.trim().is_empty()
                || file.filename.contains(['/', '\\', '\0'])
                || file.filename == ".."
            {
                return Err(
                    "the file name is empty or contains a path: send a plain name like resume.pdf"
                        .to_owned(),
                );
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(file.content_base64.as_bytes())
                .map_err(|err| format!("content_base64 is not valid base64 ({err})"))?;
            (file.filename.clone(), Some(bytes.len() as u64))
        }
    };
    if let (Some(size), Some(max)) = (size, field.constraints.max_file_size_bytes)
        && size > max
    {
        return Err(format!(
            "the file is {size} bytes; this field takes at most {max}"
        ));
    }
    let extensions: Vec<String> = field
        .constraints
        .accepted_file_types
        .iter()
        .filter(|t| t.starts_with('.'))
        .map(|t| t.to_ascii_lowercase())
        .collect();
    // Only extension lists are checked; MIME types are left to the ATS.
    let only_extensions = extensions.len() == field.constraints.accepted_file_types.len();
    if !extensions.is_empty() && only_extensions {
        let lower = filename.to_ascii_lowercase();
        if !extensions.iter().any(|ext| lower.ends_with(ext.as_str())) {
            return Err(format!(
                "the file type is not accepted here: use one of {}",
                extensions.join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{FieldOption, InlineFile};

    fn field(id: &str, field_type: FieldType, required: bool) -> Field {
        let mut f = Field::new(id, field_type, id.replace('_', " "));
        f.is_required = required;
        f
    }

    fn with_options(mut f: Field, options: &[(&str, &str)]) -> Field {
        f.options = options
            .iter()
            .map(|(value, text)| FieldOption {
                value: (*value).into(),
                text: (*text).into(),
                is_selected: false,
            })
            .collect();
        f
    }

    fn page() -> Vec<Field> {
        let mut bio = field("bio", FieldType::Textarea, false);
        bio.constraints.max_length = Some(10);
        let mut resume = field("resume", FieldType::File, true);
        resume.constraints.accepted_file_types = vec![".pdf".into(), ".docx".into()];
        resume.constraints.max_file_size_bytes = Some(8);
        vec![
            field("first_name", FieldType::Text, true),
            bio,
            with_options(
                field("country", FieldType::Select, true),
                &[("us", "United States"), ("ca", "Canada")],
            ),
            with_options(
                field("langs", FieldType::Checkbox, false),
                &[("rust", "Rust"), ("go", "Go")],
            ),
            with_options(
                field("skills", FieldType::Multiselect, false),
                &[("a", "A"), ("b", "B")],
            ),
            field("consent", FieldType::Checkbox, false),
            field("remote", FieldType::Toggle, false),
            field("start", FieldType::Date, false),
            field("years", FieldType::Number, false),
            resume,
        ]
    }

    fn check(answers: &[Answer], advance: bool) -> Vec<(Option<String>, String)> {
        check_answers(&page(), answers, advance, &HashSet::new())
            .into_iter()
            .map(|e| (e.field_id, e.message))
            .collect()
    }

    fn inline(name: &str, bytes: &[u8]) -> AnswerValue {
        AnswerValue::File(InlineFile {
            filename: name.into(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    #[test]
    fn good_answers_pass() {
        let answers = vec![
            Answer::new("first_name", "Ada"),
            Answer::new("bio", "short"),
            Answer::new("country", "Canada"),
            Answer::new("langs", "rust, go"),
            Answer::new("skills", "a"),
            Answer::new("consent", "true"),
            Answer::new("remote", "false"),
            Answer::new("start", "2027-02-28"),
            Answer::new("years", "3.5"),
            Answer::new("resume", inline("cv.PDF", b"%PDF")),
        ];
        assert_eq!(check(&answers, true), vec![]);
    }

    #[test]
    fn each_bad_answer_names_its_field() {
        let answers = vec![
            Answer::new("nope", "x"),
            Answer::new("bio", "far too long for this"),
            Answer::new("country", "mars"),
            Answer::new("langs", "rust,cobol"),
            Answer::new("consent", "yes"),
            Answer::new("remote", "1"),
            Answer::new("start", "2027-02-30"),
            Answer::new("years", "many"),
            Answer::new("first_name", inline("a.pdf", b"x")),
        ];
        let got = check(&answers, false);
        let ids: Vec<_> = got
            .iter()
            .map(|(id, _)| id.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            ids,
            [
                "nope",
                "bio",
                "country",
                "langs",
                "consent",
                "remote",
                "start",
                "years",
                "first_name"
            ]
        );
        for (_, message) in &got {
            assert!(
                !message.contains("far too long"),
                "answer echoed: {message}"
            );
            assert!(!message.contains("mars"), "answer echoed: {message}");
        }
    }

    #[test]
    fn missing_required_answers_block_advancing_only() {
        let answers = vec![Answer::new("bio", "hi")];
        assert_eq!(check(&answers, false), vec![]);
        let missing: Vec<_> = check(&answers, true)
            .into_iter()
            .filter_map(|(id, _)| id)
            .collect();
        assert_eq!(missing, ["first_name", "country", "resume"]);
        // Answered earlier on this page, or shown on the page: not missing.
        let answered: HashSet<String> = ["first_name".to_owned(), "resume".to_owned()].into();
        let mut fields = page();
        fields[2].current_value = Some("us".into());
        assert!(check_answers(&fields, &answers, true, &answered).is_empty());
    }

    #[test]
    fn files_are_checked_for_type_size_name_and_encoding() {
        let cases = [
            (inline("cv.exe", b"MZ"), "not accepted"),
            (inline("cv.pdf", b"123456789"), "at most 8"),
            (inline("../cv.pdf", b"1"), "plain name"),
            (
                AnswerValue::File(InlineFile {
                    filename: "cv.pdf".into(),
                    content_base64: "***".into(),
                }),
                "not valid base64",
            ),
        ];
        for (value, expected) in cases {
            let got = check(&[Answer::new("resume", value)], false);
            assert_eq!(got.len(), 1);
            assert!(got[0].1.contains(expected), "{:?}", got[0]);
        }
    }

    #[test]
    fn an_unticked_required_box_is_not_an_answer() {
        let mut consent = field("consent", FieldType::Checkbox, true);
        consent.current_value = Some("false".into());
        let fields = vec![consent];
        let none = HashSet::new();
        assert_eq!(check_answers(&fields, &[], true, &none).len(), 1);
        let untick = [Answer::new("consent", "false")];
        assert_eq!(check_answers(&fields, &untick, true, &none).len(), 1);
        let tick = [Answer::new("consent", "true")];
        assert!(check_answers(&fields, &tick, true, &none).is_empty());
    }

    #[test]
    fn duplicate_answers_are_refused() {
        let got = check(&[Answer::new("bio", "a"), Answer::new("bio", "b")], false);
        assert_eq!(got.len(), 1);
        assert!(got[0].1.contains("twice"));
    }
}
