use super::*;
use jiff::civil::date;
use proptest::prelude::*;

/// The instant of a civil time (`2024-03-05T10:00`) in a zone.
fn at(zone: &str, civil: &str) -> Timestamp {
    let civil: DateTime = civil.parse().unwrap();
    TimeZone::get(zone).unwrap().to_timestamp(civil).unwrap()
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

fn paris() -> BusinessSchedule {
    BusinessCalendar::office_hours("Europe/Paris").schedule().unwrap()
}

fn field_of(result: Result<(), AppError>) -> String {
    match result {
        Err(AppError::Invalid { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

// --- validation ---

#[test]
fn the_preset_calendars_are_valid() {
    BusinessCalendar::office_hours("Europe/Paris").validate().unwrap();
    BusinessCalendar::weekdays("America/New_York", "06:00", "18:00").validate().unwrap();
    BusinessCalendar::around_the_clock("UTC").validate().unwrap();
    BusinessCalendar::office_hours("Asia/Shanghai").validate().unwrap();
}

#[test]
fn an_unknown_time_zone_is_refused_on_the_time_zone_field() {
    assert_eq!(field_of(BusinessCalendar::office_hours("Europe/Atlantis").validate()), "time_zone");
    assert_eq!(field_of(BusinessCalendar::office_hours("  ").validate()), "time_zone");
}

#[test]
fn a_week_without_a_working_day_is_refused_on_working_days() {
    let mut calendar = BusinessCalendar::office_hours("Europe/Paris");
    calendar.working_days.clear();
    assert_eq!(field_of(calendar.validate()), "working_days");
}

#[test]
fn inverted_empty_overlapping_or_malformed_windows_are_refused_on_windows() {
    for windows in [
        vec![WorkingWindow::new("18:00", "09:00")],
        vec![WorkingWindow::new("09:00", "09:00")],
        vec![WorkingWindow::new("09:00", "13:00"), WorkingWindow::new("12:00", "18:00")],
        vec![WorkingWindow::new("9h", "18h")],
        vec![WorkingWindow::new("09:00", "24:30")],
        vec![WorkingWindow::new("24:00", "24:00")],
        vec![],
    ] {
        let calendar =
            BusinessCalendar { windows: windows.clone(), ..BusinessCalendar::office_hours("Europe/Paris") };
        assert_eq!(field_of(calendar.validate()), "windows", "{windows:?}");
    }
}

#[test]
fn touching_windows_in_any_order_are_accepted() {
    let calendar = BusinessCalendar {
        windows: vec![WorkingWindow::new("14:00", "18:00"), WorkingWindow::new("09:00", "14:00")],
        ..BusinessCalendar::office_hours("Europe/Paris")
    };
    calendar.validate().unwrap();
    assert_eq!(calendar.describe(), "Europe/Paris 09:00-14:00, 14:00-18:00 Mon-Fri");
}

#[test]
fn a_working_day_is_the_sum_of_its_windows() {
    assert_eq!(BusinessCalendar::office_hours("Europe/Paris").working_time_per_day(), hours(9));
    assert_eq!(BusinessCalendar::weekdays("America/New_York", "06:00", "18:00").working_time_per_day(), hours(12));
    assert_eq!(two_windows().working_time_per_day(), hours(7));
    assert_eq!(BusinessCalendar::around_the_clock("UTC").working_time_per_day(), hours(24));
}

#[test]
fn calendars_describe_themselves_in_english() {
    assert_eq!(BusinessCalendar::office_hours("Europe/Paris").describe(), "Europe/Paris 09:00-18:00 Mon-Fri");
    assert_eq!(BusinessCalendar::around_the_clock("UTC").describe(), "UTC 24x7");
    let mut odd = BusinessCalendar::office_hours("Asia/Shanghai").with_holidays([date(2024, 10, 1)]);
    odd.working_days = [DayOfWeek::Monday, DayOfWeek::Wednesday, DayOfWeek::Thursday, DayOfWeek::Saturday].into();
    assert_eq!(odd.describe(), "Asia/Shanghai 09:00-18:00 Mon, Wed, Thu, Sat, except 1 public holiday");
}

#[test]
fn a_calendar_travels_as_json_with_hh_mm_windows_and_iso_dates() {
    let calendar = BusinessCalendar::office_hours("Europe/Paris").with_holidays([date(2024, 5, 1)]);
    let json = serde_json::to_value(&calendar).unwrap();
    assert_eq!(json["windows"][0]["start"], "09:00");
    assert_eq!(json["working_days"][0], "monday");
    assert_eq!(json["holidays"][0], "2024-05-01");
    assert_eq!(serde_json::from_value::<BusinessCalendar>(json).unwrap(), calendar);
}

// --- named cases ---

#[test]
fn a_case_opened_before_the_window_starts_counting_when_it_opens() {
    let due = paris().add_business_time(at("Europe/Paris", "2024-03-05T07:00"), hours(1));
    assert_eq!(due, at("Europe/Paris", "2024-03-05T10:00"));
}

#[test]
fn a_case_opened_after_the_window_starts_counting_the_next_morning() {
    let due = paris().add_business_time(at("Europe/Paris", "2024-03-05T20:00"), hours(1));
    assert_eq!(due, at("Europe/Paris", "2024-03-06T10:00"));
}

#[test]
fn a_case_opened_on_friday_evening_waits_for_monday_morning() {
    let due = paris().add_business_time(at("Europe/Paris", "2024-03-08T19:00"), hours(1));
    assert_eq!(due, at("Europe/Paris", "2024-03-11T10:00"));
    let due = paris().add_business_time(at("Europe/Paris", "2024-03-08T17:00"), hours(2));
    assert_eq!(due, at("Europe/Paris", "2024-03-11T10:00"));
}

#[test]
fn a_holiday_on_monday_moves_the_due_time_to_tuesday() {
    // Easter Monday 2024 is 1 April.
    let calendar = BusinessCalendar::office_hours("Europe/Paris").with_holidays([date(2024, 4, 1)]);
    let schedule = calendar.schedule().unwrap();
    let due = schedule.add_business_time(at("Europe/Paris", "2024-03-29T17:00"), hours(2));
    assert_eq!(due, at("Europe/Paris", "2024-04-02T10:00"));
    assert!(!schedule.is_business_time(at("Europe/Paris", "2024-04-01T10:00")));
}

#[test]
fn a_window_ending_exactly_on_the_due_time_is_due_at_its_end() {
    let due = paris().add_business_time(at("Europe/Paris", "2024-03-05T09:00"), hours(9));
    assert_eq!(due, at("Europe/Paris", "2024-03-05T18:00"));
}

#[test]
fn business_days_on_nine_to_six_run_from_tuesday_ten_to_wednesday_ten() {
    let schedule = paris();
    let one_day = schedule.working_time_per_day();
    let due = schedule.add_business_time(at("Europe/Paris", "2024-03-05T10:00"), one_day);
    assert_eq!(due, at("Europe/Paris", "2024-03-06T10:00"));
}

#[test]
fn paris_spring_forward_keeps_monday_morning_in_civil_time() {
    // Clocks go from 02:00 to 03:00 on Sunday 31 March 2024.
    let due = paris().add_business_time(at("Europe/Paris", "2024-03-29T16:00"), hours(4));
    assert_eq!(due, at("Europe/Paris", "2024-04-01T11:00"));
    assert_eq!(due, "2024-04-01T09:00:00Z".parse::<Timestamp>().unwrap());
}

#[test]
fn paris_fall_back_keeps_monday_morning_in_civil_time() {
    // Clocks go from 03:00 back to 02:00 on Sunday 27 October 2024.
    let due = paris().add_business_time(at("Europe/Paris", "2024-10-25T16:00"), hours(4));
    assert_eq!(due, "2024-10-28T10:00:00Z".parse::<Timestamp>().unwrap());
}

fn every_day_all_day_in(zone: &str) -> BusinessSchedule {
    // A far holiday turns the real-time shortcut off: the day-by-day path is measured.
    BusinessCalendar::around_the_clock(zone).with_holidays([date(2099, 1, 1)]).schedule().unwrap()
}

#[test]
fn a_whole_day_window_is_23_hours_on_spring_forward_day_and_25_on_fall_back_day() {
    let schedule = every_day_all_day_in("Europe/Paris");
    let spring = schedule
        .business_time_between(at("Europe/Paris", "2024-03-31T00:00"), at("Europe/Paris", "2024-04-01T00:00"));
    assert_eq!(spring, hours(23));
    let fall = schedule
        .business_time_between(at("Europe/Paris", "2024-10-27T00:00"), at("Europe/Paris", "2024-10-28T00:00"));
    assert_eq!(fall, hours(25));
    assert_eq!(
        schedule.add_business_time(at("Europe/Paris", "2024-03-31T00:00"), hours(23)),
        at("Europe/Paris", "2024-04-01T00:00")
    );
}

#[test]
fn a_night_window_spanning_the_spring_gap_is_shorter() {
    let mut calendar = BusinessCalendar::around_the_clock("Europe/Paris");
    calendar.windows = vec![WorkingWindow::new("00:00", "06:00")];
    let schedule = calendar.schedule().unwrap();
    let night = |day: &str| {
        schedule.business_time_between(
            at("Europe/Paris", &format!("{day}T00:00")),
            at("Europe/Paris", &format!("{day}T12:00")),
        )
    };
    assert_eq!(night("2024-03-30"), hours(6));
    assert_eq!(night("2024-03-31"), hours(5));
    assert_eq!(night("2024-10-27"), hours(7));
}

#[test]
fn new_york_spring_forward_and_fall_back_on_coveo_hours() {
    let coveo = BusinessCalendar::weekdays("America/New_York", "06:00", "18:00").schedule().unwrap();
    // DST starts Sunday 10 March 2024: Friday 17:00 EST + 2 h is Monday 07:00 EDT.
    let due = coveo.add_business_time(at("America/New_York", "2024-03-08T17:00"), hours(2));
    assert_eq!(due, "2024-03-11T11:00:00Z".parse::<Timestamp>().unwrap());
    // DST ends Sunday 3 November 2024: Friday 17:00 EDT + 2 h is Monday 07:00 EST.
    let due = coveo.add_business_time(at("America/New_York", "2024-11-01T17:00"), hours(2));
    assert_eq!(due, "2024-11-04T12:00:00Z".parse::<Timestamp>().unwrap());
}

#[test]
fn windows_in_a_new_york_gap_or_fold_use_compatible_disambiguation() {
    let mut calendar = BusinessCalendar::around_the_clock("America/New_York");
    calendar.windows = vec![WorkingWindow::new("01:00", "03:00")];
    let schedule = calendar.schedule().unwrap();
    let ny = |civil: &str| at("America/New_York", civil);
    // 02:00-03:00 does not exist on 10 March: the window is 1 h.
    assert_eq!(schedule.business_time_between(ny("2024-03-10T00:00"), ny("2024-03-10T12:00")), hours(1));
    // 01:00-02:00 happens twice on 3 November: from the first 01:00 to 03:00 EST is 3 h.
    assert_eq!(schedule.business_time_between(ny("2024-11-03T00:00"), ny("2024-11-03T12:00")), hours(3));
    // A window starting inside the gap starts after it: 02:30 is read as 03:30 EDT.
    calendar.windows = vec![WorkingWindow::new("02:30", "04:00")];
    let schedule = calendar.schedule().unwrap();
    assert_eq!(
        schedule.next_business_instant(ny("2024-03-10T00:00")),
        "2024-03-10T07:30:00Z".parse::<Timestamp>().unwrap()
    );
    assert_eq!(schedule.business_time_between(ny("2024-03-10T00:00"), ny("2024-03-10T12:00")), mins(30));
}

#[test]
fn asia_shanghai_counts_in_utc_plus_eight_without_dst() {
    let schedule = BusinessCalendar::office_hours("Asia/Shanghai").schedule().unwrap();
    let due = schedule.add_business_time(at("Asia/Shanghai", "2024-03-04T17:00"), hours(4));
    assert_eq!(due, "2024-03-05T04:00:00Z".parse::<Timestamp>().unwrap());
    assert!(schedule.is_business_time("2024-03-05T01:00:00Z".parse().unwrap()));
    assert!(!schedule.is_business_time("2024-03-05T00:59:00Z".parse().unwrap()));
}

fn two_windows() -> BusinessCalendar {
    BusinessCalendar {
        windows: vec![WorkingWindow::new("09:00", "12:00"), WorkingWindow::new("14:00", "18:00")],
        ..BusinessCalendar::office_hours("Europe/Paris")
    }
}

#[test]
fn two_windows_a_day_skip_the_lunch_break() {
    let schedule = two_windows().schedule().unwrap();
    let due = schedule.add_business_time(at("Europe/Paris", "2024-03-05T11:00"), hours(3));
    assert_eq!(due, at("Europe/Paris", "2024-03-05T16:00"));
    let due = schedule.add_business_time(at("Europe/Paris", "2024-03-05T12:30"), hours(1));
    assert_eq!(due, at("Europe/Paris", "2024-03-05T15:00"));
    assert!(!schedule.is_business_time(at("Europe/Paris", "2024-03-05T13:00")));
    assert_eq!(
        schedule.next_business_instant(at("Europe/Paris", "2024-03-05T12:00")),
        at("Europe/Paris", "2024-03-05T14:00")
    );
    let one_day = schedule.add_business_time(at("Europe/Paris", "2024-03-05T10:00"), hours(7));
    assert_eq!(one_day, at("Europe/Paris", "2024-03-06T10:00"));
}

#[test]
fn business_time_between_counts_only_windows_and_is_signed() {
    let schedule = paris();
    let (friday, monday) = (at("Europe/Paris", "2024-03-08T17:00"), at("Europe/Paris", "2024-03-11T10:00"));
    assert_eq!(schedule.business_time_between(friday, monday), hours(2));
    assert_eq!(schedule.business_time_between(monday, friday), -hours(2));
    assert_eq!(schedule.business_time_between(monday, monday), SignedDuration::ZERO);
}

#[test]
fn business_time_starts_at_the_window_start_and_stops_before_its_end() {
    let schedule = paris();
    assert!(schedule.is_business_time(at("Europe/Paris", "2024-03-05T09:00")));
    assert!(!schedule.is_business_time(at("Europe/Paris", "2024-03-05T18:00")));
    assert!(!schedule.is_business_time(at("Europe/Paris", "2024-03-09T10:00")));
    assert_eq!(
        schedule.next_business_instant(at("Europe/Paris", "2024-03-09T10:00")),
        at("Europe/Paris", "2024-03-11T09:00")
    );
    let inside = at("Europe/Paris", "2024-03-05T10:17");
    assert_eq!(schedule.next_business_instant(inside), inside);
}

#[test]
fn a_negative_duration_counts_backwards() {
    let due = paris().add_business_time(at("Europe/Paris", "2024-03-11T10:00"), -hours(2));
    assert_eq!(due, at("Europe/Paris", "2024-03-08T17:00"));
}

#[test]
fn around_the_clock_is_real_time() {
    let schedule = BusinessCalendar::around_the_clock("Europe/Paris").schedule().unwrap();
    assert!(schedule.is_around_the_clock());
    let start = at("Europe/Paris", "2024-03-30T12:00");
    assert_eq!(schedule.add_business_time(start, hours(24)), start + hours(24));
}

// --- properties ---

fn holidays() -> Vec<Date> {
    let mut days = Vec::new();
    for year in 2023..=2027 {
        for (month, day) in [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)] {
            days.push(date(year, month, day));
        }
    }
    // Easter Mondays and Whit Mondays.
    days.extend([date(2024, 4, 1), date(2024, 5, 20), date(2025, 4, 21), date(2025, 6, 9), date(2026, 4, 6)]);
    days
}

fn sample_calendars() -> Vec<BusinessCalendar> {
    vec![
        BusinessCalendar::office_hours("Europe/Paris").with_holidays(holidays()),
        BusinessCalendar::weekdays("America/New_York", "06:00", "18:00")
            .with_holidays([date(2024, 7, 4), date(2025, 7, 4)]),
        BusinessCalendar::office_hours("Asia/Shanghai").with_holidays([date(2024, 10, 1), date(2025, 10, 1)]),
        two_windows().with_holidays(holidays()),
        BusinessCalendar::around_the_clock("UTC"),
        BusinessCalendar::around_the_clock("Europe/Paris").with_holidays(holidays()),
        {
            let mut night = BusinessCalendar::around_the_clock("America/New_York");
            night.windows = vec![WorkingWindow::new("01:00", "03:00"), WorkingWindow::new("22:00", "24:00")];
            night
        },
    ]
}

fn calendar() -> impl Strategy<Value = (BusinessCalendar, BusinessSchedule)> {
    let calendars = sample_calendars();
    (0..calendars.len()).prop_map(move |i| {
        let calendar = calendars[i].clone();
        let schedule = calendar.schedule().unwrap();
        (calendar, schedule)
    })
}

/// Instants from November 2023 to January 2027, to the second.
fn instant() -> impl Strategy<Value = Timestamp> {
    (1_700_000_000i64..1_800_000_000).prop_map(|s| Timestamp::from_second(s).unwrap())
}

/// Up to 20 days of business time, to the second.
fn duration() -> impl Strategy<Value = SignedDuration> {
    (1i64..20 * 24 * 3600).prop_map(SignedDuration::from_secs)
}

/// A window of a date by jiff's own conversions, for the references below.
fn reference_window(s: &BusinessSchedule, date: Date, (from, to): (u16, u16)) -> (Timestamp, Timestamp) {
    let instant = |minutes: u16| {
        let civil = if minutes == 24 * 60 {
            date.tomorrow().unwrap().at(0, 0, 0, 0)
        } else {
            date.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0)
        };
        s.time_zone().to_timestamp(civil).unwrap()
    };
    (instant(from), instant(to))
}

/// Day by day with a zone lookup for every window edge: what the shortcuts must match.
fn reference_between(s: &BusinessSchedule, a: Timestamp, b: Timestamp) -> SignedDuration {
    let (mut total, mut floor, mut date) = (SignedDuration::ZERO, a, s.date_of(a));
    while date <= s.date_of(b) {
        if s.is_working_day(date) {
            for &window in &s.windows {
                let (open, close) = reference_window(s, date, window);
                let (open, close) = (open.max(floor), close.min(b));
                if close > open {
                    total += close.duration_since(open);
                    floor = close;
                }
            }
        }
        date = date.tomorrow().unwrap();
    }
    total
}

fn reference_add(s: &BusinessSchedule, start: Timestamp, mut remaining: SignedDuration) -> Timestamp {
    let (mut cursor, mut date) = (start, s.date_of(start));
    loop {
        if s.is_working_day(date) {
            for &window in &s.windows {
                let (open, close) = reference_window(s, date, window);
                let open = open.max(cursor);
                if close > open {
                    if remaining <= close.duration_since(open) {
                        return open + remaining;
                    }
                    remaining -= close.duration_since(open);
                    cursor = close;
                }
            }
        }
        date = date.tomorrow().unwrap();
    }
}

#[test]
fn day_numbers_match_jiff_dates() {
    let mut civil = date(1899, 12, 25);
    for _ in 0..(400 * 366) {
        let day = unix_day(civil);
        assert_eq!(date_of_unix_day(day), civil);
        assert_eq!(weekday_of_unix_day(day), civil.weekday().to_monday_zero_offset() as usize);
        civil = civil.tomorrow().unwrap();
    }
    assert_eq!(unix_day(date(1970, 1, 1)), 0);
    assert_eq!(unix_day(Date::MIN), FIRST_DAY);
    assert_eq!(unix_day(Date::MAX), LAST_DAY);
}

#[test]
fn whole_days_counted_without_lookups_match_day_by_day_counting_across_a_year() {
    for (_, s) in sample_calendars().iter().map(|c| (c, c.schedule().unwrap())) {
        let a = at("Europe/Paris", "2024-01-03T10:17");
        let b = at("Europe/Paris", "2025-02-11T16:45");
        assert_eq!(s.business_time_between(a, b), reference_between(&s, a, b));
        let d = s.business_time_between(a, b);
        assert_eq!(s.add_business_time(a, d), reference_add(&s, a, d));
    }
}

proptest! {
    #[test]
    fn business_time_between_matches_day_by_day_counting((_, s) in calendar(), a in instant(), days in 0i64..120, secs in 0i64..86_400) {
        let b = a + SignedDuration::from_hours(24 * days) + SignedDuration::from_secs(secs);
        prop_assert_eq!(s.business_time_between(a, b), reference_between(&s, a, b));
    }

    #[test]
    fn adding_matches_day_by_day_counting((_, s) in calendar(), start in instant(), d in duration()) {
        prop_assert_eq!(s.add_business_time(start, d), reference_add(&s, start, d));
    }

    #[test]
    fn a_span_found_earlier_gives_the_same_answers(
        (_, s) in calendar(), found in instant(), later in 0i64..200 * 86_400, d in duration()
    ) {
        let span = s.span_near(found);
        let start = found + SignedDuration::from_secs(later);
        prop_assert_eq!(s.add_near(&span, start, d), reference_add(&s, start, d));
        let end = start + d + d;
        prop_assert_eq!(s.between_near(&span, start, end), reference_between(&s, start, end));
    }

    #[test]
    fn due_is_never_before_start((_, s) in calendar(), start in instant(), d in duration()) {
        prop_assert!(s.add_business_time(start, d) > start);
    }

    #[test]
    fn due_is_never_on_a_holiday((calendar, s) in calendar(), start in instant(), d in duration()) {
        let due = s.add_business_time(start, d);
        let last_counted = due - SignedDuration::from_nanos(1);
        prop_assert!(!calendar.holidays.contains(&s.date_of(last_counted)));
        prop_assert!(calendar.working_days.contains(&DayOfWeek::of(s.date_of(last_counted))));
    }

    #[test]
    fn due_is_never_outside_a_working_window((_, s) in calendar(), start in instant(), d in duration()) {
        let due = s.add_business_time(start, d);
        prop_assert!(s.is_business_time(due - SignedDuration::from_nanos(1)));
    }

    #[test]
    fn due_is_monotone_in_the_start((_, s) in calendar(), a in instant(), b in instant(), d in duration()) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(s.add_business_time(early, d) <= s.add_business_time(late, d));
    }

    #[test]
    fn adding_in_two_steps_equals_adding_at_once((_, s) in calendar(), start in instant(), a in duration(), b in duration()) {
        let two_steps = s.add_business_time(s.add_business_time(start, a), b);
        prop_assert_eq!(two_steps, s.add_business_time(start, a + b));
    }

    #[test]
    fn business_time_between_start_and_due_is_the_duration((_, s) in calendar(), start in instant(), d in duration()) {
        let due = s.add_business_time(start, d);
        prop_assert_eq!(s.business_time_between(start, due), d);
        prop_assert_eq!(s.business_time_between(due, start), -d);
    }

    #[test]
    fn the_next_business_instant_is_business_time_and_not_earlier((_, s) in calendar(), t in instant()) {
        let next = s.next_business_instant(t);
        prop_assert!(next >= t);
        prop_assert!(s.is_business_time(next));
        prop_assert_eq!(s.business_time_between(t, next), SignedDuration::ZERO);
    }

    #[test]
    fn counting_back_undoes_counting_forward_from_business_time((_, s) in calendar(), t in instant(), d in duration()) {
        let start = s.next_business_instant(t);
        let due = s.add_business_time(start, d);
        prop_assert_eq!(s.add_business_time(due, -d), start);
    }
}
