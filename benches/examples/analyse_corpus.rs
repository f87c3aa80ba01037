//! Analyses every corpus page and fixture a number of times, for profilers and instruction
//! counts (`count_detect.sh` runs it under callgrind): one process, no harness, nothing but
//! `detectors::analyse` in the loop.
//!
//! ```text
//! cargo run --release -p autoapply-benches --example analyse_corpus -- [ROUNDS] [FILTER]
//! ```
//!
//! `FILTER` keeps the pages whose `ats/name` holds it. Prints the pages and the time per
//! round on stderr.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rounds: u32 = args.next().map(|r| r.parse()).transpose()?.unwrap_or(10);
    let filter = args.next().unwrap_or_default();
    let pages: Vec<_> = autoapply_benches::pages()?
        .into_iter()
        .filter(|p| format!("{}/{}", p.ats, p.name).contains(&filter))
        .collect();
    let started = Instant::now();
    for _ in 0..rounds {
        for page in &pages {
            std::hint::black_box(detectors::analyse(std::hint::black_box(&page.snapshot)));
        }
    }
    eprintln!(
        "{} pages, {} rounds: {:?} a round",
        pages.len(),
        rounds,
        started.elapsed() / rounds.max(1)
    );
    Ok(())
}
