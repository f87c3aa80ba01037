//! A local chromedriver/geckodriver process: started on a free port, ended with its browsers.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use engine_core::{DriverError, DriverErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use url::Url;

use crate::config::Browser;

/// A running driver program. Dropping it kills the program and every browser it started.
///
/// The program runs in a process group of its own, and the browsers it starts join that
/// group; killing the group (not just the driver) is what leaves no orphan browser behind
/// when the driver dies or is killed.
#[derive(Debug)]
pub(crate) struct DriverProcess {
    child: Child,
    pid: Option<u32>,
    url: Url,
    name: &'static str,
}

impl DriverProcess {
    /// Starts `program` on a free port and waits until its `/status` says it is ready.
    pub(crate) async fn start(
        program: &Path,
        browser: Browser,
        ready_timeout: Duration,
        scratch: &Path,
    ) -> Result<Self, DriverError> {
        let name = browser.driver_name();
        let port = free_port().await.map_err(|error| {
            DriverError::new(
                DriverErrorKind::Unavailable,
                format!("could not find a free local port for {name}: {error}"),
            )
        })?;
        let mut command = Command::new(program);
        match browser {
            Browser::Chrome => command.arg(format!("--port={port}")),
            Browser::Firefox => command.arg("--port").arg(port.to_string()),
        };
        // The browsers' own temporary files land in our scratch directory, removed with it.
        command
            .env("TMPDIR", scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .process_group(0);
        let child = command.spawn().map_err(|error| {
            DriverError::new(
                DriverErrorKind::Unavailable,
                format!(
                    "could not start {name} ({}): {error}; install it or set the endpoint to a running one",
                    program.display()
                ),
            )
        })?;
        let pid = child.id();
        let url = Url::parse(&format!("http://127.0.0.1:{port}/")).map_err(|error| {
            DriverError::new(
                DriverErrorKind::Unavailable,
                format!("bad local driver url: {error}"),
            )
        })?;
        let mut process = DriverProcess {
            child,
            pid,
            url,
            name,
        };
        tracing::debug!(pid, port, driver = name, "driver process started");
        process.wait_ready(port, ready_timeout).await?;
        Ok(process)
    }

    async fn wait_ready(&mut self, port: u16, timeout: Duration) -> Result<(), DriverError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.exit_status() {
                return Err(DriverError::new(
                    DriverErrorKind::Unavailable,
                    format!("{} exited while starting ({status})", self.name),
                ));
            }
            if status_ready(port).await {
                return Ok(());
            }
            if Instant::now() >= deadline {
                self.kill();
                return Err(DriverError::new(
                    DriverErrorKind::Unavailable,
                    format!(
                        "{} did not report ready within {}s",
                        self.name,
                        timeout.as_secs()
                    ),
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The endpoint URL.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// The program's process id.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The program's name, for messages.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// How the program ended, or `None` while it runs.
    pub(crate) fn exit_status(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(error) => Some(format!("status unknown: {error}")),
        }
    }

    /// Kills the program's whole process group (the driver and its browsers).
    pub(crate) fn kill(&mut self) {
        if let Some(pid) = self.pid.take() {
            // No `unsafe` here (workspace lint), so the group is killed through kill(1).
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = self.child.start_kill();
            tracing::debug!(pid, driver = self.name, "driver process killed");
        }
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    Ok(listener.local_addr()?.port())
}

/// Whether the driver on `port` answers `GET /status` with `"ready": true`.
///
/// chromedriver wants HTTP/1.1 with the port in `Host`, and may keep the connection open
/// after answering, so the body is parsed as soon as it is complete.
async fn status_ready(port: u16) -> bool {
    let attempt = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let request =
            format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await?;
        let mut response = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok::<_, std::io::Error>(None);
            }
            response.extend_from_slice(&chunk[..read]);
            let text = String::from_utf8_lossy(&response);
            if let Some((_, body)) = text.split_once("\r\n\r\n")
                && let Ok(status) = serde_json::from_str::<serde_json::Value>(body)
            {
                return Ok(status["value"]["ready"].as_bool());
            }
        }
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), attempt).await,
        Ok(Ok(Some(true)))
    )
}
