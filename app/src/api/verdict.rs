//! A customer's verdict on a resolved case: the two actions that replace a status menu.

use leptos::prelude::*;

use crate::domain::{Case, Verdict};
use crate::error::AppError;

/// "Yes, it's solved" or "It's still a problem" (with `reason`), at the version the
/// customer saw.
#[server(endpoint = "give_verdict")]
pub async fn give_verdict(
    number: i64,
    verdict: Verdict,
    #[server(default)] reason: String,
    expected_version: i64,
) -> Result<Case, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        crate::backend::verdict::give(&state.store, &user, number, verdict, &reason, expected_version).await
    })
    .await
}
