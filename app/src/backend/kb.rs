//! The knowledge base service: support writes articles; everyone signed in reads and
//! searches them; a customer's search also finds resolved cases of their organization.

use super::store::{Store, UserRecord};
use crate::domain::kb::{Article, ArticleDraft, ArticleSource, SearchHit, search_terms};
use crate::error::AppError;

/// Markdown to HTML, then sanitized: no script, no event handler, no style, safe links.
pub fn render_markdown(markdown: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::clean(&html)
}

fn require_support(user: &UserRecord, what: &'static str) -> Result<(), AppError> {
    if user.role.is_support() {
        Ok(())
    } else {
        tracing::info!(user = user.id, what, "knowledge base change refused: not support");
        Err(AppError::Forbidden)
    }
}

/// A new article, published at once (as it always was over REST) unless `draft` is asked.
pub async fn write_article(store: &Store, user: &UserRecord, draft: ArticleDraft) -> Result<Article, AppError> {
    write_article_as(store, user, draft, true).await
}

/// A new article, published or kept as a draft (the browser's editor offers both).
pub async fn write_article_as(
    store: &Store,
    user: &UserRecord,
    draft: ArticleDraft,
    published: bool,
) -> Result<Article, AppError> {
    require_support(user, "write")?;
    let draft = draft.validated()?;
    let id = store.create_article(&draft, user.id, published).await?;
    tracing::info!(id, user = user.id, published, "article written");
    super::audit::record(store, user, "article.created", &format!("article:{id}"), None, Some(audit_facts(&draft, published)))
        .await?;
    read_article(store, user, id).await
}

/// What the admin log keeps of an article: its title and where it applies, not its body.
fn audit_facts(draft: &ArticleDraft, published: bool) -> serde_json::Value {
    serde_json::json!({
        "title": draft.title, "product": draft.product, "language": draft.language,
        "tags": draft.tags, "published": published,
    })
}

/// Replaces an article's text (support). Its publication does not change.
pub async fn edit_article(store: &Store, user: &UserRecord, id: i64, draft: ArticleDraft) -> Result<Article, AppError> {
    require_support(user, "edit")?;
    let draft = draft.validated()?;
    let before = store.article(id).await?.ok_or(AppError::NotFound)?;
    if !store.update_article(id, &draft).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(id, user = user.id, "article edited");
    if before.draft != draft {
        super::audit::record(
            store,
            user,
            "article.edited",
            &format!("article:{id}"),
            Some(audit_facts(&before.draft, before.published)),
            Some(audit_facts(&draft, before.published)),
        )
        .await?;
    }
    read_article(store, user, id).await
}

/// Publishes an article (customers read and find it) or withdraws it to a draft (support).
pub async fn set_published(store: &Store, user: &UserRecord, id: i64, published: bool) -> Result<Article, AppError> {
    require_support(user, "publish")?;
    let changed = store.set_article_published(id, published).await?.ok_or(AppError::NotFound)?;
    if changed {
        tracing::info!(id, user = user.id, published, "article publication changed");
        let action = if published { "article.published" } else { "article.unpublished" };
        super::audit::record(
            store,
            user,
            action,
            &format!("article:{id}"),
            Some(serde_json::json!({"published": !published})),
            Some(serde_json::json!({"published": published})),
        )
        .await?;
    }
    read_article(store, user, id).await
}

/// An article to read: a draft only for support (to anyone else it does not exist).
pub async fn read_article(store: &Store, user: &UserRecord, id: i64) -> Result<Article, AppError> {
    let stored = store.article(id).await?.filter(|a| a.published || user.role.is_support()).ok_or(AppError::NotFound)?;
    Ok(Article {
        id: stored.id,
        html: render_markdown(&stored.draft.body),
        title: stored.draft.title,
        product: stored.draft.product,
        tags: stored.draft.tags,
        language: stored.draft.language,
        published: stored.published,
        updated_at: stored.updated_at,
    })
}

/// An article's Markdown as written, for support's editor.
pub async fn article_source(store: &Store, user: &UserRecord, id: i64) -> Result<ArticleSource, AppError> {
    require_support(user, "read source")?;
    let stored = store.article(id).await?.ok_or(AppError::NotFound)?;
    Ok(ArticleSource { id: stored.id, draft: stored.draft, published: stored.published })
}

/// Articles per page of the list by default, and at most.
pub const ARTICLE_PAGE: i64 = 50;
pub const ARTICLE_PAGE_MAX: i64 = 200;

/// The articles, newest first, a page at a time (every signed-in reader; drafts for support only).
pub async fn list_articles(
    store: &Store,
    user: &UserRecord,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<crate::domain::kb::ArticleList, AppError> {
    let limit = match limit {
        None => ARTICLE_PAGE,
        Some(n) if (1..=ARTICLE_PAGE_MAX).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid(
                "limit",
                crate::error::InvalidReason::Malformed { detail: format!("a number from 1 to {ARTICLE_PAGE_MAX}") },
            ));
        }
    };
    let before = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => Some(super::cursor::parse_id('a', text)?),
    };
    let mut articles = store.articles_page(before, limit + 1, user.role.is_support()).await?;
    let next_cursor = if articles.len() as i64 > limit {
        articles.truncate(limit as usize);
        articles.last().map(|a| super::cursor::id_before('a', a.id))
    } else {
        None
    };
    Ok(crate::domain::kb::ArticleList { articles, next_cursor })
}

/// Articles matching `text`, best first, and, for a customer, their organization's
/// resolved or closed cases that match (what solved the same problem before).
pub async fn search(store: &Store, user: &UserRecord, text: &str) -> Result<Vec<SearchHit>, AppError> {
    let terms = search_terms(text)?;
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut hits = store.search_articles(&terms, text, 10).await?;
    if let Some(organization_id) = user.organization_id {
        hits.extend(store.search_resolved_cases(organization_id, user.case_scope(), &terms, text, 5).await?);
    }
    Ok(hits)
}

/// A customer says a suggestion solved their problem: no case is opened, and the
/// deflection is counted. The article must exist, a case must be one they may see.
pub async fn deflect(store: &Store, user: &UserRecord, kind: &str, id: i64, query: &str) -> Result<(), AppError> {
    use crate::error::InvalidReason;
    let Some(organization_id) = user.organization_id.filter(|_| !user.role.is_support()) else {
        return Err(AppError::Forbidden);
    };
    if query.chars().count() > crate::domain::kb::SEARCH_MAX_CHARS {
        return Err(AppError::invalid("query", InvalidReason::TooLong { max: crate::domain::kb::SEARCH_MAX_CHARS }));
    }
    let found = match kind {
        "article" => store.article(id).await?.is_some_and(|a| a.published),
        "case" => store.case_by_number(crate::domain::CaseNumber(id), user.case_scope()).await?.is_some(),
        _ => return Err(AppError::invalid("kind", InvalidReason::NotAllowed)),
    };
    if !found {
        tracing::info!(user = user.id, kind, id, "deflection refused: not found");
        return Err(AppError::NotFound);
    }
    store.record_deflection(user.id, organization_id, kind, id, query.trim()).await?;
    tracing::info!(user = user.id, kind, id, "case deflected by a suggestion");
    Ok(())
}

/// Cases customers did not need to open over the last `days` days.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeflectionCounts {
    pub days: u32,
    pub by_articles: i64,
    pub by_solved_cases: i64,
}

/// Deflections over the last 30 days. Support only.
pub async fn deflection_counts(store: &Store, user: &UserRecord) -> Result<DeflectionCounts, AppError> {
    if !user.role.is_support() {
        tracing::info!(user = user.id, "deflection counts refused: not support");
        return Err(AppError::Forbidden);
    }
    let days = 30;
    let since = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * i64::from(days));
    let (by_articles, by_solved_cases) = store.deflection_counts(since).await?;
    Ok(DeflectionCounts { days, by_articles, by_solved_cases })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_script_is_removed() {
        let html = render_markdown(
            "# Fix\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold** <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<h1>Fix</h1>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }
}
