//! Maps of municipalities, drawn by hand as SVG from prepared shapes ([`crate::geo`]).
//!
//! Each municipality is a link to its page with its name and figure as the link's title (a
//! tooltip). The map itself is hidden from screen readers and out of the tab order: the same
//! figures are in a table on the page, which is the way through for keyboards and screen
//! readers, and the figure's caption says what the map shows.
//!
//! Two kinds of colouring: the share of indicators met in full, in five fixed classes of a
//! sequential scale (the same classes every year, so maps of different years compare), and
//! one indicator's answer, in the answer colours and patterns of the flower box.

use std::fmt::Write as _;

use crate::geo::MapView;

use super::flowerbox::escape;
use super::flowerbox::palette::{self, ANSWER_STYLES, INK};

/// The classes of the share met in full: lower bound and colour. A light-to-medium
/// yellow–green–blue scale (ColorBrewer YlGnBu): ordered by lightness, so it reads for every
/// kind of colour vision, and every colour keeps 3:1 against the dark borders.
pub(crate) const SHARE_CLASSES: [(f64, &str); 5] = [
    (0.0, "#ffffcc"),
    (0.2, "#c7e9b4"),
    (0.4, "#7fcdbb"),
    (0.6, "#41b6c4"),
    (0.8, "#1d91c0"),
];
/// Where there is no figure: white, hatched in grey.
const NO_DATA_FILL: &str = "#ffffff";
const NO_DATA_INK: &str = "#6b716b";
/// Neighbours shown for orientation only.
const CONTEXT_FILL: &str = "#e6e8e3";
const CONTEXT_EDGE: &str = "#9ea59d";

/// How a class of municipalities is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paint {
    /// One of [`SHARE_CLASSES`].
    Share(usize),
    /// An answer, by index into the flower box's answer styles (helt, delvis, inte,
    /// obesvarad).
    Answer(usize),
    /// No figure (no published assessment, or nothing answered).
    NoData,
}

impl Paint {
    /// The class of a share met in full; `None` has no figure.
    pub(crate) fn of_share(share: Option<f64>) -> Paint {
        match share {
            Some(s) => Paint::Share(
                SHARE_CLASSES
                    .iter()
                    .rposition(|(lower, _)| s >= *lower)
                    .unwrap_or(0),
            ),
            None => Paint::NoData,
        }
    }

    /// The paint for SVG `fill`, with patterns named after `prefix`.
    pub(crate) fn fill(self, prefix: &str) -> String {
        match self {
            Paint::Share(c) => SHARE_CLASSES[c.min(SHARE_CLASSES.len() - 1)].1.to_string(),
            Paint::Answer(a) => palette::answer_paint(&ANSWER_STYLES[a.min(3)], prefix),
            Paint::NoData => format!("url(#{prefix}none)"),
        }
    }
}

/// One municipality on a map.
#[derive(Debug, Clone)]
pub(crate) struct Region {
    pub paint: Paint,
    /// Its page, relative to the page the map is on; none when it has no page.
    pub href: Option<String>,
    /// Its name and figure, shown on hover.
    pub title: String,
}

/// The id of a municipality's shape in a geometry file: `k` and its registry code (codes are
/// letters and digits).
fn shape_id(code: &str) -> String {
    format!("k{code}")
}

/// The geometry of one view as a file of its own, which every map of that view refers to
/// (`<use>`), so that the shapes are written once for a site rather than once per map. On its
/// own it is a blank map: the municipalities in grey, each with its name as its title.
/// `codes` and `names` are the registry's, by index.
pub(crate) fn geometry_svg(
    view: &MapView,
    title: &str,
    codes: &dyn Fn(usize) -> (String, String),
) -> String {
    let mut out = String::with_capacity(48 * 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\n<title>{}</title>\n",
        escape(title),
        w = view.width,
        h = view.height,
    );
    if !view.context.is_empty() {
        let _ = writeln!(
            out,
            "<path id=\"context\" d=\"{}\" fill=\"{CONTEXT_FILL}\" stroke=\"{CONTEXT_EDGE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\"/>",
            view.context
        );
    }
    // Shapes carry no paint of their own: a map's `<use>` gives them theirs.
    let _ = writeln!(out, "<g fill=\"{CONTEXT_FILL}\" {}>", shape_stroke());
    for (m, d) in &view.municipalities {
        let (code, name) = codes(*m);
        let _ = writeln!(
            out,
            "<path id=\"{}\" d=\"{d}\"><title>{}</title></path>",
            escape(&shape_id(&code)),
            escape(&name)
        );
    }
    out.push_str("</g>\n");
    if !view.borders.is_empty() {
        let _ = writeln!(
            out,
            "<path id=\"borders\" d=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"1.3\" stroke-linejoin=\"round\" stroke-linecap=\"round\" pointer-events=\"none\"/>",
            view.borders
        );
    }
    out.push_str("</svg>\n");
    out
}

/// How every municipality's outline is drawn, on a map and in its geometry file.
fn shape_stroke() -> String {
    format!("stroke=\"{INK}\" stroke-width=\"0.4\" stroke-linejoin=\"round\" fill-rule=\"evenodd\"")
}

/// Draws a map whose shapes are in the geometry file at `geometry` (a link relative to the
/// page, see [`geometry_svg`]). `region` gives each municipality of the view (by registry
/// index) its paint, link and title, `code` its registry code; `id_prefix` starts every id,
/// so that several maps can share a page.
pub(crate) fn render_svg(
    view: &MapView,
    geometry: &str,
    region: &dyn Fn(usize) -> (String, Region),
    title: &str,
    id_prefix: &str,
) -> String {
    let p = id_prefix;
    let regions: Vec<(String, Region)> = view
        .municipalities
        .iter()
        .map(|(m, _)| region(*m))
        .collect();
    let mut paints: Vec<Paint> = regions.iter().map(|(_, r)| r.paint).collect();
    paints.sort_by_key(|paint| match paint {
        Paint::Share(c) => *c,
        Paint::Answer(a) => 10 + a,
        Paint::NoData => 100,
    });
    paints.dedup();
    let geometry = escape(geometry);

    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         class=\"map\" aria-hidden=\"true\">\n<title>{}</title>\n",
        escape(title),
        w = view.width,
        h = view.height,
    );
    // Every pattern a key beside the map may point to, whether the map uses it or not.
    out.push_str("<defs>\n");
    if paints.iter().any(|x| matches!(x, Paint::Answer(_))) {
        palette::answer_patterns(&mut out, p);
    }
    let _ = writeln!(
        out,
        "<pattern id=\"{p}none\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">\
         <rect width=\"6\" height=\"6\" fill=\"{NO_DATA_FILL}\"/>\
         <path d=\"M0 6L6 0M-1 1L1 -1M5 7L7 5\" stroke=\"{NO_DATA_INK}\" stroke-width=\"1\"/></pattern>"
    );
    out.push_str("</defs>\n");
    if !view.context.is_empty() {
        let _ = writeln!(out, "<use href=\"{geometry}#context\"/>");
    }
    let _ = writeln!(out, "<g {}>", shape_stroke());
    for paint in paints {
        let _ = writeln!(out, "<g fill=\"{}\">", paint.fill(p));
        for (code, r) in regions.iter().filter(|(_, r)| r.paint == paint) {
            let shape = format!("<use href=\"{geometry}#{}\"/>", escape(&shape_id(code)));
            match &r.href {
                Some(href) => {
                    let _ = writeln!(
                        out,
                        "<a href=\"{}\" tabindex=\"-1\"><title>{}</title>{shape}</a>",
                        escape(href),
                        escape(&r.title)
                    );
                }
                None => {
                    let _ = writeln!(out, "<g><title>{}</title>{shape}</g>", escape(&r.title));
                }
            }
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
    if !view.borders.is_empty() {
        let _ = writeln!(out, "<use href=\"{geometry}#borders\"/>");
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::flowerbox::palette::contrast;

    #[test]
    fn shares_fall_in_fixed_classes() {
        assert_eq!(Paint::of_share(Some(0.0)), Paint::Share(0));
        assert_eq!(Paint::of_share(Some(0.1999)), Paint::Share(0));
        assert_eq!(Paint::of_share(Some(0.2)), Paint::Share(1));
        assert_eq!(Paint::of_share(Some(0.79)), Paint::Share(3));
        assert_eq!(Paint::of_share(Some(1.0)), Paint::Share(4));
        assert_eq!(Paint::of_share(None), Paint::NoData);
    }

    #[test]
    fn colours_keep_contrast_with_the_borders_and_step_in_lightness() {
        for (_, colour) in SHARE_CLASSES {
            assert!(contrast(colour, INK) >= 3.0, "{colour}");
        }
        // Each class is darker than the one before: a reader without colour vision still
        // sees the order.
        for pair in SHARE_CLASSES.windows(2) {
            assert!(contrast(pair[0].1, "#ffffff") < contrast(pair[1].1, "#ffffff"));
        }
        assert!(contrast(NO_DATA_INK, NO_DATA_FILL) >= 3.0);
        assert!(
            contrast(CONTEXT_EDGE, CONTEXT_FILL) < 3.0,
            "context stays in the background"
        );
    }

    fn view() -> MapView {
        MapView {
            width: 20,
            height: 10,
            municipalities: vec![
                (0, "M0 0l10 0 0 10z".into()),
                (1, "M10 0l10 0 0 10z".into()),
            ],
            context: String::new(),
            borders: "M10 0l0 10".into(),
        }
    }

    #[test]
    fn regions_are_grouped_by_paint_with_escaped_links_and_titles() {
        let svg = render_svg(
            &view(),
            "../karta/sverige.svg",
            &|m| {
                (
                    format!("0{m}"),
                    Region {
                        paint: if m == 0 {
                            Paint::Share(2)
                        } else {
                            Paint::NoData
                        },
                        href: (m == 0).then(|| "../kommun/a&b/".to_string()),
                        title: format!("<Kommun {m}>"),
                    },
                )
            },
            "Karta 2017",
            "m1-",
        );
        assert!(svg.contains("<title>Karta 2017</title>"));
        assert!(svg.contains("<a href=\"../kommun/a&amp;b/\" tabindex=\"-1\"><title>&lt;Kommun 0&gt;</title><use href=\"../karta/sverige.svg#k00\"/></a>"));
        assert!(svg.contains(
            "<g><title>&lt;Kommun 1&gt;</title><use href=\"../karta/sverige.svg#k01\"/></g>"
        ));
        assert!(svg.contains("<use href=\"../karta/sverige.svg#borders\"/>"));
        assert!(
            !svg.contains("M0 0l10"),
            "the shapes stay in the geometry file"
        );
        assert!(svg.contains("<pattern id=\"m1-none\""));
        assert!(svg.contains("fill=\"url(#m1-none)\""));
        assert!(
            !svg.contains("m1-fill-delvis"),
            "no answer patterns on a map of shares"
        );
        assert!(roxmltree::Document::parse(&svg).is_ok());
    }

    #[test]
    fn the_geometry_file_holds_each_shape_once_by_code() {
        let svg = geometry_svg(&view(), "Sverige & grannar", &|m| {
            (format!("0{m}"), format!("<Kommun {m}>"))
        });
        let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
        let shape = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("k01"))
            .expect("shape by code");
        assert_eq!(shape.attribute("d"), Some("M10 0l10 0 0 10z"));
        assert!(shape.attribute("fill").is_none(), "a map gives the paint");
        assert!(svg.contains("<title>&lt;Kommun 1&gt;</title>"));
        assert!(svg.contains("<title>Sverige &amp; grannar</title>"));
        assert!(
            doc.descendants()
                .any(|n| n.attribute("id") == Some("borders"))
        );
    }
}
