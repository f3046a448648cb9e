//! The API contract as a third-party client meets it (issue #14, "The API contract"): a
//! value outside its field's domain is a refused field (422 naming it), not an unreadable
//! request; a version that never existed is the writer's mistake, not a conflict; unknown
//! fields are refused; an oversized body is a 413 in the error shape; and the OpenAPI
//! document says all this (security, every refusal, every response schema). schemathesis
//! checks the server against the document in `scripts/fuzz-api`; these tests pin the rules.

mod common;

use std::io::{Read, Write};

use common::{Answer, case_body, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A refused `severity`: 422, the field named, the reason said.
#[track_caller]
fn refused_severity(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    assert_eq!(answer.error(), "invalid");
    assert_eq!(answer.field(), "severity");
    assert_eq!(answer.body["reason"]["code"], "malformed");
    let detail = answer.body["reason"]["detail"].as_str().unwrap();
    assert!(detail.contains("1, 2, 3 or 4"), "{detail}");
}

#[tokio::test]
async fn a_severity_of_0_or_7_is_a_refused_field_wherever_a_severity_is_taken() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&case_body("Exports fail")).await;
    let number = case["number"].as_i64().unwrap();
    let cases_before = alice.case_count().await;
    let events_before = sam.events(number).await.list().len();

    for severity in [0, 7] {
        let mut draft = case_body("Never opened");
        draft["severity"] = json!(severity);
        refused_severity(&alice.open_case(&draft, None).await);
        refused_severity(&sam.change_severity(number, severity, 1).await);
        refused_severity(&alice.request_severity_raise(number, severity, "Production is down").await);
        refused_severity(&alice.get(&format!("/api/v1/sla/preview?severity={severity}")).await);
    }
    // Out of any integer type the field has: the same answer.
    let mut draft = case_body("Never opened");
    draft["severity"] = json!(-1);
    refused_severity(&alice.open_case(&draft, None).await);
    draft["severity"] = json!(300);
    refused_severity(&alice.open_case(&draft, None).await);
    // Not a number at all: the request cannot be read (400), as before.
    draft["severity"] = json!("high");
    assert_eq!(alice.open_case(&draft, None).await.status, StatusCode::BAD_REQUEST);

    assert_eq!(alice.case_count().await, cases_before);
    let now = sam.get_case(number).await.ok();
    assert_eq!((now["severity"].clone(), now["version"].clone()), (case["severity"].clone(), case["version"].clone()));
    assert_eq!(sam.events(number).await.list().len(), events_before);
}

#[tokio::test]
async fn an_unknown_name_is_a_refused_field_and_names_where_it_was() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let before = alice.case_count().await;
    let mut draft = case_body("Never opened");
    draft["kind"] = json!("outage");
    let answer = alice.open_case(&draft, None).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    assert_eq!(answer.field(), "kind");
    let mut draft = case_body("Never opened");
    draft["details"] = json!({"stakes": ["revenue", "pride"]});
    assert_eq!(alice.open_case(&draft, None).await.field(), "details.stakes[1]");
    assert_eq!(alice.case_count().await, before);
}

#[tokio::test]
async fn a_seen_version_that_never_existed_is_a_refused_field_naming_no_one() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = alice.new_case(&case_body("Exports fail")).await["number"].as_i64().unwrap();
    // Sam changes the case: a stale version would name him (409); these never existed.
    sam.reply(number, "Looking into it.", false).await.expect(StatusCode::CREATED);
    let case = alice.get_case(number).await.ok();
    let version = case["version"].as_i64().unwrap();
    let events_before = sam.events(number).await.list().len();

    for seen in [version + 1, version + 1000, 0, -3] {
        let answer = alice.reply_seen(number, "Any news?", seen).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "seen_version {seen}: {}", answer.text());
        assert_eq!(answer.field(), "seen_version");
        assert!(!answer.text().contains("Sam"), "{}", answer.text());
    }
    assert_eq!(sam.events(number).await.list().len(), events_before);
    assert_eq!(alice.get_case(number).await.ok()["version"], version);

    // A version that did exist, and was overtaken, is still a conflict; the current one is a reply.
    assert_eq!(alice.reply_seen(number, "Any news?", version - 1).await.status, StatusCode::CONFLICT);
    alice.reply_seen(number, "Any news?", version).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn an_unknown_field_is_refused_not_dropped() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let number = alice.new_case(&case_body("Exports fail")).await["number"].as_i64().unwrap();
    let events_before = sam.events(number).await.list().len();
    // A misspelt `internal`: dropped, this note would have gone to the customer.
    let answer = sam
        .post(&format!("/api/v1/cases/{number}/replies"), &json!({"body": "Customer is difficult", "internl": true}))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    assert_eq!(answer.error(), "malformed");
    assert!(answer.body["message"].as_str().unwrap().contains("internl"), "{}", answer.text());
    assert_eq!(sam.events(number).await.list().len(), events_before);
    let mut draft = case_body("Never opened");
    draft["severty"] = json!(1);
    assert_eq!(alice.open_case(&draft, None).await.status, StatusCode::BAD_REQUEST);
}

/// Sends `body` to `path` in HTTP/1.1 chunks (no Content-Length, so no limit can refuse it
/// before it is read) and returns the status line and the body of the answer.
fn post_chunked(base: &str, path: &str, token: &str, body: &[u8]) -> (String, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    for chunk in body.chunks(16 * 1024) {
        // The server may answer and close before the whole body is sent.
        if stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).is_err()
            || stream.write_all(chunk).is_err()
            || stream.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.lines().next().unwrap_or("").to_owned();
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn an_oversized_body_is_a_413_in_the_error_shape_and_changes_nothing() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let number = alice.new_case(&case_body("Exports fail")).await["number"].as_i64().unwrap();
    let events_before = alice.events(number).await.list().len();
    let big = serde_json::to_vec(&json!({"body": "x".repeat(server::rest::BODY_LIMIT + 1)})).unwrap();

    // With a Content-Length: refused before it is read.
    let request = alice
        .request(Method::POST, &format!("/api/v1/cases/{number}/replies"))
        .header("content-type", "application/json")
        .body(big.clone());
    let answer = alice.send(request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.headers["content-type"], "application/json");
    assert_eq!(answer.error(), "too_large");
    assert!(answer.body["message"].is_string());

    // In chunks: refused while it is read, the same way.
    let token = s.api().token("alice@acme.example", common::PASSWORD).await.body["token"].as_str().unwrap().to_owned();
    let base = s.base.clone();
    let path = format!("/api/v1/cases/{number}/replies");
    let (status, body) = tokio::task::spawn_blocking(move || post_chunked(&base, &path, &token, &big)).await.unwrap();
    assert!(status.contains(" 413 "), "{status}");
    let body: Value = serde_json::from_str(body.trim()).unwrap_or_else(|_| panic!("not JSON: {body}"));
    assert_eq!(body["error"], "too_large");

    assert_eq!(alice.events(number).await.list().len(), events_before);
}

/// `#/components/responses/Name` or `#/components/schemas/Name`, resolved in `doc`.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let path = reference.trim_start_matches("#/").split('/');
            path.fold(doc, |node, key| &node[key])
        }
        None => value,
    }
}

#[tokio::test]
async fn the_document_says_how_to_authenticate_every_refusal_and_every_answer() {
    let s = start().await;
    let doc = s.api().get("/api/v1/openapi.json").await.expect(StatusCode::OK);
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["type"], "http");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["type"], "apiKey");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "caseboard_session");
    assert_eq!(doc["security"], json!([{"bearer": []}, {"session": []}]));
    assert_eq!(doc["paths"]["/api/v1/auth/token"]["post"]["security"], json!([{}]));

    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let responses = operation["responses"].as_object().unwrap();
            let anonymous = operation["security"] == json!([{}]);
            if !anonymous {
                assert!(responses.contains_key("401"), "{method} {path}: no 401");
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413"] {
                    assert!(responses.contains_key(status), "{method} {path}: no {status}");
                }
            }
            if path.contains('{') {
                assert!(responses.contains_key("404"), "{method} {path}: no 404");
            }
            if method != "get" {
                assert!(responses.contains_key("403"), "{method} {path}: no 403 (cross-site cookie writes)");
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                if parameter["in"] == "path" {
                    assert!(path.contains(&format!("{{{name}}}")), "{method} {path}: {name} is not in the path");
                }
            }
            for (status, response) in responses {
                if !status.starts_with('4') {
                    continue;
                }
                let response = resolve(&doc, response);
                assert!(!response["description"].as_str().unwrap_or("").is_empty(), "{method} {path} {status}");
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/AppError",
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(operations >= 36, "{operations} operations");
    let rate_limited = resolve(&doc, &doc["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]);
    assert!(rate_limited["headers"]["Retry-After"].is_object());

    // Answers that had no schema.
    let schema_of = |path: &str, method: &str, status: &str| {
        let response = resolve(&doc, &doc["paths"][path][method]["responses"][status]);
        response["content"]["application/json"]["schema"].clone()
    };
    let list_of = |name: &str| json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}});
    assert_eq!(schema_of("/api/v1/cases/{number}/events", "get", "200"), list_of("CaseEvent"));
    assert_eq!(schema_of("/api/v1/cases/{number}/sla", "get", "200"), list_of("SlaClock"));
    assert_eq!(schema_of("/api/v1/plans", "get", "200"), list_of("SupportPlan"));
    assert_eq!(schema_of("/api/v1/plans/{id}", "put", "200")["$ref"], "#/components/schemas/SupportPlan");
    assert_eq!(
        doc["paths"]["/api/v1/plans/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/SupportPlan"
    );
    assert_eq!(
        schema_of("/api/v1/organizations/{slug}/contract", "put", "200")["$ref"],
        "#/components/schemas/ContractTerms"
    );

    // As strict as the server.
    let schemas = &doc["components"]["schemas"];
    assert_eq!((schemas["Severity"]["minimum"].clone(), schemas["Severity"]["maximum"].clone()), (json!(1), json!(4)));
    for request in ["SeverityChange", "SeverityRaiseRequest"] {
        assert_eq!(schemas[request]["properties"]["severity"]["$ref"], "#/components/schemas/Severity", "{request}");
    }
    for parameter in doc["paths"]["/api/v1/sla/preview"]["get"]["parameters"].as_array().unwrap() {
        assert_eq!(parameter["in"], "query", "{parameter}");
    }
    assert_eq!(schemas["CaseDraft"]["properties"]["summary"]["maxLength"], 200);
    assert_eq!(schemas["CaseDraft"]["properties"]["summary"]["minLength"], 1);
    assert_eq!(schemas["SeverityRaiseRequest"]["properties"]["reason"]["maxLength"], 2000);
    assert_eq!(
        schemas["ContractRequest"]["properties"]["working_days"]["items"]["$ref"],
        "#/components/schemas/DayOfWeek"
    );
    assert_eq!(schemas["DeflectionRequest"]["properties"]["kind"]["$ref"], "#/components/schemas/Suggestion");
    for request in ["CaseDraft", "ReplyRequest", "StatusChange", "ContractRequest", "TokenRequest"] {
        assert_eq!(schemas[request]["additionalProperties"], false, "{request}");
    }
    // Every error carries its message.
    for variant in schemas["AppError"]["oneOf"].as_array().unwrap() {
        assert!(variant["required"].as_array().unwrap().contains(&json!("message")), "{variant}");
    }
}
