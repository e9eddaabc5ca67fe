//! Drawing a picture as a stack of layers, each drawn once and reused.
//!
//! Most of a flower box is the same from one picture to the next: the box, the labels, the
//! legend, and each indicator's shape in one of four answers. Drawing it whole costs about
//! 25 ms a picture, most of it the hatched fills and the text. Here a picture is split into
//! the elements it paints, in painting order; each is drawn alone with the style sheets and
//! the patterns or clips it refers to, cut to its bounds, and laid over the ones before it
//! (source over, rounded the way tiny-skia rounds it). Painting is associative, so the result
//! is the picture drawn whole up to the rounding of 8-bit blending where anti-aliased edges
//! overlap (tests hold it to 3 levels of 255). An element seen a second time is kept, keyed
//! by a digest of its markup and all it refers to, so that after a few pictures only the words
//! and bars that are new are drawn. The layers drawn lately are held for a while too, so that
//! the same picture in the site's other language, drawn soon after, draws only its words. A
//! picture whose every row some layer covers from edge to edge with opaque paint (a flower
//! box: its background and its source strip) is laid straight into the RGB rows the PNG
//! encoder reads; any other on an RGBA canvas.
//!
//! Only what paints independently is split: a group is opened only when it has no opacity,
//! filter, mask or clip of its own (nor asks to be one layer: [`WHOLE`]); style sheets may
//! hold only simple selectors that set none of those; and a picture with `<use>`, a document
//! type, or a reference to an id that is neither in a `<defs>` (or a pattern, clip, … of its
//! own) nor inside the referring element is drawn whole.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;
use siphasher::sip128::{Hasher128, SipHasher13};

/// Bytes of drawn layers kept at most; past it, new layers are drawn every time.
const KEPT_BYTES: usize = 96 << 20;
/// Layers seen once that are remembered, so that the second sighting keeps them; past it the
/// memory is forgotten (a long `watch` session sees many titles only once).
const SEEN_MAX: usize = 1 << 18;
/// Bytes of layers drawn once lately that are held with their pixels, so that a layer seen
/// again soon after (the same picture in the site's other language, drawn next) is taken
/// from here instead of drawn again. The oldest go first.
const RECENT_BYTES: usize = 16 << 20;

/// Elements that paint nothing themselves but are referred to by id; a layer carries the
/// ones it refers to. (The children of `<defs>` are taken as such too; `<style>` goes into
/// every layer.)
const REFERRED: &[&str] = &[
    "clipPath",
    "pattern",
    "linearGradient",
    "radialGradient",
    "mask",
    "filter",
    "marker",
    "symbol",
];
/// The attribute that asks for a group to be one layer although it could be split: for
/// children that only ever come together, where a layer each would cost more to draw and lay
/// than it could save (a flower box shape's bands).
pub(crate) const WHOLE: (&str, &str) = ("data-layer", "whole");
/// Elements that paint nothing.
const SILENT: &[&str] = &["title", "desc", "metadata"];
/// Attributes (or style properties) that make a group paint its children together.
const GROUPING: &[&str] = &[
    "opacity",
    "filter",
    "mask",
    "clip-path",
    "style",
    "mix-blend-mode",
    "isolation",
];

/// A picture split into layers: the root's start tag, what the layers refer to, and each
/// painted element with the start tags of the groups around it.
pub(super) struct Plan<'a> {
    head: &'a str,
    /// Style sheets: in every layer.
    styles: String,
    /// Elements that others refer to (patterns, clip paths, …), in the layers that refer to
    /// them, and where each id in them is.
    referred: Vec<&'a str>,
    ids: HashMap<String, usize>,
    elements: Vec<Element<'a>>,
}

impl Plan<'_> {
    /// The root's start tag.
    pub(super) fn head(&self) -> &str {
        self.head
    }
}

struct Element<'a> {
    /// Start tags of the groups the element is in, outermost first.
    groups: String,
    depth: usize,
    markup: &'a str,
    /// What it refers to, as indexes of [`Plan::referred`], in order.
    refers: Vec<usize>,
}

/// Splits `svg` into layers, or `None` when it cannot be split safely (see the module).
pub(super) fn plan(svg: &str) -> Option<Plan<'_>> {
    let document = roxmltree::Document::parse(svg).ok()?;
    let root = document.root_element();
    let root_start = root.range().start;
    if svg[..root_start].contains("<!") || svg.contains("<use") {
        return None;
    }
    let head_end = start_tag_end(svg, root_start)?;
    if svg[..head_end].ends_with("/>") {
        return None;
    }
    let mut plan = Plan {
        head: &svg[root_start..head_end],
        styles: String::new(),
        referred: Vec::new(),
        ids: HashMap::new(),
        elements: Vec::new(),
    };
    let mut groups = Vec::new();
    collect(svg, root, &mut groups, &mut plan)?;
    let mut elements = std::mem::take(&mut plan.elements);
    for element in &mut elements {
        let texts = [element.groups.as_str(), element.markup, &plan.styles];
        element.refers = plan.resolve(&texts, element.markup)?;
    }
    plan.elements = elements;
    Some(plan)
}

impl<'a> Plan<'a> {
    /// What `texts` refer to, directly or through what they refer to; `None` when one of them
    /// is neither referred (in [`Plan::ids`]) nor in the element's own `markup`.
    fn resolve(&self, texts: &[&str], markup: &str) -> Option<Vec<usize>> {
        let mut found = Vec::new();
        let mut queue: Vec<&str> = texts.to_vec();
        while let Some(text) = queue.pop() {
            for id in references(text) {
                match self.ids.get(id) {
                    Some(&at) if !found.contains(&at) => {
                        found.push(at);
                        queue.push(self.referred[at]);
                    }
                    Some(_) => {}
                    None if markup.contains(&format!("id=\"{id}\"")) => {}
                    None => return None,
                }
            }
        }
        found.sort_unstable();
        Some(found)
    }

    /// Adds a style sheet, which goes into every layer; `None` when it is not simple
    /// ([`simple_style`]).
    fn style(&mut self, svg: &'a str, node: roxmltree::Node<'_, 'a>) -> Option<()> {
        if !simple_style(node.text().unwrap_or_default()) {
            return None;
        }
        self.styles.push_str(&svg[node.range()]);
        Some(())
    }

    /// Adds an element others refer to, with every id in it.
    fn refer(&mut self, svg: &'a str, node: roxmltree::Node<'_, 'a>) {
        let at = self.referred.len();
        self.referred.push(&svg[node.range()]);
        for id in node.descendants().filter_map(|n| n.attribute("id")) {
            self.ids.insert(id.to_string(), at);
        }
    }
}

/// The ids that `text` refers to: `url(#id)` and `href="#id"`.
fn references(text: &str) -> impl Iterator<Item = &str> {
    let urls = text.split("url(").skip(1).filter_map(|rest| {
        let inside = rest.split(')').next()?;
        inside.trim_matches(['"', '\'', ' ']).strip_prefix('#')
    });
    let hrefs = text.split("href=").skip(1).filter_map(|rest| {
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        rest[1..].split(quote).next()?.strip_prefix('#')
    });
    urls.chain(hrefs)
}

fn collect<'a>(
    svg: &'a str,
    parent: roxmltree::Node<'_, 'a>,
    groups: &mut Vec<&'a str>,
    plan: &mut Plan<'a>,
) -> Option<()> {
    for node in parent.children().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let markup = &svg[node.range()];
        if SILENT.contains(&name) {
            continue;
        }
        if name == "style" {
            plan.style(svg, node)?;
            continue;
        }
        if name == "defs" {
            for child in node.children().filter(|n| n.is_element()) {
                if child.has_tag_name("style") {
                    plan.style(svg, child)?;
                } else {
                    plan.refer(svg, child);
                }
            }
            continue;
        }
        if REFERRED.contains(&name) {
            plan.refer(svg, node);
            continue;
        }
        let opens = name == "g"
            && node.attribute(WHOLE.0) != Some(WHOLE.1)
            && node
                .attributes()
                .all(|a| !GROUPING.contains(&a.name()) && a.namespace().is_none());
        if opens {
            let start = node.range().start;
            groups.push(&svg[start..start_tag_end(svg, start)?]);
            collect(svg, node, groups, plan)?;
            groups.pop();
        } else {
            plan.elements.push(Element {
                groups: groups.concat(),
                depth: groups.len(),
                markup,
                refers: Vec::new(),
            });
        }
    }
    Some(())
}

/// Whether a style sheet only has selectors that do not depend on an element's neighbours,
/// and sets nothing that groups children (see [`GROUPING`]).
fn simple_style(css: &str) -> bool {
    let mut rules: Vec<&str> = css.split('}').collect();
    // What follows the last rule is only space.
    if rules.pop().is_some_and(|rest| !rest.trim().is_empty()) {
        return false;
    }
    rules.iter().all(|rule| {
        let Some((selector, declarations)) = rule.split_once('{') else {
            return false;
        };
        let selector_ok = selector
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " \n\t.#,-_*".contains(c));
        let declarations_ok = declarations.split(';').all(|d| {
            let property = d.split(':').next().unwrap_or_default().trim();
            !GROUPING.contains(&property)
        });
        selector_ok && declarations_ok
    })
}

/// The index just past the `>` of the start tag that begins at `start`.
fn start_tag_end(text: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, byte) in text.as_bytes()[start..].iter().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(*byte),
            (Some(q), b) if q == *b => quote = None,
            (None, b'>') => return Some(start + i + 1),
            _ => {}
        }
    }
    None
}

/// An element drawn alone at a place on the canvas: the spans of each row that are opaque or
/// partly covered (the rest is transparent and skipped), and their premultiplied RGBA pixels.
struct Layer {
    x: usize,
    y: usize,
    width: usize,
    /// The pixels of the spans that read theirs, one after the other in span order: a
    /// picture reads a kept layer from memory the caches no longer hold, and spans read
    /// in order from one run of bytes are fetched ahead, where spans scattered over the
    /// layer's rows were each a wait. A copied span's pixels are opaque and kept as RGB,
    /// as opaque pictures are laid (a copy, no conversion), a blended span's as RGBA.
    pixels: Vec<u8>,
    spans: Vec<Span>,
}

/// Pixels `start..end` of a layer's `row`, and how they go onto the canvas.
struct Span {
    row: u32,
    start: u32,
    end: u32,
    /// Where the span's pixels begin in [`Layer::pixels`] (a fill has none).
    at: u32,
    paint: Paint,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Paint {
    /// Opaque pixels, copied.
    Copy,
    /// Opaque pixels all of one colour (a background, a band of soil), written without
    /// reading the layer's pixels.
    Fill(u32),
    /// Partly covered pixels, blended.
    Blend,
}

impl Paint {
    /// Bytes a pixel of such a span takes in [`Layer::pixels`]: a fill keeps none, a copy
    /// its colour (RGB, as opaque pictures are laid), a blend the premultiplied RGBA.
    fn kept_bytes(self) -> usize {
        match self {
            Paint::Fill(_) => 0,
            Paint::Copy => 3,
            Paint::Blend => 4,
        }
    }
}

/// Opaque runs shorter than this are blended with the pixels around them rather than
/// copied on their own: blending an opaque pixel gives the pixel, and a transparent one
/// leaves the canvas as it was, while a span costs more to start than a few pixels to blend
/// (the edges of shapes and text are runs of one to three pixels).
const SOLID_RUN: usize = 16;

/// How a pixel of a layer covers the canvas.
#[derive(Clone, Copy, PartialEq)]
enum Cover {
    Clear,
    Partly,
    Opaque,
}

impl Cover {
    fn of(alpha: u8) -> Cover {
        match alpha {
            0 => Cover::Clear,
            u8::MAX => Cover::Opaque,
            _ => Cover::Partly,
        }
    }
}

impl Layer {
    /// The memory it takes, as counted against a budget.
    fn bytes(&self) -> usize {
        self.pixels.len()
            + self.spans.len() * std::mem::size_of::<Span>()
            + std::mem::size_of::<Layer>()
    }

    /// The layer of `drawn`, its cut of `width` pixels a row, placed at `x`, `y`.
    fn new(x: usize, y: usize, width: usize, drawn: Vec<u8>) -> Layer {
        let mut spans = Vec::new();
        if width > 0 {
            for (row, line) in drawn.chunks_exact(width * 4).enumerate() {
                // Pixels not yet in a span: from the first painted one to the last.
                let mut pending: Option<(usize, usize)> = None;
                let cover = |c: usize| Cover::of(line[c * 4 + 3]);
                let mut column = 0;
                while column < width {
                    let (start, run) = (column, cover(column));
                    while column < width && cover(column) == run {
                        column += 1;
                    }
                    let long = column - start >= SOLID_RUN;
                    if long && run != Cover::Partly {
                        if let Some((from, to)) = pending.take() {
                            spans.push(Span::new(line, row, from, to, false));
                        }
                        if run == Cover::Opaque {
                            spans.push(Span::new(line, row, start, column, true));
                        }
                    } else if run != Cover::Clear {
                        let from = pending.map_or(start, |(from, _)| from);
                        pending = Some((from, column));
                    }
                }
                if let Some((from, to)) = pending {
                    spans.push(Span::new(line, row, from, to, false));
                }
            }
        }
        let mut read = Vec::new();
        for span in &mut spans {
            if matches!(span.paint, Paint::Fill(_)) {
                continue;
            }
            span.at = read.len() as u32;
            let row = span.row as usize * width;
            let Some(span_pixels) =
                drawn.get((row + span.start as usize) * 4..(row + span.end as usize) * 4)
            else {
                continue;
            };
            let from = read.len();
            read.resize(from + span_pixels.len() / 4 * span.paint.kept_bytes(), 0);
            if span.paint == Paint::Copy {
                super::encode::rgb_row(span_pixels, &mut read[from..]);
            } else {
                read[from..].copy_from_slice(span_pixels);
            }
        }
        read.shrink_to_fit();
        Layer {
            x,
            y,
            width,
            pixels: read,
            spans,
        }
    }

    fn empty() -> Layer {
        Layer::new(0, 0, 0, Vec::new())
    }

    /// The rows of the canvas that this layer, laid first, covers from edge to edge with
    /// opaque pixels: they need not be cleared before it.
    fn covers(&self, canvas_width: usize) -> impl Iterator<Item = usize> + '_ {
        let whole = self.x == 0 && self.width == canvas_width;
        self.spans
            .iter()
            .filter(move |span| {
                whole
                    && span.paint != Paint::Blend
                    && span.start == 0
                    && span.end as usize == canvas_width
            })
            .map(|span| self.y + span.row as usize)
    }
}

impl Span {
    /// The span of `row` (its pixels `line`) from `start` to `end`.
    fn new(line: &[u8], row: usize, start: usize, end: usize, opaque: bool) -> Span {
        let paint = if !opaque {
            Paint::Blend
        } else {
            let pixels = &line[start * 4..end * 4];
            let first: [u8; 4] = pixels[..4].try_into().unwrap_or_default();
            if pixels.chunks_exact(4).all(|p| p == first) {
                Paint::Fill(u32::from_ne_bytes(first))
            } else {
                Paint::Copy
            }
        };
        Span {
            row: row as u32,
            start: start as u32,
            end: end as u32,
            at: 0,
            paint,
        }
    }
}

/// A picture's layers in painting order, for a canvas of `width` × `height` pixels.
pub(super) struct Stack {
    layers: Vec<Arc<Layer>>,
    width: usize,
    height: usize,
}

impl Stack {
    /// Whether every row of the picture ends opaque: some layer covers it from edge to edge
    /// with opaque pixels (what is laid after that only blends onto opaque pixels, which
    /// stay opaque). Such a picture can be laid straight into RGB rows.
    pub(super) fn opaque(&self) -> bool {
        covered_rows(&self.layers, self.width, self.height)
            .iter()
            .all(|&c| c)
    }

    /// Lays the layers over `canvas` (its size the stack's), which comes as the last picture
    /// left it: the rows the first layer covers are left to it, the others cleared first.
    pub(super) fn lay(&self, canvas: &mut Pixmap) {
        match self.layers.first() {
            Some(first) => clear_uncovered(canvas, first),
            None => canvas.fill(resvg::tiny_skia::Color::TRANSPARENT),
        }
        for layer in &self.layers {
            lay_over(canvas, layer);
        }
    }

    /// Lays the layers of an [opaque](Stack::opaque) picture into `rows`: RGB, each row after
    /// a byte of its own (a PNG's filter byte, left as it is). They need not be cleared: each
    /// row is covered from edge to edge by an opaque layer, and what comes before that in it
    /// is overwritten. As premultiplied colour blends without the alpha of what is under it,
    /// the rows are those of [`Stack::lay`] with the alpha dropped.
    pub(super) fn lay_rgb(&self, rows: &mut [u8]) {
        for layer in &self.layers {
            lay_over_rgb(rows, self.width, layer);
        }
    }
}

/// The layers kept so far. Shared by all threads.
pub(super) struct Layers {
    kept: RwLock<HashMap<u128, Arc<Layer>>>,
    /// Bytes of layers kept at most.
    budget: usize,
    seen: Mutex<HashSet<u128>>,
    recent: Mutex<Recent>,
    kept_bytes: AtomicUsize,
    /// Layers drawn and layers reused, for tests and logs, and the time spent drawing them
    /// (nanoseconds, all threads together).
    drawn: AtomicUsize,
    reused: AtomicUsize,
    drawing: AtomicU64,
    /// The keys of [`Layers::hasher`].
    keys: (u64, u64),
}

impl Default for Layers {
    fn default() -> Layers {
        Layers::with_budgets(KEPT_BYTES, RECENT_BYTES)
    }
}

impl Layers {
    fn with_budgets(budget: usize, recent: usize) -> Layers {
        Layers {
            kept: RwLock::default(),
            budget,
            seen: Mutex::default(),
            recent: Mutex::new(Recent::with_budget(recent)),
            kept_bytes: AtomicUsize::new(0),
            drawn: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            drawing: AtomicU64::new(0),
            keys: {
                let random = std::collections::hash_map::RandomState::new();
                (random.hash_one(0u8), random.hash_one(1u8))
            },
        }
    }

    /// The layers of `plan` at `scale` on a canvas of `width` × `height` pixels, in painting
    /// order: the ones kept from earlier pictures, the others drawn now. `None` when an
    /// element painted beyond the bounds resvg gave it: the picture is then to be drawn whole.
    pub(super) fn stack(
        &self,
        plan: &Plan<'_>,
        options: &usvg::Options<'_>,
        scale: f32,
        (width, height): (u32, u32),
    ) -> Result<Option<Stack>, String> {
        let mut context = self.hasher();
        context.write(plan.head.as_bytes());
        context.write_u8(0xff);
        context.write(plan.styles.as_bytes());
        let context = context.finish128().as_u128();
        let keys: Vec<u128> = plan
            .elements
            .iter()
            .map(|element| {
                let mut key = self.hasher();
                key.write_u128(context);
                for &at in &element.refers {
                    key.write_usize(plan.referred[at].len());
                    key.write(plan.referred[at].as_bytes());
                }
                key.write_usize(usize::MAX);
                key.write_usize(element.groups.len());
                key.write(element.groups.as_bytes());
                key.write(element.markup.as_bytes());
                key.finish128().as_u128()
            })
            .collect();
        let mut layers: Vec<Option<Arc<Layer>>> = {
            let kept = self.kept.read().ok();
            keys.iter()
                .map(|key| kept.as_ref().and_then(|k| k.get(key).cloned()))
                .collect()
        };
        self.take_recent(&keys, &mut layers);
        let new: Vec<usize> = (0..layers.len()).filter(|&i| layers[i].is_none()).collect();
        self.reused
            .fetch_add(layers.len() - new.len(), Ordering::Relaxed);
        if !new.is_empty() {
            let started = Instant::now();
            let drawn = draw_layers(plan, &new, options, scale, (width, height))?;
            let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            self.drawing.fetch_add(nanos, Ordering::Relaxed);
            let Some(drawn) = drawn else {
                return Ok(None);
            };
            self.drawn.fetch_add(drawn.len(), Ordering::Relaxed);
            for (at, layer) in new.into_iter().zip(drawn) {
                let layer = Arc::new(layer);
                self.keep_if_seen(keys[at], &layer);
                layers[at] = Some(layer);
            }
        }
        Ok(Some(Stack {
            layers: layers.into_iter().flatten().collect(),
            width: width as usize,
            height: height as usize,
        }))
    }

    /// A hasher for the keys of layers, with this process's own random keys: markup from
    /// outside cannot be made to collide with another picture's layer.
    fn hasher(&self) -> SipHasher13 {
        SipHasher13::new_with_keys(self.keys.0, self.keys.1)
    }

    /// How many layers were drawn and how many reused so far.
    pub(super) fn counts(&self) -> (usize, usize) {
        (
            self.drawn.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }

    /// The time spent drawing layers so far, all threads together.
    pub(super) fn drawing_time(&self) -> Duration {
        Duration::from_nanos(self.drawing.load(Ordering::Relaxed))
    }

    /// How many layers are kept, and their bytes.
    pub(super) fn kept(&self) -> (usize, usize) {
        let count = self.kept.read().map(|k| k.len()).unwrap_or_default();
        (count, self.kept_bytes.load(Ordering::Relaxed))
    }

    /// Fills the `layers` still missing with those of `keys` drawn lately, and keeps them:
    /// they are now seen a second time.
    fn take_recent(&self, keys: &[u128], layers: &mut [Option<Arc<Layer>>]) {
        // Most pictures find every layer kept: no lock for them.
        if layers.iter().all(Option::is_some) {
            return;
        }
        let Ok(mut recent) = self.recent.lock() else {
            return;
        };
        if recent.is_empty() {
            return;
        }
        let found: Vec<(u128, Arc<Layer>)> = keys
            .iter()
            .zip(layers.iter_mut())
            .filter(|(_, layer)| layer.is_none())
            .filter_map(|(&key, slot)| {
                let layer = recent.take(key)?;
                *slot = Some(Arc::clone(&layer));
                Some((key, layer))
            })
            .collect();
        drop(recent);
        if found.is_empty() {
            return;
        }
        if let Ok(mut seen) = self.seen.lock() {
            for (key, _) in &found {
                seen.remove(key);
            }
        }
        for (key, layer) in &found {
            self.keep(*key, layer);
        }
    }

    /// Keeps `layer` when `key` was seen before; else remembers the key, and the layer among
    /// those drawn lately.
    fn keep_if_seen(&self, key: u128, layer: &Arc<Layer>) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        if !seen.remove(&key) {
            if seen.len() >= SEEN_MAX {
                seen.clear();
            }
            seen.insert(key);
            drop(seen);
            if let Ok(mut recent) = self.recent.lock() {
                recent.hold(key, layer);
            }
            return;
        }
        drop(seen);
        self.keep(key, layer);
    }

    /// Keeps `layer` under `key` if there is room within the budget.
    fn keep(&self, key: u128, layer: &Arc<Layer>) {
        let size = layer.bytes();
        if self.kept_bytes.fetch_add(size, Ordering::Relaxed) + size > self.budget {
            self.kept_bytes.fetch_sub(size, Ordering::Relaxed);
            return;
        }
        if let Ok(mut kept) = self.kept.write() {
            kept.insert(key, Arc::clone(layer));
        }
    }
}

/// Layers drawn once lately, with their pixels, within a budget of bytes; the oldest go first.
struct Recent {
    layers: HashMap<u128, Arc<Layer>>,
    /// Keys in the order they came; a key taken out early stays here until its turn.
    order: VecDeque<u128>,
    bytes: usize,
    budget: usize,
}

impl Recent {
    fn with_budget(budget: usize) -> Recent {
        Recent {
            layers: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            budget,
        }
    }

    fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// Holds `layer`, letting the oldest go while the budget is exceeded.
    fn hold(&mut self, key: u128, layer: &Arc<Layer>) {
        let size = layer.bytes();
        if size > self.budget || self.layers.contains_key(&key) {
            return;
        }
        while self.bytes + size > self.budget {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.layers.remove(&oldest) {
                self.bytes -= gone.bytes();
            }
        }
        // Keys taken out early wait in `order` for their turn; don't let them pile up.
        if self.order.len() > 2 * self.layers.len() + 1024 {
            let layers = &self.layers;
            self.order.retain(|k| layers.contains_key(k));
        }
        self.layers.insert(key, Arc::clone(layer));
        self.order.push_back(key);
        self.bytes += size;
    }

    /// The layer held under `key`, no longer held.
    fn take(&mut self, key: u128) -> Option<Arc<Layer>> {
        let layer = self.layers.remove(&key)?;
        self.bytes -= layer.bytes();
        Some(layer)
    }
}

/// The id of the group around the element drawn `n`th in [`draw_layers`].
const LAYER_ID: &str = "blomlada-layer-";

/// Draws the elements `new` of `plan` each alone, cut to its bounds on a canvas of `size`,
/// from one document that holds them all (each in a group of its own), so that
/// the style sheets, patterns and glyphs are read once a picture, not once a layer.
///
/// Each is drawn on a whole transparent canvas and then cut out: drawn on a canvas of its
/// own bounds instead, moved by whole pixels, tiny-skia would round some of its edges
/// otherwise, by up to a quarter of a pixel's coverage. `None` when an element painted on
/// the edge of its bounds (with their margin), so perhaps beyond them: the canvas is
/// cleared whole.
fn draw_layers(
    plan: &Plan<'_>,
    new: &[usize],
    options: &usvg::Options<'_>,
    scale: f32,
    size: (u32, u32),
) -> Result<Option<Vec<Layer>>, String> {
    let elements: Vec<&Element<'_>> = new.iter().map(|&at| &plan.elements[at]).collect();
    let mut referred: Vec<usize> = elements
        .iter()
        .flat_map(|e| e.refers.iter().copied())
        .collect();
    referred.sort_unstable();
    referred.dedup();
    let mut svg = String::with_capacity(
        plan.head.len()
            + plan.styles.len()
            + referred
                .iter()
                .map(|&at| plan.referred[at].len())
                .sum::<usize>()
            + elements
                .iter()
                .map(|e| e.groups.len() + e.markup.len() + 64)
                .sum::<usize>()
            + 64,
    );
    svg.push_str(plan.head);
    svg.push_str(&plan.styles);
    svg.push_str("<defs>");
    svg.extend(referred.iter().map(|&at| plan.referred[at]));
    svg.push_str("</defs>");
    for (n, element) in elements.iter().enumerate() {
        svg.push_str("<g id=\"");
        svg.push_str(LAYER_ID);
        svg.push_str(&n.to_string());
        svg.push_str("\">");
        svg.push_str(&element.groups);
        svg.push_str(element.markup);
        for _ in 0..=element.depth {
            svg.push_str("</g>");
        }
    }
    svg.push_str("</svg>");
    let tree = usvg::Tree::from_str(&svg, options).map_err(|e| format!("invalid SVG: {e}"))?;
    // Each element's group, by its number.
    let mut groups: Vec<Option<&usvg::Node>> = vec![None; elements.len()];
    for node in tree.root().children() {
        let usvg::Node::Group(group) = node else {
            continue;
        };
        let number = group
            .id()
            .strip_prefix(LAYER_ID)
            .and_then(|n| n.parse().ok());
        if let Some(slot) = number.and_then(|n: usize| groups.get_mut(n)) {
            *slot = Some(node);
        }
    }
    let mut layers = Vec::with_capacity(elements.len());
    for node in groups {
        match node.map(|node| draw_layer(node, scale, size)).transpose()? {
            Some(None) => return Ok(None),
            Some(Some(layer)) => layers.push(layer),
            None => layers.push(Layer::empty()),
        }
    }
    Ok(Some(layers))
}

/// Draws `node` alone, cut to its bounds, on a canvas of `size` (see [`draw_layers`]).
fn draw_layer(
    node: &usvg::Node,
    scale: f32,
    (canvas_width, canvas_height): (u32, u32),
) -> Result<Option<Layer>, String> {
    let has_children = match node {
        usvg::Node::Group(group) => group.has_children(),
        _ => true,
    };
    let Some(bounds) = node.abs_layer_bounding_box().filter(|_| has_children) else {
        return Ok(Some(Layer::empty()));
    };
    // The bounds in pixels, with room for anti-aliasing, within the canvas.
    let clamp = |v: f32, max: u32| v.clamp(0.0, max as f32) as usize;
    let left = clamp((bounds.left() * scale - 2.0).floor(), canvas_width);
    let top = clamp((bounds.top() * scale - 2.0).floor(), canvas_height);
    let right = clamp((bounds.right() * scale + 2.0).ceil(), canvas_width);
    let bottom = clamp((bounds.bottom() * scale + 2.0).ceil(), canvas_height);
    if right <= left || bottom <= top {
        return Ok(Some(Layer::empty()));
    }
    LAYER_CANVAS.with_borrow_mut(|kept| {
        let whole = match kept.take() {
            Some(whole) if whole.width() == canvas_width && whole.height() == canvas_height => {
                whole
            }
            _ => Pixmap::new(canvas_width, canvas_height)
                .ok_or_else(|| format!("cannot make a {canvas_width}×{canvas_height} image"))?,
        };
        let whole = kept.insert(whole);
        // resvg moves a node to the corner of its bounds; moved back by as much, it is
        // drawn where the whole picture would draw it (the two moves cancel exactly).
        let transform = Transform::from_scale(scale, scale).pre_translate(bounds.x(), bounds.y());
        resvg::render_node(node, transform, &mut whole.as_mut());
        // Cut the bounds out and leave the canvas transparent for the next element.
        let width = right - left;
        let mut pixels = Vec::with_capacity(width * 4 * (bottom - top));
        let stride = canvas_width as usize * 4;
        for row in whole
            .data_mut()
            .chunks_exact_mut(stride)
            .take(bottom)
            .skip(top)
        {
            let cut = &mut row[left * 4..right * 4];
            pixels.extend_from_slice(cut);
            cut.fill(0);
        }
        let inner = [
            left > 0,
            top > 0,
            right < canvas_width as usize,
            bottom < canvas_height as usize,
        ];
        if paints_on_edge(&pixels, width, inner) {
            whole.fill(resvg::tiny_skia::Color::TRANSPARENT);
            return Ok(None);
        }
        Ok(Some(Layer::new(left, top, width, pixels)))
    })
}

/// Whether a cut of `width` pixels a row has paint on one of its edges that are `inner`
/// (left, top, right, bottom: not the canvas's own edge, beyond which nothing is drawn).
fn paints_on_edge(pixels: &[u8], width: usize, inner: [bool; 4]) -> bool {
    let rows: Vec<&[u8]> = pixels.chunks_exact(width * 4).collect();
    let painted = |p: &[u8]| p[3] != 0;
    let column = |x: usize| rows.iter().any(|row| painted(&row[x * 4..x * 4 + 4]));
    let row = |r: &[u8]| r.chunks_exact(4).any(painted);
    (inner[0] && column(0))
        || (inner[1] && rows.first().is_some_and(|r| row(r)))
        || (inner[2] && column(width - 1))
        || (inner[3] && rows.last().is_some_and(|r| row(r)))
}

thread_local! {
    /// Each thread's transparent canvas for drawing an element alone.
    static LAYER_CANVAS: std::cell::RefCell<Option<Pixmap>> = const { std::cell::RefCell::new(None) };
}

/// Which of `height` rows of a canvas `width` pixels wide some of `layers` covers from edge
/// to edge with opaque pixels.
fn covered_rows<L: std::borrow::Borrow<Layer>>(
    layers: &[L],
    width: usize,
    height: usize,
) -> Vec<bool> {
    let mut covered = vec![false; height];
    for row in layers.iter().flat_map(|layer| layer.borrow().covers(width)) {
        if let Some(c) = covered.get_mut(row) {
            *c = true;
        }
    }
    covered
}

/// Makes transparent the rows of `canvas` that `first`, the first layer laid on it, does not
/// cover from edge to edge with opaque pixels.
fn clear_uncovered(canvas: &mut Pixmap, first: &Layer) {
    let (width, height) = (canvas.width() as usize, canvas.height() as usize);
    let covered = covered_rows(std::slice::from_ref(first), width, height);
    for (row, covered) in canvas.data_mut().chunks_exact_mut(width * 4).zip(covered) {
        if !covered {
            row.fill(0);
        }
    }
}

/// Lays `layer` over `canvas`: premultiplied source over, rounded as tiny-skia rounds it.
fn lay_over(canvas: &mut Pixmap, layer: &Layer) {
    let stride = canvas.width() as usize * 4;
    for_each_span(
        layer,
        canvas.data_mut(),
        stride,
        0,
        4,
        |paint, source, target| match paint {
            Paint::Copy => {
                for (d, s) in target.chunks_exact_mut(4).zip(source.chunks_exact(3)) {
                    d.copy_from_slice(&[s[0], s[1], s[2], u8::MAX]);
                }
            }
            Paint::Fill(colour) => {
                let colour = colour.to_ne_bytes();
                target
                    .chunks_exact_mut(4)
                    .for_each(|d| d.copy_from_slice(&colour));
            }
            Paint::Blend => {
                for (d, s) in target.chunks_exact_mut(4).zip(source.chunks_exact(4)) {
                    let pixel = |p: &[u8]| u32::from_ne_bytes(p.try_into().unwrap_or_default());
                    let blended = source_over(pixel(d), pixel(s));
                    d.copy_from_slice(&blended.to_ne_bytes());
                }
            }
        },
    );
}

/// Lays `layer` over `rows` of RGB pixels `width` wide, each after a byte of its own: the
/// colour channels of [`lay_over`].
fn lay_over_rgb(rows: &mut [u8], width: usize, layer: &Layer) {
    for_each_span(layer, rows, 1 + width * 3, 1, 3, |paint, source, target| {
        match paint {
            Paint::Copy => target.copy_from_slice(source),
            Paint::Fill(colour) => {
                // One pixel, then what is filled so far copied after itself: a few long
                // copies rather than a store for each pixel of three bytes.
                let Some(first) = target.get_mut(..3) else {
                    return;
                };
                first.copy_from_slice(&colour.to_ne_bytes()[..3]);
                let mut filled = 3;
                while filled < target.len() {
                    let more = filled.min(target.len() - filled);
                    target.copy_within(..more, filled);
                    filled += more;
                }
            }
            Paint::Blend => {
                for (d, s) in target.chunks_exact_mut(3).zip(source.chunks_exact(4)) {
                    let under = u32::from_ne_bytes([d[0], d[1], d[2], u8::MAX]);
                    let source = u32::from_ne_bytes(s.try_into().unwrap_or_default());
                    d.copy_from_slice(&source_over(under, source).to_ne_bytes()[..3]);
                }
            }
        }
    });
}

/// Calls `paint` with each span of `layer`: how it paints, its pixels, and the bytes of
/// `out` under them (rows of `stride` bytes, each starting with `skip` bytes of its own,
/// `channels` bytes a pixel). A span outside `out` ends the layer.
fn for_each_span(
    layer: &Layer,
    out: &mut [u8],
    stride: usize,
    skip: usize,
    channels: usize,
    mut paint: impl FnMut(Paint, &[u8], &mut [u8]),
) {
    for span in &layer.spans {
        let (row, start, end) = (span.row as usize, span.start as usize, span.end as usize);
        let source = layer
            .pixels
            .get(span.at as usize..span.at as usize + (end - start) * span.paint.kept_bytes());
        let at = (layer.y + row) * stride + skip + (layer.x + start) * channels;
        let (Some(source), Some(target)) = (source, out.get_mut(at..at + (end - start) * channels))
        else {
            return;
        };
        paint(span.paint, source, target);
    }
}

/// One premultiplied pixel over another, each channel `s + (d × (255 − sa) + 255) / 256` as
/// tiny-skia computes it, two channels at a time: a channel's product stays below 2¹⁶, and the
/// sum below 256 for premultiplied colour.
fn source_over(destination: u32, source: u32) -> u32 {
    const LOW: u32 = 0x00ff_00ff;
    let alpha = source.to_ne_bytes()[3];
    let rest = 255 - u32::from(alpha);
    let even = (((destination & LOW) * rest + LOW) >> 8) & LOW;
    let odd = ((((destination >> 8) & LOW) * rest + LOW) >> 8) & LOW;
    source.wrapping_add(even | (odd << 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PICTURE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><title>T</title>
<style>g.a{stroke:#000}</style>
<defs><pattern id="p" width="4" height="4"><rect width="2" height="2"/></pattern></defs>
<rect width="100" height="50" fill="url(#p)"/>
<g class="a" data-x="1>2"><desc>D</desc><path d="M0 0H9V9Z"/><g transform="translate(5)"><circle r="3"/></g></g>
<g opacity="0.5"><rect width="9" height="9"/><rect x="4" width="9" height="9"/></g>
<text x="1" y="9">Å &amp; Ö</text>
</svg>"##;

    fn markups<'a>(plan: &'a Plan<'_>) -> Vec<(&'a str, &'a str)> {
        plan.elements
            .iter()
            .map(|e| (e.groups.as_str(), e.markup))
            .collect()
    }

    #[test]
    fn a_picture_is_split_into_the_elements_it_paints_in_order() {
        let plan = plan(PICTURE).unwrap();
        assert_eq!(
            plan.head,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">"#
        );
        assert_eq!(plan.styles, "<style>g.a{stroke:#000}</style>");
        assert_eq!(
            plan.referred,
            [r#"<pattern id="p" width="4" height="4"><rect width="2" height="2"/></pattern>"#]
        );
        let group = r#"<g class="a" data-x="1>2">"#;
        assert_eq!(
            markups(&plan),
            [
                ("", r##"<rect width="100" height="50" fill="url(#p)"/>"##),
                (group, r#"<path d="M0 0H9V9Z"/>"#),
                (
                    &*format!(r#"{group}<g transform="translate(5)">"#),
                    r#"<circle r="3"/>"#
                ),
                (
                    "",
                    r#"<g opacity="0.5"><rect width="9" height="9"/><rect x="4" width="9" height="9"/></g>"#
                ),
                ("", "<text x=\"1\" y=\"9\">Å &amp; Ö</text>"),
            ]
        );
        assert_eq!(plan.elements[2].depth, 2);
        // Only the background refers to the pattern.
        let refers: Vec<_> = plan.elements.iter().map(|e| e.refers.len()).collect();
        assert_eq!(refers, [1, 0, 0, 0, 0]);
    }

    #[test]
    fn groups_that_paint_their_children_together_stay_whole() {
        for attribute in [
            "opacity=\"0.5\"",
            "filter=\"url(#f)\"",
            "mask=\"url(#m)\"",
            "clip-path=\"url(#c)\"",
            "style=\"stroke:red\"",
            "mix-blend-mode=\"multiply\"",
            "isolation=\"isolate\"",
        ] {
            let svg = PICTURE
                .replace("class=\"a\"", &format!("class=\"a\" {attribute}"))
                .replace(
                    "</pattern></defs>",
                    "</pattern><filter id=\"f\"/><mask id=\"m\"/><clipPath id=\"c\"/></defs>",
                );
            let plan = plan(&svg).unwrap();
            assert!(
                markups(&plan)
                    .iter()
                    .any(|(groups, markup)| groups.is_empty()
                        && markup.starts_with("<g class=\"a\"")),
                "{attribute}"
            );
        }
    }

    #[test]
    fn pictures_that_cannot_be_split_safely_are_drawn_whole() {
        for (found, instead) in [
            ("<circle r=\"3\"/>", "<use href=\"#p\"/>"),
            ("g.a{", "g.a:first-child{"),
            ("g.a{", "g > path{"),
            ("g.a{", "g + g{"),
            ("stroke:#000", "opacity:0.5"),
            ("stroke:#000", "stroke:#000;filter:url(#f)"),
            ("<title>", "<!DOCTYPE svg><title>"),
        ] {
            let svg = PICTURE.replace(found, instead);
            assert!(plan(&svg).is_none(), "{instead}");
        }
        assert!(plan(&PICTURE.replace("<!DOCTYPE", "")).is_some());
        assert!(plan("<svg xmlns=\"http://www.w3.org/2000/svg\"/>").is_none());
        assert!(plan("<svg").is_none());
        assert!(plan(&PICTURE.replacen("<svg xmlns", "<!DOCTYPE svg>\n<svg xmlns", 1)).is_none());
    }

    #[test]
    fn a_layer_carries_what_it_refers_to_and_nothing_else() {
        let svg = PICTURE
            .replace(
                "</pattern></defs>",
                "</pattern><pattern id=\"q\" href=\"#p\"/><clipPath id=\"c\"><rect width=\"5\" height=\"5\"/></clipPath></defs>",
            )
            .replace(
                "<circle r=\"3\"/>",
                "<circle r=\"3\" fill=\"url('#q')\" clip-path=\"url(#c)\"/>",
            );
        let plan = plan(&svg).unwrap();
        let refers: Vec<_> = plan.elements.iter().map(|e| e.refers.clone()).collect();
        assert_eq!(refers, [vec![0], vec![], vec![0, 1, 2], vec![], vec![]]);
        // An id the picture does not have, or has only in another element: drawn whole.
        for missing in ["url(#nowhere)", "url(#inner)"] {
            let svg = svg.replace("url(#c)", missing).replace(
                "<path d=\"M0 0H9V9Z\"/>",
                "<g opacity=\"0.5\"><path id=\"inner\" d=\"M0 0H9V9Z\"/></g>",
            );
            assert!(super::plan(&svg).is_none(), "{missing}");
        }
        // An id inside the element itself is its own.
        let own = svg.replace(
            "<circle r=\"3\" fill",
            "<g opacity=\"0.9\"><clipPath id=\"own\"><rect width=\"1\" height=\"1\"/></clipPath><circle clip-path=\"url(#own)\" r=\"3\"/></g><circle r=\"3\" fill",
        );
        assert!(super::plan(&own).is_some());
        assert_eq!(
            references("a url(#x) b url( '#y' ) href=\"#z\" xlink:href='#w' url(y)")
                .collect::<Vec<_>>(),
            ["x", "y", "z", "w"]
        );
    }

    #[test]
    fn style_sheets_with_simple_rules_only() {
        assert!(simple_style(
            "g.indicator{stroke:#1d2a1d;stroke-width:1.3} .x, #y {fill:red}"
        ));
        assert!(simple_style(""));
        assert!(simple_style("g{fill-opacity:0.5;stroke-opacity:0.2}"));
        assert!(!simple_style("g{opacity:0.5}"));
        assert!(!simple_style("g{ clip-path : url(#c) }"));
        assert!(!simple_style("a:hover{fill:red}"));
        assert!(!simple_style("g>path{fill:red}"));
        assert!(!simple_style("[x]{fill:red}"));
        assert!(!simple_style("g{fill:red"));
    }

    #[test]
    fn start_tags_end_outside_quotes() {
        let text = r#"<g a="x>y" b='>'>rest"#;
        assert_eq!(
            &text[..start_tag_end(text, 0).unwrap()],
            r#"<g a="x>y" b='>'>"#
        );
        assert_eq!(start_tag_end("<g a=\">", 0), None);
    }

    #[test]
    fn source_over_is_tiny_skias_rounding_for_every_value() {
        for alpha in 0..=255u16 {
            for source in (0..=alpha).step_by(3) {
                for destination in 0..=255u16 {
                    let expected = source + ((destination * (255 - alpha) + 255) >> 8);
                    let d = u32::from_ne_bytes([destination as u8, 0, destination as u8, 255]);
                    let s = u32::from_ne_bytes([source as u8, 0, alpha as u8, alpha as u8]);
                    let blended = source_over(d, s).to_ne_bytes();
                    assert_eq!(
                        u16::from(blended[0]),
                        expected,
                        "{alpha} {source} {destination}"
                    );
                    assert_eq!(
                        u16::from(blended[2]),
                        alpha + ((destination * (255 - alpha) + 255) >> 8)
                    );
                    assert_eq!(blended[3], 255);
                }
            }
        }
    }

    /// A row of `width` pixels, transparent but for `painted` (column, pixel).
    fn row(width: usize, painted: &[(usize, [u8; 4])]) -> Vec<[u8; 4]> {
        let mut row = vec![[0; 4]; width];
        for &(column, pixel) in painted {
            row[column] = pixel;
        }
        row
    }

    const OPAQUE: [u8; 4] = [9, 9, 9, 255];
    const OTHER: [u8; 4] = [8, 8, 8, 255];
    const PARTLY: [u8; 4] = [4, 4, 4, 100];

    #[test]
    fn a_layer_copies_long_opaque_runs_and_blends_the_rest() {
        let width = 40;
        let long: Vec<(usize, [u8; 4])> = (1..=SOLID_RUN + 4).map(|c| (c, OPAQUE)).collect();
        let mixed: Vec<(usize, [u8; 4])> = (0..SOLID_RUN + 4)
            .map(|c| (c, if c % 2 == 0 { OPAQUE } else { OTHER }))
            .chain([(SOLID_RUN + 4, PARTLY), (width - 1, PARTLY)])
            .collect();
        let pixels: Vec<u8> = [
            // A long run of one colour, then a long gap.
            row(width, &long),
            // Edges, a short gap and a short opaque run: blended as one.
            row(
                width,
                &[
                    (0, PARTLY),
                    (2, PARTLY),
                    (3, OPAQUE),
                    (4, OPAQUE),
                    (5, OPAQUE),
                ],
            ),
            // A long run of colours, then an edge, a long gap and another edge.
            row(width, &mixed),
        ]
        .concat()
        .concat();
        let layer = Layer::new(5, 3, width, pixels);
        let spans: Vec<_> = layer
            .spans
            .iter()
            .map(|s| (s.row, s.start, s.end, s.paint))
            .collect();
        let end = SOLID_RUN as u32 + 4;
        assert_eq!(
            spans,
            [
                (0, 1, end + 1, Paint::Fill(u32::from_ne_bytes(OPAQUE))),
                (1, 0, 6, Paint::Blend),
                (2, 0, end, Paint::Copy),
                (2, end, end + 1, Paint::Blend),
                (2, 39, 40, Paint::Blend),
            ]
        );
        let mut canvas = Pixmap::new(50, 10).unwrap();
        canvas.fill(resvg::tiny_skia::Color::WHITE);
        lay_over(&mut canvas, &layer);
        let pixel = |x, y| {
            let p = canvas.pixel(x, y).unwrap();
            [p.red(), p.green(), p.blue(), p.alpha()]
        };
        let over_white = [4 + 155, 4 + 155, 4 + 155, 255];
        assert_eq!(pixel(5, 3), [255; 4]);
        assert_eq!(pixel(6, 3), OPAQUE);
        assert_eq!(pixel(5 + SOLID_RUN as u32 + 4, 3), OPAQUE);
        assert_eq!(pixel(5, 4), over_white);
        // The transparent pixel inside a blended span leaves the canvas as it was.
        assert_eq!(pixel(6, 4), [255; 4]);
        assert_eq!(pixel(8, 4), OPAQUE);
        assert_eq!(pixel(5, 5), OPAQUE);
        assert_eq!(pixel(6, 5), OTHER);
        assert_eq!(pixel(5 + end, 5), over_white);
        assert_eq!(pixel(5 + end + 1, 5), [255; 4]);
        assert_eq!(pixel(5 + 39, 5), over_white);
        assert_eq!(pixel(4, 3), [255; 4]);
    }

    #[test]
    fn blending_an_opaque_or_transparent_pixel_is_exact() {
        for d in [0u32, 0x0102_0304, 0x80ff_7f01, u32::MAX] {
            assert_eq!(source_over(d, 0), d);
            for s in [0xff00_0000u32, 0xff12_3456, u32::MAX] {
                assert_eq!(source_over(d, s), s);
            }
        }
    }

    #[test]
    fn only_the_rows_a_first_layer_does_not_cover_are_cleared() {
        // Row 0 opaque edge to edge, row 1 opaque but for its last pixel, row 2 edge to
        // edge but partly covered.
        let width = SOLID_RUN + 2;
        let pixels: Vec<u8> = [
            vec![OPAQUE; width],
            row(
                width,
                &(0..width - 1).map(|c| (c, OPAQUE)).collect::<Vec<_>>(),
            ),
            vec![PARTLY; width],
        ]
        .concat()
        .concat();
        let first = Layer::new(0, 1, width, pixels);
        assert_eq!(first.covers(width).collect::<Vec<_>>(), [1]);
        assert_eq!(first.covers(width + 1).count(), 0);
        let mut canvas = Pixmap::new(width as u32, 5).unwrap();
        canvas.fill(resvg::tiny_skia::Color::WHITE);
        clear_uncovered(&mut canvas, &first);
        let alpha = |y| canvas.pixel(0, y).unwrap().alpha();
        assert_eq!(
            [alpha(0), alpha(1), alpha(2), alpha(3), alpha(4)],
            [0, 255, 0, 0, 0]
        );
    }

    #[test]
    fn an_opaque_stack_lays_the_same_colours_into_rgb_rows() {
        let width = SOLID_RUN + 4;
        let edge_to_edge = |colour: [u8; 4]| vec![colour; width];
        let mixed: Vec<(usize, [u8; 4])> = (0..width)
            .map(|c| (c, [OPAQUE, PARTLY, [0; 4], OTHER][c % 4]))
            .collect();
        // Row 0 covered by the first layer; row 2 blended onto before the third layer covers
        // it, and again after; row 1 covered only by the last layer.
        let first = Layer::new(0, 0, width, edge_to_edge(OTHER).concat());
        let early = Layer::new(0, 2, width, row(width, &mixed).concat());
        let third = Layer::new(0, 2, width, edge_to_edge(OPAQUE).concat());
        let late = Layer::new(0, 0, width, row(width, &mixed).repeat(3).concat());
        let last = Layer::new(0, 1, width, edge_to_edge(OPAQUE).concat());
        let layers: Vec<Arc<Layer>> = [first, early, third, late, last]
            .into_iter()
            .map(Arc::new)
            .collect();
        let stack = |layers: &[Arc<Layer>]| Stack {
            layers: layers.to_vec(),
            width,
            height: 3,
        };
        assert!(stack(&layers).opaque());
        assert!(!stack(&layers[..4]).opaque(), "row 1 is not covered");

        // Both start with what a picture before left.
        let mut canvas = Pixmap::new(width as u32, 3).unwrap();
        canvas.fill(resvg::tiny_skia::Color::from_rgba8(200, 100, 50, 255));
        stack(&layers).lay(&mut canvas);
        let mut rows = vec![77u8; (1 + width * 3) * 3];
        stack(&layers).lay_rgb(&mut rows);
        let laid: Vec<u8> = canvas
            .data()
            .chunks_exact(width * 4)
            .flat_map(|r| {
                std::iter::once(77).chain(r.chunks_exact(4).flat_map(|p| p[..3].to_vec()))
            })
            .collect();
        assert_eq!(rows, laid);
        assert!(canvas.pixels().iter().all(|p| p.alpha() == 255));
        // Row 0: blended where the late layer partly covers the first, copied where opaque.
        let over_other = 4 + ((8 * 155 + 255) >> 8) as u8;
        assert_eq!(&rows[1 + 3..1 + 6], &[over_other; 3]);
        assert_eq!(&rows[1..4], &OPAQUE[..3]);
    }

    #[test]
    fn paint_on_an_inner_edge_of_a_cut_is_found() {
        // 3 × 3 pixels, one painted at a time.
        let cut = |x: usize, y: usize| {
            let mut pixels = vec![0; 36];
            pixels[(y * 3 + x) * 4 + 3] = 1;
            pixels
        };
        assert!(!paints_on_edge(&cut(1, 1), 3, [true; 4]));
        for (x, y, edge) in [
            (0, 1, 0),
            (1, 0, 1),
            (2, 1, 2),
            (1, 2, 3),
            (0, 0, 0),
            (2, 2, 3),
        ] {
            assert!(paints_on_edge(&cut(x, y), 3, [true; 4]), "{x} {y}");
            let mut inner = [true; 4];
            inner[edge] = false;
            let corner = (x == 0 || x == 2) && (y == 0 || y == 2);
            assert_eq!(
                paints_on_edge(&cut(x, y), 3, inner),
                corner,
                "{x} {y}: on the canvas's own edge"
            );
        }
    }

    fn options() -> usvg::Options<'static> {
        usvg::Options::default()
    }

    /// `PICTURE` at twice its size, its layers taken from `layers` or drawn there.
    fn draw(layers: &Layers) -> Pixmap {
        let plan = plan(PICTURE).unwrap();
        let mut canvas = Pixmap::new(200, 100).unwrap();
        let stack = layers.stack(&plan, &options(), 2.0, (200, 100)).unwrap();
        stack.unwrap().lay(&mut canvas);
        canvas
    }

    #[test]
    fn layers_are_kept_when_seen_again_within_the_budget() {
        // Nothing held from the last pictures: only the keys of layers seen once.
        let layers = Layers::with_budgets(KEPT_BYTES, 0);
        let first = draw(&layers);
        assert_eq!(layers.counts(), (5, 0));
        assert_eq!(draw(&layers), first);
        assert_eq!(
            layers.counts(),
            (10, 0),
            "seen once before: drawn again, now kept"
        );
        let drawing = layers.drawing_time();
        assert!(drawing > Duration::ZERO);
        assert_eq!(draw(&layers), first);
        assert_eq!(layers.counts(), (10, 5));
        assert_eq!(
            layers.drawing_time(),
            drawing,
            "nothing drawn, no time counted"
        );

        // Room for every layer but the largest: it is drawn each time.
        let budget = all_but_the_largest(&layers);
        let small = Layers::with_budgets(budget, 0);
        for _ in 0..3 {
            assert_eq!(draw(&small), first);
        }
        let (drawn, reused) = small.counts();
        assert_eq!((drawn, reused), (11, 4));
        assert!(small.kept_bytes.load(Ordering::Relaxed) <= budget);
    }

    /// The bytes of the layers `layers` keeps, all but the largest.
    fn all_but_the_largest(layers: &Layers) -> usize {
        let kept = layers.kept.read().unwrap();
        let sizes = kept.values().map(|layer| layer.bytes());
        sizes.clone().sum::<usize>() - sizes.max().unwrap_or_default()
    }

    #[test]
    fn layers_drawn_lately_are_taken_from_there_and_kept() {
        let layers = Layers::default();
        let first = draw(&layers);
        assert_eq!(layers.counts(), (5, 0));
        let drawing = layers.drawing_time();
        assert_eq!(draw(&layers), first);
        assert_eq!(layers.counts(), (5, 5), "the second time, nothing is drawn");
        assert_eq!(layers.drawing_time(), drawing);
        assert_eq!(layers.kept().0, 5, "seen twice: kept");
        assert!(
            layers.recent.lock().unwrap().is_empty(),
            "what is kept is no longer held as recent"
        );
        assert_eq!(draw(&layers), first);
        assert_eq!(layers.counts(), (5, 10));

        // The largest layer is not kept without room for it, nor is it held any more: the
        // third time it is drawn again, and held again.
        let budget = all_but_the_largest(&layers);
        let small = Layers::with_budgets(budget, RECENT_BYTES);
        for _ in 0..3 {
            assert_eq!(draw(&small), first);
        }
        assert_eq!(small.counts(), (6, 9));
        assert!(small.kept_bytes.load(Ordering::Relaxed) <= budget);
        assert_eq!(small.recent.lock().unwrap().layers.len(), 1);
    }

    #[test]
    fn a_layer_keeps_the_pixels_of_its_spans_alone() {
        // Four rows of 40 pixels: transparent; one opaque colour (a fill); a partly covered
        // pixel at each end (blended); two opaque colours (copied, kept as RGB).
        let mut cut = vec![0u8; 40 * 4 * 4];
        for pixel in cut[40 * 4..80 * 4].chunks_exact_mut(4) {
            pixel.copy_from_slice(&[10, 20, 30, 255]);
        }
        cut[80 * 4..80 * 4 + 4].copy_from_slice(&[1, 2, 3, 4]);
        cut[119 * 4..120 * 4].copy_from_slice(&[5, 6, 7, 8]);
        for (x, pixel) in cut[120 * 4..].chunks_exact_mut(4).enumerate() {
            pixel.copy_from_slice(&[x as u8, 50, 60, 255]);
        }
        let layer = Layer::new(2, 1, 40, cut);
        let copied = (0..40).flat_map(|x| [x, 50, 60]);
        let kept: Vec<u8> = [1, 2, 3, 4, 5, 6, 7, 8].into_iter().chain(copied).collect();
        assert_eq!(layer.pixels, kept);
        let mut canvas = Pixmap::new(44, 5).unwrap();
        lay_over(&mut canvas, &layer);
        let at = |x: u32, y: u32| {
            let pixel = canvas.pixel(x, y).unwrap();
            [pixel.red(), pixel.green(), pixel.blue(), pixel.alpha()]
        };
        assert_eq!(at(2, 1), [0; 4]);
        assert_eq!(at(2, 2), [10, 20, 30, 255]);
        assert_eq!(at(41, 2), [10, 20, 30, 255]);
        assert_eq!(at(2, 3), [1, 2, 3, 4]);
        assert_eq!(at(3, 3), [0; 4]);
        assert_eq!(at(41, 3), [5, 6, 7, 8]);
        assert_eq!(at(2, 4), [0, 50, 60, 255]);
        assert_eq!(at(41, 4), [39, 50, 60, 255]);
        let mut rows = vec![0u8; 5 * (1 + 44 * 3)];
        lay_over_rgb(&mut rows, 44, &layer);
        let row4 = &rows[4 * (1 + 44 * 3) + 1..];
        assert_eq!(&row4[2 * 3..3 * 3], [0, 50, 60]);
        assert_eq!(&row4[41 * 3..42 * 3], [39, 50, 60]);
    }

    #[test]
    fn recent_layers_stay_within_their_budget_the_oldest_going_first() {
        // One row of opaque pixels of changing colour: one span copied, its pixels kept.
        let layer = |bytes: usize| {
            let pixels = (0..bytes).map(|i| if i % 4 == 3 { 255 } else { i as u8 });
            Arc::new(Layer::new(0, 0, bytes / 4, pixels.collect()))
        };
        let size = layer(4_000).bytes();
        let mut recent = Recent::with_budget(3 * size);
        for key in 0..5 {
            recent.hold(key, &layer(4_000));
            assert!(recent.bytes <= 3 * size);
        }
        let held: Vec<u128> = (0..5).filter(|k| recent.layers.contains_key(k)).collect();
        assert_eq!(held, [2, 3, 4], "the oldest went first");
        assert!(recent.take(3).is_some());
        assert!(recent.take(3).is_none(), "taken once");
        assert_eq!(recent.bytes, 2 * size);
        recent.hold(9, &layer(16_000));
        assert!(
            !recent.layers.contains_key(&9),
            "larger than the whole budget"
        );
        // Keys taken out early do not pile up in the order.
        for key in 10..5_000 {
            recent.hold(key, &layer(4_000));
            recent.take(key);
        }
        assert!(recent.order.len() <= 2 * recent.layers.len() + 1025);
        assert_eq!(recent.bytes, 2 * size);
    }
}
