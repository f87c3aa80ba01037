//! Page detectors: a snapshot (URL + HTML, plus frames) in, a [`PageAnalysis`] out: the ATS,
//! the page's questions, the kind of page, its Next/Submit/Back controls and the errors the
//! ATS shows.
//!
//! # Design
//!
//! - **One parse, two walks.** Each document is parsed once. One indexing pass collects ids,
//!   `label[for]`, forms, frames, links, password boxes, error blocks, captcha widgets and the
//!   elements hidden by their own attributes, so the page-kind checks never rescan the
//!   document with selectors and "is this hidden?" asks a small set on the way up; the
//!   fields come from one document-order walk over the form's roots (`fields`). Attributes
//!   are read by scanning the element's few attributes (scraper's `attr` interns the name on
//!   every call), and attribute and tag names compare as html5ever's interned names, one
//!   word each.
//!   `scraper::Html` is `!Send`, so it never leaves [`analyse`]; the result is owned data.
//! - **A tokenizer for plain markup (`parse`).** html5ever's tokenizer reads the page one
//!   character at a time through the spec's state machine; `parse` reads tags, attributes,
//!   text, comments and raw-text bodies in runs (character references decoded as the spec
//!   says) and feeds html5ever's own tree builder, so the tree-construction rules stay
//!   html5ever's. At the first construct outside that plain subset (a NUL, a bogus comment,
//!   CDATA, a `<!--` in a script, an attribute whose parse involves error recovery) it gives
//!   up and html5ever parses the page from the start. It leaves out the blank runs between
//!   tags that the pre-pass would (`parse::Blanks`). Tests check that both build the same
//!   tree on every fixture and corpus page (all of which take the fast path) and on random
//!   tag soup.
//! - **A byte pass before the parse where it pays (`prefilter`).** On large pages and pages
//!   with a phone field's country list (`prefilter::pays`), the page is first stripped of what
//!   no rule reads: comment text and comments between blanks and elements,
//!   `<script>`/`<style>`/`<noscript>` bodies, whitespace-only text beside element starts,
//!   attributes outside a list of those the detectors read (a test scans the sources for
//!   `attr` calls) or holding values no rule looks at, class tokens no rule looks for, the
//!   items of phone widgets' country lists (intl-tel-input's; on SmartRecruiters pages its
//!   phone field's picker). On pages that are mostly form, its own scan of every tag costs
//!   more than it saves. The provider is recognised first, from the raw page, since one
//!   removal depends on it. The pass follows the spec's tokenizer states for tags, comments
//!   and raw text, tracks just enough tree-builder state (open formatting elements, `<p>`,
//!   `<select>`) to know when a removal could change the tree, and hands the page back
//!   untouched when the parse would depend on state it does not track (markup in
//!   `<svg>`/`<math>` beyond plain shapes, `<!--` in a script, raw-text tags after a
//!   `<select>`, framesets). Tests check that every fixture, corpus page and random tag soup
//!   parses to the same tree (up to whitespace and comments) and analyses the same with and
//!   without it. Checks on raw text (provider markers, Ashby's `__appData`, the Greenhouse
//!   embed script) still read the page as it came.
//! - **Provider first by URL, then by markers.** Hosts and paths (`/embed/job_app`, `gh_jid`
//!   and `ashby_jid` on custom domains) decide; otherwise markers only an ATS's own pages
//!   carry (`data-field-path`, `name="cards[`, `job_application[`, `data-automation-id`,
//!   `<oc-easy-apply`…), never a bare domain name, which careers pages also contain.
//! - **Shared rules, per-ATS hooks.** The walk applies the generic rules: labels from
//!   `aria-labelledby`, `label[for]`, a wrapping `<label>`, a legend or labelled group,
//!   `aria-label`, the nearest text before the control that belongs to no other control, then
//!   placeholder and name; radio and checkbox groups by `name`; required from `required`,
//!   `aria-required` (also on an enclosing group) and `*`/`✱` markers. Not questions: hidden
//!   inputs, `aria-hidden` or hidden text boxes (combobox twins, Workable's address parts),
//!   nameless unfocusable inputs, honeypots, captcha fields, search boxes, newsletter and
//!   job-alert forms, cookie banners, `header`/`nav`/`footer`. Greenhouse, Lever and Ashby
//!   add hooks for their widgets; SmartRecruiters (Lit host elements whose inner input may be
//!   missing, the "apply with resume" helper), Jobvite (uploads in pop-up menus), JazzHR
//!   (checkbox questions answered through one hidden input) get small ones.
//! - **Field ids match the page.** `field_id` is the element's id, else its name (the name for
//!   radio and checkbox groups); `name` is the control's name; `selector` is `#id`, `[id="…"]`
//!   when the id is no CSS identifier, `tag[name="…"]` when the id repeats or is missing, or a
//!   `:nth-child` path from the nearest element with a unique id.
//! - **Choices made for widgets.** Greenhouse comboboxes are `select` (`multiselect` for
//!   "mark all that apply"), location and school pickers `typeahead`; options are listed only
//!   when the snapshot holds the menu open (a diagnostic says so otherwise). Ashby yes/no
//!   buttons are a `radio` with options Yes/No whose selector is the question's
//!   `[data-field-path]` entry (click the button with the option's text inside it). A lone
//!   checkbox is a boolean `checkbox` with no options. Options without a `value` (or with
//!   repeated ones) use their text as value.
//! - **Page kinds.** A visible challenge frame makes any page a captcha page (Lever's
//!   invisible hCaptcha does not). With questions: a form, unless a visible password box makes
//!   it a login wall (Workday's "Create Account"), or a page of at most three fields says
//!   "thank you for applying" or "no longer open" (a job-alert box on a confirmation page).
//!   Without questions: confirmation, expired posting, login wall, handoff (an ATS iframe such
//!   as `#grnhse_iframe`, or an Apply link to an ATS host, with the absolute URL), loading
//!   (Ashby's `window.__appData` shell, an empty app root), ATS error page, else no
//!   application. A form inside a frame of the snapshot is analysed there (`form_frame`).
//! - **Never fails.** Odd input gives an analysis with diagnostics; nothing here panics on page
//!   data, and every walk is iterative.
#![deny(missing_docs)]

mod ashby;
mod dom;
mod fields;
mod generic;
mod greenhouse;
mod handler;
mod kind;
mod lever;
mod parse;
mod prefilter;
mod provider;
#[cfg(test)]
mod test_support;
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
/// A page that embeds an ATS's own application frame (a careers page with a Greenhouse
/// `#grnhse_iframe`) is a handoff to that frame's URL, even when the snapshot could read the
/// frame: across origins, as on real sites, it cannot be filled from the careers page, and
/// the ATS's own page is where its confirmation shows. When the top document holds no form
/// and no handoff but one of its frames holds a form, the frame's analysis is returned with
/// `form_frame` set.
pub fn analyse(snapshot: &Snapshot) -> PageAnalysis {
    let top = analyse_document(&snapshot.url, &snapshot.html);
    if (top.kind == PageKind::Form && !top.fields.is_empty())
        || matches!(top.kind, PageKind::Handoff { .. })
    {
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
    analyse_document_with(url, html, PrePass::WherePays)
}

/// When the pre-pass runs before the parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PrePass {
    /// Where `prefilter::pays` says it does (what `analyse` does).
    WherePays,
    /// Always or never: for tests, which must check both paths on every page.
    #[cfg(test)]
    Always,
    #[cfg(test)]
    Never,
}

/// `analyse_document`, with the pre-pass run as `pre_pass` says.
fn analyse_document_with(url: &str, html: &str, pre_pass: PrePass) -> PageAnalysis {
    let provider = identify_provider(url, html);
    // The tree comes from the page minus what no rule reads; raw-text checks use `html`.
    let pass = prefilter::Pass {
        smartrecruiters: provider == Some(ProviderId::SmartRecruiters),
    };
    let run_pass = match pre_pass {
        PrePass::WherePays => prefilter::pays(html, pass),
        #[cfg(test)]
        PrePass::Always => true,
        #[cfg(test)]
        PrePass::Never => false,
    };
    let blanks = parse::Blanks::DropBesideElements;
    let parsed = if run_pass {
        parse::parse_document(&prefilter::prefilter(html, pass), blanks)
    } else {
        parse::parse_document(html, blanks)
    };
    analyse_parsed(url, html, &parsed, provider)
}

/// Analyses one document from its parsed tree (`html` is the page's raw text).
#[cfg(test)]
fn analyse_tree(url: &str, html: &str, parsed: &Html) -> PageAnalysis {
    analyse_parsed(url, html, parsed, identify_provider(url, html))
}

/// Analyses one document from its parsed tree, for the provider the page was recognised as.
fn analyse_parsed(
    url: &str,
    html: &str,
    parsed: &Html,
    provider: Option<ProviderId>,
) -> PageAnalysis {
    let doc = dom::Doc::new(parsed);
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
        if matches!(
            f.field_type,
            engine_core::FieldType::Select | engine_core::FieldType::Multiselect
        ) && f.options.is_empty()
        {
            diagnostics.push(Diagnostic {
                message: format!(
                    "{} {} has no options in the snapshot; they appear when its menu opens",
                    f.field_type, f.field_id
                ),
            });
        }
    }

    let has_fields = !extracted.fields.is_empty();
    // Page text only decides the kind of pages without questions.
    let text = if has_fields {
        String::new()
    } else {
        kind::page_text(&doc)
    };
    let has_password = extracted.nodes.iter().flatten().any(|id| {
        doc.node(*id)
            .and_then(|n| dom::attr(n, "type"))
            .is_some_and(|t| t.eq_ignore_ascii_case("password"))
    });

    // A confirmation or closed-posting page may still carry a small form (a job-alert
    // sign-up): a few fields do not make it an application.
    let small_form_text =
        (has_fields && extracted.fields.len() <= 3).then(|| kind::page_text(&doc));
    let done_or_closed = small_form_text.as_deref().and_then(|t| {
        if kind::is_confirmation(t, url) {
            Some(PageKind::Confirmation)
        } else if kind::is_expired(t) {
            Some(PageKind::Expired)
        } else {
            None
        }
    });

    let page_kind = if let Some(k) = done_or_closed {
        k
    } else if has_password {
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
    } else if let Some(h) = kind::handoff(&doc, url, html) {
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
            message: "the form shows a captcha the applicant must solve before submitting"
                .to_owned(),
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

#[cfg(test)]
mod tests {
    use engine_core::{FieldType, FrameSnapshot};

    use super::*;

    fn page(url: &str, html: &str) -> PageAnalysis {
        analyse(&Snapshot::new(url, html))
    }

    fn ids(a: &PageAnalysis) -> Vec<&str> {
        a.fields.iter().map(|f| f.field_id.as_str()).collect()
    }

    #[test]
    fn form_in_a_frame_is_read_from_the_frame() {
        let snapshot = Snapshot {
            url: "https://www.example.com/careers/apply".to_owned(),
            html: r#"<h1>Apply</h1><iframe src="/forms/apply-frame"></iframe>"#.to_owned(),
            frames: vec![FrameSnapshot {
                index: 0,
                url: "https://www.example.com/forms/apply-frame".to_owned(),
                html: r#"<form><label for="first_name">First Name *</label>
                    <input id="first_name" name="first_name" required>
                    <button type="submit">Submit Application</button></form>"#
                    .to_owned(),
            }],
        };
        let a = analyse(&snapshot);
        assert_eq!(a.kind, PageKind::Form);
        assert_eq!(a.form_frame, Some(0));
        assert_eq!(ids(&a), ["first_name"]);
        assert!(a.fields[0].is_required);
        assert!(a.controls.submit.is_some());
    }

    #[test]
    fn an_embedded_ats_frame_is_a_handoff_even_when_readable() {
        let src = "https://boards.greenhouse.io/embed/job_app?token=1";
        let snapshot = Snapshot {
            url: "https://www.example.com/careers?gh_jid=1".to_owned(),
            html: format!(r#"<iframe id="grnhse_iframe" src="{src}"></iframe>"#),
            frames: vec![FrameSnapshot {
                index: 0,
                url: src.to_owned(),
                html: r#"<form id="application_form"><label for="first_name">First Name *</label>
                    <input id="first_name" name="job_application[first_name]">
                    <input type="submit" value="Submit Application"></form>"#
                    .to_owned(),
            }],
        };
        let a = analyse(&snapshot);
        assert_eq!(
            a.kind,
            PageKind::Handoff {
                url: src.to_owned(),
                provider: Some(ProviderId::Greenhouse),
            }
        );
        assert!(a.fields.is_empty());
    }

    #[test]
    fn embedded_frame_without_its_snapshot_is_a_handoff_with_an_absolute_url() {
        let a = page(
            "https://www.example.com/careers/role",
            r#"<main><h1>Role</h1><iframe src="/embed/job_app?for=example&amp;token=9"></iframe></main>"#,
        );
        assert_eq!(
            a.kind,
            PageKind::Handoff {
                url: "https://www.example.com/embed/job_app?for=example&token=9".to_owned(),
                provider: Some(ProviderId::Greenhouse),
            }
        );
    }

    #[test]
    fn greenhouse_embed_script_before_it_runs_is_a_handoff() {
        let a = page(
            "https://www.example.com/careers/?gh_jid=4455",
            r#"<div id="grnhse_app"></div><script src="https://boards.greenhouse.io/embed/job_board/js?for=example"></script>"#,
        );
        assert_eq!(
            a.kind,
            PageKind::Handoff {
                url: "https://boards.greenhouse.io/embed/job_app?for=example&token=4455".to_owned(),
                provider: Some(ProviderId::Greenhouse),
            }
        );
    }

    #[test]
    fn traps_twins_and_captcha_boxes_are_not_questions() {
        let a = page(
            "https://apply.example.com/x",
            r#"<form>
              <div aria-hidden="true"><label for="hp">Please leave this field blank</label><input id="hp" name="hp"></div>
              <label for="q1">Favourite colour</label><input id="q1" name="q1">
              <input required tabindex="-1" aria-hidden="true" value="">
              <input type="text" name="nick_honeypot">
              <textarea id="g-recaptcha-response" name="g-recaptcha-response"></textarea>
              <input type="search" name="filter">
              <input type="hidden" name="token" value="1">
              <button type="submit">Submit</button>
            </form>"#,
        );
        assert_eq!(ids(&a), ["q1"]);
    }

    #[test]
    fn radio_groups_are_one_field_and_options_are_told_apart() {
        let a = page(
            "https://apply.example.com/x",
            r#"<form><fieldset><legend>Size *</legend>
              <label><input type="radio" name="size"> Small</label>
              <label><input type="radio" name="size"> Large</label>
            </fieldset><label><input type="checkbox" name="ok"> I agree to the terms</label></form>"#,
        );
        assert_eq!(ids(&a), ["size", "ok"]);
        let size = &a.fields[0];
        assert_eq!(size.field_type, FieldType::Radio);
        assert_eq!(size.label, "Size");
        assert!(size.is_required);
        let values: Vec<&str> = size.options.iter().map(|o| o.value.as_str()).collect();
        assert_eq!(values, ["Small", "Large"]);
        let ok = &a.fields[1];
        assert_eq!(ok.field_type, FieldType::Checkbox);
        assert_eq!(ok.label, "I agree to the terms");
        assert!(ok.options.is_empty());
        assert_eq!(ok.handler_type.as_deref(), Some("consent"));
    }

    #[test]
    fn aria_labelledby_wins_over_a_button_label() {
        let a = page(
            "https://apply.example.com/x",
            r#"<form><div id="l">Portfolio</div><label for="f">Choose file</label>
              <input type="file" id="f" aria-labelledby="l f-desc" accept=".pdf, .zip"><span id="f-desc">Choose file</span></form>"#,
        );
        assert_eq!(a.fields[0].label, "Portfolio");
        assert_eq!(
            a.fields[0].constraints.accepted_file_types,
            [".pdf".to_owned(), ".zip".to_owned()]
        );
    }

    #[test]
    fn ashby_autofill_helper_is_not_the_resume() {
        let a = page(
            "https://jobs.ashbyhq.com/acme/1/application",
            r#"<div id="form"><div class="ashby-application-form-autofill-input-root"><input type="file" tabindex="-1"></div>
              <div class="ashby-application-form-container"><div data-field-path="_systemfield_resume">
              <label class="_required_x" for="_systemfield_resume">Resume</label>
              <input type="file" id="_systemfield_resume" tabindex="-1"></div></div>
              <button>Submit Application</button></div>"#,
        );
        assert_eq!(ids(&a), ["_systemfield_resume"]);
        assert!(a.fields[0].is_required);
        assert_eq!(a.fields[0].handler_type.as_deref(), Some("resume"));
    }

    #[test]
    fn invisible_hcaptcha_is_not_a_challenge() {
        let a = page(
            "https://jobs.lever.co/acme/1/apply",
            r#"<form id="application-form"><label><div>Email ✱</div><input name="email" required></label>
              <div id="h-captcha" class="h-captcha"><iframe src="https://hcaptcha.com/x#frame=checkbox&amp;size=invisible" style="visibility: hidden"></iframe></div>
              <button id="btn-submit" type="button">Submit application</button></form>"#,
        );
        assert_eq!(a.kind, PageKind::Form);
    }

    #[test]
    fn nothing_at_all_is_no_application() {
        for html in ["", "<html>", "<<<>>>", "<form></form>", "\u{0}\u{feff}"] {
            let a = page("not a url", html);
            assert_eq!(a.kind, PageKind::NoApplication, "{html:?}");
            assert!(a.fields.is_empty());
        }
    }

    #[test]
    fn a_job_alert_form_does_not_hide_a_confirmation() {
        let a = page(
            "https://careers.example.com/jobs/1/done",
            r#"<h1>Thank you for applying!</h1>
              <form><label for="alert">Email me similar jobs</label><input id="alert" type="email" name="alert">
              <button>Create job alert</button></form>"#,
        );
        assert_eq!(a.kind, PageKind::Confirmation);
    }

    #[test]
    fn open_react_select_menu_gives_the_options() {
        let a = page(
            "https://job-boards.greenhouse.io/acme/jobs/1",
            r#"<form id="application-form"><label id="q-label" for="question_1">Pick one*</label>
              <input id="question_1" role="combobox" aria-labelledby="q-label" aria-required="true">
              <div id="react-select-question_1-listbox" role="listbox">
                <div role="option">Alpha</div><div role="option" aria-selected="true">Beta</div></div>
              <button type="submit">Submit application</button></form>"#,
        );
        let f = &a.fields[0];
        assert_eq!(f.field_type, FieldType::Select);
        let texts: Vec<&str> = f.options.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(texts, ["Alpha", "Beta"]);
        assert!(f.options[1].is_selected);
    }

    #[test]
    fn a_chosen_greenhouse_option_is_the_current_value() {
        let a = page(
            "https://job-boards.greenhouse.io/acme/jobs/1",
            r#"<form id="application-form"><label id="g-label" for="gender">Gender</label>
              <div class="select__control"><div class="select__value-container">
                <div class="select__single-value">Decline to self-identify</div>
                <div class="select__input-container"><input id="gender" role="combobox" aria-labelledby="g-label" value=""></div>
              </div></div></form>"#,
        );
        assert_eq!(
            a.fields[0].current_value.as_deref(),
            Some("Decline to self-identify")
        );
    }

    #[test]
    fn labels_leave_error_text_out() {
        let a = page(
            "https://apply.example.com/x",
            r#"<form><label>City <span class="error">This field is required</span><input name="city" aria-invalid="true"></label></form>"#,
        );
        assert_eq!(a.fields[0].label, "City");
        assert_eq!(a.errors.len(), 1);
        assert_eq!(a.errors[0].field_id.as_deref(), Some("city"));
    }

    #[test]
    fn detector_trait_matches_the_function() {
        let snapshot = Snapshot::new(
            "https://jobs.lever.co/a/b/thanks",
            "<p>Application submitted!</p>",
        );
        assert_eq!(AtsDetector::new().analyse(&snapshot), analyse(&snapshot));
        assert_eq!(analyse(&snapshot).kind, PageKind::Confirmation);
    }
}
