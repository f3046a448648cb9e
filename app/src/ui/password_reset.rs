//! Password reset pages: `/password-reset` asks for the email (and always answers that a link
//! was sent if an account exists), `/password-reset/:token` (the emailed link) chooses a
//! new password twice, then the person signs in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::i18n::{error_text, move_tr_static, t};
use crate::api::accounts::{RequestPasswordReset, ResetPassword};
use crate::error::AppError;

#[component]
pub fn PasswordResetRequestPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=move_tr_static("password-reset-title")/>
        <section class="narrow card">
            <h1>{t("password-reset-title")}</h1>
            <p>{t("password-reset-lead")}</p>
            <ActionForm action=action attr:class="stack">
                <label for="reset-email">{t("password-reset-email")}</label>
                <input id="reset-email" type="email" name="email" autocomplete="username" required/>
                <p class="error" role="alert">{error}</p>
                <p role="status">{move || sent().then(|| t("password-reset-sent")())}</p>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {t("password-reset-submit")}
                </button>
            </ActionForm>
            <p><A href="/sign-in">{t("password-reset-back")}</A></p>
        </section>
    }
}

#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let reset = ServerAction::<ResetPassword>::new();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    let done = move || matches!(reset.value().get(), Some(Ok(())));
    let error = move || match reset.value().get() {
        Some(Err(AppError::Invalid { field, .. })) if field == "token" => Some(t("password-reset-invalid")()),
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
        reset.dispatch(ResetPassword { token: token(), password: password.get_untracked() });
    };
    view! {
        <Title text=move_tr_static("password-reset-choose-title")/>
        <section class="narrow card">
            <h1>{t("password-reset-choose-title")}</h1>
            <Show
                when=done
                fallback=move || view! {
                    <form class="stack" on:submit=on_submit>
                        <label for="new-password">{t("password-reset-password")}</label>
                        <input id="new-password" type="password" autocomplete="new-password" required
                            aria-describedby="new-password-hint"
                            prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                        <small id="new-password-hint">{t("password-reset-password-hint")}</small>
                        <label for="new-password-again">{t("password-reset-password-again")}</label>
                        <input id="new-password-again" type="password" autocomplete="new-password" required
                            prop:value=again on:input=move |ev| again.set(event_target_value(&ev))/>
                        <p class="error" role="alert">
                            {move || if mismatch.get() { Some(t("password-reset-mismatch")()) } else { error() }}
                        </p>
                        <button type="submit" class="button" disabled=move || reset.pending().get()>
                            {t("password-reset-choose-submit")}
                        </button>
                    </form>
                    <p><A href="/password-reset">{t("password-reset-new-link")}</A></p>
                }
            >
                <p role="status">{t("password-reset-done")}</p>
                <p><A href="/sign-in" attr:class="button">{t("nav-sign-in")}</A></p>
            </Show>
        </section>
    }
}
