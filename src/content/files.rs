//! Finding and opening the files of a content folder, within it.
//!
//! A content folder is often a git repository that submitters write to, and a submitted file
//! can be a symbolic link. A link that stays inside the content folder is followed like the
//! file or folder it leads to. A link that leads outside it, or nowhere, is an error naming the
//! link; where it leads is looked up, but nothing there is read, and no folder there is
//! searched. Hidden files and folders (`.git`, editors' backups) are skipped whole.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The error for a link that leads outside the content folder.
pub(crate) const LINK_OUTSIDE: &str = "found a symbolic link that leads outside the content folder; expected a file inside it (links are followed only within the content folder: copy the file in instead)";
/// The error for a link that leads nowhere.
pub(crate) const LINK_BROKEN: &str = "found a symbolic link that leads nowhere; expected a file inside the content folder (or a link to one)";
/// The error for a link to a folder it is in.
pub(crate) const LINK_LOOP: &str = "found a symbolic link to a folder it is itself in; expected a file inside the content folder (or a link to one)";

/// What a search of part of a content folder found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// The files to read, relative to the folder searched, sorted.
    pub files: Vec<PathBuf>,
    /// What is not read, relative to the folder searched, with the reason: links that lead
    /// outside the content folder or nowhere, and entries that could not be read.
    pub refused: Vec<(PathBuf, String)>,
}

/// The files with one of `extensions` in `dir` (and, if `recursive`, below it), a folder of
/// the content folder `root`.
pub(crate) fn find(root: &Path, dir: &Path, recursive: bool, extensions: &[&str]) -> Found {
    let mut found = Found::default();
    if !dir.is_dir() {
        return found;
    }
    let root = std::fs::canonicalize(root).ok();
    let wanted = |path: &Path| {
        path.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| extensions.contains(&x))
    };
    let hidden = |name: &std::ffi::OsStr| name.to_string_lossy().starts_with('.');
    let relative = |path: &Path| path.strip_prefix(dir).map(Path::to_path_buf).ok();
    // A link to something that would not be read is left alone, like that thing; one to a
    // folder, or one that leads nowhere and might have been meant as a folder, is looked at.
    let may_be_folder = |path: &Path| recursive && path.extension().is_none();
    let refused = std::cell::RefCell::new(Vec::new());
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(if recursive { 64 } else { 1 })
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if hidden(e.file_name()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            if !(wanted(e.path()) || (recursive && e.file_type().is_dir())) {
                return false;
            }
            let inside = root.as_ref().is_some_and(|root| {
                std::fs::canonicalize(e.path()).is_ok_and(|target| target.starts_with(root))
            });
            if !inside && let Some(rel) = relative(e.path()) {
                refused.borrow_mut().push((rel, LINK_OUTSIDE.to_string()));
            }
            inside
        });
    for entry in walk {
        let e = match entry {
            Ok(e) => {
                if e.file_type().is_file() && wanted(e.path()) {
                    found.files.extend(relative(e.path()));
                }
                continue;
            }
            Err(e) => e,
        };
        let Some(path) = e.path() else { continue };
        if path.file_name().is_some_and(hidden) {
            continue;
        }
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
        let reason = if e.loop_ancestor().is_some() {
            LINK_LOOP.to_string()
        } else if is_link {
            if !wanted(path) && !may_be_folder(path) {
                continue;
            }
            LINK_BROKEN.to_string()
        } else {
            let cause = e
                .io_error()
                .map_or_else(|| e.to_string(), ToString::to_string);
            format!("cannot read this folder: {cause}")
        };
        refused
            .borrow_mut()
            .extend(relative(path).map(|rel| (rel, reason)));
    }
    let mut refused = refused.into_inner();
    found.files.sort();
    refused.sort();
    refused.dedup();
    found.refused = refused;
    found
}

/// Why `rel` in the content folder `root` must not be read, if it must not: it is, or is
/// reached through, a symbolic link that leads outside `root` or nowhere. Gives the link
/// (relative to `root`) and the reason.
pub(crate) fn link_problem(root: &Path, rel: &Path) -> Option<(PathBuf, &'static str)> {
    let mut prefix = PathBuf::new();
    let mut root_real = None;
    for component in rel.components() {
        prefix.push(component);
        let path = root.join(&prefix);
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) {
            continue;
        }
        let root_real = match &root_real {
            Some(r) => r,
            None => root_real.insert(std::fs::canonicalize(root).ok()?),
        };
        match std::fs::canonicalize(&path) {
            Ok(target) if target.starts_with(root_real) => {}
            Ok(_) => return Some((prefix, LINK_OUTSIDE)),
            Err(_) => return Some((prefix, LINK_BROKEN)),
        }
    }
    None
}

/// Reads the file `rel` of the content folder `root`, at most `limit` bytes and one more (so
/// that a bigger file is known to be too big). A symbolic link is followed only when it stays
/// inside `root`: the file is opened without following a link first, which costs nothing for
/// the usual file that is no link.
pub(crate) fn read_within(root: &Path, rel: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    let path = root.join(rel);
    let file = match open_no_link(&path) {
        Ok(file) => file,
        Err(e) if is_link_error(&e) => {
            if let Some((link, reason)) = link_problem(root, rel) {
                return Err(ReadError::Link(link, reason));
            }
            std::fs::File::open(&path).map_err(ReadError::Io)?
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    let expected = file.metadata().map_or(0, |m| m.len()) as usize;
    let mut bytes = Vec::with_capacity(expected.min(limit) + 1);
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    Ok(bytes)
}

/// Why a content file was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// A symbolic link (relative to the content folder) that leads outside it or nowhere.
    Link(PathBuf, &'static str),
    Io(io::Error),
}

#[cfg(unix)]
fn open_no_link(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_link(path: &Path) -> io::Result<std::fs::File> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
        return Err(io::Error::other("a symbolic link"));
    }
    std::fs::File::open(path)
}

/// Whether opening without following links failed because the file is a link.
fn is_link_error(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        // FreeBSD and NetBSD say EMLINK where Linux and macOS say ELOOP.
        matches!(e.raw_os_error(), Some(libc::ELOOP | libc::EMLINK))
    }
    #[cfg(not(unix))]
    {
        e.kind() == io::ErrorKind::Other
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_are_followed_and_links_outside_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        let assessments = root.join("assessments");
        std::fs::create_dir_all(assessments.join("2017")).unwrap();
        std::fs::create_dir_all(root.join("archive/2016")).unwrap();
        std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        std::fs::write(assessments.join("2017/a.yaml"), "a").unwrap();
        std::fs::write(root.join("archive/b.yaml"), "b").unwrap();
        std::fs::write(root.join("archive/2016/c.yaml"), "c").unwrap();
        std::fs::write(dir.path().join("elsewhere/secret.yaml"), "secret").unwrap();
        symlink("../../archive/b.yaml", assessments.join("2017/b.yaml")).unwrap();
        symlink("../archive/2016", assessments.join("2016")).unwrap();
        symlink(
            "../../../elsewhere/secret.yaml",
            assessments.join("2017/out.yaml"),
        )
        .unwrap();
        symlink("../../elsewhere", assessments.join("elsewhere")).unwrap();
        symlink("missing.yaml", assessments.join("2017/gone.yaml")).unwrap();
        symlink("..", assessments.join("2017/up")).unwrap();
        // Not read whatever it is: not YAML, or hidden.
        symlink("/etc/hostname", assessments.join("2017/notes.txt")).unwrap();
        symlink("/nowhere", assessments.join("2017/.#a.yaml")).unwrap();

        let found = find(&root, &assessments, true, &["yaml"]);
        let files: Vec<&str> = found.files.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(files, ["2016/c.yaml", "2017/a.yaml", "2017/b.yaml"]);
        let refused: Vec<(&str, &str)> = found
            .refused
            .iter()
            .map(|(p, r)| (p.to_str().unwrap(), r.as_str()))
            .collect();
        assert_eq!(
            refused,
            [
                ("2017/gone.yaml", LINK_BROKEN),
                ("2017/out.yaml", LINK_OUTSIDE),
                ("2017/up", LINK_LOOP),
                ("elsewhere", LINK_OUTSIDE),
            ]
        );

        let rel = Path::new("assessments/2017/out.yaml");
        assert!(matches!(
            read_within(&root, rel, 100),
            Err(ReadError::Link(link, LINK_OUTSIDE)) if link == rel
        ));
        let through = Path::new("assessments/elsewhere/secret.yaml");
        assert_eq!(
            link_problem(&root, through),
            Some((PathBuf::from("assessments/elsewhere"), LINK_OUTSIDE))
        );
        assert_eq!(
            read_within(&root, Path::new("assessments/2017/b.yaml"), 100).unwrap(),
            b"b"
        );
        assert_eq!(
            link_problem(&root, Path::new("assessments/2016/c.yaml")),
            None
        );
    }
}
