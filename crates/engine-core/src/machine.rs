//! The session state machine, as a pure function.
//!
//! [`next`] maps a status and an event to the next status, or refuses the event. It does no
//! I/O and knows nothing of browsers, so it is tested as a full table (every status × every
//! event); the engine only carries out what it decides.

use crate::wire::SessionStatus;

/// What a page analysis amounts to, for the state machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageOutcome {
    /// A form page whose required answers are in, with a Next control.
    FormWithNext,
    /// The last form page, complete, with a Submit control.
    FormWithSubmit,
    /// A form page that still misses required answers, or whose controls are not known.
    FormIncomplete,
    /// The ATS confirmed the application.
    Confirmation,
    /// A login wall.
    LoginWall,
    /// A captcha challenge.
    Captcha,
    /// The posting is closed or missing.
    Expired,
    /// The application continues on another ATS.
    Handoff,
    /// A page with no application and no known ATS.
    NoApplication,
    /// A page the engine cannot make sense of, or an ATS error page.
    Unrecognised,
}

impl PageOutcome {
    /// Every outcome, for exhaustive tests.
    pub const ALL: [PageOutcome; 10] = [
        PageOutcome::FormWithNext,
        PageOutcome::FormWithSubmit,
        PageOutcome::FormIncomplete,
        PageOutcome::Confirmation,
        PageOutcome::LoginWall,
        PageOutcome::Captcha,
        PageOutcome::Expired,
        PageOutcome::Handoff,
        PageOutcome::NoApplication,
        PageOutcome::Unrecognised,
    ];
}

/// Something that happens to a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// The caller sent answers for the current page.
    AnswersReceived,
    /// A page was loaded and analysed.
    PageAnalysed(PageOutcome),
    /// The ATS rejected the answers and shows errors on the same page.
    AtsRejected,
    /// The browser failed, or a submit's outcome could not be told.
    Failed,
    /// The session sat idle longer than allowed.
    IdleTimeout,
}

impl Event {
    /// Every event, for exhaustive tests.
    pub fn all() -> Vec<Event> {
        let mut events = vec![
            Event::AnswersReceived,
            Event::AtsRejected,
            Event::Failed,
            Event::IdleTimeout,
        ];
        events.extend(PageOutcome::ALL.into_iter().map(Event::PageAnalysed));
        events
    }
}

/// An event the current status does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The session is over: it accepts nothing more.
    #[error("the session has ended with status `{status}`: start a new session to apply again")]
    Terminal {
        /// The terminal status.
        status: SessionStatus,
    },
}

/// The status a session has before its first page is analysed.
pub const INITIAL: SessionStatus = SessionStatus::FormReady;

/// The next status after `event`, or why `status` refuses it.
pub fn next(status: &SessionStatus, event: Event) -> Result<SessionStatus, TransitionError> {
    if status.is_terminal() {
        return Err(TransitionError::Terminal {
            status: status.clone(),
        });
    }
    Ok(match event {
        // Answers and the ATS's objections leave the page, and so the status, as it is.
        Event::AnswersReceived | Event::AtsRejected => status.clone(),
        Event::Failed => SessionStatus::Error,
        Event::IdleTimeout => SessionStatus::Expired,
        Event::PageAnalysed(outcome) => match outcome {
            PageOutcome::FormWithNext => SessionStatus::NextAvailable,
            PageOutcome::FormWithSubmit => SessionStatus::SubmitReady,
            PageOutcome::FormIncomplete => SessionStatus::FormReady,
            PageOutcome::Confirmation => SessionStatus::Submitted,
            PageOutcome::LoginWall => SessionStatus::LoginRequired,
            PageOutcome::Captcha => SessionStatus::CaptchaRequired,
            PageOutcome::Expired => SessionStatus::Expired,
            PageOutcome::Handoff => SessionStatus::RedirectRequired,
            PageOutcome::NoApplication => SessionStatus::Redirected,
            PageOutcome::Unrecognised => SessionStatus::Error,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected result for one (status, event) pair, written out independently of `next`.
    fn expected(status: &SessionStatus, event: Event) -> Option<SessionStatus> {
        use PageOutcome as P;
        use SessionStatus as S;
        let active = matches!(status, S::FormReady | S::NextAvailable | S::SubmitReady);
        if !active {
            return None;
        }
        Some(match event {
            Event::AnswersReceived | Event::AtsRejected => status.clone(),
            Event::Failed => S::Error,
            Event::IdleTimeout => S::Expired,
            Event::PageAnalysed(P::FormWithNext) => S::NextAvailable,
            Event::PageAnalysed(P::FormWithSubmit) => S::SubmitReady,
            Event::PageAnalysed(P::FormIncomplete) => S::FormReady,
            Event::PageAnalysed(P::Confirmation) => S::Submitted,
            Event::PageAnalysed(P::LoginWall) => S::LoginRequired,
            Event::PageAnalysed(P::Captcha) => S::CaptchaRequired,
            Event::PageAnalysed(P::Expired) => S::Expired,
            Event::PageAnalysed(P::Handoff) => S::RedirectRequired,
            Event::PageAnalysed(P::NoApplication) => S::Redirected,
            Event::PageAnalysed(P::Unrecognised) => S::Error,
        })
    }

    #[test]
    fn full_transition_table() {
        let mut statuses: Vec<SessionStatus> = SessionStatus::KNOWN.to_vec();
        statuses.push(SessionStatus::Unknown("paused_by_newer_server".into()));
        let events = Event::all();
        assert_eq!(events.len(), 14);
        let mut checked = 0;
        for status in &statuses {
            for &event in &events {
                let got = next(status, event);
                match expected(status, event) {
                    Some(want) => assert_eq!(got, Ok(want), "{status} × {event:?}"),
                    None => assert_eq!(
                        got,
                        Err(TransitionError::Terminal {
                            status: status.clone()
                        }),
                        "{status} × {event:?}"
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 11 * 14);
    }

    #[test]
    fn exactly_three_statuses_are_active() {
        let active: Vec<_> = SessionStatus::KNOWN
            .iter()
            .filter(|s| !s.is_terminal())
            .map(SessionStatus::as_str)
            .collect();
        assert_eq!(active, ["form_ready", "next_available", "submit_ready"]);
    }

    #[test]
    fn terminal_refusal_says_what_to_do() {
        let err = next(&SessionStatus::Submitted, Event::AnswersReceived).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the session has ended with status `submitted`: start a new session to apply again"
        );
    }
}
