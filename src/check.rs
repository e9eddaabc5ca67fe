//! `blomlada check`: validates a content folder, or some files against it, without writing.
//!
//! Without files, everything is loaded as `build --drafts` would load it and every problem is
//! reported. With files, each is checked against the folder's site, registry and catalogues:
//! an assessment inside the folder also against the other assessments there (two published
//! assessments of one municipality and year), a file from elsewhere only against the other
//! named files, with a warning where it would clash with one already published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::assessment::{Against, Identity};
use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Assessment;

/// What a named file is to the content folder.
enum Named {
    /// `assessments/**`: checked with the folder's other assessments.
    Assessment(PathBuf),
    /// `site.yaml`, `registry/*`, `catalogs/*`, `geo/*` or `pages/*`: its own problems are
    /// shown in full.
    Other(PathBuf),
    /// Anywhere else: an assessment on its way in, checked on its own.
    Outside(PathBuf),
}

fn canonical(path: &Path) -> Result<PathBuf, String> {
    std::fs::canonicalize(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

impl Named {
    /// What `file` is to the content folder at `dir` (canonical).
    fn of(file: &Path, dir: &Path) -> Result<Named, String> {
        // Where the file is: links in the folders above it followed, a link in its own name
        // not (a link inside the content folder is judged as the loader judges it).
        let is_link = std::fs::symlink_metadata(file).is_ok_and(|m| m.is_symlink());
        let placed = match (file.parent(), file.file_name()) {
            (Some(parent), Some(name)) if is_link => {
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                canonical(parent)?.join(name)
            }
            _ => canonical(file)?,
        };
        Ok(match placed.strip_prefix(dir) {
            Ok(rel) if rel.starts_with("assessments") => Named::Assessment(rel.to_path_buf()),
            Ok(rel)
                if rel == Path::new("site.yaml")
                    || ["registry", "catalogs", "geo", "pages"]
                        .iter()
                        .any(|d| rel.starts_with(d)) =>
            {
                Named::Other(rel.to_path_buf())
            }
            // A file from elsewhere is read where a link to it leads.
            _ if is_link => Named::Outside(canonical(file)?),
            _ => Named::Outside(file.to_path_buf()),
        })
    }
}

/// Checks a theme as a build of the content folder at `dir` loads it (in the language of its
/// site.yaml); its problems join `diagnostics`. Templates are not rendered here: what fails
/// only when a page is rendered is found by `build`.
pub(crate) fn check_theme(dir: &Path, theme: &Path, diagnostics: &mut Diagnostics) {
    let language = content::load_site_config(dir, &mut Diagnostics::new())
        .map(|config| config.language)
        .unwrap_or_default();
    let mut problems = Diagnostics::new();
    crate::render::theme::load(theme, language, &mut problems);
    diagnostics.extend(problems);
}

/// Checks the whole content folder, or only the named files against it. Errors that stop
/// the check itself (a named file that can't be found) are returned as `Err`.
pub(crate) fn check(dir: &Path, files: &[PathBuf]) -> Result<Diagnostics, String> {
    if files.is_empty() {
        return Ok(content::load(dir, &LoadOptions { drafts: true }).diagnostics);
    }
    let dir_canonical = canonical(dir)?;
    let named = expand_folders(files)
        .iter()
        .map(|file| Named::of(file, &dir_canonical))
        .collect::<Result<Vec<_>, _>>()?;
    let is_named_inside = |rel: &Path| {
        named.iter().any(|n| match n {
            Named::Assessment(r) | Named::Other(r) => r == rel,
            Named::Outside(_) => false,
        })
    };

    let mut result = Diagnostics::new();
    let mut base_diagnostics = Diagnostics::new();
    let base = content::load_base(dir, &mut base_diagnostics);
    content::load_pages(dir, &mut base_diagnostics);
    // Problems of the files everything is checked against are always shown; warnings only for
    // the files named.
    for d in base_diagnostics {
        let rel = d.path.strip_prefix(dir).unwrap_or(&d.path);
        let is_page = rel.starts_with("pages");
        if is_named_inside(rel) || (d.is_error() && !is_page) {
            result.push(d);
        }
    }
    let Some(base) = base else {
        result.sort();
        return Ok(result);
    };
    let against = Against {
        registry: &base.registry,
        catalogs: &base.catalogs,
    };

    // The folder's assessments, with the named ones last: a clash between two published
    // assessments is reported at the later one, so it lands on a named file.
    let (files_in_folder, refused) = content::find_assessment_files(dir);
    for (rel, problem) in refused {
        if is_named_inside(&rel) {
            result.push(problem);
        }
    }
    let loaded: Vec<_> = files_in_folder
        .into_par_iter()
        .map(|rel| {
            let (ok, d) = content::load_assessment(dir, &rel, &against);
            (rel, ok, d)
        })
        .collect();
    let mut others = Vec::new();
    let mut named_candidates = Vec::new();
    for (rel, ok, d) in loaded {
        if is_named_inside(&rel) {
            result.extend(d);
            named_candidates.extend(ok);
        } else {
            others.extend(ok);
        }
    }
    let mut in_folder = others;
    in_folder.extend(named_candidates);
    let mut clashes = Diagnostics::new();
    let (published, _) =
        content::select_assessments(dir, in_folder, &base.registry, false, &mut clashes);
    for d in clashes {
        if is_named_inside(d.path.strip_prefix(dir).unwrap_or(&d.path)) {
            result.push(d);
        }
    }

    // Files from elsewhere: on their own, then against each other and the folder.
    let mut outside = Vec::new();
    for n in &named {
        let Named::Outside(file) = n else { continue };
        let parent = file.parent().unwrap_or(Path::new(""));
        let Some(name) = file.file_name() else {
            continue;
        };
        let (ok, d) = content::load_assessment(parent, Path::new(name), &against);
        result.extend(d);
        outside.extend(ok.map(|(mut a, i)| {
            a.source = file.clone();
            (a, i)
        }));
    }
    warn_of_replacements(dir, &outside, &published, &base.registry, &mut result);
    content::select_assessments(Path::new(""), outside, &base.registry, false, &mut result);
    result.sort();
    Ok(result)
}

/// The named paths, with each folder replaced by the YAML files in it (sorted).
fn expand_folders(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut inside: Vec<PathBuf> = walkdir::WalkDir::new(path)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(Result::ok)
            // A link to a file is named too, and judged like the loader judges it; links to
            // folders are not searched.
            .filter(|e| e.file_type().is_file() || e.file_type().is_symlink())
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        inside.sort();
        files.extend(inside);
    }
    files
}

/// A file from elsewhere that is published for a municipality and year the folder already
/// publishes: fine as a replacement of that file, a clash next to it.
fn warn_of_replacements(
    dir: &Path,
    outside: &[(Assessment, Identity)],
    published: &[Assessment],
    registry: &crate::model::Registry,
    result: &mut Diagnostics,
) {
    let by_key: HashMap<(usize, u16), &Assessment> = published
        .iter()
        .filter(|a| a.is_published())
        .map(|a| ((a.municipality, a.year), a))
        .collect();
    for (assessment, identity) in outside {
        if !assessment.is_published() {
            continue;
        }
        let Some(existing) = by_key.get(&(assessment.municipality, assessment.year)) else {
            continue;
        };
        let m = &registry.municipalities[assessment.municipality];
        result.push(Diagnostic {
            path: assessment.source.clone(),
            pos: identity.published_pos.unwrap_or(identity.municipality_pos),
            severity: crate::diagnostics::Severity::Warning,
            message: format!(
                "{} already publishes {} ({}) for {}; expected this file to replace it (save it under that name) or to be a draft",
                dir.join(&existing.source).display(),
                m.name,
                m.code,
                assessment.year
            ),
            source_line: None,
        });
    }
}
