//! The queues beside the board: the reader's saved views and the team's shared ones, each
//! a link to the board with its filter and its count (read again a few seconds after live
//! changes), and "Save as queue" for the board's current filter.

use leptos::prelude::*;

use crate::api::views::{SaveQueue, board_queues};
use crate::domain::{BoardFilter, SavedView};
use crate::error::{AppError, InvalidReason};
use crate::ui::i18n::{error_text, t, t_args};
use crate::ui::live::Live;

/// Counts are read again at most this often while the live stream reports changes.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const RECOUNT_AFTER_MS: u32 = 3_000;

/// A queue's count in words: "10,000+" (in the reader's language) when the count stopped.
fn count_text(view: &SavedView) -> String {
    if view.count.more { t("queue-count-more")() } else { view.count.n.to_string() }
}

/// Why a queue could not be saved, in the reader's language.
fn save_error(error: &AppError) -> String {
    match error {
        AppError::Invalid { field, reason } if field == "name" => match reason {
            InvalidReason::Required => t("queue-name-required")(),
            InvalidReason::TooLong { max } => t_args("queue-name-too-long", &[("max", max.to_string())])(),
            InvalidReason::NotAllowed => t("queue-name-taken")(),
            _ => error_text(error),
        },
        _ => error_text(error),
    }
}

#[component]
pub(super) fn Queues(filter: Memo<BoardFilter>, live: Live) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let current = Memo::new(move |_| query.read().get("queue").and_then(|q| q.parse::<i64>().ok()));
    let version = RwSignal::new(0u64);
    let queues = Resource::new(move || version.get(), |_| board_queues());
    // Live changes move counts: read them again, at most once every few seconds.
    let recounting = RwSignal::new(false);
    Effect::new(move |seen: Option<()>| {
        live.last.track();
        if seen.is_none() || recounting.get_untracked() {
            return;
        }
        recounting.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(RECOUNT_AFTER_MS).await;
            version.update(|v| *v += 1);
            recounting.set(false);
        });
    });
    let save = ServerAction::<SaveQueue>::new();
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(view)) => {
            saved.set(Some(t_args("queue-saved", &[("name", view.name.clone())])()));
            name.set(String::new());
            version.update(|v| *v += 1);
        }
        Some(Err(_)) => saved.set(None),
        None => {}
    });
    let failure = move || save.value().get().and_then(|r| r.err()).map(|e| save_error(&e));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (severity, organization, plan, assignee, statuses, stale_hours) =
            super::patch::filter_args(&filter.get_untracked());
        save.dispatch(SaveQueue {
            name: name.get_untracked(),
            shared: shared.get_untracked(),
            severity,
            organization,
            plan,
            assignee,
            statuses,
            stale_hours,
        });
    };
    view! {
        <nav class="queues" aria-labelledby="queues-title">
            <h2 id="queues-title">{t("queues-title")}</h2>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || queues.get().map(|result| match result {
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok(views) if views.is_empty() => view! { <p class="queues-empty">{t("queues-empty")}</p> }.into_any(),
                    Ok(views) => view! {
                        <ul class="queue-list">
                            {views.into_iter().map(|view| {
                                let id = view.id;
                                let here = move || (current.get() == Some(id)).then_some("page");
                                let count = count_text(&view);
                                view! {
                                    <li>
                                        <a href=format!("/board?{}", view.board_query) aria-current=here data-queue=id>
                                            <span class="queue-name">{view.name.clone()}</span>
                                            " "
                                            <span class="count">{count}" "<span class="visually-hidden">{t("queue-open-cases")}</span></span>
                                        </a>
                                        {view.shared.then(|| view! { " " <span class="tag">{t("queue-shared")}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
            <details class="save-queue">
                <summary>{t("queue-save")}</summary>
                <form on:submit=on_submit>
                    <label for="queue-name">{t("queue-name")}</label>
                    <input id="queue-name" name="name" type="text" maxlength="80" required
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <label class="check">
                        <input type="checkbox" name="shared" prop:checked=move || shared.get()
                            on:change=move |ev| shared.set(event_target_checked(&ev))/>
                        {t("queue-share")}
                    </label>
                    <button type="submit" class="button small" disabled=move || save.pending().get()>{t("queue-save-submit")}</button>
                </form>
                <div aria-live="polite">
                    {move || failure().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    {move || saved.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
                </div>
            </details>
        </nav>
    }
}
