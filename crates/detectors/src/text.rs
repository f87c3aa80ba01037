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
    let s = collapse(segment);
    let s = s.trim_matches(|c: char| c == '*' || c == '✱' || c.is_whitespace());
    if s.is_empty() {
        return true;
    }
    let lower = s.to_lowercase();
    JUNK_SEGMENTS.contains(&lower.as_str())
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
    let kept: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| {
            let t = s.trim();
            t == "*" || t == "✱" || !is_junk_segment(s)
        })
        .collect();
    collapse(&kept.join(" "))
}

/// Joins label pieces, dropping chrome, and cleans the result.
pub(crate) fn clean_segments(segments: &[&str]) -> String {
    let kept: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !is_junk_segment(s))
        .collect();
    clean_label(&kept.join(" "))
}

/// Cleans a label: no `*`/`✱` markers, no "(Optional)", no trailing colon, single spaces.
pub(crate) fn clean_label(raw: &str) -> String {
    let no_marks: String = raw
        .chars()
        .filter(|c| *c != '✱' && *c != '\u{200b}')
        .collect();
    let mut s = collapse(&no_marks);
    // Markers and suffixes can stack ("Phone * (Optional):"), so strip until stable.
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
    use super::*;

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
