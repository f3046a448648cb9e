//! Password reset: a person who forgot their password asks for a link by email and chooses
//! a new password there. The answer to the request is the same whatever the address (an
//! account, none, a removed or deactivated one): what depends on the account (looking it up,
//! keeping the link, queueing the mail) happens after the answer, off the request. The link
//! works once, for [`RESET_LIFETIME`]; only its SHA-256 is kept. Using it sets the password
//! (the rules of [`super::accounts`]) and ends every session and API token of the person.
//! Requests are limited per email (over the limit the answer stays the same, and nothing
//! is sent) and per client address (429).


use jiff::{SignedDuration, Timestamp};

use super::accounts::{check_password_rules, hash_password, new_secret, person_address};
use super::mail::MailSettings;
use super::store::{AWAITING_PASSWORD, Store, UserRecord, fingerprint};
use crate::error::{AppError, InvalidReason};

/// How long a reset link works.
pub const RESET_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

/// Links one person may be sent in an hour, counted in the database (every instance
/// together): a flood of requests cannot flood their mailbox.
pub const RESETS_PER_HOUR: i64 = 3;

/// What every request answers, whatever the address.
pub const RESET_REQUESTED: &str = "If an account exists for this address, a link to choose a new password is on its way. It works once, within an hour.";

/// The body of `202 Accepted`: the same for every address.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ResetRequested {
    #[schema(example = "accepted")]
    pub status: &'static str,
    pub message: &'static str,
}

impl ResetRequested {
    pub fn answer() -> ResetRequested {
        ResetRequested { status: "accepted", message: RESET_REQUESTED }
    }
}

/// Someone asks for a reset link for `email`. Refused only for what says nothing about any
/// account: a client address over its limit (429) or text that is not an email address
/// (422 `email`). Otherwise the answer is the same, and the link is sent afterwards, if
/// there is an account to send it to.
pub async fn request(
    store: &Store,
    settings: &MailSettings,
    limiter: &super::email_request_limiter::EmailRequestLimiter,
    client: Option<std::net::IpAddr>,
    email: &str,
) -> Result<ResetRequested, AppError> {
    limiter.check_client(client)?;
    let email = person_address("email", email)?;
    // The same work for every address before the answer: a new secret and its hash.
    let (token, token_hash) = new_secret();
    let shown = fingerprint(email.as_bytes())[..12].to_owned();
    if !limiter.email_allowed(&email) {
        tracing::info!(email = %shown, "password reset not sent: too many requests for this address");
        return Ok(ResetRequested::answer());
    }
    let (store, settings) = (store.clone(), settings.clone());
    tokio::spawn(async move {
        if let Err(e) = send_link(&store, &settings, &email, &token, &token_hash).await {
            tracing::error!(email = %shown, error = %e, "password reset link not sent");
        }
    });
    Ok(ResetRequested::answer())
}

/// After the answer: the link for the account of `email`, if it has one that may sign in.
async fn send_link(
    store: &Store,
    settings: &MailSettings,
    email: &str,
    token: &str,
    token_hash: &str,
) -> Result<(), AppError> {
    let shown = &fingerprint(email.as_bytes())[..12];
    let Some(user) = store.user_by_email(email).await? else {
        tracing::info!(email = %shown, "password reset not sent: no account");
        return Ok(());
    };
    if user.password_hash == AWAITING_PASSWORD {
        // Invited, not signed up yet: their invitation link is the way in.
        tracing::info!(user = user.id, "password reset not sent: invitation not accepted yet");
        return Ok(());
    }
    let now = Timestamp::now();
    let payload = serde_json::json!({ "url": format!("{}/password-reset/{token}", settings.public_url) });
    let since = now - SignedDuration::from_hours(1);
    let sent = store
        .create_password_reset(
            user.id,
            &user.email,
            token_hash,
            now,
            now + RESET_LIFETIME,
            &payload,
            RESETS_PER_HOUR,
            since,
        )
        .await?;
    if sent {
        tracing::info!(user = user.id, "password reset link sent");
    } else {
        tracing::info!(user = user.id, "password reset not sent: too many links this hour");
    }
    Ok(())
}

/// The person behind a reset link chooses a new password; returns them (to sign in).
/// A link used, expired or mistyped is refused the same way (422 `token`) and changes
/// nothing; so does a password the rules refuse (422 `password`: the link still works).
pub async fn confirm(store: &Store, token: &str, password: &str) -> Result<UserRecord, AppError> {
    let unknown = || AppError::invalid("token", InvalidReason::NotAllowed);
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        tracing::info!("password reset refused: malformed link");
        return Err(unknown());
    }
    check_password_rules(password)?;
    let hash = hash_password(password).await?;
    match store.use_password_reset(&fingerprint(token.as_bytes()), &hash, Timestamp::now()).await? {
        Some(user) => {
            tracing::info!(user = user.id, "password reset: new password set; every session and API token ended");
            Ok(user)
        }
        None => {
            tracing::info!("password reset refused: link used, expired or unknown");
            Err(unknown())
        }
    }
}
