//! The batch: schedules every selected department through the pipeline (all report kinds of
//! a department together, departments in parallel), commits the written files in bulk, and
//! hands each outcome to a [`Reporter`]. One failure never stops the others.
//!
//! A county-wide report kind (`scope = "county"`) is not rendered per department: each
//! department's context for it is collected in the same pass, and once every department is
//! read the report is rendered once, written to `OUT/<year>/<kind>.*` and committed like the
//! others. After the batch, [`Batch`] counts every report and holds the outcomes worth
//! telling; when the plan asks, it holds every outcome with its context, for whatever else
//! looks across departments.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::context::Context;
use crate::diagnostics::{Error, Note, Result};
use crate::emit::{self, Existing, Format, Kept, Output, Staged};
use crate::index::YearIndex;
use crate::manifest::Scope;
use crate::pipeline::{Department, Kind, Years};
use crate::record::{Digest, Record};
use crate::workspace::Workspace;

/// What a command resolved from its arguments: which reports, and where they go.
#[derive(Debug, Clone)]
pub struct Plan {
    pub workspace: Workspace,
    /// The year's index, holding only the selected departments (each folder is listed when
    /// the department is built, unless listed already).
    pub index: YearIndex,
    pub kinds: Vec<String>,
    pub formats: Vec<Format>,
    /// Where reports are written; `None` checks without writing.
    pub out: Option<PathBuf>,
    pub jobs: Option<usize>,
    /// Keep each report's context in its outcome, for a phase that looks across departments.
    pub keep_contexts: bool,
    /// Every department of the year is selected (no `--dept`): only then are county-wide
    /// reports made, since they would otherwise leave departments out.
    pub all_departments: bool,
    /// Every report kind is selected (no `--kind`): only then is the summary workbook written,
    /// whose sheets come from all kinds' sources.
    pub all_kinds: bool,
}

impl Plan {
    pub fn year(&self) -> i32 {
        self.index.year
    }

    /// How many reports the plan makes: departments × kinds.
    pub fn total(&self) -> usize {
        self.index.departments().len() * self.kinds.len()
    }
}

/// How one department's report of one kind went.
#[derive(Debug)]
pub struct Outcome {
    pub dept: String,
    pub kind: String,
    /// The files written (none for `check`), or why the report failed. Boxed, like the
    /// context: a run may keep every outcome, so each is kept small.
    pub result: Result<Vec<PathBuf>, Box<Error>>,
    /// How many of the files already held exactly these bytes and were left as they were.
    pub unchanged: usize,
    /// Files moved aside rather than overwritten or lost: a file a person changed
    /// (`…（手工修改版）`), or huibao's previous files that are not current
    /// (`…（上次生成的旧版）`).
    pub kept: Vec<Kept>,
    /// What reading the data noticed that is not an error, kept for a failed report too.
    pub notes: Vec<Note>,
    /// The context the templates saw, when the plan keeps contexts and reading succeeded.
    pub context: Option<Box<Context>>,
    /// A county-wide report (`dept` is then [`COUNTY`]), written to `OUT/<year>/<kind>.*`.
    pub county: bool,
}

/// How a county-wide report is named where a department's name would stand.
pub const COUNTY: &str = "全县";

impl Outcome {
    /// The folder under the year's output folder its files go to: the department's, or none
    /// for a county-wide report.
    fn folder(&self) -> &str {
        if self.county { "" } else { &self.dept }
    }
}

/// A department's data read for a county-wide report: its context, or why it failed.
struct Collected {
    kind: usize,
    dept: String,
    context: std::result::Result<Context, String>,
    notes: Vec<Note>,
}

/// Everything a run produced: how many reports it made and how they went, the outcomes
/// worth telling, in department then kind order, and the notes that belong to the year rather
/// than to one report (rows of a master table that no department gets).
#[derive(Debug)]
pub struct Batch {
    /// Every report, counted.
    pub tally: Tally,
    /// The outcomes worth telling: a failed report, one with notes or with files kept aside,
    /// a county-wide one; every outcome when the plan keeps contexts. A report that went
    /// well and says nothing leaves only its count, so what a run holds to its end does not
    /// grow with the reports that went well (20,000 of them at 10,000 departments).
    pub outcomes: Vec<Outcome>,
    pub notes: Vec<Note>,
    /// The run record could not be written (a full disk): the reports are as the outcomes
    /// say, but the next build cannot tell them from files a person changed.
    pub record_error: Option<Box<Error>>,
    /// `OUT/<year>/汇总.xlsx`, when the run wrote it (a build of all departments), or why it
    /// could not; and the earlier file set aside if a person had changed it.
    pub workbook: Option<std::result::Result<PathBuf, Box<Error>>>,
    pub workbook_kept: Vec<Kept>,
}

impl Batch {
    pub fn failed(&self) -> usize {
        self.tally.failed
    }
}

/// Every report of a run, counted as it is committed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub reports: usize,
    pub failed: usize,
    /// Files of the reports that were made, written or left as they were.
    pub files: usize,
    /// Of those, the files that already held exactly these bytes.
    pub unchanged: usize,
}

impl Tally {
    fn count(&mut self, outcome: &Outcome) {
        self.reports += 1;
        match &outcome.result {
            Ok(files) => {
                self.files += files.len();
                self.unchanged += outcome.unchanged;
            }
            Err(_) => self.failed += 1,
        }
    }
}

impl Outcome {
    /// Whether a person hears of this outcome after the run (and so it is kept): it failed,
    /// noticed something, kept a file aside, or is the county's.
    fn has_news(&self) -> bool {
        self.result.is_err() || !self.notes.is_empty() || !self.kept.is_empty() || self.county
    }
}

/// Where progress goes while the batch runs: a terminal bar, plain lines, JSON, or nowhere.
/// Called from the batch's thread only, in the order outcomes are committed.
pub trait Reporter {
    /// Another build holds the output folder; this one waits for it.
    fn waiting(&self, _out: &Path) {}
    fn start(&self, _total: usize) {}
    fn done(&self, _outcome: &Outcome) {}
    fn finish(&self) {}
}

/// A reporter that says nothing (a library caller, a test).
pub struct Silent;

impl Reporter for Silent {}

/// How many departments are built before their files are committed together. At most three
/// chunks are held at once (one committed, one waiting, one being built), which bounds the
/// memory a run holds (outcomes aside) whatever the number of departments: 64 keeps that to a
/// few MiB and still syncs a few hundred files at a time.
const CHUNK: usize = 64;

/// Runs the plan: departments in parallel on `plan.jobs` threads, chunk by chunk; while the
/// pool builds a chunk, this thread commits the one before and tells the reporter. A plan that writes holds its
/// output folder's lock throughout (waiting for another build that holds it), and removes the
/// temporary files a killed build left in the folders it writes.
pub fn run(plan: &Plan, reporter: &dyn Reporter) -> Result<Batch> {
    let _lock = match &plan.out {
        Some(out) => Some(emit::lock_output(out, || reporter.waiting(out))?),
        None => None,
    };
    let year_dir = plan
        .out
        .as_ref()
        .map(|out| out.join(plan.year().to_string()));
    let mut year_notes = Vec::new();
    let record = year_dir.as_deref().map(|dir| {
        // The record's own temporary files, should a build have been killed writing it.
        emit::remove_leftovers(dir);
        // A run that makes only some of the reports carries the others' lines over.
        let partial = !(plan.all_departments && plan.all_kinds);
        let (record, note) = Record::load(dir, partial);
        if let Some(note) = note {
            let at = crate::diagnostics::Location::file(&dir.join(crate::record::RECORD_JSON));
            year_notes.push(Note::new(at, note));
        }
        record
    });
    let mut record_error = None;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.unwrap_or(0))
        .build()
        .ok();
    type Built = (
        Vec<(Outcome, Vec<Output>)>,
        Vec<Collected>,
        Option<crate::summary::Part>,
    );
    let kinds: Vec<(String, Result<Kind>)> = match &pool {
        Some(pool) => pool.install(|| load_kinds(plan)),
        None => load_kinds(plan),
    };
    let is_county: Vec<bool> = kinds
        .iter()
        .map(|(name, k)| match k {
            Ok(k) => k.manifest.scope == Scope::County,
            // A county-wide kind that fails to load fails once, as the county's.
            Err(_) => {
                crate::manifest::declared_scope(&plan.workspace.kind_dir(name)) == Scope::County
            }
        })
        .collect();
    let county_kinds = is_county.iter().filter(|c| **c).count();
    // The kinds made for each department, in order: every one but the county-wide ones.
    let dept_kinds: Vec<&str> = kinds
        .iter()
        .zip(&is_county)
        .filter(|(_, county)| !**county)
        .map(|((name, _), _)| name.as_str())
        .collect();
    if county_kinds > 0 && !plan.all_departments {
        for (name, _) in kinds
            .iter()
            .zip(&is_county)
            .filter(|(_, c)| **c)
            .map(|(k, _)| k)
        {
            let at = crate::diagnostics::Location::file(&plan.workspace.kind_dir(name));
            let made = county_made(plan, &[name.as_str()]);
            year_notes.push(Note::new(
                at,
                match (&plan.out, made) {
                    (Some(_), true) => "这是全县汇总的报告种类，要用到全部单位的数据；用 --dept 只选了部分单位时不生成，输出文件夹里的全县汇总仍是上次不带 --dept 生成的。",
                    (Some(_), false) => "这是全县汇总的报告种类，要用到全部单位的数据；用 --dept 只选了部分单位时不生成。输出文件夹里还没有它：不带 --dept 生成一次即可。",
                    (None, _) => "这是全县汇总的报告种类，要用到全部单位的数据；用 --dept 只选了部分单位时不检查它的数据。",
                },
            ));
        }
    }
    // The last build of everything's workbook stays as it was: said, since it may list a
    // department just fixed among those that failed, or lack its new figures.
    if let Some(dir) = &year_dir
        && !(plan.all_departments && plan.all_kinds)
    {
        let path = dir.join(crate::summary::FILE);
        if path.is_file() {
            year_notes.push(Note::new(
                crate::diagnostics::Location::file(&path),
                "汇总表只在不带 --dept、--kind 生成全部报告时更新；现在的仍是上次生成全部报告时的，不含这次重新生成的报告的改动。",
            ));
        }
    }
    let county_wanted = plan.all_departments;
    // The summary workbook covers all departments, so it is made only when all are built.
    let manifests: Vec<&crate::manifest::Manifest> = kinds
        .iter()
        .filter_map(|(_, k)| k.as_ref().ok().map(|k| &k.manifest))
        .collect();
    let mut workbook = match (&plan.out, plan.all_departments && plan.all_kinds) {
        (Some(_), true) => Some(crate::summary::Summary::new(&manifests)),
        _ => None,
    };
    // What the workbook takes from each department is taken where the department is built;
    // its contexts are kept only that long.
    let layout = match &workbook {
        Some(Ok(summary)) => Some(summary.layout()),
        _ => None,
    };
    let keep_context = plan.keep_contexts || layout.is_some();
    // County-wide reports when all departments are selected; a broken county kind's failure
    // in any run.
    let broken_county = kinds
        .iter()
        .zip(&is_county)
        .filter(|((_, k), county)| **county && k.is_err())
        .count();
    let total = plan.index.departments().len() * dept_kinds.len()
        + if county_wanted {
            county_kinds
        } else {
            broken_county
        };
    reporter.start(total);
    let years = Years::open(&plan.workspace, &plan.index);
    let mut outcomes = Vec::new();
    let mut tally = Tally::default();
    let keep = |outcomes: &mut Vec<Outcome>, tally: &mut Tally, done: Vec<Outcome>| {
        for outcome in done {
            tally.count(&outcome);
            if plan.keep_contexts || outcome.has_news() {
                outcomes.push(outcome);
            }
        }
    };
    let mut collected: Vec<Collected> = Vec::new();
    // Chunks are built on the pool while this thread commits the chunk before: the files of
    // a chunk are put in place, recorded and reported in order, as the departments come. The
    // workers read the run record (is a file at a target huibao's own?) between this thread's
    // updates, each of which touches only departments already built.
    let record_lock = std::sync::RwLock::new(record);
    let build_chunk = |chunk: &[crate::index::DeptIndex]| -> Vec<Built> {
        chunk
            .par_iter()
            .map(|dept| {
                // Held while the department is built: nothing under it may wait on the pool,
                // or a nested read behind this thread's waiting commit would never return.
                let guard = record_lock.read().unwrap_or_else(|e| e.into_inner());
                let recorded = guard.as_ref();
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    // Fault injection for the test of this very catch (debug builds only).
                    #[cfg(debug_assertions)]
                    if std::env::var("HUIBAO_PANIC_IN").is_ok_and(|d| d == dept.name) {
                        panic!("injected for a test");
                    }
                    if let Some(out) = &plan.out {
                        // Temporary files of a build that was killed (the lock is held).
                        emit::remove_leftovers(&out.join(plan.year().to_string()).join(dept.name));
                    }
                    // Listed here, as it is built: the listing goes with the department.
                    let mut department = Department::open(dept.listed(), &years);
                    let mut reports = Vec::new();
                    let mut collected = Vec::new();
                    for (i, (name, kind)) in kinds.iter().enumerate() {
                        match (is_county[i], kind) {
                            (true, Ok(kind)) if county_wanted => {
                                let mut notes = Vec::new();
                                let context = department
                                    .context(kind, &mut notes)
                                    .map_err(|e| county_reason(plan, &e.to_string()));
                                collected.push(Collected {
                                    kind: i,
                                    dept: dept.name.to_owned(),
                                    context,
                                    notes,
                                });
                            }
                            (true, _) => {}
                            (false, kind) => reports.push(one(
                                plan,
                                recorded,
                                &mut department,
                                name,
                                kind.as_ref(),
                                keep_context,
                            )),
                        }
                    }
                    let part = layout.as_ref().map(|layout| {
                        let contexts: Vec<&Context> = reports
                            .iter()
                            .filter_map(|(o, _)| o.context.as_deref())
                            .collect();
                        layout.part(dept.name, &contexts)
                    });
                    if !plan.keep_contexts {
                        for (outcome, _) in &mut reports {
                            outcome.context = None;
                        }
                    }
                    (reports, collected, part)
                }))
                .unwrap_or_else(|panic| {
                    let reports = dept_kinds
                        .iter()
                        .map(|name| internal_error(plan, recorded, dept.name, name, &*panic))
                        .collect();
                    let detail = crate::diagnostics::panic_message(&*panic);
                    let collected = (0..kinds.len())
                        .filter(|i| is_county[*i] && county_wanted)
                        .map(|i| Collected {
                            kind: i,
                            dept: dept.name.to_owned(),
                            context: Err(format!("处理这个单位的数据时出现了内部错误（{detail}）")),
                            notes: Vec::new(),
                        })
                        .collect();
                    (reports, collected, None)
                })
            })
            .collect()
    };
    in_place_scope(pool.as_ref(), |scope| {
        let (sender, built_chunks) = std::sync::mpsc::sync_channel(1);
        scope.spawn(|_| {
            for chunk in plan.index.chunks(CHUNK) {
                if sender.send(build_chunk(&chunk)).is_err() {
                    break;
                }
            }
            drop(sender);
        });
        for built in built_chunks {
            let mut built_reports = Vec::new();
            let mut parts = Vec::new();
            for (reports, read, part) in built {
                built_reports.extend(reports);
                collected.extend(read);
                parts.extend(part);
            }
            let (mut chunk_outcomes, outputs): (Vec<Outcome>, Vec<Vec<Output>>) =
                built_reports.into_iter().unzip();
            let staged = stage_all(
                plan,
                record_lock
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .as_ref(),
                &mut chunk_outcomes,
                outputs,
            );
            let committed = commit_files(year_dir.as_deref(), staged);
            let chunk_outcomes = settle(
                plan,
                &mut record_lock.write().unwrap_or_else(|e| e.into_inner()),
                year_dir.as_deref(),
                chunk_outcomes,
                committed,
                reporter,
            );
            // A workbook that cannot be written fails alone; the reports go on.
            let failed = match &mut workbook {
                Some(Ok(summary)) => guard_summary(|| {
                    add_to_summary(summary, parts, &chunk_outcomes).map_err(Box::new)
                })
                .err()
                .map(|e| *e),
                _ => None,
            };
            if let Some(e) = failed {
                workbook = Some(Err(e));
            }
            keep(&mut outcomes, &mut tally, chunk_outcomes);
        }
    });
    let mut record = record_lock.into_inner().unwrap_or_else(|e| e.into_inner());
    // The county-wide reports, once every department has been read.
    for (i, (name, kind)) in kinds.iter().enumerate() {
        if !is_county[i] {
            continue;
        }
        let (outcome, staged) = match kind {
            // A broken county-wide kind is told in every run that selects it, --dept or not:
            // its error does not depend on the departments. Only a run that would have made it
            // sets its earlier files aside.
            Err(e) => {
                let kept = match county_wanted {
                    true => set_aside(plan, record.as_ref(), "", name, &Format::ALL),
                    false => Vec::new(),
                };
                let outcome = Outcome {
                    dept: COUNTY.to_owned(),
                    kind: name.clone(),
                    result: Err(Box::new(kind_broken(e))),
                    unchanged: 0,
                    kept,
                    notes: Vec::new(),
                    context: None,
                    county: true,
                };
                (outcome, vec![Vec::new()])
            }
            Ok(_) if !county_wanted => continue,
            Ok(kind) => {
                let mut county = crate::context::County {
                    sources: kind
                        .manifest
                        .sources
                        .iter()
                        .map(|s| s.var.clone())
                        .collect(),
                    ..Default::default()
                };
                let mut notes = Vec::new();
                for read in collected.iter_mut().filter(|c| c.kind == i) {
                    notes.append(&mut read.notes);
                    match std::mem::replace(&mut read.context, Err(String::new())) {
                        Ok(context) => county.departments.push(context),
                        Err(reason) => county.failed.push((read.dept.clone(), reason)),
                    }
                }
                county.failed.extend(
                    missing_this_year(plan, &years)
                        .into_iter()
                        .map(|(dept, reason)| (dept, county_reason(plan, &reason))),
                );
                // A department whose own reports failed has its errors told already.
                let failed: std::collections::HashSet<&str> = outcomes
                    .iter()
                    .filter(|o| o.result.is_err())
                    .map(|o| o.dept.as_str())
                    .collect();
                for (dept, reason) in county
                    .failed
                    .iter()
                    .filter(|(d, _)| !failed.contains(d.as_str()))
                {
                    let at = crate::diagnostics::Location::file(
                        &plan.workspace.year_dir(plan.year()).join(dept),
                    );
                    notes.push(Note::new(
                        at,
                        format!("全县汇总“{name}”没有包括这个单位：{reason}"),
                    ));
                }
                let renames = years.renames().err();
                let (mut outcome, outputs) =
                    county_report(plan, record.as_ref(), name, kind, county, renames);
                outcome.notes = notes;
                let staged = stage_all(
                    plan,
                    record.as_ref(),
                    std::slice::from_mut(&mut outcome),
                    vec![outputs],
                );
                (outcome, staged)
            }
        };
        if let (Some(Ok(summary)), Err(e)) = (&mut workbook, &outcome.result) {
            summary.failed(&outcome.dept, &outcome.kind, e);
        }
        let done = finish(
            plan,
            &mut record,
            year_dir.as_deref(),
            vec![outcome],
            staged,
            reporter,
        );
        keep(&mut outcomes, &mut tally, done);
    }
    drop(collected);
    let mut workbook_kept = Vec::new();
    let workbook = match (workbook, &year_dir) {
        (Some(summary), Some(year_dir)) => {
            let written = guard_summary(|| {
                write_summary(
                    summary,
                    year_dir,
                    record.as_mut(),
                    &mut year_notes,
                    &mut workbook_kept,
                )
            });
            // The last one is not this run's: it is kept under another name, not left to
            // look current.
            if written.is_err() {
                workbook_kept.extend(set_aside_summary(year_dir, record.as_mut()));
            }
            Some(written)
        }
        _ => None,
    };
    reporter.finish();
    let earlier = record
        .as_mut()
        .map(|r| std::mem::take(&mut r.earlier))
        .unwrap_or_default();
    let carried = carried(plan, &earlier, &dept_kinds, &outcomes);
    if let (Some(year_dir), Some(first)) = (&year_dir, carried.iter().find(|l| !l.ok)) {
        let failed = carried.iter().filter(|l| !l.ok).count();
        let at = crate::diagnostics::Location::file(&year_dir.join(crate::record::RECORD_TXT));
        year_notes.push(Note::new(
            at,
            format!(
                "还有 {failed} 份报告（{} › {} 等）之前生成失败，这次没有重新生成，仍然没有当前的报告；修正数据后不带 --dept、--kind 运行 huibao build，或用它们选上这些单位和报告种类。",
                first.dept, first.kind
            ),
        ));
    }
    let county: Vec<&str> = kinds
        .iter()
        .zip(&is_county)
        .filter(|(_, c)| **c)
        .map(|((name, _), _)| name.as_str())
        .collect();
    let reports = crate::record::Reports {
        // Files of all departments made before: a county report of a kind of this run, or
        // 汇总.xlsx, or an earlier record of a build of everything.
        county_made: county_made(plan, &county)
            || year_dir
                .as_ref()
                .is_some_and(|dir| dir.join(crate::summary::FILE).is_file())
            || record
                .as_ref()
                .is_some_and(|r| !r.when.is_empty() && r.complete),
        index: &plan.index,
        kinds: &dept_kinds,
        told: &outcomes,
        tally,
        carried,
        partial: !(plan.all_departments && plan.all_kinds),
        earlier_complete: record
            .as_ref()
            .is_some_and(|r| !r.when.is_empty() && r.complete),
        workbook_failed: match &workbook {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        },
    };
    debug_assert!(
        reports.agree(),
        "the record's lines disagree with {tally:?}"
    );
    if let (Some(record), Some(year_dir)) = (&mut record, &year_dir)
        && let Err(e) = record.save(year_dir, plan.year(), &reports, &mut workbook_kept)
    {
        record_error = Some(Box::new(e));
    }
    year_notes.extend(years.notes());
    if let (Some(record), Some(year_dir)) = (&record, &year_dir) {
        year_notes.extend(gone(plan, record, year_dir));
    }
    for stray in plan.workspace.stray_folders() {
        year_notes.push(Note::new(
            crate::diagnostics::Location::file(&stray),
            "不是年度文件夹（年度文件夹的名称是四位数字，如 2023），已忽略。",
        ));
    }
    Ok(Batch {
        tally,
        outcomes,
        notes: year_notes,
        record_error,
        workbook,
        workbook_kept,
    })
}

/// Whether a build of everything has made a report of one of the county-wide `kinds` in the
/// output folder before.
fn county_made(plan: &Plan, kinds: &[&str]) -> bool {
    plan.out.as_ref().is_some_and(|out| {
        kinds.iter().any(|kind| {
            Format::ALL
                .iter()
                .any(|f| output_path(out, plan.year(), "", kind, *f).is_file())
        })
    })
}

/// A note for each folder of the output year that holds reports huibao wrote for a department
/// the year's data no longer has (its folder was renamed or removed): they are not this run's,
/// but keep their current names, so a clerk could hand in last time's report. They are left
/// as they are (the data may come back; a person may need them) and said.
fn gone(plan: &Plan, record: &Record, year_dir: &Path) -> Vec<Note> {
    let mut folders: Vec<&str> = record
        .files
        .keys()
        .filter_map(|file| file.split_once('/').map(|(folder, _)| folder))
        .filter(|folder| !plan.index.all.contains(folder))
        .collect();
    folders.dedup(); // the record's files are sorted by path
    folders
        .into_iter()
        .filter(|folder| year_dir.join(folder).is_dir())
        .map(|folder| {
            let data = plan.workspace.year_dir(plan.year()).join(folder);
            Note::new(
                crate::diagnostics::Location::file(&year_dir.join(folder)),
                format!(
                    "这个文件夹里是以前生成的报告，这次没有重新生成：没有 {} 文件夹了。若这个单位已改名或撤销，请把这个文件夹移走，以免报送旧的报告。",
                    data.display()
                ),
            )
        })
        .collect()
}

/// The report lines of earlier runs that a run making only some of the reports carries over:
/// those of departments that still have a folder this year and kinds that still exist, which
/// this run did not make again.
fn carried<'a>(
    plan: &Plan,
    earlier: &'a [crate::record::Earlier],
    dept_kinds: &[&str],
    outcomes: &[Outcome],
) -> Vec<&'a crate::record::Earlier> {
    if earlier.is_empty() {
        return Vec::new();
    }
    let county_made: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.county)
        .map(|o| o.kind.as_str())
        .collect();
    let kinds = plan.workspace.kinds().ok();
    earlier
        .iter()
        .filter(|line| {
            kinds
                .as_ref()
                .is_none_or(|kinds| kinds.contains(&line.kind))
        })
        .filter(|line| match line.dept == COUNTY {
            true => !county_made.contains(&line.kind.as_str()),
            // This year's names are sorted.
            false => {
                plan.index.all.contains(&line.dept)
                    && !(plan.index.department(&line.dept).is_some()
                        && dept_kinds.contains(&line.kind.as_str()))
            }
        })
        .collect()
}

/// Runs `op` on this thread with a scope whose spawned work runs on `pool` (or rayon's global
/// pool when none could be made).
fn in_place_scope<'scope, R>(
    pool: Option<&rayon::ThreadPool>,
    op: impl FnOnce(&rayon::Scope<'scope>) -> R,
) -> R {
    match pool {
        Some(pool) => pool.in_place_scope(op),
        None => rayon::in_place_scope(op),
    }
}

/// Commits a chunk's staged files and records and reports each outcome: the pending log
/// first, then the files put in place, then each outcome's line in the record.
fn finish(
    plan: &Plan,
    record: &mut Option<Record>,
    year_dir: Option<&Path>,
    outcomes: Vec<Outcome>,
    staged: Vec<Vec<Staged>>,
    reporter: &dyn Reporter,
) -> Vec<Outcome> {
    let committed = commit_files(year_dir, staged);
    settle(plan, record, year_dir, outcomes, committed, reporter)
}

/// Puts staged files in place: logged as pending first, then synced and renamed in bulk.
fn commit_files(year_dir: Option<&Path>, staged: Vec<Vec<Staged>>) -> Vec<emit::Committed> {
    // What is about to be put in place is recorded first, as pending: a build killed
    // between the renames and the record leaves its files recognisable as its own.
    if let Some(year_dir) = year_dir {
        // Files already holding these bytes are not put in place: nothing to log (and a
        // rebuild with nothing changed creates no log at all).
        let files = staged
            .iter()
            .flatten()
            .filter(|file| file.writes())
            .map(|file| (relative(year_dir, &file.target), &file.hash));
        if let Err(e) = Record::log_pending(year_dir, files) {
            // Nothing is put in place that the log does not name (a build killed after the
            // renames would leave those files looking like a person's): the reports that
            // would write fail, their earlier files kept as any failed report's are.
            return staged
                .into_iter()
                .map(|group| match group.iter().any(Staged::writes) {
                    true => emit::Committed {
                        kept: group.into_iter().filter_map(|s| s.kept).collect(),
                        error: Some(e.clone()),
                        ..Default::default()
                    },
                    false => emit::commit(vec![group])
                        .pop()
                        .expect("one group committed"),
                })
                .collect();
        }
    }
    let committed = emit::commit(staged);
    // Fault injection for the tests of a build killed once its files are in place, before
    // its record (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var_os("HUIBAO_KILL_AFTER_PUTTING_IN_PLACE").is_some() {
        std::process::exit(137);
    }
    committed
}

/// Each outcome's files and line into the run record, and to the reporter.
fn settle(
    plan: &Plan,
    record: &mut Option<Record>,
    year_dir: Option<&Path>,
    mut outcomes: Vec<Outcome>,
    committed: Vec<emit::Committed>,
    reporter: &dyn Reporter,
) -> Vec<Outcome> {
    for (outcome, committed) in outcomes.iter_mut().zip(committed) {
        if let (Some(record), Some(year_dir)) = (record.as_mut(), year_dir) {
            for (file, hash) in committed.files.iter().zip(&committed.hashes) {
                record.files.insert(relative(year_dir, file), *hash);
            }
        }
        outcome.kept.extend(committed.kept);
        if let Ok(report) = &mut outcome.result {
            match committed.error {
                None => {
                    *report = committed.files;
                    outcome.unchanged = committed.unchanged;
                }
                Some(e) => {
                    outcome.result = Err(Box::new(e));
                    let moved = set_aside(
                        plan,
                        record.as_ref(),
                        outcome.folder(),
                        &outcome.kind,
                        &Format::ALL,
                    );
                    outcome.kept.extend(moved);
                }
            }
        }
        if let (Some(record), Some(year_dir)) = (record.as_mut(), year_dir) {
            note(record, year_dir, plan, outcome);
        }
        reporter.done(outcome);
    }
    // These departments are done with: their entries leave memory for the rest of the run.
    if let Some(record) = record.as_mut() {
        let mut folders: Vec<&str> = outcomes
            .iter()
            .filter(|o| !o.county)
            .map(Outcome::folder)
            .collect();
        folders.dedup();
        record.set_down(folders);
    }
    outcomes
}

/// Why a department is left out of a county-wide report, as the report says it: a document
/// handed in, so the same whatever the data folder was called on the command line (`data`,
/// `./data`, an absolute path: each is written as the folder's own name), and one paragraph
/// (a department's several problems are joined with `；`).
fn county_reason(plan: &Plan, reason: &str) -> String {
    let data = &plan.workspace.data;
    // The folder's own name as given (`data`, `./data/`, `/srv/data`), not where a link leads;
    // `.` has none, and its real name is used.
    let name = data
        .file_name()
        .map(|n| n.to_os_string())
        .or_else(|| {
            std::fs::canonicalize(data)
                .ok()?
                .file_name()
                .map(|n| n.to_owned())
        })
        .map(|n| n.to_string_lossy().into_owned());
    let shown = data.display().to_string();
    let shown = shown.trim_end_matches(['/', '\\']);
    let mut said = reason.to_owned();
    // Only a path as the messages write it (the data folder, then a separator; Windows joins
    // with `\`); not `./`, which would also match inside `../`.
    if let Some(name) = name.filter(|_| !shown.is_empty() && shown != ".") {
        for separator in ['/', std::path::MAIN_SEPARATOR] {
            said = said.replace(
                &format!("{shown}{separator}"),
                &format!("{name}{separator}"),
            );
        }
    }
    let parts: Vec<&str> = said
        .lines()
        .map(|l| l.trim().trim_start_matches('·').trim())
        .filter(|l| !l.is_empty())
        .collect();
    // Joined as one sentence: each part's own 。 but the last's gives way to the ；.
    let last = parts.len().saturating_sub(1);
    let parts: Vec<&str> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i < last {
                p.trim_end_matches('。')
            } else {
                p
            }
        })
        .collect();
    parts.join("；")
}

/// Departments that had a folder last year and have none this year: a county-wide report
/// names them among those that did not report.
fn missing_this_year(plan: &Plan, years: &Years) -> Vec<(String, String)> {
    let Some((prev, _)) = &years.prev else {
        return Vec::new();
    };
    // A broken sheet of renames fails the county report instead (`county_report`).
    let renames = years.renames().ok();
    prev.all
        .iter()
        // This year's names are sorted: a search, not a scan of them for each of last year's.
        .filter(|name| !plan.index.all.contains(name))
        .filter(|name| !renames.is_some_and(|r| r.renamed(name)))
        .map(|name| {
            let folder = plan.workspace.year_dir(plan.year()).join(name);
            (
                name.to_owned(),
                format!("没有 {} 文件夹（上一年有这个单位）。", folder.display()),
            )
        })
        .collect()
}

/// A county-wide report of `kind`, rendered once from every department's context, its
/// files bound for `OUT/<year>/<kind>.*`.
fn county_report(
    plan: &Plan,
    record: Option<&Record>,
    kind_name: &str,
    kind: &Kind,
    county: crate::context::County,
    renames: Option<Error>,
) -> (Outcome, Vec<Output>) {
    // With no department read, the report would count nothing and list only failures: not
    // a report to hand in.
    let none_read = county.departments.is_empty().then_some(county.failed.len());
    let context = crate::context::county(plan.year(), kind_name, county);
    let result = (|| {
        // Which departments did not report depends on which were renamed.
        if let Some(e) = renames {
            return Err(e);
        }
        if let Some(failed) = none_read {
            let why = match failed {
                0 => "这一年没有单位文件夹".to_owned(),
                n => format!("{n} 个单位都未能汇总（原因见上面的问题和提示）"),
            };
            return Err(crate::diagnostics::Error::Workspace(format!(
                "全县汇总“{kind_name}”没有可汇总的单位：{why}。请先修正各单位的数据，再重新生成。"
            )));
        }
        let rendered = kind.renderer.render(&context)?;
        let document = crate::document::parse(&rendered, &kind.manifest.dir)?;
        Ok(outputs(plan, "", kind_name, kind, &document))
    })();
    let (result, outputs, kept) = match result {
        Ok(outputs) => (Ok(Vec::new()), outputs, Vec::new()),
        Err(e) => {
            let kept = set_aside(plan, record, "", kind_name, &Format::ALL);
            (Err(Box::new(e)), Vec::new(), kept)
        }
    };
    let outcome = Outcome {
        dept: COUNTY.to_owned(),
        kind: kind_name.to_owned(),
        result,
        unchanged: 0,
        kept,
        notes: Vec::new(),
        context: plan.keep_contexts.then(|| Box::new(context)),
        county: true,
    };
    (outcome, outputs)
}

/// A report's files, one per format of the plan (none when it does not write).
fn outputs(
    plan: &Plan,
    dept: &str,
    kind_name: &str,
    kind: &Kind,
    document: &crate::document::Document,
) -> Vec<Output> {
    let Some(out) = &plan.out else {
        return Vec::new();
    };
    plan.formats
        .iter()
        .map(|format| Output {
            target: output_path(out, plan.year(), dept, kind_name, *format),
            bytes: emit::emit(document, *format, &kind.manifest.docx),
        })
        .collect()
}

/// Each report's files written to temporary files beside their targets, here on the thread
/// that commits them, so that the building threads only read and render: creating a few
/// thousand files is system time the building would otherwise wait for. A report whose file
/// cannot be written (a full disk) fails whole: its other temporary files are removed, and its
/// earlier files are set aside as when it fails to build.
fn stage_all(
    plan: &Plan,
    record: Option<&Record>,
    outcomes: &mut [Outcome],
    outputs: Vec<Vec<Output>>,
) -> Vec<Vec<Staged>> {
    outcomes
        .iter_mut()
        .zip(outputs)
        .map(|(outcome, outputs)| {
            let mut staged = Vec::with_capacity(outputs.len());
            for output in outputs {
                let relative = relative_in(plan, &output.target);
                let ours = |hash: &Digest| record.is_some_and(|r| r.is_ours(&relative, hash));
                match emit::stage(
                    &output.target,
                    &output.bytes,
                    Existing::KeepIfChanged(&ours),
                ) {
                    Ok(file) => staged.push(file),
                    Err(e) => {
                        // Files a person changed that staging already moved aside are
                        // reported; the temporary files go with the dropped `Staged`.
                        outcome
                            .kept
                            .extend(staged.into_iter().filter_map(|s| s.kept));
                        let (folder, kind) = (outcome.folder(), &outcome.kind);
                        let moved = set_aside(plan, record, folder, kind, &Format::ALL);
                        outcome.kept.extend(moved);
                        outcome.result = Err(Box::new(e));
                        return Vec::new();
                    }
                }
            }
            staged
        })
        .collect()
}

/// A chunk's departments into the summary workbook: each department's part, then each failed
/// report as a line of its own.
fn add_to_summary(
    summary: &mut crate::summary::Summary,
    parts: Vec<crate::summary::Part>,
    outcomes: &[Outcome],
) -> Result<()> {
    // A department with a failed report has its data in no sheet but the failures': its
    // part was taken when it was built, before its files could fail to be written.
    let failed: std::collections::HashSet<&str> = outcomes
        .iter()
        .filter(|o| o.result.is_err())
        .map(|o| o.dept.as_str())
        .collect();
    for part in parts
        .into_iter()
        .filter(|p| !failed.contains(p.dept.as_str()))
    {
        summary.add(part)?;
    }
    for outcome in outcomes {
        if let Err(e) = &outcome.result {
            summary.failed(&outcome.dept, &outcome.kind, e);
        }
    }
    Ok(())
}

/// Runs a step of the summary workbook, a panic in it (rust_xlsxwriter panics when the
/// temporary files of its worksheets cannot be written: a full temporary folder) an error of
/// the workbook alone.
fn guard_summary<T>(
    step: impl FnOnce() -> std::result::Result<T, Box<Error>>,
) -> std::result::Result<T, Box<Error>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|panic| {
        let detail = crate::diagnostics::panic_message(&*panic);
        // rust_xlsxwriter's message carries the system's error in Rust's notation
        // (`Os { code: 28, kind: StorageFull, message: "No space left on device" }`): the
        // system's own words are its message.
        let full = detail.contains("StorageFull") || detail.contains("No space left");
        let system = detail
            .split_once("message: \"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map_or(detail.as_str(), |(message, _)| message);
        Err(Box::new(Error::Workspace(format!(
            "写汇总.xlsx 的临时文件时出错（{}系统信息：{system}）。临时文件夹 {} 可能已满或不可写：请腾出空间，或用环境变量 TMPDIR 指定别的临时文件夹。",
            if full { "磁盘已满；" } else { "" },
            std::env::temp_dir().display()
        ))))
    })
}

/// The last `汇总.xlsx`, when this run's could not be written: moved aside as a failed
/// report's files are (`汇总（上次生成的旧版）.xlsx`, or `（手工修改版）` when a person changed it),
/// its entry in the record with it.
fn set_aside_summary(year_dir: &Path, record: Option<&mut Record>) -> Option<Kept> {
    let name = crate::summary::FILE;
    let ours = |hash: &Digest| record.as_ref().is_some_and(|r| r.is_ours(name, hash));
    let kept = crate::emit::move_aside(&year_dir.join(name), ours)?;
    if let Some(record) = record {
        record.files.remove(name);
        record
            .kept
            .push((name.to_owned(), relative(year_dir, &kept.to), kept.edited));
    }
    Some(kept)
}

/// Writes `汇总.xlsx` as the reports are written: staged, kept aside if a person changed the
/// last one, put in place, recorded.
fn write_summary(
    summary: std::result::Result<crate::summary::Summary, Error>,
    year_dir: &Path,
    record: Option<&mut Record>,
    notes: &mut Vec<Note>,
    kept: &mut Vec<Kept>,
) -> std::result::Result<PathBuf, Box<Error>> {
    let path = year_dir.join(crate::summary::FILE);
    let summary = summary.map_err(Box::new)?;
    let (mut workbook, said) = summary.finish().map_err(Box::new)?;
    for note in said {
        notes.push(Note::new(crate::diagnostics::Location::file(&path), note));
    }
    let name = crate::summary::FILE;
    let ours = |hash: &Digest| record.as_ref().is_some_and(|r| r.is_ours(name, hash));
    // Written straight into its temporary file: at 10,000 departments it is tens of MB.
    let staged = emit::stage_streamed(&path, Existing::KeepIfChanged(&ours), |file| {
        crate::emit::xlsx::write(&mut workbook, file)
    })
    .map_err(Box::new)?;
    let hash = staged.hash;
    if let Err(e) = Record::log_pending(year_dir, std::iter::once((name.to_owned(), &hash))) {
        return Err(Box::new(e));
    }
    let committed = emit::commit(vec![vec![staged]])
        .pop()
        .expect("one report committed");
    if let Some(record) = record {
        for k in &committed.kept {
            let (from, to) = (relative(year_dir, &k.from), relative(year_dir, &k.to));
            record.kept.push((from, to, k.edited));
        }
        if committed.error.is_none() {
            record.files.insert(name.to_owned(), hash);
        }
    }
    kept.extend(committed.kept);
    match committed.error {
        Some(e) => Err(Box::new(e)),
        None => Ok(path),
    }
}

fn load_kinds(plan: &Plan) -> Vec<(String, Result<Kind>)> {
    plan.kinds
        .par_iter()
        .map(|kind| (kind.clone(), Kind::load(&plan.workspace, kind)))
        .collect()
}

/// One department's report of one kind, rendered whole in memory into its files' bytes, which
/// the committing thread stages and puts in place ([`stage_all`]). A failed report leaves
/// none of its earlier files behind, so nothing stale looks new.
fn one(
    plan: &Plan,
    record: Option<&Record>,
    department: &mut Department,
    kind_name: &str,
    kind: std::result::Result<&Kind, &Error>,
    keep_context: bool,
) -> (Outcome, Vec<Output>) {
    let dept = department.name().to_owned();
    let mut context = None;
    let mut notes = Vec::new();
    let mut stale = Vec::new();
    let built = (|| {
        let kind = kind.map_err(kind_broken)?;
        let built = department.build(kind, &mut notes)?;
        let outputs = outputs(plan, &dept, kind_name, kind, &built.document);
        // A narrower --format leaves no file of another format that no longer matches the
        // report: it would look like one report with the new files.
        if let Some(out) = &plan.out {
            for format in Format::ALL
                .into_iter()
                .filter(|f| !plan.formats.contains(f))
            {
                let path = output_path(out, plan.year(), &dept, kind_name, format);
                if let Ok(old) = std::fs::read(&path)
                    && old != emit::emit(&built.document, format, &kind.manifest.docx)
                {
                    stale.extend(set_aside(plan, record, &dept, kind_name, &[format]));
                }
            }
        }
        if keep_context {
            context = Some(Box::new(built.context));
        }
        Ok(outputs)
    })();
    let (result, outputs, kept) = match built {
        Ok(outputs) => (Ok(Vec::new()), outputs, stale),
        Err(e) => {
            let mut kept = stale;
            kept.extend(set_aside(plan, record, &dept, kind_name, &Format::ALL));
            (Err(Box::new(e)), Vec::new(), kept)
        }
    };
    let outcome = Outcome {
        dept,
        kind: kind_name.to_owned(),
        result,
        unchanged: 0,
        kept,
        notes,
        context,
        county: false,
    };
    (outcome, outputs)
}

/// A report kind that failed to load, as each of its reports' error.
fn kind_broken(e: &Error) -> Error {
    let each = e.clone().into_list().into_iter();
    Error::join(each.map(|e| Error::KindBroken(Box::new(e))).collect())
}

/// The outcome of a report whose department's processing panicked: an error asking for the
/// files to be sent to the maintainers, with the panic's message.
fn internal_error(
    plan: &Plan,
    record: Option<&Record>,
    dept: &str,
    kind: &str,
    panic: &(dyn std::any::Any + Send),
) -> (Outcome, Vec<Output>) {
    let detail = crate::diagnostics::panic_message(panic);
    let kept = set_aside(plan, record, dept, kind, &Format::ALL);
    let error = Error::Workspace(format!(
        "处理这个单位的数据时出现了内部错误（{detail}）。其他单位不受影响。请把这条信息和 {} 中的文件发给维护者。",
        plan.workspace.year_dir(plan.year()).join(dept).display()
    ));
    let outcome = Outcome {
        dept: dept.to_owned(),
        kind: kind.to_owned(),
        result: Err(Box::new(error)),
        unchanged: 0,
        kept,
        notes: Vec::new(),
        context: None,
        county: false,
    };
    (outcome, Vec::new())
}

/// A report's files in `formats` that are not this run's result (the report failed, or they
/// are formats this run did not build) are kept, but not under a current report's names:
/// what huibao wrote last time becomes `…（上次生成的旧版）` (replacing an older one of that
/// name), a file a person changed `…（手工修改版）`. Nothing is deleted; nothing stale looks
/// like this run's result.
fn set_aside(
    plan: &Plan,
    record: Option<&Record>,
    dept: &str,
    kind: &str,
    formats: &[Format],
) -> Vec<Kept> {
    let Some(out) = &plan.out else {
        return Vec::new();
    };
    formats
        .iter()
        .filter_map(|format| {
            let path = output_path(out, plan.year(), dept, kind, *format);
            let relative = relative_in(plan, &path);
            crate::emit::move_aside(&path, |hash| {
                record.is_some_and(|r| r.is_ours(&relative, hash))
            })
        })
        .collect()
}

/// Records a report's outcome in the run record: the files moved aside, no entry
/// for a file no longer under a current report's name, and the hash of a file of a format
/// this run did not build that still matches the report (it was compared, and stayed).
fn note(record: &mut Record, year_dir: &Path, plan: &Plan, outcome: &Outcome) {
    for format in Format::ALL {
        let path = output_path(Path::new(""), 0, outcome.folder(), &outcome.kind, format);
        let file = relative(Path::new("0"), &path);
        if plan.formats.contains(&format) && outcome.result.is_ok() {
            continue; // just put in place, and recorded with its hash at commit
        }
        match std::fs::read(year_dir.join(&file)) {
            Err(_) => {
                record.files.remove(&file);
            }
            Ok(bytes) if outcome.result.is_ok() => {
                record.files.insert(file, crate::record::hash(&bytes));
            }
            Ok(_) => {}
        }
    }
    for kept in &outcome.kept {
        record.kept.push((
            relative(year_dir, &kept.from),
            relative(year_dir, &kept.to),
            kept.edited,
        ));
    }
}

/// A path under the year folder as the run record names it: `县退役军人事务局/意识形态工作.docx`.
fn relative(year_dir: &Path, path: &Path) -> String {
    let inner = path.strip_prefix(year_dir).unwrap_or(path);
    inner
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn relative_in(plan: &Plan, path: &Path) -> String {
    match &plan.out {
        Some(out) => relative(&out.join(plan.year().to_string()), path),
        None => path.display().to_string(),
    }
}

/// `output/<year>/<department>/<kind>.<ext>`.
pub fn output_path(out: &Path, year: i32, dept: &str, kind: &str, format: Format) -> PathBuf {
    out.join(year.to_string())
        .join(dept)
        .join(format!("{kind}.{}", format.extension()))
}
