//! The OpenAPI 3.1 document of the routes in [`crate::router`], written by hand.
//!
//! Hand-written on purpose: it is small, it states the contract exactly (open enums, the
//! error shape), and a test checks its route list against the router's.

use serde_json::{Value, json};

use crate::SESSIONS_PATH;

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn retry_error_response(description: &str) -> Value {
    let mut response = error_response(description);
    response["headers"] = json!({
        "Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "integer"}}
    });
    response
}

fn state_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SessionState"}}}
    })
}

fn session_id_parameter() -> Value {
    json!({
        "name": "id", "in": "path", "required": true,
        "description": "the session id; a malformed id answers 404 like an unknown one",
        "schema": {"type": "string", "format": "uuid"}
    })
}

fn nullable(kind: &str) -> Value {
    json!({"type": [kind, "null"]})
}

/// The document served at `/openapi.json`.
pub(crate) fn document() -> Value {
    let common = |extra: Value| {
        let mut responses = json!({
            "401": error_response("no or invalid `X-Api-Key`"),
            "404": error_response("unknown session (`session_not_found`) or no such route (`not_found`)"),
            "405": error_response("method not allowed (`method_not_allowed`)"),
            "500": error_response("unexpected failure (`internal`), never with internals"),
        });
        if let (Some(map), Value::Object(extra)) = (responses.as_object_mut(), extra) {
            map.extend(extra);
        }
        responses
    };
    let body_errors = json!({
        "400": error_response("malformed JSON (`invalid_json`), wrong shape (`invalid_body`), refused URL (`invalid_url`), bad inline file (`invalid_file`) or refused local path (`local_file_refused`)"),
        "413": error_response("body too large (`payload_too_large`) or inline file too large (`file_too_large`)"),
        "415": error_response("the body is not `application/json` (`unsupported_media_type`)"),
    });
    let merge = |a: &Value, b: Value| {
        let mut a = a.clone();
        if let (Some(map), Value::Object(b)) = (a.as_object_mut(), b) {
            map.extend(b);
        }
        a
    };
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "autoapply sessions API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Fills in job applications in a real browser, page by page. Enum values (status, type, provider_id, state, mode) are open: treat unknown values as valid."
        },
        "security": [{"ApiKey": []}],
        "paths": {
            SESSIONS_PATH: {
                "post": {
                    "operationId": "startSession",
                    "summary": "open the application URL in a browser and parse its first page",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StartRequest"}}}},
                    "responses": common(merge(&body_errors, json!({
                        "201": {
                            "description": "the session, with the first page's fields",
                            "headers": {"Location": {"description": "the session's URL", "schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SessionState"}}}
                        },
                        "429": retry_error_response("too many open sessions (`at_capacity`)"),
                        "503": retry_error_response("no browser is free (`browser_busy`)"),
                    })))
                }
            },
            format!("{SESSIONS_PATH}/{{id}}"): {
                "parameters": [session_id_parameter()],
                "get": {
                    "operationId": "getSession",
                    "summary": "the session's metadata",
                    "responses": common(json!({
                        "200": {"description": "metadata", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SessionInfo"}}}}
                    }))
                },
                "delete": {
                    "operationId": "endSession",
                    "summary": "end the session and release its browser",
                    "responses": common(json!({"204": {"description": "ended"}}))
                }
            },
            format!("{SESSIONS_PATH}/{{id}}/answers"): {
                "parameters": [session_id_parameter()],
                "post": {
                    "operationId": "answerSession",
                    "summary": "fill the current page; with `advance`, click Next or Submit",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnswersRequest"}}}},
                    "responses": common(merge(&body_errors, json!({
                        "200": state_response("the updated state: the next page's fields, `validation_errors` with the status unchanged, or `submitted`"),
                        "409": error_response("the session has ended (`session_ended`)"),
                    })))
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "liveness; needs no key",
                    "security": [],
                    "responses": {"200": {"description": "alive", "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["status", "open_sessions"],
                        "properties": {"status": {"const": "ok"}, "open_sessions": {"type": "integer", "minimum": 0}}
                    }}}}}
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "this document; needs no key",
                    "security": [],
                    "responses": {"200": {"description": "the OpenAPI document", "content": {"application/json": {}}}}
                }
            }
        },
        "components": {
            "securitySchemes": {
                "ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
            },
            "schemas": schemas()
        }
    })
}

fn schemas() -> Value {
    let status_values = [
        "form_ready",
        "next_available",
        "submit_ready",
        "submitted",
        "login_required",
        "captcha_required",
        "expired",
        "redirected",
        "redirect_required",
        "error",
    ];
    let field_types = [
        "text",
        "textarea",
        "select",
        "multiselect",
        "radio",
        "checkbox",
        "file",
        "date",
        "number",
        "typeahead",
        "toggle",
        "richtext",
    ];
    json!({
        "StartRequest": {
            "type": "object",
            "required": ["url"],
            "properties": {"url": {"type": "string", "maxLength": 2000, "description": "absolute http(s) application URL"}}
        },
        "SessionStatus": {
            "type": "string",
            "description": format!("open enum; known values: {}; the first three are active, the others terminal", status_values.join(", ")),
            "examples": status_values
        },
        "FieldType": {
            "type": "string",
            "description": format!("open enum; known values: {}", field_types.join(", ")),
            "examples": field_types
        },
        "ValidationError": {
            "type": "object",
            "required": ["field_id", "message"],
            "properties": {"field_id": nullable("string"), "message": {"type": "string"}}
        },
        "FieldOption": {
            "type": "object",
            "required": ["value", "text"],
            "properties": {"value": {"type": "string"}, "text": {"type": "string"}, "is_selected": {"type": "boolean"}}
        },
        "Constraints": {
            "type": "object",
            "properties": {
                "max_length": nullable("integer"),
                "accepted_file_types": {"type": "array", "items": {"type": "string"}},
                "max_file_size_bytes": nullable("integer")
            }
        },
        "Field": {
            "type": "object",
            "required": ["field_id", "type", "label", "is_required", "options"],
            "properties": {
                "field_id": {"type": "string"},
                "type": {"$ref": "#/components/schemas/FieldType"},
                "label": {"type": "string"},
                "is_required": {"type": "boolean"},
                "options": {"type": "array", "items": {"$ref": "#/components/schemas/FieldOption"}},
                "handler_type": nullable("string"),
                "current_value": nullable("string"),
                "name": nullable("string"),
                "placeholder": nullable("string"),
                "description": nullable("string"),
                "section": nullable("string"),
                "constraints": {"$ref": "#/components/schemas/Constraints"},
                "selector": nullable("string")
            }
        },
        "InlineFile": {
            "type": "object",
            "required": ["filename", "content_base64"],
            "properties": {
                "filename": {"type": "string", "description": "a plain file name, e.g. resume.pdf"},
                "content_base64": {"type": "string", "contentEncoding": "base64"}
            }
        },
        "Answer": {
            "type": "object",
            "required": ["field_id", "value"],
            "properties": {
                "field_id": {"type": "string"},
                "value": {
                    "description": "the answer text (numbers and booleans are taken as text), or an inline file; local paths only inside the server's upload directory",
                    "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"$ref": "#/components/schemas/InlineFile"}]
                },
                "type": {"$ref": "#/components/schemas/FieldType"},
                "typeahead_selection": nullable("string"),
                "handler_type": nullable("string"),
                "clear_first": {"type": "boolean", "default": false}
            }
        },
        "AnswersRequest": {
            "type": "object",
            "required": ["answers"],
            "properties": {
                "answers": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"}},
                "advance": {"type": "boolean", "default": true, "description": "click Next or Submit after filling; false only fills and verifies"}
            }
        },
        "SessionState": {
            "type": "object",
            "required": ["id", "provider_id", "provider_name", "status", "is_terminal", "error", "current_url", "validation_errors", "fields", "redirect_url", "redirect_provider_id"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "provider_id": nullable("string"),
                "provider_name": nullable("string"),
                "status": {"$ref": "#/components/schemas/SessionStatus"},
                "is_terminal": {"type": "boolean"},
                "error": nullable("string"),
                "current_url": nullable("string"),
                "validation_errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
                "fields": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}},
                "redirect_url": nullable("string"),
                "redirect_provider_id": nullable("string")
            }
        },
        "SessionInfo": {
            "type": "object",
            "required": ["id", "state", "mode", "job_url", "provider_id", "provider_name", "current_url", "started_at", "completed_at"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "state": {"type": "string", "description": "open enum; known values: pending, running, completed, failed, closed"},
                "mode": {"type": "string", "description": "open enum; known values: interactive, automated"},
                "job_url": {"type": "string"},
                "provider_id": nullable("string"),
                "provider_name": nullable("string"),
                "current_url": nullable("string"),
                "started_at": {"type": "string", "format": "date-time"},
                "completed_at": {"type": ["string", "null"], "format": "date-time"}
            }
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "stable code, e.g. invalid_url, session_not_found, session_ended, at_capacity"},
                    "message": {"type": "string", "description": "what went wrong and what to do"}
                }
            }}
        }
    })
}
