//! Lever (`jobs.lever.co/<co>/<uuid>/apply`): `form#application-form`, questions in
//! `li.application-question` with a `✱` marker, custom cards `cards[<uuid>][fieldN]` (radios in
//! `ul[data-qa=multiple-choice]`, checkboxes in `ul[data-qa=checkboxes]`), `eeo[...]` selects
//! and many hidden system inputs. The location box is a typeahead; the invisible hCaptcha is
//! not a challenge.

use engine_core::{Field, FieldType};

use crate::dom::{Doc, NodeR, attr, element_ancestors, has_class, tag, text_segments};
use crate::fields::{Profile, Special};

/// The application form.
pub(crate) fn roots<'a>(doc: &Doc<'a>) -> Vec<NodeR<'a>> {
    doc.by_id("application-form")
        .filter(|n| tag(*n) == Some("form"))
        .into_iter()
        .collect()
}

/// Lever hooks.
pub(crate) const PROFILE: Profile = Profile {
    special,
    skip,
    label,
    adjust,
};

fn special(_doc: &Doc<'_>, node: NodeR<'_>) -> Option<Special> {
    let id = attr(node, "id").unwrap_or("");
    if id == "h-captcha" || has_class(node, "h-captcha") || has_class(node, "awli-button-container")
    {
        return Some(Special::SkipSubtree);
    }
    None
}

fn skip(_doc: &Doc<'_>, node: NodeR<'_>) -> bool {
    matches!(
        attr(node, "name"),
        Some("selectedLocation" | "h-captcha-response" | "g-recaptcha-response")
    )
}

/// The question text of a card or standard question: `.application-label` in the question's
/// `li` (the class-free captures fall back to the generic rules).
fn label(_doc: &Doc<'_>, node: NodeR<'_>) -> Option<String> {
    let question = element_ancestors(node)
        .take(10)
        .find(|a| has_class(*a, "application-question"))?;
    let label = question
        .descendants()
        .find(|d| has_class(*d, "application-label"))?;
    let text_el = label
        .descendants()
        .find(|d| has_class(*d, "text"))
        .unwrap_or(label);
    let mut segs = Vec::new();
    text_segments(
        text_el,
        &|n| has_class(n, "description") || tag(n) == Some("a"),
        &mut segs,
    );
    // The `✱` sits in a sibling span when `.text` is used.
    let required = label.descendants().any(|d| has_class(d, "required"));
    let mut raw = crate::text::raw_join(&segs);
    if required && !raw.contains('✱') {
        raw.push_str(" ✱");
    }
    (!raw.trim().is_empty()).then_some(raw)
}

fn adjust(_doc: &Doc<'_>, node: NodeR<'_>, field: &mut Field) {
    let name = attr(node, "name").unwrap_or("");
    if name == "location" || attr(node, "id") == Some("location-input") {
        field.field_type = FieldType::Typeahead;
        field.handler_type = Some("location".to_owned());
    }
    if name == "resume" && field.field_type == FieldType::File {
        field.handler_type = Some("resume".to_owned());
    }
    if name == "org" && field.handler_type.is_none() {
        field.handler_type = None;
    }
    // Card help text sits in `p.description` beside the question.
    if field.description.is_none()
        && let Some(question) = element_ancestors(node)
            .take(10)
            .find(|a| has_class(*a, "application-question"))
        && let Some(d) = question
            .descendants()
            .find(|d| has_class(*d, "description"))
    {
        let t = crate::dom::full_text(d);
        if !t.is_empty() {
            field.description = Some(t);
        }
    }
}
