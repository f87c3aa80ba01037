//! Any other HTML form, plus the cheap per-ATS touches for Workday, SmartRecruiters, Workable,
//! BambooHR, JazzHR and Jobvite, which otherwise go through the same generic rules.
//!
//! Labels come from (in order) `aria-labelledby`, `label[for]`, a wrapping `<label>`, a
//! fieldset legend or labelled group, `aria-label`, the nearest text before the control that
//! belongs to no other control, then placeholder, title and name.

use engine_core::{Field, FieldType, ProviderId};
use html5ever::local_name;

use crate::dom::{
    Doc, NodeR, attr, ci_contains, ci_contains_any, class_contains, element_ancestors, full_text,
    tag, text_segments,
};
use crate::fields::{Profile, Special, control_kind};
use crate::text::{has_label_text, has_required_marker};

/// The parts of the page that hold the application: its forms (search and login-less
/// newsletter forms aside), else the whole body.
pub(crate) fn roots<'a>(doc: &Doc<'a>, provider: Option<&ProviderId>) -> Vec<NodeR<'a>> {
    let forms: Vec<NodeR<'a>> = doc
        .nodes(&doc.forms)
        .filter(|f| !is_search_form(*f) && !is_newsletter_form(*f))
        .filter(|f| !element_ancestors(*f).any(skip_chrome))
        .filter(|f| f.descendants().any(|d| control_kind(d).is_some()))
        .collect();
    let mut roots = if forms.is_empty() {
        vec![doc.body()]
    } else {
        forms
    };
    if provider == Some(&ProviderId::Jobvite) {
        // Jobvite's upload inputs live in pop-up menus outside the form.
        roots.extend(
            doc.nodes(&doc.dialogs)
                .filter(|n| class_contains(*n, "jv-add-attachment")),
        );
    }
    roots
}

/// Newsletter sign-ups are not applications.
fn is_newsletter_form(form: NodeR<'_>) -> bool {
    let action = attr(form, "action").unwrap_or("");
    let class = attr(form, "class").unwrap_or("");
    if ci_contains(action, "newsletter")
        || ci_contains(action, "subscribe")
        || ci_contains(class, "newsletter")
        || ci_contains(action, "job-alert")
        || ci_contains(action, "job_alert")
    {
        return true;
    }
    // A small form that says it subscribes you to something.
    let controls = form
        .descendants()
        .filter(|d| control_kind(*d).is_some())
        .take(3)
        .count();
    controls <= 2 && {
        let text = full_text(form).to_lowercase();
        text.contains("job alert") || text.contains("newsletter") || text.contains("subscribe")
    }
}

/// Site search boxes are not applications.
fn is_search_form(form: NodeR<'_>) -> bool {
    if attr(form, "role") == Some("search") {
        return true;
    }
    if ci_contains(attr(form, "action").unwrap_or(""), "search") {
        return true;
    }
    // A search box among at most two controls: one pass, over as soon as a third shows up.
    let mut controls = 0;
    let mut searchy = false;
    for d in form.descendants() {
        if control_kind(d).is_some() {
            controls += 1;
            if controls > 2 {
                return false;
            }
        }
        searchy = searchy
            || (tag(d) == Some("input")
                && (attr(d, "type") == Some("search")
                    || matches!(attr(d, "name"), Some("q" | "query" | "keywords" | "search"))));
    }
    searchy
}

/// The profile for a provider handled by the generic rules.
pub(crate) fn profile(provider: Option<&ProviderId>) -> &'static Profile {
    match provider {
        Some(ProviderId::SmartRecruiters) => &SMARTRECRUITERS,
        Some(ProviderId::Jobvite) => &JOBVITE,
        Some(ProviderId::JazzHr) => &JAZZHR,
        Some(ProviderId::Workday) => &WORKDAY,
        _ => &GENERIC,
    }
}

/// Chrome to skip on any page: cookie banners, navigation, site search.
pub(crate) fn skip_chrome(node: NodeR<'_>) -> bool {
    let Some(el) = node.value().as_element() else {
        return false;
    };
    match el.name.local {
        local_name!("nav") | local_name!("header") | local_name!("footer") => {
            // Page chrome, unless a form uses the tag for its own parts.
            return !element_ancestors(node).any(|a| tag(a) == Some("form"));
        }
        local_name!("form") if is_search_form(node) || is_newsletter_form(node) => return true,
        _ => {}
    }
    // The three attributes in one pass over the element's few.
    let (mut id, mut class, mut automation) = (None, None, None);
    for (k, v) in &el.attrs {
        let slot = match k.local {
            local_name!("id") => &mut id,
            local_name!("class") => &mut class,
            ref other if &**other == "data-automation-id" => &mut automation,
            _ => continue,
        };
        slot.get_or_insert(&**v);
    }
    let (id, class) = (id.unwrap_or(""), class.unwrap_or(""));
    ci_contains_any(id, ["cookie", "onetrust"])
        // The three banner classes all hold "cookie".
        || (ci_contains(class, "cookie")
            && (ci_contains(class, "cookie-banner")
                || ci_contains(class, "cookie-consent")
                || ci_contains(class, "cookiebanner")))
        || automation == Some("beecatcher")
}

fn generic_adjust(_doc: &Doc<'_>, _node: NodeR<'_>, field: &mut Field) {
    // Date pickers drawn as text boxes say so in their placeholder ("dd mon yyyy").
    if field.field_type == FieldType::Text {
        let p = field
            .placeholder
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        if p.contains("yyyy") || p.contains("mm/dd") || p.contains("dd/mm") {
            field.field_type = FieldType::Date;
        }
    }
}

/// Plain HTML forms.
pub(crate) const GENERIC: Profile = Profile {
    special: |_, _| None,
    skip: |_, _| false,
    label: |_, _| None,
    adjust: generic_adjust,
};

/// SmartRecruiters draws fields as Lit web components (`spl-input`, `spl-autocomplete`,
/// `spl-phone-field`…) whose inner `<input>` may be missing from the snapshot; the host element
/// then stands for the field. Its "apply with resume" upload is a helper.
const SMARTRECRUITERS: Profile = Profile {
    special: sr_special,
    skip: |_, _| false,
    label: |_, _| None,
    adjust: generic_adjust,
};

fn sr_special(doc: &Doc<'_>, node: NodeR<'_>) -> Option<Special> {
    let name = tag(node)?;
    if matches!(
        name,
        "oc-apply-with-resume" | "oc-external-providers" | "spl-dropdown-search"
    ) {
        return Some(Special::SkipSubtree);
    }
    let ty = match name {
        "spl-autocomplete" => FieldType::Typeahead,
        "spl-phone-field" => FieldType::Text,
        "spl-input" | "spl-textarea" | "spl-select" => {
            // Use the inner control when the snapshot has it.
            if node
                .descendants()
                .skip(1)
                .any(|d| control_kind(d).is_some())
            {
                return None;
            }
            match name {
                "spl-textarea" => FieldType::Textarea,
                "spl-select" => FieldType::Select,
                _ => FieldType::Text,
            }
        }
        _ => return None,
    };
    let id = attr(node, "id").filter(|s| !s.is_empty())?;
    let mut raw = String::new();
    for label in doc.labels_for(id) {
        let mut segs = Vec::new();
        text_segments(label, &crate::dom::is_error_node, &mut segs);
        if has_label_text(&segs) {
            raw = crate::text::raw_join(&segs);
            break;
        }
    }
    if raw.is_empty() {
        raw = attr(node, "label")
            .or_else(|| attr(node, "aria-label"))
            .or_else(|| attr(node, "placeholder"))
            .map(str::to_owned)
            .or_else(|| {
                crate::fields::preceding_text(node, &crate::dom::FastSet::from_iter([node.id()]))
            })
            .unwrap_or_default();
    }
    let label = crate::text::clean_label(&raw);
    let label = if label.is_empty() && name == "spl-autocomplete" {
        "City".to_owned()
    } else {
        label
    };
    let mut field = Field::new(id, ty, label);
    field.is_required = attr(node, "required").is_some() || has_required_marker(&raw);
    field.selector = Some(crate::dom::selector_for(doc, node));
    field.handler_type = crate::handler::classify(&crate::handler::Hints {
        label: &field.label,
        name: None,
        id: Some(id),
        autocomplete: attr(node, "autocomplete"),
        field_type: &field.field_type,
    })
    .map(str::to_owned);
    if name == "spl-phone-field" {
        field.handler_type = Some("phone".to_owned());
    }
    if name == "spl-autocomplete" && field.handler_type.is_none() {
        field.handler_type = Some("location".to_owned());
    }
    Some(Special::Fields(vec![field]))
}

/// Jobvite: uploads sit in pop-up menus whose label is just "File"; name them after the
/// menu's paste box ("Type or paste your Resume here").
const JOBVITE: Profile = Profile {
    special: |_, _| None,
    skip: |_, _| false,
    label: jobvite_label,
    adjust: jobvite_adjust,
};

fn jobvite_menu(node: NodeR<'_>) -> Option<NodeR<'_>> {
    element_ancestors(node)
        .take(6)
        .find(|a| attr(*a, "role") == Some("dialog") && class_contains(*a, "jv-add-attachment"))
}

fn jobvite_label(_doc: &Doc<'_>, node: NodeR<'_>) -> Option<String> {
    if attr(node, "type") != Some("file") {
        return None;
    }
    let menu = jobvite_menu(node)?;
    let text = full_text(menu).to_lowercase();
    Some(
        if text.contains("cover letter") {
            "Cover Letter"
        } else {
            "Resume"
        }
        .to_owned(),
    )
}

fn jobvite_adjust(doc: &Doc<'_>, node: NodeR<'_>, field: &mut Field) {
    generic_adjust(doc, node, field);
    if field.field_type == FieldType::File && jobvite_menu(node).is_some() {
        if field.label == "Resume" {
            field.handler_type = Some("resume".to_owned());
            // "Add Resume*" heads the form's resume step.
            field.is_required = doc
                .by_id("jv-resume-header")
                .is_some_and(|h| has_required_marker(&full_text(h)));
            field.section = Some("Add Resume".to_owned());
        } else {
            field.handler_type = Some("cover-letter".to_owned());
            field.section = Some("Additional Files".to_owned());
        }
    }
}

/// JazzHR: the paste-resume box and the XML payload stand in for the upload; a checkbox
/// question is a set of checkboxes whose answer goes to one hidden input.
const JAZZHR: Profile = Profile {
    special: jazz_special,
    skip: |_, node| {
        matches!(
            attr(node, "name"),
            Some("resumator-resumetext-value" | "resumator-xml-value")
        )
    },
    label: |_, _| None,
    adjust: generic_adjust,
};

fn jazz_special(doc: &Doc<'_>, node: NodeR<'_>) -> Option<Special> {
    if tag(node) != Some("div") {
        return None;
    }
    let answer = node.children().find(|c| {
        tag(*c) == Some("input") && class_contains(*c, "resumator-questionnaire-checkbox-answer")
    })?;
    let boxes: Vec<NodeR<'_>> = node
        .descendants()
        .filter(|d| tag(*d) == Some("input") && attr(*d, "type") == Some("checkbox"))
        .collect();
    let first = *boxes.first()?;
    let id = attr(answer, "id").or_else(|| attr(answer, "name"))?;
    let raw = doc
        .labels_for(id)
        .next()
        .map(|label| {
            let mut segs = Vec::new();
            text_segments(label, &crate::dom::is_error_node, &mut segs);
            crate::text::raw_join(&segs)
        })
        .unwrap_or_default();
    let mut field = Field::new(id, FieldType::Checkbox, crate::text::clean_label(&raw));
    field.name = attr(answer, "name").map(str::to_owned);
    field.is_required = has_required_marker(&raw);
    field.selector = Some(crate::dom::selector_for(doc, first));
    field.options = boxes
        .iter()
        .map(|b| {
            let value = attr(*b, "value").unwrap_or("on").to_owned();
            engine_core::FieldOption {
                text: value.clone(),
                value,
                is_selected: attr(*b, "checked").is_some(),
            }
        })
        .collect();
    field.handler_type = if ci_contains(&field.label, "consent")
        || field
            .options
            .iter()
            .any(|o| ci_contains(&o.text, "consent"))
    {
        Some("consent".to_owned())
    } else {
        None
    };
    Some(Special::Fields(vec![field]))
}

/// Workday draws its dropdowns as `button[aria-haspopup=listbox]` labelled by `label[for]`;
/// its "beecatcher" honeypot is skipped with the page chrome.
const WORKDAY: Profile = Profile {
    special: workday_special,
    skip: |_, _| false,
    label: |_, _| None,
    adjust: generic_adjust,
};

fn workday_special(doc: &Doc<'_>, node: NodeR<'_>) -> Option<Special> {
    if tag(node) != Some("button") || attr(node, "aria-haspopup") != Some("listbox") {
        return None;
    }
    let id = attr(node, "id").filter(|s| !s.is_empty())?;
    let label = doc.labels_for(id).next()?;
    let mut segs = Vec::new();
    text_segments(label, &crate::dom::is_error_node, &mut segs);
    let raw = crate::text::raw_join(&segs);
    let mut field = Field::new(id, FieldType::Select, crate::text::clean_label(&raw));
    field.is_required = has_required_marker(&raw) || crate::dom::aria_true(node, "aria-required");
    field.selector = Some(crate::dom::selector_for(doc, node));
    // The button shows the current choice; "Select One" means none.
    let shown = full_text(node);
    if !shown.is_empty() && !shown.to_lowercase().starts_with("select") {
        field.current_value = Some(shown);
    }
    field.handler_type = crate::handler::classify(&crate::handler::Hints {
        label: &field.label,
        name: None,
        id: Some(id),
        autocomplete: None,
        field_type: &field.field_type,
    })
    .map(str::to_owned);
    Some(Special::Fields(vec![field]))
}
