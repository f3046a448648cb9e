//! The support board: a column per status, a card per case, kept live card by card. The
//! server sends each column's most urgent cards a page at a time, filtered; the board is
//! read once per filter; then every event of the live stream re-reads only the card it is
//! about and patches it in place (cards are keyed by number and version, so one update
//! re-renders one card). Moves are optimistic and carry the version the mover saw; a
//! refused move puts the board back and says who changed the case.

mod card;
mod column;
mod filters;
mod moves;
mod patch;
mod queues;

use leptos::prelude::*;
use leptos_meta::Title;

use column::Column;
use filters::{FilterBar, lane_titles};
use moves::{Announcement, BoardActions, ResolutionDialog};
use patch::{patch_case, refresh_card};
use queues::Queues;
use crate::api::cases::{AssignCase, Board, MoveCase, board_cases};
use crate::domain::{BoardFilter, CaseChange, Status};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, label_now, move_tr_static, t, t_args};
use crate::ui::live::{LiveIndicator, use_live};
use crate::ui::session::Session;
use crate::ui::sla::provide_shared_now;

#[component]
pub fn BoardPage() -> impl IntoView {
    let actions = BoardActions {
        move_action: ServerAction::<MoveCase>::new(),
        assign_action: ServerAction::<AssignCase>::new(),
        announce: RwSignal::new(None),
        resolving: RwSignal::new(None),
    };
    provide_shared_now();
    let query = leptos_router::hooks::use_query_map();
    // A key may come more than once (`status=new&status=assigned` from the filter bar's boxes).
    let filter = Memo::new(move |_| BoardFilter::from_query(|key| query.read().get_all(key).map(|v| v.join(","))));
    // Read again only when a refused move must put the board back, or after a reconnection.
    let reload = RwSignal::new(0u64);
    // Filters are applied by the server (columns page by cursor): a new filter reads again.
    let board = Resource::new(
        move || (reload.get(), filter.get()),
        |(_, filter)| {
            let (severity, organization, plan, assignee, statuses, stale_hours) = patch::filter_args(&filter);
            board_cases(severity, organization, plan, assignee, statuses, stale_hours)
        },
    );
    // Outcomes of moves and assignments. A refusal reloads the board: the card goes back.
    Effect::new(move |_| {
        match actions.move_action.value().get() {
            Some(Ok(case)) => actions.announce.set(Some(Announcement::Done(t_args(
                "move-done",
                &[("number", case.number.to_string()), ("status", label_now("status", case.status))],
            )()))),
            Some(Err(e)) => {
                actions.announce.set(Some(Announcement::Refused(error_text(&e))));
                reload.update(|n| *n += 1);
            }
            None => {}
        }
    });
    Effect::new(move |_| match actions.assign_action.value().get() {
        Some(Ok(case)) => actions.announce.set(Some(Announcement::Done(t_args(
            "assign-done",
            &[("number", case.number.to_string()), ("engineer", case.assignee.clone().unwrap_or_default())],
        )()))),
        Some(Err(e)) => {
            actions.announce.set(Some(Announcement::Refused(error_text(&e))));
            reload.update(|n| *n += 1);
        }
        None => {}
    });
    let announcement = move || {
        actions.announce.get().map(|a| match a {
            Announcement::Done(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
            Announcement::Refused(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
            Announcement::Spoken(text) => view! { <p class="visually-hidden" role="status">{text}</p> }.into_any(),
        })
    };
    view! {
        <Title text=move_tr_static("board-title")/>
        <div class="page-head">
            <h1>{t("board-title")}</h1>
            <crate::ui::search::SearchBox/>
        </div>
        <p class="visually-hidden" id="board-help">{t("board-keyboard-help")}</p>
        <div aria-live="polite" class="announcements">{announcement}</div>
        <ResolutionDialog actions/>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || board.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(board) => view! { <LiveBoard board filter reload actions/> }.into_any(),
            })}
        </Transition>
    }
}

/// The board's cards as signals, patched by the live stream.
#[component]
fn LiveBoard(board: Board, filter: Memo<BoardFilter>, reload: RwSignal<u64>, actions: BoardActions) -> impl IntoView {
    let Board { cards, columns, organizations, contracts, last_event_id, wip_limits } = board;
    let session = expect_context::<Session>();
    let me = Memo::new(move |_| session.user.get().and_then(|u| u.ok().flatten()).map(|u| (u.id, u.name)));
    let cards = RwSignal::new(cards);
    let contracts = RwSignal::new(contracts);
    let columns = RwSignal::new(columns);
    let counting = RwSignal::new(false);
    let live = use_live(Some(last_event_id));
    // After a reconnection the server replays what was missed; reading the board again
    // also covers a stream that could not resume.
    Effect::new(move |seen: Option<u64>| {
        let n = live.reconnected.get();
        if seen.is_some_and(|seen| n > seen) {
            reload.update(|r| *r += 1);
        }
        n
    });
    // A successful move or assignment patches its card at once (the live event confirms it).
    Effect::new(move |_| {
        if let Some(Ok(case)) = actions.move_action.value().get() {
            patch_case(cards, case);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(case)) = actions.assign_action.value().get() {
            patch_case(cards, case);
        }
    });
    Effect::new(move |_| {
        let Some(event) = live.last.get() else { return };
        if let CaseChange::Assigned { engineer_id: Some(id), .. } = &event.change {
            let mine = me.get_untracked().is_some_and(|(my_id, my_name)| {
                *id == my_id && event.actor.as_deref() != Some(my_name.as_str())
            });
            if mine {
                actions.announce.set(Some(Announcement::Done(t_args(
                    "assign-to-you",
                    &[("number", event.case.to_string())],
                )())));
            }
        }
        refresh_card(cards, contracts, event.case.0);
        patch::refresh_counts(columns, filter.get_untracked(), counting);
    });
    let wip_limits = StoredValue::new(wip_limits);
    let lanes = Memo::new(move |_| {
        let lane = filter.get().lane;
        cards.with(|cards| lane_titles(lane, cards))
    });
    view! {
        <Queues filter live/>
        <div class="board-tools">
            <FilterBar organizations contracts filter/>
            <LiveIndicator live/>
        </div>
        <For each=move || lanes.get() key=|(key, _)| key.clone() let((key, title))>
            <section class="lane" aria-label=title.clone().unwrap_or_default()>
                {title.clone().map(|title| view! { <h2 class="lane-title">{title}</h2> })}
                <div class="board">
                    {Status::ALL.iter().map(|&status| {
                        let key = key.clone();
                        view! { <Column status lane=key cards contracts columns filter me wip_limits actions/> }
                    }).collect_view()}
                </div>
            </section>
        </For>
    }
}
