//! Traceboard: a TDD planning board for traceability matrices, in the browser.
//!
//! The core (`stage`, `matrix`, `requirement`, `board`, `workspace`, `agents`) is plain Rust
//! with plain `#[test]`s; the shell (`ui`, `storage`) is a thin Leptos layer on top of it.
//! See ARCHITECTURE.md for the code map and its invariants.

pub mod agents;
pub mod board;
pub mod matrix;
pub mod requirement;
pub mod stage;
pub mod storage;
pub mod team;
pub mod ui;
pub mod workspace;
