//! Accounts: argon2id passwords, sessions and API tokens (random secrets of which only a
//! hash is stored), and the sign-in rate limit.

use std::num::NonZeroU32;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;

use super::store::{Store, UserRecord, fingerprint};
use crate::error::{AppError, InvalidReason};

pub const SESSION_COOKIE: &str = "caseboard_session";
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 14);
pub const API_TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 90);
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_BYTES: usize = 1024;

/// Sign-in attempts, limited twice: per email address (a burst of 10, then one every 6
/// seconds: enough for a person who mistypes, far too few to guess a password) and per
/// client address (one password tried across many emails; by default a burst of 30, then 30
/// a minute, so an office behind one address still signs in at nine).
pub struct SignInLimiter {
    per_email: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<std::net::IpAddr>,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter::new(NonZeroU32::new(30).expect("30 is not zero"))
    }
}

impl SignInLimiter {
    /// `per_client_per_minute`: attempts one client address may make a minute (and at once).
    pub fn new(per_client_per_minute: NonZeroU32) -> SignInLimiter {
        SignInLimiter {
            per_email: RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(10).expect("10 is not zero"))),
            per_client: RateLimiter::keyed(Quota::per_minute(per_client_per_minute)),
        }
    }

    /// Counts one attempt from `client` (when it is unknown, all such attempts share one
    /// count) for `email`; refused once either is spent.
    fn check(&self, email: &str, client: Option<std::net::IpAddr>) -> Result<(), AppError> {
        let client = client.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let refused = |not_until: governor::NotUntil<_>| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
        };
        self.per_client.check_key(&client).map_err(|e| {
            tracing::info!(client = %client, "sign-in attempts from one address refused");
            refused(e)
        })?;
        self.per_email.check_key(&email.trim().to_lowercase()).map_err(refused)
    }

    /// Forgets keys whose limits have fully recovered (memory stays bounded by recent use).
    pub fn forget_recovered(&self) {
        self.per_email.retain_recent();
        self.per_client.retain_recent();
    }
}

/// A person's email address as typed (trimmed, lowercased), or 422 on `field`: one plain
/// address (no display name) with a domain of at least two labels, so `dan@acme` (a
/// missing `.example`) is caught where it is typed, not when mail to it bounces.
pub fn person_address(field: &str, text: &str) -> Result<String, AppError> {
    let text = text.trim();
    let options = email_address::Options { allow_display_text: false, ..Default::default() }.with_required_tld();
    email_address::EmailAddress::parse_with_options(text, options)
        .map(|_| text.to_lowercase())
        .map_err(|_| AppError::invalid(field, InvalidReason::Malformed { detail: "not an email address".into() }))
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes), off the
/// async threads.
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    check_password_rules(password)?;
    let password = password.to_owned();
    let _permit = HASHING.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

pub fn check_password_rules(password: &str) -> Result<(), AppError> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(AppError::invalid(
            "password",
            InvalidReason::Malformed { detail: format!("at least {PASSWORD_MIN_CHARS} characters") },
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(AppError::invalid("password", InvalidReason::TooLong { max: PASSWORD_MAX_BYTES }));
    }
    Ok(())
}

/// At most this many password hashes are computed at once (each takes 19 MiB and a core
/// for tens of milliseconds): a flood of sign-ins waits its turn instead of growing memory.
const HASHES_AT_ONCE: usize = 4;
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHES_AT_ONCE);

/// Verifies a password against a stored hash. Every path costs one real hash: an account
/// without a password yet (invited, not accepted) is checked against the decoy, so its
/// answer takes as long as a wrong password's.
async fn verify_password(hash: String, password: String) -> bool {
    let Ok(_permit) = HASHING.acquire().await else { return false };
    tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => {
            if let Ok(decoy) = PasswordHash::new(&DECOY_HASH) {
                let _ = Argon2::default().verify_password(password.as_bytes(), &decoy);
            }
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// A hash of a throw-away password, verified when the email is unknown so that an
/// unknown email takes as long as a wrong password.
static DECOY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default().hash_password(b"decoy password, never valid", &salt).map(|h| h.to_string()).unwrap_or_default()
});

/// Checks email and password. Unknown email and wrong password get the same answer.
pub async fn authenticate(
    store: &Store,
    limiter: &SignInLimiter,
    client: Option<std::net::IpAddr>,
    email: &str,
    password: &str,
) -> Result<UserRecord, AppError> {
    limiter.check(email, client)?;
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(AppError::BadCredentials);
    }
    let user = store.user_by_email(email).await?;
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => DECOY_HASH.clone(),
    };
    let ok = verify_password(hash, password.to_owned()).await;
    // A contact of a deactivated organization gets the same answer as a wrong password.
    let deactivated = match user.as_ref().and_then(|u| u.organization_id) {
        Some(organization_id) if ok => !store.organization_active(organization_id).await?,
        _ => false,
    };
    match user {
        Some(_) if deactivated => {
            tracing::info!("sign-in refused: the organization is deactivated");
            Err(AppError::BadCredentials)
        }
        Some(user) if ok => Ok(user),
        _ => {
            // The address is the caller's text: logged as a fingerprint, never as it is.
            tracing::info!(email = %&fingerprint(email.trim().to_lowercase().as_bytes())[..12], "sign-in refused");
            Err(AppError::BadCredentials)
        }
    }
}

/// A new random secret (hex) and the hash under which the store keeps it.
pub(super) fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let hash = fingerprint(secret.as_bytes());
    (secret, hash)
}

/// Starts a browser session; the returned secret goes into the HttpOnly cookie. A new
/// secret at every sign-in: a session id planted before sign-in is worthless.
pub async fn start_session(store: &Store, user: &UserRecord) -> Result<String, AppError> {
    let (secret, hash) = new_secret();
    store.create_session(user.id, &hash, Timestamp::now() + SESSION_LIFETIME).await?;
    Ok(secret)
}

pub async fn end_session(store: &Store, secret: &str) -> Result<(), AppError> {
    store.delete_session(&fingerprint(secret.as_bytes())).await
}

pub async fn user_by_session(store: &Store, secret: &str) -> Result<Option<UserRecord>, AppError> {
    store.user_by_session(&fingerprint(secret.as_bytes())).await
}

/// Live API tokens one person may hold at once: enough for every script and integration,
/// and a bound on what their list shows.
pub const API_TOKENS_PER_PERSON: i64 = 50;
/// The longest name of an API token, in characters.
pub const API_TOKEN_NAME_MAX: usize = 100;

/// An API token as its owner sees it in the list (the settings page shows it too).
pub use crate::domain::account::ApiTokenSummary;

/// A new API token: its secret, shown once, and its id (to revoke it).
#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub id: i64,
    pub secret: String,
    pub expires_at: Timestamp,
}

/// Issues an API token for a person who just proved their password. Refused (422, `name`)
/// for a name that is too long, and (422, `token`) when they hold too many already.
pub async fn issue_api_token(store: &Store, user: &UserRecord, name: &str) -> Result<IssuedToken, AppError> {
    let name = name.trim();
    if name.chars().count() > API_TOKEN_NAME_MAX {
        return Err(AppError::invalid("name", InvalidReason::TooLong { max: API_TOKEN_NAME_MAX }));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::invalid("name", InvalidReason::Malformed { detail: "no control characters".into() }));
    }
    let (secret, hash) = new_secret();
    let now = Timestamp::now();
    let expires_at = now + API_TOKEN_LIFETIME;
    let Some(id) = store.create_api_token(user.id, name, &hash, now, expires_at, API_TOKENS_PER_PERSON).await? else {
        return Err(AppError::invalid(
            "token",
            InvalidReason::Malformed {
                detail: format!("at most {API_TOKENS_PER_PERSON} live tokens per person; revoke one first"),
            },
        ));
    };
    tracing::info!(user = user.id, token = id, "API token issued");
    Ok(IssuedToken { id, secret, expires_at })
}

pub async fn user_by_api_token(store: &Store, secret: &str) -> Result<Option<UserRecord>, AppError> {
    store.user_by_api_token(&fingerprint(secret.as_bytes()), Timestamp::now()).await
}

/// The caller's live API tokens, newest first (bounded by [`API_TOKENS_PER_PERSON`]);
/// `current_secret` is the token of this request, if it came with one.
pub async fn api_tokens(
    store: &Store,
    user: &UserRecord,
    current_secret: Option<&str>,
) -> Result<Vec<ApiTokenSummary>, AppError> {
    let current = current_secret.map(|s| fingerprint(s.as_bytes()));
    let hour = |t: Timestamp| t.round(jiff::Unit::Hour).map(|t| t.to_string()).unwrap_or_else(|_| t.to_string());
    Ok(store
        .api_tokens_of(user.id, Timestamp::now(), API_TOKENS_PER_PERSON)
        .await?
        .into_iter()
        .map(|t| ApiTokenSummary {
            id: t.id,
            current: current.as_deref() == Some(t.token_hash.as_str()),
            name: t.name,
            created_at: t.created_at.to_string(),
            expires_at: t.expires_at.to_string(),
            last_used_at: t.last_used_at.map(hour),
        })
        .collect())
}

/// Revokes one of the caller's own API tokens (someone else's is `NotFound`, as a missing one).
pub async fn revoke_api_token(store: &Store, user: &UserRecord, token_id: i64) -> Result<(), AppError> {
    if !store.revoke_api_token(user.id, token_id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(user = user.id, token = token_id, "API token revoked");
    Ok(())
}

/// A person changes their own password: the current one must be right (checked like a
/// sign-in, with its rate limit). Every API token and every other session of theirs ends
/// in the same transaction; `keep_session` (the browser that made the change) stays.
pub async fn change_password(
    store: &Store,
    limiter: &SignInLimiter,
    client: Option<std::net::IpAddr>,
    user: &UserRecord,
    current_password: &str,
    new_password: &str,
    keep_session: Option<&str>,
) -> Result<(), AppError> {
    limiter.check(&user.email, client)?;
    check_password_rules(new_password).map_err(|e| rename_field(e, "new_password"))?;
    let right = current_password.len() <= PASSWORD_MAX_BYTES
        && verify_password(user.password_hash.clone(), current_password.to_owned()).await;
    if !right {
        tracing::info!(user = user.id, "password change refused: wrong current password");
        return Err(AppError::invalid(
            "current_password",
            InvalidReason::Malformed { detail: "not your current password".into() },
        ));
    }
    let hash = hash_password(new_password).await.map_err(|e| rename_field(e, "new_password"))?;
    let keep = keep_session.map(|s| fingerprint(s.as_bytes()));
    store.change_password_hash(user.id, &hash, keep.as_deref()).await?;
    tracing::info!(user = user.id, "password changed; API tokens and other sessions ended");
    Ok(())
}

fn rename_field(error: AppError, field: &str) -> AppError {
    match error {
        AppError::Invalid { reason, .. } => AppError::Invalid { field: field.to_owned(), reason },
        other => other,
    }
}

/// Whether `password` is the one `user` has (one real hash, as a sign-in).
pub async fn password_matches(user: &UserRecord, password: &str) -> bool {
    password.len() <= PASSWORD_MAX_BYTES && verify_password(user.password_hash.clone(), password.to_owned()).await
}

/// The `Set-Cookie` value for a session secret (empty secret and zero age sign out).
/// `secure`: the site is served over https (the cookie then never travels in clear).
pub fn session_cookie(secret: &str, max_age: SignedDuration, secure: bool) -> String {
    use axum_extra::extract::cookie::{Cookie, SameSite};
    Cookie::build((SESSION_COOKIE, secret.to_owned()))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie_duration(max_age))
        .build()
        .to_string()
}

fn cookie_duration(d: SignedDuration) -> cookie::time::Duration {
    cookie::time::Duration::seconds(d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_address_needs_a_full_domain_and_nothing_around_it() {
        assert_eq!(person_address("email", "  Dan@Acme.Example ").unwrap(), "dan@acme.example");
        for bad in ["dan@acme", "dan", "Dan <dan@acme.example>", "dan@", "@acme.example", "dan@@acme.example"] {
            assert!(person_address("email", bad).is_err(), "{bad}");
        }
    }
}
