//! The flow charts' numbers, worked out by hand for small boards.

use super::*;

/// 2026-03-01 as a day number: 2026-01-01 is day 20,454, then 31 days of January and 28 of
/// February.
const MAR_1: i64 = 20_513;

fn board(requirements: &str) -> Board {
    let text = format!("{{\"requirements\": [{requirements}]}}");
    Board::import("m.json", text.as_bytes()).expect("imports").0
}

/// Five cards moving from 2026-03-01 to 2026-03-04, and one deprecated:
/// A goes straight through to Reviewed; B moves twice on its first day and goes back from
/// Green to Red; C never moved; D has one unreadable step and an offset time that falls on
/// the next UTC day; F sits in Test written with no history.
const FIXTURE: &str = r#"
  {"id": "A", "ears": "a", "tdd_stage": "reviewed", "tdd_history": [
    {"from": "backlog", "to": "test_written", "at": "2026-03-01T10:00:00Z", "by": "qa"},
    {"from": "test_written", "to": "red", "at": "2026-03-02T09:00:00Z", "by": "qa"},
    {"from": "red", "to": "green", "at": "2026-03-03T09:00:00Z", "by": "dev"},
    {"from": "green", "to": "reviewed", "at": "2026-03-04T12:00:00Z", "by": "overseer"}]},
  {"id": "B", "ears": "b", "tdd_stage": "red", "tdd_history": [
    {"from": "backlog", "to": "test_written", "at": "2026-03-01T09:00:00Z", "by": "qa"},
    {"from": "test_written", "to": "red", "at": "2026-03-01T15:00:00Z", "by": "qa"},
    {"from": "red", "to": "green", "at": "2026-03-02T10:00:00Z", "by": "dev"},
    {"from": "green", "to": "red", "at": "2026-03-03T10:00:00Z", "by": "qa"}]},
  {"id": "C", "ears": "c", "tdd_stage": "backlog"},
  {"id": "D", "ears": "d", "tdd_stage": "green", "tdd_history": [
    {"from": "backlog", "to": "test_written", "at": "yesterday", "by": "qa"},
    {"from": "test_written", "to": "red", "at": "2026-03-02T23:30:00-02:00", "by": "qa"},
    {"from": "red", "to": "green", "at": "2026-03-04", "by": "dev"}]},
  {"id": "E", "ears": "e", "status": "deprecated", "tdd_stage": "red", "tdd_history": [
    {"from": "backlog", "to": "red", "at": "2026-02-01T10:00:00Z", "by": "qa"}]},
  {"id": "F", "ears": "f", "tdd_stage": "test_written", "tests": ["t"]}
"#;

#[test]
fn day_numbers_and_dates_agree() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2026, 3, 1), MAR_1);
    assert_eq!(days_from_civil(1969, 12, 31), -1);
    assert_eq!(iso_date(MAR_1), "2026-03-01");
    assert_eq!(iso_date(days_from_civil(2024, 2, 29)), "2024-02-29");
    for day in (-800_000..800_000).step_by(997) {
        let (y, m, d) = civil_from_days(day);
        assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), day);
    }
}

#[test]
fn times_read_as_iso_8601_in_utc() {
    let at = MAR_1 * 86_400;
    let cases: &[(&str, Option<i64>)] = &[
        ("2026-03-01T10:00:00Z", Some(at + 36_000)),
        ("2026-03-01T10:00:00.123456Z", Some(at + 36_000)),
        ("2026-03-01T10:00:00+02:00", Some(at + 28_800)),
        ("2026-03-01T10:00:00+0530", Some(at + 36_000 - 19_800)),
        ("2026-03-01T10:00:00-05", Some(at + 36_000 + 18_000)),
        ("2026-03-01T01:00:00+02:00", Some(at - 3_600)),
        ("2026-03-01T10:00:00", Some(at + 36_000)),
        ("2026-03-01 10:00", Some(at + 36_000)),
        ("2026-03-01", Some(at)),
        (" 2026-03-01 ", Some(at)),
        ("2024-02-29", Some(days_from_civil(2024, 2, 29) * 86_400)),
        ("2026-02-29", None),
        ("2026-13-01", None),
        ("2026-03-01T25:00:00Z", None),
        ("2026-03-01T10:00:00.Z", None),
        ("2026-03-01T10:00:00+2", None),
        ("2026-03-01X", None),
        ("yesterday", None),
        ("", None),
        ("2026-3-1", None),
        ("١٢٣٤-03-01", None),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_time(text), *expected, "{text}");
    }
}

#[test]
fn histories_skip_deprecated_cards_and_count_unreadable_steps() {
    let h = read(&board(FIXTURE));
    let ids: Vec<&str> = h.tracks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D", "F"]);
    assert_eq!(h.unreadable, 1);
    assert_eq!(h.steps, 10);
    // D's offset time is 01:30 UTC on 2 March + 1 day.
    assert_eq!(h.tracks[3].steps[0].day, MAR_1 + 2);
}

#[test]
fn cumulative_flow_counts_each_card_where_it_is_at_the_end_of_each_day() {
    let c = cumulative(&read(&board(FIXTURE)), MAR_1 + 4);
    assert_eq!(c.first, MAR_1);
    // [Backlog, Test written, Red, Green, Reviewed] at the end of 1 to 5 March:
    // 1st: C in Backlog; A, D (before its first readable step) and F in Test written;
    //      B moved twice and ends in Red.
    // 2nd: A Red, B Green, D still Test written.
    // 3rd: A Green, B back to Red (the Green band drops), D Red.
    // 4th and 5th: A Reviewed, B Red, D Green.
    assert_eq!(
        c.counts,
        [
            [1, 3, 1, 0, 0],
            [1, 2, 1, 1, 0],
            [1, 1, 2, 1, 0],
            [1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1],
        ]
    );
}

#[test]
fn cumulative_flow_ends_at_the_last_step_when_the_clock_is_earlier() {
    let c = cumulative(&read(&board(FIXTURE)), 0);
    assert_eq!((c.first, c.counts.len()), (MAR_1, 4));
}

#[test]
fn cumulative_flow_covers_at_most_max_days_ending_today() {
    let c = cumulative(&read(&board(FIXTURE)), MAR_1 + 5_000);
    assert_eq!(c.counts.len(), MAX_DAYS as usize);
    assert_eq!(c.first, MAR_1 + 5_000 - MAX_DAYS + 1);
    // Every step lies before the first day shown: each card starts where it ended.
    assert_eq!(c.counts[0], [1, 1, 1, 1, 1]);
}

fn track(id: &str, stage: Stage, steps: &[(&str, Stage, Stage)]) -> Track {
    let mut steps: Vec<Step> = steps
        .iter()
        .map(|(at, from, to)| {
            let at = parse_time(at).expect("a time");
            Step {
                at,
                day: at.div_euclid(86_400),
                from: *from,
                to: *to,
            }
        })
        .collect();
    in_time_order(&mut steps);
    Track {
        entry: 0,
        id: id.into(),
        stage,
        steps,
    }
}

#[test]
fn cycle_time_runs_from_first_leaving_backlog_to_first_review_counting_both_days() {
    use Stage::*;
    let tracks = vec![
        // Same day: 1 day.
        track(
            "same-day",
            Reviewed,
            &[
                ("2026-03-02T08:00:00Z", Backlog, TestWritten),
                ("2026-03-02T09:00:00Z", TestWritten, Red),
                ("2026-03-02T10:00:00Z", Red, Green),
                ("2026-03-02T18:00:00Z", Green, Reviewed),
            ],
        ),
        // Reviewed on the 4th, regressed, reviewed again on the 9th: the first review counts.
        track(
            "regressed",
            Reviewed,
            &[
                ("2026-03-01T23:59:00Z", Backlog, TestWritten),
                ("2026-03-04T00:01:00Z", Green, Reviewed),
                ("2026-03-05T10:00:00Z", Reviewed, Red),
                ("2026-03-09T10:00:00Z", Green, Reviewed),
            ],
        ),
        // Steps written out of order in the file are read in time order: 3rd to 5th.
        track(
            "unordered",
            Reviewed,
            &[
                ("2026-03-05T10:00:00Z", Green, Reviewed),
                ("2026-03-03T10:00:00Z", Backlog, Red),
            ],
        ),
        // Sent back to Backlog first: it left Backlog on the 2nd.
        track(
            "back",
            Reviewed,
            &[
                ("2026-03-01T10:00:00Z", Red, Backlog),
                ("2026-03-02T10:00:00Z", Backlog, Red),
                ("2026-03-11T10:00:00Z", Green, Reviewed),
            ],
        ),
        // Never reviewed: no cycle time.
        track("open", Green, &[("2026-03-01T10:00:00Z", Backlog, Green)]),
    ];
    let c = cycle_times(&Histories {
        tracks,
        ..Histories::default()
    });
    let got: Vec<(&str, i64, i64, u32)> = c
        .cycles
        .iter()
        .map(|c| (c.id.as_str(), c.started - MAR_1, c.reviewed - MAR_1, c.days))
        .collect();
    assert_eq!(
        got,
        [
            ("same-day", 1, 1, 1),
            ("regressed", 0, 3, 4),
            ("unordered", 2, 4, 3),
            ("back", 1, 10, 10),
        ]
    );
    // Sorted: 1, 3, 4, 10. 50th: rank ⌈2.0⌉ = 2 → 3; 85th: rank ⌈3.4⌉ = 4 → 10.
    assert_eq!((c.p50, c.p85), (Some(3), Some(10)));
}

#[test]
fn percentiles_by_nearest_rank() {
    let cases: &[(&[u32], Option<u32>, Option<u32>)] = &[
        (&[], None, None),
        (&[3], Some(3), Some(3)),
        (&[10, 1], Some(1), Some(10)),
        (&[2, 7, 2, 2], Some(2), Some(7)),
        (&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Some(5), Some(9)),
        // 20 values 1..=20: 50th rank 10 → 10, 85th rank 17 → 17.
        (
            &[
                20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
            ],
            Some(10),
            Some(17),
        ),
    ];
    for (values, p50, p85) in cases {
        let mut ordered = values.to_vec();
        in_order(&mut ordered);
        assert_eq!(percentile(&ordered, 50), *p50, "{values:?}");
        assert_eq!(percentile(&ordered, 85), *p85, "{values:?}");
    }
}

#[test]
fn aging_counts_days_in_the_current_stage_and_lists_unknown_ones() {
    let today = MAR_1 + 4;
    type Row = (String, Stage, Option<(i64, u32)>);
    let got: Vec<Row> = aging(&read(&board(FIXTURE)), today)
        .into_iter()
        .map(|a| (a.id, a.stage, a.since.map(|(d, age)| (d - MAR_1, age))))
        .collect();
    assert_eq!(
        got,
        [
            // Back in Red on the 3rd: the 3rd, 4th and 5th.
            ("B".to_string(), Stage::Red, Some((2, 3))),
            ("D".to_string(), Stage::Green, Some((3, 2))),
            // No step enters Test written: its age is unknown.
            ("F".to_string(), Stage::TestWritten, None),
        ]
    );
}

#[test]
fn a_board_without_history_has_no_charts() {
    let f = flow(
        &board(r#"{"id": "A", "ears": "a"}, {"id": "B", "ears": "b", "tdd_history": []}"#),
        MAR_1,
    );
    assert_eq!(f.steps, 0);
    assert!(f.cumulative.counts.is_empty());
    assert!(f.cycles.cycles.is_empty());
    assert_eq!((f.cycles.p50, f.cycles.p85), (None, None));
    assert!(f.aging.is_empty());
}

#[test]
fn history_that_is_not_readable_is_counted_not_drawn() {
    let f = flow(
        &board(
            r#"{"id": "A", "ears": "a", "tdd_stage": "red", "tests": ["t"], "tdd_history": [
                {"from": "backlog", "to": "purple", "at": "2026-03-01", "by": "qa"},
                {"from": "backlog", "to": "red", "at": 20260301, "by": "qa"},
                "a note", 7, null]},
               {"id": "B", "ears": "b", "tdd_history": {"from": "backlog"}}"#,
        ),
        MAR_1,
    );
    assert_eq!((f.steps, f.unreadable), (0, 2));
    assert!(f.cumulative.counts.is_empty());
    assert_eq!(f.aging.len(), 1);
    assert_eq!(f.aging[0].since, None);
}

#[test]
fn histories_with_escapes_or_other_keys_read_like_plain_ones() {
    let plain = read(&board(FIXTURE));
    let escaped = FIXTURE
        .replace("\"red\", \"at\"", "\"r\\u0065d\", \"at\"")
        .replace("\"by\": \"qa\"", "\"by\": \"q\\\"a\", \"note\": [1, {}]");
    assert_ne!(escaped, FIXTURE);
    let h = read(&board(&escaped));
    assert_eq!(h, plain);
}

#[test]
fn an_edited_requirement_is_read_as_it_stands_on_the_board() {
    use crate::board::Move;
    let mut b = board(FIXTURE);
    let c = b.find("C").expect("C");
    b.apply_move(&Move {
        entry: c,
        to: Stage::TestWritten,
        by: "qa".into(),
        at: "2026-03-05T10:00:00Z".into(),
        override_reason: Some("test".into()),
    })
    .expect("moves");
    let f = flow(&b, MAR_1 + 4);
    assert_eq!(f.cumulative.counts[4], [0, 2, 1, 1, 1]);
    assert_eq!(f.cumulative.counts[3], [1, 1, 1, 1, 1]);
}

#[test]
fn values_are_put_in_increasing_order() {
    let mut values: Vec<u32> = (0..5_000u32).map(|i| (i * 7_919) % 1_013).collect();
    let mut expected = values.clone();
    expected.sort_unstable();
    in_order(&mut values);
    assert_eq!(values, expected);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("backlog".to_string()),
            Just("red".to_string()),
            Just("Green".to_string()),
            Just("reviewed".to_string()),
            Just("test written".to_string()),
            ".{0,6}",
        ]
    }

    fn time() -> impl Strategy<Value = String> {
        prop_oneof![
            (1900i64..2100, 1u32..13, 1u32..32, 0u32..24, 0u32..60)
                .prop_map(|(y, m, d, h, mi)| format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:00Z")),
            (0i64..10_000, 0u32..14, 0u32..40)
                .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            "[0-9T:Z+.-]{0,30}",
            ".{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Arbitrary histories never panic, and every day counts every card once.
        #[test]
        fn arbitrary_histories_never_panic(
            cards in proptest::collection::vec(
                (word(), proptest::collection::vec((word(), word(), time()), 0..8)),
                0..12,
            ),
            today in -100_000i64..3_000_000,
        ) {
            let mut text = String::new();
            for (i, (stage, steps)) in cards.iter().enumerate() {
                let history: Vec<serde_json::Value> = steps
                    .iter()
                    .map(|(from, to, at)| serde_json::json!({"from": from, "to": to, "at": at, "by": "p"}))
                    .collect();
                let req = serde_json::json!({"id": format!("R{i}"), "ears": "x", "tdd_stage": stage, "tdd_history": history});
                if i > 0 {
                    text.push(',');
                }
                text.push_str(&req.to_string());
            }
            let Ok((b, _)) = Board::import("m.json", format!("{{\"requirements\": [{text}]}}").as_bytes()) else {
                return Ok(());
            };
            let f = flow(&b, today);
            let tracks = read(&b).tracks.len() as u32;
            prop_assert!(f.cumulative.counts.len() <= MAX_DAYS as usize);
            for row in &f.cumulative.counts {
                prop_assert_eq!(row.iter().sum::<u32>(), tracks);
            }
            for c in &f.cycles.cycles {
                prop_assert!(c.days >= 1);
            }
        }
    }
}
