//! Keeping the board live card by card: a newer case patches its card, a live event reads
//! its card again.

use leptos::prelude::*;

use crate::api::cases::BoardCard;
use crate::domain::sla::Contract;
use crate::domain::workspace::BoardColumn;
use crate::domain::{BoardFilter, Case, Status};

/// The filter's values as the board's server functions take them.
pub(crate) fn filter_args(filter: &BoardFilter) -> (String, String, String, String, String, String) {
    (
        filter.severity.map(|s| s.to_string()).unwrap_or_default(),
        filter.organization.clone().unwrap_or_default(),
        filter.plan.clone().unwrap_or_default(),
        filter.assignee.map(|a| a.as_str().to_string()).unwrap_or_default(),
        filter.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","),
        filter.stale_hours.map(|h| h.to_string()).unwrap_or_default(),
    )
}

/// Adds contracts the board does not hold yet.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn add_contracts(contracts: RwSignal<Vec<(String, Contract)>>, more: Vec<(String, Contract)>) {
    contracts.update(|held| {
        for (slug, contract) in more {
            if !held.iter().any(|(s, _)| *s == slug) {
                held.push((slug, contract));
            }
        }
    });
}

/// "Show more": the column's next page, added to the cards the board holds.
pub(super) fn load_more(
    cards: RwSignal<Vec<BoardCard>>,
    contracts: RwSignal<Vec<(String, Contract)>>,
    columns: RwSignal<Vec<BoardColumn>>,
    filter: BoardFilter,
    status: Status,
    cursor: String,
    loading: RwSignal<bool>,
) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let (severity, organization, plan, assignee, statuses, stale_hours) = filter_args(&filter);
        if let Ok(page) = crate::api::cases::board_column(
            status,
            cursor,
            severity,
            organization,
            plan,
            assignee,
            statuses,
            stale_hours,
        )
        .await
        {
            add_contracts(contracts, page.contracts);
            cards.update(|cards| {
                for card in page.cards {
                    if !cards.iter().any(|c| c.case.number == card.case.number) {
                        cards.push(card);
                    }
                }
            });
            columns.update(|columns| {
                if let Some(column) = columns.iter_mut().find(|c| c.status == status) {
                    column.next_cursor = page.next_cursor;
                }
            });
        }
        loading.set(false);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (cards, contracts, columns, filter, status, cursor, loading);
}

/// Reads every column's counts again (after live changes), at most about once a second:
/// `pending` is set while a read is on its way.
pub(super) fn refresh_counts(columns: RwSignal<Vec<BoardColumn>>, filter: BoardFilter, pending: RwSignal<bool>) {
    if pending.get_untracked() {
        return;
    }
    pending.set(true);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(1_000).await;
        let (severity, organization, plan, assignee, statuses, stale_hours) = filter_args(&filter);
        if let Ok(counts) =
            crate::api::cases::board_counts(severity, organization, plan, assignee, statuses, stale_hours).await
        {
            columns.update(|columns| {
                for column in columns.iter_mut() {
                    if let Some(now) = counts.iter().find(|c| c.status == column.status) {
                        column.matching = now.matching;
                        column.in_status = now.in_status;
                    }
                }
            });
        }
        pending.set(false);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (columns, filter);
}

/// Replaces a card's case with a newer one (an older answer arriving late changes nothing).
pub(super) fn patch_case(cards: RwSignal<Vec<BoardCard>>, case: Case) {
    cards.update(|cards| {
        if let Some(card) = cards.iter_mut().find(|c| c.case.number == case.number) {
            if case.version >= card.case.version {
                card.case = Case { description: String::new(), ..case };
            }
        }
    });
}

/// Reads one card again after a live event about it and patches the board.
pub(super) fn refresh_card(cards: RwSignal<Vec<BoardCard>>, contracts: RwSignal<Vec<(String, Contract)>>, number: i64) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        match crate::api::cases::fetch_board_card(number).await {
            Ok((card, contract)) => {
                if let Some(contract) = contract {
                    add_contracts(contracts, vec![(card.case.organization.clone(), contract)]);
                }
                cards.update(|cards| match cards.iter_mut().find(|c| c.case.number == card.case.number) {
                    Some(existing) if card.case.version >= existing.case.version => *existing = card,
                    Some(_) => {}
                    None => cards.insert(0, card),
                });
            }
            Err(crate::AppError::NotFound) => cards.update(|cards| cards.retain(|c| c.case.number.0 != number)),
            // The stream's next event or a reconnection reads it again.
            Err(_) => {}
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (cards, contracts, number);
}
