//! Agent definition files: reading them into [`Agent`]s, telling which [`Role`] each can play on
//! the board, and showing their instructions as safe HTML.
//!
//! This module owns everything about the files themselves: decoding bytes, finding the
//! frontmatter, reading it as YAML and, when YAML refuses it, reading it leniently the way the
//! tool that runs agents does, and saying in plain words what could not be read. It deliberately
//! does not do any I/O, know about the board's stages or the matrix, or touch the DOM; it is
//! plain Rust that takes bytes and returns values, so it is tested natively. It must never
//! panic, because in WebAssembly a panic takes the whole app down: every input, however
//! broken, yields an agent with warnings or an [`AgentError`].
//!
//! Code map: `frontmatter` finds the `---` block, `strict` reads it as YAML, `lenient` reads
//! it line by line, `value` is the tree both produce, `fields` turns that tree into the agent's
//! fields, `color` normalises colours, `roles` finds roles and `markdown` renders the body.

mod color;
mod fields;
mod frontmatter;
mod lenient;
mod markdown;
pub use markdown::escape as escape_html;
mod roles;
mod strict;
mod value;

#[cfg(test)]
mod tests;

use frontmatter::Split;
use std::fmt;

pub use markdown::body_html;
pub use roles::{Role, default_owner, role_of};

/// The largest agent file accepted. Real ones are a few kilobytes; the limit only keeps a
/// mistaken drop of a huge file from freezing the tab while it is parsed.
pub const MAX_AGENT_FILE_BYTES: usize = 1024 * 1024;

/// One agent, as read from its definition file.
///
/// This is a domain type, not a file format: it is never written back out, so it does not
/// derive `Serialize`.
#[derive(Clone, Debug, PartialEq)]
pub struct Agent {
    /// The `name` key, trimmed, or the file name without `.md` when that is missing or empty.
    pub name: String,
    /// When to use the agent, with literal `\n` sequences turned into line breaks.
    pub description: String,
    /// The tools it may use, from `tools` or else `allowed-tools`. Empty when the file lists
    /// none, which for the agent runner means the agent inherits every tool.
    pub tools: Vec<String>,
    /// The `model` key as written, such as `sonnet` or `inherit`.
    pub model: Option<String>,
    /// A CSS colour: a lower-case colour name or a lower-case `#` hex code.
    pub color: Option<String>,
    /// Every other frontmatter key with its value as display text, in file order.
    pub extra: Vec<(String, String)>,
    /// The markdown after the frontmatter (the whole file when there is none).
    pub body: String,
    /// The file name the agent was read from, as given.
    pub file_name: String,
    /// Why the frontmatter was read line by line instead of as YAML, when it was: the YAML
    /// error and its line in the file.
    pub lenient: Option<String>,
}

/// An agent together with what could not be read cleanly.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentFile {
    /// The agent, with fallbacks (such as the file name for a missing name) already applied.
    pub agent: Agent,
    /// Sentences for the person who owns the file, each saying what was wrong and what was
    /// done instead, with a file line number where there is one. A lenient reading always adds
    /// one here too, so showing the warnings alone tells the whole story.
    pub warnings: Vec<String>,
}

/// Why a file could not be read as an agent at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgentError {
    /// The file has no bytes, or nothing but whitespace and a byte-order mark.
    Empty { file: String },
    /// The file starts with a UTF-16 byte-order mark.
    Utf16 { file: String },
    /// The file is not valid UTF-8; `offset` is the position of the first bad byte.
    NotUtf8 { file: String, offset: usize },
    /// The file is larger than [`MAX_AGENT_FILE_BYTES`].
    TooLarge {
        file: String,
        bytes: usize,
        limit: usize,
    },
}

impl fmt::Display for AgentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgentError::Empty { file } => write!(
                f,
                "{file} is empty; an agent file needs a `---` block with a name and a \
                 description, followed by the agent's instructions"
            ),
            AgentError::Utf16 { file } => write!(
                f,
                "{file} is UTF-16 text; save it as UTF-8 and load it again"
            ),
            AgentError::NotUtf8 { file, offset } => write!(
                f,
                "{file} is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8 \
                 and load it again"
            ),
            AgentError::TooLarge { file, bytes, limit } => write!(
                f,
                "{file} is {bytes} bytes, more than the {limit} bytes an agent file may have; \
                 check that it is an agent definition"
            ),
        }
    }
}

impl std::error::Error for AgentError {}

/// Reads one agent definition file.
///
/// `file_name` names the file in messages and supplies the fallback name (its last path
/// component without `.md`). Broken frontmatter still gives an agent, with warnings; only a
/// file that has no text to read is an error.
pub fn parse_agent_file(file_name: &str, bytes: &[u8]) -> Result<AgentFile, AgentError> {
    let text = decode(file_name, bytes)?;
    let text = frontmatter::normalise_line_endings(text);
    let stem = file_stem(file_name);
    let mut warnings = Vec::new();
    let mut lenient = None;
    // The frontmatter's first line is line 2 of the file; line numbers in messages count
    // from the top of the file so they match what an editor shows.
    let first_line = 2;
    let (fields, body) = match frontmatter::split(&text) {
        Split::Absent => {
            warnings.push(format!(
                "there is no frontmatter (a block between `---` lines at the top), so the \
                 whole file is read as instructions and the agent is named `{stem}`"
            ));
            (fields::Fields::named(&stem), text.as_str())
        }
        Split::Unterminated => {
            warnings.push(format!(
                "the frontmatter opened by `---` on line 1 is never closed by another `---` \
                 line, so the whole file is read as instructions and the agent is named `{stem}`"
            ));
            (fields::Fields::named(&stem), text.as_str())
        }
        Split::Present { yaml, body } => {
            let entries = match strict::read(yaml, first_line) {
                Ok(mut entries) => {
                    strict::recover_hex_colour(&mut entries, yaml, first_line);
                    entries
                }
                Err(rejection) => {
                    let line = rejection.line.saturating_add(first_line - 1);
                    let reason = format!(
                        "{} (line {line}, column {})",
                        rejection.message, rejection.column
                    );
                    warnings.push(format!(
                        "the frontmatter could not be read as YAML: {reason}; it was read line \
                         by line instead, so check the values shown"
                    ));
                    let read = lenient::read(yaml, first_line);
                    warnings.extend(read.skipped_lines.iter().map(|line| {
                        format!("line {line} is not part of any `key: value` and was skipped")
                    }));
                    lenient = Some(reason);
                    read.entries
                }
            };
            (fields::interpret(entries, &stem, &mut warnings), body)
        }
    };
    let agent = Agent {
        name: fields.name,
        description: fields.description,
        tools: fields.tools,
        model: fields.model,
        color: fields.color,
        extra: fields.extra,
        body: body.to_owned(),
        file_name: file_name.to_owned(),
        lenient,
    };
    Ok(AgentFile { agent, warnings })
}

/// Checks the bytes are text we can read and returns them without a byte-order mark.
fn decode<'a>(file_name: &str, bytes: &'a [u8]) -> Result<&'a str, AgentError> {
    let file = || file_name.to_owned();
    if bytes.len() > MAX_AGENT_FILE_BYTES {
        return Err(AgentError::TooLarge {
            file: file(),
            bytes: bytes.len(),
            limit: MAX_AGENT_FILE_BYTES,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(AgentError::Utf16 { file: file() });
    }
    let text = std::str::from_utf8(bytes).map_err(|error| AgentError::NotUtf8 {
        file: file(),
        offset: error.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(AgentError::Empty { file: file() });
    }
    Ok(text)
}

/// The last path component without a `.md` extension (in any case), for the fallback name.
fn file_stem(file_name: &str) -> String {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .trim();
    let without_extension = base
        .len()
        .checked_sub(3)
        .and_then(|cut| Some((base.get(..cut)?, base.get(cut..)?)))
        .filter(|(stem, extension)| extension.eq_ignore_ascii_case(".md") && !stem.is_empty())
        .map_or(base, |(stem, _)| stem);
    if without_extension.is_empty() {
        "unnamed agent".to_owned()
    } else {
        without_extension.to_owned()
    }
}
