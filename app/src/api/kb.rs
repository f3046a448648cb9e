//! Searching and reading the knowledge base.

use leptos::prelude::*;

use crate::domain::kb::{Article, ArticleList, ArticleSource, SearchHit};
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
    super::request::as_caller(move |state, user| async move { crate::backend::kb::read_article(&state.store, &user, id).await })
        .await
}

/// A page of the articles list, newest first (drafts too, for support).
#[server(endpoint = "kb_articles")]
pub async fn kb_articles(cursor: Option<String>) -> Result<ArticleList, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::kb::list_articles(&state.store, &user, cursor.as_deref(), None).await
    })
    .await
}

/// An article's Markdown as written, for the editor (support).
#[server(endpoint = "kb_article_source")]
pub async fn kb_article_source(id: i64) -> Result<ArticleSource, AppError> {
    super::request::as_caller(
        move |state, user| async move { crate::backend::kb::article_source(&state.store, &user, id).await },
    )
    .await
}

/// Writes a new article (`id` absent) or replaces one's text (support). Tags are typed
/// comma-separated; `publish` applies to a new article only (an existing one keeps its state).
#[server(endpoint = "save_article")]
pub async fn save_article(
    id: Option<i64>,
    title: String,
    body: String,
    product: String,
    tags: String,
    language: String,
    #[server(default)] publish: bool,
) -> Result<Article, AppError> {
    super::request::as_caller(move |state, user| async move {
        let draft = crate::domain::kb::ArticleDraft {
            title,
            body,
            product,
            tags: tags.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
            language,
        };
        match id {
            Some(id) => crate::backend::kb::edit_article(&state.store, &user, id, draft).await,
            None => crate::backend::kb::write_article_as(&state.store, &user, draft, publish).await,
        }
    })
    .await
}

/// Publishes an article or withdraws it to a draft (support).
#[server(endpoint = "publish_article")]
pub async fn publish_article(id: i64, published: bool) -> Result<Article, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::kb::set_published(&state.store, &user, id, published).await
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
