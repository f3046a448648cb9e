//! Contract changes (dated plan and calendar snapshots) and custom plans.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, timestamp};
use crate::error::AppError;

impl Store {
    /// The organization's contract changes, oldest first: (effective_at, plan JSON, calendar JSON).
    pub async fn contract_changes(&self, organization_id: i64) -> Result<Vec<(Timestamp, String, String)>, AppError> {
        let rows = sqlx::query(
            "SELECT effective_at, plan, calendar FROM contract_changes WHERE organization_id = $1 ORDER BY id",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(contract_change).collect()
    }

    /// The organization's newest `limit` contract changes, newest first (the admin's history).
    pub async fn latest_contract_changes(
        &self,
        organization_id: i64,
        limit: i64,
    ) -> Result<Vec<(Timestamp, String, String)>, AppError> {
        let rows = sqlx::query(
            "SELECT effective_at, plan, calendar FROM contract_changes WHERE organization_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(organization_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(contract_change).collect()
    }

    /// The organizations named by `slugs` (at most a board's worth), each with its contract
    /// changes oldest first, in one query: a board of 300 cards from 130 organizations read
    /// them in 260 queries before.
    pub async fn organizations_with_contract_changes(
        &self,
        slugs: &[&str],
    ) -> Result<Vec<(super::Organization, Vec<(Timestamp, String, String)>)>, AppError> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=slugs.len()).map(|i| format!("${i}")).collect();
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT o.id, o.slug, o.name, o.plan AS current_plan, cc.effective_at, cc.plan, cc.calendar \
             FROM organizations o LEFT JOIN contract_changes cc ON cc.organization_id = o.id \
             WHERE o.slug IN ({}) ORDER BY o.id, cc.id",
            placeholders.join(", ")
        ));
        let mut query = sqlx::query(sql);
        for slug in slugs {
            query = query.bind(*slug);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut out: Vec<(super::Organization, Vec<(Timestamp, String, String)>)> = Vec::new();
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            if out.last().is_none_or(|(o, _)| o.id != id) {
                let organization = super::Organization {
                    id,
                    slug: r.try_get("slug")?,
                    name: r.try_get("name")?,
                    plan: r.try_get("current_plan")?,
                };
                out.push((organization, Vec::new()));
            }
            if let Some(at) = r.try_get::<Option<String>, _>("effective_at")? {
                let change = (timestamp(&at)?, r.try_get("plan")?, r.try_get("calendar")?);
                out.last_mut().expect("pushed above").1.push(change);
            }
        }
        Ok(out)
    }

    /// Records a contract change and makes its plan the organization's current one.
    pub async fn add_contract_change(
        &self,
        organization_id: i64,
        plan_id: &str,
        plan_json: &str,
        calendar_json: &str,
        changed_by: Option<i64>,
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO contract_changes (organization_id, effective_at, plan, calendar, changed_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(organization_id)
        .bind(Timestamp::now().to_string())
        .bind(plan_json)
        .bind(calendar_json)
        .bind(changed_by)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE organizations SET plan = $1 WHERE id = $2")
            .bind(plan_id)
            .bind(organization_id)
            .execute(&mut *tx)
            .await?;
        super::projections::recheck_organization(&mut tx, organization_id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn custom_plan(&self, id: &str) -> Result<Option<String>, AppError> {
        Ok(sqlx::query_scalar("SELECT definition FROM custom_plans WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Whether an organization, a custom plan and an active engineer exist (three `LIMIT 1` reads).
    pub async fn first_run_facts(&self) -> Result<(bool, bool, bool), AppError> {
        let exists = |sql: &'static str| async move {
            Ok::<bool, AppError>(sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool).await? > 0)
        };
        Ok((
            exists("SELECT COUNT(*) FROM (SELECT 1 FROM organizations LIMIT 1) o").await?,
            exists("SELECT COUNT(*) FROM (SELECT 1 FROM custom_plans LIMIT 1) p").await?,
            exists("SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE role = 'engineer' AND deactivated_at IS NULL LIMIT 1) e")
                .await?,
        ))
    }

    pub async fn custom_plans(&self) -> Result<Vec<String>, AppError> {
        Ok(sqlx::query_scalar("SELECT definition FROM custom_plans ORDER BY id").fetch_all(&self.pool).await?)
    }

    /// Creates or replaces a custom plan (organizations keep the snapshot they signed).
    pub async fn save_custom_plan(&self, id: &str, definition: &str) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO custom_plans (id, definition, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT(id) DO UPDATE SET definition = excluded.definition",
        )
        .bind(id)
        .bind(definition)
        .bind(Timestamp::now().to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// A `contract_changes` row as (effective at, plan JSON, calendar JSON).
fn contract_change(row: &sqlx::any::AnyRow) -> Result<(Timestamp, String, String), AppError> {
    Ok((timestamp(&row.try_get::<String, _>("effective_at")?)?, row.try_get("plan")?, row.try_get("calendar")?))
}
