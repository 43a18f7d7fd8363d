//! The team in the UI: the agent roster, each column's owner, whose turn a card is, the
//! "acting as" and "whose turn" controls, and the agent import buttons.
//!
//! Everything here reads the team through `AppState::with_team` and changes it through
//! `AppState::dispatch`; the rules (default owners, turns, who a move is recorded as) are in
//! `team`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use crate::ui::files;
use crate::ui::state::AppState;
use traceboard_core::agents::body_html;
use traceboard_core::stage::Stage;
use traceboard_core::workspace::Action;

/// The names of the team's agents, for the selects.
fn agent_names(state: AppState) -> Vec<String> {
    state.with_team(|t| t.members().iter().map(|m| m.agent.name.clone()).collect())
}

/// Reads files chosen or dropped as agent definitions and imports them.
/// While the save is still loading the import waits for it (`saving::after_restore`).
pub fn import_agent_files(state: AppState, chosen: Vec<File>) {
    // Read now: the app's context is not reachable after the `await`.
    let saving = use_context();
    spawn_local(async move {
        let mut read = Vec::with_capacity(chosen.len());
        let mut unreadable = Vec::new();
        for file in &chosen {
            let file = files::read(file).await;
            match file.bytes {
                Ok(bytes) => read.push((file.path, bytes)),
                Err(e) => unreadable.push(e),
            }
        }
        crate::ui::saving::after_restore(saving, state, move || {
            state.import_agents(read, unreadable)
        });
    });
}

/// "Import agents" (several files) and "Import agents folder" (a whole folder, such as a
/// project's `.claude/agents/`).
#[component]
pub fn AgentImportButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    let files_input = NodeRef::<leptos::html::Input>::new();
    let folder_input = NodeRef::<leptos::html::Input>::new();
    let open = move |input: NodeRef<leptos::html::Input>| {
        if let Some(input) = input.get_untracked() {
            input.set_value("");
            input.click();
        }
    };
    // Leptos has no typed `webkitdirectory` attribute; set it once the input exists.
    Effect::new(move |_| {
        if let Some(input) = folder_input.get() {
            input.set_webkitdirectory(true);
        }
    });
    let chosen = move |input: NodeRef<leptos::html::Input>| {
        let Some(input) = input.get_untracked() else {
            return;
        };
        if let Some(list) = input.files() {
            import_agent_files(state, files::files_of(&list));
        }
    };
    view! {
        <button type="button" on:click=move |_| open(files_input)>"Import agents"</button>
        <button type="button" on:click=move |_| open(folder_input)>"Import agents folder"</button>
        <input
            class="visually-hidden"
            type="file"
            multiple
            accept=".md,.markdown,text/markdown"
            node_ref=files_input
            tabindex="-1"
            aria-hidden="true"
            on:change=move |_| chosen(files_input)
        />
        <input
            class="visually-hidden"
            type="file"

            node_ref=folder_input
            tabindex="-1"
            aria-hidden="true"
            on:change=move |_| chosen(folder_input)
        />
    }
}

/// The panel listing the team: a region named "Agents".
#[component]
pub fn AgentRoster() -> impl IntoView {
    let state = expect_context::<AppState>();
    let members = move || state.with_team(|t| t.members().to_vec());
    view! {
        <Show when=move || state.with_team(|t| !t.is_empty())>
            <aside class="roster" role="region" aria-label="Agents">
                <h2 class="roster-title">"Agents"</h2>
                <ul class="agents">
                    <For each=members key=|m| (m.agent.name.clone(), m.source_text.len()) let(member)>
                        <AgentItem member />
                    </For>
                </ul>
            </aside>
        </Show>
    }
}

#[component]
fn AgentItem(member: traceboard_core::team::Member) -> impl IntoView {
    let state = expect_context::<AppState>();
    let agent = member.agent;
    let name = agent.name.clone();
    let owns = {
        let name = name.clone();
        move || {
            state.with_team(|t| {
                Stage::ALL
                    .iter()
                    .filter(|s| t.owner(**s) == Some(name.as_str()))
                    .map(|s| s.title())
                    .collect::<Vec<_>>()
            })
        }
    };
    let color = agent.color.clone().unwrap_or_else(|| "var(--muted)".into());
    let initials: String = name
        .split(['-', '_', ' '])
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    let body = body_html(&agent.body);
    let tools = if agent.tools.is_empty() {
        "all tools".to_owned()
    } else {
        agent.tools.join(", ")
    };
    view! {
        <li class="agent">
            <span class="avatar" style:border-color=color aria-hidden="true">{initials}</span>
            <div class="agent-info">
                <h3 class="agent-name">{name.clone()}</h3>
                <p class="agent-meta">
                    {agent.model.clone().map(|m| view! { <span class="chip">{m}</span> })}
                    <span class="agent-tools" title="Tools">{tools}</span>
                </p>
                <p class="agent-owns">
                    {move || {
                        let owns = owns();
                        if owns.is_empty() { String::new() } else { format!("Owns {}", owns.join(", ")) }
                    }}
                </p>
                <p class="agent-description">{agent.description.clone()}</p>
                {(!member.warnings.is_empty()).then(|| {
                    view! {
                        <ul class="agent-warnings" aria-label=format!("What could not be read in {}", member.source_name)>
                            {member.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                        </ul>
                    }
                })}
                {(!agent.extra.is_empty()).then(|| {
                    view! {
                        <dl class="agent-extra" aria-label=format!("Other settings of {name}")>
                            {agent
                                .extra
                                .iter()
                                .map(|(key, value)| view! { <dt>{key.clone()}</dt><dd>{value.clone()}</dd> })
                                .collect_view()}
                        </dl>
                    }
                })}
                <details class="agent-body">
                    <summary>"Instructions"</summary>
                    // body_html escapes any raw HTML in the file: it is shown as text, never run.
                    <div class="markdown" inner_html=body></div>
                </details>
            </div>
        </li>
    }
}

/// The owner picker in a column header.
#[component]
pub fn OwnerSelect(stage: Stage) -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || state.with_team(|t| t.owner(stage).map(str::to_owned));
    view! {
        <Show when=move || state.with_team(|t| !t.is_empty())>
            <label class="owner">
                <span class="visually-hidden">{format!("Owner of {}", stage.title())}</span>
                <select
                    aria-label=format!("Owner of {}", stage.title())
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let agent = (!value.is_empty()).then_some(value);
                        state.dispatch(Action::SetOwner { stage, agent });
                    }
                >
                    <option value="" selected=move || current().is_none()>"No owner"</option>
                    {move || {
                        let current = current();
                        agent_names(state)
                            .into_iter()
                            .map(|name| {
                                let selected = current.as_deref() == Some(name.as_str());
                                view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        </Show>
    }
}

/// "Acting as" and "Whose turn" in the toolbar, shown once there is a team.
#[component]
pub fn TeamControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <Show when=move || state.with_team(|t| !t.is_empty())>
            <AgentPicker label="Acting as" none="Stage owner" choice=state.acting_as on_pick=|| {} />
            <AgentPicker
                label="Whose turn"
                none="Everyone"
                choice=state.turn_filter
                on_pick=move || state.refresh_columns()
            />
        </Show>
    }
}

/// A labelled select of the team's agents, with a first option meaning "none".
#[component]
fn AgentPicker(
    label: &'static str,
    none: &'static str,
    choice: RwSignal<Option<String>>,
    on_pick: impl Fn() + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = move || {
        let selected = choice.get();
        agent_names(state)
            .into_iter()
            .map(|name| {
                let is = selected.as_deref() == Some(name.as_str());
                view! { <option value=name.clone() selected=is>{name.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <label class="select">
            {label} " "
            <select on:change=move |ev| {
                choice.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()));
                on_pick();
            }>
                <option value="" selected=move || choice.with(Option::is_none)>{none}</option>
                {options}
            </select>
        </label>
    }
}

/// The agent whose turn a card in `stage` is, on the card.
#[component]
pub fn TurnChip(stage: Stage) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.with_team(|t| t.turn(stage).map(str::to_owned)).map(|agent| {
            let color = state
                .with_team(|t| t.member(&agent).and_then(|m| m.agent.color.clone()))
                .unwrap_or_else(|| "var(--muted)".into());
            view! {
                <span class="chip turn" title=format!("Next: {agent} moves it to {}", stage.next().map(Stage::title).unwrap_or(""))>
                    <span class="dot" style:background-color=color aria-hidden="true"></span>
                    {format!("Next: {agent}")}
                </span>
            }
        })
    }
}
