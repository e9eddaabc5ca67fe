//! Keep-last-good: every assessment file's last valid version, on top of the loader that
//! `build` uses.
//!
//! `watch` loads a content folder the way a build does ([`content::load_assessment_files`],
//! [`content::select_assessments`]), keeping each valid file's text. When a file is later
//! broken, its last good version stays published; when the registry or a catalogue changes,
//! that version is checked again against them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::assessment::{Against, Identity};
use crate::content::{self, Base};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, Severity};
use crate::model::{Assessment, Content, Year};
use crate::pipeline::{self, Options};

/// An assessment file as last read without errors.
#[derive(Debug, Clone)]
struct KeptFile {
    assessment: Assessment,
    identity: Identity,
    /// Kept to check the file again against a changed registry or catalogue, even when the
    /// file has since been broken.
    text: String,
}

/// A municipality (index into the registry) and a year: what one assessment is published for.
pub(crate) type Key = (usize, Year);

/// The assessment side of the content: every file's last good version and what is selected.
#[derive(Default)]
pub(crate) struct Assessments {
    kept: BTreeMap<PathBuf, KeptFile>,
    by_key: HashMap<Key, BTreeSet<PathBuf>>,
    /// Files whose current version has errors (the last good version, if any, is used).
    invalid: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Two published assessments of one municipality and year.
    duplicates: BTreeMap<Key, Vec<Diagnostic>>,
}

/// The errors among diagnostics.
pub(crate) fn errors_of(diagnostics: Diagnostics) -> Vec<Diagnostic> {
    diagnostics.into_iter().filter(|d| d.is_error()).collect()
}

/// Loads site.yaml, registry, catalogues, pages and every assessment file. A file with errors
/// is skipped, or, when `previous` has a good version of it, that version is checked again
/// against the new registry and catalogues and used.
pub(crate) fn load(
    options: &Options,
    previous: Option<&Assessments>,
) -> Result<(Content, Assessments), Vec<Diagnostic>> {
    let dir = &options.content;
    let mut diagnostics = Diagnostics::new();
    let base = content::load_base(dir, &mut diagnostics);
    let pages = content::load_pages(dir, &mut diagnostics);
    let Some(Base {
        config,
        registry,
        catalogs,
        boundaries,
    }) = base
    else {
        return Err(errors_of(diagnostics));
    };
    if diagnostics.has_errors() {
        return Err(errors_of(diagnostics));
    }
    let mut content = Content {
        config,
        registry,
        catalogs,
        assessments: Vec::new(),
        pages,
        boundaries,
    };
    pipeline::apply_base_url(&mut content, options).map_err(|message| {
        vec![Diagnostic {
            path: PathBuf::from("--base-url"),
            pos: Pos::START,
            severity: Severity::Error,
            message,
            source_line: None,
        }]
    })?;
    let against = Against {
        registry: &content.registry,
        catalogs: &content.catalogs,
    };
    let files = content::load_assessment_files(dir, &against, true);
    // The files broken now that were good before: their good version, checked again.
    let fallbacks: HashMap<PathBuf, (Option<(Assessment, Identity)>, String)> = files
        .iter()
        .filter(|f| f.assessment.is_none())
        .filter_map(|f| Some((f.rel.clone(), previous?.kept.get(&f.rel)?)))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(rel, old)| {
            let again = content::assessment_from_text(dir, &rel, &old.text, &against).0;
            (rel, (again, old.text.clone()))
        })
        .collect();
    let mut assessments = Assessments::default();
    for file in files {
        match (file.assessment, file.text) {
            (Some((assessment, identity)), Some(text)) => {
                assessments.insert(
                    file.rel,
                    KeptFile {
                        assessment,
                        identity,
                        text,
                    },
                );
            }
            _ => {
                if let Some((Some((assessment, identity)), text)) = fallbacks.get(&file.rel) {
                    assessments.insert(
                        file.rel.clone(),
                        KeptFile {
                            assessment: assessment.clone(),
                            identity: identity.clone(),
                            text: text.clone(),
                        },
                    );
                }
                assessments
                    .invalid
                    .insert(file.rel, errors_of(file.diagnostics));
            }
        }
    }
    let mut keys: Vec<Key> = assessments.by_key.keys().copied().collect();
    keys.sort_unstable();
    let mut selected = Vec::with_capacity(keys.len());
    for key in keys {
        let (chosen, duplicates) = assessments.select(&key, dir, &content, options.drafts);
        selected.extend(chosen);
        assessments.set_duplicates(key, duplicates);
    }
    content::sort_assessments(&mut selected, &content.registry);
    content.assessments = selected;
    Ok((content, assessments))
}

impl Assessments {
    /// How many files have a good version.
    pub(crate) fn len(&self) -> usize {
        self.kept.len()
    }

    /// Every current problem of the assessment files: invalid files and duplicates.
    pub(crate) fn problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.invalid
            .values()
            .flatten()
            .chain(self.duplicates.values().flatten())
    }

    /// The files whose current version is invalid, with their errors.
    pub(crate) fn invalid(&self) -> impl Iterator<Item = (&PathBuf, &Vec<Diagnostic>)> {
        self.invalid.iter()
    }

    /// Keeps a file's new version; returns the key of the version it replaces.
    fn insert(&mut self, rel: PathBuf, file: KeptFile) -> Option<Key> {
        let new_key = key_of(&file);
        let old = self.kept.insert(rel.clone(), file).map(|f| key_of(&f));
        if let Some(old_key) = old
            && old_key != new_key
        {
            self.unindex(old_key, &rel);
        }
        self.by_key.entry(new_key).or_default().insert(rel);
        old
    }

    fn remove(&mut self, rel: &Path) -> Option<Key> {
        let old = self.kept.remove(rel).map(|f| key_of(&f))?;
        self.unindex(old, rel);
        Some(old)
    }

    fn unindex(&mut self, key: Key, rel: &Path) {
        if let Some(set) = self.by_key.get_mut(&key) {
            set.remove(rel);
            if set.is_empty() {
                self.by_key.remove(&key);
            }
        }
    }

    /// What is published for one municipality and year, the way a full build chooses: the
    /// first published file by path (a second one is an error naming both).
    fn select(
        &self,
        key: &Key,
        dir: &Path,
        content: &Content,
        drafts: bool,
    ) -> (Vec<Assessment>, Vec<Diagnostic>) {
        let candidates: Vec<(Assessment, Identity)> = self
            .by_key
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|p| self.kept.get(p))
            .map(|f| (f.assessment.clone(), f.identity.clone()))
            .collect();
        let mut diagnostics = Diagnostics::new();
        let (chosen, _) = content::select_assessments(
            dir,
            candidates,
            &content.registry,
            drafts,
            &mut diagnostics,
        );
        (chosen, diagnostics.into_vec())
    }

    fn set_duplicates(&mut self, key: Key, problems: Vec<Diagnostic>) {
        for d in &problems {
            tracing::error!("{d}");
        }
        if problems.is_empty() {
            self.duplicates.remove(&key);
        } else {
            self.duplicates.insert(key, problems);
        }
    }

    /// Reads assessment files (or the files under folders) again. Returns how many files
    /// were looked at, and the (municipality, year) of every assessment that may have
    /// changed, before and after.
    pub(crate) fn reread(
        &mut self,
        dir: &Path,
        paths: &BTreeSet<PathBuf>,
        against: &Against<'_>,
    ) -> (usize, BTreeSet<Key>) {
        let mut to_read = BTreeSet::new();
        let mut gone = BTreeSet::new();
        // Links that lead outside the content folder or nowhere: invalid, like a broken file.
        let mut refused: BTreeMap<PathBuf, Diagnostic> = BTreeMap::new();
        for rel in paths {
            let path = dir.join(rel);
            if let Some((link, reason)) = content::files::link_problem(dir, rel) {
                // As the loader: a link that could be neither an assessment nor a folder of
                // them is left alone.
                if is_assessment_file(&link) || link.extension().is_none() {
                    let problem = Diagnostic {
                        path: dir.join(&link),
                        pos: Pos::START,
                        severity: Severity::Error,
                        message: reason.to_string(),
                        source_line: None,
                    };
                    refused.insert(link, problem);
                }
                continue;
            }
            // Links within the content folder are followed.
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => {
                    let (found, refused_under) = assessment_files_under(dir, rel);
                    gone.extend(
                        self.known_paths_under(rel)
                            .filter(|p| !found.contains(p) && !refused_under.contains_key(p))
                            .collect::<Vec<_>>(),
                    );
                    to_read.extend(found);
                    refused.extend(refused_under);
                }
                Ok(m) if m.is_file() && is_assessment_file(rel) => {
                    to_read.insert(rel.clone());
                }
                _ => {
                    gone.extend(self.known_paths_under(rel).collect::<Vec<_>>());
                }
            }
        }
        let results: Vec<_> = to_read
            .par_iter()
            .map(|rel| {
                (
                    rel.clone(),
                    content::load_assessment_keeping_text(dir, rel, against),
                )
            })
            .collect();
        let mut keys = BTreeSet::new();
        let changed = results.len() + gone.len() + refused.len();
        for (rel, problem) in refused {
            self.report_invalid(dir, &rel, std::slice::from_ref(&problem));
            self.invalid.insert(rel, vec![problem]);
        }
        for (rel, (result, text, diagnostics)) in results {
            match (result, text) {
                (Some((assessment, identity)), Some(text)) => {
                    self.invalid.remove(&rel);
                    let new = KeptFile {
                        assessment,
                        identity,
                        text,
                    };
                    keys.insert(key_of(&new));
                    if let Some(old) = self.insert(rel, new) {
                        keys.insert(old);
                    }
                }
                _ if !dir.join(&rel).is_file() => {
                    // Removed while it was being read.
                    gone.insert(rel);
                }
                _ => {
                    let errors = errors_of(diagnostics);
                    self.report_invalid(dir, &rel, &errors);
                    self.invalid.insert(rel, errors);
                }
            }
        }
        for rel in gone {
            self.invalid.remove(&rel);
            if let Some(old) = self.remove(&rel) {
                tracing::info!("{}: removed", dir.join(&rel).display());
                keys.insert(old);
            }
        }
        (changed, keys)
    }

    /// Logs the errors of an assessment file that is skipped.
    fn report_invalid(&self, dir: &Path, rel: &Path, errors: &[Diagnostic]) {
        let kept = if self.kept.contains_key(rel) {
            "the last good version stays published"
        } else {
            "nothing is published from it"
        };
        tracing::error!(
            "{}: invalid, skipped ({} error(s)); {kept}",
            dir.join(rel).display(),
            errors.len()
        );
        for d in errors {
            tracing::error!("{d}");
        }
    }

    /// The kept or invalid files at `rel` or under it.
    fn known_paths_under<'a>(&'a self, rel: &'a Path) -> impl Iterator<Item = PathBuf> + 'a {
        self.kept
            .keys()
            .chain(self.invalid.keys())
            .filter(move |p| p.starts_with(rel))
            .cloned()
    }

    /// Chooses again what is published for these municipalities and years.
    pub(crate) fn reselect(
        &mut self,
        keys: &BTreeSet<Key>,
        dir: &Path,
        content: &mut Content,
        drafts: bool,
    ) {
        content
            .assessments
            .retain(|a| !keys.contains(&(a.municipality, a.year)));
        for key in keys {
            let (chosen, duplicates) = self.select(key, dir, content, drafts);
            content.assessments.extend(chosen);
            self.set_duplicates(*key, duplicates);
        }
        content::sort_assessments(&mut content.assessments, &content.registry);
    }
}

fn key_of(file: &KeptFile) -> Key {
    (file.assessment.municipality, file.assessment.year)
}

/// Whether a path (relative to the content folder) names a file the loader reads as an
/// assessment: a .yaml or .yml file under `assessments/`, not hidden.
fn is_assessment_file(rel: &Path) -> bool {
    let hidden = rel
        .file_name()
        .is_none_or(|n| n.to_string_lossy().starts_with('.'));
    rel.starts_with("assessments")
        && !hidden
        && rel
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x == "yaml" || x == "yml")
}

/// The assessment files under a folder (relative to the content folder), as the loader
/// finds them, and the links there that are not followed.
fn assessment_files_under(
    dir: &Path,
    rel: &Path,
) -> (BTreeSet<PathBuf>, BTreeMap<PathBuf, Diagnostic>) {
    let (files, refused) = content::find_assessment_files(dir);
    (
        files.into_iter().filter(|p| p.starts_with(rel)).collect(),
        refused
            .into_iter()
            .filter(|(p, _)| p.starts_with(rel))
            .collect(),
    )
}
