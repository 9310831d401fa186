//! Searching todo.txt for the tasks a query keeps: piece by piece as it is read
//! (`scan`), with each line's reference kept between commands (`references`); a
//! file that is not UTF-8 through the lossless document. Only the tasks a caller
//! shows are built: [`search_some`] parses those of its page again, [`search_lines`]
//! gives lines and references and parses none.

use super::references::{self, Shown};
use super::scan::{self, Scanned, Source};
use super::{Hit, Query, filter};
use crate::app::{Look, Result};
use crate::store::operation::TODO;
use chrono::NaiveDate;
use myorg_domain::reference::{self, References};
use myorg_domain::search::{self, Filter};
use myorg_parsers::{Task, TodoFile};

/// The tasks `query` keeps, most urgent first.
pub fn search(look: &Look, query: &Query) -> Result<Vec<Hit>> {
    Ok(search_some(look, query, 0, usize::MAX)?.0)
}

/// Of the tasks `query` keeps, most urgent first, the `take` after the first `skip`,
/// and how many it keeps in all: a page of a long list, without building the tasks
/// off the page.
pub fn search_some(look: &Look, query: &Query, skip: usize, take: usize) -> Result<(Vec<Hit>, usize)> {
    let searched = searched(look, query)?;
    let total = searched.total();
    Ok((searched.page(skip, take), total))
}

/// The tasks `query` keeps, most urgent first, as their references and lines: for a
/// listing of many, which needs no more of each task.
pub fn search_lines(look: &Look, query: &Query) -> Result<Lines> {
    Ok(Lines(searched(look, query)?))
}

/// What [`search_lines`] found.
#[derive(Debug)]
pub struct Lines(Searched);

impl Lines {
    /// How many tasks the query keeps.
    pub fn total(&self) -> usize {
        self.0.total()
    }

    /// Gives `each` the reference and the line of the first `take` tasks, most urgent
    /// first; stops at its first error.
    pub fn each<E>(&self, take: usize, mut each: impl FnMut(&str, &str) -> Result<(), E>) -> Result<(), E> {
        match &self.0 {
            Searched::Text { scanned, shown } => {
                for found in scanned.found.iter().take(take) {
                    let line = scanned.line(found);
                    let shown = shown
                        .get(found.index)
                        .unwrap_or_else(|| reference::short(&Task::parse(line)));
                    each(&shown, line)?;
                }
            }
            Searched::Hits(hits) => {
                for hit in hits.iter().take(take) {
                    each(&hit.reference, &hit.line)?;
                }
            }
        }
        Ok(())
    }
}

/// A whole search: read as text (nearly always), or through the document.
#[derive(Debug)]
enum Searched {
    Text {
        scanned: Scanned,
        shown: Shown,
    },
    /// Every task kept, built (a file that is not UTF-8).
    Hits(Vec<Hit>),
}

impl Searched {
    fn total(&self) -> usize {
        match self {
            Searched::Text { scanned, .. } => scanned.found.len(),
            Searched::Hits(hits) => hits.len(),
        }
    }

    /// The tasks of a page, built.
    fn page(self, skip: usize, take: usize) -> Vec<Hit> {
        match self {
            Searched::Text { scanned, shown } => scanned
                .found
                .iter()
                .skip(skip)
                .take(take)
                .map(|found| {
                    let line = scanned.line(found);
                    let task = Task::parse(line);
                    Hit {
                        reference: shown.get(found.index).unwrap_or_else(|| reference::short(&task)),
                        index: found.index,
                        line: line.to_string(),
                        task,
                        urgency: found.urgency,
                    }
                })
                .collect(),
            Searched::Hits(hits) => hits.into_iter().skip(skip).take(take).collect(),
        }
    }
}

/// Searches todo.txt for what `query` keeps.
fn searched(look: &Look, query: &Query) -> Result<Searched> {
    let today = look.now.date();
    let filter = filter(look, query)?;
    // A UTF-8 file (nearly all) is read piece by piece, parsing only the lines that
    // can match; other files are read whole, through the lossless document.
    let found = match look.files.on_disk(TODO) {
        Some(path) => match std::fs::File::open(&path) {
            Ok(file) => search_file(look, &file, &filter, today)?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => search_bytes(&[], &filter, today)?,
            Err(error) => {
                let error = anyhow::Error::from(error).context(format!("reading {}", path.display()));
                return Err(error.into());
            }
        },
        None => search_bytes(&look.files.read(TODO)?, &filter, today)?,
    };
    if let Some((scanned, shown)) = found {
        return Ok(Searched::Text { scanned, shown });
    }
    let todo = TodoFile::parse(look.files.read(TODO)?);
    let references = References::of(&todo);
    let hits = search::search(&todo, &filter, today)
        .into_iter()
        .map(|hit| Hit {
            reference: references.shown(hit.task),
            index: hit.index,
            line: todo.text(hit.index).unwrap_or_default().to_string(),
            task: hit.task.clone(),
            urgency: hit.urgency,
        })
        .collect();
    Ok(Searched::Hits(hits))
}

/// The tasks of the todo.txt `file` that `filter` keeps on `today`, most urgent
/// first, and the reference shown for each of its lines: those kept in the state
/// directory when they are this content's, else worked out during the search and
/// kept. `None` when the file is not UTF-8.
fn search_file(
    look: &Look,
    file: &std::fs::File,
    filter: &Filter,
    today: NaiveDate,
) -> Result<Option<(Scanned, Shown)>> {
    let state = look.files.state_dir().unwrap_or_else(|| look.config.state_dir());
    let stamp = references::Stamp::of(&file.metadata().map_err(anyhow::Error::from)?);
    let kept = references::kept(&state).filter(|kept| kept.stamp == stamp);
    let scanned = scan::scan(Source::File(file), filter, today, kept.is_none());
    let Some(mut scanned) = scanned.map_err(anyhow::Error::from)? else {
        return Ok(None);
    };
    // Only the references of the lines kept are read.
    if let Some(kept) = kept
        && kept.key == scanned.key
        && let Some(shown) = kept.read_lines(&scanned.kept_lines)
    {
        return Ok(Some((scanned, shown)));
    }
    let (scanned, codes) = match scanned.codes.take() {
        Some(codes) => (scanned, codes),
        // Kept for another content of the same stamp (a change within the same
        // nanosecond, or a time set back by hand): searched again, codes and all.
        None => match scan::scan(Source::File(file), filter, today, true).map_err(anyhow::Error::from)? {
            Some(mut again) => {
                let codes = again.codes.take().unwrap_or_default();
                (again, codes)
            }
            None => return Ok(None),
        },
    };
    let shown = Shown::of(&codes);
    references::keep(&state, scanned.key, stamp, &shown);
    Ok(Some((scanned, shown)))
}

/// [`search_file`] of a todo.txt given as bytes, its references worked out.
fn search_bytes(bytes: &[u8], filter: &Filter, today: NaiveDate) -> Result<Option<(Scanned, Shown)>> {
    let scanned = scan::scan(Source::Bytes(bytes), filter, today, true).map_err(anyhow::Error::from)?;
    Ok(scanned.map(|scanned| {
        let shown = Shown::of(scanned.codes.as_deref().unwrap_or_default());
        (scanned, shown)
    }))
}
