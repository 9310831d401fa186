//! Configuration in layers: built-in defaults, then a TOML file (`--config`,
//! `MYORG_CONFIG`), then environment variables with the documented names, then
//! command-line options. Unknown keys in the file are errors. Secrets come only from
//! the environment (or the file, if you insist) and are never printed.

use crate::redact::Secrets;
use crate::store::{Identity, RemoteSettings, StoreSettings, SyncPolicy};
use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use myorg_domain::context;
use myorg_domain::people::{People, Person};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variables and the configuration keys they set.
pub const ENV_KEYS: [(&str, &str); 23] = [
    ("MYORG_REPO_PATH", "store.path"),
    ("GIT_REPO_URL", "git.url"),
    ("GIT_BRANCH", "git.branch"),
    ("GIT_USERNAME", "git.username"),
    ("GIT_TOKEN", "git.token"),
    ("MYORG_SSH_KEY", "git.ssh_key"),
    ("MYORG_USER_NAME", "user.name"),
    ("MYORG_USER_EMAIL", "user.email"),
    ("TIMEZONE", "store.timezone"),
    ("LITELLM_ENDPOINT", "llm.endpoint"),
    ("LITELLM_API_KEY", "llm.api_key"),
    ("LITELLM_MODEL", "llm.model"),
    ("MYORG_HTTP_ADDR", "http.listen"),
    ("MYORG_TRIGGER_TOKEN", "http.trigger_token"),
    ("MYORG_MCP_TOKEN", "http.mcp_token"),
    ("MYORG_SCHEDULER_MODE", "scheduler.mode"),
    ("DISCORD_BOT_TOKEN", "discord.token"),
    ("DISCORD_CHANNEL_ID", "discord.channel_id"),
    ("DISCORD_GUILD_ID", "discord.guild_id"),
    ("MYORG_DISCORD_API_BASE", "discord.api_base"),
    ("WEB_PASSWORD", "web.password"),
    ("WEB_SECRET_KEY", "web.secret_key"),
    ("GITHUB_WEBHOOK_SECRET", "github.webhook_secret"),
];

/// The environment variables that hold secrets.
pub const SECRET_ENV: [&str; 8] = [
    "GIT_TOKEN",
    "GITHUB_WEBHOOK_SECRET",
    "WEB_PASSWORD",
    "WEB_SECRET_KEY",
    "LITELLM_API_KEY",
    "MYORG_TRIGGER_TOKEN",
    "MYORG_MCP_TOKEN",
    "DISCORD_BOT_TOKEN",
];

/// The environment variables that hold a comma-separated list, and the key each sets.
pub const LIST_ENV_KEYS: [(&str, &str); 1] = [("MYORG_DISCORD_ALLOWED_USERS", "discord.allowed_users")];

/// The whole configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub store: StoreConfig,
    pub git: GitConfig,
    /// The person using the terminal (author of the commits made from the CLI).
    pub user: UserConfig,
    /// The committer of every commit.
    pub assistant: AssistantConfig,
    /// Waiting-for items.
    pub waiting: WaitingConfig,
    /// working-memory.txt kept small.
    pub memory: MemoryConfig,
    /// The team: `[[people]]` entries.
    pub people: Vec<PersonConfig>,
    /// When and to whom reminders are sent.
    pub reminders: RemindersConfig,
    /// The language models free-form chat uses.
    pub llm: LlmConfig,
    /// The HTTP endpoint of `myorg run` (health, metrics, job triggers, MCP).
    pub http: HttpConfig,
    /// When `myorg run` runs its jobs.
    pub scheduler: SchedulerConfig,
    /// The Discord bot of `myorg run`.
    pub discord: DiscordConfig,
    /// The web dashboard of `myorg run`, on the HTTP endpoint's address.
    pub web: WebConfig,
    /// Where people are (`@phone`, `@computer`…): the team's contexts and how one is
    /// inferred when a person has set none.
    pub contexts: ContextsConfig,
    /// GitHub's pull requests, linked to projects and tasks (`POST /webhooks/github`).
    pub github: GithubConfig,
    /// What the assistant's model may do on its own, tool by tool: `auto`, `confirm`
    /// or `never` (a tool's name, or `add`, `complete`, `edit`, `delete`, `overwrite`,
    /// `undo` for the tools they name).
    pub directives: std::collections::BTreeMap<String, Directive>,
    /// What is stuck (a task overdue, a waiting-for item past its follow-up date) is
    /// nudged to its owner, then posted to the team channel.
    pub escalation: EscalationConfig,
    /// The file the configuration was read from, if any (not a key of it).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// The escalation levels of what is stuck.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EscalationConfig {
    /// Days past a task's due date (or a waiting-for item's follow-up date) before its
    /// owner is nudged in their direct messages; 0: never.
    pub nudge_after_days: u32,
    /// Days after the nudge before it is posted to the team channel, naming the owner;
    /// 0: never (and never for a team of one).
    pub team_after_days: u32,
}

impl Default for EscalationConfig {
    fn default() -> Self {
        EscalationConfig {
            nudge_after_days: 3,
            team_after_days: 4,
        }
    }
}

/// What the model may do with a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Directive {
    /// As the tool is: a change on the model's word, a destructive one confirmed.
    Auto,
    /// Only once the person confirms it.
    Confirm,
    /// Never, whoever asks: the model is told so. A person's own commands still work.
    Never,
}

impl Directive {
    pub fn as_str(self) -> &'static str {
        match self {
            Directive::Auto => "auto",
            Directive::Confirm => "confirm",
            Directive::Never => "never",
        }
    }
}

/// GitHub's webhook: its secret, and what a merged pull request does.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct GithubConfig {
    /// The secret the webhook's deliveries are signed with (`GITHUB_WEBHOOK_SECRET`);
    /// without it every delivery is refused.
    pub webhook_secret: Option<Secret>,
    /// A merged pull request completes the tasks it says it closes (`closes kmbt`).
    pub complete_on_merge: bool,
}

impl Default for GithubConfig {
    fn default() -> Self {
        GithubConfig {
            webhook_secret: None,
            complete_on_merge: true,
        }
    }
}

/// When the jobs run: on their schedules in `myorg run`, or only when triggered.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SchedulerConfig {
    /// `in-process` (`myorg run` keeps the schedules) or `external` (jobs run only
    /// when `POST /trigger/JOB` is called, by Kubernetes CronJobs);
    /// `MYORG_SCHEDULER_MODE`.
    pub mode: SchedulerMode,
    /// The timezone the schedules are read in (an IANA name); default: the store's.
    /// Each person's briefings follow their own timezone.
    pub timezone: Option<String>,
    /// A briefing missed while the assistant was down is sent on start when its time
    /// is at most this many minutes past and still the same local day (0: never).
    pub catch_up_minutes: u64,
    /// Each job's cron expression, five fields (`"0 8 * * *"`) by job name; `""`
    /// leaves a job unscheduled. Jobs not named keep their default.
    pub jobs: BTreeMap<String, String>,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            mode: SchedulerMode::InProcess,
            timezone: None,
            catch_up_minutes: 180,
            jobs: DEFAULT_JOBS
                .iter()
                .map(|(job, cron)| (job.to_string(), cron.to_string()))
                .collect(),
        }
    }
}

/// Each job's default schedule by job name (design §4): what `[scheduler.jobs]`
/// holds when the file names no job. The schedule reads these for every job it knows.
/// `git-sync` is off (`""`): `myorg run` keeps the store in sync by itself, every
/// `store.sync_every_secs`.
pub const DEFAULT_JOBS: [(&str, &str); 8] = [
    ("morning-briefing", "0 8 * * *"),
    ("evening-summary", "0 20 * * *"),
    ("deadline-checker", "0 * * * *"),
    ("event-reminders", "*/5 * * * *"),
    ("waiting-followup", "0 9 * * 1"),
    ("git-sync", ""),
    ("weekly-review", "0 16 * * 5"),
    ("team-digest", "0 9 * * 1"),
];

/// Who keeps the schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SchedulerMode {
    /// `myorg run` runs each job at its time.
    InProcess,
    /// Something outside (Kubernetes CronJobs) calls `POST /trigger/JOB`; nothing is
    /// scheduled in process, so nothing is sent twice.
    External,
}

/// The Discord bot. Ids are strings of digits (TOML integers cannot hold every
/// Discord id). With no allowlist entry, nobody may use the bot.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// The bot token (`DISCORD_BOT_TOKEN`); without it `myorg run` is headless.
    pub token: Option<Secret>,
    /// The team channel (`DISCORD_CHANNEL_ID`): free chat there goes to the assistant,
    /// and messages for a person without a Discord id are posted there.
    pub channel_id: Option<String>,
    /// More channels whose messages go to the assistant.
    pub chat_channels: Vec<String>,
    /// The guild to register the commands in (`DISCORD_GUILD_ID`), which is instant;
    /// without it they are registered globally.
    pub guild_id: Option<String>,
    /// Users who may use the bot (`MYORG_DISCORD_ALLOWED_USERS`, comma-separated).
    pub allowed_users: Vec<String>,
    /// Members with one of these roles may use it.
    pub allowed_roles: Vec<String>,
    /// When set, only in these guilds (and DMs from allowed users).
    pub allowed_guilds: Vec<String>,
    /// When set, only in these channels (and DMs from allowed users).
    pub allowed_channels: Vec<String>,
    /// Another base URL for Discord's REST API and gateway (`MYORG_DISCORD_API_BASE`),
    /// such as `http://127.0.0.1:PORT`. It exists for tests against a fake Discord,
    /// and turns off the client's rate limiter.
    pub api_base: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address and port (`MYORG_HTTP_ADDR`).
    pub listen: String,
    /// The bearer token `POST /trigger/JOB` needs (`MYORG_TRIGGER_TOKEN`); without
    /// one, triggers are refused.
    pub trigger_token: Option<Secret>,
    /// The bearer token of `/mcp` that acts as the configured `[user]`
    /// (`MYORG_MCP_TOKEN`); a `[[people]]` person gets their own with
    /// `myorg mcp token NAME`. With neither, `/mcp` refuses every request.
    pub mcp_token: Option<Secret>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: "0.0.0.0:8080".to_string(),
            trigger_token: None,
            mcp_token: None,
        }
    }
}

/// The web dashboard: who may log in and how long a session lasts.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WebConfig {
    /// The one password that logs in as `[user]` (`WEB_PASSWORD`). People of the
    /// team may have their own, set with `myorg web passwd NAME`.
    pub password: Option<Secret>,
    /// The key session cookies are signed with (`WEB_SECRET_KEY`, at least 32
    /// characters); without one, a random key per start (sessions end at a restart).
    pub secret_key: Option<Secret>,
    /// How long a session lasts, in hours.
    pub session_hours: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            password: None,
            secret_key: None,
            session_hours: 24 * 7,
        }
    }
}

/// The language models: one endpoint from the plain settings (`LITELLM_ENDPOINT`,
/// `LITELLM_API_KEY`, `LITELLM_MODEL`), or a list of providers in tiers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LlmConfig {
    /// An OpenAI-compatible server's base URL (`http://litellm:4000`, with or
    /// without `/v1`); used when `providers` is empty.
    pub endpoint: Option<String>,
    /// Its key (set `LITELLM_API_KEY` rather than writing it here).
    pub api_key: Option<Secret>,
    /// Its model.
    pub model: Option<String>,
    /// Several providers, tried by tier and in this order.
    pub providers: Vec<ProviderConfig>,
    /// At most this many model calls for one request.
    pub max_steps: u32,
    /// At most this many changes (calls of tools that change the store) the model
    /// makes for one request on its own word; the ones past it wait, listed together,
    /// for the person's confirmation.
    pub changes_per_request: usize,
    /// Seconds one model call may take.
    pub call_timeout_secs: u64,
    /// Seconds a whole request may take, tool calls included.
    pub deadline_secs: u64,
    /// Tokens a day for everyone (0: no limit).
    pub daily_tokens: u64,
    /// Money a day for everyone, in the providers' price unit (0: no limit).
    pub daily_cost: f64,
    /// Turns of conversation remembered per channel and person.
    pub memory_turns: usize,
    /// Ask for streamed answers (server-sent events).
    pub stream: bool,
    /// A directory whose `system.md` (and the other prompts) replace the built-in
    /// ones.
    pub prompts_dir: Option<PathBuf>,
}

impl Default for LlmConfig {
    fn default() -> Self {
        LlmConfig {
            endpoint: None,
            api_key: None,
            model: None,
            providers: Vec::new(),
            max_steps: 8,
            changes_per_request: 5,
            call_timeout_secs: 60,
            deadline_secs: 120,
            daily_tokens: 0,
            daily_cost: 0.0,
            memory_turns: 10,
            stream: false,
            prompts_dir: None,
        }
    }
}

/// One OpenAI-compatible provider.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub name: String,
    pub base_url: String,
    /// The environment variable holding its key (none: no key).
    #[serde(default)]
    pub api_key_env: Option<String>,
    pub model: String,
    /// `fast` or `strong`.
    #[serde(default = "default_tier")]
    pub tier: String,
    /// Price per million input tokens.
    #[serde(default)]
    pub input_price: f64,
    /// Price per million output tokens.
    #[serde(default)]
    pub output_price: f64,
}

fn default_tier() -> String {
    "fast".to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RemindersConfig {
    /// Days before a due date to remind at.
    pub deadline_days: Vec<i64>,
    /// Minutes before an event's start.
    pub event_minutes: i64,
    /// Single reminders per person per day; more are folded into one message.
    pub max_per_day: usize,
    /// No reminders between these local times, `HH:MM-HH:MM` (may span midnight);
    /// a person's own `quiet_hours` wins. Empty: none.
    pub quiet_hours: String,
    /// Handles of the people who get unassigned tasks, events and waiting-for items;
    /// empty: the first configured person (or the user when none is).
    pub unassigned_to: Vec<String>,
}

impl Default for RemindersConfig {
    fn default() -> Self {
        RemindersConfig {
            deadline_days: vec![7, 3, 1, 0],
            event_minutes: 30,
            max_per_day: 10,
            quiet_hours: "22:00-07:00".to_string(),
            unassigned_to: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WaitingConfig {
    /// An item without a follow-up date is stale after this many days.
    pub stale_after_days: u32,
}

impl Default for WaitingConfig {
    fn default() -> Self {
        WaitingConfig { stale_after_days: 7 }
    }
}

/// working-memory.txt kept small.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MemoryConfig {
    /// Past this many lines (at least 1), the oldest move to
    /// `notes/working-memory/YYYY-MM.md`, in the commit that adds a line.
    pub max_lines: std::num::NonZeroUsize,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        MemoryConfig {
            max_lines: std::num::NonZeroUsize::new(myorg_domain::memory::DEFAULT_MAX_LINES)
                .unwrap_or(std::num::NonZeroUsize::MIN),
        }
    }
}

/// One person of the team.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonConfig {
    /// Display name and commit author name: "Ana García".
    pub name: String,
    /// The one word used in `owner:` and `who:`; default: the first word of the name,
    /// in lower case.
    #[serde(default)]
    pub handle: Option<String>,
    /// For commit authorship.
    #[serde(default)]
    pub email: Option<String>,
    /// The Discord user id (digits; a string, since TOML integers are too small for
    /// some ids).
    #[serde(default)]
    pub discord_id: Option<String>,
    /// An IANA timezone name; default: the store's.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Their own quiet hours, `HH:MM-HH:MM` (empty: none); default:
    /// `reminders.quiet_hours`.
    #[serde(default)]
    pub quiet_hours: Option<String>,
    /// Their morning briefing's time, `HH:MM` in their timezone; default: the
    /// `morning-briefing` schedule's.
    #[serde(default)]
    pub morning: Option<String>,
    /// Their evening summary's time, `HH:MM` in their timezone; default: the
    /// `evening-summary` schedule's.
    #[serde(default)]
    pub evening: Option<String>,
    /// Their weekly review's time, `HH:MM` in their timezone, on the day of the
    /// `weekly-review` schedule (default: Friday 16:00).
    #[serde(default)]
    pub review: Option<String>,
    /// Their own work hours (`Mon-Thu 08:00-16:00`) in their timezone; default:
    /// `contexts.work_hours`.
    #[serde(default)]
    pub work_hours: Option<String>,
    /// Their own daily limit of single reminders; default: `reminders.max_per_day`.
    #[serde(default)]
    pub max_per_day: Option<usize>,
    /// The kinds of reminder they get, of `deadline`, `overdue`, `event`, `waiting`
    /// and `escalation`; default: all.
    #[serde(default)]
    pub reminders: Option<Vec<String>>,
    /// Where their briefings and reminders go: `dm` (their direct messages, when they
    /// have a `discord_id`) or `team` (the team channel, under their name); default: `dm`.
    #[serde(default)]
    pub deliver: Option<String>,
    /// Their context when no event and no work hours say otherwise (`@home`); default:
    /// `contexts.off_work`.
    #[serde(default)]
    pub context: Option<String>,
}

/// The contexts a team uses and the rules that infer a person's.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ContextsConfig {
    /// The contexts, each `@` and one word.
    pub names: Vec<String>,
    /// Days and hours of work in each person's timezone: `Mon-Fri 09:00-18:00`.
    pub work_hours: String,
    /// The context inside work hours.
    pub at_work: String,
    /// The context outside them.
    pub off_work: String,
    /// How long a context a person sets holds: `end of day` (in their timezone) or
    /// hours or minutes (`4h`, `90m`).
    pub set_for: String,
    /// During an event whose text names one of a rule's words, its context; the first
    /// rule that matches wins.
    pub rules: Vec<ContextRule>,
}

/// During an event naming one of `words`, the context is `context`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextRule {
    pub context: String,
    pub words: Vec<String>,
}

impl Default for ContextsConfig {
    fn default() -> Self {
        let rules = context::Rules::default();
        ContextsConfig {
            names: context::DEFAULT_CONTEXTS.iter().map(|c| c.to_string()).collect(),
            work_hours: rules.work_hours.to_string(),
            at_work: rules.at_work,
            off_work: rules.off_work,
            set_for: "end of day".to_string(),
            rules: rules
                .events
                .into_iter()
                .map(|rule| ContextRule {
                    context: rule.context,
                    words: rule.words,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// The working tree of the store; default `~/.local/share/myorg/store`.
    pub path: Option<PathBuf>,
    /// Journal, lock and sync state; default inside the repository's `.git`.
    pub state_dir: Option<PathBuf>,
    /// Seconds to wait for another process that is writing.
    pub lock_timeout_secs: u64,
    /// The store's timezone (an IANA name such as `Europe/Madrid`): what "today" and
    /// calendar times mean. Default: the system's.
    pub timezone: Option<String>,
    /// A long-running assistant pulls this often (seconds).
    pub sync_every_secs: u64,
    /// It pulls before answering when the last sync is older than this (seconds).
    pub stale_after_secs: u64,
    /// Operations are pushed together this long after the first (milliseconds); 0
    /// pushes each at once. Commands of the `myorg` CLI always push at once.
    pub push_window_ms: u64,
    /// The first retry after a failed push or pull (seconds), doubling up to
    /// `sync_every_secs`.
    pub first_retry_secs: u64,
    /// `myorg run` watches the store's folders (inotify), so each write looks only
    /// at the files that changed rather than at every file of the store.
    pub watch: bool,
    /// A write from the CLI that had to look at every file, in a store of at least
    /// this many tracked files, starts `myorg watch` in the background for the next
    /// writes (0, or `watch = false`: never).
    pub watch_from_files: usize,
    /// That background watcher ends after this many seconds without a write.
    pub watch_idle_secs: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            path: None,
            state_dir: None,
            lock_timeout_secs: 30,
            timezone: None,
            sync_every_secs: 15 * 60,
            stale_after_secs: 5 * 60,
            push_window_ms: 0,
            first_retry_secs: 5,
            watch: true,
            watch_from_files: 5_000,
            watch_idle_secs: 60 * 60,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct GitConfig {
    /// The remote to clone, pull from and push to; none: a local store.
    pub url: Option<String>,
    pub branch: String,
    pub username: Option<String>,
    pub token: Option<Secret>,
    pub ssh_key: Option<PathBuf>,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            url: None,
            branch: "main".to_string(),
            username: None,
            token: None,
            ssh_key: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct UserConfig {
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AssistantConfig {
    pub name: String,
    pub email: String,
}

impl Default for AssistantConfig {
    fn default() -> Self {
        AssistantConfig {
            name: "MyOrg Assistant".to_string(),
            email: "assistant@myorg.invalid".to_string(),
        }
    }
}

/// A secret value: usable, but never shown by `Debug`.
#[derive(Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Config {
    /// Reads the layers and checks them with [`Config::validate`], then with
    /// `also` (what the parts above the configuration make of it: the reminders,
    /// the schedule), every error under the same "in the configuration (…)". `file`
    /// is the `--config` option (else `MYORG_CONFIG`); a file named explicitly must
    /// exist. `crate::validate::load` is the whole check every command makes.
    pub fn load_with(
        file: Option<&Path>,
        also: impl FnOnce(&Config) -> anyhow::Result<()>,
    ) -> anyhow::Result<Config> {
        let (config, where_from) = Config::read(file)?;
        config
            .validate()
            .and_then(|()| also(&config))
            .with_context(|| format!("in the configuration ({where_from})"))?;
        Ok(config)
    }

    /// The layers, unchecked, and where they came from (for errors).
    fn read(file: Option<&Path>) -> anyhow::Result<(Config, String)> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("MYORG_CONFIG").map(PathBuf::from));
        if let Some(file) = &file {
            if !file.is_file() {
                bail!("the configuration file {} does not exist", file.display());
            }
            figment = figment.merge(Toml::file(file));
        }
        for (var, key) in ENV_KEYS {
            if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                figment = figment.merge(Serialized::default(key, value));
            }
        }
        if let Some(listen) = web_address(&figment)? {
            figment = figment.merge(Serialized::default("http.listen", listen));
        }
        for (var, key) in LIST_ENV_KEYS {
            if let Some(value) = std::env::var(var).ok().filter(|v| !v.trim().is_empty()) {
                let items: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_string)
                    .collect();
                figment = figment.merge(Serialized::default(key, items));
            }
        }
        let where_from = file
            .as_ref()
            .map_or_else(|| "the environment".to_string(), |f| f.display().to_string());
        let mut config: Config = figment
            .extract()
            .with_context(|| format!("reading the configuration ({where_from})"))?;
        config.source = file.map(|file| std::path::absolute(&file).unwrap_or(file));
        Ok((config, where_from))
    }

    /// Every secret the configuration holds: the git token, the LLM API keys (the
    /// providers' too, read from their environment variables), the Discord bot token,
    /// the trigger token and the MCP token. Text from outside is cleared of them before it is
    /// printed or logged.
    pub fn secrets(&self) -> Secrets {
        let held = [
            &self.git.token,
            &self.llm.api_key,
            &self.discord.token,
            &self.http.trigger_token,
            &self.http.mcp_token,
            &self.web.password,
            &self.web.secret_key,
        ];
        let providers = self
            .llm
            .providers
            .iter()
            .filter_map(|provider| provider.api_key_env.as_deref())
            .filter_map(|var| std::env::var(var).ok());
        Secrets::new(
            held.into_iter()
                .flatten()
                .map(|secret| secret.0.clone())
                .chain(providers),
        )
    }

    /// The secrets of the configuration `file` (as [`Config::load_with`] finds it, checked
    /// or not) and of the environment's secret variables, for an error that may have
    /// happened before the configuration could be read.
    pub fn secrets_for_errors(file: Option<&Path>) -> Secrets {
        let environment = Secrets::new(SECRET_ENV.iter().filter_map(|var| std::env::var(var).ok()));
        match Config::read(file) {
            Ok((config, _)) => config.secrets().with(&environment),
            Err(_) => environment,
        }
    }

    /// Checks the values this module reads itself: a `GIT_TOKEN` that would cross
    /// the network unencrypted (plain http to another machine), the store's
    /// timezone, the people (handles, Discord ids, timezones). The reminders and the
    /// schedule check their own settings when they are built from these
    /// (`crate::validate` builds them for every command).
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(remote) = self.store_settings().remote {
            remote.check_token()?;
        }
        self.timezone()?;
        self.people()?;
        self.contexts()?;
        if self.store.watch_idle_secs == 0 {
            bail!("[store] watch_idle_secs must be at least 1");
        }
        Ok(())
    }

    /// The team's contexts, checked: each `@` and one word, used once; the rules',
    /// `at_work`'s and `off_work`'s among them; the work hours and `set_for` readable.
    pub fn contexts(&self) -> anyhow::Result<context::Settings> {
        let config = &self.contexts;
        let mut known: Vec<String> = Vec::with_capacity(config.names.len());
        for name in &config.names {
            let name = name.trim();
            let word = name.strip_prefix('@').unwrap_or("");
            if word.is_empty() || word.contains(|c: char| c.is_whitespace() || c == '@') {
                bail!("the context {name:?} in [contexts] names must be @ and one word, such as \"@phone\"");
            }
            if context::known_context(name, &known).is_some() {
                bail!("the context {name:?} is in [contexts] names twice");
            }
            known.push(name.to_string());
        }
        if known.is_empty() {
            bail!("[contexts] names is empty; name at least one context, such as \"@home\"");
        }
        let among = |name: &str, key: &str| -> anyhow::Result<String> {
            context::known_context(name, &known)
                .map(str::to_string)
                .with_context(|| {
                    format!(
                        "[contexts] {key} {name:?} is not one of the names ({})",
                        known.join(", ")
                    )
                })
        };
        let mut events = Vec::with_capacity(config.rules.len());
        for rule in &config.rules {
            let words: Vec<String> = rule
                .words
                .iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect();
            if words.is_empty() {
                bail!("the [[contexts.rules]] entry for {:?} has no words", rule.context);
            }
            events.push(context::Rule {
                context: among(&rule.context, "rules context")?,
                words,
            });
        }
        Ok(context::Settings {
            rules: context::Rules {
                events,
                at_work: among(&config.at_work, "at_work")?,
                off_work: among(&config.off_work, "off_work")?,
                work_hours: context::WorkHours::parse(&config.work_hours)
                    .map_err(|error| anyhow::anyhow!("[contexts] {error}"))?,
            },
            expiry: context::Expiry::parse(&config.set_for)
                .map_err(|error| anyhow::anyhow!("[contexts] set_for: {error}"))?,
            known,
        })
    }

    /// The work hours of the person with `handle`: their own, else the team's.
    pub fn work_hours_of(&self, handle: &str) -> anyhow::Result<context::WorkHours> {
        let people = self.people()?;
        let own = people
            .iter()
            .zip(&self.people)
            .find(|(person, _)| person.handle.eq_ignore_ascii_case(handle))
            .and_then(|(_, entry)| entry.work_hours.as_deref());
        Ok(match own {
            Some(hours) => context::WorkHours::parse(hours)?,
            None => self.contexts()?.rules.work_hours,
        })
    }

    /// Where the assistant keeps its state: `store.state_dir`, else inside the
    /// repository's `.git` (as the store opens it).
    pub fn state_dir(&self) -> PathBuf {
        let settings = self.store_settings();
        settings
            .state_dir
            .unwrap_or_else(|| settings.root.join(".git").join("myorg"))
    }

    /// The store settings these values describe.
    pub fn store_settings(&self) -> StoreSettings {
        let mut settings = StoreSettings::local(self.store.path.clone().unwrap_or_else(default_store_path));
        settings.branch = self.git.branch.clone();
        settings.state_dir = self.store.state_dir.clone();
        settings.lock_timeout = Duration::from_secs(self.store.lock_timeout_secs);
        settings.assistant = Identity {
            name: self.assistant.name.clone(),
            email: self.assistant.email.clone(),
        };
        settings.owner = self.user();
        settings.timezone = self.store_timezone().unwrap_or(chrono_tz::UTC);
        settings.remote = self.git.url.clone().map(|url| RemoteSettings {
            url,
            username: self.git.username.clone(),
            token: self.git.token.clone().map(|secret| secret.0),
            ssh_key: self.git.ssh_key.clone(),
        });
        settings
    }

    /// When a long-running assistant pulls, pushes and retries.
    pub fn sync_policy(&self) -> SyncPolicy {
        SyncPolicy {
            every: Duration::from_secs(self.store.sync_every_secs.max(1)),
            push_window: Duration::from_millis(self.store.push_window_ms),
            first_retry: Duration::from_secs(self.store.first_retry_secs.max(1)),
        }
    }

    /// The store's timezone, the system's when none is configured (UTC when the
    /// system's has no IANA name).
    pub fn store_timezone(&self) -> anyhow::Result<chrono_tz::Tz> {
        Ok(match self.timezone()? {
            Some(zone) => zone,
            None => iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse().ok())
                .unwrap_or(chrono_tz::UTC),
        })
    }

    /// The store's timezone; `None`: the system's.
    pub fn timezone(&self) -> anyhow::Result<Option<chrono_tz::Tz>> {
        self.store
            .timezone
            .as_deref()
            .map(|name| {
                name.parse::<chrono_tz::Tz>().map_err(|_| {
                    anyhow::anyhow!("{name:?} is not a timezone; use an IANA name such as Europe/Madrid")
                })
            })
            .transpose()
    }

    /// How old the last sync may be before a pull comes first.
    pub fn stale_after(&self) -> Duration {
        Duration::from_secs(self.store.stale_after_secs)
    }

    /// The configured people, checked: a handle is one word, a Discord id digits, a
    /// timezone a real one, and no handle is used twice.
    pub fn people(&self) -> anyhow::Result<People> {
        let mut people = Vec::with_capacity(self.people.len());
        for entry in &self.people {
            let name = entry.name.trim();
            if name.is_empty() {
                bail!("a [[people]] entry has no name");
            }
            let handle = match &entry.handle {
                Some(handle) => handle.trim().to_string(),
                None => Person::default_handle(name),
            };
            if handle.is_empty() || handle.contains(|c: char| c.is_whitespace() || c == ':') {
                bail!("the handle {handle:?} of {name} must be one word without a colon");
            }
            if people
                .iter()
                .any(|p: &Person| p.handle.eq_ignore_ascii_case(&handle))
            {
                bail!("two people have the handle {handle:?}; give one of them another `handle`");
            }
            let discord_id = entry
                .discord_id
                .as_deref()
                .map(|id| {
                    id.trim()
                        .parse::<u64>()
                        .with_context(|| format!("the discord_id {id:?} of {name} is not a Discord user id"))
                })
                .transpose()?;
            if let Some(zone) = &entry.timezone {
                zone.parse::<chrono_tz::Tz>()
                    .map_err(|_| anyhow::anyhow!("the timezone {zone:?} of {name} is not an IANA name"))?;
            }
            if let Some(hours) = &entry.work_hours {
                context::WorkHours::parse(hours).map_err(|error| anyhow::anyhow!("{name}'s {error}"))?;
            }
            people.push(Person {
                name: name.to_string(),
                handle,
                email: entry.email.clone(),
                discord_id,
                timezone: entry.timezone.clone(),
            });
        }
        Ok(People::new(people))
    }

    /// The person at the terminal: the configured person with the user's email or
    /// name, else one made from the user's identity.
    pub fn me(&self) -> anyhow::Result<Person> {
        let user = self.user();
        let people = self.people()?;
        let found = people
            .by_email(&user.email)
            .or_else(|| people.iter().find(|p| p.name.eq_ignore_ascii_case(&user.name)))
            .cloned();
        Ok(found.unwrap_or_else(|| Person {
            handle: Person::default_handle(&user.name),
            name: user.name,
            email: Some(user.email),
            discord_id: None,
            timezone: None,
        }))
    }

    /// The person at the terminal: the configured user, else the login name.
    pub fn user(&self) -> Identity {
        let name = self
            .user
            .name
            .clone()
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "me".to_string());
        let email = self
            .user
            .email
            .clone()
            .unwrap_or_else(|| format!("{}@localhost", name.replace(' ', ".")));
        Identity { name, email }
    }
}

/// The address `WEB_HOST` and `WEB_PORT` name, when either is set: the other part
/// comes from `http.listen` as configured so far.
fn web_address(figment: &Figment) -> anyhow::Result<Option<String>> {
    let set = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (host, port) = (set("WEB_HOST"), set("WEB_PORT"));
    if host.is_none() && port.is_none() {
        return Ok(None);
    }
    let listen: String = figment
        .extract_inner("http.listen")
        .unwrap_or_else(|_| HttpConfig::default().listen);
    let (old_host, old_port) = listen.rsplit_once(':').unwrap_or((listen.as_str(), "8080"));
    if let Some(port) = &port {
        port.parse::<u16>()
            .map_err(|_| anyhow::anyhow!("WEB_PORT={port:?} is not a port number"))?;
    }
    let host = host.unwrap_or_else(|| old_host.to_string());
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host
    };
    Ok(Some(format!("{host}:{}", port.as_deref().unwrap_or(old_port))))
}

/// `$XDG_DATA_HOME/myorg/store`, else `~/.local/share/myorg/store`, else `./myorg-store`.
fn default_store_path() -> PathBuf {
    // An empty variable counts as unset (XDG base directory spec).
    let set = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    let data = set("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| set("HOME").map(|home| PathBuf::from(home).join(".local/share")));
    match data {
        Some(data) => data.join("myorg/store"),
        None => PathBuf::from("myorg-store"),
    }
}
