//! The settings on a new sample store, for a team of Ana and Ben.

use super::*;
use crate::app::sample::with_config;
use crate::config::Config;
use crate::store::Store;

fn team() -> Config {
    let mut config = Config {
        people: ["Ana García", "Ben Okafor"]
            .into_iter()
            .map(|name| PersonConfig {
                name: name.into(),
                ..PersonConfig::default()
            })
            .collect(),
        ..Config::default()
    };
    config.people[1].morning = Some("09:00".into());
    config
}

fn commits(store: &Store) -> usize {
    store.history(&[], None, 1000).unwrap().len()
}

#[test]
fn a_setting_is_one_commit_kept_with_the_comments_and_applied_over_the_configuration() {
    let config = team();
    with_config(&config, |ctx| {
        let before = commits(ctx.store);
        let changed = set(ctx, None, "morning", "07:15").unwrap();
        assert_eq!(changed.said(), "ana's morning is now 07:15.");
        assert_eq!(commits(ctx.store), before + 1);
        // A hand edit: a comment and Ben's quiet hours.
        let text = String::from_utf8(ctx.store.read(FILE).unwrap()).unwrap();
        let edited = format!(
            "{text}\n# Ben sleeps late.\n[people.ben]\nquiet_hours = \"23:00-09:00\" # weekdays too\n"
        );
        std::fs::write(ctx.store.root().join(FILE), &edited).unwrap();
        set(ctx, Some("Ben"), "reminders", "deadline, event").unwrap();
        set(ctx, Some("ben"), "deliver", "team").unwrap();
        let text = String::from_utf8(ctx.store.read(FILE).unwrap()).unwrap();
        assert!(
            text.contains("# Ben sleeps late.\n[people.ben]\nquiet_hours = \"23:00-09:00\" # weekdays too\n"),
            "{text}"
        );
        assert!(text.contains("reminders = [\"deadline\", \"event\"]"), "{text}");
        assert!(text.starts_with("# Each person's own settings"), "{text}");

        let settled = apply(ctx.config, &read(ctx.store).unwrap());
        assert_eq!(settled.people[0].morning.as_deref(), Some("07:15"));
        assert_eq!(settled.people[1].morning.as_deref(), Some("09:00"));
        assert_eq!(settled.people[1].quiet_hours.as_deref(), Some("23:00-09:00"));
        assert_eq!(settled.people[1].deliver.as_deref(), Some("team"));
        let shown = show(&ctx.look(), Some("ben")).unwrap();
        let lines = shown.lines().join("\n");
        assert!(lines.contains("morning      09:00 (myorg.toml)"), "{lines}");
        assert!(
            lines.contains("reminders    deadline, event (settings.toml)"),
            "{lines}"
        );
        assert!(lines.contains("max_per_day  10 (default)"), "{lines}");

        // Back to the default: the key goes, the rest stays.
        let changed = set(ctx, Some("ben"), "deliver", "default").unwrap();
        assert_eq!(changed.said(), "ben's deliver is back to the default.");
        let text = String::from_utf8(ctx.store.read(FILE).unwrap()).unwrap();
        assert!(!text.contains("deliver"), "{text}");
        assert!(text.contains("# weekdays too"), "{text}");
    });
}

#[test]
fn bad_settings_are_refused_and_change_nothing() {
    let config = team();
    with_config(&config, |ctx| {
        set(ctx, None, "morning", "07:15").unwrap();
        let before = (ctx.store.read(FILE).unwrap(), commits(ctx.store));
        let refused = [
            (None, "lunch", "12:00", "there is no setting \"lunch\""),
            (
                None,
                "morning",
                "25:00",
                "morning: \"25:00\" is not a time of day",
            ),
            (None, "quiet_hours", "22-07", "is not a range of hours"),
            (None, "max_per_day", "many", "is not a number"),
            (
                None,
                "reminders",
                "deadline, gossip",
                "\"gossip\" is no kind of reminder",
            ),
            (None, "deliver", "email", "neither `dm` nor `team`"),
            (None, "timezone", "Mars/Olympus", "is not an IANA timezone"),
            (None, "context", "home", "is not a context"),
            (None, "work_hours", "whenever", ""),
            (
                Some("zoe"),
                "morning",
                "07:00",
                "no one called \"zoe\"; the people: ana, ben",
            ),
            (None, "morning", "07:15", "ana's morning is already 07:15"),
            (None, "evening", "default", "not set; it is the default already"),
        ];
        for (whom, key, value, why) in refused {
            let error = set(ctx, whom, key, value).unwrap_err().to_string();
            assert!(error.contains(why), "{key} {value}: {error}");
        }
        assert_eq!((ctx.store.read(FILE).unwrap(), commits(ctx.store)), before);
    });
}

#[test]
fn a_file_broken_by_hand_is_named_and_left_aside() {
    let mut config = team();
    config.directives.insert("delete_task".into(), Directive::Never);
    with_config(&config, |ctx| {
        let path = ctx.store.root().join(FILE);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "[people.ana]\nmorning = \"7am\"\n").unwrap();
        let (config, problem) = settled(ctx.config, ctx.store);
        assert_eq!(config.people[0].morning, None);
        let problem = problem.unwrap();
        assert!(
            problem.contains("[people.ana]: morning: \"7am\" is not a time of day"),
            "{problem}"
        );
        let error = set(ctx, None, "evening", "18:00").unwrap_err().to_string();
        assert!(error.contains("fix it by hand first"), "{error}");

        std::fs::write(&path, "[people.ana]\nbedtime = \"22:00\"\n").unwrap();
        let problem = settled(ctx.config, ctx.store).1.unwrap();
        assert!(problem.contains("bedtime"), "{problem}");

        // The team's directives: the configuration's `never` holds against the file's
        // `auto`; a key only the file names is taken.
        std::fs::write(
            &path,
            "[team.directives]\ndelete_task = \"auto\"\nadd = \"confirm\"\n",
        )
        .unwrap();
        let (config, problem) = settled(ctx.config, ctx.store);
        assert_eq!(problem, None);
        assert_eq!(config.directives["delete_task"], Directive::Never);
        assert_eq!(config.directives["add"], Directive::Confirm);
    });
}
