//! The case search service: the same checks and the same scope for the REST API and the
//! search page. Support searches every case, internal notes included; a customer searches
//! their organization's cases they may see (never another's private case), public text only.

use super::store::{Store, UserRecord};
use crate::domain::case_search::{CaseSearchPage, CaseSearchQuery};
use crate::error::AppError;

pub async fn search_cases(store: &Store, user: &UserRecord, query: &CaseSearchQuery) -> Result<CaseSearchPage, AppError> {
    let search = match query.validated() {
        Ok(search) => search,
        Err(e) => {
            // The field and a fixed reason; never what was typed.
            tracing::info!(user = user.id, error = %e, "case search refused");
            return Err(e);
        }
    };
    store.search_cases(user.case_scope(), user.id, &search).await
}
