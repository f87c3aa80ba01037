//! Whole-page analysis (provider, fields, kind, controls) over every corpus page and
//! fixture, one criterion group per ATS, throughput in bytes of HTML. Beside each page's
//! `detect` run, `scraper-parse` times scraper's parse of the same page alone: the share of
//! the analysis that is parsing, and so what is left to gain elsewhere.
//!
//! ```text
//! cargo bench -p autoapply-benches --bench detect             # all pages
//! cargo bench -p autoapply-benches --bench detect -- lever    # one ATS
//! bash benches/compare_detect.sh                              # beside selectolax (lexbor)
//! ```
//!
//! Results land in `target/criterion/<ats>/<detect|scraper-parse>/<corpus|fixture>_<page>/`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use autoapply_benches::{BenchPage, pages};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn detect(c: &mut Criterion) {
    let pages = pages().expect("read the corpus and fixture pages");
    assert!(
        !pages.is_empty(),
        "no pages: neither ../shared/corpus nor fixtures/ has any"
    );
    let mut by_ats: BTreeMap<&str, Vec<&BenchPage>> = BTreeMap::new();
    for page in &pages {
        by_ats.entry(page.ats.as_str()).or_default().push(page);
    }
    for (ats, ats_pages) in by_ats {
        let mut group = c.benchmark_group(ats);
        for page in ats_pages {
            let id = format!("{}/{}", page.source, page.name);
            group.throughput(Throughput::Bytes(page.bytes()));
            group.bench_with_input(
                BenchmarkId::new("detect", &id),
                &page.snapshot,
                |b, snapshot| b.iter(|| detectors::analyse(black_box(snapshot))),
            );
            group.bench_with_input(
                BenchmarkId::new("scraper-parse", &id),
                &page.snapshot.html,
                |b, html| b.iter(|| scraper::Html::parse_document(black_box(html))),
            );
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // Short runs: about fifty pages on a two-core machine shared with builds.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = detect
}
criterion_main!(benches);
