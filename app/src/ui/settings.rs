//! The person's own settings: which emails they get. Each switch saves at once; the list
//! shows what the server kept.

use leptos::prelude::*;
use leptos_meta::Title;

use super::i18n::{label, move_tr_static, t};
use super::error_view::error_view;
use crate::api::notifications::notification_preferences;
use crate::domain::NotificationKind;

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let save = ServerAction::<SetNotificationPreferenceAction>::new();
    let preferences = Resource::new(move || save.version().get(), |_| notification_preferences());
    view! {
        <Title text=move_tr_static("settings-notifications-title")/>
        <h1>{t("settings-notifications-title")}</h1>
        <p>{t("settings-notifications-lead")}</p>
        <Transition fallback=|| ()>
            {move || preferences.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(list) => view! {
                    <fieldset class="preferences">
                        <legend>{t("settings-notifications-legend")}</legend>
                        {list.into_iter().map(|(kind, enabled)| view! { <PreferenceSwitch kind enabled save/> }).collect_view()}
                    </fieldset>
                }.into_any(),
            })}
        </Transition>
        <p role="status" class="saved">
            {move || match save.value().get() {
                Some(Ok(_)) => t("settings-saved")(),
                _ => String::new(),
            }}
        </p>
        {move || save.value().get().and_then(Result::err).map(error_view)}
    }
}

type SetNotificationPreferenceAction = crate::api::notifications::SetNotificationPreference;

#[component]
fn PreferenceSwitch(kind: NotificationKind, enabled: bool, save: ServerAction<SetNotificationPreferenceAction>) -> impl IntoView {
    let id = format!("notify-{}", kind.as_str());
    let for_id = id.clone();
    view! {
        <label class="switch" for=for_id>
            <input
                type="checkbox"
                id=id
                name=kind.as_str()
                prop:checked=enabled
                on:change=move |ev| {
                    let enabled = event_target_checked(&ev);
                    save.dispatch(SetNotificationPreferenceAction { kind: kind.as_str().to_owned(), enabled });
                }
            />
            " "
            <span>{label("notify", kind.as_str())}</span>
        </label>
    }
}
