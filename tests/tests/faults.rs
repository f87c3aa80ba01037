//! Faults end the affected session in `error` with a clear message, while another session
//! on the same engine completes.

mod common;

use common::{Harness, RESUME, Want, answers_for, assert_status, browsers, complete_lever, send};
use engine_core::SessionStatus;
use mock_ats::Flow;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_never_loads_ends_in_error() {
    for (_, config) in browsers().into_iter().take(1) {
        let h = Harness::start(config).await;
        let url = h.mock.url(Flow::NeverLoads);
        let (hung, ()) = tokio::join!(h.engine.start(url.as_str()), complete_lever(&h));
        let hung = hung.expect("a session, in error");
        assert_status(&hung, SessionStatus::Error);
        let message = hung.error.clone().unwrap_or_default();
        assert!(message.contains("load"), "{message}");
        assert_eq!(
            h.mock.submissions().len(),
            1,
            "the other session's application"
        );
        h.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ats_server_error_on_submit_ends_in_error() {
    for (_, config) in browsers().into_iter().take(1) {
        let h = Harness::start(config).await;
        let broken = async {
            let first = h
                .engine
                .start(h.mock.url(Flow::ServerError).as_str())
                .await
                .expect("starts");
            assert_status(&first, SessionStatus::FormReady);
            let wants = [
                ("full_name", Want::Text("Ada Lovelace")),
                ("email", Want::Text("ada@example.com")),
                ("resume", Want::Inline("cv.pdf", RESUME)),
            ];
            send(&h.engine, &first, answers_for(&first, &wants), true).await
        };
        let (after, ()) = tokio::join!(broken, complete_lever(&h));
        assert_status(&after, SessionStatus::Error);
        let message = after.error.clone().unwrap_or_default();
        assert!(message.contains("error page"), "{message}");
        assert_eq!(
            h.mock.submissions().len(),
            1,
            "only the other session's application"
        );
        h.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_driver_ends_its_session_and_the_engine_recovers() {
    for (_, config) in browsers().into_iter().take(1) {
        let h = Harness::start(config).await;
        let victim = h
            .engine
            .start(h.mock.url(Flow::Generic).as_str())
            .await
            .expect("starts");
        assert_status(&victim, SessionStatus::FormReady);
        let pid = h
            .driver
            .driver_pid()
            .await
            .expect("a launched driver process");
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status();
        assert!(killed.is_ok_and(|s| s.success()), "kill -9 {pid}");

        let wants = [
            ("first_name", Want::Text("Ada")),
            ("last_name", Want::Text("Lovelace")),
            ("email", Want::Text("ada@example.com")),
        ];
        let answers = answers_for(&victim, &wants);
        let (after, ()) = tokio::join!(send(&h.engine, &victim, answers, true), complete_lever(&h));
        assert_status(&after, SessionStatus::Error);
        assert!(
            after.error.clone().unwrap_or_default().len() > 10,
            "{:?}",
            after.error
        );
        assert_eq!(h.mock.submissions().len(), 1);
        h.stop().await;
    }
}
