//! A case's card on the board: its facts and SLA countdown, who has it, "Move to", drag and
//! drop, and keyboard moves.

use leptos::prelude::*;
use leptos_router::components::A;

use super::moves::{Announcement, BoardActions, request_move};
use crate::api::cases::{AssignCase, BoardCard};
use crate::domain::Role;
use crate::domain::board::next_column;
use crate::domain::lifecycle::allowed_targets;
use crate::domain::sla::Contract;
use crate::ui::assignment::{Assignee, TakeButton};
use crate::ui::focus::focus_element;
use crate::ui::i18n::{t, t_args};
use crate::ui::move_form::MoveForm;
use crate::ui::sla::SlaCountdown;

#[component]
pub(super) fn Card(
    card: BoardCard,
    contracts: RwSignal<Vec<(String, Contract)>>,
    me: Memo<Option<(i64, String)>>,
    cards: RwSignal<Vec<BoardCard>>,
    actions: BoardActions,
) -> impl IntoView {
    let BoardCard { case, sla_events } = card;
    let number = case.number.0;
    let status = case.status;
    let targets = allowed_targets(Role::Engineer, case.status, case.resolution);
    let href = format!("/cases/{}", case.number);
    let contract = contracts.with_untracked(|c| c.iter().find(|(s, _)| *s == case.organization).map(|(_, c)| c.clone()));
    let mine = move || me.get().map(|(id, _)| id) == case.assignee_id;
    let take_case = case.clone();
    let card_label = t_args("card-label", &[("number", case.number.to_string()), ("summary", case.summary.clone())]);
    // Keyboard: Alt+→ / Alt+← move to the next / previous column the rules allow,
    // M opens the "Move to" menu, T takes the case.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.target() != ev.current_target() {
            return;
        }
        let key = ev.key();
        if ev.alt_key() && (key == "ArrowRight" || key == "ArrowLeft") {
            ev.prevent_default();
            if let Some(to) = next_column(status, key == "ArrowRight") {
                request_move(cards, actions, number, to);
            }
        } else if key == "m" || key == "M" {
            ev.prevent_default();
            focus_element(&format!("move-{number}"));
        } else if (key == "t" || key == "T") && !mine() {
            ev.prevent_default();
            let version = cards.with_untracked(|cards| {
                cards.iter().find(|c| c.case.number.0 == number).map(|c| c.case.version)
            });
            actions.assign_action.dispatch(AssignCase { number, engineer: "me".into(), expected_version: version });
        }
    };
    view! {
        <li class=format!("card severity-{}", case.severity.level()) data-case=case.number.to_string()
            draggable="true" tabindex="0" aria-label=card_label aria-describedby="board-help"
            on:keydown=on_key
            on:dragstart=move |ev: leptos::ev::DragEvent| {
                #[cfg(feature = "hydrate")]
                if let Some(data) = ev.data_transfer() {
                    let _ = data.set_data("text/plain", &number.to_string());
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = &ev;
                actions.announce.set(Some(Announcement::Spoken(t_args("drag-picked", &[("number", number.to_string())])())));
            }>
            <div class="card-head">
                <A href=href attr:class="number">{format!("#{}", case.number)}</A>
                <span class="severity">{crate::ui::promises::severity_name(
                    contract.as_ref().map(|c| c.plan_at(case.opened_at)),
                    case.severity,
                )}</span>
            </div>
            <p class="summary">{case.summary.clone()}</p>
            <p class="org">
                {case.organization_name.clone()}
                {contract.as_ref().map(|c| format!(" · {}", c.plan_at(jiff::Timestamp::now()).name))}
                {(!case.product.is_empty()).then(|| format!(" · {}", case.product))}
                {case.waits_on_customer().then(|| view! { " " <span class="waiting-customer">{t("board-waiting-customer")}</span> })}
            </p>
            {contract.map(|contract| view! {
                <p class="card-sla"><SlaCountdown contract severity=case.severity opened_at=case.opened_at events=sla_events/></p>
            })}
            <div class="card-people">
                <Assignee case=case.clone()/>
                <Show when=move || !mine()>
                    <TakeButton case=take_case.clone() action=actions.assign_action/>
                </Show>
            </div>
            <MoveForm case=case.clone() targets action=actions.move_action inline_error=false/>
        </li>
    }
}
