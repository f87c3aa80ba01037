//! `autoapply session`: one application from the terminal.
//!
//! Interactive: each page's fields are shown and asked for with a prompt fitting their type;
//! the answers are filled in and checked without clicking (`advance: false`), so the final
//! Submit is confirmed before it is clicked. Unattended (`--answers FILE`): every field is
//! answered from the file, keyed by `field_id` or else by `handler_type`, and each page is
//! advanced at once.
//!
//! Answers are printed nowhere and logged nowhere; only labels are shown.

use std::collections::HashSet;
use std::future::Future;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use detectors::AtsDetector;
use engine_core::{
    Answer, AnswerValue, AnswersRequest, Engine, EngineConfig, Field, FieldType, LocalFiles,
    SessionMode, SessionState, SessionStatus, UrlPolicy,
};
use serde_json::{Map, Value};

use crate::SessionArgs;
use crate::browser;
use crate::error::CliError;

/// More pages than any real application has: a loop guard.
const MAX_STEPS: usize = 30;

pub async fn run(args: SessionArgs) -> Result<ExitCode, CliError> {
    let answers = args.answers.as_deref().map(AnswersFile::load).transpose()?;
    if answers.is_none() && !std::io::stdin().is_terminal() {
        return Err(CliError::NotATerminal);
    }
    // The person at the terminal may apply on local pages (e.g. the mock ATS).
    let policy = if args.public_only {
        UrlPolicy::public_only()
    } else {
        UrlPolicy::allow_local()
    };
    policy.check(&args.url)?;
    let mut driver_config = browser::config(&args.browser, 1)?;
    driver_config.pool.warm = 0;
    let driver = browser::start(driver_config).await?;
    let engine = Engine::new(
        Arc::new(driver.clone()),
        Arc::new(AtsDetector::new()),
        EngineConfig {
            max_sessions: 1,
            url_policy: policy,
            local_files: LocalFiles::Any,
            mode: if answers.is_some() {
                SessionMode::Automated
            } else {
                SessionMode::Interactive
            },
            ..EngineConfig::default()
        },
    );
    let result = match &answers {
        Some(file) => unattended(&engine, &args.url, file).await,
        None => interactive(&engine, &args.url).await,
    };
    engine.shutdown().await;
    driver.shutdown().await;
    result
}

/// Runs `work` with a spinner saying `message` (drawn only on a terminal).
async fn spin<T>(message: &str, work: impl Future<Output = T>) -> T {
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(message.to_owned());
    spinner.enable_steady_tick(Duration::from_millis(100));
    let result = work.await;
    spinner.finish_and_clear();
    result
}

fn print_page(state: &SessionState, step: usize, with_fields: bool) {
    let provider = state.provider_name.as_deref().unwrap_or("unknown ATS");
    let url = state.current_url.as_deref().unwrap_or("");
    println!("── step {step} · {provider} · {} · {url}", state.status);
    if with_fields && !state.is_terminal {
        for field in &state.fields {
            let required = if field.is_required { "*" } else { " " };
            let choices = if field.options.is_empty() {
                String::new()
            } else {
                let mut texts: Vec<&str> = field
                    .options
                    .iter()
                    .take(6)
                    .map(|o| o.text.as_str())
                    .collect();
                if field.options.len() > 6 {
                    texts.push("…");
                }
                format!(": {}", texts.join(" | "))
            };
            println!(
                "  {required} {} ({}{choices})  [{}]",
                field.label, field.field_type, field.field_id
            );
        }
    }
}

fn print_problems(state: &SessionState) {
    for problem in &state.validation_errors {
        let label = problem
            .field_id
            .as_deref()
            .and_then(|id| state.fields.iter().find(|f| f.field_id == id))
            .map_or_else(
                || {
                    problem
                        .field_id
                        .clone()
                        .unwrap_or_else(|| "page".to_owned())
                },
                |f| f.label.clone(),
            );
        println!("  ! {label}: {}", problem.message);
    }
}

/// Prints the outcome; success is `submitted`.
fn outcome(state: &SessionState) -> ExitCode {
    match &state.status {
        SessionStatus::Submitted => println!("outcome: submitted, the application was sent"),
        SessionStatus::RedirectRequired => println!(
            "outcome: redirect_required, the application continues at {} ({}): run `autoapply session` there",
            state.redirect_url.as_deref().unwrap_or("?"),
            state
                .redirect_provider_id
                .as_ref()
                .map_or("unknown ATS", |p| p.as_str())
        ),
        SessionStatus::Error => println!(
            "outcome: error, {}",
            state.error.as_deref().unwrap_or("no detail")
        ),
        other => println!("outcome: {other}"),
    }
    if state.status == SessionStatus::Submitted {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn same_page(a: &SessionState, b: &SessionState) -> bool {
    a.current_url == b.current_url
        && a.fields
            .iter()
            .map(|f| &f.field_id)
            .eq(b.fields.iter().map(|f| &f.field_id))
}

async fn unattended(engine: &Engine, url: &str, file: &AnswersFile) -> Result<ExitCode, CliError> {
    let mut state = spin("opening the page…", engine.start(url)).await?;
    for step in 1..=MAX_STEPS {
        print_page(&state, step, false);
        if state.is_terminal {
            return Ok(outcome(&state));
        }
        let mut answers = Vec::new();
        let mut missing = Vec::new();
        for field in &state.fields {
            match file.answer_for(field)? {
                Some(answer) => answers.push(answer),
                None if field.is_required && !crate::sample::has_value(field) => {
                    missing.push(format!(
                        "`{}` (field_id `{}`{})",
                        field.label,
                        field.field_id,
                        field
                            .handler_type
                            .as_deref()
                            .map(|h| format!(", handler_type `{h}`"))
                            .unwrap_or_default()
                    ));
                }
                None => {}
            }
        }
        if !missing.is_empty() {
            return Err(CliError::MissingAnswers(format!(
                "the answers file has no answer for the required field(s) {} on {}: add entries keyed by field_id or handler_type",
                missing.join(", "),
                state.current_url.as_deref().unwrap_or("the page")
            )));
        }
        let labels: Vec<&str> = state
            .fields
            .iter()
            .filter(|f| answers.iter().any(|a| a.field_id == f.field_id))
            .map(|f| f.label.as_str())
            .collect();
        println!(
            "  answering {} field(s): {}",
            labels.len(),
            labels.join(", ")
        );
        let before = state.clone();
        state = spin(
            "filling in and advancing…",
            engine.answer(
                state.id,
                AnswersRequest {
                    answers,
                    advance: true,
                },
            ),
        )
        .await?;
        if !state.is_terminal && !state.validation_errors.is_empty() && same_page(&before, &state) {
            print_problems(&state);
            return Err(CliError::Rejected(
                "the page refused the answers (problems listed above): fix the answers file and run again".to_owned(),
            ));
        }
    }
    Err(CliError::Rejected(format!(
        "the application had more than {MAX_STEPS} steps; stopped to avoid a loop"
    )))
}

async fn interactive(engine: &Engine, url: &str) -> Result<ExitCode, CliError> {
    let mut state = spin("opening the page in the browser…", engine.start(url)).await?;
    let mut step = 1;
    loop {
        print_page(&state, step, true);
        if state.is_terminal {
            return Ok(outcome(&state));
        }
        if step > MAX_STEPS {
            return Err(CliError::Rejected(format!(
                "the application had more than {MAX_STEPS} steps; stopped to avoid a loop"
            )));
        }
        let mut to_ask: Vec<Field> = state.fields.clone();
        loop {
            let answers = tokio::task::block_in_place(|| ask_all(&to_ask))?;
            state = spin(
                "filling in and checking the answers…",
                engine.answer(
                    state.id,
                    AnswersRequest {
                        answers,
                        advance: false,
                    },
                ),
            )
            .await?;
            if state.is_terminal || state.validation_errors.is_empty() {
                break;
            }
            print_problems(&state);
            let flagged: HashSet<&str> = state
                .validation_errors
                .iter()
                .filter_map(|p| p.field_id.as_deref())
                .collect();
            let again: Vec<Field> = state
                .fields
                .iter()
                .filter(|f| flagged.contains(f.field_id.as_str()))
                .cloned()
                .collect();
            to_ask = if again.is_empty() {
                state.fields.clone()
            } else {
                again
            };
        }
        if state.is_terminal {
            continue;
        }
        let submitting = state.status == SessionStatus::SubmitReady;
        if submitting {
            let go = tokio::task::block_in_place(|| {
                dialoguer::Confirm::with_theme(&dialoguer::theme::ColorfulTheme::default())
                    .with_prompt("Submit the application now? It cannot be taken back")
                    .default(false)
                    .interact()
            })
            .map_err(|err| CliError::Prompt(err.to_string()))?;
            if !go {
                let _ = engine.end(state.id).await;
                println!("outcome: not submitted, the session was ended before the final submit");
                return Ok(ExitCode::FAILURE);
            }
        }
        let message = if submitting {
            "submitting…"
        } else {
            "going to the next page…"
        };
        let before = state.clone();
        state = spin(
            message,
            engine.answer(
                state.id,
                AnswersRequest {
                    answers: Vec::new(),
                    advance: true,
                },
            ),
        )
        .await?;
        print_problems(&state);
        if !same_page(&before, &state) {
            step += 1;
        }
    }
}

fn ask_all(fields: &[Field]) -> Result<Vec<Answer>, CliError> {
    let mut answers = Vec::new();
    for field in fields {
        if let Some(value) = ask(field).map_err(|err| CliError::Prompt(err.to_string()))? {
            answers.push(Answer::new(&field.field_id, value));
        }
    }
    Ok(answers)
}

/// Asks for one field; `None` leaves it as it is.
fn ask(field: &Field) -> Result<Option<AnswerValue>, dialoguer::Error> {
    use dialoguer::{Confirm, Input, MultiSelect, Select};
    let theme = dialoguer::theme::ColorfulTheme::default();
    let mut prompt = field.label.clone();
    if field.is_required {
        prompt.push_str(" *");
    }
    if let Some(description) = field.description.as_deref().filter(|d| !d.is_empty()) {
        println!("  {description}");
    }
    let texts: Vec<&str> = field.options.iter().map(|o| o.text.as_str()).collect();
    let value = match &field.field_type {
        FieldType::Select | FieldType::Radio if !field.options.is_empty() => {
            let mut items = texts.clone();
            if !field.is_required {
                items.push("(leave empty)");
            }
            let chosen = Select::with_theme(&theme)
                .with_prompt(prompt)
                .items(&items)
                .default(0)
                .interact()?;
            field.options.get(chosen).map(|o| o.value.clone())
        }
        FieldType::Multiselect | FieldType::Checkbox if field.options.len() > 1 => loop {
            let chosen = MultiSelect::with_theme(&theme)
                .with_prompt(format!("{prompt} (space to pick, enter to confirm)"))
                .items(&texts)
                .interact()?;
            if chosen.is_empty() && field.is_required {
                println!("  pick at least one");
                continue;
            }
            if chosen.is_empty() {
                break None;
            }
            let values: Vec<&str> = chosen
                .iter()
                .filter_map(|&i| field.options.get(i))
                .map(|o| o.value.as_str())
                .collect();
            break Some(values.join(","));
        },
        FieldType::Checkbox | FieldType::Toggle => {
            let yes = Confirm::with_theme(&theme)
                .with_prompt(prompt)
                .default(field.is_required)
                .interact()?;
            Some(yes.to_string())
        }
        FieldType::File => {
            let required = field.is_required;
            let accepted = field.constraints.accepted_file_types.join(", ");
            let hint = if accepted.is_empty() {
                String::new()
            } else {
                format!(" ({accepted})")
            };
            let path: String = Input::with_theme(&theme)
                .with_prompt(format!("{prompt}: path to the file{hint}"))
                .allow_empty(!required)
                .validate_with(|input: &String| -> Result<(), &str> {
                    let skipped = input.trim().is_empty() && !required;
                    if skipped || Path::new(input.trim()).is_file() {
                        Ok(())
                    } else {
                        Err("no readable file at this path")
                    }
                })
                .interact_text()?;
            let path = path.trim().to_owned();
            (!path.is_empty()).then(|| {
                std::path::absolute(&path).map_or(path, |p| p.to_string_lossy().into_owned())
            })
        }
        other => {
            let required = field.is_required;
            let is_date = *other == FieldType::Date;
            let mut input = Input::<String>::with_theme(&theme)
                .with_prompt(if is_date {
                    format!("{prompt} (YYYY-MM-DD)")
                } else {
                    prompt
                })
                .allow_empty(!required)
                .validate_with(move |input: &String| -> Result<(), &str> {
                    let text = input.trim();
                    if text.is_empty() {
                        return if required {
                            Err("this field is required")
                        } else {
                            Ok(())
                        };
                    }
                    let date_like = text.len() == 10
                        && text.char_indices().all(|(i, c)| {
                            if i == 4 || i == 7 {
                                c == '-'
                            } else {
                                c.is_ascii_digit()
                            }
                        });
                    if is_date && !date_like {
                        Err("give the date as YYYY-MM-DD")
                    } else {
                        Ok(())
                    }
                });
            if let Some(current) = field.current_value.as_deref().filter(|v| !v.is_empty()) {
                input = input.with_initial_text(current);
            }
            let text = input.interact_text()?;
            (!text.trim().is_empty()).then_some(text)
        }
    };
    Ok(value.map(AnswerValue::Text))
}

/// An answers file: a JSON object keyed by `field_id` or `handler_type`.
pub struct AnswersFile {
    path: PathBuf,
    entries: Map<String, Value>,
}

impl AnswersFile {
    /// Reads and checks the file.
    pub fn load(path: &Path) -> Result<AnswersFile, CliError> {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            path: path.to_owned(),
            source,
        })?;
        let bad = |reason: String| CliError::AnswersFile {
            path: path.to_owned(),
            reason,
        };
        let value: Value = serde_json::from_str(&text)
            .map_err(|err| bad(format!("it is not valid JSON ({err})")))?;
        let Value::Object(entries) = value else {
            return Err(bad(
                "it must be a JSON object like {\"email\": \"ada@example.com\", \"resume\": \"resume.pdf\"}".to_owned(),
            ));
        };
        let file = AnswersFile {
            path: path.to_owned(),
            entries,
        };
        for (key, value) in &file.entries {
            file.value(key, value)?;
        }
        Ok(file)
    }

    fn bad(&self, reason: String) -> CliError {
        CliError::AnswersFile {
            path: self.path.clone(),
            reason,
        }
    }

    /// The text of an entry and its typeahead selection.
    fn value(&self, key: &str, value: &Value) -> Result<(String, Option<String>), CliError> {
        let scalar = |value: &Value| match value {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        if let Some(text) = scalar(value) {
            return Ok((text, None));
        }
        match value {
            Value::Array(items) => {
                let texts: Option<Vec<String>> = items.iter().map(scalar).collect();
                texts
                    .map(|texts| (texts.join(","), None))
                    .ok_or_else(|| self.bad(format!("`{key}` is a list of something else than strings")))
            }
            Value::Object(map) => {
                let text = map.get("value").and_then(scalar);
                let selection = map.get("typeahead_selection").and_then(Value::as_str).map(str::to_owned);
                text.map(|text| (text, selection)).ok_or_else(|| {
                    self.bad(format!(
                        "`{key}` is an object without a string `value`: write {{\"value\": \"...\", \"typeahead_selection\": \"...\"}}"
                    ))
                })
            }
            _ => Err(self.bad(format!(
                "`{key}` is null: give a string, a number, true/false, a list of strings, or {{\"value\": ...}}"
            ))),
        }
    }

    /// The answer for `field`: by its `field_id`, else by its `handler_type`.
    pub fn answer_for(&self, field: &Field) -> Result<Option<Answer>, CliError> {
        let entry = self.entries.get_key_value(&field.field_id).or_else(|| {
            field
                .handler_type
                .as_deref()
                .and_then(|h| self.entries.get_key_value(h))
        });
        let Some((key, value)) = entry else {
            return Ok(None);
        };
        let (mut text, selection) = self.value(key, value)?;
        if field.field_type == FieldType::File && !text.trim().is_empty() {
            // Relative paths are relative to the answers file.
            let path = Path::new(&text);
            if path.is_relative() {
                let base = self.path.parent().unwrap_or(Path::new("."));
                text = base.join(path).to_string_lossy().into_owned();
            }
        }
        let mut answer = Answer::new(&field.field_id, text);
        answer.typeahead_selection = selection;
        Ok(Some(answer))
    }
}
