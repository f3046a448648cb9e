//! The knowledge base: articles, search, deflections.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::json::ApiJson;

/// Writes a knowledge-base article (support only). The body is Markdown.
#[utoipa::path(post, path = "/api/v1/kb/articles", request_body = app::domain::kb::ArticleDraft,
    responses((status = 201, body = app::domain::kb::Article), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn write_article(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(draft): ApiJson<app::domain::kb::ArticleDraft>,
) -> Result<(StatusCode, Json<app::domain::kb::Article>), AppError> {
    let article = app::backend::kb::write_article(&state.store, &user, draft).await?;
    Ok((StatusCode::CREATED, Json(article)))
}

/// `?limit=&cursor=` of the articles list.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ArticleListQuery {
    /// Articles per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The knowledge base's articles, newest first, a page at a time (follow `next_cursor`).
/// Support also sees drafts (`published: false`); everyone else published articles only.
/// Bad `limit` or `cursor`: 422 naming it.
#[utoipa::path(get, path = "/api/v1/kb/articles", params(ArticleListQuery),
    responses((status = 200, body = app::domain::kb::ArticleList), (status = 422, body = AppError)))]
pub(crate) async fn list_articles(
    State(state): State<AppState>,
    Caller(user): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<ArticleListQuery>,
) -> Result<Json<app::domain::kb::ArticleList>, AppError> {
    let limit = match query.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            AppError::invalid("limit", app::error::InvalidReason::Malformed { detail: "a number from 1 to 200".into() })
        })?),
    };
    Ok(Json(app::backend::kb::list_articles(&state.store, &user, query.cursor.as_deref(), limit).await?))
}

/// An article, its Markdown rendered to sanitized HTML. A draft exists for support only
/// (404 to anyone else).
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}", params(("id" = i64, Path, example = 1)),
    responses((status = 200, body = app::domain::kb::Article), (status = 404, body = AppError)))]
pub(crate) async fn read_article(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<app::domain::kb::Article>, AppError> {
    Ok(Json(app::backend::kb::read_article(&state.store, &user, article_id(&id)?).await?))
}

fn article_id(text: &str) -> Result<i64, AppError> {
    text.trim().parse().map_err(|_| AppError::NotFound)
}

/// Replaces an article's text (support only): the same fields as writing one. Its
/// publication does not change; a published article is searchable with its new text at once.
#[utoipa::path(put, path = "/api/v1/kb/articles/{id}", params(("id" = i64, Path, example = 1)),
    request_body = app::domain::kb::ArticleDraft,
    responses((status = 200, body = app::domain::kb::Article), (status = 403, body = AppError),
        (status = 404, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn edit_article(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<app::domain::kb::ArticleDraft>,
) -> Result<Json<app::domain::kb::Article>, AppError> {
    Ok(Json(app::backend::kb::edit_article(&state.store, &user, article_id(&id)?, draft).await?))
}

/// An article's Markdown as written, and whether it is published (support only: the editor).
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}/source", params(("id" = i64, Path, example = 1)),
    responses((status = 200, body = app::domain::kb::ArticleSource), (status = 403, body = AppError),
        (status = 404, body = AppError)))]
pub(crate) async fn article_source(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<app::domain::kb::ArticleSource>, AppError> {
    Ok(Json(app::backend::kb::article_source(&state.store, &user, article_id(&id)?).await?))
}

/// Publishes an article (support only): customers read it, list it and find it by searching.
/// Publishing a published article changes nothing.
#[utoipa::path(post, path = "/api/v1/kb/articles/{id}/publish", params(("id" = i64, Path, example = 1)),
    responses((status = 200, body = app::domain::kb::Article), (status = 403, body = AppError),
        (status = 404, body = AppError)))]
pub(crate) async fn publish_article(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<app::domain::kb::Article>, AppError> {
    Ok(Json(app::backend::kb::set_published(&state.store, &user, article_id(&id)?, true).await?))
}

/// Withdraws an article to a draft (support only): out of the search index and the
/// customers' list at once; support still reads and edits it.
#[utoipa::path(post, path = "/api/v1/kb/articles/{id}/unpublish", params(("id" = i64, Path, example = 1)),
    responses((status = 200, body = app::domain::kb::Article), (status = 403, body = AppError),
        (status = 404, body = AppError)))]
pub(crate) async fn unpublish_article(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<app::domain::kb::Article>, AppError> {
    Ok(Json(app::backend::kb::set_published(&state.store, &user, article_id(&id)?, false).await?))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    /// Required: a search with nothing to look for is the caller's mistake, not an empty result.
    q: Option<String>,
}

/// Full-text search: articles, and for a customer their organization's resolved cases.
#[utoipa::path(get, path = "/api/v1/kb/search",
    params(("q" = String, Query, max_length = 500, example = "dashboard", description = "What to look for (500 characters at most)")),
    responses((status = 200, body = [app::domain::kb::SearchHit]), (status = 422, body = AppError)))]
pub(crate) async fn search_kb(
    State(state): State<AppState>,
    Caller(user): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<SearchQuery>,
) -> Result<Json<Vec<app::domain::kb::SearchHit>>, AppError> {
    Ok(Json(
        app::backend::kb::search(
            &state.store,
            &user,
            query.q.as_deref().ok_or_else(|| AppError::invalid("q", app::error::InvalidReason::Required))?,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"kind": "article", "id": 1, "query": "rotate key"}))]
#[serde(deny_unknown_fields)]
pub struct DeflectionRequest {
    /// Read as text: the service decides (a support caller is refused before the kind is
    /// looked at; an unknown kind is 422 `kind`).
    #[schema(value_type = Suggestion)]
    pub kind: String,
    /// The article's id or the solved case's number.
    pub id: i64,
    /// What the customer had typed (500 characters at most).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub query: String,
}

/// What solved the customer's problem: an article, or a solved case of their organization.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum Suggestion {
    Article,
    Case,
}

/// A customer's "this solved my problem" on a suggestion: counted, no case opened.
#[utoipa::path(post, path = "/api/v1/kb/deflections", request_body = DeflectionRequest,
    responses((status = 201, description = "Counted"), (status = 403, body = AppError),
        (status = 404, body = AppError, description = "No such article, or no such case the customer may see"),
        (status = 422, body = AppError)))]
pub(crate) async fn deflect(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(body): ApiJson<DeflectionRequest>,
) -> Result<StatusCode, AppError> {
    app::backend::kb::deflect(&state.store, &user, &body.kind, body.id, &body.query).await?;
    Ok(StatusCode::CREATED)
}

/// Support only: cases customers did not need to open over the last 30 days.
#[utoipa::path(get, path = "/api/v1/kb/deflections", responses((status = 200, body = app::backend::kb::DeflectionCounts), (status = 403, body = AppError)))]
pub(crate) async fn deflection_counts(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<Json<app::backend::kb::DeflectionCounts>, AppError> {
    Ok(Json(app::backend::kb::deflection_counts(&state.store, &user).await?))
}
