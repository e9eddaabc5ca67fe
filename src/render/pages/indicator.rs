//! An indicator: `indikator/<catalog>/<id>/` — its text and area, who meets it nationally and
//! per county, the population-weighted share, the municipalities by answer, and its history
//! across years and catalogues.

use serde::Serialize;

use crate::model::{Answer, CatalogIndex, IndicatorRef, Level, Year, answer_index};
use crate::output::OutputFile;
use crate::render::paths;
use crate::render::site::{Head, RenderError, Site};

use super::TallyView;
use super::pictures::{self, MapFigure};

#[derive(Serialize)]
struct Link<'a> {
    id: &'a str,
    catalog: &'a str,
    text: &'a str,
    text_lang: Option<&'static str>,
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
struct AnswerList {
    answer: &'static str,
    /// `{name, path}` of each, in name order (see [`Site::named_in_order`]).
    municipalities: Vec<minijinja::Value>,
}

#[derive(Serialize)]
struct YearView<'a> {
    year: Year,
    tally: TallyView,
    population_helt: u64,
    population_published: u64,
    population_share_helt: Option<f64>,
    counties: Vec<CountyRow<'a>>,
    lists: Vec<AnswerList>,
    map: Option<MapFigure>,
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
    text_lang: Option<&'static str>,
    catalog_id: &'a str,
    catalog_name: &'a str,
    catalog_name_lang: Option<&'static str>,
    area_name: &'a str,
    area_name_lang: Option<&'static str>,
    level: Level,
    leaf: bool,
    replaces: Vec<Link<'a>>,
    replaced_by: Vec<Link<'a>>,
    years: Vec<YearView<'a>>,
    history: Vec<HistoryRow<'a>>,
    csv_path: String,
    /// The answers per year as a picture (`history` is its table).
    distribution: Option<String>,
}

/// The page of this job, listed in the sitemap.
pub(crate) fn pages(site: &Site<'_>, of: IndicatorRef) -> Vec<paths::Page> {
    vec![paths::Page::listed(folder(site, of))]
}

fn folder(site: &Site<'_>, of: IndicatorRef) -> String {
    let catalog = &site.content.catalogs[of.catalog];
    paths::indicator(&catalog.id, &catalog.indicators[of.indicator].id)
}

pub(crate) fn render(site: &Site<'_>, of: IndicatorRef) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let catalog = &content.catalogs[of.catalog];
    let ind = &catalog.indicators[of.indicator];
    let area = catalog.area_of(of.indicator);
    let text = site.indicator_text(ind);
    let (catalog_name, area_name) = (site.catalog_name(catalog), site.area_name(area));
    let page = Page {
        id: &ind.id,
        text: text.text,
        text_lang: text.lang,
        catalog_id: &catalog.id,
        catalog_name: catalog_name.text,
        catalog_name_lang: catalog_name.lang,
        area_name: area_name.text,
        area_name_lang: area_name.lang,
        level: area.level,
        leaf: ind.part == crate::model::Part::Leaf,
        replaces: ind.replaces.iter().map(|&r| link(site, r)).collect(),
        replaced_by: replaced_by(site, of),
        years: years(site, of),
        history: history(site, of),
        csv_path: paths::indicator_csv(&catalog.id, &ind.id),
        distribution: pictures::indicator_distribution(site, of, "dist"),
    };
    let folder = folder(site, of);
    let head = Head::new(
        format!("{} {} – {}", site.t("indicator"), ind.id, site.title()),
        "indicators",
    )
    .description(text.text);
    let html = site.render_page("indicator.html", &folder, head, &page)?;
    let mut files = vec![OutputFile::bytes(paths::index(&folder), html)];
    // Open data is written once, by the site's own language (translations link to it).
    if !site.is_translation() {
        files.push(OutputFile::bytes(
            page.csv_path.clone(),
            crate::render::opendata::indicator_csv(content, site.stats, of),
        ));
    }
    Ok(files)
}

fn link<'a>(site: &Site<'a>, r: IndicatorRef) -> Link<'a> {
    let c = &site.content.catalogs[r.catalog];
    let i = &c.indicators[r.indicator];
    let text = site.indicator_text(i);
    Link {
        id: &i.id,
        catalog: &c.id,
        text: text.text,
        text_lang: text.lang,
        path: paths::indicator(&c.id, &i.id),
    }
}

/// The indicators of later catalogues that continue this one.
fn replaced_by<'a>(site: &Site<'a>, of: IndicatorRef) -> Vec<Link<'a>> {
    CatalogIndex::each(&site.content.catalogs)
        .flat_map(|(ci, c)| {
            c.indicators
                .iter()
                .enumerate()
                .filter(|(_, i)| i.replaces.contains(&of))
                .map(move |(ii, _)| IndicatorRef {
                    catalog: ci,
                    indicator: ii,
                })
        })
        .map(|r| link(site, r))
        .collect()
}

/// Each year the indicator's catalogue was answered, newest first.
fn years<'a>(site: &Site<'a>, of: IndicatorRef) -> Vec<YearView<'a>> {
    let (content, stats) = (site.content, site.stats);
    stats
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.catalog == of.catalog)
        .rev()
        .filter_map(|(gi, group)| {
            let f = group.nation.indicators.get(of.indicator)?;
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
                            let cf = scope.indicators.get(of.indicator)?;
                            Some(CountyRow {
                                name: &county.name,
                                path: super::county::year_path(site, *c, group.year),
                                tally: (&cf.tally).into(),
                                population_share_helt: cf.population_share_helt,
                            })
                        })
                        .collect(),
                    |r| r.name,
                ),
                lists: answer_lists(site, gi, of.indicator),
                map: pictures::answer_map(
                    site,
                    gi,
                    of.indicator,
                    &folder(site, of),
                    &format!("map{}", group.year),
                ),
            })
        })
        .collect()
}

/// The municipalities of one group by their answer to the indicator, each list in name
/// order; the unanswered only when there are any.
fn answer_lists(site: &Site<'_>, group: usize, indicator: usize) -> Vec<AnswerList> {
    let mut by_answer: [Vec<minijinja::Value>; 4] = Default::default();
    for (a, named) in site.named_in_order(group).iter() {
        let answer = site.content.assessments[*a]
            .answers
            .get(indicator)
            .copied()
            .flatten();
        by_answer[answer_index(answer)].push(named.clone());
    }
    let [helt, delvis, inte, obesvarad] = by_answer;
    let mut answer_lists = vec![
        AnswerList {
            answer: Answer::Helt.as_str(),
            municipalities: helt,
        },
        AnswerList {
            answer: Answer::Delvis.as_str(),
            municipalities: delvis,
        },
        AnswerList {
            answer: Answer::Inte.as_str(),
            municipalities: inte,
        },
    ];
    if !obesvarad.is_empty() {
        answer_lists.push(AnswerList {
            answer: "obesvarad",
            municipalities: obesvarad,
        });
    }
    answer_lists
}

/// The indicator over the years, through the catalogues it continues.
fn history<'a>(site: &Site<'a>, of: IndicatorRef) -> Vec<HistoryRow<'a>> {
    let content = site.content;
    site.stats
        .indicator_series_of(of)
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
                        same_indicator: p.catalog == of.catalog && p.indicator == of.indicator,
                        tally: (&p.tally).into(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::registry;
    use crate::render::theme::Theme;

    fn names(list: &AnswerList) -> Vec<String> {
        list.municipalities
            .iter()
            .map(|named| {
                let name = named.get_attr("name").unwrap_or_default();
                let path = named.get_attr("path").unwrap_or_default();
                format!("{name} {path}")
            })
            .collect()
    }

    #[test]
    fn answer_lists_hold_each_answer_in_name_order_and_the_unanswered_only_when_any() {
        let mut content = crate::stats::tests::sample();
        // Names out of code order: 0203 first, 0104 (with ö) last.
        let mut municipalities = content.registry.municipalities.clone();
        for m in &mut municipalities {
            match m.code.as_str() {
                "0203" => m.name = "Aneby".into(),
                "0104" => m.name = "Ödeshög".into(),
                _ => {}
            }
        }
        content.registry = registry::build(content.registry.counties.clone(), municipalities);
        let stats = crate::stats::compute(&content);
        let theme = Theme::empty();
        let site = Site::new(&content, &stats, &theme);
        // 2017: x2 was answered H D I H D I H – in code order from 0101.
        let lists = answer_lists(&site, 1, 0);
        let answers: Vec<&str> = lists.iter().map(|l| l.answer).collect();
        assert_eq!(answers, ["helt", "delvis", "inte", "obesvarad"]);
        assert_eq!(
            names(&lists[0]),
            [
                "Aneby kommun/kommun-0203/",
                "Kommun 0101 kommun/kommun-0101/",
                "Ödeshög kommun/kommun-0104/"
            ]
        );
        assert_eq!(
            names(&lists[1]),
            [
                "Kommun 0102 kommun/kommun-0102/",
                "Kommun 0201 kommun/kommun-0201/"
            ]
        );
        assert_eq!(
            names(&lists[2]),
            [
                "Kommun 0103 kommun/kommun-0103/",
                "Kommun 0202 kommun/kommun-0202/"
            ]
        );
        assert_eq!(names(&lists[3]), ["Kommun 0204 kommun/kommun-0204/"]);
        // z: every municipality answered, so no list of the unanswered.
        let lists = answer_lists(&site, 1, 1);
        assert_eq!(lists.len(), 3);
        assert_eq!(
            lists.iter().map(|l| l.municipalities.len()).sum::<usize>(),
            8
        );
    }
}
