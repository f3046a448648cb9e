//! Who is on a case right now ("Sam is viewing", "Mei is writing a public reply"): support
//! only, kept in memory (it is not history: nothing of it goes to the log), refreshed by
//! each open case page every few seconds and forgotten when a page stops saying so.
//! Changes are announced to live streams so other pages ask for the new list at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

/// The channel on which instances tell each other who is on which case (not history).
pub const PRESENCE_CHANNEL: &str = "caseboard_presence";

/// A page that has not said anything for this long has left.
pub const PRESENCE_TTL: Duration = Duration::from_secs(30);

pub use crate::domain::people::{Activity, Present};

#[derive(Clone, Debug)]
struct Here {
    user_id: i64,
    name: String,
    activity: Activity,
    seen: Instant,
}

/// A presence report as instances pass it to each other (PostgreSQL `NOTIFY`): every
/// instance keeps the whole board in memory, its own reports and the others'.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SharedPresence {
    /// The instance that heard it first (it does not apply its own report twice).
    pub instance: String,
    pub case: i64,
    pub user_id: i64,
    pub name: String,
    pub activity: Activity,
}

/// One instance's presence board.
pub struct Presence {
    cases: Mutex<HashMap<i64, Vec<Here>>>,
    changes: broadcast::Sender<i64>,
}

impl Default for Presence {
    fn default() -> Self {
        let (changes, _) = broadcast::channel(256);
        Presence { cases: Mutex::new(HashMap::new()), changes }
    }
}

impl Presence {
    /// `user` is on case `number` doing `activity` (`Left` removes them). Returns the others.
    pub fn report(&self, number: i64, user_id: i64, name: &str, activity: Activity) -> Vec<Present> {
        let now = Instant::now();
        let mut changed = false;
        let others = {
            let mut cases = self.cases.lock().unwrap_or_else(|p| p.into_inner());
            let here = cases.entry(number).or_default();
            let before = here.len();
            here.retain(|h| now.duration_since(h.seen) < PRESENCE_TTL);
            changed |= here.len() != before;
            match here.iter_mut().find(|h| h.user_id == user_id) {
                Some(h) if activity == Activity::Left => {
                    let id = h.user_id;
                    here.retain(|h| h.user_id != id);
                    changed = true;
                }
                Some(h) => {
                    changed |= h.activity != activity;
                    h.activity = activity;
                    h.seen = now;
                }
                None if activity == Activity::Left => {}
                None => {
                    here.push(Here { user_id, name: name.to_owned(), activity, seen: now });
                    changed = true;
                }
            }
            let others = here
                .iter()
                .filter(|h| h.user_id != user_id)
                .map(|h| Present { name: h.name.clone(), activity: h.activity })
                .collect();
            if here.is_empty() {
                cases.remove(&number);
            }
            others
        };
        if changed {
            let _ = self.changes.send(number);
        }
        others
    }

    /// Keeps applying what other instances report (`remote`: their JSON), until the store closes.
    pub fn follow(self: std::sync::Arc<Self>, own_instance: String, mut remote: broadcast::Receiver<String>) {
        tokio::spawn(async move {
            loop {
                match remote.recv().await {
                    Ok(payload) => match serde_json::from_str::<SharedPresence>(&payload) {
                        Ok(r) if r.instance != own_instance => {
                            self.report(r.case, r.user_id, &r.name, r.activity);
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "unreadable presence from another instance"),
                    },
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        });
    }

    /// The presence service: support person `user` says what they are doing on case
    /// `number` (which they must be able to see); the other instances are told (PostgreSQL),
    /// and the others on that page are returned. Support only.
    pub async fn report_on_case(
        &self,
        store: &super::Store,
        user: &super::store::UserRecord,
        number: crate::domain::CaseNumber,
        activity: Activity,
    ) -> Result<Vec<Present>, crate::AppError> {
        if !user.role.is_support() {
            return Err(crate::AppError::Forbidden);
        }
        super::cases::case_for(store, user, number).await?;
        let shared = SharedPresence {
            instance: store.instance_id(),
            case: number.0,
            user_id: user.id,
            name: user.name.clone(),
            activity,
        };
        if let Ok(payload) = serde_json::to_string(&shared) {
            store.notify(PRESENCE_CHANNEL, payload);
        }
        Ok(self.report(number.0, user.id, &user.name, activity))
    }

    /// Case numbers whose presence just changed.
    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.changes.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sees_the_others_and_a_change_is_announced_once() {
        let presence = Presence::default();
        let mut changes = presence.subscribe();
        assert!(presence.report(1001, 1, "Sam", Activity::Viewing).is_empty());
        let seen_by_mei = presence.report(1001, 2, "Mei", Activity::WritingReply);
        assert_eq!(seen_by_mei, vec![Present { name: "Sam".into(), activity: Activity::Viewing }]);
        assert_eq!(
            presence.report(1001, 1, "Sam", Activity::Viewing),
            vec![Present { name: "Mei".into(), activity: Activity::WritingReply }]
        );
        // Two arrivals were changes; Sam's unchanged heartbeat was not.
        assert_eq!(changes.try_recv().ok(), Some(1001));
        assert_eq!(changes.try_recv().ok(), Some(1001));
        assert!(changes.try_recv().is_err());
        presence.report(1001, 2, "Mei", Activity::Left);
        assert!(presence.report(1001, 1, "Sam", Activity::Viewing).is_empty());
        assert!(presence.report(1002, 1, "Sam", Activity::Viewing).is_empty(), "cases are apart");
    }
}
