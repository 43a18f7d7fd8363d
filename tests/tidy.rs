//! Source rules that keep the download small, checked over `src/` like rust-analyzer's tidy
//! tests. Each rule names a call that would link a large piece of the standard library into the
//! wasm for little use, and the cheaper way this project does the same thing. `make bench`
//! measures the size itself; these rules say why it stays there.
//!
//! Test code (files named `tests.rs`, and everything after a `#[cfg(test)]` line) is exempt:
//! it never reaches the browser.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

/// A call that must not appear in code that ships, and what to do instead.
const RULES: [(&str, &str); 9] = [
    (
        ".sort(",
        "each sort instantiation is 3-5 KB of wasm; insert in place or break ties while scanning",
    ),
    (".sort_by", "see `.sort(`"),
    (".sort_unstable", "see `.sort(`"),
    (
        "to_lowercase(",
        "Unicode case tables are 18 KB gzipped; use to_ascii_lowercase, or ui::lower_case for text a person searches",
    ),
    (
        "to_uppercase(",
        "see `to_lowercase(`; CSS text-transform can do it",
    ),
    ("char::to_lowercase", "see `to_lowercase(`"),
    ("char::to_uppercase", "see `to_lowercase(`"),
    (
        "{:.",
        "a float with a precision links float printing; use matrix::megabytes or whole numbers",
    ),
    (
        "is_alphanumeric()",
        "Unicode property tables; use is_ascii_alphanumeric and treat other characters explicitly",
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines of `text` that ship: everything before a `#[cfg(test)]` line, with comments
/// dropped, numbered from 1.
fn shipped_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
}

#[test]
fn shipped_code_links_no_large_std_routines() {
    let mut files = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The shell and the core crate both ship in the wasm.
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("core/src"), &mut files);
    assert!(files.len() > 10, "found only {} files", files.len());
    let mut breaches = Vec::new();
    for path in files.iter().filter(|p| !p.ends_with("tests.rs")) {
        let text = fs::read_to_string(path).expect("a source file is UTF-8");
        for (number, line) in shipped_lines(&text) {
            for (call, instead) in RULES {
                if line.contains(call) {
                    breaches.push(format!("{}:{number}: `{call}`: {instead}", path.display()));
                }
            }
        }
    }
    assert!(breaches.is_empty(), "{}", breaches.join("\n"));
}

#[test]
fn the_rules_see_what_they_look_for() {
    let text = "let a = b.to_lowercase();\n// v.sort();\n#[cfg(test)]\nv.sort();\n";
    let lines: Vec<(usize, &str)> = shipped_lines(text).collect();
    assert_eq!(lines, [(1, "let a = b.to_lowercase();")]);
}
