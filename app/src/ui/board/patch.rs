//! Keeping the board live card by card: a newer case patches its card, a live event reads
//! its card again.

use leptos::prelude::*;

use crate::api::cases::BoardCard;
use crate::domain::Case;
use crate::domain::sla::Contract;

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
                    let slug = card.case.organization.clone();
                    if contracts.with_untracked(|c| !c.iter().any(|(s, _)| *s == slug)) {
                        contracts.update(|c| c.push((slug, contract)));
                    }
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
