//! `blomlada check` against a corpus of bad (and a few good) content folders.
//!
//! Every folder under `tests/fixtures/check/` except `base` is one case: its files are copied
//! over a copy of `base` (a small, valid content folder), the files named in its `remove.txt`
//! are deleted, and `blomlada check` runs on the result. The `PATH:LINE:COL: error|warning:`
//! lines on stderr, with paths relative to the content folder, must equal the case's
//! `expected.txt` (lines starting with `#` there are comments), and the exit status must be 1
//! when an error is expected and 0 otherwise.
//!
//! `BLESS=1 cargo test --test check_corpus` writes the actual lines into `expected.txt`
//! (keeping its comments), for reviewing with `git diff`.

use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check");
const BINARY: &str = env!("CARGO_BIN_EXE_blomlada");

/// Files of a case folder that describe the case rather than being content.
const CASE_FILES: &[&str] = &["expected.txt", "remove.txt"];

fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).unwrap();
        if rel.components().count() == 1 && skip.iter().any(|s| rel == Path::new(s)) {
            continue;
        }
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A content folder: the base with the case laid over it.
fn prepare(case: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let fixtures = Path::new(FIXTURES);
    copy_tree(&fixtures.join("base"), temp.path(), &[]);
    let case_dir = fixtures.join(case);
    copy_tree(&case_dir, temp.path(), CASE_FILES);
    if let Ok(list) = std::fs::read_to_string(case_dir.join("remove.txt")) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            std::fs::remove_file(temp.path().join(line.trim())).unwrap();
        }
    }
    generated_files(case, temp.path());
    temp
}

/// Files too big to keep in the repository are made here.
fn generated_files(case: &str, dir: &Path) {
    if case == "file-over-1-mib" {
        let mut text = String::from("municipality: \"0180\"\nyear: 2017\ncatalog: v3\nanswers:\n");
        let filler = "# fyllnad ".repeat(10);
        while text.len() <= 1024 * 1024 + 4096 {
            text.push_str(&filler);
            text.push('\n');
        }
        std::fs::write(dir.join("assessments/2017/0180-stockholm.yaml"), text).unwrap();
    }
}

/// Runs `blomlada` with `args` and returns its exit status and stderr.
fn run(args: &[&str], cwd: &Path) -> (i32, String) {
    let output = Command::new(BINARY)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The diagnostic lines of stderr, with `prefix` taken off every path.
fn diagnostic_lines(stderr: &str, prefix: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.replace(prefix, ""))
        .collect()
}

fn expected_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir() && e.file_name() != "base")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn corpus_has_enough_cases() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    for case in &cases {
        let expected = Path::new(FIXTURES).join(case).join("expected.txt");
        assert!(expected.is_file(), "{case} has no expected.txt");
    }
}

#[test]
fn base_is_valid_and_quiet() {
    let temp = prepare("base");
    let (code, stderr) = run(&["check", "--content", path_str(temp.path())], temp.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        diagnostic_lines(&stderr, &prefix(temp.path())).is_empty(),
        "{stderr}"
    );
    assert_eq!(stderr, "ok: no errors and no warnings\n");
}

#[test]
fn every_case_gives_exactly_its_expected_lines() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for case in cases() {
        let temp = prepare(&case);
        let (code, stderr) = run(&["check", "--content", path_str(temp.path())], temp.path());
        let actual = diagnostic_lines(&stderr, &prefix(temp.path()));
        let expected_path = Path::new(FIXTURES).join(&case).join("expected.txt");
        let expected_text = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if bless {
            let comments: String = expected_text
                .lines()
                .filter(|l| l.starts_with('#'))
                .map(|l| format!("{l}\n"))
                .collect();
            let body: String = actual.iter().map(|l| format!("{l}\n")).collect();
            std::fs::write(&expected_path, comments + &body).unwrap();
            continue;
        }
        let expected = expected_lines(&expected_text);
        let wants_error = expected.iter().any(|l| l.contains(": error: "));
        let expected_code = if wants_error { 1 } else { 0 };
        if actual != expected || code != expected_code {
            failures.push(format!(
                "case {case}: exit {code} (expected {expected_code})\n--- expected\n{}\n--- actual\n{}\n--- stderr\n{stderr}",
                expected.join("\n"),
                actual.join("\n")
            ));
        }
        // A panic would show as its own message; none may happen on any input.
        assert!(
            !stderr.contains("panicked"),
            "case {case} panicked:\n{stderr}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn prefix(dir: &Path) -> String {
    format!("{}/", dir.display())
}

/// Every message of the corpus is counted under a kind without its details: no quoted
/// value, number or name, so that like is counted with like.
#[test]
fn every_message_of_the_corpus_has_a_kind_without_details() {
    let mut kinds = std::collections::BTreeSet::new();
    for case in cases() {
        let text =
            std::fs::read_to_string(Path::new(FIXTURES).join(&case).join("expected.txt")).unwrap();
        for line in expected_lines(&text) {
            let message = line
                .split_once(": error: ")
                .or_else(|| line.split_once(": warning: "))
                .map(|(_, m)| m)
                .unwrap_or(&line);
            let kind = blomlada::diagnostics::Diagnostic {
                path: PathBuf::from("x"),
                pos: blomlada::diagnostics::Pos::START,
                severity: blomlada::diagnostics::Severity::Error,
                message: message.to_string(),
                source_line: None,
            }
            .kind();
            assert!(
                kind != "other"
                    && !kind.contains(|c: char| c == '"' || c.is_ascii_digit())
                    && kind.split(' ').count() <= 9,
                "case {case}: {message} is of the kind {kind:?}"
            );
            kinds.insert(kind);
        }
    }
    assert!(kinds.contains("unknown answer for indicator"), "{kinds:?}");
    assert!(kinds.contains("indicators are unanswered"), "{kinds:?}");
}

/// The examples in docs/content-format.md are real: every diagnostic line there is the
/// expected output of some case.
#[test]
fn documented_examples_come_from_the_corpus() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/content-format.md"
    ))
    .unwrap();
    let mut corpus = String::new();
    for case in cases() {
        corpus.push_str(
            &std::fs::read_to_string(Path::new(FIXTURES).join(case).join("expected.txt")).unwrap(),
        );
    }
    let mut documented = 0;
    for line in doc.lines() {
        let Some(rest) = line.strip_prefix("content/") else {
            continue;
        };
        if !(rest.contains(": error: ") || rest.contains(": warning: ")) {
            continue;
        }
        let rest = rest.replace(" content/", " ");
        assert!(
            corpus.lines().any(|l| l == rest),
            "documented but not in the corpus: {line}"
        );
        documented += 1;
    }
    assert!(documented >= 74, "only {documented} examples found");
}

/// The whole-folder checks of the contract beyond the corpus.
mod folders {
    use super::*;

    /// Two cases laid over the base: errors in one file, a warning in another.
    fn errors_and_a_warning() -> tempfile::TempDir {
        let temp = prepare("several-errors-one-file");
        copy_tree(
            &Path::new(FIXTURES).join("unanswered-warning"),
            temp.path(),
            CASE_FILES,
        );
        // The warning's file sorts before the errors' file, as the bundled content's did.
        std::fs::rename(
            temp.path().join("assessments/2017/0180-stockholm.yaml"),
            temp.path().join("assessments/2017/0001-first.yaml"),
        )
        .unwrap();
        copy_tree(
            &Path::new(FIXTURES).join("several-errors-one-file"),
            temp.path(),
            CASE_FILES,
        );
        temp
    }

    #[test]
    fn errors_come_first_and_a_summary_counts_each_kind() {
        let temp = errors_and_a_warning();
        let (code, stderr) = run(&["check", "--content", path_str(temp.path())], temp.path());
        assert_eq!(code, 1, "{stderr}");
        let lines = diagnostic_lines(&stderr, &prefix(temp.path()));
        let first_warning = lines
            .iter()
            .position(|l| l.contains(": warning: "))
            .unwrap();
        let last_error = lines.iter().rposition(|l| l.contains(": error: ")).unwrap();
        assert!(last_error < first_warning, "{stderr}");
        assert_eq!(lines.len(), 10, "{stderr}");
        let summary = stderr.split_once("problems by kind:\n").unwrap().1;
        let summary: Vec<&str> = summary.lines().map(str::trim).collect();
        assert_eq!(
            summary,
            [
                "1  error    comment on unknown indicator",
                "1  error    found a list for indicator",
                "1  error    found the date",
                "1  error    found the year",
                "1  error    indicator is answered twice",
                "1  error    unknown answer for indicator",
                "1  error    unknown indicator in catalogue",
                "1  error    unknown key in an assessment",
                "1  error    unknown municipality",
                "1  warning  indicators are unanswered",
                "9 errors and 1 warning in 2 files",
            ],
            "{stderr}"
        );
    }

    #[test]
    fn errors_only_leaves_out_the_warnings_but_counts_them() {
        let temp = errors_and_a_warning();
        for switch in ["--errors-only", "--quiet", "-q"] {
            let (code, stderr) = run(
                &["check", switch, "--content", path_str(temp.path())],
                temp.path(),
            );
            assert_eq!(code, 1, "{stderr}");
            let lines = diagnostic_lines(&stderr, &prefix(temp.path()));
            assert_eq!(lines.len(), 9, "{switch}: {stderr}");
            assert!(lines.iter().all(|l| l.contains(": error: ")), "{stderr}");
            assert!(
                stderr.ends_with(
                    "9 errors and 1 warning in 2 files (warnings not shown: --errors-only)\n"
                ),
                "{stderr}"
            );
        }
    }

    #[test]
    fn bundled_content_is_valid() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (code, stderr) = run(&["check", "--content", "content"], root);
        assert_eq!(code, 0, "{stderr}");
        assert!(!stderr.contains(": error: "), "{stderr}");
    }

    #[test]
    fn generated_content_is_valid() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("generated");
        let (code, stderr) = run(
            &[
                "generate",
                "--out",
                path_str(&out),
                "--municipalities",
                "300",
                "--years",
                "2016,2017",
            ],
            temp.path(),
        );
        assert_eq!(code, 0, "{stderr}");
        let (code, stderr) = run(&["check", "--content", path_str(&out)], temp.path());
        assert_eq!(code, 0, "{stderr}");
        assert!(!stderr.contains(": error: "), "{stderr}");
    }

    #[test]
    fn a_new_skeleton_checks_with_only_the_unanswered_warning() {
        let temp = prepare("base");
        let output = Command::new(BINARY)
            .args(["new", "--municipality", "180", "--year", "2018"])
            .args(["--content", path_str(temp.path())])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let skeleton = String::from_utf8(output.stdout).unwrap();
        let file = temp.path().join("assessments/2018/0180-stockholm.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, skeleton).unwrap();
        let (code, stderr) = run(&["check", "--content", path_str(temp.path())], temp.path());
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            diagnostic_lines(&stderr, &prefix(temp.path())),
            vec![
                "assessments/2018/0180-stockholm.yaml:14:3: warning: 9 of 9 indicators are unanswered (obesvarad): aldre-1, aldre-2, aldre-3, barn-1, barn-2 and 4 more; they are shown grey"
            ]
        );
    }
}

/// `check FILE ...`: named files, inside and outside the content folder.
mod named_files {
    use super::*;

    const KUMLA_2017_AGAIN: &str = "municipality: \"1881\"\nyear: 2017\ncatalog: v3\npublished: 2017-12-01\nanswers:\n  aldre-1: helt\n  aldre-2: helt\n  aldre-3: helt\n  barn-1: helt\n  barn-2: helt\n  ledning-1: helt\n  ledning-2: helt\n  teknik-1: helt\n  teknik-2: helt\n";

    #[test]
    fn a_file_outside_the_content_folder_is_checked_against_it() {
        let temp = prepare("base");
        let elsewhere = tempfile::tempdir().unwrap();
        let file = elsewhere.path().join("stockholm.yaml");
        std::fs::write(
            &file,
            "municipality: 0180\nyear: 2018\ncatalog: v3\nanswers:\n  aldre-1: helt\n  barn-3: delvis\n",
        )
        .unwrap();
        let (code, stderr) = run(
            &[
                "check",
                "--content",
                path_str(temp.path()),
                "stockholm.yaml",
            ],
            elsewhere.path(),
        );
        assert_eq!(code, 1, "{stderr}");
        assert_eq!(
            diagnostic_lines(&stderr, "stockholm.yaml"),
            vec![
                r#":6:3: error: unknown indicator "barn-3" in catalogue "v3"; expected an indicator id of that catalogue"#
            ]
        );
    }

    #[test]
    fn a_valid_file_outside_passes_and_only_it_is_reported() {
        let temp = prepare("unknown-answers");
        let elsewhere = tempfile::tempdir().unwrap();
        let file = elsewhere.path().join("malmo.yaml");
        std::fs::write(
            &file,
            KUMLA_2017_AGAIN
                .replace("\"1881\"", "\"1280\"")
                .replace("published: 2017-12-01\n", ""),
        )
        .unwrap();
        // The content folder has a bad assessment, but only the named file is checked.
        let (code, stderr) = run(
            &["check", "--content", path_str(temp.path()), path_str(&file)],
            elsewhere.path(),
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(!stderr.contains("warning:"), "{stderr}");
    }

    #[test]
    fn a_resubmission_from_outside_gets_a_warning_not_an_error() {
        let temp = prepare("base");
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("kumla.yaml"), KUMLA_2017_AGAIN).unwrap();
        let (code, stderr) = run(
            &["check", "--content", path_str(temp.path()), "kumla.yaml"],
            elsewhere.path(),
        );
        assert_eq!(code, 0, "{stderr}");
        let lines: Vec<String> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix("kumla.yaml"))
            .map(|l| l.replace(&prefix(temp.path()), ""))
            .collect();
        assert_eq!(
            lines,
            vec![
                ":4:1: warning: assessments/2017/1881-kumla.yaml already publishes Kumla (1881) for 2017; expected this file to replace it (save it under that name) or to be a draft"
            ]
        );
    }

    #[test]
    fn a_named_file_in_the_folder_is_checked_against_the_others() {
        let temp = prepare("base");
        let again = temp.path().join("assessments/2017/kumla-igen.yaml");
        std::fs::write(&again, KUMLA_2017_AGAIN).unwrap();
        // Named, the existing file gets the error: it is the one being asked about.
        let (code, stderr) = run(
            &[
                "check",
                "--content",
                path_str(temp.path()),
                path_str(&temp.path().join("assessments/2017/1881-kumla.yaml")),
            ],
            temp.path(),
        );
        assert_eq!(code, 1, "{stderr}");
        assert_eq!(
            diagnostic_lines(&stderr, &prefix(temp.path())),
            vec![
                "assessments/2017/1881-kumla.yaml:4:1: error: found a second published assessment of Kumla (1881) for 2017: assessments/2017/kumla-igen.yaml is already published; expected one published assessment per municipality and year (remove `published` from one of them)"
            ]
        );
    }

    #[test]
    fn base_errors_are_shown_whatever_file_is_named() {
        let temp = prepare("registry-unknown-county");
        let (code, stderr) = run(
            &[
                "check",
                "--content",
                path_str(temp.path()),
                path_str(&temp.path().join("assessments/2017/1881-kumla.yaml")),
            ],
            temp.path(),
        );
        assert_eq!(code, 1, "{stderr}");
        let lines = diagnostic_lines(&stderr, &prefix(temp.path()));
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(
            lines[0].starts_with("registry/municipalities.csv:"),
            "{stderr}"
        );
    }

    #[test]
    fn a_named_folder_checks_the_assessments_in_it() {
        let temp = prepare("unknown-answers");
        let (code, stderr) = run(
            &[
                "check",
                "--content",
                path_str(temp.path()),
                path_str(&temp.path().join("assessments/2017")),
            ],
            temp.path(),
        );
        assert_eq!(code, 1, "{stderr}");
        let lines = diagnostic_lines(&stderr, &prefix(temp.path()));
        let expected =
            std::fs::read_to_string(Path::new(FIXTURES).join("unknown-answers/expected.txt"))
                .unwrap();
        assert_eq!(lines, expected_lines(&expected));
    }

    #[test]
    fn a_missing_file_is_a_usage_error() {
        let temp = prepare("base");
        let (code, stderr) = run(
            &["check", "--content", path_str(temp.path()), "nowhere.yaml"],
            temp.path(),
        );
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("cannot read nowhere.yaml"), "{stderr}");
    }

    #[test]
    fn a_missing_content_folder_is_a_usage_error() {
        let temp = tempfile::tempdir().unwrap();
        let (code, stderr) = run(&["check", "--content", "nothing-here"], temp.path());
        assert_eq!(code, 2, "{stderr}");
    }
}
