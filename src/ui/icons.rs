//! Small inline SVG icons for the toolbar, drawn with one outlined path each.
//!
//! One component takes the path's data, so every icon shares the same code and costs the page
//! only its path string; there is no icon font and nothing is fetched. Icons are decoration:
//! each is `aria-hidden`, and the control it sits in keeps its own text as its accessible name
//! (visible, or visually hidden for the icon-only Undo and Redo).

use leptos::prelude::*;

/// An arrow bending back to the left.
pub const UNDO: &str = "M9 14 4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3";
/// An arrow bending forward to the right.
pub const REDO: &str = "m15 14 5-5-5-5m5 5H9a5 5 0 0 0 0 10h3";
/// A tray with an arrow into it: the file comes onto the board.
pub const IMPORT: &str = "M12 4v11m-4-4 4 4 4-4M4 17v3h16v-3";
/// A tray with an arrow out of it: the file leaves the board.
pub const EXPORT: &str = "M12 15V4M8 8l4-4 4 4M4 17v3h16v-3";
/// A disk, for saving into the file.
pub const SAVE: &str = "M5 4h11l3 3v13H5zM8 4v5h7V4M8 20v-6h8v6";
/// Three lines: the narrow window's menu of board actions.
/// A plus: something new.
pub const PLUS: &str = "M12 5v14M5 12h14";
pub const MENU: &str = "M4 7h16M4 12h16M4 17h16";
/// A caret pointing down: a button that opens a list.
pub const CARET: &str = "m7 10 5 5 5-5";
/// A magnifying glass, beside the search box.
pub const SEARCH: &str = "M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zm4.6-1.9L20 20";

/// One icon, sized to the text around it (`.icon` in the style sheet) and hidden from
/// assistive technology.
#[component]
pub fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path />
        </svg>
    }
}

/// A funnel: the filters beside the search.
pub const FILTER: &str = "M4 5h16l-6 8v6l-4-2v-4z";
