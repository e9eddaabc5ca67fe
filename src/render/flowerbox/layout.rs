//! Where everything goes. The layout depends only on the catalogue and the labels, never on
//! the answers, so every picture of one catalogue has the same shapes in the same places.
//!
//! Every shape and text block has a bounding box; tests use them to prove that nothing
//! overlaps across flowers, grass and soil, and that everything stays inside the canvas.

use std::f64::consts::PI;
use std::ops::Range;

use crate::model::{Catalog, Language, Level, Part};

use super::Labels;
use super::text::{text_width, truncate, wrap};

/// The canvas: the 1200 × 630 of an Open Graph image.
pub(crate) const WIDTH: f64 = 1200.0;
pub(crate) const HEIGHT: f64 = 630.0;
/// Width of the outline of every shape.
pub(crate) const STROKE: f64 = 1.3;

const MARGIN: f64 = 16.0;
const FLOWERS_TOP: f64 = 80.0;
const GRASS_TOP: f64 = 424.0;
const SOIL_TOP: f64 = 514.0;
const SOIL_BOTTOM: f64 = 622.0;
/// Thickness of the wooden frame of the box around the soil.
pub(crate) const FRAME: f64 = 5.0;
/// At most this many flowers in a row; more make a second row.
const FLOWERS_PER_ROW: usize = 7;
/// A flower never gets a wider cell than this, so that a few flowers stay together.
const MAX_CELL_WIDTH: f64 = 260.0;
const MAX_HEAD_RADIUS: f64 = 110.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BBox {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl BBox {
    pub(super) fn new(x: f64, y: f64, width: f64, height: f64) -> BBox {
        BBox {
            x0: x,
            y0: y,
            x1: x + width,
            y1: y + height,
        }
    }

    pub(super) fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub(super) fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    #[cfg(test)]
    /// True when the interiors overlap (touching edges do not count).
    pub(super) fn intersects(&self, other: &BBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    #[cfg(test)]
    pub(super) fn contains(&self, other: &BBox) -> bool {
        self.x0 <= other.x0 && other.x1 <= self.x1 && self.y0 <= other.y0 && other.y1 <= self.y1
    }

    #[cfg(test)]
    pub(crate) fn inflate(&self, by: f64) -> BBox {
        BBox {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }

    #[cfg(test)]
    fn of_points(points: impl IntoIterator<Item = (f64, f64)>) -> BBox {
        let mut b = BBox {
            x0: f64::MAX,
            y0: f64::MAX,
            x1: f64::MIN,
            y1: f64::MIN,
        };
        for (x, y) in points {
            b.x0 = b.x0.min(x);
            b.y0 = b.y0.min(y);
            b.x1 = b.x1.max(x);
            b.y1 = b.y1.max(y);
        }
        b
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Petal,
    Leaf,
    Blade,
    Stone,
}

impl Kind {
    pub(super) fn class(self) -> &'static str {
        match self {
            Kind::Petal => "petal",
            Kind::Leaf => "leaf",
            Kind::Blade => "blade",
            Kind::Stone => "stone",
        }
    }
}

/// One indicator's shape. It is drawn in a local frame, `translate(x y) rotate(angle)`, in
/// which its axis runs upwards (towards −y) from `start` to `start + length`; bands of an
/// aggregate are stacked along that axis from its base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shape {
    pub indicator: usize,
    pub kind: Kind,
    pub x: f64,
    pub y: f64,
    /// Degrees, clockwise.
    pub angle: f64,
    pub start: f64,
    pub length: f64,
    /// Full width at the widest (for a blade: at its base).
    pub width: f64,
    /// A blade's tip leans this far sideways.
    pub bend: f64,
}

#[cfg(test)]
const OUTLINE_SAMPLES: usize = 32;

impl Shape {
    #[cfg(test)]
    /// Points along the outline, in the local frame.
    fn local_outline(&self) -> Vec<(f64, f64)> {
        let (l, w) = (self.length, self.width);
        match self.kind {
            Kind::Petal | Kind::Stone => {
                let cy = -(self.start + l / 2.0);
                (0..OUTLINE_SAMPLES)
                    .map(|i| {
                        let t = 2.0 * PI * i as f64 / OUTLINE_SAMPLES as f64;
                        (w / 2.0 * t.cos(), cy + l / 2.0 * t.sin())
                    })
                    .collect()
            }
            Kind::Leaf => (0..=OUTLINE_SAMPLES)
                .flat_map(|i| {
                    let s = i as f64 / OUTLINE_SAMPLES as f64;
                    let half = 2.0 * w * s * (1.0 - s);
                    let y = -(self.start + l * s);
                    [(-half, y), (half, y)]
                })
                .collect(),
            Kind::Blade => (0..=OUTLINE_SAMPLES)
                .flat_map(|i| {
                    let s = i as f64 / OUTLINE_SAMPLES as f64;
                    let (left, right) = self.blade_edges(s);
                    let y = -(self.start + l * s);
                    [(left, y), (right, y)]
                })
                .collect(),
        }
    }

    #[cfg(test)]
    /// x of a blade's left and right edge at axis fraction `s`: quadratic Béziers that rise
    /// straight and bend towards the tip; the width shrinks linearly, as in a triangle.
    pub(super) fn blade_edges(&self, s: f64) -> (f64, f64) {
        let half = self.width / 2.0;
        let bend = self.bend;
        let quad = |p0: f64, p1: f64, p2: f64| {
            (1.0 - s) * (1.0 - s) * p0 + 2.0 * s * (1.0 - s) * p1 + s * s * p2
        };
        (quad(-half, -half / 2.0, bend), quad(half, half / 2.0, bend))
    }

    #[cfg(test)]
    fn global_point(&self, (lx, ly): (f64, f64)) -> (f64, f64) {
        let (sin, cos) = self.angle.to_radians().sin_cos();
        (self.x + lx * cos - ly * sin, self.y + lx * sin + ly * cos)
    }

    #[cfg(test)]
    /// Bounding box including the outline's stroke.
    pub(super) fn bbox(&self) -> BBox {
        let outline = self.local_outline();
        BBox::of_points(outline.into_iter().map(|p| self.global_point(p)))
            .inflate(STROKE / 2.0 + 0.3)
    }

    /// The share of the shape's area between its base and axis fraction `t`.
    fn area_below(&self, t: f64) -> f64 {
        match self.kind {
            Kind::Petal | Kind::Stone => {
                let u = 2.0 * t - 1.0;
                (u * (1.0 - u * u).max(0.0).sqrt() + u.asin() + PI / 2.0) / PI
            }
            Kind::Leaf => t * t * (3.0 - 2.0 * t),
            Kind::Blade => 1.0 - (1.0 - t) * (1.0 - t),
        }
    }

    /// The axis fraction below which lies `share` of the area, so that bands of an aggregate
    /// get areas in proportion to their counts.
    pub(super) fn axis_at_area(&self, share: f64) -> f64 {
        if share <= 0.0 {
            return 0.0;
        }
        if share >= 1.0 {
            return 1.0;
        }
        if self.kind == Kind::Blade {
            return 1.0 - (1.0 - share).sqrt();
        }
        let (mut low, mut high) = (0.0, 1.0);
        for _ in 0..22 {
            let mid = (low + high) / 2.0;
            if self.area_below(mid) < share {
                low = mid;
            } else {
                high = mid;
            }
        }
        (low + high) / 2.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
}

/// Lines of text. `x` is the left edge or the centre, depending on `anchor`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextBlock {
    pub x: f64,
    pub first_baseline: f64,
    pub anchor: Anchor,
    pub font_size: f64,
    pub line_height: f64,
    pub lines: Vec<String>,
    pub bbox: BBox,
}

/// DejaVu Sans: ascender and descender in em.
const ASCENT: f64 = 0.93;
const DESCENT: f64 = 0.24;

impl TextBlock {
    pub(crate) fn new(
        lines: Vec<String>,
        x: f64,
        top: f64,
        font_size: f64,
        anchor: Anchor,
    ) -> TextBlock {
        let line_height = (font_size * 1.2).round();
        let width = lines
            .iter()
            .map(|l| text_width(l, font_size))
            .fold(0.0, f64::max);
        let height = Self::height_of(lines.len(), font_size);
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
        };
        TextBlock {
            x,
            first_baseline: top + ASCENT * font_size,
            anchor,
            font_size,
            line_height,
            lines,
            bbox: BBox::new(left, top, width, height),
        }
    }

    pub(crate) fn height_of(lines: usize, font_size: f64) -> f64 {
        if lines == 0 {
            return 0.0;
        }
        (lines - 1) as f64 * (font_size * 1.2).round() + (ASCENT + DESCENT) * font_size
    }
}

/// The stacked bar of an area's answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bar {
    pub area: usize,
    pub bbox: BBox,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlowerLayout {
    pub area: usize,
    pub cell: BBox,
    pub center: (f64, f64),
    pub disk_radius: f64,
    /// How far anything of the flower reaches sideways from its stem (head, leaves, bar).
    pub reach: f64,
    /// The radius of the head, petals included.
    pub radius: f64,
    pub stem_bottom: f64,
    pub bar: Bar,
    /// The name tag the stem stands on, and its text.
    pub tag: BBox,
    pub label: TextBlock,
    /// Indexes into [`Layout::shapes`]: petals first, then leaves.
    pub shapes: Range<usize>,
}

/// One grass or soil area: caption, bar and its blades or stones.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StripSegment {
    pub area: usize,
    pub bounds: BBox,
    pub caption: TextBlock,
    pub bar: Bar,
    pub shapes: Range<usize>,
    pub grid: Grid,
}

/// The cells the blades or stones of a strip stand in: each shape keeps inside its cell,
/// outline included, so a cut along cell edges never cuts a shape. Odd rows are shifted
/// right by `stagger`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Grid {
    pub region: BBox,
    pub rows: usize,
    pub columns: usize,
    pub cell_width: f64,
    pub cell_height: f64,
    pub stagger: f64,
}

impl Grid {
    /// The cells of columns `columns` in every row, as one rectangle per row.
    pub(crate) fn column_cells(&self, columns: Range<usize>) -> Vec<BBox> {
        (0..self.rows)
            .map(|row| {
                let shift = if row % 2 == 1 { self.stagger } else { 0.0 };
                BBox::new(
                    self.region.x0 + shift + columns.start as f64 * self.cell_width,
                    self.region.y0 + row as f64 * self.cell_height,
                    columns.len() as f64 * self.cell_width,
                    self.cell_height,
                )
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub swatch: BBox,
    pub text: TextBlock,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub title: TextBlock,
    pub summary: TextBlock,
    /// Helt, delvis, inte, obesvarad.
    pub legend: Vec<LegendItem>,
    pub flowers: Vec<FlowerLayout>,
    pub grass: Vec<StripSegment>,
    /// The wooden box; the soil is inside its frame.
    pub soil_box: BBox,
    pub soil: Vec<StripSegment>,
    /// Every indicator's shape, in drawing order.
    pub shapes: Vec<Shape>,
}

impl Layout {
    pub(super) fn new(catalog: &Catalog, labels: &Labels<'_>) -> Layout {
        let mut shapes = Vec::with_capacity(catalog.indicators.len());
        let legend = legend(labels);
        let legend_left = legend
            .iter()
            .map(|item| item.swatch.x0)
            .fold(WIDTH, f64::min);
        let text_room = legend_left - MARGIN - 8.0 - 24.0;
        let title = fitted_line(
            labels.title,
            MARGIN + 8.0,
            12.0,
            &[26.0, 24.0, 22.0, 20.0, 18.0],
            text_room,
        );
        let summary = fitted_line(
            labels.summary,
            MARGIN + 8.0,
            title.bbox.y1 + 5.0,
            &[16.0, 15.0, 14.0, 13.0],
            text_room,
        );
        let flowers = flowers(catalog, labels.language, &mut shapes);
        let grass_zone = BBox {
            x0: MARGIN,
            y0: GRASS_TOP,
            x1: WIDTH - MARGIN,
            y1: SOIL_TOP,
        };
        let grass = strip(
            catalog,
            labels.language,
            Level::Grass,
            grass_zone,
            labels.grass,
            &mut shapes,
        );
        let soil_box = BBox {
            x0: MARGIN - 4.0,
            y0: SOIL_TOP,
            x1: WIDTH - MARGIN + 4.0,
            y1: SOIL_BOTTOM,
        };
        let soil_inside = BBox {
            x0: soil_box.x0 + FRAME,
            y0: soil_box.y0 + FRAME,
            x1: soil_box.x1 - FRAME,
            y1: soil_box.y1 - FRAME,
        };
        let soil = strip(
            catalog,
            labels.language,
            Level::Soil,
            soil_inside,
            labels.soil,
            &mut shapes,
        );
        Layout {
            title,
            summary,
            legend,
            flowers,
            grass,
            soil_box,
            soil,
            shapes,
        }
    }

    /// Everything that is drawn, grouped by the unit it belongs to (header, each flower,
    /// each grass and soil area), for overlap checks.
    #[cfg(test)]
    pub(super) fn units(&self) -> Vec<(String, Vec<BBox>)> {
        let mut units = vec![(
            "header".to_string(),
            std::iter::once(self.title.bbox)
                .chain(std::iter::once(self.summary.bbox))
                .chain(self.legend.iter().flat_map(|i| [i.swatch, i.text.bbox]))
                .filter(|b| b.width() > 0.0)
                .collect(),
        )];
        for flower in &self.flowers {
            let mut boxes = vec![flower.bar.bbox, flower.tag, flower.label.bbox];
            boxes.extend(self.shapes[flower.shapes.clone()].iter().map(Shape::bbox));
            boxes.push(BBox::new(
                flower.center.0 - flower.disk_radius,
                flower.center.1 - flower.disk_radius,
                2.0 * flower.disk_radius,
                2.0 * flower.disk_radius,
            ));
            units.push((format!("flower {}", flower.area), boxes));
        }
        for segment in self.grass.iter().chain(&self.soil) {
            let mut boxes = vec![segment.bar.bbox, segment.caption.bbox];
            boxes.extend(self.shapes[segment.shapes.clone()].iter().map(Shape::bbox));
            units.push((format!("area {}", segment.area), boxes));
        }
        units
    }
}

fn legend(labels: &Labels<'_>) -> Vec<LegendItem> {
    const FONT: f64 = 15.0;
    const SWATCH: f64 = 18.0;
    let words = [labels.helt, labels.delvis, labels.inte, labels.obesvarad];
    // Two columns of two: helt, delvis over inte, obesvarad.
    let column_width = |a: &str, b: &str| {
        let widest = text_width(a, FONT).max(text_width(b, FONT));
        SWATCH + 7.0 + widest.min(220.0)
    };
    let first = column_width(words[0], words[2]);
    let second = column_width(words[1], words[3]);
    let left = WIDTH - MARGIN - 8.0 - second - 22.0 - first;
    let columns = [left, left + first + 22.0];
    words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let x = columns[i % 2];
            let y = 14.0 + (i / 2) as f64 * 28.0;
            let text_x = x + SWATCH + 7.0;
            let line = truncate(word, FONT, 220.0);
            let text_top = y + SWATCH / 2.0 - TextBlock::height_of(1, FONT) / 2.0 + 0.5;
            LegendItem {
                swatch: BBox::new(x, y, SWATCH, SWATCH),
                text: TextBlock::new(vec![line], text_x, text_top, FONT, Anchor::Start),
            }
        })
        .collect()
}

/// One line at the largest of `sizes` that fits `max_width`, cut at the smallest otherwise.
fn fitted_line(text: &str, x: f64, top: f64, sizes: &[f64], max_width: f64) -> TextBlock {
    let fitting = sizes
        .iter()
        .copied()
        .find(|&size| text_width(text, size) <= max_width);
    let (size, line) = match fitting {
        Some(size) => (size, text.to_string()),
        None => {
            let size = sizes.last().copied().unwrap_or(14.0);
            (size, truncate(text, size, max_width))
        }
    };
    let lines = if line.trim().is_empty() {
        Vec::new()
    } else {
        vec![line]
    };
    TextBlock::new(lines, x, top, size, Anchor::Start)
}

fn flowers(catalog: &Catalog, language: Language, shapes: &mut Vec<Shape>) -> Vec<FlowerLayout> {
    let areas: Vec<usize> = (0..catalog.areas.len())
        .filter(|&a| catalog.areas[a].level == Level::Flower)
        .collect();
    if areas.is_empty() {
        return Vec::new();
    }
    let rows = areas.len().div_ceil(FLOWERS_PER_ROW);
    let columns = areas.len().div_ceil(rows);
    let cell_width = ((WIDTH - 2.0 * MARGIN) / columns as f64).min(MAX_CELL_WIDTH);
    let row_height = (GRASS_TOP - 4.0 - FLOWERS_TOP) / rows as f64;
    let mut laid_out = Vec::with_capacity(areas.len());
    for (row, row_areas) in areas.chunks(columns).enumerate() {
        // Name tags of one row share their top, so that the heads line up.
        let tag_lines = row_areas
            .iter()
            .map(|&a| {
                wrap(
                    catalog.areas[a].label_in(language).0,
                    label_font_size(rows),
                    label_width(cell_width),
                    2,
                )
                .len()
            })
            .max()
            .unwrap_or(0);
        // So do their heads' sizes, which leave room for leaves when any flower has some.
        let row_has_leaves = row_areas.iter().any(|&a| {
            catalog.areas[a]
                .indicators
                .clone()
                .any(|i| catalog.indicators[i].part == Part::Leaf)
        });
        let row_width = cell_width * row_areas.len() as f64;
        let left = (WIDTH - row_width) / 2.0;
        for (column, &area) in row_areas.iter().enumerate() {
            let cell = BBox::new(
                left + column as f64 * cell_width,
                FLOWERS_TOP + row as f64 * row_height,
                cell_width,
                row_height,
            );
            laid_out.push(flower(
                catalog,
                language,
                area,
                cell,
                rows,
                tag_lines,
                row_has_leaves,
                shapes,
            ));
        }
    }
    laid_out
}

fn label_font_size(rows: usize) -> f64 {
    if rows == 1 { 15.0 } else { 14.0 }
}

/// The widest a flower's name tag text may be.
fn label_width(cell_width: f64) -> f64 {
    cell_width - 20.0
}

#[expect(
    clippy::too_many_arguments,
    reason = "the steps of one layout, each a plain value"
)]
fn flower(
    catalog: &Catalog,
    language: Language,
    area: usize,
    cell: BBox,
    rows: usize,
    tag_lines: usize,
    row_has_leaves: bool,
    shapes: &mut Vec<Shape>,
) -> FlowerLayout {
    let indicators = catalog.areas[area].indicators.clone();
    let petals: Vec<usize> = indicators
        .clone()
        .filter(|&i| catalog.indicators[i].part == Part::Petal)
        .collect();
    let leaves: Vec<usize> = indicators
        .filter(|&i| catalog.indicators[i].part == Part::Leaf)
        .collect();
    let bar_width = if rows == 1 { 14.0 } else { 12.0 };

    // The stem stands in the middle of the cell; its bar stands just right of it (and of
    // its right-hand leaves), under the head.
    let stem_x = (cell.x0 + cell.x1) / 2.0;
    let half_room = cell.width() / 2.0 - 3.0;

    let label = catalog.areas[area].label_in(language).0;
    let (ground, tag, label) = name_tag(label, cell, stem_x, label_font_size(rows), tag_lines);

    let min_stem = cell.height() * if row_has_leaves { 0.36 } else { 0.24 };
    // Never smaller than a dot, even in a cramped cell (max after min, so it cannot panic).
    let largest_radius = half_room
        .min((ground - cell.y0 - 6.0 - min_stem) / 2.0)
        .min(MAX_HEAD_RADIUS);
    let radius = largest_radius.max(4.0);
    let center = (stem_x, cell.y0 + 5.0 + radius);
    let disk_radius = if petals.is_empty() {
        radius * 0.4
    } else {
        radius * 0.25
    };

    let first = shapes.len();
    place_petals(&petals, center, radius, disk_radius, shapes);

    // Leaves may reach sideways as far as leaves room for the bar on the right.
    let leaf_room = half_room - bar_width - 12.0;
    let right_reach = place_leaves(
        &leaves,
        stem_x,
        center.1 + radius + 3.0,
        ground - 3.0,
        leaf_room,
        radius,
        shapes,
    );
    let bar_x = stem_x
        + if right_reach > 0.0 {
            right_reach + 6.0
        } else {
            10.0
        };
    let bar_bottom = ground - 4.0;
    let bar_top = (center.1 + radius + 8.0)
        .max(bar_bottom - cell.height() * 0.5)
        .min(bar_bottom - 8.0);
    let bar = Bar {
        area,
        bbox: BBox {
            x0: bar_x,
            y0: bar_top,
            x1: bar_x + bar_width,
            y1: bar_bottom,
        },
    };

    FlowerLayout {
        area,
        cell,
        center,
        disk_radius,
        reach: radius.max(right_reach).max(bar.bbox.x1 - stem_x) + STROKE,
        radius,
        stem_bottom: ground,
        bar,
        tag,
        label,
        shapes: first..shapes.len(),
    }
}

/// The name tag under a flower, centred on the stem at the cell's bottom, with room for
/// `tag_lines` lines (the most any flower of the row needs): the ground the stem stands on,
/// the tag's box and its text.
fn name_tag(
    label: &str,
    cell: BBox,
    stem_x: f64,
    font_size: f64,
    tag_lines: usize,
) -> (f64, BBox, TextBlock) {
    let lines = wrap(label, font_size, label_width(cell.width()), 2);
    let tag_height = |lines: usize| {
        if lines == 0 {
            0.0
        } else {
            TextBlock::height_of(lines, font_size) + 8.0
        }
    };
    let ground = cell.y1 - 3.0 - tag_height(tag_lines);
    let text_width = lines
        .iter()
        .map(|l| text_width(l, font_size))
        .fold(0.0, f64::max);
    let tag_width = if lines.is_empty() {
        0.0
    } else {
        text_width + 14.0
    };
    let tag = BBox::new(
        stem_x - tag_width / 2.0,
        ground,
        tag_width,
        tag_height(lines.len()),
    );
    let label = TextBlock::new(lines, stem_x, tag.y0 + 4.0, font_size, Anchor::Middle);
    (ground, tag, label)
}

/// Petals evenly round the head's disk, the first pointing up, as wide as they fit.
fn place_petals(
    petals: &[usize],
    center: (f64, f64),
    radius: f64,
    disk_radius: f64,
    shapes: &mut Vec<Shape>,
) {
    let petal_length = radius - disk_radius - STROKE;
    let middle = disk_radius + petal_length / 2.0;
    let petal_width = match petals.len() {
        0 | 1 => petal_length * 0.8,
        n => (petal_length * 0.8).min(2.0 * 0.84 * middle * (PI / n as f64).sin()),
    };
    for (k, &indicator) in petals.iter().enumerate() {
        shapes.push(Shape {
            indicator,
            kind: Kind::Petal,
            x: center.0,
            y: center.1,
            angle: 360.0 * k as f64 / petals.len() as f64,
            start: disk_radius,
            length: petal_length,
            width: petal_width,
            bend: 0.0,
        });
    }
}

/// How far a leaf of `length` reaches sideways from the stem, outline included.
fn leaf_reach(length: f64) -> f64 {
    0.9 * length + STROKE
}

/// Leaves alternate left and right up the stem between `top` and `bottom`, the first at the
/// bottom, each pointing up and out and reaching at most `reach` sideways. Returns how far
/// the leaves on the right reach (0 without any).
fn place_leaves(
    leaves: &[usize],
    stem_x: f64,
    top: f64,
    bottom: f64,
    reach: f64,
    head_radius: f64,
    shapes: &mut Vec<Shape>,
) -> f64 {
    if leaves.is_empty() {
        return 0.0;
    }
    const ANGLE: f64 = 56.0;
    const WIDTH_RATIO: f64 = 0.42;
    // A leaf of length L rises about 0.75 L above where it grows.
    let available = (bottom - top).max(0.0);
    let n = leaves.len();
    let by_height = if n <= 2 {
        available / 0.95
    } else {
        // Leaves on one side are two steps apart and must not touch: step ≥ 0.42 L.
        available / (0.45 * (n - 1) as f64 + 0.9)
    };
    let longest = ((reach - STROKE) / 0.9)
        .min(by_height)
        .min(head_radius * 1.1)
        .min(64.0);
    let length = longest.max(2.0);
    let step = if n >= 2 {
        ((available - 0.9 * length) / (n - 1) as f64).clamp(0.0, 0.8 * length)
    } else {
        0.0
    };
    let lowest = bottom - 0.15 * length;
    for (k, &indicator) in leaves.iter().enumerate() {
        let side = if k % 2 == 0 { -1.0 } else { 1.0 };
        shapes.push(Shape {
            indicator,
            kind: Kind::Leaf,
            x: stem_x,
            y: lowest - k as f64 * step,
            angle: side * ANGLE,
            start: 0.0,
            length,
            width: length * WIDTH_RATIO,
            bend: 0.0,
        });
    }
    if n >= 2 { leaf_reach(length) } else { 0.0 }
}

/// Gentle, repeatable variation so that grass and stones do not look machine-made.
const WOBBLE: [f64; 11] = [0.9, 0.35, 0.7, 0.1, 1.0, 0.55, 0.2, 0.8, 0.45, 0.0, 0.65];

fn wobble(i: usize) -> f64 {
    WOBBLE[(i * 7 + 3) % WOBBLE.len()]
}

/// The grass or soil areas side by side in `zone` (in several rows when they are many):
/// each a caption, a bar, then one blade or stone per indicator.
fn strip(
    catalog: &Catalog,
    language: Language,
    level: Level,
    zone: BBox,
    fallback: &str,
    shapes: &mut Vec<Shape>,
) -> Vec<StripSegment> {
    let areas: Vec<usize> = (0..catalog.areas.len())
        .filter(|&a| catalog.areas[a].level == level)
        .collect();
    if areas.is_empty() {
        return Vec::new();
    }
    let kind = if level == Level::Soil {
        Kind::Stone
    } else {
        Kind::Blade
    };
    // As few rows as give every caption room; failing that, as few as fit the shapes.
    let max_rows = areas
        .len()
        .min(((zone.height() / MIN_ROW_HEIGHT).floor() as usize).max(1));
    let plan_with = |fit: Fit| {
        (1..=max_rows)
            .find_map(|rows| plan_rows(catalog, language, &areas, zone, rows, kind, fallback, fit))
    };
    let plan = plan_with(Fit::Comfortable)
        .or_else(|| plan_with(Fit::Tight))
        .unwrap_or_else(|| force_plan(catalog, language, &areas, zone, max_rows, fallback));
    let mut segments = Vec::with_capacity(areas.len());
    for planned in plan {
        let first = shapes.len();
        let bounds = planned.bounds;
        let caption_top = (bounds.y0 + bounds.y1) / 2.0
            - TextBlock::height_of(planned.caption.len(), planned.font_size) / 2.0;
        let caption = TextBlock::new(
            planned.caption,
            bounds.x0 + 6.0,
            caption_top,
            planned.font_size,
            Anchor::Start,
        );
        let bar_x = bounds.x0 + 6.0 + planned.caption_width + 8.0;
        let bar_height = (bounds.height() - 14.0).min(72.0);
        let bar_width = if bounds.height() >= 40.0 { 14.0 } else { 10.0 };
        let bar_bottom = bounds.y1 - 6.0;
        let bar = Bar {
            area: planned.area,
            bbox: BBox::new(bar_x, bar_bottom - bar_height, bar_width, bar_height),
        };
        let region = BBox {
            x0: bar.bbox.x1 + 8.0,
            y0: bounds.y0 + 4.0,
            x1: bounds.x1 - 6.0,
            y1: if kind == Kind::Stone {
                bounds.y1 - 3.0
            } else {
                bounds.y1
            },
        };
        let indicators = catalog.areas[planned.area].indicators.clone();
        let grid = match kind {
            Kind::Stone => place_stones(indicators, region, shapes),
            _ => place_blades(indicators, region, shapes),
        };
        segments.push(StripSegment {
            area: planned.area,
            bounds,
            caption,
            bar,
            shapes: first..shapes.len(),
            grid,
        });
    }
    segments
}

struct PlannedSegment {
    area: usize,
    bounds: BBox,
    caption: Vec<String>,
    caption_width: f64,
    font_size: f64,
}

/// The narrowest a blade or stone may get.
fn min_unit_width(kind: Kind, region_height: f64) -> f64 {
    match kind {
        Kind::Stone => 12.0 * 12.0 / region_height.max(12.0),
        _ => 8.0,
    }
}

/// A row of grass or soil is never lower than this.
const MIN_ROW_HEIGHT: f64 = 26.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Every caption gets its full width, or at least 72 px.
    Comfortable,
    /// Captions get what is left, at least 24 px.
    Tight,
}

#[expect(
    clippy::too_many_arguments,
    reason = "the steps of one layout, each a plain value"
)]
fn plan_rows(
    catalog: &Catalog,
    language: Language,
    areas: &[usize],
    zone: BBox,
    rows: usize,
    kind: Kind,
    fallback: &str,
    fit: Fit,
) -> Option<Vec<PlannedSegment>> {
    let per_row = areas.len().div_ceil(rows);
    let row_count = areas.len().div_ceil(per_row);
    let row_height = zone.height() / row_count as f64;
    let font_size: f64 = if row_height >= 40.0 { 14.0 } else { 12.0 };
    let line_height = (font_size * 1.2).round();
    let max_lines =
        (((row_height - 6.0 - (ASCENT + DESCENT) * font_size) / line_height).floor() as usize + 1)
            .clamp(1, 3);
    let min_unit = min_unit_width(kind, row_height - 7.0);
    // Everything but the caption and the shapes: margins, gaps and the bar.
    const FIXED: f64 = 6.0 + 8.0 + 14.0 + 8.0 + 6.0;
    let mut planned = Vec::with_capacity(areas.len());
    for (row, row_areas) in areas.chunks(per_row).enumerate() {
        let y0 = zone.y0 + row as f64 * row_height;
        let nominal_width = zone.width() / row_areas.len() as f64;
        let mut captions = Vec::with_capacity(row_areas.len());
        for &a in row_areas {
            let label = catalog.areas[a].label_in(language).0;
            let label = if label.trim().is_empty() {
                fallback
            } else {
                label
            };
            let count = catalog.areas[a].indicators.len() as f64;
            let room = (nominal_width - FIXED - count * min_unit * 1.5).min(130.0);
            let natural = text_width(label, font_size);
            let room = match fit {
                Fit::Comfortable if room < natural.min(72.0) => return None,
                Fit::Comfortable => room,
                Fit::Tight => room.max(24.0),
            };
            let lines = wrap(label, font_size, room, max_lines);
            let width = lines
                .iter()
                .map(|l| text_width(l, font_size))
                .fold(0.0, f64::max);
            captions.push((lines, width));
        }
        let fixed: Vec<f64> = captions.iter().map(|(_, w)| FIXED + w).collect();
        let counts: Vec<usize> = row_areas
            .iter()
            .map(|&a| catalog.areas[a].indicators.len())
            .collect();
        let total: usize = counts.iter().sum();
        let free = zone.width() - fixed.iter().sum::<f64>();
        if free < total as f64 * min_unit {
            return None;
        }
        let mut x = zone.x0;
        for (((&area, (caption, caption_width)), fixed), count) in
            row_areas.iter().zip(captions).zip(fixed).zip(counts)
        {
            let share = if total == 0 {
                free / row_areas.len() as f64
            } else {
                free * count as f64 / total as f64
            };
            let width = fixed + share;
            planned.push(PlannedSegment {
                area,
                bounds: BBox::new(x, y0, width, row_height),
                caption,
                caption_width,
                font_size,
            });
            x += width;
        }
    }
    Some(planned)
}

/// When even one area per row does not fit (an area with hundreds of indicators), share the
/// width anyway; shapes get thinner than usual but still do not overlap.
fn force_plan(
    catalog: &Catalog,
    language: Language,
    areas: &[usize],
    zone: BBox,
    rows: usize,
    fallback: &str,
) -> Vec<PlannedSegment> {
    let per_row = areas.len().div_ceil(rows);
    let row_count = areas.len().div_ceil(per_row);
    let row_height = zone.height() / row_count as f64;
    let mut planned = Vec::new();
    for (row, row_areas) in areas.chunks(per_row).enumerate() {
        let width = zone.width() / row_areas.len() as f64;
        for (column, &area) in row_areas.iter().enumerate() {
            let label = catalog.areas[area].label_in(language).0;
            let label = if label.trim().is_empty() {
                fallback
            } else {
                label
            };
            let caption = wrap(label, 11.0, (width * 0.2).max(10.0), 1);
            let caption_width = caption
                .iter()
                .map(|l| text_width(l, 11.0))
                .fold(0.0, f64::max);
            planned.push(PlannedSegment {
                area,
                bounds: BBox::new(
                    zone.x0 + column as f64 * width,
                    zone.y0 + row as f64 * row_height,
                    width,
                    row_height,
                ),
                caption,
                caption_width,
                font_size: 11.0,
            });
        }
    }
    planned
}

fn place_blades(indicators: Range<usize>, region: BBox, shapes: &mut Vec<Shape>) -> Grid {
    let n = indicators.len();
    let unit = region.width() / n.max(1) as f64;
    let grid = Grid {
        region,
        rows: 1,
        columns: n,
        cell_width: unit,
        cell_height: region.height(),
        stagger: 0.0,
    };
    // Each blade keeps to its own slot, outline included.
    let half_room = (unit / 2.0 - STROKE).max(0.1);
    let width = (unit * 0.8).min(22.0).min(2.0 * half_room);
    let max_bend = (half_room - 0.5).max(0.0).min(unit * 0.42);
    for (k, indicator) in indicators.enumerate() {
        let height = (region.height() - 2.0) * (0.7 + 0.3 * wobble(k));
        let lean = wobble(k + 5) * 2.0 - 1.0;
        shapes.push(Shape {
            indicator,
            kind: Kind::Blade,
            x: region.x0 + unit * (k as f64 + 0.5),
            y: region.y1 - STROKE,
            angle: 0.0,
            start: 0.0,
            length: height,
            width,
            bend: lean * max_bend,
        });
    }
    grid
}

fn place_stones(indicators: Range<usize>, region: BBox, shapes: &mut Vec<Shape>) -> Grid {
    let n = indicators.len();
    const MAX_WIDTH: f64 = 56.0;
    // Pick the number of rows that gives the largest stones; with a tie, more rows, which
    // look more like soil than a single line of pebbles.
    let mut best = (1, 0.0, 0.0);
    let mut largest = 0.0;
    for rows in 1..=n.min(5) {
        let columns = n.div_ceil(rows);
        let stagger = if rows > 1 { 0.5 } else { 0.0 };
        let cell_width = region.width() / (columns as f64 + stagger);
        let cell_height = region.height() / rows as f64;
        let width = (cell_width * 0.8).min(cell_height * 1.15).min(MAX_WIDTH);
        let height = (width * 0.68).min(cell_height * 0.78);
        let size = width * height;
        largest = f64::max(largest, size);
        if size >= largest * 0.97 {
            best = (rows, width, height);
        }
    }
    let (rows, width, height) = best;
    let columns = n.div_ceil(rows).max(1);
    let stagger = if rows > 1 { 0.5 } else { 0.0 };
    let cell_width = region.width() / (columns as f64 + stagger);
    let cell_height = region.height() / rows as f64;
    let grid = Grid {
        region,
        rows,
        columns,
        cell_width,
        cell_height,
        stagger: stagger * cell_width,
    };
    for (k, indicator) in indicators.enumerate() {
        let (row, column) = (k / columns, k % columns);
        let offset = if row % 2 == 1 { cell_width / 2.0 } else { 0.0 };
        let tilt = (wobble(k + 2) * 2.0 - 1.0) * 9.0;
        // A tilted stone needs a little more room; keep it inside its cell.
        let slack_x = ((cell_width - width - height * 0.16 - 2.0 * STROKE) / 2.0).max(0.0);
        let slack_y = ((cell_height - height - width * 0.16 - 2.0 * STROKE) / 2.0).max(0.0);
        let cx = region.x0
            + offset
            + cell_width * (column as f64 + 0.5)
            + slack_x * (wobble(k) * 2.0 - 1.0) * 0.8;
        let cy = region.y0
            + cell_height * (row as f64 + 0.5)
            + slack_y * (wobble(k + 4) * 2.0 - 1.0) * 0.8;
        shapes.push(Shape {
            indicator,
            kind: Kind::Stone,
            x: cx,
            y: cy,
            angle: tilt,
            start: -height / 2.0,
            length: height,
            width,
            bend: 0.0,
        });
    }
    grid
}
