//! `site.yaml`: the title, address and language of the site.

use crate::model::{Language, SiteConfig};
use crate::suggest;

use super::read::Reader;
use super::yaml::Node;

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "example_data",
    "description",
    "publisher",
];

pub fn read(reader: &mut Reader<'_>, root: &Node) -> Option<SiteConfig> {
    if root.as_map().is_none() {
        reader.error(
            root.pos,
            format!(
                "found {}; expected lines of key: value with at least title: ...",
                root.describe()
            ),
        );
        return None;
    }
    let fields = reader.fields(root, KEYS, "site.yaml")?;
    // Every key is read even after a problem, so that all problems are reported at once.
    let title = reader
        .required(
            &fields,
            "title",
            "the site's title, e.g. title: eBlomlådan – resultat",
        )
        .and_then(|n| reader.text(n, "the site's title"));
    let base_url = match fields.get("base_url") {
        Some(node) if !node.is_null() && node.as_text().is_some_and(|t| !t.trim().is_empty()) => {
            reader
                .text(
                    node,
                    "the address the site is published at, e.g. https://example.org",
                )
                .and_then(|text| match normalize_base_url(&text) {
                    Ok(url) => Some(url),
                    Err(problem) => {
                        reader.error(node.pos, problem);
                        None
                    }
                })
        }
        _ => Some(String::new()),
    };
    let language = match fields.get("language") {
        Some(node) => reader
            .text(node, "a language, sv or en")
            .and_then(|word| match word.as_str() {
                "sv" => Some(Language::Sv),
                "en" => Some(Language::En),
                other => {
                    let hint = suggest::did_you_mean(other, ["sv", "en"]);
                    reader.error(
                        node.pos,
                        format!("unknown language \"{other}\"{hint}; expected \"sv\" (Swedish) or \"en\" (English)"),
                    );
                    None
                }
            }),
        None => Some(Language::Sv),
    };
    let example_data = match fields.get("example_data") {
        Some(node) => reader.boolean(node, "whether the assessments are example data"),
        None => Some(false),
    };
    let description = reader.optional_text(
        fields.get("description"),
        "a one-sentence description of the site",
    );
    let publisher = reader.optional_text(fields.get("publisher"), "the name of the publisher");
    Some(SiteConfig {
        title: title?,
        base_url: base_url?,
        language: language?,
        example_data: example_data?,
        description,
        publisher,
    })
}

/// `https://example.org/eblomladan/` → `https://example.org/eblomladan`; a path such as
/// `/eblomladan` is kept as it is. Anything else is refused with a reason.
pub fn normalize_base_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_end_matches('/');
    let (scheme_ok, rest) = if let Some(rest) = trimmed.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = trimmed.strip_prefix("http://") {
        (true, rest)
    } else {
        (trimmed.is_empty() || trimmed.starts_with('/'), trimmed)
    };
    let clean = rest.chars().all(|c| {
        c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '{' | '}')
    });
    if !scheme_ok || !clean {
        return Err(format!(
            "found the address \"{}\"; expected an address starting with https:// or http://, or a path starting with /",
            text.escape_debug()
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::normalize_base_url;

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("https://example.org/").unwrap(),
            "https://example.org"
        );
        assert_eq!(normalize_base_url("/eb/").unwrap(), "/eb");
        assert_eq!(normalize_base_url("").unwrap(), "");
        assert!(normalize_base_url("javascript:alert(1)").is_err());
        assert!(normalize_base_url("https://x.org/\"><script>").is_err());
    }
}
