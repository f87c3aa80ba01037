//! Ashby style application: a client-rendered form.
//!
//! The HTML is an empty shell (`div#root` and `window.__appData` holding the form
//! definition); the script renders the form ~700 ms after load with Ashby's markup
//! (`div[data-field-path]` entries, `ashby-application-form-*` classes, no `<form>`), and
//! submits with `fetch` (multipart) to a JSON endpoint. Errors come back as 422 JSON and are
//! shown next to the fields; success replaces the form with Ashby's message in place.

use axum::Json;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use super::read_form;
use crate::html::{document, looks_like_email};
use crate::{Flow, MockState, Submission};

const POSTING: &str = "8d2f6b1a-4c3e-4a7b-9f05-6e1d2c3b4a59";
/// Start path of [`Flow::Ashby`].
pub(crate) const START_PATH: &str = "/ashby/acme/8d2f6b1a-4c3e-4a7b-9f05-6e1d2c3b4a59/application";
const SUBMIT_PATH: &str = "/ashby/acme/8d2f6b1a-4c3e-4a7b-9f05-6e1d2c3b4a59/application/submit";
const FORM_ID: &str = "c7a1d2e3-5f60-4b18-9a2c-3d4e5f607182";
const AUTHORIZED: &str = "1f4e7a2b-9c3d-4e5f-8a6b-7c0d1e2f3a4b";
const HARDEST_BUG: &str = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
const JOB_TITLE: &str = "Perception Engineer";

const LOCATIONS: &[&str] = &[
    "San Francisco, California, United States",
    "San Jose, California, United States",
    "San Diego, California, United States",
    "New York, New York, United States",
    "Austin, Texas, United States",
    "Seattle, Washington, United States",
    "Toronto, Ontario, Canada",
    "London, England, United Kingdom",
    "Berlin, Germany",
    "Paris, France",
];

pub(crate) fn routes() -> Router<MockState> {
    Router::new()
        .route(START_PATH, get(shell))
        .route(SUBMIT_PATH, post(submit))
}

/// The form definition the shell embeds; the script renders exactly these fields.
fn app_data() -> serde_json::Value {
    json!({
        "organization": {"name": "Acme Robotics", "hostedJobsPageSlug": "acme"},
        "posting": {
            "id": POSTING,
            "title": JOB_TITLE,
            "locationName": "San Francisco",
            "employmentType": "FullTime",
            "departmentName": "Autonomy",
        },
        "applicationForm": {
            "id": FORM_ID,
            "submitPath": SUBMIT_PATH,
            "sections": [{
                "title": "Apply to Acme Robotics",
                "fields": [
                    {"path": "_systemfield_name", "title": "Name", "type": "String", "isRequired": true},
                    {"path": "_systemfield_email", "title": "Email", "type": "Email", "isRequired": true},
                    {"path": "_systemfield_resume", "title": "Resume", "type": "File", "isRequired": true},
                    {"path": "_systemfield_location", "title": "Location", "type": "Location", "isRequired": true,
                     "locations": LOCATIONS},
                    {"path": AUTHORIZED, "title": "Are you legally authorized to work in the United States?",
                     "type": "Boolean", "isRequired": true},
                    {"path": HARDEST_BUG, "title": "What is the hardest bug you have fixed?",
                     "type": "LongText", "isRequired": false},
                ],
            }],
        },
    })
}

async fn shell() -> Html<String> {
    // `</` cannot appear in the JSON (no value contains it), so it is safe inside <script>.
    let data = app_data().to_string().replace("</", "<\\/");
    let body = format!(
        "<body><div id=\"root\"></div><noscript>You need to enable JavaScript to run this app.</noscript>\
         <script>window.__appData = {data};</script><script>{SCRIPT}</script></body>"
    );
    Html(document(
        &format!("{JOB_TITLE} @ Acme Robotics"),
        STYLE,
        &body,
    ))
}

async fn submit(State(state): State<MockState>, request: Request) -> Response {
    let submission = match read_form(Flow::Ashby, request).await {
        Ok(submission) => submission,
        Err(response) => return response,
    };
    let errors = validate(&submission);
    if errors.is_empty() {
        state.record(submission);
        return Json(
            json!({"success": true, "applicationId": "3b6c9f12-7d84-4e0a-b5c1-2f9e8d7a6b54"}),
        )
        .into_response();
    }
    state.record_rejected(submission);
    let errors: Vec<_> = errors
        .into_iter()
        .map(|(path, message)| json!({"path": path, "message": message}))
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"success": false, "errors": errors})),
    )
        .into_response()
}

fn validate(submission: &Submission) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    if submission.text("_systemfield_name").is_empty() {
        errors.push((
            "_systemfield_name",
            "Missing entry for required field: Name",
        ));
    }
    let email = submission.text("_systemfield_email");
    if email.is_empty() {
        errors.push((
            "_systemfield_email",
            "Missing entry for required field: Email",
        ));
    } else if !looks_like_email(email) {
        errors.push(("_systemfield_email", "Enter a valid email address"));
    }
    if !submission.has_file("_systemfield_resume") {
        errors.push((
            "_systemfield_resume",
            "Missing entry for required field: Resume",
        ));
    }
    let location = submission.text("_systemfield_location");
    if location.is_empty() {
        errors.push((
            "_systemfield_location",
            "Missing entry for required field: Location",
        ));
    } else if !LOCATIONS.contains(&location) {
        errors.push(("_systemfield_location", "Select a location from the list"));
    }
    if !["Yes", "No"].contains(&submission.text(AUTHORIZED)) {
        errors.push((
            AUTHORIZED,
            "Missing entry for required field: Are you legally authorized to work in the United States?",
        ));
    }
    errors
}

const STYLE: &str = "\
body{font-family:sans-serif;margin:0 auto;max-width:760px;padding:16px}\
._required_f7cvd_91::after{content:'*';color:#d00;margin-left:2px}\
.ashby-application-form-field-entry,[data-field-path]{margin:16px 0}\
.ashby-application-form-question-title{display:block;font-weight:600;margin-bottom:4px}\
.ashby-application-form-input-text,.ashby-application-form-input-textarea,.ashby-application-form-input-autocomplete{width:100%;padding:6px;box-sizing:border-box}\
.ashby-application-form-input-yesno button{padding:6px 18px;margin-right:6px}\
._active_1svni_64{background:#2a55e5;color:#fff}\
._input_1svni_78{position:absolute;opacity:0;pointer-events:none;width:1px;height:1px}\
._listbox_d7ago_40{position:absolute;z-index:10;background:#fff;border:1px solid #888;max-height:240px;overflow:auto}\
._option_d7ago_48{padding:6px 10px;cursor:pointer}._option_d7ago_48[data-highlighted=true]{background:#dde7ff}\
.ashby-application-form-field-error,.ashby-application-form-errors{color:#b00020}\
fieldset{border:0;padding:0;margin:0}\
";

/// Renders the form from `window.__appData` after a delay and submits it with fetch.
const SCRIPT: &str = r##"
(function () {
  var data = window.__appData;
  var form = data.applicationForm;
  var root = document.getElementById('root');
  var answers = {};
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  var HIDDEN = 'border: 0px; clip: rect(0px, 0px, 0px, 0px); clip-path: inset(50%); height: 1px; margin: 0px -1px -1px 0px; overflow: hidden; padding: 0px; position: absolute; width: 1px; white-space: nowrap;';
  var ACCEPT = 'application/pdf,.pdf,application/msword,.doc,application/vnd.openxmlformats-officedocument.wordprocessingml.document,.docx,application/rtf,.rtf,text/plain,.txt';

  function title(f) {
    return '<label class="_heading_f7cvd_52 ' + (f.isRequired ? '_required_f7cvd_91 ' : '') +
      '_label_1e3gg_42 ashby-application-form-question-title" for="' + esc(f.path) + '">' + esc(f.title) + '</label>';
  }
  function entryOpen(f, plain) {
    return '<div ' + (plain ? '' : 'class="_fieldEntry_1e3gg_28 ashby-application-form-field-entry" ') +
      'data-field-path="' + esc(f.path) + '" data-field-entry-id="' + esc(form.id + '_' + f.path) + '">';
  }
  function field(f) {
    var req = f.isRequired ? ' required=""' : '';
    var p = esc(f.path);
    switch (f.type) {
      case 'String':
      case 'Email':
        return entryOpen(f) + title(f) + '<div><input placeholder="' + (f.type === 'Email' ? 'hello@example.com...' : 'Type here...') +
          '" name="' + p + '"' + req + ' id="' + p + '" type="' + (f.type === 'Email' ? 'email' : 'text') +
          '" class="_input_80epu_28 _input_1e3gg_32 ashby-application-form-input-text" value=""></div></div>';
      case 'LongText':
        return entryOpen(f) + title(f) + '<textarea placeholder="Type here..." name="' + p + '" id="' + p + '"' + req +
          ' class="_input_zf0lr_28 _input_1e3gg_32  ashby-application-form-input-textarea" rows="4"></textarea></div>';
      case 'File':
        return entryOpen(f) + title(f) + '<div role="presentation" class="_container_10xk4_70  ashby-application-form-input-file">' +
          '<input accept="' + ACCEPT + '" type="file" tabindex="-1" id="' + p + '"' + req + ' style="' + HIDDEN + '">' +
          '<div class="_instructions_10xk4_33 ashby-application-form-input-file-dropzone">' +
          '<button type="button" class="_button_zyh3g_28 _secondary_zyh3g_115 _button_10xk4_106 ashby-application-form-input-file-dropzone-upload">' +
          '<span><span>Upload File</span></span></button>' +
          '<p class="_dragInstructions_10xk4_28 ashby-application-form-input-file-dropzone-instructions">or drag and drop here</p></div>' +
          '<div class="_selected_10xk4_90 ashby-application-form-input-file-selected" hidden><span class="_filename_10xk4_95"></span>' +
          '<button type="button" class="_button_zyh3g_28 _secondary_zyh3g_115 ashby-application-form-input-file-replace">Replace</button></div></div></div>';
      case 'Location':
        return entryOpen(f, true) + '<fieldset class="_container_wz442_28 _fieldEntry_1e3gg_28">' + title(f) +
          '<div class="_inputContainer_d7ago_28"><input id="' + p + '" class="_input_d7ago_28 ashby-application-form-input-autocomplete" ' +
          'placeholder="Start typing..." aria-autocomplete="list" aria-expanded="false" aria-haspopup="listbox" role="combobox" ' +
          'autocomplete="off" value=""><button type="button" class="_container_pjyt6_1 _toggleButton_d7ago_32" tabindex="-1" ' +
          'aria-label="Toggle options">&#9662;</button></div></fieldset></div>';
      case 'Boolean':
        return entryOpen(f) + title(f) + '<div class="_container_1svni_28 _yesno_1e3gg_148  ashby-application-form-input-yesno">' +
          '<button type="button" class="_container_pjyt6_1 _option_1svni_32  ashby-application-form-input-yesno-option" aria-pressed="false" data-option="yes">Yes</button>' +
          '<button type="button" class="_container_pjyt6_1 _option_1svni_32  ashby-application-form-input-yesno-option" aria-pressed="false" data-option="no">No</button>' +
          '<input type="checkbox" class="_input_1svni_78" tabindex="-1" name="' + p + '"></div></div>';
    }
    return '';
  }

  function render() {
    var posting = data.posting;
    var html = '<div class="_navRoot_5bhg5_28 ashby-job-posting-header"><ul class="_navContainer_5bhg5_35"><li>' +
      '<a class="_navLogoLink_5bhg5_95" href="/">' + esc(data.organization.name) + '</a></li></ul></div>' +
      '<div class="_container_dea4p_28"><div class="_titles_dea4p_33"><h1 class="_title_dea4p_33 _large_dea4p_66 ashby-job-posting-heading">' +
      esc(posting.title) + '</h1></div><div class="_content_dea4p_70">' +
      '<div class="ashby-job-posting-left-pane"><div class="_section_f7cvd_36"><h2 class="_heading_f7cvd_52">Location</h2><p>' +
      esc(posting.locationName) + '</p></div><div class="_section_f7cvd_36"><h2 class="_heading_f7cvd_52">Department</h2><p>' +
      esc(posting.departmentName) + '</p></div></div>' +
      '<div class="ashby-job-posting-right-pane"><nav class="_tabs_5yu8i_29" role="tablist">' +
      '<a class="_tab_5yu8i_29" id="job-overview" aria-controls="overview" aria-selected="false" role="tab" href="#">' +
      '<span class="ashby-job-posting-right-pane-overview-tab">Overview</span></a>' +
      '<a aria-current="page" class="_tab_5yu8i_29 _active_5yu8i_56" id="job-application-form" aria-controls="form" aria-selected="true" role="tab" href="#">' +
      '<span class="ashby-job-posting-right-pane-application-tab">Application</span></a></nav>' +
      '<div tabindex="0" role="tabpanel" aria-labelledby="job-application-form" id="form">' +
      '<div class="_autofillPane_5yu8i_448 ashby-application-form-autofill-pane"><div role="presentation" class="_root_xd2v0_1 ashby-application-form-autofill-input-root" data-state="default">' +
      '<input accept="' + ACCEPT + '" type="file" tabindex="-1" style="' + HIDDEN + '">' +
      '<div class="_base_xd2v0_31 ashby-application-form-autofill-input-base-layer"><h3 class="_title_xd2v0_64 ashby-application-form-autofill-input-title">Autofill from resume</h3>' +
      '<p class="_description_xd2v0_76 ashby-application-form-autofill-input-description">Upload your resume here to autofill key application fields.</p>' +
      '<button type="button" class="_button_zyh3g_28 _secondary_zyh3g_115 _ctaButton_xd2v0_94">Upload file</button></div></div></div>' +
      '<div class="_jobPostingForm_5yu8i_402 ashby-application-form-container">';
    form.sections.forEach(function (section) {
      html += '<div class="_section_5yu8i_86 ashby-application-form-section-container">';
      if (section.title) {
        html += '<div class="_sectionHeader_5yu8i_93 ashby-application-form-section-header"><h2 class="_title_5yu8i_99 ashby-application-form-section-header-title">' +
          esc(section.title) + '</h2></div>';
      }
      section.fields.forEach(function (f) { html += field(f); });
      html += '</div>';
    });
    html += '</div><div class="ashby-application-form-errors" role="alert" hidden></div>' +
      '<button type="button" class="_button_zyh3g_28 _primary_zyh3g_97 _greedy_zyh3g_221 _submitButton_5yu8i_411 ashby-application-form-submit-button">' +
      '<span>Submit Application</span></button></div></div></div></div>' +
      '<footer class="_container_1jx4x_28"><a href="https://www.ashbyhq.com" class="_powered_1jx4x_58" aria-label="Learn more about Ashby"><span>Powered by Ashby</span></a></footer>';
    root.innerHTML = html;
    wire();
  }

  function wire() {
    form.sections.forEach(function (section) {
      section.fields.forEach(function (f) {
        var entry = root.querySelector('[data-field-path="' + f.path + '"]');
        if (f.type === 'File') wireFile(entry);
        if (f.type === 'Location') wireLocation(entry, f);
        if (f.type === 'Boolean') wireYesNo(entry, f);
      });
    });
    root.querySelector('.ashby-application-form-autofill-pane button').addEventListener('click', function () {
      root.querySelector('.ashby-application-form-autofill-pane input[type=file]').click();
    });
    root.querySelector('.ashby-application-form-submit-button').addEventListener('click', submit);
  }

  function wireFile(entry) {
    var input = entry.querySelector('input[type=file]');
    var drop = entry.querySelector('.ashby-application-form-input-file-dropzone');
    var chosen = entry.querySelector('.ashby-application-form-input-file-selected');
    drop.querySelector('button').addEventListener('click', function () { input.click(); });
    chosen.querySelector('button').addEventListener('click', function () { input.click(); });
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      chosen.querySelector('span').textContent = file ? file.name : '';
      chosen.hidden = !file;
      drop.hidden = !!file;
    });
  }

  function wireYesNo(entry, f) {
    var box = entry.querySelector('input[type=checkbox]');
    var buttons = entry.querySelectorAll('button[data-option]');
    buttons.forEach(function (button) {
      button.addEventListener('click', function () {
        var yes = button.getAttribute('data-option') === 'yes';
        answers[f.path] = yes ? 'Yes' : 'No';
        box.checked = yes;
        buttons.forEach(function (b) {
          var on = b === button;
          b.setAttribute('aria-pressed', String(on));
          b.classList.toggle('_active_1svni_64', on);
        });
      });
    });
  }

  function wireLocation(entry, f) {
    var input = entry.querySelector('input[role=combobox]');
    var portal = null, shown = [], active = -1, timer = null;
    answers[f.path] = '';
    function close() {
      if (portal) { portal.remove(); portal = null; }
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-controls');
      input.removeAttribute('aria-activedescendant');
    }
    function highlight(i) {
      if (!portal) return;
      var els = portal.querySelectorAll('[role=option]');
      if (!els.length) return;
      active = (i + els.length) % els.length;
      els.forEach(function (el, j) { el.setAttribute('data-highlighted', String(j === active)); });
      input.setAttribute('aria-activedescendant', els[active].id);
    }
    function choose(value) {
      answers[f.path] = value;
      input.value = value;
      close();
    }
    function open() {
      close();
      var q = input.value.trim().toLowerCase();
      if (!q) return;
      shown = f.locations.filter(function (l) { return l.toLowerCase().indexOf(q) !== -1; });
      portal = document.createElement('div');
      portal.setAttribute('data-floating-ui-portal', '');
      var list = document.createElement('div');
      list.className = '_listbox_d7ago_40';
      list.setAttribute('role', 'listbox');
      list.id = f.path + '-listbox';
      var rect = input.getBoundingClientRect();
      list.style.left = (rect.left + window.scrollX) + 'px';
      list.style.top = (rect.bottom + window.scrollY + 2) + 'px';
      list.style.width = rect.width + 'px';
      if (!shown.length) {
        var none = document.createElement('div');
        none.className = '_empty_d7ago_56';
        none.textContent = 'No results';
        list.appendChild(none);
      }
      shown.forEach(function (l, i) {
        var el = document.createElement('div');
        el.className = '_option_d7ago_48';
        el.id = f.path + '-option-' + i;
        el.setAttribute('role', 'option');
        el.setAttribute('aria-selected', String(l === answers[f.path]));
        el.textContent = l;
        el.addEventListener('mousedown', function (e) { e.preventDefault(); });
        el.addEventListener('click', function () { choose(l); });
        list.appendChild(el);
      });
      portal.appendChild(list);
      document.body.appendChild(portal);
      input.setAttribute('aria-expanded', 'true');
      input.setAttribute('aria-controls', list.id);
      highlight(0);
    }
    input.addEventListener('input', function () {
      // Like Ashby's location search, results arrive shortly after typing stops.
      clearTimeout(timer);
      timer = setTimeout(open, 150);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); if (portal) highlight(active + 1); else open(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
      else if (e.key === 'Enter') { if (portal && active >= 0 && shown.length) { e.preventDefault(); choose(shown[active]); } }
      else if (e.key === 'Escape') { close(); }
    });
    input.addEventListener('blur', function () {
      clearTimeout(timer);
      close();
      // A typeahead keeps only a chosen suggestion.
      input.value = answers[f.path];
    });
    entry.querySelector('button').addEventListener('click', function () { input.focus(); open(); });
  }

  function clearErrors() {
    root.querySelectorAll('.ashby-application-form-field-error').forEach(function (el) { el.remove(); });
    root.querySelectorAll('[aria-invalid=true]').forEach(function (el) { el.setAttribute('aria-invalid', 'false'); });
    var summary = root.querySelector('.ashby-application-form-errors');
    summary.hidden = true;
    summary.innerHTML = '';
  }

  function showErrors(errors) {
    var summary = root.querySelector('.ashby-application-form-errors');
    var items = '';
    errors.forEach(function (err) {
      items += '<li>' + esc(err.message) + '</li>';
      var entry = root.querySelector('[data-field-path="' + err.path + '"]');
      if (!entry) return;
      var p = document.createElement('p');
      p.className = '_error_1e3gg_60 ashby-application-form-field-error';
      p.setAttribute('role', 'alert');
      p.id = err.path + '-error';
      p.textContent = err.message;
      entry.appendChild(p);
      var control = entry.querySelector('input:not([type=checkbox]), textarea');
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', p.id);
      }
    });
    summary.innerHTML = '<p class="_title_1e3gg_70">Your form needs corrections</p><ul>' + items + '</ul>';
    summary.hidden = false;
  }

  function submit() {
    var button = root.querySelector('.ashby-application-form-submit-button');
    if (button.disabled) return;
    clearErrors();
    var body = new FormData();
    form.sections.forEach(function (section) {
      section.fields.forEach(function (f) {
        var entry = root.querySelector('[data-field-path="' + f.path + '"]');
        if (f.type === 'File') {
          var input = entry.querySelector('input[type=file]');
          if (input.files && input.files[0]) body.append(f.path, input.files[0], input.files[0].name);
        } else if (f.type === 'Location' || f.type === 'Boolean') {
          body.append(f.path, answers[f.path] || '');
        } else {
          body.append(f.path, entry.querySelector('input, textarea').value);
        }
      });
    });
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    fetch(form.submitPath, { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      })
      .then(function (result) {
        if (result.ok && result.json.success) {
          document.getElementById('form').innerHTML =
            '<div class="_container_1e3gg_200 ashby-application-form-success-container">' +
            '<h2 class="_title_1e3gg_210">Thank you for applying</h2>' +
            '<p>Your application was successfully submitted. We\'ll contact you if there are next steps.</p></div>';
          return;
        }
        showErrors(result.json.errors || []);
        button.disabled = false;
        button.removeAttribute('aria-busy');
      })
      .catch(function () {
        showErrors([{ path: '', message: 'Something went wrong submitting your application. Please try again.' }]);
        button.disabled = false;
        button.removeAttribute('aria-busy');
      });
  }

  setTimeout(render, 700);
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_data_lists_the_required_system_fields() {
        let data = app_data();
        let fields = data["applicationForm"]["sections"][0]["fields"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let required: Vec<_> = fields
            .iter()
            .filter(|field| field["isRequired"] == true)
            .filter_map(|field| field["path"].as_str())
            .collect();
        assert_eq!(
            required,
            [
                "_systemfield_name",
                "_systemfield_email",
                "_systemfield_resume",
                "_systemfield_location",
                AUTHORIZED
            ]
        );
    }
}
