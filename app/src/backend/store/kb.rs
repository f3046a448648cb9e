//! Knowledge-base articles and deflections.

use jiff::Timestamp;
use sqlx::Row;

use super::Store;
use super::search_index::{index_article, unindex_article};
use crate::error::AppError;

/// An article as the store keeps it.
#[derive(Clone, Debug)]
pub struct StoredArticle {
    pub id: i64,
    pub draft: crate::domain::kb::ArticleDraft,
    pub published: bool,
    /// When it was last written or published (RFC 3339).
    pub updated_at: String,
}

fn split_tags(tags: &str) -> Vec<String> {
    tags.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect()
}

impl Store {
    pub async fn create_article(
        &self,
        draft: &crate::domain::kb::ArticleDraft,
        author_id: i64,
        published: bool,
    ) -> Result<i64, AppError> {
        let now = Timestamp::now().to_string();
        let tags = draft.tags.join(", ");
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kb_articles (title, body, product, tags, language, author_id, created_at, updated_at, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&draft.title)
        .bind(&draft.body)
        .bind(&draft.product)
        .bind(&tags)
        .bind(&draft.language)
        .bind(author_id)
        .bind(&now)
        .bind(&now)
        .bind(published.then_some(now.as_str()))
        .fetch_one(&mut *tx)
        .await?;
        if published {
            index_article(&mut tx, self.backend, id, &draft.title, &draft.body, &tags, &draft.product).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// An article as stored: its draft (Markdown), whether it is published, when last written.
    pub async fn article(&self, id: i64) -> Result<Option<StoredArticle>, AppError> {
        let row = sqlx::query(
            "SELECT id, title, body, product, tags, language, published_at, updated_at FROM kb_articles WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let tags: String = row.try_get("tags")?;
            Ok(StoredArticle {
                id: row.try_get("id")?,
                draft: crate::domain::kb::ArticleDraft {
                    title: row.try_get("title")?,
                    body: row.try_get("body")?,
                    product: row.try_get("product")?,
                    tags: split_tags(&tags),
                    language: row.try_get("language")?,
                },
                published: row.try_get::<Option<String>, _>("published_at")?.is_some(),
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// Replaces an article's text; a published article is indexed again in the same
    /// transaction. `false` when there is no such article.
    pub async fn update_article(&self, id: i64, draft: &crate::domain::kb::ArticleDraft) -> Result<bool, AppError> {
        let tags = draft.tags.join(", ");
        let mut tx = self.begin_write().await?;
        let published: Option<Option<String>> = sqlx::query_scalar(
            "UPDATE kb_articles SET title = $1, body = $2, product = $3, tags = $4, language = $5, updated_at = $6 \
             WHERE id = $7 RETURNING published_at",
        )
        .bind(&draft.title)
        .bind(&draft.body)
        .bind(&draft.product)
        .bind(&tags)
        .bind(&draft.language)
        .bind(Timestamp::now().to_string())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(published) = published else { return Ok(false) };
        if published.is_some() {
            unindex_article(&mut tx, self.backend, id).await?;
            index_article(&mut tx, self.backend, id, &draft.title, &draft.body, &tags, &draft.product).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Publishes or withdraws an article: a published article is in the search index, a draft
    /// is not. `None` when there is no such article, else whether anything changed.
    pub async fn set_article_published(&self, id: i64, published: bool) -> Result<Option<bool>, AppError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT title, body, product, tags, published_at FROM kb_articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let was_published = row.try_get::<Option<String>, _>("published_at")?.is_some();
        if was_published == published {
            return Ok(Some(false));
        }
        let now = Timestamp::now().to_string();
        sqlx::query("UPDATE kb_articles SET published_at = $1, updated_at = $2 WHERE id = $3")
            .bind(published.then_some(now.as_str()))
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if published {
            let text = |name: &str| row.try_get::<String, _>(name);
            index_article(&mut tx, self.backend, id, &text("title")?, &text("body")?, &text("tags")?, &text("product")?)
                .await?;
        } else {
            unindex_article(&mut tx, self.backend, id).await?;
        }
        tx.commit().await?;
        Ok(Some(true))
    }

    /// Up to `limit` articles newest first, those with an id below `before` when given;
    /// drafts only when `drafts` (support's list).
    pub async fn articles_page(
        &self,
        before: Option<i64>,
        limit: i64,
        drafts: bool,
    ) -> Result<Vec<crate::domain::kb::ArticleSummary>, AppError> {
        let sql = if drafts {
            "SELECT id, title, product, language, updated_at, published_at FROM kb_articles \
             WHERE id < $1 ORDER BY id DESC LIMIT $2"
        } else {
            "SELECT id, title, product, language, updated_at, published_at FROM kb_articles \
             WHERE id < $1 AND published_at IS NOT NULL ORDER BY id DESC LIMIT $2"
        };
        let rows = sqlx::query(sql).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(crate::domain::kb::ArticleSummary {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    product: row.try_get("product")?,
                    language: row.try_get("language")?,
                    updated_at: row.try_get("updated_at")?,
                    published: row.try_get::<Option<String>, _>("published_at")?.is_some(),
                })
            })
            .collect()
    }

    pub async fn record_deflection(
        &self,
        user_id: i64,
        organization_id: i64,
        hit_kind: &str,
        hit_id: i64,
        query: &str,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO deflections (user_id, organization_id, hit_kind, hit_id, query, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user_id)
        .bind(organization_id)
        .bind(hit_kind)
        .bind(hit_id)
        .bind(query)
        .bind(Timestamp::now().to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deflections since `since`: (by an article, by a solved case).
    pub async fn deflection_counts(&self, since: Timestamp) -> Result<(i64, i64), AppError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FILTER (WHERE hit_kind = 'article') AS articles, COUNT(*) FILTER (WHERE hit_kind = 'case') AS cases \
             FROM deflections WHERE created_at >= $1",
        )
        .bind(since.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("articles")?, row.try_get("cases")?))
    }
}
