use super::*;

use serde_json::json;

fn m(base: &str, ours: &str, theirs: &str) -> Merged {
    merge(base, ours, theirs, None).expect("merges")
}

/// A pretty-printed origin-style file with the requirements given as `(id, stage)`.
fn file(reqs: &[(&str, &str)]) -> String {
    let reqs: Vec<Value> = reqs
        .iter()
        .map(|(id, stage)| {
            json!({"id": id, "ears": format!("The system shall do {id}."), "tdd_stage": stage,
                   "tests": [], "code": []})
        })
        .collect();
    let doc = json!({"project": "demo", "requirements": reqs, "footer": {"generated": "by hand"}});
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

/// Each requirement of a text, by id, as JSON values.
fn by_id(text: &str) -> Vec<(String, Value)> {
    let doc: Value = serde_json::from_str(text).expect("the merge writes valid JSON");
    doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

fn stage_of(text: &str, id: &str) -> Option<String> {
    by_id(text)
        .into_iter()
        .find(|(i, _)| i == id)
        .and_then(|(_, v)| v["tdd_stage"].as_str().map(str::to_owned))
}

const THREE: &[(&str, &str)] = &[("REQ-1", "backlog"), ("REQ-2", "backlog"), ("REQ-3", "red")];

#[test]
fn one_side_changed_takes_that_side_exactly() {
    let base = file(THREE);
    let x = file(&[("REQ-1", "red"), ("REQ-2", "backlog"), ("REQ-3", "red")]);
    assert_eq!(m(&base, &base, &x).text, x);
    assert_eq!(m(&base, &x, &base).text, x);
    assert_eq!(m(&base, &x, &x).text, x);
}

#[test]
fn moves_of_adjacent_requirements_both_land_and_nothing_else_changes() {
    let base = file(THREE);
    let ours = file(&[("REQ-1", "red"), ("REQ-2", "backlog"), ("REQ-3", "red")]);
    let theirs = file(&[
        ("REQ-1", "backlog"),
        ("REQ-2", "test_written"),
        ("REQ-3", "red"),
    ]);
    let merged = m(&base, &ours, &theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    assert_eq!(
        merged.text,
        file(&[
            ("REQ-1", "red"),
            ("REQ-2", "test_written"),
            ("REQ-3", "red")
        ])
    );
    assert_eq!(merged.theirs_changed, ["REQ-2"]);
    assert_eq!(merged.ours_kept, ["REQ-1"]);
}

#[test]
fn requirements_added_on_both_sides_are_all_kept_theirs_first() {
    let base = file(THREE);
    let mut ours_reqs = THREE.to_vec();
    ours_reqs.push(("REQ-10", "backlog"));
    let mut theirs_reqs = THREE.to_vec();
    theirs_reqs.push(("REQ-20", "backlog"));
    let merged = m(&base, &file(&ours_reqs), &file(&theirs_reqs));
    assert!(merged.is_clean());
    let ids: Vec<String> = by_id(&merged.text).into_iter().map(|(i, _)| i).collect();
    assert_eq!(ids, ["REQ-1", "REQ-2", "REQ-3", "REQ-20", "REQ-10"]);
    // Appended in the file's own layout: as if the file had been written with all five.
    let mut all = THREE.to_vec();
    all.extend([("REQ-20", "backlog"), ("REQ-10", "backlog")]);
    assert_eq!(merged.text, file(&all));
}

#[test]
fn the_same_requirement_added_on_both_sides_is_one_requirement() {
    let base = file(THREE);
    let mut both = THREE.to_vec();
    both.push(("REQ-9", "backlog"));
    let merged = m(&base, &file(&both), &file(&both));
    assert_eq!(merged.text, file(&both));
    let mut theirs = THREE.to_vec();
    theirs.push(("REQ-9", "red"));
    let merged = m(&base, &file(&both), &file(&theirs));
    assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
    assert_eq!(merged.conflicts[0].key, "tdd_stage");
    assert_eq!(by_id(&merged.text).len(), 4);
}

#[test]
fn removals_on_one_side_are_kept_wherever_they_are_in_the_list() {
    let five: Vec<(&str, &str)> = ["A-1", "A-2", "A-3", "A-4", "A-5"]
        .iter()
        .map(|id| (*id, "backlog"))
        .collect();
    let base = file(&five);
    // Every subset of removals, on either side, leaves valid JSON with the rest in order.
    for mask in 0u32..32 {
        let kept: Vec<(&str, &str)> = five
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) == 0)
            .map(|(_, r)| *r)
            .collect();
        let removed = file(&kept);
        for merged in [m(&base, &removed, &base), m(&base, &base, &removed)] {
            assert_eq!(merged.text, removed, "mask {mask:05b}");
        }
        // With theirs changing something else, the removal is cut out of theirs' text.
        let mut theirs = five.clone();
        theirs.push(("A-6", "red"));
        let merged = m(&base, &removed, &file(&theirs));
        let mut expected = kept.clone();
        expected.push(("A-6", "red"));
        assert_eq!(merged.text, file(&expected), "mask {mask:05b}");
    }
}

#[test]
fn removed_on_one_side_and_changed_on_the_other_is_a_conflict_and_nothing_is_lost() {
    let base = file(THREE);
    let removed = file(&[("REQ-1", "backlog"), ("REQ-3", "red")]);
    let changed = file(&[("REQ-1", "backlog"), ("REQ-2", "red"), ("REQ-3", "red")]);
    let merged = m(&base, &removed, &changed);
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].key, "");
    assert_eq!(merged.conflicts[0].ours, None);
    assert_eq!(
        merged.text, changed,
        "their change stays for a person to decide"
    );
    let merged = m(&base, &changed, &removed);
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].theirs, None);
    assert_eq!(stage_of(&merged.text, "REQ-2").as_deref(), Some("red"));
    assert_eq!(
        merged.conflicts[0].to_string(),
        "REQ-2: ours changed it, theirs removed it"
    );
}

#[test]
fn both_sides_changing_different_keys_merge_key_by_key() {
    let base = file(THREE);
    let ours = base.replace(
        "\"ears\": \"The system shall do REQ-2.\"",
        "\"ears\": \"The system shall do REQ-2 well.\"",
    );
    let theirs = file(&[("REQ-1", "backlog"), ("REQ-2", "red"), ("REQ-3", "red")]);
    let merged = m(&base, &ours, &theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    let req2 = &by_id(&merged.text)[1].1;
    assert_eq!(req2["ears"], "The system shall do REQ-2 well.");
    assert_eq!(req2["tdd_stage"], "red");
    // Only REQ-2's lines differ from theirs.
    let differing: Vec<(&str, &str)> = merged
        .text
        .lines()
        .zip(theirs.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert_eq!(merged.text.lines().count(), theirs.lines().count());
}

#[test]
fn nested_objects_merge_by_key_and_a_clash_names_the_dotted_key() {
    let base = r#"{"requirements": [{"id": "R-1", "impl": {"tests": [], "code": []}, "status": "draft"}]}"#;
    let ours = r#"{"requirements": [{"id": "R-1", "impl": {"tests": ["t.rs"], "code": []}, "status": "draft"}]}"#;
    let theirs = r#"{"requirements": [{"id": "R-1", "impl": {"tests": [], "code": ["c.rs"]}, "status": "done"}]}"#;
    let merged = m(base, ours, theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    let doc: Value = serde_json::from_str(&merged.text).unwrap();
    assert_eq!(
        doc["requirements"][0],
        json!({"id": "R-1", "impl": {"tests": ["t.rs"], "code": ["c.rs"]}, "status": "done"})
    );
    let theirs = r#"{"requirements": [{"id": "R-1", "impl": {"tests": ["u.rs"], "code": []}, "status": "draft"}]}"#;
    let merged = m(base, ours, theirs);
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert_eq!(
        (c.id.as_str(), c.key.as_str()),
        ("R-1", "impl.tests"),
        "{c:?}"
    );
    assert_eq!(c.ours, Some(json!(["t.rs"])));
    assert_eq!(c.theirs, Some(json!(["u.rs"])));
    assert!(
        merged.text.contains("t.rs"),
        "the text keeps ours until a person decides"
    );
}

#[test]
fn the_same_key_changed_both_ways_is_a_conflict_with_both_values() {
    let base = file(THREE);
    let ours = file(&[("REQ-1", "red"), ("REQ-2", "backlog"), ("REQ-3", "red")]);
    let theirs = file(&[
        ("REQ-1", "test_written"),
        ("REQ-2", "backlog"),
        ("REQ-3", "red"),
    ]);
    let merged = m(&base, &ours, &theirs);
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert_eq!((c.id.as_str(), c.key.as_str()), ("REQ-1", "tdd_stage"));
    assert_eq!(c.ours, Some(json!("red")));
    assert_eq!(c.theirs, Some(json!("test_written")));
    assert_eq!(
        c.to_string(),
        "REQ-1 \"tdd_stage\": ours \"red\", theirs \"test_written\""
    );
    assert_eq!(stage_of(&merged.text, "REQ-1").as_deref(), Some("red"));
}

#[test]
fn a_map_keyed_by_id_adds_and_removes_members_with_their_keys() {
    let base = "{\n  \"R-1\": {\"text\": \"a\", \"status\": \"draft\"},\n  \"R-2\": {\"text\": \"b\", \"status\": \"draft\"}\n}\n";
    let ours = "{\n  \"R-1\": {\"text\": \"a\", \"status\": \"draft\"},\n  \"R-2\": {\"text\": \"b\", \"status\": \"draft\"},\n  \"R-3\": {\"text\": \"c\", \"status\": \"draft\"}\n}\n";
    let theirs = "{\n  \"R-2\": {\"text\": \"b\", \"status\": \"draft\"}\n}\n";
    let merged = m(base, ours, theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    assert_eq!(
        merged.text,
        "{\n  \"R-2\": {\"text\": \"b\", \"status\": \"draft\"},\n  \"R-3\": {\"text\": \"c\", \"status\": \"draft\"}\n}\n"
    );
    let merged = m(base, theirs, ours);
    assert_eq!(
        merged.text,
        "{\n  \"R-2\": {\"text\": \"b\", \"status\": \"draft\"},\n  \"R-3\": {\"text\": \"c\", \"status\": \"draft\"}\n}\n"
    );
}

#[test]
fn appending_to_an_empty_list_and_to_a_one_line_file_keeps_their_layout() {
    let base = "{\n  \"requirements\": []\n}\n";
    let ours = "{\n  \"requirements\": [\n    {\"id\": \"R-1\", \"text\": \"a\"}\n  ]\n}\n";
    let theirs = "{\n  \"requirements\": [],\n  \"owner\": \"me\"\n}\n";
    let merged = m(base, ours, theirs);
    assert_eq!(
        merged.text,
        "{\n  \"requirements\": [\n    {\"id\": \"R-1\", \"text\": \"a\"}\n  ],\n  \"owner\": \"me\"\n}\n"
    );
    let base = r#"{"requirements": [{"id": "R-1"}]}"#;
    let ours = r#"{"requirements": [{"id": "R-1"}, {"id": "R-2"}]}"#;
    let theirs = r#"{"requirements": [{"id": "R-1"}, {"id": "R-3"}], "v": 2}"#;
    assert_eq!(
        m(base, ours, theirs).text,
        r#"{"requirements": [{"id": "R-1"}, {"id": "R-3"}, {"id": "R-2"}], "v": 2}"#
    );
}

#[test]
fn everything_outside_the_requirements_keeps_theirs_bytes_and_the_bom() {
    let base = format!("\u{FEFF}{}", file(THREE));
    let ours = format!(
        "\u{FEFF}{}",
        file(&[("REQ-1", "red"), ("REQ-2", "backlog"), ("REQ-3", "red")])
    );
    let theirs = format!(
        "\u{FEFF}{}",
        file(&[("REQ-1", "backlog"), ("REQ-2", "red"), ("REQ-3", "red")])
    )
    .replace("\"by hand\"", "\"by an agent\"");
    let merged = m(&base, &ours, &theirs);
    assert!(merged.text.starts_with('\u{FEFF}'));
    assert!(merged.text.contains("\"by an agent\""));
    assert_eq!(stage_of(&merged.text[3..], "REQ-1").as_deref(), Some("red"));
    assert_eq!(stage_of(&merged.text[3..], "REQ-2").as_deref(), Some("red"));
}

#[test]
fn an_unreadable_version_is_an_error_that_names_the_side() {
    let base = file(THREE);
    let ours = file(&[("REQ-1", "red"), ("REQ-2", "backlog"), ("REQ-3", "red")]);
    let half = &base[..base.len() / 2];
    let e = merge(&base, &ours, half, None).unwrap_err();
    assert!(
        matches!(
            e,
            MergeError::Unreadable {
                side: Side::Theirs,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().starts_with("their version cannot be read: "),
        "{e}"
    );
    let e = merge(&base, &base, half, None).unwrap_err();
    assert!(matches!(
        e,
        MergeError::Unreadable {
            side: Side::Theirs,
            ..
        }
    ));
    let theirs = file(&[("REQ-1", "backlog"), ("REQ-2", "red"), ("REQ-3", "red")]);
    let e = merge(half, &ours, &theirs, None).unwrap_err();
    assert!(matches!(
        e,
        MergeError::Unreadable {
            side: Side::Base,
            ..
        }
    ));
}

#[test]
fn duplicate_ids_pair_in_order_and_entries_without_ids_pair_by_text() {
    let base =
        r#"{"requirements": [{"id": "R-1", "s": 1}, {"id": "R-1", "s": 2}, {"text": "no id"}]}"#;
    let ours = r#"{"requirements": [{"id": "R-1", "s": 1}, {"id": "R-1", "s": 2}, {"text": "no id"}, {"id": "R-4"}]}"#;
    let theirs =
        r#"{"requirements": [{"id": "R-1", "s": 1}, {"id": "R-1", "s": 3}, {"text": "no id"}]}"#;
    let merged = m(base, ours, theirs);
    assert!(merged.is_clean());
    assert_eq!(
        merged.text,
        r#"{"requirements": [{"id": "R-1", "s": 1}, {"id": "R-1", "s": 3}, {"text": "no id"}, {"id": "R-4"}]}"#
    );
}

#[test]
fn sibling_requirement_lists_merge_each_requirement_in_its_own_list() {
    let base = r#"{
  "functional_requirements": [
    {"id": "F1", "ears": "The system shall f1.", "tdd_stage": "backlog"}
  ],
  "non_functional_requirements": [
    {"id": "N1", "ears": "The system shall n1.", "tdd_stage": "backlog"}
  ]
}"#;
    let ours = base.replace(
        r#""id": "N1", "ears": "The system shall n1.", "tdd_stage": "backlog""#,
        r#""id": "N1", "ears": "The system shall n1.", "tdd_stage": "red""#,
    );
    let theirs = base.replace(
        r#""id": "F1", "ears": "The system shall f1.", "tdd_stage": "backlog""#,
        r#""id": "F1", "ears": "The system shall f1.", "tdd_stage": "green""#,
    );
    let merged = m(base, &ours, &theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    let doc: Value = serde_json::from_str(&merged.text).unwrap();
    assert_eq!(doc["functional_requirements"][0]["tdd_stage"], "green");
    assert_eq!(doc["non_functional_requirements"][0]["tdd_stage"], "red");
    // A requirement added to the second list is appended to it, not to the first.
    let added = base.replace(
        "\"tdd_stage\": \"backlog\"}\n  ]\n}",
        "\"tdd_stage\": \"backlog\"},\n    {\"id\": \"N2\", \"ears\": \"n2\"}\n  ]\n}",
    );
    assert_ne!(added, base);
    let merged = m(base, &added, &theirs);
    let doc: Value = serde_json::from_str(&merged.text).unwrap();
    assert_eq!(doc["non_functional_requirements"][1]["id"], "N2");
    assert_eq!(doc["functional_requirements"].as_array().unwrap().len(), 1);
}

#[test]
fn a_list_one_side_turned_into_a_map_never_yields_a_broken_file() {
    let base = r#"{"requirements": [{"id": "R1", "ears": "a", "tdd_stage": "backlog"}, {"id": "R2", "ears": "b", "tdd_stage": "backlog"}]}"#;
    let ours = r#"{"requirements": [{"id": "R1", "ears": "a", "tdd_stage": "red"}, {"id": "R2", "ears": "b", "tdd_stage": "backlog"}]}"#;
    let theirs = r#"{"requirements": {"R2": {"ears": "b", "tdd_stage": "backlog"}}}"#;
    match merge(base, ours, theirs, None) {
        Ok(merged) => {
            let doc: Value = serde_json::from_str(&merged.text).expect("valid JSON");
            assert_eq!(
                doc["requirements"]["R1"]["tdd_stage"], "red",
                "{}",
                merged.text
            );
        }
        Err(e) => assert_eq!(e, MergeError::Unmergeable),
    }
}

#[test]
fn a_conflict_in_a_key_with_a_dot_keeps_its_path() {
    let base = r#"{"requirements": [{"id": "R1", "v1.2": "a"}]}"#;
    let ours = r#"{"requirements": [{"id": "R1", "v1.2": "b"}]}"#;
    let theirs = r#"{"requirements": [{"id": "R1", "v1.2": "c"}]}"#;
    let merged = m(base, ours, theirs);
    assert_eq!(merged.conflicts[0].path, ["v1.2"]);
    assert_eq!(merged.conflicts[0].key, "v1.2");
}

#[test]
fn a_file_both_sides_added_merges_as_two_sets_of_additions() {
    let ours = file(&[("REQ-1", "backlog"), ("REQ-2", "red")]);
    let theirs = file(&[("REQ-1", "backlog"), ("REQ-3", "green")]);
    let merged = m("", &ours, &theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    let ids: Vec<String> = by_id(&merged.text).into_iter().map(|(i, _)| i).collect();
    assert_eq!(ids, ["REQ-1", "REQ-3", "REQ-2"]);
    let clash = file(&[("REQ-1", "red")]);
    let merged = m("", &clash, &theirs);
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].key, "tdd_stage");
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    const STAGES: [&str; 5] = ["backlog", "test_written", "red", "green", "reviewed"];

    /// What a side does to the base: per requirement, nothing, a move, a text edit or a
    /// removal; then some requirements added under ids of its own.
    #[derive(Clone, Debug)]
    enum Op {
        Keep,
        Move(usize),
        Edit,
        Remove,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => Just(Op::Keep),
            2 => (0..5usize).prop_map(Op::Move),
            1 => Just(Op::Edit),
            1 => Just(Op::Remove),
        ]
    }

    fn base_reqs(n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| {
                json!({"id": format!("REQ-{i:03}"), "ears": format!("Text {i}."),
                       "tdd_stage": STAGES[i % 5], "tests": [format!("t{i}.rs")]})
            })
            .collect()
    }

    fn write(reqs: &[Value]) -> String {
        write_in(reqs, 0)
    }

    /// The same document in one of the layouts files use: pretty, one line, CRLF, with a BOM.
    fn write_in(reqs: &[Value], layout: usize) -> String {
        let doc = json!({"version": 1, "requirements": reqs});
        match layout {
            1 => serde_json::to_string(&doc).unwrap(),
            2 => serde_json::to_string_pretty(&doc)
                .unwrap()
                .replace('\n', "\r\n"),
            3 => format!("\u{FEFF}{}", serde_json::to_string_pretty(&doc).unwrap()),
            _ => serde_json::to_string_pretty(&doc).unwrap(),
        }
    }

    /// Applies ops to the base (only where `mine` says the requirement is this side's to
    /// touch) and adds `added` requirements with ids tagged by `tag`.
    fn side(
        base: &[Value],
        ops: &[Op],
        mine: &dyn Fn(usize) -> bool,
        added: usize,
        tag: &str,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        for (i, (req, op)) in base.iter().zip(ops).enumerate() {
            let mut req = req.clone();
            match op {
                _ if !mine(i) => {}
                Op::Keep => {}
                Op::Move(s) => req["tdd_stage"] = json!(STAGES[*s]),
                Op::Edit => req["ears"] = json!(format!("Edited by {tag}.")),
                Op::Remove => continue,
            }
            out.push(req);
        }
        for k in 0..added {
            out.push(json!({"id": format!("{tag}-{k}"), "ears": "New.", "tdd_stage": "backlog"}));
        }
        out
    }

    fn as_map(text: &str) -> Vec<(String, Value)> {
        let mut v = by_id(text.trim_start_matches('\u{FEFF}'));
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_two_sides_merge_to_valid_json_holding_every_one_sided_change(
            n in 1..10usize,
            ours_ops in prop::collection::vec(op(), 10),
            theirs_ops in prop::collection::vec(op(), 10),
            ours_added in 0..3usize,
            theirs_added in 0..3usize,
            layout in 0..4usize,
        ) {
            let base = base_reqs(n);
            let b = write_in(&base, layout);
            let ours = side(&base, &ours_ops, &|_| true, ours_added, "O");
            let theirs = side(&base, &theirs_ops, &|_| true, theirs_added, "T");
            let merged = m(&b, &write_in(&ours, layout), &write_in(&theirs, layout));
            let got = as_map(&merged.text);
            let find = |list: &[Value], id: &str| list.iter().find(|r| r["id"] == id).cloned();
            for (i, req) in base.iter().enumerate() {
                let id = req["id"].as_str().unwrap();
                let (o, t) = (find(&ours, id), find(&theirs, id));
                let in_result = got.iter().find(|(k, _)| k == id).map(|(_, v)| v.clone());
                let (o_same, t_same) = (o.as_ref() == Some(req), t.as_ref() == Some(req));
                if o_same {
                    prop_assert_eq!(&in_result, &t, "{} only theirs changed (#{})", id, i);
                } else if t_same {
                    prop_assert_eq!(&in_result, &o, "{} only ours changed (#{})", id, i);
                } else if o == t {
                    prop_assert_eq!(&in_result, &o);
                } else if let (Some(Value::Object(ov)), Some(Value::Object(tv)), Value::Object(bv)) =
                    (&o, &t, req)
                {
                    // Both changed it: key by key, a key both changed differently is a conflict
                    // that keeps ours; every other key holds the side that changed it.
                    let mut want = serde_json::Map::new();
                    let mut clash = false;
                    for key in tv.keys().chain(ov.keys().filter(|k| !tv.contains_key(*k))) {
                        let (bk, ok, tk) = (bv.get(key), ov.get(key), tv.get(key));
                        let v = if ok == tk || ok == bk {
                            tk
                        } else if tk == bk {
                            ok
                        } else {
                            clash = true;
                            ok
                        };
                        if let Some(v) = v {
                            want.insert(key.clone(), v.clone());
                        }
                    }
                    prop_assert_eq!(in_result, Some(Value::Object(want)), "{} merged by key", id);
                    prop_assert_eq!(merged.conflicts.iter().any(|c| c.id == id), clash);
                } else {
                    // One side removed it and the other changed it: a conflict names it, and
                    // nothing is lost: the changed requirement stays.
                    prop_assert!(merged.conflicts.iter().any(|c| c.id == id), "{} removed and changed", id);
                    prop_assert!(in_result.is_some());
                }
            }
            for r in ours.iter().chain(&theirs) {
                let id = r["id"].as_str().unwrap();
                if id.starts_with('O') || id.starts_with('T') {
                    prop_assert!(got.iter().any(|(k, _)| k == id), "added {} is kept", id);
                }
            }
            prop_assert_eq!(merged.text.starts_with('\u{FEFF}'), layout == 3);
            prop_assert_eq!(merged.text.contains("\r\n"), layout == 2);
        }

        #[test]
        fn one_sided_merges_take_that_side(
            n in 1..12usize, ops in prop::collection::vec(op(), 12), added in 0..3usize
        ) {
            let base = base_reqs(n);
            let b = write(&base);
            let x = write(&side(&base, &ops, &|_| true, added, "X"));
            prop_assert_eq!(&m(&b, &b, &x).text, &x);
            prop_assert_eq!(&m(&b, &x, &b).text, &x);
        }

        #[test]
        fn disjoint_changes_merge_cleanly_commute_and_hold_both_sides(
            n in 1..12usize,
            ours_ops in prop::collection::vec(op(), 12),
            theirs_ops in prop::collection::vec(op(), 12),
            ours_added in 0..3usize,
            theirs_added in 0..3usize,
        ) {
            let base = base_reqs(n);
            let b = write(&base);
            // Even requirements are ours to change, odd ones theirs.
            let o = write(&side(&base, &ours_ops, &|i| i % 2 == 0, ours_added, "O"));
            let t = write(&side(&base, &theirs_ops, &|i| i % 2 == 1, theirs_added, "T"));
            let ot = m(&b, &o, &t);
            let to = m(&b, &t, &o);
            prop_assert!(ot.is_clean(), "{:?}", ot.conflicts);
            prop_assert!(to.is_clean(), "{:?}", to.conflicts);
            prop_assert_eq!(as_map(&ot.text), as_map(&to.text));
            // Both sides' changes are in it: what each side did to its own requirements.
            let mut want: Vec<(String, Value)> = Vec::new();
            for (i, req) in base.iter().enumerate() {
                let ops = if i % 2 == 0 { &ours_ops } else { &theirs_ops };
                let tag = if i % 2 == 0 { "O" } else { "T" };
                let one = side(std::slice::from_ref(req), &ops[i..=i], &|_| true, 0, tag);
                want.extend(one.into_iter().map(|r| (r["id"].as_str().unwrap().to_owned(), r)));
            }
            for (tag, added) in [("O", ours_added), ("T", theirs_added)] {
                for r in side(&[], &[], &|_| true, added, tag) {
                    want.push((r["id"].as_str().unwrap().to_owned(), r));
                }
            }
            want.sort_by(|a, b| a.0.cmp(&b.0));
            prop_assert_eq!(as_map(&ot.text), want);
            // And the board reads the merged file with every one of those requirements.
            let (board, _) = crate::board::Board::import("m.json", ot.text.as_bytes()).unwrap();
            prop_assert_eq!(board.cards().count(), as_map(&ot.text).len());
        }
    }
}
