//! On a case support resolved, the customer's two actions instead of a status menu: "Yes,
//! it's solved" (the case closes) and "It's still a problem" (it reopens; the reason,
//! required, goes in as their reply). Works before hydration too: plain forms, and the
//! reason behind a disclosure.

use leptos::prelude::*;

use crate::api::verdict::GiveVerdict;
use crate::domain::{Case, Verdict};
use crate::ui::i18n::{error_text, t};

#[component]
pub fn VerdictForm(case: Case, action: ServerAction<GiveVerdict>) -> impl IntoView {
    let offered = Verdict::offered(case.status);
    let number = case.number.0.to_string();
    let version = case.version.to_string();
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    let hidden_fields = move |verdict: Verdict| {
        view! {
            <input type="hidden" name="number" value=number.clone()/>
            <input type="hidden" name="verdict" value=verdict.as_str()/>
            <input type="hidden" name="expected_version" value=version.clone()/>
        }
    };
    let solved_fields = hidden_fields(Verdict::Solved);
    let reopen_fields = hidden_fields(Verdict::StillAProblem);
    view! {
        <section class="verdict" aria-labelledby="verdict-title" data-testid="verdict">
            <h3 id="verdict-title">{t("verdict-question")}</h3>
            {offered.contains(&Verdict::Solved).then(|| view! {
                <ActionForm action=action attr:class="verdict-solved">
                    {solved_fields}
                    <button type="submit" class="button">{t("verdict-solved")}</button>
                </ActionForm>
            })}
            <details class="verdict-reopen">
                <summary class="button secondary">{t("verdict-still-a-problem")}</summary>
                <ActionForm action=action attr:class="stack">
                    {reopen_fields}
                    <label for="verdict-reason">{t("verdict-reason")}</label>
                    <textarea id="verdict-reason" name="reason" rows="3" required aria-required="true"></textarea>
                    <button type="submit" class="button">{t("verdict-reopen-submit")}</button>
                </ActionForm>
            </details>
            <p class="error" role="alert">{error}</p>
        </section>
    }
}
