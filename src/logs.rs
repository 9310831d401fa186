//! Logs: the one `tracing` subscriber of the `myorg` binary, set up by [`init`] from two
//! settings, and the secrets it keeps out of every line.
//!
//! - `MYORG_LOG` (else `RUST_LOG`): which events, as `tracing_subscriber`'s
//!   `EnvFilter` directives (`info`, `myorg_assistant::store=debug,warn`…). When
//!   neither is set, [`Defaults`]: `myorg run` and `myorg trigger` log this crate's
//!   `info` and the dependencies' `warn`; the other commands only warnings, so a
//!   command's standard error holds what the person must read and nothing else.
//! - `MYORG_LOG_FORMAT`: `text` (the default: one human-readable line per event) or
//!   `json` (one JSON object per line: `timestamp`, `level`, `target`, `message` and
//!   the event's fields at the top, `span` (the innermost) and `spans` (the list,
//!   outermost first)), for Loki, Elasticsearch or `kubectl logs | jq`.
//!
//! A value of either that cannot be used is said in a warning, and the default is
//! used instead: a log setting never keeps a command from running. Logs always go to
//! standard error; standard output is the commands' output.
//!
//! Dependencies that log through the `log` crate (git2, reqwest, rustls, tungstenite)
//! reach the same subscriber. Every line is written through [`Redacting`]: the
//! configured secrets ([`crate::redact::Secrets`]: the environment's at [`init`], the
//! configuration's once it is read, [`keep_out`]) are replaced by `[redacted]`, also
//! in their escaped forms, whatever logged them.

use crate::redact::Secrets;
use std::io::{IsTerminal, Write};
use std::sync::{LazyLock, PoisonError, RwLock};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The filter of `myorg run` and `myorg trigger` when `MYORG_LOG` and `RUST_LOG` are
/// unset: this crate (the library and the binary) at `info`, the rest at `warn`.
pub const SERVICE_FILTER: &str = "warn,myorg_assistant=info,myorg=info";
/// The filter of every other command: warnings and errors only.
pub const COMMAND_FILTER: &str = "warn";

/// What is logged when the environment does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defaults {
    /// The long-running assistant and its trigger client: [`SERVICE_FILTER`].
    Service,
    /// A command a person runs at the terminal: [`COMMAND_FILTER`].
    Command,
}

impl Defaults {
    /// The defaults of the command `name` (the subcommand as typed: `run`, `add`…).
    pub fn for_command(name: &str) -> Defaults {
        match name {
            "run" | "trigger" => Defaults::Service,
            _ => Defaults::Command,
        }
    }

    fn filter(self) -> &'static str {
        match self {
            Defaults::Service => SERVICE_FILTER,
            Defaults::Command => COMMAND_FILTER,
        }
    }
}

/// How each event is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A line a person reads: time, level, spans, target, message, fields.
    Text,
    /// One JSON object per line.
    Json,
}

impl Format {
    /// `MYORG_LOG_FORMAT`'s value: empty or `text` (also `plain`, `pretty`), or `json`.
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "text" | "plain" | "pretty" => Some(Format::Text),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The settings read from the environment, and what was wrong with them.
#[derive(Debug)]
pub struct Settings {
    pub filter: EnvFilter,
    pub format: Format,
    /// Warnings about values that could not be used (logged once the subscriber is up).
    pub problems: Vec<String>,
}

impl Settings {
    /// From `log` (`MYORG_LOG`, else `RUST_LOG`) and `format` (`MYORG_LOG_FORMAT`),
    /// with `defaults` for what is unset or unusable.
    pub fn from_values(log: Option<&str>, format: Option<&str>, defaults: Defaults) -> Settings {
        let mut problems = Vec::new();
        let fallback = || EnvFilter::new(defaults.filter());
        let filter = match log.map(str::trim).filter(|text| !text.is_empty()) {
            None => fallback(),
            Some(text) => EnvFilter::try_new(text).unwrap_or_else(|error| {
                problems.push(format!(
                    "MYORG_LOG (or RUST_LOG) {text:?} is not a log filter ({error}); logging with {:?} instead",
                    defaults.filter()
                ));
                fallback()
            }),
        };
        let format = match format {
            None => Format::Text,
            Some(text) => Format::parse(text).unwrap_or_else(|| {
                problems.push(format!(
                    "MYORG_LOG_FORMAT {text:?} is not a log format (text or json); logging as text"
                ));
                Format::Text
            }),
        };
        Settings {
            filter,
            format,
            problems,
        }
    }

    /// From the environment.
    pub fn from_env(defaults: Defaults) -> Settings {
        let log = std::env::var("MYORG_LOG")
            .ok()
            .filter(|text| !text.trim().is_empty())
            .or_else(|| std::env::var("RUST_LOG").ok());
        let format = std::env::var("MYORG_LOG_FORMAT").ok();
        Settings::from_values(log.as_deref(), format.as_deref(), defaults)
    }
}

/// Sets up the process's subscriber from the environment, with `defaults` for what
/// it does not say, and keeps the environment's secrets out of the log. Called once,
/// first thing in `main`; a second call changes nothing.
pub fn init(defaults: Defaults) {
    keep_out(&Secrets::new(
        crate::config::SECRET_ENV
            .iter()
            .filter_map(|var| std::env::var(var).ok()),
    ));
    let settings = Settings::from_env(defaults);
    let ansi = settings.format == Format::Text
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let registry = tracing_subscriber::registry().with(settings.filter);
    let installed = match settings.format {
        Format::Text => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(Redacting)
                    .with_ansi(ansi),
            )
            .try_init(),
        Format::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(true)
                    .with_writer(Redacting),
            )
            .try_init(),
    };
    if installed.is_ok() {
        for problem in &settings.problems {
            tracing::warn!("{problem}");
        }
    }
}

/// The secrets no log line may show.
static KEPT_OUT: LazyLock<RwLock<Secrets>> = LazyLock::new(|| RwLock::new(Secrets::default()));

/// Keeps `secrets` (and their escaped forms, as a JSON string or a debug-printed
/// field shows them) out of every line logged from now on.
pub fn keep_out(secrets: &Secrets) {
    if secrets.is_empty() {
        return;
    }
    let mut kept = KEPT_OUT.write().unwrap_or_else(PoisonError::into_inner);
    *kept = std::mem::take(&mut *kept).with(&secrets.clone().with_escaped_forms());
}

/// Writes each formatted event to standard error in one piece, with the secrets
/// [`keep_out`] was given replaced.
#[derive(Debug, Clone, Copy)]
pub struct Redacting;

impl<'a> MakeWriter<'a> for Redacting {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line(Vec::with_capacity(256))
    }
}

/// One event's line, written out when dropped.
pub struct Line(Vec<u8>);

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        // A log line that cannot be written is lost; nothing better can be done here.
        let _ = std::io::stderr().lock().write_all(redacted(&self.0).as_bytes());
    }
}

/// `line` without the secrets [`keep_out`] was given.
fn redacted(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let kept = KEPT_OUT.read().unwrap_or_else(PoisonError::into_inner);
    kept.redact(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_depend_on_the_command() {
        assert_eq!(Defaults::for_command("run"), Defaults::Service);
        assert_eq!(Defaults::for_command("trigger"), Defaults::Service);
        assert_eq!(Defaults::for_command("add"), Defaults::Command);
        let service = Settings::from_values(None, None, Defaults::Service);
        assert_eq!(
            service.filter.to_string(),
            EnvFilter::new(SERVICE_FILTER).to_string()
        );
        assert_eq!(service.format, Format::Text);
        assert!(service.problems.is_empty());
        let command = Settings::from_values(Some("  "), Some(""), Defaults::Command);
        assert_eq!(command.filter.to_string(), "warn");
        assert!(command.problems.is_empty());
    }

    #[test]
    fn the_secrets_kept_out_are_redacted_in_every_form() {
        keep_out(&Secrets::new(["s3cr\"et-logs-test".to_string()]));
        keep_out(&Secrets::default());
        assert_eq!(
            redacted(br#"{"message":"sent s3cr\"et-logs-test","a":"s3cr"}"#),
            r#"{"message":"sent [redacted]","a":"s3cr"}"#
        );
        assert_eq!(redacted(b"token=s3cr\"et-logs-test\n"), "token=[redacted]\n");
    }

    #[test]
    fn a_bad_filter_or_format_is_said_and_the_default_used() {
        let settings = Settings::from_values(Some("myorg=loud"), Some("xml"), Defaults::Command);
        assert_eq!(settings.filter.to_string(), "warn");
        assert_eq!(settings.format, Format::Text);
        assert_eq!(settings.problems.len(), 2, "{:?}", settings.problems);
        assert!(settings.problems[0].contains("\"myorg=loud\" is not a log filter"));
        assert!(settings.problems[1].contains("\"xml\" is not a log format"));
        let json = Settings::from_values(Some("debug,hyper=warn"), Some(" JSON "), Defaults::Command);
        assert_eq!(json.format, Format::Json);
        assert!(json.problems.is_empty());
    }
}
