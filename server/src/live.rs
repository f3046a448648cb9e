//! Live updates: `GET /api/v1/events`, a Server-Sent Events stream of the event log,
//! filtered on the server to what the caller may see (customers: their organization's
//! cases, never internal notes). Event ids are the log's ids: a reconnecting client sends
//! `Last-Event-ID` and gets what it missed from the log, even across a server restart.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use app::AppError;
use app::backend::AppState;
use app::backend::store::{CaseScope, Store};
use app::domain::CaseEvent;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use crate::rest::Caller;

/// How many log entries one read sends at most (a long-absent client catches up in pages).
const PAGE: i64 = 500;

struct Subscription {
    store: Store,
    scope: CaseScope,
    internal: bool,
    last_sent: i64,
    pending: VecDeque<CaseEvent>,
    ids: tokio::sync::broadcast::Receiver<i64>,
    shutdown: tokio::sync::watch::Receiver<bool>,
}

impl Subscription {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Subscription)> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.last_sent = event.id;
                return Some((Ok(sse_event(&event)), self));
            }
            // Catch up from the log first (after a reconnect, or when the hub lagged).
            let newest = self.store.last_event_id().await.ok()?;
            if newest > self.last_sent {
                match self.store.events_after(self.last_sent, newest, self.scope, self.internal, PAGE).await {
                    Ok(events) if !events.is_empty() => {
                        self.pending.extend(events);
                        continue;
                    }
                    // Nothing visible to this caller up to `newest`: skip past it.
                    Ok(_) => self.last_sent = newest,
                    Err(_) => return None,
                }
            }
            tokio::select! {
                received = self.ids.recv() => match received {
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
                _ = self.shutdown.changed() => return None,
            }
        }
    }
}

fn sse_event(event: &CaseEvent) -> Event {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    Event::default().id(event.id.to_string()).event(event.change.kind()).data(data)
}

pub async fn events(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    // Subscribe before reading the log, so nothing committed in between is missed.
    let ids = state.store.subscribe();
    let last_sent = match headers.get("last-event-id").and_then(|v| v.to_str().ok()) {
        Some(text) => text
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::Malformed { detail: "Last-Event-ID is not an event id".into() })?,
        None => state.store.last_event_id().await?,
    };
    let subscription = Subscription {
        store: state.store.clone(),
        scope: user.case_scope(),
        internal: user.role.is_support(),
        last_sent,
        pending: VecDeque::new(),
        ids,
        shutdown: state.shutdown.clone(),
    };
    tracing::debug!(user = user.id, last_sent, "live stream opened");
    let stream = futures::stream::unfold(subscription, Subscription::next);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
