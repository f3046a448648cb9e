//! `caseboard`: `serve` (the default) runs the server; `migrate` only migrates the database;
//! `backup <file>` copies the SQLite database while the server runs; `generate` fills the
//! database with a large realistic history (benchmarks, demos at scale).

use server::{Config, open_store, router};
use tracing_subscriber::EnvFilter;

const USAGE: &str =
    "usage: caseboard [serve [--demo] | migrate | rebuild-projections | backup FILE
                  | generate --cases N [--seed S] [--until T] [--into-nonempty]
                  | mailgate --url URL [--recipient ADDR] | --help]

  rebuild-projections
             recomputes every case's SLA projection (what the board and the sweeper read
             instead of the log) from the event log, a batch at a time; safe while serving
  backup     copies the SQLite database into the new file FILE, consistent, while the server
             runs (VACUUM INTO; an existing FILE is refused). To restore: stop the server,
             move the database and its -wal and -shm files away, copy FILE in its place (or
             point DATABASE_URL at FILE). PostgreSQL: pg_dump, see the README
  generate   fills the configured database with N realistic cases over five years (~200
             organizations on every plan, ~2,000 contacts, 40 engineers; 5-30 log entries a
             case, ~3% open), the same for the same seed (default 1) and end instant T
             (RFC 3339, default now); every generated person's password is
             caseboard-generated. Refuses (exit 2, nothing written) a database holding cases
             or people other than the demo's, unless --into-nonempty
  mailgate   reads one RFC 822 message on stdin and posts it to the server at URL with
             CASEBOARD_MAILGATE_TOKEN (for an MTA pipe); exits 0 when handled, 65 when the
             message is refused as bad (the MTA bounces it), 75 to have the MTA retry later

environment:
  CASEBOARD_ADDR            listen address (default 127.0.0.1:3000)
  CASEBOARD_DATA_DIR        data directory (default ./data)
  DATABASE_URL              database (default: sqlite file in the data directory)
  CASEBOARD_ADMIN_EMAIL     with CASEBOARD_ADMIN_PASSWORD: this admin exists after start
  CASEBOARD_DEMO=1          like --demo: load demo data into an empty database
  LEPTOS_SITE_ROOT          built WASM, CSS and public files (default target/site)
  CASEBOARD_SWEEP_SECS      how often the SLA sweeper runs (default 15)
  CASEBOARD_WIP_LIMITS      board work-in-progress limits (default confirmed=15,assigned=10; off)
  CASEBOARD_SMTP_URL        SMTP server for notifications, e.g. smtp://127.0.0.1:25 (default: files in DATA_DIR/outbox)
  CASEBOARD_MAIL_FROM       support address, e.g. \"Acme Support <support@example.com>\"
  CASEBOARD_PUBLIC_URL      the address people reach Caseboard at, for links in emails
  CASEBOARD_MAILGATE_TOKEN  the token mailgate presents (inbound mail is off without it)
  CASEBOARD_MAIL_MAX_BYTES  largest inbound message (default 26214400)
  CASEBOARD_ATTACHMENT_MAX_BYTES  largest attachment (default 10485760)
  CASEBOARD_MAIL_RETRY_MAX_SECS   longest wait between two attempts to send a message (default 300)
  CASEBOARD_MAIL_COALESCE_SECS    news of one case to one person within this many seconds goes as one mail (default 120; 0: each at once)";

/// Stack of each runtime thread. A page's server render is a deep chain of nested futures;
/// unoptimised (debug) builds keep every level's state on the stack and overflowed the
/// default 2 MiB now and then (the process aborted mid-response).
const THREAD_STACK_BYTES: usize = 8 * 1024 * 1024;

fn main() {
    server::allocator::keep_large_blocks_returnable();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK_BYTES)
        .build()
        .unwrap_or_else(|e| {
            eprintln!("caseboard: cannot start the async runtime: {e}");
            std::process::exit(1);
        });
    runtime.block_on(start());
}

async fn start() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    if let Err(message) = run().await {
        eprintln!("caseboard: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("mailgate") {
        // The gateway runs under the MTA: it needs no server configuration, only the URL and token.
        return mailgate(&args[1..]).await;
    }
    let mut config = Config::from_env()?;
    let command = args.first().map(String::as_str).unwrap_or("serve");
    match command {
        "serve" | "--demo" => {
            if args.iter().any(|a| a == "--demo") {
                config.demo = true;
            }
            if let Some(bad) = args.iter().skip(1).find(|a| *a != "--demo") {
                return Err(format!("unknown argument {bad}\n{USAGE}"));
            }
            serve(config).await
        }
        "backup" => {
            let [_, file] = &args[..] else {
                return Err(format!("backup needs one FILE\n{USAGE}"));
            };
            let done = server::backup(&config, std::path::Path::new(file)).await?;
            println!(
                "backed up {} to {file}: {} bytes in {} ms",
                done.source.display(),
                done.bytes,
                done.elapsed.as_millis()
            );
            Ok(())
        }
        "rebuild-projections" => {
            let store = open_store(&config).await?;
            let started = std::time::Instant::now();
            let cases = store.rebuild_projections().await.map_err(|e| format!("cannot rebuild the projections: {e}"))?;
            store.rebuild_report_rollups().await.map_err(|e| format!("cannot rebuild the report rollups: {e}"))?;
            store.close().await;
            println!("SLA projections of {cases} cases rebuilt from the log in {} ms", started.elapsed().as_millis());
            Ok(())
        }
        "generate" => generate(&config, &args[1..]).await,
        "migrate" => {
            open_store(&config).await?.close().await;
            println!("database migrated");
            Ok(())
        }
        "--help" | "-h" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other}\n{USAGE}")),
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let store = open_store(&config).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let sweeper = server::spawn_background(&store, &config, stopped.clone())?;
    if !config.site_root.join("pkg").join("caseboard.js").exists() {
        tracing::warn!(site_root = %config.site_root.display(), "no built WASM found: pages render but do not hydrate (run scripts/build)");
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let url = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
    println!("\nCaseboard is running at {url}");
    if config.demo {
        println!("Demo logins (password: {}):", app::backend::demo::DEMO_PASSWORD);
        for (email, who) in app::backend::demo::DEMO_LOGINS {
            println!("  {email:<26} {who}");
        }
    }
    if let Some((email, _)) = &config.admin {
        println!("Admin from CASEBOARD_ADMIN_EMAIL: {email}");
    }
    println!();
    // `into_make_service`: the route table is built once, not again for every connection
    // (axum rebuilds it per connection otherwise: ~80 KiB each, measured by the fan-out bench).
    let app = router(store.clone(), &config, stopped).await?;
    server::listen::serve(listener, app, &config, async move {
        shutdown_signal().await;
        // Live streams never end by themselves: tell them to.
        let _ = stop.send(true);
    })
    .await;
    // The sweeper stops between two cases; the database closes after it, quietly.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), sweeper).await;
    store.close().await;
    Ok(())
}

/// `caseboard generate --cases N [--seed S] [--until T] [--into-nonempty]`.
async fn generate(config: &Config, args: &[String]) -> Result<(), String> {
    use app::backend::generate::{GENERATED_PASSWORD, GenerateError, GenerateOptions, generate};
    let mut options = GenerateOptions {
        cases: 0,
        seed: 1,
        into_nonempty: false,
        until: jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).map_err(|e| e.to_string())?,
    };
    let mut cases = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| rest.next().cloned().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--cases" => {
                cases = Some(
                    value("--cases")?
                        .replace('_', "")
                        .parse::<u64>()
                        .map_err(|_| "--cases takes a number".to_string())?,
                )
            }
            "--seed" => options.seed = value("--seed")?.parse().map_err(|_| "--seed takes a number".to_string())?,
            "--until" => {
                options.until = value("--until")?
                    .parse()
                    .map_err(|_| "--until takes an RFC 3339 instant (2026-01-31T12:00:00Z)".to_string())?
            }
            "--into-nonempty" => options.into_nonempty = true,
            other => return Err(format!("unknown generate argument {other}\n{USAGE}")),
        }
    }
    options.cases = cases.ok_or(format!("generate needs --cases N\n{USAGE}"))?;
    let store = open_store(config).await?;
    println!("generating {} cases (seed {}, ending {})", options.cases, options.seed, options.until);
    let result = generate(&store, &options, &mut |line| println!("  {line}")).await;
    store.close().await;
    match result {
        Ok(report) => {
            println!(
                "generated {} cases ({} open, numbers {} to {}), {} log entries, {} organizations, {} contacts, {} engineers \
                 in {:.1} s (written in {:.1} s, search index {:.1} s)",
                report.cases,
                report.open_cases,
                report.first_number,
                report.first_number + report.cases as i64 - 1,
                report.events,
                report.organizations,
                report.contacts,
                report.engineers,
                report.total_secs,
                report.write_secs,
                report.index_secs
            );
            println!(
                "sign in as {} (engineer) or {} (organization admin); password {GENERATED_PASSWORD}",
                report.engineer_email, report.customer_email
            );
            Ok(())
        }
        Err(GenerateError::Refused) => {
            eprintln!(
                "caseboard: the database already holds cases or people other than the demo's: nothing was \
                 generated (add --into-nonempty to add a generated history to it anyway)"
            );
            std::process::exit(2);
        }
        Err(GenerateError::Failed(e)) => Err(format!("generate failed: {e}")),
    }
}

/// `caseboard mailgate --url URL [--recipient ADDR]`: exits with the status the MTA needs.
async fn mailgate(args: &[String]) -> Result<(), String> {
    use std::io::Read;
    let mut url = None;
    let mut recipient = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--url" => url = rest.next().cloned(),
            "--recipient" => recipient = rest.next().cloned(),
            other => return Err(format!("unknown mailgate argument {other}\n{USAGE}")),
        }
    }
    let url = url.ok_or(format!("mailgate needs --url\n{USAGE}"))?;
    let Some(token) = std::env::var("CASEBOARD_MAILGATE_TOKEN").ok().filter(|t| !t.is_empty()) else {
        eprintln!("caseboard mailgate: CASEBOARD_MAILGATE_TOKEN is not set");
        std::process::exit(server::mail::exit::TEMP_FAIL);
    };
    let mut message = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut message) {
        eprintln!("caseboard mailgate: cannot read the message: {e}");
        std::process::exit(server::mail::exit::TEMP_FAIL);
    }
    let (code, said) = server::mail::mailgate(&url, recipient.as_deref(), &token, message).await;
    if code != server::mail::exit::OK {
        eprintln!("caseboard mailgate: {said}");
    }
    std::process::exit(code);
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight, close the database.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
