//! engine-core's [`Driver`](engine_core::Driver) and [`Page`](engine_core::Page) over
//! WebDriver, with [fantoccini]: chromedriver, geckodriver, or a Selenium Grid.
//!
//! # Design
//!
//! **Round trips are the cost.** Every WebDriver command is an HTTP round trip (about 18 ms
//! here), and send-keys types one key event per character. So a page is handled in as few
//! commands as possible:
//! - a snapshot is one script returning the URL, the document's HTML and the HTML of every
//!   same-origin frame that holds form controls (cross-origin frames: their URL only);
//! - all plain fields of a fill (text, textarea, number, date, native selects, radios,
//!   checkboxes and groups, toggles, contenteditable editors, Ashby-style yes/no buttons)
//!   are set in one script, the way Playwright's `fill` does it: the element's native value
//!   setter, then bubbling `input` and `change` events, so React-style controlled inputs
//!   keep the value; then, one task later (a zero timeout, after microtask re-renders),
//!   every field is read back in the same script;
//! - only widgets that need real events get WebDriver commands: typeaheads and comboboxes
//!   (click, send-keys, wait for `role=option` inside one in-page polling script, click the
//!   option, verify the control and its hidden required twin) and file inputs (send-keys of
//!   the path, then `files[0].name` is checked);
//! - a click marks the document with a random token and a MutationObserver in the same
//!   script that finds the element, scrolls it into view and asks `elementFromPoint`
//!   whether its centre is really the element (not an overlay; through same-origin frames
//!   up to the top). On Chrome an uncovered element gets trusted DevTools mouse events at
//!   that point (press, release: two quick commands, without the navigation wait of
//!   WebDriver's element click, which took ~40 ms more). A covered element, a Firefox
//!   session (where the Actions API measured no faster than the element click) or an
//!   endpoint that refused DevTools commands once (some Grids) gets WebDriver's element
//!   click, which reports an intercepted click (then a script click). Then one small script
//!   polls, 10 ms after the click and backing off to 60 ms: token gone means navigated, the
//!   observer's flag means changed.
//!
//! Every answer that does not read back becomes a `ValidationError` on its field; a field
//! that is missing or has no matching option too. `DriverError`s are for the session
//! itself: lost, timed out, or the driver unavailable.
//!
//! **Answers never leave the page.** Scripts compare values in the browser and return
//! statuses; nothing personal reaches Rust errors or logs. Spans are per command with
//! their step name only.
//!
//! **The pool.** [`WebDriver`] owns a local driver process (for [`Endpoint::Launch`]) and
//! a pool of sessions: `pool.warm` are kept alive (idle or in use; a missing one is started
//! in the background after an `open`), and at most `pool.max` pages are open at once:
//! `open` waits `pool.acquire_timeout` for one to be freed, then fails with `AtCapacity`.
//! A closed page's session is cleaned (extra windows closed, web storage cleared,
//! about:blank, then every cookie and the site data of every origin it saw cleared through
//! DevTools on Chrome, which also catches what the page saved as it was left) and goes back
//! to the pool, or is closed when cleaning fails, the pool is full, or the session was
//! lost. A page whose first load failed is closed uncleaned. Cleaning (five or six round
//! trips) runs in a background task, so `close` returns at once; the page's pool permit is
//! held until its session is back. An `open` that finds no idle session but one being
//! cleaned waits for it (up to 1 s: cleaning takes a fraction of a new browser's start)
//! before it starts a new one; [`WebDriver::wait_for_cleaning`] waits for all of them.
//!
//! **No orphans.** The launched driver runs in its own process group, which its browsers
//! join; the whole group is killed on [`WebDriver::shutdown`], on drop, and when a dead
//! driver is restarted. Shutdown first tells background cleanups to stop and close their
//! sessions instead, and waits for them (12 s at most) before it kills the group. Its
//! browsers' profiles (`--user-data-dir`, fresh per session) and temporary files
//! (`TMPDIR`) live in one scratch directory removed with the driver. If the driver process
//! dies, pages on it fail with `SessionLost` naming the process and the next `open` starts
//! a new one; a crashed browser fails its page the same way, and the next `open` gets a
//! fresh session. Every command is bounded in time as well (the longest timeout plus
//! 10 s), so a hung driver gives `Timeout` instead of hanging the engine.
//!
//! **Errors.** `DriverError` is for the session: `Unavailable` (no driver or browser),
//! `AtCapacity`, `Timeout` ("page did not finish loading within Ns", script timeouts),
//! `SessionLost`, `ElementMissing` (a click's control or a frame is missing), `ActionFailed`.
//! Field-level trouble (missing field, no such option, value did not take) is a
//! `ValidationError` in the `FillReport`, so one odd field does not end the session.
//!
//! # Known limits
//! - geckodriver serves one session per process: [`WebDriverConfig::local_firefox`] has a
//!   pool of one; use a Selenium Grid for parallel Firefox.
//! - File uploads send a local path: with a remote endpoint the file must exist there.
//! - Firefox cleaning deletes the current site's cookies only (WebDriver has no "all"),
//!   before leaving the page: a cookie or storage its unload handlers write survives.
//! - Cross-origin frames are reported by URL only (their HTML is out of a script's reach);
//!   fill them by opening that URL.
//! - Typeaheads always start from an empty text box (the typed query is never appended).

#![deny(missing_docs)]

mod commands;
mod config;
mod driver;
mod errors;
mod page;
mod process;
mod scripts;

pub use config::{Browser, Endpoint, PoolConfig, Timeouts, WebDriverConfig};
pub use driver::{DriverStats, WebDriver};
pub use page::WebPage;
