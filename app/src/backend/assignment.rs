//! The assignment service: support gives a case to an engineer, takes it, hands it back,
//! or lets the automatic rule choose (on shift, knows the product, speaks the customer's
//! language, lightest load).

use super::cases::case_for;
use super::store::{Store, UserRecord};
use crate::domain::{AssignmentNeed, Case, CaseNumber, choose_engineer};
use crate::error::{AppError, InvalidReason};

/// Whom a case should go to, as people ask for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignTo {
    /// The asking engineer takes it.
    Me,
    /// A support person, by email.
    Engineer(String),
    /// The automatic rule chooses, as for a new case.
    Automatic,
    Nobody,
}

impl AssignTo {
    /// `"me"`, `"auto"`, an email, or nothing (unassign).
    pub fn parse(text: Option<&str>) -> AssignTo {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => AssignTo::Nobody,
            Some(t) if t.eq_ignore_ascii_case("me") => AssignTo::Me,
            Some(t) if t.eq_ignore_ascii_case("auto") => AssignTo::Automatic,
            Some(t) => AssignTo::Engineer(t.to_owned()),
        }
    }
}

/// Support assigns a case (or takes it, or hands it back). `expected_version`, when given,
/// refuses the change if the case moved on since it was seen.
pub async fn assign(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    to: AssignTo,
    expected_version: Option<i64>,
) -> Result<Case, AppError> {
    if !user.role.is_support() {
        tracing::info!(%number, user = user.id, "assignment refused: not support");
        return Err(AppError::Forbidden);
    }
    let (engineer, reason) = match to {
        AssignTo::Me => (Some(user.clone()), None),
        AssignTo::Nobody => (None, None),
        AssignTo::Engineer(email) => {
            let found = store.user_by_email(&email).await?.filter(|u| u.role.is_support());
            let Some(engineer) = found else {
                tracing::info!(%number, user = user.id, "assignment refused: not a support person");
                return Err(AppError::invalid("engineer", InvalidReason::NotAllowed));
            };
            (Some(engineer), None)
        }
        AssignTo::Automatic => {
            let case = case_for(store, user, number).await?;
            let reporter_language = store.reporter_language(number).await?.unwrap_or_else(|| "en".into());
            let need = AssignmentNeed { product: case.product.clone(), language: reporter_language };
            // The case's present engineer does not count their own case as load.
            let engineers: Vec<_> = store
                .engineers()
                .await?
                .into_iter()
                .map(|(e, load)| {
                    let own = u32::from(case.assignee_id == Some(e.id) && case.status.is_active());
                    (e, load.saturating_sub(own))
                })
                .collect();
            match choose_engineer(&engineers, &need, jiff::Timestamp::now()) {
                Some((id, reason)) => (store.user_by_id(id).await?, Some(reason)),
                None => return Err(AppError::invalid("engineer", InvalidReason::NotAllowed)),
            }
        }
    };
    let case =
        store.assign(number, user.case_scope(), Some(user.id), engineer.as_ref(), reason, expected_version).await;
    match &case {
        Ok(case) => tracing::info!(%number, user = user.id, assignee = ?case.assignee_id, "case assigned"),
        Err(e) => tracing::info!(%number, user = user.id, error = %e, "assignment refused"),
    }
    case
}
