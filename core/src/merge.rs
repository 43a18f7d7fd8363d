//! Three-way merge of a traceability file, requirement by requirement.
//!
//! Owns: matching the requirements of three versions of one file (the text last read, called
//! base; ours; theirs) by id, merging each requirement changed on both sides key by key, and
//! writing the result as theirs' text with only the requirements that differ from theirs
//! rewritten, removed or appended. The board uses it when the linked file changed on disk
//! (theirs) while it holds unsaved moves (ours); the git merge driver (`merge/`) uses it for
//! `%O %A %B`.
//!
//! It does not choose for anybody: the same key changed to different values on both sides is
//! a `Conflict`, listed with both values, and the text keeps ours there so nothing a person
//! did is lost; the caller decides whether to write it.
//!
//! Speed: most requirements are byte-identical across the versions, so they are paired by
//! their exact text first, and only the ones that differ are parsed to learn their ids.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde_json::{Map, Value};

use crate::fields::Fields;
use crate::matrix::{Candidate, ImportError, Matrix, Slot};
use crate::requirement::Card;

/// Which of the three versions a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The version both sides started from.
    Base,
    /// This side: the board's changes, or git's current branch (`%A`).
    Ours,
    /// The other side: the file on disk, or the branch being merged (`%B`).
    Theirs,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Base => "the common version",
            Side::Ours => "our version",
            Side::Theirs => "their version",
        })
    }
}

/// Why three versions could not be merged at all.
#[derive(Clone, Debug, PartialEq)]
pub enum MergeError {
    /// One version is not a file the board can read; the error says where.
    Unreadable { side: Side, error: ImportError },
    /// The versions keep the requirements in containers of different kinds (a list on one
    /// side, a map on the other) in a way the merge cannot write as valid JSON.
    Unmergeable,
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Unreadable { side, error } => write!(f, "{side} cannot be read: {error}"),
            MergeError::Unmergeable => write!(
                f,
                "the versions keep the requirements in containers of different kinds (a list and a map), so they cannot be merged by requirement; merge them by hand"
            ),
        }
    }
}

impl std::error::Error for MergeError {}

/// One key of one requirement changed to different values on both sides.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The requirement's id.
    pub id: String,
    /// The key, dotted inside nested objects (`implementation.tests`); empty when one side
    /// removed the whole requirement and the other changed it.
    pub key: String,
    /// The same key as the names of the objects it is in, outermost first (a key may itself
    /// hold a dot); empty for the whole requirement.
    pub path: Vec<String>,
    /// Our value; `None` when ours removed it.
    pub ours: Option<Value>,
    /// Their value; `None` when theirs removed it.
    pub theirs: Option<Value>,
}

impl Conflict {
    /// Our value as JSON on one line, or "(removed)"; the page lays it out.
    pub fn ours_shown(&self) -> String {
        shown(&self.ours)
    }

    /// Their value as a person reads it.
    pub fn theirs_shown(&self) -> String {
        shown(&self.theirs)
    }
}

impl Conflict {
    /// The conflicts as JSON text, for a save to keep them across a reload.
    pub fn list_to_json(conflicts: &[Conflict]) -> String {
        let list: Vec<Value> = conflicts
            .iter()
            .map(|c| {
                let mut o = Map::new();
                o.insert("id".into(), c.id.clone().into());
                o.insert(
                    "path".into(),
                    Value::Array(c.path.iter().cloned().map(Value::String).collect()),
                );
                o.insert("whole".into(), c.key.is_empty().into());
                o.insert("ours".into(), c.ours.clone().unwrap_or(Value::Null));
                o.insert("has_ours".into(), c.ours.is_some().into());
                o.insert("theirs".into(), c.theirs.clone().unwrap_or(Value::Null));
                o.insert("has_theirs".into(), c.theirs.is_some().into());
                Value::Object(o)
            })
            .collect();
        Value::Array(list).to_string()
    }

    /// Reads what `list_to_json` wrote; anything else reads as no conflict.
    pub fn list_from_json(text: &str) -> Vec<Conflict> {
        let Ok(Value::Array(list)) = serde_json::from_str::<Value>(text) else {
            return Vec::new();
        };
        list.into_iter()
            .filter_map(|mut c| {
                let id = c.get("id")?.as_str()?.to_owned();
                let path: Vec<String> = c
                    .get("path")?
                    .as_array()?
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect();
                let whole = c.get("whole").and_then(Value::as_bool).unwrap_or(false);
                let key = if whole {
                    String::new()
                } else if path.is_empty() {
                    "(value)".to_owned()
                } else {
                    path.join(".")
                };
                let has = |c: &Value, k: &str| c.get(k).and_then(Value::as_bool) == Some(true);
                let (has_ours, has_theirs) = (has(&c, "has_ours"), has(&c, "has_theirs"));
                let ours = c.get_mut("ours").map(Value::take).filter(|_| has_ours);
                let theirs = c.get_mut("theirs").map(Value::take).filter(|_| has_theirs);
                Some(Conflict {
                    id,
                    key,
                    path,
                    ours,
                    theirs,
                })
            })
            .collect()
    }
}

fn shown(value: &Option<Value>) -> String {
    match value {
        Some(v) => v.to_string(),
        None => "(removed)".to_owned(),
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<Value>| match v {
            Some(v) => {
                let mut text = v.to_string();
                if text.len() > 120 {
                    let cut = (0..=117).rev().find(|&i| text.is_char_boundary(i));
                    text.truncate(cut.unwrap_or(0));
                    text.push_str("...");
                }
                text
            }
            None => "(removed)".to_owned(),
        };
        if self.key.is_empty() {
            write!(
                f,
                "{}: ours {}, theirs {}",
                self.id,
                if self.ours.is_some() {
                    "changed it"
                } else {
                    "removed it"
                },
                if self.theirs.is_some() {
                    "changed it"
                } else {
                    "removed it"
                }
            )
        } else {
            write!(
                f,
                "{} \"{}\": ours {}, theirs {}",
                self.id,
                self.key,
                show(&self.ours),
                show(&self.theirs)
            )
        }
    }
}

/// The merged text and what went into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    pub text: String,
    /// Keys changed differently on both sides; the text holds ours for each.
    pub conflicts: Vec<Conflict>,
    /// Requirements theirs changed, added or removed (ids, in their order).
    pub theirs_changed: Vec<String>,
    /// Requirements where the text holds a change of ours that theirs does not have.
    pub ours_kept: Vec<String>,
    /// Requirements ours removed that theirs still had: gone from the text.
    pub ours_removed: Vec<String>,
}

impl Merged {
    fn taken(text: String) -> Merged {
        Merged {
            text,
            ..Merged::default()
        }
    }

    /// Whether the merge needs no one's decision.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Merges ours and theirs, both changed from base, reading the requirements through
/// `fields` (a person's choice) or as the board finds them in base. Never panics.
pub fn merge(
    base: &str,
    ours: &str,
    theirs: &str,
    fields: Option<&Fields>,
) -> Result<Merged, MergeError> {
    if ours == base || theirs == ours {
        // Nothing of ours to keep, but theirs must still be a file the board reads: an agent
        // caught halfway through writing it is not a version to take.
        check_readable(theirs, Side::Theirs)?;
        return Ok(Merged::taken(theirs.to_owned()));
    }
    if theirs == base {
        return Ok(Merged::taken(ours.to_owned()));
    }
    // Both sides added the file (git passes an empty common version): nothing is common,
    // so every requirement is added on one side or both, and those added on both merge.
    let added_on_both = base.trim_start_matches('\u{FEFF}').trim().is_empty();
    let base = match added_on_both {
        true => None,
        false => Some(Version::read(base, Side::Base, None)?),
    };
    // A person's choice of place; else each version is read as the board reads it, so a
    // list one side started (`non_functional_requirements` beside the first) is seen, and
    // requirements pair by id across lists.
    let container = fields.and_then(|f| f.container.as_deref());
    let mut ours = Version::read(ours, Side::Ours, container)?;
    let mut theirs = Version::read(theirs, Side::Theirs, container)?;
    let detected = |v: &Version| v.matrix.shape().chosen().next().map(|c| c.fields.clone());
    let fields = fields
        .cloned()
        .or_else(|| detected(base.as_ref().unwrap_or(&theirs)))
        .unwrap_or_default();
    let mut base = base.unwrap_or_else(|| Version {
        matrix: theirs.matrix.without_entries(),
        fields: Fields::default(),
        keys: Vec::new(),
    });
    for version in [&mut base, &mut ours, &mut theirs] {
        version.fields = fields.clone();
    }
    finish(Merger::new(&mut base, &mut ours, &mut theirs).run())
}

/// The merge's result, refused when a requirement had nowhere to go or the text is not
/// valid JSON, whatever caused it: never a broken file.
fn finish(merged: Option<Merged>) -> Result<Merged, MergeError> {
    let merged = merged.ok_or(MergeError::Unmergeable)?;
    if serde_json::from_str::<serde::de::IgnoredAny>(merged.text.trim_start_matches('\u{FEFF}'))
        .is_err()
    {
        return Err(MergeError::Unmergeable);
    }
    Ok(merged)
}

fn check_readable(text: &str, side: Side) -> Result<(), MergeError> {
    Matrix::parse(text.as_bytes())
        .map(|_| ())
        .map_err(|error| MergeError::Unreadable { side, error })
}

/// Merges two objects changed from `base` (`None`: both sides added it) key by key. Keys
/// keep theirs' order; keys only ours added follow. A key changed to different values on
/// both sides keeps ours and is listed in `conflicts` under its path: `prefix` and its name.
pub fn merge_objects(
    id: &str,
    prefix: &[String],
    base: Option<&Map<String, Value>>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    conflicts: &mut Vec<Conflict>,
) -> Map<String, Value> {
    let mut out = Map::new();
    let keys = theirs
        .keys()
        .chain(ours.keys().filter(|k| !theirs.contains_key(*k)))
        .chain(
            base.into_iter()
                .flat_map(|b| b.keys())
                .filter(|k| !theirs.contains_key(*k) && !ours.contains_key(*k)),
        );
    for key in keys {
        let b = base.and_then(|b| b.get(key));
        let o = ours.get(key);
        let t = theirs.get(key);
        let merged = if o == t || o == b {
            t.cloned()
        } else if t == b {
            o.cloned()
        } else if let (Some(Value::Object(o)), Some(Value::Object(t))) = (o, t) {
            let b = match b {
                Some(Value::Object(b)) => Some(b),
                _ => None,
            };
            let mut path = prefix.to_vec();
            path.push(key.clone());
            Some(Value::Object(merge_objects(id, &path, b, o, t, conflicts)))
        } else {
            let mut path = prefix.to_vec();
            path.push(key.clone());
            conflicts.push(Conflict {
                id: id.to_owned(),
                key: path.join("."),
                path,
                ours: o.cloned(),
                theirs: t.cloned(),
            });
            o.cloned()
        };
        if let Some(value) = merged {
            out.insert(key.clone(), value);
        }
    }
    out
}

/// One version of the file, read, with the ids of its requirements found as needed.
struct Version {
    matrix: Matrix,
    fields: Fields,
    /// Each entry's id (or a stand-in for one without), once read.
    keys: Vec<Option<String>>,
}

impl Version {
    fn read(text: &str, side: Side, container: Option<&str>) -> Result<Version, MergeError> {
        let matrix = Matrix::parse_choosing(text.as_bytes().to_vec(), container)
            .map_err(|error| MergeError::Unreadable { side, error })?;
        let keys = vec![None; matrix.entries().len()];
        Ok(Version {
            matrix,
            fields: Fields::default(),
            keys,
        })
    }

    fn raw(&self, index: usize) -> &str {
        self.matrix.raw(index).unwrap_or_default()
    }

    fn value(&self, index: usize) -> Option<Value> {
        serde_json::from_str(self.raw(index)).ok()
    }

    /// The entry's id, read once. An entry without one is known by its map key or, failing
    /// that, by its exact text, so it pairs only with an identical one.
    fn key(&mut self, index: usize) -> String {
        if let Some(Some(key)) = self.keys.get(index) {
            return key.clone();
        }
        let name = self.matrix.entries().get(index).and_then(|e| e.key());
        let key = self
            .value(index)
            .and_then(|v| Card::read_unfinished(&self.fields, name, &v).ok())
            .map(|card| card.id.as_str().to_owned())
            .or_else(|| name.map(|n| format!("\u{1}{n}")))
            .unwrap_or_else(|| format!("\u{2}{}", self.raw(index)));
        if let Some(slot) = self.keys.get_mut(index) {
            *slot = Some(key.clone());
        }
        key
    }

    /// The requirement's id for messages and for a map key.
    fn shown_id(&mut self, index: usize) -> String {
        let key = self.key(index);
        if let Some(name) = key.strip_prefix('\u{1}') {
            name.to_owned()
        } else if key.starts_with('\u{2}') {
            format!("requirement #{}", index + 1)
        } else {
            key
        }
    }
}

/// Where the value of entry `index` begins as a member: its key for a map member.
fn member_start(matrix: &Matrix, index: usize) -> usize {
    let text = matrix.text().as_bytes();
    let Some(entry) = matrix.entries().get(index) else {
        return 0;
    };
    let start = entry.span.start;
    if entry.key().is_none() {
        return start;
    }
    // Back over white space and the colon to the key's closing quote, then to its
    // opening quote: the first quote not escaped by an odd run of backslashes.
    let mut i = skip_back_ws(text, start);
    if i > 0 && text[i - 1] == b':' {
        i = skip_back_ws(text, i - 1);
    }
    if i == 0 || text[i - 1] != b'"' {
        return start;
    }
    let mut j = i - 1;
    while j > 0 {
        j -= 1;
        if text[j] == b'"' {
            let slashes = text[..j].iter().rev().take_while(|&&c| c == b'\\').count();
            if slashes % 2 == 0 {
                return j;
            }
        }
    }
    start
}

fn skip_back_ws(text: &[u8], mut i: usize) -> usize {
    while i > 0 && text[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    i
}

fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && text[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// What one side did to a base requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// Still there, byte for byte, at this entry.
    Same(usize),
    /// Still there with other bytes, at this entry.
    Changed(usize),
    Removed,
}

struct Merger<'a> {
    base: &'a mut Version,
    ours: &'a mut Version,
    theirs: &'a mut Version,
    /// A requirement of ours had nowhere to go in theirs: the merge must not claim success.
    lost: bool,
}

/// A replacement of a range of theirs' text.
struct Edit {
    range: Range<usize>,
    text: String,
}

impl<'a> Merger<'a> {
    fn new(base: &'a mut Version, ours: &'a mut Version, theirs: &'a mut Version) -> Self {
        Merger {
            base,
            ours,
            theirs,
            lost: false,
        }
    }

    /// Pairs each base entry with the entry of `side` that is the same requirement: first
    /// by identical text, then by id. Returns each base entry's fate and the entries of the
    /// side that are new (in the side's order).
    fn pair(base: &mut Version, side: &mut Version) -> (Vec<Fate>, Vec<usize>) {
        let n = base.matrix.entries().len();
        let mut fates = vec![Fate::Removed; n];
        // A map member is its key and its value: a renamed key is a changed requirement.
        let mut by_text: HashMap<(Option<&str>, &str), Vec<usize>> = HashMap::with_capacity(n);
        for i in (0..n).rev() {
            by_text.entry(base.matrix.member(i)).or_default().push(i);
        }
        let mut unpaired_side = Vec::new();
        for j in 0..side.matrix.entries().len() {
            match by_text.get_mut(&side.matrix.member(j)).and_then(Vec::pop) {
                Some(i) => fates[i] = Fate::Same(j),
                None => unpaired_side.push(j),
            }
        }
        drop(by_text);
        if unpaired_side.is_empty() {
            return (fates, unpaired_side);
        }
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (i, fate) in fates.iter().enumerate() {
            if *fate == Fate::Removed {
                by_id.entry(base.key(i)).or_insert(i);
            }
        }
        let mut added = Vec::new();
        for j in unpaired_side {
            match by_id.remove(&side.key(j)) {
                Some(i) => fates[i] = Fate::Changed(j),
                None => added.push(j),
            }
        }
        (fates, added)
    }

    fn run(mut self) -> Option<Merged> {
        let (their_fates, their_added) = Merger::pair(self.base, self.theirs);
        let (our_fates, our_added) = Merger::pair(self.base, self.ours);
        let mut merged = Merged::default();
        let mut edits: Vec<Edit> = Vec::new();
        let mut removed: Vec<usize> = Vec::new();
        // Ours to append to theirs' text: (our entry, the base entry it changed, if any).
        let mut appended: Vec<usize> = Vec::new();
        for (b, (tf, of)) in their_fates.iter().zip(&our_fates).enumerate() {
            match (*tf, *of) {
                (Fate::Same(_), Fate::Same(_)) => {}
                (Fate::Changed(t), Fate::Same(_)) => {
                    merged.theirs_changed.push(self.theirs.shown_id(t));
                }
                (Fate::Removed, Fate::Same(_)) => {
                    merged.theirs_changed.push(self.base.shown_id(b));
                }
                (Fate::Same(t), Fate::Changed(o)) => {
                    edits.push(Edit {
                        range: self.theirs.matrix.entries()[t].span.clone(),
                        text: self.ours.raw(o).to_owned(),
                    });
                    merged.ours_kept.push(self.ours.shown_id(o));
                }
                (Fate::Same(t), Fate::Removed) => {
                    merged.ours_removed.push(self.theirs.shown_id(t));
                    removed.push(t);
                }
                (Fate::Changed(t), Fate::Changed(o)) => {
                    merged.theirs_changed.push(self.theirs.shown_id(t));
                    self.both_changed(Some(b), o, t, &mut merged, &mut edits);
                }
                (Fate::Changed(t), Fate::Removed) => {
                    // Removed here, changed there: theirs stays, and a person decides.
                    let id = self.theirs.shown_id(t);
                    merged.theirs_changed.push(id.clone());
                    merged.conflicts.push(Conflict {
                        id,
                        key: String::new(),
                        path: Vec::new(),
                        ours: None,
                        theirs: self.theirs.value(t),
                    });
                }
                (Fate::Removed, Fate::Changed(o)) => {
                    // Changed here, removed there: ours comes back, and a person decides.
                    let id = self.ours.shown_id(o);
                    merged.theirs_changed.push(id.clone());
                    merged.ours_kept.push(id.clone());
                    merged.conflicts.push(Conflict {
                        id,
                        key: String::new(),
                        path: Vec::new(),
                        ours: self.ours.value(o),
                        theirs: None,
                    });
                    appended.push(o);
                }
                (Fate::Removed, Fate::Removed) => {}
            }
        }
        // Added on both sides: the same id is one requirement, merged key by key.
        let mut their_new: HashMap<String, usize> = HashMap::new();
        for &t in &their_added {
            let key = self.theirs.key(t);
            merged.theirs_changed.push(self.theirs.shown_id(t));
            their_new.entry(key).or_insert(t);
        }
        for o in our_added {
            match their_new.get(&self.ours.key(o)) {
                Some(&t) => self.both_changed(None, o, t, &mut merged, &mut edits),
                None => {
                    merged.ours_kept.push(self.ours.shown_id(o));
                    appended.push(o);
                }
            }
        }
        self.removals(&removed, &mut edits);
        self.appends(&appended, &removed, &mut edits);
        merged.text = apply(self.theirs.matrix.text(), self.theirs.matrix.bom(), edits);
        (!self.lost).then_some(merged)
    }

    /// A requirement both sides changed (or both added, `base` `None`): merged key by key,
    /// rewritten in theirs' place in the file's style when the result is not theirs.
    fn both_changed(
        &mut self,
        base: Option<usize>,
        o: usize,
        t: usize,
        merged: &mut Merged,
        edits: &mut Vec<Edit>,
    ) {
        if self.ours.raw(o) == self.theirs.raw(t) {
            return;
        }
        let id = self.theirs.shown_id(t);
        let b = base.and_then(|b| self.base.value(b));
        let (Some(Value::Object(ov)), Some(Value::Object(tv))) =
            (self.ours.value(o), self.theirs.value(t))
        else {
            // Not objects (a map of texts): the whole value is the one key.
            let (ov, tv) = (self.ours.value(o), self.theirs.value(t));
            if ov == tv || ov == b {
                return;
            }
            if tv == b {
                edits.push(Edit {
                    range: self.theirs.matrix.entries()[t].span.clone(),
                    text: self.ours.raw(o).to_owned(),
                });
                merged.ours_kept.push(id);
                return;
            }
            merged.conflicts.push(Conflict {
                id: id.clone(),
                key: "(value)".to_owned(),
                path: Vec::new(),
                ours: ov,
                theirs: tv,
            });
            edits.push(Edit {
                range: self.theirs.matrix.entries()[t].span.clone(),
                text: self.ours.raw(o).to_owned(),
            });
            merged.ours_kept.push(id);
            return;
        };
        let bv = match &b {
            Some(Value::Object(b)) => Some(b),
            _ => None,
        };
        let result = merge_objects(&id, &[], bv, &ov, &tv, &mut merged.conflicts);
        if result == tv {
            return;
        }
        let mut text = String::new();
        self.theirs.matrix.render_entry(t, &result, &mut text);
        edits.push(Edit {
            range: self.theirs.matrix.entries()[t].span.clone(),
            text,
        });
        merged.ours_kept.push(id);
    }

    /// Removes theirs' entries that ours removed (`removals`).
    fn removals(&self, removed: &[usize], edits: &mut Vec<Edit>) {
        removals(&self.theirs.matrix, removed, edits);
    }

    /// Appends our entries to the end of theirs' container of the same name, each as its
    /// last neighbour is written: the same white space before it, a key for a map.
    fn appends(&mut self, appended: &[usize], removed: &[usize], edits: &mut Vec<Edit>) {
        let mut inserts: Vec<Edit> = Vec::new();
        for &o in appended {
            let id = self.ours.shown_id(o);
            let matrix = &self.theirs.matrix;
            let position = &self.ours.matrix.entries()[o].position;
            // The list of the same name, even empty; else the board's first. With neither, the
            // merge refuses rather than drop the requirement.
            let Some(container) = matrix
                .shape()
                .candidates
                .iter()
                .find(|c| c.path == position.container)
                .or_else(|| matrix.shape().chosen().next())
            else {
                self.lost = true;
                continue;
            };
            // Whether the container holds anything before this one: a member ours did not
            // remove, or one appended already.
            let gone = removed
                .iter()
                .filter(|&&t| matrix.entries()[t].position.container == container.path)
                .count();
            let last_end = last_member_end(matrix, container);
            let empty =
                container.members <= gone && !inserts.iter().any(|i| i.range.start == last_end);
            // A member of a map needs a key: its own, or else its id; a list's member none.
            let key = match &position.slot {
                _ if !container.is_map => None,
                Slot::Key(key) => Some(key.clone()),
                Slot::Index(_) => Some(id),
            };
            inserts.push(append(
                matrix,
                container,
                empty,
                key.as_deref(),
                self.ours.raw(o),
            ));
        }
        edits.extend(inserts);
    }
}

/// Removes `matrix`'s entries `removed`, with one separator each, so the list stays valid
/// JSON however many neighbours go with them.
fn removals(matrix: &Matrix, removed: &[usize], edits: &mut Vec<Edit>) {
    let text = matrix.text().as_bytes();
    // The end of the last removal that started at the front of its container: a run of
    // removals from the front takes the separator after each one.
    let mut front_end: Option<usize> = None;
    for &t in removed {
        let Some(span) = matrix.entries().get(t).map(|e| e.span.clone()) else {
            continue;
        };
        let start = member_start(matrix, t);
        let before = skip_back_ws(text, start);
        let first =
            before == 0 || matches!(text[before - 1], b'[' | b'{') || front_end == Some(start);
        if first {
            // Up to the next member's start, or just itself when it is the last.
            let after = skip_ws(text, span.end);
            let (start, end) = if text.get(after) == Some(&b',') {
                (start, skip_ws(text, after + 1))
            } else if front_end.is_none() {
                // The only member: the white space before it goes too, and the closing
                // bracket keeps its own line.
                (before, span.end)
            } else {
                (start, span.end)
            };
            edits.push(Edit {
                range: start..end,
                text: String::new(),
            });
            front_end = Some(end);
        } else {
            // From the previous member's end: its comma and the white space go too.
            edits.push(Edit {
                range: before - 1..span.end,
                text: String::new(),
            });
            front_end = None;
        }
    }
}

/// Where the last member of `container` ends (after its closing bracket is nothing but
/// white space): where an appended member goes.
fn last_member_end(matrix: &Matrix, container: &Candidate) -> usize {
    skip_back_ws(
        matrix.text().as_bytes(),
        container.span.end.saturating_sub(1),
    )
}

/// The insertion of `raw` as the last member of `container` (under `key` in a map), written
/// as its last neighbour is: the same white space before it. `empty`: nothing is before it.
fn append(
    matrix: &Matrix,
    container: &Candidate,
    empty: bool,
    key: Option<&str>,
    raw: &str,
) -> Edit {
    let text = matrix.text();
    let last_end = last_member_end(matrix, container);
    let content = text
        .get(container.span.start + 1..last_end)
        .unwrap_or_default();
    let member_ws = member_white_space(matrix, container, last_end);
    let mut piece = String::new();
    if !empty {
        piece.push(',');
    }
    piece.push_str(&member_ws);
    if let Some(key) = key {
        piece.push_str(&serde_json::to_string(key).unwrap_or_default());
        piece.push_str(if member_ws.contains('\n') || member_ws.is_empty() {
            ": "
        } else {
            ":"
        });
    }
    piece.push_str(raw);
    if content.trim().is_empty() && member_ws.contains('\n') {
        // An empty container gets its closing bracket on a line of its own.
        let indent = member_ws.trim_start_matches(['\r', '\n']);
        let unit = indent.len().min(unit(matrix).len());
        piece.push_str(&member_ws[..member_ws.len() - unit]);
    }
    Edit {
        range: last_end..last_end,
        text: piece,
    }
}

/// `matrix`'s text with `raw` appended to the container at `path` (under `key` in a map), as
/// its neighbours are written; `None` when the file has no such container.
pub(crate) fn with_appended(
    matrix: &Matrix,
    path: &str,
    key: Option<&str>,
    raw: &str,
) -> Option<String> {
    let container = matrix.shape().candidates.iter().find(|c| c.path == path)?;
    let edit = append(
        matrix,
        container,
        text_is_blank(matrix, container),
        key,
        raw,
    );
    Some(apply(matrix.text(), matrix.bom(), vec![edit]))
}

/// Whether a container holds nothing but white space between its brackets.
fn text_is_blank(matrix: &Matrix, container: &Candidate) -> bool {
    let end = container.span.end.saturating_sub(1);
    matrix
        .text()
        .get(container.span.start + 1..end)
        .is_some_and(|inside| inside.trim().is_empty())
}

/// `matrix`'s text without entry `index`: its member and one separator.
pub(crate) fn with_removed(matrix: &Matrix, index: usize) -> String {
    let mut edits = Vec::new();
    removals(matrix, &[index], &mut edits);
    apply(matrix.text(), matrix.bom(), edits)
}

/// One level of indentation in the text: its own unit (a tab, two spaces …).
fn unit(matrix: &Matrix) -> String {
    matrix.style().indent_unit().unwrap_or("  ").to_owned()
}

/// The white space written before a member of `container`: as before its last member, or
/// one level deeper than the container's line for an empty one.
fn member_white_space(matrix: &Matrix, container: &Candidate, last_end: usize) -> String {
    let text = matrix.text();
    let bytes = text.as_bytes();
    let open = container.span.start;
    // The last member's start: back from its end to the separator before it.
    let mut depth = 0i32;
    let mut in_string = false;
    let mut i = last_end;
    let mut member_start = None;
    while i > open + 1 {
        i -= 1;
        let c = bytes[i];
        if in_string {
            if c == b'"' {
                let slashes = bytes[..i].iter().rev().take_while(|&&c| c == b'\\').count();
                if slashes % 2 == 0 {
                    in_string = false;
                }
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'}' | b']' => depth += 1,
            b'{' | b'[' => depth -= 1,
            b',' if depth == 0 => {
                member_start = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    let start = member_start.unwrap_or(open + 1);
    let ws_end = skip_ws(bytes, start);
    if ws_end < last_end {
        return text.get(start..ws_end).unwrap_or_default().to_owned();
    }
    // An empty container: one level deeper than the line it opens on.
    let line_start = text[..open].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    if text.contains('\n') {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        format!("{newline}{indent}{}", unit(matrix))
    } else {
        String::new()
    }
}

/// Theirs' text with the edits made, in order; an edit overlapping the one before it is
/// clipped to what is left, so the text is never cut twice.
fn apply(text: &str, bom: bool, mut edits: Vec<Edit>) -> String {
    // Edits are few; insertion in place keeps a sort routine out of the download.
    let mut sorted: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits.drain(..) {
        let at = sorted.partition_point(|e| {
            (e.range.start, e.range.end) <= (edit.range.start, edit.range.end)
        });
        sorted.insert(at, edit);
    }
    let mut out = String::with_capacity(text.len() + 1024);
    if bom {
        out.push('\u{FEFF}');
    }
    let mut cursor = 0;
    for edit in sorted {
        let start = edit.range.start.max(cursor);
        let end = edit.range.end.max(start);
        out.push_str(text.get(cursor..start).unwrap_or_default());
        out.push_str(&edit.text);
        cursor = end;
    }
    out.push_str(text.get(cursor..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests;
