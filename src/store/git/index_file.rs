//! Reading git's index file (`.git/index`, versions 2 and 3) without libgit2, for
//! the checks made before every write: libgit2 loads the whole index into a map and
//! checks its SHA-1 with its slow collision-detecting hash, several milliseconds for
//! a store of ten thousand files; here the file is read once, its checksum verified
//! with the CPU's SHA instructions, and its entries read in place.
//!
//! A commit writes the index again with its files' new entries and the cache-tree
//! extension (each folder's tree id) kept valid, so the next commit can tell that the
//! index holds HEAD's tree and nothing staged besides.
//!
//! Anything this reader does not know (version 4's compressed paths, a required
//! extension such as a split index, a damaged file) reads as "no index": the caller
//! then does what it did before, through libgit2.

use sha1::{Digest, Sha1};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The fixed part of an entry: ten 32-bit stat fields, the object id, the flags.
const FIXED: usize = 62;
const HEADER: usize = 12;
const CHECKSUM: usize = 20;

/// The flags that mean an entry is not a plain file of the working tree: a
/// sparse checkout's `skip-worktree` and `git add -N`'s intent-to-add.
const SKIP_WORKTREE: u16 = 0x4000;
const INTENT_TO_ADD: u16 = 0x2000;

/// The index file last read whole and verified in this process: its identity (device,
/// inode, size, modification and change times) and checksum. A file written again
/// is a new inode (git and libgit2 rename a lock file over it) with new times.
static VERIFIED: std::sync::Mutex<Option<(Identity, [u8; CHECKSUM])>> = std::sync::Mutex::new(None);

/// An index file's device, inode, size, modification and change times: git and
/// libgit2 write a new file (a lock file renamed over it) each time.
pub type Identity = [i64; 7];

/// The identity of the file at `path`; `None` when it cannot be read.
pub fn identity(path: &Path) -> Option<Identity> {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|meta| identity_of(&meta))
}

fn identity_of(meta: &std::fs::Metadata) -> Identity {
    [
        meta.dev() as i64,
        meta.ino() as i64,
        meta.size() as i64,
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
    ]
}

/// Trusts the index file at `path` as verified while it keeps `identity`: the file
/// a session of this store last found (and verified) or wrote, as its watch token
/// records, so another process need not hash it again. Its checksum is read from
/// its last bytes; nothing is trusted when the file no longer has that identity.
pub fn trust(path: &Path, identity: Identity) {
    use std::os::unix::fs::FileExt;
    let mut verified = VERIFIED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if verified.as_ref().is_some_and(|(seen, _)| *seen == identity) {
        return;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    let Ok(meta) = file.metadata() else { return };
    if identity_of(&meta) != identity || meta.len() < (HEADER + CHECKSUM) as u64 {
        return;
    }
    let mut checksum = [0u8; CHECKSUM];
    if file
        .read_exact_at(&mut checksum, meta.len() - CHECKSUM as u64)
        .is_ok()
    {
        *verified = Some((identity, checksum));
    }
}

/// An index file, read whole.
pub struct IndexFile {
    bytes: Vec<u8>,
    /// Where each entry starts, in the file's (sorted) order.
    starts: Vec<usize>,
    /// Where the entries end.
    entries_end: usize,
    /// Each extension: its signature and where its data is.
    extensions: Vec<([u8; 4], std::ops::Range<usize>)>,
    /// When the file was last written, seconds and nanoseconds.
    pub mtime: (i64, i64),
}

/// One entry of the index, borrowed from the file.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub ctime: (u32, u32),
    pub mtime: (u32, u32),
    pub ino: u32,
    pub mode: u32,
    pub size: u32,
    pub id: &'a [u8],
    /// 0 for a normal entry, 1 to 3 for the sides of a conflict.
    pub stage: u8,
    /// Skip-worktree or intent-to-add: the working tree is not compared for it.
    pub special: bool,
    pub path: &'a [u8],
}

impl IndexFile {
    /// Reads the index at `path`. `None` when there is none, or when it is in a form
    /// this reader leaves to libgit2.
    pub fn read(path: &Path) -> std::io::Result<Option<IndexFile>> {
        let mut file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err),
        };
        let meta = file.metadata()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        // The file read again unchanged within an operation is not hashed again.
        let identity = identity_of(&meta);
        let mut verified = VERIFIED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let known = verified
            .as_ref()
            .filter(|(seen, _)| *seen == identity)
            .map(|(_, checksum)| *checksum);
        let index = IndexFile::parse(bytes, (meta.mtime(), meta.mtime_nsec()), known);
        if let Some(index) = &index
            && let Ok(checksum) = index.bytes[index.bytes.len() - CHECKSUM..].try_into()
        {
            *verified = Some((identity, checksum));
        }
        Ok(index)
    }

    /// The index in `bytes`, written at `mtime`; `None` when it is not one this reader
    /// knows, or damaged. Its checksum is not computed again when it is `known` (the
    /// same file was verified already).
    fn parse(bytes: Vec<u8>, mtime: (i64, i64), known: Option<[u8; CHECKSUM]>) -> Option<IndexFile> {
        if bytes.len() < HEADER + CHECKSUM || &bytes[..4] != b"DIRC" {
            return None;
        }
        let version = be32(&bytes, 4);
        if version != 2 && version != 3 {
            return None;
        }
        let count = be32(&bytes, 8) as usize;
        let body = bytes.len() - CHECKSUM;
        let checksum = &bytes[body..];
        // `index.skipHash` leaves the checksum zero.
        if checksum.iter().any(|&byte| byte != 0)
            && known.as_ref().map(|known| &known[..]) != Some(checksum)
            && Sha1::digest(&bytes[..body]).as_slice() != checksum
        {
            return None;
        }
        let mut starts = Vec::with_capacity(count.min(body / FIXED));
        let mut at = HEADER;
        for _ in 0..count {
            if at + FIXED > body {
                return None;
            }
            starts.push(at);
            let flags = be16(&bytes, at + 60);
            let name = at + FIXED + if flags & 0x4000 != 0 { 2 } else { 0 };
            let length = bytes.get(name..body)?.iter().position(|&byte| byte == 0)?;
            // Entries are padded with NULs to a multiple of eight bytes.
            at += (name - at + length + 8) & !7;
        }
        let entries_end = at;
        // Extensions: a signature starting with a capital letter is an optional cache
        // and may be ignored; any other (a split index, a sparse index) is required.
        let mut extensions = Vec::new();
        while at < body {
            let signature: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
            let size = be32(bytes.get(at..at + 8)?, 4) as usize;
            if !signature[0].is_ascii_uppercase() {
                return None;
            }
            let data = at + 8..at.checked_add(8 + size)?;
            at = data.end;
            extensions.push((signature, data));
        }
        (at == body).then_some(IndexFile {
            bytes,
            starts,
            entries_end,
            extensions,
            mtime,
        })
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The `n`th entry, in the index's order (by path, then stage).
    pub fn entry(&self, n: usize) -> Entry<'_> {
        let at = self.starts[n];
        let bytes = &self.bytes;
        let flags = be16(bytes, at + 60);
        let (name, special) = if flags & 0x4000 != 0 {
            let extended = be16(bytes, at + 62);
            (at + FIXED + 2, extended & (SKIP_WORKTREE | INTENT_TO_ADD) != 0)
        } else {
            (at + FIXED, false)
        };
        let length = bytes[name..].iter().position(|&byte| byte == 0).unwrap_or(0);
        Entry {
            ctime: (be32(bytes, at), be32(bytes, at + 4)),
            mtime: (be32(bytes, at + 8), be32(bytes, at + 12)),
            ino: be32(bytes, at + 20),
            mode: be32(bytes, at + 24),
            size: be32(bytes, at + 36),
            id: &bytes[at + 40..at + 60],
            stage: ((flags >> 12) & 0b11) as u8,
            special,
            path: &bytes[name..name + length],
        }
    }

    /// Whether `path` has an entry (at any stage).
    pub fn contains(&self, path: &[u8]) -> bool {
        self.find(path).is_some()
    }

    /// An entry of `path` (the first stage it has).
    pub fn find(&self, path: &[u8]) -> Option<Entry<'_>> {
        let first = self.partition(|entry_path| entry_path < path);
        (first < self.len())
            .then(|| self.entry(first))
            .filter(|entry| entry.path == path)
    }

    /// The first entry for which `before` is false (entries are sorted by path).
    fn partition(&self, before: impl Fn(&[u8]) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.entry(middle).path) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// Whether some entry is a side of a conflict (a merge left unfinished).
    pub fn has_conflicts(&self) -> bool {
        (0..self.len()).any(|n| self.entry(n).stage != 0)
    }
}

/// A file just written, for its new entry.
pub struct Written<'a> {
    pub path: &'a str,
    pub id: [u8; 20],
    pub mode: u32,
    pub meta: &'a std::fs::Metadata,
}

impl IndexFile {
    /// The tree the index's cache-tree extension records for the whole index, when
    /// it records one: the index then holds exactly that tree's files.
    pub fn cached_root(&self) -> Option<[u8; 20]> {
        let tree = CacheTree::parse(self.extension(b"TREE")?)?;
        tree.id
    }

    fn extension(&self, signature: &[u8; 4]) -> Option<&[u8]> {
        self.extensions
            .iter()
            .find(|(name, _)| name == signature)
            .map(|(_, data)| &self.bytes[data.clone()])
    }

    /// This index with `written` files added or changed, its cache-tree kept valid
    /// with `tree_of` (the id of the new tree of a folder, "" the root), to be written
    /// as the new index. Entries as new as this index are emptied (git's "smudging"),
    /// so the next look hashes them. `None` when the index has no valid cache-tree or
    /// conflicts.
    pub fn updated(
        self,
        written: &[Written<'_>],
        tree_of: impl Fn(&str) -> Option<[u8; 20]>,
    ) -> Option<Vec<u8>> {
        let tree = CacheTree::parse(self.extension(b"TREE")?)?;
        tree.id?;
        let mut written: Vec<&Written<'_>> = written.iter().collect();
        written.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        written.dedup_by(|a, b| a.path == b.path);
        let places: Option<Vec<usize>> = written.iter().map(|new| self.same_size_entry(new.path)).collect();
        match places {
            Some(places) => self.rewritten(&written, &places, tree, &tree_of),
            None => self.copied(&written, tree, &tree_of),
        }
    }

    /// [`IndexFile::updated`] by copying this index's entries and the new ones in
    /// order into a new file.
    fn copied(
        &self,
        written: &[&Written<'_>],
        mut tree: CacheTree,
        tree_of: &impl Fn(&str) -> Option<[u8; 20]>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(self.bytes.len() + written.len() * 128);
        out.extend_from_slice(&self.bytes[..HEADER]);
        let mut count = 0u32;
        let mut next = written.iter().peekable();
        for n in 0..self.len() {
            let entry = self.entry(n);
            if entry.stage != 0 {
                return None;
            }
            while let Some(new) = next.next_if(|new| new.path.as_bytes() < entry.path) {
                tree.count_added(new.path)?;
                push_entry(&mut out, new);
                count += 1;
            }
            if let Some(new) = next.next_if(|new| new.path.as_bytes() == entry.path) {
                push_entry(&mut out, new);
                count += 1;
                continue;
            }
            let start = self.starts[n];
            let end = self.starts.get(n + 1).copied().unwrap_or(self.entries_end);
            let at = out.len();
            out.extend_from_slice(&self.bytes[start..end]);
            if (i64::from(entry.mtime.0), i64::from(entry.mtime.1)) >= self.mtime {
                out[at + 36..at + 40].copy_from_slice(&[0; 4]);
            }
            count += 1;
        }
        for new in next {
            tree.count_added(new.path)?;
            push_entry(&mut out, new);
            count += 1;
        }
        out[8..12].copy_from_slice(&count.to_be_bytes());
        for new in written {
            tree.renew(new.path, tree_of);
        }
        let mut data = Vec::new();
        tree.write(&mut data);
        push_extension(&mut out, b"TREE", &data);
        if let Some(undo) = self.extension(b"REUC") {
            push_extension(&mut out, b"REUC", undo);
        }
        let checksum = Sha1::digest(&out);
        out.extend_from_slice(&checksum);
        Some(out)
    }
}

impl IndexFile {
    /// The entry of `path` when a new entry for it fits in its place: a plain entry
    /// (stage 0, no extended flags), so the new one has its size.
    fn same_size_entry(&self, path: &str) -> Option<usize> {
        let n = self.partition(|entry_path| entry_path < path.as_bytes());
        let entry = (n < self.len()).then(|| self.entry(n))?;
        let plain = be16(&self.bytes, self.starts[n] + 60) & 0x4000 == 0;
        (entry.path == path.as_bytes() && entry.stage == 0 && plain).then_some(n)
    }

    /// [`IndexFile::updated`] when every file written has an entry of the same size
    /// (`places`): the entries are rewritten in this index's own bytes rather than
    /// copied, which for a large index saves a copy of it in memory.
    fn rewritten(
        self,
        written: &[&Written<'_>],
        places: &[usize],
        mut tree: CacheTree,
        tree_of: &impl Fn(&str) -> Option<[u8; 20]>,
    ) -> Option<Vec<u8>> {
        let mut smudge = Vec::new();
        for n in 0..self.len() {
            let entry = self.entry(n);
            if entry.stage != 0 {
                return None;
            }
            if (i64::from(entry.mtime.0), i64::from(entry.mtime.1)) >= self.mtime && !places.contains(&n) {
                smudge.push(self.starts[n]);
            }
        }
        let undo = self.extension(b"REUC").map(<[u8]>::to_vec);
        let IndexFile {
            mut bytes,
            starts,
            entries_end,
            ..
        } = self;
        for at in smudge {
            bytes[at + 36..at + 40].copy_from_slice(&[0; 4]);
        }
        for (new, &n) in written.iter().zip(places) {
            let mut fixed = Vec::with_capacity(FIXED + new.path.len() + 8);
            push_entry(&mut fixed, new);
            let start = starts[n];
            bytes[start..start + FIXED].copy_from_slice(&fixed[..FIXED]);
        }
        bytes.truncate(entries_end);
        for new in written {
            tree.renew(new.path, tree_of);
        }
        let mut data = Vec::new();
        tree.write(&mut data);
        push_extension(&mut bytes, b"TREE", &data);
        if let Some(undo) = undo {
            push_extension(&mut bytes, b"REUC", &undo);
        }
        let checksum = Sha1::digest(&bytes);
        bytes.extend_from_slice(&checksum);
        Some(bytes)
    }
}

/// Appends the entry of a file just written, in version 2's layout.
fn push_entry(out: &mut Vec<u8>, new: &Written<'_>) {
    let meta = new.meta;
    let start = out.len();
    for field in [
        meta.ctime() as u32,
        meta.ctime_nsec() as u32,
        meta.mtime() as u32,
        meta.mtime_nsec() as u32,
        meta.dev() as u32,
        meta.ino() as u32,
        new.mode,
        meta.uid(),
        meta.gid(),
        meta.size() as u32,
    ] {
        out.extend_from_slice(&field.to_be_bytes());
    }
    out.extend_from_slice(&new.id);
    out.extend_from_slice(&(new.path.len().min(0xFFF) as u16).to_be_bytes());
    out.extend_from_slice(new.path.as_bytes());
    let length = out.len() - start;
    out.resize(start + ((length + 8) & !7), 0);
}

fn push_extension(out: &mut Vec<u8>, signature: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(signature);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
}

/// The cache-tree extension: for each folder, how many index entries it holds and
/// its tree's id (`None`: not known, to be built again).
#[derive(Debug, Clone, PartialEq, Eq)]
struct CacheTree {
    name: Vec<u8>,
    /// Index entries under this folder; -1 when the folder's tree is not known.
    entries: i64,
    id: Option<[u8; 20]>,
    children: Vec<CacheTree>,
}

impl CacheTree {
    fn parse(data: &[u8]) -> Option<CacheTree> {
        let mut at = 0;
        let tree = CacheTree::read(data, &mut at, 0)?;
        (at == data.len()).then_some(tree)
    }

    fn read(data: &[u8], at: &mut usize, depth: usize) -> Option<CacheTree> {
        if depth > 4096 {
            return None;
        }
        let rest = data.get(*at..)?;
        let nul = rest.iter().position(|&byte| byte == 0)?;
        let name = rest[..nul].to_vec();
        let line_end = nul + 1 + rest[nul + 1..].iter().position(|&byte| byte == b'\n')?;
        let line = std::str::from_utf8(&rest[nul + 1..line_end]).ok()?;
        let (entries, children) = line.split_once(' ')?;
        let entries: i64 = entries.parse().ok()?;
        let children: usize = children.parse().ok()?;
        *at += line_end + 1;
        let id = if entries >= 0 {
            let id: [u8; 20] = data.get(*at..*at + 20)?.try_into().ok()?;
            *at += 20;
            Some(id)
        } else {
            None
        };
        let children = (0..children)
            .map(|_| CacheTree::read(data, at, depth + 1))
            .collect::<Option<Vec<_>>>()?;
        Some(CacheTree {
            name,
            entries,
            id,
            children,
        })
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.name);
        out.push(0);
        out.extend_from_slice(format!("{} {}\n", self.entries, self.children.len()).as_bytes());
        if let (true, Some(id)) = (self.entries >= 0, self.id) {
            out.extend_from_slice(&id);
        }
        for child in &self.children {
            child.write(out);
        }
    }

    /// The folders on the way to `path` that have a node, from the root down.
    fn on_the_way(&mut self, path: &str, mut each: impl FnMut(&mut CacheTree, &str)) {
        let mut node = self;
        let mut folder_end = 0;
        each(node, "");
        let folders: Vec<&str> = path.split('/').collect();
        for (depth, name) in folders[..folders.len().saturating_sub(1)].iter().enumerate() {
            folder_end += name.len() + usize::from(depth > 0);
            let Some(child) = node
                .children
                .iter_mut()
                .position(|child| child.name == name.as_bytes())
            else {
                return;
            };
            node = &mut node.children[child];
            each(node, &path[..folder_end]);
        }
    }

    /// One more entry under each folder on the way to the new `path`.
    fn count_added(&mut self, path: &str) -> Option<()> {
        self.on_the_way(path, |node, _| {
            if node.entries >= 0 {
                node.entries += 1;
            }
        });
        Some(())
    }

    /// The new tree of each folder on the way to `path` that was known; a folder
    /// whose tree cannot be found is marked unknown.
    fn renew(&mut self, path: &str, tree_of: &impl Fn(&str) -> Option<[u8; 20]>) {
        self.on_the_way(path, |node, folder| {
            if node.entries >= 0 {
                node.id = tree_of(folder);
                if node.id.is_none() {
                    node.entries = -1;
                }
            }
        });
    }
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn be16(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index as git writes it, for these files, through the `git` program.
    fn written_by_git(files: &[(&str, &str)], extra: &[&[&str]]) -> Option<IndexFile> {
        let dir = tempfile::TempDir::new().unwrap();
        let git = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(args)
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        git(&["add", "-A"]);
        for args in extra {
            git(args);
        }
        IndexFile::read(&dir.path().join(".git/index")).unwrap()
    }

    #[test]
    fn reads_every_entry_git_wrote_in_order() {
        let files = [
            ("todo.txt", "(A) Call\n"),
            ("notes/a.md", "# A\n"),
            ("notes/a/b.md", "# B\n"),
            ("a-name-longer-than-eight-bytes/x", ""),
        ];
        let index = written_by_git(&files, &[]).unwrap();
        let paths: Vec<&[u8]> = (0..index.len()).map(|n| index.entry(n).path).collect();
        assert_eq!(
            paths,
            [
                &b"a-name-longer-than-eight-bytes/x"[..],
                b"notes/a.md",
                b"notes/a/b.md",
                b"todo.txt"
            ]
        );
        let todo = index.entry(3);
        assert_eq!(
            (todo.size, todo.mode, todo.stage, todo.special),
            (9, 0o100644, 0, false)
        );
        assert!(index.contains(b"notes/a/b.md") && !index.contains(b"notes/a"));
        assert!(!index.has_conflicts());
        // Version 3 (an intent-to-add entry needs its extended flags).
        let index = written_by_git(
            &files,
            &[&["rm", "-q", "--cached", "todo.txt"], &["add", "-N", "todo.txt"]],
        )
        .unwrap();
        let todo = (0..index.len())
            .map(|n| index.entry(n))
            .find(|e| e.path == b"todo.txt")
            .unwrap();
        assert!(todo.special);
        assert_eq!(index.entry(1).path, b"notes/a.md");
    }

    #[test]
    fn an_updated_index_holds_the_new_tree_with_its_cache_tree_and_stat_data() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path();
        let git = |args: &[&str]| {
            let output = std::process::Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["-c", "user.name=Ana", "-c", "user.email=ana@example.com"])
                .args(args)
                .output()
                .unwrap();
            assert!(output.status.success(), "git {args:?}");
            String::from_utf8(output.stdout).unwrap()
        };
        git(&["init", "-q"]);
        for (path, text) in [
            ("todo.txt", "(A) Call\n"),
            ("notes/a/x.md", "# X\n"),
            ("notes/b.md", "# B\n"),
        ] {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        git(&["add", "-A"]);
        git(&["commit", "-qm", "Start"]);
        let repo = git2::Repository::open(root).unwrap();
        let head = repo.head().unwrap().peel_to_tree().unwrap();
        let index = IndexFile::read(&root.join(".git/index")).unwrap().unwrap();
        assert_eq!(index.cached_root().unwrap(), head.id().as_bytes());

        // A changed file, a new one in a known folder, one in a new folder.
        let changed = [
            ("todo.txt", "(A) Call\n(B) Write\n"),
            ("notes/a/y.md", "# Y\n"),
            ("ideas/z.md", "# Z\n"),
        ];
        let mut update = git2::build::TreeUpdateBuilder::new();
        let mut written = Vec::new();
        for (path, text) in changed {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
            let id = repo.blob(text.as_bytes()).unwrap();
            update.upsert(path, id, git2::FileMode::Blob);
            written.push((path, id, std::fs::symlink_metadata(root.join(path)).unwrap()));
        }
        let tree = repo
            .find_tree(update.create_updated(&repo, &head).unwrap())
            .unwrap();
        let written: Vec<Written<'_>> = written
            .iter()
            .map(|(path, id, meta)| Written {
                path,
                id: id.as_bytes().try_into().unwrap(),
                mode: 0o100644,
                meta,
            })
            .collect();
        let tree_of = |folder: &str| {
            let id = if folder.is_empty() {
                tree.id()
            } else {
                tree.get_path(Path::new(folder)).ok()?.id()
            };
            id.as_bytes().try_into().ok()
        };
        let bytes = index.updated(&written, tree_of).unwrap();
        std::fs::write(root.join(".git/index"), &bytes).unwrap();

        let new = IndexFile::read(&root.join(".git/index")).unwrap().unwrap();
        assert_eq!(new.len(), 5);
        assert_eq!(new.cached_root().unwrap(), tree.id().as_bytes());
        // git agrees: the index holds the new tree (by its entries, and by its cache),
        // the files written match their entries by their stat data alone, and the
        // working tree matches the index.
        assert_eq!(git(&["diff-index", "--cached", &tree.id().to_string()]), "");
        assert_eq!(git(&["write-tree"]).trim(), tree.id().to_string());
        let stat_dirty = git(&["diff-files", "--name-only"]);
        assert!(
            changed.iter().all(|(path, _)| !stat_dirty.contains(path)),
            "{stat_dirty}"
        );
        assert_eq!(
            git(&["status", "--porcelain"]),
            "A  ideas/z.md\nA  notes/a/y.md\nM  todo.txt\n"
        );
        git(&["fsck", "--no-progress"]);
    }

    #[test]
    fn changed_files_are_rewritten_in_place_as_a_copy_would_write_them() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path();
        let git = |args: &[&str]| {
            let output = std::process::Command::new("git")
                .arg("-C")
                .arg(root)
                .args(args)
                .output()
                .unwrap();
            assert!(output.status.success(), "git {args:?}");
            String::from_utf8(output.stdout).unwrap()
        };
        git(&["init", "-q"]);
        for (path, text) in [
            ("todo.txt", "(A) Call\n"),
            ("notes/a/x.md", "# X\n"),
            ("z.txt", "z\n"),
        ] {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        git(&["add", "-A"]);
        git(&["commit", "-qm", "Start"]);
        let repo = git2::Repository::open(root).unwrap();
        let head = repo.head().unwrap().peel_to_tree().unwrap();
        let changed = [
            ("todo.txt", "(A) Call\n(B) Write\n"),
            ("notes/a/x.md", "# X\n\nMore.\n"),
        ];
        let mut update = git2::build::TreeUpdateBuilder::new();
        let mut metas = Vec::new();
        for (path, text) in changed {
            std::fs::write(root.join(path), text).unwrap();
            let id = repo.blob(text.as_bytes()).unwrap();
            update.upsert(path, id, git2::FileMode::Blob);
            metas.push((path, id, std::fs::symlink_metadata(root.join(path)).unwrap()));
        }
        let tree = repo
            .find_tree(update.create_updated(&repo, &head).unwrap())
            .unwrap();
        let written: Vec<Written<'_>> = metas
            .iter()
            .map(|(path, id, meta)| Written {
                path,
                id: id.as_bytes().try_into().unwrap(),
                mode: 0o100644,
                meta,
            })
            .collect();
        let tree_of = |folder: &str| {
            let id = if folder.is_empty() {
                tree.id()
            } else {
                tree.get_path(Path::new(folder)).ok()?.id()
            };
            id.as_bytes().try_into().ok()
        };
        let read = || IndexFile::read(&root.join(".git/index")).unwrap().unwrap();
        let sorted: Vec<&Written<'_>> = vec![&written[1], &written[0]];
        let index = read();
        let places: Vec<usize> = sorted
            .iter()
            .map(|new| index.same_size_entry(new.path).unwrap())
            .collect();
        let copy = read()
            .copied(
                &sorted,
                CacheTree::parse(index.extension(b"TREE").unwrap()).unwrap(),
                &tree_of,
            )
            .unwrap();
        let bytes = index.updated(&written, tree_of).unwrap();
        assert_eq!(places, [0, 1]);
        assert_eq!(bytes, copy);

        std::fs::write(root.join(".git/index"), &bytes).unwrap();
        assert_eq!(read().cached_root().unwrap(), tree.id().as_bytes());
        assert_eq!(git(&["write-tree"]).trim(), tree.id().to_string());
        assert_eq!(git(&["status", "--porcelain"]), "M  notes/a/x.md\nM  todo.txt\n");
        git(&["fsck", "--no-progress"]);
    }

    #[test]
    fn a_trusted_file_is_not_hashed_again_while_it_keeps_its_identity() {
        let index = written_by_git(&[("todo.txt", "(A) Call\n")], &[]).unwrap();
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("index");
        // One entry's bytes damaged: only the checksum, which a hash would check, tells.
        let mut damaged = index.bytes.clone();
        damaged[HEADER + 40] ^= 1;
        std::fs::write(&path, &damaged).unwrap();
        assert!(IndexFile::read(&path).unwrap().is_none());
        let identity = identity(&path).unwrap();
        // Other tests read indexes meanwhile and may replace what is trusted: tried
        // again until the read follows the trust.
        let trusted = (0..20).any(|_| {
            trust(&path, identity);
            IndexFile::read(&path).unwrap().is_some()
        });
        assert!(trusted);
        // Written again, as git does (a new file renamed over it): a new identity,
        // hashed again.
        std::fs::write(dir.path().join("index.lock"), &damaged).unwrap();
        std::fs::rename(dir.path().join("index.lock"), &path).unwrap();
        trust(&path, identity);
        assert!(IndexFile::read(&path).unwrap().is_none());
    }

    #[test]
    fn what_it_does_not_know_or_a_damaged_file_reads_as_no_index() {
        let files = [("todo.txt", "(A) Call\n")];
        assert!(written_by_git(&files, &[&["update-index", "--index-version", "4"]]).is_none());
        assert!(written_by_git(&files, &[&["update-index", "--split-index"]]).is_none());
        let index = written_by_git(&files, &[]).unwrap();
        let mut damaged = index.bytes.clone();
        damaged[HEADER + 40] ^= 1;
        assert!(IndexFile::parse(damaged, (0, 0), None).is_none());
        let mut short = index.bytes.clone();
        short.truncate(short.len() - 30);
        assert!(IndexFile::parse(short, (0, 0), None).is_none());
        assert!(IndexFile::parse(b"DIRC".to_vec(), (0, 0), None).is_none());
    }
}
