//! The batch: schedules every selected department through the pipeline (all report kinds of
//! a department together, departments in parallel), commits the written files in bulk, and
//! hands each outcome to a [`Reporter`]. One failure never stops the others.
//!
//! After the batch, [`Batch`] holds every department's outcome (and, when the plan asks, its
//! context) for whatever looks across departments: today the summary.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::context::Context;
use crate::diagnostics::{Error, Note, Result};
use crate::emit::{self, Format, Staged};
use crate::index::YearIndex;
use crate::pipeline::{Department, Kind, Years};
use crate::workspace::Workspace;

/// What a command resolved from its arguments: which reports, and where they go.
#[derive(Debug, Clone)]
pub struct Plan {
    pub workspace: Workspace,
    /// The year's index, holding only the selected departments (their folders listed).
    pub index: YearIndex,
    pub kinds: Vec<String>,
    pub formats: Vec<Format>,
    /// Where reports are written; `None` checks without writing.
    pub out: Option<PathBuf>,
    pub jobs: Option<usize>,
    /// Keep each report's context in its outcome, for a phase that looks across departments.
    pub keep_contexts: bool,
}

impl Plan {
    pub fn year(&self) -> i32 {
        self.index.year
    }

    /// How many reports the plan makes: departments × kinds.
    pub fn total(&self) -> usize {
        self.index.departments.len() * self.kinds.len()
    }
}

/// How one department's report of one kind went.
#[derive(Debug)]
pub struct Outcome {
    pub dept: String,
    pub kind: String,
    /// The files written (none for `check`), or why the report failed. Boxed, like the
    /// context: a run keeps every outcome, so each is kept small.
    pub result: Result<Vec<PathBuf>, Box<Error>>,
    /// How many of the files already held exactly these bytes and were left as they were.
    pub unchanged: usize,
    /// What reading the data noticed that is not an error, kept for a failed report too.
    pub notes: Vec<Note>,
    /// The context the templates saw, when the plan keeps contexts and reading succeeded.
    pub context: Option<Box<Context>>,
}

/// Everything a run produced: each report's outcome, in department then kind order, and the
/// notes that belong to the year rather than to one report (rows of a master table that no
/// department gets).
#[derive(Debug)]
pub struct Batch {
    pub outcomes: Vec<Outcome>,
    pub notes: Vec<Note>,
}

impl Batch {
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_err()).count()
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

/// How many departments are built before their files are committed together. Bounds the
/// memory a run holds (outcomes aside) whatever the number of departments.
const CHUNK: usize = 256;

/// Runs the plan: departments in parallel on `plan.jobs` threads, chunk by chunk; between
/// chunks this thread commits the files and tells the reporter. A plan that writes holds its
/// output folder's lock throughout (waiting for another build that holds it), and removes the
/// temporary files a killed build left in the folders it writes.
pub fn run(plan: &Plan, reporter: &dyn Reporter) -> Result<Batch> {
    let _lock = match &plan.out {
        Some(out) => Some(emit::lock_output(out, || reporter.waiting(out))?),
        None => None,
    };
    reporter.start(plan.total());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.unwrap_or(0))
        .build()
        .ok();
    let parallel = |work: &(dyn Fn() -> Vec<(Outcome, Vec<Staged>)> + Sync)| match &pool {
        Some(pool) => pool.install(work),
        None => work(),
    };
    let kinds: Vec<(String, Result<Kind>)> = match &pool {
        Some(pool) => pool.install(|| load_kinds(plan)),
        None => load_kinds(plan),
    };
    let years = Years::open(&plan.workspace, &plan.index);
    let mut outcomes = Vec::with_capacity(plan.total());
    for chunk in plan.index.departments.chunks(CHUNK) {
        let built = parallel(&|| {
            chunk
                .par_iter()
                .flat_map_iter(|dept| {
                    // The readers' own panics are caught where they read; this is the floor
                    // under everything else, so one department never takes the batch down.
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        // Fault injection for the test of this very catch (debug builds only).
                        #[cfg(debug_assertions)]
                        if std::env::var("HUIBAO_PANIC_IN").is_ok_and(|d| d == dept.name) {
                            panic!("injected for a test");
                        }
                        if let Some(out) = &plan.out {
                            // Temporary files of a build that was killed (the lock is held).
                            emit::remove_leftovers(
                                &out.join(plan.year().to_string()).join(&dept.name),
                            );
                        }
                        let mut department = Department::open(dept, &years);
                        kinds
                            .iter()
                            .map(|(name, kind)| one(plan, &mut department, name, kind.as_ref()))
                            .collect::<Vec<_>>()
                    }))
                    .unwrap_or_else(|panic| {
                        kinds
                            .iter()
                            .map(|(name, _)| internal_error(plan, &dept.name, name, &*panic))
                            .collect()
                    })
                })
                .collect()
        });
        let (mut chunk_outcomes, staged): (Vec<Outcome>, Vec<Vec<Staged>>) =
            built.into_iter().unzip();
        let committed = emit::commit(staged);
        for (outcome, written) in chunk_outcomes.iter_mut().zip(committed) {
            if let Ok(report) = &mut outcome.result {
                match written {
                    Ok(committed) => {
                        *report = committed.files;
                        outcome.unchanged = committed.unchanged;
                    }
                    Err(e) => {
                        outcome.result = Err(Box::new(e));
                        remove_outputs(plan, &outcome.dept, &outcome.kind);
                    }
                }
            }
            reporter.done(outcome);
        }
        outcomes.extend(chunk_outcomes);
    }
    reporter.finish();
    Ok(Batch {
        outcomes,
        notes: years.notes(),
    })
}

fn load_kinds(plan: &Plan) -> Vec<(String, Result<Kind>)> {
    plan.kinds
        .par_iter()
        .map(|kind| (kind.clone(), Kind::load(&plan.workspace, kind)))
        .collect()
}

/// One department's report of one kind: rendered whole in memory, then staged file by file.
/// A failed report leaves none of its earlier files behind, so nothing stale looks new.
fn one(
    plan: &Plan,
    department: &mut Department,
    kind_name: &str,
    kind: std::result::Result<&Kind, &Error>,
) -> (Outcome, Vec<Staged>) {
    let dept = department.name().to_owned();
    let mut context = None;
    let mut notes = Vec::new();
    let staged = (|| {
        let kind = kind.map_err(|e| {
            let each = e.clone().into_list().into_iter();
            Error::join(each.map(|e| Error::KindBroken(Box::new(e))).collect())
        })?;
        let built = department.build(kind, &mut notes)?;
        let mut staged = Vec::new();
        if let Some(out) = &plan.out {
            for format in &plan.formats {
                let path = output_path(out, plan.year(), &dept, kind_name, *format);
                let bytes = emit::emit(&built.document, *format, &kind.manifest.docx);
                staged.push(emit::stage(&path, &bytes)?);
            }
        }
        if plan.keep_contexts {
            context = Some(Box::new(built.context));
        }
        Ok(staged)
    })();
    let (result, staged) = match staged {
        Ok(staged) => (Ok(Vec::new()), staged),
        Err(e) => {
            remove_outputs(plan, &dept, kind_name);
            (Err(Box::new(e)), Vec::new())
        }
    };
    let outcome = Outcome {
        dept,
        kind: kind_name.to_owned(),
        result,
        unchanged: 0,
        notes,
        context,
    };
    (outcome, staged)
}

/// The outcome of a report whose department's processing panicked: an error asking for the
/// files to be sent to the maintainers, with the panic's message.
fn internal_error(
    plan: &Plan,
    dept: &str,
    kind: &str,
    panic: &(dyn std::any::Any + Send),
) -> (Outcome, Vec<Staged>) {
    let detail = crate::diagnostics::panic_message(panic);
    remove_outputs(plan, dept, kind);
    let error = Error::Workspace(format!(
        "处理这个单位的数据时出现了内部错误（{detail}）。其他单位不受影响。请把这条信息和 {} 中的文件发给维护者。",
        plan.workspace.year_dir(plan.year()).join(dept).display()
    ));
    let outcome = Outcome {
        dept: dept.to_owned(),
        kind: kind.to_owned(),
        result: Err(Box::new(error)),
        unchanged: 0,
        notes: Vec::new(),
        context: None,
    };
    (outcome, Vec::new())
}

/// Nothing of a failed report may stay behind looking like this run's result: not last run's
/// files, nor the formats written before a later one failed.
fn remove_outputs(plan: &Plan, dept: &str, kind: &str) {
    if let Some(out) = &plan.out {
        for format in &plan.formats {
            let _ = std::fs::remove_file(output_path(out, plan.year(), dept, kind, *format));
        }
    }
}

/// `output/<year>/<department>/<kind>.<ext>`.
pub fn output_path(out: &Path, year: i32, dept: &str, kind: &str, format: Format) -> PathBuf {
    out.join(year.to_string())
        .join(dept)
        .join(format!("{kind}.{}", format.extension()))
}
