//! Cases a hostile review of issue #15 found (the limits in the file's `meta`, filters and
//! lanes), kept as tests: each failed before its fix.
use traceboard_core::board::Board;

fn board(text: &str) -> Board {
    Board::import("m.json", text.as_bytes()).unwrap().0
}

const RED2: [Option<u32>; 5] = [None, None, Some(2), None, None];

/// The file's wip_limits holds a column the board does not know (another tool's "qa" lane)
/// and a note: "Save limits in the file" keeps what it does not understand.
#[test]
fn saving_limits_keeps_unknown_members_of_wip_limits() {
    let text = "{\n  \"meta\": {\n    \"wip_limits\": {\n      \"red\": 4,\n      \"qa_review\": 2,\n      \"note\": \"agreed in retro\"\n    }\n  },\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ]\n}\n";
    let written = board(text).with_file_limits(&RED2).unwrap();
    let out = written.export();
    assert!(out.contains("\"qa_review\": 2"), "{out}");
    assert!(out.contains("agreed in retro"), "{out}");
}

/// Everything in meta but wip_limits keeps its bytes: a one-line array inside a
/// pretty-printed meta is not reflowed.
#[test]
fn saving_limits_leaves_the_rest_of_meta_byte_for_byte() {
    let text = "{\n  \"meta\": {\n    \"project\": \"Shop\",\n    \"tags\": [\"a\", \"b\"],\n    \"owner\": {\"name\": \"x\"}\n  },\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ]\n}\n";
    let written = board(text).with_file_limits(&RED2).unwrap();
    let out = written.export();
    assert!(out.contains("\"tags\": [\"a\", \"b\"],"), "{out}");
    assert!(out.contains("\"owner\": {\"name\": \"x\"}"), "{out}");
}

/// A file with two "meta" keys: every JSON reader takes the last one, so the limits go there.
#[test]
fn duplicate_meta_limits_are_written_where_readers_read_them() {
    let text =
        r#"{"meta": {"v": 1}, "requirements": [{"id": "R", "ears": "a"}], "meta": {"v": 2}}"#;
    let written = board(text).with_file_limits(&RED2).unwrap();
    let out = written.export();
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["meta"]["wip_limits"]["red"], 2, "{out}");
}

fn shapes() -> Vec<(&'static str, String)> {
    let base = "{\n  \"meta\": {\n    \"project\": \"Shop\"\n  },\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\",\n      \"tdd_stage\": \"red\"\n    }\n  ]\n}\n";
    vec![
        ("plain", base.to_owned()),
        ("crlf", base.replace('\n', "\r\n")),
        ("tabs", base.replace("  ", "\t")),
        ("bom", format!("\u{FEFF}{base}")),
        (
            "meta last",
            "{\n  \"requirements\": [\n    {\n      \"id\": \"R\",\n      \"ears\": \"a\"\n    }\n  ],\n  \"meta\": {\n    \"project\": \"Shop\"\n  }\n}\n".to_owned(),
        ),
        (
            "compact",
            r#"{"meta":{"project":"Shop"},"requirements":[{"id":"R","ears":"a"}]}"#.to_owned(),
        ),
        (
            "requirements inside meta",
            r#"{"meta": {"project": "Shop", "requirements": [{"id": "R", "ears": "a", "tdd_stage": "red"}]}}"#.to_owned(),
        ),
    ]
}

/// Limits written (unsaved), then the file changes a requirement on disk, in every shape:
/// the limits stay, unsaved, and nothing is said to be lost.
#[test]
fn following_a_changed_file_keeps_unsaved_limits_in_every_shape() {
    let mut failures = Vec::new();
    for (name, text) in shapes() {
        let written = board(&text).with_file_limits(&RED2).unwrap();
        let theirs = text.replacen("\"a\"", "\"b\"", 1);
        match written.follow(&theirs) {
            Ok(f) => {
                if f.meta_lost {
                    failures.push(format!("{name}: meta_lost"));
                }
                match f.board {
                    Some(after) => {
                        if after.file_limits() != Some(RED2) {
                            failures.push(format!("{name}: limits gone: {}", after.export()));
                        }
                        if after.unsaved() == 0 {
                            failures.push(format!("{name}: limits not unsaved"));
                        }
                        if text.contains('\t') && after.export().contains("  ") {
                            failures.push(format!("{name}: spaces in a tab file"));
                        }
                    }
                    None => failures.push(format!("{name}: no board")),
                }
            }
            Err(e) => failures.push(format!("{name}: {e:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The origin workflow's agents bump meta.updated when they write the file: the board's
/// unsaved limits survive it, as only `wip_limits` is the board's.
#[test]
fn an_agent_bumping_meta_updated_does_not_drop_unsaved_limits() {
    let file = "{\n  \"meta\": {\n    \"project\": \"Shop\",\n    \"updated\": \"2026-11-01\"\n  },\n  \"requirements\": [\n    {\n      \"id\": \"R1\",\n      \"ears\": \"a\"\n    },\n    {\n      \"id\": \"R2\",\n      \"ears\": \"b\"\n    }\n  ]\n}\n";
    let written = board(file).with_file_limits(&RED2).unwrap();
    let theirs = file
        .replace("2026-11-01", "2026-11-29")
        .replace("\"b\"", "\"b2\"");
    let f = written.follow(&theirs).unwrap();
    assert!(!f.meta_lost);
    let after = f.board.unwrap();
    assert_eq!(after.file_limits(), Some(RED2), "{}", after.export());
    assert!(after.export().contains("2026-11-29"));
}

mod columns_review {
    use super::*;
    use traceboard_core::columns::{self, CardFilter, Facet, GroupBy, NONE};
    use traceboard_core::results::Evidence;
    use traceboard_core::team::Team;

    const CASES: &str = r#"[
        {"id": "R-1", "ears": "a", "priority": "High", "story": "Login", "tdd_stage": "backlog"},
        {"id": "R-2", "ears": "b", "priority": "high", "story": "login", "tdd_stage": "backlog"},
        {"id": "R-3", "ears": "c", "story": "None", "tdd_stage": "backlog"},
        {"id": "R-4", "ears": "d", "tdd_stage": "backlog"}
    ]"#;

    fn shown(board: &Board, facets: Vec<(Facet, String)>) -> Vec<usize> {
        let filter = CardFilter {
            facets,
            ..CardFilter::default()
        };
        columns::columns(
            board,
            &Team::default(),
            &Evidence::default(),
            &filter,
            str::to_lowercase,
        )
        .columns[0]
            .clone()
    }

    /// The filter menu offers "high (2)" and the filter shows both cards: "Group by priority"
    /// makes them one lane too.
    #[test]
    fn lanes_group_values_the_way_the_filters_count_them() {
        let b = board(CASES);
        let values = columns::values(&b, &Evidence::default(), Facet::Priority);
        assert_eq!(
            values
                .iter()
                .filter(|(w, _)| w.eq_ignore_ascii_case("high"))
                .count(),
            1
        );
        assert_eq!(
            shown(&b, vec![(Facet::Priority, "high".into())]),
            vec![0, 1]
        );
        let all: [Vec<usize>; 5] = [vec![0, 1, 2, 3], vec![], vec![], vec![], vec![]];
        let lanes = columns::lanes(&b, all, GroupBy::Priority);
        let names: Vec<_> = lanes.iter().map(|l| l.name.clone()).collect();
        assert_eq!(names, vec![Some("High".to_owned()), None]);
        assert_eq!(lanes[0].columns[0], vec![0, 1]);
    }

    /// "No story" picks the cards without a story, not a story named "None", which is a
    /// value like any other.
    #[test]
    fn the_no_story_filter_does_not_pick_a_story_named_none() {
        let b = board(CASES);
        assert_eq!(shown(&b, vec![(Facet::Story, NONE.into())]), vec![3]);
        assert_eq!(shown(&b, vec![(Facet::Story, "None".into())]), vec![2]);
    }

    /// A link's values of a facet with fixed values are read as those values or left out: a
    /// typo never becomes a filter that hides cards under another name.
    #[test]
    fn a_links_unknown_values_are_left_out() {
        let facets = CardFilter::facets_from_pairs([
            ("inferred", "maybe"),
            ("inferred", "Yes"),
            ("results", "FAILING"),
            ("results", "broken"),
            ("health", "No-Tests"),
            ("health", "bogus"),
        ]);
        assert_eq!(
            facets,
            vec![
                (Facet::Health, "no-tests".to_owned()),
                (Facet::Inferred, "yes".to_owned()),
                (Facet::Results, "failing".to_owned()),
            ]
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;
    use traceboard_core::columns::{self, GroupBy, SortBy};
    use traceboard_core::flow;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn times_and_natural_never_panic(a in "\\PC{0,40}", b in "[0-9T:+\\-Zz. ]{0,30}") {
            let _ = flow::parse_time(&a);
            let _ = flow::parse_time(&b);
            let _ = columns::natural(&a, &b);
            let _ = flow::parse_time(&format!("2026-01-01{b}"));
        }

        /// Any `meta` before or after the requirements, any separators: writing limits gives
        /// valid JSON where nothing but `meta.wip_limits` changed, and nothing panics.
        #[test]
        fn meta_writes_change_only_the_limits(
            meta in "\\{(\"[a-z_]{1,6}\": ?(1|\"x\"|\\[1, 2\\]|\\{\"red\": ?[0-9]{1,3}\\}|null), ?){0,3}\"k\": 1\\}",
            limits in proptest::array::uniform5(proptest::option::of(1u32..100)),
            before in proptest::bool::ANY,
            sep in "( |\n|\r\n|\t){0,2}",
        ) {
            let req = r#""requirements": [{"id": "R", "ears": "a", "story": "s", "tdd_history": [{"from": "backlog", "to": "red", "at": "2026-01-01"}]}]"#;
            let text = if before {
                format!("{{{sep}\"meta\":{sep}{meta},{sep}{req}{sep}}}")
            } else {
                format!("{{{sep}{req},{sep}\"meta\": {meta}{sep}}}")
            };
            let Ok((b, _)) = Board::import("m.json", text.as_bytes()) else { return Ok(()) };
            let _ = b.file_limits();
            if let Ok(w) = b.with_file_limits(&limits) {
                let out = w.export();
                let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
                let orig: serde_json::Value = serde_json::from_str(&text).unwrap();
                let (mut v2, mut o2) = (v.clone(), orig.clone());
                v2["meta"].as_object_mut().unwrap().remove("wip_limits");
                o2["meta"].as_object_mut().unwrap().remove("wip_limits");
                prop_assert_eq!(v2, o2, "{}", out);
                let _ = w.follow(&text);
            }
            for group in GroupBy::ALL {
                let cols: [Vec<usize>; 5] = [vec![0], vec![], vec![], vec![], vec![]];
                let _ = columns::lanes(&b, cols, group);
            }
            for by in SortBy::ALL {
                let mut col = vec![0];
                columns::sort(&b, &mut col, by);
                let _ = columns::lands_at(&b, &col, 0, by);
            }
            let _ = flow::flow(&b, 20_000);
        }
    }
}
