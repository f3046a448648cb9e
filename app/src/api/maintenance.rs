//! Server functions of the maintenance page: support plans a window; everyone signed in
//! reads the next occurrences (of every window, or of one).

use leptos::prelude::*;

use crate::domain::maintenance::{Maintenance, UpcomingMaintenance};
use crate::error::AppError;

/// Plans a maintenance window (support only). The form's fields as typed: `components` a
/// comma-separated list of ids, `duration_minutes` a number, `rrule` empty for a one-off.
#[server(endpoint = "plan_maintenance")]
pub async fn plan_maintenance(
    title: String,
    #[server(default)] components: String,
    time_zone: String,
    start: String,
    duration_minutes: String,
    #[server(default)] rrule: String,
) -> Result<Maintenance, AppError> {
    use crate::error::InvalidReason;
    super::request::as_caller(move |state, user| async move {
        let components = components
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(|id| id.parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                AppError::invalid(
                    "components",
                    InvalidReason::Malformed { detail: "component ids separated by commas".into() },
                )
            })?;
        let duration_minutes = duration_minutes.trim().parse::<i64>().map_err(|_| {
            AppError::invalid("duration_minutes", InvalidReason::Malformed { detail: "a number of minutes".into() })
        })?;
        let draft = crate::domain::maintenance::MaintenanceDraft {
            title,
            components,
            time_zone,
            start,
            duration_minutes,
            rrule: Some(rrule).filter(|r| !r.trim().is_empty()),
        };
        crate::backend::maintenance::create(&state.store, &user, draft).await
    })
    .await
}

/// The next five occurrences of every window, or of the window `id` (everyone signed in).
#[server(endpoint = "maintenance_ahead")]
pub async fn maintenance_ahead(#[server(default)] id: Option<i64>) -> Result<Vec<UpcomingMaintenance>, AppError> {
    super::request::as_caller(move |state, _user| async move {
        crate::backend::maintenance::upcoming(
            &state.store,
            id,
            jiff::Timestamp::now(),
            crate::domain::maintenance::UPCOMING_SHOWN,
        )
        .await
    })
    .await
}
