//! The occurrences against an independent computation: every expected instant below was
//! computed by `scripts/maintenance-occurrences` (python-dateutil's rrule and Python's
//! zoneinfo), not by this crate. Europe/Paris changes clocks on 2026-03-29, 2026-10-25,
//! 2027-03-28 and 2027-10-31; April 2026 and March 2027 have five Wednesdays.

use super::*;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn listed(recurrence: &Recurrence, from: &str, to: &str) -> Vec<(String, String)> {
    recurrence
        .occurrences(at(from), at(to))
        .unwrap()
        .into_iter()
        .map(|(start, end)| (start.to_string(), end.to_string()))
        .collect()
}

fn expected(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(s, e)| (s.to_string(), e.to_string())).collect()
}

fn paris(start: &str, minutes: i64, rule: &str) -> Recurrence {
    Recurrence::new("Europe/Paris", start, minutes, Some(rule)).unwrap()
}

#[test]
fn first_wednesday_of_the_month_in_2026_across_both_dst_changes() {
    let recurrence = paris("2026-01-07T00:00", 360, "FREQ=MONTHLY;BYDAY=1WE");
    let want = expected(&[
        ("2026-01-06T23:00:00Z", "2026-01-07T05:00:00Z"),
        ("2026-02-03T23:00:00Z", "2026-02-04T05:00:00Z"),
        ("2026-03-03T23:00:00Z", "2026-03-04T05:00:00Z"),
        ("2026-03-31T22:00:00Z", "2026-04-01T04:00:00Z"),
        ("2026-05-05T22:00:00Z", "2026-05-06T04:00:00Z"),
        ("2026-06-02T22:00:00Z", "2026-06-03T04:00:00Z"),
        ("2026-06-30T22:00:00Z", "2026-07-01T04:00:00Z"),
        ("2026-08-04T22:00:00Z", "2026-08-05T04:00:00Z"),
        ("2026-09-01T22:00:00Z", "2026-09-02T04:00:00Z"),
        ("2026-10-06T22:00:00Z", "2026-10-07T04:00:00Z"),
        ("2026-11-03T23:00:00Z", "2026-11-04T05:00:00Z"),
        ("2026-12-01T23:00:00Z", "2026-12-02T05:00:00Z"),
    ]);
    assert_eq!(listed(&recurrence, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), want);
}

#[test]
fn first_wednesday_of_the_month_in_2027_across_both_dst_changes() {
    let recurrence = paris("2026-01-07T00:00", 360, "FREQ=MONTHLY;BYDAY=1WE");
    let want = expected(&[
        ("2027-01-05T23:00:00Z", "2027-01-06T05:00:00Z"),
        ("2027-02-02T23:00:00Z", "2027-02-03T05:00:00Z"),
        ("2027-03-02T23:00:00Z", "2027-03-03T05:00:00Z"),
        ("2027-04-06T22:00:00Z", "2027-04-07T04:00:00Z"),
        ("2027-05-04T22:00:00Z", "2027-05-05T04:00:00Z"),
        ("2027-06-01T22:00:00Z", "2027-06-02T04:00:00Z"),
        ("2027-07-06T22:00:00Z", "2027-07-07T04:00:00Z"),
        ("2027-08-03T22:00:00Z", "2027-08-04T04:00:00Z"),
        ("2027-08-31T22:00:00Z", "2027-09-01T04:00:00Z"),
        ("2027-10-05T22:00:00Z", "2027-10-06T04:00:00Z"),
        ("2027-11-02T23:00:00Z", "2027-11-03T05:00:00Z"),
        ("2027-11-30T23:00:00Z", "2027-12-01T05:00:00Z"),
    ]);
    assert_eq!(listed(&recurrence, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"), want);
}

#[test]
fn three_last_wednesdays_in_2026_with_a_five_wednesday_april() {
    let recurrence = paris("2026-01-14T00:00", 360, "FREQ=MONTHLY;BYDAY=-1WE,-2WE,-3WE");
    let want = expected(&[
        ("2026-01-13T23:00:00Z", "2026-01-14T05:00:00Z"),
        ("2026-01-20T23:00:00Z", "2026-01-21T05:00:00Z"),
        ("2026-01-27T23:00:00Z", "2026-01-28T05:00:00Z"),
        ("2026-02-10T23:00:00Z", "2026-02-11T05:00:00Z"),
        ("2026-02-17T23:00:00Z", "2026-02-18T05:00:00Z"),
        ("2026-02-24T23:00:00Z", "2026-02-25T05:00:00Z"),
        ("2026-03-10T23:00:00Z", "2026-03-11T05:00:00Z"),
        ("2026-03-17T23:00:00Z", "2026-03-18T05:00:00Z"),
        ("2026-03-24T23:00:00Z", "2026-03-25T05:00:00Z"),
        ("2026-04-14T22:00:00Z", "2026-04-15T04:00:00Z"),
        ("2026-04-21T22:00:00Z", "2026-04-22T04:00:00Z"),
        ("2026-04-28T22:00:00Z", "2026-04-29T04:00:00Z"),
        ("2026-05-12T22:00:00Z", "2026-05-13T04:00:00Z"),
        ("2026-05-19T22:00:00Z", "2026-05-20T04:00:00Z"),
        ("2026-05-26T22:00:00Z", "2026-05-27T04:00:00Z"),
        ("2026-06-09T22:00:00Z", "2026-06-10T04:00:00Z"),
        ("2026-06-16T22:00:00Z", "2026-06-17T04:00:00Z"),
        ("2026-06-23T22:00:00Z", "2026-06-24T04:00:00Z"),
        ("2026-07-14T22:00:00Z", "2026-07-15T04:00:00Z"),
        ("2026-07-21T22:00:00Z", "2026-07-22T04:00:00Z"),
        ("2026-07-28T22:00:00Z", "2026-07-29T04:00:00Z"),
        ("2026-08-11T22:00:00Z", "2026-08-12T04:00:00Z"),
        ("2026-08-18T22:00:00Z", "2026-08-19T04:00:00Z"),
        ("2026-08-25T22:00:00Z", "2026-08-26T04:00:00Z"),
        ("2026-09-15T22:00:00Z", "2026-09-16T04:00:00Z"),
        ("2026-09-22T22:00:00Z", "2026-09-23T04:00:00Z"),
        ("2026-09-29T22:00:00Z", "2026-09-30T04:00:00Z"),
        ("2026-10-13T22:00:00Z", "2026-10-14T04:00:00Z"),
        ("2026-10-20T22:00:00Z", "2026-10-21T04:00:00Z"),
        ("2026-10-27T23:00:00Z", "2026-10-28T05:00:00Z"),
        ("2026-11-10T23:00:00Z", "2026-11-11T05:00:00Z"),
        ("2026-11-17T23:00:00Z", "2026-11-18T05:00:00Z"),
        ("2026-11-24T23:00:00Z", "2026-11-25T05:00:00Z"),
        ("2026-12-15T23:00:00Z", "2026-12-16T05:00:00Z"),
        ("2026-12-22T23:00:00Z", "2026-12-23T05:00:00Z"),
        ("2026-12-29T23:00:00Z", "2026-12-30T05:00:00Z"),
    ]);
    assert_eq!(listed(&recurrence, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), want);
}

#[test]
fn three_last_wednesdays_in_2027_with_a_five_wednesday_march() {
    let recurrence = paris("2026-01-14T00:00", 360, "FREQ=MONTHLY;BYDAY=-1WE,-2WE,-3WE");
    let want = expected(&[
        ("2027-01-12T23:00:00Z", "2027-01-13T05:00:00Z"),
        ("2027-01-19T23:00:00Z", "2027-01-20T05:00:00Z"),
        ("2027-01-26T23:00:00Z", "2027-01-27T05:00:00Z"),
        ("2027-02-09T23:00:00Z", "2027-02-10T05:00:00Z"),
        ("2027-02-16T23:00:00Z", "2027-02-17T05:00:00Z"),
        ("2027-02-23T23:00:00Z", "2027-02-24T05:00:00Z"),
        ("2027-03-16T23:00:00Z", "2027-03-17T05:00:00Z"),
        ("2027-03-23T23:00:00Z", "2027-03-24T05:00:00Z"),
        ("2027-03-30T22:00:00Z", "2027-03-31T04:00:00Z"),
        ("2027-04-13T22:00:00Z", "2027-04-14T04:00:00Z"),
        ("2027-04-20T22:00:00Z", "2027-04-21T04:00:00Z"),
        ("2027-04-27T22:00:00Z", "2027-04-28T04:00:00Z"),
        ("2027-05-11T22:00:00Z", "2027-05-12T04:00:00Z"),
        ("2027-05-18T22:00:00Z", "2027-05-19T04:00:00Z"),
        ("2027-05-25T22:00:00Z", "2027-05-26T04:00:00Z"),
        ("2027-06-15T22:00:00Z", "2027-06-16T04:00:00Z"),
        ("2027-06-22T22:00:00Z", "2027-06-23T04:00:00Z"),
        ("2027-06-29T22:00:00Z", "2027-06-30T04:00:00Z"),
        ("2027-07-13T22:00:00Z", "2027-07-14T04:00:00Z"),
        ("2027-07-20T22:00:00Z", "2027-07-21T04:00:00Z"),
        ("2027-07-27T22:00:00Z", "2027-07-28T04:00:00Z"),
        ("2027-08-10T22:00:00Z", "2027-08-11T04:00:00Z"),
        ("2027-08-17T22:00:00Z", "2027-08-18T04:00:00Z"),
        ("2027-08-24T22:00:00Z", "2027-08-25T04:00:00Z"),
        ("2027-09-14T22:00:00Z", "2027-09-15T04:00:00Z"),
        ("2027-09-21T22:00:00Z", "2027-09-22T04:00:00Z"),
        ("2027-09-28T22:00:00Z", "2027-09-29T04:00:00Z"),
        ("2027-10-12T22:00:00Z", "2027-10-13T04:00:00Z"),
        ("2027-10-19T22:00:00Z", "2027-10-20T04:00:00Z"),
        ("2027-10-26T22:00:00Z", "2027-10-27T04:00:00Z"),
        ("2027-11-09T23:00:00Z", "2027-11-10T05:00:00Z"),
        ("2027-11-16T23:00:00Z", "2027-11-17T05:00:00Z"),
        ("2027-11-23T23:00:00Z", "2027-11-24T05:00:00Z"),
        ("2027-12-14T23:00:00Z", "2027-12-15T05:00:00Z"),
        ("2027-12-21T23:00:00Z", "2027-12-22T05:00:00Z"),
        ("2027-12-28T23:00:00Z", "2027-12-29T05:00:00Z"),
    ]);
    assert_eq!(listed(&recurrence, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"), want);
}

#[test]
fn a_window_across_midnight_and_the_spring_change_lasts_its_real_minutes() {
    let recurrence = paris("2026-03-21T22:00", 240, "FREQ=WEEKLY;BYDAY=SA");
    let want = expected(&[
        ("2026-03-21T21:00:00Z", "2026-03-22T01:00:00Z"),
        ("2026-03-28T21:00:00Z", "2026-03-29T01:00:00Z"),
        ("2026-04-04T20:00:00Z", "2026-04-05T00:00:00Z"),
    ]);
    assert_eq!(listed(&recurrence, "2026-03-20T00:00:00Z", "2026-04-05T00:00:00Z"), want);
}

#[test]
fn a_window_across_midnight_and_the_autumn_change_lasts_its_real_minutes() {
    let recurrence = paris("2026-03-21T22:00", 240, "FREQ=WEEKLY;BYDAY=SA");
    let want = expected(&[
        ("2026-10-17T20:00:00Z", "2026-10-18T00:00:00Z"),
        ("2026-10-24T20:00:00Z", "2026-10-25T00:00:00Z"),
        ("2026-10-31T21:00:00Z", "2026-11-01T01:00:00Z"),
    ]);
    assert_eq!(listed(&recurrence, "2026-10-17T00:00:00Z", "2026-11-01T00:00:00Z"), want);
}

#[test]
fn a_one_off_window_is_listed_while_it_overlaps_the_span() {
    let once = Recurrence::new("Europe/Paris", "2026-10-24T23:00", 240, None).unwrap();
    // 23:00 CEST is 21:00Z; four real hours later (the clocks went back meanwhile) 01:00Z.
    let want = expected(&[("2026-10-24T21:00:00Z", "2026-10-25T01:00:00Z")]);
    assert_eq!(listed(&once, "2026-10-25T00:00:00Z", "2026-10-26T00:00:00Z"), want);
    assert!(listed(&once, "2026-10-25T01:00:00Z", "2026-10-26T00:00:00Z").is_empty());
    assert!(listed(&once, "2026-10-01T00:00:00Z", "2026-10-24T21:00:00Z").is_empty());
}

#[test]
fn reads_are_bounded() {
    let daily = paris("2026-01-01T00:00", 60, "FREQ=DAILY");
    let field = |from: &str, to: &str| daily.occurrences(at(from), at(to)).unwrap_err().field().unwrap().to_owned();
    assert_eq!(field("2026-01-01T00:00:00Z", "2027-02-06T00:00:00Z"), "to");
    assert_eq!(field("2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"), "to");
    assert_eq!(field("1999-12-01T00:00:00Z", "2000-01-02T00:00:00Z"), "from");
    assert_eq!(daily.occurrences(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")).unwrap().len(), 365);
    // Daily with BYHOUR: four a day, 1460 in a year: more than 1000 is refused naming `to`.
    let hourly = paris("2026-01-01T00:00", 60, "FREQ=DAILY;BYHOUR=0,6,12,18");
    assert_eq!(
        hourly.occurrences(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")).unwrap_err().field(),
        Some("to")
    );
}

#[test]
fn bad_schedules_are_refused_naming_the_field() {
    let field = |zone: &str, start: &str, minutes: i64, rule: Option<&str>| {
        Recurrence::new(zone, start, minutes, rule).unwrap_err().field().unwrap().to_owned()
    };
    assert_eq!(field("Europe/Atlantis", "2026-01-07T00:00", 60, None), "time_zone");
    assert_eq!(field("", "2026-01-07T00:00", 60, None), "time_zone");
    for start in ["2026-01-07", "2026-01-07T00:00Z", "2026-01-07T00:00:00", "2026-02-30T00:00", "1999-01-01T00:00"] {
        assert_eq!(field("Europe/Paris", start, 60, None), "start", "{start}");
    }
    // Clocks skip 02:00 to 03:00 on 2026-03-29 in Paris.
    assert_eq!(field("Europe/Paris", "2026-03-29T02:30", 60, None), "start");
    assert_eq!(field("Europe/Paris", "2026-01-07T00:00", 0, None), "duration_minutes");
    assert_eq!(field("Europe/Paris", "2026-01-07T00:00", -5, None), "duration_minutes");
    assert_eq!(field("Europe/Paris", "2026-01-07T00:00", 10081, None), "duration_minutes");
    for rule in [
        "FREQ=MONTHLY;BYDAY=9WE",
        "BYDAY=1WE",
        "FREQ=MINUTELY",
        "FREQ=MONTHLY;BYDAY=1WE\nDTSTART:20200101T000000Z",
        "FREQ=MONTHLY;BYDAY=1WE;X=\"",
        "FREQ=MONTHLY;BYDAY=XX",
        "hello",
    ] {
        assert_eq!(field("Europe/Paris", "2026-01-07T00:00", 60, Some(rule)), "rrule", "{rule}");
    }
    let named = Recurrence::new("europe/paris", "2026-01-07T00:00", 60, Some("rrule:freq=monthly;byday=1we")).unwrap();
    assert_eq!(named.time_zone(), "Europe/Paris");
    assert_eq!(named.rrule(), Some("FREQ=MONTHLY;BYDAY=1WE"));
}
