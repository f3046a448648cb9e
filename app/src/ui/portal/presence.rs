//! Who else is on a case now, and what they do (support only): reported every 10 s and
//! whenever it changes.

use leptos::prelude::*;

use crate::ui::i18n::{label_now, t_args};
use crate::ui::live::Live;

/// "Mei is writing a public reply": who else is on this case now (support only).
#[component]
pub(super) fn PresenceLine(
    number: Memo<i64>,
    live: Live,
    activity: RwSignal<crate::domain::people::Activity>,
    support: Signal<bool>,
) -> impl IntoView {
    use crate::domain::people::Present;
    let others = RwSignal::new(Vec::<Present>::new());
    // Report now, when what I do changes, when the stream says others changed, and every 10 s.
    let tick = RwSignal::new(0u64);
    #[cfg(feature = "hydrate")]
    {
        let interval = gloo_timers::callback::Interval::new(10_000, move || tick.try_update(|t| *t += 1).unwrap_or(()));
        let interval = send_wrapper::SendWrapper::new(interval);
        on_cleanup(move || drop(interval));
    }
    let changed_here = Memo::new(move |before: Option<&u64>| {
        let (case, count) = live.presence.get();
        if case == number.get() { count } else { before.copied().unwrap_or(0) }
    });
    Effect::new(move |_| {
        let n = number.get();
        let doing = activity.get();
        // `get`, not `track`: a memo nobody has read yet would never learn its sources.
        let _ = changed_here.get();
        tick.track();
        // Presence is support's business: customers neither report nor see it.
        if !support.get() {
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(list) = crate::api::cases::case_presence(n, doing).await {
                others.set(list);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (n, doing, others);
    });
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        if !support.get_untracked() {
            return;
        }
        let n = number.get_untracked();
        leptos::task::spawn_local(async move {
            let _ = crate::api::cases::case_presence(n, crate::domain::people::Activity::Left).await;
        });
    });
    let words = move || {
        others
            .get()
            .into_iter()
            .map(|p| t_args("presence-doing", &[("name", p.name), ("activity", label_now("presence", p.activity.as_str()))])())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! { <p class="presence" data-testid="presence" aria-live="polite">{words}</p> }
}
