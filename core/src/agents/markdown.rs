//! Showing an agent's instructions: its markdown body as HTML that is safe to insert into the
//! page.
//!
//! It owns the safety rules and the HTML. Agent files come from anyone's repository, so no
//! markup from the input is ever live: every character of the file is escaped, raw HTML
//! included (agent prompts are full of `<example>` and `<instructions>` tags that are meant to
//! be read, not rendered). Links may only use web, mail or relative addresses, which rules out
//! `javascript:` and similar schemes however they are spelled, and images are shown as links
//! to them, because the board makes no network request of its own.
//!
//! `minimad` reads the markdown: headings, nested and ordered lists, quotes, fenced and
//! indented code, tables, rules, and bold, italic, struck-out and code spans, which is what
//! agent instructions use. This module writes the HTML itself and reads links, which `minimad`
//! leaves as text. It deliberately does not use a full CommonMark parser: pulldown-cmark, the
//! best of them, was 69 KB of the page's 250 KB compressed budget (its HTML entity and Unicode
//! case tables included), a quarter of the app for a panel that is closed by default. Lines
//! keep their breaks, as the authors of prompts expect, instead of joining into one paragraph.

use minimad::{Alignment, Composite, CompositeStyle, Compound, Line, Options};
use std::fmt::Write;

/// Renders markdown as HTML in which no markup from the input is live.
pub fn body_html(markdown: &str) -> String {
    let text = minimad::parse_text(markdown, Options::default());
    let mut html = Html {
        out: String::with_capacity(markdown.len().saturating_add(markdown.len() / 2)),
        ..Html::default()
    };
    let mut lines = text.lines.iter().peekable();
    while let Some(line) = lines.next() {
        html.line(line, lines.peek().copied());
    }
    html.close_all();
    html.out
}

/// The block that the previous line left open, which the next line may continue.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Block {
    #[default]
    None,
    Paragraph,
    Quote,
    Code,
    Table,
}

/// The HTML written so far and what it has left open.
#[derive(Default)]
struct Html {
    out: String,
    block: Block,
    /// Open lists, innermost last: whether the list is ordered, and its items' indentation.
    /// Each has an open `<li>`.
    lists: Vec<(bool, u8)>,
    /// The last line was blank, so a paragraph after it ends any list.
    after_blank: bool,
    /// The current table's column alignments, from its rule line.
    alignments: Vec<Alignment>,
}

impl Html {
    fn line(&mut self, line: &Line<'_>, next: Option<&Line<'_>>) {
        match line {
            Line::Normal(composite) => self.composite(composite),
            Line::TableRow(row) => {
                let heading =
                    self.block != Block::Table && matches!(next, Some(Line::TableRule(_)));
                self.open_table();
                self.out.push_str("<tr>");
                let cell = if heading { "th" } else { "td" };
                for (index, composite) in row.cells.iter().enumerate() {
                    self.out.push('<');
                    self.out.push_str(cell);
                    let align = match self.alignments.get(index) {
                        Some(Alignment::Left) => "left",
                        Some(Alignment::Center) => "center",
                        Some(Alignment::Right) => "right",
                        _ => "",
                    };
                    if !align.is_empty() {
                        let _ = write!(self.out, " style=\"text-align:{align}\"");
                    }
                    self.out.push('>');
                    inline(&mut self.out, &composite.compounds);
                    let _ = write!(self.out, "</{cell}>");
                }
                self.out.push_str("</tr>\n");
            }
            Line::TableRule(rule) => {
                self.open_table();
                self.alignments.clone_from(&rule.cells);
            }
            Line::HorizontalRule => {
                self.close_all();
                self.out.push_str("<hr>\n");
            }
            // Fences are dropped by the parser's options; the lines between them arrive as code.
            Line::CodeFence(_) => {}
        }
        self.after_blank = matches!(line, Line::Normal(c) if c.compounds.is_empty() && c.style == CompositeStyle::Paragraph);
    }

    fn composite(&mut self, composite: &Composite<'_>) {
        let compounds = &composite.compounds;
        match composite.style {
            CompositeStyle::Paragraph if compounds.is_empty() => self.close_block(),
            CompositeStyle::Paragraph => {
                if !self.lists.is_empty() && self.after_blank {
                    self.close_all();
                }
                // Text right under a list item continues that item on a new line.
                let opening = if self.lists.is_empty() {
                    "<p>"
                } else {
                    "<br>\n"
                };
                self.enter(Block::Paragraph, "<br>\n", opening);
                inline(&mut self.out, compounds);
            }
            CompositeStyle::Header(level) => {
                self.close_all();
                let level = level.clamp(1, 6);
                let _ = write!(self.out, "<h{level}>");
                inline(&mut self.out, compounds);
                let _ = writeln!(self.out, "</h{level}>");
            }
            CompositeStyle::ListItem(depth) => self.list_item(false, depth, 1, compounds),
            CompositeStyle::OrderedListItem { level, index } => {
                self.list_item(true, level, index, compounds);
            }
            CompositeStyle::Code => {
                self.enter(Block::Code, "\n", "<pre><code>");
                // Code is shown exactly as written: the parser split nothing inside it.
                for compound in compounds {
                    escape(&mut self.out, compound.src);
                }
            }
            CompositeStyle::Quote => {
                self.enter(Block::Quote, "<br>\n", "<blockquote><p>");
                inline(&mut self.out, compounds);
            }
        }
    }

    /// Continues `block` with `separator` when it is the open block; otherwise closes what is
    /// open (lists too, for a quote; code stays inside a list item) and writes `opening`.
    fn enter(&mut self, block: Block, separator: &str, opening: &str) {
        if self.block == block {
            self.out.push_str(separator);
            return;
        }
        if block == Block::Quote {
            self.close_all();
        } else {
            self.close_block();
        }
        self.out.push_str(opening);
        self.block = block;
    }

    /// Opens, continues or closes lists so that an item at `indent` lands in the right one.
    fn list_item(&mut self, ordered: bool, indent: u8, start: u32, compounds: &[Compound<'_>]) {
        self.close_block();
        while let Some(&(_, open)) = self.lists.last() {
            if open > indent {
                self.close_list();
            } else {
                break;
            }
        }
        match self.lists.last() {
            Some(&(kind, open)) if open == indent && kind == ordered => {
                self.out.push_str("</li>\n<li>");
            }
            Some(&(_, open)) if open == indent => {
                self.close_list();
                self.open_list(ordered, indent, start);
            }
            _ => self.open_list(ordered, indent, start),
        }
        inline(&mut self.out, compounds);
    }

    fn open_list(&mut self, ordered: bool, indent: u8, start: u32) {
        if !ordered {
            self.out.push_str("<ul>\n<li>");
        } else if start == 1 {
            self.out.push_str("<ol>\n<li>");
        } else {
            let _ = write!(self.out, "<ol start=\"{start}\">\n<li>");
        }
        self.lists.push((ordered, indent));
    }

    fn close_list(&mut self) {
        if let Some((ordered, _)) = self.lists.pop() {
            self.out.push_str(if ordered {
                "</li>\n</ol>"
            } else {
                "</li>\n</ul>"
            });
            self.out.push('\n');
        }
    }

    fn open_table(&mut self) {
        if self.block != Block::Table {
            self.close_all();
            self.out.push_str("<table>\n");
            self.block = Block::Table;
            self.alignments.clear();
        }
    }

    /// Ends the open paragraph, quote, code block or table, but not the lists around it.
    fn close_block(&mut self) {
        let end = match self.block {
            Block::None => return,
            Block::Paragraph if !self.lists.is_empty() => "",
            Block::Paragraph => "</p>\n",
            Block::Quote => "</p></blockquote>\n",
            Block::Code => "</code></pre>\n",
            Block::Table => "</table>\n",
        };
        self.out.push_str(end);
        self.block = Block::None;
    }

    fn close_all(&mut self) {
        self.close_block();
        while !self.lists.is_empty() {
            self.close_list();
        }
    }
}

/// Writes styled runs of text, without the line's indentation.
fn inline(out: &mut String, compounds: &[Compound<'_>]) {
    for (index, compound) in compounds.iter().enumerate() {
        let src = if index == 0 {
            compound.src.trim_start()
        } else {
            compound.src
        };
        let tags = [
            (compound.bold, "strong"),
            (compound.italic, "em"),
            (compound.strikeout, "del"),
            (compound.code, "code"),
        ];
        for (on, tag) in tags {
            if on {
                let _ = write!(out, "<{tag}>");
            }
        }
        if compound.code {
            escape(out, src);
        } else {
            text_with_links(out, src);
        }
        for (on, tag) in tags.iter().rev() {
            if *on {
                let _ = write!(out, "</{tag}>");
            }
        }
    }
}

/// Writes text, turning `[label](address)`, `![alt](address)` and `<address>` into links.
fn text_with_links(out: &mut String, text: &str) {
    let mut scan = Scan::new(text);
    let mut written = 0;
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find(['[', '<'])) {
        let start = from + offset;
        let Some(link) = scan.link_at(start) else {
            from = start + 1;
            continue;
        };
        // An image's `!` belongs to the link, which shows the alt text.
        let before = text.get(written..start).unwrap_or("");
        escape(out, before.strip_suffix('!').unwrap_or(before));
        out.push_str("<a href=\"");
        escape(out, safe_url(link.address));
        out.push_str("\">");
        escape(out, link.label);
        out.push_str("</a>");
        written = link.end;
        from = link.end;
    }
    escape(out, text.get(written..).unwrap_or(""));
}

/// The longest address read as a link; real ones are far shorter.
const MAX_ADDRESS: usize = 2048;

/// One link found in a line of text.
struct Link<'t> {
    label: &'t str,
    address: &'t str,
    /// The byte just after the link.
    end: usize,
}

/// Reads links in one line of text in linear time.
///
/// Every character that closes or breaks a link is looked for once from where the last search
/// stopped, so a line of ten thousand `[` with one `]` at its end is scanned once, not ten
/// thousand times: an agent file of a megabyte must not freeze the tab.
struct Scan<'t> {
    text: &'t str,
    close_bracket: NextByte,
    close_angle: NextByte,
    open_angle: NextByte,
    open_paren: NextByte,
    close_paren: NextByte,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str) -> Self {
        Scan {
            text,
            close_bracket: NextByte::new(b']'),
            close_angle: NextByte::new(b'>'),
            open_angle: NextByte::new(b'<'),
            open_paren: NextByte::new(b'('),
            close_paren: NextByte::new(b')'),
        }
    }

    /// The link that starts at `start` (a `[` or a `<`), if one does. Calls must come with
    /// `start` growing, as `text_with_links` makes them.
    fn link_at(&mut self, start: usize) -> Option<Link<'t>> {
        let bytes = self.text.as_bytes();
        if bytes.get(start) == Some(&b'<') {
            // An autolink: `<https://example.org>` or `<mailto:qa@example.org>`.
            let end = self.close_angle.at_or_after(bytes, start + 1)?;
            let nested = self.open_angle.at_or_after(bytes, start + 1);
            if nested.is_some_and(|at| at < end) || end - start > MAX_ADDRESS {
                return None;
            }
            let address = self.text.get(start + 1..end)?;
            let has_scheme = address.find(':').is_some_and(|colon| {
                colon > 1 && address[..colon].bytes().all(|b| b.is_ascii_alphanumeric())
            });
            if !has_scheme || address.contains(char::is_whitespace) {
                return None;
            }
            return Some(Link {
                label: address,
                address,
                end: end + 1,
            });
        }
        let close = self.close_bracket.at_or_after(bytes, start + 1)?;
        if bytes.get(close + 1) != Some(&b'(') {
            return None;
        }
        let open = close + 2;
        // The address ends at the first `)`, or at the one after it when a `(` comes first,
        // as in `https://en.wikipedia.org/wiki/Rust_(language)`.
        let mut end = self.close_paren.at_or_after(bytes, open)?;
        if self
            .open_paren
            .at_or_after(bytes, open)
            .is_some_and(|at| at < end)
        {
            end = self.close_paren.at_or_after(bytes, end + 1)?;
        }
        if end - open > MAX_ADDRESS {
            return None;
        }
        // `[label](address "title")`: the title is not shown.
        let address = self.text.get(open..end)?.split_whitespace().next();
        Some(Link {
            label: self.text.get(start + 1..close)?,
            address: address.unwrap_or(""),
            end: end + 1,
        })
    }
}

/// Where one ASCII byte next occurs, remembered between searches that move forward.
struct NextByte {
    byte: u8,
    found: Option<usize>,
    /// Nothing was found from this byte on.
    none_from: Option<usize>,
}

impl NextByte {
    fn new(byte: u8) -> Self {
        NextByte {
            byte,
            found: None,
            none_from: None,
        }
    }

    fn at_or_after(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if let Some(at) = self.found.filter(|at| *at >= from) {
            return Some(at);
        }
        if self.none_from.is_some_and(|none| none <= from) {
            return None;
        }
        let found = bytes
            .get(from..)?
            .iter()
            .position(|b| *b == self.byte)
            .map(|offset| from + offset);
        self.found = found;
        if found.is_none() {
            self.none_from = Some(from);
        }
        found
    }
}

/// Escapes text for an HTML element or a quoted attribute (either quote); the shell's
/// markup built as text (the Flow view's charts) escapes with it too.
pub fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Keeps `http`, `https`, `mailto` and scheme-less (relative or `#fragment`) addresses and
/// turns anything else into `#`.
///
/// Browsers ignore leading spaces and control characters and any tab or line break inside a
/// scheme, so those are removed before the scheme is read; otherwise `java\tscript:` would
/// pass a naive check and still run. Character references are not decoded here and the
/// address is escaped when written, so `&#106;avascript:` stays a harmless relative address.
fn safe_url(url: &str) -> &str {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    let scheme = match scheme_end {
        Some(end) if cleaned.get(end..).is_some_and(|rest| rest.starts_with(':')) => {
            cleaned.get(..end).unwrap_or("")
        }
        _ => return url,
    };
    let allowed = ["http", "https", "mailto"]
        .iter()
        .any(|safe| scheme.eq_ignore_ascii_case(safe));
    if allowed { url } else { "#" }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders each markdown of a table and compares it with the HTML expected.
    fn check(cases: &[(&str, &str)]) {
        for (markdown, expected) in cases {
            assert_eq!(body_html(markdown), *expected, "rendering {markdown:?}");
        }
    }

    #[test]
    fn renders_ordinary_markdown() {
        let cases = [
            (
                "# Role\n\nYou **test**.",
                "<h1>Role</h1>\n<p>You <strong>test</strong>.</p>\n",
            ),
            (
                "*one* ~~two~~ `<b>`",
                "<p><em>one</em> <del>two</del> <code>&lt;b&gt;</code></p>\n",
            ),
            (
                "Line one\nline two\n\nNext",
                "<p>Line one<br>\nline two</p>\n<p>Next</p>\n",
            ),
            ("Crlf\r\nlines\r\n", "<p>Crlf<br>\nlines</p>\n"),
            ("---", "<hr>\n"),
            (
                "> Be\n> brief",
                "<blockquote><p>Be<br>\nbrief</p></blockquote>\n",
            ),
            (
                "```rust\nlet a = 1 < 2;\n\n*not* emphasis\n```\nAfter",
                "<pre><code>let a = 1 &lt; 2;\n\n*not* emphasis</code></pre>\n<p>After</p>\n",
            ),
            (
                "    indented\n    code",
                "<pre><code>indented\ncode</code></pre>\n",
            ),
        ];
        check(&cases);
    }

    #[test]
    fn renders_lists() {
        let cases = [
            ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
            ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n"),
            (
                "3. c\n4. d",
                "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n",
            ),
            (
                "- a\n  - a1\n  - a2\n- b",
                "<ul>\n<li>a<ul>\n<li>a1</li>\n<li>a2</li>\n</ul>\n</li>\n<li>b</li>\n</ul>\n",
            ),
            (
                "- a\n\n- b\n\nAfter",
                "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>After</p>\n",
            ),
            (
                "- a\n1. b",
                "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n",
            ),
            (
                "- item\n  goes on",
                "<ul>\n<li>item<br>\ngoes on</li>\n</ul>\n",
            ),
            // Text after code in an item goes on in the item, not in a paragraph of its own.
            (
                "- item\n\n      code\n  more",
                "<ul>\n<li>item<pre><code>  code</code></pre>\n<br>\nmore</li>\n</ul>\n",
            ),
            ("Intro:\n- a", "<p>Intro:</p>\n<ul>\n<li>a</li>\n</ul>\n"),
            ("- a\n# Next", "<ul>\n<li>a</li>\n</ul>\n<h1>Next</h1>\n"),
        ];
        check(&cases);
    }

    #[test]
    fn renders_tables() {
        check(&[
            (
                "| Stage | Owner |\n|:--|--:|\n| Red | **qa** |\n| Green | dev |",
                "<table>\n<tr><th>Stage</th><th>Owner</th></tr>\n\
                 <tr><td style=\"text-align:left\">Red</td><td style=\"text-align:right\"><strong>qa</strong></td></tr>\n\
                 <tr><td style=\"text-align:left\">Green</td><td style=\"text-align:right\">dev</td></tr>\n</table>\n",
            ),
            (
                "| a | b |\n\nAfter",
                "<table>\n<tr><td>a</td><td>b</td></tr>\n</table>\n<p>After</p>\n",
            ),
        ]);
    }

    #[test]
    fn renders_links() {
        let cases = [
            (
                "[docs](https://example.org/a?b=1&c=2)",
                "<p><a href=\"https://example.org/a?b=1&amp;c=2\">docs</a></p>\n",
            ),
            (
                "[up](../README.md)",
                "<p><a href=\"../README.md\">up</a></p>\n",
            ),
            ("[top](#top \"Top\")", "<p><a href=\"#top\">top</a></p>\n"),
            (
                "Mail <mailto:qa@example.org>.",
                "<p>Mail <a href=\"mailto:qa@example.org\">mailto:qa@example.org</a>.</p>\n",
            ),
            (
                "See ![diagram](https://example.org/d.png)",
                "<p>See <a href=\"https://example.org/d.png\">diagram</a></p>\n",
            ),
            ("[not a link] and [x]", "<p>[not a link] and [x]</p>\n"),
            (
                "[Rust](https://en.wikipedia.org/wiki/Rust_(language)) and more)",
                "<p><a href=\"https://en.wikipedia.org/wiki/Rust_(language)\">Rust</a> and more)</p>\n",
            ),
            (
                "<<https://example.org> <a b:c>",
                "<p>&lt;<a href=\"https://example.org\">https://example.org</a> &lt;a b:c&gt;</p>\n",
            ),
            ("[[x](y)", "<p><a href=\"y\">[x</a></p>\n"),
            ("a < b > c", "<p>a &lt; b &gt; c</p>\n"),
        ];
        check(&cases);
    }

    #[test]
    fn shows_raw_html_as_text() {
        let cases = [
            (
                "<script>alert(1)</script>\n",
                "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n",
            ),
            (
                "<example>\nuser: hi\n</example>\n\nAfter",
                "<p>&lt;example&gt;<br>\nuser: hi<br>\n&lt;/example&gt;</p>\n<p>After</p>\n",
            ),
            (
                "Hi <img src=x onerror=alert(1)> there",
                "<p>Hi &lt;img src=x onerror=alert(1)&gt; there</p>\n",
            ),
            ("<!-- note -->", "<p>&lt;!-- note --&gt;</p>\n"),
            (
                "[x](\"onmouseover=\"alert(1))",
                "<p><a href=\"&quot;onmouseover=&quot;alert(1)\">x</a></p>\n",
            ),
        ];
        check(&cases);
    }

    #[test]
    fn neutralises_dangerous_links() {
        let cases = [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x]( vbscript:msgbox)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
            "![x](javascript:alert(1))",
        ];
        for markdown in cases {
            let html = body_html(markdown);
            let hrefs: Vec<&str> = html.split("href=\"").skip(1).collect();
            assert!(!hrefs.is_empty(), "{markdown:?} gave {html}");
            // Neutralised to `#`, or cut at the tab so that no scheme is left.
            assert!(
                hrefs
                    .iter()
                    .all(|h| h.starts_with("#\"")
                        || !h.split('"').next().unwrap_or("").contains(':')),
                "{markdown:?} gave {html}"
            );
        }
        // A character reference is not decoded, so it cannot spell a scheme.
        check(&[(
            "[x](&#106;avascript:alert(1))",
            "<p><a href=\"&amp;#106;avascript:alert(1)\">x</a></p>\n",
        )]);
    }
}
