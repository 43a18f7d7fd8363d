//! Moving cards by pointer (mouse, touch, pen) and by keyboard, with screen-reader
//! announcements and edge auto-scrolling.
//!
//! This module owns the life of a drag: a press that becomes a drag past a threshold (or, for
//! touch, after a long press, so that swiping still scrolls the page), the column under the
//! pointer, auto-scroll near the edges, keyboard lifting and moving, and the live-region
//! sentences. It never changes the board itself: a drop calls `AppState::request_move`,
//! where the gates and the override dialog take over. It uses pointer events only, never the
//! HTML5 drag-and-drop API, which touch screens and WebDriver do not drive.
//!
//! Every gesture ends: from the press on, move, up, cancel and lost capture are heard on the
//! window (a card re-rendered mid-drag loses its own listeners and capture), and the
//! listeners and the auto-scroll loop go when the gesture does. A keyboard lift ends on the
//! card's blur and on any pointer press. What a gesture holds names its card with the
//! card's board (`CardRef`), so a drag cannot land on another board's card.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, PointerEvent};

use crate::ui::state::{AppState, Drag};
use traceboard_core::board::{CardRef, EntryIndex, MoveError};
use traceboard_core::stage::Stage;

/// How far a mouse or pen must travel before a press becomes a drag, so a click stays a click.
const DRAG_THRESHOLD_PX: f64 = 5.0;
/// How long a finger must rest on a card before it lifts; moving sooner scrolls instead.
const TOUCH_LIFT_DELAY: Duration = Duration::from_millis(250);
/// How far a finger may wander during the long press before it counts as a scroll.
const TOUCH_SLOP_PX: f64 = 10.0;
/// Within this distance of an edge, dragging scrolls the board or the column.
const EDGE_PX: f64 = 48.0;
/// The most pixels auto-scroll moves per frame, reached at the very edge.
const MAX_SCROLL_STEP: f64 = 18.0;

/// A pointer press that may become a drag.
#[derive(Clone, Copy, Debug)]
struct Press {
    card: CardRef,
    pointer_id: i32,
    x: f64,
    y: f64,
    touch: bool,
    /// For touch: the long press has elapsed and the card may lift.
    armed: bool,
    generation: u32,
}

thread_local! {
    static PRESS: Cell<Option<Press>> = const { Cell::new(None) };
    static GENERATION: Cell<u32> = const { Cell::new(0) };
    /// The window listeners of the press, drag or keyboard lift under way. A card can be
    /// re-rendered mid-gesture (an undo, a refresh), which drops its own listeners and its
    /// pointer capture; the window hears the end of the gesture whatever happens to the card.
    static LISTENERS: RefCell<Vec<WindowListenerHandle>> = const { RefCell::new(Vec::new()) };
}

/// Removes the window listeners of the gesture that just ended.
fn stop_listening() {
    for handle in LISTENERS.take() {
        handle.remove();
    }
}

/// Ends the press (and with it a pointer drag's listeners and auto-scroll).
fn end_press() {
    PRESS.set(None);
    stop_listening();
}

/// The id of a card of the open board; empty for a card of another board.
fn card_id(state: AppState, card: CardRef) -> String {
    state
        .entry_of(card)
        .and_then(|entry| state.with_board(|b| b?.card(entry).map(|c| c.id.to_string())))
        .unwrap_or_default()
}

/// The column a card of the open board is in; `None` for a card of another board.
fn card_stage(state: AppState, card: CardRef) -> Option<Stage> {
    let entry = state.entry_of(card)?;
    state.with_board(|b| b?.card(entry).map(|c| c.stage))
}

fn card_element(card: CardRef) -> Option<Element> {
    document().get_element_by_id(&format!("card-{}", card.entry))
}

pub fn on_pointer_down(state: AppState, card: CardRef, ev: PointerEvent) {
    if ev.button() != 0 {
        return;
    }
    // A pointer takes over from the keyboard: the lifted card goes back first.
    if state.drag.with_untracked(|d| d.is_some_and(|d| d.keyboard)) {
        end_keyboard_lift(state, false);
    }
    if state.drag.with_untracked(Option::is_some) {
        return;
    }
    end_press();
    let touch = ev.pointer_type() == "touch";
    let generation = GENERATION.get().wrapping_add(1);
    GENERATION.set(generation);
    let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
    let pointer_id = ev.pointer_id();
    PRESS.set(Some(Press {
        card,
        pointer_id,
        x,
        y,
        touch,
        armed: !touch,
        generation,
    }));
    if let Some(target) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<Element>().ok())
    {
        let _ = target.set_pointer_capture(pointer_id);
    }
    LISTENERS.set(vec![
        window_event_listener(ev::pointermove, move |ev| on_pointer_move(state, ev)),
        window_event_listener(ev::pointerup, move |ev| on_pointer_up(state, ev)),
        window_event_listener(ev::pointercancel, move |ev: PointerEvent| {
            if is_pressed(ev.pointer_id()) {
                cancel_drag(state);
            }
        }),
        window_event_listener(ev::lostpointercapture, move |ev: PointerEvent| {
            // Capture is lost when the card re-renders under the pointer; the window still
            // hears the pointer, so the drag goes on. Lost with no button down means the
            // release was never heard: the drag ends where it started.
            if is_pressed(ev.pointer_id()) && ev.buttons() == 0 {
                cancel_drag(state);
            }
        }),
    ]);
    if touch {
        // A long press lifts the card where the finger rests, without waiting for a move.
        set_timeout(
            move || {
                let Some(mut press) = PRESS.get().filter(|p| p.generation == generation) else {
                    return;
                };
                press.armed = true;
                PRESS.set(Some(press));
                start_drag(state, press, press.x, press.y);
            },
            TOUCH_LIFT_DELAY,
        );
    }
}

/// Whether `pointer_id` is the pointer pressing a card now.
fn is_pressed(pointer_id: i32) -> bool {
    PRESS.get().is_some_and(|p| p.pointer_id == pointer_id)
}

fn on_pointer_move(state: AppState, ev: PointerEvent) {
    let Some(press) = PRESS.get() else { return };
    if ev.pointer_id() != press.pointer_id {
        return;
    }
    // A mouse or pen moving with its main button up was released where the page did not hear
    // it (outside the window, after the card lost its capture): the drag ends where it
    // started, rather than following an unpressed pointer until the next click drops it.
    if !press.touch && ev.buttons() & 1 == 0 {
        cancel_drag(state);
        return;
    }
    let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
    if state.drag.with_untracked(Option::is_none) {
        let distance = (x - press.x).hypot(y - press.y);
        if press.touch && !press.armed {
            // The finger moved before the long press: it is scrolling, not dragging.
            if distance > TOUCH_SLOP_PX {
                end_press();
            }
            return;
        }
        if distance < DRAG_THRESHOLD_PX {
            return;
        }
        start_drag(state, press, x, y);
    }
    ev.prevent_default();
    pointer_at(state, x, y);
}

fn on_pointer_up(state: AppState, ev: PointerEvent) {
    if !is_pressed(ev.pointer_id()) {
        return;
    }
    // The browser releases the pointer's capture itself after this event.
    let press = PRESS.get();
    end_press();
    let Some(drag) = state.drag.get_untracked().filter(|d| !d.keyboard) else {
        // Released before it travelled far enough to be a drag: a click (or a tap) opens
        // the card's details.
        if let Some(entry) = press.and_then(|p| state.entry_of(p.card))
            && state.drag.with_untracked(Option::is_none)
        {
            state.open_details(entry);
        }
        return;
    };
    drop_card(state, drag);
}

/// While a finger holds a card, the page must not scroll under it.
pub fn on_touch_move(ev: web_sys::TouchEvent) {
    if PRESS.get().is_some_and(|p| p.armed) {
        ev.prevent_default();
    }
}

fn start_drag(state: AppState, press: Press, x: f64, y: f64) {
    let Some(from) = card_stage(state, press.card) else {
        end_press();
        return;
    };
    let rect = card_element(press.card).map(|e| e.get_bounding_client_rect());
    let (grab, width) = rect.map_or(((0.0, 0.0), 260.0), |r| {
        ((press.x - r.left(), press.y - r.top()), r.width())
    });
    let id = card_id(state, press.card);
    state.announcement.set(format!(
        "Picked up {id} in {from}. Move over a column and release to drop it, or press Escape to cancel."
    ));
    state.drag.set(Some(Drag {
        card: press.card,
        from,
        x,
        y,
        grab,
        width,
        over: Some(from),
        keyboard: false,
    }));
    autoscroll(state, press.generation);
}

/// Updates the drag for a pointer at (x, y) and announces a new column.
fn pointer_at(state: AppState, x: f64, y: f64) {
    let over = column_at(x, y);
    let changed = state
        .drag
        .with_untracked(|d| d.as_ref().is_some_and(|d| d.over != over));
    state.drag.update(|d| {
        if let Some(d) = d {
            d.x = x;
            d.y = y;
            d.over = over;
        }
    });
    if changed {
        announce_over(state);
    }
}

/// Says which column the lifted card is over, and whether it may land there.
fn announce_over(state: AppState) {
    let Some(drag) = state.drag.get_untracked() else {
        return;
    };
    let id = card_id(state, drag.card);
    let text = match (drag.over, state.entry_of(drag.card)) {
        (None, _) => format!("{id} is not over a column; releasing cancels the move."),
        (Some(stage), _) if stage == drag.from => {
            format!("{id} is over {stage}, where it is now.")
        }
        (Some(stage), Some(entry)) => {
            match state.with_board(|b| b.map(|b| b.check_move(entry, stage))) {
                Some(Err(MoveError::Gate(breach))) => format!(
                    "{id} is over {stage}. {stage} will not take it yet: {breach}; dropping asks for a reason."
                ),
                _ => match untrack(|| state.over_limit_after_drop(entry, stage)) {
                    Some(limit) => format!(
                        "{id} is over {stage}. Dropping it here puts {stage} over its limit of {limit}; the move is allowed."
                    ),
                    None => format!("{id} is over {stage}."),
                },
            }
        }
        (Some(stage), None) => format!("{id} is over {stage}."),
    };
    state.announcement.set(text);
}

/// Ends a drag over its current column: a move, or a cancel when it is where it started.
fn drop_card(state: AppState, drag: Drag) {
    state.drag.set(None);
    stop_listening();
    match drag.over {
        Some(to) if to != drag.from => state.request_move(drag.card, to),
        _ => announce_cancel(state, drag),
    }
}

fn announce_cancel(state: AppState, drag: Drag) {
    let id = card_id(state, drag.card);
    state
        .announcement
        .set(format!("Move cancelled. {id} stays in {}.", drag.from));
}

/// Cancels a drag in progress (Escape, a cancelled pointer); the card stays where it was.
pub fn cancel_drag(state: AppState) {
    end_press();
    if let Some(drag) = state.drag.get_untracked() {
        state.drag.set(None);
        announce_cancel(state, drag);
        if drag.keyboard {
            crate::ui::board::focus_card(state, drag.card);
        }
    }
}

/// Ends a keyboard lift without a move, announced; `refocus` puts focus back on the card
/// (not when focus went elsewhere on purpose, by a click or Tab).
fn end_keyboard_lift(state: AppState, refocus: bool) {
    let Some(drag) = state.drag.get_untracked().filter(|d| d.keyboard) else {
        return;
    };
    stop_listening();
    state.drag.set(None);
    announce_cancel(state, drag);
    if refocus {
        crate::ui::board::focus_card(state, drag.card);
    }
}

/// Ends whatever drag or press is under way without a word, for when the board it belongs
/// to has been replaced: the change that replaced it is what gets announced.
pub fn abandon_drag(state: AppState) {
    end_press();
    state.drag.set(None);
}

/// A lifted card's blur ends its lift: focus left it, so the keys that move it are gone.
///
/// A card rendered anew under the lift (an undo, a refresh) is blurred too: Chromium blurs a
/// focused element as it removes it, and `AppState::reconcile` then focuses the new one. So
/// the lift ends at once only when the blurred element is still in the page once the render
/// is done; a removed one leaves the lift to the frame after, when it goes on if focus is on
/// the lifted card's new element.
pub fn on_card_blur(state: AppState, card: CardRef, ev: web_sys::FocusEvent) {
    let lifted = move || {
        state
            .drag
            .try_with_untracked(|d| d.is_some_and(|d| d.keyboard && d.card == card))
            == Some(true)
    };
    if !lifted() {
        return;
    }
    let Some(blurred) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        end_keyboard_lift(state, false);
        return;
    };
    queue_microtask(move || {
        if !lifted() {
            return;
        }
        if blurred.is_connected() {
            end_keyboard_lift(state, false);
            return;
        }
        request_animation_frame(move || {
            let refocused = card_element(card)
                .is_some_and(|el| document().active_element().as_ref() == Some(&el));
            if lifted() && !refocused {
                end_keyboard_lift(state, false);
            }
        });
    });
}

/// The column under a point of the window, if any.
fn column_at(x: f64, y: f64) -> Option<Stage> {
    let element = document().element_from_point(x as f32, y as f32)?;
    let column = element.closest("[data-stage]").ok()??;
    Stage::parse(&column.get_attribute("data-stage")?)
}

/// Keys on a focused card: Space or Enter lifts and drops, Left and Right move across
/// columns, Escape cancels.
pub fn on_card_key(state: AppState, card: CardRef, ev: KeyboardEvent) {
    let key = ev.key();
    let lifted = state
        .drag
        .get_untracked()
        .filter(|d| d.keyboard && d.card == card);
    match (key.as_str(), lifted) {
        ("Enter", None) => {
            if state.drag.with_untracked(Option::is_none)
                && let Some(entry) = state.entry_of(card)
            {
                ev.prevent_default();
                state.open_details(entry);
            }
        }
        (" ", None) => {
            if state.drag.with_untracked(Option::is_some) {
                return;
            }
            ev.prevent_default();
            let Some(from) = card_stage(state, card) else {
                return;
            };
            let id = card_id(state, card);
            end_press();
            state.drag.set(Some(Drag {
                card,
                from,
                x: 0.0,
                y: 0.0,
                grab: (0.0, 0.0),
                width: 0.0,
                over: Some(from),
                keyboard: true,
            }));
            state.announcement.set(format!(
                "Picked up {id} in {from}. Press Left or Right to choose a column, Space or Enter to drop, Escape to cancel."
            ));
            // A press anywhere ends the lift, so it is never left hanging where the user
            // stopped looking; a press on a card then starts a pointer drag of its own.
            LISTENERS.set(vec![window_event_listener(ev::pointerdown, move |_| {
                end_keyboard_lift(state, false);
            })]);
        }
        (" " | "Enter", Some(drag)) => {
            ev.prevent_default();
            drop_card(state, drag);
            crate::ui::board::focus_card(state, card);
        }
        ("ArrowLeft" | "ArrowRight", Some(drag)) => {
            ev.prevent_default();
            let current = drag.over.unwrap_or(drag.from);
            let next = if key == "ArrowLeft" {
                current.previous()
            } else {
                current.next()
            };
            if let Some(next) = next {
                state.drag.update(|d| {
                    if let Some(d) = d {
                        d.over = Some(next);
                    }
                });
                announce_over(state);
                scroll_column_into_view(next);
            }
        }
        ("Escape", Some(_)) => {
            ev.prevent_default();
            ev.stop_propagation();
            cancel_drag(state);
        }
        // A lifted card keeps focus: Tab would leave it lifted somewhere the user cannot see.
        ("Tab", Some(_)) => ev.prevent_default(),
        // Left and Right go to the next column's card in the same lane, at the same height
        // where it can; a column with no card there is passed over.
        ("ArrowLeft" | "ArrowRight", None) => {
            if state.drag.with_untracked(Option::is_some) {
                return;
            }
            if let Some(target) =
                beside(state, card.entry, key == "ArrowLeft").and_then(|t| state.card_ref(t))
            {
                ev.prevent_default();
                crate::ui::board::focus_card_soon(state, target);
            }
        }
        // Up and Down walk the column, also through cards a long column has not rendered,
        // and on into the next lane's part of it.
        ("ArrowUp" | "ArrowDown", None) => {
            let Some(stage) = card_stage(state, card) else {
                return;
            };
            let target = state.columns[stage.index()].with_untracked(|keys| {
                let at = keys.iter().position(|k| k.entry == card.entry)?;
                let to = if key == "ArrowUp" {
                    at.checked_sub(1)?
                } else {
                    at + 1
                };
                keys.get(to).map(|k| k.entry)
            });
            if let Some(target) = target.and_then(|t| state.card_ref(t)) {
                ev.prevent_default();
                crate::ui::board::focus_card_soon(state, target);
            }
        }
        _ => {}
    }
}

/// The card to go to from `entry` with Left (`left`) or Right: in the next column that shows
/// a card, the card of the same lane at the same place or the nearest above it; when that
/// lane has none there, the first of the lanes below, else the last of those above.
fn beside(state: AppState, entry: EntryIndex, left: bool) -> Option<EntryIndex> {
    let collapsed = state.collapsed.get_untracked();
    state.lanes.with_untracked(|lanes| {
        let open =
            |l: &crate::ui::state::LaneKeys| lanes.len() == 1 || !collapsed.contains(&l.name);
        let (lane, stage, index) = lanes.iter().enumerate().find_map(|(li, lane)| {
            lane.columns.iter().enumerate().find_map(|(si, keys)| {
                let at = keys.iter().position(|k| k.entry == entry)?;
                Some((li, si, at))
            })
        })?;
        let stages: Vec<usize> = if left {
            (0..stage).rev().collect()
        } else {
            (stage + 1..5).collect()
        };
        stages.into_iter().find_map(|s| {
            if let Some(keys) = lanes
                .get(lane)
                .map(|l| &l.columns[s])
                .filter(|k| !k.is_empty())
            {
                return Some(keys[index.min(keys.len() - 1)].entry);
            }
            let below = lanes[lane + 1..]
                .iter()
                .filter(|l| open(l))
                .find_map(|l| l.columns[s].first());
            let above = lanes[..lane]
                .iter()
                .rev()
                .filter(|l| open(l))
                .find_map(|l| l.columns[s].last());
            below.or(above).map(|k| k.entry)
        })
    })
}

fn scroll_column_into_view(stage: Stage) {
    if let Some(column) = document()
        .query_selector(&format!("[data-stage={}]", stage.key()))
        .ok()
        .flatten()
    {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
        column.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// While a pointer drag lasts, scrolls the board sideways and the column under the pointer
/// up or down when the pointer rests near their edges, one step per frame. The loop belongs
/// to the press of `generation` and stops the frame after that press ends, however it ends.
fn autoscroll(state: AppState, generation: u32) {
    request_animation_frame(move || {
        if PRESS.get().is_none_or(|p| p.generation != generation) {
            return;
        }
        let Some(drag) = state.drag.get_untracked().filter(|d| !d.keyboard) else {
            return;
        };
        let mut moved = false;
        if let Some(board) = document().query_selector(".board").ok().flatten() {
            let r = board.get_bounding_client_rect();
            let step = edge_step(drag.x, r.left(), r.right());
            if step != 0.0 {
                board.set_scroll_left(board.scroll_left() + step as i32);
                moved = true;
            }
        }
        if let Some(stage) = drag.over
            && let Some(list) = document()
                .query_selector(&format!("[data-stage={}] .cards-scroll", stage.key()))
                .ok()
                .flatten()
        {
            let r = list.get_bounding_client_rect();
            let step = edge_step(drag.y, r.top(), r.bottom());
            if step != 0.0 {
                list.set_scroll_top(list.scroll_top() + step as i32);
                moved = true;
            }
        }
        if moved {
            // What is under the pointer changed although the pointer did not move.
            pointer_at(state, drag.x, drag.y);
        }
        autoscroll(state, generation);
    });
}

/// How far to scroll for a pointer at `at` between `low` and `high`: faster nearer an edge.
fn edge_step(at: f64, low: f64, high: f64) -> f64 {
    if high - low < EDGE_PX * 3.0 {
        return 0.0;
    }
    if at < low + EDGE_PX {
        -MAX_SCROLL_STEP * ((low + EDGE_PX - at) / EDGE_PX).clamp(0.0, 1.0)
    } else if at > high - EDGE_PX {
        MAX_SCROLL_STEP * ((at - (high - EDGE_PX)) / EDGE_PX).clamp(0.0, 1.0)
    } else {
        0.0
    }
}
