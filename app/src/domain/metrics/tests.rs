use super::*;
use crate::domain::plan::SupportPlan;
use jiff::tz::TimeZone;

fn paris(civil: &str) -> Timestamp {
    let civil: jiff::civil::DateTime = civil.parse().unwrap();
    TimeZone::get("Europe/Paris").unwrap().to_timestamp(civil).unwrap()
}

/// Elastic cloud Basic: Europe/Paris 09:00-18:00 Mon-Fri; Urgent 4 business hours, Normal
/// 2 business days to the initial response; Feedback pauses the clock.
fn basic() -> Contract {
    let plan = SupportPlan::preset("elastic-cloud-basic").unwrap();
    let calendar = plan.calendar.clone();
    Contract::new(plan, calendar).unwrap()
}

fn hours(h: i64) -> i64 {
    h * 3600
}

#[test]
fn first_response_is_the_first_public_support_reply_in_calendar_and_business_time() {
    let opened = paris("2026-03-03T17:00"); // a Tuesday
    let facts = [
        SlaEvent::internal_note(paris("2026-03-03T17:10")),
        SlaEvent::customer_reply(paris("2026-03-03T17:20")),
        SlaEvent::support_reply(paris("2026-03-04T10:00")),
        SlaEvent::support_reply(paris("2026-03-04T11:00")),
    ];
    let m = case_metrics(&basic(), Severity::Normal, opened, &facts, paris("2026-03-05T00:00"));
    assert_eq!(m.first_response, Some(Elapsed { calendar_seconds: hours(17), business_seconds: hours(2) }));
    assert_eq!(m.support_replies, 2);
    assert_eq!(m.initial_response, SlaOutcome::Met);
    assert_eq!(m.resolution, None);
    assert!(!m.one_touch && !m.ever_resolved);
}

#[test]
fn feedback_pauses_the_sla_but_not_the_response_time() {
    let opened = paris("2026-03-03T10:00");
    let facts = [
        SlaEvent::status(paris("2026-03-03T11:00"), Status::Feedback),
        SlaEvent::customer_reply(paris("2026-03-05T11:00")),
        SlaEvent::status(paris("2026-03-05T11:00"), Status::Confirmed),
        SlaEvent::support_reply(paris("2026-03-06T10:00")),
    ];
    // Paused two days: 2 business days (18 h) would be due Thursday 10:00 without the pause.
    let paused = case_metrics(&basic(), Severity::Normal, opened, &facts, paris("2026-03-04T12:00"));
    assert_eq!(paused.initial_response, SlaOutcome::Running);
    let m = case_metrics(&basic(), Severity::Normal, opened, &facts, paris("2026-03-06T12:00"));
    assert_eq!(m.initial_response, SlaOutcome::Met, "the pause moved the due time past Friday 10:00");
    assert_eq!(m.first_response.unwrap().calendar_seconds, hours(72));
    assert_eq!(m.first_response.unwrap().business_seconds, hours(27));
}

#[test]
fn a_reopened_case_counts_to_its_last_resolution_and_is_never_one_touch() {
    let opened = paris("2026-03-03T10:00");
    let mut facts = vec![
        SlaEvent::support_reply(paris("2026-03-03T10:30")),
        SlaEvent::status(paris("2026-03-03T12:00"), Status::Resolved),
        SlaEvent::status(paris("2026-03-04T09:00"), Status::Confirmed),
    ];
    let reopened = case_metrics(&basic(), Severity::Normal, opened, &facts, paris("2026-03-04T10:00"));
    assert!(reopened.reopened && reopened.ever_resolved);
    assert_eq!((reopened.resolution, reopened.resolved_at), (None, None), "open again: no resolution yet");
    facts.push(SlaEvent::status(paris("2026-03-04T15:00"), Status::Resolved));
    facts.push(SlaEvent::status(paris("2026-03-05T15:00"), Status::Closed));
    let m = case_metrics(&basic(), Severity::Normal, opened, &facts, paris("2026-03-06T10:00"));
    assert_eq!(m.resolved_at, Some(paris("2026-03-04T15:00")));
    assert_eq!(m.resolution, Some(Elapsed { calendar_seconds: hours(29), business_seconds: hours(14) }));
    assert!(m.reopened && !m.one_touch);
}

#[test]
fn one_reply_and_resolved_is_one_touch() {
    let opened = paris("2026-03-03T10:00");
    let facts = [
        SlaEvent::support_reply(paris("2026-03-03T10:30")),
        SlaEvent::status(paris("2026-03-03T10:31"), Status::Resolved),
    ];
    let m = case_metrics(&basic(), Severity::Normal, opened, &facts, paris("2026-03-03T11:00"));
    assert!(m.one_touch && !m.reopened);
    let two = [SlaEvent::support_reply(paris("2026-03-03T10:20")), facts[0], facts[1]];
    assert!(!case_metrics(&basic(), Severity::Normal, opened, &two, paris("2026-03-03T11:00")).one_touch);
}

#[test]
fn a_severity_raise_applies_the_sooner_target_from_then() {
    let opened = paris("2026-03-03T10:00");
    let facts = [
        SlaEvent::severity(paris("2026-03-03T11:00"), Severity::Normal, Severity::Urgent),
        SlaEvent::support_reply(paris("2026-03-03T16:00")),
    ];
    // Urgent: 4 business hours from 11:00, due 15:00; the reply at 16:00 is late.
    let m = case_metrics(&basic(), Severity::Urgent, opened, &facts, paris("2026-03-03T17:00"));
    assert_eq!(m.initial_response, SlaOutcome::Breached);
    let on_normal = case_metrics(&basic(), Severity::Normal, opened, &facts[1..], paris("2026-03-03T17:00"));
    assert_eq!(on_normal.initial_response, SlaOutcome::Met);
}

#[test]
fn business_time_spans_a_daylight_saving_change() {
    // Friday 27 March 2026 17:00 (UTC+1) to Monday 30 March 10:00 (UTC+2): clocks went
    // forward on Sunday, so 64 real hours; one business hour on Friday, one on Monday.
    let opened = paris("2026-03-27T17:00");
    let facts = [SlaEvent::support_reply(paris("2026-03-30T10:00"))];
    let m = case_metrics(&basic(), Severity::Normal, opened, &facts, paris("2026-03-30T12:00"));
    assert_eq!(m.first_response, Some(Elapsed { calendar_seconds: hours(64), business_seconds: hours(2) }));
}

#[test]
fn a_case_without_sla_has_no_commitment_and_later_facts_are_ignored() {
    let opened = paris("2026-03-03T10:00");
    let facts = [SlaEvent::no_commitment(opened), SlaEvent::support_reply(paris("2026-03-03T12:00"))];
    let m = case_metrics(&basic(), Severity::Urgent, opened, &facts, paris("2026-03-03T11:00"));
    assert_eq!((m.initial_response, m.restore), (SlaOutcome::NoCommitment, SlaOutcome::NoCommitment));
    assert_eq!(m.first_response, None, "the reply comes after `now`");
}

#[test]
fn report_parameters_are_checked_field_by_field() {
    let ok = ReportQuery::parse(
        "resolution",
        Some("2026-01-01T00:00:00Z"),
        Some("2026-02-01T00:00:00Z"),
        Some("week"),
        None,
        Some("2"),
        None,
    )
    .unwrap();
    assert_eq!((ok.metric, ok.group_by, ok.severity), (Metric::Resolution, GroupBy::Week, Some(Severity::High)));
    let field = |r: Result<ReportQuery, crate::error::AppError>| r.unwrap_err().field().map(str::to_owned);
    let from = Some("2026-01-01T00:00:00Z");
    assert_eq!(field(ReportQuery::parse("nope", from, from, None, None, None, None)).as_deref(), Some("metric"));
    assert_eq!(field(ReportQuery::parse("backlog", None, from, None, None, None, None)).as_deref(), Some("from"));
    assert_eq!(
        field(ReportQuery::parse("backlog", from, Some("yesterday"), None, None, None, None)).as_deref(),
        Some("to")
    );
    assert_eq!(
        field(ReportQuery::parse("backlog", from, Some("2030-01-01T00:00:00Z"), None, None, None, None)).as_deref(),
        Some("to")
    );
    assert_eq!(
        field(ReportQuery::parse("backlog", from, from, Some("week"), None, None, None)).as_deref(),
        Some("group_by")
    );
    assert_eq!(
        field(ReportQuery::parse("one_touch", from, from, Some("team"), None, None, None)).as_deref(),
        Some("group_by")
    );
    assert_eq!(
        field(ReportQuery::parse("one_touch", from, from, None, None, Some("9"), None)).as_deref(),
        Some("severity")
    );
    assert_eq!(
        field(ReportQuery::parse("one_touch", from, from, None, None, None, Some("x"))).as_deref(),
        Some("clock")
    );
}
