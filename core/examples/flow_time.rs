//! Times the flow view's data natively (issue 15): a board of 10,000 requirements whose
//! histories hold 50,000 steps in all (five per card, some moving backwards), read and turned
//! into the cumulative flow diagram, the cycle times and the aging work in progress. Prints
//! the median, min and max in milliseconds; `make bench` runs it.
//!
//! cargo run --release -p traceboard-core --example flow_time -- [--runs N] [--requirements N]

use std::fmt::Write;
use std::time::Instant;

use traceboard_core::board::Board;
use traceboard_core::flow::{days_from_civil, flow, iso_date};

fn main() {
    let mut runs: usize = 11;
    let mut size: usize = 10_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|n| n.parse().ok());
        match (arg.as_str(), value) {
            ("--runs", Some(n)) => runs = n,
            ("--requirements", Some(n)) => size = n,
            _ => {
                eprintln!("usage: flow_time [--runs N] [--requirements N]");
                std::process::exit(2);
            }
        }
    }
    let matrix = generate(size);
    let board = Board::import("m.json", matrix.as_bytes())
        .expect("the generated matrix imports")
        .0;
    let today = days_from_civil(2026, 11, 29);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let f = flow(&board, today);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        last = Some(f);
    }
    let f = last.expect("one run");
    let start = Instant::now();
    let read = traceboard_core::flow::read(&board);
    let read_ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("reading {} histories: {read_ms:.1} ms", read.tracks.len());
    times.sort_by(f64::total_cmp);
    println!(
        "flow of {size} requirements, {} history steps ({} days, {} cycle times, {} aging): median {:.1} ms (min {:.1}, max {:.1}, {} runs)",
        f.steps,
        f.cumulative.counts.len(),
        f.cycles.cycles.len(),
        f.aging.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
}

/// The same board as `bench/flow.mjs` builds: card `i` takes five steps over the year before
/// 2026-11-29: a third move back from Green to Red, a third are reviewed and regress, a
/// third are pulled back to Backlog once and end Reviewed.
fn generate(size: usize) -> String {
    let start = days_from_civil(2025, 12, 1);
    let mut matrix = String::from("{\"requirements\": [\n");
    for i in 0..size {
        let first = start + (i * 7 % 300) as i64;
        let gap = 1 + (i % 6) as i64;
        let path: [(&str, &str); 5] = match i % 3 {
            // Back from Green to Red, then Green again.
            0 => [
                ("backlog", "test_written"),
                ("test_written", "red"),
                ("red", "green"),
                ("green", "red"),
                ("red", "green"),
            ],
            // Reviewed, then a regression sends it back to Red.
            1 => [
                ("backlog", "test_written"),
                ("test_written", "red"),
                ("red", "green"),
                ("green", "reviewed"),
                ("reviewed", "red"),
            ],
            // Pulled back to Backlog once, then through to Reviewed.
            _ => [
                ("test_written", "backlog"),
                ("backlog", "test_written"),
                ("test_written", "red"),
                ("red", "green"),
                ("green", "reviewed"),
            ],
        };
        let stage = path[4].1;
        let mut history = String::new();
        for (k, (from, to)) in path.iter().enumerate() {
            let _ = write!(
                history,
                "{}{{\"from\": \"{from}\", \"to\": \"{to}\", \"at\": \"{}T{:02}:00:00Z\", \"by\": \"agent\"}}",
                if k == 0 { "" } else { ", " },
                iso_date(first + gap * k as i64),
                8 + k
            );
        }
        let _ = write!(
            matrix,
            "{}  {{\"id\": \"REQ-{i:05}\", \"ears\": \"When event {i} happens, the system shall respond within two seconds.\", \"tdd_stage\": \"{stage}\", \"tests\": [\"tests/test_{i}.py\"], \"code\": [\"src/f_{i}.py\"], \"tdd_history\": [{history}]}}",
            if i == 0 { "" } else { ",\n" },
        );
    }
    matrix.push_str("\n]}");
    matrix
}
