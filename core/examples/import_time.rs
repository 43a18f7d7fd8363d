//! Times `Board::import` natively: the files are imported in turn, N rounds, so a drift of
//! the machine hits them alike; then one tab-separated line per file with the runs, the
//! median, min and max in milliseconds, the bytes and the import report's first sentence.
//! `make bench` (bench/run.mjs) runs it on the origin-format and unfamiliar-shape matrices,
//! so the cost of finding the requirements in an unfamiliar shape shows without a browser.
//!
//! cargo run --release -p traceboard-core --example import_time -- [--runs N] FILE...

use std::time::{Duration, Instant};

use traceboard_core::board::Board;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut runs: usize = 11;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        } else {
            paths.push(arg);
        }
    }
    let files: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .map(|path| match std::fs::read(&path) {
            Ok(bytes) => (path, bytes),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        })
        .collect();
    let mut times = vec![Vec::new(); files.len()];
    let mut reports = vec![String::new(); files.len()];
    for _ in 0..runs.max(1) {
        for (i, (path, bytes)) in files.iter().enumerate() {
            let start = Instant::now();
            let imported = Board::import(path, bytes);
            times[i].push(start.elapsed());
            match imported {
                Ok((_, report)) => reports[i] = report.to_string(),
                Err(e) => {
                    eprintln!("{path}: {e}");
                    std::process::exit(1);
                }
            }
        }
    }
    for ((path, bytes), (mut t, report)) in files.iter().zip(times.into_iter().zip(reports)) {
        t.sort();
        let first = report.split_inclusive('.').next().unwrap_or_default();
        println!(
            "{path}\t{}\t{:.2}\t{:.2}\t{:.2}\t{}\t{first}",
            t.len(),
            ms(t[t.len() / 2]),
            ms(t[0]),
            ms(t[t.len() - 1]),
            bytes.len(),
        );
    }
}
