//! A case's page: its facts, SLA clocks, description and details, the actions this person
//! may take, and its timeline; live, with the reply form outside what re-renders.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::links::LinkedCases;
use super::presence::PresenceLine;
use super::reply::ReplyForm;
use super::timeline::TimelineEntry;
use super::verdict::VerdictForm;
use crate::api::cases::{AssignCase, CaseDetail, LinkCase, MoveCase, ReplyToCase, read_case};
use crate::api::hours::LogCaseTime;
use crate::api::verdict::GiveVerdict;
use crate::domain::CaseChange;
use crate::ui::assignment::{AssignForm, Assignee, reason_words};
use crate::ui::case_details::DetailsList;
use crate::ui::error_view::error_view;
use crate::ui::hours::TimeForm;
use crate::ui::i18n::{label, status_label_now, t, t_args};
use crate::ui::live::{LiveIndicator, use_live};
use crate::ui::local_time::LocalTime;
use crate::ui::move_form::MoveForm;
use crate::ui::session::Session;
use crate::ui::severity::SeverityForms;
use crate::ui::promises::{PlanPromises, coverage_words, severity_name};
use crate::ui::sla::ClockList;

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let move_action = ServerAction::<MoveCase>::new();
    let reply_action = ServerAction::<ReplyToCase>::new();
    let assign_action = ServerAction::<AssignCase>::new();
    let link_action = ServerAction::<LinkCase>::new();
    let verdict_action = ServerAction::<GiveVerdict>::new();
    let time_action = ServerAction::<LogCaseTime>::new();
    let number = Memo::new(move |_| params.read().get("number").and_then(|n| n.parse::<i64>().ok()).unwrap_or(0));
    // The page is live: any change to this case (by anyone) reads it again. The reply
    // form sits outside the part that re-renders, so a draft is never lost to an update.
    let live = use_live(None);
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
            let actions = (
                move_action.version().get(),
                reply_action.version().get(),
                assign_action.version().get(),
                link_action.version().get(),
                verdict_action.version().get(),
                time_action.version().get(),
            );
            (number.get(), actions, refresh.get())
        },
        |(n, ..)| read_case(n),
    );
    let just_opened = move || query.read().get("opened").is_some();
    let session = expect_context::<Session>();
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
                Ok(detail) => view! { <CaseView detail just_opened=just_opened() move_action assign_action link_action verdict_action/> }.into_any(),
            })}
        </Transition>
        <p class="live-notice" aria-live="polite">
            <LiveIndicator live/>" "
            {move || updated_notice.get().then(|| t("case-updated-live")())}
        </p>
        // Rendered alike on the server and in the browser (hydration), shown once the case is.
        <div class="case-follow-up" hidden=move || !loaded.get()>
            <PresenceLine number live activity support=support.into()/>
            <ReplyForm number detail=shown support=support.into() action=reply_action activity/>
            // Support's time form, outside what re-renders (a typed entry survives live updates).
            {move || support.get().then(|| view! { <TimeForm number=number.get() action=time_action/> })}
        </div>
    }
}

#[component]
fn CaseView(
    detail: CaseDetail,
    just_opened: bool,
    move_action: ServerAction<MoveCase>,
    assign_action: ServerAction<AssignCase>,
    link_action: ServerAction<LinkCase>,
    verdict_action: ServerAction<GiveVerdict>,
) -> impl IntoView {
    let support = expect_context::<Session>()
        .user
        .get_untracked()
        .and_then(|u| u.ok().flatten())
        .is_some_and(|u| u.role.is_support());
    let CaseDetail { case, timeline, allowed_moves, clocks, links, reply_address, severities, contract } = detail;
    // The severity in the plan's own words ("Critical", "P1"), as the customer chose it.
    let severity_words = severity_name(contract.as_ref().map(|c| c.plan_at(case.opened_at)), case.severity);
    let coverage = contract.as_ref().map(|c| coverage_words(c.calendar()));
    // Why the present engineer has the case, when the automatic rule chose them.
    let assignment_reason = timeline
        .iter()
        .rev()
        .find_map(|e| match &e.change {
            CaseChange::Assigned { engineer_id, reason, .. } if *engineer_id == case.assignee_id => {
                Some(reason.as_ref().map(reason_words))
            }
            _ => None,
        })
        .flatten();
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
                <dd><span class=format!("status status-{}", case.status) data-testid="case-status">{status_label_now(case.status, !support)}</span>
                    {case.waits_on_customer().then(|| view! { <span class="your-move">{t("your-move")}</span> })}
                </dd>
                {(case.resolution != crate::domain::Resolution::Open).then(|| view! {
                    <dt>{t("field-resolution")}</dt><dd>{label("resolution", case.resolution)}</dd>
                })}
                <dt>{t("col-severity")}</dt><dd data-testid="case-severity">{severity_words}</dd>
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
                <dt>{t("case-assignee")}</dt><dd><Assignee case=case.clone()/>
                    {assignment_reason.map(|reason| view! { <small class="reason" data-testid="assign-reason">{reason}</small> })}
                </dd>
            </dl>
            <h2>{t("sla-title")}</h2>
            {contract.map(|contract| view! { <PlanPromises contract severity=case.severity from=case.opened_at/> })}
            <ClockList clocks from=case.opened_at coverage/>
            <h2>{t("case-description")}</h2>
            <div class="description">{case.description.clone()}</div>
            {(!case.details.is_empty()).then(|| view! {
                <h2>{t("case-details")}</h2>
                <DetailsList details=case.details.clone()/>
            })}
            // Support moves the case with the status menu; a customer gets the two verdicts
            // on a case support has finished, and no menu.
            {support.then(|| view! {
                <h2>{t("case-actions")}</h2>
                {(!allowed_moves.is_empty()).then(|| view! {
                    <MoveForm case=case.clone() targets=allowed_moves.clone() action=move_action/>
                })}
                <AssignForm case=case.clone() action=assign_action/>
            })}
            {(!support && !crate::domain::Verdict::offered(case.status).is_empty()).then(|| view! {
                <VerdictForm case=case.clone() action=verdict_action/>
            })}
            <SeverityForms case=case.clone() severities support/>
            {support.then(|| view! { <LinkedCases number=case.number.0 links action=link_action/> })}
            <h2>{t("timeline-title")}</h2>
            <ol class="timeline">
                {timeline.into_iter().map(|event| view! { <TimelineEntry event support/> }).collect_view()}
            </ol>
        </article>
    }
}
