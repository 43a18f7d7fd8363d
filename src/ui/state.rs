//! The reactive mirror of the workspace, and the only place the UI changes it.
//!
//! `AppState` holds the core `Workspace` in a `StoredValue` (not reactive) and a few signals
//! that mirror what the view needs: the card keys of each column, notices, the drag. Every
//! change goes through `dispatch`, `undo` or `redo`, which apply it to the workspace and then
//! refresh only the columns whose keys changed, so moving one card re-renders one card.
//! It does not render anything and does not touch the DOM beyond the clock.

use leptos::prelude::*;

use traceboard_core::board::{Board, EntryIndex, Move, MoveError};
use traceboard_core::saved::SavedBoard;
use traceboard_core::stage::{GateBreach, Stage};
use traceboard_core::team::{Team, read_agent_files};
use traceboard_core::workspace::{Action, Outcome, Touched, Workspace};

/// The identity of a rendered card: its entry and a version bumped whenever it changes, so a
/// keyed list re-renders exactly the cards that changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CardKey {
    pub entry: EntryIndex,
    pub version: u32,
}

/// A message shown above the board: errors in an `alert`, reports in a `status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Error(String),
    Info(String),
}

/// A card being dragged with a pointer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drag {
    pub entry: EntryIndex,
    pub from: Stage,
    pub x: f64,
    pub y: f64,
    /// Where the pointer grabbed the card, from its top-left corner.
    pub grab: (f64, f64),
    pub width: f64,
    pub over: Option<Stage>,
    /// Lifted with the keyboard: no ghost follows a pointer, arrows choose the column.
    pub keyboard: bool,
}

/// A move stopped by a TDD gate, waiting for the user to give a reason or cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingOverride {
    pub entry: EntryIndex,
    pub to: Stage,
    pub breach: GateBreach,
    pub id: String,
}

#[derive(Clone, Copy)]
pub struct AppState {
    ws: StoredValue<Workspace>,
    versions: StoredValue<Vec<u32>>,
    pub columns: [RwSignal<Vec<CardKey>>; 5],
    pub board_open: RwSignal<bool>,
    pub file_name: RwSignal<String>,
    pub saved_note: RwSignal<String>,
    pub notice: RwSignal<Option<Notice>>,
    /// The text of the polite live region that announces moves to screen readers.
    pub announcement: RwSignal<String>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    pub show_deprecated: RwSignal<bool>,
    pub drag: RwSignal<Option<Drag>>,
    /// The entry being dragged: changes only when a drag starts or ends, so cards can
    /// watch it without re-running on every pointer move.
    pub dragged: Memo<Option<EntryIndex>>,
    pub pending_override: RwSignal<Option<PendingOverride>>,
    /// The card that has keyboard focus; a long column keeps it rendered while it scrolls.
    pub focused: RwSignal<Option<EntryIndex>>,
    /// The card whose "Move to…" menu is open.
    pub move_menu: RwSignal<Option<EntryIndex>>,
    /// Whether the keyboard shortcuts dialog is open.
    pub shortcuts_open: RwSignal<bool>,
    /// Bumped after every change, for autosave.
    pub revision: RwSignal<u64>,
    /// Bumped when the team (agents or owners) changes; the roster and owners watch it.
    pub team_revision: RwSignal<u64>,
    /// The agent a person moves cards as, instead of the owner of the target stage.
    pub acting_as: RwSignal<Option<String>>,
    /// Show only the cards whose id, text, tests or code contain this text (any case).
    pub search: RwSignal<String>,
    /// Show only the cards where it is this agent's turn.
    pub turn_filter: RwSignal<Option<String>>,
}

impl AppState {
    pub fn new() -> AppState {
        let drag = RwSignal::new(None::<Drag>);
        AppState {
            ws: StoredValue::new(Workspace::default()),
            versions: StoredValue::new(Vec::new()),
            columns: std::array::from_fn(|_| RwSignal::new(Vec::new())),
            board_open: RwSignal::new(false),
            file_name: RwSignal::new(String::new()),
            saved_note: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            show_deprecated: RwSignal::new(false),
            drag,
            dragged: Memo::new(move |_| drag.with(|d| d.as_ref().map(|d| d.entry))),
            pending_override: RwSignal::new(None),
            move_menu: RwSignal::new(None),
            focused: RwSignal::new(None),
            shortcuts_open: RwSignal::new(false),
            revision: RwSignal::new(0),
            team_revision: RwSignal::new(0),
            acting_as: RwSignal::new(None),
            turn_filter: RwSignal::new(None),
            search: RwSignal::new(String::new()),
        }
    }

    /// Reads the board, if one is open.
    pub fn with_board<R>(&self, f: impl FnOnce(Option<&Board>) -> R) -> R {
        self.ws.with_value(|ws| f(ws.board()))
    }

    /// Reads the team, watching for changes to it.
    pub fn with_team<R>(&self, f: impl FnOnce(&Team) -> R) -> R {
        self.team_revision.track();
        self.ws.with_value(|ws| f(ws.team()))
    }

    /// Imports agent definition files; unreadable ones (including `unreadable`, which the
    /// browser could not read) are reported, the rest land.
    pub fn import_agents(&self, files: Vec<(String, Vec<u8>)>, unreadable: Vec<String>) {
        let (members, mut report) = read_agent_files(&files);
        report.errors.extend(unreadable);
        report.replaced = self.ws.with_value(|ws| {
            members
                .iter()
                .filter(|m| ws.team().member(&m.agent.name).is_some())
                .map(|m| m.agent.name.clone())
                .collect()
        });
        if members.is_empty() {
            self.notice.set(Some(Notice::Error(format!(
                "No agents were imported. {report}"
            ))));
            return;
        }
        self.dispatch(Action::AddAgents(members));
        self.notice.set(Some(Notice::Info(report.to_string())));
    }

    /// Imports a file's bytes. A bad file shows a message and leaves the open board alone.
    pub fn import_matrix(&self, file_name: &str, bytes: Vec<u8>) {
        match Board::import_owned(file_name, bytes) {
            Ok((board, report)) => {
                let mut text = report.to_string();
                for warning in report.warnings.iter().take(50) {
                    text.push_str(&format!("\n• {}: {}", warning.position, warning.message));
                }
                if report.warnings.len() > 50 {
                    text.push_str(&format!(
                        "\n• and {} more warnings",
                        report.warnings.len() - 50
                    ));
                }
                self.dispatch(Action::OpenBoard(Box::new(board)));
                self.notice.set(Some(Notice::Info(text)));
            }
            Err(e) => self.notice.set(Some(Notice::Error(format!(
                "Could not import {file_name}. {e}"
            )))),
        }
    }

    /// Applies an action and refreshes what it touched. Errors become a notice.
    pub fn dispatch(&self, action: Action) -> bool {
        match self.ws.try_update_value(|ws| ws.apply(action)) {
            Some(Ok(outcome)) => {
                self.after_change(outcome);
                true
            }
            Some(Err(e)) => {
                self.notice.set(Some(Notice::Error(e.to_string())));
                self.announcement.set(e.to_string());
                false
            }
            None => false,
        }
    }

    /// The tooltip of the Undo or Redo button: what it would take back or do again.
    pub fn history_title(&self, undo: bool) -> String {
        // Both flags are set after every change, so tracking them re-reads the label.
        self.can_undo.track();
        self.can_redo.track();
        self.ws.with_value(|ws| {
            let label = if undo {
                ws.undo_label()
            } else {
                ws.redo_label()
            };
            match (undo, label) {
                (true, Some(l)) => format!("Undo {l} (Ctrl+Z)"),
                (false, Some(l)) => format!("Redo {l} (Ctrl+Shift+Z)"),
                (true, None) => "Nothing to undo".to_owned(),
                (false, None) => "Nothing to redo".to_owned(),
            }
        })
    }

    pub fn undo(&self) {
        if let Some(outcome) = self.ws.try_update_value(Workspace::undo).flatten() {
            self.after_change(outcome);
        }
    }

    pub fn redo(&self) {
        if let Some(outcome) = self.ws.try_update_value(Workspace::redo).flatten() {
            self.after_change(outcome);
        }
    }

    /// Asks to move a card; a move stopped by a gate opens the override dialog instead.
    pub fn request_move(&self, entry: EntryIndex, to: Stage) {
        let check = self.with_board(|b| {
            b.map(|b| {
                (
                    b.check_move(entry, to),
                    b.card(entry).map(|c| c.id.to_string()),
                )
            })
        });
        match check {
            Some((Ok(()), _)) => {
                self.dispatch(Action::MoveCard(self.new_move(entry, to, None)));
            }
            Some((Err(MoveError::Gate(breach)), Some(id))) => {
                self.announcement.set(format!(
                    "{id} cannot move to {to} yet: {breach}. Give a reason to override."
                ));
                self.pending_override.set(Some(PendingOverride {
                    entry,
                    to,
                    breach,
                    id,
                }));
            }
            Some((Err(MoveError::SameStage), _)) => {}
            Some((Err(e), _)) => self.notice.set(Some(Notice::Error(e.to_string()))),
            None => {}
        }
    }

    /// Moves a card against a gate, with the reason the user gave.
    pub fn override_move(&self, pending: &PendingOverride, reason: String) -> bool {
        self.dispatch(Action::MoveCard(self.new_move(
            pending.entry,
            pending.to,
            Some(reason),
        )))
    }

    fn new_move(&self, entry: EntryIndex, to: Stage, override_reason: Option<String>) -> Move {
        let acting_as = self.acting_as.get_untracked();
        let by = self
            .ws
            .with_value(|ws| ws.team().actor(to, acting_as.as_deref()));
        Move {
            entry,
            to,
            by,
            at: now_iso(),
            override_reason,
        }
    }

    pub fn export_text(&self) -> Option<String> {
        self.with_board(|b| b.map(Board::export))
    }

    fn after_change(&self, outcome: Outcome) {
        let open = self.with_board(|b| b.is_some());
        match &outcome.touched {
            Touched::Board => {
                let len = self.with_board(|b| b.map_or(0, Board::len));
                // Fresh versions after a board swap make every card render anew.
                let base = self
                    .versions
                    .with_value(|v| v.iter().copied().max().unwrap_or(0))
                    + 1;
                self.versions.set_value(vec![base; len]);
                self.file_name.set(
                    self.with_board(|b| b.map(|b| b.file_name().to_owned()).unwrap_or_default()),
                );
            }
            Touched::Team => self.team_revision.update(|r| *r += 1),
            Touched::Cards(entries) => self.versions.update_value(|v| {
                for &e in entries {
                    if let Some(version) = v.get_mut(e) {
                        *version += 1;
                    }
                }
            }),
        }
        self.refresh_columns();
        self.board_open.set(open);
        self.can_undo.set(self.ws.with_value(Workspace::can_undo));
        self.can_redo.set(self.ws.with_value(Workspace::can_redo));
        if !outcome.message.is_empty() {
            self.announcement.set(outcome.message);
        }
        if let Some(moved) = outcome.moved.as_ref().filter(|m| !m.kept.is_empty()) {
            self.notice.set(Some(Notice::Info(format!(
                "Kept {} as written: the board does not overwrite values it does not know.",
                moved.kept.join(" and ")
            ))));
        }
        self.revision.update(|r| *r += 1);
    }

    /// Recomputes each column's card keys and sets only the columns that changed.
    pub fn refresh_columns(&self) {
        let with_deprecated = self.show_deprecated.get_untracked();
        let turn_filter = self.turn_filter.get_untracked();
        let search = self.search.with_untracked(|s| super::lower_case(s.trim()));
        let mut columns: [Vec<CardKey>; 5] = Default::default();
        self.ws.with_value(|ws| {
            self.versions.with_value(|versions| {
                if let Some(board) = ws.board() {
                    for (entry, card) in board.cards() {
                        if card.deprecated && !with_deprecated {
                            continue;
                        }
                        if !search.is_empty() && !card.matches(&search, super::lower_case) {
                            continue;
                        }
                        if let Some(agent) = &turn_filter
                            && ws.team().turn(card.stage) != Some(agent.as_str())
                        {
                            continue;
                        }
                        let version = versions.get(entry).copied().unwrap_or(0);
                        columns[card.stage.index()].push(CardKey { entry, version });
                    }
                }
            })
        });
        for (signal, keys) in self.columns.iter().zip(columns) {
            if signal.with_untracked(|old| *old != keys) {
                signal.set(keys);
            }
        }
    }

    /// Restores a saved board (after a reload, or another tab's write), with no undo history;
    /// `ui::saving` says where it came from.
    pub fn restore(&self, saved: &SavedBoard) {
        let restored = saved.restore();
        if let Some(problem) = restored.problem {
            self.notice.set(Some(Notice::Error(problem)));
        }
        self.ws.set_value(restored.workspace);
        self.after_change(Outcome {
            touched: Touched::Board,
            message: String::new(),
            moved: None,
        });
        self.team_revision.update(|r| *r += 1);
    }

    /// What autosave writes (`ui::saving`); `None` when there is nothing to keep.
    pub fn saved_board(&self) -> Option<SavedBoard> {
        self.ws.with_value(|ws| SavedBoard::of(ws, now_iso()))
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

/// The current time as ISO 8601, from the browser's clock.
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// `2026-11-26T10:04:05.123Z` → `10:04` in the user's local time.
pub fn short_time(iso: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
