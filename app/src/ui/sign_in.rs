//! The sign-in page. The form posts to the `sign_in` server function, with or without WASM.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::i18n::{error_text, move_tr_static, t};
use super::session::Session;

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let action = session.sign_in;
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    view! {
        <Title text=move_tr_static("sign-in-title")/>
        <section class="narrow card">
            <h1>{t("sign-in-title")}</h1>
            <ActionForm action=action attr:class="stack">
                <label for="email">{t("sign-in-email")}</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
                <label for="password">{t("sign-in-password")}</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
                <p class="error" role="alert">{error}</p>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t("sign-in-pending")() } else { t("sign-in-submit")() }}
                </button>
            </ActionForm>
            <p><A href="/password-reset">{t("sign-in-forgot")}</A></p>
            <p><A href="/register">{t("sign-in-register")}</A></p>
        </section>
    }
}
