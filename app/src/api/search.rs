//! Searching cases from the search page. The arguments are the REST query's, one by one
//! (form-encoded, as the page's URL has them).

use leptos::prelude::*;

use crate::domain::case_search::{CaseSearchPage, CaseSearchQuery};
use crate::error::AppError;

/// Searches cases (support: all, internal notes included; a customer: their own
/// organization's cases they may see). Same checks and answers as `GET /api/v1/cases/search`.
#[server(endpoint = "search_cases")]
#[allow(clippy::too_many_arguments)]
pub async fn search_cases(
    #[server(default)] q: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] organization: Option<String>,
    #[server(default)] severity: Option<String>,
    #[server(default)] assignee: Option<String>,
    #[server(default)] product: Option<String>,
    #[server(default)] opened_after: Option<String>,
    #[server(default)] opened_before: Option<String>,
    #[server(default)] updated_after: Option<String>,
    #[server(default)] updated_before: Option<String>,
    #[server(default)] limit: Option<String>,
    #[server(default)] cursor: Option<String>,
) -> Result<CaseSearchPage, AppError> {
    let query = CaseSearchQuery {
        q,
        status,
        organization,
        severity,
        assignee,
        product,
        opened_after,
        opened_before,
        updated_after,
        updated_before,
        limit,
        cursor,
    };
    super::request::as_caller(move |state, user| async move {
        crate::backend::case_search::search_cases(&state.store, &user, &query).await
    })
    .await
}

impl From<CaseSearchQuery> for SearchCases {
    fn from(query: CaseSearchQuery) -> SearchCases {
        let CaseSearchQuery {
            q,
            status,
            organization,
            severity,
            assignee,
            product,
            opened_after,
            opened_before,
            updated_after,
            updated_before,
            limit,
            cursor,
        } = query;
        SearchCases {
            q,
            status,
            organization,
            severity,
            assignee,
            product,
            opened_after,
            opened_before,
            updated_after,
            updated_before,
            limit,
            cursor,
        }
    }
}

/// The same search from the page (a [`CaseSearchQuery`] as the URL gives it).
pub async fn search(query: CaseSearchQuery) -> Result<CaseSearchPage, AppError> {
    let SearchCases {
        q,
        status,
        organization,
        severity,
        assignee,
        product,
        opened_after,
        opened_before,
        updated_after,
        updated_before,
        limit,
        cursor,
    } = query.into();
    search_cases(
        q,
        status,
        organization,
        severity,
        assignee,
        product,
        opened_after,
        opened_before,
        updated_after,
        updated_before,
        limit,
        cursor,
    )
    .await
}
