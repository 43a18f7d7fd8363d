//! Autosave and restore: when the board is written to `storage`, what the page says about it,
//! and how tabs of the same page keep out of each other's way.
//!
//! The app mounts at once and restores when the save arrives (IndexedDB is asynchronous). If
//! the person opened a board or agents before it arrived, what they opened stays and the save
//! is not restored over it; they are told, and their board replaces the save at the next write.
//! Every write carries the generation this tab last loaded or wrote; `storage` refuses it when
//! another tab wrote since. A tab with no unsaved changes follows the other tabs' writes live,
//! once no dialog, drag, lift or menu is open (following replaces the board under them);
//! a tab with unsaved changes is told the board changed in another tab, stops saving, and
//! offers to load the newer board. Nothing is overwritten without the person seeing it.

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

/// What autosave knows about the save; one per mounted app.
#[derive(Clone, Copy)]
pub struct Saving {
    /// The generation this tab last loaded or wrote.
    generation: StoredValue<u64>,
    /// The workspace revision the save holds: the board has unsaved changes while they differ.
    saved_revision: StoredValue<u64>,
    /// False when the browser does not let the page store anything.
    available: StoredValue<bool>,
    /// The save at start-up has not arrived yet.
    loading: StoredValue<bool>,
    /// A write is in flight; `again` asks for one more when it ends.
    writing: StoredValue<bool>,
    again: StoredValue<bool>,
    /// The change the debounce timer waits for; 0 when none is pending.
    pending: StoredValue<u64>,
    /// Another tab wrote while this one had unsaved changes: this tab does not overwrite it.
    pub conflict: RwSignal<bool>,
    /// The newest generation another tab wrote while the person was busy (`AppState::is_busy`);
    /// it is followed once they are done.
    follow_pending: StoredValue<Option<u64>>,
    channel: StoredValue<Option<Channel>, LocalStorage>,
}

/// Starts autosave for `state`: restores the save when it arrives, saves after each change and
/// when the page is hidden or left, and follows the writes of other tabs.
pub fn start(state: AppState) -> Saving {
    let saving = Saving {
        generation: StoredValue::new(0),
        saved_revision: StoredValue::new(state.revision.get_untracked()),
        available: StoredValue::new(true),
        loading: StoredValue::new(true),
        writing: StoredValue::new(false),
        again: StoredValue::new(false),
        pending: StoredValue::new(0),
        conflict: RwSignal::new(false),
        follow_pending: StoredValue::new(None),
        channel: StoredValue::new_local(None),
    };
    provide_context(saving);
    saving.channel.set_value(Channel::listen(move |generation| {
        saving.other_tab_wrote(state, generation)
    }));
    spawn_local(async move {
        let loaded = storage::load().await;
        if saving.alive() {
            saving.loading.set_value(false);
            saving.arrived(state, loaded);
        }
    });

    // Leaving the page: the write is issued and committed now, as script stops after this.
    let hide = window_event_listener(ev::pagehide, move |_| {
        saving.pending.set_value(0);
        saving.save(state, true);
    });
    // Only hidden (another tab, a minimised window): script still runs, so the write can check
    // the stored generation as any other does.
    let hidden = window_event_listener(ev::visibilitychange, move |_| {
        if document().hidden() {
            saving.pending.set_value(0);
            saving.save(state, false);
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
        let revision = state.revision.get();
        if previous.is_none() || revision == saving.saved_revision.get_value() {
            return;
        }
        saving.pending.set_value(revision);
        if saving.available.get_value() && !saving.conflict.get_untracked() {
            state.saved_note.set("Saving…".to_owned());
        }
        set_timeout(
            move || {
                // `try_`: the app may have been unmounted while the timer waited.
                if saving.pending.try_get_value() == Some(revision) {
                    saving.pending.set_value(0);
                    saving.save(state, false);
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
        state.revision.get_untracked() != self.saved_revision.get_value()
    }

    /// The save found at start-up.
    fn arrived(&self, state: AppState, loaded: Result<Loaded, StorageError>) {
        if !self.alive() {
            return;
        }
        self.again.set_value(false);
        match loaded {
            Ok(loaded) if self.dirty(state) => {
                // The person opened something before the save arrived: theirs stays.
                self.generation.set_value(loaded.generation);
                if let Some(saved) = &loaded.board {
                    let mut text = format!(
                        "The board saved in this browser at {} was not restored, because you opened another first; yours replaces it.",
                        short_time(&saved.saved_at)
                    );
                    // The report of what they opened stays above it.
                    if let Some(Notice::Info(report)) = state.notice.get_untracked() {
                        text = format!("{report}\n{text}");
                    }
                    state.notice.set(Some(Notice::Info(text)));
                }
                self.save(state, false);
            }
            Ok(loaded) => self.apply(state, loaded, How::AtStart),
            Err(e) => self.failed(state, e),
        }
    }

    /// Shows a loaded save: restores it (or closes the board when the save is of no board).
    fn apply(&self, state: AppState, loaded: Loaded, how: How) {
        if loaded.generation < self.generation.get_value() {
            // An older read that arrived late: the tab already has something newer.
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
            .set_value(state.revision.get_untracked());
        let at = loaded
            .board
            .as_ref()
            .map(|b| short_time(&b.saved_at))
            .unwrap_or_default();
        let note = match how {
            How::AtStart if loaded.board.is_none() => return,
            How::AtStart if !loaded.current => {
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
    fn other_tab_wrote(&self, state: AppState, generation: u64) {
        if !self.alive() || generation <= self.generation.get_value() || !self.available.get_value()
        {
            return;
        }
        if self.dirty(state) || self.writing.get_value() {
            self.conflict.set(true);
            state
                .saved_note
                .set("Not saved: this board changed in another tab".to_owned());
            state
                .announcement
                .set("This board changed in another tab.".to_owned());
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
                Ok(_) if how == How::Followed && saving.dirty(state) => saving.conflict.set(true),
                // The person opened something while the read was in flight: it waits for them.
                Ok(loaded) if how == How::Followed && untrack(|| state.is_busy()) => {
                    saving.follow_later(state, loaded.generation)
                }
                Ok(loaded) => saving.apply(state, loaded, how),
                Err(e) => saving.failed(state, e),
            }
        });
    }

    /// Saves the workspace if it changed since the save; `at_once` when the page is being left,
    /// so the write is issued and committed before the page stops running script.
    fn save(&self, state: AppState, at_once: bool) {
        if !self.available.get_value() {
            state.saved_note.set(StorageError::Unavailable.to_string());
            return;
        }
        if self.loading.get_value() || self.writing.get_value() {
            // The write starts when the save has arrived or the write in flight has ended.
            self.again.set_value(true);
            return;
        }
        if self.conflict.get_untracked() || !self.dirty(state) {
            return;
        }
        let revision = state.revision.get_untracked();
        let board = state.saved_board();
        let expected = self.generation.get_value();
        let saving = *self;
        if at_once && let Some(write) = storage::save_at_once(board.as_ref(), expected) {
            // Told now, not when it lands: script may not run again in this page. The other
            // tabs' reads queue behind this write, so they find it.
            self.announce(expected + 1);
            self.writing.set_value(true);
            spawn_local(async move { saving.written(state, revision, write.await) });
            return;
        }
        self.writing.set_value(true);
        spawn_local(async move {
            let result = storage::save(board.as_ref(), expected).await;
            saving.written(state, revision, result)
        });
    }

    /// Tells the other tabs that this one wrote `generation`.
    fn announce(&self, generation: u64) {
        self.channel.with_value(|c| {
            if let Some(channel) = c {
                channel.announce(generation);
            }
        });
    }

    /// A write ended.
    fn written(&self, state: AppState, revision: u64, result: Result<Written, StorageError>) {
        if !self.alive() {
            return;
        }
        self.writing.set_value(false);
        match result {
            Ok(written) => {
                self.generation.set_value(written.generation);
                self.saved_revision.set_value(revision);
                self.announce(written.generation);
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
            Err(e) => self.failed(state, e),
        }
        if self.again.get_value() {
            self.again.set_value(false);
            self.save(state, false);
        }
    }

    /// Says what went wrong where the person sees it.
    fn failed(&self, state: AppState, error: StorageError) {
        match &error {
            StorageError::Unavailable => {
                self.available.set_value(false);
                let text = error.to_string();
                state.saved_note.set(text.clone());
                state.announcement.set(text);
            }
            StorageError::Conflict => {
                self.conflict.set(true);
                state
                    .saved_note
                    .set("Not saved: this board changed in another tab".to_owned());
            }
            StorageError::Corrupt(_) => {
                state.notice.set(Some(Notice::Error(error.to_string())));
            }
            StorageError::Failed(why) => {
                state.saved_note.set(format!("Not saved: {why}"));
                state.notice.set(Some(Notice::Error(format!(
                    "Not saved in this browser: {why}. Export the matrix to keep your changes."
                ))));
                // The save in storage is now older than the work: a reload must say so.
                spawn_local(storage::mark_stale());
            }
        }
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
