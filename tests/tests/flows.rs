//! Every mock ATS flow, from `start` to a terminal status, in a real headless browser.
//!
//! Each test asserts the status sequence, the fields on each page, and what the mock ATS
//! received: exactly the answers given (files byte for byte) and exactly one submission.

mod common;

use common::{
    Harness, LEVER_CARD, Posted, RESUME, Want, answers_for, assert_posted, assert_status, browsers,
    ids, lever_required_answers, send,
};
use engine_core::{FieldType, ProviderId, SessionStatus};
use mock_ats::Flow;

/// Runs `body` once per installed browser, each time on a fresh harness.
macro_rules! in_every_browser {
    (|$h:ident| $body:block) => {
        for (browser, config) in browsers() {
            eprintln!("--- {browser}");
            let $h = Harness::start(config).await;
            $body
            $h.stop().await;
        }
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greenhouse_rejects_a_bad_email_then_submits() {
    in_every_browser!(|h| {
        let first = h
            .engine
            .start(h.mock.url(Flow::Greenhouse).as_str())
            .await
            .expect("starts");
        assert_status(&first, SessionStatus::FormReady);
        assert_eq!(first.provider_id, Some(ProviderId::Greenhouse));
        assert_eq!(
            ids(&first),
            [
                "first_name",
                "last_name",
                "email",
                "phone",
                "resume",
                "cover_letter",
                "question_30012001",
                "question_30012002",
                "question_30012003",
                "question_30012004[]",
                "gender"
            ]
        );
        let by_id = |id: &str| {
            first
                .fields
                .iter()
                .find(|f| f.field_id == id)
                .expect("field")
        };
        assert!(by_id("first_name").is_required);
        assert!(!by_id("phone").is_required);
        assert_eq!(by_id("resume").field_type, FieldType::File);
        assert!(by_id("question_30012002").is_required);
        assert_eq!(
            by_id("gender").section.as_deref(),
            Some("Voluntary Self-Identification")
        );

        let wants = [
            ("first_name", Want::Text("Ada")),
            ("last_name", Want::Text("Lovelace")),
            ("email", Want::Text("ada-at-example.com")),
            ("phone", Want::Text("+44 20 7946 0000")),
            ("resume", Want::Inline("ada-resume.pdf", RESUME)),
            (
                "question_30012001",
                Want::Text("https://www.linkedin.com/in/ada"),
            ),
            ("question_30012002", Want::Pick("Yes")),
            ("question_30012003", Want::Pick("Conference or meetup")),
            ("question_30012004[]", Want::Picks(&["Rust", "Python"])),
            ("gender", Want::Pick("Female")),
        ];
        let rejected = send(&h.engine, &first, answers_for(&first, &wants), true).await;
        assert_status(&rejected, SessionStatus::FormReady);
        assert_eq!(
            rejected.validation_errors.len(),
            1,
            "{:?}",
            rejected.validation_errors
        );
        assert_eq!(
            rejected.validation_errors[0].field_id.as_deref(),
            Some("email")
        );
        assert_eq!(
            rejected.validation_errors[0].message,
            "Please enter a valid email address."
        );
        assert!(h.mock.submissions().is_empty());

        // The ATS keeps typed values but not files: fix the email, attach the resume again.
        let fixed = [
            ("email", Want::Text("ada@example.com")),
            ("resume", Want::Inline("ada-resume.pdf", RESUME)),
        ];
        let done = send(&h.engine, &rejected, answers_for(&rejected, &fixed), true).await;
        assert_status(&done, SessionStatus::Submitted);
        let submissions = h.mock.submissions();
        assert_eq!(submissions.len(), 1, "exactly one application");
        assert_posted(
            &submissions[0],
            &[
                ("first_name", Posted::Value("Ada")),
                ("last_name", Posted::Value("Lovelace")),
                ("email", Posted::Value("ada@example.com")),
                ("phone", Posted::Value("+44 20 7946 0000")),
                (
                    "question_30012001",
                    Posted::Value("https://www.linkedin.com/in/ada"),
                ),
                ("question_30012002", Posted::Value("Yes")),
                ("question_30012003", Posted::Value("Conference or meetup")),
                ("gender", Posted::Value("Female")),
                ("resume", Posted::File("ada-resume.pdf", RESUME)),
            ],
        );
        let skills = submissions[0].values("question_30012004[]");
        assert_eq!(skills.len(), 2, "{skills:?}");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lever_application_is_submitted() {
    in_every_browser!(|h| {
        let first = h
            .engine
            .start(h.mock.url(Flow::Lever).as_str())
            .await
            .expect("starts");
        assert_status(&first, SessionStatus::FormReady);
        assert_eq!(first.provider_id, Some(ProviderId::Lever));
        let card = LEVER_CARD;
        let radio = format!("{card}[field0]");
        let checks = format!("{card}[field1]");
        let essay = format!("{card}[field2]");
        let found = ids(&first);
        for id in [
            "resume-upload-input",
            "name",
            "email",
            "phone",
            "location-input",
            "org",
            "urls[LinkedIn]",
            "urls[GitHub]",
            "additional-information",
            "eeo[gender]",
            "eeo[race]",
            "eeo[veteran]",
        ] {
            assert!(
                found.contains(&id.to_owned()),
                "`{id}` missing from {found:?}"
            );
        }
        for id in [&radio, &checks, &essay] {
            assert!(found.contains(id), "`{id}` missing from {found:?}");
        }
        assert!(
            !found.iter().any(|id| id.contains("baseTemplate")
                || id == "timezone"
                || id.contains("captcha")),
            "system inputs reported: {found:?}"
        );
        let wants = [
            ("resume-upload-input", Want::Inline("resume.pdf", RESUME)),
            ("name", Want::Text("Ada Lovelace")),
            ("email", Want::Text("ada@example.com")),
            ("phone", Want::Text("+49 30 1234567")),
            ("location-input", Want::Text("Berlin, Germany")),
            ("org", Want::Text("Analytical Engines Ltd")),
            ("urls[LinkedIn]", Want::Text("https://linkedin.com/in/ada")),
            (radio.as_str(), Want::Pick("No")),
            (checks.as_str(), Want::Picks(&["Kubernetes", "Kafka"])),
            (essay.as_str(), Want::Text("Because robots\ndeliver.")),
            ("eeo[gender]", Want::Pick("Female")),
        ];
        let done = send(&h.engine, &first, answers_for(&first, &wants), true).await;
        assert_status(&done, SessionStatus::Submitted);
        let submissions = h.mock.submissions();
        assert_eq!(submissions.len(), 1);
        assert_posted(
            &submissions[0],
            &[
                ("name", Posted::Value("Ada Lovelace")),
                ("email", Posted::Value("ada@example.com")),
                ("phone", Posted::Value("+49 30 1234567")),
                ("location", Posted::Value("Berlin, Germany")),
                ("org", Posted::Value("Analytical Engines Ltd")),
                (
                    "urls[LinkedIn]",
                    Posted::Value("https://linkedin.com/in/ada"),
                ),
                ("urls[GitHub]", Posted::Value("")),
                ("resume", Posted::File("resume.pdf", RESUME)),
            ],
        );
        assert_eq!(submissions[0].values(&radio), ["No"]);
        assert_eq!(submissions[0].values(&checks), ["Kubernetes", "Kafka"]);
        assert_eq!(
            submissions[0].values(&essay),
            ["Because robots\r\ndeliver."]
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lever_captcha_on_submit_needs_a_person() {
    in_every_browser!(|h| {
        let first = h
            .engine
            .start(h.mock.url(Flow::LeverCaptcha).as_str())
            .await
            .expect("starts");
        assert_status(&first, SessionStatus::FormReady);
        let done = send(&h.engine, &first, lever_required_answers(&first), true).await;
        assert_status(&done, SessionStatus::CaptchaRequired);
        assert!(done.is_terminal);
        assert!(h.mock.submissions().is_empty());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ashby_renders_late_and_confirms_in_place() {
    in_every_browser!(|h| {
        let first = h
            .engine
            .start(h.mock.url(Flow::Ashby).as_str())
            .await
            .expect("starts");
        assert_status(&first, SessionStatus::FormReady);
        assert_eq!(first.provider_id, Some(ProviderId::Ashby));
        let yes_no = "1f4e7a2b-9c3d-4e5f-8a6b-7c0d1e2f3a4b";
        let essay = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
        assert_eq!(
            ids(&first),
            [
                "_systemfield_name",
                "_systemfield_email",
                "_systemfield_resume",
                "_systemfield_location",
                yes_no,
                essay
            ]
        );
        let wants = [
            ("_systemfield_name", Want::Text("Ada Lovelace")),
            ("_systemfield_email", Want::Text("ada@example.com")),
            ("_systemfield_resume", Want::Inline("cv.pdf", RESUME)),
            (
                "_systemfield_location",
                Want::Typeahead("Lond", "London, England, United Kingdom"),
            ),
            (yes_no, Want::Pick("Yes")),
            (essay, Want::Text("An off-by-one in a loom.")),
        ];
        let reviewed = send(&h.engine, &first, answers_for(&first, &wants), false).await;
        assert_status(&reviewed, SessionStatus::SubmitReady);
        assert!(
            reviewed.validation_errors.is_empty(),
            "{:?}",
            reviewed.validation_errors
        );
        assert!(
            h.mock.submissions().is_empty(),
            "advance: false sends nothing"
        );
        let done = send(&h.engine, &reviewed, vec![], true).await;
        assert_status(&done, SessionStatus::Submitted);
        let submissions = h.mock.submissions();
        assert_eq!(submissions.len(), 1);
        assert_posted(
            &submissions[0],
            &[
                ("_systemfield_name", Posted::Value("Ada Lovelace")),
                ("_systemfield_email", Posted::Value("ada@example.com")),
                (
                    "_systemfield_location",
                    Posted::Value("London, England, United Kingdom"),
                ),
                (yes_no, Posted::Value("Yes")),
                (essay, Posted::Value("An off-by-one in a loom.")),
                ("_systemfield_resume", Posted::File("cv.pdf", RESUME)),
            ],
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generic_three_steps_with_a_conditional_question() {
    in_every_browser!(|h| {
        let step1 = h
            .engine
            .start(h.mock.url(Flow::Generic).as_str())
            .await
            .expect("starts");
        assert_status(&step1, SessionStatus::FormReady);
        assert_eq!(ids(&step1), ["first_name", "last_name", "email", "phone"]);
        let wants = [
            ("first_name", Want::Text("Ada")),
            ("last_name", Want::Text("Lovelace")),
            ("email", Want::Text("ada@example.com")),
        ];
        let step2 = send(&h.engine, &step1, answers_for(&step1, &wants), true).await;
        assert_status(&step2, SessionStatus::FormReady);
        assert_eq!(
            ids(&step2),
            ["work_authorized", "visa_sponsorship", "start_date"]
        );

        let wants = [
            ("work_authorized", Want::Pick("Yes")),
            ("visa_sponsorship", Want::Pick("Yes")),
            ("start_date", Want::Text("2027-03-01")),
        ];
        let revealed = send(&h.engine, &step2, answers_for(&step2, &wants), true).await;
        assert_status(&revealed, SessionStatus::FormReady);
        assert!(
            ids(&revealed).contains(&"visa_type".to_owned()),
            "{:?}",
            ids(&revealed)
        );
        assert_eq!(revealed.validation_errors.len(), 1);
        assert_eq!(
            revealed.validation_errors[0].field_id.as_deref(),
            Some("visa_type")
        );

        let step3 = send(
            &h.engine,
            &revealed,
            answers_for(&revealed, &[("visa_type", Want::Pick("O-1"))]),
            true,
        )
        .await;
        assert_status(&step3, SessionStatus::FormReady);
        assert_eq!(ids(&step3), ["resume", "cover_letter", "privacy_consent"]);

        let resume = tempfile::Builder::new()
            .suffix(".pdf")
            .tempfile()
            .expect("temp file");
        std::fs::write(resume.path(), RESUME).expect("writes");
        let mut answers = answers_for(
            &step3,
            &[
                ("cover_letter", Want::Text("Dear team,\nhello.")),
                ("privacy_consent", Want::Tick(true)),
            ],
        );
        answers.push(engine_core::Answer::new(
            "resume",
            resume.path().to_path_buf(),
        ));
        let done = send(&h.engine, &step3, answers, true).await;
        assert_status(&done, SessionStatus::Submitted);
        let submissions = h.mock.submissions();
        assert_eq!(submissions.len(), 1, "one submission for three steps");
        let filename = resume
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_owned();
        let file = submissions[0].file("resume").expect("resume posted");
        assert_eq!(file.filename, filename);
        assert_eq!(file.content, RESUME);
        assert_posted(
            &submissions[0],
            &[
                ("first_name", Posted::Value("Ada")),
                ("last_name", Posted::Value("Lovelace")),
                ("email", Posted::Value("ada@example.com")),
                ("work_authorized", Posted::Value("Yes")),
                ("visa_sponsorship", Posted::Value("Yes")),
                ("visa_type", Posted::Value("O-1")),
                ("start_date", Posted::Value("2027-03-01")),
                ("cover_letter", Posted::Value("Dear team,\r\nhello.")),
                ("privacy_consent", Posted::Value("yes")),
            ],
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_without_an_application_end_with_their_status() {
    in_every_browser!(|h| {
        let cases = [
            (Flow::Expired, SessionStatus::Expired),
            (Flow::LoginWall, SessionStatus::LoginRequired),
            (Flow::RedirectHome, SessionStatus::Redirected),
            (Flow::EmbeddedGreenhouse, SessionStatus::RedirectRequired),
            (Flow::LinkToOtherAts, SessionStatus::RedirectRequired),
        ];
        for (flow, status) in cases {
            let state = h
                .engine
                .start(h.mock.url(flow).as_str())
                .await
                .expect("starts");
            assert_status(&state, status.clone());
            assert!(state.is_terminal, "{flow}");
            assert!(state.fields.is_empty(), "{flow}: {:?}", ids(&state));
            match flow {
                Flow::EmbeddedGreenhouse => {
                    let target = state.redirect_url.clone().unwrap_or_default();
                    assert!(target.starts_with(h.mock.base_url().as_str()), "{target}");
                    assert!(
                        target.contains("/greenhouse/embed/job_app?for=acme&token=4012345"),
                        "{target}"
                    );
                    assert_eq!(state.redirect_provider_id, Some(ProviderId::Greenhouse));
                }
                Flow::LinkToOtherAts => {
                    assert_eq!(
                        state.redirect_url.as_deref(),
                        Some(
                            "https://jobs.lever.co/acme/2c4e6a8b-1d3f-4b5a-9c7e-0f2a4c6e8b1d/apply"
                        )
                    );
                    assert_eq!(state.redirect_provider_id, Some(ProviderId::Lever));
                }
                Flow::RedirectHome => {
                    assert_eq!(
                        state.current_url.as_deref(),
                        Some(h.mock.base_url().as_str())
                    );
                }
                _ => {}
            }
        }
        assert_eq!(
            h.engine.open_sessions(),
            0,
            "terminal sessions hold no browser"
        );
        assert!(h.mock.submissions().is_empty());
    });
}
