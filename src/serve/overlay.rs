//! The error overlay `serve` puts over pages while the content or theme has problems: every
//! problem with its file, line, column and source snippet, over the last good page.

use crate::diagnostics::Diagnostic;

/// The element id the overlay always has (tests and scripts look for it).
pub(crate) const ELEMENT_ID: &str = "blomlada-errors";

/// How many problems the overlay lists; the rest are counted.
const SHOWN: usize = 50;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
}

/// The overlay's markup, or `None` when there is nothing to show.
pub(crate) fn html(problems: &[Diagnostic]) -> Option<String> {
    if problems.is_empty() {
        return None;
    }
    let mut items = String::new();
    for d in problems.iter().take(SHOWN) {
        items.push_str(&format!(
            "<li><pre class=\"blomlada-error\" data-file=\"{}\" data-line=\"{}\" data-column=\"{}\">{}</pre></li>",
            escape(&d.path.display().to_string()),
            d.pos.line,
            d.pos.column,
            escape(&d.to_string()),
        ));
    }
    let more = problems.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!("<p>… and {more} more (see the terminal).</p>")
    } else {
        String::new()
    };
    let count = problems.len();
    let noun = if count == 1 { "problem" } else { "problems" };
    Some(format!(
        r#"<div id="{ELEMENT_ID}" role="alert" style="position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:85vh;overflow:auto;margin:0;padding:1rem 1.5rem;background:#fff8f7;color:#1a1a1a;border-bottom:4px solid #b00020;box-shadow:0 4px 16px rgba(0,0,0,.3);font:15px/1.4 system-ui,sans-serif;text-align:left"><p style="margin:0 0 .5rem;font-weight:bold;color:#b00020">{count} {noun}: the site shows the last good build until this is fixed</p><ol style="margin:0;padding-left:1.5rem">{items}</ol>{more}</div><style>#{ELEMENT_ID} pre{{margin:.25rem 0 .75rem;white-space:pre-wrap;font:13px/1.35 ui-monospace,monospace}}</style>"#
    ))
}

/// Puts the overlay into a page, before `</body>` (or at the end when there is none).
pub(crate) fn inject(page: &[u8], overlay: &str) -> Vec<u8> {
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + overlay.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(overlay.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Pos, Severity};
    use std::path::PathBuf;

    fn problem() -> Diagnostic {
        Diagnostic {
            path: PathBuf::from("content/assessments/<x>.yaml"),
            pos: Pos { line: 7, column: 3 },
            severity: Severity::Error,
            message: "unknown answer \"hel\"; expected helt, delvis or inte".into(),
            source_line: Some("  aldre-1: <script>".into()),
        }
    }

    #[test]
    fn lists_file_line_column_and_snippet_escaped() {
        let html = html(&[problem()]).unwrap();
        assert!(html.starts_with("<div id=\"blomlada-errors\" role=\"alert\""));
        assert!(html.contains("data-file=\"content/assessments/&lt;x&gt;.yaml\""));
        assert!(html.contains("data-line=\"7\" data-column=\"3\""));
        assert!(html.contains("content/assessments/&lt;x&gt;.yaml:7:3: error: unknown answer"));
        assert!(html.contains("aldre-1: &lt;script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(super::html(&[]).is_none());
    }

    #[test]
    fn goes_before_the_end_of_the_body() {
        let page = b"<html><body><p>x</p></body></html>";
        let out = inject(page, "<div>!</div>");
        assert_eq!(out, b"<html><body><p>x</p><div>!</div></body></html>");
        assert_eq!(inject(b"plain", "<b>"), b"plain<b>");
    }
}
