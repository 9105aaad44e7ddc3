//! Metadata of the seed pages: title, published date, site and language must
//! equal each seed's `meta.json` (`../shared/seeds/pages/NNN/`).

use std::path::Path;

#[test]
fn seed_pages_metadata_matches_meta_json() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/pages");
    assert!(seeds.is_dir(), "{} is missing", seeds.display());
    let pipeline = pith::Pipeline::default();
    let mut checked = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
        let url = meta["url"].as_str().unwrap();
        let page =
            pith::Page::html("seed", std::fs::read(dir.join("page.html")).unwrap()).with_url(url);
        let a = pipeline.process(&page).unwrap();
        let name = dir.display();
        assert_eq!(
            a.meta.title.as_deref(),
            meta["title"].as_str(),
            "title of {name}"
        );
        assert_eq!(
            a.meta.published.as_deref(),
            meta["published"].as_str(),
            "published of {name}"
        );
        assert_eq!(
            a.meta.site.as_deref(),
            meta["site"].as_str(),
            "site of {name}"
        );
        assert_eq!(
            a.meta.lang.as_deref(),
            meta["language"].as_str(),
            "language of {name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 5);
}

/// Decoy authors and dates (a related story "By John Smith", "Last updated",
/// comment dates, a copyright year) must not win over the article's own.
/// See golden/issue-4-wrong-author-date (newspaper4k #180 and #575).
#[test]
fn decoy_authors_and_dates_lose() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/issue-4-wrong-author-date");
    let page = pith::Page::html("decoys", std::fs::read(dir.join("input.html")).unwrap());
    let a = pith::Pipeline::default().process(&page).unwrap();
    assert_eq!(a.meta.author.as_deref(), Some("Maria Lopez"));
    assert_eq!(a.meta.published.as_deref(), Some("2024-03-04"));
}
