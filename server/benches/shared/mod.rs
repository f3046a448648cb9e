//! What the scale benchmarks share: boards (live streams, each on its own connection)
//! counting the moves they are told of, and the run of moves timed from each move's request
//! to its arrival at every board.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::client::Api;

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Boards connected to the live stream, each noting when each of the first `moves`
/// `status_changed` events reached it.
pub struct Boards {
    moves: usize,
    delivered: Arc<AtomicUsize>,
    arrivals: Arc<Mutex<Vec<Vec<Instant>>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// The times of one run of moves, sorted.
#[allow(dead_code)] // Each benchmark prints the figures it is about.
pub struct FanoutTimes {
    /// From each move's request to its arrival, every board.
    pub latencies: Vec<Duration>,
    /// From each move's request to its arrival at the last board.
    pub last_board: Vec<Duration>,
    /// Each move's own request.
    pub requests: Vec<Duration>,
}

impl Boards {
    pub fn new(moves: usize) -> Boards {
        Boards {
            moves,
            delivered: Arc::new(AtomicUsize::new(0)),
            arrivals: Arc::new(Mutex::new(vec![Vec::new(); moves])),
            tasks: Vec::new(),
        }
    }

    /// Connects one more board as `viewer`, on a connection of its own.
    pub async fn connect(&mut self, viewer: &Api) {
        let board = viewer.separate_connection();
        let mut response = board.stream(None).await;
        assert!(response.status().is_success(), "board {}: {}", self.tasks.len(), response.status());
        let (moves, delivered, arrivals) = (self.moves, self.delivered.clone(), self.arrivals.clone());
        self.tasks.push(tokio::spawn(async move {
            let _connection = board;
            let mut seen = 0;
            while let Ok(Some(chunk)) = response.chunk().await {
                let at = Instant::now();
                let text = String::from_utf8_lossy(&chunk);
                for _ in 0..text.matches("event: status_changed").count() {
                    if seen < moves {
                        arrivals.lock().await[seen].push(at);
                    }
                    seen += 1;
                    delivered.fetch_add(1, Ordering::SeqCst);
                }
                if seen >= moves {
                    break;
                }
            }
        }));
    }

    /// `opener` opens a case; `mover` moves it `moves` times, each once every board was told
    /// of the one before (or 10 s passed).
    pub async fn run(&self, opener: &Api, mover: &Api, settle: Duration) -> FanoutTimes {
        let body = serde_json::json!({"summary": "fan-out", "description": "x", "kind": "bug", "severity": 3, "environment": "production"});
        let case = opener.new_case(&body).await;
        let number = case["number"].as_i64().unwrap();
        let mut version = case["version"].as_i64().unwrap();
        tokio::time::sleep(settle).await;
        let boards = self.tasks.len();
        let (mut sent, mut requests) = (Vec::new(), Vec::new());
        for k in 0..self.moves {
            let to = if k % 2 == 0 { "confirmed" } else { "assigned" };
            let t0 = Instant::now();
            let moved = mover.move_case(number, to, None, version).await;
            requests.push(t0.elapsed());
            version = moved.version();
            sent.push(t0);
            let deadline = Instant::now() + Duration::from_secs(10);
            while self.delivered.load(Ordering::SeqCst) < boards * (k + 1) && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        let arrivals = self.arrivals.lock().await.clone();
        let (mut latencies, mut last_board) = (Vec::new(), Vec::new());
        for (k, at) in arrivals.iter().enumerate() {
            latencies.extend(at.iter().map(|a| a.duration_since(sent[k])));
            if let Some(last) = at.iter().max() {
                last_board.push(last.duration_since(sent[k]));
            }
        }
        latencies.sort();
        last_board.sort();
        requests.sort();
        FanoutTimes { latencies, last_board, requests }
    }

    pub fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
    }
}
