//! Where a file keeps its requirements, whatever its shape.
//!
//! The walk visits every list and map of the file (a sample of the members of long ones) and
//! scores each as a candidate by how much its members look like requirements: an id-like key
//! or map keys that look like ids, a text-like key, keys shared across members, tests, code or
//! a status, and a little for a name such as `requirements` or `stories`. Size only breaks
//! near ties, so a requirement's own list of 219 test objects never wins: a candidate inside a
//! member of a better one is not a candidate at all.

use std::ops::Range;

use serde_json::Value;

use super::is_requirements_key;
use super::scan::{Limits, Node, scan};
use crate::fields::{Fields, SAMPLE, looks_like_id_key};
use crate::vocabulary::{
    CODE_KEYS, CONTAINER_KEYS, EVIDENCE_KEYS, GROUP_KEYS, TEST_KEYS, normalize_key,
};

/// The keys of a requirement's own parts: a list under one of them inside a requirement is
/// that requirement's tests or code, never the board.
const PART_KEYS: [&[&str]; 4] = [TEST_KEYS, CODE_KEYS, EVIDENCE_KEYS, GROUP_KEYS];

/// Keys the board writes into a requirement: left out of what the walk compares, so moves
/// never change how a file's shape is read (nor its signature), and never walked into.
const BOARD_KEYS: [&str; 4] = [
    "tdd_stage",
    "tdd_history",
    "governance_status",
    "last_reviewed_by",
];

/// How deep below the root the walk looks.
const MAX_DEPTH: usize = 8;
/// How many members of one list the walk descends into; the rest are like them.
const DESCEND_LIST: usize = 64;
/// How many values of one map the walk descends into.
const DESCEND_MAP: usize = 256;
/// At most this many containers are recorded, however large the file.
const MAX_CONTAINERS: usize = 4096;

/// A list or a map of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Its path from the root, as a person reads it: `requirements`, `levels[0].items`,
    /// `versions["2.0"].needs`; empty for the root.
    pub path: String,
    /// Its last key, or `None` for the root and list items.
    pub key: Option<String>,
    pub span: Range<usize>,
    pub is_map: bool,
    pub members: usize,
    /// Members that are objects.
    pub objects: usize,
    /// Members that are strings.
    pub strings: usize,
    /// Of the sampled map keys, how many look like ids.
    pub id_keys: usize,
    /// Keys sampled (the map's, or none for a list).
    pub keys_sampled: usize,
    /// The fields its sampled members suggest.
    pub fields: Fields,
    /// How much it looks like a list of requirements.
    pub score: f64,
    /// The average share of each sampled object's keys that most of them have.
    pub uniformity: f64,
    /// Whether it looks enough like requirements to be the board.
    pub qualifies: bool,
    /// Every key its sampled object members have (one level of groups inside), for the
    /// "Fields" dialog.
    pub keys: Vec<crate::fields::KeyPath>,
    /// Its container among those `scan` found, whose members become the entries.
    pub(super) node: usize,
}

impl Candidate {
    /// Whether its members are texts keyed by id: such requirements show but cannot record
    /// moves.
    pub fn is_text_map(&self) -> bool {
        self.is_map && self.strings > self.objects
    }

    /// "a list of 398 objects", "a map of 16 texts", for messages.
    pub fn describe(&self) -> String {
        let kind = if self.is_map { "map" } else { "list" };
        if self.objects == 0 && self.strings == 0 {
            return format!("a {kind} of {} value{}", self.members, plural(self.members));
        }
        let what = if self.objects >= self.strings {
            ("object", self.objects)
        } else {
            ("text", self.strings)
        };
        format!("a {kind} of {} {}{}", what.1, what.0, plural(what.1))
    }

    /// Its path for messages: `"requirements"`, or "the file itself" for the root.
    pub fn name(&self) -> String {
        if self.path.is_empty() {
            "the file itself".to_owned()
        } else {
            format!("\"{}\"", self.path)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What the walk found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shape {
    /// Every container seen, best candidates first.
    pub candidates: Vec<Candidate>,
    /// The candidates that form the board (several only for sibling `*_requirements`).
    pub chosen: Vec<usize>,
    /// No container looked like requirements, but one holds objects: the board shows it with
    /// what it could guess and asks the person to choose the fields.
    pub undecided: bool,
    /// The person chose a container that is not in the file any more; the board chose again.
    pub choice_missing: bool,
    /// What files of this shape have in common, whatever their data: the root's keys, where
    /// the board would find the requirements and their keys. A choice of fields is remembered
    /// under it, so the next file of the same shape opens the same way.
    pub signature: String,
}

impl Shape {
    pub fn chosen(&self) -> impl Iterator<Item = &Candidate> {
        self.chosen.iter().filter_map(|i| self.candidates.get(*i))
    }

    /// The best candidates that are not the board, for the report to name. A container that
    /// holds the board (`versions` around `versions["2.0"].needs`) is not another choice.
    pub fn others(&self) -> impl Iterator<Item = &Candidate> {
        let chosen: Vec<&Range<usize>> = self.chosen().map(|c| &c.span).collect();
        self.candidates
            .iter()
            .enumerate()
            .filter(move |(i, c)| {
                c.qualifies
                    && !self.chosen.contains(i)
                    && !chosen.iter().any(|s| nested(s, &c.span))
            })
            .map(|(_, c)| c)
    }
}

/// Walks the file from `root` and chooses where its requirements are. `choice` is a
/// container a person chose, by path.
pub(super) fn find(text: &str, choice: Option<&str>) -> (Shape, Vec<Node>) {
    let limits = Limits {
        depth: MAX_DEPTH,
        list_members: DESCEND_LIST,
        map_members: DESCEND_MAP,
        nodes: MAX_CONTAINERS,
        skip_keys: &BOARD_KEYS,
    };
    let (nodes, root) = scan(text, &limits);
    let mut walk = Walk {
        text,
        nodes: &nodes,
        found: Vec::new(),
    };
    if let Some(root) = root {
        walk.visit(root, String::new(), None, 0);
    }
    let shape = decide(walk.found, root.and_then(|r| nodes.get(r)), choice);
    (shape, nodes)
}

/// Scores what the walk found and chooses the board.
fn decide(mut found: Vec<Candidate>, root: Option<&Node>, choice: Option<&str>) -> Shape {
    for candidate in &mut found {
        score(candidate);
    }
    // A candidate inside a member of a better one is part of that one's requirements.
    // So is a list that is a part of each member of a qualifying one: its `tests`, `code`,
    // `evidence`, whatever its members look like.
    // And a list inside the members of a list of identified requirements (each with an id)
    // is theirs: sub-requirements or parts, never a board of their own.
    let spans: Vec<(Range<usize>, f64, bool, bool)> = found
        .iter()
        .map(|c| {
            let identified = !c.is_map && !c.fields.id.is_empty();
            (c.span.clone(), c.score, c.qualifies, identified)
        })
        .collect();
    for candidate in &mut found {
        let own_part = candidate
            .key
            .as_deref()
            .map(normalize_key)
            .is_some_and(|k| PART_KEYS.iter().any(|keys| keys.contains(&k.as_str())));
        let inside_better = spans.iter().any(|(span, score, qualifies, identified)| {
            *qualifies
                && *span != candidate.span
                && span.start <= candidate.span.start
                && candidate.span.end <= span.end
                && (*score >= candidate.score || own_part || *identified)
        });
        if inside_better {
            candidate.qualifies = false;
        }
    }
    // Best first; ties keep file order. Inserted in place rather than sorted, which keeps a
    // sort routine out of the download.
    let mut ranked: Vec<Candidate> = Vec::with_capacity(found.len());
    for candidate in found {
        let at = ranked.partition_point(|c| {
            c.qualifies && !candidate.qualifies
                || c.qualifies == candidate.qualifies && c.score >= candidate.score
        });
        ranked.insert(at, candidate);
    }
    let candidates = ranked;
    let signature = signature(root, candidates.first());
    let mut shape = Shape {
        candidates,
        signature,
        ..Shape::default()
    };
    if let Some(path) = choice {
        match shape.candidates.iter().position(|c| c.path == path) {
            Some(i) => {
                shape.chosen = vec![i];
                return shape;
            }
            None => shape.choice_missing = true,
        }
    }
    if shape.candidates.first().is_some_and(|c| c.qualifies) {
        let best = &shape.candidates[0];
        let mut chosen = vec![0];
        // Sibling `functional_requirements` and `non_functional_requirements` are one board.
        if best.key.as_deref().is_some_and(is_requirements_key) {
            for (i, other) in shape.candidates.iter().enumerate().skip(1) {
                // Siblings by name, not the same list inside each member of another (those are
                // every requirement's own sub-requirements), and never one inside another.
                let sibling = other.qualifies
                    && other.key.as_deref().is_some_and(is_requirements_key)
                    && other.score * 2.0 >= best.score
                    && !other.path.contains('[')
                    && !best.path.contains('[')
                    && chosen.iter().all(|j: &usize| {
                        let span = &shape.candidates[*j].span;
                        !nested(&other.span, span) && !nested(span, &other.span)
                    });
                if sibling {
                    chosen.push(i);
                }
            }
            // File order, as the entries are read.
            let mut in_order: Vec<usize> = Vec::with_capacity(chosen.len());
            for i in chosen {
                let start = shape.candidates[i].span.start;
                let at = in_order.partition_point(|j| shape.candidates[*j].span.start < start);
                in_order.insert(at, i);
            }
            chosen = in_order;
        }
        shape.chosen = chosen;
        return shape;
    }
    // Nothing qualifies. An empty `requirements` list is an empty matrix, not a refusal.
    if let Some(i) = shape
        .candidates
        .iter()
        .position(|c| c.members == 0 && c.key.as_deref().is_some_and(is_requirements_key))
    {
        shape.chosen = vec![i];
        return shape;
    }
    if let Some(i) = shape
        .candidates
        .iter()
        .position(|c| c.members == 0 && c.path.is_empty() && !c.is_map)
    {
        shape.chosen = vec![i];
        return shape;
    }
    // Objects that share keys but have no id or text: the person decides.
    // Not one inside another container's members (a requirement's own lists), and of equal
    // ones the first in the file.
    let inside_other = |c: &Candidate| {
        shape.candidates.iter().any(|o| {
            !o.path.is_empty() && o.objects > 0 && o.span != c.span && nested(&c.span, &o.span)
        })
    };
    let mut undecided: Option<usize> = None;
    for (i, c) in shape.candidates.iter().enumerate() {
        let fit =
            c.objects >= 2 && c.objects * 2 >= c.members && uniformity_ok(c) && !inside_other(c);
        let better = undecided.is_none_or(|u| {
            let u = &shape.candidates[u];
            c.objects > u.objects || c.objects == u.objects && c.span.start < u.span.start
        });
        if fit && better {
            undecided = Some(i);
        }
    }
    if let Some(i) = undecided {
        shape.chosen = vec![i];
        shape.undecided = true;
    }
    shape
}

/// The shape's signature (see `Shape::signature`): a 64-bit FNV-1a hash, in hex, of the
/// root's keys, the best candidate's path and its members' keys, each sorted. Written here
/// because it is twelve lines and a hashing crate would add to the download for it.
fn signature(root: Option<&Node>, best: Option<&Candidate>) -> String {
    let mut parts: Vec<String> = Vec::new();
    match root {
        // A root keyed by ids has keys that change with the data; only its being keyed counts.
        Some(root)
            if root.is_map
                && root
                    .members
                    .iter()
                    .filter(|(k, _)| k.as_deref().is_some_and(looks_like_id_key))
                    .count()
                    * 2
                    > root.members.len() =>
        {
            parts.push("{keyed}".to_owned());
        }
        Some(root) if root.is_map => {
            let keys = in_order(root.members.iter().filter_map(|(k, _)| k.clone()));
            parts.push(format!("{{{}}}", keys.join(",")));
        }
        Some(_) => parts.push("[]".to_owned()),
        None => {}
    }
    if let Some(best) = best {
        parts.push(best.path.clone());
        let keys = in_order(
            best.keys
                .iter()
                .filter(|k| k.0.len() == 1)
                .map(ToString::to_string),
        );
        parts.push(keys.join(","));
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.join("\n").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Strings in byte order, each inserted in place (no sort routine in the download).
fn in_order(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let at = out.partition_point(|k| *k < item);
        out.insert(at, item);
    }
    out
}

fn uniformity_ok(c: &Candidate) -> bool {
    c.uniformity >= 0.5
}

fn nested(inner: &Range<usize>, outer: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// A member larger than this is not a row of a table (a requirement is a few KB at most):
/// it is counted by its kind but not parsed for the sample, so a file's root, whose members
/// are whole tables, is never parsed whole again.
const MAX_ROW_BYTES: usize = 64 * 1024;
/// An object with more keys than this is a map of its own, not a row.
const MAX_ROW_KEYS: usize = 256;

/// The first `SAMPLE` members of a container: every member's kind, and the small ones parsed.
struct Sample {
    kinds: Vec<Option<char>>,
    /// The members that are rows: parsed objects of at most `MAX_ROW_KEYS` keys, and strings.
    rows: Vec<Value>,
}

impl Sample {
    /// Members spread evenly over the container (the first, the last and between), so a key
    /// that only later members have is seen too.
    fn of(text: &str, members: &[(Option<String>, Range<usize>)]) -> Sample {
        let mut kinds = Vec::new();
        let mut rows = Vec::new();
        let n = members.len();
        let taken = n.min(SAMPLE);
        for k in 0..taken {
            let index = if taken < 2 {
                k
            } else {
                k * (n - 1) / (taken - 1)
            };
            let Some(raw) = members
                .get(index)
                .and_then(|(_, span)| text.get(span.clone()))
            else {
                continue;
            };
            let kind = raw.chars().next();
            kinds.push(kind);
            if raw.len() > MAX_ROW_BYTES || !matches!(kind, Some('{' | '"')) {
                continue;
            }
            match serde_json::from_str::<Value>(raw) {
                Ok(Value::Object(obj)) if obj.len() > MAX_ROW_KEYS => {}
                Ok(Value::Object(mut obj)) => {
                    for key in BOARD_KEYS {
                        obj.shift_remove(key);
                    }
                    rows.push(Value::Object(obj));
                }
                Ok(value) => rows.push(value),
                Err(_) => {}
            }
        }
        Sample { kinds, rows }
    }
}

struct Walk<'a> {
    text: &'a str,
    nodes: &'a [Node],
    found: Vec<Candidate>,
}

impl Walk<'_> {
    fn visit(&mut self, node: usize, path: String, key: Option<String>, depth: usize) {
        let Some(n) = self.nodes.get(node) else {
            return;
        };
        if self.found.len() >= MAX_CONTAINERS {
            return;
        }
        let sample = Sample::of(self.text, &n.members);
        let keys: Vec<&str> = n
            .members
            .iter()
            .take(SAMPLE)
            .filter_map(|(k, _)| k.as_deref())
            .collect();
        self.record(
            &path,
            key,
            n.span.clone(),
            n.is_map,
            n.members.len(),
            &sample,
            &keys,
        );
        if let Some(candidate) = self.found.last_mut() {
            candidate.node = node;
        }
        // The values of a large map that holds no objects (a `coverage` map of path lists
        // keyed by id) are its own data, not containers of requirements.
        let descend = !n.is_map || n.members.len() <= 16 || sample.kinds.contains(&Some('{'));
        if depth >= MAX_DEPTH || !descend {
            return;
        }
        for &(index, inner) in &n.inner {
            let (child_path, child_key) = match n.members.get(index).and_then(|(k, _)| k.clone()) {
                Some(k) => (join_path(&path, &k), Some(k)),
                None => (format!("{path}[{index}]"), None),
            };
            self.visit(inner, child_path, child_key, depth + 1);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        path: &str,
        key: Option<String>,
        span: Range<usize>,
        is_map: bool,
        members: usize,
        sample: &Sample,
        keys: &[&str],
    ) {
        let objects_sampled = sample.kinds.iter().filter(|k| **k == Some('{')).count();
        let strings_sampled = sample.kinds.iter().filter(|k| **k == Some('"')).count();
        // Counts scaled from the sample to the whole container.
        let scale = |n: usize| {
            if sample.kinds.is_empty() {
                0
            } else {
                n * members / sample.kinds.len()
            }
        };
        let sample = &sample.rows;
        let refs: Vec<&Value> = sample.iter().collect();
        let fields = if objects_sampled > 0 {
            Fields::detect(&refs)
        } else {
            Fields::default()
        };
        let mut all_keys: Vec<crate::fields::KeyPath> = Vec::new();
        for obj in sample.iter().filter_map(Value::as_object) {
            for (k, v) in obj {
                let path = crate::fields::KeyPath::key(k);
                if all_keys.len() < 400 && !all_keys.contains(&path) {
                    all_keys.push(path);
                }
                if let Value::Object(inner) = v {
                    for ik in inner.keys() {
                        let path = crate::fields::KeyPath::nested(k, ik);
                        if all_keys.len() < 400 && !all_keys.contains(&path) {
                            all_keys.push(path);
                        }
                    }
                }
            }
        }
        let uniform = uniformity(sample);
        self.found.push(Candidate {
            path: path.to_owned(),
            key,
            span,
            is_map,
            members,
            objects: scale(objects_sampled),
            strings: scale(strings_sampled),
            id_keys: keys.iter().filter(|k| looks_like_id_key(k)).count(),
            keys_sampled: keys.len(),
            fields,
            score: 0.0,
            uniformity: uniform,
            qualifies: false,
            node: 0,
            keys: all_keys,
        });
    }
}

/// The average, over sampled objects, of the share of their keys that most objects have.
fn uniformity(sample: &[Value]) -> f64 {
    let objects: Vec<_> = sample.iter().filter_map(Value::as_object).collect();
    if objects.is_empty() {
        return 0.0;
    }
    // Counted under the same map type the board keeps ids in, so no other hash map's code
    // comes with it.
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for obj in &objects {
        for k in obj.keys() {
            let n = counts.get(k.as_str()).copied().unwrap_or(0);
            counts.insert(k.clone(), n + 1);
        }
    }
    let common = |k: &str| counts.get(k).copied().unwrap_or(0) * 2 >= objects.len();
    let total: f64 = objects
        .iter()
        .map(|obj| {
            if obj.is_empty() {
                0.0
            } else {
                obj.keys().filter(|k| common(k)).count() as f64 / obj.len() as f64
            }
        })
        .sum();
    total / objects.len() as f64
}

/// Scores a candidate.
fn score(c: &mut Candidate) {
    let uniform = c.uniformity;
    if c.members == 0 {
        c.score = 0.0;
        c.qualifies = false;
        return;
    }
    let members = c.members as f64;
    let key_share = if c.keys_sampled == 0 {
        0.0
    } else {
        c.id_keys as f64 / c.keys_sampled as f64
    };
    // Texts keyed by ids: at least two, so that one stray `{"v2": "…"}` is not a board.
    let text_map = c.is_map && c.strings > c.objects && c.strings >= 2 && key_share >= 0.5;
    let objectness = if text_map {
        0.5 * c.strings as f64 / members
    } else {
        c.objects as f64 / members
    };
    let (idness, textness) = if text_map {
        (key_share, 0.5)
    } else {
        let share = |has: bool| -> f64 { if has { 1.0 } else { 0.0 } };
        let id = share(!c.fields.id.is_empty());
        let id = if c.is_map { id.max(key_share) } else { id };
        (id, share(!c.fields.text.is_empty()))
    };
    let links = if c.fields.tests.is_empty()
        && c.fields.code.is_empty()
        && c.fields.evidence.is_empty()
        && c.fields.status.is_none()
    {
        0.0
    } else {
        1.0
    };
    let name = match c.key.as_deref() {
        Some(k) if is_requirements_key(k) => 4.0,
        Some(k) if CONTAINER_KEYS.contains(&normalize_key(k).as_str()) => 1.0,
        _ => 0.0,
    };
    // Digits of the count, up to three: size only breaks near ties.
    let size = f64::from((c.members + 1).ilog10().min(3)) / 6.0;
    c.score = objectness * (3.0 * idness + 2.0 * textness + uniform + links) + name + size;
    // A map of one object under a word (`meta`, `settings`) is not a table of requirements.
    let table = !c.is_map || key_share >= 0.5 || c.objects >= 2 && uniform >= 0.5;
    // A list the file itself calls its requirements is one, whatever its members carry.
    let named = c.key.as_deref().is_some_and(is_requirements_key) && c.objects > 0;
    // So is a file that is a bare list with objects in it.
    let bare = c.path.is_empty() && !c.is_map && c.objects > 0;
    c.qualifies = objectness >= 0.5 && ((idness >= 0.5 || textness >= 0.5) && table || named)
        || text_map
        || bare;
}

/// The path of `key` under `path`: a plain key after a dot, anything else quoted in brackets.
fn join_path(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
    match (path.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{path}.{key}"),
        // Quoted as Debug quotes (already in the download for positions), not as JSON.
        (_, false) => format!("{path}[{key:?}]"),
    }
}
