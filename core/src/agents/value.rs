//! The small value tree both frontmatter readers produce, and how a value is shown as text.
//!
//! It exists so that the strict YAML reader and the line-based fallback hand the same shape to
//! the field interpretation, which then never needs to know which reader ran. It deliberately
//! does not model YAML's type system (numbers, booleans, tags): the board only displays values,
//! so a scalar keeps the text as written plus how it was quoted, and the few places that care
//! whether something means `true` ask for that themselves.

/// How a scalar was written, which decides whether escapes have already been decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    /// Written bare, so words like `true` or `null` keep their YAML meaning.
    Plain,
    /// Written between single quotes.
    SingleQuoted,
    /// Written between double quotes, so backslash escapes were already turned into characters.
    DoubleQuoted,
    /// Written as a `|` or `>` block.
    Block,
}

/// One frontmatter value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    /// Nothing was written, or a bare `null` or `~`.
    Null,
    /// A piece of text and how it was quoted.
    Scalar(String, Style),
    /// A list, in file order.
    Seq(Vec<Value>),
    /// A mapping, in file order; keys are kept as display text.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// Reads a bare word, turning YAML's spellings of null into [`Value::Null`].
    pub(super) fn plain(text: &str) -> Value {
        if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
            Value::Null
        } else {
            Value::Scalar(text.to_owned(), Style::Plain)
        }
    }

    /// Whether the value switches something on, as in `Read: true` inside a tools map.
    ///
    /// Besides YAML 1.2's `true` this accepts YAML 1.1's `yes` and `on` in any case, because
    /// tool maps are written by hand and the older spellings still turn up.
    pub(super) fn truthiness(&self) -> Option<bool> {
        match self {
            Value::Scalar(text, _) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Some(true),
                "false" | "no" | "off" => Some(false),
                _ => None,
            },
            Value::Null => Some(false),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// Roughly what the tree costs in memory: one per node plus the bytes of its text, so
    /// alias expansion can be held to a budget whether it copies many nodes or long texts.
    pub(super) fn weight(&self) -> usize {
        match self {
            Value::Null => 1,
            Value::Scalar(text, _) => text.len().saturating_add(1),
            Value::Seq(items) => items
                .iter()
                .map(Value::weight)
                .fold(1, usize::saturating_add),
            Value::Map(entries) => entries
                .iter()
                .map(|(key, value)| key.len().saturating_add(value.weight()))
                .fold(1, usize::saturating_add),
        }
    }

    /// The value as one line of text for the board's "other fields" list.
    ///
    /// A top-level list reads as `a, b, c` because that is how people write such lists in
    /// prose; nested lists and maps get brackets so their structure is still visible.
    pub(super) fn display(&self) -> String {
        match self {
            Value::Seq(items) => items
                .iter()
                .map(Value::display_nested)
                .collect::<Vec<_>>()
                .join(", "),
            Value::Map(entries) => entries
                .iter()
                .map(|(key, value)| format!("{key}: {}", value.display_nested()))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Null | Value::Scalar(..) => self.display_nested(),
        }
    }

    fn display_nested(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Scalar(text, _) => text.clone(),
            Value::Seq(_) => format!("[{}]", self.display()),
            Value::Map(_) => format!("{{{}}}", self.display()),
        }
    }
}

/// One top-level `key: value` of the frontmatter and the file line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Entry {
    pub(super) key: String,
    pub(super) value: Value,
    /// The 1-based line in the whole file, for warnings a person can find in an editor.
    pub(super) line: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Scalar(s.to_owned(), Style::Plain)
    }

    #[test]
    fn displays_values_as_one_line() {
        let cases = [
            (Value::Null, ""),
            (text("1.0"), "1.0"),
            (Value::Seq(vec![text("a"), text("b")]), "a, b"),
            (
                Value::Seq(vec![text("a"), Value::Seq(vec![text("b"), text("c")])]),
                "a, [b, c]",
            ),
            (
                Value::Map(vec![
                    ("x".to_owned(), text("1")),
                    (
                        "y".to_owned(),
                        Value::Map(vec![("z".to_owned(), Value::Null)]),
                    ),
                ]),
                "x: 1, y: {z: }",
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(value.display(), expected, "{value:?}");
        }
    }

    #[test]
    fn reads_plain_nulls_and_truthiness() {
        assert_eq!(Value::plain("~"), Value::Null);
        assert_eq!(Value::plain("NULL"), Value::Null);
        assert_eq!(Value::plain("nil"), text("nil"));
        assert_eq!(text("TRUE").truthiness(), Some(true));
        assert_eq!(text("yes").truthiness(), Some(true));
        assert_eq!(text("Off").truthiness(), Some(false));
        assert_eq!(text("read-only").truthiness(), None);
        assert_eq!(Value::Null.truthiness(), Some(false));
    }
}

/// Splits `text` at separator characters that are outside brackets and quotes.
///
/// Shared by the lenient reader (flow lists such as `[Read, "Bash(a, b)"]`) and the tools field
/// (`Read, Bash(git add:*)`), where a comma inside parentheses belongs to one tool's pattern.
/// Pieces are trimmed and empty ones dropped, so trailing commas are harmless.
pub(super) fn split_outside_brackets(text: &str, is_separator: impl Fn(char) -> bool) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut depth = 0_usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        match (quote, c) {
            (Some(open), _) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth = depth.saturating_add(1),
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, _) if depth == 0 && is_separator(c) => {
                pieces.push(text.get(start..index).unwrap_or(""));
                start = index + c.len_utf8();
            }
            (None, _) => {}
        }
    }
    pieces.push(text.get(start..).unwrap_or(""));
    pieces
        .into_iter()
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .collect()
}

#[cfg(test)]
mod split_tests {
    use super::split_outside_brackets;

    #[test]
    fn splits_outside_brackets_and_quotes() {
        let commas = |text| split_outside_brackets(text, |c| c == ',');
        assert_eq!(commas("Read, Write,,"), ["Read", "Write"]);
        assert_eq!(
            commas("Bash(a, b), 'x, y', [p, q]"),
            ["Bash(a, b)", "'x, y'", "[p, q]"]
        );
        assert_eq!(commas("  "), Vec::<&str>::new());
        assert_eq!(commas("a)), b"), ["a))", "b"]);
        assert_eq!(commas("é,ü"), ["é", "ü"]);
        let spaces = split_outside_brackets("Bash(git add:*) Read\tGrep", char::is_whitespace);
        assert_eq!(spaces, ["Bash(git add:*)", "Read", "Grep"]);
    }
}
