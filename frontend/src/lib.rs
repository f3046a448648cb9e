//! The browser entry point: hydrates the page the server rendered.
//! Everything else lives in the `app` crate, compiled here with the `hydrate` feature.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::ui::App);
    // Marks the page interactive: end-to-end tests and the stylesheet can tell.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
