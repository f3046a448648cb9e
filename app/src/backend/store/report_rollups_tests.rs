//! The rollups kept with each log entry equal a rebuild from the log.

use crate::backend::store::fixture::*;
use proptest::prelude::*;

/// Something that happens to a case, chosen at random.
#[derive(Clone, Debug)]
enum Step {
    CustomerReply,
    SupportReply,
    InternalNote,
    Move(Status),
    Severity(Severity),
    Assign,
    Sweep(i64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::CustomerReply),
        Just(Step::SupportReply),
        Just(Step::InternalNote),
        prop::sample::select(Status::ALL.to_vec()).prop_map(Step::Move),
        prop::sample::select(Severity::ALL.to_vec()).prop_map(Step::Severity),
        Just(Step::Assign),
        (1i64..20_000).prop_map(Step::Sweep),
    ]
}

/// Rows that hold at least one case (a case moved to another key leaves zeros behind).
async fn live_rows(store: &crate::backend::Store) -> Vec<Vec<(String, String)>> {
    let rows = store.rollup_rows().await.unwrap();
    rows.into_iter().filter(|row| row.iter().any(|(name, value)| name == "opened" && value != "0")).collect()
}

async fn play(steps: Vec<Vec<Step>>) {
    use crate::backend::sweeper::sweep;
    let f = fixture().await;
    for (i, case_steps) in steps.iter().enumerate() {
        let mut draft = draft(&format!("case {i}"));
        draft.severity = Severity::High;
        let case = cases::open_case(&f.store, &f.alice, draft, None).await.unwrap().case;
        for step in case_steps {
            let now = f.store.case_by_number(case.number, CaseScope::Everything).await.unwrap().unwrap();
            // Refusals are part of the game: they must change nothing.
            let _ = match step {
                Step::CustomerReply => cases::reply(&f.store, &f.alice, case.number, "more", false, None, true).await,
                Step::SupportReply => cases::reply(&f.store, &f.sam, case.number, "answer", false, None, true).await,
                Step::InternalNote => cases::reply(&f.store, &f.sam, case.number, "note", true, None, true).await,
                Step::Move(to) => {
                    let resolution = matches!(to, Status::Resolved | Status::Closed).then_some(Resolution::Fixed);
                    cases::change_status(&f.store, &f.sam, case.number, *to, resolution, now.version, None).await
                }
                Step::Severity(to) => cases::change_severity(&f.store, &f.sam, case.number, *to, now.version).await,
                Step::Assign => {
                    use crate::backend::assignment::{AssignTo, assign};
                    assign(&f.store, &f.sam, case.number, AssignTo::Me, Some(now.version)).await
                }
                Step::Sweep(minutes) => {
                    sweep(&f.store, case.opened_at + jiff::SignedDuration::from_mins(*minutes)).await.unwrap();
                    Ok(now)
                }
            };
        }
    }
    let incremental = live_rows(&f.store).await;
    assert!(!incremental.is_empty());
    assert_eq!(f.store.rebuild_report_rollups().await.unwrap(), steps.len());
    assert_eq!(live_rows(&f.store).await, incremental);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, .. ProptestConfig::default() })]
    #[test]
    fn the_rollups_kept_with_each_event_equal_a_rebuild_from_the_log(
        steps in prop::collection::vec(prop::collection::vec(step(), 0..12), 1..4)
    ) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(play(steps));
    }
}
