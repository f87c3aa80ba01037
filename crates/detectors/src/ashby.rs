//! Ashby (`jobs.ashbyhq.com/<co>/<uuid>/application`): no `<form>`; each question is a
//! `div[data-field-path]` entry with a `label[for=<path>]` (class `_required…` when required).
//! System fields are `_systemfield_*`; custom ones use UUIDs. The "Autofill from resume" file
//! input (no id, no name) is a helper, not a question.
//!
//! Yes/No questions are two buttons plus a hidden checkbox. They are reported as `radio` with
//! the options `Yes` and `No`, `name` the hidden checkbox's name, and `selector` the entry
//! (`[data-field-path="…"]`): fill one by clicking the button whose text is the answer inside
//! it. Comboboxes (location, "how did you hear") are `typeahead`.

use engine_core::{Field, FieldOption, FieldType};

use crate::dom::{
    Doc, NodeR, attr, class_contains, collapse, css_string, element_ancestors, full_text, tag,
    text_segments,
};
use crate::fields::{Profile, Special, control_kind};
use crate::text::{clean_label, has_required_marker};

/// The form container (the job description beside it holds headings that are not sections),
/// else the whole body.
pub(crate) fn roots<'a>(doc: &Doc<'a>) -> Vec<NodeR<'a>> {
    let container = doc
        .body()
        .descendants()
        .find(|n| class_contains(*n, "ashby-application-form-container"))
        .or_else(|| {
            doc.by_id("form").filter(|f| {
                f.descendants()
                    .any(|d| attr(d, "data-field-path").is_some())
            })
        });
    vec![container.unwrap_or_else(|| doc.body())]
}

/// Ashby hooks.
pub(crate) const PROFILE: Profile = Profile {
    special,
    skip,
    label,
    adjust,
};

fn entry<'a>(node: NodeR<'a>) -> Option<NodeR<'a>> {
    element_ancestors(node)
        .take(8)
        .find(|a| attr(*a, "data-field-path").is_some())
}

/// Raw text of the entry's question label, with a `*` added when its class says required.
fn entry_label(doc: &Doc<'_>, path: &str) -> Option<String> {
    let label = doc.labels_for(path).next()?;
    let mut segs = Vec::new();
    text_segments(label, &crate::dom::is_error_node, &mut segs);
    let mut raw = crate::text::raw_join(&segs);
    if class_contains(label, "_required") && !has_required_marker(&raw) {
        raw.push_str(" *");
    }
    Some(raw)
}

fn special(doc: &Doc<'_>, node: NodeR<'_>) -> Option<Special> {
    if class_contains(node, "autofill-input-root") {
        return Some(Special::SkipSubtree);
    }
    let path = attr(node, "data-field-path")?;
    let buttons: Vec<String> = node
        .descendants()
        .filter(|d| tag(*d) == Some("button"))
        .map(full_text)
        .collect();
    let checkbox = node
        .descendants()
        .find(|d| tag(*d) == Some("input") && attr(*d, "type") == Some("checkbox"));
    let has_yes_no = buttons.iter().any(|b| b.eq_ignore_ascii_case("yes"))
        && buttons.iter().any(|b| b.eq_ignore_ascii_case("no"));
    let selector = format!("[data-field-path={}]", css_string(path));
    if let (true, Some(cb)) = (has_yes_no, checkbox) {
        let raw = entry_label(doc, path).unwrap_or_default();
        let name = attr(cb, "name").filter(|n| !n.is_empty()).unwrap_or(path);
        let mut field = Field::new(name, FieldType::Radio, clean_label(&raw));
        field.name = Some(name.to_owned());
        field.is_required = has_required_marker(&raw) || attr(cb, "required").is_some();
        field.options = ["Yes", "No"]
            .iter()
            .map(|o| FieldOption {
                value: (*o).to_owned(),
                text: (*o).to_owned(),
                is_selected: false,
            })
            .collect();
        field.selector = Some(selector);
        field.description = entry_description(node);
        field.handler_type = classify(&field);
        return Some(Special::Fields(vec![field]));
    }
    // A combobox with no id or name of its own: the entry's path names it.
    let combo = node.descendants().find(|d| {
        control_kind(*d).is_some()
            && attr(*d, "role").is_some_and(|r| r.eq_ignore_ascii_case("combobox"))
            && attr(*d, "id").is_none()
            && attr(*d, "name").is_none()
    });
    if let Some(combo) = combo {
        let raw = entry_label(doc, path).unwrap_or_default();
        let mut field = Field::new(path, FieldType::Typeahead, clean_label(&raw));
        field.is_required = has_required_marker(&raw) || attr(combo, "required").is_some();
        field.placeholder = attr(combo, "placeholder")
            .map(collapse)
            .filter(|p| !p.is_empty());
        field.selector = Some(format!("{selector} input[role=combobox]"));
        field.description = entry_description(node);
        field.handler_type = classify(&field);
        return Some(Special::Fields(vec![field]));
    }
    None
}

fn classify(field: &Field) -> Option<String> {
    crate::handler::classify(&crate::handler::Hints {
        label: &field.label,
        name: field.name.as_deref(),
        id: None,
        autocomplete: None,
        field_type: &field.field_type,
    })
    .map(str::to_owned)
}

fn entry_description(entry: NodeR<'_>) -> Option<String> {
    let d = entry.descendants().find(|d| {
        class_contains(*d, "_description") || class_contains(*d, "question-description")
    })?;
    let t = full_text(d);
    (!t.is_empty()).then_some(t)
}

fn skip(_doc: &Doc<'_>, node: NodeR<'_>) -> bool {
    // The resume-autofill helper: an upload with neither id nor name.
    attr(node, "type") == Some("file") && attr(node, "id").is_none() && attr(node, "name").is_none()
}

fn label(doc: &Doc<'_>, node: NodeR<'_>) -> Option<String> {
    let path = attr(entry(node)?, "data-field-path")?;
    entry_label(doc, path)
}

fn adjust(_doc: &Doc<'_>, node: NodeR<'_>, field: &mut Field) {
    let id = attr(node, "id").unwrap_or("");
    if id == "_systemfield_location" || field.name.as_deref() == Some("_systemfield_location") {
        field.field_type = FieldType::Typeahead;
        field.handler_type = Some("location".to_owned());
    }
    if id == "_systemfield_resume" {
        field.handler_type = Some("resume".to_owned());
    }
    if let Some(e) = entry(node)
        && field.description.is_none()
    {
        field.description = entry_description(e);
    }
}
