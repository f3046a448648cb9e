//! Turns outbox rows into the email itself, in the recipient's language (the Fluent files
//! in `app/locales/*/mail.ftl`, beside the portal's), as plain text and HTML. Rendered from
//! the log entries the rows tell of (several when news of one case to one person was
//! gathered into one message): entries are immutable, so a retry sends the same words.

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
use crate::domain::{Case, CaseChange, CaseEvent, NotificationKind, SlaTarget, first_name};
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

/// One piece of a message's body, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    /// Someone's words (a reply's body, a reason), shown as a quote.
    Quote(String),
    /// A link: a button in the HTML part; `text` (which holds the URL itself) in the plain one.
    Button {
        label: String,
        url: String,
        text: String,
    },
}

/// The words of one message before it becomes MIME.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub blocks: Vec<Block>,
    pub footer: String,
    /// The From display name when the message carries a person's words ("Sam Okafor via
    /// Caseboard Support"); `None`: the support address's own name.
    pub from_name: Option<String>,
}

/// One log entry a notification tells of, with what its outbox row adds.
#[derive(Clone, Debug)]
pub struct Notice {
    pub kind: NotificationKind,
    pub event: CaseEvent,
    /// The row's payload (`took_it` on a takeover notice: the new engineer took the case).
    pub payload: serde_json::Value,
}

pub(super) struct Texts {
    language: LanguageIdentifier,
}

impl Texts {
    pub(super) fn new(language: &str) -> Texts {
        Texts { language: language.parse().unwrap_or_else(|_| "en".parse().expect("en is a language")) }
    }

    pub(super) fn get(&self, id: &str, args: &[(&'static str, String)]) -> String {
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
/// address: the Feedback mail then asks for the answer in the portal only. A takeover says
/// whether the new engineer took the case or was given it.
fn lead_id(notice: &Notice, settings: &MailSettings) -> String {
    match notice.kind {
        NotificationKind::Feedback if settings.mailgate_token.is_none() => "mail-feedback-lead-portal".to_owned(),
        NotificationKind::TakenOver if notice.payload["took_it"] == true => "mail-taken_over-lead-self".to_owned(),
        kind => format!("mail-{}-lead", kind.as_str()),
    }
}

/// The longest display name put in a From header (a name is the person's own text).
const FROM_NAME_MAX_CHARS: usize = 64;

/// One line for a header or a greeting: no control characters nor line separators (CR/LF
/// can never reach a header, whatever a name or summary holds).
pub(super) fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect()
}

/// A person's name as mail shows it: one line, without the invisible characters that
/// reorder text (a name ending in U+202E would show what follows it backwards: "via
/// Caseboard Support" in a From, "replied on the case" in a lead).
fn person_name(name: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    one_line(name).chars().filter(|&c| !bidi(c)).collect::<String>().trim().to_owned()
}

/// A person's name as a From display name: [`person_name`], at most `FROM_NAME_MAX_CHARS`.
fn sender_name(name: &str) -> String {
    person_name(name).chars().take(FROM_NAME_MAX_CHARS).collect()
}

/// The greeting, by the recipient's first name where the language greets so ("Hello Alice,";
/// Chinese greets by the whole name).
pub(super) fn greeting(t: &Texts, recipient: &UserRecord) -> Block {
    let name = person_name(&recipient.name);
    Block::Paragraph(t.get("mail-greeting", &[("first", first_name(&name).to_owned()), ("name", name.clone())]))
}

/// The words of a notification about one or more log entries of one case (in log order):
/// one lead per entry, with its quote or promise; the subject of the newest entry, after
/// the case's tag (`[#1005]`, the same in every language so that mail filters work).
pub async fn notification_text(
    store: &Store,
    settings: &MailSettings,
    recipient: &UserRecord,
    case: &Case,
    notices: &[Notice],
) -> Result<MailText, AppError> {
    // Defence in depth: whatever chose the recipients, an internal entry never goes to a customer.
    if notices.iter().any(|n| n.event.change.is_internal()) && !recipient.role.is_support() {
        let event = notices.iter().find(|n| n.event.change.is_internal()).map(|n| n.event.id);
        tracing::error!(event, recipient = recipient.id, "refused to email an internal entry to a customer");
        return Err(AppError::Forbidden);
    }
    let Some(newest) = notices.last() else { return Err(AppError::Internal) };
    let t = Texts::new(&recipient.language);
    let number = case.number.0.to_string();
    let contract = match store.organization_by_slug(&case.organization).await? {
        Some(organization) => Some(crate::backend::contracts::contract_of(store, &organization).await?),
        None => None,
    };
    let subject = t.get(&format!("mail-{}-subject", newest.kind.as_str()), &notice_args(&t, settings, case, newest, contract.as_ref()));
    let subject = one_line(&format!("[#{number}] {subject}"));
    let mut blocks = vec![greeting(&t, recipient)];
    for notice in notices {
        blocks.push(Block::Paragraph(t.get(&lead_id(notice, settings), &notice_args(&t, settings, case, notice, contract.as_ref()))));
        if notice.kind == NotificationKind::CaseOpened
            && let Some(contract) = &contract
        {
            for line in sla_promise(&t, contract, case, &recipient.language) {
                blocks.push(Block::Paragraph(line));
            }
        }
        match &notice.event.change {
            CaseChange::Reply { body, internal: false, .. } => blocks.push(Block::Quote(body.clone())),
            CaseChange::SeverityRaiseRequested { reason, .. } => blocks.push(Block::Quote(reason.clone())),
            _ => {}
        }
    }
    let case_url = format!("{}/cases/{}", settings.public_url, case.number.0);
    blocks.push(Block::Button {
        label: t.get("mail-view-case-button", &[("number", number.clone())]),
        text: t.get("mail-view-case", &[("url", case_url.clone())]),
        url: case_url,
    });
    // Only with the gateway does a reply by email go anywhere (the Reply-To is set then only).
    if settings.mailgate_token.is_some() {
        blocks.push(Block::Paragraph(t.get("mail-reply-hint", &[])));
    }
    let footer = t.get(
        "mail-footer",
        &[
            ("number", number),
            ("app", settings.app_name.clone()),
            ("url", format!("{}/settings/notifications", settings.public_url)),
        ],
    );
    Ok(MailText { subject, blocks, footer, from_name: from_name(&t, settings, notices) })
}

/// The arguments of one notice's subject and lead.
fn notice_args(
    t: &Texts,
    settings: &MailSettings,
    case: &Case,
    notice: &Notice,
    contract: Option<&crate::domain::Contract>,
) -> Vec<(&'static str, String)> {
    let event = &notice.event;
    let actor = event.actor.clone().unwrap_or_else(|| settings.app_name.clone());
    let plan = contract.map(|c| c.plan_at(case.opened_at));
    let severity_label = |s: crate::domain::Severity| severity_words(t, plan, s);
    let mut args = vec![
        ("number", case.number.0.to_string()),
        ("summary", one_line(&case.summary)),
        ("actor", person_name(&actor)),
        ("organization", one_line(&case.organization_name)),
        ("severity", severity_label(case.severity)),
        ("resolution", t.get(&format!("resolution-{}", case.resolution.as_str()), &[])),
    ];
    match &event.change {
        CaseChange::SeverityRaiseRequested { to, .. } => args.push(("to", severity_label(*to))),
        CaseChange::SeverityChanged { from, to } => {
            args.push(("from", severity_label(*from)));
            args.push(("to", severity_label(*to)));
        }
        CaseChange::Assigned { engineer, .. } => {
            args.push(("engineer", person_name(engineer.as_deref().unwrap_or(&settings.app_name))));
        }
        CaseChange::SlaWarning { clock } | CaseChange::SlaBreached { clock } => {
            let id = match clock {
                SlaClockKind::InitialResponse => "sla-initial_response",
                SlaClockKind::Restore => "sla-restore",
            };
            args.push(("clock", t.get(id, &[])));
        }
        _ => {}
    }
    args
}

/// "Sam Okafor via Caseboard Support" when the message carries the public replies of one
/// person (their words are why it was sent); else `None`, the support address's own name.
fn from_name(t: &Texts, settings: &MailSettings, notices: &[Notice]) -> Option<String> {
    let mut people = notices.iter().filter_map(|n| match (&n.event.change, &n.event.actor) {
        (CaseChange::Reply { internal: false, .. }, Some(actor)) => Some(actor.as_str()),
        _ => None,
    });
    let person = people.next()?;
    if people.any(|other| other != person) {
        return None;
    }
    let person = sender_name(person);
    let support = settings.from.name.clone().unwrap_or_else(|| settings.app_name.clone());
    Some(one_line(&t.get("mail-from-person", &[("person", person), ("support", support)])))
}

/// A severity as the case's plan names it ("Critical", "P1"), else the generic "1 – Urgent".
fn severity_words(t: &Texts, plan: Option<&crate::domain::SupportPlan>, severity: crate::domain::Severity) -> String {
    match plan.and_then(|p| p.own_label(severity)) {
        Some(word) => {
            let text = t.get(&format!("plan-severity-{}", word.to_lowercase()), &[]);
            if text.starts_with("Unknown localization") { word.to_owned() } else { text }
        }
        None => t.get(&format!("severity-{}", severity.level()), &[]),
    }
}

/// The plan's promises for the case's severity, whole, as the case page states them: the
/// plan and the severity in its own words, every clock with its due time in the
/// organization's zone, and the hours support counts in.
fn sla_promise(t: &Texts, contract: &crate::domain::Contract, case: &Case, language: &str) -> Vec<String> {
    let plan = contract.plan_at(case.opened_at);
    let severity = severity_words(t, Some(plan), case.severity);
    let mut lines = vec![t.get("mail-sla-plan", &[("plan", plan.name.clone()), ("severity", severity.clone())])];
    let calendar = contract.calendar();
    let zone = jiff::tz::TimeZone::get(&calendar.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let mut any = false;
    for clock in clocks(contract, case.severity, case.opened_at, &[], case.opened_at) {
        let (Some(due), Some(target)) = (clock.due, clock.target) else { continue };
        any = true;
        let kind = match clock.kind {
            SlaClockKind::InitialResponse => "sla-initial_response",
            SlaClockKind::Restore => "sla-restore",
        };
        let target = match target {
            SlaTarget::Duration24x7(d) => t.get("sla-target-24x7", &[("duration", duration_in_words(d))]),
            SlaTarget::BusinessHours(hours) => t.count("sla-target-business-hours", "hours", hours),
            SlaTarget::BusinessDays(days) => t.count("sla-target-business-days", "days", days),
        };
        lines.push(t.get(
            "mail-sla-clock",
            &[
                ("clock", t.get(kind, &[])),
                ("due", crate::formatting::date_time(due, &zone, language)),
                ("target", target),
            ],
        ));
    }
    if !any {
        lines.push(t.get("promises-none", &[("severity", severity)]));
    }
    if calendar.is_around_the_clock() {
        lines.push(t.get("coverage-24x7", &[]));
    } else {
        let separator = t.get("list-separator", &[]);
        let day = |d| crate::formatting::weekday(d, language, crate::formatting::Width::Short);
        let days: Vec<String> = calendar
            .day_runs()
            .into_iter()
            .map(|(a, b)| if a == b { day(a) } else { format!("{}–{}", day(a), day(b)) })
            .collect();
        let hours: Vec<String> = calendar.windows.iter().map(|w| format!("{}–{}", w.start, w.end)).collect();
        lines.push(t.get(
            "coverage-hours",
            &[("days", days.join(&separator)), ("hours", hours.join(&separator)), ("zone", calendar.time_zone.clone())],
        ));
    }
    lines
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
        blocks: vec![
            greeting(&t, recipient),
            Block::Paragraph(t.get("mail-bounce-lead", &[("reason", t.get(reason, &[]))])),
            Block::Paragraph(t.get("mail-bounce-not-you", &[])),
        ],
        footer: settings.app_name.clone(),
        from_name: None,
    }
}

/// The words of an invitation: who invites, into which organization, and the link.
pub fn invitation_text(settings: &MailSettings, recipient: &UserRecord, payload: &serde_json::Value) -> MailText {
    let t = Texts::new(&recipient.language);
    let field = |name: &str| one_line(payload[name].as_str().unwrap_or(""));
    let args =
        [("inviter", field("inviter")), ("organization", field("organization")), ("app", settings.app_name.clone())];
    MailText {
        subject: one_line(&t.get("mail-invitation-subject", &args)),
        blocks: vec![
            greeting(&t, recipient),
            Block::Paragraph(t.get("mail-invitation-lead", &args)),
            Block::Paragraph(t.get("mail-invitation-link", &[("url", field("url")), ("expires", field("expires"))])),
        ],
        footer: settings.app_name.clone(),
        from_name: None,
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
        subject: one_line(&t.get("mail-invitation-existing-subject", &args)),
        blocks: vec![
            greeting(&t, recipient),
            Block::Paragraph(t.get("mail-invitation-existing-lead", &args)),
            Block::Paragraph(t.get("mail-invitation-existing-next", &args)),
        ],
        footer: settings.app_name.clone(),
        from_name: None,
    }
}

/// The colour of the case button (white text on it passes WCAG AA contrast).
const BUTTON_COLOUR: &str = "#1d4ed8";

impl MailText {
    pub fn plain(&self) -> String {
        let blocks: Vec<String> = self
            .blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph(text) => text.clone(),
                Block::Quote(quote) => quote.lines().map(|line| format!("    {line}")).collect::<Vec<_>>().join("\n"),
                Block::Button { text, .. } => text.clone(),
            })
            .collect();
        format!("{}\n\n-- \n{}\n", blocks.join("\n\n"), self.footer)
    }

    /// The same words as HTML; every piece of text is escaped (a summary or reply holding
    /// markup shows as text). The one attribute holding text is the button's link, escaped
    /// for a quoted attribute. Styles are inline (mail programs drop style sheets); the
    /// button is a table cell around a link, which every mail program draws.
    pub fn html(&self) -> String {
        let escape = |text: &str| html_escape::encode_text(text).replace('\n', "<br>");
        let mut out = String::from("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        for block in &self.blocks {
            match block {
                Block::Paragraph(text) => {
                    out.push_str("<p>");
                    out.push_str(&escape(text));
                    out.push_str("</p>");
                }
                Block::Quote(quote) => {
                    out.push_str("<blockquote style=\"border-left:3px solid #ccc;margin:0;padding-left:1em\">");
                    out.push_str(&escape(quote));
                    out.push_str("</blockquote>");
                }
                Block::Button { label, url, .. } => {
                    let href = html_escape::encode_double_quoted_attribute(url);
                    out.push_str(&format!(
                        "<table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" \
                         style=\"margin:16px 0\"><tr><td style=\"border-radius:6px;background-color:{BUTTON_COLOUR}\">\
                         <a href=\"{href}\" style=\"display:inline-block;padding:10px 20px;border-radius:6px;\
                         background-color:{BUTTON_COLOUR};color:#ffffff;font-family:sans-serif;font-size:15px;\
                         font-weight:bold;text-decoration:none\">{}</a></td></tr></table>",
                        escape(label)
                    ));
                }
            }
        }
        out.push_str("<hr><p style=\"color:#666;font-size:small\">");
        out.push_str(&escape(&self.footer));
        out.push_str("</p></body></html>");
        out
    }
}

/// The MIME message for an outbox row (the first of the rows it tells of).
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
    // The display name is set through lettre's `Mailbox`, which quotes or encodes it
    // (RFC 5322 / RFC 2047): whatever a person's name holds, it stays one display name.
    let from = match &text.from_name {
        Some(name) => Mailbox::new(Some(name.clone()), settings.from.email.clone()),
        None => settings.from.clone(),
    };
    let mut builder = lettre::Message::builder()
        .from(from)
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
            "mail-view-case-button",
            "mail-taken_over-subject",
            "mail-taken_over-lead",
            "mail-taken_over-lead-self",
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
            "first",
            "engineer",
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
            blocks: vec![
                Block::Paragraph("Hello <b>x</b>,".into()),
                Block::Quote("<script>alert(1)</script>".into()),
                Block::Button {
                    label: "<i>View</i>".into(),
                    url: "https://x.example/cases/1?a=1&b=\"><script>".into(),
                    text: "See: https://x.example/cases/1".into(),
                },
            ],
            footer: "f".into(),
            from_name: None,
        };
        let html = text.html();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("href=\"https://x.example/cases/1?a=1&amp;b=&quot;&gt;&lt;script&gt;\""), "{html}");
        let plain = text.plain();
        assert!(plain.contains("    <script>alert(1)</script>"));
        assert!(plain.contains("See: https://x.example/cases/1"), "the plain part keeps the URL: {plain}");
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
        assert_eq!(one_line("a\u{2028}b\u{2029}c"), "a b c");
    }

    #[test]
    fn a_senders_name_loses_what_would_reorder_or_break_the_from_header() {
        assert_eq!(sender_name(" Eve\u{202E}troppus \r\n"), "Evetroppus");
        assert_eq!(sender_name("\u{2066}Sam\u{2069} Okafor"), "Sam Okafor");
        assert_eq!(sender_name(&"x".repeat(200)).len(), FROM_NAME_MAX_CHARS);
    }
}
