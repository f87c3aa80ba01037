//! Small tree helpers over a parsed document: indexes built in one pass, text collection,
//! visibility hints and CSS selectors for elements.

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

/// A node of the parsed document.
pub(crate) type NodeR<'a> = NodeRef<'a, Node>;

/// A parsed document with the lookups every detector needs, built in one walk.
pub(crate) struct Doc<'a> {
    /// The parsed document.
    pub html: &'a Html,
    /// First element carrying each id.
    pub ids: HashMap<&'a str, NodeId>,
    /// How many elements carry each id (duplicates make `#id` ambiguous).
    pub id_counts: HashMap<&'a str, u32>,
    /// `label[for]` elements, by the id they point at.
    pub labels_for: HashMap<&'a str, Vec<NodeId>>,
    /// The `<body>` element, if any.
    pub body: Option<NodeId>,
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
    /// Whether the page carries a bot-challenge page's markers (`#challenge-form`…).
    pub challenge_page: bool,
    /// Script app mount points (`#root`, `#app`, `#__next`…).
    pub app_roots: Vec<NodeId>,
}

/// Classes that mark an element showing an error message.
const ERROR_CLASSES: &[&str] = &[
    "error",
    "errors",
    "error-message",
    "field-error",
    "form-error",
    "invalid-feedback",
    "helper-text--error",
    "application-error",
    "jv-apply-error",
];

impl<'a> Doc<'a> {
    /// Indexes a parsed document.
    pub fn new(html: &'a Html) -> Self {
        let mut ids: HashMap<&'a str, NodeId> = HashMap::new();
        let mut id_counts: HashMap<&'a str, u32> = HashMap::new();
        let mut labels_for: HashMap<&'a str, Vec<NodeId>> = HashMap::new();
        let mut doc = Doc {
            html,
            ids: HashMap::new(),
            id_counts: HashMap::new(),
            labels_for: HashMap::new(),
            body: None,
            iframes: Vec::new(),
            links: Vec::new(),
            passwords: Vec::new(),
            error_blocks: Vec::new(),
            captcha_widgets: Vec::new(),
            challenge_page: false,
            app_roots: Vec::new(),
        };
        for node in html.tree.root().descendants() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            let id = el_attr(el, "id");
            if let Some(id) = id {
                ids.entry(id).or_insert(node.id());
                *id_counts.entry(id).or_insert(0) += 1;
                match id {
                    "challenge-form"
                    | "challenge-running"
                    | "cf-challenge-running"
                    | "px-captcha" => doc.challenge_page = true,
                    "root" | "app" | "__next" | "__nuxt" => doc.app_roots.push(node.id()),
                    _ => {}
                }
            }
            match el.name() {
                "label" => {
                    if let Some(target) = el_attr(el, "for") {
                        labels_for.entry(target).or_default().push(node.id());
                    }
                }
                "body" if doc.body.is_none() => doc.body = Some(node.id()),
                "iframe" => doc.iframes.push(node.id()),
                "a" if el_attr(el, "href").is_some() => doc.links.push(node.id()),
                "input"
                    if el_attr(el, "type").is_some_and(|t| t.eq_ignore_ascii_case("password")) =>
                {
                    doc.passwords.push(node.id())
                }
                _ => {}
            }
            if el_attr(el, "role") == Some("alert") || el_attr(el, "data-qa") == Some("error") {
                doc.error_blocks.push(node.id());
            }
            if el_attr(el, "data-reactroot").is_some() {
                doc.app_roots.push(node.id());
            }
            if let Some(class) = el_attr(el, "class") {
                let mut error = false;
                let mut captcha = false;
                for c in class.split_ascii_whitespace() {
                    error |= ERROR_CLASSES.contains(&c);
                    captcha |= matches!(c, "g-recaptcha" | "h-captcha" | "cf-turnstile");
                }
                if error
                    && el_attr(el, "role") != Some("alert")
                    && el_attr(el, "data-qa") != Some("error")
                {
                    doc.error_blocks.push(node.id());
                }
                if captcha {
                    doc.captcha_widgets.push(node.id());
                }
                if class.split_ascii_whitespace().any(|c| c == "cf-turnstile") {
                    doc.challenge_page = true;
                }
            }
        }
        doc.ids = ids;
        doc.id_counts = id_counts;
        doc.labels_for = labels_for;
        doc
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
        self.ids.get(id).and_then(|n| self.node(*n))
    }

    /// The `label[for=id]` elements.
    pub fn labels_for(&self, id: &str) -> impl Iterator<Item = NodeR<'a>> + '_ {
        self.labels_for
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|n| self.node(*n))
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

/// An attribute of an element. A linear scan: scraper's own `attr` interns the name on every
/// call, which costs more than comparing the few attributes an element has.
pub(crate) fn el_attr<'a>(el: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    el.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// An attribute of the node, if it is an element.
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
pub(crate) fn aria_true(node: NodeR<'_>, name: &str) -> bool {
    attr(node, name).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Element ancestors, nearest first (the node itself excluded).
pub(crate) fn element_ancestors<'a>(node: NodeR<'a>) -> impl Iterator<Item = NodeR<'a>> {
    node.ancestors().filter(|n| n.value().is_element())
}

/// ASCII case-insensitive substring test, without allocating.
pub(crate) fn ci_contains(haystack: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    n.is_empty()
        || haystack
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

/// Whether an inline style hides the element.
pub(crate) fn style_hides(node: NodeR<'_>) -> bool {
    attr(node, "style").is_some_and(|s| {
        if !(ci_contains(s, "none") || ci_contains(s, "hidden")) {
            return false;
        }
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let s = s.to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Whether the element itself is marked hidden by attribute, inline style or a common
/// "hidden" utility class.
pub(crate) fn self_hidden(node: NodeR<'_>) -> bool {
    let Some(el) = node.value().as_element() else {
        return false;
    };
    if el_attr(el, "hidden").is_some() || style_hides(node) {
        return true;
    }
    el_attr(el, "class").is_some_and(|c| {
        c.split_ascii_whitespace().any(|x| {
            matches!(
                x,
                "hidden" | "ng-hide" | "d-none" | "is-hidden" | "hide" | "none"
            )
        })
    })
}

/// Whether the element or an ancestor is hidden (see [`self_hidden`]).
pub(crate) fn hidden_in_tree(node: NodeR<'_>) -> bool {
    self_hidden(node) || element_ancestors(node).any(self_hidden)
}

/// Whether the element or an ancestor has `aria-hidden="true"`.
pub(crate) fn aria_hidden_in_tree(node: NodeR<'_>) -> bool {
    aria_true(node, "aria-hidden") || element_ancestors(node).any(|a| aria_true(a, "aria-hidden"))
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
            .any(|x| ERROR_CLASSES.contains(&x))
    })
}

/// Whether `anc` is `node` or one of its ancestors.
pub(crate) fn is_inclusive_ancestor(anc: NodeR<'_>, node: NodeR<'_>) -> bool {
    anc.id() == node.id() || node.ancestors().any(|a| a.id() == anc.id())
}

/// Tags whose text is never label text (`spl-select` is SmartRecruiters' select, whose
/// options are no more a label than a `<select>`'s).
fn skip_text_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "select"
            | "option"
            | "textarea"
            | "svg"
            | "button"
            | "spl-select"
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
                if (n.id() != node.id() && skip_text_tag(e.name()))
                    || matches!(e.name(), "script" | "style" | "noscript")
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
    let mut parts = Vec::new();
    for n in node.descendants() {
        if let Node::Text(t) = n.value() {
            let within_script = n
                .ancestors()
                .take(3)
                .any(|a| matches!(tag(a), Some("script" | "style" | "noscript")));
            if !within_script {
                parts.push(&t[..]);
            }
        }
    }
    collapse(&parts.join(" "))
}

/// Collapses runs of whitespace into one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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
    out
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
        if doc.id_counts.get(id).copied().unwrap_or(0) <= 1 || name.is_none() {
            return id_selector(id);
        }
    }
    if let Some(name) = name {
        return format!("{}[name={}]", el.name(), css_string(name));
    }
    path_selector(doc, node)
}

/// `#id` or `[id="…"]`.
pub(crate) fn id_selector(id: &str) -> String {
    if is_css_ident(id) {
        format!("#{id}")
    } else {
        format!("[id={}]", css_string(id))
    }
}

/// A `>`-chained `:nth-child` path from the nearest ancestor with a unique id (or `html`).
pub(crate) fn path_selector(doc: &Doc<'_>, node: NodeR<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = node;
    while let Some(el) = current.value().as_element() {
        if current.id() != node.id()
            && let Some(id) = el_attr(el, "id").filter(|id| !id.is_empty())
            && doc.id_counts.get(id).copied() == Some(1)
        {
            parts.push(id_selector(id));
            break;
        }
        if el.name() == "html" {
            parts.push("html".to_owned());
            break;
        }
        let index = current
            .prev_siblings()
            .filter(|s| s.value().is_element())
            .count()
            + 1;
        parts.push(format!("{}:nth-child({index})", el.name()));
        match current.parent() {
            Some(p) if p.value().is_element() => current = p,
            _ => break,
        }
    }
    parts.reverse();
    parts.join(" > ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
