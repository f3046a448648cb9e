//! An engineer's weekly shifts as the person page edits them: rows of days (checkboxes),
//! a start and an end; rows added and removed freely. The server refuses overlapping or
//! malformed shifts on the `shifts` field, shown under the rows.

use leptos::prelude::*;

use super::field_error::FieldError;
use crate::domain::shift::Shift;
use crate::domain::week::DayOfWeek;
use crate::error::AppError;
use crate::formatting::{self, Width};
use crate::ui::i18n::{language_now, t, t_args};

/// `HH:MM`, `24:00` ending the day (a time input cannot say 24:00).
const TIME_PATTERN: &str = "([01][0-9]|2[0-3]):[0-5][0-9]|24:00";

/// One shift being edited; `key` tells rows apart while others are added and removed.
#[derive(Clone, Copy)]
pub struct ShiftRow {
    key: u64,
    /// Monday first, as [`DayOfWeek::ALL`].
    days: [RwSignal<bool>; 7],
    start: RwSignal<String>,
    end: RwSignal<String>,
}

impl ShiftRow {
    fn new(key: u64, shift: &Shift) -> ShiftRow {
        ShiftRow {
            key,
            days: std::array::from_fn(|i| RwSignal::new(shift.days.contains(&DayOfWeek::ALL[i]))),
            start: RwSignal::new(shift.start.clone()),
            end: RwSignal::new(shift.end.clone()),
        }
    }
}

/// The rows of these shifts.
pub fn rows_of(shifts: &[Shift]) -> Vec<ShiftRow> {
    shifts.iter().enumerate().map(|(i, s)| ShiftRow::new(i as u64, s)).collect()
}

/// The shifts these rows say, as typed (the server checks them).
pub fn shifts_of(rows: &[ShiftRow]) -> Vec<Shift> {
    rows.iter()
        .map(|row| Shift {
            days: DayOfWeek::ALL.iter().zip(&row.days).filter(|(_, on)| on.get_untracked()).map(|(d, _)| *d).collect(),
            start: row.start.get_untracked(),
            end: row.end.get_untracked(),
        })
        .collect()
}

#[component]
pub fn ShiftsEditor(rows: RwSignal<Vec<ShiftRow>>, error: Signal<Option<AppError>>) -> impl IntoView {
    let next_key = StoredValue::new(rows.with_untracked(|r| r.len() as u64));
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let office = Shift { days: DayOfWeek::WEEKDAYS.to_vec(), start: "09:00".into(), end: "18:00".into() };
        rows.update(|r| r.push(ShiftRow::new(key, &office)));
    };
    let position = move |key: u64| rows.with(|r| r.iter().position(|row| row.key == key).map_or(0, |i| i + 1));
    view! {
        <fieldset class="shifts" aria-describedby="person-shifts-hint person-shifts-error">
            <legend>{t("field-shifts")}</legend>
            <small id="person-shifts-hint">{t("person-shifts-hint")}</small>
            <For each=move || rows.get() key=|row| row.key let:row>
                {
                    let key = row.key;
                    let legend = move || t_args("person-shift", &[("number", position(key).to_string())])();
                    let remove = move |_| rows.update(|r| r.retain(|other| other.key != key));
                    view! {
                        <fieldset class="shift" data-shift=key>
                            <legend>{legend}</legend>
                            <div class="days">
                                {DayOfWeek::ALL.iter().copied().zip(row.days).map(|(day, on)| {
                                    let id = format!("shift-{key}-{}", day.as_str());
                                    let for_id = id.clone();
                                    view! {
                                        <label class="check" for=for_id>
                                            <input type="checkbox" id=id prop:checked=on
                                                on:change=move |ev| on.set(event_target_checked(&ev))/>
                                            " "{move || formatting::weekday(day, &language_now(), Width::Long)}
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                            <label for=format!("shift-{key}-start")>{t("person-shift-start")}</label>
                            <input type="text" id=format!("shift-{key}-start") required inputmode="numeric" maxlength="5" placeholder="09:00" pattern=TIME_PATTERN prop:value=row.start
                                on:input=move |ev| row.start.set(event_target_value(&ev))/>
                            <label for=format!("shift-{key}-end")>{t("person-shift-end")}</label>
                            <input type="text" id=format!("shift-{key}-end") required inputmode="numeric" maxlength="5" placeholder="18:00" pattern=TIME_PATTERN prop:value=row.end
                                on:input=move |ev| row.end.set(event_target_value(&ev))/>
                            <button type="button" class="button small secondary" on:click=remove
                                aria-label=move || t_args("person-shift-remove-named", &[("number", position(key).to_string())])()>
                                {t("person-shift-remove")}
                            </button>
                        </fieldset>
                    }
                }
            </For>
            <button type="button" class="button small secondary" on:click=add>{t("person-shift-add")}</button>
            <FieldError id="person-shifts-error" field="shifts" error/>
        </fieldset>
    }
}
