//! The picture cache: PNGs kept outside the output folder, so that a build from a fresh
//! checkout (or into an empty folder) need not draw again the pictures an earlier build drew.
//!
//! An entry is found by a digest of the SVG's bytes and of the way pictures are made (the
//! renderer, the encoder settings and the font), so a new encoder never gets an old entry.
//! Nothing in the cache is trusted blindly: an entry holds its own key and a digest of its PNG,
//! and is used only when both match and the PNG has the width pictures are drawn at; anything
//! else is removed and the picture drawn again. Entries are written under a temporary name and
//! renamed into place, so builds running at the same time never see half an entry. A cache
//! that cannot be read or written only makes the build draw more; it never fails it.
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

/// What an entry starts with: the format of the cache, so that a new format never reads an old
/// one.
const MAGIC: &[u8; 8] = b"blpng\x001\n";
/// Magic, key, digest of the PNG, length of the PNG.
const HEADER_LEN: usize = 8 + 16 + 16 + 8;
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

/// A folder of PNGs by the digest of their SVG.
pub(crate) struct PictureCache {
    dir: PathBuf,
    /// A digest of how pictures are made; part of every key.
    maker: Digest,
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
    /// The cache in `dir` (made if missing) for pictures made the way `maker` describes.
    pub(crate) fn open(dir: &Path, maker: &str, max_bytes: u64) -> io::Result<PictureCache> {
        std::fs::create_dir_all(dir.join(PICTURES))?;
        Ok(PictureCache {
            dir: dir.to_path_buf(),
            maker: digest(maker.as_bytes()),
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

    /// The key of a picture: the maker's digest and the SVG's bytes.
    fn key(&self, svg: &[u8]) -> Digest {
        let mut both = [0u8; 32];
        both[..16].copy_from_slice(&self.maker.to_le_bytes());
        both[16..].copy_from_slice(&digest(svg).to_le_bytes());
        digest(&both)
    }

    fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(PICTURES).join(&name[..2]).join(name)
    }

    fn mark_used(&self, name: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(name.to_string());
        }
    }

    /// The PNG kept for `svg`, if there is a sound one. `width` is the width every picture is
    /// drawn at, checked in the PNG's header.
    pub(crate) fn get(&self, svg: &[u8], width: u32) -> Option<Vec<u8>> {
        let key = self.key(svg);
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
                Some(entry[HEADER_LEN..].to_vec())
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

    /// Keeps `png` as the picture of `svg`. Failing to write only costs a later build time, so
    /// it is reported once and otherwise ignored.
    pub(crate) fn put(&self, svg: &[u8], png: &[u8]) {
        if self.unwritable.load(Ordering::Relaxed) {
            return;
        }
        let key = self.key(svg);
        let name = format!("{key:032x}");
        let path = self.path_of(&name);
        let mut entry = Vec::with_capacity(HEADER_LEN + png.len());
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(&key.to_le_bytes());
        entry.extend_from_slice(&digest(png).to_le_bytes());
        entry.extend_from_slice(&(png.len() as u64).to_le_bytes());
        entry.extend_from_slice(png);
        let temporary = path.with_file_name(format!(
            ".{name}.{}-{}.tmp",
            std::process::id(),
            self.temporary.fetch_add(1, Ordering::Relaxed)
        ));
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&temporary, &entry))
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

/// Whether `entry` is a whole entry for `key` holding a PNG `width` pixels wide.
fn check_entry(entry: &[u8], key: Digest, width: u32) -> Result<(), &'static str> {
    let field = |at: usize, len: usize| entry.get(at..at + len).ok_or("too short");
    if field(0, 8)? != MAGIC {
        return Err("not an entry of this cache format");
    }
    let u128_at = |at| -> Result<u128, &'static str> {
        Ok(u128::from_le_bytes(
            field(at, 16)?.try_into().map_err(|_| "too short")?,
        ))
    };
    if u128_at(8)? != key {
        return Err("the entry of another picture");
    }
    let len = u64::from_le_bytes(field(40, 8)?.try_into().map_err(|_| "too short")?);
    let png = &entry[HEADER_LEN..];
    if png.len() as u64 != len {
        return Err("truncated or padded");
    }
    if digest(png) != u128_at(24)? {
        return Err("the PNG does not match its digest");
    }
    // PNG signature, then the IHDR chunk: length 13, "IHDR", width.
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR";
    if !png.starts_with(SIGNATURE) || png.get(16..20) != Some(&width.to_be_bytes()[..]) {
        return Err("not a PNG of the expected width");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, body: &[u8]) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.extend_from_slice(&width.to_be_bytes());
        png.extend_from_slice(body);
        png
    }

    fn entry_path(cache: &PictureCache, svg: &[u8]) -> PathBuf {
        cache.path_of(&format!("{:032x}", cache.key(svg)))
    }

    #[test]
    fn keeps_and_returns_a_picture() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PictureCache::open(dir.path(), "maker 1", DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(cache.get(b"<svg/>", 1200), None);
        cache.put(b"<svg/>", &png(1200, b"pixels"));
        assert_eq!(cache.get(b"<svg/>", 1200), Some(png(1200, b"pixels")));
        assert_eq!(cache.get(b"<svg></svg>", 1200), None);
        // Another maker (encoder, font) has other keys.
        let other = PictureCache::open(dir.path(), "maker 2", DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(other.get(b"<svg/>", 1200), None);
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
        let cache = PictureCache::open(dir.path(), "maker", DEFAULT_MAX_BYTES).unwrap();
        let good = png(1200, b"some pixels");
        let svg = b"<svg/>";
        let path = entry_path(&cache, svg);
        type Breakage = fn(&mut Vec<u8>);
        let breakages: [(&str, Breakage); 6] = [
            ("a flipped bit", |e| *e.last_mut().unwrap() ^= 1),
            ("truncated", |e| e.truncate(e.len() - 3)),
            ("padded", |e| e.push(0)),
            ("empty", |e| e.clear()),
            ("another format", |e| e[6] = b'2'),
            ("another key", |e| e[8] ^= 1),
        ];
        for (what, breakage) in breakages {
            cache.put(svg, &good);
            let mut entry = std::fs::read(&path).unwrap();
            breakage(&mut entry);
            std::fs::write(&path, &entry).unwrap();
            assert_eq!(cache.get(svg, 1200), None, "{what}");
            assert!(!path.exists(), "{what}: the broken entry is removed");
        }
        // A sound entry of the wrong width (another drawing size) is not used either.
        cache.put(svg, &png(600, b"pixels"));
        assert_eq!(cache.get(svg, 1200), None);
        // An entry moved to another picture's place is refused by its key.
        cache.put(b"<svg>a</svg>", &good);
        std::fs::copy(entry_path(&cache, b"<svg>a</svg>"), &path).unwrap();
        assert_eq!(cache.get(svg, 1200), None);
        assert_eq!(cache.stats().rejected, 8);
    }

    #[test]
    fn trimming_removes_the_least_recently_used_but_spares_this_builds() {
        let dir = tempfile::tempdir().unwrap();
        let earlier = PictureCache::open(dir.path(), "maker", DEFAULT_MAX_BYTES).unwrap();
        let picture = png(1200, &[7; 1000]);
        for i in 0..4 {
            earlier.put(format!("<svg>{i}</svg>").as_bytes(), &picture);
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
        let entry_bytes = (HEADER_LEN + picture.len()) as u64;
        // A later build uses entry 1 and adds entry 4; room for three entries.
        let later = PictureCache::open(dir.path(), "maker", 3 * entry_bytes).unwrap();
        assert!(later.get(b"<svg>1</svg>", 1200).is_some());
        later.put(b"<svg>4</svg>", &picture);
        assert_eq!(later.trim().unwrap(), 2);
        let kept: Vec<bool> = (0..5)
            .map(|i| entry_path(&later, format!("<svg>{i}</svg>").as_bytes()).exists())
            .collect();
        assert_eq!(kept, [false, true, false, true, true]);
        // A build that needs more than the bound keeps all it used.
        let big = PictureCache::open(dir.path(), "maker", 1).unwrap();
        for i in 5..7 {
            big.put(format!("<svg>{i}</svg>").as_bytes(), &picture);
        }
        big.trim().unwrap();
        let kept: Vec<bool> = (0..7)
            .map(|i| entry_path(&big, format!("<svg>{i}</svg>").as_bytes()).exists())
            .collect();
        assert_eq!(kept, [false, false, false, false, false, true, true]);
    }

    #[test]
    fn an_unwritable_cache_does_not_fail() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PictureCache::open(dir.path(), "maker", DEFAULT_MAX_BYTES).unwrap();
        // A file where the shard folder should be.
        let svg = b"<svg/>";
        let shard = entry_path(&cache, svg).parent().unwrap().to_path_buf();
        std::fs::write(&shard, b"in the way").unwrap();
        cache.put(svg, &png(1200, b"pixels"));
        assert_eq!(cache.get(svg, 1200), None);
        assert_eq!(cache.stats().stored, 0);
    }
}
