//! An indicator: `indikator/<catalog>/<id>/` — its text and area, who meets it nationally and
//! per county, the population-weighted share, the municipalities by answer, and its history
//! across years and catalogues.

use serde::Serialize;

use crate::model::{Answer, IndicatorRef, Level, Year};
use crate::output::OutputFile;
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};

use super::TallyView;

#[derive(Serialize)]
struct Link<'a> {
    id: &'a str,
    catalog: &'a str,
    text: &'a str,
    path: String,
}

#[derive(Serialize)]
struct CountyRow<'a> {
    name: &'a str,
    path: String,
    tally: TallyView,
    population_share_helt: Option<f64>,
}

#[derive(Serialize)]
struct Named<'a> {
    name: &'a str,
    path: String,
}

#[derive(Serialize)]
struct AnswerList<'a> {
    answer: &'static str,
    municipalities: Vec<Named<'a>>,
}

#[derive(Serialize)]
struct YearView<'a> {
    year: Year,
    tally: TallyView,
    population_helt: u64,
    population_published: u64,
    population_share_helt: Option<f64>,
    counties: Vec<CountyRow<'a>>,
    lists: Vec<AnswerList<'a>>,
}

#[derive(Serialize)]
struct HistoryRow<'a> {
    year: Year,
    catalog: &'a str,
    id: &'a str,
    path: String,
    same_indicator: bool,
    tally: TallyView,
}

#[derive(Serialize)]
struct Page<'a> {
    id: &'a str,
    text: &'a str,
    catalog_id: &'a str,
    catalog_name: &'a str,
    area_name: &'a str,
    level: Level,
    leaf: bool,
    replaces: Vec<Link<'a>>,
    replaced_by: Vec<Link<'a>>,
    years: Vec<YearView<'a>>,
    history: Vec<HistoryRow<'a>>,
}

#[expect(clippy::too_many_lines, reason = "long; to be split into named steps")]
pub fn render(
    site: &Site<'_>,
    catalog_index: usize,
    indicator: usize,
) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let stats = site.stats;
    let catalog = &content.catalogs[catalog_index];
    let ind = &catalog.indicators[indicator];
    let area = catalog.area_of(indicator);
    let link = |r: &IndicatorRef| {
        let c = &content.catalogs[r.catalog];
        let i = &c.indicators[r.indicator];
        Link {
            id: &i.id,
            catalog: &c.id,
            text: &i.text,
            path: paths::indicator(&c.id, &i.id),
        }
    };
    let this = IndicatorRef {
        catalog: catalog_index,
        indicator,
    };
    let replaced_by = content
        .catalogs
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| {
            c.indicators
                .iter()
                .enumerate()
                .filter(|(_, i)| i.replaces.contains(&this))
                .map(move |(ii, _)| IndicatorRef {
                    catalog: ci,
                    indicator: ii,
                })
        })
        .map(|r| link(&r))
        .collect();
    let years = stats
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.catalog == catalog_index)
        .rev()
        .filter_map(|(gi, group)| {
            let f = group.nation.indicators.get(indicator)?;
            let lists = stats.answers_by_indicator(content, gi, indicator);
            let named = |list: &[usize]| -> Vec<Named> {
                super::by_name(
                    list.iter()
                        .map(|&a| {
                            let m = &content.registry.municipalities
                                [content.assessments[a].municipality];
                            Named {
                                name: &m.name,
                                path: paths::municipality_year(&m.slug, group.year),
                            }
                        })
                        .collect(),
                    |n| n.name,
                )
            };
            let mut answer_lists = vec![
                AnswerList {
                    answer: Answer::Helt.as_str(),
                    municipalities: named(&lists.helt),
                },
                AnswerList {
                    answer: Answer::Delvis.as_str(),
                    municipalities: named(&lists.delvis),
                },
                AnswerList {
                    answer: Answer::Inte.as_str(),
                    municipalities: named(&lists.inte),
                },
            ];
            if !lists.obesvarad.is_empty() {
                answer_lists.push(AnswerList {
                    answer: "obesvarad",
                    municipalities: named(&lists.obesvarad),
                });
            }
            Some(YearView {
                year: group.year,
                tally: (&f.tally).into(),
                population_helt: f.population_helt,
                population_published: f.population_published,
                population_share_helt: f.population_share_helt,
                // By name, as the table says it is sorted.
                counties: super::by_name(
                    group
                        .counties
                        .iter()
                        .filter_map(|(c, scope)| {
                            let county = &content.registry.counties[*c];
                            let cf = scope.indicators.get(indicator)?;
                            Some(CountyRow {
                                name: &county.name,
                                path: paths::county_year(&county.slug, group.year),
                                tally: (&cf.tally).into(),
                                population_share_helt: cf.population_share_helt,
                            })
                        })
                        .collect(),
                    |r| r.name,
                ),
                lists: answer_lists,
            })
        })
        .collect();
    let history = stats
        .indicator_series
        .get(catalog_index)
        .and_then(|s| s.get(indicator))
        .map(|points| {
            points
                .iter()
                .map(|p| {
                    let c = &content.catalogs[p.catalog];
                    let i = &c.indicators[p.indicator];
                    HistoryRow {
                        year: p.year,
                        catalog: &c.id,
                        id: &i.id,
                        path: paths::indicator(&c.id, &i.id),
                        same_indicator: p.catalog == catalog_index && p.indicator == indicator,
                        tally: (&p.tally).into(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let page = Page {
        id: &ind.id,
        text: &ind.text,
        catalog_id: &catalog.id,
        catalog_name: &catalog.name,
        area_name: &area.name,
        level: area.level,
        leaf: ind.part == crate::model::Part::Leaf,
        replaces: ind.replaces.iter().map(link).collect(),
        replaced_by,
        years,
        history,
    };
    let folder = paths::indicator(&catalog.id, &ind.id);
    let head = Head::new(
        format!(
            "{} {} – {}",
            site.t("indicator"),
            ind.id,
            content.config.title
        ),
        "indicators",
    )
    .description(ind.text.clone());
    let html = site.render_page("indicator.html", &folder, head, &page)?;
    Ok(vec![OutputFile::bytes(paths::index(&folder), html)])
}
