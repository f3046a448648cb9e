//! The live feed of one instance. Every committed log entry is read once from the log, in
//! id order, by a single publisher task and handed to every live stream together with what
//! is needed to filter it in memory (organization, reporter, visibility, internal). A stream
//! touches the database only to replay what a client missed; a move reaches a thousand
//! open boards for the price of one query.

use std::sync::{Arc, Weak};

use tokio::sync::{Notify, broadcast};

use super::presence::PRESENCE_CHANNEL;
pub use super::store::FeedItem;
use super::store::{COMMIT_CHANNEL, Store};
use crate::error::AppError;

/// How many entries the publisher reads from the log at once.
const PAGE: i64 = 500;
/// How far a slow stream may fall behind before it catches up from the log instead.
const CAPACITY: usize = 4096;

/// An instance's live feed: a wake-up for the publisher and the broadcast it feeds.
pub struct Feed {
    wake: Arc<Notify>,
    sender: broadcast::Sender<Arc<FeedItem>>,
    /// What other instances said on [`PRESENCE_CHANNEL`] (JSON, as sent).
    presence: broadcast::Sender<String>,
}

impl Feed {
    /// Starts this instance's feed after the newest log entry: it subscribes to the store's
    /// after-commit hook, and on PostgreSQL also listens for other instances' commits (the
    /// writers `NOTIFY` the entry's id on [`COMMIT_CHANNEL`]; every instance reads the entry
    /// from the log itself) and their presence reports.
    pub async fn start(store: &Store) -> Result<Arc<Feed>, AppError> {
        let cursor = store.last_event_id().await?;
        let wake = Arc::new(Notify::new());
        let (sender, _) = broadcast::channel(CAPACITY);
        let (presence, _) = broadcast::channel(256);
        let feed = Arc::new(Feed { wake: wake.clone(), sender, presence });
        let listener = Arc::downgrade(&feed);
        store.after_commit(move |_| {
            if let Some(feed) = listener.upgrade() {
                feed.committed();
            }
        });
        tokio::spawn(publish(store.clone(), Arc::downgrade(&feed), wake.clone(), cursor));
        if let Some(url) = store.listen_url() {
            tokio::spawn(listen_to_other_instances(url.to_owned(), Arc::downgrade(&feed), wake));
        }
        Ok(feed)
    }

    /// Something was committed: the publisher reads the log past its cursor.
    fn committed(&self) {
        self.wake.notify_one();
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<FeedItem>> {
        self.sender.subscribe()
    }

    pub fn remote_presence(&self) -> broadcast::Receiver<String> {
        self.presence.subscribe()
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        // The instance is gone: wake the publisher so it sees that and ends.
        self.wake.notify_one();
    }
}

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
        if let Err(e) = listener.listen_all([COMMIT_CHANNEL, PRESENCE_CHANNEL]).await {
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

async fn publish(store: Store, feed: Weak<Feed>, wake: Arc<Notify>, mut cursor: i64) {
    loop {
        wake.notified().await;
        let Some(feed) = feed.upgrade() else { return };
        loop {
            match store.log_after(cursor, PAGE).await {
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

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn the_live_feed_filters_in_memory_exactly_as_the_store_scopes_in_sql() {
        let f = fixture().await;
        let feed_of_instance = crate::backend::feed::Feed::start(&f.store).await.unwrap();
        let mut feed = feed_of_instance.subscribe();
        let public = cases::open_case(&f.store, &f.alice, draft("public"), None).await.unwrap().case;
        let private = CaseDraft { visibility: Visibility::Private, ..draft("private") };
        let private = cases::open_case(&f.store, &f.alice, private, None).await.unwrap().case;
        let other = cases::open_case(&f.store, &f.bruno, draft("globex"), None).await.unwrap().case;
        cases::reply(&f.store, &f.sam, public.number, "internal hypothesis", true, None, false).await.unwrap();
        cases::reply(&f.store, &f.sam, private.number, "public answer", false, None, false).await.unwrap();

        let mut items = Vec::new();
        // Three cases opened and assigned, two replies.
        while items.len() < 8 {
            let item = tokio::time::timeout(std::time::Duration::from_secs(5), feed.recv()).await.unwrap().unwrap();
            items.push(item);
        }
        let ids: Vec<i64> = items.iter().map(|i| i.event.id).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "the feed is in log order: {ids:?}");
        assert!(items.iter().any(|i| i.event.case == other.number));

        for user in [&f.alice, &f.olga, &f.amir, &f.bruno, &f.sam] {
            let internal = user.role.is_support();
            let by_sql: Vec<i64> = f
                .store
                .events_after(0, i64::MAX, user.case_scope(), internal, 100)
                .await
                .unwrap()
                .iter()
                .map(|e| e.id)
                .collect();
            let in_memory: Vec<i64> =
                items.iter().filter(|i| i.visible_to(user.case_scope(), internal)).map(|i| i.event.id).collect();
            assert_eq!(by_sql, in_memory, "{}", user.email);
        }
        // Amir (same organization, not the reporter, not admin) sees neither the private case nor the note.
        let amir: Vec<i64> =
            items.iter().filter(|i| i.visible_to(f.amir.case_scope(), false)).map(|i| i.event.id).collect();
        assert_eq!(amir, vec![items[0].event.id]);
    }
}
