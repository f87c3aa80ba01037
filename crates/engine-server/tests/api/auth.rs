//! The API key on every session route, checked before anything else.

use serde_json::json;

use crate::*;

#[tokio::test]
async fn every_session_route_needs_a_valid_key() {
    let site = site();
    let server = serve(&site).await;
    let state = server.start(START).await;
    let id = state["id"].as_str().expect("id");
    let unknown = "6f1d2b3c-4a5e-4f60-9b7a-8c9d0e1f2a3b";
    let start_body = json!({"url": START}).to_string().into_bytes();
    let answers_body = json!({"answers": [{"field_id": "first_name", "value": "Ada"}]})
        .to_string()
        .into_bytes();
    let routes: Vec<(&str, String, Vec<u8>)> = vec![
        ("POST", SESSIONS.to_owned(), start_body),
        (
            "POST",
            format!("{SESSIONS}/{id}/answers"),
            answers_body.clone(),
        ),
        ("GET", format!("{SESSIONS}/{id}"), Vec::new()),
        ("DELETE", format!("{SESSIONS}/{id}"), Vec::new()),
        // Unknown ids, wrong methods and unknown paths under the API say nothing without a key.
        (
            "POST",
            format!("{SESSIONS}/{unknown}/answers"),
            answers_body,
        ),
        ("GET", format!("{SESSIONS}/{unknown}"), Vec::new()),
        ("PUT", SESSIONS.to_owned(), Vec::new()),
        ("GET", "/api/auto-apply/other".to_owned(), Vec::new()),
    ];
    let same_length: String = KEY.chars().rev().collect();
    assert_eq!(same_length.len(), KEY.len());
    let mut last_char_wrong = KEY.to_owned();
    last_char_wrong.pop();
    last_char_wrong.push('g');
    let bad_keys: Vec<Option<String>> = vec![
        None,
        Some(String::new()),
        Some(same_length),
        Some(last_char_wrong),
        Some(format!("{KEY}x")),
        Some(KEY[..KEY.len() - 1].to_owned()),
        Some(KEY.to_uppercase()),
        Some(format!("{}-{KEY}", "x")),
        Some(format!("{KEY},second-key")),
    ];
    for (method, path, body) in &routes {
        for key in &bad_keys {
            let content_type = if body.is_empty() {
                None
            } else {
                Some("application/json")
            };
            let reply = server
                .send_with_key(method, path, key.as_deref(), content_type, body.clone())
                .await;
            assert_eq!(
                reply.status, 401,
                "{method} {path} with {key:?}: {}",
                reply.text
            );
            assert_eq!(reply.error_code(), "unauthorized");
            assert!(reply.message().contains("X-Api-Key"), "{}", reply.message());
        }
    }
    // Nothing was done on behalf of the refused requests.
    assert_eq!(site.log().len(), 1, "{:?}", site.log());
    let info = server.get(&format!("{SESSIONS}/{id}")).await;
    assert_eq!(info.status, 200);
    assert_eq!(info.body["state"], "running");

    // Every configured key works.
    for key in [KEY, "second-key"] {
        let reply = server
            .send_with_key(
                "GET",
                &format!("{SESSIONS}/{id}"),
                Some(key),
                None,
                Vec::new(),
            )
            .await;
        assert_eq!(reply.status, 200, "{key}: {}", reply.text);
    }
}

#[tokio::test]
async fn health_and_openapi_need_no_key() {
    let site = site();
    let server = serve(&site).await;
    for path in ["/healthz", "/openapi.json"] {
        let reply = server
            .send_with_key("GET", path, None, None, Vec::new())
            .await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    }
}

#[tokio::test]
async fn without_configured_keys_everything_is_401() {
    let site = site();
    let server = serve_with(
        std::sync::Arc::new(site.driver()),
        std::sync::Arc::new(site.detector()),
        engine_config(),
        engine_server::ServerConfig::new(vec![String::new(), "  ".to_owned()]),
    )
    .await;
    for key in [None, Some(""), Some("  "), Some(KEY)] {
        let reply = server
            .send_with_key(
                "POST",
                SESSIONS,
                key,
                Some("application/json"),
                json!({"url": START}).to_string().into_bytes(),
            )
            .await;
        assert_eq!(reply.status, 401, "{key:?}: {}", reply.text);
    }
    assert!(site.log().is_empty());
}
