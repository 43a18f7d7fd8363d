//! One pass over a JSON text that serde_json has already validated, finding its containers,
//! their members' byte ranges and their map keys.
//!
//! Reading a container's members through `serde_json::value::RawValue` scans all its bytes, so
//! walking a file that way scans every level again: a list nested three deep is read four
//! times. This scanner reads the text once and records what the shape walk needs, within the
//! walk's own limits. Written here because no JSON crate gives byte ranges of every container
//! in one pass; it can be this small because the text is known to be valid JSON.

use std::ops::Range;

/// One container of the file.
pub(super) struct Node {
    pub span: Range<usize>,
    pub is_map: bool,
    /// Each member: its key (in a map, as the file means it, escapes read) and its value's
    /// byte range.
    pub members: Vec<(Option<String>, Range<usize>)>,
    /// The recorded containers among its members: (member index, node index).
    pub inner: Vec<(usize, usize)>,
}

/// How far the scan records containers (it always reads the whole text).
pub(super) struct Limits {
    /// The deepest container recorded; the root is at depth 0.
    pub depth: usize,
    /// The members of a list whose containers are recorded, from the first.
    pub list_members: usize,
    /// The members of a map whose containers are recorded, from the first.
    pub map_members: usize,
    /// At most this many containers are recorded.
    pub nodes: usize,
    /// Keys whose members are left out of their map, and whose containers are never recorded.
    pub skip_keys: &'static [&'static str],
}

struct Frame {
    start: usize,
    is_map: bool,
    record: bool,
    depth: usize,
    /// Members so far.
    count: usize,
    members: Vec<(Option<String>, Range<usize>)>,
    inner: Vec<(usize, usize)>,
    /// In a map: the key read for the value that comes next.
    key: Option<String>,
    /// In a map: the next string is a key.
    awaiting_key: bool,
}

impl Frame {
    fn add(&mut self, span: Range<usize>, node: Option<usize>, skip_keys: &[&str]) {
        let index = self.count;
        self.count += 1;
        let key = self.key.take();
        // A key the board writes is not a member as far as the shape goes: a move must not
        // change how the file is read.
        let skipped = key.as_deref().is_some_and(|k| skip_keys.contains(&k));
        if self.record && !skipped {
            self.members.push((key, span));
            if let Some(node) = node {
                self.inner.push((index, node));
            }
        }
        self.awaiting_key = self.is_map;
    }
}

/// The containers of `text`, and the root's index among them (`None` when the root is not a
/// container). Never panics, whatever the text; on text that is not valid JSON the result is
/// only meaningless.
pub(super) fn scan(text: &str, limits: &Limits) -> (Vec<Node>, Option<usize>) {
    let b = text.as_bytes();
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => i += 1,
            b'"' => {
                let end = string_end(b, i);
                match stack.last_mut() {
                    Some(top) if top.is_map && top.awaiting_key => {
                        top.awaiting_key = false;
                        if top.record {
                            top.key = Some(read_key(text.get(i..end).unwrap_or_default()));
                        } else {
                            top.key = None;
                        }
                    }
                    Some(top) => top.add(i..end, None, limits.skip_keys),
                    None => {}
                }
                i = end;
            }
            b'{' | b'[' => {
                let (record, depth) = match stack.last() {
                    None => (true, 0),
                    Some(parent) => {
                        let depth = parent.depth + 1;
                        let within = if parent.is_map {
                            parent.count < limits.map_members
                        } else {
                            parent.count < limits.list_members
                        };
                        let skipped = parent
                            .key
                            .as_deref()
                            .is_some_and(|k| limits.skip_keys.contains(&k));
                        let record = parent.record
                            && within
                            && !skipped
                            && depth <= limits.depth
                            && nodes.len() + stack.len() < limits.nodes;
                        (record, depth)
                    }
                };
                stack.push(Frame {
                    start: i,
                    is_map: b[i] == b'{',
                    record,
                    depth,
                    count: 0,
                    members: Vec::new(),
                    inner: Vec::new(),
                    key: None,
                    awaiting_key: b[i] == b'{',
                });
                i += 1;
            }
            b'}' | b']' => {
                let Some(frame) = stack.pop() else {
                    break;
                };
                let span = frame.start..i + 1;
                let node = frame.record.then(|| {
                    nodes.push(Node {
                        span: span.clone(),
                        is_map: frame.is_map,
                        members: frame.members,
                        inner: frame.inner,
                    });
                    nodes.len() - 1
                });
                match stack.last_mut() {
                    Some(parent) => parent.add(span, node, limits.skip_keys),
                    None => root = node,
                }
                i += 1;
            }
            _ => {
                // A number, `true`, `false` or `null`: up to the next delimiter.
                let start = i;
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    i += 1;
                }
                if let Some(top) = stack.last_mut() {
                    top.add(start..i, None, limits.skip_keys);
                }
            }
        }
    }
    (nodes, root)
}

/// The index just past the string that opens at `start`.
fn string_end(b: &[u8], start: usize) -> usize {
    let mut j = start + 1;
    loop {
        // Straight to the next quote or backslash: most strings have no escape.
        match b
            .get(j..)
            .and_then(|rest| rest.iter().position(|&c| c == b'"' || c == b'\\'))
        {
            Some(at) if b[j + at] == b'"' => return j + at + 1,
            Some(at) => j += at + 2,
            None => return b.len(),
        }
    }
}

/// A key as the file means it: its escapes read (`"\u0049D"` is `ID`).
fn read_key(quoted: &str) -> String {
    match quoted.get(1..quoted.len().saturating_sub(1)) {
        Some(inner) if !inner.contains('\\') => inner.to_owned(),
        _ => serde_json::from_str(quoted).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        depth: 8,
        list_members: 64,
        map_members: 256,
        nodes: 4096,
        skip_keys: &["tdd_history"],
    };

    #[test]
    fn finds_containers_members_and_keys() {
        let text =
            r#" {"a": [1, {"b\u0041": "x,]}"}, [ ]], "tdd_history": [{"z": 1}], "n": -1.5e3} "#;
        let (nodes, root) = scan(text, &LIMITS);
        let root = &nodes[root.unwrap()];
        assert!(root.is_map);
        let keys: Vec<_> = root
            .members
            .iter()
            .map(|(k, _)| k.clone().unwrap())
            .collect();
        assert_eq!(keys, ["a", "n"]);
        assert_eq!(&text[root.members[1].1.clone()], "-1.5e3");
        // `a` and its object and empty list are recorded; the history and its object are not.
        let (_, a) = root.inner[0];
        assert_eq!(root.inner.len(), 1);
        let a = &nodes[a];
        assert_eq!(&text[a.span.clone()], r#"[1, {"b\u0041": "x,]}"}, [ ]]"#);
        assert_eq!(a.members.len(), 3);
        let (index, object) = a.inner[0];
        assert_eq!(index, 1);
        assert_eq!(nodes[object].members[0].0.as_deref(), Some("bA"));
        assert_eq!(&text[nodes[object].members[0].1.clone()], r#""x,]}""#);
    }

    #[test]
    fn limits_what_it_records_not_what_it_reads() {
        let items: Vec<String> = (0..100).map(|i| format!("{{\"id\": {i}}}")).collect();
        let text = format!("[{}]", items.join(","));
        let (nodes, root) = scan(&text, &LIMITS);
        let root = &nodes[root.unwrap()];
        assert_eq!(root.members.len(), 100);
        assert_eq!(root.inner.len(), 64);
        assert_eq!(nodes.len(), 65);
    }

    #[test]
    fn a_scalar_root_has_no_containers() {
        for text in ["42", "\"x\"", "null", "", "\"\\"] {
            let (nodes, root) = scan(text, &LIMITS);
            assert!(nodes.is_empty() && root.is_none(), "{text}");
        }
        // Text that is not JSON (never passed in) gives nothing useful, and no panic.
        for text in ["]]]", "{{{", "{\"a\":", "[1,,]"] {
            let _ = scan(text, &LIMITS);
        }
    }
}
