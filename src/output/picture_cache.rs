//! The picture cache: PNGs kept outside the output folder, so that a build from a fresh
//! checkout (or into an empty folder) need not draw again the pictures an earlier build drew.
//!
//! An entry is found by a digest of the SVG's bytes and of the way pictures are made (the
//! renderer, the encoder settings and the font), so a new encoder never gets an old entry.
//! An entry is the published PNG itself, stamped with its key and a digest of the rest of its
//! bytes in a chunk of its own ([`stamp`]). So a build keeps a picture it drew as a second name
//! (a hard link) of the file it published, and a later build publishes an entry as a second
//! name of the entry, where the file system allows: no picture is written twice.
//!
//! Nothing in the cache is trusted blindly: an entry is used only when its stamp holds its key,
//! the digest matches the rest of its bytes and the PNG has the width pictures are drawn at;
//! anything else is removed and the picture drawn again. Neither blomlåda nor `watch` ever
//! writes into a published file in place (they write a new file and rename it), so the second
//! name of a published PNG stays as it was; a program that changes a published PNG in place
//! changes the entry too, which is then refused by its digest, or has no stamp, as a program
//! that changes a picture drops chunks it does not know and marks unsafe to copy. Entries are
//! written under a temporary name and renamed into place, so builds running at the same time
//! never see half an entry. A cache that cannot be read or written only makes the build draw
//! more; it never fails it.
//!
//! The cache is bounded: after a build that added entries, the oldest entries are removed
//! until the cache is within its size again, sparing the entries that build used (an entry's
//! modification time is its last use). See docs/pictures.md.

use std::collections::HashSet;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::SystemTime;

use super::incremental::{Digest, digest};

/// The size the cache is brought back to after a build that added to it (1 GiB: the pictures
/// of about 8 000 flower boxes), unless that build alone used more.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// Part of the way pictures are made (and so of every key): the PNGs are stamped.
pub(crate) const STAMPED: &str = "stamped blKY 1";
/// The stamp's chunk type: ancillary, private, and unsafe to copy (by the case of its letters),
/// so that a program that changes the picture drops it.
const STAMP_TYPE: &[u8; 4] = b"blKY";
/// The PNG signature and its header chunk (length 13, "IHDR", 13 bytes, CRC): the stamp
/// follows them.
const HEAD_LEN: usize = 8 + 4 + 4 + 13 + 4;
/// The stamp's chunk: length, type, key and digest, CRC.
const STAMP_LEN: usize = 4 + 4 + 16 + 16 + 4;
const SIGNATURE_AND_HEADER: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR";
/// An entry larger than this is not read (a flower box is about 120 KiB).
const MAX_ENTRY_BYTES: u64 = 32 << 20;
/// The folder inside the cache folder that holds the pictures.
const PICTURES: &str = "pictures";

/// The default cache folder: `$XDG_CACHE_HOME/blomlada`, else `$HOME/.cache/blomlada`.
pub(crate) fn default_dir() -> Option<PathBuf> {
    let from = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    from("XDG_CACHE_HOME")
        .or_else(|| from("HOME").map(|home| home.join(".cache")))
        .map(|cache| cache.join("blomlada"))
}

/// Counts of one build's use of the cache.
#[cfg(test)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CacheStats {
    pub hits: usize,
    pub stored: usize,
    /// Entries found broken (and removed).
    pub rejected: usize,
}

/// A folder of PNGs by their [`key`].
pub(crate) struct PictureCache {
    dir: PathBuf,
    max_bytes: u64,
    /// The entries this build read or wrote, which trimming spares.
    used: Mutex<HashSet<String>>,
    hits: AtomicUsize,
    stored: AtomicUsize,
    /// Entries written since the last trim.
    untrimmed: AtomicUsize,
    rejected: AtomicUsize,
    /// A write failed once (reported once, then writes are given up).
    unwritable: AtomicBool,
    temporary: AtomicUsize,
}

impl PictureCache {
    /// The cache in `dir` (made if missing). Its entries are found by their [`key`], which
    /// holds how pictures are made.
    pub(crate) fn open(dir: &Path, max_bytes: u64) -> io::Result<PictureCache> {
        std::fs::create_dir_all(dir.join(PICTURES))?;
        Ok(PictureCache {
            dir: dir.to_path_buf(),
            max_bytes,
            used: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
            stored: AtomicUsize::new(0),
            untrimmed: AtomicUsize::new(0),
            rejected: AtomicUsize::new(0),
            unwritable: AtomicBool::new(false),
            temporary: AtomicUsize::new(0),
        })
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    #[cfg(test)]
    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            stored: self.stored.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
        }
    }

    fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(PICTURES).join(&name[..2]).join(name)
    }

    fn mark_used(&self, name: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(name.to_string());
        }
    }

    /// The PNG kept under `key` (stamped), if there is a sound one. `width` is the width every
    /// picture is drawn at, checked in the PNG's header.
    pub(crate) fn get(&self, key: Digest, width: u32) -> Option<Vec<u8>> {
        self.sound_entry(key, width).map(|(_, png)| png)
    }

    /// Publishes the PNG kept under `key` at `target` (a new file) as a second name of the
    /// entry where the file system allows, else as a copy. False when there is no sound entry,
    /// or it could not be published.
    pub(crate) fn publish(&self, key: Digest, width: u32, target: &Path) -> bool {
        let Some((path, png)) = self.sound_entry(key, width) else {
            return false;
        };
        // A second name of a file only: a link made to a symbolic link would publish the link.
        let linked = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && std::fs::hard_link(&path, target).is_ok();
        linked || std::fs::write(target, &png).is_ok()
    }

    /// The path and bytes of the entry under `key`, if it is sound (a broken one is removed),
    /// and notes its use.
    fn sound_entry(&self, key: Digest, width: u32) -> Option<(PathBuf, Vec<u8>)> {
        let name = format!("{key:032x}");
        let path = self.path_of(&name);
        let entry = match read_bounded(&path) {
            Ok(entry) => entry,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            Err(e) => {
                self.reject(&path, &e.to_string());
                return None;
            }
        };
        match check_entry(&entry, key, width) {
            Ok(()) => {
                // Its modification time says when it was last used (for trimming).
                let _ = std::fs::File::options()
                    .write(true)
                    .open(&path)
                    .and_then(|f| f.set_modified(SystemTime::now()));
                self.mark_used(&name);
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some((path, entry))
            }
            Err(why) => {
                self.reject(&path, why);
                None
            }
        }
    }

    fn reject(&self, path: &Path, why: &str) {
        tracing::warn!(
            "picture cache: {} is not sound ({why}); the picture is drawn again",
            path.display()
        );
        self.rejected.fetch_add(1, Ordering::Relaxed);
        let _ = std::fs::remove_file(path);
    }

    /// Keeps `png`, stamped for `key` ([`stamp`]), under `key`. Failing to write only costs
    /// a later build time, so it is reported once and otherwise ignored.
    pub(crate) fn put(&self, key: Digest, png: &[u8]) {
        self.keep(key, |temporary| std::fs::write(temporary, png));
    }

    /// Keeps the published file `file`, a PNG stamped for `key`, under `key`: as a second name
    /// of the file where the file system allows, else as a copy.
    pub(crate) fn keep_file(&self, key: Digest, file: &Path) {
        self.keep(key, |temporary| super::link_or_copy(file, temporary));
    }

    /// Makes the entry under `key` with `make`, which writes it at a temporary path.
    fn keep(&self, key: Digest, make: impl FnOnce(&Path) -> io::Result<()>) {
        if self.unwritable.load(Ordering::Relaxed) {
            return;
        }
        let name = format!("{key:032x}");
        let path = self.path_of(&name);
        let temporary = path.with_file_name(format!(
            ".{name}.{}-{}.tmp",
            std::process::id(),
            self.temporary.fetch_add(1, Ordering::Relaxed)
        ));
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| make(&temporary))
            .and_then(|()| std::fs::rename(&temporary, &path));
        match written {
            Ok(()) => {
                self.mark_used(&name);
                self.stored.fetch_add(1, Ordering::Relaxed);
                self.untrimmed.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                if !self.unwritable.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        "picture cache: cannot write to {}: {e}; pictures are not kept",
                        self.dir.display()
                    );
                }
            }
        }
    }

    /// Brings the cache back within its size if entries were added since the last time:
    /// removes the entries used longest ago, never one this build used. Returns how many were
    /// removed.
    pub(crate) fn trim(&self) -> io::Result<usize> {
        if self.untrimmed.swap(0, Ordering::Relaxed) == 0 {
            return Ok(0);
        }
        let used = self
            .used
            .lock()
            .map_err(|_| io::Error::other("lock"))?
            .clone();
        let mut entries = Vec::new();
        let mut total = 0u64;
        for shard in std::fs::read_dir(self.dir.join(PICTURES))? {
            let shard = shard?;
            if !shard.file_type()?.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(shard.path())? {
                let entry = entry?;
                let Ok(meta) = entry.metadata() else { continue };
                if !meta.is_file() {
                    continue;
                }
                total += meta.len();
                let name = entry.file_name().to_string_lossy().into_owned();
                if !used.contains(&name) {
                    let when = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                    entries.push((when, meta.len(), entry.path()));
                }
            }
        }
        entries.sort();
        let mut removed = 0;
        for (_, len, path) in entries {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= len;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Reads a file of at most [`MAX_ENTRY_BYTES`].
fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_ENTRY_BYTES {
        return Err(io::Error::other(format!("{len} bytes")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_ENTRY_BYTES).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The key of a picture: the digest of the way pictures are made (`maker`) and the SVG's
/// bytes.
pub(crate) fn key(maker: Digest, svg: &[u8]) -> Digest {
    let mut both = [0u8; 32];
    both[..16].copy_from_slice(&maker.to_le_bytes());
    both[16..].copy_from_slice(&digest(svg).to_le_bytes());
    digest(&both)
}

/// `png` with the stamp that makes it an entry of the cache: a chunk right after its header
/// holding `key` and a digest of the PNG's other bytes. PNG readers skip a chunk they do not
/// know. A PNG without the usual header (none that blomlåda draws) is left as it is; the cache
/// refuses it.
pub(crate) fn stamp(png: &[u8], key: Digest) -> Vec<u8> {
    if png.len() < HEAD_LEN || !png.starts_with(SIGNATURE_AND_HEADER) {
        return png.to_vec();
    }
    let (head, rest) = png.split_at(HEAD_LEN);
    let mut chunk = [0u8; STAMP_LEN];
    chunk[..4].copy_from_slice(&32u32.to_be_bytes());
    chunk[4..8].copy_from_slice(STAMP_TYPE);
    chunk[8..24].copy_from_slice(&key.to_le_bytes());
    chunk[24..40].copy_from_slice(&unstamped_digest(head, rest).to_le_bytes());
    let crc = crc32fast::hash(&chunk[4..40]);
    chunk[40..].copy_from_slice(&crc.to_be_bytes());
    let mut stamped = Vec::with_capacity(png.len() + STAMP_LEN);
    stamped.extend_from_slice(head);
    stamped.extend_from_slice(&chunk);
    stamped.extend_from_slice(rest);
    stamped
}

/// The digest of a stamped PNG's bytes but its stamp: those before it and those after it.
fn unstamped_digest(head: &[u8], rest: &[u8]) -> Digest {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hasher;
    let mut hasher = SipHasher13::new();
    hasher.write(head);
    hasher.write(rest);
    hasher.finish128().as_u128()
}

/// Whether `entry` is a whole entry for `key` holding a PNG `width` pixels wide.
fn check_entry(entry: &[u8], key: Digest, width: u32) -> Result<(), &'static str> {
    // PNG signature, then the IHDR chunk: length 13, "IHDR", width.
    if !entry.starts_with(SIGNATURE_AND_HEADER)
        || entry.get(16..20) != Some(&width.to_be_bytes()[..])
    {
        return Err("not a PNG of the expected width");
    }
    let stamp = entry
        .get(HEAD_LEN..HEAD_LEN + STAMP_LEN)
        .ok_or("too short")?;
    if stamp[..4] != 32u32.to_be_bytes() || &stamp[4..8] != STAMP_TYPE {
        return Err("no stamp of this cache");
    }
    let u128_at = |at: usize| {
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&stamp[at..at + 16]);
        u128::from_le_bytes(bytes)
    };
    if u128_at(8) != key {
        return Err("the entry of another picture");
    }
    let (head, rest) = (&entry[..HEAD_LEN], &entry[HEAD_LEN + STAMP_LEN..]);
    if unstamped_digest(head, rest) != u128_at(24) {
        return Err("the PNG does not match its digest (changed, cut short or padded)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG's signature and header for `width`, then `body`.
    fn png(width: u32, body: &[u8]) -> Vec<u8> {
        let mut png = SIGNATURE_AND_HEADER.to_vec();
        png.extend_from_slice(&width.to_be_bytes());
        png.extend_from_slice(&[0, 0, 0, 1, 8, 2, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(png.len(), HEAD_LEN);
        png.extend_from_slice(body);
        png
    }

    /// The key of `svg` drawn by `maker`.
    fn key_by(maker: &str, svg: &[u8]) -> Digest {
        key(digest(maker.as_bytes()), svg)
    }

    /// The key of `svg` drawn by the tests' maker.
    fn key_of(svg: &[u8]) -> Digest {
        key_by("maker", svg)
    }

    /// `png` stamped for `svg`, as a build keeps it.
    fn stamped(svg: &[u8], png: &[u8]) -> Vec<u8> {
        stamp(png, key_of(svg))
    }

    fn entry_path(cache: &PictureCache, svg: &[u8]) -> PathBuf {
        cache.path_of(&format!("{:032x}", key_of(svg)))
    }

    #[test]
    fn keeps_and_returns_a_picture() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PictureCache::open(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(cache.get(key_of(b"<svg/>"), 1200), None);
        let picture = stamped(b"<svg/>", &png(1200, b"pixels"));
        cache.put(key_of(b"<svg/>"), &picture);
        assert_eq!(cache.get(key_of(b"<svg/>"), 1200), Some(picture));
        assert_eq!(cache.get(key_of(b"<svg></svg>"), 1200), None);
        // Another maker (encoder, font) has other keys.
        assert_eq!(cache.get(key_by("maker 2", b"<svg/>"), 1200), None);
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                stored: 1,
                rejected: 0
            }
        );
    }

    #[test]
    fn broken_entries_are_removed_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PictureCache::open(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        let svg = b"<svg/>";
        let good = stamped(svg, &png(1200, b"some pixels"));
        let path = entry_path(&cache, svg);
        type Breakage = fn(&mut Vec<u8>);
        let breakages: [(&str, Breakage); 7] = [
            ("a flipped bit", |e| *e.last_mut().unwrap() ^= 1),
            ("a flipped bit in the header", |e| e[HEAD_LEN - 6] ^= 1),
            ("truncated", |e| e.truncate(e.len() - 3)),
            ("padded", |e| e.push(0)),
            ("empty", |e| e.clear()),
            ("no stamp", |e| e[HEAD_LEN + 5] = b'x'),
            ("another key", |e| e[HEAD_LEN + 8] ^= 1),
        ];
        for (what, breakage) in breakages {
            cache.put(key_of(svg), &good);
            let mut entry = std::fs::read(&path).unwrap();
            breakage(&mut entry);
            std::fs::write(&path, &entry).unwrap();
            assert_eq!(cache.get(key_of(svg), 1200), None, "{what}");
            assert!(!path.exists(), "{what}: the broken entry is removed");
        }
        // A sound entry of the wrong width (another drawing size) is not used either.
        cache.put(key_of(svg), &stamped(svg, &png(600, b"pixels")));
        assert_eq!(cache.get(key_of(svg), 1200), None);
        // An entry moved to another picture's place is refused by its key.
        let other = b"<svg>a</svg>";
        cache.put(key_of(other), &stamped(other, &png(1200, b"some pixels")));
        std::fs::copy(entry_path(&cache, other), &path).unwrap();
        assert_eq!(cache.get(key_of(svg), 1200), None);
        // A PNG kept without its stamp is refused.
        cache.put(key_of(svg), &png(1200, b"some pixels"));
        assert_eq!(cache.get(key_of(svg), 1200), None);
        assert_eq!(cache.stats().rejected, 10);
    }

    #[test]
    fn trimming_removes_the_least_recently_used_but_spares_this_builds() {
        let dir = tempfile::tempdir().unwrap();
        let earlier = PictureCache::open(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        let picture = png(1200, &[7; 1000]);
        let put = |cache: &PictureCache, i: usize| {
            let svg = format!("<svg>{i}</svg>");
            cache.put(key_of(svg.as_bytes()), &stamped(svg.as_bytes(), &picture));
        };
        for i in 0..4 {
            put(&earlier, i);
        }
        // Entry 0 is the oldest, 3 the newest.
        for i in 0..4 {
            let path = entry_path(&earlier, format!("<svg>{i}</svg>").as_bytes());
            let when = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i);
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
        let entry_bytes = (STAMP_LEN + picture.len()) as u64;
        // A later build uses entry 1 and adds entry 4; room for three entries.
        let later = PictureCache::open(dir.path(), 3 * entry_bytes).unwrap();
        assert!(later.get(key_of(b"<svg>1</svg>"), 1200).is_some());
        put(&later, 4);
        assert_eq!(later.trim().unwrap(), 2);
        let kept: Vec<bool> = (0..5)
            .map(|i| entry_path(&later, format!("<svg>{i}</svg>").as_bytes()).exists())
            .collect();
        assert_eq!(kept, [false, true, false, true, true]);
        // A build that needs more than the bound keeps all it used.
        let big = PictureCache::open(dir.path(), 1).unwrap();
        for i in 5..7 {
            put(&big, i);
        }
        big.trim().unwrap();
        let kept: Vec<bool> = (0..7)
            .map(|i| entry_path(&big, format!("<svg>{i}</svg>").as_bytes()).exists())
            .collect();
        assert_eq!(kept, [false, false, false, false, false, true, true]);
    }

    #[test]
    fn a_published_picture_and_its_entry_are_one_file() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = PictureCache::open(&dir.path().join("cache"), DEFAULT_MAX_BYTES).unwrap();
        let svg = b"<svg/>";
        let picture = stamped(svg, &png(1200, b"pixels"));
        let drawn = dir.path().join("drawn.png");
        std::fs::write(&drawn, &picture).unwrap();
        cache.keep_file(key_of(svg), &drawn);
        let entry = entry_path(&cache, svg);
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(
            inode(&entry),
            inode(&drawn),
            "kept as a second name, not written again"
        );
        // A later build publishes the entry the same way.
        let published = dir.path().join("published.png");
        assert!(cache.publish(key_of(svg), 1200, &published));
        assert_eq!(inode(&published), inode(&entry));
        assert_eq!(std::fs::read(&published).unwrap(), picture);
        // A program that changes a published picture in place changes the entry: refused.
        let mut changed = picture.clone();
        *changed.last_mut().unwrap() ^= 1;
        std::fs::write(&published, &changed).unwrap();
        assert!(!cache.publish(key_of(svg), 1200, &dir.path().join("again.png")));
        assert!(!entry.exists());
        assert_eq!(cache.stats().rejected, 1);
    }

    #[test]
    fn an_entry_that_is_a_symbolic_link_is_published_as_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PictureCache::open(&dir.path().join("cache"), DEFAULT_MAX_BYTES).unwrap();
        let svg = b"<svg/>";
        let picture = stamped(svg, &png(1200, b"pixels"));
        let elsewhere = dir.path().join("elsewhere.png");
        std::fs::write(&elsewhere, &picture).unwrap();
        let entry = entry_path(&cache, svg);
        std::fs::create_dir_all(entry.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &entry).unwrap();
        let published = dir.path().join("published.png");
        assert!(cache.publish(key_of(svg), 1200, &published));
        let meta = std::fs::symlink_metadata(&published).unwrap();
        assert!(meta.is_file(), "published as a file, not as a link");
        assert_eq!(std::fs::read(&published).unwrap(), picture);
    }

    #[test]
    fn a_stamp_is_a_chunk_png_readers_skip() {
        let picture = crate::render::png::Rasterizer::new()
            .png(r##"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"><rect width="4" height="2" fill="#4e9f46"/></svg>"##)
            .unwrap();
        let stamped = stamp(&picture, 7);
        assert_eq!(stamped.len(), picture.len() + STAMP_LEN);
        let decode = |bytes: &[u8]| {
            let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
                .read_info()
                .unwrap();
            let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
            reader.next_frame(&mut pixels).unwrap();
            pixels
        };
        assert_eq!(decode(&stamped), decode(&picture));
        let width = u32::from_be_bytes(picture[16..20].try_into().unwrap());
        assert_eq!(check_entry(&stamped, 7, width), Ok(()));
        assert_eq!(
            check_entry(&picture, 7, width),
            Err("no stamp of this cache")
        );
    }

    #[test]
    fn an_unwritable_cache_does_not_fail() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PictureCache::open(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        // A file where the shard folder should be.
        let svg = b"<svg/>";
        let shard = entry_path(&cache, svg).parent().unwrap().to_path_buf();
        std::fs::write(&shard, b"in the way").unwrap();
        cache.put(key_of(svg), &stamped(svg, &png(1200, b"pixels")));
        assert_eq!(cache.get(key_of(svg), 1200), None);
        assert_eq!(cache.stats().stored, 0);
    }
}
