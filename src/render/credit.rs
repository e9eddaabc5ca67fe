//! The credit every picture of the site carries: a strip under the picture with its source
//! (site name, address and year), and while the site shows example data a visible mark, so
//! that a picture passed around on its own still says where it comes from and cannot be taken
//! for real results.
//!
//! A picture of `width` × `height` becomes `width` × [`height_with_strip`]`(height)`: draw the
//! picture as before, then call [`write`] last, before `</svg>`.

use std::fmt::Write as _;

use super::flowerbox::escape;
use super::flowerbox::text::{text_width, truncate};

/// The height of the strip under the picture.
pub(crate) const STRIP_HEIGHT: f64 = 26.0;

const FONT_SIZE: f64 = 13.0;
const MARGIN: f64 = 16.0;
const STRIP_FILL: &str = "#eef1ea";
const STRIP_INK: &str = "#3d4a3d";
/// The example mark: white on a dark red, 6.9:1.
const MARK_FILL: &str = "#a4261b";
const MARK_INK: &str = "#ffffff";

/// What the strip says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit<'a> {
    /// "Källa: eBlomlådan – kommunernas digitala utveckling · example.org · 2017".
    pub source: &'a str,
    /// "EXEMPELDATA" while the site shows example data.
    pub example_mark: Option<&'a str>,
}

/// The picture's height once the strip is added.
pub(crate) fn height_with_strip(height: f64) -> f64 {
    height + STRIP_HEIGHT
}

/// The source line of a picture: "Källa: site · host/path · year" (the address without its
/// scheme; left out when the site's address is not known).
pub(crate) fn source_line(
    source_word: &str,
    site: &str,
    address: Option<&str>,
    year: u16,
) -> String {
    let mut line = format!("{source_word}: {site}");
    if let Some(address) = address {
        let bare = address
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        if !bare.is_empty() {
            line.push_str(" · ");
            line.push_str(bare);
        }
    }
    let _ = write!(line, " · {year}");
    line
}

/// Writes the strip at `top` (the picture's own height) across `width`, and with the example
/// mark also a large faint "EXEMPELDATA" across the picture, over everything drawn before.
pub(crate) fn write(out: &mut String, credit: &Credit<'_>, width: f64, top: f64) {
    let baseline = top + STRIP_HEIGHT / 2.0 + FONT_SIZE * 0.35;
    let _ = writeln!(
        out,
        "<g class=\"credit\"><rect x=\"0\" y=\"{top}\" width=\"{width}\" height=\"{STRIP_HEIGHT}\" fill=\"{STRIP_FILL}\"/>"
    );
    let mut room = width - 2.0 * MARGIN;
    if let Some(mark) = credit.example_mark {
        let mark_width = text_width(mark, FONT_SIZE) * 1.1 + 16.0;
        let x = width - MARGIN - mark_width;
        room -= mark_width + 12.0;
        let _ = writeln!(
            out,
            "<g class=\"example-mark\"><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{mark_width:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"{MARK_FILL}\"/>\
             <text x=\"{:.1}\" y=\"{baseline:.1}\" font-size=\"{FONT_SIZE}\" font-weight=\"bold\" fill=\"{MARK_INK}\" text-anchor=\"middle\">{}</text></g>",
            top + 4.0,
            STRIP_HEIGHT - 8.0,
            x + mark_width / 2.0,
            escape(mark),
        );
    }
    let source = truncate(credit.source, FONT_SIZE, room.max(0.0));
    let _ = writeln!(
        out,
        "<text class=\"source\" x=\"{MARGIN}\" y=\"{baseline:.1}\" font-size=\"{FONT_SIZE}\" fill=\"{STRIP_INK}\">{}</text></g>",
        escape(&source)
    );
    if let Some(mark) = credit.example_mark {
        // Across the middle, turned so that it can't be cut away without cutting the picture.
        let size = (width / (text_width(mark, 1.0) * 1.6)).min(top * 0.3);
        let (cx, cy) = (width / 2.0, top / 2.0);
        let _ = writeln!(
            out,
            "<text class=\"example-watermark\" aria-hidden=\"true\" x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"{size:.1}\" font-weight=\"bold\" fill=\"{MARK_FILL}\" fill-opacity=\"0.16\" text-anchor=\"middle\" transform=\"rotate(-18 {cx:.1} {cy:.1})\" pointer-events=\"none\">{}</text>",
            cy + size * 0.35,
            escape(mark),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_line_names_site_address_and_year() {
        assert_eq!(
            source_line("Källa", "eBlomlådan", Some("https://example.org/eb/"), 2017),
            "Källa: eBlomlådan · example.org/eb · 2017"
        );
        assert_eq!(
            source_line("Source", "eBlomlådan", None, 2016),
            "Source: eBlomlådan · 2016"
        );
    }

    #[test]
    fn the_mark_is_drawn_only_for_example_data() {
        let mut real = String::new();
        write(
            &mut real,
            &Credit {
                source: "Källa: x · 2017",
                example_mark: None,
            },
            1200.0,
            630.0,
        );
        assert!(real.contains("Källa: x · 2017"));
        assert!(!real.contains("example"));
        let mut example = String::new();
        write(
            &mut example,
            &Credit {
                source: "Källa: <x> · 2017",
                example_mark: Some("EXEMPELDATA"),
            },
            1200.0,
            630.0,
        );
        assert_eq!(example.matches(">EXEMPELDATA<").count(), 2);
        assert!(example.contains("&lt;x&gt;"));
    }
}
