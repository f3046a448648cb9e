//! The sweep's computation: every clock of 100,000 open cases (goal: 100 ms on the 2-core
//! machine). Half the cases are on a business-hours plan with a Paris calendar and a
//! holiday, half on a 24x7 plan; one in four waited on the customer for a while.
//! Run: `scripts/bench` or `cargo bench -p app --features ssr --bench sla`.

use app::domain::calendar::BusinessCalendar;
use app::domain::plan::SupportPlan;
use app::domain::sla::{Contract, SlaEvent, clocks};
use app::domain::{Severity, Status};
use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};

fn sweep_100k(c: &mut Criterion) {
    let holidays = ["2026-11-11".parse().unwrap(), "2026-12-25".parse().unwrap()];
    let business = Contract::new(
        SupportPlan::preset("elastic-cloud-basic").unwrap(),
        BusinessCalendar::office_hours("Europe/Paris").with_holidays(holidays),
    )
    .unwrap();
    let around_the_clock = Contract::new(
        SupportPlan::preset("elastic-cloud-premium").unwrap(),
        BusinessCalendar::office_hours("America/New_York"),
    )
    .unwrap();
    let now: Timestamp = "2026-11-20T15:00:00Z".parse().unwrap();
    let severities = [Severity::Urgent, Severity::High, Severity::Normal];
    let cases: Vec<(&Contract, Severity, Timestamp, Vec<SlaEvent>)> = (0..100_000i64)
        .map(|i| {
            let opened = now - SignedDuration::from_secs(i * 7919 % (10 * 86_400));
            let events = if i % 4 == 0 {
                let asked = opened + SignedDuration::from_mins(20);
                vec![
                    SlaEvent::status(asked, Status::Feedback),
                    SlaEvent::customer_reply(asked + SignedDuration::from_hours(2)),
                ]
            } else {
                Vec::new()
            };
            let contract = if i % 2 == 0 { &business } else { &around_the_clock };
            (contract, severities[(i % 3) as usize], opened, events)
        })
        .collect();
    let mut group = c.benchmark_group("sla");
    group.sample_size(20);
    group.bench_function("clocks_of_100k_open_cases", |b| {
        b.iter(|| {
            let mut breached = 0usize;
            for (contract, severity, opened, events) in &cases {
                for clock in clocks(contract, *severity, *opened, events, now) {
                    breached += usize::from(clock.due.is_some_and(|d| d < now));
                }
            }
            breached
        })
    });
    group.finish();
}

criterion_group!(benches, sweep_100k);
criterion_main!(benches);
