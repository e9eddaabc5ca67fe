//! SVG to PNG with resvg, using only the bundled DejaVu Sans.
//!
//! resvg draws no text at all when it finds no font, so the font is embedded in the binary
//! and every generic family maps to it; system fonts are never loaded, which also keeps the
//! output the same on every machine.

use std::borrow::Cow;
use std::cell::RefCell;

pub mod deflate;
mod encode;
mod layers;
mod words;

pub(crate) use layers::WHOLE as WHOLE_LAYER;

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, ImageHrefResolver, fontdb};

/// DejaVu Sans (licence in `themes/default/fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../../../themes/default/fonts/DejaVuSans.ttf");
const FONT_FAMILY: &str = "DejaVu Sans";

/// Width of every PNG: the width of an Open Graph image.
pub(crate) const PNG_WIDTH: u32 = 1200;

/// What makes the pixels and bytes of a PNG, but for the font and the encoder (whose digests
/// are added): the resvg version (a test holds it to Cargo.lock), the way pictures are drawn
/// and the width. Change it with any of them, so that the picture cache and earlier outputs
/// are not used for pictures made another way.
const MAKER: &str =
    "resvg 0.49.0, drawn in layers laid over each other, PNG RGB(A) 8 bit without filter, 1200 px";

/// The source of the PNG encoder: its digest is part of the maker, so that any change to how
/// the bytes are written makes the picture cache and earlier outputs draw pictures again.
const ENCODER_SOURCE: [&str; 2] = [include_str!("encode.rs"), include_str!("deflate.rs")];

/// Turns SVG into PNG. Build one and share it: it holds the parsed font, and it is `Sync`.
pub struct Rasterizer {
    options: usvg::Options<'static>,
    maker: String,
    layers: layers::Layers,
    words: Option<words::Words>,
}

impl Default for Rasterizer {
    fn default() -> Self {
        Rasterizer::new()
    }
}

impl Rasterizer {
    /// A rasteriser with the bundled font.
    pub fn new() -> Self {
        Rasterizer::with_font(Some(DEJAVU_SANS))
    }

    fn with_font(font: Option<&'static [u8]>) -> Self {
        let mut fonts = fontdb::Database::new();
        if let Some(data) = font {
            fonts.load_font_data(data.to_vec());
        }
        fonts.set_sans_serif_family(FONT_FAMILY);
        fonts.set_serif_family(FONT_FAMILY);
        fonts.set_monospace_family(FONT_FAMILY);
        fonts.set_cursive_family(FONT_FAMILY);
        fonts.set_fantasy_family(FONT_FAMILY);
        let mut options = usvg::Options {
            font_family: FONT_FAMILY.to_string(),
            // Pictures reference nothing outside themselves: no files, no embedded images.
            image_href_resolver: ImageHrefResolver {
                resolve_data: Box::new(|_, _, _| None),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        };
        *options.fontdb_mut() = fonts;
        let font_digest = crate::output::incremental::digest(font.unwrap_or_default());
        let encoder_digest = crate::output::incremental::digest(ENCODER_SOURCE.concat().as_bytes());
        Rasterizer {
            options,
            maker: format!("{MAKER}, font {font_digest:032x}, encoder {encoder_digest:032x}"),
            layers: layers::Layers::default(),
            words: font.and_then(words::Words::new),
        }
    }

    /// How pictures are made, font included (see [`MAKER`]).
    pub(crate) fn maker(&self) -> &str {
        &self.maker
    }

    /// Renders `svg` [`PNG_WIDTH`] pixels wide, keeping its aspect ratio: in layers kept
    /// from earlier pictures where it can be split into them ([`layers`]), else whole.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        self.png_drawn(svg, true)
    }

    /// [`Rasterizer::png`] drawn whole, never in layers: what the layers must equal.
    #[cfg(test)]
    pub(crate) fn png_whole(&self, svg: &str) -> Result<Vec<u8>, String> {
        self.png_drawn(svg, false)
    }

    /// How many layers were drawn and how many reused so far.
    pub fn layer_counts(&self) -> (usize, usize) {
        self.layers.counts()
    }

    /// The time spent drawing layers so far, all threads together: the layers new to their
    /// pictures, not the ones reused.
    pub fn layer_drawing_time(&self) -> std::time::Duration {
        self.layers.drawing_time()
    }

    /// How many layers are kept, and their bytes.
    pub(crate) fn layers_kept(&self) -> (usize, usize) {
        self.layers.kept()
    }

    fn png_drawn(&self, svg: &str, in_layers: bool) -> Result<Vec<u8>, String> {
        let svg = super::flowerbox::without_narrow(svg);
        let in_words = match &self.words {
            Some(words) => words.split_lines(&svg),
            None => Cow::Borrowed(svg.as_ref()),
        };
        if let Some(plan) = layers::plan(&in_words).filter(|_| in_layers) {
            // The size is the root's alone: parse it without its content.
            let root = self.parse(&format!("{}</svg>", plan.head()))?;
            let (scale, height) = scale_and_height(root.size());
            let size = (PNG_WIDTH, height);
            if let Some(stack) = self.layers.stack(&plan, &self.options, scale, size)? {
                return SCRATCH.with_borrow_mut(|scratch| {
                    if stack.opaque() {
                        return scratch
                            .encoder
                            .png_rgb(PNG_WIDTH, height, |rows| stack.lay_rgb(rows));
                    }
                    let canvas = canvas_of(&mut scratch.canvas, PNG_WIDTH, height, false)?;
                    stack.lay(canvas);
                    scratch.encoder.png(canvas)
                });
            }
            tracing::debug!("picture drawn whole: an element painted beyond its bounds");
        }
        let tree = self.parse(&svg)?;
        self.draw(tree.size(), |canvas, scale| paint(&tree, scale, canvas))
    }

    fn parse(&self, svg: &str) -> Result<usvg::Tree, String> {
        usvg::Tree::from_str(svg, &self.options).map_err(|e| format!("invalid SVG: {e}"))
    }

    /// Draws a picture of `size` [`PNG_WIDTH`] pixels wide with `paint` on a thread's canvas,
    /// made transparent first, and encodes it.
    fn draw(
        &self,
        size: usvg::Size,
        paint: impl FnOnce(&mut Pixmap, f32),
    ) -> Result<Vec<u8>, String> {
        let (scale, height) = scale_and_height(size);
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { canvas, encoder } = scratch;
            let pixmap = canvas_of(canvas, PNG_WIDTH, height, true)?;
            paint(pixmap, scale);
            encoder.png(pixmap)
        })
    }
}

/// The scale that makes a picture of `size` [`PNG_WIDTH`] pixels wide, and its height then.
fn scale_and_height(size: usvg::Size) -> (f32, u32) {
    let scale = PNG_WIDTH as f32 / size.width();
    (scale, (size.height() * scale).round().max(1.0) as u32)
}

/// Paints a whole picture onto `canvas` at `scale`.
fn paint(tree: &usvg::Tree, scale: f32, canvas: &mut Pixmap) {
    resvg::render(
        tree,
        Transform::from_scale(scale, scale),
        &mut canvas.as_mut(),
    );
}

thread_local! {
    /// Each thread's canvas and encoder (rows and deflate state), reused from one picture to
    /// the next: fresh buffers of a few megabytes cost more in page faults than a picture's
    /// encoding.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

#[derive(Default)]
struct Scratch {
    canvas: Option<Pixmap>,
    encoder: encode::Encoder,
}

/// `canvas` (made transparent when `clear`), or a new, transparent one when it is missing or
/// of another size.
fn canvas_of(
    canvas: &mut Option<Pixmap>,
    width: u32,
    height: u32,
    clear: bool,
) -> Result<&mut Pixmap, String> {
    let pixmap = match canvas.take() {
        Some(mut kept) if kept.width() == width && kept.height() == height => {
            if clear {
                kept.fill(resvg::tiny_skia::Color::TRANSPARENT);
            }
            kept
        }
        _ => Pixmap::new(width, height)
            .ok_or_else(|| format!("cannot make a {width}×{height} image"))?,
    };
    Ok(canvas.insert(pixmap))
}

impl crate::output::Rasterize for Rasterizer {
    fn png(&self, svg: &[u8]) -> Result<crate::output::Picture, String> {
        let text = std::str::from_utf8(svg).map_err(|e| e.to_string())?;
        Ok(crate::output::Picture {
            png: Rasterizer::png(self, text)?,
            cached: false,
        })
    }

    fn maker(&self) -> &str {
        Rasterizer::maker(self)
    }
}

/// The largest difference of one channel between two PNGs of one size.
#[cfg(test)]
pub(crate) fn largest_difference(a: &[u8], b: &[u8]) -> u8 {
    let (a, b) = (
        Pixmap::decode_png(a).unwrap(),
        Pixmap::decode_png(b).unwrap(),
    );
    assert_eq!((a.width(), a.height()), (b.width(), b.height()));
    a.data()
        .iter()
        .zip(b.data())
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT_ONLY: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 100" width="600" height="100">
<rect width="600" height="100" fill="#ffffff"/>
<text x="20" y="70" font-size="56" font-family="DejaVu Sans, sans-serif" fill="#000000">Blomlåda för Kumla</text>
</svg>"##;

    /// Pixels darker than mid-grey in a PNG.
    fn dark_pixels(png: &[u8]) -> usize {
        let pixmap = Pixmap::decode_png(png).unwrap();
        pixmap
            .pixels()
            .iter()
            .filter(|p| u32::from(p.red()) + u32::from(p.green()) + u32::from(p.blue()) < 3 * 128)
            .count()
    }

    #[test]
    fn text_is_drawn_with_the_bundled_font() {
        let png = Rasterizer::new().png(TEXT_ONLY).unwrap();
        let pixmap = Pixmap::decode_png(&png).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (1200, 200));
        assert!(
            dark_pixels(&png) > 5_000,
            "{} dark pixels",
            dark_pixels(&png)
        );
    }

    #[test]
    fn without_the_font_no_text_would_be_drawn() {
        // The same picture with an empty font database stays white: this is what the
        // bundled font prevents.
        let png = Rasterizer::with_font(None).png(TEXT_ONLY).unwrap();
        assert_eq!(dark_pixels(&png), 0);
    }

    #[test]
    fn opaque_pictures_are_rgb_and_decode_to_the_pixels_drawn() {
        let svg = TEXT_ONLY.replace("Kumla", "Kumla ÅÄÖ");
        let png = Rasterizer::new().png(&svg).unwrap();
        // Colour type is byte 25: 2 is RGB, 6 RGBA.
        assert_eq!(png[25], 2);
        let decoded = Pixmap::decode_png(&png).unwrap();
        let tree = usvg::Tree::from_str(&svg, &Rasterizer::new().options).unwrap();
        let mut drawn = Pixmap::new(1200, 200).unwrap();
        resvg::render(&tree, Transform::from_scale(2.0, 2.0), &mut drawn.as_mut());
        assert!(decoded.pixels() == drawn.pixels());
    }

    #[test]
    fn transparent_pictures_keep_their_alpha() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 100"><rect x="10" y="10" width="100" height="50" fill="#3366cc" fill-opacity="0.5"/></svg>"##;
        let png = Rasterizer::new().png(svg).unwrap();
        assert_eq!(png[25], 6);
        let decoded = Pixmap::decode_png(&png).unwrap();
        let inside = decoded.pixel(100, 50).unwrap();
        assert_eq!(inside.alpha(), 128);
        assert_eq!(decoded.pixel(1000, 150).unwrap().alpha(), 0);
    }

    #[test]
    fn a_reused_canvas_starts_transparent() {
        // The thread's canvas is kept between pictures of one size: an opaque picture drawn
        // before must leave nothing behind in a transparent one. (An opaque picture in layers
        // is laid into the encoder's rows, not on the canvas; drawn whole, it is painted on it.)
        let rasterizer = Rasterizer::new();
        let opaque = TEXT_ONLY.replace(
            "viewBox=\"0 0 600 100\" width=\"600\" height=\"100\"",
            "viewBox=\"0 0 600 100\"",
        );
        let transparent = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 100"><rect x="10" y="10" width="100" height="50" fill="#3366cc"/></svg>"##;
        let first = rasterizer.png(transparent).unwrap();
        rasterizer.png(&opaque).unwrap();
        rasterizer.png_whole(&opaque).unwrap();
        let again = rasterizer.png(transparent).unwrap();
        assert_eq!(first, again);
        let decoded = Pixmap::decode_png(&again).unwrap();
        assert_eq!(decoded.pixel(1000, 150).unwrap().alpha(), 0);
    }

    #[test]
    fn the_maker_names_the_font_and_the_encoder_by_their_digests() {
        let maker = Rasterizer::new().maker().to_owned();
        let digest = |bytes: &[u8]| format!("{:032x}", crate::output::incremental::digest(bytes));
        assert!(
            maker.contains(&format!("font {}", digest(DEJAVU_SANS))),
            "{maker}"
        );
        let encoder = digest(ENCODER_SOURCE.concat().as_bytes());
        assert!(maker.contains(&format!("encoder {encoder}")), "{maker}");
        assert!(ENCODER_SOURCE[1].contains("pub fn zlib("));
    }

    #[test]
    fn generic_families_use_the_bundled_font() {
        for family in ["serif", "monospace", "cursive", "fantasy", "Comic Sans MS"] {
            let svg = TEXT_ONLY.replace("DejaVu Sans, sans-serif", family);
            let png = Rasterizer::new().png(&svg).unwrap();
            assert!(dark_pixels(&png) > 5_000, "{family}");
        }
    }

    #[test]
    fn external_images_are_not_loaded() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="/etc/passwd"/></svg>"#;
        assert!(Rasterizer::new().png(svg).is_ok());
    }

    #[test]
    fn invalid_svg_is_an_error() {
        assert!(Rasterizer::new().png("<svg").is_err());
    }

    #[test]
    fn the_maker_names_the_resvg_version_in_use() {
        let lock = include_str!("../../../Cargo.lock");
        let version = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"resvg\"\n"))
            .and_then(|p| p.split("version = \"").nth(1))
            .and_then(|v| v.split('"').next())
            .unwrap();
        assert!(
            MAKER.starts_with(&format!("resvg {version},")),
            "MAKER says \"{MAKER}\", Cargo.lock has resvg {version}"
        );
    }

    #[test]
    fn rasterizer_can_be_shared_across_threads() {
        fn shared<T: Sync + Send>() {}
        shared::<Rasterizer>();
    }

    /// Two overlapping shapes in a group, a transparent one, text and a pattern.
    const GROUPED: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300" font-family="DejaVu Sans">
<style>g.shape{stroke:#102010;stroke-width:3}</style>
<defs><pattern id="p" patternUnits="userSpaceOnUse" width="7" height="7"><rect width="7" height="7" fill="#f3c53a"/><path d="M0 7L7 0" stroke="#8c6a00"/></pattern></defs>
<rect width="600" height="300" fill="#fbfcf8"/>
<g class="group" OPACITY><title>Two</title>
<g class="shape"><circle cx="200" cy="150" r="90" fill="url(#p)"/></g>
<g class="shape"><circle cx="300" cy="150" r="90" fill="#4e9f46"/></g>
</g>
<text x="20" y="40" font-size="30" fill="#1d2a1d">Blomlåda</text>
</svg>"##;

    #[test]
    fn pictures_drawn_in_layers_match_pictures_drawn_whole() {
        let rasterizer = Rasterizer::new();
        for svg in [
            GROUPED.replace(" OPACITY", ""),
            GROUPED.replace("OPACITY", "opacity=\"0.5\""),
            GROUPED.replace("OPACITY", "style=\"opacity:0.5\""),
            GROUPED.replace("OPACITY", "clip-path=\"url(#c)\"").replace(
                "</defs>",
                "<clipPath id=\"c\"><rect width=\"250\" height=\"300\"/></clipPath></defs>",
            ),
            TEXT_ONLY.to_string(),
        ] {
            // Drawn twice, so that the second time comes from kept layers.
            for _ in 0..2 {
                let layered = rasterizer.png(&svg).unwrap();
                let whole = rasterizer.png_whole(&svg).unwrap();
                let difference = largest_difference(&layered, &whole);
                assert!(difference <= 3, "{difference} in\n{svg}");
            }
        }
        let (drawn, reused) = rasterizer.layer_counts();
        assert!(drawn > 0 && reused > 0, "{drawn} drawn, {reused} reused");
    }

    #[test]
    fn a_picture_does_not_keep_what_the_one_before_it_left_on_the_canvas() {
        // The canvas is reused from one picture to the next, and only the rows the first
        // layer leaves uncovered are cleared: after an opaque picture (drawn whole, on the
        // canvas), one that paints only its top must be transparent below it (and so written
        // as RGBA).
        let rasterizer = Rasterizer::new();
        let opaque = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="100" height="50" fill="#112233"/></svg>"##;
        let top = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="100" height="20" fill="#ffffff"/><circle cx="50" cy="10" r="5" fill="#000000"/></svg>"##;
        for svg in [opaque, top, opaque, top] {
            let layered = rasterizer.png(svg).unwrap();
            assert_eq!(
                largest_difference(&layered, &rasterizer.png_whole(svg).unwrap()),
                0
            );
        }
        let pixmap = Pixmap::decode_png(&rasterizer.png(top).unwrap()).unwrap();
        assert_eq!(pixmap.pixel(600, 300).unwrap().alpha(), 0);
        assert_eq!(pixmap.pixel(600, 30).unwrap().alpha(), 255);
    }

    #[test]
    fn a_group_with_opacity_would_differ_if_split() {
        // What the test above guards against: the two circles laid over each other at half
        // opacity each are not the group at half opacity.
        let rasterizer = Rasterizer::new();
        let grouped = GROUPED.replace("OPACITY", "opacity=\"0.5\"");
        let split = GROUPED
            .replace(" OPACITY", "")
            .replace("fill=\"url(#p)\"", "fill=\"url(#p)\" opacity=\"0.5\"")
            .replace("fill=\"#4e9f46\"", "fill=\"#4e9f46\" opacity=\"0.5\"");
        let difference = largest_difference(
            &rasterizer.png_whole(&grouped).unwrap(),
            &rasterizer.png_whole(&split).unwrap(),
        );
        assert!(difference > 20, "{difference}");
    }
}
