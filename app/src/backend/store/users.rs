//! People: customers, engineers (profiles, leads), contacts and seats.

use jiff::Timestamp;
use sqlx::Row;

use super::scope::CaseScope;
use super::{Store, corrupt, flag, unique_violation};
use crate::domain::people::Contact;
use crate::domain::{EngineerProfile, Role, SignedInUser};
use crate::error::{AppError, InvalidReason};

/// A user as the server knows them (with the password hash, which never leaves the backend).
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub organization_slug: Option<String>,
    pub org_admin: bool,
    pub password_hash: String,
    /// The language they read and write ("en", "fr", "zh"): their emails' language.
    pub language: String,
    /// They chose `language` themselves (the picker while signed in): their pages use it
    /// over what the browser asks for.
    pub language_chosen: bool,
    /// The number they last gave for a callback (E.164), offered again next time.
    pub phone: Option<String>,
    /// A customer holding one of the organization's seats may open cases; the others read and reply.
    pub opens_cases: bool,
}

impl UserRecord {
    pub fn signed_in(&self) -> SignedInUser {
        SignedInUser {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            organization: self.organization_slug.clone(),
            org_admin: self.org_admin,
            language: self.language_chosen.then(|| self.language.clone()),
            phone: self.phone.clone(),
        }
    }

    /// Which cases this user may see: support sees all, a customer their organization's,
    /// minus the private cases of others (unless they administer the organization).
    pub fn case_scope(&self) -> CaseScope {
        match (self.role.is_support(), self.organization_id) {
            (true, _) => CaseScope::Everything,
            (false, Some(organization_id)) => {
                CaseScope::Customer { organization_id, user_id: self.id, org_admin: self.org_admin }
            }
            // A customer without an organization cannot exist (schema CHECK); see nothing.
            (false, None) => CaseScope::Nothing,
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub org_admin: bool,
    pub password_hash: &'a str,
    pub time_zone: Option<&'a str>,
    /// A primary language tag ("en", "fr", "zh"); `None` is English.
    pub language: Option<&'a str>,
}

pub(super) const USER_SELECT: &str = "SELECT u.id, u.email, u.name, u.role, u.organization_id, o.slug AS organization_slug, \
     u.org_admin, u.password_hash, u.language, u.language_chosen, u.phone, u.opens_cases FROM users u LEFT JOIN organizations o ON o.id = u.organization_id";

pub(super) fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRecord, AppError> {
    let role: String = row.try_get("role")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        organization_id: row.try_get("organization_id")?,
        organization_slug: row.try_get("organization_slug")?,
        org_admin: flag(row, "org_admin")?,
        password_hash: row.try_get("password_hash")?,
        language: row.try_get("language")?,
        language_chosen: flag(row, "language_chosen")?,
        phone: row.try_get("phone")?,
        opens_cases: flag(row, "opens_cases")?,
    })
}

impl Store {
    pub async fn create_user(&self, user: NewUser<'_>) -> Result<UserRecord, AppError> {
        let result = sqlx::query(
            "INSERT INTO users (email, name, role, organization_id, org_admin, password_hash, time_zone, language, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(user.email)
        .bind(user.name)
        .bind(user.role.as_str())
        .bind(user.organization_id)
        .bind(i64::from(user.org_admin))
        .bind(user.password_hash)
        .bind(user.time_zone)
        .bind(user.language.unwrap_or("en"))
        .bind(Timestamp::now().to_string())
        .fetch_one(&self.pool)
        .await;
        match result {
            Ok(row) => {
                let id: i64 = row.try_get("id")?;
                self.user_by_id(id).await?.ok_or(AppError::Internal)
            }
            Err(e) if unique_violation(&e) => Err(AppError::invalid("email", InvalidReason::NotAllowed)),
            Err(e) => Err(e.into()),
        }
    }

    /// The language a person reads, as they chose it (`chosen`) or as their browser asked
    /// for it when they signed in; a browser's never replaces a chosen one.
    pub async fn set_user_language(&self, user_id: i64, language: &str, chosen: bool) -> Result<(), AppError> {
        sqlx::query(
            "UPDATE users SET language = $1, language_chosen = $2 WHERE id = $3 AND ($2 = 1 OR language_chosen = 0)",
        )
        .bind(language)
        .bind(i64::from(chosen))
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The callback number a person gave (E.164), offered on their next case.
    pub async fn set_user_phone(&self, user_id: i64, phone: &str) -> Result<(), AppError> {
        sqlx::query("UPDATE users SET phone = $1 WHERE id = $2").bind(phone).bind(user_id).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{USER_SELECT} WHERE u.id = $1"));
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{USER_SELECT} WHERE lower(u.email) = lower($1)"));
        let row = sqlx::query(sql).bind(email.trim()).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Every engineer with what automatic assignment weighs, and their load (open cases
    /// assigned to them). An engineer without a profile works office hours in their zone,
    /// in their own language, with no declared skill.
    pub async fn engineers(&self) -> Result<Vec<(EngineerProfile, u32)>, AppError> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.time_zone, u.language, p.skills, p.languages, p.hours, \
             (SELECT COUNT(*) FROM cases c WHERE c.assignee_id = u.id AND c.status NOT IN ('resolved', 'closed')) AS load \
             FROM users u LEFT JOIN engineer_profiles p ON p.user_id = u.id WHERE u.role = 'engineer' ORDER BY u.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let json_list = |name: &str| -> Result<Option<Vec<String>>, AppError> {
                    let text: Option<String> = row.try_get(name)?;
                    text.map(|t| serde_json::from_str(&t).map_err(|_| corrupt(name, &t))).transpose()
                };
                let language: String = row.try_get("language")?;
                let zone: Option<String> = row.try_get("time_zone")?;
                let hours: Option<String> = row.try_get("hours")?;
                let hours = match hours {
                    Some(text) => serde_json::from_str(&text).map_err(|_| corrupt("hours", &text))?,
                    None => crate::domain::BusinessCalendar::office_hours(zone.as_deref().unwrap_or("UTC")),
                };
                let load: i64 = row.try_get("load")?;
                Ok((
                    EngineerProfile {
                        id: row.try_get("id")?,
                        name: row.try_get("name")?,
                        skills: json_list("skills")?.unwrap_or_default(),
                        languages: json_list("languages")?.filter(|l| !l.is_empty()).unwrap_or_else(|| vec![language]),
                        hours,
                    },
                    u32::try_from(load).unwrap_or(u32::MAX),
                ))
            })
            .collect()
    }

    /// Every engineer's email, by id (one query for the "Assign to" menu).
    pub async fn engineer_emails(&self) -> Result<std::collections::HashMap<i64, String>, AppError> {
        let rows = sqlx::query("SELECT id, email FROM users WHERE role = 'engineer'").fetch_all(&self.pool).await?;
        rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("email")?))).collect()
    }

    /// Records what automatic assignment knows of an engineer.
    pub async fn set_engineer_profile(
        &self,
        user_id: i64,
        skills: &[String],
        languages: &[String],
        hours: &crate::domain::BusinessCalendar,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO engineer_profiles (user_id, skills, languages, hours) VALUES ($1, $2, $3, $4) \
             ON CONFLICT(user_id) DO UPDATE SET skills = excluded.skills, languages = excluded.languages, \
             hours = excluded.hours",
        )
        .bind(user_id)
        .bind(serde_json::to_string(skills).map_err(|_| AppError::Internal)?)
        .bind(serde_json::to_string(languages).map_err(|_| AppError::Internal)?)
        .bind(serde_json::to_string(hours).map_err(|_| AppError::Internal)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Makes an engineer a lead (told of SLA warnings and breaches while on shift), or not.
    pub async fn set_engineer_lead(&self, user_id: i64, lead: bool) -> Result<(), AppError> {
        sqlx::query("UPDATE engineer_profiles SET lead = $1 WHERE user_id = $2")
            .bind(i64::from(lead))
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn contacts(&self, organization_id: i64) -> Result<Vec<Contact>, AppError> {
        let rows = sqlx::query(
            "SELECT id, name, email, org_admin, opens_cases FROM users WHERE organization_id = $1 AND role = 'customer' ORDER BY name",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Contact {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    email: row.try_get("email")?,
                    org_admin: flag(row, "org_admin")?,
                    opens_cases: flag(row, "opens_cases")?,
                })
            })
            .collect()
    }

    /// Gives a contact a seat (may open cases) or takes it back, within `seats`: counted in
    /// the same transaction, so two admins cannot both take the last seat.
    pub async fn set_case_opener(
        &self,
        organization_id: i64,
        user_id: i64,
        opens: bool,
        seats: Option<u32>,
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND organization_id = $2 AND role = 'customer'")
                .bind(user_id)
                .bind(organization_id)
                .fetch_optional(&mut *tx)
                .await?;
        if found.is_none() {
            return Err(AppError::NotFound);
        }
        if let (true, Some(seats)) = (opens, seats) {
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE organization_id = $1 AND role = 'customer' AND opens_cases = 1 AND id <> $2",
            )
            .bind(organization_id)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
            if taken >= i64::from(seats) {
                return Err(AppError::invalid("opens_cases", InvalidReason::TooLong { max: seats as usize }));
            }
        }
        sqlx::query("UPDATE users SET opens_cases = $1 WHERE id = $2")
            .bind(i64::from(opens))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn an_email_is_unique_whatever_its_case() {
        let f = fixture().await;
        let again = f
            .store
            .create_user(NewUser {
                email: "ALICE@acme.test",
                name: "Alice again",
                role: Role::Engineer,
                organization_id: None,
                org_admin: false,
                password_hash: "x",
                time_zone: None,
                language: None,
            })
            .await;
        assert_eq!(again.unwrap_err(), AppError::invalid("email", InvalidReason::NotAllowed));
    }
}
