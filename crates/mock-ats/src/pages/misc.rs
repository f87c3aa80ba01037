//! The home page and the flows that end without an application: expired posting, login
//! wall, link to another ATS, redirect home, server error, never-loading page.

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::read_form;
use crate::html::{document, esc};
use crate::{Flow, MockState};

/// Start path of [`Flow::Expired`]; answers 302 to the board with Greenhouse's error flag.
pub(crate) const EXPIRED_PATH: &str = "/greenhouse/acme/jobs/4000999";
const BOARD_PATH: &str = "/greenhouse/acme";
/// Start path of [`Flow::LoginWall`].
pub(crate) const LOGIN_WALL_PATH: &str =
    "/workday/acme/job/Remote-USA/Robotics-Technician_R0042/apply";
/// Start path of [`Flow::LinkToOtherAts`].
pub(crate) const LINK_TO_OTHER_ATS_PATH: &str = "/company/jobs/platform-engineer";
/// Where [`Flow::LinkToOtherAts`]'s apply link leads (never followed by the tests).
pub(crate) const OTHER_ATS_URL: &str =
    "https://jobs.lever.co/acme/2c4e6a8b-1d3f-4b5a-9c7e-0f2a4c6e8b1d/apply";
/// Start path of [`Flow::RedirectHome`].
pub(crate) const REDIRECT_HOME_PATH: &str = "/jobs/old-posting";
/// Start path of [`Flow::ServerError`].
pub(crate) const SERVER_ERROR_PATH: &str = "/jobs/data-analyst/apply";
/// Start path of [`Flow::NeverLoads`].
pub(crate) const NEVER_LOADS_PATH: &str = "/jobs/loading";

/// How often the never-loading page sends one more byte (keeps the connection busy without
/// ever finishing; nothing accumulates).
const TRICKLE: Duration = Duration::from_secs(1);

pub(crate) fn routes() -> Router<MockState> {
    Router::new()
        .route("/", get(home))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/flows/{name}", get(flow_redirect))
        .route(
            EXPIRED_PATH,
            get(|| async { found("/greenhouse/acme?error=true") }),
        )
        .route(BOARD_PATH, get(board))
        .route(LOGIN_WALL_PATH, get(login_wall).post(login_attempt))
        .route(LINK_TO_OTHER_ATS_PATH, get(link_to_other_ats))
        .route(REDIRECT_HOME_PATH, get(|| async { found("/") }))
        .route(SERVER_ERROR_PATH, get(server_error_form).post(server_error))
        .route(NEVER_LOADS_PATH, get(never_loads))
}

/// A `302 Found` to `location`, as old job links and closed postings answer.
fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

/// A company homepage with no form and no ATS markers; demo links go through `/flows/`.
async fn home() -> Html<String> {
    let links: String = Flow::ALL
        .iter()
        .map(|flow| {
            format!(
                "<li><a href=\"/flows/{name}\">{name}</a></li>",
                name = flow.name()
            )
        })
        .collect();
    let body = format!(
        "<body><header><strong>Acme Robotics</strong> <nav><a href=\"#about\">About</a> \
         <a href=\"#contact\">Contact</a></nav></header><main>\
         <h1>Friendly robots for busy hospitals</h1>\
         <p id=\"about\">Acme Robotics designs small delivery robots that carry samples and \
         supplies between hospital wards, so nurses spend their time with patients.</p>\
         <p id=\"contact\">Write to hello@acme-robotics.example.</p>\
         <section class=\"demo\"><h2>Demo pages</h2><ul>{links}</ul></section></main>\
         <footer><p>&copy; Acme Robotics</p></footer></body>"
    );
    Html(document("Acme Robotics", "", &body))
}

async fn flow_redirect(Path(name): Path<String>) -> Response {
    match Flow::from_name(&name) {
        Some(flow) => found(flow.path()),
        None => (StatusCode::NOT_FOUND, Html(not_found_page())).into_response(),
    }
}

fn not_found_page() -> String {
    document(
        "Page not found",
        "",
        "<body><h1>Page not found</h1><p><a href=\"/\">Home</a></p></body>",
    )
}

/// The Greenhouse board a closed posting redirects to, with the "no longer open" flash.
async fn board(request: Request) -> Html<String> {
    let flash = if request
        .uri()
        .query()
        .is_some_and(|query| query.split('&').any(|pair| pair == "error=true"))
    {
        "<div class=\"flash flash--error\" role=\"alert\"><p class=\"body\">The job you are looking for is no longer open.</p></div>"
    } else {
        ""
    };
    let body = format!(
        "<body><main class=\"main font-secondary job-board\">{flash}\
         <div class=\"job-board__header\"><h1 class=\"section-header section-header--large font-primary\">\
         Current openings at Acme Robotics</h1></div>\
         <div class=\"job-posts\"><table><tbody><tr class=\"job-post\"><td class=\"cell\">\
         <a href=\"/greenhouse/acme/jobs/4012345\"><p class=\"body body--medium\">Field Robotics Engineer</p>\
         <p class=\"body body__secondary body--metadata\">Remote, United States</p></a></td></tr>\
         </tbody></table></div></main>\
         <footer class=\"footer\"><div class=\"footer-row\"><p class=\"body\">Powered by</p>\
         <a class=\"footer-logo-link\" href=\"https://www.greenhouse.com\">Greenhouse</a></div></footer></body>"
    );
    Html(document("Jobs at Acme Robotics", "", &body))
}

fn login_page(error: bool) -> String {
    let alert = if error {
        "<div data-automation-id=\"errorMessage\" role=\"alert\" class=\"error\">Wrong email address or password. \
         Try again, or create an account.</div>"
    } else {
        ""
    };
    let body = format!(
        "<body><div id=\"root\"><div data-automation-id=\"header\"><header>\
         <a data-automation-id=\"logoLink\" href=\"/\">Acme Robotics careers home</a>\
         <button type=\"button\" data-automation-id=\"utilityButtonSignIn\">Sign In</button></header></div>\
         <main><div data-automation-id=\"applyFlowPage\">\
         <h2 data-automation-id=\"jobTitleHeading\">Robotics Technician</h2>\
         <ol data-automation-id=\"progressBar\" aria-label=\"Application Progress\">\
         <li data-automation-id=\"progressBarActiveStep\"><label>current step 1 of 5</label><label>Create Account/Sign In</label></li>\
         <li data-automation-id=\"progressBarInactiveStep\"><label>step 2 of 5</label><label>My Information</label></li>\
         <li data-automation-id=\"progressBarInactiveStep\"><label>step 3 of 5</label><label>My Experience</label></li>\
         <li data-automation-id=\"progressBarInactiveStep\"><label>step 4 of 5</label><label>Voluntary Disclosures</label></li>\
         <li data-automation-id=\"progressBarInactiveStep\"><label>step 5 of 5</label><label>Review</label></li></ol>\
         <div data-automation-id=\"signInContent\"><h3 id=\"authViewTitle\">Sign In</h3>{alert}\
         <form data-automation-id=\"signInForm\" method=\"post\" action=\"{LOGIN_WALL_PATH}\">\
         <div data-automation-id=\"formField-email\"><label for=\"input-4\">Email Address<abbr aria-hidden=\"true\">*</abbr></label>\
         <input type=\"text\" data-automation-id=\"email\" id=\"input-4\" name=\"email\" aria-required=\"true\" autocomplete=\"email\" value=\"\"></div>\
         <div data-automation-id=\"formField-password\"><label for=\"input-5\">Password<abbr aria-hidden=\"true\">*</abbr></label>\
         <input type=\"password\" data-automation-id=\"password\" id=\"input-5\" name=\"password\" aria-required=\"true\" \
         autocomplete=\"current-password\" value=\"\"></div>\
         <button type=\"submit\" data-automation-id=\"signInSubmitButton\">Sign In</button></form>\
         <div><button type=\"button\" data-automation-id=\"forgotPasswordLink\">Forgot your password?</button></div>\
         <div>Don't have an account yet?<button type=\"button\" data-automation-id=\"createAccountLink\">Create Account</button></div>\
         </div></div></main></div></body>"
    );
    document("Sign In", "", &body)
}

async fn login_wall() -> Html<String> {
    Html(login_page(false))
}

/// Any sign-in attempt fails; nothing is recorded.
async fn login_attempt(request: Request) -> Response {
    if let Err(response) = read_form(Flow::LoginWall, request).await {
        return response;
    }
    (StatusCode::UNAUTHORIZED, Html(login_page(true))).into_response()
}

async fn link_to_other_ats() -> Html<String> {
    let body = format!(
        "<body><header><a href=\"/\">Acme Robotics</a> <nav><a href=\"/\">Home</a></nav></header>\
         <main class=\"job\"><h1>Platform Engineer</h1><p class=\"meta\">Remote, Europe &middot; Engineering</p>\
         <p>Run the cloud services our delivery robots report to: fleet telemetry, maps and \
         over-the-air updates.</p><h2>What you will do</h2><ul><li>Keep fleet telemetry flowing</li>\
         <li>Ship updates to robots safely</li></ul>\
         <p><a class=\"button apply-button\" href=\"{url}\">Apply for this job</a></p></main>\
         <footer><p>&copy; Acme Robotics</p></footer></body>",
        url = esc(OTHER_ATS_URL),
    );
    Html(document("Platform Engineer - Acme Robotics", "", &body))
}

async fn server_error_form() -> Html<String> {
    let body = format!(
        "<body><header><a href=\"/\">Acme Robotics</a></header><main><h1>Apply: Data Analyst</h1>\
         <form id=\"application\" method=\"post\" action=\"{SERVER_ERROR_PATH}\" enctype=\"multipart/form-data\">\
         <p><label for=\"full_name\">Full name *</label><input type=\"text\" id=\"full_name\" name=\"full_name\" \
         autocomplete=\"name\" required></p>\
         <p><label for=\"email\">Email *</label><input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"email\" required></p>\
         <p><label for=\"phone\">Phone</label><input type=\"tel\" id=\"phone\" name=\"phone\" autocomplete=\"tel\"></p>\
         <p><label for=\"resume\">Resume</label><input type=\"file\" id=\"resume\" name=\"resume\"></p>\
         <p><button type=\"submit\">Submit application</button></p></form></main></body>"
    );
    Html(document("Apply: Data Analyst - Acme Robotics", "", &body))
}

/// Reads the post, records nothing, answers 500.
async fn server_error(request: Request) -> Response {
    if let Err(response) = read_form(Flow::ServerError, request).await {
        return response;
    }
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(document(
            "500 Internal Server Error",
            "",
            "<body><h1>500 Internal Server Error</h1><p>Something went wrong on our end and your \
             application was not submitted. Please try again later.</p></body>",
        )),
    )
        .into_response()
}

/// Sends the head of a page, then one byte a second, forever, until the state shuts down;
/// then the stream fails so the connection is cut rather than the page completed.
async fn never_loads(State(state): State<MockState>) -> Response {
    const HEAD: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Loading job details</title></head><body><p>Loading job details";
    let closing = state.closing();
    let stream = futures_util::stream::unfold((closing, true), |(mut closing, first)| async move {
        if first {
            return Some((Ok(Bytes::from_static(HEAD.as_bytes())), (closing, false)));
        }
        if *closing.borrow() {
            return None;
        }
        tokio::select! {
            _ = tokio::time::sleep(TRICKLE) => {
                Some((Ok(Bytes::from_static(b".")), (closing, false)))
            }
            // Also fires when the sender is gone: either way, stop.
            _ = closing.changed() => {
                Some((Err(std::io::Error::other("mock ats shutting down")), (closing, false)))
            }
        }
    });
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from_stream(stream),
    )
        .into_response()
}
