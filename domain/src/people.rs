//! The people of a team, as configured: a display name, the one-word handle used in
//! `owner:` and `who:` tags, an email for commit authorship, a Discord user id and a
//! timezone. Lookups are case-insensitive and accept the handle, the full name or
//! the first name.

/// One person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// As shown and as commit author name: "Ana García".
    pub name: String,
    /// One word for `owner:NAME`: "ana".
    pub handle: String,
    pub email: Option<String>,
    pub discord_id: Option<u64>,
    /// An IANA timezone name; `None`: the store's.
    pub timezone: Option<String>,
}

impl Person {
    /// The handle a name gives when none is configured: its first word, lower case.
    pub fn default_handle(name: &str) -> String {
        name.split_whitespace().next().unwrap_or("").to_lowercase()
    }

    /// Whether `given` names this person (handle, full name or first name).
    pub fn is_called(&self, given: &str) -> bool {
        let given = given.trim().trim_start_matches('@');
        !given.is_empty()
            && (self.handle.eq_ignore_ascii_case(given)
                || self.name.eq_ignore_ascii_case(given)
                || self
                    .name
                    .split_whitespace()
                    .next()
                    .is_some_and(|first| first.to_lowercase() == given.to_lowercase()))
    }
}

/// The configured people.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    people: Vec<Person>,
}

impl People {
    pub fn new(people: Vec<Person>) -> People {
        People { people }
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Person> {
        self.people.iter()
    }

    /// The person `given` names: a handle first, then a full or first name; `None`
    /// when no one or more than one person answers to it.
    pub fn find(&self, given: &str) -> Option<&Person> {
        let given = given.trim().trim_start_matches('@');
        if let Some(person) = self.people.iter().find(|p| p.handle.eq_ignore_ascii_case(given)) {
            return Some(person);
        }
        let mut matching = self.people.iter().filter(|p| p.is_called(given));
        match (matching.next(), matching.next()) {
            (Some(person), None) => Some(person),
            _ => None,
        }
    }

    /// The person with this Discord user id.
    pub fn by_discord_id(&self, id: u64) -> Option<&Person> {
        self.people.iter().find(|p| p.discord_id == Some(id))
    }

    /// The person with this email (case-insensitive).
    pub fn by_email(&self, email: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(email)))
    }

    /// The `owner:` value for `given`: the handle of the person it names, else
    /// `given` itself as one lower-case word (people need not be configured).
    pub fn owner_handle(&self, given: &str) -> String {
        match self.find(given) {
            Some(person) => person.handle.clone(),
            None => given.trim().trim_start_matches('@').to_lowercase(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> People {
        People::new(vec![
            Person {
                name: "Ana García".into(),
                handle: "ana".into(),
                email: Some("ana@example.com".into()),
                discord_id: Some(111),
                timezone: Some("Europe/Madrid".into()),
            },
            Person {
                name: "Ben Okafor".into(),
                handle: "ben".into(),
                ..Person::default()
            },
            Person {
                name: "Ben Smith".into(),
                handle: "bsmith".into(),
                ..Person::default()
            },
        ])
    }

    #[test]
    fn people_are_found_by_handle_name_first_name_id_and_email() {
        let team = team();
        assert_eq!(team.find("ANA").unwrap().handle, "ana");
        assert_eq!(team.find("@ana").unwrap().handle, "ana");
        assert_eq!(team.find("ana garcía").unwrap().handle, "ana");
        assert_eq!(team.find("ben").unwrap().handle, "ben", "a handle wins");
        assert_eq!(team.find("Ben Smith").unwrap().handle, "bsmith");
        assert_eq!(team.find("carla"), None);
        assert_eq!(team.find(""), None);
        assert_eq!(team.by_discord_id(111).unwrap().handle, "ana");
        assert_eq!(team.by_discord_id(2), None);
        assert_eq!(team.by_email("ANA@example.com").unwrap().handle, "ana");
    }

    #[test]
    fn owner_handles() {
        let team = team();
        assert_eq!(team.owner_handle("Ana García"), "ana");
        assert_eq!(team.owner_handle("Carla"), "carla");
        assert_eq!(Person::default_handle("Ana García"), "ana");
        assert_eq!(Person::default_handle(""), "");
    }
}
