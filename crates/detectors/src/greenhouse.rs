//! Greenhouse: job-boards (React, `form#application-form`), legacy boards
//! (`form#application_form`, `job_application[...]` names) and the `/embed/job_app` iframe.
//!
//! Comboboxes (`input[role=combobox]` with a hidden required twin) are reported as `select`
//! (`multiselect` when the widget is a multi-value one): Greenhouse only accepts one of its
//! own options. Their options exist only once the menu is opened, so they are listed when the
//! snapshot holds the menu open and left empty otherwise (with a diagnostic). Location and
//! school pickers search a remote list and are `typeahead`.

use engine_core::{Field, FieldType};

use crate::dom::{Doc, NodeR, attr, class_contains, element_ancestors, full_text, has_class, tag};
use crate::fields::{Profile, Special};

/// The form's roots: the application form, else nothing (the caller falls back to generic).
pub(crate) fn roots<'a>(doc: &Doc<'a>) -> Vec<NodeR<'a>> {
    ["application-form", "application_form"]
        .iter()
        .filter_map(|id| doc.by_id(id))
        .filter(|n| tag(*n) == Some("form"))
        .take(1)
        .collect()
}

/// Greenhouse hooks.
pub(crate) const PROFILE: Profile = Profile {
    special,
    skip,
    label: |_, _| None,
    adjust,
};

fn special(_doc: &Doc<'_>, node: NodeR<'_>) -> Option<Special> {
    // The phone widget's country list is chrome, not a question.
    if attr(node, "role") == Some("listbox") && class_contains(node, "iti__country-list") {
        return Some(Special::SkipSubtree);
    }
    None
}

fn skip(doc: &Doc<'_>, node: NodeR<'_>) -> bool {
    // "Enter manually" textareas stand in for an upload that is still reported as the file.
    if let Some(id) = attr(node, "id")
        && let Some(base) = id.strip_suffix("_text")
        && doc
            .by_id(base)
            .is_some_and(|f| attr(f, "type") == Some("file"))
    {
        return true;
    }
    false
}

fn adjust(_doc: &Doc<'_>, node: NodeR<'_>, field: &mut Field) {
    let id = attr(node, "id").unwrap_or("");
    let is_combobox = attr(node, "role").is_some_and(|r| r.eq_ignore_ascii_case("combobox"));
    if is_combobox {
        let multi = element_ancestors(node)
            .take(4)
            .any(|a| class_contains(a, "--is-multi"));
        let label = field.label.to_lowercase();
        let searched = id == "candidate-location"
            || id.starts_with("school--")
            || id.starts_with("discipline--")
            || field.handler_type.as_deref() == Some("location")
            || label.contains("location")
            || label == "city";
        field.field_type = if searched {
            FieldType::Typeahead
        } else if multi
            || label.contains("mark all that apply")
            || label.contains("select all that apply")
        {
            FieldType::Multiselect
        } else {
            FieldType::Select
        };
        if id == "candidate-location" {
            field.handler_type = Some("location".to_owned());
        }
        // react-select shows the chosen option beside an empty input.
        if let Some(control) = element_ancestors(node)
            .take(5)
            .find(|a| class_contains(*a, "__control"))
        {
            let chosen: Vec<String> = control
                .descendants()
                .filter(|d| {
                    class_contains(*d, "__single-value")
                        || class_contains(*d, "__multi-value__label")
                })
                .map(full_text)
                .filter(|t| !t.is_empty())
                .collect();
            if !chosen.is_empty() {
                field.current_value = Some(chosen.join(","));
            }
        }
        if id == "country"
            && element_ancestors(node)
                .take(8)
                .any(|a| class_contains(a, "phone-input") || tag(a) == Some("fieldset"))
        {
            // The phone number's country (its dialling code), not where the applicant lives.
            field.handler_type = Some("phone-country".to_owned());
        }
    }
    match id {
        "resume" if field.field_type == FieldType::File => {
            field.handler_type = Some("resume".to_owned());
        }
        "cover_letter" if field.field_type == FieldType::File => {
            field.handler_type = Some("cover-letter".to_owned());
        }
        _ => {}
    }
    if let Some(name) = field.name.as_deref()
        && name == "job_application[location]"
    {
        field.handler_type = Some("location".to_owned());
    }
    if let Some(section) = education_section(node) {
        field.section = Some(section);
    }
}

/// The Education block of job-boards forms (school, degree, discipline, dates) titles itself
/// with a paragraph, not a heading, and the questions after it belong to no section of its,
/// so its title is given to the fields inside it only.
fn education_section(node: NodeR<'_>) -> Option<String> {
    let block = element_ancestors(node)
        .take(12)
        .find(|a| has_class(*a, "education--container"))?;
    let title = block
        .descendants()
        .find(|d| has_class(*d, "education--header"))
        .map(|header| crate::text::clean_label(&full_text(header)))
        .filter(|t| !t.is_empty() && t.len() < 80);
    Some(title.unwrap_or_else(|| "Education".to_owned()))
}
