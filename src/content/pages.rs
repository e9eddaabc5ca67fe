//! Extra pages: `pages/*.md`, Markdown with an optional front matter block.

use std::path::Path;

use crate::diagnostics::{Diagnostics, LineCursor, Pos, SourceText};
use crate::model::Page;
use crate::slug::slugify;

use super::read::Reader;
use super::yaml;

const KEYS: &[&str] = &["title", "description", "order"];

/// Reads a page of `pages/` (`path` on disk, `rel` relative to the content folder) from its text.
pub fn read(path: &Path, rel: &Path, text: &str, diagnostics: &mut Diagnostics) -> Option<Page> {
    let source = SourceText { path, text };
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let slug = slugify(stem);
    if slug != stem {
        let hint = if slug.is_empty() {
            String::new()
        } else {
            format!(" (did you mean \"{slug}.md\"?)")
        };
        diagnostics.error(
            &source,
            Pos::START,
            format!("found the page file name \"{}\"; expected lower-case letters, digits and \"-\" only, as it becomes the page's address{hint}", stem.escape_debug()),
        );
        return None;
    }
    let Some((front, body)) = split_front_matter(text) else {
        diagnostics.error(
            &source,
            Pos::START,
            "found a front matter block (the first line is ---) that is never closed; expected a line with --- after the title and other keys",
        );
        return None;
    };
    let mut title = None;
    let mut description = None;
    let mut order = 0;
    if let Some(front) = front {
        // Positions in the front matter are one line further down than in the block.
        let node = match yaml::parse(front) {
            Ok(node) => node,
            Err(e) => {
                diagnostics.error(
                    &source,
                    Pos {
                        line: e.pos.line + 1,
                        column: e.pos.column,
                    },
                    e.message,
                );
                return None;
            }
        };
        let mut shifted = Diagnostics::new();
        let mut reader = Reader {
            source: SourceText { path, text: front },
            diagnostics: &mut shifted,
        };
        if !node.is_null()
            && let Some(fields) = reader.fields(&node, KEYS, "the page's front matter")
        {
            title = reader.optional_text(fields.get("title"), "the page's title");
            description =
                reader.optional_text(fields.get("description"), "a one-sentence description");
            if let Some(n) = fields.get("order") {
                order = reader
                    .integer(n, "a whole number for the page's place in the footer")
                    .unwrap_or(0);
            }
        }
        let failed = shifted.has_errors();
        let mut cursor = LineCursor::default();
        for mut d in shifted {
            d.pos.line += 1;
            d.source_line = cursor.line(&source, d.pos.line);
            diagnostics.push(d);
        }
        if failed {
            return None;
        }
    }
    let title = title
        .or_else(|| first_heading(body))
        .unwrap_or_else(|| stem.to_string());
    Some(Page {
        slug,
        title,
        description,
        order,
        markdown: body.to_string(),
        source: rel.to_path_buf(),
    })
}

/// Splits `---\n...\n---\n` off the top: the front matter and the body. `None` when the
/// block is opened but never closed.
fn split_front_matter(text: &str) -> Option<(Option<&str>, &str)> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Some((None, text));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((Some(front), body));
        }
        offset += line.len();
    }
    None
}

fn first_heading(markdown: &str) -> Option<String> {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_title() {
        let mut d = Diagnostics::new();
        let page = read(
            Path::new("p/metod.md"),
            Path::new("metod.md"),
            "---\ntitle: Metod\norder: 2\n---\n# Rubrik\ntext\n",
            &mut d,
        )
        .unwrap();
        assert_eq!(page.title, "Metod");
        assert_eq!(page.order, 2);
        assert_eq!(page.markdown, "# Rubrik\ntext\n");
        let page = read(
            Path::new("p/om.md"),
            Path::new("om.md"),
            "# Om sidan\n",
            &mut d,
        )
        .unwrap();
        assert_eq!(page.title, "Om sidan");
        assert!(d.is_empty());
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let mut d = Diagnostics::new();
        assert!(
            read(
                Path::new("p/om.md"),
                Path::new("om.md"),
                "---\ntitel: x\n---\n",
                &mut d
            )
            .is_none()
        );
        let first = d.iter().next().unwrap();
        assert_eq!(first.pos, Pos { line: 2, column: 1 });
        assert!(
            first.message.contains("did you mean \"title\""),
            "{}",
            first.message
        );
    }
}
