//! The Atom feed of the newest publications, `feed.xml`.

use serde::Serialize;

use crate::model::{Date, Year};
use crate::output::OutputFile;
use crate::render::paths;
use crate::render::site::{RenderError, Site};

#[derive(Serialize)]
struct Entry<'a> {
    title: String,
    path: String,
    url: String,
    id: String,
    published: String,
    summary: String,
    municipality: &'a str,
    year: Year,
}

#[derive(Serialize)]
struct Feed<'a> {
    title: &'a str,
    url: String,
    self_url: String,
    id: String,
    updated: String,
    entries: Vec<Entry<'a>>,
}

/// How many publications the feed lists.
const FEED_ENTRIES: usize = 50;

fn rfc3339(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// The newest publications, newest first (ties by municipality code).
fn newest(site: &Site<'_>, limit: usize) -> Vec<(Date, usize)> {
    let content = site.content;
    let mut all: Vec<(Date, usize)> = content
        .assessments
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.published.map(|d| (d, i)))
        .collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    all.truncate(limit);
    all
}

pub(crate) fn render(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let url_of = |path: &str| site.url_of(path);
    let entries: Vec<Entry> = newest(site, FEED_ENTRIES)
        .into_iter()
        .map(|(date, i)| {
            let a = &content.assessments[i];
            let m = &content.registry.municipalities[a.municipality];
            let f = &site.stats.assessments[i];
            let path = paths::municipality_year(&m.slug, a.year);
            Entry {
                title: format!("{} {}", m.name, a.year),
                // Straight to the page; the id stays the year's address, which lasts.
                url: url_of(&site.assessment_path(i)),
                id: site
                    .absolute(&path)
                    .unwrap_or_else(|| format!("urn:blomlada:{}:{}", m.code, a.year)),
                path,
                published: rfc3339(date),
                summary: site.tally_sentence(
                    &f.total,
                    content.catalogs[a.catalog].indicators.len(),
                    None,
                ),
                municipality: &m.name,
                year: a.year,
            }
        })
        .collect();
    let updated = entries
        .first()
        .map(|e| e.published.clone())
        .unwrap_or_else(|| "1990-01-01T00:00:00Z".to_string());
    let feed = Feed {
        title: site.title(),
        url: url_of(paths::HOME),
        self_url: url_of(paths::FEED),
        id: site
            .absolute(paths::HOME)
            .unwrap_or_else(|| format!("urn:blomlada:{}", crate::slug::slugify(site.title()))),
        updated,
        entries,
    };
    let xml = site.render_template(
        "feed.xml",
        minijinja::context! { feed => minijinja::Value::from(minijinja::value::Serde(&feed)) },
    )?;
    Ok(vec![OutputFile::bytes(paths::FEED, xml)])
}
