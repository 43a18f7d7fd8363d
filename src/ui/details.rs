//! A requirement in full: the card's details dialog (read every link, edit the text, the
//! picked parts and the lists, deprecate, delete) and the "New requirement" dialog.
//!
//! The details follow a requirement by its id, not by its place on one board: a save, a change
//! from the file or an undo that swaps the board leaves them open on the same requirement, and
//! say so when it is gone. Every change is one `Action::Edit` (or `Create`, `Delete`) through
//! `AppState`, so undo and redo take each back on its own. Text boxes keep what is typed in
//! the page and hand it to the board when it is committed (on change, on Enter in a one-line
//! box, when the dialog closes), never on each keystroke, so typing stays instant on any board.
//!
//! The URL fragment names the open card (`#card=REQ-001`), so a reload or a shared link
//! opens it again.

use leptos::ev;
use leptos::prelude::*;
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;

use super::board::{focus_card, pretty, sync_modal};
use super::state::AppState;
use super::team::TurnChip;
use traceboard_core::board::{
    Edit, EntryIndex, ListItem, MoveError, NewRequirement, Part, history,
};
use traceboard_core::ears::Pattern;
use traceboard_core::requirement::Card;
use traceboard_core::stage::Stage;

/// What the details show of the requirement, read again after every change.
#[derive(Clone, PartialEq)]
struct Shown {
    entry: EntryIndex,
    card: Card,
    duplicate: bool,
    value: Map<String, Value>,
    conflicts: usize,
    /// The own items of each editable list part, and whether the part is editable at all.
    lists: Vec<(Part, bool, Vec<ListItem>)>,
    /// Each picked part: whether it can be written, its value, the words offered.
    picks: Vec<(Part, bool, Option<String>, Vec<String>)>,
    text_editable: bool,
    /// Its test results: the outcome, then the test, its first message line, how it matched.
    results: Vec<(String, String)>,
}

/// The card named by the fragment, `#card=REQ-001`.
fn fragment_card() -> Option<String> {
    super::fragment::get("card")
}

/// Names the open card in the URL, or takes the name away, without a new history entry.
fn set_fragment(id: Option<&str>) {
    let pairs: Vec<(&str, String)> = id.map(|id| ("card", id.to_owned())).into_iter().collect();
    super::fragment::replace(&["card"], &pairs);
}

impl AppState {
    /// Opens the details of the card at `entry` of the open board.
    pub fn open_details(&self, entry: EntryIndex) {
        let Some((id, origin)) =
            self.with_board(|b| b.and_then(|b| Some((b.card(entry)?.id.to_string(), b.origin()))))
        else {
            return;
        };
        set_fragment(Some(&id));
        self.details_for.set(Some((id, entry, origin)));
    }

    /// Opens "New requirement" for the open board.
    pub fn open_new_requirement(&self) {
        let origin = self.with_board(|b| b.map(|b| b.origin()));
        self.new_requirement.set(origin);
    }

    /// The entry the open details are about on the board open now: the same place when it
    /// still holds that id, else the first requirement with it.
    fn details_entry(&self) -> Option<EntryIndex> {
        let (id, hint, origin) = self.details_for.get()?;
        self.with_board(|b| {
            let b = b.filter(|b| b.origin() == origin)?;
            if b.card(hint).is_some_and(|c| c.id.as_str() == id) {
                Some(hint)
            } else {
                b.find(&id)
            }
        })
    }

    /// Makes one edit; the refusal, if any, to show where the person is looking.
    fn edit(&self, entry: EntryIndex, edit: Edit) -> Result<(), String> {
        self.try_apply(traceboard_core::workspace::Action::Edit { entry, edit })
    }
}

/// The details of one requirement, in a modal dialog named by its id.
#[component]
pub fn DetailsDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    // A reload, a shared link or a changed fragment opens the card it names.
    let hash_seen = RwSignal::new(0u32);
    let on_hash = window_event_listener(ev::hashchange, move |_| hash_seen.update(|n| *n += 1));
    on_cleanup(move || on_hash.remove());
    Effect::new(move |_| {
        hash_seen.track();
        if !state.board_open.get() {
            return;
        }
        let Some(id) = fragment_card() else { return };
        if state
            .details_for
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.0 == id))
        {
            return;
        }
        let entry = state.with_board(|b| b.and_then(|b| b.find(&id)));
        match entry {
            Some(entry) => state.open_details(entry),
            None => set_fragment(None),
        }
    });
    Effect::new(move |_| sync_modal(dialog, state.details_for.with(Option::is_some)));
    let shown = Memo::new(move |_| {
        state.revision.track();
        state.results_revision.track();
        let entry = state.details_entry()?;
        state.with_board(|b| {
            let b = b?;
            let card = b.card(entry)?.clone();
            let value = b.value(entry).unwrap_or_default();
            let lists = Part::LISTS
                .into_iter()
                .map(|p| (p, b.edit_key(entry, p).is_some(), b.list_items(entry, p)))
                .collect();
            let picks = Part::PICKED
                .into_iter()
                .map(|p| {
                    (
                        p,
                        b.edit_key(entry, p).is_some(),
                        b.part_value(entry, p),
                        b.choices(p),
                    )
                })
                .collect();
            let results = state.evidence.with_value(|e| {
                e.of(entry)
                    .map(|(case, m)| {
                        let outcome = match case.outcome {
                            traceboard_core::results::Outcome::Passed => "passed ",
                            traceboard_core::results::Outcome::Failed => "failed ",
                            traceboard_core::results::Outcome::Skipped => "skipped ",
                        };
                        let mut rest = if case.classname.is_empty() {
                            case.name.clone()
                        } else {
                            format!("{} › {}", case.classname, case.name)
                        };
                        if let Some(message) = &case.message {
                            rest.push_str(&format!(" — {message}"));
                        }
                        if m.by_name {
                            rest.push_str(" (matched by its id in the name)");
                        }
                        (outcome.to_owned(), rest)
                    })
                    .collect()
            });
            Some(Shown {
                results,
                entry,
                duplicate: b.entry(entry).is_some_and(|e| e.is_duplicate()),
                conflicts: b.conflicts(entry).len(),
                text_editable: !card.read_only && b.edit_key(entry, Part::Text).is_some(),
                card,
                value,
                lists,
                picks,
            })
        })
    });
    // The body is drawn anew only when the requirement's place changes, so what is being typed
    // and where focus is survive every edit.
    let place =
        Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| (s.entry, s.card.id.to_string()))));
    let error = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(false);
    // Closing hands what is typed to the board first, then puts focus back on the card.
    let close = move || {
        // What was typed goes to the board first; a box it refuses (a text emptied) keeps the
        // details open, saying why.
        if let Err(why) = commit_open_fields(state, dialog) {
            error.set(Some(why));
            return;
        }
        let entry = state.details_entry_untracked();
        state.details_typing.set(false);
        state.details_for.set(None);
        error.set(None);
        confirm_delete.set(false);
        set_fragment(None);
        if let Some(card) = entry.and_then(|e| state.card_ref(e)) {
            focus_card(state, card);
        }
    };
    let id = move || {
        state
            .details_for
            .with(|d| d.as_ref().map(|d| d.0.clone()).unwrap_or_default())
    };
    view! {
        <dialog
            class="dialog details-dialog"
            node_ref=dialog
            aria-labelledby="details-title"
            on:close=move |_| {
                if state.details_for.with_untracked(Option::is_some) {
                    close();
                }
            }
            on:cancel=move |ev: ev::Event| {
                // Escape: the dialog closes through `close`, which keeps what was typed.
                ev.prevent_default();
                close();
            }
        >
            <header class="details-head">
                <h2 id="details-title">
                    {id}
                    {move || shown.with(|s| s.as_ref().map(|s| view! {
                        <span class="chip stage-chip">{s.card.stage.title()}</span>
                    }))}
                </h2>
                <button type="button" class="icon-button" aria-label="Close details" on:click=move |_| close()>
                    "✕"
                </button>
            </header>
            {move || error.get().map(|why| view! { <p class="dialog-error" role="alert">{why}</p> })}
            {move || {
                match place.get() {
                    None if state.details_for.with(Option::is_none) => ().into_any(),
                    None => view! {
                        <p role="status">{format!("{} is no longer on the board.", id())}</p>
                    }.into_any(),
                    Some(_) => view! { <DetailsBody shown error confirm_delete /> }.into_any(),
                }
            }}
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| close()>"Close"</button>
            </div>
        </dialog>
    }
}

/// Hands every text box of the details whose value differs from the board to the board.
fn commit_open_fields(
    state: AppState,
    dialog: NodeRef<leptos::html::Dialog>,
) -> Result<(), String> {
    let Some(dialog) = dialog.get_untracked() else {
        return Ok(());
    };
    // Only the boxes a person typed in: a box shows its value as it reads (trimmed, an
    // object by its path), so handing back an untouched one could rewrite the file.
    let Ok(fields) = dialog.query_selector_all("[data-part][data-dirty]") else {
        return Ok(());
    };
    for i in 0..fields.length() {
        let Some(el) = fields
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let value = match el.clone().dyn_into::<web_sys::HtmlTextAreaElement>() {
            Ok(area) => area.value(),
            Err(el) => match el.dyn_into::<web_sys::HtmlInputElement>() {
                Ok(input) => input.value(),
                Err(_) => continue,
            },
        };
        let part = el.get_attribute("data-part").unwrap_or_default();
        let index = el.get_attribute("data-index");
        let Some(part) = part_named(&part) else {
            continue;
        };
        let Some(entry) = state.details_entry_untracked() else {
            return Ok(());
        };
        let edit = match index.as_deref() {
            Some("new") if !value.trim().is_empty() => Edit::Add {
                list: part,
                item: value,
            },
            Some("new") => continue,
            Some(i) => match i.parse() {
                Ok(index) => Edit::Replace {
                    list: part,
                    index,
                    item: value,
                },
                Err(_) => continue,
            },
            // A picked part emptied is taken away, as its own box does.
            None if part != Part::Text && value.trim().is_empty() => {
                Edit::Set { part, value: None }
            }
            None => Edit::Set {
                part,
                value: Some(value),
            },
        };
        match state.try_apply(traceboard_core::workspace::Action::Edit { entry, edit }) {
            // Unchanged fields are refused as "nothing changed", quietly.
            Err(why) if why != MoveError::NoChange.to_string() => return Err(why),
            _ => {}
        }
    }
    Ok(())
}

/// A person typed in a box of the details: it is marked, to be committed if the details
/// close first, and the board is not swapped under it meanwhile.
fn typing(state: AppState, ev: &ev::Event) {
    if let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let _ = el.set_attribute("data-dirty", "");
    }
    state.details_typing.set(true);
}

/// What was typed in a box went to the board.
fn committed(state: AppState, ev: &ev::Event) {
    if let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let _ = el.remove_attribute("data-dirty");
    }
    state.details_typing.set(false);
}

/// The part a `data-part` attribute names.
fn part_named(name: &str) -> Option<Part> {
    Part::LISTS
        .into_iter()
        .chain(Part::PICKED)
        .chain([Part::Text])
        .find(|p| p.label() == name)
}

impl AppState {
    fn details_entry_untracked(&self) -> Option<EntryIndex> {
        untrack(|| self.details_entry())
    }
}

/// Where a stage word of the history reads as its column's title.
fn stage_title(word: &str) -> String {
    Stage::parse(word).map_or_else(|| word.to_owned(), |s| s.title().to_owned())
}

/// An ISO time as "2026-11-29 18:04", or as written when it is not one.
fn shown_time(at: &str) -> String {
    match at.get(..16) {
        Some(head) if at.as_bytes().get(10) == Some(&b'T') => head.replacen('T', " ", 1),
        _ => at.to_owned(),
    }
}

#[component]
fn DetailsBody(
    shown: Memo<Option<Shown>>,
    error: RwSignal<Option<String>>,
    confirm_delete: RwSignal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let link = use_context::<super::link::Link>();
    let Some(first) = shown.get_untracked() else {
        return ().into_any();
    };
    let entry = first.entry;
    let report = move |result: Result<(), String>| match result {
        Ok(()) => error.set(None),
        Err(why) if why == "Nothing changed." => error.set(None),
        Err(why) => error.set(Some(why)),
    };
    let edit = move |edit: Edit| {
        // A test or code path added or changed is looked for in the project folder again.
        let paths = matches!(
            edit,
            Edit::Add {
                list: Part::Tests | Part::Code,
                ..
            } | Edit::Replace {
                list: Part::Tests | Part::Code,
                ..
            }
        );
        let result = state.edit(entry, edit);
        if paths
            && result.is_ok()
            && let Some(link) = link.filter(|l| l.has_folder())
        {
            link.find_missing(state);
        }
        report(result)
    };
    let text = move || shown.with(|s| s.as_ref().map(|s| s.card.text.clone()).unwrap_or_default());
    // What is typed, until it is committed.
    let draft = RwSignal::new(None::<String>);
    let typed = move || draft.get().unwrap_or_else(text);
    let pattern = move || match Pattern::of(&typed()) {
        Some(p) => format!("Follows the {} EARS pattern.", p.name()),
        None => "Follows no EARS pattern.".to_owned(),
    };
    let card = first.card.clone();
    let facts = move || {
        shown.with(|s| {
            let s = s.as_ref()?;
            let v = &s.value;
            let word = |key: &str| {
                v.get(key)
                    .and_then(traceboard_core::requirement::scalar_text)
            };
            let mut rows: Vec<(&'static str, String)> =
                vec![("Stage", s.card.stage.title().to_owned())];
            if let Some(status) = s.card.status.clone() {
                rows.push(("Status", status));
            }
            if let Some(g) = word("governance_status") {
                rows.push(("Governance status", g));
            }
            if let Some(by) = word("last_reviewed_by") {
                rows.push(("Last reviewed by", by));
            }
            if let Some(owner) = s.card.owner.clone() {
                rows.push(("Owner", owner));
            }
            rows.push((
                "Stage read",
                s.card.inferred.clone().map_or_else(
                    || "from tdd_stage".to_owned(),
                    |why| format!("inferred: {why}"),
                ),
            ));
            Some(pairs(
                "details-facts",
                rows.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            ))
        })
    };
    let warnings = move || {
        shown.with(|s| {
            let s = s.as_ref()?;
            let mut lines: Vec<String> = s
                .card
                .gaps()
                .into_iter()
                .map(|g| format!("Gap: {g}."))
                .collect();
            if s.duplicate {
                lines.push("Another requirement before it has the same id.".into());
            }
            if s.card.unknown_status {
                lines.push(
                    "Its status word is not one the board knows; it is kept as written.".into(),
                );
            }
            if s.card.history_not_a_list {
                lines.push("Its tdd_history is not a list, so moves cannot be recorded.".into());
            }
            if s.card.read_only {
                lines.push("A plain text in the file: shown, never changed.".into());
            }
            if s.conflicts > 0 {
                lines.push(format!(
                    "{} conflict(s) with the file wait for a choice on the card.",
                    s.conflicts
                ));
            }
            section("Warnings", "details-warnings", plain(lines))
        })
    };
    let steps = move || {
        shown.with(|s| {
            let steps = s.as_ref().map(|s| history(&s.value)).unwrap_or_default();
            let lines = steps
                .into_iter()
                .map(|step| {
                    let mut rest = shown_time(&step.at);
                    if !step.by.is_empty() {
                        rest.push_str(&format!(" · by {}", step.by));
                    }
                    if let Some(note) = step.note {
                        rest.push_str(&format!(" · {note}"));
                    }
                    let moved = format!("{} → {} ", stage_title(&step.from), stage_title(&step.to));
                    (moved, rest)
                })
                .collect();
            section("History", "timeline", lines).or_else(|| {
                Some(pairs(
                    "details-facts",
                    vec![("History".into(), "No moves recorded yet.".into())],
                ))
            })
        })
    };
    let others = move || {
        shown.with(|s| {
            let s = s.as_ref()?;
            let rows: Vec<(String, String)> = s
                .value
                .iter()
                .filter(|(key, _)| !is_shown_key(key))
                .map(|(key, value)| (key.clone(), pretty(value.to_string())))
                .collect();
            (!rows.is_empty()).then(|| {
                view! {
                    <details class="details-section">
                        <summary>{format!("Other keys ({})", rows.len())}</summary>
                        {pairs("details-json", rows)}
                    </details>
                }
                .into_any()
            })
        })
    };
    let linked = move || {
        shown.with(|s| {
            let s = s.as_ref()?;
            let own: Vec<&String> = s
                .lists
                .iter()
                .flat_map(|(_, _, items)| items.iter().map(|i| &i.text))
                .collect();
            let extra: Vec<String> = s
                .card
                .tests
                .iter()
                .chain(&s.card.code)
                .filter(|p| !own.contains(p))
                .cloned()
                .collect();
            section(
                "Linked from elsewhere in the file",
                "details-items mono",
                plain(extra),
            )
        })
    };
    let artefacts = move |key: &'static str| {
        move || {
            shown.with(|s| match s.as_ref()?.value.get(key) {
                Some(Value::Array(items)) => section(
                    key,
                    "details-items mono",
                    plain(
                        items
                            .iter()
                            .map(traceboard_core::board::item_text)
                            .collect(),
                    ),
                ),
                _ => None,
            })
        }
    };
    let deprecated = move || shown.with(|s| s.as_ref().is_some_and(|s| s.card.deprecated));
    let id = card.id.to_string();
    let delete_label = format!("Delete {id}");
    let delete = move || {
        let result = state.try_apply(traceboard_core::workspace::Action::Delete { entry });
        match result {
            Ok(()) => {
                state.details_typing.set(false);
                state.details_for.set(None);
                set_fragment(None);
                // Focus goes to the requirement that took its place in the file, or the one
                // before it when it was the last.
                let next = state.with_board(|b| {
                    b.and_then(|b| (entry < b.len()).then_some(entry).or(entry.checked_sub(1)))
                });
                if let Some(card) = next.and_then(|e| state.card_ref(e)) {
                    focus_card(state, card);
                }
            }
            Err(why) => error.set(Some(why)),
        }
    };
    let folder = link.is_some_and(|l| l.has_folder());
    view! {
        <div class="details-body">
            <section class="details-section">
                <label for="details-text">"Text"</label>
                <textarea
                    id="details-text"
                    data-part="Text"
                    on:blur=move |_| state.details_typing.set(false)
                    rows="4"
                    readonly=!first.text_editable
                    prop:value=typed
                    on:input=move |ev| {
                        typing(state, &ev);
                        draft.set(Some(event_target_value(&ev)));
                    }
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        committed(state, &ev);
                        draft.set(None);
                        edit(Edit::Set { part: Part::Text, value: Some(value) });
                    }
                ></textarea>
                <p class="muted" role="status">{pattern}</p>
            </section>
            <div class="details-columns">
                <section class="details-section">
                    <h3>"State"</h3>
                    {facts}
                    <div class="details-turn"><TurnChip stage=card.stage /></div>
                </section>
                <section class="details-section details-picks">
                    <h3>"Planning"</h3>
                    {first.picks.iter().cloned().map(|(part, editable, _, choices)| {
                        let field_id = format!("details-{}", part.label().replace(' ', "-").to_ascii_lowercase());
                        let current = move || shown.with(|s| s.as_ref().and_then(|s| s.picks.iter().find(|p| p.0 == part).and_then(|p| p.2.clone())));
                        let picked = move |ev: ev::Event| {
                            let value = event_target_value(&ev);
                            edit(Edit::Set { part, value: (!value.is_empty()).then_some(value) });
                        };
                        if part == Part::Story {
                            let list_id = format!("{field_id}-choices");
                            view! {
                                <label for=field_id.clone()>{part.label()}</label>
                                <input id=field_id.clone() data-part=part.label() on:blur=move |_| state.details_typing.set(false) list=list_id.clone() disabled=!editable
                                    prop:value=move || current().unwrap_or_default()
                                    on:input=move |ev| typing(state, &ev)
                                    on:change=move |ev| { committed(state, &ev); picked(ev) } />
                                <datalist id=list_id>{choices.into_iter().map(|c| view! { <option value=c></option> }).collect_view()}</datalist>
                            }.into_any()
                        } else {
                            view! {
                                <label for=field_id.clone()>{part.label()}</label>
                                <select id=field_id disabled=!editable on:change=picked>
                                    <option value="" selected=move || current().is_none()>"—"</option>
                                    {move || {
                                        let now = current();
                                        let mut words = choices.clone();
                                        if let Some(now) = now.clone().filter(|n| !words.contains(n)) {
                                            words.insert(0, now);
                                        }
                                        words.into_iter().map(|w| {
                                            let selected = now.as_deref() == Some(w.as_str());
                                            let label = w.clone();
                                            view! { <option value=w selected=selected>{label}</option> }
                                        }).collect_view()
                                    }}
                                </select>
                            }.into_any()
                        }
                    }).collect_view()}
                </section>
            </div>
            {first.lists.iter().map(|(part, editable, _)| {
                view! { <ListEditor part=*part editable=*editable shown entry edit folder /> }
            }).collect_view()}
            {artefacts("ux_artifacts")}
            {artefacts("arch_artifacts")}
            {linked}
            {move || shown.with(|s| section("Test results", "details-items", s.as_ref().map(|s| s.results.clone()).unwrap_or_default()))}
            {steps}
            {warnings}
            {others}
            <section class="details-section details-actions" aria-label="Requirement actions">
                <button type="button" hidden=deprecated on:click=move |_| edit(Edit::Deprecate)>"Deprecate"</button>
                <button type="button" class="danger" on:click=move |_| confirm_delete.set(true)>{delete_label.clone()}</button>
                <div class="confirm" role="group" aria-label="Confirm deletion" hidden=move || !confirm_delete.get()>
                    <p>{format!("Delete {id} from the file? Its whole object goes; undo brings it back.")}</p>
                    <button type="button" on:click=move |_| confirm_delete.set(false)>"Keep it"</button>
                    <button type="button" class="danger" on:click=move |_| delete()>{format!("Delete {} now", card.id)}</button>
                </div>
            </section>
        </div>
    }
    .into_any()
}

/// Lines without a strong part.
fn plain(lines: Vec<String>) -> Vec<(String, String)> {
    lines.into_iter().map(|l| (String::new(), l)).collect()
}

/// A titled section listing `lines`, each a strong part and the rest; `None` when empty. One
/// shape for every read-only list of the details keeps the page's code small.
fn section(title: &str, class: &'static str, lines: Vec<(String, String)>) -> Option<AnyView> {
    (!lines.is_empty()).then(|| {
        view! {
            <section class="details-section">
                <h3>{title.to_owned()}</h3>
                <ul class=class>
                    {lines.into_iter().map(|(strong, rest)| view! { <li><strong>{strong}</strong>{rest}</li> }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    })
}

/// Terms and their descriptions.
fn pairs(class: &'static str, rows: Vec<(String, String)>) -> AnyView {
    view! {
        <dl class=class>
            {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
    .into_any()
}

/// Keys the details show in their own places; every other key is listed as JSON.
fn is_shown_key(key: &str) -> bool {
    matches!(
        key,
        "id" | "ears"
            | "status"
            | "governance_status"
            | "last_reviewed_by"
            | "priority"
            | "type"
            | "risk_level"
            | "story_id"
            | "tests"
            | "code"
            | "tasks"
            | "notes"
            | "ux_artifacts"
            | "arch_artifacts"
            | "tdd_stage"
            | "tdd_history"
    )
}

/// One list of the requirement (tests, code, tasks, notes): each item on its own line, edited
/// in place, moved up or down, removed; a box and "Add test" below.
#[component]
fn ListEditor(
    part: Part,
    editable: bool,
    shown: Memo<Option<Shown>>,
    entry: EntryIndex,
    edit: impl Fn(Edit) + Copy + Send + Sync + 'static,
    folder: bool,
) -> impl IntoView {
    let link = use_context::<super::link::Link>();
    let state = expect_context::<AppState>();
    let items = move || {
        shown.with(|s| {
            s.as_ref()
                .and_then(|s| s.lists.iter().find(|l| l.0 == part).map(|l| l.2.clone()))
                .unwrap_or_default()
        })
    };
    let name = part.item();
    let mono = matches!(part, Part::Tests | Part::Code);
    let adding = RwSignal::new(String::new());
    let add_id = format!("details-add-{}", part.label().to_ascii_lowercase());
    let add = move || {
        let item = adding.get_untracked();
        if !item.trim().is_empty() {
            edit(Edit::Add { list: part, item });
            adding.set(String::new());
        }
    };
    let focus_after = move |id: String| {
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&id) {
                let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    };
    let _ = entry;
    let title = part.label();
    let heading_id = format!("details-list-{}", title.to_ascii_lowercase());
    let capital = {
        let mut c = name.to_owned();
        if let Some(first) = c.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        c
    };
    view! {
        <section class="details-section" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()>{move || format!("{title} ({})", items().len())}</h3>
            {(!editable).then(|| view! { <p class="muted">"The file's requirements have no such list the board could write without guessing."</p> })}
            <ol class="details-items">
                {move || {
                    let list = items();
                    let count = list.len();
                    list.into_iter().enumerate().map(|(i, item)| {
                        let n = i + 1;
                        let base = format!("details-{}-{i}", title.to_ascii_lowercase());
                        let exists = link.filter(|_| folder && mono).map(|l| !l.is_missing(&item.text));
                        let changeable = editable && item.editable;
                        let item = item.text;
                        view! {
                            <li class="details-item">
                                <input
                                    id=base.clone()
                                    class:mono=mono
                                    data-part=title
                                    on:blur=move |_| state.details_typing.set(false)
                                    data-index=i
                                    aria-label=format!("{capital} {n}")
                                    readonly=!changeable
                                    title=(editable && !changeable).then_some("Shown as the file writes it; edit it in the file")
                                    prop:value=item.clone()
                                    on:input=move |ev| typing(state, &ev)
                                    on:change=move |ev| {
                                        committed(state, &ev);
                                        edit(Edit::Replace { list: part, index: i, item: event_target_value(&ev) });
                                    }
                                />
                                {exists.map(|on_disk| view! {
                                    <span class="chip" class:warn=!on_disk>{if on_disk { "on disk" } else { "missing on disk" }}</span>
                                })}
                                {editable.then(|| {
                                    let up = format!("{base}-up");
                                    let down = format!("{base}-down");
                                    let (up2, down2) = (up.clone(), down.clone());
                                    view! {
                                        <button type="button" id=up class="icon-button" aria-label=format!("Move {name} {n} up") disabled=i == 0
                                            on:click=move |_| { edit(Edit::Reorder { list: part, from: i, to: i.saturating_sub(1) }); focus_after(up2.replace(&format!("-{i}-"), &format!("-{}-", i.saturating_sub(1)))); }>"↑"</button>
                                        <button type="button" id=down class="icon-button" aria-label=format!("Move {name} {n} down") disabled=n == count
                                            on:click=move |_| { edit(Edit::Reorder { list: part, from: i, to: i + 1 }); focus_after(down2.replace(&format!("-{i}-"), &format!("-{}-", i + 1))); }>"↓"</button>
                                        <button type="button" class="icon-button" aria-label=format!("Remove {name} {n}")
                                            on:click=move |_| edit(Edit::Remove { list: part, index: i })>"✕"</button>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            {editable.then(|| view! {
                <div class="details-add">
                    <input
                        id=add_id.clone()
                        class:mono=mono
                        data-part=title
                        on:blur=move |_| state.details_typing.set(false)
                        data-index="new"
                        aria-label=format!("New {name}")
                        placeholder=format!("New {name}")
                        prop:value=move || adding.get()
                        on:input=move |ev| {
                            typing(state, &ev);
                            adding.set(event_target_value(&ev));
                        }
                        on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Enter" {
                            ev.prevent_default();
                            committed(state, &ev);
                            add();
                        }
                    />
                    <button type="button" on:click=move |_| add()>{format!("Add {name}")}</button>
                </div>
            })}
        </section>
    }
}

/// What "New requirement" offers for the open board, read when it opens.
#[derive(Clone, Default)]
struct Setup {
    /// The words of the Priority and Type pickers.
    words: [Vec<String>; 2],
    /// Whether each can be written into this file.
    writable: [bool; 2],
    /// The lists a requirement can join (several in some files).
    lists: Vec<String>,
}

/// "New requirement": an id proposed from the file's pattern, the text with the EARS
/// templates, priority and type; "Create" appends it in the file's style.
#[component]
pub fn NewRequirementDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let id = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let priority = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let list = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let setup = RwSignal::new(Setup::default());
    let text_box = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        let open = state.new_requirement.with(Option::is_some);
        if open {
            let (proposed, found) = state.with_board(|b| {
                b.map(|b| {
                    let proposed = b.propose_id();
                    let found = Setup {
                        words: [b.choices(Part::Priority), b.choices(Part::Kind)],
                        writable: [b.new_can_have(Part::Priority), b.new_can_have(Part::Kind)],
                        lists: b.lists(),
                    };
                    (proposed, found)
                })
                .unwrap_or_default()
            });
            id.set(proposed);
            text.set(String::new());
            priority.set(String::new());
            kind.set(String::new());
            list.set(String::new());
            error.set(None);
            setup.set(found);
        }
        sync_modal(dialog, open);
    });
    let close = move || state.new_requirement.set(None);
    let pattern = move || match Pattern::of(&text.get()) {
        Some(p) => format!("Follows the {} EARS pattern.", p.name()),
        None => "Follows no EARS pattern yet.".to_owned(),
    };
    let create = move || {
        let word = |s: RwSignal<String>| Some(s.get_untracked()).filter(|w| !w.is_empty());
        let new = NewRequirement {
            id: id.get_untracked(),
            text: text.get_untracked(),
            priority: word(priority),
            kind: word(kind),
            list: word(list),
        };
        let wanted = new.id.trim().to_owned();
        match state.try_apply(traceboard_core::workspace::Action::Create(new)) {
            Ok(()) => {
                close();
                let card = state
                    .with_board(|b| b.and_then(|b| b.find(&wanted)))
                    .and_then(|e| state.card_ref(e));
                if let Some(card) = card {
                    focus_card(state, card);
                }
            }
            Err(why) => error.set(Some(why)),
        }
    };
    // A picker of a part the file's requirements have no key for is off, and says why.
    let select = move |label: &'static str,
                       field: &'static str,
                       value: RwSignal<String>,
                       which: usize| {
        let off = move || setup.with(|s| !s.writable[which]);
        view! {
            <label for=field>{label}</label>
            <select
                id=field
                disabled=off
                title=move || off().then(|| format!("This file's requirements have no {} key", label.to_ascii_lowercase()))
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" selected=move || value.with(String::is_empty)>"—"</option>
                {move || setup.with(|s| s.words[which].clone()).into_iter().map(|w| {
                    let selected = value.get_untracked() == w;
                    let label = w.clone();
                    view! { <option value=w selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        }
    };
    view! {
        <dialog
            class="dialog new-dialog"
            node_ref=dialog
            aria-labelledby="new-title"
            on:close=move |_| close()
        >
            <h2 id="new-title">"New requirement"</h2>
            <form class="new-form" on:submit=move |ev| { ev.prevent_default(); create(); }>
                <label for="new-id">"Id"</label>
                <input id="new-id" class="mono" required prop:value=move || id.get() on:input=move |ev| id.set(event_target_value(&ev)) />
                <label for="new-text">"Text"</label>
                <div class="new-text">
                    <div class="templates" role="group" aria-label="EARS templates">
                        {Pattern::TEMPLATES.into_iter().map(|p| view! {
                            <button type="button" class="template" title=p.template()
                                aria-label=format!("{} template", p.name())
                                on:click=move |_| {
                                    text.set(p.template().to_owned());
                                    if let Some(area) = text_box.get_untracked() {
                                        // Written now, not at the next render, so the
                                        // selection below lands in it.
                                        area.set_value(p.template());
                                        let _ = area.focus();
                                        // The first blank is selected, ready to be typed over.
                                        let t = p.template();
                                        if let (Some(a), Some(b)) = (t.find('<'), t.find('>')) {
                                            let (a, b) = (t[..a].chars().count(), t[..=b].chars().count());
                                            let _ = area.set_selection_range(a as u32, b as u32);
                                        }
                                    }
                                }
                            >{p.name()}</button>
                        }).collect_view()}
                    </div>
                    <textarea id="new-text" node_ref=text_box rows="3" required prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <p class="muted" role="status">{pattern}</p>
                </div>
                {select("Priority", "new-priority", priority, 0)}
                {select("Type", "new-type", kind, 1)}
                // Files with several lists (functional and non-functional …): the one it joins.
                {move || (setup.with(|s| s.lists.len()) > 1).then(|| view! {
                    <label for="new-list">"List"</label>
                    <select id="new-list" on:change=move |ev| list.set(event_target_value(&ev))>
                        {setup.with(|s| s.lists.clone()).into_iter().map(|l| {
                            let label = l.clone();
                            let this = l.clone();
                            // Unless chosen, the list of the ids with the same prefix.
                            let selected = move || {
                                let chosen = list.get();
                                if chosen.is_empty() {
                                    state.with_board(|b| b.and_then(|b| b.list_for(&id.get()))) == Some(this.clone())
                                } else {
                                    chosen == this
                                }
                            };
                            view! { <option value=l selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                })}
                {move || error.get().map(|why| view! { <p class="dialog-error" role="alert">{why}</p> })}
                <div class="dialog-buttons">
                    <button type="button" on:click=move |_| close()>"Cancel"</button>
                    <button type="submit" class="primary">"Create"</button>
                </div>
            </form>
        </dialog>
    }
}
