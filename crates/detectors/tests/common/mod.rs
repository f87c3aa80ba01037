//! Where the real pages are, for the tests that read them (`corpus.rs`, `no_panic.rs`).

use std::path::{Path, PathBuf};

/// `../shared/corpus` beside the checkout; fails with what to do when it is missing.
pub fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        dir.is_dir(),
        "the corpus is missing: expected the real ATS pages at {} (`../shared/corpus` beside \
         the checkout, as on the developers' machines and in CI); put the shared folder \
         there and rerun",
        dir.display()
    );
    dir
}

/// Every `<ats>/<page>.html` of the corpus, relative to it, sorted.
pub fn corpus_pages(corpus: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for ats in std::fs::read_dir(corpus).unwrap() {
        let ats = ats.unwrap().path();
        if !ats.is_dir() {
            continue;
        }
        for page in std::fs::read_dir(&ats).unwrap() {
            let page = page.unwrap().path();
            if page
                .extension()
                .is_some_and(|extension| extension == "html")
            {
                let relative = page.strip_prefix(corpus).unwrap();
                pages.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    pages.sort();
    pages
}
