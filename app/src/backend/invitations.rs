//! Invitations: an organization's admin adds a contact by email, within the plan's seats;
//! the person is emailed a link (good for seven days, once) where they choose their
//! password, and are signed in. Only the link's SHA-256 is kept.

use jiff::{SignedDuration, Timestamp};

use super::accounts::{check_password_rules, hash_password, new_secret};
use super::mail::MailSettings;
use super::store::{NewUser, Store, UserRecord, fingerprint};
use crate::domain::Role;
use crate::domain::people::Contacts;
use crate::error::{AppError, InvalidReason};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: SignedDuration = SignedDuration::from_hours(7 * 24);

/// Not a password hash: an invited person cannot sign in before choosing their password.
const NO_PASSWORD_YET: &str = "!invited";

/// Who to invite.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema),
    schema(example = json!({"name": "Dana Reed", "email": "dana@acme.example", "opens_cases": false})))]
#[serde(deny_unknown_fields)]
pub struct Invitation {
    /// At most 200 characters, one line.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(min_length = 1))]
    pub email: String,
    /// Give them one of the organization's seats (they may open cases).
    #[serde(default)]
    pub opens_cases: bool,
}

/// Invites a contact into organization `slug`; returns the contacts as they are now.
pub async fn invite(
    store: &Store,
    settings: &MailSettings,
    actor: &UserRecord,
    slug: &str,
    invitation: Invitation,
) -> Result<Contacts, AppError> {
    let organization = super::contacts::managed(store, actor, slug).await?;
    let refused = |e: AppError| {
        tracing::info!(actor = actor.id, organization = %slug, error = %e, "invitation refused");
        e
    };
    let email = super::accounts::person_address("email", &invitation.email).map_err(refused)?;
    super::admin::check_name("name", &invitation.name).map_err(refused)?;
    let seats = super::contacts::seats(store, &organization).await?;
    if invitation.opens_cases
        && let Some(seats) = seats
    {
        let taken = store.contacts(organization.id).await?.iter().filter(|c| c.opens_cases).count();
        if taken >= seats as usize {
            return Err(refused(AppError::invalid("opens_cases", InvalidReason::TooLong { max: seats as usize })));
        }
    }
    if let Some(existing) = store.user_by_email(&email).await? {
        // Already a contact here: the admin sees them in the list, nothing to hide.
        if existing.organization_id == Some(organization.id) {
            return Err(refused(AppError::invalid("email", InvalidReason::NotAllowed)));
        }
        // Someone with an account elsewhere (another organization, or support): the answer
        // is the one a new address gets, so an admin cannot probe who has an account; the
        // person is told by email instead (at most three such notes a day).
        let payload = serde_json::json!({ "inviter": actor.name, "organization": organization.name });
        let since = Timestamp::now() - SignedDuration::from_hours(24);
        let told =
            store.enqueue_limited("invitation_existing", existing.id, &existing.email, &payload, 3, since).await?;
        tracing::info!(actor = actor.id, organization = %slug, told, "invitation of an existing account: its owner told");
        return super::contacts::list(store, actor, slug).await;
    }
    let user = store
        .create_user(NewUser {
            email: &email,
            name: invitation.name.trim(),
            role: Role::Customer,
            organization_id: Some(organization.id),
            org_admin: false,
            password_hash: NO_PASSWORD_YET,
            time_zone: None,
            language: Some(&actor.language),
        })
        .await?;
    store.set_case_opener(organization.id, user.id, invitation.opens_cases, seats).await?;
    let (token, token_hash) = new_secret();
    let now = Timestamp::now();
    let expires = now + INVITATION_LIFETIME;
    store.create_invitation(user.id, &token_hash, actor.id, now, expires).await?;
    let payload = serde_json::json!({
        "inviter": actor.name,
        "organization": organization.name,
        "url": format!("{}/invitation/{token}", settings.public_url),
        "expires": expires.strftime("%Y-%m-%d").to_string(),
    });
    store.enqueue_mail(user.id, &email, "invitation", &payload).await?;
    tracing::info!(actor = actor.id, contact = user.id, opens_cases = invitation.opens_cases, "contact invited");
    super::contacts::list(store, actor, slug).await
}

/// The person behind an invitation link chooses their password; returns them, to sign in.
/// A link used, expired or mistyped is refused the same way (field `invitation`).
pub async fn accept(store: &Store, token: &str, password: &str) -> Result<UserRecord, AppError> {
    let unknown = || AppError::invalid("invitation", InvalidReason::NotAllowed);
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        tracing::info!("invitation refused: malformed link");
        return Err(unknown());
    }
    check_password_rules(password)?;
    let hash = hash_password(password).await?;
    match store.accept_invitation(&fingerprint(token.as_bytes()), &hash, Timestamp::now()).await? {
        Some(user) => {
            tracing::info!(user = user.id, "invitation accepted");
            Ok(user)
        }
        None => {
            tracing::info!("invitation refused: used, expired or unknown");
            Err(unknown())
        }
    }
}
