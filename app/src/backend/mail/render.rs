//! Turns an outbox row into the email itself, in the recipient's language (the Fluent files
//! in `app/locales/*/mail.ftl`, beside the portal's), as plain text and HTML. Rendered from
//! the log entry the row tells of: the entry is immutable, so a retry sends the same words.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use super::MailSettings;
use crate::backend::store::outbox::OutboxItem;
use crate::backend::store::{Store, UserRecord};
use crate::domain::plan::duration_in_words;
use crate::domain::sla::{SlaClockKind, clocks};
use crate::domain::{Case, CaseChange, CaseEvent, NotificationKind, SlaTarget};
use crate::error::AppError;

fluent_templates::static_loader! {
    static MAIL_TEXTS = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// `Auto-Submitted: auto-generated` (RFC 3834): auto-responders must not answer it, and
/// Caseboard ignores messages carrying it, so two robots never loop.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// The words of one message before it becomes MIME.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    /// Paragraphs; a quoted message body is one paragraph of its own.
    pub paragraphs: Vec<String>,
    /// The quoted message (a reply's body), shown as a quote.
    pub quote: Option<String>,
    pub footer: String,
}

struct Texts {
    language: LanguageIdentifier,
}

impl Texts {
    fn new(language: &str) -> Texts {
        Texts { language: language.parse().unwrap_or_else(|_| "en".parse().expect("en is a language")) }
    }

    fn get(&self, id: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone()))).collect();
        MAIL_TEXTS.lookup_with_args(&self.language, id, &map)
    }

    fn count(&self, id: &str, name: &'static str, n: u32) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = [(Cow::Borrowed(name), FluentValue::from(n))].into();
        MAIL_TEXTS.lookup_with_args(&self.language, id, &map)
    }
}

/// The message id of a notification's lead. Without the mail gateway there is no reply
/// address: the Feedback mail then asks for the answer in the portal only.
fn lead_id(kind: NotificationKind, settings: &MailSettings) -> String {
    if kind == NotificationKind::Feedback && settings.mailgate_token.is_none() {
        "mail-feedback-lead-portal".to_owned()
    } else {
        format!("mail-{}-lead", kind.as_str())
    }
}

/// One line for a header or a greeting: no control characters (CR/LF can never reach a
/// header, whatever a name or summary holds).
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The words of a notification about a log entry.
pub async fn notification_text(
    store: &Store,
    settings: &MailSettings,
    kind: NotificationKind,
    recipient: &UserRecord,
    case: &Case,
    event: &CaseEvent,
) -> Result<MailText, AppError> {
    // Defence in depth: whatever chose the recipients, an internal entry never goes to a customer.
    if event.change.is_internal() && !recipient.role.is_support() {
        tracing::error!(event = event.id, recipient = recipient.id, "refused to email an internal entry to a customer");
        return Err(AppError::Forbidden);
    }
    let t = Texts::new(&recipient.language);
    let number = case.number.0.to_string();
    let actor = event.actor.clone().unwrap_or_else(|| settings.app_name.clone());
    let severity = t.get(&format!("severity-{}", case.severity.level()), &[]);
    let mut args = vec![
        ("number", number.clone()),
        ("summary", one_line(&case.summary)),
        ("actor", one_line(&actor)),
        ("organization", case.organization_name.clone()),
        ("severity", severity.clone()),
        ("resolution", t.get(&format!("resolution-{}", case.resolution.as_str()), &[])),
    ];
    let severity_label = |s: crate::domain::Severity| t.get(&format!("severity-{}", s.level()), &[]);
    match &event.change {
        CaseChange::SeverityRaiseRequested { to, .. } => args.push(("to", severity_label(*to))),
        CaseChange::SeverityChanged { from, to } => {
            args.push(("from", severity_label(*from)));
            args.push(("to", severity_label(*to)));
        }
        _ => {}
    }
    if let CaseChange::SlaWarning { clock } | CaseChange::SlaBreached { clock } = &event.change {
        let id = match clock {
            SlaClockKind::InitialResponse => "sla-initial_response",
            SlaClockKind::Restore => "sla-restore",
        };
        args.push(("clock", t.get(id, &[])));
    }
    let subject = one_line(&t.get(&format!("mail-{}-subject", kind.as_str()), &args));
    let mut paragraphs =
        vec![t.get("mail-greeting", &[("name", one_line(&recipient.name))]), t.get(&lead_id(kind, settings), &args)];
    if kind == NotificationKind::CaseOpened {
        paragraphs.push(sla_promise(store, &t, case, &severity).await?);
    }
    let quote = match &event.change {
        CaseChange::Reply { body, internal: false, .. } => Some(body.clone()),
        CaseChange::SeverityRaiseRequested { reason, .. } => Some(reason.clone()),
        _ => None,
    };
    let case_url = format!("{}/cases/{}", settings.public_url, case.number.0);
    paragraphs.push(t.get("mail-view-case", &[("url", case_url)]));
    if settings.mailgate_token.is_some() {
        paragraphs.push(t.get("mail-reply-hint", &[]));
    }
    let footer = t.get(
        "mail-footer",
        &[
            ("number", number),
            ("app", settings.app_name.clone()),
            ("url", format!("{}/settings/notifications", settings.public_url)),
        ],
    );
    Ok(MailText { subject, paragraphs, quote, footer })
}

/// "First response by 2026-11-03 14:32 (Europe/Paris): Elastic cloud Premium, 1 – Urgent, 30 min, around the clock."
async fn sla_promise(store: &Store, t: &Texts, case: &Case, severity: &str) -> Result<String, AppError> {
    let Some(organization) = store.organization_by_slug(&case.organization).await? else {
        return Err(AppError::Internal);
    };
    let contract = crate::backend::contracts::contract_of(store, &organization).await?;
    let plan = contract.plan_at(case.opened_at).name.clone();
    let first = clocks(&contract, case.severity, case.opened_at, &[], case.opened_at)
        .into_iter()
        .find(|c| c.kind == SlaClockKind::InitialResponse);
    let (Some(due), Some(target)) = (first.as_ref().and_then(|c| c.due), first.as_ref().and_then(|c| c.target)) else {
        return Ok(t.get("mail-sla-none", &[("plan", plan), ("severity", severity.to_owned())]));
    };
    let zone = contract.calendar().time_zone.clone();
    let due_text = jiff::tz::TimeZone::get(&zone)
        .map(|tz| due.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| due.to_string());
    let target = match target {
        SlaTarget::Duration24x7(d) => t.get("sla-target-24x7", &[("duration", duration_in_words(d))]),
        SlaTarget::BusinessHours(hours) => t.count("sla-target-business-hours", "hours", hours),
        SlaTarget::BusinessDays(days) => t.count("sla-target-business-days", "days", days),
    };
    Ok(t.get(
        "mail-sla-promise",
        &[("due", due_text), ("zone", zone), ("plan", plan), ("severity", severity.to_owned()), ("target", target)],
    ))
}

/// The words of a bounce: why an inbound message changed nothing. Only the reason, from a
/// fixed list: nothing the refused message said (its subject, body, or the display name in
/// its From) reaches the bounce, which may go to a person whose address was forged.
pub fn bounce_text(settings: &MailSettings, recipient: &UserRecord, payload: &serde_json::Value) -> MailText {
    let t = Texts::new(&recipient.language);
    let reason = match payload["reason"].as_str().unwrap_or("") {
        "not_participant" => "mail-bounce-not-participant",
        "no_thread" => "mail-bounce-no-thread",
        "empty" => "mail-bounce-empty",
        "too_long" => "mail-bounce-too-long",
        "intake_off" => "mail-bounce-intake-off",
        "not_your_address" => "mail-bounce-not-your-address",
        "outdated_address" => "mail-bounce-outdated-address",
        _ => "mail-bounce-invalid",
    };
    MailText {
        subject: t.get("mail-bounce-subject", &[]),
        paragraphs: vec![
            t.get("mail-greeting", &[("name", one_line(&recipient.name))]),
            t.get("mail-bounce-lead", &[("reason", t.get(reason, &[]))]),
            t.get("mail-bounce-not-you", &[]),
        ],
        quote: None,
        footer: settings.app_name.clone(),
    }
}

/// The words of an invitation: who invites, into which organization, and the link.
pub fn invitation_text(settings: &MailSettings, recipient: &UserRecord, payload: &serde_json::Value) -> MailText {
    let t = Texts::new(&recipient.language);
    let field = |name: &str| one_line(payload[name].as_str().unwrap_or(""));
    let args =
        [("inviter", field("inviter")), ("organization", field("organization")), ("app", settings.app_name.clone())];
    MailText {
        subject: t.get("mail-invitation-subject", &args),
        paragraphs: vec![
            t.get("mail-greeting", &[("name", one_line(&recipient.name))]),
            t.get("mail-invitation-lead", &args),
            t.get("mail-invitation-link", &[("url", field("url")), ("expires", field("expires"))]),
        ],
        quote: None,
        footer: settings.app_name.clone(),
    }
}

/// The note to someone whose address another organization's admin tried to invite: the
/// account already exists, nothing was changed, and who to ask if it was expected.
pub fn invitation_existing_text(
    settings: &MailSettings,
    recipient: &UserRecord,
    payload: &serde_json::Value,
) -> MailText {
    let t = Texts::new(&recipient.language);
    let field = |name: &str| one_line(payload[name].as_str().unwrap_or(""));
    let args =
        [("inviter", field("inviter")), ("organization", field("organization")), ("app", settings.app_name.clone())];
    MailText {
        subject: t.get("mail-invitation-existing-subject", &args),
        paragraphs: vec![
            t.get("mail-greeting", &[("name", one_line(&recipient.name))]),
            t.get("mail-invitation-existing-lead", &args),
            t.get("mail-invitation-existing-next", &args),
        ],
        quote: None,
        footer: settings.app_name.clone(),
    }
}

impl MailText {
    pub fn plain(&self) -> String {
        let mut out = self.paragraphs[..self.paragraphs.len().min(2)].join("\n\n");
        if let Some(quote) = &self.quote {
            out.push_str("\n\n");
            for line in quote.lines() {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
        for paragraph in self.paragraphs.iter().skip(2) {
            out.push_str("\n\n");
            out.push_str(paragraph);
        }
        out.push_str("\n\n-- \n");
        out.push_str(&self.footer);
        out.push('\n');
        out
    }

    /// The same words as HTML; every piece of text is escaped (a summary or reply holding
    /// markup shows as text; the text sits in element content only, never in attributes).
    pub fn html(&self) -> String {
        let escape = |text: &str| html_escape::encode_text(text).into_owned();
        let mut out = String::from("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        let paragraph = |out: &mut String, text: &str| {
            out.push_str("<p>");
            out.push_str(&escape(text).replace('\n', "<br>"));
            out.push_str("</p>");
        };
        for text in self.paragraphs.iter().take(2) {
            paragraph(&mut out, text);
        }
        if let Some(quote) = &self.quote {
            out.push_str("<blockquote style=\"border-left:3px solid #ccc;margin:0;padding-left:1em\">");
            out.push_str(&escape(quote).replace('\n', "<br>"));
            out.push_str("</blockquote>");
        }
        for text in self.paragraphs.iter().skip(2) {
            paragraph(&mut out, text);
        }
        out.push_str("<hr><p style=\"color:#666;font-size:small\">");
        out.push_str(&escape(&self.footer));
        out.push_str("</p></body></html>");
        out
    }
}

/// The MIME message for an outbox row.
pub fn message(
    settings: &MailSettings,
    store: &Store,
    item: &OutboxItem,
    case: Option<&Case>,
    to: &UserRecord,
    text: &MailText,
    date: jiff::Timestamp,
) -> Result<lettre::Message, AppError> {
    let domain = settings.from.email.domain().to_owned();
    let to_address: lettre::Address = item.to_address.parse().map_err(|_| {
        tracing::warn!(outbox = item.id, "recipient address is not valid");
        AppError::invalid("to", crate::error::InvalidReason::NotAllowed)
    })?;
    let mut builder = lettre::Message::builder()
        .from(settings.from.clone())
        .to(Mailbox::new(Some(one_line(&to.name)), to_address))
        .subject(text.subject.clone())
        .date(std::time::SystemTime::try_from(date).unwrap_or_else(|_| std::time::SystemTime::now()))
        .message_id(Some(format!("<{}@{domain}>", item.message_id)))
        .header(AutoSubmitted);
    if let Some(case) = case {
        // Every message of a case names the same thread root, so mail programs group them.
        let root = format!("<case-{}@{domain}>", case.number.0);
        builder = builder.in_reply_to(root.clone()).references(root);
        // Replies go to the signed address only when inbound mail is on (else nowhere useful);
        // the address is this recipient's own, and a reply through it is accepted only from them.
        if let Some(reply_to) = super::reply_address(store, settings, case.number, to.id).and_then(|a| a.parse().ok()) {
            builder = builder.reply_to(Mailbox::new(settings.from.name.clone(), reply_to));
        }
    }
    builder.multipart(MultiPart::alternative_plain_html(text.plain(), text.html())).map_err(|e| {
        tracing::error!(outbox = item.id, error = %e, "cannot build the message");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mail_text_exists_in_french_and_chinese() {
        let ids = [
            "mail-greeting",
            "mail-case_opened-subject",
            "mail-support_replied-subject",
            "mail-feedback-subject",
            "mail-resolved-lead",
            "mail-sla_breached-lead",
            "mail-bounce-no-thread",
            "mail-bounce-subject",
            "mail-bounce-lead",
            "mail-bounce-not-you",
            "mail-bounce-too-long",
            "mail-bounce-not-your-address",
            "mail-bounce-outdated-address",
            "mail-bounce-invalid",
            "mail-reply-hint",
        ];
        let args: Vec<(&'static str, String)> = [
            "name",
            "number",
            "summary",
            "actor",
            "organization",
            "severity",
            "resolution",
            "clock",
            "subject",
            "reason",
        ]
        .into_iter()
        .map(|k| (k, "x".to_owned()))
        .collect();
        for id in ids {
            let en = Texts::new("en").get(id, &args);
            assert!(!en.starts_with("Unknown localization key"), "{id}: {en}");
            for language in ["fr", "zh"] {
                let other = Texts::new(language).get(id, &args);
                assert!(!other.starts_with("Unknown localization key"), "{id} in {language}: {other}");
                assert_ne!(other, en, "{id} is not translated into {language}");
            }
        }
    }

    #[test]
    fn html_escapes_what_people_wrote() {
        let text = MailText {
            subject: "s".into(),
            paragraphs: vec!["Hello <b>x</b>,".into(), "lead".into()],
            quote: Some("<script>alert(1)</script>".into()),
            footer: "f".into(),
        };
        let html = text.html();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(text.plain().contains("    <script>alert(1)</script>"));
    }

    #[test]
    fn a_bounce_says_only_why_whatever_its_payload_holds() {
        let settings = MailSettings::file_outbox("/nonexistent".into(), "http://127.0.0.1");
        let recipient = UserRecord {
            id: 7,
            email: "sam@caseboard.example".into(),
            name: "Sam Okafor".into(),
            role: crate::domain::Role::Engineer,
            organization_id: None,
            organization_slug: None,
            org_admin: false,
            password_hash: String::new(),
            language: "en".into(),
            language_chosen: false,
            phone: None,
            opens_cases: false,
        };
        // Rows queued before bounces lost their subject still hold one; it is not read.
        let payload = serde_json::json!({"reason": "not_your_address", "subject": "ATTACKER", "detail": "ATTACKER"});
        let text = bounce_text(&settings, &recipient, &payload);
        let all = format!("{}\n{}\n{}", text.subject, text.plain(), text.html());
        assert!(!all.contains("ATTACKER"), "{all}");
        assert!(text.plain().contains("issued to someone else"), "{}", text.plain());
        // An unknown or internal reason is never shown as such.
        let text = bounce_text(&settings, &recipient, &serde_json::json!({"reason": "summary ATTACKER"}));
        assert!(!text.plain().contains("ATTACKER"));
        for (reason, words) in [("too_long", "longer than a reply"), ("outdated_address", "latest notification")] {
            let text = bounce_text(&settings, &recipient, &serde_json::json!({ "reason": reason }));
            assert!(text.plain().contains(words), "{reason}: {}", text.plain());
        }
    }

    #[test]
    fn header_text_is_one_line() {
        assert_eq!(one_line("Export\r\nBcc: evil@example.com"), "Export  Bcc: evil@example.com");
    }
}
