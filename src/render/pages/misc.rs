//! Publisher pages, redirects by code, open data, the feed, the sitemap, robots.txt and the
//! not-found page.

use serde::Serialize;

use crate::model::{Date, Year};
use crate::output::OutputFile;
use crate::render::markdown;
use crate::render::opendata;
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};
use crate::schema;

#[derive(Serialize)]
struct MarkdownPage<'a> {
    title: &'a str,
    html: String,
}

pub fn page(site: &Site<'_>, index: usize) -> Result<Vec<OutputFile>, RenderError> {
    let page = &site.content.pages[index];
    let folder = paths::page(&page.slug);
    let mut head = Head::new(
        format!("{} – {}", page.title, site.content.config.title),
        "page",
    );
    if let Some(d) = &page.description {
        head = head.description(d.clone());
    }
    let html = site.render_page(
        "page.html",
        &folder,
        head,
        MarkdownPage {
            title: &page.title,
            html: markdown::page_to_html(&page.markdown),
        },
    )?;
    Ok(vec![OutputFile::bytes(paths::index(&folder), html)])
}

#[derive(Serialize)]
struct Redirect<'a> {
    name: &'a str,
    target: String,
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

/// `kommun/<code>/` and `lan/<code>/` lead to the page by name, so that links by code stay
/// valid when a name changes; a slug that several names share leads to a page listing them.
pub fn redirects(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let registry = &content.registry;
    let taken = |slug: &str| {
        registry.municipalities.iter().any(|m| m.slug == slug)
            || registry.counties.iter().any(|c| c.slug == slug)
    };
    let mut files = Vec::new();
    let mut redirect = |from: String, name: &str, target: String| -> Result<(), RenderError> {
        let head = Head {
            noindex: true,
            ..Head::new(name.to_string(), "redirect")
        };
        let html = site.render_page("redirect.html", &from, head, Redirect { name, target })?;
        files.push(OutputFile::bytes(paths::index(&from), html));
        Ok(())
    };
    for (mi, m) in registry.municipalities.iter().enumerate() {
        if site.stats.latest(mi).is_some() && !taken(&m.code) {
            redirect(
                paths::municipality(&m.code),
                &m.name,
                paths::municipality(&m.slug),
            )?;
        }
    }
    for (ci, c) in registry.counties.iter().enumerate() {
        if site.county_has_assessments(ci) && !taken(&c.code) {
            redirect(paths::county(&c.code), &c.name, paths::county(&c.slug))?;
        }
    }
    for shared in &registry.shared_municipality_slugs {
        let choices: Vec<Choice> = registry
            .municipalities
            .iter()
            .enumerate()
            .filter(|(mi, m)| {
                m.slug.starts_with(&format!("{shared}-"))
                    && crate::slug::slugify(&m.name) == *shared
                    && site.stats.latest(*mi).is_some()
            })
            .map(|(_, m)| Choice {
                name: &m.name,
                detail: &registry.counties[m.county].name,
                path: paths::municipality(&m.slug),
            })
            .collect();
        if !choices.is_empty() && !taken(shared) {
            let folder = paths::municipality(shared);
            let names: Vec<&str> = choices.iter().map(|c| c.name).collect();
            let title = format!("{} – {}", names.join(" / "), site.content.config.title);
            let html = site.render_page(
                "choose.html",
                &folder,
                Head::new(title, "municipalities"),
                ChoosePage { choices },
            )?;
            files.push(OutputFile::bytes(paths::index(&folder), html));
        }
    }
    Ok(files)
}

#[derive(Serialize)]
struct DataFile {
    path: &'static str,
    key: &'static str,
    columns: Option<String>,
    kilobytes: u64,
}

#[derive(Serialize)]
struct DataPage {
    files: Vec<DataFile>,
}

/// The open data files and `data/index.html`, a page that lists them.
pub fn data(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let (content, stats) = (site.content, site.stats);
    let schema_url = site.absolute("data/schema/assessment.schema.json");
    let contents = [
        opendata::answers_csv(content, stats),
        opendata::municipalities_csv(content, stats),
        opendata::indicators_csv(content, stats),
        opendata::site_json(content, stats),
        schema::assessment_schema(&content.catalogs, schema_url.as_deref()).into_bytes(),
    ];
    let keys = [
        "answers",
        "municipalities",
        "indicators",
        "site_json",
        "schema",
    ];
    let listed = contents
        .iter()
        .zip(keys)
        .zip(opendata::DATA_FILES)
        .map(|((bytes, key), path)| {
            // A CSV file's columns are its first line.
            let columns = path.ends_with(".csv").then(|| {
                let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
                String::from_utf8_lossy(header).replace(',', ", ")
            });
            DataFile {
                path,
                key,
                columns,
                kilobytes: (bytes.len() as u64).div_ceil(1024),
            }
        })
        .collect();
    let head = Head::new(
        format!("{} – {}", site.t("open_data"), content.config.title),
        "data",
    );
    let html = site.render_page("data.html", "data/", head, DataPage { files: listed })?;
    let mut files = vec![OutputFile::bytes("data/index.html", html)];
    files.extend(
        opendata::DATA_FILES
            .into_iter()
            .zip(contents)
            .map(|(path, bytes)| OutputFile::bytes(path, bytes)),
    );
    Ok(files)
}

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

pub fn feed(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let url_of = |path: &str| site.absolute(path).unwrap_or_else(|| format!("/{path}"));
    let entries: Vec<Entry> = newest(site, FEED_ENTRIES)
        .into_iter()
        .map(|(date, i)| {
            let a = &content.assessments[i];
            let m = &content.registry.municipalities[a.municipality];
            let f = &site.stats.assessments[i];
            let path = paths::municipality_year(&m.slug, a.year);
            Entry {
                title: format!("{} {}", m.name, a.year),
                url: url_of(&path),
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
        title: &content.config.title,
        url: url_of(""),
        self_url: url_of("feed.xml"),
        id: site.absolute("").unwrap_or_else(|| {
            format!(
                "urn:blomlada:{}",
                crate::slug::slugify(&content.config.title)
            )
        }),
        updated,
        entries,
    };
    let xml = site.theme.env.get_template("feed.xml")?.render(
        minijinja::context! { feed => minijinja::Value::from(minijinja::value::Serde(&feed)) },
    )?;
    Ok(vec![OutputFile::bytes("feed.xml", xml)])
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

pub fn sitemap(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let url_of = |path: &str| site.absolute(path).unwrap_or_else(|| format!("/{path}"));
    let mut urls = vec![
        SitemapUrl {
            loc: url_of(""),
            lastmod: None,
        },
        SitemapUrl {
            loc: url_of("kommun/"),
            lastmod: None,
        },
        SitemapUrl {
            loc: url_of("lan/"),
            lastmod: None,
        },
        SitemapUrl {
            loc: url_of("indikator/"),
            lastmod: None,
        },
        SitemapUrl {
            loc: url_of("jamfor/"),
            lastmod: None,
        },
    ];
    for &y in &site.stats.years {
        urls.push(SitemapUrl {
            loc: url_of(&paths::national_year(y)),
            lastmod: None,
        });
        urls.push(SitemapUrl {
            loc: url_of(&paths::compare_year(y)),
            lastmod: None,
        });
    }
    for (ci, c) in content.registry.counties.iter().enumerate() {
        if site.county_has_assessments(ci) {
            urls.push(SitemapUrl {
                loc: url_of(&paths::county(&c.slug)),
                lastmod: None,
            });
        }
    }
    for (mi, m) in content.registry.municipalities.iter().enumerate() {
        let history = &site.stats.by_municipality[mi].assessments;
        if let Some(&latest) = history.last() {
            urls.push(SitemapUrl {
                loc: url_of(&paths::municipality(&m.slug)),
                lastmod: content.assessments[latest].published.map(|d| d.to_string()),
            });
            for &a in history {
                let assessment = &content.assessments[a];
                urls.push(SitemapUrl {
                    loc: url_of(&paths::municipality_year(&m.slug, assessment.year)),
                    lastmod: assessment.published.map(|d| d.to_string()),
                });
            }
        }
    }
    for (ci, catalog) in content.catalogs.iter().enumerate() {
        if site.stats.groups.iter().any(|g| g.catalog == ci) {
            for ind in &catalog.indicators {
                urls.push(SitemapUrl {
                    loc: url_of(&paths::indicator(&catalog.id, &ind.id)),
                    lastmod: None,
                });
            }
        }
    }
    for p in &content.pages {
        urls.push(SitemapUrl {
            loc: url_of(&paths::page(&p.slug)),
            lastmod: None,
        });
    }
    let xml = site.theme.env.get_template("sitemap.xml")?.render(
        minijinja::context! { urls => minijinja::Value::from(minijinja::value::Serde(&urls)) },
    )?;
    Ok(vec![OutputFile::bytes("sitemap.xml", xml)])
}

#[derive(Serialize)]
struct NotFound<'a> {
    home: String,
    /// Every municipality with a page, by name: where someone who followed a broken link
    /// most likely wanted to go.
    municipalities: Vec<super::lists::MunicipalityLink<'a>>,
}

pub fn extras(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    // The not-found page is served at any depth, so its links start at the site's root.
    let home = site.absolute("").unwrap_or_else(|| "/".to_string());
    let home = if home.ends_with('/') {
        home
    } else {
        format!("{home}/")
    };
    let head = Head {
        noindex: true,
        root: Some(home.clone()),
        ..Head::new(
            format!("{} – {}", site.t("not_found"), site.content.config.title),
            "none",
        )
    };
    let page = NotFound {
        home,
        municipalities: super::lists::published_municipalities(site),
    };
    let html = site.render_page("404.html", "", head, page)?;
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = site.absolute("sitemap.xml") {
        robots.push_str(&format!("Sitemap: {url}\n"));
    }
    Ok(vec![
        OutputFile::bytes("404.html", html),
        OutputFile::bytes("robots.txt", robots),
    ])
}
