//! `caseboard serve` as a child process on a free port (the tests and benchmarks that run
//! several instances on one database).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Instance {
    pub base: String,
    pub data_dir: std::path::PathBuf,
    child: Child,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Instance {
    /// The server process's id (to read its memory from `/proc/<pid>/status`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server with SIGKILL (std's `Child::kill` on Unix), as dropping it does: no
    /// shutdown, nothing flushed, as in a crash.
    pub fn kill(self) {
        drop(self);
    }
}

/// Starts `binary serve` on `database_url` (loading the demo data when `demo`), sweeping SLA
/// clocks every `sweep_secs`; returns once it answers `/healthz`.
pub async fn start(
    binary: &str,
    database_url: &str,
    data_dir: std::path::PathBuf,
    demo: bool,
    sweep_secs: u64,
) -> Instance {
    start_with_env(binary, database_url, data_dir, demo, sweep_secs, &[]).await
}

/// [`start`], with more environment variables (`CASEBOARD_WIP_LIMITS=off`, say).
pub async fn start_with_env(
    binary: &str,
    database_url: &str,
    data_dir: std::path::PathBuf,
    demo: bool,
    sweep_secs: u64,
    env: &[(&str, &str)],
) -> Instance {
    start_at(free_port(), binary, database_url, data_dir, demo, sweep_secs, env).await
}

/// [`start_with_env`] on `port` (a restart where the clients are).
pub async fn start_at(
    port: u16,
    binary: &str,
    database_url: &str,
    data_dir: std::path::PathBuf,
    demo: bool,
    sweep_secs: u64,
    env: &[(&str, &str)],
) -> Instance {
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .env("CASEBOARD_ADDR", format!("127.0.0.1:{port}"))
        .env("CASEBOARD_DATA_DIR", &data_dir)
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ROOT", data_dir.join("site"))
        .env("CASEBOARD_SWEEP_SECS", sweep_secs.to_string())
        .env("CASEBOARD_STREAMS_PER_USER", "100000")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command.envs(env.iter().copied());
    if demo {
        command.arg("--demo");
    }
    let instance = Instance {
        base: format!("http://127.0.0.1:{port}"),
        data_dir,
        child: command.spawn().expect("caseboard starts"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if reqwest::get(format!("{}/healthz", instance.base)).await.is_ok_and(|r| r.status().is_success()) {
            return instance;
        }
        assert!(Instant::now() < deadline, "instance on port {port} did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
