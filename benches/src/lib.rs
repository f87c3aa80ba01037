//! The pages the benchmarks run on: the real ATS pages in `../shared/corpus` (beside the
//! checkout) and the fixtures in `fixtures/<ats>/`.
//!
//! The benches themselves are in `benches/` (`cargo bench -p autoapply-benches --bench
//! detect`); `compare_detect.sh` puts their figures beside selectolax's (lexbor) for the
//! same pages. Each page comes with the URL it was captured at, so the detectors take the
//! same path as on the live page.

#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use engine_core::Snapshot;

/// One page to analyse.
#[derive(Clone, Debug)]
pub struct BenchPage {
    /// Where it comes from: `corpus` or `fixture`.
    pub source: &'static str,
    /// The ATS: the page's directory name (`greenhouse`, `lever`…).
    pub ats: String,
    /// The file name without `.html`.
    pub name: String,
    /// The snapshot to analyse.
    pub snapshot: Snapshot,
}

impl BenchPage {
    /// The page's size in bytes, for throughput.
    pub fn bytes(&self) -> u64 {
        self.snapshot.html.len() as u64
    }
}

/// The workspace root (this package sits in `benches/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared/corpus` beside the checkout, when it is there.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

/// The fixtures folder, `fixtures/` at the workspace root.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("fixtures")
}

/// Every corpus page (when the corpus is there) and every fixture, sorted by ATS and name.
pub fn pages() -> std::io::Result<Vec<BenchPage>> {
    let mut pages = Vec::new();
    if let Some(corpus) = corpus_dir() {
        pages.extend(pages_in(&corpus, "corpus")?);
    }
    let fixtures = fixtures_dir();
    if fixtures.is_dir() {
        pages.extend(pages_in(&fixtures, "fixture")?);
    }
    pages.sort_by(|a, b| (&a.ats, a.source, &a.name).cmp(&(&b.ats, b.source, &b.name)));
    Ok(pages)
}

/// The `<root>/<ats>/*.html` pages.
fn pages_in(root: &Path, source: &'static str) -> std::io::Result<Vec<BenchPage>> {
    let mut pages = Vec::new();
    for ats_dir in std::fs::read_dir(root)? {
        let ats_dir = ats_dir?.path();
        if !ats_dir.is_dir() {
            continue;
        }
        let ats = file_name(&ats_dir);
        for file in std::fs::read_dir(&ats_dir)? {
            let path = file?.path();
            let Some(name) = file_name(&path).strip_suffix(".html").map(str::to_owned) else {
                continue;
            };
            let html = std::fs::read_to_string(&path)?;
            let url = page_url(&path, &html).unwrap_or_else(|| format!("https://{ats}.example/"));
            pages.push(BenchPage {
                source,
                ats: ats.clone(),
                name,
                snapshot: Snapshot::new(url, html),
            });
        }
    }
    Ok(pages)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The URL a page was captured at: a fixture's `<!-- url: ... -->` first line, the
/// inventory beside a corpus page (`finalUrl`), or a capture's `Source:` header.
fn page_url(path: &Path, html: &str) -> Option<String> {
    let first_line = html.lines().next().unwrap_or("").trim();
    if let Some(url) = first_line
        .strip_prefix("<!--")
        .and_then(|rest| rest.trim().strip_prefix("url:"))
        .and_then(|rest| rest.trim().strip_suffix("-->"))
    {
        return Some(url.trim().to_owned());
    }
    let inventory = path.with_extension("fields.json");
    let inventory_url = std::fs::read_to_string(inventory)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| {
            let url = json.get("finalUrl").or_else(|| json.get("sourceUrl"))?;
            url.as_str().map(str::to_owned)
        });
    if inventory_url.is_some() {
        return inventory_url;
    }
    let header = html.get(..html.len().min(2000)).unwrap_or("");
    let after = &header[header.find("Source:")? + "Source:".len()..];
    let word = after.split_whitespace().next()?;
    Some(if word.starts_with("http") {
        word.to_owned()
    } else {
        format!("https://{word}")
    })
}
