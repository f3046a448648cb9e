//! The browser entry point: hydrates the page the server rendered.
//! Everything else lives in the `app` crate, compiled here with the `hydrate` feature.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::ui::App);
    // Marks the page interactive: end-to-end tests and the stylesheet can tell.
    let window = web_sys::window();
    if let Some(body) = window.as_ref().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
        // When it became interactive, in ms since navigation start (the board benchmark reads it).
        if let Some(now) = window.as_ref().and_then(|w| w.performance()).map(|p| p.now()) {
            let _ = body.set_attribute("data-hydrated-at", &format!("{now:.1}"));
        }
    }
}
