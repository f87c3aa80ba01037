//! A [`Driver`] that replays saved pages, for tests of the layers above the browser.
//!
//! A [`FakeSite`] is a set of named pages, each a snapshot plus (optionally) the analysis a
//! detector should give it, and the links between them: clicking a selector on a page, or
//! filling a field, moves to another page. Every call is logged so tests can assert what the
//! "browser" was asked to do. [`FakeSite::detector`] reads the scripted analyses back; pages
//! without one need a real detector.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use url::Url;

use crate::driver::{
    ClickOutcome, Driver, DriverError, DriverErrorKind, FillPlan, FillReport, FillValue, Page,
};
use crate::page::{Control, ControlKind, Controls, Detector, PageAnalysis, PageKind, Snapshot};
use crate::wire::{Field, ProviderId, ValidationError};

/// One saved page.
#[derive(Clone, Debug)]
pub struct FakePage {
    /// The URL the page reports.
    pub url: String,
    /// Its HTML.
    pub html: String,
    /// What a detector should make of it; `None` leaves it to a real detector.
    pub analysis: Option<PageAnalysis>,
}

impl FakePage {
    /// A page at `url` that a detector reads as `analysis`.
    pub fn analysed(url: &str, analysis: PageAnalysis) -> FakePage {
        FakePage {
            url: url.to_owned(),
            html: "<html></html>".to_owned(),
            analysis: Some(analysis),
        }
    }
}

/// A form page's analysis: `fields`, and Next/Submit controls found by these selectors (their
/// text is the selector without `#`).
pub fn form_analysis(
    provider: Option<ProviderId>,
    fields: Vec<Field>,
    next: Option<&str>,
    submit: Option<&str>,
) -> PageAnalysis {
    let control = |kind, selector: &str| Control {
        kind,
        selector: selector.to_owned(),
        text: selector.trim_start_matches('#').to_owned(),
    };
    let mut analysis = PageAnalysis::of_kind(PageKind::Form);
    analysis.provider = provider;
    analysis.fields = fields;
    analysis.controls = Controls {
        next: next.map(|s| control(ControlKind::Next, s)),
        submit: submit.map(|s| control(ControlKind::Submit, s)),
        back: None,
    };
    analysis
}

/// Something the fake browser was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FakeCall {
    /// A page was opened at this URL.
    Open(String),
    /// A field was filled on a page (page name, field id, value).
    Fill(String, String, FillValue),
    /// A control was clicked on a page (page name, selector).
    Click(String, String),
    /// A page was closed.
    Close,
}

#[derive(Default)]
struct SiteData {
    pages: HashMap<String, FakePage>,
    start: HashMap<String, String>,
    clicks: HashMap<(String, String), String>,
    fills: HashMap<(String, String), String>,
    refused: Vec<String>,
    failing_clicks: HashMap<(String, String), DriverError>,
    loading_reads: HashMap<String, usize>,
    unavailable: bool,
    fill_delay: Duration,
    log: Vec<FakeCall>,
}

/// A scripted website and the fake browser that visits it.
#[derive(Clone, Default)]
pub struct FakeSite {
    data: Arc<Mutex<SiteData>>,
}

fn marker(name: &str) -> String {
    format!("<!-- fake-page:{name} -->")
}

impl FakeSite {
    /// An empty site.
    pub fn new() -> Self {
        FakeSite::default()
    }

    fn data(&self) -> std::sync::MutexGuard<'_, SiteData> {
        self.data.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a page under `name`; opening `page.url` lands on the first page added for it.
    pub fn page(&self, name: &str, page: FakePage) -> &Self {
        let mut data = self.data();
        data.start
            .entry(page.url.clone())
            .or_insert_with(|| name.to_owned());
        data.pages.insert(name.to_owned(), page);
        self
    }

    /// Clicking `selector` on page `from` leads to page `to`.
    pub fn click(&self, from: &str, selector: &str, to: &str) -> &Self {
        self.data()
            .clicks
            .insert((from.to_owned(), selector.to_owned()), to.to_owned());
        self
    }

    /// Filling `field_id` on page `from` turns it into page `to` (a conditional question).
    pub fn reveal(&self, from: &str, field_id: &str, to: &str) -> &Self {
        self.data()
            .fills
            .insert((from.to_owned(), field_id.to_owned()), to.to_owned());
        self
    }

    /// Filling `field_id` never takes: the fill reports it as a problem.
    pub fn refuse(&self, field_id: &str) -> &Self {
        self.data().refused.push(field_id.to_owned());
        self
    }

    /// Clicking `selector` on page `from` fails with `error`.
    pub fn fail_click(&self, from: &str, selector: &str, error: DriverError) -> &Self {
        self.data()
            .failing_clicks
            .insert((from.to_owned(), selector.to_owned()), error);
        self
    }

    /// The first `reads` snapshots of page `name` show a still-rendering shell.
    pub fn loading(&self, name: &str, reads: usize) -> &Self {
        self.data().loading_reads.insert(name.to_owned(), reads);
        self
    }

    /// Every open fails as if no browser could be had.
    pub fn unavailable(&self) -> &Self {
        self.data().unavailable = true;
        self
    }

    /// Each fill takes this long (to make overlapping calls observable).
    pub fn fill_delay(&self, delay: Duration) -> &Self {
        self.data().fill_delay = delay;
        self
    }

    /// Everything the browser was asked to do, in order.
    pub fn log(&self) -> Vec<FakeCall> {
        self.data().log.clone()
    }

    /// The clicks made, as (page name, selector).
    pub fn clicks(&self) -> Vec<(String, String)> {
        self.log()
            .into_iter()
            .filter_map(|call| match call {
                FakeCall::Click(page, selector) => Some((page, selector)),
                _ => None,
            })
            .collect()
    }

    /// How many opened pages are not closed yet.
    pub fn open_pages(&self) -> usize {
        let log = self.log();
        let opened = log
            .iter()
            .filter(|c| matches!(c, FakeCall::Open(_)))
            .count();
        let closed = log.iter().filter(|c| matches!(c, FakeCall::Close)).count();
        opened - closed.min(opened)
    }

    /// The driver that visits this site.
    pub fn driver(&self) -> FakeDriver {
        FakeDriver { site: self.clone() }
    }

    /// A detector that returns each page's scripted analysis.
    pub fn detector(&self) -> FakeDetector {
        FakeDetector { site: self.clone() }
    }
}

/// The fake browser.
#[derive(Clone)]
pub struct FakeDriver {
    site: FakeSite,
}

#[async_trait]
impl Driver for FakeDriver {
    async fn open(&self, url: &Url) -> Result<Box<dyn Page>, DriverError> {
        let mut data = self.site.data();
        if data.unavailable {
            return Err(DriverError::new(
                DriverErrorKind::Unavailable,
                "no WebDriver endpoint answered at http://127.0.0.1:9 (fake)",
            ));
        }
        data.log.push(FakeCall::Open(url.to_string()));
        let current = data.start.get(url.as_str()).cloned();
        Ok(Box::new(FakeBrowserPage {
            site: self.site.clone(),
            current,
            requested: url.to_string(),
        }))
    }
}

struct FakeBrowserPage {
    site: FakeSite,
    current: Option<String>,
    requested: String,
}

#[async_trait]
impl Page for FakeBrowserPage {
    async fn snapshot(&mut self) -> Result<Snapshot, DriverError> {
        let mut data = self.site.data();
        let Some(name) = self.current.clone() else {
            return Ok(Snapshot::new(
                &self.requested,
                "<html><body>Not Found</body></html>",
            ));
        };
        if let Some(left) = data.loading_reads.get_mut(&name)
            && *left > 0
        {
            *left -= 1;
            let url = data
                .pages
                .get(&name)
                .map(|p| p.url.clone())
                .unwrap_or_default();
            return Ok(Snapshot::new(
                url,
                format!("{}<div id=\"root\"></div>", marker("loading")),
            ));
        }
        let page = data.pages.get(&name).ok_or_else(|| {
            DriverError::new(
                DriverErrorKind::SessionLost,
                format!("fake page `{name}` is missing"),
            )
        })?;
        Ok(Snapshot::new(
            &page.url,
            format!("{}{}", marker(&name), page.html),
        ))
    }

    async fn fill(&mut self, plan: &FillPlan) -> Result<FillReport, DriverError> {
        let delay = self.site.data().fill_delay;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let mut data = self.site.data();
        let name = self.current.clone().unwrap_or_default();
        let mut report = FillReport::default();
        for step in &plan.steps {
            let id = &step.field.field_id;
            data.log
                .push(FakeCall::Fill(name.clone(), id.clone(), step.value.clone()));
            if data.refused.contains(id) {
                report.problems.push(ValidationError::field(
                    id,
                    "the page did not keep the value that was filled in",
                ));
            }
            if let Some(next) = data.fills.get(&(name.clone(), id.clone())).cloned() {
                self.current = Some(next);
            }
        }
        Ok(report)
    }

    async fn click(
        &mut self,
        control: &Control,
        _frame: Option<usize>,
    ) -> Result<ClickOutcome, DriverError> {
        let mut data = self.site.data();
        let name = self.current.clone().unwrap_or_default();
        data.log
            .push(FakeCall::Click(name.clone(), control.selector.clone()));
        let key = (name, control.selector.clone());
        if let Some(err) = data.failing_clicks.get(&key) {
            return Err(err.clone());
        }
        match data.clicks.get(&key).cloned() {
            Some(next) => {
                self.current = Some(next);
                Ok(ClickOutcome::Navigated)
            }
            None => Ok(ClickOutcome::Unchanged),
        }
    }

    async fn pause(&mut self, _duration: Duration) {
        // Replayed pages need no real waiting.
        tokio::task::yield_now().await;
    }

    async fn close(self: Box<Self>) {
        self.site.data().log.push(FakeCall::Close);
    }
}

/// Returns the scripted analysis of each fake page.
#[derive(Clone)]
pub struct FakeDetector {
    site: FakeSite,
}

impl Detector for FakeDetector {
    fn analyse(&self, snapshot: &Snapshot) -> PageAnalysis {
        let data = self.site.data();
        let name = snapshot
            .html
            .strip_prefix("<!-- fake-page:")
            .and_then(|rest| rest.split_once(" -->"))
            .map(|(name, _)| name.to_owned());
        match name.as_deref() {
            Some("loading") => PageAnalysis::of_kind(PageKind::Loading),
            Some(name) => data
                .pages
                .get(name)
                .and_then(|p| p.analysis.clone())
                .unwrap_or_else(|| PageAnalysis::of_kind(PageKind::NoApplication)),
            None => PageAnalysis::of_kind(PageKind::NoApplication),
        }
    }
}
