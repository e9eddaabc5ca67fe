//! Draws the flower box of the bundled catalogue for one municipality and for an aggregate,
//! as SVG and PNG, and an HTML page with both inline, and times the drawing.
//!
//! cargo run --release --example flowerbox -- [OUT_DIR] [CONTENT_DIR]

use std::path::PathBuf;
use std::time::Instant;

use blomlada::content::load_catalogs;
use blomlada::diagnostics::Diagnostics;
use blomlada::model::Answer;
use blomlada::render::credit::Credit;
use blomlada::render::flowerbox::{Labels, Place, render_svg};
use blomlada::render::png::Rasterizer;
use blomlada::stats::Tally;

/// A small deterministic generator, so that the example draws the same picture every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// An invented municipality (mostly delvis and inte, some helt, two left unanswered) and an
/// aggregate of 290 municipalities (some indicators far along, some not).
fn invented(indicators: usize) -> (Vec<Tally>, Vec<Tally>) {
    let mut random = Lcg(1881);
    let single: Vec<Tally> = (0..indicators)
        .map(|i| {
            Tally::of(match (i, random.next() % 9) {
                (17 | 60, _) => None,
                (_, 0 | 1) => Some(Answer::Helt),
                (_, 2..=5) => Some(Answer::Delvis),
                _ => Some(Answer::Inte),
            })
        })
        .collect();
    let aggregate: Vec<Tally> = (0..indicators)
        .map(|i| {
            let lean = (i * 37 % 11) as u64;
            let mut tally = Tally::default();
            for _ in 0..290 {
                let roll = random.next() % 20;
                tally.add(match roll {
                    r if r < 2 + lean => Some(Answer::Helt),
                    r if r < 9 + lean / 2 => Some(Answer::Delvis),
                    19 => None,
                    _ => Some(Answer::Inte),
                });
            }
            tally
        })
        .collect();
    (single, aggregate)
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/flowerbox".into()));
    let content = PathBuf::from(args.next().unwrap_or_else(|| "content".into()));
    let mut diagnostics = Diagnostics::new();
    let catalogs = load_catalogs(&content, &mut diagnostics).ok_or("the catalogues do not load")?;
    let catalog = catalogs
        .iter()
        .find(|c| c.id == "v3")
        .ok_or("no catalogue v3")?;
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;

    let (single, aggregate) = invented(catalog.indicators.len());

    let summary_of = |tallies: &[Tally], of: &str| {
        let mut sum = Tally::default();
        tallies.iter().for_each(|t| sum.merge(t));
        format!(
            "{} uppfyller helt, {} delvis, {} inte och {} obesvarade av {} {of}",
            sum.helt,
            sum.delvis,
            sum.inte,
            sum.obesvarad,
            sum.total(),
            of = of
        )
    };
    let single_summary = summary_of(&single, "indikatorer");
    let aggregate_summary = summary_of(&aggregate, "svar från 290 kommuner");
    let labels = |title, summary| Labels {
        title,
        summary,
        helt: "Uppfyller helt",
        delvis: "Uppfyller delvis",
        inte: "Uppfyller inte",
        obesvarad: "Obesvarad",
        grass: "Gräset: ledning, arbetssätt och verksamhetsutveckling",
        soil: "Jorden: tekniska förutsättningar",
        credit: Some(Credit {
            source: "Källa: eBlomlådan · 2017",
            example_mark: Some("EXEMPELDATA"),
        }),
    };
    let single_labels = labels("Blomlåda för Exempelkommun 2017", &single_summary);
    let aggregate_labels = labels("Blomlåda för riket 2017 (exempeldata)", &aggregate_summary);

    let rasterizer = Rasterizer::new();
    let mut page = String::from(
        "<!doctype html><html lang=\"sv\"><meta charset=\"utf-8\"><title>Blomlåda</title>\
         <style>body{font-family:sans-serif;max-width:900px;margin:1em auto}svg{width:100%;height:auto}\
         .indicator:focus{outline:none}.indicator:focus .shape{stroke-width:3.5}</style>",
    );
    for (name, tallies, labels) in [
        ("kommun", &single, &single_labels),
        ("riket", &aggregate, &aggregate_labels),
    ] {
        let svg = render_svg(catalog, tallies, labels, &format!("{name}-"), Place::File);
        let png = rasterizer.png(&svg)?;
        std::fs::write(out.join(format!("{name}.svg")), &svg).map_err(|e| e.to_string())?;
        std::fs::write(out.join(format!("{name}.png")), &png).map_err(|e| e.to_string())?;
        page.push_str(&svg);

        let runs = 2000;
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(render_svg(catalog, tallies, labels, name, Place::File));
        }
        let per_svg = start.elapsed() / runs;
        let runs = 10;
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(rasterizer.png(&svg)?);
        }
        let per_png = start.elapsed() / runs;
        println!(
            "{name}: SVG {} bytes in {per_svg:?}, PNG {} bytes in {per_png:?}",
            svg.len(),
            png.len()
        );
    }
    page.push_str("</html>\n");
    std::fs::write(out.join("page.html"), page).map_err(|e| e.to_string())?;
    println!("written to {}", out.display());
    Ok(())
}
