//! The OpenAPI document describes exactly the routes served.

use crate::*;

#[tokio::test]
async fn openapi_lists_exactly_the_routes_served() {
    let site = site();
    let server = serve(&site).await;
    let reply = server
        .send_with_key("GET", "/openapi.json", None, None, Vec::new())
        .await;
    assert_eq!(reply.status, 200);
    let doc = reply.body;
    assert_eq!(doc["openapi"], "3.1.0");
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                routes.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    routes.sort();
    assert_eq!(
        routes,
        [
            "DELETE /api/auto-apply/sessions/{id}",
            "GET /api/auto-apply/sessions/{id}",
            "GET /healthz",
            "GET /openapi.json",
            "POST /api/auto-apply/sessions",
            "POST /api/auto-apply/sessions/{id}/answers",
        ]
    );
    // Every documented route exists: with a key, none of them is a 404 `not_found` or a 405.
    for route in &routes {
        let (method, path) = route.split_once(' ').expect("route");
        let path = path.replace("{id}", "6f1d2b3c-4a5e-4f60-9b7a-8c9d0e1f2a3b");
        let reply = server
            .send(
                method,
                &path,
                Some("application/json"),
                b"{\"answers\": []}".to_vec(),
            )
            .await;
        assert!(reply.status != 405, "{route}: {}", reply.text);
        assert!(
            reply.body["error"]["code"] != "not_found",
            "{route}: {}",
            reply.text
        );
    }
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "SessionState",
        "Field",
        "Answer",
        "AnswersRequest",
        "SessionInfo",
        "Error",
        "StartRequest",
    ] {
        assert!(schemas.contains_key(name), "no schema {name}");
    }
    // Every $ref points at a schema that exists.
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().expect("name");
        assert!(schemas.contains_key(name), "dangling $ref {name}");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["ApiKey"]["name"],
        "X-Api-Key"
    );
}

#[tokio::test]
async fn the_state_schema_names_every_field_the_server_sends() {
    let site = site();
    let server = serve(&site).await;
    let state = server.start(START).await;
    let doc = server
        .send_with_key("GET", "/openapi.json", None, None, Vec::new())
        .await
        .body;
    let schema = &doc["components"]["schemas"]["SessionState"]["properties"];
    for key in state.as_object().expect("state").keys() {
        assert!(
            schema.get(key).is_some(),
            "SessionState schema lacks `{key}`"
        );
    }
    let field_schema = &doc["components"]["schemas"]["Field"]["properties"];
    for key in state["fields"][0].as_object().expect("field").keys() {
        assert!(
            field_schema.get(key).is_some(),
            "Field schema lacks `{key}`"
        );
    }
    let info = server
        .get(&format!("{SESSIONS}/{}", state["id"].as_str().expect("id")))
        .await
        .body;
    let info_schema = &doc["components"]["schemas"]["SessionInfo"]["properties"];
    for key in info.as_object().expect("info").keys() {
        assert!(
            info_schema.get(key).is_some(),
            "SessionInfo schema lacks `{key}`"
        );
    }
}
