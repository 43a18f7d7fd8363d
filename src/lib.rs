//! Traceboard's shell: the Leptos app (`ui`) and the browser's storage (`storage`) on top of
//! the pure core crate, `traceboard_core`. See ARCHITECTURE.md for the code map.

pub mod storage;
pub mod ui;
