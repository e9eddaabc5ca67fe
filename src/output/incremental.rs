//! Updating a published folder in place, file by file (`watch` and `serve`).
//!
//! The folder keeps a digest of every file it holds, so a rebuild writes only the files whose
//! bytes changed, and rasterises only the PNGs whose SVG changed. Each file is written to a
//! temporary file beside it and renamed over the old one, so a reader sees either the old file
//! or the new one. Files are written in an order that never links to something missing:
//! pictures and data first, then pages from the deepest folder up (a page links down to its
//! years and pictures, and lists link down to pages), the feed and sitemap last. Removals are
//! separate, so that callers can do them once nothing links to the files any more.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use siphasher::sip128::SipHasher13;

use super::{Contents, OutputFile, Rasterize, check_path};

/// A 128-bit digest of a file's bytes.
pub(crate) type Digest = u128;

pub(crate) fn digest(bytes: &[u8]) -> Digest {
    SipHasher13::new().hash(bytes).as_u128()
}

/// A writer that passes bytes on and makes their [`digest`] on the way, for files made
/// piece by piece ([`super::Streamed`]).
pub(crate) struct Digesting<W> {
    inner: W,
    hasher: SipHasher13,
}

impl<W: io::Write> Digesting<W> {
    pub(crate) fn new(inner: W) -> Digesting<W> {
        Digesting {
            inner,
            hasher: SipHasher13::new(),
        }
    }

    /// The writer and the digest of everything written through it.
    pub(crate) fn finish(self) -> (W, Digest) {
        use siphasher::sip128::Hasher128;
        (self.inner, self.hasher.finish128().as_u128())
    }
}

impl<W: io::Write> io::Write for Digesting<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(bytes)?;
        std::hash::Hasher::write(&mut self.hasher, &bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What a published file holds, as far as a rebuild needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    Bytes(Digest),
    /// A PNG rasterised from an SVG with this digest.
    PngOf(Digest),
}

/// The files of a published folder and what they hold.
#[derive(Debug, Default)]
pub(crate) struct PublishedFolder {
    out: PathBuf,
    /// How its pictures are made ([`super::Rasterize::maker`]), for its marker file.
    maker: String,
    files: HashMap<String, Held>,
    /// The SVG each PNG is made from.
    sources: HashMap<String, String>,
    /// PNGs made from other bytes than those of the SVG published now (`watch` writes a
    /// changed SVG at once and its PNG a moment later).
    lagging: BTreeSet<String>,
    /// The PNGs the marker file lists as lagging: never fewer than `lagging`, so that a build
    /// after an update that was cut short (a crash, `kill -9`) makes them again.
    marked: BTreeSet<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub files: usize,
    pub rasterized: usize,
    /// Pictures taken from the picture cache.
    pub cached: usize,
}

impl Written {
    pub(crate) fn add(&mut self, other: Written) {
        self.files += other.files;
        self.rasterized += other.rasterized;
        self.cached += other.cached;
    }
}

impl PublishedFolder {
    /// The record of `out` just after [`super::publish`] wrote exactly `files` there, with
    /// pictures made the way `maker` names.
    #[cfg(test)]
    pub(crate) fn after_publish(out: &Path, files: &[OutputFile], maker: &str) -> PublishedFolder {
        let resolved = resolve_same_as(files);
        let files: &[OutputFile] = &resolved;
        let svgs = svgs_of(files);
        let held: Vec<(String, Held)> = files
            .par_iter()
            .map(|f| {
                let held = match &f.contents {
                    Contents::Bytes(b) => Held::Bytes(digest(b)),
                    Contents::Streamed(stream) => Held::Bytes(digest(&stream.to_vec())),
                    Contents::SameAs(_) => Held::Bytes(digest(&[])),
                    Contents::PngOf(svg) => {
                        Held::PngOf(digest(svgs.get(svg.as_str()).copied().unwrap_or_default()))
                    }
                };
                (f.path.clone(), held)
            })
            .collect();
        PublishedFolder {
            out: out.to_path_buf(),
            maker: maker.to_string(),
            files: held.into_iter().collect(),
            sources: sources_of(files),
            lagging: BTreeSet::new(),
            marked: BTreeSet::new(),
        }
    }

    /// The record of `out` holding these files, as [`super::Staging`] noted them, with the
    /// SVG each PNG is made from.
    pub(crate) fn from_held(
        out: &Path,
        maker: &str,
        files: HashMap<String, Held>,
        sources: HashMap<String, String>,
    ) -> PublishedFolder {
        PublishedFolder {
            out: out.to_path_buf(),
            maker: maker.to_string(),
            files,
            sources,
            lagging: BTreeSet::new(),
            marked: BTreeSet::new(),
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    pub(crate) fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Whether `file` is published with the same bytes (a PNG: made from the same SVG).
    /// `svgs` has the bytes of the SVGs that PNGs refer to.
    pub(crate) fn is_current(&self, file: &OutputFile, svgs: &HashMap<&str, &[u8]>) -> bool {
        let Some(held) = self.files.get(&file.path) else {
            return false;
        };
        match &file.contents {
            Contents::Bytes(b) => *held == Held::Bytes(digest(b)),
            // Made twice when it changed (here and when written), but never held whole.
            Contents::Streamed(stream) => stream.digest().is_ok_and(|d| *held == Held::Bytes(d)),
            Contents::SameAs(_) => false,
            Contents::PngOf(svg) => svgs
                .get(svg.as_str())
                .is_some_and(|b| *held == Held::PngOf(digest(b))),
        }
    }

    /// Writes those of `files` whose bytes differ from what is published. PNGs are made from
    /// the SVG bytes in `files` or, for a PNG whose SVG is not among them, in `extra_svgs`.
    pub(crate) fn write(
        &mut self,
        files: &[OutputFile],
        extra_svgs: &HashMap<&str, &[u8]>,
        rasterizer: &dyn Rasterize,
    ) -> io::Result<Written> {
        let resolved = resolve_same_as(files);
        let files: &[OutputFile] = &resolved;
        for f in files {
            check_path(&f.path).map_err(io::Error::other)?;
        }
        let mut svgs = svgs_of(files);
        for (path, bytes) in extra_svgs {
            svgs.entry(path).or_insert(bytes);
        }
        let changed: Vec<&OutputFile> = files
            .par_iter()
            .filter(|f| !self.is_current(f, &svgs))
            .collect();
        if changed.is_empty() {
            return Ok(Written::default());
        }
        // The marker lists the PNGs this write leaves older than their SVG before any file is
        // written, and stops listing them once they are written.
        self.sources.extend(sources_of(files));
        let lagging = self.lagging_after(&changed, &svgs);
        if !lagging.is_subset(&self.marked) {
            let listed = lagging.union(&self.marked).cloned().collect();
            self.mark(listed)?;
        }
        // Should a write fail half way, the PNGs may lag as before or after it.
        self.lagging.extend(lagging.iter().cloned());
        let folders: BTreeSet<&str> = changed
            .iter()
            .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
            .collect();
        for folder in folders {
            std::fs::create_dir_all(self.out.join(folder))?;
        }
        // Each distinct SVG is rasterised once.
        let mut pngs_needed: BTreeMap<Digest, &[u8]> = BTreeMap::new();
        for f in &changed {
            if let Contents::PngOf(svg_path) = &f.contents {
                let svg = svgs.get(svg_path.as_str()).ok_or_else(|| {
                    io::Error::other(format!("no SVG at {svg_path} for {}", f.path))
                })?;
                pngs_needed.entry(digest(svg)).or_insert(svg);
            }
        }
        let pngs: HashMap<Digest, super::Picture> = pngs_needed
            .into_par_iter()
            .map(|(d, svg)| {
                rasterizer
                    .png(svg)
                    .map(|png| (d, png))
                    .map_err(io::Error::other)
            })
            .collect::<io::Result<_>>()?;
        let cached = pngs.values().filter(|p| p.cached).count();
        let rasterized = pngs.len() - cached;

        let mut ordered = changed;
        ordered.sort_by_key(|f| write_rank(&f.path));
        let mut written = 0;
        for rank_group in ordered.chunk_by(|a, b| write_rank(&a.path) == write_rank(&b.path)) {
            let held: Vec<(String, Held)> = rank_group
                .par_iter()
                .map(|f| -> io::Result<(String, Held)> {
                    let target = self.out.join(&f.path);
                    let held = match &f.contents {
                        Contents::Bytes(b) => {
                            write_atomically(&target, b)?;
                            Held::Bytes(digest(b))
                        }
                        Contents::Streamed(stream) => {
                            Held::Bytes(write_atomically_with(&target, |t| stream.write_file(t))?)
                        }
                        Contents::PngOf(svg_path) => {
                            let svg = svgs.get(svg_path.as_str()).copied().unwrap_or_default();
                            let d = digest(svg);
                            let png = pngs.get(&d).map(|p| p.png.as_slice()).unwrap_or_default();
                            write_atomically(&target, png)?;
                            Held::PngOf(d)
                        }
                        Contents::SameAs(source) => {
                            return Err(io::Error::other(format!(
                                "{} is to be a copy of {source}, which is not among the files",
                                f.path
                            )));
                        }
                    };
                    Ok((f.path.clone(), held))
                })
                .collect::<io::Result<_>>()?;
            written += held.len();
            self.files.extend(held);
        }
        self.lagging = lagging;
        self.unmark_written()?;
        Ok(Written {
            files: written,
            rasterized,
            cached,
        })
    }

    /// The PNGs that lag behind their SVG once `changed` is written.
    fn lagging_after(
        &self,
        changed: &[&OutputFile],
        svgs: &HashMap<&str, &[u8]>,
    ) -> BTreeSet<String> {
        let new: HashMap<&str, Held> = changed
            .iter()
            .filter_map(|f| {
                let held = match &f.contents {
                    Contents::Bytes(b) => Held::Bytes(digest(b)),
                    Contents::PngOf(svg) => {
                        Held::PngOf(digest(svgs.get(svg.as_str()).copied().unwrap_or_default()))
                    }
                    Contents::SameAs(_) => Held::Bytes(digest(&[])),
                    // Large data, never a picture nor the SVG of one: not made a third time.
                    Contents::Streamed(_) => return None,
                };
                Some((f.path.as_str(), held))
            })
            .collect();
        let held = |path: &str| new.get(path).or_else(|| self.files.get(path)).copied();
        let touched_svgs: HashSet<&str> = changed
            .iter()
            .filter(|f| f.path.ends_with(".svg"))
            .map(|f| f.path.as_str())
            .collect();
        let changed_pngs = changed
            .iter()
            .filter(|f| matches!(f.contents, Contents::PngOf(_)))
            .map(|f| f.path.as_str());
        // Looked for only when an SVG changed: most writes of phase 2 change none.
        let pngs_of_changed_svgs = (!touched_svgs.is_empty())
            .then(|| {
                self.sources
                    .iter()
                    .filter(|(_, svg)| touched_svgs.contains(svg.as_str()))
                    .map(|(png, _)| png.as_str())
            })
            .into_iter()
            .flatten();
        let candidates = self
            .lagging
            .iter()
            .map(String::as_str)
            .chain(changed_pngs)
            .chain(pngs_of_changed_svgs);
        candidates
            .filter(|png| {
                let Some(svg) = self.sources.get(*png) else {
                    return false;
                };
                match (held(png), held(svg)) {
                    (Some(Held::PngOf(made_from)), Some(Held::Bytes(now))) => made_from != now,
                    _ => false,
                }
            })
            .map(str::to_string)
            .collect()
    }

    /// Rewrites the marker file to list `lagging`.
    fn mark(&mut self, lagging: BTreeSet<String>) -> io::Result<()> {
        write_atomically(
            &self.out.join(super::MARKER),
            &super::marker_text(&self.maker, &lagging),
        )?;
        self.marked = lagging;
        Ok(())
    }

    /// Stops listing PNGs in the marker that no longer lag.
    fn unmark_written(&mut self) -> io::Result<()> {
        if self.marked != self.lagging {
            self.mark(self.lagging.clone())?;
        }
        Ok(())
    }

    /// Removes published files, and the folders they leave empty. Returns how many were removed.
    pub(crate) fn remove<'a>(
        &mut self,
        paths: impl IntoIterator<Item = &'a str>,
    ) -> io::Result<usize> {
        let mut removed = 0;
        let mut folders = BTreeSet::new();
        for path in paths {
            if self.files.remove(path).is_none() {
                continue;
            }
            self.sources.remove(path);
            self.lagging.remove(path);
            check_path(path).map_err(io::Error::other)?;
            match std::fs::remove_file(self.out.join(path)) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            let mut folder = path;
            while let Some((parent, _)) = folder.rsplit_once('/') {
                folders.insert(parent.to_string());
                folder = parent;
            }
        }
        // Deepest first, so that a folder is emptied before its parent is tried.
        let mut folders: Vec<String> = folders.into_iter().collect();
        folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
        for folder in folders {
            // Fails, as it should, when the folder still holds something.
            let _ = std::fs::remove_dir(self.out.join(folder));
        }
        self.unmark_written()?;
        Ok(removed)
    }
}

/// The bytes of the SVG files among `files`, by path; an SVG that is a copy of another
/// (`SameAs`) has the bytes of its source.
pub(crate) fn svgs_of(files: &[OutputFile]) -> HashMap<&str, &[u8]> {
    let mut svgs: HashMap<&str, &[u8]> = files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) if f.path.ends_with(".svg") => Some((f.path.as_str(), b.as_slice())),
            _ => None,
        })
        .collect();
    for f in files {
        if let Contents::SameAs(source) = &f.contents
            && let Some(&bytes) = svgs.get(source.as_str())
        {
            svgs.insert(f.path.as_str(), bytes);
        }
    }
    svgs
}

/// The SVG each PNG among `files` is made from.
fn sources_of(files: &[OutputFile]) -> HashMap<String, String> {
    files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::PngOf(svg) => Some((f.path.clone(), svg.clone())),
            _ => None,
        })
        .collect()
}

/// When a file is written in an update: lower first.
fn write_rank(path: &str) -> (u8, std::cmp::Reverse<usize>) {
    let depth = path.matches('/').count();
    let is_page = path.ends_with(".html") || path == "feed.xml" || path == "sitemap.xml";
    if is_page {
        (1, std::cmp::Reverse(depth))
    } else {
        (0, std::cmp::Reverse(0))
    }
}

/// The temporary name a file is written under before it is renamed into place.
fn temporary_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `bytes` to a temporary file beside `target` and renames it into place, so that
/// `target` is never seen half-written. A file that is hard-linked from elsewhere (a PNG
/// shared with an earlier build) is replaced, not changed.
pub(crate) fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_with(target, |temporary| std::fs::write(temporary, bytes))
}

/// Like [`write_atomically`], with `write` making the temporary file.
fn write_atomically_with<T>(
    target: &Path,
    write: impl FnOnce(&Path) -> io::Result<T>,
) -> io::Result<T> {
    let temporary = temporary_name(target);
    let result = write(&temporary).and_then(|made| {
        std::fs::rename(&temporary, target)?;
        Ok(made)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Files written as a link to another file of the same job (`SameAs`) become copies of its
/// bytes here: a published file is updated in place of its own, never as a shared link.
fn resolve_same_as(files: &[OutputFile]) -> std::borrow::Cow<'_, [OutputFile]> {
    if !files
        .iter()
        .any(|f| matches!(f.contents, Contents::SameAs(_)))
    {
        return std::borrow::Cow::Borrowed(files);
    }
    let contents_of: HashMap<&str, &Contents> = files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(_) | Contents::Streamed(_) => Some((f.path.as_str(), &f.contents)),
            _ => None,
        })
        .collect();
    std::borrow::Cow::Owned(
        files
            .iter()
            .map(|f| match &f.contents {
                Contents::SameAs(source) => match contents_of.get(source.as_str()) {
                    Some(&contents) => OutputFile {
                        path: f.path.clone(),
                        contents: contents.clone(),
                    },
                    None => f.clone(),
                },
                _ => f.clone(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct FakeRasterizer;

    impl Rasterize for FakeRasterizer {
        fn png(&self, svg: &[u8]) -> Result<crate::output::Picture, String> {
            Ok(crate::output::Picture {
                png: fake_png(svg),
                cached: false,
            })
        }

        fn maker(&self) -> &str {
            "fake"
        }
    }

    /// The signature, the SVG, and the end chunk: a whole PNG as far as reuse looks.
    fn fake_png(svg: &[u8]) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(svg);
        png.extend_from_slice(b"\0\0\0\0IEND\xae\x42\x60\x82");
        png
    }

    fn png_of(path: &str, svg: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::PngOf(svg.into()),
        }
    }

    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    fn first_site() -> Vec<OutputFile> {
        vec![
            OutputFile::bytes("index.html", "home"),
            OutputFile::bytes("kommun/a/index.html", "a"),
            OutputFile::bytes("kommun/a/blomlada.svg", "<svg a/>"),
            png_of("kommun/a/blomlada.png", "kommun/a/blomlada.svg"),
            OutputFile::bytes("kommun/b/2017/index.html", "b"),
        ]
    }

    #[test]
    fn writes_only_what_changed_and_rasterises_only_changed_pictures() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let files = first_site();
        crate::output::publish(&out, &files, &FakeRasterizer).unwrap();
        let mut folder = PublishedFolder::after_publish(&out, &files, FakeRasterizer.maker());
        assert_eq!(folder.len(), files.len());

        let same = folder
            .write(&files, &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert_eq!(same, Written::default());

        let mut changed = files.clone();
        changed[1] = OutputFile::bytes("kommun/a/index.html", "a2");
        let written = folder
            .write(&changed, &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert_eq!(
            written,
            Written {
                files: 1,
                ..Written::default()
            }
        );

        changed[2] = OutputFile::bytes("kommun/a/blomlada.svg", "<svg a2/>");
        let written = folder
            .write(&changed, &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert_eq!(
            written,
            Written {
                files: 2,
                rasterized: 1,
                cached: 0
            }
        );
        let site = tree(&out);
        assert_eq!(site["kommun/a/blomlada.png"], fake_png(b"<svg a2/>"));
        assert_eq!(site["kommun/a/index.html"], b"a2");
        assert!(site.keys().all(|k| !k.ends_with(".tmp")));
    }

    /// Rows made on demand, as `answers.csv` is.
    struct Rows(&'static str, usize);

    impl crate::output::Stream for Rows {
        fn size(&self) -> u64 {
            (self.0.len() * self.1) as u64
        }

        fn write_to(&self, out: &mut dyn io::Write) -> io::Result<()> {
            for _ in 0..self.1 {
                out.write_all(self.0.as_bytes())?;
            }
            Ok(())
        }
    }

    fn streamed(path: &str, row: &'static str, count: usize) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Streamed(crate::output::Streamed::new(Rows(row, count))),
        }
    }

    #[test]
    fn a_digest_made_piece_by_piece_is_the_digest_of_the_whole() {
        let whole: Vec<u8> = (0..10_000u32).flat_map(|n| n.to_le_bytes()).collect();
        for piece in [1, 7, 8, 15, 16, 4096] {
            let mut digesting = Digesting::new(Vec::new());
            for part in whole.chunks(piece) {
                io::Write::write_all(&mut digesting, part).unwrap();
            }
            let (written, made) = digesting.finish();
            assert_eq!(written, whole);
            assert_eq!(made, digest(&whole), "pieces of {piece}");
        }
    }

    #[test]
    fn a_streamed_file_is_written_whole_and_again_only_when_its_bytes_change() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut files = first_site();
        files.push(streamed("data/answers.csv", "2017,a,helt\n", 1000));
        let staging = crate::output::Staging::begin(&out, true).unwrap();
        staging.write(&files).unwrap();
        let (_, folder) = staging.finish(&FakeRasterizer).unwrap();
        let mut folder = folder.unwrap();
        assert_eq!(
            tree(&out)["data/answers.csv"],
            "2017,a,helt\n".repeat(1000).into_bytes()
        );
        // The build noted the digest of the bytes, as watch makes it.
        let expected = PublishedFolder::after_publish(&out, &files, FakeRasterizer.maker());
        assert_eq!(folder.files, expected.files);

        let same = folder
            .write(&files, &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert_eq!(same, Written::default());

        let last = files.len() - 1;
        files[last] = streamed("data/answers.csv", "2017,a,inte\n", 1000);
        let written = folder
            .write(&files, &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert_eq!(written.files, 1);
        let site = tree(&out);
        assert_eq!(
            site["data/answers.csv"],
            "2017,a,inte\n".repeat(1000).into_bytes()
        );
        assert!(site.keys().all(|k| !k.ends_with(".tmp")));
    }

    #[test]
    fn streamed_files_are_equal_when_they_make_the_same_bytes() {
        let a = streamed("a.csv", "x\n", 4);
        let b = streamed("a.csv", "x\nx\n", 2);
        let c = streamed("a.csv", "y\n", 4);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let Contents::Streamed(stream) = &a.contents else {
            unreachable!()
        };
        assert_eq!(stream.len(), 8);
        assert_eq!(stream.to_vec(), b"x\nx\nx\nx\n");
    }

    fn marker(out: &Path) -> String {
        std::fs::read_to_string(out.join(crate::output::MARKER)).unwrap()
    }

    #[test]
    fn a_build_after_an_update_cut_short_makes_the_pictures_it_left_behind_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut site = first_site();
        crate::output::publish(&out, &site, &FakeRasterizer).unwrap();
        let mut folder = PublishedFolder::after_publish(&out, &site, FakeRasterizer.maker());
        assert!(!marker(&out).contains("older than their SVG"));

        // As watch's phase 1: the SVG now, its PNG later.
        site[2] = OutputFile::bytes("kommun/a/blomlada.svg", "<svg a2/>");
        folder
            .write(&site[2..3], &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert!(
            marker(&out).ends_with(
                "older than their SVG, made again by the next build:\nkommun/a/blomlada.png\n"
            ),
            "{}",
            marker(&out)
        );
        // The process dies here; the next build must not take the old PNG for the new SVG.
        let built = crate::output::publish(&out, &site, &FakeRasterizer).unwrap();
        assert_eq!(built.rasterized, 1);
        assert_eq!(
            std::fs::read(out.join("kommun/a/blomlada.png")).unwrap(),
            fake_png(b"<svg a2/>")
        );
        assert!(!marker(&out).contains("older than their SVG"));

        // When the PNG has come, the marker lists nothing and a build reuses the picture.
        let mut folder = PublishedFolder::after_publish(&out, &site, FakeRasterizer.maker());
        site[2] = OutputFile::bytes("kommun/a/blomlada.svg", "<svg a3/>");
        folder
            .write(&site[2..3], &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert!(marker(&out).contains("kommun/a/blomlada.png"));
        let svgs = HashMap::from([("kommun/a/blomlada.svg", b"<svg a3/>".as_slice())]);
        folder.write(&site[3..4], &svgs, &FakeRasterizer).unwrap();
        assert!(!marker(&out).contains("older than their SVG"));
        let built = crate::output::publish(&out, &site, &FakeRasterizer).unwrap();
        assert_eq!(built.rasterized, 0);

        // A PNG cut short (the machine went down before it reached the disk) is made again.
        std::fs::write(out.join("kommun/a/blomlada.png"), b"\x89PNG\r\n\x1a\n<svg").unwrap();
        let built = crate::output::publish(&out, &site, &FakeRasterizer).unwrap();
        assert_eq!(built.rasterized, 1);
    }

    #[test]
    fn removes_files_and_the_folders_they_leave_empty() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let files = first_site();
        crate::output::publish(&out, &files, &FakeRasterizer).unwrap();
        let mut folder = PublishedFolder::after_publish(&out, &files, FakeRasterizer.maker());
        let removed = folder
            .remove(["kommun/b/2017/index.html", "not/published.html"])
            .unwrap();
        assert_eq!(removed, 1);
        assert!(!out.join("kommun/b").exists());
        assert!(out.join("kommun/a/index.html").exists());
        assert!(!folder.contains("kommun/b/2017/index.html"));
    }

    #[test]
    fn new_folders_are_made_and_paths_checked() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir(&out).unwrap();
        let mut folder = PublishedFolder::after_publish(&out, &[], FakeRasterizer.maker());
        let files = first_site();
        let written = folder
            .write(&files, &HashMap::new(), &FakeRasterizer)
            .unwrap();
        assert_eq!(written.files, files.len());
        assert_eq!(tree(&out).len(), files.len());
        let escape = [OutputFile::bytes("../outside.html", "x")];
        assert!(
            folder
                .write(&escape, &HashMap::new(), &FakeRasterizer)
                .is_err()
        );
        assert!(!dir.path().join("outside.html").exists());
    }

    #[test]
    fn pictures_and_data_come_before_pages_and_deep_pages_before_lists() {
        let mut paths = vec![
            "feed.xml",
            "index.html",
            "kommun/a/index.html",
            "kommun/a/2017/index.html",
            "kommun/a/2017/blomlada.png",
            "data/answers.csv",
        ];
        paths.sort_by_key(|p| write_rank(p));
        assert_eq!(
            paths,
            [
                "kommun/a/2017/blomlada.png",
                "data/answers.csv",
                "kommun/a/2017/index.html",
                "kommun/a/index.html",
                "feed.xml",
                "index.html",
            ]
        );
    }
}
