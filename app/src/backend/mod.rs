//! Server-only code (the `ssr` feature): the store, accounts and sessions, the case
//! service shared by server functions and the REST API, and demo data.

pub mod accounts;
pub mod admin;
pub mod assignment;
pub mod attachments;
pub mod audit;
pub mod board;
pub mod case_lists;
pub mod case_search;
pub mod cases;
pub mod contacts;
pub mod contracts;
pub mod cursor;
pub mod demo;
pub mod feed;
pub mod email_request_limiter;
pub mod first_run;
pub mod generate;
pub mod holidays;
pub mod hour_bank;
pub mod invitations;
pub mod kb;
pub mod maintenance;
pub mod maintenance_calendar;
pub mod language;
pub mod mail;
pub mod notifications;
pub mod organizations;
pub mod people;
pub mod password_reset;
pub mod phone;
pub mod presence;
pub mod privacy;
pub mod reports;
pub mod registration;
pub mod settings;
pub mod status;
pub mod store;
pub mod support_intake;
pub mod sweeper;
pub mod test_database;
pub mod verdict;
pub mod views;

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

pub use accounts::SignInLimiter;
pub use store::Store;

/// Everything a request handler or server function needs, cloned cheaply per request.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub sign_in_limiter: Arc<SignInLimiter>,
    /// Password reset requests, per email and per client address.
    pub password_reset_limiter: Arc<email_request_limiter::EmailRequestLimiter>,
    /// Account requests (registration), per email and per client address.
    pub registration_limiter: Arc<email_request_limiter::EmailRequestLimiter>,
    pub leptos_options: LeptosOptions,
    /// Turns true when the server stops: live streams end so shutdown is not held up.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// The board's work-in-progress limits.
    pub wip_limits: crate::domain::WipLimits,
    /// This instance's live feed: every committed log entry, for live streams to filter.
    pub feed: Arc<feed::Feed>,
    /// Who is on which case page now (support only, in memory).
    pub presence: Arc<presence::Presence>,
    /// Live streams one person may hold open on this instance, and how many each holds now.
    pub streams_per_user: u32,
    pub open_streams: OpenStreams,
    /// The public URL is https: session cookies are `Secure` and pages send HSTS.
    pub https: bool,
    /// Mail settings: the support address, the gateway's token, size limits.
    pub mail: Arc<mail::MailSettings>,
}

/// Open live streams per user id, on this instance.
pub type OpenStreams = Arc<std::sync::Mutex<std::collections::HashMap<i64, u32>>>;

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}
