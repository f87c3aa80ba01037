//! No input makes a detector panic: random text, random tag soup made of form markup, and
//! corpus pages cut, punched and stitched, each with random (often invalid) URLs and frames,
//! go through `detectors::analyse`, the `AtsDetector` and `identify_provider`.
//!
//! ```text
//! cargo test -p detectors --test no_panic
//! PROPTEST_CASES=2000 cargo test --release -p detectors --test no_panic   # a longer hunt
//! ```
//!
//! Case counts are modest so a debug build on two cores stays quick; `PROPTEST_CASES`
//! overrides them all.

// Test code: an unwrap that fails is the failure report.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::LazyLock;

use common::{corpus_dir, corpus_pages};
use detectors::AtsDetector;
use engine_core::{Detector, FrameSnapshot, Snapshot};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// The corpus pages, read once for all mutation cases.
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = corpus_dir();
    corpus_pages(&dir)
        .iter()
        .map(|page| std::fs::read_to_string(dir.join(page)).unwrap())
        .collect()
});

fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default_cases);
    Config::with_cases(cases)
}

/// Runs every entry point; the assertion is that none of them panics.
fn run_all(snapshot: &Snapshot) {
    let analysis = detectors::analyse(snapshot);
    // The trait object must read the same page the same way (and not panic either).
    assert_eq!(AtsDetector::new().analyse(snapshot), analysis);
    let _ = detectors::identify_provider(&snapshot.url, &snapshot.html);
    for frame in &snapshot.frames {
        let _ = detectors::identify_provider(&frame.url, &frame.html);
    }
}

fn urls() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("not a url".to_owned()),
        Just("http://".to_owned()),
        Just("javascript:alert(1)".to_owned()),
        Just("https://job-boards.greenhouse.io/acme/jobs/123".to_owned()),
        Just("https://boards.greenhouse.io/embed/job_app?for=acme&token=1".to_owned()),
        Just("https://careers.example.com/job?gh_jid=".to_owned()),
        Just("https://jobs.lever.co/acme/0000/apply".to_owned()),
        Just("https://jobs.ashbyhq.com/acme/00000000-0000/application".to_owned()),
        Just("https://acme.wd1.myworkdayjobs.com/en-US/x/job/y/apply".to_owned()),
        Just("https://apply.workable.com/acme/j/ABC/apply/".to_owned()),
        Just("https://[::1]:99999/%zz?#".to_owned()),
        Just("https://ÿ.例え.テスト/ü?q=✱".to_owned()),
        "[a-z:/.?=#&%]{0,40}",
        any::<String>(),
    ]
}

/// Text that means something to a detector, and some that means nothing.
fn words() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Submit application".to_owned()),
        Just("Next".to_owned()),
        Just("Continue".to_owned()),
        Just("Thank you for applying".to_owned()),
        Just("This job is no longer available".to_owned()),
        Just("Sign in".to_owned()),
        Just("First Name*".to_owned()),
        Just("✱".to_owned()),
        Just("Attach".to_owned()),
        Just("Yes".to_owned()),
        Just("&amp;&#0;&#xFFFFFF;&bogus;".to_owned()),
        "[ -~]{0,12}",
        any::<String>().prop_map(|text| text.chars().take(12).collect()),
    ]
}

fn attribute() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "type",
        "id",
        "name",
        "for",
        "required",
        "aria-required",
        "aria-label",
        "aria-labelledby",
        "aria-hidden",
        "role",
        "data-field-path",
        "data-qa",
        "data-ui",
        "placeholder",
        "accept",
        "autocomplete",
        "src",
        "href",
        "value",
        "hidden",
        "style",
        "multiple",
        "disabled",
    ]);
    let values = prop_oneof![
        prop::sample::select(vec![
            "text",
            "hidden",
            "file",
            "radio",
            "checkbox",
            "submit",
            "button",
            "email",
            "tel",
            "combobox",
            "true",
            "first_name",
            "email",
            "resume",
            "question_1",
            "cards[x][field0]",
            "eeo[gender]",
            "_systemfield_name",
            "multiple-choice",
            "display:none",
            "application-form",
            "https://boards.greenhouse.io/embed/job_app?token=1",
            "",
        ])
        .prop_map(str::to_owned),
        words(),
    ];
    (names, values, any::<bool>()).prop_map(|(name, value, bare)| {
        if bare {
            name.to_owned()
        } else {
            format!("{name}=\"{value}\"")
        }
    })
}

/// Form markup: nested elements with random attributes, some left unclosed.
fn tag_soup() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        words(),
        Just("<br>".to_owned()),
        Just("</div></form>".to_owned()),
        Just("<input type=\"hidden\" name=\"token\" value=\"x\">".to_owned()),
    ];
    leaf.prop_recursive(8, 128, 6, |inner| {
        // Form controls, labels and buttons are listed twice to come up more often.
        let tags = prop::sample::select(vec![
            "form", "input", "input", "select", "select", "option", "textarea", "label", "label",
            "iframe", "div", "span", "fieldset", "legend", "button", "button", "ul", "li", "h2",
            "template", "a", "p", "table",
        ]);
        (
            tags,
            prop::collection::vec(attribute(), 0..4),
            prop::collection::vec(inner, 0..6),
            any::<bool>(),
        )
            .prop_map(|(tag, attributes, children, closed)| {
                let mut html = format!("<{tag} {}>", attributes.join(" "));
                html.push_str(&children.concat());
                if closed {
                    html.push_str(&format!("</{tag}>"));
                }
                html
            })
    })
}

/// A page: several pieces of soup, often inside one `<form>`.
fn soup_page() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(tag_soup(), 1..8)).prop_map(|(in_form, pieces)| {
        let body = pieces.concat();
        if in_form {
            format!("<!doctype html><html><body><form id=\"application-form\">{body}</form>")
        } else {
            body
        }
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Keep the bytes before the offset.
    Cut(usize),
    /// Delete `len` bytes at an offset.
    Delete(usize, usize),
    /// Copy `len` bytes at the first offset to the second.
    Duplicate(usize, usize, usize),
    /// Insert markup at an offset.
    Insert(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Offsets are fractions of the page, scaled once the page is known.
    prop_oneof![
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 1usize..4096, any::<usize>())
            .prop_map(|(from, len, to)| Mutation::Duplicate(from, len, to)),
        (any::<usize>(), tag_soup()).prop_map(|(at, soup)| Mutation::Insert(at, soup)),
    ]
}

/// Applies the mutations to the page's bytes; broken UTF-8 becomes U+FFFD, as a browser
/// decoding a damaged page would show it.
fn mutate(page: &str, mutations: &[Mutation]) -> String {
    let mut bytes = page.as_bytes().to_vec();
    for mutation in mutations {
        let len = bytes.len().max(1);
        match mutation {
            Mutation::Cut(at) => bytes.truncate(at % len),
            Mutation::Delete(at, count) => {
                let start = at % len;
                let end = (start + count).min(bytes.len());
                bytes.drain(start.min(end)..end);
            }
            Mutation::Duplicate(from, count, to) => {
                let start = (from % len).min(bytes.len());
                let end = (start + count).min(bytes.len());
                let chunk = bytes[start..end].to_vec();
                let at = (to % len).min(bytes.len());
                bytes.splice(at..at, chunk);
            }
            Mutation::Insert(at, soup) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, soup.bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn frames() -> impl Strategy<Value = Vec<FrameSnapshot>> {
    prop::collection::vec(
        (0usize..4, urls(), soup_page()).prop_map(|(index, url, html)| FrameSnapshot {
            index,
            url,
            html,
        }),
        0..3,
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_text_never_panics(url in urls(), html in any::<String>()) {
        run_all(&Snapshot::new(url, html));
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn form_tag_soup_never_panics(url in urls(), html in soup_page(), frames in frames()) {
        run_all(&Snapshot { url, html, frames });
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn mutated_corpus_pages_never_panic(
        page in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
        url in urls(),
        frames in frames(),
    ) {
        let original = &CORPUS[page.index(CORPUS.len())];
        run_all(&Snapshot { url, html: mutate(original, &mutations), frames });
    }
}
