//! Privacy: a person's export (the cases they reported, the replies they wrote, a page at a
//! time) and their erasure, which keeps their row (every case and log entry still points at
//! someone) but replaces whatever is personal by a tombstone, in one transaction.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, Tx, corrupt, timestamp};
use crate::domain::CaseChange;
use crate::domain::account::{ExportedCase, ExportedReply};
use crate::error::AppError;

/// The most rows of one list an export page reads.
pub const EXPORT_PAGE_MAX: i64 = 500;

/// The password "hash" of an erased person: no password verifies against it.
const ERASED: &str = "!erased";

/// Who an erasure is about, as it stood before.
#[derive(Clone, Debug)]
pub struct ErasureTarget {
    pub role: String,
    pub organization: Option<String>,
    pub erased: bool,
}

/// The name an erased person is shown by.
pub fn tombstone_name(id: i64) -> String {
    format!("Former contact #{id}")
}

/// The address an erased person's email is replaced by: unique, and in the `.invalid`
/// domain (RFC 2606), which no mail is ever delivered to.
pub fn tombstone_email(id: i64) -> String {
    format!("erased-{id}@erased.invalid")
}

impl Store {
    /// Cases `user_id` reported, by number, after `after`, at most `limit`.
    pub async fn cases_reported_by(&self, user_id: i64, after: i64, limit: i64) -> Result<Vec<ExportedCase>, AppError> {
        let rows = sqlx::query(
            "SELECT number, summary, description, status, opened_at FROM cases WHERE reporter_id = $1 AND number > $2 \
             ORDER BY number LIMIT $3",
        )
        .bind(user_id)
        .bind(after)
        .bind(limit.clamp(1, EXPORT_PAGE_MAX + 1))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ExportedCase {
                    number: row.try_get("number")?,
                    summary: row.try_get("summary")?,
                    description: row.try_get("description")?,
                    status: row.try_get("status")?,
                    opened_at: row.try_get("opened_at")?,
                })
            })
            .collect()
    }

    /// Replies and internal notes `user_id` wrote, oldest first, after log entry `after`, at
    /// most `limit`.
    pub async fn replies_written_by(
        &self,
        user_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ExportedReply>, AppError> {
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.data, c.number FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE e.actor_id = $1 AND e.kind IN ('reply', 'internal_note') AND e.id > $2 ORDER BY e.id LIMIT $3",
        )
        .bind(user_id)
        .bind(after)
        .bind(limit.clamp(1, EXPORT_PAGE_MAX + 1))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let data: String = row.try_get("data")?;
                let change: CaseChange = serde_json::from_str(&data).map_err(|_| corrupt("case event", &data))?;
                let CaseChange::Reply { body, internal, .. } = change else {
                    return Err(corrupt("reply", &data));
                };
                Ok(ExportedReply {
                    id: row.try_get("id")?,
                    case: row.try_get("number")?,
                    at: timestamp(&row.try_get::<String, _>("at")?)?.to_string(),
                    body,
                    internal,
                })
            })
            .collect()
    }

    /// Whom an erasure would be about (removed contacts too); `None`: no such person.
    pub async fn erasure_target(&self, id: i64) -> Result<Option<ErasureTarget>, AppError> {
        let row = sqlx::query(
            "SELECT u.role, o.slug AS organization, u.erased_at FROM users u \
             LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(ErasureTarget {
                role: row.try_get("role")?,
                organization: row.try_get("organization")?,
                erased: row.try_get::<Option<String>, _>("erased_at")?.is_some(),
            })
        })
        .transpose()
    }
}

/// Erases a person inside a write transaction: their name and email become the tombstone's,
/// their password, phone, time zone, language choice, organization-admin role and seat go,
/// they are deactivated; their sessions, API tokens, invitation and reset links,
/// notification settings and files uploaded for a case never opened are deleted; mail still
/// waiting for them is dropped, and the mail log no longer holds their address. Their cases
/// and log entries stay, pointing at the same row. `false` (and nothing changed) when they
/// were erased already.
pub(crate) async fn erase_in(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool, AppError> {
    let old_email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND erased_at IS NULL")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(old_email) = old_email else { return Ok(false) };
    let placeholder = tombstone_email(id);
    sqlx::query(
        "UPDATE users SET name = $1, email = $2, password_hash = $3, phone = NULL, time_zone = NULL, \
         language_chosen = 0, org_admin = 0, opens_cases = 0, deactivated_at = COALESCE(deactivated_at, $4), \
         erased_at = $4 WHERE id = $5",
    )
    .bind(tombstone_name(id))
    .bind(&placeholder)
    .bind(ERASED)
    .bind(now.to_string())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    for table in ["sessions", "api_tokens", "notification_preferences", "invitations", "password_resets", "uploads"] {
        let sql = sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE user_id = $1"));
        sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM mail_outbox WHERE recipient_id = $1 AND sent_at IS NULL")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE mail_outbox SET to_address = $1, payload = '{}', last_error = NULL WHERE recipient_id = $2")
        .bind(&placeholder)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    // Mail sent to an address before it had an account (registration) names no recipient.
    sqlx::query(
        "UPDATE mail_outbox SET to_address = $1, payload = '{}', last_error = NULL \
         WHERE recipient_id IS NULL AND lower(to_address) = lower($2)",
    )
    .bind(&placeholder)
    .bind(&old_email)
    .execute(&mut **tx)
    .await?;
    // The callback number they gave on their cases (the rest of a case stays as written).
    let sqlite = (**tx).backend_name().eq_ignore_ascii_case("sqlite");
    let without_callback = if sqlite {
        "UPDATE cases SET details = json_remove(details, '$.callback') WHERE reporter_id = $1 AND details LIKE '%\"callback\"%'"
    } else {
        "UPDATE cases SET details = (CAST(details AS jsonb) - 'callback')::text WHERE reporter_id = $1 AND details LIKE '%\"callback\"%'"
    };
    sqlx::query(without_callback).bind(id).execute(&mut **tx).await?;
    // Their request for an account, if they asked for one.
    sqlx::query(
        "UPDATE registrations SET email = $1, name = $2, organization_name = '', message = '', reason = NULL \
         WHERE email = $3 OR email = lower($3)",
    )
    .bind(&placeholder)
    .bind(tombstone_name(id))
    .bind(&old_email)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE mail_inbound SET sender = $1 WHERE lower(sender) = lower($2)")
        .bind(&placeholder)
        .bind(&old_email)
        .execute(&mut **tx)
        .await?;
    redact_admin_log_in(tx, id).await?;
    Ok(true)
}

/// The admin log's entries about the erased person (`user:<id>`) keep what was done and
/// when, but their snapshots lose the person's identity: name and email become the
/// tombstone's, phone and time zone go. The one change ever made to the log's rows, so
/// that erasure leaves no copy of them. Read 200 entries at a time, by the target's index.
async fn redact_admin_log_in(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    const BATCH: i64 = 200;
    let target = format!("user:{id}");
    let mut after_entry = 0_i64;
    loop {
        let rows = sqlx::query(
            "SELECT id, before, after FROM admin_audit WHERE target = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(&target)
        .bind(after_entry)
        .bind(BATCH)
        .fetch_all(&mut **tx)
        .await?;
        for row in &rows {
            let entry: i64 = row.try_get("id")?;
            let before: Option<String> = row.try_get("before")?;
            let after: Option<String> = row.try_get("after")?;
            sqlx::query("UPDATE admin_audit SET before = $1, after = $2 WHERE id = $3")
                .bind(before.map(|s| redacted_snapshot(&s, id)))
                .bind(after.map(|s| redacted_snapshot(&s, id)))
                .bind(entry)
                .execute(&mut **tx)
                .await?;
            after_entry = entry;
        }
        if (rows.len() as i64) < BATCH {
            return Ok(());
        }
    }
}

/// A person's snapshot (JSON text) without their identity; text that is not a JSON object
/// is dropped whole (`{}`).
fn redacted_snapshot(text: &str, id: i64) -> String {
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str::<serde_json::Value>(text) else {
        return "{}".into();
    };
    for (field, value) in [
        ("name", serde_json::Value::from(tombstone_name(id))),
        ("email", serde_json::Value::from(tombstone_email(id))),
        ("phone", serde_json::Value::Null),
        ("time_zone", serde_json::Value::Null),
    ] {
        if fields.contains_key(field) {
            fields.insert(field.into(), value);
        }
    }
    serde_json::Value::Object(fields).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redacted_snapshot_keeps_the_rest_and_loses_the_identity() {
        let text = r#"{"name":"Erin Z","email":"erin@acme.example","phone":"+33 1","time_zone":"Europe/Paris","role":"customer"}"#;
        let redacted: serde_json::Value = serde_json::from_str(&redacted_snapshot(text, 7)).unwrap();
        assert_eq!(redacted["name"], tombstone_name(7));
        assert_eq!(redacted["email"], tombstone_email(7));
        assert_eq!((redacted["phone"].is_null(), redacted["time_zone"].is_null()), (true, true));
        assert_eq!(redacted["role"], "customer");
        // A field a snapshot does not have is not added; text that is no object goes whole.
        assert_eq!(redacted_snapshot(r#"{"role":"admin"}"#, 7), r#"{"role":"admin"}"#);
        assert_eq!(redacted_snapshot("Erin Z", 7), "{}");
    }
}
