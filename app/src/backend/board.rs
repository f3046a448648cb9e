//! The board service: the cards support sees, one card after a live event, and the team a
//! case may be assigned to. Support only.

use super::contracts::{contracts_for_cases, sla_events};
use super::store::{Store, UserRecord};
use crate::domain::sla::Contract;
use crate::domain::workspace::{Board, BoardCard, TeamMember};
use crate::domain::{Case, CaseNumber, WipLimits};
use crate::error::AppError;

fn support_only(user: &UserRecord, what: &'static str) -> Result<(), AppError> {
    if user.role.is_support() {
        Ok(())
    } else {
        tracing::info!(user = user.id, what, "refused: support only");
        Err(AppError::Forbidden)
    }
}

/// A card shows no description: the board stays light with thousands of cards.
fn card(case: Case, sla_events: Vec<crate::domain::SlaEvent>) -> BoardCard {
    BoardCard { case: Case { description: String::new(), ..case }, sla_events }
}

/// Every case support may see, with the SLA data of each.
pub async fn board(store: &Store, user: &UserRecord, wip_limits: &WipLimits) -> Result<Board, AppError> {
    support_only(user, "board")?;
    // Read before the cases: a change in between is replayed, never lost.
    let last_event_id = store.last_event_id().await?;
    let cases = store.list_cases(user.case_scope()).await?;
    let mut events = store.events_by_case(user.case_scope(), true).await?;
    let contracts = contracts_for_cases(store, &cases).await?;
    let cards = cases
        .into_iter()
        .map(|case| {
            let events = sla_events(&events.remove(&case.number).unwrap_or_default());
            card(case, events)
        })
        .collect();
    Ok(Board { cards, contracts, last_event_id, wip_limits: wip_limits.clone() })
}

/// One card as the board shows it now (after a live event about it), with its
/// organization's contract; `NotFound` when the case is no longer visible.
pub async fn board_card(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
) -> Result<(BoardCard, Option<Contract>), AppError> {
    support_only(user, "board card")?;
    let case = super::cases::case_for(store, user, number).await?;
    let events = store.case_events(number, true).await?;
    let contract = contracts_for_cases(store, std::slice::from_ref(&case)).await?.pop().map(|(_, c)| c);
    Ok((card(case, sla_events(&events)), contract))
}

/// The engineers one may assign a case to, with whether they are on shift and their load.
pub async fn support_team(store: &Store, user: &UserRecord) -> Result<Vec<TeamMember>, AppError> {
    support_only(user, "support team")?;
    let now = jiff::Timestamp::now();
    let mut emails = store.engineer_emails().await?;
    Ok(store
        .engineers()
        .await?
        .into_iter()
        .filter_map(|(profile, load)| {
            Some(TeamMember {
                on_shift: profile.hours.schedule().is_ok_and(|s| s.is_business_time(now)),
                email: emails.remove(&profile.id)?,
                name: profile.name,
                load,
            })
        })
        .collect())
}
