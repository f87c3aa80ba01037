// temporary (not committed): loop the pre-pass, or pre-pass + parse, over every page
fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let n: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(10);
    let mut pages = Vec::new();
    for dir in ["fixtures", "../shared/corpus"] {
        for ats in std::fs::read_dir(dir).unwrap() {
            let d = ats.unwrap().path();
            if !d.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(d).unwrap() {
                let p = f.unwrap().path();
                let filt = std::env::args().nth(3).unwrap_or_default();
                if p.extension().is_some_and(|e| e == "html") && p.to_string_lossy().contains(&filt)
                {
                    pages.push(std::fs::read_to_string(p).unwrap());
                }
            }
        }
    }
    let t = std::time::Instant::now();
    for _ in 0..n {
        for h in &pages {
            let f = detectors::tmp_prefilter(h);
            if mode == "parse" {
                std::hint::black_box(scraper::Html::parse_document(&f));
            }
            std::hint::black_box(f);
        }
    }
    eprintln!(
        "{} pages: {:?} per round",
        pages.len(),
        t.elapsed() / n as u32
    );
}
