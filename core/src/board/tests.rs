//! Tests of the board rules: moves, gates, the fields kept consistent, import report, export.

use super::*;
use serde_json::json;

const ALL_FIXTURES: [(&str, &[u8]); 12] = [
    (
        "python_indent2.json",
        include_bytes!("../../../tests/fixtures/matrix/python_indent2.json"),
    ),
    (
        "indent4_utf8.json",
        include_bytes!("../../../tests/fixtures/matrix/indent4_utf8.json"),
    ),
    (
        "tabs_crlf.json",
        include_bytes!("../../../tests/fixtures/matrix/tabs_crlf.json"),
    ),
    (
        "python_compact.json",
        include_bytes!("../../../tests/fixtures/matrix/python_compact.json"),
    ),
    (
        "js_indent2.json",
        include_bytes!("../../../tests/fixtures/matrix/js_indent2.json"),
    ),
    (
        "bare_array.json",
        include_bytes!("../../../tests/fixtures/matrix/bare_array.json"),
    ),
    (
        "keyed_map.json",
        include_bytes!("../../../tests/fixtures/matrix/keyed_map.json"),
    ),
    (
        "messy.json",
        include_bytes!("../../../tests/fixtures/matrix/messy.json"),
    ),
    (
        "nested_containers.json",
        include_bytes!("../../../tests/fixtures/matrix/nested_containers.json"),
    ),
    (
        "bom.json",
        include_bytes!("../../../tests/fixtures/matrix/bom.json"),
    ),
    (
        "no_ids.json",
        include_bytes!("../../../tests/fixtures/matrix/no_ids.json"),
    ),
    (
        "no_ids_at_all.json",
        include_bytes!("../../../tests/fixtures/matrix/no_ids_at_all.json"),
    ),
];

fn import(bytes: &[u8]) -> Board {
    Board::import("m.json", bytes).expect("imports").0
}

fn value(text: &str) -> Value {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("export is JSON")
}

fn mv(entry: EntryIndex, to: Stage) -> Move {
    Move {
        entry,
        to,
        by: "qa-engineer".into(),
        at: "2026-11-26T10:00:00Z".into(),
        override_reason: None,
    }
}

/// Forces a move whatever the gates say, so every card of every fixture can be moved.
fn forced(entry: EntryIndex, to: Stage) -> Move {
    Move {
        override_reason: Some("test".into()),
        ..mv(entry, to)
    }
}

#[test]
fn one_move_changes_only_that_requirements_lines() {
    for (name, bytes) in ALL_FIXTURES {
        let original = std::str::from_utf8(bytes)
            .unwrap()
            .trim_start_matches('\u{feff}');
        let board = import(bytes);
        for (index, card) in board.cards() {
            let mut board = board.clone();
            let to = if card.stage == Stage::Backlog {
                Stage::TestWritten
            } else {
                Stage::Backlog
            };
            board
                .apply_move(&forced(index, to))
                .unwrap_or_else(|e| panic!("{name} #{index}: {e}"));
            let exported = board.export();
            assert_eq!(
                exported.starts_with('\u{feff}'),
                bytes.starts_with(b"\xEF\xBB\xBF"),
                "{name}: BOM kept"
            );
            let exported = exported.trim_start_matches('\u{feff}');
            let span = board.matrix.entries()[index].span.clone();
            // Everything before the requirement and after it is byte for byte the same.
            assert_eq!(
                &exported[..span.start],
                &original[..span.start],
                "{name} #{index} prefix"
            );
            let tail = &original[span.end..];
            assert!(exported.ends_with(tail), "{name} #{index} suffix");
            // The export is the original value with only that requirement changed.
            let mut expected = value(original);
            let got = value(exported);
            let changed = pointer_of(&board, index);
            *expected.pointer_mut(&changed).unwrap() = got.pointer(&changed).unwrap().clone();
            assert_eq!(got, expected, "{name} #{index}");
            let req = got.pointer(&changed).unwrap();
            assert_eq!(req["tdd_stage"], to.key(), "{name} #{index}");
            assert_eq!(
                req["tdd_history"].as_array().unwrap().last().unwrap()["to"],
                to.key()
            );
        }
    }
}

/// The JSON pointer of an entry, from its position.
fn pointer_of(board: &Board, index: EntryIndex) -> String {
    let position = board.position(index).unwrap();
    let mut pointer: String = position
        .container
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| format!("/{s}"))
        .collect();
    match &position.slot {
        crate::matrix::Slot::Index(i) => pointer.push_str(&format!("/{i}")),
        crate::matrix::Slot::Key(k) => {
            pointer.push_str(&format!("/{}", k.replace('~', "~0").replace('/', "~1")))
        }
    }
    pointer
}

#[test]
fn python_file_keeps_its_escaping_and_indentation() {
    let bytes = include_bytes!("../../../tests/fixtures/matrix/python_indent2.json");
    let mut board = import(bytes);
    board
        .apply_move(&Move {
            by: "Zoë".into(),
            ..forced(1, Stage::Red)
        })
        .unwrap();
    let out = board.export();
    assert!(out.is_ascii(), "a Python-written file stays ASCII");
    assert!(out.contains("\"by\": \"Zo\\u00eb\""));
    assert!(out.contains("\"Gr\\u00f6\\u00dfe pr\\u00fcfen \\ud83d\\ude00\""));
    assert!(out.contains("\n      \"tdd_stage\": \"red\",\n      \"tdd_history\": [\n        {\n          \"from\": \"test_written\","));
    assert!(!out.ends_with('\n'), "no final newline was added");
}

#[test]
fn numbers_keep_their_spelling() {
    let bytes = include_bytes!("../../../tests/fixtures/matrix/messy.json");
    let mut board = import(bytes);
    board.apply_move(&forced(0, Stage::Green)).unwrap();
    let out = board.export();
    assert!(
        out.contains("\"cost\":1.50") || out.contains("\"cost\": 1.50"),
        "{out}"
    );
    assert!(out.contains("12345678901234567890123"));
}

#[test]
fn import_report_counts_and_locates() {
    let (board, report) = Board::import(
        "messy.json",
        include_bytes!("../../../tests/fixtures/matrix/messy.json"),
    )
    .unwrap();
    // 101 in_progress+tests+code → Red; auth.logout implemented → Green; REQ-200 → Backlog;
    // REQ-201 deprecated; duplicate REQ-200 → Backlog; the entry without an id → Backlog as
    // "#6"; REQ-301 "done" → Green; REQ-302 red.
    assert_eq!(report.per_stage, [3, 0, 2, 2, 0]);
    assert_eq!(report.deprecated, 1);
    assert_eq!(report.named, 1);
    assert_eq!(report.unplaced, 2);
    assert_eq!(report.duplicates, 1);
    assert_eq!(report.inferred, 7);
    let messages: Vec<String> = report
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.position, w.message))
        .collect();
    let expect = [
        "requirement #5 (requirements[4]): repeats the id REQ-200 of requirement #3 (requirements[2])",
        "requirement #6 (requirements[5]): has no id; shown as \"#6\", from its position in the list",
        "requirement #7 (requirements[6]): is a string, not a requirement object",
        "requirement #8 (requirements[7]): is a number, not a requirement object",
        "requirement #9 (requirements[8]): tdd_stage \"done\" is not a stage",
    ];
    for (got, want) in messages.iter().zip(expect) {
        assert!(got.starts_with(want), "{got:?} should start with {want:?}");
    }
    assert_eq!(messages.len(), expect.len());
    assert!(board.entry(4).unwrap().is_duplicate());
    assert_eq!(board.column(Stage::TestWritten, false), Vec::<usize>::new());
    assert_eq!(board.column(Stage::TestWritten, true), vec![3]);
    assert_eq!(board.card(5).unwrap().id.as_str(), "#6");
    assert_eq!(
        report.to_string(),
        "Imported 8 requirements: 3 Backlog, 0 Test written, 2 Red, 2 Green, 0 Reviewed. \
         7 stages inferred. 1 deprecated (hidden). 1 without an id, named by another key or by \
         position. 2 entries could not be placed. 1 duplicate id."
    );
}

/// Moves one card and checks the export is the original byte for byte outside that
/// requirement, and that the requirement gained the move and nothing else: no id.
fn move_and_check_export(bytes: &[u8], entry: EntryIndex, to: Stage) -> (Board, Moved) {
    let original = std::str::from_utf8(bytes).unwrap();
    let mut board = import(bytes);
    let moved = board.apply_move(&forced(entry, to)).unwrap();
    let exported = board.export();
    let span = board.matrix.entries()[entry].span.clone();
    assert_eq!(&exported[..span.start], &original[..span.start]);
    assert!(exported.ends_with(&original[span.end..]));
    let pointer = pointer_of(&board, entry);
    let before = value(original).pointer(&pointer).unwrap().clone();
    let after = value(&exported).pointer(&pointer).unwrap().clone();
    let mut added: Vec<&str> = after
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| before.get(k.as_str()) != after.get(k.as_str()))
        .map(String::as_str)
        .collect();
    added.retain(|k| !matches!(*k, "status" | "governance_status" | "last_reviewed_by"));
    assert_eq!(
        added,
        ["tdd_stage", "tdd_history"],
        "only the move is written"
    );
    assert_eq!(after["tdd_stage"], to.key());
    (board, moved)
}

#[test]
fn objects_named_by_a_key_that_tells_them_apart_land_as_cards() {
    let bytes = include_bytes!("../../../tests/fixtures/matrix/no_ids.json");
    let (board, report) = Board::import("no_ids.json", bytes).unwrap();
    assert_eq!(report.placed(), 6);
    assert_eq!(
        (report.named, report.unplaced, report.duplicates),
        (6, 0, 0)
    );
    assert_eq!(report.per_stage, [2, 1, 1, 1, 1]);
    let ids: Vec<&str> = board.cards().map(|(_, c)| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "scenario 1",
            "scenario 2",
            "scenario 3",
            "scenario 4",
            "scenario 5",
            "scenario 6"
        ]
    );
    assert_eq!(
        format!(
            "{}: {}",
            report.warnings[2].position, report.warnings[2].message
        ),
        "requirement #3 (requirements[2]): has no id; shown as \"scenario 3\", from its \"scenario\" key"
    );
    assert_eq!(report.warnings.len(), 6);
    assert!(
        report
            .to_string()
            .contains("6 without an id, named by another key or by position."),
        "{report}"
    );
    assert_eq!(
        board.export().as_bytes(),
        bytes,
        "importing changes nothing"
    );

    let (mut board, _) = move_and_check_export(bytes, 2, Stage::Red);
    let card = board.card(2).unwrap();
    assert_eq!((card.id.as_str(), card.stage), ("scenario 3", Stage::Red));
    // A second move reads the card under the same name, and the history grows.
    board.apply_move(&mv(2, Stage::TestWritten)).unwrap();
    assert_eq!(board.card(2).unwrap().id.as_str(), "scenario 3");
    let req = exported_req(&board, 2);
    assert_eq!(req["tdd_history"].as_array().unwrap().len(), 2);
    assert!(req.get("id").is_none());
    // The exported file names its cards the same way when it is opened again.
    let again = import(board.export().as_bytes());
    assert_eq!(again.card(2).unwrap().id.as_str(), "scenario 3");
    assert_eq!(again.card(2).unwrap().stage, Stage::TestWritten);
}

#[test]
fn objects_with_nothing_to_name_them_land_as_cards_named_by_position() {
    let bytes = include_bytes!("../../../tests/fixtures/matrix/no_ids_at_all.json");
    let (board, report) = Board::import("no_ids_at_all.json", bytes).unwrap();
    assert_eq!(report.placed(), 6);
    assert_eq!(
        (report.named, report.unplaced, report.deprecated),
        (6, 0, 1)
    );
    let ids: Vec<&str> = board.cards().map(|(_, c)| c.id.as_str()).collect();
    assert_eq!(ids, ["#1", "#2", "#3", "#4", "#5", "#6"]);
    assert_eq!(
        report.warnings[4].message,
        "has no id; shown as \"#5\", from its position in the list"
    );
    // The fifth keeps its team's own status object through a move.
    let (board, moved) = move_and_check_export(bytes, 4, Stage::TestWritten);
    assert_eq!(moved.kept, ["status (an object)"]);
    assert_eq!(board.card(4).unwrap().id.as_str(), "#5");
    assert_eq!(
        value(&board.export())[4]["status"],
        json!({"state": "custom", "since": 2024})
    );
}

#[test]
fn objects_without_an_id_in_several_lists_are_named_by_their_list_too() {
    let board = import(
        br#"{"spec": {"functional_requirements": [{"text": "a"}, {"id": "F-2"}],
             "non_functional_requirements": [{"text": "b", "key": "perf"}, {"text": "c", "key": "size"}]}}"#,
    );
    let ids: Vec<&str> = board.cards().map(|(_, c)| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "functional_requirements #1",
            "F-2",
            "non_functional_requirements key perf",
            "non_functional_requirements key size"
        ]
    );
    assert!(
        board
            .cards()
            .all(|(i, _)| !board.entry(i).unwrap().is_duplicate())
    );
}

#[test]
fn values_that_are_not_objects_still_cannot_be_placed() {
    let (board, report) = Board::import("m.json", br#"[{"text": "a"}, "b", 3, null, []]"#).unwrap();
    assert_eq!((report.placed(), report.unplaced), (1, 4));
    assert_eq!(board.card(0).unwrap().id.as_str(), "#1");
    assert!(board.card(1).is_none());
}

#[test]
fn unplaced_entries_are_kept_in_the_export() {
    let bytes = include_bytes!("../../../tests/fixtures/matrix/messy.json");
    let mut board = import(bytes);
    for (i, _) in import(bytes).cards() {
        board.apply_move(&forced(i, Stage::Backlog)).ok();
    }
    let out = value(&board.export());
    let reqs = out["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 10);
    assert_eq!(reqs[6], json!("REQ-300 as a bare string"));
    assert_eq!(reqs[7], json!(42));
    assert_eq!(
        reqs[5],
        json!({"ears": "An entry with no id", "status": "proposed"})
    );
}

fn board_of(reqs: Value) -> Board {
    import(
        serde_json::to_string_pretty(&json!({ "requirements": reqs }))
            .unwrap()
            .as_bytes(),
    )
}

fn exported_req(board: &Board, index: usize) -> Value {
    value(&board.export())["requirements"][index].clone()
}

#[test]
fn moves_keep_schema_fields_consistent() {
    let mut board = board_of(json!([
        {"id": "R1", "tdd_stage": "backlog", "status": "proposed", "governance_status": "not_reviewed", "tests": ["t"], "code": ["c"]}
    ]));
    let steps = [
        (Stage::TestWritten, "in_progress", "not_reviewed"),
        (Stage::Red, "in_progress", "not_reviewed"),
        (Stage::Green, "implemented", "not_reviewed"),
        (Stage::Reviewed, "tested", "approved"),
        (Stage::Red, "in_progress", "changes_requested"),
    ];
    for (to, status, governance) in steps {
        board
            .apply_move(&mv(0, to))
            .unwrap_or_else(|e| panic!("{to}: {e}"));
        let req = exported_req(&board, 0);
        assert_eq!(
            (req["status"].as_str(), req["governance_status"].as_str()),
            (Some(status), Some(governance)),
            "{to}"
        );
    }
    let req = exported_req(&board, 0);
    assert_eq!(req["last_reviewed_by"], "qa-engineer");
    let history = req["tdd_history"].as_array().unwrap();
    assert_eq!(history.len(), 5);
    assert_eq!(
        history[3],
        json!({"from": "green", "to": "reviewed", "at": "2026-11-26T10:00:00Z", "by": "qa-engineer"})
    );
}

#[test]
fn words_outside_the_vocabulary_are_kept_and_said() {
    let mut board = board_of(json!([
        {"id": "R1", "status": "deprecated", "governance_status": "waived", "tests": ["t"], "code": ["c"], "tdd_stage": "green"},
        {"id": "R2", "tests": ["t"]}
    ]));
    let moved = board.apply_move(&mv(0, Stage::Reviewed)).unwrap();
    assert_eq!(
        moved.kept,
        ["status \"deprecated\"", "governance_status \"waived\""]
    );
    let req = exported_req(&board, 0);
    assert_eq!(
        (req["status"].as_str(), req["governance_status"].as_str()),
        (Some("deprecated"), Some("waived"))
    );
    // A requirement without `status` does not get one.
    board.apply_move(&mv(1, Stage::Red)).unwrap();
    assert!(exported_req(&board, 1).get("status").is_none());
}

/// One requirement in Green with `status` and `governance_status` as given (`None`: absent).
fn green_with(status: Option<Value>, governance: Option<Value>) -> Board {
    let mut req = json!({"id": "R1", "tdd_stage": "green", "tests": ["t"], "code": ["c"]});
    if let Some(status) = status {
        req["status"] = status;
    }
    if let Some(governance) = governance {
        req["governance_status"] = governance;
    }
    board_of(json!([req]))
}

#[test]
fn a_status_that_is_not_a_known_word_is_never_overwritten() {
    // (status as written, status after a move to Reviewed, what the move says it kept);
    // `None` is a requirement without the key.
    let table: [(Option<Value>, Option<Value>, &[&str]); 16] = [
        (None, None, &[]),
        (Some(json!(null)), Some(json!(null)), &[]),
        (Some(json!("proposed")), Some(json!("tested")), &[]),
        (Some(json!("In Progress")), Some(json!("tested")), &[]),
        (Some(json!("verified")), Some(json!("verified")), &[]),
        (
            Some(json!("deprecated")),
            Some(json!("deprecated")),
            &["status \"deprecated\""],
        ),
        (
            Some(json!("Done")),
            Some(json!("Done")),
            &["status \"Done\""],
        ),
        (Some(json!("")), Some(json!("")), &["status \"\""]),
        (Some(json!("  ")), Some(json!("  ")), &["status \"  \""]),
        (Some(json!(true)), Some(json!(true)), &["status true"]),
        (Some(json!(false)), Some(json!(false)), &["status false"]),
        (Some(json!(3)), Some(json!(3)), &["status 3"]),
        (Some(json!([])), Some(json!([])), &["status (a list)"]),
        (
            Some(json!(["proposed"])),
            Some(json!(["proposed"])),
            &["status (a list)"],
        ),
        (Some(json!({})), Some(json!({})), &["status (an object)"]),
        (
            Some(json!({"state": "proposed"})),
            Some(json!({"state": "proposed"})),
            &["status (an object)"],
        ),
    ];
    for (written, expected, kept) in table {
        let mut board = green_with(written.clone(), None);
        let moved = board
            .apply_move(&forced(0, Stage::Reviewed))
            .unwrap_or_else(|e| panic!("{written:?}: {e}"));
        assert_eq!(moved.kept, kept, "{written:?}");
        let req = exported_req(&board, 0);
        assert_eq!(req.get("status"), expected.as_ref(), "{written:?}");
        // The move itself is always recorded.
        assert_eq!(req["tdd_stage"], "reviewed", "{written:?}");
        assert_eq!(req["tdd_history"][0]["to"], "reviewed", "{written:?}");
        assert_eq!(req["governance_status"], "approved", "{written:?}");
    }
}

#[test]
fn a_governance_status_that_is_not_a_known_word_is_never_overwritten() {
    // (governance_status as written, after a move to Reviewed, what the move says it kept).
    let table: [(Option<Value>, Value, &[&str]); 10] = [
        (None, json!("approved"), &[]),
        (Some(json!(null)), json!("approved"), &[]),
        (Some(json!("Not Reviewed")), json!("approved"), &[]),
        (Some(json!("changes-requested")), json!("approved"), &[]),
        (
            Some(json!("waived")),
            json!("waived"),
            &["governance_status \"waived\""],
        ),
        (Some(json!("")), json!(""), &["governance_status \"\""]),
        (
            Some(json!(false)),
            json!(false),
            &["governance_status false"],
        ),
        (Some(json!(1)), json!(1), &["governance_status 1"]),
        (
            Some(json!(["approved"])),
            json!(["approved"]),
            &["governance_status (a list)"],
        ),
        (
            Some(json!({"by": "cab"})),
            json!({"by": "cab"}),
            &["governance_status (an object)"],
        ),
    ];
    for (written, expected, kept) in table {
        let mut board = green_with(Some(json!("implemented")), written.clone());
        let moved = board
            .apply_move(&forced(0, Stage::Reviewed))
            .unwrap_or_else(|e| panic!("{written:?}: {e}"));
        assert_eq!(moved.kept, kept, "{written:?}");
        let req = exported_req(&board, 0);
        assert_eq!(req["governance_status"], expected, "{written:?}");
        assert_eq!(req["status"], "tested", "{written:?}");
        assert_eq!(req["tdd_stage"], "reviewed", "{written:?}");
        assert_eq!(req["tdd_history"][0]["to"], "reviewed", "{written:?}");
    }
}

#[test]
fn a_long_value_kept_is_shortened_in_the_message() {
    let long = "x".repeat(200);
    let mut board = green_with(Some(json!(long)), None);
    let moved = board.apply_move(&forced(0, Stage::Reviewed)).unwrap();
    assert_eq!(moved.kept, [format!("status \"{}…\"", "x".repeat(40))]);
    assert_eq!(exported_req(&board, 0)["status"], json!(long));
}

#[test]
fn gates_block_and_overrides_are_noted() {
    let mut board = board_of(json!([{"id": "R1", "status": "proposed"}]));
    assert_eq!(
        board.apply_move(&mv(0, Stage::Red)),
        Err(MoveError::Gate(GateBreach::NoTests))
    );
    assert_eq!(
        board.export(),
        import(board.export().as_bytes()).export(),
        "a blocked move changes nothing"
    );
    assert!(!board.is_changed());
    let empty = Move {
        override_reason: Some("  ".into()),
        ..mv(0, Stage::Red)
    };
    assert_eq!(board.apply_move(&empty), Err(MoveError::EmptyReason));
    let reasoned = Move {
        override_reason: Some("tests live in another repo".into()),
        ..mv(0, Stage::Red)
    };
    board.apply_move(&reasoned).unwrap();
    let step = exported_req(&board, 0)["tdd_history"][0].clone();
    assert_eq!(
        step["note"],
        "TDD gate overridden: tests live in another repo"
    );
    assert_eq!(
        board.apply_move(&mv(0, Stage::Red)),
        Err(MoveError::SameStage)
    );
}

#[test]
fn history_that_is_not_a_list_blocks_the_move() {
    let mut board = board_of(json!([{"id": "R1", "tdd_history": "see git log", "tests": ["t"]}]));
    assert_eq!(
        board.apply_move(&mv(0, Stage::Red)),
        Err(MoveError::HistoryNotAList)
    );
    assert!(!board.is_changed());
}

#[test]
fn check_move_reports_a_history_that_is_not_a_list_before_the_gates() {
    // R1 has no tests, so the gate into Test written would stop it and ask for a reason; but
    // no reason can make the move land, so the history is what the check reports.
    let mut board = board_of(json!([
        {"id": "R1", "tdd_stage": "backlog", "tdd_history": "x"},
        {"id": "R2", "tdd_stage": "backlog", "tdd_history": {"steps": []}, "tests": ["t"]},
        {"id": "R3", "tdd_stage": "backlog", "tdd_history": null},
        {"id": "R4", "tdd_stage": "backlog", "tdd_history": []},
    ]));
    for entry in [0, 1] {
        assert_eq!(
            board.check_move(entry, Stage::TestWritten),
            Err(MoveError::HistoryNotAList)
        );
        // Dropping a card where it is stays a no-op, not an error to show.
        assert_eq!(
            board.check_move(entry, Stage::Backlog),
            Err(MoveError::SameStage)
        );
    }
    // A history of `null` or a list takes the move, so the gates decide.
    for entry in [2, 3] {
        assert!(matches!(
            board.check_move(entry, Stage::TestWritten),
            Err(MoveError::Gate(_))
        ));
    }
    assert_eq!(
        board.apply_move(&forced(0, Stage::TestWritten)),
        Err(MoveError::HistoryNotAList)
    );
    board.apply_move(&forced(2, Stage::TestWritten)).unwrap();
    assert_eq!(
        exported_req(&board, 2)["tdd_history"][0]["to"],
        "test_written"
    );
}

#[test]
fn snapshot_and_restore_undo_a_move() {
    let bytes = include_bytes!("../../../tests/fixtures/matrix/python_indent2.json");
    let mut board = import(bytes);
    let before = board.snapshot(1).unwrap();
    board.apply_move(&mv(1, Stage::Red)).unwrap();
    assert_ne!(board.export().as_bytes(), bytes);
    board.restore(1, before);
    assert_eq!(board.export().as_bytes(), bytes);
}

/// A generated matrix of `n` requirements, written like Python's json.dump(indent=2).
pub(crate) fn large_matrix(n: usize) -> String {
    let reqs: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("REQ-{i:05}"),
                "ears": format!("WHEN request {i} arrives THE SYSTEM SHALL answer within {} ms — ünïcödé.", i % 500),
                "priority": (["low", "medium", "high", "critical"])[i % 4],
                "status": (["proposed", "in_progress", "implemented", "tested"])[i % 4],
                "tests": (0..i % 3).map(|t| format!("tests/t{i}_{t}.rs")).collect::<Vec<_>>(),
                "code": (0..i % 2).map(|c| format!("src/c{i}_{c}.rs")).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({"meta": {"n": n}, "requirements": reqs})).unwrap()
}

#[test]
fn imports_a_file_of_over_a_thousand_requirements() {
    let text = large_matrix(1200);
    let (mut board, report) = Board::import("large.json", text.as_bytes()).unwrap();
    assert_eq!(report.placed(), 1200);
    assert_eq!(report.inferred, 1200);
    assert!(report.warnings.is_empty());
    assert_eq!(board.export(), text);
    board.apply_move(&forced(600, Stage::Reviewed)).unwrap();
    let out = board.export();
    let changed: Vec<(usize, (&str, &str))> = text
        .lines()
        .zip(out.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .collect();
    let span = &board.matrix.entries()[600].span;
    let first_line = text[..span.start].lines().count();
    assert!(
        changed.iter().all(|(line, _)| *line >= first_line - 1),
        "only lines of REQ-00600 change"
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;

    fn word() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 éü😀_\\-\"\\\\/]{0,12}"
    }

    fn requirement() -> impl Strategy<Value = Value> {
        (
            word(),
            word(),
            prop::option::of(prop::sample::select(vec![
                "proposed",
                "In Progress",
                "implemented",
                "tested",
                "deprecated",
                "odd",
            ])),
            prop::collection::vec(word(), 0..3),
            prop::collection::vec(word(), 0..3),
            any::<i32>(),
            prop::bool::ANY,
        )
            .prop_map(|(id, text, status, tests, code, n, numeric_id)| {
                let mut m = Map::new();
                m.insert("id".into(), if numeric_id { json!(n) } else { json!(id) });
                m.insert("ears".into(), json!(text));
                if let Some(s) = status {
                    m.insert("status".into(), json!(s));
                }
                m.insert("tests".into(), json!(tests));
                m.insert("code".into(), json!(code));
                m.insert("x_custom".into(), json!({"n": n, "f": 1.25}));
                Value::Object(m)
            })
    }

    fn matrix() -> impl Strategy<Value = (String, usize)> {
        (prop::collection::vec(requirement(), 0..12), 0usize..4, 0usize..3).prop_map(|(reqs, shape, indent)| {
            let root = match shape {
                0 => json!({"meta": {"v": 1}, "requirements": reqs}),
                1 => json!(reqs),
                2 => json!({"requirements": reqs.iter().enumerate().map(|(i, r)| (format!("K{i}"), r.clone())).collect::<Map<_, _>>()}),
                _ => json!({"project": {"functional_requirements": reqs}}),
            };
            let text = match indent {
                0 => serde_json::to_string(&root).unwrap(),
                1 => serde_json::to_string_pretty(&root).unwrap(),
                _ => {
                    let mut out = Vec::new();
                    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
                    root.serialize(&mut serde_json::Serializer::with_formatter(&mut out, formatter)).unwrap();
                    String::from_utf8(out).unwrap()
                }
            };
            (text, reqs.len())
        })
    }

    proptest! {
        #[test]
        fn import_then_export_is_the_same_value((text, _) in matrix()) {
            let board = import(text.as_bytes());
            prop_assert_eq!(value(&board.export()), value(&text));
            prop_assert_eq!(board.export(), text);
        }

        #[test]
        fn a_move_changes_only_the_moved_requirement((text, n) in matrix(), pick in any::<usize>(), to in 0usize..5) {
            let mut board = import(text.as_bytes());
            prop_assume!(n > 0);
            let index = pick % board.len();
            let to = Stage::from_index(to).unwrap();
            match board.apply_move(&forced(index, to)) {
                Ok(_) | Err(MoveError::SameStage) | Err(MoveError::NoSuchCard) => {}
                Err(e) => prop_assert!(false, "{}", e),
            }
            let exported = value(&board.export());
            let pointer = pointer_of(&board, index);
            let mut expected = value(&text);
            *expected.pointer_mut(&pointer).unwrap() = exported.pointer(&pointer).unwrap().clone();
            prop_assert_eq!(exported, expected);
        }

        #[test]
        fn every_object_lands_whatever_names_it(
            objects in prop::collection::vec(
                prop::collection::vec(
                    (
                        prop::sample::select(vec!["id", "key", "scenario", "name", "text", "status"]),
                        prop_oneof![
                            word().prop_map(Value::from),
                            (0i64..4).prop_map(Value::from),
                            Just(Value::Null),
                            Just(json!({"a": 1})),
                        ],
                    ),
                    0..4,
                ),
                0..10,
            ),
        ) {
            let reqs: Vec<Value> = objects
                .into_iter()
                .map(|fields| Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
                .collect();
            let text = serde_json::to_string_pretty(&json!({"requirements": reqs})).unwrap();
            let (mut board, report) = Board::import("x.json", text.as_bytes()).unwrap();
            prop_assert_eq!((report.placed(), report.unplaced), (reqs.len(), 0));
            prop_assert_eq!(board.export(), text.clone());
            for i in 0..board.len() {
                let id = board.card(i).unwrap().id.clone();
                match board.apply_move(&forced(i, Stage::Green)) {
                    Ok(_) | Err(MoveError::SameStage) => {}
                    Err(e) => prop_assert!(false, "{}", e),
                }
                prop_assert_eq!(&board.card(i).unwrap().id, &id, "a move keeps the name");
            }
            let out = value(&board.export());
            for (i, req) in reqs.iter().enumerate() {
                prop_assert_eq!(out["requirements"][i].get("id"), req.get("id"), "no id is added");
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = Board::import("x.json", &bytes);
        }

        #[test]
        fn arbitrary_json_never_panics(text in "[\\[\\]{}\":,a-z0-9 \\n.\\-]{0,200}") {
            if let Ok((mut board, _)) = Board::import("x.json", text.as_bytes()) {
                for i in 0..board.len() {
                    let _ = board.apply_move(&forced(i, Stage::Green));
                }
                let _ = board.export();
            }
        }
    }
}
