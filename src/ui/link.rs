//! The board linked to its file: opening the repository's matrix in place (the File System
//! Access API), saving back into it, watching it for the agents' changes, and opening a
//! project folder.
//!
//! This module owns the browser's file handles and the clock that watches them. What a
//! change on disk does to the board is the core's (`Board::follow`, a merge by requirement);
//! this module reads the text, hands it over and writes what the core exports. Where the
//! browser has no such API (Firefox, Safari) nothing here runs: the board works on a copy,
//! through the file chooser and downloads, as before.
//!
//! Invariant: the file is written only with the board's export after the board has read the
//! file as it is at that moment (`save`), so nothing an agent wrote is overwritten unread.

use std::time::Duration;

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::File;

use crate::ui::state::{AppState, Notice, now_iso, short_time};
use traceboard_core::board::{Board, BoardId};

#[wasm_bindgen]
extern "C" {
    /// A `FileSystemFileHandle` or `FileSystemDirectoryHandle`.
    #[derive(Clone)]
    pub type Handle;
    #[wasm_bindgen(method, getter)]
    fn name(this: &Handle) -> String;
    #[wasm_bindgen(method, getter)]
    fn kind(this: &Handle) -> String;
    #[wasm_bindgen(method, catch, js_name = getFile)]
    async fn get_file(this: &Handle) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createWritable)]
    async fn create_writable(this: &Handle) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = queryPermission)]
    async fn query_permission(this: &Handle, options: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = requestPermission)]
    async fn request_permission(this: &Handle, options: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getDirectoryHandle)]
    async fn get_directory_handle(this: &Handle, name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getFileHandle)]
    async fn get_file_handle(this: &Handle, name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method)]
    fn values(this: &Handle) -> js_sys::AsyncIterator;

    /// A `FileSystemWritableFileStream`.
    type Writable;
    #[wasm_bindgen(method, catch)]
    async fn write(this: &Writable, data: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn close(this: &Writable) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = window, js_name = showOpenFilePicker)]
    async fn show_open_file_picker(options: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = window, js_name = showDirectoryPicker)]
    async fn show_directory_picker(options: &JsValue) -> Result<JsValue, JsValue>;
}

/// How often the linked file is checked while the tab is visible.
const WATCH_EVERY: Duration = Duration::from_millis(1000);

/// What the page knows of the linked file. Copied into every handler; the handles live in
/// the page's own thread (`LocalStorage`), as JavaScript objects do.
#[derive(Clone, Copy)]
pub struct Link {
    file: StoredValue<Option<Handle>, LocalStorage>,
    folder: StoredValue<Option<Handle>, LocalStorage>,
    /// The linked file's name; `None` while the board works on a copy.
    pub name: RwSignal<Option<String>>,
    /// The last thing that happened to it: "saved 10:04", "changed on disk · merged 3
    /// requirements".
    pub note: RwSignal<String>,
    /// The browser forgot its permission (after a reload): one click asks again.
    pub reconnect: RwSignal<bool>,
    /// Test and code paths the matrix lists that the project folder does not have.
    pub missing: RwSignal<Vec<String>>,
    /// Several matrices in the folder: the person chooses one (paths, with their handles).
    pub choices: RwSignal<Vec<String>>,
    choice_handles: StoredValue<Vec<Handle>, LocalStorage>,
    /// Size and last-modified time of the file as last read or written.
    seen: StoredValue<(f64, f64)>,
    /// A read, merge or write in flight; the watch skips its turn meanwhile.
    working: StoredValue<bool>,
    /// The board lineage the link belongs to (`Board::origin`): a board of another file
    /// (an undo back past an import) is never merged with this file nor written into it.
    origin: StoredValue<Option<BoardId>>,
    /// Bumped whenever the link changes, so a read begun for the old link is dropped.
    generation: StoredValue<u32>,
    /// Bumped for each search of missing paths, so only the latest one lands.
    missing_run: StoredValue<u32>,
}

/// Whether this browser can open files in place.
pub fn supported() -> bool {
    Reflect::has(&window(), &"showOpenFilePicker".into()).unwrap_or(false)
}

fn mode(write: bool) -> JsValue {
    let options = Object::new();
    let _ = Reflect::set(
        &options,
        &"mode".into(),
        &(if write { "readwrite" } else { "read" }).into(),
    );
    options.into()
}

/// The browser's reason, for a message.
fn reason(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser refused".to_owned())
}

fn is_abort(error: &JsValue) -> bool {
    Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == "AbortError")
}

/// The file behind a handle, with its size and last-modified time.
async fn file_of(handle: &Handle) -> Result<(File, f64, f64), String> {
    let file: File = handle
        .get_file()
        .await
        .map_err(|e| reason(&e))?
        .dyn_into()
        .map_err(|_| "it is not a file".to_owned())?;
    let size = file.size();
    let modified = file.last_modified();
    Ok((file, size, modified))
}

/// The file's text, refused when it is over the board's limit or not UTF-8.
async fn text_of(file: &File) -> Result<String, String> {
    let read = super::files::read(file).await;
    let bytes = read.bytes?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (at byte {}).",
            read.name,
            e.utf8_error().valid_up_to()
        )
    })
}

async fn granted(handle: &Handle, write: bool, ask: bool) -> bool {
    let answer = if ask {
        handle.request_permission(&mode(write)).await
    } else {
        handle.query_permission(&mode(write)).await
    };
    answer.ok().and_then(|a| a.as_string()).as_deref() == Some("granted")
}

impl Link {
    pub fn new() -> Link {
        Link {
            file: StoredValue::new_local(None),
            folder: StoredValue::new_local(None),
            name: RwSignal::new(None),
            note: RwSignal::new(String::new()),
            reconnect: RwSignal::new(false),
            missing: RwSignal::new(Vec::new()),
            choices: RwSignal::new(Vec::new()),
            choice_handles: StoredValue::new_local(Vec::new()),
            seen: StoredValue::new((0.0, 0.0)),
            working: StoredValue::new(false),
            origin: StoredValue::new(None),
            generation: StoredValue::new(0),
            missing_run: StoredValue::new(0),
        }
    }

    fn handle(&self) -> Option<Handle> {
        self.file.get_value()
    }

    /// Forgets the link: the board works on a copy from now on.
    pub fn unlink(&self) {
        if self.file.with_value(Option::is_none) {
            return;
        }
        self.file.set_value(None);
        self.folder.set_value(None);
        self.origin.set_value(None);
        self.generation.update_value(|g| *g += 1);
        self.name.set(None);
        self.note.set(String::new());
        self.reconnect.set(false);
        self.missing.set(Vec::new());
        spawn_local(async {
            let _ = crate::storage::keep_link(None, None).await;
        });
    }

    /// Links `handle` (and the folder it was found in) and opens its file on the board; a
    /// newer version of the open file with unsaved changes is merged instead.
    async fn open(&self, state: AppState, handle: Handle, folder: Option<Handle>) -> bool {
        let read = match file_of(&handle).await {
            Ok((file, size, modified)) => text_of(&file).await.map(|text| (text, size, modified)),
            Err(why) => Err(format!("{why}.")),
        };
        let (text, size, modified) = match read {
            Ok(read) => read,
            Err(why) => {
                state.notice.set(Some(Notice::Error(format!(
                    "Could not open {}: {why}",
                    handle.name()
                ))));
                return false;
            }
        };
        let name = handle.name();
        if !open_text(state, &name, text) {
            return false;
        }
        self.seen.set_value((size, modified));
        self.generation.update_value(|g| *g += 1);
        self.origin
            .set_value(state.with_board(|b| b.map(Board::origin)));
        self.file.set_value(Some(handle.clone()));
        self.folder.set_value(folder.clone());
        self.name.set(Some(name));
        self.reconnect.set(false);
        self.note.set(String::new());
        let folder = folder.map(JsValue::from);
        let _ = crate::storage::keep_link(Some(&handle.into()), folder.as_ref()).await;
        true
    }

    /// Checks the file for changes and merges them into the board. Quiet when nothing
    /// changed: one `getFile`, no read.
    async fn check(&self, state: AppState) {
        let Some(handle) = self.handle() else {
            return;
        };
        if self.working.get_value() || self.reconnect.get_untracked() {
            return;
        }
        self.working.set_value(true);
        let result = self.check_now(state, &handle).await;
        self.working.set_value(false);
        if let Err(why) = result {
            self.note.set(why);
        }
    }

    async fn check_now(&self, state: AppState, handle: &Handle) -> Result<(), String> {
        let (file, size, modified) = match file_of(handle).await {
            Ok(read) => read,
            Err(why) => {
                // Permission taken back, or the file moved away: say so, and ask again.
                if !granted(handle, false, false).await {
                    self.reconnect.set(true);
                    return Ok(());
                }
                return Err(format!("cannot read the file: {why}"));
            }
        };
        if self.seen.get_value() == (size, modified) {
            return Ok(());
        }
        // The board open is another file (an undo brought back another board): the link
        // waits until that file is open again.
        if !self.owns_board(state) {
            return Ok(());
        }
        let generation = self.generation.get_value();
        // A dialog, a drag or a menu is open: the board is not swapped under it; the next
        // turn tries again (the file is not marked as seen).
        if state.is_busy_untracked() {
            return Ok(());
        }
        let text = text_of(&file).await?;
        // Read for a link since replaced, or for a board since swapped: not merged.
        if state.is_busy_untracked()
            || self.generation.get_value() != generation
            || !self.owns_board(state)
        {
            return Ok(());
        }
        self.seen.set_value((size, modified));
        self.merge_in(state, &text);
        Ok(())
    }

    /// Whether the open board reads the linked file (the same `Board::origin`). After a reload
    /// the restored board is taken as the linked file's when their names match.
    fn owns_board(&self, state: AppState) -> bool {
        let open = state.with_board(|b| b.map(|b| (b.origin(), b.file_name().to_owned())));
        let Some((origin, name)) = open else {
            return false;
        };
        match self.origin.get_value() {
            Some(linked) => linked == origin,
            None if self.name.get_untracked().as_deref() == Some(name.as_str()) => {
                self.origin.set_value(Some(origin));
                true
            }
            None => false,
        }
    }

    /// Merges the file's `text` into the board and says what came from it.
    fn merge_in(&self, state: AppState, text: &str) -> bool {
        match state.follow_file(text) {
            Ok(followed) => {
                if followed.changed > 0 {
                    let plural = if followed.changed == 1 { "" } else { "s" };
                    self.note.set(format!(
                        "changed on disk · merged {} requirement{plural}",
                        followed.changed
                    ));
                }
                if followed.board_changed {
                    self.find_missing(state);
                }
                followed.conflicts == 0
            }
            Err(why) => {
                self.note.set("changed on disk · not merged".to_owned());
                state.notice.set(Some(Notice::Error(format!(
                    "The file on disk changed but cannot be read, so the board still shows the last version it could read: {why}"
                ))));
                false
            }
        }
    }

    /// Writes the board into the linked file, after merging what changed there since the
    /// board last read it; nothing is written while a conflict waits for a person. Without a
    /// link, the export is downloaded instead.
    pub async fn save(&self, state: AppState) {
        let Some(handle) = self.handle() else {
            super::export_matrix(state);
            return;
        };
        if self.working.get_value() {
            // A check is reading the file; the save runs once it is done.
            let link = *self;
            set_timeout(
                move || spawn_local(async move { link.save(state).await }),
                Duration::from_millis(50),
            );
            return;
        }
        self.working.set_value(true);
        let result = self.save_now(state, &handle).await;
        self.working.set_value(false);
        match result {
            Ok(Some(at)) => {
                self.note.set(format!("saved {}", short_time(&at)));
                state.announcement.set(format!("Saved {}.", handle.name()));
            }
            Ok(None) => {}
            Err(why) => {
                state.notice.set(Some(Notice::Error(format!(
                    "Could not save {}: {why} Your changes are still on the board; \"Export matrix\" downloads them.",
                    handle.name()
                ))));
            }
        }
    }

    async fn save_now(&self, state: AppState, handle: &Handle) -> Result<Option<String>, String> {
        if !self.owns_board(state) {
            return Err(
                "the board open now is another file's (an undo or an import brought it back), so it is not written there."
                    .to_owned(),
            );
        }
        if !granted(handle, true, false).await && !granted(handle, true, true).await {
            return Err("the browser did not allow writing to it.".to_owned());
        }
        self.reconnect.set(false);
        let generation = self.generation.get_value();
        // After every wait the link and the open board must still be the ones this save is
        // for: a drop or an undo meanwhile is never merged with this file nor written to it.
        let still =
            |link: &Link| link.generation.get_value() == generation && link.owns_board(state);
        let moved_on = || {
            "the board or the link changed while saving; nothing was written. Save again."
                .to_owned()
        };
        // Read first, every time, and the text itself: whatever the agents wrote since (even
        // a rewrite of the same size in the same second, or a version an undo took off the
        // board) is merged before anything is written.
        for _ in 0..3 {
            let (file, size, modified) = file_of(handle).await.map_err(|e| format!("{e}."))?;
            let on_disk = text_of(&file).await?;
            if !still(self) {
                return Err(moved_on());
            }
            if state.is_busy_untracked() {
                state.announcement.set(
                    "Not saved yet: finish or close what is open first, then save.".to_owned(),
                );
                return Ok(None);
            }
            self.seen.set_value((size, modified));
            let differs = state.with_board(|b| {
                b.is_some_and(|b| b.base_text() != on_disk.trim_start_matches('\u{FEFF}'))
            });
            if differs && !self.merge_in(state, &on_disk) {
                let conflicts = state.with_board(|b| b.map_or(0, Board::conflict_count));
                if conflicts > 0 {
                    state.notice.set(Some(Notice::Error(format!(
                        "Not saved: the file changed on disk, and {conflicts} requirement{} changed there and on the board in the same place. Open each card's \"Conflict\" to choose, then save again.",
                        if conflicts == 1 { "" } else { "s" }
                    ))));
                }
                return Ok(None);
            }
            if state.with_board(|b| b.map_or(0, Board::conflict_count)) > 0 {
                state.notice.set(Some(Notice::Error(
                    "Not saved: a conflict with the file waits for your choice. Open the card's \"Conflict\" to choose, then save again.".to_owned(),
                )));
                return Ok(None);
            }
            let Some((text, board, origin)) =
                state.with_board(|b| b.map(|b| (b.export(), b.id(), b.origin())))
            else {
                return Ok(None);
            };
            // The file must still be the one just read: an agent writing in between is read
            // and merged first, on the next round.
            let (_, size, modified) = file_of(handle).await.map_err(|e| format!("{e}."))?;
            if !still(self) {
                return Err(moved_on());
            }
            if self.seen.get_value() != (size, modified) {
                continue;
            }
            let writable: Writable = handle
                .create_writable()
                .await
                .map_err(|e| format!("{}.", reason(&e)))?
                .unchecked_into();
            writable
                .write(&text)
                .await
                .map_err(|e| format!("{}.", reason(&e)))?;
            writable
                .close()
                .await
                .map_err(|e| format!("{}.", reason(&e)))?;
            if let Ok((_, size, modified)) = file_of(handle).await {
                self.seen.set_value((size, modified));
            }
            // Changes made while the write was in flight stay unsaved (`Workspace::saved`).
            state.mark_saved(&text, board, origin);
            return Ok(Some(now_iso()));
        }
        Err("the file kept changing on disk while saving; try again in a moment.".to_owned())
    }

    /// Asks the browser again for the permission a reload took away, then catches up.
    pub async fn reconnect_now(&self, state: AppState) {
        let Some(handle) = self.handle() else {
            return;
        };
        if granted(&handle, true, true).await {
            self.reconnect.set(false);
            self.note.set("reconnected".to_owned());
            self.check(state).await;
            self.find_missing(state);
        } else {
            state.notice.set(Some(Notice::Error(format!(
                "The browser did not allow reading {}; the board keeps working on its copy.",
                handle.name()
            ))));
        }
    }

    /// Links the file a person picks, and opens it.
    pub async fn pick_file(&self, state: AppState) {
        let options = Object::new();
        let types = js_sys::JSON::parse(
            r#"[{"description":"Traceability matrix","accept":{"application/json":[".json",".lobster"]}}]"#,
        )
        .unwrap_or(JsValue::NULL);
        let _ = Reflect::set(&options, &"types".into(), &types);
        match show_open_file_picker(&options.into()).await {
            Ok(list) => {
                let handle = js_sys::Array::from(&list).get(0);
                if handle.is_object() {
                    self.open(state, handle.unchecked_into(), None).await;
                }
            }
            Err(e) if is_abort(&e) => {}
            Err(e) => state.notice.set(Some(Notice::Error(format!(
                "Could not open the file chooser: {}",
                reason(&e)
            )))),
        }
    }

    /// Links a file dropped on the page, through the handle the browser gave for it.
    pub async fn open_dropped(&self, state: AppState, handle: JsValue) -> bool {
        if !handle.is_object() {
            return false;
        }
        let handle: Handle = handle.unchecked_into();
        if handle.kind() != "file" {
            return false;
        }
        self.open(state, handle, None).await
    }

    /// Opens a project folder: finds its matrix, links it, imports its agents and notes the
    /// paths the matrix lists that the folder does not have.
    pub async fn pick_folder(&self, state: AppState) {
        let folder: Handle = match show_directory_picker(&mode(true)).await {
            Ok(folder) => folder.unchecked_into(),
            Err(e) if is_abort(&e) => return,
            Err(e) => {
                state.notice.set(Some(Notice::Error(format!(
                    "Could not open the folder chooser: {}",
                    reason(&e)
                ))));
                return;
            }
        };
        let mut found: Vec<(String, Handle)> = Vec::new();
        for dir in ["", "docs", ".claude"] {
            let Some(handle) = directory(&folder, dir).await else {
                continue;
            };
            for (name, entry) in listing(&handle).await {
                let lower = name.to_ascii_lowercase();
                if entry.kind() == "file"
                    && lower.ends_with(".json")
                    && (lower.contains("traceability") || lower.contains("trace_matrix"))
                {
                    let path = if dir.is_empty() {
                        name
                    } else {
                        format!("{dir}/{name}")
                    };
                    found.push((path, entry));
                }
            }
        }
        self.folder.set_value(Some(folder.clone()));
        match found.len() {
            0 => state.notice.set(Some(Notice::Error(format!(
                "No traceability matrix in {}: the board looks for a file like traceability_matrix.json in the folder, in docs/ and in .claude/.",
                folder.name()
            )))),
            1 => {
                if let Some((_, handle)) = found.pop() {
                    self.open_in_folder(state, handle).await;
                }
            }
            _ => {
                self.choice_handles
                    .set_value(found.iter().map(|(_, h)| h.clone()).collect());
                self.choices.set(found.into_iter().map(|(p, _)| p).collect());
            }
        }
    }

    /// The matrix the person chose among several in the folder.
    pub async fn choose(&self, state: AppState, index: usize) {
        let handle = self.choice_handles.with_value(|h| h.get(index).cloned());
        self.choices.set(Vec::new());
        self.choice_handles.set_value(Vec::new());
        if let Some(handle) = handle {
            self.open_in_folder(state, handle).await;
        }
    }

    async fn open_in_folder(&self, state: AppState, handle: Handle) {
        let folder = self.folder.get_value();
        if !self.open(state, handle, folder.clone()).await {
            return;
        }
        let Some(folder) = folder else {
            return;
        };
        // The team's agents, from .claude/agents/.
        if let Some(agents) = directory(&folder, ".claude/agents").await {
            let mut files = Vec::new();
            let mut unreadable = Vec::new();
            for (name, entry) in listing(&agents).await {
                if entry.kind() != "file" || !name.to_ascii_lowercase().ends_with(".md") {
                    continue;
                }
                match file_of(&entry).await {
                    Ok((file, _, _)) => {
                        let read = super::files::read(&file).await;
                        match read.bytes {
                            Ok(bytes) => files.push((name, bytes)),
                            Err(why) => unreadable.push(why),
                        }
                    }
                    Err(why) => unreadable.push(format!("{name}: {why}")),
                }
            }
            if !files.is_empty() || !unreadable.is_empty() {
                let report = state.notice.get_untracked();
                state.import_agents(files, unreadable);
                // The matrix's report matters more than the team's; both were said aloud.
                if let Some(report) = report {
                    state.notice.set(Some(report));
                }
            }
        }
        self.find_missing(state);
    }

    /// Works out which test and code paths of the board the project folder lacks.
    pub(crate) fn find_missing(&self, state: AppState) {
        let Some(folder) = self.folder.get_value() else {
            return;
        };
        let paths = state.with_board(|b| {
            let mut paths: Vec<String> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            if let Some(b) = b {
                for (_, card) in b.cards() {
                    for path in card.tests.iter().chain(&card.code) {
                        if let Some(p) = file_part(path)
                            && seen.insert(p)
                        {
                            paths.push(p.to_owned());
                        }
                    }
                    if paths.len() >= 5000 {
                        break;
                    }
                }
            }
            paths
        });
        let link = *self;
        self.missing_run.update_value(|r| *r += 1);
        let run = self.missing_run.get_value();
        spawn_local(async move {
            // Each folder is listed once, however many paths it holds.
            let mut listed: Vec<(String, Option<Vec<String>>)> = Vec::new();
            let mut missing = Vec::new();
            for path in paths {
                let (dir, name) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
                let names = match listed.iter().position(|(d, _)| d == dir) {
                    Some(i) => &listed[i].1,
                    None => {
                        let names = match directory(&folder, dir).await {
                            Some(handle) => {
                                Some(listing(&handle).await.into_iter().map(|(n, _)| n).collect())
                            }
                            None => None,
                        };
                        listed.push((dir.to_owned(), names));
                        &listed[listed.len() - 1].1
                    }
                };
                if !names.as_ref().is_some_and(|n| n.iter().any(|n| n == name)) {
                    missing.push(path);
                }
            }
            // A later search (after another merge) has the last word.
            if link.missing_run.get_value() == run {
                link.missing.set(missing);
            }
        });
    }

    /// Whether a project folder is linked, so paths can be looked for in it.
    pub fn has_folder(&self) -> bool {
        self.folder.with_value(Option::is_some)
    }

    /// Whether `path` (a card's test or code path) is missing from the project folder.
    pub fn is_missing(&self, path: &str) -> bool {
        file_part(path).is_some_and(|p| self.missing.with(|m| m.iter().any(|q| q == p)))
    }
}

impl Default for Link {
    fn default() -> Self {
        Link::new()
    }
}

/// The file a test or code path names, relative to the project folder: `tests/a.py` of
/// `./tests/a.py::test_b` or `src/a.rs:12`. `None` for what cannot be looked up in a folder
/// (an absolute path, a URL, a bare test name).
fn file_part(path: &str) -> Option<&str> {
    let path = path.trim();
    let path = path.split("::").next().unwrap_or(path);
    let path = path.split(['#', ' ']).next().unwrap_or(path);
    // `src/a.rs:12` and `src/a.rs:12:5`: a line and a column are not part of the name.
    let mut path = path;
    for _ in 0..2 {
        if let Some((file, number)) = path.rsplit_once(':')
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
        {
            path = file;
        }
    }
    let path = path.trim_start_matches("./");
    // A file has a folder or an extension (`README.md`); `tests.unit.test_login`, a dotted
    // test name, has neither.
    let extension = path.rsplit_once('.').map(|(_, ext)| ext).filter(|ext| {
        (1..=5).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    let looks_like_file = path.contains('/') || extension.is_some();
    (looks_like_file
        && !path.is_empty()
        && !path.starts_with('/')
        && !path.contains("://")
        && !path.contains('\\')
        && !path
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty()))
    .then_some(path)
}

/// The sub-folder at `path` (`a/b`) of `folder`; `None` when it does not exist.
async fn directory(folder: &Handle, path: &str) -> Option<Handle> {
    let mut handle = folder.clone();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        handle = handle
            .get_directory_handle(part)
            .await
            .ok()?
            .unchecked_into();
    }
    Some(handle)
}

/// The entries of a folder, with their names.
async fn listing(folder: &Handle) -> Vec<(String, Handle)> {
    let mut out = Vec::new();
    let entries = folder.values();
    loop {
        let Ok(next) = entries.next() else {
            break;
        };
        let Ok(step) = wasm_bindgen_futures::JsFuture::from(next).await else {
            break;
        };
        if Reflect::get(&step, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        if let Ok(entry) = Reflect::get(&step, &"value".into()) {
            let entry: Handle = entry.unchecked_into();
            out.push((entry.name(), entry));
        }
    }
    out
}

/// Opens `text` as the board, or merges it into the open board when it is a newer version of
/// the same file and the board holds changes the file does not have: asked first.
pub fn open_text(state: AppState, name: &str, text: String) -> bool {
    let unsaved = state.with_board(|b| {
        b.filter(|b| b.file_name() == name)
            .map_or(0, Board::unsaved)
    });
    if unsaved > 0 {
        let plural = if unsaved == 1 { "" } else { "s" };
        let merge = window()
            .confirm_with_message(&format!(
                "The board holds {unsaved} change{plural} to {name} that this version does not have.\n\nOK: keep them, merged into this version by requirement.\nCancel: open this version as it is."
            ))
            .unwrap_or(false);
        if merge {
            return match state.follow_file(&text) {
                Ok(_) => true,
                Err(why) => {
                    state.notice.set(Some(Notice::Error(format!(
                        "Could not merge {name}: {why}"
                    ))));
                    false
                }
            };
        }
    }
    state.import_matrix(name, text.into_bytes());
    state.with_board(|b| b.is_some_and(|b| b.file_name() == name))
}

/// Starts the watch: about once a second while the tab is visible, and at once when it
/// becomes visible again. Links the file kept from the last visit, asking for permission
/// only when the person clicks "Reconnect".
pub fn start(state: AppState, link: Link) {
    if !supported() {
        return;
    }
    spawn_local(async move {
        if let Some((file, folder)) = crate::storage::kept_link().await {
            let file: Handle = file.unchecked_into();
            link.name.set(Some(file.name()));
            link.file.set_value(Some(file.clone()));
            if folder.is_object() {
                link.folder.set_value(Some(folder.unchecked_into()));
            }
            // The restored board's text is what the board last read; its size and time are
            // not known, so the first check reads the file once.
            if granted(&file, false, false).await {
                link.check(state).await;
                link.find_missing(state);
            } else {
                link.reconnect.set(true);
            }
        }
    });
    // Nothing is asked of the browser while no file is linked or the tab is hidden.
    let tick = move || {
        if link.file.with_value(Option::is_none) || document().hidden() {
            return;
        }
        spawn_local(async move { link.check(state).await });
    };
    if let Ok(handle) = set_interval_with_handle(tick, WATCH_EVERY) {
        on_cleanup(move || handle.clear());
    }
}

#[cfg(test)]
mod tests {
    use super::file_part;

    #[test]
    fn a_path_is_looked_up_by_its_file_name_only() {
        for (path, file) in [
            ("tests/test_login.py::test_ok", Some("tests/test_login.py")),
            ("./src/a.rs:12", Some("src/a.rs")),
            ("src/a.rs:12:5", Some("src/a.rs")),
            ("README.md", Some("README.md")),
            ("src/app.test.ts#L4", Some("src/app.test.ts")),
            ("tests.unit.test_login", None),
            ("test_login", None),
            ("/abs/path.py", None),
            ("https://example.org/a.py", None),
            ("../outside.py", None),
            ("a/./b.py", None),
            ("C:\\a\\b.py", None),
        ] {
            assert_eq!(file_part(path), file, "{path}");
        }
    }
}
