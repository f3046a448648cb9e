//! Time and the expertise-hour bank in pages: support's time form on a case page (told
//! before logging when the bank cannot cover billable expertise), and the organization
//! admin's `/organization/hours` (balance, burn-down by contract month, every entry with
//! its case).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::error_view::error_view;
use super::i18n::{error_text, label, move_tr_static, t, t_args};
use super::local_time::LocalTime;
use crate::api::hours::{LogCaseTime, organization_hours, read_case_hours};
use crate::domain::hour_bank::{Activity, CaseHours, HourBankView, HourEntry, MonthBurn};

/// "30 min", "4 h", "2 h 30 min" in the reader's language.
pub fn minutes_words(minutes: i64) -> String {
    super::sla::duration_words(jiff::SignedDuration::from_mins(minutes))
}

/// What the form tells before logging, from what is typed: nothing, the overage to come,
/// or that the contract offers no billable expertise.
fn forecast(hours: Option<&CaseHours>, minutes: &str, activity: &str, billable: bool) -> Option<String> {
    let hours = hours?;
    if activity != Activity::Expertise.as_str() || !billable {
        return None;
    }
    if !hours.expertise_offered {
        return Some(t("time-no-expertise")());
    }
    let minutes = minutes.trim().parse::<i64>().ok().filter(|m| *m > 0)?;
    (minutes > hours.balance_minutes).then(|| {
        t_args(
            "time-overage-warning",
            &[
                ("balance", minutes_words(hours.balance_minutes)),
                ("overage", minutes_words(minutes - hours.balance_minutes)),
            ],
        )()
    })
}

/// Support logs time on the case: minutes, activity, billable, note.
#[component]
pub fn TimeForm(number: i64, action: ServerAction<LogCaseTime>) -> impl IntoView {
    let hours = Resource::new(move || action.version().get(), move |_| read_case_hours(number));
    let known = RwSignal::new(None::<CaseHours>);
    Effect::new(move |_| {
        if let Some(Ok(h)) = hours.get() {
            known.set(Some(h));
        }
    });
    let minutes = RwSignal::new(String::new());
    let activity = RwSignal::new(Activity::Expertise.as_str().to_owned());
    let billable = RwSignal::new(true);
    let warning = move || {
        known.with(|h| forecast(h.as_ref(), &minutes.get(), &activity.get(), billable.get())).unwrap_or_default()
    };
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    let logged = move || match action.value().get() {
        Some(Ok(entry)) if entry.overage_minutes > 0 => t_args(
            "time-logged-overage",
            &[("duration", minutes_words(entry.minutes)), ("overage", minutes_words(entry.overage_minutes))],
        )(),
        Some(Ok(entry)) => t_args("time-logged", &[("duration", minutes_words(entry.minutes))])(),
        _ => String::new(),
    };
    view! {
        <section class="time-log" aria-labelledby="time-title">
            <h2 id="time-title">{t("time-title")}</h2>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || hours.get().map(|r| match r {
                    Err(e) => error_view(e),
                    Ok(h) => view! {
                        <p data-testid="time-balance">
                            {if h.expertise_offered {
                                t_args("time-balance", &[("balance", minutes_words(h.balance_minutes))])()
                            } else {
                                t("time-balance-none")()
                            }}
                            " "
                            {t_args("time-case-total", &[("duration", minutes_words(h.logged_minutes))])}
                        </p>
                    }.into_any(),
                })}
            </Transition>
            <ActionForm action attr:class="stack time-form">
                <input type="hidden" name="number" value=number.to_string()/>
                <label for="time-minutes">{t("time-minutes")}</label>
                <input id="time-minutes" name="minutes" type="number" min="1" max="1440" required
                    on:input=move |ev| minutes.set(event_target_value(&ev))/>
                <label for="time-activity">{t("time-activity")}</label>
                <select id="time-activity" name="activity" on:change=move |ev| activity.set(event_target_value(&ev))>
                    {Activity::ALL.into_iter().map(|a| view! {
                        <option value=a.as_str()>{label("activity", a.as_str())}</option>
                    }).collect_view()}
                </select>
                <label>
                    <input type="checkbox" name="billable" value="on" checked
                        on:change=move |ev| billable.set(event_target_checked(&ev))/>
                    " " {t("time-billable")}
                </label>
                <label for="time-note">{t("time-note")}</label>
                <textarea id="time-note" name="note" rows="2" maxlength="2000"></textarea>
                <p class="warning" role="status" data-testid="time-warning">{warning}</p>
                <button type="submit">{t("time-submit")}</button>
                <p role="status" data-testid="time-logged">{logged}</p>
                <p class="error" role="alert">{error}</p>
            </ActionForm>
        </section>
    }
}

/// An entry's minutes as the ledger reads: `+4 h` for what comes in, `−1 h 30 min` for what
/// goes out, an overage unsigned (it is not taken from the balance).
fn signed_minutes(entry: &HourEntry) -> String {
    let words = minutes_words(entry.minutes.abs());
    match entry.kind.effect(entry.minutes).signum() {
        1 => format!("+{words}"),
        -1 => format!("\u{2212}{words}"),
        _ => words,
    }
}

#[component]
fn EntryRow(entry: HourEntry) -> impl IntoView {
    let case = entry.case.map(|number| {
        let text = match &entry.case_summary {
            Some(summary) => format!("#{} {summary}", number.0),
            None => format!("#{}", number.0),
        };
        view! { <A href=format!("/cases/{}", number.0)>{text}</A> }
    });
    let minutes = signed_minutes(&entry);
    view! {
        <tr class=format!("ledger-{}", entry.kind.as_str())>
            <td><LocalTime at=entry.at/></td>
            <td>{label("ledger", entry.kind.as_str())}</td>
            <td class="number">{minutes}</td>
            <td>{case}</td>
            <td>{entry.note.clone()}</td>
            <td>{entry.by.clone().unwrap_or_default()}</td>
        </tr>
    }
}

#[component]
fn BurnDown(months: Vec<MonthBurn>) -> impl IntoView {
    view! {
        <table class="burn-down" data-testid="hours-burn-down">
            <caption>{t("hours-burn-down")}</caption>
            <thead><tr>
                <th scope="col">{t("hours-col-month")}</th>
                <th scope="col">{t("hours-col-granted")}</th>
                <th scope="col">{t("hours-col-packs")}</th>
                <th scope="col">{t("hours-col-used")}</th>
                <th scope="col">{t("hours-col-expired")}</th>
                <th scope="col">{t("hours-col-overage")}</th>
                <th scope="col">{t("hours-col-share")}</th>
            </tr></thead>
            <tbody>
                {months.into_iter().map(|m| {
                    let available = (m.granted + m.packs + m.adjusted).max(0);
                    let share = if available > 0 { (m.used * 100 / available).clamp(0, 100) } else { 0 };
                    let share_text = format!("{share} %");
                    view! {
                        <tr>
                            <th scope="row">{m.month.clone()}</th>
                            <td class="number">{minutes_words(m.granted)}</td>
                            <td class="number">{minutes_words(m.packs)}</td>
                            <td class="number">{minutes_words(m.used)}</td>
                            <td class="number">{minutes_words(m.expired)}</td>
                            <td class="number">{minutes_words(m.overage)}</td>
                            <td><meter min="0" max="100" value=share.to_string() aria-label=share_text.clone()></meter>" " {share_text.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn BankView(bank: HourBankView, cursor: RwSignal<String>) -> impl IntoView {
    let HourBankView { balance_minutes, month_grant_minutes, entries, next_cursor, burn_down, .. } = bank;
    let first_page = cursor.get_untracked().is_empty();
    view! {
        <p class="hours-balance" data-testid="hours-balance">
            {t_args("hours-balance", &[("balance", minutes_words(balance_minutes))])}
        </p>
        {(month_grant_minutes > 0).then(|| view! {
            <p>{t_args("hours-month-grant", &[("grant", minutes_words(month_grant_minutes))])}</p>
        })}
        {(first_page && !burn_down.is_empty()).then(|| view! { <BurnDown months=burn_down/> })}
        <h2>{t("hours-entries")}</h2>
        {if entries.is_empty() {
            view! { <p>{t("hours-no-entries")}</p> }.into_any()
        } else {
            view! {
                <table class="ledger" data-testid="hours-ledger">
                    <thead><tr>
                        <th scope="col">{t("hours-col-at")}</th>
                        <th scope="col">{t("hours-col-kind")}</th>
                        <th scope="col">{t("hours-col-minutes")}</th>
                        <th scope="col">{t("hours-col-case")}</th>
                        <th scope="col">{t("hours-col-note")}</th>
                        <th scope="col">{t("hours-col-by")}</th>
                    </tr></thead>
                    <tbody>{entries.into_iter().map(|entry| view! { <EntryRow entry/> }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
        <p class="pager">
            {(!first_page).then(|| view! {
                <button type="button" on:click=move |_| cursor.set(String::new())>{t("hours-newest")}</button>
            })}
            {next_cursor.map(|next| view! {
                <button type="button" on:click=move |_| cursor.set(next.clone())>{t("hours-older")}</button>
            })}
        </p>
    }
}

/// `/organization/hours`: the organization admin's bank.
#[component]
pub fn OrganizationHoursPage() -> impl IntoView {
    let cursor = RwSignal::new(String::new());
    let bank = Resource::new(move || cursor.get(), organization_hours);
    view! {
        <Title text=move_tr_static("hours-title")/>
        <h1>{t("hours-title")}</h1>
        <p>{t("hours-intro")}</p>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || bank.get().map(|r| match r {
                Err(e) => error_view(e),
                Ok(bank) => view! { <BankView bank cursor/> }.into_any(),
            })}
        </Transition>
    }
}
