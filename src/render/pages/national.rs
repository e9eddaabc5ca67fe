//! The nation: `index.html` for the latest year and `riket/<year>/` for every year, with the
//! figures of the national reports (seed 001): the distribution of all answers, the
//! size-class breakdown, counties, the most and least common services per area, and the
//! indicators over the years.

use serde::Serialize;

use crate::model::{IndicatorRef, Level, Year};
use crate::output::OutputFile;
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};
use crate::stats::{Group, Tally};

use super::county::{AreaView, Pick, area_views};
use super::pictures::{self, MapFigure, MapScope, SeriesFigure};
use super::{NarrowView, ShareView, TallyView, YearCopy};

#[derive(Serialize)]
struct YearLink {
    year: Year,
    path: String,
    current: bool,
}

#[derive(Serialize)]
struct CountyRow<'a> {
    name: &'a str,
    path: String,
    municipalities: u32,
    registry_municipalities: u32,
    population_published: u64,
    population_total: u64,
    mean_points: f64,
    total: TallyView,
}

#[derive(Serialize)]
struct SizeRow<'a> {
    label: &'a str,
    code: &'static str,
    municipalities: u32,
    registry_municipalities: u32,
    mean_points: f64,
    total: TallyView,
}

#[derive(Serialize)]
struct CommonArea<'a> {
    name: &'a str,
    name_lang: Option<&'static str>,
    most: Vec<Pick<'a>>,
    least: Vec<Pick<'a>>,
}

#[derive(Serialize)]
struct SeriesRow<'a> {
    id: &'a str,
    text: &'a str,
    text_lang: Option<&'static str>,
    path: String,
    area: &'a str,
    area_lang: Option<&'static str>,
    /// One cell per year of the site: share helt, or none.
    shares: Vec<Option<f64>>,
}

#[derive(Serialize)]
struct Recent<'a> {
    name: &'a str,
    path: String,
    year: Year,
    published: String,
}

#[derive(Serialize)]
struct GroupView<'a> {
    catalog_name: &'a str,
    catalog_name_lang: Option<&'static str>,
    svg: String,
    narrow: NarrowView,
    svg_path: String,
    png_path: String,
    summary_sentence: String,
    municipalities: u32,
    registry_municipalities: u32,
    population_published: u64,
    population_total: u64,
    mean_points: f64,
    max_points: u32,
    total: TallyView,
    counties: Vec<CountyRow<'a>>,
    sizes: Vec<SizeRow<'a>>,
    areas: Vec<AreaView<'a>>,
    common: Vec<CommonArea<'a>>,
    series_years: Vec<Year>,
    series: Vec<SeriesRow<'a>>,
}

/// A municipality on the national map, as the table beside it shows it.
#[derive(Serialize)]
struct MapRow<'a> {
    name: &'a str,
    path: String,
    county: &'a str,
    share_helt: Option<f64>,
    points: u32,
    max_points: u32,
}

#[derive(Serialize)]
struct Page<'a> {
    year: Option<Year>,
    latest: bool,
    years: Vec<YearLink>,
    groups: Vec<GroupView<'a>>,
    recent: Vec<Recent<'a>>,
    map: Option<MapFigure>,
    map_rows: Vec<MapRow<'a>>,
    over_time: Option<SeriesFigure>,
    share: Option<ShareView>,
}

/// Every municipality that published in `year`, by name, with the figure the map shows.
fn map_rows<'a>(site: &Site<'a>, year: Year) -> Vec<MapRow<'a>> {
    let content = site.content;
    super::by_municipality_name(
        site,
        site.stats
            .groups_of_year(year)
            .flat_map(|(_, g)| g.assessments.iter().copied())
            .map(|a| {
                let assessment = &content.assessments[a];
                let m = &content.registry.municipalities[assessment.municipality];
                let f = &site.stats.assessments[a];
                let row = MapRow {
                    name: &m.name,
                    path: site.assessment_path(a),
                    county: &content.registry.counties[m.county].name,
                    share_helt: f.share_helt,
                    points: f.points,
                    max_points: f.max_points,
                };
                (assessment.municipality, row)
            }),
    )
}

pub(crate) fn home(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    render(site, site.latest_year(), YearCopy::Latest)
}

pub(crate) fn year(site: &Site<'_>, year: Year) -> Result<Vec<OutputFile>, RenderError> {
    render(
        site,
        Some(year),
        YearCopy::of_year(year, site.latest_year()),
    )
}

/// The nation's page of `year`: the home page for the latest year.
pub(crate) fn year_path(site: &Site<'_>, year: Year) -> String {
    super::year_or_latest(
        year,
        site.latest_year(),
        paths::HOME.to_string(),
        paths::national_year(year),
    )
}

fn group_view<'a>(
    site: &Site<'a>,
    gi: usize,
    group: &Group,
    folder: &str,
    files: &mut Vec<OutputFile>,
) -> GroupView<'a> {
    let catalog = &site.content.catalogs[group.catalog];
    let nation = &group.nation;
    let tallies: Vec<Tally> = nation.indicators.iter().map(|f| f.tally).collect();
    let title = format!("{} {}", site.t("flowerbox_nation"), group.year);
    let sentence = site.tally_sentence(
        &nation.total,
        catalog.indicators.len(),
        Some(nation.municipalities),
    );
    let suffix = if gi == 0 {
        String::new()
    } else {
        format!("-{}", catalog.id)
    };
    let prefix = format!("fb{suffix}-");
    let flowerbox = site.flowerbox(
        group.catalog,
        &tallies,
        group.year,
        &title,
        &sentence,
        &prefix,
    );
    let (
        inline,
        paths::Picture {
            svg: svg_path,
            png: png_path,
        },
    ) = super::flowerbox_with_files(&flowerbox, folder, &suffix, files);
    // Indicators over the years, up to this group's year, when there is more than one year.
    let series_years: Vec<Year> = site
        .stats
        .years
        .iter()
        .copied()
        .filter(|&y| y <= group.year)
        .collect();
    let series = if series_years.len() > 1 {
        series_rows(site, group, &series_years)
    } else {
        Vec::new()
    };
    GroupView {
        catalog_name: site.catalog_name(catalog).text,
        catalog_name_lang: site.catalog_name(catalog).lang,
        narrow: NarrowView::from(&inline),
        svg: inline.svg,
        svg_path,
        png_path,
        summary_sentence: sentence,
        municipalities: nation.municipalities,
        registry_municipalities: nation.registry_municipalities,
        population_published: nation.population_published,
        population_total: nation.population_total,
        mean_points: nation.mean_points,
        max_points: group.max_points,
        total: (&nation.total).into(),
        counties: county_rows(site, group),
        sizes: size_rows(site, group),
        areas: area_views(site, group, nation),
        common: common_areas(site, group),
        series_years,
        series,
    }
}

/// The counties of a group by name, as the table says it is sorted.
fn county_rows<'a>(site: &Site<'a>, group: &Group) -> Vec<CountyRow<'a>> {
    let content = site.content;
    super::by_name(
        group
            .counties
            .iter()
            .map(|(c, scope)| {
                let county = &content.registry.counties[*c];
                CountyRow {
                    name: &county.name,
                    path: super::county::year_path(site, *c, group.year),
                    municipalities: scope.municipalities,
                    registry_municipalities: scope.registry_municipalities,
                    population_published: scope.population_published,
                    population_total: scope.population_total,
                    mean_points: scope.mean_points,
                    total: (&scope.total).into(),
                }
            })
            .collect(),
        |r| r.name,
    )
}

/// The size classes of a group, largest first.
fn size_rows<'a>(site: &Site<'a>, group: &Group) -> Vec<SizeRow<'a>> {
    group
        .sizes
        .iter()
        .map(|(class, scope)| SizeRow {
            label: site.size_class_label(*class),
            code: class.code(),
            municipalities: scope.municipalities,
            registry_municipalities: scope.registry_municipalities,
            mean_points: scope.mean_points,
            total: (&scope.total).into(),
        })
        .collect()
}

/// The most and least common answers helt in each flower across the nation.
fn common_areas<'a>(site: &Site<'a>, group: &Group) -> Vec<CommonArea<'a>> {
    let catalog = &site.content.catalogs[group.catalog];
    let nation = &group.nation;
    let pick = |i: usize| {
        let ind = &catalog.indicators[i];
        let f = nation.indicators.get(i);
        let text = site.indicator_text(ind);
        Pick {
            id: &ind.id,
            text: text.text,
            text_lang: text.lang,
            path: paths::indicator(&catalog.id, &ind.id),
            share_helt: f.and_then(|f| f.share_helt),
            share_inte: f.and_then(|f| f.share_inte),
        }
    };
    catalog
        .areas
        .iter()
        .enumerate()
        .filter(|(_, a)| a.level == Level::Flower)
        .map(|(ai, area)| {
            let f = nation.areas.get(ai);
            let name = site.area_name(area);
            CommonArea {
                name: name.text,
                name_lang: name.lang,
                most: f
                    .map(|f| f.most_common.iter().map(|&i| pick(i)).collect())
                    .unwrap_or_default(),
                least: f
                    .map(|f| f.least_common.iter().map(|&i| pick(i)).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Each indicator's national share helt in each of `years`.
fn series_rows<'a>(site: &Site<'a>, group: &Group, years: &[Year]) -> Vec<SeriesRow<'a>> {
    let catalog = &site.content.catalogs[group.catalog];
    catalog
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let points = site.stats.indicator_series_of(IndicatorRef {
                catalog: group.catalog,
                indicator: i,
            });
            let text = site.indicator_text(ind);
            let area = site.area_label(catalog.area_of(i));
            SeriesRow {
                id: &ind.id,
                text: text.text,
                text_lang: text.lang,
                path: paths::indicator(&catalog.id, &ind.id),
                area: area.text,
                area_lang: area.lang,
                shares: years
                    .iter()
                    .map(|&y| {
                        points
                            .and_then(|p| p.iter().find(|pt| pt.year == y))
                            .and_then(|pt| pt.share_helt)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The latest publications, newest first.
fn recent<'a>(site: &Site<'a>) -> Vec<Recent<'a>> {
    let content = site.content;
    let mut recent: Vec<(crate::model::Date, usize)> = content
        .assessments
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.published.map(|d| (d, i)))
        .collect();
    recent.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    recent
        .into_iter()
        .take(8)
        .map(|(date, i)| {
            let a = &content.assessments[i];
            let m = &content.registry.municipalities[a.municipality];
            Recent {
                name: &m.name,
                path: site.assessment_path(i),
                year: a.year,
                published: date.to_string(),
            }
        })
        .collect()
}

fn render(
    site: &Site<'_>,
    year: Option<Year>,
    copy: YearCopy,
) -> Result<Vec<OutputFile>, RenderError> {
    let folder = match (copy, year) {
        (YearCopy::Latest, _) | (_, None) => paths::HOME.to_string(),
        (_, Some(y)) => paths::national_year(y),
    };
    let mut files = Vec::new();
    let groups: Vec<GroupView> = year
        .map(|y| site.stats.groups_of_year(y).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(n, (_, g))| group_view(site, n, g, &folder, &mut files))
        .collect();
    let title = match (copy, year) {
        (YearCopy::Latest, _) | (_, None) => site.title().to_string(),
        (_, Some(y)) => format!("{} {y} – {}", site.t("nation"), site.title()),
    };
    // The latest year's folder needs only its picture and the page leading home.
    if copy == YearCopy::LatestYear {
        super::keep_embedded_picture(&mut files, &folder);
        files.push(super::redirects::redirect(
            site,
            &folder,
            &title,
            paths::HOME,
        )?);
        return Ok(files);
    }
    let recent = recent(site);
    let image = groups.first().map(|g| g.png_path.clone());
    let map = year.and_then(|y| pictures::share_map(site, MapScope::Nation, y, &folder, "map"));
    // The year's own folder, also from the home page.
    let share = year.zip(groups.first()).map(|(y, g)| {
        let year_folder = paths::national_year(y);
        let png = format!(
            "{year_folder}{}",
            g.png_path.rsplit('/').next().unwrap_or_default()
        );
        ShareView::new(
            site,
            &year_folder,
            &png,
            &format!("{} {y}: {}", site.t("flowerbox_nation"), g.summary_sentence),
        )
        .download("data/indicators.csv", "download_indicators_csv")
        .download(g.png_path.clone(), "download_png")
        .download(g.svg_path.clone(), "download_svg")
    });
    let page = Page {
        year,
        latest: copy == YearCopy::Latest,
        years: site
            .stats
            .years
            .iter()
            .map(|&y| YearLink {
                year: y,
                path: year_path(site, y),
                current: Some(y) == year,
            })
            .collect(),
        groups,
        recent,
        map_rows: match (&map, year) {
            (Some(_), Some(y)) => map_rows(site, y),
            _ => Vec::new(),
        },
        map,
        over_time: year.and_then(|y| {
            pictures::series_figure(
                site,
                &site.stats.nation_series(),
                y,
                true,
                site.t("nation"),
                "ot",
            )
        }),
        share,
    };
    let mut head = Head::new(title, "nation");
    if let Some(image) = image {
        head = head.image(image);
    }
    let html = site.render_page("national.html", &folder, head, &page)?;
    files.push(OutputFile::bytes(paths::index(&folder), html));
    Ok(files)
}
