//! Invitations: an organization's admin adds a contact by email, within the plan's seats;
//! the person is emailed a link (good for seven days, once) where they choose their
//! password, and are signed in. Only the link's SHA-256 is kept. Until then the admin may
//! send a new link (the old one stops working) or revoke it.

use jiff::{SignedDuration, Timestamp};

use super::accounts::{check_password_rules, hash_password, new_secret};
use super::mail::MailSettings;
use super::store::{AWAITING_PASSWORD, NewUser, Organization, Store, UserRecord, fingerprint};
use crate::domain::Role;
use crate::domain::people::Contacts;
use crate::error::{AppError, InvalidReason};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: SignedDuration = SignedDuration::from_hours(7 * 24);

/// Invitation mails one person may be sent in a day (the first one included): a resent
/// link cannot be used to flood someone's mailbox.
pub const INVITATIONS_PER_DAY: i64 = 3;

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
    crate::domain::people::check_name("name", &invitation.name).map_err(refused)?;
    let seats = super::contacts::seats(store, &organization).await?;
    if invitation.opens_cases
        && let Some(seats) = seats
        && store.seats_taken(organization.id).await? >= seats
    {
        return Err(refused(AppError::invalid("opens_cases", InvalidReason::TooLong { max: seats as usize })));
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
        return super::contacts::list(store, actor, slug, None, None).await;
    }
    let user_id = match store.removed_contact_by_email(organization.id, &email).await? {
        // Removed from this organization earlier: invited back, with their account and cases.
        Some(id) => {
            store.reinstate_contact(organization.id, id, invitation.name.trim()).await?;
            tracing::info!(actor = actor.id, contact = id, "removed contact invited back");
            id
        }
        // Removed from another organization: the answer a new address gets, and nothing sent.
        None if store.email_taken(&email).await? => {
            tracing::info!(actor = actor.id, organization = %slug, "invitation of a removed account elsewhere: nothing sent");
            return super::contacts::list(store, actor, slug, None, None).await;
        }
        None => {
            store
                .create_user(NewUser {
                    email: &email,
                    name: invitation.name.trim(),
                    role: Role::Customer,
                    organization_id: Some(organization.id),
                    org_admin: false,
                    password_hash: AWAITING_PASSWORD,
                    time_zone: None,
                    language: Some(&actor.language),
                })
                .await?
                .id
        }
    };
    store.set_case_opener(organization.id, user_id, invitation.opens_cases, seats).await?;
    let (token, token_hash) = new_secret();
    let now = Timestamp::now();
    let expires = now + INVITATION_LIFETIME;
    store.create_invitation(user_id, &token_hash, actor.id, now, expires).await?;
    let payload = invitation_mail(settings, actor, &organization, &token, expires);
    store.enqueue_mail(user_id, &email, "invitation", &payload).await?;
    tracing::info!(actor = actor.id, contact = user_id, opens_cases = invitation.opens_cases, "contact invited");
    super::contacts::list(store, actor, slug, None, None).await
}

/// What the invitation mail says: who invites, to which organization, the link and until when.
fn invitation_mail(
    settings: &MailSettings,
    actor: &UserRecord,
    organization: &Organization,
    token: &str,
    expires: Timestamp,
) -> serde_json::Value {
    serde_json::json!({
        "inviter": actor.name,
        "organization": organization.name,
        "url": format!("{}/invitation/{token}", settings.public_url),
        "expires": expires.strftime("%Y-%m-%d").to_string(),
    })
}

/// Emails an invited contact a new link, good for seven days; every earlier link stops
/// working. Refused for a contact who already signed up (`invitation`), and past
/// [`INVITATIONS_PER_DAY`] mails to them (429, nothing changed).
pub async fn resend(
    store: &Store,
    settings: &MailSettings,
    actor: &UserRecord,
    slug: &str,
    user_id: i64,
) -> Result<Contacts, AppError> {
    let organization = super::contacts::managed(store, actor, slug).await?;
    let now = Timestamp::now();
    let contact = store.contact(organization.id, user_id, now).await?.ok_or(AppError::NotFound)?;
    if !contact.status.awaits_invitation() {
        tracing::info!(actor = actor.id, contact = user_id, "invitation not resent: already signed up");
        return Err(AppError::invalid("invitation", InvalidReason::AlreadyAccepted));
    }
    let (token, token_hash) = new_secret();
    let expires = now + INVITATION_LIFETIME;
    let payload = invitation_mail(settings, actor, &organization, &token, expires);
    let since = now - SignedDuration::from_hours(24);
    let sent = store
        .reissue_invitation(
            user_id,
            &contact.email,
            &token_hash,
            actor.id,
            now,
            expires,
            &payload,
            INVITATIONS_PER_DAY,
            since,
        )
        .await?;
    if let Err(oldest) = sent {
        let retry_after_secs = (oldest + SignedDuration::from_hours(24)).duration_since(now).as_secs().max(1) as u64;
        tracing::info!(actor = actor.id, contact = user_id, "invitation not resent: too many today");
        return Err(AppError::RateLimited { retry_after_secs });
    }
    tracing::info!(actor = actor.id, contact = user_id, "invitation resent");
    super::contacts::contacts_of(store, &organization).await
}

/// Revokes a contact's invitation: the emailed link stops working. The contact stays in the
/// list (the admin may send a new link, or remove them). Refused for a contact who already
/// signed up (`invitation`).
pub async fn revoke(store: &Store, actor: &UserRecord, slug: &str, user_id: i64) -> Result<Contacts, AppError> {
    let organization = super::contacts::managed(store, actor, slug).await?;
    let now = Timestamp::now();
    let contact = store.contact(organization.id, user_id, now).await?.ok_or(AppError::NotFound)?;
    if !contact.status.awaits_invitation() {
        tracing::info!(actor = actor.id, contact = user_id, "invitation not revoked: already signed up");
        return Err(AppError::invalid("invitation", InvalidReason::AlreadyAccepted));
    }
    store.revoke_invitations(user_id, now).await?;
    tracing::info!(actor = actor.id, contact = user_id, "invitation revoked");
    super::contacts::contacts_of(store, &organization).await
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
