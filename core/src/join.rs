//! Tests, code and statuses that a file keeps beside its requirements, joined to them by id.
//!
//! Many files keep requirements in one container and their evidence in another: a `coverage`
//! map keyed by requirement id, a `links` or `sourceMap` whose members name requirement ids, or
//! an `acceptance` list whose ids the requirements list. This module finds such containers and
//! reads what each says about each requirement (`requirement::Linked`). It only reads: export
//! writes each byte where it was, because nothing here is ever written back.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::Value;

use crate::board::EntryIndex;
use crate::fields::looks_like_id_key;
use crate::matrix::{Candidate, Shape};
use crate::requirement::{Linked, scalar_text};

/// Each requirement's lists of strings, by key: what it may point at in another container.
pub type Refs = Vec<(EntryIndex, Vec<(String, Vec<String>)>)>;

/// One container joined to the requirements, for the import report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    /// The container's path, as `Candidate::path`.
    pub container: String,
    /// How many requirements it gave tests, code or a status.
    pub linked: usize,
    /// How it names them: "keyed by requirement id", "by its \"requirementId\"", "named in
    /// the requirements' \"acceptanceCriteria\"".
    pub how: String,
}

/// The cards by id. One map type for all lookups (the same `HashMap<String, EntryIndex>` the
/// board uses for duplicates), so the download carries one hash map's code for them; the
/// rare repeated ids wait in a list beside it.
struct Ids {
    first: HashMap<String, EntryIndex>,
    repeated: Vec<(String, EntryIndex)>,
}

impl Ids {
    fn new(ids: &[(EntryIndex, String)]) -> Ids {
        let mut first = HashMap::new();
        let mut repeated = Vec::new();
        for (entry, id) in ids {
            if first.contains_key(id) {
                repeated.push((id.clone(), *entry));
            } else {
                first.insert(id.clone(), *entry);
            }
        }
        Ids { first, repeated }
    }

    fn contains(&self, id: &str) -> bool {
        self.first.contains_key(id)
    }

    /// Every card with this id, the first one first.
    fn cards<'a>(&'a self, id: &'a str) -> impl Iterator<Item = EntryIndex> + 'a {
        self.first.get(id).copied().into_iter().chain(
            self.repeated
                .iter()
                .filter(move |(other, _)| other == id)
                .map(|(_, entry)| *entry),
        )
    }
}

/// Whether some container beside the requirements holds objects the requirements could
/// name: only then are their lists of strings worth keeping for `link` (`lists_of`).
pub fn may_be_pointed_at(shape: &Shape) -> bool {
    let chosen: Vec<&Range<usize>> = shape.chosen().map(|c| &c.span).collect();
    shape.candidates.iter().any(|c| {
        c.objects > 0 && !c.path.is_empty() && !chosen.iter().any(|s| overlaps(s, &c.span))
    })
}

/// A requirement's lists of strings, by key, for joins that the requirements point at
/// (`acceptanceCriteria: ["AC-1"]`).
pub fn lists_of(value: &Value) -> Vec<(String, Vec<String>)> {
    let Value::Object(obj) = value else {
        return Vec::new();
    };
    obj.iter()
        .filter_map(|(k, v)| match v {
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
                Some((
                    k.clone(),
                    items
                        .iter()
                        .filter_map(|i| i.as_str().map(|s| s.trim().to_owned()))
                        .collect(),
                ))
            }
            _ => None,
        })
        .collect()
}

/// What each requirement links to, by entry index (`entries` slots), and the joins found.
/// `ids` are the placed cards' ids; `refs` each card's lists of strings, by key, for joins the
/// requirements point at.
pub fn link(
    text: &str,
    shape: &Shape,
    entries: usize,
    ids: &[(EntryIndex, String)],
    refs: &Refs,
) -> (Vec<Option<Linked>>, Vec<Join>) {
    let mut linked: Vec<Option<Linked>> = vec![None; entries];
    let mut joins = Vec::new();
    if ids.is_empty() {
        return (linked, joins);
    }
    // Built when a container first could join: most files have none beside the requirements.
    let mut by_id: Option<Ids> = None;
    let mut joined: Vec<Range<usize>> = Vec::new();
    let chosen: Vec<Range<usize>> = shape.chosen().map(|c| c.span.clone()).collect();
    // Containers of records: what lies inside one of their members belongs to that record,
    // not beside the requirements. A plain map that only groups others is not one.
    let tables: Vec<Range<usize>> = shape
        .candidates
        .iter()
        .filter(|c| !c.path.is_empty() && (c.qualifies || !c.is_map && c.objects >= 2))
        .map(|c| c.span.clone())
        .collect();
    // Keyed maps first: they are the most direct join, and a later join that only repeats
    // what they gave adds nothing.
    for pass in 0..3 {
        for candidate in &shape.candidates {
            let related = chosen.iter().any(|s| overlaps(s, &candidate.span));
            let inside_table = tables.iter().any(|t| {
                *t != candidate.span
                    && t.start <= candidate.span.start
                    && candidate.span.end <= t.end
            });
            if related || inside_table || candidate.members == 0 || candidate.path.is_empty() {
                continue;
            }
            if joins.iter().any(|j: &Join| j.container == candidate.path) {
                continue;
            }
            // Inside a container already joined: part of what it gave.
            if joined.iter().any(|s: &Range<usize>| {
                s.start <= candidate.span.start && candidate.span.end <= s.end
            }) {
                continue;
            }
            // Only a map with keys like ids can be keyed by them, only objects can name them,
            // and only requirements that list strings can point at members: skip parsing what
            // cannot join in this pass.
            let keyed_by_ids = candidate.is_map && candidate.id_keys * 2 >= candidate.keys_sampled;
            let can = match pass {
                0 => keyed_by_ids,
                1 => candidate.objects > 0,
                _ => !refs.is_empty() && (candidate.objects > 0),
            };
            if !can {
                continue;
            }
            let Some(value) = text
                .get(candidate.span.clone())
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
            else {
                continue;
            };
            let mut add = Adder {
                linked: &mut linked,
                from: &candidate.path,
                touched: vec![false; entries],
                count: 0,
            };
            let by_id = by_id.get_or_insert_with(|| Ids::new(ids));
            let how = match pass {
                0 => keyed(&value, by_id, &mut add),
                1 => naming(candidate, &value, by_id, &mut add),
                _ => pointed_at(candidate, &value, refs, &mut add),
            };
            if let Some(how) = how
                && add.count > 0
            {
                joined.push(candidate.span.clone());
                joins.push(Join {
                    container: candidate.path.clone(),
                    linked: add.count,
                    how,
                });
            }
        }
    }
    for slot in &mut linked {
        if slot.as_ref().is_some_and(Linked::is_empty) {
            *slot = None;
        }
    }
    (linked, joins)
}

/// Adds linked values to requirements and counts those it gave something.
struct Adder<'a> {
    linked: &'a mut Vec<Option<Linked>>,
    from: &'a str,
    touched: Vec<bool>,
    count: usize,
}

impl Adder<'_> {
    fn add(&mut self, entry: EntryIndex, value: &Value) {
        let Some(slot) = self.linked.get_mut(entry) else {
            return;
        };
        if slot
            .get_or_insert_with(Linked::default)
            .add(self.from, value)
            && let Some(touched) = self.touched.get_mut(entry)
            && !*touched
        {
            *touched = true;
            self.count += 1;
        }
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// A map keyed by requirement ids: `coverage: {"REQ-1": ["src/a.ts"]}`.
fn keyed(value: &Value, by_id: &Ids, add: &mut Adder) -> Option<String> {
    let map = value.as_object()?;
    let hits = map.keys().filter(|k| by_id.contains(k.trim())).count();
    if hits == 0 || hits * 2 < map.len() {
        return None;
    }
    for (key, member) in map {
        for entry in by_id.cards(key.trim()) {
            add.add(entry, member);
        }
    }
    Some("keyed by requirement id".to_owned())
}

/// Members that name requirement ids under one key: `links: [{"requirementId": "REQ-1",
/// "testIds": [...]}]`, `sourceMap: {"src/a.ts": {"requirements": ["REQ-1"], "tests": [...]}}`.
fn naming(candidate: &Candidate, value: &Value, by_id: &Ids, add: &mut Adder) -> Option<String> {
    let members: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => map.values().collect(),
        _ => return None,
    };
    let objects: Vec<&serde_json::Map<String, Value>> =
        members.iter().filter_map(|m| m.as_object()).collect();
    if objects.is_empty() {
        return None;
    }
    // The key whose values name the most requirements, in at least half the members.
    let mut best: Option<(&str, usize)> = None;
    for key in candidate.keys.iter().filter(|k| k.0.len() == 1) {
        let key = key.0[0].as_str();
        let hits = objects
            .iter()
            .filter(|o| strings(o.get(key)).iter().any(|s| by_id.contains(s)))
            .count();
        if hits * 2 >= objects.len() && hits > best.map_or(0, |(_, h)| h) {
            best = Some((key, hits));
        }
    }
    let (key, _) = best?;
    for object in &objects {
        let member = Value::Object((*object).clone());
        for id in strings(object.get(key)) {
            for entry in by_id.cards(&id) {
                add.add(entry, &member);
            }
        }
    }
    Some(format!("by its \"{key}\""))
}

/// A container whose members' ids the requirements list: `requirements[].acceptanceCriteria`
/// naming `acceptance[].id`.
fn pointed_at(
    candidate: &Candidate,
    value: &Value,
    refs: &Refs,
    add: &mut Adder,
) -> Option<String> {
    // Members by id: their place in `values`, under the same map type as `Ids`.
    let mut values: Vec<&Value> = Vec::new();
    let mut members: HashMap<String, EntryIndex> = HashMap::new();
    match value {
        // Only members named like ids (`AC-01`, `FF-AUTH-001-AC01`): a map of words
        // (`components: {"export": …}`) is not records the requirements point at.
        Value::Object(map) => {
            for (k, v) in map {
                if looks_like_id_key(k) && v.is_object() {
                    members.insert(k.trim().to_owned(), values.len());
                    values.push(v);
                }
            }
        }
        Value::Array(items) => {
            let id_key = candidate.fields.id.first()?;
            for item in items {
                if let Some(id) = item
                    .as_object()
                    .and_then(|o| id_key.get(o))
                    .and_then(scalar_text)
                    .filter(|id| looks_like_id_key(id))
                {
                    members.insert(id, values.len());
                    values.push(item);
                }
            }
        }
        _ => return None,
    }
    if members.is_empty() {
        return None;
    }
    // Per key of the requirements: how many of the strings they list name a member. Few keys,
    // so a list is enough.
    let mut tally: Vec<(&str, usize, usize)> = Vec::new();
    for (_, lists) in refs {
        for (key, items) in lists {
            let at = match tally.iter().position(|(k, _, _)| *k == key.as_str()) {
                Some(at) => at,
                None => {
                    tally.push((key.as_str(), 0, 0));
                    tally.len() - 1
                }
            };
            tally[at].1 += items.len();
            tally[at].2 += items
                .iter()
                .filter(|i| members.contains_key(i.as_str()))
                .count();
        }
    }
    let (key, _, _) = tally
        .into_iter()
        .filter(|(_, all, hits)| *hits > 0 && hits * 2 >= *all)
        .max_by_key(|(_, _, hits)| *hits)?;
    let key = key.to_owned();
    for (entry, lists) in refs {
        for (k, items) in lists {
            if *k != key {
                continue;
            }
            for item in items {
                if let Some(member) = members.get(item.as_str()).and_then(|i| values.get(*i)) {
                    add.add(*entry, member);
                }
            }
        }
    }
    Some(format!("named in the requirements' \"{key}\""))
}

/// A string, or the strings of a list, trimmed.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(v) => scalar_text(v).into_iter().collect(),
        None => Vec::new(),
    }
}
