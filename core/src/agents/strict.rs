//! The strict reader: the frontmatter as YAML, through `yaml-rust2`'s event parser.
//!
//! It owns turning parser events into [`Entry`] values and deciding when the block is not
//! usable as YAML, with the parser's own message and line so the person can fix the file. It
//! deliberately does not use `YamlLoader`: that recurses once per nesting level and copies every
//! alias in full, so a hostile file could exhaust the stack or memory of the browser tab. Here
//! the tree is built with an explicit stack, nesting is capped, and alias copies share one node
//! budget. It also does not try to recover from errors; that is the lenient reader's job.

use super::value::{Entry, Style, Value};
use std::collections::HashMap;
use yaml_rust2::Event;
use yaml_rust2::parser::Parser;
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deeper nesting than this is refused. Real frontmatter is at most three levels deep, and the
/// cap keeps recursive helpers (display, drop) far from any stack limit.
const MAX_DEPTH: usize = 32;

/// The most a frontmatter block may hold once aliases are expanded, counted as one per node
/// plus the bytes of its text (see [`Value::weight`]). It is four times the largest agent file,
/// so only alias copies can reach it, and it stops "billion laughs" alias bombs long before
/// they cost real memory.
const MAX_WEIGHT: usize = 4 * 1024 * 1024;

/// Why the block is not usable as YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Rejection {
    /// What is wrong, in the parser's words or ours.
    pub(super) message: String,
    /// Where, as a 1-based line and column within the frontmatter block.
    pub(super) line: usize,
    pub(super) column: usize,
}

/// A list or mapping still being filled in.
enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
    },
    Map {
        entries: Vec<(String, Value)>,
        /// The key waiting for its value, and the line the key was on.
        key: Option<(String, usize)>,
        anchor: usize,
    },
}

/// Builds the value tree from parser events without recursion.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    weight: usize,
    root: Option<Value>,
    /// The line of each top-level key, in the same order as the root mapping's entries.
    root_key_lines: Vec<usize>,
}

/// Reads `yaml` (the text between the delimiters) as one YAML mapping.
///
/// `first_line` is the file line the block starts on, so each [`Entry`] can point into the file.
/// An empty block, or one holding only comments, reads as no entries.
pub(super) fn read(yaml: &str, first_line: usize) -> Result<Vec<Entry>, Rejection> {
    let mut parser = Parser::new_from_str(yaml);
    let mut builder = Builder::default();
    let mut documents = 0_usize;
    // The parser is driven by hand and stopped at the first error or at the end of the
    // stream: asking it for more after either is outside its contract.
    loop {
        let (event, mark) = parser.next_token().map_err(|error| Rejection {
            message: error.info().to_owned(),
            line: error.marker().line(),
            column: error.marker().col().saturating_add(1),
        })?;
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(reject_at(
                        mark,
                        "a second YAML document starts here; frontmatter holds one",
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = match style {
                    // A tag such as `!!str` means the author wanted text, even for `null`.
                    TScalarStyle::Plain if tag.is_none() => Value::plain(&text),
                    TScalarStyle::Plain => Value::Scalar(text, Style::Plain),
                    TScalarStyle::SingleQuoted => Value::Scalar(text, Style::SingleQuoted),
                    TScalarStyle::DoubleQuoted => Value::Scalar(text, Style::DoubleQuoted),
                    TScalarStyle::Literal | TScalarStyle::Folded => {
                        Value::Scalar(text, Style::Block)
                    }
                };
                builder.finish_node(value, anchor, mark)?;
            }
            Event::Alias(id) => {
                // An alias to an anchor that is not finished yet (a self-reference) has no
                // value we could show, so it reads as empty rather than looping.
                let value = builder.anchors.get(&id).cloned().unwrap_or(Value::Null);
                builder.finish_node(value, 0, mark)?;
            }
            Event::SequenceStart(anchor, _) => builder.open(
                Frame::Seq {
                    items: Vec::new(),
                    anchor,
                },
                mark,
            )?,
            Event::MappingStart(anchor, _) => builder.open(
                Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    anchor,
                },
                mark,
            )?,
            Event::SequenceEnd | Event::MappingEnd => builder.close(mark)?,
        }
    }
    builder.into_entries(first_line)
}

impl Builder {
    fn count(&mut self, weight: usize, mark: Marker) -> Result<(), Rejection> {
        self.weight = self.weight.saturating_add(weight);
        if self.weight > MAX_WEIGHT {
            return Err(reject_at(
                mark,
                "the frontmatter expands to too many values (are aliases repeating each other?)",
            ));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame, mark: Marker) -> Result<(), Rejection> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(reject_at(
                mark,
                "values are nested too deeply for an agent file",
            ));
        }
        self.count(1, mark)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, mark: Marker) -> Result<(), Rejection> {
        let (value, anchor) = match self.stack.pop() {
            Some(Frame::Seq { items, anchor }) => (Value::Seq(items), anchor),
            Some(Frame::Map {
                mut entries,
                key,
                anchor,
            }) => {
                // The parser always pairs keys with values; this only guards the invariant.
                if let Some((key, _)) = key {
                    entries.push((key, Value::Null));
                }
                (Value::Map(entries), anchor)
            }
            None => {
                return Err(reject_at(
                    mark,
                    "a list or mapping closes that never opened",
                ));
            }
        };
        self.attach(value, anchor, mark)
    }

    /// Accounts for a finished scalar or alias and attaches it.
    fn finish_node(&mut self, value: Value, anchor: usize, mark: Marker) -> Result<(), Rejection> {
        self.count(value.weight(), mark)?;
        self.attach(value, anchor, mark)
    }

    /// Puts a finished value where it belongs: into the open list, as the pending key or value
    /// of the open mapping, or as the document's root.
    fn attach(&mut self, value: Value, anchor: usize, mark: Marker) -> Result<(), Rejection> {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        let depth = self.stack.len();
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some((value.display(), mark.line())),
                Some((key, key_line)) => {
                    if depth == 1 {
                        self.root_key_lines.push(key_line);
                    }
                    entries.push((key, value));
                }
            },
        }
        Ok(())
    }

    fn into_entries(self, first_line: usize) -> Result<Vec<Entry>, Rejection> {
        let start = |message: &str| Rejection {
            message: message.to_owned(),
            line: 1,
            column: 1,
        };
        match self.root {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Map(entries)) => Ok(entries
                .into_iter()
                .zip(self.root_key_lines)
                .map(|((key, value), line)| Entry {
                    key,
                    value,
                    line: first_line.saturating_add(line.saturating_sub(1)),
                })
                .collect()),
            Some(Value::Scalar(..)) => {
                Err(start("it is one piece of text, not `key: value` lines"))
            }
            Some(Value::Seq(_)) => Err(start("it is a list, not `key: value` lines")),
        }
    }
}

fn reject_at(mark: Marker, message: &str) -> Rejection {
    Rejection {
        message: message.to_owned(),
        line: mark.line(),
        column: mark.col().saturating_add(1),
    }
}

/// Recovers an unquoted hex colour that YAML read as a comment.
///
/// In `color: #ff8800` the `#` starts a comment, so YAML sees no value at all. People write it
/// that way all the time and the tool that runs agents shows the colour, so when the strict
/// reader finds an empty `color` the raw line is consulted for a `#` code.
pub(super) fn recover_hex_colour(entries: &mut [Entry], yaml: &str, first_line: usize) {
    for entry in entries.iter_mut() {
        if entry.key != "color" || entry.value != Value::Null {
            continue;
        }
        let index = entry.line.saturating_sub(first_line);
        let Some(line) = yaml.lines().nth(index) else {
            continue;
        };
        let written = line
            .strip_prefix("color:")
            .map(str::trim)
            .filter(|rest| rest.starts_with('#'))
            .and_then(|rest| rest.split_whitespace().next());
        if let Some(code) = written {
            entry.value = Value::Scalar(code.to_owned(), Style::Plain);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Scalar(s.to_owned(), Style::Plain)
    }

    fn keys_and_values(yaml: &str) -> Vec<(String, Value, usize)> {
        match read(yaml, 2) {
            Ok(entries) => entries
                .into_iter()
                .map(|entry| (entry.key, entry.value, entry.line))
                .collect(),
            Err(rejection) => panic!("{yaml:?} was rejected: {rejection:?}"),
        }
    }

    #[test]
    fn reads_a_mapping_with_lines() {
        let yaml = "name: qa\ntools:\n  - Read\n  - Bash\nmeta: {a: [1, 2]}\nempty:\n";
        let expected = vec![
            ("name".to_owned(), text("qa"), 2),
            (
                "tools".to_owned(),
                Value::Seq(vec![text("Read"), text("Bash")]),
                3,
            ),
            (
                "meta".to_owned(),
                Value::Map(vec![(
                    "a".to_owned(),
                    Value::Seq(vec![text("1"), text("2")]),
                )]),
                6,
            ),
            ("empty".to_owned(), Value::Null, 7),
        ];
        assert_eq!(keys_and_values(yaml), expected);
    }

    #[test]
    fn keeps_quoting_styles() {
        let yaml = "a: 'x'\nb: \"y\\tz\"\nc: |\n  line\nd: !!str null\n";
        let values: Vec<Value> = keys_and_values(yaml).into_iter().map(|e| e.1).collect();
        assert_eq!(
            values,
            vec![
                Value::Scalar("x".to_owned(), Style::SingleQuoted),
                Value::Scalar("y\tz".to_owned(), Style::DoubleQuoted),
                Value::Scalar("line\n".to_owned(), Style::Block),
                text("null"),
            ]
        );
    }

    #[test]
    fn resolves_aliases() {
        let yaml = "base: &b [Read, Grep]\ntools: *b\n";
        let values: Vec<Value> = keys_and_values(yaml).into_iter().map(|e| e.1).collect();
        assert_eq!(values[0], values[1]);
    }

    #[test]
    fn empty_or_comment_only_blocks_have_no_entries() {
        assert_eq!(read("", 2), Ok(Vec::new()));
        assert_eq!(read("# just a comment\n", 2), Ok(Vec::new()));
    }

    #[test]
    fn rejects_what_is_not_one_yaml_mapping() {
        let cases = [
            (
                "description: Use when: x\n",
                "mapping values are not allowed",
                1,
            ),
            ("name: a\ntools:\n\t- Read\n", "tab", 3),
            ("a: [1,\n", "", 2),
            ("Just some words\n", "one piece of text", 1),
            ("- a\n- b\n", "it is a list", 1),
            ("a: 1\n--- b\n", "second YAML document", 2),
            ("a: &x [*x]\nb: c: d\n", "mapping values", 2),
        ];
        for (yaml, message, line) in cases {
            match read(yaml, 2) {
                Ok(entries) => panic!("{yaml:?} was accepted as {entries:?}"),
                Err(rejection) => {
                    assert!(
                        rejection.message.contains(message),
                        "{yaml:?}: {rejection:?}"
                    );
                    assert_eq!(rejection.line, line, "{yaml:?}: {rejection:?}");
                }
            }
        }
    }

    #[test]
    fn refuses_deep_nesting_and_alias_bombs() {
        let deep = format!("a: {}\n", "- ".repeat(10_000));
        assert!(read(&deep, 2).is_err());
        let flow = format!("a: {}\n", "[".repeat(200));
        assert!(read(&flow, 2).is_err());

        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        match read(&bomb, 2) {
            Ok(_) => panic!("the alias bomb was expanded"),
            Err(rejection) => assert!(rejection.message.contains("too many values")),
        }
        let long = "x".repeat(100_000);
        let wide = format!("a: &a {long}\nb: [{}]\n", ["*a"; 100].join(", "));
        assert!(
            read(&wide, 2).is_err(),
            "copies of one long text are weighed by size"
        );
    }

    #[test]
    fn recovers_unquoted_hex_colours() {
        let yaml = "name: a\ncolor: #FF8800 \n";
        let mut entries = read(yaml, 2).unwrap_or_default();
        recover_hex_colour(&mut entries, yaml, 2);
        assert_eq!(entries[1].value, text("#FF8800"));
    }
}
