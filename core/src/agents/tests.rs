//! Tests of the whole module over the agent files in `tests/fixtures/agents`, plus property
//! tests that no input makes it panic.
//!
//! The fixtures are read with `include_bytes!` relative to this file, so the tests need no file
//! system at run time and compile the same way in the scratch crate and in the real one. Unit
//! tests of each reading rule live next to that rule; these check that the rules add up.

use super::*;

/// A fixture as `(file name as the board would pass it, bytes)`.
macro_rules! fixture {
    ($name:literal) => {
        (
            concat!("agents/", $name),
            include_bytes!(concat!("../../../tests/fixtures/agents/", $name)).as_slice(),
        )
    };
}

/// What a fixture should read as. `lenient` and each warning are matched as substrings, so
/// the expectations stay readable while still pinning down which rule fired.
#[derive(Clone, Copy, Debug)]
struct Expected {
    name: &'static str,
    description: &'static str,
    tools: &'static [&'static str],
    model: Option<&'static str>,
    color: Option<&'static str>,
    lenient: Option<&'static str>,
    warnings: &'static [&'static str],
}

const CLEAN: Expected = Expected {
    name: "",
    description: "",
    tools: &[],
    model: None,
    color: None,
    lenient: None,
    warnings: &[],
};

fn parse((file, bytes): (&str, &[u8])) -> AgentFile {
    match parse_agent_file(file, bytes) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{file} was refused: {error}"),
    }
}

fn check(fixture: (&str, &[u8]), expected: Expected) {
    let file = fixture.0;
    let AgentFile { agent, warnings } = parse(fixture);
    assert_eq!(agent.name, expected.name, "{file}: name");
    assert_eq!(
        agent.description, expected.description,
        "{file}: description"
    );
    assert_eq!(agent.tools, expected.tools, "{file}: tools");
    assert_eq!(agent.model.as_deref(), expected.model, "{file}: model");
    assert_eq!(agent.color.as_deref(), expected.color, "{file}: color");
    assert_eq!(agent.file_name, file, "{file}: file name");
    match (&agent.lenient, expected.lenient) {
        (None, None) => {}
        (Some(reason), Some(part)) if reason.contains(part) => {}
        (actual, wanted) => panic!("{file}: lenient is {actual:?}, expected {wanted:?}"),
    }
    assert_eq!(
        warnings.len(),
        expected.warnings.len(),
        "{file}: warnings {warnings:#?}"
    );
    for (warning, part) in warnings.iter().zip(expected.warnings) {
        assert!(warning.contains(part), "{file}: {warning:?} lacks {part:?}");
    }
}

fn check_error(fixture: (&str, &[u8]), expected: &AgentError, message: &str) {
    let file = fixture.0;
    match parse_agent_file(fixture.0, fixture.1) {
        Ok(parsed) => panic!("{file} was accepted as {parsed:?}"),
        Err(error) => {
            assert_eq!(&error, expected, "{file}");
            assert_eq!(error.to_string(), message, "{file}");
        }
    }
}

#[test]
fn reads_well_formed_files() {
    let cases = [
        (
            fixture!("qa-agent.md"),
            Expected {
                name: "qa-agent",
                description: "Writes failing tests for each requirement before any code exists, \
                              then runs them to confirm they are red.",
                tools: &["Read", "Write", "Edit", "Bash", "Grep", "Glob"],
                model: Some("sonnet"),
                color: Some("yellow"),
                ..CLEAN
            },
        ),
        (
            fixture!("backend-engineer.md"),
            Expected {
                name: "backend-engineer",
                description: "Implements server-side code until the red tests for a requirement \
                              pass. Never edits tests.",
                tools: &["Read", "Edit", "Write", "Bash", "Grep"],
                model: Some("opus"),
                color: Some("#3b82f6"),
                ..CLEAN
            },
        ),
        (
            fixture!("product-manager.md"),
            Expected {
                name: "product-manager",
                description: "Turns a feature idea into EARS requirements with acceptance \
                              criteria.\nKeeps the traceability matrix up to date.",
                tools: &["Read", "Write", "WebSearch"],
                model: Some("sonnet"),
                color: Some("green"),
                ..CLEAN
            },
        ),
        (
            fixture!("literal-block.md"),
            Expected {
                name: "spec-writer",
                description: "Writes specifications.\nOne requirement per line.",
                tools: &["Read", "Write"],
                ..CLEAN
            },
        ),
        (
            fixture!("folded-strip.md"),
            Expected {
                name: "docs-writer",
                description: "Keeps README and ARCHITECTURE in step with the code.",
                model: Some("haiku"),
                ..CLEAN
            },
        ),
        (
            fixture!("escaped-newlines.md"),
            Expected {
                name: "security-auditor",
                description: "Audits changes for security issues.\n\nUse it before every \
                              release.\nIt reads code only.",
                tools: &["Read", "Grep", "Glob"],
                model: Some("opus"),
                color: Some("darkred"),
                ..CLEAN
            },
        ),
        (
            fixture!("double-quoted.md"),
            Expected {
                name: "release-manager",
                description: "Prepares releases: bumps versions, writes the \"changelog\" and \
                              tags.\nRuns last.",
                tools: &["Read", "Bash"],
                model: Some("sonnet"),
                ..CLEAN
            },
        ),
        (
            fixture!("single-quoted.md"),
            Expected {
                name: "ux-designer",
                description: "Designs flows; it's the first step for any UI requirement.",
                tools: &["Read", "Write"],
                color: Some("violet"),
                ..CLEAN
            },
        ),
        (
            fixture!("unicode-name.md"),
            Expected {
                name: "Évaluatrice QA 🧪",
                description: "テストを先に書きます。Écrit les tests avant le code.",
                tools: &["Read", "Bash"],
                color: Some("seagreen"),
                ..CLEAN
            },
        ),
        (
            fixture!("no-tools.md"),
            Expected {
                name: "generalist",
                description: "Handles anything the others do not.",
                model: Some("inherit"),
                ..CLEAN
            },
        ),
        (
            fixture!("trailing-space-delimiters.md"),
            Expected {
                name: "mobile-developer",
                description: "Builds the mobile app screens.",
                ..CLEAN
            },
        ),
    ];
    for (fixture, expected) in cases {
        check(fixture, expected);
    }
}

#[test]
fn reads_every_tool_list_shape() {
    let cases = [
        (
            fixture!("flow-list-tools.md"),
            Expected {
                name: "git-helper",
                description: "Prepares commits and branches.",
                tools: &[
                    "Read",
                    "Grep",
                    "Bash(git log:*)",
                    "Bash(git diff:*, git status:*)",
                ],
                ..CLEAN
            },
        ),
        (
            fixture!("allowed-tools.md"),
            Expected {
                name: "linter",
                description: "Runs formatters and linters and fixes what they report.",
                tools: &["Bash", "Read", "Edit"],
                model: Some("haiku"),
                ..CLEAN
            },
        ),
        (
            fixture!("space-separated-allowed-tools.md"),
            Expected {
                name: "committer",
                description: "Stages and commits finished work.",
                tools: &["Bash(git add:*)", "Bash(git commit:*)", "Read"],
                ..CLEAN
            },
        ),
        (
            fixture!("both-tools-keys.md"),
            Expected {
                name: "migrator",
                description: "Writes database migrations.",
                tools: &["Read", "Write"],
                ..CLEAN
            },
        ),
        (
            fixture!("tools-map-flow.md"),
            Expected {
                name: "api-designer",
                description: "Designs HTTP APIs before they are implemented.",
                tools: &["Read", "Write"],
                color: Some("#0f0"),
                ..CLEAN
            },
        ),
        (
            fixture!("anchors.md"),
            Expected {
                name: "pair",
                description: "Pairs with the implementer.",
                tools: &["Read", "Grep"],
                ..CLEAN
            },
        ),
    ];
    for (fixture, expected) in cases {
        check(fixture, expected);
    }
}

#[test]
fn reads_crlf_and_byte_order_marks() {
    let cases = [
        (
            fixture!("frontend.md"),
            Expected {
                name: "frontend",
                description: "Builds the UI components that make the frontend tests pass.",
                tools: &["Read", "Write", "Edit"],
                model: Some("sonnet"),
                color: Some("cyan"),
                ..CLEAN
            },
        ),
        (
            fixture!("bom-planner.md"),
            Expected {
                name: "bom-planner",
                description: "Splits epics into stories and stories into requirements.",
                tools: &["Read", "Write"],
                model: Some("haiku"),
                color: Some("pink"),
                ..CLEAN
            },
        ),
        (
            fixture!("bom-crlf-tester.md"),
            Expected {
                name: "bom-crlf-tester",
                description: "Runs the whole test suite and reports which requirements are red.",
                tools: &["Bash", "Read"],
                model: Some("haiku"),
                color: Some("red"),
                ..CLEAN
            },
        ),
        (
            fixture!("crlf-block-scalar.md"),
            Expected {
                name: "crlf-docs",
                description: "Writes docs.\nKeeps them short.",
                color: Some("#aabbcc"),
                ..CLEAN
            },
        ),
    ];
    for (fixture, expected) in cases {
        check(fixture, expected);
    }
    for fixture in [fixture!("frontend.md"), fixture!("bom-crlf-tester.md")] {
        let agent = parse(fixture).agent;
        assert!(
            !agent.body.contains('\r'),
            "{}: {:?}",
            fixture.0,
            agent.body
        );
    }
}

#[test]
fn reads_broken_yaml_leniently() {
    const NOT_YAML: &str = "could not be read as YAML";
    let cases = [
        (
            fixture!("overseer.md"),
            Expected {
                name: "overseer",
                description: "Governance reviewer. Use it when: a requirement is green and needs \
                              approval before release.",
                tools: &["Read", "Grep", "Glob"],
                model: Some("opus"),
                color: Some("purple"),
                lenient: Some("mapping values are not allowed in this context (line 3, column 46)"),
                warnings: &[NOT_YAML],
            },
        ),
        (
            fixture!("crlf-reviewer.md"),
            Expected {
                name: "crlf-reviewer",
                description: "Second-opinion reviewer: checks naming, tests and docs on Windows \
                              checkouts.",
                tools: &["Read", "Grep"],
                color: Some("orange"),
                lenient: Some("(line 3, column 37)"),
                warnings: &[NOT_YAML],
                ..CLEAN
            },
        ),
        (
            fixture!("example-blocks.md"),
            Expected {
                name: "test-runner",
                description: "Use this agent after code changes to run the tests and report \
                               failures. Examples: <example>\n\
                               Context: The user just finished a refactor.\n\
                               user: \"I moved the parser into its own module\"\n\
                               assistant: \"I'll use the test-runner agent to check nothing \
                               broke.\"\n\
                               <commentary>\n\
                               Code moved, so the tests must run again.\n\
                               </commentary>\n\
                               </example>\n\
                               <example>\n\
                               user: \"Are we green?\"\n\
                               assistant: \"Let me run the test-runner agent.\"\n\
                               </example>",
                tools: &["Bash", "Read", "Grep"],
                model: Some("haiku"),
                color: Some("blue"),
                lenient: Some("line 3"),
                warnings: &[NOT_YAML],
            },
        ),
        (
            fixture!("lenient-list-and-quotes.md"),
            Expected {
                name: "integration-tester",
                description: "Tests the whole flow: import, move a card, export.",
                tools: &["Read", "Bash"],
                model: Some("sonnet"),
                color: Some("teal"),
                lenient: Some("line 3"),
                warnings: &[NOT_YAML],
            },
        ),
        (
            fixture!("lenient-block-scalar.md"),
            Expected {
                name: "architect",
                description: "Designs modules.\nDecides: boundaries, invariants and names.",
                tools: &["Read", "Write"],
                lenient: Some("line 7"),
                warnings: &[NOT_YAML],
                ..CLEAN
            },
        ),
        (
            fixture!("tab-indented.md"),
            Expected {
                name: "ci-fixer",
                description: "Fixes broken CI pipelines.",
                tools: &["Read", "Bash"],
                model: Some("sonnet"),
                lenient: Some("tabs disallowed"),
                warnings: &[NOT_YAML],
                ..CLEAN
            },
        ),
        (
            fixture!("orphan-lines.md"),
            Expected {
                name: "ops",
                description: "Keeps deployments boring.",
                tools: &["Read", "Bash"],
                color: Some("navy"),
                lenient: Some("line 3"),
                warnings: &[
                    NOT_YAML,
                    "line 2 is not part of any `key: value` and was skipped",
                ],
                ..CLEAN
            },
        ),
        (
            fixture!("frontmatter-not-a-map.md"),
            Expected {
                name: "frontmatter-not-a-map",
                lenient: Some("it is one piece of text, not `key: value` lines (line 2, column 1)"),
                warnings: &[
                    NOT_YAML,
                    "line 2 is not part of any `key: value`",
                    "there is no `name`, so the file name `frontmatter-not-a-map` is used",
                    "there is no `description`",
                ],
                ..CLEAN
            },
        ),
    ];
    for (fixture, expected) in cases {
        check(fixture, expected);
    }
}

#[test]
fn normalises_colours_and_warns_about_unknown_ones() {
    let cases = [
        (
            fixture!("hex-short.md"),
            Expected {
                name: "perf-analyst",
                description: "Measures performance and finds regressions.",
                color: Some("#abc"),
                ..CLEAN
            },
        ),
        (
            fixture!("hex-unquoted.md"),
            Expected {
                name: "accessibility-checker",
                description: "Checks the UI against WCAG 2.2.",
                color: Some("#ff8800"),
                ..CLEAN
            },
        ),
        (
            fixture!("unknown-colour.md"),
            Expected {
                name: "data-engineer",
                description: "Builds the pipelines that feed the reports.",
                warnings: &["line 4: `blurple` is not a CSS colour name or a #hex code"],
                ..CLEAN
            },
        ),
    ];
    for (fixture, expected) in cases {
        check(fixture, expected);
    }
}

#[test]
fn falls_back_and_says_why() {
    let cases = [
        (
            fixture!("no-frontmatter.md"),
            Expected {
                name: "no-frontmatter",
                warnings: &["there is no frontmatter"],
                ..CLEAN
            },
        ),
        (
            fixture!("unterminated.md"),
            Expected {
                name: "unterminated",
                warnings: &["opened by `---` on line 1 is never closed"],
                ..CLEAN
            },
        ),
        (
            fixture!("missing-name.md"),
            Expected {
                name: "missing-name",
                description: "Reviews infrastructure changes.",
                tools: &["Read"],
                warnings: &["there is no `name`, so the file name `missing-name` is used"],
                ..CLEAN
            },
        ),
        (
            fixture!("empty-name.md"),
            Expected {
                name: "empty-name",
                description: "An agent whose name is blank.",
                warnings: &["line 2: `name` is empty"],
                ..CLEAN
            },
        ),
        (
            fixture!("name-is-list.md"),
            Expected {
                name: "name-is-list",
                description: "A name that is a list.",
                warnings: &["line 2: `name` is a list", "line 6: `color` is a list"],
                ..CLEAN
            },
        ),
        (
            fixture!("duplicate-keys.md"),
            Expected {
                name: "refactorer",
                description: "Refactors without changing behaviour.",
                model: Some("sonnet"),
                warnings: &["`model` is set more than once (lines 4, 5)"],
                ..CLEAN
            },
        ),
    ];
    for (fixture, expected) in cases {
        check(fixture, expected);
    }
}

#[test]
fn refuses_files_without_readable_text() {
    let error = |file: &str| file.to_owned();
    check_error(
        fixture!("empty.md"),
        &AgentError::Empty {
            file: error("agents/empty.md"),
        },
        "agents/empty.md is empty; an agent file needs a `---` block with a name and a \
         description, followed by the agent's instructions",
    );
    check_error(
        fixture!("whitespace-only.md"),
        &AgentError::Empty {
            file: error("agents/whitespace-only.md"),
        },
        "agents/whitespace-only.md is empty; an agent file needs a `---` block with a name and \
         a description, followed by the agent's instructions",
    );
    check_error(
        fixture!("latin1.md"),
        &AgentError::NotUtf8 {
            file: error("agents/latin1.md"),
            offset: 13,
        },
        "agents/latin1.md is not UTF-8 text (invalid byte at offset 13); save it as UTF-8 and \
         load it again",
    );
    check_error(
        fixture!("utf16.md"),
        &AgentError::Utf16 {
            file: error("agents/utf16.md"),
        },
        "agents/utf16.md is UTF-16 text; save it as UTF-8 and load it again",
    );
    let huge = vec![b'a'; MAX_AGENT_FILE_BYTES + 1];
    check_error(
        ("huge.md", &huge),
        &AgentError::TooLarge {
            file: error("huge.md"),
            bytes: MAX_AGENT_FILE_BYTES + 1,
            limit: MAX_AGENT_FILE_BYTES,
        },
        "huge.md is 1048577 bytes, more than the 1048576 bytes an agent file may have; check \
         that it is an agent definition",
    );
    check_error(
        ("bom-only.md", b"\xEF\xBB\xBF \n"),
        &AgentError::Empty {
            file: error("bom-only.md"),
        },
        "bom-only.md is empty; an agent file needs a `---` block with a name and a description, \
         followed by the agent's instructions",
    );
}

#[test]
fn keeps_other_keys_in_file_order() {
    let agent = parse(fixture!("extra-keys.md")).agent;
    let extra: Vec<(&str, &str)> = agent
        .extra
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    assert_eq!(
        extra,
        [
            ("permissionMode", "plan"),
            ("argument-hint", "[requirement id]"),
            ("version", "2.1"),
            ("skills", "ears, story-mapping"),
            ("limits", "turns: 20, budget: low"),
            ("disable-model-invocation", "false"),
        ]
    );
    let cases = [
        (
            fixture!("both-tools-keys.md"),
            vec![("allowed-tools", "Bash")],
        ),
        (
            fixture!("anchors.md"),
            vec![
                ("summary", "Pairs with the implementer."),
                ("allowed-tools", "Read, Grep"),
            ],
        ),
        (
            fixture!("lenient-block-scalar.md"),
            vec![("extra-note", "ok: but broken")],
        ),
        (fixture!("qa-agent.md"), vec![]),
    ];
    for (fixture, expected) in cases {
        let agent = parse(fixture).agent;
        let extra: Vec<(&str, &str)> = agent
            .extra
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        assert_eq!(extra, expected, "{}", fixture.0);
    }
}

#[test]
fn keeps_the_body_as_written() {
    let cases = [
        (
            fixture!("backend-engineer.md"),
            "You are the backend engineer. Make the failing tests pass with the smallest change \
             that\nkeeps the design clean. Do not touch files under `tests/`.\n",
        ),
        (
            fixture!("frontend.md"),
            "Use semantic HTML first, ARIA second.\n",
        ),
        (
            fixture!("no-frontmatter.md"),
            "# Debugger\n\nYou find the root cause of failing tests. Reproduce, bisect, fix, and \
             explain.\n",
        ),
        (
            fixture!("unterminated.md"),
            "---\nname: half-written\ndescription: Someone forgot to close the frontmatter.\n\
             tools: Read\n\nThis is the body, but there is no closing line.\n",
        ),
        (fixture!("trailing-space-delimiters.md"), "Ship small.\n"),
    ];
    for (fixture, expected) in cases {
        assert_eq!(parse(fixture).agent.body, expected, "{}", fixture.0);
    }
}

#[test]
fn renders_a_fixture_body_safely() {
    let html = body_html(&parse(fixture!("html-body.md")).agent.body);
    assert_eq!(
        html,
        "<h1>Prompts</h1>\n\
         <p>&lt;instructions&gt;<br>\nBe precise.<br>\n&lt;/instructions&gt;</p>\n\
         <p>&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;</p>\n\
         <p><a href=\"#\">Click me</a> and <a href=\"https://example.org/docs\">docs</a>.</p>\n"
    );
}

#[test]
fn takes_the_fallback_name_from_the_last_path_component() {
    let cases = [
        ("qa.md", "qa"),
        ("agents/qa.MD", "qa"),
        (".claude\\agents\\review.md", "review"),
        ("dir/notes.markdown", "notes.markdown"),
        ("dir/.md", ".md"),
        ("dir/", "unnamed agent"),
        ("", "unnamed agent"),
        ("é.md", "é"),
        ("ü", "ü"),
    ];
    for (file_name, expected) in cases {
        assert_eq!(file_stem(file_name), expected, "{file_name:?}");
    }
}

#[test]
fn gives_the_fixture_crew_its_owners() {
    let crew: Vec<Agent> = [
        fixture!("product-manager.md"),
        fixture!("example-blocks.md"),
        fixture!("qa-agent.md"),
        fixture!("backend-engineer.md"),
        fixture!("frontend.md"),
        fixture!("missing-name.md"),
        fixture!("overseer.md"),
        fixture!("no-tools.md"),
    ]
    .into_iter()
    .map(|fixture| parse(fixture).agent)
    .collect();
    let roles: Vec<Option<Role>> = crew.iter().map(role_of).collect();
    assert_eq!(
        roles,
        [
            Some(Role::Planner),
            Some(Role::Qa),
            Some(Role::Qa),
            Some(Role::Implementer),
            Some(Role::Implementer),
            Some(Role::Reviewer),
            Some(Role::Reviewer),
            None,
        ]
    );
    let owners: Vec<Option<usize>> = Role::ALL
        .iter()
        .map(|role| default_owner(&crew, *role))
        .collect();
    // The names test-runner and qa-agent both say QA, so the one that sorts first wins;
    // missing-name is a reviewer only by its description, so the overseer wins that stage.
    assert_eq!(owners, [Some(0), Some(2), Some(3), Some(6)]);
}

#[test]
fn survives_pathological_input() {
    let deep_block = format!("---\na: {}\n---\n", "- ".repeat(200_000));
    let deep_flow = format!("---\na: {}\n---\n", "[".repeat(500_000));
    let many_keys = format!("---\n{}---\n", "k: v\n".repeat(200_000));
    let many_tags = format!(
        "---\nd: x{}{}{}\n---\n",
        "<a>".repeat(80_000),
        "<b>".repeat(80_000),
        "\n</a>".repeat(40_000)
    );
    let broken_many_keys = format!("---\nx: a: b\n{}---\n", "k: v\n".repeat(200_000));
    for text in [
        deep_block,
        deep_flow,
        many_keys,
        many_tags,
        broken_many_keys,
    ] {
        let parsed = parse_agent_file("stress.md", text.as_bytes());
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }
    let markdown_cases = [
        ">".repeat(100_000),
        "[".repeat(100_000),
        "- ".repeat(100_000),
        "*a".repeat(100_000),
        "<div>".repeat(100_000),
        // Openers with one closer far away: each is read in one pass, not one per opener.
        format!("{}]({})", "[a".repeat(50_000), "(".repeat(50_000)),
        format!("{}>", "<a:".repeat(50_000)),
    ];
    for markdown in markdown_cases {
        assert!(!body_html(&markdown).contains("<div>"));
    }
}

/// Property tests: whatever the bytes, reading never panics and what comes out keeps the
/// module's promises. Excluded on wasm32 because proptest needs the native test runner.
#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Lines that look like agent frontmatter, broken in the ways real files break.
    const FRONTMATTER_LINE: &str = "([a-z][a-z-]{0,8}: [^\\n]{0,24}\
        |(name|description|tools|allowed-tools|model|color): [^\\n]{0,24}\
        |  ?- [^\\n]{0,12}\
        |  [A-Za-z]{1,6}: (true|false|yes|maybe)\
        |\t[^\\n]{0,8}\
        |<example>|</example>|user: [^\\n]{0,12}\
        |[|>][+-]?[1-9]?|[\\[\\]{}\"'&*!#:,|>-]{1,6}\
        |---|\\.\\.\\.|)";

    fn frontmatter_file() -> impl Strategy<Value = String> {
        let line = proptest::string::string_regex(FRONTMATTER_LINE)
            .unwrap_or_else(|error| panic!("bad line pattern: {error}"));
        let crlf = any::<bool>();
        (
            proptest::collection::vec(line, 0..24),
            crlf,
            any::<bool>(),
            ".{0,40}",
        )
            .prop_map(|(lines, crlf, closed, body)| {
                let mut text = String::from("---\n");
                for line in lines {
                    text.push_str(&line);
                    text.push('\n');
                }
                if closed {
                    text.push_str("---\n");
                }
                text.push_str(&body);
                if crlf {
                    text.replace('\n', "\r\n")
                } else {
                    text
                }
            })
    }

    fn keeps_promises(result: Result<AgentFile, AgentError>) -> Result<(), TestCaseError> {
        if let Ok(AgentFile { agent, .. }) = result {
            prop_assert!(!agent.name.is_empty());
            prop_assert_eq!(agent.name.trim(), agent.name.as_str());
            prop_assert!(!agent.description.starts_with(char::is_whitespace));
            prop_assert!(agent.tools.iter().all(|tool| !tool.is_empty()));
            if let Some(color) = &agent.color {
                let normalised = color::normalise(color);
                prop_assert_eq!(normalised.as_deref(), Some(color.as_str()));
            }
            prop_assert!(!agent.body.contains('\r'));
        }
        Ok(())
    }

    /// The elements `body_html` writes. Text `<` is always escaped, so every `<` in the output
    /// starts one of these or the check fails.
    const ALLOWED_TAGS: &[&str] = &[
        "a",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ];

    fn safe_html(html: &str) -> Result<(), TestCaseError> {
        for tag in html.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            prop_assert!(
                ALLOWED_TAGS.contains(&name.as_str()),
                "<{}> in {}",
                tag,
                html
            );
            for attribute in [" href=\"", " src=\""] {
                for value in tag.split(attribute).skip(1) {
                    let value = value.split('"').next().unwrap_or("");
                    let scheme = value
                        .find([':', '/', '?', '#'])
                        .filter(|end| value.get(*end..).is_some_and(|v| v.starts_with(':')))
                        .and_then(|end| value.get(..end));
                    if let Some(scheme) = scheme {
                        let scheme = scheme.trim().to_ascii_lowercase();
                        prop_assert!(
                            ["http", "https", "mailto"].contains(&scheme.as_str()),
                            "{} in {}",
                            value,
                            html
                        );
                    }
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
            keeps_promises(parse_agent_file("agents/any.md", &bytes))?;
        }

        #[test]
        fn arbitrary_bytes_after_a_delimiter(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
            let mut file = b"---\n".to_vec();
            file.extend(bytes);
            keeps_promises(parse_agent_file("agents/any.md", &file))?;
        }

        #[test]
        fn arbitrary_text_after_a_delimiter(text in "\\PC{0,400}", crlf in any::<bool>()) {
            let file = if crlf { format!("---\r\n{text}") } else { format!("---\n{text}") };
            keeps_promises(parse_agent_file("agents/any.md", file.as_bytes()))?;
        }

        #[test]
        fn frontmatter_like_text(file in frontmatter_file()) {
            keeps_promises(parse_agent_file("agents/any.md", file.as_bytes()))?;
        }

        #[test]
        fn arbitrary_markdown(text in "\\PC{0,400}") {
            safe_html(&body_html(&text))?;
        }

        #[test]
        fn markdown_like_text(
            text in "([#>*_`\\[\\]()<>!:/ \\n-]|javascript:|<script>|<a href=|[a-z]{1,5}|&#[0-9]{1,3};){0,80}"
        ) {
            safe_html(&body_html(&text))?;
        }
    }
}
