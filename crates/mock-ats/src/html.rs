//! Small helpers for writing HTML by hand.

use std::fmt::Write as _;

/// Escapes text for use in element content and double-quoted attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A complete document: doctype, head with `title` and optional `style`, then `body`.
pub(crate) fn document(title: &str, style: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + style.len() + 256);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title>",
        esc(title)
    );
    if !style.is_empty() {
        let _ = write!(out, "<style>{style}</style>");
    }
    let _ = write!(out, "</head>\n{body}\n</html>\n");
    out
}

/// `checked` / `selected` style boolean attributes.
pub(crate) fn flag(on: bool, attr: &str) -> String {
    if on {
        format!(" {attr}")
    } else {
        String::new()
    }
}

/// A plausible e-mail address: something, `@`, a domain with a dot, no spaces.
pub(crate) fn looks_like_email(value: &str) -> bool {
    let value = value.trim();
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn email_check_accepts_plain_addresses_only() {
        assert!(looks_like_email("ada@example.com"));
        assert!(!looks_like_email("ada@example"));
        assert!(!looks_like_email("ada example@x.com"));
        assert!(!looks_like_email("@example.com"));
        assert!(!looks_like_email("not-an-email"));
    }
}
