//! Moving the keyboard focus from code: to the field at fault, to a step just shown, to a
//! card's "Move to" menu.

/// Puts the focus on the element with this id on the next frame, once what was just shown
/// is rendered. Nothing on the server.
pub fn focus_element(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::{document, request_animation_frame};
        use wasm_bindgen::JsCast;
        let id = id.to_owned();
        request_animation_frame(move || {
            if let Some(element) =
                document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = element.focus();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
