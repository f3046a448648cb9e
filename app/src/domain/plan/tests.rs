use super::*;
use Severity::{Development, High, Normal, Urgent};

fn plan(id: &str) -> SupportPlan {
    SupportPlan::preset(id).unwrap_or_else(|| panic!("no preset {id}"))
}

fn field_of(result: Result<(), AppError>) -> String {
    match result {
        Err(AppError::Invalid { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn every_vendor_table_has_its_presets() {
    assert_eq!(PRESET_PLAN_IDS.len(), 13);
    assert!(is_preset_plan("elastic-cloud-premium"));
    assert!(is_preset_plan("coveo"));
    assert!(!is_preset_plan("platinum-plus"));
}

#[test]
fn every_preset_id_has_a_valid_plan_with_that_id() {
    for id in PRESET_PLAN_IDS {
        let plan = plan(id);
        assert_eq!(plan.id, *id);
        plan.validate().unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(plan.pauses_in_feedback, "{id}");
    }
    assert_eq!(SupportPlan::presets().len(), 13);
    assert_eq!(SupportPlan::preset("platinum-plus"), None);
}

#[test]
fn elastic_severities_are_urgent_high_normal_development() {
    let premium = plan("elastic-cloud-premium");
    assert_eq!(premium.label(Urgent), Some("Urgent"));
    assert_eq!(premium.label(High), Some("High"));
    assert_eq!(premium.label(Normal), Some("Normal"));
    assert_eq!(plan("elastic-sm-development").label(Development), Some("Development"));
}

#[test]
fn coveo_severities_are_critical_major_minor_on_us_eastern_business_hours() {
    let coveo = plan("coveo");
    assert_eq!(coveo.allowed_severities(), vec![Urgent, High, Normal]);
    assert_eq!(coveo.label(Urgent), Some("Critical"));
    assert_eq!(coveo.label(High), Some("Major"));
    assert_eq!(coveo.label(Normal), Some("Minor"));
    assert_eq!(coveo.calendar, BusinessCalendar::weekdays("America/New_York", "06:00", "18:00"));
    assert_eq!(coveo.calendar.describe(), "America/New_York 06:00-18:00 Mon-Fri");
}

#[test]
fn other_presets_start_on_nine_to_six_weekdays_in_europe_paris() {
    for id in PRESET_PLAN_IDS.iter().filter(|id| **id != "coveo") {
        assert_eq!(plan(id).calendar.describe(), "Europe/Paris 09:00-18:00 Mon-Fri", "{id}");
    }
}

#[test]
fn development_subscriptions_may_open_severity_4_only() {
    let dev = plan("elastic-sm-development");
    assert_eq!(dev.check_severity(Development), Ok(()));
    for severity in [Urgent, High, Normal] {
        assert_eq!(dev.check_severity(severity), Err(AppError::invalid("severity", InvalidReason::NotAllowed)));
    }
}

#[test]
fn production_levels_open_severities_1_to_3_and_never_4() {
    for id in PRESET_PLAN_IDS.iter().filter(|id| **id != "elastic-sm-development") {
        let plan = plan(id);
        for severity in [Urgent, High, Normal] {
            assert_eq!(plan.check_severity(severity), Ok(()), "{id} {severity:?}");
        }
        assert_eq!(plan.check_severity(Development), Err(AppError::invalid("severity", InvalidReason::NotAllowed)));
    }
}

#[test]
fn self_managed_gold_takes_no_new_customers() {
    assert!(!plan("elastic-sm-gold").accepts_new_customers);
    assert!(plan("elastic-sm-platinum").accepts_new_customers);
}

// Cloud Avenue: every row of the tiers table that a case system carries.

#[test]
fn cloud_avenue_standard_has_no_guaranteed_restore_time() {
    assert_eq!(plan("cloud-avenue-standard").restore_target(Urgent), None);
}

#[test]
fn cloud_avenue_bronze_restores_p1_within_8_hours_24x7() {
    assert_eq!(plan("cloud-avenue-bronze").restore_target(Urgent), Some(SlaTarget::hours_24x7(8)));
}

#[test]
fn cloud_avenue_silver_restores_p1_within_8_hours_24x7() {
    assert_eq!(plan("cloud-avenue-silver").restore_target(Urgent), Some(SlaTarget::hours_24x7(8)));
}

#[test]
fn cloud_avenue_gold_restores_p1_within_4_hours_24x7() {
    assert_eq!(plan("cloud-avenue-gold").restore_target(Urgent), Some(SlaTarget::hours_24x7(4)));
}

#[test]
fn cloud_avenue_restore_time_is_for_p1_only_and_no_tier_has_an_initial_response_time() {
    for id in ["cloud-avenue-standard", "cloud-avenue-bronze", "cloud-avenue-silver", "cloud-avenue-gold"] {
        let plan = plan(id);
        assert_eq!(plan.label(Urgent), Some("P1"));
        for severity in [Urgent, High, Normal] {
            assert_eq!(plan.initial_response_target(severity), None, "{id}");
        }
        assert_eq!(plan.restore_target(High), None);
        assert_eq!(plan.restore_target(Normal), None);
    }
}

#[test]
fn cloud_avenue_standard_includes_no_expertise_hours_nor_privileged_access() {
    let e = plan("cloud-avenue-standard").expertise;
    assert_eq!((e.hours_in_month(1), e.privileged_access_in_month(1)), (0, false));
}

#[test]
fn cloud_avenue_bronze_includes_2_expertise_hours_a_month_and_expert_access_for_the_first_3_months() {
    let e = plan("cloud-avenue-bronze").expertise;
    assert_eq!((e.hours_in_month(1), e.privileged_access_in_month(1)), (2, true));
    assert_eq!((e.hours_in_month(3), e.privileged_access_in_month(3)), (2, true));
    assert_eq!((e.hours_in_month(4), e.privileged_access_in_month(4)), (0, false));
}

#[test]
fn cloud_avenue_silver_includes_2_expertise_hours_a_month_and_expert_access() {
    let e = plan("cloud-avenue-silver").expertise;
    assert_eq!((e.hours_in_month(1), e.privileged_access_in_month(1)), (2, true));
    assert_eq!((e.hours_in_month(24), e.privileged_access_in_month(24)), (2, true));
}

#[test]
fn cloud_avenue_gold_includes_4_expertise_hours_a_month_and_expert_access() {
    let e = plan("cloud-avenue-gold").expertise;
    assert_eq!((e.hours_in_month(1), e.privileged_access_in_month(1)), (4, true));
    assert_eq!((e.hours_in_month(24), e.privileged_access_in_month(24)), (4, true));
}

#[test]
fn cloud_avenue_account_and_billing_questions_follow_business_hours() {
    for id in ["cloud-avenue-standard", "cloud-avenue-bronze", "cloud-avenue-silver", "cloud-avenue-gold"] {
        assert_eq!(plan(id).calendar, BusinessCalendar::office_hours("Europe/Paris"), "{id}");
    }
}

#[test]
fn targets_are_described_in_english() {
    assert_eq!(SlaTarget::minutes_24x7(30).describe(), "30 min, 24x7");
    assert_eq!(SlaTarget::hours_24x7(4).describe(), "4 h, 24x7");
    assert_eq!(SlaTarget::BusinessHours(4).describe(), "4 business hours");
    assert_eq!(SlaTarget::BusinessDays(1).describe(), "1 business day");
    assert_eq!(SlaTarget::BusinessDays(2).describe(), "2 business days");
    assert_eq!(duration_in_words(SignedDuration::from_mins(130)), "2 h 10 min");
}

#[test]
fn business_days_are_nominal_working_days() {
    let day = BusinessCalendar::office_hours("Europe/Paris").working_time_per_day();
    assert_eq!(SlaTarget::BusinessDays(2).budget(day), SignedDuration::from_hours(18));
    assert_eq!(SlaTarget::BusinessHours(4).budget(day), SignedDuration::from_hours(4));
}

#[test]
fn a_custom_plan_with_a_zero_or_negative_target_is_refused_on_targets() {
    let mut custom = plan("elastic-cloud-basic");
    custom.id = "acme-custom".into();
    custom.severities[0].initial_response = Some(SlaTarget::BusinessHours(0));
    assert_eq!(field_of(custom.validate()), "targets");
    custom.severities[0].initial_response = Some(SlaTarget::minutes_24x7(-5));
    assert_eq!(field_of(custom.validate()), "targets");
    custom.severities[0].initial_response = None;
    custom.severities[0].restore = Some(SlaTarget::BusinessDays(0));
    assert_eq!(field_of(custom.validate()), "targets");
    custom.severities[0].restore = Some(SlaTarget::BusinessDays(3));
    assert_eq!(custom.validate(), Ok(()));
}

#[test]
fn a_custom_plan_must_fit_its_level_and_list_each_severity_once() {
    let mut custom = plan("elastic-cloud-basic");
    custom.severities.push(SeverityTerms {
        severity: Development,
        label: "Development".into(),
        initial_response: None,
        restore: None,
    });
    assert_eq!(field_of(custom.validate()), "severities");
    let mut twice = plan("elastic-cloud-basic");
    twice.severities.push(twice.severities[0].clone());
    assert_eq!(field_of(twice.validate()), "severities");
    let mut bad_calendar = plan("elastic-cloud-basic");
    bad_calendar.calendar.time_zone = "Mars/Olympus".into();
    assert_eq!(field_of(bad_calendar.validate()), "time_zone");
}

#[test]
fn a_plan_travels_as_json() {
    let gold = plan("cloud-avenue-gold");
    let json = serde_json::to_value(&gold).unwrap();
    assert_eq!(json["severities"][0]["restore"]["kind"], "duration_24x7");
    assert_eq!(json["severities"][0]["severity"], 1);
    assert_eq!(serde_json::from_value::<SupportPlan>(json).unwrap(), gold);
}

#[test]
fn a_plan_accepts_exactly_the_severities_it_offers() {
    // The wizard offers `allowed_severities` and checks the choice with `check_severity`,
    // as the server does: on every preset the two agree.
    for plan in SupportPlan::presets() {
        for severity in Severity::ALL {
            assert_eq!(
                plan.check_severity(severity).is_ok(),
                plan.allowed_severities().contains(&severity),
                "{} severity {}",
                plan.id,
                severity.level()
            );
        }
    }
    assert_eq!(
        plan("elastic-cloud-basic").check_severity(Development),
        Err(AppError::invalid("severity", InvalidReason::NotAllowed))
    );
}

#[test]
fn a_plan_names_its_severities_in_its_own_words_only_where_they_differ() {
    // "1 – Urgent (Urgent)" said the same word twice: Elastic's words are the generic ones.
    assert_eq!(plan("elastic-cloud-premium").own_label(Urgent), None);
    assert_eq!(plan("coveo").own_label(Urgent), Some("Critical"));
    assert_eq!(plan("cloud-avenue-gold").own_label(Urgent), Some("P1"));
}
