//! The open data files (`data/answers.csv`, `data/municipalities.csv`, `data/indicators.csv`,
//! `data/similar.csv`, `data/series.csv`, `data/indicator_series.csv`, `data/site.json`) and
//! the per-assessment CSV offered on each municipality's page. The last three CSV files hold
//! the figures behind the maps and charts.
//!
//! CSV files are UTF-8 with a header row, comma-separated, LF line ends, quoted by the `csv`
//! crate where a field needs it. Shares have four decimals; a share whose denominator is 0 is
//! undefined and written as an empty field (the contract's "empty when 0").

use rayon::prelude::*;
use serde::Serialize;

use super::paths;
use crate::model::{
    Area, Catalog, CatalogIndex, Content, Date, IndicatorRef, Level, Part, SizeClass, Year,
    answer_word,
};
use crate::stats::{Scope, Stats};

const ANSWERS_HEADER: &str =
    "year,catalog,municipality_code,municipality,county_code,area_id,indicator_id,answer\n";
const MUNICIPALITIES_HEADER: &str = "year,catalog,municipality_code,municipality,county_code,population,helt,delvis,inte,obesvarad,points,max_points\n";
const INDICATORS_HEADER: &str = "year,catalog,scope,scope_code,area_id,indicator_id,municipalities,helt,delvis,inte,obesvarad,share_helt,population_helt,population_published,population_share_helt\n";
const SIMILAR_HEADER: &str = "year,catalog,municipality_code,municipality,kind,rank,similar_code,similar_municipality,distance,same_answers,compared,population_difference\n";
const SERIES_HEADER: &str = "scope,scope_code,year,catalog,area_id,municipalities,helt,delvis,inte,obesvarad,share_helt,points,max_points,new_catalog\n";
const INDICATOR_SERIES_HEADER: &str = "catalog,indicator_id,year,answered_catalog,answered_indicator_id,municipalities,helt,delvis,inte,obesvarad,share_helt,new_catalog\n";
const MUNICIPALITY_HEADER: &str = "year,catalog,municipality_code,municipality,county_code,area_id,indicator_id,answer,indicator_text,comment\n";

/// How many assessments one parallel piece of `answers.csv` holds.
const ANSWERS_CHUNK: usize = 512;

pub(crate) fn csv_writer(capacity: usize) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(capacity))
}

/// Writes one record. Writing to memory has no I/O to fail.
pub(crate) fn write_record<I, T>(writer: &mut csv::Writer<Vec<u8>>, record: I)
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    if let Err(e) = writer.write_record(record) {
        unreachable!("writing CSV to memory failed: {e}");
    }
}

pub(crate) fn finish(writer: csv::Writer<Vec<u8>>) -> Vec<u8> {
    match writer.into_inner() {
        Ok(bytes) => bytes,
        Err(e) => unreachable!("writing CSV to memory failed: {e}"),
    }
}

/// The quoted fields followed by a comma, ready for the next field: the constant start of
/// many rows, rendered once.
fn row_start(fields: &[&str]) -> Vec<u8> {
    let mut writer = csv_writer(64);
    // A trailing empty field gives the separating comma (and keeps a lone empty field from
    // being quoted as `""`).
    write_record(&mut writer, fields.iter().copied().chain([""]));
    let mut bytes = finish(writer);
    bytes.pop();
    bytes
}

/// A share with four decimals; empty when undefined.
pub(crate) fn four_decimals(share: Option<f64>) -> String {
    share.map_or_else(String::new, |s| format!("{s:.4}"))
}

/// Assessments by year, then municipality code (the loader's order, made sure of).
fn publication_order(content: &Content) -> Vec<usize> {
    let mut order: Vec<usize> = (0..content.assessments.len()).collect();
    let code = |i: usize| {
        content
            .registry
            .municipalities
            .get(content.assessments[i].municipality)
            .map_or("", |m| m.code.as_str())
    };
    order.sort_by(|&a, &b| {
        (content.assessments[a].year, code(a)).cmp(&(content.assessments[b].year, code(b)))
    });
    order
}

/// `data/answers.csv`: one row per assessment and indicator of its catalogue, sorted by year,
/// municipality code, then catalogue order. The statistics are not needed; the parameter keeps
/// the writers alike. The site writes it as a stream ([`AnswersCsv`]); this is all of it at once.
pub fn answers_csv(content: &Content, _stats: &Stats) -> Vec<u8> {
    let answers = AnswersCsv::new(content);
    let mut bytes = Vec::with_capacity(answers.length);
    // Writing to memory has no I/O to fail.
    let _ = answers.write_pieces(&mut |piece| {
        bytes.extend_from_slice(piece);
        Ok(())
    });
    bytes
}

/// `data/answers.csv` made piece by piece as it is written: at 100 000 assessments the file
/// is some 440 MB, which a build should not hold. It keeps what its rows are made of (the
/// answers, and the start of each row rendered once), a small part of the file's size.
pub struct AnswersCsv {
    /// Each municipality's code, name and county, quoted and followed by a comma.
    municipality_start: Vec<Vec<u8>>,
    /// Each catalogue's id.
    catalog_start: Vec<Vec<u8>>,
    /// Each catalogue's indicators: area id and indicator id.
    indicator_start: Vec<Vec<Vec<u8>>>,
    /// The assessments in publication order.
    rows: Vec<AnswerRows>,
    /// The length of each assessment's rows.
    lengths: Vec<usize>,
    /// The whole file's length.
    length: usize,
}

/// What one assessment's rows of `answers.csv` are made of.
struct AnswerRows {
    year: Year,
    catalog: CatalogIndex,
    municipality: usize,
    answers: Box<[Option<crate::model::Answer>]>,
}

impl AnswersCsv {
    /// What the rows of `content`'s assessments are made of, and their lengths.
    pub fn new(content: &Content) -> AnswersCsv {
        let registry = &content.registry;
        let municipality_start: Vec<Vec<u8>> = registry
            .municipalities
            .iter()
            .map(|m| {
                let county = registry
                    .counties
                    .get(m.county)
                    .map_or("", |c| c.code.as_str());
                row_start(&[&m.code, &m.name, county])
            })
            .collect();
        let catalog_start = content
            .catalogs
            .iter()
            .map(|c| row_start(&[&c.id]))
            .collect();
        let indicator_start = content
            .catalogs
            .iter()
            .map(|c| {
                c.indicators
                    .iter()
                    .map(|i| row_start(&[&c.areas[i.area].id, &i.id]))
                    .collect()
            })
            .collect();
        let rows: Vec<AnswerRows> = publication_order(content)
            .into_iter()
            .map(|i| {
                let a = &content.assessments[i];
                AnswerRows {
                    year: a.year,
                    catalog: a.catalog,
                    municipality: a.municipality,
                    answers: a.answers.clone().into_boxed_slice(),
                }
            })
            .collect();
        let mut answers = AnswersCsv {
            municipality_start,
            catalog_start,
            indicator_start,
            rows,
            lengths: Vec::new(),
            length: 0,
        };
        answers.lengths = answers
            .rows
            .par_iter()
            .map(|row| answers.rows_length(row))
            .collect();
        answers.length = ANSWERS_HEADER.len() + answers.lengths.iter().sum::<usize>();
        answers
    }

    fn indicators(&self, catalog: CatalogIndex) -> &[Vec<u8>] {
        catalog
            .of(&self.indicator_start)
            .map_or(&[][..], Vec::as_slice)
    }

    /// The exact length of one assessment's rows, so that each piece is one allocation.
    fn rows_length(&self, row: &AnswerRows) -> usize {
        let fixed = year_start(row.year).len()
            + row.catalog.of(&self.catalog_start).map_or(0, Vec::len)
            + self
                .municipality_start
                .get(row.municipality)
                .map_or(0, Vec::len);
        self.indicators(row.catalog)
            .iter()
            .enumerate()
            .map(|(n, indicator)| {
                let answer = answer_word(row.answers.get(n).copied().flatten());
                fixed + indicator.len() + answer.len() + 1
            })
            .sum()
    }

    /// The rows of some assessments.
    fn piece(&self, rows: &[AnswerRows], length: usize) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(length);
        for row in rows {
            let year = year_start(row.year);
            let municipality = self
                .municipality_start
                .get(row.municipality)
                .map_or(&[][..], Vec::as_slice);
            let catalog = row
                .catalog
                .of(&self.catalog_start)
                .map_or(&[][..], Vec::as_slice);
            for (n, indicator) in self.indicators(row.catalog).iter().enumerate() {
                bytes.extend_from_slice(&year);
                bytes.extend_from_slice(catalog);
                bytes.extend_from_slice(municipality);
                bytes.extend_from_slice(indicator);
                bytes.extend_from_slice(
                    answer_word(row.answers.get(n).copied().flatten()).as_bytes(),
                );
                bytes.push(b'\n');
            }
        }
        bytes
    }

    /// Hands the file to `put` in order, piece by piece; the pieces of a batch are made in
    /// parallel, so that only a few megabytes are held at a time.
    fn write_pieces(
        &self,
        put: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        put(ANSWERS_HEADER.as_bytes())?;
        let pieces: Vec<(&[AnswerRows], usize)> = self
            .rows
            .chunks(ANSWERS_CHUNK)
            .zip(self.lengths.chunks(ANSWERS_CHUNK))
            .map(|(rows, lengths)| (rows, lengths.iter().sum()))
            .collect();
        let batch = 2 * rayon::current_num_threads().max(1);
        for batch in pieces.chunks(batch) {
            let made: Vec<Vec<u8>> = batch
                .par_iter()
                .map(|&(rows, length)| self.piece(rows, length))
                .collect();
            for piece in made {
                put(&piece)?;
            }
        }
        Ok(())
    }
}

impl crate::output::Stream for AnswersCsv {
    fn size(&self) -> u64 {
        self.length as u64
    }

    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.write_pieces(&mut |piece| out.write_all(piece))
    }
}

/// A row's year, followed by a comma.
fn year_start(year: Year) -> Vec<u8> {
    format!("{year},").into_bytes()
}

/// `data/municipalities.csv`: one row per assessment, sorted by year, then municipality code.
pub fn municipalities_csv(content: &Content, stats: &Stats) -> Vec<u8> {
    let mut writer = csv_writer(MUNICIPALITIES_HEADER.len() + 80 * content.assessments.len());
    write_record(&mut writer, MUNICIPALITIES_HEADER.trim_end().split(','));
    for i in publication_order(content) {
        let a = &content.assessments[i];
        let (Some(m), Some(figures), Some(catalog)) = (
            content.registry.municipalities.get(a.municipality),
            stats.assessments.get(i),
            content.catalog(a.catalog),
        ) else {
            continue;
        };
        let county = content
            .registry
            .counties
            .get(m.county)
            .map_or("", |c| c.code.as_str());
        let t = figures.total;
        write_record(
            &mut writer,
            [
                a.year.to_string().as_str(),
                &catalog.id,
                &m.code,
                &m.name,
                county,
                &m.population.to_string(),
                &t.helt.to_string(),
                &t.delvis.to_string(),
                &t.inte.to_string(),
                &t.obesvarad.to_string(),
                &figures.points.to_string(),
                &figures.max_points.to_string(),
            ],
        );
    }
    finish(writer)
}

/// `data/indicators.csv`: one row per year, catalogue, scope and indicator; scopes without an
/// assessment have no rows. Sorted by year, catalogue, then riket, each county by code, each
/// size class largest first, then catalogue order.
pub fn indicators_csv(content: &Content, stats: &Stats) -> Vec<u8> {
    let rows: usize = stats
        .groups
        .iter()
        .map(|g| (1 + g.counties.len() + g.sizes.len()) * g.nation.indicators.len())
        .sum();
    let mut writer = csv_writer(INDICATORS_HEADER.len() + 80 * rows);
    write_record(&mut writer, INDICATORS_HEADER.trim_end().split(','));
    for group in &stats.groups {
        let Some(catalog) = content.catalog(group.catalog) else {
            continue;
        };
        let year = group.year.to_string();
        for (kind, code, scope) in scopes_of(content, group) {
            write_scope(&mut writer, &year, catalog, kind, code, scope, None);
        }
    }
    finish(writer)
}

/// The scopes of a group in the order of `indicators.csv`: riket, each county by code, each
/// size class largest first; with the `scope` and `scope_code` columns of each.
fn scopes_of<'a>(
    content: &'a Content,
    group: &'a crate::stats::Group,
) -> impl Iterator<Item = (&'static str, &'a str, &'a Scope)> {
    std::iter::once(("riket", "SE", &group.nation))
        .chain(group.counties.iter().map(|(county, scope)| {
            let code = content
                .registry
                .counties
                .get(*county)
                .map_or("", |c| c.code.as_str());
            ("lan", code, scope)
        }))
        .chain(
            group
                .sizes
                .iter()
                .map(|(class, scope)| ("storlek", class.code(), scope)),
        )
}

/// `data/lan/<slug>.csv`: the rows of `indicators.csv` for one county, every year.
pub(crate) fn county_csv(content: &Content, stats: &Stats, county: usize) -> Vec<u8> {
    let mut writer = csv_writer(INDICATORS_HEADER.len() + 16 * 1024);
    write_record(&mut writer, INDICATORS_HEADER.trim_end().split(','));
    let code = content
        .registry
        .counties
        .get(county)
        .map_or("", |c| c.code.as_str());
    for group in &stats.groups {
        let (Some(catalog), Some(scope)) = (content.catalog(group.catalog), group.county(county))
        else {
            continue;
        };
        write_scope(
            &mut writer,
            &group.year.to_string(),
            catalog,
            "lan",
            code,
            scope,
            None,
        );
    }
    finish(writer)
}

/// `data/indikator/<catalog>/<id>.csv`: the rows of `indicators.csv` for one indicator: every
/// year and scope.
pub(crate) fn indicator_csv(content: &Content, stats: &Stats, of: IndicatorRef) -> Vec<u8> {
    let mut writer = csv_writer(INDICATORS_HEADER.len() + 8 * 1024);
    write_record(&mut writer, INDICATORS_HEADER.trim_end().split(','));
    let Some(catalog) = content.catalog(of.catalog) else {
        return finish(writer);
    };
    for group in stats.groups.iter().filter(|g| g.catalog == of.catalog) {
        let year = group.year.to_string();
        for (kind, code, scope) in scopes_of(content, group) {
            write_scope(
                &mut writer,
                &year,
                catalog,
                kind,
                code,
                scope,
                Some(of.indicator),
            );
        }
    }
    finish(writer)
}

/// Writes a scope's rows: every indicator of the catalogue, or only `only`.
fn write_scope(
    writer: &mut csv::Writer<Vec<u8>>,
    year: &str,
    catalog: &crate::model::Catalog,
    kind: &str,
    code: &str,
    scope: &Scope,
    only: Option<usize>,
) {
    let municipalities = scope.municipalities.to_string();
    for (i, (indicator, figures)) in catalog.indicators.iter().zip(&scope.indicators).enumerate() {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        let t = figures.tally;
        write_record(
            writer,
            [
                year,
                &catalog.id,
                kind,
                code,
                &catalog.areas[indicator.area].id,
                &indicator.id,
                &municipalities,
                &t.helt.to_string(),
                &t.delvis.to_string(),
                &t.inte.to_string(),
                &t.obesvarad.to_string(),
                &four_decimals(figures.share_helt),
                &figures.population_helt.to_string(),
                &figures.population_published.to_string(),
                &four_decimals(figures.population_share_helt),
            ],
        );
    }
}

/// `data/similar.csv`: for every assessment its similar municipalities, by answers (`svar`)
/// and by population within the size class (`storlek`), ranked; every pair with its distance
/// (empty when the two were not compared), its same answers, the indicators compared and the
/// difference in population. Sorted by year, municipality code, kind, then rank.
pub fn similar_csv(content: &Content, stats: &Stats) -> Vec<u8> {
    let order = publication_order(content);
    let pieces: Vec<Vec<u8>> = order
        .par_iter()
        .map(|&i| {
            let mut writer = csv_writer(1024);
            let a = &content.assessments[i];
            let (Some(m), Some(catalog)) = (
                content.registry.municipalities.get(a.municipality),
                content.catalog(a.catalog),
            ) else {
                return Vec::new();
            };
            let similar = stats.similar(content, i);
            let year = a.year.to_string();
            for (kind, list) in [
                ("svar", &similar.by_answers),
                ("storlek", &similar.by_population),
            ] {
                for (rank, n) in list.iter().enumerate() {
                    let other = &content.registry.municipalities
                        [content.assessments[n.assessment].municipality];
                    let l = n.likeness;
                    write_record(
                        &mut writer,
                        [
                            year.as_str(),
                            &catalog.id,
                            &m.code,
                            &m.name,
                            kind,
                            &(rank + 1).to_string(),
                            &other.code,
                            &other.name,
                            &four_decimals(l.distance()),
                            &l.same.to_string(),
                            &l.compared.to_string(),
                            &m.population.abs_diff(other.population).to_string(),
                        ],
                    );
                }
            }
            finish(writer)
        })
        .collect();
    let mut bytes = SIMILAR_HEADER.as_bytes().to_vec();
    for piece in pieces {
        bytes.extend(piece);
    }
    bytes
}

/// Rows of one series: a total row (no area), then a row per area of the point's catalogue.
fn write_series(
    writer: &mut csv::Writer<Vec<u8>>,
    content: &Content,
    scope: &str,
    code: &str,
    series: &[crate::stats::series::YearFigures],
    mean: bool,
) {
    for p in series {
        let Some(catalog) = content.catalog(p.catalog) else {
            continue;
        };
        let points = |value: f64| {
            if mean {
                format!("{value:.4}")
            } else {
                format!("{value:.0}")
            }
        };
        let municipalities = f64::from(p.municipalities.max(1));
        let rows = std::iter::once(("", p.total, p.points, p.max_points)).chain(
            catalog.areas.iter().zip(&p.areas).map(|(area, tally)| {
                (
                    area.id.as_str(),
                    *tally,
                    f64::from(tally.points()) / municipalities,
                    3 * area.indicators.len() as u32,
                )
            }),
        );
        for (area, t, value, max) in rows {
            write_record(
                writer,
                [
                    scope,
                    code,
                    &p.year.to_string(),
                    &catalog.id,
                    area,
                    &p.municipalities.to_string(),
                    &t.helt.to_string(),
                    &t.delvis.to_string(),
                    &t.inte.to_string(),
                    &t.obesvarad.to_string(),
                    &four_decimals(t.share_helt()),
                    &points(value),
                    &max.to_string(),
                    if p.new_catalog { "1" } else { "0" },
                ],
            );
        }
    }
}

/// `data/series.csv`: the nation (`riket`), each county (`lan`) and each municipality
/// (`kommun`) year by year: all answers and each area's, with share helt and points (mean
/// points per municipality for the nation and counties). `new_catalog` is 1 where the
/// catalogue differs from the scope's year before. Sorted by scope (riket, lan by code,
/// kommun by code), year, catalogue, then total before areas in catalogue order.
pub fn series_csv(content: &Content, stats: &Stats) -> Vec<u8> {
    let registry = &content.registry;
    let mut writer = csv_writer(SERIES_HEADER.len() + 120 * 10 * content.assessments.len());
    write_record(&mut writer, SERIES_HEADER.trim_end().split(','));
    write_series(
        &mut writer,
        content,
        "riket",
        "SE",
        &stats.nation_series(),
        true,
    );
    let mut counties: Vec<usize> = (0..registry.counties.len()).collect();
    counties.sort_by(|&a, &b| registry.counties[a].code.cmp(&registry.counties[b].code));
    for c in counties {
        write_series(
            &mut writer,
            content,
            "lan",
            &registry.counties[c].code,
            &stats.county_series(c),
            true,
        );
    }
    let mut municipalities: Vec<usize> = (0..registry.municipalities.len()).collect();
    municipalities.sort_by(|&a, &b| {
        registry.municipalities[a]
            .code
            .cmp(&registry.municipalities[b].code)
    });
    for m in municipalities {
        write_series(
            &mut writer,
            content,
            "kommun",
            &registry.municipalities[m].code,
            &stats.municipality_series(m),
            false,
        );
    }
    finish(writer)
}

/// `data/indicator_series.csv`: every indicator of every catalogue, year by year, with the
/// nation's answers to it or (before its catalogue was answered) to the indicator it
/// continues through `replaces` (`answered_catalog`, `answered_indicator_id`). `new_catalog`
/// is 1 where the answered indicator differs from the year before's. Sorted by catalogue
/// id, catalogue order, then year.
pub fn indicator_series_csv(content: &Content, stats: &Stats) -> Vec<u8> {
    let mut writer = csv_writer(4096);
    write_record(&mut writer, INDICATOR_SERIES_HEADER.trim_end().split(','));
    for (c, catalog) in CatalogIndex::each(&content.catalogs) {
        for (i, indicator) in catalog.indicators.iter().enumerate() {
            let of = IndicatorRef {
                catalog: c,
                indicator: i,
            };
            let Some(points) = stats.indicator_series_of(of) else {
                continue;
            };
            let mut previous = None;
            for p in points {
                let here = (p.catalog, p.indicator);
                let (Some(answered), new) = (
                    content.catalog(p.catalog),
                    previous.is_some_and(|b| b != here),
                ) else {
                    continue;
                };
                previous = Some(here);
                let t = p.tally;
                write_record(
                    &mut writer,
                    [
                        catalog.id.as_str(),
                        &indicator.id,
                        &p.year.to_string(),
                        &answered.id,
                        answered
                            .indicators
                            .get(p.indicator)
                            .map_or("", |x| x.id.as_str()),
                        &t.total().to_string(),
                        &t.helt.to_string(),
                        &t.delvis.to_string(),
                        &t.inte.to_string(),
                        &t.obesvarad.to_string(),
                        &four_decimals(p.share_helt),
                        if new { "1" } else { "0" },
                    ],
                );
            }
        }
    }
    finish(writer)
}

/// Where an assessment's own CSV is published, next to its year page:
/// `kommun/<slug>/<year>/<slug>-<year>.csv`.
pub(crate) fn municipality_csv_path(content: &Content, assessment: usize) -> Option<String> {
    let a = content.assessments.get(assessment)?;
    let m = content.registry.municipalities.get(a.municipality)?;
    Some(paths::municipality_csv(&m.slug, a.year))
}

/// Text from submitters that a spreadsheet would run as a formula gets a leading apostrophe.
fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// One assessment's answers for its page: the columns of `answers.csv`, then the indicator's
/// text and the municipality's comment (Markdown as written; a comment starting with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading `'` so that spreadsheets show it as text).
/// An index without an assessment gives the header only.
pub fn municipality_csv(content: &Content, _stats: &Stats, assessment: usize) -> Vec<u8> {
    let mut writer = csv_writer(4096);
    write_record(&mut writer, MUNICIPALITY_HEADER.trim_end().split(','));
    let Some(a) = content.assessments.get(assessment) else {
        return finish(writer);
    };
    let (Some(m), Some(catalog)) = (
        content.registry.municipalities.get(a.municipality),
        content.catalog(a.catalog),
    ) else {
        return finish(writer);
    };
    let county = content
        .registry
        .counties
        .get(m.county)
        .map_or("", |c| c.code.as_str());
    let year = a.year.to_string();
    for (n, indicator) in catalog.indicators.iter().enumerate() {
        let comment = a.comment(n).map(spreadsheet_safe).unwrap_or_default();
        write_record(
            &mut writer,
            [
                year.as_str(),
                &catalog.id,
                &m.code,
                &m.name,
                county,
                &catalog.areas[indicator.area].id,
                &indicator.id,
                answer_word(a.answers.get(n).copied().flatten()),
                &indicator.text,
                &comment,
            ],
        );
    }
    finish(writer)
}

#[derive(Serialize)]
struct SiteJson<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_en: Option<&'a str>,
    description: Option<&'a str>,
    publisher: Option<&'a str>,
    language: &'a str,
    base_url: &'a str,
    example_data: bool,
    license: crate::model::License,
    /// The DCAT-AP-SE catalogue, written when the site's address is known.
    dcat: Option<&'static str>,
    years: &'a [Year],
    files: Vec<&'static str>,
    answers: [&'static str; 4],
    size_classes: Vec<SizeClassJson>,
    catalogs: Vec<CatalogJson<'a>>,
    counties: Vec<CountyJson<'a>>,
    municipalities: Vec<MunicipalityJson<'a>>,
}

#[derive(Serialize)]
struct SizeClassJson {
    code: &'static str,
    min_population: u64,
    max_population: Option<u64>,
}

#[derive(Serialize)]
struct CatalogJson<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    description: Option<&'a str>,
    indicators: usize,
    max_points: u32,
    years: Vec<Year>,
    areas: Vec<AreaJson<'a>>,
}

#[derive(Serialize)]
struct AreaJson<'a> {
    id: &'a str,
    level: &'static str,
    name: &'a str,
    short: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_en: Option<&'a str>,
    indicators: Vec<IndicatorJson<'a>>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_en: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'static str>,
    replaces: Vec<String>,
    path: String,
    /// The indicator's rows of indicators.csv, when its catalogue was answered.
    csv: Option<String>,
}

#[derive(Serialize)]
struct CountyJson<'a> {
    code: &'a str,
    name: &'a str,
    slug: &'a str,
    path: String,
    /// The county's rows of indicators.csv, when it has any.
    csv: Option<String>,
    municipalities: usize,
}

#[derive(Serialize)]
struct MunicipalityJson<'a> {
    code: &'a str,
    name: &'a str,
    slug: &'a str,
    county_code: &'a str,
    population: u64,
    population_year: Year,
    size_class: &'static str,
    path: Option<String>,
    assessments: Vec<AssessmentJson<'a>>,
}

#[derive(Serialize)]
struct AssessmentJson<'a> {
    year: Year,
    catalog: &'a str,
    published: Option<Date>,
    path: String,
    csv: String,
    helt: u32,
    delvis: u32,
    inte: u32,
    obesvarad: u32,
    points: u32,
    max_points: u32,
}

fn part_word(part: Part) -> &'static str {
    match part {
        Part::Petal => "petal",
        Part::Leaf => "leaf",
    }
}

fn size_class_bounds(class: SizeClass) -> (u64, Option<u64>) {
    match class {
        SizeClass::From100000 => (100_000, None),
        SizeClass::From50000 => (50_000, Some(99_999)),
        SizeClass::From20000 => (20_000, Some(49_999)),
        SizeClass::From10000 => (10_000, Some(19_999)),
        SizeClass::Below10000 => (0, Some(9_999)),
    }
}

/// `data/site.json`: what the site holds and where, for programs. Pretty-printed, in the
/// order of the content (catalogues by id, counties and municipalities by code), so the same
/// content gives the same bytes. Paths are relative to the site's root and end in `/` for
/// pages; a municipality without assessments has no page (`path` is null).
pub fn site_json(content: &Content, stats: &Stats) -> Vec<u8> {
    let config = &content.config;
    let site = SiteJson {
        title: &config.title,
        title_en: config.title_en.as_deref(),
        description: config.description.as_deref(),
        publisher: config.publisher.as_deref(),
        language: config.language.code(),
        base_url: &config.base_url,
        example_data: config.example_data,
        license: config.license,
        dcat: config
            .has_absolute_address()
            .then_some(crate::render::dcat::PATH),
        years: &stats.years,
        files: paths::DATA_FILES.to_vec(),
        answers: ["helt", "delvis", "inte", "obesvarad"],
        size_classes: SizeClass::ALL
            .iter()
            .map(|&class| {
                let (min_population, max_population) = size_class_bounds(class);
                SizeClassJson {
                    code: class.code(),
                    min_population,
                    max_population,
                }
            })
            .collect(),
        catalogs: catalogs_json(content, stats),
        counties: counties_json(content, stats),
        municipalities: municipalities_json(content, stats),
    };
    let mut bytes = match serde_json::to_vec_pretty(&site) {
        Ok(bytes) => bytes,
        Err(e) => unreachable!("site.json holds only strings, numbers and lists: {e}"),
    };
    bytes.push(b'\n');
    bytes
}

/// Every catalogue with its areas and indicators, and the years it was answered.
fn catalogs_json<'a>(content: &'a Content, stats: &Stats) -> Vec<CatalogJson<'a>> {
    CatalogIndex::each(&content.catalogs)
        .map(|(c, catalog)| {
            let mut years: Vec<Year> = stats
                .groups
                .iter()
                .filter(|g| g.catalog == c)
                .map(|g| g.year)
                .collect();
            years.dedup();
            let answered = !years.is_empty();
            CatalogJson {
                id: &catalog.id,
                name: &catalog.name,
                name_en: catalog.name_en.as_deref(),
                description: catalog.description.as_deref(),
                indicators: catalog.indicators.len(),
                max_points: catalog.max_points(),
                years,
                areas: catalog
                    .areas
                    .iter()
                    .map(|area| area_json(content, catalog, area, answered))
                    .collect(),
            }
        })
        .collect()
}

/// One area of a catalogue with its indicators; `answered` when the catalogue was answered
/// some year, so its indicators have answer files.
fn area_json<'a>(
    content: &'a Content,
    catalog: &'a Catalog,
    area: &'a Area,
    answered: bool,
) -> AreaJson<'a> {
    AreaJson {
        id: &area.id,
        level: area.level.as_str(),
        name: &area.name,
        short: area.short.as_deref(),
        name_en: area.name_en.as_deref(),
        short_en: area.short_en.as_deref(),
        indicators: catalog
            .indicators
            .get(area.indicators.clone())
            .unwrap_or_default()
            .iter()
            .map(|indicator| IndicatorJson {
                id: &indicator.id,
                text: &indicator.text,
                text_en: indicator.text_en.as_deref(),
                part: (area.level == Level::Flower).then_some(part_word(indicator.part)),
                replaces: indicator
                    .replaces
                    .iter()
                    .filter_map(|r| {
                        let other = content.catalog(r.catalog)?;
                        let id = &other.indicators.get(r.indicator)?.id;
                        Some(format!("{}/{id}", other.id))
                    })
                    .collect(),
                path: paths::indicator(&catalog.id, &indicator.id),
                csv: answered.then(|| paths::indicator_csv(&catalog.id, &indicator.id)),
            })
            .collect(),
    }
}

/// Every county of the registry; one with assessments has an answer file.
fn counties_json<'a>(content: &'a Content, stats: &Stats) -> Vec<CountyJson<'a>> {
    let registry = &content.registry;
    registry
        .counties
        .iter()
        .enumerate()
        .map(|(c, county)| CountyJson {
            code: &county.code,
            name: &county.name,
            slug: &county.slug,
            path: paths::county(&county.slug),
            csv: stats
                .groups
                .iter()
                .any(|g| g.county(c).is_some())
                .then(|| paths::county_csv(&county.slug)),
            municipalities: registry
                .municipalities
                .iter()
                .filter(|m| m.county == c)
                .count(),
        })
        .collect()
}

/// Every municipality of the registry with its assessments, oldest first.
fn municipalities_json<'a>(content: &'a Content, stats: &Stats) -> Vec<MunicipalityJson<'a>> {
    let registry = &content.registry;
    registry
        .municipalities
        .iter()
        .enumerate()
        .map(|(mi, m)| {
            let history = stats
                .by_municipality
                .get(mi)
                .map_or(&[][..], |h| h.assessments.as_slice());
            let assessments: Vec<AssessmentJson> = history
                .iter()
                .filter_map(|&i| {
                    let a = content.assessments.get(i)?;
                    let figures = stats.assessments.get(i)?;
                    Some(AssessmentJson {
                        year: a.year,
                        catalog: &content.catalog(a.catalog)?.id,
                        published: a.published,
                        path: paths::municipality_year(&m.slug, a.year),
                        csv: municipality_csv_path(content, i)?,
                        helt: figures.total.helt,
                        delvis: figures.total.delvis,
                        inte: figures.total.inte,
                        obesvarad: figures.total.obesvarad,
                        points: figures.points,
                        max_points: figures.max_points,
                    })
                })
                .collect();
            MunicipalityJson {
                code: &m.code,
                name: &m.name,
                slug: &m.slug,
                county_code: registry
                    .counties
                    .get(m.county)
                    .map_or("", |c| c.code.as_str()),
                population: m.population,
                population_year: m.population_year,
                size_class: SizeClass::of(m.population).code(),
                path: (!assessments.is_empty()).then(|| paths::municipality(&m.slug)),
                assessments,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::compute;

    #[test]
    fn four_decimals_round_and_leave_undefined_empty() {
        assert_eq!(four_decimals(Some(2.0 / 3.0)), "0.6667");
        assert_eq!(four_decimals(Some(1.0)), "1.0000");
        assert_eq!(four_decimals(Some(0.0)), "0.0000");
        assert_eq!(four_decimals(None), "");
    }

    #[test]
    fn row_starts_are_quoted_only_when_needed() {
        assert_eq!(row_start(&["0101", "Ankeby", "01"]), b"0101,Ankeby,01,");
        assert_eq!(
            row_start(&["Ekö, Norra", "Say \"hi\""]),
            "\"Ekö, Norra\",\"Say \"\"hi\"\"\",".as_bytes()
        );
        assert_eq!(row_start(&[""]), b",");
    }

    #[test]
    fn spreadsheet_formulas_are_defused_in_comments_only() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("- a list"), "'- a list");
        assert_eq!(spreadsheet_safe("Plain text"), "Plain text");
    }

    #[test]
    fn answers_csv_is_sorted_by_year_code_and_catalogue_order() {
        let mut content = crate::stats::tests::sample();
        // Out of order on purpose: the writer sorts by year and code itself.
        content.assessments.swap(0, 2);
        let stats = compute(&content);
        let text = String::from_utf8(answers_csv(&content, &stats)).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], ANSWERS_HEADER.trim_end());
        assert_eq!(lines[1], "2016,old,0101,Kommun 0101,01,area,x,helt");
        assert_eq!(lines[2], "2016,old,0101,Kommun 0101,01,area,y,delvis");
        assert_eq!(lines[6], "2016,old,0202,Kommun 0202,02,area,y,obesvarad");
        assert_eq!(lines[7], "2017,new,0101,Kommun 0101,01,area,x2,helt");
        assert_eq!(lines[9], "2017,new,0101,Kommun 0101,01,s,w,inte");
        // 3 × 2 + 8 × 3 rows and the header, LF only.
        assert_eq!(lines.len(), 31);
        assert_eq!(lines[30], "2017,new,0204,Kommun 0204,02,s,w,delvis");
        assert!(text.ends_with("delvis\n"));
        assert!(!text.contains('\r'));
    }

    #[test]
    fn municipality_csv_has_text_and_comment() {
        let mut content = crate::stats::tests::sample();
        content.assessments[0].comments = vec![(1, "=HYPERLINK(\"x\")\nrad två".into())];
        let stats = compute(&content);
        let text = String::from_utf8(municipality_csv(&content, &stats, 0)).unwrap_or_default();
        assert_eq!(
            text,
            "year,catalog,municipality_code,municipality,county_code,area_id,indicator_id,answer,indicator_text,comment\n\
             2016,old,0101,Kommun 0101,01,area,x,helt,Text of x,\n\
             2016,old,0101,Kommun 0101,01,area,y,delvis,Text of y,\"'=HYPERLINK(\"\"x\"\")\nrad två\"\n"
        );
        assert_eq!(
            municipality_csv(&content, &stats, 99),
            MUNICIPALITY_HEADER.as_bytes()
        );
        assert_eq!(
            municipality_csv_path(&content, 0).as_deref(),
            Some("kommun/kommun-0101/2016/kommun-0101-2016.csv")
        );
    }

    #[test]
    fn site_json_lists_catalogues_counties_municipalities_and_files() {
        let content = crate::stats::tests::sample();
        let stats = compute(&content);
        let bytes = site_json(&content, &stats);
        assert_eq!(bytes, site_json(&content, &stats));
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        assert_eq!(json["years"], serde_json::json!([2016, 2017]));
        assert_eq!(json["files"][0], "data/answers.csv");
        assert_eq!(json["catalogs"][0]["id"], "new");
        assert_eq!(json["catalogs"][0]["years"], serde_json::json!([2017]));
        assert_eq!(
            json["catalogs"][0]["areas"][0]["indicators"][0]["replaces"],
            serde_json::json!(["old/x"])
        );
        assert_eq!(
            json["catalogs"][0]["areas"][1]["indicators"][0]["path"],
            "indikator/new/w/"
        );
        assert_eq!(json["counties"][1]["municipalities"], 5);
        let first = &json["municipalities"][0];
        assert_eq!(first["path"], "kommun/kommun-0101/");
        assert_eq!(first["size_class"], "0-9999");
        assert_eq!(first["assessments"][1]["year"], 2017);
        assert_eq!(first["assessments"][1]["points"], 7);
        assert_eq!(json["municipalities"][8]["path"], serde_json::Value::Null);
        assert_eq!(
            json["size_classes"][0]["max_population"],
            serde_json::Value::Null
        );
    }
}
