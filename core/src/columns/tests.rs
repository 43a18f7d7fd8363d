use super::*;
use crate::team::read_agent_files;

/// Cards in every column, in an order that is not the column order, and a deprecated one.
const FILE: &str = r#"[
    {"id": "R-0", "ears": "Login with SSO", "tdd_stage": "green", "tests": ["t/sso.py"], "code": ["src/sso.py"]},
    {"id": "R-1", "ears": "Logout", "tdd_stage": "backlog"},
    {"id": "R-2", "ears": "Passwords are HASHED", "tdd_stage": "red", "tests": ["t/hash.py"], "code": ["c"]},
    {"id": "R-3", "ears": "Rate limit", "status": "deprecated", "tdd_stage": "backlog"},
    {"id": "R-4", "ears": "Audit log", "tdd_stage": "test_written", "tests": ["t/Audit_Login.py"]},
    {"id": "R-5", "ears": "Café opens", "tdd_stage": "reviewed", "tests": ["t"], "code": ["c"]},
    {"id": "R-6", "ears": "Session expiry", "tdd_stage": "backlog"},
    "not a requirement"
]"#;

fn team() -> Team {
    let file = |name: &str, text: &str| (name.to_owned(), text.as_bytes().to_vec());
    let (members, _) = read_agent_files(&[
        file(
            "qa.md",
            "---\nname: qa\ndescription: Writes failing tests first\n---\n",
        ),
        file(
            "dev.md",
            "---\nname: dev\ndescription: Implements the code\n---\n",
        ),
    ]);
    let mut team = Team::default();
    team.add(members);
    team
}

fn filter(with_deprecated: bool, search: &str, turn: Option<&str>) -> CardFilter {
    CardFilter {
        with_deprecated,
        search: search.to_owned(),
        facets: turn
            .map(|t| vec![(Facet::Turn, t.to_owned())])
            .unwrap_or_default(),
    }
}

fn cols(
    board: &Board,
    team: &Team,
    filter: &CardFilter,
    lower: impl Fn(&str) -> String,
) -> [Vec<EntryIndex>; 5] {
    columns(board, team, &Evidence::default(), filter, lower).columns
}

#[test]
fn groups_by_stage_in_file_order_after_the_filters() {
    let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
    let team = team();
    let none: [&[EntryIndex]; 5] = [&[1, 6], &[4], &[2], &[0], &[5]];
    // (filter, the entries of each column, Backlog first).
    let table: [(CardFilter, [&[EntryIndex]; 5]); 10] = [
        (CardFilter::default(), none),
        (filter(true, "", None), [&[1, 3, 6], &[4], &[2], &[0], &[5]]),
        // Search looks at id, text and paths, in any case the lower-casing handles.
        (filter(false, "login", None), [&[], &[4], &[], &[0], &[]]),
        (filter(false, "hashed", None), [&[], &[], &[2], &[], &[]]),
        (filter(false, "café", None), [&[], &[], &[], &[], &[5]]),
        (filter(false, "r-6", None), [&[6], &[], &[], &[], &[]]),
        (filter(false, "rate", None), [&[]; 5]),
        (filter(true, "rate", None), [&[3], &[], &[], &[], &[]]),
        // Whose turn: qa owns Test written and Red, so Backlog and Test written cards are
        // qa's turn; dev owns Green, so Red cards are dev's.
        (
            filter(false, "", Some("qa")),
            [&[1, 6], &[4], &[], &[], &[]],
        ),
        (
            filter(false, "log", Some("qa")),
            [&[1], &[4], &[], &[], &[]],
        ),
    ];
    // The deprecated R-3 is counted in its column's total only when shown, never against a
    // limit.
    let hidden = columns(
        &board,
        &team,
        &Evidence::default(),
        &CardFilter::default(),
        str::to_lowercase,
    );
    assert_eq!(hidden.totals, [2, 1, 1, 1, 1]);
    assert_eq!(hidden.active, [2, 1, 1, 1, 1]);
    let shown = columns(
        &board,
        &team,
        &Evidence::default(),
        &filter(true, "log", None),
        str::to_lowercase,
    );
    assert_eq!(shown.totals, [3, 1, 1, 1, 1]);
    assert_eq!(shown.active, [2, 1, 1, 1, 1]);
    for (filter, expected) in table {
        let got = cols(&board, &team, &filter, str::to_lowercase);
        let expected: Vec<Vec<EntryIndex>> = expected.iter().map(|c| c.to_vec()).collect();
        assert_eq!(got.to_vec(), expected, "{filter:?}");
    }
}

#[test]
fn a_turn_filter_for_an_agent_with_no_turn_shows_nothing() {
    let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
    let team = team();
    for agent in ["dev", "ghost"] {
        let got = cols(
            &board,
            &team,
            &filter(true, "", Some(agent)),
            str::to_lowercase,
        );
        let total: usize = got.iter().map(Vec::len).sum();
        let expected = if agent == "dev" { 1 } else { 0 };
        assert_eq!(total, expected, "{agent}");
    }
    // Without a team nobody has a turn.
    let got = cols(
        &board,
        &Team::default(),
        &filter(false, "", Some("qa")),
        str::to_lowercase,
    );
    assert!(got.iter().all(Vec::is_empty));
}

#[test]
fn the_search_uses_the_lower_casing_it_is_given() {
    let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
    let got = cols(
        &board,
        &Team::default(),
        &filter(false, "hashed", None),
        str::to_owned,
    );
    assert!(got.iter().all(Vec::is_empty), "no lower-casing, no match");
}

/// A planning board: priorities, types, risks, stories, owners, histories.
const PLAN: &str = r#"{"requirements": [
    {"id": "REQ-10", "ears": "a", "priority": "low", "type": "functional", "story": "Login", "owner": "ana", "tdd_stage": "red", "tests": ["t/a.py"],
     "tdd_history": [{"from": "backlog", "to": "test_written", "at": "2026-03-01T10:00:00Z", "by": "qa"},
                     {"from": "test_written", "to": "red", "at": "2026-03-02T10:00:00Z", "by": "qa"}]},
    {"id": "REQ-2", "ears": "b", "priority": "critical", "type": "security", "risk_level": "high", "story": "Login", "tdd_stage": "red", "tests": ["t/b.py"],
     "tdd_history": [{"from": "backlog", "to": "red", "at": "2026-03-05T09:00:00+02:00", "by": "qa"}]},
    {"id": "REQ-3", "ears": "c", "priority": "High", "story": "Billing", "owner": "bo", "tdd_stage": "backlog"},
    {"id": "REQ-1", "ears": "d", "type": "functional", "tdd_stage": "red", "tests": ["t/d.py"],
     "tdd_history": [{"from": "backlog", "to": "red", "at": "2026-02-20T08:00:00Z", "by": "qa"},
                     {"from": "red", "to": "green", "at": "2026-02-21T08:00:00Z", "by": "dev"},
                     {"from": "green", "to": "red", "at": "2026-03-04T08:00:00Z", "by": "ci"}]},
    {"id": "REQ-4", "ears": "e", "priority": "medium", "story": "Billing", "status": "in_progress", "tests": ["t/e.py"]}
]}"#;

fn plan() -> Board {
    Board::import("m.json", PLAN.as_bytes()).unwrap().0
}

fn faceted(facets: &[(Facet, &str)]) -> CardFilter {
    let mut filter = CardFilter::default();
    for (facet, value) in facets {
        filter.add(*facet, value);
    }
    filter
}

#[test]
fn facets_combine_across_and_choose_within() {
    let board = plan();
    let team = Team::default();
    // REQ-4 has no tdd_stage: its stage is inferred from its status and tests (Test written).
    assert!(board.card(4).unwrap().inferred.is_some());
    let stage = board.card(4).unwrap().stage.index();
    let mut only4: [Vec<EntryIndex>; 5] = Default::default();
    only4[stage] = vec![4];
    let table: Vec<(CardFilter, [Vec<EntryIndex>; 5])> = vec![
        (
            faceted(&[(Facet::Priority, "HIGH")]),
            [vec![2], vec![], vec![], vec![], vec![]],
        ),
        // Two values of one facet: either.
        (
            faceted(&[(Facet::Priority, "low"), (Facet::Priority, "critical")]),
            [vec![], vec![], vec![0, 1], vec![], vec![]],
        ),
        // Two facets: both.
        (
            faceted(&[(Facet::Story, "Login"), (Facet::Kind, "functional")]),
            [vec![], vec![], vec![0], vec![], vec![]],
        ),
        // "none": the cards without a value.
        (
            faceted(&[(Facet::Priority, NONE)]),
            [vec![], vec![], vec![3], vec![], vec![]],
        ),
        (
            faceted(&[(Facet::Story, NONE)]),
            [vec![], vec![], vec![3], vec![], vec![]],
        ),
        (
            faceted(&[(Facet::Risk, "high")]),
            [vec![], vec![], vec![1], vec![], vec![]],
        ),
        (
            faceted(&[(Facet::Owner, "bo"), (Facet::Owner, "ana")]),
            [vec![2], vec![], vec![0], vec![], vec![]],
        ),
        (faceted(&[(Facet::Inferred, "yes")]), only4.clone()),
        (
            faceted(&[(Facet::Inferred, "no"), (Facet::Story, "Billing")]),
            [vec![2], vec![], vec![], vec![], vec![]],
        ),
        // Health: REQ-3 (Backlog) misses tests and code, REQ-1/2/10 (Red) miss code, REQ-4
        // misses code; REQ-2 skipped nothing a gate needs (Backlog → Red is not a skip
        // forward to Green or Reviewed).
        (
            faceted(&[(Facet::Health, "no-tests")]),
            [vec![2], vec![], vec![], vec![], vec![]],
        ),
        (
            faceted(&[(Facet::Health, "any"), (Facet::Priority, "critical")]),
            [vec![], vec![], vec![1], vec![], vec![]],
        ),
        // No results at all: every card has none, none fails.
        (
            faceted(&[(Facet::Results, "none"), (Facet::Story, "Login")]),
            [vec![], vec![], vec![0, 1], vec![], vec![]],
        ),
        (faceted(&[(Facet::Results, "failing")]), Default::default()),
    ];
    for (filter, expected) in table {
        let shown = columns(
            &board,
            &team,
            &Evidence::default(),
            &filter,
            str::to_lowercase,
        );
        let (got, totals) = (shown.columns, shown.totals);
        assert_eq!(shown.active, totals, "nothing is deprecated");
        assert_eq!(got, expected, "{filter:?}");
        let mut all = [0; 5];
        for (_, card) in board.cards() {
            all[card.stage.index()] += 1;
        }
        assert_eq!(totals, all, "totals are before the facets");
    }
}

#[test]
fn results_facets_read_the_evidence() {
    let board = plan();
    let report = br#"<testsuite name="s"><testcase classname="t.a" name="test_x" file="t/a.py"/>
        <testcase classname="t.b" name="test_y" file="t/b.py"><failure message="no"/></testcase></testsuite>"#;
    let read = crate::results::read_report("r.xml", report).unwrap();
    let evidence = Evidence::gather(&board, vec![read]);
    let shown = |value: &str| {
        let cols = columns(
            &board,
            &Team::default(),
            &evidence,
            &faceted(&[(Facet::Results, value)]),
            str::to_lowercase,
        )
        .columns;
        cols.concat()
    };
    assert_eq!(shown("passing"), vec![0]);
    assert_eq!(shown("failing"), vec![1]);
    // By column: REQ-3 (Backlog), REQ-4 (Test written), REQ-1 (Red).
    assert_eq!(shown("none"), vec![2, 4, 3]);
}

#[test]
fn facets_go_to_a_link_and_back() {
    let filter = faceted(&[
        (Facet::Story, "Login & co"),
        (Facet::Priority, "high"),
        (Facet::Priority, "high"),
        (Facet::Health, "no-tests"),
    ]);
    let pairs = filter.to_pairs();
    assert_eq!(
        pairs,
        vec![
            ("priority", "high".to_owned()),
            ("story", "Login & co".to_owned()),
            ("health", "no-tests".to_owned()),
        ]
    );
    let back = CardFilter::facets_from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    assert_eq!(back, filter.facets);
    // Unknown keys and empty values are left out; the card of the details is not a facet.
    let read = CardFilter::facets_from_pairs([("card", "REQ-1"), ("priority", " "), ("x", "y")]);
    assert!(read.is_empty());
    assert_eq!(
        Facet::Priority.describe(NONE),
        "Priority: no priority".to_owned()
    );
    assert_eq!(
        Facet::Health.describe("no-tests"),
        "Health: Missing tests".to_owned()
    );
}

#[test]
fn values_count_the_cards_of_each_word() {
    let board = plan();
    assert_eq!(
        values(&board, &Evidence::default(), Facet::Priority),
        vec![
            ("critical".to_owned(), 1),
            ("High".to_owned(), 1),
            ("medium".to_owned(), 1),
            ("low".to_owned(), 1),
            (NONE.to_owned(), 1),
        ]
    );
    assert_eq!(
        values(&board, &Evidence::default(), Facet::Story),
        vec![
            ("Billing".to_owned(), 2),
            ("Login".to_owned(), 2),
            (NONE.to_owned(), 1),
        ]
    );
    assert!(values(&board, &Evidence::default(), Facet::Turn).is_empty());
    // No results read: no results filter to offer.
    assert!(values(&board, &Evidence::default(), Facet::Results).is_empty());
    assert_eq!(
        values(&board, &Evidence::default(), Facet::Inferred),
        vec![("yes".to_owned(), 1), ("no".to_owned(), 4)]
    );
    // Every card misses code (REQ-3 tests too): "any" 5, then the kinds in the panel's order.
    assert_eq!(
        values(&board, &Evidence::default(), Facet::Health),
        vec![
            ("any".to_owned(), 5),
            ("no-tests".to_owned(), 1),
            ("no-code".to_owned(), 5),
        ]
    );
}

#[test]
fn lanes_group_each_column_and_keep_its_order() {
    let board = plan();
    let cols = columns(
        &board,
        &Team::default(),
        &Evidence::default(),
        &CardFilter::default(),
        str::to_lowercase,
    )
    .columns;
    let stage4 = board.card(4).unwrap().stage.index();
    let names =
        |lanes: &[Lane]| -> Vec<Option<String>> { lanes.iter().map(|l| l.name.clone()).collect() };
    let by_story = lanes(&board, cols.clone(), GroupBy::Story);
    assert_eq!(
        names(&by_story),
        vec![Some("Billing".to_owned()), Some("Login".to_owned()), None]
    );
    assert_eq!(by_story[0].columns[0], vec![2]);
    assert_eq!(by_story[0].columns[stage4], vec![4]);
    assert_eq!(by_story[1].columns[2], vec![0, 1]);
    assert_eq!(by_story[2].columns[2], vec![3]);
    assert_eq!(by_story.iter().map(Lane::len).sum::<usize>(), 5);
    // Priorities by rank, whatever their case; no priority last.
    let by_priority = lanes(&board, cols.clone(), GroupBy::Priority);
    assert_eq!(
        names(&by_priority),
        vec![
            Some("critical".to_owned()),
            Some("High".to_owned()),
            Some("medium".to_owned()),
            Some("low".to_owned()),
            None
        ]
    );
    let none = lanes(&board, cols.clone(), GroupBy::None);
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].columns, cols);
    assert_eq!(GroupBy::Story.lane_title(None), "No story");
    assert_eq!(GroupBy::Kind.lane_title(Some("security")), "Type: security");
}

#[test]
fn sorting_orders_a_column_and_keeps_ties_in_file_order() {
    let board = plan();
    let red = || vec![0, 1, 3];
    let sorted = |by: SortBy| {
        let mut column = red();
        sort(&board, &mut column, by);
        column
    };
    assert_eq!(sorted(SortBy::File), red());
    // critical (REQ-2), low (REQ-10), none (REQ-1).
    assert_eq!(sorted(SortBy::Priority), vec![1, 0, 3]);
    // REQ-1, REQ-2, REQ-10.
    assert_eq!(sorted(SortBy::Id), vec![3, 1, 0]);
    // Into Red: REQ-10 2026-03-02T10:00Z, REQ-2 2026-03-05T07:00Z (09:00+02:00), REQ-1
    // 2026-03-04T08:00Z (its last move into Red, after Green). Longest in stage first.
    assert_eq!(sorted(SortBy::TimeInStage), vec![0, 3, 1]);
    // Last moves: REQ-2 03-05T07:00Z, REQ-1 03-04, REQ-10 03-02; most recent first.
    assert_eq!(sorted(SortBy::LastMoved), vec![1, 3, 0]);
    // Cards with no history go last, in file order.
    let mut all = vec![4, 2, 0];
    sort(&board, &mut all, SortBy::LastMoved);
    assert_eq!(all, vec![0, 4, 2]);
}

#[test]
fn natural_order_reads_numbers_by_value() {
    let mut ids = vec![
        "REQ-10", "req-2", "REQ-002a", "REQ-1", "REQ-", "AUTH-3", "REQ-01",
    ];
    ids.sort_by(|a, b| natural(a, b));
    assert_eq!(
        ids,
        vec![
            "AUTH-3", "REQ-", "REQ-1", "REQ-01", "req-2", "REQ-002a", "REQ-10"
        ]
    );
}

#[test]
fn limits_say_the_count_against_the_limit() {
    assert_eq!(
        limit_text(Stage::Red, 7, Some(5)),
        "Red: 7 of 5, over the limit"
    );
    assert_eq!(limit_text(Stage::Red, 5, Some(5)), "Red: 5 of 5");
    assert_eq!(limit_text(Stage::Green, 1, None), "Green: 1 card");
    let layout = Layout {
        wip_limits: [None, None, Some(5), Some(3), None],
        sort: SortBy::TimeInStage,
        group: GroupBy::Kind,
    };
    let json = layout.to_json();
    assert_eq!(
        json,
        r#"{"wip_limits":[null,null,5,3,null],"sort":"time_in_stage","group":"type"}"#
    );
    assert_eq!(Layout::from_json(&json), layout);
    assert_eq!(Layout::from_json("not json"), Layout::default());
    // An older save without some of it, or with a word this version does not know, reads.
    assert_eq!(
        Layout::from_json(
            r#"{"sort":"id","group":"sprint","wip_limits":[1, 0, -2, "3", 4294967296, 9]}"#
        ),
        Layout {
            wip_limits: [Some(1), None, None, None, None],
            sort: SortBy::Id,
            ..Layout::default()
        }
    );
}

#[test]
fn the_merge_sort_orders_and_keeps_ties_in_their_order() {
    for n in 0..40 {
        // Keys with many ties: the sorted indices must be ordered by key, then by index.
        let keys: Vec<u32> = (0..n).map(|i| (i * 7 + 3) % 5).collect();
        let got = merge_sort(n as usize, &|a, b| keys[a].cmp(&keys[b]));
        let mut expected: Vec<usize> = (0..n as usize).collect();
        expected.sort_by_key(|&i| (keys[i], i));
        assert_eq!(got, expected, "{n}");
    }
}

#[test]
fn a_moved_card_lands_where_the_sort_puts_it() {
    let board = plan();
    // Red by id: REQ-1, REQ-2, REQ-10 (entries 3, 1, 0); REQ-3 (entry 2) goes before REQ-10.
    assert_eq!(lands_at(&board, &[3, 1, 0], 2, SortBy::Id), 2);
    // In file order before the first later entry.
    assert_eq!(lands_at(&board, &[0, 1, 3], 2, SortBy::File), 2);
    // Last moved: a moved card is the most recent, first.
    assert_eq!(lands_at(&board, &[1, 3, 0], 2, SortBy::LastMoved), 0);
    // Priority: High (REQ-3) after critical (REQ-2), before low (REQ-10) and none (REQ-1).
    assert_eq!(lands_at(&board, &[1, 0, 3], 2, SortBy::Priority), 1);
    // Time in stage: the newest in its stage, after every card with a known time.
    assert_eq!(lands_at(&board, &[0, 3, 1], 2, SortBy::TimeInStage), 3);
    assert_eq!(lands_at(&board, &[0, 4], 2, SortBy::TimeInStage), 1);
}
