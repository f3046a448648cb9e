//! An organization's contacts and its seats: the organization's admin (or a Caseboard
//! admin) says which contacts may open cases, within the number the plan allows (Coveo:
//! two), who else administers the organization, and removes contacts who left. The
//! organization always keeps one admin.

use jiff::Timestamp;

use super::store::{ContactChange, Organization, Store, UserRecord};
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
    let taken = store.seats_taken(organization_id).await?.saturating_sub(u32::from(user.opens_cases));
    if taken >= seats {
        store.set_case_opener(organization_id, user.id, false, None).await?;
        tracing::info!(user = user.id, "new contact without a seat: the organization's seats are taken");
    }
    Ok(())
}

/// Contacts a page shows when no `limit` is asked for.
pub const CONTACTS_PAGE: i64 = 100;

/// A page of the organization's contacts after `cursor` (at most `limit`, 1 to 1,000).
pub async fn list(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<Contacts, AppError> {
    let organization = managed(store, actor, slug).await?;
    let limit = match limit {
        None => CONTACTS_PAGE,
        Some(n) if (1..=super::store::CONTACTS_SHOWN).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid(
                "limit",
                crate::error::InvalidReason::Malformed { detail: "a number from 1 to 1000".into() },
            ));
        }
    };
    let after = cursor.filter(|c| !c.is_empty()).map(|c| super::cursor::parse_name('c', c)).transpose()?;
    page_of(store, &organization, after.as_ref().map(|(n, id)| (n.as_str(), *id)), limit).await
}

pub(super) async fn contacts_of(store: &Store, organization: &Organization) -> Result<Contacts, AppError> {
    page_of(store, organization, None, CONTACTS_PAGE).await
}

async fn page_of(
    store: &Store,
    organization: &Organization,
    after: Option<(&str, i64)>,
    limit: i64,
) -> Result<Contacts, AppError> {
    let mut contacts = store.contacts(organization.id, Timestamp::now(), after, limit + 1).await?;
    let more = contacts.len() as i64 > limit;
    contacts.truncate(limit as usize);
    let next_cursor = if more { contacts.last().map(|c| super::cursor::name_after('c', &c.name, c.id)) } else { None };
    Ok(Contacts {
        contacts,
        next_cursor,
        seats: seats(store, organization).await?,
        seats_taken: store.seats_taken(organization.id).await?,
    })
}

/// Gives a seat or takes it back; past the plan's seats it is refused on `opens_cases`.
pub async fn set_opener(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    user_id: i64,
    opens: bool,
) -> Result<Contacts, AppError> {
    let change = ContactEdit { opens_cases: Some(opens), ..Default::default() };
    edit(store, actor, slug, user_id, change).await
}

/// What an organization's admin changes on a contact; a field left out stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema),
    schema(example = json!({"name": "Alice Martin", "org_admin": false, "opens_cases": true})))]
#[serde(deny_unknown_fields)]
pub struct ContactEdit {
    /// At most 200 characters, one line.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the contact administers the organization (its contacts and seats); the
    /// organization's last admin cannot be demoted.
    #[serde(default)]
    pub org_admin: Option<bool>,
    /// Whether the contact holds a seat (may open cases); refused past the plan's seats.
    #[serde(default)]
    pub opens_cases: Option<bool>,
}

/// Changes a contact's name, admin role or seat, all or nothing. Another organization's
/// contact is not found.
pub async fn edit(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    user_id: i64,
    edit: ContactEdit,
) -> Result<Contacts, AppError> {
    let organization = managed(store, actor, slug).await?;
    let refused = |e: AppError| {
        tracing::info!(actor = actor.id, contact = user_id, error = %e, "contact change refused");
        e
    };
    if let Some(name) = &edit.name {
        crate::domain::people::check_name("name", name).map_err(refused)?;
    }
    let change = ContactChange {
        name: edit.name.as_deref().map(str::trim),
        org_admin: edit.org_admin,
        opens_cases: edit.opens_cases,
    };
    let seats = seats(store, &organization).await?;
    store.change_contact(organization.id, user_id, &change, seats).await.map_err(refused)?;
    tracing::info!(
        actor = actor.id,
        contact = user_id,
        renamed = edit.name.is_some(),
        org_admin = ?edit.org_admin,
        opens_cases = ?edit.opens_cases,
        "contact changed"
    );
    contacts_of(store, &organization).await
}

/// Removes a contact from the organization: they can no longer sign in, write in by email
/// or be told of the organization's cases; the cases they opened or answered stay, under
/// their name. The organization's last admin cannot be removed.
pub async fn remove(store: &Store, actor: &UserRecord, slug: &str, user_id: i64) -> Result<Contacts, AppError> {
    let organization = managed(store, actor, slug).await?;
    match store.remove_contact(organization.id, user_id, Timestamp::now()).await {
        Ok(()) => tracing::info!(actor = actor.id, contact = user_id, "contact removed"),
        Err(e) => {
            tracing::info!(actor = actor.id, contact = user_id, error = %e, "contact removal refused");
            return Err(e);
        }
    }
    contacts_of(store, &organization).await
}
