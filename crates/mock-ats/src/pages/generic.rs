//! A plain three-step application form, served step by step.
//!
//! Each step is a real page with its own `<form>` posting (multipart) to `/careers/apply`;
//! earlier steps travel along in hidden inputs, so the server keeps no session. Step 2 holds
//! a conditional question: answering "Yes" to visa sponsorship reveals a required "Which visa
//! type?" select on the same page. Only the final, valid step 3 post is recorded.

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::{Posted, read_form, see_other};
use crate::html::{document, esc, flag, looks_like_email};
use crate::{Flow, MockState, Submission};

/// Start path of [`Flow::Generic`].
pub(crate) const START_PATH: &str = "/careers/apply";
const CONFIRMATION_PATH: &str = "/careers/apply/confirmation";
const REQUIRED: &str = "Please fill out this field.";
const BAD_EMAIL: &str = "Please enter a valid email address.";

const STEP1: &[&str] = &["first_name", "last_name", "email", "phone"];
const STEP2: &[&str] = &[
    "work_authorized",
    "visa_sponsorship",
    "visa_type",
    "start_date",
];
const VISA_TYPES: &[&str] = &["H-1B", "O-1", "TN", "E-3", "Other"];

pub(crate) fn routes() -> Router<MockState> {
    Router::new()
        .route(START_PATH, get(first_step).post(post_step))
        .route(CONFIRMATION_PATH, get(confirmation))
}

async fn first_step() -> Html<String> {
    Html(render(1, &Posted::empty()))
}

async fn post_step(State(state): State<MockState>, request: Request) -> Response {
    let submission = match read_form(Flow::Generic, request).await {
        Ok(submission) => submission,
        Err(response) => return response,
    };
    let step = match submission.text("_step") {
        "2" => 2,
        "3" => 3,
        _ => 1,
    };
    if submission.text("_nav") == "back" {
        let previous = (step - 1).max(1);
        return Html(render(previous, &Posted::filled(&submission))).into_response();
    }
    let errors = validate(step, &submission);
    if !errors.is_empty() {
        let page = render(
            step,
            &Posted {
                values: Some(&submission),
                errors,
            },
        );
        state.record_rejected(submission.clone());
        return Html(page).into_response();
    }
    if step < 3 {
        return Html(render(step + 1, &Posted::filled(&submission))).into_response();
    }
    state.record(submission);
    see_other(CONFIRMATION_PATH)
}

impl<'a> Posted<'a> {
    fn filled(values: &'a Submission) -> Posted<'a> {
        Posted {
            values: Some(values),
            errors: Vec::new(),
        }
    }
}

fn validate(step: u8, submission: &Submission) -> Vec<(&'static str, &'static str)> {
    let missing = |name: &'static str| submission.text(name).is_empty().then_some((name, REQUIRED));
    let mut errors = Vec::new();
    match step {
        1 => {
            errors.extend(
                ["first_name", "last_name", "email"]
                    .into_iter()
                    .filter_map(missing),
            );
            let email = submission.text("email");
            if !email.is_empty() && !looks_like_email(email) {
                errors.push(("email", BAD_EMAIL));
            }
        }
        2 => {
            errors.extend(
                ["work_authorized", "visa_sponsorship"]
                    .into_iter()
                    .filter_map(missing),
            );
            if submission.text("visa_sponsorship") == "Yes" {
                errors.extend(missing("visa_type"));
            }
        }
        _ => {
            if !submission.has_file("resume") {
                errors.push(("resume", REQUIRED));
            }
            errors.extend(missing("privacy_consent"));
        }
    }
    errors
}

fn error(form: &Posted<'_>, name: &str) -> String {
    form.error(name)
        .map(|message| {
            format!(
                "<span class=\"error\" id=\"{name}-error\" role=\"alert\">{}</span>",
                esc(message)
            )
        })
        .unwrap_or_default()
}

fn invalid(form: &Posted<'_>, name: &str) -> &'static str {
    if form.error(name).is_some() {
        " aria-invalid=\"true\""
    } else {
        ""
    }
}

fn text_input(
    form: &Posted<'_>,
    name: &str,
    label: &str,
    input_type: &str,
    autocomplete: &str,
    required: bool,
) -> String {
    format!(
        "<div class=\"form-row\"><label for=\"{name}\">{label}{mark}</label>\
         <input type=\"{input_type}\" id=\"{name}\" name=\"{name}\" autocomplete=\"{autocomplete}\" value=\"{value}\"{required}{invalid}>{error}</div>",
        label = esc(label),
        mark = if required {
            " <abbr title=\"required\">*</abbr>"
        } else {
            ""
        },
        value = esc(form.value(name)),
        required = flag(required, "required"),
        invalid = invalid(form, name),
        error = error(form, name),
    )
}

fn yes_no(form: &Posted<'_>, name: &str, legend: &str) -> String {
    let radios: String = ["Yes", "No"]
        .iter()
        .map(|option| {
            let id = format!("{name}_{}", option.to_ascii_lowercase());
            format!(
                "<label for=\"{id}\"><input type=\"radio\" id=\"{id}\" name=\"{name}\" value=\"{option}\" required{checked}> {option}</label>",
                checked = flag(form.value(name) == *option, "checked"),
            )
        })
        .collect();
    format!(
        "<fieldset class=\"form-row\" id=\"{name}\"{invalid}><legend>{legend} <abbr title=\"required\">*</abbr></legend>{radios}{error}</fieldset>",
        legend = esc(legend),
        invalid = invalid(form, name),
        error = error(form, name),
    )
}

/// Hidden copies of the earlier steps' answers.
fn carried(form: &Posted<'_>, names: &[&str]) -> String {
    names
        .iter()
        .map(|name| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                esc(form.value(name))
            )
        })
        .collect()
}

fn step_fields(step: u8, form: &Posted<'_>) -> String {
    match step {
        1 => {
            let mut out = String::from("<h2>Personal information</h2>");
            out += &text_input(form, "first_name", "First name", "text", "given-name", true);
            out += &text_input(form, "last_name", "Last name", "text", "family-name", true);
            out += &text_input(form, "email", "Email address", "email", "email", true);
            out += &text_input(form, "phone", "Phone number", "tel", "tel", false);
            out
        }
        2 => {
            let sponsorship = form.value("visa_sponsorship") == "Yes";
            let options: String = VISA_TYPES
                .iter()
                .map(|option| {
                    format!(
                        "<option value=\"{option}\"{selected}>{option}</option>",
                        selected = flag(form.value("visa_type") == *option, "selected"),
                    )
                })
                .collect();
            let mut out = carried(form, STEP1);
            out += "<h2>Work eligibility</h2>";
            out += &yes_no(
                form,
                "work_authorized",
                "Are you legally authorized to work in the United States?",
            );
            out += &yes_no(
                form,
                "visa_sponsorship",
                "Will you require visa sponsorship?",
            );
            out += &format!(
                "<div class=\"form-row\" id=\"visa_type_row\"{hidden}><label for=\"visa_type\">Which visa type? \
                 <abbr title=\"required\">*</abbr></label><select id=\"visa_type\" name=\"visa_type\"{state}{invalid}>\
                 <option value=\"\">Choose one</option>{options}</select>{error}</div>",
                hidden = if sponsorship { "" } else { " hidden" },
                state = if sponsorship {
                    " required"
                } else {
                    " disabled"
                },
                invalid = invalid(form, "visa_type"),
                error = error(form, "visa_type"),
            );
            out += &text_input(
                form,
                "start_date",
                "Earliest start date",
                "date",
                "off",
                false,
            );
            out
        }
        _ => {
            let mut out = carried(form, STEP1);
            out += &carried(form, STEP2);
            out += "<h2>Documents</h2>";
            out += &format!(
                "<div class=\"form-row\"><label for=\"resume\">Resume <abbr title=\"required\">*</abbr></label>\
                 <input type=\"file\" id=\"resume\" name=\"resume\" accept=\".pdf,.doc,.docx,.txt\" required{}>{}</div>",
                invalid(form, "resume"),
                error(form, "resume"),
            );
            out += &format!(
                "<div class=\"form-row\"><label for=\"cover_letter\">Cover letter</label>\
                 <textarea id=\"cover_letter\" name=\"cover_letter\" rows=\"6\">{}</textarea></div>",
                esc(form.value("cover_letter"))
            );
            out += &format!(
                "<div class=\"form-row\"><label for=\"privacy_consent\"><input type=\"checkbox\" id=\"privacy_consent\" \
                 name=\"privacy_consent\" value=\"yes\" required{checked}{invalid}> I agree to the processing of my data \
                 as described in the privacy notice <abbr title=\"required\">*</abbr></label>{error}</div>",
                checked = flag(form.value("privacy_consent") == "yes", "checked"),
                invalid = invalid(form, "privacy_consent"),
                error = error(form, "privacy_consent"),
            );
            out
        }
    }
}

fn render(step: u8, form: &Posted<'_>) -> String {
    let summary = if form.errors.is_empty() {
        String::new()
    } else {
        "<div class=\"form-errors\" role=\"alert\">Please correct the highlighted fields.</div>"
            .to_owned()
    };
    // Next/Submit comes first in the markup so Enter submits forward; Back is drawn left.
    let forward = if step < 3 {
        "<button type=\"submit\" id=\"next\" class=\"button button-primary\">Next</button>"
    } else {
        "<button type=\"submit\" id=\"submit\" class=\"button button-primary\">Submit application</button>"
    };
    let back = if step > 1 {
        "<button type=\"submit\" id=\"back\" name=\"_nav\" value=\"back\" formnovalidate class=\"button\">Back</button>"
    } else {
        ""
    };
    let body = format!(
        "<body><header><a href=\"/\">Acme Robotics</a></header><main>\
         <h1>Apply: Robot Fleet Technician</h1>\
         <p class=\"progress\" aria-label=\"Application progress\">Step {step} of 3</p>{summary}\
         <form id=\"apply-form\" method=\"post\" action=\"{START_PATH}\" enctype=\"multipart/form-data\">\
         <input type=\"hidden\" name=\"_step\" value=\"{step}\">{fields}\
         <div class=\"actions\">{forward}{back}</div></form></main>\
         <script>{SCRIPT}</script></body>",
        fields = step_fields(step, form),
    );
    document(
        &format!("Apply - step {step} of 3 - Acme Robotics"),
        STYLE,
        &body,
    )
}

async fn confirmation() -> Html<String> {
    Html(document(
        "Application received - Acme Robotics",
        STYLE,
        "<body><header><a href=\"/\">Acme Robotics</a></header><main class=\"confirmation\">\
         <h1>Application received</h1><p>Thank you for applying! We have received your application \
         for Robot Fleet Technician and will reply by email within two weeks.</p></main></body>",
    ))
}

const STYLE: &str = "\
body{font-family:sans-serif;margin:0 auto;max-width:640px;padding:16px}\
.form-row{margin:14px 0;display:block;border:0;padding:0}\
.form-row>label{display:block;font-weight:600;margin-bottom:4px}\
fieldset.form-row label{display:inline-block;margin-right:16px;font-weight:400}\
input[type=text],input[type=email],input[type=tel],input[type=date],select,textarea{width:100%;padding:6px;box-sizing:border-box}\
.error,.form-errors{color:#b00020;display:block}\
.actions{display:flex;flex-direction:row-reverse;justify-content:flex-end;gap:12px}\
[hidden]{display:none}\
";

/// Reveals "Which visa type?" when sponsorship is needed.
const SCRIPT: &str = r##"
(function () {
  var row = document.getElementById('visa_type_row');
  if (!row) return;
  var select = document.getElementById('visa_type');
  function update() {
    var yes = document.getElementById('visa_sponsorship_yes').checked;
    row.hidden = !yes;
    select.disabled = !yes;
    select.required = yes;
  }
  document.querySelectorAll('input[name=visa_sponsorship]').forEach(function (radio) {
    radio.addEventListener('change', update);
  });
  update();
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(fields: &[(&str, &str)]) -> Submission {
        Submission {
            flow: Flow::Generic,
            fields: fields
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            files: Vec::new(),
        }
    }

    #[test]
    fn visa_type_is_required_only_with_sponsorship() {
        let without = submission(&[("work_authorized", "Yes"), ("visa_sponsorship", "No")]);
        assert_eq!(validate(2, &without), Vec::new());
        let with = submission(&[("work_authorized", "No"), ("visa_sponsorship", "Yes")]);
        assert_eq!(validate(2, &with), vec![("visa_type", REQUIRED)]);
    }
}
