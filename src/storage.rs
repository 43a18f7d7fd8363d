//! Autosave: the only module that touches localStorage.
//!
//! It saves the inputs of the board, not the board: the exported matrix text (which holds
//! every move), its file name, and the raw agent files with the stage owners. Loading is an
//! explicit step that tells "nothing saved yet" from "saved data is corrupt", and a corrupt
//! save is moved aside rather than lost. What is saved, `SavedBoard`, is the core's.

use gloo_storage::{LocalStorage, Storage};
use traceboard_core::saved::SavedBoard;

const KEY: &str = "traceboard.board.v1";
/// The largest matrix autosave writes: browsers give a site about 5 MB of localStorage, in
/// UTF-16 (about five million characters), and the agents and the JSON escaping need room.
pub const MAX_SAVED_BYTES: usize = 4 * 1024 * 1024;
/// Where a save that could not be read is kept, so a person can still recover it.
const CORRUPT_KEY: &str = "traceboard.board.v1.unreadable";

/// Why a save or a load did not work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// The browser has no localStorage (private mode in some browsers, or it is disabled).
    Unavailable,
    /// The saved board could not be read; it was kept aside under another key.
    Corrupt(String),
    /// The board is too large for the browser's storage quota.
    Full,
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable => write!(
                f,
                "This browser does not allow saving; the board will not survive a reload."
            ),
            StorageError::Corrupt(why) => write!(
                f,
                "The board saved in this browser could not be read ({why}); it was kept aside and an empty board opened."
            ),
            StorageError::Full => write!(
                f,
                "The board is too large for this browser's storage, so it was not saved; export it to keep your changes."
            ),
        }
    }
}

/// Loads the saved board: `Ok(None)` when nothing was saved yet.
pub fn load() -> Result<Option<SavedBoard>, StorageError> {
    let storage = LocalStorage::raw();
    let text = match storage.get_item(KEY) {
        Ok(Some(text)) => text,
        Ok(None) => return Ok(None),
        Err(_) => return Err(StorageError::Unavailable),
    };
    SavedBoard::from_json(&text).map(Some).map_err(|e| {
        let _ = storage.set_item(CORRUPT_KEY, &text);
        let _ = storage.remove_item(KEY);
        StorageError::Corrupt(e)
    })
}

pub fn save(board: &SavedBoard) -> Result<(), StorageError> {
    LocalStorage::raw()
        .set_item(KEY, &board.to_json())
        .map_err(|_| StorageError::Full)
}

/// Forgets the saved board, when the user closes it.
pub fn clear() {
    LocalStorage::delete(KEY);
}
