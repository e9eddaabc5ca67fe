//! Times the phases of turning a flower box SVG into PNG (parsing, drawing, encoding) and
//! compares the `png` crate's encoder settings by time and size; the settings `render::png`
//! uses (no filter, RGB) were chosen with it. Its own deflate is compared with zlib-rs by
//! `examples/png_deflate.rs`.
//!
//! cargo run --release --example png_phases -- SVG_FILE

use std::time::{Duration, Instant};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

const RUNS: u32 = 5;

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: png_phases SVG_FILE")?;
    let svg = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let mut options = usvg::Options::default();
    options
        .fontdb_mut()
        .load_font_data(include_bytes!("../themes/default/fonts/DejaVuSans.ttf").to_vec());
    options.fontdb_mut().set_sans_serif_family("DejaVu Sans");

    let (mut parse, mut draw) = (Duration::ZERO, Duration::ZERO);
    let mut pixmap = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| e.to_string())?;
        parse += t.elapsed();
        let t = Instant::now();
        let scale = 1200.0 / tree.size().width();
        let height = (tree.size().height() * scale).round() as u32;
        let mut drawn = Pixmap::new(1200, height).ok_or("picture too large")?;
        resvg::render(
            &tree,
            Transform::from_scale(scale, scale),
            &mut drawn.as_mut(),
        );
        draw += t.elapsed();
        pixmap = Some(drawn);
    }
    let pixmap = pixmap.ok_or("nothing drawn")?;
    println!("parse {:?}, draw {:?}", parse / RUNS, draw / RUNS);

    let t = Instant::now();
    let mut bytes = 0;
    for _ in 0..RUNS {
        bytes = pixmap.encode_png().map_err(|e| e.to_string())?.len();
    }
    println!(
        "encode with tiny-skia's defaults (RGBA, adaptive filter, level 6): {:?}, {bytes} bytes",
        t.elapsed() / RUNS
    );
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| [p.red(), p.green(), p.blue()])
        .collect();
    use png::{DeflateCompression as D, Filter as F};
    for (name, deflate, filter) in [
        (
            "RGB, fdeflate, adaptive filter",
            D::FdeflateUltraFast,
            F::Adaptive,
        ),
        ("RGB, level 1, adaptive filter", D::Level(1), F::Adaptive),
        ("RGB, level 6, adaptive filter", D::Level(6), F::Adaptive),
        ("RGB, level 1, no filter", D::Level(1), F::NoFilter),
        ("RGB, level 2, no filter", D::Level(2), F::NoFilter),
        ("RGB, level 3, no filter", D::Level(3), F::NoFilter),
        ("RGB, level 4, no filter", D::Level(4), F::NoFilter),
        ("RGB, level 5, no filter", D::Level(5), F::NoFilter),
        ("RGB, level 6, no filter", D::Level(6), F::NoFilter),
        ("RGB, level 7, no filter", D::Level(7), F::NoFilter),
        ("RGB, level 5, up filter", D::Level(5), F::Up),
    ] {
        let t = Instant::now();
        for _ in 0..RUNS {
            let mut out = Vec::new();
            let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_deflate_compression(deflate);
            encoder.set_filter(filter);
            let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
            writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
            writer.finish().map_err(|e| e.to_string())?;
            bytes = out.len();
        }
        println!("{name}: {:?}, {bytes} bytes", t.elapsed() / RUNS);
    }
    Ok(())
}
