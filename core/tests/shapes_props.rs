#![cfg(not(target_arch = "wasm32"))]
//! Property tests over generated matrices in the shapes real files use: requirements in a
//! `traceability`, `rows`, `entries`, `links`, `items`, `stories`, `needs` or `use_cases`
//! container, one or two levels down, as a list or as a map keyed by id, in each file's own
//! vocabulary for the id, the text, the tests and the status, in any indentation and key order.
//!
//! Whatever the shape, the board must give back the file byte for byte, land every
//! requirement as a card, and change nothing but the moved requirement. Native only: proptest
//! needs the native test runner.

use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};
use traceboard_core::board::{Board, Move};
use traceboard_core::matrix::Matrix;
use traceboard_core::stage::Stage;
use traceboard_core::workspace::{Action, Workspace};

const CONTAINER_KEYS: [&str; 8] = [
    "traceability",
    "rows",
    "entries",
    "links",
    "items",
    "stories",
    "needs",
    "use_cases",
];
const ID_KEYS: [&str; 4] = ["id", "requirementId", "req_id", "Requirement ID"];
const TEXT_KEYS: [&str; 3] = ["title", "description", "summary"];
/// Where the tests are: a key, or `implementation.tests`.
const TEST_KEYS: [&[&str]; 3] = [&["unit_tests"], &["testIds"], &["implementation", "tests"]];
/// Keys a file may wrap its container in; `1.0` is a version, as sphinx-needs writes it.
const WRAPPER_KEYS: [&str; 4] = ["project", "1.0", "export", "spec"];
const STATUS_WORDS: [&str; 16] = [
    "IMPLEMENTED",
    "PARTIALLY_IMPLEMENTED",
    "in progress",
    "wip",
    "verified",
    "done",
    "Planned",
    "untracked",
    "deferred",
    "drifted",
    "incorrectly implemented",
    "obsolete",
    "proposed",
    "In-Review",
    // Words the board does not know: kept, and the stage comes from the links.
    "Shelved",
    "on hold",
];
const WORDS: [&str; 12] = [
    "the",
    "system",
    "shall",
    "export",
    "café",
    "\"quoted\"",
    "back\\slash",
    "naïve",
    "report",
    "within",
    "5",
    "😀",
];

/// One generated requirement, before the file's vocabulary names its keys.
#[derive(Clone, Debug)]
struct Req {
    id: String,
    text: String,
    status: Option<&'static str>,
    tests: Option<Vec<String>>,
    priority: Option<&'static str>,
    /// A weight per key, so that each requirement writes its keys in its own order.
    order: Vec<u8>,
}

/// How one file writes its requirements.
#[derive(Clone, Debug)]
struct Vocabulary {
    container: &'static str,
    wrappers: Vec<&'static str>,
    keyed: bool,
    /// In a map keyed by id, whether each member repeats its id.
    id_inside: bool,
    id: &'static str,
    text: &'static str,
    tests: &'static [&'static str],
    /// Compact, two spaces, four spaces, a tab; CRLF line endings.
    indent: usize,
    crlf: bool,
}

fn requirement(id: String) -> impl Strategy<Value = Req> {
    (
        prop::collection::vec(prop::sample::select(WORDS.to_vec()), 2..7),
        prop::option::of(prop::sample::select(STATUS_WORDS.to_vec())),
        // Distinct paths: a card lists each path once, however often the file repeats it.
        prop::option::of(
            prop::collection::btree_set(
                prop_oneof![
                    "[a-z]{1,8}".prop_map(|n| format!("tests/{n}_test.py")),
                    "[0-9]{1,3}".prop_map(|n| format!("UT-{n}")),
                ],
                0..4,
            )
            .prop_map(|paths| paths.into_iter().collect::<Vec<_>>()),
        ),
        prop::option::of(prop::sample::select(vec!["high", "low"])),
        prop::collection::vec(any::<u8>(), 5),
    )
        .prop_map(move |(words, status, tests, priority, order)| Req {
            id: id.clone(),
            text: words.join(" "),
            status,
            tests,
            priority,
            order,
        })
}

fn requirements() -> impl Strategy<Value = Vec<Req>> {
    prop::collection::btree_set("[A-Z]{2,4}-[0-9]{1,3}", 1..9)
        .prop_flat_map(|ids| ids.into_iter().map(requirement).collect::<Vec<_>>())
}

fn vocabulary() -> impl Strategy<Value = Vocabulary> {
    (
        prop::sample::select(CONTAINER_KEYS.to_vec()),
        prop::collection::vec(prop::sample::select(WRAPPER_KEYS.to_vec()), 0..2),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(ID_KEYS.to_vec()),
        prop::sample::select(TEXT_KEYS.to_vec()),
        prop::sample::select(TEST_KEYS.to_vec()),
        0usize..4,
        any::<bool>(),
    )
        .prop_map(
            |(container, wrappers, keyed, id_inside, id, text, tests, indent, crlf)| Vocabulary {
                container,
                wrappers,
                keyed,
                id_inside,
                id,
                text,
                tests,
                indent,
                crlf,
            },
        )
}

/// A requirement's JSON object in the file's vocabulary, its keys in its own order.
fn object(req: &Req, words: &Vocabulary) -> Value {
    let mut fields: Vec<(String, Value)> = Vec::new();
    if !words.keyed || words.id_inside {
        fields.push((words.id.to_owned(), json!(req.id)));
    }
    fields.push((words.text.to_owned(), json!(req.text)));
    if let Some(status) = req.status {
        fields.push(("status".to_owned(), json!(status)));
    }
    if let Some(tests) = &req.tests {
        let value = match words.tests {
            [key] => (key.to_string(), json!(tests)),
            [group, key] => (group.to_string(), json!({ *key: tests })),
            _ => unreachable!("a test key is one or two keys"),
        };
        fields.push(value);
    }
    if let Some(priority) = req.priority {
        fields.push(("priority".to_owned(), json!(priority)));
    }
    let mut weighted: Vec<(u8, usize, (String, Value))> = fields
        .into_iter()
        .enumerate()
        .map(|(i, field)| (req.order[i], i, field))
        .collect();
    weighted.sort_by_key(|(weight, i, _)| (*weight, *i));
    Value::Object(weighted.into_iter().map(|(_, _, field)| field).collect())
}

/// The file: its text and the requirements' values in file order.
fn write(reqs: &[Req], words: &Vocabulary) -> (String, Vec<Value>) {
    let values: Vec<Value> = reqs.iter().map(|r| object(r, words)).collect();
    let container = if words.keyed {
        Value::Object(
            reqs.iter()
                .zip(&values)
                .map(|(r, v)| (r.id.clone(), v.clone()))
                .collect(),
        )
    } else {
        Value::Array(values.clone())
    };
    let mut inner = Map::new();
    inner.insert(words.container.to_owned(), container);
    for wrapper in words.wrappers.iter().rev() {
        let mut outer = Map::new();
        outer.insert((*wrapper).to_owned(), Value::Object(inner));
        inner = outer;
    }
    let mut root = Map::new();
    root.insert(
        "meta".to_owned(),
        json!({"generated": "2026-01-15", "tool": "gen"}),
    );
    root.extend(inner);
    root.insert("version".to_owned(), json!("1.2"));
    let root = Value::Object(root);
    let text = match words.indent {
        0 => serde_json::to_string(&root).unwrap(),
        n => {
            let unit: &[u8] = match n {
                1 => b"  ",
                2 => b"    ",
                _ => b"\t",
            };
            let mut out = Vec::new();
            let formatter = serde_json::ser::PrettyFormatter::with_indent(unit);
            root.serialize(&mut serde_json::Serializer::with_formatter(
                &mut out, formatter,
            ))
            .unwrap();
            String::from_utf8(out).unwrap()
        }
    };
    // JSON strings never hold a raw newline, so every newline is between tokens.
    let text = if words.crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    (text, values)
}

fn matrix() -> impl Strategy<Value = (String, Vec<Req>, Vec<Value>)> {
    (requirements(), vocabulary()).prop_map(|(reqs, words)| {
        let (text, values) = write(&reqs, &words);
        (text, reqs, values)
    })
}

/// Each requirement's exact text in the file, in file order.
fn raw_requirements(text: &str) -> Vec<String> {
    let matrix = Matrix::parse(text.as_bytes()).expect("the file parses");
    (0..matrix.entries().len())
        .map(|i| matrix.raw(i).unwrap().to_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn import_then_export_gives_the_same_bytes((text, _, _) in matrix()) {
        let (board, _) = Board::import("gen.json", text.as_bytes()).unwrap();
        prop_assert_eq!(board.export(), text);
    }

    #[test]
    fn every_generated_requirement_lands_as_a_card((text, reqs, _) in matrix()) {
        let (board, report) = Board::import("gen.json", text.as_bytes()).unwrap();
        prop_assert_eq!(report.unplaced, 0);
        prop_assert_eq!(board.cards().count(), reqs.len(), "{}", report.source);
        for ((_, card), req) in board.cards().zip(&reqs) {
            prop_assert_eq!(card.id.as_str(), req.id.as_str());
            prop_assert_eq!(&card.text, &req.text);
            prop_assert_eq!(&card.tests, &req.tests.clone().unwrap_or_default());
            prop_assert_eq!(card.unknown_status, matches!(req.status, Some("Shelved" | "on hold")));
        }
    }

    #[test]
    fn a_move_changes_only_that_requirement(
        (text, reqs, values) in matrix(),
        pick in any::<prop::sample::Index>(),
        step in 1usize..5,
    ) {
        let (board, _) = Board::import("gen.json", text.as_bytes()).unwrap();
        let index = pick.index(reqs.len());
        let from = board.card(index).unwrap().stage;
        let to = Stage::from_index((from.index() + step) % 5).unwrap();
        let mut ws = Workspace::default();
        ws.apply(Action::OpenBoard(Box::new(board))).unwrap();
        ws.apply(Action::MoveCard(Move {
            entry: index,
            to,
            by: "qa".into(),
            at: "2026-01-15T09:00:00Z".into(),
            override_reason: Some("property test".into()),
        }))
        .unwrap();
        let exported = ws.board().unwrap().export();

        // Read back, every other requirement is its original value, byte for byte.
        let (again, _) = Board::import("gen.json", exported.as_bytes()).unwrap();
        prop_assert_eq!(again.cards().count(), reqs.len());
        let before = raw_requirements(&text);
        let after = raw_requirements(&exported);
        prop_assert_eq!(after.len(), values.len());
        for (i, value) in values.iter().enumerate() {
            let read: Value = serde_json::from_str(&after[i]).unwrap();
            if i == index {
                let Value::Object(moved) = read else {
                    return Err(TestCaseError::fail("the moved requirement is an object"));
                };
                prop_assert_eq!(&moved["tdd_stage"], to.key());
                for (key, original) in value.as_object().unwrap() {
                    if !matches!(key.as_str(), "status" | "governance_status") {
                        prop_assert_eq!(&moved[key], original, "{}", key);
                    }
                }
                prop_assert_eq!(again.card(i).unwrap().stage, to);
            } else {
                prop_assert_eq!(&read, value, "#{}", i);
                prop_assert_eq!(&after[i], &before[i], "#{}", i);
            }
        }
    }
}
