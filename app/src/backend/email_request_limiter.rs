//! The limits on requests anyone may make for an email address without signing in (a
//! password reset link, an account): per email address (a burst of 3, then one every ten
//! minutes; past it the answer is the same and nothing is sent) and per client address (a
//! burst of 10, then 10 a minute; past it 429), in memory on each instance.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

pub struct EmailRequestLimiter {
    /// What is asked for, in the log line of a refusal ("password reset", "registration").
    what: &'static str,
    per_email: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<std::net::IpAddr>,
}

impl EmailRequestLimiter {
    pub fn new(what: &'static str) -> EmailRequestLimiter {
        let every_ten_minutes = Quota::with_period(Duration::from_secs(600)).expect("ten minutes is not zero");
        EmailRequestLimiter {
            what,
            per_email: RateLimiter::keyed(every_ten_minutes.allow_burst(NonZeroU32::new(3).expect("3 is not zero"))),
            per_client: RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(10).expect("10 is not zero"))),
        }
    }

    /// The client address's limit: past it, 429 with the wait.
    pub(crate) fn check_client(&self, client: Option<std::net::IpAddr>) -> Result<(), AppError> {
        let client = client.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        self.per_client.check_key(&client).map_err(|not_until| {
            tracing::info!(client = %client, what = self.what, "requests from one address refused");
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
        })
    }

    /// Whether one more request for `email` may send anything.
    pub(crate) fn email_allowed(&self, email: &str) -> bool {
        self.per_email.check_key(&email.to_owned()).is_ok()
    }

    /// Forgets keys whose limits have fully recovered (memory stays bounded by recent use).
    pub fn forget_recovered(&self) {
        self.per_email.retain_recent();
        self.per_client.retain_recent();
    }
}
