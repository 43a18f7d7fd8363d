//! The board view: columns of cards, the dragged card's ghost, and the gate override dialog.
//!
//! Components here only read `AppState` and turn pointer and key events into calls on it.
//! Dragging uses pointer events (mouse, touch and pen alike), never the HTML5 drag-and-drop
//! API, which touch screens and WebDriver do not drive. The rules of a move live in the core.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, PointerEvent};

use crate::board::EntryIndex;
use crate::stage::Stage;
use crate::ui::state::{AppState, CardKey, Drag};
use crate::ui::team::{OwnerSelect, TurnChip};

/// How far the pointer must travel before a press becomes a drag, so a click stays a click.
const DRAG_THRESHOLD_PX: f64 = 5.0;

#[component]
pub fn BoardView() -> impl IntoView {
    view! {
        <div class="board">
            {Stage::ALL.into_iter().map(|stage| view! { <Column stage /> }).collect_view()}
        </div>
        <DragGhost />
        <OverrideDialog />
    }
}

#[component]
fn Column(stage: Stage) -> impl IntoView {
    let state = expect_context::<AppState>();
    let keys = state.columns[stage.index()];
    let heading_id = format!("column-{}", stage.key());
    // Whether the dragged card is over this column, and whether the gates let it land here.
    let drop_state = Memo::new(move |_| {
        state.drag.with(|d| match d {
            Some(d) if d.over == Some(stage) && d.from != stage => {
                Some(state.with_board(|b| b.map(|b| b.check_move(d.entry, stage))))
            }
            _ => None,
        })
    });
    let accepts = move || matches!(drop_state.get(), Some(Some(Ok(()))));
    let refuses = move || matches!(drop_state.get(), Some(Some(Err(_))));
    let refusal = move || match drop_state.get() {
        Some(Some(Err(e))) => e.to_string(),
        _ => String::new(),
    };
    view! {
        <section
            class="column"
            class:drop-target=accepts
            class:drop-refused=refuses
            data-stage=stage.key()
            role="region"
            aria-labelledby=heading_id.clone()
        >
            <header class="column-header">
                <h2 id=heading_id.clone()>{stage.title()}</h2>
                <span class="count" aria-label=move || format!("{} cards", keys.with(Vec::len))>
                    {move || keys.with(Vec::len)}
                </span>
                <OwnerSelect stage />
            </header>
            <p class="drop-refusal" role="note" hidden=move || !refuses()>{refusal}</p>
            <ol class="cards">
                <Show when=accepts>
                    <li class="placeholder" aria-hidden="true"></li>
                </Show>
                <For each=move || keys.get() key=|k| *k let(key)>
                    <Card key />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn Card(key: CardKey) -> impl IntoView {
    let state = expect_context::<AppState>();
    let entry = key.entry;
    let data = state.with_board(|b| {
        b.and_then(|b| Some((b.card(entry)?.clone(), b.entry(entry)?.is_duplicate())))
    });
    let Some((card, duplicate)) = data else {
        return ().into_any();
    };
    let label = if card.text.is_empty() {
        card.id.to_string()
    } else {
        format!("{}: {}", card.id, card.text)
    };
    let dragging = move || state.dragged.get() == Some(entry);
    let gaps = card.gaps();
    let priority = card.priority.clone();
    view! {
        <li
            class="card"
            class:dragging=dragging
            class:deprecated=card.deprecated
            id=format!("card-{entry}")
            data-entry=entry
            tabindex="0"
            role="button"
            aria-roledescription="draggable card"
            aria-label=label
            aria-describedby="card-help"
            on:pointerdown=move |ev| press(state, entry, ev)
            on:pointermove=move |ev| pointer_move(state, ev)
            on:pointerup=move |ev| release(state, ev)
            on:pointercancel=move |_| cancel_drag(state)
        >
            <div class="card-head">
                <span class="card-id">{card.id.to_string()}</span>
                {priority.map(|p| {
                    let class = format!("priority priority-{}", p.to_lowercase());
                    view! { <span class=class>{p}</span> }
                })}
            </div>
            <p class="card-text">{card.text.clone()}</p>
            <div class="card-meta">
                <TurnChip stage=card.stage />
                <span class="chip" title=card.tests.join("\n")>
                    {format!("{} test{}", card.tests.len(), if card.tests.len() == 1 { "" } else { "s" })}
                </span>
                <span class="chip" title=card.code.join("\n")>
                    {format!("{} code", card.code.len())}
                </span>
                {card.inferred.clone().map(|why| view! { <span class="chip inferred" title=why>"inferred"</span> })}
                {duplicate.then(|| view! { <span class="chip warn" title="Another requirement has the same id">"duplicate id"</span> })}
                {card.deprecated.then(|| view! { <span class="chip">"deprecated"</span> })}
                {gaps.into_iter().map(|gap| view! { <span class="chip warn">{gap}</span> }).collect_view()}
            </div>
        </li>
    }
    .into_any()
}

/// A pointer press that may become a drag once it travels far enough.
#[derive(Clone, Copy, Debug)]
struct Press {
    entry: EntryIndex,
    x: f64,
    y: f64,
}

thread_local! {
    static PRESS: std::cell::Cell<Option<Press>> = const { std::cell::Cell::new(None) };
}

fn press(state: AppState, entry: EntryIndex, ev: PointerEvent) {
    if ev.button() != 0 || state.drag.with_untracked(Option::is_some) {
        return;
    }
    PRESS.set(Some(Press {
        entry,
        x: ev.client_x() as f64,
        y: ev.client_y() as f64,
    }));
    if let Some(target) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<Element>().ok())
    {
        let _ = target.set_pointer_capture(ev.pointer_id());
    }
}

fn pointer_move(state: AppState, ev: PointerEvent) {
    let Some(press) = PRESS.get() else { return };
    let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
    if state.drag.with_untracked(Option::is_none) {
        if (x - press.x).hypot(y - press.y) < DRAG_THRESHOLD_PX {
            return;
        }
        let Some(from) = state.with_board(|b| b.and_then(|b| b.card(press.entry)).map(|c| c.stage))
        else {
            return;
        };
        let rect = ev
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .map(|e| e.get_bounding_client_rect());
        let (grab, width) = rect.map_or(((0.0, 0.0), 260.0), |r| {
            ((press.x - r.left(), press.y - r.top()), r.width())
        });
        let id = state
            .with_board(|b| {
                b.and_then(|b| b.card(press.entry))
                    .map(|c| c.id.to_string())
            })
            .unwrap_or_default();
        state.announcement.set(format!("Picked up {id} in {from}."));
        state.drag.set(Some(Drag {
            entry: press.entry,
            from,
            x,
            y,
            grab,
            width,
            over: Some(from),
        }));
    }
    ev.prevent_default();
    let over = column_at(x, y);
    state.drag.update(|d| {
        if let Some(d) = d {
            d.x = x;
            d.y = y;
            d.over = over;
        }
    });
}

fn release(state: AppState, ev: PointerEvent) {
    PRESS.set(None);
    if let Some(target) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<Element>().ok())
    {
        let _ = target.release_pointer_capture(ev.pointer_id());
    }
    let Some(drag) = state.drag.get_untracked() else {
        return;
    };
    state.drag.set(None);
    match drag.over {
        Some(to) if to != drag.from => state.request_move(drag.entry, to),
        _ => state
            .announcement
            .set("Move cancelled; the card is back where it was.".into()),
    }
}

/// Cancels a drag in progress (Escape, a cancelled pointer); the card stays where it was.
pub fn cancel_drag(state: AppState) {
    PRESS.set(None);
    if state.drag.get_untracked().is_some() {
        state.drag.set(None);
        state
            .announcement
            .set("Move cancelled; the card is back where it was.".into());
    }
}

/// The column under a point of the window, if any.
fn column_at(x: f64, y: f64) -> Option<Stage> {
    let element = document().element_from_point(x as f32, y as f32)?;
    let column = element.closest("[data-stage]").ok()??;
    Stage::parse(&column.get_attribute("data-stage")?)
}

/// The card under the pointer while dragging: it follows the pointer with a lifted look.
#[component]
fn DragGhost() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let drag = state.drag.get()?;
        let card = state.with_board(|b| b.and_then(|b| b.card(drag.entry).cloned()))?;
        Some(view! {
            <div
                class="card ghost"
                aria-hidden="true"
                style:left=format!("{}px", drag.x - drag.grab.0)
                style:top=format!("{}px", drag.y - drag.grab.1)
                style:width=format!("{}px", drag.width)
            >
                <div class="card-head"><span class="card-id">{card.id.to_string()}</span></div>
                <p class="card-text">{card.text}</p>
            </div>
        })
    }
}

/// Asks for a reason when a move breaks a TDD gate; the reason goes into the history.
#[component]
fn OverrideDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let reason = RwSignal::new(String::new());
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if state.pending_override.with(Option::is_some) {
            reason.set(String::new());
            request_animation_frame(move || {
                if let Some(t) = textarea.get_untracked() {
                    let _ = t.focus();
                }
            });
        }
    });
    let close = move || {
        let entry = state.pending_override.get_untracked().map(|p| p.entry);
        state.pending_override.set(None);
        if let Some(entry) = entry {
            focus_card(entry);
        }
    };
    let confirm = move || {
        let Some(pending) = state.pending_override.get_untracked() else {
            return;
        };
        let text = reason.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        if state.override_move(&pending, text) {
            close();
        }
    };
    view! {
        <Show when=move || state.pending_override.with(Option::is_some)>
            <div class="backdrop">
                <div
                    class="dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="override-title"
                    aria-describedby="override-why"
                    on:keydown=move |ev: ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            ev.stop_propagation();
                            close();
                        }
                    }
                >
                    {move || state.pending_override.get().map(|p| view! {
                        <h2 id="override-title">{format!("Override the TDD gate for {}?", p.id)}</h2>
                        <p id="override-why">{format!("{} cannot move to {} yet: {}.", p.id, p.to, p.breach)}</p>
                    })}
                    <label for="override-reason">"Reason for the override"</label>
                    <textarea
                        id="override-reason"
                        node_ref=textarea
                        rows="3"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    <div class="dialog-buttons">
                        <button type="button" on:click=move |_| close()>"Cancel"</button>
                        <button
                            type="button"
                            class="primary"
                            disabled=move || reason.with(|r| r.trim().is_empty())
                            on:click=move |_| confirm()
                        >
                            "Override and move"
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}

/// Puts keyboard focus on a card once it is rendered (after a move re-creates it).
pub fn focus_card(entry: EntryIndex) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&format!("card-{entry}"))
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    });
}
