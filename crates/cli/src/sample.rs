//! Built-in sample answers for the demo: chosen from each field's handler type, type and
//! label, so they fit whatever ids a page uses.

use std::path::PathBuf;

use engine_core::{Answer, AnswerValue, Field, FieldOption, FieldType};

/// Sample files for upload fields, in a directory removed when this is dropped.
pub struct SampleFiles {
    _dir: tempfile::TempDir,
    /// A small PDF résumé.
    pub resume: PathBuf,
    /// A small PDF cover letter.
    pub cover_letter: PathBuf,
}

impl SampleFiles {
    /// Writes the sample files into a fresh temporary directory.
    pub fn create() -> std::io::Result<SampleFiles> {
        let dir = tempfile::Builder::new()
            .prefix("autoapply-demo-")
            .tempdir()?;
        let resume = dir.path().join("ada-lovelace-resume.pdf");
        std::fs::write(&resume, pdf("Ada Lovelace - Resume"))?;
        let cover_letter = dir.path().join("ada-lovelace-cover-letter.pdf");
        std::fs::write(&cover_letter, pdf("Ada Lovelace - Cover letter"))?;
        Ok(SampleFiles {
            _dir: dir,
            resume,
            cover_letter,
        })
    }
}

/// A minimal one-page PDF showing `text`.
fn pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Answers for the fields a demo applicant fills in: every required field, and optional
/// ones whose meaning is known.
pub fn answers(fields: &[Field], files: &SampleFiles) -> Vec<Answer> {
    fields
        .iter()
        .filter(|field| field.is_required || field.handler_type.as_deref().is_some_and(is_contact))
        .filter(|field| !has_value(field))
        .filter_map(|field| answer(field, files))
        .collect()
}

/// Whether the page already shows an answer. An unchecked box reads `"false"`: no answer.
pub fn has_value(field: &Field) -> bool {
    let value = field.current_value.as_deref().map_or("", str::trim);
    let unchecked =
        matches!(field.field_type, FieldType::Checkbox | FieldType::Toggle) && value == "false";
    !value.is_empty() && !unchecked
}

fn is_contact(handler_type: &str) -> bool {
    matches!(
        handler_type,
        "first-name"
            | "last-name"
            | "full-name"
            | "name"
            | "email"
            | "phone"
            | "linkedin"
            | "resume"
    )
}

/// The sample answer for one field, if there is a sensible one.
pub fn answer(field: &Field, files: &SampleFiles) -> Option<Answer> {
    let key = describe(field);
    let mut answer = Answer::new(&field.field_id, "");
    answer.value = match &field.field_type {
        FieldType::File => {
            let path = if key.contains("cover") {
                &files.cover_letter
            } else {
                &files.resume
            };
            AnswerValue::from(path.clone())
        }
        FieldType::Select | FieldType::Radio | FieldType::Multiselect => {
            match choose(field, &key) {
                Some(option) => AnswerValue::from(option.value.as_str()),
                // Options the snapshot does not list (a combobox rendered on demand): type text.
                None => AnswerValue::from(text_for(&key, &field.field_type)),
            }
        }
        FieldType::Checkbox if field.options.len() > 1 => {
            AnswerValue::from(choose(field, &key)?.value.as_str())
        }
        FieldType::Checkbox | FieldType::Toggle => AnswerValue::from("true"),
        FieldType::Date => AnswerValue::from("2026-01-15"),
        FieldType::Number => {
            AnswerValue::from(if key.contains("salary") || key.contains("compensation") {
                "120000"
            } else {
                "5"
            })
        }
        FieldType::Typeahead => {
            answer.typeahead_selection = field.options.first().map(|o| o.text.clone());
            AnswerValue::from(text_for(&key, &field.field_type))
        }
        _ => AnswerValue::from(text_for(&key, &field.field_type)),
    };
    Some(answer)
}

/// Lowercase text that says what the field is: handler type, label, name, id, section.
fn describe(field: &Field) -> String {
    [
        field.handler_type.as_deref(),
        Some(field.label.as_str()),
        field.name.as_deref(),
        Some(field.field_id.as_str()),
        field.section.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase()
}

fn is_placeholder(option: &FieldOption) -> bool {
    let text = option.text.trim().to_lowercase();
    option.value.trim().is_empty()
        || text.is_empty()
        || text.starts_with("select")
        || text.starts_with("choose")
        || text.starts_with("please")
        || text.starts_with("--")
}

/// The option a cautious applicant picks: declines self-identification, confirms work
/// authorization, needs no sponsorship, and otherwise takes the first real choice.
fn choose<'a>(field: &'a Field, key: &str) -> Option<&'a FieldOption> {
    let options: Vec<&FieldOption> = field
        .options
        .iter()
        .filter(|o| !is_placeholder(o))
        .collect();
    let find = |words: &[&str]| {
        options
            .iter()
            .find(|o| {
                let text = o.text.to_lowercase();
                words.iter().any(|w| text.contains(w))
            })
            .copied()
    };
    let eeo = [
        "gender",
        "race",
        "ethnic",
        "hispanic",
        "veteran",
        "disability",
        "eeo",
        "self-identif",
        "sex",
    ]
    .iter()
    .any(|w| key.contains(w));
    let preferred = if eeo {
        find(&[
            "decline",
            "don't wish",
            "do not wish",
            "prefer not",
            "not to",
        ])
    } else if key.contains("sponsor") {
        find(&["no"])
    } else if [
        "authoriz",
        "eligible",
        "legally",
        "consent",
        "agree",
        "acknowledge",
        "privacy",
    ]
    .iter()
    .any(|w| key.contains(w))
    {
        find(&["yes", "agree", "i acknowledge", "i consent"])
    } else {
        None
    };
    preferred.or_else(|| options.first().copied())
}

/// Text for a field, from what it means.
fn text_for(key: &str, field_type: &FieldType) -> String {
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    // The phone number's country: the country of the sample number below.
    let text = if has(&["phone-country"]) {
        "United Kingdom"
    } else if has(&[
        "first-name",
        "first name",
        "given",
        "first_name",
        "firstname",
    ]) {
        "Ada"
    } else if has(&[
        "last-name",
        "last name",
        "surname",
        "family",
        "last_name",
        "lastname",
    ]) {
        "Lovelace"
    } else if has(&["email", "e-mail"]) {
        "ada.lovelace@example.com"
    } else if has(&["phone", "mobile", "tel"]) {
        "+44 20 7946 0958"
    } else if has(&["linkedin"]) {
        "https://www.linkedin.com/in/ada-lovelace"
    } else if has(&["github"]) {
        "https://github.com/ada-lovelace"
    } else if has(&["website", "portfolio", "url", "blog"]) {
        "https://ada.example.com"
    } else if has(&["location", "city", "address", "where do you live"]) {
        "London"
    } else if has(&["country"]) {
        "United Kingdom"
    } else if has(&["company", "employer", "org"]) {
        "Analytical Engine Co."
    } else if has(&["salary", "compensation", "pay"]) {
        "120000"
    } else if has(&["years", "experience"]) && !matches!(field_type, FieldType::Textarea) {
        "10"
    } else if has(&["school", "university", "college"]) {
        "University of London"
    } else if has(&["pronoun"]) {
        "she/her"
    } else if has(&["hear", "source", "referr"]) {
        "Company website"
    } else if has(&["start", "notice", "available"]) {
        "In two weeks"
    } else if has(&["cover"]) {
        "Dear hiring team, I would love to bring my experience with analytical engines to your team."
    } else if has(&["full-name", "full name", "name"]) {
        "Ada Lovelace"
    } else if matches!(field_type, FieldType::Textarea | FieldType::Richtext) {
        "I enjoy building reliable tools and would love to help your team ship them."
    } else {
        "Yes"
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_country_gets_the_sample_numbers_country() {
        let key = "phone-country country country phone";
        assert_eq!(text_for(key, &FieldType::Typeahead), "United Kingdom");
        assert_eq!(
            text_for("phone phone", &FieldType::Text),
            "+44 20 7946 0958"
        );
        assert_eq!(
            text_for("country country", &FieldType::Text),
            "United Kingdom"
        );
    }
}
