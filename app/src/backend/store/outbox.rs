//! The transactional outbox: who is emailed about a log entry is decided and written in the
//! very transaction that appends the entry, so a committed change always has its mail and a
//! rolled-back one never does. Sending happens after commit (`sender`), claimed under a
//! lease so that one instance sends each row, and retried until the mail server takes it.
//! A case notification waits the store's mail window for more news of the same case to the
//! same person; what came within it goes as one message.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, flag, timestamp};
use crate::domain::{Audience, CaseChange, NotificationKind, Visibility, notifications_for};
use crate::error::AppError;

use super::Tx;

/// One row of the outbox: a notification (or a bounce, an invitation) for one person,
/// waiting to be sent or retried.
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

/// One message to send: the rows it tells of, oldest first. A person's notifications about
/// one case queued within the window the oldest opened travel together, as one message
/// under the oldest row's Message-ID; any other row is a message of its own.
#[derive(Clone, Debug)]
pub struct OutboxMail {
    pub rows: Vec<OutboxItem>,
}

impl OutboxMail {
    /// The row that names the message (its Message-ID, its attempts).
    pub fn first(&self) -> &OutboxItem {
        &self.rows[0]
    }

    pub fn ids(&self) -> Vec<i64> {
        self.rows.iter().map(|r| r.id).collect()
    }
}

/// The most notifications one message gathers; more within one window go in the next.
const GATHER_MAX: i64 = 20;

const ITEM_COLUMNS: &str = "id, event_id, case_id, recipient_id, to_address, kind, payload, message_id, attempts";

/// A person who may be emailed, with what they said about this kind of email.
struct Candidate {
    id: i64,
    email: String,
    wants_kind: bool,
}

/// Writes the outbox rows a log entry causes, inside its transaction. The actor is not told
/// of their own change (a reporter still gets the confirmation of the case they opened).
/// A row is due `window` after the entry (zero: at once), and gathers that person's later
/// rows about the case until then.
pub(crate) async fn enqueue(
    tx: &mut Tx,
    case_id: i64,
    event_id: i64,
    actor_id: Option<i64>,
    change: &CaseChange,
    at: &str,
    window: std::time::Duration,
) -> Result<(), AppError> {
    let notifications = notifications_for(change);
    if notifications.is_empty() {
        return Ok(());
    }
    let case = sqlx::query("SELECT organization_id, reporter_id, visibility, assignee_id FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await?;
    let organization_id: i64 = case.try_get("organization_id")?;
    let reporter_id: i64 = case.try_get("reporter_id")?;
    let assignee_id: Option<i64> = case.try_get("assignee_id")?;
    let private = case.try_get::<String, _>("visibility")? == Visibility::Private.as_str();
    let due = (timestamp(at)? + jiff::SignedDuration::try_from(window).map_err(|_| AppError::Internal)?).to_string();

    for &(kind, audience) in notifications {
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
            Audience::PreviousAssignee => match (previous_assignee(tx, case_id, event_id).await?, change) {
                (Some(before), CaseChange::Assigned { engineer_id: Some(now), .. }) if before != *now => {
                    support_people(tx, &[before], kind).await?
                }
                _ => Vec::new(),
            },
        };
        recipients.retain(|r| r.wants_kind && (Some(r.id) != actor_id || kind == NotificationKind::CaseOpened));
        recipients.sort_by_key(|r| r.id);
        recipients.dedup_by_key(|r| r.id);
        // A takeover notice says whether the new engineer took the case or was given it.
        let payload = match change {
            CaseChange::Assigned { engineer_id, .. } if kind == NotificationKind::TakenOver => {
                serde_json::json!({ "took_it": actor_id.is_some() && *engineer_id == actor_id })
            }
            _ => serde_json::json!({}),
        };
        for recipient in recipients {
            sqlx::query(
                "INSERT INTO mail_outbox (event_id, case_id, recipient_id, to_address, kind, payload, message_id, \
                 created_at, next_attempt_at, gather_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(event_id)
            .bind(case_id)
            .bind(recipient.id)
            .bind(&recipient.email)
            .bind(kind.as_str())
            .bind(payload.to_string())
            .bind(new_message_id())
            .bind(at)
            .bind(&due)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Who had the case before log entry `event_id`: the engineer its latest earlier
/// assignment entry names (the log is the truth of who had it; one row read).
async fn previous_assignee(tx: &mut Tx, case_id: i64, event_id: i64) -> Result<Option<i64>, AppError> {
    let data: Option<String> = sqlx::query_scalar(
        "SELECT data FROM case_events WHERE case_id = $1 AND kind = 'assigned' AND id < $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(case_id)
    .bind(event_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match data.map(|d| serde_json::from_str::<CaseChange>(&d)) {
        Some(Ok(CaseChange::Assigned { engineer_id, .. })) => engineer_id,
        Some(_) => {
            tracing::error!(case = case_id, "unreadable assignment entry in the log");
            None
        }
        None => None,
    })
}

/// A fresh, unguessable Message-ID local part.
pub(crate) fn new_message_id() -> String {
    format!("cb.{}", uuid::Uuid::new_v4().simple())
}

/// The reporter and the organization's watchers; for a private case only those who may see
/// it (the reporter and the organization's admins). A case support reported for the
/// organization (a maintenance task) is for every contact.
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
         WHERE u.organization_id = $2 AND u.role = 'customer' AND u.removed_at IS NULL AND u.deactivated_at IS NULL",
    )
    .bind(kind.as_str())
    .bind(organization_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut people = Vec::new();
    let reporter_role: Option<String> =
        sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(reporter_id).fetch_optional(&mut **tx).await?;
    let for_everyone = reporter_role.is_some_and(|role| role != "customer");
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let watches = flag(&row, "watches")?;
        let org_admin = flag(&row, "org_admin")?;
        let sees = !private || id == reporter_id || org_admin;
        if (id == reporter_id || watches || for_everyone) && sees {
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
             WHERE u.id = $2 AND u.role IN ('engineer', 'admin') AND u.deactivated_at IS NULL",
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
/// reach someone). A lead who is away or deactivated is none.
async fn leads_on_duty(tx: &mut Tx, kind: NotificationKind) -> Result<Vec<Candidate>, AppError> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, p.hours, COALESCE(k.enabled, 1) AS wants_kind FROM engineer_profiles p \
         JOIN users u ON u.id = p.user_id \
         LEFT JOIN notification_preferences k ON k.user_id = u.id AND k.kind = $1 \
         WHERE p.lead = 1 AND p.on_duty = 1 AND u.deactivated_at IS NULL",
    )
    .bind(kind.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let now = Timestamp::now();
    let mut on_duty = Vec::new();
    let mut all = Vec::new();
    for row in rows {
        let hours: String = row.try_get("hours")?;
        let on_shift = serde_json::from_str::<crate::domain::WorkingWeek>(&hours).is_ok_and(|week| week.on_shift(now));
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
    /// This store with notifications waiting `window` for more news of the same case to
    /// the same person (`CASEBOARD_MAIL_COALESCE_SECS`); set before the store is shared.
    pub fn with_mail_window(mut self, window: std::time::Duration) -> Store {
        self.mail_window = window;
        self
    }

    /// Claims up to `limit` due rows, as messages, for `lease`: another instance (or a
    /// later loop) takes them only once the lease has run out without their being sent. A
    /// due case notification is claimed with the same person's later rows about the same
    /// case queued before its window closed (one message, in log order). Claimed in one
    /// write transaction, so instances claim one after the other and a row is never in two
    /// messages; every read is bounded.
    pub async fn claim_mail(
        &self,
        now: Timestamp,
        lease: std::time::Duration,
        limit: i64,
    ) -> Result<Vec<OutboxMail>, AppError> {
        let now_text = now.to_string();
        let until = (now + jiff::SignedDuration::try_from(lease).map_err(|_| AppError::Internal)?).to_string();
        let mut tx = self.begin_write().await?;
        let due = sqlx::query(
            "SELECT id, case_id, recipient_id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY id LIMIT $2",
        )
        .bind(&now_text)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut claimed = std::collections::HashSet::new();
        let mut mails = Vec::new();
        for row in due {
            let id: i64 = row.try_get("id")?;
            if claimed.contains(&id) {
                continue; // gathered into an earlier message of this pass
            }
            let ids = match (row.try_get::<Option<i64>, _>("case_id")?, row.try_get::<Option<i64>, _>("recipient_id")?)
            {
                (Some(case_id), Some(recipient_id)) => gathered(&mut tx, id, case_id, recipient_id, &now_text).await?,
                _ => vec![id],
            };
            let mut rows = Vec::with_capacity(ids.len());
            for id in ids {
                let sql = format!(
                    "UPDATE mail_outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id = $2 \
                     RETURNING {ITEM_COLUMNS}"
                );
                let item: OutboxItem =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&until).bind(id).fetch_one(&mut *tx).await?;
                claimed.insert(id);
                rows.push(item);
            }
            mails.push(OutboxMail { rows });
        }
        tx.commit().await?;
        Ok(mails)
    }

    /// Marks the rows of a message sent (all of them, or none if this fails). A message
    /// that carried a secret link (an invitation, a password reset, an account request's
    /// confirmation or approval) keeps no copy of it once sent: its payload is emptied.
    pub async fn mail_sent(&self, ids: &[i64]) -> Result<(), AppError> {
        let now = Timestamp::now().to_string();
        let mut tx = self.begin_write().await?;
        for id in ids {
            sqlx::query(
                "UPDATE mail_outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL, \
                 payload = CASE WHEN kind IN ('invitation', 'password_reset', 'registration_verify', \
                 'registration_approved') THEN '{}' ELSE payload END WHERE id = $2",
            )
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Puts the rows of a message back for a later attempt at `retry_at`.
    pub async fn mail_failed(&self, ids: &[i64], retry_at: Timestamp, error: &str) -> Result<(), AppError> {
        let retry_at = retry_at.to_string();
        let error: String = error.chars().take(500).collect();
        let mut tx = self.begin_write().await?;
        for id in ids {
            sqlx::query(
                "UPDATE mail_outbox SET next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3",
            )
            .bind(&retry_at)
            .bind(&error)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
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

/// The rows that go as one message with the due row `first` (a notification to this person
/// about this case): it, and the same person's later waiting rows about the case queued
/// before its window closed (`gather_until`), up to `GATHER_MAX`. Rows claimed by a live
/// lease are another message's. Reads at most `GATHER_MAX` rows of an index.
async fn gathered(tx: &mut Tx, first: i64, case_id: i64, recipient_id: i64, now: &str) -> Result<Vec<i64>, AppError> {
    let waiting = sqlx::query(
        "SELECT id, created_at, gather_until FROM mail_outbox WHERE case_id = $1 AND recipient_id = $2 \
         AND sent_at IS NULL AND id >= $3 AND (claimed_until IS NULL OR claimed_until <= $4) ORDER BY id LIMIT $5",
    )
    .bind(case_id)
    .bind(recipient_id)
    .bind(first)
    .bind(now)
    .bind(GATHER_MAX)
    .fetch_all(&mut **tx)
    .await?;
    let mut ids = Vec::with_capacity(waiting.len());
    let mut closes = None;
    for row in &waiting {
        let id: i64 = row.try_get("id")?;
        let created = timestamp(&row.try_get::<String, _>("created_at")?)?;
        let gather_until = match row.try_get::<Option<String>, _>("gather_until")? {
            Some(text) => timestamp(&text)?,
            None => created, // queued before gathering existed: a window of nothing
        };
        let closes = *closes.get_or_insert(gather_until);
        if id != first && created > closes {
            break; // the next window's: a later message
        }
        ids.push(id);
    }
    if ids.first() != Some(&first) {
        // Read inside the transaction that saw it due: it is there. Claim it alone anyway.
        tracing::error!(outbox = first, "a due outbox row was not found again");
        return Ok(vec![first]);
    }
    Ok(ids)
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

    #[tokio::test]
    async fn a_sent_invitation_keeps_no_copy_of_its_link_and_other_mail_keeps_its_payload() {
        let f = fixture().await;
        let link = serde_json::json!({ "url": "https://caseboard.example/invitation/secret-token" });
        f.store.enqueue_mail(f.alice.id, &f.alice.email, "invitation", &link).await.unwrap();
        f.store.enqueue_bounce(f.olga.id, &f.olga.email, &serde_json::json!({ "reason": "no_thread" }), 5, after(-60)).await.unwrap();
        let mails = f.store.claim_mail(after(1), LEASE, 10).await.unwrap();
        let ids: Vec<i64> = mails.iter().flat_map(|m| m.rows.iter().map(|r| r.id)).collect();
        f.store.mail_sent(&ids).await.unwrap();
        let payloads: Vec<(String, String)> = sqlx::query_as("SELECT kind, payload FROM mail_outbox ORDER BY id")
            .fetch_all(&f.store.pool)
            .await
            .unwrap();
        assert!(payloads.contains(&("invitation".into(), "{}".into())), "{payloads:?}");
        assert!(payloads.iter().any(|(kind, payload)| kind == "bounce" && payload.contains("no_thread")), "{payloads:?}");
    }

    fn after(seconds: i64) -> jiff::Timestamp {
        jiff::Timestamp::now() + jiff::SignedDuration::from_secs(seconds)
    }

    const LEASE: std::time::Duration = std::time::Duration::from_secs(120);

    /// The kinds in each claimed message to `recipient` (the engineer the case was given to
    /// on opening has mail of their own).
    fn claimed(mails: &[super::OutboxMail], recipient: &UserRecord) -> Vec<Vec<String>> {
        mails
            .iter()
            .filter(|m| m.first().recipient_id == Some(recipient.id))
            .map(|m| m.rows.iter().map(|r| r.kind.clone()).collect())
            .collect()
    }

    #[tokio::test]
    async fn a_persons_news_of_one_case_within_the_window_is_claimed_as_one_message_once() {
        let f = fixture().await;
        let store = f.store.clone().with_mail_window(std::time::Duration::from_secs(60));
        let n = cases::open_case(&store, &f.alice, draft("gathered"), None).await.unwrap().case.number;
        cases::change_status(&store, &f.sam, n, Status::Assigned, None, 1, None).await.unwrap();
        cases::reply(&store, &f.sam, n, "Which version?", false, None, false).await.unwrap();
        cases::change_status(&store, &f.sam, n, Status::Feedback, None, 3, None).await.unwrap();
        assert!(store.claim_mail(jiff::Timestamp::now(), LEASE, 10).await.unwrap().is_empty(), "the window is open");

        let mails = store.claim_mail(after(61), LEASE, 10).await.unwrap();
        let kinds = vec!["case_opened".to_owned(), "support_replied".into(), "feedback".into()];
        assert_eq!(claimed(&mails, &f.alice), vec![kinds.clone()]);
        let to_alice = mails.iter().find(|m| m.first().recipient_id == Some(f.alice.id)).unwrap();
        let ids = to_alice.ids();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "in the order they happened: {ids:?}");
        // Claimed: another sender at the same moment takes nothing of it.
        assert!(store.claim_mail(after(62), LEASE, 10).await.unwrap().is_empty());
        // Not sent: retried later as the same message, under the same Message-ID.
        store.mail_failed(&ids, after(70), "server down").await.unwrap();
        assert!(store.claim_mail(after(65), LEASE, 10).await.unwrap().is_empty(), "waits for its retry");
        let again = store.claim_mail(after(71), LEASE, 10).await.unwrap();
        assert_eq!(claimed(&again, &f.alice), vec![kinds]);
        assert_eq!(again[0].first().message_id, to_alice.first().message_id);
        assert_eq!(again[0].first().attempts, 2);
        store.mail_sent(&again[0].ids()).await.unwrap();
        let sent = store.mail_counts().await.unwrap().0;
        assert_eq!(sent, 3, "the message's three rows are sent together");
    }

    #[tokio::test]
    async fn news_after_the_window_of_the_oldest_waiting_row_goes_in_a_message_of_its_own() {
        let f = fixture().await;
        // No window: each row's closes at once, so the next one is beyond it.
        let store = f.store.clone();
        let n = cases::open_case(&store, &f.alice, draft("apart"), None).await.unwrap().case.number;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        cases::reply(&store, &f.sam, n, "Which version?", false, None, false).await.unwrap();
        let mails = store.claim_mail(after(1), LEASE, 10).await.unwrap();
        let apart = vec![vec!["case_opened".to_owned()], vec!["support_replied".to_owned()]];
        assert_eq!(claimed(&mails, &f.alice), apart);
        assert!(store.claim_mail(after(1), LEASE, 10).await.unwrap().is_empty(), "each claimed once");
    }

    #[tokio::test]
    async fn one_message_gathers_at_most_twenty_rows_and_the_rest_follow() {
        let f = fixture().await;
        let store = f.store.clone().with_mail_window(std::time::Duration::from_secs(60));
        let n = cases::open_case(&store, &f.alice, draft("busy"), None).await.unwrap().case.number;
        for i in 0..24 {
            cases::reply(&store, &f.sam, n, &format!("Reply {i}"), false, None, false).await.unwrap();
        }
        let mails = store.claim_mail(after(61), LEASE, 100).await.unwrap();
        let sizes: Vec<usize> = claimed(&mails, &f.alice).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![20, 5], "25 rows: the opening and 24 replies");
    }
}
