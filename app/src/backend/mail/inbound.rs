//! Replies by email, and cases opened by email.
//!
//! - **Who may reply.** A message names its case by the signed tag in the address it was
//!   sent to, and that tag also names the one person the address was issued to (`thread`):
//!   the reply is accepted only when its sender (the From address, as mail-parser reads it,
//!   compared without regard to case) is that person. Anyone else writing to the address,
//!   a customer putting an engineer's or another customer's address in From included, is
//!   refused and nothing changes. Failing a tag, In-Reply-To/References thread a message
//!   only to a Message-ID Caseboard itself sent to this very sender. The sender must also
//!   still be allowed on the case.
//! - **Support replies by email** come only from an engineer (or admin) replying through an
//!   address issued to them; a customer's reply is always a customer's (a customer can never
//!   be the recipient of an address the engineer's reply would need).
//! - **Reply addresses of the earlier scheme** (`c1001-<hmac>`, signed for the case alone)
//!   are refused like forged ones; the bounce asks to reply to the latest notification,
//!   whose address is bound to its reader.
//! - **The receiving mail server's word** (`authentication`): when
//!   `CASEBOARD_MAIL_AUTHSERV_ID` names it, a `dmarc=fail` in its `Authentication-Results`
//!   refuses the message before anything else, replies and new cases alike. Nothing of such
//!   a message is kept (not even its Message-ID, which a forger chose) and nobody is told:
//!   its From is known to be forged. Headers of any other authserv-id are ignored.
//! - **Bounces** tell a known sender why nothing changed, in their language, with no text of
//!   the message (no subject, no body, no display name: only the reason), and at most
//!   `BOUNCES_PER_HOUR` per person, counted in the database so every instance counts
//!   together. Unknown senders and automatic messages are never answered.

use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders};
use serde::Serialize;

use super::MailSettings;
use super::authentication::{Dmarc, message_dmarc};
use super::quote::reply_text;
use super::thread::TagLookup;
use crate::backend::store::{NewAttachment, Store, UserRecord, fingerprint};
use crate::domain::case::SUMMARY_MAX_CHARS;
use crate::domain::event::REPLY_MAX_BYTES;
use crate::domain::{CaseChange, CaseDraft, CaseKind, CaseNumber, Environment, Role, Severity, Visibility};
use crate::error::{AppError, InvalidReason};

/// What became of an inbound message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InboundOutcome {
    /// Added to a case as a reply (and its attachments).
    ReplyAdded,
    /// A new case, opened by a known contact writing to the support address.
    CaseOpened,
    /// This Message-ID was handled before: nothing changed.
    Duplicate,
    /// An automatic message (out-of-office, bounce): not added, never answered.
    Ignored,
    /// Not added to any case: see `reason`.
    Refused,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InboundReport {
    pub outcome: InboundOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<i64>,
    /// Why it was refused: `not_participant`, `no_thread`, `not_your_address` (a reply address
    /// issued to someone else), `outdated_address` (a case-only reply address of the earlier
    /// scheme), `dmarc_fail`, `empty`, `intake_off`, `unknown_sender`, `too_long`, `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether the sender was told (a bounce is queued; never for an unknown or proven-forged
    /// sender, an automatic message, or past the per-person limit).
    pub bounced: bool,
    /// Attachments that were not kept, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused_attachments: Vec<String>,
}

impl InboundReport {
    fn done(outcome: InboundOutcome, case: Option<CaseNumber>) -> InboundReport {
        InboundReport {
            outcome,
            case: case.map(|n| n.0),
            reason: None,
            bounced: false,
            refused_attachments: Vec::new(),
        }
    }
}

/// Bounces one person may receive in an hour; further refusals are not answered.
pub const BOUNCES_PER_HOUR: i64 = 3;

/// A message as the rules need it, read and checked once.
struct Inbound<'a> {
    message: Message<'a>,
    message_id: String,
    sender: String,
    subject: String,
    automatic: bool,
}

/// Handles one raw RFC 822 message. `envelope_to` is the address the mail server delivered
/// it to, when the gateway knows it. `Err` is for messages that cannot be read at all
/// (malformed, oversized, header injection): refused before anything is looked up.
pub async fn receive(
    store: &Store,
    settings: &MailSettings,
    raw: &[u8],
    envelope_to: Option<&str>,
) -> Result<InboundReport, AppError> {
    let inbound = read(raw, settings.max_message_bytes)?;
    if message_dmarc(&inbound.message, settings.authserv_id.as_deref()) == Dmarc::Fail {
        // The From domain's owner disowns it: nothing is kept, nobody is told (the From is forged).
        tracing::warn!(sender = %inbound.sender, message = %fingerprint(raw), "inbound message refused: DMARC fail (trusted Authentication-Results)");
        return Ok(InboundReport {
            reason: Some("dmarc_fail".into()),
            ..InboundReport::done(InboundOutcome::Refused, None)
        });
    }
    if let Some((outcome, case)) = store.inbound_handled(&inbound.message_id).await? {
        tracing::info!(message_id = ?inbound.message_id, earlier = %outcome, "inbound message seen before: nothing changes");
        return Ok(InboundReport::done(InboundOutcome::Duplicate, case.map(CaseNumber)));
    }
    if inbound.automatic {
        tracing::info!(message_id = ?inbound.message_id, sender = %inbound.sender, "automatic message ignored");
        store.record_inbound(&inbound.message_id, &inbound.sender, "ignored", None).await?;
        return Ok(InboundReport::done(InboundOutcome::Ignored, None));
    }
    let mut user = store.user_by_email(&inbound.sender).await?;
    // A contact of a deactivated organization is answered as an unknown sender is: not at all.
    if let Some(organization_id) = user.as_ref().and_then(|u| u.organization_id)
        && !store.organization_active(organization_id).await?
    {
        user = None;
    }
    let Some(user) = user else {
        // Never answer an unknown sender: the address may be forged (backscatter).
        return refuse(store, settings, &inbound, None, "unknown_sender", None).await;
    };
    let recipients = recipients(&inbound.message, envelope_to);
    match super::reply_key(store).find_case(recipients.iter().map(String::as_str)) {
        TagLookup::Reply(tag) if tag.recipient == user.id => reply(store, settings, &inbound, &user, tag.case).await,
        TagLookup::Reply(tag) => {
            // Someone else's address: a forwarded notification, or a From that names another person.
            tracing::warn!(
                case = tag.case.0,
                issued_to = tag.recipient,
                sender_user = user.id,
                "reply address used by someone it was not issued to"
            );
            refuse(store, settings, &inbound, Some(&user), "not_your_address", None).await
        }
        TagLookup::Outdated(number) => {
            tracing::warn!(%number, sender_user = user.id, "reply to a case-only address of the earlier scheme");
            refuse(store, settings, &inbound, Some(&user), "outdated_address", None).await
        }
        TagLookup::Forged => {
            tracing::warn!(sender = %inbound.sender, "reply tag not signed by this installation");
            refuse(store, settings, &inbound, Some(&user), "no_thread", None).await
        }
        TagLookup::Untagged => match threaded_by_headers(store, &inbound.message, &user).await? {
            Threading::Case(number) => reply(store, settings, &inbound, &user, number).await,
            Threading::Unverified => {
                tracing::warn!(sender = %inbound.sender, "In-Reply-To/References name no message we sent to this sender");
                refuse(store, settings, &inbound, Some(&user), "no_thread", None).await
            }
            Threading::None if is_to_support(&recipients, settings) => {
                open_case(store, settings, &inbound, &user).await
            }
            Threading::None => refuse(store, settings, &inbound, Some(&user), "no_thread", None).await,
        },
    }
}

/// Parses and checks the message: size, one valid sender, a subject without control
/// characters (a CR/LF there is an injection attempt), a Message-ID (or the hash of the bytes).
fn read(raw: &[u8], max_bytes: usize) -> Result<Inbound<'_>, AppError> {
    if raw.len() > max_bytes {
        tracing::warn!(bytes = raw.len(), max_bytes, "inbound message too large");
        return Err(AppError::invalid("message", InvalidReason::TooLong { max: max_bytes }));
    }
    let malformed = |detail: &str| {
        tracing::warn!(detail, "inbound message refused");
        AppError::Malformed { detail: detail.to_owned() }
    };
    let message = MessageParser::default().parse(raw).ok_or_else(|| malformed("not an RFC 822 message"))?;
    if message.headers().is_empty() {
        return Err(malformed("no header section"));
    }
    let sender = single_address(message.from()).ok_or_else(|| malformed("From must name exactly one valid address"))?;
    let subject = message.subject().unwrap_or("").trim().to_owned();
    if subject.chars().any(char::is_control) {
        return Err(AppError::invalid("subject", InvalidReason::Malformed { detail: "control characters".into() }));
    }
    let message_id = match message.message_id() {
        Some(id) if !id.trim().is_empty() && !id.chars().any(char::is_control) => id.trim().to_owned(),
        Some(_) => return Err(malformed("Message-ID holds control characters")),
        None => format!("sha256:{}", fingerprint(raw)),
    };
    let automatic = is_automatic(&message, &sender);
    Ok(Inbound { message, message_id, sender, subject, automatic })
}

/// The one address of a From header, checked (no CR/LF or other control characters can pass).
fn single_address(from: Option<&Address<'_>>) -> Option<String> {
    let from = from?;
    let mut addresses = from.iter();
    let first = addresses.next()?.address()?.trim().to_owned();
    if addresses.next().is_some() || first.chars().any(char::is_control) {
        return None;
    }
    let options = email_address::Options { allow_display_text: false, ..Default::default() };
    email_address::EmailAddress::parse_with_options(&first, options).ok().map(|_| first.to_lowercase())
}

/// Out-of-office replies, bounces and list traffic (RFC 3834, RFC 2076): never added, never answered.
fn is_automatic(message: &Message<'_>, sender: &str) -> bool {
    let header = |name: &str| message.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    let auto_submitted = header("Auto-Submitted").is_some_and(|v| v != "no");
    let bulk = header("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "list" | "auto_reply"));
    let local = sender.split('@').next().unwrap_or("");
    let daemon = local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster");
    auto_submitted || bulk || daemon || header("X-Autoreply").is_some() || header("X-Autorespond").is_some()
}

/// Every address the message went to: To, Cc, Delivered-To, X-Original-To and the envelope.
fn recipients(message: &Message<'_>, envelope_to: Option<&str>) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for list in [message.to(), message.cc()].into_iter().flatten() {
        all.extend(list.iter().filter_map(|a| a.address()).map(|a| a.trim().to_lowercase()));
    }
    for name in ["Delivered-To", "X-Original-To"] {
        if let Some(value) = message.header_raw(name) {
            all.push(value.trim().trim_matches(['<', '>']).to_lowercase());
        }
    }
    if let Some(to) = envelope_to {
        all.push(to.trim().to_lowercase());
    }
    all
}

fn is_to_support(recipients: &[String], settings: &MailSettings) -> bool {
    let support = settings.from.email.to_string().to_lowercase();
    recipients.iter().any(|r| *r == support)
}

enum Threading {
    Case(CaseNumber),
    /// It refers to Caseboard messages, but none we sent to this sender.
    Unverified,
    /// It refers to no Caseboard message.
    None,
}

/// The fallback: In-Reply-To and References, trusted only for a Message-ID we sent to this
/// very person (a forged or guessed id, or one sent to someone else, threads nothing).
async fn threaded_by_headers(store: &Store, message: &Message<'_>, user: &UserRecord) -> Result<Threading, AppError> {
    let mut ids: Vec<String> = Vec::new();
    for value in [message.in_reply_to(), message.references()] {
        match value {
            HeaderValue::Text(id) => ids.push(id.to_string()),
            HeaderValue::TextList(list) => ids.extend(list.iter().map(|id| id.to_string())),
            _ => {}
        }
    }
    let mut refers_to_us = false;
    for id in ids {
        let local = id.trim().trim_matches(['<', '>']).split('@').next().unwrap_or("").to_owned();
        if local.starts_with("case-") {
            // Our thread root: it names a case but proves nothing.
            refers_to_us = true;
            continue;
        }
        if !local.starts_with("cb.") {
            continue;
        }
        refers_to_us = true;
        if let Some((case_id, recipient_id)) = store.sent_message(&local).await?
            && recipient_id == user.id
            && let Some(case) = store.case_by_id(case_id).await?
        {
            return Ok(Threading::Case(case.number));
        }
    }
    Ok(if refers_to_us { Threading::Unverified } else { Threading::None })
}

/// The new text of the message (quoted history and signature removed), and its attachments
/// split into kept and refused.
fn contents(inbound: &Inbound<'_>, settings: &MailSettings) -> (String, Vec<NewAttachment>, Vec<String>) {
    let text = inbound.message.body_text(0).map(|t| reply_text(&t)).unwrap_or_default();
    let mut kept = Vec::new();
    let mut refused = Vec::new();
    for part in inbound.message.attachments() {
        let name = part.attachment_name().unwrap_or("attachment").to_owned();
        match crate::backend::attachments::check(&name, part.contents().to_vec(), settings.max_attachment_bytes) {
            Ok(attachment) => kept.push(attachment),
            Err(e) => {
                tracing::info!(file = %name, error = %e, "attachment by email refused");
                refused.push(format!("{name}: {e}"));
            }
        }
    }
    (text, kept, refused)
}

async fn reply(
    store: &Store,
    settings: &MailSettings,
    inbound: &Inbound<'_>,
    user: &UserRecord,
    number: CaseNumber,
) -> Result<InboundReport, AppError> {
    if store.case_by_number(number, user.case_scope()).await?.is_none() {
        tracing::warn!(%number, sender = %inbound.sender, "reply by email from someone not on the case");
        return refuse(store, settings, inbound, Some(user), "not_participant", Some(number)).await;
    }
    let (text, attachments, refused) = contents(inbound, settings);
    if text.is_empty() && attachments.is_empty() {
        return refuse(store, settings, inbound, Some(user), "empty", Some(number)).await;
    }
    if text.len() > REPLY_MAX_BYTES {
        return refuse(store, settings, inbound, Some(user), "too_long", Some(number)).await;
    }
    // An email reply is always public: internal notes are written in the portal.
    let change = (!text.is_empty()).then(|| CaseChange::Reply {
        body: text,
        internal: false,
        from_support: user.role.is_support(),
    });
    let added = store
        .add_mail_reply(
            number,
            user.case_scope(),
            user.id,
            change.as_ref(),
            &attachments,
            &inbound.message_id,
            &inbound.sender,
        )
        .await?;
    let outcome = if added.is_some() { InboundOutcome::ReplyAdded } else { InboundOutcome::Duplicate };
    tracing::info!(%number, user = user.id, attachments = attachments.len(), ?outcome, "reply by email");
    Ok(InboundReport { refused_attachments: refused, ..InboundReport::done(outcome, Some(number)) })
}

/// A known contact wrote to the support address: a new case, if their organization allows it.
async fn open_case(
    store: &Store,
    settings: &MailSettings,
    inbound: &Inbound<'_>,
    user: &UserRecord,
) -> Result<InboundReport, AppError> {
    let Some(organization_id) = user.organization_id.filter(|_| user.role == Role::Customer) else {
        return refuse(store, settings, inbound, Some(user), "no_thread", None).await;
    };
    if !store.email_intake(organization_id).await? {
        return refuse(store, settings, inbound, Some(user), "intake_off", None).await;
    }
    let (text, attachments, refused) = contents(inbound, settings);
    let summary: String = match inbound.subject.as_str() {
        "" => text.lines().next().unwrap_or("").to_owned(),
        subject => subject.to_owned(),
    };
    let summary: String = summary.chars().take(SUMMARY_MAX_CHARS).collect();
    if text.is_empty() || summary.trim().is_empty() {
        return refuse(store, settings, inbound, Some(user), "empty", None).await;
    }
    let organization = store.organization_by_id(organization_id).await?.ok_or(AppError::Internal)?;
    let contract = crate::backend::contracts::contract_of(store, &organization).await?;
    // The plan's everyday level: Normal where it may be opened, else the least urgent allowed.
    let allowed = contract.plan_at(jiff::Timestamp::now()).allowed_severities();
    let severity = if allowed.contains(&Severity::Normal) {
        Severity::Normal
    } else {
        allowed.iter().copied().max_by_key(|s| s.level()).unwrap_or(Severity::Normal)
    };
    let draft = CaseDraft {
        summary,
        description: text,
        kind: CaseKind::Question,
        severity,
        environment: Environment::Production,
        visibility: Visibility::Organization,
        product: String::new(),
        details: Default::default(),
        attachments: Vec::new(),
    };
    // The Message-ID is the idempotency key: the same message delivered twice opens one case.
    let key = format!("mail:{}", &fingerprint(inbound.message_id.as_bytes())[..40]);
    let opened = match crate::backend::cases::open_case(store, user, draft, Some(&key)).await {
        Ok(opened) => opened,
        Err(AppError::Invalid { field, reason }) => {
            let detail = format!("{field} {reason}");
            return refuse(store, settings, inbound, Some(user), "invalid", None).await.map(|mut r| {
                r.reason = Some(detail);
                r
            });
        }
        Err(e) => return Err(e),
    };
    let number = opened.case.number;
    if opened.created && !attachments.is_empty() {
        store.add_attachments(number, user.case_scope(), user.id, &attachments, None).await?;
    }
    store.record_inbound(&inbound.message_id, &inbound.sender, "case_opened", Some(number)).await?;
    tracing::info!(%number, user = user.id, "case opened by email");
    let outcome = if opened.created { InboundOutcome::CaseOpened } else { InboundOutcome::Duplicate };
    Ok(InboundReport { refused_attachments: refused, ..InboundReport::done(outcome, Some(number)) })
}

/// Changes nothing; records and logs why, and tells a known sender (at most
/// `BOUNCES_PER_HOUR` times an hour). The bounce carries the reason only: nothing the
/// message said (subject, body, display name) reaches it.
async fn refuse(
    store: &Store,
    _settings: &MailSettings,
    inbound: &Inbound<'_>,
    user: Option<&UserRecord>,
    reason: &str,
    case: Option<CaseNumber>,
) -> Result<InboundReport, AppError> {
    tracing::warn!(sender = %inbound.sender, message_id = ?inbound.message_id, reason, case = ?case.map(|c| c.0), "inbound message refused: nothing changed");
    store.record_inbound(&inbound.message_id, &inbound.sender, &format!("refused:{reason}"), case).await?;
    let bounced = match user {
        Some(user) => {
            let payload = serde_json::json!({ "reason": reason });
            let since = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
            let queued = store.enqueue_bounce(user.id, &user.email, &payload, BOUNCES_PER_HOUR, since).await?;
            if !queued {
                tracing::info!(
                    user = user.id,
                    limit = BOUNCES_PER_HOUR,
                    "bounce not sent: hourly limit for this person reached"
                );
            }
            queued
        }
        None => false,
    };
    Ok(InboundReport {
        outcome: InboundOutcome::Refused,
        case: None,
        reason: Some(reason.to_owned()),
        bounced,
        refused_attachments: Vec::new(),
    })
}
