//! The transactional outbox: who is emailed about a log entry is decided and written in the
//! very transaction that appends the entry, so a committed change always has its mail and a
//! rolled-back one never does. Sending happens after commit (`sender`), claimed under a
//! lease so that one instance sends each row, and retried until the mail server takes it.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, flag};
use crate::domain::{Audience, BusinessCalendar, CaseChange, NotificationKind, Visibility, notification_for};
use crate::error::AppError;

use super::Tx;

/// One message waiting to be sent (or retried).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxItem {
    pub id: i64,
    pub event_id: Option<i64>,
    pub case_id: Option<i64>,
    pub recipient_id: Option<i64>,
    pub to_address: String,
    pub kind: String,
    pub payload: String,
    /// The unique part of the Message-ID (the domain is added when sending).
    pub message_id: String,
    pub attempts: i64,
}

/// A person who may be emailed, with what they said about this kind of email.
struct Candidate {
    id: i64,
    email: String,
    wants_kind: bool,
}

/// Writes the outbox rows a log entry causes, inside its transaction. The actor is not told
/// of their own change (a reporter still gets the confirmation of the case they opened).
pub(crate) async fn enqueue(
    tx: &mut Tx,
    case_id: i64,
    event_id: i64,
    actor_id: Option<i64>,
    change: &CaseChange,
    at: &str,
) -> Result<(), AppError> {
    let Some((kind, audience)) = notification_for(change) else { return Ok(()) };
    let case = sqlx::query("SELECT organization_id, reporter_id, visibility, assignee_id FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await?;
    let organization_id: i64 = case.try_get("organization_id")?;
    let reporter_id: i64 = case.try_get("reporter_id")?;
    let assignee_id: Option<i64> = case.try_get("assignee_id")?;
    let private = case.try_get::<String, _>("visibility")? == Visibility::Private.as_str();

    let mut recipients: Vec<Candidate> = match audience {
        Audience::Customers => customers(tx, organization_id, reporter_id, private, kind).await?,
        Audience::Engineer => match assignee_id {
            Some(id) => support_people(tx, &[id], kind).await?,
            None => leads_on_duty(tx, kind).await?,
        },
        Audience::EngineerAndLead => {
            let mut people = leads_on_duty(tx, kind).await?;
            if let Some(id) = assignee_id {
                people.extend(support_people(tx, &[id], kind).await?);
            }
            people
        }
        Audience::NewAssignee => match change {
            CaseChange::Assigned { engineer_id: Some(id), .. } if Some(*id) != actor_id => {
                support_people(tx, &[*id], kind).await?
            }
            _ => Vec::new(),
        },
    };
    recipients.retain(|r| r.wants_kind && (Some(r.id) != actor_id || kind == NotificationKind::CaseOpened));
    recipients.sort_by_key(|r| r.id);
    recipients.dedup_by_key(|r| r.id);
    for recipient in recipients {
        sqlx::query(
            "INSERT INTO mail_outbox (event_id, case_id, recipient_id, to_address, kind, message_id, created_at, \
             next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(event_id)
        .bind(case_id)
        .bind(recipient.id)
        .bind(&recipient.email)
        .bind(kind.as_str())
        .bind(new_message_id())
        .bind(at)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A fresh, unguessable Message-ID local part.
pub(crate) fn new_message_id() -> String {
    format!("cb.{}", uuid::Uuid::new_v4().simple())
}

/// The reporter and the organization's watchers; for a private case only those who may see
/// it (the reporter and the organization's admins).
async fn customers(
    tx: &mut Tx,
    organization_id: i64,
    reporter_id: i64,
    private: bool,
    kind: NotificationKind,
) -> Result<Vec<Candidate>, AppError> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.org_admin, COALESCE(k.enabled, 1) AS wants_kind, COALESCE(w.enabled, 0) AS watches \
         FROM users u \
         LEFT JOIN notification_preferences k ON k.user_id = u.id AND k.kind = $1 \
         LEFT JOIN notification_preferences w ON w.user_id = u.id AND w.kind = 'watch_organization' \
         WHERE u.organization_id = $2 AND u.role = 'customer' AND u.removed_at IS NULL",
    )
    .bind(kind.as_str())
    .bind(organization_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut people = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let watches = flag(&row, "watches")?;
        let org_admin = flag(&row, "org_admin")?;
        let sees = !private || id == reporter_id || org_admin;
        if (id == reporter_id || watches) && sees {
            people.push(Candidate { id, email: row.try_get("email")?, wants_kind: flag(&row, "wants_kind")? });
        }
    }
    Ok(people)
}

async fn support_people(tx: &mut Tx, ids: &[i64], kind: NotificationKind) -> Result<Vec<Candidate>, AppError> {
    let mut people = Vec::new();
    for &id in ids {
        let row = sqlx::query(
            "SELECT u.id, u.email, COALESCE(k.enabled, 1) AS wants_kind FROM users u \
             LEFT JOIN notification_preferences k ON k.user_id = u.id AND k.kind = $1 \
             WHERE u.id = $2 AND u.role IN ('engineer', 'admin')",
        )
        .bind(kind.as_str())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = row {
            people.push(Candidate { id, email: row.try_get("email")?, wants_kind: flag(&row, "wants_kind")? });
        }
    }
    Ok(people)
}

/// The leads whose shift is on now; when none is, every lead (a breach at night must still
/// reach someone).
async fn leads_on_duty(tx: &mut Tx, kind: NotificationKind) -> Result<Vec<Candidate>, AppError> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, p.hours, COALESCE(k.enabled, 1) AS wants_kind FROM engineer_profiles p \
         JOIN users u ON u.id = p.user_id \
         LEFT JOIN notification_preferences k ON k.user_id = u.id AND k.kind = $1 WHERE p.lead = 1",
    )
    .bind(kind.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let now = Timestamp::now();
    let mut on_duty = Vec::new();
    let mut all = Vec::new();
    for row in rows {
        let hours: String = row.try_get("hours")?;
        let on_shift = serde_json::from_str::<BusinessCalendar>(&hours)
            .ok()
            .and_then(|calendar| calendar.schedule().ok())
            .is_some_and(|schedule| schedule.is_business_time(now));
        let lead =
            Candidate { id: row.try_get("id")?, email: row.try_get("email")?, wants_kind: flag(&row, "wants_kind")? };
        if on_shift {
            on_duty.push(Candidate { id: lead.id, email: lead.email.clone(), wants_kind: lead.wants_kind });
        }
        all.push(lead);
    }
    Ok(if on_duty.is_empty() { all } else { on_duty })
}

impl Store {
    /// Claims up to `limit` messages that are due, for `lease`: another instance (or a later
    /// loop) takes them only once the lease has run out without their being sent.
    pub async fn claim_mail(
        &self,
        now: Timestamp,
        lease: std::time::Duration,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, AppError> {
        let now_text = now.to_string();
        let until = (now + jiff::SignedDuration::try_from(lease).map_err(|_| AppError::Internal)?).to_string();
        let mut tx = self.begin_write().await?;
        let mut items: Vec<OutboxItem> = sqlx::query_as(
            "UPDATE mail_outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN ( \
             SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
             AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3) \
             RETURNING id, event_id, case_id, recipient_id, to_address, kind, payload, message_id, attempts",
        )
        .bind(&until)
        .bind(&now_text)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        items.sort_by_key(|i| i.id);
        Ok(items)
    }

    pub async fn mail_sent(&self, id: i64) -> Result<(), AppError> {
        sqlx::query("UPDATE mail_outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL WHERE id = $2")
            .bind(Timestamp::now().to_string())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Puts a message back for a later attempt at `retry_at`.
    pub async fn mail_failed(&self, id: i64, retry_at: Timestamp, error: &str) -> Result<(), AppError> {
        sqlx::query("UPDATE mail_outbox SET next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3")
            .bind(retry_at.to_string())
            .bind(error.chars().take(500).collect::<String>())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// When the next unsent message is due (to sleep until then).
    pub async fn next_mail_due(&self) -> Result<Option<Timestamp>, AppError> {
        let due: Option<String> =
            sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM mail_outbox WHERE sent_at IS NULL")
                .fetch_one(self.pool())
                .await?;
        due.map(|d| d.parse().map_err(|_| AppError::Internal)).transpose()
    }

    /// (sent, waiting) counts: what an operator (and the tests) look at.
    pub async fn mail_counts(&self) -> Result<(i64, i64), AppError> {
        let row = sqlx::query(
            "SELECT COUNT(sent_at) AS sent, COUNT(*) - COUNT(sent_at) AS waiting \
             FROM mail_outbox",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((row.try_get("sent")?, row.try_get("waiting")?))
    }

    /// Queues a message that tells of no log entry (a bounce), due now.
    pub async fn enqueue_mail(
        &self,
        recipient_id: i64,
        to_address: &str,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        insert_caseless(&mut tx, recipient_id, to_address, kind, payload).await?;
        tx.commit().await?;
        self.committed(0);
        Ok(())
    }

    /// Queues a bounce to a person unless they were sent `limit` bounces since `since`;
    /// returns whether it was queued. Counted and written under the write lock, in the
    /// database, so instances sharing it count together; the count reads at most `limit`
    /// rows of an index (`mail_outbox_bounces`).
    pub async fn enqueue_bounce(
        &self,
        recipient_id: i64,
        to_address: &str,
        payload: &serde_json::Value,
        limit: i64,
        since: Timestamp,
    ) -> Result<bool, AppError> {
        self.enqueue_limited("bounce", recipient_id, to_address, payload, limit, since).await
    }

    /// Queues a mail of `kind` (one without a case: a bounce, a note about an invitation)
    /// to a person unless they were sent `limit` of that kind since `since`; returns whether
    /// it was queued. Counted and written in one write transaction (instances count together).
    pub async fn enqueue_limited(
        &self,
        kind: &'static str,
        recipient_id: i64,
        to_address: &str,
        payload: &serde_json::Value,
        limit: i64,
        since: Timestamp,
    ) -> Result<bool, AppError> {
        let mut tx = self.begin_write().await?;
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM mail_outbox WHERE recipient_id = $1 AND kind = $4 \
             AND created_at >= $2 LIMIT $3) recent",
        )
        .bind(recipient_id)
        .bind(since.to_string())
        .bind(limit)
        .bind(kind)
        .fetch_one(&mut *tx)
        .await?;
        if recent >= limit {
            return Ok(false);
        }
        insert_caseless(&mut tx, recipient_id, to_address, kind, payload).await?;
        tx.commit().await?;
        self.committed(0);
        Ok(true)
    }

    /// The outbound message a Message-ID (its unique part) belongs to: (case id, recipient id).
    pub async fn sent_message(&self, message_id: &str) -> Result<Option<(i64, i64)>, AppError> {
        let row = sqlx::query(
            "SELECT case_id, recipient_id FROM mail_outbox WHERE message_id = $1 AND case_id IS NOT NULL \
             AND recipient_id IS NOT NULL",
        )
        .bind(message_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((r.try_get("case_id")?, r.try_get("recipient_id")?))).transpose()
    }
}

/// Queues, due now, a message that tells of no log entry (a bounce, an invitation, a note).
pub(super) async fn insert_caseless(
    tx: &mut Tx,
    recipient_id: i64,
    to_address: &str,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<(), AppError> {
    let now = Timestamp::now().to_string();
    sqlx::query(
        "INSERT INTO mail_outbox (recipient_id, to_address, kind, payload, message_id, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(recipient_id)
    .bind(to_address)
    .bind(kind)
    .bind(payload.to_string())
    .bind(new_message_id())
    .bind(&now)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn bounces_are_counted_per_person_within_the_window() {
        let f = fixture().await;
        let payload = serde_json::json!({ "reason": "no_thread" });
        let hour_ago = || jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
        for _ in 0..2 {
            assert!(f.store.enqueue_bounce(f.alice.id, &f.alice.email, &payload, 2, hour_ago()).await.unwrap());
        }
        assert!(!f.store.enqueue_bounce(f.alice.id, &f.alice.email, &payload, 2, hour_ago()).await.unwrap());
        // Another person has their own count; other mail to Alice is not a bounce.
        assert!(f.store.enqueue_bounce(f.olga.id, &f.olga.email, &payload, 2, hour_ago()).await.unwrap());
        f.store.enqueue_mail(f.alice.id, &f.alice.email, "invitation", &payload).await.unwrap();
        assert!(!f.store.enqueue_bounce(f.alice.id, &f.alice.email, &payload, 2, hour_ago()).await.unwrap());
        // Bounces older than the window do not count.
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(1);
        assert!(f.store.enqueue_bounce(f.alice.id, &f.alice.email, &payload, 2, later).await.unwrap());
        let (_, waiting) = f.store.mail_counts().await.unwrap();
        assert_eq!(waiting, 5, "four bounces and the invitation");
    }
}
