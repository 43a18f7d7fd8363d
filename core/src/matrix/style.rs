//! How a file writes its JSON, so that a changed requirement is written back the same way.
//!
//! This module owns the detection of a file's indentation, separators, line endings and string
//! escaping (Python's `json.dump` escapes non-ASCII as `\uXXXX`, JavaScript's `JSON.stringify`
//! does not, PHP escapes `/`), and a serde_json `Formatter` that writes in that style. It
//! renders one value at a time; splicing it into the file is `Matrix::export`'s job.
//!
//! serde_json's own `PrettyFormatter` cannot do this: it has no base indentation for a value
//! nested deep in a file, no `\uXXXX` escaping and no CRLF, hence this small formatter.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::{Map, Value};

/// The writing habits of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    /// One level of indentation (two spaces, four spaces, a tab); `None` when the file
    /// writes everything on one line.
    indent: Option<String>,
    newline: &'static str,
    /// Escape every non-ASCII character as `\uXXXX` (Python's default).
    ascii: bool,
    /// Escape `/` as `\/` (PHP's default).
    escape_slash: bool,
}

impl Style {
    /// Reads the habits of a whole file from its text.
    pub fn detect(text: &str) -> Style {
        let indent = text
            .lines()
            .skip(1)
            .take(200)
            .map(|line| &line[..line.len() - line.trim_start_matches([' ', '\t']).len()])
            .filter(|ws| !ws.is_empty())
            .min_by_key(|ws| ws.len())
            .map(str::to_owned);
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let ascii = text.is_ascii() && has_non_ascii_escape(text);
        let escape_slash = text.contains("\\/");
        Style {
            indent,
            newline,
            ascii,
            escape_slash,
        }
    }

    /// One level of indentation, when the file indents.
    pub fn indent_unit(&self) -> Option<&str> {
        self.indent.as_deref()
    }

    /// Appends `value` to `out` in this style, as the replacement of `raw`, which starts at
    /// byte `start` of `text`. A value that was written on one line stays on one line.
    pub fn render(
        &self,
        text: &str,
        start: usize,
        raw: &str,
        value: &Map<String, Value>,
        out: &mut String,
    ) {
        let layout = match (&self.indent, raw.contains('\n')) {
            (Some(unit), true) => Layout::Pretty {
                base: line_indent(text, start).to_owned(),
                unit: unit.clone(),
            },
            _ => Layout::Compact {
                colon: compact_separator(raw, ':'),
                comma: compact_separator(raw, ','),
            },
        };
        let formatter = StyledFormatter {
            layout,
            newline: self.newline,
            ascii: self.ascii,
            escape_slash: self.escape_slash,
            depth: 0,
            has_value: false,
        };
        let mut bytes = Vec::with_capacity(raw.len() + 128);
        let mut ser = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        // Serializing a map of JSON values into memory cannot fail; should it ever, the
        // original text is kept rather than writing a broken file.
        let written = value.serialize(&mut ser).is_ok();
        match written.then(|| String::from_utf8(bytes).ok()).flatten() {
            Some(rendered) => out.push_str(&rendered),
            None => out.push_str(raw),
        }
    }
}

/// Whether the text escapes a non-ASCII character as `\uXXXX` somewhere, which tells a
/// Python-written file (`ensure_ascii`) from one that simply has no non-ASCII text.
fn has_non_ascii_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 5 < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1] == b'u' {
                let hex = std::str::from_utf8(&bytes[i + 2..i + 6]).unwrap_or("0000");
                if u32::from_str_radix(hex, 16).is_ok_and(|c| c >= 0x80) {
                    return true;
                }
            }
            // Skip the escaped character so `\\u00e9` (an escaped backslash) is not read.
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The white space at the start of the line that holds byte `at`.
fn line_indent(text: &str, at: usize) -> &str {
    let line_start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or_default();
    let content = line.trim_start_matches([' ', '\t']);
    &line[..line.len() - content.len()]
}

/// The separator a one-line value uses after its first `:` or `,` outside strings: `": "`
/// and `", "` in Python's compact output, `":"` and `","` in JavaScript's.
fn compact_separator(raw: &str, sep: char) -> &'static str {
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == sep {
            return match (sep, chars.next()) {
                (':', Some(' ')) => ": ",
                (',', Some(' ')) => ", ",
                (':', _) => ":",
                _ => ",",
            };
        }
    }
    if sep == ':' { ":" } else { "," }
}

enum Layout {
    Pretty {
        base: String,
        unit: String,
    },
    Compact {
        colon: &'static str,
        comma: &'static str,
    },
}

struct StyledFormatter {
    layout: Layout,
    newline: &'static str,
    ascii: bool,
    escape_slash: bool,
    depth: usize,
    has_value: bool,
}

impl StyledFormatter {
    fn line_break<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        if let Layout::Pretty { base, unit } = &self.layout {
            w.write_all(self.newline.as_bytes())?;
            w.write_all(base.as_bytes())?;
            for _ in 0..self.depth {
                w.write_all(unit.as_bytes())?;
            }
        }
        Ok(())
    }

    fn separator<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            let comma = match self.layout {
                Layout::Pretty { .. } => ",",
                Layout::Compact { comma, .. } => comma,
            };
            w.write_all(comma.as_bytes())?;
        }
        self.line_break(w)
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.line_break(w)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for StyledFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separator(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separator(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let colon = match self.layout {
            Layout::Pretty { .. } => ": ",
            Layout::Compact { colon, .. } => colon,
        };
        w.write_all(colon.as_bytes())
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !self.ascii && !self.escape_slash {
            return w.write_all(fragment.as_bytes());
        }
        let mut units = [0u16; 2];
        for c in fragment.chars() {
            if c == '/' && self.escape_slash {
                w.write_all(b"\\/")?;
            } else if self.ascii && (c as u32 >= 0x7f) {
                // Python writes lower-case hex and surrogate pairs beyond the BMP.
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            } else {
                let mut buf = [0u8; 4];
                w.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, raw: &str, value: Value) -> String {
        let start = text.find(raw).expect("raw is in text");
        let Value::Object(map) = value else {
            panic!("test value must be an object")
        };
        let mut out = String::new();
        Style::detect(text).render(text, start, raw, &map, &mut out);
        out
    }

    #[test]
    fn detects_habits() {
        let table: [(&str, Option<&str>, &str, bool, bool); 6] = [
            ("{\n  \"a\": 1\n}\n", Some("  "), "\n", false, false),
            ("{\n    \"a\": 1\n}", Some("    "), "\n", false, false),
            (
                "{\r\n\t\"a\": \"\\u00e9\"\r\n}",
                Some("\t"),
                "\r\n",
                true,
                false,
            ),
            (
                "{\"a\": \"é\", \"b\": \"\\u00e9\"}",
                None,
                "\n",
                false,
                false,
            ),
            ("{\"a\": \"\\\\u00e9\"}", None, "\n", false, false),
            ("{\"url\": \"http:\\/\\/x\"}", None, "\n", false, true),
        ];
        for (text, indent, newline, ascii, slash) in table {
            let style = Style::detect(text);
            assert_eq!(style.indent.as_deref(), indent, "{text:?}");
            assert_eq!(style.newline, newline, "{text:?}");
            assert_eq!(style.ascii, ascii, "{text:?}");
            assert_eq!(style.escape_slash, slash, "{text:?}");
        }
    }

    #[test]
    fn renders_nested_value_with_base_indent() {
        let text = "{\n  \"requirements\": [\n    {\n      \"id\": \"R1\",\n      \"n\": 1.50\n    }\n  ]\n}\n";
        let raw = "{\n      \"id\": \"R1\",\n      \"n\": 1.50\n    }";
        let value: Value =
            serde_json::from_str(r#"{"id":"R1","n":1.50,"tags":[],"t":["a"]}"#).unwrap();
        assert_eq!(
            render(text, raw, value),
            "{\n      \"id\": \"R1\",\n      \"n\": 1.50,\n      \"tags\": [],\n      \"t\": [\n        \"a\"\n      ]\n    }"
        );
    }

    #[test]
    fn escapes_like_python() {
        let text = "[\n  {\n    \"t\": \"caf\\u00e9\"\n  }\n]";
        let raw = "{\n    \"t\": \"caf\\u00e9\"\n  }";
        let value = serde_json::json!({"t": "café 😀 \u{7f}"});
        assert_eq!(
            render(text, raw, value),
            "{\n    \"t\": \"caf\\u00e9 \\ud83d\\ude00 \\u007f\"\n  }"
        );
    }

    #[test]
    fn keeps_one_line_values_on_one_line() {
        let table = [
            (
                r#"[{"id": "R1", "x": 1}]"#,
                r#"{"id": "R1", "x": 1}"#,
                r#"{"id": "R1", "x": 2}"#,
            ),
            (
                r#"[{"id":"R1","x":1}]"#,
                r#"{"id":"R1","x":1}"#,
                r#"{"id":"R1","x":2}"#,
            ),
        ];
        for (text, raw, expected) in table {
            let value: Value = serde_json::from_str(expected).unwrap();
            assert_eq!(render(text, raw, value), expected);
        }
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let text = "[\r\n  {\r\n    \"id\": \"R1\"\r\n  }\r\n]\r\n";
        let raw = "{\r\n    \"id\": \"R1\"\r\n  }";
        let value = serde_json::json!({"id": "R1", "x": true});
        assert_eq!(
            render(text, raw, value),
            "{\r\n    \"id\": \"R1\",\r\n    \"x\": true\r\n  }"
        );
    }
}
