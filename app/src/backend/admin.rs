//! Administration: organizations and users, with every field checked before it is saved.

use super::accounts::hash_password;
use super::store::{NewUser, Organization, Store, UserRecord};
use crate::domain::Role;
use crate::domain::people::check_name;
use crate::domain::slug::check_slug;
use crate::error::{AppError, InvalidReason};

fn require_admin(actor: &UserRecord) -> Result<(), AppError> {
    if actor.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

pub async fn create_organization(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    name: &str,
    plan: &str,
) -> Result<Organization, AppError> {
    require_admin(actor)?;
    check_slug(slug)?;
    check_name("name", name)?;
    if super::contracts::plan_by_id(store, plan).await?.is_none() {
        return Err(AppError::invalid("plan", InvalidReason::Malformed { detail: "unknown plan id".into() }));
    }
    let org = store.create_organization(slug, name.trim(), plan).await?;
    super::contracts::start_contract(store, &org).await?;
    tracing::info!(slug, plan, actor = actor.id, "organization created");
    let after = serde_json::json!({"slug": org.slug, "name": org.name, "plan": org.plan});
    super::audit::record(
        store,
        actor,
        "organization.created",
        &format!("organization:{}", org.slug),
        None,
        Some(after),
    )
    .await?;
    Ok(org)
}

pub struct UserRequest<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organization: Option<&'a str>,
    /// A customer who administers their organization (refused for support roles).
    pub org_admin: bool,
}

pub async fn create_user(store: &Store, actor: &UserRecord, request: UserRequest<'_>) -> Result<UserRecord, AppError> {
    require_admin(actor)?;
    let user = ensure_user(store, request).await?;
    let after = super::people::snapshot_of(store, user.id).await?;
    super::audit::record(store, actor, "user.created", &format!("user:{}", user.id), None, after).await?;
    Ok(user)
}

/// Creates a user without an acting admin (start-up configuration, demo data).
pub async fn ensure_user(store: &Store, request: UserRequest<'_>) -> Result<UserRecord, AppError> {
    let email = super::accounts::person_address("email", request.email)?;
    let email = email.as_str();
    check_name("name", request.name)?;
    let organization_id = match (request.role, request.organization) {
        (Role::Customer, Some(slug)) => {
            Some(super::organizations::named_organization_id(store, "organization", slug).await?)
        }
        (Role::Customer, None) => return Err(AppError::invalid("organization", InvalidReason::Required)),
        (_, Some(_)) => return Err(AppError::invalid("organization", InvalidReason::NotAllowed)),
        (_, None) => None,
    };
    if request.org_admin && request.role != Role::Customer {
        return Err(AppError::invalid("org_admin", InvalidReason::NotAllowed));
    }
    let hash = hash_password(request.password).await?;
    let user = store
        .create_user(NewUser {
            email,
            name: request.name.trim(),
            role: request.role,
            organization_id,
            org_admin: request.org_admin,
            password_hash: &hash,
            time_zone: None,
            language: None,
        })
        .await?;
    super::contacts::seat_new_contact(store, &user).await?;
    store.user_by_id(user.id).await?.ok_or(AppError::Internal)
}

/// Makes sure the configured admin exists with the configured password; creating them or
/// setting their password is in the admin log as the server's own action (no actor).
pub async fn ensure_admin(store: &Store, email: &str, password: &str) -> Result<(), AppError> {
    if let Some(id) = store.deactivated_admin_by_email(email).await? {
        // The configuration says this admin exists: deactivated, they are active again.
        super::people::reactivate_by_server(store, id).await?;
    }
    match store.user_by_email(email).await? {
        // A changed password ends the admin's tokens and sessions; an unchanged one (every
        // restart) leaves them.
        Some(user) if user.role == Role::Admin => {
            if super::accounts::password_matches(&user, password).await {
                return Ok(());
            }
            let hash = hash_password(password).await?;
            store.change_password_hash(user.id, &hash, None).await?;
            let target = format!("user:{}", user.id);
            super::audit::record_by_server(store, "user.password_set", &target, None, None).await
        }
        Some(_) => Err(AppError::invalid("email", InvalidReason::NotAllowed)),
        None => {
            let request = UserRequest {
                email,
                password,
                name: "Administrator",
                role: Role::Admin,
                organization: None,
                org_admin: false,
            };
            let user = ensure_user(store, request).await?;
            let after = super::people::snapshot_of(store, user.id).await?;
            super::audit::record_by_server(store, "user.created", &format!("user:{}", user.id), None, after).await
        }
    }
}

/// An admin lets an organization's known contacts open cases by email, or stops it.
pub async fn set_email_intake(store: &Store, actor: &UserRecord, slug: &str, allowed: bool) -> Result<(), AppError> {
    require_admin(actor)?;
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let before = store.email_intake(organization.id).await?;
    store.set_email_intake(organization.id, allowed).await?;
    tracing::info!(organization = %slug, allowed, actor = actor.id, "email intake set");
    super::audit::record(
        store,
        actor,
        "email_intake.set",
        &format!("organization:{slug}"),
        Some(serde_json::json!({"allowed": before})),
        Some(serde_json::json!({"allowed": allowed})),
    )
    .await
}
