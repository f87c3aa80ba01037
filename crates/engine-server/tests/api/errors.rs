//! Malformed bodies, URLs, ids, methods and routes: each answered with the right status, a
//! stable code and a message, and the server still answering afterwards.

use base64::Engine as _;
use serde_json::json;

use crate::*;

const JSON: Option<&str> = Some("application/json");

/// One malformed request: what is sent and what must come back.
struct Case {
    name: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
    /// Text the message must contain (what is wrong).
    mentions: &'static str,
}

fn case(
    name: &'static str,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
    mentions: &'static str,
) -> Case {
    Case {
        name,
        content_type: JSON,
        body: body.into(),
        status,
        code,
        mentions,
    }
}

fn url_case(name: &'static str, url: &str, mentions: &'static str) -> Case {
    case(
        name,
        json!({"url": url}).to_string(),
        400,
        "invalid_url",
        mentions,
    )
}

fn start_cases() -> Vec<Case> {
    let long = format!("https://jobs.example.com/{}", "a".repeat(2000));
    let mut cases = vec![
        case(
            "unclosed object",
            "{",
            400,
            "invalid_json",
            "not valid JSON",
        ),
        case("empty body", "", 400, "invalid_json", "empty"),
        case("whitespace body", "  \n ", 400, "invalid_json", "empty"),
        case(
            "not json",
            "url=https://jobs.example.com",
            400,
            "invalid_json",
            "not valid JSON",
        ),
        case(
            "trailing garbage",
            format!("{} x", json!({"url": START})),
            400,
            "invalid_json",
            "trailing",
        ),
        case(
            "invalid utf-8",
            vec![b'{', b'"', 0xff, 0xfe, b'"', b'}'],
            400,
            "invalid_json",
            "not valid JSON",
        ),
        case("array body", "[]", 400, "invalid_body", "StartRequest"),
        case("null body", "null", 400, "invalid_body", "null"),
        case(
            "bare string body",
            json!(START).to_string(),
            400,
            "invalid_body",
            "string",
        ),
        case("missing url", "{}", 400, "invalid_body", "`url`"),
        case(
            "misspelt url key",
            json!({"URL": START}).to_string(),
            400,
            "invalid_body",
            "`url`",
        ),
        case(
            "url is a number",
            r#"{"url": 5}"#,
            400,
            "invalid_body",
            "`url`",
        ),
        case(
            "url is null",
            r#"{"url": null}"#,
            400,
            "invalid_body",
            "`url`",
        ),
        case(
            "url is an array",
            json!({"url": [START]}).to_string(),
            400,
            "invalid_body",
            "`url`",
        ),
        case(
            "url is an object",
            r#"{"url": {"href": "https://jobs.example.com"}}"#,
            400,
            "invalid_body",
            "`url`",
        ),
        url_case("empty url", "", "empty"),
        url_case("blank url", "   ", "empty"),
        url_case("relative url", "jobs.example.com/apply", "absolute"),
        url_case("path only", "/apply", "absolute"),
        url_case("ftp scheme", "ftp://jobs.example.com/apply", "ftp"),
        url_case("javascript scheme", "javascript:alert(1)", "javascript"),
        url_case("file scheme", "file:///etc/passwd", "file"),
        url_case("data scheme", "data:text/html,<form>", "data"),
        url_case(
            "localhost without allow-local",
            "http://localhost:8080/apply",
            "localhost",
        ),
        url_case("loopback ip", "http://127.0.0.1/apply", "loopback"),
        url_case("loopback ipv6", "http://[::1]/apply", "loopback"),
        url_case("private ip", "http://10.0.0.5/apply", "private"),
        url_case(
            "cloud metadata",
            "http://169.254.169.254/latest/meta-data/",
            "metadata",
        ),
        url_case(
            "metadata host name",
            "http://metadata.google.internal/",
            "metadata",
        ),
        url_case(
            "credentials",
            "https://user:pass@jobs.example.com/apply",
            "user:password@",
        ),
        url_case("user only", "https://user@jobs.example.com/apply", "user"),
        url_case("space in host", "http://exa mple.com/", "cannot be parsed"),
        url_case("broken ipv6", "https://[::1/apply", "cannot be parsed"),
        url_case("decimal loopback", "http://2130706433/", "loopback"),
        url_case("scheme only", "https://", "cannot be parsed"),
    ];
    cases.push(Case {
        name: "url too long",
        ..case(
            "",
            json!({"url": long}).to_string(),
            400,
            "invalid_url",
            "2000",
        )
    });
    cases.push(Case {
        name: "text/plain content type",
        content_type: Some("text/plain"),
        ..case(
            "",
            json!({"url": START}).to_string(),
            415,
            "unsupported_media_type",
            "application/json",
        )
    });
    cases.push(Case {
        name: "form content type",
        content_type: Some("application/x-www-form-urlencoded"),
        ..case(
            "",
            "url=https%3A%2F%2Fjobs.example.com",
            415,
            "unsupported_media_type",
            "not JSON",
        )
    });
    cases.push(Case {
        name: "no content type",
        content_type: None,
        ..case(
            "",
            json!({"url": START}).to_string(),
            415,
            "unsupported_media_type",
            "no content type",
        )
    });
    cases
}

fn file_answer(filename: &str, content_base64: &str) -> Vec<u8> {
    json!({"answers": [{"field_id": "resume", "value": {"filename": filename, "content_base64": content_base64}}]})
        .to_string()
        .into_bytes()
}

fn answer_cases() -> Vec<Case> {
    let big = base64::engine::general_purpose::STANDARD.encode(vec![b'x'; 2048]);
    let answer = |extra: serde_json::Value| {
        let mut answer = json!({"field_id": "first_name", "value": "Ada"});
        if let (Some(map), serde_json::Value::Object(extra)) = (answer.as_object_mut(), extra) {
            map.extend(extra);
        }
        json!({"answers": [answer]}).to_string()
    };
    vec![
        case("answers: unclosed", r#"{"answers": ["#, 400, "invalid_json", "not valid JSON"),
        case("answers: missing", "{}", 400, "invalid_body", "`answers`"),
        case("answers: object", r#"{"answers": {}}"#, 400, "invalid_body", "`answers`"),
        case("answers: string", r#"{"answers": "first_name=Ada"}"#, 400, "invalid_body", "`answers`"),
        case("answers: null", r#"{"answers": null}"#, 400, "invalid_body", "`answers`"),
        case("answer: empty object", r#"{"answers": [{}]}"#, 400, "invalid_body", "field_id"),
        case("answer: missing field_id", r#"{"answers": [{"value": "Ada"}]}"#, 400, "invalid_body", "field_id"),
        case("answer: numeric field_id", r#"{"answers": [{"field_id": 7, "value": "Ada"}]}"#, 400, "invalid_body", "answers[0].field_id"),
        case("answer: missing value", r#"{"answers": [{"field_id": "first_name"}]}"#, 400, "invalid_body", "value"),
        case("answer: null value", r#"{"answers": [{"field_id": "first_name", "value": null}]}"#, 400, "invalid_body", "answers[0].value"),
        case("answer: array value", r#"{"answers": [{"field_id": "first_name", "value": ["Ada"]}]}"#, 400, "invalid_body", "answers[0].value"),
        case("answer: not an object", r#"{"answers": ["Ada"]}"#, 400, "invalid_body", "answers[0]"),
        case("advance: string", r#"{"answers": [], "advance": "yes"}"#, 400, "invalid_body", "`advance`"),
        case("advance: number", r#"{"answers": [], "advance": 1}"#, 400, "invalid_body", "`advance`"),
        case("clear_first: string", answer(json!({"clear_first": "yes"})), 400, "invalid_body", "clear_first"),
        case("type: number", answer(json!({"type": 5})), 400, "invalid_body", "type"),
        case("typeahead_selection: object", answer(json!({"typeahead_selection": {}})), 400, "invalid_body", "typeahead_selection"),
        case(
            "file: missing content",
            json!({"answers": [{"field_id": "resume", "value": {"filename": "r.pdf"}}]}).to_string(),
            400,
            "invalid_body",
            "content_base64",
        ),
        case(
            "file: numeric filename",
            json!({"answers": [{"field_id": "resume", "value": {"filename": 1, "content_base64": "JVBERi0="}}]}).to_string(),
            400,
            "invalid_body",
            "filename",
        ),
        case("file: invalid base64", file_answer("resume.pdf", "!!!not base64!!!"), 400, "invalid_file", "base64"),
        case("file: base64 without padding", file_answer("resume.pdf", "JVBERi0"), 400, "invalid_file", "base64"),
        case("file: empty content", file_answer("resume.pdf", ""), 400, "invalid_file", "empty"),
        case("file: path traversal name", file_answer("../../etc/cron.d/x", "JVBERi0="), 400, "invalid_file", "plain file name"),
        case("file: backslash name", file_answer("..\\..\\x.pdf", "JVBERi0="), 400, "invalid_file", "plain file name"),
        case("file: empty name", file_answer("", "JVBERi0="), 400, "invalid_file", "plain file name"),
        case("file: dot-dot name", file_answer("..", "JVBERi0="), 400, "invalid_file", "plain file name"),
        case("file: too large", file_answer("resume.pdf", &big), 413, "file_too_large", "1024 bytes"),
        case(
            "file: local path without upload dir",
            json!({"answers": [{"field_id": "resume", "value": "/etc/passwd"}]}).to_string(),
            400,
            "local_file_refused",
            "content_base64",
        ),
        Case {
            name: "answers: text/plain",
            content_type: Some("text/plain"),
            ..case("", r#"{"answers": []}"#, 415, "unsupported_media_type", "application/json")
        },
    ]
}

async fn check_cases(server: &Server, path: &str, cases: Vec<Case>) {
    for case in cases {
        let reply = server
            .send("POST", path, case.content_type, case.body)
            .await;
        assert_eq!(reply.status, case.status, "{}: {}", case.name, reply.text);
        assert_eq!(
            reply.error_code(),
            case.code,
            "{}: {}",
            case.name,
            reply.text
        );
        assert!(
            reply.message().contains(case.mentions),
            "{}: the message does not mention {:?}: {}",
            case.name,
            case.mentions,
            reply.message()
        );
        assert_eq!(
            reply.headers["content-type"].to_str().ok(),
            Some("application/json"),
            "{}",
            case.name
        );
        server.assert_alive().await;
    }
}

#[tokio::test]
async fn malformed_start_bodies_and_urls_are_400_415_with_what_is_wrong() {
    let site = site();
    let server = serve(&site).await;
    let cases = start_cases();
    assert!(cases.len() >= 30, "{}", cases.len());
    check_cases(&server, SESSIONS, cases).await;
    // Nothing was opened for any of them.
    assert!(site.log().is_empty(), "{:?}", site.log());
    // Unknown fields are ignored: clients of the public API may send more.
    let reply = server
        .post_json(
            SESSIONS,
            &json!({"url": START, "mode": "interactive", "extra": [1]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[tokio::test]
async fn malformed_answer_bodies_are_refused_and_the_session_is_untouched() {
    let site = site();
    let server = serve(&site).await;
    let state = server.start(START).await;
    let id = state["id"].as_str().expect("id");
    let cases = answer_cases();
    assert!(cases.len() >= 25, "{}", cases.len());
    check_cases(&server, &format!("{SESSIONS}/{id}/answers"), cases).await;
    // No answer reached the browser, and the session still takes good answers.
    assert!(
        site.log()
            .iter()
            .all(|call| !matches!(call, engine_core::fake::FakeCall::Fill(..)))
    );
    let after = server.get(&format!("{SESSIONS}/{id}")).await;
    assert_eq!(after.body["state"], "running");
    let reply = server
        .post_json(
            &format!("{SESSIONS}/{id}/answers"),
            &json!({"answers": [{"field_id": "first_name", "value": "Ada"}], "advance": false}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn error_messages_never_echo_answer_values() {
    let site = site();
    let server = serve(&site).await;
    let state = server.start(START).await;
    let id = state["id"].as_str().expect("id");
    let bodies = [
        json!({"answers": [{"field_id": "first_name", "value": ["Ada Lovelace-Secret"]}]}),
        json!({"answers": [{"field_id": "resume", "value": {"filename": "r.pdf", "content_base64": "Ada Lovelace-Secret"}}]}),
    ];
    for body in bodies {
        let reply = server
            .post_json(&format!("{SESSIONS}/{id}/answers"), &body)
            .await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert!(!reply.text.contains("Lovelace"), "{}", reply.text);
    }
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let site = site();
    let server = serve(&site).await;
    let padding = "x".repeat(100 * 1024);
    let body = json!({"url": START, "padding": padding})
        .to_string()
        .into_bytes();
    let reply = server.send("POST", SESSIONS, JSON, body).await;
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert_eq!(reply.error_code(), "payload_too_large");
    let state = server.start(START).await;
    let body = json!({"answers": [], "padding": padding})
        .to_string()
        .into_bytes();
    let path = format!("{SESSIONS}/{}/answers", state["id"].as_str().expect("id"));
    let reply = server.send("POST", &path, JSON, body).await;
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert_eq!(reply.error_code(), "payload_too_large");
    server.assert_alive().await;
}

#[tokio::test]
async fn unknown_and_malformed_session_ids_are_404() {
    let site = site();
    let server = serve(&site).await;
    let unknown = "6f1d2b3c-4a5e-4f60-9b7a-8c9d0e1f2a3b";
    let long = "z".repeat(500);
    for id in [
        unknown,
        "not-a-uuid",
        "123",
        "6f1d2b3c4a5e4f609b7a8c9d0e1f2a3",
        long.as_str(),
        "%ff%fe",
    ] {
        for (method, suffix, body) in [
            ("GET", "", Vec::new()),
            ("DELETE", "", Vec::new()),
            ("POST", "/answers", br#"{"answers": []}"#.to_vec()),
        ] {
            let content_type = if body.is_empty() { None } else { JSON };
            let reply = server
                .send(
                    method,
                    &format!("{SESSIONS}/{id}{suffix}"),
                    content_type,
                    body,
                )
                .await;
            assert_eq!(reply.status, 404, "{method} {id}{suffix}: {}", reply.text);
            assert_eq!(
                reply.error_code(),
                "session_not_found",
                "{method} {id}{suffix}"
            );
            assert!(
                reply.text.len() < 400,
                "the message repeats a huge id: {}",
                reply.text
            );
        }
    }
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow_and_unknown_routes_404_as_json() {
    let site = site();
    let server = serve(&site).await;
    let id = "6f1d2b3c-4a5e-4f60-9b7a-8c9d0e1f2a3b";
    let cases = [
        ("GET", SESSIONS.to_owned(), "POST"),
        ("PUT", SESSIONS.to_owned(), "POST"),
        ("DELETE", SESSIONS.to_owned(), "POST"),
        ("PATCH", format!("{SESSIONS}/{id}"), "GET"),
        ("POST", format!("{SESSIONS}/{id}"), "DELETE"),
        ("GET", format!("{SESSIONS}/{id}/answers"), "POST"),
        ("PUT", format!("{SESSIONS}/{id}/answers"), "POST"),
        ("POST", "/healthz".to_owned(), "GET"),
    ];
    for (method, path, allowed) in cases {
        let reply = server.send(method, &path, None, Vec::new()).await;
        assert_eq!(reply.status, 405, "{method} {path}: {}", reply.text);
        assert_eq!(reply.error_code(), "method_not_allowed");
        let allow = reply.headers["allow"].to_str().expect("allow");
        assert!(allow.contains(allowed), "{method} {path}: Allow is {allow}");
    }
    for path in [
        "/",
        "/api",
        "/api/auto-apply/sessions/",
        "/api/auto-apply/other",
        &format!("{SESSIONS}/{id}/answers/x"),
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 404, "{path}: {}", reply.text);
        assert_eq!(reply.error_code(), "not_found", "{path}");
    }
    server.assert_alive().await;
}
