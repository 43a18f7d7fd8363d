//! The agent's fields: what `name`, `description`, `tools`, `model` and `color` mean once the
//! frontmatter has been read, and what to say when a value cannot be used.
//!
//! It owns the interpretation rules that both readers share, so a strict and a lenient reading
//! of the same values give the same agent. It deliberately does not know which reader ran or
//! where the block sits in the file; it only sees entries with their line numbers.

use super::color;
use super::value::{Entry, Style, Value, split_outside_brackets};
use std::collections::{HashMap, HashSet};

/// The interpreted frontmatter.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Fields {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) tools: Vec<String>,
    pub(super) model: Option<String>,
    pub(super) color: Option<String>,
    pub(super) extra: Vec<(String, String)>,
}

impl Fields {
    /// The fields of a file without frontmatter: only the name, taken from the file name.
    pub(super) fn named(stem: &str) -> Fields {
        Fields {
            name: stem.to_owned(),
            ..Fields::default()
        }
    }
}

/// Interprets the frontmatter entries; `stem` is the name to fall back on.
pub(super) fn interpret(entries: Vec<Entry>, stem: &str, warnings: &mut Vec<String>) -> Fields {
    let entries = last_of_each_key(entries, warnings);
    let find = |key: &str| entries.iter().find(|entry| entry.key == key);
    let tools_key = if find("tools").is_some() {
        "tools"
    } else {
        "allowed-tools"
    };
    let mut fields = Fields {
        name: name(find("name"), stem, warnings),
        description: description(find("description"), warnings),
        tools: find(tools_key)
            .map(|e| tools(e, warnings))
            .unwrap_or_default(),
        model: find("model").and_then(|e| model(e, warnings)),
        color: find("color").and_then(|e| colour(e, warnings)),
        extra: Vec::new(),
    };
    let known = ["name", "description", tools_key, "model", "color"];
    fields.extra = entries
        .into_iter()
        .filter(|entry| !known.contains(&entry.key.as_str()))
        .map(|entry| (entry.key, entry.value.display()))
        .collect();
    fields
}

/// Keeps the last entry for each key, as YAML readers that allow repeats do, and says so.
fn last_of_each_key(entries: Vec<Entry>, warnings: &mut Vec<String>) -> Vec<Entry> {
    let mut last: HashMap<&str, usize> = HashMap::new();
    let mut lines: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        last.insert(&entry.key, index);
        lines.entry(&entry.key).or_default().push(entry.line);
    }
    // Entries are in file order, so this reports keys in the order they first appear.
    for entry in &entries {
        if let Some(lines) = lines.remove(entry.key.as_str())
            && lines.len() > 1
        {
            warnings.push(format!(
                "`{}` is set more than once (lines {}); the last one is used",
                entry.key,
                list_lines(&lines)
            ));
        }
    }
    let keep: Vec<bool> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| last.get(entry.key.as_str()) == Some(&index))
        .collect();
    entries
        .into_iter()
        .zip(keep)
        .filter_map(|(entry, keep)| keep.then_some(entry))
        .collect()
}

/// Lists line numbers for a message, naming only the first few so that a file with thousands
/// of repeats still gets a readable warning.
fn list_lines(lines: &[usize]) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<String> = lines.iter().take(SHOWN).map(ToString::to_string).collect();
    let more = lines.len().saturating_sub(SHOWN);
    if more == 0 {
        shown.join(", ")
    } else {
        format!("{} and {more} more", shown.join(", "))
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
        Value::Null | Value::Scalar(..) => "text",
    }
}

fn name(entry: Option<&Entry>, stem: &str, warnings: &mut Vec<String>) -> String {
    let Some(entry) = entry else {
        warnings.push(format!(
            "there is no `name`, so the file name `{stem}` is used"
        ));
        return stem.to_owned();
    };
    let written = match &entry.value {
        Value::Scalar(text, _) => text.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Null => String::new(),
        other => {
            warnings.push(format!(
                "line {}: `name` is {}, not text, so the file name `{stem}` is used",
                entry.line,
                kind(other)
            ));
            return stem.to_owned();
        }
    };
    if written.is_empty() {
        warnings.push(format!(
            "line {}: `name` is empty, so the file name `{stem}` is used",
            entry.line
        ));
        return stem.to_owned();
    }
    written
}

fn description(entry: Option<&Entry>, warnings: &mut Vec<String>) -> String {
    let Some(entry) = entry else {
        warnings.push(
            "there is no `description`, which is what tells the agent runner when to use this agent"
                .to_owned(),
        );
        return String::new();
    };
    match &entry.value {
        // In a double-quoted value YAML has already turned `\n` into a line break, so a
        // backslash still there was written as `\\` on purpose. Everywhere else a literal `\n`
        // is how people put line breaks into a one-line description.
        Value::Scalar(text, Style::DoubleQuoted) => text.trim().to_owned(),
        Value::Scalar(text, _) => text.replace("\\n", "\n").trim().to_owned(),
        Value::Null => {
            warnings.push(format!("line {}: `description` is empty", entry.line));
            String::new()
        }
        other => {
            warnings.push(format!(
                "line {}: `description` is {}, not text; it is shown as written",
                entry.line,
                kind(other)
            ));
            other.display()
        }
    }
}

/// Reads the tool list in any of the shapes people use.
///
/// A string is split at commas outside parentheses (`Bash(git add:*, git commit:*)` is one
/// tool); a string with no commas is split at spaces, the way `allowed-tools` is often
/// written. A mapping keeps the tools switched on. Duplicates are dropped, first one kept.
fn tools(entry: &Entry, warnings: &mut Vec<String>) -> Vec<String> {
    let mut tools: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut add = |written: &str| {
        for tool in split_tool_list(written) {
            if seen.insert(tool.to_owned()) {
                tools.push(tool.to_owned());
            }
        }
    };
    let key = &entry.key;
    match &entry.value {
        Value::Null => {}
        Value::Scalar(text, _) => add(text),
        Value::Seq(items) => {
            for item in items {
                match item {
                    Value::Scalar(text, _) => add(text),
                    Value::Null => {}
                    other => warnings.push(format!(
                        "line {}: an item of `{key}` is {}, not a tool name, and was left out",
                        entry.line,
                        kind(other)
                    )),
                }
            }
        }
        Value::Map(pairs) => {
            for (tool, switch) in pairs {
                match switch.truthiness() {
                    Some(true) => add(tool),
                    Some(false) => {}
                    None => warnings.push(format!(
                        "line {}: `{key}` sets `{tool}` to `{}`, which is neither true nor \
                         false, so it was left out",
                        entry.line,
                        switch.display()
                    )),
                }
            }
        }
    }
    tools
}

fn split_tool_list(written: &str) -> Vec<&str> {
    let trimmed = written.trim();
    let inner = trimmed
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(trimmed);
    let pieces = split_outside_brackets(inner, |c| c == ',');
    let pieces = match pieces.as_slice() {
        [single] => split_outside_brackets(single, char::is_whitespace),
        _ => pieces,
    };
    pieces
        .into_iter()
        .map(unquote)
        .filter(|t| !t.is_empty())
        .collect()
}

fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner.trim();
        }
    }
    text
}

fn model(entry: &Entry, warnings: &mut Vec<String>) -> Option<String> {
    match &entry.value {
        Value::Scalar(text, _) => Some(text.trim().to_owned()).filter(|m| !m.is_empty()),
        Value::Null => None,
        other => {
            warnings.push(format!(
                "line {}: `model` is {}, not a model name, and was left out",
                entry.line,
                kind(other)
            ));
            None
        }
    }
}

fn colour(entry: &Entry, warnings: &mut Vec<String>) -> Option<String> {
    match &entry.value {
        Value::Scalar(text, _) if text.trim().is_empty() => None,
        Value::Scalar(text, _) => {
            let normalised = color::normalise(text);
            if normalised.is_none() {
                warnings.push(format!(
                    "line {}: `{}` is not a CSS colour name or a #hex code, so the agent has no \
                     colour",
                    entry.line,
                    text.trim()
                ));
            }
            normalised
        }
        Value::Null => None,
        other => {
            warnings.push(format!(
                "line {}: `color` is {}, not a colour, so the agent has no colour",
                entry.line,
                kind(other)
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, value: Value, line: usize) -> Entry {
        Entry {
            key: key.to_owned(),
            value,
            line,
        }
    }

    fn text(s: &str) -> Value {
        Value::Scalar(s.to_owned(), Style::Plain)
    }

    fn tools_of(value: Value) -> (Vec<String>, Vec<String>) {
        let mut warnings = Vec::new();
        let tools = tools(&entry("tools", value, 4), &mut warnings);
        (tools, warnings)
    }

    #[test]
    fn reads_every_tool_list_shape() {
        let cases: Vec<(Value, &[&str])> = vec![
            (text("Read, Write,Bash"), &["Read", "Write", "Bash"]),
            (text("Read Grep  Glob"), &["Read", "Grep", "Glob"]),
            (
                text("Bash(git add:*, git commit:*), Read"),
                &["Bash(git add:*, git commit:*)", "Read"],
            ),
            (text("Bash(git add:*) Read"), &["Bash(git add:*)", "Read"]),
            (text("[Read, 'Grep']"), &["Read", "Grep"]),
            (text("Read, Read, Write"), &["Read", "Write"]),
            (text("*"), &["*"]),
            (text(""), &[]),
            (Value::Null, &[]),
            (
                Value::Seq(vec![text("Read"), Value::Null, text(" Edit ")]),
                &["Read", "Edit"],
            ),
            (
                Value::Map(vec![
                    ("Read".to_owned(), text("true")),
                    ("Write".to_owned(), text("false")),
                    ("Bash".to_owned(), text("yes")),
                    ("Edit".to_owned(), Value::Null),
                ]),
                &["Read", "Bash"],
            ),
        ];
        for (value, expected) in cases {
            let (tools, warnings) = tools_of(value.clone());
            assert_eq!(tools, expected, "tools from {value:?}");
            assert!(warnings.is_empty(), "{value:?}: {warnings:?}");
        }
    }

    #[test]
    fn warns_about_tools_it_cannot_read() {
        let (tools, warnings) = tools_of(Value::Map(vec![("Read".to_owned(), text("maybe"))]));
        assert!(tools.is_empty());
        assert_eq!(
            warnings,
            [
                "line 4: `tools` sets `Read` to `maybe`, which is neither true nor false, so it was \
              left out"
            ]
        );
        let (tools, warnings) = tools_of(Value::Seq(vec![text("Read"), Value::Seq(vec![])]));
        assert_eq!(tools, ["Read"]);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn keeps_the_last_of_repeated_keys() {
        let mut warnings = Vec::new();
        let fields = interpret(
            vec![
                entry("name", text("a"), 2),
                entry("model", text("haiku"), 3),
                entry("x", text("1"), 4),
                entry("model", text("opus"), 5),
            ],
            "stem",
            &mut warnings,
        );
        assert_eq!(fields.model.as_deref(), Some("opus"));
        assert_eq!(fields.extra, [("x".to_owned(), "1".to_owned())]);
        assert_eq!(
            warnings,
            [
                "`model` is set more than once (lines 3, 5); the last one is used",
                "there is no `description`, which is what tells the agent runner when to use \
                 this agent",
            ]
        );
    }

    #[test]
    fn lists_a_few_lines_at_most() {
        assert_eq!(list_lines(&[3, 7]), "3, 7");
        assert_eq!(
            list_lines(&[1, 2, 3, 4, 5, 6, 7]),
            "1, 2, 3, 4, 5 and 2 more"
        );
    }

    #[test]
    fn falls_back_to_the_file_name() {
        let cases = [
            (Some(text("  Spaced   Name \n")), "Spaced Name", None),
            (Some(text("   ")), "stem", Some("line 2: `name` is empty")),
            (Some(Value::Null), "stem", Some("line 2: `name` is empty")),
            (
                Some(Value::Seq(vec![])),
                "stem",
                Some("line 2: `name` is a list"),
            ),
            (None, "stem", Some("there is no `name`")),
        ];
        for (value, expected, warning) in cases {
            let mut warnings = Vec::new();
            let entry = value.map(|value| entry("name", value, 2));
            assert_eq!(name(entry.as_ref(), "stem", &mut warnings), expected);
            match warning {
                Some(warning) => assert!(warnings[0].starts_with(warning), "{warnings:?}"),
                None => assert!(warnings.is_empty(), "{warnings:?}"),
            }
        }
    }
}
