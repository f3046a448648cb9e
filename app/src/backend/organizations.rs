//! The admin console's organizations: the list (searched by name or slug, a page at a time
//! by name), one organization, renaming, deactivation and reactivation, and its products.
//! Every function is the admin's alone; every field is checked before anything is saved.

use serde::{Deserialize, Serialize};

use super::store::{OrganizationRecord, Store, UserRecord};
use crate::domain::people::check_name;
use crate::domain::slug::check_slug;
use crate::domain::{OrganizationSummary, Organizations, ProductLine, Role};
use crate::error::{AppError, InvalidReason};

/// Organizations a page shows when no `limit` is asked for.
pub const ORGANIZATIONS_PAGE: i64 = 50;
/// The most organizations one page shows.
pub const ORGANIZATIONS_PAGE_MAX: i64 = 200;
/// The longest search text, in characters.
pub const SEARCH_MAX_CHARS: usize = 100;
/// The most products one organization has.
pub const PRODUCTS_MAX: usize = 200;

fn to_value<T: Serialize>(value: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(|_| AppError::Internal)
}

/// Records an admin action on the organization `slug` in the admin log, unless it changed nothing.
async fn log_action<T: Serialize + PartialEq>(
    store: &Store,
    actor: &UserRecord,
    action: &str,
    slug: &str,
    before: Option<&T>,
    after: &T,
) -> Result<(), AppError> {
    if before == Some(after) {
        return Ok(());
    }
    let before = before.map(to_value).transpose()?;
    super::audit::record(store, actor, action, &format!("organization:{slug}"), before, Some(to_value(after)?)).await
}

pub(super) fn require_admin(actor: &UserRecord) -> Result<(), AppError> {
    if actor.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

async fn summary(store: &Store, record: OrganizationRecord) -> Result<OrganizationSummary, AppError> {
    let seats = super::contacts::seats(store, &record.organization).await?;
    let seats_taken = store.seats_taken(record.organization.id).await?;
    let OrganizationRecord { organization, active, email_intake } = record;
    Ok(OrganizationSummary {
        slug: organization.slug,
        name: organization.name,
        plan: organization.plan,
        active,
        seats,
        seats_taken,
        email_intake,
    })
}

async fn record_of(store: &Store, slug: &str) -> Result<OrganizationRecord, AppError> {
    store.organization_record(slug).await?.ok_or(AppError::NotFound)
}

/// A page of organizations by name after `cursor`, at most `limit` (1 to 200, default 50),
/// only those whose name or slug contains `search` when it is given.
/// The id of the organization a request names by slug, where an unknown one is a bad input
/// (422 on `field`), not a missing page: a filter, a new person's organization.
pub async fn named_organization_id(store: &Store, field: &str, slug: &str) -> Result<i64, AppError> {
    match store.organization_by_slug(slug).await? {
        Some(organization) => Ok(organization.id),
        None => Err(AppError::invalid(field, InvalidReason::Malformed { detail: "unknown organization".into() })),
    }
}

pub async fn list(
    store: &Store,
    actor: &UserRecord,
    search: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<Organizations, AppError> {
    require_admin(actor)?;
    let limit = match limit {
        None => ORGANIZATIONS_PAGE,
        Some(n) if (1..=ORGANIZATIONS_PAGE_MAX).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid(
                "limit",
                InvalidReason::Malformed { detail: format!("a number from 1 to {ORGANIZATIONS_PAGE_MAX}") },
            ));
        }
    };
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    if let Some(search) = search {
        if search.chars().count() > SEARCH_MAX_CHARS {
            return Err(AppError::invalid("q", InvalidReason::TooLong { max: SEARCH_MAX_CHARS }));
        }
        if search.chars().any(char::is_control) {
            return Err(AppError::invalid("q", InvalidReason::Malformed { detail: "control characters".into() }));
        }
    }
    let after = cursor.filter(|c| !c.is_empty()).map(|c| super::cursor::parse_name('o', c)).transpose()?;
    let mut records =
        store.organization_records(search, after.as_ref().map(|(n, id)| (n.as_str(), *id)), limit + 1).await?;
    let more = records.len() as i64 > limit;
    records.truncate(limit as usize);
    let next_cursor = if more {
        records.last().map(|r| super::cursor::name_after('o', &r.organization.name, r.organization.id))
    } else {
        None
    };
    let mut organizations = Vec::with_capacity(records.len());
    for record in records {
        organizations.push(summary(store, record).await?);
    }
    Ok(Organizations { organizations, next_cursor })
}

/// One organization, as the list shows it.
pub async fn get(store: &Store, actor: &UserRecord, slug: &str) -> Result<OrganizationSummary, AppError> {
    require_admin(actor)?;
    summary(store, record_of(store, slug).await?).await
}

/// What `PATCH /api/v1/organizations/{slug}` changes; a field left out stays as it is.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"name": "Acme Analytics Europe", "slug": "acme-eu"}))]
#[serde(deny_unknown_fields)]
pub struct OrganizationEdit {
    /// The new name (1 to 200 characters).
    #[serde(default)]
    pub name: Option<String>,
    /// The new slug: lowercase letters, digits and dashes. One another organization has is
    /// refused (422 on `slug`, `not_allowed`), as when creating an organization.
    #[serde(default)]
    pub slug: Option<String>,
}

/// Renames an organization (its name, its slug or both), all or nothing.
pub async fn edit(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    edit: OrganizationEdit,
) -> Result<(OrganizationSummary, OrganizationSummary), AppError> {
    require_admin(actor)?;
    let record = record_of(store, slug).await?;
    let name = match &edit.name {
        Some(name) => {
            check_name("name", name)?;
            name.trim().to_owned()
        }
        None => record.organization.name.clone(),
    };
    let new_slug = match &edit.slug {
        Some(new_slug) => {
            check_slug(new_slug)?;
            new_slug.clone()
        }
        None => record.organization.slug.clone(),
    };
    let before = summary(store, record.clone()).await?;
    store.rename_organization(record.organization.id, &new_slug, &name).await?;
    tracing::info!(organization = record.organization.id, actor = actor.id, "organization renamed");
    let after = summary(store, record_of(store, &new_slug).await?).await?;
    log_action(store, actor, "organization.updated", slug, Some(&before), &after).await?;
    Ok((before, after))
}

/// Deactivates (`active: false`: its contacts can no longer sign in, and their sessions and
/// API tokens end at once; its cases stay) or reactivates an organization.
pub async fn set_active(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    active: bool,
) -> Result<(OrganizationSummary, OrganizationSummary), AppError> {
    require_admin(actor)?;
    let record = record_of(store, slug).await?;
    let before = summary(store, record.clone()).await?;
    store.set_organization_active(record.organization.id, active).await?;
    tracing::info!(organization = record.organization.id, active, actor = actor.id, "organization activity set");
    let after = summary(store, record_of(store, slug).await?).await?;
    let action = if active { "organization.reactivated" } else { "organization.deactivated" };
    log_action(store, actor, action, slug, Some(&before), &after).await?;
    Ok((before, after))
}

/// A product as `POST`/`PUT /api/v1/organizations/{slug}/products` take it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"name": "Elasticsearch", "versions": ["9.1", "9.0"], "supported_majors": 2}))]
#[serde(deny_unknown_fields)]
pub struct ProductRequest {
    /// The product's name (1 to 100 characters), unique in the organization.
    pub name: String,
    /// The versions support knows of, newest first (1 to 100, each 1 to 40 characters, no
    /// spaces, no version twice). The highest that starts with a number is the newest.
    pub versions: Vec<String>,
    /// How many major versions, counting the newest, support covers (1 to 100).
    pub supported_majors: u32,
}

/// The organization's products, by name.
pub async fn products(store: &Store, actor: &UserRecord, slug: &str) -> Result<Vec<ProductLine>, AppError> {
    require_admin(actor)?;
    let record = record_of(store, slug).await?;
    store.products(record.organization.id).await
}

/// Adds a product (`replace: false`; one of the same name is refused: 409 `exists` on
/// `name`) or saves it whatever was there (`replace: true`). Answers with what was there
/// before (`None`: nothing) and the product as saved.
pub async fn save_product(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    request: ProductRequest,
    replace: bool,
) -> Result<(Option<ProductLine>, ProductLine), AppError> {
    require_admin(actor)?;
    let record = record_of(store, slug).await?;
    let product = ProductLine::described(&request.name, &request.versions, request.supported_majors)?;
    let existing = store.products(record.organization.id).await?;
    let before = existing.iter().find(|p| p.name == product.name).cloned();
    if before.is_none() && existing.len() >= PRODUCTS_MAX {
        return Err(AppError::invalid("name", InvalidReason::TooLong { max: PRODUCTS_MAX }));
    }
    if replace {
        store.put_product(record.organization.id, &product).await?;
    } else if before.is_some() || !store.add_product(record.organization.id, &product).await? {
        return Err(AppError::Exists { field: "name".into() });
    }
    tracing::info!(organization = record.organization.id, replace, actor = actor.id, "product saved");
    let action = if before.is_some() { "product.replaced" } else { "product.added" };
    log_action(store, actor, action, slug, before.as_ref(), &product).await?;
    Ok((before, product))
}
