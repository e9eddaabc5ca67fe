//! The flower box picture (blomlådan), drawn by hand as SVG.
//!
//! Flowers are the digital services per target group (one petal per indicator, leaves on
//! the stem for indicators marked `part: leaf`), the grass is leadership and working
//! methods (one blade per indicator) and the soil the technical prerequisites (one stone per
//! indicator). Beside each flower, grass area and soil area stands a bar of its answers.
//!
//! One municipality's picture paints every shape in the colour and pattern of its answer;
//! an aggregate (a tally of more than one answer) fills every shape with bands whose areas
//! are proportional to the counts, so that the distribution shows, never one colour.

mod layout;
mod narrow;
pub(crate) mod palette;
pub(crate) mod text;

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use crate::model::{Catalog, Language};
use crate::render::credit::{self, Credit};
use crate::stats::Tally;

use self::layout::{
    Anchor, BBox, Bar, FRAME, HEIGHT, Kind, Layout, LegendItem, STROKE, Shape, TextBlock, WIDTH,
};
use self::narrow::{NARROW_WIDTH, NARROW_X, Narrow, NarrowStrip, Placement};
use self::palette::{
    ANSWER_ORDER, ANSWER_STYLES, AnswerStyle, BACKGROUND, FLOWER_DISK, INK, MUTED_INK, SOIL,
    SOIL_FRAME, STEM, TAG, TAG_EDGE,
};
pub(crate) use self::text::escape;

/// The words of the picture, from the theme's translations.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// Shown at the top and used as the SVG's `<title>`, e.g. "Blomlåda för Kumla 2017".
    pub title: &'a str,
    /// One sentence shown under the title and used as the SVG's `<desc>`.
    pub summary: &'a str,
    /// The word for an answer met in full.
    pub helt: &'a str,
    /// The word for an answer met in part.
    pub delvis: &'a str,
    /// The word for an answer not met.
    pub inte: &'a str,
    /// The word for an indicator left unanswered.
    pub obesvarad: &'a str,
    /// Tooltip of the grass, and caption of a grass area without a name.
    pub grass: &'a str,
    /// Tooltip of the soil, and caption of a soil area without a name.
    pub soil: &'a str,
    /// The source strip under the picture (every picture of a site has one).
    pub credit: Option<Credit<'a>>,
    /// The language of the catalogue's texts in the picture (where the catalogue gives them
    /// in it).
    pub language: Language,
}

impl Labels<'_> {
    fn answer_words(&self) -> [&str; 4] {
        [self.helt, self.delvis, self.inte, self.obesvarad]
    }
}

/// A flower box: the SVG, and what a page needs to show its layout for narrow screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Picture {
    /// The whole picture: the wide drawing, and the narrow one outside its canvas.
    pub svg: String,
    /// A small SVG for a page that inlines [`Picture::svg`]: it shows the narrow drawing by
    /// `<use>`, so nothing is written twice.
    pub narrow_inline: String,
    /// The id of the `<view>` of the narrow drawing (`blomlada.svg#<id>` shows it).
    pub narrow_view: String,
    /// The size of the narrow drawing, in units of its canvas.
    pub narrow_width: u32,
    pub narrow_height: u32,
}

/// The outline of every shape (ink, `STROKE` wide), one rule for all of them, set on each
/// indicator's group and inherited by its outline (the bands of a shape with several answers
/// opt out). A picture's own file carries it in a `<style>` element; a page that shows
/// pictures inline has it in its stylesheet (the default theme's `style.css`, held to this by
/// a test), so pages hold no style element and the rule is sent once for the whole site.
///
/// The selector has no ancestor: the narrow layout shows copies of the shapes through `<use>`,
/// and in Chromium a copy matches only such a selector. Only the flower box has `g.indicator`.
pub(crate) const OUTLINE_RULE: &str =
    "g.indicator{stroke:#1d2a1d;stroke-width:1.3;stroke-linejoin:round}";

/// Where a picture is shown, which decides how much its shapes say themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// A file of its own (download, embed, PNG): each shape's title is the indicator's id,
    /// its text and the answer.
    File,
    /// Inline in a page that lists every indicator with its text (a link to the indicator's
    /// page): each shape's title is the indicator's id and the answer, and the page's script
    /// adds the text from the list to the tooltip. The text is on the page once, not twice.
    /// The outlines' rule ([`OUTLINE_RULE`]) comes from the page's stylesheet.
    Page,
}

/// Draws the flower box of `catalog` for `tallies` (`tallies[i]` belongs to
/// `catalog.indicators[i]`; a missing tally counts as nothing answered).
///
/// `id_prefix` starts every id in the SVG, so that several pictures can be inlined in one
/// page; characters other than ASCII letters, digits, `-` and `_` are replaced by `-`.
pub(crate) fn render(
    catalog: &Catalog,
    tallies: &[Tally],
    labels: &Labels<'_>,
    id_prefix: &str,
    place: Place,
) -> Picture {
    render_with(catalog, tallies, labels, id_prefix, place, None)
}

/// [`render`], taking each shape of a single answer from `shapes` when given (made by
/// [`Shapes::new`] for the same catalogue, words, id prefix and place).
pub(crate) fn render_with(
    catalog: &Catalog,
    tallies: &[Tally],
    labels: &Labels<'_>,
    id_prefix: &str,
    place: Place,
    shapes: Option<&Shapes>,
) -> Picture {
    let layout = Layout::new(catalog, labels);
    let narrow = Narrow::new(catalog, labels, &layout);
    let prefix = id_safe(id_prefix);
    let mut writer = Writer {
        out: String::with_capacity(28 * 1024 + 400 * catalog.indicators.len()),
        prefix: &prefix,
        catalog,
        tallies,
        labels,
        words: labels.answer_words(),
        place,
        shapes,
    };
    writer.document(&layout, &narrow);
    let p = &prefix;
    let view_box = format!("{} 0 {} {}", N(NARROW_X), N(NARROW_WIDTH), N(narrow.height));
    Picture {
        svg: writer.out,
        narrow_inline: format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\" role=\"img\" \
             aria-labelledby=\"{p}title {p}desc\" class=\"flowerbox-narrow\"><use href=\"#{p}narrow-g\"/></svg>"
        ),
        narrow_view: format!("{p}narrow"),
        narrow_width: NARROW_WIDTH as u32,
        narrow_height: narrow.height as u32,
    }
}

/// `id_prefix` with every character other than ASCII letters, digits, `-` and `_` made `-`.
fn id_safe(id_prefix: &str) -> String {
    id_prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Every indicator's shape as a picture writes it for each single answer: the pictures of
/// one catalogue, language, id prefix and place share them. A municipality's picture is
/// mostly its 88 shapes, each the same markup wherever that answer is given, so a site
/// writes them once and copies them into each picture ([`render_with`]). Shapes of several
/// answers (a county's or the nation's picture) are drawn each time.
#[derive(Debug, Default)]
pub(crate) struct Shapes {
    /// Per indicator (in catalogue order), its markup for helt, delvis, inte and
    /// obesvarad ([`ANSWER_ORDER`]).
    by_indicator: Vec<[String; 4]>,
}

impl Shapes {
    /// The shapes of `catalog`'s pictures with `labels`' words (their title and summary do
    /// not matter), `id_prefix` and `place`: written by the very code that writes a picture.
    pub(crate) fn new(
        catalog: &Catalog,
        labels: &Labels<'_>,
        id_prefix: &str,
        place: Place,
    ) -> Shapes {
        let layout = Layout::new(catalog, labels);
        let prefix = id_safe(id_prefix);
        let mut by_indicator = vec![<[String; 4]>::default(); catalog.indicators.len()];
        for (slot, answer) in ANSWER_ORDER.into_iter().enumerate() {
            let tallies = vec![Tally::of(answer); catalog.indicators.len()];
            let mut writer = Writer {
                out: String::new(),
                prefix: &prefix,
                catalog,
                tallies: &tallies,
                labels,
                words: labels.answer_words(),
                place,
                shapes: None,
            };
            for shape in &layout.shapes {
                writer.out.clear();
                writer.indicator(shape);
                if let Some(markup) = by_indicator.get_mut(shape.indicator) {
                    markup[slot] = writer.out.clone();
                }
            }
        }
        Shapes { by_indicator }
    }

    /// The markup of an indicator's shape for `tally`, when that is a single answer.
    fn of(&self, indicator: usize, tally: &Tally) -> Option<&str> {
        if tally.total() != 1 {
            return None;
        }
        let markup = self.by_indicator.get(indicator)?;
        Some(markup[dominant(tally)].as_str()).filter(|m| !m.is_empty())
    }
}

/// The picture without its narrow drawing, which lies outside the canvas: what a PNG of it
/// shows, drawn in a fifth less time. Any other SVG is returned as it is.
pub(crate) fn without_narrow(svg: &str) -> Cow<'_, str> {
    // Text is escaped, so `<g id="` only starts markup; the prefix of an id is letters,
    // digits, `-` and `_`.
    let marker = format!(
        "narrow-g\" class=\"narrow\" transform=\"translate({})\"",
        N(NARROW_X)
    );
    let Some(at) = svg.rfind(&marker) else {
        return Cow::Borrowed(svg);
    };
    let Some(start) = svg[..at].rfind("<g id=\"") else {
        return Cow::Borrowed(svg);
    };
    let prefix = &svg[start + 7..at];
    if !prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Cow::Borrowed(svg);
    }
    // What follows the drawing is its <view> and the end of the picture.
    if svg[at..].contains("<view ") && svg.ends_with("</svg>\n") {
        Cow::Owned(format!("{}</svg>\n", &svg[..start]))
    } else {
        Cow::Borrowed(svg)
    }
}

/// The SVG of [`render`] alone.
pub fn render_svg(
    catalog: &Catalog,
    tallies: &[Tally],
    labels: &Labels<'_>,
    id_prefix: &str,
    place: Place,
) -> String {
    render(catalog, tallies, labels, id_prefix, place).svg
}

/// The font of every text, on the root and on the narrow drawing (whose copy in a page's
/// small `<svg>` inherits from there, not from the root).
const FONT: &str = "DejaVu Sans, sans-serif";

/// The least length that [`N`] does not write as 0.
const MIN_SHOWN: f64 = 0.05;

/// A coordinate, written with one decimal at most (and never as `-0`).
pub(crate) struct N(pub(crate) f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written by hand into a buffer: a picture has some 2 000 coordinates, and going
        // through `write!` for each was a tenth of drawing it.
        let signed = (self.0 * 10.0).round() as i64;
        let (negative, tenths) = (signed < 0, signed.unsigned_abs());
        let mut buf = [0u8; 24];
        let mut at = buf.len();
        let mut push = |b: u8| {
            at -= 1;
            buf[at] = b;
        };
        if tenths % 10 != 0 {
            push(b'0' + (tenths % 10) as u8);
            push(b'.');
        }
        let mut whole = tenths / 10;
        loop {
            push(b'0' + (whole % 10) as u8);
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if negative {
            push(b'-');
        }
        // Only ASCII digits, '.' and '-' were written.
        f.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
    }
}

/// A scale factor, with three decimals at most.
struct Scale(f64);

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let thousandths = (self.0 * 1000.0).round() as i64;
        let text = format!("{}.{:03}", thousandths / 1000, thousandths % 1000);
        f.write_str(text.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// Escaped text, for `write!`.
pub(crate) struct E<'a>(pub(crate) &'a str);

impl fmt::Display for E<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(self.0))
    }
}

/// A point, for `write!`: "x y".
struct P((f64, f64));

impl fmt::Display for P {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        N(self.0.0).fmt(f)?;
        f.write_str(" ")?;
        N(self.0.1).fmt(f)
    }
}

/// A shape's turn about its anchor and its place in the picture, applied to its coordinates
/// rather than written as `rotate()` and `translate()`. Under a rotation resvg samples the
/// hatched patterns bicubically, which made drawing a PNG more than twice as slow; and a
/// transform on each of 88 shapes was a fifth of the picture's bytes.
#[derive(Clone, Copy)]
struct Turn {
    degrees: f64,
    sin: f64,
    cos: f64,
    x: f64,
    y: f64,
}

impl Turn {
    fn of(shape: &Shape) -> Turn {
        let (sin, cos) = shape.angle.to_radians().sin_cos();
        Turn {
            degrees: shape.angle,
            sin,
            cos,
            x: shape.x,
            y: shape.y,
        }
    }

    /// A point of the shape's upright frame, turned clockwise about the anchor as SVG's
    /// `rotate()` would (exactly the same point when the shape is not turned: sin 0 and
    /// cos 1), in the picture's coordinates.
    fn point(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.x + x * self.cos - y * self.sin,
            self.y + x * self.sin + y * self.cos,
        )
    }
}

/// Writing to a `String` cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

struct Writer<'a> {
    out: String,
    prefix: &'a str,
    catalog: &'a Catalog,
    tallies: &'a [Tally],
    labels: &'a Labels<'a>,
    words: [&'a str; 4],
    place: Place,
    /// Shapes already written, for single answers.
    shapes: Option<&'a Shapes>,
}

fn counts(tally: &Tally) -> [u32; 4] {
    ANSWER_ORDER.map(|answer| tally.count(answer))
}

/// The most frequent answer (helt before delvis before inte before obesvarad on a tie);
/// obesvarad when nothing was counted.
fn dominant(tally: &Tally) -> usize {
    let counts = counts(tally);
    let mut best = 3;
    for (i, &count) in counts.iter().enumerate() {
        if count > 0 && (count > counts[best] || (count == counts[best] && i < best)) {
            best = i;
        }
    }
    best
}

impl Writer<'_> {
    fn tally(&self, indicator: usize) -> Tally {
        self.tallies.get(indicator).copied().unwrap_or_default()
    }

    fn area_tally(&self, area: usize) -> Tally {
        let mut sum = Tally::default();
        for i in self.catalog.areas[area].indicators.clone() {
            sum.merge(&self.tally(i));
        }
        sum
    }

    fn fill(&self, style: &AnswerStyle) -> String {
        palette::answer_paint(style, self.prefix)
    }

    /// "Uppfyller helt 12, Uppfyller delvis 5, Uppfyller inte 3, Obesvarad 0".
    fn write_counts(&mut self, tally: &Tally) {
        for (i, count) in counts(tally).into_iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            w!(self.out, "{separator}{} {count}", E(self.words[i]));
        }
    }

    fn document(&mut self, layout: &Layout, narrow: &Narrow) {
        let p = self.prefix;
        // No width and height: an <img> of the narrow <view> then takes that view's
        // proportions. Without them the picture is as large as its viewBox.
        let height = if self.labels.credit.is_some() {
            credit::height_with_strip(HEIGHT)
        } else {
            HEIGHT
        };
        w!(
            self.out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" \
             role=\"img\" aria-labelledby=\"{p}title {p}desc\" class=\"flowerbox\" \
             font-family=\"{FONT}\"",
            w = N(WIDTH),
            h = N(height),
        );
        if self.place == Place::Page {
            // Where the page's script finds the indicators' texts: the links to
            // `indikator/{catalogue}/{id}/`.
            w!(self.out, " data-catalog=\"{}\"", E(&self.catalog.id));
        }
        self.out.push_str(">\n");
        w!(
            self.out,
            "<title id=\"{p}title\">{}</title>\n",
            E(self.labels.title)
        );
        w!(
            self.out,
            "<desc id=\"{p}desc\">{}</desc>\n",
            E(self.labels.summary)
        );
        if self.place == Place::File {
            w!(self.out, "<style>{OUTLINE_RULE}</style>\n");
        }
        self.patterns();
        w!(
            self.out,
            "<rect class=\"background\" width=\"{}\" height=\"{}\" fill=\"{BACKGROUND}\"/>\n",
            N(WIDTH),
            N(HEIGHT)
        );
        self.header(layout);
        self.flowers(layout);
        self.grass(layout);
        self.soil(layout);
        if let Some(c) = &self.labels.credit {
            credit::write(&mut self.out, c, WIDTH, HEIGHT);
        }
        self.narrow(narrow);
        self.out.push_str("</svg>\n");
    }

    fn patterns(&mut self) {
        self.out.push_str("<defs>\n");
        palette::answer_patterns(&mut self.out, self.prefix);
        self.out.push_str("</defs>\n");
    }

    fn text(&mut self, block: &TextBlock, class: &str, color: &str) {
        if block.lines.is_empty() {
            return;
        }
        let anchor = match block.anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
        };
        self.out.push_str("<text");
        if !class.is_empty() {
            w!(self.out, " class=\"{class}\"");
        }
        w!(
            self.out,
            " font-size=\"{}\" fill=\"{color}\"{anchor}>",
            N(block.font_size)
        );
        for (i, line) in block.lines.iter().enumerate() {
            let y = block.first_baseline + i as f64 * block.line_height;
            w!(
                self.out,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                N(block.x),
                N(y),
                E(line)
            );
        }
        self.out.push_str("</text>\n");
    }

    fn header(&mut self, layout: &Layout) {
        self.text(&layout.title, "title", INK);
        self.text(&layout.summary, "summary", MUTED_INK);
        self.out.push_str("<g class=\"legend\"><title>");
        for (i, word) in self.words.iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            w!(self.out, "{separator}{}", E(word));
        }
        self.out.push_str("</title>\n");
        self.legend_items(&layout.legend, true);
        self.out.push_str("</g>\n");
    }

    /// Swatches and words; `titled` gives each its own `<title>` and class (the narrow
    /// layout's copy of the legend goes without).
    fn legend_items(&mut self, items: &[LegendItem], titled: bool) {
        for (item, style) in items.iter().zip(ANSWER_STYLES) {
            let fill = self.fill(&style);
            let b = item.swatch;
            if titled {
                w!(
                    self.out,
                    "<g class=\"legend-item answer-{}\"><title>{}</title>",
                    style.key,
                    E(item.text.lines.first().map_or("", String::as_str))
                );
            } else {
                self.out.push_str("<g>");
            }
            w!(
                self.out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"{}\"/>\n",
                N(b.x0),
                N(b.y0),
                N(b.width()),
                N(b.height()),
                N(STROKE),
            );
            self.text(&item.text, if titled { "legend-text" } else { "" }, INK);
            self.out.push_str("</g>\n");
        }
    }

    fn flowers(&mut self, layout: &Layout) {
        if layout.flowers.is_empty() {
            return;
        }
        self.out.push_str("<g class=\"flowers\">\n");
        for flower in &layout.flowers {
            let area = &self.catalog.areas[flower.area];
            w!(
                self.out,
                "<g class=\"flower\" data-area=\"{}\"><title>{}</title>\n",
                E(&area.id),
                E(area.name_in(self.labels.language).0)
            );
            // The flower without its name tag, which the narrow layout shows by `<use>`.
            w!(self.out, "<g id=\"{}a{}\">\n", self.prefix, flower.area);
            let stem_width = (flower.disk_radius * 0.22).clamp(2.0, 4.0);
            w!(
                self.out,
                "<path class=\"stem\" d=\"M{x} {top}V{bottom}\" stroke=\"{STEM}\" stroke-width=\"{}\" stroke-linecap=\"round\"/>\n",
                N(stem_width),
                x = N(flower.center.0),
                top = N(flower.center.1),
                bottom = N(flower.stem_bottom),
            );
            // Leaves behind petals; petals come first in the layout.
            let shapes = &layout.shapes[flower.shapes.clone()];
            for shape in shapes.iter().filter(|s| s.kind == Kind::Leaf) {
                self.indicator(shape);
            }
            for shape in shapes.iter().filter(|s| s.kind == Kind::Petal) {
                self.indicator(shape);
            }
            w!(
                self.out,
                "<circle class=\"disk\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{FLOWER_DISK}\" stroke=\"{INK}\" stroke-width=\"{}\"/>\n",
                N(flower.center.0),
                N(flower.center.1),
                N(flower.disk_radius),
                N(STROKE),
            );
            self.bar(&flower.bar);
            self.out.push_str("</g>\n");
            self.name_tag(flower.tag, &flower.label, true);
            self.out.push_str("</g>\n");
        }
        self.out.push_str("</g>\n");
    }

    /// A flower's name on its tag; `classed` marks both for the wide picture's styles.
    fn name_tag(&mut self, tag: BBox, label: &TextBlock, classed: bool) {
        if label.lines.is_empty() {
            return;
        }
        w!(
            self.out,
            "<rect{} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{TAG}\" stroke=\"{TAG_EDGE}\"/>\n",
            if classed { " class=\"tag\"" } else { "" },
            N(tag.x0),
            N(tag.y0),
            N(tag.width()),
            N(tag.height()),
        );
        self.text(label, if classed { "label" } else { "" }, INK);
    }

    /// The wooden box the soil lies in.
    fn soil_box(&mut self, b: BBox, classed: bool) {
        let half = FRAME / 2.0;
        w!(
            self.out,
            "<rect{} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{SOIL}\" stroke=\"{SOIL_FRAME}\" stroke-width=\"{}\"/>\n",
            if classed { " class=\"box\"" } else { "" },
            N(b.x0 + half),
            N(b.y0 + half),
            N(b.width() - FRAME),
            N(b.height() - FRAME),
            N(FRAME),
        );
    }

    fn grass(&mut self, layout: &Layout) {
        if layout.grass.is_empty() {
            return;
        }
        w!(
            self.out,
            "<g class=\"grass\"><title>{}</title>\n",
            E(self.labels.grass)
        );
        self.segments(layout, &layout.grass);
        self.out.push_str("</g>\n");
    }

    fn soil(&mut self, layout: &Layout) {
        w!(
            self.out,
            "<g class=\"soil\"><title>{}</title>\n",
            E(self.labels.soil)
        );
        self.soil_box(layout.soil_box, true);
        self.segments(layout, &layout.soil);
        self.out.push_str("</g>\n");
    }

    fn segments(&mut self, layout: &Layout, segments: &[layout::StripSegment]) {
        for segment in segments {
            let area = &self.catalog.areas[segment.area];
            w!(
                self.out,
                "<g class=\"area\" data-area=\"{}\" id=\"{}a{}\"><title>{}</title>\n",
                E(&area.id),
                self.prefix,
                segment.area,
                E(area.name_in(self.labels.language).0)
            );
            self.text(&segment.caption, "caption", INK);
            self.bar(&segment.bar);
            for shape in &layout.shapes[segment.shapes.clone()] {
                self.indicator(shape);
            }
            self.out.push_str("</g>\n");
        }
    }

    /// A bar of the area's answers, helt at the bottom.
    fn bar(&mut self, bar: &Bar) {
        let tally = self.area_tally(bar.area);
        let area = &self.catalog.areas[bar.area];
        w!(
            self.out,
            "<g class=\"bar\" data-area=\"{}\" id=\"{}b{}\"><title>{}: ",
            E(&area.id),
            self.prefix,
            bar.area,
            E(area.name_in(self.labels.language).0)
        );
        self.write_counts(&tally);
        self.out.push_str("</title>");
        let b = bar.bbox;
        let total = tally.total();
        if total > 0 {
            let mut below = 0u32;
            for (style, count) in ANSWER_STYLES.iter().zip(counts(&tally)) {
                if count == 0 {
                    continue;
                }
                let bottom = b.y1 - b.height() * f64::from(below) / f64::from(total);
                below += count;
                let top = b.y1 - b.height() * f64::from(below) / f64::from(total);
                // A share too small to show would be written as a rect of height 0, which
                // renderers warn about (a county's thousands of answers, one of them inte).
                if bottom - top < MIN_SHOWN {
                    continue;
                }
                let fill = self.fill(style);
                w!(
                    self.out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
                    N(b.x0),
                    N(top),
                    N(b.width()),
                    N(bottom - top),
                );
            }
        }
        w!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"{}\"/></g>\n",
            N(b.x0),
            N(b.y0),
            N(b.width()),
            N(b.height()),
            N(STROKE),
        );
    }

    /// The layout for narrow screens, at [`NARROW_X`]: its own texts, tags and soil box, and
    /// the wide drawing's flowers, bars, blades and stones by `<use>`.
    fn narrow(&mut self, narrow: &Narrow) {
        let p = self.prefix;
        w!(
            self.out,
            "<g id=\"{p}narrow-g\" class=\"narrow\" transform=\"translate({})\" font-family=\"{FONT}\">\n",
            N(NARROW_X)
        );
        // The windows onto the grass and soil, in the wide drawing's coordinates.
        self.out.push_str("<defs>");
        for (k, window) in narrow
            .grass
            .iter()
            .chain(&narrow.soil)
            .flat_map(|s| &s.windows)
            .enumerate()
        {
            w!(self.out, "<clipPath id=\"{p}w{k}\">");
            for b in &window.clip {
                w!(
                    self.out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    N(b.x0),
                    N(b.y0),
                    N(b.width()),
                    N(b.height())
                );
            }
            self.out.push_str("</clipPath>");
        }
        self.out.push_str("</defs>\n");
        w!(
            self.out,
            "<rect width=\"{}\" height=\"{}\" fill=\"{BACKGROUND}\"/>\n",
            N(NARROW_WIDTH),
            N(narrow.height)
        );
        self.text(&narrow.title, "", INK);
        self.text(&narrow.summary, "", MUTED_INK);
        self.legend_items(&narrow.legend, false);
        for flower in &narrow.flowers {
            self.use_placed(&format!("a{}", flower.area), &flower.placement, None);
            self.name_tag(flower.tag, &flower.label, false);
        }
        let mut window = 0;
        for strip in &narrow.grass {
            self.narrow_strip(strip, &mut window);
        }
        if let Some(b) = narrow.soil_box {
            self.soil_box(b, false);
        }
        for strip in &narrow.soil {
            self.narrow_strip(strip, &mut window);
        }
        self.out.push_str("</g>\n");
        w!(
            self.out,
            "<view id=\"{p}narrow\" viewBox=\"{} 0 {} {}\"/>\n",
            N(NARROW_X),
            N(NARROW_WIDTH),
            N(narrow.height)
        );
    }

    fn narrow_strip(&mut self, strip: &NarrowStrip, window: &mut usize) {
        self.text(&strip.caption, "", INK);
        self.use_placed(&format!("b{}", strip.area), &strip.bar, None);
        for placed in &strip.windows {
            let clip = format!("w{window}");
            self.use_placed(&format!("a{}", strip.area), &placed.placement, Some(&clip));
            *window += 1;
        }
    }

    /// `<use>` of the element with id `{prefix}{id}`, scaled and moved.
    fn use_placed(&mut self, id: &str, placement: &Placement, clip: Option<&str>) {
        let p = self.prefix;
        w!(
            self.out,
            "<use href=\"#{p}{id}\" transform=\"matrix({s} 0 0 {s} {} {})\"",
            N(placement.dx),
            N(placement.dy),
            s = Scale(placement.scale),
        );
        if let Some(clip) = clip {
            w!(self.out, " clip-path=\"url(#{p}{clip})\"");
        }
        self.out.push_str("/>\n");
    }

    fn indicator(&mut self, shape: &Shape) {
        let tally = self.tally(shape.indicator);
        if let Some(markup) = self.shapes.and_then(|s| s.of(shape.indicator, &tally)) {
            self.out.push_str(markup);
            return;
        }
        let indicator = &self.catalog.indicators[shape.indicator];
        let main = dominant(&tally);
        w!(
            self.out,
            "<g class=\"indicator {} answer-{}\" data-indicator=\"{}\"",
            shape.kind.class(),
            ANSWER_STYLES[main].key,
            E(&indicator.id),
        );
        // A page's shapes take keyboard focus, which shows their tooltip; a picture's own
        // file is shown as an image or drawn to a PNG.
        match self.place {
            Place::File => w!(
                self.out,
                "><title>{}: {} — ",
                E(&indicator.id),
                E(indicator.text_in(self.labels.language).0)
            ),
            Place::Page => w!(self.out, " tabindex=\"0\"><title>{}: ", E(&indicator.id)),
        }
        if tally.total() == 1 {
            w!(self.out, "{}", E(self.words[main]));
        } else {
            self.write_counts(&tally);
        }
        self.out.push_str("</title>");
        // The outline's stroke comes from the picture's style rule, on the group.
        if tally.total() <= 1 {
            let paint = format!(" fill=\"{}\"", self.fill(&ANSWER_STYLES[main]));
            outline(&mut self.out, shape, &paint);
        } else {
            self.bands(shape, &tally);
            outline(&mut self.out, shape, " fill=\"none\"");
        }
        self.out.push_str("</g>\n");
    }

    /// Bands across the shape's axis from its base, one per answer, with areas in proportion
    /// to the counts: each band is the part of the outline between two lines across the
    /// axis, drawn as exact geometry (the outline's own arcs and curves between the lines).
    /// Clipped bands would draw the same, but a clip makes resvg draw the shape on a layer of
    /// its own and a mask, which cost a county's picture three times as much to draw.
    fn bands(&mut self, shape: &Shape, tally: &Tally) {
        // The bands have no outline of their own: the group's stroke stops here. They are
        // one layer for the rasteriser: a layer each would cost more than it saves.
        let (attribute, value) = crate::render::png::WHOLE_LAYER;
        w!(self.out, "<g stroke=\"none\" {attribute}=\"{value}\">");
        let total = f64::from(tally.total());
        let sides = Sides::of(shape);
        let mut below = 0u32;
        let mut boundaries = Vec::with_capacity(3);
        for (style, count) in ANSWER_STYLES.iter().zip(counts(tally)) {
            if count == 0 {
                continue;
            }
            let from = shape.axis_at_area(f64::from(below) / total);
            below += count;
            let to = shape.axis_at_area(f64::from(below) / total);
            let fill = self.fill(style);
            self.out.push_str("<path d=\"");
            sides.band(&mut self.out, from, to);
            w!(self.out, "\" fill=\"{fill}\"/>");
            if below < tally.total() {
                boundaries.push(to);
            }
        }
        // A thin line between bands, so that neighbouring bands read apart.
        for at in boundaries {
            let (left, right) = sides.across(at);
            w!(
                self.out,
                "<path d=\"M{}L{}\" stroke=\"{INK}\" stroke-width=\"0.7\"/>",
                P(left),
                P(right),
            );
        }
        self.out.push_str("</g>");
    }
}

/// The outline of a shape, turned by its angle, as an SVG element without paint.
fn outline(out: &mut String, shape: &Shape, paint: &str) {
    match Sides::of(shape) {
        Sides::Ellipse(ellipse) if ellipse.turn.degrees == 0.0 => w!(
            out,
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"{paint}/>",
            N(ellipse.turn.x),
            N(ellipse.turn.y + ellipse.centre()),
            N(ellipse.rx),
            N(ellipse.ry())
        ),
        Sides::Ellipse(ellipse) => {
            let turn = &ellipse.turn;
            // A quarter of the ellipse from the end of its turned horizontal axis to its
            // tip, then the other three quarters back. Not two halves: an arc between
            // opposite ends of an axis puts its ellipse's centre anywhere along the
            // other axis for a rounding of the ends, and the halves came out up to two
            // pixels apart.
            let arc = format!("A{} {} {}", N(ellipse.rx), N(ellipse.ry()), N(turn.degrees));
            w!(
                out,
                "<path d=\"M{side}{arc} 0 1 {tip}{arc} 1 1 {side}Z\"{paint}/>",
                side = P(turn.point(-ellipse.rx, ellipse.centre())),
                tip = P(turn.point(0.0, ellipse.tip)),
            )
        }
        Sides::Curves { turn, left, right } => {
            let at = |(x, y): (f64, f64)| P(turn.point(x, y));
            w!(
                out,
                "<path d=\"M{}Q{} {}Q{} {}Z\"{paint}/>",
                at(left[0]),
                at(left[1]),
                at(left[2]),
                at(right[1]),
                at(right[2]),
            )
        }
    }
}

/// A shape's outline as its two sides from base to tip, for the bands across its axis.
enum Sides {
    /// Half an ellipse each side.
    Ellipse(Ellipse),
    /// A quadratic curve each side, the left from base to tip and the right from tip to base,
    /// in the shape's upright frame. The middle control point is halfway along the axis, so
    /// a point's height is in proportion to its place on the curve.
    Curves {
        turn: Turn,
        left: [(f64, f64); 3],
        right: [(f64, f64); 3],
    },
}

/// An upright ellipse `rx` across, along the axis from `base` to `tip` (heights in the
/// shape's upright frame; `base` is the larger), turned by `turn`.
struct Ellipse {
    turn: Turn,
    rx: f64,
    base: f64,
    tip: f64,
}

impl Ellipse {
    fn centre(&self) -> f64 {
        (self.base + self.tip) / 2.0
    }

    /// The radius along the axis.
    fn ry(&self) -> f64 {
        (self.base - self.tip) / 2.0
    }
}

impl Sides {
    /// The sides of `shape`'s outline: the one description of its geometry, which
    /// [`outline`] and the bands both draw.
    fn of(shape: &Shape) -> Sides {
        let (l, wd, s) = (shape.length, shape.width, shape.start);
        let turn = Turn::of(shape);
        let mid = -(s + l / 2.0);
        let (base, tip) = (-s, -(s + l));
        match shape.kind {
            Kind::Petal | Kind::Stone => Sides::Ellipse(Ellipse {
                turn,
                rx: wd / 2.0,
                base,
                tip,
            }),
            Kind::Leaf => Sides::Curves {
                turn,
                left: [(0.0, base), (-wd, mid), (0.0, tip)],
                right: [(0.0, tip), (wd, mid), (0.0, base)],
            },
            Kind::Blade => {
                let (half, bend) = (wd / 2.0, shape.bend);
                Sides::Curves {
                    turn,
                    left: [(-half, base), (-half / 2.0, mid), (bend, tip)],
                    right: [(bend, tip), (half / 2.0, mid), (half, base)],
                }
            }
        }
    }

    /// The ends, in the picture, of the line across the shape at `at` of its axis (0 the
    /// base, 1 the tip): left, then right.
    fn across(&self, at: f64) -> ((f64, f64), (f64, f64)) {
        match self {
            Sides::Ellipse(ellipse) => {
                let y = ellipse.base + (ellipse.tip - ellipse.base) * at;
                let across = (y - ellipse.centre()) / ellipse.ry();
                let half = ellipse.rx * (1.0 - across * across).max(0.0).sqrt();
                let turn = &ellipse.turn;
                (turn.point(-half, y), turn.point(half, y))
            }
            Sides::Curves { turn, left, right } => {
                // The part of a curve from `at` to `at` is its point there.
                let l = control_between(left, at, at);
                let r = control_between(right, 1.0 - at, 1.0 - at);
                (turn.point(l.0, l.1), turn.point(r.0, r.1))
            }
        }
    }

    /// Writes the path data of the part of the outline from `from` to `to` of its axis:
    /// across at `from`, up the right side, back across at `to`, down the left side.
    fn band(&self, out: &mut String, from: f64, to: f64) {
        let ((from_left, from_right), (to_left, to_right)) = (self.across(from), self.across(to));
        match self {
            Sides::Ellipse(ellipse) => {
                // Each side's part is less than half the ellipse, drawn against the clock.
                let (rx, ry, degrees) = (ellipse.rx, ellipse.ry(), ellipse.turn.degrees);
                let arc = format!("A{} {} {} 0 0", N(rx), N(ry), N(degrees));
                w!(
                    out,
                    "M{}L{}{arc} {}L{}{arc} {}Z",
                    P(from_left),
                    P(from_right),
                    P(to_right),
                    P(to_left),
                    P(from_left),
                );
            }
            Sides::Curves { turn, left, right } => {
                let on = |curve: &[(f64, f64); 3], a: f64, b: f64| {
                    let c = control_between(curve, a, b);
                    turn.point(c.0, c.1)
                };
                w!(
                    out,
                    "M{}L{}Q{} {}L{}Q{} {}Z",
                    P(from_left),
                    P(from_right),
                    P(on(right, 1.0 - from, 1.0 - to)),
                    P(to_right),
                    P(to_left),
                    P(on(left, to, from)),
                    P(from_left),
                );
            }
        }
    }
}

/// The control point of the part of the quadratic curve through `p` from `a` to `b`: the
/// same curve, exactly (its blossom; from `t` to `t` it is the curve's point at `t`).
fn control_between(p: &[(f64, f64); 3], a: f64, b: f64) -> (f64, f64) {
    let (w0, w1, w2) = ((1.0 - a) * (1.0 - b), (1.0 - a) * b + a * (1.0 - b), a * b);
    (
        w0 * p[0].0 + w1 * p[1].0 + w2 * p[2].0,
        w0 * p[0].1 + w1 * p[1].1 + w2 * p[2].1,
    )
}

#[cfg(test)]
mod tests;
