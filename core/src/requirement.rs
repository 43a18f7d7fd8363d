//! A requirement as the board sees it: a `Card` read leniently from one JSON object.
//!
//! This module owns the reading of every field variant PRODUCT.md lists (ids as strings or
//! numbers or map keys, text under several names, tests as strings or objects, status words
//! in any case), the inference of a stage for files without `tdd_stage`, and how objects
//! without an id are named (`NAME_KEYS`, `choose_naming`). It never writes JSON: changing a
//! requirement is `board`'s job, and the file's bytes are `matrix`'s.

use std::fmt;

use serde_json::{Map, Value};

use crate::fields::{Fields, KeyPath};
use crate::stage::{GateFacts, Stage, normalize_word};
use crate::vocabulary::{
    ID_KEYS, KIND_KEYS, OWNER_KEYS, PATH_KEYS, PRIORITY_KEYS, PathKind, STATUS_KEYS, STORY_KEYS,
    StatusFamily, TEXT_KEYS, normalize_key, path_kind,
};

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
    pub owner: Option<String>,
    pub story: Option<String>,
    /// `risk_level` (or `risk`) as the file writes it.
    pub risk: Option<String>,
    /// The requirement is a plain text in the file (a map of texts keyed by id): it shows,
    /// but a move would have to rewrite its shape, so it cannot move.
    pub read_only: bool,
    /// The status word is not in the board's table (`vocabulary::STATUS_WORDS`): shown and
    /// kept, never guessed.
    pub unknown_status: bool,
    /// How many tasks its `tasks` list holds; `None` when it has no such list.
    pub tasks: Option<usize>,
    /// Where it breaks the origin schema's types: "tests is a string, not a list".
    pub schema: Vec<String>,
    /// A forward move in its history that skipped a stage the gates require, with no override
    /// note: "Test written → Green".
    pub skipped: Option<String>,
    /// What the stage is worked out from again when links arrive.
    facts: Facts,
}

/// What a card's stage is inferred from, beyond what the card shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Facts {
    /// `governance_status` is approved.
    approved: bool,
    /// `tdd_history` has a move to Red, to Green.
    history: (bool, bool),
    /// The file writes a stage the board reads: nothing is inferred.
    written: bool,
    /// The `at` of the last `tdd_history` step into each stage, Backlog first.
    entered: [Option<String>; 5],
    /// The reason already given (a `tdd_stage` that is not a stage, a plain text) stays.
    keep_reason: bool,
}

/// Tests, code and statuses another container of the file gives a requirement (a `coverage`
/// map keyed by its id, a `links` list naming it), read at import and shown on its card.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Linked {
    pub tests: Vec<String>,
    pub code: Vec<String>,
    pub statuses: Vec<String>,
    /// The containers they came from, as "coverage" or "acceptance".
    pub from: Vec<String>,
}

impl Linked {
    pub fn is_empty(&self) -> bool {
        self.tests.is_empty() && self.code.is_empty() && self.statuses.is_empty()
    }

    /// Adds what one linked value says: an object's tests, code and status (by the alias
    /// tables), or paths sorted by their shape. Returns whether it added anything.
    pub fn add(&mut self, from: &str, value: &Value) -> bool {
        let before = (self.tests.len(), self.code.len(), self.statuses.len());
        match value {
            Value::Object(obj) => {
                let fields = Fields::default();
                let mut tests = Vec::new();
                let mut code = Vec::new();
                read_links(&fields, value, &mut tests, &mut code);
                push_unique(&mut self.tests, tests);
                push_unique(&mut self.code, code);
                if let Some(status) = first_alias(obj, STATUS_KEYS, None) {
                    self.statuses.push(status);
                }
            }
            other => {
                let mut tests = Vec::new();
                let mut code = Vec::new();
                sort_paths(paths(Some(other)), &mut tests, &mut code);
                push_unique(&mut self.tests, tests);
                push_unique(&mut self.code, code);
            }
        }
        let after = (self.tests.len(), self.code.len(), self.statuses.len());
        if after != before && !self.from.iter().any(|f| f == from) {
            self.from.push(from.to_owned());
        }
        after != before
    }
}

/// Appends the items not in `into` yet. Past a few hundred, items are appended as they come:
/// looking each up would cost the square of a list that long.
fn push_unique(into: &mut Vec<String>, items: Vec<String>) {
    for item in items {
        if into.len() >= 256 || !into.contains(&item) {
            into.push(item);
        }
    }
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
                ID_KEYS
                    .iter()
                    .take(5)
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl Card {
    /// Reads a card from a requirement value with the board's own choice of fields (every
    /// alias of `vocabulary`). `name` is its id when the value has none of its own: its key
    /// when the file keeps requirements in a map keyed by id, or the name the board gave an
    /// object without an id (`choose_naming`).
    pub fn read(name: Option<&str>, value: &Value) -> Result<Card, EntryProblem> {
        Card::read_with(&Fields::default(), name, value, None)
    }

    /// Reads a card through `fields`, with what other containers link to it.
    pub fn read_with(
        fields: &Fields,
        name: Option<&str>,
        value: &Value,
        linked: Option<&Linked>,
    ) -> Result<Card, EntryProblem> {
        let mut card = Card::read_unfinished(fields, name, value)?;
        card.finish(linked);
        Ok(card)
    }

    /// Adds what other containers link to the card and works out its stage, unless the file
    /// wrote one.
    pub(crate) fn finish(&mut self, linked: Option<&Linked>) {
        if let Some(linked) = linked {
            for (into, items) in [
                (&mut self.tests, &linked.tests),
                (&mut self.code, &linked.code),
            ] {
                for item in items {
                    if into.len() >= 256 || !into.contains(item) {
                        into.push(item.clone());
                    }
                }
            }
        }
        self.infer(linked);
    }

    /// A card read as the file writes it, before its links and its inferred stage:
    /// `Board::import` reads every card, then joins, then `finish`es each once.
    pub(crate) fn read_unfinished(
        fields: &Fields,
        name: Option<&str>,
        value: &Value,
    ) -> Result<Card, EntryProblem> {
        let obj = match value {
            Value::Object(obj) => obj,
            Value::String(text) if name.is_some_and(|n| !n.trim().is_empty()) => {
                return Ok(Card::text_only(name.unwrap_or_default(), text));
            }
            other => {
                return Err(EntryProblem::NotAnObject {
                    found: json_kind(other),
                });
            }
        };
        let auto = !fields.chosen;
        let id_key = fields
            .id
            .iter()
            .find(|p| p.get(obj).and_then(scalar_text).is_some());
        let id = id_key
            .and_then(|p| p.get(obj).and_then(scalar_text))
            .or_else(|| auto.then(|| first_alias(obj, ID_KEYS, None)).flatten())
            .or_else(|| name.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()))
            .ok_or(EntryProblem::NoId)?;
        let id_key_name = id_key.and_then(|p| p.0.first().cloned());
        let text = fields
            .text
            .iter()
            .find_map(|p| p.get(obj).and_then(scalar_text))
            .or_else(|| {
                auto.then(|| first_alias(obj, TEXT_KEYS, id_key_name.as_deref()))
                    .flatten()
            })
            .unwrap_or_default();
        let mut tests = Vec::new();
        let mut code = Vec::new();
        read_links(fields, value, &mut tests, &mut code);
        // With fields detected from the file, a part it has no key for is not looked for in
        // every object again (that scan is most of an import's time at 10,000); only the
        // board's own reading of a lone object (`Card::read`) looks through every alias.
        let scan = auto && *fields == Fields::default();
        let one = |path: &Option<KeyPath>, aliases: &[&str]| -> Option<String> {
            match path {
                Some(p) => p.get(obj).and_then(scalar_text),
                None if scan => first_alias(obj, aliases, None),
                None => None,
            }
        };
        // The origin format's `status` is read wherever a requirement has it, even when the
        // sample the fields came from had none; a person's choice of "no status" holds.
        let status = one(&fields.status, STATUS_KEYS).or_else(|| {
            (auto && fields.status.is_none())
                .then(|| obj.get("status").and_then(scalar_text))
                .flatten()
        });
        let family = status.as_deref().and_then(StatusFamily::of);
        let (was_red, was_green, last_move, skipped, entered) =
            read_history(obj.get("tdd_history"));
        let tasks = obj.get("tasks").and_then(Value::as_array).map(Vec::len);
        let schema = schema_problems(obj);
        let approved = obj
            .get("governance_status")
            .and_then(scalar_text)
            .is_some_and(|g| normalize_word(&g) == "approved");
        let written = obj.get("tdd_stage").and_then(scalar_text);
        let (stage, inferred, keep_reason) = match written.as_deref().map(|w| (w, Stage::parse(w)))
        {
            Some((_, Some(stage))) => (Some(stage), None, false),
            Some((word, None)) => (
                None,
                Some(format!(
                    "tdd_stage \"{word}\" is not a stage; inferred from its fields"
                )),
                true,
            ),
            None => (None, None, false),
        };
        let card = Card {
            id: ReqId(id),
            text,
            priority: one(&fields.priority, PRIORITY_KEYS),
            kind: one(&fields.kind, KIND_KEYS),
            deprecated: family == Some(StatusFamily::Deprecated),
            was_red,
            was_green,
            tests,
            code,
            stage: stage.unwrap_or(Stage::Backlog),
            inferred,
            unknown_status: status.is_some() && family.is_none(),
            status,
            last_move,
            history_not_a_list: !matches!(
                obj.get("tdd_history"),
                None | Some(Value::Null) | Some(Value::Array(_))
            ),
            owner: one(&fields.owner, OWNER_KEYS),
            story: one(&fields.story, STORY_KEYS),
            risk: ["risk_level", "risk"]
                .into_iter()
                .find_map(|k| obj.get(k).and_then(scalar_text)),
            read_only: false,
            tasks,
            schema,
            skipped,
            facts: Facts {
                approved,
                history: (was_red, was_green),
                written: stage.is_some(),
                keep_reason,
                entered,
            },
        };
        Ok(card)
    }

    /// Works out the stage of a card whose file writes none, from its status word (or, with
    /// none, the least advanced status of what links to it), its tests and its code.
    fn infer(&mut self, linked: Option<&Linked>) {
        if !self.facts.written {
            let family = self.status.as_deref().and_then(StatusFamily::of);
            let linked_family = linked.filter(|_| self.status.is_none()).and_then(|l| {
                l.statuses
                    .iter()
                    .filter_map(|s| StatusFamily::of(s))
                    .filter(|f| *f != StatusFamily::Deprecated)
                    .min()
            });
            let (t, c) = (!self.tests.is_empty(), !self.code.is_empty());
            self.stage = match family.or(linked_family) {
                Some(f) => f.stage(t, c, self.facts.approved),
                None if t => Stage::TestWritten,
                None => Stage::Backlog,
            };
            if !self.facts.keep_reason {
                self.inferred = Some(inference_reason(
                    self.status.as_deref(),
                    family,
                    linked.filter(|_| linked_family.is_some()),
                    &self.tests,
                    &self.code,
                ));
            }
        }
        self.was_red = self.facts.history.0 || self.stage == Stage::Red;
        self.was_green = self.facts.history.1 || self.stage == Stage::Green;
    }

    /// A requirement that is only a text under its id: shown, never moved.
    fn text_only(id: &str, text: &str) -> Card {
        Card {
            id: ReqId(id.trim().to_owned()),
            text: text.trim().to_owned(),
            priority: None,
            kind: None,
            stage: Stage::Backlog,
            tests: Vec::new(),
            code: Vec::new(),
            inferred: Some(
                "A plain text in the file, with nowhere to record a stage: read-only".to_owned(),
            ),
            status: None,
            deprecated: false,
            was_red: false,
            was_green: false,
            last_move: None,
            history_not_a_list: false,
            owner: None,
            story: None,
            risk: None,
            read_only: true,
            unknown_status: false,
            tasks: None,
            schema: Vec::new(),
            skipped: None,
            facts: Facts {
                keep_reason: true,
                ..Facts::default()
            },
        }
    }

    /// When the card entered its current stage: the `at` of the last `tdd_history` step into
    /// it, as the file writes it; `None` when no step records it.
    pub fn stage_since(&self) -> Option<&str> {
        self.facts.entered[self.stage.index()].as_deref()
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

fn inference_reason(
    status: Option<&str>,
    family: Option<StatusFamily>,
    linked: Option<&Linked>,
    tests: &[String],
    code: &[String],
) -> String {
    let links = format!(
        "{} test{} and {} code path{}",
        tests.len(),
        if tests.len() == 1 { "" } else { "s" },
        code.len(),
        if code.len() == 1 { "" } else { "s" },
    );
    match (status, family, linked) {
        (Some(s), Some(f), _) => {
            format!(
                "Stage inferred from status \"{s}\" ({}), {links}",
                f.describe()
            )
        }
        (Some(s), None, _) => format!(
            "Stage inferred from {links}; status \"{s}\" is not a word the board knows, so it \
             is shown and kept as written"
        ),
        (None, _, Some(linked)) => {
            let words: Vec<String> = linked
                .statuses
                .iter()
                .take(4)
                .map(|s| format!("\"{s}\""))
                .collect();
            format!(
                "Stage inferred from the status of its linked {} ({}), {links}",
                linked.from.join(" and "),
                words.join(", ")
            )
        }
        (None, _, None) => format!("Stage inferred from no status, {links}"),
    }
}

/// The first key of `obj` whose name is one of `aliases` (in their order) with a string or
/// number, leaving out `except`.
fn first_alias(obj: &Map<String, Value>, aliases: &[&str], except: Option<&str>) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for (key, value) in obj {
        if Some(key.as_str()) == except {
            continue;
        }
        let normalized = normalize_key(key);
        let Some(rank) = aliases.iter().position(|a| *a == normalized) else {
            continue;
        };
        if best.as_ref().is_some_and(|(r, _)| *r <= rank) {
            continue;
        }
        if let Some(text) = scalar_text(value) {
            best = Some((rank, text));
        }
    }
    best.map(|(_, text)| text)
}

/// Reads the tests and code of `obj` through `fields`; with the board's own choice, every
/// alias key of the object.
fn read_links(fields: &Fields, value: &Value, tests: &mut Vec<String>, code: &mut Vec<String>) {
    let Value::Object(obj) = value else {
        return;
    };
    // The fields' own lists, borrowed; only a lone object's detection makes new ones.
    let detected;
    let (test_paths, code_paths, evidence_paths): (&[KeyPath], &[KeyPath], &[KeyPath]) =
        if *fields == Fields::default() {
            // A lone object read the board's own way (or a member another container links):
            // its own keys decide.
            detected = Fields::detect(&[value]);
            (&detected.tests, &detected.code, &detected.evidence)
        } else {
            (&fields.tests, &fields.code, &fields.evidence)
        };
    // Fields detected from a sample: the origin format's own keys are read wherever a
    // requirement has them, even when the sample had none.
    let origin_tests = KeyPath::key("tests");
    let origin_code = KeyPath::key("code");
    let test_paths: &[KeyPath] =
        if test_paths.is_empty() && !fields.chosen && obj.contains_key("tests") {
            std::slice::from_ref(&origin_tests)
        } else {
            test_paths
        };
    let code_paths: &[KeyPath] =
        if code_paths.is_empty() && !fields.chosen && obj.contains_key("code") {
            std::slice::from_ref(&origin_code)
        } else {
            code_paths
        };
    for path in test_paths {
        push_unique(tests, paths(path.get(obj)));
    }
    for path in code_paths {
        push_unique(code, paths(path.get(obj)));
    }
    for path in evidence_paths {
        let mut t = Vec::new();
        let mut c = Vec::new();
        sort_paths(paths(path.get(obj)), &mut t, &mut c);
        push_unique(tests, t);
        push_unique(code, c);
    }
}

/// Sorts paths into tests and code by their shape, leaving out what is not a path.
fn sort_paths(items: Vec<String>, tests: &mut Vec<String>, code: &mut Vec<String>) {
    for item in items {
        let into = match path_kind(&item) {
            PathKind::Test => &mut *tests,
            PathKind::Code => &mut *code,
            PathKind::Other => continue,
        };
        if into.len() >= 256 || !into.contains(&item) {
            into.push(item);
        }
    }
}

/// Reads `tdd_history` for whether the card was ever Red or Green, and its last move.
/// What a `tdd_history` says: whether the card was Red, Green, its last move (by, at), and
/// the first forward move that skipped Red before Green or Green before Reviewed with no note.
type History = (
    bool,
    bool,
    Option<(String, String)>,
    Option<String>,
    [Option<String>; 5],
);

fn read_history(history: Option<&Value>) -> History {
    let Some(Value::Array(moves)) = history else {
        return (false, false, None, None, Default::default());
    };
    let mut entered: [Option<String>; 5] = Default::default();
    let mut was_red = false;
    let mut was_green = false;
    let mut skipped = None;
    for step in moves {
        let stage = |key: &str| {
            step.get(key)
                .and_then(scalar_text)
                .as_deref()
                .and_then(Stage::parse)
        };
        let (from, to) = (stage("from"), stage("to"));
        if let (Some(to), Some(at)) = (to, step.get("at").and_then(scalar_text)) {
            entered[to.index()] = Some(at);
        }
        match to {
            Some(Stage::Red) => was_red = true,
            Some(Stage::Green) => was_green = true,
            _ => {}
        }
        let skips = |from: Stage, to: Stage| {
            from < to
                && ((to == Stage::Green && from != Stage::Red)
                    || (to == Stage::Reviewed && from != Stage::Green))
        };
        if let (Some(from), Some(to), None) = (from, to, skipped.as_ref())
            && skips(from, to)
            && step.get("note").and_then(scalar_text).is_none()
        {
            skipped = Some(format!("{from} → {to}"));
        }
    }
    let last_move = moves.last().map(|step| {
        let field = |k: &str| step.get(k).and_then(scalar_text).unwrap_or_default();
        (field("by"), field("at"))
    });
    (was_red, was_green, last_move, skipped, entered)
}

/// The origin schema's lists of a requirement (arrays of strings).
pub const ORIGIN_LISTS: [&str; 6] = [
    "tests",
    "code",
    "tasks",
    "notes",
    "ux_artifacts",
    "arch_artifacts",
];

/// Where a requirement object breaks the origin schema's types: its lists that are not lists,
/// its words that are not texts.
fn schema_problems(obj: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    for key in ORIGIN_LISTS {
        match obj.get(key) {
            None | Some(Value::Null | Value::Array(_)) => {}
            Some(other) => problems.push(format!("{key} is a {}, not a list", json_kind(other))),
        }
    }
    for key in [
        "ears",
        "priority",
        "type",
        "status",
        "risk_level",
        "governance_status",
    ] {
        match obj.get(key) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(other) => problems.push(format!("{key} is a {}, not a text", json_kind(other))),
        }
    }
    problems
}

/// Paths from a `tests` or `code` value: a list of strings or of objects with a path, or
/// a single string. Several paths in one string, separated by `;`, are several paths.
fn paths(value: Option<&Value>) -> Vec<String> {
    // An object's path is under the first of `PATH_KEYS` it has; each key is normalized once.
    let one = |v: &Value| match v {
        Value::Object(o) => o
            .iter()
            .filter_map(|(key, v)| {
                let key = normalize_key(key);
                let rank = PATH_KEYS.iter().position(|k| *k == key)?;
                Some((rank, scalar_text(v)?))
            })
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, text)| text),
        other => scalar_text(other),
    };
    let mut out = Vec::new();
    let mut push = |text: String| {
        if text.contains(';') {
            out.extend(
                text.split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned),
            );
        } else if !text.is_empty() {
            out.push(text);
        }
    };
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(one).for_each(&mut push),
        Some(v) => one(v).into_iter().for_each(&mut push),
        None => {}
    }
    out
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
