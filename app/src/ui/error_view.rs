//! A failed read shown in place of what it should have shown.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::i18n::error_text;
use crate::error::AppError;

/// Renders an error; an unauthenticated visitor is sent to the sign-in page.
pub fn error_view(error: AppError) -> AnyView {
    if error == AppError::Unauthenticated {
        return view! { <Redirect path="/sign-in"/> }.into_any();
    }
    let text = error_text(&error);
    view! { <p class="error" role="alert">{text}</p> }.into_any()
}
