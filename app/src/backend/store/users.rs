//! People: customers, engineers (profiles, leads), contacts and seats.

use jiff::Timestamp;
use sqlx::Row;

use super::scope::CaseScope;
use super::{Store, Tx, corrupt, flag, timestamp, unique_violation};
use crate::domain::people::{Contact, ContactStatus};
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

/// The password "hash" of an invited person who has not chosen a password yet: no password
/// verifies against it.
pub const AWAITING_PASSWORD: &str = "!invited";

/// The password "hash" of a removed contact: no password verifies against it.
const REMOVED: &str = "!removed";

/// The most contacts one organization's list shows (the seats are counted over all of them).
pub const CONTACTS_SHOWN: i64 = 1000;

/// What an organization's admin changes on a contact; `None` leaves it as it is.
#[derive(Clone, Debug, Default)]
pub struct ContactChange<'a> {
    pub name: Option<&'a str>,
    pub org_admin: Option<bool>,
    pub opens_cases: Option<bool>,
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

    /// The person with this email. A removed contact or a deactivated person is not found:
    /// they cannot sign in, write in by email, be assigned or be invited as someone with an
    /// account.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{USER_SELECT} WHERE lower(u.email) = lower($1) AND u.removed_at IS NULL AND u.deactivated_at IS NULL"
        ));
        let row = sqlx::query(sql).bind(email.trim()).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// A person who may act today: neither removed nor deactivated, nor a contact of a
    /// deactivated organization (whom support may open a case for).
    pub async fn active_person(&self, id: i64) -> Result<Option<UserRecord>, AppError> {
        self.signed_in_user(id).await
    }

    /// The person behind a session or an API token: anyone but a removed contact or a
    /// deactivated person, or a contact of a deactivated organization.
    pub(super) async fn signed_in_user(&self, id: i64) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{USER_SELECT} WHERE u.id = $1 AND u.removed_at IS NULL AND u.deactivated_at IS NULL AND (o.id IS NULL OR o.active = 1)"
        ));
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// A contact that organization `organization_id`'s admin removed, by email: invited again,
    /// their account comes back (with their cases).
    pub async fn removed_contact_by_email(&self, organization_id: i64, email: &str) -> Result<Option<i64>, AppError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM users WHERE lower(email) = lower($1) AND organization_id = $2 AND role = 'customer' \
             AND removed_at IS NOT NULL",
        )
        .bind(email.trim())
        .bind(organization_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Whether any account, removed or not, has this email (addresses stay unique).
    pub async fn email_taken(&self, email: &str) -> Result<bool, AppError> {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1)")
            .bind(email.trim())
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Every active engineer with what automatic assignment weighs, and their load (open
    /// cases assigned to them). An engineer without a profile works office hours in their
    /// zone, in their own language, with no declared skill, on duty.
    pub async fn engineers(&self) -> Result<Vec<(EngineerProfile, u32)>, AppError> {
        let rows = sqlx::query(
"SELECT u.id, u.name, u.time_zone, u.language, p.skills, p.languages, p.hours, COALESCE(p.on_duty, 1) AS on_duty, \
             (SELECT COUNT(*) FROM cases c WHERE c.assignee_id = u.id \
             AND c.status IN ('new', 'feedback', 'confirmed', 'assigned')) AS load \
             FROM users u LEFT JOIN engineer_profiles p ON p.user_id = u.id \
             WHERE u.role = 'engineer' AND u.deactivated_at IS NULL ORDER BY u.id",
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
                    None => crate::domain::WorkingWeek::office_hours(zone.as_deref().unwrap_or("UTC")),
                };
                let load: i64 = row.try_get("load")?;
                Ok((
                    EngineerProfile {
                        id: row.try_get("id")?,
                        name: row.try_get("name")?,
                        skills: json_list("skills")?.unwrap_or_default(),
                        languages: json_list("languages")?.filter(|l| !l.is_empty()).unwrap_or_else(|| vec![language]),
                        hours,
                        on_duty: flag(row, "on_duty")?,
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
        hours: &crate::domain::WorkingWeek,
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

    /// An organization's contacts (neither removed nor deactivated), by name, after `(name,
    /// id)`, at most `limit`, each with their status at `now`.
    pub async fn contacts(
        &self,
        organization_id: i64,
        now: Timestamp,
        after: Option<(&str, i64)>,
        limit: i64,
    ) -> Result<Vec<Contact>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{CONTACT_SELECT} WHERE u.organization_id = $1 AND u.role = 'customer' AND u.removed_at IS NULL \
             AND u.deactivated_at IS NULL AND ($4 = 0 OR (u.name, u.id) > ($5, $6)) ORDER BY u.name, u.id LIMIT $3"
        ));
        let (name, id) = after.unwrap_or(("", 0));
        let rows = sqlx::query(sql)
            .bind(organization_id)
            .bind(AWAITING_PASSWORD)
            .bind(limit.min(CONTACTS_SHOWN))
            .bind(i64::from(after.is_some()))
            .bind(name)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| contact_from_row(row, now)).collect()
    }

    /// One contact of the organization (not removed), with their status at `now`.
    pub async fn contact(
        &self,
        organization_id: i64,
        user_id: i64,
        now: Timestamp,
    ) -> Result<Option<Contact>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{CONTACT_SELECT} WHERE u.organization_id = $1 AND u.role = 'customer' AND u.removed_at IS NULL \
             AND u.id = $3"
        ));
        let row = sqlx::query(sql)
            .bind(organization_id)
            .bind(AWAITING_PASSWORD)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(|row| contact_from_row(row, now)).transpose()
    }

    /// How many of the organization's contacts hold a seat (a deactivated one holds none).
    pub async fn seats_taken(&self, organization_id: i64) -> Result<u32, AppError> {
        let taken: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE organization_id = $1 AND role = 'customer' AND opens_cases = 1 \
             AND removed_at IS NULL AND deactivated_at IS NULL",
        )
        .bind(organization_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(taken).unwrap_or(u32::MAX))
    }

    /// Changes a contact's name, admin role and seat in one transaction: refused (and nothing
    /// changed) for someone not among the organization's contacts (404), past the plan's
    /// `seats`, or when it would leave the organization without an admin.
    pub async fn change_contact(
        &self,
        organization_id: i64,
        user_id: i64,
        change: &ContactChange<'_>,
        seats: Option<u32>,
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        let org_admin = contact_in(&mut tx, organization_id, user_id).await?.ok_or(AppError::NotFound)?;
        if org_admin && change.org_admin == Some(false) {
            refuse_last_admin(&mut tx, organization_id, user_id, "org_admin").await?;
        }
        if let (Some(true), Some(seats)) = (change.opens_cases, seats) {
            check_seat_free(&mut tx, organization_id, user_id, seats).await?;
        }
        if let Some(name) = change.name {
            sqlx::query("UPDATE users SET name = $1 WHERE id = $2").bind(name).bind(user_id).execute(&mut *tx).await?;
        }
        if let Some(admin) = change.org_admin {
            sqlx::query("UPDATE users SET org_admin = $1 WHERE id = $2")
                .bind(i64::from(admin))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(opens) = change.opens_cases {
            sqlx::query("UPDATE users SET opens_cases = $1 WHERE id = $2")
                .bind(i64::from(opens))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes a contact from their organization, in one transaction: the account stays (their
    /// cases keep their name) but loses its password, sessions, API tokens, live invitation
    /// links, seat and admin role, and is no longer found by email. Refused (nothing changed)
    /// for someone not among the organization's contacts, or its last admin.
    pub async fn remove_contact(&self, organization_id: i64, user_id: i64, now: Timestamp) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        let org_admin = contact_in(&mut tx, organization_id, user_id).await?.ok_or(AppError::NotFound)?;
        if org_admin {
            refuse_last_admin(&mut tx, organization_id, user_id, "contact").await?;
        }
        sqlx::query(
            "UPDATE users SET removed_at = $1, password_hash = $2, org_admin = 0, opens_cases = 0 WHERE id = $3",
        )
        .bind(now.to_string())
        .bind(REMOVED)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE invitations SET revoked_at = $1 WHERE user_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now.to_string())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Brings a removed contact back as invited (they choose a new password from the link):
    /// their name as now typed, no seat unless one is given later.
    pub async fn reinstate_contact(&self, organization_id: i64, user_id: i64, name: &str) -> Result<(), AppError> {
        sqlx::query(
            "UPDATE users SET removed_at = NULL, name = $1, password_hash = $2, org_admin = 0, opens_cases = 0 \
             WHERE id = $3 AND organization_id = $4 AND removed_at IS NOT NULL",
        )
        .bind(name)
        .bind(AWAITING_PASSWORD)
        .bind(user_id)
        .bind(organization_id)
        .execute(&self.pool)
        .await?;
        Ok(())
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
        let change = ContactChange { opens_cases: Some(opens), ..Default::default() };
        self.change_contact(organization_id, user_id, &change, seats).await
    }
}

const CONTACT_SELECT: &str = "SELECT u.id, u.name, u.email, u.org_admin, u.opens_cases, \
     CASE WHEN u.password_hash = $2 THEN 1 ELSE 0 END AS awaiting_password, i.expires_at, \
     CASE WHEN i.revoked_at IS NULL THEN 0 ELSE 1 END AS revoked \
     FROM users u LEFT JOIN invitations i ON i.id = (SELECT MAX(l.id) FROM invitations l WHERE l.user_id = u.id)";

fn contact_from_row(row: &sqlx::any::AnyRow, now: Timestamp) -> Result<Contact, AppError> {
    let expires: Option<String> = row.try_get("expires_at")?;
    let latest = match expires {
        Some(text) => Some((timestamp(&text)?, flag(row, "revoked")?)),
        None => None,
    };
    Ok(Contact {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        org_admin: flag(row, "org_admin")?,
        opens_cases: flag(row, "opens_cases")?,
        status: ContactStatus::of(flag(row, "awaiting_password")?, latest, now),
    })
}

/// Whether `user_id` is a contact of the organization (not removed), and if so whether an
/// admin of it.
async fn contact_in(tx: &mut Tx, organization_id: i64, user_id: i64) -> Result<Option<bool>, AppError> {
    let row = sqlx::query(
        "SELECT org_admin FROM users WHERE id = $1 AND organization_id = $2 AND role = 'customer' AND removed_at IS NULL",
    )
    .bind(user_id)
    .bind(organization_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| flag(&row, "org_admin")).transpose()
}

/// Refuses, on `field`, a change that would leave the organization without an admin.
pub(super) async fn refuse_last_admin(
    tx: &mut Tx,
    organization_id: i64,
    user_id: i64,
    field: &str,
) -> Result<(), AppError> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE organization_id = $1 AND role = 'customer' AND org_admin = 1 \
         AND removed_at IS NULL AND id <> $2",
    )
    .bind(organization_id)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?;
    if others == 0 {
        return Err(AppError::invalid(field, InvalidReason::LastAdmin));
    }
    Ok(())
}

/// Refuses a seat for `user_id` when the organization's `seats` are all taken by others.
async fn check_seat_free(tx: &mut Tx, organization_id: i64, user_id: i64, seats: u32) -> Result<(), AppError> {
    let taken: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE organization_id = $1 AND role = 'customer' AND opens_cases = 1 \
         AND removed_at IS NULL AND deactivated_at IS NULL AND id <> $2",
    )
    .bind(organization_id)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?;
    if taken >= i64::from(seats) {
        return Err(AppError::invalid("opens_cases", InvalidReason::TooLong { max: seats as usize }));
    }
    Ok(())
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

    #[tokio::test]
    async fn a_removed_contact_is_found_by_no_email_session_or_token_and_leaves_the_list_and_their_seat() {
        let f = fixture().await;
        let now = jiff::Timestamp::now();
        let acme = f.alice.organization_id.unwrap();
        let session = start_session(&f.store, &f.alice).await.unwrap();
        let day = jiff::SignedDuration::from_hours(24);
        f.store.create_api_token(f.alice.id, "script", "token-hash", now, now + day, 5).await.unwrap();
        let seats = f.store.seats_taken(acme).await.unwrap();

        f.store.remove_contact(acme, f.alice.id, now).await.unwrap();
        assert!(f.store.user_by_email("alice@acme.test").await.unwrap().is_none());
        assert!(user_by_session(&f.store, &session).await.unwrap().is_none());
        assert!(f.store.user_by_api_token("token-hash", now).await.unwrap().is_none());
        assert!(f.store.contacts(acme, now, None, 1000).await.unwrap().iter().all(|c| c.id != f.alice.id));
        assert_eq!(f.store.seats_taken(acme).await.unwrap(), seats - 1);
        // The account stays, for the cases under their name.
        assert_eq!(f.store.user_by_id(f.alice.id).await.unwrap().unwrap().name, "alice@acme.test");
        assert_eq!(f.store.remove_contact(acme, f.alice.id, now).await, Err(AppError::NotFound));
        assert_eq!(f.store.set_case_opener(acme, f.alice.id, true, None).await, Err(AppError::NotFound));

        // Brought back, they are an invited contact of the same organization.
        assert_eq!(f.store.removed_contact_by_email(acme, "Alice@acme.test").await.unwrap(), Some(f.alice.id));
        f.store.reinstate_contact(acme, f.alice.id, "Alice").await.unwrap();
        let back = f.store.contact(acme, f.alice.id, now).await.unwrap().unwrap();
        assert_eq!(
            (back.name.as_str(), back.status),
            ("Alice", crate::domain::people::ContactStatus::InvitationExpired)
        );
        assert!(f.store.user_by_email("alice@acme.test").await.unwrap().is_some());
    }

    #[tokio::test]
    async fn the_last_admin_is_neither_demoted_nor_removed_and_another_organizations_contact_is_not_found() {
        let f = fixture().await;
        let now = jiff::Timestamp::now();
        let acme = f.olga.organization_id.unwrap();
        let demote = ContactChange { name: Some("Renamed"), org_admin: Some(false), opens_cases: None };
        let last = AppError::invalid("org_admin", InvalidReason::LastAdmin);
        assert_eq!(f.store.change_contact(acme, f.olga.id, &demote, None).await, Err(last));
        assert_eq!(
            f.store.remove_contact(acme, f.olga.id, now).await,
            Err(AppError::invalid("contact", InvalidReason::LastAdmin))
        );
        let olga = f.store.contact(acme, f.olga.id, now).await.unwrap().unwrap();
        assert_eq!((olga.name.as_str(), olga.org_admin), ("olga@acme.test", true), "nothing changed");
        assert_eq!(f.store.change_contact(acme, f.bruno.id, &demote, None).await, Err(AppError::NotFound));
        assert_eq!(f.store.remove_contact(acme, f.bruno.id, now).await, Err(AppError::NotFound));
        assert_eq!(f.store.remove_contact(acme, f.sam.id, now).await, Err(AppError::NotFound), "support is no contact");

        let promote = ContactChange { org_admin: Some(true), ..Default::default() };
        f.store.change_contact(acme, f.alice.id, &promote, None).await.unwrap();
        f.store.change_contact(acme, f.olga.id, &demote, None).await.unwrap();
        let olga = f.store.contact(acme, f.olga.id, now).await.unwrap().unwrap();
        assert_eq!((olga.name.as_str(), olga.org_admin), ("Renamed", false));
    }
}
