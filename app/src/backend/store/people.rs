//! People as the admin console reads and changes them: one person's whole profile (account,
//! language, zone, organization-admin flag, and an engineer's skills, languages, shifts,
//! lead and on-duty), the list by name with filters, deactivation and reactivation.
//! Removed contacts are not among them.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, Tx, corrupt, flag};
use crate::domain::profile::UserProfile;
use crate::domain::{CaseNumber, Role, WorkingWeek};
use crate::error::AppError;

/// What the list is narrowed to (`None`: any).
#[derive(Clone, Debug, Default)]
pub struct PeopleFilter<'a> {
    pub role: Option<Role>,
    pub organization_id: Option<i64>,
    /// Part of the name or email, any case.
    pub q: Option<&'a str>,
    pub active: Option<bool>,
}

/// An engineer's whole profile as it is saved.
#[derive(Clone, Debug)]
pub struct EngineerSettings {
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    pub week: WorkingWeek,
    pub lead: bool,
    pub on_duty: bool,
}

/// What a change to a person sets (`None`: unchanged).
#[derive(Clone, Debug, Default)]
pub struct PersonChange<'a> {
    pub name: Option<&'a str>,
    pub language: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    pub org_admin: Option<bool>,
    pub engineer: Option<EngineerSettings>,
}

/// The most people one page reads.
pub const PEOPLE_PAGE_MAX: i64 = 200;

const PROFILE_SELECT: &str = "SELECT u.id, u.email, u.name, u.role, u.organization_id, o.slug AS organization_slug, \
     u.org_admin, u.language, u.time_zone, CASE WHEN u.deactivated_at IS NULL THEN 1 ELSE 0 END AS active, \
     p.skills, p.languages, p.hours, COALESCE(p.lead, 0) AS lead, COALESCE(p.on_duty, 1) AS on_duty \
     FROM users u LEFT JOIN organizations o ON o.id = u.organization_id \
     LEFT JOIN engineer_profiles p ON p.user_id = u.id";

fn profile_from_row(row: &sqlx::any::AnyRow) -> Result<UserProfile, AppError> {
    let role: String = row.try_get("role")?;
    let role = Role::parse(&role).ok_or_else(|| corrupt("role", &role))?;
    let language: String = row.try_get("language")?;
    let time_zone: Option<String> = row.try_get("time_zone")?;
    let time_zone = time_zone.filter(|z| !z.trim().is_empty()).unwrap_or_else(|| "UTC".into());
    let engineer = role == Role::Engineer;
    let (skills, languages, shifts, lead, on_duty) = if engineer {
        let settings = engineer_from_row(row, &time_zone, &language)?;
        (
            Some(settings.skills),
            Some(settings.languages),
            Some(settings.week.shifts()),
            Some(settings.lead),
            Some(settings.on_duty),
        )
    } else {
        (None, None, None, None, None)
    };
    Ok(UserProfile {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role,
        organization: row.try_get("organization_slug")?,
        org_admin: flag(row, "org_admin")?,
        language,
        time_zone,
        active: flag(row, "active")?,
        skills,
        languages,
        shifts,
        lead,
        on_duty,
    })
}

/// An engineer's settings from a profile row; without a profile row, what assignment
/// assumes (`engineers`): office hours in their zone, their own language, no skill.
fn engineer_from_row(row: &sqlx::any::AnyRow, time_zone: &str, language: &str) -> Result<EngineerSettings, AppError> {
    let json_list = |name: &str| -> Result<Option<Vec<String>>, AppError> {
        let text: Option<String> = row.try_get(name)?;
        text.map(|t| serde_json::from_str(&t).map_err(|_| corrupt(name, &t))).transpose()
    };
    let hours: Option<String> = row.try_get("hours")?;
    let week = match hours {
        Some(text) => serde_json::from_str(&text).map_err(|_| corrupt("hours", &text))?,
        None => WorkingWeek::office_hours(time_zone),
    };
    Ok(EngineerSettings {
        skills: json_list("skills")?.unwrap_or_default(),
        languages: json_list("languages")?.filter(|l| !l.is_empty()).unwrap_or_else(|| vec![language.to_owned()]),
        week,
        lead: flag(row, "lead")?,
        on_duty: flag(row, "on_duty")?,
    })
}

/// A `LIKE` pattern finding `text` anywhere, lowercased, its wildcards taken literally.
fn containing(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl Store {
    /// One person (not a removed contact), with their organization's id.
    pub async fn person(&self, id: i64) -> Result<Option<(UserProfile, Option<i64>)>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{PROFILE_SELECT} WHERE u.id = $1 AND u.removed_at IS NULL"));
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(|row| Ok((profile_from_row(row)?, row.try_get("organization_id")?))).transpose()
    }

    /// People by name, after `(name, id)`, at most `limit` (never more than one past
    /// [`PEOPLE_PAGE_MAX`]: a page and a look ahead).
    pub async fn people(
        &self,
        filter: &PeopleFilter<'_>,
        after: Option<(&str, i64)>,
        limit: i64,
    ) -> Result<Vec<UserProfile>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{PROFILE_SELECT} WHERE u.removed_at IS NULL \
             AND ($1 = '' OR u.role = $1) \
             AND ($2 = 0 OR u.organization_id = $2) \
             AND ($3 = '' OR lower(u.name) LIKE $3 ESCAPE '\\' OR lower(u.email) LIKE $3 ESCAPE '\\') \
             AND ($4 = -1 OR (CASE WHEN u.deactivated_at IS NULL THEN 1 ELSE 0 END) = $4) \
             AND ($5 = 0 OR (u.name, u.id) > ($6, $7)) \
             ORDER BY u.name, u.id LIMIT $8"
        ));
        let (name, id) = after.unwrap_or(("", 0));
        let rows = sqlx::query(sql)
            .bind(filter.role.map_or("", Role::as_str))
            .bind(filter.organization_id.unwrap_or(0))
            .bind(filter.q.map(str::trim).filter(|q| !q.is_empty()).map(containing).unwrap_or_default())
            .bind(filter.active.map_or(-1, i64::from))
            .bind(i64::from(after.is_some()))
            .bind(name)
            .bind(id)
            .bind(limit.clamp(1, PEOPLE_PAGE_MAX + 1))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(profile_from_row).collect()
    }

    /// A deactivated admin with this email (whatever its case), by id.
    pub async fn deactivated_admin_by_email(&self, email: &str) -> Result<Option<i64>, AppError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM users WHERE lower(email) = lower($1) AND role = 'admin' AND removed_at IS NULL \
             AND deactivated_at IS NOT NULL",
        )
        .bind(email.trim())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Open cases (new, feedback, confirmed, assigned) assigned to `user_id`, oldest first,
    /// at most `limit`.
    pub async fn open_cases_assigned_to(&self, user_id: i64, limit: i64) -> Result<Vec<CaseNumber>, AppError> {
        let numbers: Vec<i64> = sqlx::query_scalar(
            "SELECT number FROM cases WHERE assignee_id = $1 AND status IN ('new', 'feedback', 'confirmed', 'assigned') \
             ORDER BY number LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(numbers.into_iter().map(CaseNumber).collect())
    }
}

/// One person, read inside a write transaction.
pub(crate) async fn person_in(tx: &mut Tx, id: i64) -> Result<Option<UserProfile>, AppError> {
    let sql = sqlx::AssertSqlSafe(format!("{PROFILE_SELECT} WHERE u.id = $1 AND u.removed_at IS NULL"));
    let row = sqlx::query(sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(profile_from_row).transpose()
}

/// Applies a change to a person inside a write transaction. Demoting their organization's
/// last admin is refused on `org_admin` (nothing written).
pub(crate) async fn change_person_in(
    tx: &mut Tx,
    id: i64,
    organization_id: Option<i64>,
    change: &PersonChange<'_>,
) -> Result<(), AppError> {
    if let (Some(false), Some(organization_id)) = (change.org_admin, organization_id) {
        super::users::refuse_last_admin(tx, organization_id, id, "org_admin").await?;
    }
    if let Some(name) = change.name {
        sqlx::query("UPDATE users SET name = $1 WHERE id = $2").bind(name).bind(id).execute(&mut **tx).await?;
    }
    if let Some(language) = change.language {
        // Chosen for them: their pages follow it over the browser's.
        sqlx::query("UPDATE users SET language = $1, language_chosen = 1 WHERE id = $2")
            .bind(language)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(zone) = change.time_zone {
        sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2").bind(zone).bind(id).execute(&mut **tx).await?;
    }
    if let Some(admin) = change.org_admin {
        sqlx::query("UPDATE users SET org_admin = $1 WHERE id = $2")
            .bind(i64::from(admin))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(engineer) = &change.engineer {
        sqlx::query(
            "INSERT INTO engineer_profiles (user_id, skills, languages, hours, lead, on_duty) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(user_id) DO UPDATE SET skills = excluded.skills, \
             languages = excluded.languages, hours = excluded.hours, lead = excluded.lead, on_duty = excluded.on_duty",
        )
        .bind(id)
        .bind(to_json(&engineer.skills)?)
        .bind(to_json(&engineer.languages)?)
        .bind(to_json(&engineer.week)?)
        .bind(i64::from(engineer.lead))
        .bind(i64::from(engineer.on_duty))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|_| AppError::Internal)
}

/// Deactivates a person inside a write transaction: they keep their account (and password,
/// for a later reactivation) but lose every session and API token at once. `false` when
/// they were already deactivated.
pub(crate) async fn deactivate_in(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool, AppError> {
    let changed = sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL")
        .bind(now.to_string())
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(changed > 0)
}

/// Lets a deactivated person sign in again; `false` when they were active, or erased (an
/// erased person stays deactivated: there is no one left to sign in).
pub(crate) async fn reactivate_in(tx: &mut Tx, id: i64) -> Result<bool, AppError> {
    let changed = sqlx::query("UPDATE users SET deactivated_at = NULL WHERE id = $1 AND deactivated_at IS NOT NULL AND erased_at IS NULL")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed > 0)
}
