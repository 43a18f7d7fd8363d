//! The "Fields" dialog: where the board found the requirements and which keys it reads as
//! the id, text, tests, code and status, each changeable to any key the file has, with a live
//! preview of the first cards and the column counts.
//!
//! It only drafts a `Fields` value and previews it with `Board::reread`; "Use these fields"
//! hands the draft to `AppState::read_as`, the one place the choice changes the board.

use leptos::prelude::*;

use traceboard_core::board::BoardId;
use traceboard_core::fields::{Fields, KeyPath};
use traceboard_core::stage::Stage;

use super::board::sync_modal;
use super::state::AppState;

/// A candidate place for the requirements, as the "Requirements in" select offers it.
#[derive(Clone, Debug, PartialEq)]
struct Place {
    path: String,
    label: String,
    keys: Vec<KeyPath>,
    fields: Fields,
}

/// What the draft would show: the column counts, then one line per first card.
#[derive(Clone, Debug, PartialEq)]
struct Preview {
    counts: String,
    cards: Vec<String>,
}

/// How many cards the preview shows.
const PREVIEW_CARDS: usize = 5;

#[component]
pub fn FieldsDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let draft = RwSignal::new(Fields::default());
    let places = RwSignal::new(Vec::<Place>::new());
    let preview = RwSignal::new(Err::<Preview, String>(String::new()));
    let error = RwSignal::new(None::<String>);
    let board_of = move || state.fields_for.get_untracked();

    let refresh = move || {
        let fields = draft.get_untracked();
        let result = state.with_board(|b| match b {
            Some(b) => b
                .reread(&fields)
                .map(|(board, report)| Preview {
                    counts: format!(
                        "{} cards: {}",
                        report.placed(),
                        Stage::ALL
                            .iter()
                            .map(|s| format!("{} {}", s.title(), report.per_stage[s.index()]))
                            .collect::<Vec<_>>()
                            .join(" · ")
                    ),
                    cards: board
                        .cards()
                        .take(PREVIEW_CARDS)
                        .map(|(_, c)| {
                            format!(
                                "{} — {} — {} test{} · {} code · {}",
                                c.id,
                                if c.text.is_empty() {
                                    "(no text)"
                                } else {
                                    &c.text
                                },
                                c.tests.len(),
                                if c.tests.len() == 1 { "" } else { "s" },
                                c.code.len(),
                                c.stage.title()
                            )
                        })
                        .collect(),
                })
                .map_err(|e| e.to_string()),
            None => Err("No board is open.".to_owned()),
        });
        preview.set(result);
    };

    Effect::new(move |_| {
        let open = state.fields_for.get();
        if let Some(board) = open {
            open_draft(state, board, draft, places);
            error.set(None);
            refresh();
        }
        sync_modal(dialog, open.is_some());
    });

    let close = move || {
        state.fields_for.set(None);
    };
    let edit = move |change: Box<dyn FnOnce(&mut Fields)>| {
        draft.update(|d| {
            change(d);
            d.chosen = true;
        });
        error.set(None);
        refresh();
    };
    let choose_place = move |path: String| {
        let Some(place) = places.with_untracked(|p| p.iter().find(|p| p.path == path).cloned())
        else {
            return;
        };
        edit(Box::new(move |d| {
            *d = place.fields.clone();
            d.container = Some(place.path.clone());
        }));
    };
    let keys = move || {
        let container = draft.with(|d| d.container.clone());
        places.with(|p| {
            p.iter()
                .find(|p| Some(&p.path) == container.as_ref())
                .map(|p| p.keys.clone())
                .unwrap_or_default()
        })
    };
    let confirm = move || {
        let Some(board) = board_of() else {
            return;
        };
        match state.read_as(board, draft.get_untracked()) {
            Ok(()) => close(),
            Err(why) => error.set(Some(why)),
        }
    };

    // The options of a select: every key of the place, marked as the draft has them. Built
    // as one list each time the draft or the place changes (a few dozen options at most),
    // which keeps one small render path instead of a reactive one per option.
    let options = move |chosen: fn(&Fields, &KeyPath) -> bool| {
        move || {
            let d = draft.get();
            keys()
                .into_iter()
                .map(|k| {
                    let name = k.to_string();
                    let selected = chosen(&d, &k);
                    let value = name.clone();
                    view! { <option value=value selected=selected>{name}</option> }
                })
                .collect_view()
        }
    };
    // One select of a single key (or none), named by its label.
    let single = move |label: &'static str,
                       none: &'static str,
                       get: fn(&Fields) -> Option<&KeyPath>,
                       set: fn(&mut Fields, Option<KeyPath>)| {
        let id = format!("fields-{}", label.to_ascii_lowercase());
        view! {
            <label for=id.clone()>{label}</label>
            <select
                id=id
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let key = keys().into_iter().find(|k| k.to_string() == value);
                    edit(Box::new(move |d| set(d, key)));
                }
            >
                <option value="" selected=move || draft.with(|d| get(d).is_none())>{none}</option>
                {options(match label {
                    "Id" => |d: &Fields, k: &KeyPath| d.id.first() == Some(k),
                    "Text" => |d: &Fields, k: &KeyPath| d.text.first() == Some(k),
                    _ => |d: &Fields, k: &KeyPath| d.status.as_ref() == Some(k),
                })}
            </select>
        }
    };
    // One select of several keys, named by its label.
    let several = move |label: &'static str,
                        get: fn(&Fields, &KeyPath) -> bool,
                        set: fn(&mut Fields, Vec<KeyPath>)| {
        let id = format!(
            "fields-{}",
            label.to_ascii_lowercase().replace([' ', ','], "-")
        );
        view! {
            <label for=id.clone()>{label}</label>
            <select
                id=id
                multiple
                size="4"
                on:change=move |ev| {
                    let select: web_sys::HtmlSelectElement = event_target(&ev);
                    let options = select.selected_options();
                    let chosen: Vec<String> = (0..options.length())
                        .filter_map(|i| options.item(i))
                        .filter_map(|o| o.get_attribute("value"))
                        .collect();
                    let picked: Vec<KeyPath> = keys()
                        .into_iter()
                        .filter(|k| chosen.contains(&k.to_string()))
                        .collect();
                    edit(Box::new(move |d| set(d, picked)));
                }
            >
                {options(get)}
            </select>
        }
    };

    view! {
        // Escape closes a modal dialog natively; `close` brings the state along.
        <dialog
            class="dialog fields-dialog"
            node_ref=dialog
            aria-labelledby="fields-title"
            aria-describedby="fields-help"
            on:close=move |_| {
                if state.fields_for.with_untracked(Option::is_some) {
                    close();
                }
            }
        >
            <h2 id="fields-title">"Fields"</h2>
            <p id="fields-help">
                "Where the file keeps its requirements, and which of its keys the board reads for each part of a card. Changes show in the preview; nothing changes until you use them, and Undo takes them back."
            </p>
            <div class="fields-grid">
                <label for="fields-place">"Requirements in"</label>
                <select
                    id="fields-place"
                    on:change=move |ev| choose_place(event_target_value(&ev))
                >
                    {move || places.get().into_iter().map(|p| {
                        let path = p.path.clone();
                        let selected = move || draft.with(|d| d.container.as_deref() == Some(path.as_str()));
                        view! { <option value=p.path.clone() selected=selected>{p.label.clone()}</option> }
                    }).collect_view()}
                </select>
                {single("Id", "None: the map key, or a name the board gives", |f| f.id.first(), |f, k| f.id = k.into_iter().collect())}
                {single("Text", "None", |f| f.text.first(), |f, k| f.text = k.into_iter().collect())}
                {several("Tests", |f, k| f.tests.contains(k), |f, k| f.tests = k)}
                {several("Code", |f, k| f.code.contains(k), |f, k| f.code = k)}
                {several("Tests or code, by path", |f, k| f.evidence.contains(k), |f, k| f.evidence = k)}
                {single("Status", "None", |f| f.status.as_ref(), |f, k| f.status = k)}
            </div>
            <section class="fields-preview" aria-labelledby="fields-preview-title">
                <h3 id="fields-preview-title">"Preview"</h3>
                {move || match preview.get() {
                    Ok(p) => view! {
                        <p class="preview-counts">{p.counts}</p>
                        <ul class="preview-cards">
                            {p.cards.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(why) => view! { <p class="dialog-error">{why}</p> }.into_any(),
                }}
            </section>
            {move || error.get().map(|why| view! { <p class="dialog-error" role="alert">{why}</p> })}
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| close()>"Cancel"</button>
                <button
                    type="button"
                    class="primary"
                    disabled=move || preview.with(Result::is_err)
                    on:click=move |_| confirm()
                >
                    "Use these fields"
                </button>
            </div>
        </dialog>
    }
}

/// Starts a draft from the board's fields and lists the places the file offers.
fn open_draft(
    state: AppState,
    board: BoardId,
    draft: RwSignal<Fields>,
    places: RwSignal<Vec<Place>>,
) {
    let found = state.with_board(|b| {
        let b = b.filter(|b| b.id() == board)?;
        let shape = b.shape();
        let chosen = shape.chosen().next().map(|c| c.path.clone());
        let list: Vec<Place> = shape
            .candidates
            .iter()
            .filter(|c| c.objects > 0 || c.is_text_map())
            .take(40)
            .map(|c| Place {
                path: c.path.clone(),
                label: format!(
                    "{} ({})",
                    if c.path.is_empty() {
                        "the file itself"
                    } else {
                        c.path.as_str()
                    },
                    c.describe()
                ),
                keys: c.keys.clone(),
                fields: c.fields.clone(),
            })
            .collect();
        let mut fields = b.fields().clone();
        fields.container = chosen;
        Some((fields, list))
    });
    match found {
        Some((fields, list)) => {
            draft.set(fields);
            places.set(list);
        }
        None => state.fields_for.set(None),
    }
}
