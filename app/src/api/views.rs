//! Server functions for saved views ("queues") beside the board: list them with their
//! counts, save the board's filter under a name, delete one. Support only.

use leptos::prelude::*;

use crate::domain::SavedView;
use crate::error::AppError;

/// The reader's queues and those shared with the team, by name, each with its count.
#[server(endpoint = "board_queues")]
pub async fn board_queues() -> Result<Vec<SavedView>, AppError> {
    super::request::as_caller(
        move |state, user| async move { crate::backend::views::list_views(&state.store, &user).await },
    )
    .await
}

/// Saves the board's filter (as the URL names it: `severity`, `organization`, `plan`,
/// `assignee`, `status` as `statuses`, `stale_hours`) as a queue named `name`, shared with the team or not.
#[server(endpoint = "save_queue")]
#[allow(clippy::too_many_arguments)]
pub async fn save_queue(
    name: String,
    #[server(default)] shared: bool,
    #[server(default)] severity: String,
    #[server(default)] organization: String,
    #[server(default)] plan: String,
    #[server(default)] assignee: String,
    #[server(default)] statuses: String,
    #[server(default)] stale_hours: String,
) -> Result<SavedView, AppError> {
    super::request::as_caller(move |state, user| async move {
        let board = crate::domain::BoardFilter::from_query(|key| match key {
            "severity" => Some(severity.clone()),
            "organization" => Some(organization.clone()),
            "plan" => Some(plan.clone()),
            "assignee" => Some(assignee.clone()),
            "status" => Some(statuses.clone()),
            "stale_hours" => Some(stale_hours.clone()),
            _ => None,
        });
        let filter = crate::domain::ViewFilter::of_board(&board);
        crate::backend::views::create_view(&state.store, &user, &name, shared, &filter).await
    })
    .await
}

/// Deletes a queue (its owner; an admin may delete a shared one).
#[server(endpoint = "delete_queue")]
pub async fn delete_queue(id: i64) -> Result<(), AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::views::delete_view(&state.store, &user, id).await
    })
    .await
}
