//! Times `Board::follow` natively on a large matrix: the board holds one move of its own,
//! the file on disk has one requirement moved by an agent, and the board merges the two.
//! Prints the median, min and max in milliseconds. `make bench` runs it beside the browser
//! measurement of the same journey.
//!
//! cargo run --release -p traceboard-core --example follow_time -- [--runs N] FILE

use std::time::Instant;

use traceboard_core::board::{Board, Move};
use traceboard_core::stage::Stage;
use traceboard_core::workspace::{Action, Workspace};

fn main() {
    let mut runs: usize = 11;
    let mut path = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        } else {
            path = Some(arg);
        }
    }
    let Some(path) = path else {
        eprintln!("usage: follow_time [--runs N] FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let (board, _) = match Board::import(&path, text.as_bytes()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut ws = Workspace::default();
    let _ = ws.apply(Action::OpenBoard(Box::new(board)));
    let board = ws.board().expect("opened");
    // The board's own move: the first card, to the next column it may take.
    let (first, stage) = board
        .cards()
        .next()
        .map(|(i, c)| (i, c.stage))
        .expect("cards");
    let to = Stage::ALL
        .into_iter()
        .find(|s| *s != stage && board.check_move(first, *s).is_ok())
        .unwrap_or(Stage::Backlog);
    let _ = ws.apply(Action::MoveCard(Move {
        entry: first,
        to,
        by: "bench".into(),
        at: "2026-11-29T10:00:00Z".into(),
        override_reason: None,
    }));
    // The agent's change: the last requirement's stage word, as an agent rewrites it.
    let mut disk = text.clone();
    if let Some(at) = disk.rfind("\"tdd_stage\": \"") {
        let start = at + "\"tdd_stage\": \"".len();
        let end = start + disk[start..].find('"').unwrap_or(0);
        let word = if &disk[start..end] == "green" {
            "red"
        } else {
            "green"
        };
        disk.replace_range(start..end, word);
    }
    let board = ws.board().expect("open");
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let followed = board.follow(&disk).expect("merges");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(followed.board.is_some());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{path}\t{}\t{:.2}\t{:.2}\t{:.2}",
        times.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
