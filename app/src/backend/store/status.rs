//! Platform status: components, incidents, their updates and linked cases. An update and
//! what it causes (the incident's status, its components', a public support reply on each
//! linked case with its mail, and the linked cases' resolution) share one transaction:
//! all of it is written, or nothing is.

use jiff::Timestamp;
use sqlx::Row;

use super::changes::{append_event, case_by_id, touch_case};
use super::{Store, Tx, UserRecord};
use crate::domain::lifecycle::check_transition;
use crate::domain::status::{
    AffectedComponent, COMPONENTS_MAX, Component, ComponentStatus, Incident, IncidentStatus, IncidentUpdate,
    LINKED_CASES_MAX, ManagedIncident, PublicComponent, case_reply,
};
use crate::domain::{CaseChange, Resolution, Status};
use crate::error::{AppError, InvalidReason};

/// The most updates read per incident (newest first).
pub const UPDATES_SHOWN: i64 = 100;

/// What an update did to the linked cases.
#[derive(Clone, Debug, Default)]
pub struct Posted {
    /// Cases the update was posted on.
    pub posted: usize,
    /// Cases the update resolved.
    pub resolved: usize,
}

fn component_status(text: &str) -> Result<ComponentStatus, AppError> {
    ComponentStatus::parse(text).ok_or_else(|| super::corrupt("component status", text))
}

fn incident_status(text: &str) -> Result<IncidentStatus, AppError> {
    IncidentStatus::parse(text).ok_or_else(|| super::corrupt("incident status", text))
}

fn component(row: &sqlx::any::AnyRow) -> Result<Component, AppError> {
    Ok(Component {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        group: row.try_get("group_name")?,
        beta: super::flag(row, "beta")?,
        status: component_status(&row.try_get::<String, _>("status")?)?,
    })
}

async fn component_in(tx: &mut Tx, id: i64) -> Result<Option<Component>, AppError> {
    let row = sqlx::query("SELECT id, name, group_name, beta, status FROM status_components WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(component).transpose()
}

/// A component's status is the worst any active incident gives it, else operational.
async fn settle_component(tx: &mut Tx, component_id: i64, now: &str) -> Result<(), AppError> {
    let given: Vec<String> = sqlx::query_scalar(
        "SELECT ic.status FROM status_incident_components ic JOIN status_incidents i ON i.id = ic.incident_id \
         WHERE ic.component_id = $1 AND i.resolved = 0 LIMIT 1000",
    )
    .bind(component_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut worst = ComponentStatus::Operational;
    for status in given {
        worst = worst.max(component_status(&status)?);
    }
    sqlx::query("UPDATE status_components SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(worst.as_str())
        .bind(now)
        .bind(component_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An entry of the admin log, in the transaction that makes the change.
async fn audit(
    tx: &mut Tx,
    actor: &UserRecord,
    action: &str,
    target: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let entry = super::audit::NewAuditEntry {
        at: Timestamp::now(),
        actor_id: Some(actor.id),
        action,
        target,
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
    };
    super::audit::append_audit_in(tx, entry).await
}

async fn record(
    tx: &mut Tx,
    actor: &UserRecord,
    action: &str,
    target: &str,
    after: serde_json::Value,
) -> Result<(), AppError> {
    audit(tx, actor, action, target, None, Some(after)).await
}

impl Store {
    /// Adds a component (operational) and records it in the admin log.
    pub async fn create_component(
        &self,
        actor: &UserRecord,
        name: &str,
        group: Option<&str>,
        beta: bool,
    ) -> Result<Component, AppError> {
        let mut tx = self.begin_write().await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM status_components").fetch_one(&mut *tx).await?;
        if count >= COMPONENTS_MAX {
            return Err(AppError::invalid("name", InvalidReason::TooLong { max: COMPONENTS_MAX as usize }));
        }
        let now = Timestamp::now().to_string();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO status_components (name, group_name, beta, status, created_at, updated_at) \
             VALUES ($1, $2, $3, 'operational', $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(group)
        .bind(i64::from(beta))
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let created = component_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
        record(&mut tx, actor, "component.created", &format!("component:{id}"), serde_json::json!(created)).await?;
        tx.commit().await?;
        self.committed(0);
        Ok(created)
    }

    /// Every component, by group then name (bounded by [`COMPONENTS_MAX`]).
    pub async fn components(&self) -> Result<Vec<Component>, AppError> {
        let rows = sqlx::query(
            "SELECT id, name, group_name, beta, status FROM status_components \
             ORDER BY COALESCE(group_name, ''), name, id LIMIT $1",
        )
        .bind(COMPONENTS_MAX)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(component).collect()
    }

    /// Sets a component's status by hand (`NotFound`: no such component); recorded in the
    /// admin log. An incident's next change settles it again.
    pub async fn set_component_status(
        &self,
        actor: &UserRecord,
        id: i64,
        status: ComponentStatus,
    ) -> Result<Component, AppError> {
        let mut tx = self.begin_write().await?;
        let before = component_in(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        sqlx::query("UPDATE status_components SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(Timestamp::now().to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = component_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
        audit(
            &mut tx,
            actor,
            "component.status_changed",
            &format!("component:{id}"),
            Some(serde_json::json!({"status": before.status})),
            Some(serde_json::json!({"status": after.status})),
        )
        .await?;
        tx.commit().await?;
        self.committed(0);
        Ok(after)
    }

    /// Opens an incident (investigating) on `components` with the status each is given, and
    /// its first update. An unknown component is 422 `components`, nothing written.
    pub async fn open_incident(
        &self,
        actor: &UserRecord,
        title: &str,
        components: &[(i64, ComponentStatus)],
        message: &str,
    ) -> Result<i64, AppError> {
        let mut tx = self.begin_write().await?;
        for (id, _) in components {
            if component_in(&mut tx, *id).await?.is_none() {
                return Err(AppError::invalid(
                    "components",
                    InvalidReason::Malformed { detail: format!("no component {id}") },
                ));
            }
        }
        let now = Timestamp::now().to_string();
        let status = IncidentStatus::Investigating;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO status_incidents (title, status, resolved, created_by, created_at) \
             VALUES ($1, $2, 0, $3, $4) RETURNING id",
        )
        .bind(title)
        .bind(status.as_str())
        .bind(actor.id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        for (component_id, given) in components {
            sqlx::query(
                "INSERT INTO status_incident_components (incident_id, component_id, status) VALUES ($1, $2, $3) \
                 ON CONFLICT (incident_id, component_id) DO UPDATE SET status = excluded.status",
            )
            .bind(id)
            .bind(component_id)
            .bind(given.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for (component_id, _) in components {
            settle_component(&mut tx, *component_id, &now).await?;
        }
        insert_update(&mut tx, id, status, message, actor.id, &now).await?;
        record(&mut tx, actor, "incident.opened", &format!("incident:{id}"), serde_json::json!({"status": status}))
            .await?;
        tx.commit().await?;
        self.committed(0);
        Ok(id)
    }

    /// An incident with its components, its newest updates and its linked cases.
    pub async fn incident(&self, id: i64) -> Result<Option<ManagedIncident>, AppError> {
        let row = sqlx::query("SELECT id, title, status, created_at, resolved_at FROM status_incidents WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some(row) => Ok(Some(self.managed(&row).await?)),
            None => Ok(None),
        }
    }

    /// Incidents, active first, newest first within each, after (`resolved`, `id`).
    pub async fn incidents_after(
        &self,
        after: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<ManagedIncident>, AppError> {
        let (phase, before) = after.unwrap_or((0, i64::MAX));
        let rows = sqlx::query(
            "SELECT id, title, status, created_at, resolved_at FROM status_incidents \
             WHERE resolved > $1 OR (resolved = $2 AND id < $3) ORDER BY resolved, id DESC LIMIT $4",
        )
        .bind(phase)
        .bind(phase)
        .bind(before)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut incidents = Vec::with_capacity(rows.len());
        for row in &rows {
            incidents.push(self.managed(row).await?);
        }
        Ok(incidents)
    }

    /// The public incidents: active ones and those resolved since `since` (at most `limit`).
    pub async fn public_incidents(&self, since: Timestamp, limit: i64) -> Result<Vec<Incident>, AppError> {
        let rows = sqlx::query(
            "SELECT id, title, status, created_at, resolved_at FROM status_incidents \
             WHERE resolved = 0 OR resolved_at >= $1 ORDER BY resolved, id DESC LIMIT $2",
        )
        .bind(since.to_string())
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut incidents = Vec::with_capacity(rows.len());
        for row in &rows {
            incidents.push(self.public_incident(row).await?);
        }
        Ok(incidents)
    }

    /// The public components (no beta flag, nothing but name, group and status).
    pub async fn public_components(&self) -> Result<Vec<PublicComponent>, AppError> {
        Ok(self
            .components()
            .await?
            .into_iter()
            .map(|c| PublicComponent { id: c.id, name: c.name, group: c.group, status: c.status })
            .collect())
    }

    async fn public_incident(&self, row: &sqlx::any::AnyRow) -> Result<Incident, AppError> {
        let id: i64 = row.try_get("id")?;
        let components = sqlx::query(
            "SELECT c.id, c.name, ic.status FROM status_incident_components ic \
             JOIN status_components c ON c.id = ic.component_id WHERE ic.incident_id = $1 ORDER BY c.name, c.id LIMIT $2",
        )
        .bind(id)
        .bind(COMPONENTS_MAX)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(AffectedComponent {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                status: component_status(&r.try_get::<String, _>("status")?)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
        let updates = sqlx::query(
            "SELECT id, status, message, at FROM status_incident_updates WHERE incident_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(id)
        .bind(UPDATES_SHOWN)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(IncidentUpdate {
                id: r.try_get("id")?,
                status: incident_status(&r.try_get::<String, _>("status")?)?,
                message: r.try_get("message")?,
                at: r.try_get("at")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
        Ok(Incident {
            id,
            title: row.try_get("title")?,
            status: incident_status(&row.try_get::<String, _>("status")?)?,
            impact: components.iter().map(|c| c.status).max(),
            components,
            updates,
            created_at: row.try_get("created_at")?,
            resolved_at: row.try_get("resolved_at")?,
        })
    }

    async fn managed(&self, row: &sqlx::any::AnyRow) -> Result<ManagedIncident, AppError> {
        let incident = self.public_incident(row).await?;
        let cases: Vec<i64> = sqlx::query_scalar(
            "SELECT c.number FROM status_incident_cases l JOIN cases c ON c.id = l.case_id \
             WHERE l.incident_id = $1 ORDER BY l.linked_at, c.number LIMIT $2",
        )
        .bind(incident.id)
        .bind(LINKED_CASES_MAX)
        .fetch_all(self.pool())
        .await?;
        Ok(ManagedIncident { incident, cases })
    }

    /// Links case `number` to an incident: `NotFound` for no such incident; 422 `number`
    /// for no such case, `status` for a resolved incident, `cases` past
    /// [`LINKED_CASES_MAX`]. Linking again changes nothing.
    pub async fn link_incident_case(&self, actor: &UserRecord, id: i64, number: i64) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        let resolved: i64 = sqlx::query_scalar("SELECT resolved FROM status_incidents WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE number = $1")
            .bind(number)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::invalid("number", InvalidReason::NotAllowed))?;
        if resolved != 0 {
            return Err(AppError::invalid("status", InvalidReason::NotAllowed));
        }
        let linked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM status_incident_cases WHERE incident_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if linked >= LINKED_CASES_MAX {
            return Err(AppError::invalid("cases", InvalidReason::TooLong { max: LINKED_CASES_MAX as usize }));
        }
        sqlx::query(
            "INSERT INTO status_incident_cases (incident_id, case_id, linked_by, linked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (incident_id, case_id) DO NOTHING",
        )
        .bind(id)
        .bind(case_id)
        .bind(actor.id)
        .bind(Timestamp::now().to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.committed(0);
        Ok(())
    }

    /// Posts an update: the incident takes its status; on each linked case (at most
    /// [`LINKED_CASES_MAX`]) the title and message are a public support reply (mailed by
    /// the usual rules). A resolving update settles the components (operational unless
    /// another active incident names them) and, with `resolve_cases`, resolves each linked
    /// case the lifecycle allows (Fixed) after the reply. `NotFound`: no such incident; a
    /// resolved incident is 422 `status`. Nothing is written unless all of it is.
    pub async fn post_incident_update(
        &self,
        actor: &UserRecord,
        id: i64,
        status: IncidentStatus,
        message: &str,
        resolve_cases: bool,
    ) -> Result<Posted, AppError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT title, resolved FROM status_incidents WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        let title: String = row.try_get("title")?;
        if row.try_get::<i64, _>("resolved")? != 0 {
            return Err(AppError::invalid("status", InvalidReason::NotAllowed));
        }
        if resolve_cases && status != IncidentStatus::Resolved {
            return Err(AppError::invalid("resolve_cases", InvalidReason::NotAllowed));
        }
        let now = Timestamp::now().to_string();
        let resolving = status == IncidentStatus::Resolved;
        insert_update(&mut tx, id, status, message, actor.id, &now).await?;
        sqlx::query("UPDATE status_incidents SET status = $1, resolved = $2, resolved_at = $3 WHERE id = $4")
            .bind(status.as_str())
            .bind(i64::from(resolving))
            .bind(resolving.then_some(now.clone()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if resolving {
            let components: Vec<i64> = sqlx::query_scalar(
                "SELECT component_id FROM status_incident_components WHERE incident_id = $1 LIMIT $2",
            )
            .bind(id)
            .bind(COMPONENTS_MAX)
            .fetch_all(&mut *tx)
            .await?;
            for component_id in components {
                settle_component(&mut tx, component_id, &now).await?;
            }
            record(
                &mut tx,
                actor,
                "incident.resolved",
                &format!("incident:{id}"),
                serde_json::json!({"resolve_cases": resolve_cases}),
            )
            .await?;
        }
        let cases: Vec<i64> = sqlx::query_scalar(
            "SELECT case_id FROM status_incident_cases WHERE incident_id = $1 ORDER BY case_id LIMIT $2",
        )
        .bind(id)
        .bind(LINKED_CASES_MAX)
        .fetch_all(&mut *tx)
        .await?;
        let reply = CaseChange::Reply { body: case_reply(&title, message), internal: false, from_support: true };
        let mut posted = Posted::default();
        let mut last_event = 0;
        for case_id in cases {
            last_event = append_event(&mut tx, case_id, Some(actor.id), &now, &reply, self.mail_window).await?;
            posted.posted += 1;
            if resolve_cases {
                let case = case_by_id(&mut tx, case_id).await?;
                if let Ok(transition) = check_transition(
                    actor.role,
                    case.status,
                    case.resolution,
                    Status::Resolved,
                    Some(Resolution::Fixed),
                ) {
                    sqlx::query("UPDATE cases SET status = $1, resolution = $2 WHERE id = $3")
                        .bind(transition.to.as_str())
                        .bind(transition.resolution.as_str())
                        .bind(case_id)
                        .execute(&mut *tx)
                        .await?;
                    let change = CaseChange::StatusChanged {
                        from: case.status,
                        to: transition.to,
                        resolution: transition.resolution,
                    };
                    last_event =
                        append_event(&mut tx, case_id, Some(actor.id), &now, &change, self.mail_window).await?;
                    posted.resolved += 1;
                }
            }
            touch_case(&mut tx, case_id, &now).await?;
        }
        tx.commit().await?;
        self.committed(last_event);
        Ok(posted)
    }
}

async fn insert_update(
    tx: &mut Tx,
    incident_id: i64,
    status: IncidentStatus,
    message: &str,
    author_id: i64,
    now: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO status_incident_updates (incident_id, status, message, author_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(incident_id)
    .bind(status.as_str())
    .bind(message.trim_end())
    .bind(author_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
