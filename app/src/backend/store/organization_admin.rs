//! What the admin console changes on organizations: the list by name (searched, a page at a
//! time), renaming, deactivation and reactivation.

use sqlx::Row;

use super::{Organization, Store, flag, unique_violation};
use crate::error::{AppError, InvalidReason};

/// An organization with what only the admin console shows of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationRecord {
    pub organization: Organization,
    pub active: bool,
    pub email_intake: bool,
}

const RECORD_SELECT: &str = "SELECT id, slug, name, plan, active, email_intake FROM organizations";

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<OrganizationRecord, AppError> {
    Ok(OrganizationRecord {
        organization: Organization {
            id: row.try_get("id")?,
            slug: row.try_get("slug")?,
            name: row.try_get("name")?,
            plan: row.try_get("plan")?,
        },
        active: flag(row, "active")?,
        email_intake: flag(row, "email_intake")?,
    })
}

/// `text` for a `LIKE … ESCAPE '\'` pattern: its `%`, `_` and `\` taken literally.
fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

impl Store {
    /// Organizations by (name, id) after `after`, at most `limit`; with `search`, only those
    /// whose name or slug contains it (whatever the case of ASCII letters).
    pub async fn organization_records(
        &self,
        search: Option<&str>,
        after: Option<(&str, i64)>,
        limit: i64,
    ) -> Result<Vec<OrganizationRecord>, AppError> {
        let mut conditions = Vec::new();
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if search.is_some() {
            let (a, b) = (next(), next());
            conditions.push(format!("(lower(name) LIKE {a} ESCAPE '\\' OR lower(slug) LIKE {b} ESCAPE '\\')"));
        }
        if after.is_some() {
            let (a, b, c) = (next(), next(), next());
            conditions.push(format!("(name > {a} OR (name = {b} AND id > {c}))"));
        }
        let limit_value = next();
        let where_clause =
            if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
        let sql = format!("{RECORD_SELECT}{where_clause} ORDER BY name, id LIMIT {limit_value}");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(search) = search {
            let pattern = format!("%{}%", like_escaped(&search.to_lowercase()));
            query = query.bind(pattern.clone()).bind(pattern);
        }
        if let Some((name, id)) = after {
            query = query.bind(name.to_owned()).bind(name.to_owned()).bind(id);
        }
        let rows = query.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(record_from_row).collect()
    }

    pub async fn organization_record(&self, slug: &str) -> Result<Option<OrganizationRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{RECORD_SELECT} WHERE slug = $1"));
        let row = sqlx::query(sql).bind(slug).fetch_optional(&self.pool).await?;
        row.as_ref().map(record_from_row).transpose()
    }

    /// Whether the organization's contacts may sign in (an unknown one: no).
    pub async fn organization_active(&self, organization_id: i64) -> Result<bool, AppError> {
        let active: Option<i64> = sqlx::query_scalar("SELECT active FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(active.is_some_and(|a| a != 0))
    }

    /// Gives the organization a new slug and name; the saved views that filtered on the old
    /// slug follow it. A slug another organization has is refused (422 `slug`), nothing changed.
    pub async fn rename_organization(&self, id: i64, slug: &str, name: &str) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        let old: Option<String> = sqlx::query_scalar("SELECT slug FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(old) = old else { return Err(AppError::NotFound) };
        let renamed = sqlx::query("UPDATE organizations SET slug = $1, name = $2 WHERE id = $3")
            .bind(slug)
            .bind(name)
            .bind(id)
            .execute(&mut *tx)
            .await;
        match renamed {
            Ok(_) => {}
            Err(e) if unique_violation(&e) => return Err(AppError::invalid("slug", InvalidReason::NotAllowed)),
            Err(e) => return Err(e.into()),
        }
        if old != slug {
            sqlx::query("UPDATE saved_views SET organization = $1 WHERE organization = $2")
                .bind(slug)
                .bind(&old)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates (`false`) or reactivates an organization. Deactivating ends its contacts'
    /// sessions and API tokens in the same transaction; its cases stay.
    pub async fn set_organization_active(&self, id: i64, active: bool) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE organizations SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE organization_id = $1)")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE organization_id = $1)")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::like_escaped;

    #[test]
    fn search_text_is_taken_literally_in_a_like_pattern() {
        assert_eq!(like_escaped("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(like_escaped("acme"), "acme");
    }
}
