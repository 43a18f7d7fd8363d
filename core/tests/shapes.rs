//! The shapes real files keep their requirements in, one fixture each under
//! tests/fixtures/shapes: where the board finds them, how it reads each file's own vocabulary,
//! what it joins from beside them, and that a move rewrites the moved requirement's bytes and
//! nothing else.
//!
//! These are integration tests: they use only the crate's public API (`Board::import`,
//! `Board::import_with`, `Workspace::apply`), as the shell does.

use serde_json::{Map, Value};
use traceboard_core::board::{Board, ImportReport, Move, MoveError};
use traceboard_core::fields::{Fields, KeyPath};
use traceboard_core::matrix::{ImportError, Matrix};
use traceboard_core::stage::Stage;
use traceboard_core::workspace::{Action, Touched, Workspace};

/// A fixture's file name and bytes.
macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../tests/fixtures/shapes/", $name)).as_slice(),
        )
    };
}

/// One card as a row expects to find it.
struct CardExpect {
    id: &'static str,
    text: &'static str,
    tests: &'static [&'static str],
    code: &'static [&'static str],
    stage: Stage,
}

/// One shape: the fixture and what its import must report.
struct ShapeRow {
    file: (&'static str, &'static [u8]),
    /// Every card, deprecated ones included.
    cards: usize,
    /// `ImportReport::per_stage`, which leaves out deprecated cards.
    per_stage: [usize; 5],
    deprecated: usize,
    /// A part of `ImportReport::source`.
    source: &'static str,
    /// The start of each of `ImportReport::joins`, in order.
    joins: &'static [&'static str],
    /// The start of each of `ImportReport::others`, in order.
    others: &'static [&'static str],
    read_only: usize,
    guessed: bool,
    unknown_statuses: &'static [&'static str],
    /// A few cards, looked up by id.
    check: &'static [CardExpect],
}

const fn card(
    id: &'static str,
    text: &'static str,
    tests: &'static [&'static str],
    code: &'static [&'static str],
    stage: Stage,
) -> CardExpect {
    CardExpect {
        id,
        text,
        tests,
        code,
        stage,
    }
}

const NONE: &[&str] = &[];

const SHAPES: &[ShapeRow] = &[
    ShapeRow {
        file: fixture!("traceability.json"),
        cards: 3,
        per_stage: [1, 0, 0, 1, 1],
        deprecated: 0,
        source: "\"traceability\" (a list of 3 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            card(
                "REQ-1",
                "A shopper can pay with a saved card",
                &["tests/pay.test.ts"],
                &["src/pay.ts"],
                Stage::Green,
            ),
            card(
                "REQ-2",
                "A shopper can remove an item from the basket",
                NONE,
                NONE,
                Stage::Backlog,
            ),
            card(
                "REQ-3",
                "The basket total includes tax",
                &["tests/total.test.ts"],
                &["src/total.ts"],
                Stage::Reviewed,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("links_list.json"),
        cards: 3,
        per_stage: [1, 2, 0, 0, 0],
        deprecated: 0,
        source: "\"links\" (a list of 3 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            card(
                "REQ-A11Y-0001",
                "",
                &["UT-FOCUS-1", "UT-FOCUS-2"],
                NONE,
                Stage::TestWritten,
            ),
            card("REQ-A11Y-0003", "", NONE, NONE, Stage::Backlog),
        ],
    },
    ShapeRow {
        file: fixture!("stories.json"),
        cards: 2,
        per_stage: [2, 0, 0, 0, 0],
        deprecated: 0,
        source: "\"stories\" (a list of 2 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[card(
            "US-2",
            "As a reader I can search my bookmarks",
            NONE,
            NONE,
            Stage::Backlog,
        )],
    },
    ShapeRow {
        file: fixture!("sphinx_needs.json"),
        cards: 2,
        per_stage: [1, 0, 0, 1, 0],
        deprecated: 0,
        source: "\"versions[\"1.0\"].needs\" (a map of 2 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            card(
                "REQ_001",
                "The arm stops when the door opens",
                NONE,
                NONE,
                Stage::Backlog,
            ),
            // `links` names other needs, not paths: neither tests nor code.
            card(
                "REQ_002",
                "The arm homes on start-up",
                NONE,
                NONE,
                Stage::Green,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("rows.json"),
        cards: 2,
        per_stage: [1, 0, 1, 0, 0],
        deprecated: 0,
        source: "\"rows\" (a list of 2 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[card(
            "RTM-01",
            "Export the report as PDF",
            // One string with two paths separated by `;`, under a hyphenated key.
            &["tests/test_export.py", "tests/test_pdf.py"],
            &["app/export.py"],
            Stage::Red,
        )],
    },
    ShapeRow {
        file: fixture!("entries.json"),
        cards: 3,
        per_stage: [1, 1, 0, 1, 0],
        deprecated: 0,
        source: "\"entries\" (a list of 3 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            card(
                "E-10",
                "Retry failed uploads",
                &["tests/upload_test.go"],
                &["upload/retry.go"],
                Stage::Green,
            ),
            card(
                "E-12",
                "Throttle uploads on metered networks",
                &["tests/throttle_test.go"],
                NONE,
                Stage::TestWritten,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("items.json"),
        cards: 2,
        per_stage: [0, 0, 1, 1, 0],
        deprecated: 0,
        source: "\"items\" (a list of 2 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            // Tests and code as objects with a `path` and a `file`.
            card(
                "ITM-1",
                "Dark mode follows the system setting",
                &["src/__tests__/theme.test.tsx"],
                &["src/theme.tsx"],
                Stage::Red,
            ),
            // Tests as objects with a `name` and an `id`.
            card(
                "ITM-2",
                "Font size can be changed",
                &["font size slider", "T-FONT-2"],
                NONE,
                Stage::Green,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("use_cases.json"),
        cards: 3,
        per_stage: [1, 0, 1, 1, 0],
        deprecated: 0,
        source: "\"use_cases\" (a map of 3 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            card(
                "UC-01_Login",
                "Log in with email and password",
                &["tests/login.spec.js"],
                NONE,
                Stage::Green,
            ),
            card(
                "UC-02_Book",
                "Book a room for one night",
                &["tests/book.spec.js"],
                &["src/book.js"],
                Stage::Red,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("root_map.json"),
        cards: 3,
        per_stage: [0, 0, 1, 0, 1],
        deprecated: 1,
        source: "the file itself (a map of 3 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            card(
                "REQ-001",
                "Show the balance on the home screen",
                &["tests/balance.test.js"],
                &["src/balance.js"],
                Stage::Reviewed,
            ),
            card(
                "REQ-002",
                "Warn when the balance is low",
                &["tests/low.test.js"],
                &["src/low.js"],
                Stage::Red,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("text_map.json"),
        cards: 3,
        per_stage: [3, 0, 0, 0, 0],
        deprecated: 0,
        source: "the file itself (a map of 3 texts)",
        joins: NONE,
        others: NONE,
        read_only: 3,
        guessed: true,
        unknown_statuses: NONE,
        check: &[card(
            "NFR-001",
            "Receipts shall be sent within one minute.",
            NONE,
            NONE,
            Stage::Backlog,
        )],
    },
    ShapeRow {
        file: fixture!("unit_tests_objects.json"),
        cards: 3,
        per_stage: [0, 2, 0, 1, 0],
        deprecated: 0,
        // The programs, not one program's twelve test objects.
        source: "\"programs\" (a list of 3 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[card(
            "bd-3",
            "Report unknown configuration keys",
            &[
                "tests/config_3_1.rs",
                "tests/config_3_2.rs",
                "tests/config_3_3.rs",
                "tests/config_3_4.rs",
                "tests/config_3_5.rs",
                "tests/config_3_6.rs",
                "tests/config_3_7.rs",
                "tests/config_3_8.rs",
                "tests/config_3_9.rs",
                "tests/config_3_10.rs",
                "tests/config_3_11.rs",
                "tests/config_3_12.rs",
            ],
            NONE,
            Stage::TestWritten,
        )],
    },
    ShapeRow {
        file: fixture!("two_containers.json"),
        cards: 3,
        per_stage: [1, 1, 0, 1, 0],
        deprecated: 0,
        source: "\"features\" (a list of 3 objects)",
        joins: NONE,
        others: &["\"backlog\" (a list of 2 objects)"],
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[card(
            "F-3",
            "Lock the account after five failures",
            &["tests/lock.test.ts"],
            NONE,
            Stage::TestWritten,
        )],
    },
    ShapeRow {
        file: fixture!("coverage_join.json"),
        cards: 3,
        per_stage: [1, 1, 0, 1, 0],
        deprecated: 0,
        source: "\"requirements\" (a list of 3 objects)",
        joins: &["\"coverage\" keyed by requirement id: 2 requirements"],
        others: NONE,
        read_only: 0,
        // The origin format's fields under `requirements`: nothing was guessed.
        guessed: false,
        unknown_statuses: NONE,
        check: &[
            card(
                "REQ-1",
                "When a user uploads an avatar, the system shall resize it.",
                &["tests/a.test.ts"],
                &["src/a.ts"],
                Stage::TestWritten,
            ),
            // A document among the paths is neither a test nor code.
            card(
                "REQ-2",
                "The system shall reject avatars larger than 5 MB.",
                &["tests/b.test.ts"],
                &["src/b.ts"],
                Stage::Green,
            ),
            card(
                "REQ-3",
                "The system shall show the avatar on the profile.",
                NONE,
                NONE,
                Stage::Backlog,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("coverage_nested.json"),
        cards: 2,
        per_stage: [0, 2, 0, 0, 0],
        deprecated: 0,
        source: "\"requirements\" (a list of 2 objects)",
        // A keyed map one level down is joined under its path.
        joins: &["\"evidence.coverage\" keyed by requirement id: 2 requirements"],
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[card(
            "REQ-1",
            "Avatars are resized on upload",
            &["tests/a.test.ts"],
            &["src/a.ts"],
            Stage::TestWritten,
        )],
    },
    ShapeRow {
        file: fixture!("links_join.json"),
        cards: 3,
        per_stage: [1, 2, 0, 0, 0],
        deprecated: 0,
        source: "\"requirements\" (a list of 3 objects)",
        joins: &["\"links\" by its \"requirementId\": 2 requirements"],
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            // Two links name REQ-10: both give it tests.
            card(
                "REQ-10",
                "Keyboard users can reach every control",
                &["UT-TAB-1", "UT-TAB-2", "E2E-TAB-3"],
                NONE,
                Stage::TestWritten,
            ),
            card(
                "REQ-12",
                "Captions are available for videos",
                NONE,
                NONE,
                Stage::Backlog,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("acceptance_join.json"),
        cards: 3,
        per_stage: [1, 0, 1, 0, 1],
        deprecated: 0,
        source: "\"requirements\" (a list of 3 objects)",
        joins: &[
            "\"acceptance\" named in the requirements' \"acceptanceCriteria\": 2 requirements",
        ],
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            // One criterion passed and one failed: the failing one says where it is.
            card(
                "REQ-1",
                "Search returns matching products",
                &["tests/search.spec.ts", "tests/search_empty.spec.ts"],
                NONE,
                Stage::Red,
            ),
            card(
                "REQ-2",
                "Search suggests spellings",
                &["tests/spelling.spec.ts"],
                NONE,
                Stage::Reviewed,
            ),
            card(
                "REQ-3",
                "Search remembers recent queries",
                NONE,
                NONE,
                Stage::Backlog,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("nested_groups.json"),
        cards: 3,
        per_stage: [0, 3, 0, 0, 0],
        deprecated: 0,
        source: "\"requirements\" (a list of 3 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: NONE,
        check: &[
            card(
                "N-1",
                "Invoices are numbered without gaps",
                &["tests/numbering_test.py"],
                &["billing/numbering.py"],
                Stage::TestWritten,
            ),
            card(
                "N-2",
                "Invoices can be voided",
                &["T-VOID-1"],
                &["billing/void.py"],
                Stage::TestWritten,
            ),
            card(
                "N-3",
                "Invoices are sent as PDF",
                &["tests/pdf_test.py"],
                &["billing/pdf.py"],
                Stage::TestWritten,
            ),
        ],
    },
    ShapeRow {
        file: fixture!("statuses.json"),
        cards: 14,
        per_stage: [4, 3, 3, 2, 1],
        deprecated: 1,
        source: "\"requirements\" (a list of 14 objects)",
        joins: NONE,
        others: NONE,
        read_only: 0,
        guessed: true,
        unknown_statuses: &["Shelved", "On Hold"],
        check: &[
            card("S-01", "Upper-case done word", NONE, NONE, Stage::Green),
            card(
                "S-02",
                "Screaming snake partial",
                &["tests/s02.test.js"],
                &["src/s02.js"],
                Stage::Red,
            ),
            card(
                "S-03",
                "Spaced in progress",
                &["tests/s03.test.js"],
                NONE,
                Stage::TestWritten,
            ),
            card("S-04", "Work in progress", NONE, NONE, Stage::Backlog),
            card("S-05", "Verified word", NONE, NONE, Stage::Reviewed),
            card("S-06", "Done word", NONE, NONE, Stage::Green),
            card("S-07", "Capitalised planned", NONE, NONE, Stage::Backlog),
            card(
                "S-08",
                "Untracked with a test",
                &["tests/s08.test.js"],
                NONE,
                Stage::TestWritten,
            ),
            card("S-09", "Deferred word", NONE, NONE, Stage::Backlog),
            card("S-10", "Drifted word", NONE, NONE, Stage::Red),
            card("S-11", "Incorrectly implemented", NONE, NONE, Stage::Red),
            // An unknown word: the stage comes from the links alone.
            card(
                "S-13",
                "A team's own word with a test",
                &["tests/s13.test.js"],
                NONE,
                Stage::TestWritten,
            ),
            card(
                "S-14",
                "A team's own word alone",
                NONE,
                NONE,
                Stage::Backlog,
            ),
        ],
    },
];

fn import(file: &str, bytes: &[u8]) -> (Board, ImportReport) {
    Board::import(file, bytes).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn forced(entry: usize, to: Stage) -> Move {
    Move {
        entry,
        to,
        by: "qa-engineer".into(),
        at: "2026-01-15T09:00:00Z".into(),
        override_reason: Some("shape test".into()),
    }
}

fn open(file: &str, bytes: &[u8]) -> Workspace {
    let mut ws = Workspace::default();
    let (board, _) = import(file, bytes);
    ws.apply(Action::OpenBoard(Box::new(board)))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    ws
}

fn export(ws: &Workspace) -> String {
    ws.board().expect("a board is open").export()
}

fn object(text: &str, what: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("{what}: not a JSON object: {other:?}\n{text}"),
    }
}

#[test]
fn every_shape_lands_as_expected() {
    for row in SHAPES {
        let (name, bytes) = row.file;
        let (board, report) = import(name, bytes);
        assert_eq!(board.cards().count(), row.cards, "{name}: cards");
        assert_eq!(report.unplaced, 0, "{name}: unplaced");
        assert_eq!(report.per_stage, row.per_stage, "{name}: per stage");
        assert_eq!(report.deprecated, row.deprecated, "{name}: deprecated");
        assert!(
            report.source.contains(row.source),
            "{name}: source {:?} should contain {:?}",
            report.source,
            row.source
        );
        assert_eq!(
            report.joins.len(),
            row.joins.len(),
            "{name}: {:?}",
            report.joins
        );
        for (got, want) in report.joins.iter().zip(row.joins) {
            assert!(got.starts_with(want), "{name}: join {got:?}, not {want:?}");
        }
        assert_eq!(
            report.others.len(),
            row.others.len(),
            "{name}: {:?}",
            report.others
        );
        for (got, want) in report.others.iter().zip(row.others) {
            assert!(got.starts_with(want), "{name}: other {got:?}, not {want:?}");
        }
        assert_eq!(report.read_only, row.read_only, "{name}: read-only");
        assert_eq!(
            board.cards().filter(|(_, c)| c.read_only).count(),
            row.read_only,
            "{name}: read-only cards"
        );
        assert_eq!(report.guessed, row.guessed, "{name}: guessed");
        assert!(!report.undecided, "{name}: undecided");
        assert_eq!(
            report.unknown_statuses, row.unknown_statuses,
            "{name}: unknown statuses"
        );
        for want in row.check {
            let (_, card) = board
                .cards()
                .find(|(_, c)| c.id.as_str() == want.id)
                .unwrap_or_else(|| panic!("{name}: no card {}", want.id));
            let id = want.id;
            assert_eq!(card.text, want.text, "{name} {id}: text");
            assert_eq!(card.tests, want.tests, "{name} {id}: tests");
            assert_eq!(card.code, want.code, "{name} {id}: code");
            assert_eq!(card.stage, want.stage, "{name} {id}: stage");
        }
    }
}

#[test]
fn a_no_op_export_is_byte_identical() {
    for row in SHAPES {
        let (name, bytes) = row.file;
        let (board, _) = import(name, bytes);
        assert!(!board.is_changed(), "{name}");
        assert_eq!(board.export().as_bytes(), bytes, "{name}");
    }
}

/// Keys a move may add or rewrite in the moved requirement: the stage and its history always,
/// and the schema's own fields it keeps consistent with the stage.
const MOVE_KEYS: [&str; 5] = [
    "tdd_stage",
    "tdd_history",
    "status",
    "governance_status",
    "last_reviewed_by",
];

/// Moves card `index` of the file read through `choice` to `to` in a workspace, and checks that
/// the export differs from the file only inside that requirement's bytes, that the requirement
/// gained the move and kept everything else, that the export reads back with only that card
/// moved, and that undo gives back the file. Returns the export.
fn move_and_check(
    (name, bytes): (&str, &[u8]),
    choice: Option<&Fields>,
    index: usize,
    to: Stage,
) -> String {
    let original = std::str::from_utf8(bytes).unwrap();
    let read = |bytes: &[u8]| {
        Board::import_with(name, bytes.to_vec(), choice).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let container = choice.and_then(|c| c.container.as_deref());
    let span = Matrix::parse_choosing(bytes.to_vec(), container)
        .unwrap()
        .entries()[index]
        .span
        .clone();
    let (board, report) = read(bytes);
    let card = board.card(index).unwrap().clone();
    let id = card.id.as_str();
    let mut ws = Workspace::default();
    ws.apply(Action::OpenBoard(Box::new(board.clone())))
        .unwrap();
    let outcome = ws
        .apply(Action::MoveCard(forced(index, to)))
        .unwrap_or_else(|e| panic!("{name} {id}: {e}"));
    assert_eq!(outcome.touched, Touched::Cards(vec![index]), "{name} {id}");
    let exported = export(&ws);

    // Every byte before the requirement and after it is as imported.
    assert_eq!(
        &exported[..span.start],
        &original[..span.start],
        "{name} {id}: prefix"
    );
    let tail = &original[span.end..];
    assert!(exported.ends_with(tail), "{name} {id}: suffix");
    let before = object(&original[span.clone()], name);
    let after = object(&exported[span.start..exported.len() - tail.len()], name);
    // Each key the requirement had is still there, in its order, with its value, unless the
    // move keeps it consistent with the stage; the only keys added are the move's.
    let kept: Vec<&String> = after.keys().filter(|k| before.contains_key(*k)).collect();
    assert_eq!(
        kept,
        before.keys().collect::<Vec<_>>(),
        "{name} {id}: key order"
    );
    for (key, value) in &before {
        if !MOVE_KEYS.contains(&key.as_str()) {
            assert_eq!(&after[key], value, "{name} {id}: {key}");
        }
    }
    for key in after.keys().filter(|k| !before.contains_key(*k)) {
        assert!(
            MOVE_KEYS.contains(&key.as_str()),
            "{name} {id}: added {key}"
        );
    }
    assert_eq!(after["tdd_stage"], to.key(), "{name} {id}");
    let step = after["tdd_history"]
        .as_array()
        .and_then(|h| h.last())
        .unwrap_or_else(|| panic!("{name} {id}: no history"));
    assert_eq!(step["from"], card.stage.key(), "{name} {id}");
    assert_eq!(step["to"], to.key(), "{name} {id}");
    assert_eq!(step["by"], "qa-engineer", "{name} {id}");

    // The export reads back from the same place with that card moved and every other as it was.
    let (again, report_again) = read(exported.as_bytes());
    assert_eq!(report_again.source, report.source, "{name} {id}");
    assert_eq!(again.len(), board.len(), "{name} {id}");
    for (i, other) in board.cards() {
        let read = again.card(i).unwrap();
        assert_eq!(read.id, other.id, "{name} {id}: #{i} id");
        assert_eq!(read.text, other.text, "{name} {id}: #{i} text");
        assert_eq!(read.tests, other.tests, "{name} {id}: #{i} tests");
        let stage = if i == index { to } else { other.stage };
        assert_eq!(read.stage, stage, "{name} {id}: #{i} stage");
    }

    ws.undo().unwrap();
    assert_eq!(export(&ws).as_bytes(), bytes, "{name} {id}: undo");
    exported
}

#[test]
fn a_move_rewrites_only_the_moved_requirement() {
    for row in SHAPES {
        let (name, bytes) = row.file;
        let (board, _) = import(name, bytes);
        assert_eq!(
            Matrix::parse(bytes).unwrap().entries().len(),
            board.len(),
            "{name}: one span per entry"
        );
        for (index, card) in board.cards().filter(|(_, c)| !c.read_only) {
            let to = Stage::from_index((card.stage.index() + 2) % 5).unwrap();
            move_and_check(row.file, None, index, to);
        }
    }
}

#[test]
fn a_plain_text_requirement_cannot_move() {
    let (name, bytes) = fixture!("text_map.json");
    let mut ws = open(name, bytes);
    let cards: Vec<(usize, Stage)> = ws
        .board()
        .unwrap()
        .cards()
        .map(|(i, c)| (i, c.stage))
        .collect();
    assert_eq!(cards.len(), 3);
    for (index, stage) in cards {
        let to = stage.next().unwrap();
        assert_eq!(
            ws.board().unwrap().check_move(index, to),
            Err(MoveError::ReadOnly)
        );
        // Not even an override moves it: there is nowhere in a string to record a stage.
        assert_eq!(
            ws.apply(Action::MoveCard(forced(index, to))),
            Err(MoveError::ReadOnly)
        );
        let card = ws.board().unwrap().card(index).unwrap();
        assert_eq!(card.stage, stage, "the card stays where it was");
        assert!(card.read_only);
    }
    assert!(!ws.board().unwrap().is_changed());
    assert_eq!(export(&ws).as_bytes(), bytes, "nothing changed");
    assert_eq!(
        ws.undo_label(),
        Some("open text_map.json"),
        "no move was recorded"
    );
    assert!(MoveError::ReadOnly.to_string().contains("plain text"));
}

#[test]
fn an_unknown_status_word_is_kept_and_the_stage_comes_from_the_links() {
    let (name, bytes) = fixture!("statuses.json");
    let (board, report) = import(name, bytes);
    let (index, card) = board
        .cards()
        .find(|(_, c)| c.id.as_str() == "S-13")
        .unwrap();
    assert!(card.unknown_status);
    assert_eq!(card.status.as_deref(), Some("Shelved"));
    assert_eq!(card.stage, Stage::TestWritten);
    assert!(
        card.inferred
            .as_deref()
            .is_some_and(|why| why.contains("\"Shelved\" is not a word the board knows")),
        "{:?}",
        card.inferred
    );
    let known: Vec<&str> = board
        .cards()
        .filter(|(_, c)| !c.unknown_status)
        .map(|(_, c)| c.id.as_str())
        .collect();
    assert_eq!(known.len(), 12, "every other word is in the table");
    assert!(
        report.to_string().contains(
            "Status words the board does not know, kept as written: \"Shelved\", \"On Hold\"."
        ),
        "{report}"
    );

    // A move writes the stage and says it kept the team's word.
    let mut ws = open(name, bytes);
    let outcome = ws
        .apply(Action::MoveCard(forced(index, Stage::Red)))
        .unwrap();
    assert_eq!(
        outcome.moved.unwrap().kept,
        ["status \"Shelved\"".to_owned()]
    );
    let (again, _) = import(name, export(&ws).as_bytes());
    let moved = again.card(index).unwrap();
    assert_eq!(
        (moved.stage, moved.status.as_deref()),
        (Stage::Red, Some("Shelved"))
    );
}

#[test]
fn a_chosen_container_and_keys_are_read_as_chosen() {
    /// (fixture, the choice, part of the source, each card's id, text and tests)
    type Row = (
        (&'static str, &'static [u8]),
        Fields,
        &'static str,
        Vec<(&'static str, &'static str, Vec<&'static str>)>,
    );
    let table: Vec<Row> = vec![
        // The other container of the file, its texts under a key the board would not pick.
        (
            fixture!("two_containers.json"),
            Fields {
                container: Some("backlog".into()),
                id: vec![KeyPath::key("id")],
                text: vec![KeyPath::key("notes")],
                chosen: true,
                ..Fields::default()
            },
            "\"backlog\" (a list of 2 objects)",
            vec![
                ("BL-1", "After the security review", vec![]),
                ("BL-2", "Needs a cookie policy", vec![]),
            ],
        ),
        // A container under a key with a dot, named by its path; the title as the id.
        (
            fixture!("sphinx_needs.json"),
            Fields {
                container: Some("versions[\"1.0\"].needs".into()),
                id: vec![KeyPath::key("title")],
                text: vec![KeyPath::key("type")],
                chosen: true,
                ..Fields::default()
            },
            "versions[\"1.0\"].needs",
            vec![
                ("The arm stops when the door opens", "req", vec![]),
                ("The arm homes on start-up", "req", vec![]),
            ],
        ),
        // Only the nested tests chosen: a chosen set has no fallback, so the other groups
        // are not read.
        (
            fixture!("nested_groups.json"),
            Fields {
                id: vec![KeyPath::key("id")],
                text: vec![KeyPath::key("title")],
                tests: vec![KeyPath::nested("implementation", "tests")],
                chosen: true,
                ..Fields::default()
            },
            "\"requirements\"",
            vec![
                (
                    "N-1",
                    "Invoices are numbered without gaps",
                    vec!["tests/numbering_test.py"],
                ),
                ("N-2", "Invoices can be voided", vec![]),
                ("N-3", "Invoices are sent as PDF", vec![]),
            ],
        ),
    ];
    for ((name, bytes), fields, source, cards) in table {
        let (board, report) = Board::import_with(name, bytes.to_vec(), Some(&fields))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!report.choice_missing, "{name}");
        assert!(
            report.source.contains(source),
            "{name}: {:?} should contain {source:?}",
            report.source
        );
        assert_eq!(board.fields(), &fields, "{name}: the choice is kept");
        let got: Vec<(&str, &str, Vec<&str>)> = board
            .cards()
            .map(|(_, c)| {
                (
                    c.id.as_str(),
                    c.text.as_str(),
                    c.tests.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(got, cards, "{name}");
        assert_eq!(board.export().as_bytes(), bytes, "{name}: export unchanged");
        // A move on the chosen board writes into the chosen container, read the chosen way.
        move_and_check((name, bytes), Some(&fields), 0, Stage::Red);
    }
}

#[test]
fn a_chosen_container_missing_from_the_file_is_chosen_again() {
    let (name, bytes) = fixture!("two_containers.json");
    let choice = Fields {
        container: Some("archive".into()),
        id: vec![KeyPath::key("notes")],
        chosen: true,
        ..Fields::default()
    };
    let (board, report) = Board::import_with(name, bytes.to_vec(), Some(&choice)).unwrap();
    assert!(report.choice_missing);
    assert!(report.source.contains("\"features\""), "{}", report.source);
    assert_ne!(
        board.fields(),
        &choice,
        "the board's own fields, not the stale choice"
    );
    let ids: Vec<&str> = board.cards().map(|(_, c)| c.id.as_str()).collect();
    assert_eq!(ids, ["F-1", "F-2", "F-3"]);
}

#[test]
fn a_file_without_requirements_is_refused_saying_what_it_holds() {
    let (name, bytes) = fixture!("package_manifest.json");
    let error = Board::import(name, bytes).expect_err("a package manifest has no requirements");
    let ImportError::NoRequirements { found } = &error else {
        panic!("{name}: {error:?}");
    };
    for key in ["name", "version", "private", "scripts", "dependencies"] {
        assert!(found.contains(&format!("\"{key}\"")), "{found}");
    }
    let message = error.to_string();
    assert!(
        message.starts_with("No requirements found: the file holds"),
        "{message}"
    );
    assert!(
        message.contains("The board looks for a list or a map of requirement objects"),
        "{message}"
    );
    assert!(message.contains("a map of texts keyed by ids"), "{message}");
}

#[test]
fn a_keyed_map_beside_another_object_is_still_joined() {
    // The same file as coverage_nested.json, with `"generated": "…"` replaced by a `tool`
    // object: `evidence` now has two object members, and is still only a map that groups
    // others, not a table of records whose insides belong to each record.
    let (name, bytes) = fixture!("coverage_beside_another_map.json");
    let (board, report) = import(name, bytes);
    assert_eq!(
        report.joins,
        ["\"evidence.coverage\" keyed by requirement id: 2 requirements"],
        "{name}"
    );
    let card = board.card(0).unwrap();
    assert_eq!(card.id.as_str(), "REQ-1");
    assert_eq!(card.tests, ["tests/a.test.ts"]);
    assert_eq!(card.code, ["src/a.ts"]);
    assert_eq!(card.stage, Stage::TestWritten);
}
