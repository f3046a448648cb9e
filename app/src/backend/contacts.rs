//! An organization's contacts and its seats: the organization's admin (or a Caseboard
//! admin) says which contacts may open cases, within the number the plan allows (Coveo:
//! two); the others read and reply.

use super::store::{Organization, Store, UserRecord};
use crate::domain::Role;
use crate::domain::people::Contacts;
use crate::error::AppError;

/// The organization `actor` manages: their own, as its admin; any, as a Caseboard admin.
pub(super) async fn managed(store: &Store, actor: &UserRecord, slug: &str) -> Result<Organization, AppError> {
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let allowed = actor.role == Role::Admin || (actor.org_admin && actor.organization_id == Some(organization.id));
    if !allowed {
        tracing::info!(user = actor.id, organization = %slug, "contacts refused: not this organization's admin");
        // Another organization's contacts are not even said to exist.
        return Err(if actor.role == Role::Customer && actor.organization_id != Some(organization.id) {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    }
    Ok(organization)
}

pub(super) async fn seats(store: &Store, organization: &Organization) -> Result<Option<u32>, AppError> {
    let contract = super::contracts::contract_of(store, organization).await?;
    Ok(contract.plan_at(jiff::Timestamp::now()).case_openers)
}

/// A new contact takes a seat only while one is free; otherwise they read and reply until
/// their organization's admin gives them one.
pub async fn seat_new_contact(store: &Store, user: &UserRecord) -> Result<(), AppError> {
    let Some(organization_id) = user.organization_id else { return Ok(()) };
    let organization = store.organization_by_id(organization_id).await?.ok_or(AppError::Internal)?;
    let Some(seats) = seats(store, &organization).await? else { return Ok(()) };
    let taken = store.contacts(organization_id).await?.iter().filter(|c| c.opens_cases && c.id != user.id).count();
    if taken >= seats as usize {
        store.set_case_opener(organization_id, user.id, false, None).await?;
        tracing::info!(user = user.id, "new contact without a seat: the organization's seats are taken");
    }
    Ok(())
}

pub async fn list(store: &Store, actor: &UserRecord, slug: &str) -> Result<Contacts, AppError> {
    let organization = managed(store, actor, slug).await?;
    let contacts = store.contacts(organization.id).await?;
    let seats_taken = contacts.iter().filter(|c| c.opens_cases).count() as u32;
    Ok(Contacts { contacts, seats: seats(store, &organization).await?, seats_taken })
}

/// Gives a seat or takes it back; past the plan's seats it is refused on `opens_cases`.
pub async fn set_opener(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    user_id: i64,
    opens: bool,
) -> Result<Contacts, AppError> {
    let organization = managed(store, actor, slug).await?;
    let seats = seats(store, &organization).await?;
    match store.set_case_opener(organization.id, user_id, opens, seats).await {
        Ok(()) => tracing::info!(actor = actor.id, contact = user_id, opens, "seat changed"),
        Err(e) => {
            tracing::info!(actor = actor.id, contact = user_id, opens, error = %e, "seat change refused");
            return Err(e);
        }
    }
    list(store, actor, slug).await
}
