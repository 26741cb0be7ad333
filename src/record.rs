//! The run record of an output year folder: what huibao wrote, so a later build can tell a file
//! a person changed from one it may replace, and what happened, for a person to read.
//!
//! `OUT/<year>/生成情况.json` keeps the SHA-256 of every file huibao wrote there (by its path
//! under the year folder) and this run's reports (after them, for a run of some departments
//! or kinds, those of earlier runs it did not make again); `OUT/<year>/生成情况.txt` says the same for a
//! person: when, which reports were written, which failed and why, which changed files were
//! kept and where. Both are rewritten whole (atomically) at the end of every build.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::batch::{Outcome, Tally};
use crate::diagnostics::Result;
use crate::index::YearIndex;

pub const RECORD_JSON: &str = "生成情况.json";
pub const RECORD_TXT: &str = "生成情况.txt";
/// The files a build is putting in place, one JSON line each, appended before they are and
/// removed once the record holds them: a build killed in between leaves them recognisable.
pub const PENDING_LOG: &str = "生成情况.进行中.jsonl";

/// A SHA-256 digest: the 32 bytes held (a record of 40,000 files holds 40,000 of them),
/// written as 64 lowercase hexadecimal digits wherever a file or a person reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Digest([u8; 32]);

impl Digest {
    /// From 64 hexadecimal digits (either case).
    pub fn from_hex(text: &str) -> Option<Digest> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Digest(bytes))
    }
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Digest, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Digest::from_hex(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("“{text}”不是 SHA-256 摘要")))
    }
}

/// The SHA-256 of some bytes.
pub fn hash(bytes: &[u8]) -> Digest {
    Digest(Sha256::digest(bytes).into())
}

/// A file's SHA-256, read in pieces (a file may be tens of megabytes).
pub fn hash_file(path: &Path) -> std::io::Result<Digest> {
    use std::io::Read;
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match file.read(&mut buffer)? {
            0 => return Ok(Digest(hasher.finalize().into())),
            n => hasher.update(&buffer[..n]),
        }
    }
}

/// What a year folder's record holds. Its file also lists this run's reports (`reports`),
/// which are not kept here but made from the run's index and the outcomes it holds when it
/// is saved ([`Reports`]).
/// The last run's reports are read back only by a run that makes some of them
/// ([`Record::earlier`]); its kept files are not.
#[derive(Debug, Default, Deserialize)]
pub struct Record {
    /// Every file huibao wrote and has not since given up, by its path under the year folder
    /// (`县退役军人事务局/意识形态工作.docx`), with the SHA-256 of what it wrote.
    #[serde(default)]
    pub files: BTreeMap<String, Digest>,
    /// Files a build put in place (or was about to) that `files` does not hold yet: read from
    /// the pending log a killed build left; never written into the record itself.
    #[serde(skip)]
    /// Every hash the log gives a path: builds killed one after the other each logged
    /// theirs, and the file holds one of them.
    pub pending: BTreeMap<String, Vec<Digest>>,
    /// The texts of `生成情况.txt` a killed save was putting in place (the one before and the
    /// one after): either is huibao's own, not a person's edit.
    #[serde(skip)]
    pub pending_text: Vec<Digest>,
    /// Files kept under another name this run.
    #[serde(skip)]
    pub kept: Vec<KeptLine>,
    /// Those the record's file names: of the last run that changed something (and, carried
    /// by runs of some departments or kinds, of earlier ones). A run that keeps nothing aside
    /// and changes nothing leaves them, with the record, as they are.
    #[serde(default, rename = "kept")]
    pub last_kept: Vec<KeptLine>,
    /// When the record was written: read back, then this run's time when it is saved.
    #[serde(default)]
    pub when: String,
    /// The SHA-256 of the `生成情况.txt` huibao wrote beside the record, to tell a person's
    /// notes in it (then kept aside) from huibao's own text. Records of earlier versions have
    /// none: their text is kept aside once, as one that may hold notes.
    #[serde(default)]
    pub text: Option<Digest>,
    /// Whether the record's report lines cover the whole year: a build of everything wrote
    /// it, or a build of some carried over the lines of such a record. A build of some with no
    /// such record to carry over cannot tell the rest, and says so. Records of earlier
    /// versions have no such mark and are taken as complete.
    #[serde(default = "complete")]
    pub complete: bool,
    /// Why the summary workbook was not written by the last build of everything (the only
    /// builds that write it), carried by builds of some.
    #[serde(default)]
    pub workbook_failed: Option<String>,
    /// The reports of earlier runs, read back only for a run that makes some of the reports
    /// (`--dept`, `--kind`): the lines of those it does not make again are carried over.
    #[serde(skip)]
    pub earlier: Vec<Earlier>,
    /// The entries of the departments this run has finished with, out of memory
    /// ([`Record::set_down`]); merged with `files` when the record is saved.
    #[serde(skip)]
    settled: Settled,
}

/// Record entries written out of memory: JSON lines `["path","sha256"]` in an anonymous
/// temporary file, each path after the one before in folder order ([`by_folder`]), so that
/// saving merges them with the entries still held as it writes. A build of 10,000 departments
/// records 40,000 files; held to the end, they were half of what its memory grew by.
#[derive(Debug, Default)]
struct Settled {
    file: Option<std::fs::File>,
    /// The length of the whole lines written: what is read back.
    len: u64,
    /// The last path written.
    last: Option<String>,
    /// The temporary file could not be made, or a write failed (a full disk): entries set
    /// down from then on stay held.
    unavailable: bool,
}

/// Appends `lines` to the pending log.
fn append_log(log: &mut std::fs::File, lines: &[u8]) -> std::io::Result<()> {
    // Fault injection for the test of a log that cannot be appended to (debug builds only):
    // half of the lines are written, then the disk is full.
    #[cfg(debug_assertions)]
    if std::env::var_os("HUIBAO_PENDING_LOG_FULL").is_some() {
        log.write_all(&lines[..lines.len() / 2])?;
        return Err(std::io::Error::from_raw_os_error(28));
    }
    log.write_all(lines)
}

/// Appends `lines` to the file of entries set down.
fn write_lines(file: &mut std::fs::File, lines: &[u8]) -> std::io::Result<()> {
    // Fault injection for the test of a temporary folder that fills up (debug builds only):
    // half the lines are written, then the disk is full.
    #[cfg(debug_assertions)]
    if std::env::var_os("HUIBAO_RECORD_SPILL_FULL").is_some() {
        file.write_all(&lines[..lines.len() / 2])?;
        return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
    }
    file.write_all(lines)
}

/// Paths under the year folder in folder order: `县局/a.txt` before `县局-分局/a.txt` (by bytes
/// `-` comes before `/`), the order in which a build takes the departments.
fn by_folder(a: &str, b: &str) -> std::cmp::Ordering {
    // The parts compared one by one are the bytes compared with `/` below every other byte.
    let key = |byte: u8| match byte {
        b'/' => 0,
        other => u16::from(other) + 1,
    };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

/// A file kept under another name: where it was and where it is (under the year folder), and
/// whether a person had changed it.
pub type KeptLine = (String, String, bool);

fn complete() -> bool {
    true
}

/// A report line of an earlier run, as the record's file holds it.
#[derive(Debug, Deserialize)]
pub struct Earlier {
    pub dept: String,
    pub kind: String,
    pub ok: bool,
    #[serde(default)]
    pub error: Option<String>,
    /// When the run that made it ran: the earlier record's time, for a line carried over.
    #[serde(default)]
    pub built: Option<String>,
}

/// What an earlier record says of its reports, read for a run that makes only some of them.
#[derive(Deserialize)]
struct EarlierRun {
    #[serde(default)]
    reports: Vec<Earlier>,
    #[serde(default)]
    when: String,
}

/// The record as its file holds it, this run's reports taken from the outcomes.
#[derive(Serialize)]
struct Saved<'a> {
    files: Files<'a>,
    reports: &'a Reports<'a>,
    kept: &'a [(String, String, bool)],
    when: &'a str,
    text: Option<&'a Digest>,
    complete: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    workbook_failed: Option<&'a str>,
}

/// The record's files as its file lists them, in folder order: those held, merged with those
/// set down ([`Record::set_down`]) as they are read back. A path in both is the held one, which
/// is the later: a path set down leaves `files`.
struct Files<'a>(&'a Record);

impl Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap};
        use std::io::{BufRead, Seek};
        let fail = |e: std::io::Error| S::Error::custom(format!("暂存的生成记录无法读回：{e}"));
        let mut held: Vec<(&String, &Digest)> = self.0.files.iter().collect();
        held.sort_by(|a, b| by_folder(a.0, b.0));
        let mut held = held.into_iter().peekable();
        let mut lines = match self.0.settled.file.as_ref() {
            Some(mut file) => {
                file.seek(std::io::SeekFrom::Start(0)).map_err(fail)?;
                let written = std::io::Read::take(file, self.0.settled.len);
                Some(std::io::BufReader::new(written).lines())
            }
            None => None,
        };
        let mut read = || -> std::io::Result<Option<(String, Digest)>> {
            let Some(line) = lines.as_mut().and_then(Iterator::next).transpose()? else {
                return Ok(None);
            };
            serde_json::from_str(&line)
                .map(Some)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        };
        let mut settled = read().map_err(fail)?;
        let mut map = serializer.serialize_map(None)?;
        loop {
            let order = match (held.peek(), &settled) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some((key, _)), Some((other, _))) => by_folder(key, other),
            };
            if order.is_gt() {
                let (key, hash) = settled.take().expect("compared");
                map.serialize_entry(&key, &hash)?;
                settled = read().map_err(fail)?;
            } else {
                let (key, hash) = held.next().expect("compared");
                map.serialize_entry(key, hash)?;
                if order.is_eq() {
                    settled = read().map_err(fail)?;
                }
            }
        }
        map.end()
    }
}

/// This run's reports, for the record: every selected department's report of every kind, in
/// the order they were made, then the county-wide ones. Only the outcomes with something to
/// tell are held ([`crate::batch::Batch::outcomes`]); a report that is not among them went
/// well, and its line is made from the department and the kind. After them, the reports of
/// earlier runs that this one did not make again (it was given `--dept` or `--kind`), each
/// with the time it was made: the record tells the state of the whole year folder.
pub struct Reports<'a> {
    /// The run's departments ([`YearIndex::departments`]).
    pub index: &'a YearIndex,
    /// The kinds made for each department, in order (the county-wide ones are not).
    pub kinds: &'a [&'a str],
    /// The outcomes held, in the order they were made.
    pub told: &'a [Outcome],
    pub tally: Tally,
    /// Earlier runs' reports of departments and kinds that still exist and this run did not
    /// make, in the earlier record's order.
    pub carried: Vec<&'a Earlier>,
    /// Whether the run makes only some of the reports (`--dept`, `--kind`).
    pub partial: bool,
    /// Whether an earlier record was read back that covers the whole year (see
    /// [`Record::complete`]), so that `carried` says what else there is.
    pub earlier_complete: bool,
    /// Why the summary workbook was not written, when it was not.
    pub workbook_failed: Option<String>,
    /// Whether the output folder holds files of all departments (汇总.xlsx, a county report)
    /// from an earlier build of everything.
    pub county_made: bool,
}

impl<'a> Reports<'a> {
    /// Whether this run makes the file at `path` under the year folder: one of its kinds'
    /// (by the file's stem) in one of its departments' folders, or a county-wide report it
    /// made at the folder's top.
    fn makes(&self, path: &str) -> bool {
        let stem = |file: &str| {
            Path::new(file)
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_owned)
        };
        match path.split_once('/') {
            Some((dept, file)) => {
                self.index.department(dept).is_some()
                    && stem(file).is_some_and(|stem| self.kinds.contains(&stem.as_str()))
            }
            // A county-wide report, at the year folder's top, made this run.
            None => {
                stem(path).is_some_and(|stem| self.told.iter().any(|o| o.county && o.kind == stem))
            }
        }
    }

    fn lines(&self) -> impl Iterator<Item = ReportLine<'a>> + '_ {
        self.this_run()
            .chain(self.carried.iter().map(|line| ReportLine {
                dept: &line.dept,
                kind: &line.kind,
                ok: line.ok,
                error: line.error.clone(),
                built: line.built.as_deref(),
            }))
    }

    fn this_run(&self) -> impl Iterator<Item = ReportLine<'a>> + '_ {
        let mut told = self.told.iter().filter(|o| !o.county).peekable();
        let each = self
            .index
            .departments()
            .flat_map(|dept| self.kinds.iter().map(move |kind| (dept.name, *kind)));
        let lines = each.map(move |(dept, kind)| {
            match told.next_if(|o| o.dept == dept && o.kind == kind) {
                Some(outcome) => ReportLine::of(outcome),
                None => ReportLine {
                    dept,
                    kind,
                    ok: true,
                    error: None,
                    built: None,
                },
            }
        });
        lines.chain(self.told.iter().filter(|o| o.county).map(ReportLine::of))
    }

    /// Whether the lines agree with the tally: each report once, each failure failed. A held
    /// outcome the walk in [`Reports::lines`] did not meet at its place would make every
    /// later one a line that says it went well.
    pub fn agree(&self) -> bool {
        let (mut lines, mut failed) = (0, 0);
        for line in self.this_run() {
            lines += 1;
            failed += usize::from(!line.ok);
        }
        lines == self.tally.reports && failed == self.tally.failed
    }

    fn failed(&self) -> impl Iterator<Item = &'a Outcome> + '_ {
        self.told.iter().filter(|o| o.result.is_err())
    }
}

impl Serialize for Reports<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.lines())
    }
}

#[derive(Debug, Serialize)]
struct ReportLine<'a> {
    dept: &'a str,
    kind: &'a str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// When an earlier run made it (a line carried over); none for this run's.
    #[serde(skip_serializing_if = "Option::is_none")]
    built: Option<&'a str>,
}

impl<'a> ReportLine<'a> {
    fn of(outcome: &'a Outcome) -> ReportLine<'a> {
        ReportLine {
            dept: &outcome.dept,
            kind: &outcome.kind,
            ok: outcome.result.is_ok(),
            error: outcome.result.as_ref().err().map(|e| e.to_string()),
            built: None,
        }
    }
}

impl Record {
    /// The year folder's record; empty when there is none yet (then every existing file that
    /// differs from what a build writes is kept, as one a person changed). A record that cannot
    /// be read is kept as `生成情况（无法读取）.json` and said so in the returned note. With
    /// `earlier`, the record's report lines are read too ([`Record::earlier`]).
    pub fn load(year_dir: &Path, earlier: bool) -> (Record, Option<String>) {
        let (mut record, note) = Record::load_record(year_dir, earlier);
        // What a killed build was putting in place: line by line, a line cut short (a full
        // disk) costing only itself.
        if let Ok(log) = std::fs::read(year_dir.join(PENDING_LOG)) {
            for line in log.split(|&b| b == b'\n') {
                if let Ok((file, hash)) = serde_json::from_slice::<(String, Digest)>(line) {
                    match file == RECORD_TXT {
                        true => record.pending_text.push(hash),
                        false => {
                            let hashes = record.pending.entry(file).or_default();
                            if !hashes.contains(&hash) {
                                hashes.push(hash);
                            }
                        }
                    }
                }
            }
        }
        (record, note)
    }

    fn load_record(year_dir: &Path, earlier: bool) -> (Record, Option<String>) {
        let path = year_dir.join(RECORD_JSON);
        let Ok(bytes) = std::fs::read(&path) else {
            return (Record::default(), None);
        };
        let read = serde_json::from_slice::<Record>(&bytes).map(|mut record| {
            // Report lines that cannot be read (a hand edit) are not carried over; the files
            // the record holds still count.
            if earlier && let Ok(run) = serde_json::from_slice::<EarlierRun>(&bytes) {
                record.earlier = run.reports;
                let when = Some(run.when).filter(|w| !w.is_empty());
                for line in &mut record.earlier {
                    if line.built.is_none() {
                        line.built.clone_from(&when);
                    }
                }
            }
            record
        });
        match read {
            Ok(record) => (record, None),
            Err(e) => {
                let aside = aside(&path, "无法读取");
                let _ = std::fs::rename(&path, &aside);
                use serde_json::error::Category;
                let what = match e.classify() {
                    Category::Eof => "文件不完整",
                    Category::Syntax => "不是有效的 JSON",
                    Category::Data | Category::Io => "内容不是生成记录的格式",
                };
                let note = format!(
                    "生成记录无法读取（第 {} 行第 {} 列处{what}，可能被人改动过），已改名为 {}；这次无法分辨哪些文件被人改过，所以与新报告不同的文件都会改名保留。",
                    e.line(),
                    e.column(),
                    aside.display()
                );
                (Record::default(), Some(note))
            }
        }
    }

    /// Whether `hash` is one huibao recorded for a file (by its path under the year folder).
    pub fn is_ours(&self, relative: &str, hash: &Digest) -> bool {
        self.files.get(relative) == Some(hash)
            || self
                .pending
                .get(relative)
                .is_some_and(|hashes| hashes.contains(hash))
    }

    /// Moves the entries under these folders (departments this run is done with, in the order
    /// it built them) out of memory: nothing in the run looks them up again. An entry that
    /// would not come after the last one written, or that cannot be written (no temporary
    /// file, a full disk), stays held: the record saved is the same either way.
    pub fn set_down<'a>(&mut self, folders: impl IntoIterator<Item = &'a str>) {
        use std::io::Seek;
        if self.settled.unavailable {
            return;
        }
        if self.settled.file.is_none() {
            match tempfile::tempfile() {
                Ok(file) => self.settled.file = Some(file),
                Err(_) => {
                    self.settled.unavailable = true;
                    return;
                }
            }
        }
        let mut moved: Vec<(String, Digest)> = Vec::new();
        let mut lines = String::new();
        let last_before = self.settled.last.clone();
        for folder in folders {
            let prefix = format!("{folder}/");
            let keys: Vec<String> = self
                .files
                .range::<str, _>((
                    std::ops::Bound::Included(prefix.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .map(|(key, _)| key)
                .take_while(|key| key.starts_with(&prefix))
                .cloned()
                .collect();
            let mut entries: Vec<(String, Digest)> = keys
                .into_iter()
                .filter_map(|key| self.files.remove(&key).map(|hash| (key, hash)))
                .collect();
            entries.sort_by(|a, b| by_folder(&a.0, &b.0));
            for (key, hash) in entries {
                let after = self
                    .settled
                    .last
                    .as_deref()
                    .is_none_or(|last| by_folder(last, &key).is_lt());
                if after {
                    lines.push_str(&serde_json::to_string(&(&key, &hash)).expect("plain data"));
                    lines.push('\n');
                    self.settled.last = Some(key.clone());
                    moved.push((key, hash));
                } else {
                    self.files.insert(key, hash);
                }
            }
        }
        let Some(file) = self.settled.file.as_mut() else {
            return;
        };
        let len = self.settled.len;
        match file
            .seek(std::io::SeekFrom::Start(len))
            .and_then(|_| write_lines(file, lines.as_bytes()))
        {
            Ok(()) => self.settled.len += lines.len() as u64,
            Err(_) => {
                // What was written of these lines is never read back (and cut off where the
                // system allows); they are held again, and so is everything after them.
                let _ = file.set_len(len);
                self.settled.last = last_before;
                self.settled.unavailable = true;
                self.files.extend(moved);
            }
        }
    }

    /// Appends files about to be put in place to the pending log, durably, before they are.
    pub fn log_pending<'a>(
        year_dir: &Path,
        files: impl Iterator<Item = (String, &'a Digest)>,
    ) -> Result<()> {
        let path = year_dir.join(PENDING_LOG);
        let fail = |e| crate::diagnostics::Error::write(&path, e);
        let mut lines = String::new();
        for (file, hash) in files {
            lines.push_str(&serde_json::to_string(&(file, hash)).expect("plain data"));
            lines.push('\n');
        }
        if lines.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(year_dir).map_err(fail)?;
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(fail)?;
        let len = log.metadata().map_err(fail)?.len();
        // A line a killed build left cut short is ended first, so that it costs only itself.
        if len > 0 {
            use std::io::{Read, Seek};
            let mut last = [0u8];
            log.seek(std::io::SeekFrom::End(-1))
                .and_then(|_| log.read_exact(&mut last))
                .map_err(fail)?;
            if last[0] != b'\n' {
                lines.insert(0, '\n');
            }
        }
        // A failed append leaves no half line for the next build to read.
        append_log(&mut log, lines.as_bytes())
            .and_then(|()| log.sync_data())
            .map_err(|e| {
                let _ = log.set_len(len);
                fail(e)
            })
    }

    /// Writes the record and its text twin into the year folder, then drops the pending log
    /// the record now covers. A text a person wrote in is moved aside first, and so is the
    /// last run's text when the record cannot be written; both are added to `moved_aside`.
    pub fn save(
        &mut self,
        year_dir: &Path,
        year: i32,
        reports: &Reports,
        moved_aside: &mut Vec<crate::emit::Kept>,
    ) -> Result<()> {
        // A text that is not the one huibao last wrote, or with no record of that (none, one
        // that cannot be read, one of an earlier version), may hold a person's notes.
        let text_path = year_dir.join(RECORD_TXT);
        if let Ok(on_disk) = hash_file(&text_path)
            && self.text != Some(on_disk)
            && !self.pending_text.contains(&on_disk)
        {
            let moved = crate::emit::keep_edited(&text_path)?;
            self.kept.push((
                RECORD_TXT.to_owned(),
                moved
                    .to
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                true,
            ));
            moved_aside.push(moved);
        }
        // A killed build's files that this run did not write again are still huibao's own:
        // those that still hold what the pending log says move into the record before the log
        // goes.
        for (file, hashes) in std::mem::take(&mut self.pending) {
            if let Ok(on_disk) = hash_file(&year_dir.join(&file))
                && hashes.contains(&on_disk)
                && self.files.get(&file) != Some(&on_disk)
            {
                self.files.insert(file, on_disk);
            }
        }
        // What this run kept aside, and, for a run of some departments or kinds, what earlier
        // runs kept aside of the reports it did not make again (as their lines are carried).
        let mut kept = std::mem::take(&mut self.kept);
        let kept_here = kept.len();
        if reports.partial {
            for line in &self.last_kept {
                if !reports.makes(&line.0) && !kept.contains(line) {
                    kept.push(line.clone());
                }
            }
        }
        // A run that changed nothing leaves the record as it was, its time too, and what the
        // run that last changed something kept aside: a rebuild with nothing changed touches
        // no file.
        let as_before = match kept_here {
            0 => &self.last_kept,
            _ => &kept,
        };
        if !self.when.is_empty() && self.unchanged(year_dir, year, reports, as_before) {
            let _ = std::fs::remove_file(year_dir.join(PENDING_LOG));
            return Ok(());
        }
        self.when = now();
        let before = self.text;
        let text = self.text(year, reports, &kept);
        self.text = Some(hash(text.as_bytes()));
        // The record and its text are replaced one after the other: a build killed between
        // the two leaves one of them old. The pending log names both texts as huibao's, so
        // the next build takes neither for a person's edit.
        let texts = before
            .iter()
            .chain(&self.text)
            .map(|d| (RECORD_TXT.to_owned(), d));
        let written = Record::log_pending(year_dir, texts).and_then(|()| {
            // Written as it is serialised: at 10,000 departments it is several megabytes.
            crate::emit::write_atomic_streamed(&year_dir.join(RECORD_JSON), |file| {
                let mut out = std::io::BufWriter::new(file);
                self.write_json(&mut out, reports, &kept)?;
                out.flush()
            })?;
            crate::emit::write_atomic(&text_path, text.as_bytes())
        });
        if let Err(e) = written {
            // Not written (a full disk), the text would go on telling the last run's results
            // as the current ones. It is set aside as a failed report's files are; a rename
            // takes no room on the disk.
            moved_aside.extend(crate::emit::move_aside(&text_path, |_| true));
            return Err(e);
        }
        let _ = std::fs::remove_file(year_dir.join(PENDING_LOG));
        Ok(())
    }

    /// Why the summary workbook is missing: this build's, or for a build of some (which leaves
    /// the workbook as it is), the last build of everything's.
    fn workbook_failed<'s>(&'s self, reports: &'s Reports) -> Option<&'s str> {
        match reports.partial {
            true => self.workbook_failed.as_deref(),
            false => reports.workbook_failed.as_deref(),
        }
    }

    fn write_json(
        &self,
        out: &mut impl Write,
        reports: &Reports,
        kept: &[KeptLine],
    ) -> std::io::Result<()> {
        let saved = Saved {
            files: Files(self),
            reports,
            kept,
            when: &self.when,
            text: self.text.as_ref(),
            // A build of everything covers the year; one of some, when what it carries over did.
            complete: !reports.partial || reports.earlier_complete,
            workbook_failed: self.workbook_failed(reports),
        };
        serde_json::to_writer_pretty(&mut *out, &saved).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    }

    /// Whether the record's two files already say what this run would write, but for its
    /// time. The JSON is compared by its SHA-256, serialised into the hash rather than held.
    fn unchanged(&self, year_dir: &Path, year: i32, reports: &Reports, kept: &[KeptLine]) -> bool {
        struct Hashing(Sha256);
        impl Write for Hashing {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.update(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let text_same = std::fs::read(year_dir.join(RECORD_TXT))
            .is_ok_and(|old| old == self.text(year, reports, kept).as_bytes());
        let mut json = Hashing(Sha256::new());
        text_same
            && self.write_json(&mut json, reports, kept).is_ok()
            && hash_file(&year_dir.join(RECORD_JSON))
                .is_ok_and(|old| old == Digest(json.0.finalize().into()))
    }

    fn text(&self, year: i32, reports: &Reports, kept: &[KeptLine]) -> String {
        let failed: Vec<&Outcome> = reports.failed().collect();
        let mut text = format!(
            "{year} 年报告生成情况（huibao build，{}）\n\n生成 {} 份报告，{} 份失败。\n",
            self.when,
            reports.tally.reports - reports.tally.failed,
            reports.tally.failed
        );
        if !failed.is_empty() {
            text.push_str("\n失败的报告：\n");
            for outcome in failed {
                let error = ReportLine::of(outcome).error.unwrap_or_default();
                let error = indented(&error);
                text.push_str(&format!("- {} › {}：{error}\n", outcome.dept, outcome.kind));
            }
        }
        if let Some(e) = self.workbook_failed(reports) {
            match reports.partial {
                true => text.push_str(&format!("\n汇总表在上次生成全部报告时没有写成：{e}\n")),
                false => text.push_str(&format!("\n汇总表没有写成：{e}\n")),
            }
        }
        if reports.partial && !reports.earlier_complete {
            text.push_str(
                "\n这次只生成了选定的单位或报告种类（--dept、--kind）。之前的生成记录没有找到或无法读取，其余报告的情况不明；不带 --dept、--kind 运行一次 huibao build，记录才完整。\n",
            );
        } else if reports.partial || !reports.carried.is_empty() {
            let failed: Vec<&&Earlier> = reports.carried.iter().filter(|l| !l.ok).collect();
            text.push_str(&format!(
                "\n这次只生成了选定的单位或报告种类（--dept、--kind）。另有 {} 份报告是之前生成的，这次没有重新生成，其中 {} 份失败{}\n",
                reports.carried.len(),
                failed.len(),
                if failed.is_empty() { "。" } else { "：" }
            ));
            for line in failed {
                text.push_str(&format!(
                    "- {} › {}，生成于 {}：{}\n",
                    line.dept,
                    line.kind,
                    line.built.as_deref().unwrap_or("时间不详"),
                    indented(line.error.as_deref().unwrap_or(""))
                ));
            }
        }
        match (reports.partial, reports.county_made) {
            (true, true) => text.push_str(
                "按全部单位汇总的文件（全县汇总的报告、汇总.xlsx）只在生成全部报告时更新，仍是上次的，不含这次重新生成的报告的改动。\n",
            ),
            (true, false) => text.push_str(
                "按全部单位汇总的文件（全县汇总的报告、汇总.xlsx）只在生成全部报告时生成，还没有生成过：不带 --dept、--kind 生成一次即可。\n",
            ),
            (false, _) => {}
        }
        for (edited, heading) in [
            (true, "有人改动过的文件，没有覆盖，已改名保留："),
            (false, "不再是当前报告的旧文件，已改名保留："),
        ] {
            let lines: Vec<String> = kept
                .iter()
                .filter(|k| k.2 == edited)
                .map(|(from, to, _)| format!("- {from} → {to}\n"))
                .collect();
            if !lines.is_empty() {
                text.push_str(&format!("\n{heading}\n{}", lines.concat()));
            }
        }
        text
    }
}

/// The time now in the machine's time zone, as a person reads it, with the offset so a record
/// copied elsewhere still says when: `2022-12-30 17:05:09（UTC+08:00）`.
/// An error of several problems, one to a line, its later lines set in under the report's
/// line in 生成情况.txt.
fn indented(error: &str) -> String {
    error.replace('\n', "\n  ")
}

fn now() -> String {
    chrono::Local::now()
        .format("%Y-%m-%d %H:%M:%S（UTC%:z）")
        .to_string()
}

/// A free name beside `path` that says what the file is: `意识形态工作（手工修改版）.docx`, then
/// `…（手工修改版 2）.docx` and so on.
pub fn aside(path: &Path, label: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}（{label}）{ext}")),
            n => dir.join(format!("{stem}（{label} {n}）{ext}")),
        })
        .find(|candidate| !candidate.exists())
        .expect("a free name")
}

#[cfg(test)]
mod tests {
    use super::{Digest, Record, hash};

    #[test]
    fn report_lines_that_cannot_be_read_cost_a_partial_run_nothing_but_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let digest = hash(b"abc").to_string();
        std::fs::write(
            dir.path().join(super::RECORD_JSON),
            format!(r#"{{"files": {{"甲/乙.txt": "{digest}"}}, "reports": [{{"dept": 3}}], "when": ""}}"#),
        )
        .unwrap();
        let (record, note) = Record::load(dir.path(), true);
        assert!(note.is_none(), "{note:?}");
        assert!(record.is_ours("甲/乙.txt", &hash(b"abc")));
        assert!(record.earlier.is_empty());
    }

    #[test]
    fn entries_set_down_are_saved_with_those_held_in_folder_order() {
        let mut record = Record::default();
        for (i, path) in [
            "县局/b.txt",
            "县局-分局/a.txt",
            "县局/a.txt",
            "汇总.xlsx",
            "别的/x.txt",
        ]
        .into_iter()
        .enumerate()
        {
            record.files.insert(path.to_owned(), hash(&[i as u8]));
        }
        record.set_down(["县局"]);
        record.set_down(["县局-分局"]);
        assert_eq!(
            record.files.keys().collect::<Vec<_>>(),
            ["别的/x.txt", "汇总.xlsx"],
            "the folders set down leave memory"
        );
        // A folder before the last one set down stays held; a path changed after its folder
        // was set down is held, and the held one is saved.
        record.set_down(["别的"]);
        record.files.insert("县局/a.txt".to_owned(), hash(b"later"));
        assert_eq!(record.files.len(), 3);
        let json = serde_json::to_string(&super::Files(&record)).unwrap();
        let expected = [
            ("别的/x.txt", hash(&[4])),
            ("县局/a.txt", hash(b"later")),
            ("县局/b.txt", hash(&[0])),
            ("县局-分局/a.txt", hash(&[1])),
            ("汇总.xlsx", hash(&[3])),
        ];
        let expected: Vec<String> = expected
            .iter()
            .map(|(path, digest)| format!("\"{path}\":\"{digest}\""))
            .collect();
        assert_eq!(json, format!("{{{}}}", expected.join(",")));
    }

    #[test]
    fn a_digest_is_written_and_read_as_sha256_hex() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(hash(b"abc").to_string(), abc);
        assert_eq!(Digest::from_hex(abc), Some(hash(b"abc")));
        assert_eq!(Digest::from_hex(&abc.to_uppercase()), Some(hash(b"abc")));
        let json = serde_json::to_string(&hash(b"abc")).unwrap();
        assert_eq!(json, format!("\"{abc}\""));
        assert_eq!(serde_json::from_str::<Digest>(&json).unwrap(), hash(b"abc"));
        for bad in [
            "",
            &abc[1..],
            &format!("{abc}0"),
            &abc.replace('b', "g"),
            "+a".repeat(32).as_str(),
        ] {
            assert_eq!(Digest::from_hex(bad), None, "{bad}");
            assert!(serde_json::from_str::<Digest>(&format!("\"{bad}\"")).is_err());
        }
    }
}
