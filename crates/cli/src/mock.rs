//! `autoapply mock-ats`: the mock ATS on a fixed port, to try flows by hand.

use std::process::ExitCode;

use mock_ats::{Flow, MockAts};

use crate::MockAtsArgs;
use crate::error::CliError;

pub async fn run(args: MockAtsArgs) -> Result<ExitCode, CliError> {
    let mock = MockAts::start_on(args.listen)
        .await
        .map_err(|source| CliError::Listen {
            addr: args.listen,
            source,
        })?;
    // In place before "Ctrl-C stops" is printed: a Ctrl-C after it stops in order.
    let stop = crate::shutdown_signal();
    println!("mock ATS on {}; its flows:", mock.base_url());
    for flow in Flow::ALL {
        println!("  {:<20} {}", flow.name(), mock.url(*flow));
    }
    println!(
        "try one with: autoapply session {}",
        mock.url(Flow::Greenhouse)
    );
    println!("Ctrl-C stops");
    stop.await;
    let accepted = mock.submissions().len();
    mock.shutdown().await;
    println!("stopped; {accepted} application(s) were submitted");
    Ok(ExitCode::SUCCESS)
}
