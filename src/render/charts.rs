//! Charts of change over time, drawn by hand as SVG: the score per year as bars, a share per
//! year as a small line chart (one per area, laid out side by side by the page), and an
//! indicator's answers per year as stacked bars.
//!
//! Every chart has a `<title>` and a `<desc>` (the text alternative; the page has the same
//! figures as a table) and is sized for a phone: about 360 units wide, shown at about one
//! unit a pixel. Where the indicator catalogue changes, lines are not joined and a dashed
//! rule with the new catalogue's id marks the break. Words and numbers come formatted from
//! the caller, in the site's language.

use std::fmt::Write as _;

use crate::model::CatalogIndex;
use crate::stats::Tally;

use super::flowerbox::palette::{self, ANSWER_STYLES, INK, MUTED_INK};
use super::flowerbox::{E, N};

/// The bars, lines and points of a figure (a dark green, 7:1 against white).
const SERIES: &str = "#2f6f46";
/// The track behind a bar, up to its catalogue's maximum.
const TRACK: &str = "#e9ede6";
const TRACK_EDGE: &str = "#aab3a7";
/// Grid lines.
const GRID: &str = "#d5dad2";
const FONT: &str = "DejaVu Sans, sans-serif";

/// The opening of a chart's SVG, with its title and text alternative.
fn open(out: &mut String, width: f64, height: f64, id: &str, title: &str, desc: &str, class: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         role=\"img\" aria-labelledby=\"{id}-t {id}-d\" class=\"chart {class}\" font-family=\"{FONT}\" font-size=\"12\" fill=\"{INK}\">\n\
         <title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n",
        E(title),
        E(desc),
        w = N(width),
        h = N(height),
    );
}

/// A dashed rule where the catalogue changes, with the new catalogue's name at its top.
fn break_rule(out: &mut String, x: f64, top: f64, bottom: f64, label: &str, label_y: f64) {
    let _ = writeln!(
        out,
        "<g class=\"catalog-break\"><line x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{bottom}\" stroke=\"{MUTED_INK}\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>\
         <text x=\"{tx}\" y=\"{y}\" font-size=\"10\" fill=\"{MUTED_INK}\">{}</text></g>",
        E(label),
        x = N(x),
        top = N(top),
        bottom = N(bottom),
        tx = N(x + 3.0),
        y = N(label_y),
    );
}

/// One bar of [`bars_svg`].
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    /// Under the bar (a year).
    pub label: String,
    pub value: f64,
    /// The most the value can be (the catalogue's maximum): the bar's track.
    pub max: f64,
    /// Over the bar.
    pub value_text: String,
    /// When the catalogue changed since the bar before: the new catalogue's label.
    pub new_catalog: Option<String>,
}

/// Vertical bars, one per year, each on a track up to its maximum.
pub(crate) fn bars_svg(bars: &[Bar], title: &str, desc: &str, id: &str) -> String {
    const WIDTH: f64 = 360.0;
    const HEIGHT: f64 = 176.0;
    const TOP: f64 = 34.0;
    const BOTTOM: f64 = 150.0;
    let mut out = String::with_capacity(2048 + 400 * bars.len());
    open(&mut out, WIDTH, HEIGHT, id, title, desc, "chart-bars");
    let scale = bars.iter().map(|b| b.max.max(b.value)).fold(0.0, f64::max);
    let y = |v: f64| {
        if scale > 0.0 {
            BOTTOM - (BOTTOM - TOP) * (v / scale).clamp(0.0, 1.0)
        } else {
            BOTTOM
        }
    };
    let slot = (WIDTH - 8.0) / bars.len().max(1) as f64;
    let bar_width = (slot * 0.56).min(56.0);
    let _ = writeln!(
        out,
        "<line x1=\"4\" y1=\"{b}\" x2=\"{w}\" y2=\"{b}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
        b = N(BOTTOM),
        w = N(WIDTH - 4.0)
    );
    for (i, bar) in bars.iter().enumerate() {
        let centre = 4.0 + slot * (i as f64 + 0.5);
        let left = centre - bar_width / 2.0;
        if let Some(label) = &bar.new_catalog {
            break_rule(
                &mut out,
                4.0 + slot * i as f64,
                14.0,
                BOTTOM + 20.0,
                label,
                11.0,
            );
        }
        let _ = writeln!(
            out,
            "<g class=\"bar\"><rect x=\"{x}\" y=\"{ty}\" width=\"{bw}\" height=\"{th}\" fill=\"{TRACK}\" stroke=\"{TRACK_EDGE}\" stroke-width=\"1\"/>\
             <rect x=\"{x}\" y=\"{vy}\" width=\"{bw}\" height=\"{vh}\" fill=\"{SERIES}\"/>\
             <text x=\"{c}\" y=\"{label_y}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{c}\" y=\"{year_y}\" text-anchor=\"middle\">{}</text></g>",
            E(&bar.value_text),
            E(&bar.label),
            x = N(left),
            bw = N(bar_width),
            ty = N(y(bar.max)),
            th = N(BOTTOM - y(bar.max)),
            vy = N(y(bar.value)),
            vh = N(BOTTOM - y(bar.value)),
            c = N(centre),
            label_y = N(y(bar.value.max(bar.max)) - 5.0),
            year_y = N(BOTTOM + 16.0),
        );
    }
    out.push_str("</svg>\n");
    out
}

/// One point of a [`LinePanel`].
#[derive(Debug, Clone)]
pub(crate) struct LinePoint {
    /// Index into the panel's `x_labels`.
    pub x: usize,
    /// A share, 0–1.
    pub value: f64,
    /// Points are joined only within the same catalogue.
    pub segment: CatalogIndex,
    /// Shown beside the point (the share in the site's language).
    pub text: String,
}

/// A small line chart of a share over the years.
#[derive(Debug, Clone)]
pub(crate) struct LinePanel {
    /// Along the bottom (years).
    pub x_labels: Vec<String>,
    pub points: Vec<LinePoint>,
    /// Where a new catalogue starts: index into `x_labels` and the catalogue's label.
    pub breaks: Vec<(usize, String)>,
    /// The three labels of the scale: 0, 50 and 100 %.
    pub scale_labels: [String; 3],
}

/// A line chart of one share over the years, 0–100 %.
pub(crate) fn line_svg(panel: &LinePanel, title: &str, desc: &str, id: &str) -> String {
    // Two panels side by side fill a phone's width at about one unit a pixel.
    const WIDTH: f64 = 160.0;
    const HEIGHT: f64 = 122.0;
    const LEFT: f64 = 36.0;
    const RIGHT: f64 = 154.0;
    const TOP: f64 = 18.0;
    const BOTTOM: f64 = 100.0;
    let mut out = String::with_capacity(2048);
    open(&mut out, WIDTH, HEIGHT, id, title, desc, "chart-line");
    let count = panel.x_labels.len().max(1);
    let x = |i: usize| {
        if count == 1 {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + 12.0 + (RIGHT - LEFT - 24.0) * i as f64 / (count - 1) as f64
        }
    };
    let y = |v: f64| BOTTOM - (BOTTOM - TOP) * v.clamp(0.0, 1.0);
    for (k, label) in panel.scale_labels.iter().enumerate() {
        let v = k as f64 / 2.0;
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{gy}\" x2=\"{RIGHT}\" y2=\"{gy}\" stroke=\"{g}\" stroke-width=\"1\"/>\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"10\" fill=\"{MUTED_INK}\">{}</text>",
            E(label),
            g = if k == 0 { INK } else { GRID },
            gy = N(y(v)),
            lx = N(LEFT - 4.0),
            ty = N(y(v) + 4.0),
        );
    }
    for (i, label) in panel.x_labels.iter().enumerate() {
        // With many years, every other label, so that they do not run together.
        if count > 4 && i % 2 == 1 && i + 1 != count {
            continue;
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
            N(x(i)),
            N(BOTTOM + 15.0),
            E(label)
        );
    }
    for (at, label) in &panel.breaks {
        let bx = if *at == 0 {
            x(0) - 6.0
        } else {
            (x(*at - 1) + x(*at)) / 2.0
        };
        break_rule(&mut out, bx, TOP - 6.0, BOTTOM + 4.0, label, TOP - 8.0);
    }
    // Lines join the points of each segment in turn, then the points go over them.
    let mut path = String::new();
    let mut segments: Vec<CatalogIndex> = panel.points.iter().map(|p| p.segment).collect();
    segments.sort_unstable();
    segments.dedup();
    for segment in segments {
        let mut previous: Option<&LinePoint> = None;
        for p in panel.points.iter().filter(|p| p.segment == segment) {
            if let Some(q) = previous {
                let _ = write!(
                    path,
                    "M{} {}L{} {}",
                    N(x(q.x)),
                    N(y(q.value)),
                    N(x(p.x)),
                    N(y(p.value))
                );
            }
            previous = Some(p);
        }
    }
    if !path.is_empty() {
        let _ = writeln!(
            out,
            "<path d=\"{path}\" fill=\"none\" stroke=\"{SERIES}\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>"
        );
    }
    let labelled = |i: usize| panel.points.len() <= 4 || i + 1 == panel.points.len();
    for (i, p) in panel.points.iter().enumerate() {
        let (px, py) = (x(p.x), y(p.value));
        let _ = writeln!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3.2\" fill=\"{SERIES}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
            N(px),
            N(py)
        );
        if labelled(i) {
            // Above the point, or below it near the top.
            let ty = if py < TOP + 14.0 { py + 15.0 } else { py - 7.0 };
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\">{}</text>",
                N(px),
                N(ty),
                E(&p.text)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

/// One row of [`stacked_svg`].
#[derive(Debug, Clone)]
pub(crate) struct StackRow {
    /// At the left (a year).
    pub label: String,
    pub tally: Tally,
    /// At the right (the share helt).
    pub value_text: String,
    /// When the catalogue changed since the row above: the words for the break.
    pub new_catalog: Option<String>,
    /// Each segment's tooltip, in the order helt, delvis, inte, obesvarad.
    pub titles: [String; 4],
}

/// Rows of 100 % stacked bars of helt, delvis, inte and obesvarad, in the answer colours and
/// patterns of the flower box.
pub(crate) fn stacked_svg(rows: &[StackRow], title: &str, desc: &str, id: &str) -> String {
    const WIDTH: f64 = 360.0;
    const LABEL: f64 = 48.0;
    const BAR_END: f64 = 308.0;
    const ROW: f64 = 30.0;
    const BAR: f64 = 20.0;
    const BREAK: f64 = 18.0;
    let breaks = rows.iter().filter(|r| r.new_catalog.is_some()).count() as f64;
    let height = 8.0 + rows.len() as f64 * ROW + breaks * BREAK;
    let mut out = String::with_capacity(3072 + 900 * rows.len());
    open(&mut out, WIDTH, height, id, title, desc, "chart-stacked");
    out.push_str("<defs>\n");
    palette::answer_patterns(&mut out, &format!("{id}-"));
    out.push_str("</defs>\n");
    let mut top = 4.0;
    for row in rows {
        if let Some(label) = &row.new_catalog {
            let _ = writeln!(
                out,
                "<g class=\"catalog-break\"><line x1=\"0\" y1=\"{y}\" x2=\"{WIDTH}\" y2=\"{y}\" stroke=\"{MUTED_INK}\" stroke-dasharray=\"3 3\"/>\
                 <text x=\"{LABEL}\" y=\"{ty}\" font-size=\"10\" fill=\"{MUTED_INK}\">{}</text></g>",
                E(label),
                y = N(top + 2.0),
                ty = N(top + 13.0),
            );
            top += BREAK;
        }
        let bar_top = top + (ROW - BAR) / 2.0;
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{}\">{}</text>",
            N(bar_top + 14.5),
            E(&row.label)
        );
        let total = f64::from(row.tally.total().max(1));
        let mut x = LABEL;
        let counts = [
            row.tally.helt,
            row.tally.delvis,
            row.tally.inte,
            row.tally.obesvarad,
        ];
        for (k, count) in counts.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let w = (BAR_END - LABEL) * f64::from(*count) / total;
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR}\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"0.8\"><title>{}</title></rect>",
                N(x),
                N(bar_top),
                N(w),
                palette::answer_paint(&ANSWER_STYLES[k], &format!("{id}-")),
                E(&row.titles[k])
            );
            x += w;
        }
        let _ = writeln!(
            out,
            "<text x=\"{WIDTH}\" y=\"{}\" text-anchor=\"end\" font-weight=\"bold\">{}</text>",
            N(bar_top + 14.5),
            E(&row.value_text)
        );
        top += ROW;
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"))
    }

    #[test]
    fn bars_have_a_track_to_their_maximum_and_mark_a_new_catalogue() {
        let bars = vec![
            Bar {
                label: "2016".into(),
                value: 100.0,
                max: 200.0,
                value_text: "100".into(),
                new_catalog: None,
            },
            Bar {
                label: "2018".into(),
                value: 264.0,
                max: 264.0,
                value_text: "264 <max>".into(),
                new_catalog: Some("v3".into()),
            },
        ];
        let svg = bars_svg(&bars, "Poäng", "Poäng per år", "s1");
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("aria-labelledby"), Some("s1-t s1-d"));
        assert!(svg.contains("264 &lt;max&gt;"));
        assert_eq!(svg.matches("class=\"catalog-break\"").count(), 1);
        // The full bar reaches the top of the plot; the first track stops short of it.
        let rects: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .map(|n| n.attribute("y").unwrap().parse().unwrap())
            .collect();
        assert_eq!(rects.len(), 4);
        assert!(rects[0] > rects[3]);
        assert_eq!(rects[2], rects[3]);
    }

    #[test]
    fn lines_join_only_within_a_catalogue() {
        let point = |x, value, segment| LinePoint {
            x,
            value,
            segment: CatalogIndex::new(segment),
            text: format!("{value}"),
        };
        let panel = LinePanel {
            x_labels: vec!["2016".into(), "2017".into(), "2018".into()],
            // Two catalogues answered in 2017: the old one's line runs on past the new one.
            points: vec![
                point(0, 0.2, 0),
                point(1, 0.4, 1),
                point(1, 0.3, 0),
                point(2, 0.5, 1),
            ],
            breaks: vec![(2, "v4".into())],
            scale_labels: ["0 %".into(), "50 %".into(), "100 %".into()],
        };
        let svg = line_svg(&panel, "Äldre", "Andel helt", "a1");
        parse(&svg);
        // 2016–2017 of the old catalogue and 2017–2018 of the new: never one into the other.
        let path = svg.split("<path d=\"").nth(1).unwrap();
        let path = path.split('"').next().unwrap();
        assert_eq!(path.matches('M').count(), 2);
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.contains(">v4</text>"));
    }

    #[test]
    fn stacked_rows_are_proportional_and_patterned() {
        let titles = || {
            [
                "helt".to_string(),
                "delvis".to_string(),
                "inte".to_string(),
                "obesvarad".to_string(),
            ]
        };
        let rows = vec![
            StackRow {
                label: "2016".into(),
                tally: Tally {
                    helt: 1,
                    delvis: 1,
                    inte: 2,
                    obesvarad: 0,
                },
                value_text: "25 %".into(),
                new_catalog: None,
                titles: titles(),
            },
            StackRow {
                label: "2017".into(),
                tally: Tally {
                    helt: 3,
                    delvis: 0,
                    inte: 0,
                    obesvarad: 1,
                },
                value_text: "100 %".into(),
                new_catalog: Some("Ny katalog: v3".into()),
                titles: titles(),
            },
        ];
        let svg = stacked_svg(&rows, "Svar per år", "…", "d1");
        let doc = parse(&svg);
        let widths: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.parent().is_some_and(|p| p.has_tag_name("svg")))
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        // 1:1:2, then 3:1 (no delvis or inte segment).
        assert_eq!(widths.len(), 5);
        assert!((widths[2] - 2.0 * widths[0]).abs() < 0.2);
        assert!((widths[3] - 3.0 * widths[4]).abs() < 0.2);
        assert!(svg.contains("url(#d1-fill-delvis)"));
        assert!(svg.contains("Ny katalog: v3"));
    }
}
