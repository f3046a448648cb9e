//! Registration requests: kept with only the SHA-256 of their verification token; a request
//! is listed (verified) once its link is used, within its lifetime; a decision is taken once.
//! The approval's writes (the decision, the account, its invitation, the mail, the admin
//! log entry) share one transaction, which the service opens ([`approve_in`] and friends).

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, Tx};
use crate::domain::Role;
use crate::domain::registration::{Registration, RegistrationStatus};
use crate::error::{AppError, InvalidReason};

/// The most requests one page reads.
pub const REGISTRATION_PAGE_MAX: i64 = 200;

/// A new request, as it is kept.
pub struct NewRegistration<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub organization_name: &'a str,
    pub message: &'a str,
    pub language: &'a str,
    pub token_hash: &'a str,
    pub now: Timestamp,
    pub expires: Timestamp,
}

/// A request as the decision reads it: its status (`unverified` among them) and the
/// language its emails are written in.
#[derive(Clone, Debug)]
pub struct StoredRegistration {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub language: String,
    pub status: String,
}

const COLUMNS: &str = "id, email, name, organization_name, message, requested_at, verified_at, status";

fn registration(row: &sqlx::any::AnyRow) -> Result<Registration, AppError> {
    let status: String = row.try_get("status")?;
    Ok(Registration {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        organization_name: row.try_get("organization_name")?,
        message: row.try_get("message")?,
        requested_at: row.try_get("requested_at")?,
        verified_at: row.try_get::<Option<String>, _>("verified_at")?.unwrap_or_default(),
        status: RegistrationStatus::parse(&status).ok_or_else(|| super::corrupt("registration status", &status))?,
    })
}

/// Queues a mail to an address that has no account (yet): the outbox row names no
/// recipient; its payload carries the language (and name) the mail is written for.
pub(crate) async fn enqueue_addressed_in(
    tx: &mut Tx,
    to_address: &str,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<(), AppError> {
    let now = Timestamp::now().to_string();
    sqlx::query(
        "INSERT INTO mail_outbox (recipient_id, to_address, kind, payload, message_id, created_at, next_attempt_at) \
         VALUES (NULL, $1, $2, $3, $4, $5, $6)",
    )
    .bind(to_address)
    .bind(kind)
    .bind(payload.to_string())
    .bind(super::outbox::new_message_id())
    .bind(&now)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Keeps a new request and queues its verification mail (`payload`, with the link) in
    /// one transaction, unless `limit` requests were made for this email since `since`
    /// (counted in the same transaction, so instances count together): then nothing is
    /// written and the answer is `false`.
    pub async fn create_registration(
        &self,
        new: NewRegistration<'_>,
        payload: &serde_json::Value,
        limit: i64,
        since: Timestamp,
    ) -> Result<bool, AppError> {
        let mut tx = self.begin_write().await?;
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM registrations WHERE email = $1 AND requested_at >= $2 LIMIT $3) r",
        )
        .bind(new.email)
        .bind(since.to_string())
        .bind(limit)
        .fetch_one(&mut *tx)
        .await?;
        if recent >= limit {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO registrations (email, name, organization_name, message, language, token_hash, requested_at, \
             expires_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'unverified')",
        )
        .bind(new.email)
        .bind(new.name)
        .bind(new.organization_name)
        .bind(new.message)
        .bind(new.language)
        .bind(new.token_hash)
        .bind(new.now.to_string())
        .bind(new.expires.to_string())
        .execute(&mut *tx)
        .await?;
        enqueue_addressed_in(&mut tx, new.email, "registration_verify", payload).await?;
        tx.commit().await?;
        self.committed(0);
        Ok(true)
    }

    /// Deletes up to `limit` requests never confirmed whose link expired before `now` (what
    /// anyone typed for any address is not kept): the number deleted.
    pub async fn forget_expired_registrations(&self, now: Timestamp, limit: i64) -> Result<u64, AppError> {
        let mut tx = self.begin_write().await?;
        let deleted = sqlx::query(
            "DELETE FROM registrations WHERE id IN \
             (SELECT id FROM registrations WHERE status = 'unverified' AND expires_at < $1 ORDER BY id LIMIT $2)",
        )
        .bind(now.to_string())
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(deleted)
    }

    /// Uses a verification link (once, before it expires): the request turns `pending`, in
    /// the admins' list. Returns its id; `None` when the link is unknown, used or expired
    /// (then nothing changes).
    pub async fn verify_registration(&self, token_hash: &str, now: Timestamp) -> Result<Option<i64>, AppError> {
        let now = now.to_string();
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE registrations SET status = 'pending', verified_at = $1 \
             WHERE token_hash = $2 AND status = 'unverified' AND expires_at > $1 RETURNING id",
        )
        .bind(&now)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Verified requests of one status, oldest first, after the request numbered `after_id`
    /// when given, at most `limit` (never more than one past [`REGISTRATION_PAGE_MAX`]).
    pub async fn registrations(
        &self,
        status: RegistrationStatus,
        after_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Registration>, AppError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM registrations WHERE status = $1 AND id > $2 ORDER BY id LIMIT $3"
        )))
        .bind(status.as_str())
        .bind(after_id.unwrap_or(0))
        .bind(limit.clamp(1, REGISTRATION_PAGE_MAX + 1))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(registration).collect()
    }

    /// One request, whatever its status.
    pub async fn registration(&self, id: i64) -> Result<Option<StoredRegistration>, AppError> {
        let row = sqlx::query("SELECT id, email, name, language, status FROM registrations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(StoredRegistration {
                id: row.try_get("id")?,
                email: row.try_get("email")?,
                name: row.try_get("name")?,
                language: row.try_get("language")?,
                status: row.try_get("status")?,
            })
        })
        .transpose()
    }

    /// One verified request as admins see it.
    pub async fn registration_listed(&self, id: i64) -> Result<Option<Registration>, AppError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM registrations WHERE id = $1 AND status <> 'unverified'"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(registration).transpose()
    }
}

/// The active organization `slug`: (id, name).
pub(crate) async fn active_organization_in(tx: &mut Tx, slug: &str) -> Result<Option<(i64, String)>, AppError> {
    let row = sqlx::query("SELECT id, name FROM organizations WHERE slug = $1 AND active = 1")
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|row| Ok((row.try_get("id")?, row.try_get("name")?))).transpose()
}

/// Takes the decision on a pending request: `true` when it was pending (and now is
/// `status`), `false` when another decision came first (nothing written).
pub(crate) async fn decide_in(
    tx: &mut Tx,
    id: i64,
    status: RegistrationStatus,
    actor_id: i64,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE registrations SET status = $1, decided_at = $2, decided_by = $3, reason = $4 \
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(now.to_string())
    .bind(actor_id)
    .bind(reason)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes the account of an approved request: a customer of `organization_id` awaiting
/// their password (set through the invitation `token_hash`, made by `actor_id`, until
/// `expires`), written in `language`. An address that meanwhile has an account is 422
/// `email`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn create_account_in(
    tx: &mut Tx,
    registration: &StoredRegistration,
    organization_id: i64,
    actor_id: i64,
    token_hash: &str,
    now: Timestamp,
    expires: Timestamp,
) -> Result<i64, AppError> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1)")
        .bind(&registration.email)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::invalid("email", InvalidReason::NotAllowed));
    }
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name, role, organization_id, org_admin, password_hash, time_zone, language, \
         created_at) VALUES ($1, $2, $3, $4, 0, $5, NULL, $6, $7) RETURNING id",
    )
    .bind(&registration.email)
    .bind(&registration.name)
    .bind(Role::Customer.as_str())
    .bind(organization_id)
    .bind(super::AWAITING_PASSWORD)
    .bind(&registration.language)
    .bind(now.to_string())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if super::unique_violation(&e) { AppError::invalid("email", InvalidReason::NotAllowed) } else { e.into() }
    })?;
    sqlx::query("UPDATE registrations SET user_id = $1 WHERE id = $2")
        .bind(user_id)
        .bind(registration.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO invitations (user_id, token_hash, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(actor_id)
    .bind(now.to_string())
    .bind(expires.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(user_id)
}

/// Queues a mail of `kind` to the new account `user_id` (the approval) in the transaction.
pub(crate) async fn enqueue_to_user_in(
    tx: &mut Tx,
    user_id: i64,
    to_address: &str,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<(), AppError> {
    super::outbox::insert_caseless(tx, user_id, to_address, kind, payload).await
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;
    use crate::backend::store::registrations::NewRegistration;
    use crate::domain::registration::RegistrationStatus;

    #[tokio::test]
    async fn a_request_is_listed_once_verified_and_its_link_works_once_before_it_expires() {
        let f = fixture().await;
        let now = jiff::Timestamp::now();
        let day = jiff::SignedDuration::from_hours(24);
        let payload = serde_json::json!({"url": "x", "language": "fr"});
        let make = async |hash: &str, at: jiff::Timestamp| {
            let new = NewRegistration {
                email: "dana@initrode.example",
                name: "Dana Reed",
                organization_name: "Initrode",
                message: "",
                language: "fr",
                token_hash: hash,
                now: at,
                expires: at + day,
            };
            f.store.create_registration(new, &payload, 3, now - day).await
        };
        assert!(make("expired-hash", now - day - day).await.unwrap());
        assert!(make("fresh-hash", now).await.unwrap());
        assert!(make("other-hash", now).await.unwrap());
        assert!(make("third-hash", now).await.unwrap(), "the expired one was made over a day ago");
        assert!(!make("fourth-hash", now).await.unwrap(), "three requests a day");
        let pending = || f.store.registrations(RegistrationStatus::Pending, None, 10);
        assert!(pending().await.unwrap().is_empty(), "nothing verified yet");

        assert_eq!(f.store.verify_registration("expired-hash", now).await.unwrap(), None);
        assert_eq!(f.store.verify_registration("fourth-hash", now).await.unwrap(), None, "never made");
        let id = f.store.verify_registration("fresh-hash", now).await.unwrap().unwrap();
        assert_eq!(f.store.verify_registration("fresh-hash", now).await.unwrap(), None, "once");
        let listed = pending().await.unwrap();
        assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
        assert_eq!(listed[0].organization_name, "Initrode");
        assert!(!listed[0].verified_at.is_empty());

        // The expired request never confirmed is forgotten; the others stay.
        assert_eq!(f.store.forget_expired_registrations(now, 100).await.unwrap(), 1);
        assert_eq!(f.store.forget_expired_registrations(now, 100).await.unwrap(), 0);
        assert_eq!(pending().await.unwrap().len(), 1);
    }
}
