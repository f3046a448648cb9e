//! Searching and reading the knowledge base.

use leptos::prelude::*;

use crate::domain::kb::{Article, SearchHit};
use crate::error::AppError;

#[server(endpoint = "search_kb")]
pub async fn search_kb(q: String) -> Result<Vec<SearchHit>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            crate::backend::kb::search(&state.store, &user, &q).await
        }
        .await,
    )
}

#[server(endpoint = "read_article")]
pub async fn read_article(id: i64) -> Result<Article, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            request::user(&state).await?;
            crate::backend::kb::read_article(&state.store, id).await
        }
        .await,
    )
}

/// "This solved my problem": no case, and the deflection is counted.
#[server(endpoint = "deflect_case")]
pub async fn deflect_case(kind: String, id: i64, query: String) -> Result<(), AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            crate::backend::kb::deflect(&state.store, &user, &kind, id, &query).await
        }
        .await,
    )
}
