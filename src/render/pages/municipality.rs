//! A municipality: its latest assessment at `kommun/<slug>/`, and every year at
//! `kommun/<slug>/<year>/`, each with its flower box (SVG, PNG) and its data as CSV.

use minijinja::Value;
use serde::Serialize;

use crate::model::{Catalog, Level, Year, answer_index};
use crate::output::OutputFile;
use crate::render::flowerbox::Place;
use crate::render::markdown;
use crate::render::opendata;
use crate::render::paths;
use crate::render::reuse::Reusable;
use crate::render::site::{Head, RenderError, Site, ValueTable};
use crate::stats::{
    AssessmentFigures, ChangeKind, Comparison, ComparisonRow, RelativeIndicator, Tally,
};

use super::pictures::{self, SeriesFigure, SimilarView};
use super::{NarrowView, ShareView, TallyView, word};

#[derive(Serialize)]
struct YearLink {
    year: Year,
    path: String,
    current: bool,
}

#[derive(Serialize)]
struct IndicatorRow<'a> {
    id: &'a str,
    text: &'a str,
    text_lang: Option<&'static str>,
    path: String,
    answer: &'static str,
    comment_html: Option<String>,
    /// improved, same, worse, new or unanswered; none for a first assessment.
    change: Option<&'static str>,
    previous: Option<&'static str>,
    national_share_helt: Option<f64>,
}

#[derive(Serialize)]
struct AreaView<'a> {
    id: &'a str,
    name: &'a str,
    name_lang: Option<&'static str>,
    level: Level,
    tally: TallyView,
    points: u32,
    max_points: u32,
    comparison: Option<ComparisonRow>,
    indicators: Vec<Value>,
}

#[derive(Serialize)]
struct Ranked<'a> {
    id: &'a str,
    text: &'a str,
    text_lang: Option<&'static str>,
    path: String,
    area: &'a str,
    area_lang: Option<&'static str>,
    national_share_helt: f64,
}

#[derive(Serialize)]
struct Previous {
    year: Year,
    path: String,
    improved: u32,
    same: u32,
    worse: u32,
    new: u32,
    unanswered: u32,
}

#[derive(Serialize)]
struct Page<'a> {
    name: &'a str,
    code: &'a str,
    county_name: &'a str,
    county_path: String,
    population: u64,
    population_year: Year,
    size_class: &'a str,
    year: Year,
    catalog_name: &'a str,
    catalog_name_lang: Option<&'static str>,
    catalog_id: &'a str,
    indicator_count: usize,
    published: Option<String>,
    latest: bool,
    latest_path: String,
    years: Vec<YearLink>,
    /// Inlined on the latest page (interactive); year pages show the SVG file as an image.
    svg: Option<&'a str>,
    narrow: NarrowView,
    svg_path: String,
    png_path: String,
    summary_sentence: String,
    summary_html: Option<String>,
    total: TallyView,
    points: u32,
    max_points: u32,
    /// Its place by points among the municipalities that published this year, and how many did.
    rank: u32,
    ranked: usize,
    nation_mean_points: f64,
    county_mean_points: Option<f64>,
    overall: Option<ComparisonRow>,
    /// Converted for the templates once, for both the year's page and the latest page.
    areas: minijinja::Value,
    best: Vec<Ranked<'a>>,
    worst: Vec<Ranked<'a>>,
    previous: Option<Previous>,
    share: ShareView,
    similar: SimilarView<'a>,
    over_time: Option<SeriesFigure>,
}

/// The pages of this job: the latest year, then each year, each listed in the sitemap with
/// the date it was published.
pub(crate) fn pages(site: &Site<'_>, municipality: usize) -> Vec<paths::Page> {
    let content = site.content;
    let history = &site.stats.by_municipality[municipality].assessments;
    let Some(&latest) = history.last() else {
        return Vec::new();
    };
    let slug = &content.registry.municipalities[municipality].slug;
    let mut pages = vec![paths::Page::listed_since(
        paths::municipality(slug),
        content.assessments[latest].published,
    )];
    pages.extend(history.iter().map(|&a| {
        let assessment = &content.assessments[a];
        let path = paths::municipality_year(slug, assessment.year);
        if a == latest {
            // It leads to the municipality's own page, which the sitemap lists.
            paths::Page::unlisted(path)
        } else {
            paths::Page::listed_since(path, assessment.published)
        }
    }));
    pages
}

pub(crate) fn render(site: &Site<'_>, municipality: usize) -> Result<Vec<OutputFile>, RenderError> {
    let history = &site.stats.by_municipality[municipality].assessments;
    let Some(&latest) = history.last() else {
        return Ok(Vec::new());
    };
    let mut files = Vec::with_capacity(history.len() * 5 + 5);
    for &a in history {
        files.extend(render_assessment(site, a, a == latest)?);
    }
    Ok(files)
}

/// The files of one assessment in its year's folder, and (`also_latest`) the same page at the
/// municipality's own folder. The view is made once for both.
fn render_assessment(
    site: &Site<'_>,
    index: usize,
    also_latest: bool,
) -> Result<Vec<OutputFile>, RenderError> {
    let content = site.content;
    let stats = site.stats;
    let assessment = &content.assessments[index];
    let figures = &stats.assessments[index];
    let m = &content.registry.municipalities[assessment.municipality];
    let catalog = &content.catalogs[assessment.catalog];

    let folder = paths::municipality_year(&m.slug, assessment.year);
    let picture = paths::flowerbox(&folder, "");
    let tallies: Vec<Tally> = assessment.answers.iter().map(|&a| Tally::of(a)).collect();
    let title = format!("{} {} {}", site.t("flowerbox_for"), m.name, assessment.year);
    let sentence = site.tally_sentence(&figures.total, catalog.indicators.len(), None);
    let flowerbox = site.flowerbox(
        assessment.catalog,
        &tallies,
        assessment.year,
        &title,
        &sentence,
        "fb-",
    );
    let drawn = flowerbox.picture(Place::File);

    let mut page = page_view(
        site,
        index,
        &folder,
        &picture,
        NarrowView::from(&drawn),
        &title,
        &sentence,
    );
    let head = |folder: &str| {
        Head::new(
            format!("{} {} – {}", m.name, assessment.year, site.title()),
            "municipality",
        )
        .description(format!("{title}: {sentence}."))
        .image(paths::flowerbox(folder, "").png)
    };
    // The latest year's page is the municipality's own page (below); its year's folder leads
    // there, so that the same page is not written twice. When a newer year comes, the folder
    // gets its full page and the address stays valid.
    let year_page = if also_latest {
        let name = format!("{} {}", m.name, assessment.year);
        let gist = super::redirects::Gist {
            picture: picture.svg.clone(),
            sentence: sentence.clone(),
            summary_html: page.summary_html.clone(),
        };
        let target = paths::municipality(&m.slug);
        super::redirects::redirect_with(site, &folder, &name, &target, Some(gist))?
    } else {
        let html = site.render_page("municipality.html", &folder, head(&folder), &page)?;
        OutputFile::bytes(paths::index(&folder), html)
    };
    let mut files = vec![
        year_page,
        OutputFile::png_of(picture.png.clone(), picture.svg.clone()),
        OutputFile::bytes(picture.svg.clone(), drawn.svg.clone().into_bytes()),
    ];
    // Open data is written once, by the site's own language (translations link to it).
    if let Some(path) =
        opendata::municipality_csv_path(content, index).filter(|_| !site.is_translation())
    {
        files.push(OutputFile::bytes(
            path,
            opendata::municipality_csv(content, stats, index),
        ));
    }
    if also_latest {
        // The view at the municipality's own folder, with the picture inline.
        let latest = paths::municipality(&m.slug);
        let latest_picture = paths::flowerbox(&latest, "");
        let inline = flowerbox.picture(Place::Page);
        page.latest = true;
        page.svg = Some(&inline.svg);
        page.narrow = NarrowView::from(&inline);
        page.svg_path = latest_picture.svg.clone();
        page.png_path = latest_picture.png.clone();
        let html = site.render_page("municipality.html", &latest, head(&latest), &page)?;
        files.push(OutputFile::bytes(paths::index(&latest), html));
        files.push(OutputFile::same_as(latest_picture.svg.clone(), picture.svg));
        files.push(OutputFile::png_of(latest_picture.png, latest_picture.svg));
    }
    Ok(files)
}

/// The page of an assessment (index into `content.assessments`) in its year's folder.
fn page_view<'a>(
    site: &Site<'a>,
    index: usize,
    folder: &str,
    picture: &paths::Picture,
    narrow: NarrowView,
    title: &str,
    sentence: &str,
) -> Page<'a> {
    let content = site.content;
    let stats = site.stats;
    let assessment = &content.assessments[index];
    let figures = &stats.assessments[index];
    let m = &content.registry.municipalities[assessment.municipality];
    let county = &content.registry.counties[m.county];
    let catalog = &content.catalogs[assessment.catalog];
    let group = &stats.groups[figures.group];
    let comparison = stats.comparison(index);
    let relative = stats.relative_to_nation(content, index);
    let areas = area_views(site, index, comparison.as_ref());
    Page {
        name: &m.name,
        code: &m.code,
        county_name: &county.name,
        county_path: paths::county(&county.slug),
        population: m.population,
        population_year: m.population_year,
        size_class: site.size_class_label(figures.size_class),
        year: assessment.year,
        catalog_name: site.catalog_name(catalog).text,
        catalog_name_lang: site.catalog_name(catalog).lang,
        catalog_id: &catalog.id,
        indicator_count: catalog.indicators.len(),
        published: assessment.published.map(|d| d.to_string()),
        latest: false,
        latest_path: paths::municipality(&m.slug),
        years: year_links(site, index),
        svg: None,
        narrow,
        svg_path: picture.svg.clone(),
        png_path: picture.png.clone(),
        summary_sentence: sentence.to_string(),
        summary_html: assessment.summary.as_deref().map(markdown::to_html),
        total: (&figures.total).into(),
        points: figures.points,
        max_points: figures.max_points,
        rank: figures.rank,
        ranked: group.assessments.len(),
        nation_mean_points: group.nation.mean_points,
        county_mean_points: group
            .counties
            .get(figures.county_scope)
            .map(|(_, scope)| scope.mean_points),
        overall: comparison.as_ref().map(|c| c.overall),
        areas: minijinja::Value::from(minijinja::value::Serde(&areas)),
        best: relative
            .as_ref()
            .map(|r| ranked(site, catalog, &r.overall.best))
            .unwrap_or_default(),
        worst: relative
            .as_ref()
            .map(|r| ranked(site, catalog, &r.overall.worst))
            .unwrap_or_default(),
        previous: previous_view(figures, &m.slug),
        share: ShareView::new(site, folder, &picture.png, &format!("{title}: {sentence}"))
            .download(
                opendata::municipality_csv_path(content, index).unwrap_or_default(),
                "download_csv",
            )
            .download(picture.png.clone(), "download_png")
            .download(picture.svg.clone(), "download_svg"),
        similar: pictures::similar(site, index),
        over_time: pictures::series_figure(
            site,
            &stats.municipality_series(assessment.municipality),
            assessment.year,
            false,
            &m.name,
            "ot",
        ),
    }
}

/// The areas of an assessment (index into `content.assessments`) with their answers.
fn area_views<'a>(
    site: &Site<'a>,
    index: usize,
    comparison: Option<&Comparison>,
) -> Vec<AreaView<'a>> {
    let assessment = &site.content.assessments[index];
    let figures = &site.stats.assessments[index];
    let catalog = &site.content.catalogs[assessment.catalog];
    let rows = site.answer_rows(figures.group, catalog.indicators.len() * ROW_KINDS);
    catalog
        .areas
        .iter()
        .enumerate()
        .map(|(ai, area)| {
            let tally = figures.areas.get(ai).copied().unwrap_or_default();
            let name = site.area_name(area);
            AreaView {
                id: &area.id,
                name: name.text,
                name_lang: name.lang,
                level: area.level,
                tally: (&tally).into(),
                points: tally.points(),
                max_points: 3 * area.indicators.len() as u32,
                comparison: comparison.and_then(|c| c.areas.get(ai).copied()),
                indicators: area
                    .indicators
                    .clone()
                    .map(|i| indicator_row_value(site, &rows, index, i))
                    .collect(),
            }
        })
        .collect()
}

/// The ways a row can differ for one indicator in one group: 4 answers × 6 changes (none or
/// one of five) × 5 earlier answers (none or one of four).
const ROW_KINDS: usize = 4 * 6 * 5;

/// [`indicator_row`] as a template value. A row without a comment is the same in every page
/// of its group (and language) with the same answer and change, so it is taken from `rows`,
/// made by the first page that needs it, instead of made again for each page: at 10 000
/// municipalities 88 rows a page, 40 000 pages. A shared row is [`Reusable`]: the template
/// writes its markup once and reuses it.
fn indicator_row_value(site: &Site<'_>, rows: &ValueTable, index: usize, i: usize) -> Value {
    let assessment = &site.content.assessments[index];
    let make = || Value::from(minijinja::value::Serde(&indicator_row(site, index, i)));
    if assessment.comment(i).is_some() {
        return make();
    }
    let change = site.stats.assessments[index]
        .previous
        .as_ref()
        .and_then(|p| p.changes.get(i));
    let answer = answer_index(assessment.answers.get(i).copied().flatten());
    let kind = change.map_or(0, |c| 1 + c.kind as usize);
    let previous = change
        .filter(|c| c.kind != ChangeKind::New)
        .map_or(0, |c| 1 + answer_index(c.previous));
    let slot = ((i * 4 + answer) * 6 + kind) * 5 + previous;
    match rows.get(slot) {
        Some(row) => row.get_or_init(|| Reusable::value(make())).clone(),
        None => make(),
    }
}

/// One answer of an assessment (index into `content.assessments`), with its change since the
/// previous assessment and the nation's share helt.
fn indicator_row<'a>(site: &Site<'a>, index: usize, i: usize) -> IndicatorRow<'a> {
    let assessment = &site.content.assessments[index];
    let figures = &site.stats.assessments[index];
    let catalog = &site.content.catalogs[assessment.catalog];
    let group = &site.stats.groups[figures.group];
    let indicator = &catalog.indicators[i];
    let change = figures.previous.as_ref().and_then(|p| p.changes.get(i));
    let text = site.indicator_text(indicator);
    IndicatorRow {
        id: &indicator.id,
        text: text.text,
        text_lang: text.lang,
        path: paths::indicator(&catalog.id, &indicator.id),
        answer: word(assessment.answers[i]),
        comment_html: assessment.comment(i).map(markdown::to_html),
        change: change.map(|c| match c.kind {
            ChangeKind::Improved => "improved",
            ChangeKind::Same => "same",
            ChangeKind::Worse => "worse",
            ChangeKind::New => "new",
            ChangeKind::Unanswered => "unanswered",
        }),
        previous: change
            .filter(|c| c.kind != ChangeKind::New)
            .map(|c| word(c.previous)),
        national_share_helt: group.nation.indicators.get(i).and_then(|f| f.share_helt),
    }
}

/// The indicators of a best or worst list, relative to the nation.
fn ranked<'a>(
    site: &Site<'a>,
    catalog: &'a Catalog,
    list: &[RelativeIndicator],
) -> Vec<Ranked<'a>> {
    list.iter()
        .map(|r| {
            let indicator = &catalog.indicators[r.indicator];
            let text = site.indicator_text(indicator);
            let area = site.area_label(catalog.area_of(r.indicator));
            Ranked {
                id: &indicator.id,
                text: text.text,
                text_lang: text.lang,
                path: paths::indicator(&catalog.id, &indicator.id),
                area: area.text,
                area_lang: area.lang,
                national_share_helt: r.national_share_helt,
            }
        })
        .collect()
}

/// What changed since the municipality's previous assessment, if it has one.
fn previous_view(figures: &AssessmentFigures, slug: &str) -> Option<Previous> {
    figures.previous.as_ref().map(|p| Previous {
        year: p.year,
        path: paths::municipality_year(slug, p.year),
        improved: p.counts.improved,
        same: p.counts.same,
        worse: p.counts.worse,
        new: p.counts.new,
        unanswered: p.counts.unanswered,
    })
}

/// The years the municipality was assessed, the one of `index` marked current.
fn year_links(site: &Site<'_>, index: usize) -> Vec<YearLink> {
    let content = site.content;
    let municipality = content.assessments[index].municipality;
    site.stats.by_municipality[municipality]
        .assessments
        .iter()
        .map(|&a| YearLink {
            year: content.assessments[a].year,
            path: site.assessment_path(a),
            current: a == index,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Answer;
    use crate::render::theme::Theme;

    /// Every row taken from the shared table is the row made for its own page, whichever
    /// page asked first; a row with a comment is its page's alone.
    #[test]
    fn shared_answer_rows_are_each_pages_own_rows() {
        let mut content = crate::stats::tests::sample();
        // 0101, 0202 and 0203 answered z helt in 2017, new since 2016: one shared row, but
        // 0101's (asked for first) has a comment.
        content.assessments[3].comments = vec![(1, "Only *ours*.".into())];
        // 0101 and 0104 both went to helt on x2 in 2017, from delvis and from inte on x: two rows.
        content.assessments[0].answers[0] = Some(Answer::Delvis);
        let stats = crate::stats::compute(&content);
        let theme = Theme::empty();
        let site = Site::new(&content, &stats, &theme);
        let json = |v: &Value| serde_json::to_string(v).unwrap_or_default();
        let mut order: Vec<usize> = (0..content.assessments.len()).collect();
        order.swap(0, 3);
        let mut shared = 0;
        for index in order {
            let catalog = &content.catalogs[content.assessments[index].catalog];
            let rows: Vec<Value> = area_views(&site, index, None)
                .into_iter()
                .flat_map(|area| area.indicators)
                .collect();
            assert_eq!(rows.len(), catalog.indicators.len());
            for (i, row) in rows.iter().enumerate() {
                let own = Value::from(minijinja::value::Serde(&indicator_row(&site, index, i)));
                assert_eq!(json(row), json(&own), "assessment {index}, indicator {i}");
                shared += usize::from(json(row).contains("\"comment_html\":null"));
            }
        }
        assert!(json(&area_views(&site, 3, None)[0].indicators[1]).contains("<em>ours</em>"));
        assert!(shared > 0);
    }
}
