//! Which ATS a page belongs to: by URL (hosts, paths, `gh_jid`) and by page markers.

use engine_core::ProviderId;
use url::Url;

/// The ATS behind a URL, from its host and path.
pub fn provider_from_url(raw: &str) -> Option<ProviderId> {
    let url = Url::parse(raw.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let on = |domain: &str| {
        host.strip_suffix(domain)
            .is_some_and(|sub| sub.is_empty() || sub.ends_with('.'))
    };
    let path = url.path().to_ascii_lowercase();
    if on("greenhouse.io") || path.contains("/embed/job_app") {
        return Some(ProviderId::Greenhouse);
    }
    if on("lever.co") {
        return Some(ProviderId::Lever);
    }
    if on("ashbyhq.com") {
        return Some(ProviderId::Ashby);
    }
    if on("myworkdayjobs.com") || on("myworkdaysite.com") || on("myworkday.com") {
        return Some(ProviderId::Workday);
    }
    if on("smartrecruiters.com") {
        return Some(ProviderId::SmartRecruiters);
    }
    if on("workable.com") {
        return Some(ProviderId::Workable);
    }
    if on("bamboohr.com") {
        return Some(ProviderId::BambooHr);
    }
    if on("applytojob.com") || on("jazzhr.com") || on("jazz.co") {
        return Some(ProviderId::JazzHr);
    }
    if on("jobvite.com") {
        return Some(ProviderId::Jobvite);
    }
    // Custom careers domains that host an ATS embed carry its job id in the query.
    for (key, _) in url.query_pairs() {
        match key.as_ref() {
            "gh_jid" | "gh_src" => return Some(ProviderId::Greenhouse),
            "ashby_jid" => return Some(ProviderId::Ashby),
            "lever-origin" | "lever-source" => return Some(ProviderId::Lever),
            _ => {}
        }
    }
    None
}

/// Markers in raw HTML that only a given ATS's application pages carry. Checked in order;
/// the first ATS with a marker wins. Bare domain names are not markers: a careers page that
/// embeds or links to an ATS is not that ATS's page.
const MARKERS: &[(ProviderId, &[&str])] = &[
    (
        ProviderId::Ashby,
        &[
            "data-field-path=",
            "_systemfield_",
            "ashby-application-form",
            "ashby-job-posting",
        ],
    ),
    (
        ProviderId::Lever,
        &[
            "data-qa=\"btn-submit\"",
            "name=\"cards[",
            "name=\"eeo[",
            "name=\"urls[",
            "lever-logo",
            "data-qa=\"additional-cards\"",
            "data-qa=\"structured-contact-location-question\"",
            "data-qa=\"msg-submit-success\"",
        ],
    ),
    (
        ProviderId::Greenhouse,
        &[
            "job_application[",
            "id=\"question_",
            "application--form",
            "Powered by Greenhouse",
            "href=\"https://www.greenhouse.com\"",
            "id=\"candidate-location\"",
            "greenhouse-application",
            "grnhse_app",
        ],
    ),
    (
        ProviderId::Workday,
        &["data-automation-id=", "myworkdayjobs.com", "wd-popup"],
    ),
    (
        ProviderId::SmartRecruiters,
        &[
            "<oc-easy-apply",
            "<spl-input",
            "<oc-personal-information",
            "smartrecruiters.com/oneclick",
        ],
    ),
    (
        ProviderId::Workable,
        &[
            "data-ui=\"application-form\"",
            "apply.workable.com",
            "workable-application",
        ],
    ),
    (
        ProviderId::BambooHr,
        &[
            "BambooHR",
            "bamboohr.com",
            "fab-SelectToggle",
            "nickname_hpcsaf",
        ],
    ),
    (ProviderId::JazzHr, &["resumator-", "applytojob.com"]),
    (
        ProviderId::Jobvite,
        &[
            "jv-form-field",
            "jv-apply",
            "Powered by Jobvite",
            "jobs.jobvite.com",
        ],
    ),
];

/// The ATS whose markers the page carries.
pub fn provider_from_markers(html: &str) -> Option<ProviderId> {
    MARKERS
        .iter()
        .find(|(_, markers)| markers.iter().any(|m| html.contains(m)))
        .map(|(p, _)| p.clone())
}

/// The ATS behind a page: the URL decides when it names one, else the page's markers.
pub fn identify_provider(url: &str, html: &str) -> Option<ProviderId> {
    provider_from_url(url).or_else(|| provider_from_markers(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let cases = [
            (
                "https://boards.greenhouse.io/acme/jobs/123",
                Some(ProviderId::Greenhouse),
            ),
            (
                "https://job-boards.greenhouse.io/acme/jobs/123",
                Some(ProviderId::Greenhouse),
            ),
            (
                "https://job-boards.eu.greenhouse.io/acme/jobs/1",
                Some(ProviderId::Greenhouse),
            ),
            (
                "https://boards.greenhouse.io/embed/job_app?for=acme&token=123",
                Some(ProviderId::Greenhouse),
            ),
            (
                "https://careers.acme.com/embed/job_app?token=1",
                Some(ProviderId::Greenhouse),
            ),
            (
                "https://www.acme.com/careers/?gh_jid=4403125009",
                Some(ProviderId::Greenhouse),
            ),
            (
                "https://jobs.lever.co/rover/303b3b2f/apply",
                Some(ProviderId::Lever),
            ),
            (
                "https://jobs.eu.lever.co/acme/1/apply",
                Some(ProviderId::Lever),
            ),
            (
                "https://jobs.ashbyhq.com/pangram/0512/application",
                Some(ProviderId::Ashby),
            ),
            (
                "https://acme.com/jobs?ashby_jid=abc",
                Some(ProviderId::Ashby),
            ),
            (
                "https://capitalone.wd12.myworkdayjobs.com/en-US/x/job/y/apply",
                Some(ProviderId::Workday),
            ),
            (
                "https://jobs.smartrecruiters.com/Bosch/7440",
                Some(ProviderId::SmartRecruiters),
            ),
            (
                "https://apply.workable.com/mindex/j/84B1/apply/",
                Some(ProviderId::Workable),
            ),
            (
                "https://nexthopai.bamboohr.com/careers/64",
                Some(ProviderId::BambooHr),
            ),
            (
                "https://acme.applytojob.com/apply/tllnE4Dmtz/Data",
                Some(ProviderId::JazzHr),
            ),
            (
                "https://jobs.jobvite.com/actionet/job/ofYQzfwm/apply",
                Some(ProviderId::Jobvite),
            ),
            ("https://notgreenhouse.io/x", None),
            ("https://greenhouse.io.evil.com/x", None),
            ("http://127.0.0.1:8080/apply", None),
            ("not a url", None),
            ("", None),
        ];
        for (url, want) in cases {
            assert_eq!(provider_from_url(url), want, "{url}");
        }
    }

    #[test]
    fn markers() {
        assert_eq!(
            provider_from_markers(r#"<div data-field-path="_systemfield_name">"#),
            Some(ProviderId::Ashby)
        );
        assert_eq!(
            provider_from_markers(r#"<input name="cards[1][field0]">"#),
            Some(ProviderId::Lever)
        );
        assert_eq!(
            provider_from_markers(r#"<input name="job_application[email]">"#),
            Some(ProviderId::Greenhouse)
        );
        assert_eq!(
            provider_from_markers(r#"<iframe src="https://boards.greenhouse.io/embed/job_app">"#),
            None
        );
        assert_eq!(provider_from_markers("<form><input name=q></form>"), None);
    }

    #[test]
    fn url_wins_over_markers() {
        assert_eq!(
            identify_provider("https://jobs.lever.co/a/b/apply", "<div data-field-path=x>"),
            Some(ProviderId::Lever)
        );
        assert_eq!(
            identify_provider("http://127.0.0.1/x", "<div data-field-path=x>"),
            Some(ProviderId::Ashby)
        );
    }
}
