//! Planning the board: the filters beside the search (a menu of facets, the active ones as
//! removable chips, "Clear filters"), "Group by" and "Sort", each column's menu with its work
//! in progress limit, and the filters kept in the address (`ui::fragment`).
//!
//! The rules (what a facet matches, the lanes, the sorts, the limits) are the core's
//! (`traceboard_core::columns`); this module only turns controls into calls on `AppState`.

use leptos::ev;
use leptos::prelude::*;

use crate::ui::icons::{self, Icon};
use crate::ui::state::AppState;
use traceboard_core::board::Board;
use traceboard_core::columns::{CardFilter, Facet, GroupBy, SortBy, values};
use traceboard_core::stage::Stage;
use traceboard_core::workspace::Action;

/// The facets the filter menu offers; whose turn is the toolbar's "Whose turn".
const MENU_FACETS: [Facet; 8] = [
    Facet::Priority,
    Facet::Kind,
    Facet::Risk,
    Facet::Story,
    Facet::Owner,
    Facet::Health,
    Facet::Inferred,
    Facet::Results,
];

/// The keys of the address the filters own.
fn fragment_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Facet::ALL.iter().map(|f| f.key()).collect();
    keys.push("q");
    keys
}

/// Reads the filters and the search from the address: at start-up, and when the person
/// changes the address or follows a link to the board.
fn read_fragment(state: AppState) {
    let pairs: Vec<(&'static str, String)> = Facet::ALL
        .iter()
        .flat_map(|f| {
            super::fragment::get_all(f.key())
                .into_iter()
                .map(move |v| (f.key(), v))
        })
        .collect();
    let mut facets = CardFilter::facets_from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    let turn = facets
        .iter()
        .position(|(f, _)| *f == Facet::Turn)
        .map(|at| facets.remove(at).1);
    facets.retain(|(f, _)| *f != Facet::Turn);
    let search = super::fragment::get("q").unwrap_or_default();
    if state.turn_filter.get_untracked() != turn {
        state.turn_filter.set(turn);
    }
    if state.search.get_untracked() != search {
        state.search.set(search);
    }
    state.facets.set(facets);
    state.refresh_columns();
}

/// Keeps the filters and the address in step, both ways.
pub fn follow_fragment(state: AppState) {
    read_fragment(state);
    let on_hash = window_event_listener(ev::hashchange, move |_| read_fragment(state));
    on_cleanup(move || on_hash.remove());
    Effect::new(move |_| {
        let mut filter = CardFilter {
            facets: state.facets.get(),
            ..CardFilter::default()
        };
        if let Some(agent) = state.turn_filter.get() {
            filter.add(Facet::Turn, &agent);
        }
        let mut pairs = filter.to_pairs();
        let search = state.search.get();
        if !search.trim().is_empty() {
            pairs.push(("q", search));
        }
        super::fragment::replace(&fragment_keys(), &pairs);
    });
}

/// "Filters": a menu beside the search with a select per facet, each offering the values
/// the board's cards have and how many have each.
#[component]
pub fn FilterMenu() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The values are counted only while the menu is open.
    let open = RwSignal::new(false);
    let active =
        move || state.facets.with(Vec::len) + usize::from(state.turn_filter.with(Option::is_some));
    let facet_select = move |facet: Facet| {
        // Counted once per change of the board while the menu is open, not per choice.
        let options = Memo::new(move |_| {
            if !open.get() {
                return Vec::new();
            }
            state.revision.track();
            state.results_revision.track();
            state.with_board(|b| {
                b.map(|b| state.evidence.with_value(|e| values(b, e, facet)))
                    .unwrap_or_default()
            })
        });
        let chosen = move |value: &str| {
            state
                .facets
                .with(|f| f.iter().any(|(g, v)| *g == facet && v == value))
        };
        let label = facet.title();
        view! {
            // A facet whose cards all have one value (or none) filters nothing: not offered.
            <Show when=move || options.with(|o| o.len() > 1)>
                <label class="facet">
                    <span>{label}</span>
                    <select aria-label=format!("{label} filter") on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if value.is_empty() {
                            return;
                        }
                        let mut filter = CardFilter {
                            facets: state.facets.get_untracked(),
                            ..CardFilter::default()
                        };
                        filter.add(facet, &value);
                        state.set_facets(filter.facets);
                        // The select goes back to its prompt: the choice is now a chip.
                        let select: web_sys::HtmlSelectElement =
                            leptos::wasm_bindgen::JsCast::unchecked_into(event_target::<web_sys::Element>(&ev));
                        select.set_value("");
                    }>
                        <option value="" selected>{"Add…"}</option>
                        {move || {
                            options
                                .get()
                                .into_iter()
                                .map(|(value, n)| {
                                    let text = facet.describe(&value);
                                    let text = text.split_once(": ").map_or(text.clone(), |(_, v)| v.to_owned());
                                    // Only these follow the chosen filters: a choice does not
                                    // rebuild the menu.
                                    let is = {
                                        let value = value.clone();
                                        move || chosen(&value)
                                    };
                                    let label = {
                                        let is = is.clone();
                                        move || format!("{}{text} ({n})", if is() { "✓ " } else { "" })
                                    };
                                    view! {
                                        <option value=value disabled=is>{label}</option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
        }
    };
    view! {
        <div class="filter-menu">
            <button
                type="button"
                class="filters-button"
                popovertarget="filter-popover"
                disabled=move || !state.board_open.get()
            >
                <Icon path=icons::FILTER />
                "Filters"
                <span class="badge" hidden=move || active() == 0>
                    {move || active().to_string()}
                    <span class="visually-hidden">" active"</span>
                </span>
            </button>
            <div
                id="filter-popover"
                class="popover filter-popover"
                popover="auto"
                role="group"
                aria-label="Filters"
                on:toggle=move |ev: ev::Event| {
                    let el: web_sys::HtmlElement =
                        leptos::wasm_bindgen::JsCast::unchecked_into(event_target::<web_sys::Element>(&ev));
                    open.set(el.matches(":popover-open").unwrap_or(false));
                }
            >
                <p class="muted">"Cards must match every filter; two values of one filter show either."</p>
                {MENU_FACETS.into_iter().map(facet_select).collect_view()}
            </div>
        </div>
    }
}

/// Above the board: the active filters as chips, "Clear filters", and "Group by" and "Sort".
#[component]
pub fn FilterBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let chips = move || {
        let mut chips: Vec<(String, Option<(Facet, String)>)> = state.facets.with(|f| {
            f.iter()
                .map(|(facet, value)| (facet.describe(value), Some((*facet, value.clone()))))
                .collect()
        });
        if let Some(agent) = state.turn_filter.get() {
            chips.push((Facet::Turn.describe(&agent), None));
        }
        chips
    };
    let remove = move |chip: Option<(Facet, String)>| match chip {
        Some(chip) => {
            let mut facets = state.facets.get_untracked();
            facets.retain(|f| *f != chip);
            state.set_facets(facets);
        }
        None => {
            state.turn_filter.set(None);
            state.refresh_columns();
        }
    };
    let filtering = move || state.is_filtering();
    let clear = move |_| {
        state.turn_filter.set(None);
        state.search.set(String::new());
        state.facets.set(Vec::new());
        state.refresh_columns();
    };
    let shown = move || {
        let shown: usize = state.lanes.with(|l| {
            l.iter()
                .map(|l| l.columns.iter().map(Vec::len).sum::<usize>())
                .sum()
        });
        let total: usize = state.totals.with(|t| t.iter().sum());
        format!("{shown} of {total} cards shown")
    };
    view! {
        <div class="filter-bar">
            <div class="chips" role="group" aria-label="Active filters" hidden=move || !filtering()>
                <For each=chips key=|(text, chip)| (text.clone(), chip.clone()) let((text, chip))>
                    <button
                        type="button"
                        class="filter-chip"
                        aria-label=format!("Remove filter {text}")
                        on:click=move |_| remove(chip.clone())
                    >
                        {text.clone()}
                        <span aria-hidden="true">" ×"</span>
                    </button>
                </For>
                <span class="muted shown-count">{shown}</span>
                <button type="button" class="link" on:click=clear>"Clear filters"</button>
            </div>
            <div class="layout-controls">
                <label class="select">
                    "Group by "
                    <select aria-label="Group by" on:change=move |ev| {
                        let group = GroupBy::parse(&event_target_value(&ev)).unwrap_or_default();
                        state.set_layout(|l| l.group = group);
                    }>
                        {GroupBy::ALL.into_iter().map(|g| view! {
                            <option value=g.key() selected=move || state.layout.with(|l| l.group == g)>{g.title()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="select">
                    "Sort "
                    <select aria-label="Sort" on:change=move |ev| {
                        let sort = SortBy::parse(&event_target_value(&ev)).unwrap_or_default();
                        state.set_layout(|l| l.sort = sort);
                    }>
                        {SortBy::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=move || state.layout.with(|l| l.sort == s)>{s.title()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
        </div>
    }
}

/// A column's menu: its work in progress limit.
#[component]
pub fn ColumnMenu(stage: Stage) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i = stage.index();
    let id = format!("column-menu-{}", stage.key());
    let field_id = format!("wip-{}", stage.key());
    let error = RwSignal::new(None::<String>);
    let current = move || {
        state
            .layout
            .with(|l| l.wip_limits[i].map(|n| n.to_string()).unwrap_or_default())
    };
    let on_change = move |ev: ev::Event| {
        let text = event_target_value(&ev);
        let text = text.trim();
        let limit = if text.is_empty() {
            None
        } else {
            match text.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    error.set(Some(format!(
                        "“{text}” is not a whole number of 1 or more; the limit stays as it was."
                    )));
                    return;
                }
            }
        };
        error.set(None);
        state.set_layout(|l| l.wip_limits[i] = limit);
    };
    // Whether the file has a `meta` object to keep the limits in, and the limits it keeps:
    // read while the menu is open (it reads the file's text).
    let open = RwSignal::new(false);
    let in_file = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        state.revision.track();
        Some(state.with_board(|b| b.and_then(Board::file_limits)))
    });
    let limits = move || state.layout.with(|l| l.wip_limits);
    let save_in_file = move |_| {
        let limits = state.layout.with_untracked(|l| l.wip_limits);
        if let Err(why) = state.try_apply(Action::SetFileLimits(limits)) {
            error.set(Some(why));
        }
    };
    let anchor = format!("--column-menu-{}", stage.key());
    view! {
        <button
            type="button"
            class="icon-button column-menu-button"
            popovertarget=id.clone()
            aria-label=format!("{} column menu", stage.title())
            title="Column menu"
            style=format!("anchor-name: {anchor}")
        >
            <span aria-hidden="true">"⋮"</span>
        </button>
        <div
            id=id
            class="popover column-menu"
            popover="auto"
            role="group"
            aria-label=format!("{} column", stage.title())
            style=format!("position-anchor: {anchor}")
            on:toggle=move |ev: ev::Event| {
                let el: web_sys::HtmlElement =
                    leptos::wasm_bindgen::JsCast::unchecked_into(event_target::<web_sys::Element>(&ev));
                open.set(el.matches(":popover-open").unwrap_or(false));
            }
        >
            <label for=field_id.clone()>"WIP limit"</label>
            <input
                id=field_id
                type="number"
                min="1"
                step="1"
                inputmode="numeric"
                placeholder="No limit"
                prop:value=current
                on:change=on_change
            />
            <p class="muted">{format!("How many cards {} should hold at most. Empty: no limit. Going over it warns; it never refuses a move.", stage.title())}</p>
            {move || error.get().map(|e| view! { <p class="dialog-error" role="alert">{e}</p> })}
            // Only a file with a `meta` object can keep them, and only when asked.
            {move || match in_file.get() {
                None => None,
                Some(None) => Some(view! {
                    <p class="muted">"This file has no \"meta\" object, so its limits stay with the board."</p>
                }.into_any()),
                Some(Some(kept)) => Some({
                let same = kept == limits();
                view! {
                    <button type="button" disabled=same on:click=save_in_file>
                        "Save limits in the file"
                    </button>
                    <p class="muted">
                        {if same {
                            "The file's meta.wip_limits holds these limits."
                        } else {
                            "Writes every column's limit into the file's meta.wip_limits with the next save."
                        }}
                    </p>
                }.into_any()
                }),
            }}
        </div>
    }
}
