//! The bundled content and theme: reproducible from the generator, complete translations.

mod common;

use std::collections::BTreeSet;

use common::*;

#[test]
fn bundled_content_is_what_the_generator_makes() {
    let dir = tempfile::tempdir().unwrap();
    let out = blomlada()
        .args([
            "generate",
            "--municipalities",
            "290",
            "--years",
            "2016,2017",
            "--seed",
            "1",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_success(&out);
    let generated = tree(dir.path());
    let bundled = tree(&repo().join("content"));
    let differing: Vec<&String> = bundled
        .keys()
        .filter(|p| generated.get(*p) != bundled.get(*p))
        .collect();
    assert!(
        differing.is_empty(),
        "bundled files that the generator makes differently: {differing:?}"
    );
    assert_eq!(
        generated.keys().collect::<Vec<_>>(),
        bundled.keys().collect::<Vec<_>>()
    );
}

fn keys(language: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo().join(format!("themes/default/i18n/{language}.yaml")))
        .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(':'))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect()
}

#[test]
fn swedish_and_english_have_the_same_texts() {
    let (sv, en) = (keys("sv"), keys("en"));
    assert!(sv.len() > 100);
    let only_sv: Vec<_> = sv.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&sv).collect();
    assert!(
        only_sv.is_empty() && only_en.is_empty(),
        "only sv: {only_sv:?}; only en: {only_en:?}"
    );
}
