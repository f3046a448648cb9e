//! The knowledge base in the portal: search as you type, read an article.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::i18n::{move_tr_static, t};
use super::debounce::debounced;
use super::error_view::error_view;
use crate::api::kb::{read_article, search_kb};

#[component]
pub fn KnowledgeBasePage() -> impl IntoView {
    let (text, set_text) = signal(String::new());
    // Results follow the text once the typing pauses.
    let query = debounced(text.into());
    let hits = Resource::new(move || query.get(), |q| async move {
        if q.trim().is_empty() { Ok(Vec::new()) } else { search_kb(q).await }
    });
    view! {
        <Title text=move_tr_static("kb-title")/>
        <h1>{t("kb-title")}</h1>
        <label class="search">
            <span>{t("kb-search")}</span>
            <input type="search" on:input=move |ev| set_text.set(event_target_value(&ev)) maxlength="500"/>
        </label>
        <Transition fallback=|| ()>
            {move || hits.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(hits) if hits.is_empty() => {
                    (!query.get().trim().is_empty()).then(|| view! { <p>{t("kb-nothing")}</p> }).into_any()
                }
                Ok(hits) => view! {
                    <ul class="hits" data-testid="kb-hits">
                        {hits.into_iter().map(|hit| {
                            let href = if hit.kind == "case" { format!("/cases/{}", hit.id) } else { format!("/kb/{}", hit.id) };
                            let kind = if hit.kind == "case" { t("kb-hit-case") } else { t("kb-hit-article") };
                            view! {
                                <li>
                                    <span class="hit-kind">{kind}</span>" "
                                    <A href=href>{hit.title}</A>
                                    <p class="excerpt">{hit.excerpt}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
    let article = Resource::new(id, read_article);
    view! {
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || article.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(article) => {
                    let title = article.title.clone();
                    view! {
                        <Title text=title.clone()/>
                        <article class="kb-article">
                            <p><A href="/kb">{t("kb-back")}</A></p>
                            <h1>{title}</h1>
                            {(!article.published).then(|| view! { <p><span class="badge">{t("kb-admin-state-draft")}</span></p> })}
                            <SupportEditLink id=article.id/>
                            {(!article.product.is_empty()).then(|| view! { <p class="org">{article.product.clone()}</p> })}
                            // Rendered and sanitized on the server (ammonia): no script, no handler.
                            <div class="kb-body" inner_html=article.html></div>
                        </article>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// "Edit" on an article, for support only (the editor is theirs).
#[component]
fn SupportEditLink(id: i64) -> impl IntoView {
    let session = expect_context::<super::session::Session>();
    move || {
        session.user.get().and_then(Result::ok).flatten().filter(|u| u.role.is_support()).map(|_| {
            view! { <p><A href=format!("/admin/kb/{id}/edit")>{t("kb-admin-edit")}</A></p> }
        })
    }
}
