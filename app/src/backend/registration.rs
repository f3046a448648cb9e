//! Registration with approval (NAES): someone without an account asks for one. The answer
//! to the request is the same whatever the address (new, an account, a removed one): what
//! depends on it (looking it up, keeping the request, queueing the mail) happens after the
//! answer, off the request. A new address is sent a verification link (once, for
//! [`VERIFICATION_LIFETIME`]; only its SHA-256 is kept); an address that has an account is
//! sent a note saying so (how to sign in or reset the password) instead, and nothing is
//! kept. Only verified requests reach the admins, who approve one (a customer account in
//! an active organization they choose, emailed an invitation link to choose a password:
//! the invitation machinery) or reject it (the reason is emailed). Deciding a request
//! already decided is 422 `registration`. No account exists before approval, so nobody
//! can open a case on a mere request. Requests are limited per email (over the limit the
//! answer stays the same and nothing is sent) and per client address (429).


use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::accounts::{new_secret, person_address};
use super::invitations::INVITATION_LIFETIME;
use super::mail::MailSettings;
use super::store::registrations::{
    NewRegistration, REGISTRATION_PAGE_MAX, StoredRegistration, active_organization_in, create_account_in, decide_in,
    enqueue_addressed_in, enqueue_to_user_in,
};
use super::store::{Store, UserRecord, fingerprint};
use crate::domain::Role;
use crate::domain::registration::{Registration, RegistrationPage, RegistrationStatus, check_reason, check_request};
use crate::error::{AppError, InvalidReason};

/// How long a verification link works.
pub const VERIFICATION_LIFETIME: SignedDuration = SignedDuration::from_hours(24);

/// Requests one address may make in a day, counted in the database (every instance
/// together): a flood of requests cannot flood someone's mailbox.
pub const REGISTRATIONS_PER_DAY: i64 = 3;

/// Notes to an existing account ("you already have one") in a day.
pub const EXISTING_NOTES_PER_DAY: i64 = 3;

/// A page of requests when the caller names no limit.
pub const REGISTRATION_PAGE: i64 = 50;

/// The list kind in the requests' cursors.
const CURSOR_KIND: char = 'g';

/// What every request answers, whatever the address.
pub const REGISTRATION_REQUESTED: &str = "Thank you. A link to confirm your request is on its way to this address: it works once, within 24 hours. Once you have confirmed it, our team reviews your request and writes to you either way.";

/// The body of `202 Accepted`: the same for every address.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RegistrationRequested {
    #[schema(example = "accepted")]
    pub status: &'static str,
    pub message: &'static str,
}

impl RegistrationRequested {
    pub fn answer() -> RegistrationRequested {
        RegistrationRequested { status: "accepted", message: REGISTRATION_REQUESTED }
    }
}

/// What someone asks with: their address, name, organization (their words) and a message.
#[derive(Clone, Debug)]
pub struct AccountRequest<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub organization_name: &'a str,
    pub message: &'a str,
    /// The language of the page they asked from (one of `en`, `fr`, `zh`): their emails'.
    pub language: &'static str,
}

/// Someone asks for an account. Refused only for what says nothing about any account: a
/// client address over its limit (429) or a field the rules refuse (422 naming it).
/// Otherwise the answer is the same, and the mail goes afterwards.
pub async fn request(
    store: &Store,
    settings: &MailSettings,
    limiter: &super::email_request_limiter::EmailRequestLimiter,
    client: Option<std::net::IpAddr>,
    asked: AccountRequest<'_>,
) -> Result<RegistrationRequested, AppError> {
    limiter.check_client(client)?;
    let email = person_address("email", asked.email)?;
    check_request(asked.name, asked.organization_name, asked.message)?;
    // The same work for every address before the answer: a new secret and its hash.
    let (token, token_hash) = new_secret();
    let shown = fingerprint(email.as_bytes())[..12].to_owned();
    if !limiter.email_allowed(&email) {
        tracing::info!(email = %shown, "registration not sent: too many requests for this address");
        return Ok(RegistrationRequested::answer());
    }
    let kept = Kept {
        email,
        name: asked.name.trim().to_owned(),
        organization_name: asked.organization_name.trim().to_owned(),
        message: asked.message.trim().to_owned(),
        language: asked.language,
    };
    let (store, settings) = (store.clone(), settings.clone());
    tokio::spawn(async move {
        if let Err(e) = send_verification(&store, &settings, &kept, &token, &token_hash).await {
            tracing::error!(email = %shown, error = %e, "registration verification not sent");
        }
    });
    Ok(RegistrationRequested::answer())
}

/// A request's fields, owned, for after the answer.
struct Kept {
    email: String,
    name: String,
    organization_name: String,
    message: String,
    language: &'static str,
}

/// After the answer: the verification link for a new address; a note for an account.
async fn send_verification(
    store: &Store,
    settings: &MailSettings,
    kept: &Kept,
    token: &str,
    token_hash: &str,
) -> Result<(), AppError> {
    let shown = &fingerprint(kept.email.as_bytes())[..12];
    let now = Timestamp::now();
    let since = now - SignedDuration::from_hours(24);
    if let Some(user) = store.user_by_email(&kept.email).await? {
        let payload = json!({
            "sign_in": format!("{}/sign-in", settings.public_url),
            "reset": format!("{}/password-reset", settings.public_url),
        });
        let told = store
            .enqueue_limited("registration_existing", user.id, &user.email, &payload, EXISTING_NOTES_PER_DAY, since)
            .await?;
        tracing::info!(user = user.id, told, "registration for an existing account: its owner told");
        return Ok(());
    }
    if store.email_taken(&kept.email).await? {
        tracing::info!(email = %shown, "registration not sent: a removed account has this address");
        return Ok(());
    }
    let payload = json!({
        "url": format!("{}/register/verify/{token}", settings.public_url),
        "language": kept.language,
    });
    let new = NewRegistration {
        email: &kept.email,
        name: &kept.name,
        organization_name: &kept.organization_name,
        message: &kept.message,
        language: kept.language,
        token_hash,
        now,
        expires: now + VERIFICATION_LIFETIME,
    };
    if store.create_registration(new, &payload, REGISTRATIONS_PER_DAY, since).await? {
        tracing::info!(email = %shown, "registration verification sent");
    } else {
        tracing::info!(email = %shown, "registration not sent: too many requests today");
    }
    Ok(())
}

/// The person uses the emailed link: their request waits for an admin. A link used,
/// expired or mistyped is refused the same way (422 `token`) and changes nothing.
pub async fn verify(store: &Store, token: &str) -> Result<(), AppError> {
    let unknown = || AppError::invalid("token", InvalidReason::NotAllowed);
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        tracing::info!("registration verification refused: malformed link");
        return Err(unknown());
    }
    match store.verify_registration(&fingerprint(token.as_bytes()), Timestamp::now()).await? {
        Some(id) => {
            tracing::info!(registration = id, "registration verified: waiting for an admin");
            Ok(())
        }
        None => {
            tracing::info!("registration verification refused: link used, expired or unknown");
            Err(unknown())
        }
    }
}

fn require_admin(actor: &UserRecord) -> Result<(), AppError> {
    if actor.role != Role::Admin {
        tracing::info!(user = actor.id, "registrations refused: not an admin");
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Verified requests of `status` (default `pending`), oldest first, after `cursor`, at most
/// `limit` (1 to 200, default 50). Admins only. A bad filter is 422 naming it.
pub async fn list(
    store: &Store,
    actor: &UserRecord,
    status: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<RegistrationPage, AppError> {
    require_admin(actor)?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => RegistrationStatus::Pending,
        Some(text) => RegistrationStatus::parse(text).ok_or_else(|| {
            AppError::invalid("status", InvalidReason::Malformed { detail: "pending, approved or rejected".into() })
        })?,
    };
    let limit = match limit {
        None => REGISTRATION_PAGE,
        Some(n) if (1..=REGISTRATION_PAGE_MAX).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid(
                "limit",
                InvalidReason::Malformed { detail: "a number from 1 to 200".into() },
            ));
        }
    };
    let after = cursor.filter(|c| !c.is_empty()).map(|c| super::cursor::parse_id(CURSOR_KIND, c)).transpose()?;
    let mut rows = store.registrations(status, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| super::cursor::id_before(CURSOR_KIND, r.id)) } else { None };
    Ok(RegistrationPage { registrations: rows, next_cursor })
}

/// The verified request `id` still waiting for a decision: unknown or unverified is 404;
/// already decided is 422 `registration` (nothing changes).
async fn pending(store: &Store, actor: &UserRecord, id: i64) -> Result<StoredRegistration, AppError> {
    let registration = store.registration(id).await?.filter(|r| r.status != "unverified").ok_or(AppError::NotFound)?;
    if registration.status != RegistrationStatus::Pending.as_str() {
        tracing::info!(actor = actor.id, registration = id, "registration already decided");
        return Err(already_decided());
    }
    Ok(registration)
}

fn already_decided() -> AppError {
    AppError::invalid("registration", InvalidReason::NotAllowed)
}

fn target(id: i64) -> String {
    format!("registration:{id}")
}

/// Approves a pending request: a customer account in the active organization `slug`,
/// awaiting its password, is made (taking one of the organization's seats while one is
/// free), and the person is emailed an invitation link to choose it (good for seven days,
/// once). One transaction with the decision and the admin log entry. Refused on
/// `organization` (422: empty, unknown or deactivated), `email` (422: the address has an
/// account meanwhile) or `registration` (422: already decided); each changes nothing.
pub async fn approve(
    store: &Store,
    settings: &MailSettings,
    actor: &UserRecord,
    id: i64,
    organization: &str,
) -> Result<Registration, AppError> {
    require_admin(actor)?;
    let slug = organization.trim();
    // Checked before any lookup: text that is no slug never reaches the database.
    crate::domain::slug::check_slug(slug).map_err(|e| match e {
        AppError::Invalid { reason, .. } => AppError::Invalid { field: "organization".into(), reason },
        other => other,
    })?;
    let registration = pending(store, actor, id).await?;
    let (token, token_hash) = new_secret();
    let now = Timestamp::now();
    let expires = now + INVITATION_LIFETIME;
    let mut tx = store.begin_write().await?;
    let (organization_id, organization_name) = active_organization_in(&mut tx, slug).await?.ok_or_else(|| {
        AppError::invalid("organization", InvalidReason::Malformed { detail: "an active organization's slug".into() })
    })?;
    if !decide_in(&mut tx, id, RegistrationStatus::Approved, actor.id, None, now).await? {
        return Err(already_decided());
    }
    let user_id =
        create_account_in(&mut tx, &registration, organization_id, actor.id, &token_hash, now, expires).await?;
    let payload = json!({
        "organization": organization_name,
        "url": format!("{}/invitation/{token}", settings.public_url),
        "expires": expires.strftime("%Y-%m-%d").to_string(),
    });
    enqueue_to_user_in(&mut tx, user_id, &registration.email, "registration_approved", &payload).await?;
    super::audit::record_in(
        &mut tx,
        actor,
        "registration.approved",
        &target(id),
        Some(json!({"status": "pending", "email": registration.email})),
        Some(json!({"status": "approved", "email": registration.email, "organization": slug, "user_id": user_id})),
    )
    .await?;
    tx.commit().await?;
    store.committed(0);
    tracing::info!(actor = actor.id, registration = id, user = user_id, "registration approved");
    if let Some(user) = store.user_by_id(user_id).await? {
        super::contacts::seat_new_contact(store, &user).await?;
    }
    store.registration_listed(id).await?.ok_or(AppError::Internal)
}

/// Rejects a pending request with `reason` (required, at most 2,000 characters), which is
/// emailed to the person; no account is made. One transaction with the decision, the mail
/// and the admin log entry. Refused on `reason` (422) or `registration` (422: already
/// decided); each changes nothing.
pub async fn reject(store: &Store, actor: &UserRecord, id: i64, reason: &str) -> Result<Registration, AppError> {
    require_admin(actor)?;
    check_reason(reason)?;
    let reason = reason.trim();
    let registration = pending(store, actor, id).await?;
    let now = Timestamp::now();
    let mut tx = store.begin_write().await?;
    if !decide_in(&mut tx, id, RegistrationStatus::Rejected, actor.id, Some(reason), now).await? {
        return Err(already_decided());
    }
    let payload = json!({ "name": registration.name, "language": registration.language, "reason": reason });
    enqueue_addressed_in(&mut tx, &registration.email, "registration_rejected", &payload).await?;
    super::audit::record_in(
        &mut tx,
        actor,
        "registration.rejected",
        &target(id),
        Some(json!({"status": "pending", "email": registration.email})),
        Some(json!({"status": "rejected", "email": registration.email, "reason": reason})),
    )
    .await?;
    tx.commit().await?;
    store.committed(0);
    tracing::info!(actor = actor.id, registration = id, "registration rejected");
    store.registration_listed(id).await?.ok_or(AppError::Internal)
}
