//! The board view: columns of cards, the dragged card's ghost, the gate override dialog and
//! the shortcuts dialog.
//!
//! Components here only read `AppState` and turn pointer and key events into calls on it.
//! Dragging uses pointer events (mouse, touch and pen alike), never the HTML5 drag-and-drop
//! API, which touch screens and WebDriver do not drive. The rules of a move live in the core.
//! Every card names itself with its board (`CardRef`), and the dialogs are native modal
//! `<dialog>`s, so nothing started here can act on another board or under a dialog.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::ui::drag::{on_card_blur, on_card_key, on_pointer_down, on_touch_move};
use crate::ui::state::{AppState, CardKey};
use crate::ui::team::{OwnerSelect, TurnChip};
use traceboard_core::board::{CardRef, EntryIndex};
use traceboard_core::columns::{GroupBy, lands_at, limit_text};
use traceboard_core::stage::Stage;

#[component]
pub fn BoardView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let grouped = Memo::new(move |_| state.layout.with(|l| l.group) != GroupBy::None);
    view! {
        <super::evidence::HealthPanel />
        <super::evidence::SuggestedMoves />
        <Show
            when=move || grouped.get()
            fallback=|| view! {
                <div class="board">
                    {Stage::ALL.into_iter().map(|stage| view! { <Column stage /> }).collect_view()}
                </div>
            }
        >
            <LanesBoard />
        </Show>
        <DragGhost />
        <OverrideDialog />
        <ShortcutsDialog />
        <super::details::DetailsDialog />
        <super::details::NewRequirementDialog />
    }
}

/// A column of a board not grouped into lanes: its header and its cards, one region.
#[component]
fn Column(stage: Stage) -> impl IntoView {
    let state = expect_context::<AppState>();
    let keys = state.columns[stage.index()];
    let heading_id = format!("column-{}", stage.key());
    let cell = CellDrop::new(stage, None);
    view! {
        <section
            class="column"
            class:drop-target=move || cell.accepts()
            class:drop-refused=move || cell.refuses()
            class:drop-warn=move || cell.warns()
            data-stage=stage.key()
            role="region"
            aria-labelledby=heading_id.clone()
            aria-describedby=format!("limit-{}", stage.key())
        >
            <ColumnHeader stage heading_id=heading_id.clone() />
            <DropHint cell />
            <CardList keys=keys.into() cell in_lane=false />
        </section>
    }
}

/// A board grouped into swimlanes: the five column headers once, then a row per lane.
#[component]
fn LanesBoard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = Memo::new(move |_| {
        state
            .lanes
            .with(|lanes| lanes.iter().map(|l| l.name.clone()).collect::<Vec<_>>())
    });
    // How many lanes, from the top, render their cards. A new grouping draws the first lane
    // at once and one more each frame after, so the board shows within a frame however many
    // lanes there are.
    let drawn = RwSignal::new(FIRST_LANES);
    // One loop at a time, a frame per step, until every lane is drawn.
    let drawing = StoredValue::new(false);
    fn more(drawn: RwSignal<usize>, drawing: StoredValue<bool>, names: Memo<Vec<Option<String>>>) {
        request_animation_frame(move || {
            let total = names.try_with_untracked(Vec::len).unwrap_or(0);
            match drawn.try_get_untracked() {
                Some(n) if n < total => {
                    // One more lane a frame at first, then up to eight: hundreds of lanes
                    // are drawn within a second.
                    drawn.set(n + n.clamp(1, 8));
                    more(drawn, drawing, names);
                }
                _ => {
                    let _ = drawing.try_set_value(false);
                }
            }
        });
    }
    // A new grouping starts again from the top; lanes a filter brings back are drawn too.
    Effect::new(move |group_before: Option<GroupBy>| {
        let group = state.layout.with(|l| l.group);
        if group_before != Some(group) {
            drawn.set(FIRST_LANES);
        }
        if names.with(Vec::len) > drawn.get_untracked() && !drawing.get_value() {
            drawing.set_value(true);
            more(drawn, drawing, names);
        }
        group
    });
    view! {
        <div class="board lanes">
            {Stage::ALL
                .into_iter()
                .map(|stage| {
                    let heading_id = format!("column-{}", stage.key());
                    view! {
                        <div
                            class="column lane-column-head"
                            data-stage=stage.key()
                            role="group"
                            aria-labelledby=heading_id.clone()
                            aria-describedby=format!("limit-{}", stage.key())
                        >
                            <ColumnHeader stage heading_id=heading_id.clone() />
                        </div>
                    }
                })
                .collect_view()}
            <For each=move || names.get() key=|name| name.clone() let(name)>
                <Lane name names drawn />
            </For>
            <Show when=move || names.with(Vec::is_empty)>
                <p class="lanes-empty">"No card matches the filters."</p>
            </Show>
        </div>
    }
}

/// A swimlane: its name and counts, foldable, and its cards in each of the five columns.
/// Cards drop into a column of their own lane: lanes group cards, they do not edit them.
#[component]
fn Lane(
    name: Option<String>,
    names: Memo<Vec<Option<String>>>,
    drawn: RwSignal<usize>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let group = move || state.layout.with(|l| l.group);
    let title = {
        let name = name.clone();
        move || group().lane_title(name.as_deref())
    };
    let cells: [Memo<Vec<CardKey>>; 5] = std::array::from_fn(|i| {
        let name = name.clone();
        Memo::new(move |_| {
            state.lanes.with(|lanes| {
                lanes
                    .iter()
                    .find(|l| l.name == name)
                    .map(|l| l.columns[i].clone())
                    .unwrap_or_default()
            })
        })
    });
    let count = move || cells.iter().map(|c| c.with(Vec::len)).sum::<usize>();
    // Its cards are drawn once its turn comes (`drawn`), or at once when it holds the card
    // the keyboard went to.
    let near = {
        let name = name.clone();
        Memo::new(move |_| {
            let at = names.with(|n| n.iter().position(|x| *x == name));
            if at.is_some_and(|at| at < drawn.get()) {
                return true;
            }
            let focused = state.focused.get().and_then(|f| state.entry_of(f));
            focused.is_some_and(|e| {
                cells
                    .iter()
                    .any(|c| c.with(|k| k.iter().any(|k| k.entry == e)))
            })
        })
    };
    let open = {
        let name = name.clone();
        Memo::new(move |_| state.collapsed.with(|c| !c.contains(&name)))
    };
    let toggle = {
        let name = name.clone();
        move |_| {
            state
                .collapsed
                .update(|c| match c.iter().position(|n| *n == name) {
                    Some(at) => {
                        c.remove(at);
                    }
                    None => c.push(name.clone()),
                });
            state.refresh_columns();
        }
    };
    let lane_id = format!("lane-{}", lane_slug(name.as_deref()));
    view! {
        <section class="lane" role="region" aria-label=title.clone()>
            <h3 class="lane-head">
                <button
                    type="button"
                    class="lane-toggle"
                    aria-expanded=move || open.get().to_string()
                    aria-controls=lane_id.clone()
                    on:click=toggle
                >
                    <span class="caret" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
                    {title.clone()}
                </button>
                <span class="lane-count">
                    {move || {
                        let n = count();
                        format!("{n} card{}", if n == 1 { "" } else { "s" })
                    }}
                </span>
            </h3>
            <div class="lane-row" id=lane_id hidden=move || !open.get()>
                {Stage::ALL
                    .into_iter()
                    .map(|stage| {
                        let keys: Signal<Vec<CardKey>> = cells[stage.index()].into();
                        let cell = CellDrop::new(stage, Some(name.clone()));
                        view! {
                            <div
                                class="column lane-cell"
                                class:drop-target=move || cell.accepts()
                                class:drop-refused=move || cell.refuses()
                                class:drop-warn=move || cell.warns()
                                data-stage=stage.key()
                                role="group"
                                aria-label=stage.title()
                            >
                                <DropHint cell />
                                <Show when=move || open.get() && near.get()>
                                    <CardList keys cell in_lane=true />
                                </Show>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// A lane's name as a piece of an element id, one per name: its bytes in hex.
fn lane_slug(name: Option<&str>) -> String {
    match name {
        None => "none".to_owned(),
        Some(name) => name.bytes().map(|b| format!("{b:02x}")).collect(),
    }
}

/// A column's header: its name, how many cards it shows (of how many, while filtering),
/// its limit, its menu and its owner.
#[component]
fn ColumnHeader(stage: Stage, heading_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i = stage.index();
    let shown = Memo::new(move |_| {
        state
            .lanes
            .with(|lanes| lanes.iter().map(|l| l.columns[i].len()).sum::<usize>())
    });
    let total = move || state.totals.with(|t| t[i]);
    let filtering = move || state.is_filtering();
    let limit = move || state.layout.with(|l| l.wip_limits[i]);
    let active = move || state.active.with(|a| a[i]);
    let over = move || limit().is_some_and(|l| active() > l as usize);
    let count = move || {
        if filtering() {
            format!("{} of {}", shown.get(), total())
        } else {
            total().to_string()
        }
    };
    view! {
        <header class="column-header" class:over-limit=over>
            <h2 id=heading_id>{stage.title()}</h2>
            <span class="count" class:filtered=filtering title=move || format!("{} cards shown of {}", shown.get(), total())>
                {count}
            </span>
            {move || limit().map(|l| view! {
                <span class="limit" class:over=over aria-hidden="true">
                    {move || if over() { format!("over limit of {l}") } else { format!("limit {l}") }}
                </span>
            })}
            <span class="visually-hidden" id=format!("limit-{}", stage.key())>
                {move || limit_text(stage, active(), limit())}
            </span>
            {(stage == Stage::Backlog).then(|| view! {
                <button
                    type="button"
                    class="icon-button column-add"
                    aria-label="New requirement in Backlog"
                    title="New requirement"
                    on:click=move |_| state.open_new_requirement()
                >
                    "+"
                </button>
            })}
            <super::filters::ColumnMenu stage />
            <OwnerSelect stage />
        </header>
    }
}

/// The gates' word on a drop: `None` with no board open, else allowed or why not.
type Verdict = Option<Result<(), String>>;

/// Whether the lifted card is over a column (of its own lane, when grouped), and whether the
/// gates let it land there; shared by the cell's look, its hint and its placeholder.
#[derive(Clone, Copy)]
struct CellDrop {
    stage: Stage,
    /// The entry lifted over this cell, and the gates' word on it.
    state: Memo<Option<(EntryIndex, Verdict)>>,
}

impl CellDrop {
    fn new(stage: Stage, lane: Option<Option<String>>) -> CellDrop {
        let app = expect_context::<AppState>();
        let state = Memo::new(move |_| {
            let drag = app.drag.with(|d| *d)?;
            let entry = app.entry_of(drag.card)?;
            if drag.over != Some(stage) || drag.from == stage {
                return None;
            }
            // In lanes, the card lands in its own lane's column.
            if let Some(lane) = &lane {
                let group = app.layout.with(|l| l.group);
                let own =
                    app.with_board(|b| b.and_then(|b| b.card(entry)).map(|c| group.lane_of(c)));
                // One lane per value whatever its ASCII case (`columns::lanes`).
                let same = match (own.flatten(), lane) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    (a, b) => a.as_ref() == b.as_ref(),
                };
                if !same {
                    return None;
                }
            }
            Some((
                entry,
                app.with_board(|b| {
                    b.map(|b| b.check_move(entry, stage).map_err(|e| e.to_string()))
                }),
            ))
        });
        CellDrop { stage, state }
    }

    fn accepts(self) -> bool {
        matches!(self.state.get(), Some((_, Some(Ok(())))))
    }

    fn refuses(self) -> bool {
        matches!(self.state.get(), Some((_, Some(Err(_)))))
    }

    /// The drop is allowed and puts the column over its limit.
    fn warns(self) -> bool {
        self.accepts() && self.limit_after().is_some()
    }

    fn limit_after(self) -> Option<u32> {
        let (entry, _) = self.state.get()?;
        expect_context::<AppState>().over_limit_after_drop(entry, self.stage)
    }

    /// What the cell says under its header while a card is over it.
    fn hint(self) -> Option<String> {
        match self.state.get()? {
            (_, Some(Err(why))) => Some(why),
            (_, Some(Ok(()))) => self.limit_after().map(|limit| {
                format!(
                    "Over the limit: {} would hold more than {limit}. The move is allowed.",
                    self.stage
                )
            }),
            _ => None,
        }
    }
}

/// Why a cell refuses the card over it, or that a drop puts it over its limit.
#[component]
fn DropHint(cell: CellDrop) -> impl IntoView {
    view! {
        <p class="drop-refusal" class:warn=move || cell.warns() hidden=move || cell.hint().is_none()>
            {move || cell.hint().unwrap_or_default()}
        </p>
    }
}

/// The cards of a column (or of a lane's column), rendering only those in view when long.
#[component]
/// `in_lane`: a lane's column, which is short (`LANE_CELL_PX`), so it renders only what is
/// in view sooner.
fn CardList(keys: Signal<Vec<CardKey>>, cell: CellDrop, in_lane: bool) -> impl IntoView {
    let (height, virtual_above) = if in_lane {
        (LANE_CELL_PX, LANE_VIRTUALIZE_ABOVE)
    } else {
        (column_height(), VIRTUALIZE_ABOVE)
    };
    let state = expect_context::<AppState>();
    // Where the card would land: cards keep the column's order, so before the first card
    // that would come after it (`None`: at the end).
    let lands_before = Memo::new(move |_| {
        let (entry, check) = cell.state.get()?;
        check?.ok()?;
        let sort = state.layout.with(|l| l.sort);
        Some(keys.with(|k| {
            let entries: Vec<EntryIndex> = k.iter().map(|c| c.entry).collect();
            let at = state
                .with_board(|b| b.map_or(entries.len(), |b| lands_at(b, &entries, entry, sort)));
            entries.get(at).copied()
        }))
    });
    // Long columns render only the cards in view (plus the focused and the dragged one);
    // every card then has the same height, so a card's place is its index times ROW_PX.
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(height);
    // Cards beyond the edges are rendered once the list scrolls: the first drawing (a board
    // opened, filtered or grouped) renders only what is in view.
    let scrolled = RwSignal::new(false);
    let is_virtual = Memo::new(move |_| keys.with(Vec::len) > virtual_above);
    let window = Memo::new(move |_| {
        if !is_virtual.get() {
            return Vec::new();
        }
        let pinned = [state.focused.get(), state.dragged.get()]
            .map(|card| card.and_then(|card| state.entry_of(card)));
        let (top, height) = (scroll_top.get(), viewport.get());
        let overscan = if scrolled.get() { OVERSCAN } else { 0 };
        keys.with(|k| visible_slots(k, top, height, overscan, pinned))
    });
    let on_scroll = move |ev: ev::Event| {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            scroll_top.set(el.scroll_top() as f64);
            viewport.set(el.client_height() as f64);
            if !scrolled.get_untracked() {
                scrolled.set(true);
            }
        }
    };
    view! {
        <div class="cards-scroll" on:scroll=on_scroll>
            <Show
                when=move || is_virtual.get()
                fallback=move || {
                    view! {
                        <ol class="cards">
                            <For each=move || keys.get() key=|k| *k let(key)>
                                <Show when=move || lands_before.get() == Some(Some(key.entry))>
                                    <li class="placeholder" aria-hidden="true"></li>
                                </Show>
                                <Card key window=None />
                            </For>
                            <Show when=move || lands_before.get() == Some(None)>
                                <li class="placeholder" aria-hidden="true"></li>
                            </Show>
                        </ol>
                    }
                }
            >
                <ol
                    class="cards virtual"
                    style:height=move || px(keys.with(Vec::len) as f64 * ROW_PX)
                >
                    <For each=move || window.get() key=|place| place.key let(place)>
                        <Card key=place.key window=Some(window) />
                    </For>
                </ol>
            </Show>
        </div>
    }
}

/// How tall a column's list is expected to be before it is measured: the window's height
/// less the toolbar, the summary and the column's header.
fn column_height() -> f64 {
    let inner = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(900.0);
    (inner - 240.0).max(ROW_PX)
}

/// Lanes whose cards are drawn at once when the board is grouped (the top one, in view); the
/// others follow, one a frame.
const FIRST_LANES: usize = 1;

/// The most a lane's column shows before it scrolls (style/planning.css: 30rem).
const LANE_CELL_PX: f64 = 480.0;

/// A lane's columns with more cards than this render only what is in view: a lane's column
/// shows about four cards before it scrolls.
const LANE_VIRTUALIZE_ABOVE: usize = 8;

/// Columns with more cards than this render only what is in view.
const VIRTUALIZE_ABOVE: usize = 60;
/// The height of one card in a long column, gap included; style/main.css sizes cards to fit.
pub const ROW_PX: f64 = 132.0;

/// A CSS length in whole pixels: a fraction of a pixel is never seen, and a whole number
/// makes a short style string.
fn px(value: f64) -> String {
    format!("{}px", value.round() as i64)
}

/// Cards rendered beyond each edge of the view, so fast scrolling shows no gaps.
const OVERSCAN: usize = 6;

/// A card of a long column with its place in the column, for positioning and for screen
/// readers (`aria-posinset` of `aria-setsize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub key: CardKey,
    pub index: usize,
    pub total: usize,
}

/// The slots to render for a column scrolled to `top` with `height` in view: those in view
/// plus the pinned entries (the focused card keeps focus, the dragged card keeps its pointer).
fn visible_slots(
    keys: &[CardKey],
    top: f64,
    height: f64,
    overscan: usize,
    pinned: [Option<EntryIndex>; 2],
) -> Vec<Slot> {
    let total = keys.len();
    let first = ((top / ROW_PX).floor() as usize)
        .saturating_sub(overscan)
        .min(total);
    let last = (((top + height) / ROW_PX).ceil() as usize + overscan).min(total);
    let mut slots: Vec<Slot> = keys[first..last]
        .iter()
        .enumerate()
        .map(|(i, key)| Slot {
            key: *key,
            index: first + i,
            total,
        })
        .collect();
    for entry in pinned.into_iter().flatten() {
        if let Some(index) = keys.iter().position(|k| k.entry == entry)
            && !(first..last).contains(&index)
        {
            slots.push(Slot {
                key: keys[index],
                index,
                total,
            });
        }
    }
    slots
}

#[component]
fn Card(key: CardKey, window: Option<Memo<Vec<Slot>>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let entry = key.entry;
    // The card is rendered for the open board, so it names itself with that board: whatever
    // it starts (a drag, a menu, the override dialog) cannot act on another board's card.
    let data = state.with_board(|b| {
        b.and_then(|b| {
            Some((
                b.card(entry)?.clone(),
                b.entry(entry)?.is_duplicate(),
                b.card_ref(entry),
            ))
        })
    });
    let Some((card, duplicate, card_ref)) = data else {
        return ().into_any();
    };
    let conflicted = state.with_board(|b| b.is_some_and(|b| !b.conflicts(entry).is_empty()));
    let link = use_context::<super::link::Link>();
    let paths: Vec<String> = card.tests.iter().chain(&card.code).cloned().collect();
    // Paths the linked project folder does not have; watched, as the folder is read later.
    let missing = move || {
        let link = link?;
        let gone: Vec<&String> = paths.iter().filter(|p| link.is_missing(p)).collect();
        (!gone.is_empty()).then(|| {
            let title = gone
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            view! { <span class="chip warn" title=title>"missing on disk"</span> }
        })
    };
    // The card's name comes from its content (id first), so what is read is what is seen.
    // In a long column the card's place is looked up in the window, not baked into its key,
    // so a move shifts the cards below it instead of rendering them anew.
    let place = move || window.and_then(|w| w.with(|w| w.iter().find(|s| s.key == key).copied()));

    let dragging = move || state.dragged.get() == Some(card_ref);
    let lifted = move || {
        state.dragged.get() == Some(card_ref)
            && state
                .drag
                .with_untracked(|d| d.as_ref().is_some_and(|d| d.keyboard))
    };
    let gaps = card.gaps();
    // Its test results, read once per drawing: a new report redraws every card.
    let results = state.evidence.with_value(|e| {
        let tally = e.tally(entry);
        tally.describe().map(|text| (text, tally.failed > 0))
    });
    let priority = card.priority.clone();
    let stage = card.stage;
    let id = card.id.to_string();
    view! {
        <li
            class="card-slot"
            style:top=move || place().map(|s| px(s.index as f64 * ROW_PX))
            aria-posinset=move || place().map(|s| s.index + 1)
            aria-setsize=move || place().map(|s| s.total)
        >
            <div
                class="card"
                class:dragging=move || dragging() && !lifted()
                class:lifted=lifted
                class:deprecated=card.deprecated
                id=format!("card-{entry}")
                data-entry=entry
                tabindex="0"
                role="button"
                aria-roledescription="draggable card"
                aria-describedby="card-help"
                aria-pressed=move || lifted().to_string()
                on:pointerdown=move |ev| on_pointer_down(state, card_ref, ev)
                on:touchmove=on_touch_move
                on:keydown=move |ev| on_card_key(state, card_ref, ev)
                on:focus=move |_| state.focused.set(Some(card_ref))
                on:blur=move |ev| on_card_blur(state, card_ref, ev)
            >
                <div class="card-head">
                    <span class="card-id">{card.id.to_string()}</span>
                    {priority.map(|p| {
                        let class = format!("priority priority-{}", p.to_ascii_lowercase());
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
                    // The word the stage was read from, as the file writes it; a word the board
                    // does not know is marked as such, never guessed at.
                    {card.status.clone().map(|word| view! {
                        <span class="chip status" class:warn=card.unknown_status>{word}</span>
                    })}
                    {card.inferred.clone().map(|why| view! { <span class="chip inferred" title=why>"inferred"</span> })}

                    {duplicate.then(|| view! { <span class="chip warn" title="Another requirement has the same id">"duplicate id"</span> })}
                    {card.deprecated.then(|| view! { <span class="chip">"deprecated"</span> })}
                    {gaps.into_iter().map(|gap| view! { <span class="chip warn">{gap}</span> }).collect_view()}
                    {results.map(|(text, failed)| view! { <span class="chip results" class:warn=failed>{text}</span> })}
                    {missing}
                </div>
            </div>
            {conflicted.then(|| view! {
                <button
                    type="button"
                    class="conflict-button"
                    aria-label=format!("Conflict on {id}: choose")
                    on:click=move |_| state.conflict_for.set(Some(card_ref))
                >
                    "Conflict"
                </button>
            })}
            <MoveMenu card=card_ref stage id />
        </li>
    }
    .into_any()
}

/// The "Move to…" menu of a card: every other column, for people who do not drag.
#[component]
fn MoveMenu(card: CardRef, stage: Stage, id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let entry = card.entry;
    let open = move || state.move_menu.get() == Some(card);
    let menu_id = format!("move-menu-{entry}");
    let button_id = format!("move-button-{entry}");
    // Items are focused at once when the menu is open (the next key may come before the
    // next frame), and on the next frame when it is just opening.
    let focus_item = move |index: usize| {
        let focus = move || {
            let items =
                document().query_selector_all(&format!("#move-menu-{entry} [role=menuitem]"));
            match items.ok().and_then(|l| l.get(index as u32)) {
                Some(item) => {
                    let _ = item.unchecked_into::<web_sys::HtmlElement>().focus();
                    true
                }
                None => false,
            }
        };
        if !focus() {
            request_animation_frame(move || {
                focus();
            });
        }
    };
    let close = move |refocus: bool| {
        state.move_menu.set(None);
        if refocus {
            focus_element(&format!("move-button-{entry}"));
        }
    };
    let targets: Vec<Stage> = Stage::ALL.into_iter().filter(|s| *s != stage).collect();
    let count = targets.len();
    view! {
        <button
            type="button"
            class="move-button"
            id=button_id.clone()
            aria-label=format!("Move {id} to…")
            aria-haspopup="menu"
            aria-expanded=move || open().to_string()
            aria-controls=menu_id.clone()
            on:click=move |_| {
                if open() {
                    close(false);
                } else {
                    state.move_menu.set(Some(card));
                    focus_item(0);
                }
            }
        >
            "⋯"
        </button>
        <Show when=open>
            <ul
                class="menu"
                role="menu"
                id=menu_id.clone()
                aria-labelledby=button_id.clone()
                on:keydown=move |ev: ev::KeyboardEvent| {
                    let current = document()
                        .active_element()
                        .and_then(|el| el.get_attribute("data-index"))
                        .and_then(|i| i.parse::<usize>().ok())
                        .unwrap_or(0);
                    match ev.key().as_str() {
                        "ArrowDown" => focus_item((current + 1) % count),
                        "ArrowUp" => focus_item((current + count - 1) % count),
                        "Home" => focus_item(0),
                        "End" => focus_item(count - 1),
                        "Escape" => {
                            ev.stop_propagation();
                            close(true);
                        }
                        "Tab" => close(false),
                        _ => return,
                    }
                    if ev.key() != "Tab" {
                        ev.prevent_default();
                    }
                }
            >
                {targets
                    .iter()
                    .enumerate()
                    .map(|(index, to)| {
                        let to = *to;
                        view! {
                            <li role="none">
                                <button
                                    type="button"
                                    role="menuitem"
                                    tabindex="-1"
                                    data-index=index
                                    on:click=move |_| {
                                        state.move_menu.set(None);
                                        state.request_move(card, to);
                                        focus_card(state, card);
                                    }
                                >
                                    {to.title()}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Show>
    }
}

/// The card under the pointer while dragging: it follows the pointer with a lifted look.
#[component]
fn DragGhost() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The ghost is built once per drag; a pointer move only changes its transform, so
    // dragging costs one style write per frame whatever the size of the board.
    let pointer_drag = Memo::new(move |_| {
        state
            .drag
            .with(|d| d.filter(|d| !d.keyboard).map(|d| d.card))
    });
    let transform = move || {
        state.drag.with(|d| match d {
            Some(d) => format!(
                "translate({}, {}) rotate(2deg)",
                px(d.x - d.grab.0),
                px(d.y - d.grab.1)
            ),
            None => String::new(),
        })
    };
    let width = move || {
        state
            .drag
            .with(|d| d.map(|d| px(d.width)).unwrap_or_default())
    };
    move || {
        let entry = state.entry_of(pointer_drag.get()?)?;
        let card = state.with_board(|b| b.and_then(|b| b.card(entry).cloned()))?;
        Some(view! {
            <div class="card ghost" aria-hidden="true" style:transform=transform style:width=width>
                <div class="card-head"><span class="card-id">{card.id.to_string()}</span></div>
                <p class="card-text">{card.text}</p>
            </div>
        })
    }
}

/// Opens `dialog` as a modal, which makes the page behind it inert (no click, focus or
/// shortcut reaches the board), or closes it, to match `open`.
pub(crate) fn sync_modal(dialog: NodeRef<leptos::html::Dialog>, open: bool) {
    let Some(dialog) = dialog.get() else {
        return;
    };
    if open && !dialog.open() {
        let _ = dialog.show_modal();
    } else if !open && dialog.open() {
        dialog.close();
    }
}

/// Asks for a reason when a move breaks a TDD gate; the reason goes into the history.
#[component]
fn OverrideDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let reason = RwSignal::new(String::new());
    // Why confirming failed, shown inside the dialog: the page behind a modal is inert and out
    // of view, so a notice there would go unseen while the dialog waits.
    let error = RwSignal::new(None::<String>);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let open = state.pending_override.with(Option::is_some);
        if open {
            reason.set(String::new());
            error.set(None);
        }
        sync_modal(dialog, open);
    });
    let close = move || {
        let card = state.pending_override.get_untracked().map(|p| p.card);
        state.pending_override.set(None);
        if let Some(card) = card {
            focus_card(state, card);
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
        // A card whose board was replaced is never moved; its dialog just closes.
        match state.override_move(&pending, text) {
            Ok(()) => close(),
            Err(_) if state.entry_of(pending.card).is_none() => close(),
            // The page behind the modal is inert and out of sight: the reason shows here.
            Err(why) => error.set(Some(why)),
        }
    };
    view! {
        // Escape closes a modal dialog natively (its `cancel`, then `close`); `close` then
        // brings the state along and puts focus back on the card.
        <dialog
            class="dialog"
            node_ref=dialog
            aria-labelledby="override-title"
            aria-describedby="override-why"
            on:close=move |_| {
                if state.pending_override.with_untracked(Option::is_some) {
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
                autofocus
                rows="3"
                prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev))
            ></textarea>
            {move || error.get().map(|why| view! { <p class="dialog-error" role="alert">{why}</p> })}
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
        </dialog>
    }
}

/// JSON laid out on lines by the browser's own `JSON.stringify`, so the page carries no
/// pretty printer of its own; text that is not JSON is shown as it is.
pub(crate) fn pretty(json: String) -> String {
    js_sys::JSON::parse(&json)
        .ok()
        .and_then(|v| {
            js_sys::JSON::stringify_with_replacer_and_space(
                &v,
                &wasm_bindgen::JsValue::NULL,
                &wasm_bindgen::JsValue::from(2),
            )
            .ok()
        })
        .map_or(json, String::from)
}

/// Settles a conflict between the board and its file, one requirement at a time: the keys
/// both changed, with both values, and the three ways out. Each is one undoable change.
#[component]
pub fn ConflictDialog() -> impl IntoView {
    use traceboard_core::board::Resolution;
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let open = state.conflict_for.with(Option::is_some);
        sync_modal(dialog, open);
    });
    let close = move || {
        let card = state.conflict_for.get_untracked();
        state.conflict_for.set(None);
        if let Some(card) = card {
            focus_card(state, card);
        }
    };
    // The card's id and its conflicts, as (key, mine, the file's).
    let details = move || {
        let card = state.conflict_for.get()?;
        let entry = state.entry_of(card)?;
        state.with_board(|b| {
            let b = b?;
            let id = b.card(entry)?.id.to_string();
            let rows: Vec<(String, String, String)> = b
                .conflicts(entry)
                .iter()
                .map(|c| {
                    let key = if c.key.is_empty() {
                        "the whole requirement".to_owned()
                    } else {
                        c.key.clone()
                    };
                    (key, pretty(c.ours_shown()), pretty(c.theirs_shown()))
                })
                .collect();
            // Which side removed the whole requirement, if one did.
            let whole = b.conflicts(entry).iter().find(|c| c.path.is_empty());
            let removed = match whole {
                Some(c) if c.theirs.is_none() => 1,
                Some(c) if c.ours.is_none() => 2,
                _ => 0,
            };
            Some((id, rows, removed))
        })
    };
    let histories = move || {
        details().is_some_and(|(_, rows, _)| rows.iter().any(|(k, _, _)| k == "tdd_history"))
    };
    // One side removed the requirement: taking that side removes it from the board too.
    let removed = move || details().map_or(0, |(_, _, removed)| removed);
    let resolve = move |how: Resolution| {
        let Some(card) = state.conflict_for.get_untracked() else {
            return;
        };
        if let Some(entry) = state.entry_of(card) {
            state.dispatch(traceboard_core::workspace::Action::Resolve { entry, how });
        }
        close();
    };
    view! {
        <dialog
            class="dialog conflict-dialog"
            node_ref=dialog
            aria-labelledby="conflict-title"
            on:close=move |_| {
                if state.conflict_for.with_untracked(Option::is_some) {
                    close();
                }
            }
        >
            {move || details().map(|(id, rows, _)| view! {
                <h2 id="conflict-title">{format!("Conflict in {id}")}</h2>
                <p>"The file on disk and the board changed the same place. The board shows yours until you choose; nothing is saved meanwhile."</p>
                <table class="conflict-table">
                    <thead>
                        <tr><th scope="col">"Key"</th><th scope="col">"Yours"</th><th scope="col">"The file's"</th></tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|(key, mine, theirs)| view! {
                            <tr>
                                <th scope="row"><code>{key}</code></th>
                                <td><pre>{mine}</pre></td>
                                <td><pre>{theirs}</pre></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <p hidden=move || removed() != 1>
                "The file removed this requirement while the board changed it: keep yours, or take the file's and remove it from the board too."
            </p>
            <p hidden=move || removed() != 2>
                "You deleted this requirement while the file changed it: keep yours to delete it, or take the file's to keep it."
            </p>
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| close()>"Close"</button>
                <button type="button" hidden=move || !histories() on:click=move |_| resolve(Resolution::BothHistories)>
                    "Keep both histories"
                </button>
                <button type="button" on:click=move |_| resolve(Resolution::TakeTheirs)>"Take the file's"</button>
                <button type="button" class="primary" on:click=move |_| resolve(Resolution::KeepMine)>"Keep mine"</button>
            </div>
        </dialog>
    }
}

/// Puts keyboard focus on a card once it is rendered (after a move re-creates it).
/// The card stays pinned (rendered) in a long column, so focus can land on it. A card of a
/// board that is no longer open is not focused: its id would name another board's card.
pub fn focus_card(state: AppState, card: CardRef) {
    let Some(entry) = state.entry_of(card) else {
        return;
    };
    state.focused.set(Some(card));
    focus_element(&format!("card-{entry}"));
}

/// Focuses a card now when it is rendered, else once it is: for walking a column with the
/// arrow keys, where the next key may come before the next frame.
pub fn focus_card_soon(state: AppState, card: CardRef) {
    let Some(entry) = state.entry_of(card) else {
        return;
    };
    state.focused.set(Some(card));
    match document().get_element_by_id(&format!("card-{entry}")) {
        Some(el) => {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
        None => focus_card(state, card),
    }
}

/// The card that has focus, or whose "Move to…" button has it (`true`), as its entry on the
/// open board. When focus has fallen to the page, the card that last had it.
pub fn focused_place(state: AppState) -> Option<(EntryIndex, bool)> {
    let active = document().active_element();
    let id = active.as_ref().map(|el| el.id()).unwrap_or_default();
    let entry = |prefix: &str| id.strip_prefix(prefix)?.parse::<EntryIndex>().ok();
    if let Some(entry) = entry("card-") {
        return Some((entry, false));
    }
    if let Some(entry) = entry("move-button-") {
        return Some((entry, true));
    }
    let on_page = active.is_none_or(|el| Some(el) == document().body().map(Into::into));
    let card = state.focused.get_untracked().filter(|_| on_page)?;
    Some((state.entry_of(card)?, false))
}

/// Focuses a card of the open board, or its "Move to…" button, once it is rendered.
pub fn focus_place(state: AppState, entry: EntryIndex, button: bool) {
    match state.card_ref(entry) {
        Some(card) if !button => focus_card(state, card),
        Some(_) => focus_element(&format!("move-button-{entry}")),
        None => {}
    }
}

/// Focuses an element by id after the next render.
fn focus_element(id: &str) {
    focus_within_frames(id.to_owned(), 6);
}

/// Focuses the element with `id` on the next frame, and checks again on the frames after:
/// a re-rendered card may replace the element that had the id, so focus is only settled once
/// it holds on the element that is still in the page.
fn focus_within_frames(id: String, frames_left: u8) {
    request_animation_frame(move || {
        let element = document().get_element_by_id(&id);
        let settled = element.as_ref().is_some_and(|el| {
            document().active_element().as_ref() == Some(el) && el.is_connected()
        });
        if settled {
            return;
        }
        if let Some(el) = element.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
        if frames_left > 0 {
            focus_within_frames(id, frames_left - 1);
        }
    });
}

/// The keyboard shortcuts, opened with "?" and closed with "?", Escape, Close or a click
/// beside the dialog.
#[component]
pub fn ShortcutsDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| sync_modal(dialog, state.shortcuts_open.get()));
    let rows = [
        ("Tab", "Go to the next card or control"),
        ("Enter or a click", "Open the focused card's details"),
        (
            "Space",
            "Pick up the focused card; Space or Enter to drop it",
        ),
        (
            "Up / Down",
            "Go to the card above or below, on into the next lane",
        ),
        (
            "Left / Right",
            "Go to the card in the previous or next column; with a card picked up, choose its column",
        ),
        ("Escape", "Cancel a move (the card goes back)"),
        ("⋯ button on a card", "Move to… a column from a menu"),
        ("Ctrl+Z (⌘Z)", "Undo"),
        ("Ctrl+Shift+Z or Ctrl+Y (⌘⇧Z)", "Redo"),
        ("?", "Show or hide these shortcuts"),
    ];
    view! {
        <dialog
            class="dialog"
            node_ref=dialog
            aria-labelledby="shortcuts-title"
            on:close=move |_| state.shortcuts_open.set(false)
            on:keydown=move |ev: ev::KeyboardEvent| {
                // The page's shortcuts do not reach under a modal, so "?" closes it here, and
                // goes no further: the page would open it again.
                if ev.key() == "?" {
                    ev.stop_propagation();
                    state.shortcuts_open.set(false);
                }
            }
            on:click=move |ev: ev::MouseEvent| {
                // A click on the backdrop is a click on the dialog itself, outside its box.
                let Some(dialog) = dialog.get_untracked() else {
                    return;
                };
                let r = dialog.get_bounding_client_rect();
                let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
                if x < r.left() || x > r.right() || y < r.top() || y > r.bottom() {
                    state.shortcuts_open.set(false);
                }
            }
        >
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <dl class="shortcuts">
                {rows.iter().map(|(k, v)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*v}</dd> }).collect_view()}
            </dl>
            <div class="dialog-buttons">
                <button type="button" autofocus on:click=move |_| state.shortcuts_open.set(false)>
                    "Close"
                </button>
            </div>
        </dialog>
    }
}
