//! What the docs promise about setting up: the README tells what running the tests needs,
//! beside the command, and `.ci/run` installs it; the systemd unit of docs/watch.md restarts
//! `watch`, logs to journald and may write what `watch` writes. These tests fail when one of
//! them changes without the other.

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
    let needed = [
        "Rust",
        "Chromium",
        "Java",
        "Node 20",
        "npm",
        "fonts-dejavu-core",
        "`bash .ci/run`",
    ];
    assert_holds(
        &text,
        &needed,
        "the README's paragraph after the test command",
    );
}

#[test]
fn ci_installs_what_the_readme_names() {
    let ci = read(".ci/run");
    // Debian's package of each tool the README names, and the node packages.
    let installs = [
        "packages+=(chromium)",
        "packages+=(fonts-dejavu-core)",
        "packages+=(default-jre-headless)",
        "packages+=(nodejs)",
        "packages+=(npm)",
        "npm ci",
        "exec bash scripts/test-all.sh",
    ];
    assert_holds(&ci, &installs, ".ci/run");
}

fn assert_holds(text: &str, parts: &[&str], what: &str) {
    for part in parts {
        assert!(text.contains(part), "{what} lacks {part}: {text}");
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

/// The settings of a systemd unit file, as `(section, key, value)`.
fn unit_settings(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut settings = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
        } else if let Some((key, value)) = line.split_once('=') {
            settings.push((section.clone(), key.to_string(), value.to_string()));
        } else {
            panic!("not a setting: {line}");
        }
    }
    settings
}

#[test]
fn the_service_unit_restarts_logs_and_may_write_what_watch_writes() {
    let settings = unit_settings(&read("docs/blomlada-watch.service"));
    let get = |section: &str, key: &str| -> String {
        let values: Vec<&str> = settings
            .iter()
            .filter(|(s, k, _)| s == section && k == key)
            .map(|(_, _, v)| v.as_str())
            .collect();
        assert_eq!(values.len(), 1, "[{section}] {key}= must be set once");
        values[0].to_string()
    };
    // Started at boot, restarted when it dies, but not for content errors (exit status 1),
    // which only an edit mends; a clean stop (SIGTERM, exit status 0) stays stopped.
    assert_eq!(get("Install", "WantedBy"), "multi-user.target");
    assert_eq!(get("Service", "Restart"), "on-failure");
    assert_eq!(get("Service", "RestartPreventExitStatus"), "1");
    assert_eq!(get("Service", "KillSignal"), "SIGTERM");
    assert_eq!(get("Service", "StandardError"), "journal");

    // The command is one the binary takes.
    let exec = get("Service", "ExecStart");
    let args: Vec<&str> = exec.split_whitespace().collect();
    use clap::Parser;
    let cli = blomlada::cli::Cli::try_parse_from(&args)
        .unwrap_or_else(|e| panic!("ExecStart={exec}: {e}"));
    let blomlada::cli::Command::Watch {
        out,
        content,
        cache,
        ..
    } = cli.command
    else {
        panic!("ExecStart={exec} does not run watch");
    };
    // It writes the output folder and, beside it, its lock file and staging folder; it
    // reads the content, which must be mounted before it starts.
    let parent = out.parent().unwrap();
    let lock = blomlada::output::lock::lock_path(&out);
    assert_eq!(lock.parent(), Some(parent));
    let writable = get("Service", "ReadWritePaths");
    assert!(
        writable.split_whitespace().any(|w| parent.starts_with(w)),
        "ReadWritePaths={writable} must hold {} (the lock {} is beside the output)",
        parent.display(),
        lock.display()
    );
    // The home folder is out of its reach: the picture cache is given, where it may write.
    let cache = cache
        .cache_dir
        .unwrap_or_else(|| panic!("ExecStart={exec} gives no --cache-dir"));
    assert!(
        writable.split_whitespace().any(|w| cache.starts_with(w)),
        "ReadWritePaths={writable} must hold the picture cache {}",
        cache.display()
    );
    let mounts = get("Unit", "RequiresMountsFor");
    for needed in [parent, content.content.as_path()] {
        assert!(
            mounts.split_whitespace().any(|m| needed.starts_with(m)),
            "RequiresMountsFor={mounts} must hold {}",
            needed.display()
        );
    }
}
