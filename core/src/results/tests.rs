//! Tests of reading JUnit XML as each producer writes it, of matching results to
//! requirements, and of the moves they suggest.

use super::*;

fn fixture(name: &str) -> Report {
    let path = format!(
        "{}/../tests/fixtures/junit/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_report(name, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn outcomes(report: &Report) -> Vec<(&str, Outcome)> {
    report
        .cases
        .iter()
        .map(|c| (c.name.as_str(), c.outcome))
        .collect()
}

#[test]
fn each_producer_reads_as_written() {
    let pytest = fixture("pytest_xunit2.xml");
    assert_eq!(
        pytest.timestamp.as_deref(),
        Some("2026-11-29T10:15:02.118349+00:00")
    );
    assert_eq!(
        outcomes(&pytest),
        [
            ("test_valid_password_opens_dashboard", Outcome::Passed),
            ("test_five_failures_lock_the_account", Outcome::Failed),
            ("test_req_002_reset_link_expires[30]", Outcome::Passed),
            ("test_broken_fixture", Outcome::Failed),
            ("test_zip", Outcome::Skipped),
        ]
    );
    // The message attribute's first line, entities decoded.
    assert_eq!(
        pytest.cases[1].message.as_deref(),
        Some("AssertionError: assert 4 == 5")
    );
    assert_eq!(
        pytest.cases[3].message.as_deref(),
        Some("failed on setup with \"fixture 'mailer' not found\"")
    );
    let xunit1 = fixture("pytest_xunit1.xml");
    assert_eq!(
        xunit1.cases[0].file.as_deref(),
        Some("tests/auth/test_login.py")
    );

    let vitest = fixture("vitest.xml");
    assert_eq!(vitest.cases[0].name, "upload > rejects files over 2 MB");
    assert_eq!(
        vitest.cases[0].message.as_deref(),
        Some("expected 200 to be 413 // Object.is equality")
    );
    let mocha = fixture("mocha.xml");
    // The suite's `file`, and a CDATA body behind a message with entities.
    assert_eq!(mocha.cases[0].file.as_deref(), Some("test/session.spec.js"));
    assert_eq!(
        mocha.cases[0].message.as_deref(),
        Some("expected 'valid' to equal 'revoked'")
    );
    let surefire = fixture("TEST-com.acme.ExportTest.xml");
    assert!(surefire.cases[0].flaky);
    assert_eq!(surefire.cases[0].outcome, Outcome::Passed);
    assert_eq!(surefire.timestamp.as_deref(), Some("2026-11-29T10:24:00"));
    let playwright = fixture("playwright.xml");
    assert_eq!(
        outcomes(&playwright),
        [
            ("lists projects by last activity", Outcome::Passed),
            ("empty state", Outcome::Skipped)
        ]
    );
    for name in [
        "jest_junit.xml",
        "phpunit.xml",
        "go_junit_report.xml",
        "nextest.xml",
    ] {
        assert!(!fixture(name).cases.is_empty(), "{name}");
    }
    assert_eq!(fixture("nextest.xml").cases.len(), 3);
}

#[test]
fn a_broken_report_says_which_file_and_where() {
    let broken = read_report("junit.xml", b"<testsuites>\n  <testsuite>\n  </testsuites>")
        .expect_err("broken");
    assert_eq!((broken.source.as_str(), broken.line), ("junit.xml", 3));
    assert!(
        broken.to_string().starts_with("junit.xml, line 3, column"),
        "{broken}"
    );
    let other = read_report("pom.xml", b"<project><modelVersion/></project>").expect_err("not");
    assert_eq!(
        other.to_string(),
        "pom.xml, line 1, column 1: this is not a JUnit XML report: its root is <project>, not <testsuites> or <testsuite>"
    );
    let binary = read_report("x.xml", b"<testsuites>\xff</testsuites>").expect_err("binary");
    assert!(binary.to_string().contains("not UTF-8"), "{binary}");
    assert!(read_report("empty.xml", b"").is_err());
    // A byte order mark and no declaration are fine; an empty report has no cases.
    let bom = read_report("bom.xml", b"\xEF\xBB\xBF<testsuite name=\"x\"/>").expect("reads");
    assert!(bom.cases.is_empty());
}

const MATRIX: &str = r#"{"requirements": [
  {"id": "REQ-001", "ears": "a", "tdd_stage": "test_written", "tests": ["tests/auth/test_login.py::test_valid_password_opens_dashboard"]},
  {"id": "REQ-002", "ears": "b", "tdd_stage": "backlog", "tests": []},
  {"id": "REQ-004", "ears": "c", "tdd_stage": "green", "was": 1, "tests": ["tests/e2e/dashboard/list_projects.spec.ts"], "code": ["src/dashboard.ts"], "tdd_history": [{"from": "red", "to": "green"}]},
  {"id": "REQ-005", "ears": "d", "tdd_stage": "test_written", "tests": ["tests/auth/test_login.py::TestLockout::test_five_failures_lock_the_account"]},
  {"id": "REQ-006", "ears": "e", "tdd_stage": "red", "tests": ["src/avatar/upload.test.ts"], "code": ["src/avatar/upload.ts"]},
  {"id": "REQ-008", "ears": "f", "tdd_stage": "red", "tests": ["src/export/zip.test.js", "src/test/java/com/acme/ExportTest.java"], "code": ["src/export/zip.js"]},
  {"id": "REQ-010", "ears": "g", "tdd_stage": "green", "tests": ["tests/Unit/AuditLogTest.php"], "code": ["src/Audit.php"], "tdd_history": [{"from": "red", "to": "green"}]},
  {"id": "REQ-011", "ears": "h", "tdd_stage": "reviewed", "tests": ["test/session.spec.js", "session/session_test.go::TestSignOutRevokesToken"], "code": ["session/session.go"]},
  {"id": "REQ-012", "ears": "i", "tdd_stage": "green", "tests": ["core/tests/corpus.rs", "board::tests::gates_block_and_overrides_are_noted"], "code": ["core/src/board.rs"], "tdd_history": [{"from": "red", "to": "green"}]},
  {"id": "REQ-013", "ears": "j", "tdd_stage": "test_written", "tests": ["tests/nothing_ran.py"]}
]}"#;

fn all_reports() -> Vec<Report> {
    [
        "pytest_xunit2.xml",
        "vitest.xml",
        "jest_junit.xml",
        "playwright.xml",
        "mocha.xml",
        "phpunit.xml",
        "TEST-com.acme.ExportTest.xml",
        "go_junit_report.xml",
        "nextest.xml",
    ]
    .into_iter()
    .map(fixture)
    .collect()
}

#[test]
fn results_match_requirements_by_their_test_paths_and_by_id_in_a_name() {
    let board = Board::import("m.json", MATRIX.as_bytes())
        .expect("imports")
        .0;
    let evidence = Evidence::gather(&board, all_reports());
    let tally = |id: &str| evidence.tally(board.find(id).expect("id"));
    let t = |passed, failed, skipped| Tally {
        passed,
        failed,
        skipped,
    };
    // A `path::name` item matches that test alone; dotted modules and classes are files.
    assert_eq!(tally("REQ-001"), t(1, 0, 0));
    assert_eq!(tally("REQ-005"), t(0, 1, 0));
    // `test_req_002_…` names the requirement.
    assert_eq!(tally("REQ-002"), t(1, 0, 0));
    let r2 = board.find("REQ-002").expect("id");
    assert!(evidence.of(r2).all(|(_, m)| m.by_name));
    // vitest (classname a path), jest (file), Surefire (package as dotted classname, flaky).
    assert_eq!(tally("REQ-006"), t(1, 1, 0));
    assert_eq!(tally("REQ-008"), t(3, 0, 0));
    // Playwright (a file name relative to its test folder), PHPUnit (an absolute path).
    assert_eq!(tally("REQ-004"), t(1, 0, 1));
    assert_eq!(tally("REQ-010"), t(1, 0, 0));
    // mocha (the suite's file) and go-junit-report (the package directory, one test named).
    assert_eq!(tally("REQ-011"), t(0, 2, 0));
    // cargo-nextest: an integration test binary is its file; a unit test its path.
    assert_eq!(tally("REQ-012"), t(1, 1, 0));
    assert_eq!(tally("REQ-013"), t(0, 0, 0));
    assert_eq!(
        tally("REQ-006").describe().as_deref(),
        Some("1 passed · 1 failed")
    );
    // What matched nothing is listed: pytest's other cases, the go sign-in, nextest's stage test.
    let unmatched: Vec<&str> = evidence
        .unmatched
        .iter()
        .map(|&(r, c)| evidence.reports[r].cases[c].name.as_str())
        .collect();
    assert_eq!(
        unmatched,
        [
            "test_broken_fixture",
            "test_zip",
            "TestSignIn",
            "stage::tests::normalize"
        ]
    );
}

#[test]
fn the_results_suggest_the_moves_they_support() {
    let board = Board::import("m.json", MATRIX.as_bytes())
        .expect("imports")
        .0;
    let evidence = Evidence::gather(&board, all_reports());
    let moves: Vec<(String, Stage, Stage)> = evidence
        .suggestions(&board)
        .into_iter()
        .map(|s| (s.id, s.from, s.to))
        .collect();
    assert_eq!(
        moves,
        [
            // A failing test: Test written to Red.
            ("REQ-005".to_owned(), Stage::TestWritten, Stage::Red),
            // All passed and it has code: Red to Green.
            ("REQ-008".to_owned(), Stage::Red, Stage::Green),
            // Regressions: Reviewed and Green back to Red.
            ("REQ-011".to_owned(), Stage::Reviewed, Stage::Red),
            ("REQ-012".to_owned(), Stage::Green, Stage::Red),
        ]
    );
    let suggestion = &evidence.suggestions(&board)[0];
    assert_eq!(suggestion.by, "test results: pytest_xunit2.xml");
    assert_eq!(suggestion.why, "its test failed");
    assert_eq!(
        suggestion.at.as_deref(),
        Some("2026-11-29T10:15:02.118349+00:00")
    );
}

#[test]
fn path_spellings_meet() {
    assert_eq!(
        stem("./tests\\auth\\test_login.py"),
        "tests/auth/test_login"
    );
    assert_eq!(stem("src/x.test.ts"), "src/x");
    assert!(same_file("app/tests/unit/x", "tests/unit/x"));
    assert!(!same_file("app/tests/unit/ax", "x"));
    assert!(!same_file("", ""));
    let has = |text: &str, id: &str| id_keys_in(text).contains(&id_key(id).expect("a key"));
    assert!(has("test_req_007_works", "REQ-007"));
    assert!(has("tests.auth REQ-007 login", "REQ-007"));
    assert!(has("test_auth_api_004", "AUTH-API-004"));
    assert!(!has("test_req_0071", "REQ-007"));
    assert!(!has("prereq_007", "REQ-007"));
    assert!(has("é req-7", "REQ-7"));
    assert_eq!(id_key("LOGIN"), None);
    assert_eq!(id_key("42"), None);
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Arbitrary bytes, and arbitrary text shaped like a report, never panic the reader.
        #[test]
        fn the_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read_report("x.xml", &bytes);
        }

        #[test]
        fn report_shaped_text_never_panics(
            body in "(<testcase( name=\"[a-z:./\\[\\]-]{0,12}\")?( classname=\"[A-Za-z:./-]{0,12}\")?( file=\"[a-z./]{0,10}\")?>(<failure( message=\"[^\"<&]{0,20}\")?>[^<&]{0,20}</failure>|<skipped/>|<flakyFailure/>)?</testcase>|<testsuite>|</testsuite>|[^<&]{0,8}){0,8}",
        ) {
            let text = format!("<testsuites>{body}</testsuites>");
            if let Ok(report) = read_report("x.xml", text.as_bytes()) {
                let board = Board::import("m.json", MATRIX.as_bytes()).expect("imports").0;
                let evidence = Evidence::gather(&board, vec![report]);
                let _ = evidence.suggestions(&board);
            }
        }

        #[test]
        fn matching_helpers_never_panic(a in "\\PC{0,20}", b in "\\PC{0,20}") {
            let _ = stem(&a);
            let _ = same_file(&a, &b);
            let _ = id_keys_in(&a);
            let _ = id_key(&b);
            let _ = wanted(&a);
            let _ = looks_like_file(&a);
        }
    }
}

#[test]
fn apply_all_moves_every_suggested_card_as_one_undoable_step_with_the_report_named() {
    use crate::board::Move;
    use crate::workspace::{Action, Workspace};
    let board = Board::import("m.json", MATRIX.as_bytes())
        .expect("imports")
        .0;
    let evidence = Evidence::gather(&board, all_reports());
    let suggestions = evidence.suggestions(&board);
    let moves: Vec<Move> = suggestions
        .iter()
        .map(|s| Move {
            entry: s.entry,
            to: s.to,
            by: s.by.clone(),
            at: s
                .at
                .clone()
                .unwrap_or_else(|| "2026-11-29T11:00:00Z".into()),
            override_reason: None,
        })
        .collect();
    let mut ws = Workspace::default();
    ws.apply(Action::OpenBoard(Box::new(board))).expect("opens");
    let outcome = ws.apply(Action::MoveAll(moves.clone())).expect("applies");
    assert_eq!(outcome.message, "Applied 4 suggested moves.");
    let b = ws.board().expect("open");
    for s in &suggestions {
        assert_eq!(b.card(s.entry).expect("card").stage, s.to, "{}", s.id);
    }
    let value = b.value(suggestions[0].entry).expect("value");
    let step = value["tdd_history"]
        .as_array()
        .expect("history")
        .last()
        .cloned();
    assert_eq!(
        step.as_ref().and_then(|s| s["by"].as_str()),
        Some("test results: pytest_xunit2.xml")
    );
    assert_eq!(
        step.as_ref().and_then(|s| s["at"].as_str()),
        Some("2026-11-29T10:15:02.118349+00:00")
    );
    ws.undo().expect("one undo");
    assert_eq!(ws.board().expect("open").export(), MATRIX);
    // A move refused in the middle leaves every card where it was.
    let mut refused = moves;
    refused[1].to = Stage::Reviewed;
    assert!(ws.apply(Action::MoveAll(refused)).is_err());
    assert_eq!(ws.board().expect("open").export(), MATRIX);
}

/// Reports made by running the real runners (scripts/junit-fixtures.sh) on the projects in
/// tests/fixtures/junit/projects, each failing one test on purpose.
#[test]
fn reports_of_real_runs_match_and_suggest() {
    let real = |name: &str| fixture(&format!("real/{name}"));
    let matrix = r#"{"requirements": [
      {"id": "REQ-001", "ears": "a", "tdd_stage": "red", "tests": ["tests/auth/test_login.py::test_valid_password_opens_dashboard"], "code": ["app/login.py"]},
      {"id": "REQ-002", "ears": "b", "tdd_stage": "test_written", "tests": ["tests/reset.feature"]},
      {"id": "REQ-005", "ears": "c", "tdd_stage": "test_written", "tests": ["tests/auth/test_login.py::TestLockout::test_five_failures_lock_the_account", "tests::five_failures_lock_the_account"]},
      {"id": "REQ-011", "ears": "d", "tdd_stage": "red", "tests": ["tests/session.rs"], "code": ["src/lib.rs"]},
      {"id": "REQ-004", "ears": "e", "tdd_stage": "green", "tests": ["e2e/list_projects.spec.ts"], "code": ["src/projects.ts"], "tdd_history": [{"from": "red", "to": "green"}]},
      {"id": "REQ-006", "ears": "f", "tdd_stage": "test_written", "tests": ["web/src/avatar/upload.test.ts"]}
    ]}"#;
    let board = Board::import("m.json", matrix.as_bytes())
        .expect("imports")
        .0;
    for family in ["pytest_xunit2.xml", "pytest_xunit1.xml"] {
        let evidence = Evidence::gather(
            &board,
            vec![
                real(family),
                real("nextest.xml"),
                real("playwright.xml"),
                real("vitest.xml"),
            ],
        );
        let tally = |id: &str| evidence.tally(board.find(id).expect("id"));
        assert_eq!(
            (tally("REQ-001").passed, tally("REQ-001").failed),
            (1, 0),
            "{family}"
        );
        // pytest's parametrized `test_req_002_…[30]` and `[60]`, matched by the id in the name.
        assert_eq!(tally("REQ-002").passed, 2, "{family}");
        // The Python class's test and the Rust unit test both fail.
        assert_eq!(tally("REQ-005").failed, 2, "{family}");
        assert_eq!(tally("REQ-011").passed, 1, "{family}");
        // vitest: the file in `classname`, a describe block in the name.
        assert_eq!(
            (tally("REQ-006").passed, tally("REQ-006").failed),
            (1, 1),
            "{family}"
        );
        assert_eq!(
            (
                tally("REQ-004").passed,
                tally("REQ-004").failed,
                tally("REQ-004").skipped
            ),
            (1, 1, 1),
            "{family}"
        );
        let moves: Vec<(String, Stage)> = evidence
            .suggestions(&board)
            .into_iter()
            .map(|s| (s.id, s.to))
            .collect();
        assert_eq!(
            moves,
            [
                ("REQ-001".to_owned(), Stage::Green),
                // REQ-002's tests pass before it was seen red: no move is suggested.
                ("REQ-005".to_owned(), Stage::Red),
                ("REQ-011".to_owned(), Stage::Green),
                ("REQ-004".to_owned(), Stage::Red),
                ("REQ-006".to_owned(), Stage::Red),
            ],
            "{family}"
        );
    }
}

#[test]
fn a_newer_report_replaces_the_older_results_and_an_edit_matches_again() {
    let board = Board::import("m.json", MATRIX.as_bytes())
        .expect("imports")
        .0;
    let mut evidence = Evidence::gather(&board, vec![fixture("pytest_xunit2.xml")]);
    let r5 = board.find("REQ-005").expect("id");
    assert_eq!(evidence.tally(r5).failed, 1);
    // The same tests run again and pass: xunit1's report replaces their results.
    evidence.add(&board, vec![fixture("pytest_xunit1.xml")]);
    assert_eq!(
        (evidence.tally(r5).passed, evidence.tally(r5).failed),
        (1, 0)
    );
    assert_eq!(evidence.len(), 5);
    // REQ-013 lists no test that ran; given one, it matches without a full gather.
    let text = MATRIX.replace("tests/nothing_ran.py", "tests/test_reset.py");
    let edited = Board::import("m.json", text.as_bytes()).expect("imports").0;
    let r13 = edited.find("REQ-013").expect("id");
    assert_eq!(evidence.tally(r13).passed, 0);
    evidence.refresh(&edited, &[r13]);
    assert_eq!(evidence.tally(r13).passed, 1);
    assert_eq!(evidence.tally(r13).skipped, 0);
    assert_eq!(
        evidence,
        Evidence::gather(&edited, evidence.reports.clone())
    );
}

#[test]
fn review_cases_match_and_suggest_only_what_the_evidence_says() {
    // File names with dots of their own, bare pytest items, parameters with `::`, CamelCase.
    assert_eq!(
        stem("src/users/users.service.spec.ts"),
        "src/users/users.service"
    );
    assert_ne!(
        stem("src/users/users.controller.spec.ts"),
        stem("src/users/users.service.spec.ts")
    );
    assert_eq!(stem("tests/test.auth.py"), "tests/test.auth");
    assert!(wanted("test_login.py::test_valid").rust_path.is_none());
    assert_eq!(
        wanted("x.py::TestZ::test_y[a::b]").test.as_deref(),
        Some("test_y")
    );
    assert!(id_keys_in("TestREQ007Login").contains(&"req007".to_owned()));
    assert_eq!(id_key("REQ-1.2"), None);
    // Suites nested past any real report are refused at once, not walked for minutes.
    let deep = format!(
        "{}<testcase name=\"x\"/>{}",
        "<testsuite>".repeat(500),
        "</testsuite>".repeat(500)
    );
    assert!(read_report("deep.xml", deep.as_bytes()).is_err());

    let matrix = r#"{"requirements": [
      {"id": "S-1", "ears": "a", "tdd_stage": "green", "tests": ["src/users/users.service.spec.ts"], "code": ["c"], "tdd_history": [{"from": "red", "to": "green"}]},
      {"id": "S-2", "ears": "b", "tdd_stage": "green", "status": "deprecated", "tests": ["src/users/users.controller.spec.ts"], "code": ["c"], "tdd_history": [{"from": "red", "to": "green"}]},
      {"id": "S-3", "ears": "c", "tdd_stage": "green", "tests": ["test_login.py::test_valid"], "code": ["c"],
       "tdd_history": [{"from": "red", "to": "green", "at": "2026-12-01T09:00:00Z"}]},
      {"id": "S-4", "ears": "d", "tdd_stage": "red", "tests": ["a_test.py", "b_test.py"], "code": ["c"]}
    ]}"#;
    let board = Board::import("m.json", matrix.as_bytes())
        .expect("imports")
        .0;
    let report = br#"<testsuites><testsuite timestamp="2026-11-30T10:00:00">
      <testcase classname="src/users/users.controller.spec.ts" name="fails"><failure message="x"/></testcase>
      <testcase classname="src/users/users.service.spec.ts" name="passes"/>
      <testcase classname="test_login" name="test_valid"><failure message="old"/></testcase>
      <testcase classname="a_test" name="only_a_ran"/>
    </testsuite></testsuites>"#;
    let evidence = Evidence::gather(&board, vec![read_report("r.xml", report).expect("reads")]);
    let tally = |id: &str| evidence.tally(board.find(id).expect("id"));
    assert_eq!((tally("S-1").passed, tally("S-1").failed), (1, 0));
    assert_eq!(tally("S-3").failed, 1);
    // S-2 is deprecated, S-3's failure is older than its last move, S-4's b_test never ran.
    assert!(
        evidence.suggestions(&board).is_empty(),
        "{:?}",
        evidence.suggestions(&board)
    );
}
