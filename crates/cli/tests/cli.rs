//! The built `autoapply` binary, run as a user would.

use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_autoapply");

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(path)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

/// `run` from a test whose runtime also serves the mock ATS the binary talks to.
async fn run_async(args: &[&str]) -> Output {
    tokio::process::Command::new(BIN)
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .await
        .expect("the binary runs")
}

/// `autoapply session` on the mock's Greenhouse flow with the answers file at `answers`.
async fn greenhouse_session_with_answers(
    mock: &mock_ats::MockAts,
    answers: &std::path::Path,
) -> Output {
    run_async(&[
        "session",
        mock.url(mock_ats::Flow::Greenhouse).as_str(),
        "--answers",
        answers.to_str().expect("utf-8"),
    ])
    .await
}

fn stdout_json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "stdout is not JSON ({err}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Asserts a failure with exactly one line on stderr, `autoapply: ...` mentioning `needle`.
fn assert_one_line_error(output: &Output, needle: &str) {
    assert!(
        !output.status.success(),
        "it succeeded: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr is not one line: {stderr}");
    assert!(lines[0].starts_with("autoapply: "), "{stderr}");
    assert!(lines[0].contains(needle), "{needle:?} not in: {stderr}");
}

#[test]
fn help_lists_every_subcommand() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["fields", "session", "serve", "mock-ats", "demo"] {
        assert!(
            help.lines()
                .any(|line| line.trim_start().starts_with(command)),
            "`{command}` missing from:\n{help}"
        );
    }
    let serve = run(&["serve", "--help"]);
    let serve = String::from_utf8_lossy(&serve.stdout);
    for flag in [
        "--listen",
        "--webdriver",
        "--chromedriver",
        "--allow-local-targets",
    ] {
        assert!(
            serve.contains(flag),
            "{flag} missing from serve --help:\n{serve}"
        );
    }
}

#[test]
fn fields_of_a_saved_greenhouse_form() {
    let path = fixture("greenhouse/job-boards-form.html");
    let output = run(&["fields", path.to_str().expect("utf-8 path")]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout_json(&output);
    assert_eq!(report["provider_id"], "greenhouse");
    assert_eq!(report["provider_name"], "Greenhouse");
    assert_eq!(report["status"], "form_ready");
    assert_eq!(report["is_terminal"], false);
    assert_eq!(report["page_kind"], "form");
    let fields = report["fields"].as_array().expect("fields");
    let first = fields
        .iter()
        .find(|f| f["field_id"] == "first_name")
        .expect("first_name field");
    assert_eq!(first["type"], "text");
    assert_eq!(first["is_required"], true);
    assert!(
        fields.iter().any(|f| f["type"] == "file"),
        "no upload field"
    );
    // The same analysis the detectors' own fixture test expects.
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("greenhouse/job-boards-form.expected.json"))
            .expect("expected file"),
    )
    .expect("expected json");
    assert_eq!(report["fields"], expected["fields"]);
}

#[test]
fn fields_of_a_page_without_a_form_is_an_empty_list() {
    let path = fixture("generic/no-application.html");
    let output = run(&["fields", path.to_str().expect("utf-8 path")]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout_json(&output);
    assert_eq!(report["fields"], serde_json::json!([]));
    assert_eq!(report["status"], "redirected");
    assert_eq!(report["is_terminal"], true);
}

#[test]
fn fields_reports_terminal_pages_as_a_session_would() {
    let cases = [
        ("greenhouse/expired.html", "expired"),
        ("greenhouse/confirmation.html", "submitted"),
        ("generic/login-wall.html", "login_required"),
        ("generic/captcha-challenge.html", "captcha_required"),
        ("generic/link-handoff.html", "redirect_required"),
    ];
    for (page, status) in cases {
        let path = fixture(page);
        let output = run(&["fields", path.to_str().expect("utf-8 path")]);
        assert!(
            output.status.success(),
            "{page}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = stdout_json(&output);
        assert_eq!(report["status"], status, "{page}");
        assert_eq!(report["fields"], serde_json::json!([]), "{page}");
    }
}

#[test]
fn fields_of_an_empty_or_odd_file_still_succeeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8]); 3] = [
        ("empty.html", b""),
        ("binary.html", &[0, 159, 146, 150, 255, b'<', b'f']),
        ("text.txt", b"just some words, no markup"),
    ];
    for (name, content) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("write");
        let output = run(&[
            "fields",
            path.to_str().expect("utf-8 path"),
            "--url",
            "https://example.com/jobs/1",
        ]);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            stdout_json(&output)["fields"],
            serde_json::json!([]),
            "{name}"
        );
    }
}

#[test]
fn fields_of_an_unreadable_file_fails_with_one_line() {
    let output = run(&["fields", "/nonexistent/autoapply/page.html"]);
    assert_one_line_error(&output, "cannot read `/nonexistent/autoapply/page.html`");
    assert!(output.stdout.is_empty());
    let dir = tempfile::tempdir().expect("tempdir");
    let output = run(&["fields", dir.path().to_str().expect("utf-8 path")]);
    assert_one_line_error(&output, "cannot read");
}

#[test]
fn serve_refuses_to_start_without_api_keys() {
    for keys in [None, Some(""), Some(" , ,")] {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("RUST_LOG");
        match keys {
            Some(keys) => command.env("AUTOAPPLY_API_KEYS", keys),
            None => command.env_remove("AUTOAPPLY_API_KEYS"),
        };
        let output = command.output().expect("the binary runs");
        assert_one_line_error(&output, "AUTOAPPLY_API_KEYS");
    }
}

#[test]
fn demo_refuses_an_unknown_flow() {
    let output = run(&["demo", "--flow", "no-such-flow"]);
    assert_one_line_error(&output, "greenhouse");
}

#[test]
fn session_without_a_terminal_or_answers_file_says_what_to_do() {
    let output = Command::new(BIN)
        .args(["session", "https://jobs.example.com/apply"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    assert_one_line_error(&output, "--answers FILE");
}

#[test]
fn session_with_a_broken_answers_file_fails_before_any_browser_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        (r#"{"email": null}"#, "`email`"),
    ];
    for (content, needle) in cases {
        let path = dir.path().join("answers.json");
        std::fs::write(&path, content).expect("write");
        let output = run(&[
            "session",
            "https://jobs.example.com/apply",
            "--answers",
            path.to_str().expect("utf-8"),
        ]);
        assert_one_line_error(&output, needle);
    }
}

fn chromedriver_present() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join("chromedriver").is_file())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_with_an_answers_file_applies_on_the_mock_greenhouse() {
    if !chromedriver_present() {
        println!(
            "SKIPPED session_with_an_answers_file_applies_on_the_mock_greenhouse: chromedriver is not on PATH (sudo apt-get install -y chromium chromium-driver)"
        );
        return;
    }
    let mock = mock_ats::MockAts::start().await.expect("mock ATS");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("resume.pdf"), b"%PDF-1.4\n%test resume\n").expect("resume");
    // Keys by handler_type, and by field_id where the field has no handler type.
    let answers = serde_json::json!({
        "first-name": "Ada",
        "last-name": "Lovelace",
        "email": "ada@example.com",
        "resume": "resume.pdf",
        "work-authorization": "Yes",
        "question_30012004[]": ["Rust", "Go"],
    });
    let answers_path = dir.path().join("answers.json");
    std::fs::write(&answers_path, answers.to_string()).expect("answers");
    let output = greenhouse_session_with_answers(&mock, &answers_path).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stdout.contains("outcome: submitted"), "{stdout}");
    // Answers are not printed, only labels.
    assert!(
        !stdout.contains("Lovelace") && !stderr.contains("Lovelace"),
        "{stdout}{stderr}"
    );
    let submissions = mock.submissions();
    assert_eq!(submissions.len(), 1, "{stdout}");
    assert_eq!(submissions[0].field("first_name"), Some("Ada"));
    assert_eq!(submissions[0].field("email"), Some("ada@example.com"));
    assert!(
        submissions[0].file("resume").is_some(),
        "no resume was uploaded"
    );
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_with_answers_missing_a_required_field_names_it() {
    if !chromedriver_present() {
        println!(
            "SKIPPED session_with_answers_missing_a_required_field_names_it: chromedriver is not on PATH (sudo apt-get install -y chromium chromium-driver)"
        );
        return;
    }
    let mock = mock_ats::MockAts::start().await.expect("mock ATS");
    let dir = tempfile::tempdir().expect("tempdir");
    let answers_path = dir.path().join("answers.json");
    std::fs::write(&answers_path, r#"{"first_name": "Ada"}"#).expect("answers");
    let output = greenhouse_session_with_answers(&mock, &answers_path).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("field_id `last_name`") && stderr.contains("handler_type `last-name`"),
        "{stderr}"
    );
    assert!(mock.submissions().is_empty());
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fields_of_a_live_url_uses_the_browser() {
    if !chromedriver_present() {
        println!(
            "SKIPPED fields_of_a_live_url_uses_the_browser: chromedriver is not on PATH (sudo apt-get install -y chromium chromium-driver)"
        );
        return;
    }
    let mock = mock_ats::MockAts::start().await.expect("mock ATS");
    // Ashby's form exists only after its script renders it: the snapshot must wait for it.
    let output = run_async(&["fields", mock.url(mock_ats::Flow::Ashby).as_str()]).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout_json(&output);
    assert_eq!(report["provider_id"], "ashby", "{report}");
    assert_eq!(report["status"], "form_ready", "{report}");
    let fields = report["fields"].as_array().expect("fields");
    assert!(
        fields.iter().any(|f| f["handler_type"] == "email"),
        "{report}"
    );
    mock.shutdown().await;
}

/// Ends a child this test started: SIGINT, so it shuts its browser down, then waits.
async fn interrupt(child: &mut tokio::process::Child) {
    if let Some(pid) = child.id() {
        let _ = tokio::process::Command::new("kill")
            .args(["-INT", &pid.to_string()])
            .status()
            .await;
    }
    let waited = tokio::time::timeout(std::time::Duration::from_secs(20), child.wait()).await;
    if waited.is_err() {
        let _ = child.kill().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_the_sessions_api_with_keys_from_the_environment() {
    use tokio::io::AsyncBufReadExt as _;
    if !chromedriver_present() {
        println!(
            "SKIPPED serve_answers_the_sessions_api_with_keys_from_the_environment: chromedriver is not on PATH (sudo apt-get install -y chromium chromium-driver)"
        );
        return;
    }
    let mock = mock_ats::MockAts::start().await.expect("mock ATS");
    let mut child = tokio::process::Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--allow-local-targets",
            "--max-sessions",
            "1",
        ])
        .env("AUTOAPPLY_API_KEYS", "first-key, second-key")
        .env_remove("RUST_LOG")
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = tokio::io::BufReader::new(stderr).lines();
    let banner = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("serve prints its address in time")
        .expect("stderr readable")
        .expect("a line");
    let base = banner
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .map(|addr| format!("http://{addr}"))
        .unwrap_or_else(|| panic!("no address in {banner}"));
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    let body = serde_json::json!({"url": mock.url(mock_ats::Flow::Greenhouse).as_str()});
    let refused = client
        .post(format!("{base}/api/auto-apply/sessions"))
        .header("X-Api-Key", "third-key")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status().as_u16(), 401);
    let created = client
        .post(format!("{base}/api/auto-apply/sessions"))
        .header("X-Api-Key", "second-key")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(created.status().as_u16(), 201);
    let state: serde_json::Value = created.json().await.expect("state");
    assert_eq!(state["provider_id"], "greenhouse", "{state}");
    assert_eq!(state["status"], "form_ready", "{state}");
    interrupt(&mut child).await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_ats_serves_its_flows_until_interrupted() {
    use tokio::io::AsyncBufReadExt as _;
    let mut child = tokio::process::Command::new(BIN)
        .args(["mock-ats", "--listen", "127.0.0.1:0"])
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("mock-ats starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    while let Ok(Some(line)) =
        tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
            .await
            .expect("mock-ats prints its flows in time")
    {
        let done = line.contains("stops");
        printed.push(line);
        if done {
            break;
        }
    }
    let greenhouse = printed
        .iter()
        .find(|line| line.trim_start().starts_with("greenhouse "))
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("no greenhouse flow listed: {printed:?}"))
        .to_owned();
    assert!(
        printed
            .iter()
            .any(|line| line.trim_start().starts_with("never-loads ")),
        "{printed:?}"
    );
    let page = reqwest::get(&greenhouse).await.expect("the mock answers");
    assert_eq!(page.status().as_u16(), 200);
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("application-form")
    );
    interrupt(&mut child).await;
    let rest = lines.next_line().await.ok().flatten().unwrap_or_default();
    assert!(rest.contains("stopped; 0 application(s)"), "{rest}");
}
