//! Idempotency keys: a retried request finds what the first one made; the same key with
//! another request is refused.

use sqlx::Row;

use super::Tx;
use crate::error::{AppError, InvalidReason};

/// The case a request with this idempotency key made before, if any; the same key with a
/// different request is refused.
pub(super) async fn earlier_request(
    tx: &mut Tx,
    user_id: i64,
    key: &str,
    request_fingerprint: &str,
) -> Result<Option<i64>, AppError> {
    let found = sqlx::query("SELECT case_id, fingerprint FROM idempotency_keys WHERE user_id = $1 AND key = $2")
        .bind(user_id)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = found else { return Ok(None) };
    if row.try_get::<String, _>("fingerprint")? != request_fingerprint {
        return Err(AppError::invalid("idempotency_key", InvalidReason::NotAllowed));
    }
    Ok(Some(row.try_get("case_id")?))
}

pub(super) async fn remember_request(
    tx: &mut Tx,
    user_id: i64,
    key: &str,
    request_fingerprint: &str,
    case_id: i64,
    now: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, case_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(key)
    .bind(request_fingerprint)
    .bind(case_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
