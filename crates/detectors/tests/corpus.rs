//! Scores the detectors against the real pages in `../shared/corpus` (next to the checkout;
//! CI has it there too).
//!
//! ```text
//! cargo test -p detectors --test corpus -- --nocapture    # prints the per-page table
//! ```
//!
//! For every `X.html` with ground truth, the page goes through `detectors::analyse` with its
//! URL and the reported fields are matched with the ground-truth questions. Per page it
//! prints recall (questions found), precision (reported fields that are a question, each
//! question once: a duplicate counts against), F1, type and required-flag agreement, and the
//! missed and extra keys. Per ATS it asserts the floors in [`THRESHOLDS`].
//!
//! # Ground truth
//! `X.fields.json` lists what a browser saw (Applypilot inventory: `key` is `#id`,
//! `name=NAME`, `radio=NAME`, `label=TEXT` or `ariaradio=TEXT`, plus `type`, `label`,
//! `visible`, `required`, `disabled`, `readOnly`). It lists more than questions, so the
//! entries are read with these rules, written from what occurs in the data:
//! - not questions: read-only or disabled inputs (BambooHR's "Link to This Job"), buttons,
//!   honeypots ("Please leave this field blank", "for robots only"), captcha response
//!   textareas, the site's language picker, anything inside frames (captcha, language);
//! - invisible entries are not questions, except the hidden inputs that hold the state of a
//!   visible custom control: a checkbox labelled "Yes"/"No" (Ashby's yes/no buttons), a
//!   labelled `<select>` (BambooHR's dropdowns) and a required file input (BambooHR's
//!   "Choose File" buttons). The other hidden file input, Ashby's autofill-from-resume
//!   helper, is not a question; nor is SmartRecruiters' first upload, its apply-with-resume
//!   autofill (`oc-apply-with-resume`; the resume question is the later `oc-resume-upload`);
//! - Workable's `#city`, `#postcode`, `#country` with no label are not questions: aria-hidden
//!   inputs in a 1px box that its address autocomplete fills (the inventory calls them
//!   visible);
//! - Greenhouse lists each combobox twice: the `label=` text entry right after a combobox
//!   with the same label (or "Select...") is its twin, not a question;
//! - entries with the same `name=`/`radio=` key are one question (a radio or checkbox
//!   group); an `ariaradio=` entry is the same question as the `radio=` entry with its label
//!   (BambooHR, Workable), or one question per label when there is none;
//! - a visible "Country code" picker just before a phone input is optional: part of the
//!   phone question, so reporting it or not both score nothing;
//! - required: any entry of the question says so, or its label carries a `*`/`✱` marker
//!   (BambooHR's inventory says `required: false` for "First Name *"). Uploads, radio
//!   groups, checkboxes and comboboxes show "required" on a wrapper or in the label's styling
//!   (Greenhouse's `role=group aria-required` upload, Ashby's `_required_` label class),
//!   which the inventory does not see: for those, its `false` is not checked.
//!
//! `X.expected.json` (prefill schema, `fields[].field.id|name`) lists the questions of a
//! page without types or required flags and without uploads (prefill fills none): recall and
//! precision only, and a reported upload counts neither way. A trimmed copy of a page
//! with an inventory (see "Pairs" in SOURCES.md) is scored against that inventory.
//!
//! # Matching
//! A question matches a reported field, each field used once, in three passes: by key
//! (`#id` ↔ `field_id`, `name` or an id in `selector`; `name=N` ↔ `name` or `field_id`, or
//! Ashby's radio name `<entry>_<field_id>`), then by label (the ground-truth label, cleaned,
//! equal to or starting with the field's label or placeholder), then uploads keyed only by
//! button text (`label=file-input`) with reported file fields in page order.
//!
//! Pages with no ground truth at all must not panic and, where they hold form controls,
//! must come out as a form with fields.

// Test code: an unwrap that fails is the failure report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::{corpus_dir, corpus_pages};
use engine_core::{Field, FieldType, PageAnalysis, PageKind, Snapshot};
use serde::Deserialize;

/// Floors per ATS (the directory name in the corpus): `target_f1` is what the issue asks
/// for, the `floor_*` values are what this test asserts (each page's F1; type and
/// required-flag agreement pooled per ATS). A floor below its target marks a known gap; the
/// table printed by the test shows both. Raise the floors as the detectors improve; never
/// lower one without saying why.
const THRESHOLDS: &[Threshold] = &[
    Threshold::new("greenhouse", 0.95, 1.0, 1.0, 1.0),
    Threshold::new("lever", 0.95, 1.0, 1.0, 1.0),
    Threshold::new("ashby", 0.95, 1.0, 1.0, 1.0),
    Threshold::new("bamboohr", 0.85, 1.0, 1.0, 1.0),
    Threshold::new("jobvite", 0.85, 1.0, 1.0, 1.0),
    Threshold::new("smartrecruiters", 0.85, 1.0, 1.0, 1.0),
    Threshold::new("workable", 0.85, 1.0, 1.0, 1.0),
    Threshold::new("workday", 0.85, 1.0, 1.0, 1.0),
];

/// Trimmed copies of a page scored against the inventory of the full capture (SOURCES.md,
/// "Pairs and duplicates").
const PAIRS: &[(&str, &str)] = &[
    (
        "lever/prefill-lever-rover.html",
        "lever/applypilot-lever-rover-swe.fields.json",
    ),
    (
        "greenhouse/garnerhealth_associate-applied-scientist_job-boards_rendered-form.html",
        "greenhouse/applypilot-gh-garnerhealth-applied-scientist.fields.json",
    ),
    (
        "smartrecruiters/prefill-smartrecruiters-bosch.html",
        "smartrecruiters/applypilot-sr-bosch-intern.fields.json",
    ),
];

/// The URL of a page whose capture names none, per corpus directory.
const DEFAULT_URLS: &[(&str, &str)] = &[
    ("ashby", "https://jobs.ashbyhq.com/"),
    ("bamboohr", "https://example.bamboohr.com/careers/"),
    ("greenhouse", "https://boards.greenhouse.io/"),
    ("jazzhr", "https://example.applytojob.com/apply/"),
    ("jobvite", "https://jobs.jobvite.com/"),
    ("lever", "https://jobs.lever.co/"),
    (
        "smartrecruiters",
        "https://jobs.smartrecruiters.com/oneclick-ui/",
    ),
    ("workable", "https://apply.workable.com/"),
    ("workday", "https://example.wd1.myworkdayjobs.com/"),
];

struct Threshold {
    ats: &'static str,
    target_f1: f64,
    floor_f1: f64,
    floor_type: f64,
    floor_required: f64,
}

impl Threshold {
    const fn new(
        ats: &'static str,
        target_f1: f64,
        floor_f1: f64,
        floor_type: f64,
        floor_required: f64,
    ) -> Self {
        Threshold {
            ats,
            target_f1,
            floor_f1,
            floor_type,
            floor_required,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Ground truth
// ---------------------------------------------------------------------------------------

/// An Applypilot field inventory (`X.fields.json`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Inventory {
    source_url: Option<String>,
    final_url: Option<String>,
    fields: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    key: String,
    #[serde(rename = "type")]
    kind: String,
    label: Option<String>,
    #[serde(default)]
    visible: bool,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    disabled: bool,
    #[serde(default)]
    read_only: bool,
}

/// A prefill expected-fill file (`X.expected.json`).
#[derive(Deserialize)]
struct ExpectedFill {
    source: Option<String>,
    fields: Vec<ExpectedFillEntry>,
}

#[derive(Deserialize)]
struct ExpectedFillEntry {
    field: ExpectedFillKey,
}

#[derive(Deserialize)]
struct ExpectedFillKey {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    Id(String),
    Name(String),
    Label(String),
}

impl Key {
    fn parse(key: &str) -> Key {
        if let Some(id) = key.strip_prefix('#') {
            return Key::Id(id.to_owned());
        }
        for prefix in ["name=", "radio="] {
            if let Some(name) = key.strip_prefix(prefix) {
                return Key::Name(name.to_owned());
            }
        }
        for prefix in ["label=", "ariaradio="] {
            if let Some(label) = key.strip_prefix(prefix) {
                return Key::Label(label.to_owned());
            }
        }
        Key::Label(key.to_owned())
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Id(id) => write!(f, "#{id}"),
            Key::Name(name) => write!(f, "name={name}"),
            Key::Label(label) => write!(f, "label={}", shorten(label, 40)),
        }
    }
}

/// One question a person answers, from the ground truth.
#[derive(Debug)]
struct Question {
    key: Key,
    label: String,
    /// The inventory's type; `None` when the ground truth has no types.
    gt_type: Option<String>,
    required: Option<bool>,
    /// The hidden checkbox behind Ashby's Yes/No buttons (a radio or a checkbox both do).
    yes_no: bool,
    /// Reporting it or not scores nothing (a phone question's country-code picker).
    optional: bool,
}

struct GroundTruth {
    questions: Vec<Question>,
    /// Entries that are not questions, with the rule that dropped them.
    dropped: Vec<(String, &'static str)>,
    /// Whether uploads are listed; prefill's expected-fill files leave them out, so a
    /// reported file field is neither right nor wrong there.
    lists_uploads: bool,
}

fn has_required_marker(label: &str) -> bool {
    let trimmed = label.trim();
    label.contains('✱') || trimmed.ends_with('*') || trimmed.starts_with('*')
}

fn is_yes_no(entry: &Entry) -> bool {
    entry.kind == "checkbox" && matches!(entry.label.as_deref().map(str::trim), Some("Yes" | "No"))
}

/// Why an entry is not a question, or `None` when it is one.
fn not_a_question(entry: &Entry) -> Option<&'static str> {
    let label = entry.label.as_deref().unwrap_or("").to_lowercase();
    if entry.visible
        && label.is_empty()
        && matches!(entry.key.as_str(), "#city" | "#postcode" | "#country")
    {
        // Workable: aria-hidden inputs in a 1px box that its address autocomplete fills.
        return Some("address part filled by the address question");
    }
    if entry.read_only || entry.disabled {
        return Some("read-only or disabled");
    }
    if matches!(
        entry.kind.as_str(),
        "submit" | "button" | "reset" | "image" | "hidden"
    ) {
        return Some("a button or hidden input");
    }
    if label.contains("leave this field blank") || label.contains("for robots only") {
        return Some("honeypot");
    }
    if entry.key.contains("captcha-response") {
        return Some("captcha response");
    }
    if entry.key == "#languageSelectorButton" {
        return Some("site language picker");
    }
    if !entry.visible {
        let backs_custom_control = is_yes_no(entry)
            || (entry.kind.starts_with("select") && !label.trim().is_empty())
            || (entry.kind == "file" && entry.required);
        if !backs_custom_control {
            return Some("not visible");
        }
    }
    None
}

fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn inventory_questions(ats: &str, entries: &[Entry]) -> GroundTruth {
    let mut questions: Vec<Question> = Vec::new();
    let mut dropped = Vec::new();
    // The kept entry before this one, to spot Greenhouse twins and phone pickers.
    let mut previous: Option<&Entry> = None;
    for (index, entry) in entries.iter().enumerate() {
        if let Some(reason) = not_a_question(entry) {
            dropped.push((entry.key.clone(), reason));
            continue;
        }
        if ats == "smartrecruiters" && index == 0 && entry.kind == "file" {
            // `oc-apply-with-resume`: fills the form from a resume; the resume question is
            // the later upload in `oc-resume-upload`.
            dropped.push((entry.key.clone(), "resume-autofill helper"));
            continue;
        }
        let key = Key::parse(&entry.key);
        let label = entry.label.clone().unwrap_or_default();
        let is_twin = matches!(key, Key::Label(_))
            && entry.kind == "text"
            && previous.is_some_and(|before| {
                before.kind == "combobox"
                    && (normalise(before.label.as_deref().unwrap_or("")) == normalise(&label)
                        || label.trim() == "Select...")
            });
        if is_twin {
            dropped.push((entry.key.clone(), "combobox text twin"));
            continue;
        }
        previous = Some(entry);
        let required = entry.required || has_required_marker(&label);
        // Uploads, radio groups, checkboxes and comboboxes carry "required" on a wrapper or
        // the label's styling (Greenhouse's upload group, Ashby's label class), which the
        // inventory does not see: its `false` there is no evidence.
        let required_unseen = matches!(
            entry.kind.as_str(),
            "file" | "radio" | "checkbox" | "combobox" | "aria-radiogroup"
        );
        let required = (required || !required_unseen).then_some(required);

        // One question per `name=`/`radio=` key; `ariaradio=` joins the radio with its label.
        let is_aria_radio = entry.key.starts_with("ariaradio=");
        let same_question = questions
            .iter_mut()
            .find(|question| match (&question.key, &key) {
                (Key::Name(a), Key::Name(b)) => a == b,
                _ => {
                    let involves_aria =
                        is_aria_radio || question.gt_type.as_deref() == Some("aria-radiogroup");
                    involves_aria
                        && question.gt_type.as_deref().is_some_and(is_radio_type)
                        && is_radio_type(&entry.kind)
                        && normalise(&question.label) == normalise(&label)
                }
            });
        if let Some(question) = same_question {
            question.required = match (question.required, required) {
                (Some(a), Some(b)) => Some(a || b),
                (Some(true), _) | (_, Some(true)) => Some(true),
                _ => None,
            };
            // The real radio names the question better than its aria twin.
            if !is_aria_radio && matches!(question.key, Key::Label(_)) {
                question.key = key;
                question.gt_type = Some(entry.kind.clone());
            }
            continue;
        }

        let next_visible = entries[index + 1..]
            .iter()
            .find(|next| not_a_question(next).is_none());
        let optional = entry.kind == "combobox"
            && normalise(&label) == "country code"
            && next_visible.is_some_and(|next| next.kind == "tel");
        questions.push(Question {
            key,
            label,
            gt_type: Some(entry.kind.clone()),
            required,
            yes_no: is_yes_no(entry),
            optional,
        });
    }
    GroundTruth {
        questions,
        dropped,
        lists_uploads: true,
    }
}

fn is_radio_type(kind: &str) -> bool {
    kind == "radio" || kind == "aria-radiogroup"
}

fn expected_fill_questions(fill: &ExpectedFill) -> GroundTruth {
    let questions = fill
        .fields
        .iter()
        .filter_map(|entry| {
            let key = match (&entry.field.id, &entry.field.name) {
                (Some(id), _) => Key::Id(id.clone()),
                (None, Some(name)) => Key::Name(name.clone()),
                (None, None) => return None,
            };
            Some(Question {
                key,
                label: String::new(),
                gt_type: None,
                required: None,
                yes_no: false,
                optional: false,
            })
        })
        .collect();
    GroundTruth {
        questions,
        dropped: Vec::new(),
        lists_uploads: false,
    }
}

/// The field types that agree with a ground-truth type.
fn accepted_types(question: &Question) -> Option<Vec<FieldType>> {
    let gt_type = question.gt_type.as_deref()?;
    let label = question.label.to_lowercase();
    let mut accepted = match gt_type {
        "text" | "email" | "tel" | "url" | "search" | "password" => vec![FieldType::Text],
        "number" => vec![FieldType::Number, FieldType::Text],
        "textarea" => vec![FieldType::Textarea, FieldType::Richtext],
        "select" | "select-one" => vec![FieldType::Select],
        "select-multiple" => vec![FieldType::Multiselect],
        "combobox" => vec![
            FieldType::Select,
            FieldType::Typeahead,
            FieldType::Multiselect,
        ],
        "radio" | "aria-radiogroup" => vec![FieldType::Radio],
        "checkbox" => vec![FieldType::Checkbox, FieldType::Toggle],
        "file" => vec![FieldType::File],
        "date" => vec![FieldType::Date],
        other => vec![FieldType::from(other)],
    };
    // An `<input type=text>` may well be a date picker or a location typeahead.
    if gt_type == "text" && label.contains("date") {
        accepted.push(FieldType::Date);
    }
    if gt_type == "text" && (label.contains("location") || label.contains("city")) {
        accepted.push(FieldType::Typeahead);
    }
    if question.yes_no {
        accepted.extend([FieldType::Radio, FieldType::Select]);
    }
    Some(accepted)
}

// ---------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------

fn selector_mentions(field: &Field, value: &str) -> bool {
    field.selector.as_deref().is_some_and(|selector| {
        selector
            .split(['#', '"', '\'', '[', ']', '=', ' ', ',', '>'])
            .any(|token| token == value)
    })
}

fn matches_key(question: &Question, field: &Field) -> bool {
    match &question.key {
        Key::Id(id) => {
            field.field_id == *id
                || field.name.as_deref() == Some(id.as_str())
                || selector_mentions(field, id)
        }
        Key::Name(name) => {
            field.field_id == *name
                || field.name.as_deref() == Some(name.as_str())
                || selector_mentions(field, name)
                // Ashby names a radio group `<entry uuid>_<field uuid>`.
                || name.ends_with(&format!("_{}", field.field_id))
        }
        Key::Label(_) => false,
    }
}

/// The ground-truth label (often with marker and button text after it) starts with the
/// field's label, or the other way round, at a word boundary.
fn labels_match(truth: &str, reported: &str) -> bool {
    let truth = normalise(truth);
    let reported = normalise(reported);
    if truth.len() < 3 || reported.len() < 3 {
        return false;
    }
    let (short, long) = if truth.len() <= reported.len() {
        (&truth, &reported)
    } else {
        (&reported, &truth)
    };
    long == short || (long.starts_with(short.as_str()) && long[short.len()..].starts_with(' '))
}

fn matches_label(question: &Question, field: &Field) -> bool {
    let truth = match &question.key {
        Key::Label(label) if question.label.is_empty() => label.as_str(),
        _ => question.label.as_str(),
    };
    labels_match(truth, &field.label)
        || field
            .placeholder
            .as_deref()
            .is_some_and(|placeholder| labels_match(truth, placeholder))
}

fn matches_upload_by_order(question: &Question, field: &Field) -> bool {
    matches!(question.key, Key::Label(_))
        && question.gt_type.as_deref() == Some("file")
        && field.field_type == FieldType::File
}

/// For each question, the index of the reported field it matched.
fn match_fields(questions: &[Question], fields: &[Field]) -> Vec<Option<usize>> {
    let mut matched: Vec<Option<usize>> = vec![None; questions.len()];
    let mut used = vec![false; fields.len()];
    let passes: [fn(&Question, &Field) -> bool; 3] =
        [matches_key, matches_label, matches_upload_by_order];
    for pass in passes {
        for (question_index, question) in questions.iter().enumerate() {
            if matched[question_index].is_some() {
                continue;
            }
            let found = fields
                .iter()
                .enumerate()
                .find(|(index, field)| !used[*index] && pass(question, field));
            if let Some((index, _)) = found {
                used[index] = true;
                matched[question_index] = Some(index);
            }
        }
    }
    matched
}

// ---------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct Counts {
    /// Questions (not optional) in the ground truth.
    questions: usize,
    /// Reported fields, less those matched to optional questions.
    reported: usize,
    /// Questions found.
    found: usize,
    type_checked: usize,
    type_right: usize,
    required_checked: usize,
    required_right: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.questions += other.questions;
        self.reported += other.reported;
        self.found += other.found;
        self.type_checked += other.type_checked;
        self.type_right += other.type_right;
        self.required_checked += other.required_checked;
        self.required_right += other.required_right;
    }

    fn recall(&self) -> f64 {
        ratio(self.found, self.questions)
    }

    fn precision(&self) -> f64 {
        ratio(self.found, self.reported)
    }

    fn f1(&self) -> f64 {
        let (recall, precision) = (self.recall(), self.precision());
        if recall + precision == 0.0 {
            0.0
        } else {
            2.0 * recall * precision / (recall + precision)
        }
    }

    fn type_accuracy(&self) -> f64 {
        ratio(self.type_right, self.type_checked)
    }

    fn required_accuracy(&self) -> f64 {
        ratio(self.required_right, self.required_checked)
    }
}

/// `part / whole`, with nothing to get counting as all right.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

struct PageScore {
    counts: Counts,
    missed: Vec<String>,
    extra: Vec<String>,
    wrong_type: Vec<String>,
    wrong_required: Vec<String>,
    /// `key → field_id (type)` for every match, to audit the matching.
    pairs: Vec<String>,
}

fn score(truth: &GroundTruth, fields: &[Field]) -> PageScore {
    let matched = match_fields(&truth.questions, fields);
    let mut counts = Counts {
        reported: fields.len(),
        ..Counts::default()
    };
    let mut missed = Vec::new();
    let mut wrong_type = Vec::new();
    let mut wrong_required = Vec::new();
    let mut pairs = Vec::new();
    for (question, field_index) in truth.questions.iter().zip(&matched) {
        if question.optional {
            // Neither a miss nor, when reported, an extra.
            if field_index.is_some() {
                counts.reported -= 1;
            }
            continue;
        }
        counts.questions += 1;
        let Some(field) = field_index.map(|index| &fields[index]) else {
            missed.push(question.key.to_string());
            continue;
        };
        counts.found += 1;
        pairs.push(format!(
            "{} → {} ({})",
            question.key, field.field_id, field.field_type
        ));
        if let Some(accepted) = accepted_types(question) {
            counts.type_checked += 1;
            if accepted.contains(&field.field_type) {
                counts.type_right += 1;
            } else {
                wrong_type.push(format!(
                    "{} ({} reported as {})",
                    question.key,
                    question.gt_type.as_deref().unwrap_or("?"),
                    field.field_type
                ));
            }
        }
        if let Some(required) = question.required {
            counts.required_checked += 1;
            if required == field.is_required {
                counts.required_right += 1;
            } else {
                wrong_required.push(format!(
                    "{} (required {required}, reported {})",
                    question.key, field.is_required
                ));
            }
        }
    }
    let unlisted_upload =
        |field: &Field| !truth.lists_uploads && field.field_type == FieldType::File;
    counts.reported -= fields
        .iter()
        .enumerate()
        .filter(|(index, field)| !matched.contains(&Some(*index)) && unlisted_upload(field))
        .count();
    let extra = fields
        .iter()
        .enumerate()
        .filter(|(index, field)| !matched.contains(&Some(*index)) && !unlisted_upload(field))
        .map(|(_, field)| format!("{} ({:?})", field.field_id, shorten(&field.label, 40)))
        .collect();
    PageScore {
        counts,
        missed,
        extra,
        wrong_type,
        wrong_required,
        pairs,
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        text.chars().take(max_chars).collect::<String>() + "…"
    }
}

// ---------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------

fn ats_of(page: &str) -> &str {
    page.split('/').next().unwrap_or(page)
}

/// A page's sibling with another suffix: `a/b.html` → `a/b.fields.json`.
fn sibling(corpus: &Path, page: &str, suffix: &str) -> PathBuf {
    corpus.join(page.trim_end_matches(".html").to_owned() + suffix)
}

struct Page {
    name: String,
    url: String,
    html: String,
    truth: Option<GroundTruth>,
    /// Where the ground truth comes from, when it is not the page's own inventory.
    truth_note: Option<&'static str>,
}

fn load_page(corpus: &Path, name: &str) -> Page {
    let html = std::fs::read_to_string(corpus.join(name)).unwrap();
    let paired = PAIRS
        .iter()
        .find(|(page, _)| *page == name)
        .map(|(_, inventory)| corpus.join(inventory));
    let own_inventory = sibling(corpus, name, ".fields.json");
    let inventory_path = if own_inventory.is_file() {
        Some(own_inventory)
    } else {
        paired.clone()
    };
    let inventory: Option<Inventory> = inventory_path
        .map(|path| serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap());
    let expected_fill_path = sibling(corpus, name, ".expected.json");
    let expected_fill: Option<ExpectedFill> = expected_fill_path.is_file().then(|| {
        serde_json::from_str(&std::fs::read_to_string(&expected_fill_path).unwrap()).unwrap()
    });

    let url = inventory
        .as_ref()
        .and_then(|inventory| inventory.final_url.clone().or(inventory.source_url.clone()))
        .or_else(|| expected_fill.as_ref().and_then(|fill| fill.source.clone()))
        .or_else(|| url_in_header(&html))
        .unwrap_or_else(|| default_url(ats_of(name)));

    // An inventory without fields (JazzHR's stub) is no ground truth.
    let from_inventory = inventory
        .as_ref()
        .and_then(|inventory| inventory.fields.as_deref())
        .map(|entries| inventory_questions(ats_of(name), entries));
    let (truth, truth_note) = match (from_inventory, expected_fill) {
        (Some(truth), _) if paired.is_some() => (Some(truth), Some("paired inventory")),
        (Some(truth), _) => (Some(truth), None),
        (None, Some(fill)) => (
            Some(expected_fill_questions(&fill)),
            Some("prefill expected-fill"),
        ),
        (None, None) => (None, None),
    };
    Page {
        name: name.to_owned(),
        url,
        html,
        truth,
        truth_note,
    }
}

/// The page URL named in a capture's header comment (`Source: https://...`).
fn url_in_header(html: &str) -> Option<String> {
    let header = html.get(..html.len().min(2000))?;
    let after = &header[header.find("Source:")? + "Source:".len()..];
    let word = after.split_whitespace().next()?;
    if word.starts_with("https://") || word.starts_with("http://") {
        Some(word.to_owned())
    } else if word.contains('.') && word.contains('/') {
        Some(format!("https://{word}"))
    } else {
        None
    }
}

fn default_url(ats: &str) -> String {
    DEFAULT_URLS
        .iter()
        .find(|(name, _)| *name == ats)
        .map_or("https://example.com/apply", |(_, url)| url)
        .to_owned()
}

fn analyse(page: &Page) -> PageAnalysis {
    let snapshot = Snapshot::new(page.url.as_str(), page.html.as_str());
    std::panic::catch_unwind(|| detectors::analyse(&snapshot))
        .unwrap_or_else(|_| panic!("the detectors panicked on {} ({})", page.name, page.url))
}

fn kind_name(kind: &PageKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| {
            value
                .get("kind")
                .and_then(|kind| kind.as_str().map(str::to_owned))
        })
        .unwrap_or_else(|| format!("{kind:?}"))
}

fn threshold(ats: &str) -> &'static Threshold {
    THRESHOLDS
        .iter()
        .find(|threshold| threshold.ats == ats)
        .unwrap_or_else(|| panic!("no threshold for `{ats}`: add a row to THRESHOLDS"))
}

#[test]
fn corpus_pages_with_ground_truth_score_above_the_floors() {
    let corpus = corpus_dir();
    let mut report = String::new();
    let mut per_ats: BTreeMap<String, (Counts, f64)> = BTreeMap::new();
    let mut failures = Vec::new();

    writeln!(
        report,
        "{:<72} {:<14} {:>3} {:>3} {:>3} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6}",
        "page", "kind", "gt", "rep", "ok", "recall", "prec", "F1", "type", "req", "naive"
    )
    .unwrap();
    for name in corpus_pages(&corpus) {
        let page = load_page(&corpus, &name);
        let Some(truth) = &page.truth else { continue };
        let analysis = analyse(&page);
        let page_score = score(truth, &analysis.fields);
        let counts = page_score.counts;
        let naive = score(truth, &naive_fields(&page.html)).counts;
        writeln!(
            report,
            "{:<72} {:<14} {:>3} {:>3} {:>3} {:>6.3} {:>6.3} {:>6.3} {:>7} {:>7} {:>6.3}{}",
            name,
            kind_name(&analysis.kind),
            counts.questions,
            counts.reported,
            counts.found,
            counts.recall(),
            counts.precision(),
            counts.f1(),
            format!("{}/{}", counts.type_right, counts.type_checked),
            format!("{}/{}", counts.required_right, counts.required_checked),
            naive.f1(),
            page.truth_note
                .map(|note| format!("  [{note}]"))
                .unwrap_or_default(),
        )
        .unwrap();
        for (what, list) in [
            ("missed", &page_score.missed),
            ("extra", &page_score.extra),
            ("wrong type", &page_score.wrong_type),
            ("wrong required", &page_score.wrong_required),
        ] {
            if !list.is_empty() {
                writeln!(report, "    {what}: {}", list.join(", ")).unwrap();
            }
        }
        if std::env::var("CORPUS_VERBOSE").is_ok_and(|value| !value.is_empty()) {
            let dropped: Vec<String> = truth
                .dropped
                .iter()
                .map(|(key, reason)| format!("{} ({reason})", shorten(key, 40)))
                .collect();
            writeln!(report, "    not questions: {}", dropped.join(", ")).unwrap();
            writeln!(report, "    matched: {}", page_score.pairs.join(", ")).unwrap();
        }

        let ats = ats_of(&name);
        let floor = threshold(ats);
        if counts.f1() < floor.floor_f1 {
            failures.push(format!(
                "{name}: F1 {:.3} is below the {ats} floor {:.2}",
                counts.f1(),
                floor.floor_f1
            ));
        }
        let entry = per_ats
            .entry(ats.to_owned())
            .or_insert((Counts::default(), 1.0));
        entry.0.add(counts);
        entry.1 = entry.1.min(counts.f1());
    }

    writeln!(
        report,
        "\n{:<16} {:>9} {:>6} {:>6} {:>9} {:>7} {:>7} {:>7} {:>7}",
        "ats", "worst F1", "floor", "target", "pooled F1", "type", "floor", "req", "floor"
    )
    .unwrap();
    for (ats, (counts, worst_f1)) in &per_ats {
        let floor = threshold(ats);
        writeln!(
            report,
            "{:<16} {:>9.3} {:>6.2} {:>6.2} {:>9.3} {:>7.3} {:>7.2} {:>7.3} {:>7.2}{}",
            ats,
            worst_f1,
            floor.floor_f1,
            floor.target_f1,
            counts.f1(),
            counts.type_accuracy(),
            floor.floor_type,
            counts.required_accuracy(),
            floor.floor_required,
            if *worst_f1 < floor.target_f1 {
                "  (below target)"
            } else {
                ""
            },
        )
        .unwrap();
        if counts.type_accuracy() < floor.floor_type {
            failures.push(format!(
                "{ats}: type accuracy {:.3} is below the floor {:.2}",
                counts.type_accuracy(),
                floor.floor_type
            ));
        }
        if counts.required_accuracy() < floor.floor_required {
            failures.push(format!(
                "{ats}: required-flag accuracy {:.3} is below the floor {:.2}",
                counts.required_accuracy(),
                floor.floor_required
            ));
        }
    }
    eprintln!("{report}");
    assert!(
        failures.is_empty(),
        "corpus scores fell below the floors in THRESHOLDS:\n{}",
        failures.join("\n")
    );
}

#[test]
fn scoring_penalises_a_naive_listing() {
    // The issue puts a naive listing of every input at an F1 of about 0.55-0.77 on pages
    // like these: if it scored much higher, the scoring would not see hidden twins and
    // system inputs; if its recall were low, the key matching would be broken.
    let corpus = corpus_dir();
    let mut pooled = Counts::default();
    for name in corpus_pages(&corpus) {
        let page = load_page(&corpus, &name);
        if let Some(truth) = &page.truth {
            pooled.add(score(truth, &naive_fields(&page.html)).counts);
        }
    }
    eprintln!(
        "naive listing, all pages pooled: recall {:.3}, precision {:.3}, F1 {:.3}",
        pooled.recall(),
        pooled.precision(),
        pooled.f1()
    );
    assert!(
        pooled.recall() >= 0.75,
        "naive recall {:.3}",
        pooled.recall()
    );
    assert!(pooled.f1() <= 0.85, "naive F1 {:.3}", pooled.f1());
}

/// Whether the page holds a control a person could fill in.
fn has_form_controls(html: &str) -> bool {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("input:not([type=hidden]), select, textarea").unwrap();
    document.select(&selector).next().is_some()
}

/// The naive reading the issue compares with: every visible-typed input, select and
/// textarea, one field each, labelled by `aria-label` or `placeholder`. Scored beside the
/// detectors so the table shows what the detectors add, and to check the scoring itself.
fn naive_fields(html: &str) -> Vec<Field> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(
        "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea",
    )
    .unwrap();
    document
        .select(&selector)
        .map(|element| {
            let attribute = |name: &str| element.value().attr(name).map(str::to_owned);
            let field_type = match (element.value().name(), attribute("type").as_deref()) {
                ("select", _) => FieldType::Select,
                ("textarea", _) => FieldType::Textarea,
                (_, Some("file")) => FieldType::File,
                (_, Some("radio")) => FieldType::Radio,
                (_, Some("checkbox")) => FieldType::Checkbox,
                (_, Some("number")) => FieldType::Number,
                (_, Some("date")) => FieldType::Date,
                _ => FieldType::Text,
            };
            let field_id = attribute("id").or(attribute("name")).unwrap_or_default();
            let mut field = Field::new(
                field_id,
                field_type,
                attribute("aria-label").unwrap_or_default(),
            );
            field.name = attribute("name");
            field.placeholder = attribute("placeholder");
            field.is_required = attribute("required").is_some()
                || attribute("aria-required").as_deref() == Some("true");
            field
        })
        .collect()
}

#[test]
fn corpus_pages_without_ground_truth_come_out_as_forms() {
    let corpus = corpus_dir();
    let mut failures = Vec::new();
    for name in corpus_pages(&corpus) {
        let page = load_page(&corpus, &name);
        if page.truth.is_some() {
            continue;
        }
        let analysis = analyse(&page);
        eprintln!(
            "{name}: {} with {} fields",
            kind_name(&analysis.kind),
            analysis.fields.len()
        );
        if has_form_controls(&page.html)
            && (analysis.kind != PageKind::Form || analysis.fields.is_empty())
        {
            failures.push(format!(
                "{name}: has form controls but came out as {} with {} fields",
                kind_name(&analysis.kind),
                analysis.fields.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ground_truth_rules_read_the_inventories_as_documented() {
    // Guards the rules above against a change of the corpus: the Greenhouse twins and the
    // BambooHR aria duplicates must fold away, the Ashby yes/no checkboxes must stay.
    let corpus = corpus_dir();
    let questions = |name: &str| {
        let page = load_page(&corpus, name);
        page.truth.unwrap().questions
    };
    let bertram = questions("greenhouse/applypilot-gh-bertram-fde.html");
    assert!(
        bertram
            .iter()
            .all(|question| !matches!(&question.key, Key::Label(label) if label == "Country*"))
    );
    assert!(
        bertram
            .iter()
            .any(|question| question.key == Key::Id("country".into()))
    );

    let armstrong = questions("bamboohr/applypilot-bamboo-armstrong-coop.html");
    let work_in_canada: Vec<&Question> = armstrong
        .iter()
        .filter(|question| {
            question
                .label
                .contains("legally entitled to work in Canada")
        })
        .collect();
    assert_eq!(work_in_canada.len(), 1, "{work_in_canada:?}");
    assert_eq!(
        work_in_canada[0].key,
        Key::Name("customQuestionAnswers.yes_no_2377".into())
    );
    assert_eq!(work_in_canada[0].required, Some(true));
    assert!(
        armstrong
            .iter()
            .all(|question| question.key != Key::Id("nickname_hpcsaf".into()))
    );

    let servicenow = questions("smartrecruiters/applypilot-sr-servicenow-swe.html");
    let uploads = servicenow
        .iter()
        .filter(|question| question.gt_type.as_deref() == Some("file"));
    assert_eq!(
        uploads.count(),
        1,
        "the apply-with-resume helper is not a question"
    );
    assert!(
        servicenow.iter().any(|question| question.optional),
        "country-code picker"
    );

    let financeit = questions("workable/applypilot-workable-financeit-ds.html");
    assert!(
        financeit
            .iter()
            .any(|question| question.key == Key::Id("address".into()))
    );
    assert!(
        financeit
            .iter()
            .all(|question| question.key != Key::Id("city".into()))
    );

    let greenboard = questions("ashby/applypilot-ashby-greenboard-swe.html");
    assert_eq!(
        greenboard.iter().filter(|question| question.yes_no).count(),
        3
    );
    assert!(
        greenboard
            .iter()
            .all(|question| question.gt_type.as_deref() != Some("file")
                || question.key == Key::Id("_systemfield_resume".into()))
    );
}
