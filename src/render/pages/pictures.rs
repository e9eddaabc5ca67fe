//! What pages show beside the flower box: maps, similar municipalities and change over time.
//!
//! Each function makes one attachment of a page from the figures (`stats`) and the theme's
//! words: the picture's SVG, its text alternative, and the rows of the table that holds the
//! same figures. Pages put them in their templates. The one set of files written here is the
//! maps' shapes ([`map_geometry`]), which every map refers to.

use serde::Serialize;

use crate::output::OutputFile;

use crate::model::{Answer, CatalogIndex, IndicatorRef, Year, answer_index};
use crate::render::charts::{self, Bar, LinePanel, LinePoint, StackRow};
use crate::render::format;
use crate::render::map::{self, Paint, Region, SHARE_CLASSES};
use crate::render::paths;
use crate::render::site::Site;
use crate::stats::Tally;
use crate::stats::series::{self, YearFigures};
use crate::stats::similar::Neighbour;

/// A map with its legend. The map is hidden from screen readers; its title and the legend
/// with the number of municipalities in each class are its text alternative, and the page
/// has the figures in a table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MapFigure {
    pub title: String,
    pub svg: String,
    pub legend: Vec<LegendItem>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LegendItem {
    /// The swatch's SVG paint: a colour, or a pattern of the map on the same page.
    pub fill: String,
    pub label: String,
    pub count: u32,
}

/// Which municipalities a map is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MapScope {
    Nation,
    County(usize),
}

fn class_label(site: &Site<'_>, class: usize) -> String {
    let lang = site.language();
    let lower = (SHARE_CLASSES[class].0 * 100.0).round() as i64;
    let upper = SHARE_CLASSES.get(class + 1).map_or(1.0, |c| c.0);
    format!("{lower}–{}", format::percent(upper, lang))
}

/// Where a municipality's link on a map of `year` leads: its page of that year, or its page
/// when it has none that year; nowhere when it has published nothing.
fn map_link(
    site: &Site<'_>,
    municipality: usize,
    year: Year,
    root: &str,
) -> (Option<usize>, Option<String>) {
    let content = site.content;
    let m = &content.registry.municipalities[municipality];
    let history = &site.stats.by_municipality[municipality].assessments;
    let this_year = history
        .iter()
        .copied()
        .find(|&a| content.assessments[a].year == year);
    let href = match this_year {
        Some(a) => Some(format!("{root}{}", site.assessment_path(a))),
        None if !history.is_empty() => Some(format!("{root}{}", paths::municipality(&m.slug))),
        None => None,
    };
    (this_year, href)
}

/// The legend of a map: each paint with how many municipalities got it.
fn legend(paints: &[(Paint, String)], counts: &[(Paint, u32)], prefix: &str) -> Vec<LegendItem> {
    let count_of = |paint: Paint| {
        counts
            .iter()
            .find(|(p, _)| *p == paint)
            .map_or(0, |(_, c)| *c)
    };
    paints
        .iter()
        .map(|(paint, label)| LegendItem {
            fill: paint.fill(prefix),
            label: label.clone(),
            count: count_of(*paint),
        })
        .collect()
}

/// How many of the view's municipalities each paint gets.
fn count_paints(
    view: &crate::geo::MapView,
    region: &dyn Fn(usize) -> (String, Region),
) -> Vec<(Paint, u32)> {
    let mut counts: Vec<(Paint, u32)> = Vec::new();
    for (m, _) in &view.municipalities {
        let paint = region(*m).1.paint;
        match counts.iter_mut().find(|(p, _)| *p == paint) {
            Some((_, c)) => *c += 1,
            None => counts.push((paint, 1)),
        }
    }
    counts
}

/// Where the shapes of a map are, from the site's root.
fn geometry_path(site: &Site<'_>, scope: MapScope) -> String {
    match scope {
        MapScope::Nation => paths::MAP_NATION.to_string(),
        MapScope::County(c) => paths::map_county(&site.content.registry.counties[c].slug),
    }
}

/// The maps' shapes: one file for the nation and one per county with municipalities, which
/// every map of the site refers to. Nothing without boundaries.
pub(crate) fn map_geometry(site: &Site<'_>) -> Vec<OutputFile> {
    let Some(boundaries) = site.content.boundaries.as_ref() else {
        return Vec::new();
    };
    let registry = &site.content.registry;
    let codes = |m: usize| {
        let municipality = &registry.municipalities[m];
        (municipality.code.clone(), municipality.name.clone())
    };
    let mut files = vec![OutputFile::bytes(
        paths::MAP_NATION,
        map::geometry_svg(boundaries.nation(), site.t("nation"), &codes),
    )];
    for (c, county) in registry.counties.iter().enumerate() {
        if let Some(view) = boundaries.county(c) {
            files.push(OutputFile::bytes(
                geometry_path(site, MapScope::County(c)),
                map::geometry_svg(view, &county.name, &codes),
            ));
        }
    }
    files
}

/// The map of a nation or county in `year`, coloured by each municipality's share of
/// indicators met in full. `None` without boundaries.
pub(crate) fn share_map(
    site: &Site<'_>,
    scope: MapScope,
    year: Year,
    folder: &str,
    id: &str,
) -> Option<MapFigure> {
    let boundaries = site.content.boundaries.as_ref()?;
    let view = match scope {
        MapScope::Nation => boundaries.nation(),
        MapScope::County(c) => boundaries.county(c)?,
    };
    let root = Site::root_of(folder);
    let geometry = format!("{root}{}", geometry_path(site, scope));
    let lang = site.language();
    let content = site.content;
    let region = |m: usize| {
        let (assessment, href) = map_link(site, m, year, &root);
        let share = assessment.and_then(|a| site.stats.assessments[a].share_helt);
        let municipality = &content.registry.municipalities[m];
        let name = &municipality.name;
        let title = match (assessment, share) {
            (Some(_), Some(s)) => format!(
                "{name}: {} {}",
                format::percent(s, lang),
                site.t("map_helt")
            ),
            (Some(_), None) => format!("{name}: {}", site.t("map_nothing_answered")),
            (None, _) => format!("{name}: {} {year}", site.t("map_not_published")),
        };
        (
            municipality.code.clone(),
            Region {
                paint: Paint::of_share(share),
                href,
                title,
            },
        )
    };
    let counts = count_paints(view, &region);
    let name = match scope {
        MapScope::Nation => site.t("nation").to_string(),
        MapScope::County(c) => content.registry.counties[c].name.clone(),
    };
    let title = format!("{} – {name} {year}", site.t("map_share_title"));
    let svg = map::render_svg(view, &geometry, &region, &title, &format!("{id}-"));
    let mut paints: Vec<(Paint, String)> = (0..SHARE_CLASSES.len())
        .map(|c| (Paint::Share(c), class_label(site, c)))
        .collect();
    paints.push((Paint::NoData, site.t("map_no_figure").to_string()));
    let legend = legend(&paints, &counts, &format!("{id}-"));
    Some(MapFigure { title, svg, legend })
}

/// The national map of one indicator's answers in one group (year and catalogue).
pub(crate) fn answer_map(
    site: &Site<'_>,
    group: usize,
    indicator: usize,
    folder: &str,
    id: &str,
) -> Option<MapFigure> {
    let boundaries = site.content.boundaries.as_ref()?;
    let view = boundaries.nation();
    let g = site.stats.groups.get(group)?;
    let content = site.content;
    let root = Site::root_of(folder);
    let answer_of = |m: usize| -> Option<Option<Answer>> {
        let a = site.stats.by_municipality[m]
            .assessments
            .iter()
            .copied()
            .find(|&a| site.stats.assessments[a].group == group)?;
        Some(
            content.assessments[a]
                .answers
                .get(indicator)
                .copied()
                .flatten(),
        )
    };
    let words = [
        site.t("answer_helt"),
        site.t("answer_delvis"),
        site.t("answer_inte"),
        site.t("answer_obesvarad"),
    ];
    let geometry = format!("{root}{}", paths::MAP_NATION);
    let region = |m: usize| {
        let municipality = &content.registry.municipalities[m];
        let name = &municipality.name;
        let (_, href) = map_link(site, m, g.year, &root);
        let region = match answer_of(m) {
            Some(answer) => Region {
                paint: Paint::Answer(answer_index(answer)),
                href,
                title: format!("{name}: {}", words[answer_index(answer)]),
            },
            None => Region {
                paint: Paint::NoData,
                href,
                title: format!("{name}: {} {}", site.t("map_not_published"), g.year),
            },
        };
        (municipality.code.clone(), region)
    };
    let counts = count_paints(view, &region);
    let catalog = &content.catalogs[g.catalog];
    let indicator_id = catalog
        .indicators
        .get(indicator)
        .map_or("", |i| i.id.as_str());
    let title = format!(
        "{} {indicator_id} – {} {}",
        site.t("map_answer_title"),
        site.t("nation"),
        g.year
    );
    let svg = map::render_svg(view, &geometry, &region, &title, &format!("{id}-"));
    let mut paints: Vec<(Paint, String)> = (0..4)
        .map(|k| (Paint::Answer(k), words[k].to_string()))
        .collect();
    paints.push((Paint::NoData, site.t("map_no_figure").to_string()));
    let legend = legend(&paints, &counts, &format!("{id}-"));
    Some(MapFigure { title, svg, legend })
}

/// One row of a similar-municipalities list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SimilarRow<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub path: String,
    pub county: &'a str,
    pub population: u64,
    pub points: u32,
    pub max_points: u32,
    /// 1 − mean difference / 2; none when the two could not be compared.
    pub similarity: Option<f64>,
    pub same: u32,
    pub compared: u32,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SimilarView<'a> {
    pub by_answers: Vec<SimilarRow<'a>>,
    pub by_population: Vec<SimilarRow<'a>>,
}

/// The similar municipalities of an assessment, linked to their pages of the same year.
pub(crate) fn similar<'a>(site: &Site<'a>, assessment: usize) -> SimilarView<'a> {
    let content = site.content;
    let found = site.stats.similar(content, assessment);
    let row = |n: &Neighbour| {
        let a = &content.assessments[n.assessment];
        let m = &content.registry.municipalities[a.municipality];
        let f = &site.stats.assessments[n.assessment];
        SimilarRow {
            name: &m.name,
            code: &m.code,
            path: site.assessment_path(n.assessment),
            county: &content.registry.counties[m.county].name,
            population: m.population,
            points: f.points,
            max_points: f.max_points,
            similarity: n.likeness.similarity(),
            same: n.likeness.same,
            compared: n.likeness.compared,
        }
    };
    SimilarView {
        by_answers: found.by_answers.iter().map(row).collect(),
        by_population: found.by_population.iter().map(row).collect(),
    }
}

/// A column of a series' table: one year (and catalogue).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeriesColumn {
    pub year: Year,
    /// The catalogue's id, when the series has more than one.
    pub catalog: Option<String>,
    pub new_catalog: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeriesRow {
    pub label: String,
    /// Shares met in full, per column; none where the area is not in that catalogue or
    /// nothing was answered.
    pub shares: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AreaPanel {
    pub name: String,
    pub svg: String,
}

/// A series as pictures: the score per year as bars, each area's share met in full as a
/// small line chart, and the table of the same figures.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeriesFigure {
    pub score_title: String,
    pub score_svg: String,
    pub panels: Vec<AreaPanel>,
    pub columns: Vec<SeriesColumn>,
    /// Points (a municipality) or mean points (a county, the nation), per column, formatted.
    pub points: Vec<String>,
    pub max_points: Vec<u32>,
    /// The share met in full of all answers, then of each area.
    pub rows: Vec<SeriesRow>,
    /// One sentence per catalogue change.
    pub breaks: Vec<String>,
}

/// One series being drawn: its points and what the charts and the table say about them.
struct SeriesDrawing<'s, 'a> {
    site: &'s Site<'a>,
    points: &'s [YearFigures],
    /// The points are means (a county, the nation).
    mean: bool,
    name: &'s str,
    id: &'s str,
    /// The series has more than one catalogue.
    several: bool,
    years: Vec<Year>,
    /// Where each catalogue after the first starts: (catalogue, index of its first point).
    first_of: Vec<(CatalogIndex, usize)>,
}

impl SeriesDrawing<'_, '_> {
    fn catalog_id(&self, catalog: CatalogIndex) -> String {
        self.site.content.catalogs[catalog].id.clone()
    }

    fn starts_catalog(&self, i: usize) -> Option<CatalogIndex> {
        self.first_of
            .iter()
            .find(|(_, at)| *at == i)
            .map(|(c, _)| *c)
    }

    fn points_text(&self, p: &YearFigures) -> String {
        if self.mean {
            format::decimal(p.points, self.site.language())
        } else {
            format!("{}", p.points as u64)
        }
    }

    /// The year, and the catalogue where a year has two.
    fn column_label(&self, p: &YearFigures) -> String {
        if self.several && self.points.iter().filter(|q| q.year == p.year).count() > 1 {
            format!("{} {}", p.year, self.catalog_id(p.catalog))
        } else {
            p.year.to_string()
        }
    }

    fn x_of(&self, p: &YearFigures) -> usize {
        self.years.iter().position(|y| *y == p.year).unwrap_or(0)
    }

    /// An area's share met in full at a point; none where its catalogue has no such area.
    fn share_of(&self, p: &YearFigures, area_id: &str) -> Option<f64> {
        let at = self.site.content.catalogs[p.catalog]
            .areas
            .iter()
            .position(|a| a.id == area_id)?;
        p.areas.get(at)?.share_helt()
    }

    /// Areas by id across catalogues: the latest catalogue's order, then areas it dropped.
    fn area_ids(&self) -> Vec<(String, String)> {
        let mut area_ids: Vec<(String, String)> = Vec::new();
        for &c in series::catalogs_of(self.points).iter().rev() {
            for area in &self.site.content.catalogs[c].areas {
                if !area_ids.iter().any(|(id, _)| *id == area.id) {
                    area_ids.push((area.id.clone(), self.site.area_name(area).text.to_string()));
                }
            }
        }
        area_ids
    }

    /// The points per year as bars: its title and SVG.
    fn score_chart(&self) -> (String, String) {
        let site = self.site;
        let bars: Vec<Bar> = self
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| Bar {
                label: self.column_label(p),
                value: p.points,
                max: f64::from(p.max_points),
                value_text: self.points_text(p),
                new_catalog: self.starts_catalog(i).map(|c| self.catalog_id(c)),
            })
            .collect();
        let key = if self.mean {
            "series_mean_points"
        } else {
            "series_points"
        };
        let title = format!("{} – {}", site.t(key), self.name);
        let desc = self
            .points
            .iter()
            .map(|p| {
                format!(
                    "{}: {} {} {}",
                    self.column_label(p),
                    self.points_text(p),
                    site.t("points_of"),
                    p.max_points
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let svg = charts::bars_svg(&bars, &title, &desc, &format!("{}-score", self.id));
        (title, svg)
    }

    /// Each area's share met in full as a small line chart.
    fn area_panels(&self, area_ids: &[(String, String)]) -> Vec<AreaPanel> {
        let lang = self.site.language();
        let scale_labels = [
            format::percent(0.0, lang),
            format::percent(0.5, lang),
            format::percent(1.0, lang),
        ];
        let breaks: Vec<(usize, String)> = self
            .first_of
            .iter()
            .map(|&(c, i)| (self.x_of(&self.points[i]), self.catalog_id(c)))
            .collect();
        area_ids
            .iter()
            .enumerate()
            .map(|(k, (area_id, area_name))| {
                let line: Vec<LinePoint> = self
                    .points
                    .iter()
                    .filter_map(|p| {
                        let value = self.share_of(p, area_id)?;
                        Some(LinePoint {
                            x: self.x_of(p),
                            value,
                            segment: p.catalog,
                            text: format::percent(value, lang),
                        })
                    })
                    .collect();
                let desc = self
                    .points
                    .iter()
                    .map(|p| {
                        let value = self
                            .share_of(p, area_id)
                            .map_or_else(|| "–".to_string(), |v| format::percent(v, lang));
                        format!("{}: {value}", self.column_label(p))
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let panel = LinePanel {
                    x_labels: self.years.iter().map(ToString::to_string).collect(),
                    points: line,
                    breaks: breaks.clone(),
                    scale_labels: scale_labels.clone(),
                };
                let title = format!("{area_name}: {} – {}", self.site.t("share_helt"), self.name);
                AreaPanel {
                    name: area_name.clone(),
                    svg: charts::line_svg(&panel, &title, &desc, &format!("{}-area{k}", self.id)),
                }
            })
            .collect()
    }
}

/// The series up to `year` as pictures; `None` with fewer than two points (no change to
/// show). `mean` says the points are means (a county, the nation).
pub(crate) fn series_figure(
    site: &Site<'_>,
    series: &[YearFigures],
    year: Year,
    mean: bool,
    name: &str,
    id: &str,
) -> Option<SeriesFigure> {
    let points = series::until(series, year);
    if points.len() < 2 {
        return None;
    }
    let content = site.content;
    let catalogs = series::catalogs_of(points);
    let mut years: Vec<Year> = points.iter().map(|p| p.year).collect();
    years.dedup();
    let drawing = SeriesDrawing {
        site,
        points,
        mean,
        name,
        id,
        several: catalogs.len() > 1,
        years,
        first_of: catalogs
            .iter()
            .skip(1)
            .filter_map(|&c| points.iter().position(|p| p.catalog == c).map(|i| (c, i)))
            .collect(),
    };
    let (score_title, score_svg) = drawing.score_chart();
    let area_ids = drawing.area_ids();
    let mut rows = vec![SeriesRow {
        label: site.t("all_areas").to_string(),
        shares: points.iter().map(|p| p.total.share_helt()).collect(),
    }];
    rows.extend(area_ids.iter().map(|(area_id, area_name)| {
        SeriesRow {
            label: area_name.clone(),
            shares: points
                .iter()
                .map(|p| drawing.share_of(p, area_id))
                .collect(),
        }
    }));
    let breaks = drawing
        .first_of
        .iter()
        .map(|&(c, i)| {
            format!(
                "{}: {} {}. {}",
                points[i].year,
                site.t("series_break"),
                content.catalogs[c].name,
                site.t("series_break_rule")
            )
        })
        .collect();
    Some(SeriesFigure {
        score_title,
        score_svg,
        panels: drawing.area_panels(&area_ids),
        columns: points
            .iter()
            .map(|p| SeriesColumn {
                year: p.year,
                catalog: drawing.several.then(|| drawing.catalog_id(p.catalog)),
                new_catalog: p.new_catalog,
            })
            .collect(),
        points: points.iter().map(|p| drawing.points_text(p)).collect(),
        max_points: points.iter().map(|p| p.max_points).collect(),
        rows,
        breaks,
    })
}

/// An indicator's answers per year as stacked bars, following `replaces` back to earlier
/// catalogues; `None` when it was answered in fewer than two years.
pub(crate) fn indicator_distribution(
    site: &Site<'_>,
    of: IndicatorRef,
    id: &str,
) -> Option<String> {
    let points = site.stats.indicator_series_of(of)?;
    if points.len() < 2 {
        return None;
    }
    let content = site.content;
    let lang = site.language();
    let words = [
        site.t("answer_helt"),
        site.t("answer_delvis"),
        site.t("answer_inte"),
        site.t("answer_obesvarad"),
    ];
    let mut previous: Option<(CatalogIndex, usize)> = None;
    let rows: Vec<StackRow> = points
        .iter()
        .map(|p| {
            let here = (p.catalog, p.indicator);
            let c = &content.catalogs[p.catalog];
            let name = format!("{}/{}", c.id, c.indicators[p.indicator].id);
            let new_catalog = match previous {
                Some(before) if before != here => {
                    Some(format!("{} {name}", site.t("series_break_short")))
                }
                None if points.iter().any(|q| (q.catalog, q.indicator) != here) => Some(name),
                _ => None,
            };
            previous = Some(here);
            let t: &Tally = &p.tally;
            let counts = [t.helt, t.delvis, t.inte, t.obesvarad];
            StackRow {
                label: p.year.to_string(),
                tally: *t,
                value_text: p
                    .share_helt
                    .map_or_else(|| "–".to_string(), |s| format::percent(s, lang)),
                new_catalog,
                titles: std::array::from_fn(|k| {
                    format!(
                        "{} {}: {}",
                        p.year,
                        words[k],
                        format::integer(u64::from(counts[k]), lang)
                    )
                }),
            }
        })
        .collect();
    let indicator_id = &content.catalogs[of.catalog].indicators[of.indicator].id;
    let title = format!("{} – {indicator_id}", site.t("distribution_title"));
    let desc = points
        .iter()
        .map(|p| {
            format!(
                "{}: {} {}, {} {}, {} {}",
                p.year,
                p.tally.helt,
                site.t("word_helt"),
                p.tally.delvis,
                site.t("word_delvis"),
                p.tally.inte,
                site.t("word_inte")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(charts::stacked_svg(&rows, &title, &desc, id))
}
