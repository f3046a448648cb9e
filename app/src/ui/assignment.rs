//! Who works a case, on the board and the case view: the assignee, "Take", the "Assign to"
//! menu, and the automatic rule's reason in words.

use leptos::prelude::*;

use super::i18n::{error_text, t, t_args};
use crate::api::cases::{AssignCase, support_team};
use crate::domain::{AssignmentReason, Case};

/// "On shift (Europe/Paris) · knows Kibana · speaks fr · 2 open cases".
pub fn reason_words(reason: &AssignmentReason) -> String {
    let mut parts = vec![if reason.on_shift {
        t_args("assign-reason-on-shift", &[("zone", reason.time_zone.clone())])()
    } else {
        t_args("assign-reason-next-shift", &[("zone", reason.time_zone.clone())])()
    }];
    if let Some(skill) = &reason.skill {
        parts.push(t_args("assign-reason-skill", &[("product", skill.clone())])());
    }
    if let Some(language) = &reason.language {
        // The language by its name in the reader's language, never its code.
        let name = super::i18n::tr_known(&format!("language-name-{language}")).unwrap_or_else(|| language.clone());
        parts.push(t_args("assign-reason-language", &[("language", name)])());
    }
    parts.push(super::i18n::t_count("assign-reason-load", "count", reason.load));
    parts.join(" · ")
}

/// The assignee as a card or a case shows it.
#[component]
pub fn Assignee(case: Case) -> impl IntoView {
    match case.assignee {
        Some(name) => view! { <span class="assignee" data-testid="assignee">{name}</span> }.into_any(),
        None => view! { <span class="assignee unassigned" data-testid="assignee">{t("assign-nobody")}</span> }.into_any(),
    }
}

/// "Take": the signed-in engineer becomes the assignee (with the version seen).
#[component]
pub fn TakeButton(case: Case, action: ServerAction<AssignCase>) -> impl IntoView {
    let label = t_args("assign-take-case", &[("number", case.number.to_string())]);
    view! {
        <ActionForm action attr:class="take-form">
            <input type="hidden" name="number" value=case.number.0.to_string()/>
            <input type="hidden" name="engineer" value="me"/>
            <input type="hidden" name="expected_version" value=case.version.to_string()/>
            <button type="submit" class="button small secondary" aria-label=label>{t("assign-take")}</button>
        </ActionForm>
    }
}

/// The case view's "Assign to" menu: me, automatic, a team member (with shift and load), nobody.
#[component]
pub fn AssignForm(case: Case, action: ServerAction<AssignCase>) -> impl IntoView {
    let team = Resource::new(|| (), |_| support_team());
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    let id = format!("assign-{}", case.number);
    view! {
        <ActionForm action attr:class="move-form assign-form">
            <input type="hidden" name="number" value=case.number.0.to_string()/>
            <input type="hidden" name="expected_version" value=case.version.to_string()/>
            <label for=id.clone()>{t("assign-to")}</label>
            <select id=id name="engineer">
                <option value="me">{t("assign-me")}</option>
                <option value="auto">{t("assign-auto")}</option>
                <Transition fallback=|| ()>
                    {move || team.get().and_then(|r| r.ok()).map(|team| team.into_iter().map(|member| {
                        let text = t_args("assign-member", &[
                            ("name", member.name.clone()),
                            ("shift", if member.on_shift { t("assign-on-shift")() } else { t("assign-off-shift")() }),
                            ("load", member.load.to_string()),
                        ]);
                        view! { <option value=member.email>{text}</option> }
                    }).collect_view())}
                </Transition>
                <option value="">{t("assign-nobody")}</option>
            </select>
            <button type="submit" class="button small">{t("assign-submit")}</button>
            <span class="error" role="alert">{error}</span>
        </ActionForm>
    }
}
