use super::*;
use crate::workspace::{Action, Workspace};
use serde_json::json;

fn file(reqs: &[(&str, &str)]) -> String {
    let reqs: Vec<Value> = reqs
        .iter()
        .map(|(id, stage)| {
            json!({"id": id, "ears": format!("The system shall {id}."), "tdd_stage": stage,
                   "tests": ["t.rs"], "code": ["c.rs"], "tdd_history": []})
        })
        .collect();
    serde_json::to_string_pretty(&json!({"requirements": reqs})).unwrap()
}

fn stage(board: &Board, id: &str) -> Stage {
    board.card(board.find(id).unwrap()).unwrap().stage
}

/// A workspace with the file open and REQ-1 moved to Test written by the board.
fn moved_here(text: &str) -> Workspace {
    let (board, _) = Board::import("m.json", text.as_bytes()).unwrap();
    let mut ws = Workspace::default();
    ws.apply(Action::OpenBoard(Box::new(board))).unwrap();
    move_to_test_written(&mut ws, "REQ-1", "2026-11-29T10:00:00Z");
    ws
}

/// The person moves requirement `id` to Test written at `at`.
fn move_to_test_written(ws: &mut Workspace, id: &str, at: &str) {
    let entry = ws.board().unwrap().find(id).unwrap();
    ws.apply(Action::MoveCard(crate::board::Move {
        entry,
        to: Stage::TestWritten,
        by: "qa-engineer".into(),
        at: at.into(),
        override_reason: None,
    }))
    .unwrap();
}

/// Puts the board that followed the file in place, as the shell does.
fn take(ws: &mut Workspace, followed: Followed) {
    ws.apply(Action::Follow {
        board: Box::new(followed.board.expect("the board changed")),
        message: String::new(),
        changed: followed.changed,
    })
    .unwrap();
}

/// The file as an agent leaves it: REQ-2 moved to Test written, with its history step.
fn agent_moved(text: &str, id: &str, to: &str, at: &str) -> String {
    let mut doc: Value = serde_json::from_str(text).unwrap();
    for r in doc["requirements"].as_array_mut().unwrap() {
        if r["id"] == id {
            let from = r["tdd_stage"].clone();
            r["tdd_stage"] = json!(to);
            r["tdd_history"]
                .as_array_mut()
                .unwrap()
                .push(json!({"from": from, "to": to, "at": at, "by": "backend-engineer"}));
        }
    }
    serde_json::to_string_pretty(&doc).unwrap()
}

#[test]
fn the_files_moves_arrive_and_the_boards_own_move_stays() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog"), ("REQ-3", "red")]);
    let mut ws = moved_here(&base);
    let disk = agent_moved(&base, "REQ-2", "test_written", "2026-11-29T10:01:00Z");
    let followed = ws.board().unwrap().follow(&disk).unwrap();
    assert!(followed.conflicts.is_empty());
    assert_eq!(
        followed.moves,
        ["REQ-2 moved to Test written by backend-engineer, from the file."]
    );
    assert_eq!(followed.ours_kept, ["REQ-1"]);
    let board = followed.board.unwrap();
    assert_eq!(stage(&board, "REQ-1"), Stage::TestWritten);
    assert_eq!(stage(&board, "REQ-2"), Stage::TestWritten);
    ws.apply(Action::Follow {
        board: Box::new(board),
        message: "REQ-2 moved".into(),
        changed: None,
    })
    .unwrap();
    // Undo takes the board back to what it showed before the file changed.
    ws.undo();
    assert_eq!(stage(ws.board().unwrap(), "REQ-2"), Stage::Backlog);
    assert_eq!(stage(ws.board().unwrap(), "REQ-1"), Stage::TestWritten);
}

#[test]
fn an_unchanged_file_or_one_the_board_already_shows_changes_nothing() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let ws = moved_here(&base);
    let followed = ws.board().unwrap().follow(&base).unwrap();
    assert!(followed.board.is_none());
    // The file now holds the board's own change (another tab saved it): nothing moves, and
    // nothing is unsaved any more.
    let ours = ws.board().unwrap().export();
    let followed = ws.board().unwrap().follow(&ours).unwrap();
    assert!(followed.moves.is_empty(), "{:?}", followed.moves);
    assert!(followed.theirs_changed.is_empty());
    assert_eq!(followed.board.unwrap().unsaved(), 0);
}

#[test]
fn a_conflict_shows_on_its_card_and_each_resolution_is_one_undoable_change() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let disk = agent_moved(&base, "REQ-1", "red", "2026-11-29T09:59:00Z");
    for how in [
        Resolution::KeepMine,
        Resolution::TakeTheirs,
        Resolution::BothHistories,
    ] {
        let mut ws = moved_here(&base);
        let followed = ws.board().unwrap().follow(&disk).unwrap();
        let keys: Vec<&str> = followed.conflicts.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["tdd_stage", "tdd_history"]);
        take(&mut ws, followed);
        let board = ws.board().unwrap();
        let entry = board.find("REQ-1").unwrap();
        assert_eq!(board.conflicts(entry).len(), 2);
        assert_eq!(board.conflict_count(), 1);
        // The board shows its own move until a person decides.
        assert_eq!(stage(board, "REQ-1"), Stage::TestWritten);
        ws.apply(Action::Resolve { entry, how }).unwrap();
        let board = ws.board().unwrap();
        assert_eq!(board.conflict_count(), 0, "{how:?}");
        let exported: Value = serde_json::from_str(&board.export()).unwrap();
        let req = &exported["requirements"][0];
        let history: Vec<&str> = req["tdd_history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["by"].as_str().unwrap())
            .collect();
        match how {
            Resolution::KeepMine => {
                assert_eq!(req["tdd_stage"], "test_written");
                assert_eq!(history, ["qa-engineer"]);
            }
            Resolution::TakeTheirs => {
                assert_eq!(req["tdd_stage"], "red");
                assert_eq!(history, ["backend-engineer"]);
            }
            Resolution::BothHistories => {
                // The agent's step (09:59) came before the board's (10:00): the board's is last.
                assert_eq!(history, ["backend-engineer", "qa-engineer"]);
                assert_eq!(req["tdd_stage"], "test_written");
            }
        }
        ws.undo();
        let board = ws.board().unwrap();
        assert_eq!(
            board.conflicts(entry).len(),
            2,
            "undo brings the conflict back"
        );
        assert_eq!(stage(board, "REQ-1"), Stage::TestWritten);
        ws.redo();
        assert_eq!(ws.board().unwrap().conflict_count(), 0);
    }
}

#[test]
fn conflicts_the_file_did_not_touch_again_stay_open_after_the_next_change() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let disk = agent_moved(&base, "REQ-1", "red", "2026-11-29T09:59:00Z");
    let mut ws = moved_here(&base);
    let followed = ws.board().unwrap().follow(&disk).unwrap();
    take(&mut ws, followed);
    let later = agent_moved(&disk, "REQ-2", "test_written", "2026-11-29T10:05:00Z");
    let followed = ws.board().unwrap().follow(&later).unwrap();
    let board = followed.board.unwrap();
    assert_eq!(board.conflict_count(), 1);
    assert_eq!(board.conflicts(board.find("REQ-1").unwrap()).len(), 2);
    assert_eq!(stage(&board, "REQ-2"), Stage::TestWritten);
}

#[test]
fn a_broken_file_on_disk_is_an_error_and_the_board_stays() {
    let base = file(&[("REQ-1", "backlog")]);
    let ws = moved_here(&base);
    let half = &base[..base.len() / 2];
    let e = ws.board().unwrap().follow(half).unwrap_err();
    assert!(
        e.to_string().starts_with("their version cannot be read"),
        "{e}"
    );
}

#[test]
fn a_requirement_the_file_removed_but_the_board_changed_stays_as_a_conflict() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let mut ws = moved_here(&base);
    let disk = file(&[("REQ-2", "backlog")]);
    let followed = ws.board().unwrap().follow(&disk).unwrap();
    assert_eq!(followed.conflicts.len(), 1);
    assert_eq!(followed.conflicts[0].key, "");
    assert_eq!(followed.conflicts[0].theirs, None);
    let board = followed.board.unwrap();
    assert_eq!(
        stage(&board, "REQ-1"),
        Stage::TestWritten,
        "the board's move is kept"
    );
    assert_eq!(
        board.base_text(),
        disk,
        "the next merge starts from the file"
    );
    assert_eq!(board.unsaved(), 1);
    ws.apply(Action::Follow {
        board: Box::new(board),
        message: String::new(),
        changed: None,
    })
    .unwrap();
    // The file changes again: the general way still holds the board's move.
    let later = agent_moved(&disk, "REQ-2", "test_written", "2026-11-29T11:00:00Z");
    let followed = ws.board().unwrap().follow(&later).unwrap();
    let board = followed.board.unwrap();
    assert_eq!(stage(&board, "REQ-1"), Stage::TestWritten);
    assert_eq!(stage(&board, "REQ-2"), Stage::TestWritten);
    assert_eq!(
        followed.moves,
        ["REQ-2 moved to Test written by backend-engineer, from the file."]
    );
    assert_eq!(board.conflict_count(), 1, "the open conflict stays");
}

#[test]
fn after_a_save_nothing_is_unsaved_and_undo_still_takes_a_move_back() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let mut ws = moved_here(&base);
    assert_eq!(ws.board().unwrap().unsaved(), 1);
    let written = ws.board().unwrap().export();
    let (id, origin) = (ws.board().unwrap().id(), ws.board().unwrap().origin());
    assert!(ws.saved(&written, id, origin));
    let board = ws.board().unwrap();
    assert_eq!(board.unsaved(), 0);
    assert_eq!(board.base_text(), written);
    assert_eq!(board.export(), written);
    ws.undo();
    let board = ws.board().unwrap();
    assert_eq!(stage(board, "REQ-1"), Stage::Backlog);
    assert_eq!(
        board.unsaved(),
        1,
        "the undone move differs from the file now"
    );
    assert_eq!(
        board.export(),
        base,
        "undo puts back the value from before the move"
    );
    ws.redo();
    assert_eq!(ws.board().unwrap().export(), written);
    assert_eq!(
        ws.board().unwrap().unsaved(),
        0,
        "redone, the board is the file again"
    );
}

#[test]
fn a_change_in_place_keeps_the_board_and_names_the_cards_to_redraw() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog"), ("REQ-3", "red")]);
    let ws = moved_here(&base);
    let board = ws.board().unwrap();
    let disk = agent_moved(&base, "REQ-3", "green", "2026-11-29T10:02:00Z");
    let followed = board.follow(&disk).unwrap();
    // REQ-3 changed in the file; REQ-1 carries the board's own move, read again.
    assert_eq!(followed.changed, Some(vec![0, 2]));
    assert_eq!(followed.board.as_ref().unwrap().id(), board.id());
    // A requirement added: places move, so the board is a new one, drawn anew.
    let mut doc: Value = serde_json::from_str(&disk).unwrap();
    doc["requirements"].as_array_mut().unwrap().insert(
        0,
        json!({"id": "REQ-0", "ears": "New.", "tdd_stage": "backlog"}),
    );
    let added = serde_json::to_string_pretty(&doc).unwrap();
    let followed = board.follow(&added).unwrap();
    assert_eq!(followed.changed, None);
    let new = followed.board.unwrap();
    assert_ne!(new.id(), board.id());
    assert_eq!(stage(&new, "REQ-3"), Stage::Green);
    assert_eq!(stage(&new, "REQ-1"), Stage::TestWritten);
    assert_eq!(
        followed.moves,
        [
            "REQ-0 added in Backlog, from the file.",
            "REQ-3 moved to Green by backend-engineer, from the file."
        ]
    );
}

#[test]
fn a_move_made_while_the_write_was_in_flight_stays_unsaved() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let mut ws = moved_here(&base);
    let board = ws.board().unwrap();
    let (written, id, origin) = (board.export(), board.id(), board.origin());
    // While the file is being written, the person moves REQ-2.
    move_to_test_written(&mut ws, "REQ-2", "2026-11-29T10:05:00Z");
    assert!(ws.saved(&written, id, origin));
    let board = ws.board().unwrap();
    assert_eq!(
        board.base_text(),
        written,
        "the next merge starts from what was written"
    );
    assert_eq!(stage(board, "REQ-2"), Stage::TestWritten);
    assert!(
        board.unsaved() >= 1,
        "the move made meanwhile is not marked saved"
    );
    let exported: Value = serde_json::from_str(&board.export()).unwrap();
    assert_eq!(exported["requirements"][1]["tdd_stage"], "test_written");
    // The file as written merges in as nothing new: REQ-2's move stays.
    let followed = board.follow(&written).unwrap();
    assert!(
        followed.board.is_none()
            || stage(followed.board.as_ref().unwrap(), "REQ-2") == Stage::TestWritten
    );
}

#[test]
fn a_save_of_another_files_board_leaves_the_open_board_alone() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let mut ws = moved_here(&base);
    let board = ws.board().unwrap();
    let (written, id, origin) = (board.export(), board.id(), board.origin());
    let other = file(&[("OTHER-1", "red"), ("OTHER-2", "red")]);
    let (b, _) = Board::import("other.json", other.as_bytes()).unwrap();
    ws.apply(Action::OpenBoard(Box::new(b))).unwrap();
    assert!(!ws.saved(&written, id, origin));
    assert_eq!(ws.board().unwrap().export(), other);
    assert_eq!(ws.board().unwrap().base_text(), other);
}

#[test]
fn take_the_files_for_a_requirement_the_file_removed_removes_it_and_keep_mine_keeps_it() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let mut ws = moved_here(&base);
    let disk = file(&[("REQ-2", "backlog")]);
    let followed = ws.board().unwrap().follow(&disk).unwrap();
    take(&mut ws, followed);
    let entry = ws.board().unwrap().find("REQ-1").unwrap();
    ws.apply(Action::Resolve {
        entry,
        how: Resolution::TakeTheirs,
    })
    .unwrap();
    let board = ws.board().unwrap();
    assert!(board.find("REQ-1").is_none());
    assert_eq!(board.conflict_count(), 0);
    assert_eq!(board.export(), disk, "the board is the file's now");
    assert_eq!(board.unsaved(), 0);
    ws.undo().unwrap();
    assert_eq!(ws.board().unwrap().conflict_count(), 1);
    ws.apply(Action::Resolve {
        entry,
        how: Resolution::KeepMine,
    })
    .unwrap();
    assert!(ws.board().unwrap().export().contains("REQ-1"));
    assert_eq!(ws.board().unwrap().conflict_count(), 0);
}

#[test]
fn a_byte_order_mark_alone_is_no_change() {
    let base = file(&[("REQ-1", "backlog")]);
    let with_bom = format!("\u{FEFF}{base}");
    let (board, _) = Board::import("m.json", with_bom.as_bytes()).unwrap();
    assert!(board.follow(&with_bom).unwrap().board.is_none());
}

#[test]
fn a_reread_keeps_the_files_text_as_the_base_and_the_moves_unsaved() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let ws = moved_here(&base);
    let board = ws.board().unwrap();
    let (again, _) = board.reread(board.fields()).unwrap();
    assert_eq!(again.base_text(), base);
    assert_eq!(again.unsaved(), 1);
    assert_eq!(again.origin(), board.origin());
    // An agent's change merges without taking the move back.
    let disk = agent_moved(&base, "REQ-2", "test_written", "2026-11-29T10:01:00Z");
    let followed = again.follow(&disk).unwrap().board.unwrap();
    assert_eq!(stage(&followed, "REQ-1"), Stage::TestWritten);
    assert_eq!(stage(&followed, "REQ-2"), Stage::TestWritten);
}

/// REQ-1 moved on the board and to Red in the file: one conflict, taken onto the board.
fn conflicted(base: &str) -> Workspace {
    let mut ws = moved_here(base);
    let disk = agent_moved(base, "REQ-1", "red", "2026-11-29T09:59:00Z");
    let followed = ws.board().unwrap().follow(&disk).unwrap();
    take(&mut ws, followed);
    assert_eq!(ws.board().unwrap().conflict_count(), 1);
    ws
}

#[test]
fn an_open_conflict_survives_a_reload_and_a_reread() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let ws = conflicted(&base);
    let saved = crate::saved::SavedBoard::of(&ws, "t".into()).unwrap();
    let again = crate::saved::SavedBoard::from_json(&saved.to_json()).unwrap();
    let restored = again.restore().workspace;
    let board = restored.board().unwrap();
    let entry = board.find("REQ-1").unwrap();
    assert_eq!(board.conflicts(entry), ws.board().unwrap().conflicts(entry));
    let board = ws.board().unwrap();
    let (reread, _) = board.reread(board.fields()).unwrap();
    assert_eq!(reread.conflicts(entry), board.conflicts(entry));
}

#[test]
fn a_renamed_map_key_is_a_changed_requirement() {
    let base = "{\n  \"R1\": {\"text\": \"a\", \"tdd_stage\": \"backlog\", \"tests\": [\"t.rs\"]},\n  \"R2\": {\"text\": \"b\", \"tdd_stage\": \"backlog\"}\n}\n";
    let renamed = base.replace("\"R2\"", "\"R3\"");
    let (board, _) = Board::import("m.json", base.as_bytes()).unwrap();
    let followed = board.follow(&renamed).unwrap();
    let new = followed.board.unwrap();
    assert!(
        new.find("R3").is_some(),
        "the board shows the file's new id"
    );
    assert!(new.find("R2").is_none());
}

#[test]
fn a_repeated_id_carries_the_boards_change_onto_one_entry() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let ws = moved_here(&base);
    // The file gets a copy of REQ-1 above the original.
    let mut doc: Value = serde_json::from_str(&base).unwrap();
    let copy = doc["requirements"][0].clone();
    doc["requirements"].as_array_mut().unwrap().insert(0, copy);
    let disk = serde_json::to_string_pretty(&doc).unwrap();
    let new = ws.board().unwrap().follow(&disk).unwrap().board.unwrap();
    // The copy and the original read the same: the move lands on exactly one of them.
    let stages: Vec<Stage> = (0..3).map(|i| new.card(i).unwrap().stage).collect();
    let moved = stages.iter().filter(|s| **s == Stage::TestWritten).count();
    assert_eq!(moved, 1, "{stages:?}");
    assert_eq!(new.unsaved(), 1);
}

#[test]
fn an_undo_while_the_write_was_in_flight_is_unsaved() {
    let base = file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")]);
    let mut ws = moved_here(&base);
    let board = ws.board().unwrap();
    let (written, id, origin) = (board.export(), board.id(), board.origin());
    ws.undo();
    assert!(ws.saved(&written, id, origin));
    assert!(ws.board().unwrap().unsaved() >= 1);
}

#[test]
fn a_byte_order_mark_stays_out_of_the_files_text_after_the_general_way() {
    let base = format!(
        "\u{FEFF}{}",
        file(&[("REQ-1", "backlog"), ("REQ-2", "backlog")])
    );
    let mut ws = moved_here(&base);
    // The file removes REQ-1: the general way, which keeps the file's text.
    let disk = format!("\u{FEFF}{}", file(&[("REQ-2", "backlog")]));
    let followed = ws.board().unwrap().follow(&disk).unwrap();
    take(&mut ws, followed);
    assert!(!ws.board().unwrap().base_text().starts_with('\u{FEFF}'));
    assert!(
        ws.board().unwrap().follow(&disk).unwrap().board.is_none(),
        "the same file again is no change"
    );
}

#[test]
fn a_save_of_a_file_with_two_lists_leaves_nothing_unsaved() {
    let base = "{\n  \"functional_requirements\": [\n    {\"id\": \"REQ-1\", \"ears\": \"a\", \"tdd_stage\": \"backlog\", \"tests\": [\"t.rs\"]}\n  ],\n  \"non_functional_requirements\": [\n    {\"id\": \"REQ-2\", \"ears\": \"b\", \"tdd_stage\": \"backlog\", \"tests\": [\"t.rs\"]}\n  ]\n}\n";
    let mut ws = moved_here(base);
    move_to_test_written(&mut ws, "REQ-2", "2026-11-29T10:01:00Z");
    let board = ws.board().unwrap();
    assert_eq!(board.len(), 2);
    let (written, id, origin) = (board.export(), board.id(), board.origin());
    assert!(ws.saved(&written, id, origin));
    assert_eq!(ws.board().unwrap().unsaved(), 0);
    assert_eq!(ws.board().unwrap().base_text(), written);
}
