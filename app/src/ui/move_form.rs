//! "Move to…": a case's next status, on the case page and on each board card.

use leptos::prelude::*;

use super::i18n::{error_text, label, t};
use crate::api::cases::MoveCase;
use crate::domain::{Case, Resolution, Status};

/// The "Move to…" form: the statuses this person may move the case to, the resolution
/// (needed to resolve or close), and the version they saw.
#[component]
pub fn MoveForm(
    case: Case,
    targets: Vec<Status>,
    action: ServerAction<MoveCase>,
    /// Show the action's error beside the form (the board shows it once, above the columns).
    #[prop(default = true)]
    inline_error: bool,
) -> impl IntoView {
    let id = format!("move-{}", case.number);
    let resolution_id = format!("resolution-{}", case.number);
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    // The resolution is asked for only when the chosen status ends the work.
    let chosen = RwSignal::new(targets.first().copied().unwrap_or(case.status));
    let needs_resolution = move || !chosen.get().is_active();
    // A Duplicate names the case it duplicates (support; the server requires it).
    let resolution = RwSignal::new(None::<Resolution>);
    let duplicate_id = format!("duplicate-{}", case.number);
    view! {
        <ActionForm action=action attr:class="move-form">
            <input type="hidden" name="number" value=case.number.0.to_string()/>
            <input type="hidden" name="expected_version" value=case.version.to_string()/>
            <label for=id.clone()>{t("move-to")}</label>
            <select id=id name="status" on:change=move |ev| {
                if let Some(status) = Status::parse(&event_target_value(&ev)) {
                    chosen.set(status);
                }
            }>
                {targets.into_iter().map(|s| view! { <option value=s.as_str()>{label("status", s)}</option> }).collect_view()}
            </select>
            <span class="resolution" hidden=move || !needs_resolution()>
                <label for=resolution_id.clone()>{t("field-resolution")}</label>
                <select id=resolution_id name="resolution" on:change=move |ev| resolution.set(Resolution::parse(&event_target_value(&ev)))>
                    <option value="">{t("resolution-none")}</option>
                    {Resolution::ALL.iter().filter(|r| r.is_final()).map(|r| view! {
                        <option value=r.as_str()>{label("resolution", r)}</option>
                    }).collect_view()}
                </select>
            </span>
            <span class="resolution" hidden=move || !(needs_resolution() && resolution.get() == Some(Resolution::Duplicate))>
                <label for=duplicate_id.clone()>{t("field-duplicate_of")}</label>
                <input id=duplicate_id name="duplicate_of" size="6" inputmode="numeric"/>
            </span>
            <button type="submit" class="button small">{t("move-submit")}</button>
            {inline_error.then(|| view! { <span class="error" role="alert">{error}</span> })}
        </ActionForm>
    }
}
