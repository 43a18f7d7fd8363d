//! Editing a requirement in place, creating one and deleting one.
//!
//! Owns: where each part a person edits is written (`Board::edit_key`: the key the requirement
//! already uses, else the one the file's requirements are read from, never a key the board
//! only guessed), the edits themselves (`Edit`, one undoable action each), a new requirement's
//! id (`Board::propose_id`, from the file's own pattern) and its object (`Board::create`: the
//! key order of its neighbours, written in the file's style at the end of their list), and
//! deletion (`Board::delete`: its member and one separator).
//!
//! An edit changes one requirement's value, like a move, so export rewrites only that
//! requirement. A creation or a deletion changes the list itself: the board's export gets the
//! member added or removed (`merge::with_appended`, `merge::with_removed`, the same code that
//! merges a file) and is read again as a new board that remembers the file's text as its base,
//! so a save still merges with what the file holds and undo swaps the whole board back.

use serde_json::{Map, Value};

use super::{Board, EntryIndex, MoveError};
use crate::fields::KeyPath;
use crate::matrix::{Candidate, Matrix};
use std::collections::HashMap;

use crate::requirement::{Card, NAME_KEYS, scalar_text};
use crate::stage::{Stage, is_lifecycle_status, normalize_word};

/// A part of a requirement that its details edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Text,
    Priority,
    Kind,
    Risk,
    Story,
    Tests,
    Code,
    Tasks,
    Notes,
}

impl Part {
    /// The parts chosen from a list of words.
    pub const PICKED: [Part; 4] = [Part::Priority, Part::Kind, Part::Risk, Part::Story];
    /// The parts that are lists of items.
    pub const LISTS: [Part; 4] = [Part::Tests, Part::Code, Part::Tasks, Part::Notes];

    /// The part's name as the details show it.
    pub fn label(self) -> &'static str {
        match self {
            Part::Text => "Text",
            Part::Priority => "Priority",
            Part::Kind => "Type",
            Part::Risk => "Risk level",
            Part::Story => "Story",
            Part::Tests => "Tests",
            Part::Code => "Code",
            Part::Tasks => "Tasks",
            Part::Notes => "Notes",
        }
    }

    /// One item of a list part, for "Add test", "Remove code path REQ…".
    pub fn item(self) -> &'static str {
        match self {
            Part::Tests => "test",
            Part::Code => "code path",
            Part::Tasks => "task",
            Part::Notes => "note",
            _ => "value",
        }
    }

    /// The origin schema's words for a picked part.
    pub fn schema_words(self) -> &'static [&'static str] {
        match self {
            Part::Priority => &["low", "medium", "high", "critical"],
            Part::Kind => &["functional", "non-functional", "constraint"],
            Part::Risk => &["low", "medium", "high"],
            _ => &[],
        }
    }

    /// The origin schema's key for the part.
    fn origin_key(self) -> &'static str {
        match self {
            Part::Text => "ears",
            Part::Priority => "priority",
            Part::Kind => "type",
            Part::Risk => "risk_level",
            Part::Story => "story_id",
            Part::Tests => "tests",
            Part::Code => "code",
            Part::Tasks => "tasks",
            Part::Notes => "notes",
        }
    }
}

/// One change a person makes in a requirement's details: one undoable action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Sets the text or a picked part; `None` removes a picked part's key.
    Set { part: Part, value: Option<String> },
    /// Appends an item to a list.
    Add { list: Part, item: String },
    /// Rewrites item `index` of a list.
    Replace {
        list: Part,
        index: usize,
        item: String,
    },
    /// Removes item `index` of a list.
    Remove { list: Part, index: usize },
    /// Moves item `from` of a list to place `to`.
    Reorder { list: Part, from: usize, to: usize },
    /// Sets `status` to `deprecated`.
    Deprecate,
}

impl Edit {
    /// What the edit does to requirement `id`, for undo's tooltip and the announcement.
    pub fn describe(&self, id: &str) -> String {
        match self {
            Edit::Set { part, value: None } => format!("clear {} of {id}", lower(part.label())),
            Edit::Set { part, .. } => format!("edit {} of {id}", lower(part.label())),
            Edit::Add { list, .. } => format!("add {} to {id}", list.item()),
            Edit::Replace { list, .. } => format!("edit a {} of {id}", list.item()),
            Edit::Remove { list, .. } => format!("remove a {} from {id}", list.item()),
            Edit::Reorder { list, .. } => format!("reorder {} of {id}", lower(list.label())),
            Edit::Deprecate => format!("deprecate {id}"),
        }
    }
}

fn lower(label: &str) -> String {
    label.to_ascii_lowercase()
}

/// A requirement a person creates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewRequirement {
    pub id: String,
    pub text: String,
    pub priority: Option<String>,
    pub kind: Option<String>,
    /// The list it goes into (`Candidate::path`) when the file has several; `None`: the list
    /// of the requirements whose ids share its prefix (`Board::list_for`).
    pub list: Option<String>,
}

/// One item of a requirement's list, as the details show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    pub text: String,
    /// A string, a number, or an object named by a path or name key: an edit in place
    /// rewrites it. Anything else (an object without such a key, `null`) is shown, not edited.
    pub editable: bool,
}

/// One step of a requirement's `tdd_history`, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryStep {
    pub from: String,
    pub to: String,
    pub at: String,
    pub by: String,
    pub note: Option<String>,
}

/// A requirement as the board holds it: changed (an object) or as in the file (its text).
pub(crate) enum HistorySource<'a> {
    Edited(&'a Map<String, Value>),
    Text(&'a str),
}

/// The steps of `tdd_history` in file order; anything in it that is not a step is skipped.
pub fn history(value: &Map<String, Value>) -> Vec<HistoryStep> {
    let Some(Value::Array(steps)) = value.get("tdd_history") else {
        return Vec::new();
    };
    steps
        .iter()
        .filter_map(Value::as_object)
        .map(|step| {
            let text = |key: &str| step.get(key).and_then(scalar_text).unwrap_or_default();
            let note = step.get("note").and_then(scalar_text);
            HistoryStep {
                from: text("from"),
                to: text("to"),
                at: text("at"),
                by: text("by"),
                note,
            }
        })
        .collect()
}

/// How an item of a list reads: a string as written, an object by its path or name, anything
/// else as compact JSON.
pub fn item_text(item: &Value) -> String {
    match item {
        Value::Object(obj) => item_key(obj)
            .and_then(|k| obj.get(k).and_then(scalar_text))
            .unwrap_or_else(|| item.to_string()),
        other => scalar_text(other).unwrap_or_else(|| other.to_string()),
    }
}

/// Whether an edit in place can rewrite `item` without losing what it holds.
fn item_editable(item: &Value) -> bool {
    match item {
        Value::String(_) | Value::Number(_) => true,
        Value::Object(obj) => item_key(obj).is_some(),
        _ => false,
    }
}

/// The key that names an item written as an object (`{"path": …}`), when it has one.
fn item_key(obj: &Map<String, Value>) -> Option<&'static str> {
    ["path", "file", "name", "id", "title", "test"]
        .into_iter()
        .find(|k| obj.get(*k).is_some_and(Value::is_string))
}

/// A value for `text`, of the same kind as `old`: a number stays a number when the new text is
/// one, so `"priority": 2` edited to 3 is written `3`.
fn like(old: Option<&Value>, text: &str) -> Value {
    if let Some(Value::Number(_)) = old
        && let Ok(Value::Number(n)) = serde_json::from_str::<Value>(text)
    {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}

/// Sets the value at `path`, making the objects on the way when they are missing.
fn set_at(value: &mut Map<String, Value>, path: &[String], to: Value) -> Result<(), MoveError> {
    let Some((last, outer)) = path.split_last() else {
        return Err(MoveError::NotEditable("that part"));
    };
    let mut map = value;
    for part in outer {
        let slot = map
            .entry(part.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        match slot {
            Value::Object(inner) => map = inner,
            _ => return Err(MoveError::NotEditable("that part")),
        }
    }
    map.insert(last.clone(), to);
    Ok(())
}

/// The list at `path`, to change in place.
fn list_at<'a>(value: &'a mut Map<String, Value>, path: &KeyPath) -> Option<&'a mut Vec<Value>> {
    let (last, outer) = path.0.split_last()?;
    let mut map = value;
    for part in outer {
        map = map.get_mut(part)?.as_object_mut()?;
    }
    map.get_mut(last)?.as_array_mut()
}

impl Board {
    /// Where a requirement's `tdd_history` is read from: its object when the board changed
    /// it, else its text in the file, so that the flow view can read a large board's
    /// histories without building every object.
    pub(crate) fn history_source(&self, index: EntryIndex) -> Option<HistorySource<'_>> {
        let entry = self.entries.get(index)?;
        match &entry.edited {
            Some(edited) => Some(HistorySource::Edited(edited)),
            None => self.matrix.raw(index).map(HistorySource::Text),
        }
    }

    /// The requirement's JSON object as it stands on the board (changed or as in the file).
    pub fn value(&self, index: EntryIndex) -> Option<Map<String, Value>> {
        self.current_value(index)
    }

    /// Where `part` of entry `index` is written: the key the requirement already uses, else
    /// the key the file's requirements are read from. `None` when the board would have to
    /// guess (a file that does not follow the origin format and has no such key), or when the
    /// key holds something the board cannot edit as that part (a list part that is a string).
    pub fn edit_key(&self, index: EntryIndex, part: Part) -> Option<KeyPath> {
        let value = self.current_value(index)?;
        self.key_in(&value, part)
    }

    fn key_in(&self, value: &Map<String, Value>, part: Part) -> Option<KeyPath> {
        let origin = self.fields.is_origin();
        let fields = &self.fields;
        let own = |paths: Vec<KeyPath>, list: bool| -> Option<KeyPath> {
            let present = |p: &&KeyPath| p.get(value).is_some_and(|v| !v.is_null());
            if let Some(found) = paths.iter().find(present) {
                let fits = match found.get(value) {
                    Some(Value::Array(_)) => list,
                    Some(Value::String(_) | Value::Number(_)) => !list,
                    _ => false,
                };
                return fits.then(|| found.clone());
            }
            paths.first().cloned()
        };
        let or_origin = |path: Option<&KeyPath>| {
            path.cloned()
                .or_else(|| origin.then(|| KeyPath::key(part.origin_key())))
        };
        match part {
            Part::Text => own(fields.text.clone(), false),
            Part::Priority => own(
                or_origin(fields.priority.as_ref()).into_iter().collect(),
                false,
            ),
            Part::Kind => own(or_origin(fields.kind.as_ref()).into_iter().collect(), false),
            Part::Story => own(
                or_origin(fields.story.as_ref()).into_iter().collect(),
                false,
            ),
            Part::Risk => {
                let written = ["risk_level", "risk"]
                    .into_iter()
                    .find(|k| value.contains_key(*k))
                    .map(KeyPath::key);
                own(or_origin(written.as_ref()).into_iter().collect(), false)
            }
            Part::Tests | Part::Code => {
                let paths = if part == Part::Tests {
                    &fields.tests
                } else {
                    &fields.code
                };
                let paths = if paths.is_empty() {
                    or_origin(None).into_iter().collect()
                } else {
                    paths.clone()
                };
                own(paths, true)
            }
            Part::Tasks | Part::Notes => {
                let key = KeyPath::key(part.origin_key());
                let written = key.get(value).is_some();
                own(
                    (written || origin).then_some(key).into_iter().collect(),
                    true,
                )
            }
        }
    }

    /// The items of list `part` as the requirement writes them (not what other containers
    /// link to it), each as it reads.
    pub fn list_items(&self, index: EntryIndex, part: Part) -> Vec<ListItem> {
        let Some(value) = self.current_value(index) else {
            return Vec::new();
        };
        match self
            .key_in(&value, part)
            .and_then(|p| p.get(&value).cloned())
        {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| ListItem {
                    text: item_text(item),
                    editable: item_editable(item),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The value of a picked part or the text, as it reads.
    pub fn part_value(&self, index: EntryIndex, part: Part) -> Option<String> {
        let value = self.current_value(index)?;
        self.key_in(&value, part)?.get(&value).and_then(scalar_text)
    }

    /// The words a picker of `part` offers: those the board's requirements use (in the order
    /// first seen, at most 40), then the schema's that are not among them.
    pub fn choices(&self, part: Part) -> Vec<String> {
        const MOST: usize = 40;
        let mut words: Vec<String> = Vec::new();
        for (_, card) in self.cards() {
            let word = match part {
                Part::Priority => card.priority.as_ref(),
                Part::Kind => card.kind.as_ref(),
                Part::Story => card.story.as_ref(),
                _ => None,
            };
            if let Some(word) = word
                && words.len() < MOST
                && !words.contains(word)
            {
                words.push(word.clone());
            }
        }
        for word in part.schema_words() {
            let norm = normalize_word(word);
            if !words.iter().any(|w| normalize_word(w) == norm) {
                words.push((*word).to_owned());
            }
        }
        words
    }

    /// Makes one edit of entry `index`. Nothing changes on an error.
    pub(crate) fn apply_edit(&mut self, index: EntryIndex, edit: &Edit) -> Result<(), MoveError> {
        let card = self.card(index).ok_or(MoveError::NoSuchCard)?;
        if card.read_only {
            return Err(MoveError::ReadOnly);
        }
        let mut value = self.current_value(index).ok_or(MoveError::NoSuchCard)?;
        let before = value.clone();
        let part = match edit {
            Edit::Set { part, .. } => *part,
            Edit::Add { list, .. }
            | Edit::Replace { list, .. }
            | Edit::Remove { list, .. }
            | Edit::Reorder { list, .. } => *list,
            Edit::Deprecate => Part::Text,
        };
        let key = match edit {
            Edit::Deprecate => self
                .fields
                .status
                .clone()
                .unwrap_or_else(|| KeyPath::key("status")),
            _ => self
                .key_in(&value, part)
                .ok_or(MoveError::NotEditable(part.label()))?,
        };
        match edit {
            Edit::Set { value: None, .. } if part == Part::Text => {
                return Err(MoveError::EmptyText);
            }
            Edit::Set { value: None, .. } => super::follow::set_path(&mut value, &key.0, None),
            Edit::Set {
                value: Some(text), ..
            } => {
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    return Err(if part == Part::Text {
                        MoveError::EmptyText
                    } else {
                        MoveError::EmptyItem
                    });
                }
                // The text keeps its own line breaks; a picked word has none around it.
                let text = if part == Part::Text {
                    text.trim_end()
                } else {
                    trimmed
                };
                // A browser's text box gives line breaks as LF; a text written with CRLF
                // keeps CRLF.
                let crlf = key
                    .get(&value)
                    .and_then(Value::as_str)
                    .is_some_and(|old| old.contains("\r\n"));
                let text = if crlf && !text.contains("\r\n") {
                    text.replace('\n', "\r\n")
                } else {
                    text.to_owned()
                };
                let new = like(key.get(&value), &text);
                set_at(&mut value, &key.0, new)?;
            }
            Edit::Add { item, .. } => {
                let item = item.trim();
                if item.is_empty() {
                    return Err(MoveError::EmptyItem);
                }
                if key.get(&value).is_none_or(Value::is_null) {
                    set_at(&mut value, &key.0, Value::Array(Vec::new()))?;
                }
                let list = list_at(&mut value, &key).ok_or(MoveError::NotEditable(part.label()))?;
                // Written as its neighbours are: `{"path": …}` beside objects with a path.
                let shaped = match list.last().and_then(Value::as_object).and_then(item_key) {
                    Some(k) => {
                        let mut obj = Map::new();
                        obj.insert(k.to_owned(), item.into());
                        Value::Object(obj)
                    }
                    None => Value::String(item.to_owned()),
                };
                list.push(shaped);
            }
            Edit::Replace {
                index: at, item, ..
            } => {
                let item = item.trim();
                if item.is_empty() {
                    return Err(MoveError::EmptyItem);
                }
                let list = list_at(&mut value, &key).ok_or(MoveError::NotEditable(part.label()))?;
                let slot = list.get_mut(*at).ok_or(MoveError::NoSuchItem)?;
                if !item_editable(slot) {
                    return Err(MoveError::NotEditable("That item"));
                }
                match slot {
                    Value::Object(obj) => match item_key(obj) {
                        Some(k) => {
                            obj.insert(k.to_owned(), item.into());
                        }
                        None => *slot = Value::String(item.to_owned()),
                    },
                    other => *other = like(Some(other), item),
                }
            }
            Edit::Remove { index: at, .. } => {
                let list = list_at(&mut value, &key).ok_or(MoveError::NotEditable(part.label()))?;
                if *at >= list.len() {
                    return Err(MoveError::NoSuchItem);
                }
                list.remove(*at);
            }
            Edit::Reorder { from, to, .. } => {
                let list = list_at(&mut value, &key).ok_or(MoveError::NotEditable(part.label()))?;
                if *from >= list.len() || *to >= list.len() {
                    return Err(MoveError::NoSuchItem);
                }
                let item = list.remove(*from);
                list.insert(*to, item);
            }
            Edit::Deprecate => {
                let already = key
                    .get(&value)
                    .and_then(scalar_text)
                    .is_some_and(|s| normalize_word(&s) == "deprecated");
                if already {
                    return Err(MoveError::NoChange);
                }
                set_at(&mut value, &key.0, "deprecated".into())?;
            }
        }
        if value == before {
            return Err(MoveError::NoChange);
        }
        self.set_value(index, value);
        Ok(())
    }

    /// The id a new requirement gets unless a person writes another: the next free number
    /// after the highest of the file's most common pattern (`REQ-013` after `REQ-012`, with
    /// its zero padding; `AUTH-4` after `AUTH-3`), `REQ-001` in a file without one.
    pub fn propose_id(&self) -> String {
        // (prefix, ids with it, highest number, its digit count)
        let mut patterns: Vec<(String, usize, u64, usize)> = Vec::new();
        for (_, card) in self.cards() {
            let id = card.id.as_str();
            let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 18 {
                continue;
            }
            let (prefix, number) = id.split_at(id.len() - digits);
            let number: u64 = number.parse().unwrap_or(0);
            match patterns.iter_mut().find(|p| p.0 == prefix) {
                Some(p) => {
                    p.1 += 1;
                    if number >= p.2 {
                        (p.2, p.3) = (number, digits);
                    }
                }
                None => patterns.push((prefix.to_owned(), 1, number, digits)),
            }
        }
        let (prefix, _, mut number, width) =
            patterns
                .into_iter()
                .max_by_key(|p| p.1)
                .unwrap_or(("REQ-".to_owned(), 0, 0, 3));
        loop {
            number = number.saturating_add(1);
            let id = format!("{prefix}{number:0width$}");
            if self.find(&id).is_none() || number == u64::MAX {
                return id;
            }
        }
    }

    /// The board with `new` appended to the list of the board's last requirement, written as
    /// its neighbours are. The id must be new.
    pub fn create(&self, new: &NewRequirement) -> Result<Board, MoveError> {
        let id = new.id.trim();
        if id.is_empty() {
            return Err(MoveError::EmptyId);
        }
        if self.find(id).is_some() {
            return Err(MoveError::DuplicateId(id.to_owned()));
        }
        if new.text.trim().is_empty() {
            return Err(MoveError::EmptyText);
        }
        // A file without ids gets none: the new requirement is named as the others are.
        if self.fields.id.is_empty()
            && !self.matrix.shape().chosen().any(|c| c.is_map)
            && !self.named_like_the_others(id)
        {
            return Err(MoveError::IdForm(self.propose_id()));
        }
        let matrix = self.exported_matrix()?;
        let path = match &new.list {
            Some(list) if self.lists().contains(list) => list.clone(),
            _ => self.list_for(id).ok_or(MoveError::NoPlace)?,
        };
        let container = matrix
            .shape()
            .candidates
            .iter()
            .find(|c| c.path == path)
            .ok_or(MoveError::NoPlace)?;
        let text = new.text.trim_end();
        let mut raw = String::new();
        if container.is_text_map() {
            raw = serde_json::to_string(text).map_err(|_| MoveError::NoPlace)?;
        } else {
            // The last object of the same list shows how its members are written.
            let neighbour = (0..matrix.entries().len()).rev().find_map(|i| {
                let entry = &matrix.entries()[i];
                if entry.position.container != path {
                    return None;
                }
                match serde_json::from_str(matrix.raw(i)?) {
                    Ok(Value::Object(obj)) => Some((i, obj)),
                    _ => None,
                }
            });
            let object = self.new_object(neighbour.as_ref().map(|n| &n.1), new, container);
            match neighbour {
                Some((i, _)) => matrix.render_entry(i, &object, &mut raw),
                None => raw = first_member(&matrix, container, &object),
            }
        }
        let key = container.is_map.then_some(id);
        let text =
            crate::merge::with_appended(&matrix, &path, key, &raw).ok_or(MoveError::NoPlace)?;
        self.rebuilt(text)
    }

    /// Whether `id` is a name the board gives in a file without ids: `#4`, or the naming
    /// key and a value (`scenario 4`) when the others are named so.
    fn named_like_the_others(&self, id: &str) -> bool {
        if let Some(n) = id.strip_prefix('#') {
            return !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
        }
        let Some((key, value)) = id.split_once(' ') else {
            return false;
        };
        !value.trim().is_empty()
            && NAME_KEYS.contains(&key)
            && self
                .cards()
                .any(|(_, c)| c.id.as_str().split_once(' ').is_some_and(|(k, _)| k == key))
    }

    /// The lists the board reads requirements from (`Candidate::path`), in file order.
    pub fn lists(&self) -> Vec<String> {
        let mut lists: Vec<String> = Vec::new();
        for entry in self.matrix.entries() {
            if !lists.contains(&entry.position.container) {
                lists.push(entry.position.container.clone());
            }
        }
        if lists.is_empty() {
            lists.extend(self.matrix.shape().chosen().map(|c| c.path.clone()));
        }
        lists
    }

    /// The list a new requirement `id` goes into: that of the last requirement whose id has
    /// the same prefix (`FR-` for `FR-12`), else that of the last requirement.
    pub fn list_for(&self, id: &str) -> Option<String> {
        let prefix = |id: &str| id.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned();
        let wanted = prefix(id);
        let entries = self.matrix.entries();
        let same = self
            .cards()
            .filter(|(_, c)| !wanted.is_empty() && prefix(c.id.as_str()) == wanted)
            .last()
            .and_then(|(i, _)| entries.get(i));
        same.or(entries.last())
            .map(|e| e.position.container.clone())
            .or_else(|| self.lists().into_iter().next())
    }

    /// Whether a new requirement can have `part` (priority, type) written: its list's
    /// requirements have a key for it, or the file follows the origin format.
    pub fn new_can_have(&self, part: Part) -> bool {
        let last = self.matrix.entries().len().checked_sub(1);
        let value = last.and_then(|i| self.file_value(i)).unwrap_or_default();
        self.key_in(&value, part).is_some()
    }

    /// The object of a new requirement: the keys its neighbour has that the board fills in
    /// (id, text, priority, type, an empty list for each list, the first stage), in the
    /// neighbour's order, then the ones the neighbour lacks.
    fn new_object(
        &self,
        neighbour: Option<&Map<String, Value>>,
        new: &NewRequirement,
        container: &Candidate,
    ) -> Map<String, Value> {
        let empty = Map::new();
        let like_this = neighbour.unwrap_or(&empty);
        let id = new.id.trim();
        let mut parts: Vec<(KeyPath, Value)> = Vec::new();
        // A map keyed by id keeps the id in the key; the value repeats it when its
        // neighbours do.
        let id_key = self
            .fields
            .id
            .iter()
            .find(|p| p.get(like_this).is_some())
            .or_else(|| self.fields.id.first().filter(|_| !container.is_map))
            .cloned();
        match id_key {
            Some(key) => parts.push((key.clone(), like(key.get(like_this), id))),
            // A file whose objects have no id: the board names them by a key they share
            // ("scenario 3") or by place ("#3"). The new one gets that key's value, or nothing;
            // the board's name for it is never written as an id.
            None if !container.is_map => {
                let named = id
                    .split_once(' ')
                    .filter(|(key, _)| NAME_KEYS.contains(key) && like_this.contains_key(*key));
                let by_place = id
                    .strip_prefix('#')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                // `create` took only these two forms.
                if let (Some((key, value)), false) = (named, by_place) {
                    let key = KeyPath::key(key);
                    parts.push((key.clone(), like(key.get(like_this), value.trim())));
                }
            }
            None => {}
        }
        let text_key = self
            .key_in(like_this, Part::Text)
            .unwrap_or_else(|| KeyPath::key(Part::Text.origin_key()));
        parts.push((text_key, new.text.trim_end().into()));
        for (part, word) in [(Part::Priority, &new.priority), (Part::Kind, &new.kind)] {
            let word = word.as_deref().map(str::trim).filter(|w| !w.is_empty());
            if let (Some(word), Some(key)) = (word, self.key_in(like_this, part)) {
                parts.push((key.clone(), like(key.get(like_this), word)));
            }
        }
        // What a requirement in Backlog says, where its neighbour says it.
        let said = |key: &str| like_this.get(key).and_then(Value::as_str);
        if said("status").is_some_and(|s| is_lifecycle_status(&normalize_word(s))) {
            parts.push((
                KeyPath::key("status"),
                Stage::Backlog.lifecycle_status().into(),
            ));
        }
        if said("governance_status").is_some() {
            parts.push((KeyPath::key("governance_status"), "not_reviewed".into()));
        }
        if said("tdd_stage").is_some() {
            parts.push((KeyPath::key("tdd_stage"), Stage::Backlog.key().into()));
        }
        let mut lists: Vec<KeyPath> = self
            .fields
            .tests
            .iter()
            .chain(&self.fields.code)
            .cloned()
            .collect();
        for key in crate::requirement::ORIGIN_LISTS {
            lists.push(KeyPath::key(key));
        }
        for key in lists {
            if matches!(key.get(like_this), Some(Value::Array(_)))
                && !parts.iter().any(|(k, _)| *k == key)
            {
                parts.push((key, Value::Array(Vec::new())));
            }
        }
        // The neighbour's order first: each of its keys that a part starts with.
        let mut object = Map::new();
        for key in like_this.keys() {
            for (path, value) in &parts {
                if path.0.first() == Some(key) {
                    let _ = set_at(&mut object, &path.0, value.clone());
                }
            }
        }
        for (path, value) in parts {
            if path.get(&object).is_none() {
                let _ = set_at(&mut object, &path.0, value);
            }
        }
        object
    }

    /// The board without entry `index`: its member and one separator leave the file.
    pub fn delete(&self, index: EntryIndex) -> Result<Board, MoveError> {
        self.entries.get(index).ok_or(MoveError::NoSuchCard)?;
        let matrix = self.exported_matrix()?;
        if matrix.entries().len() != self.entries.len() {
            return Err(MoveError::NoPlace);
        }
        let text = crate::merge::with_removed(&matrix, index);
        self.rebuilt(text).map_err(|e| match e {
            MoveError::NoPlace if self.len() == 1 => MoveError::LastRequirement,
            other => other,
        })
    }

    /// The board's export, read again where the board reads its requirements.
    pub(super) fn exported_matrix(&self) -> Result<Matrix, MoveError> {
        Matrix::parse_in_style(
            self.export().into_bytes(),
            self.fields.container.as_deref(),
            Some(self.matrix.style()),
        )
        .map_err(|_| MoveError::NoPlace)
    }

    /// A board of this file reading `text`, in the file's style: the file's text stays its
    /// base, what differs from it is unsaved, and the open conflicts stay on their cards.
    pub(super) fn rebuilt(&self, text: String) -> Result<Board, MoveError> {
        let (mut board, _) = Board::import_in(
            &self.file_name,
            text.into_bytes(),
            Some(&self.fields),
            Some(self.matrix.style()),
        )
        .map_err(|_| MoveError::NoPlace)?;
        board.origin = self.origin;
        let base = self.base_text();
        if board.matrix.text() != base {
            board.disk = Some(base.to_owned());
            board.recount();
        }
        board.mark_conflicts(self.open_conflicts());
        Ok(board)
    }

    /// Counts again what differs from the file's text as last read or written (`disk`):
    /// `carried_entries` and `carried` (see `against`).
    pub(super) fn recount(&mut self) {
        if let Some(disk) = self.disk.take() {
            let (differs, removed) = self.against(&disk);
            self.carried_entries = differs;
            self.carried = removed;
            self.disk = Some(disk);
        }
    }

    /// Which entries differ from `base`, the file's text (changed or added), and how many of
    /// its requirements the board no longer has: requirements are paired by their exact text,
    /// then by id.
    fn against(&self, base: &str) -> (Vec<bool>, usize) {
        let n = self.entries.len();
        let Ok(old) = Matrix::parse_in_style(
            base.as_bytes().to_vec(),
            self.fields.container.as_deref(),
            Some(self.matrix.style()),
        ) else {
            return (vec![true; n], 0);
        };
        let mut by_text: HashMap<(Option<&str>, &str), Vec<usize>> = HashMap::new();
        for i in (0..old.entries().len()).rev() {
            by_text.entry(old.member(i)).or_default().push(i);
        }
        let mut differs = vec![false; n];
        for (j, slot) in differs.iter_mut().enumerate() {
            *slot = by_text
                .get_mut(&self.matrix.member(j))
                .and_then(Vec::pop)
                .is_none();
        }
        let ids: Vec<&str> = (0..n)
            .filter(|&j| differs[j])
            .filter_map(|j| self.card(j).map(|c| c.id.as_str()))
            .collect();
        let removed = by_text
            .into_values()
            .flatten()
            .filter(|&i| {
                let key = old.entries().get(i).and_then(|e| e.key());
                let id = old
                    .raw(i)
                    .and_then(|raw| serde_json::from_str::<Value>(raw).ok())
                    .and_then(|v| Card::read_with(&self.fields, key, &v, None).ok())
                    .map(|c| c.id.to_string());
                !id.is_some_and(|id| ids.contains(&id.as_str()))
            })
            .count();
        (differs, removed)
    }
}

/// A first member for an empty container: written in the file's style one level inside it.
fn first_member(matrix: &Matrix, container: &Candidate, object: &Map<String, Value>) -> String {
    let text = matrix.text();
    let start = container.span.start;
    let mut out = String::new();
    let pretty = matrix.style().indent_unit().is_some();
    let raw = if pretty { "{\n}" } else { "{}" };
    matrix.style().render(text, start, raw, object, &mut out);
    match matrix.style().indent_unit() {
        Some(unit) => out.replace('\n', &format!("\n{unit}")),
        None => out,
    }
}

#[cfg(test)]
mod tests;
