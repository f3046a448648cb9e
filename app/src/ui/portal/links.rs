//! Linked cases: duplicates and related cases, and the form to link another (support only).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::cases::LinkCase;
use crate::ui::i18n::{error_text, label, t};

/// Linked cases (duplicates, related) and a form to link another (support only).
#[component]
pub(super) fn LinkedCases(number: i64, links: Vec<crate::domain::CaseLink>, action: ServerAction<LinkCase>) -> impl IntoView {
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    view! {
        <h2>{t("links-title")}</h2>
        {if links.is_empty() {
            view! { <p class="empty">{t("links-none")}</p> }.into_any()
        } else {
            view! {
                <ul class="links" data-testid="links">
                    {links.into_iter().map(|link| {
                        let kind = if link.incoming && link.kind == crate::domain::LinkKind::DuplicateOf {
                            "duplicated_by"
                        } else {
                            link.kind.as_str()
                        };
                        view! {
                            <li>
                                {label("link", kind)}" "
                                <A href=format!("/cases/{}", link.other)>{format!("#{}", link.other)}</A>
                                " "{link.other_summary}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <ActionForm action attr:class="move-form">
            <input type="hidden" name="number" value=number.to_string()/>
            <label for="link-other">{t("link-related-label")}</label>
            <input id="link-other" name="other" size="8" inputmode="numeric" required/>
            <button type="submit" class="button small">{t("link-submit")}</button>
            <span class="error" role="alert">{error}</span>
        </ActionForm>
    }
}
