//! A byte-level pass before the parser that removes what no detector reads, so the parser
//! and the tree builder see fewer bytes, nodes and attributes (each element and attribute
//! costs the tree builder an allocation or more, and the detectors' walks a visit). It runs
//! where that pays for its own scan of every tag ([`pays`]): on large pages and pages with a
//! phone field's country list. Removed or rewritten:
//! - the text of comments, and comments that cannot be all that keeps two texts apart
//!   (blanks and an element's start on one side);
//! - the bodies of `<script>`, `<style>` and `<noscript>`;
//! - each run of whitespace between tags, made one space;
//! - attributes no rule reads (a test scans the sources for the names read), those read for
//!   one kind of value only when they hold another (`style` that hides nothing, ARIA states
//!   other than "true", `tabindex` other than -1), all but the id of `script`, `link`,
//!   `meta`, `style` and `base`;
//! - class tokens no rule looks for (CSS-module and utility classes), and the attribute when
//!   none is left;
//! - the items of intl-tel-input's phone country list (about 250 `li`, 70% of a Greenhouse
//!   job-boards page) and, on SmartRecruiters pages, the options of its phone field's
//!   country-code picker (most elements of its one-click form).
//!
//! The pass follows the tokenizer states of the HTML spec that decide where a tag, a comment
//! or a raw-text body ends, so the tree html5ever builds from its output is the tree of the
//! page with only those parts missing: same elements, same kept attributes, same text up to
//! whitespace and comments. Whenever the page holds something whose parse depends on
//! tree-builder state this pass does not track (markup inside `<svg>`/`<math>` other than plain
//! SVG shapes, a raw-text element after a `<select>` holding a `<`, a `<!--` in a script,
//! framesets), it gives the page back untouched; it tracks just enough of that state (open
//! formatting elements, `<p>`, `<select>`) to know when a removal could change the tree.
//! Formatting elements (`a`, `b`, `font`…) keep every attribute: the parser compares them
//! when it reopens formatting elements. Tests check that fixtures, corpus pages and random
//! tag soup parse to the same tree and analyse the same with and without the pass.
//!
//! Linear, one output buffer, never panics: slicing happens only at ASCII bytes, through
//! `str::get`.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// Attributes a detector reads (keep in step with `dom::attr` calls; a unit test checks the
/// sources), plus `type`, which the tree builder reads (`<input type=hidden>` in tables).
/// Lowercase.
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

/// Pieces of class names the detectors look for anywhere in a class (`class_contains`,
/// `ci_contains(class, …)`; a unit test checks the sources): a class token holding one of
/// them, compared without case, is kept.
const CLASS_NEEDLES: &[&str] = &[
    "jv-add-attachment",
    "newsletter",
    "cookie",
    "resumator-questionnaire-checkbox-answer",
    "ashby-application-form",
    "_required",
    "autofill-input-root",
    "_description",
    "question-description",
    "oversize",
    "upload-failure",
    "iti__country-list",
    "--is-multi",
    "__control",
    "__single-value",
    "__multi-value__label",
    "phone-input",
];

/// Whole class tokens the detectors look for (`has_class` and the error, captcha and hidden
/// classes of `dom`; a unit test checks the sources): kept when equal, case included.
const CLASS_TOKENS: &[&str] = &[
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
    "awli-button-container",
    "application-question",
    "application-label",
    "text",
    "description",
    "required",
    "education--container",
    "education--header",
];

/// Elements whose attributes the tree builder compares (the "Noah's Ark" clause) or reads.
const VERBATIM_TAGS: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "isindex", "nobr", "s", "small", "strike",
    "strong", "tt", "u",
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

/// What the pass may assume of the page.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pass {
    /// The page is SmartRecruiters', whose detector reads its phone field as one question:
    /// the options of the field's country-code picker may go.
    pub smartrecruiters: bool,
}

/// Pages this large are pre-passed whatever they hold: at that size scripts, styles, SVG
/// sprites, comments and indentation tend to make up much of a page. Measured on the corpus:
/// its seven pages of 85 KB and more analyse in 29 to 56% fewer instructions with the pass
/// (the two BambooHR pages of 80 KB in 4% more); those of 55 KB and less without a phone
/// list, most of them forms, in up to 14% fewer without it (JazzHR's 53 KB page in 2% more).
const LARGE_PAGE: usize = 64 * 1024;

/// Whether the pass is worth running on `html`. It scans every tag once more than the parse
/// does, which pays only when it removes much: on large pages, and wherever a phone field's
/// country list is (hundreds of elements). Two byte searches at most.
pub(crate) fn pays(html: &str, pass: Pass) -> bool {
    static COUNTRY_LIST: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"iti__country-list"));
    static PHONE_FIELD: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"spl-phone-field"));
    let b = html.as_bytes();
    b.len() >= LARGE_PAGE
        || COUNTRY_LIST.find(b).is_some()
        || pass.smartrecruiters && PHONE_FIELD.find(b).is_some()
}

/// The page with unread parts removed, or the page itself when nothing was removed or the pass
/// cannot be sure of the parse.
pub(crate) fn prefilter(html: &str, pass: Pass) -> Cow<'_, str> {
    let mut f = Filter {
        pass,
        src: html,
        b: html.as_bytes(),
        out: String::new(),
        copied: 0,
        seen_select: false,
        lists_tried: 0,
        formatting_open: OpenFormatting::default(),
        p_open: false,
        in_select: false,
        phone_field: None,
        blank_run: None,
        boundary_before: false,
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
    pass: Pass,
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
    /// The formatting elements that may be open: while one is, the parser may re-open it
    /// anywhere.
    formatting_open: OpenFormatting,
    /// A `<p>` may be open (a `<div>` would close it).
    p_open: bool,
    /// A `<select>` may be open (most start tags are ignored in one).
    in_select: bool,
    /// Inside a `<spl-phone-field>` (SmartRecruiters' phone widget), while its markup nests
    /// cleanly (`None` once unsure).
    phone_field: Option<PhoneField>,
    /// The last run of blanks and comments looked across: where it was entered, where it
    /// ends, and the element start there if any.
    blank_run: Option<(usize, usize, Option<usize>)>,
    /// The last markup kept is an element's start tag or a comment: no text before it joins
    /// text after it.
    boundary_before: bool,
}

/// An open `<spl-phone-field>`.
struct PhoneField {
    /// It has an id, so SmartRecruiters' detector reads it as one question and skips its
    /// subtree.
    has_id: bool,
    /// The elements opened inside it since, still open.
    open: Vec<Key>,
}

/// The attributes of a tag (from after its name to its end): names, and where their values
/// are in the page (raw, with their character references, without quotes).
struct Attributes<'a> {
    b: &'a [u8],
    at: usize,
    end: usize,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a [u8], (usize, usize));

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        let end = self.end.min(b.len());
        let is_end = |k: usize| k >= end;
        let mut k = self.at;
        while !is_end(k) && (is_ws(b[k]) || b[k] == b'/' || b[k] == b'>') {
            k += 1;
        }
        if is_end(k) {
            return None;
        }
        let name_start = k;
        k += 1;
        while !is_end(k) && !is_ws(b[k]) && !matches!(b[k], b'/' | b'>' | b'=') {
            k += 1;
        }
        let name = &b[name_start..k];
        let mut j = k;
        while !is_end(j) && is_ws(b[j]) {
            j += 1;
        }
        if is_end(j) || b[j] != b'=' {
            self.at = k;
            return Some((name, (k, k)));
        }
        j += 1;
        while !is_end(j) && is_ws(b[j]) {
            j += 1;
        }
        let value = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) if j < end => {
                let close = find(b, j + 1, q).filter(|&c| c < end)?;
                self.at = close + 1;
                (j + 1, close)
            }
            _ => {
                let mut v = j;
                while !is_end(v) && !is_ws(b[v]) && b[v] != b'>' {
                    v += 1;
                }
                self.at = v;
                (j, v)
            }
        };
        Some((name, value))
    }
}

/// A scanned tag.
struct Tag {
    name: (usize, usize),
    /// The name, lowercase, when it fits a key (every name this pass looks for does).
    key: Option<Key>,
    /// Index after the tag's `>`, or the input length when the input ends inside the tag.
    end: usize,
    eof: bool,
    self_closing: bool,
}

impl Tag {
    /// The name, lowercase (`None` when longer than any name this pass looks for).
    fn lower(&self) -> Option<&[u8]> {
        self.key.as_ref().map(|k| &k[..self.name.1 - self.name.0])
    }
}

fn is_ws(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn find(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, hay.get(from..)?).map(|p| p + from)
}

fn find_seq(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = hay.get(from..)?;
    // `memmem::find` sets up a searcher per call: worth it on long haystacks only.
    let at = if hay.len() < 256 {
        if needle.is_empty() || hay.len() < needle.len() {
            return None;
        }
        hay.windows(needle.len()).position(|w| w == needle)
    } else {
        memchr::memmem::find(hay, needle)
    };
    at.map(|p| p + from)
}

/// `CLASS_NEEDLES`, searched for without case in one pass over a class value (a plain DFA:
/// class values are short and full of the bytes a prefilter would look for).
static NEEDLES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .prefilter(false)
        .build(CLASS_NEEDLES)
        .ok()
});

/// The class tokens of `value` that a detector may look for (one of `CLASS_TOKENS`, holding
/// one of `CLASS_NEEDLES`, or holding a character reference, whose decoded text this pass does
/// not see), joined by single spaces; `None` when there are none.
///
/// `holds_needle(start, end)` tells whether the token at `[start, end)` of `value` holds one
/// of `CLASS_NEEDLES`.
fn kept_classes(
    value: &str,
    mut holds_needle: impl FnMut(usize, usize) -> bool,
) -> Option<Cow<'_, str>> {
    let mut kept = String::new();
    let mut all = true;
    let mut at = 0;
    for t in value.as_bytes().split(|&c| is_ws(c)) {
        let (start, end) = (at, at + t.len());
        at = end + 1;
        let wanted =
            !t.is_empty() && (listed_class(t) || t.contains(&b'&') || holds_needle(start, end));
        if wanted {
            if !kept.is_empty() {
                kept.push(' ');
            }
            // Whitespace is ASCII: a token's ends are character boundaries.
            kept.push_str(value.get(start..end)?);
        } else {
            all &= t.is_empty();
        }
    }
    if kept.is_empty() {
        None
    } else if all && kept.len() == value.len() {
        Some(Cow::Borrowed(value))
    } else {
        Some(Cow::Owned(kept))
    }
}

fn eq_ci(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

impl<'a> Filter<'a> {
    /// Drops input `[from, to)`, writing a space instead when `space`.
    fn drop_span(&mut self, from: usize, to: usize, space: bool) -> Option<()> {
        self.out.push_str(self.src.get(self.copied..from)?);
        if space {
            self.out.push(' ');
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
        while let Some(p) = find(self.b, i, b'<') {
            if self.b.get(p + 1) != Some(&b'/') {
                i = p + 1;
                continue;
            }
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

    /// Scans a tag whose name starts at `start`. When `modify`, drops unread attributes and
    /// class tokens, and leaves one space before each kept attribute.
    fn tag(&mut self, start: usize, modify: bool) -> Option<Tag> {
        let b = self.b;
        let len = b.len();
        let mut i = start;
        while i < len && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = (start, i);
        let key = lower_key(&b[start..i]);
        let lower = key.as_ref().map(|k| &k[..i - start]);
        let modify = modify && lower.is_none_or(|n| formatting_index(n).is_none());
        // Elements no rule reads (and whose attributes the parser ignores) keep their id only.
        let id_only = modify
            && lower
                .is_some_and(|n| matches!(n, b"base" | b"link" | b"meta" | b"script" | b"style"));
        let eof = |self_closing| Tag {
            name,
            key,
            end: len,
            eof: true,
            self_closing,
        };
        let mut self_closing = false;
        let mut class_seen = false;
        // Attributes kept or dropped by value, seen in this tag (bits by `read_if` index).
        let mut by_value_seen = 0u8;
        loop {
            // Before attribute name.
            let gap = i;
            while i < len && is_ws(b[i]) {
                i += 1;
            }
            if i >= len {
                return Some(eof(self_closing));
            }
            match b[i] {
                b'>' => {
                    return Some(Tag {
                        name,
                        key,
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
                            key,
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
            let attr_name = &b[attr_start..i];
            // After attribute name.
            let mut j = i;
            while j < len && is_ws(b[j]) {
                j += 1;
            }
            let mut attr_end = i;
            // The value's bytes, when it has one.
            let mut value = None;
            if j < len && b[j] == b'=' {
                j += 1;
                while j < len && is_ws(b[j]) {
                    j += 1;
                }
                match b.get(j) {
                    None => return Some(eof(self_closing)),
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = find(b, j + 1, q)?;
                        attr_end = close + 1;
                        value = Some((j + 1, close));
                    }
                    // `a=>`: an empty value, the tag ends.
                    Some(b'>') => attr_end = j,
                    Some(_) => {
                        let mut k = j;
                        while k < len && !is_ws(b[k]) && b[k] != b'>' {
                            k += 1;
                        }
                        attr_end = k;
                        value = Some((j, k));
                    }
                }
            }
            i = attr_end;
            if !modify {
                continue;
            }
            // The whole attribute, with the whitespace before it, is dropped or rewritten.
            let drop_attr = |f: &mut Self| {
                // A space keeps `<p/x=1>` from becoming `<p/>` and `a=1 b=2` apart.
                let space = (b.get(attr_end) != Some(&b'>')
                    || b.get(gap.wrapping_sub(1)) == Some(&b'/'))
                    && !f.space_before(gap);
                f.drop_span(gap, attr_end, space)
            };
            let attr_key = lower_key(attr_name);
            let lower = attr_key.as_ref().map(|k| &k[..attr_name.len()]);
            if lower == Some(b"class") {
                if class_seen {
                    // The parser keeps the first; with the first dropped, it would keep this.
                    return None;
                }
                class_seen = true;
                let (vs, ve) = value.unwrap_or((attr_end, attr_end));
                match self.kept_classes_at(vs, ve) {
                    None => drop_attr(self)?,
                    Some(kept) => {
                        self.one_space(gap, attr_start)?;
                        if let Cow::Owned(kept) = kept {
                            self.out.push_str(self.src.get(self.copied..vs)?);
                            self.out.push_str(&kept);
                            self.copied = ve;
                        }
                    }
                }
            } else if !keep_lower(attr_key.as_ref(), attr_name) || (id_only && lower != Some(b"id"))
            {
                drop_attr(self)?;
            } else if let Some((k, read)) = lower.and_then(read_if) {
                if by_value_seen & 1 << k != 0 {
                    // The parser keeps the first; with the first dropped, it would keep this.
                    return None;
                }
                by_value_seen |= 1 << k;
                let text = match value {
                    Some((vs, ve)) => self.src.get(vs..ve)?,
                    None => "",
                };
                // A character reference may decode to what is looked for.
                if read(text) || text.contains('&') {
                    self.one_space(gap, attr_start)?;
                } else {
                    drop_attr(self)?;
                }
            } else {
                self.one_space(gap, attr_start)?;
            }
        }
    }

    /// Makes the whitespace `[from, to)` before an attribute a single space (none when a
    /// dropped attribute left one already).
    fn one_space(&mut self, from: usize, to: usize) -> Option<()> {
        if from == to {
            return Some(());
        }
        if self.space_before(from) {
            self.drop_span(from, to, false)?;
        } else if to - from > 1 || self.b.get(from) != Some(&b' ') {
            self.drop_span(from, to, true)?;
        }
        Some(())
    }

    /// Whether the output just before input index `at` ends in whitespace.
    fn space_before(&self, at: usize) -> bool {
        if self.copied < at {
            self.b.get(at - 1).is_some_and(|&c| is_ws(c))
        } else {
            self.out.ends_with(' ')
        }
    }

    fn run(&mut self) -> Option<()> {
        let b = self.b;
        let mut i = 0;
        // Where the text since the last markup starts.
        let mut text_from = 0;
        while let Some(p) = find(b, i, b'<') {
            let markup = match b.get(p + 1) {
                Some(b'!' | b'?') => true,
                Some(b'/') => b.get(p + 2).is_some(),
                Some(c) => c.is_ascii_alphabetic(),
                None => false,
            };
            if !markup {
                i = p + 1;
                continue;
            }
            self.text_between_markup(text_from, p)?;
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
                        // A comment goes when it cannot be all that keeps two pieces of text
                        // apart: only blanks stand between it and an element on one side.
                        let blank_before = b.get(text_from..p)?.iter().all(|&c| is_ws(c));
                        if let Some(next) = self.element_after_blank(end) {
                            // The blank after it goes too, when nothing could re-open a
                            // formatting element there.
                            let to = if self.formatting_closed() { next } else { end };
                            self.drop_span(p, to, false)?;
                            i = to;
                        } else if blank_before && self.boundary_before {
                            self.drop_span(p, end, false)?;
                            i = end;
                        } else {
                            if end - p > 7 {
                                self.out.push_str(self.src.get(self.copied..p)?);
                                self.out.push_str("<!---->");
                                self.copied = end;
                            }
                            self.boundary_before = true;
                            i = end;
                        }
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
                        self.end_tag(&t);
                        i = t.end;
                    }
                    Some(b'>') => i = p + 3,
                    _ => i = self.skip_to_gt(p + 2),
                },
                _ => {
                    let t = self.tag(p + 1, true)?;
                    if t.eof {
                        return Some(());
                    }
                    let makes_element = t.lower().is_some_and(|n| self.makes_element(n));
                    i = self.after_start_tag(&t)?;
                    // Text after a new element cannot join text before it.
                    self.boundary_before = makes_element && i == t.end;
                    text_from = i;
                    continue;
                }
            }
            if b.get(p + 1) != Some(&b'!') || b.get(p + 2..p + 4) != Some(b"--") {
                self.boundary_before = false;
            }
            text_from = i;
        }
        self.text_between_markup(text_from, b.len())
    }

    /// Text `[from, to)` between two pieces of markup. A run of whitespace alone goes when an
    /// element's start stands on one side of it (so no text on the far side can join text on
    /// the other once it is gone) and no formatting element could be re-opened by it;
    /// otherwise it becomes one space (whitespace is whitespace to the tree builder, and a run
    /// stays a run). No detector reads whitespace, while pretty-printed pages have a text node
    /// of indentation between every two tags.
    fn text_between_markup(&mut self, from: usize, to: usize) -> Option<()> {
        let run = self.b.get(from..to)?;
        if !run.is_empty() && run.iter().all(|&c| is_ws(c)) {
            let beside_element = self.boundary_before || self.element_at(to).is_some();
            if beside_element && self.formatting_closed() {
                self.drop_span(from, to, false)?;
            } else if run.len() > 1 {
                self.drop_span(from, to, true)?;
            }
        }
        Some(())
    }

    /// Handles what follows a start tag; returns where scanning resumes.
    fn after_start_tag(&mut self, t: &Tag) -> Option<usize> {
        let (Some(key), Some(name)) = (t.key, t.lower()) else {
            // No name this pass treats specially is that long.
            self.phone_field = None;
            return Some(t.end);
        };
        // Saturates: past that many, the count stays where it is (never seen on a page).
        self.formatting_open.opened(name);
        self.track_phone_field_start(t, name, key);
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
                self.in_select = true;
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
            b"p" => {
                self.p_open = true;
                Some(t.end)
            }
            b"spl-select" if self.pass.smartrecruiters => {
                if let Some(close) = self.phone_options_end(t) {
                    self.drop_span(t.end, close, false)?;
                    return Some(close);
                }
                Some(t.end)
            }
            _ => Some(t.end),
        }
    }

    /// Whether no formatting element may be open.
    fn formatting_closed(&self) -> bool {
        self.formatting_open.none()
    }

    /// Where the start tag after the whitespace from `from` begins, when there is one and it
    /// always makes an element of its own: text after it cannot join text before it.
    fn element_after_blank(&mut self, from: usize) -> Option<usize> {
        let b = self.b;
        // Comments on the way are looked past (each of them goes too); a run of them is
        // scanned once.
        if let Some((start, end, found)) = self.blank_run
            && (start..=end).contains(&from)
        {
            return found;
        }
        let mut q = from;
        loop {
            q += b.get(q..)?.iter().position(|&c| !is_ws(c))?;
            if b.get(q..q + 4) != Some(b"<!--") {
                break;
            }
            q = self.comment_end(q)?;
        }
        let found = self.element_at(q);
        self.blank_run = Some((from, q, found));
        found
    }

    /// `q`, when a start tag there always makes an element (see `element_after_blank`).
    fn element_at(&self, q: usize) -> Option<usize> {
        let b = self.b;
        if b.get(q) != Some(&b'<') || !b.get(q + 1)?.is_ascii_alphabetic() {
            return None;
        }
        let len = b
            .get(q + 1..)?
            .iter()
            .position(|&c| is_ws(c) || c == b'/' || c == b'>')?;
        let key = lower_key(b.get(q + 1..q + 1 + len)?)?;
        self.makes_element(&key[..len]).then_some(q)
    }

    /// Whether a start tag with this (lowercase) name always makes an element of its own.
    fn makes_element(&self, name: &[u8]) -> bool {
        makes_element(name, self.in_select)
    }

    /// The class tokens of the value at `[vs, ve)` that a detector may look for.
    fn kept_classes_at(&self, vs: usize, ve: usize) -> Option<Cow<'a, str>> {
        let src: &'a str = self.src;
        let value = src.get(vs..ve)?;
        let Some(needles) = &*NEEDLES else {
            // The automaton always builds; were it not to, every token would be kept.
            return Some(Cow::Borrowed(value));
        };
        let mut hits = needles.find_iter(value).map(|m| m.start()).peekable();
        // Tokens come in order: hits before a token are of no use after it.
        kept_classes(value, |start, end| {
            while hits.next_if(|&h| h < start).is_some() {}
            hits.peek().is_some_and(|&h| h < end)
        })
    }

    /// The attributes of a scanned tag.
    fn attributes(&self, t: &Tag) -> Attributes<'a> {
        Attributes {
            b: self.b,
            at: t.name.1,
            end: t.end,
        }
    }

    /// Bookkeeping for an end tag named `raw_name`.
    fn end_tag(&mut self, t: &Tag) {
        let (Some(key), Some(name)) = (t.key, t.lower()) else {
            self.phone_field = None;
            return;
        };
        self.formatting_open.closed(name);
        match name {
            b"p" => self.p_open = false,
            b"select" => self.in_select = false,
            _ => {}
        }
        // Inside the phone field, an end tag must close the element opened last; anything
        // else (its own end tag included) ends the tracking.
        if let Some(field) = &mut self.phone_field
            && field.open.last() == Some(&key)
        {
            field.open.pop();
        } else {
            self.phone_field = None;
        }
    }

    /// Tracks the elements opened inside a `<spl-phone-field>`, from its start tag on.
    fn track_phone_field_start(&mut self, t: &Tag, name: &[u8], key: Key) {
        /// Elements without an end tag.
        const VOID: &[&[u8]] = &[
            b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"keygen", b"link",
            b"meta", b"param", b"source", b"track", b"wbr",
        ];
        if self.in_select {
            // Start tags are ignored there.
            self.phone_field = None;
        } else if let Some(field) = &mut self.phone_field {
            if !VOID.contains(&name) {
                field.open.push(key);
            }
        } else if name == b"spl-phone-field" {
            let has_id = self
                .attributes(t)
                .any(|(n, (vs, ve))| n.eq_ignore_ascii_case(b"id") && ve > vs);
            self.phone_field = Some(PhoneField {
                has_id,
                open: Vec::new(),
            });
        }
    }

    /// The end of the options of the country-code picker in SmartRecruiters' phone field
    /// (`spl-phone-field > … > spl-select`, about 250 `spl-select-option`s with flags, most of
    /// the elements of its one-click form), when they are safe to leave out. The phone field
    /// is one question whose subtree no rule reads, so its options never matter; they go when
    /// they are complete elements of a few plain kinds, balanced, and nothing outside them can
    /// change their parse (no `<p>` a `<div>` would close, no formatting element to re-open).
    fn phone_options_end(&mut self, t: &Tag) -> Option<usize> {
        const PLAIN: &[&[u8]] = &[
            b"div",
            b"slot",
            b"span",
            b"spl-country-flag",
            b"spl-dropdown-search",
            b"spl-select-option",
            b"spl-typography-body",
        ];
        /// Attributes a rule reads, but not on such elements, nor any index of `dom::Doc`
        /// (the ones this pass drops anyway are fine too).
        const PLAIN_KEPT: &[&[u8]] = &[
            b"aria-hidden",
            b"class",
            b"label",
            b"placeholder",
            b"size",
            b"src",
            b"tabindex",
            b"value",
        ];
        // The picker must sit in the field's shadow root (a `<template>`, which page text
        // leaves out) of a field with an id (read as one question, its subtree skipped).
        let in_shadow_root = self
            .phone_field
            .as_ref()
            .is_some_and(|f| f.has_id && f.open.iter().any(|k| k.starts_with(b"template\0")));
        // In a select the tags would be ignored and their text kept.
        if !in_shadow_root || self.p_open || self.in_select || !self.formatting_closed() {
            return None;
        }
        let close = self.raw_end(t.end, "spl-select")?;
        let b = self.b;
        let mut open: Vec<Key> = Vec::new();
        let mut i = t.end;
        while let Some(p) = find(b, i, b'<') {
            if p >= close {
                break;
            }
            match b.get(p + 1) {
                Some(b'!') if b.get(p + 2..p + 4) == Some(b"--") => {
                    i = self.comment_end(p).filter(|&end| end <= close)?;
                }
                Some(b'/') if b.get(p + 2).is_some_and(u8::is_ascii_alphabetic) => {
                    let inner = self.tag(p + 2, false)?;
                    if inner.eof
                        || inner.end > close
                        || inner.key.is_none()
                        || open.pop() != inner.key
                    {
                        return None;
                    }
                    i = inner.end;
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    let inner = self.tag(p + 1, false)?;
                    let raw = b.get(inner.name.0..inner.name.1)?;
                    let plain_attributes = self.attributes(&inner).all(|(n, (vs, ve))| {
                        (!keep(n) || PLAIN_KEPT.iter().any(|p| n.eq_ignore_ascii_case(p)))
                            && (!n.eq_ignore_ascii_case(b"class")
                                || self.kept_classes_at(vs, ve).is_none())
                    });
                    if inner.eof
                        || inner.end > close
                        || !PLAIN.iter().any(|n| raw.eq_ignore_ascii_case(n))
                        || !plain_attributes
                    {
                        return None;
                    }
                    // The self-closing flag means nothing on these: the element stays open.
                    open.push(inner.key?);
                    i = inner.end;
                }
                Some(b'!' | b'?' | b'/') => return None,
                _ => i = p + 1,
            }
        }
        open.is_empty().then_some(close)
    }

    /// The end of the items of a phone widget's country list (intl-tel-input's
    /// `ul.iti__country-list[role=listbox]`, about 250 countries, most of some pages), when
    /// they are safe to leave out: only `li`/`span`/`div` markup (and empty `<svg></svg>`
    /// icons) with the widget's own attributes, and no control but the widget's search box
    /// points at the list. No detector reads these items then: Greenhouse skips the list, no
    /// item is a control, and the country names are never the nearest text of a question (the
    /// search box stands between).
    fn country_list_end(&mut self, t: &Tag) -> Option<usize> {
        let b = self.b;
        let open = b.get(t.name.0.checked_sub(1)?..t.end)?;
        if find_seq(open, 0, b"iti__country-list").is_none()
            || find_seq(open, 0, b"role=\"listbox\"").is_none()
        {
            return None;
        }
        // In a select the tags would be ignored and their text kept.
        if self.lists_tried >= 4 || self.in_select {
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
            let closing = b.get(p + 1) == Some(&b'/');
            let name_at = p + 1 + usize::from(closing);
            if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
                return None;
            }
            let inner = self.tag(name_at, false)?;
            if inner.eof || inner.end > close || inner.self_closing {
                return None;
            }
            let name = b.get(inner.name.0..inner.name.1)?;
            if name == b"svg" && !closing && inner.end == inner.name.1 + 1 {
                // An empty check-mark icon.
                if b.get(inner.end..inner.end + 6) != Some(b"</svg>") {
                    return None;
                }
                i = inner.end + 6;
                continue;
            }
            if !matches!(name, b"li" | b"span" | b"div") {
                return None;
            }
            // Attributes: only `name="value"` pairs the widget writes.
            let widgets_own = self.attributes(&inner).all(|(attr, (vs, ve))| {
                let written = vs >= attr.len() + 2
                    && b.get(vs - attr.len() - 2..vs - 2) == Some(attr)
                    && b.get(vs - 2..vs) == Some(b"=\"");
                let value = b.get(vs..ve).unwrap_or(b"<");
                written
                    && (matches!(
                        attr,
                        b"id"
                            | b"class"
                            | b"tabindex"
                            | b"role"
                            | b"aria-selected"
                            | b"aria-hidden"
                            | b"dir"
                    ) || attr.starts_with(b"data-"))
                    && (attr != b"role" || value == b"option")
                    && !value.iter().any(|&c| c == b'<' || c == b'>')
            });
            if !widgets_own {
                return None;
            }
            i = inner.end;
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

/// Whether an attribute's value is one a detector reads.
type ValueTest = fn(&str) -> bool;

/// Attributes read for one kind of value only (`style` for hiding, the ARIA states when
/// "true", `tabindex` when -1): the test their value must pass to matter, with an index.
fn read_if(name: &[u8]) -> Option<(u8, ValueTest)> {
    // `name` is lowercase.
    fn is_true(v: &str) -> bool {
        v.trim().eq_ignore_ascii_case("true")
    }
    fn hides(v: &str) -> bool {
        crate::dom::ci_contains(v, "none") || crate::dom::ci_contains(v, "hidden")
    }
    let test: (u8, ValueTest) = match name {
        b"style" => (0, hides),
        b"tabindex" => (1, |v| v.trim() == "-1"),
        b"aria-hidden" => (2, is_true),
        b"aria-invalid" => (3, is_true),
        b"aria-required" => (4, is_true),
        b"aria-selected" => (5, is_true),
        _ => return None,
    };
    Some(test)
}

fn keep(name: &[u8]) -> bool {
    keep_lower(lower_key(name).as_ref(), name)
}

/// `keep`, with the name's lowercase key (when it has one) at hand.
fn keep_lower(key: Option<&Key>, name: &[u8]) -> bool {
    static KEYS: LazyLock<Vec<Packed>> = LazyLock::new(|| keys(KEEP));
    key.is_some_and(|k| KEYS.binary_search(&pack(k)).is_ok())
        || name.len() >= 10 && name[..10].eq_ignore_ascii_case(b"shadowroot")
}

/// Whether a start tag with this (lowercase) name always makes an element of its own, inside
/// a `<select>` or not: text after it cannot join text before it.
pub(crate) fn makes_element(name: &[u8], in_select: bool) -> bool {
    if in_select {
        return matches!(name, b"option" | b"optgroup" | b"hr");
    }
    // Start tags the parser may ignore, that may close an open element rather than make
    // one, or (a table) before which text after them may be moved.
    !matches!(
        name,
        b"body"
            | b"caption"
            | b"col"
            | b"colgroup"
            | b"form"
            | b"frame"
            | b"frameset"
            | b"head"
            | b"html"
            | b"isindex"
            | b"noframes"
            | b"table"
            | b"tbody"
            | b"td"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"tr"
    )
}

/// Start tags minus end tags of each formatting element, counted from tags alone (by its
/// index in `VERBATIM_TAGS`; `isindex`, never closed, counts too, which only makes the count
/// more careful). What the pre-pass and the tokenizer (`parse`) know of the parser's list of
/// active formatting elements.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OpenFormatting([u16; VERBATIM_TAGS.len()]);

impl OpenFormatting {
    /// After a start tag named `name` (lowercase). False when the count is at its limit and
    /// could not be raised.
    pub(crate) fn opened(&mut self, name: &[u8]) -> bool {
        match formatting_index(name).and_then(|k| self.0.get_mut(k)) {
            Some(n) => match n.checked_add(1) {
                Some(more) => {
                    *n = more;
                    true
                }
                None => false,
            },
            None => true,
        }
    }

    /// After an end tag named `name` (lowercase).
    pub(crate) fn closed(&mut self, name: &[u8]) {
        if let Some(n) = formatting_index(name).and_then(|k| self.0.get_mut(k)) {
            *n = n.saturating_sub(1);
        }
    }

    /// Whether no formatting element may be open.
    pub(crate) fn none(&self) -> bool {
        self.0.iter().all(|&n| n == 0)
    }
}

/// The index of a formatting element's name (lowercase) among `VERBATIM_TAGS`.
fn formatting_index(name: &[u8]) -> Option<usize> {
    // Most names are longer than any formatting element's: one compare, not fifteen.
    if name.len() > 7 {
        return None;
    }
    VERBATIM_TAGS.iter().position(|t| t.as_bytes() == name)
}

/// Whether a class token is one of `CLASS_TOKENS` (case included).
fn listed_class(token: &[u8]) -> bool {
    static KEYS: LazyLock<Vec<Packed>> = LazyLock::new(|| keys(CLASS_TOKENS));
    key(token).is_some_and(|k| KEYS.binary_search(&pack(&k)).is_ok())
}

/// A short name as a fixed-size, zero-padded array. Every name this pass looks for fits.
type Key = [u8; 24];

/// A key as three words: sorted lists of them are searched with integer compares.
type Packed = [u64; 3];

fn key(name: &[u8]) -> Option<Key> {
    let mut k = [0u8; 24];
    k.get_mut(..name.len())?.copy_from_slice(name);
    Some(k)
}

fn lower_key(name: &[u8]) -> Option<Key> {
    let mut k = key(name)?;
    k.make_ascii_lowercase();
    Some(k)
}

fn pack(k: &Key) -> Packed {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&k[i * 8..i * 8 + 8]);
        u64::from_be_bytes(w)
    };
    [word(0), word(1), word(2)]
}

fn keys(names: &[&str]) -> Vec<Packed> {
    let mut keys: Vec<Packed> = names
        .iter()
        .filter_map(|n| key(n.as_bytes()))
        .map(|k| pack(&k))
        .collect();
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod tests {
    use ego_tree::iter::Edge;
    use proptest::prelude::*;
    use scraper::{Html, Node};

    use super::*;

    /// Every removal on, SmartRecruiters' included.
    const ALL: Pass = Pass {
        smartrecruiters: true,
    };

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
            // So may the options of SmartRecruiters' phone field.
            if let Edge::Open(n) = edge
                && let Some(e) = n.value().as_element()
                && ((e.name() == "ul"
                    && e.attr("role") == Some("listbox")
                    && e.attr("class")
                        .is_some_and(|c| c.contains("iti__country-list")))
                    || (e.name() == "spl-select"
                        && n.ancestors().any(|a| {
                            a.value()
                                .as_element()
                                .is_some_and(|a| a.name() == "spl-phone-field")
                        })))
            {
                skip_in = Some(n.id());
            }
            match edge {
                Edge::Open(n) => match n.value() {
                    Node::Element(e) => {
                        out.push('<');
                        out.push_str(e.name());
                        let id_only =
                            matches!(e.name(), "base" | "link" | "meta" | "script" | "style");
                        let mut attrs: Vec<_> = e
                            .attrs()
                            .filter(|(k, _)| keep(k.as_bytes()) && (!id_only || *k == "id"))
                            .filter(|(k, v)| {
                                read_if(k.to_ascii_lowercase().as_bytes())
                                    .is_none_or(|(_, read)| read(v))
                            })
                            .filter_map(|(k, v)| {
                                if k == "class" {
                                    // Tokens no rule looks for go, and the attribute with them.
                                    let kept: Vec<&str> = v
                                        .split_ascii_whitespace()
                                        .filter(|t| {
                                            t.contains('&')
                                                || CLASS_TOKENS.contains(t)
                                                || CLASS_NEEDLES
                                                    .iter()
                                                    .any(|n| ci_find(t.as_bytes(), n))
                                        })
                                        .collect();
                                    (!kept.is_empty())
                                        .then(|| format!(" class={:?}", kept.join(" ")))
                                } else {
                                    Some(format!(" {k}={v:?}"))
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
                            // Whitespace is compared as whitespace: runs of it become one space.
                            let mut text = String::new();
                            for (k, word) in t.split(|c: char| c.is_ascii_whitespace()).enumerate()
                            {
                                if k > 0 && !text.ends_with(' ') {
                                    text.push(' ');
                                }
                                text.push_str(word);
                            }
                            // Blank text, the blank ends of text and comments are invisible
                            // to the detectors.
                            if !text.trim().is_empty() {
                                out.push_str(&format!("{:?}", text.trim()));
                            }
                        }
                    }
                    Node::Comment(_) => {}
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
        let filtered = prefilter(html, ALL);
        assert_eq!(
            shape(&filtered),
            shape(html),
            "input {html:?}\nfiltered {filtered:?}"
        );
    }

    #[test]
    fn listed_names_are_found_in_any_case() {
        for list in [KEEP, VERBATIM_TAGS, CLASS_TOKENS] {
            assert!(list.iter().all(|n| key(n.as_bytes()).is_some()), "{list:?}");
        }
        for list in [KEEP, VERBATIM_TAGS] {
            assert!(
                list.iter()
                    .all(|n| n.bytes().all(|c| !c.is_ascii_uppercase()))
            );
        }
        assert!(KEEP.iter().all(|k| keep(k.as_bytes())));
        assert!(keep(b"ARIA-Label") && keep(b"shadowRootMode") && keep(b"ID"));
        assert!(!keep(b"data-x") && !keep(b"i") && !keep(b"") && !keep(&[b'a'; 40]));
        assert!(formatting_index(b"a").is_some() && formatting_index(b"strong").is_some());
        assert!(formatting_index(b"span").is_none() && formatting_index(b"A").is_none());
        assert!(CLASS_TOKENS.iter().all(|c| listed_class(c.as_bytes())));
        assert!(!listed_class(b"Error") && !listed_class(b"text-sm"));
    }

    #[test]
    fn unread_parts_go_and_the_tree_stays() {
        let html = r#"<!DOCTYPE html><html><head><meta name="x" content="long long"><style>p{}</style>
            <script>if (a < b) { x = "</scr" + "ipt>"; }</script></head>
            <body><!-- a comment --><div data-feature-toggles='{"a":1}' class="c field-error x" ng-if="x">
            <label for="a">A</label><input id=a name=a data-x=1 type=hidden/x=2></div></body></html>"#;
        let out = prefilter(html, ALL);
        assert!(!out.contains("content="), "{out}");
        assert!(!out.contains("feature"), "{out}");
        assert!(!out.contains("a comment"), "{out}");
        assert!(!out.contains("p{}"), "{out}");
        assert!(!out.contains("ipt>\""), "{out}");
        assert!(out.contains(r#"class="field-error""#), "{out}");
        same_tree(html);
    }

    #[test]
    fn whitespace_unread_values_and_phone_options_go() {
        let html = "<div>\n    <p style=\"color: red\" aria-hidden=\"false\" tabindex=\"0\">a</p>\n  \
            <p style=\"display: none\" aria-invalid=\"true\" class=\"mt-4 text-sm\">b</p>\n\
            <script type=\"module\" src=\"x.js\" id=\"s\"></script>\
            <spl-phone-field id=\"f\"><template shadowrootmode=\"open\"><spl-select value=\"US\">\n\
            <spl-select-option value=\"AF\" label=\"Afghanistan\"><div><spl-country-flag>\
            </spl-country-flag><span>Afghanistan</span><span>+93</span></div></spl-select-option>\
            </spl-select></template></spl-phone-field></div>";
        let out = prefilter(html, ALL);
        assert!(!out.contains("\n "), "{out}");
        assert!(
            out.contains("<p >a</p>") && out.contains("<script id=\"s\">"),
            "{out}"
        );
        assert!(!out.contains("color") && !out.contains("false") && !out.contains("\"0\""));
        assert!(
            out.contains("style=\"display: none\" aria-invalid=\"true\">b"),
            "{out}"
        );
        assert!(!out.contains("mt-4") && !out.contains("class"), "{out}");
        assert!(out.contains("<script id=\"s\">"), "{out}");
        assert!(!out.contains("Afghanistan"), "{out}");
        assert!(
            out.contains("<spl-select value=\"US\"></spl-select>"),
            "{out}"
        );
        same_tree(html);

        // Comments between blank text and an element go; beside text they stay.
        let html = "<div> <!----> <!----><label>A<!---->B</label><!----> </div>";
        assert_eq!(
            prefilter(html, ALL),
            "<div><label>A<!---->B</label><!----></div>"
        );
        same_tree(html);
    }

    #[test]
    fn the_pass_runs_where_it_removes_much_at_once() {
        let other = Pass {
            smartrecruiters: false,
        };
        let field = "<div class=\"field\"><label for=a>A</label><input id=a></div>";
        let form = field.repeat(LARGE_PAGE / field.len() - 1);
        assert!(!pays(&form, ALL), "a form below the size");
        assert!(
            pays(&format!("{form}{field}{field}"), other),
            "a large page"
        );
        let phone = "<ul class=\"iti__country-list\"><li>x</li></ul>";
        assert!(pays(phone, other), "intl-tel-input's country list");
        let picker = "<spl-phone-field><spl-select></spl-select></spl-phone-field>";
        assert!(pays(picker, ALL), "SmartRecruiters' phone picker");
        assert!(!pays(picker, other), "the picker elsewhere is not removed");
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
            "<p class=\"x\" class=\"error\">a",
            "<p class=x class=error data-y=1>a",
            "<p c=x data-d=\"1\"id=2>a<p c=x data-d=\"1\"/>",
            "<div\n  data-x=\"1\"\n  id=\"a\"\n  class=\"m-4 error\"\n>t</div>",
            "<pre>\n  <b>x</b>\n\n</pre><listing>\n\n</listing>",
            "A</x>\n   </y>B<b><p>\n  </b>  \n<i>c",
            "<table>\n  <tr>\n    <td>a</td>\n  </tr>\n</table>",
            "<select>\n <option>a</option>\n</select>  \n  ",
            "<p style=\"color:red\" style=\"display:none\">a<p tabindex=0 tabindex=-1>",
            "<p aria-hidden=false data-x=1>a<p aria-hidden=&#116;rue>b<p style='display:n&#111;ne'>",
            "<p aria-required=\" TRUE \" tabindex=\"-1\" style=\"Visibility: Hidden\">",
            "<script type=module id=s data-x=1></script><link rel=x href=y id=l><meta name=a>",
            "<spl-phone-field><spl-select><spl-select-option value=A label=B><div>\
             <spl-country-flag></spl-country-flag><span>A</span></div></spl-select-option>\
             </spl-select></spl-phone-field><i data-x=1>",
            "<p><spl-phone-field><spl-select><div>a</div></spl-select></spl-phone-field>",
            "<b><spl-phone-field><spl-select><span>a</span></spl-select></spl-phone-field>",
            "<spl-phone-field><spl-select><div><span>a</div></span></spl-select>",
            "<spl-phone-field><spl-select><div a='</spl-select>'></div></spl-select>",
            "<spl-phone-field><spl-select><!--</spl-select>--></spl-select><p data-x=1>",
            "<spl-phone-field><spl-select><table><td>a</table></spl-select>",
            "<spl-phone-field><spl-select><div>unclosed</spl-select><p data-x=1>",
            "A<!---->B<!----> <span>C</span> <!----> D<!---->",
            "<div> <!----> <!----><label>x</label><!----> </div><!---->",
            "A</x> <!----> </y>B<i>c</x> <!----> <span>d",
            "<select><option>a<!----> <span>b</span><!----> <option>c</select>",
            "<b><p>x</b> <!----> <div>y</div> <!--z--> <p>w",
            "<table> <!----> <tr><td>a<!----> <td>b</table>",
            "A<!---->  <form>B<!----> <form>C",
            "<p title=\"a &quot;b&quot; c\" id='x &quot;y'>t&nbsp;u &amp;lt; &amp; v &#160;&#x2713;",
            "<p data-x=1 title=\"it's &quot;q&quot; &apos;\">&#0;&#128;&#60;&#38;amp;&#xD800;&#65535;",
            "<p title=a&quot;b id=\"&amp;copy=1&amp;x\">&amp;amp; &nbsp &copy &ampx &#x;&#;",
            "<textarea>&nbsp;&quot;</textarea><title>&amp;&ldquo;</title><p>&ldquo;&rsquo;&hellip;",
            "<select><option value=\"&quot;\">&ndash;</option></select><table>&nbsp;<tr>",
            "<div> x<!----><table> y</table>X<table> <!---->Y<table>A<!----><span>B",
            "<select>a<spl-phone-field><spl-select> b</spl-select></spl-phone-field></select>",
            "<select><ul class=\"iti__country-list\" role=\"listbox\"><li>x</li></ul></select>",
            // Found by the property test (kept from its old regression file).
            "&amp;<!----><table>&amp;",
            "<div><p<title><spl-phone-field></div><spl-select> title=\"a&quot;</spl-select>",
            "</style<spl-phone-field><select><spl-phone-field></select><spl-select>&amp;</spl-select>",
            "<spl-phone-field><spl-select>x</spl-select></style]]><textarea>",
        ] {
            same_tree(html);
            let url = "https://example.com/apply";
            assert_eq!(
                crate::analyse_document_with(url, html, crate::PrePass::Always),
                crate::analyse_tree(url, html, &Html::parse_document(html)),
                "{html:?}"
            );
            assert_eq!(
                crate::analyse_document_with(url, html, crate::PrePass::Never),
                crate::analyse_tree(url, html, &Html::parse_document(html)),
                "{html:?}, without the pass"
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
        // And the one-pass reads over an element's attributes (`match k.local { … }` up to
        // the `slot` it fills).
        let mut passes = 0;
        for src in sources {
            for (at, _) in src.match_indices("match k.local {") {
                let body = &src[at..];
                let body = &body[..body.find("slot.get_or_insert").unwrap_or(body.len())];
                passes += 1;
                for name in body.split('"').skip(1).step_by(2) {
                    assert!(
                        keep(name.as_bytes()),
                        "attribute {name:?} is read but dropped"
                    );
                }
            }
        }
        assert!(passes >= 2, "found only {passes} one-pass attribute reads");
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
                    // A whole token may be listed as one; a part of a class needs a needle.
                    let whole = call == "has_class(" && CLASS_TOKENS.contains(&class);
                    assert!(
                        whole || CLASS_NEEDLES.iter().any(|n| ci_find(class.as_bytes(), n)),
                        "class {class:?} is looked for but dropped"
                    );
                }
            }
        }
        assert!(checked > 20, "found only {checked} class checks");
        // The whole tokens `dom` indexes (error, captcha and hidden classes), from its source.
        let dom = include_str!("dom.rs");
        let from = dom.find("fn class_kind").expect("dom::class_kind");
        let body = &dom[from..from + dom[from..].find("\n}\n").expect("its end")];
        let listed: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        assert!(listed.len() >= 18, "found only {listed:?}");
        for class in listed {
            assert!(
                CLASS_TOKENS.contains(&class),
                "{class} is looked for but dropped"
            );
        }
    }

    #[test]
    fn fixture_and_corpus_pages_parse_the_same() {
        for (path, html) in crate::test_support::fixture_and_corpus_pages() {
            let filtered = prefilter(&html, ALL);
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
            "https://jobs.smartrecruiters.com/oneclick-ui/company/acme/publication/1",
        ];
        for (path, html) in crate::test_support::fixture_and_corpus_pages() {
            let raw = Html::parse_document(&html);
            for url in urls {
                let reference = crate::analyse_tree(url, &html, &raw);
                assert_eq!(
                    crate::analyse_document_with(url, &html, crate::PrePass::Never),
                    reference,
                    "{} at {url}, without the pass",
                    path.display()
                );
                assert_eq!(
                    crate::analyse_document_with(url, &html, crate::PrePass::Always),
                    reference,
                    "{} at {url}",
                    path.display()
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn random_markup_parses_the_same(html in crate::test_support::tag_soup()) {
            same_tree(&html);
            let raw = Html::parse_document(&html);
            for url in ["https://example.com/apply", "https://jobs.smartrecruiters.com/a/1"] {
                let reference = crate::analyse_tree(url, &html, &raw);
                prop_assert_eq!(
                    &crate::analyse_document_with(url, &html, crate::PrePass::Never),
                    &reference
                );
                prop_assert_eq!(
                    &crate::analyse_document_with(url, &html, crate::PrePass::Always),
                    &reference
                );
            }
        }
    }
}
