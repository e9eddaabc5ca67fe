//! A drawn picture written as a PNG file directly: the rows are converted once into the
//! buffer that deflate reads, and deflate writes straight into the file's one `IDAT` chunk.
//!
//! The settings were chosen by measuring flower boxes (`examples/png_phases.rs`): their
//! hatched fills repeat exactly, which deflate finds without filtering, so no filter gives a
//! smaller file than the default adaptive filter, in a fraction of the time. Deflate is the
//! project's own ([`super::deflate`]), which looks for repeats where drawn pictures have them:
//! files a little smaller than zlib-rs made at level 3, in about half the time.

use resvg::tiny_skia::{Pixmap, PremultipliedColorU8};

use super::deflate::Deflater;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
/// Colour types of the `IHDR` chunk.
const RGB: u8 = 2;
const RGBA: u8 = 6;

/// What a thread keeps from one picture to the next: the rows deflate reads and deflate's
/// own state (a few hundred kilobytes it would otherwise allocate and fault in each time).
#[derive(Default)]
pub(super) struct Encoder {
    rows: Vec<u8>,
    deflate: Deflater,
}

impl Encoder {
    /// `pixmap` as a PNG file: 8-bit RGB when it is opaque (flower boxes have a background),
    /// else RGBA; no filter, no interlacing.
    pub(super) fn png(&mut self, pixmap: &Pixmap) -> Result<Vec<u8>, String> {
        // Converted to RGB first, the alpha of every pixel taken on the way; only a picture
        // with a pixel that is not opaque is converted again, to RGBA.
        let opaque = self.convert(pixmap, 3);
        if !opaque {
            self.convert(pixmap, 4);
        }
        let channels = if opaque { 3 } else { 4 };
        self.file(pixmap.width(), pixmap.height(), channels)
    }

    /// An opaque picture of `width` × `height` pixels as an 8-bit RGB PNG file, its rows
    /// written by `lay` into the buffer deflate reads (each row after its filter byte, which
    /// `lay` leaves as it is): no canvas to convert.
    pub(super) fn png_rgb(
        &mut self,
        width: u32,
        height: u32,
        lay: impl FnOnce(&mut [u8]),
    ) -> Result<Vec<u8>, String> {
        let row_bytes = 1 + width as usize * 3;
        self.rows.resize(row_bytes * height as usize, 0);
        lay(&mut self.rows);
        self.rows.iter_mut().step_by(row_bytes).for_each(|f| *f = 0);
        self.file(width, height, 3)
    }

    /// The PNG file of the rows, `channels` bytes a pixel (3: RGB, 4: RGBA).
    fn file(&mut self, width: u32, height: u32, channels: usize) -> Result<Vec<u8>, String> {
        let row_bytes = 1 + width as usize * channels;
        let mut file = Vec::new();
        file.extend_from_slice(&SIGNATURE);
        let mut header = [0; 13];
        header[..4].copy_from_slice(&width.to_be_bytes());
        header[4..8].copy_from_slice(&height.to_be_bytes());
        header[8] = 8;
        header[9] = if channels == 3 { RGB } else { RGBA };
        chunk(&mut file, b"IHDR", |file| {
            file.extend_from_slice(&header);
            Ok(())
        })?;
        chunk(&mut file, b"IDAT", |file| {
            // Flower boxes deflate to about a twentieth of their rows.
            file.reserve(self.rows.len() / 16);
            self.deflate.zlib(&self.rows, row_bytes, channels, file);
            Ok(())
        })?;
        chunk(&mut file, b"IEND", |_| Ok(()))?;
        Ok(file)
    }

    /// Converts `pixmap` into the rows, each after its filter byte, with `channels` bytes a
    /// pixel: 3 (RGB) or 4 (RGBA). For RGB, whether every pixel was opaque: only then are
    /// the rows right.
    fn convert(&mut self, pixmap: &Pixmap, channels: usize) -> bool {
        let width = pixmap.width() as usize;
        let row_bytes = 1 + width * channels;
        self.rows.resize(row_bytes * pixmap.height() as usize, 0);
        let rows = self.rows.chunks_exact_mut(row_bytes);
        let sources = pixmap
            .data()
            .chunks_exact(width * 4)
            .zip(pixmap.pixels().chunks_exact(width));
        let mut alpha = u8::MAX;
        for (row, (bytes, pixels)) in rows.zip(sources) {
            let (filter, row) = row.split_at_mut(1);
            filter[0] = 0;
            if channels == 3 {
                alpha &= rgb_row(bytes, row);
            } else {
                rgba_row(pixels, row);
            }
        }
        alpha == u8::MAX
    }
}

/// Opaque premultiplied colour is the colour: drops every fourth byte, four pixels (three
/// words of RGB) at a time. Returns the alpha of all pixels taken together (`&`): 255 when
/// every pixel was opaque, and the row is right.
pub(super) fn rgb_row(pixels: &[u8], row: &mut [u8]) -> u8 {
    let mut targets = row.chunks_exact_mut(12);
    let mut sources = pixels.chunks_exact(16);
    let mut all = u32::MAX;
    for (rgb, p) in (&mut targets).zip(&mut sources) {
        let word = |i: usize| u32::from_le_bytes(p[i..i + 4].try_into().unwrap_or_default());
        let (p0, p1, p2, p3) = (word(0), word(4), word(8), word(12));
        all &= p0 & p1 & p2 & p3;
        rgb[0..4].copy_from_slice(&((p0 & 0xff_ffff) | (p1 << 24)).to_le_bytes());
        rgb[4..8].copy_from_slice(&(((p1 >> 8) & 0xffff) | (p2 << 16)).to_le_bytes());
        rgb[8..12].copy_from_slice(&(((p2 >> 16) & 0xff) | (p3 << 8)).to_le_bytes());
    }
    for (rgb, p) in targets
        .into_remainder()
        .chunks_exact_mut(3)
        .zip(sources.remainder().chunks_exact(4))
    {
        rgb.copy_from_slice(&p[..3]);
        all &= u32::from(p[3]) << 24;
    }
    (all >> 24) as u8
}

/// Premultiplied colour made straight again, as PNG keeps it.
fn rgba_row(pixels: &[PremultipliedColorU8], row: &mut [u8]) {
    for (out, p) in row.chunks_exact_mut(4).zip(pixels) {
        let c = p.demultiply();
        out.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
}

/// Appends a chunk whose data `write` appends, with its length and CRC.
fn chunk(
    file: &mut Vec<u8>,
    kind: &[u8; 4],
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), String>,
) -> Result<(), String> {
    let at = file.len();
    file.extend_from_slice(&[0; 4]);
    file.extend_from_slice(kind);
    write(file)?;
    let length = file.len() - at - 8;
    let length = u32::try_from(length)
        .ok()
        .filter(|&l| l <= i32::MAX as u32)
        .ok_or_else(|| format!("a PNG chunk of {length} bytes is too long"))?;
    file[at..at + 4].copy_from_slice(&length.to_be_bytes());
    let crc = crc32fast::hash(&file[at + 4..]);
    file.extend_from_slice(&crc.to_be_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunks of a PNG file: kind and data, each checked against its CRC.
    fn chunks(file: &[u8]) -> Vec<(String, Vec<u8>)> {
        assert_eq!(file[..8], SIGNATURE);
        let mut chunks = Vec::new();
        let mut at = 8;
        while at < file.len() {
            let length = u32::from_be_bytes(file[at..at + 4].try_into().unwrap()) as usize;
            let kind = &file[at + 4..at + 8];
            let data = &file[at + 8..at + 8 + length];
            let crc =
                u32::from_be_bytes(file[at + 8 + length..at + 12 + length].try_into().unwrap());
            assert_eq!(crc, crc32fast::hash(&file[at + 4..at + 8 + length]));
            chunks.push((String::from_utf8_lossy(kind).into_owned(), data.to_vec()));
            at += 12 + length;
        }
        chunks
    }

    fn noisy(width: u32, height: u32, alpha: u8) -> Pixmap {
        let mut pixmap = Pixmap::new(width, height).unwrap();
        let mut state = 0x2545_f491_u32;
        for p in pixmap.data_mut().chunks_exact_mut(4) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let [r, g, b, _] = state.to_le_bytes();
            // Premultiplied: no channel above alpha.
            let scale = |c: u8| (u16::from(c) * u16::from(alpha) / 255) as u8;
            p.copy_from_slice(&[scale(r), scale(g), scale(b), alpha]);
        }
        pixmap
    }

    #[test]
    fn a_file_is_header_one_data_chunk_and_end_with_their_crcs() {
        let pixmap = noisy(37, 11, 255);
        let file = Encoder::default().png(&pixmap).unwrap();
        let chunks = chunks(&file);
        let kinds: Vec<&str> = chunks.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
        assert_eq!(chunks[0].1, [0, 0, 0, 37, 0, 0, 0, 11, 8, RGB, 0, 0, 0]);
    }

    /// The straight RGB or RGBA bytes of a PNG file, as a decoder reads them.
    fn decoded(file: &[u8]) -> Vec<u8> {
        let mut reader = png::Decoder::new(std::io::Cursor::new(file))
            .read_info()
            .unwrap();
        let mut bytes = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut bytes).unwrap();
        bytes.truncate(info.buffer_size());
        bytes
    }

    #[test]
    fn pixels_come_back_as_drawn_opaque_or_not() {
        // Noise does not deflate: the stream is larger than the rows, so it takes several
        // calls of deflate with more room each time. Widths not a multiple of four take the
        // conversion's remainder.
        let mut encoder = Encoder::default();
        for (width, alpha) in [(1201, 255), (50, 255), (33, 200), (7, 0)] {
            let pixmap = noisy(width, 40, alpha);
            let file = encoder.png(&pixmap).unwrap();
            let expected: Vec<u8> = pixmap
                .pixels()
                .iter()
                .flat_map(|p| {
                    let c = p.demultiply();
                    let rgba = [c.red(), c.green(), c.blue(), c.alpha()];
                    rgba.into_iter().take(if alpha == 255 { 3 } else { 4 })
                })
                .collect();
            assert!(decoded(&file) == expected, "{width}×40, alpha {alpha}");
            assert_eq!(file[25], if alpha == 255 { RGB } else { RGBA });
        }
    }

    #[test]
    fn an_encoder_used_again_makes_the_same_file() {
        let mut encoder = Encoder::default();
        let picture = noisy(64, 64, 255);
        let first = encoder.png(&picture).unwrap();
        encoder.png(&noisy(10, 3, 99)).unwrap();
        assert_eq!(encoder.png(&picture).unwrap(), first);
        assert_eq!(Encoder::default().png(&picture).unwrap(), first);
    }
}
