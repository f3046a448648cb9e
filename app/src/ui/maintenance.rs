//! `/status/maintenance`: the upcoming maintenance (next five occurrences, for everyone
//! signed in, in the reader's time zone) and, for support, the form that plans a window and
//! shows its next occurrences. Calendars subscribe to `/status/maintenance.ics`.

use leptos::prelude::*;
use leptos_meta::Title;

use super::admin::field_error::{FieldError, FormError, invalid};
use super::error_view::error_view;
use super::i18n::{move_tr_static, t, t_args};
use super::local_time::{LocalTime, reader_zone_name};
use crate::api::maintenance::{PlanMaintenance, maintenance_ahead};
use crate::domain::maintenance::UpcomingMaintenance;
use crate::error::AppError;

const FIELDS: &[&str] = &["title", "components", "time_zone", "start", "duration_minutes", "rrule"];

#[component]
pub fn MaintenancePage() -> impl IntoView {
    let session = expect_context::<super::session::Session>();
    let is_support = move || session.user.get().and_then(Result::ok).flatten().is_some_and(|u| u.role.is_support());
    let plan = ServerAction::<PlanMaintenance>::new();
    let upcoming = Resource::new(move || plan.version().get(), |_| maintenance_ahead(None));
    view! {
        <Title text=move_tr_static("maintenance-title")/>
        <h1>{t("maintenance-title")}</h1>
        <section aria-labelledby="maintenance-upcoming">
            <h2 id="maintenance-upcoming">{t("maintenance-upcoming")}</h2>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || upcoming.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(list) => occurrence_list(list, "maintenance-upcoming-list"),
                })}
            </Transition>
            <p>
                <a href="/status/maintenance.ics" data-testid="maintenance-ics">{t("maintenance-subscribe")}</a>
            </p>
        </section>
        <Show when=is_support fallback=|| ()>
            <PlanForm plan=plan/>
        </Show>
    }
}

fn occurrence_list(list: Vec<UpcomingMaintenance>, testid: &'static str) -> AnyView {
    if list.is_empty() {
        return view! { <p data-testid=testid>{t("maintenance-none")}</p> }.into_any();
    }
    view! {
        <ul class="maintenance-occurrences" data-testid=testid>
            {list.into_iter().map(|occurrence| {
                let start = occurrence.start.parse::<jiff::Timestamp>().ok();
                let end = occurrence.end.parse::<jiff::Timestamp>().ok();
                view! {
                    <li>
                        <strong>{occurrence.title}</strong>" "
                        {start.map(|at| view! { <LocalTime at=at/> })}
                        " – "
                        {end.map(|at| view! { <LocalTime at=at/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Support plans a window; once kept, its next occurrences are shown below the form.
#[component]
fn PlanForm(plan: ServerAction<PlanMaintenance>) -> impl IntoView {
    let error: Signal<Option<AppError>> = Signal::derive(move || plan.value().get().and_then(|r| r.err()));
    let planned = move || plan.value().get().and_then(|r| r.ok());
    let next = Resource::new(
        move || planned().map(|w| w.id),
        |id| async move {
            match id {
                Some(id) => maintenance_ahead(Some(id)).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // The reader's zone, once the page runs in the browser (the server knows none).
    let zone = RwSignal::new(String::from("UTC"));
    Effect::new(move |_| zone.set(reader_zone_name()));
    view! {
        <section aria-labelledby="maintenance-plan">
            <h2 id="maintenance-plan">{t("maintenance-plan")}</h2>
            <ActionForm action=plan attr:class="stack">
                <label for="maintenance-title-input">{t("maintenance-field-title")}</label>
                <input id="maintenance-title-input" type="text" name="title" maxlength="200" required
                    aria-invalid=invalid(error, "title") aria-describedby="maintenance-title-error"/>
                <FieldError id="maintenance-title-error" field="title" error=error/>
                <label for="maintenance-components">{t("maintenance-field-components")}</label>
                <input id="maintenance-components" type="text" name="components" inputmode="numeric"
                    aria-invalid=invalid(error, "components") aria-describedby="maintenance-components-hint maintenance-components-error"/>
                <small id="maintenance-components-hint">{t("maintenance-components-hint")}</small>
                <FieldError id="maintenance-components-error" field="components" error=error/>
                <label for="maintenance-zone">{t("maintenance-field-time-zone")}</label>
                <input id="maintenance-zone" type="text" name="time_zone" required prop:value=move || zone.get()
                    aria-invalid=invalid(error, "time_zone") aria-describedby="maintenance-zone-error"/>
                <FieldError id="maintenance-zone-error" field="time_zone" error=error/>
                <label for="maintenance-start">{t("maintenance-field-start")}</label>
                <input id="maintenance-start" type="datetime-local" name="start" required
                    aria-invalid=invalid(error, "start") aria-describedby="maintenance-start-error"/>
                <FieldError id="maintenance-start-error" field="start" error=error/>
                <label for="maintenance-duration">{t("maintenance-field-duration")}</label>
                <input id="maintenance-duration" type="number" name="duration_minutes" min="1" max="10080" required
                    aria-invalid=invalid(error, "duration_minutes") aria-describedby="maintenance-duration-error"/>
                <FieldError id="maintenance-duration-error" field="duration_minutes" error=error/>
                <label for="maintenance-rrule">{t("maintenance-field-rrule")}</label>
                <input id="maintenance-rrule" type="text" name="rrule" maxlength="300" spellcheck="false"
                    aria-invalid=invalid(error, "rrule") aria-describedby="maintenance-rrule-hint maintenance-rrule-error"/>
                <small id="maintenance-rrule-hint">{t("maintenance-rrule-hint")}</small>
                <FieldError id="maintenance-rrule-error" field="rrule" error=error/>
                <FormError error=error shown=FIELDS/>
                <button type="submit" class="button" disabled=move || plan.pending().get()>
                    {t("maintenance-submit")}
                </button>
            </ActionForm>
            {move || planned().map(|window| {
                view! {
                    <p role="status" class="notice">
                        {t_args("maintenance-planned", &[("title", window.title.clone())])}
                    </p>
                }
            })}
            <Transition fallback=|| ()>
                {move || next.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(None) => ().into_any(),
                    Ok(Some(list)) => view! {
                        <h3>{t("maintenance-next")}</h3>
                        {occurrence_list(list, "maintenance-next-list")}
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
