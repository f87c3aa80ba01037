//! The JSON shapes of the sessions API, pinned with snapshots.

use engine_core::{
    Answer, AnswerValue, AnswersRequest, Constraints, Field, FieldOption, FieldType, InlineFile,
    ProviderId, RunState, SessionInfo, SessionMode, SessionState, SessionStatus, ValidationError,
};
use uuid::Uuid;

fn id() -> Uuid {
    Uuid::parse_str("6f1d2b3c-4a5e-4f60-9b7a-8c9d0e1f2a3b").expect("valid uuid")
}

fn sample_field() -> Field {
    Field {
        field_id: "question_4012".into(),
        field_type: FieldType::Select,
        label: "Are you authorized to work in the US?".into(),
        is_required: true,
        options: vec![
            FieldOption {
                value: "1".into(),
                text: "Yes".into(),
                is_selected: false,
            },
            FieldOption {
                value: "0".into(),
                text: "No".into(),
                is_selected: true,
            },
        ],
        handler_type: Some("work-authorization".into()),
        current_value: Some("0".into()),
        name: Some("question_4012".into()),
        placeholder: Some("Select...".into()),
        description: None,
        section: Some("Application".into()),
        constraints: Constraints {
            max_length: None,
            accepted_file_types: vec![],
            max_file_size_bytes: None,
        },
        selector: Some("#question_4012".into()),
    }
}

#[test]
fn session_state_shape() {
    let state = SessionState {
        id: id(),
        provider_id: Some(ProviderId::Greenhouse),
        provider_name: Some("Greenhouse".into()),
        status: SessionStatus::FormReady,
        is_terminal: false,
        error: None,
        current_url: Some("https://job-boards.greenhouse.io/acme/jobs/4012345".into()),
        validation_errors: vec![
            ValidationError::field("first_name", "This field is required."),
            ValidationError::page("the page shows an error"),
        ],
        fields: vec![sample_field()],
        redirect_url: None,
        redirect_provider_id: None,
    };
    insta::assert_json_snapshot!(state);
    let back: SessionState =
        serde_json::from_value(serde_json::to_value(&state).expect("serializes")).expect("parses");
    assert_eq!(back, state);
}

#[test]
fn redirect_state_shape() {
    let state = SessionState {
        id: id(),
        provider_id: None,
        provider_name: None,
        status: SessionStatus::RedirectRequired,
        is_terminal: true,
        error: None,
        current_url: Some("https://www.example.com/careers?gh_jid=1".into()),
        validation_errors: vec![],
        fields: vec![],
        redirect_url: Some(
            "https://job-boards.greenhouse.io/embed/job_app?for=acme&token=1".into(),
        ),
        redirect_provider_id: Some(ProviderId::Greenhouse),
    };
    insta::assert_json_snapshot!(state);
}

#[test]
fn public_api_example_parses() {
    // The example from the public API reference, minimal field form included.
    let example = r#"{
      "id": "6f1d2b3c-4a5e-4f60-9b7a-8c9d0e1f2a3b",
      "provider_id": "greenhouse",
      "provider_name": "Greenhouse",
      "status": "form_ready",
      "is_terminal": false,
      "error": null,
      "current_url": "https://boards.greenhouse.io/acme/jobs/4567890",
      "validation_errors": [{"field_id": "first_name", "message": "This field is required."}],
      "fields": [
        {"field_id": "first_name", "type": "text", "label": "First name", "is_required": true,
         "options": [], "handler_type": "first-name", "current_value": null}
      ],
      "redirect_url": null,
      "redirect_provider_id": null
    }"#;
    let state: SessionState = serde_json::from_str(example).expect("the public example parses");
    assert_eq!(state.fields[0].field_type, FieldType::Text);
    assert_eq!(state.status, SessionStatus::FormReady);
}

#[test]
fn field_minimal_shape() {
    insta::assert_json_snapshot!(Field::new("email", FieldType::Text, "Email"));
}

#[test]
fn answers_request_shape() {
    let request = AnswersRequest {
        answers: vec![
            Answer {
                field_id: "candidate-location".into(),
                value: AnswerValue::Text("Berl".into()),
                field_type: Some(FieldType::Typeahead),
                typeahead_selection: Some("Berlin, Germany".into()),
                handler_type: Some("location".into()),
                clear_first: true,
            },
            Answer::new(
                "resume",
                AnswerValue::File(InlineFile {
                    filename: "resume.pdf".into(),
                    content_base64: "JVBERi0=".into(),
                }),
            ),
            Answer::new("cover_letter", "/home/ada/cover.pdf"),
        ],
        advance: false,
    };
    insta::assert_json_snapshot!(request);
}

#[test]
fn answers_request_defaults() {
    let request: AnswersRequest =
        serde_json::from_str(r#"{"answers": [{"field_id": "email", "value": "a@b.c"}]}"#)
            .expect("parses");
    assert!(request.advance, "advance defaults to true");
    assert!(!request.answers[0].clear_first);
    assert_eq!(request.answers[0].value, AnswerValue::Text("a@b.c".into()));
}

#[test]
fn answer_debug_never_shows_values() {
    let answer = Answer::new(
        "ssn",
        AnswerValue::File(InlineFile {
            filename: "secret-name.pdf".into(),
            content_base64: "c2VjcmV0".into(),
        }),
    );
    let text = format!("{answer:?} {:?}", Answer::new("email", "ada@example.com"));
    assert!(!text.contains("secret"), "{text}");
    assert!(!text.contains("c2VjcmV0"), "{text}");
    assert!(!text.contains("ada@example.com"), "{text}");
}

#[test]
fn session_info_shape() {
    let info = SessionInfo {
        id: id(),
        state: RunState::Completed,
        mode: SessionMode::Interactive,
        job_url: "https://jobs.lever.co/acme/1/apply".into(),
        provider_id: Some(ProviderId::Lever),
        provider_name: Some("Lever".into()),
        current_url: Some("https://jobs.lever.co/acme/1/thanks".into()),
        started_at: time::macros::datetime!(2026-11-30 21:00:00 UTC),
        completed_at: Some(time::macros::datetime!(2026-11-30 21:03:12 UTC)),
    };
    insta::assert_json_snapshot!(info);
}

#[test]
fn open_enums_keep_unknown_values() {
    for text in ["paused", "form_ready", "", "Submitted"] {
        let status: SessionStatus = serde_json::from_value(text.into()).expect("never fails");
        assert_eq!(serde_json::to_value(&status).expect("serializes"), text);
        assert_eq!(status.as_str(), text);
    }
    let unknown: SessionStatus = "paused".parse().unwrap_or_else(|never| match never {});
    assert_eq!(unknown, SessionStatus::Unknown("paused".into()));
    assert!(unknown.is_terminal(), "an unknown status is not acted on");
    for text in ["slider", "text", "signature"] {
        let field_type: FieldType = serde_json::from_value(text.into()).expect("never fails");
        assert_eq!(serde_json::to_value(&field_type).expect("serializes"), text);
    }
    for text in ["icims", "greenhouse", "taleo"] {
        let provider: ProviderId = serde_json::from_value(text.into()).expect("never fails");
        assert_eq!(serde_json::to_value(&provider).expect("serializes"), text);
    }
    assert_eq!(ProviderId::from("icims").display_name(), "icims");
    assert_eq!(ProviderId::BambooHr.display_name(), "BambooHR");
    // Every known value round-trips through its text.
    for status in SessionStatus::KNOWN {
        assert_eq!(&SessionStatus::from(status.as_str()), status);
    }
    for field_type in FieldType::KNOWN {
        assert_eq!(&FieldType::from(field_type.as_str()), field_type);
    }
    for provider in ProviderId::KNOWN {
        assert_eq!(&ProviderId::from(provider.as_str()), provider);
    }
}

#[test]
fn a_state_with_unknown_values_round_trips_unchanged() {
    let text = r#"{"id":"6f1d2b3c-4a5e-4f60-9b7a-8c9d0e1f2a3b","provider_id":"icims","provider_name":"iCIMS","status":"queued","is_terminal":false,"error":null,"current_url":null,"validation_errors":[],"fields":[{"field_id":"sig","type":"signature","label":"Sign","is_required":true,"options":[],"handler_type":null,"current_value":null,"name":null,"placeholder":null,"description":null,"section":null,"constraints":{"max_length":null,"accepted_file_types":[],"max_file_size_bytes":null},"selector":null}],"redirect_url":null,"redirect_provider_id":null}"#;
    let state: SessionState = serde_json::from_str(text).expect("parses");
    assert_eq!(serde_json::to_string(&state).expect("serializes"), text);
}
