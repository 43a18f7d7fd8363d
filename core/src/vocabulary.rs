//! The words real traceability files use: key aliases for each field a card shows, the status
//! words and the stage each family of them means, and how a path is told to be a test or code.
//!
//! This module owns the tables and nothing else; `fields` decides which keys of one file play
//! which part, `requirement` reads a card through that decision. Every table is matched after
//! `normalize_key`, so `testIds`, `test_ids`, `Test IDs` and `test-ids` are one word.

use crate::stage::Stage;

/// Lower-cases a key and treats camelCase humps, spaces, hyphens, dots and underscores alike:
/// `requirementId`, `Requirement ID`, `requirement-id` and `REQUIREMENT_ID` all read as
/// `requirement_id`. ASCII only, like `stage::normalize_word`.
pub fn normalize_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let chars: Vec<char> = key.trim().chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' || c == '-' || c == '_' || c == '.' || c.is_whitespace() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // A hump (`testIds`) or the end of an acronym (`HTTPServer` → `http_server`).
            let hump = prev.is_ascii_lowercase() || prev.is_ascii_digit();
            let acronym_end = prev.is_ascii_uppercase() && next_lower;
            if (hump || acronym_end) && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Keys that hold a requirement's id, in order of preference (normalized).
pub const ID_KEYS: &[&str] = &[
    "id",
    "requirement_id",
    "req_id",
    "requirement_ref",
    "requirement_key",
    "requirement",
    "req",
    "identifier",
    "uid",
    "tag",
    "need_id",
];

/// Keys that hold a requirement's text, in order of preference (normalized).
pub const TEXT_KEYS: &[&str] = &[
    "ears",
    "title",
    "text",
    "description",
    "summary",
    "statement",
    "requirement",
    "requirement_text",
    "full_title",
    "name",
    "goal",
    "acceptance_criteria",
    "content",
    "body",
    "details",
];

/// Keys that hold test paths, names or ids (normalized).
pub const TEST_KEYS: &[&str] = &[
    "tests",
    "test",
    "test_files",
    "test_file",
    "test_paths",
    "test_path",
    "test_cases",
    "test_case",
    "testcases",
    "test_ids",
    "test_id",
    "test_refs",
    "test_names",
    "unit_tests",
    "integration_tests",
    "e2e_tests",
    "e2e_scripts",
    "e2e",
    "acceptance_tests",
    "test_scripts",
    "specs",
    "verified_by",
    "verification_evidence",
    "verification_tests",
    "validation_tests",
];

/// Keys that hold code paths (normalized).
pub const CODE_KEYS: &[&str] = &[
    "code",
    "code_paths",
    "code_path",
    "code_files",
    "code_refs",
    "source_files",
    "source_code",
    "src",
    "implementation",
    "implementation_files",
    "implementation_evidence",
    "implemented_in",
    "implemented_by",
    "impl",
    "modules",
];

/// Keys whose object value groups tests and code, as in `implementation.tests`,
/// `artifacts.code` or `evidence.implementation` (normalized).
pub const GROUP_KEYS: &[&str] = &[
    "implementation",
    "artifacts",
    "artefacts",
    "evidence",
    "verification",
    "links",
    "trace",
    "traceability",
    "coverage",
];

/// Keys that hold paths of either kind; each path is sorted into tests or code by its shape
/// (`path_kind`), and anything that is not a path is left out (normalized).
pub const EVIDENCE_KEYS: &[&str] = &[
    "evidence",
    "evidence_files",
    "link",
    "links",
    "coverage",
    "covered_by",
    "files",
    "file",
    "artifacts",
    "artefacts",
    "trace",
    "traces",
    "traced_to",
];

/// Keys that hold a status word (normalized).
pub const STATUS_KEYS: &[&str] = &[
    "status",
    "state",
    "implementation_status",
    "verification_status",
    "req_status",
    "lifecycle",
    "progress",
];

/// Keys that hold a priority (normalized).
pub const PRIORITY_KEYS: &[&str] = &["priority", "prio", "importance", "moscow", "severity"];

/// Keys that hold a requirement's type (normalized).
pub const KIND_KEYS: &[&str] = &["type", "kind", "category", "requirement_type", "type_name"];

/// Keys that name who owns a requirement (normalized).
pub const OWNER_KEYS: &[&str] = &[
    "owner",
    "assignee",
    "assigned_to",
    "owned_by",
    "responsible",
    "agent",
];

/// Keys that name the story or epic a requirement belongs to (normalized).
pub const STORY_KEYS: &[&str] = &[
    "story_id",
    "story",
    "user_story",
    "epic",
    "epic_id",
    "feature",
    "feature_id",
    "parent",
];

/// Keys of a test or code object that hold its path or name, in order of preference.
pub const PATH_KEYS: &[&str] = &[
    "path",
    "file",
    "file_path",
    "filepath",
    "name",
    "id",
    "test",
];

/// Container keys that usually hold the requirements of a file (normalized); a candidate under
/// one of them scores a little higher, never enough on its own.
pub const CONTAINER_KEYS: &[&str] = &[
    "requirements",
    "reqs",
    "requirement_list",
    "traceability",
    "traceability_matrix",
    "matrix",
    "rows",
    "entries",
    "links",
    "items",
    "stories",
    "user_stories",
    "needs",
    "use_cases",
    "features",
    "specs",
    "specifications",
    "records",
    "data",
];

/// What a family of status words says about where a requirement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusFamily {
    /// Not started: planned, todo, proposed, open, draft, deferred, missing …
    Planned,
    /// Started: in progress, partial, wip, blocked …
    InProgress,
    /// Tests run and fail: failing, broken, drifted, incorrectly implemented …
    Failing,
    /// Built: implemented, done, complete, delivered …
    Done,
    /// Built and checked: verified, tested, passed, approved, accepted …
    Verified,
    /// No longer wanted: deprecated, obsolete, rejected, withdrawn …
    Deprecated,
}

/// The status table: each normalized word and its family. The README documents it; the
/// tests below keep it and the README's words honest.
pub const STATUS_WORDS: &[(&str, StatusFamily)] = &[
    ("planned", StatusFamily::Planned),
    ("todo", StatusFamily::Planned),
    ("to_do", StatusFamily::Planned),
    ("proposed", StatusFamily::Planned),
    ("untracked", StatusFamily::Planned),
    ("open", StatusFamily::Planned),
    ("new", StatusFamily::Planned),
    ("draft", StatusFamily::Planned),
    ("deferred", StatusFamily::Planned),
    ("backlog", StatusFamily::Planned),
    ("pending", StatusFamily::Planned),
    ("missing", StatusFamily::Planned),
    ("gap", StatusFamily::Planned),
    ("not_started", StatusFamily::Planned),
    ("not_implemented", StatusFamily::Planned),
    ("unimplemented", StatusFamily::Planned),
    ("specified", StatusFamily::Planned),
    ("in_progress", StatusFamily::InProgress),
    ("inprogress", StatusFamily::InProgress),
    ("partial", StatusFamily::InProgress),
    ("partially_implemented", StatusFamily::InProgress),
    ("partially_done", StatusFamily::InProgress),
    ("wip", StatusFamily::InProgress),
    ("started", StatusFamily::InProgress),
    ("doing", StatusFamily::InProgress),
    ("active", StatusFamily::InProgress),
    ("ongoing", StatusFamily::InProgress),
    ("in_development", StatusFamily::InProgress),
    ("implementing", StatusFamily::InProgress),
    ("blocked", StatusFamily::InProgress),
    ("failing", StatusFamily::Failing),
    ("failed", StatusFamily::Failing),
    ("fail", StatusFamily::Failing),
    ("broken", StatusFamily::Failing),
    ("drifted", StatusFamily::Failing),
    ("incorrectly_implemented", StatusFamily::Failing),
    ("regression", StatusFamily::Failing),
    ("regressed", StatusFamily::Failing),
    ("implemented", StatusFamily::Done),
    ("done", StatusFamily::Done),
    ("complete", StatusFamily::Done),
    ("completed", StatusFamily::Done),
    ("delivered", StatusFamily::Done),
    ("delivered_unverified", StatusFamily::Done),
    ("finished", StatusFamily::Done),
    ("resolved", StatusFamily::Done),
    ("closed", StatusFamily::Done),
    ("fixed", StatusFamily::Done),
    ("in_review", StatusFamily::Done),
    ("verified", StatusFamily::Verified),
    ("tested", StatusFamily::Verified),
    ("evaluated", StatusFamily::Verified),
    ("passed", StatusFamily::Verified),
    ("passing", StatusFamily::Verified),
    ("approved", StatusFamily::Verified),
    ("accepted", StatusFamily::Verified),
    ("validated", StatusFamily::Verified),
    ("implemented_and_verified", StatusFamily::Verified),
    ("implemented_and_tested", StatusFamily::Verified),
    ("deprecated", StatusFamily::Deprecated),
    ("obsolete", StatusFamily::Deprecated),
    ("withdrawn", StatusFamily::Deprecated),
    ("superseded", StatusFamily::Deprecated),
    ("cancelled", StatusFamily::Deprecated),
    ("canceled", StatusFamily::Deprecated),
    ("rejected", StatusFamily::Deprecated),
    ("wont_do", StatusFamily::Deprecated),
    ("wont_fix", StatusFamily::Deprecated),
    ("wontfix", StatusFamily::Deprecated),
    ("retired", StatusFamily::Deprecated),
];

impl StatusFamily {
    /// The family of a status word in any case and separator; `None` for a word the board
    /// does not know, which it shows and keeps instead of guessing.
    pub fn of(word: &str) -> Option<StatusFamily> {
        let key = normalize_key(word);
        STATUS_WORDS
            .iter()
            .find(|(w, _)| *w == key)
            .map(|(_, family)| *family)
    }

    /// A few words on the family, for the card's "why this stage".
    pub fn describe(self) -> &'static str {
        match self {
            StatusFamily::Planned => "not started",
            StatusFamily::InProgress => "in progress",
            StatusFamily::Failing => "failing",
            StatusFamily::Done => "implemented",
            StatusFamily::Verified => "verified",
            StatusFamily::Deprecated => "deprecated",
        }
    }

    /// The stage a requirement of this family is in, given whether it lists tests and code
    /// and whether its review state is approved.
    pub fn stage(self, tests: bool, code: bool, approved: bool) -> Stage {
        match self {
            StatusFamily::Verified => Stage::Reviewed,
            StatusFamily::Done if approved => Stage::Reviewed,
            StatusFamily::Done => Stage::Green,
            StatusFamily::Failing => Stage::Red,
            StatusFamily::InProgress if tests && code => Stage::Red,
            _ if tests => Stage::TestWritten,
            _ => Stage::Backlog,
        }
    }
}

/// Whether a path names a test or code, or is not a path at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    Test,
    Code,
    /// A document, an id or a word: not evidence of tests or code.
    Other,
}

/// Extensions of source files; a path with one of them is code unless it looks like a test.
const CODE_EXTENSIONS: &[&str] = &[
    "rs", "py", "ts", "tsx", "js", "jsx", "mjs", "cjs", "go", "java", "kt", "kts", "swift", "c",
    "h", "cc", "cpp", "hpp", "cs", "rb", "php", "svelte", "vue", "astro", "scala", "sh", "sql",
    "dart", "ex", "exs", "erl", "clj", "lua", "m", "mm", "r", "pl", "fs", "vb", "groovy",
    "feature",
];

/// Sorts a path into tests or code by its shape: `tests/x.py`, `x.test.ts`, `x_test.go`,
/// `spec/x_spec.rb`, `__tests__/x.js` and a `path::name` test id are tests; other source files
/// are code; documents, ids and words are neither.
pub fn path_kind(path: &str) -> PathKind {
    let p = path.trim();
    if p.is_empty() || p.contains(char::is_whitespace) && !p.contains('/') {
        return PathKind::Other;
    }
    // Compared without lower-casing anything: paths are many, and this runs for each.
    let name = p.rsplit(['/', '\\']).next().unwrap_or(p);
    let file = name.split("::").next().unwrap_or_default();
    let file = file.split(['#', ':']).next().unwrap_or(file);
    let ext = file.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    let is_source = CODE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext));
    let in_test_dir = p.split(['/', '\\']).any(|part| {
        ["test", "tests", "spec", "specs", "__tests__", "e2e"]
            .iter()
            .any(|dir| part.eq_ignore_ascii_case(dir))
    });
    let has = |needle: &str| {
        file.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    let test_name = file
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("test_"))
        || ["_test.", ".test.", ".spec.", "_spec.", "tests."]
            .iter()
            .any(|n| has(n));
    if (is_source || p.contains("::")) && (in_test_dir || test_name) {
        PathKind::Test
    } else if is_source {
        PathKind::Code
    } else {
        PathKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_across_case_and_separators() {
        let table = [
            ("requirementId", "requirement_id"),
            ("RequirementID", "requirement_id"),
            ("requirement-id", "requirement_id"),
            ("Requirement ID", "requirement_id"),
            ("REQUIREMENT_ID", "requirement_id"),
            ("testIds", "test_ids"),
            ("e2e_scripts", "e2e_scripts"),
            ("HTTPServer", "http_server"),
            ("verificationEvidence", "verification_evidence"),
            ("  status ", "status"),
            ("a..b", "a_b"),
            ("", ""),
        ];
        for (key, expected) in table {
            assert_eq!(normalize_key(key), expected, "{key}");
        }
    }

    #[test]
    fn status_words_map_to_families_in_any_case() {
        let table = [
            ("IMPLEMENTED", Some(StatusFamily::Done)),
            ("PARTIALLY_IMPLEMENTED", Some(StatusFamily::InProgress)),
            ("partially implemented", Some(StatusFamily::InProgress)),
            ("In Progress", Some(StatusFamily::InProgress)),
            ("in-progress", Some(StatusFamily::InProgress)),
            ("WIP", Some(StatusFamily::InProgress)),
            ("verified", Some(StatusFamily::Verified)),
            ("Implemented and verified", Some(StatusFamily::Verified)),
            ("done", Some(StatusFamily::Done)),
            ("Completed", Some(StatusFamily::Done)),
            ("Delivered-unverified", Some(StatusFamily::Done)),
            ("Planned", Some(StatusFamily::Planned)),
            ("untracked", Some(StatusFamily::Planned)),
            ("deferred", Some(StatusFamily::Planned)),
            ("To Do", Some(StatusFamily::Planned)),
            ("drifted", Some(StatusFamily::Failing)),
            ("Incorrectly Implemented", Some(StatusFamily::Failing)),
            ("obsolete", Some(StatusFamily::Deprecated)),
            ("mapped", None),
            ("covered", None),
            ("Status 1", None),
            ("", None),
        ];
        for (word, expected) in table {
            assert_eq!(StatusFamily::of(word), expected, "{word}");
        }
    }

    #[test]
    fn every_word_of_the_table_is_normalized_and_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (word, _) in STATUS_WORDS {
            assert_eq!(normalize_key(word), *word);
            assert!(seen.insert(*word), "{word} twice");
        }
    }

    #[test]
    fn the_readme_table_lists_every_word_in_its_family() {
        let readme = include_str!("../../README.md");
        let families = [
            StatusFamily::Planned,
            StatusFamily::InProgress,
            StatusFamily::Failing,
            StatusFamily::Done,
            StatusFamily::Verified,
            StatusFamily::Deprecated,
        ];
        for family in families {
            let row = readme
                .lines()
                .find(|l| {
                    l.trim_start()
                        .starts_with(&format!("| {} |", family.describe()))
                })
                .unwrap_or_else(|| panic!("README has no row for {family:?}"));
            let mut words: Vec<String> = row
                .split('|')
                .nth(2)
                .unwrap_or_default()
                .split(',')
                .map(normalize_key)
                .collect();
            let mut table: Vec<String> = STATUS_WORDS
                .iter()
                .filter(|(_, f)| *f == family)
                .map(|(w, _)| (*w).to_owned())
                .collect();
            words.sort();
            table.sort();
            assert_eq!(
                words, table,
                "{family:?}: the README row and the table differ"
            );
        }
    }

    #[test]
    fn families_give_stages_from_links() {
        use StatusFamily::*;
        let table = [
            (Verified, false, false, false, Stage::Reviewed),
            (Done, false, true, false, Stage::Green),
            (Done, true, true, true, Stage::Reviewed),
            (Failing, true, false, false, Stage::Red),
            (InProgress, true, true, false, Stage::Red),
            (InProgress, true, false, false, Stage::TestWritten),
            (InProgress, false, true, false, Stage::Backlog),
            (Planned, true, false, false, Stage::TestWritten),
            (Planned, false, false, false, Stage::Backlog),
        ];
        for (family, tests, code, approved, stage) in table {
            assert_eq!(family.stage(tests, code, approved), stage, "{family:?}");
        }
    }

    #[test]
    fn paths_sort_into_tests_and_code() {
        let table = [
            ("tests/auth/test_login.py", PathKind::Test),
            ("src/auth.test.ts", PathKind::Test),
            ("evidence-traceability.test.js", PathKind::Test),
            ("pkg/x_test.go", PathKind::Test),
            ("spec/models/user_spec.rb", PathKind::Test),
            ("src/__tests__/a.js", PathKind::Test),
            ("tests/e2e/auth.test.ts", PathKind::Test),
            ("tests/x.py::test_name", PathKind::Test),
            ("src/components/ui/Header.astro", PathKind::Code),
            ("src/lib.rs", PathKind::Code),
            ("agentkernel/adapters/base.py", PathKind::Code),
            ("docs/PRD.md", PathKind::Other),
            ("js-unit", PathKind::Other),
            ("REQ-001", PathKind::Other),
            ("Inspection", PathKind::Other),
            ("", PathKind::Other),
        ];
        for (path, kind) in table {
            assert_eq!(path_kind(path), kind, "{path}");
        }
    }
}
