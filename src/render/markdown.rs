//! Markdown from submitters and publishers, turned into HTML that can't run script.
//!
//! pulldown-cmark alone passes raw HTML (`<script>`) through, so its output always goes
//! through ammonia, which keeps a small allow-list of tags and only http(s) and mailto links.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Options, Parser, html};

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "p",
            "br",
            "em",
            "strong",
            "ul",
            "ol",
            "li",
            "blockquote",
            "code",
            "pre",
            "h2",
            "h3",
            "h4",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "hr",
            "del",
            "sup",
            "sub",
        ]
        .into_iter()
        .collect();
        let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
        let mut builder = ammonia::Builder::default();
        builder
            .tags(tags)
            .url_schemes(schemes)
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough);
        builder
    })
}

/// Markdown to sanitised HTML. Headings are moved down one level (`#` becomes `<h2>`) so that
/// a submitted text can't compete with the page's own `<h1>`.
pub(crate) fn to_html(markdown: &str) -> String {
    render(markdown, true)
}

fn render(markdown: &str, demote_headings: bool) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(markdown, options).map(|event| match event {
        pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) if demote_headings => pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(level)) if demote_headings => {
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(demote(level)))
        }
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    finish_links(&cleaner().clean(&raw).to_string())
}

const LINK_REL: &str = "noopener noreferrer nofollow";

/// Links in the sanitised HTML get `rel="noopener noreferrer nofollow"`; a link whose address
/// was removed (`javascript:`, `data:`) becomes a `<span>` with its text, since an `<a>`
/// without `href` is no link. This reads ammonia's serialisation, in which `<a` only ever starts
/// a tag (text has `<` escaped) and links never nest (the HTML parser closes them).
fn finish_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    let mut unlinked = false;
    loop {
        let next_open = rest.find("<a>").into_iter().chain(rest.find("<a ")).min();
        let next_close = if unlinked { rest.find("</a>") } else { None };
        match (next_open, next_close) {
            (_, Some(close)) => {
                out.push_str(&rest[..close]);
                out.push_str("</span>");
                rest = &rest[close + "</a>".len()..];
                unlinked = false;
            }
            (Some(open), None) => {
                out.push_str(&rest[..open]);
                let Some(end) = rest[open..].find('>').map(|e| open + e) else {
                    break;
                };
                let tag = &rest[open..end];
                if tag.contains(" href=\"") {
                    out.push_str(tag);
                    out.push_str(" rel=\"");
                    out.push_str(LINK_REL);
                    out.push_str("\">");
                } else {
                    out.push_str("<span>");
                    unlinked = true;
                }
                rest = &rest[end + 1..];
            }
            (None, None) => break,
        }
    }
    out.push_str(rest);
    out
}

/// Publisher pages: their first `#` heading is the page's title (the template shows it), and
/// their `##` sections stay `<h2>`. The allowed tags include `h2`–`h4` only, so a second `#`
/// heading loses its tag but keeps its text.
pub(crate) fn page_to_html(markdown: &str) -> String {
    render(strip_first_heading(markdown), false)
}

fn strip_first_heading(markdown: &str) -> &str {
    let trimmed = markdown.trim_start();
    if let Some(rest) = trimmed.strip_prefix("# ") {
        return rest.split_once('\n').map_or("", |(_, after)| after);
    }
    markdown
}

fn demote(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 => H2,
        H2 => H3,
        H3 => H4,
        H4 => H5,
        _ => H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_script_and_handlers() {
        let html = to_html(
            "Hej <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <iframe src=\"https://e.org\"></iframe>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn keeps_links_and_emphasis() {
        let html = to_html("Se [jämförelsen](https://example.org/) och **detta**.");
        assert!(html.contains("<a href=\"https://example.org/\" rel=\"noopener noreferrer nofollow\">jämförelsen</a>"), "{html}");
        assert!(html.contains("<strong>detta</strong>"));
    }

    #[test]
    fn refuses_data_links_and_demotes_headings() {
        let html = to_html("# Rubrik\n[x](data:text/html;base64,PHNjcmlwdD4=)");
        assert!(html.contains("<h2>Rubrik</h2>"), "{html}");
        assert!(!html.contains("data:"), "{html}");
    }

    #[test]
    fn links_without_a_safe_address_become_text() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](https://example.org/) <a href=\"data:text/html,x\" hreflang=\"sv\">c</a> [d](mailto:x@example.org)",
        );
        assert_eq!(
            html,
            "<p><span>a</span> <a href=\"https://example.org/\" rel=\"noopener noreferrer nofollow\">b</a> <span>c</span> <a href=\"mailto:x@example.org\" rel=\"noopener noreferrer nofollow\">d</a></p>\n"
        );
        assert_eq!(
            to_html("<a>x</a> &lt;a&gt;"),
            "<p><span>x</span> &lt;a&gt;</p>\n"
        );
    }

    #[test]
    fn pages_keep_their_heading_levels() {
        let html = page_to_html("# Titel\n\n## Avsnitt\n\n<script>x</script>");
        assert!(!html.contains("Titel"), "{html}");
        assert!(html.contains("<h2>Avsnitt</h2>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }
}
