//! Times drawing every flower box of a built site to PNG on one thread, three times over with
//! one rasterizer: the first round keeps the layers that repeat within it, the second the
//! ones seen once (titles), the third draws nothing new.
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
        let mut bytes = 0;
        for svg in &svgs {
            bytes += rasterizer.png(svg)?.len();
        }
        let count = svgs.len().max(1);
        println!(
            "{round}: {} pictures, {:.2} ms each, {} bytes each",
            svgs.len(),
            start.elapsed().as_secs_f64() * 1000.0 / count as f64,
            bytes / count
        );
    }
    Ok(())
}
