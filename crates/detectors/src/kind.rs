//! What kind of page a snapshot is, its Next/Submit/Back controls and the errors the ATS shows.

use ego_tree::NodeId;
use engine_core::{Control, ControlKind, Controls, PageKind, ProviderId, ValidationError};
use html5ever::local_name;
use url::Url;

use crate::dom::{
    self, Doc, FastMap, NodeR, aria_true, attr, collapse, el_attr, full_text, selector_for, tag,
};
use crate::fields::Extracted;
use crate::provider::provider_from_url;

/// Visible text of the page, lowercased (scripts, styles, templates and hidden parts left out).
pub(crate) fn page_text(doc: &Doc<'_>) -> String {
    let mut segs = Vec::new();
    dom::text_segments(
        doc.body(),
        &|n| {
            matches!(tag(n), Some("template" | "head" | "title"))
                || doc.self_hidden(n)
                || aria_true(n, "aria-hidden")
        },
        &mut segs,
    );
    collapse(&segs.join(" ")).to_lowercase()
}

fn any_of(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| text.contains(p))
}

/// "Thank you for applying" pages.
pub(crate) fn is_confirmation(text: &str, url: &str) -> bool {
    const PHRASES: &[&str] = &[
        "thank you for applying",
        "thanks for applying",
        "thank you for your application",
        "thanks for your application",
        "thank you for your interest in joining",
        "application has been submitted",
        "application was submitted",
        "application has been received",
        "application was received",
        "we've received your application",
        "we have received your application",
        "we received your application",
        "application submitted",
        "successfully submitted",
        "your application is complete",
        "application is on its way",
    ];
    if any_of(text, PHRASES) {
        return true;
    }
    Url::parse(url).ok().is_some_and(|u| {
        let path = u.path().trim_end_matches('/').to_ascii_lowercase();
        path.ends_with("/thanks") || path.ends_with("/confirmation") || path.ends_with("/thank-you")
    })
}

/// Closed or missing postings.
pub(crate) fn is_expired(text: &str) -> bool {
    const PHRASES: &[&str] = &[
        "no longer accepting applications",
        "not accepting applications",
        "no longer available",
        "no longer open",
        "no longer active",
        "position has been filled",
        "job has expired",
        "posting has expired",
        "job posting has closed",
        "posting is closed",
        "posting has been closed",
        "this job is closed",
        "job is no longer",
        "job not found",
        "posting not found",
        "couldn't find anything here",
        "could not find the job",
        "couldn't find the job",
        "the job you are looking for",
        "has been removed",
    ];
    any_of(text, PHRASES) || (text.contains("404") && text.contains("not found"))
}

/// Pages that want the applicant signed in before anything else.
pub(crate) fn is_login_wall(text: &str, doc: &Doc<'_>) -> bool {
    const PHRASES: &[&str] = &[
        "sign in to apply",
        "log in to apply",
        "login to apply",
        "please sign in",
        "please log in",
        "you must be logged in",
        "you must sign in",
        "sign in to continue",
        "log in to continue",
        "create an account to apply",
    ];
    if any_of(text, PHRASES) {
        return true;
    }
    doc.nodes(&doc.passwords).any(|e| !doc.hidden_in_tree(e))
}

/// A captcha a person must solve: challenge frames that are shown, or a challenge page.
pub(crate) fn captcha(text: &str, doc: &Doc<'_>, has_fields: bool) -> bool {
    for node in doc.nodes(&doc.iframes) {
        let Some(src) = attr(node, "src").map(str::to_ascii_lowercase) else {
            continue;
        };
        let title = attr(node, "title").unwrap_or("").to_ascii_lowercase();
        let challenge = (src.contains("hcaptcha") && src.contains("frame=challenge"))
            || (src.contains("recaptcha") && src.contains("bframe"))
            || src.contains("challenges.cloudflare.com")
            || (title.contains("challenge") && !title.contains("checkbox"));
        let checkbox = (src.contains("recaptcha")
            && src.contains("anchor")
            && !src.contains("size=invisible"))
            || (src.contains("hcaptcha")
                && src.contains("frame=checkbox")
                && !src.contains("size=invisible"));
        if doc.hidden_in_tree(node) {
            continue;
        }
        if challenge || (checkbox && !has_fields) {
            return true;
        }
    }
    if has_fields {
        return false;
    }
    if doc.challenge_page || visible_captcha_widget(doc) {
        return true;
    }
    const PHRASES: &[&str] = &[
        "verify you are human",
        "verify you're human",
        "are you a robot",
        "i'm not a robot",
        "complete the security check",
        "checking your browser",
        "press & hold",
        "press and hold",
        "solve the captcha",
        "complete the captcha",
    ];
    any_of(text, PHRASES)
}

/// A captcha widget shown on a form (a checkbox the applicant ticks), not an invisible one.
pub(crate) fn visible_captcha_widget(doc: &Doc<'_>) -> bool {
    doc.nodes(&doc.captcha_widgets).any(|w| {
        if doc.hidden_in_tree(w) || attr(w, "data-size") == Some("invisible") {
            return false;
        }
        let frames: Vec<_> = w
            .descendants()
            .filter(|d| tag(*d) == Some("iframe"))
            .collect();
        if frames.is_empty() {
            // Not rendered yet: Lever's `#h-captcha` is always the invisible kind.
            return attr(w, "id") != Some("h-captcha");
        }
        frames.iter().any(|f| {
            !doc.hidden_in_tree(*f) && !attr(*f, "src").unwrap_or("").contains("size=invisible")
        })
    })
}

/// A careers page that hands the application to an ATS: an embedded ATS frame or an Apply link
/// to an ATS host.
pub(crate) fn handoff(doc: &Doc<'_>, page_url: &str, raw_html: &str) -> Option<PageKind> {
    let base = Url::parse(page_url).ok();
    let resolve = |href: &str| -> Option<String> {
        let href = href.trim();
        if href.is_empty() || href.starts_with("javascript:") || href.starts_with('#') {
            return None;
        }
        match &base {
            Some(b) => b.join(href).ok().map(|u| u.to_string()),
            None => Url::parse(href).ok().map(|u| u.to_string()),
        }
    };
    for frame in doc.nodes(&doc.iframes) {
        let src = attr(frame, "src")
            .or_else(|| attr(frame, "data-src"))
            .unwrap_or("");
        let grnhse = attr(frame, "id") == Some("grnhse_iframe");
        let Some(abs) = resolve(src) else { continue };
        let provider = provider_from_url(&abs);
        let is_app = grnhse
            || abs.contains("/embed/job_app")
            || (provider.is_some() && !abs.contains("captcha") && looks_like_application(&abs));
        if is_app {
            return Some(PageKind::Handoff {
                url: abs,
                provider: provider.or(grnhse.then_some(ProviderId::Greenhouse)),
            });
        }
    }
    // Greenhouse's embed script (`#grnhse_app` filled in later) names the board; the page
    // URL's `gh_jid` names the job.
    if let Some(board) = greenhouse_embed_board(raw_html) {
        let job = base.as_ref().and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "gh_jid")
                .map(|(_, v)| v.into_owned())
        });
        if let Some(job) = job {
            let mut url = Url::parse("https://boards.greenhouse.io/embed/job_app").ok()?;
            url.query_pairs_mut()
                .append_pair("for", &board)
                .append_pair("token", &job);
            return Some(PageKind::Handoff {
                url: url.to_string(),
                provider: Some(ProviderId::Greenhouse),
            });
        }
    }
    let page_provider = provider_from_url(page_url);
    for link in doc.nodes(&doc.links) {
        let Some(abs) = attr(link, "href").and_then(resolve) else {
            continue;
        };
        let Some(provider) = provider_from_url(&abs) else {
            continue;
        };
        if same_page(&abs, page_url) {
            continue;
        }
        let text = full_text(link).to_lowercase();
        let label = attr(link, "aria-label").unwrap_or("").to_lowercase();
        // Ashby's posting page links its "Application" tab.
        let ashby_tab =
            provider == ProviderId::Ashby && abs.trim_end_matches('/').ends_with("/application");
        let says_apply = text.contains("apply") || label.contains("apply") || ashby_tab;
        if !says_apply || text.contains("apply with") {
            continue;
        }
        if page_provider.as_ref() == Some(&provider) && !looks_like_application(&abs) {
            continue;
        }
        return Some(PageKind::Handoff {
            url: abs,
            provider: Some(provider),
        });
    }
    None
}

/// Whether two URLs name the same page (fragment and trailing slash aside).
fn same_page(a: &str, b: &str) -> bool {
    let strip = |u: &str| -> String {
        let u = u.split('#').next().unwrap_or(u);
        u.trim_end_matches('/').to_owned()
    };
    strip(a) == strip(b)
}

/// The board token in Greenhouse's embed script URL (`…/embed/job_board/js?for=acme`).
fn greenhouse_embed_board(raw_html: &str) -> Option<String> {
    let at = raw_html.find("greenhouse.io/embed/job_board/js?")?;
    let rest = &raw_html[at..];
    let end = rest.find(['"', '\'', ' ', '>']).unwrap_or(rest.len());
    let url = Url::parse(&format!("https://boards.{}", &rest[..end])).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "for")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

/// Whether an ATS URL points at an application or posting rather than a logo or asset.
fn looks_like_application(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    !(u.ends_with(".js") || u.ends_with(".css") || u.ends_with(".png") || u.ends_with(".svg"))
        && (u.contains("apply")
            || u.contains("application")
            || u.contains("/job")
            || u.contains("gh_jid")
            || u.contains("for=")
            || u.contains("token="))
}

/// A page still being built by script: Ashby's shell, or an empty app root.
pub(crate) fn is_loading(raw_html: &str, doc: &Doc<'_>, text: &str) -> bool {
    if raw_html.contains("window.__appData") || raw_html.contains("__appData =") {
        return true;
    }
    let empty_root = doc.nodes(&doc.app_roots).any(|r| {
        r.children().all(|c| {
            c.value().as_text().is_none_or(|t| t.trim().is_empty()) && !c.value().is_element()
        })
    });
    if empty_root && text.len() < 200 && raw_html.contains("<script") {
        return true;
    }
    // A page whose only words say it is still loading ("Loading job details...").
    text.len() < 120 && (text.starts_with("loading") || text.contains("loading..."))
}

/// An ATS error page ("something went wrong").
pub(crate) fn ats_error(text: &str) -> Option<String> {
    const PHRASES: &[&str] = &[
        "something went wrong",
        "an error occurred",
        "an error has occurred",
        "internal server error",
        "service unavailable",
        "unexpected error",
        "bad gateway",
        "temporarily unavailable",
    ];
    PHRASES
        .iter()
        .find(|p| text.contains(*p))
        .map(|p| format!("the application site shows an error page (\"{p}\"); try again later"))
}

/// What a control's caption says it does.
fn control_role(text: &str) -> Option<ControlKind> {
    let t = text
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    if t.contains(" with ") || t.starts_with("apply with") || t.contains("linkedin") {
        return None;
    }
    if (t.starts_with("back") || t.starts_with("previous") || t == "prev")
        && !t.contains("job")
        && !t.contains("search")
        && !t.contains("posting")
        && !t.contains("top")
    {
        return Some(ControlKind::Back);
    }
    if t.starts_with("next")
        || t.starts_with("continue")
        || t.starts_with("save and continue")
        || t.starts_with("save & continue")
        || t == "proceed"
    {
        return Some(ControlKind::Next);
    }
    if t.contains("submit")
        || t.contains("send application")
        || t == "apply"
        || t == "apply now"
        || t == "send"
        || t == "finish"
        || t.starts_with("complete application")
        || t == "create account"
    {
        return Some(ControlKind::Submit);
    }
    None
}

/// The Next/Submit/Back controls within `scope` (the form roots), else in the whole page.
pub(crate) fn controls(doc: &Doc<'_>, scopes: &[NodeR<'_>]) -> Controls {
    let body = doc.body();
    let mut found = controls_in(doc, scopes);
    if found.next.is_none() && found.submit.is_none() {
        // Some forms keep their buttons outside the fields' container (Ashby).
        let page = controls_in(doc, &[body]);
        found.next = page.next;
        found.submit = page.submit;
        found.back = found.back.or(page.back);
    }
    found
}

fn controls_in(doc: &Doc<'_>, scopes: &[NodeR<'_>]) -> Controls {
    let mut found = Controls::default();
    let mut unlabelled_submit = None;
    let scopes: Vec<NodeR<'_>> = if scopes.is_empty() {
        vec![doc.body()]
    } else {
        scopes.to_vec()
    };
    for scope in &scopes {
        // The index lists the clickable elements in page order; these are the scope's.
        for node in doc
            .nodes(&doc.clickables)
            .filter(|n| dom::is_inclusive_ancestor(*scope, *n))
        {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            if doc.hidden_in_tree(node) || aria_true(node, "aria-hidden") {
                continue;
            }
            let is_input = el.name.local == local_name!("input");
            let submit = el_attr(el, "type").is_some_and(|t| t.eq_ignore_ascii_case("submit"));
            let text = if is_input {
                el_attr(el, "value").map(collapse).unwrap_or_default()
            } else {
                let t = full_text(node);
                if t.is_empty() {
                    el_attr(el, "aria-label").map(collapse).unwrap_or_default()
                } else {
                    t
                }
            };
            if submit && text.is_empty() {
                // An unlabelled submit button still sends the form, but a labelled one wins
                // (Lever keeps an empty one for its captcha beside the real button).
                if unlabelled_submit.is_none() {
                    unlabelled_submit = Some(Control {
                        kind: ControlKind::Submit,
                        selector: selector_for(doc, node),
                        text: "Submit".to_owned(),
                    });
                }
                continue;
            }
            let Some(role) = control_role(&text) else {
                continue;
            };
            let control = Control {
                kind: role,
                selector: selector_for(doc, node),
                text,
            };
            let slot = match role {
                ControlKind::Next => &mut found.next,
                ControlKind::Submit => &mut found.submit,
                ControlKind::Back => &mut found.back,
            };
            if slot.is_none() {
                *slot = Some(control);
            }
        }
    }
    if found.submit.is_none() && found.next.is_none() {
        found.submit = unlabelled_submit;
    }
    found
}

/// The message for a control the page marks invalid without saying why.
const REJECTED: &str = "the site rejected this answer";

/// Errors the ATS shows after a rejected submit, mapped to fields where the page says which.
pub(crate) fn errors(doc: &Doc<'_>, extracted: &Extracted) -> Vec<ValidationError> {
    let mut owner: FastMap<NodeId, usize> = FastMap::default();
    for (i, nodes) in extracted.nodes.iter().enumerate() {
        for n in nodes {
            owner.insert(*n, i);
        }
    }
    let mut out: Vec<ValidationError> = Vec::new();
    let mut push = |e: ValidationError| {
        if !out.contains(&e) {
            out.push(e);
        }
    };
    // 1. Controls marked invalid, with their error message element.
    for (i, nodes) in extracted.nodes.iter().enumerate() {
        let field_id = &extracted.fields[i].field_id;
        for n in nodes.iter().filter_map(|n| doc.node(*n)) {
            let mut message = None;
            for key in ["aria-errormessage", "aria-describedby"] {
                for id in attr(n, key).unwrap_or("").split_ascii_whitespace() {
                    if key == "aria-describedby" && !id.to_ascii_lowercase().contains("error") {
                        continue;
                    }
                    if let Some(t) = doc.by_id(id).map(full_text).filter(|t| !t.is_empty()) {
                        message.get_or_insert(t);
                    }
                }
            }
            if message.is_none()
                && let Some(id) = attr(n, "id")
            {
                let mut key = String::with_capacity(id.len() + 6);
                key.push_str(id);
                key.push_str("-error");
                let dashed = doc.by_id(&key);
                key.truncate(id.len());
                key.push_str("_error");
                message = dashed
                    .or_else(|| doc.by_id(&key))
                    .filter(|e| !doc.hidden_in_tree(*e))
                    .map(full_text)
                    .filter(|t| !t.is_empty());
            }
            let invalid = aria_true(n, "aria-invalid");
            if let Some(m) = message {
                push(ValidationError::field(field_id.clone(), m));
                break;
            } else if invalid {
                push(ValidationError::field(field_id.clone(), REJECTED));
                break;
            }
        }
    }
    // 2. Error text blocks: map each to the one field around it, or to the page.
    for node in doc.nodes(&doc.error_blocks) {
        if doc.hidden_in_tree(node) || aria_true(node, "aria-hidden") {
            continue;
        }
        if dom::element_ancestors(node)
            .take(3)
            .any(|a| dom::class_contains(a, "oversize") || dom::class_contains(a, "upload-failure"))
        {
            continue;
        }
        // A question marked as errored (Lever's `li.application-question.error`) holds its
        // controls; the message is a block inside it.
        if node
            .descendants()
            .any(|d| crate::fields::control_kind(d).is_some())
        {
            continue;
        }
        let text = full_text(node);
        if text.is_empty() || text.len() > 300 {
            continue;
        }
        let mut field = None;
        let mut current = Some(node);
        for _ in 0..6 {
            let Some(c) = current else { break };
            let inside: Vec<usize> = c
                .descendants()
                .filter_map(|d| owner.get(&d.id()).copied())
                .collect();
            let mut distinct = inside;
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() == 1 {
                field = Some(distinct[0]);
                break;
            }
            if distinct.len() > 1 {
                break;
            }
            current = c.parent();
        }
        match field {
            Some(i) => push(ValidationError::field(
                extracted.fields[i].field_id.clone(),
                text,
            )),
            None => push(ValidationError::page(text)),
        }
    }
    // A field with a message of its own needs no generic one.
    let with_text: Vec<Option<String>> = out
        .iter()
        .filter(|e| e.message != REJECTED)
        .map(|e| e.field_id.clone())
        .collect();
    out.retain(|e| e.message != REJECTED || !with_text.contains(&e.field_id));
    // A field-level message already says it; drop page-level duplicates of the same text.
    let field_texts: Vec<String> = out
        .iter()
        .filter(|e| e.field_id.is_some())
        .map(|e| e.message.clone())
        .collect();
    out.retain(|e| e.field_id.is_some() || !field_texts.contains(&e.message));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_captions() {
        assert_eq!(
            control_role("Submit application"),
            Some(ControlKind::Submit)
        );
        assert_eq!(control_role("Next →"), Some(ControlKind::Next));
        assert_eq!(control_role("Save and Continue"), Some(ControlKind::Next));
        assert_eq!(control_role("Back"), Some(ControlKind::Back));
        assert_eq!(control_role("Back to Job Posting"), None);
        assert_eq!(control_role("Apply with LinkedIn"), None);
        assert_eq!(control_role("Apply With Indeed"), None);
        assert_eq!(control_role("Attach"), None);
    }

    #[test]
    fn a_page_that_only_says_loading_is_loading() {
        let html = scraper::Html::parse_document("<title>Jobs</title><p>Loading job details...");
        let doc = Doc::new(&html);
        let text = page_text(&doc);
        assert!(is_loading("", &doc, &text));
        let html = scraper::Html::parse_document(
            "<h1>Our story</h1><p>Loading docks are our business.</p>",
        );
        let doc = Doc::new(&html);
        assert!(!is_loading("", &doc, &page_text(&doc)));
    }

    #[test]
    fn confirmation_and_expiry_text() {
        assert!(is_confirmation(
            "thank you for applying to acme!",
            "https://x.y/z"
        ));
        assert!(is_confirmation("", "https://jobs.lever.co/a/b/thanks"));
        assert!(!is_confirmation(
            "apply now",
            "https://jobs.lever.co/a/b/apply"
        ));
        assert!(is_expired("sorry, this job is no longer available"));
        assert!(is_expired("404 page not found"));
        assert!(!is_expired("we found a great job for you"));
    }
}
