//! Phase 4: write the output folder, atomically.
//!
//! A build writes a sibling folder and swaps it into place only when everything succeeded, so
//! the published folder only ever holds a complete site and a failed build leaves it as it was.
//! Pictures are rasterised only when their SVG changed: an unchanged SVG keeps its PNG from the
//! previous output.

pub mod incremental;
pub mod swap;

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The file at the root of every output folder, so that a build never replaces a folder that
/// is not a site it made.
pub const MARKER: &str = ".blomlada";

/// One file of the site: a path relative to the output folder (with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A PNG made from the SVG at this path (rasterised unless the previous output has it).
    PngOf(String),
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes.into()),
        }
    }
}

/// A relative output path must stay inside the output folder: no `..`, no root, no empty or
/// hidden components (the marker aside).
pub fn check_path(path: &str) -> Result<(), String> {
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
pub fn check_out_dir(out: &Path, protected: &[&Path]) -> Result<(), String> {
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

/// The sibling folder a build writes before the swap.
pub fn staging_dir(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.staging-{}", std::process::id()))
}

/// Makes the PNGs that `PngOf` asks for.
pub trait Rasterize: Sync {
    fn png(&self, svg: &[u8]) -> Result<Vec<u8>, String>;
}

/// Writes `files` into `dir` (which must exist and be empty). A PNG whose SVG is byte-for-byte
/// the same in `previous` is hard-linked (or copied) from there instead of rasterised.
pub fn write_all(
    dir: &Path,
    files: &[OutputFile],
    previous: Option<&Path>,
    rasterizer: &dyn Rasterize,
) -> io::Result<WriteStats> {
    for f in files {
        check_path(&f.path).map_err(io::Error::other)?;
    }
    let folders: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for folder in &folders {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    let svg_by_path: HashMap<&str, &[u8]> = files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) if f.path.ends_with(".svg") => Some((f.path.as_str(), b.as_slice())),
            _ => None,
        })
        .collect();
    // The same picture often appears twice (a municipality's latest year and that year's own
    // page): each distinct SVG is rasterised once, and its other PNGs are links to it.
    let mut first_png_of: HashMap<&[u8], &str> = HashMap::new();
    let mut copies: Vec<(&str, &str)> = Vec::new();
    let mut primary: Vec<&OutputFile> = Vec::with_capacity(files.len());
    for f in files {
        if let Contents::PngOf(svg_path) = &f.contents {
            let svg = svg_by_path
                .get(svg_path.as_str())
                .ok_or_else(|| io::Error::other(format!("no SVG at {svg_path} for {}", f.path)))?;
            if let Some(first) = first_png_of.get(svg) {
                copies.push((first, &f.path));
                continue;
            }
            first_png_of.insert(svg, &f.path);
        }
        primary.push(f);
    }
    let results: Vec<io::Result<bool>> = primary
        .par_iter()
        .map(|f| -> io::Result<bool> {
            let target = dir.join(&f.path);
            match &f.contents {
                Contents::Bytes(bytes) => std::fs::write(&target, bytes).map(|_| false),
                Contents::PngOf(svg_path) => {
                    let svg = svg_by_path
                        .get(svg_path.as_str())
                        .copied()
                        .unwrap_or_default();
                    if let Some(prev) = previous {
                        let same_svg =
                            std::fs::read(prev.join(svg_path)).is_ok_and(|old| old == svg);
                        let old_png = prev.join(&f.path);
                        if same_svg && old_png.is_file() && link_or_copy(&old_png, &target).is_ok()
                        {
                            return Ok(false);
                        }
                    }
                    let png = rasterizer
                        .png(svg)
                        .map_err(|e| io::Error::other(format!("{}: {e}", f.path)))?;
                    std::fs::write(&target, png).map(|_| true)
                }
            }
        })
        .collect();
    for (from, to) in copies {
        link_or_copy(&dir.join(from), &dir.join(to))?;
    }
    let mut stats = WriteStats {
        files: files.len(),
        rasterized: 0,
    };
    for r in results {
        if r? {
            stats.rasterized += 1;
        }
    }
    std::fs::write(
        dir.join(MARKER),
        b"This folder was written by blomlada build. It is replaced as a whole on each build.\n",
    )?;
    Ok(stats)
}

/// A hard link where the file system allows one (instant, no space), else a copy.
pub fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub files: usize,
    pub rasterized: usize,
}

/// Builds the output folder `out` from `files`: writes a staging folder beside it and swaps it
/// in. On any error the staging folder is removed and `out` is untouched.
pub fn publish(
    out: &Path,
    files: &[OutputFile],
    rasterizer: &dyn Rasterize,
) -> io::Result<WriteStats> {
    let staging = staging_dir(out);
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::create_dir(&staging)?;
    let previous = out.is_dir().then_some(out);
    let result = write_all(&staging, files, previous, rasterizer).and_then(|stats| {
        swap::replace_dir(&staging, out)?;
        Ok(stats)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

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
