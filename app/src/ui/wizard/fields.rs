//! The wizard's fields, each bound to a part of the draft: one line, several lines, a choice
//! among an enum's values. Labels and hints come from the i18n layer by field name.

use leptos::prelude::*;

use super::state::Wizard;
use crate::domain::CaseDraft;
use crate::domain::intake::{LINE_MAX_CHARS, TEXT_MAX_BYTES};
use crate::ui::i18n::label;

/// A one-line text field bound to the draft.
#[component]
pub(super) fn LineField(
    wizard: Wizard,
    field: &'static str,
    get: fn(&CaseDraft) -> &String,
    set: fn(&mut CaseDraft, String),
    #[prop(default = LINE_MAX_CHARS)] max: usize,
    #[prop(optional)] hint: bool,
    #[prop(optional)] required: bool,
    #[prop(optional)] list: Option<&'static str>,
) -> impl IntoView {
    let id = field.replace('_', "-");
    let for_id = id.clone();
    let hint_id = format!("{id}-hint");
    view! {
        <label for=for_id class:required=required>{label("field", field)}</label>
        <input id=id name=field maxlength=max.to_string() required=required list=list
            aria-required=required.then_some("true")
            aria-describedby=hint.then(|| hint_id.clone()) aria-invalid=wizard.invalid(field)
            prop:value=move || wizard.draft.with(|d| get(d).clone())
            on:input=move |ev| wizard.draft.update(|d| set(d, event_target_value(&ev)))/>
        {hint.then(|| view! { <small id=hint_id>{label("hint", field)}</small> })}
    }
}

/// A multi-line text field bound to the draft.
#[component]
pub(super) fn TextField(
    wizard: Wizard,
    field: &'static str,
    get: fn(&CaseDraft) -> &String,
    set: fn(&mut CaseDraft, String),
    #[prop(default = TEXT_MAX_BYTES)] max: usize,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] hint: bool,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = field.replace('_', "-");
    let for_id = id.clone();
    let hint_id = format!("{id}-hint");
    view! {
        <label for=for_id class:required=required>{label("field", field)}</label>
        <textarea id=id name=field rows=rows.to_string() maxlength=max.to_string() required=required
            aria-required=required.then_some("true")
            aria-describedby=hint.then(|| hint_id.clone()) aria-invalid=wizard.invalid(field)
            prop:value=move || wizard.draft.with(|d| get(d).clone())
            on:input=move |ev| wizard.draft.update(|d| set(d, event_target_value(&ev)))></textarea>
        {hint.then(|| view! { <small id=hint_id>{label("hint", field)}</small> })}
    }
}

/// A choice among an enum's values, bound to the draft.
#[component]
pub(super) fn EnumSelect<T>(
    wizard: Wizard,
    field: &'static str,
    values: &'static [T],
    get: fn(&CaseDraft) -> T,
    set: fn(&mut CaseDraft, T),
    value_of: fn(T) -> &'static str,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let id = field.replace('_', "-");
    let for_id = id.clone();
    view! {
        <label for=for_id>{label("field", field)}</label>
        <select id=id name=field
            prop:value=move || value_of(wizard.draft.with(get))
            on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(v) = values.iter().copied().find(|v| value_of(*v) == chosen) {
                    wizard.draft.update(|d| set(d, v));
                }
            }>
            {values.iter().map(|&v| view! {
                <option value=value_of(v) selected=move || wizard.draft.with(get) == v>{label(field, value_of(v))}</option>
            }).collect_view()}
        </select>
    }
}
