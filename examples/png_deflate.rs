//! Times deflating the rows of every flower box PNG of a built site, with this project's
//! deflate (`render::png::deflate`) and with zlib-rs at level 3 (what it replaced), on one
//! thread, and checks that every stream inflates to the rows again.
//!
//! cargo run --release --example png_deflate -- OUTPUT_DIR [PICTURES]

use std::io::Read;
use std::time::{Duration, Instant};

use blomlada::render::png::deflate::Deflater;
use flate2::{Compress, Compression, FlushCompress};

const ROUNDS: usize = 5;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: png_deflate OUTPUT_DIR [PICTURES]")?;
    let limit: usize = args
        .next()
        .map_or(Ok(300), |n| n.parse())
        .map_err(|e| format!("{e}"))?;
    let pictures: Vec<(Vec<u8>, usize, usize)> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .take(limit)
        .map(|e| rows(&std::fs::read(e.path()).map_err(|e| e.to_string())?))
        .collect::<Result<_, _>>()?;
    let count = pictures.len().max(1) as f64;

    let mut deflater = Deflater::default();
    let mut zlib = Compress::new(Compression::new(3), true);
    let (mut ours, mut theirs) = (Duration::MAX, Duration::MAX);
    let (mut our_bytes, mut their_bytes) = (0, 0);
    let mut out = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        our_bytes = 0;
        for (data, row, pixel) in &pictures {
            out.clear();
            deflater.zlib(data, *row, *pixel, &mut out);
            our_bytes += out.len();
        }
        ours = ours.min(start.elapsed());
        let start = Instant::now();
        their_bytes = 0;
        for (data, _, _) in &pictures {
            out.clear();
            out.reserve(data.len() / 8);
            zlib.reset();
            zlib.compress_vec(data, &mut out, FlushCompress::Finish)
                .map_err(|e| e.to_string())?;
            their_bytes += out.len();
        }
        theirs = theirs.min(start.elapsed());
    }
    for (data, row, pixel) in &pictures {
        out.clear();
        deflater.zlib(data, *row, *pixel, &mut out);
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&out[..])
            .read_to_end(&mut back)
            .map_err(|e| e.to_string())?;
        if &back != data {
            return Err("a stream did not inflate to its rows".into());
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / count;
    println!(
        "{} pictures, best of {ROUNDS} rounds, one thread",
        pictures.len()
    );
    println!(
        "render::png::deflate: {:.3} ms, {:.0} bytes a picture",
        ms(ours),
        our_bytes as f64 / count
    );
    println!(
        "zlib-rs level 3:      {:.3} ms, {:.0} bytes a picture",
        ms(theirs),
        their_bytes as f64 / count
    );
    Ok(())
}

/// A PNG's rows as a PNG without filters holds them (a zero filter byte first in each row),
/// with the row's and a pixel's bytes.
fn rows(file: &[u8]) -> Result<(Vec<u8>, usize, usize), String> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(file))
        .read_info()
        .map_err(|e| e.to_string())?;
    let mut pixels = vec![0; reader.output_buffer_size().ok_or("picture too large")?];
    let info = reader.next_frame(&mut pixels).map_err(|e| e.to_string())?;
    let pixel = info.color_type.samples();
    let mut rows = Vec::with_capacity(info.buffer_size() + info.height as usize);
    for row in pixels[..info.buffer_size()].chunks_exact(info.line_size) {
        rows.push(0);
        rows.extend_from_slice(row);
    }
    Ok((rows, 1 + info.line_size, pixel))
}
