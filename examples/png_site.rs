//! Times drawing every flower box of a built site to PNG on one thread, three times over with
//! one rasterizer: the first round keeps the layers that repeat within it, the later rounds
//! also the ones seen once (titles) while the budget of kept layers lasts. Each round also
//! says how many layers it drew (new to it, or not kept) and how long drawing them took.
//!
//! cargo run --release --example png_site -- OUTPUT_DIR

use std::time::Instant;

fn main() -> Result<(), String> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: png_site OUTPUT_DIR")?;
    let svgs: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().file_name().is_some_and(|n| n == "blomlada.svg"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let rasterizer = blomlada::render::png::Rasterizer::new();
    for round in ["first round", "second round", "third round"] {
        let start = Instant::now();
        let (drawn_before, _) = rasterizer.layer_counts();
        let drawing_before = rasterizer.layer_drawing_time();
        let mut bytes = 0;
        for svg in &svgs {
            bytes += rasterizer.png(svg)?.len();
        }
        let count = svgs.len().max(1);
        let per_picture = |ms: f64| ms / count as f64;
        let drawn = rasterizer.layer_counts().0 - drawn_before;
        let drawing = rasterizer.layer_drawing_time() - drawing_before;
        println!(
            "{round}: {} pictures, {:.2} ms each, {} bytes each; layers drawn: {:.1} a picture, {:.2} ms of it",
            svgs.len(),
            per_picture(start.elapsed().as_secs_f64() * 1000.0),
            bytes / count,
            per_picture(drawn as f64),
            per_picture(drawing.as_secs_f64() * 1000.0),
        );
    }
    Ok(())
}
