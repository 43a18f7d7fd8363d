//! Test results as evidence: JUnit XML reports read, matched to requirements, and the stage
//! moves they support.
//!
//! Owns: reading one JUnit XML report (`read_report`) as every producer writes it (nested
//! `testsuites`, a bare `testsuite` root, `file` and `line` present or not, `classname` as a
//! dotted module, a path or anything, `failure` / `error` / `skipped` / `flakyFailure`), saying
//! where a broken one breaks; matching results to requirements through the test paths each
//! lists, or through a requirement id written in a test's name (`Evidence::gather`); and the
//! moves the results support (`Evidence::suggestions`). It moves nothing itself: a move is
//! still a `Move` a person applies through `Workspace::apply`, with the report named as `by`.
//!
//! The XML is read with `roxmltree`, a small maintained reader (the smallest measured for the
//! page); the matching rules are this board's own, as no library knows requirement test paths.

use std::collections::HashMap;
use std::fmt;

use crate::board::{Board, EntryIndex};
use crate::stage::Stage;

/// Deeper nesting than this is refused: real reports nest suites two or three deep.
const MAX_DEPTH: usize = 64;

/// The largest report accepted: real ones are a few megabytes at most.
pub const MAX_REPORT_BYTES: usize = 64 * 1024 * 1024;

/// How one test case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
}

/// One test case of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    pub name: String,
    pub classname: String,
    /// The `file` attribute of the case or its suite, when the producer writes one.
    pub file: Option<String>,
    pub outcome: Outcome,
    /// The first line of the failure's message (its `message` attribute, else its text).
    pub message: Option<String>,
    /// It failed and then passed on a rerun (`flakyFailure`, `flakyError`).
    pub flaky: bool,
}

/// One report as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The report's file name, as the board names it in `tdd_history` (`by`).
    pub source: String,
    /// The first `timestamp` of its suites, as written.
    pub timestamp: Option<String>,
    pub cases: Vec<TestCase>,
}

/// Why a report could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportError {
    pub source: String,
    /// Where it breaks, counted from one; 0 when the problem is the whole file.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.source, self.message)
        } else {
            write!(
                f,
                "{}, line {}, column {}: {}",
                self.source, self.line, self.column, self.message
            )
        }
    }
}

/// Reads one JUnit XML report. Never panics; a file that is not a readable report is an
/// error naming the file and, for broken XML, the line and column.
pub fn read_report(source: &str, bytes: &[u8]) -> Result<Report, ReportError> {
    let error = |line: u32, column: u32, message: String| ReportError {
        source: source.to_owned(),
        line,
        column,
        message,
    };
    if bytes.len() > MAX_REPORT_BYTES {
        return Err(error(
            0,
            0,
            format!(
                "the file is {}, more than a test report can be ({} at most)",
                crate::matrix::megabytes(bytes.len() as u64),
                crate::matrix::megabytes(MAX_REPORT_BYTES as u64)
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        error(line, 0, "the file is not UTF-8 text".to_owned())
    })?;
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        let pos = e.pos();
        error(pos.row, pos.col, e.to_string())
    })?;
    let root = doc.root_element();
    if !matches!(root.tag_name().name(), "testsuites" | "testsuite") {
        return Err(error(
            1,
            1,
            format!(
                "this is not a JUnit XML report: its root is <{}>, not <testsuites> or <testsuite>",
                root.tag_name().name()
            ),
        ));
    }
    let timestamp = root
        .descendants()
        .filter(|n| n.has_tag_name("testsuite") || n.has_tag_name("testsuites"))
        .find_map(|n| n.attribute("timestamp"))
        .map(str::to_owned);
    let mut cases = Vec::new();
    // Top down, each suite handing its `file` to what it holds: one visit per element, and a
    // depth no real report reaches ends the walk with a message instead of freezing the tab.
    let mut stack = vec![(root, None::<&str>, 0usize)];
    while let Some((node, suite_file, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(error(
                0,
                0,
                format!("suites are nested more than {MAX_DEPTH} deep; no test runner writes that"),
            ));
        }
        if !node.has_tag_name("testcase") {
            let file = if node.has_tag_name("testsuite") {
                node.attribute("file").or(suite_file)
            } else {
                suite_file
            };
            for child in node.children().filter(|n| n.is_element()).rev() {
                stack.push((child, file, depth + 1));
            }
            continue;
        }
        let case = node;
        let mut outcome = Outcome::Passed;
        let mut message = None;
        let mut flaky = false;
        for child in case.children().filter(|n| n.is_element()) {
            match child.tag_name().name() {
                "failure" | "error" => {
                    outcome = Outcome::Failed;
                    message = message.or_else(|| first_line(&child));
                }
                "skipped" if outcome == Outcome::Passed => outcome = Outcome::Skipped,
                "flakyFailure" | "flakyError" => flaky = true,
                _ => {}
            }
        }
        cases.push(TestCase {
            name: case.attribute("name").unwrap_or_default().trim().to_owned(),
            classname: case
                .attribute("classname")
                .unwrap_or_default()
                .trim()
                .to_owned(),
            file: case.attribute("file").or(suite_file).map(str::to_owned),
            outcome,
            message,
            flaky,
        });
    }
    Ok(Report {
        source: source.to_owned(),
        timestamp,
        cases,
    })
}

/// The first non-empty line of a failure: its `message`, else its text.
fn first_line(node: &roxmltree::Node) -> Option<String> {
    let text = node
        .attribute("message")
        .filter(|m| !m.trim().is_empty())
        .or_else(|| node.text())?;
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(300).collect())
}

/// A path in one spelling: forward slashes, no leading `./`, no extension, lower case.
fn stem(path: &str) -> String {
    let path = path.trim().replace('\\', "/");
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let mut stem = path.to_ascii_lowercase();
    // The extension, then a test suffix (`x.test.ts`, `x.spec.js`, `x.e2e.ts`): the file's own
    // name keeps its other dots (`users.service.spec.ts` is `users.service`).
    let file_start = stem.rfind('/').map_or(0, |i| i + 1);
    if let Some(dot) = stem[file_start..].rfind('.').filter(|&d| d > 0) {
        stem.truncate(file_start + dot);
    }
    for suffix in [".test", ".spec", ".e2e", ".it", ".unit"] {
        if stem.len() > file_start + suffix.len() && stem.ends_with(suffix) {
            stem.truncate(stem.len() - suffix.len());
            break;
        }
    }
    stem
}

/// Whether `a` ends with `b` at a path boundary (or the other way round): `tests/auth/x`
/// and `auth/x` are the same file seen from two roots.
fn same_file(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    !short.is_empty()
        && long.ends_with(short)
        && (long.len() == short.len() || long.as_bytes()[long.len() - short.len() - 1] == b'/')
}

/// The files a case may come from, each as a `stem`: its `file`, its `classname` read as a
/// path, as a dotted module (and without its last parts, a class), and as a Rust test binary
/// (`crate::corpus` is `tests/corpus.rs`).
fn case_files(case: &TestCase) -> Vec<String> {
    let mut files = Vec::new();
    if let Some(file) = &case.file {
        files.push(stem(file));
    }
    let class = case.classname.as_str();
    if class.contains('/') || class.contains('\\') || looks_like_file(class) {
        files.push(stem(class));
    } else if class.contains("::") {
        // cargo-nextest: `binary-id` or `crate::integration_test`.
        if let Some((_, test)) = class.rsplit_once("::") {
            files.push(format!("tests/{}", test.to_ascii_lowercase()));
        }
    } else if class.contains('.') {
        let parts: Vec<&str> = class.split('.').collect();
        for keep in (1..=parts.len()).rev() {
            files.push(parts[..keep].join("/").to_ascii_lowercase());
        }
    } else if !class.contains(' ') {
        // A module at the root (pytest's `test_login` for `test_login.py`).
        files.push(class.to_ascii_lowercase());
    }
    // A name written as a path (`tests/x.spec.ts > works`, Playwright's `x.spec.ts:12:3`).
    let named = case.name.split([' ', '>']).next().unwrap_or_default();
    if named.contains('/') {
        files.push(stem(named.split(':').next().unwrap_or(named)));
    }
    files.retain(|f| !f.is_empty());
    files
}

/// Whether a name is a source file's (`login.spec.ts`, `test_x.py`), not a dotted module.
fn looks_like_file(name: &str) -> bool {
    const EXTENSIONS: [&str; 16] = [
        "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "rs", "go", "java", "kt", "rb", "php", "cs",
        "swift", "feature",
    ];
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// A test item of a requirement, as it matches results: a file, and a test in it when the
/// item names one (`tests/x.py::test_y`, `tests/x.py::TestZ::test_y`), or a Rust test path
/// (`board::tests::moves`).
struct Wanted {
    file: String,
    test: Option<String>,
    rust_path: Option<String>,
    /// A Go test file's package directory: go-junit-report names the package, not the file.
    package: Option<String>,
}

fn wanted(item: &str) -> Wanted {
    let item = item.trim();
    let (file, test) = match item.split_once("::") {
        Some((file, test)) if file.contains('/') || file.contains('.') => {
            // `Class::test[a::b]`: the test's own name, before any parameters.
            let plain = test.split('[').next().unwrap_or(test);
            (
                file,
                Some(plain.rsplit("::").next().unwrap_or(plain).to_owned()),
            )
        }
        _ => (item, None),
    };
    // `module::tests::name` with no file in it: a Rust test path.
    let rust_path = (!file.contains('/') && !file.contains('.') && item.contains("::"))
        .then(|| item.to_owned());
    let file = if rust_path.is_some() {
        String::new()
    } else {
        stem(file)
    };
    let package = file
        .ends_with("_test")
        .then(|| item.split("::").next().unwrap_or(item))
        .filter(|f| f.to_ascii_lowercase().ends_with("_test.go"))
        .and_then(|_| file.rsplit_once('/').map(|(dir, _)| dir.to_owned()));
    Wanted {
        file,
        test,
        rust_path,
        package,
    }
}

impl Wanted {
    fn matches(&self, case: &TestCase, files: &[String]) -> bool {
        if let Some(path) = &self.rust_path {
            return case.name == *path || case.name.starts_with(&format!("{path}::"));
        }
        let in_package = |f: &String| self.package.as_ref().is_some_and(|p| same_file(f, p));
        if !files
            .iter()
            .any(|f| same_file(f, &self.file) || in_package(f))
        {
            return false;
        }
        match &self.test {
            None => true,
            Some(test) => {
                case.name == *test
                    || case.name.starts_with(&format!("{test}["))
                    || case.name.ends_with(&format!("::{test}"))
            }
        }
    }
}

/// An id as it is looked for in test names: its letters and digits, lower case, when it
/// ends in digits (`REQ-007` is `req007`, written `REQ-007`, `req_007` or `req007`). An id
/// without a number is too likely a common word to be found in names.
fn id_key(id: &str) -> Option<String> {
    // Only the plain form, words then one number (`REQ-007`, `AUTH_API-4`): an id such as
    // `REQ-1.2` would read as `req12` and take another requirement's tests.
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (words, number) = id.split_at(id.len() - digits);
    let plain = digits > 0
        && words.bytes().any(|b| b.is_ascii_alphabetic())
        && words
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'_'));
    plain.then(|| {
        let letters: String = words
            .chars()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        format!("{letters}{number}")
    })
}

/// The ids a test's name may hold, as `id_key`s: each run of digits with the words before
/// it, joined by `-` or `_` (up to three words: `auth-api-004`), each word whole
/// (`prereq_007` holds `prereq007`, never `req007`) and the digits whole.
fn id_keys_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let digits_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &text[digits_start..i];
        // Back over `[sep] letters` groups.
        let mut start = digits_start;
        let mut key = digits.to_owned();
        for _ in 0..3 {
            let mut j = start;
            if j > 0 && matches!(bytes[j - 1], b'-' | b'_') {
                j -= 1;
            }
            let word_end = j;
            while j > 0 && bytes[j - 1].is_ascii_alphabetic() {
                j -= 1;
            }
            if j == word_end {
                break;
            }
            let word = &text[j..word_end];
            // In `TestREQ007Login` the id's word is the capitals that end the run.
            let capitals = word.len()
                - word
                    .bytes()
                    .rev()
                    .take_while(u8::is_ascii_uppercase)
                    .count();
            if capitals > 0 && capitals < word.len() && start == digits_start {
                keys.push(format!("{}{key}", word[capitals..].to_ascii_lowercase()));
            }
            key = format!("{}{key}", word.to_ascii_lowercase());
            keys.push(key.clone());
            start = j;
        }
    }
    keys
}

/// One result a requirement has: the case, and whether it matched by the requirement's id in
/// its name rather than by a test path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Matched {
    pub report: usize,
    pub case: usize,
    pub by_name: bool,
}

/// A requirement's results in a few numbers, for its card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Tally {
    /// "3 passed · 1 failed", or `None` with no result.
    pub fn describe(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.passed, "passed"),
            (self.failed, "failed"),
            (self.skipped, "skipped"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// Whether any test ran (was not skipped).
    pub fn ran(&self) -> bool {
        self.passed + self.failed > 0
    }
}

/// Results matched to a board's requirements.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    pub reports: Vec<Report>,
    /// Per entry of the board, its results.
    pub by_entry: Vec<Vec<Matched>>,
    /// Results that match no requirement: (report, case).
    pub unmatched: Vec<(usize, usize)>,
    /// Per entry, what its matches were worked out from (its id and test items), so a change
    /// that leaves them alone (a move) is not matched again.
    signatures: Vec<u64>,
}

/// What a card's matches depend on, hashed: its id and its test items.
fn signature(card: &crate::requirement::Card) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    card.id.as_str().hash(&mut hasher);
    card.tests.hash(&mut hasher);
    hasher.finish()
}

/// A move the results support.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub entry: EntryIndex,
    pub id: String,
    pub from: Stage,
    pub to: Stage,
    /// Why, in a few words: "2 of 3 tests failed".
    pub why: String,
    /// The report that justifies it, for the move's `by`: "test results: junit.xml".
    pub by: String,
    /// When, as the report says (its timestamp), if it says.
    pub at: Option<String>,
}

impl Evidence {
    /// Matches every case of `reports` to the requirements of `board`: through the test
    /// items each lists (its own and those joined from beside it), and through a requirement
    /// id written in the case's name or classname.
    pub fn gather(board: &Board, reports: Vec<Report>) -> Evidence {
        // Every test item indexed by the last part of its file (or package) and every Rust
        // test path by itself, and every id ending in digits by its letters and digits: a
        // case then looks up only the items that could be its own, instead of all of them.
        let mut wanted_of: Vec<Vec<Wanted>> = Vec::with_capacity(board.len());
        let mut by_file: HashMap<String, Vec<(EntryIndex, usize)>> = HashMap::new();
        let mut by_rust: HashMap<String, Vec<(EntryIndex, usize)>> = HashMap::new();
        let mut by_id: HashMap<String, Vec<EntryIndex>> = HashMap::new();
        for (entry, card) in board.cards() {
            while wanted_of.len() < entry {
                wanted_of.push(Vec::new());
            }
            let items: Vec<Wanted> = card.tests.iter().map(|t| wanted(t)).collect();
            for (w, item) in items.iter().enumerate() {
                match &item.rust_path {
                    Some(path) => by_rust.entry(path.clone()).or_default().push((entry, w)),
                    None => {
                        for key in [Some(&item.file), item.package.as_ref()]
                            .into_iter()
                            .flatten()
                        {
                            let last = key.rsplit('/').next().unwrap_or(key).to_owned();
                            by_file.entry(last).or_default().push((entry, w));
                        }
                    }
                }
            }
            wanted_of.push(items);
            if let Some(key) = id_key(card.id.as_str()) {
                by_id.entry(key).or_default().push(entry);
            }
        }
        let mut by_entry = vec![Vec::new(); board.len()];
        let mut unmatched = Vec::new();
        let mut found: Vec<(EntryIndex, bool)> = Vec::new();
        for (r, report) in reports.iter().enumerate() {
            for (c, case) in report.cases.iter().enumerate() {
                found.clear();
                let files = case_files(case);
                let mut consider = |candidates: Option<&Vec<(EntryIndex, usize)>>| {
                    for &(entry, w) in candidates.into_iter().flatten() {
                        let hit = wanted_of
                            .get(entry)
                            .and_then(|items| items.get(w))
                            .is_some_and(|item| item.matches(case, &files));
                        if hit && !found.iter().any(|f| f.0 == entry) {
                            found.push((entry, false));
                        }
                    }
                };
                for file in &files {
                    consider(by_file.get(file.rsplit('/').next().unwrap_or(file)));
                }
                let mut prefix = case.name.as_str();
                loop {
                    consider(by_rust.get(prefix));
                    match prefix.rsplit_once("::") {
                        Some((head, _)) => prefix = head,
                        None => break,
                    }
                }
                let named = format!("{} {}", case.classname, case.name);
                for key in id_keys_in(&named) {
                    for &entry in by_id.get(&key).into_iter().flatten() {
                        if !found.iter().any(|f| f.0 == entry) {
                            found.push((entry, true));
                        }
                    }
                }
                if found.is_empty() {
                    unmatched.push((r, c));
                }
                for &(entry, by_name) in &found {
                    if let Some(list) = by_entry.get_mut(entry) {
                        list.push(Matched {
                            report: r,
                            case: c,
                            by_name,
                        });
                    }
                }
            }
        }
        let mut signatures = vec![0; board.len()];
        for (entry, card) in board.cards() {
            signatures[entry] = signature(card);
        }
        Evidence {
            reports,
            by_entry,
            unmatched,
            signatures,
        }
    }

    /// Matches the results again for `entries` only, after their tests changed (an edit):
    /// every case is tried against each, so it is for a few entries; a new board is gathered
    /// anew.
    pub fn refresh(&mut self, board: &Board, entries: &[EntryIndex]) {
        // Only the entries whose id or tests changed (a move changes neither); many of them,
        // or another board, are gathered anew through the index.
        let changed: Vec<EntryIndex> = entries
            .iter()
            .copied()
            .filter(|&e| board.card(e).map(signature) != self.signatures.get(e).copied())
            .collect();
        if changed.is_empty() {
            return;
        }
        if self.by_entry.len() != board.len() || changed.len() > 16 {
            *self = Evidence::gather(board, std::mem::take(&mut self.reports));
            return;
        }
        for &entry in &changed {
            let Some(card) = board.card(entry) else {
                continue;
            };
            if let Some(slot) = self.signatures.get_mut(entry) {
                *slot = signature(card);
            }
            let items: Vec<Wanted> = card.tests.iter().map(|t| wanted(t)).collect();
            let key = id_key(card.id.as_str());
            let mut matched = Vec::new();
            for (r, report) in self.reports.iter().enumerate() {
                for (c, case) in report.cases.iter().enumerate() {
                    let files = case_files(case);
                    let by_path = items.iter().any(|w| w.matches(case, &files));
                    let by_name = !by_path
                        && key.as_ref().is_some_and(|k| {
                            id_keys_in(&format!("{} {}", case.classname, case.name)).contains(k)
                        });
                    if by_path || by_name {
                        matched.push(Matched {
                            report: r,
                            case: c,
                            by_name,
                        });
                    }
                }
            }
            if let Some(slot) = self.by_entry.get_mut(entry) {
                *slot = matched;
            }
        }
        let mut seen: HashMap<(usize, usize), ()> = HashMap::new();
        for m in self.by_entry.iter().flatten() {
            seen.insert((m.report, m.case), ());
        }
        self.unmatched = self
            .reports
            .iter()
            .enumerate()
            .flat_map(|(r, report)| (0..report.cases.len()).map(move |c| (r, c)))
            .filter(|k| !seen.contains_key(k))
            .collect();
    }

    /// Adds `reports`: a report of the same file name replaces the one read before, and a
    /// test reported again (same class and name) replaces its older result.
    pub fn add(&mut self, board: &Board, reports: Vec<Report>) {
        let mut all = std::mem::take(&mut self.reports);
        for report in reports {
            all.retain(|r| r.source != report.source);
            // A test is its file, class and name: suites of different files may share titles.
            let newer: Vec<(&str, &str, Option<&str>)> = report
                .cases
                .iter()
                .map(|c| (c.classname.as_str(), c.name.as_str(), c.file.as_deref()))
                .collect();
            for older in &mut all {
                older.cases.retain(|c| {
                    !newer.iter().any(|&(class, name, file)| {
                        class == c.classname
                            && name == c.name
                            && (file.is_none() || c.file.is_none() || file == c.file.as_deref())
                    })
                });
            }
            all.push(report);
        }
        all.retain(|r| !r.cases.is_empty());
        *self = Evidence::gather(board, all);
    }

    /// How many results there are in all.
    pub fn len(&self) -> usize {
        self.reports.iter().map(|r| r.cases.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The results of one entry.
    pub fn of(&self, entry: EntryIndex) -> impl Iterator<Item = (&TestCase, Matched)> {
        self.by_entry
            .get(entry)
            .into_iter()
            .flatten()
            .filter_map(|m| Some((self.reports.get(m.report)?.cases.get(m.case)?, *m)))
    }

    /// An entry's results counted.
    pub fn tally(&self, entry: EntryIndex) -> Tally {
        let mut tally = Tally::default();
        for (case, _) in self.of(entry) {
            match case.outcome {
                Outcome::Passed => tally.passed += 1,
                Outcome::Failed => tally.failed += 1,
                Outcome::Skipped => tally.skipped += 1,
            }
        }
        tally
    }

    /// The moves the results support, one per card at most, in file order: Test written to
    /// Red when its tests ran and one failed; Red to Green when all that ran passed and it
    /// lists code; Green or Reviewed back to Red when one fails (a regression).
    pub fn suggestions(&self, board: &Board) -> Vec<Suggestion> {
        let mut out = Vec::new();
        for (entry, card) in board.cards() {
            let tally = self.tally(entry);
            if !tally.ran() || card.read_only || card.history_not_a_list || card.deprecated {
                continue;
            }
            // Only results newer than the card's last move say anything about its stage now.
            let newest = self
                .of(entry)
                .filter_map(|(_, m)| self.reports.get(m.report)?.timestamp.as_deref())
                .filter_map(minute)
                .max();
            let moved = card.last_move.as_ref().and_then(|(_, at)| minute(at));
            if let (Some(newest), Some(moved)) = (newest, moved)
                && newest < moved
            {
                continue;
            }
            let to = match card.stage {
                Stage::TestWritten if tally.failed > 0 => Stage::Red,
                Stage::Red
                    if tally.failed == 0 && !card.code.is_empty() && self.all_ran(entry, card) =>
                {
                    Stage::Green
                }
                Stage::Green | Stage::Reviewed if tally.failed > 0 => Stage::Red,
                _ => continue,
            };
            if board.check_move(entry, to).is_err() {
                continue;
            }
            let ran = tally.passed + tally.failed;
            let why = match (ran, tally.failed) {
                (1, 0) => "its test passed".to_owned(),
                (1, _) => "its test failed".to_owned(),
                (_, 0) => format!("all {ran} tests passed"),
                (_, failed) => format!("{failed} of {ran} tests failed"),
            };
            // The report of a failure names a move to Red; else the latest of its results.
            let report = self
                .of(entry)
                .filter(|(c, _)| to != Stage::Red || c.outcome == Outcome::Failed)
                .map(|(_, m)| m.report)
                .max()
                .and_then(|r| self.reports.get(r));
            out.push(Suggestion {
                entry,
                id: card.id.to_string(),
                from: card.stage,
                to,
                why,
                by: format!(
                    "test results: {}",
                    report.map_or("a report", |r| r.source.as_str())
                ),
                // A timestamp the history can trust: ISO 8601 with its zone; else the move
                // takes the time it is applied.
                at: report
                    .and_then(|r| r.timestamp.clone())
                    .filter(|t| zoned_iso(t)),
            });
        }
        out
    }
}

impl Evidence {
    /// Whether every test item the card lists has a result (a test it names that never ran
    /// leaves Green unproven).
    fn all_ran(&self, entry: EntryIndex, card: &crate::requirement::Card) -> bool {
        card.tests.iter().map(|t| wanted(t)).all(|w| {
            self.of(entry).any(|(case, _)| {
                case.outcome != Outcome::Skipped && w.matches(case, &case_files(case))
            })
        })
    }
}

/// An ISO 8601 time cut to the minute (`2026-11-29T10:15`), for comparing times written by
/// different tools; `None` when the text is not one.
fn minute(at: &str) -> Option<&str> {
    let head = at.get(..16)?;
    let b = head.as_bytes();
    let shape = b[4] == b'-' && b[7] == b'-' && matches!(b[10], b'T' | b' ') && b[13] == b':';
    shape.then_some(head)
}

/// Whether `at` is an ISO 8601 time with its zone (`Z` or `±hh:mm`), as `tdd_history` writes.
fn zoned_iso(at: &str) -> bool {
    minute(at).is_some()
        && (at.ends_with('Z')
            || at
                .get(at.len().saturating_sub(6)..)
                .is_some_and(|z| z.starts_with(['+', '-']) && z.as_bytes().get(3) == Some(&b':')))
}

#[cfg(test)]
mod tests;
