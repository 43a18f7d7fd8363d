//! The columns' work in progress limits in the file's `meta` object (`meta.wip_limits`),
//! written only when a person asks ("Save limits in the file"), and kept through a merge with
//! a newer file.
//!
//! The board keeps its limits with itself (`columns::Layout`); a file whose `meta` object
//! holds `wip_limits` gives them to a board that has none. The key is written as an object of
//! stage keys, `{"red": 5, "green": 3}`, in the file's own style, and nothing else of `meta`
//! changes. A merge starts from the file's text, which would drop a `meta` the board changed,
//! so `carry_meta` puts the board's back when the file did not change its own.

use serde_json::{Map, Value};

use super::{Board, MoveError};
use crate::matrix::root_members;
use crate::stage::Stage;

/// The file's `meta` object in `text`: its byte range and its value; `None` when the root
/// has no `meta` member holding an object.
fn meta_of(text: &str) -> Option<(std::ops::Range<usize>, Map<String, Value>)> {
    let (_, span) = root_members(text)?
        .into_iter()
        .find(|(key, _)| key == "meta")?;
    match serde_json::from_str(text.get(span.clone())?) {
        Ok(Value::Object(meta)) => Some((span, meta)),
        _ => None,
    }
}

/// The limits a `wip_limits` value gives, read leniently: an object of stage words (any
/// spelling `Stage::parse` reads) to whole numbers of 1 or more; anything else is no limit.
fn limits_of(value: Option<&Value>) -> [Option<u32>; 5] {
    let mut limits = [None; 5];
    if let Some(Value::Object(map)) = value {
        for (word, n) in map {
            if let (Some(stage), Some(n)) = (
                Stage::parse(word),
                n.as_u64().and_then(|n| u32::try_from(n).ok()),
            ) && n >= 1
            {
                limits[stage.index()] = Some(n);
            }
        }
    }
    limits
}

impl Board {
    /// The limits the file keeps in `meta.wip_limits`, `None` for a stage without one; `None`
    /// when the file has no `meta` object, where they cannot be kept.
    pub fn file_limits(&self) -> Option<[Option<u32>; 5]> {
        let (_, meta) = meta_of(self.matrix.text())?;
        Some(limits_of(meta.get("wip_limits")))
    }

    /// This board with `limits` written into the file's `meta.wip_limits` (the key removed
    /// when there are none), in the file's style, every other byte as it was. Refused with
    /// `NoMeta` when the file has no `meta` object: the board never adds one unasked.
    pub fn with_file_limits(&self, limits: &[Option<u32>; 5]) -> Result<Board, MoveError> {
        let matrix = self.exported_matrix()?;
        let text = matrix.text();
        let (span, mut meta) = meta_of(text).ok_or(MoveError::NoMeta)?;
        let mut written = Map::new();
        for stage in Stage::ALL {
            if let Some(n) = limits[stage.index()] {
                written.insert(stage.key().to_owned(), Value::from(n));
            }
        }
        if written.is_empty() {
            meta.remove("wip_limits");
        } else {
            meta.insert("wip_limits".to_owned(), Value::Object(written));
        }
        let mut out = String::with_capacity(text.len() + 64);
        out.push_str(&text[..span.start]);
        matrix
            .style()
            .render(text, span.start, &text[span.clone()], &meta, &mut out);
        out.push_str(&text[span.end..]);
        if out == text {
            return Err(MoveError::NoChange);
        }
        let mut board = self.rebuilt(out)?;
        // Only `meta` differs from the file: still a change to save.
        board.mark_outside_change();
        Ok(board)
    }
}

/// What a merge did with the board's `meta`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MetaCarry {
    /// The board did not change it, or the file has the same.
    Kept,
    /// The board's is put into the merge, which is then a change to save.
    Carried,
    /// The board changed it and the file changed it too: the file's stays.
    TheirsKept,
}

/// Puts the board's `meta` (in `ours`) into `merged`, a merge that starts from the file's
/// text, when the board changed it since `base` and the file did not. When both changed it,
/// `merged` keeps the file's and says so: the person hears of it, nothing is chosen silently.
pub(crate) fn carry_meta(base: &str, ours: &str, merged: String) -> (String, MetaCarry) {
    let Some((ours_span, ours_meta)) = meta_of(ours) else {
        return (merged, MetaCarry::Kept);
    };
    let base_meta = meta_of(base).map(|(_, m)| m);
    if base_meta.as_ref() == Some(&ours_meta) {
        return (merged, MetaCarry::Kept);
    }
    let theirs = meta_of(&merged);
    match theirs {
        Some((span, theirs_meta)) if Some(&theirs_meta) == base_meta.as_ref() => {
            let mut out = String::with_capacity(merged.len() + ours_span.len());
            out.push_str(&merged[..span.start]);
            out.push_str(&ours[ours_span]);
            out.push_str(&merged[span.end..]);
            (out, MetaCarry::Carried)
        }
        Some((_, theirs_meta)) if theirs_meta == ours_meta => (merged, MetaCarry::Kept),
        _ => (merged, MetaCarry::TheirsKept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "{\n  \"meta\": {\n    \"project\": \"Shop\",\n    \"version\": \"1.0\"\n  },\n  \"requirements\": [\n    {\n      \"id\": \"REQ-1\",\n      \"ears\": \"a\",\n      \"tdd_stage\": \"red\"\n    }\n  ]\n}\n";

    #[test]
    fn limits_go_into_meta_in_the_files_style_and_nothing_else_changes() {
        let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
        assert_eq!(board.file_limits(), Some([None; 5]));
        let limits = [None, None, Some(5), Some(3), None];
        let written = board.with_file_limits(&limits).unwrap();
        assert_eq!(
            written.export(),
            "{\n  \"meta\": {\n    \"project\": \"Shop\",\n    \"version\": \"1.0\",\n    \"wip_limits\": {\n      \"red\": 5,\n      \"green\": 3\n    }\n  },\n  \"requirements\": [\n    {\n      \"id\": \"REQ-1\",\n      \"ears\": \"a\",\n      \"tdd_stage\": \"red\"\n    }\n  ]\n}\n"
        );
        assert_eq!(written.file_limits(), Some(limits));
        // Unsaved until written, and the base stays the file's text.
        assert_eq!(written.unsaved(), 1);
        assert_eq!(written.base_text(), FILE);
        // None: the key goes, and the file is as it was.
        let cleared = written.with_file_limits(&[None; 5]).unwrap();
        assert_eq!(cleared.export(), FILE);
        assert_eq!(
            board.with_file_limits(&[None; 5]).unwrap_err(),
            MoveError::NoChange
        );
    }

    #[test]
    fn a_file_without_meta_gets_none() {
        for text in [
            r#"{"requirements": [{"id": "R", "ears": "a"}]}"#,
            r#"{"meta": "v1", "requirements": [{"id": "R", "ears": "a"}]}"#,
            r#"[{"id": "R", "ears": "a"}]"#,
        ] {
            let (board, _) = Board::import("m.json", text.as_bytes()).unwrap();
            assert_eq!(board.file_limits(), None, "{text}");
            assert_eq!(
                board.with_file_limits(&[Some(1); 5]).unwrap_err(),
                MoveError::NoMeta
            );
        }
    }

    #[test]
    fn limits_are_read_leniently() {
        let text = r#"{"meta": {"wip_limits": {"Red": 4, "test-written": 2, "green": 0, "bogus": 3, "reviewed": "5"}}, "requirements": [{"id": "R", "ears": "a"}]}"#;
        let (board, _) = Board::import("m.json", text.as_bytes()).unwrap();
        assert_eq!(
            board.file_limits(),
            Some([None, Some(2), Some(4), None, None])
        );
    }

    #[test]
    fn a_merge_keeps_the_boards_meta_unless_the_file_changed_its_own() {
        let ours = FILE.replace("\"1.0\"", "\"1.0\", \"wip_limits\": {\"red\": 2}");
        // The file changed a requirement, not meta: the board's meta is carried.
        let theirs = FILE.replace("\"a\"", "\"b\"");
        let (merged, carry) = carry_meta(FILE, &ours, theirs.clone());
        assert_eq!(carry, MetaCarry::Carried);
        assert_eq!(merged, ours.replace("\"a\"", "\"b\""));
        // The file changed meta too: the file's stays, and it is said.
        let theirs_meta = FILE.replace("\"Shop\"", "\"Store\"");
        let (merged, carry) = carry_meta(FILE, &ours, theirs_meta.clone());
        assert_eq!(carry, MetaCarry::TheirsKept);
        assert_eq!(merged, theirs_meta);
        // The board did not change meta: nothing to carry.
        let (merged, carry) = carry_meta(FILE, FILE, theirs.clone());
        assert_eq!((merged, carry), (theirs, MetaCarry::Kept));
    }

    #[test]
    fn following_the_file_keeps_limits_not_yet_saved_and_says_when_it_cannot() {
        let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
        let limits = [None, None, Some(2), None, None];
        let written = board.with_file_limits(&limits).unwrap();
        // An agent changes a requirement on disk: the limits stay, still unsaved.
        let theirs = FILE.replace("\"a\"", "\"b\"");
        let followed = written.follow(&theirs).unwrap();
        assert!(!followed.meta_lost);
        let after = followed.board.unwrap();
        assert_eq!(after.file_limits(), Some(limits));
        assert!(after.export().contains("\"b\""));
        assert_eq!(after.unsaved(), 1);
        // The agent changes meta too: the file's is kept, and the board says so.
        let theirs = FILE.replace("\"Shop\"", "\"Store\"");
        let followed = written.follow(&theirs).unwrap();
        assert!(followed.meta_lost);
        let after = followed.board.unwrap();
        assert_eq!(after.export(), theirs);
    }
}
