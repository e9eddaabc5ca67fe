use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::layout::{BBox, Kind, Layout, Shape};
use super::narrow::{self, NARROW_WIDTH, Narrow};
use super::*;
use crate::model::{Answer, Area, Catalog, Indicator, Level, Part};

pub(super) const LABELS: Labels<'static> = Labels {
    title: "Blomlåda för Kumla 2017",
    summary: "10 uppfyller helt, 38 delvis, 40 inte av 88 indikatorer",
    helt: "Uppfyller helt",
    delvis: "Uppfyller delvis",
    inte: "Uppfyller inte",
    obesvarad: "Obesvarad",
    grass: "Gräset: ledning och arbetssätt",
    soil: "Jorden: tekniska förutsättningar",
    credit: None,
    language: crate::model::Language::Sv,
};

/// One area of a synthetic catalogue.
struct AreaSpec {
    level: Level,
    name: String,
    petals: usize,
    leaves: usize,
}

fn flower(name: &str, petals: usize, leaves: usize) -> AreaSpec {
    AreaSpec {
        level: Level::Flower,
        name: name.to_string(),
        petals,
        leaves,
    }
}

fn ground(level: Level, name: &str, count: usize) -> AreaSpec {
    AreaSpec {
        level,
        name: name.to_string(),
        petals: count,
        leaves: 0,
    }
}

fn catalog(specs: &[AreaSpec]) -> Catalog {
    let mut areas = Vec::new();
    let mut indicators = Vec::new();
    for (a, spec) in specs.iter().enumerate() {
        let first = indicators.len();
        let id = format!("area-{a}");
        for k in 0..spec.petals + spec.leaves {
            indicators.push(Indicator {
                id: format!("{id}-{}", k + 1),
                text: format!("Indikator {} i {}", k + 1, spec.name),
                text_en: None,
                part: if k < spec.petals || spec.level != Level::Flower {
                    Part::Petal
                } else {
                    Part::Leaf
                },
                area: a,
                replaces: Vec::new(),
            });
        }
        areas.push(Area {
            id,
            level: spec.level,
            name: spec.name.clone(),
            short: None,
            name_en: None,
            short_en: None,
            indicators: first..indicators.len(),
        });
    }
    let indicator_by_id = indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.id.clone(), i))
        .collect();
    Catalog {
        id: "test".into(),
        name: "Test".into(),
        description: None,
        name_en: None,
        description_en: None,
        areas,
        indicators,
        indicator_by_id,
        source: PathBuf::from("catalogs/test.yaml"),
    }
}

/// The extremes the picture must handle.
fn extreme_catalogs() -> Vec<(&'static str, Catalog)> {
    let long = "Kulturintresserade, fritidsutövare, besökare och alla andra som bor eller vistas i kommunen";
    vec![
        ("one petal", catalog(&[flower("Äldre", 1, 0)])),
        (
            "twelve full flowers",
            catalog(
                &(0..12)
                    .map(|i| flower(if i % 3 == 0 { long } else { "Barn & elever" }, 20, 10))
                    .chain([
                        ground(Level::Grass, "Ledning", 30),
                        ground(Level::Soil, "Teknik", 14),
                    ])
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "sixty grass and sixty soil",
            catalog(&[
                flower("Företagare", 6, 0),
                ground(
                    Level::Grass,
                    "Ledning, arbetssätt och verksamhetsutveckling",
                    60,
                ),
                ground(Level::Soil, "Tekniska förutsättningar", 60),
            ]),
        ),
        (
            "several grass and soil areas",
            catalog(&[
                flower("Äldre", 8, 2),
                flower("Barn", 5, 1),
                flower(long, 9, 0),
                ground(Level::Grass, "Ledning", 12),
                ground(Level::Grass, "Arbetssätt och verksamhetsutveckling", 20),
                ground(Level::Grass, long, 28),
                ground(Level::Soil, "Infrastruktur", 25),
                ground(Level::Soil, "E-tjänsteplattform", 20),
                ground(Level::Soil, long, 15),
            ]),
        ),
        (
            "many small areas",
            catalog(
                &(0..10)
                    .map(|i| ground(Level::Grass, &format!("Gräsområde {i}"), 6))
                    .chain(
                        (0..10).map(|i| {
                            ground(Level::Soil, &format!("Jordområde med långt namn {i}"), 6)
                        }),
                    )
                    .chain([flower("Ensam", 3, 0)])
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "leaves only and empty areas",
            catalog(&[
                flower("Bara blad", 0, 10),
                flower("Tom", 0, 0),
                ground(Level::Grass, "", 0),
                ground(Level::Soil, "Tomt", 0),
            ]),
        ),
        ("nothing", catalog(&[])),
    ]
}

fn v3() -> Catalog {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut diagnostics = crate::diagnostics::Diagnostics::new();
    let mut catalogs =
        crate::content::load_catalogs(&dir, &mut diagnostics).expect("bundled catalogues load");
    let at = catalogs
        .iter()
        .position(|c| c.id == "v3")
        .expect("v3 is bundled");
    catalogs.swap_remove(at)
}

fn single_tallies(catalog: &Catalog) -> Vec<Tally> {
    (0..catalog.indicators.len())
        .map(|i| {
            Tally::of(match i % 7 {
                0 | 3 => Some(Answer::Helt),
                1 | 4 => Some(Answer::Delvis),
                2 | 5 => Some(Answer::Inte),
                _ => None,
            })
        })
        .collect()
}

fn aggregate_tallies(catalog: &Catalog) -> Vec<Tally> {
    (0..catalog.indicators.len() as u32)
        .map(|i| Tally {
            helt: i % 13,
            delvis: (i * 5) % 11,
            inte: (i * 3) % 7,
            obesvarad: i % 3,
        })
        .collect()
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"))
}

const CANVAS: BBox = BBox {
    x0: 0.0,
    y0: 0.0,
    x1: layout::WIDTH,
    y1: layout::HEIGHT,
};

#[test]
fn units_do_not_overlap_and_stay_on_the_canvas() {
    for (name, catalog) in extreme_catalogs() {
        assert_no_overlap(name, &Layout::new(&catalog, &LABELS));
    }
}

/// Every unit's boxes against every other unit's, and against the canvas.
fn assert_no_overlap(name: &str, layout: &Layout) {
    let units = layout.units();
    for (unit, boxes) in &units {
        for b in boxes {
            assert!(CANVAS.contains(b), "{name}: {unit} {b:?} leaves the canvas");
        }
    }
    for (i, (a, boxes_a)) in units.iter().enumerate() {
        for (b, boxes_b) in &units[i + 1..] {
            for box_a in boxes_a {
                for box_b in boxes_b {
                    assert!(
                        !box_a.intersects(box_b),
                        "{name}: {a} {box_a:?} overlaps {b} {box_b:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn long_words_in_the_header_are_fitted() {
    let long =
        "Blomlåda för Kulturintresserade, fritidsutövare och besökare i Upplands Väsby kommun 2017";
    let labels = Labels {
        title: long,
        summary: long,
        helt: "Meets the indicator in full, everywhere",
        delvis: "Meets the indicator partly",
        inte: "Does not meet the indicator at all, anywhere",
        obesvarad: "Not answered",
        ..LABELS
    };
    let layout = Layout::new(&v3(), &labels);
    assert_no_overlap("long labels", &layout);
    assert!(layout.title.lines[0].ends_with('…'));
}

#[test]
fn flower_parts_keep_their_places() {
    for (name, catalog) in extreme_catalogs() {
        let layout = Layout::new(&catalog, &LABELS);
        for flower in &layout.flowers {
            let shapes = &layout.shapes[flower.shapes.clone()];
            for shape in shapes {
                let b = shape.bbox();
                assert!(
                    flower.cell.contains(&b),
                    "{name}: {shape:?} leaves its cell"
                );
                assert!(
                    !b.intersects(&flower.bar.bbox),
                    "{name}: {shape:?} covers the bar"
                );
                assert!(
                    !b.intersects(&flower.tag),
                    "{name}: {shape:?} covers the name tag"
                );
            }
            // Leaves on the same side never touch, and stay below the petals.
            let leaves: Vec<&Shape> = shapes.iter().filter(|s| s.kind == Kind::Leaf).collect();
            let petal_bottom = shapes
                .iter()
                .filter(|s| s.kind == Kind::Petal)
                .map(|s| s.bbox().y1)
                .fold(flower.center.1 + flower.disk_radius, f64::max);
            for (i, a) in leaves.iter().enumerate() {
                assert!(
                    a.bbox().y0 >= petal_bottom - 0.5,
                    "{name}: leaf {i} reaches into the petals"
                );
                for b in leaves[i + 1..].iter().skip(1).step_by(2) {
                    assert!(!a.bbox().intersects(&b.bbox()), "{name}: leaves overlap");
                }
            }
        }
    }
}

#[test]
fn blades_and_stones_do_not_overlap_each_other() {
    for (name, catalog) in extreme_catalogs() {
        let layout = Layout::new(&catalog, &LABELS);
        for segment in layout.grass.iter().chain(&layout.soil) {
            let shapes = &layout.shapes[segment.shapes.clone()];
            for (i, a) in shapes.iter().enumerate() {
                assert!(
                    segment.bounds.contains(&a.bbox()),
                    "{name}: {a:?} leaves its area"
                );
                for b in &shapes[i + 1..] {
                    assert!(
                        !a.bbox().intersects(&b.bbox()),
                        "{name}: {a:?} overlaps {b:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn real_catalogue_is_laid_out_in_one_row() {
    let catalog = v3();
    let layout = Layout::new(&catalog, &LABELS);
    assert_eq!(layout.flowers.len(), 6);
    let first_row = layout.flowers[0].cell.y0;
    assert!(layout.flowers.iter().all(|f| f.cell.y0 == first_row));
    assert_eq!(layout.grass.len(), 1);
    assert_eq!(layout.soil.len(), 1);
    assert_eq!(layout.shapes.len(), 88);
    // Flowers are big enough to read: petals at least 30 px long.
    assert!(
        layout
            .shapes
            .iter()
            .filter(|s| s.kind == Kind::Petal)
            .all(|s| s.length >= 30.0)
    );
}

#[test]
fn many_flowers_wrap_into_two_rows() {
    let catalog = catalog(&(0..12).map(|_| flower("Blomma", 8, 2)).collect::<Vec<_>>());
    let layout = Layout::new(&catalog, &LABELS);
    let rows: HashSet<i64> = layout.flowers.iter().map(|f| f.cell.y0 as i64).collect();
    assert_eq!(rows.len(), 2);
}

/// Every indicator has exactly one shape element, with its own title, class and data.
fn assert_one_shape_per_indicator(name: &str, catalog: &Catalog, svg: &str) {
    let doc = parse(svg);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for node in doc
        .descendants()
        .filter(|n| n.attribute("data-indicator").is_some())
    {
        let id = node
            .attribute("data-indicator")
            .unwrap_or_default()
            .to_string();
        let class = node.attribute("class").unwrap_or_default();
        assert!(class.starts_with("indicator "), "{name}: {class}");
        assert!(class.contains(" answer-"), "{name}: {class}");
        // Shapes take keyboard focus in a page (which marks its picture with its catalogue),
        // not in the picture's own file.
        let focusable = svg.contains(" data-catalog=\"").then_some("0");
        assert_eq!(node.attribute("tabindex"), focusable, "{name}: {id}");
        let title = node
            .children()
            .find(|c| c.has_tag_name("title"))
            .expect("title");
        assert!(
            title
                .text()
                .unwrap_or_default()
                .starts_with(&format!("{id}: ")),
            "{name}"
        );
        *seen.entry(id).or_default() += 1;
    }
    assert_eq!(seen.len(), catalog.indicators.len(), "{name}");
    for indicator in &catalog.indicators {
        assert_eq!(
            seen.get(&indicator.id),
            Some(&1),
            "{name}: {}",
            indicator.id
        );
    }
}

#[test]
fn every_indicator_has_one_titled_shape() {
    for (name, catalog) in extreme_catalogs().into_iter().chain([("v3", v3())]) {
        for tallies in [single_tallies(&catalog), aggregate_tallies(&catalog)] {
            let svg = render_svg(&catalog, &tallies, &LABELS, "fb-", Place::File);
            assert_one_shape_per_indicator(name, &catalog, &svg);
        }
    }
}

#[test]
fn svg_is_accessible_and_ids_are_unique() {
    let catalog = v3();
    let svg = render_svg(
        &catalog,
        &aggregate_tallies(&catalog),
        &LABELS,
        "kumla-",
        Place::File,
    );
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some("kumla-title kumla-desc")
    );
    assert_eq!(
        doc.descendants()
            .find(|n| n.attribute("id") == Some("kumla-title"))
            .and_then(|n| n.text()),
        Some(LABELS.title)
    );
    assert_eq!(
        doc.descendants()
            .find(|n| n.attribute("id") == Some("kumla-desc"))
            .and_then(|n| n.text()),
        Some(LABELS.summary)
    );
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert!(ids.iter().all(|id| id.starts_with("kumla-")));
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "ids are unique"
    );
    // Every reference points at an id of this picture.
    for node in doc.descendants() {
        for attribute in node.attributes() {
            if let Some(rest) = attribute.value().strip_prefix("url(#") {
                let id = rest.trim_end_matches(')');
                assert!(ids.contains(&id), "{id}");
            }
        }
    }
    // Bars and legend have titles; one bar per area.
    let bars = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .count();
    assert_eq!(bars, catalog.areas.len());
    for node in doc.descendants().filter(|n| {
        matches!(
            n.attribute("class"),
            Some("bar" | "legend" | "legend-item answer-helt")
        )
    }) {
        assert!(
            node.first_element_child()
                .is_some_and(|c| c.has_tag_name("title"))
        );
    }
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        assert!(
            node.ancestors()
                .any(|a| a.attribute("font-family") == Some("DejaVu Sans, sans-serif"))
        );
    }
}

#[test]
fn untrusted_text_is_escaped() {
    let mut catalog = catalog(&[
        flower("A", 3, 1),
        ground(Level::Grass, "G", 2),
        ground(Level::Soil, "S", 2),
    ]);
    let evil = "<script>alert(\"x\")</script> & 'quoted' \"attr\" ]]> \u{1}";
    catalog.areas[0].name = evil.to_string();
    catalog.areas[0].short = Some(evil.to_string());
    catalog.areas[1].id = format!("g\"{evil}");
    catalog.indicators[0].text = evil.to_string();
    catalog.indicators[1].id = "x\" onload=\"alert(1)".to_string();
    let labels = Labels {
        title: evil,
        summary: evil,
        helt: evil,
        credit: Some(crate::render::credit::Credit {
            source: evil,
            example_mark: Some(evil),
        }),
        ..LABELS
    };
    for tallies in [single_tallies(&catalog), aggregate_tallies(&catalog)] {
        let svg = render_svg(&catalog, &tallies, &labels, "a\"b<c ", Place::File);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("onload=\""), "{svg}");
        let doc = parse(&svg);
        assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
        assert!(doc.descendants().all(|n| n.attribute("onload").is_none()));
        // The text survives intact (apart from the control character XML cannot hold).
        let wanted = format!(
            "{}: {}",
            catalog.indicators[0].id,
            evil.replace('\u{1}', "")
        );
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert!(titles.iter().any(|t| t.starts_with(&wanted)), "{titles:?}");
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-indicator") == Some("x\" onload=\"alert(1)"))
        );
        assert_eq!(
            doc.root_element().attribute("aria-labelledby"),
            Some("a-b-c-title a-b-c-desc")
        );
    }
}

#[test]
fn output_is_deterministic() {
    let catalog = v3();
    let tallies = aggregate_tallies(&catalog);
    let first = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
    for _ in 0..3 {
        assert_eq!(
            render_svg(&catalog, &tallies, &LABELS, "", Place::File),
            first
        );
    }
}

#[test]
fn shapes_written_once_give_the_same_picture() {
    // Single answers, aggregates, a mix of both and nothing at all; both places; an id
    // prefix that needs cleaning; and the extreme catalogues' layouts.
    let mut catalogs = vec![("v3", v3())];
    catalogs.extend(extreme_catalogs());
    for (name, catalog) in &catalogs {
        let single = single_tallies(catalog);
        let aggregate = aggregate_tallies(catalog);
        let mixed: Vec<Tally> = single
            .iter()
            .zip(&aggregate)
            .enumerate()
            .map(|(i, (s, a))| if i % 2 == 0 { *s } else { *a })
            .collect();
        for place in [Place::File, Place::Page] {
            for prefix in ["fb-", "x y\"<"] {
                let shapes = Shapes::new(catalog, &LABELS, prefix, place);
                for tallies in [&single, &aggregate, &mixed, &Vec::new()] {
                    let drawn = render(catalog, tallies, &LABELS, prefix, place);
                    let copied =
                        render_with(catalog, tallies, &LABELS, prefix, place, Some(&shapes));
                    assert_eq!(copied, drawn, "{name}, {place:?}, {prefix:?}");
                }
            }
        }
    }
    // The copies are used: shapes made for other words show in the picture.
    let catalog = v3();
    let tallies = single_tallies(&catalog);
    let other = Labels {
        helt: "Fully",
        ..LABELS
    };
    let shapes = Shapes::new(&catalog, &other, "fb-", Place::File);
    let svg = render_with(
        &catalog,
        &tallies,
        &LABELS,
        "fb-",
        Place::File,
        Some(&shapes),
    )
    .svg;
    assert!(svg.contains("— Fully</title>"), "{svg}");
}

/// The `answer-*` classes of the indicator shapes, in catalogue order.
fn answer_classes(svg: &str) -> Vec<String> {
    let doc = parse(svg);
    let mut by_id: Vec<(String, String)> = doc
        .descendants()
        .filter_map(|n| {
            let id = n.attribute("data-indicator")?;
            let class = n
                .attribute("class")?
                .split(' ')
                .find(|c| c.starts_with("answer-"))?;
            Some((id.to_string(), class.to_string()))
        })
        .collect();
    by_id.sort();
    by_id.into_iter().map(|(_, class)| class).collect()
}

#[test]
fn single_answers_paint_one_colour_and_pattern() {
    let catalog = catalog(&[flower("A", 4, 0)]);
    let tallies = [
        Some(Answer::Helt),
        Some(Answer::Delvis),
        Some(Answer::Inte),
        None,
    ]
    .map(Tally::of);
    let svg = render_svg(&catalog, &tallies, &LABELS, "p-", Place::File);
    assert_eq!(
        answer_classes(&svg),
        [
            "answer-helt",
            "answer-delvis",
            "answer-inte",
            "answer-obesvarad"
        ]
    );
    let doc = parse(&svg);
    let fills: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("data-indicator").is_some())
        .map(|n| {
            // The outline: the shape's last element.
            n.children()
                .rfind(|c| c.is_element())
                .and_then(|e| e.attribute("fill"))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        fills,
        [
            "#4e9f46",
            "url(#p-fill-delvis)",
            "url(#p-fill-inte)",
            "url(#p-fill-obesvarad)"
        ]
    );
    assert!(!svg.contains("clipPath"), "single answers need no bands");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("data-indicator").is_some())
        .filter_map(|n| {
            n.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    assert!(titles[0].ends_with("— Uppfyller helt"), "{}", titles[0]);
    assert!(titles[3].ends_with("— Obesvarad"), "{}", titles[3]);
}

#[test]
fn aggregates_show_the_distribution_in_every_shape() {
    let catalog = catalog(&[
        flower("A", 2, 1),
        ground(Level::Grass, "G", 1),
        ground(Level::Soil, "S", 1),
    ]);
    let tallies = [
        Tally {
            helt: 12,
            delvis: 5,
            inte: 3,
            obesvarad: 0,
        },
        Tally {
            helt: 1,
            delvis: 1,
            inte: 4,
            obesvarad: 1,
        },
        Tally {
            helt: 0,
            delvis: 2,
            inte: 0,
            obesvarad: 0,
        },
        Tally {
            helt: 3,
            delvis: 3,
            inte: 0,
            obesvarad: 0,
        },
        Tally {
            helt: 0,
            delvis: 0,
            inte: 0,
            obesvarad: 0,
        },
    ];
    let svg = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
    assert_eq!(
        answer_classes(&svg),
        [
            "answer-helt",
            "answer-inte",
            "answer-delvis",
            "answer-helt",
            "answer-obesvarad"
        ]
    );
    let doc = parse(&svg);
    // In catalogue order (leaves are drawn before petals).
    let mut shapes: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("data-indicator").is_some())
        .collect();
    shapes.sort_by_key(|n| {
        n.attribute("data-indicator")
            .unwrap_or_default()
            .to_string()
    });
    let band_count = |n: &roxmltree::Node| {
        n.descendants()
            .filter(|d| {
                // Bands are paths in a group of their own; the lines between bands have
                // no fill.
                d.has_tag_name("path")
                    && d.attribute("fill").is_some()
                    && d.parent()
                        .is_some_and(|p| p.attribute("data-layer") == Some("whole"))
            })
            .count()
    };
    let bands: Vec<usize> = shapes.iter().map(band_count).collect();
    assert_eq!(bands, [3, 4, 1, 2, 0]);
    let title = shapes[0]
        .children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
        .unwrap_or_default();
    assert!(
        title.ends_with("Uppfyller helt 12, Uppfyller delvis 5, Uppfyller inte 3, Obesvarad 0"),
        "{title}"
    );
}

#[test]
fn band_areas_follow_the_counts() {
    for kind in [Kind::Petal, Kind::Leaf, Kind::Blade, Kind::Stone] {
        let shape = Shape {
            indicator: 0,
            kind,
            x: 0.0,
            y: 0.0,
            angle: 0.0,
            start: 10.0,
            length: 50.0,
            width: 20.0,
            bend: 3.0,
        };
        assert_eq!(shape.axis_at_area(0.0), 0.0);
        assert_eq!(shape.axis_at_area(1.0), 1.0);
        // Symmetric shapes split in half at the middle; a blade, wide at its base, lower.
        let half = shape.axis_at_area(0.5);
        match kind {
            Kind::Blade => assert!((half - (1.0 - 0.5f64.sqrt())).abs() < 1e-9),
            _ => assert!((half - 0.5).abs() < 1e-4, "{kind:?} {half}"),
        }
        let mut last = 0.0;
        for step in 1..20 {
            let t = shape.axis_at_area(f64::from(step) / 20.0);
            assert!(t > last, "{kind:?}");
            last = t;
        }
    }
}

/// The first bar of a parsed picture.
fn first_bar<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> roxmltree::Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.attribute("class") == Some("bar"))
        .expect("bar")
}

#[test]
fn bars_stack_the_answers_of_their_area() {
    let catalog = catalog(&[flower("A", 4, 0)]);
    let tallies = [
        Some(Answer::Helt),
        Some(Answer::Helt),
        Some(Answer::Inte),
        None,
    ]
    .map(Tally::of);
    let svg = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
    let doc = parse(&svg);
    let bar = first_bar(&doc);
    let title = bar
        .children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
        .unwrap_or_default();
    assert_eq!(
        title,
        "A: Uppfyller helt 2, Uppfyller delvis 0, Uppfyller inte 1, Obesvarad 1"
    );
    let rects: Vec<(f64, f64, String)> = bar
        .children()
        .filter(|c| c.has_tag_name("rect"))
        .map(|r| {
            let number = |name| {
                r.attribute(name)
                    .and_then(|v: &str| v.parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            (
                number("y"),
                number("height"),
                r.attribute("fill").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(rects.len(), 4, "three answers and the outline");
    let outline = &rects[3];
    assert_eq!(rects[0].2, "#4e9f46");
    assert!(
        (rects[0].1 - outline.1 / 2.0).abs() < 0.15,
        "helt is half the bar"
    );
    assert!((rects[1].1 - outline.1 / 4.0).abs() < 0.15);
    assert!(
        rects[0].0 > rects[1].0 && rects[1].0 > rects[2].0,
        "helt at the bottom"
    );
}

#[test]
fn a_share_too_small_to_show_is_left_out_of_its_bar() {
    // One inte among 100 000 answers is far less than a tenth of a unit of the bar.
    let catalog = catalog(&[flower("A", 2, 0)]);
    let tallies = [
        Tally {
            helt: 99_999,
            inte: 1,
            ..Tally::default()
        },
        Tally::default(),
    ];
    let svg = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
    let doc = parse(&svg);
    let bar = first_bar(&doc);
    let heights: Vec<&str> = bar
        .children()
        .filter(|c| c.has_tag_name("rect"))
        .filter_map(|r| r.attribute("height"))
        .collect();
    assert_eq!(heights.len(), 2, "helt and the outline: {heights:?}");
    assert!(heights.iter().all(|h| *h != "0"), "{heights:?}");
    assert!(
        !svg.contains("height=\"0\""),
        "no rect of height 0 anywhere"
    );
}

#[test]
fn missing_tallies_count_as_unanswered() {
    let catalog = catalog(&[flower("A", 3, 0)]);
    let svg = render_svg(&catalog, &[], &LABELS, "", Place::File);
    assert_eq!(answer_classes(&svg), ["answer-obesvarad"; 3]);
}

#[test]
fn numbers_are_short_and_never_negative_zero() {
    assert_eq!(N(12.0).to_string(), "12");
    assert_eq!(N(12.04).to_string(), "12");
    assert_eq!(N(-0.04).to_string(), "0");
    assert_eq!(N(-3.25).to_string(), "-3.3");
    assert_eq!(N(0.46).to_string(), "0.5");
    assert_eq!(N(1200.0).to_string(), "1200");
    assert_eq!(N(-1200.06).to_string(), "-1200.1");
    assert_eq!(N(0.0).to_string(), "0");
    assert_eq!(N(109.95).to_string(), "110");
    // Out of range: clamped, never a panic.
    assert_eq!(N(f64::MAX).to_string(), "922337203685477580.7");
    assert_eq!(N(f64::MIN).to_string(), "-922337203685477580.8");
}

#[test]
fn dominant_answer_prefers_the_better_on_a_tie() {
    assert_eq!(
        dominant(&Tally {
            helt: 2,
            delvis: 2,
            inte: 1,
            obesvarad: 0
        }),
        0
    );
    assert_eq!(
        dominant(&Tally {
            helt: 0,
            delvis: 1,
            inte: 3,
            obesvarad: 3
        }),
        2
    );
    assert_eq!(dominant(&Tally::default()), 3);
}

#[test]
fn pictures_drawn_in_layers_are_the_pictures_drawn_whole() {
    // The PNGs are drawn from layers kept between pictures (`render::png::layers`): each real
    // kind of picture, drawn so, equals it drawn whole up to the rounding of blending.
    let rasterizer = crate::render::png::Rasterizer::new();
    let marked = Labels {
        title: "Blomlåda för <Å & \"Ö\">",
        credit: Some(crate::render::credit::Credit {
            source: "Källa: eBlomlådan · 2017",
            example_mark: Some("EXEMPELDATA"),
        }),
        ..LABELS
    };
    let mut catalogs = vec![("v3", v3())];
    catalogs.extend(extreme_catalogs());
    for (name, catalog) in &catalogs {
        for (kind, tallies) in [
            ("single", single_tallies(catalog)),
            ("aggregate", aggregate_tallies(catalog)),
        ] {
            for labels in [&LABELS, &marked] {
                let svg = render_svg(catalog, &tallies, labels, "", Place::File);
                let before = rasterizer.layer_counts();
                let layered = rasterizer.png(&svg).unwrap();
                let after = rasterizer.layer_counts();
                let whole = rasterizer.png_whole(&svg).unwrap();
                let difference = crate::render::png::largest_difference(&layered, &whole);
                assert!(difference <= 3, "{name} {kind}: {difference}");
                let layers = (after.0 + after.1) - (before.0 + before.1);
                assert!(
                    layers > catalog.indicators.len(),
                    "{name} {kind}: {layers} layers"
                );
                // A shape in bands is two layers, its bands (a group marked to be one layer)
                // and its outline, not one for each band and line:
                // 265 layers in the catalogue's picture, not 679.
                assert!(
                    *name != "v3" || layers <= 2 * catalog.indicators.len() + 100,
                    "{name} {kind}: {layers} layers"
                );
            }
        }
    }
    // Seen twice, every layer of a picture is kept: the third time nothing is drawn.
    let svg = render_svg(
        &catalogs[0].1,
        &single_tallies(&catalogs[0].1),
        &marked,
        "",
        Place::File,
    );
    let first = rasterizer.png(&svg).unwrap();
    rasterizer.png(&svg).unwrap();
    let (drawn, reused) = rasterizer.layer_counts();
    assert_eq!(rasterizer.png(&svg).unwrap(), first);
    let (drawn_after, reused_after) = rasterizer.layer_counts();
    assert_eq!(drawn_after, drawn);
    assert!(reused_after - reused > catalogs[0].1.indicators.len());
}

/// Writes the extreme catalogues as SVG and PNG to look at:
/// `cargo test --lib flowerbox::tests::write_extremes -- --ignored`.
#[test]
#[ignore]
fn write_extremes() {
    let out = std::env::temp_dir().join("flowerbox-extremes");
    std::fs::create_dir_all(&out).unwrap();
    let rasterizer = crate::render::png::Rasterizer::new();
    for (name, catalog) in extreme_catalogs() {
        for (kind, tallies) in [
            ("single", single_tallies(&catalog)),
            ("aggregate", aggregate_tallies(&catalog)),
        ] {
            let svg = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
            let file = format!("{}-{kind}", name.replace(' ', "-"));
            std::fs::write(out.join(format!("{file}.svg")), &svg).unwrap();
            std::fs::write(
                out.join(format!("{file}.png")),
                rasterizer.png(&svg).unwrap(),
            )
            .unwrap();
        }
    }
    println!("written to {}", out.display());
}

#[test]
fn catalogues_beyond_the_design_range_still_draw() {
    // Far more than any real catalogue: crowded, but every indicator still has its shape.
    let catalog = catalog(
        &(0..40)
            .map(|_| flower("Blomma", 30, 14))
            .chain((0..30).map(|i| ground(Level::Grass, &format!("Gräs {i}"), 20)))
            .chain([ground(Level::Soil, "Jord", 500)])
            .collect::<Vec<_>>(),
    );
    for tallies in [single_tallies(&catalog), aggregate_tallies(&catalog)] {
        let svg = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
        assert_one_shape_per_indicator("huge", &catalog, &svg);
        let doc = parse(&svg);
        // The wide drawing stays near its canvas (the narrow one is far off, by design).
        for node in doc.descendants().filter(|n| {
            !n.ancestors()
                .any(|a| a.attribute("class") == Some("narrow") || a.has_tag_name("view"))
        }) {
            for name in ["x", "y", "width", "height", "cx", "cy", "rx", "ry", "r"] {
                if let Some(value) = node.attribute(name) {
                    let number: f64 = value.parse().unwrap();
                    assert!(number.abs() <= 2000.0, "{name}={value}");
                }
            }
        }
    }
}

#[test]
fn shapes_are_turned_in_their_coordinates_not_by_a_rotation() {
    // resvg fills patterns bicubically under a rotation, several times slower: the picture
    // must not ask for one, for single answers nor for aggregates, in any shape.
    for (name, catalog) in extreme_catalogs().into_iter().chain([("v3", v3())]) {
        for tallies in [single_tallies(&catalog), aggregate_tallies(&catalog)] {
            let svg = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
            assert!(!svg.contains("rotate("), "{name}: a rotation is written");
            for pattern in parse(&svg)
                .descendants()
                .filter(|n| n.has_tag_name("pattern"))
            {
                assert!(pattern.attribute("patternTransform").is_none(), "{name}");
                let size = pattern.attribute("width").unwrap_or_default();
                assert!(
                    size.parse::<u32>().is_ok(),
                    "{name}: tile {size} is not whole"
                );
            }
        }
    }
}

#[test]
fn a_turned_petal_is_where_the_rotation_would_put_it() {
    let shape = Shape {
        indicator: 0,
        kind: Kind::Petal,
        x: 100.0,
        y: 100.0,
        angle: 90.0,
        start: 10.0,
        length: 40.0,
        width: 20.0,
        bend: 0.0,
    };
    // Turned a quarter clockwise, the petal that pointed up points right: its horizontal
    // axis, from (-10, -30) to (10, -30) of its anchor, goes from (30, -10) to (30, 10) of it;
    // the anchor is at (100, 100) of the picture.
    let turn = Turn::of(&shape);
    let round = |(x, y): (f64, f64)| ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0);
    assert_eq!(round(turn.point(-10.0, -30.0)), (130.0, 90.0));
    assert_eq!(round(turn.point(10.0, -30.0)), (130.0, 110.0));
    let unturned = Turn::of(&Shape {
        angle: 0.0,
        ..shape
    });
    assert_eq!(unturned.point(-10.0, -30.0), (90.0, 70.0));
}

/// Every catalogue the narrow layout is tried on.
fn all_catalogs() -> Vec<(&'static str, Catalog)> {
    extreme_catalogs()
        .into_iter()
        .chain([("v3", v3())])
        .collect()
}

#[test]
fn narrow_text_is_never_smaller_than_the_minimum_and_stays_on_its_canvas() {
    for (name, catalog) in all_catalogs() {
        let wide = Layout::new(&catalog, &LABELS);
        let narrow = Narrow::new(&catalog, &LABELS, &wide);
        let canvas = BBox::new(0.0, 0.0, NARROW_WIDTH, narrow.height);
        for text in narrow.texts() {
            assert!(
                text.font_size >= narrow::MIN_FONT,
                "{name}: {:?} at {}",
                text.lines,
                text.font_size
            );
            assert!(canvas.contains(&text.bbox), "{name}: {:?}", text.lines);
        }
        for flower in &narrow.flowers {
            let drawn = flower.placement.apply(&flower.source);
            assert!(canvas.contains(&drawn), "{name}: flower {drawn:?}");
            assert!(canvas.contains(&flower.tag), "{name}: tag {:?}", flower.tag);
        }
        for strip in narrow.grass.iter().chain(&narrow.soil) {
            for window in &strip.windows {
                for cell in &window.clip {
                    let drawn = window.placement.apply(cell);
                    assert!(canvas.contains(&drawn), "{name}: window {drawn:?}");
                }
            }
        }
    }
}

#[test]
fn narrow_parts_do_not_overlap() {
    for (name, catalog) in all_catalogs() {
        let wide = Layout::new(&catalog, &LABELS);
        let narrow = Narrow::new(&catalog, &LABELS, &wide);
        let mut parts: Vec<(String, BBox)> = narrow
            .texts()
            .into_iter()
            .filter(|t| !t.lines.is_empty())
            .map(|t| (format!("text {:?}", t.lines), t.bbox))
            .collect();
        for (i, flower) in narrow.flowers.iter().enumerate() {
            parts.push((
                format!("flower {i}"),
                flower.placement.apply(&flower.source),
            ));
        }
        for (i, strip) in narrow.grass.iter().chain(&narrow.soil).enumerate() {
            for (j, window) in strip.windows.iter().enumerate() {
                for cell in &window.clip {
                    parts.push((
                        format!("strip {i} window {j}"),
                        window.placement.apply(cell),
                    ));
                }
            }
        }
        for (a, (name_a, box_a)) in parts.iter().enumerate() {
            for (name_b, box_b) in &parts[a + 1..] {
                if name_a == name_b {
                    continue;
                }
                // Label texts sit on their flower's tag, below the drawing: touching is fine.
                assert!(
                    !box_a.inflate(-0.5).intersects(&box_b.inflate(-0.5)),
                    "{name}: {name_a} {box_a:?} overlaps {name_b} {box_b:?}"
                );
            }
        }
    }
}

#[test]
fn narrow_windows_cut_no_shape() {
    for (name, catalog) in all_catalogs() {
        let wide = Layout::new(&catalog, &LABELS);
        let narrow = Narrow::new(&catalog, &LABELS, &wide);
        for (segment, strip) in wide
            .grass
            .iter()
            .chain(&wide.soil)
            .zip(narrow.grass.iter().chain(&narrow.soil))
        {
            assert_eq!(segment.area, strip.area);
            for shape in &wide.shapes[segment.shapes.clone()] {
                let b = shape.bbox();
                let holders = strip
                    .windows
                    .iter()
                    .filter(|w| w.clip.iter().any(|c| c.contains(&b)))
                    .count();
                assert_eq!(
                    holders, 1,
                    "{name}: shape of indicator {} {b:?} in {holders} windows",
                    shape.indicator
                );
            }
        }
    }
}

#[test]
fn narrow_drawing_has_a_view_and_uses_only_its_own_picture() {
    let catalog = v3();
    for tallies in [single_tallies(&catalog), aggregate_tallies(&catalog)] {
        let picture = render(&catalog, &tallies, &LABELS, "kumla-", Place::File);
        let doc = parse(&picture.svg);
        let ids: HashSet<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        let view = doc
            .descendants()
            .find(|n| n.has_tag_name("view"))
            .expect("a view");
        assert_eq!(view.attribute("id"), Some(picture.narrow_view.as_str()));
        assert_eq!(
            view.attribute("viewBox"),
            Some(format!("20000 0 360 {}", picture.narrow_height).as_str())
        );
        let uses: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("use"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        // Six flowers, and per grass and soil area its bar and at least one window.
        assert!(uses.len() >= 6 + 2 * 2, "{uses:?}");
        for href in uses {
            assert!(ids.contains(href.trim_start_matches('#')), "{href}");
        }
        // The small inline SVG shows the narrow drawing and is labelled like the picture.
        let inline = parse(&picture.narrow_inline);
        let root = inline.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some("kumla-title kumla-desc")
        );
        assert_eq!(root.attribute("viewBox"), view.attribute("viewBox"));
        let used = inline
            .descendants()
            .find_map(|n| n.attribute("href"))
            .expect("a use");
        assert!(ids.contains(used.trim_start_matches('#')), "{used}");
    }
}

#[test]
fn a_png_leaves_out_the_narrow_drawing_and_only_that() {
    let catalog = v3();
    let svg = render_svg(
        &catalog,
        &single_tallies(&catalog),
        &LABELS,
        "fb-",
        Place::File,
    );
    let wide = without_narrow(&svg);
    assert!(wide.len() < svg.len());
    assert!(!wide.contains("narrow") && !wide.contains("<use") && !wide.contains("<view"));
    assert!(wide.ends_with("</g>\n</svg>\n"));
    assert_eq!(
        parse(&wide)
            .descendants()
            .filter(|n| n.attribute("data-indicator").is_some())
            .count(),
        88
    );
    // Anything else is left alone, even text that looks like the drawing's start.
    let other =
        "<svg><title>narrow-g\" class=\"narrow\" transform=\"translate(20000)\"</title></svg>\n";
    assert_eq!(without_narrow(other), other);
    assert_eq!(without_narrow(wide.as_ref()), wide.as_ref());
}

#[test]
fn the_outline_rule_draws_in_ink_at_the_stroke_width_and_the_theme_has_it() {
    assert!(
        OUTLINE_RULE.contains(&format!("stroke:{INK};")),
        "{OUTLINE_RULE}"
    );
    assert!(
        OUTLINE_RULE.contains(&format!("stroke-width:{};", N(STROKE))),
        "{OUTLINE_RULE}"
    );
    // Pictures inline in the default theme's pages are outlined by its stylesheet.
    let css = include_str!("../../../themes/default/static/assets/style.css");
    assert!(css.contains(OUTLINE_RULE), "style.css lacks {OUTLINE_RULE}");
}

#[test]
fn a_picture_in_a_page_names_indicators_by_id_and_its_file_in_full() {
    let catalog = v3();
    let tallies = single_tallies(&catalog);
    let file = render_svg(&catalog, &tallies, &LABELS, "", Place::File);
    let page = render_svg(&catalog, &tallies, &LABELS, "", Place::Page);
    let first = &catalog.indicators[0];
    assert!(file.contains(&format!("<title>{}: {} — ", first.id, escape(&first.text))));
    assert!(!page.contains(&*escape(&first.text)));
    assert!(page.contains(&format!("<title>{}: {}</title>", first.id, LABELS.helt)));
    assert!(page.contains(&format!(" data-catalog=\"{}\"", catalog.id)));
    assert!(!file.contains("data-catalog"));
    assert!(file.contains(&format!("<style>{OUTLINE_RULE}</style>")));
    assert!(!page.contains("<style>"));
    // Both draw the same: only titles, that attribute and the shapes' focus differ.
    let strip = |svg: &str| -> String {
        let mut out = String::new();
        let mut rest = svg;
        while let Some(start) = rest.find("<title>") {
            out.push_str(&rest[..start]);
            rest = &rest[start + rest[start..].find("</title>").unwrap() + 8..];
        }
        out.push_str(rest);
        out.replace(&format!(" data-catalog=\"{}\"", catalog.id), "")
            .replace(" tabindex=\"0\"", "")
            .replace(&format!("<style>{OUTLINE_RULE}</style>\n"), "")
    };
    assert_eq!(strip(&file), strip(&page));
    assert!(
        page.len() < file.len() * 4 / 5,
        "{} and {}",
        page.len(),
        file.len()
    );
}

#[test]
fn bands_fill_the_outline_exactly() {
    // Every kind of shape, upright and turned, in three bands: the bands together cover what
    // the outline covers, up to the anti-aliasing where two bands meet. Drawn as in a
    // picture, a pixel a unit.
    let rasterizer = crate::render::png::Rasterizer::new();
    let picture = |shapes: &str| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1200 120\">{shapes}</svg>")
    };
    for kind in [Kind::Petal, Kind::Leaf, Kind::Blade, Kind::Stone] {
        for angle in [0.0, 45.0, 128.0, 288.0] {
            let shape = Shape {
                indicator: 0,
                kind,
                x: 60.0,
                y: 90.0,
                angle,
                start: 5.0,
                length: 60.0,
                width: 34.0,
                bend: 4.0,
            };
            let mut whole = String::new();
            super::outline(&mut whole, &shape, " fill=\"#000\"");
            let sides = super::Sides::of(&shape);
            let mut bands = String::new();
            for (from, to) in [(0.0, 0.3), (0.3, 0.72), (0.72, 1.0)] {
                bands.push_str("<path d=\"");
                sides.band(&mut bands, from, to);
                bands.push_str("\" fill=\"#000\"/>");
            }
            let alpha = |svg: &str| {
                let png = rasterizer.png_whole(&picture(svg)).unwrap();
                let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
                pixmap
                    .pixels()
                    .iter()
                    .map(|p| p.alpha())
                    .collect::<Vec<u8>>()
            };
            let (outline, banded) = (alpha(&whole), alpha(&bands));
            let apart = outline
                .iter()
                .zip(&banded)
                .filter(|(a, b)| a.abs_diff(**b) > 96)
                .count();
            assert_eq!(apart, 0, "{kind:?} at {angle}°: {bands}");
            assert!(outline.iter().filter(|a| **a == 255).count() > 500);
        }
    }
}
