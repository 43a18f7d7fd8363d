//! The "Flow" view (issue 15): the cumulative flow diagram, cycle times and aging work in
//! progress, drawn as inline SVG from the core's `flow` numbers.
//!
//! It only reads: the board, through `AppState::with_board`, again after every change
//! (`AppState::revision`); nothing here writes the file or changes the board. The whole view
//! is one markup string built in Rust (`markup`) and set as the region's content: a board with
//! thousands of points costs one DOM write and no reactive node per point, and the page's size
//! budget pays for no view types per chart. Its events are heard once on the region
//! (delegation): a point names its card by entry (`data-e`), a table toggle its chart
//! (`data-table`). No chart library, for the same budget. Each chart has a table toggle with
//! the same numbers, built when it is opened.

use std::fmt::Write;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::state::AppState;
use traceboard_core::flow::{Aging, Flow, flow, iso_date};
use traceboard_core::stage::Stage;

/// Whether the Flow view shows instead of the board's columns; provided by `App`.
#[derive(Clone, Copy)]
pub struct FlowOpen(pub RwSignal<bool>);

/// Whether the Flow view is open (false before `App` provides it).
pub fn is_open() -> bool {
    use_context::<FlowOpen>().is_some_and(|o| o.0.get())
}

/// The toolbar's "Flow" toggle.
#[component]
pub fn FlowToggle() -> impl IntoView {
    let open = expect_context::<FlowOpen>().0;
    let state = expect_context::<AppState>();
    view! {
        <button
            type="button"
            aria-pressed=move || if open.get() { "true" } else { "false" }
            disabled=move || !state.board_open.get()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "Flow"
        </button>
    }
}

/// The plot's size in the SVG's own units, and its margins.
const W: i32 = 1000;
const H: i32 = 400;
const LEFT: i32 = 64;
const RIGHT: i32 = 48;
const TOP: i32 = 16;
const BOTTOM: i32 = 56;

/// Escapes text for markup, in an attribute or between tags.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    traceboard_core::agents::escape_html(&mut out, text);
    out
}

/// A round step for an axis from 0 to `max`: 1, 2 or 5 times a power of ten, at most
/// five ticks.
fn tick_step(max: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for m in [1, 2, 5] {
            let s = step.saturating_mul(m);
            if max / s.max(1) <= 5 {
                return s.max(1);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The top of a value axis: `max` rounded up to its step (at least one step).
fn axis_top(max: u32) -> (u32, u32) {
    let step = tick_step(max.max(1));
    (step, max.max(1).div_ceil(step) * step)
}

/// A value axis for points: a step of room above the highest, so no point sits on the edge.
fn points_top(max: u32) -> (u32, u32) {
    let (step, top) = axis_top(max);
    if top <= max {
        (step, top + step)
    } else {
        (step, top)
    }
}

/// The y coordinate of `v` on an axis from 0 to `top`.
fn y_of(v: u32, top: u32) -> i32 {
    let plot = i64::from(H - TOP - BOTTOM);
    (i64::from(H - BOTTOM) - i64::from(v) * plot / i64::from(top.max(1))) as i32
}

/// The x coordinate of `i` out of `n` across the plot.
fn x_of(i: i64, n: i64) -> i32 {
    let plot = i64::from(W - LEFT - RIGHT);
    (i64::from(LEFT) + i * plot / n.max(1)) as i32
}

/// The axes' lines, the value axis's ticks and its title, and the time axis's title.
fn axes(svg: &mut String, top: u32, step: u32, y_title: &str, x_title: &str) {
    let mut v = 0;
    while v <= top {
        let y = y_of(v, top);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{v}</text>",
            W - RIGHT,
            LEFT - 8,
            y + 4
        );
        v += step;
    }
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{b}\"/><line class=\"axis\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\"/>\
         <text class=\"axis-title\" transform=\"rotate(-90)\" x=\"{}\" y=\"16\" text-anchor=\"middle\">{y_title}</text>\
         <text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{x_title}</text>",
        W - RIGHT,
        -(TOP + H - BOTTOM) / 2,
        (LEFT + W - RIGHT) / 2,
        H - 8,
        b = H - BOTTOM,
    );
}

/// Date ticks under a time axis from day `first` over `n` days.
fn date_ticks(svg: &mut String, first: i64, n: i64, centred: bool) {
    // Evenly stepped, at most six labels, so they never crowd.
    let step = ((n - 1) / 5 + i64::from((n - 1) % 5 != 0)).max(1);
    for i in (0..n).step_by(step as usize) {
        let mut x = x_of(i, n);
        if centred {
            x += x_of(1, n) / 2 - LEFT / 2;
        }
        let _ = write!(
            svg,
            "<line class=\"axis\" x1=\"{x}\" x2=\"{x}\" y1=\"{b}\" y2=\"{}\"/><text class=\"tick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            H - BOTTOM + 5,
            H - BOTTOM + 20,
            iso_date(first + i),
            b = H - BOTTOM,
        );
    }
}

/// The cumulative flow diagram: one band per stage, Reviewed at the bottom and Backlog on
/// top (the legend's order read from the top), each day a step as wide as the day.
fn cumulative_svg(f: &Flow) -> String {
    let c = &f.cumulative;
    let n = c.counts.len() as i64;
    let total = c
        .counts
        .iter()
        .map(|r| r.iter().sum::<u32>())
        .max()
        .unwrap_or(0);
    let (step, top) = axis_top(total);
    let mut svg = String::new();
    axes(&mut svg, top, step, "Cards", "Date (UTC, end of day)");
    // Below band `s` lie the stages after it.
    let below = |row: &[u32; 5], s: usize| row[s + 1..].iter().sum::<u32>();
    for s in (0..5).rev() {
        let upper = |i: usize| y_of(below(&c.counts[i], s) + c.counts[i][s], top);
        let lower = |i: usize| y_of(below(&c.counts[i], s), top);
        let _ = write!(svg, "<path class=\"band s{s}\" d=\"M{LEFT},{}", upper(0));
        for i in 1..c.counts.len() {
            if upper(i) != upper(i - 1) {
                let _ = write!(svg, "H{}V{}", x_of(i as i64, n), upper(i));
            }
        }
        let last = c.counts.len() - 1;
        let _ = write!(svg, "H{}V{}", W - RIGHT, lower(last));
        for i in (1..c.counts.len()).rev() {
            if lower(i) != lower(i - 1) {
                let _ = write!(svg, "H{}V{}", x_of(i as i64, n), lower(i - 1));
            }
        }
        let _ = write!(svg, "H{LEFT}Z\"/>");
    }
    date_ticks(&mut svg, c.first, n, true);
    svg
}

/// A point: a focusable circle named for screen readers, its card in `data-e`; larger when
/// it stands for several cards.
fn point(
    svg: &mut String,
    first: bool,
    entry: usize,
    at: (i32, i32, usize),
    class: &str,
    name: &str,
) {
    let (x, y, count) = at;
    let r = match count {
        1 => 6,
        2..=9 => 8,
        _ => 10,
    };
    let _ = write!(
        svg,
        "<circle class=\"pt {class}\" cx=\"{x}\" cy=\"{y}\" r=\"{r}\" data-e=\"{entry}\" role=\"button\" tabindex=\"{}\" aria-label=\"{}\"/>",
        if first { 0 } else { -1 },
        esc(name)
    );
}

fn days(n: u32) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

/// A percentile's line across the plot, labelled in the right margin: the 85th above its
/// line and the 50th below, so the two labels never meet.
fn percentile_line(svg: &mut String, p: u32, value: Option<u32>, top: u32) {
    let Some(v) = value else { return };
    let y = y_of(v, top);
    let _ = write!(
        svg,
        "<line class=\"pct\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"pct-label\" x=\"{}\" y=\"{}\">{p}%</text>",
        W - RIGHT,
        W - RIGHT + 4,
        if p >= 85 { y - 3 } else { y + 14 },
    );
}

/// Cycle times over the day each card was first reviewed, with the 50th and 85th
/// percentiles.
fn cycle_svg(f: &Flow) -> String {
    let c = &f.cycles;
    let first = c.cycles.iter().map(|c| c.reviewed).min().unwrap_or(0);
    let last = c.cycles.iter().map(|c| c.reviewed).max().unwrap_or(0);
    let n = last - first + 1;
    let max = c.cycles.iter().map(|c| c.days).max().unwrap_or(0);
    let (step, top) = points_top(max);
    let mut svg = String::new();
    axes(
        &mut svg,
        top,
        step,
        "Cycle time (days)",
        "Reviewed on (UTC)",
    );
    date_ticks(&mut svg, first, n, true);
    percentile_line(&mut svg, 50, c.p50, top);
    percentile_line(&mut svg, 85, c.p85, top);
    let half = x_of(1, n) / 2 - LEFT / 2;
    let keys = c.cycles.iter().map(|c| (c.reviewed, c.days)).collect();
    for (k, (i, count)) in spots(keys).into_iter().enumerate() {
        let cycle = &c.cycles[i];
        let name = format!(
            "{}: cycle time {}, reviewed {}",
            named(&cycle.id, count),
            days(cycle.days),
            iso_date(cycle.reviewed)
        );
        let x = x_of(cycle.reviewed - first, n) + half;
        let y = y_of(cycle.days, top);
        point(&mut svg, k == 0, cycle.entry, (x, y, count), "s4", &name);
    }
    svg
}

/// Points that fall on one spot (the same day and value) drawn as one: the index of the
/// first and how many there are. A large board has thousands of cards but far fewer spots,
/// and the page draws only those.
fn spots(keys: Vec<(i64, u32)>) -> Vec<(usize, usize)> {
    let mut seen = std::collections::HashMap::new();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        let at = *seen.entry(key).or_insert(out.len());
        if at == out.len() {
            out.push((i, 0));
        }
        out[at].1 += 1;
    }
    out
}

/// A spot's name: its first card, and how many more share it.
fn named(id: &str, count: usize) -> String {
    match count {
        1 => id.to_owned(),
        n => format!("{id} and {} more", n - 1),
    }
}

/// The stages aging work is in, left to right.
const WIP: [Stage; 3] = [Stage::TestWritten, Stage::Red, Stage::Green];

/// Each card in Test written, Red or Green at its age there, in its stage's column (spread
/// across it by age); cards of one stage and age share a point.
fn aging_svg(f: &Flow) -> String {
    let max = f
        .aging
        .iter()
        .filter_map(|a| a.since)
        .map(|s| s.1)
        .max()
        .unwrap_or(0);
    let (step, top) = points_top(max);
    let mut svg = String::new();
    axes(&mut svg, top, step, "Age in stage (days)", "Stage");
    let col = (W - LEFT - RIGHT) / 3;
    for (k, stage) in WIP.into_iter().enumerate() {
        let x0 = LEFT + col * k as i32;
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x0 + col / 2,
            H - BOTTOM + 20,
            stage.title()
        );
        if k > 0 {
            let _ = write!(
                svg,
                "<line class=\"grid\" x1=\"{x0}\" x2=\"{x0}\" y1=\"{TOP}\" y2=\"{}\"/>",
                H - BOTTOM
            );
        }
    }
    // The points last and one after another, so the arrow keys walk through all of them.
    let known: Vec<(&Aging, i64, u32)> = f
        .aging
        .iter()
        .filter_map(|a| Some((a, a.since?.0, a.since?.1)))
        .collect();
    let keys = known
        .iter()
        .map(|(a, _, age)| (a.stage.index() as i64, *age))
        .collect();
    for (k, (i, count)) in spots(keys).into_iter().enumerate() {
        let (a, since, age) = known[i];
        let column = WIP.iter().position(|s| *s == a.stage).unwrap_or(0) as i32;
        // Spread over the middle of the column by age, so neighbouring ages stand apart.
        let x = LEFT + col * column + col / 6 + ((age % 1_000) as i32 * 37) % (col * 2 / 3);
        let name = format!(
            "{}: {} for {}, since {}",
            named(&a.id, count),
            a.stage.title(),
            days(age),
            iso_date(since)
        );
        let class = format!("s{}", a.stage.index());
        point(
            &mut svg,
            k == 0,
            a.entry,
            (x, y_of(age, top), count),
            &class,
            &name,
        );
    }
    svg
}

/// The table beside each chart, as rows of cells (the first a header cell).
fn rows(rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let _ = write!(out, "<{tag}>{}</{}>", esc(cell), &tag[..2]);
        }
        out.push_str("</tr>");
    }
    out
}

fn cumulative_rows(f: &Flow) -> String {
    let c = &f.cumulative;
    rows(c.counts.iter().enumerate().map(|(i, row)| {
        let mut cells = vec![iso_date(c.first + i as i64)];
        cells.extend(row.iter().map(u32::to_string));
        cells
    }))
}

fn cycle_rows(f: &Flow) -> String {
    rows(f.cycles.cycles.iter().map(|c| {
        vec![
            c.id.clone(),
            iso_date(c.started),
            iso_date(c.reviewed),
            c.days.to_string(),
        ]
    }))
}

fn aging_rows(f: &Flow) -> String {
    rows(f.aging.iter().map(|a| {
        let (since, age) = a
            .since
            .map_or(("unknown".into(), "unknown".into()), |(d, n)| {
                (iso_date(d), n.to_string())
            });
        vec![a.id.clone(), a.stage.title().into(), since, age]
    }))
}

/// The three charts: title, what the SVG shows, whether it has points, the legend, the
/// table's caption and columns.
struct ChartKind {
    title: &'static str,
    label: &'static str,
    points: bool,
    legend: &'static [Stage],
    caption: &'static str,
    head: &'static [&'static str],
    svg: fn(&Flow) -> String,
    note: fn(&Flow) -> String,
    rows: fn(&Flow) -> String,
}

const CHARTS: [ChartKind; 3] = [
    ChartKind {
        title: "Cumulative flow",
        label: "Cumulative flow diagram: cards in each stage at the end of each day; the table has the numbers",
        points: false,
        legend: &Stage::ALL,
        caption: "Cards in each stage at the end of each day (UTC). A card counts in the stage it is in that day; before its first move in the stage it moved from, and a card that never moved in its current stage on every day.",
        head: &[
            "Date",
            "Backlog",
            "Test written",
            "Red",
            "Green",
            "Reviewed",
        ],
        svg: cumulative_svg,
        note: |f| {
            let c = &f.cumulative;
            format!(
                "{} days from {} to {}. Each card counts in the stage it is in at the end of each day, so a move back lowers the later band.",
                c.counts.len(),
                iso_date(c.first),
                iso_date(c.first + c.counts.len() as i64 - 1)
            )
        },
        rows: cumulative_rows,
    },
    ChartKind {
        title: "Cycle time",
        label: "Cycle time of each reviewed requirement over the day it was reviewed; each point opens its card",
        points: true,
        legend: &[],
        caption: "Cycle time per reviewed requirement: from the day it first left Backlog to the day it was first reviewed, in days counting both.",
        head: &[
            "Requirement",
            "Left Backlog",
            "Reviewed",
            "Cycle time (days)",
        ],
        svg: cycle_svg,
        note: |f| {
            let c = &f.cycles;
            match (c.p50, c.p85) {
                (Some(p50), Some(p85)) => format!(
                    "{} reviewed requirements. 50th percentile: {}; 85th percentile: {} (nearest rank). Cycle time runs from the day a card first left Backlog to the day it was first reviewed, both counted.",
                    c.cycles.len(),
                    days(p50),
                    days(p85)
                ),
                _ => "No requirement has reached Reviewed yet.".to_owned(),
            }
        },
        rows: cycle_rows,
    },
    ChartKind {
        title: "Aging work in progress",
        label: "Age of each card in Test written, Red or Green in its stage; each point opens its card",
        points: true,
        legend: &WIP,
        caption: "Each card in Test written, Red or Green: the day it last entered its stage and its age there in days, counting that day and today.",
        head: &["Requirement", "Stage", "In stage since", "Age (days)"],
        svg: aging_svg,
        note: |f| {
            let unknown: Vec<&str> = f
                .aging
                .iter()
                .filter(|a| a.since.is_none())
                .map(|a| a.id.as_str())
                .collect();
            let mut text = format!(
                "{} cards in progress; a larger point stands for several of one stage and age.",
                f.aging.len()
            );
            if !unknown.is_empty() {
                let _ = write!(
                    text,
                    " Age unknown (no move into their stage recorded): {}",
                    unknown[..unknown.len().min(20)].join(", ")
                );
                if unknown.len() > 20 {
                    let _ = write!(text, " and {} more", unknown.len() - 20);
                }
                text.push('.');
            }
            text
        },
        rows: aging_rows,
    },
];

/// A percentile of the cycle times in days, or "none" without reviewed requirements.
fn percentile(value: Option<u32>) -> String {
    value.map_or("none".to_owned(), days)
}

/// A chart's table, with the same numbers as its drawing.
fn table(kind: &ChartKind, f: &Flow) -> String {
    let mut out = format!("<table><caption>{}", kind.caption);
    if kind.title == "Cycle time" {
        let _ = write!(
            out,
            " 50th percentile: {}; 85th percentile: {}.",
            percentile(f.cycles.p50),
            percentile(f.cycles.p85)
        );
    }
    out.push_str("</caption><thead><tr>");
    for h in kind.head {
        let _ = write!(out, "<th scope=\"col\">{h}</th>");
    }
    let _ = write!(
        out,
        "</tr></thead><tbody>{}</tbody></table>",
        (kind.rows)(f)
    );
    out
}

/// The whole view as markup: the empty state or the three charts, with the tables that are
/// open.
fn markup(f: &Flow, tables: [bool; 3]) -> String {
    let mut out = String::from("<h2>Flow</h2>");
    if f.unreadable > 0 {
        let n = f.unreadable;
        let _ = write!(
            out,
            "<p class=\"flow-note\">{n} history step{} could not be read (a time or a stage the board does not know) and {} left out.</p>",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        );
    }
    if f.steps == 0 {
        out.push_str("<p class=\"flow-empty\">No card has moved yet. Once cards move, this view shows how many cards were in each stage each day (cumulative flow), how many days each requirement took from leaving Backlog to Reviewed (cycle time), and how long each card in Test written, Red or Green has been in its stage (aging work in progress).</p>");
        return out;
    }
    for (k, kind) in CHARTS.iter().enumerate() {
        let _ = write!(
            out,
            "<figure class=\"flow-chart\" aria-labelledby=\"flow-h{k}\"><h3 id=\"flow-h{k}\">{}</h3>",
            kind.title
        );
        if k == 1 {
            let _ = write!(
                out,
                "<ul class=\"flow-legend\" aria-label=\"Cycle time legend\"><li><span class=\"swatch dot s4\" aria-hidden=\"true\"></span>A reviewed requirement (a larger point: several on one spot)</li><li><span class=\"swatch dash\" aria-hidden=\"true\"></span>50%: 50th percentile, {}</li><li><span class=\"swatch dash\" aria-hidden=\"true\"></span>85%: 85th percentile, {}</li></ul>",
                percentile(f.cycles.p50),
                percentile(f.cycles.p85)
            );
        }
        if !kind.legend.is_empty() {
            let _ = write!(
                out,
                "<ul class=\"flow-legend\" aria-label=\"{} legend\">",
                kind.title
            );
            for s in kind.legend {
                let _ = write!(
                    out,
                    "<li><span class=\"swatch s{}\" aria-hidden=\"true\"></span>{}</li>",
                    s.index(),
                    s.title()
                );
            }
            out.push_str("</ul>");
        }
        let _ = write!(
            out,
            "<div class=\"flow-plot\"><svg viewBox=\"0 0 {W} {H}\" role=\"{}\" aria-label=\"{}\">{}</svg><div class=\"flow-tip\" aria-hidden=\"true\" hidden></div></div><p class=\"flow-note\">{}</p>",
            if kind.points { "group" } else { "img" },
            kind.label,
            (kind.svg)(f),
            esc(&(kind.note)(f))
        );
        let open = tables[k];
        let _ = write!(
            out,
            "<button type=\"button\" class=\"flow-table-toggle\" data-table=\"{k}\" aria-expanded=\"{open}\" aria-label=\"{0} table: {1}\">{0} table</button><div class=\"flow-table\">{2}</div></figure>",
            if open { "Hide" } else { "Show" },
            kind.title,
            if open { table(kind, f) } else { String::new() },
        );
    }
    out
}

/// Today's day number from the browser's clock.
fn today() -> i64 {
    (js_sys::Date::now() / 86_400_000.0).floor() as i64
}

/// The Flow view: the three charts of the open board, or what they will show once cards
/// move. Mounted only while it is open, so a closed view computes nothing.
#[component]
pub fn FlowView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = expect_context::<FlowOpen>().0;
    move || open.get().then(|| flow_region(state))
}

fn flow_region(state: AppState) -> impl IntoView {
    // The numbers last drawn (for the tables, built when opened) and which tables are open.
    let shown = StoredValue::new((Flow::default(), [false; 3]));
    let region = NodeRef::<leptos::html::Section>::new();
    // One listener for every event the view handles (delegation), added once it is mounted.
    region.on_load(move |el| {
        let handler = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(
            move |ev: web_sys::Event| on_event(state, shown, &ev),
        );
        for kind in [
            "click",
            "keydown",
            "focusin",
            "focusout",
            "mouseover",
            "mouseout",
        ] {
            let _ = el.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
        }
        // The element and its listeners go when the view closes; the closure itself is kept
        // (a few bytes each time the view opens), which spares the page a cleanup's code.
        handler.forget();
    });
    view! {
        <section
            class="flow"
            role="region"
            aria-label="Flow"
            node_ref=region
            inner_html=move || {
                state.revision.track();
                let f = state
                    .with_board(|b| b.map(|b| flow(b, today())))
                    .unwrap_or_default();
                let html = markup(&f, shown.with_value(|s| s.1));
                shown.update_value(|s| s.0 = f);
                html
            }
        ></section>
    }
}

/// Every event of the view: a point opens its card (click, Enter, Space), shows its name
/// (hover, focus) and hands focus to its neighbours (arrow keys; one point per chart is in
/// the tab order); a table toggle builds or removes its table.
fn on_event(state: AppState, shown: StoredValue<(Flow, [bool; 3])>, ev: &web_sys::Event) {
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let kind = ev.type_();
    if let Ok(Some(button)) = target.closest("[data-table]") {
        if kind == "click" {
            toggle_table(shown, &button);
        }
        return;
    }
    if !target.has_attribute("data-e") {
        return;
    }
    let open = |el: &Element| {
        if let Some(entry) = el.get_attribute("data-e").and_then(|e| e.parse().ok()) {
            state.open_details(entry);
        }
    };
    let tip = target
        .closest("figure")
        .ok()
        .flatten()
        .and_then(|f| f.query_selector(".flow-tip").ok().flatten());
    match kind.as_str() {
        "click" => open(&target),
        "focusin" | "mouseover" => {
            // One tooltip at a time: the focused point's goes when the pointer names another.
            if let Some(region) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                && let Ok(open) = region.query_selector_all(".flow-tip:not([hidden])")
            {
                for i in 0..open.length() {
                    if let Some(t) = open.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                        let _ = t.set_attribute("hidden", "");
                    }
                }
            }
            if let Some(tip) = tip {
                let num = |a: &str| {
                    target
                        .get_attribute(a)
                        .and_then(|v| v.parse::<i32>().ok())
                        .unwrap_or(0)
                };
                tip.set_text_content(target.get_attribute("aria-label").as_deref());
                let x = num("cx") * 100 / W;
                let _ =
                    tip.set_attribute("style", &format!("left:{x}%;top:{}%", num("cy") * 100 / H));
                // Near an edge the tooltip grows inwards, so it stays inside the chart.
                let side = if x > 70 {
                    "end"
                } else if x < 30 {
                    "start"
                } else {
                    "mid"
                };
                let _ = tip.set_attribute("data-side", side);
                let _ = tip.remove_attribute("hidden");
            }
        }
        "focusout" | "mouseout" => {
            if let Some(tip) = tip {
                let _ = tip.set_attribute("hidden", "");
            }
        }
        "keydown" => {
            let Some(key) = ev.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else {
                return;
            };
            let next = match key.as_str() {
                "Enter" | " " => {
                    ev.prevent_default();
                    open(&target);
                    return;
                }
                "ArrowRight" | "ArrowDown" => target.next_element_sibling(),
                "ArrowLeft" | "ArrowUp" => target.previous_element_sibling(),
                _ => return,
            };
            ev.prevent_default();
            if let Some(next) = next.filter(|n| n.has_attribute("data-e")) {
                let _ = target.set_attribute("tabindex", "-1");
                let _ = next.set_attribute("tabindex", "0");
                // `focus` is called on the element itself, so an SVG element takes it too.
                let _ = next.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
        }
        _ => {}
    }
}

/// Opens or closes a chart's table: built from the numbers when opened, removed when closed.
fn toggle_table(shown: StoredValue<(Flow, [bool; 3])>, button: &Element) {
    let Some(k) = button
        .get_attribute("data-table")
        .and_then(|k| k.parse::<usize>().ok())
        .filter(|k| *k < 3)
    else {
        return;
    };
    let open = shown.with_value(|s| !s.1[k]);
    shown.update_value(|s| s.1[k] = open);
    let kind = &CHARTS[k];
    let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
    let verb = if open { "Hide" } else { "Show" };
    let _ = button.set_attribute("aria-label", &format!("{verb} table: {}", kind.title));
    button.set_text_content(Some(&format!("{verb} table")));
    if let Some(holder) = button.next_element_sibling() {
        let html = if open {
            shown.with_value(|s| table(kind, &s.0))
        } else {
            String::new()
        };
        holder.set_inner_html(&html);
    }
}
