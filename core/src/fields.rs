//! Which keys of one file play which part: the id, the text, the tests, the code, the status.
//!
//! `Fields::detect` looks at a sample of a container's members and picks, for each part a
//! card shows, the keys the file uses from the alias tables of `vocabulary`. The choice is a
//! plain value: the import report shows it, the "Fields" dialog lets a person change it, and
//! saves keep it, so a file is always read the same way until someone changes the choice.

use std::fmt;

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::vocabulary::{
    CODE_KEYS, EVIDENCE_KEYS, GROUP_KEYS, ID_KEYS, KIND_KEYS, OWNER_KEYS, PRIORITY_KEYS,
    STATUS_KEYS, STORY_KEYS, TEST_KEYS, TEXT_KEYS, normalize_key,
};

/// A key, or a key inside an object under a key (`implementation.tests`), as the file writes
/// them. Kept as parts so a key with a dot in it is never split.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(pub Vec<String>);

impl KeyPath {
    pub fn key(key: &str) -> KeyPath {
        KeyPath(vec![key.to_owned()])
    }

    pub fn nested(outer: &str, inner: &str) -> KeyPath {
        KeyPath(vec![outer.to_owned(), inner.to_owned()])
    }

    /// The value at this path in `obj`.
    pub fn get<'a>(&self, obj: &'a Map<String, Value>) -> Option<&'a Value> {
        let (first, rest) = self.0.split_first()?;
        let mut value = obj.get(first)?;
        for part in rest {
            value = value.as_object()?.get(part)?;
        }
        Some(value)
    }

    /// The last key, normalized, for matching against the alias tables.
    fn leaf(&self) -> String {
        self.0.last().map(|k| normalize_key(k)).unwrap_or_default()
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// How the board reads the requirements of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    /// Where the requirements are, as `matrix::Candidate::path` names containers; empty
    /// means "wherever the board finds them".
    pub container: Option<String>,
    /// Keys tried in order for the id; the map key (or a name the board gives) when none has one.
    pub id: Vec<KeyPath>,
    /// Keys tried in order for the text.
    pub text: Vec<KeyPath>,
    /// Every key that holds tests; their items are joined.
    pub tests: Vec<KeyPath>,
    /// Every key that holds code paths.
    pub code: Vec<KeyPath>,
    /// Keys whose paths are sorted into tests or code by their shape (`vocabulary::path_kind`).
    pub evidence: Vec<KeyPath>,
    pub status: Option<KeyPath>,
    pub priority: Option<KeyPath>,
    pub kind: Option<KeyPath>,
    pub owner: Option<KeyPath>,
    pub story: Option<KeyPath>,
    /// A person chose these fields: they are used exactly, with no fallback of the board's.
    pub chosen: bool,
}

/// What the keys of a sample of members look like.
#[derive(Default)]
struct KeyStats {
    /// Members that have the key with a non-empty value.
    present: usize,
    /// Members whose value is a string or number that could be an id.
    id_like: usize,
    /// Distinct id-like values, in byte order (a sample holds at most `SAMPLE`).
    distinct: Vec<String>,
    /// Members whose value is a string with words in it.
    texty: usize,
    /// Members whose value is a string or a number.
    scalar: usize,
}

/// At most this many members are looked at to decide the fields of a container.
pub const SAMPLE: usize = 200;

impl Fields {
    /// Picks the fields from a sample of the members of one container.
    pub fn detect(members: &[&Value]) -> Fields {
        let objects: Vec<&Map<String, Value>> = members
            .iter()
            .take(SAMPLE)
            .filter_map(|v| v.as_object())
            .collect();
        // Per key, in the order the file first writes the keys (so choices are stable), found
        // through an index under the map type the board already uses for ids.
        let mut stats: Vec<(KeyPath, KeyStats)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for obj in &objects {
            for (key, value) in obj.iter() {
                let path = KeyPath::key(key);
                note(&mut stats, &mut index, path, value);
                if let Value::Object(inner) = value
                    && GROUP_KEYS.contains(&normalize_key(key).as_str())
                {
                    for (inner_key, inner_value) in inner {
                        note(
                            &mut stats,
                            &mut index,
                            KeyPath::nested(key, inner_key),
                            inner_value,
                        );
                    }
                }
            }
        }
        let n = objects.len().max(1);
        let top = |path: &&KeyPath| path.0.len() == 1;
        // Keys in the order of the alias table, each alias's keys in file order: built in
        // that order rather than sorted, which keeps a sort routine out of the download.
        let by_alias = |aliases: &[&str], accept: &dyn Fn(&KeyStats) -> bool| -> Vec<KeyPath> {
            let leaves: Vec<(String, &KeyPath)> = stats
                .iter()
                .map(|(p, _)| p)
                .filter(top)
                .map(|p| (p.leaf(), p))
                .collect();
            aliases
                .iter()
                .flat_map(|alias| {
                    leaves
                        .iter()
                        .filter(move |(leaf, _)| leaf == alias)
                        .map(|(_, p)| *p)
                })
                .filter(|p| stat(&stats, &index, p).is_some_and(accept))
                .cloned()
                .collect()
        };
        // An id key must name most members, with values that look like ids and tell them
        // apart; a key that only some members have is still tried after the best one.
        let id_ok = |s: &KeyStats| s.id_like > 0 && s.distinct.len() * 10 >= s.id_like * 9;
        let mut id = by_alias(ID_KEYS, &id_ok);
        if let Some(best) = id
            .iter()
            .position(|p| stat(&stats, &index, p).is_some_and(|s| s.id_like * 2 >= n))
        {
            let best = id.remove(best);
            id.insert(0, best);
        }
        let text_ok = |s: &KeyStats| s.texty > 0;
        let text: Vec<KeyPath> = by_alias(TEXT_KEYS, &text_ok)
            .into_iter()
            .filter(|p| id.first().is_none_or(|i| i != p))
            .collect();
        let present = |s: &KeyStats| s.present > 0;
        let list_of = |aliases: &[&str]| -> Vec<KeyPath> {
            stats
                .iter()
                .filter(|(path, s)| {
                    aliases.contains(&path.leaf().as_str())
                        && present(s)
                        && (path.0.len() == 1
                            || GROUP_KEYS.contains(&normalize_key(&path.0[0]).as_str()))
                })
                .map(|(path, _)| path.clone())
                .collect()
        };
        let tests = list_of(TEST_KEYS);
        let mut code = list_of(CODE_KEYS);
        // `implementation` as a group of tests and code is not itself a list of code.
        code.retain(|p| {
            !(p.0.len() == 1 && tests.iter().any(|t| t.0.len() == 2 && t.0[0] == p.0[0]))
        });
        let evidence: Vec<KeyPath> = list_of(EVIDENCE_KEYS)
            .into_iter()
            .filter(|p| p.0.len() == 1)
            .filter(|p| !tests.contains(p) && !code.contains(p))
            .filter(|p| {
                // A group whose parts are read already is not read again as a whole.
                !tests
                    .iter()
                    .chain(&code)
                    .any(|t| t.0.len() == 2 && t.0[0] == p.0[0])
            })
            .collect();
        let one = |aliases: &[&str]| {
            by_alias(aliases, &|s: &KeyStats| s.scalar > 0)
                .into_iter()
                .next()
        };
        Fields {
            container: None,
            id,
            text,
            tests,
            code,
            evidence,
            status: one(STATUS_KEYS),
            priority: one(PRIORITY_KEYS),
            kind: one(KIND_KEYS),
            owner: one(OWNER_KEYS),
            story: one(STORY_KEYS),
            chosen: false,
        }
    }

    /// The choice as JSON, for remembering it in the browser and in the save: an object
    /// of key paths, each a list of keys. Written through `Value` rather than derived: the
    /// derives cost several KB of the download for what is a dozen lines here.
    pub fn to_json(&self) -> String {
        let path = |p: &KeyPath| Value::Array(p.0.iter().cloned().map(Value::String).collect());
        let many = |v: &[KeyPath]| Value::Array(v.iter().map(path).collect());
        let one = |v: &Option<KeyPath>| v.as_ref().map_or(Value::Null, path);
        let mut map = Map::new();
        map.insert(
            "container".into(),
            self.container.clone().map_or(Value::Null, Value::String),
        );
        map.insert("id".into(), many(&self.id));
        map.insert("text".into(), many(&self.text));
        map.insert("tests".into(), many(&self.tests));
        map.insert("code".into(), many(&self.code));
        map.insert("evidence".into(), many(&self.evidence));
        map.insert("status".into(), one(&self.status));
        map.insert("priority".into(), one(&self.priority));
        map.insert("kind".into(), one(&self.kind));
        map.insert("owner".into(), one(&self.owner));
        map.insert("story".into(), one(&self.story));
        map.insert("chosen".into(), Value::Bool(self.chosen));
        // Written by the export's own writer, on one line: `Value::to_string` would link a
        // second JSON writer into the download for this one small object.
        let mut out = String::new();
        crate::matrix::Style::detect("{}").render("{}", 0, "{}", &map, &mut out);
        out
    }

    /// A choice written by `to_json`; `None` for anything that is not an object. Missing or
    /// malformed parts read as none.
    pub fn from_json(text: &str) -> Option<Fields> {
        let value: Value = serde_json::from_str(text).ok()?;
        let obj = value.as_object()?;
        let path = |v: &Value| -> Option<KeyPath> {
            let keys: Vec<String> = v
                .as_array()?
                .iter()
                .map(|k| k.as_str().map(str::to_owned))
                .collect::<Option<_>>()?;
            (!keys.is_empty()).then_some(KeyPath(keys))
        };
        let many = |k: &str| -> Vec<KeyPath> {
            obj.get(k)
                .and_then(Value::as_array)
                .map(|items| items.iter().filter_map(path).collect())
                .unwrap_or_default()
        };
        let one = |k: &str| obj.get(k).and_then(path);
        Some(Fields {
            container: obj
                .get("container")
                .and_then(Value::as_str)
                .map(str::to_owned),
            id: many("id"),
            text: many("text"),
            tests: many("tests"),
            code: many("code"),
            evidence: many("evidence"),
            status: one("status"),
            priority: one("priority"),
            kind: one("kind"),
            owner: one("owner"),
            story: one("story"),
            chosen: obj.get("chosen").and_then(Value::as_bool).unwrap_or(false),
        })
    }

    /// Whether these are the origin format's fields, read the origin way: nothing to confirm.
    pub fn is_origin(&self) -> bool {
        let origin = |paths: &[KeyPath], key: &str| paths.first().is_none_or(|p| p.0 == [key]);
        !self.chosen
            && self.id.first().is_some_and(|p| p.0 == ["id"])
            && self.text.first().is_some_and(|p| p.0 == ["ears"])
            && origin(&self.tests, "tests")
            && origin(&self.code, "code")
            && self.evidence.is_empty()
            && self.status.as_ref().is_none_or(|p| p.0 == ["status"])
    }

    /// The fields in a few words, for the import report: "id: requirementId · text: — ·
    /// tests: testIds · code: — · status: —".
    pub fn summary(&self, keyed: bool) -> String {
        let many = |paths: &[KeyPath]| -> String {
            if paths.is_empty() {
                "—".to_owned()
            } else {
                paths
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let id = match self.id.first() {
            Some(p) => p.to_string(),
            None if keyed => "the map key".to_owned(),
            None => "none (named by position)".to_owned(),
        };
        let mut parts = vec![
            format!("id: {id}"),
            format!(
                "text: {}",
                self.text.first().map_or("—".to_owned(), |p| p.to_string())
            ),
            format!("tests: {}", many(&self.tests)),
            format!("code: {}", many(&self.code)),
        ];
        if !self.evidence.is_empty() {
            parts.push(format!("tests or code by path: {}", many(&self.evidence)));
        }
        parts.push(format!(
            "status: {}",
            self.status
                .as_ref()
                .map_or("—".to_owned(), |p| p.to_string())
        ));
        parts.join(" · ")
    }
}

/// The parts of a path joined by a character no key has, so `a.b` and `a` › `b` differ.
fn index_name(path: &KeyPath) -> String {
    path.0.join("\u{1f}")
}

fn stat<'a>(
    stats: &'a [(KeyPath, KeyStats)],
    index: &HashMap<String, usize>,
    path: &KeyPath,
) -> Option<&'a KeyStats> {
    let at = *index.get(&index_name(path))?;
    stats.get(at).map(|(_, s)| s)
}

fn note(
    stats: &mut Vec<(KeyPath, KeyStats)>,
    index: &mut HashMap<String, usize>,
    path: KeyPath,
    value: &Value,
) {
    let name = index_name(&path);
    let at = match index.get(&name) {
        Some(at) => *at,
        // Rows of one table share a few dozen keys; past this, the rest are not columns.
        None if stats.len() >= 512 => return,
        None => {
            index.insert(name, stats.len());
            stats.push((path, KeyStats::default()));
            stats.len() - 1
        }
    };
    let entry = &mut stats[at].1;
    let empty = match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if empty {
        return;
    }
    entry.present += 1;
    if let Some(text) = crate::requirement::scalar_text(value) {
        entry.scalar += 1;
        if looks_like_id_value(&text) {
            entry.id_like += 1;
            let at = entry.distinct.partition_point(|d| *d < text);
            if entry.distinct.get(at) != Some(&text) {
                entry.distinct.insert(at, text.clone());
            }
        }
        if value.is_string() && (text.contains(' ') || text.chars().count() > 3) {
            entry.texty += 1;
        }
    }
}

/// Whether a value could be an id: short, on one line, with few spaces (`REQ-001`, `42`,
/// `req 1@100`, a JSON pointer), unlike a sentence.
pub fn looks_like_id_value(text: &str) -> bool {
    text.len() <= 200 && !text.contains('\n') && text.matches(' ').count() <= 2
}

/// Whether a map key could be a requirement's id: `FR-001`, `REQ-UI-001`, `TEST_01`,
/// `UC-01_Register`, `auth.login`, `7`; not `metadata`, `users` or `BookingController`.
pub fn looks_like_id_key(key: &str) -> bool {
    let key = key.trim();
    if key.is_empty() || key.len() > 80 || key.contains(char::is_whitespace) {
        return false;
    }
    let digit = key.chars().any(|c| c.is_ascii_digit());
    let separated = key.contains(['-', '_', '.']);
    let caps_prefix = key.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let first_part_caps = key
        .split(['-', '_', '.'])
        .next()
        .is_some_and(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_uppercase()));
    // Dotted names such as `auth.login`: two or more parts of letters, digits and `_`.
    let dotted = key.contains('.')
        && key
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    // `FR-001`, `REQ7`, `K0`, `42`; `SEC-AUTH`; not `e2e`, `v2` or `http2`, which are words.
    digit && (key.chars().all(|c| c.is_ascii_digit()) || separated || caps_prefix)
        || separated && first_part_caps
        || dotted
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn detect(members: &[Value]) -> Fields {
        let refs: Vec<&Value> = members.iter().collect();
        Fields::detect(&refs)
    }

    fn keys(paths: &[KeyPath]) -> Vec<String> {
        paths.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn detects_each_vocabulary_family() {
        // (members, id, text, tests, code, evidence, status)
        type Row = (
            Value,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
        );
        let table: Vec<Row> = vec![
            (
                json!([{"id": "REQ-1", "ears": "When x, the system shall y", "tests": ["t.py"], "code": ["c.py"], "status": "proposed"}]),
                "id",
                "ears",
                "tests",
                "code",
                "",
                "status",
            ),
            (
                json!([{"requirementId": "REQ-A11Y-0001", "testIds": ["UT-1"], "phaseIds": []}]),
                "requirementId",
                "",
                "testIds",
                "",
                "",
                "",
            ),
            (
                json!([{"requirement": "#/paths/~1a/get", "source": "_links", "status": "mapped", "verificationMethods": ["Inspection"]}]),
                "requirement",
                "",
                "",
                "",
                "",
                "status",
            ),
            (
                json!([{"id": "bd-1", "title": "A program", "unit_tests": [{"path": "tests/a.rs"}], "e2e_scripts": [{"path": "scripts/e2e.sh"}], "evidence_logs": []}]),
                "id",
                "title",
                "unit_tests, e2e_scripts",
                "",
                "",
                "",
            ),
            (
                json!([{"id": "FEAT-1", "title": "Bootstrap", "status": "verified", "evidence": {"implementation": ["a.mjs"], "tests": ["t.test.mjs"]}}]),
                "id",
                "title",
                "evidence.tests",
                "evidence.implementation",
                "",
                "status",
            ),
            (
                json!([{"ID": "R-1", "Summary": "Short words here", "Implementation Status": "done", "Test Files": ["x"], "Source Files": ["y"]}]),
                "ID",
                "Summary",
                "Test Files",
                "Source Files",
                "",
                "Implementation Status",
            ),
            (
                json!([{"id": "TRC-1", "area": "P", "text": "The evidence set", "evidence": "js-unit", "link": "a.test.js", "status": "draft"}]),
                "id",
                "text",
                "",
                "",
                "evidence, link",
                "status",
            ),
            (
                json!([{"tag": "req 1@100", "name": "Requirement 1", "status": "Status 1"}]),
                "tag",
                "name",
                "",
                "",
                "",
                "status",
            ),
            (
                json!([{"id": "A", "implementation": {"tests": ["t"], "code": ["c"]}, "artifacts": {"code": ["d"]}}]),
                "id",
                "",
                "implementation.tests",
                "implementation.code, artifacts.code",
                "",
                "",
            ),
        ];
        for (members, id, text, tests, code, evidence, status) in table {
            let members = members.as_array().unwrap().clone();
            let f = detect(&members);
            let name = members[0].to_string();
            assert_eq!(
                f.id.first().map(ToString::to_string).unwrap_or_default(),
                id,
                "{name}"
            );
            assert_eq!(
                f.text.first().map(ToString::to_string).unwrap_or_default(),
                text,
                "{name}"
            );
            assert_eq!(keys(&f.tests).join(", "), tests, "{name}");
            assert_eq!(keys(&f.code).join(", "), code, "{name}");
            assert_eq!(keys(&f.evidence).join(", "), evidence, "{name}");
            assert_eq!(
                f.status.map(|s| s.to_string()).unwrap_or_default(),
                status,
                "{name}"
            );
        }
    }

    #[test]
    fn a_sentence_is_text_not_an_id() {
        let f = detect(&[
            json!({"requirement": "The system shall log every login attempt", "uid": "A-1"}),
            json!({"requirement": "The system shall lock after five failures", "uid": "A-2"}),
        ]);
        assert_eq!(keys(&f.id), ["uid"]);
        assert_eq!(keys(&f.text), ["requirement"]);
    }

    #[test]
    fn repeated_values_do_not_make_an_id() {
        let f = detect(&[
            json!({"id": "same"}),
            json!({"id": "same"}),
            json!({"id": "same"}),
        ]);
        assert!(f.id.is_empty());
    }

    #[test]
    fn origin_fields_need_no_confirmation() {
        let f =
            detect(&[json!({"id": "REQ-1", "ears": "x y", "tests": ["t"], "status": "proposed"})]);
        assert!(f.is_origin());
        let f = detect(&[json!({"id": "REQ-1", "title": "x y"})]);
        assert!(!f.is_origin());
    }

    #[test]
    fn a_choice_survives_its_json() {
        let mut f =
            detect(&[json!({"id": "A", "evidence": {"tests": ["t"]}, "status": "x", "a.b": 1})]);
        f.container = Some("versions[\"2.0\"].needs".to_owned());
        f.text = vec![KeyPath::key("a.b")];
        f.chosen = true;
        assert_eq!(Fields::from_json(&f.to_json()), Some(f));
        assert_eq!(Fields::from_json("{}"), Some(Fields::default()));
        assert_eq!(Fields::from_json("[1]"), None);
        assert_eq!(Fields::from_json("not json"), None);
        let odd =
            Fields::from_json(r#"{"id": [["a"], 3, []], "status": "s", "chosen": "yes"}"#).unwrap();
        assert_eq!(
            (odd.id, odd.status, odd.chosen),
            (vec![KeyPath::key("a")], None, false)
        );
    }

    #[test]
    fn id_like_map_keys() {
        for key in [
            "FR-001",
            "REQ-UI-001",
            "TEST_01",
            "UC-01_Register",
            "7",
            "NFR-AI-2",
            "SEC-AUTH",
            "auth.login",
        ] {
            assert!(looks_like_id_key(key), "{key}");
        }
        for key in [
            "metadata",
            "users",
            "BookingController",
            "",
            "a b 1",
            "@playwright/test",
            "scripts",
            "e2e",
            "v2",
        ] {
            assert!(!looks_like_id_key(key), "{key}");
        }
    }
}
