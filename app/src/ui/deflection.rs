//! Deflection on the new-case form: while the customer writes the summary, matching
//! articles and their organization's solved cases appear; "this solved my problem" ends
//! there, with no case opened, and is counted.

use leptos::prelude::*;

use super::debounce::debounced;
use super::i18n::{error_text, t};
use crate::api::kb::{DeflectCase, search_kb};

#[component]
pub fn Suggestions(summary: Signal<String>, deflected: RwSignal<bool>) -> impl IntoView {
    // Suggestions follow the summary once the typing pauses, like the knowledge base page.
    let query = debounced(summary);
    let hits = Resource::new(move || query.get(), |q| async move {
        if q.trim().chars().count() < 3 { Ok(Vec::new()) } else { search_kb(q).await }
    });
    let deflect = ServerAction::<DeflectCase>::new();
    Effect::new(move |_| {
        if matches!(deflect.value().get(), Some(Ok(()))) {
            deflected.set(true);
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || hits.get().map(|result| match result {
                Ok(hits) if !hits.is_empty() && !deflected.get() => Some(view! {
                    <aside class="suggestions card" aria-labelledby="suggestions-title" data-testid="suggestions">
                        <h2 id="suggestions-title">{t("deflect-title")}</h2>
                        <ul class="hits">
                            {hits.into_iter().map(|hit| {
                                let href = if hit.kind == "case" { format!("/cases/{}", hit.id) } else { format!("/kb/{}", hit.id) };
                                let kind = hit.kind.clone();
                                let id = hit.id;
                                view! {
                                    <li>
                                        // A new tab: the draft stays as it is.
                                        <a href=href target="_blank" rel="noopener">{hit.title}</a>
                                        <p class="excerpt">{hit.excerpt}</p>
                                        <button type="button" class="link-button" on:click=move |_| {
                                            deflect.dispatch(DeflectCase { kind: kind.clone(), id, query: query.get_untracked() });
                                        }>{t("deflect-solved")}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {move || deflect.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                    </aside>
                }),
                _ => None,
            })}
        </Transition>
    }
}
