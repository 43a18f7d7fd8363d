//! The raw layer: a traceability file exactly as it was written, and where its requirements are.
//!
//! This module owns the file's text and the byte span of every requirement in it, so that an
//! export can write back the original text with only the changed requirements re-rendered (in
//! the file's own indentation and escaping, see `style`). It decodes and validates the file and
//! finds the requirement containers in every shape PRODUCT.md lists. It deliberately does not
//! interpret a requirement (that is `requirement`) nor apply board rules (that is `board`).

mod scan;
mod shape;
pub(crate) mod style;

use std::fmt;
use std::ops::Range;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

pub use shape::{Candidate, Shape};
pub use style::Style;

/// Keys a file that is a map keyed by ids keeps beside its requirements for itself.
const META_KEYS: [&str; 12] = [
    "meta",
    "metadata",
    "version",
    "schema",
    "schema_version",
    "info",
    "header",
    "generated",
    "generated_at",
    "generator",
    "config",
    "settings",
];

/// The largest file the board reads. Larger files are refused before they are read whole.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Why a file could not be imported at all. Problems with single requirements are not errors:
/// they are reported by `board::ImportReport` and the rest of the file still lands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The file has no content, or only white space.
    Empty,
    /// The file is larger than `MAX_FILE_BYTES`.
    TooLarge { bytes: u64 },
    /// The bytes are not UTF-8 text; `offset` is the first byte that is not.
    NotUtf8 { offset: usize, line: usize },
    /// The text is not valid JSON; `excerpt` is the offending line.
    Syntax {
        line: usize,
        column: usize,
        message: String,
        excerpt: String,
    },
    /// Valid JSON, but nothing in it is a list of requirements; `found` describes what is.
    NoRequirements { found: String },
}

/// A byte count in megabytes with one decimal, rounded, as in "4.2".
///
/// Integer arithmetic on purpose: printing an `f64` with a precision links Rust's exact float
/// formatting, several KB of the download, for one message.
pub fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10).saturating_add(524_288) / 1_048_576;
    format!("{}.{}", tenths / 10, tenths % 10)
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => write!(f, "The file is empty: there is no JSON in it to read."),
            ImportError::TooLarge { bytes } => write!(
                f,
                "The file is {} MB; the board reads files of up to {} MB.",
                megabytes(*bytes),
                MAX_FILE_BYTES / 1_048_576
            ),
            ImportError::NotUtf8 { offset, line } => write!(
                f,
                "The file is not UTF-8 text: byte {offset} (line {line}) is not valid UTF-8. \
                 Save it as UTF-8 and import it again."
            ),
            ImportError::Syntax {
                line,
                column,
                message,
                excerpt,
            } => {
                write!(
                    f,
                    "The file is not valid JSON: {message} at line {line}, column {column}."
                )?;
                if !excerpt.is_empty() {
                    write!(f, "\n{line:>5} | {excerpt}")?;
                    let pad = excerpt.chars().take(column.saturating_sub(1)).count();
                    write!(f, "\n      | {}^", " ".repeat(pad))?;
                }
                Ok(())
            }
            ImportError::NoRequirements { found } => write!(
                f,
                "No requirements found: the file holds {found}. The board looks for a list or a \
                 map of requirement objects, each with an id (such as \"id\" or \
                 \"requirementId\") or a text (such as \"title\" or \"description\"), or a map \
                 of texts keyed by ids such as \"REQ-001\"."
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Where a requirement sits in the file, for messages: `requirements[3]`, `requirements["REQ-7"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// The container's path from the root, such as `requirements` or `spec.requirements`;
    /// empty for a bare root array.
    pub container: String,
    /// The index in a list, or the key in a map.
    pub slot: Slot,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    Index(usize),
    Key(String),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let container = if self.container.is_empty() {
            "root"
        } else {
            &self.container
        };
        match &self.slot {
            // People count from one; the index in brackets is JSON's own, from zero.
            Slot::Index(i) => write!(f, "requirement #{} ({container}[{i}])", i + 1),
            Slot::Key(k) => write!(f, "{container}[{k:?}]"),
        }
    }
}

/// One requirement slot of the file: where it is and its exact bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawEntry {
    /// Byte range of the value in `Matrix::text`.
    pub span: Range<usize>,
    pub position: Position,
}

impl RawEntry {
    /// The map key of an entry in a map container, which is its id unless the value has one.
    pub fn key(&self) -> Option<&str> {
        match &self.position.slot {
            Slot::Key(k) => Some(k),
            Slot::Index(_) => None,
        }
    }
}

/// A decoded, validated traceability file and the spans of its requirements.
#[derive(Clone, Debug)]
pub struct Matrix {
    text: String,
    bom: bool,
    entries: Vec<RawEntry>,
    style: Style,
    shape: Shape,
}

impl Matrix {
    /// Decodes and validates `bytes` and finds the requirements. Never panics.
    pub fn parse(bytes: &[u8]) -> Result<Matrix, ImportError> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge {
                bytes: bytes.len() as u64,
            });
        }
        Matrix::parse_owned(bytes.to_vec())
    }

    /// Like `parse`, taking the bytes over so a large file is not held twice in memory.
    pub fn parse_owned(bytes: Vec<u8>) -> Result<Matrix, ImportError> {
        Matrix::parse_choosing(bytes, None)
    }

    /// Like `parse_owned`, reading the requirements from the container at `choice` (a
    /// `Candidate::path`) when the file has it; the board chooses when it does not.
    pub fn parse_choosing(bytes: Vec<u8>, choice: Option<&str>) -> Result<Matrix, ImportError> {
        Matrix::parse_in_style(bytes, choice, None)
    }

    /// Like `parse_choosing`, writing in `style` instead of detecting it: for a newer version
    /// of a file already read, whose habits are known (detecting them reads the whole text).
    pub(crate) fn parse_in_style(
        mut bytes: Vec<u8>,
        choice: Option<&str>,
        style: Option<&Style>,
    ) -> Result<Matrix, ImportError> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge {
                bytes: bytes.len() as u64,
            });
        }
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        if bom {
            bytes.drain(..3);
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let body = e.as_bytes();
                let line = 1 + body
                    .get(..offset)
                    .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
                return Err(ImportError::NotUtf8 {
                    offset: offset + if bom { 3 } else { 0 },
                    line,
                });
            }
        };
        Matrix::parse_text(text, bom, choice, style)
    }

    fn parse_text(
        text: String,
        bom: bool,
        choice: Option<&str>,
        style: Option<&Style>,
    ) -> Result<Matrix, ImportError> {
        if text.trim().is_empty() {
            return Err(ImportError::Empty);
        }
        let root: &RawValue = serde_json::from_str(&text).map_err(|e| syntax_error(&text, &e))?;
        let (shape, nodes) = shape::find(&text, choice);
        if shape.chosen.is_empty() {
            return Err(ImportError::NoRequirements {
                found: describe(&text, root, &shape, &nodes),
            });
        }
        let mut entries = Vec::new();
        for candidate in shape.chosen() {
            let Some(node) = nodes.get(candidate.node) else {
                continue;
            };
            // A file that is itself a map keyed by ids may keep a `meta` or `version` beside
            // them: those are not requirements, and stay in the file as they are. Kept:
            // members holding what most members hold (objects, or texts), under any key but
            // the words files use for such things.
            let kind = if candidate.objects >= candidate.strings {
                b'{'
            } else {
                b'"'
            };
            let meta_beside = candidate.path.is_empty()
                && candidate.is_map
                && candidate.id_keys * 2 >= candidate.keys_sampled;
            for (index, (key, span)) in node.members.iter().enumerate() {
                if meta_beside {
                    let same_kind = text.as_bytes().get(span.start) == Some(&kind);
                    let meta = key.as_deref().is_some_and(|k| {
                        META_KEYS.contains(&crate::vocabulary::normalize_key(k).as_str())
                    });
                    if !same_kind || meta {
                        continue;
                    }
                }
                // Entries never overlap: one inside another's bytes would be written twice on
                // export (the containers chosen never nest; this keeps it so).
                if entries
                    .last()
                    .is_some_and(|last: &RawEntry| last.span.end > span.start)
                {
                    continue;
                }
                let slot = match key {
                    Some(k) => Slot::Key(k.clone()),
                    None => Slot::Index(index),
                };
                entries.push(RawEntry {
                    span: span.clone(),
                    position: Position {
                        container: candidate.path.clone(),
                        slot,
                    },
                });
            }
        }
        let style = style.cloned().unwrap_or_else(|| Style::detect(&text));
        Ok(Matrix {
            text,
            bom,
            entries,
            style,
            shape,
        })
    }

    /// Where the board found the requirements, and what else the file holds.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn entries(&self) -> &[RawEntry] {
        &self.entries
    }

    /// The same file with no requirement in it: for a merge whose common version is empty.
    pub(crate) fn without_entries(&self) -> Matrix {
        Matrix {
            text: String::new(),
            bom: false,
            entries: Vec::new(),
            style: self.style.clone(),
            shape: self.shape.clone(),
        }
    }

    /// The file's writing habits.
    pub(crate) fn style(&self) -> &Style {
        &self.style
    }

    /// Whether the file began with a byte order mark (`text` leaves it out; export keeps it).
    pub fn bom(&self) -> bool {
        self.bom
    }

    /// Appends entry `index` rewritten as `value`, in the file's style at its place.
    pub fn render_entry(&self, index: usize, value: &Map<String, Value>, out: &mut String) {
        if let Some(entry) = self.entries.get(index) {
            let raw = self.text.get(entry.span.clone()).unwrap_or_default();
            self.style
                .render(&self.text, entry.span.start, raw, value, out);
        }
    }

    /// Entry `index` as a member of its container: its map key (none in a list) and its exact
    /// text. Two entries are the same requirement, unchanged, when their members are equal.
    pub fn member(&self, index: usize) -> (Option<&str>, &str) {
        let key = self.entries.get(index).and_then(RawEntry::key);
        (key, self.raw(index).unwrap_or_default())
    }

    /// The exact text of entry `index`, as written in the file.
    pub fn raw(&self, index: usize) -> Option<&str> {
        let entry = self.entries.get(index)?;
        self.text.get(entry.span.clone())
    }

    /// The file with the requirements in `edits` re-rendered in the file's own style and
    /// every other byte as it was imported. `edits` pairs an entry index with its new value.
    pub fn export<'a>(
        &self,
        edits: impl IntoIterator<Item = (usize, &'a Map<String, Value>)>,
    ) -> String {
        // Entries are in file order, so edits by entry index nearly always arrive sorted and
        // each lands at the end. Inserting in place instead of calling `sort` keeps a sort
        // routine (3 to 5 KB of wasm for each element type) out of the download.
        let mut sorted: Vec<(Range<usize>, &Map<String, Value>)> = Vec::new();
        for (index, value) in edits {
            if let Some(entry) = self.entries.get(index) {
                let at = sorted.partition_point(|(span, _)| span.start <= entry.span.start);
                sorted.insert(at, (entry.span.clone(), value));
            }
        }
        let edits = sorted;
        let mut out = String::with_capacity(self.text.len() + edits.len() * 256 + 3);
        if self.bom {
            out.push('\u{FEFF}');
        }
        let mut cursor = 0;
        for (span, value) in edits {
            // Spans never overlap (`push_entries` refuses an entry inside another's bytes), but
            // a defensive check keeps a bug here from corrupting the file.
            if span.start < cursor {
                continue;
            }
            out.push_str(self.text.get(cursor..span.start).unwrap_or_default());
            let raw = self.text.get(span.clone()).unwrap_or_default();
            self.style
                .render(&self.text, span.start, raw, value, &mut out);
            cursor = span.end;
        }
        out.push_str(self.text.get(cursor..).unwrap_or_default());
        out
    }
}

/// Turns serde_json's error into one with the offending line, for a person to find it.
fn syntax_error(text: &str, e: &serde_json::Error) -> ImportError {
    let line = e.line();
    let column = e.column();
    let excerpt: String = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or_default()
        .chars()
        .take(160)
        .collect();
    // serde_json appends " at line L column C"; the message says where in its own words.
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    };
    ImportError::Syntax {
        line,
        column,
        message,
        excerpt,
    }
}

/// Whether a key names a requirement container: `requirements`, `Requirements`,
/// `functional_requirements`, `reqs`.
/// The members of the file's root object, each key with its value's byte range in `text`;
/// `None` when the root is not an object. `text` must be valid JSON.
pub(crate) fn root_members(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    let limits = scan::Limits {
        depth: 0,
        list_members: 0,
        map_members: usize::MAX,
        nodes: 1,
        skip_keys: &[],
    };
    let (nodes, root) = scan::scan(text, &limits);
    let node = nodes.get(root?)?;
    node.is_map.then(|| {
        node.members
            .iter()
            .filter_map(|(key, span)| Some((key.clone()?, span.clone())))
            .collect()
    })
}

pub(crate) fn is_requirements_key(key: &str) -> bool {
    let k = crate::stage::normalize_word(key);
    k == "requirements" || k.ends_with("_requirements") || k == "reqs" || k == "requirement_list"
}

/// Says what a JSON document holds and what the board looks for, for the "no requirements"
/// message: its top-level keys, its largest list and map and what their members are.
fn describe(text: &str, root: &RawValue, shape: &Shape, nodes: &[scan::Node]) -> String {
    let kind =
        |span: &std::ops::Range<usize>| kind_of_byte(text.as_bytes().get(span.start).copied());
    let node_of = |c: &Candidate| nodes.get(c.node);
    let root_node = shape
        .candidates
        .iter()
        .find(|c| c.path.is_empty())
        .and_then(node_of);
    let mut out = match root_node {
        Some(n) if n.is_map && n.members.is_empty() => "an empty object".to_owned(),
        Some(n) if n.is_map => {
            let keys: Vec<String> = n
                .members
                .iter()
                .take(8)
                .map(|(k, _)| format!("\"{}\"", k.as_deref().unwrap_or_default()))
                .collect();
            let more = if n.members.len() > 8 {
                format!(" and {} more", n.members.len() - 8)
            } else {
                String::new()
            };
            format!(
                "an object with the key{} {}{more}",
                if n.members.len() == 1 { "" } else { "s" },
                keys.join(", ")
            )
        }
        Some(n) => {
            let kinds: Vec<&str> = n.members.iter().map(|(_, span)| kind(span)).collect();
            let first = kinds.first().copied().unwrap_or("value");
            if kinds.iter().all(|k| *k == first) {
                format!("a list of {} {}s", n.members.len(), first)
            } else {
                format!("a list of {} mixed values", n.members.len())
            }
        }
        None => format!("a single {}", kind_of_byte(root.get().bytes().next())),
    };
    let largest = |maps: bool| {
        shape
            .candidates
            .iter()
            .filter(|c| c.is_map == maps && !c.path.is_empty() && c.members > 0)
            .max_by_key(|c| c.members)
    };
    for (maps, word) in [(false, "list"), (true, "map")] {
        if let Some(c) = largest(maps) {
            out.push_str(&format!(
                "; its largest {word}, {}, is {}",
                c.name(),
                c.describe()
            ));
            if c.objects > 0 && !c.keys.is_empty() {
                let keys: Vec<String> = c.keys.iter().take(5).map(|k| format!("\"{k}\"")).collect();
                out.push_str(&format!(" with keys such as {}", keys.join(", ")));
            } else if let Some(n) = node_of(c).filter(|n| n.is_map) {
                let keys: Vec<String> = n
                    .members
                    .iter()
                    .take(3)
                    .map(|(k, _)| format!("\"{}\"", k.as_deref().unwrap_or_default()))
                    .collect();
                out.push_str(&format!(" under keys such as {}", keys.join(", ")));
            }
        }
    }
    out
}

fn kind_of_byte(first: Option<u8>) -> &'static str {
    match first {
        Some(b'{') => "object",
        Some(b'[') => "list",
        Some(b'"') => "string",
        Some(b't') | Some(b'f') => "boolean",
        Some(b'n') => "null",
        _ => "number",
    }
}

#[cfg(test)]
mod tests;
