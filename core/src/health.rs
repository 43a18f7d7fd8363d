//! The board's health: what the origin workflow's `validate`, `check-gaps` and `summary`
//! commands print, worked out from the cards and the test results.
//!
//! Owns: the gaps (requirements missing tests, code or tasks), the stages that contradict the
//! evidence (Green without code, Red without tests, Reviewed with failing results, a stage
//! skipped without an override note), duplicate ids, schema problems with the requirement's
//! place in the file, the counts by status, priority and stage, and the Markdown summary for a
//! pull request. It reads only what the cards already hold, so it is one pass over them, cheap
//! enough to run again after every move.

use crate::board::{Board, EntryIndex};
use crate::results::Evidence;
use crate::stage::Stage;

/// A kind of finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    NoTests,
    NoCode,
    NoTasks,
    GreenWithoutCode,
    RedWithoutTests,
    ReviewedFailing,
    SkippedStage,
    DuplicateId,
    Schema,
}

impl Kind {
    /// Every kind, in the order the panel shows them.
    pub const ALL: [Kind; 9] = [
        Kind::GreenWithoutCode,
        Kind::RedWithoutTests,
        Kind::ReviewedFailing,
        Kind::SkippedStage,
        Kind::DuplicateId,
        Kind::Schema,
        Kind::NoTests,
        Kind::NoCode,
        Kind::NoTasks,
    ];

    /// The kind as a word for a link (`#health=no-tests`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::NoTests => "no-tests",
            Kind::NoCode => "no-code",
            Kind::NoTasks => "no-tasks",
            Kind::GreenWithoutCode => "green-without-code",
            Kind::RedWithoutTests => "red-without-tests",
            Kind::ReviewedFailing => "reviewed-failing",
            Kind::SkippedStage => "skipped-stage",
            Kind::DuplicateId => "duplicate-id",
            Kind::Schema => "schema",
        }
    }

    /// The kind a `key` names.
    pub fn parse(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The kind as a heading.
    pub fn title(self) -> &'static str {
        match self {
            Kind::NoTests => "Missing tests",
            Kind::NoCode => "Missing code",
            Kind::NoTasks => "Missing tasks",
            Kind::GreenWithoutCode => "Green or Reviewed with no code",
            Kind::RedWithoutTests => "Test written or Red with no tests",
            Kind::ReviewedFailing => "Reviewed with failing tests",
            Kind::SkippedStage => "A stage skipped without an override note",
            Kind::DuplicateId => "Duplicate ids",
            Kind::Schema => "Schema problems",
        }
    }
}

/// One finding about one requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub entry: EntryIndex,
    pub id: String,
    /// What is wrong, where it needs saying: "tests is a string, not a list (requirement #3
    /// (requirements[2]))".
    pub detail: String,
}

/// The board's health.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Health {
    pub findings: Vec<Finding>,
    pub total: usize,
    /// Cards per stage, deprecated ones left out.
    pub by_stage: [usize; 5],
    /// Cards per status word and per priority, in the order first seen; "none" for none.
    pub by_status: Vec<(String, usize)>,
    pub by_priority: Vec<(String, usize)>,
}

fn count(counts: &mut Vec<(String, usize)>, word: Option<&str>) {
    let word = word.unwrap_or("none");
    match counts.iter_mut().find(|(w, _)| w == word) {
        Some((_, n)) => *n += 1,
        None => counts.push((word.to_owned(), 1)),
    }
}

/// Text from the file made safe in Markdown: one line, and no character that would start a
/// heading, a table cell, emphasis, a link or HTML.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Health {
    /// The findings of one kind.
    pub fn of(&self, kind: Kind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }

    /// The health as Markdown, for a pull request's description.
    pub fn markdown(&self) -> String {
        let mut out = format!("## Traceability: {} requirements\n\n", self.total);
        out.push_str("| Backlog | Test written | Red | Green | Reviewed |\n| --- | --- | --- | --- | --- |\n|");
        for n in self.by_stage {
            out.push_str(&format!(" {n} |"));
        }
        out.push('\n');
        for (title, counts) in [("Status", &self.by_status), ("Priority", &self.by_priority)] {
            let parts: Vec<String> = counts
                .iter()
                .map(|(w, n)| format!("{} {n}", plain(w)))
                .collect();
            out.push_str(&format!("\n**{title}:** {}\n", parts.join(" · ")));
        }
        let found: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| self.of(*k).next().is_some())
            .collect();
        if found.is_empty() {
            out.push_str("\nNo gaps, contradictions or schema problems.\n");
        }
        for kind in found {
            let findings: Vec<&Finding> = self.of(kind).collect();
            out.push_str(&format!("\n### {} ({})\n\n", kind.title(), findings.len()));
            for f in findings.iter().take(50) {
                if f.detail.is_empty() {
                    out.push_str(&format!("- {}\n", plain(&f.id)));
                } else {
                    out.push_str(&format!("- {}: {}\n", plain(&f.id), plain(&f.detail)));
                }
            }
            if findings.len() > 50 {
                out.push_str(&format!("- … and {} more\n", findings.len() - 50));
            }
        }
        out
    }
}

/// The health of `board`, with what `evidence` says of its tests.
pub fn health(board: &Board, evidence: &Evidence) -> Health {
    let mut h = Health::default();
    let mut push = |kind: Kind, entry: EntryIndex, id: &str, detail: String| {
        h.findings.push(Finding {
            kind,
            entry,
            id: id.to_owned(),
            detail,
        });
    };
    let mut by_stage = [0usize; 5];
    let mut by_status = Vec::new();
    let mut by_priority = Vec::new();
    let mut total = 0;
    for (entry, card) in board.cards() {
        total += 1;
        count(&mut by_status, card.status.as_deref());
        count(&mut by_priority, card.priority.as_deref());
        if card.deprecated {
            continue;
        }
        by_stage[card.stage.index()] += 1;
        let id = card.id.as_str();
        let place = || {
            board
                .position(entry)
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        };
        if card.stage >= Stage::Green && card.code.is_empty() {
            push(Kind::GreenWithoutCode, entry, id, card.stage.to_string());
        }
        if matches!(card.stage, Stage::TestWritten | Stage::Red) && card.tests.is_empty() {
            push(Kind::RedWithoutTests, entry, id, card.stage.to_string());
        }
        if card.stage == Stage::Reviewed {
            let failed = evidence.tally(entry).failed;
            if failed > 0 {
                push(
                    Kind::ReviewedFailing,
                    entry,
                    id,
                    format!("{failed} failing"),
                );
            }
        }
        if let Some(skip) = &card.skipped {
            push(Kind::SkippedStage, entry, id, skip.clone());
        }
        if board.entry(entry).is_some_and(|e| e.is_duplicate()) {
            push(Kind::DuplicateId, entry, id, place().trim().to_owned());
        }
        for problem in &card.schema {
            push(Kind::Schema, entry, id, format!("{problem}{}", place()));
        }
        if let Some(why) = card
            .inferred
            .as_deref()
            .filter(|w| w.contains("is not a stage"))
        {
            push(Kind::Schema, entry, id, format!("{why}{}", place()));
        }
        if card.text.trim().is_empty() {
            push(Kind::Schema, entry, id, format!("no text{}", place()));
        }
        if card.tests.is_empty() {
            push(Kind::NoTests, entry, id, String::new());
        }
        if card.code.is_empty() {
            push(Kind::NoCode, entry, id, String::new());
        }
        if card.tasks == Some(0) {
            push(Kind::NoTasks, entry, id, String::new());
        }
    }
    h.total = total;
    h.by_stage = by_stage;
    h.by_status = by_status;
    h.by_priority = by_priority;
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Evidence, read_report};

    const FILE: &str = r#"{"requirements": [
      {"id": "R1", "ears": "a", "status": "implemented", "priority": "high", "tdd_stage": "green", "tests": ["t/a.py"], "code": [], "tasks": []},
      {"id": "R2", "ears": "b", "status": "in_progress", "priority": "high", "tdd_stage": "red", "tests": [], "code": ["c"]},
      {"id": "R3", "ears": "c", "status": "tested", "tdd_stage": "reviewed", "tests": ["t/c.py"], "code": ["c"], "tasks": ["T-1"],
       "tdd_history": [{"from": "test_written", "to": "green"}, {"from": "green", "to": "reviewed"}]},
      {"id": "R3", "ears": "d", "tdd_stage": "banana", "tests": "t/d.py", "priority": 2},
      {"id": "R5", "ears": "", "status": "deprecated", "tdd_stage": "backlog"}
    ]}"#;

    #[test]
    fn gaps_contradictions_duplicates_and_schema_problems_are_found_with_their_place() {
        let board = Board::import("m.json", FILE.as_bytes()).expect("imports").0;
        let report = read_report(
            "junit.xml",
            br#"<testsuite><testcase classname="t.c" name="x"><failure message="no"/></testcase></testsuite>"#,
        )
        .expect("reads");
        let evidence = Evidence::gather(&board, vec![report]);
        let h = health(&board, &evidence);
        let ids = |kind: Kind| h.of(kind).map(|f| f.id.as_str()).collect::<Vec<_>>();
        assert_eq!(ids(Kind::GreenWithoutCode), ["R1"]);
        assert_eq!(ids(Kind::RedWithoutTests), ["R2"]);
        assert_eq!(ids(Kind::ReviewedFailing), ["R3"]);
        assert_eq!(ids(Kind::SkippedStage), ["R3"]);
        assert_eq!(
            h.of(Kind::SkippedStage).next().map(|f| f.detail.as_str()),
            Some("Test written → Green")
        );
        assert_eq!(ids(Kind::DuplicateId), ["R3"]);
        let schema: Vec<&str> = h.of(Kind::Schema).map(|f| f.detail.as_str()).collect();
        assert_eq!(
            schema,
            [
                "tests is a string, not a list (requirement #4 (requirements[3]))",
                "priority is a number, not a text (requirement #4 (requirements[3]))",
                "tdd_stage \"banana\" is not a stage; inferred from its fields (requirement #4 (requirements[3]))",
            ]
        );
        assert_eq!(ids(Kind::NoTasks), ["R1"]);
        // The deprecated one is counted, never flagged.
        assert_eq!(h.total, 5);
        assert_eq!(h.by_stage.iter().sum::<usize>(), 4);
        assert!(h.findings.iter().all(|f| f.id != "R5"));
        assert_eq!(h.by_priority[0], ("high".to_owned(), 2));
        let md = h.markdown();
        assert!(md.starts_with("## Traceability: 5 requirements\n"), "{md}");
        assert!(
            md.contains("### Reviewed with failing tests (1)\n\n- R3: 1 failing\n"),
            "{md}"
        );
        assert!(
            md.contains(
                "**Status:** implemented 1 · in\\_progress 1 · tested 1 · none 1 · deprecated 1"
            ),
            "{md}"
        );
    }
}
