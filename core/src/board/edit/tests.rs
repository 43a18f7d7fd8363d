//! Tests of editing, creating and deleting requirements: every edit kind, each file style, the
//! lines a diff shows, and undo back to the original bytes.

use super::*;
use crate::stage::Stage;
use crate::workspace::{Action, Workspace};

const STYLES: [(&str, &str); 6] = [
    (
        "python_indent2.json",
        include_str!("../../../../tests/fixtures/matrix/python_indent2.json"),
    ),
    (
        "indent4_utf8.json",
        include_str!("../../../../tests/fixtures/matrix/indent4_utf8.json"),
    ),
    (
        "tabs_crlf.json",
        include_str!("../../../../tests/fixtures/matrix/tabs_crlf.json"),
    ),
    (
        "python_compact.json",
        include_str!("../../../../tests/fixtures/matrix/python_compact.json"),
    ),
    (
        "bare_array.json",
        include_str!("../../../../tests/fixtures/matrix/bare_array.json"),
    ),
    (
        "keyed_map.json",
        include_str!("../../../../tests/fixtures/matrix/keyed_map.json"),
    ),
];

fn open(text: &str) -> Workspace {
    let mut ws = Workspace::default();
    let board = Board::import("m.json", text.as_bytes()).expect("imports").0;
    ws.apply(Action::OpenBoard(Box::new(board))).expect("opens");
    ws
}

fn board(ws: &Workspace) -> &Board {
    ws.board().expect("a board is open")
}

fn entry(ws: &Workspace, id: &str) -> EntryIndex {
    board(ws).find(id).expect("the requirement is on the board")
}

fn edit(ws: &mut Workspace, id: &str, edit: Edit) {
    let entry = entry(ws, id);
    ws.apply(Action::Edit { entry, edit })
        .expect("the edit applies");
}

/// The lines that differ between two texts: (lines of `before` replaced, lines of `after` in
/// their place), after their common first and last lines.
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = before.split('\n').collect();
    let b: Vec<&str> = after.split('\n').collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let own = |lines: &[&str], n: usize| {
        lines[head..n - tail]
            .iter()
            .map(|l| (*l).to_owned())
            .collect()
    };
    (own(&a, a.len()), own(&b, b.len()))
}

/// The span of requirement `id` in `text`, by lines: the changed lines must lie within it.
fn lines_of(text: &str, id: &str) -> std::ops::Range<usize> {
    let board = Board::import("m.json", text.as_bytes()).expect("imports").0;
    let span = board
        .span(board.find(id).expect("id on board"))
        .expect("span");
    let line = |at: usize| text[..at].matches('\n').count();
    line(span.start)..line(span.end) + 1
}

#[test]
fn every_edit_kind_writes_only_that_requirements_lines_and_undo_gives_back_the_bytes() {
    for (name, text) in STYLES {
        let edits = [
            Edit::Set {
                part: Part::Text,
                value: Some("When a user saves, the board shall write the file.".into()),
            },
            Edit::Set {
                part: Part::Priority,
                value: Some("critical".into()),
            },
            Edit::Set {
                part: Part::Kind,
                value: Some("constraint".into()),
            },
            Edit::Set {
                part: Part::Risk,
                value: Some("high".into()),
            },
            Edit::Set {
                part: Part::Story,
                value: Some("US-09".into()),
            },
            Edit::Set {
                part: Part::Risk,
                value: None,
            },
            Edit::Add {
                list: Part::Tests,
                item: "tests/test_save.py::test_writes".into(),
            },
            Edit::Add {
                list: Part::Tests,
                item: "tests/test_save.py::test_keeps_bytes".into(),
            },
            Edit::Reorder {
                list: Part::Tests,
                from: 1,
                to: 0,
            },
            Edit::Replace {
                list: Part::Tests,
                index: 0,
                item: "tests/test_save.py::test_keeps_every_byte".into(),
            },
            Edit::Remove {
                list: Part::Tests,
                index: 1,
            },
            Edit::Add {
                list: Part::Code,
                item: "src/save.rs".into(),
            },
            Edit::Add {
                list: Part::Tasks,
                item: "T-9".into(),
            },
            Edit::Add {
                list: Part::Notes,
                item: "Écrit à la main — «bien»".into(),
            },
            Edit::Remove {
                list: Part::Tasks,
                index: 0,
            },
            Edit::Deprecate,
        ];
        let mut ws = open(text);
        let region = lines_of(text, "REQ-001");
        for e in &edits {
            edit(&mut ws, "REQ-001", e.clone());
            let out = board(&ws).export();
            let (gone, _) = changed_lines(text, &out);
            let head = text
                .split('\n')
                .zip(out.split('\n'))
                .take_while(|(a, b)| a == b)
                .count();
            assert!(
                head >= region.start && head + gone.len() <= region.end,
                "{name}: {e:?} changed lines outside REQ-001"
            );
            serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let value = board(&ws).value(entry(&ws, "REQ-001")).expect("value");
        assert_eq!(
            value["ears"],
            "When a user saves, the board shall write the file."
        );
        assert_eq!(value["priority"], "critical");
        assert_eq!(value["type"], "constraint");
        assert_eq!(value["story_id"], "US-09");
        assert!(value.get("risk_level").is_none(), "{name}");
        assert_eq!(
            value["tests"],
            serde_json::json!(["tests/test_save.py::test_keeps_every_byte"])
        );
        assert_eq!(value["code"], serde_json::json!(["src/save.rs"]));
        assert_eq!(value["tasks"], serde_json::json!(["T-9"]));
        assert_eq!(value["status"], "deprecated");
        let card = board(&ws).card(entry(&ws, "REQ-001")).expect("card");
        assert!(card.deprecated);
        assert_eq!(card.tests.len(), 1);
        // The file's style: Python's escapes stay escapes, other files write the characters.
        let out = board(&ws).export();
        assert_eq!(
            out.contains("\\u00c9crit"),
            text.contains("\\u00e8"),
            "{name}"
        );
        assert_eq!(out.contains("\r\n"), text.contains("\r\n"), "{name}");
        for _ in &edits {
            ws.undo().expect("each edit undoes");
        }
        assert_eq!(
            board(&ws).export(),
            text,
            "{name}: undo gives back the bytes"
        );
        for _ in &edits {
            ws.redo().expect("each edit redoes");
        }
        assert_eq!(
            board(&ws).export(),
            out,
            "{name}: redo gives the edits back"
        );
    }
}

#[test]
fn an_edit_that_changes_nothing_or_empties_a_part_is_refused() {
    let mut ws = open(STYLES[0].1);
    let entry = entry(&ws, "REQ-001");
    let refuse = |ws: &mut Workspace, edit: Edit, want: MoveError| {
        assert_eq!(ws.apply(Action::Edit { entry, edit }).err(), Some(want));
    };
    refuse(
        &mut ws,
        Edit::Set {
            part: Part::Priority,
            value: Some("high".into()),
        },
        MoveError::NoChange,
    );
    refuse(
        &mut ws,
        Edit::Set {
            part: Part::Text,
            value: Some("  \n ".into()),
        },
        MoveError::EmptyText,
    );
    refuse(
        &mut ws,
        Edit::Set {
            part: Part::Text,
            value: None,
        },
        MoveError::EmptyText,
    );
    refuse(
        &mut ws,
        Edit::Add {
            list: Part::Tests,
            item: " ".into(),
        },
        MoveError::EmptyItem,
    );
    refuse(
        &mut ws,
        Edit::Remove {
            list: Part::Tests,
            index: 0,
        },
        MoveError::NoSuchItem,
    );
    refuse(
        &mut ws,
        Edit::Reorder {
            list: Part::Tasks,
            from: 0,
            to: 3,
        },
        MoveError::NoSuchItem,
    );
    assert!(!ws.can_undo() || ws.undo_label() == Some("open m.json"));
}

#[test]
fn a_guessed_shape_edits_only_the_keys_it_read() {
    let text = r#"{"rows": [
  {"requirementId": "R1", "title": "Login works", "verifiedBy": ["tests/login.spec.ts"]},
  {"requirementId": "R2", "title": "Logout works", "verifiedBy": []}
]}"#;
    let mut ws = open(text);
    let r1 = entry(&ws, "R1");
    let b = board(&ws);
    assert_eq!(b.edit_key(r1, Part::Text), Some(KeyPath::key("title")));
    assert_eq!(b.edit_key(r1, Part::Priority), None);
    assert_eq!(b.edit_key(r1, Part::Tasks), None);
    assert_eq!(
        ws.apply(Action::Edit {
            entry: r1,
            edit: Edit::Set {
                part: Part::Priority,
                value: Some("high".into()),
            },
        })
        .err(),
        Some(MoveError::NotEditable("Priority"))
    );
    edit(
        &mut ws,
        "R1",
        Edit::Set {
            part: Part::Text,
            value: Some("The app shall let a user log in.".into()),
        },
    );
    let out = board(&ws).export();
    assert!(
        out.contains(r#""title": "The app shall let a user log in.""#),
        "{out}"
    );
    assert!(!out.contains("ears"));
}

#[test]
fn a_list_of_objects_gets_an_object_and_numbers_stay_numbers() {
    let text = r#"{"requirements": [
  {"id": "A-1", "ears": "The app shall start.", "priority": 2,
   "tests": [{"path": "t/a.py", "kind": "unit"}]}
]}"#;
    let mut ws = open(text);
    edit(
        &mut ws,
        "A-1",
        Edit::Add {
            list: Part::Tests,
            item: "t/b.py".into(),
        },
    );
    edit(
        &mut ws,
        "A-1",
        Edit::Replace {
            list: Part::Tests,
            index: 0,
            item: "t/a2.py".into(),
        },
    );
    edit(
        &mut ws,
        "A-1",
        Edit::Set {
            part: Part::Priority,
            value: Some("3".into()),
        },
    );
    let b = board(&ws);
    let value = b.value(entry(&ws, "A-1")).expect("value");
    assert_eq!(
        value["tests"],
        serde_json::json!([{"path": "t/a2.py", "kind": "unit"}, {"path": "t/b.py"}])
    );
    assert_eq!(value["priority"], serde_json::json!(3));
    let items: Vec<String> = b
        .list_items(entry(&ws, "A-1"), Part::Tests)
        .into_iter()
        .map(|i| i.text)
        .collect();
    assert_eq!(items, ["t/a2.py", "t/b.py"]);
}

#[test]
fn the_proposed_id_follows_the_files_pattern() {
    let ids = |ids: &[&str]| {
        let reqs: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id": "{id}", "ears": "The app shall work."}}"#))
            .collect();
        let text = format!(r#"{{"requirements": [{}]}}"#, reqs.join(", "));
        Board::import("m.json", text.as_bytes())
            .expect("imports")
            .0
            .propose_id()
    };
    assert_eq!(ids(&["REQ-001", "REQ-012", "REQ-003"]), "REQ-013");
    assert_eq!(ids(&["AUTH-3", "AUTH-4", "UI-1"]), "AUTH-5");
    assert_eq!(ids(&["REQ-009"]), "REQ-010");
    assert_eq!(ids(&["REQ-999"]), "REQ-1000");
    assert_eq!(ids(&["FR1", "FR2", "NFR1"]), "FR3");
    assert_eq!(ids(&["login", "logout"]), "REQ-001");
    assert_eq!(ids(&["REQ-001", "login"]), "REQ-002");
}

#[test]
fn a_new_requirement_is_appended_in_each_files_style_as_new_lines_only() {
    for (name, text) in STYLES {
        let mut ws = open(text);
        let id = board(&ws).propose_id();
        let new = NewRequirement {
            id: id.clone(),
            text: "When a card is created, the board shall put it in Backlog — «vite».".into(),
            priority: Some("medium".into()),
            kind: Some("functional".into()),
            list: None,
        };
        ws.apply(Action::Create(new)).expect("creates");
        let out = board(&ws).export();
        serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{name}: {e}\n{out}"));
        let (gone, added) = changed_lines(text, &out);
        if text.contains('\n') {
            // The new lines, and at most the comma on the line before.
            assert!(gone.len() <= 1, "{name}: {gone:?}");
            if let Some(line) = gone.first() {
                let first = added.first().map(|l| l.trim_end_matches('\r'));
                let with_comma = format!("{},", line.trim_end_matches('\r'));
                assert_eq!(first, Some(with_comma.as_str()), "{name}");
            }
        } else {
            assert!(out.starts_with(&text[..text.len() - 2]), "{name}");
        }
        let b = board(&ws);
        let index = b.find(&id).expect("the new card");
        let card = b.card(index).expect("card");
        assert_eq!(card.stage, Stage::Backlog, "{name}");
        assert_eq!(card.priority.as_deref(), Some("medium"));
        let value = b.value(index).expect("value");
        // The key order of its neighbour (the last requirement), then the keys it lacks.
        let keys: Vec<&str> = value.keys().map(String::as_str).collect();
        let want: &[&str] = if name == "keyed_map.json" {
            &[
                "ears",
                "priority",
                "status",
                "governance_status",
                "code",
                "tests",
                "id",
                "type",
            ]
        } else {
            &[
                "id",
                "ears",
                "priority",
                "status",
                "governance_status",
                "code",
                "tests",
                "type",
            ]
        };
        assert_eq!(keys, want, "{name}");
        assert_eq!(value["tests"], serde_json::json!([]), "{name}");
        assert_eq!(value["status"], "proposed");
        assert_eq!(out.contains("\\u2014"), text.contains("\\u2014"), "{name}");
        assert_eq!(
            out.matches("\r\n").count() > 0,
            text.contains("\r\n"),
            "{name}"
        );
        if name == "keyed_map.json" {
            assert!(out.contains(&format!("\"{id}\": {{")), "{name}: a new key");
        }
        assert_eq!(b.unsaved(), 1);
        ws.undo().expect("undo");
        assert_eq!(board(&ws).export(), text, "{name}");
        assert_eq!(board(&ws).unsaved(), 0);
    }
}

#[test]
fn a_duplicate_or_empty_id_or_text_is_refused() {
    let mut ws = open(STYLES[0].1);
    let refuse = |ws: &mut Workspace, id: &str, text: &str, want: MoveError| {
        let new = NewRequirement {
            id: id.into(),
            text: text.into(),
            ..NewRequirement::default()
        };
        assert_eq!(ws.apply(Action::Create(new)).err(), Some(want));
    };
    refuse(
        &mut ws,
        "REQ-001",
        "The app shall work.",
        MoveError::DuplicateId("REQ-001".into()),
    );
    refuse(&mut ws, " ", "The app shall work.", MoveError::EmptyId);
    refuse(&mut ws, "REQ-100", " ", MoveError::EmptyText);
}

#[test]
fn a_deleted_requirement_takes_only_its_object_and_one_separator() {
    for (name, text) in STYLES {
        for id in ["REQ-001", "REQ-002"] {
            let mut ws = open(text);
            let last = board(&ws).len() - 1;
            let last_id = board(&ws).card(last).expect("card").id.to_string();
            for id in [id, last_id.as_str()] {
                let mut ws = open(text);
                let entry = entry(&ws, id);
                ws.apply(Action::Delete { entry }).expect("deletes");
                let out = board(&ws).export();
                serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(board(&ws).find(id).is_none());
                assert_eq!(
                    board(&ws).len(),
                    Board::import("m", text.as_bytes()).unwrap().0.len() - 1
                );
                let (_, added) = changed_lines(text, &out);
                assert!(added.len() <= 1, "{name} {id}: {added:?}");
                ws.undo().expect("undo");
                assert_eq!(board(&ws).export(), text);
            }
            let entry = entry(&ws, id);
            ws.apply(Action::Delete { entry }).expect("deletes");
        }
    }
}

#[test]
fn create_then_delete_is_no_change_and_a_save_rebases() {
    let text = STYLES[0].1;
    let mut ws = open(text);
    let new = NewRequirement {
        id: "REQ-100".into(),
        text: "The board shall count.".into(),
        ..NewRequirement::default()
    };
    ws.apply(Action::Create(new)).expect("creates");
    let entry = entry(&ws, "REQ-100");
    ws.apply(Action::Delete { entry }).expect("deletes");
    assert_eq!(board(&ws).export(), text);
    assert_eq!(board(&ws).unsaved(), 0);
    ws.undo().expect("undo the delete");
    let written = board(&ws).export();
    let (id, origin) = (board(&ws).id(), board(&ws).origin());
    assert!(ws.saved(&written, id, origin));
    assert_eq!(board(&ws).unsaved(), 0);
    assert_eq!(board(&ws).base_text(), written);
}

#[test]
fn the_history_reads_as_steps() {
    let value: Map<String, Value> = serde_json::from_str(
        r#"{"tdd_history": [{"from": "backlog", "to": "red", "at": "2026-01-01T00:00:00Z",
            "by": "qa", "note": "TDD gate overridden: spike"}, "junk", {"to": "green"}]}"#,
    )
    .expect("json");
    let steps = history(&value);
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].by, "qa");
    assert_eq!(steps[0].note.as_deref(), Some("TDD gate overridden: spike"));
    assert_eq!(steps[1].to, "green");
    assert_eq!(steps[1].from, "");
}

#[test]
fn the_pickers_offer_the_files_words_then_the_schemas() {
    let ws = open(STYLES[0].1);
    let choices = board(&ws).choices(Part::Priority);
    assert_eq!(&choices[..2], ["high", "medium"]);
    assert!(choices.contains(&"critical".to_owned()));
    assert_eq!(
        choices.iter().filter(|c| c.as_str() == "high").count(),
        1,
        "no word twice"
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn an_edit() -> impl Strategy<Value = Edit> {
        let part = prop_oneof![
            Just(Part::Text),
            Just(Part::Priority),
            Just(Part::Kind),
            Just(Part::Risk),
            Just(Part::Story)
        ];
        let list = prop_oneof![
            Just(Part::Tests),
            Just(Part::Code),
            Just(Part::Tasks),
            Just(Part::Notes)
        ];
        let text = "[ -~éà\u{2014}\"\\\\\n\t]{0,24}";
        prop_oneof![
            (part, proptest::option::of(text)).prop_map(|(part, value)| Edit::Set { part, value }),
            (list.clone(), text).prop_map(|(list, item)| Edit::Add { list, item }),
            (list.clone(), 0usize..4, text).prop_map(|(list, index, item)| Edit::Replace {
                list,
                index,
                item
            }),
            (list.clone(), 0usize..4).prop_map(|(list, index)| Edit::Remove { list, index }),
            (list, 0usize..4, 0usize..4).prop_map(|(list, from, to)| Edit::Reorder {
                list,
                from,
                to
            }),
            Just(Edit::Deprecate),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any sequence of edits, creations, deletions and saves, then undo of all of them,
        /// exports the original bytes; each state on the way is valid JSON.
        #[test]
        fn edits_then_undo_all_give_back_the_original_bytes(
            style in 0usize..STYLES.len(),
            steps in proptest::collection::vec((0usize..64, an_edit(), 0u8..12), 1..12),
        ) {
            let text = STYLES[style].1;
            let mut ws = open(text);
            let mut applied = 0;
            for (which, edit, op) in steps {
                let b = board(&ws);
                let entry = which % b.len();
                if op == 2 {
                    // A save: the export written, the board told; undo still goes back.
                    let (text, id, origin) = (b.export(), b.id(), b.origin());
                    prop_assert!(ws.saved(&text, id, origin));
                    prop_assert_eq!(board(&ws).unsaved(), 0);
                    continue;
                }
                let action = match op {
                    0 => Action::Create(NewRequirement {
                        id: b.propose_id(),
                        text: "The board shall cope.".into(),
                        priority: Some("low".into()),
                        kind: None,
                        list: None,
                    }),
                    1 if b.len() > 1 => Action::Delete { entry },
                    _ => Action::Edit { entry, edit },
                };
                if ws.apply(action).is_ok() {
                    applied += 1;
                    let out = board(&ws).export();
                    prop_assert!(serde_json::from_str::<Value>(&out).is_ok(), "{}", out);
                }
            }
            for _ in 0..applied {
                prop_assert!(ws.undo().is_some());
            }
            prop_assert_eq!(board(&ws).export(), text);
        }
    }
}

/// Creations and deletions meeting saves, the file's own changes and conflicts.
mod life {
    use super::*;
    use crate::board::{Followed, Resolution};

    const F: &str = "{\n  \"requirements\": [\n    {\"id\": \"R1\", \"ears\": \"The system shall do a thing.\", \"status\": \"proposed\"},\n    {\"id\": \"R2\", \"ears\": \"The system shall do b thing.\", \"status\": \"proposed\"}\n  ]\n}\n";

    fn new(id: &str) -> NewRequirement {
        NewRequirement {
            id: id.into(),
            text: "The board shall cope.".into(),
            priority: Some("high".into()),
            kind: Some("functional".into()),
            list: None,
        }
    }

    /// The shell's reading of a changed file: merged, and the board that follows it opened.
    fn follow(ws: &mut Workspace, disk: &str) -> Followed {
        let mut followed = board(ws).follow(disk).expect("merges");
        if let Some(next) = followed.board.take() {
            ws.apply(Action::Follow {
                board: Box::new(next),
                message: String::new(),
                changed: None,
            })
            .expect("follows");
        }
        followed
    }

    /// The shell's save: the export written, and the board told.
    fn save(ws: &mut Workspace) -> String {
        let text = board(ws).export();
        let (id, origin) = (board(ws).id(), board(ws).origin());
        assert!(ws.saved(&text, id, origin));
        text
    }

    fn ids(ws: &Workspace) -> Vec<String> {
        board(ws).cards().map(|(_, c)| c.id.to_string()).collect()
    }

    #[test]
    fn undo_of_a_saved_creation_or_deletion_is_unsaved_and_the_next_save_keeps_it() {
        let mut ws = open(F);
        ws.apply(Action::Create(new("R3"))).expect("creates");
        let on_disk = save(&mut ws);
        assert_eq!(board(&ws).unsaved(), 0);
        ws.undo().expect("undo");
        assert_eq!(ids(&ws), ["R1", "R2"]);
        assert_eq!(board(&ws).unsaved(), 1);
        follow(&mut ws, &on_disk);
        assert_eq!(ids(&ws), ["R1", "R2"], "the undone creation stays undone");

        let mut ws = open(F);
        ws.apply(Action::Delete { entry: 1 }).expect("deletes");
        let on_disk = save(&mut ws);
        ws.undo().expect("undo");
        assert_eq!(board(&ws).unsaved(), 1);
        follow(&mut ws, &on_disk);
        assert_eq!(ids(&ws), ["R1", "R2"], "the undone deletion stays undone");
    }

    #[test]
    fn the_unsaved_count_is_what_differs_from_the_file() {
        let mut ws = open(F);
        ws.apply(Action::Create(new("R3"))).expect("creates");
        ws.apply(Action::Create(new("R4"))).expect("creates");
        let r4 = entry(&ws, "R4");
        ws.apply(Action::Delete { entry: r4 }).expect("deletes");
        assert_eq!(board(&ws).unsaved(), 1, "only R3 differs");
        edit(
            &mut ws,
            "R3",
            Edit::Set {
                part: Part::Text,
                value: Some("The board shall cope well.".into()),
            },
        );
        assert_eq!(board(&ws).unsaved(), 1, "R3 is still the one change");
        ws.apply(Action::Delete { entry: 0 }).expect("deletes R1");
        assert_eq!(board(&ws).unsaved(), 2, "R3 added, R1 removed");
    }

    #[test]
    fn a_change_from_the_file_keeps_the_creation_and_the_deletion() {
        let mut ws = open(F);
        ws.apply(Action::Create(new("R3"))).expect("creates");
        follow(&mut ws, &F.replace("do a thing", "do A thing"));
        assert_eq!(ids(&ws), ["R1", "R2", "R3"]);
        assert!(board(&ws).export().contains("do A thing"));
        assert_eq!(board(&ws).unsaved(), 1);
        save(&mut ws);
        assert_eq!(board(&ws).unsaved(), 0);

        let mut ws = open(F);
        ws.apply(Action::Delete { entry: 1 }).expect("deletes");
        follow(&mut ws, &F.replace("do a thing", "do A thing"));
        assert_eq!(ids(&ws), ["R1"]);
        assert!(board(&ws).export().contains("do A thing"));
        assert_eq!(board(&ws).unsaved(), 1, "the deletion is still unsaved");
    }

    #[test]
    fn keep_mine_on_a_deleted_requirement_the_file_changed_deletes_it() {
        let mut ws = open(F);
        ws.apply(Action::Delete { entry: 1 }).expect("deletes");
        follow(&mut ws, &F.replace("do b thing", "do B thing"));
        let r2 = entry(&ws, "R2");
        assert_eq!(board(&ws).conflicts(r2).len(), 1);
        ws.apply(Action::Resolve {
            entry: r2,
            how: Resolution::KeepMine,
        })
        .expect("resolves");
        assert_eq!(ids(&ws), ["R1"]);
        assert_eq!(board(&ws).conflict_count(), 0);
        ws.undo().expect("undo");
        assert_eq!(ids(&ws), ["R1", "R2"]);
        assert_eq!(board(&ws).conflict_count(), 1);
    }

    #[test]
    fn a_creation_keeps_open_conflicts() {
        let mut ws = open(F);
        edit(
            &mut ws,
            "R1",
            Edit::Set {
                part: Part::Text,
                value: Some("The system shall do ours.".into()),
            },
        );
        let disk = F.replace("do a thing", "do theirs");
        assert_eq!(follow(&mut ws, &disk).conflicts.len(), 1);
        ws.apply(Action::Create(new("R3"))).expect("creates");
        assert_eq!(board(&ws).conflict_count(), 1);
        assert_eq!(board(&ws).base_text(), disk);
        let r1 = entry(&ws, "R1");
        ws.apply(Action::Resolve {
            entry: r1,
            how: Resolution::TakeTheirs,
        })
        .expect("resolves");
        let out = board(&ws).export();
        assert!(out.contains("do theirs") && out.contains("R3"), "{out}");
    }

    #[test]
    fn after_a_deletion_the_board_still_writes_the_files_escapes() {
        // Python's json.dump: only R1 has a non-ASCII character, escaped.
        let text = "{\n  \"requirements\": [\n    {\n      \"id\": \"R1\",\n      \"ears\": \"The system shall serve caf\\u00e9.\"\n    },\n    {\n      \"id\": \"R2\",\n      \"ears\": \"The system shall do b thing.\"\n    }\n  ]\n}";
        let mut ws = open(text);
        ws.apply(Action::Delete { entry: 0 }).expect("deletes");
        edit(
            &mut ws,
            "R2",
            Edit::Set {
                part: Part::Text,
                value: Some("The system shall do \u{e9} thing.".into()),
            },
        );
        assert!(board(&ws).export().contains("\\u00e9 thing"));
    }

    #[test]
    fn objects_without_ids_get_no_id_key_and_a_named_one_its_name() {
        let by_place = "{\"requirements\": [\n  {\"text\": \"The system shall do a thing.\", \"status\": \"proposed\"},\n  {\"text\": \"The system shall do b thing.\", \"status\": \"proposed\"}\n]}\n";
        let mut ws = open(by_place);
        let id = board(&ws).propose_id();
        assert_eq!(id, "#3");
        ws.apply(Action::Create(new(&id))).expect("creates");
        let out = board(&ws).export();
        assert!(!out.contains("\"id\""), "{out}");
        assert!(board(&ws).find("#3").is_some());

        let by_key = "{\"requirements\": [\n  {\"scenario\": 1, \"text\": \"The system shall do a thing.\"},\n  {\"scenario\": 2, \"text\": \"The system shall do b thing.\"}\n]}\n";
        let mut ws = open(by_key);
        let id = board(&ws).propose_id();
        assert_eq!(id, "scenario 3");
        ws.apply(Action::Create(new(&id))).expect("creates");
        let out = board(&ws).export();
        assert!(
            out.contains("{\"scenario\": 3, \"text\": \"The board shall cope.\"}"),
            "{out}"
        );
        assert!(board(&ws).find("scenario 3").is_some());
    }

    #[test]
    fn a_new_requirement_goes_to_the_list_of_its_prefix_or_the_one_chosen() {
        let text = "{\n  \"functional_requirements\": [\n    {\"id\": \"FR-1\", \"ears\": \"The system shall do a thing.\"},\n    {\"id\": \"FR-2\", \"ears\": \"The system shall do b thing.\"}\n  ],\n  \"non_functional_requirements\": [\n    {\"id\": \"NFR-1\", \"ears\": \"The system shall do c thing.\"}\n  ]\n}\n";
        let mut ws = open(text);
        assert_eq!(
            board(&ws).lists(),
            ["functional_requirements", "non_functional_requirements"]
        );
        ws.apply(Action::Create(new("FR-3"))).expect("creates");
        ws.apply(Action::Create(NewRequirement {
            list: Some("non_functional_requirements".into()),
            ..new("PERF-1")
        }))
        .expect("creates");
        let value: Value = serde_json::from_str(&board(&ws).export()).expect("json");
        let ids = |list: &str| -> Vec<String> {
            value[list]
                .as_array()
                .expect("list")
                .iter()
                .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        assert_eq!(ids("functional_requirements"), ["FR-1", "FR-2", "FR-3"]);
        assert_eq!(ids("non_functional_requirements"), ["NFR-1", "PERF-1"]);
        // The only member of a list deleted: the brackets close on their own line.
        let nfr = entry(&ws, "NFR-1");
        ws.apply(Action::Delete { entry: nfr }).expect("deletes");
        let perf = entry(&ws, "PERF-1");
        ws.apply(Action::Delete { entry: perf }).expect("deletes");
        assert!(
            board(&ws)
                .export()
                .contains("\"non_functional_requirements\": [\n  ]"),
            "{}",
            board(&ws).export()
        );
    }

    #[test]
    fn items_that_are_not_names_are_shown_but_not_rewritten() {
        let text = r#"{"requirements": [{"id": "R1", "ears": "The system shall do a thing.", "tests": [{"kind": "unit", "line": 3}, "t/a.py"], "notes": [null]}]}"#;
        let mut ws = open(text);
        let items = board(&ws).list_items(0, Part::Tests);
        assert!(!items[0].editable && items[1].editable);
        assert!(!board(&ws).list_items(0, Part::Notes)[0].editable);
        let refused = ws.apply(Action::Edit {
            entry: 0,
            edit: Edit::Replace {
                list: Part::Tests,
                index: 0,
                item: "x".into(),
            },
        });
        assert_eq!(refused.err(), Some(MoveError::NotEditable("That item")));
        assert_eq!(board(&ws).export(), text);
    }

    /// The shell's save (`link::save_now`): the file read and merged when it differs from the
    /// base, the export written, the workspace told.
    fn shell_save(ws: &mut Workspace, on_disk: &str) -> String {
        if board(ws).base_text() != on_disk {
            follow(ws, on_disk);
        }
        save(ws)
    }

    #[test]
    fn undo_of_a_change_from_the_file_after_a_save_keeps_the_files_change() {
        let mut ws = open(F);
        edit(
            &mut ws,
            "R1",
            Edit::Set {
                part: Part::Text,
                value: Some("The system shall do mine.".into()),
            },
        );
        let agent = F.replace("do b thing", "do AGENT thing");
        follow(&mut ws, &agent);
        let on_disk = shell_save(&mut ws, &agent);
        assert!(on_disk.contains("AGENT") && on_disk.contains("mine"));
        ws.undo().expect("undo the change from the file");
        let on_disk = shell_save(&mut ws, &on_disk);
        assert!(on_disk.contains("AGENT"), "{on_disk}");
    }

    #[test]
    fn a_save_landing_while_another_file_is_open_still_counts_for_undo() {
        let mut ws = open(F);
        ws.apply(Action::Create(new("R3"))).expect("creates");
        let written = board(&ws).export();
        let (id, origin) = (board(&ws).id(), board(&ws).origin());
        let other = Board::import("o.json", br#"[{"id":"X1","ears":"x"}]"#)
            .expect("imports")
            .0;
        ws.apply(Action::OpenBoard(Box::new(other))).expect("opens");
        assert!(!ws.saved(&written, id, origin));
        ws.undo().expect("back to m.json");
        ws.undo().expect("undo the creation");
        assert_eq!(ids(&ws), ["R1", "R2"]);
        let out = shell_save(&mut ws, &written);
        assert!(!out.contains("R3"), "{out}");
    }

    #[test]
    fn in_a_file_without_ids_a_new_id_must_be_a_name_like_the_others() {
        let by_key = "{\"requirements\": [\n  {\"scenario\": 1, \"text\": \"The system shall do a thing.\"},\n  {\"scenario\": 2, \"text\": \"The system shall do b thing.\"}\n]}\n";
        let mut ws = open(by_key);
        let refused = ws.apply(Action::Create(new("LOGIN-1")));
        assert_eq!(refused.err(), Some(MoveError::IdForm("scenario 3".into())));
        assert_eq!(board(&ws).export(), by_key);
    }

    #[test]
    fn a_reload_keeps_counting_a_created_requirement_once() {
        let mut ws = open(F);
        ws.apply(Action::Create(new("R3"))).expect("creates");
        let saved = crate::saved::SavedBoard::of(&ws, "t".into()).expect("saved");
        let mut ws = saved.restore().workspace;
        assert_eq!(board(&ws).unsaved(), 1);
        edit(
            &mut ws,
            "R3",
            Edit::Set {
                part: Part::Text,
                value: Some("The board shall cope better.".into()),
            },
        );
        assert_eq!(board(&ws).unsaved(), 1);
    }

    #[test]
    fn a_text_written_with_crlf_keeps_crlf() {
        let text =
            r#"{"requirements": [{"id": "R1", "ears": "The system shall:\r\n- do a thing."}]}"#;
        let mut ws = open(text);
        edit(
            &mut ws,
            "R1",
            Edit::Set {
                part: Part::Text,
                value: Some("The system shall:\n- do a better thing.".into()),
            },
        );
        assert!(
            board(&ws)
                .export()
                .contains(r#""The system shall:\r\n- do a better thing.""#)
        );
    }
}
