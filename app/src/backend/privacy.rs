//! Privacy (`GET /api/v1/users/{id}/export`, `POST /api/v1/users/{id}/erase`): a person's
//! export of what they wrote, a page at a time, and their erasure by an admin: every case
//! and log entry is kept and still reads, its author shown as "Former contact #<id>".

use serde_json::json;

use super::store::privacy::{EXPORT_PAGE_MAX, erase_in, tombstone_email, tombstone_name};
use super::store::{Store, UserRecord};
use crate::domain::Role;
use crate::domain::account::{Erasure, ExportPage};
use crate::error::{AppError, InvalidReason};

/// The rows of each list on an export page when the caller names no limit.
pub const EXPORT_PAGE: i64 = 100;

/// The list kind in export cursors.
const CURSOR_KIND: char = 'x';

/// One page of a person's export: their profile, the cases they reported (by number) and
/// the replies and internal notes they wrote (oldest first), each list after its own place
/// in `cursor`, at most `limit` (1 to 500, default 100) rows of each. The person themself
/// or an admin; anyone else is refused (403).
pub async fn export(
    store: &Store,
    actor: &UserRecord,
    id: i64,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<ExportPage, AppError> {
    if actor.id != id && actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let limit = match limit {
        None => EXPORT_PAGE,
        Some(n) if (1..=EXPORT_PAGE_MAX).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid(
                "limit",
                InvalidReason::Malformed { detail: "a number from 1 to 500".into() },
            ));
        }
    };
    // The cursor holds both places: after which case number, after which log entry.
    let (case_after, reply_after) = match cursor.filter(|c| !c.is_empty()) {
        None => (0, 0),
        Some(c) => {
            let (reply, case) = super::cursor::parse_name(CURSOR_KIND, c)?;
            let reply = reply.parse::<i64>().map_err(|_| {
                AppError::invalid("cursor", InvalidReason::Malformed { detail: "not a cursor this list gave".into() })
            })?;
            (case, reply)
        }
    };
    let profile = store.person(id).await?.ok_or(AppError::NotFound)?.0;
    let mut cases_reported = store.cases_reported_by(id, case_after, limit + 1).await?;
    let more_cases = cases_reported.len() as i64 > limit;
    cases_reported.truncate(limit as usize);
    let mut replies = store.replies_written_by(id, reply_after, limit + 1).await?;
    let more_replies = replies.len() as i64 > limit;
    replies.truncate(limit as usize);
    let next_cursor = (more_cases || more_replies).then(|| {
        let case = cases_reported.last().map_or(case_after, |c| c.number);
        let reply = replies.last().map_or(reply_after, |r| r.id);
        super::cursor::name_after(CURSOR_KIND, &reply.to_string(), case)
    });
    tracing::info!(user = id, actor = actor.id, "export read");
    Ok(ExportPage { profile, cases_reported, replies, next_cursor })
}

/// Erases a customer's personal data (see `store::privacy::erase_in`) and records it in the
/// admin log, with no personal data before or after. Admins only (403); not themselves and
/// not a support person (422 `user`: deactivate them instead); an unknown id is 404. Erased
/// already: nothing changes (`changed` is `false`).
pub async fn erase(store: &Store, actor: &UserRecord, id: i64) -> Result<Erasure, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    if id == actor.id {
        return Err(AppError::invalid("user", InvalidReason::NotAllowed));
    }
    let target = store.erasure_target(id).await?.ok_or(AppError::NotFound)?;
    if target.role != Role::Customer.as_str() {
        return Err(AppError::invalid(
            "user",
            InvalidReason::Malformed {
                detail: "only a customer's account can be erased; deactivate support people".into(),
            },
        ));
    }
    let erasure = Erasure { id, name: tombstone_name(id), email: tombstone_email(id), changed: !target.erased };
    if target.erased {
        return Ok(erasure);
    }
    let mut tx = store.begin_write().await?;
    let changed = erase_in(&mut tx, id, jiff::Timestamp::now()).await?;
    if changed {
        let before = json!({"id": id, "role": target.role, "organization": target.organization});
        let after = json!({
            "id": id, "role": target.role, "organization": target.organization,
            "name": erasure.name, "email": erasure.email, "active": false, "erased": true
        });
        super::audit::record_in(&mut tx, actor, "user.erased", &format!("user:{id}"), Some(before), Some(after))
            .await?;
    }
    tx.commit().await?;
    tracing::info!(user = id, actor = actor.id, changed, "user erased");
    Ok(Erasure { changed, ..erasure })
}
