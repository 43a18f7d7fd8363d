//! Source rules that keep the download small, checked over `src/` and `core/src/` like
//! rust-analyzer's tidy tests. Each rule names a call that would link a large piece of the
//! standard library into the wasm for little use, and the cheaper way this project does the
//! same thing. Three kinds of rule: plain substrings (`RULES`), Unicode character classes
//! matched as whole words (`CHAR_CLASSES`, so `is_ascii_*` stays allowed), and a float
//! precision inside a format string's braces (`{:.1}`, `{x:.2}`, `{:>8.3}`). `make bench`
//! measures the size itself; these rules say why it stays there.
//!
//! Test code (files named `tests.rs`, and everything after a `#[cfg(test)]` line) is exempt:
//! it never reaches the browser.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

/// A call that must not appear in code that ships, and what to do instead.
const RULES: [(&str, &str); 7] = [
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
];

/// Character classes whose `char` methods look up Unicode property tables. Each is matched as
/// a whole word, so a method call (`c.is_alphabetic()`) and a path (`char::is_numeric`) are
/// both caught while `is_ascii_alphabetic` and the like stay allowed.
const CHAR_CLASSES: [&str; 5] = [
    "is_alphabetic",
    "is_alphanumeric",
    "is_lowercase",
    "is_uppercase",
    "is_numeric",
];

/// What to do instead of a Unicode character class.
const CHAR_CLASS_INSTEAD: &str =
    "Unicode property tables; use the is_ascii_* method and treat other characters explicitly";

/// What to do instead of a float precision in a format string.
const PRECISION_INSTEAD: &str =
    "a float with a precision links float printing; use matrix::megabytes or whole numbers";

/// Whether `word` occurs in `line` with no identifier character on either side.
fn has_word(line: &str, word: &str) -> bool {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = line.as_bytes();
    line.match_indices(word).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + word.len()).copied();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Whether `line` holds a format placeholder with a precision: braces whose content has no
/// whitespace (a struct literal or a block always has some, after rustfmt), a name or
/// position before the first `:` that is not part of a `::` path, and a `.` followed by a digit
/// or `*` (or a `name$` argument) after it. `{:.1}`, `{x:.2}`, `{0:>8.3}`, `{:.*}` and
/// `{:.prec$}` are caught; `{x}`, `{x:>8}` and
/// `Point { x: 0.5 }` are not.
fn has_precision(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(['{', '}']) else {
            return false;
        };
        let inside = &rest[..close];
        if !inside.contains(char::is_whitespace)
            && let Some((name, spec)) = inside.split_once(':')
        {
            let plain_name = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            let precise = spec.split('.').skip(1).any(|after| {
                after.starts_with(|c: char| c.is_ascii_digit() || c == '*') || after.ends_with('$')
            });
            if plain_name && !spec.starts_with(':') && precise {
                return true;
            }
        }
    }
    false
}

/// Every rule `line` breaks, as `(what, instead)`.
fn breaches_of(line: &str) -> Vec<(&'static str, &'static str)> {
    let mut found: Vec<(&str, &str)> = RULES
        .into_iter()
        .filter(|(call, _)| line.contains(call))
        .collect();
    found.extend(
        CHAR_CLASSES
            .into_iter()
            .filter(|class| has_word(line, class))
            .map(|class| (class, CHAR_CLASS_INSTEAD)),
    );
    if has_precision(line) {
        found.push(("{…:.N}", PRECISION_INSTEAD));
    }
    found
}

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
            for (call, instead) in breaches_of(line) {
                breaches.push(format!("{}:{number}: `{call}`: {instead}", path.display()));
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

#[test]
fn each_rule_catches_a_sample_line() {
    let caught = |line: &str| -> Vec<&str> { breaches_of(line).into_iter().map(|b| b.0).collect() };
    // The substring rules.
    assert_eq!(caught("    cards.sort();"), [".sort("]);
    assert_eq!(caught("let l = name.to_lowercase();"), ["to_lowercase("]);
    // Inline and positional precision, with width and alignment, and `.*`.
    for line in [
        r#"format!("{:.1} MB", size)"#,
        r#"format!("{x:.1} MB")"#,
        r#"format!("{value:.2}")"#,
        r#"format!("{0:>8.3}", ratio)"#,
        r#"format!("{:.*}", 2, ratio)"#,
        r#"format!("{:.prec$}", ratio)"#,
    ] {
        assert!(caught(line).contains(&"{…:.N}"), "{line}");
    }
    // Unicode character classes, as methods and as paths.
    for (line, class) in [
        ("if c.is_alphabetic() {", "is_alphabetic"),
        ("s.chars().all(char::is_alphanumeric)", "is_alphanumeric"),
        ("if c.is_lowercase() {", "is_lowercase"),
        ("s.chars().any(char::is_uppercase)", "is_uppercase"),
        ("if c.is_numeric() {", "is_numeric"),
    ] {
        assert_eq!(caught(line), [class], "{line}");
    }
}

#[test]
fn the_rules_leave_cheap_code_alone() {
    for line in [
        r#"format!("{x} of {total}: {:>8}", name)"#,
        "let p = Point { x: 0.5, y: 1.0 };",
        r#"format!("{}", std::f64::consts::PI)"#,
        "let t = (a.0, b.1);",
        "if c.is_ascii_alphabetic() || c.is_ascii_digit() || c.is_ascii_lowercase() {",
        "fn is_numeric_id(text: &str) -> bool {",
        "let kind = my_is_uppercase;",
    ] {
        assert!(
            breaches_of(line).is_empty(),
            "{line}: {:?}",
            breaches_of(line)
        );
    }
}
