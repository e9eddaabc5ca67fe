//! Compares PNGs drawn now with PNGs drawn before (another build's output): the largest
//! difference of a channel, how many pixels differ, and the time to draw them now.
//!
//! cargo run --release --example png_compare -- OUTPUT_BUILT_BEFORE   (a site built with PNGs)

use std::time::Instant;

use resvg::tiny_skia::Pixmap;

fn main() -> Result<(), String> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: png_compare OUTPUT_DIR")?;
    let rasterizer = blomlada::render::png::Rasterizer::new();
    let (mut pictures, mut worst, mut differing, mut total) = (0, 0u8, 0usize, 0usize);
    let start = Instant::now();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "png") {
            continue;
        }
        let svg = path.with_extension("svg");
        let Ok(svg) = std::fs::read_to_string(&svg) else {
            continue;
        };
        let before = Pixmap::decode_png(&std::fs::read(path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        let now = rasterizer.png(&svg)?;
        let now = Pixmap::decode_png(&now).map_err(|e| e.to_string())?;
        if (now.width(), now.height()) != (before.width(), before.height()) {
            return Err(format!("{}: another size", path.display()));
        }
        let mut this_worst = 0;
        for (a, b) in now
            .data()
            .chunks_exact(4)
            .zip(before.data().chunks_exact(4))
        {
            let d = a
                .iter()
                .zip(b)
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap_or(0);
            if d > 0 {
                differing += 1;
            }
            this_worst = this_worst.max(d);
        }
        if this_worst > worst {
            println!("{}: {this_worst}", path.display());
        }
        worst = worst.max(this_worst);
        total += now.data().len() / 4;
        pictures += 1;
    }
    println!(
        "{pictures} pictures in {:?}; largest difference {worst}; {differing} of {total} pixels differ",
        start.elapsed()
    );
    Ok(())
}
