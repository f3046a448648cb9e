//! The page's live connection: one EventSource on `/api/v1/events`. Every event the server
//! lets this person see bumps a version that pages key their data on; a reconnect (after a
//! network cut or a server restart) bumps it too, so nothing missed stays missing.

use leptos::prelude::*;

/// The kinds of log entries the stream sends (the SSE `event:` field).
#[cfg(feature = "hydrate")]
const EVENT_KINDS: &[&str] = &["opened", "status_changed", "reply", "internal_note", "sla_warning", "sla_breached"];

#[derive(Clone, Copy)]
pub struct Live {
    /// Grows at every event received and at every (re)connection.
    pub version: ReadSignal<u64>,
    pub connected: ReadSignal<bool>,
}

pub fn use_live() -> Live {
    let (version, set_version) = signal(0u64);
    let (connected, set_connected) = signal(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        let Ok(source) = web_sys::EventSource::new("/api/v1/events") else { return };
        let on_open = Closure::<dyn FnMut()>::new(move || {
            set_connected.try_set(true);
            set_version.try_update(|v| *v += 1);
        });
        let on_error = Closure::<dyn FnMut()>::new(move || {
            set_connected.try_set(false);
        });
        let on_event = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            set_version.try_update(|v| *v += 1);
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        for kind in EVENT_KINDS {
            let _ = source.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
        }
        let connection = send_wrapper::SendWrapper::new((source, on_open, on_error, on_event));
        on_cleanup(move || connection.0.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_version, set_connected);
    Live { version, connected }
}

/// "Live" or "Reconnecting…", for screen readers too.
#[component]
pub fn LiveIndicator(live: Live) -> impl IntoView {
    let state = move || if live.connected.get() { "live" } else { "offline" };
    view! {
        <span class="live-status" data-live=state role="status">
            {move || if live.connected.get() { super::i18n::t("live-on")() } else { super::i18n::t("live-off")() }}
        </span>
    }
}
