//! Page detectors (see issue 3).
#![deny(missing_docs)]

use engine_core::{Detector, PageAnalysis, PageKind, ProviderId, Snapshot};

/// The detector for every supported ATS and any other HTML form.
#[derive(Clone, Debug, Default)]
pub struct AtsDetector;

impl AtsDetector {
    /// A detector.
    pub fn new() -> Self {
        AtsDetector
    }
}

impl Detector for AtsDetector {
    fn analyse(&self, snapshot: &Snapshot) -> PageAnalysis {
        analyse(snapshot)
    }
}

/// Reads one snapshot: provider, fields, page kind, controls and ATS errors.
pub fn analyse(snapshot: &Snapshot) -> PageAnalysis {
    let mut analysis = PageAnalysis::of_kind(PageKind::NoApplication);
    analysis.provider = identify_provider(&snapshot.url, &snapshot.html);
    analysis
}

/// The ATS behind a page, from its URL and then from markers in its HTML.
pub fn identify_provider(_url: &str, _html: &str) -> Option<ProviderId> {
    None
}
