//! What can go wrong in a use case, typed, with a `Display` a person can read. Every
//! error leaves the store as it was.

use crate::store::OperationError;
use crate::store::paths::PathError;
use myorg_domain::fields::Invalid as InvalidFields;
use myorg_domain::notes::NoteError;
use myorg_domain::projects::ProjectError;
use myorg_domain::reference::FindError;
use std::fmt;

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a use case did nothing.
#[derive(Debug)]
pub enum Error {
    /// The request is not valid as asked (an empty text, a date that does not
    /// exist, an unknown field): what to change is in the message.
    Invalid(String),
    /// What the request names is not there, or names several (said which).
    NotFound(String),
    /// The change was made for a store that has changed since (its target is gone or
    /// was edited meanwhile).
    NoLongerApplies(String),
    /// The person may not do this (a confirmation that is not theirs, expired).
    Refused(String),
    /// The store, git or the system failed.
    Failed(anyhow::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(why)
            | Error::NotFound(why)
            | Error::NoLongerApplies(why)
            | Error::Refused(why) => f.write_str(why),
            Error::Failed(error) => write!(f, "{error:#}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<anyhow::Error> for Error {
    fn from(error: anyhow::Error) -> Error {
        match error.downcast::<OperationError>() {
            Ok(OperationError::NoLongerApplies(why)) => Error::NoLongerApplies(why),
            Ok(OperationError::Invalid(why)) => Error::Invalid(why),
            Ok(other) => Error::Failed(other.into()),
            Err(error) => match error.downcast::<Error>() {
                Ok(error) => error,
                Err(error) => Error::Failed(error),
            },
        }
    }
}

impl From<FindError> for Error {
    fn from(error: FindError) -> Error {
        match error {
            FindError::Empty => Error::Invalid(error.to_string()),
            _ => Error::NotFound(error.to_string()),
        }
    }
}

impl From<InvalidFields> for Error {
    fn from(error: InvalidFields) -> Error {
        Error::Invalid(error.0)
    }
}

impl From<NoteError> for Error {
    fn from(error: NoteError) -> Error {
        Error::Invalid(error.to_string())
    }
}

impl From<ProjectError> for Error {
    fn from(error: ProjectError) -> Error {
        match error {
            ProjectError::Unknown { .. } | ProjectError::NoSuchGoal(_) => Error::NotFound(error.to_string()),
            _ => Error::Invalid(error.to_string()),
        }
    }
}

impl From<PathError> for Error {
    fn from(error: PathError) -> Error {
        Error::Invalid(error.to_string())
    }
}
