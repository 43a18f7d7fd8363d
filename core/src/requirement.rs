//! A requirement as the board sees it: a `Card` read leniently from one JSON object.
//!
//! This module owns the reading of every field variant PRODUCT.md lists (ids as strings or
//! numbers or map keys, text under several names, tests as strings or objects, status words
//! in any case), the inference of a stage for files without `tdd_stage`, and how objects
//! without an id are named (`NAME_KEYS`, `choose_naming`). It never writes JSON: changing a
//! requirement is `board`'s job, and the file's bytes are `matrix`'s.

use std::fmt;

use serde_json::{Map, Value};

use crate::stage::{GateFacts, Stage, normalize_word};

/// A requirement's id as written (`REQ-001`, `42`, `auth.login`), trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReqId(String);

impl ReqId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReqId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Keys that hold a requirement's id, in order of preference.
const ID_KEYS: [&str; 5] = ["id", "requirementId", "requirement_id", "reqId", "req_id"];
/// Keys that can name a requirement object that has no id, in order of preference: each is
/// what teams use for an identifier when they do not call it one. A key names the objects of
/// a list only when every id-less object there has it, as a string or number, and no two
/// values are alike (see `choose_naming`). `code` is not among them: it holds paths.
pub const NAME_KEYS: [&str; 9] = [
    "key",
    "ref",
    "reference",
    "uid",
    "uuid",
    "slug",
    "number",
    "scenario",
    "name",
];
/// Keys that hold a requirement's text, in order of preference.
const TEXT_KEYS: [&str; 6] = [
    "ears",
    "title",
    "text",
    "description",
    "summary",
    "statement",
];
/// Keys of a test or code object that hold its path.
const PATH_KEYS: [&str; 3] = ["path", "file", "name"];

/// What the board shows of one requirement. Built fresh from the JSON after every change, so
/// it can never disagree with what export writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub id: ReqId,
    pub text: String,
    pub priority: Option<String>,
    pub kind: Option<String>,
    pub tests: Vec<String>,
    pub code: Vec<String>,
    pub stage: Stage,
    /// Why the stage was inferred rather than read from `tdd_stage`; `None` when it was read.
    pub inferred: Option<String>,
    /// `status` as the file writes it.
    pub status: Option<String>,
    pub deprecated: bool,
    pub was_red: bool,
    pub was_green: bool,
    /// Who made the last recorded move and when.
    pub last_move: Option<(String, String)>,
    /// `tdd_history` holds something other than a list (or `null`): no move can be recorded
    /// into it without overwriting it, so the board refuses moves of this card.
    pub history_not_a_list: bool,
}

/// Why one entry of the requirements list could not become a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    /// The entry is not a JSON object.
    NotAnObject { found: &'static str },
    /// The entry has no id under any known key and was given no name. `Board::import` names
    /// every id-less object (by `NAME_KEYS` or by position), so there only a value that is not
    /// an object stays unplaced.
    NoId,
}

impl fmt::Display for EntryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryProblem::NotAnObject { found } => {
                write!(
                    f,
                    "is a {found}, not a requirement object; kept in the file as it is"
                )
            }
            EntryProblem::NoId => write!(
                f,
                "has no id (looked for {}); kept in the file as it is",
                ID_KEYS.map(|k| format!("\"{k}\"")).join(", ")
            ),
        }
    }
}

impl Card {
    /// Reads a card from a requirement value. `name` is its id when the value has none of
    /// its own: its key when the file keeps requirements in a map keyed by id, or the name the
    /// board gave an object without an id (`choose_naming`).
    pub fn read(name: Option<&str>, value: &Value) -> Result<Card, EntryProblem> {
        let Value::Object(obj) = value else {
            return Err(EntryProblem::NotAnObject {
                found: json_kind(value),
            });
        };
        let id = ID_KEYS
            .iter()
            .find_map(|k| obj.get(*k).and_then(scalar_text))
            .or_else(|| name.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()))
            .ok_or(EntryProblem::NoId)?;
        let text = TEXT_KEYS
            .iter()
            .find_map(|k| obj.get(*k).and_then(scalar_text))
            .unwrap_or_default();
        let tests = paths(obj.get("tests"));
        let code = paths(obj.get("code"));
        let status = obj.get("status").and_then(scalar_text);
        let status_word = status.as_deref().map(normalize_word);
        let (was_red, was_green, last_move) = read_history(obj.get("tdd_history"));

        let written = obj.get("tdd_stage").and_then(scalar_text);
        let (stage, inferred) = match written.as_deref().map(|w| (w, Stage::parse(w))) {
            Some((_, Some(stage))) => (stage, None),
            Some((word, None)) => {
                let stage = infer_stage(obj, status_word.as_deref(), &tests, &code);
                (
                    stage,
                    Some(format!(
                        "tdd_stage \"{word}\" is not a stage; inferred from its fields"
                    )),
                )
            }
            None => {
                let stage = infer_stage(obj, status_word.as_deref(), &tests, &code);
                (
                    stage,
                    Some(inference_reason(status.as_deref(), &tests, &code)),
                )
            }
        };
        Ok(Card {
            id: ReqId(id),
            text,
            priority: obj.get("priority").and_then(scalar_text),
            kind: obj.get("type").and_then(scalar_text),
            deprecated: status_word.as_deref() == Some("deprecated"),
            was_red: was_red || stage == Stage::Red,
            was_green: was_green || stage == Stage::Green,
            tests,
            code,
            stage,
            inferred,
            status,
            last_move,
            history_not_a_list: !matches!(
                obj.get("tdd_history"),
                None | Some(Value::Null) | Some(Value::Array(_))
            ),
        })
    }

    /// Whether the card's id, text, tests or code contain `needle`, which must be lower case,
    /// once `lower` has lower-cased them.
    ///
    /// The caller brings the lower-casing because the core deliberately carries no Unicode case
    /// tables: in the browser they would be about 18 KB of the compressed download, and the
    /// browser already has them (the shell passes `ui::lower_case`, native tests pass
    /// `str::to_lowercase`).
    pub fn matches(&self, needle: &str, lower: impl Fn(&str) -> String) -> bool {
        let has = |s: &str| lower(s).contains(needle);
        has(self.id.as_str())
            || has(&self.text)
            || self.tests.iter().any(|t| has(t))
            || self.code.iter().any(|c| has(c))
    }

    /// About how many bytes the card keeps: itself and the texts it holds. Undo counts it to
    /// stay within its memory budget.
    pub fn memory_bytes(&self) -> usize {
        let string = std::mem::size_of::<String>();
        let texts = [&self.text, self.id.as_str()]
            .iter()
            .map(|s| s.len())
            .sum::<usize>();
        let optional = [&self.priority, &self.kind, &self.inferred, &self.status]
            .iter()
            .map(|s| s.as_ref().map_or(0, String::len))
            .sum::<usize>();
        let paths = self
            .tests
            .iter()
            .chain(&self.code)
            .map(|p| string + p.len())
            .sum::<usize>();
        let last = self
            .last_move
            .as_ref()
            .map_or(0, |(by, at)| by.len() + at.len());
        std::mem::size_of::<Card>() + texts + optional + paths + last
    }

    pub fn gate_facts(&self) -> GateFacts {
        GateFacts {
            tests: self.tests.len(),
            code: self.code.len(),
            was_red: self.was_red,
            was_green: self.was_green,
        }
    }

    /// What the card lacks for the stage it is in: a Green card with no code, a Red one with
    /// no tests. The board flags these; they are the gaps a team wants to see.
    pub fn gaps(&self) -> Vec<&'static str> {
        let mut gaps = Vec::new();
        if self.stage >= Stage::TestWritten && self.tests.is_empty() {
            gaps.push("no tests");
        }
        if self.stage >= Stage::Green && self.code.is_empty() {
            gaps.push("no code");
        }
        gaps
    }
}

/// How the board names the requirement objects of one list that have no id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Naming {
    /// By this key of `NAME_KEYS`, as `scenario 3`.
    Key(&'static str),
    /// By place in the list, counted from one, as `#3`.
    Position,
}

impl Naming {
    /// The name of one object: `values` are its `name_values`, `position` its place in the
    /// list counted from one.
    pub fn name(self, values: &[Option<String>], position: usize) -> String {
        match self {
            Naming::Key(key) => {
                let value = NAME_KEYS
                    .iter()
                    .position(|k| *k == key)
                    .and_then(|i| values.get(i)?.as_deref())
                    .unwrap_or_default();
                format!("{key} {value}")
            }
            Naming::Position => format!("#{position}"),
        }
    }

    /// How a name was made, for the import report.
    pub fn explain(self, name: &str) -> String {
        match self {
            Naming::Key(key) => format!("has no id; shown as \"{name}\", from its \"{key}\" key"),
            Naming::Position => {
                format!("has no id; shown as \"{name}\", from its position in the list")
            }
        }
    }
}

/// The value of each of `NAME_KEYS` in a requirement object, as text: `None` where it is
/// missing, empty or not a string or number.
pub fn name_values(value: &Value) -> Vec<Option<String>> {
    NAME_KEYS
        .iter()
        .map(|k| value.get(*k).and_then(scalar_text))
        .collect()
}

/// How to name the id-less objects of one list, given each one's `name_values`: the first of
/// `NAME_KEYS` that all of them have, with no two values alike, so that the names tell them
/// apart; otherwise their positions.
pub fn choose_naming(objects: &[Vec<Option<String>>]) -> Naming {
    for (i, key) in NAME_KEYS.iter().enumerate() {
        let mut seen = std::collections::HashSet::new();
        let unique = objects.iter().all(|values| {
            values
                .get(i)
                .and_then(Option::as_deref)
                .is_some_and(|v| seen.insert(v))
        });
        if unique && !objects.is_empty() {
            return Naming::Key(key);
        }
    }
    Naming::Position
}

/// The stage a requirement without `tdd_stage` most likely is in, from the origin schema's
/// own fields.
fn infer_stage(
    obj: &Map<String, Value>,
    status: Option<&str>,
    tests: &[String],
    code: &[String],
) -> Stage {
    let approved = obj
        .get("governance_status")
        .and_then(scalar_text)
        .is_some_and(|g| normalize_word(&g) == "approved");
    match status {
        Some("tested" | "verified" | "evaluated") => Stage::Reviewed,
        Some("implemented") if approved => Stage::Reviewed,
        Some("implemented") => Stage::Green,
        Some("in_progress") if !tests.is_empty() && !code.is_empty() => Stage::Red,
        _ if !tests.is_empty() => Stage::TestWritten,
        _ => Stage::Backlog,
    }
}

fn inference_reason(status: Option<&str>, tests: &[String], code: &[String]) -> String {
    let status = status.map_or("no status".to_owned(), |s| format!("status \"{s}\""));
    format!(
        "Stage inferred from {status}, {} test{} and {} code path{}",
        tests.len(),
        if tests.len() == 1 { "" } else { "s" },
        code.len(),
        if code.len() == 1 { "" } else { "s" },
    )
}

/// Reads `tdd_history` for whether the card was ever Red or Green, and its last move.
fn read_history(history: Option<&Value>) -> (bool, bool, Option<(String, String)>) {
    let Some(Value::Array(moves)) = history else {
        return (false, false, None);
    };
    let mut was_red = false;
    let mut was_green = false;
    for step in moves {
        match step
            .get("to")
            .and_then(scalar_text)
            .as_deref()
            .and_then(Stage::parse)
        {
            Some(Stage::Red) => was_red = true,
            Some(Stage::Green) => was_green = true,
            _ => {}
        }
    }
    let last_move = moves.last().map(|step| {
        let field = |k: &str| step.get(k).and_then(scalar_text).unwrap_or_default();
        (field("by"), field("at"))
    });
    (was_red, was_green, last_move)
}

/// Paths from a `tests` or `code` value: a list of strings or of objects with a path, or
/// a single string.
fn paths(value: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::Object(o) => PATH_KEYS
            .iter()
            .find_map(|k| o.get(*k).and_then(scalar_text)),
        other => scalar_text(other),
    };
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(one)
            .filter(|p| !p.is_empty())
            .collect(),
        Some(v) => one(v).filter(|p| !p.is_empty()).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A string or number as text, trimmed; `None` for anything else or an empty string.
pub fn scalar_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn card(value: Value) -> Card {
        Card::read(None, &value).expect("a card")
    }

    #[test]
    fn reads_ids_from_every_place() {
        let table = [
            (None, json!({"id": "REQ-001"}), "REQ-001"),
            (None, json!({"id": 7}), "7"),
            (None, json!({"requirementId": "auth.login"}), "auth.login"),
            (None, json!({"req_id": " R-9 "}), "R-9"),
            (Some("REQ-KEY"), json!({"ears": "x"}), "REQ-KEY"),
            (Some("REQ-KEY"), json!({"id": "OWN"}), "OWN"),
        ];
        for (key, value, expected) in table {
            assert_eq!(
                Card::read(key, &value).unwrap().id.as_str(),
                expected,
                "{value}"
            );
        }
    }

    #[test]
    fn reports_entries_it_cannot_place() {
        assert_eq!(
            Card::read(None, &json!({"ears": "x"})),
            Err(EntryProblem::NoId)
        );
        assert_eq!(
            Card::read(None, &json!({"id": ""})),
            Err(EntryProblem::NoId)
        );
        assert_eq!(
            Card::read(None, &json!("REQ-1")),
            Err(EntryProblem::NotAnObject { found: "string" })
        );
        assert_eq!(
            Card::read(None, &json!(null)),
            Err(EntryProblem::NotAnObject { found: "null" })
        );
    }

    #[test]
    fn names_objects_without_an_id_by_a_key_that_tells_them_apart() {
        let values = |objects: &[Value]| -> Vec<Vec<Option<String>>> {
            objects.iter().map(name_values).collect()
        };
        // (the id-less objects of one list, how they are named, the name of the second).
        let table = [
            (
                vec![json!({"scenario": 1}), json!({"scenario": 2})],
                Naming::Key("scenario"),
                "scenario 2",
            ),
            // A key earlier in the order wins when it also tells them apart.
            (
                vec![
                    json!({"scenario": 1, "key": "a"}),
                    json!({"scenario": 2, "key": "b"}),
                ],
                Naming::Key("key"),
                "key b",
            ),
            // Repeated values do not name: the next key that is unique does.
            (
                vec![
                    json!({"ref": "J-1", "uid": "u1"}),
                    json!({"ref": "J-1", "uid": "u2"}),
                ],
                Naming::Key("uid"),
                "uid u2",
            ),
            // A key that only some objects have does not name.
            (
                vec![json!({"number": 1}), json!({"text": "x"})],
                Naming::Position,
                "#2",
            ),
            // Only strings and numbers name; objects, lists, booleans and "" do not.
            (
                vec![json!({"name": {"a": 1}}), json!({"name": {"a": 2}})],
                Naming::Position,
                "#2",
            ),
            (
                vec![json!({"name": true}), json!({"name": false})],
                Naming::Position,
                "#2",
            ),
            (
                vec![json!({"name": ""}), json!({"name": "b"})],
                Naming::Position,
                "#2",
            ),
            // `code` holds paths, never a name.
            (
                vec![json!({"code": "a.rs"}), json!({"code": "b.rs"})],
                Naming::Position,
                "#2",
            ),
            // A number and the same digits as a string read alike, so they do not name.
            (
                vec![json!({"slug": 7}), json!({"slug": "7"})],
                Naming::Position,
                "#2",
            ),
            (
                vec![json!({"name": " Login "}), json!({"name": "Logout"})],
                Naming::Key("name"),
                "name Logout",
            ),
        ];
        for (objects, naming, second) in table {
            let values = values(&objects);
            assert_eq!(choose_naming(&values), naming, "{objects:?}");
            assert_eq!(naming.name(&values[1], 2), second, "{objects:?}");
        }
        assert_eq!(choose_naming(&[]), Naming::Position);
        let card = Card::read(Some("scenario 2"), &json!({"scenario": 2, "ears": "x"})).unwrap();
        assert_eq!(card.id.as_str(), "scenario 2");
    }

    #[test]
    fn reads_text_under_any_name_in_order() {
        let table = [
            (json!({"id": 1, "ears": "E", "title": "T"}), "E"),
            (json!({"id": 1, "title": "T", "text": "X"}), "T"),
            (json!({"id": 1, "description": "D"}), "D"),
            (json!({"id": 1, "summary": "S"}), "S"),
            (json!({"id": 1, "statement": "St"}), "St"),
            (json!({"id": 1, "ears": "", "title": "T"}), "T"),
            (json!({"id": 1}), ""),
        ];
        for (value, expected) in table {
            assert_eq!(card(value).text, expected);
        }
    }

    #[test]
    fn reads_paths_as_strings_or_objects() {
        let c = card(
            json!({"id": 1, "tests": ["a.rs", {"path": "b.rs"}, {"file": "c.rs"}, {"name": "d"}, {"x": 1}, ""], "code": "src/x.rs"}),
        );
        assert_eq!(c.tests, ["a.rs", "b.rs", "c.rs", "d"]);
        assert_eq!(c.code, ["src/x.rs"]);
    }

    #[test]
    fn infers_stage_from_schema_fields() {
        let table = [
            (json!({"id": 1}), Stage::Backlog),
            (json!({"id": 1, "status": null}), Stage::Backlog),
            (
                json!({"id": 1, "status": "proposed", "tests": ["t"]}),
                Stage::TestWritten,
            ),
            (
                json!({"id": 1, "status": "In Progress", "tests": ["t"]}),
                Stage::TestWritten,
            ),
            (
                json!({"id": 1, "status": "in-progress", "tests": ["t"], "code": ["c"]}),
                Stage::Red,
            ),
            (json!({"id": 1, "status": "IMPLEMENTED"}), Stage::Green),
            (
                json!({"id": 1, "status": "implemented", "governance_status": "Approved"}),
                Stage::Reviewed,
            ),
            (json!({"id": 1, "status": "tested"}), Stage::Reviewed),
            (json!({"id": 1, "status": "verified"}), Stage::Reviewed),
            (
                json!({"id": 1, "status": "deprecated", "tests": ["t"]}),
                Stage::TestWritten,
            ),
        ];
        for (value, expected) in table {
            let c = card(value.clone());
            assert_eq!(c.stage, expected, "{value}");
            assert!(c.inferred.is_some(), "{value}");
        }
    }

    #[test]
    fn reads_written_stage_and_history() {
        let c = card(json!({"id": 1, "tdd_stage": "Test Written", "status": "implemented"}));
        assert_eq!((c.stage, c.inferred), (Stage::TestWritten, None));
        let c = card(json!({"id": 1, "tdd_stage": "done", "status": "implemented"}));
        assert_eq!(c.stage, Stage::Green);
        assert!(c.inferred.unwrap().contains("\"done\" is not a stage"));
        let c = card(
            json!({"id": 1, "tdd_stage": "test_written", "tdd_history": [
            {"from": "backlog", "to": "red", "at": "t1", "by": "qa"},
            {"from": "red", "to": "test_written", "at": "t2", "by": "dev"}]}),
        );
        assert!(c.was_red && !c.was_green);
        assert_eq!(c.last_move, Some(("dev".to_owned(), "t2".to_owned())));
    }

    #[test]
    fn search_looks_at_id_text_and_paths() {
        let c = card(
            json!({"id": "REQ-7", "ears": "Café opens", "tests": ["tests/Login.py"], "code": ["src/x.rs"]}),
        );
        for needle in ["req-7", "café", "login", "src/x", "opens"] {
            assert!(c.matches(needle, str::to_lowercase), "{needle}");
        }
        assert!(!c.matches("logout", str::to_lowercase));
        // Without a lower-casing, upper-case text is not found by a lower-case needle.
        assert!(!c.matches("req-7", str::to_owned));
    }

    #[test]
    fn flags_gaps() {
        assert_eq!(
            card(json!({"id": 1, "tdd_stage": "green", "tests": ["t"]})).gaps(),
            ["no code"]
        );
        assert_eq!(
            card(json!({"id": 1, "tdd_stage": "red"})).gaps(),
            ["no tests"]
        );
        assert!(
            card(json!({"id": 1, "tdd_stage": "backlog"}))
                .gaps()
                .is_empty()
        );
        assert!(card(json!({"id": 1, "status": "deprecated"})).deprecated);
    }
}
