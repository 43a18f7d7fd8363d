//! The shell: the Leptos app around the core.
//!
//! `App` lays out the toolbar, the notices, the empty state or the board, and wires the
//! page-wide behaviour: dropping a file anywhere, keyboard shortcuts, autosave and restore.
//! Components read `AppState` and call it; none of them changes the board another way.

pub mod board;
pub mod details;
pub mod drag;
pub mod evidence;
pub mod fields;
pub mod files;
pub mod filters;
pub mod fragment;
pub mod icons;
pub mod link;
pub mod saving;
pub mod state;
pub mod summary;
pub mod team;

// Issue 15's Flow view: its toggle in the View group and its charts in the board area.
pub mod flow;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{DragEvent, File};

use crate::ui::board::BoardView;
use crate::ui::drag::cancel_drag;
use crate::ui::icons::Icon;
use crate::ui::state::{AppState, Notice};
use crate::ui::summary::BoardSummary;
use crate::ui::team::{AgentImportButtons, AgentRoster, TeamControls, import_agent_files};
use traceboard_core::workspace::Action;

/// The example matrix, bundled into the build for "Try the example board".
const EXAMPLE_MATRIX: &str = include_str!("../../examples/traceability_matrix.json");
/// The example team, bundled with it.
const EXAMPLE_AGENTS: [(&str, &str); 5] = [
    (
        "product-manager.md",
        include_str!("../../examples/agents/product-manager.md"),
    ),
    (
        "qa-engineer.md",
        include_str!("../../examples/agents/qa-engineer.md"),
    ),
    (
        "backend-engineer.md",
        include_str!("../../examples/agents/backend-engineer.md"),
    ),
    (
        "frontend-engineer.md",
        include_str!("../../examples/agents/frontend-engineer.md"),
    ),
    (
        "overseer.md",
        include_str!("../../examples/agents/overseer.md"),
    ),
];

/// Lower-cases text for search the way the browser does, in every script.
///
/// ASCII text, nearly all of a matrix, is lowered in Rust; anything else goes through
/// JavaScript's `toLowerCase`, so the wasm carries no Unicode case tables (see `Card::matches`).
pub fn lower_case(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
}

/// Opens the example board: its team first, so the matrix's report is the message shown.
/// While the save is still loading it waits for it, and opens on top of it (`saving`).
fn open_example(state: AppState) {
    let link = use_context::<link::Link>();
    saving::after_restore(use_context(), state, move || {
        if let Some(link) = link {
            link.unlink();
        }
        let agents = EXAMPLE_AGENTS
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect();
        state.import_agents(agents, Vec::new());
        state.import_matrix(
            "traceability_matrix.json",
            EXAMPLE_MATRIX.as_bytes().to_vec(),
        );
    });
}

/// Mounts the app on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    filters::follow_fragment(state);
    let link = link::Link::new();
    provide_context(link);
    provide_context(flow::FlowOpen(RwSignal::new(false)));

    // The app mounts at once; the save is restored when it arrives (see `saving`).
    saving::start(state);
    page_shortcuts(state, link);
    page_file_drop(state, link);
    link::start(state, link);
    evidence::restore_results(state);
    let in_place = link::supported();

    let file_input = NodeRef::<leptos::html::Input>::new();
    // Where the browser can, the file is opened in place and stays linked; elsewhere the
    // board works on a copy from the file chooser.
    let choose_file = move |_| {
        if link::supported() {
            let saving = use_context::<saving::Saving>();
            saving::after_restore(saving, state, move || {
                spawn_local(async move { link.pick_file(state).await });
            });
        } else if let Some(input) = file_input.get_untracked() {
            input.set_value("");
            input.click();
        }
    };
    let on_file_chosen = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        if let Some(file) = input.files().and_then(|l| l.get(0)) {
            import_matrix_file(state, link, file);
        }
    };
    let unsaved = move || {
        state.revision.track();
        state.with_board(|b| b.map_or((0, 0), |b| (b.unsaved(), b.conflict_count())))
    };
    let link_status = move || {
        let (unsaved, conflicts) = unsaved();
        let mut parts: Vec<String> = Vec::new();
        if let Some(name) = link.name.get() {
            parts.push(format!("Linked to {name}"));
            let note = link.note.get();
            if !note.is_empty() {
                parts.push(note);
            }
        }
        if unsaved > 0 {
            parts.push(format!(
                "{unsaved} unsaved change{}",
                if unsaved == 1 { "" } else { "s" }
            ));
        }
        if conflicts > 0 {
            parts.push(format!(
                "{conflicts} conflict{}",
                if conflicts == 1 { "" } else { "s" }
            ));
        }
        parts.join(" · ")
    };

    view! {
        <div class="app">
            <header class="toolbar">
                <h1 class="brand">"Traceboard"</h1>
                <div class="file-info">
                    <span class="file-name">{move || state.file_name.get()}</span>
                    <button
                        type="button"
                        class="link-button"
                        hidden=move || !state.board_open.get()
                        on:click=move |_| state.fields_for.set(state.board_id())
                    >
                        "Fields"
                    </button>
                    <span class="saved-note">{move || state.saved_note.get()}</span>
                    <span class="link-status">{link_status}</span>
                    <button
                        type="button"
                        class="link-button"
                        hidden=move || !link.reconnect.get()
                        on:click=move |_| spawn_local(async move { link.reconnect_now(state).await })
                    >
                        "Reconnect"
                    </button>
                </div>
                <label class="search-box">
                    <Icon path=icons::SEARCH />
                    <input
                        type="search"
                        class="search"
                        aria-label="Search cards"
                        placeholder="Search id, text, tests, code"
                        prop:value=move || state.search.get()
                        on:input=move |ev| {
                            state.search.set(event_target_value(&ev));
                            state.refresh_columns();
                        }
                    />
                </label>
                <filters::FilterMenu />
                // The menus are the browser's popovers: a click outside or Escape closes them and
                // focus goes back to their button. On a wide window the actions are always shown
                // and "Menu" is not (see style/main.css).
                <button
                    type="button"
                    class="icon-button menu-toggle"
                    popovertarget="board-actions"
                >
                    <Icon path=icons::MENU />
                    <span class="visually-hidden">"Menu"</span>
                </button>
                <div
                    id="board-actions"
                    class="actions"
                    popover="auto"
                    role="toolbar"
                    aria-label="Board actions"
                    on:click=close_after_action
                >
                        // The primary group: what is done with the file every day.
                        <div class="group" role="group" aria-label="Matrix">
                            <button type="button" on:click=choose_file>
                                <Icon path=icons::IMPORT />
                                "Import matrix"
                            </button>
                            <button
                                type="button"
                                class:primary=move || unsaved().0 != 0
                                aria-keyshortcuts="Control+S"
                                title=move || if link.name.get().is_some() {
                                    "Save into the linked file (Ctrl+S)"
                                } else {
                                    "Download the matrix (Ctrl+S)"
                                }
                                disabled=move || !state.board_open.get()
                                on:click=move |_| spawn_local(async move { link.save(state).await })
                            >
                                <Icon path=icons::SAVE />
                                "Save matrix"
                            </button>
                            <button
                                type="button"
                                disabled=move || !state.board_open.get()
                                on:click=move |_| export_matrix(state)
                            >
                                <Icon path=icons::EXPORT />
                                "Export matrix"
                            </button>
                            <button
                                type="button"
                                disabled=move || !state.board_open.get()
                                on:click=move |_| state.open_new_requirement()
                            >
                                <Icon path=icons::PLUS />
                                "New requirement"
                            </button>
                        </div>
                        <div class="group" role="group" aria-label="History">
                            <button
                                type="button"
                                class="icon-button"
                                aria-keyshortcuts="Control+Z"
                                title=move || state.history_title(true)
                                disabled=move || !state.can_undo.get()
                                on:click=move |_| state.undo()
                            >
                                <Icon path=icons::UNDO />
                                <span class="visually-hidden">"Undo"</span>
                            </button>
                            <button
                                type="button"
                                class="icon-button"
                                aria-keyshortcuts="Control+Shift+Z Control+Y"
                                title=move || state.history_title(false)
                                disabled=move || !state.can_redo.get()
                                on:click=move |_| state.redo()
                            >
                                <Icon path=icons::REDO />
                                <span class="visually-hidden">"Redo"</span>
                            </button>
                        </div>
                        // The rarer actions, in a disclosure whose items keep their names.
                        <div class="file-menu">
                            <button type="button" popovertarget="file-actions">
                                "File"
                                <Icon path=icons::CARET />
                            </button>
                            <div id="file-actions" class="popover" popover="auto">
                                <button
                                    type="button"
                                    hidden=!in_place
                                    on:click=move |_| {
                                        let saving = use_context::<saving::Saving>();
                                        saving::after_restore(saving, state, move || {
                                            spawn_local(async move { link.pick_folder(state).await });
                                        });
                                    }
                                >
                                    "Open project folder"
                                </button>
                                <AgentImportButtons />
                                <evidence::ResultsImportButton />
                                <button
                                    type="button"
                                    disabled=move || !state.board_open.get()
                                    on:click=move |_| copy_matrix(state)
                                >
                                    "Copy matrix"
                                </button>
                                <button
                                    type="button"
                                    disabled=move || !state.board_open.get()
                                    on:click=move |_| {
                                        if state.dispatch(Action::CloseBoard) {
                                            link.unlink();
                                        }
                                    }
                                >
                                    "Close board"
                                </button>
                            </div>
                        </div>
                        <div class="group view" role="group" aria-label="View">
                            <label class="toggle">
                                <input
                                    type="checkbox"
                                    prop:checked=move || state.show_deprecated.get()
                                    on:change=move |ev| {
                                        state.show_deprecated.set(event_target_checked(&ev));
                                        state.refresh_columns();
                                    }
                                />
                                "Show deprecated"
                            </label>
                            <TeamControls />
                            <flow::FlowToggle />
                        </div>
                </div>
                <input
                    class="visually-hidden"
                    type="file"
                    accept=".json,.lobster,application/json"
                    node_ref=file_input
                    tabindex="-1"
                    aria-hidden="true"
                    on:change=on_file_chosen
                />
            </header>
            <Notices />
            <saving::ConflictNotice />
            <fields::FieldsDialog />
            <board::ConflictDialog />
            <MatrixChoice />
            <main class="main">
                <Show when=move || state.board_open.get() fallback=move || view! { <EmptyState choose_file /> }>
                    <div class="board-area" class:flow-open=flow::is_open>
                        <BoardSummary />
                        <filters::FilterBar />
                        <BoardView />
                        <flow::FlowView />
                    </div>
                </Show>
                <AgentRoster />
            </main>
            <p id="card-help" class="visually-hidden">
                "Press Enter or click to open its details. Up, Down, Left and Right go to the next card. Press Space to pick up the card, Left and Right to choose a column, Space or Enter to drop it, Escape to cancel. Or drag it with a mouse or a finger, or use its Move to menu. Press question mark for all shortcuts."
            </p>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || state.announcement.get()}
            </div>
        </div>
    }
}

/// Reports longer than this many lines fold to their first line, with "Show details".
const FOLD_AFTER_LINES: usize = 3;

/// A long report's first line and the rest; `None` when it is short enough to show whole.
fn fold(text: &str) -> Option<(&str, &str)> {
    if text.lines().count() <= FOLD_AFTER_LINES {
        return None;
    }
    text.split_once('\n')
}

/// Errors in an `alert`, reports in a `status`: both exist from the start so that screen
/// readers announce what appears in them. A long report (an agents import, a real file read by
/// guesswork) shows its first line, and the rest on "Show details".
#[component]
fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = move || match state.notice.get() {
        Some(Notice::Error(text)) => Some(text),
        _ => None,
    };
    let info = move |part: fn(&str) -> &str| {
        state.notice.with(|n| match n {
            Some(Notice::Info(text) | Notice::Report(text)) => Some(part(text).to_owned()),
            _ => None,
        })
    };
    let offers_fields = move || matches!(state.notice.get(), Some(Notice::Report(_)));
    let dismiss = move |_| state.notice.set(None);
    view! {
        <div class="notices">
            <div role="alert" class="notice error" hidden=move || error().is_none()>
                <pre class="notice-text">{error}</pre>
                <button type="button" class="dismiss" aria-label="Dismiss message" on:click=dismiss>"×"</button>
            </div>
            <div role="status" class="notice info" hidden=move || info(|t| t).is_none()>
                <div class="notice-body">
                    <pre class="notice-text">{move || info(|t| fold(t).map_or(t, |f| f.0))}</pre>
                    // Closed again for every new report.
                    <details
                        class="notice-details"
                        hidden=move || info(|t| fold(t).map_or("", |f| f.1)).is_none_or(|d| d.is_empty())
                        prop:open=move || state.notice.with(|_| false)
                    >
                        <summary>"Show details"</summary>
                        <pre class="notice-text">{move || info(|t| fold(t).map_or("", |f| f.1))}</pre>
                    </details>
                </div>
                <button
                    type="button"
                    class="notice-action"
                    hidden=move || !offers_fields()
                    on:click=move |_| state.fields_for.set(state.board_id())
                >
                    "Change fields"
                </button>
                <button type="button" class="dismiss" aria-label="Dismiss report" on:click=dismiss>"×"</button>
            </div>
        </div>
    }
}

#[component]
fn EmptyState(choose_file: impl Fn(ev::MouseEvent) + 'static) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="empty" aria-labelledby="empty-title">
            <h2 id="empty-title">"Plan your TDD work on a board"</h2>
            <p>
                "Open your project's " <code>"traceability_matrix.json"</code>
                " to see every requirement as a card in its TDD stage: Backlog, Test written, Red, Green, Reviewed."
            </p>
            <div class="empty-actions">
                <button type="button" class="primary" on:click=choose_file>"Import matrix"</button>
                <button
                    type="button"
                    on:click=move |_| open_example(state)
                >
                    "Try the example board"
                </button>
            </div>
            <p class="hint">"Or drop a file anywhere on this page. Nothing leaves your browser."</p>
        </section>
    }
}

/// Asks which matrix to link when a project folder holds several.
#[component]
fn MatrixChoice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let link = expect_context::<link::Link>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let open = link.choices.with(|c| !c.is_empty());
        board::sync_modal(dialog, open);
    });
    view! {
        <dialog
            class="dialog"
            node_ref=dialog
            aria-labelledby="choice-title"
            on:close=move |_| link.choices.set(Vec::new())
        >
            <h2 id="choice-title">"Choose the matrix"</h2>
            <p>"The folder holds more than one traceability matrix. Which one does the board follow?"</p>
            <ul class="choices">
                {move || link.choices.get().into_iter().enumerate().map(|(i, path)| view! {
                    <li>
                        <button
                            type="button"
                            on:click=move |_| spawn_local(async move { link.choose(state, i).await })
                        >
                            <code>{path}</code>
                        </button>
                    </li>
                }).collect_view()}
            </ul>
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| link.choices.set(Vec::new())>"Cancel"</button>
            </div>
        </dialog>
    }
}

/// After an action in a menu (a button that opens no menu), the open menus close: the
/// outer one, `.actions` on a narrow window, closes the "File" menu inside it too.
fn close_after_action(ev: ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let button = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("button").ok().flatten());
    if button.is_some_and(|b| !b.has_attribute("popovertarget")) {
        for id in ["file-actions", "board-actions"] {
            if let Some(menu) = document().get_element_by_id(id) {
                // Hiding a menu that is not shown does nothing.
                let _ = menu.unchecked_into::<web_sys::HtmlElement>().hide_popover();
            }
        }
    }
}

/// Reads a chosen or dropped matrix file and imports it, as a copy: the board is not linked
/// to it. While the save is still loading the import waits for it, and opens on top of it
/// (`saving`).
fn import_matrix_file(state: AppState, link: link::Link, file: File) {
    // Read now: the app's context is not reachable after the `await`.
    let saving = use_context();
    spawn_local(async move {
        let read = files::read(&file).await;
        match read.bytes {
            Ok(bytes) => {
                saving::after_restore(saving, state, move || match String::from_utf8(bytes) {
                    Ok(text) => {
                        if link::open_text(state, &read.name, text) {
                            link.unlink();
                        }
                    }
                    Err(e) => state.import_matrix(&read.name, e.into_bytes()),
                })
            }
            Err(message) => state.notice.set(Some(Notice::Error(format!(
                "Could not import {}. {message}",
                read.name
            )))),
        }
    });
}

pub(crate) fn export_matrix(state: AppState) {
    let Some(text) = state.export_text() else {
        return;
    };
    let name = state.file_name.get_untracked();
    match files::download(&name, &text) {
        Ok(()) => state.announcement.set(format!("Exported {name}.")),
        Err(e) => state
            .notice
            .set(Some(Notice::Error(format!("Could not export {name}: {e}")))),
    }
}

fn copy_matrix(state: AppState) {
    let Some(text) = state.export_text() else {
        return;
    };
    spawn_local(async move {
        match files::copy(&text).await {
            Ok(()) => state.notice.set(Some(Notice::Info(
                "Copied the matrix to the clipboard.".into(),
            ))),
            Err(e) => state.notice.set(Some(Notice::Error(format!(
                "Could not copy to the clipboard: {e}"
            )))),
        }
    });
}

/// Undo, redo, save and Escape anywhere on the page.
fn page_shortcuts(state: AppState, link: link::Link) {
    let handle = window_event_listener(ev::keydown, move |ev| {
        let key = ev.key();
        let command = ev.ctrl_key() || ev.meta_key();
        let in_text = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"));
        // Under a modal dialog the board is inert: no shortcut reaches it, and the dialog
        // handles its own Escape. The browser's own undo is held back too, off a text box:
        // meant for the board, it would take back the reason typed in the dialog.
        if command && (key == "s" || key == "S") {
            // The browser's "Save page" is never what is meant on the board.
            ev.prevent_default();
            if state.board_open.get_untracked() {
                // What is being typed in a card's details is committed first (its change
                // event), then saved with the rest.
                if state.details_typing.get_untracked()
                    && let Some(el) = document().active_element().and_then(|e| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()
                    })
                {
                    let _ = el.blur();
                    let _ = el.focus();
                }
                if state.is_busy_untracked() {
                    state.announcement.set(
                        "Not saved yet: finish or close what is open first, then save.".into(),
                    );
                } else {
                    spawn_local(async move { link.save(state).await });
                }
            }
            return;
        }
        if state.pending_override.with_untracked(Option::is_some)
            || state.shortcuts_open.get_untracked()
            || state.fields_for.with_untracked(Option::is_some)
            || state.conflict_for.with_untracked(Option::is_some)
            || state.new_requirement.with_untracked(Option::is_some)
        {
            if command && !in_text && matches!(key.as_str(), "z" | "Z" | "y" | "Y") {
                ev.prevent_default();
            }
            return;
        }
        // In a card's details, undo and redo take back its edits one at a time (the details
        // follow the requirement, whatever board undo brings back); typing keeps its own.
        if state.details_for.with_untracked(Option::is_some)
            && (in_text || key == "Escape" || key == "?")
        {
            if command && matches!(key.as_str(), "z" | "Z" | "y" | "Y") && !in_text {
                ev.prevent_default();
            }
            return;
        }
        if key == "Escape" {
            cancel_drag(state);
            state.move_menu.set(None);
        } else if key == "?" && !in_text {
            state.shortcuts_open.update(|open| *open = !*open);
        } else if command && !in_text && (key == "z" || key == "Z") {
            ev.prevent_default();
            if ev.shift_key() {
                state.redo()
            } else {
                state.undo()
            }
        } else if command && !in_text && (key == "y" || key == "Y") {
            ev.prevent_default();
            state.redo();
        }
    });
    on_cleanup(move || handle.remove());
}

/// A matrix file dropped anywhere on the page is imported, and linked where the browser
/// gives a handle to it.
fn page_file_drop(state: AppState, link: link::Link) {
    let over = window_event_listener(ev::dragover, |ev: DragEvent| ev.prevent_default());
    // A window listener runs outside the app's reactive owner; the imports read its context.
    // Held weakly: the listener is removed when the owner is cleaned up, so a strong reference
    // here would keep the owner, and the whole app, alive after it is unmounted.
    let owner = Owner::current().map(|o| o.downgrade());
    let drop = window_event_listener(ev::drop, move |ev: DragEvent| {
        ev.prevent_default();
        let Some(owner) = owner.as_ref().and_then(|o| o.upgrade()) else {
            return;
        };
        owner.with(|| dropped(state, link, ev));
    });
    on_cleanup(move || {
        over.remove();
        drop.remove();
    });
}

/// Imports the files of a drop on the page. A drop while a dialog is open is taken too: it
/// replaces the board, and `reconcile` closes the dialog that was about the old one.
fn dropped(state: AppState, link: link::Link, ev: DragEvent) {
    let Some(transfer) = ev.data_transfer() else {
        return;
    };
    let Some(list) = transfer.files() else {
        return;
    };
    // The handles must be asked for during the drop event itself; they arrive later.
    let handles = dropped_handles(&transfer);
    // Markdown files are agent definitions, XML files test results; anything else is taken
    // as the matrix.
    let (agents, others): (Vec<File>, Vec<File>) = files::files_of(&list)
        .into_iter()
        .partition(|f| f.name().to_ascii_lowercase().ends_with(".md"));
    let (results, others): (Vec<File>, Vec<File>) = others
        .into_iter()
        .partition(|f| f.name().to_ascii_lowercase().ends_with(".xml"));
    if !agents.is_empty() {
        import_agent_files(state, agents);
    }
    if !results.is_empty() {
        evidence::import_result_files(state, results);
    }
    let Some(file) = others.into_iter().next() else {
        return;
    };
    let index = files::files_of(&list)
        .iter()
        .position(|f| f.name() == file.name());
    let handle = index.and_then(|i| handles.get(i).cloned()).flatten();
    match handle {
        Some(handle) => {
            let saving = use_context::<saving::Saving>();
            spawn_local(async move {
                let handle = wasm_bindgen_futures::JsFuture::from(handle).await.ok();
                saving::after_restore(saving, state, move || {
                    spawn_local(async move {
                        let linked = match handle {
                            Some(h) => link.open_dropped(state, h).await,
                            None => false,
                        };
                        if !linked {
                            import_matrix_file(state, link, file);
                        }
                    });
                });
            });
        }
        None => import_matrix_file(state, link, file),
    }
}

/// For each item of a drop, the promise of its file handle where the browser has
/// `getAsFileSystemHandle` (Chrome, Edge); `None` elsewhere.
fn dropped_handles(transfer: &web_sys::DataTransfer) -> Vec<Option<js_sys::Promise>> {
    use wasm_bindgen::JsCast;
    let Ok(items) = js_sys::Reflect::get(transfer, &"items".into()) else {
        return Vec::new();
    };
    let length = js_sys::Reflect::get(&items, &"length".into())
        .ok()
        .and_then(|l| l.as_f64())
        .unwrap_or(0.0) as u32;
    (0..length)
        .map(|i| {
            let item = js_sys::Reflect::get_u32(&items, i).ok()?;
            let kind = js_sys::Reflect::get(&item, &"kind".into())
                .ok()?
                .as_string()?;
            if kind != "file" {
                return None;
            }
            let get: js_sys::Function =
                js_sys::Reflect::get(&item, &"getAsFileSystemHandle".into())
                    .ok()?
                    .dyn_into()
                    .ok()?;
            get.call0(&item).ok()?.dyn_into().ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn only_reports_longer_than_three_lines_fold_to_their_first() {
        assert_eq!(fold("Imported 3 requirements."), None);
        assert_eq!(fold("one\ntwo\nthree"), None);
        assert_eq!(
            fold("Imported 40 agents.\n• a\n• b\n• c"),
            Some(("Imported 40 agents.", "• a\n• b\n• c"))
        );
    }
}
