//! SVG to PNG with resvg, using only the bundled DejaVu Sans.
//!
//! resvg draws no text at all when it finds no font, so the font is embedded in the binary
//! and every generic family maps to it; system fonts are never loaded, which also keeps the
//! output the same on every machine.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, ImageHrefResolver, fontdb};

/// DejaVu Sans (licence in `themes/default/fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../../themes/default/fonts/DejaVuSans.ttf");
const FONT_FAMILY: &str = "DejaVu Sans";

/// Width of every PNG: the width of an Open Graph image.
pub const PNG_WIDTH: u32 = 1200;

/// Turns SVG into PNG. Build one and share it: it holds the parsed font, and it is `Sync`.
pub struct Rasterizer {
    options: usvg::Options<'static>,
}

impl Default for Rasterizer {
    fn default() -> Self {
        Rasterizer::new()
    }
}

impl Rasterizer {
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
        Rasterizer { options }
    }

    /// Renders `svg` [`PNG_WIDTH`] pixels wide, keeping its aspect ratio.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        let tree =
            usvg::Tree::from_str(svg, &self.options).map_err(|e| format!("invalid SVG: {e}"))?;
        let size = tree.size();
        let scale = PNG_WIDTH as f32 / size.width();
        let height = (size.height() * scale).round().max(1.0) as u32;
        let mut pixmap = Pixmap::new(PNG_WIDTH, height)
            .ok_or_else(|| format!("cannot make a {PNG_WIDTH}×{height} image"))?;
        resvg::render(
            &tree,
            Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| format!("cannot encode PNG: {e}"))
    }
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
    fn rasterizer_can_be_shared_across_threads() {
        fn shared<T: Sync + Send>() {}
        shared::<Rasterizer>();
    }
}
