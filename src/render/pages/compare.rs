//! Comparison: every municipality against the areas for a year, as one table that sorts and
//! filters in the browser and is complete without JavaScript. `jamfor/` is the latest year,
//! `jamfor/<year>/` every year, each table also as CSV (`jamfor/<year>/jamfor-<year>-<catalog>.csv`)
//! with the columns and headings the table has; the browser offers its current view in the same
//! form.

use serde::Serialize;

use super::YearCopy;
use crate::model::Year;
use crate::output::OutputFile;
use crate::render::opendata::{csv_writer, finish, four_decimals, write_record};
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};
use crate::stats::Group;

#[derive(Serialize)]
struct AreaHead<'a> {
    id: &'a str,
    label: &'a str,
    name: &'a str,
    /// The language of the label and name, when it is not the page's.
    lang: Option<&'static str>,
}

#[derive(Serialize)]
struct Row<'a> {
    code: &'a str,
    name: &'a str,
    /// The codes of the similar municipalities by answers and by population, space-separated,
    /// for the filter "similar to".
    similar_answers: String,
    similar_population: String,
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
    catalog_name_lang: Option<&'static str>,
    max_points: u32,
    areas: Vec<AreaHead<'a>>,
    rows: Vec<Row<'a>>,
    /// The table as CSV, and the file name a download of its current view gets.
    csv_path: String,
    csv_name: String,
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

/// `jamfor/`: the latest year.
pub(crate) fn latest(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    render_year(site, site.latest_year(), YearCopy::Latest)
}

/// `jamfor/<year>/`.
pub(crate) fn year(site: &Site<'_>, year: Year) -> Result<Vec<OutputFile>, RenderError> {
    render_year(
        site,
        Some(year),
        YearCopy::of_year(year, site.latest_year()),
    )
}

/// The headings of the table's columns, in the site's language, as its CSV has them.
fn csv_header(site: &Site<'_>, table: &Table<'_>) -> Vec<String> {
    let share = site.t("share_helt_indicators");
    let mut header: Vec<String> = [
        "municipality_code",
        "municipality",
        "county",
        "population",
        "points",
    ]
    .iter()
    .map(|key| site.t(&format!("csv_{key}")).to_string())
    .collect();
    header.push(share.to_string());
    header.extend(table.areas.iter().map(|a| format!("{share}: {}", a.name)));
    header
}

fn csv(site: &Site<'_>, table: &Table<'_>) -> Vec<u8> {
    let mut writer = csv_writer(64 * (table.rows.len() + 1));
    write_record(&mut writer, csv_header(site, table));
    for row in &table.rows {
        let mut record = vec![
            row.code.to_string(),
            row.name.to_string(),
            row.county.to_string(),
            row.population.to_string(),
            row.points.to_string(),
            four_decimals(row.share_helt),
        ];
        record.extend(row.areas.iter().map(|&s| four_decimals(s)));
        write_record(&mut writer, record);
    }
    finish(writer)
}

/// Rows made between two looks at the stop signal: after a change the first table finds
/// every municipality's similar ones (at 10 000 municipalities, some 150 ms).
const ROWS_BETWEEN_LOOKS: usize = 256;

/// One catalogue's table of a year: its areas as columns, its municipalities as rows by name.
fn table<'a>(site: &Site<'a>, group: &'a Group) -> Result<Table<'a>, RenderError> {
    let content = site.content;
    let catalog = &content.catalogs[group.catalog];
    let csv_name = format!("jamfor-{}-{}.csv", group.year, catalog.id);
    let mut rows = Vec::with_capacity(group.assessments.len());
    for (made, &a) in group.assessments.iter().enumerate() {
        if made.is_multiple_of(ROWS_BETWEEN_LOOKS) {
            site.given_way()?;
        }
        rows.push((content.assessments[a].municipality, row(site, a)));
    }
    Ok(Table {
        csv_path: format!("{}{csv_name}", paths::compare_year(group.year)),
        csv_name,
        catalog_name: site.catalog_name(catalog).text,
        catalog_name_lang: site.catalog_name(catalog).lang,
        max_points: group.max_points,
        areas: catalog
            .areas
            .iter()
            .map(|a| {
                let (label, name) = (site.area_label(a), site.area_name(a));
                AreaHead {
                    id: &a.id,
                    label: label.text,
                    name: name.text,
                    lang: label.lang.or(name.lang),
                }
            })
            .collect(),
        rows: super::by_municipality_name(site, rows),
    })
}

/// One municipality's row, with the codes of its similar municipalities for the filter.
fn row<'a>(site: &Site<'a>, a: usize) -> Row<'a> {
    let content = site.content;
    let stats = site.stats;
    let assessment = &content.assessments[a];
    let m = &content.registry.municipalities[assessment.municipality];
    let county = &content.registry.counties[m.county];
    let f = &stats.assessments[a];
    let similar = stats.similar(content, a);
    let codes = |list: &[crate::stats::similar::Neighbour]| {
        list.iter()
            .map(|n| {
                content.registry.municipalities[content.assessments[n.assessment].municipality]
                    .code
                    .as_str()
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    Row {
        code: &m.code,
        name: &m.name,
        similar_answers: codes(&similar.by_answers),
        similar_population: codes(&similar.by_population),
        path: site.assessment_path(a),
        county: &county.name,
        county_code: &county.code,
        population: m.population,
        size_class: f.size_class.code(),
        points: f.points,
        share_helt: f.share_helt,
        areas: f.areas.iter().map(|t| t.share_helt()).collect(),
    }
}

fn render_year(
    site: &Site<'_>,
    year: Option<Year>,
    copy: YearCopy,
) -> Result<Vec<OutputFile>, RenderError> {
    let as_latest = copy == YearCopy::Latest;
    let content = site.content;
    let stats = site.stats;
    let tables = year
        .map(|y| stats.groups_of_year(y).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|(_, group)| table(site, group))
        .collect::<Result<Vec<Table>, RenderError>>()?;
    // The year's own page writes its tables' CSV; the latest page links to them.
    let mut files: Vec<OutputFile> = if as_latest {
        Vec::new()
    } else {
        tables
            .iter()
            .map(|table| OutputFile::bytes(table.csv_path.clone(), csv(site, table)))
            .collect()
    };
    let page = Page {
        year,
        latest: as_latest,
        years: stats
            .years
            .iter()
            .map(|&y| YearLink {
                year: y,
                path: super::year_or_latest(
                    y,
                    site.latest_year(),
                    paths::COMPARE.to_string(),
                    paths::compare_year(y),
                ),
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
        _ => paths::COMPARE.to_string(),
    };
    let title = match year {
        Some(y) => format!("{} {y} – {}", site.t("compare"), site.title()),
        None => format!("{} – {}", site.t("compare"), site.title()),
    };
    if copy == YearCopy::LatestYear {
        files.push(super::redirects::redirect(
            site,
            &folder,
            &title,
            paths::COMPARE,
        )?);
        return Ok(files);
    }
    let html = site.render_page("compare.html", &folder, Head::new(title, "compare"), &page)?;
    files.push(OutputFile::bytes(paths::index(&folder), html));
    Ok(files)
}
