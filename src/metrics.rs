//! What `GET /metrics` reports, in the Prometheus text format: jobs (runs, failures,
//! the ones running now), messages sent, commands run, the language model's tool calls
//! and tokens and cost, unpushed commits, the age of the last sync. One [`Metrics`] is
//! shared (`Arc<Metrics>`) by everything `myorg run` starts — the HTTP endpoint, the
//! schedule, the agent, a chat front end — each counting what it does through the
//! small methods below.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;

/// The label of a job's metrics.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabel {
    pub job: String,
}

/// The label of a command's count.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CommandLabel {
    pub command: String,
}

/// The label of a tool's count.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ToolLabel {
    pub tool: String,
}

/// The counters and gauges, and the registry that writes them out.
pub struct Metrics {
    registry: Registry,
    pub job_runs: Family<JobLabel, Counter>,
    pub job_failures: Family<JobLabel, Counter>,
    pub jobs_running: Family<JobLabel, Gauge>,
    pub messages_sent: Counter,
    pub commands: Family<CommandLabel, Counter>,
    pub tool_calls: Family<ToolLabel, Counter>,
    pub llm_tokens: Counter,
    pub llm_cost: Counter<f64, AtomicU64>,
    pub unpushed_commits: Gauge,
    pub seconds_since_sync: Gauge<f64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut metrics = Metrics {
            registry: Registry::with_prefix("myorg"),
            job_runs: Family::default(),
            job_failures: Family::default(),
            jobs_running: Family::default(),
            messages_sent: Counter::default(),
            commands: Family::default(),
            tool_calls: Family::default(),
            llm_tokens: Counter::default(),
            llm_cost: Counter::default(),
            unpushed_commits: Gauge::default(),
            seconds_since_sync: Gauge::default(),
        };
        // The registry holds handles to the same values (each is an `Arc` inside).
        let registry = &mut metrics.registry;
        registry.register("job_runs", "Jobs run", metrics.job_runs.clone());
        registry.register("job_failures", "Jobs that failed", metrics.job_failures.clone());
        registry.register("jobs_running", "Jobs running now", metrics.jobs_running.clone());
        registry.register(
            "messages_sent",
            "Reminders and briefings delivered",
            metrics.messages_sent.clone(),
        );
        registry.register("commands", "Commands run", metrics.commands.clone());
        registry.register(
            "tool_calls",
            "Tool calls of the language model",
            metrics.tool_calls.clone(),
        );
        registry.register(
            "llm_tokens",
            "Language model tokens, prompt and completion",
            metrics.llm_tokens.clone(),
        );
        registry.register(
            "llm_cost",
            "Language model cost, in the providers' price unit",
            metrics.llm_cost.clone(),
        );
        registry.register(
            "unpushed_commits",
            "Commits not on the remote yet",
            metrics.unpushed_commits.clone(),
        );
        registry.register(
            "seconds_since_last_sync",
            "Seconds since the last pull from the remote",
            metrics.seconds_since_sync.clone(),
        );
        metrics
    }
}

impl Metrics {
    /// A command ran (a slash command, a CLI command in a long-running process).
    pub fn command(&self, name: &str) {
        self.commands
            .get_or_create(&CommandLabel {
                command: name.to_string(),
            })
            .inc();
    }

    /// The language model called the tool `name` (the agent passes only names of
    /// tools that exist, so a model cannot make up labels).
    pub fn tool_call(&self, name: &str) {
        self.tool_calls
            .get_or_create(&ToolLabel {
                tool: name.to_string(),
            })
            .inc();
    }

    /// One model call's tokens and cost (a cost that is not a positive number counts
    /// as none).
    pub fn llm_usage(&self, tokens: u64, cost: f64) {
        self.llm_tokens.inc_by(tokens);
        if cost.is_finite() && cost > 0.0 {
            self.llm_cost.inc_by(cost);
        }
    }

    /// Everything, in the OpenMetrics text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_in_the_text() {
        let metrics = Metrics::default();
        metrics.command("add");
        metrics.command("add");
        metrics.tool_call("add_task");
        metrics.llm_usage(120, 0.25);
        metrics.llm_usage(30, f64::NAN);
        metrics.llm_usage(0, -1.0);
        metrics
            .job_runs
            .get_or_create(&JobLabel {
                job: "git-sync".into(),
            })
            .inc();
        let text = metrics.encode().unwrap();
        for line in [
            "myorg_commands_total{command=\"add\"} 2",
            "myorg_tool_calls_total{tool=\"add_task\"} 1",
            "myorg_llm_tokens_total 150",
            "myorg_llm_cost_total 0.25",
            "myorg_job_runs_total{job=\"git-sync\"} 1",
            "myorg_messages_sent_total 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
        }
    }
}
