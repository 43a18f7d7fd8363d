//! Traceboard's core: plain Rust with plain `#[test]`s, and no browser dependency.
//!
//! It reads a traceability matrix (`matrix`, `requirement`), applies the TDD board's rules
//! (`stage`, `board`), decides which cards each column shows (`columns`), reads agent
//! definitions (`agents`, `team`), holds the one way to change any of it (`workspace`) and
//! what autosave keeps (`saved`). The Leptos shell in the crate above only reads these types
//! and sends `workspace::Action`s. See ARCHITECTURE.md for the code map.

pub mod agents;
pub mod board;
pub mod columns;
pub mod ears;
pub mod fields;
pub mod flow;
pub mod health;
pub mod join;
pub mod matrix;
pub mod merge;
pub mod requirement;
pub mod results;
pub mod saved;
pub mod stage;
pub mod team;
pub mod vocabulary;
pub mod workspace;
