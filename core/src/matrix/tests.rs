//! Table-driven tests of the raw layer over the fixtures in tests/fixtures/matrix.

use super::*;

/// A row of `SHAPES`: the fixture's name and bytes, its slot count and first position.
macro_rules! shape {
    ($name:literal, $count:literal, $first:literal) => {
        (
            $name,
            include_bytes!(concat!("../../../tests/fixtures/matrix/", $name)).as_slice(),
            $count,
            $first,
        )
    };
}

/// Every well-formed shape: file, number of requirement slots, the first slot's position.
const SHAPES: [(&str, &[u8], usize, &str); 13] = [
    shape!("python_indent2.json", 4, "requirement #1 (requirements[0])"),
    shape!("indent4_utf8.json", 4, "requirement #1 (requirements[0])"),
    shape!("tabs_crlf.json", 4, "requirement #1 (requirements[0])"),
    shape!("python_compact.json", 4, "requirement #1 (requirements[0])"),
    shape!("js_indent2.json", 4, "requirement #1 (requirements[0])"),
    shape!("bare_array.json", 4, "requirement #1 (root[0])"),
    shape!("keyed_map.json", 4, "requirements[\"REQ-001\"]"),
    shape!("messy.json", 10, "requirement #1 (requirements[0])"),
    shape!(
        "nested_containers.json",
        2,
        "requirement #1 (project.spec.functional_requirements[0])"
    ),
    shape!("empty_requirements.json", 0, ""),
    shape!("bom.json", 1, "requirement #1 (requirements[0])"),
    shape!("user_stories.json", 2, "requirement #1 (stories[0])"),
    (
        "inline",
        br#"[{"id": 1}, {"id": 2}]"#,
        2,
        "requirement #1 (root[0])",
    ),
];

#[test]
fn finds_requirements_in_every_shape() {
    for (name, bytes, count, first) in SHAPES {
        let matrix = Matrix::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(matrix.entries().len(), count, "{name}");
        if let Some(entry) = matrix.entries().first() {
            assert_eq!(entry.position.to_string(), first, "{name}");
            let raw = matrix.raw(0).unwrap();
            assert!(
                raw.starts_with('{') || raw.starts_with('"') || raw.starts_with('4'),
                "{name}: {raw}"
            );
        }
    }
}

#[test]
fn export_without_change_is_byte_identical() {
    for (name, bytes, _, _) in SHAPES {
        let matrix = Matrix::parse(bytes).unwrap();
        assert_eq!(matrix.export([]).as_bytes(), bytes, "{name}");
    }
}

#[test]
fn export_writes_edits_in_file_order_whatever_order_they_come_in() {
    let matrix = Matrix::parse(br#"[{"id": 1}, {"id": 2}, {"id": 3}]"#).unwrap();
    let value = |id: u64| {
        let mut map = Map::new();
        map.insert("id".to_owned(), Value::from(id * 10));
        map
    };
    let (first, last) = (value(1), value(3));
    let expected = r#"[{"id": 10}, {"id": 2}, {"id": 30}]"#;
    assert_eq!(matrix.export([(0, &first), (2, &last)]), expected);
    assert_eq!(matrix.export([(2, &last), (0, &first)]), expected);
    // An index that is not an entry is ignored, not a panic.
    assert_eq!(
        matrix.export([(7, &last)]),
        r#"[{"id": 1}, {"id": 2}, {"id": 3}]"#
    );
}

/// Bad input: file, and words the message must contain.
const BAD: [(&str, &[u8], &[&str]); 7] = [
    fixture_bad(
        "empty.json",
        include_bytes!("../../../tests/fixtures/matrix/empty.json"),
        &["empty"],
    ),
    fixture_bad("whitespace", b" \n\t\n", &["empty"]),
    fixture_bad(
        "broken.json",
        include_bytes!("../../../tests/fixtures/matrix/broken.json"),
        &[
            "line 4, column 40",
            "{\"id\": \"REQ-002\", \"ears\": \"second\",}",
            "^",
        ],
    ),
    fixture_bad(
        "latin1.json",
        include_bytes!("../../../tests/fixtures/matrix/latin1.json"),
        &["not UTF-8", "byte 43", "line 1"],
    ),
    fixture_bad(
        "settings.json",
        include_bytes!("../../../tests/fixtures/matrix/settings.json"),
        &[
            "\"theme\", \"editor\", \"recent\"",
            "The board looks for a list or a map of requirement objects",
        ],
    ),
    fixture_bad(
        "numbers.json",
        include_bytes!("../../../tests/fixtures/matrix/numbers.json"),
        &["a list of 3 numbers"],
    ),
    fixture_bad("string", b"\"just text\"", &["a single string"]),
];

const fn fixture_bad(
    name: &'static str,
    bytes: &'static [u8],
    words: &'static [&'static str],
) -> (&'static str, &'static [u8], &'static [&'static str]) {
    (name, bytes, words)
}

#[test]
fn bad_input_gets_a_clear_message() {
    for (name, bytes, words) in BAD {
        let message = match Matrix::parse(bytes) {
            Ok(_) => panic!("{name} should not import"),
            Err(e) => e.to_string(),
        };
        for word in words {
            assert!(
                message.contains(word),
                "{name}: {word:?} not in {message:?}"
            );
        }
    }
}

#[test]
fn refuses_files_over_the_limit() {
    let big = vec![b' '; MAX_FILE_BYTES as usize + 1];
    assert!(matches!(
        Matrix::parse(&big),
        Err(ImportError::TooLarge { .. })
    ));
}

#[test]
fn requirements_value_that_is_not_a_container_is_no_requirements() {
    let err = Matrix::parse(br#"{"requirements": "see wiki"}"#).unwrap_err();
    assert!(matches!(err, ImportError::NoRequirements { .. }), "{err}");
}

#[test]
fn megabytes_have_one_rounded_decimal() {
    let cases = [
        (0, "0.0"),
        (52_428, "0.0"),
        (52_429, "0.1"),
        (1_048_576, "1.0"),
        (4_456_448, "4.3"),
        (4_404_019, "4.2"),
        (1_000_000_000_000, "953674.3"),
    ];
    for (bytes, expected) in cases {
        assert_eq!(megabytes(bytes), expected, "{bytes} bytes");
    }
}
