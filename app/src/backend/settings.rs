//! A person's own account (`/settings`, `PATCH /api/v1/me`, `/api/v1/me/sessions`): their
//! name, the language of their pages and emails, their time zone, and their browser
//! sessions, each listed by a public id and ended one by one or all but this one.

use super::store::{Store, UserRecord, fingerprint};
use crate::domain::account::{OwnChange, SESSIONS_SHOWN, SessionSummary, Sessions};
use crate::domain::profile::{UserChange, UserProfile};
use crate::error::{AppError, InvalidReason};

/// How many hex digits of a session's hash name it (64 bits: no two sessions share them).
pub const SESSION_ID_CHARS: usize = 16;

/// The public id of a session: the first hex digits of the hash the store keeps.
pub fn session_id(token_hash: &str) -> String {
    token_hash.chars().take(SESSION_ID_CHARS).collect()
}

/// The caller's own profile (as an admin reads it).
pub async fn profile(store: &Store, user: &UserRecord) -> Result<UserProfile, AppError> {
    Ok(store.person(user.id).await?.ok_or(AppError::NotFound)?.0)
}

/// Changes the caller's own name, language and time zone, all or nothing. Refused on the
/// field (422), changing nothing: an empty or overlong name, a language other than `en`,
/// `fr`, `zh`, a time zone the time zone database does not know. Not an admin action: it
/// is not in the admin log.
pub async fn change_own(store: &Store, user: &UserRecord, change: OwnChange) -> Result<UserProfile, AppError> {
    if let Some(language) = change.language.as_deref()
        && !super::language::LANGUAGES.contains(&language.trim())
    {
        return Err(AppError::invalid("language", InvalidReason::Malformed { detail: "en, fr or zh".into() }));
    }
    let change = UserChange {
        name: change.name,
        language: change.language.map(|l| l.trim().to_owned()),
        time_zone: change.time_zone,
        ..Default::default()
    };
    let (before, after, tx) = super::people::apply(store, user.id, change).await?;
    tx.commit().await?;
    if before != after {
        tracing::info!(user = user.id, "own settings changed");
    }
    Ok(after)
}

/// The caller's live browser sessions, newest first (at most [`SESSIONS_SHOWN`]);
/// `current_secret` is the session of this request, if it came with one.
pub async fn sessions(store: &Store, user: &UserRecord, current_secret: Option<&str>) -> Result<Sessions, AppError> {
    let current = current_secret.map(|s| fingerprint(s.as_bytes()));
    let sessions = store
        .sessions_of(user.id, jiff::Timestamp::now(), SESSIONS_SHOWN)
        .await?
        .into_iter()
        .map(|s| SessionSummary {
            id: session_id(&s.token_hash),
            current: current.as_deref() == Some(s.token_hash.as_str()),
            created_at: s.created_at.to_string(),
            last_seen_at: s.last_seen_at.map(|t| t.to_string()),
        })
        .collect();
    Ok(Sessions { sessions })
}

/// Ends one of the caller's sessions (this one too: that signs out). Anything but one of
/// their own session ids is `NotFound`, as a missing one.
pub async fn end_session(store: &Store, user: &UserRecord, id: &str) -> Result<(), AppError> {
    let well_formed = id.len() == SESSION_ID_CHARS && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !well_formed || !store.end_session_of(user.id, id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(user = user.id, "session ended from the settings");
    Ok(())
}

/// Ends every session of the caller's but `current_secret`'s (every one when the request
/// came with an API token); how many ended.
pub async fn end_other_sessions(
    store: &Store,
    user: &UserRecord,
    current_secret: Option<&str>,
) -> Result<u64, AppError> {
    let keep = current_secret.map(|s| fingerprint(s.as_bytes()));
    let ended = store.end_other_sessions(user.id, keep.as_deref()).await?;
    tracing::info!(user = user.id, ended, "other sessions ended");
    Ok(ended)
}
