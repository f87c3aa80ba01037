//! Parsing a page into scraper's tree. html5ever's tokenizer walks its state machine one
//! character at a time: on form-heavy pages it was most of a parse (a tag with a few
//! attributes cost it thousands of instructions). Real pages are mostly plain markup: tags
//! with well-formed attributes, text, ordinary comments, raw-text bodies that end where they
//! seem to. [`parse_document`] reads that plain subset in runs (character
//! references decoded as the spec says) and hands the tokens to html5ever's own tree builder,
//! so every tree-construction rule (implied ends, tables, formatting elements, foreign
//! content) stays html5ever's. At the first construct outside the subset (a NUL, a bogus
//! comment, CDATA, a `<!--` in a script, an attribute whose parse involves error recovery…)
//! it drops its work and html5ever parses the page from the start. Tests check that both
//! tokenizers build the same tree on fixtures, corpus pages and random tag soup. With
//! [`Blanks::DropBesideElements`] it also leaves out the blank runs between tags that the
//! pre-pass leaves out, under the same rules.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{Attribute, LocalName, QualName, local_name, ns, tendril::StrTendril};
use scraper::{Html, HtmlTreeSink};

use crate::prefilter;

/// What becomes of runs of blanks between two tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Blanks {
    /// Kept: the tree is exactly html5ever's (what the tests compare).
    #[cfg(test)]
    Keep,
    /// Left out where the pre-pass leaves them out (`prefilter::makes_element` beside them,
    /// no formatting element open, outside `<svg>` and `<math>`): html5ever's tree without
    /// those whitespace text nodes, which no detector reads and pretty-printed pages have
    /// between every two tags.
    DropBesideElements,
}

/// Parses a whole document as html5ever does (the same tree, less the blank runs `blanks`
/// leaves out), faster on plain markup. html5ever's own tokenizer, used on markup outside
/// the plain subset, keeps every blank.
// Never inlined: `benches/count_detect.sh` counts the parse's instructions by this name.
#[inline(never)]
pub(crate) fn parse_document(html: &str, blanks: Blanks) -> Html {
    parse_plain(html, blanks).unwrap_or_else(|| Html::parse_document(html))
}

/// The tree builder fed by the plain tokenizer.
type Builder = TreeBuilder<ego_tree::NodeId, HtmlTreeSink>;

/// Parses `html` if it stays within the plain subset, else `None`.
fn parse_plain(html: &str, blanks: Blanks) -> Option<Html> {
    // The input stream's newline normalisation and byte-order mark, as html5ever does them.
    let normalised: Cow<'_, str> = if html.contains('\r') {
        Cow::Owned(html.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(html)
    };
    let text = normalised.strip_prefix('\u{feff}').unwrap_or(&normalised);
    let mut document = Html::new_document();
    // About one node per tag and one per text run, and two `<` per element: the tree's vector
    // is sized once instead of growing (copying every node) a dozen times on a large page.
    let nodes = memchr::memchr_iter(b'<', text.as_bytes()).count() + 1;
    document.tree = ego_tree::Tree::with_capacity(scraper::Node::Document, nodes);
    let builder = TreeBuilder::new(HtmlTreeSink::new(document), TreeBuilderOpts::default());
    Tokenizer {
        text,
        bytes: text.as_bytes(),
        builder: &builder,
        names: RefCell::new(vec![None; NAME_SLOTS]),
        blanks: BlankState {
            drop: blanks == Blanks::DropBesideElements,
            ..BlankState::default()
        }
        .into(),
    }
    .data(0)
    .ok()?;
    let _ = builder.process_token(Token::EOFToken, LINE);
    builder.end();
    Some(builder.sink.finish())
}

/// Line number given with every token: scraper's sink does not track lines.
const LINE: u64 = 1;

/// The tokenizer of the plain subset, over one document.
struct Tokenizer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    builder: &'a Builder,
    /// Names interned lately, by a hash of their length and ends: where in the text one
    /// was seen, its length, the interned name.
    names: RefCell<Vec<Option<(usize, usize, LocalName)>>>,
    /// What decides whether a blank run may go.
    blanks: RefCell<BlankState>,
}

/// What the tokenizer tracks to leave out blank runs where the pre-pass would: the same
/// rules, on the same state (counted from tags, as the pre-pass counts them).
#[derive(Default)]
struct BlankState {
    /// Whether blank runs may go at all (`Blanks::DropBesideElements`).
    drop: bool,
    /// Formatting elements that may be open: a blank in body re-opens those the parser
    /// closed early, so none may go while one is open.
    formatting_open: prefilter::OpenFormatting,
    /// Inside a `<select>`.
    in_select: bool,
    /// Open `<svg>` and `<math>` elements: foreign content keeps its blanks.
    foreign_open: (u8, u8),
    /// A `<frameset>` was seen, or more formatting elements than can be counted: nothing
    /// more goes.
    stopped: bool,
    /// The last markup read.
    last: Last,
}

impl BlankState {
    /// Whether the blank run `run` between two pieces of markup may go, the next being a
    /// start tag named `next_start` when it is one.
    fn droppable(&self, run: &[u8], next_start: Option<&LocalName>) -> bool {
        if !self.drop
            || self.stopped
            || self.foreign_open != (0, 0)
            || !self.formatting_open.none()
            || !run
                .iter()
                .all(|&c| matches!(c, b'\t' | b'\n' | b'\x0c' | b' '))
        {
            return false;
        }
        let after_element = match &self.last {
            Last::StartTag { name, in_select } => {
                prefilter::makes_element(name.as_bytes(), *in_select)
            }
            Last::Comment => true,
            Last::Other => false,
        };
        after_element
            || next_start
                .is_some_and(|name| prefilter::makes_element(name.as_bytes(), self.in_select))
    }

    /// After a start tag named `name`; `raw` when the tree builder asked for raw text after
    /// it.
    fn start_tag(&mut self, name: &LocalName, self_closing: bool, raw: bool) {
        self.last = if raw {
            Last::Other
        } else {
            // Whether it makes an element of its own is asked only beside a blank run.
            Last::StartTag {
                name: name.clone(),
                in_select: self.in_select,
            }
        };
        if !self.formatting_open.opened(name.as_bytes()) {
            self.stopped = true;
        }
        if *name == local_name!("select") {
            self.in_select = true;
        } else if *name == local_name!("svg") && !self_closing {
            self.foreign_open.0 = self.foreign_open.0.saturating_add(1);
        } else if *name == local_name!("math") && !self_closing {
            self.foreign_open.1 = self.foreign_open.1.saturating_add(1);
        } else if *name == local_name!("frameset") || *name == local_name!("plaintext") {
            self.stopped = true;
        }
    }

    /// After an end tag named `name`.
    fn end_tag(&mut self, name: &LocalName) {
        self.last = Last::Other;
        self.formatting_open.closed(name.as_bytes());
        if *name == local_name!("select") {
            self.in_select = false;
        } else if *name == local_name!("svg") {
            self.foreign_open.0 = self.foreign_open.0.saturating_sub(1);
        } else if *name == local_name!("math") {
            self.foreign_open.1 = self.foreign_open.1.saturating_sub(1);
        }
    }
}

/// The markup last read, as far as blank runs after it are concerned.
#[derive(Default)]
enum Last {
    /// A start tag (with whether a `<select>` was open then).
    StartTag { name: LocalName, in_select: bool },
    /// A comment: its node keeps the texts on either side apart.
    Comment,
    /// Anything else (an end tag, a doctype, a raw-text element with its body).
    #[default]
    Other,
}

/// Slots of `Tokenizer::names`.
const NAME_SLOTS: usize = 64;

/// Why the plain tokenizer stopped early: the page needs html5ever's tokenizer.
struct NotPlain;

type Step<T> = Result<T, NotPlain>;

impl Tokenizer<'_> {
    /// The data state from `pos` to the end: text runs up to each tag or comment.
    fn data(&self, mut pos: usize) -> Step<()> {
        let bytes = self.bytes;
        let mut text_start = pos;
        // Whether the text since `text_start` holds a `&` (so may hold references).
        let mut ampersand = false;
        while let Some(found) = memchr::memchr3(b'<', b'&', 0, &bytes[pos..]) {
            pos += found;
            match bytes[pos] {
                b'&' => {
                    ampersand = true;
                    pos += 1;
                }
                b'<' => {
                    let next = bytes.get(pos + 1).copied();
                    let after = match next {
                        Some(c) if c.is_ascii_alphabetic() => {
                            // The name first: whether the blank run before it goes depends on it.
                            let (name, after_name) = self.tag_name(pos + 1)?;
                            self.text_or_blank(text_start, pos, ampersand, Some(&name))?;
                            self.start_tag(name, after_name)?
                        }
                        Some(b'/') if bytes.get(pos + 2).is_some_and(u8::is_ascii_alphabetic) => {
                            self.text_or_blank(text_start, pos, ampersand, None)?;
                            self.end_tag(pos + 2)?
                        }
                        Some(b'!') => {
                            self.text_or_blank(text_start, pos, ampersand, None)?;
                            self.markup_declaration(pos + 2)?
                        }
                        // `</>`, `</ x>`, `<?…>`: ignored or bogus comments.
                        Some(b'/' | b'?') => return Err(NotPlain),
                        // A `<` that starts no tag is text.
                        _ => {
                            pos += 1;
                            continue;
                        }
                    };
                    pos = after;
                    text_start = pos;
                    ampersand = false;
                }
                _ => return Err(NotPlain),
            }
        }
        self.text_or_blank(text_start, bytes.len(), ampersand, None)
    }

    /// Sends the text between two pieces of markup, unless it is a blank run that may go
    /// (`BlankState::droppable`; the next markup a start tag named `next_start`).
    fn text_or_blank(
        &self,
        from: usize,
        to: usize,
        ampersand: bool,
        next_start: Option<&LocalName>,
    ) -> Step<()> {
        if from == to {
            return Ok(());
        }
        if !ampersand
            && self
                .blanks
                .borrow()
                .droppable(&self.bytes[from..to], next_start)
        {
            return Ok(());
        }
        self.text(from, to, ampersand)
    }

    /// Sends the text between two ASCII positions, if any, its character references decoded
    /// (when it holds an `&`, `ampersand`).
    fn text(&self, from: usize, to: usize, ampersand: bool) -> Step<()> {
        if !ampersand {
            self.raw(from, to);
        } else if from < to {
            let run = StrTendril::from_slice(&self.decoded(from, to, false)?);
            let _ = self.send(Token::CharacterTokens(run));
        }
        Ok(())
    }

    /// Sends the text between two ASCII positions as it is (raw text has no references, and
    /// text without a `&` needs no decoding).
    fn raw(&self, from: usize, to: usize) {
        if from < to {
            let run = StrTendril::from_slice(&self.text[from..to]);
            let _ = self.send(Token::CharacterTokens(run));
        }
    }

    /// The text between two ASCII positions with its character references decoded, as the
    /// spec's character reference state does in text (`in_attribute` false) or in an
    /// attribute value.
    fn decoded(&self, from: usize, to: usize, in_attribute: bool) -> Step<Cow<'_, str>> {
        let run = &self.text[from..to];
        let Some(first) = memchr::memchr(b'&', run.as_bytes()) else {
            return Ok(Cow::Borrowed(run));
        };
        let mut out = String::with_capacity(run.len());
        let mut copied = from;
        let mut at = from + first;
        loop {
            if let Some((chars, end)) = reference(self.text, at, in_attribute) {
                // A reference ends before the delimiter that ends the run.
                if end > to {
                    return Err(NotPlain);
                }
                out.push_str(&self.text[copied..at]);
                out.extend(chars.into_iter().flatten());
                copied = end;
                at = end;
            } else {
                at += 1;
            }
            match memchr::memchr(b'&', &self.bytes[at..to]) {
                Some(found) => at += found,
                None => break,
            }
        }
        out.push_str(&self.text[copied..to]);
        Ok(Cow::Owned(out))
    }

    /// The interned, lowercased name at `[from, to)`. A page repeats a few dozen names, and
    /// interning one hashes it and searches a table: the last name seen with the same length
    /// and ends is reused when it is the same.
    fn name(&self, from: usize, to: usize) -> LocalName {
        let name = &self.bytes[from..to];
        let (Some(&first), Some(&last)) = (name.first(), name.last()) else {
            return lowercase_name(&self.text[from..to]);
        };
        let slot = (name.len() ^ usize::from(first) << 2 ^ usize::from(last) << 4) % NAME_SLOTS;
        let mut names = self.names.borrow_mut();
        match &names[slot] {
            Some((at, len, local)) if self.bytes.get(*at..*at + *len) == Some(name) => {
                local.clone()
            }
            _ => {
                let local = lowercase_name(&self.text[from..to]);
                names[slot] = Some((from, to - from, local.clone()));
                local
            }
        }
    }

    /// Hands a token to the tree builder, returning its request to the tokenizer.
    fn send(&self, token: Token) -> TokenSinkResult<ego_tree::NodeId> {
        self.builder.process_token(token, LINE)
    }

    /// A start tag named `name`, its attributes starting at `pos`; returns the position after
    /// it (and after the raw text the tree builder asks for, when it is a `<script>`,
    /// `<textarea>`…).
    fn start_tag(&self, name: LocalName, mut pos: usize) -> Step<usize> {
        let bytes = self.bytes;
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut had_duplicate_attributes = false;
        let self_closing = loop {
            pos = skip_blanks(bytes, pos);
            match bytes.get(pos) {
                Some(b'>') => {
                    pos += 1;
                    break false;
                }
                Some(b'/') if bytes.get(pos + 1) == Some(&b'>') => {
                    pos += 2;
                    break true;
                }
                // A stray `/`, an `=` or quote where a name starts, the end of the page.
                None | Some(b'/' | b'=' | b'"' | b'\'' | b'<' | 0) => return Err(NotPlain),
                Some(_) => {}
            }
            let name_start = pos;
            while let Some(&c) = bytes.get(pos) {
                match c {
                    b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>' | b'=' => break,
                    b'"' | b'\'' | b'<' | 0 => return Err(NotPlain),
                    _ => pos += 1,
                }
            }
            let attr_name = self.name(name_start, pos);
            pos = skip_blanks(bytes, pos);
            let value = if bytes.get(pos) == Some(&b'=') {
                let (value, after) = self.attribute_value(skip_blanks(bytes, pos + 1))?;
                pos = after;
                value
            } else {
                Cow::Borrowed("")
            };
            if attrs.iter().any(|a| a.name.local == attr_name) {
                had_duplicate_attributes = true;
            } else {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), attr_name),
                    value: StrTendril::from_slice(&value),
                });
            }
        };
        let raw_name = name.clone();
        let request = self.send(Token::TagToken(Tag {
            kind: TagKind::StartTag,
            name,
            self_closing,
            attrs,
            had_duplicate_attributes,
        }));
        let raw = matches!(
            request,
            TokenSinkResult::RawData(_) | TokenSinkResult::Plaintext
        );
        self.blanks
            .borrow_mut()
            .start_tag(&raw_name, self_closing, raw);
        match request {
            TokenSinkResult::RawData(kind) => self.raw_text(pos, &raw_name, kind),
            TokenSinkResult::Plaintext => {
                self.raw(pos, bytes.len());
                Ok(bytes.len())
            }
            _ => Ok(pos),
        }
    }

    /// An attribute value starting at `pos` (after the `=` and blanks): the value and the
    /// position after it.
    fn attribute_value(&self, pos: usize) -> Step<(Cow<'_, str>, usize)> {
        let bytes = self.bytes;
        match bytes.get(pos) {
            Some(&quote @ (b'"' | b'\'')) => {
                let mut end = pos + 1;
                let mut ampersand = false;
                loop {
                    end += memchr::memchr3(quote, b'&', 0, &bytes[end..]).ok_or(NotPlain)?;
                    match bytes[end] {
                        b'&' => {
                            ampersand = true;
                            end += 1;
                        }
                        0 => return Err(NotPlain),
                        _ => break,
                    }
                }
                let value = if ampersand {
                    self.decoded(pos + 1, end, true)?
                } else {
                    Cow::Borrowed(&self.text[pos + 1..end])
                };
                Ok((value, end + 1))
            }
            // `a=>` (a missing value) and the end of the page.
            None | Some(b'>') => Err(NotPlain),
            Some(_) => {
                let mut end = pos;
                while let Some(&c) = bytes.get(end) {
                    match c {
                        b'\t' | b'\n' | b'\x0c' | b' ' | b'>' => break,
                        // Characters an unquoted value takes with a parse error.
                        b'"' | b'\'' | b'<' | b'=' | b'`' | 0 => return Err(NotPlain),
                        _ => end += 1,
                    }
                }
                if end == bytes.len() {
                    return Err(NotPlain);
                }
                Ok((self.decoded(pos, end, true)?, end))
            }
        }
    }

    /// A tag name starting at `pos` (an ASCII letter): the name, lowercased, and the
    /// position after it.
    fn tag_name(&self, pos: usize) -> Step<(LocalName, usize)> {
        let bytes = self.bytes;
        let mut end = pos;
        loop {
            match bytes.get(end) {
                Some(b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>') => break,
                None | Some(0) => return Err(NotPlain),
                Some(_) => end += 1,
            }
        }
        Ok((self.name(pos, end), end))
    }

    /// An end tag whose name begins at `pos`; returns the position after it. End tags with
    /// attributes or a `/` are left to html5ever.
    fn end_tag(&self, pos: usize) -> Step<usize> {
        let (name, pos) = self.tag_name(pos)?;
        let pos = skip_blanks(self.bytes, pos);
        if self.bytes.get(pos) != Some(&b'>') {
            return Err(NotPlain);
        }
        self.blanks.borrow_mut().end_tag(&name);
        let _ = self.send(Token::TagToken(Tag {
            kind: TagKind::EndTag,
            name,
            self_closing: false,
            attrs: Vec::new(),
            had_duplicate_attributes: false,
        }));
        Ok(pos + 1)
    }

    /// What follows `<!` at `pos`: a comment or a plain `<!DOCTYPE name>`.
    fn markup_declaration(&self, pos: usize) -> Step<usize> {
        let bytes = self.bytes;
        let rest = &bytes[pos..];
        if let Some(body) = rest.strip_prefix(b"--") {
            // `<!-->` and `<!--->` end at once; `--!>` ends a comment too.
            if body.starts_with(b">") || body.starts_with(b"->") {
                return Err(NotPlain);
            }
            let start = pos + 2;
            let len = memchr::memmem::find(body, b"-->").ok_or(NotPlain)?;
            let data = &body[..len];
            if memchr::memmem::find(data, b"--!>").is_some() || data.contains(&0) {
                return Err(NotPlain);
            }
            let data = StrTendril::from_slice(&self.text[start..start + len]);
            let _ = self.send(Token::CommentToken(data));
            self.blanks.borrow_mut().last = Last::Comment;
            return Ok(start + len + 3);
        }
        if rest.len() > 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            let name_start = skip_blanks(bytes, pos + 7);
            if name_start == pos + 7 {
                return Err(NotPlain);
            }
            let mut end = name_start;
            while let Some(&c) = bytes.get(end) {
                match c {
                    b'\t' | b'\n' | b'\x0c' | b' ' | b'>' => break,
                    0 => return Err(NotPlain),
                    _ => end += 1,
                }
            }
            let close = skip_blanks(bytes, end);
            if end == name_start || bytes.get(close) != Some(&b'>') {
                return Err(NotPlain);
            }
            let name = self.text[name_start..end].to_ascii_lowercase();
            let _ = self.send(Token::DoctypeToken(Doctype {
                name: Some(StrTendril::from_slice(&name)),
                public_id: None,
                system_id: None,
                force_quirks: false,
            }));
            self.blanks.borrow_mut().last = Last::Other;
            return Ok(close + 1);
        }
        Err(NotPlain)
    }

    /// The body of a raw-text element (`<script>`, `<style>`, `<textarea>`, `<title>`…)
    /// starting at `pos`, up to its end tag, which the data state reads next.
    fn raw_text(&self, pos: usize, name: &LocalName, kind: RawKind) -> Step<usize> {
        let bytes = self.bytes;
        let name = name.as_bytes();
        let mut end = pos;
        let body_end = loop {
            let Some(found) = memchr::memmem::find(&bytes[end..], b"</") else {
                break bytes.len();
            };
            end += found;
            let after = end + 2 + name.len();
            let named = bytes
                .get(end + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name));
            if named
                && matches!(
                    bytes.get(after),
                    Some(b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>')
                )
            {
                break end;
            }
            end += 2;
        };
        let body = &bytes[pos..body_end];
        if body.contains(&0) {
            return Err(NotPlain);
        }
        match kind {
            RawKind::Rcdata => {
                self.text(pos, body_end, true)?;
                return Ok(body_end);
            }
            // A `<!--` in a script changes where it ends (the script data escape states).
            RawKind::ScriptData => {
                if memchr::memmem::find(body, b"<!--").is_some() {
                    return Err(NotPlain);
                }
            }
            RawKind::Rawtext => {}
            RawKind::ScriptDataEscaped(_) => return Err(NotPlain),
        }
        self.raw(pos, body_end);
        Ok(body_end)
    }
}

/// Named references most pages use, looked up before the entity table (a hash lookup per
/// letter). Each with its `;`.
const COMMON_REFERENCES: &[(&[u8], char)] = &[
    (b"amp;", '&'),
    (b"quot;", '"'),
    (b"nbsp;", '\u{a0}'),
    (b"lt;", '<'),
    (b"gt;", '>'),
    (b"apos;", '\''),
    (b"rsquo;", '\u{2019}'),
    (b"ndash;", '\u{2013}'),
    (b"mdash;", '\u{2014}'),
    (b"ldquo;", '\u{201c}'),
    (b"rdquo;", '\u{201d}'),
    (b"hellip;", '\u{2026}'),
    (b"copy;", '\u{a9}'),
];

/// The character reference starting with the `&` at `pos`, as html5ever's tokenizer reads
/// it: the one or two characters it stands for and the position after it, or `None` when
/// the `&` is just a character.
fn reference(text: &str, pos: usize, in_attribute: bool) -> Option<([Option<char>; 2], usize)> {
    let bytes = text.as_bytes();
    match *bytes.get(pos + 1)? {
        b'#' => {
            let (base, digits) = match bytes.get(pos + 2) {
                Some(b'x' | b'X') => (16, pos + 3),
                _ => (10, pos + 2),
            };
            let mut end = digits;
            let mut value: u32 = 0;
            let mut too_big = false;
            while let Some(digit) = bytes.get(end).and_then(|&c| char::from(c).to_digit(base)) {
                value = value.wrapping_mul(base);
                too_big |= value > 0x10FFFF;
                value = value.wrapping_add(digit);
                end += 1;
            }
            if end == digits {
                return None;
            }
            if bytes.get(end) == Some(&b';') {
                end += 1;
            }
            let c = match value {
                _ if too_big || value > 0x10FFFF => '\u{fffd}',
                0 | 0xD800..=0xDFFF => '\u{fffd}',
                0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(value - 0x80) as usize]
                    .or_else(|| char::from_u32(value))?,
                _ => char::from_u32(value)?,
            };
            Some(([Some(c), None], end))
        }
        c if c.is_ascii_alphanumeric() => {
            let start = pos + 1;
            // No entity name holds a `;` but at its end, so one that does is the longest match.
            let rest = &bytes[start..];
            if let Some(&(name, c)) = COMMON_REFERENCES.iter().find(|(n, _)| rest.starts_with(n)) {
                return Some(([Some(c), None], start + name.len()));
            }
            // The longest entity name the text starts with (names holding their `;` included).
            let mut longest = None;
            for (at, c) in text[start..].char_indices() {
                let len = at + c.len_utf8();
                match html5ever::data::NAMED_ENTITIES.get(&text[start..start + len]) {
                    Some(&(0, _)) => {}
                    Some(&found) => longest = Some((found, len)),
                    None => break,
                }
            }
            let ((first, second), len) = longest?;
            let end = start + len;
            // In attributes, `&amp=` and `&ampx` are text, for historical reasons.
            if in_attribute
                && bytes[end - 1] != b';'
                && bytes
                    .get(end)
                    .is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric())
            {
                return None;
            }
            let second = if second == 0 {
                None
            } else {
                Some(char::from_u32(second)?)
            };
            Some(([Some(char::from_u32(first)?), second], end))
        }
        _ => None,
    }
}

/// The position of the first byte at or after `pos` that is not a blank of the spec
/// (tab, line feed, form feed, space; carriage returns are gone by then).
fn skip_blanks(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b'\t' | b'\n' | b'\x0c' | b' ')) {
        pos += 1;
    }
    pos
}

/// A tag or attribute name with ASCII capitals lowered, as the tokenizer does.
fn lowercase_name(name: &str) -> LocalName {
    if name.bytes().any(|c| c.is_ascii_uppercase()) {
        LocalName::from(name.to_ascii_lowercase())
    } else {
        LocalName::from(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Parses `html` with both tokenizers; when the plain one takes it, the trees must be
    /// equal, and equal but for blank text nodes when it leaves blank runs out. Returns
    /// whether it took it.
    fn same_tree(html: &str) -> bool {
        let Some(plain) = parse_plain(html, Blanks::Keep) else {
            return false;
        };
        let reference = Html::parse_document(html);
        assert!(
            plain.tree == reference.tree && plain.quirks_mode == reference.quirks_mode,
            "{html:?}\nplain:     {}\nhtml5ever: {}",
            plain.html(),
            reference.html()
        );
        let without_blanks = parse_plain(html, Blanks::DropBesideElements)
            .expect("plain with its blanks, plain without");
        assert_eq!(
            outline(&without_blanks),
            outline(&reference),
            "{html:?} without blank runs"
        );
        true
    }

    /// The tree as text, blank text nodes left out: elements with their attributes,
    /// comments, the other text with its blank runs made one space and its ends trimmed.
    fn outline(html: &Html) -> String {
        use ego_tree::iter::Edge;
        let mut out = String::new();
        for edge in html.tree.root().traverse() {
            match (edge,) {
                (Edge::Open(node),) => match node.value() {
                    scraper::Node::Element(e) => {
                        let attrs: Vec<_> = e.attrs.iter().map(|(k, v)| (k, &**v)).collect();
                        out.push_str(&format!("<{:?} {attrs:?}>", e.name));
                    }
                    // Blank ends of a text are left out with the blank runs beside it.
                    scraper::Node::Text(t) if !t.trim().is_empty() => {
                        let words: Vec<&str> = t.split_ascii_whitespace().collect();
                        out.push_str(&format!("{:?}", words.join(" ")));
                    }
                    scraper::Node::Comment(c) => out.push_str(&format!("<!--{:?}-->", &**c)),
                    _ => {}
                },
                (Edge::Close(node),) => {
                    if node.value().is_element() {
                        out.push_str("</>");
                    }
                }
            }
        }
        out
    }

    #[test]
    fn plain_markup_builds_html5evers_tree() {
        for html in [
            "",
            "text only & more < less",
            "<!DOCTYPE html><html><head><title>A &amp B</title></head><body><p>x",
            "<!doctype HTML ><p>a",
            "\u{feff}<p>bom",
            "<p>a\r\nb\rc</p><textarea>\r\nx</textarea>",
            "<P CLASS=\"a\" Data-X='1' id=b>t</P>",
            "<p class=\"a\"data-x=\"b\"id=c>",
            "<input disabled checked value=x name = \"n\" >",
            "<input value=\"a\" value=\"b\" VALUE=c>",
            "<br/><img src=x /><div/>t</div>",
            "<pre>\nx</pre><pre><!---->\ny</pre><listing>\n\nz</listing>",
            "<table><tr><td>a<td>b</table><table>x<tr>",
            "<b><p>x</b>y</p><a href=q><div>z</a>w",
            "<select><option>a<option>b</select><select><p>c</select>",
            "<script>if (a < b && c) { x = '</p>' }</script><p>d",
            "<script>a</script >b<script>c</SCRIPT\n>",
            "<script>x</scripts><p></script>",
            "<style>p > a { x: '</a>' }</style><i>y",
            "<title>t</titlex></title><textarea>a <b> &</textarea>",
            "<noscript><p>n</noscript><iframe><p>f</iframe><xmp><b></xmp>",
            "<svg viewBox=\"0 0 1 1\"><path d=\"M0\"/><title>Close</title></svg><p>x",
            "<svg><foreignObject><p>x</foreignObject></svg><math><mi><p>y</mi></math>",
            "<template shadowrootmode=open><input name=a></template>",
            "<!-- a --><!----><!----->x<!-- <!-- b --><!--a--!-->y<!--c<!--->z",
            "<frameset><frame></frameset>",
            "<plaintext><p>x</p>",
            "<head><noscript><link></noscript></head><p>",
            "<p>a</p >b</div\t>c",
            "<x-y:z a:b=1 q=\"2\">w</x-y:z>",
            "<p title=\"&\" id='& x' data-x=a&>b",
            "<ul><li>a<li>b</ul><dl><dt>c<dd>d</dl>",
            "a &amp; b &notit; &noti &#38;&#x26;amp; &#0;&#128;&#129;&#xD800;&#1114112;",
            "&#99999999999; &# &#x; &#xZ &amp &lt &AMP; &Amp; &nbsp;x &nbspx &;",
            "<p title=\"&amp=1 &ampx &amp; &copy &notit; &#34;\" data-x=&lt; id=a&b>",
            "<textarea>&lt;&amp</textarea><title>&quot;</title><style>&amp;</style>",
            "<select><option value=\"&quot;\">&ndash;</option></select><table>&nbsp;<tr>",
            "&amp",
            "<form><form><input></form></form>",
            "<p data-x=1 id=a ID=b class=\"m-4 error x\" style=\"color:red\" tabindex=-1>t",
            "<div style=\"display: none\" aria-hidden=true aria-hidden=false role=x>",
            "<b data-x=1 class=\"m-4\"><i x=1>t</i></b><a href=y data-x=2>z</a>",
            "<script id=s type=module src=x></script><link rel=a href=b id=c><meta name=d>",
            "<svg xlink:href=x viewBox=\"0 0 1 1\"><path d=1 class=\"hidden\"/></svg>",
            "<math><annotation-xml encoding=\"text/html\" x=1><p data-y=2>t</p></annotation-xml>",
            "<table><input type=hidden data-x=1><tr><td class=\"c error\">a</table>",
            "<template shadowrootmode=open shadowrootdelegatesfocus data-x=1><i>t</i></template>",
            "<p class=\"x\" class=\"error\" CLASS=y>a",
            "<input name=a value=\"&quot;q&quot;\" data-v=\"&amp;\" class=\"c&amp;error\">",
        ] {
            same_tree(html);
        }
    }

    #[test]
    fn markup_outside_the_plain_subset_is_left_to_html5ever() {
        for html in [
            "a\0b",
            "<p =x>",
            "<p a/b>",
            "<p a=>",
            "<p a=\"x",
            "<p a",
            "</>",
            "</ x>",
            "<?xml?>",
            "<!x>",
            "<!-->",
            "<!--->",
            "<!-- a --!> b -->",
            "<!-- unclosed",
            "<!DOCTYPE html PUBLIC \"x\">",
            "<!DOCTYPE>",
            "</p a=1>",
            "<script><!--</script>--></script>",
            "<svg><![CDATA[x]]></svg>",
        ] {
            assert!(parse_plain(html, Blanks::Keep).is_none(), "{html:?}");
        }
    }

    /// Every fixture and corpus page, raw (as most are parsed) and after the pre-pass: the
    /// plain tokenizer takes it (the fast path is not silently lost) and builds html5ever's
    /// tree.
    #[test]
    fn fixture_and_corpus_pages_build_the_same_tree() {
        // Every removal on (SmartRecruiters' too): the most the pre-pass changes a page.
        let pass = crate::prefilter::Pass {
            smartrecruiters: true,
        };
        for (path, html) in crate::test_support::fixture_and_corpus_pages() {
            for (what, page) in [
                ("page", Cow::Borrowed(html.as_str())),
                ("pre-passed page", crate::prefilter::prefilter(&html, pass)),
            ] {
                assert!(
                    same_tree(&page),
                    "{}: the {what} is left to html5ever's tokenizer",
                    path.display()
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn random_markup_builds_the_same_tree(html in crate::test_support::tag_soup()) {
            same_tree(&html);
        }
    }
}
