//! SLA clocks on screen: the countdown on board cards, recomputed every second in the
//! browser by the domain's own `clocks()`, and the explained clocks of a case page.

use jiff::{SignedDuration, Timestamp};
use leptos::prelude::*;

use super::i18n::{label, t, t_args, t_count};
use super::local_time::LocalTime;
use crate::domain::Severity;
use crate::domain::plan::{SlaTarget, SupportPlan};
use crate::domain::sla::{Contract, SlaClock, SlaClockKind, SlaClockState, SlaEvent, clocks};

/// How much time is left, at the precision that matters: days and hours, hours and
/// minutes, or a minute-and-second countdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remaining {
    DaysHours(u64, u64),
    HoursMinutes(u64, u64),
    MinutesSeconds(u64, u64),
}

impl Remaining {
    pub fn of(d: SignedDuration) -> Remaining {
        let secs = d.as_secs().unsigned_abs();
        let (days, hours, minutes, seconds) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
        if days > 0 {
            Remaining::DaysHours(days, hours)
        } else if hours > 0 {
            Remaining::HoursMinutes(hours, minutes)
        } else {
            Remaining::MinutesSeconds(minutes, seconds)
        }
    }
}

/// "2 d 3 h", "3 h 05 min", "29:41", in the reader's language ("2 j 3 h", "3小时05分钟").
pub fn format_remaining(d: SignedDuration) -> String {
    match Remaining::of(d) {
        Remaining::DaysHours(days, hours) => {
            t_args("duration-days-hours", &[("days", days.to_string()), ("hours", hours.to_string())])()
        }
        Remaining::HoursMinutes(hours, minutes) => {
            t_args("duration-hours-minutes", &[("hours", hours.to_string()), ("minutes", format!("{minutes:02}"))])()
        }
        Remaining::MinutesSeconds(minutes, seconds) => format!("{minutes:02}:{seconds:02}"),
    }
}

/// How a clock looks: ok, warning (80% of the target used), breached, paused, met, none.
pub fn clock_tone(clock: &SlaClock, now: Timestamp) -> &'static str {
    match clock.state {
        SlaClockState::Breached => "breached",
        SlaClockState::Paused => "paused",
        SlaClockState::Met { in_time: false, .. } => "breached",
        SlaClockState::Met { .. } => "met",
        SlaClockState::NoCommitment => "none",
        SlaClockState::Running if clock.warning_at.is_some_and(|w| now >= w) => "warning",
        SlaClockState::Running => "ok",
    }
}

/// The clock a card shows: the first that is still counting (or has breached), else the
/// first with a commitment.
fn headline(all: Vec<SlaClock>) -> Option<SlaClock> {
    let counting =
        |c: &SlaClock| matches!(c.state, SlaClockState::Running | SlaClockState::Paused | SlaClockState::Breached);
    let first_counting = all.iter().position(counting);
    let first_committed = all.iter().position(|c| c.state != SlaClockState::NoCommitment);
    first_counting.or(first_committed).map(|i| all[i].clone())
}

/// The message-id part of a clock kind (as the API names it).
pub fn kind_id(kind: SlaClockKind) -> &'static str {
    match kind {
        SlaClockKind::InitialResponse => "initial_response",
        SlaClockKind::Restore => "restore",
    }
}

/// A signal with the browser's "now", refreshed every second by a gloo-timers interval
/// (the server renders with its own now; the browser takes over after hydration).
fn ticking_now() -> ReadSignal<Timestamp> {
    if let Some(SharedNow(now)) = use_context::<SharedNow>() {
        return now;
    }
    own_ticking_now()
}

/// One clock for a whole page (the board): a thousand countdowns, one timer.
#[derive(Clone, Copy)]
struct SharedNow(ReadSignal<Timestamp>);

pub fn provide_shared_now() {
    provide_context(SharedNow(own_ticking_now()));
}

fn own_ticking_now() -> ReadSignal<Timestamp> {
    let (now, set_now) = signal(Timestamp::now());
    #[cfg(feature = "hydrate")]
    {
        let interval = gloo_timers::callback::Interval::new(1_000, move || {
            set_now.try_set(Timestamp::now());
        });
        let interval = send_wrapper::SendWrapper::new(interval);
        on_cleanup(move || drop(interval));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_now;
    now
}

#[component]
pub fn SlaCountdown(
    contract: Contract,
    severity: Severity,
    opened_at: Timestamp,
    events: Vec<SlaEvent>,
) -> impl IntoView {
    let now = ticking_now();
    // Recomputed every second; the DOM changes only when what it shows does.
    let shown = Memo::new(move |_| {
        let now = now.get();
        headline(clocks(&contract, severity, opened_at, &events, now)).map(|c| {
            let text = match (&c.state, c.remaining) {
                (SlaClockState::Paused, _) => t("sla-paused")(),
                (SlaClockState::Met { .. }, _) => t("sla-met")(),
                (SlaClockState::NoCommitment, _) => t("sla-none")(),
                (_, Some(r)) if r.is_negative() => t_args("sla-overdue", &[("time", format_remaining(r))])(),
                (_, Some(r)) => t_args("sla-left", &[("time", format_remaining(r))])(),
                (_, None) => String::new(),
            };
            (clock_tone(&c, now), c.kind, text, terms_words(&c))
        })
    });
    let kind = Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| s.1)));
    move || match kind.get() {
        None => view! { <span class="sla none">{t("sla-none")}</span> }.into_any(),
        Some(clock_kind) => {
            let tone = move || shown.with(|s| s.as_ref().map(|s| s.0).unwrap_or("none"));
            view! {
                <span class=move || format!("sla {}", tone()) data-sla=tone
                    title=move || shown.with(|s| s.as_ref().map(|s| s.3.clone()).unwrap_or_default())>
                    <span class="sla-kind">{label("sla", kind_id(clock_kind))}</span>" "
                    <span class="sla-time">{move || shown.with(|s| s.as_ref().map(|s| s.2.clone()).unwrap_or_default())}</span>
                </span>
            }
            .into_any()
        }
    }
}

/// A case page's clocks, each with its state and due time, and why it is due then: when it
/// started counting, in which hours, and how long it was paused (the target itself is
/// stated once, with the plan's promises above).
#[component]
pub fn ClockList(
    clocks: Vec<SlaClock>,
    from: Timestamp,
    /// The hours support counts in, in words (see `promises::coverage_words`).
    coverage: Option<String>,
) -> impl IntoView {
    let now = Timestamp::now();
    view! {
        <ul class="clocks">
            {clocks.into_iter().map(|c| {
                let tone = clock_tone(&c, now);
                let kind = label("sla", kind_id(c.kind));
                let state = label("sla-state", tone);
                let why = why_words(&c, coverage.as_deref());
                view! {
                    <li class=format!("sla {tone}") data-sla=tone>
                        <strong>{kind}</strong>{t("label-separator")}<span>{state}</span>
                        {c.due.map(|due| view! { " · " <LocalTime at=due/> })}
                        {why.map(|why| view! {
                            <details>
                                <summary>{t("sla-why")}</summary>
                                <p class="explanation">{t("sla-why-from")}<LocalTime at=from/>{why}</p>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// After "Counted from <opening>": in which hours, and the pauses; `None` for a clock with
/// no commitment (nothing is due).
fn why_words(clock: &SlaClock, coverage: Option<&str>) -> Option<String> {
    let target = clock.target?;
    let mut words = if target.counts_business_time() {
        match coverage {
            Some(coverage) => t_args("sla-why-business", &[("hours", coverage.to_owned())])(),
            None => t("sla-why-business-plain")(),
        }
    } else {
        t("sla-why-24x7")()
    };
    if clock.paused_total.is_positive() {
        words.push_str(&t_args("sla-why-paused", &[("duration", duration_words(clock.paused_total))])());
    }
    Some(words)
}

/// "30 min, around the clock · Elastic cloud Premium · paused 2 h 10 min", translated.
pub fn terms_words(clock: &SlaClock) -> String {
    let plan = SupportPlan::preset(&clock.plan_id).map(|p| p.name).unwrap_or_else(|| clock.plan_id.clone());
    let Some(target) = clock.target else { return t("sla-state-none")() };
    let target = target_words(target);
    let mut words = format!("{target} · {plan}");
    if clock.paused_total.is_positive() {
        words.push_str(" · ");
        words.push_str(&t_args("sla-paused-for", &[("duration", duration_words(clock.paused_total))])());
    }
    words
}

/// "30 min, around the clock", "4 business hours", translated.
pub fn target_words(target: SlaTarget) -> String {
    match target {
        SlaTarget::Duration24x7(d) => t_args("sla-target-24x7", &[("duration", duration_words(d))])(),
        SlaTarget::BusinessHours(hours) => t_count("sla-target-business-hours", "hours", hours),
        SlaTarget::BusinessDays(days) => t_count("sla-target-business-days", "days", days),
    }
}

/// "30 min", "4 h", "2 h 10 min" ("2小时10分钟"), in the reader's language.
pub fn duration_words(d: SignedDuration) -> String {
    let minutes = d.as_secs().unsigned_abs() / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => t_args("duration-minutes", &[("minutes", m.to_string())])(),
        (h, 0) => t_args("duration-hours", &[("hours", h.to_string())])(),
        (h, m) => t_args("duration-hours-minutes", &[("hours", h.to_string()), ("minutes", m.to_string())])(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_time_reads_at_the_precision_that_matters() {
        assert_eq!(Remaining::of(SignedDuration::from_secs(29 * 60 + 41)), Remaining::MinutesSeconds(29, 41));
        assert_eq!(Remaining::of(SignedDuration::from_secs(3 * 3600 + 5 * 60)), Remaining::HoursMinutes(3, 5));
        assert_eq!(Remaining::of(SignedDuration::from_hours(51)), Remaining::DaysHours(2, 3));
        assert_eq!(Remaining::of(SignedDuration::from_secs(-90)), Remaining::MinutesSeconds(1, 30));
    }
}
