//! Time logged on cases and the expertise-hour bank (#18).

use app::AppError;
use app::api::request::{Caller, case_number};
use app::backend::AppState;
use app::backend::hour_bank;
use app::domain::hour_bank::{HourBankView, HourPack, TimeEntry};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::json::{ApiJson, ApiQuery};

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"minutes": 90, "activity": "expertise", "billable": true, "note": "Sizing the cluster"}))]
#[serde(deny_unknown_fields)]
pub struct TimeEntryRequest {
    /// Whole minutes, 1 to 1,440 (24 h).
    #[schema(minimum = 1, maximum = 1440)]
    pub minutes: i64,
    /// `expertise`, `investigation`, `call`, `documentation` or `other`.
    #[schema(example = "expertise")]
    pub activity: String,
    /// Billable `expertise` draws from the organization's hour bank (default false).
    #[serde(default)]
    pub billable: bool,
    /// Why (at most 2,000 characters; default empty).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

/// Logs time on a case (support only): recorded on the case's history (`time_logged`, an
/// internal entry). Billable `expertise` draws from the organization's bank, the grant
/// ending first first; what the bank cannot cover is recorded as overage (the answer's
/// `overage_minutes`), never refused. Refused with 422: minutes outside 1 to 1,440, an
/// unknown `activity`, a note too long, or billable expertise for an organization whose
/// plan includes no expertise hours and which holds no valid pack (`activity`,
/// `no_expertise`). A customer is refused (403).
#[utoipa::path(post, path = "/api/v1/cases/{number}/time",
    params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")),
    request_body = TimeEntryRequest,
    responses((status = 201, body = TimeEntry), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn log_time(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<TimeEntryRequest>,
) -> Result<(StatusCode, Json<TimeEntry>), AppError> {
    let number = case_number(&number)?;
    let entry =
        hour_bank::log_time(&state.store, &user, number, body.minutes, &body.activity, body.billable, &body.note)
            .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// `?cursor=&limit=` of the ledger.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct HoursQuery {
    /// Entries per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The organization's expertise-hour bank: `balance_minutes` now, and the ledger newest
/// first, a page at a time: at most `limit` entries (default 50, at most 200), then follow
/// `next_cursor` (`null` on the last page). Each entry: `at`, `kind` (`grant`, `pack`,
/// `usage`, `expiry`, `adjustment`, `overage`), `minutes` (positive; an adjustment carries its
/// sign), `case` (usage and overage), `note`, `by`. The balance is grants + packs +
/// adjustments − usage − expiry, never below zero; an overage is work the bank could not
/// cover, billed apart. The first page also carries `burn_down`: the newest contract months
/// (at most 12) with what each granted, used, expired and overran. Support, and the
/// organization's own admins (another customer: 403; another organization's: 404).
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/hours",
    params(("slug" = String, Path, example = "acme"), HoursQuery),
    responses((status = 200, body = HourBankView), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn get_hours(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    ApiQuery(query): ApiQuery<HoursQuery>,
) -> Result<Json<HourBankView>, AppError> {
    let limit = super::audit::limit_param(query.limit.as_deref(), "1 to 200")?;
    Ok(Json(hour_bank::hours(&state.store, &user, &slug, query.cursor.as_deref(), limit).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"minutes": 600, "valid_until": "2027-06-30T22:00:00Z", "note": "Pack of 10 h, order 4512"}))]
#[serde(deny_unknown_fields)]
pub struct HourPackRequest {
    /// Whole minutes, 1 to 60,000 (1,000 h).
    #[schema(minimum = 1, maximum = 60000)]
    pub minutes: i64,
    /// The instant it ends (RFC 3339, in the future); what is left then expires.
    #[schema(format = DateTime)]
    pub valid_until: String,
    /// At most 2,000 characters (default empty).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

/// Records an expertise pack the organization bought (Caseboard admins only): its minutes
/// are drawn after the grants that end before it. Refused with 422: minutes outside 1 to
/// 60,000, a `valid_until` unreadable or not in the future.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/hours/packs",
    params(("slug" = String, Path, example = "acme")),
    request_body = HourPackRequest,
    responses((status = 201, body = HourPack), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn add_hour_pack(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<HourPackRequest>,
) -> Result<(StatusCode, Json<HourPack>), AppError> {
    let pack = hour_bank::add_pack(&state.store, &user, &slug, body.minutes, &body.valid_until, &body.note).await?;
    Ok((StatusCode::CREATED, Json(pack)))
}
