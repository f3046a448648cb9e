//! The admin's organizations: list, read, rename, deactivate and reactivate; their products;
//! holidays from an iCalendar file. Admins only (403 for anyone else).

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::backend::organizations::{self, OrganizationEdit, ProductRequest};
use app::domain::{OrganizationSummary, Organizations, ProductLine};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Serialize;

use super::json::{ApiJson, ApiQuery};

/// `?q=&cursor=&limit=` of the organizations list.
#[derive(Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct OrganizationListQuery {
    /// Only organizations whose name or slug contains this (at most 100 characters).
    pub q: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Organizations per page, 1 to 200 (default 50).
    pub limit: Option<String>,
}

/// Organizations by name, a page at a time (follow `next_cursor`), each with its plan,
/// whether it is active, its seats and its email intake. Bad `q`, `limit` or `cursor`: 422.
#[utoipa::path(get, path = "/api/v1/organizations", params(OrganizationListQuery),
    responses((status = 200, body = Organizations), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn list_organizations(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<OrganizationListQuery>,
) -> Result<Json<Organizations>, AppError> {
    let limit = match query.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            AppError::invalid("limit", app::error::InvalidReason::Malformed { detail: "a number from 1 to 200".into() })
        })?),
    };
    let page = organizations::list(&state.store, &actor, query.q.as_deref(), query.cursor.as_deref(), limit).await?;
    Ok(Json(page))
}

#[utoipa::path(get, path = "/api/v1/organizations/{slug}", params(("slug" = String, Path, example = "acme")),
    responses((status = 200, body = OrganizationSummary), (status = 403, body = AppError)))]
pub(crate) async fn get_organization(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
) -> Result<Json<OrganizationSummary>, AppError> {
    Ok(Json(organizations::get(&state.store, &actor, &slug).await?))
}

/// Renames an organization: its name, its slug or both, all or nothing. A slug another
/// organization has is refused with 422 on `slug` (`not_allowed`), as when creating one;
/// its cases, contacts and contract follow the new slug.
#[utoipa::path(patch, path = "/api/v1/organizations/{slug}", params(("slug" = String, Path, example = "acme")),
    request_body = OrganizationEdit,
    responses((status = 200, body = OrganizationSummary), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn change_organization(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<OrganizationEdit>,
) -> Result<Json<OrganizationSummary>, AppError> {
    let (_, after) = organizations::edit(&state.store, &actor, &slug, body).await?;
    Ok(Json(after))
}

/// Deactivates an organization: its contacts can no longer sign in (the usual
/// `bad_credentials`), and their sessions and API tokens stop working at once. Its cases
/// are kept. Deactivating it again changes nothing.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/deactivate", params(("slug" = String, Path, example = "acme")),
    responses((status = 200, body = OrganizationSummary), (status = 403, body = AppError)))]
pub(crate) async fn deactivate_organization(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
) -> Result<Json<OrganizationSummary>, AppError> {
    let (_, after) = organizations::set_active(&state.store, &actor, &slug, false).await?;
    Ok(Json(after))
}

/// Reactivates an organization: its contacts may sign in again (their old sessions and
/// tokens stay ended).
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/reactivate", params(("slug" = String, Path, example = "acme")),
    responses((status = 200, body = OrganizationSummary), (status = 403, body = AppError)))]
pub(crate) async fn reactivate_organization(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
) -> Result<Json<OrganizationSummary>, AppError> {
    let (_, after) = organizations::set_active(&state.store, &actor, &slug, true).await?;
    Ok(Json(after))
}

/// The organization's products by name, with their versions and how many majors support covers.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/products", params(("slug" = String, Path, example = "acme")),
    responses((status = 200, body = Vec<ProductLine>), (status = 403, body = AppError)))]
pub(crate) async fn list_products(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
) -> Result<Json<Vec<ProductLine>>, AppError> {
    Ok(Json(organizations::products(&state.store, &actor, &slug).await?))
}

/// Adds a product. One of the same name is refused: 409 (`exists`, `field: "name"`), nothing
/// changed; `PUT` replaces it. A bad field: 422 naming it.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/products", params(("slug" = String, Path, example = "acme")),
    request_body = ProductRequest,
    responses((status = 201, body = ProductLine), (status = 403, body = AppError),
        (status = 409, body = AppError, description = "The organization already has a product of that name (`exists`)."),
        (status = 422, body = AppError)))]
pub(crate) async fn add_product(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ProductRequest>,
) -> Result<(StatusCode, Json<ProductLine>), AppError> {
    let (_, product) = organizations::save_product(&state.store, &actor, &slug, body, false).await?;
    Ok((StatusCode::CREATED, Json(product)))
}

/// Saves a product by name: adds it, or replaces the one of that name (its versions and
/// supported majors). A bad field: 422 naming it.
#[utoipa::path(put, path = "/api/v1/organizations/{slug}/products", params(("slug" = String, Path, example = "acme")),
    request_body = ProductRequest,
    responses((status = 200, body = ProductLine), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn put_product(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ProductRequest>,
) -> Result<Json<ProductLine>, AppError> {
    let (_, product) = organizations::save_product(&state.store, &actor, &slug, body, true).await?;
    Ok(Json(product))
}

/// What a holiday import added.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HolidayImport {
    /// The dates that were not holidays yet, `YYYY-MM-DD`, in order.
    #[schema(schema_with = app::domain::calendar::holiday_dates)]
    pub added: Vec<String>,
    /// Every holiday of the calendar now, `YYYY-MM-DD`.
    #[schema(schema_with = app::domain::calendar::holiday_dates)]
    pub holidays: Vec<String>,
}

/// Adds the dates of an iCalendar file's events (`text/calendar`, at most 256 KiB; each
/// day of an all-day event spanning several) to the organization's public holidays: one
/// dated change of its contract. A file that cannot be read as iCalendar, or has no event:
/// 422 on `calendar`, nothing changed.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/calendar/holidays", params(("slug" = String, Path, example = "acme")),
    request_body(content = String, content_type = "text/calendar",
        description = "An iCalendar file (RFC 5545) with one VEVENT per holiday."),
    responses((status = 200, body = HolidayImport), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn import_holidays(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<HolidayImport>, AppError> {
    let calendar = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("text/calendar"));
    if !calendar {
        return Err(AppError::Malformed { detail: "expected Content-Type: text/calendar".into() });
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::Malformed { detail: "the body could not be read".into() }
        }
    })?;
    let (_, after, added) = app::backend::holidays::import(&state.store, &actor, &slug, &body).await?;
    Ok(Json(HolidayImport {
        added: added.iter().map(ToString::to_string).collect(),
        holidays: after.holidays.iter().map(ToString::to_string).collect(),
    }))
}
