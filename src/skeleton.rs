//! `blomlada new`: a complete assessment to fill in, every indicator with its text.

use std::fmt::Write;

use crate::model::{Catalog, Language, Level, Municipality, Year};
use crate::render::paths;

/// Where editors find the schema: the published site's copy, or the local build beside the
/// content folder when the site has no address yet (assessments live in
/// `content/assessments/<year>/`).
pub(crate) fn schema_location(base_url: &str) -> String {
    if base_url.starts_with("http://") || base_url.starts_with("https://") {
        format!("{base_url}/{}", paths::ASSESSMENT_SCHEMA)
    } else {
        format!("../../../site/{}", paths::ASSESSMENT_SCHEMA)
    }
}

/// Quotes a value for YAML when it could be read as something other than text.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

pub(crate) fn skeleton(
    municipality: &Municipality,
    year: Year,
    catalog: &Catalog,
    language: Language,
    schema: &str,
) -> String {
    let sv = language == Language::Sv;
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "# yaml-language-server: $schema={schema}");
    if sv {
        let _ = writeln!(
            out,
            "# Självskattning i eBlomlådan: {} ({}), {year}, {}.",
            municipality.name, municipality.code, catalog.name
        );
        let _ = writeln!(
            out,
            "# Svara helt, delvis eller inte på varje indikator. Lämna tomt för obesvarad (grå)."
        );
        let _ = writeln!(out, "# Kontrollera filen med: blomlada check <fil>");
    } else {
        let _ = writeln!(
            out,
            "# eBlomlådan self-assessment: {} ({}), {year}, {}.",
            municipality.name, municipality.code, catalog.name
        );
        let _ = writeln!(
            out,
            "# Answer helt, delvis or inte for every indicator. Leave it empty for unanswered (grey)."
        );
        let _ = writeln!(out, "# Check the file with: blomlada check <file>");
    }
    let _ = writeln!(out, "municipality: {}", yaml_string(&municipality.code));
    let _ = writeln!(out, "year: {year}");
    let _ = writeln!(out, "catalog: {}", yaml_string(&catalog.id));
    if sv {
        let _ = writeln!(
            out,
            "# Ta bort # på nästa rad när självskattningen ska publiceras (utan datum är den ett utkast)."
        );
    } else {
        let _ = writeln!(
            out,
            "# Remove the # on the next line when the assessment is to be published (without a date it is a draft)."
        );
    }
    let _ = writeln!(out, "# published: {year}-12-31");
    let _ = writeln!(out, "answers:");
    for area in &catalog.areas {
        let level = match (area.level, sv) {
            (Level::Flower, true) => "blomma",
            (Level::Grass, true) => "gräs",
            (Level::Soil, true) => "jord",
            (Level::Flower, false) => "flower",
            (Level::Grass, false) => "grass",
            (Level::Soil, false) => "soil",
        };
        let _ = writeln!(
            out,
            "\n  # ── {} ({level}) ──",
            one_line(area.name_in(language).0)
        );
        for indicator in &catalog.indicators[area.indicators.clone()] {
            let _ = writeln!(out, "  # {}", one_line(indicator.text_in(language).0));
            let _ = writeln!(out, "  {}:", indicator.id);
        }
    }
    let _ = writeln!(out);
    if sv {
        let _ = writeln!(
            out,
            "# En sammanfattning i Markdown som visas på kommunens sida (valfri)."
        );
    } else {
        let _ = writeln!(
            out,
            "# A summary in Markdown shown on the municipality's page (optional)."
        );
    }
    let _ = writeln!(out, "summary:");
    if sv {
        let _ = writeln!(
            out,
            "# Kommentarer per indikator i Markdown (valfria), t.ex.:"
        );
    } else {
        let _ = writeln!(
            out,
            "# Comments per indicator in Markdown (optional), e.g.:"
        );
    }
    let _ = writeln!(out, "comments: {{}}");
    if let Some(first) = catalog.indicators.first() {
        let example = if sv {
            "Vi inför en e-tjänst under året."
        } else {
            "We introduce an e-service this year."
        };
        let _ = writeln!(out, "#   {}: {example}", first.id);
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
