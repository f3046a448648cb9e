//! The page's live connection: one EventSource on `/api/v1/events`. Pages see every event
//! the server lets this person see (`last`) and every reconnection (`reconnected`), so they
//! patch what changed and nothing missed stays missing. The browser's EventSource sends
//! `Last-Event-ID` when it reconnects, so the server replays what the cut hid.

use leptos::prelude::*;

use crate::domain::CaseEvent;

/// The kinds of log entries the stream sends (the SSE `event:` field).
#[cfg(feature = "hydrate")]
const EVENT_KINDS: &[&str] = crate::domain::CaseChange::KINDS;

#[derive(Clone, Copy)]
pub struct Live {
    pub connected: ReadSignal<bool>,
    /// The newest event received.
    pub last: ReadSignal<Option<CaseEvent>>,
    /// Grows at every reconnection after the first connection.
    pub reconnected: ReadSignal<u64>,
    /// The case whose presence last changed, and a counter (support only).
    pub presence: ReadSignal<(i64, u64)>,
}

/// Opens the stream; `after` is the newest log entry the page already shows (the server
/// replays what came after it), `None` for "from now on".
pub fn use_live(after: Option<i64>) -> Live {
    let (connected, set_connected) = signal(false);
    let (last, set_last) = signal(None::<CaseEvent>);
    let (reconnected, set_reconnected) = signal(0u64);
    let (presence, set_presence) = signal((0i64, 0u64));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        let url = match after {
            Some(id) => format!("/api/v1/events?after={id}"),
            None => "/api/v1/events".to_owned(),
        };
        let Ok(source) = web_sys::EventSource::new(&url) else { return };
        let opened_before = std::cell::Cell::new(false);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            set_connected.try_set(true);
            if opened_before.replace(true) {
                set_reconnected.try_update(|v| *v += 1);
            }
        });
        let on_error = Closure::<dyn FnMut()>::new(move || {
            set_connected.try_set(false);
        });
        let on_event = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
            let event = message.data().as_string().and_then(|data| serde_json::from_str::<CaseEvent>(&data).ok());
            if let Some(event) = event {
                set_last.try_set(Some(event));
            }
        });
        let on_presence = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
            let case = message
                .data()
                .as_string()
                .and_then(|data| serde_json::from_str::<serde_json::Value>(&data).ok())
                .and_then(|v| v["case"].as_i64());
            if let Some(case) = case {
                set_presence.try_update(|p| *p = (case, p.1 + 1));
            }
        });
        let _ = source.add_event_listener_with_callback("presence", on_presence.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        for kind in EVENT_KINDS {
            let _ = source.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
        }
        let connection = send_wrapper::SendWrapper::new((source, on_open, on_error, on_event, on_presence));
        on_cleanup(move || connection.0.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (after, set_connected, set_last, set_reconnected, set_presence);
    Live { connected, last, reconnected, presence }
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
