//! Helpers shared by the integration tests: running the binary and reading output trees.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, without the picture cache (tests that count pictures drawn must not depend
/// on what earlier runs left in the user's cache).
pub(crate) fn blomlada() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_blomlada"));
    command.env("BLOMLADA_NO_CACHE", "1");
    command
}

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `blomlada build` of `content` into `out` with the repository's default theme.
pub(crate) fn build_command(content: &Path, out: &Path) -> Command {
    let mut command = blomlada();
    command
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--theme")
        .arg(repo().join("themes/default"))
        .arg("--out")
        .arg(out);
    command
}

/// Runs `blomlada build` and returns its output; the theme is the repository's default.
pub(crate) fn build(content: &Path, out: &Path, extra: &[&str]) -> Output {
    build_command(content, out)
        .args(extra)
        .output()
        .expect("run blomlada")
}

pub(crate) fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file under `dir` by relative path (with `/`), with its bytes.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Builds a fixture site (`tests/fixtures/sites/NAME`) into a temporary folder and returns
/// every file of the output.
pub(crate) fn built_site(name: &str, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    assert_success(&build(
        &repo().join("tests/fixtures/sites").join(name),
        &out,
        extra,
    ));
    tree(&out)
}

/// Copies a folder recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
