//! Reading rows into domain values: what several resources select the same way.

use sqlx::Row;

use super::{corrupt, timestamp};
use crate::domain::{Case, CaseEvent, CaseKind, CaseNumber, Environment, Resolution, Severity, Status, Visibility};
use crate::error::AppError;

pub(super) const CASE_SELECT: &str = "SELECT c.id, c.number, o.slug AS organization, o.name AS organization_name, \
     u.name AS reporter, c.summary, c.description, c.kind, c.severity, c.environment, c.visibility, \
     c.status, c.resolution, c.product, c.details, c.assignee_id, a.name AS assignee, c.version, c.opened_at, c.updated_at \
     FROM cases c JOIN organizations o ON o.id = c.organization_id JOIN users u ON u.id = c.reporter_id \
     LEFT JOIN users a ON a.id = c.assignee_id";

pub(super) fn case_from_row(row: &sqlx::any::AnyRow) -> Result<Case, AppError> {
    let text = |name: &str| -> Result<String, AppError> { Ok(row.try_get::<String, _>(name)?) };
    let kind = text("kind")?;
    let environment = text("environment")?;
    let visibility = text("visibility")?;
    let status = text("status")?;
    let resolution = text("resolution")?;
    let severity: i64 = row.try_get("severity")?;
    Ok(Case {
        number: CaseNumber(row.try_get("number")?),
        organization: text("organization")?,
        organization_name: text("organization_name")?,
        reporter: text("reporter")?,
        summary: text("summary")?,
        description: text("description")?,
        kind: CaseKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        severity: u8::try_from(severity)
            .ok()
            .and_then(|s| Severity::try_from(s).ok())
            .ok_or_else(|| corrupt("severity", &severity.to_string()))?,
        environment: Environment::parse(&environment).ok_or_else(|| corrupt("environment", &environment))?,
        visibility: Visibility::parse(&visibility).ok_or_else(|| corrupt("visibility", &visibility))?,
        status: Status::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        resolution: Resolution::parse(&resolution).ok_or_else(|| corrupt("resolution", &resolution))?,
        product: text("product")?,
        details: {
            let details = text("details")?;
            serde_json::from_str(&details).map_err(|_| corrupt("case details", &details))?
        },
        assignee: row.try_get("assignee")?,
        assignee_id: row.try_get("assignee_id")?,
        version: row.try_get("version")?,
        opened_at: timestamp(&text("opened_at")?)?,
        updated_at: timestamp(&text("updated_at")?)?,
    })
}

pub(super) fn event_from_row(number: CaseNumber, row: &sqlx::any::AnyRow) -> Result<CaseEvent, AppError> {
    let data: String = row.try_get("data")?;
    Ok(CaseEvent {
        id: row.try_get("id")?,
        case: number,
        at: timestamp(&row.try_get::<String, _>("at")?)?,
        actor: row.try_get("actor")?,
        change: serde_json::from_str(&data).map_err(|_| corrupt("case event", &data))?,
    })
}
