//! Phase 4: write the output folder, atomically.
//!
//! A build writes a sibling folder and swaps it into place only when everything succeeded, so
//! the published folder only ever holds a complete site and a failed build leaves it as it was.
//! Pictures are rasterised only when their SVG changed: an unchanged SVG keeps its PNG from the
//! previous output.

pub(crate) mod incremental;
pub mod lock;
pub(crate) mod picture_cache;
pub(crate) mod swap;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use self::incremental::{Held, PublishedFolder};

/// The file at the root of every output folder, so that a build never replaces a folder that
/// is not a site it made.
pub(crate) const MARKER: &str = ".blomlada";

/// What the marker file says first. Its last line names the way PNGs are made
/// ([`Rasterize::maker`]): pictures from a previous output are reused only when it is the
/// same, so that a new encoder never leaves old PNG bytes behind.
fn marker_head(maker: &str) -> String {
    format!(
        "This folder was written by blomlada build. It is replaced as a whole on each build.\npictures: {maker}\n"
    )
}

/// Follows [`marker_head`] while an update in place has written SVGs whose PNGs are still to
/// come (`watch` makes them a moment later), with one such PNG per line: should the update be
/// cut short, a later build makes those again instead of reusing them.
const MARKER_LAGGING: &str = "pictures older than their SVG, made again by the next build:\n";

/// The marker's text, listing the PNGs that are older than their SVG.
fn marker_text(maker: &str, lagging: &BTreeSet<String>) -> Vec<u8> {
    let mut text = marker_head(maker).into_bytes();
    if !lagging.is_empty() {
        text.extend_from_slice(MARKER_LAGGING.as_bytes());
        for png in lagging {
            text.extend_from_slice(png.as_bytes());
            text.push(b'\n');
        }
    }
    text
}

/// Which pictures of the output folder `out` a build may reuse: `None` when none may (there
/// is no output, or its pictures were made other than the way `maker` names), else the PNGs
/// that must be made again all the same.
fn reusable_pictures(out: &Path, maker: &str) -> Option<HashSet<String>> {
    let marker = std::fs::read(out.join(MARKER)).ok()?;
    let rest = marker.strip_prefix(marker_head(maker).as_bytes())?;
    if rest.is_empty() {
        return Some(HashSet::new());
    }
    let listed = std::str::from_utf8(rest.strip_prefix(MARKER_LAGGING.as_bytes())?).ok()?;
    Some(listed.lines().map(str::to_string).collect())
}

/// Whether a PNG file is whole: its signature at the start and its end chunk at the end. A
/// file cut short when the machine went down is not.
fn is_whole_png(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const END: &[u8] = b"\0\0\0\0IEND\xae\x42\x60\x82";
    let check = || -> io::Result<bool> {
        let mut file = std::fs::File::open(path)?;
        let mut start = [0u8; 8];
        let mut end = [0u8; 12];
        file.read_exact(&mut start)?;
        file.seek(SeekFrom::End(-12))?;
        file.read_exact(&mut end)?;
        Ok(start == SIGNATURE && end == END)
    };
    check().unwrap_or(false)
}

/// One file of the site: a path relative to the output folder (with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes, relative to the output folder, with `/`.
    pub path: String,
    /// What the file holds.
    pub contents: Contents,
}

/// What an output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// These bytes.
    Bytes(Vec<u8>),
    /// A PNG made from the SVG at this path (rasterised unless the previous output has it).
    PngOf(String),
    /// The same bytes as the file at this path, written before it (a hard link).
    SameAs(String),
    /// Bytes made while they are written, never held whole.
    Streamed(Streamed),
}

/// The bytes of a file too large to hold in memory whole, made piece by piece as they are
/// written: the open data's `answers.csv` is some 440 MB at 100 000 assessments.
pub trait Stream: Send + Sync {
    /// How many bytes [`Stream::write_to`] writes: known before they are made, for the pages
    /// that give a file's size.
    fn size(&self) -> u64;
    /// Writes the bytes to `out`, in pieces.
    fn write_to(&self, out: &mut dyn io::Write) -> io::Result<()>;
}

/// A [`Stream`] as an output file's contents. Two are equal when they make the same bytes.
#[derive(Clone)]
pub struct Streamed(Arc<dyn Stream>);

impl Streamed {
    pub(crate) fn new(stream: impl Stream + 'static) -> Streamed {
        Streamed(Arc::new(stream))
    }

    /// How many bytes it makes.
    pub fn len(&self) -> u64 {
        self.0.size()
    }

    /// Whether it makes no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes its bytes to `out`.
    pub fn write_to(&self, out: &mut dyn io::Write) -> io::Result<()> {
        self.0.write_to(out)
    }

    /// All its bytes at once: for tests and small sites.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(usize::try_from(self.len()).unwrap_or(0));
        // Writing to memory has no I/O to fail.
        let _ = self.write_to(&mut bytes);
        bytes
    }

    /// The digest of its bytes, made without holding them.
    pub(crate) fn digest(&self) -> io::Result<incremental::Digest> {
        let mut sink = incremental::Digesting::new(io::sink());
        self.write_to(&mut sink)?;
        Ok(sink.finish().1)
    }

    /// Writes its bytes to a new file at `target`; returns their digest.
    pub(crate) fn write_file(&self, target: &Path) -> io::Result<incremental::Digest> {
        let mut out = incremental::Digesting::new(Self::create(target)?);
        self.write_to(&mut out)?;
        let (mut file, digest) = out.finish();
        io::Write::flush(&mut file)?;
        Ok(digest)
    }

    /// Writes its bytes to a new file at `target`, when no one needs their digest.
    fn write_file_only(&self, target: &Path) -> io::Result<()> {
        let mut file = Self::create(target)?;
        self.write_to(&mut file)?;
        io::Write::flush(&mut file)
    }

    fn create(target: &Path) -> io::Result<io::BufWriter<std::fs::File>> {
        Ok(io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(target)?,
        ))
    }
}

impl std::fmt::Debug for Streamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Streamed({} bytes)", self.len())
    }
}

impl PartialEq for Streamed {
    fn eq(&self, other: &Streamed) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.len() == other.len() && self.to_vec() == other.to_vec())
    }
}

impl Eq for Streamed {}

impl Contents {
    /// How many bytes of its own it writes: none for a picture made later or a link.
    pub fn size(&self) -> u64 {
        match self {
            Contents::Bytes(bytes) => bytes.len() as u64,
            Contents::Streamed(stream) => stream.len(),
            Contents::PngOf(_) | Contents::SameAs(_) => 0,
        }
    }
}

impl OutputFile {
    pub(crate) fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes.into()),
        }
    }

    /// The PNG at `path`, made from the SVG at `svg`.
    pub(crate) fn png_of(path: impl Into<String>, svg: impl Into<String>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::PngOf(svg.into()),
        }
    }

    /// The file at `path`, with the bytes of the file at `source` (written before it).
    pub(crate) fn same_as(path: impl Into<String>, source: impl Into<String>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::SameAs(source.into()),
        }
    }

    /// The same file in `folder` (which ends in `/`), with the paths it refers to moved too.
    pub(crate) fn moved_into(self, folder: &str) -> OutputFile {
        let contents = match self.contents {
            Contents::Bytes(bytes) => Contents::Bytes(bytes),
            Contents::PngOf(svg) => Contents::PngOf(format!("{folder}{svg}")),
            Contents::SameAs(source) => Contents::SameAs(format!("{folder}{source}")),
            Contents::Streamed(stream) => Contents::Streamed(stream),
        };
        OutputFile {
            path: format!("{folder}{}", self.path),
            contents,
        }
    }
}

/// Leaves out the PNG pictures (`--no-png`); their SVGs stay.
pub(crate) fn drop_pngs(files: &mut Vec<OutputFile>) {
    files.retain(|f| !matches!(f.contents, Contents::PngOf(_)));
}

/// An SVG file with the same bytes as an SVG written before it in `files` becomes a link to
/// that one ([`Contents::SameAs`]), so that the bytes are on the disk once: a county's picture
/// of its latest year is also the picture of its own folder.
pub(crate) fn link_same_svgs(files: &mut [OutputFile]) {
    // Pictures of one job are few, and those of the same length are nearly always the same.
    let mut first_of_length: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..files.len() {
        let Contents::Bytes(bytes) = &files[i].contents else {
            continue;
        };
        if !files[i].path.ends_with(".svg") {
            continue;
        }
        let earlier = first_of_length.entry(bytes.len()).or_default();
        let same = earlier.iter().copied().find(|&j| match &files[j].contents {
            Contents::Bytes(other) => other == bytes,
            _ => false,
        });
        match same {
            Some(j) => files[i].contents = Contents::SameAs(files[j].path.clone()),
            None => earlier.push(i),
        }
    }
}

/// A relative output path must stay inside the output folder: no `..`, no root, no empty or
/// hidden components (the marker aside).
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == ".." || (c.starts_with('.') && c != MARKER));
    if bad {
        Err(format!(
            "refusing to write \"{}\": outside the output folder",
            path.escape_debug()
        ))
    } else {
        Ok(())
    }
}

/// Refuses output folders that would destroy something: the current folder or one above
/// it, the content or theme folder, or an existing folder that isn't a previous output.
pub(crate) fn check_out_dir(out: &Path, protected: &[&Path]) -> Result<(), String> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists, keep the rest as written.
        std::fs::canonicalize(&p).unwrap_or(p)
    };
    let out_abs = absolute(out);
    if out_abs.parent().is_none() {
        return Err(format!(
            "refusing to use {} as the output folder",
            out.display()
        ));
    }
    let cwd = absolute(Path::new("."));
    if cwd.starts_with(&out_abs) {
        return Err(format!(
            "refusing to use {} as the output folder: it contains the current folder",
            out.display()
        ));
    }
    for p in protected {
        let p = absolute(p);
        if p.starts_with(&out_abs) || out_abs.starts_with(&p) {
            return Err(format!(
                "refusing to use {} as the output folder: it overlaps {}",
                out.display(),
                p.display()
            ));
        }
    }
    if out_abs.is_dir() {
        let empty = std::fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out_abs.join(MARKER).is_file() {
            return Err(format!(
                "refusing to replace {}: it is not a folder blomlåda made (no {MARKER} file); remove it or choose another --out",
                out.display()
            ));
        }
    } else if out_abs.exists() {
        return Err(format!("{} exists and is not a folder", out.display()));
    }
    Ok(())
}

/// The name of something beside `out` that belongs to it: `.NAME.WHAT`.
fn sibling_name(out: &Path, what: &str) -> String {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    format!(".{name}.{what}")
}

fn sibling(out: &Path, what: &str) -> PathBuf {
    out.with_file_name(sibling_name(out, what))
}

/// The sibling folder a build writes before the swap, `.NAME.staging-PID`; one left by a
/// process that died is removed by the next writer (see [`lock`]).
pub(crate) fn staging_dir(out: &Path) -> PathBuf {
    sibling(out, &format!("staging-{}", std::process::id()))
}

/// Makes the PNGs that `PngOf` asks for.
pub(crate) trait Rasterize: Sync {
    fn png(&self, svg: &[u8]) -> Result<Picture, String>;
    /// Writes the PNG of `svg` to `target`, a new file; returns whether it came from the
    /// picture cache. A rasterizer with a cache may publish its entry there as a second name.
    fn write_png(&self, svg: &[u8], target: &Path) -> io::Result<bool> {
        let picture = self.png(svg).map_err(io::Error::other)?;
        std::fs::write(target, picture.png)?;
        Ok(picture.cached)
    }
    /// How pictures are made (renderer, encoder settings, font): two makers that say the same
    /// make the same PNG of the same SVG.
    fn maker(&self) -> &str;
}

/// A PNG, and whether it came from the picture cache rather than being drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Picture {
    pub png: Vec<u8>,
    pub cached: bool,
}

/// A hard link where the file system allows one (instant, no space), else a copy.
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WriteStats {
    pub files: usize,
    pub rasterized: usize,
    /// Pictures taken from the picture cache.
    pub cached: usize,
}

/// A picture to make once every page is written.
struct PngRequest {
    png: String,
    svg: String,
    /// A hash of the SVG's bytes, so that the same picture is rasterised only once.
    svg_hash: incremental::Digest,
}

/// The folder a build writes into before it replaces the output. Jobs write their files as soon
/// as they are rendered (from any thread), so a build never holds the whole site in memory;
/// pictures are made at the end. Asked to, it notes what each file holds, for the
/// [`PublishedFolder`] that later changes are written into.
pub(crate) struct Staging {
    dir: PathBuf,
    out: PathBuf,
    folders: Mutex<HashSet<String>>,
    written: Mutex<HashSet<String>>,
    pngs: Mutex<Vec<PngRequest>>,
    held: Option<Mutex<HashMap<String, Held>>>,
    finished: bool,
}

fn poisoned() -> io::Error {
    io::Error::other("lock")
}

impl Staging {
    /// Creates an empty staging folder beside `out`; with `record`, what each file holds is
    /// noted for [`Staging::finish`] to return.
    pub(crate) fn begin(out: &Path, record: bool) -> io::Result<Staging> {
        let dir = staging_dir(out);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            folders: Mutex::new(HashSet::new()),
            written: Mutex::new(HashSet::new()),
            pngs: Mutex::new(Vec::new()),
            held: record.then(|| Mutex::new(HashMap::new())),
            finished: false,
        })
    }

    /// Notes what a file holds, when recording.
    fn note(&self, path: &str, held: impl FnOnce() -> Held) -> io::Result<()> {
        if let Some(record) = &self.held {
            let held = held();
            record
                .lock()
                .map_err(|_| poisoned())?
                .insert(path.to_string(), held);
        }
        Ok(())
    }

    fn ensure_folder(&self, path: &str) -> io::Result<()> {
        let Some((folder, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let known = self
            .folders
            .lock()
            .map_err(|_| poisoned())?
            .contains(folder);
        if !known {
            std::fs::create_dir_all(self.dir.join(folder))?;
            self.folders
                .lock()
                .map_err(|_| poisoned())?
                .insert(folder.to_string());
        }
        Ok(())
    }

    /// Writes one job's files, in order (a `SameAs` may name a file written before it).
    pub(crate) fn write(&self, files: &[OutputFile]) -> io::Result<()> {
        for f in files {
            check_path(&f.path).map_err(io::Error::other)?;
            if !self
                .written
                .lock()
                .map_err(|_| poisoned())?
                .insert(f.path.clone())
            {
                return Err(io::Error::other(format!(
                    "two files would be written to {}",
                    f.path
                )));
            }
            self.ensure_folder(&f.path)?;
            let target = self.dir.join(&f.path);
            match &f.contents {
                Contents::Bytes(bytes) => {
                    std::fs::write(&target, bytes)?;
                    self.note(&f.path, || Held::Bytes(incremental::digest(bytes)))?;
                }
                // A plain build keeps no record: the digest would be made for nothing.
                Contents::Streamed(stream) if self.held.is_none() => {
                    stream.write_file_only(&target)?;
                }
                Contents::Streamed(stream) => {
                    let digest = stream.write_file(&target)?;
                    self.note(&f.path, || Held::Bytes(digest))?;
                }
                Contents::SameAs(source) => {
                    link_or_copy(&self.dir.join(source), &target)?;
                    if let Some(record) = &self.held {
                        let known = record.lock().map_err(|_| poisoned())?.get(source).copied();
                        let held = match known {
                            Some(held) => held,
                            None => Held::Bytes(incremental::digest(&std::fs::read(&target)?)),
                        };
                        self.note(&f.path, || held)?;
                    }
                }
                Contents::PngOf(svg) => {
                    let svg_bytes = match incremental::svgs_of(files).get(svg.as_str()) {
                        Some(&b) => std::borrow::Cow::Borrowed(b),
                        None => std::borrow::Cow::Owned(std::fs::read(self.dir.join(svg))?),
                    };
                    let svg_hash = incremental::digest(&svg_bytes);
                    self.note(&f.path, || Held::PngOf(svg_hash))?;
                    self.pngs.lock().map_err(|_| poisoned())?.push(PngRequest {
                        png: f.path.clone(),
                        svg: svg.clone(),
                        svg_hash,
                    });
                }
            }
        }
        Ok(())
    }

    /// Makes the pictures, then puts the staging folder in the place of the output. Returns
    /// the record of the output folder when [`Staging::begin`] was asked for one.
    pub(crate) fn finish(
        mut self,
        rasterizer: &dyn Rasterize,
    ) -> io::Result<(WriteStats, Option<PublishedFolder>)> {
        let requests = std::mem::take(&mut *self.pngs.lock().map_err(|_| poisoned())?);
        let reusable = reusable_pictures(&self.out, rasterizer.maker());
        // Each distinct SVG is rasterised once; its other PNGs are links to the first.
        let mut first: HashMap<incremental::Digest, usize> = HashMap::new();
        let mut primary = Vec::new();
        let mut copies = Vec::new();
        for (i, r) in requests.iter().enumerate() {
            match first.get(&r.svg_hash) {
                Some(&f) => copies.push((f, i)),
                None => {
                    first.insert(r.svg_hash, i);
                    primary.push(i);
                }
            }
        }
        /// Where a picture came from.
        enum Made {
            PreviousOutput,
            Cache,
            Drawn,
        }
        let made: Vec<io::Result<Made>> = primary
            .par_iter()
            .map(|&i| -> io::Result<Made> {
                let r = &requests[i];
                let svg = std::fs::read(self.dir.join(&r.svg))?;
                let target = self.dir.join(&r.png);
                if let Some(lagging) = &reusable
                    && !lagging.contains(&r.png)
                {
                    let same_svg = std::fs::read(self.out.join(&r.svg)).is_ok_and(|old| old == svg);
                    let old_png = self.out.join(&r.png);
                    if same_svg && is_whole_png(&old_png) && link_or_copy(&old_png, &target).is_ok()
                    {
                        return Ok(Made::PreviousOutput);
                    }
                }
                let cached = rasterizer
                    .write_png(&svg, &target)
                    .map_err(|e| io::Error::other(format!("{}: {e}", r.png)))?;
                Ok(if cached { Made::Cache } else { Made::Drawn })
            })
            .collect();
        let mut stats = WriteStats {
            files: self.written.lock().map_err(|_| poisoned())?.len(),
            ..WriteStats::default()
        };
        for m in made {
            match m? {
                Made::PreviousOutput => {}
                Made::Cache => stats.cached += 1,
                Made::Drawn => stats.rasterized += 1,
            }
        }
        for (from, to) in copies {
            let (a, b) = (&requests[from], &requests[to]);
            // Equal hashes of different pictures are next to impossible; but check.
            if std::fs::read(self.dir.join(&a.svg))? == std::fs::read(self.dir.join(&b.svg))? {
                link_or_copy(&self.dir.join(&a.png), &self.dir.join(&b.png))?;
            } else {
                let svg = std::fs::read(self.dir.join(&b.svg))?;
                let cached = rasterizer
                    .write_png(&svg, &self.dir.join(&b.png))
                    .map_err(|e| io::Error::other(format!("{}: {e}", b.png)))?;
                if cached {
                    stats.cached += 1;
                } else {
                    stats.rasterized += 1;
                }
            }
        }
        std::fs::write(
            self.dir.join(MARKER),
            marker_text(rasterizer.maker(), &BTreeSet::new()),
        )?;
        swap::replace_dir(&self.dir, &self.out)?;
        self.finished = true;
        let record = match self.held.take() {
            Some(held) => Some(PublishedFolder::from_held(
                &self.out,
                rasterizer.maker(),
                held.into_inner().map_err(|_| poisoned())?,
                requests
                    .iter()
                    .map(|r| (r.png.clone(), r.svg.clone()))
                    .collect(),
            )),
            None => None,
        };
        Ok((stats, record))
    }
}

impl Drop for Staging {
    /// A build that did not finish leaves nothing behind.
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Builds the output folder `out` from `files` in one go (see [`Staging`]).
#[cfg(test)]
pub(crate) fn publish(
    out: &Path,
    files: &[OutputFile],
    rasterizer: &dyn Rasterize,
) -> io::Result<WriteStats> {
    let staging = Staging::begin(out, false)?;
    let (bytes, others): (Vec<&OutputFile>, Vec<&OutputFile>) = files
        .iter()
        .partition(|f| matches!(f.contents, Contents::Bytes(_)));
    bytes
        .par_iter()
        .try_for_each(|f| staging.write(std::slice::from_ref(*f)))?;
    // Links refer to files written above, and pictures to SVGs that may be links.
    let (links, pictures): (Vec<&OutputFile>, Vec<&OutputFile>) = others
        .into_iter()
        .partition(|f| matches!(f.contents, Contents::SameAs(_)));
    for f in links.into_iter().chain(pictures) {
        staging.write(std::slice::from_ref(f))?;
    }
    staging.finish(rasterizer).map(|(stats, _)| stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svgs_with_the_same_bytes_become_links_to_the_first() {
        let mut files = vec![
            OutputFile::bytes("lan/a/2017/blomlada.svg", "<svg>a</svg>"),
            OutputFile::bytes("lan/a/2016/blomlada.svg", "<svg>b</svg>"),
            OutputFile::bytes("lan/a/2017/index.html", "<svg>a</svg>"),
            OutputFile::bytes("lan/a/blomlada.svg", "<svg>a</svg>"),
            OutputFile::bytes("en/lan/a/blomlada.svg", "<svg>a</svg>"),
            OutputFile::png_of("lan/a/blomlada.png", "lan/a/blomlada.svg"),
        ];
        link_same_svgs(&mut files);
        let contents: Vec<&Contents> = files.iter().map(|f| &f.contents).collect();
        let first = Contents::SameAs("lan/a/2017/blomlada.svg".to_string());
        assert_eq!(contents[3], &first);
        assert_eq!(contents[4], &first);
        // Another picture of the same length, a page with the same bytes, and the PNG stay.
        assert_eq!(contents[1], &Contents::Bytes(b"<svg>b</svg>".to_vec()));
        assert_eq!(contents[2], &Contents::Bytes(b"<svg>a</svg>".to_vec()));
        assert!(matches!(contents[5], Contents::PngOf(_)));
    }

    #[test]
    fn paths_stay_inside() {
        assert!(check_path("kommun/kumla/index.html").is_ok());
        assert!(check_path(".blomlada").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a/./b",
            "a\\b",
            ".git/config",
            "kommun/..",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }
}
