//! `data/dcat.rdf`, read as RDF by an RDF/XML parser and checked against what DCAT-AP-SE 2.2
//! and Sveriges dataportal's harvester require: absolute IRIs and no blank nodes for the
//! catalogue, datasets, distributions, publisher and contact; the mandatory properties of each;
//! licence and vocabulary IRIs exactly as the specification lists them.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use oxrdfxml::RdfXmlParser;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Object {
    Iri(String),
    Blank,
    Literal { value: String, lang: Option<String> },
}

#[derive(Debug)]
struct Graph(Vec<(Option<String>, String, Object)>);

impl Graph {
    fn parse(bytes: &[u8]) -> Graph {
        let mut triples = Vec::new();
        for triple in RdfXmlParser::new().for_slice(bytes) {
            let t = triple.expect("data/dcat.rdf is valid RDF/XML");
            let subject = match t.subject {
                oxrdf::NamedOrBlankNode::NamedNode(n) => Some(n.into_string()),
                _ => None,
            };
            let object = match t.object {
                oxrdf::Term::NamedNode(n) => Object::Iri(n.into_string()),
                oxrdf::Term::Literal(l) => Object::Literal {
                    value: l.value().to_string(),
                    lang: l.language().map(str::to_string),
                },
                _ => Object::Blank,
            };
            triples.push((subject, t.predicate.into_string(), object));
        }
        Graph(triples)
    }

    fn of_type(&self, class: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(_, p, o)| p == RDF_TYPE && *o == Object::Iri(class.to_string()))
            .map(|(s, _, _)| s.clone().expect("typed nodes have IRIs, not blank nodes"))
            .collect()
    }

    fn values(&self, subject: &str, predicate: &str) -> Vec<Object> {
        self.0
            .iter()
            .filter(|(s, p, _)| s.as_deref() == Some(subject) && p == predicate)
            .map(|(_, _, o)| o.clone())
            .collect()
    }

    fn iris(&self, subject: &str, predicate: &str) -> Vec<String> {
        self.values(subject, predicate)
            .into_iter()
            .map(|o| match o {
                Object::Iri(i) => i,
                other => panic!("{subject} {predicate}: expected an IRI, found {other:?}"),
            })
            .collect()
    }

    /// The value of a mandatory property, in every language it is given in.
    fn require(&self, subject: &str, predicate: &str) -> Vec<Object> {
        let values = self.values(subject, predicate);
        assert!(!values.is_empty(), "{subject} lacks {predicate}");
        values
    }
}

fn build_shapes(site_yaml: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(
        &common::repo().join("tests/fixtures/sites/shapes"),
        &content,
    );
    std::fs::write(content.join("site.yaml"), site_yaml).unwrap();
    let out = dir.path().join("site");
    let output = common::build(&content, &out, &["--no-png"]);
    common::assert_success(&output);
    (dir, output)
}

const BASE: &str = "https://data.example.se/eblomladan/";

const PUBLISHED: &str = "title: Shapes\n\
title_en: Shapes in English\n\
base_url: https://data.example.se/eblomladan/\n\
language: en\n\
example_data: false\n\
publisher:\n\
\x20 name: Sveriges Kommuner & Regioner\n\
\x20 organisation_number: 222000-0315\n\
\x20 url: https://skr.example.se\n\
contact:\n\
\x20 name: Öppna data\n\
\x20 email: oppnadata@example.se\n\
\x20 phone: +46 8 452 70 00\n";

#[test]
fn the_catalogue_has_every_mandatory_property_of_dcat_ap_se() {
    let (dir, _) = build_shapes(PUBLISHED);
    let out = dir.path().join("site");
    let graph = Graph::parse(&std::fs::read(out.join("data/dcat.rdf")).unwrap());

    // No blank nodes anywhere, and every IRI absolute.
    for (s, _, o) in &graph.0 {
        assert!(s.is_some(), "a blank subject in {:?}", graph.0);
        assert_ne!(*o, Object::Blank);
        for iri in s.iter().chain(match o {
            Object::Iri(i) => Some(i),
            _ => None,
        }) {
            assert!(
                ["http://", "https://", "mailto:", "tel:"]
                    .iter()
                    .any(|scheme| iri.starts_with(scheme)),
                "not absolute: {iri}"
            );
        }
    }

    let catalogs = graph.of_type(&format!("{DCAT}Catalog"));
    assert_eq!(catalogs.len(), 1);
    let catalog = &catalogs[0];
    assert!(catalog.starts_with(BASE));
    let titles = graph.require(catalog, &format!("{DCT}title"));
    assert!(titles.contains(&Object::Literal {
        value: "Shapes".into(),
        lang: Some("sv".into())
    }));
    assert!(titles.contains(&Object::Literal {
        value: "Shapes in English".into(),
        lang: Some("en".into())
    }));
    graph.require(catalog, &format!("{DCT}description"));
    // The metadata itself is CC0, as Sweden requires of a catalogue.
    assert_eq!(
        graph.iris(catalog, &format!("{DCT}license")),
        ["http://creativecommons.org/publicdomain/zero/1.0/"]
    );
    let publisher = "http://dataportal.se/organisation/SE2220000315";
    assert_eq!(graph.iris(catalog, &format!("{DCT}publisher")), [publisher]);
    assert_eq!(
        graph.iris(catalog, &format!("{DCT}language")),
        [
            "http://publications.europa.eu/resource/authority/language/SWE",
            "http://publications.europa.eu/resource/authority/language/ENG"
        ]
    );
    assert_eq!(
        graph.iris(catalog, &format!("{FOAF}homepage")),
        ["https://data.example.se/eblomladan/"]
    );

    // The publisher and the contact, apart from each other.
    assert_eq!(graph.of_type(&format!("{FOAF}Agent")), [publisher]);
    assert_eq!(
        graph.require(publisher, &format!("{FOAF}name")),
        [Object::Literal {
            value: "Sveriges Kommuner & Regioner".into(),
            lang: None
        }]
    );
    let contacts = graph.of_type(&format!("{VCARD}Organization"));
    assert_eq!(contacts.len(), 1);
    let contact = &contacts[0];
    assert_ne!(contact, publisher);
    graph.require(contact, &format!("{VCARD}fn"));
    assert_eq!(
        graph.iris(contact, &format!("{VCARD}hasEmail")),
        ["mailto:oppnadata@example.se"]
    );
    assert_eq!(
        graph.iris(contact, &format!("{VCARD}hasTelephone")),
        ["tel:+4684527000"]
    );

    check_datasets(&graph, catalog, publisher, contact, &out);

    // The data page links the catalogue and cites the data with its licence.
    let page = std::fs::read_to_string(out.join("data/index.html")).unwrap();
    assert!(page.contains("href=\"../data/dcat.rdf\"") || page.contains("href=\"dcat.rdf\""));
    assert!(page.contains("https://data.example.se/eblomladan/data/"));
    assert!(page.contains("href=\"https://creativecommons.org/licenses/by/4.0/\""));
}

/// Every dataset the catalogue lists, with its mandatory and recommended properties, and its
/// distributions, each a file of the site.
fn check_datasets(graph: &Graph, catalog: &str, publisher: &str, contact: &str, out: &Path) {
    let datasets: BTreeSet<String> = graph
        .iris(catalog, &format!("{DCAT}dataset"))
        .into_iter()
        .collect();
    let typed: BTreeSet<String> = graph
        .of_type(&format!("{DCAT}Dataset"))
        .into_iter()
        .collect();
    assert_eq!(datasets, typed);
    assert_eq!(datasets.len(), 4);
    let mut downloads = Vec::new();
    for dataset in &datasets {
        graph.require(dataset, &format!("{DCT}title"));
        graph.require(dataset, &format!("{DCT}description"));
        assert_eq!(graph.iris(dataset, &format!("{DCT}publisher")), [publisher]);
        assert_eq!(
            graph.iris(dataset, &format!("{DCAT}contactPoint")),
            [contact]
        );
        assert_eq!(
            graph.iris(dataset, &format!("{DCAT}theme")),
            ["http://publications.europa.eu/resource/authority/data-theme/GOVE"]
        );
        assert_eq!(
            graph.iris(dataset, &format!("{DCT}accessRights")),
            ["http://publications.europa.eu/resource/authority/access-right/PUBLIC"]
        );
        graph.require(dataset, &format!("{DCAT}keyword"));
        for period in graph.iris(dataset, &format!("{DCT}temporal")) {
            graph.require(&period, &format!("{DCAT}startDate"));
        }
        let distributions = graph.iris(dataset, &format!("{DCAT}distribution"));
        assert!(!distributions.is_empty(), "{dataset} has no distribution");
        for distribution in distributions {
            assert!(
                graph
                    .of_type(&format!("{DCAT}Distribution"))
                    .contains(&distribution)
            );
            let access = graph.iris(&distribution, &format!("{DCAT}accessURL"));
            assert_eq!(access.len(), 1);
            graph.require(&distribution, &format!("{DCT}format"));
            assert_eq!(
                graph.iris(&distribution, &format!("{DCT}license")),
                ["http://creativecommons.org/licenses/by/4.0/"]
            );
            downloads.extend(graph.iris(&distribution, &format!("{DCAT}downloadURL")));
        }
    }
    // Each download is a file of the site.
    assert_eq!(downloads.len(), 4);
    for url in downloads {
        let path = url.strip_prefix(BASE).expect("downloads are on the site");
        assert!(out.join(path).is_file(), "{url} is not in the output");
    }
}

#[test]
fn the_licence_is_the_one_site_yaml_names() {
    let yaml = PUBLISHED.replace(
        "example_data: false\n",
        "example_data: false\nlicense: CC0-1.0\n",
    );
    let (dir, _) = build_shapes(&yaml);
    let rdf = std::fs::read_to_string(dir.path().join("site/data/dcat.rdf")).unwrap();
    let graph = Graph::parse(rdf.as_bytes());
    for distribution in graph.of_type(&format!("{DCAT}Distribution")) {
        assert_eq!(
            graph.iris(&distribution, &format!("{DCT}license")),
            ["http://creativecommons.org/publicdomain/zero/1.0/"]
        );
    }
}

#[test]
fn without_the_sites_address_there_is_no_catalogue_and_build_says_why_once() {
    let yaml = PUBLISHED.replace("base_url: https://data.example.se/eblomladan/\n", "");
    let (dir, output) = build_shapes(&yaml);
    let out = dir.path().join("site");
    assert!(!out.join("data/dcat.rdf").exists());
    let page = std::fs::read_to_string(out.join("data/index.html")).unwrap();
    assert!(!page.contains("dcat.rdf"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning: no base_url"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("site.yaml:1:1:"), "{stderr}");
    assert!(warnings[0].contains("embed code"), "{stderr}");
    assert!(warnings[0].contains("dcat.rdf"), "{stderr}");
}

#[test]
fn check_warns_of_a_missing_organisation_number_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(
        &common::repo().join("tests/fixtures/sites/shapes"),
        &content,
    );
    let yaml = "title: Shapes\nbase_url: https://data.example.se\npublisher:\n  name: Kommunförbundet\ncontact:\n  email: data@example.se\n";
    std::fs::write(content.join("site.yaml"), yaml).unwrap();
    let output = common::blomlada()
        .args(["check", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let site = Path::new(&content).join("site.yaml");
    let expected = format!(
        "{}:3:1: warning: no organisation number for the publisher",
        site.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");

    std::fs::write(
        content.join("site.yaml"),
        yaml.replace(
            "  name: Kommunförbundet\n",
            "  name: K\n  organisation_number: 222000-0316\n",
        ),
    )
    .unwrap();
    let output = common::blomlada()
        .args(["check", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(":5:24: error: found the organisation number \"222000-0316\""),
        "{stderr}"
    );
}
