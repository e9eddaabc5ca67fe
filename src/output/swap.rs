//! Replacing a folder with another in one step.

use std::io;
use std::path::Path;

/// Puts `staging` in the place of `out`. On Linux both folders are exchanged atomically
/// (`renameat2` with `RENAME_EXCHANGE`), so a web server reading `out` sees either the old
/// site or the new one, never a missing folder; the old site is then removed.
pub(crate) fn replace_dir(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous site.
        return remove_dir_all_parallel(staging);
    }
    // Elsewhere: two renames, with a moment in between where `out` is missing.
    let old = staging.with_extension("old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    remove_dir_all_parallel(&old)
}

/// Removes a folder and everything in it, its subfolders two levels down in parallel: a site
/// has thousands of municipality folders, and removing them one after another keeps one core
/// waiting on the file system.
pub(crate) fn remove_dir_all_parallel(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            for inner in std::fs::read_dir(entry.path())? {
                let inner = inner?;
                if inner.file_type()?.is_dir() {
                    folders.push(inner.path());
                }
            }
        }
    }
    folders.par_iter().try_for_each(std::fs::remove_dir_all)?;
    std::fs::remove_dir_all(dir)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::other("atomic exchange is not available"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_existing_and_creates_new() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let staging = dir.path().join(".site.staging");
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("a"), "new").unwrap();
        replace_dir(&staging, &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "new");
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("b"), "newer").unwrap();
        replace_dir(&staging, &out).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(std::fs::read_to_string(out.join("b")).unwrap(), "newer");
        assert!(!staging.exists());
    }
}
