//! The reactive mirror of the workspace, and the only place the UI changes it.
//!
//! `AppState` holds the core `Workspace` in a `StoredValue` (not reactive) and a few signals
//! that mirror what the view needs: the card keys of each column, notices, the drag. Every
//! change goes through `dispatch`, `undo` or `redo`, which apply it to the workspace and then
//! refresh only the columns whose keys changed, so moving one card re-renders one card.
//! It does not render anything and does not touch the DOM beyond the clock.

use leptos::prelude::*;

use traceboard_core::board::ImportReport;
use traceboard_core::board::{Board, BoardId, CardRef, EntryIndex, Move, MoveError};
use traceboard_core::columns::{
    CardFilter, Facet, GroupBy, Layout, columns as card_columns, lanes as card_lanes, sort,
};
use traceboard_core::fields::Fields;
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

/// A swimlane as the board draws it: its name (`None`: the cards without a value, or the
/// only lane of a board not grouped) and its cards per column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaneKeys {
    pub name: Option<String>,
    pub columns: [Vec<CardKey>; 5],
}

/// A message shown above the board: errors in an `alert`, reports in a `status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Error(String),
    Info(String),
    /// An import report whose fields the board guessed: it offers "Change fields".
    Report(String),
}

/// A card being dragged with a pointer or lifted with the keyboard. It names the card with
/// its board, so a drag that outlives its board (an undo of an import) is recognised.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drag {
    pub card: CardRef,
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
    pub card: CardRef,
    pub to: Stage,
    pub breach: GateBreach,
    pub id: String,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub(crate) ws: StoredValue<Workspace>,
    versions: StoredValue<Vec<u32>>,
    /// Each column's shown cards in the order Up and Down walk them: lane after lane (the
    /// open ones), each lane's cards in the column's sort.
    pub columns: [RwSignal<Vec<CardKey>>; 5],
    /// The lanes and their cards per column; one lane when the board is not grouped.
    pub lanes: RwSignal<Vec<LaneKeys>>,
    /// How many cards each column holds before the search and the filters.
    pub totals: RwSignal<[usize; 5]>,
    /// How many cards each column holds that are not deprecated: what its limit counts.
    pub active: RwSignal<[usize; 5]>,
    /// The lanes folded shut, by name (`None`: the lane of cards without a value).
    pub collapsed: RwSignal<Vec<Option<String>>>,
    /// The limits, sort and grouping, as the workspace keeps them (`Workspace::layout`).
    pub layout: RwSignal<Layout>,
    /// The filters chosen beside the search (whose turn is `turn_filter`).
    pub facets: RwSignal<Vec<(Facet, String)>>,
    /// The file the workspace's layout belongs to, and the layouts of the other files opened
    /// on this page (`follow_layout`).
    layout_file: StoredValue<String>,
    layouts: StoredValue<Vec<(String, Layout)>>,
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
    /// The card being dragged: changes only when a drag starts or ends, so cards can
    /// watch it without re-running on every pointer move.
    pub dragged: Memo<Option<CardRef>>,
    pub pending_override: RwSignal<Option<PendingOverride>>,
    /// The card that has keyboard focus; a long column keeps it rendered while it scrolls.
    pub focused: RwSignal<Option<CardRef>>,
    /// The card whose "Move to…" menu is open.
    pub move_menu: RwSignal<Option<CardRef>>,
    /// Whether the keyboard shortcuts dialog is open.
    pub shortcuts_open: RwSignal<bool>,
    /// The board whose "Fields" dialog is open.
    pub fields_for: RwSignal<Option<BoardId>>,
    /// The card whose conflict with the file is being settled in the "Conflict" dialog.
    pub conflict_for: RwSignal<Option<CardRef>>,
    /// The requirement whose details are open: its id, its entry when they opened and the
    /// file's board lineage (`Board::origin`), so they never show another file's requirement.
    pub details_for: RwSignal<Option<(String, EntryIndex, BoardId)>>,
    /// A text box of the details holds something typed and not yet committed: the board is
    /// not swapped under it (`is_busy`).
    pub details_typing: RwSignal<bool>,
    /// The "New requirement" dialog is open, for the board of this lineage.
    pub new_requirement: RwSignal<Option<BoardId>>,
    /// Test results read on this page, matched to the open board's requirements.
    pub evidence: StoredValue<traceboard_core::results::Evidence>,
    /// The reports' files (name, text) behind `evidence`, kept with the board in storage.
    pub result_files: StoredValue<Vec<(String, String)>>,
    /// The board the results belong to: its lineage and its file's name.
    pub results_for: StoredValue<Option<(BoardId, String)>>,
    /// Bumped when test results arrive or are matched again.
    pub results_revision: RwSignal<u64>,
    /// Bumped after every change, for autosave.
    pub revision: RwSignal<u64>,
    /// Bumped when the layout changes (limits, sort, lanes): saved with the board, but not a
    /// change of the board, so nothing that reads the cards is worked out again.
    pub layout_revision: RwSignal<u64>,
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
            lanes: RwSignal::new(Vec::new()),
            totals: RwSignal::new([0; 5]),
            active: RwSignal::new([0; 5]),
            collapsed: RwSignal::new(Vec::new()),
            layout: RwSignal::new(Layout::default()),
            facets: RwSignal::new(Vec::new()),
            layout_file: StoredValue::new(String::new()),
            layouts: StoredValue::new(Vec::new()),
            board_open: RwSignal::new(false),
            file_name: RwSignal::new(String::new()),
            saved_note: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            show_deprecated: RwSignal::new(false),
            drag,
            dragged: Memo::new(move |_| drag.with(|d| d.as_ref().map(|d| d.card))),
            pending_override: RwSignal::new(None),
            move_menu: RwSignal::new(None),
            focused: RwSignal::new(None),
            shortcuts_open: RwSignal::new(false),
            fields_for: RwSignal::new(None),
            conflict_for: RwSignal::new(None),
            evidence: StoredValue::new(Default::default()),
            results_revision: RwSignal::new(0),
            result_files: StoredValue::new(Vec::new()),
            results_for: StoredValue::new(None),
            details_for: RwSignal::new(None),
            details_typing: RwSignal::new(false),
            new_requirement: RwSignal::new(None),
            revision: RwSignal::new(0),
            layout_revision: RwSignal::new(0),
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
    /// A file of a shape whose fields a person chose before opens with that choice.
    pub fn import_matrix(&self, file_name: &str, bytes: Vec<u8>) {
        let imported = Board::import_owned(file_name, bytes).map(|(board, report)| {
            let remembered = crate::storage::remembered_fields(&board.shape().signature)
                .and_then(|json| Fields::from_json(&json))
                .filter(|f| f != board.fields());
            match remembered.map(|fields| board.reread(&fields)) {
                Some(Ok((again, report))) => (again, report, true),
                _ => (board, report, false),
            }
        });
        match imported {
            Ok((board, report, remembered)) => {
                let undecided = report.undecided;
                let mut text = report_text(&report);
                if remembered {
                    text.push_str("\nRead with the fields chosen before for files of this shape.");
                }
                if let Ok(note) = self.apply(Action::OpenBoard(Box::new(board))) {
                    // The report replaces after_change's notice, so it carries its history note.
                    if let Some(note) = note {
                        text.push_str(&format!("\n{note}"));
                    }
                    self.notice.set(Some(if report.guessed {
                        Notice::Report(text)
                    } else {
                        Notice::Info(text)
                    }));
                    // The board could not tell what the members hold: the person says.
                    if undecided {
                        self.fields_for.set(self.board_id());
                    }
                }
            }
            Err(e) => self.notice.set(Some(Notice::Error(format!(
                "Could not import {file_name}. {e}"
            )))),
        }
    }

    /// Reads the open board again through `fields` chosen in the "Fields" dialog opened for
    /// `board`, as one undoable change, and remembers the choice for files of this shape.
    /// Refused (with the reason) when the board changed since the dialog opened.
    pub fn read_as(&self, board: BoardId, fields: Fields) -> Result<(), String> {
        if self.board_id() != Some(board) {
            return Err(
                "The board changed while the dialog was open; open Fields again to choose for it."
                    .to_owned(),
            );
        }
        let again =
            self.with_board(|b| b.map(|b| (b.reread(&fields), b.shape().signature.clone())));
        let Some((again, signature)) = again else {
            return Err("No board is open.".to_owned());
        };
        let (again, report) =
            again.map_err(|e| format!("The file cannot be read that way: {e}"))?;
        let mut text = report_text(&report);
        let note = self.apply(Action::ReadAs(Box::new(again)))?;
        crate::storage::remember_fields(&signature, &fields.to_json());
        if let Some(note) = note {
            text.push_str(&format!("\n{note}"));
        }
        self.notice.set(Some(Notice::Report(text)));
        Ok(())
    }

    /// Applies an action and refreshes what it touched. Errors become a notice.
    pub fn dispatch(&self, action: Action) -> bool {
        self.apply(action).is_ok()
    }

    /// Like `dispatch`. On success it returns what the person must be told about the undo
    /// history (old steps dropped), for a caller that replaces the notice with its own; on a
    /// refusal, the sentence that was shown, for a caller that shows it where the person is
    /// looking (a dialog).
    fn apply(&self, action: Action) -> Result<Option<String>, String> {
        match self.ws.try_update_value(|ws| ws.apply(action)) {
            Some(Ok(outcome)) => {
                let note = outcome.history_note();
                self.after_change(outcome);
                Ok(note)
            }
            Some(Err(e)) => {
                let text = e.to_string();
                self.notice.set(Some(Notice::Error(text.clone())));
                self.announcement.set(text.clone());
                Err(text)
            }
            None => Err("The board is no longer open.".to_owned()),
        }
    }

    /// Applies an action for a dialog, which shows a refusal itself: nothing goes to the
    /// notices behind it.
    pub fn try_apply(&self, action: Action) -> Result<(), String> {
        match self.ws.try_update_value(|ws| ws.apply(action)) {
            Some(Ok(outcome)) => {
                self.after_change(outcome);
                Ok(())
            }
            Some(Err(e)) => Err(e.to_string()),
            None => Err("The board is no longer open.".to_owned()),
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
    /// A card of a board that is no longer open is refused: its entry index would name
    /// another board's card.
    pub fn request_move(&self, card: CardRef, to: Stage) {
        let Some(entry) = self.entry_of(card) else {
            self.refuse_stale();
            return;
        };
        let check = self.with_board(|b| {
            b.map(|b| {
                (
                    b.check_move(entry, to),
                    b.card(entry).map(|c| c.id.to_string()),
                )
            })
        });
        match check {
            Some((Ok(()), _))
                if self.dispatch(Action::MoveCard(self.new_move(entry, to, None))) =>
            {
                self.warn_if_over(to);
            }
            Some((Ok(()), _)) => {}
            Some((Err(MoveError::Gate(breach)), Some(id))) => {
                self.announcement.set(format!(
                    "{id} cannot move to {to} yet: {breach}. Give a reason to override."
                ));
                self.pending_override.set(Some(PendingOverride {
                    card,
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

    /// Moves a card against a gate, with the reason the user gave. Refused, with the sentence
    /// shown, when the card's board is no longer the open one or the core refuses the move.
    pub fn override_move(&self, pending: &PendingOverride, reason: String) -> Result<(), String> {
        let Some(entry) = self.entry_of(pending.card) else {
            return Err(self.refuse_stale());
        };
        self.apply(Action::MoveCard(self.new_move(
            entry,
            pending.to,
            Some(reason),
        )))?;
        self.warn_if_over(pending.to);
        Ok(())
    }

    /// The limit of column `to` when the card at `entry` would put it over, dropped there. A
    /// deprecated card does not count towards a limit.
    pub fn over_limit_after_drop(&self, entry: EntryIndex, to: Stage) -> Option<u32> {
        let limit = self.layout.with(|l| l.wip_limits[to.index()])?;
        let counts =
            self.with_board(|b| b.and_then(|b| b.card(entry)).is_some_and(|c| !c.deprecated));
        (counts && self.active.with(|a| a[to.index()]) >= limit as usize).then_some(limit)
    }

    /// After a move into `to`: says, to everyone, when the column is now over its limit. The
    /// move stands; a limit warns, it does not refuse.
    pub(crate) fn warn_if_over(&self, to: Stage) {
        let Some(limit) = self.layout.with_untracked(|l| l.wip_limits[to.index()]) else {
            return;
        };
        let count = self.active.get_untracked()[to.index()];
        if count > limit as usize {
            let text = traceboard_core::columns::limit_text(to, count, Some(limit));
            self.announcement.update(|a| {
                a.push(' ');
                a.push_str(&text);
                a.push('.');
            });
            self.notice.set(Some(Notice::Info(format!(
                "{text}. The move is made; a limit warns, it does not refuse."
            ))));
        }
    }

    /// The identity of the open board.
    pub fn board_id(&self) -> Option<BoardId> {
        self.with_board(|b| b.map(Board::id))
    }

    /// A reference to a card of the open board.
    pub fn card_ref(&self, entry: EntryIndex) -> Option<CardRef> {
        self.with_board(|b| b.map(|b| b.card_ref(entry)))
    }

    /// The entry `card` names, if it belongs to the open board.
    pub fn entry_of(&self, card: CardRef) -> Option<EntryIndex> {
        (self.board_id() == Some(card.board)).then_some(card.entry)
    }

    /// Says why an action on a card of another board did nothing, and returns the sentence.
    fn refuse_stale(&self) -> String {
        let text = "That card is not on the open board any more; nothing was moved.".to_owned();
        self.notice.set(Some(Notice::Error(text.clone())));
        self.announcement.set(text.clone());
        text
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
                self.match_results(None);
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
                self.match_results(Some(entries));
                for &e in entries {
                    if let Some(version) = v.get_mut(e) {
                        *version += 1;
                    }
                }
            }),
        }
        self.reconcile(&outcome.touched);
        if matches!(outcome.touched, Touched::Board) {
            self.follow_layout();
        }
        // A restored board brings its layout.
        let layout = self.ws.with_value(|ws| ws.layout().clone());
        if self.layout.with_untracked(|l| *l != layout) {
            self.layout.set(layout);
        }
        self.refresh_columns();
        self.board_open.set(open);
        self.can_undo.set(self.ws.with_value(Workspace::can_undo));
        self.can_redo.set(self.ws.with_value(Workspace::can_redo));
        let history_note = outcome.history_note();
        if !outcome.message.is_empty() {
            self.announcement.set(outcome.message);
        }
        if let Some(moved) = outcome.moved.as_ref().filter(|m| !m.kept.is_empty()) {
            self.notice.set(Some(Notice::Info(format!(
                "Kept {} as written: the board does not overwrite values it does not know.{}",
                moved.kept.join(" and "),
                history_note
                    .as_ref()
                    .map_or(String::new(), |n| format!(" {n}"))
            ))));
        } else if let Some(note) = history_note {
            self.notice.set(Some(Notice::Info(note)));
        }
        self.revision.update(|r| *r += 1);
    }

    /// Closes, clears or updates what the UI holds about a board or a team that a change
    /// replaced. After undo swaps boards, the override dialog, the "Move to…" menu, a drag or
    /// a lift and the focused card must not act on the card with the same index on the other
    /// board; after the team changes, "Acting as" and "Whose turn" must not name an agent who
    /// left it (a filter by a missing agent would empty every column and hide its control).
    fn reconcile(&self, touched: &Touched) {
        if let Touched::Cards(entries) = touched {
            // The dragged card changed under the pointer (an undo mid-drag): it now starts
            // from where the change left it, so the drop is judged from there.
            let dragged = self
                .drag
                .get_untracked()
                .and_then(|d| self.entry_of(d.card));
            if let Some(entry) = dragged.filter(|e| entries.contains(e))
                && let Some(stage) =
                    self.with_board(|b| b.and_then(|b| b.card(entry)).map(|c| c.stage))
            {
                self.drag.update(|d| {
                    if let Some(d) = d {
                        d.from = stage;
                    }
                });
                // A lifted card keeps focus when it is rendered anew, so its keys still work.
                if let Some(drag) = self.drag.get_untracked().filter(|d| d.keyboard) {
                    super::board::focus_card(*self, drag.card);
                }
            }
            return;
        }
        let open = self.board_id();
        let stale = |card: &CardRef| Some(card.board) != open;
        if self
            .pending_override
            .with_untracked(|p| p.as_ref().is_some_and(|p| stale(&p.card)))
        {
            self.pending_override.set(None);
        }
        if self
            .fields_for
            .with_untracked(|f| f.is_some_and(|b| Some(b) != open))
        {
            self.fields_for.set(None);
        }
        // The details and "New requirement" follow their file through board swaps (a save, a
        // merge, an undo of a creation), but never onto another file's board.
        let origin = self.with_board(|b| b.map(Board::origin));
        if self
            .details_for
            .with_untracked(|d| d.as_ref().is_some_and(|d| Some(d.2) != origin))
        {
            self.details_for.set(None);
            self.details_typing.set(false);
        }
        if self
            .new_requirement
            .with_untracked(|n| n.is_some_and(|o| Some(o) != origin))
        {
            self.new_requirement.set(None);
        }
        if self
            .conflict_for
            .with_untracked(|c| c.as_ref().is_some_and(stale))
        {
            self.conflict_for.set(None);
        }
        if self
            .move_menu
            .with_untracked(|m| m.as_ref().is_some_and(stale))
        {
            self.move_menu.set(None);
        }
        if self
            .focused
            .with_untracked(|f| f.as_ref().is_some_and(stale))
        {
            self.focused.set(None);
        }
        if self
            .drag
            .with_untracked(|d| d.as_ref().is_some_and(|d| stale(&d.card)))
        {
            super::drag::abandon_drag(*self);
        }
        let (acting_as, turn_filter) = self.ws.with_value(|ws| {
            let gone = |name: &Option<String>| {
                name.as_deref()
                    .is_some_and(|n| ws.team().member(n).is_none())
            };
            (
                self.acting_as.with_untracked(gone),
                self.turn_filter.with_untracked(gone),
            )
        });
        if acting_as {
            self.acting_as.set(None);
        }
        if turn_filter {
            self.turn_filter.set(None);
        }
    }

    /// Recomputes each column's card keys and sets only the columns that changed.
    /// Draws every card anew (their results changed).
    pub fn redraw_all(&self) {
        self.versions.update_value(|v| {
            for version in v.iter_mut() {
                *version += 1;
            }
        });
        self.refresh_columns();
    }

    /// Matches the test results again: for `entries` after their change, or for the whole
    /// board after it was swapped (`None`). Nothing to do without results.
    fn match_results(&self, entries: Option<&[EntryIndex]>) {
        if self.result_files.with_value(Vec::is_empty) {
            return;
        }
        if let Some(entries) = entries {
            self.ws.with_value(|ws| {
                if let Some(board) = ws.board() {
                    self.evidence.update_value(|e| e.refresh(board, entries));
                }
            });
        } else {
            // Another board: the results are its own when it reads the same file (the same
            // lineage, or the file imported again); another file's board never gets them,
            // and they come back when undo brings their board back.
            let files = self.result_files.get_value();
            let reports = self.ws.with_value(|ws| {
                let board = ws.board()?;
                let ours = self.results_for.with_value(|f| {
                    f.as_ref().is_some_and(|(origin, name)| {
                        *origin == board.origin() || name == board.file_name()
                    })
                });
                ours.then(|| {
                    files
                        .iter()
                        .filter_map(|(name, text)| {
                            traceboard_core::results::read_report(name, text.as_bytes()).ok()
                        })
                        .collect::<Vec<_>>()
                })
            });
            let evidence = self.ws.with_value(|ws| match (ws.board(), reports) {
                (Some(board), Some(reports)) => {
                    traceboard_core::results::Evidence::gather(board, reports)
                }
                _ => Default::default(),
            });
            self.evidence.set_value(evidence);
        }
        self.results_revision.update(|r| *r += 1);
    }

    /// Recomputes the columns, the lanes and the totals after a change of the board or of
    /// the filters, the sort or the grouping, setting only the signals whose value changed.
    pub fn refresh_columns(&self) {
        let mut filter = CardFilter {
            with_deprecated: self.show_deprecated.get_untracked(),
            search: self.search.with_untracked(|s| super::lower_case(s.trim())),
            facets: self.facets.get_untracked(),
        };
        if let Some(agent) = self.turn_filter.get_untracked() {
            filter.add(Facet::Turn, &agent);
        }
        let layout = self.layout.get_untracked();
        let collapsed = self.collapsed.get_untracked();
        let mut walk: [Vec<CardKey>; 5] = Default::default();
        let mut lanes: Vec<LaneKeys> = Vec::new();
        let (mut totals, mut active) = ([0; 5], [0; 5]);
        self.ws.with_value(|ws| {
            self.versions.with_value(|versions| {
                let Some(board) = ws.board() else { return };
                let shown = self.evidence.with_value(|evidence| {
                    card_columns(board, ws.team(), evidence, &filter, super::lower_case)
                });
                (totals, active) = (shown.totals, shown.active);
                let mut lists = shown.columns;
                for list in &mut lists {
                    sort(board, list, layout.sort);
                }
                let key = |entry: EntryIndex| CardKey {
                    entry,
                    version: versions.get(entry).copied().unwrap_or(0),
                };
                for lane in card_lanes(board, lists, layout.group) {
                    let columns = lane.columns.map(|c| c.into_iter().map(key).collect());
                    let lane = LaneKeys {
                        name: lane.name,
                        columns,
                    };
                    if layout.group == GroupBy::None || !collapsed.contains(&lane.name) {
                        for (walk, keys) in walk.iter_mut().zip(&lane.columns) {
                            walk.extend_from_slice(keys);
                        }
                    }
                    lanes.push(lane);
                }
            })
        });
        for (signal, keys) in self.columns.iter().zip(walk) {
            if signal.with_untracked(|old| *old != keys) {
                signal.set(keys);
            }
        }
        if self.lanes.with_untracked(|old| *old != lanes) {
            self.lanes.set(lanes);
        }
        if self.totals.get_untracked() != totals {
            self.totals.set(totals);
        }
        if self.active.get_untracked() != active {
            self.active.set(active);
        }
    }

    /// Changes the layout (limits, sort, grouping): kept in the workspace, saved with the
    /// board, and the columns drawn again.
    pub fn set_layout(&self, change: impl FnOnce(&mut Layout)) {
        let mut layout = self.layout.get_untracked();
        change(&mut layout);
        if layout == self.layout.get_untracked() {
            return;
        }
        self.ws.update_value(|ws| ws.set_layout(layout.clone()));
        self.layout.set(layout);
        self.refresh_columns();
        self.layout_revision.update(|r| *r += 1);
    }

    /// Each file keeps its own layout: when the open board is another file's (an import, the
    /// undo of one), the layout of the file before is kept aside and this file's comes back,
    /// or, for a file not opened on this page before, a fresh one with the limits the file
    /// keeps in its `meta` (`Board::file_limits`). A restore brings the saved layout instead.
    fn follow_layout(&self) {
        let name = self
            .with_board(|b| b.map(|b| b.file_name().to_owned()))
            .unwrap_or_default();
        let before = self.layout_file.get_value();
        if name.is_empty() || name == before {
            return;
        }
        let current = self.ws.with_value(|ws| ws.layout().clone());
        let mut kept = None;
        self.layouts.update_value(|all| {
            if let Some(at) = all.iter().position(|(n, _)| *n == name) {
                kept = Some(all.remove(at).1);
            }
            all.retain(|(n, _)| *n != before);
            if !before.is_empty() {
                all.push((before, current));
            }
        });
        let next = kept.unwrap_or_else(|| Layout {
            wip_limits: self
                .with_board(|b| b.and_then(Board::file_limits))
                .unwrap_or_default(),
            ..Layout::default()
        });
        self.ws.update_value(|ws| ws.set_layout(next));
        self.layout_file.set_value(name);
        self.collapsed.set(Vec::new());
    }

    /// What autosave counts: every change of the board or of its layout.
    pub fn save_revision_untracked(&self) -> u64 {
        self.revision.get_untracked() + self.layout_revision.get_untracked()
    }

    /// Whether a filter, whose turn or a search leaves cards out (tracked).
    pub fn is_filtering(&self) -> bool {
        self.facets.with(|f| !f.is_empty())
            || self.turn_filter.with(Option::is_some)
            || self.search.with(|s| !s.trim().is_empty())
    }

    /// Sets the filters beside the search, and redraws the columns.
    pub fn set_facets(&self, facets: Vec<(Facet, String)>) {
        if self.facets.with_untracked(|f| *f != facets) {
            self.facets.set(facets);
            self.refresh_columns();
        }
    }

    /// Whether the person is in the middle of something a board swap would close: the override
    /// or shortcuts dialog, a drag or keyboard lift, the "Move to…" menu. Tracked, so an effect
    /// can wait for it to end; autosave follows another tab's save only when it is false.
    pub fn is_busy(&self) -> bool {
        self.pending_override.with(Option::is_some)
            || self.shortcuts_open.get()
            || self.fields_for.with(Option::is_some)
            || self.conflict_for.with(Option::is_some)
            || self.details_typing.get()
            || self.new_requirement.with(Option::is_some)
            || self.dragged.with(Option::is_some)
            || self.move_menu.with(Option::is_some)
    }

    /// `is_busy`, read outside any effect.
    pub fn is_busy_untracked(&self) -> bool {
        untrack(|| self.is_busy())
    }

    /// Merges the linked file's `text` into the board (`Board::follow`) as one undoable
    /// change, announcing the cards the file moved. The error says why the file could not be
    /// read; the board is left as it was then.
    pub fn follow_file(&self, text: &str) -> Result<FollowSummary, String> {
        let followed = self
            .with_board(|b| b.map(|b| b.follow(text)))
            .ok_or_else(|| "No board is open.".to_owned())?
            .map_err(|e| match e {
                traceboard_core::merge::MergeError::Unreadable { error, .. } => error.to_string(),
                other => other.to_string(),
            })?;
        let summary = FollowSummary {
            changed: followed.theirs_changed.len(),
            conflicts: followed.conflicts.len(),
            board_changed: followed.board.is_some(),
        };
        let meta_lost = followed.meta_lost;
        if let Some(board) = followed.board {
            let mut message = followed.moves.join(" ");
            if message.is_empty() && summary.changed > 0 {
                message = format!(
                    "The file changed on disk: merged {} requirement{}.",
                    summary.changed,
                    if summary.changed == 1 { "" } else { "s" }
                );
            }
            self.apply(Action::Follow {
                board: Box::new(board),
                message,
                changed: followed.changed,
            })?;
        }
        let meta_note = "The file changed its meta.wip_limits while the board held limits not yet saved into it: the file's limits are kept. Choose \"Save limits in the file\" again to write the board's.";
        if meta_lost && summary.conflicts == 0 {
            self.notice.set(Some(Notice::Error(meta_note.to_owned())));
        }
        if summary.conflicts > 0 {
            // Per requirement, the keys in conflict; both values are in its dialog.
            let mut list: Vec<(String, Vec<String>)> = Vec::new();
            for c in &followed.conflicts {
                let key = if c.key.is_empty() {
                    "removed on one side".to_owned()
                } else {
                    c.key.clone()
                };
                match list.iter_mut().find(|(id, _)| *id == c.id) {
                    Some((_, keys)) => keys.push(key),
                    None => list.push((c.id.clone(), vec![key])),
                }
            }
            let list: Vec<String> = list
                .iter()
                .take(8)
                .map(|(id, keys)| format!("• {id}: {}", keys.join(", ")))
                .collect();
            self.notice.set(Some(Notice::Error(format!(
                "The file and the board changed the same place{}; the board keeps showing yours until you choose. Open each card's \"Conflict\" to choose.\n{}",
                if summary.conflicts == 1 { "" } else { "s" },
                list.join("\n")
                    + if meta_lost { "\n" } else { "" }
                    + if meta_lost { meta_note } else { "" }
            ))));
        }
        Ok(summary)
    }

    /// The board's export, `text`, is now in its file: nothing is unsaved.
    /// `board` and `origin` name the board whose export it is (see `Workspace::saved`).
    pub fn mark_saved(&self, text: &str, board: BoardId, origin: BoardId) {
        if self.ws.try_update_value(|ws| ws.saved(text, board, origin)) == Some(true) {
            self.revision.update(|r| *r += 1);
        }
    }

    /// Restores a saved board (after a reload, or another tab's write), with no undo history;
    /// `ui::saving` says where it came from.
    pub fn restore(&self, saved: &SavedBoard) {
        // Every card is rendered anew for the restored board, so focus would fall to the page:
        // the card (or its "Move to…" button) that had it gets it back, found by requirement id.
        let focus = super::board::focused_place(*self).and_then(|(entry, button)| {
            let id = self.with_board(|b| b?.card(entry).map(|c| c.id.clone()))?;
            Some((id, button))
        });
        let restored = saved.restore();
        if let Some(problem) = restored.problem {
            self.notice.set(Some(Notice::Error(problem)));
        }
        self.ws.set_value(restored.workspace);
        // The saved layout is this file's: nothing to swap.
        let name = self
            .with_board(|b| b.map(|b| b.file_name().to_owned()))
            .unwrap_or_default();
        self.layout_file.set_value(name);
        self.after_change(Outcome {
            touched: Touched::Board,
            message: String::new(),
            moved: None,
            dropped: 0,
        });
        self.team_revision.update(|r| *r += 1);
        if let Some((id, button)) = focus
            && let Some(entry) =
                self.with_board(|b| b?.cards().find(|(_, c)| c.id == id).map(|(i, _)| i))
        {
            super::board::focus_place(*self, entry, button);
        }
    }

    /// What autosave writes (`ui::saving`); `None` when there is nothing to keep.
    pub fn saved_board(&self) -> Option<SavedBoard> {
        self.ws.with_value(|ws| SavedBoard::of(ws, now_iso()))
    }
}

/// What merging the file's text did, for the link's status line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowSummary {
    /// Requirements the file changed, added or removed.
    pub changed: usize,
    /// Keys changed both in the file and on the board.
    pub conflicts: usize,
    /// Whether the board was replaced by the merged one.
    pub board_changed: bool,
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

/// An import report as the status line shows it: the counts, where and how the requirements
/// were read when that was a guess, the joins, the other candidates, then the warnings.
fn report_text(report: &ImportReport) -> String {
    let mut text = report.to_string();
    if report.guessed {
        text.push_str(&format!(
            "\nRead from {}: {}.",
            report.source, report.fields
        ));
        text.push_str(&format!("\nStages from {}.", report.stage_source));
    }
    if report.undecided {
        text.push_str(
            "\nNothing in the file looked like a requirement's id or text: choose the fields.",
        );
    }
    if report.choice_missing {
        text.push_str("\nThe fields chosen before name a place this file does not have; the board chose again.");
    }
    for join in &report.joins {
        text.push_str(&format!("\nJoined {join}."));
    }
    if !report.others.is_empty() {
        text.push_str(&format!("\nAlso found: {}.", report.others.join("; ")));
    }
    for warning in report.warnings.iter().take(50) {
        text.push_str(&format!("\n• {}: {}", warning.position, warning.message));
    }
    if report.warnings.len() > 50 {
        text.push_str(&format!(
            "\n• and {} more warnings",
            report.warnings.len() - 50
        ));
    }
    text
}
