//! Imports each file named on the command line the way the board does and prints the first
//! line of its import report, or the error a person would see. For running the board over a
//! folder of real files: `cargo run -p traceboard-core --example corpus -- ../shared/corpus/matrices/*`.

use traceboard_core::board::Board;

fn main() {
    for path in std::env::args().skip(1) {
        let name = path.rsplit('/').next().unwrap_or(&path).to_owned();
        let line = match std::fs::read(&path) {
            Err(e) => format!("unreadable: {e}"),
            Ok(bytes) => match Board::import(&name, &bytes) {
                Ok((board, report)) => {
                    let same = board.export().as_bytes() == bytes.as_slice();
                    let first = report.to_string();
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
                    format!("{first}{differs} First cards: {}", ids.join(", "))
                }
                Err(e) => format!("refused: {e}"),
            },
        };
        println!("{name}\n    {line}");
    }
}
