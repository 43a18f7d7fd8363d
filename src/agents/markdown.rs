//! Showing an agent's instructions: its markdown body as HTML that is safe to insert into the
//! page.
//!
//! It owns the safety rules. Agent files come from anyone's repository, so raw HTML in them is
//! shown as text (agent prompts are full of `<example>` and `<instructions>` tags that are meant
//! to be read, not rendered) and links may only use web, mail or relative addresses, which
//! rules out `javascript:` and similar schemes however they are spelled. It deliberately does
//! not sanitise HTML with an allow-list: never emitting raw HTML at all is simpler to trust.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Renders markdown as HTML in which no markup from the input is live.
pub fn body_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).flat_map(neutralise);
    let mut out = String::with_capacity(markdown.len().saturating_add(markdown.len() / 2));
    html::push_html(&mut out, events);
    out
}

/// Replaces one event with its safe equivalent, which may take several events.
fn neutralise(event: Event<'_>) -> Vec<Event<'_>> {
    match event {
        // An HTML block becomes a paragraph of its text, one source line per line, so tags like
        // `<example>` stay readable where the author put them.
        Event::Start(Tag::HtmlBlock) => vec![Event::Start(Tag::Paragraph)],
        Event::End(TagEnd::HtmlBlock) => vec![Event::End(TagEnd::Paragraph)],
        Event::Html(text) => {
            let line = text.trim_end_matches('\n');
            let mut events = vec![Event::Text(CowStr::from(line.to_owned()))];
            if text.ends_with('\n') {
                events.push(Event::HardBreak);
            }
            events
        }
        Event::InlineHtml(text) => vec![Event::Text(text)],
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => vec![Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        })],
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => vec![Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        })],
        other => vec![other],
    }
}

/// Keeps `http`, `https`, `mailto` and scheme-less (relative or `#fragment`) addresses and
/// turns anything else into `#`.
///
/// Browsers ignore leading spaces and control characters and any tab or line break inside a
/// scheme, so those are removed before the scheme is read; otherwise `java\tscript:` would
/// pass a naive check and still run.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
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
    if allowed { url } else { CowStr::Borrowed("#") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(markdown: &str, expected: &str) {
        assert_eq!(body_html(markdown), expected, "rendering {markdown:?}");
    }

    #[test]
    fn renders_ordinary_markdown() {
        check(
            "# Role\n\nYou **test**.",
            "<h1>Role</h1>\n<p>You <strong>test</strong>.</p>\n",
        );
        check(
            "- [x] done",
            "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>\n</ul>\n",
        );
        check("`<b>`", "<p><code>&lt;b&gt;</code></p>\n");
        check(
            "[docs](https://example.org/a?b=1)",
            "<p><a href=\"https://example.org/a?b=1\">docs</a></p>\n",
        );
        check(
            "[up](../README.md)",
            "<p><a href=\"../README.md\">up</a></p>\n",
        );
        check("[top](#top)", "<p><a href=\"#top\">top</a></p>\n");
        check(
            "<mailto:qa@example.org>",
            "<p><a href=\"mailto:qa@example.org\">mailto:qa@example.org</a></p>\n",
        );
    }

    #[test]
    fn shows_raw_html_as_text() {
        check(
            "<script>alert(1)</script>\n",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br />\n</p>\n",
        );
        check(
            "<example>\nuser: hi\n</example>\n\nAfter",
            "<p>&lt;example&gt;<br />\nuser: hi<br />\n&lt;/example&gt;<br />\n</p>\n<p>After</p>\n",
        );
        check(
            "Hi <img src=x onerror=alert(1)> there",
            "<p>Hi &lt;img src=x onerror=alert(1)&gt; there</p>\n",
        );
        check("<!-- note -->", "<p>&lt;!-- note --&gt;</p>\n");
    }

    #[test]
    fn neutralises_dangerous_links() {
        let cases = [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](java&#9;script:alert(1))",
            "[x]( vbscript:msgbox)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
            "[x][ref]\n\n[ref]: javascript:alert(1)",
        ];
        for markdown in cases {
            let html = body_html(markdown);
            let hrefs: Vec<&str> = html.split("href=\"").skip(1).collect();
            assert!(!hrefs.is_empty(), "{markdown:?} gave {html}");
            assert!(
                hrefs.iter().all(|h| h.starts_with("#\"")),
                "{markdown:?} gave {html}"
            );
        }
        let image = body_html("![x](javascript:alert(1))");
        assert!(image.contains("src=\"#\""), "{image}");
    }
}
