//! The person's own settings: which emails they get, one labelled row per kind, grouped.
//! Each switch saves at once and says so (or why not); the list shows what the server kept.

use leptos::prelude::*;
use leptos_meta::Title;

use super::error_view::error_view;
use super::i18n::{error_text, label, label_now, move_tr_static, t, t_args};
use crate::api::notifications::notification_preferences;
use crate::domain::{NotificationGroup, NotificationKind};
use crate::error::AppError;

type SetNotificationPreferenceAction = crate::api::notifications::SetNotificationPreference;

/// What the last switch did: saved (which kind, on or off), or refused.
#[derive(Clone)]
enum Outcome {
    Saved(NotificationKind, bool),
    Refused(AppError),
}

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let save = ServerAction::<SetNotificationPreferenceAction>::new();
    // Read again only after a refusal (to undo the switch on screen): a saved switch already
    // shows what the server kept, and the keyboard focus stays where it was.
    let refusals = RwSignal::new(0u32);
    let preferences = Resource::new(move || refusals.get(), |_| notification_preferences());
    let outcome = RwSignal::new(None::<Outcome>);
    // The switch being saved: its outcome is told when the answer comes.
    let saving = RwSignal::new(None::<(NotificationKind, bool)>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => outcome.set(saving.get_untracked().map(|(kind, on)| Outcome::Saved(kind, on))),
        Some(Err(e)) => {
            outcome.set(Some(Outcome::Refused(e)));
            refusals.update(|n| *n += 1);
        }
        None => {}
    });
    let change = move |kind: NotificationKind, enabled: bool| {
        // The earlier "Saved" goes at once: what shows is about this change.
        outcome.set(None);
        saving.set(Some((kind, enabled)));
        save.dispatch(SetNotificationPreferenceAction { kind: kind.as_str().to_owned(), enabled });
    };
    view! {
        <Title text=move_tr_static("settings-notifications-title")/>
        <h1>{t("settings-notifications-title")}</h1>
        <p class="lead">{t("settings-notifications-lead")}</p>
        <Transition fallback=|| ()>
            {move || preferences.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(list) => NotificationGroup::ALL
                    .iter()
                    .filter_map(|&group| {
                        let rows: Vec<(NotificationKind, bool)> =
                            list.iter().copied().filter(|(kind, _)| kind.group() == group).collect();
                        (!rows.is_empty()).then(|| view! {
                            <fieldset class="preferences" data-group=group.as_str() aria-busy=move || save.pending().get().to_string()>
                                <legend>{label("settings-group", group.as_str())}</legend>
                                {rows.into_iter().map(|(kind, enabled)| view! { <PreferenceRow kind enabled change/> }).collect_view()}
                            </fieldset>
                        })
                    })
                    .collect_view()
                    .into_any(),
            })}
        </Transition>
        <p role="status" class="saved" data-testid="settings-saved">
            {move || match outcome.get() {
                Some(Outcome::Saved(kind, on)) => {
                    let id = if on { "settings-saved-on" } else { "settings-saved-off" };
                    t_args(id, &[("what", label_now("notify", kind.as_str()))])()
                }
                _ => String::new(),
            }}
        </p>
        <p role="alert" class="error">
            {move || match outcome.get() {
                Some(Outcome::Refused(e)) => error_text(&e),
                _ => String::new(),
            }}
        </p>
    }
}

/// One setting: the switch, what it is (its label) and, below, a short hint.
#[component]
fn PreferenceRow(
    kind: NotificationKind,
    enabled: bool,
    change: impl Fn(NotificationKind, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = format!("notify-{}", kind.as_str());
    let hint = format!("{id}-hint");
    view! {
        <div class="preference">
            <input
                type="checkbox"
                id=id.clone()
                name=kind.as_str()
                aria-describedby=hint.clone()
                prop:checked=enabled
                on:change=move |ev| change(kind, event_target_checked(&ev))
            />
            <label for=id>{label("notify", kind.as_str())}</label>
            <small id=hint>{label("notify-hint", kind.as_str())}</small>
        </div>
    }
}
