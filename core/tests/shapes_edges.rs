//! The edges of finding requirements: what a hostile review found, each pinned by a test that
//! failed before its fix. Moves never change how a file is read; containers never overlap;
//! a requirement's own lists never become the board; a person's choice keeps what the board
//! chose beside it.

use traceboard_core::board::{Board, Move};
use traceboard_core::stage::Stage;
use traceboard_core::workspace::{Action, Workspace};

fn open(bytes: &[u8]) -> Workspace {
    let (board, _) = Board::import("m.json", bytes).expect("imports");
    let mut ws = Workspace::default();
    ws.apply(Action::OpenBoard(Box::new(board))).expect("opens");
    ws
}

/// Moves a card with an override, so any gate lets it through.
fn force(ws: &mut Workspace, entry: usize, to: Stage) {
    ws.apply(Action::MoveCard(Move {
        entry,
        to,
        by: "qa".into(),
        at: "2026-11-29T10:00:00Z".into(),
        override_reason: Some("test".into()),
    }))
    .unwrap_or_else(|e| panic!("move {entry} to {to}: {e}"));
}

fn export(ws: &Workspace) -> String {
    ws.board().expect("a board").export()
}

fn source(bytes: &[u8]) -> String {
    Board::import("m.json", bytes).expect("imports").1.source
}

#[test]
fn moves_never_change_where_an_undecided_file_keeps_its_requirements() {
    let bytes = include_bytes!("../../tests/fixtures/matrix/undecided.json");
    let mut ws = open(bytes);
    for to in [Stage::TestWritten, Stage::Red, Stage::Green] {
        force(&mut ws, 0, to);
    }
    let out = export(&ws);
    // Read again (a reload, or the export imported): the same list, the card where it was.
    let (again, report) = Board::import("m.json", out.as_bytes()).expect("imports");
    assert!(report.source.starts_with("\"rows\""), "{}", report.source);
    assert_eq!(again.len(), 3);
    assert_eq!(again.card(0).map(|c| c.stage), Some(Stage::Green));
    // And the shape's signature, under which a choice of fields is remembered, is the same.
    let (before, _) = Board::import("m.json", bytes).unwrap();
    assert_eq!(again.shape().signature, before.shape().signature);
}

#[test]
fn signatures_stay_after_moves_for_every_shape_fixture() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/shapes");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok((board, _)) = Board::import("m.json", &bytes) else {
            continue;
        };
        let Some((entry, card)) = board.cards().find(|(_, c)| !c.read_only) else {
            continue;
        };
        let to = if card.stage == Stage::Reviewed {
            Stage::Backlog
        } else {
            Stage::Reviewed
        };
        let signature = board.shape().signature.clone();
        let mut ws = Workspace::default();
        ws.apply(Action::OpenBoard(Box::new(board))).unwrap();
        force(&mut ws, entry, to);
        let (again, _) = Board::import("m.json", export(&ws).as_bytes()).unwrap();
        assert_eq!(again.shape().signature, signature, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} fixtures checked");
}

#[test]
fn sibling_lists_never_overlap_and_every_move_is_exported() {
    // A `*_requirements` list inside a member of another: not a sibling of it.
    let text = r#"{"functional_requirements":[{"id":"F-1","title":"The login page works","status":"planned","tests":["tests/a.test.ts"]}],"non_functional_requirements":[{"description":"Performance group of things","sub_requirements":[{"id":"N-1","title":"Pages load quickly","status":"planned","tests":["tests/b.test.ts"]}]}]}"#;
    let mut ws = open(text.as_bytes());
    let entries: Vec<usize> = ws.board().unwrap().cards().map(|(i, _)| i).collect();
    for entry in &entries {
        force(&mut ws, *entry, Stage::Red);
    }
    let shown: Vec<(String, Stage)> = ws
        .board()
        .unwrap()
        .cards()
        .map(|(_, c)| (c.id.to_string(), c.stage))
        .collect();
    let (again, _) = Board::import("m.json", export(&ws).as_bytes()).unwrap();
    let read: Vec<(String, Stage)> = again
        .cards()
        .map(|(_, c)| (c.id.to_string(), c.stage))
        .collect();
    // What the board showed is what the file now says.
    assert_eq!(read, shown);
    assert!(read.iter().all(|(_, s)| *s == Stage::Red), "{read:?}");
}

#[test]
fn the_boards_own_fields_read_again_keep_sibling_lists() {
    let text = r#"{"functional_requirements":[{"id":"FR-1","title":"Log in"},{"id":"FR-2","title":"Log out"}],"non_functional_requirements":[{"id":"NFR-1","title":"Fast"}]}"#;
    let (board, _) = Board::import("m.json", text.as_bytes()).unwrap();
    assert_eq!(board.len(), 3);
    // The dialog's "Use these fields" with nothing changed but the person's say-so.
    let mut fields = board.fields().clone();
    fields.chosen = true;
    let (again, _) = board.reread(&fields).unwrap();
    assert_eq!(again.len(), 3);
}

#[test]
fn a_requirements_own_lists_never_become_the_board() {
    let table: [(&str, &str, usize); 2] = [
        // Features whose `tests` are objects with ids and statuses: still features.
        (
            r#"{"features":[{"name":"Login","tests":[{"id":"T-1","name":"logs in with a password","status":"passed","file":"tests/login_test.py"},{"id":"T-2","name":"refuses a bad password","status":"failed","file":"tests/login_test.py"}]},{"name":"Export","tests":[{"id":"T-3","name":"exports a file","status":"passed","file":"tests/export_test.py"}]}]}"#,
            "\"features\"",
            2,
        ),
        // Requirements with ids whose members list derived requirements: the requirements.
        (
            r#"{"requirements":[{"id":"SYS-1","title":"The vehicle brakes safely","derived_requirements":[{"id":"SW-1","title":"Brake command within 10 ms","status":"verified","tests":["tests/brake_test.py"]},{"id":"SW-2","title":"Brake light on","status":"implemented","tests":["tests/light_test.py"]}]},{"id":"SYS-2","title":"The vehicle steers","derived_requirements":[{"id":"SW-3","title":"Steering angle is limited","status":"planned","tests":[]}]}]}"#,
            "\"requirements\"",
            2,
        ),
    ];
    for (text, from, cards) in table {
        let (board, report) = Board::import("m.json", text.as_bytes()).unwrap();
        assert!(report.source.starts_with(from), "{text}: {}", report.source);
        assert_eq!(board.len(), cards, "{text}");
    }
}

#[test]
fn keys_only_later_requirements_have_are_read_too() {
    // 300 origin-format requirements; only the last fifty are implemented, with tests and code.
    let mut items = Vec::new();
    for i in 0..300 {
        if i >= 250 {
            items.push(format!(
                r#"{{"id":"REQ-{i}","ears":"The system shall do thing {i}","status":"implemented","tests":["tests/t{i}.py"],"code":["src/c{i}.py"]}}"#
            ));
        } else {
            items.push(format!(
                r#"{{"id":"REQ-{i}","ears":"The system shall do thing {i}"}}"#
            ));
        }
    }
    let text = format!(r#"{{"requirements":[{}]}}"#, items.join(","));
    let (_, report) = Board::import("m.json", text.as_bytes()).unwrap();
    assert_eq!(report.per_stage, [250, 0, 0, 50, 0]);
}

#[test]
fn a_file_keyed_by_ids_keeps_its_own_keys_out_of_the_board() {
    let table: [(&str, &[&str]); 2] = [
        (
            r#"{"REQ-1":{"title":"Users log in","status":"done"},"REQ-2":{"title":"Users log out","status":"planned"},"login-timeout":{"title":"Sessions time out","status":"planned"},"version":"1.0"}"#,
            &["REQ-1", "REQ-2", "login-timeout"],
        ),
        (
            r#"{"auth.login":{"title":"Log in","status":"done"},"auth.logout":{"title":"Log out"},"meta":{"title":"Project","owner":"me"}}"#,
            &["auth.login", "auth.logout"],
        ),
    ];
    for (text, ids) in table {
        let (board, _) = Board::import("m.json", text.as_bytes()).unwrap();
        let read: Vec<String> = board.cards().map(|(_, c)| c.id.to_string()).collect();
        assert_eq!(read, ids, "{text}");
        assert_eq!(board.export(), text);
    }
}

#[test]
fn words_the_requirements_list_are_not_records_to_join() {
    let text = r#"{"requirements":[{"id":"REQ-1","title":"Export a file","components":["export"],"status":"planned"},{"id":"REQ-2","title":"Import a file","components":["import"]}],"components":{"export":{"status":"in progress","files":["src/export.ts","tests/export.test.ts"]},"import":{"status":"done","files":["src/import.ts"]}}}"#;
    let (board, report) = Board::import("m.json", text.as_bytes()).unwrap();
    assert!(report.joins.is_empty(), "{:?}", report.joins);
    let second = board.cards().nth(1).unwrap().1;
    assert_eq!((second.stage, second.tests.len()), (Stage::Backlog, 0));
    assert_eq!(
        source(text.as_bytes()),
        "\"requirements\" (a list of 2 objects)"
    );
}
