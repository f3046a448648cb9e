//! A column of the board: the cases of one status (and lane) that pass the filters, most
//! urgent first, a page at a time from the server, with its counts, work-in-progress limit
//! and drop target.

use leptos::prelude::*;

use super::card::Card;
use super::moves::BoardActions;
use crate::api::cases::BoardCard;
use crate::domain::board::{shows_in_column, urgency};
use crate::domain::sla::Contract;
use crate::domain::workspace::BoardColumn;
use crate::domain::{BoardFilter, BoundedCount, Status, WipLimits};
use crate::ui::i18n::{label_now, t, t_args};

/// A bounded count in words: `10000+` when the server stopped counting.
pub(super) fn count_text(count: BoundedCount) -> String {
    if count.more { format!("{}+", count.n) } else { count.n.to_string() }
}

#[component]
pub(super) fn Column(
    status: Status,
    lane: String,
    cards: RwSignal<Vec<BoardCard>>,
    contracts: RwSignal<Vec<(String, Contract)>>,
    columns: RwSignal<Vec<BoardColumn>>,
    filter: Memo<BoardFilter>,
    me: Memo<Option<(i64, String)>>,
    wip_limits: StoredValue<WipLimits>,
    actions: BoardActions,
) -> impl IntoView {
    let lane_key = lane.clone();
    // The server sent the column's most urgent cards, a page at a time ("Show more" asks for
    // the next); live events add and move cards. The column shows what it holds, in order.
    let in_column = Memo::new(move |_| {
        let filter = filter.get();
        let my_id = me.get().map(|(id, _)| id);
        let now = jiff::Timestamp::now();
        let plan_of = |org: &str| {
            contracts.with_untracked(|contracts| {
                contracts.iter().find(|(s, _)| s == org).map(|(_, c)| c.plan_at(jiff::Timestamp::now()).id.clone())
            })
        };
        cards.with(|cards| {
            let mut column: Vec<&BoardCard> = cards
                .iter()
                .filter(|c| shows_in_column(&c.case, status, now))
                .filter(|c| filter.lane.key(&c.case) == lane_key)
                .filter(|c| filter.keeps(&c.case, plan_of, my_id) && filter.keeps_at(&c.case, now))
                .collect();
            column.sort_unstable_by_key(|c| urgency(&c.case));
            column.into_iter().cloned().collect::<Vec<_>>()
        })
    });
    let server_column = move || columns.with(|columns| columns.iter().find(|c| c.status == status).cloned());
    // Without lanes the server's count of the whole column; with lanes, what this lane holds.
    let count = move || match server_column() {
        Some(column) if filter.with(|f| f.lane == crate::domain::BoardLane::None) => count_text(BoundedCount {
            n: column.matching.n.max(in_column.with(|c| c.len()) as u64),
            more: column.matching.more,
        }),
        _ => in_column.with(|c| c.len()).to_string(),
    };
    let not_shown = move || {
        server_column().map(|column| {
            let loaded = cards.with(|cards| cards.iter().filter(|c| c.case.status == status).count()) as u64;
            count_text(BoundedCount { n: column.matching.n.saturating_sub(loaded), more: column.matching.more })
        })
    };
    let has_more = move || server_column().is_some_and(|c| c.next_cursor.is_some());
    let loading = RwSignal::new(false);
    let show_more = move |_| {
        let Some(cursor) = server_column().and_then(|c| c.next_cursor) else { return };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        super::patch::load_more(cards, contracts, columns, filter.get_untracked(), status, cursor, loading);
    };
    // The work-in-progress limit counts the whole column, whatever the filters.
    let total = Memo::new(move |_| columns.with(|columns| {
        columns.iter().find(|c| c.status == status).map(|c| c.in_status.n as usize).unwrap_or_default()
    }));
    let limit = wip_limits.with_value(|w| w.limit(status));
    let over = move || wip_limits.with_value(|w| w.exceeded(status, total.get()));
    let heading_id = format!("column-{status}-{lane}");
    let labelled_by = heading_id.clone();
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let number =
                ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|n| n.parse::<i64>().ok());
            if let Some(number) = number {
                super::moves::request_move(cards, actions, number, status);
            }
        }
    };
    view! {
        <section class="column" class:over-limit=over aria-labelledby=labelled_by data-status=status.as_str()
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop>
            <h2 id=heading_id>
                {move || if status == Status::Closed { t("board-closed-today")() } else { label_now("status", status) }}
                " "
                <span class="count">{move || t_args("board-column-count", &[("count", count())])()}</span>
                {limit.map(|limit| view! {
                    " "
                    <span class="wip" data-testid="wip">
                        {move || if over() {
                            t_args("board-wip-over", &[("count", total.get().to_string()), ("limit", limit.to_string())])()
                        } else {
                            t_args("board-wip", &[("count", total.get().to_string()), ("limit", limit.to_string())])()
                        }}
                    </span>
                })}
            </h2>
            <Show when=move || in_column.with(|c| !c.is_empty()) fallback=|| view! { <p class="empty">{t("board-empty-column")}</p> }>
                <ul class="cards">
                    <For each=move || in_column.get()
                        key=|c| (c.case.number.0, c.case.version, c.sla_events.len())
                        let(card)>
                        <Card card contracts me cards actions/>
                    </For>
                </ul>
                <Show when=has_more>
                    <button type="button" class="button small secondary show-more" on:click=show_more
                        disabled=move || loading.get()>
                        {move || t_args("board-show-more", &[("count", not_shown().unwrap_or_default())])()}
                    </button>
                </Show>
            </Show>
        </section>
    }
}
