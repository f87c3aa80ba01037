//! Page detectors: a snapshot (URL + HTML, plus frames) in, a [`PageAnalysis`] out — the ATS,
//! the page's questions, the kind of page and its Next/Submit/Back controls.
//!
//! # Design
//!
//! - **One parse, one walk.** Each document is parsed once; a single pass indexes ids and
//!   `label[for]`; the fields come from one document-order walk over the form's roots
//!   ([`fields`]). Selectors are compiled once (`LazyLock`). `scraper::Html` is `!Send`, so it
//!   never leaves [`analyse`]; the result is plain owned data.
//! - **Shared rules, per-ATS hooks.** The walk applies the generic rules (labels from
//!   `aria-labelledby`, `label[for]`, wrapping labels, legends, nearby text; radio and checkbox
//!   groups by `name`; hidden twins, honeypots, captcha fields and `aria-hidden` text boxes
//!   left out). Greenhouse, Lever and Ashby add hooks for their widgets; Workday,
//!   SmartRecruiters, Workable, BambooHR, JazzHR and Jobvite get small ones.
//! - **Field ids match the page.** `field_id` is the element's id, else its name (a group's
//!   name for radio and checkbox groups); `name` is the control's name; `selector` is `#id`,
//!   `[id="…"]` when the id is not a CSS identifier, `tag[name="…"]`, or a structural path.
//! - **Choices made for widgets.** Greenhouse comboboxes are `select` (`multiselect` for
//!   "mark all that apply"), location/school pickers `typeahead`; options are listed only when
//!   the snapshot holds them. Ashby yes/no buttons are a `radio` with options Yes/No whose
//!   selector is the question's `[data-field-path]` entry. A lone checkbox is a boolean
//!   `checkbox` with no options.
//! - **Never fails.** Odd input gives an analysis with diagnostics; nothing here panics on page
//!   data.
//! - **Page kinds.** With questions: a form (a visible password box makes it a login wall).
//!   Without: captcha challenge, confirmation, expired posting, login wall, handoff (an ATS
//!   iframe or an Apply link to an ATS host), loading shell, ATS error page, else no
//!   application.
#![deny(missing_docs)]

mod ashby;
mod dom;
mod fields;
mod generic;
mod greenhouse;
mod handler;
mod kind;
mod lever;
mod provider;
mod text;

use engine_core::{Detector, Diagnostic, PageAnalysis, PageKind, ProviderId, Snapshot};
use scraper::Html;

pub use provider::identify_provider;

/// The detector for every supported ATS and any other HTML form.
#[derive(Clone, Copy, Debug, Default)]
pub struct AtsDetector;

impl AtsDetector {
    /// A detector.
    pub fn new() -> Self {
        AtsDetector
    }
}

impl Detector for AtsDetector {
    fn analyse(&self, snapshot: &Snapshot) -> PageAnalysis {
        analyse(snapshot)
    }
}

/// Reads one snapshot: provider, fields, page kind, controls and ATS errors.
///
/// When the top document holds no form but one of its frames does (a careers page embedding
/// a Greenhouse form), the frame's analysis is returned with `form_frame` set.
pub fn analyse(snapshot: &Snapshot) -> PageAnalysis {
    let top = analyse_document(&snapshot.url, &snapshot.html);
    if top.kind == PageKind::Form && !top.fields.is_empty() {
        return top;
    }
    for frame in &snapshot.frames {
        let mut inner = analyse_document(&frame.url, &frame.html);
        if inner.kind == PageKind::Form && !inner.fields.is_empty() {
            inner.form_frame = Some(frame.index);
            if inner.provider.is_none() {
                inner.provider = top.provider.clone();
            }
            return inner;
        }
    }
    top
}

/// Analyses one document (the top page or a frame).
fn analyse_document(url: &str, html: &str) -> PageAnalysis {
    let parsed = Html::parse_document(html);
    let doc = dom::Doc::new(&parsed);
    let provider = identify_provider(url, html);
    let mut diagnostics = Vec::new();

    let (roots, profile) = match provider {
        Some(ProviderId::Greenhouse) => (greenhouse::roots(&doc), &greenhouse::PROFILE),
        Some(ProviderId::Lever) => (lever::roots(&doc), &lever::PROFILE),
        Some(ProviderId::Ashby) => (ashby::roots(&doc), &ashby::PROFILE),
        _ => (Vec::new(), generic::profile(provider.as_ref())),
    };
    let roots = if roots.is_empty() {
        generic::roots(&doc, provider.as_ref())
    } else {
        roots
    };
    let extracted = fields::extract(&doc, &roots, profile);
    for f in &extracted.fields {
        if matches!(f.field_type, engine_core::FieldType::Select | engine_core::FieldType::Multiselect)
            && f.options.is_empty()
        {
            diagnostics.push(Diagnostic {
                message: format!(
                    "{} {} has no options in the snapshot; they appear when its menu opens",
                    f.field_type, f.field_id
                ),
            });
        }
    }

    let text = kind::page_text(&doc);
    let has_fields = !extracted.fields.is_empty();
    let has_password = extracted.fields.iter().any(|f| {
        f.selector
            .as_deref()
            .and_then(|s| scraper::Selector::parse(s).ok())
            .and_then(|s| parsed.select(&s).next())
            .is_some_and(|e| e.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("password")))
    });

    let page_kind = if has_password {
        PageKind::LoginWall
    } else if kind::captcha(&text, &doc, has_fields) {
        PageKind::Captcha
    } else if has_fields {
        PageKind::Form
    } else if kind::is_confirmation(&text, url) {
        PageKind::Confirmation
    } else if kind::is_expired(&text) {
        PageKind::Expired
    } else if kind::is_login_wall(&text, &doc) {
        PageKind::LoginWall
    } else if let Some(h) = kind::handoff(&doc, url) {
        h
    } else if kind::is_loading(html, &doc, &text) {
        PageKind::Loading
    } else if let Some(message) = kind::ats_error(&text) {
        PageKind::AtsError { message }
    } else {
        PageKind::NoApplication
    };

    let controls = if has_fields {
        kind::controls(&doc, &roots)
    } else {
        Default::default()
    };
    let errors = if page_kind == PageKind::Form {
        kind::errors(&doc, &extracted)
    } else {
        Vec::new()
    };
    if page_kind == PageKind::Form && kind::visible_captcha_widget(&doc) {
        diagnostics.push(Diagnostic {
            message: "the form shows a captcha the applicant must solve before submitting".to_owned(),
        });
    }
    if page_kind == PageKind::Form && controls.next.is_none() && controls.submit.is_none() {
        diagnostics.push(Diagnostic {
            message: "no Next or Submit control found on the form".to_owned(),
        });
    }

    PageAnalysis {
        provider,
        kind: page_kind,
        fields: extracted.fields,
        controls,
        errors,
        form_frame: None,
        diagnostics,
    }
}
