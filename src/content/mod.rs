//! Phase 1: load a content folder and validate it into the typed [`Content`] model.
//!
//! Every problem of every file is collected as a [`Diagnostic`](crate::diagnostics::Diagnostic);
//! nothing that comes from content can panic here.
//!
//! [`load`] reads a whole folder. The pieces it is made of serve what reloads part of a
//! folder, such as `watch`:
//!
//! - [`load_base`]: `site.yaml`, the registry and the catalogues, which assessments are
//!   checked against (reload all of it when one of those files changes);
//! - [`find_assessment_files`]: the assessment files of a folder;
//! - [`load_assessment`]: one assessment file, checked on its own;
//! - [`select_assessments`]: what is published, one per municipality and year, with an error
//!   for a second published assessment.
//!
//! Files are found and opened by [`files`]: symbolic links are followed only within the
//! content folder, and one that leads outside it is an error naming the link.
//!
//! The `*_from_text` functions do the same for text already read (tests and fuzzing use
//! them). Files are at most [`yaml::MAX_FILE_BYTES`]; YAML is parsed within the limits of
//! [`yaml`].

pub mod assessment;
pub(crate) mod boundaries;
pub(crate) mod catalog;
pub(crate) mod files;
pub mod pages;
pub(crate) mod read;
pub mod registry;
pub(crate) mod site_config;
pub mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, SourceText};
use crate::geo::Boundaries;
use crate::model::{Assessment, Catalog, Content, Page, Registry, SiteConfig};

use self::assessment::{Against, Identity};
use self::read::Reader;

/// How to load a content folder.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include unpublished assessments (for previews).
    pub drafts: bool,
}

/// The result of loading: the content (when the site, registry and catalogues could be read),
/// and every diagnostic found.
pub struct Loaded {
    /// The content, when it could be read.
    pub content: Option<Content>,
    /// Every problem found, errors and warnings.
    pub diagnostics: Diagnostics,
    /// Assessment files that were skipped because they are invalid (relative paths).
    pub invalid_assessments: Vec<PathBuf>,
}

/// Reads a file as text, reporting size, encoding and I/O problems at its first line.
fn read_text(dir: &Path, rel: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    read_text_within(dir, rel, yaml::MAX_FILE_BYTES, diagnostics)
}

fn read_text_within(
    dir: &Path,
    rel: &Path,
    limit: usize,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let path = dir.join(rel);
    let bytes = match files::read_within(dir, rel, limit) {
        Ok(b) => b,
        Err(files::ReadError::Link(link, reason)) => {
            diagnostics.file_error(&dir.join(link), Pos::START, reason);
            return None;
        }
        Err(files::ReadError::Io(e)) => {
            diagnostics.file_error(&path, Pos::START, format!("cannot read the file: {e}"));
            return None;
        }
    };
    if bytes.len() > limit {
        // Only the first MiB was read; the file system knows the whole size.
        let size = std::fs::metadata(&path).map_or(bytes.len() as u64, |m| m.len());
        let e = yaml::too_big_for(size, limit);
        diagnostics.file_error(&path, e.pos, e.message);
        return None;
    }
    match yaml::decode_owned_within(bytes, limit) {
        Ok(text) => Some(text),
        Err(e) => {
            diagnostics.file_error(&path, e.pos, e.message);
            None
        }
    }
}

/// Reports a file of fixed name that is, or is reached through, a symbolic link leading
/// outside the content folder or nowhere. Returns whether it did.
fn report_link(dir: &Path, rel: &Path, diagnostics: &mut Diagnostics) -> bool {
    match files::link_problem(dir, rel) {
        Some((link, reason)) => {
            diagnostics.file_error(&dir.join(link), Pos::START, reason);
            true
        }
        None => false,
    }
}

/// Reports what a search of the content folder did not read, at each path (relative to
/// `searched`).
fn report_refused(searched: &Path, refused: &[(PathBuf, String)], diagnostics: &mut Diagnostics) {
    for (rel, reason) in refused {
        diagnostics.file_error(&searched.join(rel), Pos::START, reason.as_str());
    }
}

/// The text of a content file from its bytes: at most 1 MiB, UTF-8, without a byte-order
/// mark. Problems are reported at `path`.
pub fn text_from_bytes(
    path: &Path,
    bytes: Vec<u8>,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    match yaml::decode_owned(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            diagnostics.file_error(path, e.pos, e.message);
            None
        }
    }
}

/// Parses a YAML file into a node tree, reporting syntax problems.
fn parse_yaml(path: &Path, text: &str, diagnostics: &mut Diagnostics) -> Option<yaml::Node> {
    match yaml::parse(text) {
        Ok(node) => Some(node),
        Err(e) => {
            diagnostics.error(&SourceText { path, text }, e.pos, e.message);
            None
        }
    }
}

/// The fixed part of a content folder that assessments are checked against: build an
/// [`Against`] from its registry and catalogues.
pub struct Base {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// The counties and municipalities.
    pub registry: Registry,
    /// The catalogues, sorted by id.
    pub catalogs: Vec<Catalog>,
    /// The boundaries for maps, when the folder has them.
    pub boundaries: Option<Arc<Boundaries>>,
}

/// Loads `site.yaml` of a content folder.
pub(crate) fn load_site_config(dir: &Path, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
    let rel = Path::new("site.yaml");
    let path = dir.join(rel);
    if report_link(dir, rel, diagnostics) {
        return None;
    }
    if !path.is_file() {
        diagnostics.file_error(
            &path,
            Pos::START,
            "found no site.yaml; expected a site.yaml with at least `title: ...` in the content folder",
        );
        return None;
    }
    let text = read_text(dir, rel, diagnostics)?;
    site_config_from_text(&path, &text, diagnostics)
}

/// `site.yaml` from its text; diagnostics name `path`.
pub fn site_config_from_text(
    path: &Path,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<SiteConfig> {
    let node = parse_yaml(path, text, diagnostics)?;
    let mut reader = Reader {
        source: SourceText { path, text },
        diagnostics,
    };
    site_config::read(&mut reader, &node)
}

/// Loads `registry/counties.csv` and `registry/municipalities.csv`. `None` when either has
/// an error, as every assessment is checked against them.
pub(crate) fn load_registry(dir: &Path, diagnostics: &mut Diagnostics) -> Option<Registry> {
    let counties_rel = Path::new("registry/counties.csv");
    let municipalities_rel = Path::new("registry/municipalities.csv");
    let mut missing = false;
    for rel in [counties_rel, municipalities_rel] {
        if report_link(dir, rel, diagnostics) {
            missing = true;
            continue;
        }
        if !dir.join(rel).is_file() {
            let header = if rel == counties_rel {
                registry::COUNTY_COLUMNS
            } else {
                registry::MUNICIPALITY_COLUMNS
            };
            diagnostics.file_error(
                &dir.join(rel),
                Pos::START,
                format!(
                    "found no {}; expected the registry file with the header \"{}\" and a row per {}",
                    rel.display(),
                    header.join(","),
                    if rel == counties_rel { "county" } else { "municipality" }
                ),
            );
            missing = true;
        }
    }
    if missing {
        return None;
    }
    let counties_text = read_text_within(dir, counties_rel, yaml::MAX_REGISTRY_BYTES, diagnostics)?;
    let municipalities_text = read_text_within(
        dir,
        municipalities_rel,
        yaml::MAX_REGISTRY_BYTES,
        diagnostics,
    )?;
    registry_from_texts(dir, &counties_text, &municipalities_text, diagnostics)
}

/// The registry from the texts of its two files; diagnostics name them inside `dir`.
pub fn registry_from_texts(
    dir: &Path,
    counties_text: &str,
    municipalities_text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Registry> {
    let errors_before = diagnostics.error_count();
    let mut counties = registry::read_counties(
        &dir.join("registry/counties.csv"),
        counties_text,
        diagnostics,
    );
    counties.sort_by(|a, b| a.code.cmp(&b.code));
    let counties_complete = diagnostics.error_count() == errors_before;
    let municipalities = registry::read_municipalities(
        &dir.join("registry/municipalities.csv"),
        municipalities_text,
        &counties,
        counties_complete,
        diagnostics,
    );
    (diagnostics.error_count() == errors_before).then(|| registry::build(counties, municipalities))
}

/// The YAML files in `dir`, a folder of the content folder `root`.
fn yaml_files(root: &Path, dir: &Path, recursive: bool) -> files::Found {
    files::find(root, dir, recursive, &["yaml", "yml"])
}

/// Loads every `catalogs/*.yaml`, sorted by id, with `replaces` resolved across them. `None`
/// when any has an error.
pub fn load_catalogs(dir: &Path, diagnostics: &mut Diagnostics) -> Option<Vec<Catalog>> {
    let catalogs_dir = dir.join("catalogs");
    let found = yaml_files(dir, &catalogs_dir, false);
    report_refused(&catalogs_dir, &found.refused, diagnostics);
    let files = found.files;
    if files.is_empty() && found.refused.is_empty() {
        diagnostics.file_error(
            &catalogs_dir,
            Pos::START,
            "found no catalogue; expected at least one catalogs/<id>.yaml",
        );
        return None;
    }
    let errors_before = diagnostics.error_count();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|file| {
            let rel = Path::new("catalogs").join(&file);
            read_text(dir, &rel, diagnostics).map(|text| (rel, text))
        })
        .collect();
    let catalogs = catalogs_from_texts(dir, &texts, diagnostics);
    catalogs.filter(|_| diagnostics.error_count() == errors_before)
}

/// Catalogues from their texts, given with their paths relative to `dir`.
pub fn catalogs_from_texts(
    dir: &Path,
    files: &[(PathBuf, String)],
    diagnostics: &mut Diagnostics,
) -> Option<Vec<Catalog>> {
    let errors_before = diagnostics.error_count();
    let mut loaded = Vec::new();
    let mut texts = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let Some(node) = parse_yaml(&path, text, diagnostics) else {
            continue;
        };
        let mut reader = Reader {
            source: SourceText { path: &path, text },
            diagnostics,
        };
        if let Some(catalog) = catalog::read(&mut reader, &node, rel) {
            loaded.push(catalog);
            texts.push((path, text.clone()));
        }
    }
    // Same id in two files: the second is reported.
    let mut first: HashMap<String, PathBuf> = HashMap::new();
    for (entry, (path, text)) in loaded.iter().zip(&texts) {
        if let Some(other) = first.get(&entry.catalog.id) {
            diagnostics.error(
                &SourceText { path, text },
                entry.id_pos,
                format!("duplicate catalogue id \"{}\": {} already has it; expected each catalogue id once", entry.catalog.id, other.display()),
            );
        } else {
            first.insert(entry.catalog.id.clone(), path.clone());
        }
    }
    let mut pairs: Vec<_> = loaded.into_iter().zip(texts).collect();
    pairs.sort_by(|a, b| a.0.catalog.id.cmp(&b.0.catalog.id));
    let (mut sorted_loaded, sorted_texts): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
    catalog::resolve_replaces(&mut sorted_loaded, &sorted_texts, diagnostics);
    (diagnostics.error_count() == errors_before)
        .then(|| sorted_loaded.into_iter().map(|l| l.catalog).collect())
}

/// Loads the site configuration, registry, catalogues and boundaries, reporting every
/// problem in them. `None` when any of them has an error, as nothing can be checked against
/// them then.
pub fn load_base(dir: &Path, diagnostics: &mut Diagnostics) -> Option<Base> {
    let config = load_site_config(dir, diagnostics);
    let registry = load_registry(dir, diagnostics);
    let catalogs = load_catalogs(dir, diagnostics);
    let errors_before = diagnostics.error_count();
    let boundaries = registry
        .as_ref()
        .and_then(|r| boundaries::load(dir, r, diagnostics));
    let boundaries_ok = diagnostics.error_count() == errors_before;
    Some(Base {
        config: config?,
        registry: registry?,
        catalogs: catalogs?,
        boundaries: boundaries_ok.then(|| boundaries.map(Arc::new))?,
    })
}

/// One assessment file, read and checked on its own against the registry and catalogues.
/// `rel` is relative to `dir` and becomes [`Assessment::source`]; diagnostics name `dir/rel`.
/// The assessment is `None` when the file has any error. It is not compared with other
/// assessments: [`select_assessments`] does that. A watcher reloads a changed file with this.
pub(crate) fn load_assessment(
    dir: &Path,
    rel: &Path,
    against: &Against<'_>,
) -> (Option<(Assessment, Identity)>, Diagnostics) {
    let (result, _, diagnostics) = load_assessment_keeping_text(dir, rel, against);
    (result, diagnostics)
}

/// [`load_assessment`], also giving back the text it read, so that a valid file can be checked
/// again later (against a changed registry or catalogue) even when it has since been broken.
pub(crate) fn load_assessment_keeping_text(
    dir: &Path,
    rel: &Path,
    against: &Against<'_>,
) -> (Option<(Assessment, Identity)>, Option<String>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let Some(text) = read_text(dir, rel, &mut diagnostics) else {
        return (None, None, diagnostics);
    };
    let (result, more) = assessment_from_text(dir, rel, &text, against);
    diagnostics.extend(more);
    (result, Some(text), diagnostics)
}

/// Like [`load_assessment`], for text already read.
pub fn assessment_from_text(
    dir: &Path,
    rel: &Path,
    text: &str,
    against: &Against<'_>,
) -> (Option<(Assessment, Identity)>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let path = dir.join(rel);
    let result = parse_yaml(&path, text, &mut diagnostics).and_then(|node| {
        let mut reader = Reader {
            source: SourceText { path: &path, text },
            diagnostics: &mut diagnostics,
        };
        assessment::read(&mut reader, &node, rel, against)
    });
    // A file with errors is not used, even if a value could be made of it.
    let result = if diagnostics.has_errors() {
        None
    } else {
        result
    };
    (result, diagnostics)
}

/// The assessment files of a content folder (`assessments/**/*.yaml` and `*.yml`, hidden files
/// left out, symbolic links followed within the folder), relative to it and sorted; and an
/// error for each path under `assessments/` that is not read: a symbolic link that leads
/// outside the content folder or nowhere (see [`files`]). Paths are relative to `dir`.
pub(crate) fn find_assessment_files(dir: &Path) -> (Vec<PathBuf>, Vec<(PathBuf, Diagnostic)>) {
    let assessments = Path::new("assessments");
    let found = yaml_files(dir, &dir.join(assessments), true);
    let files = found
        .files
        .into_iter()
        .map(|f| assessments.join(f))
        .collect();
    let refused = found
        .refused
        .into_iter()
        .map(|(f, reason)| {
            let rel = assessments.join(f);
            let problem = Diagnostic {
                path: dir.join(&rel),
                pos: Pos::START,
                severity: crate::diagnostics::Severity::Error,
                message: reason,
                source_line: None,
            };
            (rel, problem)
        })
        .collect();
    (files, refused)
}

/// Picks what is published: one assessment per municipality and year. Two published
/// assessments of the same municipality and year are an error naming both files, reported at
/// the later one in `candidates`, which is left out (its path is returned in the second
/// list). With `drafts`, a draft stands in where nothing is published. The result is sorted
/// by year, then municipality code; `dir` is only used to name files in messages.
pub(crate) fn select_assessments(
    dir: &Path,
    candidates: Vec<(Assessment, Identity)>,
    registry: &Registry,
    drafts: bool,
    diagnostics: &mut Diagnostics,
) -> (Vec<Assessment>, Vec<PathBuf>) {
    let mut chosen: HashMap<(usize, u16), Assessment> = HashMap::new();
    let mut rejected = Vec::new();
    let mut draft_pool: Vec<Assessment> = Vec::new();
    for (assessment, identity) in candidates {
        if !assessment.is_published() {
            if drafts {
                draft_pool.push(assessment);
            }
            continue;
        }
        let key = (assessment.municipality, assessment.year);
        if let Some(first) = chosen.get(&key) {
            let path = dir.join(&assessment.source);
            let m = &registry.municipalities[assessment.municipality];
            diagnostics.file_error(
                &path,
                identity.published_pos.unwrap_or(identity.municipality_pos),
                format!(
                    "found a second published assessment of {} ({}) for {}: {} is already published; expected one published assessment per municipality and year (remove `published` from one of them)",
                    m.name, m.code, assessment.year, dir.join(&first.source).display()
                ),
            );
            rejected.push(assessment.source);
            continue;
        }
        chosen.insert(key, assessment);
    }
    for draft in draft_pool {
        chosen
            .entry((draft.municipality, draft.year))
            .or_insert(draft);
    }
    let mut assessments: Vec<Assessment> = chosen.into_values().collect();
    sort_assessments(&mut assessments, registry);
    (assessments, rejected)
}

/// Sorts by year, then municipality code: the order of [`Content::assessments`].
pub fn sort_assessments(assessments: &mut [Assessment], registry: &Registry) {
    assessments.sort_by(|a, b| {
        (a.year, &registry.municipalities[a.municipality].code)
            .cmp(&(b.year, &registry.municipalities[b.municipality].code))
    });
}

/// Loads `pages/*.md`, sorted by their `order`, then name. A page with an error is left out.
pub(crate) fn load_pages(dir: &Path, diagnostics: &mut Diagnostics) -> Vec<Page> {
    let pages_dir = dir.join("pages");
    let found = files::find(dir, &pages_dir, false, &["md"]);
    report_refused(&pages_dir, &found.refused, diagnostics);
    let mut pages: Vec<Page> = found
        .files
        .into_iter()
        .filter_map(|file| {
            let rel = Path::new("pages").join(&file);
            let text = read_text(dir, &rel, diagnostics)?;
            pages::read(&dir.join(&rel), &rel, &text, diagnostics)
        })
        .collect();
    pages.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    pages
}

/// One assessment file after reading.
pub(crate) struct AssessmentFile {
    /// Relative to the content folder.
    pub rel: PathBuf,
    /// The assessment, when the file has no error.
    pub assessment: Option<(Assessment, Identity)>,
    /// The text read, when asked for (see [`load_assessment_files`]).
    pub text: Option<String>,
    pub diagnostics: Diagnostics,
}

/// Reads and checks every assessment file of a folder (see [`find_assessment_files`]) in
/// parallel, each on its own; a link that is not followed comes as a file with its error
/// (see [`find_assessment_files`]). Sorted by path. With `keep_text`, each file's text is
/// kept, so that a valid file can be checked again later even when it has since been broken.
pub(crate) fn load_assessment_files(
    dir: &Path,
    against: &Against<'_>,
    keep_text: bool,
) -> Vec<AssessmentFile> {
    let (files, refused) = find_assessment_files(dir);
    let mut loaded: Vec<AssessmentFile> = files
        .into_par_iter()
        .map(|rel| {
            let (assessment, text, diagnostics) = load_assessment_keeping_text(dir, &rel, against);
            AssessmentFile {
                rel,
                assessment,
                text: text.filter(|_| keep_text),
                diagnostics,
            }
        })
        .collect();
    if !refused.is_empty() {
        loaded.extend(refused.into_iter().map(|(rel, problem)| {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(problem);
            AssessmentFile {
                rel,
                assessment: None,
                text: None,
                diagnostics,
            }
        }));
        loaded.sort_by(|a, b| a.rel.cmp(&b.rel));
    }
    loaded
}

/// Loads and checks a whole content folder.
pub fn load(dir: &Path, options: &LoadOptions) -> Loaded {
    let mut diagnostics = Diagnostics::new();
    let base = load_base(dir, &mut diagnostics);
    let pages = load_pages(dir, &mut diagnostics);
    let Some(base) = base else {
        diagnostics.sort();
        return Loaded {
            content: None,
            diagnostics,
            invalid_assessments: Vec::new(),
        };
    };
    let against = Against {
        registry: &base.registry,
        catalogs: &base.catalogs,
    };
    let results = load_assessment_files(dir, &against, false);
    let mut candidates = Vec::with_capacity(results.len());
    let mut invalid = Vec::new();
    for file in results {
        diagnostics.extend(file.diagnostics);
        match file.assessment {
            Some(ok) => candidates.push(ok),
            None => invalid.push(file.rel),
        }
    }
    let (assessments, rejected) = select_assessments(
        dir,
        candidates,
        &base.registry,
        options.drafts,
        &mut diagnostics,
    );
    invalid.extend(rejected);
    diagnostics.sort();
    Loaded {
        content: Some(Content {
            config: base.config,
            registry: base.registry,
            catalogs: base.catalogs,
            assessments,
            pages,
            boundaries: base.boundaries,
        }),
        diagnostics,
        invalid_assessments: invalid,
    }
}
