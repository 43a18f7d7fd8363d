//! Finding the frontmatter block: where the YAML between the `---` lines starts and ends, and
//! where the markdown body begins.
//!
//! It owns line-ending normalisation and the delimiter rules. It deliberately does not look
//! inside the block; reading keys is the job of the strict and lenient readers, so this stays a
//! few lines of string handling that cannot disagree with itself about where the body starts.

/// Where the frontmatter is, if anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Split<'a> {
    /// The file does not start with a `---` line, so all of it is body.
    Absent,
    /// The file starts with `---` but no later line closes the block.
    Unterminated,
    /// A closed block: the text between the delimiter lines, and everything after the closing one.
    Present { yaml: &'a str, body: &'a str },
}

/// Turns CRLF and lone CR line endings into LF.
///
/// Files edited on Windows arrive with CRLF, and a stray `\r` left at the end of `---` or of a
/// value would otherwise make delimiters unrecognisable and leak into names.
pub(super) fn normalise_line_endings(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// Splits LF-only text into frontmatter and body.
///
/// The opening line must be the very first line and, like the closing one, be exactly `---`
/// apart from trailing whitespace. The body is everything after the closing line, unchanged.
pub(super) fn split(text: &str) -> Split<'_> {
    let (first_line, rest) = match text.split_once('\n') {
        Some((first, rest)) => (first, Some(rest)),
        None => (text, None),
    };
    if !is_delimiter(first_line) {
        return Split::Absent;
    }
    let Some(rest) = rest else {
        return Split::Unterminated;
    };
    let mut line_start = 0;
    for line in rest.split_inclusive('\n') {
        let line_end = line_start + line.len();
        if is_delimiter(line) {
            let yaml = rest.get(..line_start).unwrap_or("");
            let body = rest.get(line_end..).unwrap_or("");
            return Split::Present { yaml, body };
        }
        line_start = line_end;
    }
    Split::Unterminated
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_frontmatter_from_body() {
        let present = |yaml, body| Split::Present { yaml, body };
        let cases = [
            ("---\nname: a\n---\nBody\n", present("name: a\n", "Body\n")),
            ("---\n---\n", present("", "")),
            ("---\n---", present("", "")),
            ("--- \t\nname: a\n---  \nBody", present("name: a\n", "Body")),
            ("---\na: |\n  ---x\n---\n", present("a: |\n  ---x\n", "")),
            (
                "---\na: 1\n----\nb\n---\n# T\n",
                present("a: 1\n----\nb\n", "# T\n"),
            ),
            ("---\nname: a\n", Split::Unterminated),
            ("---", Split::Unterminated),
            ("---\n", Split::Unterminated),
            ("# Title\n---\na: 1\n---\n", Split::Absent),
            (" ---\na: 1\n---\n", Split::Absent),
            ("----\na: 1\n---\n", Split::Absent),
            ("", Split::Absent),
        ];
        for (text, expected) in cases {
            assert_eq!(split(text), expected, "splitting {text:?}");
        }
    }

    #[test]
    fn normalises_every_line_ending_to_lf() {
        assert_eq!(normalise_line_endings("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalise_line_endings("\r\r\n"), "\n\n");
        assert_eq!(normalise_line_endings("plain"), "plain");
    }
}
