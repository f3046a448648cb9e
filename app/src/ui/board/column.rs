//! A column of the board: the cases of one status (and lane) that pass the filters, most
//! urgent first, a page at a time, with its work-in-progress limit and drop target.

use leptos::prelude::*;

use super::card::Card;
use super::moves::BoardActions;
use crate::api::cases::BoardCard;
use crate::domain::board::{shows_in_column, urgency};
use crate::domain::sla::Contract;
use crate::domain::{BoardFilter, Status, WipLimits};
use crate::ui::i18n::{label_now, t, t_args};

/// How many cards a column shows before "Show more".
const COLUMN_PAGE: usize = 50;

#[component]
pub(super) fn Column(
    status: Status,
    lane: String,
    cards: RwSignal<Vec<BoardCard>>,
    contracts: RwSignal<Vec<(String, Contract)>>,
    filter: Memo<BoardFilter>,
    me: Memo<Option<(i64, String)>>,
    wip_limits: StoredValue<WipLimits>,
    actions: BoardActions,
) -> impl IntoView {
    let lane_key = lane.clone();
    // A column shows its first cards (most urgent first) and more on demand: a board of
    // thousands stays quick to open, and filters narrow it further.
    let shown = RwSignal::new(COLUMN_PAGE);
    // (how many cards match, the first `shown` of them): only those are cloned.
    let in_column = Memo::new(move |_| {
        let filter = filter.get();
        let my_id = me.get().map(|(id, _)| id);
        let limit = shown.get();
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
                .filter(|c| filter.keeps(&c.case, plan_of, my_id))
                .collect();
            column.sort_unstable_by_key(|c| urgency(&c.case));
            (column.len(), column.into_iter().take(limit).cloned().collect::<Vec<_>>())
        })
    });
    // The work-in-progress limit counts the whole column, whatever the filters.
    let total = Memo::new(move |_| cards.with(|cards| cards.iter().filter(|c| c.case.status == status).count()));
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
                <span class="count">{move || t_args("board-column-count", &[("count", in_column.with(|c| c.0).to_string())])()}</span>
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
            <Show when=move || in_column.with(|c| c.0 > 0) fallback=|| view! { <p class="empty">{t("board-empty-column")}</p> }>
                <ul class="cards">
                    <For each=move || in_column.with(|c| c.1.clone())
                        key=|c| (c.case.number.0, c.case.version, c.sla_events.len())
                        let(card)>
                        <Card card contracts me cards actions/>
                    </For>
                </ul>
                <Show when=move || in_column.with(|c| c.0 > c.1.len())>
                    <button type="button" class="button small secondary show-more"
                        on:click=move |_| shown.update(|n| *n += COLUMN_PAGE)>
                        {move || t_args("board-show-more", &[("count", in_column.with(|c| c.0 - c.1.len()).to_string())])()}
                    </button>
                </Show>
            </Show>
        </section>
    }
}
