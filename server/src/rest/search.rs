//! Searching cases over REST.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::domain::case_search::{CaseSearchPage, CaseSearchQuery};
use axum::Json;
use axum::extract::State;

use super::json::ApiQuery;

/// Full-text search of cases, best first: summaries (weighted most), descriptions, public
/// replies and, for support, internal notes. Support searches every case; a customer their
/// organization's cases they may see (never a colleague's private case unless they are an
/// organization admin), and never matches internal notes. Chinese and Japanese are matched
/// character by character as phrases; the last word is also a prefix. Each result is a case
/// as `GET /api/v1/cases` gives it, with `matched_in` (where its best match is) and a
/// plain-text `snippet`. Pages: pass `next_cursor` back as `cursor` with the same search;
/// `null` means no more. The search ranks at most 2,000 matching entries: when every word
/// typed is very common (in over 1,000 entries), those are the newest ones. Filters
/// narrow those results; an unknown organization, or an engineer's email that is nobody's,
/// finds nothing. Refused with 422 (`field` names it): `q` empty, over 200 characters or
/// without letters or digits; an unknown `status`; `severity` outside 1-4; `assignee` not
/// an email, `me` or `none`; a date that is neither RFC 3339 nor `YYYY-MM-DD`; `limit`
/// outside 1-100; a `cursor` that is not one of this same search.
#[utoipa::path(get, path = "/api/v1/cases/search", params(CaseSearchQuery),
    responses((status = 200, body = CaseSearchPage), (status = 422, body = AppError)))]
pub(crate) async fn search_cases(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiQuery(query): ApiQuery<CaseSearchQuery>,
) -> Result<Json<CaseSearchPage>, AppError> {
    Ok(Json(app::backend::case_search::search_cases(&state.store, &user, &query).await?))
}
