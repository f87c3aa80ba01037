//! The fixtures cover what the detectors issue asks of them: every page kind, a page with
//! fields recognised as each ATS the detectors know (a form; for Workday, whose captured
//! pages are its create-account wall, that wall), and ATS validation errors mapped to a
//! field. The
//! per-fixture checks are in `fixtures.rs`; this reads their expected files.
//!
//! ```text
//! cargo test -p detectors --test fixture_coverage
//! ```

// Test code: an unwrap that fails is the failure report.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use engine_core::{PageKind, ProviderId};
use serde_json::Value;

/// Every page kind, once. Adding a variant to `PageKind` breaks `kind_tag` below until it is
/// listed here too, and then this test until a fixture shows it.
fn all_kinds() -> Vec<PageKind> {
    vec![
        PageKind::Form,
        PageKind::Loading,
        PageKind::Confirmation,
        PageKind::Expired,
        PageKind::LoginWall,
        PageKind::Captcha,
        PageKind::Handoff {
            url: String::new(),
            provider: None,
        },
        PageKind::NoApplication,
        PageKind::AtsError {
            message: String::new(),
        },
    ]
}

/// The `kind` tag a page kind has in JSON.
fn kind_tag(kind: &PageKind) -> &'static str {
    match kind {
        PageKind::Form => "form",
        PageKind::Loading => "loading",
        PageKind::Confirmation => "confirmation",
        PageKind::Expired => "expired",
        PageKind::LoginWall => "login_wall",
        PageKind::Captcha => "captcha",
        PageKind::Handoff { .. } => "handoff",
        PageKind::NoApplication => "no_application",
        PageKind::AtsError { .. } => "ats_error",
    }
}

/// `(directory, expected analysis)` for every fixture with an expected file.
fn expected_analyses() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut analyses = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let ats = dir.file_name().unwrap().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            if path.to_string_lossy().ends_with(".expected.json") {
                let text = std::fs::read_to_string(&path).unwrap();
                analyses.push((ats.clone(), serde_json::from_str(&text).unwrap()));
            }
        }
    }
    analyses
}

#[test]
fn every_page_kind_has_a_fixture() {
    let analyses = expected_analyses();
    let missing: Vec<&str> = all_kinds()
        .iter()
        .map(kind_tag)
        .filter(|tag| {
            !analyses
                .iter()
                .any(|(_, analysis)| analysis["kind"]["kind"] == *tag)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no fixture shows these page kinds: {missing:?}"
    );
}

#[test]
fn every_ats_has_a_fixture_with_fields() {
    let analyses = expected_analyses();
    let missing: Vec<&str> = ProviderId::KNOWN
        .iter()
        .map(ProviderId::as_str)
        .filter(|ats| {
            !analyses.iter().any(|(dir, analysis)| {
                let provider = analysis["provider"].as_str().unwrap_or("generic");
                dir == ats
                    && provider == *ats
                    && analysis["fields"].as_array().is_some_and(|f| !f.is_empty())
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no `fixtures/<ats>/` page with fields recognised as: {missing:?}"
    );
}

#[test]
fn a_fixture_maps_ats_errors_to_fields() {
    let mapped = expected_analyses().iter().any(|(_, analysis)| {
        analysis["errors"]
            .as_array()
            .is_some_and(|errors| errors.iter().any(|error| error["field_id"].is_string()))
    });
    assert!(
        mapped,
        "no fixture shows ATS validation errors mapped to a field_id"
    );
}
