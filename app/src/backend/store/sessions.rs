//! Sessions, API tokens and invitations: only hashes of the secrets are stored.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, UserRecord, timestamp};
use crate::error::AppError;

/// An API token as its owner may see it: never its secret, only the hash's place.
#[derive(Clone, Debug)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub token_hash: String,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A browser session as its owner may see it: the hash (whose first digits name it), never
/// the secret.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub token_hash: String,
    pub created_at: Timestamp,
    pub last_seen_at: Option<Timestamp>,
}

/// How stale a session's `last_seen_at` may get before a request marks it again.
pub const SESSION_SEEN_STEP: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);

impl Store {
    pub async fn create_session(&self, user_id: i64, token_hash: &str, expires_at: Timestamp) -> Result<(), AppError> {
        let sql = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)";
        sqlx::query(sql)
            .bind(token_hash)
            .bind(user_id)
            .bind(Timestamp::now().to_string())
            .bind(expires_at.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), AppError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// The person behind a session that has not expired. When the session was last marked
    /// seen more than [`SESSION_SEEN_STEP`] ago, it is marked again (one write a quarter of
    /// an hour, not one a request).
    pub async fn user_by_session(&self, token_hash: &str) -> Result<Option<UserRecord>, AppError> {
        let Some(row) = sqlx::query("SELECT user_id, expires_at, last_seen_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let now = Timestamp::now();
        let expires_at: String = row.try_get("expires_at")?;
        if timestamp(&expires_at)? <= now {
            return Ok(None);
        }
        let last_seen: Option<String> = row.try_get("last_seen_at")?;
        let stale = match last_seen.as_deref().map(timestamp).transpose()? {
            Some(at) => now.duration_since(at) >= SESSION_SEEN_STEP,
            None => true,
        };
        if stale {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now.to_string())
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
        }
        self.signed_in_user(row.try_get("user_id")?).await
    }

    /// A person's sessions that have not expired, newest first, at most `limit`.
    pub async fn sessions_of(&self, user_id: i64, now: Timestamp, limit: i64) -> Result<Vec<SessionRecord>, AppError> {
        let rows = sqlx::query(
            "SELECT token_hash, created_at, last_seen_at FROM sessions WHERE user_id = $1 AND expires_at > $2 \
             ORDER BY created_at DESC, token_hash LIMIT $3",
        )
        .bind(user_id)
        .bind(now.to_string())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SessionRecord {
                    token_hash: row.try_get("token_hash")?,
                    created_at: timestamp(&row.try_get::<String, _>("created_at")?)?,
                    last_seen_at: row
                        .try_get::<Option<String>, _>("last_seen_at")?
                        .as_deref()
                        .map(timestamp)
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Ends the person's session whose hash starts with `id_prefix`; `false` when they
    /// have none such.
    pub async fn end_session_of(&self, user_id: i64, id_prefix: &str) -> Result<bool, AppError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2")
            .bind(user_id)
            .bind(id_prefix)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends every session of the person but `keep` (a hash); how many ended.
    pub async fn end_other_sessions(&self, user_id: i64, keep: Option<&str>) -> Result<u64, AppError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or(""))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Keeps a new API token's hash; its id comes back. `None` when the person already has
    /// `max_live` tokens that have not expired (counted in the same transaction).
    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
        max_live: i64,
    ) -> Result<Option<i64>, AppError> {
        let mut tx = self.begin_write().await?;
        let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND expires_at > $2")
            .bind(user_id)
            .bind(now.to_string())
            .fetch_one(&mut *tx)
            .await?;
        if live >= max_live {
            return Ok(None);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(name)
        .bind(now.to_string())
        .bind(expires_at.to_string())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// The person behind an API token that has not expired. When the token was last marked
    /// used more than an hour ago, it is marked again (one write an hour, not one a request).
    pub async fn user_by_api_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<UserRecord>, AppError> {
        let Some(row) =
            sqlx::query("SELECT id, user_id, expires_at, last_used_at FROM api_tokens WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let expires_at: String = row.try_get("expires_at")?;
        if timestamp(&expires_at)? <= now {
            return Ok(None);
        }
        let last_used: Option<String> = row.try_get("last_used_at")?;
        let stale = match last_used.as_deref().map(timestamp).transpose()? {
            Some(at) => now.duration_since(at) >= jiff::SignedDuration::from_hours(1),
            None => true,
        };
        if stale {
            let id: i64 = row.try_get("id")?;
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now.to_string())
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        self.signed_in_user(row.try_get("user_id")?).await
    }

    /// A person's API tokens that have not expired, newest first, at most `limit`.
    pub async fn api_tokens_of(
        &self,
        user_id: i64,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<ApiTokenRecord>, AppError> {
        let rows = sqlx::query(
            "SELECT id, token_hash, name, created_at, expires_at, last_used_at FROM api_tokens \
             WHERE user_id = $1 AND expires_at > $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(user_id)
        .bind(now.to_string())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ApiTokenRecord {
                    id: row.try_get("id")?,
                    token_hash: row.try_get("token_hash")?,
                    name: row.try_get("name")?,
                    created_at: timestamp(&row.try_get::<String, _>("created_at")?)?,
                    expires_at: timestamp(&row.try_get::<String, _>("expires_at")?)?,
                    last_used_at: row
                        .try_get::<Option<String>, _>("last_used_at")?
                        .as_deref()
                        .map(timestamp)
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Revokes one of a person's API tokens; `false` when they have no such token.
    pub async fn revoke_api_token(&self, user_id: i64, token_id: i64) -> Result<bool, AppError> {
        let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(token_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Sets a new password hash and, in the same transaction, ends every API token and every
    /// session of the person but `keep_session` (the browser that made the change).
    pub async fn change_password_hash(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_invitation(
        &self,
        user_id: i64,
        token_hash: &str,
        invited_by: i64,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO invitations (user_id, token_hash, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(invited_by)
        .bind(now.to_string())
        .bind(expires.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sends a contact a new invitation in one transaction: unless they were sent `limit`
    /// invitations since `since` (then nothing changes and the answer is when the oldest of
    /// those leaves the window), every earlier link stops working, the new one is kept and
    /// its mail (`payload`, with the link) is queued.
    #[allow(clippy::too_many_arguments)]
    pub async fn reissue_invitation(
        &self,
        user_id: i64,
        to_address: &str,
        token_hash: &str,
        invited_by: i64,
        now: Timestamp,
        expires: Timestamp,
        payload: &serde_json::Value,
        limit: i64,
        since: Timestamp,
    ) -> Result<Result<(), Timestamp>, AppError> {
        let mut tx = self.begin_write().await?;
        let recent: Vec<String> = sqlx::query_scalar(
            "SELECT created_at FROM mail_outbox WHERE recipient_id = $1 AND kind = 'invitation' AND created_at >= $2 \
             ORDER BY created_at LIMIT $3",
        )
        .bind(user_id)
        .bind(since.to_string())
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        if recent.len() as i64 >= limit {
            return Ok(Err(timestamp(&recent[0])?));
        }
        sqlx::query(
            "UPDATE invitations SET revoked_at = $1 WHERE user_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now.to_string())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO invitations (user_id, token_hash, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(invited_by)
        .bind(now.to_string())
        .bind(expires.to_string())
        .execute(&mut *tx)
        .await?;
        super::outbox::insert_caseless(&mut tx, user_id, to_address, "invitation", payload).await?;
        tx.commit().await?;
        self.committed(0);
        Ok(Ok(()))
    }

    /// Revokes a person's invitation links that are not used yet (they stop working).
    pub async fn revoke_invitations(&self, user_id: i64, now: Timestamp) -> Result<(), AppError> {
        sqlx::query(
            "UPDATE invitations SET revoked_at = $1 WHERE user_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now.to_string())
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Uses an invitation (once, before it expires) and sets its person's password, in one
    /// transaction; `None` when the link is unknown, used or expired.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<UserRecord>, AppError> {
        let mut tx = self.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE invitations SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL \
             AND expires_at > $1 \
             AND user_id IN (SELECT id FROM users WHERE removed_at IS NULL AND deactivated_at IS NULL) RETURNING user_id",
        )
        .bind(now.to_string())
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = user_id else { return Ok(None) };
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.user_by_id(user_id).await
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn a_session_finds_its_user_until_it_is_ended() {
        let f = fixture().await;
        let secret = start_session(&f.store, &f.alice).await.unwrap();
        assert_eq!(user_by_session(&f.store, &secret).await.unwrap().unwrap().id, f.alice.id);
        assert!(user_by_session(&f.store, "forged").await.unwrap().is_none());
        crate::backend::accounts::end_session(&f.store, &secret).await.unwrap();
        assert!(user_by_session(&f.store, &secret).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn an_expired_invitation_sets_no_password() {
        let f = fixture().await;
        let now = jiff::Timestamp::now();
        let week = jiff::SignedDuration::from_hours(7 * 24);
        f.store.create_invitation(f.amir.id, "expired-hash", f.olga.id, now - week - week, now - week).await.unwrap();
        f.store.create_invitation(f.amir.id, "fresh-hash", f.olga.id, now, now + week).await.unwrap();
        assert!(f.store.accept_invitation("expired-hash", "new-hash", now).await.unwrap().is_none());
        assert_eq!(f.store.user_by_id(f.amir.id).await.unwrap().unwrap().password_hash, "not-a-real-hash");
        let accepted = f.store.accept_invitation("fresh-hash", "new-hash", now).await.unwrap().unwrap();
        assert_eq!(accepted.password_hash, "new-hash");
        assert!(f.store.accept_invitation("fresh-hash", "other-hash", now).await.unwrap().is_none(), "once");
    }

    #[tokio::test]
    async fn a_revoked_or_replaced_invitation_sets_no_password_and_a_day_holds_three_invitations() {
        let f = fixture().await;
        let now = jiff::Timestamp::now();
        let week = jiff::SignedDuration::from_hours(7 * 24);
        let since = now - jiff::SignedDuration::from_hours(24);
        f.store.create_invitation(f.amir.id, "first-hash", f.olga.id, now, now + week).await.unwrap();
        f.store.enqueue_mail(f.amir.id, &f.amir.email, "invitation", &serde_json::json!({})).await.unwrap();
        let payload = serde_json::json!({"url": "x"});
        let reissue = async |hash: &str| {
            f.store
                .reissue_invitation(f.amir.id, &f.amir.email, hash, f.olga.id, now, now + week, &payload, 3, since)
                .await
        };
        assert_eq!(reissue("second-hash").await.unwrap(), Ok(()));
        assert!(f.store.accept_invitation("first-hash", "new-hash", now).await.unwrap().is_none(), "replaced");
        f.store.revoke_invitations(f.amir.id, now).await.unwrap();
        assert!(f.store.accept_invitation("second-hash", "new-hash", now).await.unwrap().is_none(), "revoked");
        assert_eq!(reissue("third-hash").await.unwrap(), Ok(()));
        assert!(reissue("fourth-hash").await.unwrap().is_err(), "three invitation mails a day");
        assert!(f.store.accept_invitation("fourth-hash", "new-hash", now).await.unwrap().is_none(), "never issued");
        let accepted = f.store.accept_invitation("third-hash", "new-hash", now).await.unwrap().unwrap();
        assert_eq!(accepted.password_hash, "new-hash");
    }

    #[tokio::test]
    async fn a_person_holds_a_bounded_number_of_live_tokens_and_an_expired_one_opens_nothing() {
        let f = fixture().await;
        let now = jiff::Timestamp::now();
        let day = jiff::SignedDuration::from_hours(24);
        let expired =
            f.store.create_api_token(f.alice.id, "old", "hash-0", now - day - day, now - day, 2).await.unwrap();
        assert!(expired.is_some());
        assert!(f.store.user_by_api_token("hash-0", now).await.unwrap().is_none(), "expired");
        assert!(f.store.create_api_token(f.alice.id, "a", "hash-1", now, now + day, 2).await.unwrap().is_some());
        assert!(f.store.create_api_token(f.alice.id, "b", "hash-2", now, now + day, 2).await.unwrap().is_some());
        assert_eq!(
            f.store.create_api_token(f.alice.id, "c", "hash-3", now, now + day, 2).await.unwrap(),
            None,
            "capped"
        );
        assert!(f.store.user_by_api_token("hash-3", now).await.unwrap().is_none(), "nothing issued past the cap");
        // Someone else's count is their own.
        assert!(f.store.create_api_token(f.amir.id, "c", "hash-4", now, now + day, 2).await.unwrap().is_some());
        let listed = f.store.api_tokens_of(f.alice.id, now, 10).await.unwrap();
        assert_eq!(listed.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["b", "a"], "live only, newest first");
        assert_eq!(f.store.user_by_api_token("hash-1", now).await.unwrap().unwrap().id, f.alice.id);
        let marked = f.store.api_tokens_of(f.alice.id, now, 10).await.unwrap();
        assert_eq!(marked[1].last_used_at.map(|t| t.as_second()), Some(now.as_second()), "marked used");
    }
}
