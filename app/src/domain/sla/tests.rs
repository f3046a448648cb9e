use super::*;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::case::Severity;
use crate::domain::lifecycle::Status;
use crate::domain::plan::{SlaTarget, SupportPlan};
use crate::error::AppError;
use Severity::{Development, High, Normal, Urgent};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

const PARIS: &str = "Europe/Paris";

fn at(zone: &str, civil: &str) -> Timestamp {
    let civil: jiff::civil::DateTime = civil.parse().unwrap();
    TimeZone::get(zone).unwrap().to_timestamp(civil).unwrap()
}

fn paris(civil: &str) -> Timestamp {
    at(PARIS, civil)
}

fn contract(plan_id: &str) -> Contract {
    let plan = SupportPlan::preset(plan_id).unwrap();
    let calendar = plan.calendar.clone();
    Contract::new(plan, calendar).unwrap()
}

fn initial(plan_id: &str, severity: Severity, opened: Timestamp, events: &[SlaEvent], now: Timestamp) -> SlaClock {
    clock(&contract(plan_id), SlaClockKind::InitialResponse, severity, opened, events, now)
}

fn restore(plan_id: &str, severity: Severity, opened: Timestamp, events: &[SlaEvent], now: Timestamp) -> SlaClock {
    clock(&contract(plan_id), SlaClockKind::Restore, severity, opened, events, now)
}

/// A case opened on Friday 8 March 2024 at 16:00 in Paris, seen a minute later.
fn friday_four_pm() -> Timestamp {
    paris("2024-03-08T16:00")
}

/// The initial response due time of a case opened on Friday 16:00 Paris, or `None`
/// with no commitment.
fn initial_due(plan_id: &str, severity: Severity) -> Option<Timestamp> {
    let opened = friday_four_pm();
    let clock = initial(plan_id, severity, opened, &[], opened + SignedDuration::from_mins(1));
    match clock.state {
        SlaClockState::Running => clock.due,
        SlaClockState::NoCommitment => None,
        other => panic!("unexpected state {other:?}"),
    }
}

fn not_offered(plan_id: &str, severity: Severity) -> bool {
    SupportPlan::preset(plan_id).unwrap().check_severity(severity).is_err()
}

// Friday 16:00 + 30 min / 1 h / 4 h of real time; + 4 business hours = Monday 11:00;
// + 1 business day (9 h) = Monday 16:00; + 2 business days = Tuesday 16:00.
fn half_an_hour_later() -> Option<Timestamp> {
    Some(paris("2024-03-08T16:30"))
}
fn one_hour_later() -> Option<Timestamp> {
    Some(paris("2024-03-08T17:00"))
}
fn four_hours_later() -> Option<Timestamp> {
    Some(paris("2024-03-08T20:00"))
}
fn four_business_hours_later() -> Option<Timestamp> {
    Some(paris("2024-03-11T11:00"))
}
fn one_business_day_later() -> Option<Timestamp> {
    Some(paris("2024-03-11T16:00"))
}
fn two_business_days_later() -> Option<Timestamp> {
    Some(paris("2024-03-12T16:00"))
}

macro_rules! cell {
    ($name:ident: $plan:literal, $severity:expr => not offered) => {
        #[test]
        fn $name() {
            assert!(not_offered($plan, $severity));
            let opened = friday_four_pm();
            let clock = initial($plan, $severity, opened, &[], opened);
            assert_eq!(clock.state, SlaClockState::NoCommitment);
            assert!(clock.explanation.contains("is not offered"), "{}", clock.explanation);
        }
    };
    ($name:ident: $plan:literal, $severity:expr => $expected:expr) => {
        #[test]
        fn $name() {
            assert_eq!(initial_due($plan, $severity), $expected);
        }
    };
}

// Elastic cloud.
cell!(urgent_case_on_elastic_cloud_premium_is_due_30_minutes_later_24x7: "elastic-cloud-premium", Urgent => half_an_hour_later());
cell!(high_case_on_elastic_cloud_premium_is_due_four_hours_later_24x7: "elastic-cloud-premium", High => four_hours_later());
cell!(normal_case_on_elastic_cloud_premium_is_due_one_business_day_later: "elastic-cloud-premium", Normal => one_business_day_later());
cell!(urgent_case_on_elastic_cloud_enhanced_is_due_one_hour_later_24x7: "elastic-cloud-enhanced", Urgent => one_hour_later());
cell!(high_case_on_elastic_cloud_enhanced_is_due_four_hours_later_24x7: "elastic-cloud-enhanced", High => four_hours_later());
cell!(normal_case_on_elastic_cloud_enhanced_is_due_one_business_day_later: "elastic-cloud-enhanced", Normal => one_business_day_later());
cell!(urgent_case_on_elastic_cloud_basic_is_due_four_business_hours_later: "elastic-cloud-basic", Urgent => four_business_hours_later());
cell!(high_case_on_elastic_cloud_basic_is_due_one_business_day_later: "elastic-cloud-basic", High => one_business_day_later());
cell!(normal_case_on_elastic_cloud_basic_is_due_two_business_days_later: "elastic-cloud-basic", Normal => two_business_days_later());
cell!(urgent_case_on_elastic_cloud_limited_has_no_commitment: "elastic-cloud-limited", Urgent => None);
cell!(high_case_on_elastic_cloud_limited_has_no_commitment: "elastic-cloud-limited", High => None);
cell!(normal_case_on_elastic_cloud_limited_has_no_commitment: "elastic-cloud-limited", Normal => None);

// Elastic self-managed.
cell!(urgent_case_on_elastic_enterprise_is_due_one_hour_later_24x7: "elastic-sm-enterprise", Urgent => one_hour_later());
cell!(high_case_on_elastic_enterprise_is_due_four_hours_later_24x7: "elastic-sm-enterprise", High => four_hours_later());
cell!(normal_case_on_elastic_enterprise_is_due_one_business_day_later: "elastic-sm-enterprise", Normal => one_business_day_later());
cell!(development_case_is_not_offered_on_elastic_enterprise: "elastic-sm-enterprise", Development => not offered);
cell!(urgent_case_on_elastic_platinum_is_due_one_hour_later_24x7: "elastic-sm-platinum", Urgent => one_hour_later());
cell!(high_case_on_elastic_platinum_is_due_four_hours_later_24x7: "elastic-sm-platinum", High => four_hours_later());
cell!(normal_case_on_elastic_platinum_is_due_one_business_day_later: "elastic-sm-platinum", Normal => one_business_day_later());
cell!(development_case_is_not_offered_on_elastic_platinum: "elastic-sm-platinum", Development => not offered);
cell!(urgent_case_on_elastic_gold_is_due_four_business_hours_later: "elastic-sm-gold", Urgent => four_business_hours_later());
cell!(high_case_on_elastic_gold_is_due_one_business_day_later: "elastic-sm-gold", High => one_business_day_later());
cell!(normal_case_on_elastic_gold_is_due_two_business_days_later: "elastic-sm-gold", Normal => two_business_days_later());
cell!(development_case_is_not_offered_on_elastic_gold: "elastic-sm-gold", Development => not offered);
cell!(urgent_case_is_not_offered_on_elastic_development: "elastic-sm-development", Urgent => not offered);
cell!(high_case_is_not_offered_on_elastic_development: "elastic-sm-development", High => not offered);
cell!(normal_case_is_not_offered_on_elastic_development: "elastic-sm-development", Normal => not offered);
cell!(development_case_on_elastic_development_is_due_two_business_days_later: "elastic-sm-development", Development => two_business_days_later());

// Coveo: a calendar and severities, no time commitment.
cell!(critical_case_on_coveo_has_no_time_commitment: "coveo", Urgent => None);
cell!(major_case_on_coveo_has_no_time_commitment: "coveo", High => None);
cell!(minor_case_on_coveo_has_no_time_commitment: "coveo", Normal => None);

// Cloud Avenue: no initial response time; the P1 restore time (GTR).
cell!(p1_case_on_cloud_avenue_gold_has_no_initial_response_time: "cloud-avenue-gold", Urgent => None);
cell!(p1_case_on_cloud_avenue_standard_has_no_initial_response_time: "cloud-avenue-standard", Urgent => None);

fn restore_due(plan_id: &str) -> Option<Timestamp> {
    // Received 24x7: a P1 opened on Sunday at 03:00 starts its restore clock at once.
    let opened = paris("2024-03-10T03:00");
    restore(plan_id, Urgent, opened, &[], opened).due
}

#[test]
fn p1_case_on_cloud_avenue_standard_has_no_guaranteed_restore_time() {
    assert_eq!(restore_due("cloud-avenue-standard"), None);
    let opened = paris("2024-03-10T03:00");
    let clock = restore("cloud-avenue-standard", Urgent, opened, &[], opened);
    assert_eq!(clock.state, SlaClockState::NoCommitment);
    assert_eq!(clock.explanation, "no restore time commitment for P1 on Cloud Avenue Standard");
}

#[test]
fn p1_case_on_cloud_avenue_bronze_is_restored_within_8_hours_around_the_clock() {
    assert_eq!(restore_due("cloud-avenue-bronze"), Some(paris("2024-03-10T11:00")));
}

#[test]
fn p1_case_on_cloud_avenue_silver_is_restored_within_8_hours_around_the_clock() {
    assert_eq!(restore_due("cloud-avenue-silver"), Some(paris("2024-03-10T11:00")));
}

#[test]
fn p1_case_on_cloud_avenue_gold_is_restored_within_4_hours_around_the_clock() {
    assert_eq!(restore_due("cloud-avenue-gold"), Some(paris("2024-03-10T07:00")));
}

#[test]
fn only_p1_has_a_restore_time_on_cloud_avenue() {
    let opened = paris("2024-03-10T03:00");
    assert_eq!(restore("cloud-avenue-gold", High, opened, &[], opened).state, SlaClockState::NoCommitment);
    assert_eq!(restore("elastic-cloud-premium", Urgent, opened, &[], opened).state, SlaClockState::NoCommitment);
}

// --- the rules ---

#[test]
fn clocks_returns_the_initial_response_then_the_restore() {
    let opened = paris("2024-03-05T10:00");
    let both = clocks(&contract("cloud-avenue-gold"), Urgent, opened, &[], opened);
    assert_eq!(
        both.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [SlaClockKind::InitialResponse, SlaClockKind::Restore]
    );
    assert_eq!(both[0].state, SlaClockState::NoCommitment);
    assert_eq!(both[1].state, SlaClockState::Running);
}

#[test]
fn a_business_target_explains_itself_with_plan_and_calendar() {
    let opened = paris("2024-03-05T10:00");
    let clock = initial("elastic-cloud-basic", Urgent, opened, &[], paris("2024-03-05T11:00"));
    assert_eq!(clock.due, Some(paris("2024-03-05T14:00")));
    assert_eq!(clock.remaining, Some(SignedDuration::from_hours(3)));
    assert_eq!(clock.target, Some(SlaTarget::BusinessHours(4)));
    assert_eq!(
        clock.explanation,
        "4 business hours on Elastic cloud Basic, calendar Europe/Paris 09:00-18:00 Mon-Fri"
    );
}

#[test]
fn one_business_day_from_tuesday_ten_is_wednesday_ten() {
    let clock = initial("elastic-cloud-premium", Normal, paris("2024-03-05T10:00"), &[], paris("2024-03-05T10:00"));
    assert_eq!(clock.due, Some(paris("2024-03-06T10:00")));
}

#[test]
fn a_business_target_opened_at_night_starts_counting_at_the_next_window() {
    let clock = initial("elastic-cloud-basic", Urgent, paris("2024-03-05T22:00"), &[], paris("2024-03-05T23:00"));
    assert_eq!(clock.due, Some(paris("2024-03-06T13:00")));
    assert_eq!(clock.remaining, Some(SignedDuration::from_hours(4)));
}

#[test]
fn the_organizations_calendar_counts_not_the_plans_default() {
    let plan = SupportPlan::preset("elastic-cloud-basic").unwrap();
    let shanghai = Contract::new(plan, BusinessCalendar::office_hours("Asia/Shanghai")).unwrap();
    let opened = at("Asia/Shanghai", "2024-03-04T17:00");
    let clock = clock(&shanghai, SlaClockKind::InitialResponse, Urgent, opened, &[], opened);
    assert_eq!(clock.due, Some(at("Asia/Shanghai", "2024-03-05T12:00")));
    assert!(clock.explanation.ends_with("calendar Asia/Shanghai 09:00-18:00 Mon-Fri"), "{}", clock.explanation);
}

#[test]
fn the_first_public_reply_meets_the_initial_response_in_time() {
    let opened = paris("2024-03-05T10:00");
    let events =
        [SlaEvent::support_reply(paris("2024-03-05T10:20")), SlaEvent::support_reply(paris("2024-03-05T11:00"))];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
    assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-05T10:20"), in_time: true });
    assert_eq!(clock.remaining, Some(SignedDuration::from_mins(10)));
    assert_eq!(warning_at(&clock), None);
}

#[test]
fn an_internal_note_does_not_meet_the_response_clock() {
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::internal_note(paris("2024-03-05T10:05"))];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:10"));
    assert_eq!(clock.state, SlaClockState::Running);
    assert_eq!(clock.remaining, Some(SignedDuration::from_mins(20)));
    let later = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:31"));
    assert_eq!(later.state, SlaClockState::Breached);
}

#[test]
fn a_reply_after_the_due_time_meets_the_clock_late() {
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::support_reply(paris("2024-03-05T10:45"))];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
    assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-05T10:45"), in_time: false });
    assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
    assert_eq!(clock.remaining, Some(-SignedDuration::from_mins(15)));
    assert!(clock.explanation.contains("met late on 2024-03-05 10:45 Europe/Paris"), "{}", clock.explanation);
}

#[test]
fn a_reply_exactly_at_the_due_time_is_in_time() {
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::support_reply(paris("2024-03-05T10:30"))];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
    assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-05T10:30"), in_time: true });
}

#[test]
fn an_unanswered_clock_past_its_due_time_is_breached_with_negative_time_left() {
    let opened = paris("2024-03-05T10:00");
    let clock = initial("elastic-cloud-premium", Urgent, opened, &[], paris("2024-03-05T11:00"));
    assert_eq!(clock.state, SlaClockState::Breached);
    assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
    assert_eq!(clock.remaining, Some(-SignedDuration::from_mins(30)));
    assert!(clock.explanation.ends_with("; breached since 2024-03-05 10:30 Europe/Paris"), "{}", clock.explanation);
    // At the due instant itself it still runs.
    let on_time = initial("elastic-cloud-premium", Urgent, opened, &[], paris("2024-03-05T10:30"));
    assert_eq!(on_time.state, SlaClockState::Running);
}

#[test]
fn a_breached_business_clock_counts_overdue_business_time() {
    let opened = paris("2024-03-05T10:00");
    let clock = initial("elastic-cloud-basic", Urgent, opened, &[], paris("2024-03-06T10:00"));
    assert_eq!(clock.state, SlaClockState::Breached);
    assert_eq!(clock.remaining, Some(-SignedDuration::from_hours(5)));
}

#[test]
fn the_warning_comes_at_80_percent_of_the_target() {
    let opened = paris("2024-03-05T10:00");
    let clock = initial("elastic-cloud-premium", Urgent, opened, &[], opened);
    assert_eq!(warning_at(&clock), Some(paris("2024-03-05T10:24")));
    // 80% of 4 business hours from Tuesday 16:00 is 3 h 12 min: Wednesday 10:12.
    let clock = initial("elastic-cloud-basic", Urgent, paris("2024-03-05T16:00"), &[], paris("2024-03-05T16:00"));
    assert_eq!(warning_at(&clock), Some(paris("2024-03-06T10:12")));
    // Once passed, it stays where it was.
    let late = initial("elastic-cloud-premium", Urgent, opened, &[], paris("2024-03-05T11:00"));
    assert_eq!(warning_at(&late), Some(paris("2024-03-05T10:24")));
}

#[test]
fn feedback_pauses_the_clock_and_a_customer_reply_resumes_it() {
    let opened = paris("2024-03-05T10:00");
    let events = [
        SlaEvent::status(paris("2024-03-05T11:00"), Status::Feedback),
        SlaEvent::customer_reply(paris("2024-03-05T13:10")),
    ];
    // 2 business days (18 h) from Tuesday 10:00 is Thursday 10:00; paused 2 h 10 min.
    let clock = initial("elastic-cloud-basic", Normal, opened, &events, paris("2024-03-05T14:00"));
    assert_eq!(clock.state, SlaClockState::Running);
    assert_eq!(clock.due, Some(paris("2024-03-07T12:10")));
    assert_eq!(clock.paused_total, SignedDuration::from_mins(130));
    assert_eq!(
        clock.explanation,
        "2 business days on Elastic cloud Basic, calendar Europe/Paris 09:00-18:00 Mon-Fri; \
         paused 2 h 10 min while waiting on the customer"
    );
}

#[test]
fn a_paused_clock_has_no_due_time_and_keeps_its_time_left() {
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::status(paris("2024-03-05T11:00"), Status::Feedback)];
    let clock = initial("elastic-cloud-basic", Normal, opened, &events, paris("2024-03-06T15:00"));
    assert_eq!(clock.state, SlaClockState::Paused);
    assert_eq!(clock.due, None);
    assert_eq!(clock.remaining, Some(SignedDuration::from_hours(17)));
    assert_eq!(clock.paused_total, SignedDuration::from_hours(28));
    assert_eq!(warning_at(&clock), None);
}

#[test]
fn leaving_feedback_resumes_the_clock() {
    let opened = paris("2024-03-05T10:00");
    let events = [
        SlaEvent::status(paris("2024-03-05T10:10"), Status::Feedback),
        SlaEvent::status(paris("2024-03-05T10:40"), Status::Assigned),
    ];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:41"));
    assert_eq!(clock.state, SlaClockState::Running);
    assert_eq!(clock.due, Some(paris("2024-03-05T11:00")));
    assert_eq!(clock.paused_total, SignedDuration::from_mins(30));
}

#[test]
fn a_second_feedback_request_pauses_again_after_a_customer_reply() {
    let opened = paris("2024-03-05T10:00");
    let events = [
        SlaEvent::status(paris("2024-03-05T10:10"), Status::Feedback),
        SlaEvent::customer_reply(paris("2024-03-05T10:20")),
        SlaEvent::status(paris("2024-03-05T10:25"), Status::Feedback),
        SlaEvent::customer_reply(paris("2024-03-05T10:45")),
    ];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:46"));
    assert_eq!(clock.paused_total, SignedDuration::from_mins(30));
    assert_eq!(clock.due, Some(paris("2024-03-05T11:00")));
}

#[test]
fn a_plan_that_does_not_pause_in_feedback_keeps_counting() {
    let mut plan = SupportPlan::preset("elastic-cloud-premium").unwrap();
    plan.pauses_in_feedback = false;
    let contract = Contract::new(plan, BusinessCalendar::office_hours(PARIS)).unwrap();
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::status(paris("2024-03-05T10:10"), Status::Feedback)];
    let clock = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &events, paris("2024-03-05T10:20"));
    assert_eq!(clock.state, SlaClockState::Running);
    assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
}

#[test]
fn a_pause_does_not_undo_a_breach() {
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::status(paris("2024-03-05T11:00"), Status::Feedback)];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
    assert_eq!(clock.state, SlaClockState::Breached);
    assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
}

#[test]
fn the_restore_clock_stops_at_resolved_and_pauses_in_feedback() {
    let opened = paris("2024-03-10T03:00");
    let events = [
        SlaEvent::support_reply(paris("2024-03-10T03:30")),
        SlaEvent::status(paris("2024-03-10T04:00"), Status::Feedback),
        SlaEvent::customer_reply(paris("2024-03-10T05:00")),
        SlaEvent::status(paris("2024-03-10T07:30"), Status::Resolved),
    ];
    let clock = restore("cloud-avenue-gold", Urgent, opened, &events, paris("2024-03-10T09:00"));
    assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-10T07:30"), in_time: true });
    assert_eq!(clock.due, Some(paris("2024-03-10T08:00")));
    assert!(
        clock.explanation.starts_with("4 h, 24x7 on Cloud Avenue Gold; paused 1 h while waiting"),
        "{}",
        clock.explanation
    );
}

#[test]
fn the_restore_clock_also_stops_at_closed_and_a_public_reply_does_not_stop_it() {
    let opened = paris("2024-03-10T03:00");
    let replied = [SlaEvent::support_reply(paris("2024-03-10T03:30"))];
    let running = restore("cloud-avenue-silver", Urgent, opened, &replied, paris("2024-03-10T04:00"));
    assert_eq!(running.state, SlaClockState::Running);
    let closed = [SlaEvent::status(paris("2024-03-10T12:00"), Status::Closed)];
    let late = restore("cloud-avenue-silver", Urgent, opened, &closed, paris("2024-03-10T13:00"));
    assert_eq!(late.state, SlaClockState::Met { at: paris("2024-03-10T12:00"), in_time: false });
}

#[test]
fn events_after_now_are_not_seen() {
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::support_reply(paris("2024-03-05T10:20"))];
    let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:10"));
    assert_eq!(clock.state, SlaClockState::Running);
}

#[test]
fn a_plan_upgrade_mid_case_brings_the_due_time_forward_and_says_so() {
    let opened = paris("2024-03-05T10:00");
    let premium = SupportPlan::preset("elastic-cloud-premium").unwrap();
    let contract = contract("elastic-cloud-basic").with_plan_change(paris("2024-03-05T11:00"), premium).unwrap();
    let before = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], paris("2024-03-05T10:30"));
    assert_eq!(before.due, Some(paris("2024-03-05T14:00")));
    let after = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], paris("2024-03-05T11:10"));
    assert_eq!(after.due, Some(paris("2024-03-05T11:30")));
    assert_eq!(after.plan_id, "elastic-cloud-premium");
    assert_eq!(after.target, Some(SlaTarget::minutes_24x7(30)));
    assert_eq!(
        after.explanation,
        "30 min, 24x7 on Elastic cloud Premium; upgraded from Elastic cloud Basic on 2024-03-05 11:00 \
         Europe/Paris, due moved from 2024-03-05 14:00 Europe/Paris to 2024-03-05 11:30 Europe/Paris"
    );
}

#[test]
fn raising_the_severity_brings_the_new_target_from_the_change() {
    // Premium: Normal is 1 business day (Tuesday 10:00 → Wednesday 10:00); raised to
    // Urgent at 11:00, the 30 minutes count from then.
    let opened = paris("2024-03-05T10:00");
    let raised = [SlaEvent::severity(paris("2024-03-05T11:00"), Normal, Urgent)];
    let before = initial("elastic-cloud-premium", Urgent, opened, &raised, paris("2024-03-05T10:30"));
    assert_eq!(before.due, Some(paris("2024-03-06T10:00")), "opened Normal: {}", before.explanation);
    let after = initial("elastic-cloud-premium", Urgent, opened, &raised, paris("2024-03-05T11:10"));
    assert_eq!(after.due, Some(paris("2024-03-05T11:30")));
    assert!(after.explanation.contains("severity raised to 1"), "{}", after.explanation);
}

#[test]
fn lowering_the_severity_never_extends_a_promise_made() {
    let opened = paris("2024-03-05T10:00");
    let lowered = [SlaEvent::severity(paris("2024-03-05T10:10"), Urgent, Normal)];
    let clock = initial("elastic-cloud-premium", Normal, opened, &lowered, paris("2024-03-05T10:20"));
    assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
    assert!(clock.explanation.contains("the earlier due time stands"), "{}", clock.explanation);
}

#[test]
fn a_plan_change_never_pushes_the_due_time_back() {
    let opened = paris("2024-03-05T10:00");
    let basic = SupportPlan::preset("elastic-cloud-basic").unwrap();
    let contract = contract("elastic-cloud-premium").with_plan_change(paris("2024-03-05T10:10"), basic).unwrap();
    let clock = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], paris("2024-03-05T10:20"));
    assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
    assert!(clock.explanation.contains("the earlier due time stands"), "{}", clock.explanation);
}

#[test]
fn an_upgrade_to_a_tier_with_a_restore_time_starts_that_clock() {
    let opened = paris("2024-03-05T10:00");
    let gold = SupportPlan::preset("cloud-avenue-gold").unwrap();
    let contract = contract("cloud-avenue-standard").with_plan_change(paris("2024-03-05T12:00"), gold).unwrap();
    let clock = clock(&contract, SlaClockKind::Restore, Urgent, opened, &[], paris("2024-03-05T12:30"));
    assert_eq!(clock.state, SlaClockState::Running);
    assert_eq!(clock.due, Some(paris("2024-03-05T16:00")));
    assert!(
        clock.explanation.contains("plan changed to Cloud Avenue Gold on 2024-03-05 12:00"),
        "{}",
        clock.explanation
    );
}

#[test]
fn a_plan_in_force_before_the_case_was_opened_is_simply_its_plan() {
    let opened = paris("2024-03-05T10:00");
    let premium = SupportPlan::preset("elastic-cloud-premium").unwrap();
    let contract = contract("elastic-cloud-basic").with_plan_change(paris("2024-03-01T00:00"), premium).unwrap();
    let clock = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], opened);
    assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
    assert_eq!(clock.explanation, "30 min, 24x7 on Elastic cloud Premium");
}

#[test]
fn a_contract_with_a_bad_calendar_is_refused_on_the_calendar_field() {
    let plan = SupportPlan::preset("elastic-cloud-basic").unwrap();
    let err = Contract::new(plan.clone(), BusinessCalendar::office_hours("Nowhere/Town")).unwrap_err();
    assert!(matches!(err, AppError::Invalid { ref field, .. } if field == "time_zone"), "{err:?}");
    let mut bad = plan.clone();
    bad.severities[0].initial_response = Some(SlaTarget::BusinessHours(0));
    let err = Contract::new(plan, BusinessCalendar::office_hours(PARIS))
        .unwrap()
        .with_plan_change(Timestamp::UNIX_EPOCH, bad)
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid { ref field, .. } if field == "targets"), "{err:?}");
}

#[test]
fn a_contract_and_a_clock_travel_as_json() {
    let contract = contract("elastic-cloud-basic");
    let json = serde_json::to_value(&contract).unwrap();
    assert_eq!(json["calendar"]["time_zone"], "Europe/Paris");
    let back: Contract = serde_json::from_value(json).unwrap();
    assert_eq!(back.terms(), contract.terms());
    let mut broken = serde_json::to_value(&contract).unwrap();
    broken["calendar"]["time_zone"] = "Nowhere/Town".into();
    assert!(serde_json::from_value::<Contract>(broken).is_err());

    let opened = paris("2024-03-05T10:00");
    let clock = initial(
        "elastic-cloud-basic",
        Urgent,
        opened,
        &[SlaEvent::support_reply(paris("2024-03-05T10:05"))],
        opened + SignedDuration::from_hours(1),
    );
    let json = serde_json::to_value(&clock).unwrap();
    assert_eq!(json["state"]["state"], "met");
    assert_eq!(json["kind"], "initial_response");
    assert_eq!(serde_json::from_value::<SlaClock>(json).unwrap(), clock);
    let event = SlaEvent::status(opened, Status::Feedback);
    let json = serde_json::to_value(event).unwrap();
    assert_eq!(json["kind"]["type"], "status_changed");
    assert_eq!(json["kind"]["to"], "feedback");
}

#[test]
fn a_case_without_sla_runs_no_clock_whatever_its_plan_and_says_why() {
    let opened = paris("2024-03-05T10:00");
    let events = [SlaEvent::no_commitment(opened), SlaEvent::severity(paris("2024-03-05T11:00"), Urgent, Urgent)];
    for clock in clocks(&contract("cloud-avenue-gold"), Urgent, opened, &events, paris("2024-03-08T10:00")) {
        assert_eq!(clock.state, SlaClockState::NoCommitment, "{clock:?}");
        assert_eq!((clock.due, clock.warning_at), (None, None));
        assert!(clock.explanation.contains("maintenance task"), "{}", clock.explanation);
    }
}
