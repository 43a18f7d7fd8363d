//! The five TDD stages, the words the file uses for them, and the gates between them.
//!
//! This module owns the vocabulary of the board: stage names as the file writes them and as
//! the columns title them, the `status` lifecycle each stage implies, and the TDD gates. It
//! does not know about requirements' JSON or the UI; `board` applies what this module decides.

use std::fmt;

/// A column of the board, in order. The order is the TDD order: a move to a later stage is
/// "forward" and subject to the gates, a move to an earlier one is always allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Backlog,
    TestWritten,
    Red,
    Green,
    Reviewed,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Backlog,
        Stage::TestWritten,
        Stage::Red,
        Stage::Green,
        Stage::Reviewed,
    ];

    /// The column title a person reads (and a screen reader announces).
    pub fn title(self) -> &'static str {
        match self {
            Stage::Backlog => "Backlog",
            Stage::TestWritten => "Test written",
            Stage::Red => "Red",
            Stage::Green => "Green",
            Stage::Reviewed => "Reviewed",
        }
    }

    /// The value written to `tdd_stage` and `tdd_history` in the file.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Backlog => "backlog",
            Stage::TestWritten => "test_written",
            Stage::Red => "red",
            Stage::Green => "green",
            Stage::Reviewed => "reviewed",
        }
    }

    /// Position of the column, from 0 (Backlog) to 4 (Reviewed).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(index: usize) -> Option<Stage> {
        Stage::ALL.get(index).copied()
    }

    /// Reads a stage word leniently: any case, with spaces, hyphens or underscores alike,
    /// and the column titles too ("Test written", "TEST-WRITTEN", "test_written").
    pub fn parse(word: &str) -> Option<Stage> {
        match normalize_word(word).as_str() {
            "backlog" => Some(Stage::Backlog),
            "test_written" | "tests_written" | "testwritten" => Some(Stage::TestWritten),
            "red" => Some(Stage::Red),
            "green" => Some(Stage::Green),
            "reviewed" => Some(Stage::Reviewed),
            _ => None,
        }
    }

    /// The `status` value (origin schema lifecycle) that matches this stage.
    pub fn lifecycle_status(self) -> &'static str {
        match self {
            Stage::Backlog => "proposed",
            Stage::TestWritten | Stage::Red => "in_progress",
            Stage::Green => "implemented",
            Stage::Reviewed => "tested",
        }
    }

    pub fn next(self) -> Option<Stage> {
        Stage::from_index(self.index() + 1)
    }

    pub fn previous(self) -> Option<Stage> {
        self.index().checked_sub(1).and_then(Stage::from_index)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// Lower-cases a vocabulary word and treats spaces, hyphens and underscores alike, so that
/// "In Progress", "in-progress" and "IN_PROGRESS" all read as `in_progress`.
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for part in word
        .trim()
        .split(|c: char| c == ' ' || c == '-' || c == '_' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        // ASCII is enough: every word the board knows is ASCII, and it keeps Unicode's case
        // tables out of the download (see `Card::matches`).
        out.push_str(&part.to_ascii_lowercase());
    }
    out
}

/// The `status` words the board knows and may rewrite. Anything else (for example
/// `deprecated`, or a team's own word) is never overwritten silently.
pub fn is_lifecycle_status(normalized: &str) -> bool {
    matches!(
        normalized,
        "proposed" | "in_progress" | "implemented" | "tested" | "evaluated" | "verified"
    )
}

/// What a card carries that the gates look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GateFacts {
    pub tests: usize,
    pub code: usize,
    /// The card has been in Red at some point (now, or according to its `tdd_history`).
    pub was_red: bool,
    /// The card has been in Green at some point (now, or according to its `tdd_history`).
    pub was_green: bool,
}

/// Why a move breaks a TDD gate. A person may override any of them with a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateBreach {
    /// Test written and Red need at least one test path.
    NoTests,
    /// Green needs at least one code path.
    NoCode,
    /// Green needs the card to have been Red first: no skipping red.
    SkipsRed,
    /// Reviewed needs the card to have been Green first.
    SkipsGreen,
}

impl fmt::Display for GateBreach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GateBreach::NoTests => "it lists no tests yet",
            GateBreach::NoCode => "it lists no code yet",
            GateBreach::SkipsRed => "its tests have not been seen failing (it was never Red)",
            GateBreach::SkipsGreen => "it has not been Green yet",
        })
    }
}

/// Checks the TDD gates for a move from `from` to `to`. Moving backwards (or staying) is
/// always allowed; moving forwards must satisfy every gate of the target column.
pub fn check_gates(from: Stage, to: Stage, facts: GateFacts) -> Result<(), GateBreach> {
    if to <= from {
        return Ok(());
    }
    match to {
        Stage::Backlog => Ok(()),
        Stage::TestWritten | Stage::Red if facts.tests == 0 => Err(GateBreach::NoTests),
        Stage::TestWritten | Stage::Red => Ok(()),
        Stage::Green if facts.code == 0 => Err(GateBreach::NoCode),
        Stage::Green if from != Stage::Red && !facts.was_red => Err(GateBreach::SkipsRed),
        Stage::Green => Ok(()),
        Stage::Reviewed if from != Stage::Green && !facts.was_green => Err(GateBreach::SkipsGreen),
        Stage::Reviewed => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stage_words_leniently() {
        let table = [
            ("backlog", Some(Stage::Backlog)),
            ("Test written", Some(Stage::TestWritten)),
            ("TEST-WRITTEN", Some(Stage::TestWritten)),
            ("test_written", Some(Stage::TestWritten)),
            (" Red ", Some(Stage::Red)),
            ("green", Some(Stage::Green)),
            ("Reviewed", Some(Stage::Reviewed)),
            ("done", None),
            ("", None),
        ];
        for (word, expected) in table {
            assert_eq!(Stage::parse(word), expected, "{word:?}");
        }
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.key()), Some(stage));
            assert_eq!(Stage::parse(stage.title()), Some(stage));
        }
    }

    #[test]
    fn normalizes_words() {
        assert_eq!(normalize_word("In Progress"), "in_progress");
        assert_eq!(normalize_word("in-progress"), "in_progress");
        assert_eq!(normalize_word("  NOT__reviewed "), "not_reviewed");
        // Only ASCII is lower-cased: every word the board knows is ASCII.
        assert_eq!(normalize_word("Überprüft REVIEW"), "Überprüft_review");
    }

    #[test]
    fn gates_table() {
        let none = GateFacts {
            tests: 0,
            code: 0,
            was_red: false,
            was_green: false,
        };
        let tested = GateFacts { tests: 1, ..none };
        let coded = GateFacts {
            tests: 1,
            code: 1,
            ..none
        };
        let coded_was_red = GateFacts {
            was_red: true,
            ..coded
        };
        use GateBreach::*;
        use Stage::*;
        let table = [
            (Backlog, TestWritten, none, Err(NoTests)),
            (Backlog, TestWritten, tested, Ok(())),
            (Backlog, Red, none, Err(NoTests)),
            (TestWritten, Red, tested, Ok(())),
            (Red, Green, tested, Err(NoCode)),
            (Red, Green, coded, Ok(())),
            (TestWritten, Green, coded, Err(SkipsRed)),
            (TestWritten, Green, coded_was_red, Ok(())),
            (Red, Reviewed, coded, Err(SkipsGreen)),
            (Green, Reviewed, none, Ok(())),
            (
                Red,
                Reviewed,
                GateFacts {
                    was_green: true,
                    ..coded
                },
                Ok(()),
            ),
            (Reviewed, Red, none, Ok(())),
            (Green, Backlog, none, Ok(())),
        ];
        for (from, to, facts, expected) in table {
            assert_eq!(
                check_gates(from, to, facts),
                expected,
                "{from} -> {to} with {facts:?}"
            );
        }
    }

    #[test]
    fn lifecycle_follows_the_stage() {
        let table = [
            (Stage::Backlog, "proposed"),
            (Stage::TestWritten, "in_progress"),
            (Stage::Red, "in_progress"),
            (Stage::Green, "implemented"),
            (Stage::Reviewed, "tested"),
        ];
        for (stage, status) in table {
            assert_eq!(stage.lifecycle_status(), status);
        }
    }
}
