//! Lever style application, and the variant whose submit shows an hCaptcha challenge.
//!
//! Modelled on jobs.lever.co apply pages: `form#application-form` posting multipart to its own
//! URL, Lever's field names (`name`, `email`, `urls[LinkedIn]`, `cards[<uuid>][fieldN]`,
//! `eeo[gender]`, `comments`), `✱` required markers, the system hidden inputs, the invisible
//! hCaptcha widget and a `button#btn-submit` of type button whose click handler submits.

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::{Posted, read_form, see_other};
use crate::html::{document, esc, flag, looks_like_email};
use crate::{Flow, MockState, Submission};

/// Start path of [`Flow::Lever`].
pub(crate) const START_PATH: &str = "/lever/acme/5f7c2a1e-3b8d-4c6a-9e21-7d4b8a0c1f35/apply";
/// Start path of [`Flow::LeverCaptcha`].
pub(crate) const CAPTCHA_START_PATH: &str =
    "/lever/acme/0b9e4d27-61c3-4f8a-a5d2-3e8f1c7b9a64/apply";
const THANKS_PATH: &str = "/lever/acme/5f7c2a1e-3b8d-4c6a-9e21-7d4b8a0c1f35/thanks";
/// Local stand-ins for hCaptcha's frames: the paths contain `hcaptcha.com` like the real
/// iframe sources, but nothing leaves the machine.
const HCAPTCHA_CHALLENGE_PATH: &str = "/hcaptcha.com/captcha/v1/static/hcaptcha.html";
const HCAPTCHA_ENCLAVE_PATH: &str = "/hcaptcha.com/captcha/v1/static/hcaptcha-enclave.html";

const CARD: &str = "a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c";
const SPONSORSHIP: &str = "cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c][field0]";
const TOOLS: &str = "cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c][field1]";
const WHY: &str = "cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c][field2]";
const SPONSORSHIP_OPTIONS: &[&str] = &["Yes", "No"];
const TOOL_OPTIONS: &[&str] = &["Kubernetes", "PostgreSQL", "Kafka", "gRPC"];

const JOB_TITLE: &str = "Backend Engineer, Fleet Platform";
const REQUIRED: &str = "This field is required.";
const BAD_EMAIL: &str = "Please enter a valid email address.";

pub(crate) fn routes() -> Router<MockState> {
    Router::new()
        .route(START_PATH, get(form_page).post(submit))
        .route(
            CAPTCHA_START_PATH,
            get(captcha_form_page).post(submit_captcha),
        )
        .route(THANKS_PATH, get(thanks))
        .route(HCAPTCHA_CHALLENGE_PATH, get(hcaptcha_challenge))
        .route(HCAPTCHA_ENCLAVE_PATH, get(hcaptcha_enclave))
}

async fn form_page() -> Html<String> {
    Html(render(&Posted::empty(), false))
}

async fn captcha_form_page() -> Html<String> {
    Html(render(&Posted::empty(), false))
}

async fn submit(State(state): State<MockState>, request: Request) -> Response {
    let submission = match read_form(Flow::Lever, request).await {
        Ok(submission) => submission,
        Err(response) => return response,
    };
    let errors = validate(&submission);
    if errors.is_empty() {
        state.record(submission);
        return see_other(THANKS_PATH);
    }
    let page = render(
        &Posted {
            values: Some(&submission),
            errors,
        },
        false,
    );
    state.record_rejected(submission.clone());
    Html(page).into_response()
}

/// The captcha variant reads the post (so the browser sees a normal answer) and records
/// nothing: the application never reaches the ATS.
async fn submit_captcha(request: Request) -> Response {
    if let Err(response) = read_form(Flow::LeverCaptcha, request).await {
        return response;
    }
    Html(render(&Posted::empty(), true)).into_response()
}

fn validate(submission: &Submission) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    if submission.text("name").is_empty() {
        errors.push(("name", REQUIRED));
    }
    let email = submission.text("email");
    if email.is_empty() {
        errors.push(("email", REQUIRED));
    } else if !looks_like_email(email) {
        errors.push(("email", BAD_EMAIL));
    }
    if !submission.has_file("resume") {
        errors.push(("resume", REQUIRED));
    }
    if !SPONSORSHIP_OPTIONS.contains(&submission.text(SPONSORSHIP)) {
        errors.push((SPONSORSHIP, REQUIRED));
    }
    if submission.text(WHY).is_empty() {
        errors.push((WHY, REQUIRED));
    }
    errors
}

fn required_mark(required: bool) -> &'static str {
    if required {
        "<span class=\"required\">✱</span>"
    } else {
        ""
    }
}

fn error_message(form: &Posted<'_>, name: &str) -> String {
    form.error(name)
        .map(|message| {
            format!(
                "<div class=\"error-message\" data-qa=\"error-message\" role=\"alert\">{}</div>",
                esc(message)
            )
        })
        .unwrap_or_default()
}

fn li_class(form: &Posted<'_>, base: &str, name: &str) -> String {
    if form.error(name).is_some() {
        format!("{base} error")
    } else {
        base.to_owned()
    }
}

/// A contact question: `<li><label><div class=application-label>…</div><div class=application-field><input…>`.
fn contact_question(
    form: &Posted<'_>,
    label: &str,
    name: &str,
    input_type: &str,
    qa: Option<&str>,
    required: bool,
) -> String {
    let qa = qa
        .map(|qa| format!(" data-qa=\"{qa}\""))
        .unwrap_or_default();
    format!(
        "<li class=\"{class}\"><label><div class=\"application-label\">{label}{mark}</div>\
         <div class=\"application-field\"><input type=\"{input_type}\"{qa} name=\"{name}\" value=\"{value}\"{required}>\
         {error}</div></label></li>",
        class = li_class(form, "application-question", name),
        label = esc(label),
        mark = required_mark(required),
        value = esc(form.value(name)),
        required = flag(required, "required=\"\""),
        error = error_message(form, name),
    )
}

fn base_template() -> String {
    let template = serde_json::json!({
        "text": "Additional questions",
        "instructions": "",
        "type": "posting",
        "id": CARD,
        "fields": [
            {"type": "multiple-choice", "text": "Will you now or in the future require visa sponsorship to work in Germany?",
             "required": true, "options": [{"text": "Yes"}, {"text": "No"}]},
            {"type": "multiple-select", "text": "Which of these have you run in production?",
             "required": false, "options": TOOL_OPTIONS.iter().map(|text| serde_json::json!({"text": text})).collect::<Vec<_>>()},
            {"type": "textarea", "text": "Why do you want to work on delivery robots?", "required": true},
        ],
    });
    template.to_string()
}

fn card(form: &Posted<'_>) -> String {
    let radios: String = SPONSORSHIP_OPTIONS
        .iter()
        .map(|option| {
            format!(
                "<li><label><input type=\"radio\" name=\"{SPONSORSHIP}\" value=\"{value}\" required=\"required\"{checked}>\
                 <span class=\"application-answer-alternative\">{value}</span></label></li>",
                value = esc(option),
                checked = flag(form.value(SPONSORSHIP) == *option, "checked"),
            )
        })
        .collect();
    let boxes: String = TOOL_OPTIONS
        .iter()
        .map(|option| {
            format!(
                "<li><label><input type=\"checkbox\" name=\"{TOOLS}\" value=\"{value}\"{checked}>\
                 <span class=\"application-answer-alternative\">{value}</span></label></li>",
                value = esc(option),
                checked = flag(form.has_value(TOOLS, option), "checked"),
            )
        })
        .collect();
    format!(
        "<div class=\"section page-centered application-form\" data-qa=\"additional-cards\">\
         <h4 data-qa=\"card-name\">Additional questions</h4>\
         <input type=\"hidden\" value=\"{template}\" name=\"cards[{CARD}][baseTemplate]\"><ul>\
         <li class=\"{class0}\"><div><div class=\"application-label full-width multiple-choice\"><div class=\"text\">\
         Will you now or in the future require visa sponsorship to work in Germany?{mark}</div></div>\
         <div class=\"application-field full-width required-field\"><ul data-qa=\"multiple-choice\">{radios}</ul>{error0}</div></div></li>\
         <li class=\"application-question custom-question\"><div><div class=\"application-label full-width multiple-select\">\
         <div class=\"text\">Which of these have you run in production?</div></div>\
         <div class=\"application-field full-width\"><ul data-qa=\"checkboxes\">{boxes}</ul></div></div></li>\
         <li class=\"{class2}\"><div><div class=\"application-label full-width textarea\"><div class=\"text\">\
         Why do you want to work on delivery robots?{mark}</div></div>\
         <div class=\"application-field full-width required-field\"><textarea class=\"card-field-input\" name=\"{WHY}\" \
         required=\"required\">{why}</textarea>{error2}</div></div></li></ul></div>",
        template = esc(&base_template()),
        class0 = li_class(form, "application-question custom-question", SPONSORSHIP),
        class2 = li_class(form, "application-question custom-question", WHY),
        mark = required_mark(true),
        error0 = error_message(form, SPONSORSHIP),
        error2 = error_message(form, WHY),
        why = esc(form.value(WHY)),
    )
}

fn eeo_select(form: &Posted<'_>, name: &str, label: &str, options: &[&str]) -> String {
    let options: String = options
        .iter()
        .map(|option| {
            format!(
                "<option value=\"{value}\"{selected}>{value}</option>",
                value = esc(option),
                selected = flag(form.value(name) == *option, "selected"),
            )
        })
        .collect();
    format!(
        "<div class=\"application-question\"><label><div class=\"application-label\">{label}</div>\
         <div class=\"application-field\"><div class=\"application-dropdown\"><select name=\"{name}\">\
         <option value=\"\">Select ...</option>{options}</select></div></div></label></div>"
    )
}

fn render(form: &Posted<'_>, challenge: bool) -> String {
    let resume_error = error_message(form, "resume");
    let banner = if form.errors.is_empty() {
        String::new()
    } else {
        "<div class=\"application-error section page-centered\" data-qa=\"application-error\" role=\"alert\">\
         There was a problem with your application. Please check the fields marked below.</div>"
            .to_owned()
    };
    let mut body = format!(
        "<body class=\"application header-compact\"><div class=\"page application\">\
         <div class=\"main-header page-full-width section-wrapper\"><div class=\"main-header-content page-centered narrow-section page-full-width\">\
         <a href=\"/lever/acme\" class=\"main-header-logo\">Acme Robotics</a></div></div></div>\
         <div class=\"content-wrapper application-page\"><div class=\"content\">\
         <div class=\"section-wrapper accent-section small-accent page-full-width\"><div class=\"section page-centered posting-header\">\
         <h2>{JOB_TITLE}</h2><div class=\"posting-categories\">\
         <div class=\"posting-category medium-category-label location\">Berlin</div>\
         <div class=\"posting-category medium-category-label department\">Engineering /</div>\
         <div class=\"posting-category medium-category-label commitment\">Full-time</div></div></div></div>\
         <div class=\"section-wrapper page-full-width\">{banner}\
         <form id=\"application-form\" enctype=\"multipart/form-data\" method=\"POST\">\
         <div class=\"section page-centered application-form\"><h4>Submit your application</h4><ul>\
         <li class=\"{resume_class}\"><label><div class=\"application-label\">Resume/CV {mark}</div>\
         <div class=\"application-field\"><a href=\"#\" class=\"postings-btn template-btn-utility visible-resume-upload\">\
         <span class=\"filename\"></span><span class=\"default-label\">ATTACH RESUME/CV</span>\
         <input class=\"application-file-input invisible-resume-upload\" data-qa=\"input-resume\" id=\"resume-upload-input\" \
         name=\"resume\" tabindex=\"-1\" type=\"file\"></a>\
         <span class=\"resume-upload-success\" hidden><div class=\"resume-upload-label\">Success!</div></span>{resume_error}</div></label></li>",
        resume_class = li_class(form, "application-question resume", "resume"),
        mark = required_mark(true),
    );
    body += &contact_question(form, "Full name", "name", "text", Some("name-input"), true);
    body += &contact_question(form, "Email", "email", "email", Some("email-input"), true);
    body += &contact_question(form, "Phone", "phone", "text", Some("phone-input"), false);
    body += &format!(
        "<li class=\"application-question\" data-qa=\"structured-contact-location-question\"><label>\
         <div class=\"application-label\">Current location</div><div class=\"application-field\">\
         <input class=\"location-input\" data-qa=\"location-input\" id=\"location-input\" type=\"text\" maxlength=\"100\" \
         name=\"location\" value=\"{}\"><input id=\"selected-location\" type=\"hidden\" name=\"selectedLocation\"></div></label></li>",
        esc(form.value("location"))
    );
    body += &contact_question(
        form,
        "Current company",
        "org",
        "text",
        Some("org-input"),
        false,
    );
    body += "</ul></div><div class=\"section page-centered application-form\"><h4>Links</h4><ul>";
    body += &contact_question(form, "LinkedIn URL", "urls[LinkedIn]", "text", None, false);
    body += &contact_question(form, "GitHub URL", "urls[GitHub]", "text", None, false);
    body += "</ul></div>";
    body += &card(form);
    body += &format!(
        "<div class=\"section page-centered application-form\"><h4>Additional information</h4><ul>\
         <li class=\"application-question additional-information\"><div class=\"application-additional\">\
         <textarea name=\"comments\" id=\"additional-information\" \
         placeholder=\"Add a cover letter or anything else you want to share.\">{}</textarea></div></li></ul></div>",
        esc(form.value("comments"))
    );
    body += "<div class=\"section eeo-section page-centered application-form\" data-qa=\"eeo-section\"><hr>\
        <h4>U.S. Equal Employment Opportunity information &nbsp; <span class=\"eeo-light-text\">\
        (Completion is voluntary and will not subject you to adverse treatment)</span></h4>\
        <p>Acme Robotics is an equal opportunity employer. The answers below are optional, kept \
        apart from your application, and never shown to the people who review it.</p>";
    body += &eeo_select(
        form,
        "eeo[gender]",
        "Gender",
        &["Male", "Female", "Decline to self-identify"],
    );
    body += &eeo_select(
        form,
        "eeo[race]",
        "Race",
        &[
            "Hispanic or Latino",
            "White (Not Hispanic or Latino)",
            "Black or African American (Not Hispanic or Latino)",
            "Asian (Not Hispanic or Latino)",
            "Two or More Races (Not Hispanic or Latino)",
            "Decline to self-identify",
        ],
    );
    body += &eeo_select(
        form,
        "eeo[veteran]",
        "Veteran status",
        &[
            "I am a veteran",
            "I am not a veteran",
            "Decline to self-identify",
        ],
    );
    body += &format!(
        "</div><input type=\"hidden\" name=\"accountId\" value=\"7e1f0c4a-2d3b-4a5c-8e9f-0a1b2c3d4e5f\">\
         <input type=\"hidden\" name=\"linkedInData\"><input type=\"hidden\" name=\"origin\">\
         <input type=\"hidden\" name=\"referer\"><input type=\"hidden\" name=\"timezone\" id=\"applicant-timezone\" value=\"\">\
         <input type=\"hidden\" name=\"socialReferralKey\"><input type=\"hidden\" name=\"socialSource\">\
         <input type=\"hidden\" name=\"resumeStorageId\" value=\"\">\
         <input id=\"hcaptchaResponseInput\" type=\"hidden\" name=\"h-captcha-response\" value=\"\">\
         <button id=\"hcaptchaSubmitBtn\" type=\"submit\" class=\"hidden\"></button>\
         <input type=\"hidden\" name=\"source\">\
         <div id=\"h-captcha\" class=\"h-captcha\" data-sitekey=\"10000000-ffff-ffff-ffff-000000000001\" data-size=\"invisible\">\
         <iframe title=\"Widget containing checkbox for hCaptcha security challenge\" frameborder=\"0\" scrolling=\"no\" \
         src=\"{HCAPTCHA_ENCLAVE_PATH}#frame=checkbox-invisible&amp;host=jobs.lever.co\" \
         style=\"position: fixed; top: 0px; left: 0px; width: 100%; height: 100%; z-index: -1; visibility: hidden;\"></iframe></div>\
         <div class=\"section page-centered application-form last-section-apply\">\
         <button id=\"btn-submit\" type=\"button\" class=\"postings-btn template-btn-submit shamrock\" data-qa=\"btn-submit\">\
         Submit application</button></div></form></div></div></div>\
         <div class=\"main-footer page-full-width\"><div class=\"main-footer-text\">\
         <a href=\"https://www.lever.co/job-seeker-support/\" class=\"image-link\"><span>Jobs powered by </span>Lever</a></div></div>"
    );
    if challenge {
        body += &format!(
            "<div class=\"hcaptcha-challenge-overlay\" style=\"visibility: visible; position: fixed; inset: 0; \
             z-index: 2147483647; background: rgba(255, 255, 255, 0.7);\">\
             <div style=\"position: absolute; top: 40px; left: 50%; transform: translateX(-50%); \
             border: 1px solid #ccc; background: #fff; box-shadow: 0 0 8px #999;\">\
             <iframe title=\"Main content of the hCaptcha challenge\" frameborder=\"0\" scrolling=\"no\" \
             src=\"{HCAPTCHA_CHALLENGE_PATH}#frame=challenge&amp;id=0mock&amp;host=jobs.lever.co&amp;sitekey=10000000-ffff-ffff-ffff-000000000001\" \
             style=\"visibility: visible; width: 400px; height: 580px; border: 0;\"></iframe></div></div>"
        );
    }
    body += "<script>";
    body += SCRIPT;
    body += "</script></body>";
    document(&format!("Acme Robotics - {JOB_TITLE}"), STYLE, &body)
}

async fn thanks() -> Html<String> {
    let body = format!(
        "<body class=\"thanks\"><div class=\"page application\"><div class=\"main-header page-full-width section-wrapper\">\
         <div class=\"main-header-content page-centered narrow-section page-full-width\">\
         <a href=\"/lever/acme\" class=\"main-header-logo\">Acme Robotics</a></div></div></div>\
         <div class=\"content-wrapper thanks-page\"><div class=\"content\"><div class=\"section page-centered application-confirmation\" \
         data-qa=\"application-confirmation\"><h3 data-qa=\"msg-submit-success\">Application submitted!</h3>\
         <p>Thanks for applying to {JOB_TITLE} at Acme Robotics. We have your application and will \
         be in touch if your experience is a match.</p></div></div></div></body>"
    );
    Html(document("Acme Robotics", STYLE, &body))
}

async fn hcaptcha_challenge() -> Html<String> {
    let tiles: String = (0..9)
        .map(|index| format!("<div class=\"task-image\" role=\"button\" tabindex=\"0\" aria-label=\"Challenge Image {}\"></div>", index + 1))
        .collect();
    let body = format!(
        "<body><div class=\"challenge-container\"><div class=\"prompt-text\">\
         <h2>Please click each image containing a bicycle</h2></div>\
         <div class=\"task-grid\">{tiles}</div>\
         <div class=\"button-submit button\" role=\"button\" tabindex=\"0\" aria-label=\"Verify Answers\">Verify</div>\
         </div></body>"
    );
    Html(document(
        "hCaptcha",
        ".task-grid{display:grid;grid-template-columns:repeat(3,110px);gap:6px}\
         .task-image{width:110px;height:110px;background:#cfd8dc}\
         .button-submit{margin-top:12px;padding:8px;background:#0074bf;color:#fff;text-align:center}",
        &body,
    ))
}

async fn hcaptcha_enclave() -> Html<String> {
    Html(document("hCaptcha", "", "<body></body>"))
}

const STYLE: &str = "\
body{font-family:sans-serif;margin:0 auto;max-width:760px;padding:16px}\
.hidden{display:none}\
.application-question{list-style:none;margin:12px 0}\
.application-label{font-weight:600;margin-bottom:4px}\
.application-field input[type=text],.application-field input[type=email],textarea,select{width:100%;padding:6px;box-sizing:border-box}\
.required{color:#d00;margin-left:4px}\
.error-message,.application-error{color:#b00020}\
.invisible-resume-upload{position:absolute;width:1px;height:1px;opacity:0}\
.visible-resume-upload{position:relative;display:inline-block;padding:8px 14px;border:1px solid #444}\
ul[data-qa] li{list-style:none}\
";

const SCRIPT: &str = r##"
(function () {
  var form = document.getElementById('application-form');
  var tz = document.getElementById('applicant-timezone');
  try { tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) {}
  var resume = document.getElementById('resume-upload-input');
  resume.addEventListener('change', function () {
    var file = resume.files && resume.files[0];
    var link = resume.closest('.visible-resume-upload');
    link.querySelector('.filename').textContent = file ? file.name : '';
    link.querySelector('.default-label').hidden = !!file;
    document.querySelector('.resume-upload-success').hidden = !file;
  });
  document.querySelector('.visible-resume-upload').addEventListener('click', function (e) {
    if (e.target !== resume) { e.preventDefault(); resume.click(); }
  });
  function send() {
    if (!form.reportValidity()) return;
    // The invisible widget would run here and hand back a token.
    document.getElementById('hcaptchaResponseInput').value = 'P1_mock-hcaptcha-token';
    var button = document.getElementById('btn-submit');
    button.disabled = true;
    button.textContent = 'Submitting...';
    form.submit();
  }
  document.getElementById('btn-submit').addEventListener('click', send);
  form.addEventListener('submit', function (e) { e.preventDefault(); send(); });
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_template_names_its_card() {
        let template: serde_json::Value =
            serde_json::from_str(&base_template()).expect("template is json");
        assert_eq!(template["id"], CARD);
        assert_eq!(template["fields"].as_array().map(Vec::len), Some(3));
    }
}
