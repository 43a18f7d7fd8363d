//! Autosave and restore: when the board is written to `storage`, what the page says about it,
//! and how tabs of the same page keep out of each other's way.
//!
//! The app mounts at once and restores when the save arrives (IndexedDB is asynchronous).
//! Openings and imports asked for before it arrived (the example board, a matrix, a drop,
//! agents) are held (`after_restore`) and run on top of the restored board, so the save is
//! one Undo away rather than replaced for good. A save that has not arrived after 5 s is given
//! up on: the held actions run, and this tab saves nothing (it says so), so a save it could
//! not read is never replaced unseen. A write unanswered after 10 s is reported as failed.
//! Autosave writes 200 ms after a change, and when the page is left (`pagehide`) it writes the
//! latest board at once, replacing a write still in flight. Every write carries the generation
//! this tab last loaded or wrote; `storage` refuses it when another tab wrote since (only no
//! stored generation at all means the storage was reset, and the write goes on; a lower one is
//! a tab's save made after the reset). A tab with no
//! unsaved changes follows the other tabs' writes live, once no dialog, drag, lift or menu is
//! open (following replaces the board under them); a tab with unsaved changes is told the
//! board changed in another tab (`enter_conflict`, the one way in), stops saving, and offers
//! to load the newer board. Nothing is overwritten without the person seeing it.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::storage::{self, Channel, Loaded, StorageError, Written};
use crate::ui::state::{AppState, Notice, short_time};
use traceboard_core::saved::SavedBoard;

/// How long autosave waits after a change, so a burst of moves is one write. Short, so a
/// reload right after a move rarely depends on the write started when the page is left.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// How long the save at start-up may take to arrive before the page stops waiting for it
/// (a 10,000-requirement board arrives in about a second).
const LOAD_LIMIT: Duration = Duration::from_secs(5);
/// How long a write may go unanswered before it is reported as failed.
const WRITE_LIMIT: Duration = Duration::from_secs(10);
/// Why this tab stops saving when the save at start-up does not arrive in time.
const NOT_READ: &str = "The board saved in this browser could not be read, so changes made here are not being saved, and the save is kept as it was: export the matrix to keep your changes, or reload the page to try again.";

/// What autosave knows about the save; one per mounted app.
#[derive(Clone, Copy)]
pub struct Saving {
    /// The generation this tab last loaded or wrote.
    generation: StoredValue<u64>,
    /// The newest generation another tab announced while this one was writing: it is judged
    /// when the writes end, as the write in flight may be the very save it names (a write made
    /// as a tab is left announces itself before it lands, and may be refused).
    heard: StoredValue<u64>,
    /// The workspace revision the save holds: the board has unsaved changes while they differ.
    saved_revision: StoredValue<u64>,
    /// False when this tab does not save: the browser does not let the page store anything,
    /// or the save could not be read, so writing would replace it unseen.
    available: StoredValue<bool>,
    /// Why this tab does not save, when it does not.
    off: StoredValue<String>,
    /// The save at start-up has not arrived yet.
    loading: StoredValue<bool>,
    /// How many writes are in flight; `again` asks for one more when they have ended.
    writing: StoredValue<u32>,
    again: StoredValue<bool>,
    /// The change the debounce timer waits for; 0 when none is pending.
    pending: StoredValue<u64>,
    /// Another tab wrote while this one had unsaved changes: this tab does not overwrite it.
    pub conflict: RwSignal<bool>,
    /// The newest generation another tab wrote while the person was busy (`AppState::is_busy`);
    /// it is followed once they are done.
    follow_pending: StoredValue<Option<u64>>,
    /// What the person asked to open or import while the save was still loading: run on top
    /// of the restored board when it arrives, so the save is one Undo away.
    held: StoredValue<Vec<Box<dyn FnOnce()>>, LocalStorage>,
    channel: StoredValue<Option<Channel>, LocalStorage>,
}

/// Starts autosave for `state`: restores the save when it arrives, saves after each change and
/// when the page is hidden or left, and follows the writes of other tabs.
pub fn start(state: AppState) -> Saving {
    let saving = Saving {
        generation: StoredValue::new(0),
        heard: StoredValue::new(0),
        saved_revision: StoredValue::new(state.save_revision_untracked()),
        available: StoredValue::new(true),
        off: StoredValue::new(String::new()),
        loading: StoredValue::new(true),
        writing: StoredValue::new(0),
        again: StoredValue::new(false),
        pending: StoredValue::new(0),
        conflict: RwSignal::new(false),
        follow_pending: StoredValue::new(None),
        held: StoredValue::new_local(Vec::new()),
        channel: StoredValue::new_local(None),
    };
    provide_context(saving);
    saving.channel.set_value(Channel::listen(move |generation| {
        saving.other_tab_wrote(state, generation)
    }));
    spawn_local(async move {
        let loaded = storage::load().await;
        // A save arriving after the page stopped waiting for it is not shown: the person has
        // been working on what they opened meanwhile.
        if saving.alive() && saving.loading.get_value() {
            saving.loading.set_value(false);
            saving.arrived(state, loaded);
        }
    });
    // IndexedDB may never answer (a hung browser process, an open request stuck behind
    // another tab): the page stops waiting, runs what it held, and saves nothing, so the save
    // it could not read is never replaced by this tab.
    set_timeout(
        move || {
            if saving.loading.try_get_value() == Some(true) {
                saving.loading.set_value(false);
                saving.available.set_value(false);
                saving.run_held();
                // Said after the held openings ran, so their reports do not hide it.
                saving.stop(state, NOT_READ.to_owned());
            }
        },
        LOAD_LIMIT,
    );

    // Leaving the page: the write is issued and committed now, as script stops after this.
    let hide = window_event_listener(ev::pagehide, move |_| {
        saving.pending.set_value(0);
        saving.save_at_once(state);
    });
    // Only hidden (another tab, a minimised window): script still runs, so the write can check
    // the stored generation as any other does.
    let hidden = window_event_listener(ev::visibilitychange, move |_| {
        if document().hidden() {
            saving.pending.set_value(0);
            saving.save(state);
        }
    });
    on_cleanup(move || {
        hide.remove();
        hidden.remove();
        saving.channel.set_value(None);
    });
    // A follow put off while the person was busy happens once they are done; if what they did
    // changed the board meanwhile, it is the conflict it now is.
    Effect::new(move |_| {
        if !state.is_busy()
            && let Some(generation) = saving.follow_pending.get_value()
        {
            saving.follow_pending.set_value(None);
            saving.other_tab_wrote(state, generation);
        }
    });
    Effect::new(move |previous: Option<()>| {
        let revision = state.revision.get() + state.layout_revision.get();
        if previous.is_none() || revision == saving.saved_revision.get_value() {
            return;
        }
        saving.pending.set_value(revision);
        // Said at once, synchronously: if this page is left before a write confirms the
        // change, the next start-up knows the save is older than the work.
        if saving.available.get_value() {
            storage::mark_unsaved(saving.generation.get_value());
        }
        if saving.available.get_value() && !saving.conflict.get_untracked() {
            state.saved_note.set("Saving…".to_owned());
        }
        set_timeout(
            move || {
                // `try_`: the app may have been unmounted while the timer waited.
                if saving.pending.try_get_value() == Some(revision) {
                    saving.pending.set_value(0);
                    saving.save(state);
                }
            },
            DEBOUNCE,
        );
    });
    saving
}

impl Saving {
    /// Whether the app this belongs to is still mounted. Writes, reads and the channel answer
    /// asynchronously, and an answer that arrives after an unmount (a component test ending)
    /// must not touch the disposed state.
    fn alive(&self) -> bool {
        self.generation.try_get_value().is_some()
    }

    fn dirty(&self, state: AppState) -> bool {
        state.save_revision_untracked() != self.saved_revision.get_value()
    }

    /// The save found at start-up; then what the person asked for while it loaded.
    fn arrived(&self, state: AppState, loaded: Result<Loaded, StorageError>) {
        if !self.alive() {
            return;
        }
        self.again.set_value(false);
        match loaded {
            Ok(loaded) if self.dirty(state) => {
                // A change made before the save arrived that was not held (`after_restore`
                // holds everything that opens a board): it stays, and replaces the save.
                self.generation.set_value(loaded.generation);
                self.save(state);
            }
            Ok(loaded) => self.apply(state, loaded, How::AtStart),
            Err(e) => self.failed(state, e, None),
        }
        self.run_held();
    }

    /// Runs what the person asked for while the save was loading.
    fn run_held(&self) {
        for action in self
            .held
            .try_update_value(std::mem::take)
            .unwrap_or_default()
        {
            action();
        }
    }

    /// This tab stops saving, and says why where the person sees it.
    fn stop(&self, state: AppState, why: String) {
        self.available.set_value(false);
        self.off.set_value(why.clone());
        state.saved_note.set(why.clone());
        state.announcement.set(why.clone());
        state.notice.set(Some(Notice::Error(why)));
    }

    /// Holds `action` until the save has arrived (see `after_restore`).
    fn hold(&self, state: AppState, action: Box<dyn FnOnce()>) {
        if !self.loading.get_value() {
            action();
            return;
        }
        state
            .saved_note
            .set("Restoring your saved board…".to_owned());
        self.held.update_value(|held| held.push(action));
    }

    /// Shows a loaded save: restores it (or closes the board when the save is of no board).
    fn apply(&self, state: AppState, loaded: Loaded, how: How) {
        if how != How::Requested && loaded.generation < self.generation.get_value() {
            // An older read that arrived late: the tab already has something newer. A load
            // the person asked for is shown whatever its generation (after a storage reset
            // the stored one is lower than the tab's).
            return;
        }
        self.generation.set_value(loaded.generation);
        self.conflict.set(false);
        if let Some(why) = loaded.unreadable {
            state
                .notice
                .set(Some(Notice::Error(StorageError::Corrupt(why).to_string())));
        }
        match &loaded.board {
            Some(saved) => state.restore(saved),
            None if how == How::AtStart => {}
            None => state.restore(&SavedBoard::default()),
        }
        self.saved_revision
            .set_value(state.save_revision_untracked());
        storage::clear_unsaved();
        let at = loaded
            .board
            .as_ref()
            .map(|b| short_time(&b.saved_at))
            .unwrap_or_default();
        let note = match how {
            How::AtStart if loaded.board.is_none() => {
                // Nothing to restore: clear "Restoring your saved board…" if it was shown.
                state.saved_note.set(String::new());
                return;
            }
            How::AtStart if !loaded.current || storage::unsaved_work_since(loaded.generation) => {
                let text = format!(
                    "Later changes were not saved in this browser: this board is as it was saved at {at}."
                );
                state.notice.set(Some(Notice::Error(text)));
                format!("Restored from this browser as saved at {at}; later changes were not saved")
            }
            How::AtStart => format!("Restored from this browser, saved {at}"),
            How::Followed | How::Requested => {
                let text = "The board was updated from another tab; undo history was cleared.";
                state.announcement.set(text.to_owned());
                match loaded.board {
                    Some(_) => {
                        format!("Updated from another tab, saved {at}; undo history cleared")
                    }
                    None => "Closed in another tab".to_owned(),
                }
            }
        };
        state.saved_note.set(note);
    }

    /// Another tab wrote `generation`: follow it, or say this tab's changes are in conflict.
    /// The channel delivers only other tabs' messages, so this is never this tab's own write.
    pub fn other_tab_wrote(&self, state: AppState, generation: u64) {
        if !self.alive() || !self.available.get_value() {
            return;
        }
        // This tab's own generation announced again is no news: the claims in `storage` let
        // only one tab write a generation, so it is this tab's save, or a write of another tab
        // that was refused (one made as a tab is left announces itself before it lands). If
        // another tab did overwrite it, this tab's next write is refused, and says so.
        if generation <= self.generation.get_value() {
            return;
        }
        if self.writing.get_value() > 0 {
            // Judged when this tab's writes end (`written`): if one of them wrote this
            // generation or a later one, the announcement was of a write that did not stand.
            self.heard.update_value(|h| *h = (*h).max(generation));
            return;
        }
        if self.dirty(state) {
            self.enter_conflict(state);
            return;
        }
        // Following replaces the board, which would close the dialog, menu or drag the person
        // has open (and lose a typed reason): it waits until they are done.
        if untrack(|| state.is_busy()) {
            self.follow_later(state, generation);
            return;
        }
        self.reload(state, How::Followed);
    }

    /// Puts off following another tab's `generation` until the person is done (see `start`).
    fn follow_later(&self, state: AppState, generation: u64) {
        let newest = self
            .follow_pending
            .get_value()
            .map_or(generation, |g| g.max(generation));
        self.follow_pending.set_value(Some(newest));
        state
            .saved_note
            .set("Changed in another tab; shown here when you are done".to_owned());
    }

    /// The one way into the conflict between tabs: this tab stops saving, and says so.
    fn enter_conflict(&self, state: AppState) {
        self.conflict.set(true);
        state
            .saved_note
            .set("Not saved: this board changed in another tab".to_owned());
        state
            .announcement
            .set("This board changed in another tab.".to_owned());
    }

    /// Reads the save again and shows it.
    pub fn reload(&self, state: AppState, how: How) {
        let saving = *self;
        spawn_local(async move {
            let loaded = storage::load().await;
            if !saving.alive() {
                return;
            }
            match loaded {
                // A change made while the read was in flight is not thrown away silently.
                Ok(_) if how == How::Followed && saving.dirty(state) => {
                    saving.enter_conflict(state)
                }
                // The person opened something while the read was in flight: it waits for them.
                Ok(loaded) if how == How::Followed && untrack(|| state.is_busy()) => {
                    saving.follow_later(state, loaded.generation)
                }
                Ok(loaded) => saving.apply(state, loaded, how),
                Err(e) => saving.failed(state, e, None),
            }
        });
    }

    /// Whether autosave may write now: storage works, no conflict, and something changed.
    fn may_write(&self, state: AppState) -> bool {
        if !self.available.get_value() {
            state.saved_note.set(self.off.get_value());
            return false;
        }
        !self.conflict.get_untracked() && self.dirty(state)
    }

    /// Saves the workspace if it changed since the save, checking the stored generation.
    fn save(&self, state: AppState) {
        if self.loading.get_value() || self.writing.get_value() > 0 {
            // The write starts when the save has arrived or the writes in flight have ended.
            self.again.set_value(true);
            return;
        }
        if !self.may_write(state) {
            return;
        }
        let revision = state.save_revision_untracked();
        let board = state.saved_board();
        let expected = self.generation.get_value();
        self.writing.update_value(|w| *w += 1);
        let saving = *self;
        // Whichever comes first, the answer or the time limit, ends the write for autosave.
        let ended = std::rc::Rc::new(std::cell::Cell::new(false));
        let answered = ended.clone();
        spawn_local(async move {
            let result = storage::save(board.as_ref(), expected).await;
            if !answered.replace(true) {
                saving.written(state, revision, expected, result, true);
            } else if result.is_ok() && saving.alive() {
                // Reported as failed, it landed after all: what it wrote is this tab's save.
                saving.writing.update_value(|w| *w += 1);
                saving.written(state, revision, expected, result, true);
            }
        });
        set_timeout(
            move || {
                if !ended.replace(true) {
                    let why = "the browser did not answer within 10 seconds".to_owned();
                    saving.written(
                        state,
                        revision,
                        expected,
                        Err(StorageError::Failed(why)),
                        true,
                    );
                }
            },
            WRITE_LIMIT,
        );
    }

    /// The page is being left: the write of the latest board is issued and committed now,
    /// before the page stops running script, even with a write in flight: `storage` aborts that
    /// one and this one takes its place, from the same generation. Its guard against another
    /// tab's newer save is the claim in `storage`, which needs no script to hold.
    fn save_at_once(&self, state: AppState) {
        if self.loading.get_value() || !self.may_write(state) {
            return;
        }
        let revision = state.save_revision_untracked();
        let board = state.saved_board();
        let expected = self.generation.get_value();
        let Some(write) = storage::save_at_once(board.as_ref(), expected) else {
            // No connection open: a write that must first open one may never run.
            return;
        };
        // Told now, not when it lands: script may not run again in this page. The other
        // tabs' reads queue behind this write, so they find it.
        self.announce(expected + 1);
        self.writing.update_value(|w| *w += 1);
        // This write holds the latest work; no other needs to follow the one it replaced.
        self.again.set_value(false);
        let saving = *self;
        spawn_local(async move { saving.written(state, revision, expected, write.await, false) });
    }

    /// Tells the other tabs that this one wrote `generation`.
    fn announce(&self, generation: u64) {
        self.channel.with_value(|c| {
            if let Some(channel) = c {
                channel.announce(generation);
            }
        });
    }

    /// A write of `revision` from `expected` ended; `announce` unless it was announced when
    /// issued.
    fn written(
        &self,
        state: AppState,
        revision: u64,
        expected: u64,
        result: Result<Written, StorageError>,
        announce: bool,
    ) {
        if !self.alive() {
            return;
        }
        self.writing.update_value(|w| *w = w.saturating_sub(1));
        match result {
            Ok(written) => {
                // Writes land in the order issued, so the later ones carry the larger numbers.
                self.generation
                    .update_value(|g| *g = (*g).max(written.generation));
                self.saved_revision
                    .update_value(|r| *r = (*r).max(revision));
                if !self.dirty(state) {
                    storage::clear_unsaved();
                }
                if announce {
                    self.announce(written.generation);
                }
                let note = if written.bytes == 0 {
                    String::new()
                } else {
                    format!(
                        "Saved in this browser at {}, {}",
                        short_time(&crate::ui::state::now_iso()),
                        size(written.bytes)
                    )
                };
                state.saved_note.set(note);
            }
            // An answer about an older generation than the tab now holds (the person loaded the
            // newer board, or a later write of this tab landed) is about a board no longer shown.
            // Whatever it held that is still unsaved is written again, from the generation held.
            Err(_) if expected < self.generation.get_value() => self.again.set_value(true),
            Err(e) => self.failed(state, e, Some(expected)),
        }
        if self.writing.get_value() == 0 {
            // What another tab announced meanwhile, now that this tab's own saves have ended.
            let heard = self.heard.get_value();
            self.heard.set_value(0);
            if heard > self.generation.get_value() {
                self.other_tab_wrote(state, heard);
            }
        }
        if self.writing.get_value() == 0 && self.again.get_value() {
            self.again.set_value(false);
            self.save(state);
        }
    }

    /// Says what went wrong where the person sees it; `expected` is the generation a failed
    /// write started from (`None` for a failed read).
    fn failed(&self, state: AppState, error: StorageError, expected: Option<u64>) {
        match &error {
            StorageError::Unavailable => {
                self.available.set_value(false);
                let text = error.to_string();
                self.off.set_value(text.clone());
                state.saved_note.set(text.clone());
                state.announcement.set(text);
            }
            StorageError::Blocked | StorageError::Outdated => self.stop(state, error.to_string()),
            StorageError::Conflict => self.enter_conflict(state),
            // The write issued in its place says how it went.
            StorageError::Replaced => {}
            StorageError::Corrupt(_) => {
                state.notice.set(Some(Notice::Error(error.to_string())));
            }
            StorageError::Failed(why) => {
                state.saved_note.set(format!("Not saved: {why}"));
                state.notice.set(Some(Notice::Error(format!(
                    "Not saved in this browser: {why}. Export the matrix to keep your changes."
                ))));
                // The save in storage is now older than the work: a reload must say so.
                if let Some(expected) = expected {
                    spawn_local(storage::mark_stale(expected));
                }
            }
        }
    }
}

/// Runs `action`, an opening or import, now; or, while the save at start-up is still loading,
/// once it has arrived: on top of the restored board, so the save stays one Undo away instead
/// of being replaced for good. `saving` is the app's (`use_context`, read where the app's
/// context is reachable: an event handler, before any `await`); without one it runs now.
pub fn after_restore(saving: Option<Saving>, state: AppState, action: impl FnOnce() + 'static) {
    // One boxed, not generic, body: each caller's closure is only boxed here.
    hold_or_run(saving, state, Box::new(action));
}

fn hold_or_run(saving: Option<Saving>, state: AppState, action: Box<dyn FnOnce()>) {
    match saving {
        Some(saving) if saving.alive() => saving.hold(state, action),
        // The app was unmounted while a file was read: its state is gone, so is the action.
        Some(_) => {}
        None => action(),
    }
}

/// Why a save is being shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Restored at start-up.
    AtStart,
    /// Another tab wrote and this one had nothing unsaved.
    Followed,
    /// The person asked for the newer board after a conflict.
    Requested,
}

/// A stored size as a person reads it.
fn size(bytes: usize) -> String {
    if bytes < 1_048_576 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{} MB", traceboard_core::matrix::megabytes(bytes as u64))
    }
}

/// The conflict between tabs, with the way out: loading the newer board.
#[component]
pub fn ConflictNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let saving = expect_context::<Saving>();
    view! {
        <div class="notices">
            <div role="alert" class="notice error" hidden=move || !saving.conflict.get()>
                <p class="notice-text">
                    "This board changed in another tab. Changes made here since are not saved, so that the other tab's work is not overwritten; export the matrix to keep them, or load the newer board."
                </p>
                <button type="button" on:click=move |_| saving.reload(state, How::Requested)>
                    "Load the newer board"
                </button>
            </div>
        </div>
    }
}
