//! Who may use the bot, decided from plain ids against the `[discord]` allowlists:
//! a user on `allowed_users`, or a member with a role on `allowed_roles`; when
//! `allowed_guilds` or `allowed_channels` are set, only there (a direct message from
//! an allowed user is always fine). With no user and no role listed, nobody may.

use crate::config::DiscordConfig;
use anyhow::Context;
use std::collections::HashSet;
use std::fmt;

/// The allowlists, as ids.
#[derive(Debug, Clone, Default)]
pub struct Access {
    users: HashSet<u64>,
    roles: HashSet<u64>,
    guilds: HashSet<u64>,
    channels: HashSet<u64>,
}

/// Where a request comes from.
#[derive(Debug, Clone, Default)]
pub struct Who {
    pub user: u64,
    /// The member's roles (none in a direct message).
    pub roles: Vec<u64>,
    /// `None` in a direct message.
    pub guild: Option<u64>,
    pub channel: u64,
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nobody is on the allowlists.
    NobodyAllowed,
    /// This person is not.
    NotAllowed,
    /// Not in this guild.
    Guild,
    /// Not in this channel.
    Channel,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::NobodyAllowed => {
                "Sorry, this assistant has no allowed users yet, so it answers nobody. Whoever runs it can add you to `discord.allowed_users`."
            }
            Refusal::NotAllowed => {
                "Sorry, you are not on this assistant's list of users, so I can't do that. Whoever runs it can add you."
            }
            Refusal::Guild => "Sorry, I don't answer in this server.",
            Refusal::Channel => "Sorry, I don't answer in this channel; try the team channel or a direct message.",
        })
    }
}

/// Reads one list of ids, naming the setting of a bad one.
fn ids(values: &[String], setting: &str) -> anyhow::Result<HashSet<u64>> {
    values
        .iter()
        .map(|value| {
            value
                .trim()
                .parse::<u64>()
                .with_context(|| format!("discord.{setting}: {value:?} is not a Discord id (digits)"))
        })
        .collect()
}

impl Access {
    /// The allowlists of `config`; an id that is not digits is an error.
    pub fn from_config(config: &DiscordConfig) -> anyhow::Result<Access> {
        Ok(Access {
            users: ids(&config.allowed_users, "allowed_users")?,
            roles: ids(&config.allowed_roles, "allowed_roles")?,
            guilds: ids(&config.allowed_guilds, "allowed_guilds")?,
            channels: ids(&config.allowed_channels, "allowed_channels")?,
        })
    }

    /// Whether nobody at all may use the bot.
    pub fn allows_nobody(&self) -> bool {
        self.users.is_empty() && self.roles.is_empty()
    }

    /// Whether `who` may use the bot, or why not.
    pub fn check(&self, who: &Who) -> Result<(), Refusal> {
        if self.allows_nobody() {
            return Err(Refusal::NobodyAllowed);
        }
        let in_guild = who.guild.is_some();
        let person = self.users.contains(&who.user)
            || (in_guild && who.roles.iter().any(|role| self.roles.contains(role)));
        if !person {
            return Err(Refusal::NotAllowed);
        }
        if let Some(guild) = who.guild {
            if !self.guilds.is_empty() && !self.guilds.contains(&guild) {
                return Err(Refusal::Guild);
            }
            if !self.channels.is_empty() && !self.channels.contains(&who.channel) {
                return Err(Refusal::Channel);
            }
        }
        Ok(())
    }

    /// A line for the log: who is allowed.
    pub fn describe(&self) -> String {
        format!(
            "{} users, {} roles{}{}",
            self.users.len(),
            self.roles.len(),
            if self.guilds.is_empty() {
                String::new()
            } else {
                format!(", in {} guilds", self.guilds.len())
            },
            if self.channels.is_empty() {
                String::new()
            } else {
                format!(", in {} channels", self.channels.len())
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(users: &[&str], roles: &[&str], guilds: &[&str], channels: &[&str]) -> Access {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        Access::from_config(&DiscordConfig {
            allowed_users: list(users),
            allowed_roles: list(roles),
            allowed_guilds: list(guilds),
            allowed_channels: list(channels),
            ..DiscordConfig::default()
        })
        .unwrap()
    }

    fn who(user: u64, roles: &[u64], guild: Option<u64>, channel: u64) -> Who {
        Who {
            user,
            roles: roles.to_vec(),
            guild,
            channel,
        }
    }

    #[test]
    fn nobody_is_allowed_without_users_or_roles() {
        let access = config(&[], &[], &["3"], &["4"]);
        assert!(access.allows_nobody());
        assert_eq!(
            access.check(&who(1, &[], Some(3), 4)),
            Err(Refusal::NobodyAllowed)
        );
    }

    #[test]
    fn a_listed_user_or_a_member_with_a_listed_role_is_allowed() {
        let access = config(&["501"], &["600"], &[], &[]);
        assert_eq!(access.check(&who(501, &[], Some(3), 4)), Ok(()));
        assert_eq!(access.check(&who(502, &[600], Some(3), 4)), Ok(()));
        assert_eq!(
            access.check(&who(502, &[601], Some(3), 4)),
            Err(Refusal::NotAllowed)
        );
        // Roles mean nothing in a direct message.
        assert_eq!(access.check(&who(502, &[600], None, 9)), Err(Refusal::NotAllowed));
        assert_eq!(access.check(&who(501, &[], None, 9)), Ok(()));
    }

    #[test]
    fn guild_and_channel_lists_restrict_where_but_not_direct_messages() {
        let access = config(&["501"], &[], &["3"], &["4"]);
        assert_eq!(access.check(&who(501, &[], Some(3), 4)), Ok(()));
        assert_eq!(access.check(&who(501, &[], Some(7), 4)), Err(Refusal::Guild));
        assert_eq!(access.check(&who(501, &[], Some(3), 5)), Err(Refusal::Channel));
        assert_eq!(access.check(&who(501, &[], None, 99)), Ok(()));
    }

    #[test]
    fn an_id_that_is_not_digits_is_a_clear_error() {
        let error = Access::from_config(&DiscordConfig {
            allowed_users: vec!["ana".to_string()],
            ..DiscordConfig::default()
        })
        .unwrap_err();
        assert!(format!("{error:#}").contains("discord.allowed_users: \"ana\" is not a Discord id"));
    }
}
