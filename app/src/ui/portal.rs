//! The customer portal: my cases, opening a case, and a case's page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::case_details::DetailsList;
use super::error_view::error_view;
use super::i18n::{error_text, label, label_now, move_tr_static, t, t_args};
use super::local_time::LocalTime;
use super::move_form::MoveForm;
use crate::api::cases::{
    AssignCase, CaseDetail, LinkCase, MoveCase, ReplyToCase, my_cases, read_case,
};
use crate::domain::{Case, CaseChange, CaseEvent, Shelf};
use crate::error::AppError;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    // Live: a reply, a move or an SLA event from support shows without reload.
    let live = super::live::use_live(None);
    let refresh = RwSignal::new(0u64);
    Effect::new(move |_| {
        if live.last.get().is_some() {
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |was: Option<bool>| {
        let now = live.connected.get();
        if now && was == Some(false) {
            refresh.update(|n| *n += 1);
        }
        now
    });
    let cases = Resource::new(move || refresh.get(), |_| my_cases());
    let query_map = use_query_map();
    let shelf = Memo::new(move |_| {
        query_map.read().get("show").and_then(|wanted| Shelf::parse(&wanted)).unwrap_or_default()
    });
    let (query, set_query) = signal(String::new());
    view! {
        <Title text=move_tr_static("cases-title")/>
        <div class="page-head">
            <h1>{t("cases-title")}</h1>
            <super::live::LiveIndicator live/>
            <A href="/cases/new" attr:class="button">{t("nav-new-case")}</A>
        </div>
        <label class="search">
            <span>{t("cases-search")}</span>
            <input type="search" on:input=move |ev| set_query.set(event_target_value(&ev))/>
        </label>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || cases.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(cases) if cases.is_empty() => view! { <p>{t("cases-empty")}</p> }.into_any(),
                Ok(cases) => {
                    let count = |s: Shelf| cases.iter().filter(|c| Shelf::of(c) == s).count();
                    let tabs: Vec<(Shelf, usize)> = Shelf::ALL.iter().map(|&s| (s, count(s))).collect();
                    let current = shelf.get();
                    let on_shelf: Vec<Case> = cases.into_iter().filter(|c| Shelf::of(c) == current).collect();
                    view! {
                        <nav class="shelves" aria-label=t("shelves-label")>
                            {tabs.into_iter().map(|(s, n)| {
                                let text = t_args(match s {
                                    Shelf::Open => "shelf-open",
                                    Shelf::Waiting => "shelf-waiting",
                                    Shelf::Closed => "shelf-closed",
                                }, &[("count", n.to_string())]);
                                view! {
                                    <A href=format!("/cases?show={}", s.as_str())
                                        attr:class=if s == current { "shelf current" } else { "shelf" }
                                        attr:aria-current=(s == current).then_some("page")>{text}</A>
                                }
                            }).collect_view()}
                        </nav>
                        {if on_shelf.is_empty() {
                            view! { <p>{t("shelf-empty")}</p> }.into_any()
                        } else {
                            view! { <CaseTable cases=on_shelf query/> }.into_any()
                        }}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseTable(cases: Vec<Case>, query: ReadSignal<String>) -> impl IntoView {
    let rows = move || {
        let needle = query.get().trim().to_lowercase();
        cases
            .iter()
            .filter(|c| {
                needle.is_empty()
                    || c.summary.to_lowercase().contains(&needle)
                    || c.number.to_string().contains(needle.trim_start_matches('#'))
            })
            .cloned()
            .map(|case| {
                let href = format!("/cases/{}", case.number);
                let waiting = case.waits_on_customer();
                view! {
                    <tr class:waiting=waiting>
                        <td><A href=href.clone()>{case.number.to_string()}</A></td>
                        <td>
                            <A href=href>{case.summary.clone()}</A>
                            {waiting.then(|| view! { <span class="your-move">{t("your-move")}</span> })}
                        </td>
                        <td><span class=format!("status status-{}", case.status)>{label("status", case.status)}</span></td>
                        <td>{label("severity", case.severity.level())}</td>
                        <td><LocalTime at=case.updated_at/></td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="cases">
            <thead>
                <tr>
                    <th scope="col">{t("col-number")}</th>
                    <th scope="col">{t("col-summary")}</th>
                    <th scope="col">{t("col-status")}</th>
                    <th scope="col">{t("col-severity")}</th>
                    <th scope="col">{t("col-updated")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}


#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let move_action = ServerAction::<MoveCase>::new();
    let reply_action = ServerAction::<ReplyToCase>::new();
    let assign_action = ServerAction::<AssignCase>::new();
    let link_action = ServerAction::<LinkCase>::new();
    let number = Memo::new(move |_| params.read().get("number").and_then(|n| n.parse::<i64>().ok()).unwrap_or(0));
    // The page is live: any change to this case (by anyone) reads it again. The reply
    // form sits outside the part that re-renders, so a draft is never lost to an update.
    let live = super::live::use_live(None);
    let refresh = RwSignal::new(0u64);
    let updated_notice = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(event) = live.last.get() {
            if event.case.0 == number.get_untracked() {
                refresh.update(|n| *n += 1);
                updated_notice.set(true);
            }
        }
    });
    // Connected (first time: what happened since the page was rendered; later: a reconnection).
    Effect::new(move |was: Option<bool>| {
        let now = live.connected.get();
        if now && was == Some(false) {
            refresh.update(|n| *n += 1);
        }
        now
    });
    let detail = Resource::new(
        move || {
            let actions = (move_action.version().get(), reply_action.version().get(), assign_action.version().get(), link_action.version().get());
            (number.get(), actions, refresh.get())
        },
        |(n, ..)| read_case(n),
    );
    let just_opened = move || query.read().get("opened").is_some();
    let session = expect_context::<super::session::Session>();
    let support = RwSignal::new(false);
    Effect::new(move |_| {
        support.set(session.user.get().and_then(|u| u.ok().flatten()).is_some_and(|u| u.role.is_support()));
    });
    // Known in the browser once hydrated (an effect may read the resource; a view outside
    // the Transition may not): the server renders the follow-up hidden.
    let loaded = RwSignal::new(false);
    let shown = RwSignal::new(None::<CaseDetail>);
    Effect::new(move |_| match detail.get() {
        Some(Ok(detail)) => {
            shown.set(Some(detail));
            loaded.set(true);
        }
        Some(Err(_)) => loaded.set(false),
        // Reading again: keep the form as it is (a draft keeps its focus).
        None => {}
    });
    let activity = RwSignal::new(crate::domain::people::Activity::Viewing);
    view! {
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || detail.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(detail) => view! { <CaseView detail just_opened=just_opened() move_action assign_action link_action/> }.into_any(),
            })}
        </Transition>
        <p class="live-notice" aria-live="polite">
            <super::live::LiveIndicator live/>" "
            {move || updated_notice.get().then(|| t("case-updated-live")())}
        </p>
        // Rendered alike on the server and in the browser (hydration), shown once the case is.
        <div class="case-follow-up" hidden=move || !loaded.get()>
            <PresenceLine number live activity support=support.into()/>
            <ReplyForm number detail=shown support=support.into() action=reply_action activity/>
            <super::attach::AttachFiles number/>
        </div>
    }
}

/// Linked cases (duplicates, related) and a form to link another (support only).
#[component]
fn LinkedCases(number: i64, links: Vec<crate::domain::CaseLink>, action: ServerAction<LinkCase>) -> impl IntoView {
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    view! {
        <h2>{t("links-title")}</h2>
        {if links.is_empty() {
            view! { <p class="empty">{t("links-none")}</p> }.into_any()
        } else {
            view! {
                <ul class="links" data-testid="links">
                    {links.into_iter().map(|link| {
                        let kind = if link.incoming && link.kind == crate::domain::LinkKind::DuplicateOf {
                            "duplicated_by"
                        } else {
                            link.kind.as_str()
                        };
                        view! {
                            <li>
                                {label("link", kind)}" "
                                <A href=format!("/cases/{}", link.other)>{format!("#{}", link.other)}</A>
                                " "{link.other_summary}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <ActionForm action attr:class="move-form">
            <input type="hidden" name="number" value=number.to_string()/>
            <label for="link-other">{t("link-related-label")}</label>
            <input id="link-other" name="other" size="8" inputmode="numeric" required/>
            <button type="submit" class="button small">{t("link-submit")}</button>
            <span class="error" role="alert">{error}</span>
        </ActionForm>
    }
}

/// "Mei is writing a public reply": who else is on this case now (support only).
#[component]
fn PresenceLine(
    number: Memo<i64>,
    live: super::live::Live,
    activity: RwSignal<crate::domain::people::Activity>,
    support: Signal<bool>,
) -> impl IntoView {
    use crate::domain::people::Present;
    let others = RwSignal::new(Vec::<Present>::new());
    // Report now, when what I do changes, when the stream says others changed, and every 10 s.
    let tick = RwSignal::new(0u64);
    #[cfg(feature = "hydrate")]
    {
        let interval = gloo_timers::callback::Interval::new(10_000, move || tick.try_update(|t| *t += 1).unwrap_or(()));
        let interval = send_wrapper::SendWrapper::new(interval);
        on_cleanup(move || drop(interval));
    }
    let changed_here = Memo::new(move |before: Option<&u64>| {
        let (case, count) = live.presence.get();
        if case == number.get() { count } else { before.copied().unwrap_or(0) }
    });
    Effect::new(move |_| {
        let n = number.get();
        let doing = activity.get();
        // `get`, not `track`: a memo nobody has read yet would never learn its sources.
        let _ = changed_here.get();
        tick.track();
        // Presence is support's business: customers neither report nor see it.
        if !support.get() {
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(list) = crate::api::cases::case_presence(n, doing).await {
                others.set(list);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (n, doing, others);
    });
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        if !support.get_untracked() {
            return;
        }
        let n = number.get_untracked();
        leptos::task::spawn_local(async move {
            let _ = crate::api::cases::case_presence(n, crate::domain::people::Activity::Left).await;
        });
    });
    let words = move || {
        others
            .get()
            .into_iter()
            .map(|p| t_args("presence-doing", &[("name", p.name), ("activity", label_now("presence", p.activity.as_str()))])())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! { <p class="presence" data-testid="presence" aria-live="polite">{words}</p> }
}

#[component]
fn CaseView(
    detail: CaseDetail,
    just_opened: bool,
    move_action: ServerAction<MoveCase>,
    assign_action: ServerAction<AssignCase>,
    link_action: ServerAction<LinkCase>,
) -> impl IntoView {
    let support = expect_context::<super::session::Session>()
        .user
        .get_untracked()
        .and_then(|u| u.ok().flatten())
        .is_some_and(|u| u.role.is_support());
    let CaseDetail { case, timeline, allowed_moves, clocks, links, reply_address, severities } = detail;
    // Why the present engineer has the case, when the automatic rule chose them.
    let assignment_reason = timeline.iter().rev().find_map(|e| match &e.change {
        CaseChange::Assigned { engineer_id, reason, .. } if *engineer_id == case.assignee_id => {
            Some(reason.as_ref().map(super::assignment::reason_words))
        }
        _ => None,
    }).flatten();
    let number = case.number.to_string();
    let title = t_args("case-title", &[("number", number.clone()), ("summary", case.summary.clone())]);
    // A plain string, not a signal: this view is rebuilt at every live update, and the
    // document title (kept by leptos_meta) must not point at a signal that is gone.
    let title_text = t_args("case-title", &[("number", number.clone()), ("summary", case.summary.clone())])();
    view! {
        <Title text=title_text/>
        <article class="case">
            {just_opened.then(|| view! {
                <div class="notice" role="status">
                    <p>{t_args("case-opened-notice", &[("number", number.clone())])}</p>
                    <p><A href=format!("/cases/new?keep={}", case.number.0)>{t("keep-report")}</A></p>
                </div>
            })}
            <h1>{title}</h1>
            <dl class="facts">
                <dt>{t("col-status")}</dt>
                <dd><span class=format!("status status-{}", case.status) data-testid="case-status">{label("status", case.status)}</span>
                    {case.waits_on_customer().then(|| view! { <span class="your-move">{t("your-move")}</span> })}
                </dd>
                <dt>{t("field-resolution")}</dt><dd>{label("resolution", case.resolution)}</dd>
                <dt>{t("col-severity")}</dt><dd>{label("severity", case.severity.level())}</dd>
                <dt>{t("field-kind")}</dt><dd>{label("kind", case.kind)}</dd>
                <dt>{t("field-environment")}</dt><dd>{label("environment", case.environment)}</dd>
                <dt>{t("case-organization")}</dt><dd>{case.organization_name.clone()}</dd>
                <dt>{t("case-reporter")}</dt><dd>{case.reporter.clone()}</dd>
                <dt>{t("case-opened-at")}</dt><dd><LocalTime at=case.opened_at/></dd>
                <dt>{t("case-visibility")}</dt><dd>{label("visibility", case.visibility)}</dd>
                {(!case.product.is_empty()).then(|| view! { <dt>{t("field-product")}</dt><dd>{case.product.clone()}</dd> })}
                {reply_address.map(|address| view! {
                    <dt>{t("case-reply-by-email")}</dt>
                    <dd><a href=format!("mailto:{address}") data-testid="reply-address">{address.clone()}</a></dd>
                })}
                <dt>{t("case-assignee")}</dt><dd><super::assignment::Assignee case=case.clone()/>
                    {assignment_reason.map(|reason| view! { <small class="reason" data-testid="assign-reason">{reason}</small> })}
                </dd>
            </dl>
            <h2>{t("sla-title")}</h2>
            <super::sla::ClockList clocks/>
            <h2>{t("case-description")}</h2>
            <div class="description">{case.description.clone()}</div>
            {(!case.details.is_empty()).then(|| view! {
                <h2>{t("case-details")}</h2>
                <DetailsList details=case.details.clone()/>
            })}
            {(!allowed_moves.is_empty() || support).then(|| view! {
                <h2>{t("case-actions")}</h2>
                {(!allowed_moves.is_empty()).then(|| view! {
                    <MoveForm case=case.clone() targets=allowed_moves.clone() action=move_action/>
                })}
                {support.then(|| view! { <super::assignment::AssignForm case=case.clone() action=assign_action/> })}
            })}
            <super::severity::SeverityForms case=case.clone() severities support/>
            {support.then(|| view! { <LinkedCases number=case.number.0 links action=link_action/> })}
            <h2>{t("timeline-title")}</h2>
            <ol class="timeline">
                {timeline.into_iter().map(|event| view! { <TimelineEntry event/> }).collect_view()}
            </ol>
        </article>
    }
}

#[component]
fn TimelineEntry(event: CaseEvent) -> impl IntoView {
    let actor = event.actor.clone();
    let change = event.change.clone();
    let text = move || {
        let actor = actor.clone().unwrap_or_else(|| t("someone")());
        match &change {
            CaseChange::Opened { .. } => t_args("event-opened", &[("actor", actor)])(),
            CaseChange::StatusChanged { from, to, resolution } => t_args(
                "event-status-changed",
                &[
                    ("actor", actor),
                    ("from", label_now("status", from)),
                    ("to", label_now("status", to)),
                    ("resolution", label_now("resolution", resolution)),
                ],
            )(),
            CaseChange::Reply { internal: true, .. } => t_args("event-internal-note", &[("actor", actor)])(),
            CaseChange::Reply { .. } => t_args("event-reply", &[("actor", actor)])(),
            CaseChange::Assigned { engineer: Some(engineer), reason: Some(reason), .. } => t_args(
                "event-assigned-auto",
                &[("engineer", engineer.clone()), ("reason", super::assignment::reason_words(reason))],
            )(),
            CaseChange::Assigned { engineer: Some(engineer), .. } => {
                t_args("event-assigned", &[("actor", actor), ("engineer", engineer.clone())])()
            }
            CaseChange::Assigned { engineer: None, .. } => t_args("event-unassigned", &[("actor", actor)])(),
            CaseChange::Linked { kind, other } => t_args(
                "event-linked",
                &[("actor", actor), ("other", other.to_string()), ("kind", label_now("link", kind.as_str()))],
            )(),
            CaseChange::SlaWarning { clock } => {
                t_args("event-sla-warning", &[("clock", label_now("sla", super::sla::kind_id(*clock)))])()
            }
            CaseChange::SlaBreached { clock } => {
                t_args("event-sla-breached", &[("clock", label_now("sla", super::sla::kind_id(*clock)))])()
            }
            CaseChange::Attached { .. } => t_args("event-attached", &[("actor", actor)])(),
            CaseChange::SeverityChanged { from, to } => t_args(
                "event-severity-changed",
                &[("actor", actor), ("from", label_now("severity", from.level())), ("to", label_now("severity", to.level()))],
            )(),
            CaseChange::SeverityRaiseRequested { to, .. } => t_args(
                "event-severity-raise-requested",
                &[("actor", actor), ("to", label_now("severity", to.level()))],
            )(),
        }
    };
    let attachment = match &event.change {
        CaseChange::Attached { attachment_id, file_name, size, .. } => Some((
            format!("/api/v1/cases/{}/attachments/{attachment_id}", event.case.0),
            format!("{file_name} ({} KiB)", (size + 1023) / 1024),
        )),
        _ => None,
    };
    let (class, body) = match &event.change {
        CaseChange::Reply { body, internal: true, .. } => ("internal-note", Some(body.clone())),
        CaseChange::Reply { body, .. } => ("reply", Some(body.clone())),
        CaseChange::SeverityRaiseRequested { reason, .. } => ("raise-request", Some(reason.clone())),
        _ => ("", None),
    };
    view! {
        <li class=class>
            <LocalTime at=event.at/>
            " "
            <span>{text}</span>
            {body.map(|body| view! { <div class="message">{body}</div> })}
            {attachment.map(|(href, name)| view! { <a class="attachment" href=href download="">{name}</a> })}
        </li>
    }
}

/// Reply to the case; support may instead write an internal note, which customers never see.
/// The collision check: the version seen when the draft began goes with the reply; if the
/// case changed since, the server holds a public reply back, the form shows what changed
/// and asks to confirm.
#[component]
fn ReplyForm(
    number: Memo<i64>,
    detail: RwSignal<Option<CaseDetail>>,
    support: Signal<bool>,
    action: ServerAction<ReplyToCase>,
    activity: RwSignal<crate::domain::people::Activity>,
) -> impl IntoView {
    use crate::domain::people::Activity;
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    // The case as it was when the draft began: its version and its newest log entry.
    let draft_began = RwSignal::new(None::<(i64, i64)>);
    let current = move || {
        detail.with(|d| d.as_ref().map(|d| (d.case.version, d.timeline.last().map(|e| e.id).unwrap_or(0))))
    };
    let collision = move || matches!(action.value().get(), Some(Err(AppError::Conflict { .. })));
    let changes_since = move || {
        let (_, since) = draft_began.get()?;
        let timeline = detail.get()?.timeline;
        Some(timeline.into_iter().filter(|e| e.id > since).collect::<Vec<_>>())
    };
    let error = move || {
        action.value().get().and_then(|r| r.err()).map(|e| error_text(&e))
    };
    // Sent: the form starts blank again, nothing to resend, no "internal" left ticked.
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            body.set(String::new());
            internal.set(false);
            draft_began.set(None);
            activity.set(Activity::Viewing);
        }
    });
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        if draft_began.get_untracked().is_none() && !text.trim().is_empty() {
            draft_began.set(current());
        }
        body.set(text);
        let doing = if body.with_untracked(|b| b.trim().is_empty()) {
            Activity::Viewing
        } else if internal.get_untracked() {
            Activity::WritingNote
        } else {
            Activity::WritingReply
        };
        if activity.get_untracked() != doing {
            activity.set(doing);
        }
    };
    view! {
        <ActionForm action attr:class="stack reply-form">
            <input type="hidden" name="number" prop:value=move || number.get().to_string()/>
            <input type="hidden" name="seen_version"
                prop:value=move || draft_began.get().or_else(current).map(|(v, _)| v.to_string()).unwrap_or_default()/>
            <label for="reply-body">{t("reply-label")}</label>
            <textarea id="reply-body" name="body" rows="4" required prop:value=move || body.get() on:input=on_input></textarea>
            <label class="check" hidden=move || !support.get()>
                <input type="checkbox" name="internal" value="true" prop:checked=move || internal.get()
                    on:change=move |ev| {
                        internal.set(event_target_checked(&ev));
                        if activity.get_untracked() != crate::domain::people::Activity::Viewing {
                            activity.set(if internal.get_untracked() {
                                crate::domain::people::Activity::WritingNote
                            } else {
                                crate::domain::people::Activity::WritingReply
                            });
                        }
                    }/>
                " "{t("reply-internal")}
            </label>
            <Show when=collision>
                <div class="collision" role="alert" data-testid="collision">
                    <p>{t("reply-collision")}</p>
                    <ol class="timeline">
                        {move || changes_since().unwrap_or_default().into_iter().map(|event| view! { <TimelineEntry event/> }).collect_view()}
                    </ol>
                    <label class="check">
                        <input type="checkbox" name="confirmed" value="true"/>" "{t("reply-confirm")}
                    </label>
                </div>
            </Show>
            <p class="error" role="alert">{move || (!collision()).then(error).flatten()}</p>
            // A note and a reply are sent by visibly different buttons.
            <button type="submit" class="button" class:note=move || internal.get()>
                {move || if internal.get() { t("reply-submit-note")() } else { t("reply-submit")() }}
            </button>
        </ActionForm>
    }
}
