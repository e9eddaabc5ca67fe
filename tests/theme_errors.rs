//! A theme's mistakes are shown as problems in its template files, at the line and column of
//! the mistake, as content problems are: a syntax error when the theme is loaded (by `build`
//! and by `check --theme`), an expression that fails when a page is rendered (by `build`).

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `build` of the small fixture site with `theme`.
fn build_with(theme: &Path) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let output = blomlada()
        .arg("build")
        .arg("--content")
        .arg(repo().join("tests/fixtures/sites/shapes"))
        .arg("--theme")
        .arg(theme)
        .arg("--out")
        .arg(dir.path().join("site"))
        .arg("--no-png")
        .output()
        .expect("run blomlada");
    (output, dir)
}

/// The fixture theme's templates/x.html has `{{ t.title }` on line 2: the block is not closed
/// where the lone `}` stands, at column 14.
const SYNTAX_ERROR: &str = "templates/x.html:2:14: error: template error: ";

#[test]
fn a_template_syntax_error_is_shown_at_its_line_and_column_by_build() {
    let theme = repo().join("tests/fixtures/themes/broken-template");
    let (output, dir) = build_with(&theme);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let shown = format!("{}/{SYNTAX_ERROR}", theme.display());
    assert!(stderr.contains(&shown), "expected {shown:?} in:\n{stderr}");
    // The line is quoted with a caret under the column.
    assert!(
        stderr.contains("2 |   {{ t.title }\n  |              ^"),
        "{stderr}"
    );
    assert!(!dir.path().join("site").exists(), "nothing is written");
}

#[test]
fn a_template_syntax_error_is_shown_at_its_line_and_column_by_check() {
    let theme = repo().join("tests/fixtures/themes/broken-template");
    let output = blomlada()
        .arg("check")
        .arg("--content")
        .arg(repo().join("tests/fixtures/sites/shapes"))
        .arg("--theme")
        .arg(&theme)
        .output()
        .expect("run blomlada");
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let shown = format!("{}/{SYNTAX_ERROR}", theme.display());
    assert!(stderr.contains(&shown), "expected {shown:?} in:\n{stderr}");

    // Without --theme, check reads only the content.
    let output = blomlada()
        .arg("check")
        .arg("--content")
        .arg(repo().join("tests/fixtures/sites/shapes"))
        .output()
        .expect("run blomlada");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("templates/"));
}

#[test]
fn the_default_theme_passes_check() {
    let output = blomlada()
        .arg("check")
        .arg("--content")
        .arg(repo().join("tests/fixtures/sites/shapes"))
        .arg("--theme")
        .arg(repo().join("themes/default"))
        .output()
        .expect("run blomlada");
    let stderr = stderr(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("templates/"), "{stderr}");
}

#[test]
fn a_template_render_error_is_shown_at_the_failing_expression() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("theme");
    copy_dir(&repo().join("themes/default"), &theme);
    let page = theme.join("templates/404.html");
    let text = std::fs::read_to_string(&page).unwrap();
    let (line, _) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("{{ t.not_found }}"))
        .expect("the 404 heading");
    let broken = text.replacen("{{ t.not_found }}", "{{ t.not_found ~ nowhere.name }}", 1);
    std::fs::write(&page, broken).unwrap();

    let (output, out) = build_with(&theme);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // `<h1>{{ t.not_found ~ ` is 21 characters: `nowhere` starts at column 22.
    let shown = format!(
        "{}/templates/404.html:{}:22: error: ",
        theme.display(),
        line + 1
    );
    assert!(stderr.contains(&shown), "expected {shown:?} in:\n{stderr}");
    assert!(stderr.contains("1 template error: "), "{stderr}");
    assert!(!out.path().join("site").exists(), "nothing is written");
}
