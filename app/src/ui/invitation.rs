//! Where an invitation link leads: the invited person chooses their password and is signed in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::i18n::{error_text, move_tr_static, t};
use crate::api::accounts::AcceptInvitation;
use crate::error::AppError;

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let accept = ServerAction::<AcceptInvitation>::new();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    // Signed in: a full load of the portal, so every part of the page knows who it is.
    Effect::new(move |_| {
        if matches!(accept.value().get(), Some(Ok(()))) {
            #[cfg(feature = "hydrate")]
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign("/cases");
            }
        }
    });
    let error = move || match accept.value().get() {
        Some(Err(AppError::Invalid { field, .. })) if field == "invitation" => Some(t("invitation-invalid")()),
        Some(Err(e)) => Some(error_text(&e)),
        _ => None,
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != again.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        accept.dispatch(AcceptInvitation { token: token(), password: password.get_untracked() });
    };
    view! {
        <Title text=move_tr_static("invitation-title")/>
        <section class="narrow card">
            <h1>{t("invitation-title")}</h1>
            <p>{t("invitation-lead")}</p>
            <form class="stack" on:submit=on_submit>
                <label for="new-password">{t("invitation-password")}</label>
                <input id="new-password" type="password" autocomplete="new-password" required aria-describedby="new-password-hint"
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                <small id="new-password-hint">{t("invitation-password-hint")}</small>
                <label for="new-password-again">{t("invitation-password-again")}</label>
                <input id="new-password-again" type="password" autocomplete="new-password" required
                    prop:value=again on:input=move |ev| again.set(event_target_value(&ev))/>
                <p class="error" role="alert">
                    {move || if mismatch.get() { Some(t("invitation-mismatch")()) } else { error() }}
                </p>
                <button type="submit" class="button" disabled=move || accept.pending().get()>{t("invitation-submit")}</button>
            </form>
        </section>
    }
}
