//! Sessions, API tokens and invitations: only hashes of the secrets are stored.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, UserRecord, timestamp};
use crate::error::AppError;

impl Store {
    pub async fn create_session(&self, user_id: i64, token_hash: &str, expires_at: Timestamp) -> Result<(), AppError> {
        self.insert_secret("sessions", user_id, token_hash, expires_at).await
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), AppError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn user_by_session(&self, token_hash: &str) -> Result<Option<UserRecord>, AppError> {
        self.user_by_secret("sessions", token_hash).await
    }

    pub async fn create_api_token(&self, user_id: i64, token_hash: &str, expires_at: Timestamp) -> Result<(), AppError> {
        self.insert_secret("api_tokens", user_id, token_hash, expires_at).await
    }

    /// Keeps the hash of a session or API token secret (`table`), valid until `expires_at`.
    async fn insert_secret(
        &self,
        table: &'static str,
        user_id: i64,
        token_hash: &str,
        expires_at: Timestamp,
    ) -> Result<(), AppError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)"
        ));
        sqlx::query(sql)
            .bind(token_hash)
            .bind(user_id)
            .bind(Timestamp::now().to_string())
            .bind(expires_at.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<UserRecord>, AppError> {
        self.user_by_secret("api_tokens", token_hash).await
    }

    async fn user_by_secret(&self, table: &'static str, token_hash: &str) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT t.user_id, t.expires_at FROM {table} t WHERE t.token_hash = $1"));
        let Some(row) = sqlx::query(sql).bind(token_hash).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let expires_at: String = row.try_get("expires_at")?;
        if timestamp(&expires_at)? <= Timestamp::now() {
            return Ok(None);
        }
        self.user_by_id(row.try_get("user_id")?).await
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
            "UPDATE invitations SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1 \
             RETURNING user_id",
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
}
