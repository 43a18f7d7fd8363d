//! Times reading a large JUnit XML report and matching it against a large board, natively:
//! a report of about 2 MB and 1,000 test cases (half failing, with multi-line bodies)
//! against a board of 10,000 requirements with three test paths each (issue 14's target:
//! under 200 ms). Prints the sizes and the median, min and max in milliseconds; `make bench`
//! runs it.
//!
//! cargo run --release -p traceboard-core --example results_time -- [--runs N] [--requirements N]

use std::fmt::Write;
use std::time::Instant;

use traceboard_core::board::Board;
use traceboard_core::results::{Evidence, read_report};

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
                eprintln!("usage: results_time [--runs N] [--requirements N]");
                std::process::exit(2);
            }
        }
    }
    let mut matrix = String::from("{\"requirements\": [\n");
    for i in 0..size {
        let stage = ["backlog", "test_written", "red", "green", "reviewed"][i % 5];
        let _ = write!(
            matrix,
            "{}  {{\"id\": \"REQ-{i:05}\", \"ears\": \"When event {i} happens, the system shall respond within two seconds and log it.\", \"tdd_stage\": \"{stage}\", \"tests\": [\"tests/area_{a}/test_feature_{i}.py\", \"tests/area_{a}/test_feature_{i}.py::test_edge_{i}\", \"e2e/feature_{i}.spec.ts\"], \"code\": [\"src/feature_{i}.py\"]}}",
            if i == 0 { "" } else { ",\n" },
            a = i % 50,
        );
    }
    matrix.push_str("\n]}");
    let board = Board::import("m.json", matrix.as_bytes())
        .expect("the generated matrix imports")
        .0;
    let mut report = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites><testsuite name=\"pytest\" timestamp=\"2026-11-29T10:00:00\">",
    );
    let body =
        "E   AssertionError: the response took too long &amp; the log was empty\n".repeat(60);
    let mut i = 0;
    while report.len() < 2 * 1024 * 1024 - 4096 {
        let req = (i * 9) % size;
        let _ = write!(
            report,
            "<testcase classname=\"tests.area_{}.test_feature_{req}\" name=\"test_case_{i}\" time=\"0.01\">",
            req % 50
        );
        if i % 2 == 0 {
            let _ = write!(
                report,
                "<failure message=\"assert {i} == 0\">{body}</failure>"
            );
        }
        report.push_str("</testcase>\n");
        i += 1;
    }
    report.push_str("</testsuite></testsuites>");
    let mut times = Vec::new();
    let mut matched = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let read = read_report("junit.xml", report.as_bytes()).expect("reads");
        let evidence = Evidence::gather(&board, vec![read]);
        let suggestions = evidence.suggestions(&board);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        matched = i - evidence.unmatched.len();
        assert!(!suggestions.is_empty());
    }
    // The health panel's work after a move: one pass over the cards with the results.
    let evidence = Evidence::gather(
        &board,
        vec![read_report("junit.xml", report.as_bytes()).expect("reads")],
    );
    let mut health_times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let h = traceboard_core::health::health(&board, &evidence);
        health_times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(h.total, size);
    }
    health_times.sort_by(f64::total_cmp);
    println!(
        "health of {size} requirements: median {:.1} ms (min {:.1}, max {:.1})",
        health_times[health_times.len() / 2],
        health_times[0],
        health_times[health_times.len() - 1]
    );
    times.sort_by(f64::total_cmp);
    println!(
        "report {:.1} MB, {i} cases ({matched} matched) against {size} requirements: median {:.1} ms (min {:.1}, max {:.1}, {} runs)",
        report.len() as f64 / 1_048_576.0,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
}
