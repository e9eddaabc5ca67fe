//! Shared borders: the rings of all shapes cut into arcs, each border between two neighbours
//! stored once, so that simplifying an arc moves both neighbours' edges alike and no gaps or
//! overlaps open between them (as TopoJSON does).
//!
//! Neighbours are found by exact vertex matching: boundary files made by GIS tools repeat the
//! same coordinates on both sides of a border. Where a file does not, nothing breaks; the
//! borders are simplified each on its own.

use std::collections::HashMap;

/// A point in projected metres: easting, northing.
pub(crate) type Point = [f64; 2];

/// A ring as given: its points, closed or not (a repeated first point is dropped).
pub(crate) type Ring = Vec<Point>;
/// The rings of one polygon: the outer ring first, then its holes.
pub(crate) type Polygon = Vec<Ring>;
/// The polygons of one shape (a municipality).
pub(crate) type Shape = Vec<Polygon>;

/// An arc used by a ring, forwards or backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArcRef {
    pub arc: u32,
    pub reversed: bool,
}

/// A run of a border between two junctions, or a whole ring that meets nothing (an island).
#[derive(Debug, Clone)]
pub(crate) struct Arc {
    /// Indices into [`Topology::points`]. A closed arc does not repeat its first point.
    pub vertices: Vec<u32>,
    pub closed: bool,
    /// The shapes whose rings use it: one for a coast or a border with the outside, two for a
    /// border between neighbours.
    pub owners: Vec<usize>,
    /// min easting, min northing, max easting, max northing.
    pub bounds: [f64; 4],
}

/// The rings of every shape as arcs.
#[derive(Debug, Clone)]
pub(crate) struct Topology {
    pub points: Vec<Point>,
    pub arcs: Vec<Arc>,
    /// `shapes[s][polygon][ring]`: the arcs of that ring, in order.
    pub shapes: Vec<Vec<Vec<Vec<ArcRef>>>>,
}

fn key(p: Point) -> [u64; 2] {
    // -0.0 and 0.0 are one place.
    [(p[0] + 0.0).to_bits(), (p[1] + 0.0).to_bits()]
}

fn edge(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

/// A ring's vertices with consecutive repeats and the closing repeat removed.
fn ring_vertices(
    ring: &Ring,
    ids: &mut HashMap<[u64; 2], u32>,
    points: &mut Vec<Point>,
) -> Vec<u32> {
    let mut vertices: Vec<u32> = Vec::with_capacity(ring.len());
    for &p in ring {
        let next = points.len() as u32;
        let id = *ids.entry(key(p)).or_insert_with(|| {
            points.push(p);
            next
        });
        if vertices.last() != Some(&id) {
            vertices.push(id);
        }
    }
    while vertices.len() > 1 && vertices.first() == vertices.last() {
        vertices.pop();
    }
    vertices
}

impl Topology {
    /// Cuts the rings of `shapes` into arcs. Rings of fewer than three distinct points are
    /// left out (they enclose nothing).
    pub(crate) fn build(shapes: &[Shape]) -> Topology {
        let mut ids: HashMap<[u64; 2], u32> = HashMap::new();
        let mut points = Vec::new();
        // (shape, polygon, ring, vertices)
        let mut rings: Vec<(usize, usize, usize, Vec<u32>)> = Vec::new();
        for (s, shape) in shapes.iter().enumerate() {
            for (p, polygon) in shape.iter().enumerate() {
                for (r, ring) in polygon.iter().enumerate() {
                    let vertices = ring_vertices(ring, &mut ids, &mut points);
                    if vertices.len() >= 3 {
                        rings.push((s, p, r, vertices));
                    }
                }
            }
        }

        // Which rings use each edge, in ring order.
        let mut edge_rings: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
        for (n, (_, _, _, v)) in rings.iter().enumerate() {
            for i in 0..v.len() {
                let users = edge_rings
                    .entry(edge(v[i], v[(i + 1) % v.len()]))
                    .or_default();
                if users.last() != Some(&(n as u32)) {
                    users.push(n as u32);
                }
            }
        }
        // A junction is where a ring's neighbour changes, or where a ring touches itself.
        let mut junction = vec![false; points.len()];
        let mut seen_in_ring = vec![u32::MAX; points.len()];
        for (n, (_, _, _, v)) in rings.iter().enumerate() {
            let len = v.len();
            for i in 0..len {
                let here = v[i];
                if seen_in_ring[here as usize] == n as u32 {
                    junction[here as usize] = true;
                }
                seen_in_ring[here as usize] = n as u32;
                let before = &edge_rings[&edge(v[(i + len - 1) % len], here)];
                let after = &edge_rings[&edge(here, v[(i + 1) % len])];
                if before != after {
                    junction[here as usize] = true;
                }
            }
        }

        let mut arcs: Vec<Arc> = Vec::new();
        let mut arc_by_vertices: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut out: Vec<Vec<Vec<Vec<ArcRef>>>> = shapes
            .iter()
            .map(|shape| {
                shape
                    .iter()
                    .map(|polygon| vec![Vec::new(); polygon.len()])
                    .collect()
            })
            .collect();
        let mut add = |vertices: Vec<u32>, closed: bool, owner: usize| -> ArcRef {
            let (canonical, reversed) = canonical(vertices, closed);
            let at = *arc_by_vertices.entry(canonical.clone()).or_insert_with(|| {
                arcs.push(Arc {
                    bounds: bounds_of(&canonical, &points),
                    vertices: canonical,
                    closed,
                    owners: Vec::new(),
                });
                (arcs.len() - 1) as u32
            });
            let owners = &mut arcs[at as usize].owners;
            if !owners.contains(&owner) {
                owners.push(owner);
            }
            ArcRef { arc: at, reversed }
        };
        for (s, p, r, v) in rings {
            let len = v.len();
            let cuts: Vec<usize> = (0..len).filter(|&i| junction[v[i] as usize]).collect();
            let refs = if cuts.is_empty() {
                vec![add(v, true, s)]
            } else {
                cuts.iter()
                    .enumerate()
                    .map(|(k, &from)| {
                        let to = cuts[(k + 1) % cuts.len()];
                        let steps = (to + len - from - 1) % len + 1;
                        let run: Vec<u32> = (0..=steps).map(|j| v[(from + j) % len]).collect();
                        add(run, false, s)
                    })
                    .collect()
            };
            out[s][p][r] = refs;
        }
        Topology {
            points,
            arcs,
            shapes: out,
        }
    }

    /// Each arc's vertices kept by Douglas–Peucker at `tolerance` metres; endpoints of open
    /// arcs always stay, so neighbours still meet. Only arcs for which `wanted` says yes are
    /// simplified (the others are left empty).
    pub(crate) fn simplify(&self, tolerance: f64, wanted: impl Fn(&Arc) -> bool) -> Vec<Vec<u32>> {
        self.arcs
            .iter()
            .map(|arc| {
                if wanted(arc) {
                    simplify_arc(&arc.vertices, arc.closed, &self.points, tolerance)
                } else {
                    Vec::new()
                }
            })
            .collect()
    }

    /// The points of a ring, from simplified arcs (see [`Topology::simplify`]).
    pub(crate) fn ring_points<'a>(
        &'a self,
        ring: &'a [ArcRef],
        kept: &'a [Vec<u32>],
    ) -> impl Iterator<Item = Point> + 'a {
        ring.iter().flat_map(move |r| {
            let vertices = &kept[r.arc as usize];
            // An open arc ends where the next one starts (the last where the first starts).
            let take = if self.arcs[r.arc as usize].closed {
                vertices.len()
            } else {
                vertices.len().saturating_sub(1)
            };
            let ordered: Box<dyn Iterator<Item = &u32>> = if r.reversed {
                Box::new(vertices.iter().rev())
            } else {
                Box::new(vertices.iter())
            };
            ordered.take(take).map(|&v| self.points[v as usize])
        })
    }
}

/// The arc's vertices in the one direction (and, for a closed arc, from the one start) that
/// both neighbours agree on; `true` when that is the ring's direction reversed.
fn canonical(vertices: Vec<u32>, closed: bool) -> (Vec<u32>, bool) {
    let mut forward = vertices;
    if closed {
        let start = forward
            .iter()
            .enumerate()
            .min_by_key(|(_, v)| **v)
            .map_or(0, |(i, _)| i);
        forward.rotate_left(start);
        let mut backward = forward.clone();
        backward[1..].reverse();
        if backward < forward {
            (backward, true)
        } else {
            (forward, false)
        }
    } else {
        let backward: Vec<u32> = forward.iter().rev().copied().collect();
        if backward < forward {
            (backward, true)
        } else {
            (forward, false)
        }
    }
}

fn bounds_of(vertices: &[u32], points: &[Point]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for &v in vertices {
        let p = points[v as usize];
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    b
}

/// Distance of `p` from the segment `a`–`b`.
fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length2 = dx * dx + dy * dy;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2).clamp(0.0, 1.0)
    };
    (p[0] - a[0] - t * dx).hypot(p[1] - a[1] - t * dy)
}

/// Douglas–Peucker over `vertices[from..=to]`, marking what stays in `keep`.
fn douglas_peucker(vertices: &[u32], points: &[Point], tolerance: f64, keep: &mut [bool]) {
    let mut stack = vec![(0, vertices.len() - 1)];
    while let Some((from, to)) = stack.pop() {
        if to <= from + 1 {
            continue;
        }
        let (a, b) = (
            points[vertices[from] as usize],
            points[vertices[to] as usize],
        );
        let (far, distance) = (from + 1..to)
            .map(|i| (i, segment_distance(points[vertices[i] as usize], a, b)))
            .fold((from, -1.0), |best, x| if x.1 > best.1 { x } else { best });
        if distance > tolerance {
            keep[far] = true;
            stack.push((from, far));
            stack.push((far, to));
        }
    }
}

/// The vertices of one arc that Douglas–Peucker keeps. A closed arc (or one that starts where
/// it ends) is split at its point farthest from the start, so that it keeps an area.
fn simplify_arc(vertices: &[u32], closed: bool, points: &[Point], tolerance: f64) -> Vec<u32> {
    if vertices.len() < 3 {
        return vertices.to_vec();
    }
    let mut run: Vec<u32> = vertices.to_vec();
    if closed {
        run.push(vertices[0]);
    }
    let mut keep = vec![false; run.len()];
    keep[0] = true;
    let last = run.len() - 1;
    keep[last] = true;
    if run[0] == run[last] {
        let start = points[run[0] as usize];
        let far = (1..last)
            .max_by(|&i, &j| {
                let d = |k: usize| {
                    let p = points[run[k] as usize];
                    (p[0] - start[0]).hypot(p[1] - start[1])
                };
                d(i).total_cmp(&d(j))
            })
            .unwrap_or(1);
        keep[far] = true;
        douglas_peucker(&run[..=far], points, tolerance, &mut keep[..=far]);
        douglas_peucker(&run[far..], points, tolerance, &mut keep[far..]);
        if closed && keep.iter().filter(|k| **k).count() < 4 {
            // Start, far point and back to the start enclose nothing: keep the point farthest
            // from that line too, so that the ring stays a triangle.
            let (a, b) = (points[run[0] as usize], points[run[far] as usize]);
            let third = (1..last).filter(|&i| i != far).max_by(|&i, &j| {
                let d = |k: usize| segment_distance(points[run[k] as usize], a, b);
                d(i).total_cmp(&d(j))
            });
            if let Some(third) = third {
                keep[third] = true;
            }
        }
    } else {
        douglas_peucker(&run, points, tolerance, &mut keep);
    }
    let mut kept: Vec<u32> = run
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(v, _)| *v)
        .collect();
    if closed {
        kept.pop();
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, size: f64) -> Ring {
        vec![
            [x, y],
            [x + size, y],
            [x + size, y + size],
            [x, y + size],
            [x, y],
        ]
    }

    /// Two squares side by side share the edge x = 1; the right one's edge has an extra
    /// point in the middle on both sides.
    fn neighbours() -> Vec<Shape> {
        let left = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 0.5], [1.0, 1.0], [0.0, 1.0]];
        let right = vec![
            [1.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 0.5],
            [1.0, 0.0],
        ];
        vec![vec![vec![left]], vec![vec![right]]]
    }

    #[test]
    fn a_shared_border_is_one_arc_with_two_owners() {
        let t = Topology::build(&neighbours());
        assert_eq!(t.points.len(), 7);
        let shared: Vec<&Arc> = t.arcs.iter().filter(|a| a.owners.len() == 2).collect();
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].vertices.len(), 3);
        assert!(!shared[0].closed);
        // Each ring is its shared arc plus its own outer arc.
        assert_eq!(t.shapes[0][0][0].len(), 2);
        assert_eq!(t.shapes[1][0][0].len(), 2);
        // The two rings run the shared arc in opposite directions.
        let direction = |s: usize| {
            t.shapes[s][0][0]
                .iter()
                .find(|r| t.arcs[r.arc as usize].owners.len() == 2)
                .map(|r| r.reversed)
        };
        assert_ne!(direction(0), direction(1));
    }

    #[test]
    fn rings_come_back_whole_and_in_order() {
        let shapes = neighbours();
        let t = Topology::build(&shapes);
        // A negative tolerance keeps every point, even those on a straight line.
        let all = t.simplify(-1.0, |_| true);
        for (s, shape) in shapes.iter().enumerate() {
            let got: Vec<Point> = t.ring_points(&t.shapes[s][0][0], &all).collect();
            let mut want = shape[0][0].clone();
            if want.first() == want.last() {
                want.pop();
            }
            // The same cycle, from some start.
            assert_eq!(got.len(), want.len(), "{s}");
            let start = want.iter().position(|p| *p == got[0]).unwrap();
            want.rotate_left(start);
            assert_eq!(got, want, "{s}");
        }
    }

    #[test]
    fn simplifying_moves_both_neighbours_alike() {
        let t = Topology::build(&neighbours());
        // The midpoint of the straight shared edge goes at any positive tolerance.
        let kept = t.simplify(0.01, |_| true);
        let left: Vec<Point> = t.ring_points(&t.shapes[0][0][0], &kept).collect();
        let right: Vec<Point> = t.ring_points(&t.shapes[1][0][0], &kept).collect();
        assert!(!left.contains(&[1.0, 0.5]) && !right.contains(&[1.0, 0.5]));
        assert_eq!(left.len(), 4);
        assert_eq!(right.len(), 4);
    }

    #[test]
    fn an_enclave_shares_its_whole_ring_with_the_hole_around_it() {
        let outer = square(0.0, 0.0, 10.0);
        let mut hole = square(4.0, 4.0, 2.0);
        hole.reverse();
        let inner = square(4.0, 4.0, 2.0);
        // The hole starts at another corner than the enclave.
        let mut hole = hole[..4].to_vec();
        hole.rotate_left(2);
        let t = Topology::build(&[vec![vec![outer, hole]], vec![vec![inner]]]);
        let closed_shared: Vec<&Arc> = t
            .arcs
            .iter()
            .filter(|a| a.closed && a.owners.len() == 2)
            .collect();
        assert_eq!(closed_shared.len(), 1);
        assert_eq!(t.arcs.len(), 2);
    }

    #[test]
    fn douglas_peucker_keeps_what_stands_out_and_closed_rings_keep_an_area() {
        // A zigzag along y = 0 with one spike.
        let points: Vec<Point> = vec![
            [0.0, 0.0],
            [1.0, 0.1],
            [2.0, -0.1],
            [3.0, 5.0],
            [4.0, 0.1],
            [5.0, 0.0],
        ];
        let vertices: Vec<u32> = (0..6).collect();
        assert_eq!(simplify_arc(&vertices, false, &points, 2.0), vec![0, 3, 5]);
        assert_eq!(
            simplify_arc(&vertices, false, &points, 0.5),
            vec![0, 2, 3, 4, 5]
        );
        assert_eq!(simplify_arc(&vertices, false, &points, 0.0).len(), 6);
        // A closed square stays a polygon however coarse the tolerance.
        let square_points = square(0.0, 0.0, 1.0);
        let closed = simplify_arc(&[0, 1, 2, 3], true, &square_points, 100.0);
        assert_eq!(closed.len(), 3);
        let closed = simplify_arc(&[0, 1, 2, 3], true, &square_points, 0.1);
        assert_eq!(closed, vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_t_junction_cuts_every_ring_that_passes_it() {
        // Three squares: A on top spanning B and C below.
        let a = square(0.0, 1.0, 2.0);
        let b = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let c = vec![[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0]];
        // A's bottom edge has the junction point (1, 1) in it.
        let a = vec![a[0], [1.0, 1.0], a[1], a[2], a[3]];
        let t = Topology::build(&[vec![vec![a]], vec![vec![b]], vec![vec![c]]]);
        let pairs: Vec<Vec<usize>> = t
            .arcs
            .iter()
            .map(|x| {
                let mut o = x.owners.clone();
                o.sort();
                o
            })
            .collect();
        assert!(pairs.contains(&vec![0, 1]));
        assert!(pairs.contains(&vec![0, 2]));
        assert!(pairs.contains(&vec![1, 2]));
    }
}
