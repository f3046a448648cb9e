//! Searching and reading the knowledge base.

use leptos::prelude::*;

use crate::domain::kb::{Article, SearchHit};
use crate::error::AppError;

#[server(endpoint = "search_kb")]
pub async fn search_kb(q: String) -> Result<Vec<SearchHit>, AppError> {
    super::request::as_caller(
        move |state, user| async move { crate::backend::kb::search(&state.store, &user, &q).await },
    )
    .await
}

#[server(endpoint = "read_article")]
pub async fn read_article(id: i64) -> Result<Article, AppError> {
    super::request::anonymous(move |state| async move {
        super::request::caller(&state).await?;
        crate::backend::kb::read_article(&state.store, id).await
    })
    .await
}

/// "This solved my problem": no case, and the deflection is counted.
#[server(endpoint = "deflect_case")]
pub async fn deflect_case(kind: String, id: i64, query: String) -> Result<(), AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::kb::deflect(&state.store, &user, &kind, id, &query).await
    })
    .await
}
