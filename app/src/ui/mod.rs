//! Pages and components: the portal (sign-in, my cases, a new case, a case) and the board.
//! Components read signals and render; rules are decided by the domain or the server.

mod admin;
mod assignment;
mod attach;
mod board;
mod case_details;
mod contacts;
mod debounce;
mod deflection;
mod error_view;
mod focus;
mod hours;
mod i18n;
mod invitation;
mod password_reset;
mod registration;
mod reports;
mod status;
mod status_manage;
mod kb;
mod live;
mod local_time;
mod maintenance;
mod move_form;
mod portal;
mod promises;
mod search;
mod session;
mod settings;
mod settings_account;
mod settings_sessions;
mod severity;
mod sign_in;
mod sla;
mod support_intake;
mod wizard;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

pub use i18n::{I18nProvider, error_text};
use session::{Session, provide_session};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="caseboard" href="/pkg/caseboard.css"/>
        <I18nProvider>
            <Shell/>
        </I18nProvider>
    }
}

/// The page's default title, and the formatter every title goes through. leptos_meta writes
/// the title into the server-rendered `<head>` as it is, unescaped: a case summary such as
/// `</title><script>…` would become live markup there. On the server every title is escaped
/// as text; in the browser `document.title` takes text as it is.
fn default_title() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let title = view! {
        <Title
            text=i18n::move_tr_static("app-name")
            formatter=|text: String| html_escape::encode_text(&text).into_owned()
        />
    };
    #[cfg(not(feature = "ssr"))]
    let title = view! { <Title text=i18n::move_tr_static("app-name")/> };
    title
}

#[component]
fn Shell() -> impl IntoView {
    provide_session();
    view! {
        {default_title()}
        <Router>
            <a class="skip-link" href="#main">{i18n::t("skip-to-content")}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/sign-in") view=sign_in::SignInPage/>
                    <Route path=path!("/invitation/:token") view=invitation::InvitationPage/>
                    <Route path=path!("/password-reset") view=password_reset::PasswordResetRequestPage/>
                    <Route path=path!("/password-reset/:token") view=password_reset::PasswordResetPage/>
                    <Route path=path!("/register") view=registration::RegisterPage/>
                    <Route path=path!("/register/verify/:token") view=registration::RegisterVerifyPage/>
                    <Route path=path!("/cases") view=portal::MyCasesPage/>
                    <Route path=path!("/cases/new") view=wizard::NewCasePage/>
                    <Route path=path!("/cases/:number") view=portal::CasePage/>
                    <Route path=path!("/board") view=board::BoardPage/>
                    <Route path=path!("/search") view=search::SearchPage/>
                    <Route path=path!("/reports") view=reports::ReportsPage/>
                    <Route path=path!("/kb") view=kb::KnowledgeBasePage/>
                    <Route path=path!("/kb/:id") view=kb::ArticlePage/>
                    <Route path=path!("/status/maintenance") view=maintenance::MaintenancePage/>
                    <Route path=path!("/settings") view=settings_account::AccountSettingsPage/>
                    <Route path=path!("/settings/notifications") view=settings::NotificationSettingsPage/>
                    <Route path=path!("/organization/contacts") view=contacts::ContactsPage/>
                    <Route path=path!("/organization/hours") view=hours::OrganizationHoursPage/>
                    <Route path=path!("/support/new-case") view=support_intake::SupportNewCasePage/>
                    <Route path=path!("/status") view=status::StatusPage/>
                    <Route path=path!("/status/manage") view=status_manage::StatusManagePage/>
                    <Route path=path!("/admin") view=admin::AdminHomePage/>
                    <Route path=path!("/admin/registrations") view=admin::registrations::RegistrationsPage/>
                    <Route path=path!("/admin/kb") view=admin::kb::KbAdminPage/>
                    <Route path=path!("/admin/kb/new") view=admin::kb::NewArticlePage/>
                    <Route path=path!("/admin/kb/:id/edit") view=admin::kb::EditArticlePage/>
                    <Route path=path!("/admin/people") view=admin::people::PeoplePage/>
                    <Route path=path!("/admin/people/:id") view=admin::person::PersonPage/>
                    <Route path=path!("/admin/plans") view=admin::plans::PlansPage/>
                    <Route path=path!("/admin/audit") view=admin::audit::AuditPage/>
                    <Route path=path!("/admin/organizations") view=admin::organizations::AdminOrganizationsPage/>
                    <Route path=path!("/admin/organizations/:slug") view=admin::organization::AdminOrganizationPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// The top bar. On a wide screen the links are all in view; on a phone they sit behind a
/// "Menu" disclosure, a `<details>` so it opens before the script has loaded, by touch and by
/// keyboard (the stylesheet decides which, so the server renders one header for both).
#[component]
fn Header() -> impl IntoView {
    let session = expect_context::<Session>();
    let menu = NodeRef::<leptos::html::Details>::new();
    let menu_button = NodeRef::<leptos::html::Summary>::new();
    // A menu left open would cover the page just chosen, or stay over the page after a tap
    // elsewhere: a link followed or a tap outside closes it.
    let on_click = window_event_listener(leptos::ev::click, move |ev| {
        use leptos::wasm_bindgen::JsCast;
        let Some(menu) = menu.get_untracked() else { return };
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()) else { return };
        let inside = menu.contains(Some(&target));
        let link = target.closest("a").ok().flatten().is_some();
        if menu.open() && (!inside || link) {
            menu.set_open(false);
        }
    });
    on_cleanup(move || on_click.remove());
    // So does a page changed another way (signing out, a redirect).
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    });
    // Escape closes it and gives the focus back to the menu button.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape"
            && let Some(menu) = menu.get_untracked()
            && menu.open()
        {
            ev.prevent_default();
            menu.set_open(false);
            if let Some(button) = menu_button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <header class="top">
            <A href="/" attr:class="brand">{i18n::t("app-name")}</A>
            <details class="menu" node_ref=menu on:keydown=on_keydown>
                <summary class="menu-button" node_ref=menu_button>
                    <span class="menu-icon" aria-hidden="true"></span>
                    <span>{i18n::t("nav-menu")}</span>
                </summary>
                <nav aria-label=i18n::t("nav-main")>
                    <Transition fallback=|| ()>
                        {move || session.user.get().map(|user| match user {
                            Ok(Some(user)) => {
                                let support = user.role.is_support();
                                let admin = user.role == crate::domain::Role::Admin;
                                let name = user.name.clone();
                                view! {
                                    <ul class="nav-links">
                                        {if support {
                                            view! {
                                                <li><A href="/board">{i18n::t("nav-board")}</A></li>
                                                <li><A href="/support/new-case">{i18n::t("nav-new-case-for")}</A></li>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <li><A href="/cases">{i18n::t("nav-my-cases")}</A></li>
                                                <li><A href="/cases/new">{i18n::t("nav-new-case")}</A></li>
                                            }.into_any()
                                        }}
                                        {admin.then(|| view! { <li><A href="/admin">{i18n::t("nav-admin")}</A></li> })}
                                        {(support || user.org_admin).then(|| view! { <li><A href="/reports">{i18n::t("nav-reports")}</A></li> })}
                                        <li><A href="/kb">{i18n::t("nav-kb")}</A></li>
                                        <li><A href="/status">{i18n::t("nav-status")}</A></li>
                                        <li><A href="/settings">{i18n::t("nav-settings")}</A></li>
                                        <li><A href="/settings/notifications">{i18n::t("nav-notifications")}</A></li>
                                        {user.org_admin.then(|| view! { <li><A href="/organization/contacts">{i18n::t("nav-contacts")}</A></li> })}
                                        {user.org_admin.then(|| view! { <li><A href="/organization/hours">{i18n::t("nav-hours")}</A></li> })}
                                    </ul>
                                    <span class="who">{i18n::t_args("signed-in-as", &[("name", name)])}</span>
                                    <ActionForm action=session.sign_out attr:class="inline">
                                        <button type="submit" class="link-button">{i18n::t("nav-sign-out")}</button>
                                    </ActionForm>
                                }.into_any()
                            }
                            _ => view! {
                                <A href="/status">{i18n::t("nav-status")}</A>" "
                                <A href="/sign-in">{i18n::t("nav-sign-in")}</A>
                            }.into_any(),
                        })}
                    </Transition>
                    <i18n::LanguagePicker/>
                </nav>
            </details>
        </header>
    }
}

#[component]
fn Home() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <section class="hero">
            <h1>{i18n::t("home-title")}</h1>
            <p>{i18n::t("home-lead")}</p>
            <Transition fallback=|| ()>
                {move || session.user.get().map(|user| match user {
                    Ok(Some(user)) => {
                        let (href, label) = if user.role.is_support() {
                            ("/board", "nav-board")
                        } else {
                            ("/cases", "nav-my-cases")
                        };
                        let admin = user.role == crate::domain::Role::Admin;
                        view! {
                            <p class="actions">
                                <A href=href attr:class="button">{i18n::t(label)}</A>
                                {admin.then(|| view! { <A href="/admin" attr:class="button secondary">{i18n::t("nav-admin")}</A> })}
                            </p>
                            {admin.then(|| view! { <admin::first_run::FirstRunChecklistPanel only_until_done=true/> })}
                        }.into_any()
                    }
                    _ => view! { <p><A href="/sign-in" attr:class="button">{i18n::t("nav-sign-in")}</A></p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>{i18n::t("not-found-title")}</h1>
        <p>{i18n::t("not-found-body")}</p>
        <p><A href="/">{i18n::t("go-home")}</A></p>
    }
}
