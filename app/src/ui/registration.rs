//! Asking for an account: `/register` (the form; afterwards the same message whatever
//! happened) and `/register/verify/:token` (the emailed link: one button confirms the
//! request, so a mail program opening links ahead does not).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::i18n::{error_text, move_tr_static, t};
use crate::api::registration::{RequestRegistration, VerifyRegistration};
use crate::error::AppError;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<RequestRegistration>::new();
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=move_tr_static("register-title")/>
        <section class="narrow card">
            <h1>{t("register-title")}</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p>{t("register-lead")}</p>
                    <ActionForm action=action attr:class="stack">
                        <label for="register-email">{t("register-email")}</label>
                        <input id="register-email" type="email" name="email" autocomplete="email" required/>
                        <label for="register-name">{t("register-name")}</label>
                        <input id="register-name" type="text" name="name" autocomplete="name" maxlength="200" required/>
                        <label for="register-organization">{t("register-organization")}</label>
                        <input id="register-organization" type="text" name="organization_name"
                            autocomplete="organization" maxlength="200" required/>
                        <label for="register-message">{t("register-message")}</label>
                        <textarea id="register-message" name="message" rows="4" maxlength="4000"
                            aria-describedby="register-message-hint"></textarea>
                        <small id="register-message-hint">{t("register-message-hint")}</small>
                        <p class="error" role="alert">{error}</p>
                        <button type="submit" class="button" disabled=move || action.pending().get()>
                            {t("register-submit")}
                        </button>
                    </ActionForm>
                }
            >
                <p role="status" class="notice">{t("register-sent")}</p>
            </Show>
            <p><A href="/sign-in">{t("register-back")}</A></p>
        </section>
    }
}

#[component]
pub fn RegisterVerifyPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let verify = ServerAction::<VerifyRegistration>::new();
    let done = move || matches!(verify.value().get(), Some(Ok(())));
    let error = move || match verify.value().get() {
        Some(Err(AppError::Invalid { field, .. })) if field == "token" => Some(t("register-verify-invalid")()),
        Some(Err(e)) => Some(error_text(&e)),
        _ => None,
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        verify.dispatch(VerifyRegistration { token: token() });
    };
    view! {
        <Title text=move_tr_static("register-verify-title")/>
        <section class="narrow card">
            <h1>{t("register-verify-title")}</h1>
            <Show
                when=done
                fallback=move || view! {
                    <p>{t("register-verify-lead")}</p>
                    <form class="stack" on:submit=on_submit>
                        <p class="error" role="alert">{error}</p>
                        <button type="submit" class="button" disabled=move || verify.pending().get()>
                            {t("register-verify-submit")}
                        </button>
                    </form>
                    <p><A href="/register">{t("register-again")}</A></p>
                }
            >
                <p role="status" class="notice">{t("register-verify-done")}</p>
            </Show>
        </section>
    }
}
