//! The live feed of one instance. Every committed log entry is read once from the log, in
//! id order, by a single publisher task and handed to every live stream together with what
//! is needed to filter it in memory (organization, reporter, visibility, internal). A stream
//! touches the database only to replay what a client missed; a move reaches a thousand
//! open boards for the price of one query.

use std::sync::{Arc, Weak};

use sqlx::AnyPool;
use tokio::sync::{Notify, broadcast};

use super::store::CaseScope;
use crate::domain::{CaseEvent, Visibility};

/// How many entries the publisher reads from the log at once.
const PAGE: i64 = 500;
/// How far a slow stream may fall behind before it catches up from the log instead.
const CAPACITY: usize = 4096;

/// One committed log entry as the live streams receive it.
#[derive(Debug)]
pub struct FeedItem {
    pub event: CaseEvent,
    pub organization_id: i64,
    pub reporter_id: i64,
    pub visibility: Visibility,
    /// The event as JSON, serialized once for every stream that sends it.
    pub json: String,
}

impl FeedItem {
    /// The same rule as the store's SQL scope, applied in memory (tested against it).
    pub fn visible_to(&self, scope: CaseScope, include_internal: bool) -> bool {
        if self.event.change.is_internal() && !include_internal {
            return false;
        }
        scope.allows(self.organization_id, self.reporter_id, self.visibility)
    }
}

/// The store's side of the feed: a wake-up for the publisher and the broadcast it feeds.
pub(crate) struct Feed {
    wake: Arc<Notify>,
    sender: broadcast::Sender<Arc<FeedItem>>,
    /// What other instances said on [`PRESENCE_CHANNEL`] (JSON, as sent).
    presence: broadcast::Sender<String>,
}

impl Feed {
    /// Starts the publisher, which begins after log entry `cursor`. With `listen` (a
    /// PostgreSQL URL), it also wakes when another instance commits: the writers `NOTIFY` the
    /// entry's id on [`CHANNEL`], and every instance reads the entry from the log itself.
    pub(crate) fn start(pool: AnyPool, cursor: i64, listen: Option<String>) -> Arc<Feed> {
        let wake = Arc::new(Notify::new());
        let (sender, _) = broadcast::channel(CAPACITY);
        let (presence, _) = broadcast::channel(256);
        let feed = Arc::new(Feed { wake: wake.clone(), sender, presence });
        tokio::spawn(publish(pool, Arc::downgrade(&feed), wake.clone(), cursor));
        if let Some(url) = listen {
            tokio::spawn(listen_to_other_instances(url, Arc::downgrade(&feed), wake));
        }
        feed
    }

    /// Something was committed: the publisher reads the log past its cursor.
    pub(crate) fn committed(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Arc<FeedItem>> {
        self.sender.subscribe()
    }

    pub(crate) fn remote_presence(&self) -> broadcast::Receiver<String> {
        self.presence.subscribe()
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        // The last store is gone: wake the publisher so it sees that and ends.
        self.wake.notify_one();
    }
}

/// The PostgreSQL channel on which writers announce committed log entries (payload: the id).
pub(crate) const CHANNEL: &str = "caseboard_log";
/// The channel on which instances tell each other who is on which case (not history).
pub(crate) const PRESENCE_CHANNEL: &str = "caseboard_presence";

/// How often the publisher looks at the log anyway when instances share it: a notification
/// lost while the listening connection was down is made up for within this time.
const SHARED_LOG_POLL: std::time::Duration = std::time::Duration::from_secs(2);

async fn listen_to_other_instances(url: String, feed: Weak<Feed>, wake: Arc<Notify>) {
    let mut poll = tokio::time::interval(SHARED_LOG_POLL);
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect(&url).await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::error!(error = %e, "live feed cannot listen for other instances; retrying");
                tokio::time::sleep(SHARED_LOG_POLL).await;
                continue;
            }
        };
        if let Err(e) = listener.listen_all([CHANNEL, PRESENCE_CHANNEL]).await {
            tracing::error!(error = %e, "live feed cannot listen for other instances; retrying");
            tokio::time::sleep(SHARED_LOG_POLL).await;
            continue;
        }
        loop {
            if feed.strong_count() == 0 {
                return;
            }
            tokio::select! {
                received = listener.recv() => match received {
                    Ok(notification) if notification.channel() == PRESENCE_CHANNEL => {
                        if let Some(feed) = feed.upgrade() {
                            let _ = feed.presence.send(notification.payload().to_owned());
                        }
                    }
                    Ok(_) => wake.notify_one(),
                    Err(e) => {
                        tracing::warn!(error = %e, "live feed lost its listening connection; reconnecting");
                        wake.notify_one();
                        break;
                    }
                },
                _ = poll.tick() => wake.notify_one(),
            }
        }
    }
}

async fn publish(pool: AnyPool, feed: Weak<Feed>, wake: Arc<Notify>, mut cursor: i64) {
    loop {
        wake.notified().await;
        let Some(feed) = feed.upgrade() else { return };
        loop {
            match super::store::feed_after(&pool, cursor, PAGE).await {
                Ok(items) if items.is_empty() => break,
                Ok(items) => {
                    for item in items {
                        cursor = item.event.id;
                        // No stream open is fine: the log keeps the entry for replay.
                        let _ = feed.sender.send(Arc::new(item));
                    }
                }
                Err(e) => {
                    // Streams catch up from the log on their next read; retry at the next commit.
                    tracing::error!(error = %e, cursor, "live feed could not read the log");
                    break;
                }
            }
        }
    }
}
