//! Organizations, their email intake and their products.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, unique_violation};
use crate::error::{AppError, InvalidReason};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Organization {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub plan: String,
}

impl Store {
    pub async fn create_organization(&self, slug: &str, name: &str, plan: &str) -> Result<Organization, AppError> {
        let result = sqlx::query(
            "INSERT INTO organizations (slug, name, plan, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(plan)
        .bind(Timestamp::now().to_string())
        .fetch_one(&self.pool)
        .await;
        match result {
            Ok(row) => {
                Ok(Organization { id: row.try_get("id")?, slug: slug.into(), name: name.into(), plan: plan.into() })
            }
            Err(e) if unique_violation(&e) => Err(AppError::invalid("slug", InvalidReason::NotAllowed)),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn organization_by_slug(&self, slug: &str) -> Result<Option<Organization>, AppError> {
        Ok(sqlx::query_as("SELECT id, slug, name, plan FROM organizations WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn count_organizations(&self) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organizations").fetch_one(&self.pool).await?)
    }

    pub async fn organization_by_id(&self, id: i64) -> Result<Option<Organization>, AppError> {
        Ok(sqlx::query_as("SELECT id, slug, name, plan FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Whether the organization's known contacts may open cases by email.
    pub async fn email_intake(&self, organization_id: i64) -> Result<bool, AppError> {
        let allowed: Option<i64> = sqlx::query_scalar("SELECT email_intake FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(allowed.is_some_and(|a| a != 0))
    }

    pub async fn set_email_intake(&self, organization_id: i64, allowed: bool) -> Result<(), AppError> {
        sqlx::query("UPDATE organizations SET email_intake = $1 WHERE id = $2")
            .bind(i64::from(allowed))
            .bind(organization_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The products an organization runs, by name.
    pub async fn products(&self, organization_id: i64) -> Result<Vec<crate::domain::ProductLine>, AppError> {
        let rows = sqlx::query(
            "SELECT name, latest_version, supported_majors, versions FROM products WHERE organization_id = $1 \
             ORDER BY name LIMIT 1000",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(crate::domain::ProductLine {
                    name: r.try_get("name")?,
                    latest_version: r.try_get("latest_version")?,
                    supported_majors: u32::try_from(r.try_get::<i64, _>("supported_majors")?).unwrap_or(2),
                    versions: r.try_get::<String, _>("versions")?.lines().map(str::to_owned).collect(),
                })
            })
            .collect()
    }

    /// Adds a product to an organization; `false` (nothing changed) when it already has one
    /// of that name.
    pub async fn add_product(
        &self,
        organization_id: i64,
        product: &crate::domain::ProductLine,
    ) -> Result<bool, AppError> {
        let added = sqlx::query(
            "INSERT INTO products (organization_id, name, latest_version, supported_majors, versions) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(organization_id)
        .bind(&product.name)
        .bind(&product.latest_version)
        .bind(i64::from(product.supported_majors))
        .bind(product.versions.join("\n"))
        .execute(&self.pool)
        .await;
        match added {
            Ok(_) => Ok(true),
            Err(e) if unique_violation(&e) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Adds a product to an organization, or updates its newest version and support span.
    pub async fn put_product(
        &self,
        organization_id: i64,
        product: &crate::domain::ProductLine,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO products (organization_id, name, latest_version, supported_majors, versions) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT(organization_id, name) DO UPDATE SET \
             latest_version = excluded.latest_version, supported_majors = excluded.supported_majors, \
             versions = excluded.versions",
        )
        .bind(organization_id)
        .bind(&product.name)
        .bind(&product.latest_version)
        .bind(i64::from(product.supported_majors))
        .bind(product.versions.join("\n"))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

impl Store {
    /// Organizations by name, at most `limit` (the board's filter list).
    pub async fn organizations_by_name(&self, limit: i64) -> Result<Vec<Organization>, AppError> {
        Ok(sqlx::query_as("SELECT id, slug, name, plan FROM organizations ORDER BY name, id LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The ids of the organizations on plan `plan` now, at most `limit`.
    pub async fn organizations_on_plan(&self, plan: &str, limit: i64) -> Result<Vec<i64>, AppError> {
        Ok(sqlx::query_scalar("SELECT id FROM organizations WHERE plan = $1 ORDER BY id LIMIT $2")
            .bind(plan)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }
}
