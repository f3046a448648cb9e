//! Live updates: `GET /api/v1/events`, a Server-Sent Events stream of the event log,
//! filtered on the server to what the caller may see (customers: their organization's
//! cases, never internal notes). Event ids are the log's ids: a reconnecting client sends
//! `Last-Event-ID` and gets what it missed from the log, even across a server restart.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::AppError;
use app::backend::AppState;
use app::backend::feed::FeedItem;
use app::backend::store::{CaseScope, Store};
use app::domain::CaseEvent;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use app::api::request::Caller;

/// How many log entries one replay read sends at most (a long-absent client catches up in pages).
const PAGE: i64 = 500;

/// One open stream. Live entries come from the instance's feed and are filtered in memory;
/// the log is read only to replay what the client missed (at connection, or after lagging).
struct Subscription {
    store: Store,
    scope: CaseScope,
    internal: bool,
    /// The newest entry this client has, or has been shown not to need.
    last_sent: i64,
    replaying: bool,
    pending: VecDeque<Event>,
    feed: tokio::sync::broadcast::Receiver<Arc<FeedItem>>,
    /// Support only: case numbers whose presence changed (an `presence` event, without id:
    /// it is not history and is never replayed).
    presence: Option<tokio::sync::broadcast::Receiver<i64>>,
    shutdown: tokio::sync::watch::Receiver<bool>,
    /// Counts this stream among its user's while it is open.
    _open: OpenStream,
}

/// One open stream of a user; dropping it (the client went away) frees its place.
struct OpenStream {
    user_id: i64,
    open: app::backend::OpenStreams,
}

impl OpenStream {
    /// A place among `user_id`'s streams, within `limit` (a few tabs and devices; a script
    /// opening streams in a loop is refused, not served).
    fn claim(open_streams: &app::backend::OpenStreams, user_id: i64, limit: u32) -> Result<OpenStream, AppError> {
        let mut open = open_streams.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(user_id).or_default();
        if *count >= limit {
            tracing::info!(user = user_id, "live stream refused: too many open");
            return Err(AppError::RateLimited { retry_after_secs: 15 });
        }
        *count += 1;
        Ok(OpenStream { user_id, open: open_streams.clone() })
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.user_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

/// The next presence change, or never (customers get none).
async fn presence_change(presence: &mut Option<tokio::sync::broadcast::Receiver<i64>>) -> Option<i64> {
    match presence {
        Some(receiver) => loop {
            match receiver.recv().await {
                Ok(number) => return Some(number),
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        },
        None => std::future::pending().await,
    }
}

impl Subscription {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Subscription)> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some((Ok(event), self));
            }
            if self.replaying {
                // Boxed: the query's state lives on the heap only while it runs, so an idle
                // stream does not carry a database future's worth of memory.
                let read = Box::pin(self.store.events_after(self.last_sent, i64::MAX, self.scope, self.internal, PAGE));
                let events = read.await.ok()?;
                self.replaying = events.len() as i64 == PAGE;
                if let Some(last) = events.last() {
                    self.last_sent = last.id;
                }
                self.pending.extend(events.iter().map(replayed_event));
                continue;
            }
            tokio::select! {
                received = self.feed.recv() => match received {
                    Ok(item) if item.event.id > self.last_sent => {
                        self.last_sent = item.event.id;
                        if item.visible_to(self.scope, self.internal) {
                            self.pending.push_back(live_event(&item));
                        }
                    }
                    Ok(_) => {}
                    // Fell behind the feed: the log has everything.
                    Err(RecvError::Lagged(_)) => self.replaying = true,
                    Err(RecvError::Closed) => return None,
                },
                Some(number) = presence_change(&mut self.presence) => {
                    self.pending.push_back(Event::default().event("presence").data(format!("{{\"case\":{number}}}")));
                }
                _ = self.shutdown.changed() => return None,
            }
        }
    }
}

fn live_event(item: &FeedItem) -> Event {
    Event::default().id(item.event.id.to_string()).event(item.event.change.kind()).data(&item.json)
}

fn replayed_event(event: &CaseEvent) -> Event {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    Event::default().id(event.id.to_string()).event(event.change.kind()).data(data)
}

#[derive(serde::Deserialize)]
pub struct EventsQuery {
    /// Like `Last-Event-ID`, for clients that cannot set headers (a browser's first connection).
    after: Option<String>,
}

/// The live stream. Each SSE event has the log id as `id`, the change kind as `event`
/// (`opened`, `status_changed`, `reply`, `internal_note`, `assigned`, `sla_warning`,
/// `sla_breached`) and the log entry as JSON `data`.
#[utoipa::path(get, path = "/api/v1/events",
    params(("Last-Event-ID" = Option<i64>, Header, description = "Replay every entry after this id"),
        ("after" = Option<i64>, Query, description = "The same, for a first connection (the header wins)")),
    responses((status = 200, description = "text/event-stream of case events: `data` is a CaseEvent (or, for \
        support, `{\"case\": <number>}` on `presence` events)", content_type = "text/event-stream"),
        (status = 400, body = AppError), (status = 429, body = AppError)))]
pub async fn events(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
    crate::rest::json::ApiQuery(query): crate::rest::json::ApiQuery<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    // Subscribe before reading the log, so nothing committed in between is missed.
    let feed = state.feed.subscribe();
    // A reconnecting browser sends the header; a page's first connection names the newest
    // entry it was rendered with in `?after=`.
    let header = headers.get("last-event-id").and_then(|v| v.to_str().ok()).map(|v| ("Last-Event-ID", v.to_owned()));
    let (last_sent, replaying) = match header.or(query.after.map(|after| ("after", after))) {
        Some((name, text)) => {
            let id = text.trim().parse::<i64>().map_err(|_| {
                tracing::info!(user = user.id, name, "malformed event id");
                AppError::Malformed { detail: format!("{name} is not an event id") }
            })?;
            (id, true)
        }
        None => (state.store.last_event_id().await?, false),
    };
    let open = OpenStream::claim(&state.open_streams, user.id, state.streams_per_user)?;
    let subscription = Subscription {
        _open: open,
        store: state.store.clone(),
        scope: user.case_scope(),
        internal: user.role.is_support(),
        last_sent,
        replaying,
        pending: VecDeque::new(),
        feed,
        presence: user.role.is_support().then(|| state.presence.subscribe()),
        shutdown: state.shutdown.clone(),
    };
    tracing::debug!(user = user.id, last_sent, "live stream opened");
    let stream = futures::stream::unfold(subscription, Subscription::next);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
