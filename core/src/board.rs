//! The board: an imported matrix, its cards, and the one place where a card changes.
//!
//! This module owns the board rules of PRODUCT.md: what a move writes (`tdd_stage`,
//! `tdd_history`, `status`, `governance_status`, `last_reviewed_by`) and what it must leave
//! alone, the TDD gates and their override, naming the objects that have no id, duplicate
//! ids, the import report, and export. It keeps every requirement's
//! original bytes in `Matrix` and holds a parsed copy only of the requirements it changed, so
//! export rewrites those and nothing else. It has no clock and no UI: the caller passes the
//! time and the actor, and the UI reads cards through `card`.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::fields::Fields;
use crate::matrix::{ImportError, Matrix, Position, Shape, Slot};
use crate::requirement::{Card, EntryProblem, Linked, choose_naming, name_values};
use crate::stage::{GateBreach, Stage, check_gates, is_lifecycle_status, normalize_word};

mod edit;
mod follow;
mod meta;
pub(crate) use edit::HistorySource;
pub use edit::{Edit, HistoryStep, ListItem, NewRequirement, Part, history, item_text};
pub use follow::{Followed, Resolution};

/// Index of a requirement slot in the file, stable for the life of a board.
pub type EntryIndex = usize;

/// The identity of one imported board, unique for the life of the page. Whatever the UI
/// keeps about a card (a drag, a dialog, focus) carries it, so after undo or an import swaps
/// the board, a stale reference is recognised instead of acting on another board's card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BoardId(u64);

impl BoardId {
    fn next() -> BoardId {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        BoardId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A card of a particular board: what the UI holds instead of a bare `EntryIndex`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CardRef {
    pub board: BoardId,
    pub entry: EntryIndex,
}

/// One requirement slot: its card when it could be placed, and its changed value, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    card: Result<Card, EntryProblem>,
    /// The requirement as the board changed it; `None` while it is as imported.
    pub(crate) edited: Option<Map<String, Value>>,
    /// Another entry before this one has the same id.
    duplicate: bool,
    /// The name the board gave an object without an id (`scenario 3`, `#3`), read again
    /// with it after every move; never written to the file.
    name: Option<String>,
    /// What other containers of the file link to it, read again with it after every move.
    linked: Option<Box<Linked>>,
    /// Keys the file changed one way and the board another, waiting for a person.
    conflicts: Vec<crate::merge::Conflict>,
}

impl Entry {
    /// A requirement slot as read from the file: its card and nothing else yet.
    fn read(card: Result<Card, EntryProblem>) -> Entry {
        Entry {
            card,
            edited: None,
            duplicate: false,
            name: None,
            linked: None,
            conflicts: Vec::new(),
        }
    }

    pub fn card(&self) -> Option<&Card> {
        self.card.as_ref().ok()
    }

    pub fn is_duplicate(&self) -> bool {
        self.duplicate
    }

    /// About how many bytes the entry keeps: its card, its edited JSON and its name. An
    /// estimate of what grows with the file, for the undo budget; it leaves out allocator
    /// overhead, so it errs low by a small constant factor, never by the size of the data.
    pub(crate) fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Entry>()
            + self.card.as_ref().map_or(0, Card::memory_bytes)
            + self.edited.as_ref().map_or(0, map_bytes)
            + self.name.as_ref().map_or(0, String::len)
            + self.linked.as_ref().map_or(0, |l| {
                l.tests
                    .iter()
                    .chain(&l.code)
                    .chain(&l.statuses)
                    .chain(&l.from)
                    .map(|s| std::mem::size_of::<String>() + s.len())
                    .sum()
            })
    }
}

/// About how many bytes a parsed JSON object keeps: each value's slot, each key and string,
/// and the index the order-preserving map keeps per key.
fn map_bytes(map: &Map<String, Value>) -> usize {
    let per_key = std::mem::size_of::<String>() + 2 * std::mem::size_of::<usize>();
    map.iter()
        .map(|(k, v)| per_key + k.len() + value_bytes(v))
        .sum()
}

fn value_bytes(value: &Value) -> usize {
    std::mem::size_of::<Value>()
        + match value {
            Value::Null | Value::Bool(_) => 0,
            // Numbers keep their text (`arbitrary_precision`); most are short.
            Value::Number(_) => 16,
            Value::String(s) => s.len(),
            Value::Array(items) => items.iter().map(value_bytes).sum(),
            Value::Object(map) => map_bytes(map),
        }
}

/// A warning about one requirement, with its position in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub position: String,
    pub message: String,
}

/// What an import found: where the requirements landed and what needs a person's eye.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub per_stage: [usize; 5],
    pub inferred: usize,
    pub deprecated: usize,
    /// Objects without an id, placed under a name the board gave them.
    pub named: usize,
    pub unplaced: usize,
    pub duplicates: usize,
    pub warnings: Vec<Warning>,
    /// Where the requirements were read from: `"requirements"` (a list of 12 objects).
    pub source: String,
    /// Other containers that looked like requirements, described, best first.
    pub others: Vec<String>,
    /// Containers joined to the requirements, described.
    pub joins: Vec<String>,
    /// The fields were guessed (anything but the origin format): the report shows them and
    /// offers to change them.
    pub guessed: bool,
    /// No container looked like requirements; the person should choose the fields.
    pub undecided: bool,
    /// The fields in a few words, as `Fields::summary`.
    pub fields: String,
    /// Requirements that are plain texts and cannot record moves.
    pub read_only: usize,
    /// Status words the board does not know, each once, in file order (at most 8).
    pub unknown_statuses: Vec<String>,
    /// A saved choice of container no longer matches the file.
    pub choice_missing: bool,
    /// Where the stages came from: "tdd_stage", "status words, tests and code", or both.
    pub stage_source: String,
}

impl ImportReport {
    pub fn placed(&self) -> usize {
        self.per_stage.iter().sum::<usize>() + self.deprecated
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.placed();
        write!(
            f,
            "Imported {n} requirement{}: ",
            if n == 1 { "" } else { "s" }
        )?;
        let columns: Vec<String> = Stage::ALL
            .iter()
            .map(|s| format!("{} {}", self.per_stage[s.index()], s.title()))
            .collect();
        write!(f, "{}.", columns.join(", "))?;
        if self.inferred > 0 {
            write!(
                f,
                " {} stage{} inferred.",
                self.inferred,
                if self.inferred == 1 { "" } else { "s" }
            )?;
        }
        if self.deprecated > 0 {
            write!(f, " {} deprecated (hidden).", self.deprecated)?;
        }
        if self.named > 0 {
            write!(
                f,
                " {} without an id, named by another key or by position.",
                self.named
            )?;
        }
        if self.unplaced > 0 {
            write!(
                f,
                " {} entr{} could not be placed.",
                self.unplaced,
                if self.unplaced == 1 { "y" } else { "ies" }
            )?;
        }
        if self.duplicates > 0 {
            write!(
                f,
                " {} duplicate id{}.",
                self.duplicates,
                if self.duplicates == 1 { "" } else { "s" }
            )?;
        }
        if self.read_only > 0 {
            write!(
                f,
                " {} {} plain text{} in the file: shown, but {} cannot record moves, so {} read-only.",
                self.read_only,
                if self.read_only == 1 { "is a" } else { "are" },
                if self.read_only == 1 { "" } else { "s" },
                if self.read_only == 1 { "it" } else { "they" },
                if self.read_only == 1 {
                    "it stays"
                } else {
                    "they stay"
                },
            )?;
        }
        if !self.unknown_statuses.is_empty() {
            let words: Vec<String> = self
                .unknown_statuses
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect();
            write!(
                f,
                " Status word{} the board does not know, kept as written: {}.",
                if words.len() == 1 { "" } else { "s" },
                words.join(", ")
            )?;
        }
        Ok(())
    }
}

/// Why a move did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoveError {
    /// The card does not exist or cannot be moved (an entry that could not be placed).
    NoSuchCard,
    /// The card is already in that column.
    SameStage,
    /// The move breaks a TDD gate; it may be retried with an override reason.
    Gate(GateBreach),
    /// An override was asked for without a reason.
    EmptyReason,
    /// The agent named is not on the team.
    NoSuchAgent,
    /// The requirement is a plain text in the file, which has nowhere to record a stage.
    ReadOnly,
    /// The requirement's `tdd_history` holds something other than a list, which the board
    /// will not overwrite.
    HistoryNotAList,
    /// "Take the file's" for a requirement the file removed: the board does not remove
    /// requirements from the file.
    RemovedInFile,
    /// The requirement has no key for that part the board could write without guessing.
    NotEditable(&'static str),
    /// A requirement's text may not be empty.
    EmptyText,
    /// An item of a list, or a picked word, may not be empty.
    EmptyItem,
    /// The list has no item at that place (it changed meanwhile).
    NoSuchItem,
    /// The edit would leave the requirement as it is.
    NoChange,
    /// A new requirement needs an id.
    EmptyId,
    /// Another requirement has this id.
    DuplicateId(String),
    /// The file has no list the requirement could be written into or removed from.
    NoPlace,
    /// A board needs at least one requirement.
    LastRequirement,
    /// The file's requirements have no id key: a new one is named as the board names them
    /// (the example is the form, such as "scenario 4" or "#4").
    IdForm(String),
    /// The file has no `meta` object to keep the columns' limits in.
    NoMeta,
    /// The file's `meta.wip_limits` is not one object the board can read: left as it is.
    LimitsUnreadable,
}

impl fmt::Display for MoveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoveError::NoSuchCard => write!(f, "That card is no longer on the board."),
            MoveError::SameStage => write!(f, "The card is already in that column."),
            MoveError::Gate(breach) => write!(f, "Blocked by a TDD gate: {breach}."),
            MoveError::EmptyReason => write!(f, "Overriding a TDD gate needs a reason."),
            MoveError::NoSuchAgent => {
                write!(f, "That agent is not on the team; import its file first.")
            }
            MoveError::ReadOnly => write!(
                f,
                "It is a plain text in the file, with nowhere to record a stage, so it stays read-only."
            ),
            MoveError::HistoryNotAList => write!(
                f,
                "Its \"tdd_history\" is not a list, so the move cannot be recorded; fix the file first."
            ),
            MoveError::RemovedInFile => write!(
                f,
                "The file removed this requirement. The board does not remove requirements: keep yours, or remove it from the file yourself."
            ),
            MoveError::NotEditable(part) => write!(
                f,
                "{part} is not a key this file's requirements use, so the board does not write it."
            ),
            MoveError::EmptyText => write!(f, "A requirement needs a text."),
            MoveError::EmptyItem => write!(f, "Write something first: an empty item is not added."),
            MoveError::NoSuchItem => write!(f, "That item is no longer in the list."),
            MoveError::NoChange => write!(f, "Nothing changed."),
            MoveError::EmptyId => write!(f, "A requirement needs an id."),
            MoveError::DuplicateId(id) => write!(
                f,
                "{id} is already the id of a requirement; choose another."
            ),
            MoveError::LimitsUnreadable => write!(
                f,
                "The file's meta.wip_limits is not an object of limits the board can read (or appears twice); it is left as it is, and the limits stay with the board."
            ),
            MoveError::NoMeta => write!(
                f,
                "The file has no \"meta\" object to keep the limits in; they stay with the board."
            ),
            MoveError::NoPlace => write!(
                f,
                "The file has no list of requirements the board could change in its own style."
            ),
            MoveError::IdForm(example) => write!(
                f,
                "This file's requirements have no id of their own; the board names them, so a new one is named the same way: {example}."
            ),
            MoveError::LastRequirement => write!(
                f,
                "It is the board's only requirement; a board needs at least one."
            ),
        }
    }
}

/// A move asked for by a person or an agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub entry: EntryIndex,
    pub to: Stage,
    /// Who makes the move, written to the history's `by`.
    pub by: String,
    /// When, as an ISO 8601 timestamp, written to the history's `at`.
    pub at: String,
    /// A reason that overrides a TDD gate; written to the history's `note`.
    pub override_reason: Option<String>,
}

/// What a move did, for the UI to announce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub from: Stage,
    pub to: Stage,
    /// Fields the board would have kept consistent but left alone, because their value was
    /// outside the vocabulary it knows (for example `status: "deprecated"`).
    pub kept: Vec<String>,
}

/// An object without an id, waiting for its list to be read before it is named.
struct Unnamed {
    index: EntryIndex,
    /// Its place in its list, counted from one.
    position: usize,
    values: Vec<Option<String>>,
}

/// An imported matrix and its cards.
#[derive(Clone, Debug)]
pub struct Board {
    id: BoardId,
    file_name: String,
    matrix: Matrix,
    entries: Vec<Entry>,
    /// How the requirements are read, as detected or as a person chose.
    fields: Fields,
    /// The file's text as last read or written, when the board reads another text: after a
    /// merge kept a change of the board's that the file does not have (`follow`).
    disk: Option<String>,
    /// How many requirements that merge kept from the board: unsaved, though not edits.
    carried: usize,
    /// After a requirement was created or deleted (`edit::rebuilt`), which entries differ from
    /// `disk` (changed or new); `carried` then counts the ones `disk` has and the board not.
    /// Empty otherwise.
    carried_entries: Vec<bool>,
    /// The `id` of the board first imported from this file (`origin`).
    origin: BoardId,
}

impl Board {
    /// Imports a file. A bad file is an error; bad requirements are warnings in the report.
    pub fn import(file_name: &str, bytes: &[u8]) -> Result<(Board, ImportReport), ImportError> {
        Board::import_owned(file_name, bytes.to_vec())
    }

    /// Like `import`, taking the bytes over so a large file is not held twice in memory.
    pub fn import_owned(
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<(Board, ImportReport), ImportError> {
        Board::import_with(file_name, bytes, None)
    }

    /// Imports a file reading its requirements through `choice` (a person's choice of fields,
    /// remembered or made in the "Fields" dialog); the board's own choice when `None`, or when
    /// the chosen container is not in the file.
    pub fn import_with(
        file_name: &str,
        bytes: Vec<u8>,
        choice: Option<&Fields>,
    ) -> Result<(Board, ImportReport), ImportError> {
        Board::import_in(file_name, bytes, choice, None)
    }

    /// Like `import_with`, writing in `style` (a known file's habits) instead of detecting it.
    pub(crate) fn import_in(
        file_name: &str,
        bytes: Vec<u8>,
        choice: Option<&Fields>,
        style: Option<&crate::matrix::Style>,
    ) -> Result<(Board, ImportReport), ImportError> {
        let matrix =
            Matrix::parse_in_style(bytes, choice.and_then(|c| c.container.as_deref()), style)?;
        let shape = matrix.shape();
        let fields = match choice {
            Some(choice) if !shape.choice_missing => choice.clone(),
            _ => detected_fields(shape),
        };
        let fields = &fields;
        let raw_entries = matrix.entries();
        let parse = |index: EntryIndex| {
            serde_json::from_str::<Value>(matrix.raw(index).unwrap_or("null")).ok()
        };
        // First every entry is read as it stands, keeping aside the objects without an id:
        // naming them needs the whole list, to know which key tells them apart.
        let mut cards = Vec::with_capacity(raw_entries.len());
        let mut unnamed: Vec<Unnamed> = Vec::new();
        // Each requirement's lists of strings, read in the same pass (each is parsed once):
        // joins may find them naming another container's members.
        let mut refs: crate::join::Refs = Vec::new();
        let may_point = crate::join::may_be_pointed_at(shape);
        let mut ordinal = (None::<&str>, 0usize);
        for (index, raw_entry) in raw_entries.iter().enumerate() {
            let container = raw_entry.position.container.as_str();
            ordinal = match ordinal {
                (Some(c), n) if c == container => (Some(c), n + 1),
                _ => (Some(container), 1),
            };
            let card = match parse(index) {
                Some(value) => {
                    if may_point {
                        let lists = crate::join::lists_of(&value);
                        if !lists.is_empty() {
                            refs.push((index, lists));
                        }
                    }
                    let card = Card::read_unfinished(fields, raw_entry.key(), &value);
                    if card == Err(EntryProblem::NoId) {
                        let position = match raw_entry.position.slot {
                            Slot::Index(i) => i + 1,
                            Slot::Key(_) => ordinal.1,
                        };
                        unnamed.push(Unnamed {
                            index,
                            position,
                            values: name_values(&value),
                        });
                    }
                    card
                }
                // The whole file parsed, so a slot always parses; keep it unplaced if not.
                None => Err(EntryProblem::NotAnObject { found: "value" }),
            };
            cards.push(card);
        }
        let mut names: HashMap<EntryIndex, (String, String)> = HashMap::new();
        if !unnamed.is_empty() {
            // With more than one list, the same `#3` or `scenario 3` could be in two of
            // them, so the list's own key goes first.
            let first = raw_entries.first().map(|e| e.position.container.as_str());
            let several = raw_entries
                .iter()
                .any(|e| Some(e.position.container.as_str()) != first);
            let mut lists: Vec<(&str, Vec<&Unnamed>)> = Vec::new();
            for object in &unnamed {
                let container = raw_entries[object.index].position.container.as_str();
                match lists.iter_mut().find(|(c, _)| *c == container) {
                    Some((_, objects)) => objects.push(object),
                    None => lists.push((container, vec![object])),
                }
            }
            for (container, objects) in lists {
                let values: Vec<Vec<Option<String>>> =
                    objects.iter().map(|o| o.values.clone()).collect();
                let naming = choose_naming(&values);
                let list = container.rsplit('.').next().unwrap_or(container);
                for object in objects {
                    let mut name = naming.name(&object.values, object.position);
                    if several && !list.is_empty() {
                        name = format!("{list} {name}");
                    }
                    if let Some(value) = parse(object.index) {
                        cards[object.index] = Card::read_unfinished(fields, Some(&name), &value);
                    }
                    let why = naming.explain(&name);
                    names.insert(object.index, (name, why));
                }
            }
        }

        // Evidence kept beside the requirements, joined by id; the linked cards are read again.
        let ids: Vec<(EntryIndex, String)> = cards
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((i, c.as_ref().ok()?.id.as_str().to_owned())))
            .collect();
        let (mut linked, joins) =
            crate::join::link(matrix.text(), shape, raw_entries.len(), &ids, &refs);
        for (card, links) in cards.iter_mut().zip(&linked) {
            if let Ok(card) = card {
                card.finish(links.as_ref());
            }
        }

        let mut report = ImportReport {
            source: shape
                .chosen()
                .map(|c| format!("{} ({})", c.name(), c.describe()))
                .collect::<Vec<_>>()
                .join(" and "),
            others: shape
                .others()
                .filter(|c| !joins.iter().any(|j| j.container == c.path))
                .take(4)
                .map(|c| format!("{} ({})", c.name(), c.describe()))
                .collect(),
            joins: joins
                .iter()
                .map(|j| {
                    format!(
                        "\"{}\" {}: {} requirement{}",
                        j.container,
                        j.how,
                        j.linked,
                        if j.linked == 1 { "" } else { "s" }
                    )
                })
                .collect(),
            guessed: shape.undecided
                || !fields.is_origin()
                || shape.chosen().any(|c| {
                    c.path.contains('[')
                        || !c
                            .key
                            .as_deref()
                            .is_some_and(crate::matrix::is_requirements_key)
                            && !c.path.is_empty()
                }),
            undecided: shape.undecided,
            fields: fields.summary(shape.chosen().any(|c| c.is_map)),
            choice_missing: shape.choice_missing,
            ..ImportReport::default()
        };
        let mut first_of: HashMap<String, EntryIndex> = HashMap::new();
        let mut entries = Vec::with_capacity(raw_entries.len());
        for (index, card) in cards.into_iter().enumerate() {
            let position = raw_entries[index].position.to_string();
            let name = names.remove(&index).map(|(name, why)| {
                report.named += 1;
                report.warnings.push(Warning {
                    position: position.clone(),
                    message: why,
                });
                name
            });
            let mut duplicate = false;
            match &card {
                Ok(card) => {
                    if let Some(first) = first_of.get(card.id.as_str()) {
                        duplicate = true;
                        report.duplicates += 1;
                        report.warnings.push(Warning {
                            position: position.clone(),
                            message: format!(
                                "repeats the id {} of {}; both are shown and flagged",
                                card.id, raw_entries[*first].position
                            ),
                        });
                    } else {
                        first_of.insert(card.id.as_str().to_owned(), index);
                    }
                    if card.read_only {
                        report.read_only += 1;
                    }
                    if card.unknown_status
                        && report.unknown_statuses.len() < 8
                        && let Some(word) = &card.status
                        && !report.unknown_statuses.contains(word)
                    {
                        report.unknown_statuses.push(word.clone());
                    }
                    if card.deprecated {
                        report.deprecated += 1;
                    } else {
                        report.per_stage[card.stage.index()] += 1;
                    }
                    if let Some(why) = &card.inferred {
                        report.inferred += 1;
                        if why.starts_with("tdd_stage") {
                            report.warnings.push(Warning {
                                position: position.clone(),
                                message: why.clone(),
                            });
                        }
                    }
                }
                Err(problem) => {
                    report.unplaced += 1;
                    report.warnings.push(Warning {
                        position,
                        message: problem.to_string(),
                    });
                }
            }
            entries.push(Entry {
                card,
                edited: None,
                duplicate,
                name,
                linked: linked.get_mut(index).and_then(Option::take).map(Box::new),
                conflicts: Vec::new(),
            });
        }
        let written = report.placed().saturating_sub(report.inferred);
        let inferred_from = match &fields.status {
            Some(key) => format!("status words (\"{key}\"), tests and code"),
            None => "tests and code".to_owned(),
        };
        report.stage_source = match (written, report.inferred) {
            (_, 0) => "tdd_stage".to_owned(),
            (0, _) => inferred_from,
            _ => format!("tdd_stage where written, else {inferred_from}"),
        };
        let fields = fields.clone();
        let id = BoardId::next();
        let board = Board {
            id,
            file_name: file_name.to_owned(),
            matrix,
            entries,
            fields,
            disk: None,
            carried: 0,
            carried_entries: Vec::new(),
            origin: id,
        };
        Ok((board, report))
    }

    pub fn id(&self) -> BoardId {
        self.id
    }

    /// How the requirements are read.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Where the file keeps its requirements, and what else it holds.
    pub fn shape(&self) -> &Shape {
        self.matrix.shape()
    }

    /// The board read again through other fields, with every change made so far: the
    /// "Fields" dialog's preview and its "Use these fields".
    pub fn reread(&self, fields: &Fields) -> Result<(Board, ImportReport), ImportError> {
        let export = self.export();
        let changed = export.trim_start_matches('\u{FEFF}') != self.base_text();
        let (mut board, report) =
            Board::import_with(&self.file_name, export.into_bytes(), Some(fields))?;
        // The same file read another way: what the file holds is still the base, and the
        // board's changes are still unsaved.
        board.origin = self.origin;
        // Conflicts with the file wait for a person whichever way it is read.
        board.mark_conflicts(self.open_conflicts());
        if changed {
            board.disk = Some(self.base_text().to_owned());
            board.carried = self.unsaved();
        }
        Ok((board, report))
    }

    /// The file this board reads: the same through follows, saves and rereads, another for
    /// every import. The link to a file on disk belongs to one origin.
    pub fn origin(&self) -> BoardId {
        self.origin
    }

    /// A reference to one of this board's cards.
    pub fn card_ref(&self, entry: EntryIndex) -> CardRef {
        CardRef {
            board: self.id,
            entry,
        }
    }

    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, index: EntryIndex) -> Option<&Entry> {
        self.entries.get(index)
    }

    pub fn card(&self, index: EntryIndex) -> Option<&Card> {
        self.entries.get(index)?.card()
    }

    /// The byte range of a requirement in the imported text (after a byte order mark).
    pub fn span(&self, index: EntryIndex) -> Option<std::ops::Range<usize>> {
        Some(self.matrix.entries().get(index)?.span.clone())
    }

    pub fn position(&self, index: EntryIndex) -> Option<&Position> {
        Some(&self.matrix.entries().get(index)?.position)
    }

    /// Every placed card with its index, in file order.
    pub fn cards(&self) -> impl Iterator<Item = (EntryIndex, &Card)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i, e.card()?)))
    }

    /// The cards of one column in file order, leaving out deprecated ones unless asked.
    pub fn column(&self, stage: Stage, with_deprecated: bool) -> Vec<EntryIndex> {
        self.cards()
            .filter(|(_, c)| c.stage == stage && (with_deprecated || !c.deprecated))
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether a move of `entry` to `to` could happen, without changing anything; for the drag
    /// preview and before the override dialog. A history the move could not be written into is
    /// reported before the gates: no reason given for an override would make that move land.
    pub fn check_move(&self, entry: EntryIndex, to: Stage) -> Result<(), MoveError> {
        let card = self.card(entry).ok_or(MoveError::NoSuchCard)?;
        if card.stage == to {
            return Err(MoveError::SameStage);
        }
        if card.read_only {
            return Err(MoveError::ReadOnly);
        }
        if card.history_not_a_list {
            return Err(MoveError::HistoryNotAList);
        }
        check_gates(card.stage, to, card.gate_facts()).map_err(MoveError::Gate)
    }

    /// Moves a card, writing the move into its requirement. Nothing changes on an error.
    pub(crate) fn apply_move(&mut self, mv: &Move) -> Result<Moved, MoveError> {
        let reason = mv.override_reason.as_deref().map(str::trim);
        if reason == Some("") {
            return Err(MoveError::EmptyReason);
        }
        match self.check_move(mv.entry, mv.to) {
            Err(MoveError::Gate(_)) if reason.is_some() => {}
            other => other?,
        }
        let from = self.card(mv.entry).ok_or(MoveError::NoSuchCard)?.stage;
        let mut value = self.current_value(mv.entry).ok_or(MoveError::NoSuchCard)?;
        let kept = write_move(&mut value, from, mv, reason)?;
        let card = self
            .read_card(mv.entry, &value)
            .map_err(|_| MoveError::NoSuchCard)?;
        let entry = &mut self.entries[mv.entry];
        entry.card = Ok(card);
        entry.edited = Some(value);
        Ok(Moved {
            from,
            to: mv.to,
            kept,
        })
    }

    /// Entry `index`'s card for `value`, read with the name and links the entry has.
    fn read_card(
        &self,
        index: EntryIndex,
        value: &Map<String, Value>,
    ) -> Result<Card, EntryProblem> {
        let entry = self.entries.get(index);
        let name = entry
            .and_then(|e| e.name.as_deref())
            .or_else(|| self.matrix.entries().get(index).and_then(|e| e.key()));
        Card::read_with(
            &self.fields,
            name,
            &Value::Object(value.clone()),
            entry.and_then(|e| e.linked.as_deref()),
        )
    }

    /// A copy of one entry, for undo to put back with `restore`.
    pub(crate) fn snapshot(&self, index: EntryIndex) -> Option<Entry> {
        self.entries.get(index).cloned()
    }

    /// Puts back an entry saved with `snapshot`.
    pub(crate) fn restore(&mut self, index: EntryIndex, entry: Entry) {
        if let Some(slot) = self.entries.get_mut(index) {
            *slot = entry;
        }
    }

    /// The requirement's current JSON object, changed or as imported.
    fn current_value(&self, index: EntryIndex) -> Option<Map<String, Value>> {
        if let Some(edited) = &self.entries.get(index)?.edited {
            return Some(edited.clone());
        }
        match serde_json::from_str(self.matrix.raw(index)?) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        }
    }

    /// The file to download: the imported text with changed requirements rewritten in the
    /// file's own style. With no change it is the imported file, byte for byte.
    pub fn export(&self) -> String {
        let edits = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i, e.edited.as_ref()?)));
        self.matrix.export(edits)
    }

    /// The size of the imported text in bytes.
    pub fn source_len(&self) -> usize {
        self.matrix.text().len()
    }

    /// About how many bytes the board keeps: its source text, and per requirement its place
    /// in the file and its entry (card, edited JSON). Undo counts the boards it keeps with it.
    /// Linear in the number of requirements, so it is computed when a board enters or leaves
    /// the history, not on every move.
    pub fn memory_bytes(&self) -> usize {
        let places: usize = self
            .matrix
            .entries()
            .iter()
            .map(|e| {
                std::mem::size_of::<crate::matrix::RawEntry>()
                    + e.position.container.len()
                    + e.key().map_or(0, str::len)
            })
            .sum();
        let entries: usize = self.entries.iter().map(Entry::memory_bytes).sum();
        std::mem::size_of::<Board>()
            + self.source_len()
            + self.disk.as_ref().map_or(0, String::len)
            + self.carried_entries.len()
            + self.file_name.len()
            + places
            + entries
    }

    /// Marks every entry whose id an earlier entry has.
    fn flag_duplicates(&mut self) {
        let mut seen: std::collections::HashSet<&str> =
            std::collections::HashSet::with_capacity(self.entries.len());
        let mut flags = Vec::with_capacity(self.entries.len());
        for entry in &self.entries {
            flags.push(entry.card().is_some_and(|c| !seen.insert(c.id.as_str())));
        }
        for (entry, duplicate) in self.entries.iter_mut().zip(flags) {
            entry.duplicate = duplicate;
        }
    }

    /// Whether anything was changed since import.
    pub fn is_changed(&self) -> bool {
        self.entries.iter().any(|e| e.edited.is_some())
    }
}

/// The fields the board chose for the container(s) it reads.
fn detected_fields(shape: &Shape) -> Fields {
    shape
        .chosen()
        .next()
        .map(|c| c.fields.clone())
        .unwrap_or_default()
}

/// Writes a move into a requirement object and returns the fields it kept as they were.
fn write_move(
    value: &mut Map<String, Value>,
    from: Stage,
    mv: &Move,
    reason: Option<&str>,
) -> Result<Vec<String>, MoveError> {
    let mut step = Map::new();
    step.insert("from".into(), from.key().into());
    step.insert("to".into(), mv.to.key().into());
    step.insert("at".into(), mv.at.clone().into());
    step.insert("by".into(), mv.by.clone().into());
    if let Some(reason) = reason {
        step.insert(
            "note".into(),
            format!("TDD gate overridden: {reason}").into(),
        );
    }
    if !matches!(
        value.get("tdd_history"),
        None | Some(Value::Null) | Some(Value::Array(_))
    ) {
        return Err(MoveError::HistoryNotAList);
    }
    value.insert("tdd_stage".into(), mv.to.key().into());
    match value.get_mut("tdd_history") {
        Some(Value::Array(steps)) => steps.push(Value::Object(step)),
        _ => {
            value.insert(
                "tdd_history".into(),
                Value::Array(vec![Value::Object(step)]),
            );
        }
    }

    let mut kept = Vec::new();
    // `status` follows the lifecycle, but only where it holds a word the board knows. A file
    // without `status` does not get one, and `null` says the same as no key, so it stays
    // `null`. Anything else (an object, a list, a boolean, a number, an empty string, a team's
    // own word) belongs to the team: it is left as written and the move says so.
    if let Some(status) = value.get_mut("status").filter(|s| !s.is_null()) {
        let word = status.as_str().map(normalize_word);
        match word.as_deref() {
            // The spec-driven variant's later words already mean "reviewed and beyond".
            Some("tested" | "evaluated" | "verified") if mv.to == Stage::Reviewed => {}
            Some(w) if is_lifecycle_status(w) => *status = mv.to.lifecycle_status().into(),
            _ => kept.push(format!("status {}", describe(status))),
        }
    }
    let governance = match (from, mv.to) {
        (_, Stage::Reviewed) => Some("approved"),
        (Stage::Reviewed, _) => Some("changes_requested"),
        _ => None,
    };
    if let Some(governance) = governance {
        // Unlike `status`, a missing or `null` review state is filled in: a review is what
        // the move records.
        let known = |v: &Value| {
            v.is_null()
                || v.as_str().is_some_and(|s| {
                    matches!(
                        normalize_word(s).as_str(),
                        "not_reviewed" | "approved" | "changes_requested"
                    )
                })
        };
        match value.get_mut("governance_status") {
            Some(current) if !known(current) => {
                kept.push(format!("governance_status {}", describe(current)));
            }
            Some(current) => *current = governance.into(),
            None => {
                value.insert("governance_status".into(), governance.into());
            }
        }
        if mv.to == Stage::Reviewed {
            value.insert("last_reviewed_by".into(), mv.by.clone().into());
        }
    }
    Ok(kept)
}

/// A value the board left alone, as a person reads it in a message: a string quoted as
/// written (shortened when long), a number or boolean as it is, and the kind of anything larger.
fn describe(value: &Value) -> String {
    /// Enough of a string to recognise it without flooding the notice.
    const SHOWN_CHARS: usize = 40;
    match value {
        Value::String(s) if s.chars().nth(SHOWN_CHARS).is_some() => {
            let shown: String = s.chars().take(SHOWN_CHARS).collect();
            format!("\"{shown}…\"")
        }
        Value::String(s) => format!("\"{s}\""),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) => "(a list)".to_owned(),
        Value::Object(_) => "(an object)".to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
