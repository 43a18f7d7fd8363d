//! Autosave's storage: the only module that touches the browser's storage (IndexedDB, and
//! the localStorage of older versions, read once to migrate it) and the channel that tells
//! other tabs of this page that the save changed.
//!
//! What is saved, `SavedBoard`, is the core's; this module keeps its JSON text in one IndexedDB
//! record with a generation that every write increments, so a tab can tell whether the save is
//! still the one it loaded or wrote, and refuse to overwrite another tab's newer work. A second
//! record names the generation that is *current*: a write that fails deletes it (a delete
//! needs no quota), so a reload can say truthfully that the save is older than the work was.
//! Claim records, one per generation under a unique index, let IndexedDB itself refuse a
//! second write of the same generation, which guards the write committed as the page is left.
//! Loading tells "nothing saved yet" from "saved data is corrupt", and a corrupt save is moved
//! aside rather than lost. A connection the browser closes (site data cleared) is let go and
//! opened again; an open that another tab blocks, or that a newer version of the page refuses,
//! says so (`Blocked`, `Outdated`) instead of waiting or blaming the browser.
//!
//! Why plain `web-sys` and no IndexedDB crate: autosave needs five operations, and two of them
//! need control the crates (`idb`, whose default features bring tokio; `rexie`, a wrapper of
//! the same kind; `indexed_db_futures`, with its own helper crates) keep behind their futures:
//! aborting the transaction from inside a request's success callback (the generation check
//! must sit in the same transaction as the write), and `commit()` when the page is left, so
//! the write lands without any more script running. Measured on the release build, this whole
//! change (this module, `ui::saving`, the IndexedDB and BroadcastChannel bindings, less
//! gloo-storage) adds 10.5 KB of gzipped wasm and 0.9 KB of gzipped glue: the page went from
//! 233.0 to 244.4 KB. The claims, the write that replaces one in flight when the page is left,
//! and holding openings until the restore added 3.3 KB more (252.9 to 256.2 KB). Time limits,
//! the close handler, the blocked and newer-version messages and the migration race added
//! 2.7 KB (259.5 to 262.2 KB, measured on the same base).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    BroadcastChannel, DomException, Event, IdbDatabase, IdbIndexParameters, IdbKeyRange,
    IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode, MessageEvent,
};

use traceboard_core::saved::SavedBoard;

/// The database, its one object store and the keys of the records in it.
const DB_NAME: &str = "traceboard";
const STORE: &str = "saves";
/// The saved board: `{ json }`, `json` null when the board was closed.
const BOARD: &str = "board";
/// The generation of the last write, a number every write increments.
const GENERATION: &str = "generation";
/// The generation whose write is complete and holds the latest work; deleted when a write
/// fails, so the board record is known to be older than the work.
const CURRENT: &str = "current";
/// Where a save that could not be read is kept, so a person can still recover it.
const UNREADABLE: &str = "unreadable";
/// Where versions before IndexedDB kept the board in localStorage, read once and removed.
const OLD_KEY: &str = "traceboard.board.v1";
const OLD_CORRUPT_KEY: &str = "traceboard.board.v1.unreadable";
/// The linked file: `{ file, folder }`, the browser's handles to them (see `ui::link`).
const LINK: &str = "link";
/// The key of the test reports kept with the board (`keep_results`).
const RESULTS: &str = "results";
/// The channel on which tabs of this page announce the generation they wrote.
const CHANNEL: &str = "traceboard.saves";
/// The database's version: 2 added the unique index of claims.
const VERSION: u32 = 2;
/// The unique index on the claims' `claim` field (see `write`).
const CLAIMS: &str = "claims";
/// How many generations of claims a checked write keeps; older ones are removed.
const CLAIMS_KEPT: u64 = 100;

thread_local! {
    /// The open connection, kept between writes so a write on `pagehide` starts at once.
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    /// The checked write in flight, if any, and whether `save_at_once` aborted it.
    static IN_FLIGHT: RefCell<Option<(IdbTransaction, Rc<Cell<bool>>)>> =
        const { RefCell::new(None) };
    /// This page's name in the claims, so a write can replace its own claim but not another's.
    // An integer, not a float: formatting floats would bring their printing code into the page.
    static TAB: String = format!("tab-{}", (js_sys::Math::random() * 9e15) as u64);
}

/// Why a save or a load did not work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// The browser does not let this page store anything (site data blocked, a sandboxed
    /// frame, some private modes).
    Unavailable,
    /// The saved board could not be read; it was kept aside (a load reports it in `Loaded`).
    Corrupt(String),
    /// Another tab saved a newer generation than the one this tab loaded or wrote.
    Conflict,
    /// The write failed: the browser's reason (full storage, an IndexedDB error).
    Failed(String),
    /// The write was aborted because the page was left, and a write of the latest board issued
    /// in its place (`save_at_once`).
    Replaced,
    /// Another tab holds the database open at an older version and does not let go of it, so
    /// this one cannot open it.
    Blocked,
    /// A newer version of the page upgraded the database past this version's.
    Outdated,
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable => write!(
                f,
                "This browser does not let this page store data, so work will not be kept in this browser: export the matrix to keep your changes."
            ),
            StorageError::Corrupt(why) => write!(
                f,
                "The board saved in this browser could not be read ({why}); it was kept aside and an empty board opened."
            ),
            StorageError::Conflict => write!(f, "This board changed in another tab."),
            StorageError::Failed(why) => write!(f, "{why}"),
            StorageError::Replaced => write!(f, "A later write replaced this one."),
            StorageError::Outdated => write!(
                f,
                "A newer version of Traceboard is open in another tab; reload this one to keep saving."
            ),
            StorageError::Blocked => write!(
                f,
                "Traceboard open in another tab keeps this one from reading the board saved in this browser, so changes made here are not being saved: close or reload the other tab, then reload this one."
            ),
        }
    }
}

/// What was found in storage at start-up or when another tab wrote.
pub struct Loaded {
    /// `None` when nothing is saved, or the board was closed.
    pub board: Option<SavedBoard>,
    /// The generation of the save, 0 when nothing was ever saved.
    pub generation: u64,
    /// False when a later write failed, so this save is older than the work was.
    pub current: bool,
    /// The size of the saved text, in bytes.
    pub bytes: usize,
    /// Why the save could not be read, when it could not; it was kept aside.
    pub unreadable: Option<String>,
}

/// A write that landed.
pub struct Written {
    pub generation: u64,
    pub bytes: usize,
}

/// Where each tab marks, synchronously, that it has changes no write has confirmed yet, with
/// the generation that work stands on (`traceboard.unsaved.<tab>`). IndexedDB is asynchronous,
/// and Chromium may drop a write issued as the page is left; localStorage is written at once,
/// so the next start-up can tell a save that holds all the work from one that is older than
/// it, and say so instead of presenting the older save as current.
const UNSAVED_PREFIX: &str = "traceboard.unsaved.";

fn local_storage() -> Option<web_sys::Storage> {
    // `local_storage()` catches the exception a blocked localStorage throws.
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Where a person's choice of fields is remembered, per shape of file
/// (`traceboard.fields.<signature>`, see `matrix::Shape::signature`).
const FIELDS_PREFIX: &str = "traceboard.fields.";

/// The choice of fields remembered for files of this shape, as JSON.
pub fn remembered_fields(signature: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{FIELDS_PREFIX}{signature}"))
        .ok()
        .flatten()
}

/// Remembers a choice of fields for files of this shape. Best effort: where storage is
/// blocked the choice still holds for this board and its save, only not for the next file.
pub fn remember_fields(signature: &str, json: &str) {
    if let Some(local) = local_storage() {
        let _ = local.set_item(&format!("{FIELDS_PREFIX}{signature}"), json);
    }
}

/// Marks that this tab has changes on top of `generation` that no write has confirmed.
pub fn mark_unsaved(generation: u64) {
    if let Some(local) = local_storage() {
        TAB.with(|tab| {
            let _ = local.set_item(&format!("{UNSAVED_PREFIX}{tab}"), &generation.to_string());
        });
    }
}

/// This tab's changes are all in a confirmed write (or were replaced by a load).
pub fn clear_unsaved() {
    if let Some(local) = local_storage() {
        TAB.with(|tab| {
            let _ = local.remove_item(&format!("{UNSAVED_PREFIX}{tab}"));
        });
    }
}

/// Whether a tab that has gone left changes on top of `generation` (or a later one) that no
/// write confirmed: then the save at `generation` is older than the work. Read at start-up;
/// every mark is consumed, since the tabs that left them are gone or will mark again.
pub fn unsaved_work_since(generation: u64) -> bool {
    let Some(local) = local_storage() else {
        return false;
    };
    let keys: Vec<String> = (0..local.length().unwrap_or(0))
        .filter_map(|i| local.key(i).ok().flatten())
        .filter(|k| k.starts_with(UNSAVED_PREFIX))
        .collect();
    let mut older = false;
    for key in keys {
        let base = local.get_item(&key).ok().flatten();
        if base
            .and_then(|b| b.parse::<u64>().ok())
            .is_some_and(|b| b >= generation)
        {
            older = true;
        }
        let _ = local.remove_item(&key);
    }
    older
}

/// Loads the save, migrating a save of the localStorage era into IndexedDB first.
pub async fn load() -> Result<Loaded, StorageError> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readonly)?;
    let store = tx.object_store(STORE).map_err(failed)?;
    let board = request(store.get(&BOARD.into()).map_err(failed)?);
    let generation = request(store.get(&GENERATION.into()).map_err(failed)?);
    let current = request(store.get(&CURRENT.into()).map_err(failed)?);
    let (board, generation, current) = (board.await?, generation.await?, current.await?);
    let generation = generation.as_f64().unwrap_or(0.0) as u64;
    if generation == 0 {
        return migrate().await;
    }
    // A migration whose write landed but whose page was left before it removed the old save
    // leaves it behind; it is never read again (IndexedDB holds a save), so it goes now.
    if let Some(old) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = old.remove_item(OLD_KEY);
    }
    let current = current.as_f64() == Some(generation as f64);
    let text = Reflect::get(&board, &"json".into())
        .ok()
        .and_then(|t| t.as_string());
    let Some(text) = text else {
        return Ok(Loaded {
            board: None,
            generation,
            current,
            bytes: 0,
            unreadable: None,
        });
    };
    match SavedBoard::from_json(&text) {
        Ok(saved) => Ok(Loaded {
            board: Some(saved),
            generation,
            current,
            bytes: text.len(),
            unreadable: None,
        }),
        Err(e) => {
            // Kept aside under its own key; the board record stays so the generation goes on.
            // Both writes wait for a check, in the same transaction, that the save is still
            // the one read: another tab's newer save is not moved aside unread.
            let aside = transaction(&db, IdbTransactionMode::Readwrite)?;
            let done = finished(&aside);
            let store = aside.object_store(STORE).map_err(failed)?;
            let check = store.get(&GENERATION.into()).map_err(failed)?;
            let on_checked = Closure::once_into_js(move |event: Event| {
                let Some(read) = request_of(&event) else {
                    return;
                };
                let Some(store) = read
                    .source()
                    .and_then(|s| s.dyn_into::<IdbObjectStore>().ok())
                else {
                    return;
                };
                if read.result().ok().and_then(|v| v.as_f64()) == Some(generation as f64) {
                    let _ = store.put_with_key(&JsValue::from_str(&text), &UNREADABLE.into());
                    let _ = store.put_with_key(&record(None), &BOARD.into());
                }
            });
            check.set_onsuccess(Some(on_checked.unchecked_ref()));
            let _ = done.await;
            Ok(Loaded {
                board: None,
                generation,
                current: true,
                bytes: 0,
                unreadable: Some(e),
            })
        }
    }
}

/// Moves a save of the localStorage era into IndexedDB, then removes it from localStorage.
async fn migrate() -> Result<Loaded, StorageError> {
    let nothing = Loaded {
        board: None,
        generation: 0,
        current: true,
        bytes: 0,
        unreadable: None,
    };
    // `local_storage()` catches the exception a blocked localStorage throws.
    let Some(old) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return Ok(nothing);
    };
    let Ok(Some(text)) = old.get_item(OLD_KEY) else {
        return Ok(nothing);
    };
    match SavedBoard::from_json(&text) {
        Ok(saved) => {
            let written = match save(Some(&saved), 0).await {
                Ok(written) => written,
                // Another tab migrated the same save first (or saved since): its save is the
                // one to show, and it removes the old one as any load of a save does.
                Err(StorageError::Conflict) => return Box::pin(load()).await,
                Err(e) => return Err(e),
            };
            let _ = old.remove_item(OLD_KEY);
            Ok(Loaded {
                board: Some(saved),
                generation: written.generation,
                current: true,
                bytes: written.bytes,
                unreadable: None,
            })
        }
        Err(e) => {
            let _ = old.set_item(OLD_CORRUPT_KEY, &text);
            let _ = old.remove_item(OLD_KEY);
            Ok(Loaded {
                unreadable: Some(e),
                ..nothing
            })
        }
    }
}

/// Writes `board` (`None`: the board was closed) as the next generation after `expected`, the
/// one this tab last loaded or wrote; refuses with `Conflict` when another tab wrote since.
pub async fn save(board: Option<&SavedBoard>, expected: u64) -> Result<Written, StorageError> {
    let db = open().await?;
    match write(&db, board, expected, false) {
        // The connection was closed under this tab without a word (the closing event may not
        // have been handled yet): `transaction` let go of it, so the retry opens a fresh one.
        Err(StorageError::Failed(why)) if why.starts_with("InvalidStateError") => {
            write(&open().await?, board, expected, false)?.await
        }
        issued => issued?.await,
    }
}

/// Starts the write at once, for a page being left: it needs the connection open already,
/// and commits without waiting for any more script. A checked write still in flight is aborted
/// once this one, from the same `expected` generation, has been issued, and this one takes its
/// place: a transaction queued behind another does not survive the page (Chromium aborts it
/// when the document goes), and the checked write needs script to run to commit at all. When
/// this one cannot be issued, the one in flight is left to land, as the best there is. The
/// claim in `write` is its guard against another tab's newer save. `None` when it could not
/// start.
pub fn save_at_once(
    board: Option<&SavedBoard>,
    expected: u64,
) -> Option<impl Future<Output = Result<Written, StorageError>> + use<>> {
    let db = DB.with(|db| db.borrow().clone())?;
    let write = write(&db, board, expected, true).ok()?;
    if let Some((tx, replaced)) = IN_FLIGHT.with(|f| f.borrow_mut().take()) {
        replaced.set(true);
        let _ = tx.abort();
    }
    Some(write)
}

/// Issues the writes of one save in one transaction.
///
/// Every write also puts this tab's claim on the generation it writes: the record
/// `["claim", generation, tab]` holding `{ claim: generation }`, under a unique index on
/// `claim`. When another tab has already claimed that generation, the index refuses the put
/// natively and the whole transaction aborts with a ConstraintError, with no script needed
/// after it was issued, so the guard holds for the write committed as the page is left too.
/// This tab's own claim has the same key, so a write that replaces this tab's own in-flight
/// write of the same generation is let through. A checked write also reads the stored
/// generation first, and removes claims many generations old, so they do not pile up.
fn write(
    db: &IdbDatabase,
    board: Option<&SavedBoard>,
    expected: u64,
    commit_now: bool,
) -> Result<impl Future<Output = Result<Written, StorageError>> + use<>, StorageError> {
    let text = board.map(SavedBoard::to_json);
    let bytes = text.as_ref().map_or(0, String::len);
    let generation = expected + 1;
    let tx = transaction(db, IdbTransactionMode::Readwrite)?;
    let done = finished(&tx);
    let store = tx.object_store(STORE).map_err(failed)?;
    let conflict = Rc::new(Cell::new(false));
    let replaced = Rc::new(Cell::new(false));
    if !commit_now {
        // The check sits in the same transaction as the writes: the writes cannot commit
        // before this callback has run, and aborting here takes them all back.
        let check = store.get(&GENERATION.into()).map_err(failed)?;
        let seen = conflict.clone();
        let on_checked = Closure::once_into_js(move |event: Event| {
            let stored = request_of(&event)
                .and_then(|r| r.result().ok())
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            // No stored generation means the storage was reset (site data cleared, the
            // database deleted or evicted): nobody else's work is there, so the write goes on.
            // Any other generation than this tab's is another tab's save, a lower one too: a
            // tab opened after the reset saved its own first generations.
            if stored != 0.0
                && stored != expected as f64
                && let Some(tx) = request_of(&event).and_then(|r| r.transaction())
            {
                seen.set(true);
                let _ = tx.abort();
            }
        });
        check.set_onsuccess(Some(on_checked.unchecked_ref()));
        if generation > CLAIMS_KEPT
            && let Ok(older) = IdbKeyRange::bound_with_lower_open_and_upper_open(
                &claim_key(0, false),
                &claim_key(generation - CLAIMS_KEPT, false),
                false,
                true,
            )
        {
            let _ = store.delete(&older);
        }
        IN_FLIGHT.with(|f| *f.borrow_mut() = Some((tx.clone(), replaced.clone())));
    }
    let puts = store
        .put_with_key(&claim(generation), &claim_key(generation, true))
        .and_then(|_| store.put_with_key(&record(text.as_deref()), &BOARD.into()))
        .and_then(|_| store.put_with_key(&(generation as f64).into(), &GENERATION.into()))
        .and_then(|_| store.put_with_key(&(generation as f64).into(), &CURRENT.into()));
    if let Err(e) = puts {
        let _ = tx.abort();
        if !commit_now {
            IN_FLIGHT.with(|f| f.borrow_mut().take());
        }
        return Err(failed(e));
    }
    if commit_now {
        // `commit()` is standard in every current browser; web-sys marks it deprecated only
        // because its WebIDL once did.
        #[allow(deprecated)]
        let _ = tx.commit();
    }
    Ok(async move {
        let result = done.await;
        if !commit_now {
            // This write is no longer in flight (unless another took its place already).
            IN_FLIGHT.with(|f| {
                let mut f = f.borrow_mut();
                if f.as_ref().is_some_and(|(_, r)| Rc::ptr_eq(r, &replaced)) {
                    *f = None;
                }
            });
        }
        match result {
            Ok(()) => Ok(Written { generation, bytes }),
            Err(_) if replaced.get() => Err(StorageError::Replaced),
            Err(_) if conflict.get() => Err(StorageError::Conflict),
            Err(e) => Err(e),
        }
    })
}

/// The claim record's value: `{ claim: generation }`, indexed uniquely.
fn claim(generation: u64) -> JsValue {
    let object = Object::new();
    let _ = Reflect::set(&object, &"claim".into(), &(generation as f64).into());
    object.into()
}

/// The key of this tab's claim on `generation` (`mine`), or else the key that every claim on
/// `generation` sorts after, for ranges.
fn claim_key(generation: u64, mine: bool) -> JsValue {
    let key = js_sys::Array::of2(&"claim".into(), &(generation as f64).into());
    if mine {
        TAB.with(|tab| key.push(&JsValue::from_str(tab)));
    }
    key.into()
}

/// After a failed write from `expected`: the save is no longer the current work. A delete
/// needs no quota, so it works where the write did not; the board record stays, to be restored
/// with a warning. `current` is deleted only while it still names `expected`, checked in the
/// same transaction: when another tab has saved since, its save is current and stays marked.
pub async fn mark_stale(expected: u64) {
    let Ok(db) = open().await else {
        return;
    };
    let Ok(tx) = transaction(&db, IdbTransactionMode::Readwrite) else {
        return;
    };
    let done = finished(&tx);
    if let Ok(store) = tx.object_store(STORE)
        && let Ok(current) = store.get(&CURRENT.into())
    {
        let on_read = Closure::once_into_js(move |event: Event| {
            let Some(read) = request_of(&event) else {
                return;
            };
            if read.result().ok().and_then(|v| v.as_f64()) == Some(expected as f64)
                && let Some(store) = read
                    .source()
                    .and_then(|s| s.dyn_into::<IdbObjectStore>().ok())
            {
                let _ = store.delete(&CURRENT.into());
            }
        });
        current.set_onsuccess(Some(on_read.unchecked_ref()));
    }
    let _ = done.await;
}

/// Keeps the handles of the linked file and its project folder (`None` forgets the link),
/// so a reload can link them again. IndexedDB is the one place a handle can be kept: the
/// browser clones it there with its identity, and asks the person again for permission.
pub async fn keep_link(
    file: Option<&JsValue>,
    folder: Option<&JsValue>,
) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(STORE).map_err(failed)?;
    let done = finished(&tx);
    match file {
        Some(file) => {
            let record = Object::new();
            let _ = Reflect::set(&record, &"file".into(), file);
            let _ = Reflect::set(&record, &"folder".into(), folder.unwrap_or(&JsValue::NULL));
            store.put_with_key(&record, &LINK.into()).map_err(failed)?;
        }
        None => {
            store.delete(&LINK.into()).map_err(failed)?;
        }
    }
    done.await
}

/// Keeps the test reports read for the board (each file's name and text), or forgets them
/// when there are none. They are the board's, not the matrix file's, so they live here.
pub async fn keep_results(board: &str, reports: &[(String, String)]) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(STORE).map_err(failed)?;
    let done = finished(&tx);
    if reports.is_empty() {
        store.delete(&RESULTS.into()).map_err(failed)?;
    } else {
        let list = js_sys::Array::new();
        for (name, text) in reports {
            let pair = js_sys::Array::of2(&name.into(), &text.into());
            list.push(&pair);
        }
        let record = Object::new();
        let _ = Reflect::set(&record, &"reports".into(), &list);
        let _ = Reflect::set(&record, &"board".into(), &board.into());
        store
            .put_with_key(&record, &RESULTS.into())
            .map_err(failed)?;
    }
    done.await
}

/// The test reports `keep_results` kept, as (name, text), with the name of the board's file
/// they belong to.
pub async fn kept_results() -> Option<(String, Vec<(String, String)>)> {
    let board = kept(RESULTS, "board").await?.as_string()?;
    let list = kept(RESULTS, "reports").await?;
    let reports = js_sys::Array::from(&list)
        .iter()
        .filter_map(|pair| {
            let pair = js_sys::Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    Some((board, reports))
}

/// The value under `field` of the record kept under `key`.
async fn kept(key: &str, field: &str) -> Option<JsValue> {
    let db = open().await.ok()?;
    let tx = transaction(&db, IdbTransactionMode::Readonly).ok()?;
    let store = tx.object_store(STORE).ok()?;
    let record = request(store.get(&key.into()).ok()?).await.ok()?;
    Reflect::get(&record, &field.into())
        .ok()
        .filter(|v| v.is_object() || v.is_string())
}

/// The handles `keep_link` kept: the file's and, if it was found in one, the folder's.
pub async fn kept_link() -> Option<(JsValue, JsValue)> {
    let db = open().await.ok()?;
    let tx = transaction(&db, IdbTransactionMode::Readonly).ok()?;
    let store = tx.object_store(STORE).ok()?;
    let record = request(store.get(&LINK.into()).ok()?).await.ok()?;
    let file = Reflect::get(&record, &"file".into()).ok()?;
    if !file.is_object() {
        return None;
    }
    let folder = Reflect::get(&record, &"folder".into()).unwrap_or(JsValue::NULL);
    Some((file, folder))
}

/// The `{ json }` record; `json` null for a closed board.
fn record(text: Option<&str>) -> JsValue {
    let object = Object::new();
    let json = text.map_or(JsValue::NULL, JsValue::from_str);
    let _ = Reflect::set(&object, &"json".into(), &json);
    object.into()
}

/// Opens the database once, creating its store on first use.
async fn open() -> Result<IdbDatabase, StorageError> {
    if let Some(db) = DB.with(|db| db.borrow().clone()) {
        return Ok(db);
    }
    // `indexed_db()` catches the SecurityError a blocked `window.indexedDB` throws.
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or(StorageError::Unavailable)?;
    let opening: IdbOpenDbRequest = factory
        .open_with_u32(DB_NAME, VERSION)
        .map_err(|_| StorageError::Unavailable)?;
    // Version 1 had the store; version 2 adds the unique index of claims to it.
    let upgrade = Closure::once_into_js(move |event: Event| {
        let Some(opening) = request_of(&event) else {
            return;
        };
        let Some(db) = opening
            .result()
            .ok()
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        let store = if db.object_store_names().contains(STORE) {
            opening
                .transaction()
                .and_then(|tx| tx.object_store(STORE).ok())
        } else {
            db.create_object_store(STORE).ok()
        };
        if let Some(store) = store
            && !store.index_names().contains(CLAIMS)
        {
            let unique: IdbIndexParameters = Object::new().unchecked_into();
            unique.set_unique(true);
            let _ = store.create_index_with_str_and_optional_parameters(CLAIMS, "claim", &unique);
        }
    });
    opening.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db: IdbDatabase = opened(&opening)
        .await?
        .dyn_into()
        .map_err(|_| StorageError::Unavailable)?;
    // Another tab (or a newer version) wants the database for itself: let go of it, and open
    // it again at the next write.
    let on_version_change = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        if let Some(db) = event
            .target()
            .and_then(|t| t.dyn_into::<IdbDatabase>().ok())
        {
            db.close();
        }
        DB.with(|db| db.borrow_mut().take());
    });
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    on_version_change.forget();
    // The browser closed the connection itself ("Clear site data" in Chromium, the database
    // deleted or evicted): it can start no transaction any more, so the next write opens
    // another. Only this connection is let go, not a newer one opened since.
    let on_close = Closure::once_into_js(move |event: Event| {
        let closed = event
            .target()
            .and_then(|t| t.dyn_into::<IdbDatabase>().ok());
        DB.with(|db| {
            let mut db = db.borrow_mut();
            if closed.is_some() && *db == closed {
                *db = None;
            }
        });
    });
    db.set_onclose(Some(on_close.unchecked_ref()));
    DB.with(|cached| *cached.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// The opened database; `Blocked` as soon as another tab is found to hold it at an older
/// version without letting go (the request would wait until it does, maybe for ever).
async fn opened(opening: &IdbOpenDbRequest) -> Result<JsValue, StorageError> {
    let promise = Promise::new(&mut |resolve, reject| {
        let gave_up = Rc::new(Cell::new(false));
        let late = gave_up.clone();
        let ok = Closure::once_into_js(move |event: Event| {
            let result = request_of(&event)
                .and_then(|r| r.result().ok())
                .unwrap_or(JsValue::UNDEFINED);
            if late.get() {
                // Opened after this tab gave up on it: closed, so it blocks nobody in turn.
                if let Some(db) = result.dyn_ref::<IdbDatabase>() {
                    db.close();
                }
                return;
            }
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let refused = reject.clone();
        let err = Closure::once_into_js(move |event: Event| {
            let error = request_of(&event)
                .and_then(|r| r.error().ok().flatten())
                .map_or(JsValue::NULL, JsValue::from);
            let _ = refused.call1(&JsValue::NULL, &error);
        });
        let blocked = Closure::once_into_js(move |_: Event| {
            gave_up.set(true);
            let _ = reject.call1(&JsValue::NULL, &"blocked".into());
        });
        opening.set_onsuccess(Some(ok.unchecked_ref()));
        opening.set_onerror(Some(err.unchecked_ref()));
        opening.set_onblocked(Some(blocked.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| {
        if e.as_string().as_deref() == Some("blocked") {
            StorageError::Blocked
        } else if e
            .dyn_ref::<DomException>()
            .is_some_and(|e| e.name() == "VersionError")
        {
            // The database is at a later version than this page asks for: a newer build of
            // the page, open in another tab, upgraded it.
            StorageError::Outdated
        } else {
            StorageError::Unavailable
        }
    })
}

fn transaction(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbTransaction, StorageError> {
    db.transaction_with_str_and_mode(STORE, mode).map_err(|e| {
        // A connection closed under us is opened again at the next write.
        DB.with(|db| db.borrow_mut().take());
        failed(e)
    })
}

/// The request an IndexedDB event is about.
fn request_of(event: &Event) -> Option<IdbRequest> {
    event.target().and_then(|t| t.dyn_into::<IdbRequest>().ok())
}

/// A request's result, or the browser's reason it failed.
fn request(req: IdbRequest) -> impl Future<Output = Result<JsValue, StorageError>> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |event: Event| {
            let result = request_of(&event)
                .and_then(|r| r.result().ok())
                .unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let err = Closure::once_into_js(move |event: Event| {
            let error = request_of(&event)
                .and_then(|r| r.error().ok().flatten())
                .map_or(JsValue::NULL, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    let future = JsFuture::from(promise);
    async move { future.await.map_err(failed) }
}

/// Resolves when the transaction commits; fails with the browser's reason when it aborts.
fn finished(tx: &IdbTransaction) -> impl Future<Output = Result<(), StorageError>> + use<> {
    let promise = Promise::new(&mut |resolve, reject| {
        let complete = Closure::once_into_js(move |_: Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let abort = Closure::once_into_js(move |event: Event| {
            let error = event
                .target()
                .and_then(|t| t.dyn_into::<IdbTransaction>().ok())
                .and_then(|t| t.error())
                .map_or(JsValue::NULL, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        tx.set_oncomplete(Some(complete.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
    });
    let future = JsFuture::from(promise);
    async move { future.await.map(|_| ()).map_err(failed) }
}

/// The browser's exception as a reason a person can read.
fn failed(error: JsValue) -> StorageError {
    let Some(exception) = error.dyn_ref::<DomException>() else {
        return StorageError::Failed("the browser refused to write it".into());
    };
    if exception.name() == "ConstraintError" {
        // Another tab already claimed the generation this write was for.
        return StorageError::Conflict;
    }
    if exception.name() == "QuotaExceededError" {
        return StorageError::Failed("this browser's storage for the page is full".into());
    }
    StorageError::Failed(format!("{}: {}", exception.name(), exception.message()))
}

/// The channel on which tabs announce their writes; closed when dropped.
pub struct Channel {
    channel: BroadcastChannel,
    _listener: Closure<dyn Fn(MessageEvent)>,
}

impl Channel {
    /// Listens for the generations other tabs write; `None` when the browser has no channel.
    pub fn listen(on_write: impl Fn(u64) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(generation) = event.data().as_f64() {
                on_write(generation as u64);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _listener: listener,
        })
    }

    /// Tells the other tabs that this one wrote `generation`.
    pub fn announce(&self, generation: u64) {
        let _ = self.channel.post_message(&(generation as f64).into());
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.close();
    }
}
