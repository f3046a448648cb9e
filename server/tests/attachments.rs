//! Uploading files to a case over HTTP (multipart): screenshots and logs kept, their type
//! read from the bytes, bombs and executables refused with the file named, other
//! organizations kept out, retries harmless.

mod common;

use common::{Api, TestServer, case_body};
use reqwest::StatusCode;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn server() -> TestServer {
    common::start_with(None, |config| config.mail.max_attachment_bytes = 64 * 1024).await
}

async fn open(api: &Api) -> i64 {
    api.new_case(&case_body("Upload")).await["number"].as_i64().unwrap()
}

#[tokio::test]
async fn a_customer_attaches_a_screenshot_and_a_log_and_downloads_them() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice).await;
    let files = [("screen.png", PNG.to_vec()), ("app.log", b"ERROR export failed\n".to_vec())];
    alice.upload(number, &files, None).await.expect(StatusCode::CREATED);
    let events = alice.attachments(number).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["change"]["content_type"], "text/plain");
    let id = events[1]["change"]["attachment_id"].as_i64().unwrap();
    let download = alice.download(number, id).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.text(), "ERROR export failed\n");
}

#[tokio::test]
async fn a_refused_file_refuses_the_upload_naming_it_and_keeps_nothing() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice).await;
    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    let refused = alice.upload(number, &[("screen.png", PNG.to_vec()), ("setup.exe", exe)], None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field(), "file setup.exe", "{}", refused.body);
    let refused = alice.upload(number, &[("big.log", vec![b'a'; 100 * 1024])], None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["reason"]["code"], "too_long", "{}", refused.body);
    // An archive bomb: 64 MiB of zeros in a small gzip.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &vec![0u8; 64 * 1024 * 1024]).unwrap();
    let refused = alice.upload(number, &[("logs.gz", gz.finish().unwrap())], None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body["message"].as_str().unwrap().contains("archive bomb"), "{}", refused.body);
    assert!(alice.attachments(number).await.is_empty());
}

#[tokio::test]
async fn another_organization_cannot_attach_or_download_and_a_retry_adds_nothing() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let number = open(&alice).await;
    assert_eq!(bruno.upload(number, &[("screen.png", PNG.to_vec())], None).await.status, StatusCode::NOT_FOUND);
    for _ in 0..2 {
        let upload = alice.upload(number, &[("screen.png", PNG.to_vec())], Some("upload-1")).await;
        assert_eq!(upload.status, StatusCode::CREATED);
    }
    let events = alice.attachments(number).await;
    assert_eq!(events.len(), 1, "the retry added nothing");
    let id = events[0]["change"]["attachment_id"].as_i64().unwrap();
    assert_eq!(bruno.download(number, id).await.status, StatusCode::NOT_FOUND);
    let empty = alice.upload(number, &[], None).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "a form without any part is malformed");
}

/// Issue #22, item 3: files uploaded for a reply go with it, in the reply's one write.
#[tokio::test]
async fn a_reply_carries_the_files_uploaded_for_it_and_a_refused_reply_keeps_nothing() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let number = open(&alice).await;
    let upload = |api: &Api, name: &'static str| {
        let api = api.clone();
        async move {
            let answer = api.upload_for_draft(&[(name, PNG.to_vec())]).await.expect(StatusCode::CREATED);
            answer[0]["id"].as_i64().unwrap()
        }
    };
    let screenshot = upload(&alice, "screen.png").await;
    alice
        .post(&format!("/api/v1/cases/{number}/replies"), &serde_json::json!({"body": "Logs attached", "attachments": [screenshot]}))
        .await
        .ok();
    let events = alice.events(number).await.ok();
    let kinds: Vec<&str> = events.as_array().unwrap().iter().filter_map(|e| e["change"]["type"].as_str()).collect();
    assert_eq!(kinds[kinds.len() - 2..], ["reply", "attached"], "{kinds:?}");
    assert_eq!(alice.attachments(number).await[0]["change"]["file_name"], "screen.png");

    // Refusals: someone else's upload, an upload used already, files on an internal note.
    let before = alice.events(number).await.ok();
    let bruno_file = upload(&bruno, "other.png").await;
    let note_file = upload(&sam, "note.png").await;
    for (who, body) in [
        (&alice, serde_json::json!({"body": "Not mine", "attachments": [bruno_file]})),
        (&alice, serde_json::json!({"body": "Again", "attachments": [screenshot]})),
        (&sam, serde_json::json!({"body": "Internal", "internal": true, "attachments": [note_file]})),
    ] {
        let answer = who.post(&format!("/api/v1/cases/{number}/replies"), &body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
        assert_eq!(answer.field(), "attachments");
    }
    assert_eq!(alice.events(number).await.ok(), before, "a refused reply writes nothing");
    // The refused uploads are still their owners', usable on a reply of their own.
    sam.post(&format!("/api/v1/cases/{number}/replies"), &serde_json::json!({"body": "Here", "attachments": [note_file]}))
        .await
        .ok();
    assert_eq!(alice.attachments(number).await.len(), 2);
}
