//! One test per fixture page: `fixtures/<ats>/NAME.html` is analysed and compared with
//! `fixtures/<ats>/NAME.expected.json` beside it.
//!
//! ```text
//! cargo test -p detectors --test fixtures                     # check every fixture
//! cargo test -p detectors --test fixtures -- lever/           # only the Lever ones
//! UPDATE_EXPECT=1 cargo test -p detectors --test fixtures     # (re)write the expected files
//! ```
//!
//! A fixture's first line is `<!-- url: https://... -->`: the URL the snapshot came from.
//! The expected file is the pretty JSON of the analysis without its diagnostics and its
//! `form_frame` (a fixture is one document): provider, kind, fields (every wire field),
//! controls and errors. Diagnostics are wording for people and change often; leaving them
//! out keeps the expected files about behaviour. After an update, read the diff in git
//! before keeping it.

use std::path::Path;

use engine_core::Snapshot;

/// Where the fixtures live, relative to this crate (`crates/detectors`).
const FIXTURES_ROOT: &str = "../../fixtures";

/// A failure message printed as is: the harness prints errors with `{:?}`, which would
/// quote a `String` and turn the diff's newlines into `\n`.
struct Failure(String);

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

fn fail(message: String) -> datatest_stable::Result<()> {
    Err(Box::new(Failure(message)))
}

fn check(path: &Path, html: String) -> datatest_stable::Result<()> {
    let Some(url) = snapshot_url(&html) else {
        return fail(format!(
            "{}: the first line must be `<!-- url: https://... -->`, the URL the page came from",
            path.display()
        ));
    };
    let analysis = detectors::analyse(&Snapshot::new(url, html.as_str()));
    let mut actual = serde_json::to_value(&analysis)?;
    if let Some(object) = actual.as_object_mut() {
        object.remove("diagnostics");
        object.remove("form_frame");
    }
    let actual = serde_json::to_string_pretty(&actual)? + "\n";

    let expected_path = path.with_extension("expected.json");
    if std::env::var("UPDATE_EXPECT").is_ok_and(|value| !value.is_empty()) {
        std::fs::write(&expected_path, &actual)?;
        return Ok(());
    }
    let expected = match std::fs::read_to_string(&expected_path) {
        Ok(expected) => expected,
        Err(error) => {
            return fail(format!(
                "{}: no expected output ({error}); write it with \
                 `UPDATE_EXPECT=1 cargo test -p detectors --test fixtures` and review it",
                expected_path.display()
            ));
        }
    };
    if expected != actual {
        let diff = similar::TextDiff::from_lines(&expected, &actual)
            .unified_diff()
            .context_radius(4)
            .header("expected", "actual")
            .to_string();
        return fail(format!(
            "{}: the analysis differs from {} (- expected, + actual); if the change is \
             intended, rerun with UPDATE_EXPECT=1\n{diff}",
            path.display(),
            expected_path.display()
        ));
    }
    Ok(())
}

/// The URL in the fixture's first line, `<!-- url: https://... -->`.
fn snapshot_url(html: &str) -> Option<&str> {
    let first_line = html.lines().next()?.trim();
    let url = first_line
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("url:")?
        .trim();
    (!url.is_empty()).then_some(url)
}

datatest_stable::harness! {
    { test = check, root = FIXTURES_ROOT, pattern = r"^[^/]+/[^/]+\.html$" },
}
