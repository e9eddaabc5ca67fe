//! Stable links by code: `kommun/<code>/` and `lan/<code>/` lead to the page by name, so
//! that links by code stay valid when a name changes; a slug that several names share (Håbo
//! and Habo) leads to a page listing them.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::output::OutputFile;
use crate::render::paths::{self, Page};
use crate::render::site::{Head, RenderError, Site};

#[derive(Serialize)]
struct Redirect<'a> {
    name: &'a str,
    target: &'a str,
    gist: Option<Gist>,
}

/// What a page that leads to another says of it, for whoever stays (a reader without
/// redirects, a crawler, a program): the year's picture, its counts and its summary.
#[derive(Serialize)]
pub(crate) struct Gist {
    /// The flower box's SVG file.
    pub(crate) picture: String,
    /// The counts in a sentence.
    pub(crate) sentence: String,
    /// The submitter's summary, as sanitised HTML.
    pub(crate) summary_html: Option<String>,
}

#[derive(Serialize)]
struct Choice<'a> {
    name: &'a str,
    detail: &'a str,
    path: String,
}

#[derive(Serialize)]
struct ChoosePage<'a> {
    choices: Vec<Choice<'a>>,
}

/// One page of this job, at `folder`.
enum Entry<'a> {
    /// Leads to `target`, the page of `name`.
    Redirect {
        folder: String,
        name: &'a str,
        target: String,
    },
    /// Lists the municipalities whose names share the slug `folder` ends in.
    Choose {
        folder: String,
        choices: Vec<Choice<'a>>,
    },
}

impl Entry<'_> {
    fn folder(&self) -> &str {
        match self {
            Entry::Redirect { folder, .. } | Entry::Choose { folder, .. } => folder,
        }
    }
}

/// Every page of this job, in order.
fn entries<'a>(site: &Site<'a>) -> Vec<Entry<'a>> {
    let registry = &site.content.registry;
    // Looked up once per municipality: a set, not a search of the registry each time.
    let slugs: HashSet<&str> = (registry.municipalities.iter().map(|m| m.slug.as_str()))
        .chain(registry.counties.iter().map(|c| c.slug.as_str()))
        .collect();
    let taken = |slug: &str| slugs.contains(slug);
    let mut entries = Vec::new();
    for (mi, m) in registry.municipalities.iter().enumerate() {
        if site.stats.latest(mi).is_some() && !taken(&m.code) {
            entries.push(Entry::Redirect {
                folder: paths::municipality(&m.code),
                name: &m.name,
                target: paths::municipality(&m.slug),
            });
        }
    }
    for (ci, c) in registry.counties.iter().enumerate() {
        if site.county_has_assessments(ci) && !taken(&c.code) {
            entries.push(Entry::Redirect {
                folder: paths::county(&c.code),
                name: &c.name,
                target: paths::county(&c.slug),
            });
        }
    }
    // The municipalities by the address their name alone would have.
    let mut by_name_slug: HashMap<String, Vec<usize>> = HashMap::new();
    if !registry.shared_municipality_slugs.is_empty() {
        for (mi, m) in registry.municipalities.iter().enumerate() {
            by_name_slug
                .entry(crate::slug::slugify(&m.name))
                .or_default()
                .push(mi);
        }
    }
    for shared in &registry.shared_municipality_slugs {
        let prefix = format!("{shared}-");
        let choices: Vec<Choice> = by_name_slug
            .get(shared.as_str())
            .into_iter()
            .flatten()
            .map(|&mi| (mi, &registry.municipalities[mi]))
            .filter(|(mi, m)| m.slug.starts_with(&prefix) && site.stats.latest(*mi).is_some())
            .map(|(_, m)| Choice {
                name: &m.name,
                detail: &registry.counties[m.county].name,
                path: paths::municipality(&m.slug),
            })
            .collect();
        if !choices.is_empty() && !taken(shared) {
            entries.push(Entry::Choose {
                folder: paths::municipality(shared),
                choices,
            });
        }
    }
    entries
}

/// The pages of this job: none of them in the sitemap.
pub(crate) fn pages(site: &Site<'_>) -> Vec<Page> {
    entries(site)
        .iter()
        .map(|e| Page::unlisted(e.folder()))
        .collect()
}

/// The page at `folder` that leads to `target`, the page of `name`. It is not for the
/// sitemap and asks search engines to index the target instead.
pub(crate) fn redirect(
    site: &Site<'_>,
    folder: &str,
    name: &str,
    target: &str,
) -> Result<OutputFile, RenderError> {
    redirect_with(site, folder, name, target, None)
}

/// [`redirect`], with the gist of the page it leads to.
pub(crate) fn redirect_with(
    site: &Site<'_>,
    folder: &str,
    name: &str,
    target: &str,
    gist: Option<Gist>,
) -> Result<OutputFile, RenderError> {
    let head = Head {
        noindex: true,
        ..Head::new(name.to_string(), "redirect")
    };
    let page = Redirect { name, target, gist };
    let html = site.render_page("redirect.html", folder, head, page)?;
    Ok(OutputFile::bytes(paths::index(folder), html))
}

pub(crate) fn render(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    entries(site)
        .into_iter()
        .map(|entry| {
            let folder = entry.folder().to_string();
            let html = match entry {
                Entry::Redirect { name, target, .. } => {
                    return redirect(site, &folder, name, &target);
                }
                Entry::Choose { choices, .. } => {
                    let names: Vec<&str> = choices.iter().map(|c| c.name).collect();
                    let title = format!("{} – {}", names.join(" / "), site.title());
                    site.render_page(
                        "choose.html",
                        &folder,
                        Head::new(title, "municipalities"),
                        ChoosePage { choices },
                    )?
                }
            };
            Ok(OutputFile::bytes(paths::index(&folder), html))
        })
        .collect()
}
