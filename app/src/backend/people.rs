//! People (admin console): list, read and change anyone's profile, deactivate and
//! reactivate accounts. Every field is checked before anything is saved; a refused change
//! changes nothing; every change is in the admin log with the profile before and after.

use super::assignment::{AssignTo, assign};
use super::store::people::{
    EngineerSettings, PEOPLE_PAGE_MAX, PeopleFilter, PersonChange, change_person_in, deactivate_in, person_in,
    reactivate_in,
};
use super::store::{Store, Tx, UserRecord};
use crate::domain::people::check_name;
use crate::domain::profile::{UserChange, UserPage, UserProfile, check_skills, check_spoken};
use crate::domain::{Role, WorkingWeek};
use crate::error::{AppError, InvalidReason};

/// A page of people when the caller names no limit.
pub const PEOPLE_PAGE: i64 = 50;

/// The list kind in the people list's cursors.
const CURSOR_KIND: char = 'p';

/// Open cases moved off a deactivated engineer per round (each round reads them again).
const REASSIGN_BATCH: i64 = 100;

fn require_admin(actor: &UserRecord) -> Result<(), AppError> {
    if actor.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

fn target(id: i64) -> String {
    format!("user:{id}")
}

fn snapshot(profile: &UserProfile) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(profile).map_err(|_| AppError::Internal)
}

/// The list query as people send it (every filter optional).
#[derive(Clone, Debug, Default)]
pub struct PeopleQuery<'a> {
    /// `customer`, `engineer` or `admin`.
    pub role: Option<&'a str>,
    /// An organization's slug.
    pub organization: Option<&'a str>,
    pub q: Option<&'a str>,
    /// `true` or `false`.
    pub active: Option<&'a str>,
    pub cursor: Option<&'a str>,
    pub limit: Option<i64>,
}

fn malformed(field: &str, detail: &str) -> AppError {
    AppError::invalid(field, InvalidReason::Malformed { detail: detail.into() })
}

/// People by name, a page at a time, narrowed by role, organization, a part of the name or
/// email, and whether they are active. Admins only.
pub async fn list(store: &Store, actor: &UserRecord, query: PeopleQuery<'_>) -> Result<UserPage, AppError> {
    require_admin(actor)?;
    let text = |t: Option<&str>| t.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    let role = match text(query.role) {
        None => None,
        Some(r) => Some(Role::parse(&r).ok_or_else(|| malformed("role", "customer, engineer or admin"))?),
    };
    let organization_id = match text(query.organization) {
        None => None,
        Some(slug) => Some(super::organizations::named_organization_id(store, "organization", &slug).await?),
    };
    let active = match text(query.active).as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(malformed("active", "true or false")),
    };
    if query.q.is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::invalid("q", InvalidReason::TooLong { max: 200 }));
    }
    let limit = match query.limit {
        None => PEOPLE_PAGE,
        Some(n) if (1..=PEOPLE_PAGE_MAX).contains(&n) => n,
        Some(_) => return Err(malformed("limit", "a number from 1 to 200")),
    };
    let after =
        query.cursor.filter(|c| !c.is_empty()).map(|c| super::cursor::parse_name(CURSOR_KIND, c)).transpose()?;
    let filter = PeopleFilter { role, organization_id, q: query.q, active };
    let mut users = store.people(&filter, after.as_ref().map(|(n, id)| (n.as_str(), *id)), limit + 1).await?;
    let more = users.len() as i64 > limit;
    users.truncate(limit as usize);
    let next_cursor =
        if more { users.last().map(|u| super::cursor::name_after(CURSOR_KIND, &u.name, u.id)) } else { None };
    Ok(UserPage { users, next_cursor })
}

/// One person. Admins only; an unknown id (or a removed contact) is 404.
pub async fn get(store: &Store, actor: &UserRecord, id: i64) -> Result<UserProfile, AppError> {
    require_admin(actor)?;
    Ok(store.person(id).await?.ok_or(AppError::NotFound)?.0)
}

/// Checks a time zone name: known to the time zone database, else 422 on `time_zone`.
fn check_zone(zone: &str) -> Result<String, AppError> {
    let zone = zone.trim();
    if zone.is_empty() {
        return Err(AppError::invalid("time_zone", InvalidReason::Required));
    }
    let utc = zone.eq_ignore_ascii_case("UTC") || zone.eq_ignore_ascii_case("Etc/UTC");
    if !utc && jiff::tz::TimeZone::get(zone).is_err() {
        return Err(malformed("time_zone", "not a known IANA time zone, such as Europe/Paris"));
    }
    Ok(if utc { "UTC".to_owned() } else { zone.to_owned() })
}

/// Changes any of a person's fields, all or nothing, and records it in the admin log.
/// Refused on the field (422): an empty or overlong name, a language Caseboard has no pages
/// in, an unknown time zone or spoken language, overlapping shifts, an engineer's field for
/// anyone but an engineer, `org_admin` for anyone but a customer, demoting an
/// organization's last admin. Admins only; an unknown id is 404.
pub async fn change(store: &Store, actor: &UserRecord, id: i64, change: UserChange) -> Result<UserProfile, AppError> {
    require_admin(actor)?;
    let (before, after, mut tx) = apply(store, id, change).await?;
    if after != before {
        super::audit::record_in(
            &mut tx,
            actor,
            "user.updated",
            &target(id),
            Some(snapshot(&before)?),
            Some(snapshot(&after)?),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(user = id, actor = actor.id, "user changed");
    Ok(after)
}

/// Checks a change to a person (the rules of [`change`]) and writes it in a transaction
/// left open for the caller to record and commit: the profile before and after. Whoever
/// may make the change is the caller's to decide (an admin, or the person themself for
/// their name, language and zone).
pub(crate) async fn apply(
    store: &Store,
    id: i64,
    change: UserChange,
) -> Result<(UserProfile, UserProfile, Tx), AppError> {
    let (_, organization_id) = store.person(id).await?.ok_or(AppError::NotFound)?;
    // "Before" is read in the write transaction: fields the change leaves alone are written
    // back as they are then, never as an earlier read saw them (a concurrent change stands).
    let mut tx = store.begin_write().await?;
    let before = person_in(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let name = change.name.as_deref().map(str::trim);
    if let Some(name) = name {
        check_name("name", name)?;
    }
    let language = match change.language.as_deref() {
        None => None,
        Some(tag) => Some(super::language::supported(tag).ok_or_else(|| malformed("language", "en, fr or zh"))?),
    };
    let time_zone = change.time_zone.as_deref().map(check_zone).transpose()?;
    if let Some(field) = change.engineer_fields().first().filter(|_| before.role != Role::Engineer) {
        return Err(AppError::invalid(field, InvalidReason::NotAllowed));
    }
    if change.org_admin.is_some() && before.role != Role::Customer {
        return Err(AppError::invalid("org_admin", InvalidReason::NotAllowed));
    }
    let engineer = if before.role == Role::Engineer && (!change.engineer_fields().is_empty() || time_zone.is_some()) {
        let zone = time_zone.as_deref().unwrap_or(&before.time_zone);
        let current = before.shifts.clone().unwrap_or_default();
        let week = match &change.shifts {
            Some(shifts) => WorkingWeek::of_shifts(zone, shifts)?,
            None if current.is_empty() => WorkingWeek::office_hours(zone),
            None => WorkingWeek::of_shifts(zone, &current)?,
        };
        Some(EngineerSettings {
            skills: match &change.skills {
                Some(skills) => check_skills(skills)?,
                None => before.skills.clone().unwrap_or_default(),
            },
            languages: match &change.languages {
                Some(languages) => check_spoken(languages)?,
                None => before.languages.clone().unwrap_or_default(),
            },
            week,
            lead: change.lead.or(before.lead).unwrap_or(false),
            on_duty: change.on_duty.or(before.on_duty).unwrap_or(true),
        })
    } else {
        None
    };
    let person_change =
        PersonChange { name, language, time_zone: time_zone.as_deref(), org_admin: change.org_admin, engineer };
    change_person_in(&mut tx, id, organization_id, &person_change).await?;
    let after = person_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
    Ok((before, after, tx))
}

/// Deactivates a person: their sessions and API tokens end at once and they can no longer
/// sign in (the usual sign-in refusal); a deactivated engineer's open cases go to others by
/// the automatic assignment rule (or back to nobody when no engineer is left), each move in
/// the case's log. An admin cannot deactivate themselves (422 `user`). Already deactivated:
/// nothing changes. Admins only; an unknown id is 404.
pub async fn deactivate(store: &Store, actor: &UserRecord, id: i64) -> Result<UserProfile, AppError> {
    require_admin(actor)?;
    if id == actor.id {
        return Err(AppError::invalid("user", InvalidReason::NotAllowed));
    }
    let (before, _) = store.person(id).await?.ok_or(AppError::NotFound)?;
    let mut tx = store.begin_write().await?;
    let changed = deactivate_in(&mut tx, id, jiff::Timestamp::now()).await?;
    let after = person_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
    if changed {
        super::audit::record_in(
            &mut tx,
            actor,
            "user.deactivated",
            &target(id),
            Some(snapshot(&before)?),
            Some(snapshot(&after)?),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(user = id, actor = actor.id, changed, "user deactivated");
    if before.role == Role::Engineer {
        reassign_open_cases(store, actor, id).await?;
    }
    Ok(after)
}

/// Moves every open case of `engineer_id` to whom the automatic rule chooses (never them:
/// they are no longer among the engineers), or to nobody when it finds no one.
async fn reassign_open_cases(store: &Store, actor: &UserRecord, engineer_id: i64) -> Result<(), AppError> {
    let mut moved = std::collections::HashSet::new();
    loop {
        let numbers = store.open_cases_assigned_to(engineer_id, REASSIGN_BATCH).await?;
        let fresh: Vec<_> = numbers.into_iter().filter(|n| moved.insert(n.0)).collect();
        if fresh.is_empty() {
            return Ok(());
        }
        for number in fresh {
            match assign(store, actor, number, AssignTo::Automatic, None).await {
                Ok(_) => {}
                Err(AppError::Invalid { .. }) => {
                    assign(store, actor, number, AssignTo::Nobody, None).await?;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Lets a deactivated person sign in again (with the password they had). Already active:
/// nothing changes. Admins only; an unknown id is 404.
pub async fn reactivate(store: &Store, actor: &UserRecord, id: i64) -> Result<UserProfile, AppError> {
    require_admin(actor)?;
    let (before, _) = store.person(id).await?.ok_or(AppError::NotFound)?;
    let mut tx = store.begin_write().await?;
    let changed = reactivate_in(&mut tx, id).await?;
    let after = person_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
    if changed {
        super::audit::record_in(
            &mut tx,
            actor,
            "user.reactivated",
            &target(id),
            Some(snapshot(&before)?),
            Some(snapshot(&after)?),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(user = id, actor = actor.id, changed, "user reactivated");
    Ok(after)
}

/// The server reactivates the configured admin at start-up (no actor in the log).
pub async fn reactivate_by_server(store: &Store, id: i64) -> Result<(), AppError> {
    let before = store.person(id).await?.ok_or(AppError::NotFound)?.0;
    let mut tx = store.begin_write().await?;
    let changed = reactivate_in(&mut tx, id).await?;
    tx.commit().await?;
    if changed {
        let after = snapshot_of(store, id).await?;
        super::audit::record_by_server(store, "user.reactivated", &target(id), Some(snapshot(&before)?), after).await?;
        tracing::info!(user = id, "configured admin reactivated");
    }
    Ok(())
}

/// A person's profile as the admin log keeps it (after a creation).
pub async fn snapshot_of(store: &Store, id: i64) -> Result<Option<serde_json::Value>, AppError> {
    store.person(id).await?.map(|(profile, _)| snapshot(&profile)).transpose()
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn the_configured_admin_deactivated_by_another_is_active_again_at_the_next_start() {
        let f = fixture().await;
        let store = &f.store;
        crate::backend::admin::ensure_admin(store, "root@example.com", "configured passphrase").await.unwrap();
        let root = store.user_by_email("root@example.com").await.unwrap().unwrap();
        let other = crate::backend::admin::ensure_user(
            store,
            crate::backend::admin::UserRequest {
                email: "ada@example.com",
                password: "another passphrase",
                name: "Ada",
                role: Role::Admin,
                organization: None,
                org_admin: false,
            },
        )
        .await
        .unwrap();
        let deactivated = super::deactivate(store, &other, root.id).await.unwrap();
        assert!(!deactivated.active);
        assert!(store.user_by_email("root@example.com").await.unwrap().is_none(), "signs in no more");
        assert_eq!(
            super::deactivate(store, &other, other.id).await.unwrap_err(),
            AppError::invalid("user", InvalidReason::NotAllowed),
            "not themselves"
        );

        crate::backend::admin::ensure_admin(store, "ROOT@example.com", "configured passphrase").await.unwrap();
        assert_eq!(store.user_by_email("root@example.com").await.unwrap().map(|u| u.id), Some(root.id));
        let log = crate::backend::audit::page(store, &other, None, None).await.unwrap();
        assert_eq!(log.entries[0].action, "user.reactivated");
        assert_eq!(log.entries[0].actor, None, "the server's own action");
    }
}
