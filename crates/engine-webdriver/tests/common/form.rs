//! A form with every field kind, and the server that records what it receives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Multipart, State};
use axum::response::Html;
use axum::routing::{get, post};
use engine_core::{
    ClickOutcome, Control, ControlKind, FieldType, FillPlan, FillStep, FillValue, Page,
};
use engine_webdriver::WebDriver;

use super::{field, field_with_options, serve, text_step};

pub const FORM: &str = r##"<!doctype html>
<html><head><title>Apply</title></head><body>
<form id="apply" action="/submit" method="post" enctype="multipart/form-data">
  <label for="name">Name</label><input id="name" name="name">
  <label for="cover">Cover letter</label><textarea id="cover" name="cover"></textarea>
  <label for="country">Country</label>
  <select id="country" name="country"><option value="">Choose</option><option value="us">United States</option><option value="de">Germany</option></select>
  <label for="size">Team size</label>
  <select id="size" name="size"><option value="">Choose</option><option value="s1">Small team</option><option value="s2">Large team</option></select>
  <fieldset id="remote-group"><legend>Remote?</legend>
    <label><input type="radio" name="remote" value="yes" id="remote-yes"> Yes</label>
    <label><input type="radio" name="remote" value="no" id="remote-no"> No</label>
  </fieldset>
  <label><input type="checkbox" id="terms" name="terms" value="accepted"> I agree</label>
  <fieldset><legend>Languages</legend>
    <label><input type="checkbox" name="langs" value="rust" id="lang-rust"> Rust</label>
    <label><input type="checkbox" name="langs" value="go" id="lang-go" checked> Go</label>
    <label><input type="checkbox" name="langs" value="python" id="lang-python"> Python</label>
  </fieldset>
  <button type="button" id="notify" role="switch" aria-checked="false">Notify me</button>
  <input type="hidden" name="notify" id="notify-value" value="false">
  <label for="start">Start date</label><input type="date" id="start" name="start">
  <label for="years">Years</label><input type="number" id="years" name="years">
  <label>Bio</label><div id="bio" contenteditable="true"></div>
  <input type="hidden" name="bio" id="bio-value">
  <label for="city">City</label>
  <div class="city-field"><div class="control"><input id="city" role="combobox" aria-autocomplete="list" aria-controls="city-list" autocomplete="off"></div>
    <ul id="city-list" role="listbox"></ul>
    <input id="city-twin" name="city" required aria-hidden="true" tabindex="-1" value=""></div>
  <label id="gender-label">Gender</label>
  <div class="select"><div class="select__control"><div class="select__value-container">
    <div class="select__single-value" id="gender-shown"></div>
    <input id="gender" role="combobox" aria-expanded="false" aria-haspopup="true" autocomplete="off" aria-labelledby="gender-label"></div></div>
    <div class="select__menu" id="gender-menu"></div>
    <input id="gender-twin" name="gender" required aria-hidden="true" tabindex="-1" value=""></div>
  <div class="entry" data-field-path="q-relocate"><label>Can you relocate?</label>
    <div class="yesno"><button type="button" class="option" aria-pressed="false" data-option="yes">Yes</button><button type="button" class="option" aria-pressed="false" data-option="no">No</button>
    <input type="checkbox" tabindex="-1" name="q-relocate" style="display:none"></div></div>
  <label for="skills">Skills</label>
  <div class="multi"><div class="chips" id="skills-chips"></div>
    <input id="skills" role="combobox" aria-autocomplete="list" aria-controls="skills-menu" autocomplete="off">
    <div id="skills-menu" role="listbox"></div></div>
  <label for="shouty">Code</label><input id="shouty" name="shouty">
  <label class="upload">Attach resume<input type="file" id="resume" name="resume" style="display:none"></label>
  <button type="submit" id="send">Submit application</button>
</form>
<script>
  // A controlled input, React style: only values that arrive through input events stay.
  const name = document.getElementById('name');
  let nameState = '';
  name.addEventListener('input', e => { nameState = e.target.value; });
  setInterval(() => { if (name.value !== nameState) name.value = nameState; }, 5);

  const notify = document.getElementById('notify');
  notify.addEventListener('click', () => {
    notify.setAttribute('aria-checked', notify.getAttribute('aria-checked') === 'true' ? 'false' : 'true');
  });

  // A field whose script rewrites what is typed: answers never take as given.
  const shouty = document.getElementById('shouty');
  shouty.addEventListener('input', () => { shouty.value = shouty.value.toUpperCase().slice(0, 3); });

  const cities = [['c1', 'Berlin, Germany'], ['c2', 'Bern, Switzerland'], ['c3', 'Boston, United States']];
  const city = document.getElementById('city');
  const list = document.getElementById('city-list');
  const twin = document.getElementById('city-twin');
  city.addEventListener('input', () => {
    const typed = city.value.toLowerCase();
    setTimeout(() => {
      list.innerHTML = '';
      for (const [id, text] of cities) {
        if (!typed || !text.toLowerCase().includes(typed)) continue;
        const li = document.createElement('li');
        li.setAttribute('role', 'option');
        li.textContent = text;
        li.addEventListener('click', () => { city.value = text; twin.value = id; list.innerHTML = ''; });
        list.appendChild(li);
      }
    }, 120);
  });

  // A react-select look-alike: the menu opens on click, filters on typing, and the choice
  // shows in a separate element while a hidden required twin gets its value.
  const genders = [['1', 'Female'], ['2', 'Male'], ['3', 'Decline to self-identify']];
  const gender = document.getElementById('gender');
  const menu = document.getElementById('gender-menu');
  const renderMenu = () => {
    menu.innerHTML = '';
    for (const [value, text] of genders) {
      if (!text.toLowerCase().includes(gender.value.toLowerCase())) continue;
      const option = document.createElement('div');
      option.className = 'select__option';
      option.textContent = text;
      option.addEventListener('click', () => {
        document.getElementById('gender-shown').textContent = text;
        document.getElementById('gender-twin').value = value;
        gender.value = '';
        menu.innerHTML = '';
      });
      menu.appendChild(option);
    }
  };
  gender.addEventListener('click', renderMenu);
  gender.addEventListener('input', renderMenu);

  // A multi-value combobox: each choice becomes a chip and a hidden input.
  const skills = document.getElementById('skills');
  const skillsMenu = document.getElementById('skills-menu');
  skills.addEventListener('input', () => {
    skillsMenu.innerHTML = '';
    for (const text of ['Rust', 'Go', 'Python', 'TypeScript']) {
      if (!skills.value || !text.toLowerCase().startsWith(skills.value.toLowerCase())) continue;
      const option = document.createElement('div');
      option.setAttribute('role', 'option');
      option.textContent = text;
      option.addEventListener('click', () => {
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.textContent = text;
        chip.insertAdjacentHTML('beforeend', '<input type="hidden" name="skills" value="' + text + '">');
        document.getElementById('skills-chips').appendChild(chip);
        skills.value = '';
        skillsMenu.innerHTML = '';
      });
      skillsMenu.appendChild(option);
    }
  });

  // Ashby-style yes/no: two buttons and a hidden checkbox.
  for (const button of document.querySelectorAll('[data-field-path=q-relocate] button')) {
    button.addEventListener('click', () => {
      for (const other of document.querySelectorAll('[data-field-path=q-relocate] button')) other.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', 'true');
      document.querySelector('input[name=q-relocate]').checked = button.dataset.option === 'yes';
    });
  }

  document.getElementById('apply').addEventListener('submit', () => {
    document.getElementById('bio-value').value = document.getElementById('bio').innerText;
    document.getElementById('notify-value').value = notify.getAttribute('aria-checked');
  });
</script>
</body></html>"##;

/// A file name and the bytes received under it.
type NamedBytes = (String, Vec<u8>);

#[derive(Clone, Default)]
pub struct Received {
    pub fields: Arc<Mutex<Vec<(String, String)>>>,
    pub files: Arc<Mutex<Vec<NamedBytes>>>,
}

async fn submit(State(received): State<Received>, mut multipart: Multipart) -> Html<&'static str> {
    while let Ok(Some(part)) = multipart.next_field().await {
        let name = part.name().unwrap_or_default().to_owned();
        if let Some(file_name) = part.file_name().map(str::to_owned) {
            let bytes = part.bytes().await.unwrap().to_vec();
            if !file_name.is_empty() {
                received.files.lock().unwrap().push((file_name, bytes));
            }
        } else {
            let text = part.text().await.unwrap();
            received.fields.lock().unwrap().push((name, text));
        }
    }
    Html("<html><body><h1>Thank you for applying</h1></body></html>")
}

pub fn router(received: Received) -> Router {
    Router::new()
        .route("/form", get(|| async { Html(FORM) }))
        .route("/submit", post(submit))
        .with_state(received)
}

pub fn file_step(id: &str, selector: &str, path: std::path::PathBuf) -> FillStep {
    FillStep {
        field: field(id, FieldType::File, selector),
        value: FillValue::File(path),
        typeahead_selection: None,
        clear_first: false,
    }
}

/// Fills every field kind on [`FORM`], submits, and checks what the server received.
pub async fn fill_every_kind_and_submit(driver: &WebDriver) {
    let received = Received::default();
    let base = serve(router(received.clone())).await;
    let mut page = driver.open_page(&base.join("form").unwrap()).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let resume = dir.path().join("resume.pdf");
    let resume_bytes = b"%PDF-1.4 test resume \x00\x01\x02 bytes".to_vec();
    std::fs::write(&resume, &resume_bytes).unwrap();

    let mut city = text_step(field("city", FieldType::Typeahead, "#city"), "Ber");
    city.typeahead_selection = Some("Bern, Switzerland".into());
    let plan = FillPlan {
        frame: None,
        steps: vec![
            text_step(field("name", FieldType::Text, "#name"), "Ada Lovelace"),
            text_step(
                field("cover", FieldType::Textarea, "#cover"),
                "Line one\nLine two",
            ),
            text_step(field("country", FieldType::Select, "#country"), "de"),
            text_step(field("size", FieldType::Select, "#size"), "Large team"),
            text_step(
                field_with_options(
                    "remote",
                    FieldType::Radio,
                    "#remote-yes",
                    &[("yes", "Yes"), ("no", "No")],
                ),
                "no",
            ),
            text_step(field("terms", FieldType::Checkbox, "#terms"), "true"),
            text_step(
                field("langs", FieldType::Checkbox, "#lang-rust"),
                "rust,python",
            ),
            text_step(field("notify", FieldType::Toggle, "#notify"), "true"),
            text_step(field("start", FieldType::Date, "#start"), "2026-12-01"),
            text_step(field("years", FieldType::Number, "#years"), "7"),
            text_step(
                field("bio", FieldType::Richtext, "#bio"),
                "I write programs.",
            ),
            city,
            text_step(
                field_with_options(
                    "gender",
                    FieldType::Select,
                    "#gender",
                    &[
                        ("1", "Female"),
                        ("2", "Male"),
                        ("3", "Decline to self-identify"),
                    ],
                ),
                "3",
            ),
            text_step(
                field("skills", FieldType::Multiselect, "#skills"),
                "Rust, Go",
            ),
            text_step(
                field_with_options(
                    "q-relocate",
                    FieldType::Radio,
                    r#"[data-field-path="q-relocate"]"#,
                    &[("Yes", "Yes"), ("No", "No")],
                ),
                "Yes",
            ),
            file_step("resume", "#resume", resume.clone()),
        ],
    };
    let opened = page.round_trips();
    let started = std::time::Instant::now();
    let report = page.fill(&plan).await.unwrap();
    eprintln!(
        "fill of {} fields: {:?}, {} round trips (open took {opened})",
        plan.steps.len(),
        started.elapsed(),
        page.round_trips() - opened
    );
    assert_eq!(report.problems, Vec::new(), "every field takes");

    let send = Control {
        kind: ControlKind::Submit,
        selector: "#send".into(),
        text: "Submit application".into(),
    };
    let before_click = page.round_trips();
    let outcome = page.click(&send, None).await.unwrap();
    eprintln!(
        "submit click: {} round trips",
        page.round_trips() - before_click
    );
    assert_eq!(outcome, ClickOutcome::Navigated);
    let snapshot = page.snapshot().await.unwrap();
    assert!(snapshot.html.contains("Thank you for applying"));
    assert!(page.round_trips() > 0);
    Box::new(page).close().await;

    let fields: HashMap<String, Vec<String>> =
        received
            .fields
            .lock()
            .unwrap()
            .iter()
            .fold(HashMap::new(), |mut map, (k, v)| {
                map.entry(k.clone()).or_default().push(v.clone());
                map
            });
    let one = |name: &str| fields.get(name).map(|v| v.join("|")).unwrap_or_default();
    assert_eq!(one("name"), "Ada Lovelace");
    assert_eq!(one("cover").replace("\r\n", "\n"), "Line one\nLine two");
    assert_eq!(one("country"), "de");
    assert_eq!(one("size"), "s2");
    assert_eq!(one("remote"), "no");
    assert_eq!(one("terms"), "accepted");
    assert_eq!(one("langs"), "rust|python");
    assert_eq!(one("notify"), "true");
    assert_eq!(one("start"), "2026-12-01");
    assert_eq!(one("years"), "7");
    assert_eq!(one("bio"), "I write programs.");
    assert_eq!(one("city"), "c2");
    assert_eq!(one("gender"), "3");
    assert_eq!(one("q-relocate"), "on");
    assert_eq!(one("skills"), "Rust|Go");
    let files = received.files.lock().unwrap().clone();
    assert_eq!(files, vec![("resume.pdf".to_owned(), resume_bytes)]);
}
