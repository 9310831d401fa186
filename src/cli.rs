//! The command line: argument types (clap) and dispatch to the commands.

use crate::commands;
use crate::config::Config;
use chrono::{NaiveDate, NaiveDateTime};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub mod examples;

/// The command line's definition, with an example for every command
/// ([`examples`]).
pub fn command() -> clap::Command {
    examples::with_examples(<Cli as clap::CommandFactory>::command())
}

/// MyOrg Assistant: your todo.txt, calendar.txt and projects.txt, kept in git.
#[derive(Debug, Parser)]
#[command(name = "myorg", version, about)]
pub struct Cli {
    /// The store's working tree (overrides MYORG_REPO_PATH and the config file).
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// The configuration file (default: MYORG_CONFIG, else none).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Pretend it is this time, `YYYY-MM-DDTHH:MM[:SS]` (for tests and replays).
    #[arg(long, global = true, env = "MYORG_NOW", value_parser = crate::clock::parse, hide_env_values = true)]
    pub now: Option<NaiveDateTime>,
    #[command(subcommand)]
    pub command: Command,
}

/// What `myorg web` does.
#[derive(Debug, Subcommand)]
pub enum WebCommand {
    /// Set NAME's own dashboard password (read twice without echo, or one line of
    /// standard input); it is stored hashed in the state directory.
    Passwd {
        /// A configured person's name or handle (or the configured user).
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse a store file and print one JSON object per input line.
    Parse {
        /// Which grammar to read the file with.
        format: commands::parse::ParseFormat,
        /// The file to read; standard input when absent or `-`.
        file: Option<PathBuf>,
    },
    /// calendar.txt helpers.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Add an event to calendar.txt: a day in words, an optional time, the text
    /// (`tomorrow 14:30-15 dentist`, `"dec 5" 10 haircut`, `fri lunch with Marta`).
    Event {
        /// The day, an optional time and the text; the time is H, HH, H:MM or HH:MM,
        /// optionally with an end (9-10:30).
        #[arg(required = true, num_args = 1.., value_name = "WHEN [TIME] TEXT")]
        words: Vec<String>,
    },
    /// List the events of calendar.txt, by day and time (default: the 7 days from
    /// today).
    Events {
        /// First day (a date or words: "tomorrow", "mon", "dec 1").
        #[arg(long, value_name = "WHEN")]
        from: Option<String>,
        /// Last day, inclusive (default: 6 days after the first).
        #[arg(long, value_name = "WHEN")]
        to: Option<String>,
        /// One JSON object per event: date, weekday, start, end, text, line.
        #[arg(long)]
        json: bool,
    },
    /// Today: your context, the events, the week's goal, overdue tasks and tasks due today.
    Today {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// The coming days: each day's events and the tasks due then.
    Agenda {
        /// How many days, from today (1 to 366).
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// One JSON object per day: date, weekday, week_goal, events, due.
        #[arg(long)]
        json: bool,
    },
    /// Add a task, created today; `(A) text +project @context due:fri` work as in
    /// todo.txt, with dates in words.
    Add {
        /// The task.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// Mark a task done (a recurring one comes back with its next dates).
    ///
    /// Several words that are each a task's reference or line number (`myorg done
    /// kmbt 12 pqrs`) complete those tasks in one commit, all or nothing, unless the
    /// words together are words of one task; other words name one task (`myorg done
    /// buy milk`). More than three tasks at once are asked first.
    Done {
        /// The task's reference, its line number, or some of its words; or several
        /// references and line numbers.
        #[arg(required = true, num_args = 1..)]
        task: Vec<String>,
        /// Do not ask before completing more than three tasks.
        #[arg(long, short)]
        yes: bool,
    },
    /// Change a task: its text, dates, priority, project, context or owner.
    ///
    /// Several tasks (`myorg edit kmbt 12 "buy milk" --due fri`, each a reference, a
    /// line number or quoted words) change in one commit, all or nothing; new text is
    /// for one task. More than three tasks at once are asked first.
    Edit {
        /// The task's reference, its line number, or some of its words (quoted); one
        /// or more.
        #[arg(required = true, num_args = 1..)]
        task: Vec<String>,
        /// The new text (replaces the description; tags in it count); one task only.
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        fields: FieldArgs,
        /// Do not ask before changing more than three tasks.
        #[arg(long, short)]
        yes: bool,
    },
    /// Delete a task (asks first).
    Delete {
        /// The task's reference, its line number, or some of its words.
        #[arg(required = true, num_args = 1..)]
        task: Vec<String>,
        /// Do not ask.
        #[arg(long, short)]
        yes: bool,
    },
    /// List tasks, most urgent first: words to find, `+project`, `@context`, `(A)` or
    /// `(A-C)`, `owner:NAME`.
    Tasks {
        query: Vec<String>,
        /// Done tasks too.
        #[arg(long)]
        done: bool,
        /// Tasks hidden by a future threshold (`t:`) or `h:1` too.
        #[arg(long)]
        hidden: bool,
        /// Only tasks past their due date.
        #[arg(long)]
        overdue: bool,
        /// Due on or before this day (a date or words: "fri", "end of month").
        #[arg(long, value_name = "WHEN")]
        due_before: Option<String>,
        /// Due on or after this day.
        #[arg(long, value_name = "WHEN")]
        due_after: Option<String>,
        /// Only tasks with `owner:NAME`.
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// Only tasks of the configured user, and unassigned ones.
        #[arg(long, conflicts_with = "owner")]
        mine: bool,
        /// At most this many.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// One JSON object per task and line: ref, line, raw, and its parts.
        #[arg(long)]
        json: bool,
    },
    /// Move done tasks from todo.txt to done.txt.
    Archive,
    /// The long-running assistant: the jobs on their schedule (`[scheduler]`), the
    /// HTTP endpoint for health, metrics and job triggers (`MYORG_HTTP_ADDR`,
    /// `MYORG_TRIGGER_TOKEN`) and the web dashboard on the same address, until
    /// SIGTERM or SIGINT. With `--now`, its clock starts
    /// there.
    Run,
    /// The web dashboard `myorg run` serves: `myorg web passwd NAME` sets a person's
    /// own password.
    Web {
        #[command(subcommand)]
        command: WebCommand,
    },
    /// Serve the assistant's tools over the Model Context Protocol on standard input
    /// and output (for Claude Desktop, Claude Code, Cursor…), acting as the configured
    /// user; a deletion, overwrite or undo asks the person through the client first.
    /// (`myorg run` serves the same on /mcp over HTTP, with a bearer token.)
    Mcp {
        #[command(subcommand)]
        command: Option<McpCommand>,
    },
    /// Ask the running assistant to run a job now (what a Kubernetes CronJob runs):
    /// morning-briefing, evening-summary, deadline-checker, event-reminders,
    /// waiting-followup, git-sync.
    Trigger {
        job: String,
        /// The assistant's address (default: `http.listen` on this machine).
        #[arg(long)]
        url: Option<String>,
    },
    /// The terminal assistant: one message a line (`help` lists what it understands).
    Chat {
        /// Answer this one message and exit.
        #[arg(long, value_name = "TEXT")]
        once: Option<String>,
    },
    /// A briefing: `morning` (events, overdue, due today and this week, top
    /// priorities, waiting-for items to chase, goals and projects), `evening` (done
    /// today, still open, tomorrow), `weekly` (the weekly review) or `team` (the team
    /// digest: each person's week, what is blocked, the projects that moved, the
    /// latest figures).
    Briefing {
        #[arg(value_enum)]
        kind: BriefingKind,
        /// The day (a date or words; default today).
        #[arg(long, value_name = "WHEN")]
        date: Option<String>,
        /// Someone else's briefing (a person's name or handle).
        #[arg(long = "for", value_name = "NAME")]
        person: Option<String>,
        /// Everyone's tasks.
        #[arg(long, conflicts_with = "person")]
        everyone: bool,
        /// Only the person's own tasks, not unassigned ones.
        #[arg(long)]
        own: bool,
        /// The briefing as JSON.
        #[arg(long)]
        json: bool,
        /// Have the LLM reword it (every item kept; as built when no LLM answers).
        #[arg(long, conflicts_with = "json")]
        polish: bool,
    },
    /// What to do next: a few of your open tasks (and unassigned ones), most worth
    /// doing first, each with its reason.
    Suggest {
        /// Where you are: only tasks for this context (or none).
        #[arg(long, short, value_name = "CONTEXT")]
        context: Option<String>,
        /// How many minutes you have: tasks with a longer `estimate:` are left out.
        #[arg(long, short, value_name = "N")]
        minutes: Option<u32>,
        /// low or high.
        #[arg(long, short, value_name = "LEVEL")]
        energy: Option<String>,
        /// How many (default 5).
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Everyone's tasks, not only yours and unassigned ones.
        #[arg(long)]
        all: bool,
        /// One JSON object per suggestion.
        #[arg(long)]
        json: bool,
    },
    /// Your context (`@phone`, `@computer`…) and why; `myorg context @phone` sets it
    /// until it expires, `myorg context auto` infers it again.
    Context {
        /// A context to set, or `auto`.
        #[arg(value_name = "CONTEXT|auto")]
        context: Option<String>,
    },
    /// The language models' use per day, person and provider, and today's budget.
    Usage {
        /// The last N days (default 7).
        #[arg(long, default_value_t = 7, value_name = "N")]
        days: u32,
        /// One JSON object per day, person and provider.
        #[arg(long)]
        json: bool,
    },
    /// The agent's tools: name (`*`: needs a person's confirmation), description and
    /// the JSON Schema of the arguments, then an estimate of their size in tokens.
    Tools {
        /// The tool definitions as one JSON array, as the model receives them.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// The tools as a Markdown page for people (`docs/tools.md` is this output).
        #[arg(long)]
        markdown: bool,
    },
    /// What the assistant's model may do on its own with each tool that changes
    /// something, by the team's `[directives]`: auto, confirm or never.
    Directives,
    /// A person's own settings (briefing times, quiet hours, reminders, timezone…),
    /// kept in the store's `.myorg/settings.toml`: shown, or one set (`default` puts
    /// it back).
    Settings {
        /// Whose (a name or handle); default: yours.
        #[arg(long = "for", value_name = "NAME")]
        whom: Option<String>,
        /// The setting: morning, evening, review, quiet_hours, max_per_day, reminders,
        /// deliver, timezone, context, work_hours.
        key: Option<String>,
        /// Its new value, or `default`.
        #[arg(requires = "key")]
        value: Option<String>,
    },
    /// The reminders due now: deadlines, overdue tasks, events soon, waiting-for items
    /// to chase. Without `--dry-run` they count as sent and are not repeated.
    Remind {
        /// Show what would be sent to whom; record nothing.
        #[arg(long)]
        dry_run: bool,
        /// As if it were this time in the store's timezone (YYYY-MM-DDTHH:MM).
        #[arg(long, value_name = "DATETIME", value_parser = crate::clock::parse)]
        at: Option<NaiveDateTime>,
    },
    /// Waiting-for items (`@waiting who:NAME`): what others owe you, the ones to chase
    /// first. `waiting add`, `waiting received`, `waiting followup` change them.
    #[command(args_conflicts_with_subcommands = true)]
    Waiting {
        #[command(subcommand)]
        action: Option<WaitingAction>,
        /// Only items waiting on this person.
        #[arg(long, value_name = "NAME")]
        who: Option<String>,
        /// Only the ones to chase: follow-up date reached, or waiting too long.
        #[arg(long)]
        stale: bool,
        /// Received ones too.
        #[arg(long)]
        done: bool,
        /// One JSON object per item.
        #[arg(long)]
        json: bool,
    },
    /// Start a store in DIR (default: the configured one): empty files (a real
    /// store), the sample files (to try the assistant out), or a folder of your own
    /// files kept in git as they are.
    Init {
        /// The store's files, empty (the default).
        #[arg(long, group = "kind")]
        empty: bool,
        /// The bundled sample store, to try the assistant out.
        #[arg(long, group = "kind")]
        sample: bool,
        /// DIR holds your files: commit them as they are (with a remote that has a
        /// store, on top of its files; a file both have with different content keeps
        /// the remote's version, yours saved beside it).
        #[arg(long, group = "kind")]
        adopt: bool,
        /// Where (default: `--store` or the configured store path).
        dir: Option<PathBuf>,
    },
    /// Undo a change with a new commit that reverts it (default: the newest change
    /// the assistant made).
    Undo {
        /// The commit to undo (a hash or a prefix of one).
        commit: Option<String>,
        /// Undo it even if the assistant did not make it (a hand edit).
        #[arg(long)]
        force: bool,
    },
    /// The changes to the store, newest first: all, or those touching a file or a task.
    History {
        /// A store file (like calendar.txt), or a task: a line number of todo.txt or
        /// some of its words.
        target: Vec<String>,
        /// How many commits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Show the store: where it is, what is not pushed yet, the last sync and its
    /// error, and the changes that could not be applied.
    Status {
        /// Forget the changes not applied once shown: you have seen to them.
        #[arg(long)]
        ack: bool,
    },
    /// Pull the remote's changes, replay local ones on top, push.
    Sync,
    /// Watch the store's folders until stopped, so that each write by a myorg
    /// command looks only at the files that changed, not at every file of a large
    /// store (`myorg run` does this too). It ends by itself when the store's folder
    /// or its socket is gone; a write command on a store of many files starts one
    /// with `--idle` when nobody watches (`[store] watch_from_files`).
    Watch {
        /// End after this many seconds in which no write asked.
        #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
        idle: Option<u64>,
    },
    /// Projects (or goals) by status, with their progress.
    ///
    /// Progress is done/total of the tasks tagged +SLUG in todo.txt and done.txt; a
    /// goal counts its own tasks and those of the projects whose `goal:` names it.
    Projects {
        /// Only projects with this status (default: all but done).
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Every status, done included.
        #[arg(long, conflicts_with = "status")]
        all: bool,
        /// Goals (goals.txt) instead of projects.
        #[arg(long)]
        goals: bool,
        /// One JSON object per project and line.
        #[arg(long)]
        json: bool,
    },
    /// A quarter's goals with their progress, projects and the telos.md section each
    /// serves; `myorg goals report`: what moved each goal this week against last week.
    #[command(args_conflicts_with_subcommands = true)]
    Goals {
        #[command(subcommand)]
        action: Option<GoalsAction>,
        /// 2026Q4, current (the default), next, previous or all.
        #[arg(long, value_name = "QUARTER")]
        quarter: Option<String>,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// One project or goal: show it, change its status, log an update or a link, or
    /// add one.
    ///
    /// `myorg project SLUG` shows it (its line, progress, open tasks, recent log);
    /// `myorg project SLUG status|update|link …` changes it; `myorg project new SLUG
    /// TEXT` adds one. A project named like an action (`new`, `status`) is written
    /// `+SLUG`.
    Project(ProjectArgs),
    /// The latest figures of kpi.txt (mrr, arr, users…), each with its change since
    /// the reading before; `myorg kpi add KEY=VALUE…` adds a reading.
    #[command(args_conflicts_with_subcommands = true)]
    Kpi {
        #[command(subcommand)]
        action: Option<KpiAction>,
        /// One JSON object per figure: key, value, date, line, previous, change, percent.
        #[arg(long)]
        json: bool,
    },
    /// Add a note to log.txt (`YYYY-MM-DD HH:MM NAME: text`), or to
    /// working-memory.txt with --memory.
    Note {
        /// The note.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// About this project or goal (adds +SLUG).
        #[arg(long, value_name = "SLUG")]
        project: Option<String>,
        /// About this task (its reference, line number or words; adds its words).
        #[arg(long, value_name = "TASK")]
        task: Option<String>,
        /// Append to working-memory.txt instead of log.txt.
        #[arg(long)]
        memory: bool,
    },
    /// Remember a decision or a fact: a dated line in working-memory.txt
    /// (`YYYY-MM-DD HH:MM NAME: text`); past `[memory] max_lines` the oldest lines move
    /// to notes/working-memory/YYYY-MM.md.
    Remember {
        /// The decision or fact.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// The weekly review, one step at a time: archive the done tasks, sort the inbox,
    /// a next action for each project, chase the waiting-for items, the overdue tasks,
    /// the goals, a closing note. Type an answer at each step; `q` leaves it where it
    /// is for next time.
    Review {
        /// Start this week's review again from its first step.
        #[arg(long)]
        restart: bool,
    },
}

/// A project's status on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Planning,
    Active,
    Blocked,
    Someday,
    Done,
}

impl StatusArg {
    fn status(self) -> myorg_parsers::ProjectStatus {
        use myorg_parsers::ProjectStatus;
        match self {
            StatusArg::Planning => ProjectStatus::Planning,
            StatusArg::Active => ProjectStatus::Active,
            StatusArg::Blocked => ProjectStatus::Blocked,
            StatusArg::Someday => ProjectStatus::Someday,
            StatusArg::Done => ProjectStatus::Done,
        }
    }
}

/// `myorg project SLUG [ACTION]` or `myorg project new …`.
#[derive(Debug, clap::Args)]
#[command(subcommand_negates_reqs = true)]
pub struct ProjectArgs {
    /// The project or goal (`kitchen` or `+kitchen`).
    #[arg(required = true, value_name = "SLUG")]
    pub slug: Option<String>,
    /// Show it as one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub action: Option<ProjectAction>,
}

#[derive(Debug, Subcommand)]
pub enum ProjectAction {
    /// Set its status (done also marks the line `x DATE`).
    Status { status: StatusArg },
    /// Add an update to log.txt, tagged +SLUG.
    Update {
        /// What happened.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Add a link (a pull request, a document) to log.txt, tagged +SLUG.
    Link {
        /// The address (`https://…`, `mailto:…`).
        url: String,
        /// Words before the link.
        text: Vec<String>,
    },
    /// Add a project to projects.txt (or a goal to goals.txt with --as-goal).
    New {
        /// Its name: letters and digits joined by - _ or . (like kitchen or q4-report).
        slug: String,
        /// What it is (tags in it count).
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Its status (default: active).
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Sets `owner:NAME`.
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// The due date: a date or words ("end of month", "dec 15").
        #[arg(long, value_name = "WHEN")]
        due: Option<String>,
        /// The goal it serves (`goal:SLUG`, a goal of goals.txt).
        #[arg(long, value_name = "SLUG", conflicts_with = "as_goal")]
        goal: Option<String>,
        /// Sets `area:AREA` (work, home…).
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
        /// A goal, in goals.txt.
        #[arg(long)]
        as_goal: bool,
        /// The quarter of a goal, like 2026Q4.
        #[arg(long, value_name = "YYYYQN", requires = "as_goal")]
        quarter: Option<String>,
    },
}

/// What `myorg goals` does besides listing.
#[derive(Debug, Subcommand)]
pub enum GoalsAction {
    /// Per open goal, the tasks done this week (Monday to Sunday) against last week;
    /// goals nothing moved for two weeks flagged.
    Report {
        /// A day of the week to report (a date or words; default today).
        #[arg(long, value_name = "WHEN")]
        week: Option<String>,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// Changes to kpi.txt.
#[derive(Debug, Subcommand)]
pub enum KpiAction {
    /// Add a reading: `myorg kpi add mrr=1200 arr=14400 users=53` (lowercase keys,
    /// decimal numbers).
    Add {
        /// The figures, KEY=VALUE.
        #[arg(required = true, num_args = 1.., value_name = "KEY=VALUE")]
        figures: Vec<String>,
        /// The day of the reading (a date or words; default today).
        #[arg(long, value_name = "WHEN")]
        date: Option<String>,
    },
    /// Draw a line chart of one figure over time as a PNG file: `myorg kpi chart mrr
    /// --since "3 months ago" --out mrr.png`.
    Chart {
        /// The figure's key, like mrr.
        key: String,
        /// Only readings on or after this day (a date or words; default all).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// The PNG file to write.
        #[arg(long, value_name = "FILE.png")]
        out: std::path::PathBuf,
        /// Width in pixels (200–4000, default 800).
        #[arg(long, value_name = "W")]
        width: Option<u32>,
        /// Height in pixels (150–4000, default 400).
        #[arg(long, value_name = "H")]
        height: Option<u32>,
    },
}

/// Changes to waiting-for items.
#[derive(Debug, Subcommand)]
pub enum WaitingAction {
    /// Start waiting on WHO for WHAT (`+project` and tags allowed in WHAT).
    Add {
        /// Whom you wait on: a name or handle (one word in `who:`).
        who: String,
        /// What you wait for.
        #[arg(required = true, num_args = 1..)]
        what: Vec<String>,
        /// When to chase it (a date or words: "fri", "in 2 weeks").
        #[arg(long, value_name = "WHEN")]
        followup: Option<String>,
    },
    /// It arrived: the item is done.
    Received {
        /// The item's reference, line number or words.
        #[arg(required = true, num_args = 1..)]
        item: Vec<String>,
    },
    /// Set when to chase an item (`none` removes the date).
    Followup {
        /// The item's reference, line number or words.
        item: String,
        /// A date or words.
        #[arg(required = true, num_args = 1..)]
        when: Vec<String>,
    },
}

/// What `add` and `edit` may set besides the text. `none` clears a value (edit).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FieldArgs {
    /// The due date: a date or words ("tomorrow", "fri", "in 2 weeks", "dec 5").
    #[arg(long, value_name = "WHEN")]
    pub due: Option<String>,
    /// Hidden until this day (`t:`).
    #[arg(long, short = 't', value_name = "WHEN")]
    pub threshold: Option<String>,
    /// A to Z.
    #[arg(long, short, value_name = "X")]
    pub priority: Option<String>,
    /// Adds `+PROJECT`.
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// Adds `@CONTEXT`.
    #[arg(long, short, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// Sets `owner:NAME`.
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

impl FieldArgs {
    fn fields(&self) -> commands::tasks::Fields {
        commands::tasks::Fields {
            due: self.due.clone(),
            threshold: self.threshold.clone(),
            priority: self.priority.clone(),
            project: self.project.clone(),
            context: self.context.clone(),
            owner: self.owner.clone(),
        }
    }
}

/// The briefings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BriefingKind {
    Morning,
    Evening,
    Weekly,
    /// The team digest: each person's week, what is blocked, the projects, the figures.
    Team,
}

impl BriefingKind {
    /// The briefing's kind; `None` for the team digest, which is no one's briefing.
    fn of_a_person(self) -> Option<myorg_domain::briefing::Kind> {
        match self {
            BriefingKind::Morning => Some(myorg_domain::briefing::Kind::Morning),
            BriefingKind::Evening => Some(myorg_domain::briefing::Kind::Evening),
            BriefingKind::Weekly => Some(myorg_domain::briefing::Kind::Weekly),
            BriefingKind::Team => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum McpCommand {
    /// Make a new bearer token for /mcp acting as a `[[people]]` person (a handle or
    /// name), print it once, and keep only its SHA-256 in the state directory; the
    /// person's previous token stops working.
    Token { person: String },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print the header (`YYYY-MM-DD wWW Aaa`) of every day in a range, inclusive.
    Days {
        /// First day, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        from: NaiveDate,
        /// Last day, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        to: NaiveDate,
    },
}

fn date_arg(text: &str) -> Result<NaiveDate, String> {
    myorg_parsers::date::parse_date(text)
        .ok_or_else(|| format!("{text:?} is not a date (expected YYYY-MM-DD)"))
}

impl Command {
    /// Whether the command only reads the working tree (or prints without a store):
    /// it never needs git, so starting libgit2 (and OpenSSL under it, a few
    /// milliseconds) is skipped. Should the store not exist yet, opening it starts
    /// libgit2 as usual.
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            Command::Parse { .. }
                | Command::Calendar(_)
                | Command::Events { .. }
                | Command::Today { .. }
                | Command::Agenda { .. }
                | Command::Tasks { .. }
                | Command::Projects { .. }
                | Command::Goals { .. }
                | Command::Kpi {
                    action: None | Some(KpiAction::Chart { .. }),
                    ..
                }
                | Command::Suggest { .. }
                | Command::Briefing { polish: false, .. }
        )
    }
}

/// Runs one command to completion.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let config = || -> anyhow::Result<Config> {
        let mut config = crate::validate::load(cli.config.as_deref())?;
        if let Some(store) = &cli.store {
            config.store.path = Some(store.clone());
        }
        crate::logs::keep_out(&config.secrets());
        // The people's own settings, kept in the store, over the configuration.
        let root = crate::app::WorkingTree(config.store_settings().root);
        Ok(crate::app::settings::settled_or_warn(&config, &root))
    };
    // The time, in the store's timezone.
    let now = |config: &Config| -> anyhow::Result<NaiveDateTime> {
        Ok(crate::clock::now(cli.now, config.timezone()?))
    };
    match &cli.command {
        Command::Parse { format, file } => commands::parse::run(*format, file.as_deref()),
        Command::Calendar(CalendarCommand::Days { from, to }) => commands::calendar::days(*from, *to),
        Command::Event { words } => {
            let config = config()?;
            commands::calendar::event(&config, now(&config)?, words)
        }
        Command::Events { from, to, json } => {
            let config = config()?;
            commands::calendar::events(&config, now(&config)?, from.as_deref(), to.as_deref(), *json)
        }
        Command::Today { json } => {
            let config = config()?;
            commands::agenda::today(&config, now(&config)?, *json)
        }
        Command::Agenda { days, json } => {
            let config = config()?;
            commands::agenda::agenda(&config, now(&config)?, *days, *json)
        }
        Command::Add { text, fields } => {
            let config = config()?;
            commands::tasks::add(&config, now(&config)?, &text.join(" "), &fields.fields())
        }
        Command::Done { task, yes } => {
            let config = config()?;
            commands::tasks::done(&config, now(&config)?, task, *yes)
        }
        Command::Edit {
            task,
            text,
            fields,
            yes,
        } => {
            let config = config()?;
            let fields = fields.fields();
            commands::tasks::edit(&config, now(&config)?, task, text.as_deref(), &fields, *yes)
        }
        Command::Delete { task, yes } => {
            let config = config()?;
            commands::tasks::delete(&config, now(&config)?, &task.join(" "), *yes)
        }
        Command::Tasks {
            query,
            done,
            hidden,
            overdue,
            due_before,
            due_after,
            owner,
            mine,
            limit,
            json,
        } => {
            let config = config()?;
            let listing = commands::tasks::Listing {
                query: query.clone(),
                done: *done,
                hidden: *hidden,
                overdue: *overdue,
                due_before: due_before.clone(),
                due_after: due_after.clone(),
                owner: owner.clone(),
                mine: *mine,
                limit: *limit,
                json: *json,
            };
            commands::tasks::list(&config, now(&config)?, &listing)
        }
        Command::Archive => {
            let config = config()?;
            commands::tasks::archive(&config, now(&config)?)
        }
        Command::Run => crate::server::run(&config()?, cli.now),
        Command::Mcp { command: None } => crate::mcp::run(&config()?, cli.now),
        Command::Mcp {
            command: Some(McpCommand::Token { person }),
        } => commands::mcp::token(&config()?, person),
        Command::Web {
            command: WebCommand::Passwd { name },
        } => commands::web::passwd(&config()?, name),
        Command::Trigger { job, url } => crate::server::trigger(&config()?, job, url.as_deref()),
        Command::Chat { once } => {
            let config = config()?;
            match once {
                Some(message) => commands::chat::once(&config, now(&config)?, message),
                None => commands::chat::repl(&config, || now(&config)),
            }
        }
        Command::Briefing {
            kind,
            date,
            person,
            everyone,
            own,
            json,
            polish,
        } => {
            let config = config()?;
            let Some(kind) = kind.of_a_person() else {
                if person.is_some() || *everyone || *own || *polish {
                    anyhow::bail!("the team digest is everyone's: it takes --date and --json only");
                }
                return commands::briefing::team(&config, now(&config)?, date.as_deref(), *json);
            };
            let asked = commands::briefing::asked(kind, date.as_deref(), person.as_deref(), *everyone, *own);
            commands::briefing::run(&config, now(&config)?, &asked, *json, *polish)
        }
        Command::Suggest {
            context,
            minutes,
            energy,
            limit,
            all,
            json,
        } => {
            let config = config()?;
            let asked = commands::suggest::Asked {
                context: context.clone(),
                minutes: *minutes,
                energy: energy.clone(),
                limit: *limit,
                everyone: *all,
                json: *json,
            };
            commands::suggest::run(&config, now(&config)?, &asked)
        }
        Command::Context { context } => {
            let config = config()?;
            commands::context::run(&config, now(&config)?, context.as_deref())
        }
        Command::Usage { days, json } => {
            let config = config()?;
            commands::usage::run(&config, now(&config)?, *days, *json)
        }
        Command::Tools { markdown: true, .. } => {
            commands::tools_doc::print();
            Ok(())
        }
        Command::Tools { json, .. } => {
            let config = config()?;
            commands::tools::run(&config, now(&config)?, *json)
        }
        Command::Directives => commands::tools::directives(&config()?),
        Command::Settings { whom, key, value } => {
            let config = config()?;
            commands::settings::run(
                &config,
                now(&config)?,
                whom.as_deref(),
                key.as_deref(),
                value.as_deref(),
            )
        }
        Command::Remind { dry_run, at } => {
            let config = config()?;
            let at = match at {
                Some(at) => *at,
                None => now(&config)?,
            };
            commands::remind::run(&config, at, *dry_run)
        }
        Command::Waiting {
            action,
            who,
            stale,
            done,
            json,
        } => {
            let config = config()?;
            let now = now(&config)?;
            match action {
                None => {
                    let listing = commands::waiting::Listing {
                        who: who.clone(),
                        stale: *stale,
                        done: *done,
                        json: *json,
                    };
                    commands::waiting::list(&config, now, &listing)
                }
                Some(WaitingAction::Add { who, what, followup }) => {
                    commands::waiting::add(&config, now, who, &what.join(" "), followup.as_deref())
                }
                Some(WaitingAction::Received { item }) => {
                    commands::waiting::received(&config, now, &item.join(" "))
                }
                Some(WaitingAction::Followup { item, when }) => {
                    commands::waiting::reschedule(&config, now, item, &when.join(" "))
                }
            }
        }
        Command::Init {
            empty: _,
            sample,
            adopt,
            dir,
        } => {
            let mut config = config()?;
            if let Some(dir) = dir {
                config.store.path = Some(dir.clone());
            }
            let start = match (*sample, *adopt) {
                (_, true) => commands::store::Init::Adopt,
                (true, _) => commands::store::Init::Sample,
                _ => commands::store::Init::Empty,
            };
            commands::store::init(&config, start)
        }
        Command::Undo { commit, force } => {
            let config = config()?;
            commands::store::undo(&config, now(&config)?, commit.as_deref(), *force)
        }
        Command::History { target, limit } => {
            let config = config()?;
            commands::store::history(&config, now(&config)?, &target.join(" "), *limit)
        }
        Command::Status { ack } => {
            let config = config()?;
            commands::store::status(&config, now(&config)?, *ack)
        }
        Command::Sync => {
            let config = config()?;
            commands::store::sync(&config, now(&config)?)
        }
        Command::Watch { idle } => {
            crate::server::watch::watch(&config()?, idle.map(std::time::Duration::from_secs))
        }
        Command::Projects {
            status,
            all,
            goals,
            json,
        } => {
            let listing = commands::projects::Listing {
                status: status.map(StatusArg::status),
                all: *all,
                goals: *goals,
                json: *json,
            };
            let config = config()?;
            commands::projects::list(&config, now(&config)?, &listing)
        }
        Command::Goals {
            action,
            quarter,
            json,
        } => {
            let config = config()?;
            match action {
                None => commands::goals::list(&config, now(&config)?, quarter.as_deref(), *json),
                Some(GoalsAction::Report { week, json }) => {
                    commands::goals::report(&config, now(&config)?, week.as_deref(), *json)
                }
            }
        }
        Command::Project(args) => {
            let config = config()?;
            project(&config, now(&config)?, args)
        }
        Command::Kpi { action, json } => {
            let config = config()?;
            match action {
                None => commands::kpi::show(&config, now(&config)?, *json),
                Some(KpiAction::Add { figures, date }) => {
                    commands::kpi::add(&config, now(&config)?, figures, date.as_deref())
                }
                Some(KpiAction::Chart {
                    key,
                    since,
                    out,
                    width,
                    height,
                }) => {
                    let size = (*width, *height);
                    commands::kpi::chart(&config, now(&config)?, key, since.as_deref(), out, size)
                }
            }
        }
        Command::Note {
            text,
            project,
            task,
            memory,
        } => {
            let config = config()?;
            let about = commands::notes::About {
                project: project.clone(),
                task: task.clone(),
                memory: *memory,
            };
            commands::notes::note(&config, now(&config)?, &text.join(" "), &about)
        }
        Command::Remember { text } => {
            let config = config()?;
            commands::memory::remember(&config, now(&config)?, &text.join(" "))
        }
        Command::Review { restart } => {
            let config = config()?;
            commands::review::run(&config, now(&config)?, *restart)
        }
    }
}

/// `myorg project …`: show, change or add.
fn project(config: &Config, now: NaiveDateTime, args: &ProjectArgs) -> anyhow::Result<()> {
    use commands::projects;
    let slug = args.slug.as_deref();
    match (&args.action, slug) {
        (None, Some(slug)) => projects::show(config, now, slug, args.json),
        (None, None) => anyhow::bail!("say which project: myorg project SLUG"),
        (
            Some(ProjectAction::New {
                slug: new_slug,
                text,
                status,
                owner,
                due,
                goal,
                area,
                as_goal,
                quarter,
            }),
            None,
        ) => {
            let fields = projects::NewFields {
                status: status.map(StatusArg::status),
                owner: owner.clone(),
                due: due.clone(),
                goal: goal.clone(),
                area: area.clone(),
                as_goal: *as_goal,
                quarter: quarter.clone(),
            };
            projects::new(config, now, new_slug, &text.join(" "), &fields)
        }
        (Some(ProjectAction::New { .. }), Some(slug)) => {
            anyhow::bail!("to add a project: myorg project new SLUG TEXT (not after {slug:?})")
        }
        (Some(_), None) => anyhow::bail!("say which project first: myorg project SLUG status|update|link …"),
        (Some(ProjectAction::Status { status }), Some(slug)) => {
            projects::set_status(config, now, slug, status.status())
        }
        (Some(ProjectAction::Update { text }), Some(slug)) => {
            projects::update(config, now, slug, &text.join(" "))
        }
        (Some(ProjectAction::Link { url, text }), Some(slug)) => {
            projects::link(config, now, slug, url, &text.join(" "))
        }
    }
}
