//! Test results on the board: "Import test results" (and `.xml` files dropped on the page),
//! and the "Suggested moves" panel the results support. Each card shows its own results
//! (`ui::board`), and its details list them (`ui::details`).
//!
//! Reading and matching are the core's (`traceboard_core::results`); this module reads the
//! chosen files, reports what was read, and applies the moves a person accepts, each through
//! `Workspace::apply` with the report named as who moved it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use super::files;
use super::state::{AppState, Notice, now_iso};
use traceboard_core::board::Move;
use traceboard_core::columns::{CardFilter, Facet};
use traceboard_core::results::{Suggestion, read_report};
use traceboard_core::stage::Stage;
use traceboard_core::workspace::Action;

/// Reads chosen or dropped JUnit XML files and adds their results to the board.
pub fn import_result_files(state: AppState, chosen: Vec<File>) {
    spawn_local(async move {
        let mut read = Vec::new();
        let mut problems = Vec::new();
        for file in &chosen {
            let file = files::read(file).await;
            match file.bytes.map(String::from_utf8) {
                Ok(Ok(text)) => read.push((file.name, text)),
                // The reader says where the text stops being UTF-8.
                Ok(Err(e)) => match read_report(&file.name, e.as_bytes()) {
                    Err(e) => problems.push(e.to_string()),
                    Ok(_) => problems.push(format!("{}: not UTF-8 text", file.name)),
                },
                Err(e) => problems.push(e),
            }
        }
        state.add_result_files(read, problems, false);
    });
}

/// Brings back the test reports kept with the board at the last visit, once the board is,
/// when it reads the same file.
pub fn restore_results(state: AppState) {
    let saving = use_context::<super::saving::Saving>();
    spawn_local(async move {
        let Some((board, kept)) = crate::storage::kept_results().await else {
            return;
        };
        super::saving::after_restore(saving, state, move || {
            let same = state.with_board(|b| b.is_some_and(|b| b.file_name() == board));
            if same {
                state.add_result_files(kept, Vec::new(), true);
            }
        });
    });
}

impl AppState {
    /// Reads report files (name, text) and adds their results to the board's, saying what
    /// they gave (`quiet`: only to screen readers, for the reports kept from the last visit);
    /// `problems` are the files that could not be read, each with where it breaks. The files
    /// read are kept with the board, a newer file of the same name in place of the older.
    pub fn add_result_files(
        &self,
        files: Vec<(String, String)>,
        problems: Vec<String>,
        quiet: bool,
    ) {
        let mut problems = problems;
        let mut reports = Vec::new();
        let mut kept = Vec::new();
        for (name, text) in files {
            match read_report(&name, text.as_bytes()) {
                Ok(report) => {
                    reports.push(report);
                    kept.push((name, text));
                }
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !self.board_open.get_untracked() {
            if !quiet {
                self.notice.set(Some(Notice::Error(
                    "Open a matrix first: test results are matched to its requirements.".into(),
                )));
            }
            return;
        }
        // Results of another board give way to this one's.
        let this = self.with_board(|b| b.map(|b| (b.origin(), b.file_name().to_owned())));
        if self.results_for.get_value() != this {
            self.result_files.set_value(Vec::new());
            self.evidence.set_value(Default::default());
            self.results_for.set_value(this.clone());
        }
        self.result_files.update_value(|files| {
            for (name, text) in kept {
                files.retain(|(n, _)| *n != name);
                files.push((name, text));
            }
        });
        let read = reports.len();
        let cases: usize = reports.iter().map(|r| r.cases.len()).sum();
        self.ws.with_value(|ws| {
            if let Some(board) = ws.board() {
                self.evidence.update_value(|e| e.add(board, reports));
            }
        });
        // Files whose every result a newer report replaced are let go.
        let names: Vec<String> = self
            .evidence
            .with_value(|e| e.reports.iter().map(|r| r.source.clone()).collect());
        self.result_files
            .update_value(|files| files.retain(|(n, _)| names.contains(n)));
        let files = self.result_files.get_value();
        let board = this.map(|t| t.1).unwrap_or_default();
        spawn_local(async move {
            let _ = crate::storage::keep_results(&board, &files).await;
        });
        let unmatched = self.evidence.with_value(|e| e.unmatched.len());
        let suggested = self.suggestions_untracked().len();
        let mut message = String::new();
        if read > 0 {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            message = format!(
                "Read {} with {}: {} no requirement; {}.",
                plural(read, "report", "reports"),
                plural(cases, "result", "results"),
                plural(unmatched, "matches", "match"),
                plural(suggested, "move suggested", "moves suggested"),
            );
        }
        if !problems.is_empty() {
            message.push_str(&format!(" Could not read: {}", problems.join("; ")));
        }
        let message = message.trim().to_owned();
        self.announcement.set(message.clone());
        if quiet {
            self.results_revision.update(|r| *r += 1);
            self.redraw_all();
            return;
        }
        self.notice.set(Some(if read == 0 {
            Notice::Error(message)
        } else {
            Notice::Info(message)
        }));
        self.results_revision.update(|r| *r += 1);
        self.redraw_all();
    }

    /// The moves the results support on the open board now.
    pub fn suggestions(&self) -> Vec<Suggestion> {
        self.revision.track();
        self.results_revision.track();
        self.suggestions_untracked()
    }

    fn suggestions_untracked(&self) -> Vec<Suggestion> {
        self.ws.with_value(|ws| {
            ws.board()
                .map(|b| self.evidence.with_value(|e| e.suggestions(b)))
                .unwrap_or_default()
        })
    }

    /// Applies suggested moves: one is a move like any other; several are one undo step.
    pub fn apply_suggestions(&self, chosen: Vec<Suggestion>) {
        let now = now_iso();
        let mut moves: Vec<Move> = chosen
            .into_iter()
            .map(|s| Move {
                entry: s.entry,
                to: s.to,
                by: s.by,
                at: s.at.unwrap_or_else(|| now.clone()),
                override_reason: None,
            })
            .collect();
        let mut targets: Vec<Stage> = Vec::new();
        for m in &moves {
            if !targets.contains(&m.to) {
                targets.push(m.to);
            }
        }
        let action = if moves.len() == 1 {
            Action::MoveCard(moves.remove(0))
        } else {
            Action::MoveAll(moves)
        };
        if self.dispatch(action) {
            // A limit warns here too: the moves are made.
            for to in targets {
                self.warn_if_over(to);
            }
        }
    }
}

/// "Import test results": one or many JUnit XML reports.
#[component]
pub fn ResultsImportButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    let input = NodeRef::<leptos::html::Input>::new();
    view! {
        <button
            type="button"
            disabled=move || !state.board_open.get()
            on:click=move |_| {
                if let Some(input) = input.get_untracked() {
                    input.set_value("");
                    input.click();
                }
            }
        >
            "Import test results"
        </button>
        <input
            class="visually-hidden"
            type="file"
            multiple
            accept=".xml,application/xml,text/xml"
            node_ref=input
            tabindex="-1"
            aria-hidden="true"
            on:change=move |_| {
                let chosen = input
                    .get_untracked()
                    .and_then(|i| i.files())
                    .map(|list| files::files_of(&list))
                    .unwrap_or_default();
                if !chosen.is_empty() {
                    import_result_files(state, chosen);
                }
            }
        />
    }
}

/// The moves the test results support, each with "Apply", and "Apply all".
#[component]
pub fn SuggestedMoves() -> impl IntoView {
    let state = expect_context::<AppState>();
    let suggestions = Memo::new(move |_| state.suggestions());
    move || {
        let list = suggestions.get();
        (!list.is_empty()).then(|| {
            let all = list.clone();
            view! {
                <section class="suggested" role="region" aria-labelledby="suggested-title">
                    <h2 id="suggested-title">"Suggested moves"</h2>
                    <ul>
                        {list.into_iter().map(|s| {
                            let label = format!("Apply: {} to {}", s.id, s.to);
                            let line = format!("{}: {} → {}", s.id, s.from, s.to);
                            let why = format!("{} ({})", s.why, s.by);
                            view! {
                                <li>
                                    <strong>{line}</strong>
                                    <span class="muted">{why}</span>
                                    <button type="button" aria-label=label on:click=move |_| state.apply_suggestions(vec![s.clone()])>
                                        "Apply"
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button type="button" class="primary" on:click=move |_| state.apply_suggestions(all.clone())>
                        "Apply all"
                    </button>
                </section>
            }
        })
    }
}

/// The board's health: gaps, contradictions with the evidence, duplicate ids, schema
/// problems and the counts, folded into one line until opened; each finding focuses its card,
/// each kind can be shown alone on the board, and "Copy summary" copies it as Markdown.
#[component]
pub fn HealthPanel() -> impl IntoView {
    use traceboard_core::health::{Kind, health};
    let state = expect_context::<AppState>();
    let health = Memo::new(move |_| {
        state.revision.track();
        state.results_revision.track();
        state.ws.with_value(|ws| {
            ws.board()
                .map(|b| state.evidence.with_value(|e| health(b, e)))
                .unwrap_or_default()
        })
    });
    let open = RwSignal::new(false);
    let headline = move || {
        health.with(|h| {
            let n = |kinds: &[Kind]| kinds.iter().map(|k| h.of(*k).count()).sum::<usize>();
            let gaps = n(&[Kind::NoTests, Kind::NoCode, Kind::NoTasks]);
            let against = n(&[
                Kind::GreenWithoutCode,
                Kind::RedWithoutTests,
                Kind::ReviewedFailing,
                Kind::SkippedStage,
            ]);
            format!(
                "Health: {gaps} gaps · {against} against the evidence · {} duplicate ids · {} schema problems",
                n(&[Kind::DuplicateId]),
                n(&[Kind::Schema])
            )
        })
    };
    // "Show only these" is the Health filter: it takes the place of any other health filter,
    // and shows as a chip beside the search like the others.
    let show_only = move |kind: Option<Kind>| {
        let mut facets = state.facets.get_untracked();
        facets.retain(|(f, _)| *f != Facet::Health);
        let mut filter = CardFilter {
            facets,
            ..CardFilter::default()
        };
        if let Some(kind) = kind {
            filter.add(Facet::Health, kind.key());
        }
        state.set_facets(filter.facets);
    };
    let health_shown = move || {
        let shown: Vec<String> = state.facets.with(|f| {
            f.iter()
                .filter(|(f, _)| *f == Facet::Health)
                .map(|(_, v)| Kind::parse(v).map_or("any finding", Kind::title).to_owned())
                .collect()
        });
        (!shown.is_empty()).then(|| shown.join(", "))
    };
    let copy = move |_| {
        let text = health.with_untracked(|h| h.markdown());
        spawn_local(async move {
            let said = match files::copy(&text).await {
                Ok(()) => "Copied the health summary as Markdown.".to_owned(),
                Err(e) => format!("Could not copy to the clipboard: {e}"),
            };
            state.announcement.set(said.clone());
            state.notice.set(Some(Notice::Info(said)));
        });
    };
    let kinds = move || {
        (open.get()).then(|| {
            health.with(|h| {
                Kind::ALL
                    .into_iter()
                    .filter_map(|kind| {
                        let findings: Vec<_> = h.of(kind).cloned().collect();
                        (!findings.is_empty()).then(|| {
                            let more = findings.len().saturating_sub(50);
                            let title = format!("{} ({})", kind.title(), findings.len());
                            view! {
                                <li class="health-kind">
                                    <strong>{title}</strong>
                                    <button type="button" class="link" on:click=move |_| show_only(Some(kind))>
                                        {format!("Show only these: {}", kind.title())}
                                    </button>
                                    <ul>
                                        {findings.into_iter().take(50).map(|f| {
                                            let entry = f.entry;
                                            let detail = if f.detail.is_empty() { String::new() } else { format!(" {}", f.detail) };
                                            // Named apart from the card, which starts with the id.
                                            let go = format!("Go to {}", f.id);
                                            view! {
                                                <li>
                                                    <button type="button" class="link mono" aria-label=go on:click=move |_| {
                                                        if let Some(card) = state.card_ref(entry) {
                                                            super::board::focus_card(state, card);
                                                        }
                                                    }>{f.id}</button>
                                                    {detail}
                                                </li>
                                            }
                                        }).collect_view()}
                                        {(more > 0).then(|| view! { <li class="muted">{format!("and {more} more")}</li> })}
                                    </ul>
                                </li>
                            }
                        })
                    })
                    .collect_view()
            })
        })
    };
    // The test results that belong to no requirement, named so the links can be fixed.
    let unmatched = move || {
        state.results_revision.track();
        if !open.get() {
            return None;
        }
        let names: Vec<String> = state.evidence.with_value(|e| {
            e.unmatched
                .iter()
                .filter_map(|&(r, c)| e.reports.get(r)?.cases.get(c))
                .map(|case| format!("{} › {}", case.classname, case.name))
                .collect()
        });
        (!names.is_empty()).then(|| {
            let more = names.len().saturating_sub(50);
            view! {
                <li class="health-kind">
                    <strong>{format!("Results that match no requirement ({})", names.len())}</strong>
                    <ul>
                        {names.into_iter().take(50).map(|n| view! { <li class="mono">{n}</li> }).collect_view()}
                        {(more > 0).then(|| view! { <li class="muted">{format!("and {more} more")}</li> })}
                    </ul>
                </li>
            }
        })
    };
    let counts = move || {
        health.with(|h| {
            let line = |counts: &[(String, usize)]| {
                counts
                    .iter()
                    .map(|(w, n)| format!("{w} {n}"))
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            format!(
                "By status: {}. By priority: {}.",
                line(&h.by_status),
                line(&h.by_priority)
            )
        })
    };
    view! {
        <section class="health" aria-label="Health">
            // Outside the fold: a filtered board always shows the way back.
            {move || health_shown().map(|kinds| view! {
                <button type="button" class="health-filter" on:click=move |_| show_only(None)>
                    {format!("Show all cards (now: {kinds})")}
                </button>
            })}
            <details prop:open=move || open.get() on:toggle=move |ev| {
                let details: web_sys::HtmlDetailsElement = leptos::wasm_bindgen::JsCast::unchecked_into(event_target::<web_sys::Element>(&ev));
                open.set(details.open());
            }>
                <summary>{headline}</summary>
                <p class="muted">{counts}</p>
                <div class="health-actions">
                    <button type="button" on:click=copy>"Copy summary"</button>
                </div>
                <ul class="health-kinds">{kinds}{unmatched}</ul>
            </details>
        </section>
    }
}
