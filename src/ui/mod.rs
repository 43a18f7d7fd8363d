//! The shell: the Leptos app around the core.
//!
//! `App` lays out the toolbar, the notices, the empty state or the board, and wires the
//! page-wide behaviour: dropping a file anywhere, keyboard shortcuts, autosave and restore.
//! Components read `AppState` and call it; none of them changes the board another way.

pub mod board;
pub mod drag;
pub mod fields;
pub mod files;
pub mod saving;
pub mod state;
pub mod team;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{DragEvent, File};

use crate::ui::board::BoardView;
use crate::ui::drag::cancel_drag;
use crate::ui::state::{AppState, Notice};
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
    saving::after_restore(use_context(), state, move || {
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

    // The app mounts at once; the save is restored when it arrives (see `saving`).
    saving::start(state);
    page_shortcuts(state);
    page_file_drop(state);

    let file_input = NodeRef::<leptos::html::Input>::new();
    let choose_file = move |_| {
        if let Some(input) = file_input.get_untracked() {
            input.set_value("");
            input.click();
        }
    };
    let on_file_chosen = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        if let Some(file) = input.files().and_then(|l| l.get(0)) {
            import_matrix_file(state, file);
        }
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
                </div>
                <div class="actions" role="toolbar" aria-label="Board actions">
                    <button type="button" on:click=choose_file>"Import matrix"</button>
                    <AgentImportButtons />
                    <button
                        type="button"
                        disabled=move || !state.board_open.get()
                        on:click=move |_| export_matrix(state)
                    >
                        "Export matrix"
                    </button>
                    <button
                        type="button"
                        disabled=move || !state.board_open.get()
                        on:click=move |_| copy_matrix(state)
                    >
                        "Copy matrix"
                    </button>
                    <button
                        type="button"
                        aria-keyshortcuts="Control+Z"
                        title=move || state.history_title(true)
                        disabled=move || !state.can_undo.get()
                        on:click=move |_| state.undo()
                    >
                        "Undo"
                    </button>
                    <button
                        type="button"
                        aria-keyshortcuts="Control+Shift+Z Control+Y"
                        title=move || state.history_title(false)
                        disabled=move || !state.can_redo.get()
                        on:click=move |_| state.redo()
                    >
                        "Redo"
                    </button>
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
                    <button
                        type="button"
                        disabled=move || !state.board_open.get()
                        on:click=move |_| {
                            state.dispatch(Action::CloseBoard);
                        }
                    >
                        "Close board"
                    </button>
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
            <main class="main">
                <Show when=move || state.board_open.get() fallback=move || view! { <EmptyState choose_file /> }>
                    <BoardView />
                </Show>
                <AgentRoster />
            </main>
            <p id="card-help" class="visually-hidden">
                "Press Space or Enter to pick up the card, Left and Right to choose a column, Space or Enter to drop it, Escape to cancel. Or drag it with a mouse or a finger, or use its Move to menu. Press question mark for all shortcuts."
            </p>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || state.announcement.get()}
            </div>
        </div>
    }
}

/// Errors in an `alert`, reports in a `status`: both exist from the start so that screen
/// readers announce what appears in them.
#[component]
fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = move || match state.notice.get() {
        Some(Notice::Error(text)) => Some(text),
        _ => None,
    };
    let info = move || match state.notice.get() {
        Some(Notice::Info(text) | Notice::Report(text)) => Some(text),
        _ => None,
    };
    let offers_fields = move || matches!(state.notice.get(), Some(Notice::Report(_)));
    let dismiss = move |_| state.notice.set(None);
    view! {
        <div class="notices">
            <div role="alert" class="notice error" hidden=move || error().is_none()>
                <pre class="notice-text">{error}</pre>
                <button type="button" class="dismiss" aria-label="Dismiss message" on:click=dismiss>"×"</button>
            </div>
            <div role="status" class="notice info" hidden=move || info().is_none()>
                <pre class="notice-text">{info}</pre>
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

/// Reads a chosen or dropped matrix file and imports it; while the save is still loading the
/// import waits for it, and opens on top of it (`saving`).
fn import_matrix_file(state: AppState, file: File) {
    // Read now: the app's context is not reachable after the `await`.
    let saving = use_context();
    spawn_local(async move {
        let read = files::read(&file).await;
        match read.bytes {
            Ok(bytes) => saving::after_restore(saving, state, move || {
                state.import_matrix(&read.name, bytes)
            }),
            Err(message) => state.notice.set(Some(Notice::Error(format!(
                "Could not import {}. {message}",
                read.name
            )))),
        }
    });
}

fn export_matrix(state: AppState) {
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

/// Undo, redo and Escape anywhere on the page.
fn page_shortcuts(state: AppState) {
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
        if state.pending_override.with_untracked(Option::is_some)
            || state.shortcuts_open.get_untracked()
            || state.fields_for.with_untracked(Option::is_some)
        {
            if command && !in_text && matches!(key.as_str(), "z" | "Z" | "y" | "Y") {
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

/// A matrix file dropped anywhere on the page is imported.
fn page_file_drop(state: AppState) {
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
        owner.with(|| dropped(state, ev));
    });
    on_cleanup(move || {
        over.remove();
        drop.remove();
    });
}

/// Imports the files of a drop on the page. A drop while a dialog is open is taken too: it
/// replaces the board, and `reconcile` closes the dialog that was about the old one.
fn dropped(state: AppState, ev: DragEvent) {
    let Some(list) = ev.data_transfer().and_then(|d| d.files()) else {
        return;
    };
    // Markdown files are agent definitions; anything else is taken as the matrix.
    let (agents, others): (Vec<File>, Vec<File>) = files::files_of(&list)
        .into_iter()
        .partition(|f| f.name().to_ascii_lowercase().ends_with(".md"));
    if !agents.is_empty() {
        import_agent_files(state, agents);
    }
    if let Some(file) = others.into_iter().next() {
        import_matrix_file(state, file);
    }
}
