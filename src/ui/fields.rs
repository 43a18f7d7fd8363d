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

/// Everything the open dialog holds, in one signal: each signal type costs the download its
/// own copy of the reactive code, so the dialog keeps one.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    fields: Fields,
    places: Vec<Place>,
    /// Where the board reads the requirements when `fields.container` is `None` (its own
    /// choice, which may be several sibling lists): shown, and kept until the person picks
    /// a place.
    auto_place: Option<String>,
    /// The column counts the fields would give, then one line per first card; or why the
    /// file cannot be read that way.
    preview: Result<(String, Vec<String>), String>,
    /// Why "Use these fields" was refused.
    error: Option<String>,
}

/// How many cards the preview shows.
const PREVIEW_CARDS: usize = 5;

/// What the board would show read through `fields`.
fn preview(state: AppState, fields: &Fields) -> Result<(String, Vec<String>), String> {
    state.with_board(|b| {
        let (board, report) = b
            .ok_or_else(|| "No board is open.".to_owned())?
            .reread(fields)
            .map_err(|e| e.to_string())?;
        let counts: Vec<String> = Stage::ALL
            .iter()
            .map(|s| format!("{} {}", s.title(), report.per_stage[s.index()]))
            .collect();
        let cards = board
            .cards()
            .take(PREVIEW_CARDS)
            .map(|(_, c)| {
                // What the fields decide first, so a long text cut at the edge hides nothing.
                format!(
                    "{} · {} · {} test{} · {} code — {}",
                    c.id,
                    c.stage.title(),
                    c.tests.len(),
                    if c.tests.len() == 1 { "" } else { "s" },
                    c.code.len(),
                    if c.text.is_empty() {
                        "(no text)"
                    } else {
                        &c.text
                    }
                )
            })
            .collect();
        Ok((
            format!("{} cards: {}", report.placed(), counts.join(" · ")),
            cards,
        ))
    })
}

#[component]
pub fn FieldsDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let draft = RwSignal::new(Draft {
        fields: Fields::default(),
        places: Vec::new(),
        auto_place: None,
        preview: Ok(Default::default()),
        error: None,
    });

    Effect::new(move |_| {
        let open = state.fields_for.get();
        if let Some(board) = open {
            match open_draft(state, board) {
                Some(mut fresh) => {
                    fresh.preview = preview(state, &fresh.fields);
                    draft.set(fresh);
                }
                None => state.fields_for.set(None),
            }
        }
        sync_modal(dialog, open.is_some());
    });

    let close = move || state.fields_for.set(None);
    // Every change of the draft: the person's choice from now on, previewed at once.
    let edit = move |change: Box<dyn FnOnce(&mut Draft)>| {
        draft.update(|d| {
            change(d);
            d.fields.chosen = true;
            d.error = None;
            d.preview = preview(state, &d.fields);
        });
    };
    let keys = move || {
        draft.with(|d| {
            let place = d.fields.container.as_ref().or(d.auto_place.as_ref());
            d.places
                .iter()
                .find(|p| Some(&p.path) == place)
                .map(|p| p.keys.clone())
                .unwrap_or_default()
        })
    };
    let confirm = move || {
        let Some(board) = state.fields_for.get_untracked() else {
            return;
        };
        match state.read_as(board, draft.with_untracked(|d| d.fields.clone())) {
            Ok(()) => close(),
            Err(why) => draft.update(|d| d.error = Some(why)),
        }
    };
    // The options of one key select, marked as the draft has them; `none` adds a first
    // option for "no key".
    let key_options =
        move |none: Option<&'static str>, has: fn(&Fields, Option<&KeyPath>) -> bool| -> Options {
            Box::new(move || {
                let mut out: Vec<(String, String, bool)> = Vec::new();
                draft.with(|d| {
                    if let Some(none) = none {
                        out.push((String::new(), none.to_owned(), has(&d.fields, None)));
                    }
                    out.extend(
                        keys()
                            .into_iter()
                            .map(|k| (value_of(&k), k.to_string(), has(&d.fields, Some(&k)))),
                    );
                });
                out
            })
        };
    // What a pick in one key select changes in the draft.
    let on_keys = move |set: fn(&mut Fields, Vec<KeyPath>)| -> OnPick {
        Box::new(move |values: Vec<String>| {
            let picked: Vec<KeyPath> = keys()
                .into_iter()
                .filter(|k| values.contains(&value_of(k)))
                .collect();
            edit(Box::new(move |d| set(&mut d.fields, picked)));
        })
    };
    let place_options: Options = Box::new(move || {
        draft.with(|d| {
            d.places
                .iter()
                .map(|p| {
                    (
                        p.path.clone(),
                        p.label.clone(),
                        Some(&p.path) == d.fields.container.as_ref(),
                    )
                })
                .collect()
        })
    });
    // Another place starts from what the board reads there.
    let choose_place: OnPick = Box::new(move |values: Vec<String>| {
        let Some(path) = values.into_iter().next() else {
            return;
        };
        edit(Box::new(move |d| {
            if let Some(place) = d.places.iter().find(|p| p.path == path) {
                d.fields = place.fields.clone();
                d.fields.container = Some(path);
            }
        }));
    });

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
                <KeySelect label="Requirements in" id="fields-place" options=place_options on_pick=choose_place />
                <KeySelect label="Id" id="fields-id"
                    options=key_options(Some("None: the map key, or a name the board gives"), |d, k| d.id.first() == k)
                    on_pick=on_keys(|d, k| d.id = k) />
                <KeySelect label="Text" id="fields-text"
                    options=key_options(Some("None"), |d, k| d.text.first() == k)
                    on_pick=on_keys(|d, k| d.text = k) />
                <KeySelect label="Tests" id="fields-tests" multiple=true
                    options=key_options(None, |d, k| k.is_some_and(|k| d.tests.contains(k)))
                    on_pick=on_keys(|d, k| d.tests = k) />
                <KeySelect label="Code" id="fields-code" multiple=true
                    options=key_options(None, |d, k| k.is_some_and(|k| d.code.contains(k)))
                    on_pick=on_keys(|d, k| d.code = k) />
                <KeySelect label="Tests or code, by path" id="fields-evidence" multiple=true
                    options=key_options(None, |d, k| k.is_some_and(|k| d.evidence.contains(k)))
                    on_pick=on_keys(|d, k| d.evidence = k) />
                <KeySelect label="Status" id="fields-status"
                    options=key_options(Some("None"), |d, k| d.status.as_ref() == k)
                    on_pick=on_keys(|d, k| d.status = k.into_iter().next()) />
            </div>
            <section class="fields-preview" aria-labelledby="fields-preview-title">
                <h3 id="fields-preview-title">"Preview"</h3>
                // One text, a line per card: the preview changes with every pick, and a text
                // node is the lightest thing to render.
                <p class="preview-lines" class:dialog-error=move || draft.with(|d| d.preview.is_err())>
                    {move || draft.with(|d| match &d.preview {
                        Ok((counts, cards)) => format!("{counts}\n{}", cards.join("\n")),
                        Err(why) => why.clone(),
                    })}
                </p>
            </section>
            <p class="dialog-error" role="alert" hidden=move || draft.with(|d| d.error.is_none())>
                {move || draft.with(|d| d.error.clone().unwrap_or_default())}
            </p>
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| close()>"Cancel"</button>
                <button
                    type="button"
                    class="primary"
                    disabled=move || draft.with(|d| d.preview.is_err())
                    on:click=move |_| confirm()
                >
                    "Use these fields"
                </button>
            </div>
        </dialog>
    }
}

/// An option's value for a key path: its parts joined by a character no key has, so the key
/// `a.b` and the key `b` inside `a` stay apart (both read "a.b").
fn value_of(key: &KeyPath) -> String {
    key.0.join("\u{1f}")
}

/// The options of a select (value, text, chosen), read again whenever what they read changes.
type Options = Box<dyn Fn() -> Vec<(String, String, bool)> + Send + Sync>;
/// What a pick in a select does, with every chosen value.
type OnPick = Box<dyn Fn(Vec<String>) + Send + Sync>;

/// One labelled select of the dialog: its options (value, text, chosen) and what a pick
/// does, with every chosen value. One component for all of them, so the download carries
/// its code once.
#[component]
fn KeySelect(
    label: &'static str,
    id: &'static str,
    #[prop(optional)] multiple: bool,
    options: Options,
    on_pick: OnPick,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select
            id=id
            multiple=multiple
            size=if multiple { "4" } else { "1" }
            on:change=move |ev| {
                let select: web_sys::HtmlSelectElement = event_target(&ev);
                let chosen = select.selected_options();
                let values: Vec<String> = (0..chosen.length())
                    .filter_map(|i| chosen.item(i))
                    .filter_map(|o| o.get_attribute("value"))
                    .collect();
                on_pick(values);
            }
        >
            {move || {
                options()
                    .into_iter()
                    .map(|(value, text, selected)| view! { <option value=value selected=selected>{text}</option> })
                    .collect_view()
            }}
        </select>
    }
}

/// A draft from the board's fields and the places the file offers; `None` when `board` is
/// not the open board any more.
fn open_draft(state: AppState, board: BoardId) -> Option<Draft> {
    state.with_board(|b| {
        let b = b.filter(|b| b.id() == board)?;
        let shape = b.shape();
        let auto_place = shape.chosen().next().map(|c| c.path.clone());
        let place = b.fields().container.as_ref().or(auto_place.as_ref());
        // The forty best places, and the one the board reads wherever it ranks.
        let places: Vec<Place> = shape
            .candidates
            .iter()
            .filter(|c| c.objects > 0 || c.is_text_map())
            .enumerate()
            .filter(|(i, c)| *i < 40 || Some(&c.path) == place)
            .map(|(_, c)| Place {
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
        Some(Draft {
            fields: b.fields().clone(),
            places,
            auto_place,
            preview: Ok(Default::default()),
            error: None,
        })
    })
}
