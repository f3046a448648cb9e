//! The admin log service: every admin service records its action here (who, what, on
//! what, before → after), and admins read the log newest first, a page at a time.

use serde_json::Value;

use super::store::audit::{AUDIT_PAGE_MAX, NewAuditEntry, append_audit_in};
use super::store::{Store, Tx, UserRecord};
use crate::domain::Role;
use crate::domain::audit::AuditPage;
use crate::error::{AppError, InvalidReason};

/// A page of the log when the caller names no limit.
pub const AUDIT_PAGE: i64 = 50;

/// The list kind in the log's cursors.
const CURSOR_KIND: char = 'l';

fn entry<'a>(
    actor: Option<&UserRecord>,
    action: &'a str,
    target: &'a str,
    before: Option<Value>,
    after: Option<Value>,
) -> NewAuditEntry<'a> {
    NewAuditEntry {
        at: jiff::Timestamp::now(),
        actor_id: actor.map(|a| a.id),
        action,
        target,
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
    }
}

/// Records one admin action: `action` as `resource.verb` (`user.updated`), `target` as
/// `kind:key` (`user:42`, `organization:acme`), and the state before and after (`None`:
/// there is none, as before a creation). Call it once the change is made.
pub async fn record(
    store: &Store,
    actor: &UserRecord,
    action: &str,
    target: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), AppError> {
    store.append_audit(entry(Some(actor), action, target, before, after)).await?;
    tracing::info!(action, target, actor = actor.id, "admin action recorded");
    Ok(())
}

/// The same, inside the write transaction that makes the change: both commit or neither.
pub async fn record_in(
    tx: &mut Tx,
    actor: &UserRecord,
    action: &str,
    target: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), AppError> {
    append_audit_in(tx, entry(Some(actor), action, target, before, after)).await
}

/// An action the server makes itself (start-up configuration): no actor.
pub async fn record_by_server(
    store: &Store,
    action: &str,
    target: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), AppError> {
    store.append_audit(entry(None, action, target, before, after)).await
}

/// The log, newest first, after `cursor` (from the previous page), at most `limit` (1 to
/// 200, default 50). Admins only.
pub async fn page(
    store: &Store,
    actor: &UserRecord,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<AuditPage, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let limit = match limit {
        None => AUDIT_PAGE,
        Some(n) if (1..=AUDIT_PAGE_MAX).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid("limit", InvalidReason::Malformed { detail: "a number from 1 to 200".into() }));
        }
    };
    let before = cursor.filter(|c| !c.is_empty()).map(|c| super::cursor::parse_id(CURSOR_KIND, c)).transpose()?;
    let mut rows = store.audit_entries(before, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|(id, _)| super::cursor::id_before(CURSOR_KIND, *id)) } else { None };
    Ok(AuditPage { entries: rows.into_iter().map(|(_, e)| e).collect(), next_cursor })
}
