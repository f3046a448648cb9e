//! Time logged on a case (support) and the organization's expertise-hour bank (its admins).

use leptos::prelude::*;

use crate::domain::hour_bank::{CaseHours, HourBankView, TimeEntry};
use crate::error::AppError;

/// What the case page's time form is told before logging: the organization's balance and
/// whether billable expertise is offered (support only).
#[server(endpoint = "read_case_hours")]
pub async fn read_case_hours(number: i64) -> Result<CaseHours, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        crate::backend::hour_bank::case_hours(&state.store, &user, number).await
    })
    .await
}

/// Support logs time on a case; `minutes` as typed (not a number: refused on `minutes`),
/// `billable` a checkbox.
#[server(endpoint = "log_case_time")]
pub async fn log_case_time(
    number: i64,
    minutes: String,
    activity: String,
    #[server(default)] billable: Option<String>,
    #[server(default)] note: String,
) -> Result<TimeEntry, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        // Anything but a whole number is as far out of range as 0.
        let minutes = minutes.trim().parse::<i64>().unwrap_or(0);
        let billable = super::request::checkbox(billable.as_deref());
        crate::backend::hour_bank::log_time(&state.store, &user, number, minutes, &activity, billable, &note).await
    })
    .await
}

/// The signed-in organization admin's bank: balance, burn-down and a page of the ledger
/// before `cursor` (empty: the newest).
#[server(endpoint = "organization_hours")]
pub async fn organization_hours(#[server(default)] cursor: String) -> Result<HourBankView, AppError> {
    super::request::as_caller(move |state, user| async move {
        let slug = user.organization_slug.clone().ok_or(AppError::Forbidden)?;
        crate::backend::hour_bank::hours(&state.store, &user, &slug, Some(cursor.as_str()), None).await
    })
    .await
}
