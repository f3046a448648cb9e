//! Uploading files to a case over HTTP (multipart): screenshots and logs kept, their type
//! read from the bytes, bombs and executables refused with the file named, other
//! organizations kept out, retries harmless.

mod common;

use common::{TestServer, case_body};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn server() -> TestServer {
    common::start_with(None, |config| config.mail.max_attachment_bytes = 64 * 1024).await
}

async fn open(s: &TestServer, token: &str) -> i64 {
    let response = s.open_case(token, case_body("Upload"), None).await;
    response.json::<Value>().await.unwrap()["number"].as_i64().unwrap()
}

async fn upload(s: &TestServer, token: &str, number: i64, files: &[(&str, Vec<u8>)], key: Option<&str>) -> (StatusCode, Value) {
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part("file", Part::bytes(bytes.clone()).file_name(name.to_string()));
    }
    let mut request =
        reqwest::Client::new().post(s.url(&format!("/api/v1/cases/{number}/attachments"))).bearer_auth(token).multipart(form);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn attached(s: &TestServer, token: &str, number: i64) -> Vec<Value> {
    let events: Vec<Value> = s.get(token, &format!("/api/v1/cases/{number}/events")).await.json().await.unwrap();
    events.into_iter().filter(|e| e["change"]["type"] == "attached").collect()
}

#[tokio::test]
async fn a_customer_attaches_a_screenshot_and_a_log_and_downloads_them() {
    let s = server().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice).await;
    let files = [("screen.png", PNG.to_vec()), ("app.log", b"ERROR export failed\n".to_vec())];
    let (status, body) = upload(&s, &alice, number, &files, None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let events = attached(&s, &alice, number).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["change"]["content_type"], "text/plain");
    let id = events[1]["change"]["attachment_id"].as_i64().unwrap();
    let download = s.get(&alice, &format!("/api/v1/cases/{number}/attachments/{id}")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.text().await.unwrap(), "ERROR export failed\n");
}

#[tokio::test]
async fn a_refused_file_refuses_the_upload_naming_it_and_keeps_nothing() {
    let s = server().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice).await;
    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    let (status, body) = upload(&s, &alice, number, &[("screen.png", PNG.to_vec()), ("setup.exe", exe)], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "file setup.exe", "{body}");
    let (status, body) = upload(&s, &alice, number, &[("big.log", vec![b'a'; 100 * 1024])], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["reason"]["code"], "too_long", "{body}");
    // An archive bomb: 64 MiB of zeros in a small gzip.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &vec![0u8; 64 * 1024 * 1024]).unwrap();
    let (status, body) = upload(&s, &alice, number, &[("logs.gz", gz.finish().unwrap())], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["message"].as_str().unwrap().contains("archive bomb"), "{body}");
    assert!(attached(&s, &alice, number).await.is_empty());
}

#[tokio::test]
async fn another_organization_cannot_attach_or_download_and_a_retry_adds_nothing() {
    let s = server().await;
    let alice = s.token("alice@acme.example").await;
    let bruno = s.token("bruno@globex.example").await;
    let number = open(&s, &alice).await;
    let (status, _) = upload(&s, &bruno, number, &[("screen.png", PNG.to_vec())], None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for _ in 0..2 {
        let (status, _) = upload(&s, &alice, number, &[("screen.png", PNG.to_vec())], Some("upload-1")).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let events = attached(&s, &alice, number).await;
    assert_eq!(events.len(), 1, "the retry added nothing");
    let id = events[0]["change"]["attachment_id"].as_i64().unwrap();
    assert_eq!(s.get(&bruno, &format!("/api/v1/cases/{number}/attachments/{id}")).await.status(), StatusCode::NOT_FOUND);
    let (status, _) = upload(&s, &alice, number, &[], None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a form without any part is malformed");
}
