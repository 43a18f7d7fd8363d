//! Every real matrix of the corpus (copied byte for byte into tests/fixtures/corpus/matrices,
//! see matrices.tsv there for where each comes from) through the core, against a table of
//! expected outcomes written down per file. The table is the record of what the board does
//! with real data: a change in how a real file lands fails here and is reviewed like code.

use traceboard_core::board::Board;

/// What one file is expected to give.
struct Expected {
    file: &'static str,
    /// `None` when the file is refused.
    cards: Option<usize>,
    /// Backlog, Test written, Red, Green, Reviewed (deprecated cards are not in a column).
    stages: [usize; 5],
    /// Where the requirements are read from (`ImportReport::source` starts with it).
    source: &'static str,
    /// Containers joined to the requirements, in the order the report names them.
    joins: &'static [&'static str],
    /// A JSON pointer to the file's requirement container, counted independently of the
    /// board: at least 95% of its members must be cards.
    container: &'static str,
}

const fn row(
    file: &'static str,
    cards: usize,
    stages: [usize; 5],
    source: &'static str,
    joins: &'static [&'static str],
    container: &'static str,
) -> Expected {
    Expected {
        file,
        cards: Some(cards),
        stages,
        source,
        joins,
        container,
    }
}

/// How many members the container at `pointer` has, read with serde_json alone.
fn members(bytes: &[u8], pointer: &str) -> usize {
    let text = String::from_utf8_lossy(bytes);
    let value: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
    match value.pointer(pointer) {
        Some(serde_json::Value::Array(items)) => items.len(),
        Some(serde_json::Value::Object(map)) => map.len(),
        _ => panic!("no container at {pointer}"),
    }
}

const CORPUS: &[Expected] = &[
    // 13 requirements with `unit_tests` and `e2e_scripts` lists of {path}: tests, no status.
    row(
        "01-Dicklesworthstone-pi_agent_rust-traceability_matrix.json",
        13,
        [0, 13, 0, 0, 0],
        "\"requirements\"",
        &[],
        "/requirements",
    ),
    // A map keyed by id (FR-001 …) with titles; no tests, code or status anywhere per id.
    row(
        "02-WooYoungSang-wavis-helloworld-traceability-matrix.json",
        17,
        [17, 0, 0, 0, 0],
        "\"requirements\" (a map",
        &[],
        "/requirements",
    ),
    // A `coverage` map keyed by id (code paths) and a `sourceMap` naming ids (tests): joined.
    row(
        "03-adammerrill-AstroJS-template-traceability-matrix.json",
        23,
        [0, 23, 0, 0, 0],
        "\"requirements\"",
        &["coverage", "sourceMap"],
        "/requirements",
    ),
    // `traceability`: 398 objects with `requirement` (a JSON pointer) and status "mapped",
    // which is not a status word: kept, and the stage comes from links (none).
    row(
        "04-fderuiter-DuckDeploy-traceability-matrix.json",
        398,
        [398, 0, 0, 0, 0],
        "\"traceability\"",
        &[],
        "/traceability",
    ),
    // A bare list without ids, named by `scenario`; each lists test names.
    row(
        "05-hyper-swe-mtix-traceability.json",
        19,
        [0, 19, 0, 0, 0],
        "the file itself",
        &[],
        "",
    ),
    // Status "covered"/"stale" unknown; `evidence` and `file` paths sorted into tests/code.
    row(
        "06-rogerchappel-specstitch-traceability.json",
        17,
        [8, 9, 0, 0, 0],
        "\"requirements\"",
        &[],
        "/requirements",
    ),
    // `evidence.tests` and `evidence.implementation`; verified → Reviewed, implemented → Green.
    row(
        "07-aithinkers-requirements-dlc-traceability.json",
        31,
        [0, 0, 0, 9, 22],
        "\"requirements\"",
        &[],
        "/requirements",
    ),
    // Requirements name their `acceptanceCriteria`, whose statuses (Verified, Planned …) and
    // test files are in `acceptance`: joined; the least advanced criterion sets the stage.
    row(
        "08-DanielKlier-family-flow-traceability.json",
        95,
        [0, 11, 0, 10, 74],
        "\"requirements\"",
        &["acceptance"],
        "/requirements",
    ),
    // `stories` with id and title.
    row(
        "09-arcgang-demo2-traceability-matrix.json",
        15,
        [15, 0, 0, 0, 0],
        "\"stories\"",
        &[],
        "/stories",
    ),
    // `use_cases` keyed by UC ids with `source_files` (code); actors and rules named as others.
    row(
        "10-KeyT9999-RestaurantBookingWebsite-traceability.json",
        5,
        [5, 0, 0, 0, 0],
        "\"use_cases\"",
        &[],
        "/use_cases",
    ),
    // 806 with status "missing" (not started), "partially implemented" (in progress, Red
    // with tests and code), "implemented and verified" (Reviewed).
    row(
        "11-MarwanAljijakli-agentkernel-traceability.json",
        806,
        [632, 3, 132, 0, 39],
        "\"requirements\"",
        &[],
        "/requirements",
    ),
    // `links`: 679 objects with `requirementId` and `testIds`.
    row(
        "12-Ceegore-riftwarden-traceability.json",
        679,
        [0, 679, 0, 0, 0],
        "\"links\"",
        &[],
        "/links",
    ),
    // `rows` (id, text, status "draft", a test file in `link`) wins over the map of the same
    // texts under `requirements`, which the report names.
    row(
        "13-jwildfire-open.csr-traceability.json",
        16,
        [0, 16, 0, 0, 0],
        "\"rows\"",
        &[],
        "/rows",
    ),
    // sphinx-needs: `versions["2.0"].needs`, a map keyed by id, status "open".
    row(
        "14-useblocks-sphinx-needs-needs.json",
        3,
        [3, 0, 0, 0, 0],
        "\"versions[\"2.0\"].needs\"",
        &[],
        "/versions/2.0/needs",
    ),
    // LOBSTER report: the requirements level's items, by `tag`; "Status 1" … are unknown.
    row(
        "15-bmw-software-engineering-lobster-codebeamer_links.lobster",
        4,
        [4, 0, 0, 0, 0],
        "\"levels[0].items\"",
        &[],
        "/levels/0/items",
    ),
    // One policy with an id and a description.
    row(
        "16-ajald24-it-controls-management-traceability_matrix.json",
        1,
        [1, 0, 0, 0, 0],
        "\"traceability.policy_hierarchy\"",
        &[],
        "/traceability/policy_hierarchy",
    ),
];

fn path(file: &str) -> String {
    format!(
        "{}/../tests/fixtures/corpus/matrices/{file}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn every_corpus_matrix_lands_as_the_table_says() {
    let dir = format!(
        "{}/../tests/fixtures/corpus/matrices",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("the corpus copy is in the repository")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = CORPUS.iter().map(|e| e.file).collect();
    assert_eq!(
        on_disk, listed,
        "every corpus file has a row, and every row a file"
    );

    let mut failures = Vec::new();
    for expected in CORPUS {
        let bytes = std::fs::read(path(expected.file)).expect("readable");
        match Board::import(expected.file, &bytes) {
            Ok((board, report)) => {
                let joins: Vec<String> = report
                    .joins
                    .iter()
                    .map(|j| j.split('"').nth(1).unwrap_or_default().to_owned())
                    .collect();
                let same_bytes = board.export().as_bytes() == bytes.as_slice();
                let source_ok = report.source.starts_with(expected.source);
                let entries = members(&bytes, expected.container);
                let enough = report.placed() * 100 >= entries * 95;
                let ok = expected.cards == Some(report.placed())
                    && expected.stages == report.per_stage
                    && source_ok
                    && joins == expected.joins
                    && same_bytes
                    && enough;
                if !ok {
                    failures.push(format!(
                        "{}: got {} cards {:?} from {} (joins {:?}, {} entries, export identical: {same_bytes})",
                        expected.file,
                        report.placed(),
                        report.per_stage,
                        report.source,
                        joins,
                        board.len()
                    ));
                }
            }
            Err(e) => {
                if expected.cards.is_some() {
                    failures.push(format!("{}: refused: {e}", expected.file));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn moves_on_real_files_write_only_their_requirement() {
    use traceboard_core::board::Move;
    use traceboard_core::stage::Stage;
    use traceboard_core::workspace::{Action, Workspace};
    for expected in CORPUS {
        let bytes = std::fs::read(path(expected.file)).expect("readable");
        let Ok((board, _)) = Board::import(expected.file, &bytes) else {
            continue;
        };
        // The first card that can go back to Backlog or forward with an override.
        let Some((entry, card)) = board.cards().find(|(_, c)| !c.read_only) else {
            continue;
        };
        let to = if card.stage == Stage::Backlog {
            Stage::TestWritten
        } else {
            Stage::Backlog
        };
        let span = board.span(entry).expect("a placed card has a span");
        let mut ws = Workspace::default();
        ws.apply(Action::OpenBoard(Box::new(board))).expect("opens");
        ws.apply(Action::MoveCard(Move {
            entry,
            to,
            by: "qa".into(),
            at: "2026-11-29T10:00:00Z".into(),
            override_reason: Some("corpus check".into()),
        }))
        .unwrap_or_else(|e| panic!("{}: {e}", expected.file));
        let out = ws.board().expect("open").export();
        // Everything before the first changed byte and after the last is the file's own.
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_start_matches('\u{feff}');
        let out = out.trim_start_matches('\u{feff}');
        let prefix = text
            .bytes()
            .zip(out.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = text
            .bytes()
            .rev()
            .zip(out.bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = suffix.min(out.len() - prefix).min(text.len() - prefix);
        let changed = &out[prefix..out.len() - suffix];
        assert!(
            changed.contains("tdd_stage"),
            "{}: {changed}",
            expected.file
        );
        // The change lies inside the moved requirement's bytes.
        assert!(
            prefix >= span.start && text.len() - suffix <= span.end,
            "{}: changed {}..{} outside the requirement at {span:?}",
            expected.file,
            prefix,
            text.len() - suffix
        );
        let (again, _) = Board::import(expected.file, out.as_bytes()).expect("re-imports");
        assert_eq!(
            again.card(entry).map(|c| c.stage),
            Some(to),
            "{}",
            expected.file
        );
        assert_eq!(
            again.len(),
            members(&bytes, expected.container),
            "{}",
            expected.file
        );
    }
}

/// Every real file, changed on both sides: the board moves its first card, the file on disk
/// gets its last card moved (as another tab or an agent writes it), and both the board's
/// follow and the three-way merge hold both moves; an unchanged file is no change.
#[test]
fn real_files_merge_a_move_on_each_side() {
    use traceboard_core::board::Move;
    use traceboard_core::merge::merge;
    use traceboard_core::stage::Stage;
    use traceboard_core::workspace::{Action, Workspace};
    let moved = |board: Board, entry: usize| {
        let stage = board.card(entry)?.stage;
        let to = if stage == Stage::Backlog {
            Stage::TestWritten
        } else {
            Stage::Backlog
        };
        let mut ws = Workspace::default();
        ws.apply(Action::OpenBoard(Box::new(board))).ok()?;
        ws.apply(Action::MoveCard(Move {
            entry,
            to,
            by: "qa".into(),
            at: "2026-11-29T10:00:00Z".into(),
            override_reason: Some("corpus check".into()),
        }))
        .ok()?;
        Some((ws, to))
    };
    let mut checked = 0;
    for expected in CORPUS {
        let bytes = std::fs::read(path(expected.file)).expect("readable");
        let Ok((board, _)) = Board::import(expected.file, &bytes) else {
            continue;
        };
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert!(
            board.follow(&text).expect("reads").board.is_none(),
            "{}",
            expected.file
        );
        let ids: Vec<usize> = board
            .cards()
            .filter(|(_, c)| !c.read_only && !c.history_not_a_list)
            .map(|(i, _)| i)
            .collect();
        if ids.len() < 2 {
            continue;
        }
        let (first, last) = (ids[0], ids[ids.len() - 1]);
        let (first_id, last_id) = (
            board.card(first).unwrap().id.to_string(),
            board.card(last).unwrap().id.to_string(),
        );
        if first_id == last_id {
            continue;
        }
        let (theirs_board, _) = Board::import(expected.file, &bytes).unwrap();
        let (Some((ours, our_stage)), Some((theirs, their_stage))) =
            (moved(board, first), moved(theirs_board, last))
        else {
            continue;
        };
        let theirs_text = theirs.board().unwrap().export();
        let ours_text = ours.board().unwrap().export();
        let stage_of = |b: &Board, id: &str| {
            b.cards()
                .find(|(_, c)| c.id.as_str() == id)
                .map(|(_, c)| c.stage)
        };

        // The board's move of the first requirement and the file's of the last, both there.
        let both_moves_on = |b: &Board| {
            let stages = (stage_of(b, &first_id), stage_of(b, &last_id));
            assert_eq!(
                stages,
                (Some(our_stage), Some(their_stage)),
                "{}",
                expected.file
            );
        };
        let followed = ours.board().unwrap().follow(&theirs_text).expect("follows");
        let after = followed.board.expect("the file changed");
        assert!(
            followed.conflicts.is_empty(),
            "{}: {:?}",
            expected.file,
            followed.conflicts
        );
        both_moves_on(&after);

        let merged = merge(&text, &ours_text, &theirs_text, None).expect("merges");
        assert!(
            merged.is_clean(),
            "{}: {:?}",
            expected.file,
            merged.conflicts
        );
        let (again, _) = Board::import(expected.file, merged.text.as_bytes()).expect("re-imports");
        both_moves_on(&again);
        assert_eq!(again.len(), after.len(), "{}", expected.file);
        checked += 1;
    }
    eprintln!("{checked} corpus files merged a move on each side");
    assert!(
        checked >= 10,
        "only {checked} corpus files could be checked"
    );
}

/// Each card's id and requirement value, in board order.
fn values(board: &Board) -> Vec<(String, Option<serde_json::Map<String, serde_json::Value>>)> {
    board
        .cards()
        .map(|(i, c)| (c.id.to_string(), board.value(i)))
        .collect()
}

/// Every real file: a text edit, a new requirement and a deletion each give valid JSON that
/// reads back with the change and nothing else lost, and undo of all three gives back the
/// file's bytes.
#[test]
fn real_files_take_an_edit_a_new_requirement_and_a_deletion() {
    use traceboard_core::board::{Edit, NewRequirement, Part};
    use traceboard_core::workspace::{Action, Workspace};
    let mut checked = 0;
    for expected in CORPUS {
        let bytes = std::fs::read(path(expected.file)).expect("readable");
        let Ok((board, _)) = Board::import(expected.file, &bytes) else {
            continue;
        };
        let before = board.len();
        let original = board.export();
        let mut ws = Workspace::default();
        ws.apply(Action::OpenBoard(Box::new(board))).expect("opens");
        let board = |ws: &Workspace| ws.board().expect("open").clone();
        let mut steps = 0;
        // An edit of the first editable text.
        let b = board(&ws);
        if let Some((entry, _)) = b
            .cards()
            .find(|(i, c)| !c.read_only && b.edit_key(*i, Part::Text).is_some())
        {
            let edit = Edit::Set {
                part: Part::Text,
                value: Some("The board shall keep every byte — «tout».".into()),
            };
            ws.apply(Action::Edit { entry, edit })
                .unwrap_or_else(|e| panic!("{}: {e}", expected.file));
            steps += 1;
            let card = board(&ws).card(entry).expect("card").clone();
            assert_eq!(card.text, "The board shall keep every byte — «tout».");
        }
        // A new requirement, with the id the board proposes.
        let id = board(&ws).propose_id();
        let new = NewRequirement {
            id: id.clone(),
            text: "When a file is open, the board shall show it.".into(),
            priority: None,
            kind: None,
            list: None,
        };
        let others = values(&board(&ws));
        ws.apply(Action::Create(new))
            .unwrap_or_else(|e| panic!("{}: create {id}: {e}", expected.file));
        steps += 1;
        let out = board(&ws).export();
        let (again, _) = Board::import(expected.file, out.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", expected.file));
        assert_eq!(again.len(), before + 1, "{}", expected.file);
        let created = again
            .find(&id)
            .unwrap_or_else(|| panic!("{}: {id} reads back", expected.file));
        // Every other requirement is as it was, and the new one has only keys its
        // neighbours use (or the file's text key, for a list whose last member lacks it).
        let kept: Vec<_> = values(&again)
            .into_iter()
            .filter(|(i, _)| *i != id)
            .collect();
        assert_eq!(kept, others, "{}: the others changed", expected.file);
        let neighbour = again.value(created.saturating_sub(1)).unwrap_or_default();
        let value = again.value(created).unwrap_or_default();
        for key in value.keys() {
            assert!(
                neighbour.contains_key(key) || again.fields().text.iter().any(|p| p.0[0] == *key),
                "{}: {id} got the key {key:?} its neighbour lacks: {value:?}",
                expected.file
            );
        }
        // A requirement in the middle deleted: the others stay as they were.
        if before > 1 {
            let others = values(&board(&ws));
            let middle = board(&ws)
                .cards()
                .nth(before / 2)
                .map(|(i, _)| i)
                .expect("a card");
            let gone = board(&ws).card(middle).expect("card").id.to_string();
            ws.apply(Action::Delete { entry: middle })
                .unwrap_or_else(|e| panic!("{}: delete: {e}", expected.file));
            steps += 1;
            let out = board(&ws).export();
            let (again, _) = Board::import(expected.file, out.as_bytes())
                .unwrap_or_else(|e| panic!("{}: {e}", expected.file));
            assert_eq!(again.len(), before, "{}", expected.file);
            let want: Vec<_> = others.into_iter().filter(|(i, _)| *i != gone).collect();
            assert_eq!(values(&again), want, "{}: delete of {gone}", expected.file);
        }
        for _ in 0..steps {
            ws.undo().expect("undo");
        }
        assert_eq!(board(&ws).export(), original, "{}", expected.file);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} real files checked");
}

/// Planning on real files (issue 15): every facet's values, every grouping, every sort and
/// the limits a file keeps, on every real matrix that lands. The lanes hold every shown card
/// once, a sort is a reordering of its column, a facet's values each show what they count,
/// a file without a `meta` object refuses limits, one with it takes them, and the Flow
/// view's numbers are worked out.
#[test]
fn real_files_filter_group_and_sort() {
    use traceboard_core::board::MoveError;
    use traceboard_core::columns::{
        CardFilter, Facet, GroupBy, SortBy, columns, lanes, sort, values,
    };
    use traceboard_core::results::Evidence;
    use traceboard_core::team::Team;
    let evidence = Evidence::default();
    let team = Team::default();
    let mut boards = 0;
    for expected in CORPUS.iter().filter(|e| e.cards.is_some()) {
        let bytes = std::fs::read(path(expected.file)).unwrap();
        let Ok((board, _)) = Board::import(expected.file, &bytes) else {
            continue;
        };
        boards += 1;
        let all = columns(
            &board,
            &team,
            &evidence,
            &CardFilter::default(),
            str::to_lowercase,
        );
        let shown: usize = all.columns.iter().map(Vec::len).sum();
        for facet in Facet::ALL {
            for (value, count) in values(&board, &evidence, facet) {
                let mut filter = CardFilter::default();
                filter.add(facet, &value);
                let got = columns(&board, &team, &evidence, &filter, str::to_lowercase);
                let n: usize = got.columns.iter().map(Vec::len).sum();
                assert_eq!(n, count, "{}: {facet:?} = {value:?}", expected.file);
            }
        }
        for group in GroupBy::ALL {
            let got = lanes(&board, all.columns.clone(), group);
            let mut seen: Vec<usize> = got.iter().flat_map(|l| l.columns.concat()).collect();
            seen.sort_unstable();
            let mut want = all.columns.concat();
            want.sort_unstable();
            assert_eq!(seen, want, "{}: {group:?}", expected.file);
        }
        for by in SortBy::ALL {
            for column in &all.columns {
                let mut sorted = column.clone();
                sort(&board, &mut sorted, by);
                let mut a = sorted.clone();
                a.sort_unstable();
                let mut b = column.clone();
                b.sort_unstable();
                assert_eq!(a, b, "{}: {by:?}", expected.file);
            }
        }
        assert!(shown > 0, "{}", expected.file);
        let _ = traceboard_core::flow::flow(&board, 20_000);
        match board.file_limits() {
            None => assert_eq!(
                board.with_file_limits(&[Some(3); 5]).unwrap_err(),
                MoveError::NoMeta,
                "{}",
                expected.file
            ),
            Some(_) => {
                let written = board.with_file_limits(&[Some(3); 5]).unwrap();
                assert_eq!(
                    written.file_limits(),
                    Some([Some(3); 5]),
                    "{}",
                    expected.file
                );
            }
        }
    }
    assert!(boards >= 15, "{boards} boards");
}
