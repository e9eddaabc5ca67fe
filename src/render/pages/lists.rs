//! The index pages: all counties, all municipalities, all indicators.

use serde::Serialize;

use crate::model::{CatalogIndex, Level, Year};
use crate::output::OutputFile;
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};

#[derive(Serialize)]
struct MunicipalityItem<'a> {
    name: &'a str,
    code: &'a str,
    path: Option<String>,
    year: Option<Year>,
    points: Option<u32>,
    max_points: Option<u32>,
    population: u64,
}

#[derive(Serialize)]
struct CountyItem<'a> {
    name: &'a str,
    code: &'a str,
    path: Option<String>,
    population: u64,
    municipalities: Vec<MunicipalityItem<'a>>,
    published: usize,
}

#[derive(Serialize)]
struct ListPage<'a> {
    counties: Vec<CountyItem<'a>>,
    latest_year: Option<Year>,
    total_municipalities: usize,
    total_published: usize,
}

fn county_items<'a>(site: &Site<'a>) -> Vec<CountyItem<'a>> {
    let content = site.content;
    let mut counties: Vec<CountyItem> = content
        .registry
        .counties
        .iter()
        .enumerate()
        .map(|(ci, c)| CountyItem {
            name: &c.name,
            code: &c.code,
            path: site
                .county_has_assessments(ci)
                .then(|| paths::county(&c.slug)),
            population: 0,
            municipalities: Vec::new(),
            published: 0,
        })
        .collect();
    for (mi, m) in content.registry.municipalities.iter().enumerate() {
        let latest = site.stats.latest(mi);
        let figures = latest.map(|a| &site.stats.assessments[a]);
        let county = &mut counties[m.county];
        county.population += m.population;
        county.published += usize::from(latest.is_some());
        county.municipalities.push(MunicipalityItem {
            name: &m.name,
            code: &m.code,
            path: latest.map(|_| paths::municipality(&m.slug)),
            year: latest.map(|a| content.assessments[a].year),
            points: figures.map(|f| f.points),
            max_points: figures.map(|f| f.max_points),
            population: m.population,
        });
    }
    for county in &mut counties {
        county
            .municipalities
            .sort_by_cached_key(|m| crate::slug::sort_key(m.name));
    }
    counties
}

/// A municipality's name and the address of its page.
#[derive(Serialize)]
pub(crate) struct MunicipalityLink<'a> {
    name: &'a str,
    path: String,
}

/// Every municipality with a published assessment, by name.
pub(crate) fn published_municipalities<'a>(site: &Site<'a>) -> Vec<MunicipalityLink<'a>> {
    let links = site
        .content
        .registry
        .municipalities
        .iter()
        .enumerate()
        .filter(|&(m, _)| site.stats.latest(m).is_some())
        .map(|(mi, m)| {
            let link = MunicipalityLink {
                name: &m.name,
                path: paths::municipality(&m.slug),
            };
            (mi, link)
        });
    super::by_municipality_name(site, links)
}

fn list_page<'a>(site: &Site<'a>) -> ListPage<'a> {
    let counties = county_items(site);
    ListPage {
        total_municipalities: counties.iter().map(|c| c.municipalities.len()).sum(),
        total_published: counties.iter().map(|c| c.published).sum(),
        counties,
        latest_year: site.latest_year(),
    }
}

pub(crate) fn counties(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let head = Head::new(
        format!("{} – {}", site.t("counties"), site.title()),
        "counties",
    );
    let html = site.render_page("counties.html", paths::COUNTIES, head, list_page(site))?;
    Ok(vec![OutputFile::bytes(paths::index(paths::COUNTIES), html)])
}

pub(crate) fn municipalities(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let head = Head::new(
        format!("{} – {}", site.t("municipalities"), site.title()),
        "municipalities",
    );
    let html = site.render_page(
        "municipalities.html",
        paths::MUNICIPALITIES,
        head,
        list_page(site),
    )?;
    Ok(vec![OutputFile::bytes(
        paths::index(paths::MUNICIPALITIES),
        html,
    )])
}

#[derive(Serialize)]
struct IndicatorItem<'a> {
    id: &'a str,
    text: &'a str,
    text_lang: Option<&'static str>,
    path: String,
    leaf: bool,
    share_helt: Option<f64>,
}

#[derive(Serialize)]
struct AreaItem<'a> {
    name: &'a str,
    name_lang: Option<&'static str>,
    level: Level,
    indicators: Vec<IndicatorItem<'a>>,
}

#[derive(Serialize)]
struct CatalogItem<'a> {
    id: &'a str,
    name: &'a str,
    name_lang: Option<&'static str>,
    description: Option<&'a str>,
    description_lang: Option<&'static str>,
    year: Option<Year>,
    areas: Vec<AreaItem<'a>>,
}

#[derive(Serialize)]
struct IndicatorsPage<'a> {
    catalogs: Vec<CatalogItem<'a>>,
}

pub(crate) fn indicators(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let mut catalogs: Vec<CatalogItem> = CatalogIndex::each(&content.catalogs)
        .map(|(ci, catalog)| {
            // The newest year this catalogue was answered, for the shares shown.
            let group = site.stats.groups.iter().rev().find(|g| g.catalog == ci);
            let name = site.catalog_name(catalog);
            let description = catalog
                .description_in(site.language())
                .map(|d| site.shown(d));
            CatalogItem {
                id: &catalog.id,
                name: name.text,
                name_lang: name.lang,
                description: description.map(|d| d.text),
                description_lang: description.and_then(|d| d.lang),
                year: group.map(|g| g.year),
                areas: catalog
                    .areas
                    .iter()
                    .map(|area| AreaItem {
                        name: site.area_name(area).text,
                        name_lang: site.area_name(area).lang,
                        level: area.level,
                        indicators: area
                            .indicators
                            .clone()
                            .map(|i| {
                                let ind = &catalog.indicators[i];
                                let text = site.indicator_text(ind);
                                IndicatorItem {
                                    id: &ind.id,
                                    text: text.text,
                                    text_lang: text.lang,
                                    path: paths::indicator(&catalog.id, &ind.id),
                                    leaf: ind.part == crate::model::Part::Leaf,
                                    share_helt: group
                                        .and_then(|g| g.nation.indicators.get(i))
                                        .and_then(|f| f.share_helt),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    // The newest catalogue first.
    catalogs.sort_by(|a, b| b.year.cmp(&a.year).then(b.id.cmp(a.id)));
    let head = Head::new(
        format!("{} – {}", site.t("indicators"), site.title()),
        "indicators",
    );
    let html = site.render_page(
        "indicators.html",
        paths::INDICATORS,
        head,
        IndicatorsPage { catalogs },
    )?;
    Ok(vec![OutputFile::bytes(
        paths::index(paths::INDICATORS),
        html,
    )])
}
