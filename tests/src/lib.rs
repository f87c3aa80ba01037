//! End-to-end tests live in `tests/tests/`: the engine, the detectors and the WebDriver driver
//! together, in headless Chromium (and Firefox where geckodriver is installed), against the
//! mock ATS.
