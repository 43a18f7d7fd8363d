//! The one way to change what the user works on: an `Action`, applied in `Workspace::apply`.
//!
//! This module owns the open board (if any) and the undo and redo stacks. Every change the UI
//! makes (an import, a move, closing the board) is an `Action`, so undo, the history and the
//! autosave see every change, and each rule is tested once here. It deliberately holds no
//! reactive state: the UI mirrors what `Outcome::touched` says changed.

use crate::board::{Board, Entry, EntryIndex, Move, MoveError, Moved};
use crate::stage::Stage;
use crate::team::{Member, Team};

/// How many changes undo remembers. Old ones are forgotten first.
const UNDO_DEPTH: usize = 200;

/// A change a person asks for.
#[derive(Clone, Debug)]
pub enum Action {
    /// Opens an imported board in place of the current one.
    OpenBoard(Box<Board>),
    /// Moves a card to another column.
    MoveCard(Move),
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
    /// A sentence for the screen-reader live region and the status line.
    pub message: String,
    /// What a move did, when the change was a move.
    pub moved: Option<Moved>,
}

impl Outcome {
    fn of(touched: Touched, message: impl Into<String>) -> Outcome {
        Outcome {
            touched,
            message: message.into(),
            moved: None,
        }
    }
}

/// A change as undo remembers it: the state before and after, so undo and redo are swaps.
#[derive(Clone, Debug)]
enum Change {
    Entry {
        index: EntryIndex,
        before: Box<Entry>,
        after: Box<Entry>,
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

impl Change {
    fn label(&self) -> &str {
        match self {
            Change::Entry { label, .. }
            | Change::Board { label, .. }
            | Change::Team { label, .. } => label,
        }
    }
}

/// The open board and its undo history. `Default` is the empty workspace, with no I/O.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    board: Option<Board>,
    team: Team,
    undo: Vec<Change>,
    redo: Vec<Change>,
}

impl Workspace {
    /// A workspace with `board` open and no history, as after a reload.
    pub fn restored(board: Option<Board>, team: Team) -> Workspace {
        Workspace {
            board,
            team,
            undo: Vec::new(),
            redo: Vec::new(),
        }
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
        self.undo.last().map(Change::label)
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(Change::label)
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
                    index: mv.entry,
                    before: Box::new(before),
                    after: Box::new(after),
                    label,
                };
                let touched = Touched::Cards(vec![mv.entry]);
                (
                    change,
                    Outcome {
                        touched,
                        message,
                        moved: Some(moved),
                    },
                )
            }
        };
        self.undo.push(change);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(outcome)
    }

    /// Reverts the last change; `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Option<Outcome> {
        let mut change = self.undo.pop()?;
        let outcome = self.swap(&mut change, true);
        self.redo.push(change);
        Some(outcome)
    }

    /// Applies again the last change undone; `None` when there is nothing to redo.
    pub fn redo(&mut self) -> Option<Outcome> {
        let mut change = self.redo.pop()?;
        let outcome = self.swap(&mut change, false);
        self.undo.push(change);
        Some(outcome)
    }

    fn swap(&mut self, change: &mut Change, undoing: bool) -> Outcome {
        let verb = if undoing { "Undid" } else { "Redid" };
        let message = format!("{verb} {}.", change.label());
        match change {
            Change::Entry {
                index,
                before,
                after,
                ..
            } => {
                let state = if undoing { before } else { after };
                if let Some(board) = self.board.as_mut() {
                    board.restore(*index, (**state).clone());
                }
                Outcome::of(Touched::Cards(vec![*index]), message)
            }
            Change::Team { before, after, .. } => {
                let state = if undoing { before } else { after };
                self.team = (**state).clone();
                Outcome::of(Touched::Team, message)
            }
            Change::Board { other, .. } => {
                let open = self.board.take().map(Box::new);
                self.board = std::mem::replace(other, open).map(|b| *b);
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
}
