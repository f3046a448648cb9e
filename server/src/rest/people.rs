//! People (admins): the list, one person, changes to their profile, deactivation and
//! reactivation.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::backend::people::{self, PeopleQuery};
use app::domain::profile::{UserChange, UserPage, UserProfile};
use axum::Json;
use axum::extract::{Path, State};

use super::json::ApiJson;

/// `?role=&organization=&q=&active=&limit=&cursor=` of the people list.
#[derive(Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct UserListQuery {
    /// `customer`, `engineer` or `admin`.
    pub role: Option<String>,
    /// An organization's slug: its contacts.
    pub organization: Option<String>,
    /// A part of the name or email, any case (at most 200 characters).
    pub q: Option<String>,
    /// `true`: active people only; `false`: deactivated ones only.
    pub active: Option<String>,
    /// People per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A person's id in the path: anything but a number is nobody.
fn user_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// People by name, a page at a time (follow `next_cursor`), narrowed by any of the
/// filters. Admins only. A bad filter, `limit` or `cursor` is 422 naming it.
#[utoipa::path(get, path = "/api/v1/users", params(UserListQuery),
    responses((status = 200, body = UserPage), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn list_users(
    State(state): State<AppState>,
    Caller(actor): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<UserListQuery>,
) -> Result<Json<UserPage>, AppError> {
    let limit = super::audit::limit_param(query.limit.as_deref(), "1 to 200")?;
    let query = PeopleQuery {
        role: query.role.as_deref(),
        organization: query.organization.as_deref(),
        q: query.q.as_deref(),
        active: query.active.as_deref(),
        cursor: query.cursor.as_deref(),
        limit,
    };
    Ok(Json(people::list(&state.store, &actor, query).await?))
}

/// One person. Admins only.
#[utoipa::path(get, path = "/api/v1/users/{id}", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = UserProfile), (status = 403, body = AppError)))]
pub(crate) async fn get_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<UserProfile>, AppError> {
    Ok(Json(people::get(&state.store, &actor, user_id(&id)?).await?))
}

/// Changes any of a person's fields, all or nothing (a field left out stays as it is), and
/// records the change in the admin log. Refused on the field (422), changing nothing: an
/// unknown `time_zone`, a `language` other than `en`, `fr`, `zh`, an unknown spoken
/// language in `languages`, overlapping `shifts`, an engineer's field (`languages`,
/// `skills`, `shifts`, `lead`, `on_duty`) for anyone but an engineer, `org_admin` for
/// anyone but a customer, or demoting an organization's last admin (`last_admin`).
/// Admins only.
#[utoipa::path(patch, path = "/api/v1/users/{id}", params(("id" = i64, Path, minimum = 1)), request_body = UserChange,
    responses((status = 200, description = "The person as changed", body = UserProfile), (status = 403, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn change_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<UserChange>,
) -> Result<Json<UserProfile>, AppError> {
    Ok(Json(people::change(&state.store, &actor, user_id(&id)?, change).await?))
}

/// Deactivates a person: every session and API token of theirs ends at once, signing in
/// is refused as a wrong password is (401 `bad_credentials`), and a deactivated engineer's
/// open cases go to others by the automatic assignment rule (to nobody when no engineer
/// is left), each move in the case's log. An admin cannot deactivate themselves: 422
/// `user` (`not_allowed`). Already deactivated: nothing changes. Admins only.
#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, description = "The person, deactivated", body = UserProfile),
        (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn deactivate_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<UserProfile>, AppError> {
    Ok(Json(people::deactivate(&state.store, &actor, user_id(&id)?).await?))
}

/// Lets a deactivated person sign in again, with the password they had (their old sessions
/// and tokens stay ended). Already active: nothing changes. Admins only.
#[utoipa::path(post, path = "/api/v1/users/{id}/reactivate", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, description = "The person, active", body = UserProfile), (status = 403, body = AppError)))]
pub(crate) async fn reactivate_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<UserProfile>, AppError> {
    Ok(Json(people::reactivate(&state.store, &actor, user_id(&id)?).await?))
}
