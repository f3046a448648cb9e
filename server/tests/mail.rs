//! Email against a real SMTP server on loopback (aiosmtpd, from PyPI, writing a maildir):
//! who gets what, localized templates, no internal note ever; the outbox while the mail
//! server is down; inbound replies from real `.eml` fixtures (Gmail, Outlook, Apple Mail
//! quoting, French and Chinese subjects, attachments), duplicates, spoofing and bad input.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::domain::CaseNumber;
use common::{TestServer, case_body, post_json};
use mail_parser::MessageParser;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// aiosmtpd on a loopback port, delivering into a maildir; stopped when dropped.
struct SmtpSink {
    port: u16,
    maildir: PathBuf,
    child: Child,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl SmtpSink {
    fn start_on(port: u16) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/setup test installs it)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start on port {port} (is it installed? scripts/setup test)");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpSink { port, maildir, child, _dir: dir }
    }

    fn start() -> SmtpSink {
        Self::start_on(free_port())
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message delivered so far, raw.
    fn raw_messages(&self) -> Vec<Vec<u8>> {
        let mut all = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for entry in entries.flatten() {
                    all.push(std::fs::read(entry.path()).unwrap());
                }
            }
        }
        all
    }

    fn messages(&self) -> Vec<Mail> {
        self.raw_messages().iter().map(|raw| Mail::parse(raw)).collect()
    }

    /// Waits until `done` holds for the delivered messages.
    async fn wait_for(&self, what: &str, done: impl Fn(&[Mail]) -> bool) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let messages = self.messages();
            if done(&messages) {
                return messages;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; got {:#?}", summaries(&messages));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A delivered message, as the tests look at it.
#[derive(Clone, Debug)]
struct Mail {
    to: String,
    subject: String,
    text: String,
    html: String,
    message_id: String,
    reply_to: String,
    raw: String,
}

impl Mail {
    fn parse(raw: &[u8]) -> Mail {
        let message = MessageParser::default().parse(raw).expect("a parseable message");
        let first = |a: Option<&mail_parser::Address<'_>>| {
            a.and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or("").to_lowercase()
        };
        Mail {
            to: first(message.to()),
            subject: message.subject().unwrap_or("").to_owned(),
            text: message.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            html: message.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
            message_id: message.message_id().unwrap_or("").to_owned(),
            reply_to: first(message.reply_to()),
            raw: String::from_utf8_lossy(raw).into_owned(),
        }
    }
}

fn summaries(messages: &[Mail]) -> Vec<String> {
    messages.iter().map(|m| format!("{} | {}", m.to, m.subject)).collect()
}

async fn server_with_smtp(url: &str) -> TestServer {
    let url = url.to_owned();
    common::start_with(None, move |config| {
        config.mail.transport = app::backend::mail::MailTransport::Smtp(url);
        config.mail.retry_max = Duration::from_secs(1);
        config.mail.mailgate_token = Some("gate-secret".into());
    })
    .await
}

async fn open(s: &TestServer, token: &str, summary: &str) -> i64 {
    let response = s.open_case(token, case_body(summary), None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["number"].as_i64().unwrap()
}

async fn case_json(s: &TestServer, token: &str, number: i64) -> Value {
    s.get(token, &format!("/api/v1/cases/{number}")).await.json().await.unwrap()
}

async fn move_to(s: &TestServer, token: &str, number: i64, status: &str, resolution: Option<&str>) {
    let version = case_json(s, token, number).await["version"].as_i64().unwrap();
    let response = post_json(
        s,
        token,
        &format!("/api/v1/cases/{number}/status"),
        json!({"status": status, "resolution": resolution, "expected_version": version}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn notifications_reach_reporter_and_watchers_with_the_case_number_and_never_an_internal_note() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.token("alice@acme.example").await;
    let olga = s.token("olga@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    // Olga (Acme's admin) watches her organization's cases.
    let response = reqwest::Client::new()
        .put(s.url("/api/v1/me/notifications"))
        .bearer_auth(&olga)
        .json(&json!({"watch_organization": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let number = open(&s, &alice, "Exports fail").await;
    let tag = format!("[Case #{number}]");
    let opened = sink
        .wait_for("the case-opened mails", |m| {
            m.iter().filter(|m| m.subject.contains(&tag) && m.subject.contains("Opened")).count() == 2
        })
        .await;
    let to_alice = opened.iter().find(|m| m.to == "alice@acme.example" && m.subject.contains(&tag)).unwrap();
    assert!(to_alice.text.contains("First response by"), "the SLA promise: {}", to_alice.text);
    assert!(to_alice.text.contains("Elastic cloud Premium"), "{}", to_alice.text);
    assert!(to_alice.reply_to.starts_with(&format!("support+c{number}-")), "signed reply address: {}", to_alice.reply_to);
    assert!(to_alice.raw.contains("Auto-Submitted: auto-generated"));
    assert!(opened.iter().any(|m| m.to == "olga@acme.example" && m.subject.contains(&tag)));

    // An internal note and a public reply, then Feedback.
    let note = post_json(&s, &sam, &format!("/api/v1/cases/{number}/replies"),
        json!({"body": "SECRET-NOTE: customer is on the watch list", "internal": true})).await;
    assert_eq!(note.status(), StatusCode::CREATED);
    let reply = post_json(&s, &sam, &format!("/api/v1/cases/{number}/replies"),
        json!({"body": "Please send the export service log <b>now</b>.", "internal": false})).await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    move_to(&s, &sam, number, "feedback", None).await;

    let all = sink
        .wait_for("support's reply and the feedback mail to Alice", |m| {
            m.iter().any(|m| m.to == "alice@acme.example" && m.subject.contains("Support replied"))
                && m.iter().any(|m| m.to == "alice@acme.example" && m.subject.contains("We need your input"))
        })
        .await;
    let replied = all.iter().find(|m| m.to == "alice@acme.example" && m.subject.contains("Support replied")).unwrap();
    assert!(replied.text.contains("Please send the export service log <b>now</b>."), "{}", replied.text);
    assert!(replied.html.contains("&lt;b&gt;now&lt;/b&gt;"), "markup in a reply is text in HTML mail: {}", replied.html);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = sink.messages();
    assert!(all.iter().all(|m| !m.raw.contains("SECRET-NOTE")), "an internal note reached an email");
    let about_case: Vec<_> = all.iter().filter(|m| m.subject.contains(&tag)).collect();
    assert!(about_case.iter().all(|m| m.to != "bruno@globex.example"), "another organization was emailed");
    assert!(about_case.iter().all(|m| !(m.to == "sam@caseboard.example" && m.subject.contains("Support replied"))), "the actor is not told of their own reply");

    // Alice turns support replies off: the next one is not mailed to her (Olga still gets it).
    let response = reqwest::Client::new()
        .put(s.url("/api/v1/me/notifications"))
        .bearer_auth(&alice)
        .json(&json!({"support_replied": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let before = sink.messages().iter().filter(|m| m.to == "alice@acme.example").count();
    post_json(&s, &sam, &format!("/api/v1/cases/{number}/replies"), json!({"body": "Second answer."})).await;
    sink.wait_for("the second reply to Olga", |m| m.iter().any(|m| m.to == "olga@acme.example" && m.text.contains("Second answer."))).await;
    assert_eq!(sink.messages().iter().filter(|m| m.to == "alice@acme.example").count(), before);
}

#[tokio::test]
async fn engineers_hear_of_assignments_customer_replies_and_sla_breaches() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice, "Cluster down").await;
    let tag = format!("[Case #{number}]");
    // The automatic rule gave the case to Sam or Mei (whoever is on shift now).
    let assignee = match case_json(&s, &alice, number).await["assignee"].as_str() {
        Some("Sam Okafor") => "sam@caseboard.example",
        Some("Mei Lin") => "mei@caseboard.example",
        other => panic!("unexpected assignee {other:?}"),
    };
    sink.wait_for("the assignment mail", |m| {
        m.iter().any(|m| m.to == assignee && m.subject == format!("{tag} Assigned to you: Cluster down"))
    })
    .await;
    let reply = post_json(&s, &alice, &format!("/api/v1/cases/{number}/replies"), json!({"body": "Any news?"})).await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    sink.wait_for("the customer-replied mail", |m| {
        m.iter().any(|m| m.to == assignee && m.subject.contains("Customer replied") && m.text.contains("Any news?"))
    })
    .await;
    // A day later the 4-hour response is breached: the engineer and the lead on duty hear of it.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    let report = app::backend::sweeper::sweep(&s.store, later).await.unwrap();
    assert!(report.breaches >= 1);
    let mails = sink
        .wait_for("the breach mail", |m| m.iter().any(|m| m.to == assignee && m.subject.contains(&tag) && m.subject.contains("SLA breached")))
        .await;
    assert!(mails.iter().any(|m| m.to == assignee && m.subject.contains("SLA warning")));
    let breach_recipients: Vec<_> =
        mails.iter().filter(|m| m.subject.contains(&tag) && m.subject.contains("SLA breached")).map(|m| m.to.clone()).collect();
    assert!(breach_recipients.iter().all(|to| to.ends_with("@caseboard.example")), "support only: {breach_recipients:?}");
    assert!(mails.iter().filter(|m| m.subject.contains(&tag)).all(|m| m.to != "alice@acme.example" || !m.subject.contains("SLA")));
}

#[tokio::test]
async fn templates_follow_the_recipients_language() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let chloe = s.token("chloe@initech.example").await;
    let number = open(&s, &chloe, "Factures en erreur").await;
    let mails = sink.wait_for("Chloé's mail", |m| m.iter().any(|m| m.to == "chloe@initech.example")).await;
    let french = mails.iter().find(|m| m.to == "chloe@initech.example").unwrap();
    assert_eq!(french.subject, format!("[Cas n° {number}] Ouvert : Factures en erreur"));
    assert!(french.text.contains("Bonjour Chloé Durand"), "{}", french.text);
    // Cloud Avenue Gold promises a restore time (P1) but no initial response: the mail says so.
    assert!(french.text.contains("pas d’engagement de temps de réponse"), "{}", french.text);

    // A Chinese-speaking contact at Acme.
    let hash = app::backend::accounts::hash_password(common::PASSWORD).await.unwrap();
    let acme = s.store.organization_by_slug("acme").await.unwrap().unwrap();
    s.store
        .create_user(app::backend::store::NewUser {
            email: "li@acme.example",
            name: "Li Wei",
            role: app::domain::Role::Customer,
            organization_id: Some(acme.id),
            org_admin: false,
            password_hash: &hash,
            time_zone: None,
            language: Some("zh"),
        })
        .await
        .unwrap();
    let li = s.token("li@acme.example").await;
    let number = open(&s, &li, "导出失败").await;
    let mails = sink.wait_for("Li's mail", |m| m.iter().any(|m| m.to == "li@acme.example")).await;
    let chinese = mails.iter().find(|m| m.to == "li@acme.example").unwrap();
    assert_eq!(chinese.subject, format!("[案件 #{number}] 已创建：导出失败"));
    assert!(chinese.text.contains("初始响应截止"), "{}", chinese.text);
}

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down_and_arrives_once_each_when_it_is_back() {
    let port = free_port();
    let s = server_with_smtp(&format!("smtp://127.0.0.1:{port}")).await;
    let alice = s.token("alice@acme.example").await;
    for i in 0..5 {
        // Cases keep being created while mail cannot go out.
        open(&s, &alice, &format!("Down case {i}")).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (sent, waiting) = s.store.mail_counts().await.unwrap();
    assert_eq!(sent, 0);
    assert!(waiting >= 5, "the outbox keeps the mail: {waiting}");

    let sink = SmtpSink::start_on(port);
    let total = waiting;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (sent, _) = s.store.mail_counts().await.unwrap();
        if sent == total {
            break;
        }
        assert!(Instant::now() < deadline, "only {sent} of {total} sent after the server came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let messages = sink.messages();
    assert_eq!(messages.len() as i64, total, "each message exactly once: {:#?}", summaries(&messages));
    let mut ids: Vec<_> = messages.iter().map(|m| m.message_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len() as i64, total);
    for i in 0..5 {
        assert!(messages.iter().any(|m| m.subject.contains(&format!("Down case {i}"))));
    }
}

#[tokio::test]
async fn without_an_smtp_server_mail_goes_to_the_file_outbox() {
    let s = common::start().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice, "File outbox").await;
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = std::fs::read_dir(&outbox).into_iter().flatten().flatten().any(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(&format!("Case #{number}]")))
        });
        if found {
            break;
        }
        assert!(Instant::now() < deadline, "no .eml in {}", outbox.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---- inbound ----

/// A fixture with its placeholders filled in.
fn fixture(name: &str, fill: &[(&str, String)]) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail").join(name);
    let mut text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap_or_else(|e| {
        String::from_utf8_lossy(e.as_bytes()).into_owned()
    });
    let nonce = format!("{:x}", rand_nonce());
    text = text.replace("{{NONCE}}", &nonce);
    for (key, value) in fill {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    text.into_bytes()
}

fn rand_nonce() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let time = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    time ^ u128::from(NEXT.fetch_add(1, Ordering::Relaxed))
}

async fn post_mail(s: &TestServer, raw: Vec<u8>) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(s.url("/api/v1/mail/inbound"))
        .bearer_auth("gate-secret")
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn timeline(s: &TestServer, token: &str, number: i64) -> Vec<Value> {
    s.get(token, &format!("/api/v1/cases/{number}/events")).await.json().await.unwrap()
}

fn replies(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["change"]["type"] == "reply")
        .map(|e| e["change"]["body"].as_str().unwrap().to_owned())
        .collect()
}

async fn inbound_server() -> TestServer {
    common::start_with(None, |config| {
        config.mail.mailgate_token = Some("gate-secret".into());
        config.mail.max_message_bytes = 256 * 1024;
    })
    .await
}

fn reply_to(s: &TestServer, number: i64) -> String {
    format!("support+{}@caseboard.example", app::backend::mail::reply_key(&s.store).tag(CaseNumber(number)))
}

#[tokio::test]
async fn replies_by_email_are_threaded_by_the_signed_address_trimmed_and_kept_once() {
    let s = inbound_server().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice, "Exports fail").await;
    let fill = [("TO", reply_to(&s, number)), ("CASE", number.to_string())];

    // Gmail: attribution over two lines and a quote, HTML alternative.
    let gmail = fixture("gmail-reply.eml", &fill);
    let (status, report) = post_mail(&s, gmail.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    assert_eq!(report["outcome"], "reply_added");
    assert_eq!(report["case"], number);
    // The same message delivered again changes nothing.
    let (status, report) = post_mail(&s, gmail).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["outcome"], "duplicate");

    // Outlook: quoted-printable Latin-1, the "From: / Sent:" block under a rule.
    let (status, _) = post_mail(&s, fixture("outlook-reply.eml", &fill)).await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let events = timeline(&s, &alice, number).await;
    assert_eq!(
        replies(&events),
        vec![
            "Thanks, the export works again after the restart.".to_owned(),
            "The cluster runs version 8.11.3 on 64-bit Linux. Café team is affected.\n\nOlga".to_owned(),
        ]
    );
    let olga_reply = events.iter().find(|e| e["change"]["type"] == "reply" && e["actor"] == "Olga Petrova");
    assert!(olga_reply.is_some(), "the reply is the sender's: {events:#?}");
}

#[tokio::test]
async fn attachments_by_email_are_kept_when_their_bytes_are_allowed_and_scoped_to_the_case() {
    let s = inbound_server().await;
    let alice = s.token("alice@acme.example").await;
    let bruno = s.token("bruno@globex.example").await;
    let number = open(&s, &alice, "Screenshot").await;
    let fill = [("TO", reply_to(&s, number)), ("CASE", number.to_string())];
    let (status, report) = post_mail(&s, fixture("apple-reply-attachment.eml", &fill)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    let refused = report["refused_attachments"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "the .exe is refused: {report}");
    assert!(refused[0].as_str().unwrap().starts_with("setup.exe"));

    let events = timeline(&s, &alice, number).await;
    assert_eq!(replies(&events), vec!["Here is the screenshot of the error.".to_owned()]);
    let attached: Vec<_> = events.iter().filter(|e| e["change"]["type"] == "attached").collect();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0]["change"]["file_name"], "error.png");
    assert_eq!(attached[0]["change"]["content_type"], "image/png");
    let id = attached[0]["change"]["attachment_id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{number}/attachments/{id}");
    let download = s.get(&alice, &path).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "image/png");
    assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert!(download.bytes().await.unwrap().starts_with(b"\x89PNG"));
    // Another organization's attachment is not found, exactly like a missing one.
    assert_eq!(s.get(&bruno, &path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(s.get(&alice, &format!("/api/v1/cases/{number}/attachments/999999")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reply_by_email_resumes_a_paused_clock() {
    let s = inbound_server().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let number = open(&s, &alice, "Slow dashboard").await;
    move_to(&s, &sam, number, "feedback", None).await;
    let clocks: Vec<Value> = s.get(&alice, &format!("/api/v1/cases/{number}/sla")).await.json().await.unwrap();
    assert_eq!(clocks[0]["state"]["state"], "paused", "{clocks:#?}");
    let fill = [("TO", reply_to(&s, number)), ("CASE", number.to_string())];
    let (status, _) = post_mail(&s, fixture("gmail-reply.eml", &fill)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let clocks: Vec<Value> = s.get(&alice, &format!("/api/v1/cases/{number}/sla")).await.json().await.unwrap();
    assert_eq!(clocks[0]["state"]["state"], "running", "{clocks:#?}");
}

#[tokio::test]
async fn known_contacts_open_cases_by_writing_to_the_support_address_in_any_script() {
    let s = inbound_server().await;
    let (status, report) = post_mail(&s, fixture("french-new-case.eml", &[])).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    assert_eq!(report["outcome"], "case_opened");
    let chloe = s.token("chloe@initech.example").await;
    let case = case_json(&s, &chloe, report["case"].as_i64().unwrap()).await;
    assert_eq!(case["summary"], "Impossible d’exporter les factures — erreur 500");
    assert!(case["description"].as_str().unwrap().starts_with("Depuis ce matin"));

    let chinese = fixture("chinese-new-case.eml", &[]);
    let (status, report) = post_mail(&s, chinese.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    let bruno = s.token("bruno@globex.example").await;
    let number = report["case"].as_i64().unwrap();
    let case = case_json(&s, &bruno, number).await;
    assert_eq!(case["summary"], "导出失败：错误 500");
    // Delivered twice: still one case.
    let (_, again) = post_mail(&s, chinese).await;
    assert_eq!(again["outcome"], "duplicate");
    let cases: Vec<Value> = s.get(&bruno, "/api/v1/cases").await.json().await.unwrap();
    assert_eq!(cases.iter().filter(|c| c["summary"] == "导出失败：错误 500").count(), 1);

    // An organization that does not take cases by email (an admin says so): refused, and the contact is told.
    let admin = s.token("admin@caseboard.example").await;
    let intake = |token: String| {
        let url = s.url("/api/v1/organizations/initech/email-intake");
        async move { reqwest::Client::new().put(url).bearer_auth(token).json(&json!({"allowed": false})).send().await.unwrap() }
    };
    assert_eq!(intake(chloe.clone()).await.status(), StatusCode::FORBIDDEN, "a customer cannot");
    assert_eq!(intake(admin).await.status(), StatusCode::OK);
    let (status, report) = post_mail(&s, fixture("french-new-case.eml", &[])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["outcome"], "refused");
    assert_eq!(report["reason"], "intake_off");
    assert_eq!(report["bounced"], true);
}

#[tokio::test]
async fn spoofed_replies_change_nothing() {
    let s = inbound_server().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice, "Target case").await;
    let before = timeline(&s, &alice, number).await.len();
    let cases_before: Vec<Value> = s.get(&s.token("sam@caseboard.example").await, "/api/v1/cases").await.json().await.unwrap();

    // FreeScout CVE-2026-47123: a forged In-Reply-To, claiming to be an agent, without a token.
    let (status, report) = post_mail(&s, fixture("forged-in-reply-to.eml", &[("CASE", number.to_string())])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(report["reason"], "no_thread");

    // A valid reply address, from someone who is not on the case (another organization).
    let fill = [("TO", reply_to(&s, number)), ("CASE", number.to_string())];
    let (_, report) = post_mail(&s, fixture("valid-token-non-participant.eml", &fill)).await;
    assert_eq!(report["outcome"], "refused");
    assert_eq!(report["reason"], "not_participant");
    assert_eq!(report["bounced"], true, "a known sender is told");

    // A tag for this case that this installation did not sign.
    let forged = [("TO", format!("support+c{number}-00112233445566778899@caseboard.example")), ("CASE", number.to_string())];
    let (_, report) = post_mail(&s, fixture("gmail-reply.eml", &forged)).await;
    assert_eq!(report["outcome"], "refused");

    // An out-of-office answer is ignored, never answered.
    let (_, report) = post_mail(&s, fixture("out-of-office.eml", &fill)).await;
    assert_eq!(report["outcome"], "ignored");
    assert_eq!(report["bounced"], false);

    assert_eq!(timeline(&s, &alice, number).await.len(), before, "the case did not change");
    let cases_after: Vec<Value> = s.get(&s.token("sam@caseboard.example").await, "/api/v1/cases").await.json().await.unwrap();
    assert_eq!(cases_after.len(), cases_before.len(), "no case was opened");
}

#[tokio::test]
async fn in_reply_to_threads_only_a_message_we_sent_to_that_very_sender() {
    let s = inbound_server().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice, "Threaded by headers").await;
    // The Message-ID of the case-opened mail Alice got (the file outbox holds it).
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    let message_id = loop {
        let found = std::fs::read_dir(&outbox).into_iter().flatten().flatten().find_map(|e| {
            let raw = std::fs::read(e.path()).ok()?;
            let mail = Mail::parse(&raw);
            (mail.to == "alice@acme.example" && mail.subject.contains(&format!("#{number}]"))).then_some(mail.message_id)
        });
        if let Some(id) = found {
            break id;
        }
        assert!(Instant::now() < deadline, "no mail to Alice in the outbox");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let fill = [("IN_REPLY_TO", format!("<{message_id}>")), ("CASE", number.to_string())];
    let raw = fixture("in-reply-to-only.eml", &fill);
    let (status, report) = post_mail(&s, raw.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    assert_eq!(
        replies(&timeline(&s, &alice, number).await),
        vec!["Answering through my mail program, which dropped the reply address.".to_owned()],
        "threaded, signature removed"
    );
    // The same In-Reply-To from Olga (the message was Alice's): refused.
    let from_olga = String::from_utf8(fixture("in-reply-to-only.eml", &fill))
        .unwrap()
        .replace("Alice Martin <alice@acme.example>", "Olga Petrova <olga@acme.example>");
    let (_, report) = post_mail(&s, from_olga.into_bytes()).await;
    assert_eq!(report["outcome"], "refused");
}

#[tokio::test]
async fn bad_messages_are_refused_cleanly() {
    let s = inbound_server().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice, "Bad input").await;
    let before = timeline(&s, &alice, number).await.len();
    let fill = [("TO", reply_to(&s, number)), ("CASE", number.to_string())];

    let (status, report) = post_mail(&s, fixture("malformed.eml", &[])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{report}");
    let (status, report) = post_mail(&s, fixture("crlf-subject.eml", &fill)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "CR/LF in the subject: {report}");
    let two_senders = String::from_utf8(fixture("gmail-reply.eml", &fill))
        .unwrap()
        .replace("From: Alice Martin <alice@acme.example>", "From: alice@acme.example, evil@attacker.example");
    let (status, _) = post_mail(&s, two_senders.into_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let bad_address = String::from_utf8(fixture("gmail-reply.eml", &fill))
        .unwrap()
        .replace("From: Alice Martin <alice@acme.example>", "From: Alice <alice@acme.example\\r\\nBcc: x@y>");
    let (status, _) = post_mail(&s, bad_address.into_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut huge = fixture("gmail-reply.eml", &fill);
    huge.extend(std::iter::repeat_n(b'a', 300 * 1024));
    let (status, _) = post_mail(&s, huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // Without the gateway token: 401.
    let response = reqwest::Client::new()
        .post(s.url("/api/v1/mail/inbound"))
        .bearer_auth("wrong")
        .body(fixture("gmail-reply.eml", &fill))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(timeline(&s, &alice, number).await.len(), before, "nothing changed");
}

#[tokio::test]
async fn mailgate_tells_the_mta_to_deliver_bounce_or_retry() {
    let s = inbound_server().await;
    let alice = s.token("alice@acme.example").await;
    let number = open(&s, &alice, "Mailgate").await;
    let fill = [("TO", reply_to(&s, number)), ("CASE", number.to_string())];
    let run = |url: String, message: Vec<u8>, token: &'static str| async move {
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let mut child = Command::new(env!("CARGO_BIN_EXE_caseboard"))
                .args(["mailgate", "--url", &url])
                .env("CASEBOARD_MAILGATE_TOKEN", token)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(&message).unwrap();
            child.wait().unwrap().code()
        })
        .await
        .unwrap()
    };
    assert_eq!(run(s.base.clone(), fixture("gmail-reply.eml", &fill), "gate-secret").await, Some(0));
    assert_eq!(replies(&timeline(&s, &alice, number).await).len(), 1);
    assert_eq!(run(s.base.clone(), fixture("malformed.eml", &[]), "gate-secret").await, Some(65));
    assert_eq!(run(s.base.clone(), fixture("gmail-reply.eml", &fill), "wrong").await, Some(75));
    let nobody = format!("http://127.0.0.1:{}", free_port());
    assert_eq!(run(nobody, fixture("gmail-reply.eml", &fill), "gate-secret").await, Some(75));
}

#[tokio::test]
async fn preferences_refuse_kinds_of_another_role() {
    let s = common::start().await;
    let alice = s.token("alice@acme.example").await;
    let response = reqwest::Client::new()
        .put(s.url("/api/v1/me/notifications"))
        .bearer_auth(&alice)
        .json(&json!({"sla_breached": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let list: Vec<Value> = s.get(&alice, "/api/v1/me/notifications").await.json().await.unwrap();
    assert!(list.iter().any(|p| p["kind"] == "watch_organization" && p["enabled"] == false));
    assert!(list.iter().all(|p| p["kind"] != "sla_breached"));
}
