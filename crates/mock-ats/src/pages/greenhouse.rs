//! Greenhouse job-boards style application (and its embedded variant).
//!
//! Modelled on the job-boards.greenhouse.io pages: `form#application-form`, inputs whose ids
//! are the field keys, React-select comboboxes (`input[role=combobox]` plus a hidden required
//! twin), the upload group around `input[type=file]#resume`, and the Voluntary
//! Self-Identification section. Unlike the real page (which posts with XHR) the form posts
//! natively as multipart, so each input also carries `name` = its id, and each combobox a
//! hidden input named after it holding the chosen option's text.

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::{Posted as Form, read_form, see_other};
use crate::html::{document, esc, flag, looks_like_email};
use crate::{Flow, MockState, Submission};

/// Start path of [`Flow::Greenhouse`].
pub(crate) const START_PATH: &str = "/greenhouse/acme/jobs/4012345";
const CONFIRMATION_PATH: &str = "/greenhouse/acme/jobs/4012345/confirmation";
/// The embed route the careers page's iframe loads (query `for=acme&token=4012345`).
const EMBED_PATH: &str = "/greenhouse/embed/job_app";
const EMBED_QUERY: &str = "for=acme&token=4012345";
const EMBED_CONFIRMATION_PATH: &str = "/greenhouse/embed/job_app/confirmation";
/// Start path of [`Flow::EmbeddedGreenhouse`].
pub(crate) const EMBED_PARENT_PATH: &str = "/company/careers?gh_jid=4012345";

const JOB_TITLE: &str = "Field Robotics Engineer";
const REQUIRED: &str = "This field is required.";
const BAD_EMAIL: &str = "Please enter a valid email address.";

const LINKEDIN: &str = "question_30012001";
const AUTHORIZED: &str = "question_30012002";
const HEARD_FROM: &str = "question_30012003";
const LANGUAGES: &str = "question_30012004";
const LANGUAGES_NAME: &str = "question_30012004[]";

const YES_NO: &[&str] = &["Yes", "No"];
const HEARD_FROM_OPTIONS: &[&str] = &[
    "LinkedIn",
    "Company website",
    "Employee referral",
    "Job board",
    "Conference or meetup",
    "Other",
];
const LANGUAGE_OPTIONS: &[&str] = &["Rust", "Go", "Python", "TypeScript", "C++"];
const GENDER_OPTIONS: &[&str] = &["Male", "Female", "Decline To Self Identify"];

pub(crate) fn routes() -> Router<MockState> {
    Router::new()
        .route(START_PATH, get(job_page).post(submit_job_page))
        .route(CONFIRMATION_PATH, get(confirmation))
        .route(EMBED_PATH, get(embed_page).post(submit_embed))
        .route(EMBED_CONFIRMATION_PATH, get(embed_confirmation))
        .route("/company/careers", get(careers_page))
}

async fn job_page() -> Html<String> {
    Html(render_job_page(&Form::empty()))
}

async fn embed_page() -> Html<String> {
    Html(render_embed_page(&Form::empty()))
}

async fn submit_job_page(State(state): State<MockState>, request: Request) -> Response {
    submit(state, Flow::Greenhouse, request).await
}

async fn submit_embed(State(state): State<MockState>, request: Request) -> Response {
    submit(state, Flow::EmbeddedGreenhouse, request).await
}

async fn submit(state: MockState, flow: Flow, request: Request) -> Response {
    let submission = match read_form(flow, request).await {
        Ok(submission) => submission,
        Err(response) => return response,
    };
    let errors = validate(&submission);
    if errors.is_empty() {
        state.record(submission);
        return match flow {
            Flow::EmbeddedGreenhouse => {
                see_other(&format!("{EMBED_CONFIRMATION_PATH}?{EMBED_QUERY}"))
            }
            _ => see_other(CONFIRMATION_PATH),
        };
    }
    let form = Form {
        values: Some(&submission),
        errors,
    };
    let page = match flow {
        Flow::EmbeddedGreenhouse => render_embed_page(&form),
        _ => render_job_page(&form),
    };
    state.record_rejected(submission.clone());
    Html(page).into_response()
}

fn validate(submission: &Submission) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    for id in ["first_name", "last_name"] {
        if submission.text(id).is_empty() {
            errors.push((id, REQUIRED));
        }
    }
    let email = submission.text("email");
    if email.is_empty() {
        errors.push(("email", REQUIRED));
    } else if !looks_like_email(email) {
        errors.push(("email", BAD_EMAIL));
    }
    if !submission.has_file("resume") && submission.text("resume_text").is_empty() {
        errors.push(("resume", REQUIRED));
    }
    if !YES_NO.contains(&submission.text(AUTHORIZED)) {
        errors.push((AUTHORIZED, REQUIRED));
    }
    if !submission
        .values(LANGUAGES_NAME)
        .iter()
        .any(|value| LANGUAGE_OPTIONS.contains(value))
    {
        errors.push((LANGUAGES, REQUIRED));
    }
    errors
}

/// `aria-invalid` value and the error paragraph for `id`.
fn invalid(form: &Form<'_>, id: &str) -> (&'static str, String) {
    match form.error(id) {
        Some(message) => (
            "true",
            format!(
                "<p id=\"{id}-error\" class=\"helper-text helper-text--error\" role=\"alert\">{}</p>",
                esc(message)
            ),
        ),
        None => ("false", String::new()),
    }
}

fn required_mark(required: bool) -> &'static str {
    if required {
        "<span aria-hidden=\"true\">*</span>"
    } else {
        ""
    }
}

fn text_field(
    form: &Form<'_>,
    id: &str,
    label: &str,
    required: bool,
    autocomplete: Option<&str>,
) -> String {
    let (invalid, error) = invalid(form, id);
    let autocomplete = autocomplete
        .map(|value| format!(" autocomplete=\"{value}\""))
        .unwrap_or_default();
    format!(
        "<div class=\"field-wrapper\"><div class=\"text-input-wrapper\"><div class=\"input-wrapper\">\
         <label id=\"{id}-label\" for=\"{id}\" class=\"label label\">{label}{mark}</label>\
         <input id=\"{id}\" name=\"{id}\" class=\"input input__single-line\" aria-label=\"{label}\" \
         aria-describedby=\"{id}-description {id}-error {id}-help\" aria-invalid=\"{invalid}\" \
         aria-errormessage=\"{id}-error\" aria-required=\"{required}\" type=\"text\" maxlength=\"255\"{autocomplete} \
         value=\"{value}\">{error}</div></div></div>",
        label = esc(label),
        mark = required_mark(required),
        value = esc(form.value(id)),
    )
}

fn phone_field(form: &Form<'_>) -> String {
    let (invalid, error) = invalid(form, "phone");
    format!(
        "<div><fieldset class=\"phone-input\"><legend class=\"visually-hidden\">Phone</legend>\
         <div class=\"phone-input__phone\"><div class=\"text-input-wrapper\"><div class=\"input-wrapper\">\
         <label id=\"phone-label\" for=\"phone\" class=\"label label\">Phone</label>\
         <input id=\"phone\" name=\"phone\" class=\"input input__single-line\" aria-label=\"Phone\" \
         aria-describedby=\"phone-description phone-error phone-help\" aria-invalid=\"{invalid}\" \
         aria-errormessage=\"phone-error\" aria-required=\"false\" type=\"tel\" maxlength=\"255\" \
         autocomplete=\"tel\" value=\"{value}\">{error}</div></div></div></fieldset></div>",
        value = esc(form.value("phone")),
    )
}

/// A React-select style combobox. `class` is `select` for questions; the EEO wrapper differs.
fn combobox(form: &Form<'_>, id: &str, label: &str, required: bool, options: &[&str]) -> String {
    let (invalid, error) = invalid(form, id);
    let chosen = form.value(id);
    let chosen = if options.contains(&chosen) {
        chosen
    } else {
        ""
    };
    let options_json = serde_json::to_string(options).unwrap_or_else(|_| "[]".to_owned());
    let (placeholder_hidden, single_value) = if chosen.is_empty() {
        ("", String::new())
    } else {
        (
            " hidden",
            format!("<div class=\"select__single-value\">{}</div>", esc(chosen)),
        )
    };
    // react-select renders its required twin only for required selects.
    let twin = if required {
        format!(
            "<input required=\"\" tabindex=\"-1\" aria-hidden=\"true\" class=\"requiredInput\" value=\"{}\">",
            esc(chosen)
        )
    } else {
        String::new()
    };
    format!(
        "<div class=\"select\"><div class=\"select__container\">\
         <label id=\"{id}-label\" for=\"{id}\" class=\"label select__label\">{label}{mark}</label>\
         <div class=\"select-shell\" data-options=\"{options}\">\
         <span id=\"react-select-{id}-live-region\" class=\"a11yText\"></span>\
         <span aria-live=\"polite\" aria-atomic=\"false\" aria-relevant=\"additions text\" role=\"log\" class=\"a11yText\"></span>\
         <div><div class=\"select__control\"><div class=\"select__value-container\">\
         <div class=\"select__placeholder\" id=\"react-select-{id}-placeholder\"{placeholder_hidden}>Select...</div>\
         {single_value}\
         <div class=\"select__input-container\" data-value=\"\">\
         <input class=\"select__input\" autocapitalize=\"none\" autocomplete=\"off\" autocorrect=\"off\" id=\"{id}\" \
         spellcheck=\"false\" tabindex=\"0\" type=\"text\" aria-autocomplete=\"list\" aria-expanded=\"false\" \
         aria-haspopup=\"true\" aria-errormessage=\"{id}-error\" aria-invalid=\"{invalid}\" aria-labelledby=\"{id}-label\" \
         aria-required=\"{required}\" role=\"combobox\" aria-activedescendant=\"\" \
         aria-describedby=\"react-select-{id}-placeholder {id}-error\" enterkeyhint=\"done\" value=\"\"></div></div>\
         <div class=\"select__indicators\"><button type=\"button\" class=\"icon-button icon-button--sm\" \
         aria-label=\"Toggle flyout\" tabindex=\"-1\">&#9662;</button></div></div></div>\
         <input name=\"{id}\" type=\"hidden\" value=\"{value}\">{twin}</div>{error}</div></div>",
        label = esc(label),
        mark = required_mark(required),
        options = esc(&options_json),
        value = esc(chosen),
    )
}

fn upload(form: &Form<'_>, id: &str, label: &str, required: bool) -> String {
    let (_, error) = invalid(form, id);
    let text = form.value(&format!("{id}_text"));
    let text_attrs = if text.is_empty() {
        " hidden disabled"
    } else {
        ""
    };
    let mark = if required {
        "<span class=\"required\">*</span>"
    } else {
        ""
    };
    format!(
        "<div class=\"field-wrapper\"><div role=\"group\" aria-labelledby=\"upload-label-{id}\" aria-required=\"{required}\" \
         class=\"file-upload\" data-allow-s3=\"false\">\
         <div id=\"upload-label-{id}\" class=\"label upload-label\">{label}{mark}</div>\
         <div class=\"file-upload__wrapper\"><div class=\"file-upload__filename\" id=\"{id}-filename\" hidden>\
         <p class=\"filename\"></p><button type=\"button\" class=\"btn btn--tertiary\" data-action=\"remove\" \
         aria-label=\"Remove file\">Remove</button></div>\
         <div class=\"button-container\">\
         <div class=\"secondary-button\"><div><button type=\"button\" class=\"btn btn--pill\" data-action=\"attach\">Attach</button>\
         <label class=\"visually-hidden\" for=\"{id}\">Attach</label>\
         <input id=\"{id}\" name=\"{id}\" class=\"visually-hidden\" type=\"file\" accept=\".pdf,.doc,.docx,.txt,.rtf\"></div></div>\
         <div class=\"secondary-button\"><button type=\"button\" class=\"btn btn--pill\" data-testid=\"{id}-dropbox\">Dropbox</button></div>\
         <div class=\"secondary-button\"><button type=\"button\" class=\"btn btn--pill\">Google Drive</button></div>\
         <div class=\"secondary-button\"><div><button type=\"button\" class=\"btn btn--pill\" data-testid=\"{id}-text\" \
         data-action=\"manual\">Enter manually</button><label class=\"visually-hidden\" for=\"{id}_text\">Enter manually</label></div></div>\
         <p class=\"file-upload__filetypes\">Accepted file types: pdf, doc, docx, txt, rtf</p></div>\
         <textarea id=\"{id}_text\" name=\"{id}_text\" class=\"input input__multi-line\" rows=\"6\" \
         aria-label=\"{label}\"{text_attrs}>{text}</textarea></div>{error}</div></div>",
        label = esc(label),
        text = esc(text),
    )
}

fn checkbox_group(form: &Form<'_>, id: &str, label: &str, options: &[&str]) -> String {
    let (invalid, error) = invalid(form, id);
    let name = format!("{id}[]");
    let boxes: String = options
        .iter()
        .enumerate()
        .map(|(index, option)| {
            format!(
                "<div class=\"checkbox__input\"><input type=\"checkbox\" id=\"{id}_{index}\" name=\"{name}\" \
                 value=\"{value}\"{checked}><label for=\"{id}_{index}\" class=\"label checkbox__label\">{value}</label></div>",
                value = esc(option),
                checked = flag(form.has_value(&name, option), "checked"),
            )
        })
        .collect();
    format!(
        "<div class=\"field-wrapper\"><fieldset class=\"checkbox\" id=\"{id}\" aria-required=\"true\" \
         aria-invalid=\"{invalid}\" aria-describedby=\"{id}-error\">\
         <legend id=\"{id}-label\" class=\"label\">{label}{mark}</legend>\
         <div class=\"checkbox__wrapper\">{boxes}</div>{error}</fieldset></div>",
        label = esc(label),
        mark = required_mark(true),
    )
}

fn render_form(form: &Form<'_>, action: &str) -> String {
    let mut out = format!(
        "<form method=\"post\" enctype=\"multipart/form-data\" action=\"{}\" id=\"application-form\" \
         class=\"application--form\"><div class=\"application--questions\">",
        esc(action)
    );
    out += &text_field(form, "first_name", "First Name", true, Some("given-name"));
    out += &text_field(form, "last_name", "Last Name", true, Some("family-name"));
    out += &text_field(form, "email", "Email", true, Some("email"));
    out += &phone_field(form);
    out += &upload(form, "resume", "Resume/CV", true);
    out += &upload(form, "cover_letter", "Cover Letter", false);
    out += "</div><div class=\"application--questions\"><hr>";
    out += &text_field(form, LINKEDIN, "LinkedIn Profile", false, None);
    out += "<div class=\"field-wrapper\">";
    out += &combobox(
        form,
        AUTHORIZED,
        "Are you legally authorized to work in the United States?",
        true,
        YES_NO,
    );
    out += "</div><div class=\"field-wrapper\">";
    out += &combobox(
        form,
        HEARD_FROM,
        "How did you hear about this job?",
        false,
        HEARD_FROM_OPTIONS,
    );
    out += "</div>";
    out += &checkbox_group(
        form,
        LANGUAGES,
        "Which of these languages have you used in production?",
        LANGUAGE_OPTIONS,
    );
    out += "</div><div class=\"eeoc__container body\"><div class=\"divider\" role=\"separator\"></div>\
        <div><h2 class=\"section-header font-primary\">Voluntary Self-Identification</h2>\
        <p>Acme Robotics reports applicant demographics to the government as an equal opportunity \
        employer. Answering is optional: leaving these questions blank has no effect on how your \
        application is reviewed.</p></div><div class=\"eeoc__question__wrapper\">";
    out += &combobox(form, "gender", "Gender", false, GENDER_OPTIONS);
    out += "</div></div><div class=\"application--submit\"><button type=\"submit\" class=\"btn btn--pill\" \
        aria-disabled=\"false\">Submit application</button></div></form>";
    out
}

fn application_container(form: &Form<'_>, action: &str) -> String {
    format!(
        "<div class=\"application--container\"><div class=\"application--header\">\
         <div class=\"application--header--text\"><div class=\"application--header--title\">\
         <h2 class=\"section-header font-primary\">Apply for this job</h2></div>\
         <div class=\"application--header--required\"><p class=\"body body__secondary\">* indicates a required field</p>\
         </div></div></div>{}</div>",
        render_form(form, action)
    )
}

fn render_job_page(form: &Form<'_>) -> String {
    let body = format!(
        "<body><div id=\"react-portal-mount-point\"></div><main class=\"main font-secondary job-post\">\
         <div class=\"job-post-container\"><div><a class=\"link\" href=\"/greenhouse/acme\">Back to jobs</a>\
         <div class=\"job__header\"><div class=\"job__title\">\
         <h1 class=\"section-header section-header--large font-primary\">{JOB_TITLE}</h1>\
         <div class=\"job__location\"><div>Remote, United States</div></div></div>\
         <button type=\"button\" class=\"btn btn--pill\" aria-label=\"Apply\">Apply</button></div>\
         <div class=\"job__description body\"><p>Acme Robotics builds small delivery robots for hospitals. \
         You will test prototypes in the field and turn what you learn into firmware changes.</p></div></div>\
         <div class=\"divider\" role=\"separator\"></div>{container}</div></main>\
         <footer class=\"footer\"><div class=\"footer-row\"><p class=\"body\">Powered by</p>\
         <a class=\"footer-logo-link\" target=\"_blank\" href=\"https://www.greenhouse.com\" rel=\"noreferrer\">Greenhouse</a>\
         </div></footer><script>{SCRIPT}</script></body>",
        container = application_container(form, START_PATH),
    );
    document(
        &format!("Job Application for {JOB_TITLE} at Acme Robotics"),
        STYLE,
        &body,
    )
}

fn render_embed_page(form: &Form<'_>) -> String {
    let body = format!(
        "<body class=\"embedded\"><main class=\"main font-secondary job-post\"><div class=\"job-post-container\">\
         <div class=\"job__header\"><div class=\"job__title\">\
         <h1 class=\"section-header section-header--large font-primary\">{JOB_TITLE}</h1>\
         <div class=\"job__location\"><div>Remote, United States</div></div></div></div>{container}</div></main>\
         <script>{SCRIPT}</script></body>",
        container = application_container(form, &format!("{EMBED_PATH}?{EMBED_QUERY}")),
    );
    document(
        &format!("Job Application for {JOB_TITLE} at Acme Robotics"),
        STYLE,
        &body,
    )
}

fn confirmation_body() -> String {
    format!(
        "<main class=\"main font-secondary\"><div class=\"confirmation\">\
         <h1 class=\"section-header section-header--large font-primary\">Thank you for applying.</h1>\
         <div class=\"confirmation__body body\"><p>Your application has been received. If your \
         experience fits the {JOB_TITLE} role, someone from Acme Robotics will contact you.</p></div>\
         </div></main>"
    )
}

async fn confirmation() -> Html<String> {
    Html(document(
        &format!("Job Application for {JOB_TITLE} at Acme Robotics"),
        STYLE,
        &format!("<body>{}</body>", confirmation_body()),
    ))
}

async fn embed_confirmation() -> Html<String> {
    Html(document(
        "Application received",
        STYLE,
        &format!("<body class=\"embedded\">{}</body>", confirmation_body()),
    ))
}

async fn careers_page() -> Html<String> {
    let body = format!(
        "<body><header class=\"site-header\"><a href=\"/\" class=\"logo\">Acme Robotics</a>\
         <nav><a href=\"/\">Home</a> <a href=\"/company/careers\">Careers</a></nav></header>\
         <main><h1>Careers at Acme Robotics</h1><h2>{JOB_TITLE}</h2>\
         <p>Remote, United States &middot; Engineering</p>\
         <p>Help us take delivery robots from the lab to hospital corridors.</p>\
         <div id=\"grnhse_app\"><iframe id=\"grnhse_iframe\" width=\"100%\" frameborder=\"0\" scrolling=\"no\" \
         allow=\"geolocation\" title=\"Greenhouse Job Board\" style=\"height: 2200px; border: 0\" \
         src=\"{EMBED_PATH}?{query}\"></iframe></div></main>\
         <footer><p>&copy; Acme Robotics</p></footer></body>",
        query = esc(EMBED_QUERY),
    );
    Html(document("Careers | Acme Robotics", "", &body))
}

const STYLE: &str = "\
body{font-family:sans-serif;margin:0 auto;max-width:760px;padding:16px}\
.visually-hidden,.a11yText{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}\
.field-wrapper{margin:16px 0}.label{display:block;font-weight:600;margin-bottom:4px}\
.input{width:100%;padding:6px;box-sizing:border-box}\
.helper-text--error{color:#b00020;margin:4px 0}\
[aria-invalid=true]{border-color:#b00020}\
.select-shell{position:relative}\
.select__control{display:flex;border:1px solid #888;border-radius:4px;min-height:34px;cursor:default}\
.select__value-container{flex:1;display:grid;align-items:center;padding:2px 8px}\
.select__placeholder,.select__single-value,.select__input-container{grid-area:1/1/2/3}\
.select__placeholder{color:#777}.select__input{width:100%;border:0;outline:0;background:transparent;font:inherit}\
.select__menu{position:absolute;left:0;right:0;z-index:10;background:#fff;border:1px solid #888;margin-top:2px}\
.select__option{padding:6px 10px;cursor:pointer}.select__option--is-focused{background:#dde7ff}\
.select__menu-notice{padding:6px 10px;color:#777}\
.requiredInput{opacity:0;pointer-events:none;position:absolute;bottom:0;left:0;right:0;width:100%}\
.button-container{display:flex;gap:8px;flex-wrap:wrap;align-items:center}\
.btn{padding:6px 14px;border-radius:16px;border:1px solid #444;background:#fff}\
.file-upload__filename{display:flex;gap:8px;align-items:center}.file-upload__filename[hidden]{display:none}\
.checkbox{border:0;padding:0}.checkbox__input{display:flex;gap:6px;align-items:center}\
.checkbox__input .label{font-weight:400;margin:0}\
";

/// Vanilla stand-ins for the React widgets: comboboxes, the upload group.
const SCRIPT: &str = r##"
(function () {
  function setupSelect(shell) {
    var input = shell.querySelector('input[role=combobox]');
    var id = input.id;
    var hidden = shell.querySelector('input[type=hidden]');
    var twin = shell.querySelector('input.requiredInput');
    var control = shell.querySelector('.select__control');
    var valueBox = shell.querySelector('.select__value-container');
    var inputBox = shell.querySelector('.select__input-container');
    var placeholder = shell.querySelector('.select__placeholder');
    var options = JSON.parse(shell.getAttribute('data-options') || '[]');
    var menu = null, shown = [], focused = -1;

    function single() { return valueBox.querySelector('.select__single-value'); }
    function refresh() {
      var typing = input.value !== '';
      var s = single();
      if (s) s.hidden = typing;
      placeholder.hidden = typing || !!s;
      inputBox.setAttribute('data-value', input.value);
    }
    function focusOption(i) {
      if (!menu) return;
      var els = menu.querySelectorAll('[role=option]');
      if (!els.length) { focused = -1; return; }
      focused = (i + els.length) % els.length;
      els.forEach(function (el, j) { el.classList.toggle('select__option--is-focused', j === focused); });
      input.setAttribute('aria-activedescendant', els[focused].id);
    }
    function close() {
      if (menu) { menu.remove(); menu = null; }
      focused = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-controls');
      input.setAttribute('aria-activedescendant', '');
    }
    function open() {
      close();
      var q = input.value.toLowerCase();
      shown = options.filter(function (o) { return o.toLowerCase().indexOf(q) !== -1; });
      menu = document.createElement('div');
      menu.className = 'select__menu';
      var list = document.createElement('div');
      list.className = 'select__menu-list';
      list.setAttribute('role', 'listbox');
      list.id = 'react-select-' + id + '-listbox';
      if (!shown.length) {
        var none = document.createElement('div');
        none.className = 'select__menu-notice select__menu-notice--no-options';
        none.textContent = 'No options';
        list.appendChild(none);
      }
      shown.forEach(function (o, i) {
        var el = document.createElement('div');
        el.className = 'select__option';
        el.id = 'react-select-' + id + '-option-' + i;
        el.setAttribute('role', 'option');
        el.setAttribute('aria-selected', String(o === hidden.value));
        el.setAttribute('aria-disabled', 'false');
        el.tabIndex = -1;
        el.textContent = o;
        el.addEventListener('mousedown', function (e) { e.preventDefault(); });
        el.addEventListener('mousemove', function () { focusOption(i); });
        el.addEventListener('click', function () { choose(o); });
        list.appendChild(el);
      });
      menu.appendChild(list);
      control.parentNode.appendChild(menu);
      input.setAttribute('aria-expanded', 'true');
      input.setAttribute('aria-controls', list.id);
      focusOption(0);
    }
    function choose(o) {
      hidden.value = o;
      if (twin) twin.value = o;
      var s = single();
      if (!s) {
        s = document.createElement('div');
        s.className = 'select__single-value';
        valueBox.insertBefore(s, inputBox);
      }
      s.textContent = o;
      input.value = '';
      input.setAttribute('aria-invalid', 'false');
      close();
      refresh();
      hidden.dispatchEvent(new Event('change', { bubbles: true }));
    }
    function clear() {
      hidden.value = '';
      if (twin) twin.value = '';
      var s = single();
      if (s) s.remove();
      refresh();
    }
    control.addEventListener('mousedown', function (e) {
      if (e.target !== input) e.preventDefault();
      input.focus();
      if (menu) close(); else open();
    });
    input.addEventListener('input', function () { refresh(); open(); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); if (menu) focusOption(focused + 1); else open(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); if (menu) focusOption(focused - 1); else open(); }
      else if (e.key === 'Enter') {
        if (menu) { e.preventDefault(); if (focused >= 0) choose(shown[focused]); }
      } else if (e.key === 'Tab') {
        if (menu && focused >= 0 && input.value !== '') choose(shown[focused]);
      } else if (e.key === 'Escape') { close(); }
      else if (e.key === 'Backspace' && input.value === '') { clear(); }
    });
    input.addEventListener('blur', function () { close(); input.value = ''; refresh(); });
  }

  function setupUpload(group) {
    var input = group.querySelector('input[type=file]');
    var nameBox = group.querySelector('.file-upload__filename');
    var text = group.querySelector('textarea');
    group.querySelector('[data-action=attach]').addEventListener('click', function () { input.click(); });
    group.querySelector('[data-action=manual]').addEventListener('click', function () {
      text.hidden = false; text.disabled = false; text.focus();
    });
    group.querySelector('[data-action=remove]').addEventListener('click', function () {
      input.value = ''; nameBox.hidden = true;
    });
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      nameBox.querySelector('.filename').textContent = file ? file.name : '';
      nameBox.hidden = !file;
    });
  }

  document.querySelectorAll('.select-shell[data-options]').forEach(setupSelect);
  document.querySelectorAll('.file-upload').forEach(setupUpload);
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(fields: &[(&str, &str)]) -> Submission {
        Submission {
            flow: Flow::Greenhouse,
            fields: fields
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            files: Vec::new(),
        }
    }

    #[test]
    fn manual_resume_text_satisfies_the_resume_requirement() {
        let posted = submission(&[
            ("first_name", "Ada"),
            ("last_name", "Lovelace"),
            ("email", "ada@example.com"),
            ("resume_text", "Analyst, engines"),
            (AUTHORIZED, "Yes"),
            (LANGUAGES_NAME, "Rust"),
        ]);
        assert_eq!(validate(&posted), Vec::new());
    }

    #[test]
    fn combobox_value_must_be_one_of_its_options() {
        let posted = submission(&[(AUTHORIZED, "Maybe")]);
        assert!(validate(&posted).contains(&(AUTHORIZED, REQUIRED)));
    }
}
