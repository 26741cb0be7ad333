//! Writers: from the document model to the bytes of each output format, written atomically.

mod docx;
mod layout;
mod md;
mod title_words;
mod txt;
pub mod xlsx;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Error, Result};
use crate::document::Document;
use crate::manifest::DocxStyle;
use crate::record::Digest;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// 纯文本：标题、空行、每段一行
    Txt,
    /// Markdown
    Md,
    /// Word，按 GB/T 9704-2012 公文格式
    Docx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Txt, Format::Md, Format::Docx];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Docx => "docx",
        }
    }
}

/// The bytes of `document` in `format`; `style` is the report kind's Word look.
pub fn emit(document: &Document, format: Format, style: &DocxStyle) -> Vec<u8> {
    match format {
        Format::Txt => txt::write(document).into_bytes(),
        Format::Md => md::write(document).into_bytes(),
        Format::Docx => docx::write(document, style),
    }
}

/// A finished output's bytes, bound for `target`: made where the report is rendered, staged
/// ([`stage`]) where it is committed.
pub struct Output {
    pub target: PathBuf,
    pub bytes: Vec<u8>,
}

/// A finished output written to a temporary file beside its target, not yet synced nor in
/// place: [`commit`] makes a batch of them durable together, then renames each over its target.
/// An output whose target already holds exactly these bytes is not written again.
pub struct Staged {
    pub target: PathBuf,
    /// The SHA-256 of the bytes, for the run record.
    pub hash: Digest,
    /// A file a person had changed, moved aside to make room.
    pub kept: Option<Kept>,
    /// The SHA-256 of the file at the target when this was staged, if one was left there to
    /// be replaced: a file that differs from it at commit was saved by a person meanwhile.
    seen: Option<Digest>,
    /// Whether a person's file at the target is guarded against ([`Existing::KeepIfChanged`]).
    guarded: bool,
    /// The temporary file, closed (a run stages thousands; open files are limited); `None`
    /// when the target is already up to date.
    file: Option<tempfile::TempPath>,
}

/// A file moved aside rather than overwritten or lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub from: PathBuf,
    pub to: PathBuf,
    /// A person changed it (`…（手工修改版）`); otherwise it is huibao's own previous file of a
    /// report that is not current (`…（上次生成的旧版）`).
    pub edited: bool,
}

/// Moves `path` aside as a file a person changed.
pub fn keep_edited(path: &Path) -> Result<Kept> {
    let to = crate::record::aside(path, "手工修改版");
    std::fs::rename(path, &to).map_err(|e| Error::write(path, e))?;
    Ok(Kept {
        from: path.to_path_buf(),
        to,
        edited: true,
    })
}

/// The file at `path`, if there is one, moved to a free name that says what it is: what huibao
/// wrote there (`ours` says so of its SHA-256) as `…（上次生成的旧版）`, anything else as
/// `…（手工修改版）`. Never over an older file of that name: a clerk may have worked on it.
pub fn move_aside(path: &Path, ours: impl Fn(&crate::record::Digest) -> bool) -> Option<Kept> {
    let bytes = std::fs::read(path).ok()?;
    let ours = ours(&crate::record::hash(&bytes));
    let label = if ours {
        "上次生成的旧版"
    } else {
        "手工修改版"
    };
    let to = crate::record::aside(path, label);
    std::fs::rename(path, &to).ok()?;
    Some(Kept {
        from: path.to_path_buf(),
        to,
        edited: !ours,
    })
}

/// What to do with a different file already at the target.
#[derive(Clone, Copy)]
pub enum Existing<'a> {
    /// Replace it (the run record, which only huibao writes).
    Replace,
    /// Replace it only when huibao wrote it (the function says whether a SHA-256 is one huibao
    /// recorded for the target); otherwise a person changed it, and it is moved aside.
    KeepIfChanged(&'a dyn Fn(&Digest) -> bool),
}

/// Writes `bytes` into a temporary file in `path`'s folder (created when missing), unless
/// `path` already holds them: a rebuild with nothing changed touches no file.
pub fn stage(path: &Path, bytes: &[u8], existing: Existing) -> Result<Staged> {
    let fail = |e| Error::write(path, e);
    let hash = crate::record::hash(bytes);
    let mut replaces = None;
    if let Ok(old) = std::fs::read(path) {
        if old == bytes {
            return Ok(Staged::unchanged(path, hash));
        }
        replaces = Some(crate::record::hash(&old));
    }
    // Written before a person's file is moved aside: a write that fails (a full disk) leaves
    // that file where it was, not renamed with nobody told.
    let mut file = temporary(path)?;
    file.write_all(bytes).map_err(fail)?;
    let room = make_room(path, replaces, &existing)?;
    Ok(Staged::written(path, hash, room, &existing, file))
}

/// As [`stage`], for an output too large to hold in memory (the summary workbook): `write`
/// writes it into the temporary file, which is then read back for its SHA-256. A target that
/// already holds the same bytes is left as it is and the temporary file removed.
pub fn stage_streamed(
    path: &Path,
    existing: Existing,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<Staged> {
    let fail = |e| Error::write(path, e);
    let mut file = temporary(path)?;
    write(file.as_file_mut()).map_err(fail)?;
    file.as_file_mut().flush().map_err(fail)?;
    let hash = crate::record::hash_file(file.path()).map_err(fail)?;
    let replaces = crate::record::hash_file(path).ok();
    if replaces == Some(hash) {
        return Ok(Staged::unchanged(path, hash));
    }
    let room = make_room(path, replaces, &existing)?;
    Ok(Staged::written(path, hash, room, &existing, file))
}

impl Staged {
    /// Whether the file is to be put in place (not already there with these bytes).
    pub fn writes(&self) -> bool {
        self.file.is_some()
    }

    /// Written into `file`, after [`make_room`] said what became of the file at the target.
    fn written(
        path: &Path,
        hash: Digest,
        (kept, seen): (Option<Kept>, Option<Digest>),
        existing: &Existing,
        file: tempfile::NamedTempFile,
    ) -> Staged {
        Staged {
            target: path.to_path_buf(),
            hash,
            kept,
            seen,
            guarded: matches!(existing, Existing::KeepIfChanged(_)),
            file: Some(file.into_temp_path()),
        }
    }

    /// The target already holds these bytes: nothing to write.
    fn unchanged(path: &Path, hash: Digest) -> Staged {
        Staged {
            target: path.to_path_buf(),
            hash,
            kept: None,
            seen: None,
            guarded: false,
            file: None,
        }
    }
}

/// What to do with the file a new output replaces, given its SHA-256: a file a person changed
/// is moved aside (`kept`); one huibao wrote is remembered (`seen`) so that a save made while
/// the build runs is noticed before the rename.
fn make_room(
    path: &Path,
    replaces: Option<Digest>,
    existing: &Existing,
) -> Result<(Option<Kept>, Option<Digest>)> {
    let Some(old_hash) = replaces else {
        return Ok((None, None));
    };
    Ok(match existing {
        Existing::KeepIfChanged(ours) if !ours(&old_hash) => (Some(keep_edited(path)?), None),
        Existing::KeepIfChanged(_) => (None, Some(old_hash)),
        Existing::Replace => (None, None),
    })
}

/// A new temporary file beside `path` (its folder created when missing), an ordinary file's
/// permissions on Unix.
fn temporary(path: &Path) -> Result<tempfile::NamedTempFile> {
    let fail = |e| Error::write(path, e);
    let dir = path.parent().unwrap_or(Path::new("."));
    // Fault injection for the tests of a full disk (debug builds only): a file written into a
    // folder of the name (a department's, a year's) fails as on a full disk. The pending log,
    // appended to in place, has a switch of its own (HUIBAO_PENDING_LOG_FULL).
    #[cfg(debug_assertions)]
    if let Ok(folder) = std::env::var("HUIBAO_DISK_FULL_IN")
        && dir.file_name().is_some_and(|n| *n == *folder)
    {
        return Err(fail(std::io::Error::from_raw_os_error(28)));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX);
    // A report is an ordinary file (rw-r--r-- less the umask), not the temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    // The folder is made only when the file cannot be: most of a run's files go into
    // folders that exist, and asking first would cost a call per file.
    match builder.tempfile_in(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(fail)?;
            builder.tempfile_in(dir)
        }
        other => other,
    }
    .map_err(fail)
}

/// A group's files in place: every target, and how many of them already held these bytes.
#[derive(Debug, Default)]
pub struct Committed {
    pub files: Vec<PathBuf>,
    /// The SHA-256 of each file, in the same order.
    pub hashes: Vec<Digest>,
    pub unchanged: usize,
    /// Files a person had changed, moved aside.
    pub kept: Vec<Kept>,
    /// Why the group failed, when it did: then `files` holds what was put in place before.
    pub error: Option<Error>,
}

/// The prefix of every temporary file huibao writes; nothing else in `output/` starts so.
pub const TEMPORARY_PREFIX: &str = ".huibao-";

/// The lock file of an output folder: one build writes into a folder at a time.
pub const LOCK_FILE: &str = ".huibao.lock";

/// Takes the output folder's lock for the rest of the process (the returned file holds it),
/// waiting for another build that holds it; `waiting` is called once if it has to wait.
pub fn lock_output(out: &Path, waiting: impl FnOnce()) -> Result<std::fs::File> {
    if out.exists() && !out.is_dir() {
        return Err(Error::Workspace(format!(
            "输出位置 {} 是一个文件，不是文件夹。请用 --out 指定一个文件夹（不存在时会自动建立），或把这个文件移走。",
            out.display()
        )));
    }
    let path = out.join(LOCK_FILE);
    let fail = |e| Error::write(&path, e);
    std::fs::create_dir_all(out).map_err(fail)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(fail)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(fail)?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(fail(e)),
    }
    Ok(file)
}

/// Removes what a build that was killed left in `dir`: its temporary files. Only called with
/// the output folder's lock held, so no running build owns them.
pub fn remove_leftovers(dir: &Path) {
    remove_leftovers_older(dir, std::time::Duration::ZERO);
}

/// Removes huibao's temporary files in `dir` last written more than `age` ago. Where no lock
/// keeps another run out (`new-year` and `forms` writing forms), a temporary
/// file written a moment ago may be a running command's; one of ten minutes ago was left by
/// one that was killed (a form is written in milliseconds).
pub fn remove_leftovers_older(dir: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(TEMPORARY_PREFIX));
        let old = || {
            age.is_zero()
                || entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().is_ok_and(|e| e > age))
        };
        if is_ours && entry.file_type().is_ok_and(|t| t.is_file()) && old() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How old a temporary file of `new-year` or `forms` must be to be taken for a killed run's.
pub const LEFT_BY_A_KILLED_RUN: std::time::Duration = std::time::Duration::from_secs(600);

/// How many files are synced at once. Syncing is waiting on the disk, not computing, so more
/// threads than cores help: the file system commits concurrent syncs together.
const SYNC_THREADS: usize = 16;

/// The threads that sync, made once and kept for the run: a fresh thread per sync (16 for each
/// chunk of a build) left the allocator with pages of every finished thread to take back, and
/// the process's memory grew with them.
fn sync_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(SYNC_THREADS)
            .thread_name(|i| format!("huibao-sync-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Each file synced to disk, many at once; the results in the files' order.
fn sync_all(files: &[&tempfile::TempPath]) -> Vec<std::io::Result<()>> {
    use rayon::prelude::*;
    // Opened for writing: Windows flushes only a handle that may write (a read-only one is
    // refused with "access denied").
    let sync = |path: &&tempfile::TempPath| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .sync_all()
    };
    // One file per task on the pool, so that every thread waits on a disk of its own; a single
    // file, or no pool (no threads could be made), one after another.
    match (files.len() > 1).then(sync_pool).flatten() {
        Some(pool) => pool.install(|| files.par_iter().with_max_len(1).map(sync).collect()),
        None => files.iter().map(sync).collect(),
    }
}

/// Makes groups of staged files durable, then puts each group in place: every file is synced
/// (many at once, not one after another), and only a group whose files all synced is renamed
/// over its targets, so a finished output is on disk before it replaces the old one. A group
/// that fails leaves its targets as they were and its temporary files removed.
pub fn commit(groups: Vec<Vec<Staged>>) -> Vec<Committed> {
    let files: Vec<&tempfile::TempPath> = groups
        .iter()
        .flatten()
        .filter_map(|s| s.file.as_ref())
        .collect();
    let mut synced = sync_all(&files).into_iter();
    groups
        .into_iter()
        .map(|group| {
            let results: Vec<std::io::Result<()>> = group
                .iter()
                .map(|s| match s.file {
                    Some(_) => synced.next().expect("one result per staged file"),
                    None => Ok(()),
                })
                .collect();
            let mut committed = Committed::default();
            let failed = group
                .iter()
                .zip(results)
                .find_map(|(staged, r)| r.err().map(|e| Error::write(&staged.target, e)));
            if let Some(error) = failed {
                committed.kept = group.into_iter().filter_map(|s| s.kept).collect();
                committed.error = Some(error);
                return committed;
            }
            for staged in group {
                committed.kept.extend(staged.kept);
                let target = staged.target;
                match staged.file {
                    Some(file) => {
                        // A file saved at the target since it was staged (a clerk pressing
                        // Save in Word during the build) is a person's: keep it.
                        if staged.guarded
                            && let Ok(now) = std::fs::read(&target)
                            && Some(crate::record::hash(&now)) != staged.seen
                        {
                            match keep_edited(&target) {
                                Ok(kept) => committed.kept.push(kept),
                                Err(e) => {
                                    committed.error = Some(e);
                                    return committed;
                                }
                            }
                        }
                        if let Err(e) = file.persist(&target) {
                            committed.error = Some(Error::replacing(&target, e.error));
                            return committed;
                        }
                    }
                    None => committed.unchanged += 1,
                }
                committed.hashes.push(staged.hash);
                committed.files.push(target);
            }
            committed
        })
        .collect()
}

/// Writes a file whole or not at all: into a temporary file beside it, synced, then renamed
/// over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    put_in_place(stage(path, bytes, Existing::Replace)?)
}

/// As [`write_atomic`], for a file written piece by piece into its temporary file (the run
/// record of tens of thousands of files).
pub fn write_atomic_streamed(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    put_in_place(stage_streamed(path, Existing::Replace, write)?)
}

fn put_in_place(staged: Staged) -> Result<()> {
    let committed = commit(vec![vec![staged]])
        .pop()
        .expect("one group in, one result out");
    match committed.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Writes a file that must not exist yet, whole (a temporary file beside it, synced, then
/// linked into place without replacing anything): `false` when the file already exists,
/// which is then left as it is, even if it appeared a moment ago.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    let fail = |e: std::io::Error| Error::write(path, e);
    let mut file = temporary(path)?;
    file.write_all(bytes).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    match file.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(fail(e.error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_temporary_files_old_enough_to_be_a_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, age: u64| {
            let path = dir.path().join(name);
            let f = std::fs::File::create(&path).unwrap();
            let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
            f.set_modified(when).unwrap();
            path
        };
        let (killed, running) = (file(".huibao-killed", 3600), file(".huibao-running", 1));
        let person = file("表.xlsx", 3600);
        remove_leftovers_older(dir.path(), LEFT_BY_A_KILLED_RUN);
        assert!(!killed.exists());
        assert!(running.exists() && person.exists());
    }

    #[test]
    fn a_new_file_is_an_ordinary_file_others_can_read() {
        // A form is handed to other people: not the temporary file's 0600.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("表.xlsx");
        assert!(write_new(&path, b"x").unwrap());
        assert!(!write_new(&path, b"y").unwrap(), "never replaced");
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o044, 0o044, "{mode:o}");
        }
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomic(&path, "旧".as_bytes()).unwrap();
        write_atomic(&path, "新".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "新");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o044,
                0o044,
                "readable by others, like any report: {mode:o}"
            );
        }
    }
}
