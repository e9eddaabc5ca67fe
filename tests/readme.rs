//! The README tells what running the tests needs, beside the command, and `.ci/run` installs
//! what it names: these tests fail when one of them changes without the other.

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The paragraph right after the README's first code block, the one with the test command.
fn prerequisites() -> String {
    let readme = read("README.md");
    let (block, after) = readme
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .expect("a sh code block in README.md");
    assert!(block.contains("bash scripts/test-all.sh"), "{block}");
    after.trim_start().split("\n\n").next().unwrap().to_string()
}

#[test]
fn the_readme_names_the_tests_prerequisites_beside_the_command() {
    let text = prerequisites().replace('\n', " ");
    for needed in [
        "Rust",
        "Chromium",
        "Java",
        "Node 20",
        "npm",
        "fonts-dejavu-core",
        "`bash .ci/run`",
    ] {
        assert!(text.contains(needed), "{needed} is not named in: {text}");
    }
}

#[test]
fn ci_installs_what_the_readme_names() {
    let ci = read(".ci/run");
    // Debian's package of each tool the README names, and the node packages.
    for package in [
        "packages+=(chromium)",
        "packages+=(fonts-dejavu-core)",
        "packages+=(default-jre-headless)",
        "packages+=(nodejs)",
        "packages+=(npm)",
        "npm ci",
        "exec bash scripts/test-all.sh",
    ] {
        assert!(ci.contains(package), ".ci/run lacks {package}");
    }
}

#[test]
fn the_readme_asks_for_the_rust_cargo_asks_for() {
    let manifest = read("Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("rust-version in Cargo.toml")
        .trim_matches('"');
    let wanted = format!("Rust {version} or newer");
    assert!(prerequisites().contains(&wanted), "README lacks {wanted}");
}
