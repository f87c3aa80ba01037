//! Small tree helpers over a parsed document: indexes built in one pass, text collection,
//! visibility hints and CSS selectors for elements.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

use ego_tree::{NodeId, NodeRef};
use html5ever::{LocalName, local_name};
use scraper::{Html, Node};

/// A node of the parsed document.
pub(crate) type NodeR<'a> = NodeRef<'a, Node>;

/// A multiply-and-rotate hasher (the FxHash scheme): the maps here are keyed by node ids and
/// short id strings, for which SipHash's flood resistance costs more than it buys.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(Self::K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves its best bits high; the table indexes by the low ones.
        self.hash.rotate_left(26)
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` with [`FxHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// A parsed document with the lookups every detector needs, built in one walk.
pub(crate) struct Doc<'a> {
    /// The parsed document.
    pub html: &'a Html,
    /// For each id: the first element carrying it, and how many do (duplicates make `#id`
    /// ambiguous).
    ids: FastMap<&'a str, (NodeId, u32)>,
    /// `label[for]` elements with the id they point at, sorted by that id (document order
    /// within one id).
    labels_for: Vec<(&'a str, NodeId)>,
    /// The `<body>` element, if any.
    pub body: Option<NodeId>,
    /// Every `<form>` inside the body (or the document, when there is no body), in document
    /// order.
    pub forms: Vec<NodeId>,
    /// Every `<iframe>`.
    pub iframes: Vec<NodeId>,
    /// Every `<a href>`.
    pub links: Vec<NodeId>,
    /// Every `<input type=password>`.
    pub passwords: Vec<NodeId>,
    /// Elements that show errors (`role=alert`, `.error`, `.invalid-feedback`…).
    pub error_blocks: Vec<NodeId>,
    /// Captcha widgets (`.g-recaptcha`, `.h-captcha`, `.cf-turnstile`).
    pub captcha_widgets: Vec<NodeId>,
    /// `input[name=MAX_FILE_SIZE]` (upload limits of PHP forms), in document order.
    pub size_inputs: Vec<NodeId>,
    /// Clickable elements (buttons, `*-button` custom elements, submit and button inputs,
    /// `role=button`, links to `#` or nowhere), in document order.
    pub clickables: Vec<NodeId>,
    /// `[role=dialog]` elements inside the body (or the document, when there is no body), in
    /// document order.
    pub dialogs: Vec<NodeId>,
    /// Whether the page carries a bot-challenge page's markers (`#challenge-form`…).
    pub challenge_page: bool,
    /// Script app mount points (`#root`, `#app`, `#__next`…).
    pub app_roots: Vec<NodeId>,
    /// Elements hidden by their own attributes (the `hidden` attribute, an inline style, a
    /// "hidden" utility class; see [`Doc::self_hidden`]): few on a page, so
    /// a walk up the ancestors asks a small set instead of reading attributes at each step.
    hidden: FastSet<NodeId>,
    /// Elements with `aria-hidden="true"`.
    aria_hidden: FastSet<NodeId>,
}

/// What a class token tells the index.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ClassKind {
    /// The element shows an error message.
    Error,
    /// A captcha widget (`g-recaptcha`, `h-captcha`).
    Captcha,
    /// Cloudflare's Turnstile: a captcha widget on a challenge page.
    Turnstile,
    /// A "hidden" utility class.
    Hidden,
    /// Nothing the index reads.
    Other,
}

/// The kind of a class token: one `match`, which compiles to a switch on the length.
fn class_kind(class: &str) -> ClassKind {
    match class {
        "error" | "errors" | "error-message" | "field-error" | "form-error"
        | "invalid-feedback" | "helper-text--error" | "application-error" | "jv-apply-error" => {
            ClassKind::Error
        }
        "g-recaptcha" | "h-captcha" => ClassKind::Captcha,
        "cf-turnstile" => ClassKind::Turnstile,
        "hidden" | "ng-hide" | "d-none" | "is-hidden" | "hide" | "none" => ClassKind::Hidden,
        _ => ClassKind::Other,
    }
}

impl<'a> Doc<'a> {
    /// Indexes a parsed document.
    pub fn new(html: &'a Html) -> Self {
        let mut ids: FastMap<&'a str, (NodeId, u32)> = FastMap::default();
        let mut labels_for: Vec<(&'a str, NodeId)> = Vec::new();
        let mut forms: Vec<NodeId> = Vec::new();
        let mut dialogs: Vec<NodeId> = Vec::new();
        let mut doc = Doc {
            html,
            ids: FastMap::default(),
            labels_for: Vec::new(),
            body: None,
            forms: Vec::new(),
            iframes: Vec::new(),
            links: Vec::new(),
            passwords: Vec::new(),
            error_blocks: Vec::new(),
            captcha_widgets: Vec::new(),
            size_inputs: Vec::new(),
            dialogs: Vec::new(),
            clickables: Vec::new(),
            challenge_page: false,
            app_roots: Vec::new(),
            hidden: FastSet::default(),
            aria_hidden: FastSet::default(),
        };
        for node in html.tree.root().descendants() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            // One pass over the attributes for every name this index reads (the first of a
            // repeated name wins, as with `el_attr`).
            let mut id = None;
            let mut label_for = None;
            let mut href = None;
            let mut ty = None;
            let mut name = None;
            let mut role = None;
            let mut data_qa = None;
            let mut reactroot = false;
            let mut class = None;
            let mut hidden_attr = false;
            let mut style = None;
            let mut aria_hidden = None;
            for (k, v) in &el.attrs {
                let slot = match k.local {
                    local_name!("id") => &mut id,
                    local_name!("for") => &mut label_for,
                    local_name!("href") => &mut href,
                    local_name!("type") => &mut ty,
                    local_name!("name") => &mut name,
                    local_name!("role") => &mut role,
                    local_name!("class") => &mut class,
                    local_name!("style") => &mut style,
                    local_name!("aria-hidden") => &mut aria_hidden,
                    local_name!("hidden") => {
                        hidden_attr = true;
                        continue;
                    }
                    // Names outside the parser's static set compare as text.
                    ref other => match &**other {
                        "data-qa" => &mut data_qa,
                        "data-reactroot" => {
                            reactroot = true;
                            continue;
                        }
                        _ => continue,
                    },
                };
                slot.get_or_insert(&**v);
            }
            let mut hidden = hidden_attr || style.is_some_and(style_hides);
            if aria_hidden.is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
                doc.aria_hidden.insert(node.id());
            }
            if let Some(id) = id {
                ids.entry(id).or_insert((node.id(), 0)).1 += 1;
                match id {
                    "challenge-form"
                    | "challenge-running"
                    | "cf-challenge-running"
                    | "px-captcha" => doc.challenge_page = true,
                    "root" | "app" | "__next" | "__nuxt" => doc.app_roots.push(node.id()),
                    _ => {}
                }
            }
            match el.name.local {
                local_name!("label") => {
                    if let Some(target) = label_for {
                        labels_for.push((target, node.id()));
                    }
                }
                local_name!("body") if doc.body.is_none() => doc.body = Some(node.id()),
                local_name!("form") => forms.push(node.id()),
                local_name!("iframe") => doc.iframes.push(node.id()),
                local_name!("a") if href.is_some() => doc.links.push(node.id()),
                local_name!("input") => {
                    if ty.is_some_and(|t| t.eq_ignore_ascii_case("password")) {
                        doc.passwords.push(node.id());
                    }
                    if name == Some("MAX_FILE_SIZE") {
                        doc.size_inputs.push(node.id());
                    }
                }
                _ => {}
            }
            if role == Some("dialog") {
                dialogs.push(node.id());
            }
            let role_button = role == Some("button");
            let clickable = match el.name.local {
                local_name!("button") => true,
                local_name!("input") => {
                    let ty = ty.unwrap_or("");
                    ty.eq_ignore_ascii_case("submit")
                        || ty.eq_ignore_ascii_case("button")
                        || role_button
                }
                local_name!("a") => {
                    role_button || href.is_some_and(|h| h.trim() == "#" || h.trim().is_empty())
                }
                // Custom elements such as `spl-button`.
                ref name => (name.ends_with("-button") && name.contains('-')) || role_button,
            };
            if clickable {
                doc.clickables.push(node.id());
            }
            let alert = role == Some("alert") || data_qa == Some("error");
            if alert {
                doc.error_blocks.push(node.id());
            }
            if reactroot {
                doc.app_roots.push(node.id());
            }
            if let Some(class) = class {
                let mut error = false;
                let mut captcha = false;
                for c in class.split_ascii_whitespace() {
                    match class_kind(c) {
                        ClassKind::Error => error = true,
                        ClassKind::Captcha => captcha = true,
                        ClassKind::Turnstile => {
                            captcha = true;
                            doc.challenge_page = true;
                        }
                        ClassKind::Hidden => hidden = true,
                        ClassKind::Other => {}
                    }
                }
                if error && !alert {
                    doc.error_blocks.push(node.id());
                }
                if captcha {
                    doc.captcha_widgets.push(node.id());
                }
            }
            if hidden {
                doc.hidden.insert(node.id());
            }
        }
        // Stable: labels for one id stay in document order.
        labels_for.sort_by(|a, b| a.0.cmp(b.0));
        doc.ids = ids;
        doc.labels_for = labels_for;
        // The forms and dialogs `body().descendants()` would meet.
        doc.forms = doc.in_body(forms);
        doc.dialogs = doc.in_body(dialogs);
        doc
    }

    /// The nodes inside the body (all of them when there is no body).
    fn in_body(&self, nodes: Vec<NodeId>) -> Vec<NodeId> {
        match self.body.and_then(|b| self.node(b)) {
            Some(body) => nodes
                .into_iter()
                .filter(|n| {
                    self.node(*n)
                        .is_some_and(|n| n.ancestors().any(|a| a.id() == body.id()))
                })
                .collect(),
            None => nodes,
        }
    }

    /// The nodes with these ids.
    pub fn nodes<'s>(&'s self, ids: &'s [NodeId]) -> impl Iterator<Item = NodeR<'a>> + 's {
        ids.iter().filter_map(|id| self.node(*id))
    }

    /// The node with this id.
    pub fn node(&self, id: NodeId) -> Option<NodeR<'a>> {
        self.html.tree.get(id)
    }

    /// The element carrying this `id` attribute.
    pub fn by_id(&self, id: &str) -> Option<NodeR<'a>> {
        self.ids.get(id).and_then(|(n, _)| self.node(*n))
    }

    /// How many elements carry this `id` attribute.
    pub fn id_count(&self, id: &str) -> u32 {
        self.ids.get(id).map_or(0, |(_, count)| *count)
    }

    /// The `label[for=id]` elements.
    pub fn labels_for(&self, id: &str) -> impl Iterator<Item = NodeR<'a>> + '_ {
        let start = self.labels_for.partition_point(|(k, _)| *k < id);
        let len = self.labels_for[start..]
            .iter()
            .take_while(|(k, _)| *k == id)
            .count();
        self.labels_for[start..start + len]
            .iter()
            .filter_map(|(_, n)| self.node(*n))
    }

    /// Whether the element itself is marked hidden by attribute, inline style or a common
    /// "hidden" utility class.
    pub fn self_hidden(&self, node: NodeR<'_>) -> bool {
        self.hidden.contains(&node.id())
    }

    /// Whether the element or an ancestor is hidden (see [`Doc::self_hidden`]).
    pub fn hidden_in_tree(&self, node: NodeR<'_>) -> bool {
        !self.hidden.is_empty()
            && (self.hidden.contains(&node.id())
                || node.ancestors().any(|a| self.hidden.contains(&a.id())))
    }

    /// Whether the element or an ancestor has `aria-hidden="true"`.
    pub fn aria_hidden_in_tree(&self, node: NodeR<'_>) -> bool {
        !self.aria_hidden.is_empty()
            && (self.aria_hidden.contains(&node.id())
                || node.ancestors().any(|a| self.aria_hidden.contains(&a.id())))
    }

    /// The `<body>` (or the root when there is none).
    pub fn body(&self) -> NodeR<'a> {
        self.body
            .and_then(|id| self.node(id))
            .unwrap_or_else(|| self.html.tree.root())
    }
}

/// The element's tag name, if the node is an element.
pub(crate) fn tag<'a>(node: NodeR<'a>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

/// The interned name of an attribute the detectors read, if the parser's static set has it.
/// Inlined into a lookup with a literal name, the match folds away to a constant.
#[inline(always)]
fn interned(name: &str) -> Option<LocalName> {
    Some(match name {
        "id" => local_name!("id"),
        "class" => local_name!("class"),
        "name" => local_name!("name"),
        "role" => local_name!("role"),
        "type" => local_name!("type"),
        "value" => local_name!("value"),
        "aria-label" => local_name!("aria-label"),
        "required" => local_name!("required"),
        "src" => local_name!("src"),
        "placeholder" => local_name!("placeholder"),
        "checked" => local_name!("checked"),
        "autocomplete" => local_name!("autocomplete"),
        "title" => local_name!("title"),
        "href" => local_name!("href"),
        "action" => local_name!("action"),
        "tabindex" => local_name!("tabindex"),
        "selected" => local_name!("selected"),
        "multiple" => local_name!("multiple"),
        "maxlength" => local_name!("maxlength"),
        "list" => local_name!("list"),
        "label" => local_name!("label"),
        "disabled" => local_name!("disabled"),
        "contenteditable" => local_name!("contenteditable"),
        "aria-owns" => local_name!("aria-owns"),
        "aria-labelledby" => local_name!("aria-labelledby"),
        "aria-haspopup" => local_name!("aria-haspopup"),
        "aria-describedby" => local_name!("aria-describedby"),
        "aria-controls" => local_name!("aria-controls"),
        "accept" => local_name!("accept"),
        "aria-hidden" => local_name!("aria-hidden"),
        "aria-invalid" => local_name!("aria-invalid"),
        "aria-required" => local_name!("aria-required"),
        "aria-selected" => local_name!("aria-selected"),
        "style" => local_name!("style"),
        "hidden" => local_name!("hidden"),
        "for" => local_name!("for"),
        _ => return None,
    })
}

/// An attribute of an element. A linear scan: scraper's own `attr` interns the name on every
/// call, which costs more than comparing the few attributes an element has. Names the
/// parser interns statically compare as one word (interned names are equal exactly when
/// their text is); only the matching value is dereferenced.
#[inline(always)]
pub(crate) fn el_attr<'a>(el: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    let found = match interned(name) {
        Some(atom) => el.attrs.iter().find(|(k, _)| k.local == atom),
        None => el.attrs.iter().find(|(k, _)| &*k.local == name),
    };
    found.map(|(_, v)| &**v)
}

/// An attribute of the node, if it is an element.
#[inline(always)]
pub(crate) fn attr<'a>(node: NodeR<'a>, name: &str) -> Option<&'a str> {
    node.value().as_element().and_then(|e| el_attr(e, name))
}

/// Whether the element has this class (exact, case-sensitive).
pub(crate) fn has_class(node: NodeR<'_>, class: &str) -> bool {
    attr(node, "class").is_some_and(|c| c.split_ascii_whitespace().any(|x| x == class))
}

/// Whether any class of the element contains `part`.
pub(crate) fn class_contains(node: NodeR<'_>, part: &str) -> bool {
    attr(node, "class").is_some_and(|c| c.contains(part))
}

/// Whether an attribute is `"true"` (ARIA style).
#[inline(always)]
pub(crate) fn aria_true(node: NodeR<'_>, name: &str) -> bool {
    attr(node, name).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Element ancestors, nearest first (the node itself excluded).
pub(crate) fn element_ancestors<'a>(node: NodeR<'a>) -> impl Iterator<Item = NodeR<'a>> {
    node.ancestors().filter(|n| n.value().is_element())
}

/// ASCII case-insensitive substring test, without allocating.
pub(crate) fn ci_contains(haystack: &str, needle: &str) -> bool {
    ci_contains_any(haystack, [needle])
}

/// Whether `haystack` holds any of `needles` ([`ci_contains`]). Each needle's first letter,
/// in either case, is looked for with `memchr2`; only where it is are the rest compared.
pub(crate) fn ci_contains_any<const N: usize>(haystack: &str, needles: [&str; N]) -> bool {
    let h = haystack.as_bytes();
    needles.iter().any(|needle| {
        let n = needle.as_bytes();
        let Some(&first) = n.first() else {
            return true;
        };
        let Some(last_start) = h.len().checked_sub(n.len()) else {
            return false;
        };
        let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
        memchr::memchr2_iter(lower, upper, &h[..=last_start])
            .any(|at| h[at..at + n.len()].eq_ignore_ascii_case(n))
    })
}

/// Whether an inline style hides the element.
fn style_hides(s: &str) -> bool {
    if !ci_contains_any(s, ["none", "hidden"]) {
        return false;
    }
    squeezed_ci_contains(s, b"display:none") || squeezed_ci_contains(s, b"visibility:hidden")
}

/// Whether `s` with all whitespace taken out holds `needle` (ASCII, no whitespace), compared
/// without ASCII case.
fn squeezed_ci_contains(s: &str, needle: &[u8]) -> bool {
    let Some(first) = needle.first() else {
        return true;
    };
    s.bytes().enumerate().any(|(i, b)| {
        // An ASCII byte starts a character, so `i` is a boundary.
        b.eq_ignore_ascii_case(first) && {
            let mut rest = s[i..].chars().filter(|c| !c.is_whitespace());
            needle.iter().all(|n| {
                rest.next()
                    .is_some_and(|c| c.is_ascii() && (c as u8).eq_ignore_ascii_case(n))
            })
        }
    })
}

/// Whether an element shows an error message (never part of a label).
pub(crate) fn is_error_node(node: NodeR<'_>) -> bool {
    let Some(el) = node.value().as_element() else {
        return false;
    };
    if el_attr(el, "role") == Some("alert") {
        return true;
    }
    if el_attr(el, "id").is_some_and(|id| id.ends_with("-error") || id.ends_with("_error")) {
        return true;
    }
    el_attr(el, "class").is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|x| class_kind(x) == ClassKind::Error)
    })
}

/// Whether `anc` is `node` or one of its ancestors.
pub(crate) fn is_inclusive_ancestor(anc: NodeR<'_>, node: NodeR<'_>) -> bool {
    anc.id() == node.id() || node.ancestors().any(|a| a.id() == anc.id())
}

/// Tags whose text is never label text (`spl-select` is SmartRecruiters' select, whose
/// options are no more a label than a `<select>`'s).
fn skip_text_tag(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("select")
            | local_name!("option")
            | local_name!("textarea")
            | local_name!("svg")
            | local_name!("button")
    ) || &**name == "spl-select"
}

/// `script`, `style` and `noscript`: their text is never page text.
fn raw_text_tag(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script") | local_name!("style") | local_name!("noscript")
    )
}

/// Text pieces (one per text node) under `node`, skipping scripts, styles, options, buttons
/// and any subtree for which `skip` says so.
pub(crate) fn text_segments<'a>(
    node: NodeR<'a>,
    skip: &dyn Fn(NodeR<'a>) -> bool,
    out: &mut Vec<&'a str>,
) {
    // Iterative walk: deep pages must not blow the stack.
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.value() {
            Node::Text(t) => {
                let s: &str = &t[..];
                if !s.trim().is_empty() {
                    out.push(s);
                }
            }
            Node::Element(e) => {
                // Script and style text is never text, even when asked for directly.
                if (n.id() != node.id() && skip_text_tag(&e.name.local))
                    || raw_text_tag(&e.name.local)
                    || skip(n)
                {
                    continue;
                }
                stack.extend(n.children().rev());
            }
            Node::Document | Node::Fragment => {
                stack.extend(n.children().rev());
            }
            _ => {}
        }
    }
}

/// All text under `node` (including buttons and options), whitespace collapsed.
pub(crate) fn full_text(node: NodeR<'_>) -> String {
    let mut out = String::new();
    push_text(&mut out, node, usize::MAX);
    out
}

/// Appends [`full_text`] of `node` to collapsed text `out`; `false` (with `out` cut short) as
/// soon as `out` grows past `max` bytes.
pub(crate) fn push_text(out: &mut String, node: NodeR<'_>, max: usize) -> bool {
    for n in node.descendants() {
        if let Node::Text(t) = n.value() {
            let within_script = n.ancestors().take(3).any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| raw_text_tag(&e.name.local))
            });
            if !within_script {
                // Pieces joined by a space, then collapsed: their words, one space apart.
                push_words(out, t);
                if out.len() > max {
                    return false;
                }
            }
        }
    }
    true
}

/// Collapses runs of whitespace into one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_words(&mut out, s);
    out
}

/// Appends the words of `s` (split at Unicode whitespace) to collapsed text, one space apart.
pub(crate) fn push_words(out: &mut String, s: &str) {
    // Words one plain space apart are already collapsed: they go in as one run.
    let mut push_run = |run: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(run);
    };
    // A byte loop: most text is ASCII, which `split_whitespace` would decode char by char.
    let bytes = s.as_bytes();
    let mut run: Option<(usize, usize)> = None;
    let mut word_start = None;
    let mut i = 0;
    while i <= bytes.len() {
        let (space, len) = match bytes.get(i) {
            // The end closes the last word.
            None => (true, 1),
            Some(&b) if b > b' ' && b.is_ascii() => (false, 1),
            // The ASCII part of `char::is_whitespace`: space and \t \n \x0b \x0c \r.
            Some(&b) if b.is_ascii() => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
            Some(_) => match s[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (true, 1),
            },
        };
        if space {
            if let Some(start) = word_start.take() {
                run = match run {
                    // One plain space since the run's last word: the run grows.
                    Some((run_start, end)) if start == end + 1 && bytes[end] == b' ' => {
                        Some((run_start, i))
                    }
                    Some((run_start, end)) => {
                        push_run(&s[run_start..end]);
                        Some((start, i))
                    }
                    None => Some((start, i)),
                };
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
        i += len;
    }
    if let Some((start, end)) = run {
        push_run(&s[start..end]);
    }
}

/// Whether `s` is a valid CSS identifier that can follow `#` unescaped.
pub(crate) fn is_css_ident(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii();
    if first == '-' {
        match chars.next() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '-' || !c.is_ascii() => {}
            _ => return false,
        }
    } else if !(first.is_ascii_alphabetic() || first == '_' || !first.is_ascii()) {
        return false;
    }
    chars.all(rest_ok)
}

/// A quoted CSS attribute value.
pub(crate) fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_css_string(&mut out, s);
    out
}

/// Appends [`css_string`] to `out`.
fn push_css_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\a "),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A CSS selector for an element: `#id` when the id is an identifier, `[id="…"]` otherwise,
/// `tag[name="…"]` when there is no id, else a structural path from the nearest ancestor with
/// an id.
pub(crate) fn selector_for(doc: &Doc<'_>, node: NodeR<'_>) -> String {
    let Some(el) = node.value().as_element() else {
        return String::new();
    };
    let name = el_attr(el, "name").filter(|n| !n.is_empty());
    if let Some(id) = el_attr(el, "id").filter(|id| !id.is_empty()) {
        // A repeated id (Ashby gives every radio of a group the same one) is ambiguous.
        if doc.id_count(id) <= 1 || name.is_none() {
            return id_selector(id);
        }
    }
    if let Some(name) = name {
        let mut out = String::with_capacity(el.name().len() + name.len() + 10);
        out.push_str(el.name());
        out.push_str("[name=");
        push_css_string(&mut out, name);
        out.push(']');
        return out;
    }
    path_selector(doc, node)
}

/// `#id` or `[id="…"]`.
pub(crate) fn id_selector(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 8);
    push_id_selector(&mut out, id);
    out
}

/// Appends [`id_selector`] to `out`.
fn push_id_selector(out: &mut String, id: &str) {
    if is_css_ident(id) {
        out.push('#');
        out.push_str(id);
    } else {
        out.push_str("[id=");
        push_css_string(out, id);
        out.push(']');
    }
}

/// A `>`-chained `:nth-child` path from the nearest ancestor with a unique id (or `html`).
pub(crate) fn path_selector(doc: &Doc<'_>, node: NodeR<'_>) -> String {
    // The steps from `node` up, written out in reverse at the end.
    enum Step<'a> {
        Id(&'a str),
        Html,
        Nth(&'a str, usize),
    }
    let mut steps: Vec<Step<'_>> = Vec::new();
    let mut current = node;
    while let Some(el) = current.value().as_element() {
        if current.id() != node.id()
            && let Some(id) = el_attr(el, "id").filter(|id| !id.is_empty())
            && doc.id_count(id) == 1
        {
            steps.push(Step::Id(id));
            break;
        }
        if el.name.local == local_name!("html") {
            steps.push(Step::Html);
            break;
        }
        let index = current
            .prev_siblings()
            .filter(|s| s.value().is_element())
            .count()
            + 1;
        steps.push(Step::Nth(el.name(), index));
        match current.parent() {
            Some(p) if p.value().is_element() => current = p,
            _ => break,
        }
    }
    let mut out = String::new();
    for step in steps.iter().rev() {
        if !out.is_empty() {
            out.push_str(" > ");
        }
        match step {
            Step::Id(id) => push_id_selector(&mut out, id),
            Step::Html => out.push_str("html"),
            Step::Nth(name, index) => {
                // Writing to a `String` cannot fail.
                let _ = write!(out, "{name}:nth-child({index})");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Text mixing ASCII and Unicode whitespace, case and markers.
    fn texty() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just(" "),
                Just("\t"),
                Just("\n"),
                Just("\u{b}"),
                Just("\u{a0}"),
                Just("\u{3000}"),
                Just("\u{85}"),
                Just("\u{200b}"),
                Just("a"),
                Just("Z"),
                Just("é"),
                Just("✱"),
                Just("*"),
                Just("none"),
                Just("DISPLAY"),
                Just(":"),
            ],
            0..24,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn push_words_collapses_like_split_whitespace(a in texty(), b in texty()) {
            let mut out = String::new();
            push_words(&mut out, &a);
            push_words(&mut out, &b);
            let words: Vec<&str> = a.split_whitespace().chain(b.split_whitespace()).collect();
            prop_assert_eq!(out, words.join(" "));
        }

        #[test]
        fn squeezed_search_matches_removing_whitespace(h in texty()) {
            let squeezed: String = h.chars().filter(|c| !c.is_whitespace()).collect();
            let squeezed = squeezed.to_ascii_lowercase();
            for needle in ["display:none", "none:a", "az"] {
                prop_assert_eq!(
                    squeezed_ci_contains(&h, needle.as_bytes()),
                    squeezed.contains(needle)
                );
            }
        }

        #[test]
        fn ci_contains_matches_a_lowercased_search(h in texty(), n in texty(), m in texty()) {
            let lower = h.to_ascii_lowercase();
            let expected = lower.contains(&n.to_ascii_lowercase());
            prop_assert_eq!(ci_contains(&h, &n), expected);
            let either = expected || lower.contains(&m.to_ascii_lowercase());
            prop_assert_eq!(ci_contains_any(&h, [n.as_str(), m.as_str()]), either);
        }
    }

    #[test]
    fn interned_names_are_the_names() {
        for name in [
            "id",
            "class",
            "name",
            "role",
            "type",
            "value",
            "aria-label",
            "required",
            "src",
            "placeholder",
            "checked",
            "autocomplete",
            "title",
            "href",
            "action",
            "tabindex",
            "selected",
            "multiple",
            "maxlength",
            "list",
            "label",
            "disabled",
            "contenteditable",
            "aria-owns",
            "aria-labelledby",
            "aria-haspopup",
            "aria-describedby",
            "aria-controls",
            "accept",
            "aria-hidden",
            "aria-invalid",
            "aria-required",
            "aria-selected",
            "style",
            "hidden",
            "for",
        ] {
            assert_eq!(interned(name), Some(LocalName::from(name)), "{name}");
        }
        assert_eq!(interned("data-qa"), None);
    }

    #[test]
    fn css_idents() {
        assert!(is_css_ident("first_name"));
        assert!(is_css_ident("question_123"));
        assert!(is_css_ident("-x"));
        assert!(!is_css_ident("4005041004"));
        assert!(!is_css_ident("a.b"));
        assert!(!is_css_ident("8127bb1e-09f2"));
        assert!(!is_css_ident(""));
        assert_eq!(id_selector("4005041004"), "[id=\"4005041004\"]");
        assert_eq!(id_selector("email"), "#email");
    }

    #[test]
    fn structural_path_is_a_valid_selector() {
        let html = Html::parse_document(
            "<div id=a><p>x</p><p><input type=file></p></div><div id=a></div>",
        );
        let doc = Doc::new(&html);
        let input = html
            .tree
            .root()
            .descendants()
            .find(|n| tag(*n) == Some("input"))
            .unwrap();
        let sel = selector_for(&doc, input);
        let parsed = scraper::Selector::parse(&sel).unwrap();
        let found: Vec<_> = html.select(&parsed).collect();
        assert_eq!(found.len(), 1, "{sel}");
        assert_eq!(found[0].id(), input.id());
    }
}
