//! Serves the mock ATS until Ctrl-C: `cargo run -p mock-ats --example serve [PORT]`.
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let ats = mock_ats::MockAts::start_on(([127, 0, 0, 1], port).into()).await?;
    for flow in mock_ats::Flow::ALL {
        println!("{:<22} {}", flow.name(), ats.url(*flow));
    }
    tokio::signal::ctrl_c().await?;
    for submission in ats.submissions() {
        println!("{submission:?}");
    }
    ats.shutdown().await;
    Ok(())
}
