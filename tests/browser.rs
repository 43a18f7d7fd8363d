//! Component tests in headless Chromium (wasm-bindgen-test): mount the app, use it through
//! the DOM, and check what a person would see.

#![cfg(target_arch = "wasm32")]

use leptos::mount::UnmountHandle;
use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

use traceboard::ui::App;

wasm_bindgen_test_configure!(run_in_browser);

/// Marks the container each test mounts its app into, so a test can tell that no other app is
/// left in the page.
const APP_MARK: &str = "data-test-app";

/// One app mounted into its own container for one test. Dropping it (at the end of the test,
/// or when a failed assertion unwinds) unmounts the app, which disposes its reactive owner and
/// with it the window listeners it registered, and removes the container, so the next test
/// starts on a page with no app in it. It dereferences to the container.
struct Mounted<M: Mountable> {
    handle: Option<UnmountHandle<M>>,
    root: Element,
}

impl<M: Mountable> std::ops::Deref for Mounted<M> {
    type Target = Element;
    fn deref(&self) -> &Element {
        &self.root
    }
}

impl<M: Mountable> Drop for Mounted<M> {
    fn drop(&mut self) {
        // Unmount first, while the container is still in the page, then remove the container.
        drop(self.handle.take());
        self.root.remove();
    }
}

/// Mounts the app into a fresh container, on a page with no other app and empty storage.
fn mount_app() -> Mounted<impl Mountable> {
    let window = web_sys::window().unwrap();
    let _ = window.local_storage().unwrap().unwrap().clear();
    // Requests on a database run in order, so the app's open waits for this delete, and the
    // apps of earlier tests let go of it when asked: each test starts with nothing saved.
    let _ = window
        .indexed_db()
        .unwrap()
        .unwrap()
        .delete_database("traceboard");
    mount_app_keeping_storage()
}

/// Mounts the app into a fresh container, on a page with no other app, with what is saved.
fn mount_app_keeping_storage() -> Mounted<impl Mountable> {
    assert_no_app_in_page();
    let container = document().create_element("div").unwrap();
    container.set_attribute(APP_MARK, "").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone().unchecked_into(), App);
    Mounted {
        handle: Some(handle),
        root: container,
    }
}

/// Fails when an earlier test left its app, or any part of it, in the page: queries by id or
/// on the whole document would otherwise find that app's elements.
fn assert_no_app_in_page() {
    for selector in [&format!("[{APP_MARK}]"), "[aria-live]", "[role=region]"] {
        assert!(
            document().query_selector(selector).unwrap().is_none(),
            "an earlier app is still in the page ({selector})"
        );
    }
}

fn button(root: &Element, name: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.get(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name:?}"))
}

fn column_cards(root: &Element, stage: &str) -> Vec<String> {
    let cards = root
        .query_selector_all(&format!("[data-stage={stage}] [role=button]"))
        .unwrap();
    (0..cards.length())
        .filter_map(|i| cards.get(i))
        .map(|n| {
            n.unchecked_into::<Element>()
                .text_content()
                .unwrap_or_default()
        })
        .collect()
}

/// Waits, frame by frame, until `ready` holds; fails naming `what` after about ten seconds.
async fn until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..600 {
        if ready() {
            return;
        }
        next_frame().await;
    }
    panic!("timed out waiting until {what}");
}

/// Waits for the start-up restore, so what the test does next is not held behind it.
async fn started(root: &Element) {
    until("the app has started", || {
        root.text_content()
            .unwrap()
            .contains("Try the example board")
    })
    .await;
}

/// Opens the example board, which waits for the save at start-up to have arrived.
async fn open_example(root: &Element) {
    button(root, "Try the example board").click();
    until("the example board is open", || {
        root.query_selector("[role=region]").unwrap().is_some()
    })
    .await;
}

/// The note beside the file name that says how the board was saved or restored.
fn saved_note(root: &Element) -> String {
    root.query_selector(".saved-note")
        .unwrap()
        .and_then(|n| n.text_content())
        .unwrap_or_default()
}

async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn empty_state_then_example_board() {
    let root = mount_app();
    assert!(
        root.text_content()
            .unwrap()
            .contains("drop a file anywhere on this page")
    );
    open_example(&root).await;

    let regions = root.query_selector_all("[role=region]").unwrap();
    let names: Vec<String> = (0..regions.length())
        .filter_map(|i| regions.get(i))
        .map(|n| {
            let region = n.unchecked_into::<Element>();
            match region.get_attribute("aria-labelledby") {
                Some(heading) => document()
                    .get_element_by_id(&heading)
                    .unwrap()
                    .text_content()
                    .unwrap(),
                None => region.get_attribute("aria-label").unwrap(),
            }
        })
        .collect();
    assert_eq!(
        names,
        [
            "Backlog",
            "Test written",
            "Red",
            "Green",
            "Reviewed",
            "Agents"
        ]
    );
    let agents = root.query_selector_all("[aria-label=Agents] h3").unwrap();
    assert_eq!(agents.length(), 5);
    let counts: Vec<usize> = ["backlog", "test_written", "red", "green", "reviewed"]
        .iter()
        .map(|s| column_cards(&root, s).len())
        .collect();
    assert_eq!(counts, [4, 2, 2, 2, 2]);
    assert!(column_cards(&root, "red")[0].starts_with("REQ-006"));
    let status = root.query_selector("[role=status]").unwrap().unwrap();
    assert!(
        status
            .text_content()
            .unwrap()
            .starts_with("Imported 12 requirements")
    );
}

#[wasm_bindgen_test]
async fn undo_button_reverts_an_import() {
    let root = mount_app();
    open_example(&root).await;
    assert_eq!(column_cards(&root, "backlog").len(), 4);
    button(&root, "Undo").click();
    next_frame().await;
    assert!(column_cards(&root, "backlog").is_empty());
    assert!(
        root.text_content()
            .unwrap()
            .contains("Try the example board")
    );
}

fn key(target: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn keyboard_moves_a_card_and_announces_it() {
    let root = mount_app();
    open_example(&root).await;
    // REQ-004 is in Test written with a test: Right moves it to Red.
    let card: HtmlElement = root
        .query_selector("[data-stage=test_written] [role=button]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(card.text_content().unwrap().starts_with("REQ-004"));
    key(&card, " ");
    key(&card, "ArrowRight");
    key(&card, " ");
    next_frame().await;
    next_frame().await;
    assert!(
        column_cards(&root, "red")
            .iter()
            .any(|c| c.starts_with("REQ-004"))
    );
    let live = root.query_selector("[aria-live=polite]").unwrap().unwrap();
    assert_eq!(
        live.text_content().unwrap(),
        "REQ-004 moved from Test written to Red."
    );
    let focused = document().active_element().unwrap();
    assert!(
        focused.text_content().unwrap().starts_with("REQ-004"),
        "focus stays on the moved card"
    );
}

#[wasm_bindgen_test]
async fn a_dropped_app_leaves_nothing_in_the_page() {
    let root = mount_app();
    open_example(&root).await;
    // Saved, so the next app has something to restore.
    until("the example board is saved", || {
        saved_note(&root).starts_with("Saved in this browser")
    })
    .await;
    button(&root, "Undo").click();
    let container = root.root.clone();
    drop(root);
    assert!(!container.is_connected(), "the container is removed");
    assert_eq!(container.child_element_count(), 0, "the app is unmounted");
    assert_no_app_in_page();
    // A fresh app starts from the save, which is the browser's (per origin), not from what
    // the last app showed: the Undo it made as it was dropped was never saved.
    let root = mount_app_keeping_storage();
    until("the saved board is restored", || {
        saved_note(&root).starts_with("Restored from this browser")
    })
    .await;
    assert_eq!(column_cards(&root, "backlog").len(), 4);
    assert!(
        !root
            .text_content()
            .unwrap()
            .contains("Try the example board")
    );
}

#[wasm_bindgen_test]
async fn an_opening_asked_for_by_an_unmounted_app_is_dropped() {
    use std::cell::Cell;
    use std::rc::Rc;
    use traceboard::ui::saving;
    use traceboard::ui::state::AppState;

    // An app's state and autosave, in an owner of their own, as the app keeps them (mounting
    // starts the executor their tasks run on; here it is started by hand).
    drop(leptos::mount::mount_to(
        document().create_element("div").unwrap().unchecked_into(),
        || (),
    ));
    let owner = Owner::new();
    let (state, saving) = owner.with(|| {
        let state = AppState::new();
        (state, saving::start(state))
    });
    // The app is unmounted while a dropped file is still being read: its state is disposed.
    owner.cleanup();
    let ran = Rc::new(Cell::new(false));
    let flag = ran.clone();
    saving::after_restore(Some(saving), state, move || flag.set(true));
    assert!(
        !ran.get(),
        "the opening of an unmounted app is not run on its disposed state"
    );
}

/// Drops a file on the page, as a person dragging it from their file manager.
fn drop_file(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let init = web_sys::DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer));
    let event = web_sys::DragEvent::new_with_event_init_dict("drop", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
}

fn open_dialog(root: &Element) -> Option<Element> {
    root.query_selector("dialog[open]").unwrap()
}

/// Chooses `value` in the select with this id, as a person does (the change event follows).
fn choose(root: &Element, id: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = root
        .query_selector(&format!("#{id}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no select #{id}"))
        .unchecked_into();
    select.set_value(value);
    fire(&select, "change");
}

/// Dispatches a bubbling event of `kind` (`input`, `change`) at `target`.
fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn the_fields_dialog_opens_by_itself_and_its_choice_undoes_as_one_step() {
    let root = mount_app();
    started(&root).await;
    drop_file("rows.json", include_str!("fixtures/matrix/undecided.json"));
    // Nothing looks like an id or a text: the board lands the rows by position and asks.
    until("the Fields dialog opens", || open_dialog(&root).is_some()).await;
    let dialog = open_dialog(&root).unwrap();
    assert_eq!(
        dialog
            .query_selector("h2")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Fields"
    );
    assert_eq!(column_cards(&root, "backlog").len(), 3);
    choose(&root, "fields-id", "a");
    choose(&root, "fields-text", "b");
    let preview = || {
        dialog
            .query_selector(".fields-preview")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default()
    };
    let expected = "X-1 · Backlog · 0 tests · 0 code — Log in with a password";
    for _ in 0..120 {
        if preview().contains(expected) {
            break;
        }
        next_frame().await;
    }
    assert!(preview().contains(expected), "{:?}", preview());
    // The preview changes nothing yet.
    assert!(column_cards(&root, "backlog")[0].starts_with("#1"));
    let first_is = |id: &str| {
        column_cards(&root, "backlog")
            .first()
            .is_some_and(|c| c.starts_with(id))
    };
    button(&root, "Use these fields").click();
    until(
        "the dialog closes and the cards carry the chosen ids",
        || open_dialog(&root).is_none() && first_is("X-1"),
    )
    .await;
    // One undo puts the board's own reading back; the import itself is another step.
    button(&root, "Undo").click();
    until("undo reads the file the board's way again", || {
        first_is("#1")
    })
    .await;
    button(&root, "Redo").click();
    until("redo applies the choice again", || first_is("X-1")).await;
    // Opened again and closed without choosing, nothing changes.
    button(&root, "Fields").click();
    until("the dialog opens again", || open_dialog(&root).is_some()).await;
    choose(&root, "fields-text", "");
    open_dialog(&root)
        .unwrap()
        .unchecked_into::<web_sys::HtmlDialogElement>()
        .close();
    until("the dialog closes", || open_dialog(&root).is_none()).await;
    assert!(column_cards(&root, "backlog")[0].contains("Log in with a password"));
}

#[wasm_bindgen_test]
async fn using_the_boards_own_place_keeps_every_sibling_list() {
    let root = mount_app();
    started(&root).await;
    // Two lists side by side: `functional_requirements` and `non_functional_requirements`.
    drop_file(
        "nested.json",
        include_str!("fixtures/matrix/nested_containers.json"),
    );
    let cards = || {
        ["backlog", "test_written"]
            .iter()
            .map(|s| column_cards(&root, s).len())
            .sum::<usize>()
    };
    until("both lists' cards are on the board", || cards() == 2).await;
    button(&root, "Fields").click();
    until("the Fields dialog opens", || open_dialog(&root).is_some()).await;
    // A choice of text only: the place stays the board's own, both lists.
    choose(&root, "fields-text", "ears");
    button(&root, "Use these fields").click();
    until("the dialog closes", || open_dialog(&root).is_none()).await;
    next_frame().await;
    assert_eq!(cards(), 2);
}

/// Runs JavaScript that returns a promise and waits for it: for the private file system.
async fn run_js(code: &str) -> wasm_bindgen::JsValue {
    let promise: js_sys::Promise = js_sys::eval(code).unwrap().unchecked_into();
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap()
}

/// A two-requirement matrix with REQ-1 at `stage1` and its history steps.
fn linked_matrix(stage1: &str, history1: &str) -> String {
    format!(
        r#"{{"requirements": [
  {{"id": "REQ-1", "ears": "The board shall follow its file.", "tdd_stage": "{stage1}", "tests": ["t.rs"], "code": ["c.rs"], "tdd_history": [{history1}]}},
  {{"id": "REQ-2", "ears": "The board shall say who moved a card.", "tdd_stage": "backlog", "tests": ["t.rs"], "code": ["c.rs"], "tdd_history": []}}
]}}"#
    )
}

/// Writes the private file `component.json`, as an agent would.
async fn write_private(text: &str) {
    let text = serde_json_escape(text);
    run_js(&format!(
        r#"(async () => {{
            const root = await navigator.storage.getDirectory();
            const handle = await root.getFileHandle('component.json', {{ create: true }});
            const writable = await handle.createWritable();
            await writable.write({text});
            await writable.close();
            window.showOpenFilePicker = async () => [handle];
        }})()"#
    ))
    .await;
}

/// `text` as a JavaScript string literal.
fn serde_json_escape(text: &str) -> String {
    String::from(js_sys::JSON::stringify(&wasm_bindgen::JsValue::from_str(text)).unwrap())
}

#[wasm_bindgen_test]
async fn a_linked_files_clash_with_a_move_opens_as_a_conflict_and_is_settled_undoably() {
    let root = mount_app();
    started(&root).await;
    write_private(&linked_matrix("backlog", "")).await;
    button(&root, "Import matrix").click();
    until("the file is linked", || {
        root.text_content()
            .unwrap()
            .contains("Linked to component.json")
    })
    .await;
    // The person moves REQ-1 on the board; an agent moves it elsewhere in the file.
    let card: HtmlElement = root
        .query_selector("[data-stage=backlog] [role=button]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    key(&card, " ");
    key(&card, "ArrowRight");
    key(&card, " ");
    until("REQ-1 is in Test written", || {
        column_cards(&root, "test_written")
            .iter()
            .any(|c| c.starts_with("REQ-1"))
    })
    .await;
    write_private(&linked_matrix(
        "red",
        r#"{"from": "backlog", "to": "red", "at": "2026-11-29T09:00:00Z", "by": "qa-engineer"}"#,
    ))
    .await;
    until("the card shows its conflict", || {
        root.query_selector("[aria-label='Conflict on REQ-1: choose']")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(
        column_cards(&root, "test_written")
            .iter()
            .any(|c| c.starts_with("REQ-1")),
        "the board keeps the person's move until they choose"
    );
    root.query_selector("[aria-label='Conflict on REQ-1: choose']")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    until("the Conflict dialog opens", || open_dialog(&root).is_some()).await;
    let dialog = open_dialog(&root).unwrap();
    let heading = dialog.query_selector("h2").unwrap().unwrap();
    assert_eq!(heading.text_content().unwrap(), "Conflict in REQ-1");
    let table = dialog.query_selector("table").unwrap().unwrap();
    let rows = table.text_content().unwrap();
    assert!(
        rows.contains("tdd_stage") && rows.contains("\"test_written\"") && rows.contains("\"red\""),
        "{rows}"
    );
    button(&root, "Take the file's").click();
    until("the card takes the file's stage", || {
        open_dialog(&root).is_none()
            && column_cards(&root, "red")
                .iter()
                .any(|c| c.starts_with("REQ-1"))
    })
    .await;
    assert!(
        root.query_selector("[aria-label='Conflict on REQ-1: choose']")
            .unwrap()
            .is_none()
    );
    button(&root, "Undo").click();
    until("undo brings the conflict back", || {
        root.query_selector("[aria-label='Conflict on REQ-1: choose']")
            .unwrap()
            .is_some()
            && column_cards(&root, "test_written")
                .iter()
                .any(|c| c.starts_with("REQ-1"))
    })
    .await;
}

/// Sets a text box's value and commits it as a person does: `input`, then `change`.
fn type_and_commit(root: &Element, selector: &str, value: &str) {
    let el = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"));
    match el.clone().dyn_into::<web_sys::HtmlTextAreaElement>() {
        Ok(area) => area.set_value(value),
        Err(el) => el
            .unchecked_into::<web_sys::HtmlInputElement>()
            .set_value(value),
    }
    fire(&el, "input");
    fire(&el, "change");
}

#[wasm_bindgen_test]
async fn enter_opens_a_cards_details_whose_edits_reach_the_card_and_close_back_to_it() {
    let root = mount_app();
    open_example(&root).await;
    let card: HtmlElement = root
        .query_selector("[data-stage=test_written] [role=button]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(card.text_content().unwrap().starts_with("REQ-004"));
    key(&card, "Enter");
    until("the details are open", || {
        open_dialog(&root).is_some_and(|d| {
            d.query_selector("#details-title")
                .unwrap()
                .and_then(|h| h.text_content())
                .is_some_and(|t| t.starts_with("REQ-004"))
        })
    })
    .await;
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    // The address keeps whatever else it holds (the test runner's own parameters).
    assert!(hash.ends_with("card=REQ-004"), "{hash}");
    choose(&root, "details-priority", "critical");
    type_and_commit(
        &root,
        "#details-text",
        "When a test fails, the board shall show it in Red.",
    );
    next_frame().await;
    let card_text = || {
        root.query_selector("#card-3, [data-stage=test_written] [role=button]")
            .unwrap()
            .and_then(|c| c.text_content())
            .unwrap_or_default()
    };
    until("the card shows the edits", || {
        card_text().contains("When a test fails, the board shall show it in Red.")
            && card_text().contains("critical")
    })
    .await;
    let status = open_dialog(&root)
        .unwrap()
        .query_selector("[role=status]")
        .unwrap()
        .unwrap();
    assert_eq!(
        status.text_content().unwrap(),
        "Follows the Event-driven EARS pattern."
    );
    root.query_selector("[aria-label='Close details']")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    until("the details are closed", || open_dialog(&root).is_none()).await;
    until("focus is back on the card", || {
        document()
            .active_element()
            .and_then(|e| e.text_content())
            .is_some_and(|t| t.starts_with("REQ-004"))
    })
    .await;
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert!(!hash.contains("card="), "{hash}");
}

/// The select named `label` (its `aria-label`), chosen as a person does.
fn choose_labelled(root: &Element, label: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = root
        .query_selector(&format!("select[aria-label='{label}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no select named {label:?}"))
        .unchecked_into();
    select.set_value(value);
    fire(&select, "change");
}

#[wasm_bindgen_test]
async fn a_filter_becomes_a_chip_and_the_address_and_lanes_group_what_it_shows() {
    let root = mount_app();
    started(&root).await;
    open_example(&root).await;
    // High priority: REQ-001 (Backlog), REQ-005 (Test written), REQ-007 (Red), REQ-010.
    root.query_selector(".filters-button")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    until("the filter menu offers the priorities", || {
        root.query_selector("select[aria-label='Priority filter'] option[value=high]")
            .unwrap()
            .is_some()
    })
    .await;
    choose_labelled(&root, "Priority filter", "high");
    until("the filter applies", || {
        column_cards(&root, "red").len() == 1
    })
    .await;
    let chip = root
        .query_selector("[aria-label='Remove filter Priority: high']")
        .unwrap();
    assert!(chip.is_some(), "a chip names the filter");
    let count = root
        .query_selector("[data-stage=red] .count")
        .unwrap()
        .unwrap();
    assert_eq!(count.text_content().unwrap(), "1 of 2");
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert!(hash.ends_with("priority=high"), "{hash}");

    // Group by story: a lane per story of the shown cards, each a region named for it.
    choose_labelled(&root, "Group by", "story");
    until("the lanes are drawn", || {
        root.query_selector_all(".lane").unwrap().length() == 4
    })
    .await;
    let names: Vec<String> = {
        let lanes = root.query_selector_all(".lane").unwrap();
        (0..lanes.length())
            .filter_map(|i| lanes.get(i))
            .map(|l| {
                l.unchecked_into::<Element>()
                    .get_attribute("aria-label")
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        names,
        [
            "Story: US-01",
            "Story: US-03",
            "Story: US-04",
            "Story: US-05"
        ]
    );
    chip.unwrap().unchecked_into::<HtmlElement>().click();
    until("every story has its lane", || {
        root.query_selector_all(".lane").unwrap().length() == 6
    })
    .await;
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert!(!hash.contains("priority="), "{hash}");
}
