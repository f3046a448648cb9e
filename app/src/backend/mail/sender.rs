//! Sends the outbox after commit: wakes on every commit of this instance and polls for the
//! rest (other instances' rows, retries, notifications whose gathering window closed). A
//! message (one row, or a person's gathered rows about one case) is claimed under a lease,
//! sent, then marked sent; a mail server that is down only delays it (backoff up to
//! `retry_max`), it never loses it and never holds up a request.

use std::time::Duration;

use jiff::Timestamp;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::render::{Notice, bounce_text, invitation_existing_text, invitation_text, message, notification_text};
use super::{MailSettings, MailTransport};
use crate::backend::store::Store;
use crate::backend::store::outbox::OutboxMail;
use crate::domain::NotificationKind;
use crate::error::AppError;

/// How long a claimed message is this instance's before another may take it.
const LEASE: Duration = Duration::from_secs(120);
/// How often to look for mail other instances queued or that is due again.
const POLL: Duration = Duration::from_secs(5);
const BATCH: i64 = 64;
/// Messages in flight at once (lettre's pool keeps up to 10 SMTP connections): one slow
/// round trip does not hold up the rest.
const CONCURRENT_SENDS: usize = 8;

enum Delivery {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(std::path::PathBuf),
}

/// Why a message was not sent.
enum SendError {
    /// Try again later (server down, temporary refusal).
    Later(String),
    /// It can never be sent as it is (a bad address, a missing case); kept, not retried soon.
    Never(String),
}

fn delivery(settings: &MailSettings) -> Result<Delivery, String> {
    Ok(match &settings.transport {
        MailTransport::Smtp(url) => Delivery::Smtp(
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| format!("CASEBOARD_SMTP_URL: {e}"))?
                .timeout(Some(Duration::from_secs(20)))
                .build(),
        ),
        MailTransport::Files(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create the mail outbox {}: {e}", dir.display()))?;
            Delivery::Files(dir.clone())
        }
    })
}

/// One pass of the sender as of `now`: sends what is due then (up to one batch) and
/// returns how many outbox rows it claimed. The running sender passes the real time; a test
/// passes a later one to see what a gathering window sends once it has closed.
pub async fn pass(store: &Store, settings: &MailSettings, now: Timestamp) -> Result<usize, String> {
    send_due(store, settings, &delivery(settings)?, now).await.map_err(|e| e.to_string())
}

/// Starts the sender for this instance.
pub fn spawn(store: Store, settings: MailSettings) -> Result<(), String> {
    let delivery = delivery(&settings)?;
    // Woken after every commit (mail may have been queued), else at the next due time.
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let woken = wake.clone();
    store.after_commit(move |_| woken.notify_one());
    tokio::spawn(async move {
        loop {
            let sent = match send_due(&store, &settings, &delivery, Timestamp::now()).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "mail outbox pass failed");
                    0
                }
            };
            if sent >= BATCH as usize {
                continue;
            }
            let next = store.next_mail_due().await.ok().flatten();
            let wait = next
                .map(|due| Duration::try_from(due.duration_since(Timestamp::now())).unwrap_or(Duration::ZERO))
                .map_or(POLL, |d| d.min(POLL));
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(wait.max(Duration::from_millis(20))) => {}
            }
        }
    });
    Ok(())
}

/// Sends what is due at `now`, several at a time; returns how many rows were claimed (a
/// full batch: look again at once). Each message is marked sent (all its rows) as soon as
/// the server takes it.
async fn send_due(
    store: &Store,
    settings: &MailSettings,
    delivery: &Delivery,
    now: Timestamp,
) -> Result<usize, AppError> {
    use futures::StreamExt;
    let mails = store.claim_mail(now, LEASE, BATCH).await?;
    let claimed = mails.len();
    let rows: usize = mails.iter().map(|m| m.rows.len()).sum();
    let results: Vec<Result<(), AppError>> = futures::stream::iter(mails)
        .map(|mail| async move {
            let first = mail.first();
            match send_one(store, settings, delivery, &mail).await {
                Ok(()) => {
                    tracing::debug!(outbox = first.id, rows = mail.rows.len(), kind = %first.kind, "mail sent");
                    store.mail_sent(&mail.ids()).await
                }
                Err(SendError::Later(e)) => {
                    tracing::warn!(outbox = first.id, attempts = first.attempts, error = %e, "mail not sent; will retry");
                    store.mail_failed(&mail.ids(), retry_at(settings, first.attempts), &e).await
                }
                Err(SendError::Never(e)) => {
                    tracing::error!(outbox = first.id, error = %e, "mail cannot be sent as it is; kept in the outbox");
                    store.mail_failed(&mail.ids(), Timestamp::now() + jiff::SignedDuration::from_hours(24), &e).await
                }
            }
        })
        .buffer_unordered(CONCURRENT_SENDS)
        .collect()
        .await;
    results.into_iter().collect::<Result<(), AppError>>()?;
    tracing::trace!(claimed, rows, "outbox pass");
    Ok(rows)
}

/// Exponential backoff: 1 s, 2 s, 4 s… up to `retry_max`.
fn retry_at(settings: &MailSettings, attempts: i64) -> Timestamp {
    let secs =
        1u64.checked_shl(attempts.clamp(0, 30) as u32).unwrap_or(u64::MAX).min(settings.retry_max.as_secs().max(1));
    Timestamp::now() + jiff::SignedDuration::from_secs(secs as i64)
}

async fn send_one(
    store: &Store,
    settings: &MailSettings,
    delivery: &Delivery,
    mail: &OutboxMail,
) -> Result<(), SendError> {
    let never = |what: &str| SendError::Never(what.to_owned());
    let internal = |e: AppError| SendError::Later(format!("reading the outbox row: {e}"));
    let item = mail.first();
    let recipient = match item.recipient_id {
        Some(id) => store.user_by_id(id).await.map_err(internal)?.ok_or_else(|| never("recipient gone"))?,
        // A mail to an address without an account (a registration's): its payload says to whom.
        None if super::registration::KINDS.contains(&item.kind.as_str()) => {
            let payload = serde_json::from_str(&item.payload).map_err(|_| never("bad payload"))?;
            super::registration::addressee(item, &payload)
        }
        None => return Err(never("no recipient")),
    };
    let (case, text, date) = match (item.event_id, item.case_id) {
        (Some(_), Some(case_id)) => {
            let case = store.case_by_id(case_id).await.map_err(internal)?.ok_or_else(|| never("case gone"))?;
            let mut notices = Vec::with_capacity(mail.rows.len());
            for row in &mail.rows {
                let kind = NotificationKind::parse(&row.kind).ok_or_else(|| never("unknown kind"))?;
                let event_id = row.event_id.ok_or_else(|| never("no event"))?;
                let event = store.event_by_id(event_id).await.map_err(internal)?.ok_or_else(|| never("event gone"))?;
                let payload = serde_json::from_str(&row.payload).map_err(|_| never("bad payload"))?;
                notices.push(Notice { kind, event, payload });
            }
            let date = notices.last().map_or_else(Timestamp::now, |n| n.event.at);
            let text = notification_text(store, settings, &recipient, &case, &notices)
                .await
                .map_err(|e| never(&format!("cannot render: {e}")))?;
            (Some(case), text, date)
        }
        _ => {
            let payload: serde_json::Value = serde_json::from_str(&item.payload).map_err(|_| never("bad payload"))?;
            let text = match item.kind.as_str() {
                "invitation" => invitation_text(settings, &recipient, &payload),
                "invitation_existing" => invitation_existing_text(settings, &recipient, &payload),
                "password_reset" => super::password_reset::password_reset_text(settings, &recipient, &payload),
                "hours_warning" => super::hours::hours_warning_text(settings, &recipient, &payload),
                kind if super::registration::KINDS.contains(&kind) => {
                    super::registration::registration_text(settings, kind, &recipient, &payload)
                }
                _ => bounce_text(settings, &recipient, &payload),
            };
            (None, text, Timestamp::now())
        }
    };
    // Dated when it happened, so a message delayed by a mail outage sorts where it belongs.
    let message =
        message(settings, store, item, case.as_ref(), &recipient, &text, date).map_err(|e| never(&e.to_string()))?;
    match delivery {
        Delivery::Smtp(transport) => match transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Never(e.to_string())),
            Err(e) => Err(SendError::Later(e.to_string())),
        },
        Delivery::Files(dir) => {
            // Named after its kinds (a gathered message's first few), for whoever looks in the folder.
            let mut kinds: Vec<&str> = mail.rows.iter().map(|r| r.kind.as_str()).collect();
            kinds.dedup();
            let name = format!("{:08}-{}.eml", item.id, kinds[..kinds.len().min(3)].join("+"));
            let partial = dir.join(format!(".{name}.part"));
            tokio::fs::write(&partial, message.formatted()).await.map_err(|e| SendError::Later(e.to_string()))?;
            tokio::fs::rename(&partial, dir.join(name)).await.map_err(|e| SendError::Later(e.to_string()))
        }
    }
}
