//! Search as you type: the query follows the text once the typing pauses, so a search runs
//! for what was meant rather than at every key.

use leptos::prelude::*;

/// How long the text must rest, in milliseconds, before its search runs.
pub const SEARCH_DEBOUNCE_MS: u32 = 300;

/// A signal that takes the value of `text` [`SEARCH_DEBOUNCE_MS`] after its last change.
/// On the server (no typing there) it stays empty.
pub fn debounced(text: Signal<String>) -> ReadSignal<String> {
    let (query, set_query) = signal(String::new());
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        Effect::new(move |_| {
            let now = text.get();
            pending.set_value(Some(gloo_timers::callback::Timeout::new(SEARCH_DEBOUNCE_MS, move || set_query.set(now))));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (text, set_query, SEARCH_DEBOUNCE_MS);
    query
}
