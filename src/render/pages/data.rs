//! Open data: the files under `data/` and `data/index.html`, a page that lists them.

use serde::Serialize;

use crate::output::{Contents, OutputFile, Streamed};
use crate::render::dcat;
use crate::render::opendata;
use crate::render::paths::{self, Page};
use crate::render::site::{Head, RenderError, Site};
use crate::schema;

#[derive(Serialize)]
struct DataFile {
    path: &'static str,
    key: &'static str,
    columns: Option<String>,
    kilobytes: u64,
}

#[derive(Serialize)]
struct DataPage<'a> {
    files: &'a [DataFile],
    /// The catalogue for Sveriges dataportal, when the site's address is known.
    dcat: Option<&'static str>,
    license: crate::model::License,
    /// The newest publication date: the day the data last changed.
    changed: Option<String>,
    /// The data page's own address, for the citation (none when unknown).
    url: Option<String>,
    publisher: Option<&'a str>,
}

/// The pages of this job: the data page in every language, which the sitemap leaves out.
pub(crate) fn pages(site: &Site<'_>) -> Vec<Page> {
    std::iter::once(Page::unlisted(paths::DATA))
        .chain(
            site.translations()
                .map(|copy| Page::unlisted(paths::DATA).in_folder(copy.folder())),
        )
        .collect()
}

/// The open data files (one set, at the root, whatever the language) and `data/index.html`,
/// a page that lists them, in every language of the site.
pub(crate) fn render(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let (content, stats) = (site.content, site.stats);
    let schema_url = site.absolute_in_site(paths::ASSESSMENT_SCHEMA);
    // answers.csv is by far the largest (some 440 MB at 100 000 assessments): it is made
    // while it is written, never held whole.
    let answers = Contents::Streamed(Streamed::new(opendata::AnswersCsv::new(content)));
    let contents = [
        answers,
        Contents::Bytes(opendata::municipalities_csv(content, stats)),
        Contents::Bytes(opendata::indicators_csv(content, stats)),
        Contents::Bytes(opendata::similar_csv(content, stats)),
        Contents::Bytes(opendata::series_csv(content, stats)),
        Contents::Bytes(opendata::indicator_series_csv(content, stats)),
        Contents::Bytes(opendata::site_json(content, stats)),
        Contents::Bytes(
            schema::assessment_schema(&content.catalogs, schema_url.as_deref()).into_bytes(),
        ),
    ];
    let keys = [
        "answers",
        "municipalities",
        "indicators",
        "similar",
        "series",
        "indicator_series",
        "site_json",
        "schema",
    ];
    let listed: Vec<DataFile> = contents
        .iter()
        .zip(keys)
        .zip(paths::DATA_FILES)
        .map(|((contents, key), path)| {
            // A CSV file's columns are its first line.
            let columns = path.ends_with(".csv").then(|| {
                let header = match contents {
                    Contents::Bytes(bytes) => bytes
                        .split(|&b| b == b'\n')
                        .next()
                        .unwrap_or_default()
                        .to_vec(),
                    Contents::Streamed(stream) => first_line(stream),
                    Contents::PngOf(_) | Contents::SameAs(_) => Vec::new(),
                };
                String::from_utf8_lossy(&header).replace(',', ", ")
            });
            DataFile {
                path,
                key,
                columns,
                kilobytes: contents.size().div_ceil(1024),
            }
        })
        .collect();
    let sizes: Vec<(&str, u64)> = paths::DATA_FILES
        .iter()
        .zip(&contents)
        .map(|(path, contents)| (*path, contents.size()))
        .collect();
    let dcat = dcat::catalog(content, stats, &sizes);
    let dcat_path = dcat.as_ref().map(|_| dcat::PATH);
    let mut files = vec![OutputFile::bytes(
        paths::index(paths::DATA),
        page(site, &listed, dcat_path)?,
    )];
    for copy in site.translations() {
        files.push(OutputFile::bytes(
            format!("{}{}", copy.folder(), paths::index(paths::DATA)),
            page(&copy, &listed, dcat_path)?,
        ));
    }
    files.extend(
        paths::DATA_FILES
            .into_iter()
            .zip(contents)
            .map(|(path, contents)| OutputFile {
                path: path.to_string(),
                contents,
            }),
    );
    if let Some(rdf) = dcat {
        files.push(OutputFile::bytes(dcat::PATH, rdf));
    }
    Ok(files)
}

/// The first line of a streamed file, without its line end: its bytes are made only until
/// the line ends.
fn first_line(stream: &Streamed) -> Vec<u8> {
    /// Keeps what is written up to the first line end, then refuses the rest.
    struct UpToLineEnd(Vec<u8>);

    impl std::io::Write for UpToLineEnd {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(end) => {
                    self.0.extend_from_slice(&bytes[..end]);
                    Err(std::io::Error::other("the first line is complete"))
                }
                None => {
                    self.0.extend_from_slice(bytes);
                    Ok(bytes.len())
                }
            }
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let mut line = UpToLineEnd(Vec::new());
    // The writer stops the stream once it has the line.
    let _ = stream.write_to(&mut line);
    line.0
}

/// The data page of one language's copy: the files are the same for every language.
fn page(
    site: &Site<'_>,
    files: &[DataFile],
    dcat: Option<&'static str>,
) -> Result<String, RenderError> {
    let content = site.content;
    let head = Head::new(
        format!("{} – {}", site.t("open_data"), site.title()),
        "data",
    );
    let page = DataPage {
        files,
        dcat,
        license: content.config.license,
        changed: dcat::publication_dates(content).map(|(_, last)| last.to_string()),
        url: site.absolute(paths::DATA),
        publisher: content.config.publisher.as_deref(),
    };
    site.render_page("data.html", paths::DATA, head, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Writes a header and rows in pieces, counting the pieces it was asked to make.
    struct Pieces(&'static [&'static str], &'static AtomicUsize);

    impl crate::output::Stream for Pieces {
        fn size(&self) -> u64 {
            self.0.iter().map(|p| p.len() as u64).sum()
        }

        fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
            for piece in self.0 {
                self.1.fetch_add(1, Ordering::Relaxed);
                out.write_all(piece.as_bytes())?;
            }
            Ok(())
        }
    }

    #[test]
    fn the_first_line_of_a_stream_is_read_without_making_the_rest() {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let stream = Streamed::new(Pieces(
            &["year,cat", "alog\n2017,v3", "\n", "2018,v3\n"],
            &MADE,
        ));
        assert_eq!(first_line(&stream), b"year,catalog");
        assert_eq!(MADE.load(Ordering::Relaxed), 2);
    }
}
