//! Email against a real SMTP server on loopback (aiosmtpd, from PyPI, writing a maildir):
//! who gets what, localized templates, no internal note ever; the outbox while the mail
//! server is down; inbound replies from real `.eml` fixtures (Gmail, Outlook, Apple Mail
//! quoting, French and Chinese subjects, attachments), duplicates, spoofing and bad input.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use app::domain::CaseNumber;
use common::smtp::{SmtpSink, free_port};
use common::{Api, TestServer, case_body};
use mail_parser::MessageParser;
use reqwest::StatusCode;
use serde_json::{Value, json};

impl SmtpSink {
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

/// A delivered message, as the tests look at it.
#[derive(Clone, Debug)]
struct Mail {
    to: String,
    /// The From header's display name (decoded) and address.
    from_name: String,
    from: String,
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
        let from = message.from().and_then(|a| a.first());
        Mail {
            to: first(message.to()),
            from_name: from.and_then(|a| a.name()).unwrap_or("").to_owned(),
            from: first(message.from()),
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

async fn open(api: &Api, summary: &str) -> i64 {
    api.new_case(&case_body(summary)).await["number"].as_i64().unwrap()
}

/// Sets the caller's notification preferences (asserted: 200).
async fn notify(api: &Api, preferences: Value) {
    assert_eq!(api.put("/api/v1/me/notifications", &preferences).await.status, StatusCode::OK);
}

#[tokio::test]
async fn notifications_reach_reporter_and_watchers_with_the_case_number_and_never_an_internal_note() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.demo("alice@acme.example").await;
    let olga = s.demo("olga@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    // Olga (Acme's admin) watches her organization's cases.
    notify(&olga, json!({"watch_organization": true})).await;

    let number = open(&alice, "Exports fail").await;
    let tag = format!("[#{number}]");
    let opened = sink
        .wait_for("the case-opened mails", |m| {
            m.iter().filter(|m| m.subject.contains(&tag) && m.subject.contains("Opened")).count() == 2
        })
        .await;
    let to_alice = opened.iter().find(|m| m.to == "alice@acme.example" && m.subject.contains(&tag)).unwrap();
    assert!(to_alice.text.contains("First response by"), "the SLA promise: {}", to_alice.text);
    assert!(to_alice.text.contains("Elastic cloud Premium"), "{}", to_alice.text);
    assert!(
        to_alice.reply_to.starts_with(&format!("support+c{number}-")),
        "signed reply address: {}",
        to_alice.reply_to
    );
    assert!(to_alice.raw.contains("Auto-Submitted: auto-generated"));
    assert!(opened.iter().any(|m| m.to == "olga@acme.example" && m.subject.contains(&tag)));

    // An internal note and a public reply, then Feedback.
    let note = sam.reply(number, "SECRET-NOTE: customer is on the watch list", true).await;
    assert_eq!(note.status, StatusCode::CREATED);
    let reply = sam.reply(number, "Please send the export service log <b>now</b>.", false).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    sam.move_now(number, "feedback", None).await;

    let all = sink
        .wait_for("support's reply and the feedback mail to Alice", |m| {
            m.iter().any(|m| m.to == "alice@acme.example" && m.subject.contains("Support replied"))
                && m.iter().any(|m| m.to == "alice@acme.example" && m.subject.contains("We need your input"))
        })
        .await;
    let replied = all.iter().find(|m| m.to == "alice@acme.example" && m.subject.contains("Support replied")).unwrap();
    assert!(replied.text.contains("Please send the export service log <b>now</b>."), "{}", replied.text);
    assert!(
        replied.html.contains("&lt;b&gt;now&lt;/b&gt;"),
        "markup in a reply is text in HTML mail: {}",
        replied.html
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = sink.messages();
    assert!(all.iter().all(|m| !m.raw.contains("SECRET-NOTE")), "an internal note reached an email");
    let about_case: Vec<_> = all.iter().filter(|m| m.subject.contains(&tag)).collect();
    assert!(about_case.iter().all(|m| m.to != "bruno@globex.example"), "another organization was emailed");
    assert!(
        about_case.iter().all(|m| !(m.to == "sam@caseboard.example" && m.subject.contains("Support replied"))),
        "the actor is not told of their own reply"
    );

    // Alice turns support replies off: the next one is not mailed to her (Olga still gets it).
    notify(&alice, json!({"support_replied": false})).await;
    let before = sink.messages().iter().filter(|m| m.to == "alice@acme.example").count();
    sam.reply(number, "Second answer.", false).await;
    sink.wait_for("the second reply to Olga", |m| {
        m.iter().any(|m| m.to == "olga@acme.example" && m.text.contains("Second answer."))
    })
    .await;
    assert_eq!(sink.messages().iter().filter(|m| m.to == "alice@acme.example").count(), before);
}

#[tokio::test]
async fn engineers_hear_of_assignments_customer_replies_and_sla_breaches() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Cluster down").await;
    let tag = format!("[#{number}]");
    // The automatic rule gave the case to Sam or Mei (whoever is on shift now).
    let assignee = match alice.get_case(number).await.body["assignee"].as_str() {
        Some("Sam Okafor") => "sam@caseboard.example",
        Some("Mei Lin") => "mei@caseboard.example",
        other => panic!("unexpected assignee {other:?}"),
    };
    sink.wait_for("the assignment mail", |m| {
        m.iter().any(|m| m.to == assignee && m.subject == format!("{tag} Assigned to you: Cluster down"))
    })
    .await;
    assert_eq!(alice.reply(number, "Any news?", false).await.status, StatusCode::CREATED);
    sink.wait_for("the customer-replied mail", |m| {
        m.iter().any(|m| m.to == assignee && m.subject.contains("Customer replied") && m.text.contains("Any news?"))
    })
    .await;
    // A day later the 4-hour response is breached: the engineer and the lead on duty hear of it.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    let report = app::backend::sweeper::sweep(&s.store, later).await.unwrap();
    assert!(report.breaches >= 1);
    let mails = sink
        .wait_for("the breach mail", |m| {
            m.iter().any(|m| m.to == assignee && m.subject.contains(&tag) && m.subject.contains("SLA breached"))
        })
        .await;
    assert!(mails.iter().any(|m| m.to == assignee && m.subject.contains("SLA warning")));
    let breach_recipients: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.contains(&tag) && m.subject.contains("SLA breached"))
        .map(|m| m.to.clone())
        .collect();
    assert!(
        breach_recipients.iter().all(|to| to.ends_with("@caseboard.example")),
        "support only: {breach_recipients:?}"
    );
    assert!(
        mails
            .iter()
            .filter(|m| m.subject.contains(&tag))
            .all(|m| m.to != "alice@acme.example" || !m.subject.contains("SLA"))
    );
}

#[tokio::test]
async fn templates_follow_the_recipients_language() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let chloe = s.demo("chloe@initech.example").await;
    let number = open(&chloe, "Factures en erreur").await;
    let mails = sink.wait_for("Chloé's mail", |m| m.iter().any(|m| m.to == "chloe@initech.example")).await;
    let french = mails.iter().find(|m| m.to == "chloe@initech.example").unwrap();
    assert_eq!(french.subject, format!("[#{number}] Ouvert\u{a0}: Factures en erreur"));
    assert!(french.text.contains("Bonjour Chloé,"), "{}", french.text);
    // Cloud Avenue Gold promises a restore time for P1 only: a P2 case is told so, in French.
    assert!(french.text.contains("Aucun engagement de délai pour P2"), "{}", french.text);

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
    let li = s.demo("li@acme.example").await;
    let number = open(&li, "导出失败").await;
    let mails = sink.wait_for("Li's mail", |m| m.iter().any(|m| m.to == "li@acme.example")).await;
    let chinese = mails.iter().find(|m| m.to == "li@acme.example").unwrap();
    assert_eq!(chinese.subject, format!("[#{number}] 已创建：导出失败"));
    assert!(chinese.text.contains("Li Wei，您好："), "Chinese greets by the whole name: {}", chinese.text);
    assert!(chinese.text.contains("首次响应截止"), "{}", chinese.text);
}

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down_and_arrives_once_each_when_it_is_back() {
    let port = free_port();
    let s = server_with_smtp(&format!("smtp://127.0.0.1:{port}")).await;
    let alice = s.demo("alice@acme.example").await;
    for i in 0..5 {
        // Cases keep being created while mail cannot go out.
        open(&alice, &format!("Down case {i}")).await;
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
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "File outbox").await;
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = std::fs::read_dir(&outbox)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(&format!("[#{number}]"))));
        if found {
            break;
        }
        assert!(Instant::now() < deadline, "no .eml in {}", outbox.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---- what the mails say (issue #22, item 10) ----

/// A server on the SMTP sink whose case notifications wait `window` for more news of the
/// same case to the same person (gathered into one message).
async fn server_with_window(url: &str, window: Duration) -> TestServer {
    let url = url.to_owned();
    common::start_with(None, move |config| {
        config.mail.transport = app::backend::mail::MailTransport::Smtp(url);
        config.mail.retry_max = Duration::from_secs(1);
        config.mail.mailgate_token = Some("gate-secret".into());
        config.mail.coalesce_window = window;
    })
    .await
}

/// Waits until the outbox holds nothing unsent (every queued mail was taken by the server).
async fn outbox_empty(s: &TestServer) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, waiting) = s.store.mail_counts().await.unwrap();
        if waiting == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{waiting} mails still waiting");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Adds a person to the demo data (a name or language the demo has none of).
async fn add_person(s: &TestServer, email: &str, name: &str, organization: Option<&str>, language: &str) {
    let hash = app::backend::accounts::hash_password(common::PASSWORD).await.unwrap();
    let organization_id = match organization {
        Some(slug) => Some(s.store.organization_by_slug(slug).await.unwrap().unwrap().id),
        None => None,
    };
    s.store
        .create_user(app::backend::store::NewUser {
            email,
            name,
            role: if organization.is_some() { app::domain::Role::Customer } else { app::domain::Role::Engineer },
            organization_id,
            org_admin: false,
            password_hash: &hash,
            time_zone: None,
            language: Some(language),
        })
        .await
        .unwrap();
}

/// The header section of a raw message (up to the first empty line).
fn headers(raw: &str) -> &str {
    raw.split("\r\n\r\n").next().unwrap_or(raw)
}

#[tokio::test]
async fn a_public_reply_comes_from_its_author_via_support_and_a_hostile_name_stays_one_display_name() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    // Quotes, an address, a line break and a header, non-ASCII, markup, a right-to-left override.
    let hostile = "Eve \"Boss\" <x@evil.example>\r\nBcc: v@evil.example Ünï 李\u{202e} <script>";
    add_person(&s, "eve@acme.example", hostile, Some("acme"), "en").await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let eve = s.demo("eve@acme.example").await;
    let number = open(&alice, "Who writes").await;
    sam.assign(number, Some("me"), None).await.expect(StatusCode::OK);
    let tag = format!("[#{number}]");
    assert_eq!(sam.reply(number, "Please send the logs.", false).await.status, StatusCode::CREATED);
    assert_eq!(eve.reply(number, "Here they are.", false).await.status, StatusCode::CREATED);
    let mails = sink
        .wait_for("the reply mails", |m| {
            m.iter().any(|m| m.to == "alice@acme.example" && m.text.contains("Please send the logs."))
                && m.iter().any(|m| m.to == "sam@caseboard.example" && m.text.contains("Here they are."))
        })
        .await;

    // Sam's reply to Alice: from Sam, through the support address.
    let replied = mails.iter().find(|m| m.to == "alice@acme.example" && m.text.contains("Please send")).unwrap();
    assert_eq!(replied.from_name, "Sam Okafor via Caseboard Support");
    assert_eq!(replied.from, "support@caseboard.example");
    // System mail (the case-opened confirmation) comes from support itself.
    let opened = mails.iter().find(|m| m.to == "alice@acme.example" && m.subject.contains("Opened")).unwrap();
    assert_eq!((opened.from_name.as_str(), opened.from.as_str()), ("Caseboard Support", "support@caseboard.example"));

    // Eve's reply to Sam: her name, whatever it holds, is one display name in one From header.
    let from_eve = mails.iter().find(|m| m.to == "sam@caseboard.example" && m.text.contains("Here they")).unwrap();
    assert!(from_eve.subject.starts_with(&tag), "{}", from_eve.subject);
    assert_eq!(from_eve.from, "support@caseboard.example", "{}", headers(&from_eve.raw));
    let one_line = hostile.replace(['\r', '\n'], " ").replace('\u{202e}', "");
    assert_eq!(from_eve.from_name, format!("{one_line} via Caseboard Support"), "{}", headers(&from_eve.raw));
    let header_lines: Vec<&str> = headers(&from_eve.raw).lines().collect();
    assert_eq!(header_lines.iter().filter(|l| l.starts_with("From:")).count(), 1, "{header_lines:#?}");
    assert!(header_lines.iter().all(|l| !l.to_ascii_lowercase().starts_with("bcc:")), "{header_lines:#?}");
    assert!(!from_eve.text.contains('\u{202e}'), "nothing reorders the text after the name: {}", from_eve.text);
    assert!(!from_eve.html.contains("<script>"), "{}", from_eve.html);
    assert!(from_eve.html.contains("&lt;script&gt;"), "{}", from_eve.html);
}

#[tokio::test]
async fn the_case_link_is_a_button_in_html_and_the_address_in_plain_text() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Button").await;
    let mine = |m: &Mail| m.to == "alice@acme.example" && m.subject.contains(&format!("{number}]"));
    let mails = sink.wait_for("the case-opened mail", |m| m.iter().any(mine)).await;
    let opened = mails.iter().find(|m| mine(m)).unwrap();
    let url = format!("http://127.0.0.1/cases/{number}");
    assert!(opened.text.contains(&format!("See the case: {url}")), "{}", opened.text);
    let link = format!("<a href=\"{url}\" style=\"display:inline-block;");
    assert!(opened.html.contains(&link), "a styled link: {}", opened.html);
    assert!(opened.html.contains(&format!(">View case {number}</a>")), "{}", opened.html);
    assert!(opened.html.contains("background-color:#1d4ed8"), "{}", opened.html);
    assert!(!opened.html.contains(&format!(">See the case: {url}")), "no bare address as text: {}", opened.html);
}

#[tokio::test]
async fn a_reply_and_a_status_change_within_the_window_arrive_as_one_mail_in_order() {
    let sink = SmtpSink::start();
    // A window of an hour: nothing about the case goes out until the test moves the clock.
    let s = server_with_window(&sink.url(), Duration::from_secs(3600)).await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = open(&alice, "Gathered").await;
    let pass =
        async |at: jiff::Timestamp| app::backend::mail::sender::pass(&s.store, &s.config.mail, at).await.unwrap();
    let later = |hours| jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours);
    // The case-opened mails go once their window has closed.
    assert_eq!(pass(jiff::Timestamp::now()).await, 0, "the window is open: nothing is due");
    assert!(pass(later(2)).await >= 2);
    let before = sink.messages().len();

    assert_eq!(sam.reply(number, "Which version do you run?", false).await.status, StatusCode::CREATED);
    sam.move_now(number, "feedback", None).await;
    assert_eq!(pass(jiff::Timestamp::now()).await, 0);
    // Alice and Olga (who watches Acme's cases): one message each, of two rows.
    assert_eq!(pass(later(2)).await, 4);
    let mails = sink.messages();
    assert_eq!(mails.len(), before + 2, "{:#?}", summaries(&mails));
    let to_alice: Vec<&Mail> =
        mails.iter().filter(|m| m.to == "alice@acme.example" && m.text.contains("Which version")).collect();
    assert_eq!(to_alice.len(), 1, "{:#?}", summaries(&mails));
    let mail = to_alice[0];
    assert_eq!(mail.subject, format!("[#{number}] We need your input: Gathered"), "the newest news names it");
    assert_eq!(mail.from_name, "Sam Okafor via Caseboard Support");
    let reply = mail.text.find("Sam Okafor of support replied on your case.").expect(&mail.text);
    let quote = mail.text.find("    Which version do you run?").expect(&mail.text);
    let feedback = mail.text.find("Support needs information from you").expect(&mail.text);
    assert!(reply < quote && quote < feedback, "in the order they happened: {}", mail.text);
    assert_eq!(mail.text.matches("Hello Alice,").count(), 1, "{}", mail.text);
    assert_eq!(mail.text.matches("See the case:").count(), 1, "{}", mail.text);
    assert!(mail.reply_to.starts_with(&format!("support+c{number}-")), "{}", mail.reply_to);
    let (_, waiting) = s.store.mail_counts().await.unwrap();
    assert_eq!(waiting, 0, "both rows of each message are marked sent");
}

#[tokio::test]
async fn news_beyond_the_window_comes_in_a_mail_of_its_own() {
    let sink = SmtpSink::start();
    let s = server_with_window(&sink.url(), Duration::from_secs(1)).await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = open(&alice, "Apart").await;
    assert_eq!(sam.reply(number, "Which version do you run?", false).await.status, StatusCode::CREATED);
    // More than the window later (a pause, not a timed assertion: whatever the sender did
    // meanwhile, the two entries are more than a window apart).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    sam.move_now(number, "feedback", None).await;
    let mails = sink
        .wait_for("the reply and the feedback mails to Alice", |m| {
            m.iter().any(|m| m.to == "alice@acme.example" && m.text.contains("Which version"))
                && m.iter().any(|m| m.to == "alice@acme.example" && m.subject.contains("We need your input"))
        })
        .await;
    let to_alice: Vec<&Mail> = mails.iter().filter(|m| m.to == "alice@acme.example").collect();
    let reply = to_alice.iter().find(|m| m.text.contains("Which version")).unwrap();
    let feedback = to_alice.iter().find(|m| m.subject.contains("We need your input")).unwrap();
    assert_ne!(reply.message_id, feedback.message_id, "two mails");
    assert!(!reply.text.contains("Support needs information"), "{}", reply.text);
    assert!(!feedback.text.contains("Which version"), "{}", feedback.text);
    assert_eq!(feedback.from_name, "Caseboard Support", "a status change alone is support's");
}

#[tokio::test]
async fn two_instances_send_a_gathered_mail_once() {
    let sink = SmtpSink::start();
    let window = Duration::from_secs(3600);
    let s = server_with_window(&sink.url(), window).await;
    let (url, database) = (sink.url(), s.config.database_url.clone());
    let other = common::start_with(None, move |config| {
        config.database_url = database;
        config.demo = false;
        config.mail.transport = app::backend::mail::MailTransport::Smtp(url);
        config.mail.mailgate_token = Some("gate-secret".into());
        config.mail.coalesce_window = window;
    })
    .await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Two instances").await;
    // The reply through one instance, the status change through the other.
    let sam_on_a = s.demo("sam@caseboard.example").await;
    let sam_on_b = other.demo("sam@caseboard.example").await;
    assert_eq!(sam_on_a.reply(number, "Which version do you run?", false).await.status, StatusCode::CREATED);
    sam_on_b.move_now(number, "feedback", None).await;
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2);
    let passes = || {
        (
            app::backend::mail::sender::pass(&s.store, &s.config.mail, later),
            app::backend::mail::sender::pass(&other.store, &other.config.mail, later),
        )
    };
    // Both instances' senders at once, twice: every mail once, nothing left.
    let (a, b) = passes();
    let (a, b) = tokio::join!(a, b);
    assert!(a.unwrap() + b.unwrap() > 0);
    let (a, b) = passes();
    let (a, b) = tokio::join!(a, b);
    assert_eq!(a.unwrap() + b.unwrap(), 0, "nothing claimed twice");
    let mails = sink.messages();
    let tag = format!("[#{number}]");
    let to_alice: Vec<&Mail> =
        mails.iter().filter(|m| m.to == "alice@acme.example" && m.subject.starts_with(&tag)).collect();
    assert_eq!(to_alice.len(), 1, "opened, replied and feedback in one mail: {:#?}", summaries(&mails));
    for words in ["We have received your case", "Which version do you run?", "Support needs information"] {
        assert_eq!(to_alice[0].text.matches(words).count(), 1, "{words}: {}", to_alice[0].text);
    }
    let mut ids: Vec<_> = mails.iter().map(|m| m.message_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), mails.len(), "no message sent twice");
    assert_eq!(s.store.mail_counts().await.unwrap().1, 0, "no mail lost");
}

#[tokio::test]
async fn mail_greets_by_first_name_and_tags_the_subject_alike_in_every_language() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    // Acme watchers who read French and Chinese, beside Alice (English).
    add_person(&s, "camille@acme.example", "Camille Roux", Some("acme"), "fr").await;
    add_person(&s, "li@acme.example", "李伟", Some("acme"), "zh").await;
    for email in ["camille@acme.example", "li@acme.example"] {
        notify(&s.demo(email).await, json!({"watch_organization": true})).await;
    }
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Exports fail").await;
    let recipients = ["alice@acme.example", "camille@acme.example", "li@acme.example"];
    let tag = format!("[#{number}] ");
    let about_case = |m: &Mail| m.subject.contains(&format!("{number}]"));
    let mails: Vec<Mail> = sink
        .wait_for("the case-opened mails", |m| {
            recipients.iter().all(|to| m.iter().any(|m| m.to == *to && about_case(m)))
        })
        .await
        .into_iter()
        .filter(about_case)
        .collect();
    let to = |email: &str| mails.iter().find(|m| m.to == email).unwrap();
    assert_eq!(to("alice@acme.example").subject, format!("{tag}Opened: Exports fail"));
    assert_eq!(to("camille@acme.example").subject, format!("{tag}Ouvert\u{a0}: Exports fail"));
    assert_eq!(to("li@acme.example").subject, format!("{tag}已创建：Exports fail"));
    assert!(to("alice@acme.example").text.starts_with("Hello Alice,\n"), "{}", to("alice@acme.example").text);
    assert!(to("camille@acme.example").text.starts_with("Bonjour Camille,"), "{}", to("camille@acme.example").text);
    assert!(to("li@acme.example").text.starts_with("李伟，您好："), "{}", to("li@acme.example").text);
    for mail in &mails {
        assert!(!mail.text.contains("Martin,"), "no surname in a greeting: {}", mail.text);
    }
}

#[tokio::test]
async fn an_engineer_whose_case_is_taken_over_is_told_who_took_it_unless_they_gave_it_away() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let mei = s.demo("mei@caseboard.example").await;
    let admin = s.demo("admin@caseboard.example").await;
    let number = open(&alice, "Hot potato").await;
    sam.assign(number, Some("me"), None).await.expect(StatusCode::OK);
    outbox_empty(&s).await;
    let tag = format!("[#{number}] ");
    let taken_over = |to: &str| {
        let about = |m: &Mail| m.to == to && m.subject.starts_with(&tag) && m.subject.contains("Taken over");
        sink.messages().into_iter().filter(about).collect::<Vec<_>>()
    };
    let sams_before = taken_over("sam@caseboard.example").len();
    let meis_before = taken_over("mei@caseboard.example").len();

    // Mei takes it: Sam hears that she did.
    mei.assign(number, Some("me"), None).await.expect(StatusCode::OK);
    outbox_empty(&s).await;
    let to_sam = taken_over("sam@caseboard.example");
    assert_eq!(to_sam.len(), sams_before + 1, "{:#?}", summaries(&sink.messages()));
    let notice = to_sam.iter().find(|m| m.subject.contains("by Mei Lin")).expect("Sam hears Mei took it");
    assert_eq!(notice.subject, format!("[#{number}] Taken over by Mei Lin: Hot potato"));
    assert!(notice.text.contains("Hello Sam,"), "{}", notice.text);
    assert!(notice.text.contains("Mei Lin took this case over"), "{}", notice.text);
    assert!(notice.text.contains("It is no longer assigned to you."), "{}", notice.text);
    assert_eq!(notice.from_name, "Caseboard Support");

    // The admin gives it back to Sam: Mei hears who gave it to whom.
    admin.assign(number, Some("sam@caseboard.example"), None).await.expect(StatusCode::OK);
    outbox_empty(&s).await;
    let to_mei = taken_over("mei@caseboard.example");
    assert_eq!(to_mei.len(), meis_before + 1, "{:#?}", summaries(&sink.messages()));
    assert!(
        to_mei.iter().any(|m| m.text.contains("Ada Admin gave this case to Sam Okafor")
            && m.subject == format!("[#{number}] Taken over by Sam Okafor: Hot potato")),
        "{:#?}",
        to_mei.iter().map(|m| &m.text).collect::<Vec<_>>()
    );

    // Sam hands it to Mei himself: he is not told of his own act (Mei is told it is hers).
    let assigned =
        |m: &&Mail| m.to == "mei@caseboard.example" && m.subject.starts_with(&format!("{tag}Assigned to you"));
    let (sams, meis) = (taken_over("sam@caseboard.example").len(), sink.messages().iter().filter(assigned).count());
    sam.assign(number, Some("mei@caseboard.example"), None).await.expect(StatusCode::OK);
    outbox_empty(&s).await;
    assert_eq!(taken_over("sam@caseboard.example").len(), sams);
    assert_eq!(sink.messages().iter().filter(assigned).count(), meis + 1);
}

#[tokio::test]
async fn without_the_mail_gateway_no_mail_asks_for_a_reply_by_email() {
    let s = common::start().await;
    assert!(s.config.mail.mailgate_token.is_none());
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = open(&alice, "Portal only").await;
    sam.assign(number, Some("me"), None).await.expect(StatusCode::OK);
    assert_eq!(sam.reply(number, "Which version?", false).await.status, StatusCode::CREATED);
    sam.move_now(number, "feedback", None).await;
    assert_eq!(alice.reply(number, "9.1.3", false).await.status, StatusCode::CREATED);
    let version = sam.get_case(number).await.version();
    sam.change_severity(number, 3, version).await.expect(StatusCode::OK);
    sam.move_now(number, "resolved", Some("fixed")).await;
    outbox_empty(&s).await;
    let mails: Vec<Mail> = std::fs::read_dir(s.config.data_dir.join("outbox"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
        .map(|e| Mail::parse(&std::fs::read(e.path()).unwrap()))
        .filter(|m| m.subject.contains(&format!("{number}]")))
        .collect();
    let kinds = ["Opened", "Support replied", "We need your input", "Customer replied", "Severity changed", "Resolved"];
    for kind in kinds {
        assert!(mails.iter().any(|m| m.subject.contains(kind)), "no {kind} mail: {:#?}", summaries(&mails));
    }
    for mail in &mails {
        assert!(mail.subject.starts_with(&format!("[#{number}] ")), "the case's tag: {}", mail.subject);
        let words = format!("{}\n{}", mail.text, mail.html).to_lowercase();
        for wording in ["reply to this email", "replying to this email", "répondez à ce courriel", "回复此邮件"]
        {
            assert!(!words.contains(wording), "{} says {wording:?}: {}", mail.subject, mail.text);
        }
        assert!(mail.reply_to.is_empty(), "{}: a Reply-To without a gateway", mail.subject);
    }
    let feedback = mails.iter().find(|m| m.subject.contains("We need your input")).unwrap();
    assert!(feedback.text.contains("on the case page in the portal"), "{}", feedback.text);
}

// ---- inbound ----

/// A fixture with its placeholders filled in.
fn fixture(name: &str, fill: &[(&str, String)]) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail").join(name);
    let mut text = String::from_utf8(std::fs::read(&path).unwrap())
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
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
    let gateway = s.api().with_token("gate-secret");
    let answer = gateway
        .send(
            gateway
                .request(reqwest::Method::POST, "/api/v1/mail/inbound")
                .header("content-type", "message/rfc822")
                .body(raw),
        )
        .await;
    (answer.status, answer.body)
}

async fn timeline(api: &Api, number: i64) -> Vec<Value> {
    api.events(number).await.list()
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

/// The reply address of case `number` issued to the person `email` (what their notifications carry).
async fn reply_to(s: &TestServer, number: i64, email: &str) -> String {
    let user = s.store.user_by_email(email).await.unwrap().unwrap();
    format!("support+{}@caseboard.example", app::backend::mail::reply_key(&s.store).tag(CaseNumber(number), user.id))
}

#[tokio::test]
async fn replies_by_email_are_threaded_by_the_signed_address_trimmed_and_kept_once() {
    let s = inbound_server().await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Exports fail").await;
    let fill = [("TO", reply_to(&s, number, "alice@acme.example").await), ("CASE", number.to_string())];

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

    // Outlook: quoted-printable Latin-1, the "From: / Sent:" block under a rule; Olga answers
    // through the address her own notification carried.
    let olga = [("TO", reply_to(&s, number, "olga@acme.example").await), ("CASE", number.to_string())];
    let (status, _) = post_mail(&s, fixture("outlook-reply.eml", &olga)).await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let events = timeline(&alice, number).await;
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
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let number = open(&alice, "Screenshot").await;
    let fill = [("TO", reply_to(&s, number, "alice@acme.example").await), ("CASE", number.to_string())];
    let (status, report) = post_mail(&s, fixture("apple-reply-attachment.eml", &fill)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    let refused = report["refused_attachments"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "the .exe is refused: {report}");
    assert!(refused[0].as_str().unwrap().starts_with("setup.exe"));

    let events = timeline(&alice, number).await;
    assert_eq!(replies(&events), vec!["Here is the screenshot of the error.".to_owned()]);
    let attached: Vec<_> = events.iter().filter(|e| e["change"]["type"] == "attached").collect();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0]["change"]["file_name"], "error.png");
    assert_eq!(attached[0]["change"]["content_type"], "image/png");
    let id = attached[0]["change"]["attachment_id"].as_i64().unwrap();
    let download = alice.download(number, id).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers["content-type"], "image/png");
    assert!(download.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(download.headers["x-content-type-options"], "nosniff");
    assert!(download.bytes.starts_with(b"\x89PNG"));
    // Another organization's attachment is not found, exactly like a missing one.
    assert_eq!(bruno.download(number, id).await.status, StatusCode::NOT_FOUND);
    assert_eq!(alice.download(number, 999999).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reply_by_email_resumes_a_paused_clock() {
    let s = inbound_server().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = open(&alice, "Slow dashboard").await;
    sam.move_now(number, "feedback", None).await;
    let clocks = alice.sla(number).await.list();
    assert_eq!(clocks[0]["state"]["state"], "paused", "{clocks:#?}");
    let fill = [("TO", reply_to(&s, number, "alice@acme.example").await), ("CASE", number.to_string())];
    let (status, _) = post_mail(&s, fixture("gmail-reply.eml", &fill)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let clocks = alice.sla(number).await.list();
    assert_eq!(clocks[0]["state"]["state"], "running", "{clocks:#?}");
    // And the answer ends "waiting on you": the case is back where it was before Feedback.
    assert_eq!(alice.get_case(number).await.ok()["status"], "new");
}

#[tokio::test]
async fn known_contacts_open_cases_by_writing_to_the_support_address_in_any_script() {
    let s = inbound_server().await;
    let (status, report) = post_mail(&s, fixture("french-new-case.eml", &[])).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    assert_eq!(report["outcome"], "case_opened");
    let chloe = s.demo("chloe@initech.example").await;
    let case = chloe.get_case(&report["case"]).await.body;
    assert_eq!(case["summary"], "Impossible d’exporter les factures — erreur 500");
    assert!(case["description"].as_str().unwrap().starts_with("Depuis ce matin"));

    let chinese = fixture("chinese-new-case.eml", &[]);
    let (status, report) = post_mail(&s, chinese.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    let bruno = s.demo("bruno@globex.example").await;
    let number = report["case"].as_i64().unwrap();
    let case = bruno.get_case(number).await.body;
    assert_eq!(case["summary"], "导出失败：错误 500");
    // Delivered twice: still one case.
    let (_, again) = post_mail(&s, chinese).await;
    assert_eq!(again["outcome"], "duplicate");
    let cases = bruno.list_cases().await.list();
    assert_eq!(cases.iter().filter(|c| c["summary"] == "导出失败：错误 500").count(), 1);

    // An organization that does not take cases by email (an admin says so): refused, and the contact is told.
    let admin = s.demo("admin@caseboard.example").await;
    let intake =
        async |by: &Api| by.put("/api/v1/organizations/initech/email-intake", &json!({"allowed": false})).await.status;
    assert_eq!(intake(&chloe).await, StatusCode::FORBIDDEN, "a customer cannot");
    assert_eq!(intake(&admin).await, StatusCode::OK);
    let (status, report) = post_mail(&s, fixture("french-new-case.eml", &[])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["outcome"], "refused");
    assert_eq!(report["reason"], "intake_off");
    assert_eq!(report["bounced"], true);
}

#[tokio::test]
async fn spoofed_replies_change_nothing() {
    let s = inbound_server().await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Target case").await;
    let before = timeline(&alice, number).await.len();
    let sam = s.demo("sam@caseboard.example").await;
    let cases_before = sam.case_count().await;

    // FreeScout CVE-2026-47123: a forged In-Reply-To, claiming to be an agent, without a token.
    let (status, report) = post_mail(&s, fixture("forged-in-reply-to.eml", &[("CASE", number.to_string())])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(report["reason"], "no_thread");

    // A valid reply address issued to someone who is not on the case (another organization).
    let brunos = [("TO", reply_to(&s, number, "bruno@globex.example").await), ("CASE", number.to_string())];
    let (_, report) = post_mail(&s, fixture("valid-token-non-participant.eml", &brunos)).await;
    assert_eq!(report["outcome"], "refused");
    assert_eq!(report["reason"], "not_participant");
    assert_eq!(report["bounced"], true, "a known sender is told");

    // Alice's reply address, used by Bruno.
    let fill = [("TO", reply_to(&s, number, "alice@acme.example").await), ("CASE", number.to_string())];
    let (_, report) = post_mail(&s, fixture("valid-token-non-participant.eml", &fill)).await;
    assert_eq!(report["outcome"], "refused");
    assert_eq!(report["reason"], "not_your_address");

    // A tag for this case that this installation did not sign.
    let forged =
        [("TO", format!("support+c{number}-00112233445566778899@caseboard.example")), ("CASE", number.to_string())];
    let (_, report) = post_mail(&s, fixture("gmail-reply.eml", &forged)).await;
    assert_eq!(report["outcome"], "refused");

    // An out-of-office answer is ignored, never answered.
    let (_, report) = post_mail(&s, fixture("out-of-office.eml", &fill)).await;
    assert_eq!(report["outcome"], "ignored");
    assert_eq!(report["bounced"], false);

    assert_eq!(timeline(&alice, number).await.len(), before, "the case did not change");
    assert_eq!(sam.case_count().await, cases_before, "no case was opened");
}

#[tokio::test]
async fn in_reply_to_threads_only_a_message_we_sent_to_that_very_sender() {
    let s = inbound_server().await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Threaded by headers").await;
    // The Message-ID of the case-opened mail Alice got (the file outbox holds it).
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    let message_id = loop {
        let found = std::fs::read_dir(&outbox).into_iter().flatten().flatten().find_map(|e| {
            let raw = std::fs::read(e.path()).ok()?;
            let mail = Mail::parse(&raw);
            (mail.to == "alice@acme.example" && mail.subject.contains(&format!("#{number}]")))
                .then_some(mail.message_id)
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
        replies(&timeline(&alice, number).await),
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
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Bad input").await;
    let before = timeline(&alice, number).await.len();
    let fill = [("TO", reply_to(&s, number, "alice@acme.example").await), ("CASE", number.to_string())];

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
    let stranger = s.api().with_token("wrong");
    let response = stranger
        .send(stranger.request(reqwest::Method::POST, "/api/v1/mail/inbound").body(fixture("gmail-reply.eml", &fill)))
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(timeline(&alice, number).await.len(), before, "nothing changed");
}

#[tokio::test]
async fn mailgate_tells_the_mta_to_deliver_bounce_or_retry() {
    let s = inbound_server().await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Mailgate").await;
    let fill = [("TO", reply_to(&s, number, "alice@acme.example").await), ("CASE", number.to_string())];
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
    assert_eq!(replies(&timeline(&alice, number).await).len(), 1);
    assert_eq!(run(s.base.clone(), fixture("malformed.eml", &[]), "gate-secret").await, Some(65));
    assert_eq!(run(s.base.clone(), fixture("gmail-reply.eml", &fill), "wrong").await, Some(75));
    let nobody = format!("http://127.0.0.1:{}", free_port());
    assert_eq!(run(nobody, fixture("gmail-reply.eml", &fill), "gate-secret").await, Some(75));
}

#[tokio::test]
async fn preferences_refuse_kinds_of_another_role() {
    let s = common::start().await;
    let alice = s.demo("alice@acme.example").await;
    let response = alice.put("/api/v1/me/notifications", &json!({"sla_breached": false})).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = alice.get("/api/v1/me/notifications").await.list();
    assert!(list.iter().any(|p| p["kind"] == "watch_organization" && p["enabled"] == false));
    assert!(list.iter().all(|p| p["kind"] != "sla_breached"));
}

// ---- who may reply (issue #14: inbound mail trusted the From header) ----

/// The fixture with its From header replaced (what a sender writes there is theirs to choose).
fn from(raw: Vec<u8>, original: &str, replacement: &str) -> Vec<u8> {
    let text = String::from_utf8(raw).unwrap();
    assert!(text.contains(original), "the fixture has {original}");
    text.replacen(original, replacement, 1).into_bytes()
}

/// A header the receiving mail server (or anyone before it) put on top of the message.
fn with_header(header: &str, raw: Vec<u8>) -> Vec<u8> {
    [format!("{header}\r\n").into_bytes(), raw].concat()
}

const SAM: &str = "Sam Okafor <sam@caseboard.example>";

fn response_clock(clocks: &Value) -> Value {
    clocks.as_array().unwrap().iter().find(|c| c["kind"] == "initial_response").cloned().expect("a response clock")
}

#[tokio::test]
async fn a_customer_holding_a_notification_cannot_reply_as_an_engineer_or_as_another_customer() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.demo("alice@acme.example").await;
    let olga = s.demo("olga@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    notify(&olga, json!({"watch_organization": true})).await;
    let number = open(&alice, "Spoofing target").await;
    let tag = format!("[#{number}]");
    let mails = sink
        .wait_for("the case-opened mails to Alice and Olga", |m| {
            ["alice@acme.example", "olga@acme.example"]
                .iter()
                .all(|to| m.iter().any(|m| m.to == *to && m.subject.contains(&tag)))
        })
        .await;
    // The notification Alice holds carries an address of her own; Olga's is another.
    let address_of = |to: &str| mails.iter().find(|m| m.to == to && m.subject.contains(&tag)).unwrap().reply_to.clone();
    let alices = address_of("alice@acme.example");
    assert_eq!(alices, reply_to(&s, number, "alice@acme.example").await);
    assert_ne!(alices, address_of("olga@acme.example"), "each recipient has an address of their own");

    tokio::time::sleep(Duration::from_millis(500)).await;
    let log = timeline(&sam, number).await;
    let clock = response_clock(&sam.sla(number).await.body);
    assert_eq!(clock["state"]["state"], "running");
    // Mail about the case (bounces to the person named in From aside).
    let about_case = |m: &[Mail]| m.iter().filter(|m| m.subject.contains(&tag)).count();
    let case_mails = about_case(&sink.messages());

    // Alice writes to her own reply address with From: Sam (the hostile tester's mail).
    let fill = [("TO", alices.clone()), ("CASE", number.to_string())];
    let (status, report) = post_mail(&s, fixture("spoofed-engineer-reply.eml", &fill)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(report["reason"], "not_your_address");
    // ... and with From: Olga, another customer of the organization.
    let as_olga = from(fixture("spoofed-engineer-reply.eml", &fill), SAM, "Olga Petrova <olga@acme.example>");
    let (status, report) = post_mail(&s, as_olga).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(report["reason"], "not_your_address");

    // Nothing was recorded: the log (internal entries included), the clock, mail to the watchers.
    assert_eq!(timeline(&sam, number).await, log, "the case log did not change");
    assert_eq!(response_clock(&sam.sla(number).await.body)["state"], clock["state"], "the SLA clock did not change");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = sink.messages();
    assert_eq!(about_case(&after), case_mails, "nobody on the case was emailed: {:#?}", summaries(&after));
    assert!(after.iter().all(|m| !m.subject.contains("Support replied")));

    // The person the address was issued to: accepted, as hers.
    let as_alice = from(fixture("spoofed-engineer-reply.eml", &fill), SAM, "Alice Martin <ALICE@acme.example>");
    let (status, report) = post_mail(&s, as_alice).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    assert_eq!(report["outcome"], "reply_added");
    let events = timeline(&sam, number).await;
    let reply = events.last().unwrap();
    assert_eq!(reply["change"]["type"], "reply");
    assert_eq!(reply["actor"], "Alice Martin");
    assert_eq!(reply["change"]["from_support"], false);
    assert!(reply["change"]["body"].as_str().unwrap().starts_with("We found the cause"), "{reply}");
    assert_eq!(response_clock(&sam.sla(number).await.body)["state"]["state"], "running", "a customer meets no clock");
}

#[tokio::test]
async fn an_engineer_replies_by_email_only_through_the_address_issued_to_them() {
    let s = inbound_server().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = open(&alice, "Answered by email").await;
    let sams = reply_to(&s, number, "sam@caseboard.example").await;
    // Each reader's case page shows their own address.
    assert_eq!(s.browser("sam@caseboard.example").await.read_case(number).await.body["reply_address"], sams);
    let alices = s.browser("alice@acme.example").await.read_case(number).await.body["reply_address"].clone();
    assert_eq!(alices, reply_to(&s, number, "alice@acme.example").await);
    let before = timeline(&sam, number).await;

    // Sam's address in Alice's hands (From: Alice, or From: Sam): refused.
    let fill = [("TO", sams.clone()), ("CASE", number.to_string())];
    let by_alice = from(fixture("spoofed-engineer-reply.eml", &fill), SAM, "Alice Martin <alice@acme.example>");
    let (_, report) = post_mail(&s, by_alice).await;
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(report["reason"], "not_your_address");
    // An engineer's From on a customer's address: refused too (the other test), and an
    // engineer writing to the plain support address opens nothing either.
    let to_support = from(
        fixture(
            "spoofed-engineer-reply.eml",
            &[("TO", "support@caseboard.example".into()), ("CASE", number.to_string())],
        ),
        "In-Reply-To",
        "X-In-Reply-To",
    );
    let (_, report) = post_mail(&s, to_support).await;
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(timeline(&sam, number).await, before);
    assert_eq!(response_clock(&alice.sla(number).await.body)["state"]["state"], "running");

    // Sam through his own address: a support reply, which meets the response clock.
    let (status, report) = post_mail(&s, fixture("spoofed-engineer-reply.eml", &fill)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    let events = timeline(&alice, number).await;
    let reply = events.last().unwrap();
    assert_eq!(reply["actor"], "Sam Okafor");
    assert_eq!(reply["change"]["from_support"], true);
    let clock = response_clock(&alice.sla(number).await.body);
    assert_eq!(clock["state"]["state"], "met", "{clock}");
}

#[tokio::test]
async fn a_reply_address_of_the_earlier_case_only_kind_is_refused_with_a_clear_bounce() {
    use hmac::{Hmac, Mac};
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Old notification").await;
    // What notifications carried before addresses were bound to their recipient.
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(s.store.mail_secret()).unwrap();
    mac.update(format!("caseboard reply tag for case {number}").as_bytes());
    let old = format!("support+c{number}-{}@caseboard.example", &hex::encode(mac.finalize().into_bytes())[..20]);
    let before = timeline(&alice, number).await;
    let fill = [("TO", old), ("CASE", number.to_string())];
    let (_, report) = post_mail(&s, fixture("gmail-reply.eml", &fill)).await;
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(report["reason"], "outdated_address");
    assert_eq!(report["bounced"], true);
    assert_eq!(timeline(&alice, number).await, before);
    let mails = sink
        .wait_for("the bounce", |m| m.iter().any(|m| m.to == "alice@acme.example" && m.subject.contains("not added")))
        .await;
    let bounce = mails.iter().find(|m| m.subject.contains("not added")).unwrap();
    assert!(bounce.text.contains("Reply to the latest notification"), "{}", bounce.text);
}

#[tokio::test]
async fn only_the_trusted_servers_authentication_results_are_believed() {
    let s = common::start_with(None, |config| {
        config.mail.mailgate_token = Some("gate-secret".into());
        config.mail.authserv_id = Some("mx.caseboard.example".into());
    })
    .await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Authenticated mail").await;
    let before = timeline(&alice, number).await;
    let fill = [("TO", reply_to(&s, number, "alice@acme.example").await), ("CASE", number.to_string())];
    let reply = fixture("gmail-reply.eml", &fill);
    let trusted_fail = "Authentication-Results: mx.caseboard.example;\r\n\tspf=fail smtp.mailfrom=acme.example;\r\n\
                        \tdkim=none; dmarc=fail (p=reject dis=reject) header.from=acme.example";

    // Our mail server says the From domain disowns it: refused, nobody told, nothing kept.
    let (status, report) = post_mail(&s, with_header(trusted_fail, reply.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["outcome"], "refused", "{report}");
    assert_eq!(report["reason"], "dmarc_fail");
    assert_eq!(report["bounced"], false, "a proven-forged sender is never answered");
    assert_eq!(timeline(&alice, number).await, before);

    // The same message where only someone else vouches (a header the sender wrote, under
    // another authserv-id, however it reads): ignored, and the reply is Alice's. Its
    // Message-ID was not kept by the refusal above.
    let untrusted = with_header("Authentication-Results: mx.caseboard.example.attacker.example; dmarc=fail", reply);
    let (status, report) =
        post_mail(&s, with_header("Authentication-Results: evil.example; dmarc=fail", untrusted)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    assert_eq!(replies(&timeline(&alice, number).await).len(), 1);

    // A sender's own "dmarc=pass" does not make a forged From acceptable: the address binding holds.
    let spoof = with_header(
        "Authentication-Results: mx.caseboard.example.attacker.example; dmarc=pass",
        fixture("spoofed-engineer-reply.eml", &fill),
    );
    let (_, report) = post_mail(&s, spoof).await;
    assert_eq!(report["reason"], "not_your_address", "{report}");

    // Intake of new cases by email honours it too.
    let chloe = s.demo("chloe@initech.example").await;
    let cases = chloe.case_count().await;
    let new_case = fixture("french-new-case.eml", &[]);
    let forged = with_header(
        "Authentication-Results: MX.Caseboard.Example 1; dmarc=fail header.from=initech.example",
        new_case.clone(),
    );
    let (status, report) = post_mail(&s, forged).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["reason"], "dmarc_fail", "{report}");
    assert_eq!(chloe.case_count().await, cases, "no case was opened");
    let passed =
        with_header("Authentication-Results: mx.caseboard.example; dmarc=pass header.from=initech.example", new_case);
    let (status, report) = post_mail(&s, passed).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{report}");
    assert_eq!(chloe.case_count().await, cases + 1);
}

#[tokio::test]
async fn bounces_carry_nothing_of_the_refused_message_and_are_limited_per_person_across_instances() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    // A second instance on the same database.
    let (url, database) = (sink.url(), s.config.database_url.clone());
    let other = common::start_with(None, move |config| {
        config.database_url = database;
        config.demo = false;
        config.mail.transport = app::backend::mail::MailTransport::Smtp(url);
        config.mail.mailgate_token = Some("gate-secret".into());
    })
    .await;
    let alice = s.demo("alice@acme.example").await;
    let number = open(&alice, "Bounce target").await;
    let before = timeline(&alice, number).await;
    // Olga's address (hostile text in the display name, subject and body) to Alice's reply address.
    let fill = [
        ("TO", reply_to(&s, number, "alice@acme.example").await),
        ("FROM", "olga@acme.example".to_owned()),
        ("CASE", number.to_string()),
    ];
    let limit = app::backend::mail::inbound::BOUNCES_PER_HOUR;
    for i in 0..limit + 2 {
        let instance = if i % 2 == 0 { &s } else { &other };
        let (status, report) = post_mail(instance, fixture("hostile-reply.eml", &fill)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(report["reason"], "not_your_address", "{report}");
        assert_eq!(report["bounced"], i < limit, "message {i}: {report}");
    }
    assert_eq!(timeline(&alice, number).await, before);

    let bounces = |m: &[Mail]| {
        m.iter().filter(|m| m.to == "olga@acme.example" && !m.subject.contains("[#")).cloned().collect::<Vec<_>>()
    };
    sink.wait_for("the bounces", |m| bounces(m).len() == limit as usize).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let sent = bounces(&sink.messages());
    assert_eq!(sent.len(), limit as usize, "at most {limit} an hour: {:#?}", summaries(&sent));
    for bounce in &sent {
        assert_eq!(bounce.subject, "Your email was not added to a case");
        for mark in ["MARK", "evil.example", "locked", "Support desk"] {
            let seen = [&bounce.subject, &bounce.text, &bounce.html, &bounce.raw].into_iter().any(|t| t.contains(mark));
            assert!(!seen, "the bounce holds {mark}: {}", bounce.raw);
        }
        assert!(bounce.text.contains("Hello Olga,"), "{}", bounce.text);
        assert!(bounce.text.contains("issued to someone else"), "{}", bounce.text);
        assert!(bounce.raw.contains("Auto-Submitted: auto-generated"));
    }
}

/// Issue #22, item 6: the confirmation mail states the plan's promises whole, in the plan's
/// own words, with its hours: Cloud Avenue Gold's P1 restore time, Coveo's hours.
#[tokio::test]
async fn the_confirmation_states_every_promise_in_the_plans_words_with_its_hours() {
    let sink = SmtpSink::start();
    let s = server_with_smtp(&sink.url()).await;
    let chloe = s.demo("chloe@initech.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let mut p1 = case_body("Shop down");
    p1["severity"] = json!(1);
    p1["details"] = json!({"impact": "No order can be taken."});
    let gold = chloe.new_case(&p1).await["number"].as_i64().unwrap();
    let coveo = bruno.new_case(&p1).await["number"].as_i64().unwrap();
    let mails = sink
        .wait_for("both confirmations", |m| {
            [gold, coveo].iter().all(|n| m.iter().any(|m| m.subject.contains(&format!("[#{n}]")) && m.to.ends_with(".example") && !m.to.starts_with("sam") && !m.to.starts_with("mei")))
        })
        .await;
    let to = |who: &str, n: i64| mails.iter().find(|m| m.to == who && m.subject.contains(&format!("[#{n}]"))).unwrap().text.clone();
    // Chloé reads French.
    let chloe_mail = to("chloe@initech.example", gold);
    assert!(chloe_mail.contains("Cloud Avenue Gold · P1"), "{chloe_mail}");
    assert!(chloe_mail.contains("Rétablissement au plus tard le "), "{chloe_mail}");
    assert!(!chloe_mail.contains("Aucun engagement"), "{chloe_mail}");
    let bruno_mail = to("bruno@globex.example", coveo);
    assert!(bruno_mail.contains("Coveo · Critical"), "{bruno_mail}");
    assert!(bruno_mail.contains("No time commitment for Critical on this plan."), "{bruno_mail}");
    assert!(bruno_mail.contains("Business hours: Mon–Fri, 06:00–18:00 (America/New_York time)."), "{bruno_mail}");
}
