//! The one way to change what the user works on: an `Action`, applied in `Workspace::apply`.
//!
//! This module owns the open board (if any) and the undo and redo stacks. Every change the UI
//! makes (an import, a move, closing the board) is an `Action`, so undo, the history and the
//! autosave see every change, and each rule is tested once here. It deliberately holds no
//! reactive state: the UI mirrors what `Outcome::touched` says changed.
//!
//! Undo is bounded twice: by step count (`UNDO_DEPTH`) and by the bytes its steps keep
//! (`UNDO_BUDGET_BYTES`, counted with the `memory_bytes` estimates of boards, entries and
//! teams). Steps dropped to stay within memory are said in the `Outcome` of the change that
//! caused it.

use std::collections::VecDeque;

use crate::board::{
    Board, BoardId, Edit, Entry, EntryIndex, Move, MoveError, Moved, NewRequirement, Resolution,
};
use crate::columns::Layout;
use crate::stage::Stage;
use crate::team::{Member, Team};

/// How many changes undo remembers, however small. Old ones are forgotten first, without a
/// word: past two hundred steps nobody counts, and saying it on every later move would be noise.
const UNDO_DEPTH: usize = 200;

/// About how many bytes undo and redo may keep: 64 MiB.
///
/// Undo of an import keeps the whole previous board, and the importer takes files of up to
/// 50 MB, so without a budget ten imports of a 40 MB file kept several hundred MB in a
/// browser tab. A board is counted at about four times its file (measured on generated
/// matrices: the text, plus cards that copy its fields), so 64 MiB keeps the previous board
/// of a 10 MB matrix, a dozen of 1 MB ones, or thousands of moves (a move keeps two copies of
/// one requirement, a few KB), while staying a modest share of what a tab can allocate next
/// to the open board itself.
///
/// The step just recorded is always kept, even when alone it is over the budget, so the
/// latest change can always be undone: everything older goes first. At worst the history then
/// holds one board of the largest size the importer takes.
///
/// The budget is checked when a change is recorded. Undo and redo only move boards between
/// the history and the open board, so they never add to what is kept in all.
pub const UNDO_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// A change a person asks for.
#[derive(Clone, Debug)]
pub enum Action {
    /// Opens an imported board in place of the current one.
    OpenBoard(Box<Board>),
    /// Puts the same file read through other fields (`Board::reread`) in place of the board.
    ReadAs(Box<Board>),
    /// Moves a card to another column.
    MoveCard(Move),
    /// Puts the board that follows the file (`Board::follow`) in place of the open one; the
    /// message says what the file changed.
    /// `changed` lists the cards that may differ when every requirement kept its place
    /// (`Followed::changed`); `None` redraws the board.
    Follow {
        board: Box<Board>,
        message: String,
        changed: Option<Vec<EntryIndex>>,
    },
    /// Settles the conflicts of one card.
    Resolve { entry: EntryIndex, how: Resolution },
    /// Moves several cards as one change, undone together ("Apply all" of the moves test
    /// results suggest). All land or none: a move refused leaves every card where it was.
    MoveAll(Vec<Move>),
    /// Changes one part of one requirement (its details).
    Edit { entry: EntryIndex, edit: Edit },
    /// Appends a new requirement to the file's list, in Backlog.
    Create(NewRequirement),
    /// Writes the columns' limits into the file's `meta.wip_limits` (`Board::with_file_limits`).
    SetFileLimits([Option<u32>; 5]),
    /// Removes a requirement from the file.
    Delete { entry: EntryIndex },
    /// Closes the board, back to the empty state.
    CloseBoard,
    /// Adds agents to the team, replacing those of the same name.
    AddAgents(Vec<Member>),
    /// Makes an agent (or nobody) the owner of a stage.
    SetOwner { stage: Stage, agent: Option<String> },
}

/// What the UI must refresh after a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touched {
    /// The whole board was replaced (or closed).
    Board,
    /// Only these cards changed.
    Cards(Vec<EntryIndex>),
    /// The team (agents or owners) changed.
    Team,
}

/// The result of applying, undoing or redoing a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub touched: Touched,
    /// A sentence for the screen-reader live region and the status line. It ends with
    /// `history_note` when old undo steps were dropped.
    pub message: String,
    /// What a move did, when the change was a move.
    pub moved: Option<Moved>,
    /// How many of the oldest undo steps this change pushed out to keep the history within
    /// `UNDO_BUDGET_BYTES`.
    pub dropped: usize,
}

impl Outcome {
    fn of(touched: Touched, message: impl Into<String>) -> Outcome {
        Outcome {
            touched,
            message: message.into(),
            moved: None,
            dropped: 0,
        }
    }

    /// What the person is told when old undo steps were dropped; `None` when none were.
    pub fn history_note(&self) -> Option<String> {
        match self.dropped {
            0 => None,
            1 => Some(
                "Undo history trimmed: the oldest step was dropped to stay within memory."
                    .to_owned(),
            ),
            n => Some(format!(
                "Undo history trimmed: the oldest {n} steps were dropped to stay within memory."
            )),
        }
    }
}

/// A change as undo remembers it: the state before and after, so undo and redo are swaps.
#[derive(Clone, Debug)]
enum Change {
    /// Entries changed in place (one for a move or an edit, several for "Apply all"): each
    /// index with its state before and after.
    Entry {
        states: Vec<(EntryIndex, Box<Entry>, Box<Entry>)>,
        label: String,
    },
    /// The board that is not open now: before the change while it is on the undo stack,
    /// after it while it is on the redo stack. Undo and redo swap it with the open board, so
    /// a large board is never copied.
    Board {
        other: Option<Box<Board>>,
        label: String,
    },
    Team {
        before: Box<Team>,
        after: Box<Team>,
        label: String,
    },
}

/// A change on the undo or redo stack with the bytes it keeps, so the budget is summed
/// without walking boards again.
#[derive(Clone, Debug)]
struct Step {
    change: Change,
    bytes: usize,
}

impl Step {
    fn new(change: Change) -> Step {
        let bytes = change.memory_bytes();
        Step { change, bytes }
    }
}

impl Change {
    /// About how many bytes the change keeps: both states of an entry or a team, or the whole
    /// board it holds.
    fn memory_bytes(&self) -> usize {
        let own = std::mem::size_of::<Change>() + self.label().len();
        own + match self {
            Change::Entry { states, .. } => states
                .iter()
                .map(|(_, before, after)| before.memory_bytes() + after.memory_bytes())
                .sum(),
            Change::Board { other, .. } => other.as_deref().map_or(0, Board::memory_bytes),
            Change::Team { before, after, .. } => before.memory_bytes() + after.memory_bytes(),
        }
    }

    fn relabel(&mut self, to: String) {
        match self {
            Change::Entry { label, .. }
            | Change::Board { label, .. }
            | Change::Team { label, .. } => *label = to,
        }
    }

    fn label(&self) -> &str {
        match self {
            Change::Entry { label, .. }
            | Change::Board { label, .. }
            | Change::Team { label, .. } => label,
        }
    }
}

/// The open board and its undo history. `Default` is the empty workspace, with no I/O.
#[derive(Clone, Debug)]
pub struct Workspace {
    board: Option<Board>,
    team: Team,
    /// Oldest first, so the oldest step is dropped from the front.
    undo: VecDeque<Step>,
    redo: Vec<Step>,
    /// The most bytes the history keeps (see `UNDO_BUDGET_BYTES`).
    budget: usize,
    /// How the person laid the board out: limits, sort and lanes. A view of the board, not a
    /// change of it, so it is not undone; it is kept with the board (`SavedBoard::layout`).
    layout: Layout,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace::restored(None, Team::default())
    }
}

impl Workspace {
    /// A workspace with `board` open and no history, as after a reload.
    pub fn restored(board: Option<Board>, team: Team) -> Workspace {
        Workspace {
            board,
            team,
            undo: VecDeque::new(),
            redo: Vec::new(),
            budget: UNDO_BUDGET_BYTES,
            layout: Layout::default(),
        }
    }

    /// How the board is laid out: limits, sort and lanes.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Lays the board out anew; not a change of the board, so not in the history.
    pub fn set_layout(&mut self, layout: Layout) {
        self.layout = layout;
    }

    /// An empty workspace whose history keeps about `bytes` at most instead of
    /// `UNDO_BUDGET_BYTES`; for tests, and for a host with more or less memory to spare.
    pub fn with_undo_budget(bytes: usize) -> Workspace {
        Workspace {
            budget: bytes,
            ..Workspace::default()
        }
    }

    /// About how many bytes the undo and redo history keeps.
    pub fn history_bytes(&self) -> usize {
        self.undo.iter().chain(&self.redo).map(|s| s.bytes).sum()
    }

    pub fn team(&self) -> &Team {
        &self.team
    }

    pub fn board(&self) -> Option<&Board> {
        self.board.as_ref()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// What undo would revert, for the button's tooltip.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.back().map(|s| s.change.label())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.change.label())
    }

    /// Applies an action. On an error nothing changed.
    pub fn apply(&mut self, action: Action) -> Result<Outcome, MoveError> {
        let (change, outcome) = match action {
            Action::OpenBoard(board) => {
                let label = format!("open {}", board.file_name());
                let message = format!("Opened {}.", board.file_name());
                let other = self.board.replace(*board).map(Box::new);
                let change = Change::Board { other, label };
                (change, Outcome::of(Touched::Board, message))
            }
            Action::ReadAs(board) => {
                let label = "change fields".to_owned();
                let message = format!(
                    "Read {} with the chosen fields: {}.",
                    board.file_name(),
                    board
                        .fields()
                        .summary(board.shape().chosen().any(|c| c.is_map))
                );
                let other = self.board.replace(*board).map(Box::new);
                let change = Change::Board { other, label };
                (change, Outcome::of(Touched::Board, message))
            }
            Action::Follow {
                board,
                message,
                changed,
            } => {
                let label = "changes from the file".to_owned();
                let other = self.board.replace(*board).map(Box::new);
                let change = Change::Board { other, label };
                let touched = changed.map_or(Touched::Board, Touched::Cards);
                (change, Outcome::of(touched, message))
            }
            Action::Resolve { entry, how } if self.resolving_removes(entry, how) => {
                // The side chosen removed the requirement: keeping it would lose that choice.
                let (id, change) = self.delete(entry, "remove {id} as chosen")?;
                let message = format!("Removed {id}, as the side you chose did.");
                (change, Outcome::of(Touched::Board, message))
            }
            Action::Resolve { entry, how } => {
                let (id, mut change) = self.change_entry(entry, |b| b.resolve(entry, how))?;
                let (label, message) = match how {
                    Resolution::KeepMine => (
                        format!("keep mine for {id}"),
                        format!(
                            "Kept the board's values for {id}; saving writes them to the file."
                        ),
                    ),
                    Resolution::TakeTheirs => (
                        format!("take the file's {id}"),
                        format!("Took the file's values for {id}."),
                    ),
                    Resolution::BothHistories => (
                        format!("keep both histories of {id}"),
                        format!("Kept both histories of {id}."),
                    ),
                };
                change.relabel(label);
                (change, Outcome::of(Touched::Cards(vec![entry]), message))
            }
            Action::Edit { entry, edit } => {
                let (id, mut change) = self.change_entry(entry, |b| b.apply_edit(entry, &edit))?;
                let label = edit.describe(&id);
                let message = match edit {
                    Edit::Deprecate => format!("Deprecated {id}."),
                    _ => format!("Saved: {label}."),
                };
                change.relabel(label);
                (change, Outcome::of(Touched::Cards(vec![entry]), message))
            }
            Action::MoveAll(moves) => {
                let board = self.board.as_mut().ok_or(MoveError::NoSuchCard)?;
                let mut states: Vec<(EntryIndex, Box<Entry>, Box<Entry>)> =
                    Vec::with_capacity(moves.len());
                // One move per card: undo puts each card back from one state.
                for (i, mv) in moves.iter().enumerate() {
                    if moves[..i].iter().any(|m| m.entry == mv.entry) {
                        return Err(MoveError::NoSuchCard);
                    }
                }
                for mv in &moves {
                    let applied = board
                        .snapshot(mv.entry)
                        .ok_or(MoveError::NoSuchCard)
                        .and_then(|before| board.apply_move(mv).map(|_| before));
                    let before = match applied {
                        Ok(before) => before,
                        Err(e) => {
                            // Put back what moved already, latest first.
                            for (index, before, _) in states.into_iter().rev() {
                                board.restore(index, *before);
                            }
                            return Err(e);
                        }
                    };
                    let after = board.snapshot(mv.entry).ok_or(MoveError::NoSuchCard)?;
                    states.push((mv.entry, Box::new(before), Box::new(after)));
                }
                let n = states.len();
                let plural = if n == 1 { "" } else { "s" };
                let touched = Touched::Cards(states.iter().map(|s| s.0).collect());
                let change = Change::Entry {
                    states,
                    label: format!("{n} suggested move{plural}"),
                };
                let message = format!("Applied {n} suggested move{plural}.");
                (change, Outcome::of(touched, message))
            }
            Action::Create(new) => {
                let board = self.board.as_ref().ok_or(MoveError::NoSuchCard)?;
                let created = board.create(&new)?;
                let id = new.id.trim().to_owned();
                let label = format!("create {id}");
                let message = format!("Created {id} in Backlog.");
                let other = self.board.replace(created).map(Box::new);
                let change = Change::Board { other, label };
                (change, Outcome::of(Touched::Board, message))
            }
            Action::SetFileLimits(limits) => {
                let board = self.board.as_ref().ok_or(MoveError::NoSuchCard)?;
                let written = board.with_file_limits(&limits)?;
                let other = self.board.replace(written).map(Box::new);
                let change = Change::Board {
                    other,
                    label: "write the limits into the file".to_owned(),
                };
                let message = if limits.iter().all(Option::is_none) {
                    "Took the limits out of the file's meta.wip_limits; they are written with the next save."
                } else {
                    "Put the limits in the file's meta.wip_limits; they are written with the next save."
                };
                (change, Outcome::of(Touched::Board, message))
            }
            Action::Delete { entry } => {
                let (id, change) = self.delete(entry, "delete {id}")?;
                (
                    change,
                    Outcome::of(Touched::Board, format!("Deleted {id}.")),
                )
            }
            Action::CloseBoard => {
                let Some(before) = self.board.take() else {
                    return Ok(Outcome::of(Touched::Board, String::new()));
                };
                let label = format!("close {}", before.file_name());
                let change = Change::Board {
                    other: Some(Box::new(before)),
                    label,
                };
                (change, Outcome::of(Touched::Board, "Closed the board."))
            }
            Action::AddAgents(members) => {
                let before = Box::new(self.team.clone());
                let names: Vec<String> = members.iter().map(|m| m.agent.name.clone()).collect();
                let replaced = self.team.add(members);
                let plural = if names.len() == 1 { "" } else { "s" };
                let mut message = format!("Added {} agent{plural}.", names.len());
                if !replaced.is_empty() {
                    message.push_str(&format!(" Replaced {}.", replaced.join(", ")));
                }
                let label = format!("import agents {}", names.join(", "));
                let change = Change::Team {
                    before,
                    after: Box::new(self.team.clone()),
                    label,
                };
                (change, Outcome::of(Touched::Team, message))
            }
            Action::SetOwner { stage, agent } => {
                let before = Box::new(self.team.clone());
                if !self.team.set_owner(stage, agent.clone()) {
                    return Err(MoveError::NoSuchAgent);
                }
                let who = agent.unwrap_or_else(|| "nobody".into());
                let message = format!("{who} now owns {stage}.");
                let label = format!("make {who} owner of {stage}");
                let change = Change::Team {
                    before,
                    after: Box::new(self.team.clone()),
                    label,
                };
                (change, Outcome::of(Touched::Team, message))
            }
            Action::MoveCard(mv) => {
                let board = self.board.as_mut().ok_or(MoveError::NoSuchCard)?;
                let before = board.snapshot(mv.entry).ok_or(MoveError::NoSuchCard)?;
                let moved = board.apply_move(&mv)?;
                let after = board.snapshot(mv.entry).ok_or(MoveError::NoSuchCard)?;
                let id = after.card().map(|c| c.id.to_string()).unwrap_or_default();
                let message = format!("{id} moved from {} to {}.", moved.from, moved.to);
                let label = format!("move {id} to {}", moved.to);
                let change = Change::Entry {
                    states: vec![(mv.entry, Box::new(before), Box::new(after))],
                    label,
                };
                let touched = Touched::Cards(vec![mv.entry]);
                (
                    change,
                    Outcome {
                        touched,
                        message,
                        moved: Some(moved),
                        dropped: 0,
                    },
                )
            }
        };
        let mut outcome = outcome;
        self.redo.clear();
        self.undo.push_back(Step::new(change));
        outcome.dropped = self.trim();
        if let Some(note) = outcome.history_note() {
            outcome.message = format!("{} {note}", outcome.message)
                .trim_start()
                .to_owned();
        }
        Ok(outcome)
    }

    /// Changes entry `entry` of the open board with `change`; returns its id and the change
    /// for undo (both states of the entry, labelled afterwards).
    fn change_entry(
        &mut self,
        entry: EntryIndex,
        change: impl FnOnce(&mut Board) -> Result<(), MoveError>,
    ) -> Result<(String, Change), MoveError> {
        let board = self.board.as_mut().ok_or(MoveError::NoSuchCard)?;
        let before = board.snapshot(entry).ok_or(MoveError::NoSuchCard)?;
        change(board)?;
        let after = board.snapshot(entry).ok_or(MoveError::NoSuchCard)?;
        let id = after.card().map(|c| c.id.to_string()).unwrap_or_default();
        let change = Change::Entry {
            states: vec![(entry, Box::new(before), Box::new(after))],
            label: String::new(),
        };
        Ok((id, change))
    }

    /// Puts the board without `entry` in place of the open one; returns the requirement's id
    /// and the change for undo, labelled `label` with `{id}` replaced.
    fn delete(&mut self, entry: EntryIndex, label: &str) -> Result<(String, Change), MoveError> {
        let board = self.board.as_ref().ok_or(MoveError::NoSuchCard)?;
        let id = board
            .card(entry)
            .map(|c| c.id.to_string())
            .ok_or(MoveError::NoSuchCard)?;
        let remaining = board.delete(entry)?;
        let label = label.replace("{id}", &id);
        let other = self.board.replace(remaining).map(Box::new);
        Ok((id, Change::Board { other, label }))
    }

    /// Whether settling entry `entry`'s conflict `how` means removing it: keeping the board's
    /// side where the board deleted it, or taking the file's where the file did.
    fn resolving_removes(&self, entry: EntryIndex, how: Resolution) -> bool {
        self.board.as_ref().is_some_and(|b| {
            b.conflicts(entry).iter().any(|c| {
                c.key.is_empty()
                    && match how {
                        Resolution::KeepMine => c.ours.is_none(),
                        Resolution::TakeTheirs => c.theirs.is_none(),
                        Resolution::BothHistories => false,
                    }
            })
        })
    }

    /// Drops the oldest steps beyond `UNDO_DEPTH`, then beyond the byte budget, always
    /// keeping the newest. Returns how many were dropped for the budget.
    fn trim(&mut self) -> usize {
        while self.undo.len() > UNDO_DEPTH {
            self.undo.pop_front();
        }
        let mut kept: usize = self.undo.iter().map(|s| s.bytes).sum();
        let mut dropped = 0;
        while kept > self.budget && self.undo.len() > 1 {
            if let Some(old) = self.undo.pop_front() {
                kept -= old.bytes;
                dropped += 1;
            }
        }
        dropped
    }

    /// The board's export, `text`, was just written to its file: the board takes it as what
    /// it read, so nothing is unsaved. Undo keeps working across it: the steps of this board
    /// that would put an entry back "as the file had it" now hold that value, since the file
    /// has another now.
    ///
    /// `board` is the board whose export was written, `origin` its `Board::origin`: when
    /// another board of the same file is open now (the person moved a card while the write
    /// was in flight, or undid a merge), the written text only becomes its base, and its
    /// changes stay unsaved. `false`, and nothing changed, when no board or a board of
    /// another file is open.
    pub fn saved(&mut self, text: &str, board: BoardId, origin: BoardId) -> bool {
        // The boards of this file that undo or redo would bring back and that stood on the
        // same text of the file as the written one (before a creation or a deletion, not
        // before a change from the file) now stand against the written file: brought back,
        // they are merged with it, so what they lack (a requirement created since) is
        // removed by the next save, not kept from the file. A board from before a change
        // from the file keeps its older base, so the next save merges that change in.
        let boards = || {
            self.board
                .iter()
                .chain(
                    self.undo
                        .iter()
                        .chain(&self.redo)
                        .filter_map(|s| match &s.change {
                            Change::Board { other, .. } => other.as_deref(),
                            _ => None,
                        }),
                )
        };
        let base = boards()
            .find(|b| b.id() == board)
            .map(|b| b.base_text().to_owned());
        if let Some(base) = base {
            for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
                if let Change::Board {
                    other: Some(other), ..
                } = &mut step.change
                    && other.origin() == origin
                    && other.base_text() == base
                {
                    other.written(text);
                }
            }
        }
        let Some(open) = self.board.as_mut().filter(|b| b.origin() == origin) else {
            return false;
        };
        if open.id() != board || open.export() != text {
            open.written(text);
            return true;
        }
        let board = open;
        // The steps of the open board: back to the last board swap, on both stacks.
        let undo = self
            .undo
            .iter_mut()
            .rev()
            .map(|s| &mut s.change)
            .take_while(|c| !matches!(c, Change::Board { .. }));
        let redo = self
            .redo
            .iter_mut()
            .rev()
            .map(|s| &mut s.change)
            .take_while(|c| !matches!(c, Change::Board { .. }));
        let mut pinned = Vec::new();
        for change in undo.chain(redo) {
            if let Change::Entry { states, .. } = change {
                for (index, before, after) in states {
                    for state in [before, after] {
                        if state.edited.is_none() {
                            pinned.push((&mut **state, *index));
                        }
                    }
                }
            }
        }
        let values: Vec<_> = pinned.iter().map(|(_, i)| board.file_value(*i)).collect();
        if !board.rebase(text) {
            // Not readable as the same requirements in the same places: the written text is
            // still what the file holds, so the next merge starts from it.
            board.written(text);
            return true;
        }
        for ((state, _), value) in pinned.into_iter().zip(values) {
            state.edited = value;
        }
        true
    }

    /// Reverts the last change; `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Option<Outcome> {
        let mut step = self.undo.pop_back()?;
        let outcome = self.swap(&mut step, true);
        self.redo.push(step);
        Some(outcome)
    }

    /// Applies again the last change undone; `None` when there is nothing to redo.
    pub fn redo(&mut self) -> Option<Outcome> {
        let mut step = self.redo.pop()?;
        let outcome = self.swap(&mut step, false);
        self.undo.push_back(step);
        Some(outcome)
    }

    fn swap(&mut self, step: &mut Step, undoing: bool) -> Outcome {
        let verb = if undoing { "Undid" } else { "Redid" };
        let message = format!("{verb} {}.", step.change.label());
        match &mut step.change {
            Change::Entry { states, .. } => {
                let mut touched = Vec::with_capacity(states.len());
                for (index, before, after) in states.iter() {
                    let state = if undoing { before } else { after };
                    if let Some(board) = self.board.as_mut() {
                        board.restore(*index, (**state).clone());
                    }
                    touched.push(*index);
                }
                Outcome::of(Touched::Cards(touched), message)
            }
            Change::Team { before, after, .. } => {
                let state = if undoing { before } else { after };
                self.team = (**state).clone();
                Outcome::of(Touched::Team, message)
            }
            Change::Board { other, .. } => {
                let open = self.board.take().map(Box::new);
                self.board = std::mem::replace(other, open).map(|b| *b);
                // The step now holds the other board, so it keeps another size.
                step.bytes = step.change.memory_bytes();
                Outcome::of(Touched::Board, message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::Stage;

    const FILE: &[u8] = br#"{"requirements": [{"id": "R1", "tests": ["t"]}, {"id": "R2"}]}"#;

    fn open(ws: &mut Workspace, bytes: &[u8]) {
        let (board, _) = Board::import("m.json", bytes).unwrap();
        ws.apply(Action::OpenBoard(Box::new(board))).unwrap();
    }

    fn mv(entry: EntryIndex, to: Stage) -> Action {
        Action::MoveCard(Move {
            entry,
            to,
            by: "qa".into(),
            at: "now".into(),
            override_reason: None,
        })
    }

    fn export(ws: &Workspace) -> String {
        ws.board().unwrap().export()
    }

    #[test]
    fn undo_and_redo_a_move() {
        let mut ws = Workspace::default();
        open(&mut ws, FILE);
        let outcome = ws.apply(mv(0, Stage::Red)).unwrap();
        assert_eq!(outcome.message, "R1 moved from Test written to Red.");
        assert_eq!(outcome.touched, Touched::Cards(vec![0]));
        let moved = export(&ws);
        assert_eq!(ws.undo_label(), Some("move R1 to Red"));
        assert_eq!(ws.undo().unwrap().message, "Undid move R1 to Red.");
        assert_eq!(
            export(&ws).as_bytes(),
            FILE,
            "an undone move is gone from the export"
        );
        assert_eq!(ws.redo().unwrap().message, "Redid move R1 to Red.");
        assert_eq!(export(&ws), moved);
        assert!(ws.redo().is_none());
    }

    #[test]
    fn a_failed_move_is_not_recorded() {
        let mut ws = Workspace::default();
        open(&mut ws, FILE);
        assert!(ws.apply(mv(1, Stage::Red)).is_err());
        assert_eq!(ws.undo_label(), Some("open m.json"));
    }

    #[test]
    fn a_new_change_clears_redo() {
        let mut ws = Workspace::default();
        open(&mut ws, FILE);
        ws.apply(mv(0, Stage::Red)).unwrap();
        ws.undo();
        assert!(ws.can_redo());
        ws.apply(mv(0, Stage::Backlog)).unwrap();
        assert!(!ws.can_redo());
    }

    #[test]
    fn undo_an_import_brings_back_the_previous_board() {
        let mut ws = Workspace::default();
        open(&mut ws, FILE);
        ws.apply(mv(0, Stage::Red)).unwrap();
        let first = export(&ws);
        open(&mut ws, br#"[{"id": "X"}]"#);
        assert_eq!(ws.board().unwrap().len(), 1);
        assert_eq!(ws.undo().unwrap().touched, Touched::Board);
        assert_eq!(export(&ws), first);
        ws.undo();
        ws.undo();
        assert!(ws.board().is_none());
        ws.redo();
        assert_eq!(export(&ws).as_bytes(), FILE);
    }

    #[test]
    fn close_and_undo_close() {
        let mut ws = Workspace::default();
        open(&mut ws, FILE);
        ws.apply(Action::CloseBoard).unwrap();
        assert!(ws.board().is_none());
        ws.undo();
        assert!(ws.board().is_some());
    }

    #[test]
    fn team_changes_are_undoable() {
        let mut ws = Workspace::default();
        let (members, _) = crate::team::read_agent_files(&[(
            "qa.md".to_owned(),
            b"---\nname: qa\ndescription: tester\n---\n".to_vec(),
        )]);
        ws.apply(Action::AddAgents(members)).unwrap();
        assert_eq!(ws.team().owner(Stage::Red), Some("qa"));
        ws.apply(Action::SetOwner {
            stage: Stage::Red,
            agent: None,
        })
        .unwrap();
        assert_eq!(ws.team().owner(Stage::Red), None);
        assert!(
            ws.apply(Action::SetOwner {
                stage: Stage::Red,
                agent: Some("ghost".into())
            })
            .is_err()
        );
        assert_eq!(ws.undo().unwrap().touched, Touched::Team);
        assert_eq!(ws.team().owner(Stage::Red), Some("qa"));
        ws.undo();
        assert!(ws.team().is_empty());
    }

    #[test]
    fn no_owner_survives_an_agent_import_and_undo_and_redo_still_work() {
        let mut ws = Workspace::default();
        let agents = |files: &[(&str, &str)]| {
            let files: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
                .collect();
            Action::AddAgents(crate::team::read_agent_files(&files).0)
        };
        ws.apply(agents(&[(
            "qa.md",
            "---\nname: qa\ndescription: tester\n---\n",
        )]))
        .unwrap();
        ws.apply(Action::SetOwner {
            stage: Stage::Red,
            agent: None,
        })
        .unwrap();
        ws.apply(agents(&[
            ("qa2.md", "---\nname: qa2\ndescription: tester\n---\n"),
            (
                "qa.md",
                "---\nname: qa\ndescription: tester\nmodel: opus\n---\n",
            ),
        ]))
        .unwrap();
        assert_eq!(ws.team().owner(Stage::Red), None);
        assert_eq!(ws.team().owner(Stage::TestWritten), Some("qa"));
        ws.undo();
        assert_eq!(ws.team().owner(Stage::Red), None);
        assert_eq!(
            ws.undo().unwrap().message,
            "Undid make nobody owner of Red."
        );
        assert_eq!(ws.team().owner(Stage::Red), Some("qa"));
        ws.redo();
        assert_eq!(ws.team().owner(Stage::Red), None);
        ws.redo();
        assert_eq!(ws.team().owner(Stage::Red), None);
        assert_eq!(ws.team().members().len(), 2);
    }

    #[test]
    fn ten_imports_of_a_large_board_keep_the_history_within_its_budget() {
        let text = crate::board::tests::large_matrix(2000);
        let open_big = |ws: &mut Workspace, i: usize| {
            let (board, _) = Board::import(&format!("big-{i}.json"), text.as_bytes()).unwrap();
            ws.apply(Action::OpenBoard(Box::new(board))).unwrap()
        };
        let board_bytes = Board::import("big.json", text.as_bytes())
            .unwrap()
            .0
            .memory_bytes();
        assert!(board_bytes > text.len(), "a board keeps at least its text");
        // Room for three previous boards and a half: the fifth import must drop the oldest.
        let budget = 3 * board_bytes + board_bytes / 2;
        let mut ws = Workspace::with_undo_budget(budget);
        let mut dropped = Vec::new();
        for i in 1..=10 {
            let outcome = open_big(&mut ws, i);
            assert!(
                ws.history_bytes() <= budget,
                "after import {i}: {} > {budget}",
                ws.history_bytes()
            );
            dropped.push(outcome.dropped);
            if i == 5 {
                assert_eq!(
                    outcome.message,
                    "Opened big-5.json. Undo history trimmed: the oldest 2 steps were dropped \
                     to stay within memory."
                );
            }
            if i == 6 {
                assert_eq!(
                    outcome.history_note().as_deref(),
                    Some(
                        "Undo history trimmed: the oldest step was dropped to stay within memory."
                    )
                );
            }
        }
        // The first import (of nothing) and the first board went at the fifth, one each after.
        assert_eq!(dropped, [0, 0, 0, 0, 2, 1, 1, 1, 1, 1]);
        // The three most recent imports can still be undone, and redone.
        for previous in [9, 8, 7] {
            assert_eq!(ws.undo().unwrap().touched, Touched::Board);
            assert_eq!(
                ws.board().unwrap().file_name(),
                format!("big-{previous}.json")
            );
        }
        assert!(!ws.can_undo());
        assert_eq!(export(&ws), text);
        for _ in 0..3 {
            ws.redo().unwrap();
        }
        assert_eq!(ws.board().unwrap().file_name(), "big-10.json");
        assert!(ws.history_bytes() <= budget);

        // With the default budget the same imports keep every step and say nothing.
        let mut ws = Workspace::default();
        for i in 1..=10 {
            let outcome = open_big(&mut ws, i);
            assert_eq!((outcome.dropped, outcome.history_note()), (0, None));
        }
        assert!(ws.history_bytes() <= UNDO_BUDGET_BYTES);
    }

    #[test]
    fn the_newest_step_is_kept_even_when_alone_it_is_over_the_budget() {
        let mut ws = Workspace::with_undo_budget(1);
        open(&mut ws, FILE);
        let (board, _) = Board::import("other.json", br#"[{"id": "X"}]"#).unwrap();
        let outcome = ws.apply(Action::OpenBoard(Box::new(board))).unwrap();
        assert_eq!(
            outcome.message,
            "Opened other.json. Undo history trimmed: the oldest step was dropped to stay \
             within memory."
        );
        assert_eq!(ws.undo_label(), Some("open other.json"));
        ws.undo();
        assert_eq!(export(&ws).as_bytes(), FILE, "the latest import is undone");
        assert!(!ws.can_undo());
        ws.redo();
        // A move pushes out the import before it, and is itself undoable.
        let forced = Action::MoveCard(Move {
            override_reason: Some("test".into()),
            entry: 0,
            to: Stage::Red,
            by: "qa".into(),
            at: "now".into(),
        });
        let outcome = ws.apply(forced).unwrap();
        assert_eq!(outcome.dropped, 1);
        assert_eq!(
            outcome.message,
            "X moved from Backlog to Red. Undo history trimmed: the oldest step was dropped to \
             stay within memory."
        );
        ws.undo();
        assert_eq!(ws.board().unwrap().card(0).unwrap().id.as_str(), "X");
        assert!(!ws.can_undo());
    }
}
