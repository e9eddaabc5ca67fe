//! A county: its aggregate flower box, its municipalities, its indicators with counts and the
//! population-weighted share, its strongest and weakest indicators per area, participation
//! and comparison with the nation. `lan/<slug>/` is the latest year; `lan/<slug>/<year>/`
//! every year.

use serde::Serialize;

use crate::model::{County, Level, Year};
use crate::output::OutputFile;
use crate::render::opendata;
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};
use crate::stats::{Group, Scope, Tally};

use super::pictures::{self, MapFigure, MapScope, SeriesFigure};
use super::{NarrowView, ShareView, TallyView, YearCopy};

#[derive(Serialize)]
struct MunicipalityRow<'a> {
    name: &'a str,
    code: &'a str,
    path: Option<String>,
    population: u64,
    published: bool,
    points: u32,
    max_points: u32,
    tally: Option<TallyView>,
    share_helt: Option<f64>,
    /// Points since the site's previous year, when the municipality answered the same
    /// catalogue then.
    change: Option<i64>,
    /// It answered another catalogue the previous year: no change can be told.
    new_catalog: bool,
}

#[derive(Serialize)]
pub(crate) struct IndicatorRow<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub text_lang: Option<&'static str>,
    pub path: String,
    pub tally: TallyView,
    pub population_share_helt: Option<f64>,
    pub population_helt: u64,
    pub nation_share_helt: Option<f64>,
    pub nation_population_share_helt: Option<f64>,
}

#[derive(Serialize)]
pub(crate) struct Pick<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub text_lang: Option<&'static str>,
    pub path: String,
    pub share_helt: Option<f64>,
    pub share_inte: Option<f64>,
}

#[derive(Serialize)]
pub(crate) struct AreaView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub name_lang: Option<&'static str>,
    pub level: Level,
    pub tally: TallyView,
    pub nation_share_helt: Option<f64>,
    pub strongest: Vec<Pick<'a>>,
    pub weakest: Vec<Pick<'a>>,
    pub indicators: Vec<IndicatorRow<'a>>,
}

/// The areas of a scope with their indicator rows, for county and national pages.
pub(crate) fn area_views<'a>(site: &Site<'a>, group: &Group, scope: &Scope) -> Vec<AreaView<'a>> {
    let catalog = &site.content.catalogs[group.catalog];
    let pick = |i: usize| {
        let ind = &catalog.indicators[i];
        let f = scope.indicators.get(i);
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
        .map(|(ai, area)| {
            let figures = scope.areas.get(ai);
            let name = site.area_name(area);
            AreaView {
                id: &area.id,
                name: name.text,
                name_lang: name.lang,
                level: area.level,
                tally: (&figures.map(|f| f.tally).unwrap_or_default()).into(),
                nation_share_helt: group.nation.areas.get(ai).and_then(|f| f.share_helt),
                strongest: figures
                    .map(|f| f.strongest.iter().map(|&i| pick(i)).collect())
                    .unwrap_or_default(),
                weakest: figures
                    .map(|f| f.weakest.iter().map(|&i| pick(i)).collect())
                    .unwrap_or_default(),
                indicators: area
                    .indicators
                    .clone()
                    .filter_map(|i| {
                        let ind = &catalog.indicators[i];
                        let f = scope.indicators.get(i)?;
                        let text = site.indicator_text(ind);
                        Some(IndicatorRow {
                            id: &ind.id,
                            text: text.text,
                            text_lang: text.lang,
                            path: paths::indicator(&catalog.id, &ind.id),
                            tally: (&f.tally).into(),
                            population_share_helt: f.population_share_helt,
                            population_helt: f.population_helt,
                            nation_share_helt: group
                                .nation
                                .indicators
                                .get(i)
                                .and_then(|n| n.share_helt),
                            nation_population_share_helt: group
                                .nation
                                .indicators
                                .get(i)
                                .and_then(|n| n.population_share_helt),
                        })
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct YearLink {
    year: Year,
    path: String,
    current: bool,
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
    municipalities_published: u32,
    municipalities_total: u32,
    population_published: u64,
    population_total: u64,
    mean_points: f64,
    nation_mean_points: f64,
    max_points: u32,
    total: TallyView,
    nation_total: TallyView,
    areas: Vec<AreaView<'a>>,
    municipalities: Vec<MunicipalityRow<'a>>,
}

#[derive(Serialize)]
struct Page<'a> {
    name: &'a str,
    code: &'a str,
    year: Option<Year>,
    latest: bool,
    years: Vec<YearLink>,
    /// The site's year before this one, which the change column counts from.
    previous_year: Option<Year>,
    groups: Vec<GroupView<'a>>,
    registry_municipalities: Vec<MunicipalityRow<'a>>,
    map: Option<MapFigure>,
    over_time: Option<SeriesFigure>,
    share: Option<ShareView>,
}

/// The years with an assessment in the county.
fn years_of(site: &Site<'_>, county: usize) -> Vec<Year> {
    site.stats
        .years
        .iter()
        .copied()
        .filter(|&y| {
            site.stats
                .groups_of_year(y)
                .any(|(_, g)| g.county(county).is_some())
        })
        .collect()
}

/// The page to link for a county's `year`: its own page for its latest year.
pub(crate) fn year_path(site: &Site<'_>, county: usize, year: Year) -> String {
    let slug = &site.content.registry.counties[county].slug;
    super::year_or_latest(
        year,
        years_of(site, county).last().copied(),
        paths::county(slug),
        paths::county_year(slug, year),
    )
}

/// The pages of this job: each year, and the latest (the one the sitemap lists).
pub(crate) fn pages(site: &Site<'_>, county: usize) -> Vec<paths::Page> {
    let slug = &site.content.registry.counties[county].slug;
    // The latest year's folder leads to the county's page: unlisted like the others.
    let mut pages: Vec<paths::Page> = years_of(site, county)
        .into_iter()
        .map(|y| paths::Page::unlisted(paths::county_year(slug, y)))
        .collect();
    pages.push(paths::Page::listed(paths::county(slug)));
    pages
}

pub(crate) fn render(site: &Site<'_>, county: usize) -> Result<Vec<OutputFile>, RenderError> {
    let years = years_of(site, county);
    let latest = years.last().copied();
    let mut files = Vec::new();
    for &year in &years {
        let copy = YearCopy::of_year(year, latest);
        files.extend(render_year(site, county, Some(year), copy, &years)?);
    }
    files.extend(render_year(site, county, latest, YearCopy::Latest, &years)?);
    // Open data is written once, by the site's own language (translations link to it).
    if !site.is_translation() {
        let slug = &site.content.registry.counties[county].slug;
        files.push(OutputFile::bytes(
            paths::county_csv(slug),
            opendata::county_csv(site.content, site.stats, county),
        ));
    }
    Ok(files)
}

fn render_year(
    site: &Site<'_>,
    county: usize,
    year: Option<Year>,
    copy: YearCopy,
    years: &[Year],
) -> Result<Vec<OutputFile>, RenderError> {
    let c = &site.content.registry.counties[county];
    let folder = match (copy, year) {
        (YearCopy::Latest, _) | (_, None) => paths::county(&c.slug),
        (_, Some(y)) => paths::county_year(&c.slug, y),
    };
    let previous_year = year.and_then(|y| {
        let at = site.stats.years.iter().position(|&x| x == y)?;
        at.checked_sub(1).map(|p| site.stats.years[p])
    });
    let mut files = Vec::new();
    let mut groups: Vec<GroupView> = Vec::new();
    let mut share = None;
    for (gi, group) in year
        .map(|y| site.stats.groups_of_year(y).collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let Some(scope) = group.county(county) else {
            continue;
        };
        let suffix = if gi == 0 || groups.is_empty() {
            String::new()
        } else {
            format!("-{}", site.content.catalogs[group.catalog].id)
        };
        let view = group_view(site, county, group, scope, &folder, &suffix, &mut files);
        if share.is_none() {
            share = Some(share_view(site, c, group, &suffix, &view));
        }
        groups.push(GroupView {
            municipalities: published_rows(site, county, group, previous_year),
            ..view
        });
    }
    // The latest year's folder needs only its picture and the page leading to the county's.
    if let (YearCopy::LatestYear, Some(y)) = (copy, year) {
        super::keep_embedded_picture(&mut files, &folder);
        let name = format!("{} {y}", c.name);
        files.push(super::redirects::redirect(
            site,
            &folder,
            &name,
            &paths::county(&c.slug),
        )?);
        return Ok(files);
    }
    let first_png_path = groups.first().map(|g| g.png_path.clone());
    let page = Page {
        name: &c.name,
        code: &c.code,
        year,
        latest: copy == YearCopy::Latest,
        years: years
            .iter()
            .map(|&y| YearLink {
                year: y,
                path: year_path(site, county, y),
                current: Some(y) == year,
            })
            .collect(),
        previous_year,
        groups,
        registry_municipalities: registry_rows(site, county, year),
        map: year
            .and_then(|y| pictures::share_map(site, MapScope::County(county), y, &folder, "map")),
        over_time: year.and_then(|y| {
            pictures::series_figure(
                site,
                &site.stats.county_series(county),
                y,
                true,
                &c.name,
                "ot",
            )
        }),
        share,
    };
    let title = match year {
        Some(y) => format!("{} {y} – {}", c.name, site.title()),
        None => format!("{} – {}", c.name, site.title()),
    };
    let mut head = Head::new(title, "county");
    if let Some(png) = first_png_path {
        head = head.image(png);
    }
    let html = site.render_page("county.html", &folder, head, &page)?;
    files.push(OutputFile::bytes(paths::index(&folder), html));
    Ok(files)
}

/// The county's flower box of one group (its picture's files into `files`), its figures
/// beside the nation's and its areas; the municipalities are left for the caller.
fn group_view<'a>(
    site: &Site<'a>,
    county: usize,
    group: &Group,
    scope: &Scope,
    folder: &str,
    suffix: &str,
    files: &mut Vec<OutputFile>,
) -> GroupView<'a> {
    let c = &site.content.registry.counties[county];
    let catalog = &site.content.catalogs[group.catalog];
    let tallies: Vec<Tally> = scope.indicators.iter().map(|f| f.tally).collect();
    let title = format!("{} {} {}", site.t("flowerbox_for"), c.name, group.year);
    let sentence = site.tally_sentence(
        &scope.total,
        catalog.indicators.len(),
        Some(scope.municipalities),
    );
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
    ) = super::flowerbox_with_files(&flowerbox, folder, suffix, files);
    GroupView {
        catalog_name: site.catalog_name(catalog).text,
        catalog_name_lang: site.catalog_name(catalog).lang,
        narrow: NarrowView::from(&inline),
        svg: inline.svg,
        svg_path,
        png_path,
        summary_sentence: sentence,
        municipalities_published: scope.municipalities,
        municipalities_total: scope.registry_municipalities,
        population_published: scope.population_published,
        population_total: scope.population_total,
        mean_points: scope.mean_points,
        nation_mean_points: group.nation.mean_points,
        max_points: group.max_points,
        total: (&scope.total).into(),
        nation_total: (&group.nation.total).into(),
        areas: area_views(site, group, scope),
        municipalities: Vec::new(),
    }
}

/// The embed code and downloads of the page's first flower box, pointing at the year's own
/// folder, also from the latest page.
fn share_view(
    site: &Site<'_>,
    c: &County,
    group: &Group,
    suffix: &str,
    view: &GroupView<'_>,
) -> ShareView {
    let title = format!("{} {} {}", site.t("flowerbox_for"), c.name, group.year);
    let year_folder = paths::county_year(&c.slug, group.year);
    ShareView::new(
        site,
        &year_folder,
        &paths::flowerbox(&year_folder, suffix).png,
        &format!("{title}: {}", view.summary_sentence),
    )
    .download(paths::county_csv(&c.slug), "download_county_csv")
    .download(view.png_path.clone(), "download_png")
    .download(view.svg_path.clone(), "download_svg")
}

/// The county's municipalities assessed in a group, by name, with their change in points
/// since `previous_year`.
fn published_rows<'a>(
    site: &Site<'a>,
    county: usize,
    group: &Group,
    previous_year: Option<Year>,
) -> Vec<MunicipalityRow<'a>> {
    let content = site.content;
    super::by_municipality_name(
        site,
        group.assessments.iter().filter_map(|&a| {
            let assessment = &content.assessments[a];
            let m = &content.registry.municipalities[assessment.municipality];
            (m.county == county).then(|| {
                let f = &site.stats.assessments[a];
                let before = previous_year.and_then(|y| {
                    site.stats.by_municipality[assessment.municipality]
                        .assessments
                        .iter()
                        .copied()
                        .find(|&b| content.assessments[b].year == y)
                });
                let same_catalog =
                    before.filter(|&b| content.assessments[b].catalog == assessment.catalog);
                let row = MunicipalityRow {
                    name: &m.name,
                    code: &m.code,
                    path: Some(site.assessment_path(a)),
                    population: m.population,
                    published: true,
                    points: f.points,
                    max_points: f.max_points,
                    tally: Some((&f.total).into()),
                    share_helt: f.share_helt,
                    change: same_catalog
                        .map(|b| i64::from(f.points) - i64::from(site.stats.assessments[b].points)),
                    new_catalog: before.is_some() && same_catalog.is_none(),
                };
                (assessment.municipality, row)
            })
        }),
    )
}

/// Every municipality of the county in the registry, by name, marked when it published an
/// assessment in `year`.
fn registry_rows<'a>(
    site: &Site<'a>,
    county: usize,
    year: Option<Year>,
) -> Vec<MunicipalityRow<'a>> {
    let content = site.content;
    super::by_municipality_name(
        site,
        content
            .registry
            .municipalities
            .iter()
            .enumerate()
            .filter(|(_, m)| m.county == county)
            .map(|(mi, m)| {
                let latest = site.stats.latest(mi);
                let row = MunicipalityRow {
                    name: &m.name,
                    code: &m.code,
                    path: latest.map(|_| paths::municipality(&m.slug)),
                    population: m.population,
                    published: year.is_some_and(|y| {
                        site.stats.by_municipality[mi]
                            .assessments
                            .iter()
                            .any(|&a| content.assessments[a].year == y)
                    }),
                    points: 0,
                    max_points: 0,
                    tally: None,
                    share_helt: None,
                    change: None,
                    new_catalog: false,
                };
                (mi, row)
            }),
    )
}
