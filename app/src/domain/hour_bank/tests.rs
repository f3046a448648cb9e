use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::*;
use crate::domain::plan::ExpertiseAllowance;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn allowance(hours: u32, first_months: Option<u32>) -> ExpertiseAllowance {
    ExpertiseAllowance { privileged_access: true, hours_per_month: hours, first_months }
}

fn gold(start: &str) -> GrantSchedule {
    GrantSchedule::new(allowance(4, None), at(start), TimeZone::get("Europe/Paris").unwrap())
}

fn sum_of(bank: &Bank) -> i64 {
    bank.entries.iter().map(|e| e.kind.effect(e.minutes)).sum()
}

fn kinds(bank: &Bank) -> Vec<(LedgerKind, i64)> {
    bank.entries.iter().map(|e| (e.kind, e.minutes)).collect()
}

#[test]
fn gold_grants_four_hours_and_ninety_minutes_of_expertise_leave_two_hours_and_a_half() {
    let schedule = gold("2026-03-01T09:00:00Z");
    let mut bank = Bank::default();
    let now = at("2026-03-10T10:00:00Z");
    bank.catch_up(&schedule, now);
    assert_eq!(bank.balance(now), 240);
    let (draw, warnings) = bank.draw(90, now);
    assert_eq!((draw.drawn, draw.overage), (90, 0));
    assert!(warnings.is_empty());
    assert_eq!(bank.balance(now), 150);
    assert_eq!(kinds(&bank), vec![(LedgerKind::Grant, 240), (LedgerKind::Usage, 90)]);
}

#[test]
fn bronze_grants_two_hours_in_its_first_three_months_only() {
    let schedule = GrantSchedule::new(allowance(2, Some(3)), at("2026-01-15T08:00:00Z"), TimeZone::UTC);
    let mut bank = Bank::default();
    bank.catch_up(&schedule, at("2026-06-20T00:00:00Z"));
    let grants: Vec<_> = bank.entries.iter().filter(|e| e.kind == LedgerKind::Grant).map(|e| e.at).collect();
    assert_eq!(grants, vec![at("2026-01-15T08:00:00Z"), at("2026-02-15T08:00:00Z"), at("2026-03-15T08:00:00Z")]);
    assert_eq!(bank.granted_through, 6);
    // Each month's unused hours expired at its end: nothing left in month 6.
    assert_eq!(bank.balance(at("2026-06-20T00:00:00Z")), 0);
    assert_eq!(sum_of(&bank), 0);
}

#[test]
fn unused_grant_minutes_expire_at_the_end_of_their_month() {
    let schedule = gold("2026-03-01T00:00:00Z");
    let mut bank = Bank::default();
    bank.catch_up(&schedule, at("2026-03-05T00:00:00Z"));
    bank.draw(60, at("2026-03-05T00:00:00Z"));
    bank.catch_up(&schedule, at("2026-04-02T00:00:00Z"));
    let expiry = bank.entries.iter().find(|e| e.kind == LedgerKind::Expiry).unwrap();
    // Months are counted in the organization's zone: the contract began 1 March at 01:00 in
    // Paris, so month 2 begins 1 April at 01:00 there, summer time: 31 March 23:00 UTC.
    assert_eq!((expiry.at, expiry.minutes), (at("2026-03-31T23:00:00Z"), 180));
    assert_eq!(bank.balance(at("2026-04-02T00:00:00Z")), 240);
}

#[test]
fn usage_draws_from_the_lot_that_ends_first() {
    let schedule = gold("2026-03-01T00:00:00Z");
    let mut bank = Bank::default();
    let now = at("2026-03-10T00:00:00Z");
    bank.catch_up(&schedule, now);
    // A pack ending after the month: the grant goes first.
    bank.add_pack(600, now, at("2026-12-31T00:00:00Z"));
    bank.draw(300, now);
    let grant = bank.lots.iter().find(|l| matches!(l.source, LotSource::Grant { .. })).unwrap();
    let pack = bank.lots.iter().find(|l| l.source == LotSource::Pack).unwrap();
    assert_eq!((grant.remaining, pack.remaining), (0, 540));
    // A pack ending before the month does: it goes first.
    let mut bank = Bank::default();
    bank.catch_up(&schedule, now);
    bank.add_pack(60, now, at("2026-03-20T00:00:00Z"));
    bank.draw(90, now);
    let grant = bank.lots.iter().find(|l| matches!(l.source, LotSource::Grant { .. })).unwrap();
    let pack = bank.lots.iter().find(|l| l.source == LotSource::Pack).unwrap();
    assert_eq!((grant.remaining, pack.remaining), (210, 0));
}

#[test]
fn work_the_bank_cannot_cover_is_an_overage_and_the_balance_stays_at_zero() {
    let schedule = gold("2026-03-01T00:00:00Z");
    let mut bank = Bank::default();
    let now = at("2026-03-10T00:00:00Z");
    bank.catch_up(&schedule, now);
    bank.draw(200, now);
    let (draw, warnings) = bank.draw(100, now);
    assert_eq!((draw.drawn, draw.overage), (40, 60));
    assert_eq!(warnings, vec![Warning { month: 1, threshold: 100, granted: 240, remaining: 0 }]);
    assert_eq!(bank.balance(now), 0);
    // Nothing left at all: the whole entry is overage, recorded, never lost.
    let (draw, _) = bank.draw(30, now);
    assert_eq!((draw.drawn, draw.overage), (0, 30));
    assert_eq!(bank.entries.last().map(|e| (e.kind, e.minutes)), Some((LedgerKind::Overage, 30)));
}

#[test]
fn a_grant_warns_at_80_and_at_100_percent_used_once_each() {
    let schedule = gold("2026-03-01T00:00:00Z");
    let mut bank = Bank::default();
    let now = at("2026-03-10T00:00:00Z");
    bank.catch_up(&schedule, now);
    assert!(bank.draw(150, now).1.is_empty());
    assert_eq!(bank.draw(42, now).1.iter().map(|w| w.threshold).collect::<Vec<_>>(), vec![80]);
    assert!(bank.draw(10, now).1.is_empty(), "80 % is told once");
    assert_eq!(bank.draw(100, now).1.iter().map(|w| w.threshold).collect::<Vec<_>>(), vec![100]);
    assert!(bank.draw(10, now).1.is_empty(), "100 % is told once");
}

#[test]
fn an_adjustment_credits_or_debits_but_never_below_zero() {
    let schedule = gold("2026-03-01T00:00:00Z");
    let mut bank = Bank::default();
    let now = at("2026-03-10T00:00:00Z");
    bank.catch_up(&schedule, now);
    bank.adjust(30, now).unwrap();
    assert_eq!(bank.balance(now), 270);
    bank.adjust(-70, now).unwrap();
    assert_eq!(bank.balance(now), 200);
    assert!(bank.adjust(-201, now).is_err());
    assert!(bank.adjust(0, now).is_err());
    assert_eq!(bank.balance(now), 200);
    assert_eq!(sum_of(&bank), 200);
}

#[test]
fn contract_months_started_on_the_31st_begin_on_shorter_months_last_day() {
    let schedule = GrantSchedule::new(allowance(2, None), at("2026-01-31T12:00:00Z"), TimeZone::UTC);
    assert_eq!(schedule.month_start(2), Some(at("2026-02-28T12:00:00Z")));
    assert_eq!(schedule.month_start(3), Some(at("2026-03-31T12:00:00Z")));
    assert_eq!(schedule.month_at(at("2026-02-28T11:59:59Z")), 1);
    assert_eq!(schedule.month_at(at("2026-02-28T12:00:00Z")), 2);
    assert_eq!(schedule.month_at(at("2026-01-01T00:00:00Z")), 0);
    assert_eq!(schedule.minutes_in_month_at(at("2026-01-01T00:00:00Z")), 0);
}

#[test]
fn a_time_entry_is_one_minute_to_a_day_of_a_known_activity() {
    assert!(
        check_time_entry(90, "expertise", true, " tuning ").is_ok_and(|e| e.note == "tuning" && e.draws_from_bank())
    );
    for minutes in [0, -5, TIME_ENTRY_MINUTES_MAX + 1] {
        assert_eq!(check_time_entry(minutes, "expertise", true, "").unwrap_err().field(), Some("minutes"));
    }
    assert_eq!(check_time_entry(30, "golf", true, "").unwrap_err().field(), Some("activity"));
    let long = "x".repeat(NOTE_MAX_CHARS + 1);
    assert_eq!(check_time_entry(30, "call", false, &long).unwrap_err().field(), Some("note"));
    assert!(!check_time_entry(30, "investigation", true, "").unwrap().draws_from_bank());
    assert!(!check_time_entry(30, "expertise", false, "").unwrap().draws_from_bank());
}

#[test]
fn billable_expertise_needs_hours_in_the_plan_or_a_pack() {
    let now = at("2026-03-10T00:00:00Z");
    let mut bank = Bank::default();
    let refused = check_expertise_offered(0, &bank, now).unwrap_err();
    assert_eq!(refused, crate::error::AppError::invalid("activity", crate::error::InvalidReason::NoExpertise));
    assert!(check_expertise_offered(4, &bank, now).is_ok());
    bank.add_pack(600, now, at("2026-12-31T00:00:00Z"));
    assert!(check_expertise_offered(0, &bank, now).is_ok());
    assert!(check_expertise_offered(0, &bank, at("2027-01-01T00:00:00Z")).is_err(), "an expired pack is no pack");
}

#[test]
fn a_pack_is_valid_until_a_future_date() {
    let now = at("2026-03-10T00:00:00Z");
    assert!(check_pack(600, at("2026-12-31T00:00:00Z"), now, "").is_ok());
    assert_eq!(check_pack(600, now, now, "").unwrap_err().field(), Some("valid_until"));
    assert_eq!(check_pack(0, at("2026-12-31T00:00:00Z"), now, "").unwrap_err().field(), Some("minutes"));
    assert_eq!(
        check_pack(PACK_MINUTES_MAX + 1, at("2026-12-31T00:00:00Z"), now, "").unwrap_err().field(),
        Some("minutes")
    );
}

#[derive(Clone, Debug)]
enum Op {
    Wait(i64),
    Draw(i64),
    Pack(i64, i64),
    Adjust(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..24 * 40).prop_map(Op::Wait),
        (1i64..500).prop_map(Op::Draw),
        (1i64..900, 1i64..120).prop_map(|(m, d)| Op::Pack(m, d)),
        (-300i64..300).prop_map(Op::Adjust),
    ]
}

fn sort_key(l: &Lot, i: usize) -> (bool, Option<Timestamp>, Timestamp, usize) {
    (l.valid_until.is_none(), l.valid_until, l.valid_from, i)
}

proptest! {
    #[test]
    fn the_balance_is_what_the_entries_say_and_never_below_zero(
        hours in 0u32..6,
        first in proptest::option::of(1u32..4),
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        let start = at("2026-01-31T23:30:00Z");
        let schedule = GrantSchedule::new(allowance(hours, first), start, TimeZone::get("America/New_York").unwrap());
        let mut bank = Bank::default();
        let mut now = start + SignedDuration::from_mins(1);
        for op in ops {
            bank.catch_up(&schedule, now);
            let before = bank.balance(now);
            match op {
                Op::Wait(h) => now += SignedDuration::from_hours(h),
                Op::Draw(minutes) => {
                    let order: Vec<(usize, i64)> = {
                        let mut live: Vec<usize> = (0..bank.lots.len()).filter(|&i| bank.lots[i].live_at(now)).collect();
                        live.sort_by_key(|&i| sort_key(&bank.lots[i], i));
                        live.into_iter().map(|i| (i, bank.lots[i].remaining)).collect()
                    };
                    let overages_before = bank.entries.iter().filter(|e| e.kind == LedgerKind::Overage).count();
                    let (draw, _) = bank.draw(minutes, now);
                    prop_assert_eq!(draw.drawn + draw.overage, minutes);
                    prop_assert_eq!(draw.drawn, minutes.min(before));
                    let overages = bank.entries.iter().filter(|e| e.kind == LedgerKind::Overage).count();
                    prop_assert_eq!(overages > overages_before, minutes > before);
                    // Drawn in order: emptied lots, then at most one drawn in part, then untouched ones.
                    let mut seen_untouched = false;
                    for (i, was) in order {
                        let now_holds = bank.lots[i].remaining;
                        if seen_untouched {
                            prop_assert_eq!(now_holds, was);
                        } else if now_holds != 0 {
                            seen_untouched = true;
                        }
                    }
                }
                Op::Pack(minutes, days) => bank.add_pack(minutes, now, now + SignedDuration::from_hours(24 * days)),
                Op::Adjust(minutes) => {
                    let adjusted = bank.adjust(minutes, now);
                    prop_assert_eq!(adjusted.is_ok(), minutes > 0 || (minutes < 0 && -minutes <= before));
                }
            }
            bank.catch_up(&schedule, now);
            let balance = bank.balance(now);
            prop_assert!(balance >= 0);
            prop_assert_eq!(balance, sum_of(&bank));
            prop_assert_eq!(bank.granted_through, schedule.month_at(now));
        }
    }

    #[test]
    fn every_instant_after_the_start_falls_in_the_month_that_contains_it(
        start_secs in 1_700_000_000i64..1_900_000_000,
        later in 0i64..(86_400 * 800),
    ) {
        let start = Timestamp::from_second(start_secs).unwrap();
        let schedule = GrantSchedule::new(allowance(2, None), start, TimeZone::get("Europe/Paris").unwrap());
        let t = start + SignedDuration::from_secs(later);
        let month = schedule.month_at(t);
        prop_assert!(month >= 1);
        prop_assert!(schedule.month_start(month).unwrap() <= t);
        prop_assert!(t < schedule.month_start(month + 1).unwrap());
    }
}
