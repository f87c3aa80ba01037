//! Each flow of the mock ATS over plain HTTP: pages served, posts recorded (or not).

use std::time::Duration;

use mock_ats::{Flow, MockAts};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

/// Bytes that would break a text round trip: NUL, invalid UTF-8, CR LF and a boundary-like line.
const RESUME: &[u8] = b"%PDF-1.4\x00\x01\xfe\xff\r\n--boundary\r\nAda's resume\n";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn get(ats: &MockAts, flow: Flow) -> (StatusCode, String) {
    let response = client().get(ats.url(flow)).send().await.expect("get");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

fn location(response: &reqwest::Response) -> &str {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

fn resume_part() -> Part {
    Part::bytes(RESUME.to_vec())
        .file_name("ada resume.pdf")
        .mime_str("application/pdf")
        .expect("mime")
}

fn text_form(fields: &[(&str, &str)]) -> Form {
    fields.iter().fold(Form::new(), |form, (name, value)| {
        form.text(name.to_string(), value.to_string())
    })
}

fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

const GREENHOUSE_VALID: &[(&str, &str)] = &[
    ("first_name", "Ada"),
    ("last_name", "Lovelace"),
    ("email", "ada@example.com"),
    ("phone", "+44 20 7946 0000"),
    ("question_30012001", "https://www.linkedin.com/in/ada"),
    ("question_30012002", "Yes"),
    ("question_30012003", "Employee referral"),
    ("question_30012004[]", "Rust"),
    ("question_30012004[]", "Python"),
    ("gender", "Female"),
];

#[tokio::test]
async fn every_start_page_is_served_with_its_markers() {
    let ats = MockAts::start().await.expect("start");
    let expectations: &[(Flow, &[&str])] = &[
        (
            Flow::Greenhouse,
            &[
                "id=\"application-form\"",
                "role=\"combobox\"",
                "id=\"resume\"",
                "type=\"file\"",
                "id=\"question_30012001\"",
                "Voluntary Self-Identification",
                "Submit application",
            ],
        ),
        (
            Flow::Lever,
            &[
                "id=\"application-form\"",
                "id=\"resume-upload-input\"",
                "data-qa=\"multiple-choice\"",
                "data-qa=\"checkboxes\"",
                "name=\"eeo[gender]\"",
                "id=\"hcaptchaResponseInput\"",
                "class=\"h-captcha\"",
                "id=\"btn-submit\" type=\"button\"",
                "✱",
            ],
        ),
        (
            Flow::LeverCaptcha,
            &[
                "id=\"application-form\"",
                "id=\"btn-submit\" type=\"button\"",
            ],
        ),
        (
            Flow::Ashby,
            &["<div id=\"root\"></div>", "window.__appData"],
        ),
        (
            Flow::Generic,
            &["id=\"apply-form\"", "Step 1 of 3", "id=\"next\"", ">Next<"],
        ),
        (
            Flow::LoginWall,
            &["Sign In", "type=\"password\"", "Create Account"],
        ),
        (
            Flow::EmbeddedGreenhouse,
            &[
                "iframe id=\"grnhse_iframe\"",
                "src=\"/greenhouse/embed/job_app?for=acme&amp;token=4012345\"",
            ],
        ),
        (
            Flow::LinkToOtherAts,
            &["href=\"https://jobs.lever.co/acme/", "Apply for this job"],
        ),
        (
            Flow::ServerError,
            &["<form", "id=\"full_name\"", "Submit application"],
        ),
    ];
    for (flow, markers) in expectations {
        let (status, body) = get(&ats, *flow).await;
        assert_eq!(status, StatusCode::OK, "{flow}");
        for marker in *markers {
            assert!(body.contains(marker), "{flow} page lacks {marker}");
        }
    }
    // The Ashby shell holds no field until its script runs; the captcha page shows no
    // challenge before submit.
    let (_, ashby) = get(&ats, Flow::Ashby).await;
    let body = ashby.split("<body>").nth(1).unwrap_or_default();
    let markup = body.split("<script>").next().unwrap_or_default();
    assert!(markup.contains("<div id=\"root\"></div>"));
    assert!(!markup.contains("data-field-path") && !markup.contains("<input"));
    let (_, lever) = get(&ats, Flow::LeverCaptcha).await;
    assert!(!lever.contains("hCaptcha challenge\""));
}

#[tokio::test]
async fn the_embed_route_serves_the_greenhouse_form() {
    let ats = MockAts::start().await.expect("start");
    let url = ats
        .base_url()
        .join("/greenhouse/embed/job_app?for=acme&token=4012345")
        .expect("url");
    let body = client()
        .get(url)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(body.contains("id=\"application-form\""));
    assert!(body.contains("action=\"/greenhouse/embed/job_app?for=acme&amp;token=4012345\""));
}

#[tokio::test]
async fn expired_posting_redirects_to_the_board_saying_no_longer_open() {
    let ats = MockAts::start().await.expect("start");
    let response = client()
        .get(ats.url(Flow::Expired))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/greenhouse/acme?error=true");
    let board = client()
        .get(
            ats.base_url()
                .join("/greenhouse/acme?error=true")
                .expect("url"),
        )
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(board.contains("The job you are looking for is no longer open."));
    assert!(!board.contains("<form"));
}

#[tokio::test]
async fn redirect_home_answers_302_to_a_home_page_without_form() {
    let ats = MockAts::start().await.expect("start");
    let response = client()
        .get(ats.url(Flow::RedirectHome))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/");
    let home = client()
        .get(ats.base_url())
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(home.contains("Acme Robotics"));
    for marker in [
        "<form",
        "<input",
        "<iframe",
        "application-form",
        "grnhse",
        "lever.co",
        "ashbyhq",
        "data-field-path",
    ] {
        assert!(!home.contains(marker), "home page contains {marker}");
    }
}

#[tokio::test]
async fn flows_links_redirect_to_each_start_path() {
    let ats = MockAts::start().await.expect("start");
    for flow in Flow::ALL {
        let url = ats
            .base_url()
            .join(&format!("/flows/{}", flow.name()))
            .expect("url");
        let response = client().get(url).send().await.expect("get");
        assert_eq!(response.status(), StatusCode::FOUND, "{flow}");
        assert_eq!(location(&response), flow.path(), "{flow}");
    }
}

#[tokio::test]
async fn greenhouse_records_fields_and_file_bytes_exactly() {
    let ats = MockAts::start().await.expect("start");
    let form = text_form(GREENHOUSE_VALID).part("resume", resume_part());
    let response = client()
        .post(ats.url(Flow::Greenhouse))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        "/greenhouse/acme/jobs/4012345/confirmation"
    );

    let submissions = ats.submissions();
    assert_eq!(submissions.len(), 1);
    let submission = &submissions[0];
    assert_eq!(submission.flow, Flow::Greenhouse);
    assert_eq!(submission.fields, owned(GREENHOUSE_VALID));
    assert_eq!(submission.values("question_30012004[]"), ["Rust", "Python"]);
    assert_eq!(submission.files.len(), 1);
    let resume = submission.file("resume").expect("resume");
    assert_eq!(resume.filename, "ada resume.pdf");
    assert_eq!(resume.content, RESUME);

    let confirmation = client()
        .get(
            ats.base_url()
                .join("/greenhouse/acme/jobs/4012345/confirmation")
                .expect("url"),
        )
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(confirmation.contains("Thank you for applying."));
}

#[tokio::test]
async fn greenhouse_rerenders_with_errors_and_keeps_values() {
    let ats = MockAts::start().await.expect("start");
    let form = text_form(&[
        ("first_name", "Ada"),
        ("last_name", ""),
        ("email", "ada-at-example"),
        ("question_30012002", "Yes"),
        ("question_30012004[]", "Go"),
    ]);
    let response = client()
        .post(ats.url(Flow::Greenhouse))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.expect("body");
    assert!(page.contains("id=\"application-form\""));
    assert!(page.contains("value=\"Ada\""), "first name kept");
    assert!(page.contains("value=\"ada-at-example\""), "email kept");
    assert!(page.contains("<div class=\"select__single-value\">Yes</div>"));
    assert!(page.contains("value=\"Go\" checked"));
    assert!(page.contains(
        "<p id=\"last_name-error\" class=\"helper-text helper-text--error\" role=\"alert\">This field is required.</p>"
    ));
    assert!(page.contains("id=\"email-error\""));
    assert!(page.contains("Please enter a valid email address."));
    assert!(page.contains("id=\"resume-error\""));
    assert!(!page.contains("id=\"first_name-error\""));
    assert!(ats.submissions().is_empty());
    assert_eq!(ats.rejected().len(), 1);
}

#[tokio::test]
async fn embedded_greenhouse_records_under_its_own_flow() {
    let ats = MockAts::start().await.expect("start");
    let url = ats
        .base_url()
        .join("/greenhouse/embed/job_app?for=acme&token=4012345")
        .expect("url");
    let form = text_form(GREENHOUSE_VALID).part("resume", resume_part());
    let response = client()
        .post(url)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        "/greenhouse/embed/job_app/confirmation?for=acme&token=4012345"
    );
    let submissions = ats.submissions();
    assert_eq!(submissions.len(), 1);
    assert_eq!(submissions[0].flow, Flow::EmbeddedGreenhouse);
}

const LEVER_VALID: &[(&str, &str)] = &[
    ("name", "Ada Lovelace"),
    ("email", "ada@example.com"),
    ("phone", ""),
    ("urls[LinkedIn]", "https://www.linkedin.com/in/ada"),
    ("cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c][field0]", "No"),
    (
        "cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c][field1]",
        "Kafka",
    ),
    (
        "cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c][field1]",
        "gRPC",
    ),
    (
        "cards[a3c1e5f7-2b4d-4e6f-8a0c-1d3e5f7a9b2c][field2]",
        "Robots that deliver blood samples.\nThat is why.",
    ),
    ("eeo[gender]", "Decline to self-identify"),
    ("h-captcha-response", "P1_token"),
];

#[tokio::test]
async fn lever_records_the_application_and_thanks() {
    let ats = MockAts::start().await.expect("start");
    let form = Form::new()
        .part("resume", resume_part())
        .text("name", "Ada Lovelace");
    let form = LEVER_VALID[1..].iter().fold(form, |form, (name, value)| {
        form.text(name.to_string(), value.to_string())
    });
    let response = client()
        .post(ats.url(Flow::Lever))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let thanks_path = location(&response).to_owned();
    assert_eq!(
        thanks_path,
        "/lever/acme/5f7c2a1e-3b8d-4c6a-9e21-7d4b8a0c1f35/thanks"
    );
    let submissions = ats.submissions();
    assert_eq!(submissions.len(), 1);
    assert_eq!(submissions[0].flow, Flow::Lever);
    assert_eq!(submissions[0].fields, owned(LEVER_VALID));
    assert_eq!(
        submissions[0]
            .file("resume")
            .map(|file| file.content.as_slice()),
        Some(RESUME)
    );
    let thanks = client()
        .get(ats.base_url().join(&thanks_path).expect("url"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(thanks.contains("Application submitted!"));
    assert!(thanks.contains("Thanks for applying"));
}

#[tokio::test]
async fn lever_without_resume_is_refused_and_not_recorded() {
    let ats = MockAts::start().await.expect("start");
    let response = client()
        .post(ats.url(Flow::Lever))
        .multipart(text_form(LEVER_VALID))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.expect("body");
    assert!(page.contains("class=\"application-question resume error\""));
    assert!(page.contains("value=\"Ada Lovelace\""));
    assert!(ats.submissions().is_empty());
}

#[tokio::test]
async fn lever_captcha_shows_a_challenge_and_records_nothing() {
    let ats = MockAts::start().await.expect("start");
    let form = text_form(LEVER_VALID).part("resume", resume_part());
    let response = client()
        .post(ats.url(Flow::LeverCaptcha))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.expect("body");
    assert!(page.contains("title=\"Main content of the hCaptcha challenge\""));
    assert!(page.contains("src=\"/hcaptcha.com/captcha/v1/static/hcaptcha.html#frame=challenge"));
    assert!(ats.submissions().is_empty());
    assert!(ats.rejected().is_empty());
}

#[tokio::test]
async fn ashby_accepts_a_complete_application_as_json() {
    let ats = MockAts::start().await.expect("start");
    let fields = [
        ("_systemfield_name", "Ada Lovelace"),
        ("_systemfield_email", "ada@example.com"),
        ("_systemfield_location", "London, England, United Kingdom"),
        ("1f4e7a2b-9c3d-4e5f-8a6b-7c0d1e2f3a4b", "Yes"),
        ("6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d", ""),
    ];
    let form = text_form(&fields).part("_systemfield_resume", resume_part());
    let url = ats
        .base_url()
        .join("/ashby/acme/8d2f6b1a-4c3e-4a7b-9f05-6e1d2c3b4a59/application/submit")
        .expect("url");
    let response = client()
        .post(url)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let json: serde_json::Value = response.json().await.expect("json");
    assert_eq!(json["success"], true);
    let submissions = ats.submissions();
    assert_eq!(submissions.len(), 1);
    assert_eq!(submissions[0].flow, Flow::Ashby);
    assert_eq!(submissions[0].fields, owned(&fields));
    assert_eq!(
        submissions[0]
            .file("_systemfield_resume")
            .map(|file| file.content.as_slice()),
        Some(RESUME)
    );
}

#[tokio::test]
async fn ashby_answers_422_with_errors_per_field() {
    let ats = MockAts::start().await.expect("start");
    let form = text_form(&[
        ("_systemfield_name", "Ada Lovelace"),
        ("_systemfield_email", "not-an-email"),
        ("_systemfield_location", "Atlantis"),
    ]);
    let url = ats
        .base_url()
        .join("/ashby/acme/8d2f6b1a-4c3e-4a7b-9f05-6e1d2c3b4a59/application/submit")
        .expect("url");
    let response = client()
        .post(url)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = response.json().await.expect("json");
    assert_eq!(json["success"], false);
    let paths: Vec<&str> = json["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|error| error["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "_systemfield_email",
            "_systemfield_resume",
            "_systemfield_location",
            "1f4e7a2b-9c3d-4e5f-8a6b-7c0d1e2f3a4b"
        ]
    );
    assert!(ats.submissions().is_empty());
}

async fn post_generic(ats: &MockAts, form: Form) -> reqwest::Response {
    client()
        .post(ats.url(Flow::Generic))
        .multipart(form)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn generic_walks_three_steps_and_records_once() {
    let ats = MockAts::start().await.expect("start");
    let step1 = [
        ("_step", "1"),
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("phone", ""),
    ];
    let page2 = post_generic(&ats, text_form(&step1))
        .await
        .text()
        .await
        .expect("body");
    assert!(page2.contains("Step 2 of 3"));
    assert!(page2.contains("<input type=\"hidden\" name=\"first_name\" value=\"Ada\">"));
    assert!(page2.contains("id=\"visa_type_row\" hidden"));
    assert!(page2.contains("id=\"back\""));

    // Sponsorship without a visa type: the conditional question is now required.
    let mut step2 = vec![
        ("_step", "2"),
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("phone", ""),
        ("work_authorized", "No"),
        ("visa_sponsorship", "Yes"),
        ("start_date", "2027-01-04"),
    ];
    let refused = post_generic(&ats, text_form(&step2))
        .await
        .text()
        .await
        .expect("body");
    assert!(refused.contains("Step 2 of 3"));
    assert!(refused.contains("id=\"visa_type-error\""));
    assert!(!refused.contains("id=\"visa_type_row\" hidden"));

    step2.insert(7, ("visa_type", "O-1"));
    let page3 = post_generic(&ats, text_form(&step2))
        .await
        .text()
        .await
        .expect("body");
    assert!(page3.contains("Step 3 of 3"));
    assert!(page3.contains("type=\"file\" id=\"resume\""));
    assert!(page3.contains("id=\"submit\""));

    let back = post_generic(&ats, text_form(&[("_step", "3"), ("_nav", "back")]))
        .await
        .text()
        .await
        .expect("body");
    assert!(back.contains("Step 2 of 3"));

    let final_fields = [
        ("_step", "3"),
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("phone", ""),
        ("work_authorized", "No"),
        ("visa_sponsorship", "Yes"),
        ("visa_type", "O-1"),
        ("start_date", "2027-01-04"),
        ("cover_letter", "Dear Acme,"),
        ("privacy_consent", "yes"),
    ];
    let response = post_generic(&ats, text_form(&final_fields).part("resume", resume_part())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/careers/apply/confirmation");

    let submissions = ats.submissions();
    assert_eq!(submissions.len(), 1);
    assert_eq!(submissions[0].flow, Flow::Generic);
    assert_eq!(submissions[0].fields, owned(&final_fields));
    assert_eq!(
        submissions[0]
            .file("resume")
            .map(|file| file.content.as_slice()),
        Some(RESUME)
    );
    let confirmation = client()
        .get(
            ats.base_url()
                .join("/careers/apply/confirmation")
                .expect("url"),
        )
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(confirmation.contains("Application received"));
}

#[tokio::test]
async fn server_error_answers_500_and_records_nothing() {
    let ats = MockAts::start().await.expect("start");
    let form = text_form(&[("full_name", "Ada Lovelace"), ("email", "ada@example.com")]);
    let response = client()
        .post(ats.url(Flow::ServerError))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("500 Internal Server Error")
    );
    assert!(ats.submissions().is_empty());
    assert!(ats.rejected().is_empty());
}

#[tokio::test]
async fn login_wall_refuses_every_sign_in() {
    let ats = MockAts::start().await.expect("start");
    let response = client()
        .post(ats.url(Flow::LoginWall))
        .form(&[("email", "ada@example.com"), ("password", "hunter2")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Wrong email address or password")
    );
    assert!(ats.submissions().is_empty());
}

#[tokio::test]
async fn never_loads_does_not_complete_before_a_client_timeout() {
    let ats = MockAts::start().await.expect("start");
    let response = client()
        .get(ats.url(Flow::NeverLoads))
        .timeout(Duration::from_millis(600))
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(response.status(), StatusCode::OK);
    let error = response.text().await.expect_err("the body never ends");
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn shutdown_cuts_a_never_ending_response_and_frees_the_port() {
    let ats = MockAts::start().await.expect("start");
    let addr = ats.addr();
    let url = ats.url(Flow::NeverLoads);
    let response = client()
        .get(url)
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .expect("headers arrive");
    let body = tokio::spawn(async move { response.text().await });
    ats.shutdown().await;
    let result = body.await.expect("join");
    let error = result.expect_err("the body is cut, not completed");
    assert!(!error.is_timeout(), "{error}");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[test]
fn flows_have_unique_names_and_paths() {
    let mut names: Vec<_> = Flow::ALL.iter().map(|flow| flow.name()).collect();
    let mut paths: Vec<_> = Flow::ALL.iter().map(|flow| flow.path()).collect();
    names.sort_unstable();
    names.dedup();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(names.len(), Flow::ALL.len());
    assert_eq!(paths.len(), Flow::ALL.len());
    for flow in Flow::ALL {
        assert_eq!(Flow::from_name(flow.name()), Some(*flow));
    }
    assert_eq!(Flow::from_name("workday"), None);
}

#[tokio::test]
async fn urls_keep_the_query_of_the_start_path() {
    let ats = MockAts::start().await.expect("start");
    let url = ats.url(Flow::EmbeddedGreenhouse);
    assert_eq!(url.path(), "/company/careers");
    assert_eq!(url.query(), Some("gh_jid=4012345"));
    assert_eq!(url.host_str(), Some("127.0.0.1"));
    assert_eq!(ats.base_url().path(), "/");
}

#[test]
fn debug_output_hides_answers() {
    let submission = mock_ats::Submission {
        flow: Flow::Lever,
        fields: vec![("email".to_owned(), "ada@example.com".to_owned())],
        files: vec![mock_ats::UploadedFile {
            field: "resume".to_owned(),
            filename: "Ada_Lovelace.pdf".to_owned(),
            content: b"secret".to_vec(),
        }],
    };
    let debug = format!("{submission:?}");
    assert!(debug.contains("email") && debug.contains("resume"));
    for secret in ["ada@example.com", "Ada_Lovelace", "secret"] {
        assert!(!debug.contains(secret), "{debug}");
    }
}
