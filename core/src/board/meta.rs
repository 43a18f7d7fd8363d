//! The columns' work in progress limits in the file's `meta` object (`meta.wip_limits`),
//! written only when a person asks ("Save limits in the file"), and kept through a merge with
//! a newer file.
//!
//! The board keeps its limits with itself (`columns::Layout`); a file whose `meta` object
//! holds `wip_limits` gives them to the board when it is first opened on the page. The key is an
//! object of stage keys, `{"red": 5, "green": 3}`. Only that member of `meta` is ever
//! touched: replaced in place, or added after the last member, or taken out with its
//! separator, so the rest of `meta` keeps its bytes; members of `wip_limits` that are not
//! stages stay. A merge starts from the file's text, which would drop the board's change, so
//! `carry_meta` puts the board's `wip_limits` back when the file did not change its own.

use std::ops::Range;

use serde_json::{Map, Value};

use super::{Board, MoveError};
use crate::matrix::root_members;
use crate::matrix::style::Style;
use crate::stage::Stage;

/// The file's `meta` object in a text: its byte range, and its members (key, value range).
struct Meta {
    span: Range<usize>,
    members: Vec<(String, Range<usize>)>,
}

impl Meta {
    /// The last `meta` of the root, as every JSON reader takes a repeated key; `None` when
    /// there is none or it is not an object. A byte order mark is skipped.
    fn of(text: &str) -> Option<Meta> {
        let skip = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        let (_, span) = root_members(&text[skip..])?
            .into_iter()
            .rev()
            .find(|(key, _)| key == "meta")?;
        let span = span.start + skip..span.end + skip;
        let members = root_members(text.get(span.clone())?)?
            .into_iter()
            .map(|(key, r)| (key, r.start + span.start..r.end + span.start))
            .collect();
        Some(Meta { span, members })
    }

    /// The range of the last member named `key`.
    fn member(&self, key: &str) -> Option<Range<usize>> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.clone())
    }

    /// The value of `wip_limits`, parsed.
    fn limits_value(&self, text: &str) -> Option<Value> {
        serde_json::from_str(text.get(self.member("wip_limits")?)?).ok()
    }
}

/// Where the key of the member whose value starts at `value` starts (its opening quote).
fn key_start(text: &str, value: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = text.get(..value)?.trim_end().len().checked_sub(1)?;
    if b[i] != b':' {
        return None;
    }
    i = text[..i].trim_end().len().checked_sub(1)?;
    if b[i] != b'"' {
        return None;
    }
    // Back to the opening quote: a quote not escaped by an odd run of backslashes.
    loop {
        i = text[..i].rfind('"')?;
        let slashes = text[..i].bytes().rev().take_while(|c| *c == b'\\').count();
        if slashes % 2 == 0 {
            return Some(i);
        }
    }
}

/// `text` with `meta`'s member `key` set to `raw` (JSON text), added, or taken out (`None`),
/// every other byte kept; `None` when it cannot be done in place (an empty `meta`).
fn set_member(text: &str, meta: &Meta, key: &str, raw: Option<&str>) -> Option<String> {
    let at = meta.members.iter().rposition(|(k, _)| k == key);
    let mut out = String::with_capacity(text.len() + raw.map_or(0, str::len) + 32);
    match (at, raw) {
        (Some(i), Some(raw)) => {
            let span = &meta.members[i].1;
            out.push_str(&text[..span.start]);
            out.push_str(raw);
            out.push_str(&text[span.end..]);
        }
        (Some(i), None) => {
            // The member goes with the separator before it, or after it when it is first.
            let span = &meta.members[i].1;
            let (from, to) = if i > 0 {
                (meta.members[i - 1].1.end, span.end)
            } else if let Some(next) = meta.members.get(1) {
                (key_start(text, span.start)?, key_start(text, next.1.start)?)
            } else {
                // The only member: the white space before the closing brace stays.
                (meta.span.start + 1, span.end)
            };
            out.push_str(&text[..from]);
            out.push_str(&text[to..]);
        }
        (None, Some(raw)) => {
            let last = meta.members.last()?;
            let last_key = key_start(text, last.1.start)?;
            // The white space before the last member's key, as the next one is written.
            let before = match meta.members.len() {
                1 => &text[meta.span.start + 1..last_key],
                n => {
                    let gap = &text[meta.members[n - 2].1.end..last_key];
                    gap.trim_start().strip_prefix(',').unwrap_or(gap)
                }
            };
            let colon = &text[last_key..last.1.start];
            let colon = &colon[colon.rfind('"').map_or(0, |q| q + 1)..];
            out.push_str(&text[..last.1.end]);
            out.push(',');
            out.push_str(before);
            out.push_str(&serde_json::to_string(key).ok()?);
            out.push_str(colon);
            out.push_str(raw);
            out.push_str(&text[last.1.end..]);
        }
        (None, None) => return Some(text.to_owned()),
    }
    Some(out)
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

/// `wip_limits` with `limits` set, in its order: a stage's member replaced in place (in the
/// spelling the file uses) or added after the others, a limit taken out only where the board
/// read one; members that are not stages, or that the board cannot read as a limit, stay.
/// `None` when nothing is left.
fn limits_value(
    old: Option<Map<String, Value>>,
    limits: &[Option<u32>; 5],
) -> Option<Map<String, Value>> {
    let mut map = old.unwrap_or_default();
    let readable = |v: &Value| {
        v.as_u64()
            .is_some_and(|n| n >= 1 && u32::try_from(n).is_ok())
    };
    for stage in Stage::ALL {
        let key = map
            .iter()
            .find(|(w, _)| Stage::parse(w) == Some(stage))
            .map(|(w, _)| w.clone());
        match (limits[stage.index()], key) {
            (Some(n), Some(key)) => {
                map.insert(key, Value::from(n));
            }
            (Some(n), None) => {
                map.insert(stage.key().to_owned(), Value::from(n));
            }
            (None, Some(_)) => map.retain(|w, v| Stage::parse(w) != Some(stage) || !readable(v)),
            (None, None) => {}
        }
    }
    (!map.is_empty()).then_some(map)
}

/// The file's `wip_limits` as an object: `Ok(None)` when `meta` has none; refused when it is
/// there but not one object the board can read (another tool's list, a note, twice).
fn old_limits(text: &str, meta: &Meta) -> Result<Option<Map<String, Value>>, MoveError> {
    let count = meta
        .members
        .iter()
        .filter(|(k, _)| k == "wip_limits")
        .count();
    match (count, meta.limits_value(text)) {
        (0, _) => Ok(None),
        (1, Some(Value::Object(map))) => Ok(Some(map)),
        _ => Err(MoveError::LimitsUnreadable),
    }
}

impl Board {
    /// The limits the file keeps in `meta.wip_limits`, `None` for a stage without one; `None`
    /// when the file has no `meta` object, where they cannot be kept.
    pub fn file_limits(&self) -> Option<[Option<u32>; 5]> {
        let text = self.matrix.text();
        let meta = Meta::of(text)?;
        Some(limits_of(meta.limits_value(text).as_ref()))
    }

    /// This board with `limits` written into the file's `meta.wip_limits` (the key taken out
    /// when nothing is left in it), in the file's style, every other byte as it was. Refused
    /// with `NoMeta` when the file has no `meta` object: the board never adds one unasked.
    pub fn with_file_limits(&self, limits: &[Option<u32>; 5]) -> Result<Board, MoveError> {
        let matrix = self.exported_matrix()?;
        let text = matrix.text();
        let meta = Meta::of(text).ok_or(MoveError::NoMeta)?;
        let value = limits_value(old_limits(text, &meta)?, limits);
        let out = match &value {
            None => set_member(text, &meta, "wip_limits", None),
            Some(map) => {
                // Written as the old value was (one line stays one line), or a new one as
                // `meta` is written.
                let (start, raw) = match meta.member("wip_limits") {
                    Some(r) => (r.start, &text[r]),
                    None => {
                        let at = meta.members.last().map_or(meta.span.start, |m| m.1.start);
                        let multi = text[meta.span.clone()].contains('\n');
                        (at, if multi { "{\n}" } else { "{}" })
                    }
                };
                let mut rendered = String::new();
                matrix.style().render(text, start, raw, map, &mut rendered);
                set_member(text, &meta, "wip_limits", Some(&rendered))
            }
        };
        // An empty `meta` has no member to write after: it is written whole.
        let out = match out {
            Some(out) => out,
            None => whole_meta(text, &meta, matrix.style(), value)?,
        };
        if out == text {
            return Err(MoveError::NoChange);
        }
        // The file's byte order mark stays.
        let out = if matrix.bom() {
            format!("\u{FEFF}{out}")
        } else {
            out
        };
        let mut board = self.rebuilt(out)?;
        // Only `meta` differs from the file: still a change to save.
        board.mark_outside_change();
        Ok(board)
    }
}

/// `text` with `meta` written whole with `wip_limits` set to `value`.
fn whole_meta(
    text: &str,
    meta: &Meta,
    style: &Style,
    value: Option<Map<String, Value>>,
) -> Result<String, MoveError> {
    let raw = &text[meta.span.clone()];
    let mut map: Map<String, Value> = match serde_json::from_str(raw) {
        Ok(Value::Object(map)) => map,
        _ => return Err(MoveError::NoMeta),
    };
    match value {
        Some(v) => map.insert("wip_limits".to_owned(), Value::Object(v)),
        None => map.remove("wip_limits"),
    };
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..meta.span.start]);
    style.render(text, meta.span.start, raw, &map, &mut out);
    out.push_str(&text[meta.span.end..]);
    Ok(out)
}

/// What a merge did with the board's `meta.wip_limits`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MetaCarry {
    /// The board did not change it, or the file has the same.
    Kept,
    /// The board's is put into the merge, which is then a change to save.
    Carried,
    /// The board changed it and the file changed it too (or took `meta` away): the file's
    /// stays, and the person is told.
    TheirsKept,
}

/// Puts the board's `meta.wip_limits` (in `ours`) into `merged`, a merge that starts from the
/// file's text, when the board changed it since `base` and the file did not; the rest of the
/// file's `meta` is the file's. When both changed it, `merged` keeps the file's and says so.
pub(crate) fn carry_meta(base: &str, ours: &str, merged: String) -> (String, MetaCarry) {
    let limits = |text: &str| Meta::of(text).map(|m| m.limits_value(text));
    let Some(mine) = limits(ours) else {
        return (merged, MetaCarry::Kept);
    };
    let old = limits(base).flatten();
    if mine == old {
        return (merged, MetaCarry::Kept);
    }
    let Some(meta) = Meta::of(&merged) else {
        return (merged, MetaCarry::TheirsKept);
    };
    let theirs = meta.limits_value(&merged);
    if theirs == mine {
        return (merged, MetaCarry::Kept);
    }
    if theirs != old {
        return (merged, MetaCarry::TheirsKept);
    }
    // The board's value as it wrote it, with the line endings of the file as it is now.
    let raw = Meta::of(ours)
        .and_then(|m| m.member("wip_limits"))
        .map(|r| {
            let raw = ours[r].replace("\r\n", "\n");
            if merged.contains("\r\n") {
                raw.replace('\n', "\r\n")
            } else {
                raw
            }
        });
    if let Some(text) = set_member(&merged, &meta, "wip_limits", raw.as_deref()) {
        return (text, MetaCarry::Carried);
    }
    // An empty `meta` has no member to write after: written whole, in the file's style.
    let value = mine.and_then(|v| match v {
        Value::Object(map) => Some(map),
        _ => None,
    });
    match whole_meta(&merged, &meta, &Style::detect(&merged), value) {
        Ok(text) => (text, MetaCarry::Carried),
        Err(_) => (merged, MetaCarry::TheirsKept),
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
    fn a_merge_keeps_the_boards_limits_unless_the_file_changed_its_own() {
        let ours = FILE.replace("\"1.0\"", "\"1.0\", \"wip_limits\": {\"red\": 2}");
        // The file changed a requirement and another member of meta: the board's limits are
        // carried, as a member written like the others.
        let theirs = FILE
            .replace("\"a\"", "\"b\"")
            .replace("\"Shop\"", "\"Store\"");
        let (merged, carry) = carry_meta(FILE, &ours, theirs.clone());
        assert_eq!(carry, MetaCarry::Carried);
        assert_eq!(
            merged,
            theirs.replace("\"1.0\"", "\"1.0\",\n    \"wip_limits\": {\"red\": 2}")
        );
        // The file changed its limits too: the file's stay, and it is said.
        let theirs_limits = FILE.replace("\"1.0\"", "\"1.0\", \"wip_limits\": {\"red\": 9}");
        let (merged, carry) = carry_meta(FILE, &ours, theirs_limits.clone());
        assert_eq!(carry, MetaCarry::TheirsKept);
        assert_eq!(merged, theirs_limits);
        // The file made the same change: nothing to carry.
        let (merged, carry) = carry_meta(FILE, &ours, ours.clone());
        assert_eq!((merged, carry), (ours.clone(), MetaCarry::Kept));
        // The board did not change them: nothing to carry.
        let (merged, carry) = carry_meta(FILE, FILE, theirs.clone());
        assert_eq!((merged, carry), (theirs, MetaCarry::Kept));
    }

    #[test]
    fn following_the_file_keeps_limits_not_yet_saved_and_says_when_it_cannot() {
        let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
        let limits = [None, None, Some(2), None, None];
        let written = board.with_file_limits(&limits).unwrap();
        // An agent changes a requirement and meta's version on disk (with a byte order mark,
        // as a Windows editor writes): the limits stay, still unsaved.
        let theirs = format!(
            "\u{FEFF}{}",
            FILE.replace("\"a\"", "\"b\"").replace("\"1.0\"", "\"1.1\"")
        );
        let followed = written.follow(&theirs).unwrap();
        assert!(!followed.meta_lost);
        let after = followed.board.unwrap();
        assert_eq!(after.file_limits(), Some(limits));
        assert!(after.export().contains("\"b\""));
        assert!(after.export().contains("\"1.1\""));
        assert_eq!(after.unsaved(), 1);
        // The agent sets limits of its own: the file's are kept, and the board says so.
        let theirs = FILE.replace("\"1.0\"", "\"1.0\",\n    \"wip_limits\": {\"red\": 9}");
        let followed = written.follow(&theirs).unwrap();
        assert!(followed.meta_lost);
        let after = followed.board.unwrap();
        assert_eq!(after.export(), theirs);
    }

    #[test]
    fn only_wip_limits_changes_and_what_is_not_a_stage_stays() {
        let text = "{\n  \"meta\": {\n    \"tags\": [\"a\", \"b\"],\n    \"owner\": {\"name\": \"x\"},\n    \"wip_limits\": {\"Red\": 4, \"qa_review\": 2}\n  },\n  \"requirements\": [{\"id\": \"R\", \"ears\": \"a\"}]\n}\n";
        let (board, _) = Board::import("m.json", text.as_bytes()).unwrap();
        let written = board
            .with_file_limits(&[None, None, Some(2), None, None])
            .unwrap();
        assert_eq!(
            written.export(),
            text.replace(
                "{\"Red\": 4, \"qa_review\": 2}",
                "{\"Red\": 2, \"qa_review\": 2}"
            )
        );
        // Cleared: what is not a stage stays.
        let cleared = written.with_file_limits(&[None; 5]).unwrap();
        assert_eq!(
            cleared.export(),
            text.replace("{\"Red\": 4, \"qa_review\": 2}", "{\"qa_review\": 2}")
        );
    }

    #[test]
    fn added_then_cleared_gives_the_file_back_in_every_shape() {
        let base = "{\n  \"meta\": {\n    \"project\": \"Shop\",\n    \"tags\": [\"a\", \"b\"]\n  },\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ]\n}\n";
        let shapes = [
            base.to_owned(),
            base.replace('\n', "\r\n"),
            base.replace("  ", "\t"),
            format!("\u{FEFF}{base}"),
            r#"{"meta":{"project":"Shop"},"requirements":[{"id":"R","ears":"a"}]}"#.to_owned(),
            r#"{"meta": {"v": 1}, "requirements": [{"id": "R", "ears": "a"}], "meta": {"v": 2}}"#
                .to_owned(),
            r#"{"meta": {}, "requirements": [{"id": "R", "ears": "a"}]}"#.to_owned(),
            r#"{"meta": {"requirements": [{"id": "R", "ears": "a"}], "v": 1}}"#.to_owned(),
        ];
        let limits = [None, None, Some(2), None, None];
        for text in shapes {
            let (board, _) = Board::import("m.json", text.as_bytes()).unwrap();
            let written = board.with_file_limits(&limits).unwrap();
            let out = written.export();
            let value: Value = serde_json::from_str(out.trim_start_matches('\u{FEFF}')).unwrap();
            // Where every JSON reader looks (the last "meta").
            assert_eq!(value["meta"]["wip_limits"]["red"], 2, "{out}");
            assert_eq!(written.file_limits(), Some(limits), "{out}");
            if text.contains("\r\n") {
                assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
            }
            if !text.contains("{}") {
                // The rest of meta keeps its bytes: the tags stay on one line.
                let cleared = written.with_file_limits(&[None; 5]).unwrap();
                assert_eq!(cleared.export(), board.export(), "{out}");
                assert_eq!(
                    cleared.export().trim_start_matches('\u{FEFF}'),
                    text.trim_start_matches('\u{FEFF}')
                );
                assert_eq!(
                    cleared.export().starts_with('\u{FEFF}'),
                    board.export().starts_with('\u{FEFF}')
                );
            }
        }
    }
}
