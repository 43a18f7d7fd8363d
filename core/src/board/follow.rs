//! The board following its file: a version changed on disk merged with the board's own
//! changes (`merge::merge`), conflicts kept on the cards they are about, and a person's
//! decision on each conflict written as an ordinary change of that requirement.
//!
//! Nothing here reads or writes a file: the shell passes the text it read and writes the
//! export it is given.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Board, BoardId, Entry, EntryIndex, MoveError};
use crate::fields::Fields;
use crate::matrix::{ImportError, Matrix};
use crate::merge::{Conflict, MergeError, Side, merge, merge_objects};
use crate::requirement::{Card, EntryProblem};
use crate::stage::Stage;

/// A requirement's card read from its exact text.
fn read_raw(fields: &Fields, key: Option<&str>, raw: &str) -> Result<Card, EntryProblem> {
    match serde_json::from_str::<Value>(raw) {
        Ok(value) => Card::read_with(fields, key, &value, None),
        Err(_) => Err(EntryProblem::NotAnObject { found: "value" }),
    }
}

/// Entries by id, for many lookups; `None` to scan for a few.
struct Finder(Option<HashMap<String, EntryIndex>>);

impl Finder {
    fn find(&self, board: &Board, id: &str) -> Option<EntryIndex> {
        match &self.0 {
            Some(index) => index.get(id).copied(),
            None => board.find(id),
        }
    }
}

/// How a person settles a conflict on one requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Keep the board's values; saving writes them over the file's.
    KeepMine,
    /// Take the file's values for the conflicting keys.
    TakeTheirs,
    /// Keep both sides' `tdd_history` steps, in time order, with the stage of the latest;
    /// every other conflicting key keeps the board's value.
    BothHistories,
}

/// A file version merged into the board.
#[derive(Debug)]
pub struct Followed {
    /// The board reading the file with the board's changes on top; `None` when the file
    /// changed nothing the board shows and the board has no change of its own to carry.
    pub board: Option<Board>,
    /// Keys changed one way in the file and another on the board, now on their cards.
    pub conflicts: Vec<Conflict>,
    /// Requirements the file changed, added or removed (ids, in the file's order).
    pub theirs_changed: Vec<String>,
    /// Requirements whose change on the board is kept over the file, unsaved.
    pub ours_kept: Vec<String>,
    /// A sentence per card the file moved or added: "REQ-007 moved to Green by
    /// backend-engineer, from the file."
    pub moves: Vec<String>,
    /// When every requirement is where it was (the file changed some in place), the entries
    /// whose cards may differ; the new board then keeps the old one's `BoardId`, so what the
    /// page holds about the other cards stays valid and only these are drawn again. `None`
    /// when requirements were added, removed or reordered.
    pub changed: Option<Vec<EntryIndex>>,
    /// The board had changed the file's `meta` (its limits) and the file changed it too: the
    /// file's is kept, and the person is told.
    pub meta_lost: bool,
}

impl Board {
    /// The text the board last read from its file or wrote to it: the base of the next merge.
    pub fn base_text(&self) -> &str {
        self.disk.as_deref().unwrap_or(self.matrix.text())
    }

    /// Restores what a save kept of the file (`SavedBoard::disk`): its text when the board's
    /// differs, and how many requirements differ.
    pub(crate) fn remember_disk(&mut self, disk: Option<String>, unsaved: usize) {
        if disk.is_some() {
            self.disk = disk;
            self.recount();
            // Never fewer than the save said: a change it counted stays unsaved.
            if self.unsaved() < unsaved {
                self.carried += unsaved - self.unsaved();
            }
        }
    }

    /// The requirement as the file holds it at entry `index`, ignoring the board's change.
    pub(crate) fn file_value(&self, index: EntryIndex) -> Option<Map<String, Value>> {
        serde_json::from_str(self.matrix.raw(index)?).ok()
    }

    /// Takes `text`, the board's export just written to the file, as what the board read:
    /// no change is unsaved any more. Cards stay as they are. `false` (and nothing changed)
    /// when `text` does not read as the same requirements in the same places.
    pub(crate) fn rebase(&mut self, text: &str) -> bool {
        // Read as the board reads its file: a person's choice of place, else every list.
        let Ok(matrix) = Matrix::parse_in_style(
            text.as_bytes().to_vec(),
            self.fields.container.as_deref(),
            Some(self.matrix.style()),
        ) else {
            return false;
        };
        if matrix.entries().len() != self.entries.len() {
            return false;
        }
        self.matrix = matrix;
        for entry in &mut self.entries {
            entry.edited = None;
        }
        self.disk = None;
        self.carried = 0;
        self.carried_entries = Vec::new();
        true
    }

    /// Counts a change outside the requirements (the file's `meta`) as unsaved when nothing
    /// else is: the board's text differs from the file's.
    pub(super) fn mark_outside_change(&mut self) {
        if self.unsaved() == 0 && self.export() != self.base_text() {
            self.carried = 1;
        }
    }

    /// The file now holds `text`, written from this file's board, though not this board's
    /// export as it is now: the next merge starts from it, and the changes stay unsaved.
    pub(crate) fn written(&mut self, text: &str) {
        self.disk = Some(text.trim_start_matches('\u{FEFF}').to_owned());
        self.recount();
        // Something differs (a move or an undo since the export): never "nothing unsaved".
        if self.unsaved() == 0 && self.export() != text {
            self.carried = 1;
        }
    }

    /// The open conflicts, all requirements together, for a save or a reread to carry.
    pub fn open_conflicts(&self) -> Vec<Conflict> {
        self.entries
            .iter()
            .flat_map(|e| e.conflicts.iter().cloned())
            .collect()
    }

    /// How many requirements differ from the file as last read or written.
    /// A change that puts a requirement back as the file has it (an undo after a save) is
    /// no change.
    pub fn unsaved(&self) -> usize {
        let changed = self
            .entries
            .iter()
            .enumerate()
            .filter(|(i, e)| {
                self.carried_entries.get(*i).copied().unwrap_or(false)
                    || e.edited
                        .as_ref()
                        .is_some_and(|v| Some(v) != self.file_value(*i).as_ref())
            })
            .count();
        changed + self.carried
    }

    /// Merges `theirs` (the file as it is now) with the board's changes since `base_text`.
    /// The new board reads `theirs` and holds the board's changes as its own, unsaved; the
    /// cards carry the conflicts for a person to settle with `Resolution`s.
    pub fn follow(&self, theirs: &str) -> Result<Followed, MergeError> {
        let base = self.base_text();
        if theirs.trim_start_matches('\u{FEFF}') == base {
            return Ok(Followed {
                board: None,
                conflicts: Vec::new(),
                theirs_changed: Vec::new(),
                ours_kept: Vec::new(),
                moves: Vec::new(),
                changed: None,
                meta_lost: false,
            });
        }
        let fast = self.disk.is_none() && self.carried == 0;
        match fast.then(|| self.follow_entries(theirs)) {
            Some(Ok(Some(followed))) => Ok(followed),
            Some(Err(e)) => Err(e),
            _ => self.follow_text(theirs),
        }
    }

    /// The general way: the three texts merged (`merge::merge`), and the merged text read as
    /// a new board that remembers `theirs` as the file's text.
    fn follow_text(&self, theirs: &str) -> Result<Followed, MergeError> {
        let ours = self.export();
        let mut merged = merge(self.base_text(), &ours, theirs, Some(&self.fields))?;
        let (text, carry) = super::meta::carry_meta(self.base_text(), &ours, merged.text);
        merged.text = text;
        let unreadable = |error: ImportError| MergeError::Unreadable {
            side: Side::Theirs,
            error,
        };
        let (mut board, _) = Board::import_with(
            &self.file_name,
            merged.text.into_bytes(),
            Some(&self.fields),
        )
        .map_err(unreadable)?;
        board.origin = self.origin;
        let theirs = theirs.trim_start_matches('\u{FEFF}');
        if board.matrix.text() != theirs {
            board.disk = Some(theirs.to_owned());
            board.recount();
        }
        if carry == super::meta::MetaCarry::Carried {
            board.mark_outside_change();
        }
        let mut followed = self.finish_follow(
            board,
            merged.conflicts,
            merged.theirs_changed,
            merged.ours_kept,
        );
        followed.meta_lost = carry == super::meta::MetaCarry::TheirsKept;
        Ok(followed)
    }

    /// The fast way, for a board read straight from its file: `theirs` is read once, its
    /// requirements that are byte for byte as before keep their cards, and the board's
    /// changed requirements are carried over by id. `None` when the file needs the general
    /// way: a requirement the board changed is gone from it, or its changed requirements need
    /// what only a whole import works out (names for objects without ids, joined evidence).
    fn follow_entries(&self, theirs: &str) -> Result<Option<Followed>, MergeError> {
        if self
            .entries
            .iter()
            .any(|e| e.name.is_some() || e.linked.is_some())
        {
            return Ok(None);
        }
        // A person's choice; else the file is read as the board reads it (the same lists,
        // or the general way when it now has more or fewer).
        let container = self.fields.container.clone();
        let matrix = Matrix::parse_in_style(
            theirs.as_bytes().to_vec(),
            container.as_deref(),
            Some(self.matrix.style()),
        )
        .map_err(|error| MergeError::Unreadable {
            side: Side::Theirs,
            error,
        })?;
        let places = |m: &Matrix| {
            m.shape()
                .chosen()
                .map(|c| c.path.clone())
                .collect::<Vec<_>>()
        };
        if places(&matrix) != places(&self.matrix) {
            return Ok(None);
        }
        // Pair each requirement of the file with the board's entry of the same exact text:
        // at the same place first (most changes leave every requirement where it was), then
        // at the same place counted from the end (requirements added or removed above it),
        // then anywhere, hashing only what is left.
        let (n, m) = (self.len(), matrix.entries().len());
        // A map member is its key and its value: a renamed key is a changed requirement.
        let base_raw = |i: usize| self.matrix.member(i);
        let their_raw = |j: usize| matrix.member(j);
        let mut pair_of: Vec<Option<EntryIndex>> = vec![None; m];
        let mut used = vec![false; n];
        for (j, pair) in pair_of.iter_mut().enumerate() {
            if j < n && base_raw(j) == their_raw(j) {
                *pair = Some(j);
                used[j] = true;
            }
        }
        for (j, pair) in pair_of.iter_mut().enumerate() {
            let i = (j + n).checked_sub(m).filter(|&i| i < n);
            if pair.is_none()
                && let Some(i) = i
                && !used[i]
                && base_raw(i) == their_raw(j)
            {
                *pair = Some(i);
                used[i] = true;
            }
        }
        if pair_of.iter().any(Option::is_none) {
            let mut by_text: HashMap<(Option<&str>, &str), Vec<EntryIndex>> = HashMap::new();
            for i in (0..n).rev().filter(|&i| !used[i]) {
                by_text.entry(base_raw(i)).or_default().push(i);
            }
            for (j, pair) in pair_of.iter_mut().enumerate() {
                if pair.is_none()
                    && let Some(i) = by_text.get_mut(&their_raw(j)).and_then(Vec::pop)
                {
                    *pair = Some(i);
                    used[i] = true;
                }
            }
        }
        let mut entries = Vec::with_capacity(m);
        let mut paired: Vec<Option<EntryIndex>> = Vec::with_capacity(m);
        let mut theirs_changed: Vec<String> = Vec::new();
        for (j, raw_entry) in matrix.entries().iter().enumerate() {
            let raw = their_raw(j).1;
            if let Some(i) = pair_of[j] {
                let old = &self.entries[i];
                entries.push(Entry::read(match &old.edited {
                    // The card shows the board's change; the file's own card is read again.
                    Some(_) => read_raw(&self.fields, raw_entry.key(), raw),
                    None => old.card.clone(),
                }));
                paired.push(Some(i));
                continue;
            }
            let card = read_raw(&self.fields, raw_entry.key(), raw);
            if card == Err(EntryProblem::NoId) {
                return Ok(None);
            }
            if let Ok(card) = &card {
                theirs_changed.push(card.id.as_str().to_owned());
            }
            entries.push(Entry::read(card));
            paired.push(None);
        }
        // Requirements the file removed: the board's entries left unpaired whose id is not
        // among the file's new or changed ones.
        let fresh: std::collections::HashSet<&str> = entries
            .iter()
            .zip(&paired)
            .filter(|(_, p)| p.is_none())
            .filter_map(|(e, _)| e.card().map(|c| c.id.as_str()))
            .collect();
        for (i, entry) in self.entries.iter().enumerate() {
            if used[i] {
                continue;
            }
            if let Some(card) = entry.card() {
                let id = card.id.as_str();
                if fresh.contains(id) {
                    continue;
                }
                if entry.edited.is_some() {
                    // The board changed what the file removed: only the general way keeps both.
                    return Ok(None);
                }
                if !theirs_changed.iter().any(|t| t == id) {
                    theirs_changed.push(id.to_owned());
                }
            }
        }
        drop(fresh);
        let mut board = Board {
            id: BoardId::next(),
            file_name: self.file_name.clone(),
            matrix,
            entries,
            fields: self.fields.clone(),
            disk: None,
            carried: 0,
            carried_entries: Vec::new(),
            origin: self.origin,
        };
        board.flag_duplicates();
        let same_places = n == m
            && pair_of.iter().enumerate().all(|(j, p)| match p {
                Some(i) => *i == j,
                None => self.card(j).map(|c| &c.id) == board.card(j).map(|c| &c.id),
            });
        // The board's own changes, carried over by id and merged key by key with the file's.
        let mut conflicts = Vec::new();
        let mut ours_kept = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            let (Some(ours), Some(card)) = (&entry.edited, entry.card()) else {
                continue;
            };
            let id = card.id.as_str();
            // The entry the file still holds as it was, else the first with its id (a
            // repeated id must not carry the change onto the other).
            let Some(j) = paired
                .iter()
                .position(|p| *p == Some(i))
                .or_else(|| board.find(id))
            else {
                continue;
            };
            let base: Option<Map<String, Value>> = self
                .matrix
                .raw(i)
                .and_then(|r| serde_json::from_str(r).ok());
            let Some(theirs) = board.current_value(j) else {
                continue;
            };
            let value = if paired[j] == Some(i) {
                ours.clone()
            } else {
                merge_objects(id, &[], base.as_ref(), ours, &theirs, &mut conflicts)
            };
            if value != theirs {
                ours_kept.push(id.to_owned());
                board.set_value(j, value);
            } else if Some(ours) == Some(&theirs) {
                // The file holds exactly the board's change (saved from another tab): the
                // file did not change it, as far as a person can see.
                theirs_changed.retain(|t| t != id);
            }
        }
        let mut followed = self.finish_follow(board, conflicts, theirs_changed, ours_kept);
        if same_places && let Some(board) = followed.board.as_mut() {
            board.id = self.id;
            let changed = (0..m)
                .filter(|&j| {
                    pair_of[j] != Some(j)
                        || self.entries[j].edited.is_some()
                        || self.entries[j] != board.entries[j]
                            && (!self.entries[j].conflicts.is_empty()
                                || !board.entries[j].conflicts.is_empty()
                                || self.entries[j].duplicate != board.entries[j].duplicate)
                })
                .collect();
            followed.changed = Some(changed);
        }
        Ok(Some(followed))
    }

    /// Marks the conflicts (with those still open here that the file did not touch again)
    /// and says which cards the file moved.
    fn finish_follow(
        &self,
        mut board: Board,
        conflicts: Vec<Conflict>,
        theirs_changed: Vec<String>,
        ours_kept: Vec<String>,
    ) -> Followed {
        let mut all = conflicts.clone();
        for entry in &self.entries {
            if let (false, Some(card)) = (entry.conflicts.is_empty(), entry.card())
                && !theirs_changed.iter().any(|id| *id == card.id.as_str())
            {
                all.extend(entry.conflicts.iter().cloned());
            }
        }
        board.mark_conflicts(all);
        let moves = self.moves_to(&board, &theirs_changed);
        Followed {
            board: Some(board),
            conflicts,
            theirs_changed,
            ours_kept,
            moves,
            changed: None,
            meta_lost: false,
        }
    }

    /// Replaces entry `index`'s value as an unsaved change, reading its card again.
    pub(crate) fn set_value(&mut self, index: EntryIndex, value: Map<String, Value>) {
        let card = self.read_card(index, &value);
        if let Some(entry) = self.entries.get_mut(index) {
            entry.card = card;
            entry.edited = Some(value);
        }
    }

    /// The entry holding requirement `id`, the first when the id repeats.
    pub fn find(&self, id: &str) -> Option<EntryIndex> {
        self.cards()
            .find(|(_, c)| c.id.as_str() == id)
            .map(|(i, _)| i)
    }

    /// Finds entries by id: by a scan for a few lookups, through an index for many.
    fn finder(&self, lookups: usize) -> Finder {
        if lookups <= 16 {
            return Finder(None);
        }
        let mut index = HashMap::with_capacity(self.len());
        for (i, card) in self.cards() {
            index.entry(card.id.as_str().to_owned()).or_insert(i);
        }
        Finder(Some(index))
    }

    /// Puts each conflict on the card of its requirement (after a merge, a reload or a
    /// reread); those whose requirement is gone are dropped.
    pub(crate) fn mark_conflicts(&mut self, conflicts: Vec<Conflict>) {
        let ids = self.finder(conflicts.len());
        for conflict in conflicts {
            if let Some(index) = ids.find(self, &conflict.id) {
                self.entries[index].conflicts.push(conflict);
            }
        }
    }

    /// The open conflicts of an entry; empty when it has none.
    pub fn conflicts(&self, index: EntryIndex) -> &[Conflict] {
        self.entries
            .get(index)
            .map_or(&[], |e| e.conflicts.as_slice())
    }

    /// How many requirements have open conflicts.
    pub fn conflict_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| !e.conflicts.is_empty())
            .count()
    }

    /// Sentences for the cards whose stage differs on `after`, among `ids`.
    fn moves_to(&self, after: &Board, ids: &[String]) -> Vec<String> {
        let (old_ids, new_ids) = (self.finder(ids.len()), after.finder(ids.len()));
        let mut out = Vec::new();
        for id in ids {
            let Some(new) = new_ids.find(after, id).and_then(|i| after.card(i)) else {
                continue;
            };
            let old = old_ids.find(self, id).and_then(|i| self.card(i));
            let by = new
                .last_move
                .as_ref()
                .map(|(by, _)| by.trim())
                .filter(|by| !by.is_empty())
                .map_or(String::new(), |by| format!(" by {by}"));
            match old {
                Some(old) if old.stage != new.stage => {
                    out.push(format!("{id} moved to {}{by}, from the file.", new.stage))
                }
                None => out.push(format!("{id} added in {}{by}, from the file.", new.stage)),
                _ => {}
            }
        }
        out
    }

    /// Settles the conflicts of one requirement. Nothing changes on an error.
    pub(crate) fn resolve(&mut self, index: EntryIndex, how: Resolution) -> Result<(), MoveError> {
        let entry = self.entries.get(index).ok_or(MoveError::NoSuchCard)?;
        if entry.conflicts.is_empty() {
            return Err(MoveError::NoSuchCard);
        }
        let conflicts = entry.conflicts.clone();
        let mut value = self.current_value(index).ok_or(MoveError::NoSuchCard)?;
        match how {
            Resolution::KeepMine => {}
            Resolution::TakeTheirs => {
                // The file removed the whole requirement: the board cannot remove an entry,
                // so it does not pretend to; the person keeps it or removes it in the file.
                if conflicts
                    .iter()
                    .any(|c| c.key.is_empty() && c.theirs.is_none())
                {
                    return Err(MoveError::RemovedInFile);
                }
                for c in conflicts.iter() {
                    set_path(&mut value, &c.path, c.theirs.clone());
                }
            }
            Resolution::BothHistories => both_histories(&mut value, &conflicts),
        }
        let card = self
            .read_card(index, &value)
            .map_err(|_| MoveError::NoSuchCard)?;
        let entry = &mut self.entries[index];
        if how != Resolution::KeepMine {
            entry.card = Ok(card);
            entry.edited = Some(value);
        }
        entry.conflicts = Vec::new();
        Ok(())
    }
}

/// Sets (or with `None` removes) the value at a dotted key path inside nested objects.
pub(super) fn set_path(value: &mut Map<String, Value>, path: &[String], to: Option<Value>) {
    let Some((last, outer)) = path.split_last() else {
        return;
    };
    let mut map = value;
    for part in outer {
        match map.get_mut(part) {
            Some(Value::Object(inner)) => map = inner,
            _ => return,
        }
    }
    match to {
        Some(v) => {
            map.insert(last.clone(), v);
        }
        None => {
            map.remove(last);
        }
    }
}

/// Both sides' history steps, each once, in the order of their `at`; the stage is where the
/// latest step went. Other conflicting keys keep ours, which the value already holds.
fn both_histories(value: &mut Map<String, Value>, conflicts: &[Conflict]) {
    let Some(theirs) = conflicts
        .iter()
        .find(|c| c.key == "tdd_history")
        .and_then(|c| c.theirs.clone())
    else {
        return;
    };
    let Value::Array(theirs) = theirs else {
        return;
    };
    let mut steps: Vec<Value> = match value.get("tdd_history") {
        Some(Value::Array(ours)) => ours.clone(),
        _ => Vec::new(),
    };
    for step in theirs {
        if !steps.contains(&step) {
            // In time order: after the last step not later than it (ISO times sort as text).
            let at = step
                .get("at")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let place = steps
                .iter()
                .rposition(|s| {
                    s.get("at").and_then(Value::as_str).unwrap_or_default() <= at.as_str()
                })
                .map_or(0, |i| i + 1);
            steps.insert(place, step);
        }
    }
    let last = steps
        .last()
        .and_then(|s| s.get("to"))
        .and_then(Value::as_str)
        .and_then(Stage::parse);
    value.insert("tdd_history".to_owned(), Value::Array(steps));
    if let Some(stage) = last {
        value.insert("tdd_stage".to_owned(), stage.key().into());
    }
}

#[cfg(test)]
mod tests;
