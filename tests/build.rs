//! The whole site from content: every path of the contract, no broken links, well-formed
//! pictures and feeds, deterministic bytes, and atomic replacement of the output.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use blomlada::content::{LoadOptions, load};
use common::*;

/// The relative links (`href`, `src`) of an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    found
}

/// The file a link of the page at `path` leads to: `None` for links out of the site and
/// `Err` for one that climbs out of it. A folder's link leads to its `index.html`.
fn resolve(path: &str, link: &str) -> Option<Result<String, String>> {
    if link.starts_with("http://")
        || link.starts_with("https://")
        || link.starts_with("mailto:")
        || link.starts_with('#')
    {
        return None;
    }
    let target = link.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let folder = Path::new(path).parent().unwrap_or(Path::new(""));
        folder.iter().map(|c| c.to_str().unwrap()).collect()
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(format!("{path}: {link} leaves the site")));
                }
            }
            p => parts.push(p),
        }
    }
    let mut resolved = parts.join("/");
    if target.is_empty() || target.ends_with('/') {
        resolved = if resolved.is_empty() {
            "index.html".into()
        } else {
            format!("{resolved}/index.html")
        };
    }
    Some(Ok(resolved))
}

/// Follows every internal link of every page and returns those that lead nowhere.
/// Pictures are left out of builds with `--no-png`, so `with_png: false` skips links to them.
fn broken_links(site: &BTreeMap<String, Vec<u8>>, with_png: bool) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in site {
        // The not-found pages link from the root of the host: they are served at any depth.
        if !path.ends_with(".html") || path.ends_with("404.html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in links(&html) {
            match resolve(path, &link) {
                Some(Err(problem)) => broken.push(problem),
                Some(Ok(resolved))
                    if !site.contains_key(&resolved)
                        && (with_png || !resolved.ends_with(".png")) =>
                {
                    broken.push(format!("{path}: {link} → {resolved}"));
                }
                _ => {}
            }
        }
    }
    broken
}

/// The PNGs the pages point at: links, preview images (`og:image`) and embed code.
fn linked_pngs(site: &BTreeMap<String, Vec<u8>>) -> std::collections::BTreeSet<String> {
    let mut linked = std::collections::BTreeSet::new();
    for (path, bytes) in site.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes).replace("&quot;", "\"");
        for value in html.split('"').filter(|v| v.ends_with(".png")) {
            if let Some(Ok(resolved)) = resolve(path, value) {
                linked.insert(resolved);
            }
        }
    }
    linked
}

/// A picture a job draws twice with the same bytes is on the disk once (a hard link): the
/// latest year's and the area's own, a map the same in both languages.
#[cfg(unix)]
fn assert_same_pictures_are_one_file(out: &Path) {
    use std::os::unix::fs::MetadataExt;
    let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
    for (one, other) in [
        (
            "kommun/kumla/blomlada.svg",
            "kommun/kumla/2017/blomlada.svg",
        ),
        (
            "lan/orebro-lan/blomlada.svg",
            "lan/orebro-lan/2017/blomlada.svg",
        ),
        (
            "en/lan/orebro-lan/blomlada.svg",
            "en/lan/orebro-lan/2017/blomlada.svg",
        ),
        ("karta/lan/orebro-lan.svg", "en/karta/lan/orebro-lan.svg"),
    ] {
        assert_eq!(inode(one), inode(other), "{one} and {other} are two files");
    }
    assert_ne!(
        inode("lan/orebro-lan/blomlada.svg"),
        inode("lan/orebro-lan/2016/blomlada.svg")
    );
}

#[cfg(not(unix))]
fn assert_same_pictures_are_one_file(_: &Path) {}

#[test]
fn bundled_site_has_every_contract_path_no_broken_link_and_same_bytes_twice() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("content");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_success(&build(&content, &a, &["--no-png"]));
    assert_success(&build(&content, &b, &["--no-png"]));
    let site = tree(&a);
    assert!(site == tree(&b), "two builds differ");
    assert_same_pictures_are_one_file(&a);

    let loaded = load(&content, &LoadOptions::default()).content.unwrap();
    let mut expected: Vec<String> = [
        "index.html",
        "jamfor/index.html",
        "data/answers.csv",
        "data/municipalities.csv",
        "data/indicators.csv",
        "data/site.json",
        "data/schema/assessment.schema.json",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "404.html",
        "sida/metod/index.html",
        "sida/tillganglighet/index.html",
        "blomlada.svg",
    ]
    .map(String::from)
    .to_vec();
    for a in &loaded.assessments {
        let m = &loaded.registry.municipalities[a.municipality];
        let c = &loaded.registry.counties[m.county];
        for p in ["index.html", "blomlada.svg"] {
            expected.push(format!("kommun/{}/{p}", m.slug));
            expected.push(format!("kommun/{}/{}/{p}", m.slug, a.year));
            expected.push(format!("lan/{}/{p}", c.slug));
        }
        expected.push(format!("kommun/{}/index.html", m.code));
        expected.push(format!("lan/{}/index.html", c.code));
    }
    for catalog in &loaded.catalogs {
        for i in &catalog.indicators {
            expected.push(format!("indikator/{}/{}/index.html", catalog.id, i.id));
        }
    }
    let missing: Vec<&String> = expected.iter().filter(|p| !site.contains_key(*p)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
    assert!(site.contains_key("kommun/upplands-vasby/index.html"));
    assert!(site.contains_key("lan/stockholms-lan/index.html"));
    // Håbo and Habo share the slug `habo`: each gets its code, and `habo` lets you choose.
    assert!(
        site.contains_key("kommun/habo-0305/index.html")
            && site.contains_key("kommun/habo-0643/index.html")
    );
    let choose = String::from_utf8_lossy(&site["kommun/habo/index.html"]).into_owned();
    assert!(choose.contains("habo-0305/") && choose.contains("habo-0643/"));

    let broken = broken_links(&site, false);
    assert!(
        broken.is_empty(),
        "{} broken links, e.g. {:?}",
        broken.len(),
        &broken[..broken.len().min(10)]
    );

    for (path, bytes) in &site {
        if path.ends_with(".svg") || path.ends_with(".xml") {
            let text = std::str::from_utf8(bytes).unwrap();
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{path} is not well-formed XML: {e}");
            }
        }
    }
    // The example data is marked on every page.
    let pages_without_banner: Vec<&String> = site
        .iter()
        .filter(|(p, b)| {
            p.ends_with(".html")
                && !p.starts_with("kommun/0")
                && !String::from_utf8_lossy(b).contains("example-banner")
        })
        .map(|(p, _)| p)
        .filter(|p| !is_redirect(&site[*p]))
        .collect();
    assert!(pages_without_banner.is_empty(), "{pages_without_banner:?}");

    assert_english_copy(&site, &loaded);
}

/// Text as the templates escape it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The bundled site publishes English under `en/` (`translations: [en]`): every page has
/// its English twin, linked both ways with `hreflang` and the language switch; English pages
/// show the catalogue's English texts; the open data and the theme's files exist once.
fn assert_english_copy(site: &BTreeMap<String, Vec<u8>>, content: &blomlada::model::Content) {
    let page = |path: &str| String::from_utf8_lossy(&site[path]).into_owned();
    let swedish: Vec<&String> = site
        .keys()
        .filter(|p| p.ends_with(".html") && !p.starts_with("en/"))
        .collect();
    let english: Vec<&String> = site
        .keys()
        .filter(|p| p.ends_with(".html") && p.starts_with("en/"))
        .collect();
    assert_eq!(swedish.len(), english.len());
    for path in &swedish {
        assert!(site.contains_key(&format!("en/{path}")), "no en/{path}");
    }
    let shared_in_copy: Vec<&String> = site
        .keys()
        .filter(|p| {
            p.starts_with("en/")
                && !(p.ends_with(".html")
                    || p.ends_with(".svg")
                    || p.ends_with(".png")
                    || p.as_str() == "en/feed.xml")
        })
        .collect();
    assert!(shared_in_copy.is_empty(), "{shared_in_copy:?}");

    // Both ways: hreflang and the switch, relative to each page.
    let sv = page("kommun/kumla/index.html");
    let en = page("en/kommun/kumla/index.html");
    assert!(sv.contains("<html lang=\"sv\">") && en.contains("<html lang=\"en\">"));
    for html in [&sv, &en] {
        assert!(
            html.contains("<link rel=\"alternate\" hreflang=\"sv\" href=\"../../"),
            "{html}"
        );
        assert!(html.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"../../"));
    }
    assert!(
        sv.contains("<a href=\"../../en/kommun/kumla/\" hreflang=\"en\" lang=\"en\">English</a>")
    );
    assert!(
        en.contains("<a href=\"../../../kommun/kumla/\" hreflang=\"sv\" lang=\"sv\">Svenska</a>")
    );
    assert!(en.contains("href=\"../../../assets/style.css\""));
    // Every page but the redirects has the switch.
    for path in swedish.iter().chain(&english) {
        let html = page(path);
        assert!(
            is_redirect(&site[*path]) || html.contains("<nav class=\"languages\""),
            "{path} has no language switch"
        );
    }
    // No empty link: the home page's twin from itself is `./`.
    assert!(page("index.html").contains("<link rel=\"alternate\" hreflang=\"sv\" href=\"./\">"));
    assert!(
        page("en/index.html").contains("<link rel=\"alternate\" hreflang=\"sv\" href=\"../\">")
    );
    let sitemap = page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>/en/kommun/kumla/</loc>")
            && sitemap.contains("<loc>/kommun/kumla/</loc>")
    );

    // Every indicator and area in English, nothing left in Swedish (the bundled catalogue
    // translates everything): only the switch and the publisher's pages (in the footer) are
    // marked as Swedish.
    let v3 = &content.catalogs[content.catalog_by_id("v3").unwrap()];
    let list = page("en/indikator/index.html");
    for area in &v3.areas {
        assert!(
            list.contains(&escaped(area.name_en.as_deref().unwrap())),
            "{}",
            area.id
        );
    }
    for indicator in &v3.indicators {
        let html = page(&format!("en/indikator/v3/{}/index.html", indicator.id));
        let h1 = format!(
            "<h1 class=\"indicator-text\">{}</h1>",
            escaped(indicator.text_en.as_deref().unwrap())
        );
        assert!(html.contains(&h1), "{}: {h1}", indicator.id);
        assert!(list.contains(&escaped(indicator.text_en.as_deref().unwrap())));
    }
    let marks = 1 + content.pages.len();
    for path in english.iter().filter(|p| !p.starts_with("en/sida/")) {
        let html = page(path);
        // ` lang`: not `hreflang`.
        let found = html.matches(" lang=\"sv\"").count();
        assert!(
            is_redirect(&site[*path]) || found == marks,
            "{path}: {found} lang=\"sv\""
        );
    }
    // The pictures in English: the areas' short English labels.
    let svg = page("en/kommun/kumla/blomlada.svg");
    assert!(
        svg.contains(">Older people<") && !svg.contains(">Äldre<"),
        "{svg}"
    );
    assert!(page("kommun/kumla/blomlada.svg").contains(">Äldre<"));
    assert_embed_code_of_each_copy(site);
}

/// The embed code of each copy shows that copy's page and picture (built without the site's
/// address: from the host's root).
fn assert_embed_code_of_each_copy(site: &BTreeMap<String, Vec<u8>>) {
    let embed = |path: &str| {
        let html = String::from_utf8_lossy(&site[path]).into_owned();
        let start = html.find("id=\"embed-code\"").expect("embed code");
        html[start..]
            .split("</textarea>")
            .next()
            .unwrap()
            .to_string()
    };
    assert!(
        embed("en/kommun/kumla/2016/index.html").contains(
            "&lt;a href=&quot;/en/kommun/kumla/2016/&quot;&gt;&lt;img src=&quot;/en/kommun/kumla/2016/blomlada.png&quot;"
        ),
        "{}",
        embed("en/kommun/kumla/2016/index.html")
    );
    assert!(
        embed("kommun/kumla/2016/index.html").contains(
            "&lt;a href=&quot;/kommun/kumla/2016/&quot;&gt;&lt;img src=&quot;/kommun/kumla/2016/blomlada.png&quot;"
        )
    );
    assert!(embed("en/lan/orebro-lan/index.html").contains("src=&quot;/en/lan/orebro-lan/"));
}

/// Where the catalogue has no English text, the English pages show the Swedish one, marked
/// `lang="sv"`; the Swedish pages mark nothing.
#[test]
fn english_pages_mark_the_swedish_texts_they_fall_back_to() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&repo().join("content"), &content);
    // Two municipalities are enough.
    for entry in walkdir::WalkDir::new(content.join("assessments"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") && !name.starts_with("1881-") && !name.starts_with("0114-") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let catalog = content.join("catalogs/v3.yaml");
    let yaml = std::fs::read_to_string(&catalog).unwrap();
    let english_text = "        text_en: \"Residents can use a digital service to compare the quality of the municipality's residential care homes.\"\n";
    let english_name = "    name_en: \"Older people & people in need of care\"\n    short: \"Äldre\"\n    short_en: \"Older people\"\n";
    assert!(yaml.contains(english_text) && yaml.contains(english_name));
    let yaml = yaml
        .replace(english_text, "")
        .replace(english_name, "    short: \"Äldre\"\n");
    std::fs::write(&catalog, yaml).unwrap();
    let out = dir.path().join("out");
    assert_success(&build(&content, &out, &["--no-png"]));
    let page = |path: &str| std::fs::read_to_string(out.join(path)).unwrap();

    let swedish_text = "Privatpersoner kan via digital tjänst göra en kvalitetsjämförelse av särskilda boenden inom kommunen.";
    let indicator = page("en/indikator/v3/aldre-1/index.html");
    assert!(
        indicator.contains(&format!(
            "<h1 class=\"indicator-text\" lang=\"sv\">{swedish_text}</h1>"
        )),
        "{indicator}"
    );
    assert!(indicator.contains("<span lang=\"sv\">Äldre &amp; personer i behov av omsorg</span>"));
    let municipality = page("en/kommun/kumla/index.html");
    assert!(municipality.contains(&format!("lang=\"sv\">{swedish_text}</a>")));
    assert!(municipality.contains(
        "<h3 id=\"area-aldre-h\"><span lang=\"sv\">Äldre &amp; personer i behov av omsorg</span>"
    ));
    // Other texts are in English, unmarked.
    assert!(municipality.contains("<h3 id=\"area-barn-h\"><span>"));
    // The Swedish pages need no marks.
    let swedish = page("indikator/v3/aldre-1/index.html");
    assert_eq!(
        swedish.matches(" lang=\"sv\"").count(),
        2,
        "<html> and the switch"
    );
    assert!(swedish.contains(&format!("<h1 class=\"indicator-text\">{swedish_text}</h1>")));
    // The picture falls back to the Swedish label.
    assert!(page("en/kommun/kumla/blomlada.svg").contains(">Äldre<"));
}

fn is_redirect(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes).contains("http-equiv=\"refresh\"")
}

#[test]
fn shapes_site_builds_with_pictures_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("tests/fixtures/sites/shapes");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_success(&build(&content, &a, &[]));
    assert_success(&build(&content, &b, &[]));
    let site = tree(&a);
    assert!(site == tree(&b), "two builds differ");
    let pngs: Vec<&String> = site.keys().filter(|p| p.ends_with(".png")).collect();
    assert!(!pngs.is_empty());
    for p in pngs {
        assert!(
            site[p].starts_with(b"\x89PNG\r\n\x1a\n"),
            "{p} is not a PNG"
        );
        let svg = p.replace(".png", ".svg");
        assert!(site.contains_key(&svg), "{p} has no SVG");
    }
    assert!(
        broken_links(&site, true).is_empty(),
        "{:?}",
        broken_links(&site, true)
    );
    // Every picture drawn is one a page points at (a preview, a download, the embed code):
    // none is drawn for nobody.
    let linked = linked_pngs(&site);
    let unlinked: Vec<&String> = site
        .keys()
        .filter(|p| p.ends_with(".png") && !linked.contains(*p))
        .collect();
    assert!(unlinked.is_empty(), "PNGs no page points at: {unlinked:?}");
    // English site: the pages speak English.
    let home = String::from_utf8_lossy(&site["index.html"]).into_owned();
    assert!(home.contains("<html lang=\"en\">"), "{}", &home[..200]);
}

/// A flower box inline in a page names its indicators by id only; the page's script takes each
/// indicator's text from the page's link to it. So every such page must have that link.
#[test]
fn pages_with_a_picture_link_every_indicator_of_it_with_its_text() {
    let mut pictures = 0;
    for (path, bytes) in built_site("shapes", &["--no-png"]) {
        let html = String::from_utf8_lossy(&bytes);
        let mut rest = html.as_ref();
        while let Some(at) = rest.find(" data-catalog=\"") {
            pictures += 1;
            rest = &rest[at + 15..];
            let catalog = &rest[..rest.find('"').unwrap()];
            let svg = &rest[..rest.find("</svg>").unwrap()];
            for id in svg.split(" data-indicator=\"").skip(1) {
                let id = &id[..id.find('"').unwrap()];
                let link = format!("/{catalog}/{id}/\">");
                let text = html
                    .split(&link)
                    .skip(1)
                    .map(|after| after.split("</a>").next().unwrap().trim())
                    .max_by_key(|text| text.len())
                    .unwrap_or_default();
                assert!(text.len() > 10, "{path}: no link with the text of {id}");
            }
        }
    }
    assert!(pictures >= 3, "{pictures} pictures in pages");
}

/// The number in "N pictures rasterised" of a build's report.
fn pictures_rasterised(output: &std::process::Output) -> usize {
    let report = String::from_utf8_lossy(&output.stderr);
    let before = report
        .split(" pictures rasterised")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .unwrap_or_default();
    before
        .parse()
        .unwrap_or_else(|_| panic!("no count of pictures in {report}"))
}

#[test]
fn pictures_are_reused_from_the_previous_output_only_when_made_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("tests/fixtures/sites/shapes");
    let out = dir.path().join("site");
    let first = build(&content, &out, &[]);
    assert_success(&first);
    assert!(pictures_rasterised(&first) > 0);
    let before = tree(&out);
    // Same content, same output folder: every picture is taken from the previous output.
    let second = build(&content, &out, &[]);
    assert_success(&second);
    assert_eq!(pictures_rasterised(&second), 0);
    assert!(tree(&out) == before);
    // An output whose pictures were made by another encoder (its marker says so) gets them
    // all made again.
    let marker = out.join(".blomlada");
    let text = std::fs::read_to_string(&marker).unwrap();
    assert!(text.contains("pictures: "), "{text}");
    std::fs::write(&marker, text.replace("pictures: ", "pictures: older ")).unwrap();
    let third = build(&content, &out, &[]);
    assert_success(&third);
    assert_eq!(pictures_rasterised(&third), pictures_rasterised(&first));
    assert!(tree(&out) == before);
}

/// The number in "N from the picture cache" of a build's report (0 when it says nothing).
fn pictures_from_cache(output: &std::process::Output) -> usize {
    let report = String::from_utf8_lossy(&output.stderr);
    report
        .split(" from the picture cache")
        .next()
        .filter(|before| before.len() < report.len())
        .and_then(|s| s.rsplit(' ').next())
        .map_or(0, |n| n.parse().unwrap())
}

/// `blomlada build` with the picture cache in `cache`.
fn build_with_cache(content: &Path, out: &Path, cache: &Path) -> std::process::Output {
    build_command(content, out)
        .env_remove("BLOMLADA_NO_CACHE")
        .arg("--cache-dir")
        .arg(cache)
        .output()
        .unwrap()
}

#[test]
fn a_build_into_an_empty_folder_takes_its_pictures_from_the_picture_cache() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("tests/fixtures/sites/shapes");
    let cache = dir.path().join("cache");
    let first = build_with_cache(&content, &dir.path().join("first"), &cache);
    assert_success(&first);
    let drawn = pictures_rasterised(&first);
    assert!(drawn > 0);
    assert_eq!(pictures_from_cache(&first), 0);
    let expected = tree(&dir.path().join("first"));
    // The cache lives outside the output, one entry per picture drawn.
    let entries: Vec<std::path::PathBuf> = walk_files(&cache.join("pictures"));
    assert_eq!(entries.len(), drawn);
    assert!(!expected.keys().any(|p| p.contains("cache")));

    // Each entry is a second name of a picture the build published, not a second copy.
    let inodes = |folder: &Path| -> std::collections::BTreeSet<u64> {
        use std::os::unix::fs::MetadataExt;
        walk_files(folder)
            .iter()
            .filter(|p| std::fs::read(p).unwrap().starts_with(b"\x89PNG"))
            .map(|p| std::fs::metadata(p).unwrap().ino())
            .collect()
    };
    let entry_inodes = inodes(&cache.join("pictures"));
    assert_eq!(entry_inodes.len(), drawn);
    assert!(entry_inodes.is_subset(&inodes(&dir.path().join("first"))));

    // A fresh output folder (as in a fresh checkout) draws nothing, and writes no picture
    // again: it publishes the entries under second names.
    let second = build_with_cache(&content, &dir.path().join("second"), &cache);
    assert_success(&second);
    assert_eq!(pictures_rasterised(&second), 0);
    assert_eq!(pictures_from_cache(&second), drawn);
    assert!(tree(&dir.path().join("second")) == expected);
    assert!(entry_inodes.is_subset(&inodes(&dir.path().join("second"))));

    // Broken entries are not published: those pictures are drawn again, the same as before.
    // (Written in place here, they break the first two outputs' pictures as well, whose
    // second names they are; blomlåda itself never writes a file in place.)
    let mut flipped = std::fs::read(&entries[0]).unwrap();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x10;
    std::fs::write(&entries[0], flipped).unwrap();
    std::fs::write(&entries[1], b"").unwrap();
    let third = build_with_cache(&content, &dir.path().join("third"), &cache);
    assert_success(&third);
    assert_eq!(pictures_rasterised(&third), 2);
    assert_eq!(pictures_from_cache(&third), drawn - 2);
    assert!(tree(&dir.path().join("third")) == expected);
    let report = String::from_utf8_lossy(&third.stderr);
    assert_eq!(report.matches("is not sound").count(), 2, "{report}");

    // --no-cache draws everything.
    let fourth = build_command(&content, &dir.path().join("fourth"))
        .env_remove("BLOMLADA_NO_CACHE")
        .arg("--cache-dir")
        .arg(&cache)
        .arg("--no-cache")
        .output()
        .unwrap();
    assert_success(&fourth);
    assert_eq!(pictures_rasterised(&fourth), drawn);
}

#[test]
fn the_picture_cache_may_not_be_inside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("tests/fixtures/sites/shapes");
    let out = dir.path().join("site");
    let refused = build_with_cache(&content, &out, &out.join("cache"));
    assert_eq!(refused.status.code(), Some(2));
    let report = String::from_utf8_lossy(&refused.stderr);
    assert!(report.contains("overlaps"), "{report}");
    assert!(!out.exists());
}

/// Every file under `dir`, sorted.
fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

#[test]
fn a_failed_build_leaves_the_output_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&repo().join("tests/fixtures/sites/shapes"), &content);
    let out = dir.path().join("site");
    assert_success(&build(&content, &out, &["--no-png"]));
    let before = tree(&out);

    std::fs::write(
        content.join("assessments/bad.yaml"),
        "municipality: \"9999\"\nyear: 2017\ncatalog: new\nanswers: {}\n",
    )
    .unwrap();
    let failed = build(&content, &out, &["--no-png"]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("bad.yaml:1:15: error: unknown municipality \"9999\""),
        "{stderr}"
    );
    assert!(tree(&out) == before, "the output changed");
    let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        [".site.lock", "content", "site"],
        "a staging folder was left behind"
    );

    // --keep-going skips the bad file, names it, and publishes the rest.
    let kept = build(&content, &out, &["--no-png", "--keep-going"]);
    assert_success(&kept);
    assert!(String::from_utf8_lossy(&kept.stderr).contains("skipped (invalid):"));
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("precious");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("thesis.txt"), "important").unwrap();
    let result = build(
        &repo().join("tests/fixtures/sites/shapes"),
        &out,
        &["--no-png"],
    );
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("refusing to replace"));
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "important"
    );
}

/// Generated content large enough that a build with pictures takes a while.
fn generated_content(dir: &Path, municipalities: usize) -> std::path::PathBuf {
    let content = dir.join("content");
    blomlada::generate::generate(
        &content,
        &blomlada::generate::Options {
            municipalities,
            years: vec![2017],
            seed: 5,
        },
    )
    .unwrap();
    content
}

/// Starts `blomlada build` and waits until its staging folder is there: it is writing.
fn start_build_and_wait_for_staging(
    content: &Path,
    out: &Path,
) -> (std::process::Child, std::path::PathBuf) {
    let child = blomlada()
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--theme")
        .arg(repo().join("themes/default"))
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let staging = out.with_file_name(format!(".site.staging-{}", child.id()));
    let started = std::time::Instant::now();
    while !staging.exists() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(300),
            "the build never made {}",
            staging.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    (child, staging)
}

fn signal(child: &std::process::Child, name: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_build_killed_while_writing_leaves_its_output_intact_and_the_next_build_clears_up() {
    let dir = tempfile::tempdir().unwrap();
    let content = generated_content(dir.path(), 40);
    let out = dir.path().join("site");
    assert_success(&build(&content, &out, &["--no-png"]));
    let before = tree(&out);

    // Killed (as by the kernel out of memory, or a CI time-out) while it writes.
    std::fs::remove_file(content.join("site.yaml")).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        "title: Efter avbrottet\nexample_data: true\n",
    )
    .unwrap();
    let (mut child, staging) = start_build_and_wait_for_staging(&content, &out);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.is_dir(), "the killed build left no staging folder");
    assert!(tree(&out) == before, "the published folder changed");

    // The next build removes it and writes what a build from scratch writes.
    let next = build(&content, &out, &["--no-png"]);
    assert_success(&next);
    let stderr = String::from_utf8_lossy(&next.stderr);
    assert!(
        stderr.contains(&format!("removed {}", staging.display())),
        "{stderr}"
    );
    assert!(!staging.exists());
    let fresh = dir.path().join("fresh");
    assert_success(&build(&content, &fresh, &["--no-png"]));
    assert!(
        tree(&out) == tree(&fresh),
        "the output differs from a fresh build"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [".fresh.lock", ".site.lock", "content", "fresh", "site"]
    );
}

#[test]
fn a_second_build_into_the_same_folder_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let content = generated_content(dir.path(), 40);
    let out = dir.path().join("site");
    let (mut first, staging) = start_build_and_wait_for_staging(&content, &out);
    // Stopped, so that it is certainly still at work while the second one tries.
    signal(&first, "STOP");
    let second = build(&content, &out, &["--no-png"]);
    signal(&first, "CONT");
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("is being written by another process: process ")
            && stderr.contains(&format!("process {} (", first.id()))
            && stderr.contains(" build "),
        "{stderr}"
    );
    assert!(
        staging.is_dir(),
        "the second build touched the first one's folder"
    );
    let status = first.wait().unwrap();
    assert!(status.success(), "the first build failed");
    assert!(!staging.exists());
    assert!(out.join("index.html").is_file());
}
