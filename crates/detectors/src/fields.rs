//! The shared field extractor: one document-order walk over the form's roots, with per-ATS
//! hooks ([`Profile`]) for the markup each ATS does its own way.

use ego_tree::NodeId;
use engine_core::{Constraints, Field, FieldOption, FieldType};
use html5ever::{LocalName, local_name};
use scraper::Node;

use crate::dom::{
    self, Doc, FastMap, FastSet, NodeR, aria_true, attr, ci_contains, ci_contains_any, collapse,
    el_attr, element_ancestors, is_inclusive_ancestor, selector_for, tag, text_segments,
};
use crate::handler::{self, Hints};
use crate::text::{byte_pairs, clean_label, has_label_text, has_required_marker, humanize_name};

/// What an ATS hook can say about an element met during the walk.
pub(crate) enum Special {
    /// These fields stand for the element's whole subtree; do not look inside it.
    Fields(Vec<Field>),
    /// Nothing in this subtree is a question.
    SkipSubtree,
}

/// Per-ATS hooks into the shared walk.
pub(crate) struct Profile {
    /// Elements the ATS draws as one widget (or chrome to skip), checked before anything else
    /// but the page chrome every profile skips ([`crate::generic::skip_chrome`]).
    pub special: fn(&Doc<'_>, NodeR<'_>) -> Option<Special>,
    /// Controls that are not questions on this ATS (helpers, system inputs).
    pub skip: fn(&Doc<'_>, NodeR<'_>) -> bool,
    /// A label the ATS puts where the generic rules would not look (raw text, unclean).
    pub label: fn(&Doc<'_>, NodeR<'_>) -> Option<String>,
    /// Last word on a finished field (type, handler, required…).
    pub adjust: fn(&Doc<'_>, NodeR<'_>, &mut Field),
}

/// What the walk found: fields, and the control element behind each (for error mapping).
#[derive(Default)]
pub(crate) struct Extracted {
    /// The questions, in page order.
    pub fields: Vec<Field>,
    /// For each field, the elements that make it up.
    pub nodes: Vec<Vec<NodeId>>,
}

/// What kind of form control an element is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ControlKind {
    /// One-line text-like input (text, email, tel, url, password…).
    Text,
    /// `<input type=number>`.
    Number,
    /// `<input type=date>` and friends.
    Date,
    /// `<input type=file>`.
    File,
    /// `<input type=radio>`.
    Radio,
    /// `<input type=checkbox>`.
    Checkbox,
    /// `<select>`.
    Select,
    /// `<select multiple>`.
    MultiSelect,
    /// `<textarea>`.
    Textarea,
    /// `role=combobox` or `list=` input.
    Combobox,
    /// A contenteditable editor.
    RichText,
}

/// The control kind of an element, or `None` for anything that takes no answer.
pub(crate) fn control_kind(node: NodeR<'_>) -> Option<ControlKind> {
    let el = node.value().as_element()?;
    match el.name.local {
        local_name!("input") => {
            let ty = el_attr(el, "type").unwrap_or("text").trim();
            let is = |t: &str| ty.eq_ignore_ascii_case(t);
            Some(
                if ["hidden", "submit", "button", "reset", "image", "search"]
                    .into_iter()
                    .any(is)
                {
                    return None;
                } else if is("file") {
                    ControlKind::File
                } else if is("radio") {
                    ControlKind::Radio
                } else if is("checkbox") {
                    ControlKind::Checkbox
                } else if is("number") || is("range") {
                    ControlKind::Number
                } else if ["date", "datetime-local", "month", "week"]
                    .into_iter()
                    .any(is)
                {
                    ControlKind::Date
                } else if el_attr(el, "role").is_some_and(|r| r.eq_ignore_ascii_case("combobox"))
                    || el_attr(el, "list").is_some()
                {
                    ControlKind::Combobox
                } else {
                    ControlKind::Text
                },
            )
        }
        local_name!("select") => Some(if el_attr(el, "multiple").is_some() {
            ControlKind::MultiSelect
        } else {
            ControlKind::Select
        }),
        local_name!("textarea") => Some(ControlKind::Textarea),
        _ => {
            let editable = el_attr(el, "contenteditable")
                .is_some_and(|v| v.is_empty() || v.eq_ignore_ascii_case("true"));
            if editable && el_attr(el, "role") != Some("presentation") {
                Some(ControlKind::RichText)
            } else {
                None
            }
        }
    }
}

fn field_type(kind: ControlKind) -> FieldType {
    match kind {
        ControlKind::Text => FieldType::Text,
        ControlKind::Number => FieldType::Number,
        ControlKind::Date => FieldType::Date,
        ControlKind::File => FieldType::File,
        ControlKind::Radio => FieldType::Radio,
        ControlKind::Checkbox => FieldType::Checkbox,
        ControlKind::Select => FieldType::Select,
        ControlKind::MultiSelect => FieldType::Multiselect,
        ControlKind::Textarea => FieldType::Textarea,
        ControlKind::Combobox => FieldType::Typeahead,
        ControlKind::RichText => FieldType::Richtext,
    }
}

/// Labels that say "this is a trap for bots".
fn honeypot_label(label: &str) -> bool {
    if label.is_ascii() {
        // The same test without lowercasing into a new string, searching only for the
        // phrases whose byte pairs the label has.
        const PHRASES: [(&str, u64); 5] = [
            (
                "leave this field blank",
                byte_pairs("leave this field blank"),
            ),
            ("robots only", byte_pairs("robots only")),
            ("if you're human", byte_pairs("if you're human")),
            ("if you are human", byte_pairs("if you are human")),
            ("do not fill", byte_pairs("do not fill")),
        ];
        let pairs = byte_pairs(label);
        return PHRASES
            .iter()
            .any(|(p, set)| pairs & set == *set && ci_contains(label, p));
    }
    let l = label.to_lowercase();
    l.contains("leave this field blank")
        || l.contains("robots only")
        || l.contains("if you're human")
        || l.contains("if you are human")
        || l.contains("do not fill")
}

/// Controls that are never questions, whatever the ATS.
fn common_skip(doc: &Doc<'_>, node: NodeR<'_>, kind: ControlKind) -> bool {
    let id = attr(node, "id").unwrap_or("");
    let name = attr(node, "name").unwrap_or("");
    for key in [id, name] {
        if ci_contains_any(key, ["captcha", "honeypot", "hpcsaf"]) {
            return true;
        }
    }
    if attr(node, "disabled").is_some() && kind != ControlKind::File {
        // A disabled control takes no answer.
        return true;
    }
    match kind {
        // Radios, checkboxes, selects and uploads are often drawn by a visible proxy while
        // the real control is hidden; they stay questions.
        ControlKind::Radio
        | ControlKind::Checkbox
        | ControlKind::File
        | ControlKind::Select
        | ControlKind::MultiSelect => {
            if kind != ControlKind::File && kind != ControlKind::Select && doc.hidden_in_tree(node)
            {
                return true;
            }
            false
        }
        _ => {
            if doc.aria_hidden_in_tree(node) || doc.hidden_in_tree(node) {
                return true;
            }
            // A nameless, id-less, unfocusable input is a widget's twin (e.g. the required
            // shadow input beside a React combobox).
            id.is_empty() && name.is_empty() && attr(node, "tabindex") == Some("-1")
        }
    }
}

/// The walk's state.
struct Walk<'d, 'a> {
    doc: &'d Doc<'a>,
    profile: &'d Profile,
    out: Extracted,
    groups: FastMap<String, usize>,
    group_members: FastMap<usize, Vec<NodeId>>,
    section: Option<String>,
    unnamed: usize,
}

/// Extracts the questions under `roots`, in document order.
pub(crate) fn extract(doc: &Doc<'_>, roots: &[NodeR<'_>], profile: &Profile) -> Extracted {
    let mut walk = Walk {
        doc,
        profile,
        out: Extracted::default(),
        groups: FastMap::default(),
        group_members: FastMap::default(),
        section: None,
        unnamed: 0,
    };
    for root in roots {
        walk.visit(*root);
    }
    walk.finish_groups();
    dedupe_ids(&mut walk.out);
    walk.out
}

impl<'d, 'a> Walk<'d, 'a> {
    fn visit(&mut self, root: NodeR<'a>) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let descend = match node.value() {
                Node::Element(el) => self.element(node, &el.name.local),
                Node::Document | Node::Fragment => true,
                _ => false,
            };
            if descend {
                // Only nodes that can hold elements need a visit.
                stack.extend(node.children().rev().filter(|c| {
                    matches!(
                        c.value(),
                        Node::Element(_) | Node::Document | Node::Fragment
                    )
                }));
            }
        }
    }

    /// Handles one element; returns whether to look inside it.
    fn element(&mut self, node: NodeR<'a>, name: &LocalName) -> bool {
        if matches!(
            *name,
            local_name!("script")
                | local_name!("style")
                | local_name!("noscript")
                | local_name!("svg")
                | local_name!("option")
        ) {
            return false;
        }
        if matches!(
            *name,
            local_name!("h1")
                | local_name!("h2")
                | local_name!("h3")
                | local_name!("h4")
                | local_name!("h5")
                | local_name!("h6")
        ) && !self.doc.self_hidden(node)
        {
            let mut segs = Vec::new();
            text_segments(node, &crate::dom::is_error_node, &mut segs);
            let mut text = clean_label(&crate::text::raw_join(&segs));
            // "U.S. Equal Employment Opportunity information (Completion is voluntary…)":
            // the aside in brackets is not the section's name.
            if text.len() > 50
                && text.ends_with(')')
                && let Some(open) = text.find(" (")
            {
                text.truncate(open);
            }
            if !text.is_empty() && text.len() < 120 {
                self.section = Some(text);
            }
            return false;
        }
        if crate::generic::skip_chrome(node) {
            return false;
        }
        match (self.profile.special)(self.doc, node) {
            Some(Special::SkipSubtree) => return false,
            Some(Special::Fields(fields)) => {
                for mut f in fields {
                    if f.section.is_none() {
                        f.section = self.section.clone();
                    }
                    self.out.fields.push(f);
                    self.out.nodes.push(vec![node.id()]);
                }
                return false;
            }
            None => {}
        }
        let Some(kind) = control_kind(node) else {
            return true;
        };
        if common_skip(self.doc, node, kind) || (self.profile.skip)(self.doc, node) {
            return false;
        }
        match kind {
            ControlKind::Radio | ControlKind::Checkbox => self.group_member(node, kind),
            _ => self.single(node, kind),
        }
        false
    }

    fn single(&mut self, node: NodeR<'a>, kind: ControlKind) {
        let doc = self.doc;
        let raw = control_label(doc, self.profile, node);
        let label = clean_label(&raw);
        if honeypot_label(&label) {
            return;
        }
        let mut field = self.base_field(node, field_type(kind), label, &raw);
        if matches!(kind, ControlKind::Select | ControlKind::MultiSelect) {
            field.options = select_options(node);
            field.current_value = field
                .options
                .iter()
                .find(|o| o.is_selected)
                .map(|o| o.value.clone());
        } else if matches!(
            kind,
            ControlKind::Text | ControlKind::Number | ControlKind::Date
        ) {
            field.current_value = attr(node, "value")
                .filter(|v| !v.trim().is_empty())
                .map(str::to_owned);
        }
        if kind == ControlKind::Combobox {
            field.options = listbox_options(doc, node);
        }
        self.finish(node, field);
    }

    fn group_member(&mut self, node: NodeR<'a>, kind: ControlKind) {
        let key = attr(node, "name")
            .filter(|n| !n.is_empty())
            .or_else(|| attr(node, "id"))
            .map(str::to_owned);
        let text = option_text(self.doc, node);
        let option = FieldOption {
            // Without a value the browser sends "on" for every option: the text tells them apart.
            value: attr(node, "value")
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    if text.is_empty() {
                        "on".to_owned()
                    } else {
                        text.clone()
                    }
                }),
            text,
            is_selected: attr(node, "checked").is_some(),
        };
        if let Some(index) = key.as_ref().and_then(|k| self.groups.get(k)).copied() {
            let field = &mut self.out.fields[index];
            field.is_required |= member_required(node);
            field.options.push(option);
            self.out.nodes[index].push(node.id());
            self.group_members.entry(index).or_default().push(node.id());
            return;
        }
        let mut field = self.base_field(node, field_type(kind), String::new(), "");
        field.is_required = member_required(node);
        if let Some(k) = &key {
            field.field_id = k.clone();
            field.name = attr(node, "name").map(str::to_owned);
        }
        field.options.push(option);
        let index = self.out.fields.len();
        if let Some(k) = key {
            self.groups.insert(k, index);
        }
        self.group_members.insert(index, vec![node.id()]);
        self.out.fields.push(field);
        self.out.nodes.push(vec![node.id()]);
    }

    /// Labels, handler types and value of radio/checkbox fields, once all members are known.
    fn finish_groups(&mut self) {
        let mut indexes: Vec<usize> = self.group_members.keys().copied().collect();
        indexes.sort_unstable();
        let mut drop = Vec::new();
        for index in indexes {
            let members: Vec<NodeR<'a>> = self.group_members[&index]
                .iter()
                .filter_map(|id| self.doc.node(*id))
                .collect();
            let Some(first) = members.first().copied() else {
                continue;
            };
            let raw =
                if members.len() == 1 && self.out.fields[index].field_type == FieldType::Checkbox {
                    // A lone checkbox is its own question ("I agree to…"), unless a question
                    // sits above it.
                    let own = self.out.fields[index]
                        .options
                        .first()
                        .map(|o| o.text.clone())
                        .unwrap_or_default();
                    let above = group_label(self.doc, self.profile, &members);
                    if clean_label(&above).is_empty() {
                        own
                    } else {
                        above
                    }
                } else {
                    group_label(self.doc, self.profile, &members)
                };
            let label = clean_label(&raw);
            if honeypot_label(&label) {
                drop.push(index);
                continue;
            }
            let field = &mut self.out.fields[index];
            let mut values: Vec<&str> = field.options.iter().map(|o| o.value.as_str()).collect();
            values.sort_unstable();
            values.dedup();
            if values.len() < field.options.len() {
                // Repeated values cannot name an option; the texts can.
                for o in &mut field.options {
                    o.value = o.text.clone();
                }
            }
            field.label = if label.is_empty() {
                humanize_name(&field.field_id)
            } else {
                label
            };
            field.is_required |= has_required_marker(&raw) || group_required(first);
            if members.len() == 1 && field.field_type == FieldType::Checkbox {
                if field
                    .options
                    .first()
                    .is_some_and(|o| clean_label(&o.text) == field.label)
                {
                    field.options.clear();
                }
                field.current_value = Some(
                    if attr(first, "checked").is_some() {
                        "true"
                    } else {
                        "false"
                    }
                    .to_owned(),
                );
            } else {
                field.current_value = field
                    .options
                    .iter()
                    .filter(|o| o.is_selected)
                    .map(|o| o.value.clone())
                    .reduce(|a, b| format!("{a},{b}"));
            }
            field.handler_type = handler::classify(&Hints {
                label: &field.label,
                name: field.name.as_deref(),
                id: attr(first, "id"),
                autocomplete: attr(first, "autocomplete"),
                field_type: &field.field_type,
            })
            .map(str::to_owned);
            (self.profile.adjust)(self.doc, first, field);
        }
        for index in drop.into_iter().rev() {
            self.out.fields.remove(index);
            self.out.nodes.remove(index);
        }
    }

    fn base_field(&mut self, node: NodeR<'a>, ty: FieldType, label: String, raw: &str) -> Field {
        let id = attr(node, "id").filter(|s| !s.is_empty());
        let name = attr(node, "name").filter(|s| !s.is_empty());
        let field_id = match id.or(name) {
            Some(k) => k.to_owned(),
            None => {
                self.unnamed += 1;
                attr(node, "aria-label")
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_else(|| format!("field-{}", self.unnamed))
            }
        };
        let mut field = Field::new(field_id, ty, label);
        field.name = name.map(str::to_owned);
        field.placeholder = attr(node, "placeholder")
            .map(collapse)
            .filter(|p| !p.is_empty());
        field.selector = Some(selector_for(self.doc, node));
        field.section = self.section.clone();
        field.is_required = attr(node, "required").is_some()
            || aria_true(node, "aria-required")
            || has_required_marker(raw)
            || group_required(node);
        field.constraints = constraints(node);
        field.description = description(self.doc, node, &field.label);
        field
    }

    fn finish(&mut self, node: NodeR<'a>, mut field: Field) {
        if field.field_type == FieldType::File {
            field.constraints.max_file_size_bytes = max_file_size(self.doc, node);
        }
        if field.label.is_empty() {
            field.label = field
                .placeholder
                .clone()
                .or_else(|| attr(node, "title").map(collapse))
                .or_else(|| field.name.as_deref().map(humanize_name))
                .unwrap_or_else(|| humanize_name(&field.field_id));
            field.label = clean_label(&field.label);
        }
        field.handler_type = handler::classify(&Hints {
            label: &field.label,
            name: field.name.as_deref(),
            id: attr(node, "id"),
            autocomplete: attr(node, "autocomplete"),
            field_type: &field.field_type,
        })
        .map(str::to_owned);
        (self.profile.adjust)(self.doc, node, &mut field);
        self.out.fields.push(field);
        self.out.nodes.push(vec![node.id()]);
    }
}

/// Gives duplicate field ids a stable suffix so answers can name each field.
fn dedupe_ids(out: &mut Extracted) {
    // The counts key on the ids as they came; the new ids are set once they are all counted.
    let mut renamed = Vec::new();
    let mut seen: FastMap<&str, u32> = FastMap::default();
    for (i, field) in out.fields.iter().enumerate() {
        let count = seen.entry(field.field_id.as_str()).or_insert(0);
        *count += 1;
        if *count > 1 {
            renamed.push((i, format!("{}-{}", field.field_id, count)));
        }
    }
    for (i, id) in renamed {
        out.fields[i].field_id = id;
    }
}

/// Raw label text of one control (unclean: markers kept so `required` can be read off it).
pub(crate) fn control_label(doc: &Doc<'_>, profile: &Profile, node: NodeR<'_>) -> String {
    if let Some(l) = (profile.label)(doc, node) {
        return l;
    }
    if let Some(l) = labelledby(doc, node) {
        return l;
    }
    if let Some(id) = attr(node, "id").filter(|s| !s.is_empty()) {
        for label in doc.labels_for(id) {
            if is_inclusive_ancestor(label, node) {
                continue;
            }
            let mut segs = Vec::new();
            text_segments(label, &crate::dom::is_error_node, &mut segs);
            if has_label_text(&segs) {
                return crate::text::raw_join(&segs);
            }
        }
    }
    if let Some(l) = wrapping_label(node) {
        return l;
    }
    if let Some(l) = enclosing_group_label(doc, node) {
        return l;
    }
    if let Some(l) = attr(node, "aria-label").filter(|s| is_wordy(s)) {
        return l.to_owned();
    }
    preceding_text(node, &FastSet::from_iter([node.id()])).unwrap_or_default()
}

/// Whether an `aria-label` reads like words rather than an identifier (`file-input`).
fn is_wordy(s: &str) -> bool {
    let t = s.trim();
    !clean_label(t).is_empty() && (t.contains(' ') || !t.contains(['-', '_']))
}

/// Text of the elements `aria-labelledby` names.
fn labelledby(doc: &Doc<'_>, node: NodeR<'_>) -> Option<String> {
    let ids = attr(node, "aria-labelledby")?;
    let mut segs = Vec::new();
    for id in ids.split_ascii_whitespace() {
        if let Some(target) = doc.by_id(id) {
            if is_inclusive_ancestor(target, node) {
                continue;
            }
            // A required marker drawn just before the labelling element (Workable).
            if let Some(prev) = target.prev_siblings().find(|s| s.value().is_element()) {
                let t = dom::full_text(prev);
                if t == "*" || t == "✱" {
                    segs.push("*");
                }
            }
            text_segments(target, &crate::dom::is_error_node, &mut segs);
        }
    }
    has_label_text(&segs).then(|| crate::text::raw_join(&segs))
}

/// Text of a `<label>` wrapping the control, minus the part that holds the control itself.
fn wrapping_label(node: NodeR<'_>) -> Option<String> {
    let label = element_ancestors(node)
        .take(8)
        .find(|a| tag(*a) == Some("label"))?;
    let mut segs = Vec::new();
    for child in label.children() {
        if is_inclusive_ancestor(child, node) {
            continue;
        }
        text_segments(child, &crate::dom::is_error_node, &mut segs);
    }
    if !has_label_text(&segs) {
        // The label only wraps the control's own box: its text may sit beside the control.
        text_segments(
            label,
            &|n| n.id() == node.id() || dom::is_error_node(n),
            &mut segs,
        );
    }
    has_label_text(&segs).then(|| crate::text::raw_join(&segs))
}

/// A `fieldset` legend or labelled `role=group` around the control.
fn enclosing_group_label(doc: &Doc<'_>, node: NodeR<'_>) -> Option<String> {
    for anc in element_ancestors(node).take(6) {
        if let Some(l) = group_own_label(doc, anc, node) {
            return Some(l);
        }
        if tag(anc) == Some("form") {
            break;
        }
    }
    None
}

fn group_own_label(doc: &Doc<'_>, anc: NodeR<'_>, node: NodeR<'_>) -> Option<String> {
    let role = attr(anc, "role").unwrap_or("");
    let is_group = tag(anc) == Some("fieldset") || matches!(role, "group" | "radiogroup");
    if !is_group {
        return None;
    }
    if let Some(l) = labelledby(doc, anc) {
        return Some(l);
    }
    if let Some(legend) = anc.children().find(|c| tag(*c) == Some("legend")) {
        let mut segs = Vec::new();
        text_segments(legend, &crate::dom::is_error_node, &mut segs);
        if has_label_text(&segs) && !is_inclusive_ancestor(legend, node) {
            return Some(crate::text::raw_join(&segs));
        }
    }
    attr(anc, "aria-label")
        .filter(|s| !clean_label(s).is_empty())
        .map(str::to_owned)
}

/// Whether a subtree holds a form control other than `mine`.
fn holds_other_control(node: NodeR<'_>, mine: &FastSet<NodeId>) -> bool {
    node.descendants()
        .any(|d| control_kind(d).is_some() && !mine.contains(&d.id()))
}

/// The nearest text before the control (or group) that belongs to no other control: walks up
/// a few levels, looking at earlier siblings, nearest first.
pub(crate) fn preceding_text(node: NodeR<'_>, mine: &FastSet<NodeId>) -> Option<String> {
    let mut current = node;
    for _ in 0..6 {
        for sib in current.prev_siblings() {
            if !sib.value().is_element() {
                if let Some(t) = sib.value().as_text()
                    && !crate::text::is_junk_segment(t)
                {
                    return Some(t.to_string());
                }
                continue;
            }
            if holds_other_control(sib, mine) {
                return None;
            }
            let mut segs = Vec::new();
            text_segments(sib, &crate::dom::is_error_node, &mut segs);
            if has_label_text(&segs) {
                return Some(crate::text::raw_join(&segs));
            }
        }
        let mut parent = current.parent()?;
        if matches!(parent.value(), Node::Fragment) {
            // Inside a `<template>` (declarative shadow root): continue from the host side.
            parent = parent.parent()?;
        }
        if matches!(tag(parent), Some("form" | "body") | None) {
            return None;
        }
        current = parent;
    }
    None
}

/// The lowest common ancestor of some nodes.
fn common_ancestor<'a>(nodes: &[NodeR<'a>]) -> Option<NodeR<'a>> {
    let first = *nodes.first()?;
    let mut candidate = first.parent()?;
    loop {
        if nodes.iter().all(|n| is_inclusive_ancestor(candidate, *n)) {
            return Some(candidate);
        }
        candidate = candidate.parent()?;
    }
}

/// Raw question text of a radio or checkbox group.
fn group_label(doc: &Doc<'_>, profile: &Profile, members: &[NodeR<'_>]) -> String {
    let Some(first) = members.first().copied() else {
        return String::new();
    };
    if let Some(l) = (profile.label)(doc, first) {
        return l;
    }
    let ids: FastSet<NodeId> = members.iter().map(|m| m.id()).collect();
    let Some(container) = common_ancestor(members) else {
        return String::new();
    };
    // The container and a few levels above: a legend, a labelled group, or text beside the
    // options that belongs to no option.
    let mut current = container;
    for _ in 0..4 {
        if let Some(l) = group_own_label(doc, current, first) {
            return l;
        }
        if tag(current) == Some("label") && members.len() == 1 {
            break;
        }
        let mut segs = Vec::new();
        for child in current.children() {
            if child.descendants().any(|d| ids.contains(&d.id())) {
                continue;
            }
            if child.value().is_element() && holds_other_control(child, &ids) {
                continue;
            }
            if let Some(t) = child.value().as_text() {
                segs.push(&**t);
            } else {
                text_segments(child, &crate::dom::is_error_node, &mut segs);
            }
        }
        if has_label_text(&segs) {
            return crate::text::raw_join(&segs);
        }
        if let Some(t) = preceding_text(current, &ids) {
            return t;
        }
        match current.parent() {
            Some(p) if !matches!(tag(p), Some("form" | "body") | None) => current = p,
            _ => break,
        }
    }
    String::new()
}

/// The visible text of one radio/checkbox option.
fn option_text(doc: &Doc<'_>, node: NodeR<'_>) -> String {
    if let Some(l) = wrapping_label(node) {
        let t = clean_label(&l);
        if !t.is_empty() {
            return t;
        }
    }
    if let Some(id) = attr(node, "id").filter(|s| !s.is_empty())
        && doc.id_count(id) == 1
    {
        for label in doc.labels_for(id) {
            let t = clean_label(&dom::full_text(label));
            if !t.is_empty() {
                return t;
            }
        }
    }
    // Text right after the control (or after its small wrapper).
    let mut current = node;
    for _ in 0..3 {
        for sib in current.next_siblings() {
            if control_kind(sib).is_some() || holds_other_control(sib, &FastSet::default()) {
                break;
            }
            let t = clean_label(&dom::full_text(sib));
            if !t.is_empty() {
                return t;
            }
        }
        match current.parent() {
            Some(p) if p.children().filter(|c| c.value().is_element()).count() <= 3 => current = p,
            _ => break,
        }
    }
    attr(node, "aria-label")
        .or_else(|| attr(node, "value"))
        .map(clean_label)
        .unwrap_or_default()
}

/// `required`/`aria-required` on a radio or checkbox.
fn member_required(node: NodeR<'_>) -> bool {
    attr(node, "required").is_some() || aria_true(node, "aria-required")
}

/// `aria-required="true"` on a group around the control (upload groups, radiogroups).
fn group_required(node: NodeR<'_>) -> bool {
    element_ancestors(node).take(6).any(|a| {
        let role = attr(a, "role").unwrap_or("");
        (tag(a) == Some("fieldset") || matches!(role, "group" | "radiogroup"))
            && aria_true(a, "aria-required")
    })
}

/// Placeholder options ("Select…", "--") carry no answer.
fn is_placeholder_option(value: &str, text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let bare = lower.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    // JazzHR's "No answer" (value 0) is the unanswered state, not a choice.
    if bare == "no answer" || bare == "select" || bare == "select one" || bare == "select an option"
    {
        return true;
    }
    if !value.trim().is_empty() {
        return false;
    }
    lower.is_empty()
        || lower.starts_with("select")
        || lower.starts_with("choose")
        || lower.starts_with("please select")
        || lower.starts_with("--")
        || lower.starts_with('–')
        || lower == "none selected"
}

/// The options of a `<select>`, without placeholders.
pub(crate) fn select_options(node: NodeR<'_>) -> Vec<FieldOption> {
    node.descendants()
        .filter(|d| tag(*d) == Some("option"))
        .filter_map(|o| {
            let text = dom::full_text(o);
            let value = attr(o, "value")
                .map(str::to_owned)
                .unwrap_or_else(|| text.clone());
            if is_placeholder_option(&value, &text) || text.is_empty() {
                return None;
            }
            Some(FieldOption {
                value,
                text,
                is_selected: attr(o, "selected").is_some(),
            })
        })
        .collect()
}

/// Options of a combobox's listbox, when the snapshot holds it open.
fn listbox_options(doc: &Doc<'_>, node: NodeR<'_>) -> Vec<FieldOption> {
    let listbox = attr(node, "aria-controls")
        .or_else(|| attr(node, "aria-owns"))
        .and_then(|id| doc.by_id(id))
        .or_else(|| {
            // react-select names its open menu after the input.
            let id = attr(node, "id")?;
            doc.by_id(&format!("react-select-{id}-listbox"))
        });
    let Some(listbox) = listbox else {
        return Vec::new();
    };
    listbox
        .descendants()
        .filter(|d| attr(*d, "role") == Some("option"))
        .filter_map(|o| {
            let text = dom::full_text(o);
            if text.is_empty() {
                return None;
            }
            Some(FieldOption {
                value: attr(o, "data-value")
                    .map(str::to_owned)
                    .unwrap_or_else(|| text.clone()),
                text,
                is_selected: aria_true(o, "aria-selected"),
            })
        })
        .collect()
}

fn constraints(node: NodeR<'_>) -> Constraints {
    Constraints {
        max_length: attr(node, "maxlength")
            .and_then(|m| m.trim().parse::<u32>().ok())
            .filter(|m| *m > 0),
        accepted_file_types: attr(node, "accept")
            .map(|a| {
                a.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        max_file_size_bytes: None,
    }
}

/// Help text named by `aria-describedby` (error and placeholder ids left out).
fn description(doc: &Doc<'_>, node: NodeR<'_>, label: &str) -> Option<String> {
    let ids = attr(node, "aria-describedby")?;
    let mut parts = Vec::new();
    for id in ids.split_ascii_whitespace() {
        let lower = id.to_ascii_lowercase();
        if lower.contains("error") || lower.contains("placeholder") {
            continue;
        }
        if let Some(target) = doc.by_id(id) {
            let t = dom::full_text(target);
            if !t.is_empty() && t != label {
                parts.push(t);
            }
        }
    }
    let text = parts.join(" ");
    (!text.is_empty()).then_some(text)
}

/// The upload size limit the page states near a file input: a `MAX_FILE_SIZE` hidden input
/// (PHP forms, JazzHR) or text such as "10MB size limit" close by.
fn max_file_size(doc: &Doc<'_>, node: NodeR<'_>) -> Option<u64> {
    // Each level holds the one below, whose text is known already.
    let mut below: Option<(NodeId, String)> = None;
    for anc in element_ancestors(node).take(4) {
        // The first `MAX_FILE_SIZE` input in the level (the index lists them in page order).
        let found = doc
            .nodes(&doc.size_inputs)
            .filter(|d| is_inclusive_ancestor(anc, *d))
            .find_map(|d| attr(d, "value").and_then(|v| v.trim().parse::<u64>().ok()));
        if found.is_some() {
            return found;
        }
        // Too far out past 600 bytes: the text no longer speaks about this upload.
        const MAX: usize = 600;
        let mut text = String::new();
        for child in anc.children() {
            let within = match &below {
                Some((id, below_text)) if *id == child.id() => {
                    // Already collapsed: its words are itself.
                    if !text.is_empty() && !below_text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(below_text);
                    text.len() <= MAX
                }
                _ => dom::push_text(&mut text, child, MAX),
            };
            if !within {
                return None;
            }
        }
        if let Some(bytes) = size_in_text(&text) {
            return Some(bytes);
        }
        below = Some((anc.id(), text));
    }
    None
}

/// The first "<number> MB/KB/GB" in a text, in bytes.
pub(crate) fn size_in_text(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            let Some(number) = text.get(start..i).and_then(|n| n.parse::<f64>().ok()) else {
                continue;
            };
            let rest = text.get(i..)?.trim_start();
            let unit = rest.get(..2).map(str::to_ascii_uppercase);
            let factor = match unit.as_deref() {
                Some("KB") => 1024.0,
                Some("MB") => 1024.0 * 1024.0,
                Some("GB") => 1024.0 * 1024.0 * 1024.0,
                _ => continue,
            };
            let value = number * factor;
            if value.is_finite() && value > 0.0 && value < 1e13 {
                return Some(value as u64);
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::size_in_text;

    #[test]
    fn sizes_in_text() {
        assert_eq!(size_in_text("10MB size limit"), Some(10 * 1024 * 1024));
        assert_eq!(
            size_in_text(
                "File exceeds the maximum upload size of 100MB. Please try a smaller size."
            ),
            Some(100 * 1024 * 1024)
        );
        assert_eq!(size_in_text("limit 1.5 MB"), Some(1_572_864));
        assert_eq!(size_in_text("Accepted file types: pdf, doc"), None);
        assert_eq!(size_in_text("2 of 3"), None);
        assert_eq!(size_in_text("H2MB"), None);
        assert_eq!(size_in_text(""), None);
        assert_eq!(size_in_text("v1.2.3 then 5 KB"), Some(5 * 1024));
    }
}
