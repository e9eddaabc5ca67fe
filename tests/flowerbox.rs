//! The flower box of the bundled catalogue, as the page renderer will draw it.

use std::path::Path;

use blomlada::content::load_catalogs;
use blomlada::diagnostics::Diagnostics;
use blomlada::model::{Answer, Catalog};
use blomlada::render::credit::Credit;
use blomlada::render::flowerbox::{Labels, Place, render_svg};
use blomlada::render::png::Rasterizer;
use blomlada::stats::Tally;
use resvg::tiny_skia::Pixmap;

const LABELS: Labels<'static> = Labels {
    title: "Blomlåda för Kumla 2017",
    summary: "10 uppfyller helt, 38 delvis, 38 inte och 2 obesvarade av 88 indikatorer",
    helt: "Uppfyller helt",
    delvis: "Uppfyller delvis",
    inte: "Uppfyller inte",
    obesvarad: "Obesvarad",
    grass: "Gräset: ledning och arbetssätt",
    soil: "Jorden: tekniska förutsättningar",
    credit: Some(Credit {
        source: "Källa: eBlomlådan · example.org · 2017",
        example_mark: Some("EXEMPELDATA"),
    }),
};

fn v3() -> Catalog {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut diagnostics = Diagnostics::new();
    let catalogs = load_catalogs(&content, &mut diagnostics).expect("the bundled catalogues load");
    catalogs
        .into_iter()
        .find(|c| c.id == "v3")
        .expect("v3 is bundled")
}

/// 10 helt, 38 delvis, 38 inte and 2 unanswered, spread over the catalogue.
fn municipality(catalog: &Catalog) -> Vec<Tally> {
    (0..catalog.indicators.len())
        .map(|i| {
            Tally::of(match i {
                20 | 71 => None,
                i if i % 9 == 0 => Some(Answer::Helt),
                i if i % 2 == 0 => Some(Answer::Delvis),
                _ => Some(Answer::Inte),
            })
        })
        .collect()
}

/// 290 municipalities with answers that vary by indicator.
fn nation(catalog: &Catalog) -> Vec<Tally> {
    (0..catalog.indicators.len() as u32)
        .map(|i| {
            let helt = 20 + (i * 41) % 180;
            let delvis = (290 - helt) * (1 + i % 3) / 5;
            let obesvarad = i % 4;
            Tally {
                helt,
                delvis,
                inte: 290 - helt - delvis - obesvarad,
                obesvarad,
            }
        })
        .collect()
}

#[test]
fn municipality_snapshot() {
    let catalog = v3();
    let tallies = municipality(&catalog);
    let sum = tallies.iter().fold(Tally::default(), |mut sum, t| {
        sum.merge(t);
        sum
    });
    assert_eq!(
        sum,
        Tally {
            helt: 10,
            delvis: 38,
            inte: 38,
            obesvarad: 2
        }
    );
    insta::assert_snapshot!(
        "municipality",
        render_svg(&catalog, &tallies, &LABELS, "kommun-", Place::File)
    );
}

#[test]
fn aggregate_snapshot() {
    let catalog = v3();
    let labels = Labels {
        title: "Blomlåda för riket 2017",
        summary: "290 kommuner",
        ..LABELS
    };
    insta::assert_snapshot!(
        "aggregate",
        render_svg(&catalog, &nation(&catalog), &labels, "riket-", Place::File)
    );
}

/// How many pixels have exactly this colour.
fn pixels_of(pixmap: &Pixmap, hex: &str) -> usize {
    let channel = |i: usize| u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap();
    let (r, g, b) = (channel(0), channel(1), channel(2));
    pixmap
        .pixels()
        .iter()
        .filter(|p| p.red() == r && p.green() == g && p.blue() == b)
        .count()
}

#[test]
fn png_shows_every_answer_and_the_text() {
    let catalog = v3();
    let svg = render_svg(&catalog, &municipality(&catalog), &LABELS, "", Place::File);
    let png = Rasterizer::new().png(&svg).unwrap();
    let pixmap = Pixmap::decode_png(&png).unwrap();
    // 630 for the picture, and the source strip under it.
    assert_eq!((pixmap.width(), pixmap.height()), (1200, 656));
    // The fills of helt, delvis, inte and obesvarad, the soil, and the ink of outlines and text.
    for colour in [
        "#4e9f46", "#f3c53a", "#dc4b32", "#d2d4d0", "#c49a6c", "#1d2a1d",
    ] {
        assert!(
            pixels_of(&pixmap, colour) > 200,
            "{colour}: {}",
            pixels_of(&pixmap, colour)
        );
    }
    // The title is drawn: dark pixels in its corner, where nothing else is.
    let title_ink = (0..300)
        .flat_map(|x| (10..45).map(move |y| (x, y)))
        .filter(|&(x, y)| pixmap.pixel(x, y).is_some_and(|p| p.red() < 100))
        .count();
    assert!(title_ink > 300, "{title_ink}");
}

#[test]
fn rasterizer_is_shared_across_threads() {
    let catalog = v3();
    let rasterizer = Rasterizer::new();
    let svgs: Vec<String> = (0..4)
        .map(|i| {
            render_svg(
                &catalog,
                &municipality(&catalog)[i..],
                &LABELS,
                "",
                Place::File,
            )
        })
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = svgs
            .iter()
            .map(|svg| scope.spawn(|| rasterizer.png(svg)))
            .collect();
        for handle in handles {
            assert!(handle.join().unwrap().is_ok());
        }
    });
}
