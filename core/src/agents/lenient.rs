//! The lenient reader: frontmatter that YAML rejects, read line by line the way the tool that
//! runs agents tolerates it.
//!
//! It owns the line-based rules: a line at column 0 of the form `key: value` starts an entry,
//! and every other line continues the entry before it. Values are then read with the common
//! YAML forms in mind (quotes, `|` and `>` blocks, `[a, b]`, `- item` lists, `Tool: true`
//! maps), because a file broken in one place is usually ordinary YAML everywhere else. It
//! deliberately does not try to be YAML: no anchors, no nesting beyond one level, no comments
//! after values. Its only goal is to recover what the author obviously meant.

use super::value::{Entry, Style, Value, split_outside_brackets};
use std::collections::HashSet;

/// What the lenient reader recovered.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct LenientRead {
    pub(super) entries: Vec<Entry>,
    /// File lines that came before any key and so belong to nothing.
    pub(super) skipped_lines: Vec<usize>,
}

/// An entry whose lines are still being collected.
struct Pending<'a> {
    key: &'a str,
    /// The text after `key:` on the key's own line.
    rest: &'a str,
    continuation: Vec<&'a str>,
    line: usize,
    /// Tags such as `<example>` opened in this value and not closed yet.
    open_tags: Vec<&'a str>,
}

/// Reads `yaml` line by line; `first_line` is the file line the block starts on.
pub(super) fn read(yaml: &str, first_line: usize) -> LenientRead {
    let closing_tags = closing_tag_names(yaml);
    let mut entries = Vec::new();
    let mut skipped_lines = Vec::new();
    let mut pending: Option<Pending> = None;
    for (index, line) in yaml.lines().enumerate() {
        let file_line = first_line.saturating_add(index);
        // Inside an open `<example>` block everything is text, even `user: ...` lines that
        // would otherwise look like keys; that is the most common way real files break YAML.
        if let Some(entry) = pending.as_mut()
            && !entry.open_tags.is_empty()
        {
            entry.continue_with(line, &closing_tags);
            continue;
        }
        if let Some((key, rest)) = split_top_level_key(line) {
            entries.extend(pending.take().map(Pending::finish));
            let mut entry = Pending {
                key,
                rest,
                continuation: Vec::new(),
                line: file_line,
                open_tags: Vec::new(),
            };
            track_tags(rest, &closing_tags, &mut entry.open_tags);
            pending = Some(entry);
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        match pending.as_mut() {
            Some(entry) => entry.continue_with(line, &closing_tags),
            None if line.trim().is_empty() => {}
            None => skipped_lines.push(file_line),
        }
    }
    entries.extend(pending.map(Pending::finish));
    LenientRead {
        entries,
        skipped_lines,
    }
}

impl<'a> Pending<'a> {
    fn continue_with(&mut self, line: &'a str, closing_tags: &HashSet<&str>) {
        track_tags(line, closing_tags, &mut self.open_tags);
        self.continuation.push(line);
    }

    fn finish(self) -> Entry {
        Entry {
            key: self.key.to_owned(),
            value: interpret(self.rest, &self.continuation),
            line: self.line,
        }
    }
}

/// Recognises a top-level `key: value` line.
///
/// Keys must start at column 0 with a lower-case letter or `_`, because every key the tool
/// defines does (`name`, `allowed-tools`, `permissionMode`), while prose that wraps onto a new
/// line often starts with a capitalised `Example:` or `Note:`.
fn split_top_level_key(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let mut chars = key.chars();
    let first = chars.next()?;
    let key_like = (first.is_ascii_lowercase() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let separated = rest.is_empty() || rest.starts_with([' ', '\t']);
    (key_like && separated).then_some((key, rest))
}

/// A relaxed `key: value` for lines inside a value, such as `  Read: true` in a tools map.
fn split_nested_key(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim();
    let (key, value) = match trimmed.split_once(": ") {
        Some(pair) => pair,
        None => (trimmed.strip_suffix(':')?, ""),
    };
    let key = key.trim();
    let key_like = !key.is_empty() && !key.starts_with(['-', '#', '<']) && !key.contains(' ');
    key_like.then_some((unquote_key(key), value.trim()))
}

fn unquote_key(key: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = key.strip_prefix(quote).and_then(|k| k.strip_suffix(quote)) {
            return inner;
        }
    }
    key
}

/// Every tag name that is closed somewhere in the block, like `example` for `</example>`.
///
/// Only these count as open when seen as `<example>`, so text such as `Vec<T>` or an
/// unclosed `<br>` cannot swallow the rest of the frontmatter.
fn closing_tag_names(text: &str) -> HashSet<&str> {
    text.split("</")
        .skip(1)
        .filter_map(|after| {
            tag_name(after)
                .filter(|(_, end)| *end == '>')
                .map(|(n, _)| n)
        })
        .collect()
}

/// Reads a tag name at the start of `text`, with the character that follows it.
fn tag_name(text: &str) -> Option<(&str, char)> {
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))?;
    let name = text.get(..end.0)?;
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some((name, end.1))
}

/// How many tags may be open at once. Real example blocks nest two or three deep; the cap keeps
/// a file made of thousands of unclosed tags from making every later line slow to read.
const MAX_OPEN_TAGS: usize = 16;

/// Updates the stack of open tags with the tags that open and close in `line`.
fn track_tags<'a>(line: &'a str, closing_tags: &HashSet<&str>, open: &mut Vec<&'a str>) {
    for after in line.split('<').skip(1) {
        if let Some(closing) = after.strip_prefix('/') {
            if let Some((name, '>')) = tag_name(closing)
                && let Some(position) = open.iter().rposition(|o| *o == name)
            {
                open.remove(position);
            }
        } else if let Some((name, next)) = tag_name(after)
            && (next == '>' || next.is_whitespace())
            && open.len() < MAX_OPEN_TAGS
            && closing_tags.contains(name)
        {
            open.push(name);
        }
    }
}

/// Turns the text of one entry into a value, recognising the YAML forms people use.
fn interpret(rest: &str, continuation: &[&str]) -> Value {
    let rest = rest.trim();
    if let Some(header) = BlockHeader::parse(rest) {
        return Value::Scalar(header.read(continuation), Style::Block);
    }
    let lines = trim_blank_ends(continuation);
    if rest.is_empty() {
        return interpret_indented(lines);
    }
    if lines.is_empty() {
        return interpret_one_line(rest);
    }
    let all = std::iter::once(rest).chain(lines.iter().map(|line| line.trim()));
    let folded = all.clone().collect::<Vec<_>>().join(" ");
    if let Some(value) = flow_collection(&folded) {
        return value;
    }
    if let Some(value) = quoted(rest, lines) {
        return value;
    }
    // Line breaks are kept: in a file that is not valid YAML they are far more often
    // deliberate (example dialogues, bullet points) than a long line wrapped by an editor.
    Value::Scalar(all.collect::<Vec<_>>().join("\n"), Style::Plain)
}

fn interpret_one_line(text: &str) -> Value {
    let text = text.trim();
    flow_collection(text)
        .or_else(|| quoted(text, &[]))
        .unwrap_or_else(|| Value::plain(text))
}

/// Reads a value that starts on the lines below its key.
fn interpret_indented(lines: &[&str]) -> Value {
    let filled: Vec<&str> = lines
        .iter()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .collect();
    if filled.is_empty() {
        return Value::Null;
    }
    if filled
        .iter()
        .all(|line| *line == "-" || line.starts_with("- "))
    {
        let items = filled.iter().map(|line| {
            let item = line.strip_prefix('-').unwrap_or(line).trim();
            interpret_one_line(item)
        });
        return Value::Seq(items.collect());
    }
    let pairs: Option<Vec<(String, Value)>> = filled
        .iter()
        .map(|line| split_nested_key(line).map(|(k, v)| (k.to_owned(), interpret_one_line(v))))
        .collect();
    if let Some(pairs) = pairs {
        return Value::Map(pairs);
    }
    Value::Scalar(filled.join("\n"), Style::Plain)
}

/// Reads `[a, b]` as a list and `{a: b}` as a mapping, one level deep.
fn flow_collection(text: &str) -> Option<Value> {
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        let items = split_outside_brackets(inner, |c| c == ',');
        return Some(Value::Seq(
            items.into_iter().map(interpret_one_line).collect(),
        ));
    }
    let inner = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'))?;
    let pairs = split_outside_brackets(inner, |c| c == ',')
        .into_iter()
        .map(|pair| match pair.split_once(':') {
            Some((key, value)) => (
                unquote_key(key.trim()).to_owned(),
                interpret_one_line(value),
            ),
            None => (unquote_key(pair).to_owned(), Value::Null),
        });
    Some(Value::Map(pairs.collect()))
}

/// Reads a single- or double-quoted value, folded over its lines the way YAML folds them.
///
/// Returns `None` when the quotes do not close at the very end (`"Use this" for x`), which is
/// plain text that happens to start with a quote.
fn quoted(first: &str, continuation: &[&str]) -> Option<Value> {
    let quote = first.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut source = first.to_owned();
    for line in continuation {
        let line = line.trim();
        if line.is_empty() {
            source.push('\n');
        } else {
            if !source.ends_with('\n') {
                source.push(' ');
            }
            source.push_str(line);
        }
    }
    let inner = source.get(1..)?;
    if quote == '"' {
        unescape_double_quoted(inner).map(|text| Value::Scalar(text, Style::DoubleQuoted))
    } else {
        unescape_single_quoted(inner).map(|text| Value::Scalar(text, Style::SingleQuoted))
    }
}

/// Decodes the inside of a double-quoted scalar; `None` unless the closing quote ends the text.
fn unescape_double_quoted(inner: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return chars.as_str().trim().is_empty().then_some(out),
            '\\' => {
                let Some(escape) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let hex_digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                if hex_digits > 0 {
                    let digits: String = chars.by_ref().take(hex_digits).collect();
                    let decoded = u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32);
                    out.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
                    continue;
                }
                match escape {
                    '0' => out.push('\0'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    't' | '\t' => out.push('\t'),
                    'n' => out.push('\n'),
                    'v' => out.push('\u{b}'),
                    'f' => out.push('\u{c}'),
                    'r' => out.push('\r'),
                    'e' => out.push('\u{1b}'),
                    'N' => out.push('\u{85}'),
                    '_' => out.push('\u{a0}'),
                    'L' => out.push('\u{2028}'),
                    'P' => out.push('\u{2029}'),
                    ' ' | '"' | '/' | '\\' => out.push(escape),
                    // An unknown escape is a typo, not an intent; keeping both characters
                    // shows the author exactly what they wrote.
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            other => out.push(other),
        }
    }
    None
}

/// Decodes the inside of a single-quoted scalar; `None` unless the closing quote ends the text.
fn unescape_single_quoted(inner: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            out.push(c);
        } else if chars.peek() == Some(&'\'') {
            chars.next();
            out.push('\'');
        } else {
            return chars.collect::<String>().trim().is_empty().then_some(out);
        }
    }
    None
}

fn trim_blank_ends<'s, 'a>(lines: &'s [&'a str]) -> &'s [&'a str] {
    let start = lines
        .iter()
        .position(|line| !line.trim().is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|line| !line.trim().is_empty())
        .map_or(start, |last| last + 1);
    lines.get(start..end).unwrap_or(&[])
}

/// The header of a `|` or `>` block scalar, such as `>-` or `|2+`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BlockHeader {
    folded: bool,
    chomping: Chomping,
    indent: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chomping {
    Strip,
    Clip,
    Keep,
}

impl BlockHeader {
    fn parse(rest: &str) -> Option<BlockHeader> {
        let mut chars = rest.chars();
        let folded = match chars.next()? {
            '|' => false,
            '>' => true,
            _ => return None,
        };
        let mut header = BlockHeader {
            folded,
            chomping: Chomping::Clip,
            indent: None,
        };
        let mut remaining = chars.as_str();
        while let Some(c) = remaining.chars().next() {
            match c {
                '-' if header.chomping == Chomping::Clip => header.chomping = Chomping::Strip,
                '+' if header.chomping == Chomping::Clip => header.chomping = Chomping::Keep,
                '1'..='9' if header.indent.is_none() => {
                    header.indent = c.to_digit(10).and_then(|d| usize::try_from(d).ok());
                }
                _ => break,
            }
            remaining = remaining.get(c.len_utf8()..).unwrap_or("");
        }
        let remaining = remaining.trim();
        (remaining.is_empty() || remaining.starts_with('#')).then_some(header)
    }

    fn read(self, lines: &[&str]) -> String {
        let indent = self.indent.unwrap_or_else(|| {
            lines
                .iter()
                .filter(|line| !line.trim().is_empty())
                .map(|line| leading_whitespace(line))
                .min()
                .unwrap_or(0)
        });
        let body: Vec<&str> = lines
            .iter()
            .map(|line| {
                line.get(leading_whitespace(line).min(indent)..)
                    .unwrap_or("")
            })
            .collect();
        let text = if self.folded {
            fold(&body)
        } else {
            body.join("\n")
        };
        let content = text.trim_end_matches('\n');
        match self.chomping {
            Chomping::Strip => content.to_owned(),
            Chomping::Clip if content.is_empty() => String::new(),
            Chomping::Clip => format!("{content}\n"),
            Chomping::Keep => format!("{text}\n"),
        }
    }
}

/// Counts the leading spaces and tabs, which are one byte each.
fn leading_whitespace(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Folds lines the way a `>` block does: lines join with a space, a blank line is a line
/// break, and more-indented lines keep their own lines.
fn fold(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut previous_joins = false;
    for line in lines {
        if line.trim().is_empty() {
            out.push('\n');
            previous_joins = false;
            continue;
        }
        let more_indented = line.starts_with([' ', '\t']);
        if previous_joins && !more_indented {
            out.push(' ');
        } else if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(line);
        previous_joins = !more_indented;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Scalar(s.to_owned(), Style::Plain)
    }

    fn read_values(yaml: &str) -> Vec<(String, Value)> {
        read(yaml, 2)
            .entries
            .into_iter()
            .map(|entry| (entry.key, entry.value))
            .collect()
    }

    fn check(yaml: &str, expected: &[(&str, Value)]) {
        let expected: Vec<(String, Value)> = expected
            .iter()
            .map(|(key, value)| ((*key).to_owned(), value.clone()))
            .collect();
        assert_eq!(read_values(yaml), expected, "reading {yaml:?}");
    }

    #[test]
    fn reads_keys_with_continuation_lines() {
        check(
            "name: qa\ndescription: Use when: tests fail\n  and more\nNote: wrapped\nmodel: opus\n",
            &[
                ("name", text("qa")),
                (
                    "description",
                    text("Use when: tests fail\nand more\nNote: wrapped"),
                ),
                ("model", text("opus")),
            ],
        );
    }

    #[test]
    fn example_blocks_keep_key_like_lines() {
        let yaml = "description: Use it. <example>\nuser: \"hi\"\nassistant: ok\n</example> Done.\n\
                    tools: Read\n";
        check(
            yaml,
            &[
                (
                    "description",
                    text("Use it. <example>\nuser: \"hi\"\nassistant: ok\n</example> Done."),
                ),
                ("tools", text("Read")),
            ],
        );
        // A tag that never closes does not swallow the keys after it.
        check(
            "description: returns Vec<T> or <br>\nmodel: x\n",
            &[
                ("description", text("returns Vec<T> or <br>")),
                ("model", text("x")),
            ],
        );
    }

    #[test]
    fn reads_common_yaml_forms() {
        let quoted = |s: &str| Value::Scalar(s.to_owned(), Style::DoubleQuoted);
        let single = |s: &str| Value::Scalar(s.to_owned(), Style::SingleQuoted);
        let block = |s: &str| Value::Scalar(s.to_owned(), Style::Block);
        let cases: Vec<(&str, Value)> = vec![
            ("a: \"x: y\\n\\u00e9\"", quoted("x: y\né")),
            ("a: \"one\n  two\n\n  three\"", quoted("one two\nthree")),
            ("a: \"open only", text("\"open only")),
            ("a: \"closed\" then more", text("\"closed\" then more")),
            ("a: 'it''s: fine'", single("it's: fine")),
            ("a: |\n  one\n    two\n\n", block("one\n  two\n")),
            ("a: >-\n  one\n  two\n\n  three\n", block("one two\nthree")),
            ("a: |+\n  x\n\n", block("x\n\n")),
            ("a: |2\n    x\n", block("  x\n")),
            ("a: >\n", block("")),
            (
                "a: [Read, 'Bash(a, b)', ]",
                Value::Seq(vec![text("Read"), single("Bash(a, b)")]),
            ),
            (
                "a: [Read,\n  Grep]",
                Value::Seq(vec![text("Read"), text("Grep")]),
            ),
            (
                "a: {Read: true, Write: false}",
                Value::Map(vec![
                    ("Read".to_owned(), text("true")),
                    ("Write".to_owned(), text("false")),
                ]),
            ),
            (
                "a:\n  - Read\n  -\n  - \"Grep\"",
                Value::Seq(vec![text("Read"), Value::Null, quoted("Grep")]),
            ),
            (
                "a:\n  Read: true\n  'Write': no\n",
                Value::Map(vec![
                    ("Read".to_owned(), text("true")),
                    ("Write".to_owned(), text("no")),
                ]),
            ),
            ("a:\n  just text\n  more\n", text("just text\nmore")),
            ("a:", Value::Null),
            ("a: ~", Value::Null),
            ("a: \"\\", text("\"\\")),
        ];
        for (yaml, expected) in cases {
            check(yaml, &[("a", expected)]);
        }
    }

    #[test]
    fn skips_comments_and_reports_orphan_lines() {
        let read = read("orphan line\n# comment\n\nname: a\n# note\nAlso: text\n", 2);
        assert_eq!(read.skipped_lines, vec![2]);
        assert_eq!(read.entries.len(), 1);
        assert_eq!(read.entries[0].value, text("a\nAlso: text"));
        assert_eq!(read.entries[0].line, 5);
    }

    #[test]
    fn recognises_block_headers() {
        let header = |folded, chomping, indent| {
            Some(BlockHeader {
                folded,
                chomping,
                indent,
            })
        };
        assert_eq!(BlockHeader::parse("|"), header(false, Chomping::Clip, None));
        assert_eq!(
            BlockHeader::parse(">-"),
            header(true, Chomping::Strip, None)
        );
        assert_eq!(
            BlockHeader::parse("|2+ # c"),
            header(false, Chomping::Keep, Some(2))
        );
        assert_eq!(BlockHeader::parse("|+-"), None);
        assert_eq!(BlockHeader::parse("| text"), None);
        assert_eq!(BlockHeader::parse(">é"), None);
    }
}
