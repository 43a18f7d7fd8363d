//! The built `traceboard-merge` run as git runs it: `%O %A %B %P` on files in a scratch
//! directory, checking the exit status, what `%A` holds afterwards and what stderr says.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const DRIVER: &str = env!("CARGO_BIN_EXE_traceboard-merge");

/// A fresh directory of its own under the system's temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "traceboard-merge-test-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, bytes).expect("a version written");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn driver(args: &[&Path]) -> Output {
    Command::new(DRIVER)
        .args(args)
        .output()
        .expect("the driver runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An origin-format matrix: one requirement per stage word given, 2-space indented.
fn matrix(stages: &[&str]) -> String {
    let mut text = String::from("{\n  \"requirements\": [");
    for (i, stage) in stages.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "\n    {{\n      \"id\": \"REQ-{n:03}\",\n      \"ears\": \"THE SYSTEM SHALL do thing {n}.\",\n      \"tdd_stage\": \"{stage}\",\n      \"tests\": [\n        \"tests/test_{n}.py\"\n      ],\n      \"code\": [],\n      \"tdd_history\": []\n    }}",
            n = i + 1
        ));
    }
    text.push_str("\n  ]\n}\n");
    text
}

#[test]
fn a_clean_merge_writes_both_sides_into_ours_and_exits_0() {
    let dir = Scratch::new("clean");
    let base = dir.file("base", matrix(&["backlog", "backlog", "backlog"]));
    let ours = dir.file("ours", matrix(&["backlog", "red", "backlog"]));
    let theirs = dir.file("theirs", matrix(&["backlog", "backlog", "red"]));
    let output = driver(&[&base, &ours, &theirs, Path::new("traceability_matrix.json")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert_eq!(
        fs::read_to_string(&ours).expect("the result"),
        matrix(&["backlog", "red", "red"])
    );
    // Nothing but the three versions is left in the directory.
    assert_eq!(fs::read_dir(&dir.0).expect("listing").count(), 3);
}

#[test]
fn a_conflict_keeps_ours_lists_the_requirement_and_key_and_exits_1() {
    let dir = Scratch::new("conflict");
    let base = dir.file("base", matrix(&["backlog", "backlog", "backlog"]));
    let ours = dir.file("ours", matrix(&["test_written", "red", "backlog"]));
    let theirs = dir.file("theirs", matrix(&["backlog", "green", "red"]));
    let output = driver(&[&base, &ours, &theirs, Path::new("traceability_matrix.json")]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.starts_with(
            "traceboard-merge: traceability_matrix.json: 1 conflicting requirement key(s); ours kept in the file:\n"
        ),
        "{message}"
    );
    assert!(
        message.contains("  REQ-002 \"tdd_stage\": ours \"red\", theirs \"green\"\n"),
        "{message}"
    );
    // Ours for the conflicting key, both sides' other changes.
    assert_eq!(
        fs::read_to_string(&ours).expect("the result"),
        matrix(&["test_written", "red", "red"])
    );
}

#[test]
fn without_a_path_name_messages_name_ours() {
    let dir = Scratch::new("no-name");
    let base = dir.file("base", matrix(&["backlog"]));
    let ours = dir.file("ours", matrix(&["red"]));
    let theirs = dir.file("theirs", matrix(&["green"]));
    let output = driver(&[&base, &ours, &theirs]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with(&format!("traceboard-merge: {}: ", ours.display())),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unreadable_theirs_exits_2_and_leaves_ours_byte_for_byte() {
    let dir = Scratch::new("unreadable");
    let base = dir.file("base", matrix(&["backlog", "backlog"]));
    let ours_text = matrix(&["red", "backlog"]);
    let ours = dir.file("ours", &ours_text);
    // An agent caught halfway through writing the file.
    let half = matrix(&["backlog", "red"]);
    let theirs = dir.file("theirs", &half[..half.len() / 2]);
    let output = driver(&[&base, &ours, &theirs, Path::new("traceability_matrix.json")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.starts_with(
            "traceboard-merge: traceability_matrix.json: their version cannot be read"
        ),
        "{message}"
    );
    assert!(message.contains("left as ours"), "{message}");
    assert_eq!(fs::read(&ours).expect("ours"), ours_text.as_bytes());
    assert_eq!(fs::read_dir(&dir.0).expect("listing").count(), 3);
}

#[test]
fn a_version_that_is_not_utf8_is_named_and_exits_2() {
    let dir = Scratch::new("not-utf8");
    let base = dir.file("base", matrix(&["backlog"]));
    let ours_text = matrix(&["red"]);
    let ours = dir.file("ours", &ours_text);
    let mut bytes = matrix(&["green"]).into_bytes();
    bytes[20] = 0xff;
    let theirs = dir.file("theirs", &bytes);
    let output = driver(&[&base, &ours, &theirs, Path::new("traceability_matrix.json")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "their version ({}) is not UTF-8 text (invalid byte at offset 20)",
            theirs.display()
        )),
        "{message}"
    );
    assert!(message.contains("left as ours"), "{message}");
    assert_eq!(fs::read(&ours).expect("ours"), ours_text.as_bytes());
}

#[test]
fn a_missing_version_exits_2() {
    let dir = Scratch::new("missing");
    let base = dir.file("base", matrix(&["backlog"]));
    let ours_text = matrix(&["red"]);
    let ours = dir.file("ours", &ours_text);
    let output = driver(&[&base, &ours, &dir.0.join("nowhere")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read their version"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read(&ours).expect("ours"), ours_text.as_bytes());
}

#[test]
fn wrong_argument_counts_print_the_usage_and_exit_2() {
    let dir = Scratch::new("args");
    let a = dir.file("a", matrix(&["backlog"]));
    for args in [&[][..], &[&*a], &[&*a, &*a], &[&*a, &*a, &*a, &*a, &*a]] {
        let output = driver(args);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains("usage: traceboard-merge %O %A %B [%P]"),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(
        fs::read_to_string(&a).expect("a"),
        matrix(&["backlog"]),
        "nothing written"
    );
}

#[test]
fn help_prints_how_to_set_it_up_in_git() {
    let output = driver(&[Path::new("--help")]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("traceability_matrix.json merge=traceboard"),
        "{text}"
    );
    assert!(
        text.contains("git config merge.traceboard.driver"),
        "{text}"
    );
    assert!(text.contains(" %O %A %B %P"), "{text}");
}
