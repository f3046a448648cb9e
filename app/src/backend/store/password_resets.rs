//! Password reset links: only the SHA-256 of each link's token is kept; a link works once,
//! until it expires, and using one sets the password and ends every session and API token.

use jiff::Timestamp;

use super::{Store, UserRecord};
use crate::error::AppError;

impl Store {
    /// Keeps a new reset link for a person and queues its mail (`payload`, with the link)
    /// in one transaction, unless `limit` links were already made for them since `since`
    /// (counted in the same transaction, so instances count together): then nothing is
    /// written and the answer is `false`.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_password_reset(
        &self,
        user_id: i64,
        to_address: &str,
        token_hash: &str,
        now: Timestamp,
        expires: Timestamp,
        payload: &serde_json::Value,
        limit: i64,
        since: Timestamp,
    ) -> Result<bool, AppError> {
        let mut tx = self.begin_write().await?;
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM password_resets WHERE user_id = $1 AND created_at >= $2 LIMIT $3) r",
        )
        .bind(user_id)
        .bind(since.to_string())
        .bind(limit)
        .fetch_one(&mut *tx)
        .await?;
        if recent >= limit {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(now.to_string())
        .bind(expires.to_string())
        .execute(&mut *tx)
        .await?;
        super::outbox::insert_caseless(&mut tx, user_id, to_address, "password_reset", payload).await?;
        tx.commit().await?;
        self.committed(0);
        Ok(true)
    }

    /// Uses a reset link (once, before it expires, for a person who may still sign in) and,
    /// in the same transaction, sets their password, ends every one of their sessions and
    /// API tokens and spends their other unused links. `None` when the link is unknown,
    /// used or expired: then nothing changes.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<UserRecord>, AppError> {
        let mut tx = self.begin_write().await?;
        let now = now.to_string();
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             AND user_id IN (SELECT id FROM users WHERE removed_at IS NULL AND deactivated_at IS NULL) RETURNING user_id",
        )
        .bind(&now)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = user_id else { return Ok(None) };
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(&now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        tx.commit().await?;
        self.signed_in_user(user_id).await
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn a_reset_link_works_once_before_it_expires_and_ends_every_session_and_token() {
        let f = fixture().await;
        let now = jiff::Timestamp::now();
        let hour = jiff::SignedDuration::from_hours(1);
        let payload = serde_json::json!({"url": "x"});
        let since = now - hour;
        let make = async |hash: &str, at: jiff::Timestamp| {
            f.store.create_password_reset(f.alice.id, &f.alice.email, hash, at, at + hour, &payload, 3, since).await
        };
        assert!(make("expired-hash", now - hour - hour).await.unwrap());
        assert!(make("fresh-hash", now).await.unwrap());
        assert!(make("other-hash", now).await.unwrap());
        assert!(make("third-hash", now).await.unwrap(), "the expired one was made over an hour ago");
        assert!(!make("fourth-hash", now).await.unwrap(), "three links an hour");
        let session = start_session(&f.store, &f.alice).await.unwrap();
        f.store.create_api_token(f.alice.id, "script", "token-hash", now, now + hour, 5).await.unwrap();

        assert!(f.store.use_password_reset("expired-hash", "new-hash", now).await.unwrap().is_none());
        assert!(f.store.use_password_reset("fourth-hash", "new-hash", now).await.unwrap().is_none(), "never made");
        assert!(user_by_session(&f.store, &session).await.unwrap().is_some(), "nothing changed yet");
        let used = f.store.use_password_reset("fresh-hash", "new-hash", now).await.unwrap().unwrap();
        assert_eq!((used.id, used.password_hash.as_str()), (f.alice.id, "new-hash"));
        assert!(user_by_session(&f.store, &session).await.unwrap().is_none(), "sessions ended");
        assert!(f.store.user_by_api_token("token-hash", now).await.unwrap().is_none(), "tokens ended");
        assert!(f.store.use_password_reset("fresh-hash", "other-hash", now).await.unwrap().is_none(), "once");
        assert!(f.store.use_password_reset("other-hash", "other-hash", now).await.unwrap().is_none(), "spent too");
        assert_eq!(f.store.user_by_id(f.alice.id).await.unwrap().unwrap().password_hash, "new-hash");
    }
}
