//! A byte-level pass before html5ever that removes what no detector reads, so the parser
//! (most of an analysis) sees fewer bytes and nodes: the text of comments, the bodies of
//! `<script>`, `<style>` and `<noscript>`, attributes no rule reads (`content` of metas,
//! Angular and feature-toggle blobs, `data-*` the detectors never look at), class tokens no
//! rule looks for (CSS-module and utility classes), and the items of intl-tel-input's phone
//! country list (about 250 `li`, 70% of a Greenhouse job-boards page).
//!
//! The pass follows the tokenizer states of the HTML spec that decide where a tag, a comment
//! or a raw-text body ends, so the tree html5ever builds from its output is the tree of the
//! page with only those parts missing: same elements, same kept attributes, same text, one
//! (empty) comment node per comment. Whenever the page holds something whose parse depends on
//! tree-builder state this pass does not track (markup inside `<svg>`/`<math>` other than plain
//! SVG shapes, a raw-text element after a `<select>` holding a `<`, a `<!--` in a script,
//! framesets), it gives the page back untouched. Formatting elements (`a`, `b`, `font`…) keep
//! every attribute: the parser compares them when it reopens formatting elements.
//!
//! Linear, one output buffer, never panics: slicing happens only at ASCII bytes, through
//! `str::get`.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Attributes a detector reads (keep in step with `dom::attr` calls; a unit test checks the
/// sources), plus `type`, which the tree builder reads (`<input type=hidden>` in tables).
const KEEP: &[&str] = &[
    "accept",
    "action",
    "aria-controls",
    "aria-describedby",
    "aria-errormessage",
    "aria-haspopup",
    "aria-hidden",
    "aria-invalid",
    "aria-label",
    "aria-labelledby",
    "aria-owns",
    "aria-required",
    "aria-selected",
    "autocomplete",
    "checked",
    "class",
    "contenteditable",
    "data-automation-id",
    "data-field-path",
    "data-qa",
    "data-reactroot",
    "data-size",
    "data-src",
    "data-value",
    "disabled",
    "for",
    "form",
    "hidden",
    "href",
    "id",
    "label",
    "list",
    "maxlength",
    "multiple",
    "name",
    "placeholder",
    "required",
    "role",
    "selected",
    "size",
    "src",
    "style",
    "tabindex",
    "title",
    "type",
    "value",
];

/// Pieces of class names the detectors look for (`has_class`, `class_contains`, the error,
/// captcha and hidden classes of `dom`; a unit test checks the sources): a class token holding
/// none of them, compared without case, is dropped from `class` values.
const CLASS_NEEDLES: &[&str] = &[
    "error",
    "invalid-feedback",
    "captcha",
    "turnstile",
    "hidden",
    "hide",
    "none",
    "ashby-application-form",
    "required",
    "autofill-input-root",
    "description",
    "jv-add-attachment",
    "newsletter",
    "cookie",
    "resumator-questionnaire-checkbox-answer",
    "iti__country-list",
    "--is-multi",
    "__control",
    "__single-value",
    "__multi-value__label",
    "phone-input",
    "oversize",
    "upload-failure",
    "awli-button-container",
    "application-question",
    "application-label",
    "text",
];

/// Elements whose attributes the tree builder compares (the "Noah's Ark" clause) or reads.
const VERBATIM_TAGS: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
    "u", "isindex",
];

/// SVG elements whose content parses the same whichever way the parser is in.
const SVG_PLAIN: &[&str] = &[
    "svg",
    "g",
    "path",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "rect",
    "use",
    "defs",
    "symbol",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "pattern",
    "title",
    "desc",
    "filter",
    "fegaussianblur",
    "feoffset",
    "feblend",
    "fecolormatrix",
    "feflood",
    "fecomposite",
    "femerge",
    "femergenode",
    "metadata",
];

/// The page with unread parts removed, or the page itself when nothing was removed or the pass
/// cannot be sure of the parse.
pub(crate) fn prefilter(html: &str) -> Cow<'_, str> {
    let mut f = Filter {
        src: html,
        b: html.as_bytes(),
        out: String::new(),
        copied: 0,
        seen_select: false,
        lists_tried: 0,
    };
    match f.run() {
        Some(()) if f.copied > 0 => {
            if let Some(rest) = html.get(f.copied..) {
                f.out.push_str(rest);
                Cow::Owned(f.out)
            } else {
                Cow::Borrowed(html)
            }
        }
        _ => Cow::Borrowed(html),
    }
}

struct Filter<'a> {
    src: &'a str,
    b: &'a [u8],
    out: String,
    /// Input before this index is in `out`.
    copied: usize,
    /// A `<select>` start tag was seen: raw-text tags other than script and textarea may be
    /// ignored from here on (the "in select" insertion mode).
    seen_select: bool,
    /// Country lists looked at: a few at most, so the pass stays linear on odd pages.
    lists_tried: u8,
}

/// A scanned tag.
struct Tag {
    name: (usize, usize),
    /// Index after the tag's `>`, or the input length when the input ends inside the tag.
    end: usize,
    eof: bool,
    self_closing: bool,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn find(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    hay.get(from..)?
        .iter()
        .position(|&c| c == needle)
        .map(|p| p + from)
}

fn find_seq(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay_from = hay.get(from..)?;
    if needle.is_empty() || hay_from.len() < needle.len() {
        return None;
    }
    hay_from
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `CLASS_NEEDLES` by their first byte (lowercase).
static NEEDLES_BY_FIRST: LazyLock<Vec<Vec<&'static [u8]>>> = LazyLock::new(|| {
    let mut table = vec![Vec::new(); 256];
    for n in CLASS_NEEDLES {
        if let Some(&c) = n.as_bytes().first() {
            table[usize::from(c.to_ascii_lowercase())].push(n.as_bytes());
        }
    }
    table
});

/// Whether a class token may be looked for: it holds a needle, or a character reference
/// (whose decoded text this pass does not see).
fn wanted_class(t: &[u8]) -> bool {
    let table = &*NEEDLES_BY_FIRST;
    (0..t.len()).any(|i| {
        let c = t[i];
        c == b'&'
            || table[usize::from(c.to_ascii_lowercase())].iter().any(|n| {
                t.get(i..i + n.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(n))
            })
    })
}

fn eq_ci(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

impl Filter<'_> {
    /// Drops input `[from, to)`, writing a space instead when the byte before is no whitespace
    /// (`<p/x=1>` must not become `<p/>`).
    fn drop_span(&mut self, from: usize, to: usize, space: bool) -> Option<()> {
        self.out.push_str(self.src.get(self.copied..from)?);
        if space {
            self.out.push(' ');
        }
        self.copied = to;
        Some(())
    }

    /// Keeps only the class tokens in `[from, to)` that a detector may look for.
    fn filter_classes(&mut self, from: usize, to: usize) -> Option<()> {
        let value = self.b.get(from..to)?;
        self.out.push_str(self.src.get(self.copied..from)?);
        let mut first = true;
        let mut k = from;
        for t in value.split(|&c| is_ws(c)) {
            let start = k;
            k += t.len() + 1;
            if !t.is_empty() && wanted_class(t) {
                if !first {
                    self.out.push(' ');
                }
                first = false;
                self.out.push_str(self.src.get(start..start + t.len())?);
            }
        }
        self.copied = to;
        Some(())
    }

    /// Index after the next `>` from `from`, or the input length.
    fn skip_to_gt(&self, from: usize) -> usize {
        find(self.b, from, b'>').map_or(self.b.len(), |p| p + 1)
    }

    /// End of a comment whose `<!--` is at `p`: index after its terminator, or `None` at EOF.
    fn comment_end(&self, p: usize) -> Option<usize> {
        // `<!-->` and `<!--->` end at once; in the body `-->` or `--!>` end it.
        let b = self.b;
        let mut k = p + 2;
        while let Some(d) = find(b, k, b'-') {
            if b.get(d + 1) == Some(&b'-') {
                match b.get(d + 2) {
                    Some(b'>') => return Some(d + 3),
                    Some(b'!') if d >= p + 4 && b.get(d + 3) == Some(&b'>') => return Some(d + 4),
                    None => return None,
                    _ => {}
                }
            }
            k = d + 1;
        }
        None
    }

    /// Where a raw-text body starting at `from` ends: the index of its `</name` end tag.
    fn raw_end(&self, from: usize, name: &str) -> Option<usize> {
        let mut i = from;
        while let Some(p) = find_seq(self.b, i, b"</") {
            let n = p + 2;
            let after = n + name.len();
            if self.b.get(n..after).is_some_and(|s| eq_ci(s, name))
                && self
                    .b
                    .get(after)
                    .is_none_or(|&c| is_ws(c) || c == b'/' || c == b'>')
            {
                return Some(p);
            }
            i = p + 2;
        }
        None
    }

    /// Scans a tag whose name starts at `start`; drops unread attributes when `modify`.
    fn tag(&mut self, start: usize, modify: bool) -> Option<Tag> {
        let b = self.b;
        let len = b.len();
        let mut i = start;
        while i < len && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = (start, i);
        let modify = modify && !VERBATIM_TAGS.iter().any(|t| eq_ci(&b[start..i], t));
        let mut self_closing = false;
        loop {
            // Before attribute name.
            while i < len && is_ws(b[i]) {
                i += 1;
            }
            if i >= len {
                return Some(Tag {
                    name,
                    end: len,
                    eof: true,
                    self_closing,
                });
            }
            match b[i] {
                b'>' => {
                    return Some(Tag {
                        name,
                        end: i + 1,
                        eof: false,
                        self_closing,
                    });
                }
                b'/' => {
                    i += 1;
                    if b.get(i) == Some(&b'>') {
                        self_closing = true;
                        return Some(Tag {
                            name,
                            end: i + 1,
                            eof: false,
                            self_closing,
                        });
                    }
                    continue;
                }
                _ => {}
            }
            // Attribute name: the first byte always belongs to it (even `=`).
            let attr_start = i;
            i += 1;
            while i < len && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let attr_name = (attr_start, i);
            // After attribute name.
            let mut j = i;
            while j < len && is_ws(b[j]) {
                j += 1;
            }
            let mut attr_end = i;
            if j < len && b[j] == b'=' {
                j += 1;
                while j < len && is_ws(b[j]) {
                    j += 1;
                }
                match b.get(j) {
                    None => {
                        return Some(Tag {
                            name,
                            end: len,
                            eof: true,
                            self_closing,
                        });
                    }
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = find(b, j + 1, q)?;
                        attr_end = close + 1;
                        if modify && eq_ci(&b[attr_start..i], "class") {
                            self.filter_classes(j + 1, close)?;
                        }
                    }
                    // `a=>`: an empty value, the tag ends.
                    Some(b'>') => attr_end = j,
                    Some(_) => {
                        let mut k = j;
                        while k < len && !is_ws(b[k]) && b[k] != b'>' {
                            k += 1;
                        }
                        attr_end = k;
                    }
                }
            }
            if modify && !keep(&b[attr_name.0..attr_name.1]) {
                let space = attr_start > 0 && !is_ws(b[attr_start - 1]);
                self.drop_span(attr_start, attr_end, space)?;
            }
            i = attr_end;
        }
    }

    fn run(&mut self) -> Option<()> {
        let b = self.b;
        let mut i = 0;
        while let Some(p) = find(b, i, b'<') {
            match b.get(p + 1) {
                Some(b'!') => {
                    if b.get(p + 2..p + 4) == Some(b"--") {
                        let Some(end) = self.comment_end(p) else {
                            // Unterminated: everything after is the comment's text.
                            self.out.push_str(self.src.get(self.copied..p)?);
                            self.out.push_str("<!--");
                            self.copied = b.len();
                            return Some(());
                        };
                        if end - p > 7 {
                            self.out.push_str(self.src.get(self.copied..p)?);
                            self.out.push_str("<!---->");
                            self.copied = end;
                        }
                        i = end;
                    } else {
                        // Doctype or bogus comment: both end at the first `>`.
                        i = self.skip_to_gt(p + 2);
                    }
                }
                Some(b'?') => i = self.skip_to_gt(p + 2),
                Some(b'/') => match b.get(p + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let t = self.tag(p + 2, false)?;
                        if t.eof {
                            return Some(());
                        }
                        i = t.end;
                    }
                    Some(b'>') => i = p + 3,
                    Some(_) => i = self.skip_to_gt(p + 2),
                    None => return Some(()),
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    let t = self.tag(p + 1, true)?;
                    if t.eof {
                        return Some(());
                    }
                    i = self.after_start_tag(&t)?;
                }
                _ => i = p + 1,
            }
        }
        Some(())
    }

    /// Handles what follows a start tag; returns where scanning resumes.
    fn after_start_tag(&mut self, t: &Tag) -> Option<usize> {
        let name = self.b.get(t.name.0..t.name.1)?.to_ascii_lowercase();
        let name = name.as_slice();
        const RAW: &[&str] = &[
            "script", "style", "noscript", "textarea", "title", "xmp", "iframe", "noembed",
            "noframes",
        ];
        if let Some(raw) = RAW.iter().find(|r| r.as_bytes() == name) {
            let close = self.raw_end(t.end, raw);
            let body_end = close.unwrap_or(self.b.len());
            let body = self.b.get(t.end..body_end)?;
            let in_select_mode = self.seen_select && !matches!(*raw, "script" | "textarea");
            if in_select_mode {
                // In a select these tags are ignored and their body is markup: safe only when
                // the body holds no markup either way.
                if body.contains(&b'<') {
                    return None;
                }
                return Some(body_end);
            }
            if *raw == "script" && find_seq(body, 0, b"<!--").is_some() {
                // Script data escape states: not followed here.
                return None;
            }
            if matches!(*raw, "script" | "style" | "noscript") && !body.is_empty() {
                self.drop_span(t.end, body_end, false)?;
            }
            return Some(body_end);
        }
        match name {
            b"plaintext" => Some(self.b.len()),
            b"frameset" => None,
            b"select" => {
                self.seen_select = true;
                Some(t.end)
            }
            b"svg" | b"math" if !t.self_closing => self.foreign(t.end, name == b"svg"),
            b"ul" => {
                if let Some(close) = self.country_list_end(t) {
                    self.drop_span(t.end, close, false)?;
                    return Some(close);
                }
                Some(t.end)
            }
            _ => Some(t.end),
        }
    }

    /// The end of the items of a phone widget's country list (intl-tel-input's
    /// `ul.iti__country-list[role=listbox]`, about 250 countries, most of some pages), when
    /// they are safe to leave out: only `li`/`span`/`div` markup (and empty `<svg></svg>`
    /// icons) with the widget's own attributes, and no control but the widget's search box points at the list. No detector
    /// reads these items then: Greenhouse skips the list, no item is a control, and the
    /// country names are never the nearest text of a question (the search box stands between).
    fn country_list_end(&mut self, t: &Tag) -> Option<usize> {
        let b = self.b;
        let open = b.get(t.name.0.checked_sub(1)?..t.end)?;
        if find_seq(open, 0, b"iti__country-list").is_none()
            || find_seq(open, 0, b"role=\"listbox\"").is_none()
        {
            return None;
        }
        if self.lists_tried >= 4 {
            return None;
        }
        self.lists_tried += 1;
        let close = self.raw_end(t.end, "ul")?;
        // Only li/span/div tags with the widget's attributes between.
        let mut i = t.end;
        while let Some(p) = find(b, i, b'<') {
            if p >= close {
                break;
            }
            let end = find(b, p, b'>')?;
            let tag = b.get(p + 1..end)?;
            let tag = tag.strip_prefix(b"/").unwrap_or(tag);
            let name_len = tag.iter().position(|&c| is_ws(c)).unwrap_or(tag.len());
            let name = &tag[..name_len];
            if name == b"svg" && tag == b"svg" {
                // An empty check-mark icon.
                if b.get(end + 1..end + 7) != Some(b"</svg>") {
                    return None;
                }
                i = end + 7;
                continue;
            }
            if !(name == b"li" || name == b"span" || name == b"div") {
                return None;
            }
            let mut rest = &tag[name_len..];
            // Attributes: only `name="value"` pairs the widget writes.
            loop {
                let skip = rest.iter().position(|&c| !is_ws(c)).unwrap_or(rest.len());
                rest = &rest[skip..];
                if rest.is_empty() {
                    break;
                }
                let eq = rest.iter().position(|&c| c == b'=')?;
                let attr = &rest[..eq];
                if !(matches!(
                    attr,
                    b"id"
                        | b"class"
                        | b"tabindex"
                        | b"role"
                        | b"aria-selected"
                        | b"aria-hidden"
                        | b"dir"
                ) || attr.starts_with(b"data-"))
                {
                    return None;
                }
                if rest.get(eq + 1) != Some(&b'"') {
                    return None;
                }
                let value_end = find(rest, eq + 2, b'"')?;
                let value = &rest[eq + 2..value_end];
                if attr == b"role" && value != b"option" {
                    return None;
                }
                if value.contains(&b'<') {
                    return None;
                }
                rest = &rest[value_end + 1..];
            }
            i = end + 1;
        }
        // Whatever names the list by id must be a search box (the widget's own filter).
        if let Some(at) = find_seq(open, 0, b" id=\"") {
            let id_from = at + 5;
            let id_end = find(open, id_from, b'"')?;
            let id = open.get(id_from..id_end)?;
            if id.is_empty() {
                return None;
            }
            let own = t.name.0 - 1;
            let mut k = 0;
            while let Some(q) = find_seq(b, k, id) {
                k = q + 1;
                if (own..t.end).contains(&q) {
                    continue;
                }
                let start = b.get(..q)?.iter().rposition(|&c| c == b'<')?;
                let end = find(b, q, b'>')?;
                let tag = b.get(start..end)?;
                if !(tag.len() > 6 && eq_ci(&tag[..6], "<input"))
                    || find_seq(tag, 0, b"type=\"search\"").is_none()
                    || find(tag, 1, b'<').is_some()
                {
                    return None;
                }
            }
        }
        Some(close)
    }

    /// Copies SVG (or MathML) content verbatim up to its closing tag; `None` when it holds
    /// anything whose parse depends on the tree builder (integration points, HTML breakouts,
    /// CDATA, non-SVG elements).
    fn foreign(&mut self, from: usize, svg: bool) -> Option<usize> {
        let b = self.b;
        let mut depth = 1u32;
        let mut i = from;
        while let Some(p) = find(b, i, b'<') {
            match b.get(p + 1) {
                Some(b'!') => {
                    if b.get(p + 2..p + 4) == Some(b"--") {
                        i = self.comment_end(p)?;
                    } else if b.get(p + 2) == Some(&b'[') {
                        return None;
                    } else {
                        i = self.skip_to_gt(p + 2);
                    }
                }
                Some(b'?') => i = self.skip_to_gt(p + 2),
                Some(b'/') => match b.get(p + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let t = self.tag(p + 2, false)?;
                        if t.eof {
                            return Some(b.len());
                        }
                        let n = b.get(t.name.0..t.name.1)?;
                        if eq_ci(n, "p") || eq_ci(n, "br") {
                            return None;
                        }
                        if eq_ci(n, if svg { "svg" } else { "math" }) {
                            depth -= 1;
                            if depth == 0 {
                                return Some(t.end);
                            }
                        }
                        i = t.end;
                    }
                    Some(b'>') => i = p + 3,
                    Some(_) => i = self.skip_to_gt(p + 2),
                    None => return Some(b.len()),
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    if !svg {
                        return None;
                    }
                    let t = self.tag(p + 1, false)?;
                    if t.eof {
                        return Some(b.len());
                    }
                    let n = b.get(t.name.0..t.name.1)?;
                    if !SVG_PLAIN.iter().any(|s| eq_ci(n, s)) {
                        return None;
                    }
                    if eq_ci(n, "svg") && !t.self_closing {
                        depth += 1;
                    }
                    // Title and desc take HTML content: only plain text is safe.
                    if (eq_ci(n, "title") || eq_ci(n, "desc")) && !t.self_closing {
                        let next = find(b, t.end, b'<')?;
                        let close = b.get(next + 2..next + 2 + n.len())?;
                        if b.get(next + 1) != Some(&b'/') || !close.eq_ignore_ascii_case(n) {
                            return None;
                        }
                    }
                    i = t.end;
                }
                _ => i = p + 1,
            }
        }
        Some(b.len())
    }
}

fn keep(name: &[u8]) -> bool {
    KEEP.iter().any(|k| eq_ci(name, k))
        || name.len() >= 10 && name[..10].eq_ignore_ascii_case(b"shadowroot")
}

#[cfg(test)]
mod tests {
    use ego_tree::iter::Edge;
    use proptest::prelude::*;
    use scraper::{Html, Node};

    use super::*;

    fn ci_find(hay: &[u8], needle: &str) -> bool {
        let n = needle.as_bytes();
        hay.len() >= n.len() && hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    }

    /// The tree as the detectors see it: elements with their kept attributes, text outside
    /// scripts and styles, comments without their text.
    fn shape(html: &str) -> String {
        let doc = Html::parse_document(html);
        let mut out = String::new();
        // Country lists whose items the pass may leave out: compared without their items.
        let mut skip_in: Option<ego_tree::NodeId> = None;
        for edge in doc.tree.root().traverse() {
            if let Some(list) = skip_in {
                match edge {
                    Edge::Close(n) if n.id() == list => skip_in = None,
                    _ => continue,
                }
            }
            if let Edge::Open(n) = edge
                && let Some(e) = n.value().as_element()
                && e.name() == "ul"
                && e.attr("role") == Some("listbox")
                && e.attr("class")
                    .is_some_and(|c| c.contains("iti__country-list"))
            {
                skip_in = Some(n.id());
            }
            match edge {
                Edge::Open(n) => match n.value() {
                    Node::Element(e) => {
                        out.push('<');
                        out.push_str(e.name());
                        let mut attrs: Vec<_> = e
                            .attrs()
                            .filter(|(k, _)| keep(k.as_bytes()))
                            .map(|(k, v)| {
                                if k == "class" {
                                    let kept: Vec<&str> = v
                                        .split_ascii_whitespace()
                                        .filter(|t| {
                                            t.contains('&')
                                                || CLASS_NEEDLES
                                                    .iter()
                                                    .any(|n| ci_find(t.as_bytes(), n))
                                        })
                                        .collect();
                                    format!(" class={:?}", kept.join(" "))
                                } else {
                                    format!(" {k}={v:?}")
                                }
                            })
                            .collect();
                        attrs.sort();
                        out.push_str(&attrs.concat());
                        out.push('>');
                    }
                    Node::Text(t) => {
                        let parent = n
                            .parent()
                            .and_then(|p| p.value().as_element().map(|e| e.name()));
                        if !matches!(parent, Some("script" | "style" | "noscript")) {
                            out.push_str(&format!("{:?}", &t[..]));
                        }
                    }
                    Node::Comment(_) => out.push_str("<!>"),
                    _ => {}
                },
                Edge::Close(n) => {
                    if let Node::Element(e) = n.value() {
                        out.push_str("</");
                        out.push_str(e.name());
                        out.push('>');
                    }
                }
            }
        }
        out
    }

    fn same_tree(html: &str) {
        let filtered = prefilter(html);
        assert_eq!(
            shape(&filtered),
            shape(html),
            "input {html:?}\nfiltered {filtered:?}"
        );
    }

    #[test]
    fn unread_parts_go_and_the_tree_stays() {
        let html = r#"<!DOCTYPE html><html><head><meta name="x" content="long long"><style>p{}</style>
            <script>if (a < b) { x = "</scr" + "ipt>"; }</script></head>
            <body><!-- a comment --><div data-feature-toggles='{"a":1}' class="c field-error x" ng-if="x">
            <label for="a">A</label><input id=a name=a data-x=1 type=hidden/x=2></div></body></html>"#;
        let out = prefilter(html);
        assert!(!out.contains("content="), "{out}");
        assert!(!out.contains("feature"), "{out}");
        assert!(!out.contains("a comment"), "{out}");
        assert!(!out.contains("p{}"), "{out}");
        assert!(!out.contains("ipt>\""), "{out}");
        assert!(out.contains(r#"class="field-error""#), "{out}");
        same_tree(html);
    }

    #[test]
    fn tricky_markup_parses_the_same() {
        for html in [
            "<script>a</script >b<p x=1>c",
            "<script>a</scripts><p x=1></script><p y=2>",
            "<script><!--<script></script>--></script><p z=1>",
            "<SCRIPT>x</ScRiPt><p q=1>",
            "<script>unclosed <p x=1>",
            "<style>a<b</style><i data-x=1>",
            "<select><style><p data-x=1>t</style></select>",
            "<select><option>a</option><noscript>b</noscript><p data-y=1></select>",
            "<textarea><p data-x=1></textarea><p data-y=2>",
            "<title><!--</title>--><p data-x=1>",
            "<!--> <p data-x=1> <!---> <p data-y=1> <!----> <p data-z=1>",
            "<!--a--!><p data-x=1><!--b--!-><p data-y=1>-->",
            "<!--unclosed <p data-x=1>",
            "<!doctype html x='>'><p data-x=1>",
            "<?xml x='>'?><p data-x=1>",
            "</ x='>'><p data-x=1></>",
            "<p data-x=\"a>b\" class=c data-y='q\"r' data-z=s/t>u",
            "<p data-x=1/><p =x data-y>",
            "<p class=\"a\"data-x=\"b\"id=c>",
            "<b data-x=1><b data-x=2><b data-x=3><b data-x=4><p>x</b></p><p>y",
            "<svg viewBox=\"0 0 1 1\"><path d=\"M0\"/><title>Close</title></svg><p data-x=1>",
            "<svg><p data-x=1>t</p></svg><i data-y=2>",
            "<svg><![CDATA[<p data-x=1>]]></svg>",
            "<svg><foreignObject><p data-x=1></foreignObject></svg>",
            "<svg><title><p data-x=1></title></svg>",
            "<math><mi><p data-x=1></mi></math>",
            "<table><input type=hidden data-x=1><tr><td data-y=1>a</table>",
            "<template shadowrootmode=open data-x=1><input name=a></template>",
            "<frameset><noframes><p data-x=1></noframes></frameset>",
            "<plaintext><p data-x=1>",
            "<noscript><p data-x=1>t</noscript><p data-y=1>",
            "<head><noscript><link data-x=1></noscript></head><p>",
            "<p data-x",
            "<p data-x=",
            "<p data-x=\"",
            "<",
            "</",
            "<!",
            "<!-",
            "<p<x<select><script><![CDATA[</script><select>",
        ] {
            same_tree(html);
            let url = "https://example.com/apply";
            assert_eq!(
                crate::analyse_document(url, html),
                crate::analyse_tree(url, html, &Html::parse_document(html)),
                "{html:?}"
            );
        }
    }

    #[test]
    fn every_attribute_a_detector_reads_is_kept() {
        // The detectors read attributes through these helpers, always with a literal name.
        let sources = [
            include_str!("ashby.rs"),
            include_str!("dom.rs"),
            include_str!("fields.rs"),
            include_str!("generic.rs"),
            include_str!("greenhouse.rs"),
            include_str!("handler.rs"),
            include_str!("kind.rs"),
            include_str!("lever.rs"),
            include_str!("lib.rs"),
            include_str!("provider.rs"),
            include_str!("text.rs"),
        ];
        let mut checked = 0;
        for src in sources {
            for call in ["attr(", "el_attr(", "aria_true("] {
                for (at, _) in src.match_indices(call) {
                    // The literal after the first comma of the call, if on the same line.
                    let rest = &src[at + call.len()..];
                    let line = rest.split('\n').next().unwrap_or("");
                    let Some(comma) = line.find(", \"") else {
                        continue;
                    };
                    let lit = &line[comma + 3..];
                    let Some(end) = lit.find('"') else { continue };
                    let name = &lit[..end];
                    checked += 1;
                    assert!(
                        keep(name.as_bytes()),
                        "attribute {name:?} is read but dropped"
                    );
                }
            }
        }
        assert!(checked > 50, "found only {checked} attribute reads");
    }

    #[test]
    fn every_class_a_detector_looks_for_is_kept() {
        let sources = [
            include_str!("ashby.rs"),
            include_str!("dom.rs"),
            include_str!("fields.rs"),
            include_str!("generic.rs"),
            include_str!("greenhouse.rs"),
            include_str!("kind.rs"),
            include_str!("lever.rs"),
        ];
        let mut checked = 0;
        for src in sources {
            for call in ["class_contains(", "has_class(", "ci_contains(class, "] {
                for (at, _) in src.match_indices(call) {
                    let line = src[at + call.len()..].split('\n').next().unwrap_or("");
                    let Some(open) = line.find('"') else { continue };
                    let lit = &line[open + 1..];
                    let Some(end) = lit.find('"') else { continue };
                    let class = &lit[..end];
                    checked += 1;
                    assert!(
                        CLASS_NEEDLES.iter().any(|n| ci_find(class.as_bytes(), n)),
                        "class {class:?} is looked for but dropped"
                    );
                }
            }
        }
        assert!(checked > 20, "found only {checked} class checks");
        // The lists in `dom` (error, captcha and hidden classes).
        for class in [
            "error",
            "errors",
            "error-message",
            "field-error",
            "form-error",
            "invalid-feedback",
            "helper-text--error",
            "application-error",
            "jv-apply-error",
            "g-recaptcha",
            "h-captcha",
            "cf-turnstile",
            "hidden",
            "ng-hide",
            "d-none",
            "is-hidden",
            "hide",
            "none",
        ] {
            assert!(
                CLASS_NEEDLES.iter().any(|n| ci_find(class.as_bytes(), n)),
                "{class}"
            );
        }
    }

    /// Every HTML page of the fixtures and of the shared corpus, with its path.
    fn fixture_and_corpus_pages() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut pages = Vec::new();
        for dir in [root.join("fixtures"), root.join("../shared/corpus")] {
            let Ok(ats_dirs) = std::fs::read_dir(&dir) else {
                continue;
            };
            for ats in ats_dirs.flatten() {
                let Ok(files) = std::fs::read_dir(ats.path()) else {
                    continue;
                };
                for file in files.flatten() {
                    let path = file.path();
                    if path.extension().is_some_and(|e| e == "html") {
                        let html = std::fs::read_to_string(&path).unwrap();
                        pages.push((path, html));
                    }
                }
            }
        }
        assert!(!pages.is_empty(), "no fixture pages found");
        pages
    }

    #[test]
    fn fixture_and_corpus_pages_parse_the_same() {
        for (path, html) in fixture_and_corpus_pages() {
            let filtered = prefilter(&html);
            assert!(
                shape(&filtered) == shape(&html),
                "{} parses differently",
                path.display()
            );
        }
    }

    #[test]
    fn analyses_match_without_the_pass() {
        let urls = [
            "https://example.com/careers/apply",
            "https://job-boards.greenhouse.io/acme/jobs/1",
            "https://jobs.lever.co/acme/1/apply",
            "https://jobs.ashbyhq.com/acme/1/application",
            "https://apply.workable.com/acme/j/1/apply/",
        ];
        for (path, html) in fixture_and_corpus_pages() {
            let raw = Html::parse_document(&html);
            for url in urls {
                assert_eq!(
                    crate::analyse_document(url, &html),
                    crate::analyse_tree(url, &html, &raw),
                    "{} at {url}",
                    path.display()
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn random_markup_parses_the_same(parts in proptest::collection::vec(prop_oneof![
            Just("<"), Just(">"), Just("</"), Just("/"), Just("="), Just("\""), Just("'"),
            Just(" "), Just("<!--"), Just("-->"), Just("--!>"), Just("-"), Just("!"),
            Just("<p"), Just("<div"), Just("<b"), Just("<a"), Just("<svg"), Just("</svg>"),
            Just("<path"), Just("<title>"), Just("</title>"), Just("<script>"),
            Just("</script>"), Just("<style>"), Just("</style"), Just("<select>"),
            Just("</select>"), Just("<textarea>"), Just("<noscript>"), Just("<table>"),
            Just("<input"), Just(" type=hidden"), Just(" data-x=1"), Just(" class=\"c\""),
            Just(" id=i"), Just("<template shadowrootmode=open>"), Just("x"), Just("\n"),
            Just("<![CDATA["), Just("]]>"), Just("<math>"), Just("<option>"), Just("&amp;"),
        ], 0..40)) {
            let html = parts.concat();
            same_tree(&html);
            let url = "https://example.com/apply";
            prop_assert_eq!(
                crate::analyse_document(url, &html),
                crate::analyse_tree(url, &html, &Html::parse_document(&html))
            );
        }
    }
}
