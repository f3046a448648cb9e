//! The knowledge base's editor, for support: every article (drafts too) a page at a time,
//! writing a new one, editing one's Markdown, publishing and withdrawing. The server checks
//! the role and every field again; the editor shows the field the server names.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::{AdminNavForAdmins, SupportOnly};
use crate::api::kb::{PublishArticle, SaveArticle, kb_article_source, kb_articles};
use crate::domain::kb::{ArticleDraft, ArticleSummary};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, move_tr_static, t, t_args};
use crate::ui::local_time::LocalTime;

/// `/admin/kb`: every article, newest first, with its state and what can be done.
#[component]
pub fn KbAdminPage() -> impl IntoView {
    let publish = ServerAction::<PublishArticle>::new();
    let first = Resource::new(move || publish.version().get(), |_| kb_articles(None));
    view! {
        <Title text=move_tr_static("admin-kb")/>
        <h1>{t("admin-kb")}</h1>
        <SupportOnly>
            <AdminNavForAdmins/>
            <p><A href="/admin/kb/new" attr:class="button">{t("kb-admin-new")}</A></p>
            <p role="status" data-testid="kb-admin-status">
                {move || publish.value().get().map(|result| match result {
                    Ok(article) if article.published => t_args("kb-admin-published", &[("title", article.title)])(),
                    Ok(article) => t_args("kb-admin-unpublished", &[("title", article.title)])(),
                    Err(e) => error_text(&e),
                })}
            </p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || first.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(list) if list.articles.is_empty() => view! { <p>{t("kb-admin-empty")}</p> }.into_any(),
                    Ok(list) => view! { <ArticleTable first=list.articles next=list.next_cursor publish/> }.into_any(),
                })}
            </Transition>
        </SupportOnly>
    }
}

#[component]
fn ArticleTable(
    first: Vec<ArticleSummary>,
    next: Option<String>,
    publish: ServerAction<PublishArticle>,
) -> impl IntoView {
    let more: RwSignal<Vec<ArticleSummary>> = RwSignal::new(Vec::new());
    let next = RwSignal::new(next);
    let loading = RwSignal::new(false);
    let show_more = move |_| {
        let Some(cursor) = next.get_untracked() else { return };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(page) = kb_articles(Some(cursor)).await {
                more.update(|more| more.extend(page.articles));
                next.set(page.next_cursor);
            }
            loading.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = cursor;
    };
    let row = move |article: ArticleSummary| view! { <ArticleRow article publish/> };
    view! {
        <div class="table-scroll">
            <table class="admin-table" data-testid="kb-admin-articles">
                <caption class="visually-hidden">{t("admin-kb")}</caption>
                <thead><tr>
                    <th scope="col">{t("field-title")}</th>
                    <th scope="col">{t("field-product")}</th>
                    <th scope="col">{t("field-language")}</th>
                    <th scope="col">{t("kb-admin-state")}</th>
                    <th scope="col">{t("kb-admin-updated")}</th>
                    <th scope="col">{t("kb-admin-actions")}</th>
                </tr></thead>
                <tbody>
                    {first.into_iter().map(row).collect_view()}
                    {move || more.get().into_iter().map(row).collect_view()}
                </tbody>
            </table>
        </div>
        <Show when=move || next.with(Option::is_some)>
            <button type="button" class="button secondary show-more" on:click=show_more disabled=move || loading.get()>
                {t("kb-admin-show-more")}
            </button>
        </Show>
    }
}

#[component]
fn ArticleRow(article: ArticleSummary, publish: ServerAction<PublishArticle>) -> impl IntoView {
    let id = article.id;
    let published = article.published;
    let title = article.title.clone();
    let toggle_label = if published {
        t_args("kb-admin-unpublish-named", &[("title", title.clone())])
    } else {
        t_args("kb-admin-publish-named", &[("title", title.clone())])
    };
    view! {
        <tr>
            <td><A href=format!("/kb/{id}")>{article.title}</A></td>
            <td>{article.product}</td>
            <td>{article.language}</td>
            <td>
                {if published {
                    view! { <span class="badge ok">{t("kb-admin-state-published")}</span> }.into_any()
                } else {
                    view! { <span class="badge">{t("kb-admin-state-draft")}</span> }.into_any()
                }}
            </td>
            <td>{article.updated_at.parse::<jiff::Timestamp>().ok().map(|at| view! { <LocalTime at/> })}</td>
            <td class="row-actions">
                <A href=format!("/admin/kb/{id}/edit") attr:aria-label=t_args("kb-admin-edit-named", &[("title", title)])>
                    {t("kb-admin-edit")}
                </A>
                " "
                <button type="button" class="link-button" aria-label=toggle_label
                    disabled=move || publish.pending().get()
                    on:click=move |_| { publish.dispatch(PublishArticle { id, published: !published }); }>
                    {if published { t("kb-admin-unpublish") } else { t("kb-admin-publish") }}
                </button>
            </td>
        </tr>
    }
}

/// `/admin/kb/new`: a new article.
#[component]
pub fn NewArticlePage() -> impl IntoView {
    let empty = ArticleDraft {
        title: String::new(),
        body: String::new(),
        product: String::new(),
        tags: Vec::new(),
        language: crate::ui::i18n::language_now(),
    };
    view! {
        <Title text=move_tr_static("kb-admin-new")/>
        <h1>{t("kb-admin-new")}</h1>
        <SupportOnly>
            <AdminNavForAdmins/>
            <ArticleEditor id=None draft=empty.clone() published=false/>
        </SupportOnly>
    }
}

/// `/admin/kb/:id/edit`: an article's Markdown as written, to change.
#[component]
pub fn EditArticlePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
    let source = Resource::new(id, kb_article_source);
    view! {
        <Title text=move_tr_static("kb-admin-edit-title")/>
        <h1>{t("kb-admin-edit-title")}</h1>
        <SupportOnly>
            <AdminNavForAdmins/>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || source.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(source) => view! {
                        <ArticleEditor id=Some(source.id) draft=source.draft published=source.published/>
                    }.into_any(),
                })}
            </Transition>
        </SupportOnly>
    }
}

/// The editor's form. A new article can be published at once or kept as a draft; an existing
/// one keeps its state (the list's Publish / Unpublish changes it).
#[component]
fn ArticleEditor(id: Option<i64>, draft: ArticleDraft, published: bool) -> impl IntoView {
    let save = ServerAction::<SaveArticle>::new();
    let navigate = use_navigate();
    // A new article, once written, is edited at its own address.
    Effect::new(move |_| {
        if id.is_none()
            && let Some(Ok(article)) = save.value().get()
        {
            navigate(&format!("/admin/kb/{}/edit", article.id), Default::default());
        }
    });
    let field_error = move |name: &'static str| {
        move || match save.value().get() {
            Some(Err(e)) if e.field() == Some(name) => Some(error_text(&e)),
            _ => None,
        }
    };
    let other_error = move || match save.value().get() {
        Some(Err(e)) if !matches!(e.field(), Some("title" | "body" | "product" | "tags" | "language")) => {
            Some(error_text(&e))
        }
        _ => None,
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let tags = draft.tags.join(", ");
    let language = draft.language.clone();
    view! {
        <ActionForm action=save attr:class="stack article-editor">
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
            <label for="article-title">{t("field-title")}</label>
            <input id="article-title" name="title" required maxlength="200" value=draft.title
                aria-describedby="article-title-error"/>
            <p id="article-title-error" class="error" role="alert">{field_error("title")}</p>
            <label for="article-product">{t("field-product")}</label>
            <input id="article-product" name="product" maxlength="100" value=draft.product/>
            <p class="error" role="alert">{field_error("product")}</p>
            <label for="article-tags">{t("field-tags")}</label>
            <input id="article-tags" name="tags" value=tags aria-describedby="article-tags-hint"/>
            <small id="article-tags-hint">{t("kb-admin-tags-hint")}</small>
            <p class="error" role="alert">{field_error("tags")}</p>
            <label for="article-language">{t("field-language")}</label>
            <select id="article-language" name="language">
                {[("en", "English"), ("fr", "Français"), ("zh", "中文")].into_iter().map(|(code, name)| {
                    view! { <option value=code selected=language == code>{name}</option> }
                }).collect_view()}
            </select>
            <p class="error" role="alert">{field_error("language")}</p>
            <label for="article-body">{t("kb-admin-body")}</label>
            <textarea id="article-body" name="body" rows="16" required aria-describedby="article-body-hint">
                {draft.body}
            </textarea>
            <small id="article-body-hint">{t("kb-admin-body-hint")}</small>
            <p class="error" role="alert">{field_error("body")}</p>
            {if id.is_none() {
                view! {
                    <label class="check">
                        <input type="checkbox" name="publish" value="true"/>
                        {t("kb-admin-publish-now")}
                    </label>
                }.into_any()
            } else {
                view! {
                    <p>
                        {if published { t("kb-admin-state-published") } else { t("kb-admin-state-draft") }}
                    </p>
                }.into_any()
            }}
            <p class="error" role="alert">{other_error}</p>
            <p role="status" data-testid="article-saved">{move || saved().then(|| t("kb-admin-saved")())}</p>
            <p class="actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>{t("kb-admin-save")}</button>
                {id.map(|id| view! { <A href=format!("/kb/{id}") attr:class="button secondary">{t("kb-admin-view")}</A> })}
                <A href="/admin/kb">{t("kb-admin-back")}</A>
            </p>
        </ActionForm>
    }
}
