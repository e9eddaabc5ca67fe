//! Boundaries of the municipalities, ready to draw: projected to SWEREF 99 TM, their shared
//! borders found once ([`topology`]), and simplified to the resolution of each map that is
//! drawn from them (the nation, and each county with its neighbours around it).
//!
//! Pure geometry: the loader ([`crate::content::boundaries`]) reads and checks the file, the
//! map writer ([`crate::render::map`]) colours and links the shapes.

pub(crate) mod projection;
pub(crate) mod topology;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use self::topology::{Point, Shape, Topology};

/// The height of the national map, in drawing units; its width follows Sweden's shape.
pub(crate) const NATION_HEIGHT: f64 = 1000.0;
/// A county map fits in a square of this many units.
pub(crate) const COUNTY_BOX: f64 = 640.0;
/// How far a simplified border may stray, in drawing units. A national map is shown about
/// 400 px wide, so a unit is about a pixel.
pub(crate) const TOLERANCE: f64 = 1.0;
/// Space around a county's own municipalities, as a share of the larger side.
const COUNTY_MARGIN: f64 = 0.04;

/// The boundaries of every municipality of the registry.
#[derive(Debug)]
pub struct Boundaries {
    /// The file they came from, relative to the content folder.
    pub source: PathBuf,
    topology: Topology,
    /// The county of each shape (shapes are indexed like the registry's municipalities).
    counties: Vec<usize>,
    /// Each shape's extent, in metres: min easting, min northing, max easting, max northing.
    bounds: Vec<[f64; 4]>,
    nation: OnceLock<MapView>,
    by_county: Vec<OnceLock<Option<MapView>>>,
}

/// One map's shapes, in drawing units (y down), as SVG path data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MapView {
    pub width: u32,
    pub height: u32,
    /// The municipalities the map is about: (index into the registry, path data).
    pub municipalities: Vec<(usize, String)>,
    /// Neighbouring municipalities shown for orientation only, as one path.
    pub context: String,
    /// Borders drawn over the municipalities: between counties on the national map, the
    /// county's outline on a county's map.
    pub borders: String,
}

/// From metres to drawing units.
#[derive(Debug, Clone, Copy)]
struct Transform {
    scale: f64,
    west: f64,
    north: f64,
}

impl Transform {
    fn apply(&self, p: Point) -> Point {
        [
            (p[0] - self.west) * self.scale,
            (self.north - p[1]) * self.scale,
        ]
    }
}

impl Boundaries {
    /// `shapes` in longitude and latitude (WGS 84), one per registry municipality, and each
    /// municipality's county.
    pub(crate) fn new(source: PathBuf, shapes: &[Shape], counties: Vec<usize>) -> Boundaries {
        let projected: Vec<Shape> = shapes
            .iter()
            .map(|shape| {
                shape
                    .iter()
                    .map(|polygon| {
                        polygon
                            .iter()
                            .map(|ring| {
                                ring.iter()
                                    .map(|p| {
                                        let (e, n) = projection::sweref99tm(p[0], p[1]);
                                        [e, n]
                                    })
                                    .collect()
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let bounds = projected
            .iter()
            .map(|shape| {
                let mut b = [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ];
                for p in shape.iter().flatten().flatten() {
                    b = [
                        b[0].min(p[0]),
                        b[1].min(p[1]),
                        b[2].max(p[0]),
                        b[3].max(p[1]),
                    ];
                }
                b
            })
            .collect();
        let county_count = counties.iter().max().map_or(0, |c| c + 1);
        Boundaries {
            source,
            topology: Topology::build(&projected),
            counties,
            bounds,
            nation: OnceLock::new(),
            by_county: (0..county_count).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The national map: every municipality, with the borders between counties.
    pub(crate) fn nation(&self) -> &MapView {
        self.nation.get_or_init(|| self.draw_nation())
    }

    /// A county's map: its municipalities, their neighbours in grey around them, and its
    /// outline. `None` for a county without municipalities.
    pub(crate) fn county(&self, county: usize) -> Option<&MapView> {
        self.by_county
            .get(county)?
            .get_or_init(|| self.draw_county(county))
            .as_ref()
    }

    fn extent(&self, members: impl Iterator<Item = usize>) -> Option<[f64; 4]> {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut any = false;
        for m in members {
            let s = self.bounds[m];
            if s[0].is_finite() {
                any = true;
                b = [
                    b[0].min(s[0]),
                    b[1].min(s[1]),
                    b[2].max(s[2]),
                    b[3].max(s[3]),
                ];
            }
        }
        any.then_some(b)
    }

    fn draw_nation(&self) -> MapView {
        let Some(b) = self.extent(0..self.bounds.len()) else {
            return MapView {
                width: 0,
                height: 0,
                municipalities: Vec::new(),
                context: String::new(),
                borders: String::new(),
            };
        };
        let scale = NATION_HEIGHT / (b[3] - b[1]).max(1.0);
        let transform = Transform {
            scale,
            west: b[0],
            north: b[3],
        };
        let kept = self.topology.simplify(TOLERANCE / scale, |_| true);
        let municipalities = (0..self.bounds.len())
            .map(|m| (m, self.shape_path(m, &kept, transform, None)))
            .collect();
        let borders = self.arcs_path(&kept, transform, |owners| {
            owners.len() == 2 && self.counties[owners[0]] != self.counties[owners[1]]
        });
        MapView {
            width: ((b[2] - b[0]) * scale).ceil() as u32,
            height: NATION_HEIGHT as u32,
            municipalities,
            context: String::new(),
            borders,
        }
    }

    fn draw_county(&self, county: usize) -> Option<MapView> {
        let members: Vec<usize> = (0..self.counties.len())
            .filter(|&m| self.counties[m] == county)
            .collect();
        let b = self.extent(members.iter().copied())?;
        let side = (b[2] - b[0]).max(b[3] - b[1]).max(1.0);
        let margin = side * COUNTY_MARGIN;
        let view = [b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin];
        let scale = COUNTY_BOX / (view[2] - view[0]).max(view[3] - view[1]);
        let transform = Transform {
            scale,
            west: view[0],
            north: view[3],
        };
        let overlaps =
            |x: &[f64; 4]| x[0] <= view[2] && x[2] >= view[0] && x[1] <= view[3] && x[3] >= view[1];
        let kept = self
            .topology
            .simplify(TOLERANCE / scale, |arc| overlaps(&arc.bounds));
        let width = ((view[2] - view[0]) * scale).round();
        let height = ((view[3] - view[1]) * scale).round();
        // Neighbours are cut a little outside the frame, so their cut edges never show.
        let frame = [-4.0, -4.0, width + 4.0, height + 4.0];
        let mut context = String::new();
        for m in 0..self.counties.len() {
            if self.counties[m] != county && overlaps(&self.bounds[m]) {
                context.push_str(&self.shape_path(m, &kept, transform, Some(frame)));
            }
        }
        let municipalities = members
            .iter()
            .map(|&m| (m, self.shape_path(m, &kept, transform, None)))
            .collect();
        let borders = self.arcs_path(&kept, transform, |owners| {
            let inside = owners
                .iter()
                .filter(|&&o| self.counties[o] == county)
                .count();
            inside > 0 && (owners.len() == 1 || inside < owners.len())
        });
        Some(MapView {
            width: width as u32,
            height: height as u32,
            municipalities,
            context,
            borders,
        })
    }

    /// One shape as path data: each ring that keeps an area at this scale (the largest
    /// outer ring always stays), optionally cut to a frame.
    fn shape_path(
        &self,
        shape: usize,
        kept: &[Vec<u32>],
        transform: Transform,
        frame: Option<[f64; 4]>,
    ) -> String {
        let mut rings: Vec<(bool, f64, Vec<[i64; 2]>)> = Vec::new();
        for polygon in &self.topology.shapes[shape] {
            for (r, ring) in polygon.iter().enumerate() {
                let mut points: Vec<Point> = self
                    .topology
                    .ring_points(ring, kept)
                    .map(|p| transform.apply(p))
                    .collect();
                if let Some(frame) = frame {
                    points = clip(&points, frame);
                }
                let rounded = round(&points);
                if rounded.len() >= 3 {
                    rings.push((r == 0, area(&rounded), rounded));
                }
            }
        }
        let largest = rings
            .iter()
            .enumerate()
            .filter(|(_, r)| r.0)
            .max_by(|a, b| a.1.1.total_cmp(&b.1.1))
            .map(|(i, _)| i);
        let mut d = String::new();
        for (i, (outer, size, points)) in rings.iter().enumerate() {
            // An island of less than about two square units is below what can be seen.
            if *outer && *size < 2.0 && Some(i) != largest {
                continue;
            }
            write_ring(&mut d, points, true);
        }
        d
    }

    /// The arcs whose owners pass `pick`, as open lines.
    fn arcs_path(
        &self,
        kept: &[Vec<u32>],
        transform: Transform,
        pick: impl Fn(&[usize]) -> bool,
    ) -> String {
        let mut d = String::new();
        for (a, arc) in self.topology.arcs.iter().enumerate() {
            if kept[a].is_empty() || !pick(&arc.owners) {
                continue;
            }
            let mut points: Vec<Point> = kept[a]
                .iter()
                .map(|&v| transform.apply(self.topology.points[v as usize]))
                .collect();
            if arc.closed {
                points.push(points[0]);
            }
            let rounded = round(&points);
            if rounded.len() >= 2 {
                write_ring(&mut d, &rounded, false);
            }
        }
        d
    }
}

/// Points rounded to whole units, without repeats.
fn round(points: &[Point]) -> Vec<[i64; 2]> {
    let mut out: Vec<[i64; 2]> = Vec::with_capacity(points.len());
    for p in points {
        let r = [p[0].round() as i64, p[1].round() as i64];
        if out.last() != Some(&r) {
            out.push(r);
        }
    }
    out
}

/// Twice the area enclosed, halved (shoelace).
fn area(points: &[[i64; 2]]) -> f64 {
    let mut sum = 0i64;
    for (i, a) in points.iter().enumerate() {
        let b = points[(i + 1) % points.len()];
        sum += a[0] * b[1] - b[0] * a[1];
    }
    sum.abs() as f64 / 2.0
}

/// Path data for a run of points: an absolute move, then relative lines (shorter), closed
/// with `z` for a ring.
fn write_ring(d: &mut String, points: &[[i64; 2]], close: bool) {
    let Some(first) = points.first() else {
        return;
    };
    let _ = write!(d, "M{} {}", first[0], first[1]);
    if points.len() > 1 {
        d.push('l');
    }
    let mut previous = *first;
    let mut after_number = false;
    for p in &points[1..] {
        for delta in [p[0] - previous[0], p[1] - previous[1]] {
            // A minus sign separates numbers by itself.
            if after_number && delta >= 0 {
                d.push(' ');
            }
            let _ = write!(d, "{delta}");
            after_number = true;
        }
        previous = *p;
    }
    if close {
        d.push('z');
    }
}

/// Sutherland–Hodgman: the part of a ring inside a rectangle (min x, min y, max x, max y).
fn clip(points: &[Point], frame: [f64; 4]) -> Vec<Point> {
    let mut ring = points.to_vec();
    // Each edge of the frame as (axis, bound, keep values below it).
    for (axis, bound, below) in [
        (0, frame[0], false),
        (0, frame[2], true),
        (1, frame[1], false),
        (1, frame[3], true),
    ] {
        if ring.is_empty() {
            break;
        }
        let inside = |p: &Point| {
            if below {
                p[axis] <= bound
            } else {
                p[axis] >= bound
            }
        };
        let mut out = Vec::with_capacity(ring.len());
        for i in 0..ring.len() {
            let current = ring[i];
            let previous = ring[(i + ring.len() - 1) % ring.len()];
            let crossing = || {
                let t = (bound - previous[axis]) / (current[axis] - previous[axis]);
                let mut p = [
                    previous[0] + t * (current[0] - previous[0]),
                    previous[1] + t * (current[1] - previous[1]),
                ];
                p[axis] = bound;
                p
            };
            match (inside(&previous), inside(&current)) {
                (true, true) => out.push(current),
                (true, false) => out.push(crossing()),
                (false, true) => {
                    out.push(crossing());
                    out.push(current);
                }
                (false, false) => {}
            }
        }
        ring = out;
    }
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_data_is_relative_and_compact() {
        let mut d = String::new();
        write_ring(&mut d, &[[10, 20], [15, 17], [13, 24], [10, 20]], true);
        assert_eq!(d, "M10 20l5-3-2 7-3-4z");
        let mut d = String::new();
        write_ring(&mut d, &[[0, 0], [3, 4]], false);
        assert_eq!(d, "M0 0l3 4");
    }

    #[test]
    fn clipping_keeps_what_is_inside_the_frame() {
        let square = [[-5.0, -5.0], [5.0, -5.0], [5.0, 5.0], [-5.0, 5.0]];
        let clipped = clip(&square, [0.0, 0.0, 10.0, 10.0]);
        let mut corners: Vec<(i64, i64)> = clipped
            .iter()
            .map(|p| (p[0].round() as i64, p[1].round() as i64))
            .collect();
        corners.sort();
        corners.dedup();
        assert_eq!(corners, vec![(0, 0), (0, 5), (5, 0), (5, 5)]);
        assert!(clip(&square, [20.0, 20.0, 30.0, 30.0]).is_empty());
    }

    /// Four unit squares (in degrees, near Sweden) in two counties: 0 and 1 in county 0, 2
    /// and 3 in county 1, in a row west to east.
    fn row() -> Boundaries {
        let square = |x: f64| -> Shape {
            vec![vec![vec![
                [x, 60.0],
                [x + 1.0, 60.0],
                [x + 1.0, 61.0],
                [x, 61.0],
                [x, 60.0],
            ]]]
        };
        let shapes: Vec<Shape> = (0..4).map(|i| square(12.0 + f64::from(i))).collect();
        Boundaries::new("geo/test.geojson".into(), &shapes, vec![0, 0, 1, 1])
    }

    #[test]
    fn the_nation_has_every_shape_and_borders_between_counties_only() {
        let b = row();
        let nation = b.nation();
        assert_eq!(nation.height, 1000);
        // Four degrees of longitude at 60° N are about twice as wide as one of latitude.
        assert!(
            nation.width > 1800 && nation.width < 2300,
            "{}",
            nation.width
        );
        assert_eq!(nation.municipalities.len(), 4);
        assert!(
            nation
                .municipalities
                .iter()
                .all(|(_, d)| d.starts_with('M'))
        );
        // One border between the counties: one open line.
        assert_eq!(nation.borders.matches('M').count(), 1);
        assert!(!nation.borders.contains('z'));
        assert!(nation.context.is_empty());
    }

    #[test]
    fn a_county_shows_its_neighbours_cut_to_the_frame() {
        let b = row();
        let county = b.county(0).unwrap();
        assert_eq!(county.municipalities.len(), 2);
        assert_eq!(
            county
                .municipalities
                .iter()
                .map(|m| m.0)
                .collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert!(county.width <= COUNTY_BOX as u32 && county.height <= COUNTY_BOX as u32);
        // Its neighbour to the east (2) shows in the margin; 3 is outside the frame.
        assert_eq!(county.context.matches('M').count(), 1);
        // The outline: the county's own outer arcs and its border with county 1.
        assert!(!county.borders.is_empty());
        assert!(b.county(5).is_none());
        assert!(std::ptr::eq(b.county(0).unwrap(), county), "drawn once");
    }
}
