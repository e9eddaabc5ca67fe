//! Comparison: every municipality against the areas for a year, as one table that sorts and
//! filters in the browser and is complete without JavaScript. `jamfor/` is the latest year,
//! `jamfor/<year>/` every year.

use serde::Serialize;

use crate::model::Year;
use crate::output::OutputFile;
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};

#[derive(Serialize)]
struct AreaHead<'a> {
    id: &'a str,
    label: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    path: String,
    county: &'a str,
    county_code: &'a str,
    population: u64,
    size_class: &'static str,
    points: u32,
    share_helt: Option<f64>,
    areas: Vec<Option<f64>>,
}

#[derive(Serialize)]
struct Table<'a> {
    catalog_name: &'a str,
    max_points: u32,
    areas: Vec<AreaHead<'a>>,
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Option_<'a> {
    code: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct YearLink {
    year: Year,
    path: String,
    current: bool,
}

#[derive(Serialize)]
struct Page<'a> {
    year: Option<Year>,
    latest: bool,
    years: Vec<YearLink>,
    counties: Vec<Option_<'a>>,
    tables: Vec<Table<'a>>,
}

pub fn render(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let mut files = Vec::new();
    for &year in &site.stats.years {
        files.push(render_year(site, Some(year), false)?);
    }
    files.push(render_year(site, site.latest_year(), true)?);
    Ok(files)
}

fn render_year(
    site: &Site<'_>,
    year: Option<Year>,
    as_latest: bool,
) -> Result<OutputFile, RenderError> {
    let content = site.content;
    let stats = site.stats;
    let tables = year
        .map(|y| stats.groups_of_year(y).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|(_, group)| {
            let catalog = &content.catalogs[group.catalog];
            Table {
                catalog_name: &catalog.name,
                max_points: group.max_points,
                areas: catalog
                    .areas
                    .iter()
                    .map(|a| AreaHead {
                        id: &a.id,
                        label: a.label(),
                        name: &a.name,
                    })
                    .collect(),
                rows: super::by_name(
                    group
                        .assessments
                        .iter()
                        .map(|&a| {
                            let assessment = &content.assessments[a];
                            let m = &content.registry.municipalities[assessment.municipality];
                            let county = &content.registry.counties[m.county];
                            let f = &stats.assessments[a];
                            Row {
                                name: &m.name,
                                path: paths::municipality_year(&m.slug, group.year),
                                county: &county.name,
                                county_code: &county.code,
                                population: m.population,
                                size_class: f.size_class.code(),
                                points: f.points,
                                share_helt: f.share_helt,
                                areas: f.areas.iter().map(|t| t.share_helt()).collect(),
                            }
                        })
                        .collect(),
                    |r| r.name,
                ),
            }
        })
        .collect();
    let page = Page {
        year,
        latest: as_latest,
        years: stats
            .years
            .iter()
            .map(|&y| YearLink {
                year: y,
                path: paths::compare_year(y),
                current: Some(y) == year,
            })
            .collect(),
        counties: content
            .registry
            .counties
            .iter()
            .map(|c| Option_ {
                code: &c.code,
                name: &c.name,
            })
            .collect(),
        tables,
    };
    let folder = match (as_latest, year) {
        (false, Some(y)) => paths::compare_year(y),
        _ => "jamfor/".to_string(),
    };
    let title = match year {
        Some(y) => format!("{} {y} – {}", site.t("compare"), content.config.title),
        None => format!("{} – {}", site.t("compare"), content.config.title),
    };
    let html = site.render_page("compare.html", &folder, Head::new(title, "compare"), &page)?;
    Ok(OutputFile::bytes(paths::index(&folder), html))
}
