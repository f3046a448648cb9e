//! Configuration from the environment (and a few command-line flags).

use std::net::SocketAddr;
use std::path::PathBuf;

use app::backend::mail::{MailSettings, MailTransport};

#[derive(Clone, Debug)]
pub struct Config {
    /// `CASEBOARD_ADDR`, default 127.0.0.1:3000.
    pub addr: SocketAddr,
    /// `CASEBOARD_DATA_DIR`, default ./data: the SQLite file lives here.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`; default: the SQLite file in the data directory.
    pub database_url: Option<String>,
    /// `CASEBOARD_ADMIN_EMAIL` + `CASEBOARD_ADMIN_PASSWORD`: this admin exists after start.
    pub admin: Option<(String, String)>,
    /// `--demo` or `CASEBOARD_DEMO=1`: load demo data into an empty database.
    pub demo: bool,
    /// `LEPTOS_SITE_ROOT`, default target/site: the WASM, CSS and public files.
    pub site_root: PathBuf,
    /// `CASEBOARD_SWEEP_SECS`, default 15: how often SLA warnings and breaches are swept.
    pub sweep_every_secs: u64,
    /// `CASEBOARD_WIP_LIMITS`, e.g. `confirmed=15,assigned=10` (the default); `off` for none.
    pub wip_limits: app::domain::WipLimits,
    /// `CASEBOARD_STREAMS_PER_USER`: live streams one person may hold open on one instance.
    pub streams_per_user: u32,
    /// `CASEBOARD_HEADER_READ_TIMEOUT_SECS`, default 10: a request's headers must arrive
    /// within this time, or the connection is closed.
    pub header_read_timeout: std::time::Duration,
    /// `CASEBOARD_BODY_IDLE_TIMEOUT_SECS`, default 30: a request body may not stall longer.
    pub body_idle_timeout: std::time::Duration,
    /// `CASEBOARD_CLIENT_IP_SOURCE`, default `ConnectInfo` (the connection's peer). Behind a
    /// reverse proxy, the header it sets: `RightmostXForwardedFor`, `XRealIp`,
    /// `CfConnectingIp`, `TrueClientIp`, `FlyClientIp`, `CloudFrontViewerAddress`,
    /// `XEnvoyExternalAddress`. Only set a header source when a proxy always overwrites it.
    pub client_ip_source: axum_client_ip::ClientIpSource,
    /// `CASEBOARD_SIGN_IN_PER_ADDRESS_PER_MINUTE`, default 30: sign-in attempts one client
    /// address may make a minute (whatever the emails), beside the 10 a minute per email.
    pub sign_in_per_address_per_minute: std::num::NonZeroU32,
    /// Email: `CASEBOARD_SMTP_URL` (else the file outbox `<data dir>/outbox`),
    /// `CASEBOARD_MAIL_FROM`, `CASEBOARD_PUBLIC_URL`, `CASEBOARD_MAILGATE_TOKEN`,
    /// `CASEBOARD_MAIL_MAX_BYTES`, `CASEBOARD_ATTACHMENT_MAX_BYTES`, `CASEBOARD_MAIL_RETRY_MAX_SECS`,
    /// `CASEBOARD_MAIL_AUTHSERV_ID`, `CASEBOARD_MAIL_COALESCE_SECS`.
    pub mail: MailSettings,
}

impl Config {
    /// The defaults for a data directory, listening on `addr`, with demo data and the file
    /// outbox: what the tests and benchmarks start from. Notifications are not gathered
    /// (each is sent at once); the tests of gathering set a window.
    pub fn local(data_dir: PathBuf, addr: SocketAddr) -> Config {
        Config {
            addr,
            site_root: data_dir.join("site"),
            mail: MailSettings {
                coalesce_window: std::time::Duration::ZERO,
                ..MailSettings::file_outbox(data_dir.join("outbox"), "http://127.0.0.1")
            },
            data_dir,
            database_url: None,
            admin: None,
            demo: true,
            sweep_every_secs: 15,
            wip_limits: app::domain::WipLimits::default(),
            streams_per_user: 20,
            header_read_timeout: std::time::Duration::from_secs(10),
            body_idle_timeout: std::time::Duration::from_secs(30),
            client_ip_source: axum_client_ip::ClientIpSource::ConnectInfo,
            sign_in_per_address_per_minute: std::num::NonZeroU32::new(30).expect("30 is not zero"),
        }
    }

    pub fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("CASEBOARD_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr.parse().map_err(|_| format!("CASEBOARD_ADDR is not a socket address: {addr}"))?;
        let admin = match (var("CASEBOARD_ADMIN_EMAIL"), var("CASEBOARD_ADMIN_PASSWORD")) {
            (Some(email), Some(password)) => Some((email, password)),
            (None, None) => None,
            _ => return Err("set both CASEBOARD_ADMIN_EMAIL and CASEBOARD_ADMIN_PASSWORD, or neither".into()),
        };
        let data_dir: PathBuf = var("CASEBOARD_DATA_DIR").unwrap_or_else(|| "./data".into()).into();
        let number = |name: &str, default: u64| -> Result<u64, String> {
            match var(name) {
                Some(text) => {
                    text.parse().ok().filter(|&n| n > 0).ok_or(format!("{name} is not a positive number: {text}"))
                }
                None => Ok(default),
            }
        };
        let public_url = var("CASEBOARD_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
        let mut mail = MailSettings::file_outbox(data_dir.join("outbox"), &public_url);
        if let Some(url) = var("CASEBOARD_SMTP_URL") {
            mail.transport = MailTransport::Smtp(url);
        }
        if let Some(from) = var("CASEBOARD_MAIL_FROM") {
            mail.from = from.parse().map_err(|e| format!("CASEBOARD_MAIL_FROM is not a mailbox ({e}): {from}"))?;
        }
        mail.mailgate_token = var("CASEBOARD_MAILGATE_TOKEN");
        mail.max_message_bytes = number("CASEBOARD_MAIL_MAX_BYTES", 25 * 1024 * 1024)? as usize;
        mail.max_attachment_bytes = number("CASEBOARD_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)? as usize;
        mail.retry_max = std::time::Duration::from_secs(number("CASEBOARD_MAIL_RETRY_MAX_SECS", 300)?);
        mail.coalesce_window =
            match var("CASEBOARD_MAIL_COALESCE_SECS") {
                Some(text) => std::time::Duration::from_secs(text.parse().ok().filter(|&n: &u64| n <= 3600).ok_or(
                    format!("CASEBOARD_MAIL_COALESCE_SECS is not a number of seconds from 0 to 3600: {text}"),
                )?),
                None => app::backend::mail::DEFAULT_COALESCE_WINDOW,
            };
        mail.authserv_id = match var("CASEBOARD_MAIL_AUTHSERV_ID") {
            Some(id) if id.trim().chars().any(|c| c.is_whitespace() || c.is_control() || c == ';') => {
                return Err(format!("CASEBOARD_MAIL_AUTHSERV_ID is not an authserv-id (one word, no ';'): {id}"));
            }
            id => id.map(|id| id.trim().to_owned()),
        };
        Ok(Config {
            addr,
            data_dir,
            database_url: var("DATABASE_URL"),
            admin,
            demo: matches!(var("CASEBOARD_DEMO").as_deref(), Some("1" | "true" | "yes")),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()).into(),
            sweep_every_secs: match var("CASEBOARD_SWEEP_SECS") {
                Some(text) => text
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("CASEBOARD_SWEEP_SECS is not a positive number: {text}"))?,
                None => 15,
            },
            wip_limits: match var("CASEBOARD_WIP_LIMITS") {
                Some(text) => app::domain::WipLimits::parse(&text).map_err(|e| format!("CASEBOARD_WIP_LIMITS: {e}"))?,
                None => app::domain::WipLimits::default(),
            },
            streams_per_user: u32::try_from(number("CASEBOARD_STREAMS_PER_USER", 20)?)
                .ok()
                .filter(|&n| n > 0)
                .ok_or("CASEBOARD_STREAMS_PER_USER is not a positive number")?,
            header_read_timeout: std::time::Duration::from_secs(number("CASEBOARD_HEADER_READ_TIMEOUT_SECS", 10)?),
            body_idle_timeout: std::time::Duration::from_secs(number("CASEBOARD_BODY_IDLE_TIMEOUT_SECS", 30)?),
            client_ip_source: match var("CASEBOARD_CLIENT_IP_SOURCE") {
                Some(text) => text.trim().parse().map_err(|_| {
                    format!("CASEBOARD_CLIENT_IP_SOURCE is not one of ConnectInfo, RightmostXForwardedFor, XRealIp, CfConnectingIp, TrueClientIp, FlyClientIp, CloudFrontViewerAddress, XEnvoyExternalAddress: {text}")
                })?,
                None => axum_client_ip::ClientIpSource::ConnectInfo,
            },
            sign_in_per_address_per_minute: u32::try_from(number("CASEBOARD_SIGN_IN_PER_ADDRESS_PER_MINUTE", 30)?)
                .ok()
                .and_then(std::num::NonZeroU32::new)
                .ok_or("CASEBOARD_SIGN_IN_PER_ADDRESS_PER_MINUTE is not a positive number")?,
            mail,
        })
    }
}
