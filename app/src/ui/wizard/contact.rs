//! Step 5: how the customer wants to hear from support, and when they can take a callback.

use leptos::prelude::*;

use super::state::Wizard;
use crate::domain::{Callback, ContactChannel, DayOfWeek};
use crate::formatting::{self, Width};
use crate::ui::i18n::{label, language_now, move_tr_static, t, t_args};
use crate::ui::session::Session;
use crate::ui::local_time::reader_zone_name;

#[component]
pub(super) fn ContactStep(wizard: Wizard) -> impl IntoView {
    let draft = wizard.draft;
    let contract = wizard.contract;
    let phone_offered = move || contract.get().and_then(|c| c.ok()).is_none_or(|c| c.plan_at(jiff::Timestamp::now()).phone_callback);
    let channels = move || {
        ContactChannel::ALL.iter().copied().filter(|c| *c != ContactChannel::Phone || phone_offered()).collect::<Vec<_>>()
    };
    let phone = move || draft.with(|d| d.details.contact_channel == ContactChannel::Phone);
    // The number the customer gave last time is offered again.
    let session = expect_context::<Session>();
    let choose = move |channel: ContactChannel| {
        let known_phone =
            session.user.get_untracked().and_then(|u| u.ok().flatten()).and_then(|u| u.phone).unwrap_or_default();
        draft.update(|d| {
            d.details.contact_channel = channel;
            if channel == ContactChannel::Phone && d.details.callback.is_none() {
                d.details.callback = Some(Callback {
                    days: DayOfWeek::WEEKDAYS.to_vec(),
                    from: jiff::civil::time(9, 0, 0, 0),
                    until: jiff::civil::time(17, 0, 0, 0),
                    time_zone: reader_zone_name(),
                    phone: known_phone,
                });
            }
        });
    };
    view! {
        <fieldset class="channels" aria-invalid=wizard.invalid("contact_channel")>
            <legend>{t("field-contact_channel")}</legend>
            <Transition fallback=|| ()>
                {move || channels().into_iter().map(|channel| {
                    let id = if channel == ContactChannel::Portal { "contact-channel".to_owned() } else { format!("channel-{}", channel.as_str()) };
                    let for_id = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input type="radio" id=id name="contact_channel" value=channel.as_str()
                                prop:checked=move || draft.with(|d| d.details.contact_channel == channel)
                                on:change=move |_| choose(channel)/>
                            " "{label("channel", channel.as_str())}
                        </label>
                    }
                }).collect_view()}
                {move || (!phone_offered()).then(|| view! { <p class="hint">{t("channel-phone-not-in-plan")}</p> })}
            </Transition>
        </fieldset>
        <fieldset class="callback" hidden=move || !phone()>
            <legend>{t("callback-title")}</legend>
            <p class="hint">{move || t_args("callback-hint", &[("zone", draft.with(|d| d.details.callback.as_ref().map(|c| c.time_zone.clone()).unwrap_or_default()))])()}</p>
            <div class="stack">
                <label for="callback-phone" class="required">{t("field-callback_phone")}</label>
                <input type="tel" id="callback-phone" name="callback_phone" autocomplete="tel" aria-required="true"
                    aria-describedby="callback-phone-hint" aria-invalid=wizard.invalid("callback_phone")
                    prop:value=move || draft.with(|d| d.details.callback.as_ref().map(|c| c.phone.clone()).unwrap_or_default())
                    on:input=move |ev| {
                        let phone = event_target_value(&ev);
                        draft.update(|d| if let Some(c) = d.details.callback.as_mut() { c.phone = phone });
                    }/>
                <small id="callback-phone-hint" class="hint">{t("callback-phone-hint")}</small>
            </div>
            <div class="days" role="group" aria-label=move_tr_static("field-callback_days")>
                {DayOfWeek::ALL.iter().map(|&day| {
                    let id = format!("callback-{}", day.as_str());
                    let for_id = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input type="checkbox" id=id name="callback_days" value=day.as_str()
                                prop:checked=move || draft.with(|d| d.details.callback.as_ref().is_some_and(|c| c.days.contains(&day)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| if let Some(c) = d.details.callback.as_mut() {
                                        c.days.retain(|x| *x != day);
                                        if on { c.days.push(day); }
                                    });
                                }/>
                            " "{move || formatting::weekday(day, &language_now(), Width::Long)}
                        </label>
                    }
                }).collect_view()}
            </div>
            <div class="row">
                <CallbackTime wizard id="callback-from" label_key="field-callback_from" get=|c| c.from set=|c, at| c.from = at/>
                <CallbackTime wizard id="callback-until" label_key="field-callback_until" get=|c| c.until set=|c, at| c.until = at/>
                <div class="stack">
                    <label for="time-zone">{t("field-time_zone")}</label>
                    <input id="time-zone" aria-invalid=wizard.invalid("time_zone")
                        prop:value=move || draft.with(|d| d.details.callback.as_ref().map(|c| c.time_zone.clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let zone = event_target_value(&ev);
                            draft.update(|d| if let Some(c) = d.details.callback.as_mut() { c.time_zone = zone });
                        }/>
                </div>
            </div>
        </fieldset>
    }
}

/// One end of the callback window, `HH:MM` in the customer's zone.
#[component]
fn CallbackTime(
    wizard: Wizard,
    id: &'static str,
    label_key: &'static str,
    get: fn(&Callback) -> jiff::civil::Time,
    set: fn(&mut Callback, jiff::civil::Time),
) -> impl IntoView {
    let draft = wizard.draft;
    view! {
        <div class="stack">
            <label for=id>{t(label_key)}</label>
            <input type="time" id=id aria-invalid=wizard.invalid("callback_hours")
                prop:value=move || draft.with(|d| d.details.callback.as_ref().map(|c| get(c).strftime("%H:%M").to_string()).unwrap_or_default())
                on:input=move |ev| {
                    if let Ok(at) = event_target_value(&ev).parse::<jiff::civil::Time>() {
                        draft.update(|d| if let Some(c) = d.details.callback.as_mut() { set(c, at) });
                    }
                }/>
        </div>
    }
}
