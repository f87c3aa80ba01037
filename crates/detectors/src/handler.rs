//! `handler_type`: what a field means, from its name, id, autocomplete hint and label.

use engine_core::FieldType;

/// What we know about a field when classifying it.
pub(crate) struct Hints<'a> {
    /// The cleaned label.
    pub label: &'a str,
    /// The control's `name`.
    pub name: Option<&'a str>,
    /// The control's `id`.
    pub id: Option<&'a str>,
    /// The `autocomplete` attribute.
    pub autocomplete: Option<&'a str>,
    /// The field type already decided.
    pub field_type: &'a FieldType,
}

/// The semantic meaning of a field, or `None` when unsure.
pub(crate) fn classify(h: &Hints<'_>) -> Option<&'static str> {
    by_autocomplete(h)
        .or_else(|| by_key(h))
        .or_else(|| by_label(h))
}

fn by_autocomplete(h: &Hints<'_>) -> Option<&'static str> {
    let ac = h.autocomplete?.to_ascii_lowercase();
    let last = ac.split_whitespace().last()?;
    Some(match last {
        "given-name" => "first-name",
        "family-name" => "last-name",
        "name" => "full-name",
        "email" => "email",
        "tel" | "tel-national" => "phone",
        "url" => "website",
        "organization" => "company",
        "street-address" | "address-line1" => "address",
        "address-line2" => "address-line2",
        "address-level2" => "city",
        "address-level1" => "state",
        "postal-code" => "postal-code",
        "country" | "country-name" => "country",
        _ => return None,
    })
}

/// Known names and ids across the ATS we support.
fn by_key(h: &Hints<'_>) -> Option<&'static str> {
    for key in [h.name, h.id].into_iter().flatten() {
        let k = key.to_ascii_lowercase();
        // `job_application[first_name]`, `eeo[gender]`, `urls[LinkedIn]`: the last bracket part.
        let inner = k
            .rsplit('[')
            .map(|p| p.trim_end_matches(']'))
            .find(|p| !p.is_empty())
            .unwrap_or(&k);
        let found = match inner {
            "first_name" | "firstname" | "first-name" | "fname" | "given_name" => "first-name",
            "last_name" | "lastname" | "last-name" | "lname" | "family_name" | "surname" => {
                "last-name"
            }
            "_systemfield_name" | "full_name" | "fullname" => "full-name",
            "name" if k == "name" => "full-name",
            "email" | "_systemfield_email" | "email_address" => "email",
            "phone" | "_systemfield_phone" | "phone_number" | "mobile" => "phone",
            "resume" | "_systemfield_resume" | "resume_file" => "resume",
            "cover_letter" | "coverletter" => "cover-letter",
            "linkedin" | "linkedinurl" | "linkedin_url" => "linkedin",
            "github" => "github",
            "portfolio" | "website" | "websiteurl" | "website/blog" | "other" => {
                if k.starts_with("urls[") || inner.starts_with("website") {
                    "website"
                } else {
                    continue;
                }
            }
            "location" | "candidate-location" | "_systemfield_location" => "location",
            "gender" => "eeo-gender",
            "race" | "hispanic_ethnicity" | "ethnicity" => "eeo-race",
            "veteran" | "veteran_status" => "eeo-veteran",
            "disability" | "disability_status" => "eeo-disability",
            "desiredpay" | "desired_salary" | "salary" => "salary",
            "org" | "company" | "current_company" | "employer" => "company",
            "address" | "address1" | "address_line_1" | "street_address" => "address",
            "address2" | "address_line_2" => "address-line2",
            "city" => "city",
            "state" | "province" => "state",
            "zip" | "zipcode" | "zip_code" | "postal_code" | "postalcode" | "postcode" => {
                "postal-code"
            }
            "country" | "country_code" => "country",
            _ => continue,
        };
        return Some(found);
    }
    None
}

fn by_label(h: &Hints<'_>) -> Option<&'static str> {
    let l = h.label.to_lowercase();
    let is_file = *h.field_type == FieldType::File;
    let l_pairs = crate::text::byte_pairs(&l);
    // `l.contains(phrase)`, skipped when the pairs already say no (the phrase's set is a
    // constant).
    macro_rules! has {
        ($phrase:literal) => {{
            const PAIRS: u64 = crate::text::byte_pairs($phrase);
            l_pairs & PAIRS == PAIRS && l.contains($phrase)
        }};
    }
    if l.is_empty() {
        return None;
    }
    if is_file {
        if has!("cover letter") || has!("cover_letter") {
            return Some("cover-letter");
        }
        if has!("resume") || has!("résumé") || has!("cv") {
            return Some("resume");
        }
        return None;
    }
    if has!("preferred") || has!("nickname") {
        return None;
    }
    if has!("first name") || has!("given name") || l == "first" {
        return Some("first-name");
    }
    if has!("last name") || has!("surname") || has!("family name") {
        return Some("last-name");
    }
    if has!("full name") || l == "name" || l == "your name" || l == "legal name" {
        return Some("full-name");
    }
    if has!("linkedin") {
        return Some("linkedin");
    }
    if has!("github") {
        return Some("github");
    }
    if has!("e-mail")
        || l == "email"
        || l.starts_with("email ")
        || has!("email address")
        || l == "confirm your email"
    {
        return Some("email");
    }
    if l == "phone"
        || has!("phone number")
        || l.starts_with("phone ")
        || has!("mobile")
        || has!("telephone")
    {
        return Some("phone");
    }
    if has!("cover letter") {
        return Some("cover-letter");
    }
    if (has!("eligible to work") || has!("authorized to work") || has!("authorised to work"))
        && has!("without sponsor")
    {
        return Some("work-authorization");
    }
    if has!("sponsor") || has!("visa status") {
        return Some("sponsorship");
    }
    if has!("authorized to work")
        || has!("authorised to work")
        || has!("legally entitled")
        || has!("eligible to work")
        || has!("legally able to work")
        || has!("right to work")
        || has!("work authorization")
        || has!("work authorisation")
        || has!("work permit")
    {
        return Some("work-authorization");
    }
    if has!("veteran") {
        return Some("eeo-veteran");
    }
    if has!("disability") {
        return Some("eeo-disability");
    }
    if has!("hispanic") || has!("latino") || has!("race") || has!("ethnicity") || has!("racial") {
        return Some("eeo-race");
    }
    if (has!("gender") && !has!("transgender")) || l == "sex" {
        return Some("eeo-gender");
    }
    if has!("salary") || has!("compensation") || has!("desired pay") || has!("pay expectation") {
        return Some("salary");
    }
    if has!("start date")
        || has!("date available")
        || has!("earliest start")
        || has!("when can you start")
        || has!("available to start")
        || has!("can start")
    {
        return Some("start-date");
    }
    if has!("hear about")
        || has!("did you hear")
        || has!("did you find")
        || has!("see this job")
        || has!("learn about this")
        || has!("referral source")
    {
        return Some("how-heard");
    }
    if has!("website") || has!("portfolio") || has!("personal site") || has!("blog") {
        return Some("website");
    }
    if !has!("relocat")
        && (has!("location")
            || l == "city"
            || has!("current city")
            || has!("where are you located"))
    {
        return Some("location");
    }
    if has!("current company") || has!("current employer") || l == "company" || l == "employer" {
        return Some("company");
    }
    if has!("address line 2") || l == "address 2" || l == "address2" || has!("apartment") {
        return Some("address-line2");
    }
    if l == "address" || has!("street address") || has!("address line 1") || l == "address 1" {
        return Some("address");
    }
    if l == "state" || l == "province" || has!("state/province") || l == "state or province" {
        return Some("state");
    }
    if has!("zip code") || has!("postal code") || has!("postcode") || l == "zip" {
        return Some("postal-code");
    }
    if l == "country" || has!("country of residence") || l == "country/region" {
        return Some("country");
    }
    if matches!(h.field_type, FieldType::Checkbox)
        && (has!("consent")
            || has!("i agree")
            || has!("acknowledge")
            || has!("privacy")
            || has!("terms"))
    {
        return Some("consent");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(label: &str, ty: FieldType) -> Option<&'static str> {
        classify(&Hints {
            label,
            name: None,
            id: None,
            autocomplete: None,
            field_type: &ty,
        })
    }

    fn key(name: &str) -> Option<&'static str> {
        classify(&Hints {
            label: "",
            name: Some(name),
            id: None,
            autocomplete: None,
            field_type: &FieldType::Text,
        })
    }

    #[test]
    fn from_names() {
        assert_eq!(key("job_application[first_name]"), Some("first-name"));
        assert_eq!(key("name"), Some("full-name"));
        assert_eq!(key("urls[LinkedIn]"), Some("linkedin"));
        assert_eq!(key("urls[GitHub]"), Some("github"));
        assert_eq!(key("urls[Portfolio]"), Some("website"));
        assert_eq!(key("eeo[gender]"), Some("eeo-gender"));
        assert_eq!(key("eeo[race]"), Some("eeo-race"));
        assert_eq!(key("eeo[veteran]"), Some("eeo-veteran"));
        assert_eq!(key("_systemfield_location"), Some("location"));
        assert_eq!(key("cards[abc][field0]"), None);
        assert_eq!(key("org"), Some("company"));
        assert_eq!(key("job_application[location][country]"), Some("country"));
        assert_eq!(key("zip_code"), Some("postal-code"));
    }

    #[test]
    fn from_autocomplete() {
        let h = Hints {
            label: "Legal given name",
            name: None,
            id: Some("x"),
            autocomplete: Some("section-a given-name"),
            field_type: &FieldType::Text,
        };
        assert_eq!(classify(&h), Some("first-name"));
    }

    #[test]
    fn from_labels() {
        use FieldType::*;
        assert_eq!(label("Preferred First Name", Text), None);
        assert_eq!(label("Current company", Text), Some("company"));
        assert_eq!(label("Address", Text), Some("address"));
        assert_eq!(label("Address line 2", Text), Some("address-line2"));
        assert_eq!(label("Country", Select), Some("country"));
        assert_eq!(label("ZIP code", Text), Some("postal-code"));
        assert_eq!(label("State/Province", Select), Some("state"));
        assert_eq!(label("Current location", Text), Some("location"));
        assert_eq!(
            label("Are you willing to relocate to another country?", Select),
            None
        );
        assert_eq!(label("Resume/CV", File), Some("resume"));
        assert_eq!(label("Cover Letter", File), Some("cover-letter"));
        assert_eq!(
            label(
                "Do you now or will you in the future require employer sponsorship to work in the United States?",
                Text
            ),
            Some("sponsorship")
        );
        assert_eq!(
            label(
                "Are you legally authorized to work in the United States?",
                Select
            ),
            Some("work-authorization")
        );
        assert_eq!(label("Are you Hispanic/Latino?", Select), Some("eeo-race"));
        assert_eq!(
            label(
                "Are you eligible to work in Canada without sponsorship?",
                Radio
            ),
            Some("work-authorization")
        );
        assert_eq!(label("Veteran Status", Select), Some("eeo-veteran"));
        assert_eq!(label("Location (City)", Typeahead), Some("location"));
        assert_eq!(
            label(
                "Are you currently based in or planning to relocate to the NYC area?",
                Select
            ),
            None
        );
        assert_eq!(label("What is your desired salary?", Text), Some("salary"));
        assert_eq!(
            label("How did you hear about Interplay?", Typeahead),
            Some("how-heard")
        );
        assert_eq!(label("Date Available", Date), Some("start-date"));
        assert_eq!(label("LinkedIn Profile", Text), Some("linkedin"));
        assert_eq!(label("Website, Blog or Portfolio", Text), Some("website"));
        assert_eq!(
            label("I consent to the processing of my data", Checkbox),
            Some("consent")
        );
        assert_eq!(label("Full name", Text), Some("full-name"));
        assert_eq!(label("Phone", Text), Some("phone"));
    }
}
