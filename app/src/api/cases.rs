//! Server functions for cases: opening, listing, reading, moving, replying, assigning,
//! linking, severities, the board and presence. Each parses its arguments, calls one
//! service function and returns its result; the rules are the services'.

use leptos::prelude::*;

use crate::domain::sla::Contract;
pub use crate::domain::workspace::{Board, BoardCard, CaseDetail, TeamMember};
use crate::domain::{Case, Status};
use crate::error::AppError;

/// Files a case from the wizard: the whole draft, checked again here step by step.
#[server(endpoint = "open_case", input = leptos::server_fn::codec::Json)]
pub async fn open_case(
    draft: crate::domain::CaseDraft,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Case, AppError> {
    super::request::as_caller(move |state, user| async move {
        let opened = crate::backend::cases::open_case(&state.store, &user, draft, idempotency_key.as_deref()).await?;
        Ok(opened.case)
    })
    .await
}

/// The products of the signed-in customer's organization, with the versions support covers.
#[server(endpoint = "my_products")]
pub async fn my_products() -> Result<Vec<crate::domain::ProductLine>, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::contracts::products_of(&state.store, &user).await
    })
    .await
}

/// A shelf of "My cases" (`open`, `waiting` or `closed`; open when empty), newest first, a
/// page after `cursor`, with every shelf's count.
#[server(endpoint = "my_cases")]
pub async fn my_cases(
    #[server(default)] show: String,
    #[server(default)] cursor: String,
) -> Result<crate::domain::ShelfPage, AppError> {
    super::request::as_caller(move |state, user| async move {
        let shelf = crate::domain::Shelf::parse(show.trim()).unwrap_or_default();
        crate::backend::case_lists::shelf(&state.store, &user, shelf, Some(cursor.as_str())).await
    })
    .await
}

/// The board's filters as the URL names them (`severity`, `organization`, `plan`,
/// `assignee`, `status` as `statuses`, `stale_hours`); empty or meaningless values filter nothing.
#[cfg(feature = "ssr")]
fn board_filter(
    severity: String,
    organization: String,
    plan: String,
    assignee: String,
    statuses: String,
    stale_hours: String,
) -> crate::domain::BoardFilter {
    crate::domain::BoardFilter::from_query(|key| match key {
        "severity" => Some(severity.clone()),
        "organization" => Some(organization.clone()),
        "plan" => Some(plan.clone()),
        "assignee" => Some(assignee.clone()),
        "status" => Some(statuses.clone()),
        "stale_hours" => Some(stale_hours.clone()),
        _ => None,
    })
}

/// The board: each column's most urgent cases that pass the filters, with the SLA data of
/// each and the columns' counts. Customers are refused.
#[server(endpoint = "board_cases")]
pub async fn board_cases(
    #[server(default)] severity: String,
    #[server(default)] organization: String,
    #[server(default)] plan: String,
    #[server(default)] assignee: String,
    #[server(default)] statuses: String,
    #[server(default)] stale_hours: String,
) -> Result<Board, AppError> {
    super::request::as_caller(move |state, user| async move {
        let filter = board_filter(severity, organization, plan, assignee, statuses, stale_hours);
        crate::backend::board::board(&state.store, &user, &state.wip_limits, &filter).await
    })
    .await
}

/// The next cards of one column of the board ("Show more"), after `cursor`. Support only.
#[server(endpoint = "board_column")]
pub async fn board_column(
    status: Status,
    cursor: String,
    #[server(default)] severity: String,
    #[server(default)] organization: String,
    #[server(default)] plan: String,
    #[server(default)] assignee: String,
    #[server(default)] statuses: String,
    #[server(default)] stale_hours: String,
) -> Result<crate::domain::workspace::BoardColumnPage, AppError> {
    super::request::as_caller(move |state, user| async move {
        let filter = board_filter(severity, organization, plan, assignee, statuses, stale_hours);
        crate::backend::board::board_column(&state.store, &user, &filter, status, &cursor).await
    })
    .await
}

/// Every column's counts now (the board asks again after live changes). Support only.
#[server(endpoint = "board_counts")]
pub async fn board_counts(
    #[server(default)] severity: String,
    #[server(default)] organization: String,
    #[server(default)] plan: String,
    #[server(default)] assignee: String,
    #[server(default)] statuses: String,
    #[server(default)] stale_hours: String,
) -> Result<Vec<crate::domain::workspace::BoardColumn>, AppError> {
    super::request::as_caller(move |state, user| async move {
        let filter = board_filter(severity, organization, plan, assignee, statuses, stale_hours);
        crate::backend::board::board_counts(&state.store, &user, &filter).await
    })
    .await
}

/// One card as the board shows it now (after a live event about it); `NotFound` when the
/// case is no longer visible. Support only.
#[server(endpoint = "board_card")]
pub async fn fetch_board_card(number: i64) -> Result<(BoardCard, Option<Contract>), AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        crate::backend::board::board_card(&state.store, &user, number).await
    })
    .await
}

#[server(endpoint = "read_case")]
pub async fn read_case(number: i64) -> Result<CaseDetail, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        crate::backend::cases::case_page(&state.store, &state.mail, &user, number).await
    })
    .await
}

/// Moves a case to another status; `resolution` may be empty; `expected_version` is the
/// version the mover saw (a stale one gets `Conflict`); `duplicate_of` goes with the
/// Duplicate resolution only (anything else refuses it, as over REST).
#[server(endpoint = "move_case")]
pub async fn move_case(
    number: i64,
    status: Status,
    #[server(default)] resolution: String,
    expected_version: i64,
    #[server(default)] duplicate_of: String,
) -> Result<Case, AppError> {
    use crate::domain::{CaseNumber, Resolution};
    use crate::error::InvalidReason;
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        let resolution = match resolution.trim() {
            "" => None,
            text => Some(Resolution::parse(text).ok_or_else(|| {
                AppError::invalid("resolution", InvalidReason::Malformed { detail: "unknown resolution".into() })
            })?),
        };
        let duplicate_of = match duplicate_of.trim() {
            "" => None,
            text => Some(CaseNumber::parse(text).ok_or_else(|| {
                AppError::invalid("duplicate_of", InvalidReason::Malformed { detail: "a case number".into() })
            })?),
        };
        crate::backend::cases::change_status(
            &state.store,
            &user,
            number,
            status,
            resolution,
            expected_version,
            duplicate_of,
        )
        .await
    })
    .await
}

/// The signed-in customer's support contract: which severities they may open and what the
/// plan promises (the new-case form mirrors the server's entitlement check with it).
#[server(endpoint = "my_contract")]
pub async fn my_contract() -> Result<Contract, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::contracts::contract_for(&state.store, &user, None).await
    })
    .await
}

/// Replies to a case; support may send `internal=true` for a note customers never see.
/// `attachments`: the ids of files uploaded for this reply, comma-separated (`12,13`).
#[server(endpoint = "reply_to_case")]
pub async fn reply_to_case(
    number: i64,
    body: String,
    #[server(default)] internal: Option<String>,
    #[server(default)] seen_version: Option<i64>,
    #[server(default)] confirmed: Option<String>,
    #[server(default)] attachments: Option<String>,
) -> Result<Case, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        let internal = super::request::checkbox(internal.as_deref());
        let confirmed = super::request::checkbox(confirmed.as_deref());
        let uploads = super::request::upload_ids(attachments.as_deref())?;
        crate::backend::cases::reply_with_files(
            &state.store,
            &user,
            number,
            &body,
            internal,
            seen_version,
            confirmed,
            &uploads,
        )
        .await
    })
    .await
}

/// Assigns a case: `engineer` is `"me"` (take it), `"auto"`, a support person's email, or
/// empty (unassign). Support only.
#[server(endpoint = "assign_case")]
pub async fn assign_case(
    number: i64,
    #[server(default)] engineer: String,
    #[server(default)] expected_version: Option<i64>,
) -> Result<Case, AppError> {
    use crate::backend::assignment::{AssignTo, assign};
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        assign(&state.store, &user, number, AssignTo::parse(Some(&engineer)), expected_version).await
    })
    .await
}

/// The engineers one may assign a case to. Support only.
#[server(endpoint = "support_team")]
pub async fn support_team() -> Result<Vec<TeamMember>, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::board::support_team(&state.store, &user).await
    })
    .await
}

/// Says what the signed-in support person is doing on a case page (`viewing`,
/// `writing_reply`, `writing_note`, `left`) and returns who else is there. Support only;
/// pages call it every few seconds and whenever the live stream says presence changed.
#[server(endpoint = "case_presence")]
pub async fn case_presence(
    number: i64,
    activity: crate::domain::people::Activity,
) -> Result<Vec<crate::domain::people::Present>, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        state.presence.report_on_case(&state.store, &user, number, activity).await
    })
    .await
}

/// Links a case to another as related. Support only.
#[server(endpoint = "link_case")]
pub async fn link_case(number: i64, other: String) -> Result<Case, AppError> {
    use crate::domain::{CaseNumber, LinkKind};
    use crate::error::InvalidReason;
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        let other = CaseNumber::parse(&other)
            .ok_or_else(|| AppError::invalid("other", InvalidReason::Malformed { detail: "a case number".into() }))?;
        crate::backend::cases::link(&state.store, &user, number, other, LinkKind::Related).await
    })
    .await
}

/// A customer asks for a more urgent severity, with the reason.
#[server(endpoint = "request_severity_raise")]
pub async fn request_severity_raise(
    number: i64,
    severity: crate::domain::Severity,
    reason: String,
) -> Result<Case, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        crate::backend::cases::request_severity_raise(&state.store, &user, number, severity, &reason).await
    })
    .await
}

/// Support sets the severity.
#[server(endpoint = "change_severity")]
pub async fn change_severity(
    number: i64,
    severity: crate::domain::Severity,
    expected_version: i64,
) -> Result<Case, AppError> {
    super::request::as_caller(move |state, user| async move {
        let number = super::request::case_number_arg(number)?;
        crate::backend::cases::change_severity(&state.store, &user, number, severity, expected_version).await
    })
    .await
}
