//! The support board: a column per status, a card per case, kept live card by card. The
//! board is read once; then every event of the live stream re-reads only the card it is
//! about and patches it in place (cards are keyed by number and version, so one update
//! re-renders one card). Moves are optimistic and carry the version the mover saw; a
//! refused move puts the board back and says who changed the case.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};

use super::assignment::{Assignee, TakeButton};
use super::i18n::{error_text, label, label_now, move_tr_static, t, t_args};
use super::error_view::error_view;
use super::focus::focus_element;
use super::move_form::MoveForm;
use super::sla::SlaCountdown;
use crate::api::cases::{AssignCase, Board, BoardCard, MoveCase, board_cases};
use crate::domain::lifecycle::allowed_targets;
use crate::domain::sla::Contract;
use crate::domain::board::{next_column, shows_in_column, urgency};
use crate::domain::{AssigneeFilter, BoardFilter, BoardLane, CaseChange, Resolution, Role, Severity, Status, WipLimits};

/// How many cards a column shows before "Show more".
const COLUMN_PAGE: usize = 50;

/// What the board says out loud (a polite live region): moves, refusals, assignments.
#[derive(Clone, Debug, PartialEq)]
enum Announcement {
    Done(String),
    Refused(String),
    /// For screen readers only (drag and drop steps): the page does not move under the mouse.
    Spoken(String),
}

/// What a page-level action needs to reach every card.
#[derive(Clone, Copy)]
struct BoardActions {
    move_action: ServerAction<MoveCase>,
    assign_action: ServerAction<AssignCase>,
    announce: RwSignal<Option<Announcement>>,
    /// A move waiting for its resolution (dropped on Resolved or Closed).
    resolving: RwSignal<Option<PendingMove>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct PendingMove {
    number: i64,
    version: i64,
    to: Status,
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let actions = BoardActions {
        move_action: ServerAction::<MoveCase>::new(),
        assign_action: ServerAction::<AssignCase>::new(),
        announce: RwSignal::new(None),
        resolving: RwSignal::new(None),
    };
    super::sla::provide_shared_now();
    let query = leptos_router::hooks::use_query_map();
    let filter = Memo::new(move |_| BoardFilter::from_query(|key| query.read().get(key)));
    // Read again only when a refused move must put the board back, or after a reconnection.
    let reload = RwSignal::new(0u64);
    let board = Resource::new(move || reload.get(), |_| board_cases());
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
    let Board { cards, contracts, last_event_id, wip_limits } = board;
    let session = expect_context::<super::session::Session>();
    let me = Memo::new(move |_| session.user.get().and_then(|u| u.ok().flatten()).map(|u| (u.id, u.name)));
    let cards = RwSignal::new(cards);
    let contracts = RwSignal::new(contracts);
    let live = super::live::use_live(Some(last_event_id));
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
    });
    let wip_limits = StoredValue::new(wip_limits);
    let lanes = Memo::new(move |_| {
        let lane = filter.get().lane;
        cards.with(|cards| lane_titles(lane, cards))
    });
    view! {
        <div class="board-tools">
            <FilterBar cards contracts filter/>
            <super::live::LiveIndicator live/>
        </div>
        <For each=move || lanes.get() key=|(key, _)| key.clone() let((key, title))>
            <section class="lane" aria-label=title.clone().unwrap_or_default()>
                {title.clone().map(|title| view! { <h2 class="lane-title">{title}</h2> })}
                <div class="board">
                    {Status::ALL.iter().map(|&status| {
                        let key = key.clone();
                        view! { <Column status lane=key cards contracts filter me wip_limits actions/> }
                    }).collect_view()}
                </div>
            </section>
        </For>
    }
}

/// Replaces a card's case with a newer one (an older answer arriving late changes nothing).
fn patch_case(cards: RwSignal<Vec<BoardCard>>, case: crate::domain::Case) {
    cards.update(|cards| {
        if let Some(card) = cards.iter_mut().find(|c| c.case.number == case.number) {
            if case.version >= card.case.version {
                card.case = crate::domain::Case { description: String::new(), ..case };
            }
        }
    });
}

/// Reads one card again after a live event about it and patches the board.
fn refresh_card(cards: RwSignal<Vec<BoardCard>>, contracts: RwSignal<Vec<(String, Contract)>>, number: i64) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        match crate::api::cases::fetch_board_card(number).await {
            Ok(Some((card, contract))) => {
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
            Ok(None) => cards.update(|cards| cards.retain(|c| c.case.number.0 != number)),
            // The stream's next event or a reconnection reads it again.
            Err(_) => {}
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (cards, contracts, number);
}

/// The lanes present on the board, in order, with their titles (`None` without lanes).
fn lane_titles(lane: BoardLane, cards: &[BoardCard]) -> Vec<(String, Option<String>)> {
    lane.lanes(cards.iter().map(|c| &c.case))
        .into_iter()
        .map(|(key, case)| {
            let title = case.map(|case| match lane {
                BoardLane::Severity => label_now("severity", case.severity.level()),
                BoardLane::Organization => case.organization_name.clone(),
                BoardLane::Assignee => case.assignee.clone().unwrap_or_else(|| t("assign-nobody")()),
                BoardLane::None => String::new(),
            });
            (key, title)
        })
        .collect()
}

#[component]
fn FilterBar(
    cards: RwSignal<Vec<BoardCard>>,
    contracts: RwSignal<Vec<(String, Contract)>>,
    filter: Memo<BoardFilter>,
) -> impl IntoView {
    let organizations = move || {
        let mut organizations: Vec<(String, String)> = cards
            .with(|cards| cards.iter().map(|c| (c.case.organization.clone(), c.case.organization_name.clone())).collect());
        organizations.sort();
        organizations.dedup();
        organizations
    };
    let plans = move || {
        let mut plans: Vec<(String, String)> = contracts.with(|contracts| {
            contracts
                .iter()
                .map(|(_, c)| {
                    let plan = c.plan_at(jiff::Timestamp::now());
                    (plan.id.clone(), plan.name.clone())
                })
                .collect()
        });
        plans.sort();
        plans.dedup();
        plans
    };
    let choice = move |value: String, text: String, field: fn(&BoardFilter) -> Option<String>| {
        let selected = field(&filter.get_untracked()).as_ref() == Some(&value);
        view! { <option value=value selected=selected>{text}</option> }
    };
    let current = filter.get_untracked();
    view! {
        <Form method="GET" action="/board" attr:class="filters">
            <label for="filter-assignee">{t("filter-assignee")}</label>
            <select id="filter-assignee" name="assignee">
                <option value="">{t("filter-all")}</option>
                <option value="mine" selected=current.assignee == Some(AssigneeFilter::Mine)>{t("filter-mine")}</option>
                <option value="unassigned" selected=current.assignee == Some(AssigneeFilter::Unassigned)>{t("filter-unassigned")}</option>
            </select>
            <label for="filter-severity">{t("col-severity")}</label>
            <select id="filter-severity" name="severity">
                <option value="">{t("filter-all")}</option>
                {Severity::ALL.iter().map(|s| {
                    let selected = current.severity == Some(s.level());
                    view! { <option value=s.level().to_string() selected=selected>{label("severity", s.level())}</option> }
                }).collect_view()}
            </select>
            <label for="filter-organization">{t("col-organization")}</label>
            <select id="filter-organization" name="organization">
                <option value="">{t("filter-all")}</option>
                {move || organizations().into_iter().map(|(slug, name)| choice(slug, name, |f| f.organization.clone())).collect_view()}
            </select>
            <label for="filter-plan">{t("filter-plan")}</label>
            <select id="filter-plan" name="plan">
                <option value="">{t("filter-all")}</option>
                {move || plans().into_iter().map(|(id, name)| choice(id, name, |f| f.plan.clone())).collect_view()}
            </select>
            <label for="filter-lane">{t("filter-lane")}</label>
            <select id="filter-lane" name="lane">
                {BoardLane::ALL.iter().map(|&lane| view! {
                    <option value=lane.as_str() selected=current.lane == lane>{label("lane", lane.as_str())}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button small">{t("filter-apply")}</button>
        </Form>
    }
}

#[component]
fn Column(
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
                request_move(cards, actions, number, status);
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

/// Moves a card where the person dropped or sent it: at once on the board (optimistic),
/// with the version they saw; the server has the last word. A final status first asks
/// for the resolution.
fn request_move(cards: RwSignal<Vec<BoardCard>>, actions: BoardActions, number: i64, to: Status) {
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
fn ResolutionDialog(actions: BoardActions) -> impl IntoView {
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

#[component]
fn Card(
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
                <span class="severity">{label("severity", case.severity.level())}</span>
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
