//! Moving cards: what the board announces, the actions every card reaches, the move itself
//! (optimistic, with the version seen) and the resolution asked for a final status.

use leptos::prelude::*;

use crate::api::cases::{AssignCase, BoardCard, MoveCase};
use crate::domain::lifecycle::allowed_targets;
use crate::domain::{Resolution, Role, Status};
use crate::ui::i18n::{label, label_now, t, t_args};

/// What the board says out loud (a polite live region): moves, refusals, assignments.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Announcement {
    Done(String),
    Refused(String),
    /// For screen readers only (drag and drop steps): the page does not move under the mouse.
    Spoken(String),
}

/// What a page-level action needs to reach every card.
#[derive(Clone, Copy)]
pub(super) struct BoardActions {
    pub(super) move_action: ServerAction<MoveCase>,
    pub(super) assign_action: ServerAction<AssignCase>,
    pub(super) announce: RwSignal<Option<Announcement>>,
    /// A move waiting for its resolution (dropped on Resolved or Closed).
    pub(super) resolving: RwSignal<Option<PendingMove>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PendingMove {
    pub(super) number: i64,
    pub(super) version: i64,
    pub(super) to: Status,
}

/// Moves a card where the person dropped or sent it: at once on the board (optimistic),
/// with the version they saw; the server has the last word. A final status first asks
/// for the resolution.
pub(super) fn request_move(cards: RwSignal<Vec<BoardCard>>, actions: BoardActions, number: i64, to: Status) {
    let Some((version, from, resolution)) = cards.with_untracked(|cards| {
        cards.iter().find(|c| c.case.number.0 == number).map(|c| (c.case.version, c.case.status, c.case.resolution))
    }) else {
        return;
    };
    if from == to {
        return;
    }
    if !allowed_targets(Role::Engineer, from, resolution).contains(&to) {
        actions.announce.set(Some(Announcement::Refused(t_args(
            "move-not-allowed",
            &[("number", number.to_string()), ("status", label_now("status", to))],
        )())));
        return;
    }
    if !to.is_active() {
        actions.resolving.set(Some(PendingMove { number, version, to }));
        return;
    }
    cards.update(|cards| {
        if let Some(card) = cards.iter_mut().find(|c| c.case.number.0 == number) {
            card.case.status = to;
        }
    });
    actions.move_action.dispatch(MoveCase {
        number,
        status: to,
        resolution: String::new(),
        expected_version: version,
        duplicate_of: String::new(),
    });
}

/// Asks for the resolution of a case dropped on Resolved or Closed.
#[component]
pub(super) fn ResolutionDialog(actions: BoardActions) -> impl IntoView {
    let chosen = RwSignal::new(Resolution::Fixed);
    let duplicate_of = RwSignal::new(String::new());
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(pending) = actions.resolving.get_untracked() {
            actions.move_action.dispatch(MoveCase {
                number: pending.number,
                status: pending.to,
                resolution: chosen.get_untracked().as_str().to_owned(),
                expected_version: pending.version,
                duplicate_of: duplicate_of.get_untracked(),
            });
        }
        actions.resolving.set(None);
        duplicate_of.set(String::new());
    };
    move || {
        actions.resolving.get().map(|pending| {
            let title = t_args(
                "resolve-title",
                &[("number", pending.number.to_string()), ("status", label_now("status", pending.to))],
            );
            view! {
                <form class="dialog card" role="dialog" aria-modal="false" aria-labelledby="resolve-title" on:submit=confirm>
                    <h2 id="resolve-title">{title}</h2>
                    <label for="resolve-resolution">{t("field-resolution")}</label>
                    <select id="resolve-resolution" autofocus on:change=move |ev| {
                        if let Some(r) = Resolution::parse(&event_target_value(&ev)) {
                            chosen.set(r);
                        }
                    }>
                        {Resolution::ALL.iter().filter(|r| r.is_final()).map(|r| view! {
                            <option value=r.as_str() selected=*r == Resolution::Fixed>{label("resolution", r)}</option>
                        }).collect_view()}
                    </select>
                    <Show when=move || chosen.get() == Resolution::Duplicate>
                        <label for="resolve-duplicate">{t("field-duplicate_of")}</label>
                        <input id="resolve-duplicate" inputmode="numeric" required
                            prop:value=move || duplicate_of.get() on:input=move |ev| duplicate_of.set(event_target_value(&ev))/>
                    </Show>
                    <div class="row">
                        <button type="submit" class="button small">{t("move-submit")}</button>
                        <button type="button" class="button small secondary" on:click=move |_| actions.resolving.set(None)>
                            {t("cancel")}
                        </button>
                    </div>
                </form>
            }
        })
    }
}
