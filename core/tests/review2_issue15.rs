//! Cases a second review of the limits written into the file's `meta` found, kept as tests:
//! each failed before its fix.
use serde_json::Value;
use traceboard_core::board::{Board, MoveError};

fn board(text: &str) -> Board {
    Board::import("m.json", text.as_bytes()).unwrap().0
}

const RED2: [Option<u32>; 5] = [None, None, Some(2), None, None];
const GREEN3: [Option<u32>; 5] = [None, None, None, Some(3), None];

fn parse(out: &str) -> Value {
    serde_json::from_str(out.trim_start_matches('\u{FEFF}')).unwrap()
}

/// Two `wip_limits` in meta, or one that is not an object of limits (another tool's list, a
/// number, a note, a key written with an escape): refused, and left as it is.
#[test]
fn a_wip_limits_the_board_cannot_read_is_left_as_it_is() {
    for value in [r#"[{"stage": "red", "max": 3}]"#, "5", r#""red=3,green=2""#] {
        let text = format!(
            r#"{{"meta": {{"project": "x", "wip_limits": {value}}}, "requirements": [{{"id": "R", "ears": "a"}}]}}"#
        );
        let b = board(&text);
        assert_eq!(b.file_limits(), Some([None; 5]));
        for limits in [[None; 5], RED2] {
            assert_eq!(
                b.with_file_limits(&limits).unwrap_err(),
                MoveError::LimitsUnreadable,
                "{value}"
            );
        }
    }
    let twice = r#"{"meta": {"wip_limits": {"red": 4}, "v": 1, "wip_limits": {"red": 2}}, "requirements": [{"id": "R", "ears": "a"}]}"#;
    assert_eq!(board(twice).file_limits(), Some(RED2));
    assert_eq!(
        board(twice).with_file_limits(&[None; 5]).unwrap_err(),
        MoveError::LimitsUnreadable
    );
    let escaped = r#"{"meta": {"wip\u005flimits": "see CONTRIBUTING"}, "requirements": [{"id": "R", "ears": "a"}]}"#;
    assert!(board(escaped).with_file_limits(&[None; 5]).is_err());
    // Too deep for the reader: not read, so not rewritten.
    let deep = format!("{}1{}", "[".repeat(130), "]".repeat(130));
    let text = format!(
        r#"{{"meta": {{"wip_limits": {{"qa": 2, "cfg": {deep}}}}}, "requirements": [{{"id": "R", "ears": "a"}}]}}"#
    );
    if let Ok((b, _)) = Board::import("m.json", text.as_bytes()) {
        assert!(b.with_file_limits(&RED2).is_err());
    }
}

/// A stage member the board cannot read as a limit stays when another column's is saved.
#[test]
fn saving_a_green_limit_keeps_an_unreadable_red_member() {
    for red in [r#""5""#, r#"{"soft": 3, "hard": 5}"#, "null"] {
        let text = format!(
            r#"{{"meta": {{"wip_limits": {{"red": {red}}}}}, "requirements": [{{"id": "R", "ears": "a"}}]}}"#
        );
        let written = board(&text).with_file_limits(&GREEN3).unwrap();
        let out = written.export();
        assert!(
            out.contains(&format!("\"red\": {red}")),
            "red {red} lost: {out}"
        );
        assert_eq!(parse(&out)["meta"]["wip_limits"]["green"], 3);
    }
}

/// Taking out the only member keeps `meta`'s own white space; changing one limit keeps the
/// others in their order.
#[test]
fn limits_change_in_place() {
    let base = "{\n  \"meta\": {\n  },\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ]\n}\n";
    let text = base.replace(
        "{\n  },",
        "{\n    \"wip_limits\": {\n      \"red\": 4\n    }\n  },",
    );
    let cleared = board(&text).with_file_limits(&[None; 5]).unwrap();
    assert_eq!(cleared.export(), base);
    let text = r#"{"meta": {"wip_limits": {"green": 3, "red": 4}}, "requirements": [{"id": "R", "ears": "a"}]}"#;
    let written = board(text)
        .with_file_limits(&[None, None, Some(5), Some(3), None])
        .unwrap();
    assert_eq!(written.export(), text.replace("\"red\": 4", "\"red\": 5"));
}

/// A merge with a file whose `meta` is (or became) empty keeps the board's limits, and says
/// nothing was lost: the file never had limits.
#[test]
fn a_merge_with_an_empty_meta_keeps_the_limits() {
    let text = "{\n  \"meta\": {},\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ]\n}\n";
    let written = board(text).with_file_limits(&RED2).unwrap();
    let f = written.follow(&text.replace("\"a\"", "\"b\"")).unwrap();
    assert!(!f.meta_lost);
    let after = f.board.unwrap();
    assert_eq!(after.file_limits(), Some(RED2), "{}", after.export());
    assert_eq!(after.unsaved(), 1);

    let text = "{\n  \"meta\": {\"v\": 1},\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ]\n}\n";
    let written = board(text).with_file_limits(&RED2).unwrap();
    let f = written.follow(&text.replace("{\"v\": 1}", "{}")).unwrap();
    assert!(!f.meta_lost);
    assert_eq!(f.board.unwrap().file_limits(), Some(RED2));
}

/// The carried limits take the line endings of the file as it is now.
#[test]
fn carried_limits_take_the_files_line_endings() {
    let lf = "{\n  \"meta\": {\n    \"v\": 1\n  },\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ]\n}\n".to_owned();
    let crlf = lf.replace('\n', "\r\n");
    for (ours, theirs) in [(&crlf, &lf), (&lf, &crlf)] {
        let written = board(ours).with_file_limits(&RED2).unwrap();
        let f = written.follow(&theirs.replace("\"a\"", "\"b\"")).unwrap();
        let after = f.board.unwrap();
        let out = after.export();
        assert_eq!(after.file_limits(), Some(RED2), "{out:?}");
        let crlfs = out.matches("\r\n").count();
        let lfs = out.matches('\n').count();
        assert!(crlfs == 0 || crlfs == lfs, "mixed line endings: {out:?}");
    }
}
