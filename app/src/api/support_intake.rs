//! Support opens cases for an organization: for a contact who phoned, or a maintenance task.

use leptos::prelude::*;

use crate::domain::{Case, CaseDraft};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::backend::support_intake as intake;
use crate::domain::intake::{ContactChoice, OrganizationChoice};

/// Active organizations whose name or slug contains `q` (support).
#[server(endpoint = "intake_organizations")]
pub async fn intake_organizations(q: String) -> Result<Vec<OrganizationChoice>, AppError> {
    super::request::as_caller(move |state, user| async move { intake::organization_choices(&state.store, &user, &q).await })
        .await
}

/// Active contacts of the organization `slug` whose name or email contains `q` (support).
#[server(endpoint = "intake_contacts")]
pub async fn intake_contacts(slug: String, q: String) -> Result<Vec<ContactChoice>, AppError> {
    super::request::as_caller(
        move |state, user| async move { intake::contact_choices(&state.store, &user, &slug, &q).await },
    )
    .await
}

/// Opens `draft` for the organization `slug`: for `reporter`, or a maintenance task without one.
#[server(endpoint = "open_case_for")]
pub async fn open_case_for(
    slug: String,
    #[server(default)] reporter: Option<i64>,
    draft: CaseDraft,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Case, AppError> {
    super::request::as_caller(move |state, user| async move {
        let opened =
            intake::open_case_for(&state.store, &user, &slug, reporter, draft, idempotency_key.as_deref()).await?;
        Ok(opened.case)
    })
    .await
}
