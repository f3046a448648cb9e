//! The reports page's server function: one report, as `GET /api/v1/reports/{metric}`.

use leptos::prelude::*;

use crate::domain::metrics::Report;
use crate::error::AppError;

/// A report over whole days (`YYYY-MM-DD`; empty: the last 30 days up to today, UTC).
#[server(endpoint = "report")]
pub async fn load_report(
    metric: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] group_by: String,
) -> Result<Report, AppError> {
    super::request::as_caller(move |state, user| async move {
        if !crate::backend::reports::may_read_reports(&user) {
            return Err(AppError::Forbidden);
        }
        let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
        let day = |text: &str, default: jiff::civil::Date, field: &str| -> Result<jiff::civil::Date, AppError> {
            match text.trim() {
                "" => Ok(default),
                text => text.parse().map_err(|_| {
                    AppError::invalid(
                        field,
                        crate::error::InvalidReason::Malformed { detail: "a date (YYYY-MM-DD)".into() },
                    )
                }),
            }
        };
        let to = day(&to, today, "to")?;
        let from = day(&from, to.checked_sub(jiff::Span::new().days(30)).unwrap_or(to), "from")?;
        let from = format!("{from}T00:00:00Z");
        let to = format!("{to}T23:59:59Z");
        let query = crate::domain::metrics::ReportQuery::parse(
            &metric,
            Some(&from),
            Some(&to),
            Some(&group_by),
            None,
            None,
            None,
        )?;
        crate::backend::reports::report(&state.store, &user, &query).await
    })
    .await
}
