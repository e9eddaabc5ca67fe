//! Times rasterising SVG files to PNG, per picture:
//! `cargo run --release --example scratch_raster -- a.svg b.svg ...`.

use blomlada::render::png::Rasterizer;
use std::time::{Duration, Instant};
fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let svgs: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let r = Rasterizer::new();
    let t = Instant::now();
    let mut bytes = 0;
    for s in &svgs {
        bytes += r.png(s).unwrap().len();
    }
    let e: Duration = t.elapsed();
    println!(
        "{} pictures, {:?} each, {} bytes each",
        svgs.len(),
        e / svgs.len() as u32,
        bytes / svgs.len()
    );
}
