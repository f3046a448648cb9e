//! A refused form of the admin console: the server names the field it refuses, and the
//! message goes next to that field; a refusal that names no field shown here goes above the
//! buttons. Only the pages decide where; the server decides what is wrong.

use leptos::prelude::*;

use crate::error::AppError;
use crate::ui::i18n::error_text;

/// The field an error names (`time_zone`, `shifts`…), if any.
pub fn field_of(error: &AppError) -> Option<&str> {
    match error {
        AppError::Invalid { field, .. } | AppError::Exists { field } => Some(field.as_str()),
        _ => None,
    }
}

/// The message for `field`, when the latest error names it.
pub fn error_on(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.get().filter(|e| field_of(e) == Some(field)).map(|e| error_text(&e))
}

/// The message under one field (`id` is what the field's `aria-describedby` names).
#[component]
pub fn FieldError(#[prop(into)] id: String, field: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    let text = error_on(error, field);
    view! { <p class="error field-error" id=id data-field=field>{text}</p> }
}

/// `aria-invalid` of a field: `true` while the latest error names it.
pub fn invalid(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> &'static str + Copy {
    move || if error.with(|e| e.as_ref().and_then(field_of) == Some(field)) { "true" } else { "false" }
}

/// The form's own alert: a refusal of a field the form does not show, or of the whole
/// request; for a field it shows, a reminder that the field says why.
#[component]
pub fn FormError(error: Signal<Option<AppError>>, shown: &'static [&'static str]) -> impl IntoView {
    let text = move || {
        error.get().map(|e| match field_of(&e) {
            Some(field) if shown.contains(&field) => crate::ui::i18n::t("people-see-field")(),
            _ => error_text(&e),
        })
    };
    view! { <p class="error" role="alert">{text}</p> }
}
