//! Label text: cleaning of markers, button captions and error text.

use crate::dom::collapse;

/// Text pieces that are widget chrome, never part of a question.
const JUNK_SEGMENTS: &[&str] = &[
    "attach",
    "paste",
    "or",
    "dropbox",
    "google drive",
    "enter manually",
    "attach resume/cv",
    "couldn't auto-read resume.",
    "analyzing resume...",
    "success!",
    "svgs not supported by this browser.",
    "svgs not supported by this browser",
    "choose file",
    "choose a file",
    "or drop it here",
    "or drag and drop here",
    "upload file",
    "upload file or drag and drop here",
    "no file selected",
    "no location found. try entering a different location",
    "loading",
    "loading...",
    "locate me",
    "(optional)",
    "optional",
    "(required)",
    "required",
    "this field is required.",
    "this field is required",
    "select...",
    "select ...",
    "type here...",
    "file exceeds the maximum upload size of",
    ". please try a smaller size.",
];

/// Whether a text piece is widget chrome (button captions, status lines, markers).
pub(crate) fn is_junk_segment(segment: &str) -> bool {
    // Trimming first and collapsing after gives the same text as the other way round.
    let s = segment.trim_matches(|c: char| c == '*' || c == '✱' || c.is_whitespace());
    if s.is_empty() {
        return true;
    }
    // The list is ASCII without a `k`, so only ASCII text can lowercase to an entry (the
    // Kelvin sign is the one other character that lowercases to ASCII). Collapse and
    // lowercase into a buffer as long as the longest entry, without allocating.
    let mut buf = [0u8; JUNK_MAX];
    let mut len = 0;
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if !c.is_ascii() {
            return false;
        }
        let need = usize::from(space) + 1;
        if len + need > JUNK_MAX {
            return false;
        }
        if space {
            buf[len] = b' ';
            len += 1;
            space = false;
        }
        buf[len] = (c as u8).to_ascii_lowercase();
        len += 1;
    }
    let text = &buf[..len];
    JUNK_SEGMENTS.iter().any(|j| j.as_bytes() == text)
}

/// Room for the longest entry of [`JUNK_SEGMENTS`] (a test checks).
const JUNK_MAX: usize = 64;

/// The set of byte pairs in a text, ASCII case folded and hashed into 64 bits. A phrase can
/// only occur in a text (ignoring ASCII case) whose set holds all of the phrase's pairs,
/// which rules out most phrases without a search.
pub(crate) const fn byte_pairs(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut set = 0u64;
    let mut i = 1;
    while i < b.len() {
        let pair = b[i - 1].to_ascii_lowercase() as u64 * 31 + b[i].to_ascii_lowercase() as u64;
        set |= 1 << (pair % 64);
        i += 1;
    }
    set
}

/// Whether raw label text carries a required marker (`*` or `✱`).
pub(crate) fn has_required_marker(raw: &str) -> bool {
    let t = raw.trim();
    t.contains('✱')
        || t.ends_with('*')
        || t.starts_with('*')
        || t.contains("* ")
        || t.contains(" *")
}

/// Joins label pieces, dropping chrome but keeping required markers (the raw label).
pub(crate) fn raw_join(segments: &[&str]) -> String {
    let mut out = String::new();
    for s in segments {
        let t = s.trim();
        if t == "*" || t == "✱" || !is_junk_segment(s) {
            // Joined by spaces and collapsed: the words, one space apart.
            crate::dom::push_words(&mut out, s);
        }
    }
    out
}

/// Joins label pieces, dropping chrome, and cleans the result.
pub(crate) fn clean_segments(segments: &[&str]) -> String {
    let len = segments.iter().map(|s| s.len() + 1).sum();
    clean_pieces(
        len,
        segments.iter().copied().filter(|s| !is_junk_segment(s)),
    )
}

/// Whether the pieces clean to a label at all (`!clean_segments(..).is_empty()`). Cleaning
/// only drops whitespace, marks, colons and the "(optional)"-style suffixes, so a kept piece
/// with any other character settles it without cleaning anything.
pub(crate) fn has_label_text(segments: &[&str]) -> bool {
    // Characters cleaning can remove: the suffixes' letters and brackets among them.
    let removable = |c: char| {
        c.is_whitespace()
            || matches!(c, '*' | ':' | '(' | ')' | '✱' | '\u{200b}')
            || (c.is_ascii_alphabetic()
                && b"abdegilnopqrtu".contains(&(c as u8).to_ascii_lowercase()))
    };
    let kept = || segments.iter().filter(|s| !is_junk_segment(s));
    kept().any(|s| s.chars().any(|c| !removable(c))) || !clean_segments(segments).is_empty()
}

/// Cleans a label: no `*`/`✱` markers, no "(Optional)", no trailing colon, single spaces.
pub(crate) fn clean_label(raw: &str) -> String {
    clean_pieces(raw.len(), std::iter::once(raw))
}

/// [`clean_label`] of the pieces joined by spaces, without joining them first (`len`: room
/// for them).
fn clean_pieces<'s>(len: usize, pieces: impl Iterator<Item = &'s str>) -> String {
    // The marks dropped and whitespace collapsed in one pass (the space a join would put
    // between two pieces is whitespace like any other).
    let mut collapsed = String::with_capacity(len);
    let mut space = false;
    for piece in pieces {
        for c in piece.chars() {
            if c == '✱' || c == '\u{200b}' {
                continue;
            }
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !collapsed.is_empty() {
                collapsed.push(' ');
            }
            space = false;
            collapsed.push(c);
        }
        space = true;
    }
    let mut s = collapsed.as_str();
    // Markers and suffixes can stack ("Phone * (Optional):"), so strip until stable.
    loop {
        let before = s.len();
        s = s.trim_matches(|c: char| c == '*' || c.is_whitespace());
        for suffix in ["(optional)", "(required)", "(obligatoire)"] {
            // ASCII suffixes without a `k`: lowercasing the text and comparing is the same as
            // an ASCII case-insensitive comparison of its last bytes.
            if let Some(cut) = s.len().checked_sub(suffix.len())
                && s.as_bytes()[cut..].eq_ignore_ascii_case(suffix.as_bytes())
                && s.is_char_boundary(cut)
            {
                s = &s[..cut];
            }
        }
        if let Some(stripped) = s.strip_suffix(':') {
            s = stripped;
        }
        s = s.trim();
        if s.len() == before {
            break;
        }
    }
    // What is left is a slice of `collapsed`: cut it down in place.
    let start = s.as_ptr() as usize - collapsed.as_ptr() as usize;
    let end = start + s.len();
    collapsed.truncate(end);
    collapsed.drain(..start);
    collapsed
}

/// Turns a form control name into words, as a last-resort label (`job_application[first_name]`
/// → "first name").
pub(crate) fn humanize_name(name: &str) -> String {
    let last = name
        .rsplit('[')
        .map(|p| p.trim_end_matches(']'))
        .find(|p| !p.is_empty() && !p.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(name);
    let spaced: String = last
        .chars()
        .map(|c| {
            if c == '_' || c == '-' || c == '.' {
                ' '
            } else {
                c
            }
        })
        .collect();
    collapse(&spaced)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `clean_label` as first written: allocation by allocation.
    fn clean_label_reference(raw: &str) -> String {
        let no_marks: String = raw
            .chars()
            .filter(|c| *c != '✱' && *c != '\u{200b}')
            .collect();
        let mut s = collapse(&no_marks);
        loop {
            let before = s.len();
            s = s
                .trim_matches(|c: char| c == '*' || c.is_whitespace())
                .to_owned();
            for suffix in ["(optional)", "(required)", "(obligatoire)"] {
                if s.to_lowercase().ends_with(suffix) {
                    let cut = s.len() - suffix.len();
                    if s.is_char_boundary(cut) {
                        s.truncate(cut);
                    }
                }
            }
            if let Some(stripped) = s.strip_suffix(':') {
                s = stripped.to_owned();
            }
            s = s.trim().to_owned();
            if s.len() == before {
                break;
            }
        }
        s
    }

    /// `is_junk_segment` as first written.
    fn is_junk_reference(segment: &str) -> bool {
        let s = collapse(segment);
        let s = s.trim_matches(|c: char| c == '*' || c == '✱' || c.is_whitespace());
        s.is_empty() || JUNK_SEGMENTS.contains(&s.to_lowercase().as_str())
    }

    fn labelish() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just(" "),
                Just("\n\t"),
                Just("\u{a0}"),
                Just("\u{200b}"),
                Just("✱"),
                Just("*"),
                Just(":"),
                Just("(Optional)"),
                Just("(REQUIRED)"),
                Just("(obligatoire)"),
                Just("İ"),
                Just("\u{212a}"),
                Just("Phone"),
                Just("Select ..."),
                Just("Attach"),
                Just("or"),
            ],
            0..10,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn a_phrase_in_a_text_has_its_pairs_in_the_text(
            text in "[a-cA-Cé ]{0,12}",
            start in 0usize..12,
            len in 0usize..6,
        ) {
            let bytes = text.as_bytes();
            let start = start.min(bytes.len());
            let end = (start + len).min(bytes.len());
            if let Ok(phrase) = std::str::from_utf8(&bytes[start..end]) {
                let (t, p) = (byte_pairs(&text), byte_pairs(&phrase.to_ascii_uppercase()));
                prop_assert_eq!(t & p, p);
            }
        }

        #[test]
        fn clean_label_is_unchanged(raw in labelish()) {
            prop_assert_eq!(clean_label(&raw), clean_label_reference(&raw));
        }

        #[test]
        fn clean_segments_is_unchanged(segs in proptest::collection::vec(labelish(), 0..4)) {
            let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
            let kept: Vec<&str> = segs.iter().copied().filter(|s| !is_junk_reference(s)).collect();
            prop_assert_eq!(clean_segments(&segs), clean_label_reference(&kept.join(" ")));
        }

        #[test]
        fn label_text_is_what_cleaning_leaves(
            segs in proptest::collection::vec(
                prop_oneof![labelish(), Just("Name".to_owned()), Just("é".to_owned())],
                0..4,
            )
        ) {
            let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
            prop_assert_eq!(has_label_text(&segs), !clean_segments(&segs).is_empty());
        }

        #[test]
        fn junk_detection_is_unchanged(raw in labelish()) {
            prop_assert_eq!(is_junk_segment(&raw), is_junk_reference(&raw));
        }
    }

    #[test]
    fn cleans_markers_and_suffixes() {
        assert_eq!(clean_label("First Name*"), "First Name");
        assert_eq!(clean_label("*First name"), "First name");
        assert_eq!(clean_label("Full name✱"), "Full name");
        assert_eq!(clean_label("Phone ✱"), "Phone");
        assert_eq!(clean_label("Headline (Optional)"), "Headline");
        assert_eq!(clean_label("  Gender Identity:  "), "Gender Identity");
        assert_eq!(clean_label("Resume/CV *"), "Resume/CV");
        assert_eq!(clean_label("Salary * (Optional):"), "Salary");
        assert_eq!(clean_label("LinkedIn\u{200b}"), "LinkedIn");
    }

    #[test]
    fn drops_widget_chrome() {
        let segs = [
            "Resume/CV",
            "✱",
            "ATTACH RESUME/CV",
            "Couldn't auto-read resume.",
        ];
        assert_eq!(clean_segments(&segs), "Resume/CV");
        assert_eq!(clean_segments(&["Attach"]), "");
        assert_eq!(
            clean_segments(&["Dropbox", "Google Drive", "Enter manually"]),
            ""
        );
        assert_eq!(
            clean_segments(&["SVGs not supported by this browser.", "Address"]),
            "Address"
        );
        assert_eq!(
            clean_segments(&["Cover letter", "(Optional)"]),
            "Cover letter"
        );
    }

    #[test]
    fn junk_entries_fit_the_buffer() {
        for j in JUNK_SEGMENTS {
            assert!(
                j.len() <= JUNK_MAX && j.is_ascii() && !j.contains('k'),
                "{j}"
            );
            assert!(is_junk_segment(&j.to_uppercase()), "{j}");
            assert!(is_junk_segment(&format!(
                " * {}\n ✱",
                j.replace(' ', " \u{a0}\t ")
            )));
        }
        assert!(!is_junk_segment("Attach a photo"));
    }

    #[test]
    fn required_markers() {
        assert!(has_required_marker("Email*"));
        assert!(has_required_marker("*First name"));
        assert!(has_required_marker("Phone ✱"));
        assert!(!has_required_marker("Rate 5*3 things"));
        assert!(!has_required_marker("Email"));
    }

    #[test]
    fn humanizes_names() {
        assert_eq!(humanize_name("job_application[first_name]"), "first name");
        assert_eq!(
            humanize_name("job_application[answers_attributes][0][text_value]"),
            "text value"
        );
        assert_eq!(humanize_name("streetAddress.value"), "streetAddress value");
    }
}
