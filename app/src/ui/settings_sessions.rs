//! Where the person is signed in, and their API tokens (on `/settings`): each listed with
//! when it began and was last used, this browser's session marked; one ended at a time, or
//! every other session at once.

use leptos::prelude::*;

use super::error_view::error_view;
use super::i18n::{error_text, t};
use super::local_time::LocalTime;
use crate::api::settings::{
    EndAccountSession, EndOtherSessions, RevokeAccountApiToken, account_api_tokens, account_sessions,
};
use crate::domain::account::{ApiTokenSummary, SessionSummary};

/// An instant as the server wrote it, shown in the reader's zone (or "not recorded").
fn when(text: Option<String>, unknown: &'static str) -> AnyView {
    match text.and_then(|t| t.parse::<jiff::Timestamp>().ok()) {
        Some(at) => view! { <LocalTime at/> }.into_any(),
        None => view! { <span>{t(unknown)}</span> }.into_any(),
    }
}

/// The person's browser sessions. `refresh` changes when something else ended some (a
/// password change).
#[component]
pub fn SessionsSection(refresh: Signal<usize>) -> impl IntoView {
    let end_one = ServerAction::<EndAccountSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let sessions = Resource::new(
        move || (refresh.get(), end_one.version().get(), end_others.version().get()),
        |_| account_sessions(),
    );
    let error = move || {
        let one = end_one.value().get().and_then(Result::err);
        one.or_else(|| end_others.value().get().and_then(Result::err)).map(|e| error_text(&e))
    };
    let done = move || {
        if matches!(end_others.value().get(), Some(Ok(_))) {
            Some(t("settings-sessions-ended")())
        } else if matches!(end_one.value().get(), Some(Ok(()))) {
            Some(t("settings-session-ended")())
        } else {
            None
        }
    };
    view! {
        <section class="card settings-card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t("settings-sessions-title")}</h2>
            <Transition fallback=|| ()>
                {move || sessions.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(list) => view! {
                        <table class="contacts sessions" data-testid="sessions">
                            <thead>
                                <tr>
                                    <th scope="col">{t("settings-session-created")}</th>
                                    <th scope="col">{t("settings-session-last-seen")}</th>
                                    <th scope="col">{t("settings-actions")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.sessions.into_iter().map(|s| view! { <SessionRow session=s end_one/> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            <p>
                <button type="button" class="button secondary" data-testid="end-other-sessions"
                    disabled=move || end_others.pending().get()
                    on:click=move |_| { end_others.dispatch(EndOtherSessions {}); }>
                    {t("settings-sessions-end-others")}
                </button>
            </p>
            <p role="status">{done}</p>
            <p class="error" role="alert">{error}</p>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionSummary, end_one: ServerAction<EndAccountSession>) -> impl IntoView {
    let id = session.id.clone();
    view! {
        <tr data-testid="session-row" data-current=session.current.to_string()>
            <td>{when(Some(session.created_at), "settings-session-unknown")}</td>
            <td>{when(session.last_seen_at, "settings-session-unknown")}</td>
            <td>
                {if session.current {
                    view! { <strong>{t("settings-session-this")}</strong> }.into_any()
                } else {
                    view! {
                        <button type="button" class="link-button" disabled=move || end_one.pending().get()
                            on:click=move |_| { end_one.dispatch(EndAccountSession { id: id.clone() }); }>
                            {t("settings-session-end")}
                        </button>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}

/// The person's API tokens (never their secrets), each revocable.
#[component]
pub fn TokensSection(refresh: Signal<usize>) -> impl IntoView {
    let revoke = ServerAction::<RevokeAccountApiToken>::new();
    let tokens = Resource::new(move || (refresh.get(), revoke.version().get()), |_| account_api_tokens());
    let error = move || revoke.value().get().and_then(Result::err).map(|e| error_text(&e));
    view! {
        <section class="card settings-card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t("settings-tokens-title")}</h2>
            <p class="lead">{t("settings-tokens-lead")}</p>
            <Transition fallback=|| ()>
                {move || tokens.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(list) if list.is_empty() => view! { <p data-testid="no-tokens">{t("settings-tokens-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="contacts tokens" data-testid="tokens">
                            <thead>
                                <tr>
                                    <th scope="col">{t("settings-token-name")}</th>
                                    <th scope="col">{t("settings-token-created")}</th>
                                    <th scope="col">{t("settings-token-last-used")}</th>
                                    <th scope="col">{t("settings-token-expires")}</th>
                                    <th scope="col">{t("settings-actions")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|token| view! { <TokenRow token revoke/> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            <p role="status">{move || matches!(revoke.value().get(), Some(Ok(()))).then(|| t("settings-token-revoked")())}</p>
            <p class="error" role="alert">{error}</p>
        </section>
    }
}

#[component]
fn TokenRow(token: ApiTokenSummary, revoke: ServerAction<RevokeAccountApiToken>) -> impl IntoView {
    let id = token.id;
    let name = token.name.clone();
    view! {
        <tr data-testid="token-row">
            <th scope="row">
                {if name.is_empty() { t("settings-token-unnamed")() } else { name }}
            </th>
            <td>{when(Some(token.created_at), "settings-session-unknown")}</td>
            <td>{when(token.last_used_at, "settings-token-never")}</td>
            <td>{when(Some(token.expires_at), "settings-session-unknown")}</td>
            <td>
                <button type="button" class="link-button" disabled=move || revoke.pending().get()
                    on:click=move |_| { revoke.dispatch(RevokeAccountApiToken { id }); }>
                    {t("settings-token-revoke")}
                </button>
            </td>
        </tr>
    }
}
