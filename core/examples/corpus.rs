//! Runs the board's importers over real files and prints one line of outcome each: for a
//! matrix, the first line of its import report, its first cards and whether export gives the
//! file back byte for byte; for an agent file (`.md`), the agent's name, its tools and how
//! many warnings it read with, or why it could not be read. `make corpus` runs it over
//! `../shared/corpus` and compares the lines with `core/examples/corpus_expected.txt`, so a
//! change in how real files land shows as a diff.

use traceboard_core::agents::parse_agent_file;
use traceboard_core::board::Board;

fn matrix_line(name: &str, bytes: &[u8]) -> String {
    match Board::import(name, bytes) {
        Ok((board, report)) => {
            let same = board.export().as_bytes() == bytes;
            let ids: Vec<String> = board
                .cards()
                .take(3)
                .map(|(_, c)| c.id.to_string())
                .collect();
            let differs = if same {
                ""
            } else {
                " EXPORT DIFFERS FROM INPUT"
            };
            let mut line = format!("{report}{differs} First cards: {}", ids.join(", "));
            line.push_str(&format!("\n    from {}; {}", report.source, report.fields));
            if !report.joins.is_empty() {
                line.push_str(&format!("\n    joined: {}", report.joins.join("; ")));
            }
            if !report.others.is_empty() {
                line.push_str(&format!("\n    also: {}", report.others.join("; ")));
            }
            line
        }
        Err(e) => format!("refused: {e}"),
    }
}

fn agent_line(name: &str, bytes: &[u8]) -> String {
    match parse_agent_file(name, bytes) {
        Ok(file) => format!(
            "agent {:?}, {} tool{}, {} warning{}",
            file.agent.name,
            file.agent.tools.len(),
            if file.agent.tools.len() == 1 { "" } else { "s" },
            file.warnings.len(),
            if file.warnings.len() == 1 { "" } else { "s" },
        ),
        Err(e) => format!("not read: {e}"),
    }
}

fn main() {
    for path in std::env::args().skip(1) {
        let name = path.rsplit('/').next().unwrap_or(&path).to_owned();
        let line = match std::fs::read(&path) {
            Err(e) => format!("unreadable: {e}"),
            Ok(bytes) if name.to_ascii_lowercase().ends_with(".md") => agent_line(&name, &bytes),
            Ok(bytes) => matrix_line(&name, &bytes),
        };
        println!("{name}\n    {line}");
    }
}
