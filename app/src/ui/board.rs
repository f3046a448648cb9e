//! The support board: one column per status, a card per case, a "Move to…" form on each.
//! Live updates and drag and drop come with the live-board issue.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::i18n::{error_text, label, move_tr_static, t, t_args};
use super::portal::{MoveForm, error_view};
use super::sla::SlaCountdown;
use crate::api::cases::{Board, BoardCard, MoveCase, board_cases};
use crate::domain::lifecycle::allowed_targets;
use crate::domain::sla::Contract;
use crate::domain::{Resolution, Role, Status};

#[component]
pub fn BoardPage() -> impl IntoView {
    let move_action = ServerAction::<MoveCase>::new();
    let live = super::live::use_live();
    let cases = Resource::new(move || (move_action.version().get(), live.version.get()), |_| board_cases());
    let outcome = move || {
        move_action.value().get().map(|result| match result {
            Ok(case) => view! {
                <p class="notice" role="status">
                    {t_args("move-done", &[("number", case.number.to_string()), ("status", super::i18n::label_now("status", case.status))])}
                </p>
            }
            .into_any(),
            Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
        })
    };
    view! {
        <Title text=move_tr_static("board-title")/>
        <div class="page-head">
            <h1>{t("board-title")}</h1>
            <super::live::LiveIndicator live/>
        </div>
        <div aria-live="polite">{outcome}</div>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || cases.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(board) => view! { <Columns board move_action/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Columns(board: Board, move_action: ServerAction<MoveCase>) -> impl IntoView {
    // What a drop needs to know about each card: the version it was seen at, and where it is.
    let seen: std::sync::Arc<Vec<(i64, i64, Status, Resolution)>> = std::sync::Arc::new(
        board.cards.iter().map(|c| (c.case.number.0, c.case.version, c.case.status, c.case.resolution)).collect(),
    );
    let columns = Status::ALL
        .iter()
        .map(|&status| {
            let in_column: Vec<(BoardCard, Option<Contract>)> = board
                .cards
                .iter()
                .filter(|c| c.case.status == status)
                .map(|c| (c.clone(), board.contract(&c.case.organization).cloned()))
                .collect();
            let count = in_column.len();
            let heading_id = format!("column-{status}");
            let labelled_by = heading_id.clone();
            let seen = seen.clone();
            let on_drop = move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                #[cfg(feature = "hydrate")]
                {
                    let number = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|n| n.parse::<i64>().ok());
                    if let Some(&(number, version, from, resolution)) = number.and_then(|n| seen.iter().find(|c| c.0 == n)) {
                        // Only moves the rules allow; resolving asks for a resolution in the card's form.
                        if allowed_targets(Role::Engineer, from, resolution).contains(&status) {
                            move_action.dispatch(MoveCase { number, status, resolution: String::new(), expected_version: version });
                        }
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = &seen;
            };
            view! {
                <section class="column" aria-labelledby=labelled_by data-status=status.as_str()
                    on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                    on:drop=on_drop>
                    <h2 id=heading_id>
                        {label("status", status)}
                        " "
                        <span class="count">{t_args("board-column-count", &[("count", count.to_string())])}</span>
                    </h2>
                    {if in_column.is_empty() {
                        view! { <p class="empty">{t("board-empty-column")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="cards">
                                {in_column.into_iter().map(|(card, contract)| view! { <Card card contract move_action/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        })
        .collect_view();
    view! { <div class="board">{columns}</div> }
}

#[component]
fn Card(card: BoardCard, contract: Option<Contract>, move_action: ServerAction<MoveCase>) -> impl IntoView {
    let BoardCard { case, sla_events } = card;
    let number = case.number.0;
    let targets = allowed_targets(Role::Engineer, case.status, case.resolution);
    let href = format!("/cases/{}", case.number);
    view! {
        <li class=format!("card severity-{}", case.severity.level()) data-case=case.number.to_string()
            draggable="true"
            on:dragstart=move |ev: leptos::ev::DragEvent| {
                #[cfg(feature = "hydrate")]
                if let Some(data) = ev.data_transfer() {
                    let _ = data.set_data("text/plain", &number.to_string());
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (ev, number);
            }>
            <div class="card-head">
                <A href=href attr:class="number">{format!("#{}", case.number)}</A>
                <span class="severity">{label("severity", case.severity.level())}</span>
            </div>
            <p class="summary">{case.summary.clone()}</p>
            <p class="org">{case.organization_name.clone()}</p>
            {contract.map(|contract| view! {
                <p class="card-sla"><SlaCountdown contract severity=case.severity opened_at=case.opened_at events=sla_events/></p>
            })}
            <MoveForm case=case.clone() targets action=move_action inline_error=false/>
        </li>
    }
}
