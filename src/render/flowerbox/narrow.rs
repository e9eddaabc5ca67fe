//! The layout for narrow screens: the same picture rearranged into a tall canvas, flowers in
//! rows of up to three, grass and soil folded into rows, with every text at least
//! [`MIN_FONT`] units high.
//!
//! It costs few bytes: the flowers, bars, blades and stones are not drawn again but shown
//! with `<use>` from the wide drawing, scaled and moved (the grass and soil in windows cut
//! along the edges of their cells, so no shape is cut). Only the texts, name tags and
//! the soil box are drawn anew, at sizes that stay readable on a phone.
//!
//! The narrow drawing lies in the picture's own coordinates at [`NARROW_X`], far outside the
//! wide canvas, where no viewer of the wide picture ever sees it. A `<view>` of it lets an
//! `<img>` show it (`blomlada.svg#…narrow`); a page that inlines the picture shows it with a
//! small second `<svg>` that uses it.

use std::ops::Range;

use crate::model::{Catalog, Language};

use super::Labels;
use super::layout::{Anchor, BBox, Layout, LegendItem, STROKE, StripSegment, TextBlock};
use super::text::{text_width, truncate, wrap};

/// Width of the narrow canvas. At 390 CSS px a phone shows it about 340 px wide, so that a
/// unit is drawn at about 0.95 px.
pub(crate) const NARROW_WIDTH: f64 = 360.0;
/// Where the narrow drawing starts in the picture's coordinates: far enough right of the wide
/// canvas that no window, however wide, shows it beside the wide picture.
pub(crate) const NARROW_X: f64 = 20000.0;
/// The smallest text of the narrow layout, in units of its canvas.
pub(crate) const MIN_FONT: f64 = 14.0;

const MARGIN: f64 = 8.0;
const TITLE_FONT: f64 = 20.0;
const SWATCH: f64 = 16.0;
const GAP: f64 = 12.0;
/// Flowers that are small in the wide picture (many of them) grow, up to this much.
const MAX_SCALE: f64 = 1.6;
/// Grass and soil fold into as many rows as keep their shapes at least this scale.
const MIN_STRIP_SCALE: f64 = 0.5;

/// A part of the wide drawing shown scaled by `scale` and moved by `(dx, dy)`:
/// narrow = scale · wide + (dx, dy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placement {
    pub scale: f64,
    pub dx: f64,
    pub dy: f64,
}

impl Placement {
    /// The placement that puts the point `from` of the wide drawing at `to`.
    fn moving(scale: f64, from: (f64, f64), to: (f64, f64)) -> Placement {
        Placement {
            scale,
            dx: to.0 - scale * from.0,
            dy: to.1 - scale * from.1,
        }
    }

    #[cfg(test)]
    pub(crate) fn apply(&self, b: &BBox) -> BBox {
        BBox {
            x0: self.scale * b.x0 + self.dx,
            y0: self.scale * b.y0 + self.dy,
            x1: self.scale * b.x1 + self.dx,
            y1: self.scale * b.y1 + self.dy,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NarrowFlower {
    pub area: usize,
    /// Where the flower's drawing (head, stem, leaves and bar, without its name tag) goes.
    pub placement: Placement,
    /// The flower's drawing in the wide picture.
    pub source: BBox,
    pub tag: BBox,
    pub label: TextBlock,
}

/// A piece of a grass or soil area: the cells `clip` (in the wide picture's coordinates)
/// shown at `placement`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Window {
    pub clip: Vec<BBox>,
    pub placement: Placement,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NarrowStrip {
    pub area: usize,
    pub caption: TextBlock,
    pub bar: Placement,
    pub windows: Vec<Window>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Narrow {
    pub height: f64,
    pub title: TextBlock,
    pub summary: TextBlock,
    pub legend: Vec<LegendItem>,
    pub flowers: Vec<NarrowFlower>,
    pub grass: Vec<NarrowStrip>,
    /// The soil box, when there is soil.
    pub soil_box: Option<BBox>,
    pub soil: Vec<NarrowStrip>,
}

impl Narrow {
    pub(crate) fn new(catalog: &Catalog, labels: &Labels<'_>, wide: &Layout) -> Narrow {
        let inner = NARROW_WIDTH - 2.0 * MARGIN;
        let mut y = 10.0;
        let title = wrapped(labels.title, MARGIN, y, TITLE_FONT, inner, 2);
        y = title.bbox.y1.max(y) + 4.0;
        let summary = wrapped(labels.summary, MARGIN, y, MIN_FONT, inner, 3);
        y = summary.bbox.y1.max(y) + 10.0;
        let (legend, legend_bottom) = legend(labels, y, inner);
        y = legend_bottom + GAP;

        let (flowers, flowers_bottom) = flowers(catalog, labels.language, wide, y, inner);
        y = flowers_bottom;
        let strip_scale = flowers
            .first()
            .map_or(0.6, |f| f.placement.scale.clamp(MIN_STRIP_SCALE, 0.8));
        let mut grass = Vec::with_capacity(wide.grass.len());
        for segment in &wide.grass {
            let (strip, bottom) = strip(
                catalog,
                labels.language,
                labels.grass,
                segment,
                y,
                strip_scale,
            );
            grass.push(strip);
            y = bottom + GAP;
        }
        let mut soil = Vec::with_capacity(wide.soil.len());
        let soil_top = y;
        y += 6.0;
        for segment in &wide.soil {
            let (strip, bottom) = strip(
                catalog,
                labels.language,
                labels.soil,
                segment,
                y,
                strip_scale,
            );
            soil.push(strip);
            y = bottom + 6.0;
        }
        let soil_box = (!soil.is_empty()).then_some(BBox {
            x0: 2.0,
            y0: soil_top,
            x1: NARROW_WIDTH - 2.0,
            y1: y + 2.0,
        });
        let height = soil_box.map_or(y, |b| b.y1 + 6.0).ceil();
        Narrow {
            height,
            title,
            summary,
            legend,
            flowers,
            grass,
            soil_box,
            soil,
        }
    }

    /// Every text block, for tests of their sizes.
    #[cfg(test)]
    pub(crate) fn texts(&self) -> Vec<&TextBlock> {
        let mut texts = vec![&self.title, &self.summary];
        texts.extend(self.legend.iter().map(|i| &i.text));
        texts.extend(self.flowers.iter().map(|f| &f.label));
        texts.extend(self.grass.iter().chain(&self.soil).map(|s| &s.caption));
        texts
    }
}

fn wrapped(text: &str, x: f64, top: f64, size: f64, width: f64, lines: usize) -> TextBlock {
    let lines = if text.trim().is_empty() {
        Vec::new()
    } else {
        wrap(text, size, width, lines)
    };
    TextBlock::new(lines, x, top, size, Anchor::Start)
}

/// Two columns of two: helt, delvis over inte, obesvarad. Returns the items and their bottom.
fn legend(labels: &Labels<'_>, top: f64, width: f64) -> (Vec<LegendItem>, f64) {
    let words = [labels.helt, labels.delvis, labels.inte, labels.obesvarad];
    let column = width / 2.0;
    let row_height = 24.0;
    let items = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let x = MARGIN + (i % 2) as f64 * column;
            let y = top + (i / 2) as f64 * row_height;
            let line = truncate(word, MIN_FONT, column - SWATCH - 6.0 - 6.0);
            let text_top = y + SWATCH / 2.0 - TextBlock::height_of(1, MIN_FONT) / 2.0 + 0.5;
            LegendItem {
                swatch: BBox::new(x, y, SWATCH, SWATCH),
                text: TextBlock::new(
                    vec![line],
                    x + SWATCH + 6.0,
                    text_top,
                    MIN_FONT,
                    Anchor::Start,
                ),
            }
        })
        .collect();
    (items, top + row_height + SWATCH)
}

/// Flowers in rows of up to three (two when there are four), each under its own name tag
/// in readable type. Returns them and the bottom of the last row.
fn flowers(
    catalog: &Catalog,
    language: Language,
    wide: &Layout,
    top: f64,
    width: f64,
) -> (Vec<NarrowFlower>, f64) {
    let n = wide.flowers.len();
    if n == 0 {
        return (Vec::new(), top);
    }
    let columns = match n {
        1..=3 => n,
        4 => 2,
        _ => 3,
    };
    let cell_width = width / columns as f64;
    // The flower's drawing in the wide picture: head, stem, leaves and bar, without its tag.
    let source = |flower: &super::layout::FlowerLayout| BBox {
        x0: flower.center.0 - flower.reach,
        y0: flower.center.1 - flower.radius - STROKE,
        x1: flower.center.0 + flower.reach,
        y1: flower.stem_bottom,
    };
    // One scale for all, so that flowers of the same size in the wide picture stay alike.
    let scale = wide
        .flowers
        .iter()
        .map(|f| (cell_width - 4.0) / source(f).width())
        .fold(MAX_SCALE, f64::min);
    let mut laid_out = Vec::with_capacity(n);
    let mut y = top;
    for row in wide.flowers.chunks(columns) {
        let label_width = cell_width - 12.0;
        let lines: Vec<Vec<String>> = row
            .iter()
            .map(|f| {
                wrap(
                    catalog.areas[f.area].label_in(language).0,
                    MIN_FONT,
                    label_width,
                    2,
                )
            })
            .collect();
        let tag_lines = lines.iter().map(Vec::len).max().unwrap_or(0);
        let tag_height = if tag_lines == 0 {
            0.0
        } else {
            TextBlock::height_of(tag_lines, MIN_FONT) + 8.0
        };
        let row_left = MARGIN + (width - cell_width * row.len() as f64) / 2.0;
        let mut row_bottom = y;
        for (column, (flower, lines)) in row.iter().zip(lines).enumerate() {
            let source = source(flower);
            let centre = row_left + cell_width * (column as f64 + 0.5);
            let placement = Placement::moving(scale, (flower.center.0, source.y0), (centre, y));
            let ground = y + scale * source.height();
            let text_width = lines
                .iter()
                .map(|l| text_width(l, MIN_FONT))
                .fold(0.0, f64::max);
            let own_height = if lines.is_empty() {
                0.0
            } else {
                TextBlock::height_of(lines.len(), MIN_FONT) + 8.0
            };
            let tag = BBox::new(
                centre - (text_width + 12.0) / 2.0,
                ground,
                if lines.is_empty() {
                    0.0
                } else {
                    text_width + 12.0
                },
                own_height,
            );
            let label = TextBlock::new(lines, centre, ground + 4.0, MIN_FONT, Anchor::Middle);
            row_bottom = row_bottom.max(ground + tag_height);
            laid_out.push(NarrowFlower {
                area: flower.area,
                placement,
                source,
                tag,
                label,
            });
        }
        y = row_bottom + GAP;
    }
    (laid_out, y)
}

/// A grass or soil area: its caption on a line of its own, then its bar beside its cells
/// folded into as few rows as keep them at least [`MIN_STRIP_SCALE`]. Returns it and its
/// bottom.
fn strip(
    catalog: &Catalog,
    language: Language,
    fallback: &str,
    segment: &StripSegment,
    top: f64,
    preferred_scale: f64,
) -> (NarrowStrip, f64) {
    let inner = NARROW_WIDTH - 2.0 * MARGIN;
    let label = catalog.areas[segment.area].label_in(language).0;
    let label = if label.trim().is_empty() {
        fallback
    } else {
        label
    };
    let caption = wrapped(label, MARGIN + 4.0, top, MIN_FONT, inner - 8.0, 2);
    let y = caption.bbox.y1.max(top) + 6.0;

    let grid = segment.grid;
    let bar = segment.bar.bbox;
    let room = inner - 4.0 - bar.width() * preferred_scale - 8.0;
    // The width of `columns` cells, with the shift of the staggered rows.
    let span = |columns: usize| columns as f64 * grid.cell_width + grid.stagger;
    let columns = grid.columns.max(1);
    let rows = (1..=columns)
        .find(|&rows| room / span(columns.div_ceil(rows)) >= MIN_STRIP_SCALE)
        .unwrap_or(columns);
    let per_row = columns.div_ceil(rows);
    let scale = (room / span(per_row)).min(preferred_scale).min(MAX_SCALE);
    let left = MARGIN + 4.0 + bar.width() * scale + 8.0;
    let row_height = grid.region.height() * scale;
    let windows: Vec<Window> = (0..columns)
        .step_by(per_row)
        .enumerate()
        .map(|(row, first)| {
            let cells: Range<usize> = first..(first + per_row).min(columns);
            let mut clip = grid.column_cells(cells);
            // Room above and below for the outlines; the cuts between cells stay exact.
            if let Some(first) = clip.first_mut() {
                first.y0 -= 2.0;
            }
            if let Some(last) = clip.last_mut() {
                last.y1 += 2.0;
            }
            let x0 = clip.iter().map(|c| c.x0).fold(f64::MAX, f64::min);
            Window {
                placement: Placement::moving(
                    scale,
                    (x0, grid.region.y0),
                    (left, y + row as f64 * (row_height + 4.0)),
                ),
                clip,
            }
        })
        .collect();
    let rows_height = windows.len() as f64 * (row_height + 4.0) - 4.0;
    // The bar stands beside the rows, at its own proportions, at the bottom.
    let bar_scale = (rows_height / bar.height())
        .min(scale.max(0.6))
        .min(MAX_SCALE);
    let bar_placement =
        Placement::moving(bar_scale, (bar.x0, bar.y1), (MARGIN + 4.0, y + rows_height));
    (
        NarrowStrip {
            area: segment.area,
            caption,
            bar: bar_placement,
            windows,
        },
        y + rows_height,
    )
}
