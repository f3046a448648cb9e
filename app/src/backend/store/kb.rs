//! Knowledge-base articles and deflections.

use jiff::Timestamp;
use sqlx::Row;

use super::Store;
use super::search_index::index_article;
use crate::error::AppError;

impl Store {
    pub async fn create_article(
        &self,
        draft: &crate::domain::kb::ArticleDraft,
        author_id: i64,
    ) -> Result<i64, AppError> {
        let now = Timestamp::now().to_string();
        let tags = draft.tags.join(", ");
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kb_articles (title, body, product, tags, language, author_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&draft.title)
        .bind(&draft.body)
        .bind(&draft.product)
        .bind(&tags)
        .bind(&draft.language)
        .bind(author_id)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        index_article(&mut tx, self.backend, id, &draft.title, &draft.body, &tags, &draft.product).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An article's stored draft (Markdown) and id.
    pub async fn article(&self, id: i64) -> Result<Option<(crate::domain::kb::ArticleDraft, i64)>, AppError> {
        let row = sqlx::query("SELECT id, title, body, product, tags, language FROM kb_articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let tags: String = row.try_get("tags")?;
            Ok((
                crate::domain::kb::ArticleDraft {
                    title: row.try_get("title")?,
                    body: row.try_get("body")?,
                    product: row.try_get("product")?,
                    tags: tags.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
                    language: row.try_get("language")?,
                },
                row.try_get("id")?,
            ))
        })
        .transpose()
    }

    /// Up to `limit` articles newest first, those with an id below `before` when given.
    pub async fn articles_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<crate::domain::kb::ArticleSummary>, AppError> {
        let rows = sqlx::query(
            "SELECT id, title, product, language, updated_at FROM kb_articles WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(crate::domain::kb::ArticleSummary {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    product: row.try_get("product")?,
                    language: row.try_get("language")?,
                    updated_at: row.try_get("updated_at")?,
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
