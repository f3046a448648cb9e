//! A person's own account as they manage it (`/settings`): their browser sessions, their API
//! tokens, and the export of what they wrote (privacy). What is shown, never a secret.

use serde::{Deserialize, Serialize};

use super::profile::UserProfile;

/// One of the caller's browser sessions. `id` is the first 16 hex digits of the hash the
/// store keeps for the session (the secret itself is never stored): enough to name it, of
/// no use to sign in with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    #[cfg_attr(feature = "ssr", schema(example = "3f9a0c1d2b4e5f60", pattern = "^[0-9a-f]{16}$"))]
    pub id: String,
    /// When it signed in, RFC 3339.
    pub created_at: String,
    /// When it last made a request, to a quarter of an hour; `null` for a session from
    /// before this was kept.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub last_seen_at: Option<String>,
    /// The session of this very request.
    pub current: bool,
}

/// The caller's live sessions, newest first (at most [`SESSIONS_SHOWN`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Sessions {
    pub sessions: Vec<SessionSummary>,
}

/// The most sessions the list shows; ending "every other session" ends them all, shown or not.
pub const SESSIONS_SHOWN: i64 = 100;

/// An API token as its owner sees it in the list: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiTokenSummary {
    pub id: i64,
    /// What the person called it when they asked for it (may be empty).
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    /// When it was last used, to the hour; `null` when never.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub last_used_at: Option<String>,
    /// This is the token the request was made with.
    pub current: bool,
}

/// What a person changes of their own account (`PATCH /api/v1/me`); a field left out
/// stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"name": "Alice Martin", "language": "fr", "time_zone": "Europe/Paris"})))]
#[serde(deny_unknown_fields)]
pub struct OwnChange {
    /// One line, at most 200 characters.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub name: Option<String>,
    /// `en`, `fr` or `zh`: their pages and emails.
    pub language: Option<String>,
    /// An IANA time zone name, such as `Europe/Paris`.
    pub time_zone: Option<String>,
}

/// A case the person reported, as their export holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportedCase {
    pub number: i64,
    pub summary: String,
    pub description: String,
    /// `new`, `feedback`, `confirmed`, `assigned`, `resolved` or `closed`.
    pub status: String,
    pub opened_at: String,
}

/// A reply the person wrote (an internal note, for support people: their own writing too).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportedReply {
    /// The log entry's id.
    pub id: i64,
    /// The case's number.
    pub case: i64,
    pub at: String,
    pub body: String,
    pub internal: bool,
}

/// One page of a person's export (`GET /api/v1/users/{id}/export`): their profile on every
/// page, then up to `limit` of the cases they reported (by number) and up to `limit` of
/// their replies (oldest first), each list after its own place in `cursor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportPage {
    pub profile: UserProfile,
    pub cases_reported: Vec<ExportedCase>,
    pub replies: Vec<ExportedReply>,
    /// Send it back as `cursor` for the rest of either list; `null` when both are complete.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// What `POST /api/v1/users/{id}/erase` did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Erasure {
    pub id: i64,
    /// The name they are shown by now: `Former contact #<id>`.
    pub name: String,
    /// Their email now: an address in the `.invalid` domain, which no mail reaches.
    pub email: String,
    /// `false`: they were erased already, and nothing changed.
    pub changed: bool,
}
